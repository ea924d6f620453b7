"""The admin home page's dashboard: each app contributes widgets, shown to the roles they name.

A widget provider is a function ``(request) -> Widget | None`` registered with
``@dashboard_widget(order=…)``; it reads through the app's selectors (tenant-scoped, a fixed
number of queries, and never an aggregate over the whole tenant: figures that need one come
from rollups a job maintains, with ``computed_at`` shown) and hands the template ready-made
rows — charts are drawn from
``Bar``/``Point`` values computed here, not in templates.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .base import has_role


@dataclass(frozen=True)
class PeriodChoice:
    key: str
    label: object
    months: int  # whole calendar months back from the current one (this month = 1)


PERIODS = (
    PeriodChoice("month", _("This month"), 1),
    PeriodChoice("quarter", _("Last 3 months"), 3),
    PeriodChoice("half", _("Last 6 months"), 6),
    PeriodChoice("year", _("Last 12 months"), 12),
)
DEFAULT_PERIOD = "quarter"


@dataclass(frozen=True)
class Period:
    """The dashboard's period: whole months, so figures can be read from monthly rollups."""

    key: str
    label: object
    start: date  # the first day of the first month
    months: list[date]  # the first day of each month, oldest first
    choices: tuple[PeriodChoice, ...] = PERIODS


def month_starts(today: date, count: int) -> list[date]:
    """The first days of the ``count`` months ending with ``today``'s, oldest first."""
    year, month = today.year, today.month
    starts = []
    for _i in range(count):
        starts.append(date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return starts[::-1]


def period_choice(request) -> Period:
    """The period in ``?period=`` (an unknown value falls back to the default), kept on the request."""
    chosen = next((p for p in PERIODS if p.key == request.GET.get("period")), None)
    chosen = chosen or next(p for p in PERIODS if p.key == DEFAULT_PERIOD)
    today = timezone.localdate()
    months = month_starts(today, chosen.months)
    period = Period(key=chosen.key, label=chosen.label, start=months[0], months=months)
    request.dashboard_period = period
    return period


def dashboard_period(request) -> Period:
    return getattr(request, "dashboard_period", None) or period_choice(request)


@dataclass(frozen=True)
class Series:
    label: str
    values: list[int | float]


@dataclass(frozen=True)
class Chart:
    """A bar chart drawn by the admin frame's Chart.js from data attributes (no inline script)."""

    caption: str
    labels: list[str]
    series: list[Series]

    @property
    def json(self) -> str:
        return json.dumps({
            "labels": self.labels,
            # unfold draws 4 px wide bars by default: a month is a block, not a hairline.
            "datasets": [{"label": s.label, "data": s.values, "maxBarThickness": 28} for s in self.series],
        }, ensure_ascii=False)

    @property
    def options(self) -> str:
        """Chart.js options for two or more series: side by side with a legend ("" keeps unfold's own).

        unfold's defaults draw every series at the same place (``grouped: false``) without a
        legend, so a taller bar hid the others and nothing said which colour was which.
        """
        if len(self.series) < 2:
            return ""
        axis = {"border": {"dash": [5, 5], "width": 0}, "ticks": {"color": "#9ca3af"}, "grid": {"display": False}}
        return json.dumps({
            "animation": False, "responsive": True, "maintainAspectRatio": False, "grouped": True,
            "datasets": {"bar": {"borderRadius": 6, "borderSkipped": "middle"}},
            "plugins": {"legend": {"display": True, "align": "end", "position": "top", "labels": {
                "boxHeight": 5, "boxWidth": 5, "color": "#9ca3af", "pointStyle": "circle", "usePointStyle": True}}},
            "scales": {"x": axis, "y": {**axis, "beginAtZero": True, "grid": {"color": "#e5e7eb"}}},
        })


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | float
    percent: float  # of the largest bar, 0–100
    css: str = ""


@dataclass(frozen=True)
class Figure:
    label: str
    value: str
    hint: str = ""
    # The filtered list the figure counts, when one exists: the figure becomes its link.
    url: str = ""


@dataclass(frozen=True)
class Widget:
    title: str
    figures: list[Figure] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)
    bars_title: str = ""
    link: str = ""
    link_label: str = ""
    # An inline SVG polyline ("x,y x,y …" in a 100×30 box) for a trend, when there is one.
    trend_points: str = ""
    trend_label: str = ""
    wide: bool = False
    # When the figures were computed, for widgets read from rollups rather than live queries.
    computed_at: datetime | None = None
    chart: Chart | None = None


def bars(rows: Iterable[tuple[str, int | float]], css: Callable[[str], str] | None = None) -> list[Bar]:
    rows = list(rows)
    top = max((value for _, value in rows), default=0) or 1
    return [Bar(label=str(label), value=value, percent=round(100 * value / top, 1),
                css=css(label) if css else "") for label, value in rows]


def trend(values: list[int | float]) -> str:
    """Points of a sparkline for ``values`` in a 100×30 box (empty for fewer than two values)."""
    if len(values) < 2:
        return ""
    low, high = min(values), max(values)
    span = (high - low) or 1
    step = 100 / (len(values) - 1)
    return " ".join(f"{i * step:.1f},{30 - (v - low) / span * 28 - 1:.1f}" for i, v in enumerate(values))


Provider = Callable[[object], Widget | None]
_providers: list[tuple[int, frozenset[str], Provider]] = []


def dashboard_widget(*, order: int, roles: Iterable[str]):
    def decorator(provider: Provider) -> Provider:
        _providers.append((order, frozenset(roles), provider))
        _providers.sort(key=lambda item: item[0])
        return provider

    return decorator


def widgets_for(request, *, period: Period | None = None) -> list[Widget]:
    """The widgets the request's roles may see; providers read the period with ``dashboard_period``."""
    if getattr(request, "tenant", None) is None:
        return []
    if period is not None:
        request.dashboard_period = period
    widgets = []
    for _order, roles, provider in _providers:
        if has_role(request, roles):
            widget = provider(request)
            if widget is not None:
                widgets.append(widget)
    return widgets
