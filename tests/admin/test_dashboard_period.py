"""The home page's period selector: figures and charts follow the chosen period of whole months."""

from datetime import timedelta

import pytest
from django.utils import timezone

from channelhub.admin.dashboard import month_starts
from channelhub.partners.models import Partner
from channelhub.tenancy.context import tenant_scope
from tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db


def _overview(client, period: str):
    response = client.get("/admin/", {"period": period}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    widgets = {widget.title: widget for widget in response.context["dashboard_widgets"]}
    return response, widgets["Channel at a glance"]


def test_new_partners_follow_the_chosen_period_and_link_to_the_list_they_count(client, tenant, manager):
    with tenant_scope(tenant):
        PartnerFactory.create_batch(2)
        old = PartnerFactory()
        Partner.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=100))
    client.force_login(manager)

    response, month = _overview(client, "month")
    new = next(f for f in month.figures if f.label == "New in the period")
    assert new.value == "2"
    assert f"created_at__date__gte={month_starts(timezone.localdate(), 1)[0].isoformat()}" in new.url
    assert len(month.chart.labels) == 1
    assert 'aria-current="true"' in response.content.decode()

    _response, year = _overview(client, "year")
    assert next(f for f in year.figures if f.label == "New in the period").value == "3"
    assert len(year.chart.labels) == 12 and sum(year.chart.series[0].values) == 3

    # The link opens the list with exactly those partners.
    listed = client.get(new.url, HTTP_ACCEPT_LANGUAGE="en")
    assert listed.status_code == 200 and listed.context["cl"].result_count == 2


def test_an_unknown_period_falls_back_to_the_default():
    from django.test import RequestFactory

    from channelhub.admin.dashboard import DEFAULT_PERIOD, period_choice

    assert period_choice(RequestFactory().get("/admin/", {"period": "<script>"})).key == DEFAULT_PERIOD


def test_month_starts_cross_the_year_boundary():
    from datetime import date

    assert month_starts(date(2026, 2, 14), 3) == [date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)]


def test_charts_of_several_series_draw_them_side_by_side_with_a_legend():
    """unfold draws every series at one place without a legend: a taller bar hid the others."""
    import json

    from channelhub.admin.dashboard import Chart, Series

    one = Chart(caption="c", labels=["2026-Q2"], series=[Series("all", [50])])
    assert one.options == ""  # unfold's own look for a single series
    several = json.loads(Chart(caption="c", labels=["2026-Q2"], series=[Series("a", [50]), Series("b", [60])]).options)
    assert several["grouped"] is True and several["plugins"]["legend"]["display"] is True
