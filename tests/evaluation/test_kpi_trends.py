"""KPI trends: per published cycle, KPI and partner type / sales area, the average score and figure.

The data set: two KPIs (sales, target 100, a missing figure scores zero; SLA, target 200, a missing
figure is left out), two distributors (Shanghai → East, North) and two resellers (East itself,
North), two quarters. Every expected figure below is worked out by hand from the inputs.
"""

from __future__ import annotations

import importlib
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from channelhub.partners.models import PartnerType
from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.roles import Role
from evaluation.models import KpiTrend, MissingRule, ReviewCycle
from evaluation.services import cycle_compute, cycle_confirm, cycle_publish
from evaluation.services.trends import kpi_trends_write
from tests.conftest import api_client_for, make_member
from tests.factories import RegionFactory

from .conftest import make_cycle, make_kpi, make_partners, make_scorecard

pytestmark = pytest.mark.django_db

D, R = PartnerType.DISTRIBUTOR, PartnerType.RESELLER
QUARTERS = [("2026-Q2", (2026, 4, 1), (2026, 7, 1)), ("2026-Q3", (2026, 7, 1), (2026, 10, 1))]
# Per quarter, per KPI input: the figures of d1, d2, r1, r2 (None: no figure).
FIGURES = [
    {"test.sales": (100, 50, 80, None), "test.sla": (100, None, 300, 50)},
    {"test.sales": (40, 60, None, 20), "test.sla": (200, 100, None, None)},
]
# (quarter, KPI code, dimension, key): (partners, with a figure, average score, average figure).
EXPECTED = {
    # 2026-Q2. Sales scores d1 100, d2 50, r1 80, r2 0; SLA scores d1 50, d2 left out, r1 100 (capped), r2 25.
    ("2026-Q2", "sales", "partner_type", D): (2, 2, Decimal("75.000"), 75.0),
    ("2026-Q2", "sales", "partner_type", R): (2, 1, Decimal("40.000"), 80.0),
    ("2026-Q2", "sla", "partner_type", D): (2, 1, Decimal("50.000"), 100.0),
    ("2026-Q2", "sla", "partner_type", R): (2, 2, Decimal("62.500"), 175.0),
    ("2026-Q2", "sales", "area", "EAST"): (2, 2, Decimal("90.000"), 90.0),
    ("2026-Q2", "sales", "area", "NORTH"): (2, 1, Decimal("25.000"), 50.0),
    ("2026-Q2", "sla", "area", "EAST"): (2, 2, Decimal("75.000"), 200.0),
    ("2026-Q2", "sla", "area", "NORTH"): (2, 1, Decimal("25.000"), 50.0),
    # 2026-Q3. Sales scores d1 40, d2 60, r1 0, r2 20; SLA scores d1 100, d2 50, r1 and r2 left out.
    ("2026-Q3", "sales", "partner_type", D): (2, 2, Decimal("50.000"), 50.0),
    ("2026-Q3", "sales", "partner_type", R): (2, 1, Decimal("10.000"), 20.0),
    ("2026-Q3", "sla", "partner_type", D): (2, 2, Decimal("75.000"), 150.0),
    ("2026-Q3", "sla", "partner_type", R): (2, 0, None, None),
    ("2026-Q3", "sales", "area", "EAST"): (2, 1, Decimal("20.000"), 40.0),
    ("2026-Q3", "sales", "area", "NORTH"): (2, 2, Decimal("40.000"), 40.0),
    ("2026-Q3", "sla", "area", "EAST"): (2, 1, Decimal("100.000"), 200.0),
    ("2026-Q3", "sla", "area", "NORTH"): (2, 1, Decimal("50.000"), 100.0),
}


def _rows(cycles=None) -> dict:
    rows = KpiTrend.objects.select_related("cycle", "kpi")
    if cycles is not None:
        rows = rows.filter(cycle__in=cycles)
    return {(row.cycle.period_key, row.kpi.code, row.dimension, row.key):
            (row.partners, row.reported, row.average, row.figure_average) for row in rows}


def _world(figures, *, publish=True, extra_distributors=0):
    """The data set above (plus, for the query counts, more distributors in East); both quarters
    computed, confirmed and (unless ``publish`` is false) published."""
    east = RegionFactory(code="EAST", name="华东", name_en="East China")
    north = RegionFactory(code="NORTH", name="华北", name_en="North China")
    shanghai = RegionFactory(code="SH", name="上海", name_en="Shanghai", parent=east)
    d1, d2 = make_partners(2)
    r1, r2 = make_partners(2, partner_type=R)
    for partner, region in ((d1, shanghai), (d2, north), (r1, east), (r2, north)):
        partner.region = region
        partner.save()
    more = make_partners(extra_distributors)
    for partner in more:
        partner.region = shanghai
        partner.save()
    sales = make_kpi("sales", "test.sales", name="销售达成")
    sla = make_kpi("sla", "test.sla", name="服务达标", target=Decimal("200"), missing_rule=MissingRule.EXCLUDE)
    make_scorecard(lines=[(sales, 1), (sla, 1)])
    make_scorecard(partner_type=R, lines=[(sales, 1), (sla, 1)])
    cycles = []
    for (key, start, end), quarter in zip(QUARTERS, FIGURES, strict=True):
        for name, values in quarter.items():
            figures[name] = {p.pk: v for p, v in zip((d1, d2, r1, r2), values, strict=True) if v is not None}
            figures[name].update({p.pk: 100 for p in more})
        cycle = make_cycle(key, start, end)
        cycle_compute(cycle=cycle, actor=None)
        cycle_confirm(cycle=cycle, actor=None)
        if publish:
            cycle_publish(cycle=cycle, actor=None)
        cycles.append(cycle)
    return {"kpis": (sales, sla), "cycles": cycles}


def test_publication_writes_each_kpis_averages_per_type_and_area(scoped, figures):
    world = _world(figures, publish=False)
    assert not KpiTrend.objects.exists()  # nothing until publication
    q2, q3 = world["cycles"]
    cycle_publish(cycle=q2, actor=None)
    assert _rows() == {key: value for key, value in EXPECTED.items() if key[0] == "2026-Q2"}
    cycle_publish(cycle=q3, actor=None)
    assert _rows() == EXPECTED


def test_a_rewrite_replaces_the_rows_in_constant_queries(scoped, figures):
    world = _world(figures)
    ids = set(KpiTrend.objects.values_list("pk", flat=True))
    for cycle in world["cycles"]:
        with CaptureQueriesContext(connection) as queries:
            assert kpi_trends_write(cycle) == 8  # 2 KPIs × (2 types + 2 areas)
        assert len(queries) == 3  # the delete and one INSERT … SELECT per dimension
    assert _rows() == EXPECTED and KpiTrend.objects.count() == len(EXPECTED)
    assert not ids & set(KpiTrend.objects.values_list("pk", flat=True))  # replaced, not kept beside


def test_the_writer_costs_the_same_for_more_partners(tenant, figures):
    with tenant_scope(tenant):
        world = _world(figures, extra_distributors=12)
        with CaptureQueriesContext(connection) as queries:
            kpi_trends_write(world["cycles"][1])
        rows = _rows([world["cycles"][1]])
    assert len(queries) == 3
    assert rows[("2026-Q3", "sales", "partner_type", D)][:2] == (14, 14)


def test_the_migration_backfills_published_cycles_like_publication(scoped, figures):
    """The backfill in 0006 writes, for every published cycle, the rows publication writes."""
    world = _world(figures, publish=False)
    cycle_publish(cycle=world["cycles"][0], actor=None)
    ReviewCycle.objects.filter(pk=world["cycles"][1].pk).update(state="published")  # published before 0006
    KpiTrend.objects.all().delete()
    migration = importlib.import_module("evaluation.migrations.0006_kpi_trends")
    with connection.cursor() as cursor:
        cursor.execute(migration.INSERT + migration.BY_TYPE)
        cursor.execute(migration.INSERT + migration.BY_AREA)
    assert _rows() == EXPECTED


# --------------------------------------------------------------------------- the page


@pytest.fixture
def published(tenant, figures):
    with tenant_scope(tenant):
        return _world(figures)


def _page(client, **query):
    return client.get(reverse("admin:evaluation_reviewcycle_kpi_trends"), query)


def test_the_page_in_chinese_table_chart_and_exports(client, tenant, published):
    sales, sla = published["kpis"]
    client.force_login(make_member(tenant, Role.TRAINER))
    client.cookies["django_language"] = "zh-hans"
    page = _page(client)  # no choice yet: the catalogue's first KPI per partner type, the score
    assert page.status_code == 200 and page.context["kpi"] == sales
    body = page.content.decode()
    assert "考核指标趋势" in body and "经销商" in body and "转售商" in body and "销售达成" in body
    assert page.context["periods"] == ["2026-Q2", "2026-Q3"]
    (distributors, d_cells), (resellers, r_cells) = page.context["table"]
    assert (distributors, resellers) == ("经销商", "转售商")
    assert [value for value, _cell in d_cells] == [Decimal("75.000"), Decimal("50.000")]
    assert [value for value, _cell in r_cells] == [Decimal("40.000"), Decimal("10.000")]
    assert 'data-type="line"' in body and "&quot;2026-Q2&quot;, &quot;2026-Q3&quot;" in body
    area = _page(client, kpi=sla.pk, dimension="area", measure="figure")
    assert [(label, [value for value, _cell in cells]) for label, cells in area.context["table"]] == [
        ("华东", [200.0, 200.0]), ("华北", [50.0, 100.0])]
    assert "销售大区" in area.content.decode()
    csv = _page(client, kpi=sla.pk, dimension="area", measure="figure", export="csv")
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "销售大区,2026-Q2,2026-Q2 合作伙伴数,2026-Q3,2026-Q3 合作伙伴数"
    assert lines[1:] == ["华东,200.0,2,200.0,2", "华北,50.0,2,100.0,2"]
    # No reseller had an SLA figure in 2026-Q3: no score either (both left out), shown as a dash.
    resellers = _page(client, kpi=sla.pk).context["table"][1]
    assert resellers[0] == "转售商" and [value for value, _cell in resellers[1]] == [Decimal("62.500"), None]


def test_the_page_and_its_xlsx_in_english(client, tenant, published):
    from openpyxl import load_workbook

    sales, _sla = published["kpis"]
    client.force_login(make_member(tenant, Role.OWNER))
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        page = _page(client, kpi=sales.pk, dimension="area")
        body = page.content.decode()
        assert "KPI trends" in body and "East China" in body and "North China" in body and "Sales area" in body
        xlsx = _page(client, kpi=sales.pk, dimension="partner_type", export="xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == ["Partner type", "2026-Q2", "2026-Q2 partners", "2026-Q3", "2026-Q3 partners"]
    assert rows[1] == ["Distributor", 75, 2, 50, 2] and rows[2][0] == "Reseller"


@pytest.mark.parametrize("query", [
    {"kpi": "999999"}, {"kpi": "abc"}, {"dimension": "country"}, {"measure": "median"},
    {"kpi": "1' OR 1=1"}, {"dimension": "area", "export": "csv", "measure": "x"},
])
def test_bad_choices_are_form_errors(client, tenant, published, query):
    client.force_login(make_member(tenant, Role.TRAINER))
    page = _page(client, **query)
    assert page.status_code == 200
    assert page.context["form"].errors and page.context["table"] is None
    assert "errornote" in page.content.decode()


def test_an_empty_catalogue_says_so(client, tenant):
    client.force_login(make_member(tenant, Role.TRAINER))
    client.cookies["django_language"] = "zh-hans"
    page = _page(client)
    assert page.status_code == 200 and "考核指标目录还是空的" in page.content.decode()


def _count(client, url, query) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, query).status_code == 200
    return len(queries)


@pytest.mark.parametrize("query", [{}, {"dimension": "area", "measure": "figure"}, {"export": "csv"}])
def test_the_page_costs_the_same_whatever_the_partners(client, tenant, other_tenant, figures, query):
    url = reverse("admin:evaluation_reviewcycle_kpi_trends")
    small, large = tenant, other_tenant
    with tenant_scope(small):
        _world(figures)
    with tenant_scope(large):
        _world(figures, extra_distributors=15)
    counts = []
    for side in (small, large):
        client.force_login(make_member(side, Role.OWNER, username=f"owner-{side.pk}"))
        client.get(url)  # the first request of a session warms caches (site, menus)
        counts.append(_count(client, url, query))
    assert counts[0] == counts[1]


def test_the_dashboard_trends_link_to_the_page(client, tenant, published):
    client.force_login(make_member(tenant, Role.OWNER))
    body = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:evaluation_reviewcycle_kpi_trends") + "?dimension=area" in body
    listing = client.get(reverse("admin:evaluation_reviewcycle_changelist")).content.decode()
    assert reverse("admin:evaluation_reviewcycle_kpi_trends") in listing


# --------------------------------------------------------------------------- the API


def test_the_api_lists_the_rows_with_labels_in_the_callers_language(tenant, published):
    sales, _sla = published["kpis"]
    api = api_client_for(make_member(tenant, Role.FINANCE))
    url = reverse("evaluation-api:kpi-trend-list")
    api.cookies["django_language"] = "zh-hans"  # the caller's explicit choice (the tenant speaks English)
    body = api.get(url, {"kpi": sales.pk, "dimension": "area"}).json()
    assert body["count"] == 4
    newest = body["results"][0]
    assert (newest["period_key"], newest["kpi_code"], newest["key"], newest["label"]) == (
        "2026-Q3", "sales", "EAST", "华东")
    assert (newest["partners"], newest["reported"], newest["average"], newest["figure_average"]) == (
        2, 1, "20.000", 40.0)
    api.cookies["django_language"] = "en"
    english = api.get(url, {"kpi": sales.pk, "dimension": "partner_type"}).json()
    assert {row["label"] for row in english["results"]} == {"Distributor", "Reseller"}
    assert api.get(url).json()["count"] == len(EXPECTED)


@pytest.mark.parametrize("query, field", [
    ({"kpi": "abc"}, "kpi"), ({"kpi": "999999"}, "kpi"), ({"dimension": "country"}, "dimension"),
])
def test_the_api_answers_400_naming_the_bad_filter(tenant, published, query, field):
    api = api_client_for(make_member(tenant, Role.OWNER))
    response = api.get(reverse("evaluation-api:kpi-trend-list"), query)
    assert response.status_code == 400
    assert list(response.json()) == [field]  # the parameter named, as DRF names a bad field


def test_the_api_costs_the_same_whatever_the_partners_and_refuses_partner_staff(tenant, other_tenant, figures):
    url = reverse("evaluation-api:kpi-trend-list")
    counts = []
    for side, extra in ((tenant, 0), (other_tenant, 15)):
        with tenant_scope(side):
            world = _world(figures, extra_distributors=extra)
        api = api_client_for(make_member(side, Role.OWNER, username=f"owner-{side.pk}"))
        api.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert api.get(url, {"kpi": world["kpis"][0].pk}).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    with tenant_scope(tenant):
        partner = make_partners(1)[0]
    partner_admin = make_member(tenant, Role.PARTNER_ADMIN, partner=partner, username="padmin")
    assert api_client_for(partner_admin).get(url).status_code == 403
