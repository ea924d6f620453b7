"""Evaluation's widget on the admin dashboard: the latest review at a glance.

It reads the latest computed cycle's own rows (one small query for the cycle, one GROUP BY
over its scores for the distribution, one for the tier movements): a cycle's scores are
written once per period, so these are the rollup.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from channelhub.admin.dashboard import Chart, Figure, Series, Widget, dashboard_widget

from . import selectors
from .models import TierChangeKind
from .permissions import RESULTS_VIEW


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
