"""The partners' widgets on the admin dashboard: the channel at a glance.

The figures come from the rollup the hourly job ``partners.dashboard_rollup`` maintains
(``selectors.partner_figures``), not from aggregates over every partner per page view; each
widget says when they were computed.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from channelhub.admin.dashboard import Chart, Figure, Series, Widget, bars, dashboard_period, dashboard_widget, trend
from channelhub.tenancy.roles import STAFF_ROLES

from . import selectors
from .models import PartnerStatus, PartnerType


def _figures(request) -> selectors.PartnerFigures:
    # Three widgets, one read of the rollup per request.
    if not hasattr(request, "_partner_figures"):
        request._partner_figures = selectors.partner_figures()
    return request._partner_figures


@dashboard_widget(order=10, roles=STAFF_ROLES)
def channel_overview(request) -> Widget:
    figures = _figures(request)
    counts = figures.status
    total = sum(counts.values())
    labels = dict(PartnerStatus.choices)
    partners = reverse("admin:partners_partner_changelist")
    active_trend = [count for _day, count in selectors.status_history(PartnerStatus.ACTIVE, days=30)]
    period = dashboard_period(request)
    joined = [figures.joined.get(month.strftime("%Y-%m"), 0) for month in period.months]
    return Widget(
        title=_("Channel at a glance"),
        figures=[
            Figure(_("Partners"), f"{total:,}", url=partners),
            *(Figure(labels[status], f"{counts[status]:,}", url=f"{partners}?status__exact={status}")
              for status in (PartnerStatus.ACTIVE, PartnerStatus.ONBOARDING, PartnerStatus.PROSPECT)),
            Figure(_("New in the period"), f"{sum(joined):,}", hint=str(period.label),
                   url=f"{partners}?created_at__date__gte={period.start.isoformat()}"),
        ],
        bars_title=_("Partners by status"),
        bars=bars(((labels[s], n) for s, n in counts.items()), css=lambda label: ""),
        trend_points=trend(active_trend),
        trend_label=_("Active partners, last 30 days"),
        chart=Chart(
            caption=_("New partners per month"),
            labels=[date_format(month, "YEAR_MONTH_FORMAT") for month in period.months],
            series=[Series(str(_("New partners")), joined)],
        ),
        link=reverse("admin:partners_partner_changelist"),
        link_label=_("All partners"),
        computed_at=figures.computed_at,
    )


@dashboard_widget(order=20, roles=STAFF_ROLES)
def partners_by_type(request) -> Widget:
    figures = _figures(request)
    labels = dict(PartnerType.choices)
    rows = sorted(figures.partner_type.items(), key=lambda item: -item[1])
    return Widget(title=_("Partners by type"), bars=bars((labels.get(t, t), n) for t, n in rows),
                  computed_at=figures.computed_at)


@dashboard_widget(order=30, roles=STAFF_ROLES)
def partners_by_area(request) -> Widget:
    figures = _figures(request)
    return Widget(title=_("Partners by sales area"), bars=bars(figures.area[:10]), computed_at=figures.computed_at)
