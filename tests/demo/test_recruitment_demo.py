"""The recruitment demo: every application state, knock-out and duplicate flags, onboarding, a real audit trail."""

from __future__ import annotations

from collections import Counter

import pytest
from django.contrib.auth import authenticate
from django.test import Client
from django.utils import timezone

from channelhub.demo.data import DEMO_PASSWORD, TENANTS
from channelhub.partners.models import PartnerStatus
from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.models import Membership, StateTransition, Tenant
from channelhub.tenancy.roles import Role
from recruitment import selectors
from recruitment.demo import STATE_COUNTS, TEXTS
from recruitment.duplicates import normalise_company_name
from recruitment.models import (
    Application,
    ApplicationDocument,
    ApplicationState,
    ApprovalDecision,
    ApprovalStep,
    Campaign,
    Criterion,
    OnboardingTask,
    RecruitmentPlan,
    RecruitmentTarget,
    ScorecardTemplate,
)

# The package's modules share one seed (tests/demo/conftest.py), so one worker runs them all.
pytestmark = pytest.mark.xdist_group("demo")

S = ApplicationState


@pytest.fixture
def demo(demo_seed):
    """Where the package's seed (12 partners per tenant) wrote its documents."""
    return demo_seed.private


@pytest.fixture
def tenants(demo, db):
    return [Tenant.objects.get(slug=spec.slug) for spec in TENANTS]


def test_configuration_plans_and_campaigns(tenants):
    for tenant in tenants:
        texts = TEXTS[tenant.slug]
        with tenant_scope(tenant):
            assert Criterion.objects.count() == 6
            assert Criterion.objects.filter(knockout_threshold__isnull=False).count() == 2
            assert set(Criterion.objects.values_list("category", flat=True)) == {
                "legal_compliance", "business_strength", "capability", "brand_image", "experience",
                "market_influence"}
            assert ScorecardTemplate.objects.count() == 1 + len(texts.templates)
            assert list(ApprovalStep.objects.values_list("role", flat=True)) == [
                Role.CHANNEL_MANAGER, Role.OWNER, Role.LEGAL]
            assert RecruitmentPlan.objects.filter(status="active").count() == 2
            assert RecruitmentTarget.objects.count() >= 5
            campaigns = list(Campaign.objects.all())
            assert 5 <= len(campaigns) <= 6
            assert {"exhibition", "advertising", "referral", "website", "media"} <= {c.source for c in campaigns}
            referral = next(c for c in campaigns if c.source == "referral")
            assert referral.referrer is not None and referral.referrer.status == PartnerStatus.ACTIVE
            assert all(c.cost > 0 for c in campaigns)


def test_applications_in_every_state(tenants):
    for tenant in tenants:
        with tenant_scope(tenant):
            states = Counter(Application.objects.values_list("state", flat=True))
            assert states == STATE_COUNTS
            assert set(states) == set(S.values)
            in_review = Application.objects.filter(state=S.IN_REVIEW)
            assert set(in_review.values_list("current_step__order", flat=True)) == {1, 2, 3}
            scorecards = Counter(
                len(app.scorecards.all()) for app in Application.objects.filter(state=S.SCORING)
                .prefetch_related("scorecards")
            )
            assert {0, 1, 2} <= set(scorecards)  # not yet scored, one reviewer of two, both
            assert Application.objects.filter(state=S.IN_REVIEW, decisions__decision="return").exists()


def test_a_knock_out_and_a_duplicate_are_flagged(tenants):
    for tenant in tenants:
        with tenant_scope(tenant):
            knocked = [
                app for app in Application.objects.filter(state__in=[S.SCORING, S.REJECTED])
                if selectors.score_summary(application=app).knocked_out
            ]
            assert {app.state for app in knocked} == {S.SCORING, S.REJECTED}
            duplicate = Application.objects.filter(has_duplicates=True, state=S.SCREENING).first()
            flag = next(f for f in duplicate.duplicate_flags if f["kind"] == "partner")
            assert flag["match"] == "credit_code" and flag["credit_code"] == duplicate.credit_code
            assert normalise_company_name(flag["name"]) == normalise_company_name(duplicate.legal_name)
            assert flag["name"] != duplicate.legal_name


def test_approved_applications_became_onboarding_partners(tenants):
    for tenant in tenants:
        texts = TEXTS[tenant.slug]
        with tenant_scope(tenant):
            approved = list(Application.objects.filter(state=S.APPROVED).select_related("partner"))
            assert len(approved) == 6 and all(app.partner_id for app in approved)
            statuses = Counter(app.partner.status for app in approved)
            assert statuses[PartnerStatus.ONBOARDING] >= 3 and statuses[PartnerStatus.ACTIVE] >= 2
            done = sorted(
                OnboardingTask.objects.filter(partner=app.partner, done_at__isnull=False).count() for app in approved
            )
            assert done[0] == 0 and done[-1] == len(texts.checklist) and {1, 2} <= set(done)
            assert all(ApplicationDocument.objects.filter(partner=app.partner).exists() for app in approved)
            assert all(app.decisions.filter(decision="approve").count() >= 3 for app in approved)
        user = authenticate(username=texts.new_partner_admin, password=DEMO_PASSWORD)
        assert user is not None
        membership = Membership.all_tenants.get(user=user, tenant=tenant)
        assert membership.role == Role.PARTNER_ADMIN
        client = Client()
        client.force_login(user)
        client.cookies["django_language"] = "en"
        page = client.get("/portal/").content.decode()
        assert "Onboarding checklist" in page and "2 of 4 done" in page


def test_the_story_is_in_the_past_and_audited(tenants, demo):
    now = timezone.now()
    for tenant in tenants:
        with tenant_scope(tenant):
            for app in Application.objects.exclude(state=S.DRAFT):
                moves = StateTransition.objects.filter(object_id=app.pk, workflow="recruitment.application")
                assert moves.filter(to_state=S.SUBMITTED).exists()
                assert moves.first().to_state == app.state  # newest first
                assert app.submitted_at < now
                if app.decided_at:
                    assert app.submitted_at < app.decided_at < now
                assert app.history.count() >= moves.count()
            times = list(Application.objects.exclude(submitted_at=None).order_by("submitted_at").values_list(
                "submitted_at", flat=True))
            first, last = times[0], times[-1]
            assert (last - first).days > 30  # spread over weeks, not seeded in one second
            decisions = ApprovalDecision.objects.all()
            assert decisions.filter(decision="reject").count() >= 3
            for document in ApplicationDocument.objects.all()[:5]:
                assert (demo / document.file.name).exists()
