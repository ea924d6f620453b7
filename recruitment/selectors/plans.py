"""Plans, targets and campaigns: lists annotated with their progress and funnel figures."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from channelhub.partners.models import PartnerStatus
from channelhub.tenancy.managers import TenantScopedQuerySet

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
        # The reports' "active partners": approved applications whose partner is active now.
        active_count=_count(applications.filter(partner__status=PartnerStatus.ACTIVE), "plan"),
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


CAMPAIGN_STAGES = {
    "application_count": Q(),
    "qualified_count": Q(qualified_at__isnull=False),
    "approved_count": Q(state=ApplicationState.APPROVED),
    "onboarded_count": Q(partner__isnull=False),
    "active_count": Q(partner__status=PartnerStatus.ACTIVE),
}


class CampaignListQuerySet(TenantScopedQuerySet):
    """Campaigns that arrive with their funnel counts, counted for the rows fetched only.

    Five correlated subqueries per campaign read the campaign's applications five times over,
    for every campaign the database reads (and a GROUP BY over the join sorted every
    application row with the campaign's columns). Here the campaigns are fetched first (the
    page's LIMIT applied), then one narrow ``GROUP BY campaign`` over the applications of those
    campaigns fills ``application_count`` … ``active_count``.
    """

    def _fetch_all(self) -> None:
        fresh = self._result_cache is None
        super()._fetch_all()
        if fresh and self._result_cache and isinstance(self._result_cache[0], Campaign):
            counts = campaign_funnel_counts([campaign.pk for campaign in self._result_cache])
            for campaign in self._result_cache:
                for name, value in counts.get(campaign.pk, dict.fromkeys(CAMPAIGN_STAGES, 0)).items():
                    setattr(campaign, name, value)


def campaign_funnel_counts(campaign_ids: list[int]) -> dict[int, dict[str, int]]:
    """``{campaign id: {stage: submitted applications}}`` for these campaigns: one GROUP BY."""
    rows = (
        Application.objects.filter(_submitted(), campaign_id__in=campaign_ids).order_by().values("campaign_id")
        .annotate(**{name: Count("pk", filter=condition) if condition else Count("pk")
                     for name, condition in CAMPAIGN_STAGES.items()})
    )
    return {row.pop("campaign_id"): row for row in rows}


def campaign_list() -> QuerySet[Campaign]:
    """Campaigns with their funnel: applications → qualified → approved → onboarded → active.

    The counts are attributes filled when the rows are fetched (``CampaignListQuerySet``), not
    SQL annotations: the list cannot be ordered by them.
    """
    queryset = Campaign.objects.select_related("plan", "referrer")
    queryset.__class__ = CampaignListQuerySet  # clones keep the class: filters, slices, get()
    return queryset


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
