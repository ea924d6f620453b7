"""Cooperation's files (message attachments, library material) are stored privately
(``channelhub.uploads``) and served only by the access-checking download views."""

from django.utils.deconstruct import deconstructible

from channelhub import uploads


@deconstructible(path="cooperation.storage.PrivateStorage")  # the path the migrations name
class PrivateStorage(uploads.PrivateStorage):
    pass


private_storage = PrivateStorage()
