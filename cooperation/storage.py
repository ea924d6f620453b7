"""Cooperation's files (message attachments, library material, proof of performance, feedback files) are
stored privately (``channelhub.uploads``) and served only by the access-checking download views, each of
which answers through ``private_download`` once it has found the caller's row."""

from django.http import FileResponse, Http404
from django.utils.deconstruct import deconstructible

from channelhub import uploads


@deconstructible(path="cooperation.storage.PrivateStorage")  # the path the migrations name
class PrivateStorage(uploads.PrivateStorage):
    pass


private_storage = PrivateStorage()


def private_download(field_file, *, filename: str, content_type: str) -> FileResponse:
    """The stored file as a download with its checked content type: never sniffed, never cached; a file that
    storage no longer has is a 404 (never a 500)."""
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, OSError, ValueError) as missing:
        raise Http404 from missing
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
