"""Uploaded documents, one set of rules for every chapter: checked by content and size, stored privately.

The type is read from the file's first bytes (its magic number), not trusted from the
extension or the browser's content type: a renamed executable is refused. Files live under
``PRIVATE_MEDIA_ROOT``, never under MEDIA_URL: each chapter serves them through a view that
checks the caller may see the record the file belongs to.
"""

from __future__ import annotations

import os
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

DEFAULT_MAX_DOCUMENT_BYTES = 10 * 1024 * 1024

# (magic prefix, content type, extensions that may carry it)
SIGNATURES: tuple[tuple[bytes, str, frozenset[str]], ...] = (
    (b"%PDF-", "application/pdf", frozenset({".pdf"})),
    (b"\xff\xd8\xff", "image/jpeg", frozenset({".jpg", ".jpeg"})),
    (b"\x89PNG\r\n\x1a\n", "image/png", frozenset({".png"})),
)


def max_document_bytes() -> int:
    # RECRUITMENT_MAX_DOCUMENT_BYTES is the setting's first name, still honoured.
    default = getattr(settings, "RECRUITMENT_MAX_DOCUMENT_BYTES", DEFAULT_MAX_DOCUMENT_BYTES)
    return int(getattr(settings, "MAX_DOCUMENT_BYTES", default))


def sniff_content_type(head: bytes) -> str | None:
    for magic, content_type, _extensions in SIGNATURES:
        if head.startswith(magic):
            return content_type
    return None


def validate_document_file(file) -> str:
    """Return the file's real content type, or raise ``ValidationError`` (type or size)."""
    limit = max_document_bytes()
    size = getattr(file, "size", None)
    if size is None:
        raise ValidationError(_("The file could not be read."), code="unreadable")
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s); the limit is %(limit)s."),
            code="too_large", params={"size": filesizeformat(size), "limit": filesizeformat(limit)},
        )
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(16)
    file.seek(position)
    content_type = sniff_content_type(head or b"")
    extension = PurePath(getattr(file, "name", "") or "").suffix.lower()
    allowed = next((exts for _m, ctype, exts in SIGNATURES if ctype == content_type), frozenset())
    if content_type is None or extension not in allowed:
        raise ValidationError(
            _("Upload a PDF, JPEG or PNG file (the content of this file is not one of them)."),
            code="file_type",
        )
    return content_type



@deconstructible(path="channelhub.uploads.PrivateStorage")
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
