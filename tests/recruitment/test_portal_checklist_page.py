"""The portal's onboarding checklist page (/portal/recruitment/checklist/): a partner's own steps only."""

from __future__ import annotations

import datetime

from django.test import Client
from django.utils import timezone

from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.roles import Role
from tests.conftest import make_member
from tests.factories import PartnerFactory

from .factories import OnboardingTaskFactory

URL = "/portal/recruitment/checklist/"


def page(user, path=URL, language="en"):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    client.cookies["django_language"] = language
    return client.get(path)


def two_partners(tenant):
    """Partner 1 with three steps (one done on 2026-03-04, one optional), partner 2 with its own step."""
    with tenant_scope(tenant):
        first, second = PartnerFactory(legal_name="第一公司"), PartnerFactory(legal_name="第二公司")
        done = timezone.make_aware(datetime.datetime(2026, 3, 4, 10, 0))
        OnboardingTaskFactory(partner=first, key="agreement", name="FIRST-SIGN-AGREEMENT", order=1, done_at=done)
        OnboardingTaskFactory(partner=first, key="training", name="FIRST-TRAINING", order=2)
        OnboardingTaskFactory(partner=first, key="logo", name="FIRST-LOGO", order=3, required=False)
        OnboardingTaskFactory(partner=second, key="agreement", name="SECOND-ONLY-STEP", order=1)
    return first, second


def test_partner_sees_its_own_steps_with_their_dates_not_the_other_partners(tenant):
    first, second = two_partners(tenant)
    for role in (Role.PARTNER_ADMIN, Role.PARTNER_USER):
        response = page(make_member(tenant, role, partner=first))
        assert response.status_code == 200
        body = response.content.decode()
        assert body.index("FIRST-SIGN-AGREEMENT") < body.index("FIRST-TRAINING") < body.index("FIRST-LOGO")
        assert "Done on 2026-03-04" in body
        assert "1 of 3 done" in body and "1 required step is still open" in body
        assert "SECOND-ONLY-STEP" not in body and "第二公司" not in body

    other = page(make_member(tenant, Role.PARTNER_USER, partner=second)).content.decode()
    assert "SECOND-ONLY-STEP" in other and "FIRST-" not in other


def test_navigation_links_the_page_with_a_badge_of_open_required_steps(tenant):
    first, _second = two_partners(tenant)
    body = page(make_member(tenant, Role.PARTNER_USER, partner=first), "/portal/").content.decode()
    # Partner 1 has one open required step (the optional one is not counted, partner 2's neither).
    assert f'<a href="{URL}">Onboarding <span class="badge count">1</span></a>' in body


def test_partner_without_checklist_is_told_so_and_has_no_badge(tenant):
    with tenant_scope(tenant):
        partner = PartnerFactory()
    response = page(make_member(tenant, Role.PARTNER_ADMIN, partner=partner))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Your company has no onboarding checklist." in body
    assert f'<a href="{URL}" aria-current="page">Onboarding</a>' in body


def test_tenant_staff_are_sent_to_the_admin_and_visitors_to_sign_in(tenant):
    response = page(make_member(tenant, Role.CHANNEL_MANAGER))
    assert response.status_code == 302 and response["Location"].startswith("/admin/")
    assert Client().get(URL).status_code == 302
