"""Resolve the current tenant for each request and clear it afterwards."""

from __future__ import annotations

import re

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .context import activate, no_tenant
from .selectors import access_for, memberships_of, resolve_tenant, tenants_of

SESSION_KEY = "tenant_id"

# A tenant's slug (SlugField) or its numeric id.
_TENANT_HEADER = re.compile(r"[-a-zA-Z0-9_]{1,60}")


class TenantHeaderError(Exception):
    """``X-Tenant`` named no tenant the caller may enter (403) or was malformed (400).

    Integrations must notice a wrong header instead of silently acting in another tenant of
    theirs (the old fallback), so the request is refused.
    """

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def requested_tenant(request) -> str | None:
    """The ``X-Tenant`` header (a slug or id), ``None`` when absent; raises when malformed."""
    value = request.headers.get("X-Tenant", "").strip()
    if not value:
        return None
    if not _TENANT_HEADER.fullmatch(value):
        raise TenantHeaderError(400, _("The X-Tenant header must be a tenant's slug or id."))
    return value


def no_access_error() -> TenantHeaderError:
    return TenantHeaderError(403, _("You have no access to this tenant."))


def bind_request(request, user) -> None:
    """Set ``request.tenant`` / ``request.access`` and the tenant context for ``user``.

    Session users choose with the switcher (stored in the session); API clients with the
    ``X-Tenant`` header, which must name a tenant the user may enter (else
    ``TenantHeaderError``). Called by the middleware, and by API authentication after it has
    identified the user.
    """
    header = requested_tenant(request)
    memberships = list(memberships_of(user))  # one read for both the tenant and the access
    if header is not None:
        tenant = next(
            (t for t in tenants_of(user, memberships) if t.slug == header or str(t.pk) == header), None
        )
        if tenant is None or not user.is_active:
            raise no_access_error()
    else:
        session = getattr(request, "session", None)
        tenant = resolve_tenant(user, session.get(SESSION_KEY) if session is not None else None, memberships)
    request.tenant = tenant
    request.access = access_for(user, tenant, memberships) if tenant else None
    if tenant is not None:
        activate(tenant, source="request")
        timezone.activate(tenant.zone)
        _activate_language(request, user, tenant)


def _activate_language(request, user, tenant) -> None:
    """An explicit choice (the language switch's cookie) wins; then the user's, then the tenant's."""
    if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME):
        return
    language = getattr(user, "language", "") or tenant.default_language
    translation.activate(language)
    request.LANGUAGE_CODE = translation.get_language()


class TenantMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Every request starts with no tenant and leaves none behind, whatever happens inside.
        with no_tenant():
            request.tenant = None
            request.access = None
            user = getattr(request, "user", None)
            try:
                if user is not None and user.is_authenticated:
                    try:
                        bind_request(request, user)
                    except TenantHeaderError as error:
                        return _header_error_response(request, error)
                return self.get_response(request)
            finally:
                timezone.deactivate()


def _header_error_response(request, error: TenantHeaderError) -> HttpResponse:
    if request.path.startswith("/api/") or "json" in request.headers.get("Accept", ""):
        return JsonResponse({"detail": error.message}, status=error.status)
    return HttpResponse(error.message, status=error.status, content_type="text/plain; charset=utf-8")
