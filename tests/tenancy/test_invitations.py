"""Invitation services: who may invite, what is stored, renewal, expiry, revocation and acceptance rules."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.models import Invitation, InvitationState, Membership, User
from channelhub.tenancy.roles import Role
from channelhub.tenancy.services import (
    InvitationClosed,
    MembershipConflict,
    invitation_accept,
    invitation_accept_new_account,
    invitation_create,
    invitation_resend,
    invitation_revoke,
)
from tests.conftest import make_member
from tests.factories import PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner(tenant):
    with tenant_scope(tenant):
        return PartnerFactory()


@pytest.fixture
def partner_admin(tenant, partner):
    return make_member(tenant, Role.PARTNER_ADMIN, partner=partner)


def token_of(message) -> str:
    return re.search(r"/portal/invitations/([^/\s]+)/", message.body).group(1)


@pytest.fixture(autouse=True)
def _english():
    """The services' messages are in the active language: these tests read them in English, whatever an
    earlier test on the same worker left active (alone, the suite's default language is Chinese)."""
    with translation.override("en"):
        yield


def test_inviting_stores_what_was_typed_and_only_the_tokens_hash(
    tenant, partner, partner_admin, mailoutbox, django_capture_on_commit_callbacks
):
    users = User.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_create(tenant=tenant, actor=partner_admin, email=" Li.Na@Example.com ",
                                       role=Role.PARTNER_USER, partner=partner, first_name="Na", language="zh-hans")
    assert User.objects.count() == users
    token = token_of(mailoutbox[0])
    assert invitation.email == "Li.Na@Example.com" and invitation.email_key == "li.na@example.com"
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    with tenant_scope(tenant):
        stored = Invitation.objects.filter(pk=invitation.pk).values().get()
    assert token not in repr(stored)
    assert invitation.state == InvitationState.PENDING
    assert timedelta(days=13) < invitation.expires_at - timezone.now() <= timedelta(days=14)
    with tenant_scope(tenant):
        record = invitation.history.first()
    assert (record.history_user, record.history_change_reason) == (partner_admin, "Invitation sent")


def test_a_partner_admin_invites_only_partner_roles_of_their_own_partner(tenant, partner, partner_admin):
    with tenant_scope(tenant):
        other_partner = PartnerFactory()
    with pytest.raises(PermissionDenied):
        invitation_create(tenant=tenant, actor=partner_admin, email="a@example.com", role=Role.PARTNER_USER,
                          partner=other_partner)
    with pytest.raises(PermissionDenied):
        invitation_create(tenant=tenant, actor=partner_admin, email="a@example.com", role=Role.CHANNEL_MANAGER)
    with pytest.raises(PermissionDenied):
        invitation_create(tenant=tenant, actor=make_member(tenant, Role.PARTNER_USER, partner=partner),
                          email="a@example.com", role=Role.PARTNER_USER, partner=partner)
    with tenant_scope(tenant):
        assert not Invitation.objects.exists()


def test_owners_invite_any_role_and_other_staff_none(tenant, owner, manager, partner):
    invitation_create(tenant=tenant, actor=owner, email="finance@example.com", role=Role.FINANCE)
    invitation_create(tenant=tenant, actor=owner, email="pa@example.com", role=Role.PARTNER_ADMIN, partner=partner)
    with pytest.raises(PermissionDenied):
        invitation_create(tenant=tenant, actor=manager, email="t@example.com", role=Role.TRAINER)
    with tenant_scope(tenant):
        assert Invitation.objects.count() == 2


def test_inviting_again_renews_the_pending_invitation(
    tenant, partner, partner_admin, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = invitation_create(tenant=tenant, actor=partner_admin, email="wang@example.com",
                                  role=Role.PARTNER_USER, partner=partner)
        again = invitation_create(tenant=tenant, actor=partner_admin, email="WANG@example.com",
                                  role=Role.PARTNER_ADMIN, partner=partner)
    assert again.pk == first.pk
    with tenant_scope(tenant):
        assert Invitation.objects.get().role == Role.PARTNER_ADMIN
    assert token_of(mailoutbox[0]) != token_of(mailoutbox[1])


def test_expired_invitations_cannot_be_accepted_until_resent(
    tenant, partner, partner_admin, mailoutbox, django_capture_on_commit_callbacks
):
    invitation = invitation_create(tenant=tenant, actor=partner_admin, email="late@example.com",
                                   role=Role.PARTNER_USER, partner=partner)
    with tenant_scope(tenant):
        Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
        invitation.refresh_from_db()
    assert invitation.current_state == InvitationState.EXPIRED
    with pytest.raises(InvitationClosed, match="expired"):
        invitation_accept_new_account(invitation=invitation, username="late", password="Late-Secret-2026")
    assert not User.objects.filter(username="late").exists()

    with django_capture_on_commit_callbacks(execute=True):
        invitation_resend(invitation=invitation, actor=partner_admin)
    assert invitation.current_state == InvitationState.PENDING
    membership = invitation_accept_new_account(invitation=invitation, username="late", password="Late-Secret-2026")
    assert membership.partner == partner


def test_revoked_invitations_cannot_be_accepted(tenant, partner, partner_admin):
    invitation = invitation_create(tenant=tenant, actor=partner_admin, email="gone@example.com",
                                   role=Role.PARTNER_USER, partner=partner)
    invitation_revoke(invitation=invitation, actor=partner_admin)
    with pytest.raises(InvitationClosed):
        invitation_accept_new_account(invitation=invitation, username="gone", password="Gone-Secret-2026")
    with pytest.raises(InvitationClosed):
        invitation_revoke(invitation=invitation, actor=partner_admin)


def test_acceptance_keeps_one_partner_per_person_and_tells_the_invitee(tenant, partner, partner_admin):
    with tenant_scope(tenant):
        neighbour = PartnerFactory()
    busy = make_member(tenant, Role.PARTNER_USER, partner=neighbour, email="busy@example.com")
    staff = make_member(tenant, Role.TRAINER, email="staff@example.com")
    for person in (busy, staff):
        invitation = invitation_create(tenant=tenant, actor=partner_admin, email=person.email,
                                       role=Role.PARTNER_USER, partner=partner)
        with pytest.raises(MembershipConflict, match="already work in"):
            invitation_accept(invitation=invitation, user=person)
        with tenant_scope(tenant):
            assert not Membership.objects.filter(user=person, partner=partner).exists()
            assert Invitation.objects.get(pk=invitation.pk).state == InvitationState.PENDING


def test_only_the_invited_address_can_accept(tenant, partner, partner_admin):
    invitation = invitation_create(tenant=tenant, actor=partner_admin, email="right@example.com",
                                   role=Role.PARTNER_USER, partner=partner)
    wrong = UserFactory(email="wrong@example.com")
    with pytest.raises(PermissionDenied):
        invitation_accept(invitation=invitation, user=wrong)
    right = UserFactory(email="Right@Example.com")
    with pytest.raises(PermissionDenied):  # the address has an account: sign in as it, no second account
        invitation_accept_new_account(invitation=invitation, username="right2", password="Right-Secret-2026")
    membership = invitation_accept(invitation=invitation, user=right)
    assert (membership.user, membership.role, membership.partner) == (right, Role.PARTNER_USER, partner)
    with pytest.raises(InvitationClosed):
        invitation_accept(invitation=invitation, user=right)


def test_a_foreign_partner_is_refused(tenant, other_tenant, owner):
    with tenant_scope(other_tenant):
        foreign = PartnerFactory()
    with pytest.raises(ValidationError):
        invitation_create(tenant=tenant, actor=owner, email="a@example.com", role=Role.PARTNER_USER, partner=foreign)
