"""Plans, targets and campaigns: lists annotated with their progress and funnel figures."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from channelhub.partners.models import PartnerStatus

from .. import scoring
from ..models import (
    Application,
    ApplicationState,
    Campaign,
    RecruitmentPlan,
    RecruitmentTarget,
)
from ._common import MONEY, _count, _submitted


def plan_list() -> QuerySet[RecruitmentPlan]:
    """Plans with live progress: applications, approved, onboarded, cost so far, target total."""
    applications = Application.objects.filter(_submitted(), plan=OuterRef("pk"))
    cost = (
        Campaign.objects.filter(plan=OuterRef("pk")).order_by().values("plan")
        .annotate(total=Sum("cost")).values("total")[:1]
    )
    targets = (
        RecruitmentTarget.objects.filter(plan=OuterRef("pk")).order_by().values("plan")
        .annotate(total=Sum("target_count")).values("total")[:1]
    )
    return RecruitmentPlan.objects.select_related("owner").annotate(
        application_count=_count(applications, "plan"),
        approved_count=_count(applications.filter(state=ApplicationState.APPROVED), "plan"),
        onboarded_count=_count(applications.filter(partner__isnull=False), "plan"),
        cost_so_far=Coalesce(Subquery(cost, output_field=MONEY), Value(Decimal("0.00")), output_field=MONEY),
        target_total=Coalesce(Subquery(targets, output_field=IntegerField()), Value(0)),
        campaign_count=_count(Campaign.objects.filter(plan=OuterRef("pk")), "plan"),
    )


def target_list(*, plan: RecruitmentPlan | None = None) -> QuerySet[RecruitmentTarget]:
    """Targets with progress: applications of the plan for the type in the region or below it.

    An application counts for a target when it wants that partner type and at least one of
    its regions lies in the target's region subtree; an onboarded partner counts by its own
    region.
    """
    applications = Application.objects.filter(
        _submitted(),
        plan=OuterRef("plan"),
        partner_type=OuterRef("partner_type"),
        regions__path__startswith=OuterRef("region__path"),
    )
    onboarded = Application.objects.filter(
        plan=OuterRef("plan"),
        partner_type=OuterRef("partner_type"),
        partner__region__path__startswith=OuterRef("region__path"),
    )
    queryset = RecruitmentTarget.objects.select_related("plan", "region").annotate(
        application_count=_count(applications, "plan"),
        approved_count=_count(applications.filter(state=ApplicationState.APPROVED), "plan"),
        onboarded_count=_count(onboarded, "plan"),
    )
    if plan is not None:
        queryset = queryset.filter(plan=plan)
    return queryset


@dataclass(frozen=True)
class PlanProgress:
    plan: RecruitmentPlan
    targets: list[RecruitmentTarget]

    @property
    def completion(self) -> Decimal | None:
        """Onboarded partners against the sum of targets, in percent (2 places)."""
        total = self.plan.target_total
        if not total:
            return None
        return scoring.rounded(Decimal(self.plan.onboarded_count) / Decimal(total) * 100)

    @property
    def budget_used(self) -> Decimal | None:
        if not self.plan.budget:
            return None
        return scoring.rounded(Decimal(self.plan.cost_so_far) / Decimal(self.plan.budget) * 100)


def plan_progress(*, plan_id: int) -> PlanProgress:
    """One plan's progress with its targets: two queries."""
    plan = plan_list().get(pk=plan_id)
    return PlanProgress(plan=plan, targets=list(target_list(plan=plan)))


# --------------------------------------------------------------------------- campaigns


def campaign_list() -> QuerySet[Campaign]:
    """Campaigns with their funnel: applications → qualified → approved → onboarded → active."""
    applications = Application.objects.filter(_submitted(), campaign=OuterRef("pk"))
    return Campaign.objects.select_related("plan", "referrer").annotate(
        application_count=_count(applications, "campaign"),
        qualified_count=_count(applications.filter(qualified_at__isnull=False), "campaign"),
        approved_count=_count(applications.filter(state=ApplicationState.APPROVED), "campaign"),
        onboarded_count=_count(applications.filter(partner__isnull=False), "campaign"),
        active_count=_count(applications.filter(partner__status=PartnerStatus.ACTIVE), "campaign"),
    )


def cost_per_recruited(campaign: Campaign) -> Decimal | None:
    """The campaign's cost divided by the partners it brought (onboarded); ``None`` before the first."""
    recruited = getattr(campaign, "onboarded_count", None)
    if recruited is None:
        recruited = campaign.applications.filter(partner__isnull=False).count()
    if not recruited:
        return None
    return scoring.rounded(Decimal(campaign.cost) / Decimal(recruited))


def campaign_by_code(code: str) -> Campaign | None:
    """The current tenant's campaign with this code (case-insensitive), unless cancelled."""
    code = (code or "").strip().upper()
    if not code:
        return None
    return Campaign.objects.filter(code=code).exclude(status="cancelled").select_related("plan").first()
