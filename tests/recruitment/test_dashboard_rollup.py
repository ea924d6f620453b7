"""The recruitment dashboard widget reads a rollup (``RecruitmentFigure``), not live aggregates:
the hourly job rewrites it, state changes move counts at once, and the widget says when it ran."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.roles import Role
from recruitment import jobs, selectors, services
from recruitment.models import Application, ApplicationState, RecruitmentFigure
from tests.conftest import make_member
from tests.recruitment.factories import ApplicationFactory

pytestmark = pytest.mark.django_db
S = ApplicationState


def _widget(response):
    return {w.title: w for w in response.context["dashboard_widgets"]}["Partner recruitment"]


def _figures(widget) -> dict[str, str]:
    return {figure.label: figure.value for figure in widget.figures}


def _applications(states: dict[str, int]) -> None:
    for state, n in states.items():
        for application in ApplicationFactory.create_batch(n):
            Application.objects.filter(pk=application.pk).update(state=state)


def test_the_widget_shows_the_rollup_and_when_it_was_computed(tenant, other_tenant, client, owner):
    with tenant_scope(tenant):
        _applications({S.SUBMITTED: 2, S.SCORING: 1, S.IN_REVIEW: 1, S.APPROVED: 3, S.DRAFT: 1})
        run_at = timezone.now().replace(microsecond=0)
        jobs.recruitment_dashboard_rollup(tenant=tenant, run_at=run_at)
        first = sorted(RecruitmentFigure.objects.values_list("dimension", "key", "count"))
        jobs.recruitment_dashboard_rollup(tenant=tenant, run_at=run_at)  # a redelivered run
        assert sorted(RecruitmentFigure.objects.values_list("dimension", "key", "count")) == first
        # Rows changed behind the services' back show after the next run, not on the next view.
        _applications({S.APPROVED: 2})
    with tenant_scope(other_tenant):
        _applications({S.APPROVED: 5})
    client.force_login(owner)
    page = client.get("/admin/")
    widget = _widget(page)
    assert _figures(widget) == {"Received in the period": "8", "Being reviewed": "3",
                                "Waiting for approval": "1", "Approved": "3"}
    assert {bar.label: bar.value for bar in widget.bars} == {
        "Applications": 7, "Qualified": 0, "Approved": 3, "Active partners": 0}
    assert widget.computed_at == run_at
    assert "Computed at" in page.content.decode()
    with tenant_scope(tenant):
        jobs.recruitment_dashboard_rollup(tenant=tenant, run_at=run_at + datetime.timedelta(hours=1))
    assert _figures(_widget(client.get("/admin/")))["Approved"] == "5"


def test_the_figures_match_the_live_aggregates(in_tenant):
    _applications({S.SUBMITTED: 2, S.SCREENING: 1, S.REJECTED: 2, S.WITHDRAWN: 1, S.DRAFT: 2})
    Application.objects.filter(state=S.REJECTED).update(qualified_at=timezone.now())
    figures = selectors.recruitment_figures()  # never run: computed once on first read
    assert figures.state == selectors.application_state_counts()
    total = selectors.funnel_total([])
    assert figures.funnel == {"applications": total.applications, "qualified": total.qualified,
                              "approved": total.approved, "active": total.active} == {
        "applications": 6, "qualified": 2, "approved": 0, "active": 0}
    month = timezone.localtime().strftime("%Y-%m")
    assert figures.received[month] == 8
    assert figures.computed_at is not None


def test_a_state_that_empties_drops_to_zero_on_the_next_run(in_tenant):
    application = ApplicationFactory()
    Application.objects.filter(pk=application.pk).update(state=S.SUBMITTED)
    jobs.recruitment_dashboard_rollup(tenant=in_tenant, run_at=timezone.now())
    assert selectors.recruitment_figures().state[S.SUBMITTED] == 1
    Application.objects.filter(pk=application.pk).update(state=S.SCREENING)
    jobs.recruitment_dashboard_rollup(tenant=in_tenant, run_at=timezone.now())
    state = selectors.recruitment_figures().state
    assert (state[S.SUBMITTED], state[S.SCREENING]) == (0, 1)


def test_writes_move_the_counts_between_runs(in_tenant, django_capture_on_commit_callbacks):
    manager = make_member(in_tenant, Role.CHANNEL_MANAGER, username="mover")
    jobs.recruitment_dashboard_rollup(tenant=in_tenant, run_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        application = ApplicationFactory()
    with django_capture_on_commit_callbacks(execute=True):
        Application.objects.filter(pk=application.pk).update(state=S.SUBMITTED)
        application.refresh_from_db()
        services.application_transition(application=application, to_state=S.SCREENING, actor=manager)
    figures = selectors.recruitment_figures()
    month = timezone.localtime().strftime("%Y-%m")
    # Created as a draft (counted), moved to submitted behind the services' back (not seen),
    # then submitted → screening through the service (moved, never below zero).
    assert figures.received[month] == 1
    assert (figures.state[S.DRAFT], figures.state[S.SUBMITTED], figures.state[S.SCREENING]) == (1, 0, 1)
    jobs.recruitment_dashboard_rollup(tenant=in_tenant, run_at=timezone.now())
    figures = selectors.recruitment_figures()
    assert (figures.state[S.DRAFT], figures.state[S.SUBMITTED], figures.state[S.SCREENING]) == (0, 0, 1)
    assert figures.funnel["applications"] == 1


def test_the_widget_reads_one_query_whatever_the_number_of_applications(tenant, client, owner, monkeypatch):
    client.force_login(owner)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/admin/").status_code == 200
        return len(captured)

    with tenant_scope(tenant):
        _applications({S.SUBMITTED: 2})
    queries()  # the first view of a new tenant computes the rollup once
    few = queries()
    with tenant_scope(tenant):
        _applications({S.SUBMITTED: 5, S.APPROVED: 5, S.IN_REVIEW: 3})
    # From now on a page view must not aggregate the applications: only the rollup is read.
    from recruitment.selectors import dashboard as dashboard_selectors

    def refused(**kwargs):
        raise AssertionError("a page view recomputed the tenant's recruitment figures")

    monkeypatch.setattr(dashboard_selectors, "figures_refresh", refused)
    monkeypatch.setattr(selectors, "application_state_counts", refused)
    monkeypatch.setattr(selectors, "funnel_total", refused)
    assert queries() == few
