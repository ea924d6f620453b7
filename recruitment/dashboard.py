"""Recruitment's widget on the admin dashboard: the funnel at a glance, linking to the reports."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from channelhub.admin.dashboard import Figure, Widget, bars, dashboard_widget
from channelhub.tenancy.roles import MANAGERS

from . import selectors
from .models import ApplicationState as S


@dashboard_widget(order=40, roles=MANAGERS)
def recruitment_funnel(request) -> Widget:
    states = selectors.application_state_counts()
    total = selectors.funnel_total([])
    return Widget(
        title=_("Partner recruitment"),
        figures=[
            Figure(_("Being reviewed"), str(states[S.SUBMITTED] + states[S.SCREENING] + states[S.SCORING])),
            Figure(_("Waiting for approval"), str(states[S.IN_REVIEW])),
            Figure(_("Approved"), str(states[S.APPROVED])),
        ],
        bars_title=_("Recruitment funnel"),
        bars=bars([
            (_("Applications"), total.applications), (_("Qualified"), total.qualified),
            (_("Approved"), total.approved), (_("Active partners"), total.active),
        ]),
        link=reverse("admin:recruitment_recruitmentplan_reports"),
        link_label=_("Reports"),
    )
