"""Plan progress, target progress and campaign funnels, computed by the database."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from channelhub.partners.models import PartnerStatus, PartnerType
from channelhub.tenancy.context import tenant_scope
from recruitment import selectors, services
from recruitment.models import Application, ApplicationState, Decision
from tests.factories import RegionFactory

from .conftest import move
from .factories import ApplicationFactory, CampaignFactory, RecruitmentPlanFactory, RecruitmentTargetFactory

S = ApplicationState


@pytest.fixture
def plan_setup(tenant, region, in_review, people):
    """A plan with two campaigns and a funnel: 1 draft, 3 submitted, 1 qualified+, 1 approved (active)."""
    with tenant_scope(tenant):
        shanghai = RegionFactory(code="SH", name="上海", parent=region, level="province")
        plan = RecruitmentPlanFactory(budget=D("100000"))
        expo = CampaignFactory(plan=plan, code="EXPO", cost=D("30000"))
        ads = CampaignFactory(plan=plan, code="ADS", source="advertising", cost=D("12000.50"))
        RecruitmentTargetFactory(plan=plan, region=region, partner_type=PartnerType.DISTRIBUTOR, target_count=4)
        RecruitmentTargetFactory(plan=plan, region=shanghai, partner_type=PartnerType.DISTRIBUTOR, target_count=2)
        RecruitmentTargetFactory(plan=plan, region=region, partner_type=PartnerType.RETAILER, target_count=3)
        ApplicationFactory(campaign=expo, regions=[region])  # a draft: not counted
        for _ in range(2):
            app = ApplicationFactory(campaign=ads, regions=[shanghai])
            move(app, S.SUBMITTED)
    approved = in_review(campaign=expo, regions=[shanghai])
    with tenant_scope(tenant):
        for who in ("manager", "director", "legal"):
            services.application_decide(application=approved, actor=people[who], decision=Decision.APPROVE)
        approved.refresh_from_db()
        for key in ("sign_agreement", "orientation_course", "portal_users"):
            services.onboarding_task_complete(partner=approved.partner, key=key, actor=None)
    return {"plan": plan, "expo": expo, "ads": ads, "approved": approved, "shanghai": shanghai}


def test_plan_progress(tenant, plan_setup):
    with tenant_scope(tenant):
        progress = selectors.plan_progress(plan_id=plan_setup["plan"].pk)
    plan = progress.plan
    assert (plan.application_count, plan.approved_count, plan.onboarded_count) == (3, 1, 1)
    assert plan.cost_so_far == D("42000.50")
    assert plan.target_total == 9
    assert plan.campaign_count == 2
    assert progress.completion == D("11.11")  # 1 / 9
    assert progress.budget_used == D("42.00")  # 42000.50 / 100000 → 42.0005 → 42.00
    by_cell = {(t.region.code, t.partner_type): t for t in progress.targets}
    east = by_cell[("EAST", "distributor")]
    assert (east.application_count, east.approved_count, east.onboarded_count) == (3, 1, 1)
    shanghai = by_cell[("SH", "distributor")]
    assert (shanghai.application_count, shanghai.onboarded_count) == (3, 1)
    retail = by_cell[("EAST", "retailer")]
    assert (retail.application_count, retail.onboarded_count) == (0, 0)


def test_campaign_funnel_and_cost_per_recruited_partner(tenant, plan_setup):
    with tenant_scope(tenant):
        campaigns = {c.code: c for c in selectors.campaign_list()}
    expo, ads = campaigns["EXPO"], campaigns["ADS"]
    assert (expo.application_count, expo.qualified_count, expo.approved_count, expo.active_count) == (1, 1, 1, 1)
    assert (ads.application_count, ads.qualified_count, ads.approved_count, ads.active_count) == (2, 0, 0, 0)
    assert selectors.cost_per_recruited(expo) == D("30000.00")
    assert selectors.cost_per_recruited(ads) is None
    with tenant_scope(tenant):
        assert plan_setup["approved"].partner.status == PartnerStatus.ACTIVE


def test_campaign_by_code_is_case_insensitive_and_skips_cancelled(tenant, plan_setup, people):
    with tenant_scope(tenant):
        assert selectors.campaign_by_code(" expo ") == plan_setup["expo"]
        services.campaign_transition(campaign=plan_setup["ads"], to_status="cancelled", actor=people["manager"])
        assert selectors.campaign_by_code("ADS") is None
        assert selectors.campaign_by_code("") is None


def test_list_query_counts_do_not_grow_with_rows(tenant, region):
    def count_queries():
        with tenant_scope(tenant), CaptureQueriesContext(connection) as ctx:
            list(selectors.plan_list())
            list(selectors.campaign_list())
            list(selectors.target_list())
            apps = list(selectors.application_list())
            for app in apps:
                list(app.regions.all())
                _ = (app.campaign, app.plan, app.current_step, app.partner)
        return len(ctx.captured_queries)

    with tenant_scope(tenant):
        plan = RecruitmentPlanFactory()
        RecruitmentTargetFactory(plan=plan, region=region)
        ApplicationFactory(campaign=CampaignFactory(plan=plan), regions=[region])
    few = count_queries()
    with tenant_scope(tenant):
        for _ in range(5):
            other = RecruitmentPlanFactory()
            RecruitmentTargetFactory(plan=other, region=region)
            ApplicationFactory(campaign=CampaignFactory(plan=other), regions=[region, RegionFactory()])
    assert count_queries() == few


def test_plan_is_set_from_the_campaign(tenant, region):
    with tenant_scope(tenant):
        campaign = CampaignFactory()
        application = ApplicationFactory(campaign=campaign)
        application.full_clean()
        assert Application.objects.get(pk=application.pk).campaign == campaign
        assert application.plan_id == campaign.plan_id


def test_plan_list_counts_active_partners_as_the_reports_do(tenant, plan_setup):
    from channelhub.partners import services as partner_services
    from channelhub.partners.models import PartnerStatus

    with tenant_scope(tenant):
        plan = selectors.plan_list().get(pk=plan_setup["plan"].pk)
        assert (plan.onboarded_count, plan.active_count) == (1, 1)  # its checklist done, the partner is active
        partner_services.partner_transition(partner=plan_setup["approved"].partner,
                                            to_status=PartnerStatus.SUSPENDED, actor=None, reason="test")
        plan = selectors.plan_list().get(pk=plan_setup["plan"].pk)
        assert (plan.onboarded_count, plan.active_count) == (1, 0)  # converted once, not active now
