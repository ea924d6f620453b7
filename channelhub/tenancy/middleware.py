"""Resolve the current tenant for each request and clear it afterwards."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone, translation

from .context import activate, no_tenant
from .selectors import access_for, resolve_tenant

SESSION_KEY = "tenant_id"


def bind_request(request, user) -> None:
    """Set ``request.tenant`` / ``request.access`` and the tenant context for ``user``.

    Session users choose with the switcher (stored in the session); API clients with the
    ``X-Tenant`` header. Called by the middleware, and by API authentication after it has
    identified the user.
    """
    session = getattr(request, "session", None)
    wanted = request.headers.get("X-Tenant") or (
        session.get(SESSION_KEY) if session is not None else None
    )
    tenant = resolve_tenant(user, wanted)
    request.tenant = tenant
    request.access = access_for(user, tenant) if tenant else None
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
                    bind_request(request, user)
                return self.get_response(request)
            finally:
                timezone.deactivate()
