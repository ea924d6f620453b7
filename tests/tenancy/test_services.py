"""Memberships, invitations, API keys and workflow transitions as services."""

from __future__ import annotations

import threading

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from channelhub.partners.models import PARTNER_LIFECYCLE, PartnerStatus
from channelhub.partners.services import partner_transition
from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.models import ApiKey, Membership, StateTransition, User
from channelhub.tenancy.roles import Role
from channelhub.tenancy.services import (
    api_key_authenticate,
    api_key_create,
    api_key_revoke,
    membership_deactivate,
    membership_grant,
)
from channelhub.tenancy.workflow import IllegalTransition
from tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db


def test_granting_a_role_to_a_new_address_invites_in_their_language(tenant, django_capture_on_commit_callbacks):
    with tenant_scope(tenant):
        partner = PartnerFactory()
    with django_capture_on_commit_callbacks(execute=True):
        invitation = membership_grant(
            tenant=tenant, actor=None, email="Li.Lei@Partner.example", role=Role.PARTNER_ADMIN,
            partner=partner, language="zh-hans",
        )
    assert invitation.created_user
    user = invitation.membership.user
    assert user.email == "li.lei@partner.example" and not user.has_usable_password()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["li.lei@partner.example"]
    assert "/portal/reset/" in message.body
    assert "邀请" in message.subject  # the user's language, not the tenant's (en)


def test_granting_to_an_existing_user_adds_a_role_and_tells_them(
    tenant, other_tenant, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = membership_grant(tenant=other_tenant, actor=None, email=manager.email, role=Role.TRAINER)
    assert not invitation.created_user
    assert invitation.membership.user == manager
    assert Membership.all_tenants.filter(user=manager).count() == 2
    # Not a set-password link: they already have a password; just where to sign in.
    [message] = mail.outbox
    assert "Beta Insurance" in message.subject and "/portal/login/" in message.body
    assert "/portal/reset/" not in message.body


def test_granting_an_existing_role_again_sends_nothing(tenant, manager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        membership_grant(tenant=tenant, actor=None, email=manager.email, role=Role.CHANNEL_MANAGER)
    assert not mail.outbox


def test_partner_role_needs_a_partner_of_the_same_tenant(tenant, other_tenant):
    with pytest.raises(ValidationError):
        membership_grant(tenant=tenant, actor=None, email="a@b.example", role=Role.PARTNER_USER)
    with tenant_scope(other_tenant):
        foreign = PartnerFactory()
    with pytest.raises(ValidationError):
        membership_grant(tenant=tenant, actor=None, email="a@b.example", role=Role.PARTNER_USER, partner=foreign)
    assert not User.objects.filter(email="a@b.example").exists()


def test_partner_admin_cannot_lock_themself_out(tenant, member):
    admin = member(Role.PARTNER_ADMIN)
    with tenant_scope(tenant):
        membership = Membership.objects.get(user=admin)
        with pytest.raises(PermissionDenied):
            membership_deactivate(membership=membership, actor=admin)
        membership.refresh_from_db()
    assert membership.is_active


def test_api_keys_authenticate_until_revoked(tenant, owner):
    issued = api_key_create(tenant=tenant, actor=owner, name="BI", role=Role.FINANCE)
    assert issued.secret.startswith("chk_")
    assert api_key_authenticate(issued.secret) == issued.api_key
    assert api_key_authenticate(issued.secret + "x") is None
    assert api_key_authenticate("not a key") is None
    with tenant_scope(tenant):
        api_key_revoke(api_key=issued.api_key, actor=owner)
    assert api_key_authenticate(issued.secret) is None
    assert not ApiKey.all_tenants.get(pk=issued.api_key.pk).service_user.is_active


def test_every_allowed_partner_move_is_accepted_and_others_refused(in_tenant):
    for source in PartnerStatus.values:
        for target in PartnerStatus.values:
            partner = PartnerFactory()
            type(partner).objects.filter(pk=partner.pk).update(status=source)
            partner.refresh_from_db()
            if PARTNER_LIFECYCLE.can(source, target):
                partner_transition(partner=partner, to_status=target, actor=None)
                partner.refresh_from_db()
                assert partner.status == target
            else:
                with pytest.raises(IllegalTransition):
                    partner_transition(partner=partner, to_status=target, actor=None)
                partner.refresh_from_db()
                assert partner.status == source


def test_a_stale_second_decision_is_refused(in_tenant):
    partner = PartnerFactory()
    first = type(partner).objects.get(pk=partner.pk)
    second = type(partner).objects.get(pk=partner.pk)  # loaded before the first decision lands
    partner_transition(partner=first, to_status=PartnerStatus.ONBOARDING, actor=None)
    with pytest.raises(IllegalTransition):
        partner_transition(partner=second, to_status=PartnerStatus.TERMINATED, actor=None)
    partner.refresh_from_db()
    assert partner.status == PartnerStatus.ONBOARDING
    assert StateTransition.objects.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrency needs PostgreSQL")
def test_concurrent_decisions_cannot_both_win(tenant):
    with tenant_scope(tenant):
        partner = PartnerFactory()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def decide(target: str) -> None:
        try:
            with tenant_scope(tenant):
                stale = type(partner).objects.get(pk=partner.pk)
                barrier.wait()
                partner_transition(partner=stale, to_status=target, actor=None)
                outcomes.append("won")
        except IllegalTransition:
            outcomes.append("refused")
        finally:
            connection.close()

    targets = (PartnerStatus.ONBOARDING, PartnerStatus.TERMINATED)
    threads = [threading.Thread(target=decide, args=(target,)) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused", "won"]
    with tenant_scope(tenant):
        assert StateTransition.objects.count() == 1


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [("芳", "王", "王芳"), ("李晓峰", "", "李晓峰"), ("Fang", "Wang", "Fang Wang"), ("", "", "")],
)
def test_names_are_written_as_their_owners_write_them(first, last, expected):
    assert User(username="u", first_name=first, last_name=last).get_full_name() == expected


def test_invitations_sent_outside_a_request_link_to_the_site(tenant, settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://prm.example.com"
    with django_capture_on_commit_callbacks(execute=True):
        membership_grant(tenant=tenant, actor=None, email="new@example.com", role=Role.TRAINER)
    assert "https://prm.example.com/portal/reset/" in mail.outbox[0].body
