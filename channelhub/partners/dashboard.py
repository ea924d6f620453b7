"""The partners' widgets on the admin dashboard: the channel at a glance."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from channelhub.admin.dashboard import Figure, Widget, bars, dashboard_widget, trend
from channelhub.tenancy.roles import STAFF_ROLES

from . import selectors
from .models import PartnerStatus, PartnerType


@dashboard_widget(order=10, roles=STAFF_ROLES)
def channel_overview(request) -> Widget:
    counts = selectors.partner_status_counts()
    total = sum(counts.values())
    labels = dict(PartnerStatus.choices)
    active_trend = [count for _day, count in selectors.status_history(PartnerStatus.ACTIVE, days=30)]
    return Widget(
        title=_("Channel at a glance"),
        figures=[
            Figure(_("Partners"), str(total)),
            Figure(labels[PartnerStatus.ACTIVE], str(counts[PartnerStatus.ACTIVE])),
            Figure(labels[PartnerStatus.ONBOARDING], str(counts[PartnerStatus.ONBOARDING])),
            Figure(labels[PartnerStatus.PROSPECT], str(counts[PartnerStatus.PROSPECT])),
        ],
        bars_title=_("Partners by status"),
        bars=bars(((labels[s], n) for s, n in counts.items()), css=lambda label: ""),
        trend_points=trend(active_trend),
        trend_label=_("Active partners, last 30 days"),
        link=reverse("admin:partners_partner_changelist"),
        link_label=_("All partners"),
    )


@dashboard_widget(order=20, roles=STAFF_ROLES)
def partners_by_type(request) -> Widget:
    labels = dict(PartnerType.choices)
    rows = sorted(selectors.partner_type_counts().items(), key=lambda item: -item[1])
    return Widget(title=_("Partners by type"), bars=bars((labels.get(t, t), n) for t, n in rows))


@dashboard_widget(order=30, roles=STAFF_ROLES)
def partners_by_area(request) -> Widget:
    return Widget(title=_("Partners by sales area"), bars=bars(selectors.partners_by_top_region()))
