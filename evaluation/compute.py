"""The review cycle's computation, set-based in the database.

Every step is one SQL statement over every partner of the tenant at once (``INSERT …
SELECT``, ``UPDATE … FROM``, window functions): the number of queries depends on the
number of scorecards, KPIs, tiers and incentive rules, never on the number of partners.
The same SQL runs on PostgreSQL and on SQLite ≥ 3.33 (``UPDATE … FROM``, window
functions); only reading a KPI input that answers a dict differs (``json_each_text`` /
``json_each``). Callers (``services.cycle_compute``, the what-if preview) hold the cycle's
lock and the transaction: a failure anywhere leaves nothing behind.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from channelhub import kpi_inputs
from channelhub.partners.models import Partner, PartnerStatus
from channelhub.tenancy.context import tenant_scope

from .models import (
    BracketMode,
    CycleState,
    IncentiveBracket,
    IncentiveKind,
    IncentiveLine,
    IncentiveRule,
    IncentiveStatement,
    Kpi,
    KpiResult,
    MissingRule,
    Normalisation,
    PartnerScore,
    PartnerTier,
    ReviewCycle,
    Scorecard,
    ScorecardLine,
    StatementState,
    Tier,
    TierChange,
    TierChangeKind,
)

QUALIFICATION_INPUT = "training.qualification_status"

KR = KpiResult._meta.db_table
PS = PartnerScore._meta.db_table
PARTNER = Partner._meta.db_table
LINE = ScorecardLine._meta.db_table
TIER = Tier._meta.db_table
PT = PartnerTier._meta.db_table
TC = TierChange._meta.db_table
ST = IncentiveStatement._meta.db_table
IL = IncentiveLine._meta.db_table


def _run(sql: str, params=()) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return cursor.rowcount


def _numeric(expression: str, places: int = 3) -> str:
    return f"ROUND(CAST(({expression}) AS NUMERIC), {places})"


def _clamp(expression: str) -> str:
    return f"(CASE WHEN ({expression}) < 0 THEN 0 WHEN ({expression}) > 100 THEN 100 ELSE ({expression}) END)"


def input_source(name: str, tenant, period) -> tuple[str, list] | None:
    """The SQL of a registered KPI input as rows (partner_id, value), or None if it is not registered.

    A set-based input (``query=``) is embedded as it is; a dict input is read once and handed
    to the database as one JSON parameter.
    """
    entry = kpi_inputs.kpi_inputs().get(name)
    if entry is None:
        return None
    if entry.query is not None:
        with tenant_scope(tenant, source=f"kpi:{name}"):
            found = entry.query(tenant, period)
            # A QuerySet of (partner_id, value), or already SQL with its parameters.
            sql, params = found if isinstance(found, tuple) else found.query.sql_with_params()
        return f"SELECT partner_id, value FROM ({sql}) AS src", list(params)
    values = kpi_inputs.read(name, tenant, period)
    payload = json.dumps({str(partner_id): float(value) for partner_id, value in values.items()
                          if value is not None})
    if connection.vendor == "postgresql":
        return "SELECT (key)::bigint AS partner_id, (value)::float8 AS value FROM json_each_text(%s::json)", [payload]
    return "SELECT CAST(key AS INTEGER) AS partner_id, CAST(value AS REAL) AS value FROM json_each(%s)", [payload]


@dataclass
class Overrides:
    """What-if changes: KPI weights per scorecard line id and tier thresholds per tier id."""

    weights: dict[int, Decimal]
    thresholds: dict[int, Decimal]


def scorecards_for(cycle: ReviewCycle) -> dict[str, Scorecard]:
    """The scorecard each partner type is scored on: the newest active version ≤ the cycle's version."""
    chosen: dict[str, Scorecard] = {}
    for scorecard in Scorecard.objects.filter(is_active=True, version__lte=cycle.scorecard_version).order_by(
        "partner_type", "-version"
    ):
        chosen.setdefault(scorecard.partner_type, scorecard)
    if not chosen:  # a tenant whose only scorecards are newer than the cycle's version
        for scorecard in Scorecard.objects.filter(is_active=True).order_by("partner_type", "-version"):
            chosen.setdefault(scorecard.partner_type, scorecard)
    return chosen


def previous_cycle(cycle: ReviewCycle) -> ReviewCycle | None:
    return (
        ReviewCycle.objects.filter(
            cadence=cycle.cadence, period_end__lte=cycle.period_start,
            state__in=[CycleState.COMPUTED, CycleState.CONFIRMED, CycleState.PUBLISHED],
        )
        .exclude(pk=cycle.pk)
        .order_by("-period_end", "-scorecard_version")
        .first()
    )


def clear(cycle: ReviewCycle) -> None:
    """Remove what a previous run of this cycle wrote (results, scores, proposals, draft statements)."""
    IncentiveLine.objects.filter(statement__cycle=cycle, statement__state=StatementState.DRAFT)._raw_delete(
        connection.alias
    )
    IncentiveStatement.objects.filter(cycle=cycle, state=StatementState.DRAFT)._raw_delete(connection.alias)
    TierChange.objects.filter(cycle=cycle)._raw_delete(connection.alias)
    KpiResult.objects.filter(cycle=cycle)._raw_delete(connection.alias)
    PartnerScore.objects.filter(cycle=cycle)._raw_delete(connection.alias)


def compute(cycle: ReviewCycle, *, overrides: Overrides | None = None) -> dict:
    """Score every active partner of the cycle's tenant; return what was used (for the cycle row)."""
    tenant = cycle.tenant
    clear(cycle)
    scorecards = scorecards_for(cycle)
    weights = overrides.weights if overrides else {}
    # 1. One row per (partner, KPI of its scorecard), all missing until an input fills it.
    for partner_type, scorecard in scorecards.items():
        lines = list(ScorecardLine.objects.filter(scorecard=scorecard).values_list("pk", "kpi_id", "weight"))
        for line_id, kpi_id, weight in lines:
            weight = weights.get(line_id, weight)
            _run(
                f"INSERT INTO {KR} (tenant_id, cycle_id, partner_id, kpi_id, weight, missing, effective_weight, "
                f"contribution) SELECT p.tenant_id, %s, p.id, %s, %s, %s, 0, 0 FROM {PARTNER} p "
                "WHERE p.tenant_id = %s AND p.status = %s AND p.partner_type = %s",
                [cycle.pk, kpi_id, weight, True, tenant.pk, PartnerStatus.ACTIVE, partner_type],
            )
    kpis = list(Kpi.objects.filter(pk__in=KpiResult.objects.filter(cycle=cycle).values("kpi_id")))
    # 2. Raw figures: one UPDATE … FROM per KPI input.
    by_source: dict[str, list[int]] = {}
    for kpi in kpis:
        by_source.setdefault(kpi.source, []).append(kpi.pk)
    for source, kpi_ids in by_source.items():
        sql = input_source(source, tenant, _Period(cycle))
        if sql is None:
            continue  # not registered (yet): every partner follows the KPI's missing-data rule
        select, params = sql
        marks = ", ".join(["%s"] * len(kpi_ids))
        _run(
            f"UPDATE {KR} SET raw = v.value, missing = %s FROM ({select}) AS v "
            f"WHERE {KR}.cycle_id = %s AND {KR}.partner_id = v.partner_id AND {KR}.kpi_id IN ({marks}) "
            "AND v.value IS NOT NULL",
            [False, *params, cycle.pk, *kpi_ids],
        )
    # 3. Normalise to 0–100, then the missing-data rules.
    for kpi in kpis:
        _normalise(cycle, kpi)
    # 4. Weights: excluded KPIs drop out and the others are re-weighted to 100 %.
    _run(
        f"UPDATE {KR} SET effective_weight = {_numeric(f'{KR}.weight * 100.0 / v.s')}, "
        f"contribution = {_numeric(f'{KR}.normalised * 1.0 * {KR}.weight / v.s')} "
        f"FROM (SELECT partner_id, SUM(weight) AS s FROM {KR} WHERE cycle_id = %s AND normalised IS NOT NULL "
        f"GROUP BY partner_id) AS v WHERE {KR}.cycle_id = %s AND {KR}.partner_id = v.partner_id "
        f"AND {KR}.normalised IS NOT NULL AND v.s > 0",
        [cycle.pk, cycle.pk],
    )
    # 5. Totals, one row per partner.
    for partner_type, scorecard in scorecards.items():
        _run(
            f"INSERT INTO {PS} (tenant_id, cycle_id, partner_id, partner_type, scorecard_id, total, peer_count, "
            "adjustment_reason, qualified, below_streak) "
            f"SELECT k.tenant_id, k.cycle_id, k.partner_id, %s, %s, {_numeric('COALESCE(SUM(k.contribution), 0)')}, "
            f"0, '', %s, 0 FROM {KR} k JOIN {PARTNER} p ON p.id = k.partner_id "
            "WHERE k.cycle_id = %s AND p.partner_type = %s GROUP BY k.tenant_id, k.cycle_id, k.partner_id",
            [partner_type, scorecard.pk, True, cycle.pk, partner_type],
        )
    # 6. Rank among peers (partners of the same type) and change since the previous cycle.
    _run(
        f"UPDATE {PS} SET rank = v.rk, peer_count = v.n FROM (SELECT id, "
        "RANK() OVER (PARTITION BY partner_type ORDER BY total DESC) AS rk, "
        f"COUNT(*) OVER (PARTITION BY partner_type) AS n FROM {PS} WHERE cycle_id = %s) AS v "
        f"WHERE {PS}.id = v.id",
        [cycle.pk],
    )
    previous = previous_cycle(cycle)
    if previous is not None:
        _run(
            f"UPDATE {PS} SET previous_total = COALESCE(prev.adjusted_score, prev.total), "
            f"change = {PS}.total - COALESCE(prev.adjusted_score, prev.total) FROM {PS} AS prev "
            f"WHERE prev.cycle_id = %s AND prev.partner_id = {PS}.partner_id AND {PS}.cycle_id = %s",
            [previous.pk, cycle.pk],
        )
    propose_tiers(cycle, previous=previous, overrides=overrides)
    compute_statements(cycle)
    return {
        "partner_count": PartnerScore.objects.filter(cycle=cycle).count(),
        "scorecards": {partner_type: scorecard.pk for partner_type, scorecard in scorecards.items()},
    }


class _Period:
    """A cycle as the ``period`` KPI inputs expect (``start``, ``end``, ``key``)."""

    def __init__(self, cycle: ReviewCycle):
        self.start, self.end, self.key, self.cadence = (
            cycle.period_start, cycle.period_end, cycle.period_key, cycle.cadence,
        )


def _normalise(cycle: ReviewCycle, kpi: Kpi) -> None:
    raw = f"{KR}.raw"
    params: list = []
    if kpi.normalisation == Normalisation.PERCENTILE:
        order = "ASC" if kpi.direction == "higher" else "DESC"
        _run(
            f"UPDATE {KR} SET normalised = v.pr FROM (SELECT k.id AS id, "
            "CASE WHEN COUNT(*) OVER (PARTITION BY p.partner_type) = 1 THEN 100 "
            f"ELSE {_numeric(f'PERCENT_RANK() OVER (PARTITION BY p.partner_type ORDER BY k.raw {order}) * 100')} "
            f"END AS pr FROM {KR} k JOIN {PARTNER} p ON p.id = k.partner_id "
            "WHERE k.cycle_id = %s AND k.kpi_id = %s AND k.missing = %s) AS v WHERE {KR}.id = v.id".replace(
                "{KR}", KR
            ),
            [cycle.pk, kpi.pk, False],
        )
    else:
        if kpi.normalisation == Normalisation.TARGET:
            target = float(kpi.target or 0)
            if kpi.direction == "higher":
                expression = f"{raw} * 100.0 / %s"
                params = [target]
            else:
                expression = f"CASE WHEN {raw} <= 0 THEN 100 ELSE %s * 100.0 / {raw} END"
                params = [target]
        else:
            floor, ceiling = float(kpi.floor), float(kpi.ceiling)
            if kpi.direction == "higher":
                expression = f"({raw} - %s) * 100.0 / %s"
                params = [floor, ceiling - floor]
            else:
                expression = f"(%s - {raw}) * 100.0 / %s"
                params = [ceiling, ceiling - floor]
        # The expression appears three times in the clamp: repeat its parameters.
        _run(
            f"UPDATE {KR} SET normalised = {_numeric(_clamp(expression))} "
            "WHERE cycle_id = %s AND kpi_id = %s AND missing = %s",
            [*params, *params, *params, cycle.pk, kpi.pk, False],
        )
    if kpi.missing_rule == MissingRule.ZERO:
        _run(f"UPDATE {KR} SET normalised = 0 WHERE cycle_id = %s AND kpi_id = %s AND missing = %s",
             [cycle.pk, kpi.pk, True])
    elif kpi.missing_rule == MissingRule.NEUTRAL:
        _run(f"UPDATE {KR} SET normalised = %s WHERE cycle_id = %s AND kpi_id = %s AND missing = %s",
             [kpi.neutral_score, cycle.pk, kpi.pk, True])
    # EXCLUDE: normalised stays NULL, the weights step leaves the row out.


def propose_tiers(cycle: ReviewCycle, *, previous: ReviewCycle | None = None, overrides: Overrides | None = None):
    """Propose each partner's tier after this cycle, with hysteresis, as ``TierChange`` rows.

    A partner rises at once to the best tier whose threshold its score reaches (and whose
    qualifications it holds); it falls only after ``demote_after`` consecutive cycles below
    its current tier.
    """
    TierChange.objects.filter(cycle=cycle)._raw_delete(connection.alias)
    tiers = list(Tier.objects.all())
    if not tiers:
        return
    thresholds = overrides.thresholds if overrides else {}
    tier_table = TIER
    tier_params: list = []
    if thresholds:
        # What-if: the tier table as it would be, as a derived table with the changed thresholds.
        rows = " UNION ALL ".join(
            ["SELECT %s AS id, %s AS tenant_id, %s AS rank, CAST(%s AS NUMERIC) AS min_score, "
             "%s AS requires_qualification, %s AS demote_after"] * len(tiers)
        )
        for tier in tiers:
            tier_params += [tier.pk, tier.tenant_id, tier.rank, thresholds.get(tier.pk, tier.min_score),
                            tier.requires_qualification, tier.demote_after]
        tier_table = f"({rows})"
    if any(t.requires_qualification for t in tiers):
        source = input_source(QUALIFICATION_INPUT, cycle.tenant, _Period(cycle))
        if source is not None:
            select, params = source
            _run(
                f"UPDATE {PS} SET qualified = (v.value >= 1) FROM ({select}) AS v "
                f"WHERE {PS}.cycle_id = %s AND {PS}.partner_id = v.partner_id",
                [*params, cycle.pk],
            )
    final = f"COALESCE({PS}.adjusted_score, {PS}.total)"
    _run(
        f"UPDATE {PS} SET current_tier_id = pt.tier_id FROM {PT} AS pt "
        f"WHERE pt.partner_id = {PS}.partner_id AND pt.tenant_id = {PS}.tenant_id AND {PS}.cycle_id = %s",
        [cycle.pk],
    )
    _run(f"UPDATE {PS} SET below_streak = 0 WHERE cycle_id = %s", [cycle.pk])
    _run(
        f"UPDATE {PS} SET proposed_tier_id = (SELECT t.id FROM {tier_table} AS t WHERE t.tenant_id = {PS}.tenant_id "
        f"AND t.min_score <= {final} AND (t.requires_qualification = %s OR {PS}.qualified = %s) "
        "ORDER BY t.rank DESC LIMIT 1) WHERE cycle_id = %s",
        [*tier_params, False, True, cycle.pk],
    )
    rank_of = f"(SELECT t.rank FROM {tier_table} AS t WHERE t.id = {{column}})"
    proposed_rank = rank_of.format(column=f"{PS}.proposed_tier_id")
    current_rank = rank_of.format(column=f"{PS}.current_tier_id")
    # Below the current tier this cycle: one more cycle in the streak (the previous streak counts
    # only if the previous cycle kept the tier, i.e. did not demote already).
    _run(
        f"UPDATE {PS} SET below_streak = 1 WHERE cycle_id = %s AND current_tier_id IS NOT NULL "
        f"AND (proposed_tier_id IS NULL OR {proposed_rank} < {current_rank})",
        [cycle.pk, *tier_params, *tier_params],
    )
    if previous is not None:
        _run(
            f"UPDATE {PS} SET below_streak = prev.below_streak + 1 FROM {PS} AS prev "
            f"WHERE prev.cycle_id = %s AND prev.partner_id = {PS}.partner_id AND {PS}.cycle_id = %s "
            f"AND {PS}.below_streak = 1 AND prev.below_streak > 0 AND prev.current_tier_id = {PS}.current_tier_id",
            [previous.pk, cycle.pk],
        )
    demote_after = f"(SELECT t.demote_after FROM {tier_table} AS t WHERE t.id = {PS}.current_tier_id)"
    _run(
        f"UPDATE {PS} SET proposed_tier_id = current_tier_id WHERE cycle_id = %s AND below_streak > 0 "
        f"AND below_streak < {demote_after}",
        [cycle.pk, *tier_params],
    )
    _run(
        f"INSERT INTO {TC} (tenant_id, cycle_id, partner_id, from_tier_id, to_tier_id, kind, score) "
        f"SELECT tenant_id, cycle_id, partner_id, current_tier_id, proposed_tier_id, "
        f"CASE WHEN current_tier_id IS NULL THEN %s WHEN {proposed_rank} > {current_rank} THEN %s ELSE %s END, "
        f"{final} FROM {PS} WHERE cycle_id = %s AND proposed_tier_id IS NOT NULL "
        "AND (current_tier_id IS NULL OR proposed_tier_id <> current_tier_id)",
        [TierChangeKind.INITIAL, *tier_params, *tier_params, TierChangeKind.PROMOTION, TierChangeKind.DEMOTION,
         cycle.pk],
    )


def compute_statements(cycle: ReviewCycle) -> None:
    """Every partner's incentive statement for the cycle: one INSERT … SELECT per rule.

    Statements already approved or paid are never recomputed (the cycle refuses a rerun
    before it gets here); drafts are replaced.
    """
    rules = list(IncentiveRule.objects.filter(is_active=True).order_by("pk"))
    if not rules:
        return
    _run(
        f"INSERT INTO {ST} (tenant_id, cycle_id, partner_id, state, state_changed_at, total, currency, "
        "paid_reference) "
        f"SELECT tenant_id, cycle_id, partner_id, %s, %s, 0, %s, '' FROM {PS} WHERE cycle_id = %s "
        f"AND NOT EXISTS (SELECT 1 FROM {ST} s WHERE s.cycle_id = {PS}.cycle_id AND s.partner_id = {PS}.partner_id)",
        [StatementState.DRAFT, timezone.now(), "CNY", cycle.pk],
    )
    brackets: dict[int, list[tuple[Decimal, Decimal]]] = {}
    for rule_id, threshold, rate in IncentiveBracket.objects.values_list("rule_id", "threshold", "rate").order_by(
        "rule_id", "threshold"
    ):
        brackets.setdefault(rule_id, []).append((threshold, rate))
    insert = (
        f"INSERT INTO {IL} (tenant_id, statement_id, rule_id, kind, base, rate, amount, explanation) "
    )
    join = (
        f"FROM {ST} s JOIN {PS} ps ON ps.cycle_id = s.cycle_id AND ps.partner_id = s.partner_id "
    )
    tier_filter = " AND COALESCE(ps.proposed_tier_id, ps.current_tier_id) = %s"
    for rule in rules:
        tier_params = [rule.tier_id] if rule.tier_id else []
        where_tier = tier_filter if rule.tier_id else ""
        explanation = rule_explanation(rule, brackets.get(rule.pk, []))
        if rule.kind == IncentiveKind.BONUS:
            _run(
                insert + f"SELECT s.tenant_id, s.id, %s, %s, k.normalised, NULL, %s, %s {join}"
                "JOIN " + KR + " k ON k.cycle_id = s.cycle_id AND k.partner_id = s.partner_id AND k.kpi_id = %s "
                f"WHERE s.cycle_id = %s AND s.state = %s AND k.normalised >= %s{where_tier}",
                [rule.pk, rule.kind, rule.amount, explanation, rule.kpi_id, cycle.pk, StatementState.DRAFT,
                 rule.threshold or 0, *tier_params],
            )
        elif rule.kind == IncentiveKind.PENALTY:
            _run(
                insert + f"SELECT s.tenant_id, s.id, %s, %s, k.raw, NULL, {_numeric('-%s * k.raw', 2)}, %s {join}"
                "JOIN " + KR + " k ON k.cycle_id = s.cycle_id AND k.partner_id = s.partner_id AND k.kpi_id = %s "
                f"WHERE s.cycle_id = %s AND s.state = %s AND k.raw > 0{where_tier}",
                [rule.pk, rule.kind, rule.amount, explanation, rule.kpi_id, cycle.pk, StatementState.DRAFT,
                 *tier_params],
            )
        else:
            source = input_source(rule.input_name, cycle.tenant, _Period(cycle))
            if source is None:
                continue
            select, source_params = source
            value = "CAST(v.value AS NUMERIC)"
            amount, rate_sql, rate_params = _commission_sql(rule, brackets.get(rule.pk, []), value)
            _run(
                insert + f"SELECT s.tenant_id, s.id, %s, %s, v.value, {rate_sql}, {_numeric(amount, 2)}, %s {join}"
                f"JOIN ({select}) AS v ON v.partner_id = s.partner_id "
                f"WHERE s.cycle_id = %s AND s.state = %s AND v.value > 0{where_tier}",
                [rule.pk, rule.kind, *rate_params[0], *rate_params[1], explanation, *source_params, cycle.pk,
                 StatementState.DRAFT, *tier_params],
            )
    _run(
        f"UPDATE {ST} SET total = v.s FROM (SELECT l.statement_id, SUM(l.amount) AS s FROM {IL} l "
        f"JOIN {ST} s2 ON s2.id = l.statement_id WHERE s2.cycle_id = %s GROUP BY l.statement_id) AS v "
        f"WHERE {ST}.id = v.statement_id AND {ST}.state = %s",
        [cycle.pk, StatementState.DRAFT],
    )
    _run(
        f"DELETE FROM {ST} WHERE cycle_id = %s AND state = %s "
        f"AND NOT EXISTS (SELECT 1 FROM {IL} l WHERE l.statement_id = {ST}.id)",
        [cycle.pk, StatementState.DRAFT],
    )


def _commission_sql(rule, brackets, value):
    """(amount SQL, rate SQL, (rate params, amount params)) for a commission or rebate rule.

    flat: ``rate`` % of the whole amount; whole: the rate of the highest bracket reached, on
    the whole amount; marginal: each bracket's rate on the part of the amount inside it.
    """
    if rule.bracket_mode == BracketMode.FLAT or not brackets:
        return f"{value} * %s / 100.0", "%s", ([rule.rate], [rule.rate])
    if rule.bracket_mode == BracketMode.WHOLE:
        cases = " ".join("WHEN v.value >= %s THEN %s" for _ in brackets)
        case_params = [p for threshold, rate in reversed(brackets) for p in (threshold, rate)]
        rate_sql = f"(CASE {cases} ELSE 0 END)"
        return f"{value} * {rate_sql} / 100.0", rate_sql, (case_params, case_params)
    parts, params = [], []
    for index, (threshold, rate) in enumerate(brackets):
        upper = brackets[index + 1][0] if index + 1 < len(brackets) else None
        if upper is None:
            parts.append(f"(CASE WHEN {value} > %s THEN ({value} - %s) * %s / 100.0 ELSE 0 END)")
            params += [threshold, threshold, rate]
        else:
            parts.append(
                f"(CASE WHEN {value} <= %s THEN 0 WHEN {value} >= %s THEN (%s - %s) * %s / 100.0 "
                f"ELSE ({value} - %s) * %s / 100.0 END)"
            )
            params += [threshold, upper, upper, threshold, rate, threshold, rate]
    return " + ".join(parts), "NULL", ([], params)


def rule_explanation(rule: IncentiveRule, brackets) -> str:
    if rule.kind == IncentiveKind.BONUS:
        return _("%(amount)s for a score of %(threshold)s or more") % {
            "amount": f"{rule.amount:,.2f}", "threshold": rule.threshold or 0}
    if rule.kind == IncentiveKind.PENALTY:
        return _("%(amount)s per incident") % {"amount": f"{rule.amount:,.2f}"}
    if rule.bracket_mode == BracketMode.FLAT or not brackets:
        return _("%(rate)s%% of the whole amount") % {"rate": rule.rate}
    steps = ", ".join(f"≥ {threshold:,.0f}: {rate}%" for threshold, rate in brackets)
    if rule.bracket_mode == BracketMode.WHOLE:
        return _("the reached bracket's rate on the whole amount (%(steps)s)") % {"steps": steps}
    return _("each bracket's rate only on the part above its threshold (%(steps)s)") % {"steps": steps}
