"""Security issue 6 (8e): partner staff never read the vendor's internal fields through the API."""

from __future__ import annotations

import pytest

from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.roles import Role
from tests.conftest import api_client_for, make_member
from tests.factories import PartnerFactory

SECRET_NOTE = "internal: considering termination, margin too low"
CONTACT_NOTE = "internal: difficult to reach, prefers WeChat"


@pytest.fixture
def partner(tenant, manager):
    from channelhub.partners.models import PartnerContact

    with tenant_scope(tenant):
        partner = PartnerFactory(notes=SECRET_NOTE, owner=manager)
        PartnerContact.objects.create(partner=partner, name="王经理", notes=CONTACT_NOTE)
    return partner


@pytest.mark.parametrize("role", [Role.PARTNER_ADMIN, Role.PARTNER_USER])
def test_partner_staff_do_not_see_notes_or_owner(tenant, partner, role):
    api = api_client_for(make_member(tenant, role, partner=partner))
    for path in ("/api/v1/partners/", f"/api/v1/partners/{partner.pk}/", "/api/v1/contacts/"):
        response = api.get(path)
        assert response.status_code == 200, path
        body = response.content.decode()
        assert SECRET_NOTE not in body and CONTACT_NOTE not in body, path
    detail = api.get(f"/api/v1/partners/{partner.pk}/").json()
    assert "owner" not in detail and "notes" not in detail
    assert detail["legal_name"] == partner.legal_name  # their own data is still there
    contact = api.get("/api/v1/contacts/").json()["results"][0]
    assert "notes" not in contact and contact["name"] == "王经理"


def test_staff_still_see_and_write_the_internal_fields(tenant, partner, manager):
    api = api_client_for(manager)
    detail = api.get(f"/api/v1/partners/{partner.pk}/").json()
    assert detail["notes"] == SECRET_NOTE and detail["owner"] == manager.pk
    contacts = api.get("/api/v1/contacts/").json()["results"]
    assert contacts[0]["notes"] == CONTACT_NOTE


def test_a_partner_admin_cannot_write_contact_notes(tenant, partner):
    api = api_client_for(make_member(tenant, Role.PARTNER_ADMIN, partner=partner))
    contact_id = api.get("/api/v1/contacts/").json()["results"][0]["id"]
    response = api.patch(f"/api/v1/contacts/{contact_id}/", {"title": "总经理", "notes": "overwritten"},
                         format="json")
    assert response.status_code == 200 and "notes" not in response.json()
    from channelhub.partners.models import PartnerContact

    with tenant_scope(tenant):
        contact = PartnerContact.objects.get(pk=contact_id)
    assert contact.title == "总经理" and contact.notes == CONTACT_NOTE
