"""Getting in: token exchange, tenant choice, integration keys."""

from __future__ import annotations

import pytest

from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.models import ApiKey
from channelhub.tenancy.roles import Role
from channelhub.tenancy.services import api_key_create, membership_grant
from tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db


def test_token_exchange_returns_token_and_memberships(client, manager):
    response = client.post("/api/v1/auth/token/", {"username": manager.username, "password": "pw-Secret-123"})
    assert response.status_code == 200
    body = response.json()
    assert len(body["token"]) == 40
    assert body["memberships"][0]["role"] == "channel_manager"


def test_token_exchange_with_wrong_password_is_401_without_detail_leak(client, manager):
    response = client.post("/api/v1/auth/token/", {"username": manager.username, "password": "nope"})
    assert response.status_code in (400, 401, 403)
    assert "token" not in response.json()


def test_token_exchange_with_missing_fields_is_400(client):
    response = client.post("/api/v1/auth/token/", {})
    assert response.status_code == 400
    assert set(response.json()) == {"username", "password"}


def test_user_in_two_tenants_chooses_with_x_tenant(tenant, other_tenant, manager, api_as):
    membership_grant(tenant=other_tenant, actor=None, email=manager.email, role=Role.FINANCE)
    with tenant_scope(other_tenant):
        PartnerFactory(legal_name="Beta partner")
    client = api_as(manager)
    default = client.get("/api/v1/me/").json()
    assert default["current_tenant"] == "alpha"
    chosen = client.get("/api/v1/me/", HTTP_X_TENANT="beta").json()
    assert (chosen["current_tenant"], chosen["roles"]) == ("beta", ["finance"])
    names = [p["legal_name"] for p in client.get("/api/v1/partners/", HTTP_X_TENANT="beta").json()["results"]]
    assert names == ["Beta partner"]


def test_x_tenant_of_a_foreign_tenant_grants_nothing(tenant, other_tenant, manager, api_as):
    with tenant_scope(other_tenant):
        PartnerFactory(legal_name="Beta partner")
    client = api_as(manager)
    # Refused (403), not silently answered from the caller's own tenant.
    me = client.get("/api/v1/me/", HTTP_X_TENANT="beta")
    assert me.status_code == 403
    rows = client.get("/api/v1/partners/", HTTP_X_TENANT="beta")
    assert rows.status_code == 403 and "Beta partner" not in rows.content.decode()


def test_api_key_is_shown_once_hashed_at_rest_and_revocable(tenant, owner, api_as, client):
    owner_api = api_as(owner)
    created = owner_api.post("/api/v1/api-keys/", {"name": "ERP", "role": "channel_manager"}, format="json")
    assert created.status_code == 201
    secret = created.json()["key"]
    key_row = ApiKey.all_tenants.get(pk=created.json()["id"])
    assert secret not in key_row.key_hash and key_row.key_hash != secret
    listed = owner_api.get("/api/v1/api-keys/").json()["results"]
    assert "key" not in listed[0]

    with tenant_scope(tenant):
        PartnerFactory(legal_name="Visible to ERP")
    integration = client.get("/api/v1/partners/", HTTP_AUTHORIZATION=f"Api-Key {secret}")
    assert integration.status_code == 200
    assert integration.json()["results"][0]["legal_name"] == "Visible to ERP"

    assert owner_api.post(f"/api/v1/api-keys/{key_row.pk}/revoke/").status_code == 200
    refused = client.get("/api/v1/partners/", HTTP_AUTHORIZATION=f"Api-Key {secret}")
    assert refused.status_code == 401


def test_api_key_writes_are_audited_as_the_integration(tenant, client):
    issued = api_key_create(tenant=tenant, actor=None, name="CRM", role=Role.CHANNEL_MANAGER)
    with tenant_scope(tenant):
        from tests.factories import RegionFactory

        region = RegionFactory()
    response = client.post(
        "/api/v1/partners/",
        {"legal_name": "From CRM", "partner_type": "reseller", "region": region.pk},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Api-Key {issued.secret}",
    )
    assert response.status_code == 201
    with tenant_scope(tenant):
        from channelhub.partners.models import Partner

        record = Partner.objects.get(legal_name="From CRM").history.get()
    assert record.history_user == issued.api_key.service_user


def test_garbage_api_key_is_401(client, db):
    assert client.get("/api/v1/partners/", HTTP_AUTHORIZATION="Api-Key chk_nope_nope").status_code == 401
    assert client.get("/api/v1/partners/", HTTP_AUTHORIZATION="Api-Key").status_code == 401


def test_only_owners_manage_api_keys(manager, api_as):
    assert api_as(manager).get("/api/v1/api-keys/").status_code == 403
