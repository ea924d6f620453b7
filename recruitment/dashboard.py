"""Recruitment's widgets on the admin dashboard: the funnel at a glance (linking to the reports)
and, for anyone asked to review applications, their own reviews (linking to those awaiting them).

The funnel widget reads the ``RecruitmentFigure`` rollup (``selectors.recruitment_figures``)
kept by the hourly job ``recruitment.dashboard_rollup`` and on write, and says when it was
computed; "My reviews" stays live (one query over the signed-in reviewer's assignments).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from channelhub.admin.dashboard import Chart, Figure, Series, Widget, bars, dashboard_period, dashboard_widget
from channelhub.tenancy.roles import STAFF_ROLES

from . import selectors
from .models import ApplicationState as S
from .permissions import REPORTS_VIEW


@dashboard_widget(order=40, roles=REPORTS_VIEW.roles)  # it links to the reports
def recruitment_funnel(request) -> Widget:
    # From the rollup (``RecruitmentFigure``, one query), not aggregates over every application.
    figures = selectors.recruitment_figures()
    states, total = figures.state, figures.funnel
    listed = reverse("admin:recruitment_application_changelist")
    period = dashboard_period(request)
    received = [figures.received.get(month.strftime("%Y-%m"), 0) for month in period.months]
    return Widget(
        title=_("Partner recruitment"),
        figures=[
            Figure(_("Received in the period"), f"{sum(received):,}", hint=str(period.label),
                   url=f"{listed}?created_at__date__gte={period.start.isoformat()}"),
            Figure(_("Being reviewed"), str(states[S.SUBMITTED] + states[S.SCREENING] + states[S.SCORING])),
            Figure(_("Waiting for approval"), str(states[S.IN_REVIEW]), url=f"{listed}?state__exact={S.IN_REVIEW}"),
            Figure(_("Approved"), str(states[S.APPROVED]), url=f"{listed}?state__exact={S.APPROVED}"),
        ],
        bars_title=_("Recruitment funnel"),
        bars=bars([
            (_("Applications"), total["applications"]), (_("Qualified"), total["qualified"]),
            (_("Approved"), total["approved"]), (_("Active partners"), total["active"]),
        ]),
        link=reverse("admin:recruitment_recruitmentplan_reports"),
        link_label=_("Reports"),
        chart=Chart(
            caption=_("Applications per month"),
            labels=[date_format(month, "YEAR_MONTH_FORMAT") for month in period.months],
            series=[Series(_("Applications"), received)],
        ),
        computed_at=figures.computed_at,
    )


@dashboard_widget(order=35, roles=STAFF_ROLES)
def my_reviews(request) -> Widget | None:
    """The signed-in reviewer's applications: awaiting their score, scored, assigned (one query)."""
    counts = selectors.my_review_counts(user=request.user)
    if not counts["assigned"]:
        return None
    mine = reverse("admin:recruitment_application_changelist")
    return Widget(
        title=_("My reviews"),
        figures=[
            Figure(_("Awaiting my score"), str(counts["awaiting"]), url=f"{mine}?my_review=awaiting"),
            Figure(_("Scored by me"), str(counts["scored"]), url=f"{mine}?my_review=scored"),
            Figure(_("Assigned to me"), str(counts["assigned"]), url=f"{mine}?my_review=assigned"),
        ],
        link=f"{mine}?my_review=awaiting",
        link_label=_("Score them"),
    )
