"""A partner administrator invites, deactivates and reactivates their own colleagues."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import translation

from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.models import Membership, User
from channelhub.tenancy.roles import Role
from tests.conftest import PASSWORD, make_member

pytestmark = pytest.mark.django_db

INVITE = {"email": "Chen.Jing@Xingchen.example", "first_name": "静", "last_name": "陈",
          "role": Role.PARTNER_USER, "language": "zh-hans"}


def _invite(client, django_capture_on_commit_callbacks, **data):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post("/portal/staff/invite/", {**INVITE, **data})


def test_invite_mails_a_link_in_their_language_and_the_account_exists_only_once_accepted(
    client_as, partner_admin, partner, tenant, mailoutbox, django_capture_on_commit_callbacks
):
    response = _invite(client_as(partner_admin), django_capture_on_commit_callbacks)
    assert response.status_code == 302 and response["Location"] == "/portal/staff/"
    assert not User.objects.filter(email__iexact="chen.jing@xingchen.example").exists()

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["Chen.Jing@Xingchen.example"]
    with translation.override("zh-hans"):
        accept = translation.gettext("Open this link to accept the invitation:")
    assert accept != "Open this link to accept the invitation:", "the zh-hans catalogue is missing"
    assert accept in message.body
    assert re.search(r"[\u4e00-\u9fff]", message.subject)

    # The link is absolute and works: follow it, choose a user name and password, land in the portal.
    link = re.search(r"http://testserver(/portal/invitations/\S+/)", message.body).group(1)
    invitee = Client()
    page = invitee.get(link)
    assert page.status_code == 200 and partner.legal_name in page.content.decode()
    response = invitee.post(link, {"username": "chenjing", "last_name": "陈", "first_name": "静",
                                   "password1": "Jing-Secret-2026", "password2": "Jing-Secret-2026"})
    assert response.status_code == 302 and response["Location"] == "/portal/"
    invited = User.objects.get(email="chen.jing@xingchen.example")
    assert invited.language == "zh-hans"
    with tenant_scope(tenant):
        membership = Membership.objects.get(user=invited)
    assert (membership.partner_id, membership.role, membership.is_active) == (
        partner.pk, Role.PARTNER_USER, True)
    response = Client().post("/portal/login/", {"username": "chenjing", "password": "Jing-Secret-2026"},
                             follow=True)
    assert response.redirect_chain[-1][0] == "/portal/"
    assert partner.legal_name in response.content.decode()


def test_invalid_email_re_renders_with_a_field_error_and_creates_nothing(
    client_as, partner_admin, mailoutbox, django_capture_on_commit_callbacks
):
    users_before = User.objects.count()
    response = _invite(client_as(partner_admin), django_capture_on_commit_callbacks, email="not-an-email")
    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    page = response.content.decode()
    assert 'aria-invalid="true"' in page and 'id="id_email_error"' in page
    assert User.objects.count() == users_before
    assert not mailoutbox


def test_another_partners_person_cannot_be_claimed(
    client_as, partner_admin, neighbour, tenant, mailoutbox, django_capture_on_commit_callbacks
):
    outsider = make_member(tenant, Role.PARTNER_USER, partner=neighbour, email="zhao@yuanhang.example")
    response = _invite(client_as(partner_admin), django_capture_on_commit_callbacks, email=outsider.email)
    # The inviter is told what they are told for any address; the person's access is untouched.
    assert response.status_code == 302
    with tenant_scope(tenant):
        assert list(Membership.objects.filter(user=outsider).values_list("partner_id", flat=True)) == [
            neighbour.pk]
    page = client_as(partner_admin).get("/portal/staff/").content.decode()
    assert outsider.username not in page and outsider.get_full_name() not in page


def test_deactivated_users_lose_portal_access_until_reactivated(client_as, partner_admin, partner_user, tenant):
    admin = client_as(partner_admin)
    colleague = Client()
    colleague.force_login(partner_user)
    assert colleague.get("/portal/").status_code == 200
    with tenant_scope(tenant):
        membership = Membership.objects.get(user=partner_user)

    response = admin.post(f"/portal/staff/{membership.pk}/toggle/", follow=True)
    assert response.redirect_chain[-1][0] == "/portal/staff/"
    with tenant_scope(tenant):
        assert not Membership.objects.get(pk=membership.pk).is_active
    assert colleague.get("/portal/").status_code == 403
    refused = Client().post("/portal/login/", {"username": partner_user.username, "password": PASSWORD})
    assert refused.status_code == 200 and refused.context["form"].non_field_errors()

    admin.post(f"/portal/staff/{membership.pk}/toggle/")
    assert colleague.get("/portal/").status_code == 200


def test_a_partner_admin_cannot_deactivate_themself(client_as, partner_admin, tenant):
    with tenant_scope(tenant):
        membership = Membership.objects.get(user=partner_admin)
    client = client_as(partner_admin)
    page = client.get("/portal/staff/").content.decode()
    assert f"/portal/staff/{membership.pk}/toggle/" not in page  # no button for oneself
    response = client.post(f"/portal/staff/{membership.pk}/toggle/", follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    with tenant_scope(tenant):
        assert Membership.objects.get(pk=membership.pk).is_active
    assert client.get("/portal/").status_code == 200


def test_staff_list_shows_the_own_partners_people_only(client_as, partner_admin, partner_user, neighbour, tenant):
    make_member(tenant, Role.PARTNER_USER, partner=neighbour, email="zhao@yuanhang.example")
    page = client_as(partner_admin).get("/portal/staff/").content.decode()
    assert partner_user.email in page and partner_admin.email in page
    assert "zhao@yuanhang.example" not in page


def test_the_vendors_own_staff_cannot_be_invited_as_partner_staff(
    client_as, partner_admin, manager, tenant, mailoutbox, django_capture_on_commit_callbacks
):
    response = _invite(client_as(partner_admin), django_capture_on_commit_callbacks, email=manager.email)
    assert response.status_code == 302  # the same answer as for any address
    with tenant_scope(tenant):
        assert set(Membership.objects.filter(user=manager).values_list("role", flat=True)) == {
            Role.CHANNEL_MANAGER}
    # The manager, signed in, cannot accept: they are told why; nothing changes.
    link = re.search(r"http://testserver(/portal/invitations/\S+/)", mailoutbox[0].body).group(1)
    invitee = Client()
    invitee.force_login(manager)
    refused = invitee.post(link)
    assert refused.status_code == 409 and "already work in" in refused.content.decode()
    with tenant_scope(tenant):
        assert set(Membership.objects.filter(user=manager).values_list("role", flat=True)) == {
            Role.CHANNEL_MANAGER}
