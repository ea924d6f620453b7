"""API authentication. Each class identifies the caller and then binds the request's tenant."""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from channelhub.tenancy.context import activate
from channelhub.tenancy.middleware import TenantHeaderError, bind_request, no_access_error, requested_tenant
from channelhub.tenancy.selectors import Access
from channelhub.tenancy.services import api_key_authenticate

# Keys are issued as letters, digits and "_" (tokens are hex, API keys "chk_<prefix>_<secret>");
# allow the rest of the RFC 6750 token68 alphabet, nothing else reaches a query.
_CREDENTIALS = re.compile(r"[A-Za-z0-9._~+/=-]{1,256}")


def authorization_credentials(request, keyword: str) -> str | None:
    """The key after ``keyword`` in the ``Authorization`` header; None if the header names
    another scheme. A malformed header is a 401 with a clear message, never a 500.

    Servers hand headers over as Latin-1 text, so the raw bytes of a header that is not
    UTF-8 arrive as odd characters: anything outside ASCII is refused before it is decoded,
    compared or looked up (NUL in a key would make PostgreSQL refuse the query).
    """
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if isinstance(header, bytes):
        header = header.decode("latin-1")
    if not header.isascii():
        raise exceptions.AuthenticationFailed(_("Invalid Authorization header: it may contain ASCII characters only."))
    parts = header.split()
    if not parts or parts[0].lower() != keyword.lower():
        return None
    if len(parts) != 2:
        raise exceptions.AuthenticationFailed(
            _('Invalid Authorization header: expected "%(scheme)s <key>".') % {"scheme": keyword}
        )
    if not _CREDENTIALS.fullmatch(parts[1]):
        raise exceptions.AuthenticationFailed(_("Invalid Authorization header: the key has characters no key has."))
    return parts[1]


class TenantTokenAuthentication(authentication.TokenAuthentication):
    """``Authorization: Token <key>`` for users; ``X-Tenant: <slug>`` picks among their tenants."""

    def authenticate(self, request):
        key = authorization_credentials(request, self.keyword)
        result = None if key is None else self.authenticate_credentials(key)
        if result is not None:
            try:
                bind_request(request._request, result[0])
            except TenantHeaderError as error:
                raise _header_exception(error) from None
        return result


def _header_exception(error: TenantHeaderError) -> exceptions.APIException:
    """A wrong ``X-Tenant`` is refused (400 malformed, 403 not yours), never silently replaced."""
    if error.status == 400:
        return exceptions.ParseError(error.message)
    return exceptions.PermissionDenied(error.message)


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """``Authorization: Api-Key <key>`` for integrations: the key names its tenant and role."""

    keyword = "Api-Key"

    def authenticate(self, request):
        key = authorization_credentials(request, self.keyword)
        if key is None:
            return None
        api_key = api_key_authenticate(key)
        if api_key is None:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked API key."))
        http_request = request._request
        # A key acts in its own tenant only: an ``X-Tenant`` naming any other is refused.
        try:
            header = requested_tenant(http_request)
        except TenantHeaderError as error:
            raise _header_exception(error) from None
        if header is not None and header not in (api_key.tenant.slug, str(api_key.tenant_id)):
            raise _header_exception(no_access_error())
        http_request.tenant = api_key.tenant
        http_request.access = Access(tenant=api_key.tenant, roles=frozenset({api_key.role}))
        activate(api_key.tenant, source="api-key")
        return (api_key.service_user, api_key)

    def authenticate_header(self, request) -> str:
        return self.keyword


class ApiKeySchema(OpenApiAuthenticationExtension):
    """Documents the Api-Key scheme in the OpenAPI schema (registered by subclassing)."""

    target_class = "channelhub.api.authentication.ApiKeyAuthentication"
    name = "apiKeyAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey", "in": "header", "name": "Authorization",
            "description": str(_("Integration key: `Api-Key chk_…` (issued by a tenant owner).")),
        }
