"""The recruitment reports: funnel, time to decision, reviewer workload, state counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Avg,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Greatest, StrIndex, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from channelhub.partners.models import PartnerStatus, PartnerType, Region
from channelhub.tenancy.models import User

from .. import scoring
from ..models import (
    Application,
    ApplicationRegion,
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


def _funnel_counts(application: str = "") -> dict:
    """The four stages as counts of applications (``application``: the path to them from a row
    that may repeat one, e.g. a wanted region: then COUNT(DISTINCT …)). Over the applications
    themselves a plain COUNT: the partner join is to-one, and DISTINCT sorted every row four times."""
    pk, prefix = (application, f"{application}__") if application else ("pk", "")
    distinct = bool(application)
    return {
        "applications": Count(pk, distinct=distinct),
        "qualified": Count(pk, filter=Q(**{f"{prefix}qualified_at__isnull": False}), distinct=distinct),
        "approved": Count(pk, filter=Q(**{f"{prefix}state": ApplicationState.APPROVED}), distinct=distinct),
        "active": Count(pk, filter=Q(**{f"{prefix}partner__status": PartnerStatus.ACTIVE}), distinct=distinct),
    }


def _submitted_applications() -> QuerySet[Application]:
    return Application.objects.filter(_submitted())


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


def _area_path(path: str):
    """The top-level area's path of a region path: ``/EAST/SH/PD/`` → ``/EAST/`` (SQL on both databases)."""
    return Substr(path, 1, StrIndex(Substr(path, 2), Value("/")) + 1)


def _funnel_by_area() -> list[FunnelRow]:
    # One GROUP BY over the wanted regions of submitted applications, keyed by the top-level
    # area of each region (an application is counted once per area, however many of its
    # regions lie there), instead of four correlated counts per area over every application.
    counted = {
        row["area"]: row
        for row in ApplicationRegion.objects.filter(~Q(application__state=ApplicationState.DRAFT))
        .order_by().annotate(area=_area_path("region__path")).values("area")
        .annotate(**_funnel_counts("application"))
    }
    rows = []
    for area in Region.objects.filter(parent__isnull=True).order_by("path"):
        counts = counted.get(area.path, {})
        rows.append(FunnelRow(key=area.code, label=area.display_name,
                              **{stage: counts.get(stage, 0) for stage in FUNNEL_STAGES}))
    return rows


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
    """Per reviewer (three queries, two of them GROUP BYs): assigned, scored, pending, days to score.

    Days to score run from the assignment to the reviewer's submitted scorecard (never
    negative). An assignment left unscored after the application moved on is neither scored
    nor pending. The counts are grouped in the database: the assignments per reviewer (and how
    many are in scoring), then the submitted scorecards joined to their assignment.
    """
    in_scoring = Q(application__state=ApplicationState.SCORING)
    assigned = (
        ReviewerAssignment.objects.order_by().values("reviewer_id")
        .annotate(assigned=Count("pk"), in_scoring=Count("pk", filter=in_scoring))
    )
    per_reviewer: dict[int, dict] = {
        row["reviewer_id"]: {"assigned": row["assigned"], "in_scoring": row["in_scoring"], "scored": 0,
                             "scored_in_scoring": 0, "average": None}
        for row in assigned
    }
    waited = ExpressionWrapper(F("submitted_at") - F("application__assignments__assigned_at"),
                               output_field=DurationField())
    scored = (
        Scorecard.objects.filter(submitted_at__isnull=False, application__assignments__reviewer=F("reviewer"))
        .order_by().values("reviewer_id")
        .annotate(
            scored=Count("pk"), scored_in_scoring=Count("pk", filter=in_scoring),
            average=Avg(Greatest(waited, Value(timedelta(0), output_field=DurationField()))),
        )
    )
    for row in scored:
        if row["reviewer_id"] in per_reviewer:
            per_reviewer[row["reviewer_id"]].update(
                scored=row["scored"], scored_in_scoring=row["scored_in_scoring"], average=row["average"]
            )
    people = {user.pk: user for user in User.objects.filter(pk__in=per_reviewer)}
    rows = []
    for reviewer_id, row in per_reviewer.items():
        user = people.get(reviewer_id)
        average = row["average"]
        if average is not None and not isinstance(average, timedelta):
            average = timedelta(microseconds=float(average))  # SQLite: microseconds
        rows.append(WorkloadRow(
            key=str(reviewer_id), label=(user.get_full_name() or user.username) if user else str(reviewer_id),
            assigned=row["assigned"], scored=row["scored"], pending=row["in_scoring"] - row["scored_in_scoring"],
            average_days_to_score=None if average is None else _days(average.total_seconds()).quantize(
                Decimal("0.1"), rounding=ROUND_HALF_UP),
        ))
    return sorted(rows, key=lambda row: (-row.pending, -row.assigned, row.label))


def application_state_counts() -> dict[str, int]:
    """Applications per state (every state present, zero when none): one query."""
    counts = dict(Application.objects.order_by().values_list("state").annotate(n=Count("pk")))
    return {state: counts.get(state, 0) for state in ApplicationState.values}
