"""The score trend: a published cycle's averages per partner type and sales area, read by the dashboard."""

from __future__ import annotations

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from channelhub.partners.models import PartnerType, Region
from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.roles import Role
from evaluation import selectors
from evaluation.models import PartnerScore, ScoreTrend
from evaluation.services import cycle_compute, cycle_confirm, cycle_publish, score_adjust
from tests.conftest import make_member
from tests.factories import RegionFactory

from .conftest import make_cycle, make_kpi, make_partners, make_scorecard

QUARTERS = [("2026-Q2", (2026, 4, 1), (2026, 7, 1)), ("2026-Q3", (2026, 7, 1), (2026, 10, 1))]


def _world(figures, sales_by_quarter):
    east, north = RegionFactory(code="EAST", name="华东"), RegionFactory(code="NORTH", name="华北")
    shanghai = RegionFactory(code="SH", name="上海", parent=east)
    distributors = make_partners(2)
    resellers = make_partners(1, partner_type=PartnerType.RESELLER)
    for partner, region in zip(distributors + resellers, (shanghai, north, east), strict=True):
        partner.region = region
        partner.save()
    kpi = make_kpi("sales", "test.sales")
    make_scorecard(lines=[(kpi, 1)])
    make_scorecard(partner_type=PartnerType.RESELLER, lines=[(kpi, 1)])
    cycles = []
    for (key, start, end), sales in zip(QUARTERS, sales_by_quarter, strict=True):
        figures["test.sales"] = dict(zip([p.pk for p in distributors + resellers], sales, strict=True))
        cycle = make_cycle(key, start, end)
        cycle_compute(cycle=cycle, actor=None)
        cycles.append(cycle)
    return distributors, resellers, cycles


def _publish(cycle):
    cycle_confirm(cycle=cycle, actor=None)
    cycle_publish(cycle=cycle, actor=None)


def test_publishing_writes_the_averages_per_type_and_area_with_adjusted_scores(scoped, figures):
    distributors, resellers, (q2, q3) = _world(figures, [(100, 50, 80), (60, 40, 20)])
    score = PartnerScore.objects.get(cycle=q2, partner=distributors[1])
    score_adjust(score=score, actor=None, adjusted_score=Decimal("70"), reason="品牌活动延期")
    assert not ScoreTrend.objects.exists()  # nothing until publication: scores may still change
    _publish(q2)
    rows = {(row.dimension, row.key): (row.partners, row.average)
            for row in ScoreTrend.objects.filter(cycle=q2)}
    totals = {p.pk: s.adjusted_score or s.total for p in distributors + resellers
              for s in [PartnerScore.objects.get(cycle=q2, partner=p)]}
    d1, d2, r1 = (totals[p.pk] for p in distributors + resellers)
    assert d2 == Decimal("70")
    assert rows[("partner_type", PartnerType.DISTRIBUTOR)] == (2, ((d1 + d2) / 2).quantize(Decimal("0.001")))
    assert rows[("partner_type", PartnerType.RESELLER)] == (1, r1)
    # Shanghai counts in its area (East) with the partner placed on East itself.
    assert rows[("area", "EAST")] == (2, ((d1 + r1) / 2).quantize(Decimal("0.001")))
    assert rows[("area", "NORTH")] == (1, d2)
    _publish(q3)
    cycles, series = selectors.score_trend(dimension=ScoreTrend.Dimension.TYPE)
    assert [c.period_key for c in cycles] == ["2026-Q2", "2026-Q3"]
    assert series[PartnerType.RESELLER][0] == float(r1) and len(series[PartnerType.DISTRIBUTOR]) == 2


def test_the_dashboard_draws_the_trend_from_the_rollup(client, tenant, figures):
    with tenant_scope(tenant, source="test"):
        _distributors, _resellers, cycles = _world(figures, [(100, 50, 80), (60, 40, 20)])
        for cycle in cycles:
            _publish(cycle)
        owner = make_member(tenant, Role.OWNER)
        with translation.override("en"):  # the page's language
            east = Region.objects.get(code="EAST").display_name
    client.force_login(owner)
    client.cookies["django_language"] = "en"
    page = client.get("/admin/")
    body = page.content.decode()
    assert "Score trend by partner type" in body and "Score trend by sales area" in body
    assert "&quot;2026-Q2&quot;, &quot;2026-Q3&quot;" in body and east in body
    with CaptureQueriesContext(connection) as queries:
        client.get("/admin/")
    trend_queries = [q["sql"] for q in queries.captured_queries if "evaluation_scoretrend" in q["sql"]]
    assert len(trend_queries) == 2  # one per widget, whatever the number of partners
