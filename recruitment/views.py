"""Private document serving for signed-in users (the applicant's own route is in ``public.views``).

``/recruitment/documents/<pk>/`` streams an applicant's document to tenant staff of the current
tenant (every staff role reads applications) and, once the application became a partner, to
that partner's own partner administrators. Everybody else gets a 404, never a 403: whether a
document exists is not revealed either.
"""

from __future__ import annotations

from django.http import FileResponse, Http404

from . import selectors
from .models import ApplicationDocument


def document_response(document: ApplicationDocument) -> FileResponse:
    """The file with its checked content type and original name; never sniffed, never cached."""
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, OSError, ValueError) as error:
        raise Http404 from error
    response = FileResponse(handle, content_type=document.content_type, filename=document.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def document_download(request, pk: int):
    access = getattr(request, "access", None)
    if access is None or not request.user.is_authenticated:
        raise Http404
    document = selectors.downloadable_document(pk=pk, access=access)
    if document is None:
        raise Http404
    return document_response(document)
