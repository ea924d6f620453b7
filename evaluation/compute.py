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


# Work tables of one run: temporary (no WAL, no indexes, gone with the transaction on
# PostgreSQL, dropped at the end everywhere), so every row of the real tables is written
# once, with its final values, instead of being inserted and then updated step by step.
STAGE_RESULT = "evaluation_stage_result"
STAGE_LINE = "evaluation_stage_line"


def _stage(name: str, columns: str) -> None:
    _run(f"DROP TABLE IF EXISTS {name}")  # a rolled-back savepoint (what-if) or an outer test transaction
    suffix = " ON COMMIT DROP" if connection.vendor == "postgresql" else ""
    _run(f"CREATE TEMPORARY TABLE {name} ({columns}){suffix}")


def _tune() -> None:
    """Settings for the cycle's transaction (PostgreSQL; ``SET LOCAL`` ends with the transaction).

    Every statement of the cycle reads or writes a row per partner, and the rows this
    transaction just wrote have no statistics yet (the planner takes the cycle's results
    for a handful of rows): a nested loop over them turns quadratic (a 10,000-partner
    bonus rule took minutes), so joins are hashed or merged. JIT compilation costs more
    than it saves on statements that run once. The window functions (ranks, percentiles,
    weight sums) sort a row per partner and KPI, which spills to disk with the default 4 MB.
    """
    if connection.vendor == "postgresql":
        # set_config(…, true) is SET LOCAL: the settings end with the cycle's transaction.
        _run("SELECT set_config('jit', 'off', true), set_config('enable_nestloop', 'off', true), "
             "set_config('work_mem', '64MB', true)")


def _lines_sql(lines: list[tuple[str, Decimal]]) -> tuple[str, list]:
    """A derived table (partner_type, weight) of the scorecard lines of one KPI."""
    select = " UNION ALL ".join(
        ["SELECT CAST(%s AS VARCHAR(32)) AS partner_type, CAST(%s AS NUMERIC(6, 2)) AS weight"] * len(lines)
    )
    return f"({select})", [value for line in lines for value in line]


def compute(cycle: ReviewCycle, *, overrides: Overrides | None = None) -> dict:
    """Score every active partner of the cycle's tenant; return what was used (for the cycle row)."""
    tenant = cycle.tenant
    _tune()
    clear(cycle)
    scorecards = scorecards_for(cycle)
    weights = overrides.weights if overrides else {}
    type_of = {scorecard.pk: partner_type for partner_type, scorecard in scorecards.items()}
    # The KPIs to score and, per KPI, the partner types whose scorecard has it with their weights.
    by_kpi: dict[int, list[tuple[str, Decimal]]] = {}
    for line_id, kpi_id, weight, scorecard_id in ScorecardLine.objects.filter(
        scorecard_id__in=list(type_of)
    ).order_by("scorecard_id", "pk").values_list("pk", "kpi_id", "weight", "scorecard_id"):
        by_kpi.setdefault(kpi_id, []).append((type_of[scorecard_id], weights.get(line_id, weight)))
    kpis = Kpi.objects.in_bulk(list(by_kpi))
    # 1. One staged row per (active partner, KPI of its scorecard): raw figure and 0–100 score
    #    (the missing-data rule applied), one INSERT … SELECT per KPI.
    _stage(STAGE_RESULT, "partner_id BIGINT, partner_type VARCHAR(32), kpi_id BIGINT, weight NUMERIC(6, 2), "
                         "raw DOUBLE PRECISION, normalised NUMERIC(9, 3)")
    sources: dict[str, tuple[str, list] | None] = {}
    for kpi_id, lines in by_kpi.items():
        kpi = kpis[kpi_id]
        if kpi.source not in sources:
            sources[kpi.source] = input_source(kpi.source, tenant, _Period(cycle))
        _stage_kpi(kpi, lines, sources[kpi.source], tenant)
    # 2. Results, with the weights: excluded KPIs drop out and the others are re-weighted to 100 %.
    weighted = (
        "SELECT w.partner_id, w.partner_type, w.kpi_id, w.weight, w.raw, w.normalised, "
        "CASE WHEN w.normalised IS NOT NULL AND w.s > 0 "
        f"THEN {_numeric('w.weight * 100.0 / w.s')} ELSE 0 END AS effective_weight, "
        "CASE WHEN w.normalised IS NOT NULL AND w.s > 0 "
        f"THEN {_numeric('w.normalised * 1.0 * w.weight / w.s')} ELSE 0 END AS contribution "
        "FROM (SELECT st.partner_id, st.partner_type, st.kpi_id, st.weight, st.raw, st.normalised, "
        "SUM(CASE WHEN st.normalised IS NOT NULL THEN st.weight END) OVER (PARTITION BY st.partner_id) AS s "
        f"FROM {STAGE_RESULT} st) AS w"
    )
    _run(
        f"INSERT INTO {KR} (tenant_id, cycle_id, partner_id, kpi_id, raw, missing, normalised, weight, "
        "effective_weight, contribution) "
        "SELECT %s, %s, r.partner_id, r.kpi_id, r.raw, CASE WHEN r.raw IS NULL THEN %s ELSE %s END, r.normalised, "
        f"r.weight, r.effective_weight, r.contribution FROM ({weighted}) AS r",
        [tenant.pk, cycle.pk, True, False],
    )
    # 3. Totals, one row per partner, with the rank among peers (partners of the same type),
    #    the change since the previous cycle of the same cadence and the tier proposal.
    previous = previous_cycle(cycle)
    tiers, tier_table, tier_params = _tier_table(overrides)
    qualification_join, qualification_params = _qualification(cycle, tiers, "t.partner_id")
    qualified = "CASE WHEN q.value IS NULL THEN %s ELSE (q.value >= 1) END" if qualification_join else "%s"
    prev_join, prev_params, prev_columns = _previous_join(previous, tenant.pk, "t.partner_id")
    a = (
        "SELECT t.partner_id, t.partner_type, t.total, t.total AS final, "
        "RANK() OVER (PARTITION BY t.partner_type ORDER BY t.total DESC) AS rank_among_peers, "
        f"COUNT(*) OVER (PARTITION BY t.partner_type) AS peers, {qualified} AS qualified, "
        f"pt.tier_id AS current_tier_id, {prev_columns} "
        f"FROM (SELECT r.partner_id, r.partner_type, {_numeric('COALESCE(SUM(r.contribution), 0)')} AS total "
        f"FROM ({weighted}) AS r GROUP BY r.partner_id, r.partner_type) AS t "
        f"LEFT JOIN {PT} pt ON pt.tenant_id = %s AND pt.partner_id = t.partner_id {qualification_join} {prev_join}"
    )
    c, c_params = _proposals(a, [True, tenant.pk, *qualification_params, *prev_params], tenant.pk, tier_table,
                             tier_params)
    scorecard_case = " ".join("WHEN %s THEN %s" for _ in scorecards)
    scorecard_params = [value for item in scorecards.items() for value in (item[0], item[1].pk)]
    partner_count = _run(
        f"INSERT INTO {PS} (tenant_id, cycle_id, partner_id, partner_type, scorecard_id, total, rank, peer_count, "
        "previous_total, change, adjustment_reason, qualified, current_tier_id, below_streak, proposed_tier_id) "
        f"SELECT %s, %s, c.partner_id, c.partner_type, CASE c.partner_type {scorecard_case} END, c.total, "
        "c.rank_among_peers, c.peers, c.prev_total, c.total - c.prev_total, '', c.qualified, c.current_tier_id, "
        f"c.streak, {PROPOSED} FROM ({c}) AS c",
        [tenant.pk, cycle.pk, *scorecard_params, *c_params],
    )
    _run(f"DROP TABLE {STAGE_RESULT}")
    _insert_changes(cycle, tier_table, tier_params)
    compute_statements(cycle)
    return {
        "partner_count": partner_count,
        "scorecards": {partner_type: scorecard.pk for partner_type, scorecard in scorecards.items()},
    }


class _Period:
    """A cycle as the ``period`` KPI inputs expect (``start``, ``end``, ``key``)."""

    def __init__(self, cycle: ReviewCycle):
        self.start, self.end, self.key, self.cadence = (
            cycle.period_start, cycle.period_end, cycle.period_key, cycle.cadence,
        )


def _stage_kpi(kpi: Kpi, lines: list[tuple[str, Decimal]], source: tuple[str, list] | None, tenant) -> None:
    """Stage every active partner's raw figure and 0–100 score of ``kpi`` (one statement).

    target / linear: clamped 0–100; percentile: ``PERCENT_RANK()`` among the partners of the
    same type that have a figure (a lone one scores 100). Without a figure the KPI's
    missing-data rule decides: zero, the neutral score, or NULL (excluded, re-weighted).
    """
    raw = "r.raw"
    params: list = []
    if kpi.normalisation == Normalisation.PERCENTILE:
        order = "ASC" if kpi.direction == "higher" else "DESC"
        has_figure = "CASE WHEN r.raw IS NULL THEN 0 ELSE 1 END"
        rank = f"PERCENT_RANK() OVER (PARTITION BY r.partner_type, {has_figure} ORDER BY r.raw {order}) * 100"
        score = f"CASE WHEN COUNT(r.raw) OVER (PARTITION BY r.partner_type) = 1 THEN 100 ELSE {_numeric(rank)} END"
    else:
        if kpi.normalisation == Normalisation.TARGET:
            target = float(kpi.target or 0)
            if kpi.direction == "higher":
                expression, params = f"{raw} * 100.0 / %s", [target]
            else:
                expression, params = f"CASE WHEN {raw} <= 0 THEN 100 ELSE %s * 100.0 / {raw} END", [target]
        else:
            floor, ceiling = float(kpi.floor), float(kpi.ceiling)
            if kpi.direction == "higher":
                expression, params = f"({raw} - %s) * 100.0 / %s", [floor, ceiling - floor]
            else:
                expression, params = f"(%s - {raw}) * 100.0 / %s", [ceiling, ceiling - floor]
        score = _numeric(_clamp(expression))
        params = params * 3  # the expression appears three times in the clamp
    if kpi.missing_rule == MissingRule.ZERO:
        missing, missing_params = "0", []
    elif kpi.missing_rule == MissingRule.NEUTRAL:
        missing, missing_params = "%s", [kpi.neutral_score]
    else:  # EXCLUDE: no score, the weights step leaves the row out
        missing, missing_params = "NULL", []
    lines_sql, lines_params = _lines_sql(lines)
    if source is None:  # not registered (yet): every partner follows the KPI's missing-data rule
        value, join, source_params = "NULL", "", []
    else:
        select, source_params = source
        value, join = "v.value", f"LEFT JOIN ({select}) AS v ON v.partner_id = p.id"
    _run(
        f"INSERT INTO {STAGE_RESULT} (partner_id, partner_type, kpi_id, weight, raw, normalised) "
        f"SELECT r.partner_id, r.partner_type, %s, r.weight, r.raw, CASE WHEN r.raw IS NULL THEN {missing} "
        f"ELSE {score} END FROM (SELECT p.id AS partner_id, p.partner_type, l.weight, "
        f"CAST({value} AS DOUBLE PRECISION) AS raw FROM {PARTNER} p "
        f"JOIN {lines_sql} AS l ON l.partner_type = p.partner_type {join} "
        "WHERE p.tenant_id = %s AND p.status = %s) AS r",
        [kpi.pk, *missing_params, *params, *lines_params, *source_params, tenant.pk, PartnerStatus.ACTIVE],
    )


def _tier_table(overrides: Overrides | None) -> tuple[list[Tier], str, list]:
    """The tenant's tiers, and the tier table the statements read (what-if: with the changed thresholds)."""
    tiers = list(Tier.objects.all())
    thresholds = overrides.thresholds if overrides else {}
    if not (thresholds and tiers):
        return tiers, TIER, []
    # What-if: the tier table as it would be, as a derived table with the changed thresholds.
    rows = " UNION ALL ".join(
        ["SELECT %s AS id, %s AS tenant_id, %s AS rank, CAST(%s AS NUMERIC) AS min_score, "
         "%s AS requires_qualification, %s AS demote_after"] * len(tiers)
    )
    params: list = []
    for tier in tiers:
        params += [tier.pk, tier.tenant_id, tier.rank, thresholds.get(tier.pk, tier.min_score),
                   tier.requires_qualification, tier.demote_after]
    return tiers, f"({rows})", params


def _qualification(cycle: ReviewCycle, tiers: list[Tier], partner: str) -> tuple[str, list]:
    """A LEFT JOIN of the qualification input on ``partner`` (only when a tier requires it and it is registered)."""
    if any(t.requires_qualification for t in tiers):
        source = input_source(QUALIFICATION_INPUT, cycle.tenant, _Period(cycle))
        if source is not None:
            select, params = source
            return f"LEFT JOIN ({select}) AS q ON q.partner_id = {partner}", params
    return "", []


def _proposals(a: str, a_params: list, tenant_id: int, tier_table: str, tier_params: list) -> tuple[str, list]:
    """Each row of ``a`` with the tier it reaches (``best``), its streak below its current tier and
    ``demote_after`` of that tier.

    ``a`` answers ``final`` (the adjusted or computed score), ``qualified``, ``current_tier_id``
    and the previous cycle's ``prev_streak`` and ``prev_tier``. A partner rises at once to the
    best tier whose threshold its score reaches (and whose qualifications it holds); below its
    current tier the streak grows by one (the previous streak counts only if the previous
    cycle kept the tier, i.e. did not demote already).
    """
    b = (
        f"SELECT a.*, (SELECT t.id FROM {tier_table} AS t "
        "WHERE t.tenant_id = %s AND t.min_score <= a.final AND (t.requires_qualification = %s OR a.qualified = %s) "
        f"ORDER BY t.rank DESC LIMIT 1) AS best FROM ({a}) AS a"
    )
    c = (
        "SELECT b.*, ct.demote_after, "
        "CASE WHEN b.current_tier_id IS NOT NULL AND (b.best IS NULL OR bt.rank < ct.rank) "
        "THEN CASE WHEN b.prev_streak > 0 AND b.prev_tier = b.current_tier_id THEN b.prev_streak + 1 ELSE 1 END "
        f"ELSE 0 END AS streak FROM ({b}) AS b LEFT JOIN {tier_table} AS ct ON ct.id = b.current_tier_id "
        f"LEFT JOIN {tier_table} AS bt ON bt.id = b.best"
    )
    return c, [*tier_params, tenant_id, False, True, *a_params, *tier_params, *tier_params]


# The proposal of a row of ``_proposals``: held at the current tier until ``demote_after`` cycles below.
PROPOSED = "CASE WHEN c.streak > 0 AND c.streak < c.demote_after THEN c.current_tier_id ELSE c.best END"


def _previous_join(previous: ReviewCycle | None, tenant_id: int, partner: str) -> tuple[str, list, str]:
    """LEFT JOIN of the previous cycle's score (alias ``prev``), its parameters and its columns for ``a``."""
    if previous is None:
        return "", [], ("CAST(NULL AS NUMERIC) AS prev_total, CAST(NULL AS INTEGER) AS prev_streak, "
                        "CAST(NULL AS BIGINT) AS prev_tier")
    return (
        f"LEFT JOIN {PS} prev ON prev.tenant_id = %s AND prev.cycle_id = %s AND prev.partner_id = {partner}",
        [tenant_id, previous.pk],
        "COALESCE(prev.adjusted_score, prev.total) AS prev_total, prev.below_streak AS prev_streak, "
        "prev.current_tier_id AS prev_tier",
    )


def _insert_changes(cycle: ReviewCycle, tier_table: str, tier_params: list) -> None:
    """The tier ledger: a ``TierChange`` per partner whose proposal differs from its tier."""
    _run(
        f"INSERT INTO {TC} (tenant_id, cycle_id, partner_id, from_tier_id, to_tier_id, kind, score) "
        "SELECT ps.tenant_id, ps.cycle_id, ps.partner_id, ps.current_tier_id, ps.proposed_tier_id, "
        "CASE WHEN ps.current_tier_id IS NULL THEN %s WHEN pt.rank > ct.rank THEN %s ELSE %s END, "
        f"COALESCE(ps.adjusted_score, ps.total) FROM {PS} ps "
        f"LEFT JOIN {tier_table} AS pt ON pt.id = ps.proposed_tier_id "
        f"LEFT JOIN {tier_table} AS ct ON ct.id = ps.current_tier_id "
        "WHERE ps.tenant_id = %s AND ps.cycle_id = %s AND ps.proposed_tier_id IS NOT NULL "
        "AND (ps.current_tier_id IS NULL OR ps.proposed_tier_id <> ps.current_tier_id)",
        [TierChangeKind.INITIAL, TierChangeKind.PROMOTION, TierChangeKind.DEMOTION, *tier_params, *tier_params,
         cycle.tenant_id, cycle.pk],
    )


def propose_tiers(cycle: ReviewCycle, *, previous: ReviewCycle | None = None, overrides: Overrides | None = None):
    """Propose each partner's tier again, with hysteresis (after a manager adjusted a score).

    ``compute`` writes the proposals with the scores; this re-proposes every score of the
    cycle with one UPDATE … FROM (qualification, current tier, streak below it, proposal)
    and rewrites the ``TierChange`` rows with one INSERT … SELECT.
    """
    tenant_id = cycle.tenant_id
    TierChange.objects.filter(cycle=cycle)._raw_delete(connection.alias)
    tiers, tier_table, tier_params = _tier_table(overrides)
    if not tiers:
        return
    qualification_join, qualification_params = _qualification(cycle, tiers, "ps.partner_id")
    qualified = "CASE WHEN q.value IS NULL THEN ps.qualified ELSE (q.value >= 1) END" if qualification_join \
        else "ps.qualified"
    prev_join, prev_params, prev_columns = _previous_join(previous, tenant_id, "ps.partner_id")
    a = (
        f"SELECT ps.id, COALESCE(ps.adjusted_score, ps.total) AS final, {qualified} AS qualified, "
        f"COALESCE(pt.tier_id, ps.current_tier_id) AS current_tier_id, {prev_columns} FROM {PS} ps "
        f"LEFT JOIN {PT} pt ON pt.tenant_id = ps.tenant_id AND pt.partner_id = ps.partner_id "
        f"{qualification_join} {prev_join} WHERE ps.tenant_id = %s AND ps.cycle_id = %s"
    )
    c, params = _proposals(a, [*qualification_params, *prev_params, tenant_id, cycle.pk], tenant_id, tier_table,
                           tier_params)
    _run(
        f"UPDATE {PS} SET qualified = c.qualified, current_tier_id = c.current_tier_id, below_streak = c.streak, "
        f"proposed_tier_id = {PROPOSED} FROM ({c}) AS c WHERE {PS}.id = c.id",
        params,
    )
    _insert_changes(cycle, tier_table, tier_params)


def compute_statements(cycle: ReviewCycle) -> None:
    """Every partner's incentive statement for the cycle: one INSERT … SELECT per rule.

    The lines are staged first (one statement per rule), then the statements are inserted
    with their totals (only partners with at least one line) and the lines with their
    statement: each row written once. Statements already approved or paid are never
    recomputed (the cycle refuses a rerun before it gets here); drafts are replaced.
    """
    rules = list(IncentiveRule.objects.filter(is_active=True).order_by("pk"))
    if not rules:
        return
    tenant_id = cycle.tenant_id
    brackets: dict[int, list[tuple[Decimal, Decimal]]] = {}
    for rule_id, threshold, rate in IncentiveBracket.objects.values_list("rule_id", "threshold", "rate").order_by(
        "rule_id", "threshold"
    ):
        brackets.setdefault(rule_id, []).append((threshold, rate))
    _stage(STAGE_LINE, "partner_id BIGINT, rule_id BIGINT, base NUMERIC(18, 4), rate NUMERIC(7, 3), "
                       "amount NUMERIC(14, 2)")
    insert = f"INSERT INTO {STAGE_LINE} (partner_id, rule_id, base, rate, amount) "
    # The partners scored by the cycle that have no statement yet (an approved one is kept as it is).
    scored = (
        f"FROM {PS} ps {{join}} WHERE ps.tenant_id = %s AND ps.cycle_id = %s{{condition}} "
        f"AND NOT EXISTS (SELECT 1 FROM {ST} s WHERE s.tenant_id = ps.tenant_id AND s.cycle_id = ps.cycle_id "
        "AND s.partner_id = ps.partner_id)"
    )
    result_join = f"JOIN {KR} k ON k.tenant_id = ps.tenant_id AND k.cycle_id = ps.cycle_id " \
                  "AND k.partner_id = ps.partner_id AND k.kpi_id = %s"
    tier_filter = " AND COALESCE(ps.proposed_tier_id, ps.current_tier_id) = %s"
    for rule in rules:
        tier_params = [rule.tier_id] if rule.tier_id else []
        where_tier = tier_filter if rule.tier_id else ""
        if rule.kind == IncentiveKind.BONUS:
            _run(
                insert + "SELECT ps.partner_id, %s, k.normalised, NULL, %s "
                + scored.format(join=result_join, condition=f" AND k.normalised >= %s{where_tier}"),
                [rule.pk, rule.amount, rule.kpi_id, tenant_id, cycle.pk, rule.threshold or 0, *tier_params],
            )
        elif rule.kind == IncentiveKind.PENALTY:
            _run(
                insert + f"SELECT ps.partner_id, %s, k.raw, NULL, {_numeric('-%s * k.raw', 2)} "
                + scored.format(join=result_join, condition=f" AND k.raw > 0{where_tier}"),
                [rule.pk, rule.amount, rule.kpi_id, tenant_id, cycle.pk, *tier_params],
            )
        else:
            source = input_source(rule.input_name, cycle.tenant, _Period(cycle))
            if source is None:
                continue
            select, source_params = source
            value = "CAST(v.value AS NUMERIC)"
            amount, rate_sql, rate_params = _commission_sql(rule, brackets.get(rule.pk, []), value)
            _run(
                insert + f"SELECT ps.partner_id, %s, v.value, {rate_sql}, {_numeric(amount, 2)} "
                + scored.format(join=f"JOIN ({select}) AS v ON v.partner_id = ps.partner_id",
                                condition=f" AND v.value > 0{where_tier}"),
                [rule.pk, *rate_params[0], *rate_params[1], *source_params, tenant_id, cycle.pk, *tier_params],
            )
    _run(
        f"INSERT INTO {ST} (tenant_id, cycle_id, partner_id, state, state_changed_at, total, currency, "
        "paid_reference) "
        f"SELECT %s, %s, l.partner_id, %s, %s, SUM(l.amount), %s, '' FROM {STAGE_LINE} l GROUP BY l.partner_id",
        [tenant_id, cycle.pk, StatementState.DRAFT, timezone.now(), "CNY"],
    )
    kinds = " ".join("WHEN %s THEN %s" for _ in rules)
    explanations = " ".join("WHEN %s THEN %s" for _ in rules)
    _run(
        f"INSERT INTO {IL} (tenant_id, statement_id, rule_id, kind, base, rate, amount, explanation) "
        f"SELECT %s, s.id, l.rule_id, CASE l.rule_id {kinds} END, l.base, l.rate, l.amount, "
        f"CASE l.rule_id {explanations} END FROM {STAGE_LINE} l "
        f"JOIN {ST} s ON s.tenant_id = %s AND s.cycle_id = %s AND s.partner_id = l.partner_id "
        "ORDER BY l.partner_id, l.rule_id",
        [tenant_id, *[v for rule in rules for v in (rule.pk, rule.kind)],
         *[v for rule in rules for v in (rule.pk, rule_explanation(rule, brackets.get(rule.pk, [])))],
         tenant_id, cycle.pk],
    )
    _run(f"DROP TABLE {STAGE_LINE}")


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
