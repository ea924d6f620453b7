"""The admin home page shows the channel at a glance, from the current tenant only."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from channelhub.partners.models import Partner, PartnerStatus
from channelhub.tenancy.context import tenant_scope
from tests.factories import PartnerFactory, RegionFactory

pytestmark = pytest.mark.django_db


def _widgets(response):
    return {widget.title: widget for widget in response.context["dashboard_widgets"]}


def test_dashboard_counts_this_tenants_partners(client, tenant, other_tenant, manager):
    with tenant_scope(tenant):
        east = RegionFactory(code="EAST", name="华东", name_en="East China")
        shanghai = RegionFactory(code="SH", parent=east, level="province")
        PartnerFactory.create_batch(3, region=shanghai, partner_type="reseller")
        active = PartnerFactory(region=east, partner_type="distributor")
        Partner.objects.filter(pk=active.pk).update(status=PartnerStatus.ACTIVE)
    with tenant_scope(other_tenant):
        PartnerFactory.create_batch(5)
    client.force_login(manager)
    widgets = _widgets(client.get("/admin/"))

    overview = widgets["Channel at a glance"]
    assert [(f.label, f.value) for f in overview.figures][:2] == [("Partners", "4"), ("Active", "1")]
    by_type = {bar.label: bar.value for bar in widgets["Partners by type"].bars}
    assert by_type == {"Reseller": 3, "Distributor": 1}
    by_area = widgets["Partners by sales area"].bars
    assert [(bar.label, bar.value, bar.percent) for bar in by_area] == [("East China", 4, 100.0)]


def test_dashboard_query_count_does_not_grow_with_partners(client, tenant, manager):
    client.force_login(manager)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            client.get("/admin/")
        return len(captured)

    with tenant_scope(tenant):
        PartnerFactory.create_batch(2)
    queries()  # the first view of a new tenant computes the figures' rollup once
    few = queries()
    with tenant_scope(tenant):
        PartnerFactory.create_batch(15)
    assert queries() == few
