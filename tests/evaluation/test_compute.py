"""The review cycle's set-based computation: normalisations, missing-data rules, ranks, tiers, money."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from channelhub.partners.models import PartnerType
from channelhub.tenancy.roles import Role
from evaluation import compute as engine
from evaluation.models import (
    BracketMode,
    CycleState,
    Direction,
    IncentiveBracket,
    IncentiveKind,
    IncentiveLine,
    IncentiveRule,
    IncentiveStatement,
    KpiResult,
    MissingRule,
    Normalisation,
    PartnerScore,
    PartnerTier,
    StatementState,
    Tier,
    TierChange,
)
from evaluation.services import (
    cycle_compute,
    cycle_confirm,
    cycle_preview,
    cycle_publish,
    score_adjust,
    statement_approve,
    statement_mark_paid,
)
from tests.evaluation.conftest import make_cycle, make_kpi, make_partners, make_scorecard

pytestmark = pytest.mark.django_db


def _score(cycle, partner):
    return PartnerScore.objects.get(cycle=cycle, partner=partner)


def _result(cycle, partner, kpi):
    return KpiResult.objects.get(cycle=cycle, partner=partner, kpi=kpi)


def test_normalisations_missing_rules_weights_and_rank(scoped, figures):
    a, b, c = make_partners(3)
    target = make_kpi("sales", "test.sales", target=Decimal("200"))
    linear = make_kpi("sla", "test.sla", normalisation=Normalisation.LINEAR, floor=Decimal("0.5"),
                      ceiling=Decimal("1"), missing_rule=MissingRule.NEUTRAL, neutral_score=Decimal("40"))
    lower = make_kpi("incidents", "test.incidents", direction=Direction.LOWER, target=Decimal("2"),
                     missing_rule=MissingRule.EXCLUDE)
    share = make_kpi("coverage", "test.coverage", normalisation=Normalisation.PERCENTILE)
    unregistered = make_kpi("share", "cooperation.not_yet_registered", missing_rule=MissingRule.ZERO)
    make_scorecard(lines=[(target, 40), (linear, 20), (lower, 20), (share, 10), (unregistered, 10)])
    figures["test.sales"] = {a.pk: 100, b.pk: 300, c.pk: 50}
    figures["test.sla"] = {a.pk: 0.75, b.pk: 0.2}  # c: no figure → neutral 40
    figures["test.incidents"] = {a.pk: 4, b.pk: 0}  # c: no figure → excluded, re-weighted
    figures["test.coverage"] = {a.pk: 10, b.pk: 30, c.pk: 20}
    cycle = make_cycle()

    cycle_compute(cycle=cycle, actor=None)

    cycle.refresh_from_db()
    assert cycle.state == CycleState.COMPUTED and cycle.partner_count == 3
    assert _result(cycle, a, target).normalised == Decimal("50.000")
    assert _result(cycle, b, target).normalised == Decimal("100.000")  # capped
    assert _result(cycle, a, linear).normalised == Decimal("50.000")
    assert _result(cycle, b, linear).normalised == Decimal("0.000")  # below the floor
    assert _result(cycle, c, linear).normalised == Decimal("40.000") and _result(cycle, c, linear).missing
    assert _result(cycle, a, lower).normalised == Decimal("50.000")  # 2 / 4
    assert _result(cycle, b, lower).normalised == Decimal("100.000")
    assert _result(cycle, c, lower).normalised is None
    assert [_result(cycle, p, share).normalised for p in (a, c, b)] == [Decimal("0"), Decimal("50"), Decimal("100")]
    assert _result(cycle, a, unregistered).normalised == 0 and _result(cycle, a, unregistered).missing
    # a: 50×.4 + 50×.2 + 50×.2 + 0×.1 + 0×.1 = 40
    assert _score(cycle, a).total == Decimal("40.000")
    # c re-weighted over 80: (25×40 + 40×20 + 50×10 + 0×10) / 80 = 28.75
    assert _score(cycle, c).total == Decimal("28.750")
    assert _result(cycle, c, target).effective_weight == Decimal("50.000")
    assert sum(r.contribution for r in KpiResult.objects.filter(cycle=cycle, partner=b)) == _score(cycle, b).total
    ranks = {s.partner_id: (s.rank, s.peer_count) for s in PartnerScore.objects.filter(cycle=cycle)}
    assert ranks == {b.pk: (1, 3), a.pk: (2, 3), c.pk: (3, 3)}


def test_percentile_ranks_within_the_partner_type(scoped, figures):
    distributors = make_partners(2)
    (agent,) = make_partners(1, PartnerType.AGENT)
    kpi = make_kpi("coverage", "test.coverage", normalisation=Normalisation.PERCENTILE)
    make_scorecard(lines=[(kpi, 1)])
    make_scorecard(PartnerType.AGENT, lines=[(kpi, 1)])
    figures["test.coverage"] = {distributors[0].pk: 1, distributors[1].pk: 2, agent.pk: 0}
    cycle = make_cycle()
    cycle_compute(cycle=cycle, actor=None)
    assert _score(cycle, agent).total == Decimal("100.000")  # alone among its peers
    assert _score(cycle, distributors[0]).total == 0 and _score(cycle, agent).peer_count == 1


def test_rerun_replaces_and_uses_constant_queries(scoped, figures):
    partners = make_partners(3)
    kpi = make_kpi("sales", "test.sales")
    make_scorecard(lines=[(kpi, 1)])
    figures["test.sales"] = {p.pk: 80 for p in partners}
    cycle = make_cycle()
    # Content types are looked up once per process and then cached: warm them, so that both
    # runs count their own work whichever test ran first.
    ContentType.objects.get_for_models(*apps.get_models())
    with CaptureQueriesContext(connection) as first:
        cycle_compute(cycle=cycle, actor=None)
    rows = list(KpiResult.objects.filter(cycle=cycle).values_list("partner_id", "normalised"))
    make_partners(5)
    figures["test.sales"] = {p.pk: 80 for p in partners}
    with CaptureQueriesContext(connection) as second:
        cycle_compute(cycle=cycle, actor=None)  # computed → computing → computed: replaces
    assert len(second) == len(first)  # eight partners cost what three did
    assert KpiResult.objects.filter(cycle=cycle).count() == 8
    assert PartnerScore.objects.filter(cycle=cycle).count() == 8
    assert set(rows) <= set(KpiResult.objects.filter(cycle=cycle).values_list("partner_id", "normalised"))


def test_the_query_count_is_the_same_for_5_and_50_partners(scoped, figures):
    """Every step is one statement over all partners: ten times the partners, the same queries."""
    sales = make_kpi("sales", "test.sales")
    share = make_kpi("coverage", "test.coverage", normalisation=Normalisation.PERCENTILE,
                     missing_rule=MissingRule.EXCLUDE)
    make_scorecard(lines=[(sales, 3), (share, 1)])
    _tiers()
    IncentiveRule.objects.create(name="bonus", kind=IncentiveKind.BONUS, kpi=sales, threshold=Decimal("60"),
                                 amount=Decimal("100"))
    rebate = IncentiveRule.objects.create(name="rebate", kind=IncentiveKind.REBATE, input_name="test.amount",
                                          bracket_mode=BracketMode.MARGINAL)
    IncentiveBracket.objects.create(rule=rebate, threshold=Decimal("0"), rate=Decimal("1"))
    IncentiveBracket.objects.create(rule=rebate, threshold=Decimal("1000"), rate=Decimal("2"))
    counts = []
    for size, (key, start, end) in ((5, ("2026-Q2", (2026, 4, 1), (2026, 7, 1))),
                                    (50, ("2026-Q3", (2026, 7, 1), (2026, 10, 1)))):
        partners = make_partners(size - PartnerScore.objects.values("partner").distinct().count())
        everyone = [p.pk for p in partners] + list(PartnerScore.objects.values_list("partner_id", flat=True))
        figures["test.sales"] = {pk: 40 + pk % 60 for pk in everyone}
        figures["test.coverage"] = {pk: pk % 7 for pk in everyone[::2]}
        figures["test.amount"] = {pk: 500 * (pk % 5) for pk in everyone}
        cycle = make_cycle(key, start, end)
        with CaptureQueriesContext(connection) as queries:
            cycle_compute(cycle=cycle, actor=None)
        cycle.refresh_from_db()
        assert cycle.partner_count == size
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert IncentiveStatement.objects.filter(cycle=cycle).exists()


def test_a_crash_mid_run_leaves_nothing(scoped, figures, monkeypatch):
    partners = make_partners(2)
    kpi = make_kpi("sales", "test.sales")
    make_scorecard(lines=[(kpi, 1)])
    figures["test.sales"] = {p.pk: 80 for p in partners}
    cycle = make_cycle()

    def boom(*args, **kwargs):
        raise RuntimeError("worker killed")

    monkeypatch.setattr(engine, "compute_statements", boom)
    with pytest.raises(RuntimeError):
        cycle_compute(cycle=cycle, actor=None)
    cycle.refresh_from_db()
    assert cycle.state == CycleState.SCHEDULED
    assert not KpiResult.objects.filter(cycle=cycle).exists() and not PartnerScore.objects.exists()
    monkeypatch.undo()
    cycle_compute(cycle=cycle, actor=None)
    assert PartnerScore.objects.filter(cycle=cycle).count() == 2


def _tiers():
    silver = Tier.objects.create(code="silver", name="Silver", rank=1, min_score=0)
    gold = Tier.objects.create(code="gold", name="Gold", rank=2, min_score=60, demote_after=2)
    return silver, gold


def _publish(cycle):
    cycle_confirm(cycle=cycle, actor=None)
    cycle_publish(cycle=cycle, actor=None)


def test_tiers_promote_at_once_and_demote_after_two_cycles_below(scoped, figures):
    (partner,) = make_partners(1)
    kpi = make_kpi("sales", "test.sales")
    make_scorecard(lines=[(kpi, 1)])
    _silver, _gold = _tiers()
    quarters = [("2026-Q1", (2026, 1, 1), (2026, 4, 1)), ("2026-Q2", (2026, 4, 1), (2026, 7, 1)),
                ("2026-Q3", (2026, 7, 1), (2026, 10, 1)), ("2026-Q4", (2026, 10, 1), (2027, 1, 1))]
    tiers_after = []
    for (key, start, end), sales in zip(quarters, (90, 40, 40, 40), strict=True):
        figures["test.sales"] = {partner.pk: sales}
        cycle = make_cycle(key, start, end)
        cycle_compute(cycle=cycle, actor=None)
        _publish(cycle)
        tiers_after.append(PartnerTier.objects.get(partner=partner).tier.code)
    # Q1 gold at once; Q2 first cycle below: kept; Q3 second below: demoted; Q4 silver stays.
    assert tiers_after == ["gold", "gold", "silver", "silver"]
    kinds = list(TierChange.objects.order_by("cycle__period_start").values_list("kind", flat=True))
    assert kinds == ["initial", "demotion"]
    assert _score(cycle, partner).change == Decimal("0.000")


def test_adjustment_with_reason_before_confirmation_reproposes_the_tier(scoped, figures, member):
    (partner,) = make_partners(1)
    kpi = make_kpi("sales", "test.sales")
    make_scorecard(lines=[(kpi, 1)])
    _tiers()
    figures["test.sales"] = {partner.pk: 50}
    cycle = make_cycle()
    cycle_compute(cycle=cycle, actor=None)
    assert TierChange.objects.get(cycle=cycle).to_tier.code == "silver"
    manager = member(Role.CHANNEL_MANAGER)
    score = _score(cycle, partner)
    with pytest.raises(ValidationError):
        score_adjust(score=score, adjusted_score=Decimal("70"), reason=" ", actor=manager)
    score_adjust(score=_score(cycle, partner), adjusted_score=Decimal("70"), reason="Big deal signed", actor=manager)
    assert TierChange.objects.get(cycle=cycle).to_tier.code == "gold"
    assert _score(cycle, partner).history.first().history_change_reason == "Big deal signed"
    trainer = member(Role.TRAINER)
    with pytest.raises(PermissionDenied):
        score_adjust(score=_score(cycle, partner), adjusted_score=None, reason="", actor=trainer)
    cycle_confirm(cycle=cycle, actor=None)
    with pytest.raises(ValidationError):
        score_adjust(score=_score(cycle, partner), adjusted_score=Decimal("10"), reason="late", actor=manager)


def test_commission_brackets_whole_and_marginal_bonus_and_penalty(scoped, figures):
    partners = make_partners(2)
    sales = make_kpi("sales", "test.sales")
    incidents = make_kpi("incidents", "test.incidents", direction=Direction.LOWER, target=Decimal("1"))
    make_scorecard(lines=[(sales, 1), (incidents, 1)])
    figures["test.sales"] = {partners[0].pk: 100, partners[1].pk: 50}
    figures["test.incidents"] = {partners[0].pk: 2}
    figures["test.amount"] = {partners[0].pk: 150000, partners[1].pk: 50000}
    whole = IncentiveRule.objects.create(name="whole", kind=IncentiveKind.COMMISSION, input_name="test.amount",
                                         bracket_mode=BracketMode.WHOLE)
    marginal = IncentiveRule.objects.create(name="marginal", kind=IncentiveKind.REBATE, input_name="test.amount",
                                            bracket_mode=BracketMode.MARGINAL)
    for rule in (whole, marginal):
        for threshold, rate in ((0, "1"), (100000, "2"), (200000, "3")):
            IncentiveBracket.objects.create(rule=rule, threshold=Decimal(threshold), rate=Decimal(rate))
    IncentiveRule.objects.create(name="flat", kind=IncentiveKind.COMMISSION, input_name="test.amount",
                                 rate=Decimal("0.5"))
    IncentiveRule.objects.create(name="bonus", kind=IncentiveKind.BONUS, kpi=sales, threshold=Decimal("100"),
                                 amount=Decimal("5000"))
    IncentiveRule.objects.create(name="penalty", kind=IncentiveKind.PENALTY, kpi=incidents,
                                 amount=Decimal("300"))
    cycle = make_cycle()
    cycle_compute(cycle=cycle, actor=None)

    def amounts(partner):
        statement = IncentiveStatement.objects.get(cycle=cycle, partner=partner)
        return statement, {line.rule.name: line.amount for line in IncentiveLine.objects.filter(statement=statement)}

    first, lines = amounts(partners[0])
    assert lines == {
        "whole": Decimal("3000.00"),  # 2 % of the whole 150,000
        "marginal": Decimal("2000.00"),  # 1 % of 100,000 + 2 % of 50,000
        "flat": Decimal("750.00"),
        "bonus": Decimal("5000.00"),
        "penalty": Decimal("-600.00"),
    }
    assert first.total == Decimal("10150.00")
    _second, lines = amounts(partners[1])
    assert lines == {"whole": Decimal("500.00"), "marginal": Decimal("500.00"), "flat": Decimal("250.00")}
    # Recomputing replaces the drafts; approved statements are never computed twice.
    cycle_compute(cycle=cycle, actor=None)
    assert IncentiveStatement.objects.filter(cycle=cycle).count() == 2
    assert IncentiveLine.objects.count() == 8
    cycle_confirm(cycle=cycle, actor=None)
    statement = IncentiveStatement.objects.get(cycle=cycle, partner=partners[0])
    statement_approve(statement=statement, actor=None)
    statement_mark_paid(statement=statement, actor=None, reference="PAY-1")
    assert IncentiveStatement.objects.get(pk=statement.pk).state == StatementState.PAID


def test_what_if_preview_shows_tier_changes_and_leaves_no_trace(scoped, figures):
    partners = make_partners(2)
    kpi = make_kpi("sales", "test.sales")
    make_scorecard(lines=[(kpi, 1)])
    _silver, gold = _tiers()
    figures["test.sales"] = {partners[0].pk: 65, partners[1].pk: 50}
    cycle = make_cycle()
    cycle_compute(cycle=cycle, actor=None)
    before = (
        list(KpiResult.objects.values_list("id", "normalised").order_by("id")),
        list(PartnerScore.objects.values_list("id", "total", "proposed_tier_id").order_by("id")),
        list(TierChange.objects.values_list("id", "to_tier_id").order_by("id")),
        list(Tier.objects.values_list("id", "min_score").order_by("id")),
    )
    rows = cycle_preview(cycle=cycle, actor=None, thresholds={gold.pk: Decimal("45")})
    by_partner = {row.partner_id: row for row in rows}
    assert by_partner[partners[1].pk].proposed_tier == "Gold"
    assert by_partner[partners[1].pk].saved_proposed_tier == "Silver"
    after = (
        list(KpiResult.objects.values_list("id", "normalised").order_by("id")),
        list(PartnerScore.objects.values_list("id", "total", "proposed_tier_id").order_by("id")),
        list(TierChange.objects.values_list("id", "to_tier_id").order_by("id")),
        list(Tier.objects.values_list("id", "min_score").order_by("id")),
    )
    assert after == before
    line_id = kpi_line = PartnerScore.objects.first().scorecard.lines.get().pk
    rows = cycle_preview(cycle=cycle, actor=None, weights={kpi_line: Decimal("2")})
    assert line_id and len(rows) == 2


def test_selectors_show_published_scores_breakdown_distribution_and_movements(scoped, figures):
    from evaluation import selectors

    partners = make_partners(3)
    kpi = make_kpi("sales", "test.sales")
    make_scorecard(lines=[(kpi, 1)])
    _tiers()
    figures["test.sales"] = {partners[0].pk: 95, partners[1].pk: 55, partners[2].pk: 100}
    cycle = make_cycle()
    cycle_compute(cycle=cycle, actor=None)
    assert not selectors.published_scores(partner_id=partners[0].pk).exists()  # partners see published only
    _publish(cycle)
    (score,) = selectors.published_scores(partner_id=partners[0].pk)
    assert [row.kpi_id for row in selectors.score_breakdown(score=score)] == [kpi.pk]
    assert selectors.current_tier(partner_id=partners[0].pk).tier.code == "gold"
    assert selectors.score_distribution(cycle=cycle) == [(50, 1), (90, 2)]
    assert selectors.tier_movements(cycle=cycle) == {"initial": 3}
    assert [s.partner_id for s in selectors.performers(cycle=cycle, count=1)] == [partners[2].pk]
