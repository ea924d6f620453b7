"""Security issue 6: API keys cannot mint keys; a wrong X-Tenant is refused, never silently replaced."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from rest_framework.test import APIClient

from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.models import ApiKey
from channelhub.tenancy.roles import Role
from channelhub.tenancy.services import api_key_create, api_key_revoke
from tests.conftest import api_client_for
from tests.factories import PartnerFactory

KEYS = "/api/v1/api-keys/"


def key_client(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {secret}", HTTP_ACCEPT_LANGUAGE="en")
    return client


def english(client: APIClient) -> APIClient:
    """Messages are compared in English (the default language is Chinese)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


# --------------------------------------------------------------------------- 7: keys do not make keys


def test_an_owner_key_cannot_mint_list_or_revoke_keys(tenant, owner):
    issued = api_key_create(tenant=tenant, actor=owner, name="ERP", role=Role.OWNER)
    api = key_client(issued.secret)
    created = api.post(KEYS, {"name": "Backdoor", "role": "owner"}, format="json")
    assert created.status_code == 403
    assert "API key" in created.json()["detail"]
    assert not ApiKey.all_tenants.filter(name="Backdoor").exists()
    assert api.get(KEYS).status_code == 403
    assert api.post(f"{KEYS}{issued.api_key.pk}/revoke/").status_code == 403
    # The key still works for ordinary data (it is an integration, not a key manager).
    assert api.get("/api/v1/partners/").status_code == 200


def test_a_human_owner_still_manages_keys(tenant, owner):
    api = api_client_for(owner)
    created = api.post(KEYS, {"name": "CRM", "role": "channel_manager"}, format="json")
    assert created.status_code == 201
    assert api.post(f"{KEYS}{created.json()['id']}/revoke/").status_code == 200


def test_the_service_refuses_an_api_key_actor(tenant, owner):
    issued = api_key_create(tenant=tenant, actor=owner, name="ERP", role=Role.OWNER)
    service_user = issued.api_key.service_user
    with pytest.raises(PermissionDenied):
        api_key_create(tenant=tenant, actor=service_user, name="Child", role=Role.OWNER)
    with pytest.raises(PermissionDenied):
        api_key_revoke(api_key=issued.api_key, actor=service_user)
    assert not ApiKey.all_tenants.filter(name="Child").exists()
    issued.api_key.refresh_from_db()
    assert issued.api_key.revoked_at is None


# --------------------------------------------------------------------------- 8d: X-Tenant


@pytest.mark.parametrize("header", ["beta", "by-pk", "no-such-tenant"])
def test_token_user_naming_a_tenant_they_cannot_enter_gets_403(tenant, other_tenant, manager, header):
    if header == "by-pk":
        header = str(other_tenant.pk)
    with tenant_scope(other_tenant):
        PartnerFactory(legal_name="Beta partner")
    api = english(api_client_for(manager))
    for path in ("/api/v1/me/", "/api/v1/partners/"):
        response = api.get(path, HTTP_X_TENANT=header)
        assert response.status_code == 403, path
        assert response.json()["detail"] == "You have no access to this tenant."
        assert "Beta partner" not in response.content.decode()
    created = api.post("/api/v1/partners/", {"legal_name": "Nowhere", "partner_type": "agent"},
                       format="json", HTTP_X_TENANT=header)
    assert created.status_code == 403


@pytest.mark.parametrize("header", ["al pha", "../beta", "x" * 61, "租户"])
def test_malformed_x_tenant_is_400(tenant, manager, header):
    response = english(api_client_for(manager)).get("/api/v1/me/", HTTP_X_TENANT=header)
    assert response.status_code == 400
    assert "X-Tenant" in response.json()["detail"]


def test_own_tenants_by_slug_or_id_and_no_header_still_work(tenant, manager):
    api = api_client_for(manager)
    assert api.get("/api/v1/me/").json()["current_tenant"] == tenant.slug
    assert api.get("/api/v1/me/", HTTP_X_TENANT=tenant.slug).json()["current_tenant"] == tenant.slug
    assert api.get("/api/v1/me/", HTTP_X_TENANT=str(tenant.pk)).json()["current_tenant"] == tenant.slug


def test_session_request_with_a_foreign_x_tenant_is_403_and_the_switcher_still_works(
    tenant, other_tenant, manager, client
):
    client.force_login(manager)
    assert client.get("/api/v1/me/", HTTP_X_TENANT=other_tenant.slug).status_code == 403
    assert client.get("/admin/partners/partner/", HTTP_X_TENANT=other_tenant.slug).status_code == 403
    assert client.get("/admin/partners/partner/", HTTP_X_TENANT="bad slug!").status_code == 400
    # Without the header, the browser keeps using the session's tenant (the switcher).
    assert client.get("/admin/partners/partner/").status_code == 200


def test_api_key_with_another_tenants_x_tenant_is_403(tenant, other_tenant):
    issued = api_key_create(tenant=tenant, actor=None, name="ERP", role=Role.CHANNEL_MANAGER)
    api = key_client(issued.secret)
    assert api.get("/api/v1/partners/", HTTP_X_TENANT=other_tenant.slug).status_code == 403
    assert api.get("/api/v1/partners/", HTTP_X_TENANT=str(other_tenant.pk)).status_code == 403
    assert api.get("/api/v1/partners/", HTTP_X_TENANT="no/such").status_code == 400
    assert api.get("/api/v1/partners/", HTTP_X_TENANT=tenant.slug).status_code == 200
    assert api.get("/api/v1/partners/").status_code == 200
