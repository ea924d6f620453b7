"""Joint targets: proposed by either side, agreed by both, locked by the other side's approval, changes need
both again; monthly breakdown; achievement from reported sales; the KPI input; API and portal."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from channelhub import kpi_inputs
from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.jobs import Period
from cooperation import selectors, services
from cooperation.models import SalesTarget, TargetMonth, TargetState
from tests.conftest import api_client_for
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db
THIS = timezone.localdate().replace(day=1)
LAST = (THIS - datetime.timedelta(days=1)).replace(day=1)


def _propose(tenant, actor, partner, **kwargs):
    with tenant_scope(tenant):
        values = {"span": "month", "start": LAST, "amount": Decimal("1000")} | kwargs
        return services.target_propose(tenant=tenant, actor=actor, partner=partner, **values)


def test_both_sides_agree_and_a_change_needs_both_again(tenant, partner, partner_admin, partner_user, people):
    manager = people["manager"]
    target = _propose(tenant, manager, partner, span="quarter", amount=Decimal("3000.01"))
    with tenant_scope(tenant):
        assert target.state == TargetState.PROPOSED and target.vendor_approved_by == manager
        assert list(TargetMonth.objects.filter(target=target).values_list("amount", flat=True)) == [
            Decimal("1000.00"), Decimal("1000.00"), Decimal("1000.01")]
        with pytest.raises(ValidationError):
            services.target_approve(target=target, actor=manager)  # the proposer's own side
        with pytest.raises(PermissionDenied):
            services.target_approve(target=target, actor=partner_user)  # only the administrator
        with pytest.raises(ValidationError):
            services.target_approve(target=target, actor=partner_admin, revision=9)
        agreed = services.target_approve(target=target, actor=partner_admin, revision=1)
        assert agreed.state == TargetState.AGREED and agreed.partner_approved_by == partner_admin
        with pytest.raises(ValidationError):
            services.target_approve(target=agreed, actor=manager)
        changed = services.target_update(target=agreed, actor=partner_admin, amount=Decimal("2500"))
        assert changed.state == TargetState.PROPOSED and changed.revision == 2
        assert changed.vendor_approved_at is None and changed.partner_approved_by == partner_admin
        assert services.target_approve(target=changed, actor=manager).state == TargetState.AGREED
        assert changed.history.count() >= 4


def test_breakdown_must_add_up_and_periods_are_unique(tenant, partner, people):
    manager = people["manager"]
    with pytest.raises(ValidationError):
        _propose(tenant, manager, partner, span="quarter", start=datetime.date(2027, 1, 1),
                 breakdown={"2027-01": "100", "2027-02": "100"})
    with pytest.raises(ValidationError):
        _propose(tenant, manager, partner, span="quarter", start=datetime.date(2027, 1, 1),
                 breakdown={"2027-05": "1000"})
    target = _propose(tenant, manager, partner, span="year", start=datetime.date(2027, 5, 9),
                      breakdown={"2027-01": "400", "2027-12": "600"})
    assert target.key == "2027" and target.start == datetime.date(2027, 1, 1)
    with pytest.raises(ValidationError):
        _propose(tenant, manager, partner, span="year", start=datetime.date(2027, 1, 1))
    with pytest.raises(ValidationError):
        _propose(tenant, manager, partner, amount=Decimal("0"))


def test_achievement_from_reported_sales_and_the_kpi(tenant, partner, partner_admin, people, region):
    with tenant_scope(tenant):
        ProductFactory(sku="P1", category="Phones")
        ProductFactory(sku="P2", category="Tablets")
        services.sales_import(tenant=tenant, partner=partner, actor=partner_admin, rows=[
            {"period": LAST.strftime("%Y-%m"), "sku": "P1", "region": "EAST", "quantity": "1", "amount": "600"},
            {"period": LAST.strftime("%Y-%m"), "sku": "P2", "region": "EAST", "quantity": "1", "amount": "200"}])
    whole = _propose(tenant, people["manager"], partner)
    phones = _propose(tenant, people["manager"], partner, category="Phones", amount=Decimal("500"))
    with tenant_scope(tenant):
        rows = {t.pk: t for t in selectors.target_list()}
        assert selectors.target_achieved(rows[whole.pk]) == Decimal("800.00")
        assert selectors.achievement_percent(rows[phones.pk]) == 120
        assert selectors.target_months_with_sales(whole)[0]["percent"] == 80
    start = timezone.make_aware(datetime.datetime.combine(LAST, datetime.time()))
    period = Period("monthly", start, timezone.make_aware(datetime.datetime.combine(THIS, datetime.time())), "x")
    assert kpi_inputs.read("cooperation.sales_achievement", tenant, period) == {}  # not agreed yet
    with tenant_scope(tenant):
        services.target_approve(target=whole, actor=partner_admin)
    assert kpi_inputs.read("cooperation.sales_achievement", tenant, period) == {partner.pk: 0.8}


def test_api_and_portal(client, tenant, partner, partner_admin, partner_user, people):
    manager = api_client_for(people["manager"])
    created = manager.post("/api/v1/cooperation/targets/", {"partner": partner.pk, "span": "year",
                                                            "start": "2027-01-01", "amount": "120000"}, format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert manager.post(f"/api/v1/cooperation/targets/{pk}/approve/", {}, format="json").status_code == 400
    assert manager.post("/api/v1/cooperation/targets/", {"span": "year", "start": "2028-01-01", "amount": "1"},
                        format="json").status_code == 400
    bad = manager.patch(f"/api/v1/cooperation/targets/{pk}/", {"breakdown": {"x": "1"}}, format="json")
    assert bad.status_code == 400
    assert len(manager.get(f"/api/v1/cooperation/targets/{pk}/months/").json()) == 12
    assert api_client_for(partner_user).post(f"/api/v1/cooperation/targets/{pk}/approve/", {},
                                             format="json").status_code == 403
    client.force_login(partner_admin)
    page = client.get(reverse("cooperation-portal:target", args=[pk]))
    assert page.status_code == 200 and page.context["may_approve"]
    assert client.post(reverse("cooperation-portal:target", args=[pk]),
                       {"approve": "1", "revision": "1"}).status_code == 302
    with tenant_scope(tenant):
        assert SalesTarget.objects.get(pk=pk).state == TargetState.AGREED
    assert client.get(reverse("cooperation-portal:targets")).status_code == 200
    proposed = client.post(reverse("cooperation-portal:target-new"), {"span": "month", "start": "2027-03-01",
                                                                      "amount": "500", "plan": "两场促销"})
    assert proposed.status_code == 302
    client.force_login(partner_user)
    assert client.get(reverse("cooperation-portal:target-new")).status_code in (302, 403)


def test_target_pages_cost_the_same_with_more_targets(client, tenant, partner, partner_admin, people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(url) -> int:
        client.get(url)  # warm
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    _propose(tenant, people["manager"], partner, start=datetime.date(2030, 1, 1))
    pages = {partner_admin: reverse("cooperation-portal:targets"),
             people["manager"]: "/admin/cooperation/salestarget/"}
    before = {}
    for user, url in pages.items():
        client.force_login(user)
        before[user] = count(url)
    for n in range(2, 6):
        _propose(tenant, people["manager"], partner, start=datetime.date(2030, n, 1))
    for user, url in pages.items():
        client.force_login(user)
        assert count(url) == before[user], url
