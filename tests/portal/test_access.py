"""Signing in, who lands where, and who may open which portal page."""

from __future__ import annotations

import pytest
from django.test import Client

from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.models import Membership
from channelhub.tenancy.roles import Role
from tests.conftest import PASSWORD, make_member
from tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db


def test_login_lands_on_the_dashboard(client, partner_admin, partner):
    response = client.post("/portal/login/", {"username": "xc-admin", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/portal/"
    assert response.status_code == 200
    assert partner.legal_name in response.content.decode()


def test_wrong_password_re_renders_with_an_error(client, partner_admin):
    response = client.post("/portal/login/", {"username": "xc-admin", "password": "nope"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert "_auth_user_id" not in client.session


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get("/portal/")
    assert response.status_code == 302
    assert response["Location"].startswith("/portal/login/?next=/portal/")


def test_tenant_staff_opening_the_portal_are_redirected_to_the_admin(client, manager):
    client.post("/portal/login/", {"username": manager.username, "password": PASSWORD})
    response = client.get("/portal/")
    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_dashboard_shows_the_own_partner_only(client_as, partner_admin, partner, neighbour, other_tenant):
    with tenant_scope(other_tenant):
        PartnerFactory(legal_name="别家租户的伙伴")
    page = client_as(partner_admin).get("/portal/").content.decode()
    assert partner.legal_name in page and "王芳" in page
    assert neighbour.legal_name not in page and "赵敏" not in page
    assert "别家租户的伙伴" not in page


@pytest.mark.parametrize("url", ["/portal/staff/", "/portal/staff/invite/"])
def test_partner_users_cannot_reach_staff_pages(client_as, partner_user, url):
    client = client_as(partner_user)
    assert client.get("/portal/").status_code == 200
    assert client.get(url).status_code == 403


def test_partner_users_cannot_toggle_colleagues(client_as, partner_user, partner_admin, tenant):
    with tenant_scope(tenant):
        membership = Membership.objects.get(user=partner_admin)
    assert client_as(partner_user).post(f"/portal/staff/{membership.pk}/toggle/").status_code == 403
    with tenant_scope(tenant):
        assert Membership.objects.get(pk=membership.pk).is_active


def test_partner_admins_cannot_touch_another_partners_staff(client_as, partner_admin, neighbour, tenant):
    outsider = make_member(tenant, Role.PARTNER_USER, partner=neighbour)
    with tenant_scope(tenant):
        membership = Membership.objects.get(user=outsider)
    assert client_as(partner_admin).post(f"/portal/staff/{membership.pk}/toggle/").status_code == 404
    with tenant_scope(tenant):
        assert Membership.objects.get(pk=membership.pk).is_active


def test_logout_ends_the_session(client_as, partner_admin):
    client = client_as(partner_admin)
    response = client.post("/portal/logout/")
    assert response.status_code == 302 and response["Location"] == "/portal/login/"
    assert client.get("/portal/").status_code == 302


def test_password_reset_sends_a_working_link(client, partner_admin, mailoutbox):
    response = client.post("/portal/password-reset/", {"email": partner_admin.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    link = next(line for line in mailoutbox[0].body.splitlines() if "/portal/reset/" in line)
    path = link.split("testserver", 1)[1]
    set_password = client.get(path)
    assert set_password.status_code == 302
    response = client.post(set_password["Location"], {"new_password1": "Nouveau-Passe-42",
                                                      "new_password2": "Nouveau-Passe-42"})
    assert response.status_code == 302
    assert Client().login(username="xc-admin", password="Nouveau-Passe-42")


def test_admin_login_page_admits_channel_managers_and_refuses_partner_staff(manager, partner_user):
    staff = Client()
    response = staff.post("/admin/login/?next=/admin/", {"username": manager.username, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert staff.get("/admin/").status_code == 200

    outsider = Client()
    response = outsider.post("/admin/login/", {"username": partner_user.username, "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in outsider.session


def test_partner_staff_of_two_vendors_switch_between_them(client_as, partner_admin, partner, other_tenant):
    with tenant_scope(other_tenant):
        other_partner = PartnerFactory(legal_name="安和保险代理有限公司")
    from channelhub.tenancy.services import membership_grant

    membership_grant(tenant=other_tenant, actor=None, email=partner_admin.email, role=Role.PARTNER_USER,
                     partner=other_partner)
    client = client_as(partner_admin)
    page = client.get("/portal/").content.decode()
    assert 'id="tenant-switch"' in page and "Beta Insurance" in page
    shown = partner.legal_name if partner.legal_name in page else other_partner.legal_name
    target = other_tenant if shown == partner.legal_name else partner.tenant
    response = client.post("/tenant/switch/", {"tenant": target.pk, "next": "/portal/"})
    assert response["Location"] == "/portal/"
    page = client.get("/portal/").content.decode()
    assert shown not in page
    assert (other_partner.legal_name if target == other_tenant else partner.legal_name) in page


def test_unknown_pages_use_the_portal_404_page(client_as, partner_admin):
    response = client_as(partner_admin).get("/portal/no-such-page/")
    assert response.status_code == 404
    assert "portal.css" in response.content.decode()


def test_forbidden_pages_explain_and_offer_to_log_out(client_as, partner_user):
    response = client_as(partner_user).get("/portal/staff/")
    page = response.content.decode()
    assert response.status_code == 403
    assert "/portal/logout/" in page and "403" in page


def test_invited_people_whose_link_expired_can_ask_for_a_new_one(
    client, partner, tenant, mailoutbox, django_capture_on_commit_callbacks
):
    from channelhub.tenancy.services import membership_grant

    with django_capture_on_commit_callbacks(execute=True):
        membership_grant(tenant=tenant, actor=None, email="new@xingchen.example", role=Role.PARTNER_USER,
                         partner=partner)
    assert len(mailoutbox) == 1  # the invitation
    client.post("/portal/password-reset/", {"email": "New@Xingchen.example"})
    assert len(mailoutbox) == 2 and "/portal/reset/" in mailoutbox[1].body
    assert mailoutbox[1].to == ["new@xingchen.example"]


def test_password_reset_ignores_accounts_without_access(client, mailoutbox):
    from channelhub.tenancy.models import User

    loner = User.objects.create(username="loner", email="loner@example.com")
    loner.set_unusable_password()
    loner.save()
    response = client.post("/portal/password-reset/", {"email": "loner@example.com"})
    assert response.status_code == 302  # same answer as for anybody: no account probing
    assert not mailoutbox
