"""Channel cost and return (渠道成本控制): the monthly rollup, its rules, its surfaces and who sees them."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from channelhub import kpi_inputs
from channelhub.partners.models import PartnerStatus, PartnerType
from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.roles import Role
from evaluation import economics_jobs
from evaluation.models import (
    ChannelEconomics,
    CostEntry,
    CostRate,
    IncentiveStatement,
    StatementState,
)
from evaluation.services import economics as services
from tests.conftest import api_client_for, make_member
from tests.evaluation.conftest import make_cycle, make_partners
from tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db

INPUTS = ("cooperation.sales_amount", "cooperation.mdf_paid", "training.trainee_days")


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def inputs():
    """``inputs[name] = {partner_id: value}`` behind the names cost and return reads; the real ones restored."""
    saved = {name: kpi_inputs.kpi_inputs().get(name) for name in INPUTS}
    data: dict[str, dict[int, float]] = {name: {} for name in INPUTS}
    for name in INPUTS:
        kpi_inputs.register_kpi_input(name, label=name,
                                      function=lambda tenant, period, name=name: dict(data[name]))
    yield data
    for name, entry in saved.items():
        kpi_inputs.unregister_kpi_input(name)
        if entry is not None:
            kpi_inputs.register_kpi_input(entry.name, label=entry.label, function=entry.function,
                                          query=entry.query, unit=entry.unit)


@pytest.fixture
def people(tenant):
    return {role: make_member(tenant, role, username=role) for role in
            (Role.OWNER, Role.CHANNEL_MANAGER, Role.FINANCE, Role.TRAINER)}


def this_month() -> str:
    return timezone.localdate().strftime("%Y-%m")


def _rate(**fields):
    defaults = {"partner_type": PartnerType.DISTRIBUTOR, "margin_percent": Decimal("20"),
                "recruiting_cost": Decimal("5000"), "training_cost": Decimal("200")}
    return CostRate.objects.create(**{**defaults, **fields})


def test_cost_and_return_of_a_partner_adds_every_category(tenant, inputs):
    with tenant_scope(tenant):
        _rate()
        new, quiet = make_partners(2)
        cycle = make_cycle()
        IncentiveStatement.objects.create(cycle=cycle, partner=new, total=Decimal("1000"), state=StatementState.PAID)
        IncentiveStatement.objects.create(cycle=cycle, partner=quiet, total=Decimal("999"),
                                          state=StatementState.APPROVED)  # not paid: no cost yet
        CostEntry.objects.create(partner=new, period_key=this_month(), category="other", amount=Decimal("600"))
        CostEntry.objects.create(partner=new, period_key="2001-01", category="other", amount=Decimal("77"))
    inputs["cooperation.sales_amount"][new.pk] = 100000
    inputs["cooperation.mdf_paid"][new.pk] = 3000.5
    inputs["training.trainee_days"][new.pk] = 2

    assert services.economics_compute(tenant=tenant, period_key=this_month(), actor=None) == 2
    with tenant_scope(tenant):
        row = ChannelEconomics.objects.get(partner=new)
        idle = ChannelEconomics.objects.get(partner=quiet)
    assert row.revenue == Decimal("100000.00") and row.margin == Decimal("20000.00")
    # Both partners were created this month: each carries the recruiting cost of its type.
    assert (row.recruiting, row.training, row.promotion, row.incentives, row.other) == (
        Decimal("5000.00"), Decimal("400.00"), Decimal("3000.50"), Decimal("1000.00"), Decimal("600.00"))
    assert row.total_cost == Decimal("10000.50")
    assert row.net_return == Decimal("9999.50")
    assert row.return_ratio == Decimal("1.9999")
    assert isinstance(row.total_cost, Decimal)
    assert idle.revenue == 0 and idle.total_cost == Decimal("5000.00") and idle.incentives == 0


def test_a_rerun_replaces_the_month_in_constant_queries(tenant, inputs):
    with tenant_scope(tenant):
        _rate()
        few = make_partners(3)
    for partner in few:
        inputs["cooperation.sales_amount"][partner.pk] = 1000
    month = this_month()
    with CaptureQueriesContext(connection) as first:
        services.economics_compute(tenant=tenant, period_key=month, actor=None)
    with tenant_scope(tenant):
        more = make_partners(9, partner_type=PartnerType.RESELLER)
    for partner in more:
        inputs["cooperation.sales_amount"][partner.pk] = 500
    with CaptureQueriesContext(connection) as second:
        assert services.economics_compute(tenant=tenant, period_key=month, actor=None) == 12
    assert len(first) == len(second)
    services.economics_compute(tenant=tenant, period_key=month, actor=None)
    with tenant_scope(tenant):
        assert ChannelEconomics.objects.filter(period_key=month).count() == 12
        # Resellers have no cost rate: revenue but no margin and no recruiting cost.
        reseller = ChannelEconomics.objects.get(partner=more[0])
        assert reseller.revenue == Decimal("500.00") and reseller.margin == 0 and reseller.return_ratio is None


def test_prospects_and_partners_created_later_are_left_out(tenant, inputs):
    with tenant_scope(tenant):
        PartnerFactory(status=PartnerStatus.PROSPECT)
        make_partners(1)
    assert services.economics_compute(tenant=tenant, period_key="2001-01", actor=None) == 0
    assert services.economics_compute(tenant=tenant, period_key=this_month(), actor=None) == 1


@pytest.mark.parametrize("key", ["2026-13", "26-01", "", "abcd-ef", "1999-12"])
def test_a_malformed_month_is_refused(tenant, key):
    with pytest.raises(ValidationError):
        services.economics_compute(tenant=tenant, period_key=key, actor=None)


def test_the_monthly_job_computes_the_month_that_ended_and_is_safe_twice(tenant, inputs):
    with tenant_scope(tenant):
        partner = make_partners(1)[0]
        ChannelEconomics.objects.create(partner=partner, partner_type=partner.partner_type, period_key="2026-11",
                                        revenue=Decimal("1"))
    run_at = datetime.datetime(2026, 12, 1, 4, tzinfo=tenant.zone)
    # The partner was created today (after November): nothing for it in November, the stale row goes.
    assert economics_jobs.channel_economics(tenant=tenant, run_at=run_at).values["period"] == "2026-11"
    economics_jobs.channel_economics(tenant=tenant, run_at=run_at)
    with tenant_scope(tenant):
        assert ChannelEconomics.objects.filter(period_key="2026-11").count() == 0


def test_who_may_compute_and_keep_the_costs(tenant, people, inputs):
    services.economics_compute(tenant=tenant, period_key=this_month(), actor=people[Role.FINANCE])
    services.economics_compute(tenant=tenant, period_key=this_month(), actor=people[Role.CHANNEL_MANAGER])
    with pytest.raises(PermissionDenied):
        services.economics_compute(tenant=tenant, period_key=this_month(), actor=people[Role.TRAINER])
    rate = services.cost_rate_create(tenant=tenant, actor=people[Role.FINANCE], partner_type=PartnerType.AGENT,
                                     margin_percent=Decimal("15"))
    with pytest.raises(PermissionDenied):
        services.cost_rate_update(rate=rate, actor=people[Role.CHANNEL_MANAGER], margin_percent=Decimal("16"))
    with pytest.raises(ValidationError):
        services.cost_rate_update(rate=rate, actor=people[Role.OWNER], margin_percent=Decimal("150"))
    with pytest.raises(ValidationError):  # one rate per partner type
        services.cost_rate_create(tenant=tenant, actor=people[Role.OWNER], partner_type=PartnerType.AGENT)
    with tenant_scope(tenant):
        partner = make_partners(1)[0]
    with pytest.raises(ValidationError):
        services.cost_entry_create(tenant=tenant, actor=people[Role.FINANCE], partner=partner, period_key="2026/01",
                                   category="other", amount=Decimal("10"))
    entry = services.cost_entry_create(tenant=tenant, actor=people[Role.FINANCE], partner=partner,
                                       period_key="2026-01", category="training", amount=Decimal("10.05"))
    assert entry.amount == Decimal("10.05")


def test_another_tenants_partner_is_refused(tenant, other_tenant, people):
    with tenant_scope(other_tenant):
        foreign = make_partners(1)[0]
    with pytest.raises(ValidationError):
        services.cost_entry_create(tenant=tenant, actor=people[Role.FINANCE], partner=foreign,
                                   period_key="2026-01", category="other", amount=Decimal("1"))


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _fill(tenant, inputs, count, partner_type=PartnerType.DISTRIBUTOR):
    with tenant_scope(tenant):
        partners = make_partners(count, partner_type=partner_type)
    for partner in partners:
        inputs["cooperation.sales_amount"][partner.pk] = 1000
    services.economics_compute(tenant=tenant, period_key=this_month(), actor=None)
    services.economics_compute(tenant=tenant, period_key="2026-01", actor=None)


@pytest.mark.parametrize("url", [
    "admin:evaluation_channeleconomics_changelist", "admin:evaluation_channeleconomics_summary", "admin:index",
])
def test_pages_cost_the_same_whatever_the_rows(client, tenant, people, inputs, url):
    with tenant_scope(tenant):
        _rate()
    client.force_login(people[Role.FINANCE])
    _fill(tenant, inputs, 2)
    client.get(reverse(url))  # the first request of a session warms caches (site, menus)
    few = _queries(client, reverse(url))
    _fill(tenant, inputs, 8, PartnerType.RESELLER)
    assert _queries(client, reverse(url)) == few


def test_api_list_costs_the_same_whatever_the_rows(tenant, people, inputs):
    api = api_client_for(people[Role.OWNER])
    url = reverse("evaluation-api:economics-list")
    _fill(tenant, inputs, 2)
    with CaptureQueriesContext(connection) as few:
        assert api.get(url).status_code == 200
    _fill(tenant, inputs, 8)
    with CaptureQueriesContext(connection) as many:
        body = api.get(url).json()
    assert len(few) == len(many)
    assert body["count"] == 20  # ten partners, two months (the inputs answer the same figures for both)
    assert {"revenue", "margin", "total_cost", "return_ratio"} <= set(body["results"][0])


def test_summary_page_table_chart_and_exports(client, tenant, people, inputs):
    with tenant_scope(tenant):
        _rate()
    _fill(tenant, inputs, 3)
    client.force_login(people[Role.CHANNEL_MANAGER])
    url = reverse("admin:evaluation_channeleconomics_summary")
    page = client.get(url, {"months": "1"})
    assert page.status_code == 200
    (row,) = page.context["by_type"]
    assert row.label == "Distributor" and row.partners == 3 and row.margin == Decimal("600.00")
    assert page.context["type_chart"] is not None
    assert "<td>Distributor</td>" in page.content.decode()  # the type's label, not its code
    csv = client.get(url, {"months": "12", "export": "csv"})
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    assert "Distributor" in csv.content.decode()
    xlsx = client.get(url, {"export": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert client.get(url, {"months": "nonsense"}).status_code == 200


def test_recompute_page_validates_the_month(client, tenant, people, inputs):
    url = reverse("admin:evaluation_channeleconomics_compute")
    client.force_login(people[Role.FINANCE])
    bad = client.post(url, {"period_key": "2026-13"})
    assert bad.status_code == 200 and bad.context["form"].errors
    assert client.post(url, {"period_key": this_month()}).status_code == 302
    client.force_login(people[Role.TRAINER])
    assert client.get(url).status_code == 403


def test_costs_are_never_shown_to_partners_or_other_staff(client, tenant, people, inputs):
    with tenant_scope(tenant):
        partner = make_partners(1)[0]
    partner_admin = make_member(tenant, Role.PARTNER_ADMIN, partner=partner, username="padmin")
    _fill(tenant, inputs, 1)
    assert api_client_for(partner_admin).get(reverse("evaluation-api:economics-list")).status_code == 403
    assert api_client_for(people[Role.TRAINER]).get(reverse("evaluation-api:economics-list")).status_code == 403
    client.force_login(people[Role.TRAINER])
    assert client.get(reverse("admin:evaluation_channeleconomics_summary")).status_code == 403
    assert client.get(reverse("admin:evaluation_channeleconomics_changelist")).status_code == 403
    home = client.get(reverse("admin:index"))
    assert "Channel cost and return" not in home.content.decode()
    client.force_login(people[Role.FINANCE])
    assert "Channel cost and return" in client.get(reverse("admin:index")).content.decode()


def test_the_demo_part_gives_rates_a_year_and_coverage_gaps_once(tenant, inputs):
    from collections import Counter
    from types import SimpleNamespace

    from evaluation.demo import seed_economics
    from evaluation.models import CoverageGap, CoverageTarget

    with tenant_scope(tenant):
        make_partners(3)
        make_partners(2, partner_type=PartnerType.RESELLER)
    spec = SimpleNamespace(default_language="en")
    first: Counter = Counter()
    with tenant_scope(tenant):
        seed_economics(tenant, spec, first)
        months = set(ChannelEconomics.objects.values_list("period_key", flat=True))
        gaps = CoverageGap.objects.count()
        assert CostRate.objects.count() == 2 and CostEntry.objects.exists()
        assert CoverageTarget.objects.exists() and CoverageGap.objects.filter(gap__gt=0).exists()
    # Thirteen months computed (this one so far and the twelve before); the partners, created today, have
    # rows this month (with their recruiting cost) and in the months the demo recorded costs for them.
    assert first["evaluation cost rates"] == 2 and this_month() in months and len(months) >= 2
    again: Counter = Counter()
    with tenant_scope(tenant):
        seed_economics(tenant, spec, again)
        assert CoverageGap.objects.count() == gaps
    assert not again
