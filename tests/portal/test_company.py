"""The partner's company in the portal: profile edits, legal-detail requests, contacts, the team page."""

from __future__ import annotations

import pytest

from channelhub.notifications.models import Notification
from channelhub.partners.models import ChangeRequestState, Partner, PartnerChangeRequest, PartnerContact
from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.models import Membership
from channelhub.tenancy.roles import Role
from tests.conftest import make_member
from tests.factories import PartnerContactFactory

pytestmark = pytest.mark.django_db


def _profile_form(partner, **changes):
    data = {
        "legal_name": partner.legal_name, "credit_code": partner.credit_code or "",
        "registered_capital": partner.registered_capital or "", "founding_year": partner.founding_year or "",
        "short_name": partner.short_name, "english_name": partner.english_name, "address": partner.address,
        "website": partner.website, "staff_count": partner.staff_count or "", "comment": "",
    }
    return {**data, **changes}


def test_descriptive_fields_save_at_once_and_legal_ones_become_a_request(
    client_as, partner_admin, partner, tenant
):
    manager = make_member(tenant, Role.CHANNEL_MANAGER, username="cm", email="cm@vendor.example")
    with tenant_scope(tenant):
        Partner.objects.filter(pk=partner.pk).update(owner=manager)
        partner.refresh_from_db()
    client = client_as(partner_admin)
    assert client.get("/portal/company/edit/").status_code == 200
    response = client.post("/portal/company/edit/", _profile_form(
        partner, website="https://xingchen.example", legal_name="星辰智能科技有限公司", comment="新执照"))
    assert response.status_code == 302 and response["Location"] == "/portal/company/"
    with tenant_scope(tenant):
        fresh = Partner.objects.get(pk=partner.pk)
        assert fresh.website == "https://xingchen.example"
        assert fresh.legal_name == "星辰科技有限公司"  # waits for the manager
        request = PartnerChangeRequest.objects.get(partner=partner)
        assert request.changes == {"legal_name": "星辰智能科技有限公司"} and request.comment == "新执照"
        assert Notification.objects.filter(recipient=manager, kind="partners.change_request_submitted").exists()
    page = client.get("/portal/company/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "星辰智能科技有限公司" in page and "pending" not in page  # the state is shown in words
    home = client.get("/portal/").content.decode()
    assert "星辰智能科技有限公司" in home  # the home panel shows the waiting change


def test_a_bad_credit_code_is_a_field_error_and_nothing_is_saved(client_as, partner_admin, partner, tenant):
    response = client_as(partner_admin).post("/portal/company/edit/", _profile_form(
        partner, credit_code="123", website="https://changed.example"))
    assert response.status_code == 200 and "credit_code" in response.context["form"].errors
    with tenant_scope(tenant):
        assert Partner.objects.get(pk=partner.pk).website == ""
        assert not PartnerChangeRequest.objects.exists()


def test_partner_users_read_the_profile_and_contacts_but_change_nothing(client_as, partner_user, partner):
    client = client_as(partner_user)
    assert client.get("/portal/company/").status_code == 200
    page = client.get("/portal/contacts/").content.decode()
    assert "王芳" in page and "/portal/contacts/add/" not in page
    assert client.get("/portal/company/edit/").status_code == 403
    assert client.post("/portal/contacts/add/", {"name": "x"}).status_code == 403


def test_partner_admin_adds_edits_and_removes_own_contacts(client_as, partner_admin, partner, neighbour, tenant):
    client = client_as(partner_admin)
    response = client.post("/portal/contacts/add/", {"name": "陈静", "title": "财务", "email": "chen@xc.example"})
    assert response.status_code == 302
    with tenant_scope(tenant):
        contact = PartnerContact.objects.get(name="陈静")
        assert contact.partner_id == partner.pk
        assert contact.history.first().history_user == partner_admin
        foreign = PartnerContactFactory(partner=neighbour, name="赵敏")
    assert client.post(f"/portal/contacts/{contact.pk}/", {"name": "陈静", "phone": "138"}).status_code == 302
    with tenant_scope(tenant):
        assert PartnerContact.objects.get(pk=contact.pk).phone == "138"
    # Another partner's contact does not exist here.
    assert client.get(f"/portal/contacts/{foreign.pk}/").status_code == 404
    assert client.post(f"/portal/contacts/{foreign.pk}/delete/").status_code == 404
    confirm = client.get(f"/portal/contacts/{contact.pk}/delete/")
    assert confirm.status_code == 200 and "陈静" in confirm.content.decode()
    assert client.post(f"/portal/contacts/{contact.pk}/delete/").status_code == 302
    with tenant_scope(tenant):
        assert not PartnerContact.objects.filter(pk=contact.pk).exists()
        assert PartnerContact.objects.filter(pk=foreign.pk).exists()


def test_deactivation_asks_first(client_as, partner_admin, partner_user, tenant):
    client = client_as(partner_admin)
    with tenant_scope(tenant):
        membership = Membership.objects.get(user=partner_user)
    team = client.get("/portal/staff/").content.decode()
    assert f"/portal/staff/{membership.pk}/deactivate/" in team
    page = client.get(f"/portal/staff/{membership.pk}/deactivate/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'action="/portal/staff/{membership.pk}/toggle/"' in page
    with tenant_scope(tenant):
        assert Membership.objects.get(pk=membership.pk).is_active  # nothing changed by asking
    client.post(f"/portal/staff/{membership.pk}/toggle/")
    with tenant_scope(tenant):
        assert not Membership.objects.get(pk=membership.pk).is_active


def test_invited_people_show_as_pending_until_they_accept(
    client_as, partner_admin, tenant, mailoutbox, django_capture_on_commit_callbacks
):
    import re

    from django.test import Client

    client = client_as(partner_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/portal/staff/invite/", {"email": "new@xc.example", "first_name": "Jing", "last_name": "Chen",
                                              "role": Role.PARTNER_USER, "language": "en"})
    team = client.get("/portal/staff/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Jing Chen" in team and "Invited, not yet accepted" in team
    link = re.search(r"http://testserver(/portal/invitations/\S+/)", mailoutbox[0].body).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(link, {"username": "jing", "first_name": "Jing", "last_name": "Chen",
                             "password1": "Jing-Secret-2026", "password2": "Jing-Secret-2026"})
    team = client.get("/portal/staff/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Invited, not yet accepted" not in team and "Jing Chen" in team
    with tenant_scope(tenant):  # the inviter hears about it
        notice = Notification.objects.get(recipient=partner_admin, kind="portal.invitation_accepted")
    assert "Jing Chen" in notice.title


def test_empty_pages_say_what_appears_there(client_as, partner_admin, partner, tenant):
    with tenant_scope(tenant):
        PartnerContact.objects.filter(partner=partner).delete()
    client = client_as(partner_admin)
    assert "No contacts yet" in client.get("/portal/contacts/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "No changes requested yet" in client.get(
        "/portal/company/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_change_request_state_reads_as_words(partner, tenant):
    with tenant_scope(tenant):
        request = PartnerChangeRequest(partner=partner, changes={"legal_name": "x"})
    assert request.get_state_display() != ChangeRequestState.PENDING.value


def test_edit_forms_open_with_the_values_on_record(client_as, partner_admin, partner, tenant):
    client = client_as(partner_admin)
    form = client.get("/portal/company/edit/").context["form"]
    assert form["legal_name"].value() == "星辰科技有限公司"
    with tenant_scope(tenant):
        contact = PartnerContact.objects.get(partner=partner, name="王芳")
    assert client.get(f"/portal/contacts/{contact.pk}/").context["form"]["name"].value() == "王芳"
