"""Refuse oversized request bodies (413) from their ``Content-Length``, before anything reads them.

Django streams multipart uploads to disk whatever their size, so an 11 MB file used to be
received whole before the 10 MB document check refused it. This middleware answers from the
declared length instead, before the CSRF check, forms or DRF parse the body.

Limits (settings, bytes):

* ``MAX_REQUEST_BODY_BYTES``: any request that is not a file upload (JSON, forms);
* ``MAX_UPLOAD_BODY_BYTES``: ``multipart/form-data`` requests (documents, CSV/XLSX imports);
* ``MAX_REQUEST_BODY_BYTES_PATHS``: path prefix → limit for multipart requests there (the
  public application form takes a licence and up to ten certificates at once).

A body sent without ``Content-Length`` (chunked) is not read by Django at all (WSGI gives it
an empty stream), so the declared length is the whole story here. The reverse proxy should
refuse the same sizes first (``client_max_body_size``, see README).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

DEFAULT_BODY_BYTES = 2_621_440  # Django's DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB)
DEFAULT_UPLOAD_BYTES = 25 * 1024 * 1024


def body_limit(request) -> int:
    """The largest body accepted for this request's path and content type."""
    if request.content_type == "multipart/form-data":
        for prefix, limit in getattr(settings, "MAX_REQUEST_BODY_BYTES_PATHS", {}).items():
            if request.path.startswith(prefix):
                return int(limit)
        return int(getattr(settings, "MAX_UPLOAD_BODY_BYTES", DEFAULT_UPLOAD_BYTES))
    return int(getattr(settings, "MAX_REQUEST_BODY_BYTES", DEFAULT_BODY_BYTES))


def _wants_json(request) -> bool:
    return request.path.startswith("/api/") or "json" in request.headers.get("Accept", "")


class RequestBodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        declared = request.META.get("CONTENT_LENGTH") or "0"
        try:
            length = int(declared)
        except ValueError:
            length = -1
        if length < 0:
            return self._refuse(request, 400, _("The Content-Length header is not a valid number."))
        limit = body_limit(request)
        if length > limit:
            message = _("The request is too large: at most %(limit)s can be sent here.") % {
                "limit": filesizeformat(limit)
            }
            return self._refuse(request, 413, message)
        return self.get_response(request)

    @staticmethod
    def _refuse(request, status: int, message: str) -> HttpResponse:
        # The body is never read. No "Connection: close" here: WSGI forbids hop-by-hop headers
        # from the application (wsgiref answered 500); the server closes the connection itself.
        if _wants_json(request):
            response = JsonResponse({"detail": message}, status=status)
        else:
            page = render_to_string("413.html", {"message": message, "status": status}, request=None)
            response = HttpResponse(page, status=status)
        return response
