"""Applicants' documents are stored privately (``channelhub.uploads``); served by
``recruitment:document-download`` only."""

from django.utils.deconstruct import deconstructible

from channelhub import uploads


@deconstructible(path="recruitment.storage.PrivateStorage")  # the path the migrations name
class PrivateStorage(uploads.PrivateStorage):
    pass


private_storage = PrivateStorage()
