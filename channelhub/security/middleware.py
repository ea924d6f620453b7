"""Refuse requests whose URL, query string or form body carries text nothing can store.

Django decodes query strings and form bodies with ``errors="replace"``, so they cannot
carry lone surrogates, but ``%00`` arrives as a NUL character: PostgreSQL then refuses the
query a filter, search box or form builds from it, and the request answers 500. One check
here covers every current and future view (portal, admin, public forms, API filters);
JSON bodies are checked by the API's parsers (channelhub.api.parsers), which can name the
field.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse

from .text import BAD_TEXT, is_bad_text

_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def unusable_text_in(request: HttpRequest) -> str | None:
    """Where the request carries unusable text ("path", "query", "form", a header), or None."""
    if is_bad_text(request.path_info):
        return "path"
    if any(is_bad_text(key) or any(is_bad_text(value) for value in values) for key, values in request.GET.lists()):
        return "query"
    # Values that reach the database: the tenant switch and the session key.
    if is_bad_text(request.headers.get("X-Tenant", "")):
        return "X-Tenant"
    if is_bad_text(request.COOKIES.get(settings.SESSION_COOKIE_NAME, "")):
        return "cookie"
    # Only form bodies Django itself parses (POST); the API's parsers check the rest.
    if request.method == "POST" and request.content_type in _FORM_TYPES:
        for key, values in request.POST.lists():
            if is_bad_text(key) or any(is_bad_text(value) for value in values):
                return "form"
    return None


class RejectUnusableTextMiddleware:
    """400 for a request carrying NUL (or surrogate) characters, before any view runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        where = unusable_text_in(request)
        if where is None:
            return self.get_response(request)
        if request.path_info.startswith("/api/"):
            return JsonResponse({"detail": str(BAD_TEXT), "location": where}, status=400)
        return HttpResponseBadRequest(str(BAD_TEXT), content_type="text/plain; charset=utf-8")
