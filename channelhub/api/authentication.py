"""API authentication. Each class identifies the caller and then binds the request's tenant."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from channelhub.tenancy.context import activate
from channelhub.tenancy.middleware import bind_request
from channelhub.tenancy.selectors import Access
from channelhub.tenancy.services import api_key_authenticate


class TenantTokenAuthentication(authentication.TokenAuthentication):
    """``Authorization: Token <key>`` for users; ``X-Tenant: <slug>`` picks among their tenants."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            bind_request(request._request, result[0])
        return result


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """``Authorization: Api-Key <key>`` for integrations: the key names its tenant and role."""

    keyword = "Api-Key"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode().lower() != self.keyword.lower():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid API key header."))
        api_key = api_key_authenticate(header[1].decode(errors="replace"))
        if api_key is None:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked API key."))
        http_request = request._request
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
