"""How a caller gets into a tenant: token + X-Tenant, the session switcher, integration keys.

Whatever the caller asks for, they act in a tenant they belong to, and only there.
"""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from channelhub.partners.models import Partner, Region
from channelhub.tenancy.middleware import SESSION_KEY
from channelhub.tenancy.models import Membership
from channelhub.tenancy.roles import Role
from channelhub.tenancy.services import api_key_create, api_key_revoke
from channelhub.testing import find_token

pytestmark = pytest.mark.django_db

PARTNERS = "/api/v1/partners/"


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content[:300]
    return {row["id"] for row in response.json()["results"]}


def join(side, user, role=Role.CHANNEL_MANAGER) -> None:
    with side.scope():
        Membership(user=user, role=role).save()


def test_a_user_in_both_tenants_picks_one_with_x_tenant(world):
    user = world.a.user(Role.OWNER)
    join(world.b, user)
    mine, theirs = world.a.get(Partner), world.b.get(Partner)
    api = world.a.api(user)
    for header, shown, hidden in (
        (world.a.tenant.slug, mine, theirs),
        (world.b.tenant.slug, theirs, mine),
        (str(world.b.tenant.pk), theirs, mine),
    ):
        listed = ids(api.get(PARTNERS, HTTP_X_TENANT=header))
        assert shown.pk in listed and hidden.pk not in listed, header
        assert api.get(f"{PARTNERS}{hidden.pk}/", HTTP_X_TENANT=header).status_code == 404
    me = api.get("/api/v1/me/", HTTP_X_TENANT=world.b.tenant.slug).json()
    assert (me["current_tenant"], me["roles"]) == (world.b.tenant.slug, [Role.CHANNEL_MANAGER])


@pytest.mark.parametrize("header", ["iso-beta", "by-pk", "no-such-tenant"])
def test_x_tenant_without_membership_is_refused(world, header):
    """A tenant the caller cannot enter is a 403: never B's data, and no silent fallback to A."""
    if header == "by-pk":
        header = str(world.b.tenant.pk)
    user = world.a.user(Role.OWNER)
    theirs = world.b.get(Partner)
    api = world.a.api(user)
    assert api.get("/api/v1/me/", HTTP_X_TENANT=header).status_code == 403
    listed = api.get(PARTNERS, HTTP_X_TENANT=header)
    assert listed.status_code == 403
    assert find_token(listed.content.decode(), world.b.token) is None
    assert api.get(f"{PARTNERS}{theirs.pk}/", HTTP_X_TENANT=header).status_code == 403
    before = world.snapshot(theirs)
    assert api.patch(f"{PARTNERS}{theirs.pk}/", {"notes": "x"}, format="json",
                     HTTP_X_TENANT=header).status_code == 403
    assert world.snapshot(theirs) == before
    # A write "into B" lands nowhere.
    count = Partner.all_tenants.count()
    created = api.post(PARTNERS, {"legal_name": "Nowhere", "partner_type": "agent",
                                  "region": world.a.get(Region).pk}, format="json", HTTP_X_TENANT=header)
    assert created.status_code == 403
    assert Partner.all_tenants.count() == count


def test_x_tenant_of_a_deactivated_membership_is_refused(world):
    user = world.a.user(Role.OWNER)
    join(world.b, user)
    Membership.all_tenants.filter(user=user, tenant=world.b.tenant).update(is_active=False)
    theirs = world.b.get(Partner)
    api = world.a.api(user)
    refused = api.get(PARTNERS, HTTP_X_TENANT=world.b.tenant.slug)
    assert refused.status_code == 403
    assert find_token(refused.content.decode(), world.b.token) is None
    assert api.get(f"{PARTNERS}{theirs.pk}/", HTTP_X_TENANT=world.b.tenant.slug).status_code == 403


def test_x_tenant_on_a_session_request_is_refused_too(world):
    """The admin and portal read the same header; it never opens another tenant."""
    theirs = world.b.get(Partner)
    client = world.a.client(world.a.user(Role.OWNER))
    page = client.get("/admin/partners/partner/", HTTP_X_TENANT=world.b.tenant.slug)
    assert page.status_code == 403
    assert find_token(page.content.decode(), world.b.token) is None
    assert client.get(f"/admin/partners/partner/{theirs.pk}/change/",
                      HTTP_X_TENANT=world.b.tenant.slug).status_code == 403


def test_the_tenant_switch_refuses_a_foreign_tenant(world):
    user = world.a.user(Role.OWNER)
    world.b.get(Partner)
    client = world.a.client(user)
    refused = client.post("/tenant/switch/", {"tenant": str(world.b.tenant.pk)})
    assert refused.status_code == 400
    assert client.session.get(SESSION_KEY) in (None, world.a.tenant.pk)
    page = client.get("/admin/partners/partner/")
    assert find_token(page.content.decode(), world.b.token) is None


def test_the_tenant_switch_moves_between_own_tenants(world):
    user = world.a.user(Role.OWNER)
    join(world.b, user, Role.OWNER)
    theirs = world.b.get(Partner)
    client = world.a.client(user)
    assert client.post("/tenant/switch/", {"tenant": str(world.b.tenant.pk)}).status_code == 302
    assert client.get(f"/admin/partners/partner/{theirs.pk}/change/").status_code == 200


def key_client(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {secret}")
    return client


def test_an_api_key_reads_and_writes_only_its_own_tenant(world):
    issued = api_key_create(tenant=world.a.tenant, actor=None, name="ERP", role=Role.CHANNEL_MANAGER)
    mine, theirs = world.a.get(Partner), world.b.get(Partner)
    api = key_client(issued.secret)
    # Naming another tenant is refused outright (403), whatever the request.
    assert api.get(PARTNERS, HTTP_X_TENANT=world.b.tenant.slug).status_code == 403
    assert api.delete(f"{PARTNERS}{theirs.pk}/", HTTP_X_TENANT=world.b.tenant.slug).status_code == 403
    for header in ({}, {"HTTP_X_TENANT": world.a.tenant.slug}):
        listed = api.get(PARTNERS, **header)
        assert mine.pk in ids(listed) and theirs.pk not in ids(listed)
        assert find_token(listed.content.decode(), world.b.token) is None
        assert api.get(f"{PARTNERS}{theirs.pk}/", **header).status_code == 404
        before = world.snapshot(theirs)
        assert api.delete(f"{PARTNERS}{theirs.pk}/", **header).status_code == 404
        assert api.post(f"{PARTNERS}{theirs.pk}/transition/", {"to_status": "onboarding"}, format="json",
                        **header).status_code == 404
        assert world.snapshot(theirs) == before
    refused = api.post(PARTNERS, {"legal_name": "x", "partner_type": "agent",
                                  "region": world.b.get(Region).pk}, format="json")
    assert refused.status_code == 400 and "region" in refused.json()


def test_a_revoked_key_is_401(world):
    issued = api_key_create(tenant=world.a.tenant, actor=None, name="CRM", role=Role.CHANNEL_MANAGER)
    mine = world.a.get(Partner)
    api = key_client(issued.secret)
    assert api.get(PARTNERS).status_code == 200
    with world.a.scope():
        api_key_revoke(api_key=issued.api_key, actor=None)
    assert api.get(PARTNERS).status_code == 401
    assert api.get(f"{PARTNERS}{mine.pk}/").status_code == 401
    assert api.patch(f"{PARTNERS}{mine.pk}/", {"notes": "x"}, format="json").status_code == 401


def test_a_key_with_a_wrong_secret_is_401(world):
    issued = api_key_create(tenant=world.a.tenant, actor=None, name="BI", role=Role.CHANNEL_MANAGER)
    prefix = issued.api_key.prefix
    assert key_client(f"chk_{prefix}_not-the-secret").get(PARTNERS).status_code == 401
    # The other tenant's key with this tenant's prefix: the prefix alone opens nothing.
    other = api_key_create(tenant=world.b.tenant, actor=None, name="BI", role=Role.CHANNEL_MANAGER)
    forged = f"chk_{prefix}_{other.secret.split('_', 2)[2]}"
    assert key_client(forged).get(PARTNERS).status_code == 401
