"""The recruitment reports: funnel, time to decision, reviewer workload, state counts."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

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
from django.utils import timezone
from django.utils.translation import gettext as _

from channelhub.partners.models import PartnerStatus, PartnerType, Region
from channelhub.tenancy.models import User

from .. import scoring
from ..models import (
    Application,
    ApplicationState,
    Campaign,
    RecruitmentPlan,
    ReviewerAssignment,
    Scorecard,
)
from ._common import MONEY, _submitted

#
# Each report reads a fixed number of queries however many rows it has (tests assert it);
# ``recruitment.reports`` turns these rows into tables, charts and CSV/XLSX files.

FUNNEL_STAGES = ("applications", "qualified", "approved", "active")
FUNNEL_GROUPS = ("plan", "campaign", "region", "partner_type")
DECISION_GROUPS = ("outcome", "partner_type", "month")


@dataclass
class FunnelRow:
    """One group of submitted applications and how far they got (drafts are not counted)."""

    key: str
    label: str
    applications: int = 0
    qualified: int = 0  # passed screening (entered scoring at least once)
    approved: int = 0
    active: int = 0  # became a partner that is active now
    cost: Decimal | None = None  # campaigns and plans: what they cost

    @property
    def approval_rate(self) -> Decimal | None:
        return scoring.rounded(Decimal(self.approved) * 100 / self.applications) if self.applications else None

    @property
    def cost_per_approved(self) -> Decimal | None:
        if self.cost is None or not self.approved:
            return None
        return scoring.rounded(Decimal(self.cost) / self.approved)


def _funnel_counts() -> dict:
    return {
        "applications": Count("pk", distinct=True),
        "qualified": Count("pk", filter=Q(qualified_at__isnull=False), distinct=True),
        "approved": Count("pk", filter=Q(state=ApplicationState.APPROVED), distinct=True),
        "active": Count("pk", filter=Q(partner__status=PartnerStatus.ACTIVE), distinct=True),
    }


def _submitted_applications() -> QuerySet[Application]:
    return Application.objects.filter(_submitted())


class _SubqueryCount(Subquery):
    """``(SELECT COUNT(DISTINCT id) FROM (<subquery>))``: rows of a correlated subquery, joins deduplicated."""

    template = "(SELECT COUNT(DISTINCT _rows.id) FROM (%(subquery)s) _rows)"
    output_field = IntegerField()


def funnel(*, by: str) -> list[FunnelRow]:
    """The recruitment funnel grouped ``by`` plan, campaign, region (sales area) or partner type.

    Plans and campaigns list every one of them (zero rows too) plus a row for applications
    without one. Regions are the top-level sales areas; an application counts in every area
    it wants a region in, so area rows can add up to more than the total.
    """
    if by not in FUNNEL_GROUPS:
        raise ValueError(f"unknown funnel grouping {by!r}")
    if by == "region":
        return _funnel_by_area()
    if by == "partner_type":
        labels = dict(PartnerType.choices)
        counted = _submitted_applications().order_by().values("partner_type").annotate(**_funnel_counts())
        rows = [FunnelRow(key=row["partner_type"], label=str(labels.get(row["partner_type"], row["partner_type"])),
                          **{stage: row[stage] for stage in FUNNEL_STAGES}) for row in counted]
        return sorted(rows, key=lambda row: (-row.applications, row.label))
    field = f"{by}_id"
    counted = {
        row[field]: row
        for row in _submitted_applications().order_by().values(field).annotate(**_funnel_counts())
    }
    if by == "plan":
        cost = (
            Campaign.objects.filter(plan=OuterRef("pk")).order_by().values("plan")
            .annotate(total=Sum("cost")).values("total")[:1]
        )
        plans = RecruitmentPlan.objects.order_by("-start_date", "name").annotate(
            campaign_cost=Coalesce(Subquery(cost, output_field=MONEY), Value(Decimal("0.00")), output_field=MONEY)
        )
        groups = [(plan.pk, plan.name, plan.campaign_cost) for plan in plans]
        none_label = _("No plan")
    else:
        groups = [(c.pk, f"{c.name} ({c.code})", c.cost) for c in Campaign.objects.order_by("-start_date", "name")]
        none_label = _("No campaign")
    rows = []
    for pk, label, cost in groups:
        counts = counted.get(pk, {})
        rows.append(FunnelRow(key=str(pk), label=label, cost=cost,
                              **{stage: counts.get(stage, 0) for stage in FUNNEL_STAGES}))
    if None in counted:
        rows.append(FunnelRow(key="", label=str(none_label),
                              **{stage: counted[None][stage] for stage in FUNNEL_STAGES}))
    return rows


def _funnel_by_area() -> list[FunnelRow]:
    def count(extra: Q | None = None):
        inner = _submitted_applications().filter(extra or Q(), regions__path__startswith=OuterRef("path"))
        return _SubqueryCount(inner.order_by().values("id"))

    areas = Region.objects.filter(parent__isnull=True).order_by("path").annotate(
        n_applications=count(),
        n_qualified=count(Q(qualified_at__isnull=False)),
        n_approved=count(Q(state=ApplicationState.APPROVED)),
        n_active=count(Q(partner__status=PartnerStatus.ACTIVE)),
    )
    return [
        FunnelRow(key=area.code, label=area.display_name,
                  **{stage: getattr(area, f"n_{stage}") for stage in FUNNEL_STAGES})
        for area in areas
    ]


def funnel_total(rows: list[FunnelRow]) -> FunnelRow:
    """All submitted applications once (not the sum of the rows, which may count one twice)."""
    counts = _submitted_applications().aggregate(**_funnel_counts())
    return FunnelRow(key="total", label=str(_("All applications")), **counts)


@dataclass
class DecisionRow:
    """Days from submission to the decision (approved or rejected), for one group."""

    key: str
    label: str
    decided: int
    approved: int
    rejected: int
    average_days: Decimal | None
    median_days: Decimal | None
    fastest_days: Decimal | None
    slowest_days: Decimal | None


def _days(seconds: float) -> Decimal:
    return Decimal(str(seconds / 86400))


def _decision_row(key: str, label: str, items: list[tuple[str, float]]) -> DecisionRow:
    durations = sorted(_days(seconds) for _state, seconds in items)
    one_place = Decimal("0.1")

    def shown(value):
        return None if value is None else value.quantize(one_place, rounding=ROUND_HALF_UP)

    median = None
    if durations:
        middle = len(durations) // 2
        median = durations[middle] if len(durations) % 2 else (durations[middle - 1] + durations[middle]) / 2
    return DecisionRow(
        key=key, label=label, decided=len(items),
        approved=sum(1 for state, _s in items if state == ApplicationState.APPROVED),
        rejected=sum(1 for state, _s in items if state == ApplicationState.REJECTED),
        average_days=shown(scoring.mean(durations)), median_days=shown(median),
        fastest_days=shown(durations[0] if durations else None),
        slowest_days=shown(durations[-1] if durations else None),
    )


def time_to_decision(*, by: str = "outcome") -> list[DecisionRow]:
    """Days from ``submitted_at`` to ``decided_at`` of approved and rejected applications (one query).

    Withdrawn applications are not decisions and are left out. ``by``: ``outcome`` (approved,
    rejected, all), ``partner_type`` or ``month`` (of the decision, in the tenant's time zone).
    """
    if by not in DECISION_GROUPS:
        raise ValueError(f"unknown grouping {by!r}")
    decided = Application.objects.filter(
        state__in=[ApplicationState.APPROVED, ApplicationState.REJECTED],
        submitted_at__isnull=False, decided_at__isnull=False,
    ).order_by("decided_at").values_list("state", "partner_type", "submitted_at", "decided_at")
    items = [(state, ptype, decided_at, (decided_at - submitted).total_seconds())
             for state, ptype, submitted, decided_at in decided]
    if by == "outcome":
        labels = dict(ApplicationState.choices)
        rows = [
            _decision_row(state, str(labels[state]), [(s, sec) for s, _t, _d, sec in items if s == state])
            for state in (ApplicationState.APPROVED, ApplicationState.REJECTED)
        ]
        rows.append(_decision_row("all", str(_("All decisions")), [(s, sec) for s, _t, _d, sec in items]))
        return rows
    groups: dict[str, list] = {}
    labels: dict[str, str] = {}
    type_labels = dict(PartnerType.choices)
    for state, ptype, decided_at, seconds in items:
        if by == "partner_type":
            key, label = ptype, str(type_labels.get(ptype, ptype))
        else:
            key = label = timezone.localtime(decided_at).strftime("%Y-%m")
        groups.setdefault(key, []).append((state, seconds))
        labels[key] = label
    return [_decision_row(key, labels[key], groups[key]) for key in sorted(groups)]


@dataclass
class WorkloadRow:
    """One reviewer's scoring work: assigned, scored, pending (could score now), speed."""

    key: str
    label: str
    assigned: int
    scored: int
    pending: int  # assigned, not scored, and the application is in scoring
    average_days_to_score: Decimal | None


def reviewer_workload() -> list[WorkloadRow]:
    """Per reviewer (two queries): assignments, scorecards, what waits for them, days to score.

    Days to score run from the assignment to the reviewer's (latest) scorecard. An assignment
    left unscored after the application moved on is neither scored nor pending.
    """
    scored_at = Scorecard.objects.filter(
        application=OuterRef("application"), reviewer=OuterRef("reviewer")
    ).values("submitted_at")[:1]
    assignments = (
        ReviewerAssignment.objects.order_by().annotate(scored_at=Subquery(scored_at))
        .values_list("reviewer_id", "assigned_at", "scored_at", "application__state")
    )
    per_reviewer: dict[int, dict] = {}
    for reviewer_id, assigned_at, submitted_at, state in assignments:
        row = per_reviewer.setdefault(reviewer_id, {"assigned": 0, "scored": 0, "pending": 0, "days": []})
        row["assigned"] += 1
        if submitted_at is not None:
            row["scored"] += 1
            row["days"].append(_days(max((submitted_at - assigned_at).total_seconds(), 0)))
        elif state == ApplicationState.SCORING:
            row["pending"] += 1
    people = {user.pk: user for user in User.objects.filter(pk__in=per_reviewer)}
    rows = []
    for reviewer_id, row in per_reviewer.items():
        user = people.get(reviewer_id)
        average = scoring.mean(row["days"])
        rows.append(WorkloadRow(
            key=str(reviewer_id), label=(user.get_full_name() or user.username) if user else str(reviewer_id),
            assigned=row["assigned"], scored=row["scored"], pending=row["pending"],
            average_days_to_score=None if average is None else average.quantize(
                Decimal("0.1"), rounding=ROUND_HALF_UP),
        ))
    return sorted(rows, key=lambda row: (-row.pending, -row.assigned, row.label))



def application_state_counts() -> dict[str, int]:
    """Applications per state (every state present, zero when none): one query."""
    counts = dict(Application.objects.order_by().values_list("state").annotate(n=Count("pk")))
    return {state: counts.get(state, 0) for state in ApplicationState.values}
