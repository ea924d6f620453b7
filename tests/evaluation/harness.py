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
    PartnerScore,
    PartnerTier,
    RelationshipSurvey,
    ReviewCycle,
    Scorecard,
    ScorecardLine,
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
