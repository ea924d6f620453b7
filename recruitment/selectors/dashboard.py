"""The admin home page's recruitment figures, read from the ``RecruitmentFigure`` rollup.

The hourly job ``recruitment.dashboard_rollup`` rewrites the rollup (``figures_refresh``): the
applications per state, the funnel's four stages and the applications received per month. A
page view reads those rows (one query) instead of aggregating every application of the tenant.
Between runs, an application's state change moves its count at once (``figures_shift``) and a
new application adds itself to its month (``figures_created``): two single-row updates each.
The funnel's *qualified* and *active* stages change only with the next run (the partner's
status belongs to the partners app); each widget shows when the figures were computed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Count, F
from django.db.models.functions import TruncMonth
from django.utils import timezone

from ..models import Application, ApplicationState, RecruitmentFigure
from .reports import FUNNEL_STAGES, funnel_total

# How far back the rollup keeps the applications received per month (the dashboard shows up to 12).
RECEIVED_MONTHS = 24

Dim = RecruitmentFigure.Dimension


def applications_per_month(*, since: date) -> dict[str, int]:
    """Applications received ("YYYY-MM" → count) from ``since``, counted live (the rollup's source)."""
    rows = (Application.objects.order_by().filter(created_at__date__gte=since)
            .annotate(month=TruncMonth("created_at")).values_list("month").annotate(n=Count("id")))
    return {month.strftime("%Y-%m"): count for month, count in rows}


def figures_refresh(*, computed_at: datetime) -> int:
    """Rewrite the current tenant's recruitment figures; return how many rows there are.

    Three grouped reads of the applications (per state, the funnel's four counts, per month
    received over the last ``RECEIVED_MONTHS`` months, in the active time zone), run by the
    job, not per page view. One row per (dimension, key): a re-run for the same hour changes
    nothing but the numbers and ``computed_at``; a key that no longer occurs drops to zero.
    """
    rows: dict[tuple[str, str], int] = {(Dim.STATE, state): 0 for state in ApplicationState.values}
    for state, count in Application.objects.order_by().values_list("state").annotate(n=Count("pk")):
        rows[(Dim.STATE, state)] = count
    total = funnel_total([])
    for stage in FUNNEL_STAGES:
        rows[(Dim.FUNNEL, stage)] = getattr(total, stage)
    local = timezone.localtime(computed_at)
    since = (local - timedelta(days=RECEIVED_MONTHS * 31)).replace(day=1).date()
    # Every month of the window has a row (zero too), and so has the next one, so that a new
    # application adds itself to its month (``figures_created``) until the next run.
    month = since
    while month <= local.date() + timedelta(days=31):
        rows[(Dim.RECEIVED, month.strftime("%Y-%m"))] = 0
        month = (month + timedelta(days=32)).replace(day=1)
    for month_key, count in applications_per_month(since=since).items():
        rows[(Dim.RECEIVED, month_key)] = count
    with transaction.atomic():
        RecruitmentFigure.objects.update(count=0, computed_at=computed_at)
        RecruitmentFigure.objects.bulk_create(
            [RecruitmentFigure(dimension=dimension, key=key, count=count, computed_at=computed_at)
             for (dimension, key), count in rows.items()],
            update_conflicts=True, unique_fields=["tenant", "dimension", "key"],
            update_fields=["count", "computed_at"],
        )
    return len(rows)


@dataclass(frozen=True)
class RecruitmentFigures:
    state: dict[str, int]  # every state, zero when none
    funnel: dict[str, int]  # FUNNEL_STAGES → count
    received: dict[str, int]  # "YYYY-MM" → applications created that month
    computed_at: datetime | None = None


def recruitment_figures() -> RecruitmentFigures:
    """The dashboard's recruitment figures from the rollup (one query; computed once if never run)."""
    rows = list(RecruitmentFigure.objects.values_list("dimension", "key", "count", "computed_at"))
    if not rows:
        # A tenant the job has not reached yet: compute once now, then the job keeps it fresh.
        figures_refresh(computed_at=timezone.now())
        rows = list(RecruitmentFigure.objects.values_list("dimension", "key", "count", "computed_at"))
    state = dict.fromkeys(ApplicationState.values, 0)
    state.update({key: count for dim, key, count, _at in rows if dim == Dim.STATE})
    funnel = dict.fromkeys(FUNNEL_STAGES, 0)
    funnel.update({key: count for dim, key, count, _at in rows if dim == Dim.FUNNEL})
    received = {key: count for dim, key, count, _at in rows if dim == Dim.RECEIVED}
    return RecruitmentFigures(state, funnel, received, max((at for *_rest, at in rows), default=None))


def _add(dimension: str, key: str, delta: int) -> None:
    # Never below zero (the count is unsigned; the next run puts it right anyway). A key
    # the rollup does not hold yet is left to the next run rather than created half-known.
    if delta < 0:
        RecruitmentFigure.objects.filter(dimension=dimension, key=key, count__gte=-delta).update(
            count=F("count") + delta)
    else:
        RecruitmentFigure.objects.filter(dimension=dimension, key=key).update(count=F("count") + delta)


def figures_shift(*, from_state: str, to_state: str) -> None:
    """An application of the current tenant moved ``from_state`` → ``to_state``: move its count."""
    _add(Dim.STATE, from_state, -1)
    _add(Dim.STATE, to_state, +1)
    if from_state == ApplicationState.DRAFT:
        _add(Dim.FUNNEL, "applications", +1)  # the funnel counts every application past its draft
    if to_state == ApplicationState.APPROVED:
        _add(Dim.FUNNEL, "approved", +1)


def figures_created(*, application: Application) -> None:
    """A new application of the current tenant: one more draft and one more received in its month."""
    _add(Dim.STATE, application.state, +1)
    _add(Dim.RECEIVED, timezone.localtime(application.created_at).strftime("%Y-%m"), +1)
