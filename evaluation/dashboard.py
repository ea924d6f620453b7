"""Evaluation's widget on the admin dashboard: the latest review at a glance.

It reads the latest computed cycle's own rows (one small query for the cycle, one GROUP BY
over its scores for the distribution, one for the tier movements): a cycle's scores are
written once per period, so these are the rollup.
"""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from channelhub.admin.dashboard import Chart, Figure, Series, Widget, bars, dashboard_widget
from channelhub.partners.models import PartnerType, Region

from . import selectors
from .models import ScoreTrend, TierChangeKind
from .permissions import COVERAGE_VIEW, ECONOMICS_VIEW, RESULTS_VIEW


@dashboard_widget(order=60, roles=RESULTS_VIEW.roles)
def latest_review(request) -> Widget | None:
    cycle = selectors.latest_cycle()
    if cycle is None:
        return None
    distribution = selectors.score_distribution(cycle=cycle)
    movements = selectors.tier_movements(cycle=cycle)
    return Widget(
        title=_("Partner review %(period)s") % {"period": cycle.period_key},
        figures=[
            Figure(_("State"), str(cycle.get_state_display()),
                   url=reverse("admin:evaluation_reviewcycle_change", args=[cycle.pk])),
            Figure(_("Partners scored"), f"{cycle.partner_count:,}",
                   url=reverse("admin:evaluation_reviewcycle_results", args=[cycle.pk])),
            Figure(_("Promotions"), str(movements.get(TierChangeKind.PROMOTION, 0))),
            Figure(_("Demotions"), str(movements.get(TierChangeKind.DEMOTION, 0))),
        ],
        link=reverse("admin:evaluation_reviewcycle_results", args=[cycle.pk]),
        link_label=_("Results"),
        chart=Chart(caption=_("Score distribution"), labels=[f"{floor}–{floor + 10}" for floor, _n in distribution],
                    series=[Series(_("Partners"), [n for _floor, n in distribution])]),
        computed_at=cycle.computed_at,
    )


@dashboard_widget(order=61, roles=RESULTS_VIEW.roles)
def performers(request) -> Widget | None:
    """The latest cycle's five best and five weakest partners (two indexed queries, LIMIT 5 each)."""
    cycle = selectors.latest_cycle()
    if cycle is None or not cycle.partner_count:
        return None
    best = list(selectors.performers(cycle=cycle, count=5, best=True))
    weakest = list(selectors.performers(cycle=cycle, count=5, best=False))
    rows = [(f"▲ {score.partner}", float(score.final_score)) for score in best]
    rows += [(f"▼ {score.partner}", float(score.final_score)) for score in weakest if score not in best]
    return Widget(
        title=_("Top and bottom performers %(period)s") % {"period": cycle.period_key},
        bars=bars(rows, css=lambda label: "down" if label.startswith("▼") else "up"),
        bars_title=_("Score"),
        link=reverse("admin:evaluation_reviewcycle_results", args=[cycle.pk]),
        link_label=_("Results"),
        computed_at=cycle.computed_at,
    )


@dashboard_widget(order=62, roles=ECONOMICS_VIEW.roles)
def cost_and_return(request) -> Widget | None:
    """Margin against cost per partner type over the rollup's last 12 months (one GROUP BY of the rollup)."""
    from . import economics_selectors

    months = economics_selectors.economics_months(limit=12)
    if not months:
        return None
    by_type = economics_selectors.economics_by_type(months=months)
    margin = sum((row.margin for row in by_type), Decimal("0"))
    cost = sum((row.total_cost for row in by_type), Decimal("0"))
    return Widget(
        title=_("Channel cost and return"),
        figures=[
            Figure(_("Margin (CNY)"), f"{margin:,.0f}"),
            Figure(_("Channel cost (CNY)"), f"{cost:,.0f}"),
            Figure(_("Return on cost"), f"{margin / cost:.2f}" if cost > 0 else "—"),
        ],
        chart=Chart(caption=_("Margin and cost per partner type, %(first)s to %(last)s")
                    % {"first": months[-1], "last": months[0]},
                    labels=[row.label for row in by_type],
                    series=[Series(_("Margin"), [float(row.margin) for row in by_type]),
                            Series(_("Total cost"), [float(row.total_cost) for row in by_type])]),
        link=reverse("admin:evaluation_channeleconomics_summary"),
        link_label=_("Cost and return"),
        computed_at=economics_selectors.economics_computed_at(months=months[:1]),
    )


@dashboard_widget(order=63, roles=COVERAGE_VIEW.roles)
def coverage_gaps(request) -> Widget | None:
    """The five worst coverage gaps (weighted by the market estimate), read from the rollup."""
    from . import economics_selectors

    worst = list(economics_selectors.coverage_gaps().filter(gap__gt=0)[:5])
    if not worst:
        return None
    return Widget(
        title=_("Coverage gaps"),
        bars=bars([(f"{gap.region} · {gap.get_partner_type_display()}", gap.gap) for gap in worst]),
        bars_title=_("Partners missing"),
        link=reverse("admin:evaluation_coveragegap_map"),
        link_label=_("Coverage map"),
        computed_at=max(gap.computed_at for gap in worst),
    )


def _trend_widget(dimension: str, title: str, labels) -> Widget | None:
    cycles, series = selectors.score_trend(dimension=dimension)
    if not series:
        return None
    return Widget(
        title=title,
        chart=Chart(caption=_("Average score of each published review"), labels=[c.period_key for c in cycles],
                    series=[Series(labels.get(key, key), values) for key, values in sorted(series.items())]),
        # The drill-down: the same trend per KPI.
        link=f"{reverse('admin:evaluation_reviewcycle_kpi_trends')}?{urlencode({'dimension': dimension})}",
        link_label=_("KPI trends"),
        computed_at=cycles[-1].published_at,
        wide=True,
    )


@dashboard_widget(order=64, roles=RESULTS_VIEW.roles)
def score_trend_by_type(request) -> Widget | None:
    """Average score per partner type over the last six published reviews (the ``ScoreTrend`` rollup)."""
    return _trend_widget(ScoreTrend.Dimension.TYPE, _("Score trend by partner type"),
                         {value: str(label) for value, label in PartnerType.choices})


@dashboard_widget(order=65, roles=RESULTS_VIEW.roles)
def score_trend_by_area(request) -> Widget | None:
    """Average score per sales area over the last six published reviews (the ``ScoreTrend`` rollup)."""
    areas = {area.code: area.display_name for area in Region.objects.filter(parent__isnull=True)}
    return _trend_widget(ScoreTrend.Dimension.AREA, _("Score trend by sales area"), areas)
