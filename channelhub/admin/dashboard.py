"""The admin home page's dashboard: each app contributes widgets, shown to the roles they name.

A widget provider is a function ``(request) -> Widget | None`` registered with
``@dashboard_widget(order=…)``; it reads through the app's selectors (tenant-scoped, a fixed
number of queries, and never an aggregate over the whole tenant: figures that need one come
from rollups a job maintains, with ``computed_at`` shown) and hands the template ready-made
rows — charts are drawn from
``Bar``/``Point`` values computed here, not in templates.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from .base import has_role


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


def widgets_for(request) -> list[Widget]:
    if getattr(request, "tenant", None) is None:
        return []
    widgets = []
    for _order, roles, provider in _providers:
        if has_role(request, roles):
            widget = provider(request)
            if widget is not None:
                widgets.append(widget)
    return widgets
