"""Private file storage for applicants' documents: under ``PRIVATE_MEDIA_ROOT``, never under MEDIA_URL.

Files are served only by a view that checks the caller may see the application (see
``recruitment.urls`` name ``recruitment:document-download``); the storage itself has no URL.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible(path="recruitment.storage.PrivateStorage")
class PrivateStorage(FileSystemStorage):
    """A file system storage rooted at ``settings.PRIVATE_MEDIA_ROOT`` (read at use, not import)."""

    def __init__(self, **kwargs):
        kwargs.pop("location", None)
        kwargs.pop("base_url", None)
        super().__init__(**kwargs)

    @property
    def base_location(self):  # type: ignore[override]
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):  # type: ignore[override]
        return os.path.abspath(self.base_location)

    def url(self, name):
        # There is no public URL on purpose: documents go through an access-checking view.
        raise ValueError("Private documents have no public URL; use the download view.")


private_storage = PrivateStorage()
