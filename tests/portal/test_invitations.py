"""Inviting a colleague changes nothing for anyone until the invitee accepts through the e-mailed link."""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.models import Invitation, InvitationState, Membership, StateTransition, User
from channelhub.tenancy.roles import Role
from tests.conftest import PASSWORD, api_client_for, make_member

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://testserver(/portal/invitations/[^/\s]+/)")


def invite(client, capture, email: str, role: str = Role.PARTNER_USER, **extra):
    with capture(execute=True):
        return client.post("/portal/staff/invite/", {
            "email": email, "first_name": "", "last_name": "", "role": role, "language": "en", **extra})


def link_in(message) -> str:
    return LINK.search(message.body).group(1)


def memberships(user) -> set[tuple[int, str, int | None, bool]]:
    return set(Membership.all_tenants.filter(user=user).values_list("tenant_id", "role", "partner_id", "is_active"))


def test_another_tenants_staff_invited_by_a_partner_admin_gains_nothing_and_stays_invisible(
    client_as, partner_admin, tenant, other_tenant, mailoutbox, django_capture_on_commit_callbacks
):
    """The demo finding: the inviter used to grant access at once and then saw the victim's account."""
    victim = make_member(other_tenant, Role.CHANNEL_MANAGER, username="beta-zhou", email="zhou@beta.example",
                         first_name="Min", last_name="Zhou")
    before = memberships(victim)
    response = invite(client_as(partner_admin), django_capture_on_commit_callbacks, victim.email)
    assert response.status_code == 302

    assert memberships(victim) == before  # nothing in the inviter's tenant, nothing changed in theirs
    api = api_client_for(victim)
    assert api.get("/api/v1/me/").json()["current_tenant"] == other_tenant.slug  # default tenant unchanged
    page = client_as(partner_admin).get("/portal/staff/").content.decode()
    assert victim.email in page  # what the inviter typed, in the open invitations
    for private in ("beta-zhou", "Zhou", "Min"):
        assert private not in page, private
    assert mailoutbox[0].to == [victim.email]


def test_the_inviter_gets_the_same_answer_whatever_the_address(
    client_as, partner_admin, partner_user, partner, neighbour, tenant, other_tenant, mailoutbox,
    django_capture_on_commit_callbacks,
):
    manager = make_member(tenant, Role.CHANNEL_MANAGER, email="mgr@alpha.example", username="mgr-acct")
    elsewhere = make_member(other_tenant, Role.OWNER, email="boss@beta.example", username="beta-boss-acct")
    other_partners = make_member(tenant, Role.PARTNER_USER, partner=neighbour, email="zhao@yuanhang.example",
                                 username="zhao-acct", first_name="敏", last_name="赵")
    addresses = ["nobody@new.example", elsewhere.email, partner_user.email, manager.email, other_partners.email]
    client = client_as(partner_admin)
    answers = []
    for email in addresses:
        response = invite(client, django_capture_on_commit_callbacks, email)
        shown = [str(m) for m in get_messages(response.wsgi_request)]
        # Messages pile up until a page shows them: the last one is this answer.
        answers.append((response.status_code, response["Location"], shown[-1].replace(email, "<email>")))
    assert len(set(map(repr, answers))) == 1, answers
    assert len(mailoutbox) == len(addresses)
    # Each address shows as typed, with nothing the inviter did not type.
    client.get("/portal/staff/")  # shows (and so clears) the flash messages
    page = client.get("/portal/staff/").content.decode()
    for email in addresses:
        assert email in page
    for private in (neighbour.legal_name, "zhao-acct", "赵敏", "beta-boss-acct", "mgr-acct"):
        assert private not in page, private


def test_a_new_address_chooses_its_account_through_the_link(
    client_as, partner_admin, partner, tenant, mailoutbox, django_capture_on_commit_callbacks
):
    invite(client_as(partner_admin), django_capture_on_commit_callbacks, "Wu.Lei@Xingchen.example",
           first_name="Lei", last_name="Wu")
    link = link_in(mailoutbox[0])
    invitee = Client()
    page = invitee.get(link)
    assert page.status_code == 200
    assert page.context["form"]["first_name"].value() == "Lei"  # prefilled with what was typed
    taken = invitee.post(link, {"username": partner_admin.username, "first_name": "Lei", "last_name": "Wu",
                                "password1": "Lei-Secret-2026", "password2": "Lei-Secret-2026"})
    assert taken.status_code == 400 and "username" in taken.context["form"].errors
    done = invitee.post(link, {"username": "wulei", "first_name": "Lei", "last_name": "Wu",
                               "password1": "Lei-Secret-2026", "password2": "Lei-Secret-2026"})
    assert done.status_code == 302 and done["Location"] == "/portal/"
    user = User.objects.get(username="wulei")
    assert user.email == "wu.lei@xingchen.example"
    assert memberships(user) == {(tenant.pk, Role.PARTNER_USER, partner.pk, True)}
    assert invitee.get("/portal/").status_code == 200  # signed in
    with tenant_scope(tenant):
        invitation = Invitation.objects.get()
        assert (invitation.state, invitation.accepted_by) == (InvitationState.ACCEPTED, user)
        assert StateTransition.objects.filter(workflow="tenancy.invitation", to_state="accepted", actor=user).exists()
    used = Client().get(link)
    assert used.status_code == 410 and "already been accepted" in used.content.decode()


def test_an_existing_account_must_sign_in_as_itself_and_confirm(
    client_as, partner_admin, partner, tenant, other_tenant, mailoutbox, django_capture_on_commit_callbacks
):
    invitee = make_member(other_tenant, Role.TRAINER, username="beta-trainer", email="trainer@beta.example")
    invite(client_as(partner_admin), django_capture_on_commit_callbacks, "Trainer@Beta.example")
    link = link_in(mailoutbox[0])

    anonymous = Client()
    page = anonymous.get(link)
    assert page.status_code == 200 and f"/portal/login/?next={link}" in page.content.decode()
    assert anonymous.post(link)["Location"] == f"/portal/login/?next={link}"

    someone_else = Client()
    someone_else.force_login(make_member(tenant, Role.PARTNER_USER, partner=partner, email="x@xingchen.example"))
    refused = someone_else.post(link)
    assert refused.status_code == 403 and "another e-mail address" in refused.content.decode()
    assert memberships(invitee) == {(other_tenant.pk, Role.TRAINER, None, True)}

    # Signing in through the prompt comes back to the link; confirming grants the role.
    browser = Client()
    signed_in = browser.post(f"/portal/login/?next={link}", {
        "username": "beta-trainer", "password": PASSWORD, "next": link})
    assert signed_in["Location"] == link
    assert "Accept the invitation" in browser.get(link).content.decode()
    accepted = browser.post(link)
    assert accepted.status_code == 302 and accepted["Location"] == "/portal/"
    assert (tenant.pk, Role.PARTNER_USER, partner.pk, True) in memberships(invitee)


def test_an_invited_account_without_any_access_may_sign_in_to_accept(
    client_as, partner_admin, partner, tenant, mailoutbox, django_capture_on_commit_callbacks
):
    from tests.factories import UserFactory

    lonely = UserFactory(username="lonely", email="lonely@example.com")
    assert Client().post("/portal/login/", {"username": "lonely", "password": PASSWORD}).status_code == 200
    invite(client_as(partner_admin), django_capture_on_commit_callbacks, lonely.email)
    link = link_in(mailoutbox[0])
    browser = Client()
    response = browser.post(f"/portal/login/?next={link}", {"username": "lonely", "password": PASSWORD, "next": link})
    assert response.status_code == 302 and response["Location"] == link
    assert browser.post(link)["Location"] == "/portal/"
    assert memberships(lonely) == {(tenant.pk, Role.PARTNER_USER, partner.pk, True)}


def test_revoke_and_resend_from_the_staff_page(
    client_as, partner_admin, tenant, neighbour, mailoutbox, django_capture_on_commit_callbacks
):
    client = client_as(partner_admin)
    invite(client, django_capture_on_commit_callbacks, "li@xingchen.example")
    with tenant_scope(tenant):
        invitation = Invitation.objects.get()
    first_link = link_in(mailoutbox[0])

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/portal/staff/invitations/{invitation.pk}/resend/")
    second_link = link_in(mailoutbox[1])
    assert second_link != first_link
    assert Client().get(first_link).status_code == 404  # the old link stopped working
    assert Client().get(second_link).status_code == 200

    # Another partner's administrator cannot touch it.
    other_admin = make_member(tenant, Role.PARTNER_ADMIN, partner=neighbour)
    other = Client()
    other.force_login(other_admin)
    assert other.post(f"/portal/staff/invitations/{invitation.pk}/revoke/").status_code == 404

    client.post(f"/portal/staff/invitations/{invitation.pk}/revoke/")
    closed = Client().get(second_link)
    assert closed.status_code == 410 and "withdrawn" in closed.content.decode()
    client.get("/portal/staff/")  # shows (and so clears) the flash messages naming the address
    assert "li@xingchen.example" not in client.get("/portal/staff/").content.decode()


def test_unknown_or_mangled_links_answer_a_page_not_an_error(client):
    for token in ("nope", "x" * 500, "%00"):
        response = client.get(f"/portal/invitations/{token}/")
        assert response.status_code in (400, 404), (token, response.status_code)
    assert "not valid" in client.get("/portal/invitations/nope/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_the_link_opens_in_the_language_chosen_for_the_invitee(
    client_as, partner_admin, mailoutbox, django_capture_on_commit_callbacks
):
    invite(client_as(partner_admin), django_capture_on_commit_callbacks, "he@xingchen.example", language="zh-hans")
    page = Client(HTTP_ACCEPT_LANGUAGE="en").get(link_in(mailoutbox[0])).content.decode()
    assert '<html lang="zh-hans">' in page
