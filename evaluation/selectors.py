"""Evaluation's reads: a partner's scorecard and trend, a cycle's distribution and movements.

Every function runs inside the tenant's scope (the scoped managers fail closed without
one); partner-facing reads return published cycles only.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, F, QuerySet
from django.db.models.functions import Floor

from .models import (
    CycleState,
    KpiResult,
    KpiTrend,
    PartnerScore,
    PartnerTier,
    ReviewCycle,
    ScoreTrend,
    TierChange,
)


def published_scores(*, partner_id: int) -> QuerySet[PartnerScore]:
    """A partner's scores of published cycles, newest first (its trend)."""
    return (
        PartnerScore.objects.filter(partner_id=partner_id, cycle__state=CycleState.PUBLISHED)
        .select_related("cycle", "current_tier", "proposed_tier")
        .order_by("-cycle__period_start")
    )


def score_breakdown(*, score: PartnerScore) -> QuerySet[KpiResult]:
    """Each KPI's figure, score, weight and contribution behind ``score``."""
    return (
        KpiResult.objects.filter(cycle_id=score.cycle_id, partner_id=score.partner_id)
        .select_related("kpi")
        .order_by("-weight", "kpi__code")
    )


def current_tier(*, partner_id: int) -> PartnerTier | None:
    return PartnerTier.objects.filter(partner_id=partner_id).select_related("tier").first()


def latest_cycle(*, states=(CycleState.COMPUTED, CycleState.CONFIRMED, CycleState.PUBLISHED)) -> ReviewCycle | None:
    return ReviewCycle.objects.filter(state__in=states).order_by("-period_start", "-id").first()


def score_distribution(*, cycle: ReviewCycle, band: int = 10) -> list[tuple[int, int]]:
    """(band floor, partners) for scores in bands of ``band`` points, in one GROUP BY."""
    rows = (
        PartnerScore.objects.filter(cycle=cycle)
        .annotate(band=Floor(F("total") / band))
        .values("band").annotate(n=Count("id")).values_list("band", "n")
    )
    counts: dict[int, int] = {}
    for floor, n in rows:
        floor = min(int(floor) * band, 100 - band)  # 100 falls in the top band
        counts[floor] = counts.get(floor, 0) + n
    return sorted(counts.items())


def tier_movements(*, cycle: ReviewCycle) -> dict[str, int]:
    """How many partners each kind of tier change (initial, promotion, demotion) concerns."""
    return dict(
        TierChange.objects.filter(cycle=cycle).values("kind").annotate(n=Count("id")).values_list("kind", "n")
    )


def performers(*, cycle: ReviewCycle, count: int = 10, best: bool = True) -> QuerySet[PartnerScore]:
    order = "-total" if best else "total"
    return PartnerScore.objects.filter(cycle=cycle).select_related("partner").order_by(order, "partner_id")[:count]


# --------------------------------------------------------------------------- admin, API and portal lists


def cycle_list() -> QuerySet[ReviewCycle]:
    return ReviewCycle.objects.select_related("confirmed_by").order_by("-period_start", "-id")


def score_list() -> QuerySet[PartnerScore]:
    """Partner scores with what a list row shows (one query for any number of rows)."""
    return PartnerScore.objects.select_related(
        "cycle", "partner", "scorecard", "current_tier", "proposed_tier", "adjusted_by"
    ).order_by("-cycle__period_start", "partner_type", "rank", "partner_id")


def breakdowns(*, cycle_id: int, partner_ids) -> dict[int, list[KpiResult]]:
    """Each partner's KPI rows of one cycle, in one query for the whole page."""
    rows: dict[int, list[KpiResult]] = {}
    for result in KpiResult.objects.filter(cycle_id=cycle_id, partner_id__in=list(partner_ids)).select_related(
        "kpi"
    ).order_by("partner_id", "-weight", "kpi__code"):
        rows.setdefault(result.partner_id, []).append(result)
    return rows


def statement_list() -> QuerySet:
    from .models import IncentiveStatement

    return IncentiveStatement.objects.select_related("cycle", "partner", "approved_by").order_by(
        "-cycle__period_start", "partner_id")


def statement_lines(statement) -> list:
    from .models import IncentiveLine

    return list(IncentiveLine.objects.filter(statement=statement).select_related("rule").order_by("id"))


def tier_history(*, partner_id: int, limit: int = 10) -> list[TierChange]:
    return list(
        TierChange.objects.filter(partner_id=partner_id, applied_at__isnull=False)
        .select_related("cycle", "from_tier", "to_tier").order_by("-applied_at", "-id")[:limit]
    )


def plan_list() -> QuerySet:
    from django.db.models import Q
    from django.utils import timezone

    from .models import ImprovementPlan

    today = timezone.localdate()
    return ImprovementPlan.objects.select_related("partner", "cycle", "owner", "acknowledged_by").annotate(
        action_count=Count("actions", distinct=True),
        overdue_count=Count("actions", filter=Q(actions__done=False, actions__due_date__lt=today), distinct=True),
    ).order_by("due_date", "id")


def overdue_actions():
    from django.utils import timezone

    from .models import ImprovementAction, ImprovementState

    return ImprovementAction.objects.filter(done=False, due_date__lt=timezone.localdate(),
                                            plan__state=ImprovementState.OPEN)


def survey_list() -> QuerySet:
    from .models import RelationshipSurvey

    return RelationshipSurvey.objects.select_related("partner").order_by("-period_key", "partner_id")


def partner_plans(*, partner_id: int):
    from .models import ImprovementPlan

    return ImprovementPlan.objects.filter(partner_id=partner_id).select_related("cycle").prefetch_related(
        "actions").order_by("-due_date", "-id")


def partner_statements(*, partner_id: int):
    """A partner's statements of published cycles (what its portal shows)."""
    from .models import IncentiveStatement

    return IncentiveStatement.objects.filter(partner_id=partner_id, cycle__state=CycleState.PUBLISHED).select_related(
        "cycle").order_by("-cycle__period_start", "-id")


def current_period_key(today=None) -> str:
    """The survey period: the calendar quarter (``2026-Q4``)."""
    from django.utils import timezone

    today = today or timezone.localdate()
    return f"{today.year}-Q{(today.month - 1) // 3 + 1}"


def survey_answered(*, partner_id: int, period_key: str | None = None) -> bool:
    from .models import RelationshipSurvey

    return RelationshipSurvey.objects.filter(partner_id=partner_id, period_key=period_key or current_period_key(),
                                             support__isnull=False).exists()


def score_trend(*, dimension: str, cycles: int = 6) -> tuple[list[ReviewCycle], dict[str, list[float | None]]]:
    """The last ``cycles`` published reviews, oldest first, and per key (partner type or area code)
    the average score in each (None where the key had no partners). Two small queries, read from
    the ``ScoreTrend`` rollup written at publication."""
    latest = published_cycles(count=cycles)
    position = {cycle.pk: n for n, cycle in enumerate(latest)}
    series: dict[str, list[float | None]] = {}
    for cycle_id, key, average in ScoreTrend.objects.filter(
            cycle_id__in=position, dimension=dimension).values_list("cycle_id", "key", "average"):
        series.setdefault(key, [None] * len(latest))[position[cycle_id]] = float(average)
    return latest, series


# --------------------------------------------------------------------------- KPI trends


@dataclass(frozen=True)
class KpiTrendRow:
    """One partner type or sales area of a KPI's trend: a cell per cycle (None where it had no partners)."""

    key: str
    label: str
    cells: list[KpiTrend | None]


def trend_labels(dimension: str) -> dict[str, str]:
    """Readable names of a dimension's keys in the current language, in display order: the partner
    types' labels, or the top-level sales areas' names (one query)."""
    from channelhub.partners.models import PartnerType, Region

    if dimension == ScoreTrend.Dimension.TYPE:
        return {value: str(label) for value, label in PartnerType.choices}
    return {area.code: area.display_name for area in Region.objects.filter(parent__isnull=True).order_by("path")}


def published_cycles(*, count: int = 6) -> list[ReviewCycle]:
    """The last ``count`` published reviews, oldest first."""
    latest = list(ReviewCycle.objects.filter(state=CycleState.PUBLISHED).order_by("-period_start", "-pk")[:count])
    latest.reverse()
    return latest


def kpi_trend(*, kpi_id: int, dimension: str, cycles: int = 6) -> tuple[list[ReviewCycle], list[KpiTrendRow]]:
    """A KPI's rollup over the last ``cycles`` published reviews, a row per partner type or sales area
    (in the labels' order; keys without a label last). Three queries whatever the partners: the
    cycles, the ``KpiTrend`` rows written at publication, the labels."""
    latest = published_cycles(count=cycles)
    position = {cycle.pk: n for n, cycle in enumerate(latest)}
    cells: dict[str, list[KpiTrend | None]] = {}
    for row in KpiTrend.objects.filter(kpi_id=kpi_id, dimension=dimension, cycle_id__in=list(position)):
        cells.setdefault(row.key, [None] * len(latest))[position[row.cycle_id]] = row
    labels = trend_labels(dimension)
    order = {key: n for n, key in enumerate(labels)}
    keys = sorted(cells, key=lambda key: (order.get(key, len(order)), key))
    return latest, [KpiTrendRow(key=key, label=labels.get(key, key), cells=cells[key]) for key in keys]


def kpi_trend_list() -> QuerySet[KpiTrend]:
    """Every KPI trend row of published cycles, newest cycle first (the API's list)."""
    return (KpiTrend.objects.filter(cycle__state=CycleState.PUBLISHED).select_related("cycle", "kpi")
            .order_by("-cycle__period_start", "-cycle_id", "kpi__code", "dimension", "key"))
