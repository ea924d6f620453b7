"""Evaluation's entries in the isolation harness (see ``channelhub.testing``).

Every tenant-owned model of the app gets a builder: one saved row in the side's tenant
carrying the marker in a text field where it has one; rows about a partner (results,
scores, statements, plans, surveys) hang on ``side.partner`` so the partner walk can tell
partner 1's rows from partner 2's.
"""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

from django.utils import timezone

from channelhub.partners.models import PartnerType
from channelhub.testing import register_model
from evaluation.models import (
    ImprovementAction,
    ImprovementPlan,
    IncentiveBracket,
    IncentiveKind,
    IncentiveLine,
    IncentiveRule,
    IncentiveStatement,
    Kpi,
    KpiKind,
    KpiResult,
    KpiTrend,
    PartnerScore,
    PartnerTier,
    RelationshipSurvey,
    ReviewCycle,
    Scorecard,
    ScorecardLine,
    ScoreTrend,
    Tier,
    TierChange,
    TierChangeKind,
)

_serial = itertools.count(1)


def _saved(instance):
    instance.full_clean()
    instance.save()
    return instance


def _cycle(side, marker):
    number = next(_serial)
    start = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC) + datetime.timedelta(days=number)
    return _saved(ReviewCycle(cadence="monthly", period_key=f"M{number}", period_start=start,
                              period_end=start + datetime.timedelta(days=1)))


def _scorecard(side, marker):
    # Versions far apart: *new version* adds one to the newest, and the next row built must not meet it.
    return _saved(Scorecard(name=marker, partner_type=PartnerType.DISTRIBUTOR, version=1000 * next(_serial)))


def _tier(side, marker):
    number = next(_serial)
    return _saved(Tier(code=f"{marker[:20]}{number}", name=marker, rank=number, min_score=Decimal("10")))


def _published_cycle(side):
    """A cycle of its own, published: partner staff see the rows hanging on it (portal, API)."""
    cycle = side.new(ReviewCycle)
    ReviewCycle.objects.filter(pk=cycle.pk).update(state="published")
    cycle.refresh_from_db()
    return cycle


def _statement(side, marker):
    return _saved(IncentiveStatement(cycle=_published_cycle(side), partner=side.partner, paid_reference=marker,
                                     total=Decimal("100")))


def register() -> None:
    register_model(Kpi, build=lambda side, marker: _saved(Kpi(
        code=f"{marker[:30]}{next(_serial)}", name=marker, kind=KpiKind.SALES_ACHIEVEMENT, target=Decimal("100"))))
    register_model(Scorecard, build=_scorecard)
    register_model(ScorecardLine, build=lambda side, marker: _saved(ScorecardLine(
        scorecard=side.new(Scorecard), kpi=side.get(Kpi), weight=Decimal("1"))))
    register_model(Tier, build=_tier)
    register_model(PartnerTier, build=lambda side, marker: _saved(PartnerTier(
        partner=side.partner, tier=side.get(Tier))))
    register_model(ReviewCycle, build=_cycle)
    register_model(KpiResult, build=lambda side, marker: _saved(KpiResult(
        cycle=_published_cycle(side), partner=side.partner, kpi=side.get(Kpi), raw=1.0, missing=False,
        normalised=Decimal("50"), weight=Decimal("1"))))
    register_model(PartnerScore, build=lambda side, marker: _saved(PartnerScore(
        cycle=_published_cycle(side), partner=side.partner, partner_type=PartnerType.DISTRIBUTOR,
        scorecard=side.get(Scorecard), total=Decimal("50"), adjustment_reason=marker)))
    register_model(ScoreTrend, build=lambda side, marker: _saved(ScoreTrend(
        cycle=_published_cycle(side), dimension=ScoreTrend.Dimension.TYPE, key=marker[:64], partners=1,
        average=Decimal("50"))))
    register_model(KpiTrend, build=lambda side, marker: _saved(KpiTrend(
        cycle=_published_cycle(side), kpi=side.get(Kpi), dimension=ScoreTrend.Dimension.TYPE, key=marker[:64],
        partners=1, reported=1, average=Decimal("50"), figure_average=1.0)))
    register_model(TierChange, build=lambda side, marker: _saved(TierChange(
        cycle=side.new(ReviewCycle), partner=side.partner, to_tier=side.get(Tier), kind=TierChangeKind.INITIAL)))
    register_model(IncentiveRule, build=lambda side, marker: _saved(IncentiveRule(
        name=f"{marker}{next(_serial)}", kind=IncentiveKind.COMMISSION, input_name="cooperation.sales_amount",
        rate=Decimal("1"))))
    register_model(IncentiveBracket, build=lambda side, marker: _saved(IncentiveBracket(
        rule=side.get(IncentiveRule), threshold=Decimal(next(_serial)), rate=Decimal("1"))))
    register_model(IncentiveStatement, build=_statement)
    register_model(IncentiveLine, build=lambda side, marker: _saved(IncentiveLine(
        statement=side.get(IncentiveStatement), rule=side.get(IncentiveRule), kind=IncentiveKind.COMMISSION,
        amount=Decimal("100"), explanation=marker)))
    register_model(ImprovementPlan, build=lambda side, marker: _saved(ImprovementPlan(
        partner=side.partner, cycle=side.get(ReviewCycle), title=marker,
        due_date=timezone.localdate() + datetime.timedelta(days=30))))
    register_model(ImprovementAction, build=lambda side, marker: _saved(ImprovementAction(
        plan=side.get(ImprovementPlan), description=marker, due_date=timezone.localdate())))
    register_model(RelationshipSurvey, build=lambda side, marker: _saved(RelationshipSurvey(
        partner=side.partner, period_key=f"S{next(_serial)}", support=4, training=3, communication=4, fairness=5,
        manager_rating=4, partner_comment=marker)))


register()


def _payloads() -> None:
    """What the API's create operations and the action bodies are sent (fresh codes, periods, ranks)."""
    from channelhub.testing import register_action_payload

    register_model(Kpi, build=lambda side, marker: _saved(Kpi(
        code=f"{marker[:30]}{next(_serial)}", name=marker, kind=KpiKind.SALES_ACHIEVEMENT, target=Decimal("100"))),
        payload=lambda side, marker: {"code": f"p{next(_serial)}", "name": marker, "kind": "sales_achievement",
                                      "normalisation": "target", "target": "100"})
    register_model(Scorecard, build=_scorecard, payload=lambda side, marker: {
        "name": marker, "partner_type": PartnerType.RESELLER, "is_active": True})
    register_model(ScorecardLine, build=lambda side, marker: _saved(ScorecardLine(
        scorecard=side.new(Scorecard), kpi=side.get(Kpi), weight=Decimal("1"))),
        payload=lambda side, marker: {"scorecard": side.new(Scorecard).pk, "kpi": side.get(Kpi).pk, "weight": "2"})
    register_model(Tier, build=_tier, payload=lambda side, marker: {
        "code": f"t{next(_serial)}", "name": marker, "rank": 1000 + next(_serial), "min_score": "50"})

    def cycle_payload(side, marker):
        number = next(_serial)
        start = datetime.datetime(2010, 1, 1, tzinfo=datetime.UTC) + datetime.timedelta(days=number)
        return {"cadence": "monthly", "period_key": f"P{number}", "period_start": start.isoformat(),
                "period_end": (start + datetime.timedelta(days=1)).isoformat()}

    register_model(ReviewCycle, build=_cycle, payload=cycle_payload)
    register_model(IncentiveRule, build=lambda side, marker: _saved(IncentiveRule(
        name=f"{marker}{next(_serial)}", kind=IncentiveKind.COMMISSION, input_name="cooperation.sales_amount",
        rate=Decimal("1"))), admin_payload=lambda side, marker: {
        "name": f"{marker}{next(_serial)}", "kind": "commission", "input_name": "cooperation.sales_amount",
        "rate": "1", "amount": "0", "bracket_mode": "flat", "is_active": "on",
        "brackets-TOTAL_FORMS": "0", "brackets-INITIAL_FORMS": "0"})
    register_model(ImprovementPlan, build=lambda side, marker: _saved(ImprovementPlan(
        partner=side.partner, cycle=side.get(ReviewCycle), title=marker,
        due_date=timezone.localdate() + datetime.timedelta(days=30))), admin_payload=lambda side, marker: {
        "partner": side.partner.pk, "cycle": side.get(ReviewCycle).pk, "title": marker, "due_date": "2030-01-31",
        "state": "open", "actions-TOTAL_FORMS": "0", "actions-INITIAL_FORMS": "0"})
    register_model(RelationshipSurvey, build=lambda side, marker: _saved(RelationshipSurvey(
        partner=side.partner, period_key=f"S{next(_serial)}", support=4, training=3, communication=4, fairness=5,
        manager_rating=4, partner_comment=marker)), admin_payload=lambda side, marker: {
        "partner": side.partner.pk, "period_key": f"A{next(_serial)}", "manager_rating": "4",
        "manager_comment": marker})
    for route, build in {
        "evaluation-api:cycle-reopen": lambda side, obj: {"reason": side.marker()},
        "evaluation-api:cycle-preview": lambda side, obj: {},
        "evaluation-api:result-adjust": lambda side, obj: {"adjusted_score": "50", "reason": side.marker()},
        "evaluation-api:statement-mark-paid": lambda side, obj: {"reference": side.marker()[:80]},
    }.items():
        register_action_payload(route, build)


_payloads()


# --------------------------------------------------------------------------- cost and return, coverage


def _free_partner_type() -> str:
    """A partner type without a cost rate yet (one rate per type); frees one when all are taken."""
    from evaluation.models import CostRate

    taken = set(CostRate.objects.values_list("partner_type", flat=True))
    free = [value for value in PartnerType.values if value not in taken]
    if free:
        return free[0]
    oldest = CostRate.objects.order_by("pk").first()
    CostRate.objects.filter(pk=oldest.pk).delete()
    return oldest.partner_type


def _month(number: int) -> str:
    return f"{2000 + number // 12:04d}-{number % 12 + 1:02d}"


def _economics() -> None:
    from evaluation.models import ChannelEconomics, CostEntry, CostRate, CoverageGap, CoverageTarget

    register_model(CostRate, build=lambda side, marker: _saved(CostRate(
        partner_type=_free_partner_type(), margin_percent=Decimal("12"), recruiting_cost=Decimal("5000"),
        training_cost=Decimal("300"))), admin_payload=lambda side, marker: {
        "partner_type": _free_partner_type(), "margin_percent": "12", "recruiting_cost": "5000",
        "training_cost": "300"})
    register_model(CostEntry, build=lambda side, marker: _saved(CostEntry(
        partner=side.partner, period_key=_month(next(_serial)), category="other", amount=Decimal("100"),
        note=marker)), admin_payload=lambda side, marker: {
        "partner": side.partner.pk, "period_key": "2026-01", "category": "other", "amount": "100", "note": marker})
    register_model(ChannelEconomics, build=lambda side, marker: _saved(ChannelEconomics(
        partner=side.partner, partner_type=side.partner.partner_type, region_id=side.partner.region_id,
        period_key=_month(next(_serial)), revenue=Decimal("1000"), margin=Decimal("100"),
        total_cost=Decimal("50"), net_return=Decimal("50"), return_ratio=Decimal("2"))))
    register_model(CoverageTarget, build=lambda side, marker: _saved(CoverageTarget(
        region_id=side.partner.region_id, partner_type=PartnerType.RESELLER, product_category=marker[:100],
        wanted=3, market_weight=Decimal("10"), note=marker)), admin_payload=lambda side, marker: {
        "region": side.partner.region_id, "partner_type": "reseller", "product_category": marker[:100],
        "wanted": "3", "market_weight": "10", "note": marker})

    def gap(side, marker):
        target = side.new(CoverageTarget)
        return _saved(CoverageGap(target=target, region_id=target.region_id, partner_type=target.partner_type,
                                  product_category=marker[:100], active=1, wanted=3, gap=2,
                                  market_weight=Decimal("10"), weighted_gap=Decimal("6.67")))

    register_model(CoverageGap, build=gap)


_economics()


# --------------------------------------------------------------------------- the rollup pages (no object in the URL)


def _text(response) -> str:
    content = response.content
    if content[:2] == b"PK":  # an XLSX export
        import io

        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(content)).active
        return " ".join(str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value is not None)
    return content.decode("utf-8", errors="replace")


def _assert_no_leak(world, response, url: str) -> None:
    from channelhub.testing import find_token

    assert response.status_code in (200, 302), f"{url}: {response.status_code}"
    snippet = find_token(_text(response), world.b.token)
    assert snippet is None, f"{url}: tenant B's data on tenant A's page:\n…{snippet}…"


def check_economics_summary(world, route) -> None:
    """A's summary (and its exports) sums A's rollup only; it never names B's rows."""
    from channelhub.tenancy.roles import Role
    from evaluation.models import ChannelEconomics

    world.b.build_all()
    world.a.build_all()
    with world.a.scope():
        own = ChannelEconomics.objects.values("partner_id").distinct().count()
    owner = world.a.client(world.a.user(Role.OWNER))
    for query in ("", "?months=1", "?months=12&export=csv", "?months=12&export=xlsx"):
        response = owner.get(route.url() + query)
        _assert_no_leak(world, response, route.url() + query)
        if not query:
            assert sum(row.partners for row in response.context["by_type"]) <= own


def _check_recompute(model, post_data):
    def check(world, route) -> None:
        """Recomputing A's rollup leaves B's rows as they were."""
        from channelhub.tenancy.roles import Role

        world.b.build_all()
        world.a.build_all()
        with world.b.scope():
            before = sorted(model.objects.values_list("pk", flat=True))
        owner = world.a.client(world.a.user(Role.OWNER))
        _assert_no_leak(world, owner.get(route.url()), route.url())
        _assert_no_leak(world, owner.post(route.url(), post_data), route.url())
        with world.b.scope():
            assert sorted(model.objects.values_list("pk", flat=True)) == before, "B's rollup changed"

    return check


def check_coverage_map(world, route) -> None:
    """A's coverage map holds A's cells only."""
    from channelhub.tenancy.roles import Role
    from evaluation.models import CoverageGap

    world.b.build_all()
    world.a.build_all()
    with world.a.scope():
        own = set(CoverageGap.objects.values_list("pk", flat=True))
    response = world.a.client(world.a.user(Role.TRAINER)).get(route.url())
    _assert_no_leak(world, response, route.url())
    shown = {cell.pk for _region, cells in response.context["matrix"].rows for cell in cells if cell is not None}
    assert shown <= own, "tenant B's coverage cells on tenant A's map"


def check_kpi_trends(world, route) -> None:
    """A's KPI trends page (and its exports) offers A's KPIs and shows A's rows only."""
    from channelhub.tenancy.roles import Role

    world.b.build_all()
    world.a.build_all()
    with world.a.scope():
        own_kpis = set(Kpi.objects.values_list("pk", flat=True))
        kpi = world.a.get(KpiTrend).kpi_id
    with world.b.scope():
        foreign_kpi = world.b.get(KpiTrend).kpi_id
    trainer = world.a.client(world.a.user(Role.TRAINER))
    for query in ("", f"?kpi={kpi}", f"?kpi={kpi}&dimension=area&measure=figure", f"?kpi={kpi}&export=csv",
                  f"?kpi={kpi}&export=xlsx"):
        response = trainer.get(route.url() + query)
        _assert_no_leak(world, response, route.url() + query)
        if response.context is not None:
            with world.a.scope():  # the choices are a queryset, read again here
                offered = {choice.value for choice, _label in response.context["form"].fields["kpi"].choices}
            assert offered <= own_kpis, "tenant B's KPIs offered on tenant A's page"
    # B's KPI chosen by its id on A's page: a form error, none of B's rows.
    response = trainer.get(f"{route.url()}?kpi={foreign_kpi}")
    _assert_no_leak(world, response, route.url())
    assert response.context["form"].errors.get("kpi") and response.context["table"] is None


def _route_checks() -> None:
    from channelhub.testing import register_route_check
    from evaluation.models import ChannelEconomics, CoverageGap

    register_route_check("admin:evaluation_channeleconomics_summary", check_economics_summary)
    register_route_check("admin:evaluation_channeleconomics_compute",
                         _check_recompute(ChannelEconomics, {"period_key": "2026-01"}))
    register_route_check("admin:evaluation_coveragegap_map", check_coverage_map)
    register_route_check("admin:evaluation_coveragegap_compute", _check_recompute(CoverageGap, {}))
    register_route_check("admin:evaluation_reviewcycle_kpi_trends", check_kpi_trends)


_route_checks()
