"""The review-cycle benchmark: ``python -m bench.review_cycle [--partners N]`` (or ``python -m bench --review-cycle``).

On PostgreSQL (``REVIEW_BENCH_DATABASE_URL``, default
``postgres://postgres@127.0.0.1:5432/channelhub_review_bench``, created if missing; a
database of its own so the page bench's data set is never touched) it builds, once per
size, a tenant of N active partners with 12 months of sales and targets per partner,
service tickets and certified staff (raw tables ``bench_review_*``, read through
set-based KPI inputs registered here, as cooperation and training will register theirs),
a scorecard per partner type, four tiers and incentive rules. It then runs one full
review cycle (compute, persist, tier proposals with hysteresis, incentive statements)
with ``evaluation.services.cycle_compute``, and the same cycle on a 2,000-partner sample
with a straightforward per-partner ORM implementation, and prints exactly one line::

    review_cycle: partners=N seconds=S peak_mb=M queries=Q naive_ratio=R

S is the cycle's wall time, M the process's peak resident memory, Q the queries the
cycle issued, R the per-partner speed-up over the naive implementation.
"""

from __future__ import annotations

import argparse
import datetime
import os
import resource
import sys
import time
from decimal import Decimal

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/channelhub_review_bench"
NAIVE_SAMPLE = 2_000
PERIOD = ("2026-Q4", (2026, 10, 1), (2027, 1, 1))
PREVIOUS = ("2026-Q3", (2026, 7, 1), (2026, 10, 1))


def _setup() -> None:
    url = os.environ.get("REVIEW_BENCH_DATABASE_URL", DEFAULT_URL)
    if url.startswith("postgres"):
        from bench.__main__ import _create_database

        _create_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "channelhub.settings.dev")
    os.environ["DEBUG"] = "false"
    import django

    django.setup()
    import logging

    logging.disable(logging.INFO)
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


# --------------------------------------------------------------------------- data


def _tenant(slug: str):
    from channelhub.tenancy.models import Tenant
    from channelhub.tenancy.services import tenant_create

    tenant = Tenant.objects.filter(slug=slug).first()
    return tenant or tenant_create(name=f"Review bench {slug}", slug=slug, default_language="en")


def _partner_columns():
    """Column → SQL expression for an INSERT … SELECT of bench partners (``g`` is the series)."""
    from channelhub.partners.models import Partner

    values = {}
    for field in Partner._meta.concrete_fields:
        if field.primary_key:
            continue
        if field.null:
            values[field.column] = "NULL"
        elif field.get_internal_type() in ("CharField", "TextField", "URLField", "EmailField"):
            values[field.column] = "''"
        elif field.get_internal_type() == "DateTimeField":
            values[field.column] = "now()"
        elif field.get_internal_type() == "BooleanField":
            values[field.column] = "false"
        else:
            values[field.column] = "0"
    values.update({
        "legal_name": "'Review bench partner ' || g",
        "short_name": "'RB' || g",
        "partner_type": "(ARRAY['distributor','reseller','retailer','agent','broker','service_provider'])"
                        "[1 + mod(g, 6)]",
        "status": "'active'",
    })
    return values


def build(slug: str, partners: int):
    """The tenant ``slug`` with ``partners`` partners and their figures (built once)."""
    from django.db import connection

    from channelhub.partners.models import Partner, Region
    from channelhub.tenancy.context import tenant_scope

    tenant = _tenant(slug)
    with tenant_scope(tenant):
        have = Partner.objects.count()
        if have >= partners:
            return tenant
        region = Region.objects.first() or Region.objects.create(code="BR", name="Bench region", level="area")
        columns = _partner_columns()
        columns.update({"tenant_id": str(tenant.pk), "region_id": str(region.pk)})
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {Partner._meta.db_table} ({', '.join(columns)}) "
                f"SELECT {', '.join(columns.values())} FROM generate_series(%s, %s) AS g",
                [have + 1, partners],
            )
            cursor.execute(
                "CREATE TABLE IF NOT EXISTS bench_review_sales (tenant_id int, partner_id bigint, month int, "
                "amount numeric(14,2), target numeric(14,2))"
            )
            cursor.execute(
                "CREATE TABLE IF NOT EXISTS bench_review_tickets (tenant_id int, partner_id bigint, sla_met int, "
                "hours float8)"
            )
            cursor.execute(
                "CREATE TABLE IF NOT EXISTS bench_review_staff (tenant_id int, partner_id bigint, staff int, "
                "certified int)"
            )
            for table in ("sales", "tickets", "staff"):
                cursor.execute(f"DELETE FROM bench_review_{table} WHERE tenant_id = %s", [tenant.pk])
            # 12 months of sales and targets per partner (2026), 3 tickets per partner, staff counts.
            cursor.execute(
                "INSERT INTO bench_review_sales SELECT %s, p.id, m, "
                "round((50000 + random() * 150000 * (1 + mod(p.id, 5)))::numeric, 2), 120000 "
                "FROM partners_partner p CROSS JOIN generate_series(1, 12) AS m WHERE p.tenant_id = %s",
                [tenant.pk, tenant.pk],
            )
            cursor.execute(
                "INSERT INTO bench_review_tickets SELECT %s, p.id, (random() < 0.85)::int, random() * 72 "
                "FROM partners_partner p CROSS JOIN generate_series(1, 3) WHERE p.tenant_id = %s",
                [tenant.pk, tenant.pk],
            )
            cursor.execute(
                "INSERT INTO bench_review_staff SELECT %s, p.id, 2 + mod(p.id, 9), mod(p.id * 7, 3 + mod(p.id, 9)) "
                "FROM partners_partner p WHERE p.tenant_id = %s AND mod(p.id, 10) <> 0",  # a tenth: no staff data
                [tenant.pk, tenant.pk],
            )
            for table, columns_ in (("sales", "tenant_id, partner_id, month"), ("tickets", "tenant_id, partner_id"),
                                    ("staff", "tenant_id, partner_id")):
                cursor.execute(f"CREATE INDEX IF NOT EXISTS bench_review_{table}_key ON bench_review_{table} "
                               f"({columns_})")
            cursor.execute("ANALYZE")
    return tenant


def _months(period) -> tuple[int, int]:
    start = period.start.month
    return start, start + 2


def register_inputs() -> None:
    """Set-based inputs over the bench tables, as chapters register theirs (``query=``)."""
    from channelhub.kpi_inputs import register_kpi_input

    def quarter(select: str):
        def query(tenant, period):
            first, last = _months(period)
            return select, [tenant.pk, first, last]
        return query

    def tenant_only(select: str):
        return lambda tenant, period: (select, [tenant.pk])

    def growth(tenant, period):
        first, last = _months(period)
        return (
            "SELECT partner_id, SUM(CASE WHEN month >= %s THEN amount ELSE 0 END) "
            "/ NULLIF(SUM(CASE WHEN month < %s THEN amount ELSE 0 END), 0) AS value FROM bench_review_sales "
            "WHERE tenant_id = %s AND month BETWEEN %s AND %s GROUP BY partner_id",
            [first, first, tenant.pk, first - 3, last],
        )

    register_kpi_input("bench.sales_achievement", label="sales vs target", query=quarter(
        "SELECT partner_id, SUM(amount) / NULLIF(SUM(target), 0) AS value FROM bench_review_sales "
        "WHERE tenant_id = %s AND month BETWEEN %s AND %s GROUP BY partner_id"))
    register_kpi_input("bench.sales_amount", label="sales", query=quarter(
        "SELECT partner_id, SUM(amount) AS value FROM bench_review_sales "
        "WHERE tenant_id = %s AND month BETWEEN %s AND %s GROUP BY partner_id"))
    register_kpi_input("bench.sales_growth", label="growth", query=growth)
    register_kpi_input("bench.sla", label="SLA met", query=tenant_only(
        "SELECT partner_id, AVG(sla_met) AS value FROM bench_review_tickets WHERE tenant_id = %s GROUP BY partner_id"))
    register_kpi_input("bench.resolution", label="hours to resolve", query=tenant_only(
        "SELECT partner_id, AVG(hours) AS value FROM bench_review_tickets WHERE tenant_id = %s GROUP BY partner_id"))
    register_kpi_input("bench.certified", label="certified staff", query=tenant_only(
        "SELECT partner_id, certified * 1.0 / staff AS value FROM bench_review_staff WHERE tenant_id = %s"))


KPIS = (
    # code, input, normalisation, direction, target, floor, ceiling, missing rule, weight
    ("achievement", "bench.sales_achievement", "target", "higher", "1", None, None, "zero", 35),
    ("growth", "bench.sales_growth", "percentile", "higher", None, None, None, "neutral", 15),
    ("sla", "bench.sla", "linear", "higher", None, "0.6", "1", "neutral", 20),
    ("resolution", "bench.resolution", "target", "lower", "24", None, None, "neutral", 10),
    ("certified", "bench.certified", "linear", "higher", None, "0", "1", "exclude", 20),
)


def configure(tenant) -> None:
    from channelhub.partners.models import PartnerType
    from channelhub.tenancy.context import tenant_scope
    from evaluation.models import (
        BracketMode,
        IncentiveBracket,
        IncentiveKind,
        IncentiveRule,
        Kpi,
        KpiKind,
        Scorecard,
        ScorecardLine,
        Tier,
    )

    with tenant_scope(tenant):
        if Kpi.objects.exists():
            return
        kpis = []
        for code, source, normalisation, direction, target, floor, ceiling, missing, weight in KPIS:
            kpi = Kpi.objects.create(
                code=code, name=code, kind=KpiKind.SALES_ACHIEVEMENT, input_name=source, normalisation=normalisation,
                direction=direction, target=Decimal(target) if target else None,
                floor=Decimal(floor) if floor else None, ceiling=Decimal(ceiling) if ceiling else None,
                missing_rule=missing)
            kpis.append((kpi, weight))
        for partner_type in PartnerType.values:
            scorecard = Scorecard.objects.create(name=partner_type, partner_type=partner_type)
            for kpi, weight in kpis:
                ScorecardLine.objects.create(scorecard=scorecard, kpi=kpi, weight=weight)
        for rank, (code, score) in enumerate((("registered", 0), ("silver", 50), ("gold", 70), ("platinum", 85)), 1):
            Tier.objects.create(code=code, name=code.title(), rank=rank, min_score=score)
        achievement = kpis[0][0]
        IncentiveRule.objects.create(name="bonus", kind=IncentiveKind.BONUS, kpi=achievement,
                                     threshold=Decimal("100"), amount=Decimal("8000"))
        commission = IncentiveRule.objects.create(name="commission", kind=IncentiveKind.COMMISSION,
                                                  input_name="bench.sales_amount", bracket_mode=BracketMode.MARGINAL)
        rebate = IncentiveRule.objects.create(name="rebate", kind=IncentiveKind.REBATE,
                                              input_name="bench.sales_amount", bracket_mode=BracketMode.WHOLE)
        for rule in (commission, rebate):
            for threshold, rate in ((0, "1"), (300000, "2"), (600000, "3")):
                IncentiveBracket.objects.create(rule=rule, threshold=Decimal(threshold), rate=Decimal(rate))


def _cycle(tenant, key, start, end):
    from channelhub.tenancy.context import tenant_scope
    from evaluation.models import KpiResult, PartnerScore, ReviewCycle, TierChange

    utc = datetime.UTC
    with tenant_scope(tenant):
        cycle, _ = ReviewCycle.objects.get_or_create(
            cadence="quarterly", period_key=key, scorecard_version=1,
            defaults={"period_start": datetime.datetime(*start, tzinfo=utc),
                      "period_end": datetime.datetime(*end, tzinfo=utc)})
        if cycle.state != "scheduled":  # a previous bench run: start the cycle afresh
            from evaluation import compute as engine

            engine.clear(cycle)
            ReviewCycle.objects.filter(pk=cycle.pk).update(state="scheduled")
            cycle.refresh_from_db()
        assert not KpiResult.objects.filter(cycle=cycle).exists()
        assert not PartnerScore.objects.filter(cycle=cycle).exists() and not TierChange.objects.filter(cycle=cycle)
    return cycle


class _Counter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def _vacuum() -> None:
    """``VACUUM ANALYZE`` the tables the cycle reads and writes (outside the timed run).

    What autovacuum does between two quarterly cycles in production (it is off on the
    bench server): dead rows of earlier bench runs gone, the planner's statistics current.
    """
    from django.db import connection

    tables = ("partners_partner", "evaluation_kpiresult", "evaluation_partnerscore", "evaluation_tierchange",
              "evaluation_partnertier", "evaluation_incentivestatement", "evaluation_incentiveline",
              "bench_review_sales", "bench_review_tickets", "bench_review_staff")
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {', '.join(tables)}")


def run_set_based(tenant) -> tuple[int, float, int]:
    from django.db import connection

    from evaluation.services import cycle_compute

    previous = _cycle(tenant, *PREVIOUS)
    cycle_compute(cycle=previous, actor=None)  # gives the cycle a previous one (change, hysteresis)
    cycle = _cycle(tenant, *PERIOD)
    _vacuum()
    counter = _Counter()
    started = time.monotonic()
    with connection.execute_wrapper(counter):
        cycle = cycle_compute(cycle=cycle, actor=None)
    return cycle.partner_count, time.monotonic() - started, counter.count


def run_naive(tenant) -> tuple[int, float]:
    """The same cycle, straightforwardly: per partner, per KPI, one query and one saved row."""
    from django.db import connection, transaction

    from channelhub import kpi_inputs
    from channelhub.partners.models import Partner, PartnerStatus
    from channelhub.tenancy.context import tenant_scope
    from evaluation import compute as engine
    from evaluation.models import (
        IncentiveLine,
        IncentiveRule,
        IncentiveStatement,
        KpiResult,
        PartnerScore,
        PartnerTier,
        Scorecard,
        Tier,
        TierChange,
    )

    cycle = _cycle(tenant, *PERIOD)
    started = time.monotonic()
    with tenant_scope(tenant), transaction.atomic():
        tiers = list(Tier.objects.order_by("-rank"))
        partners = list(Partner.objects.filter(status=PartnerStatus.ACTIVE))
        raw: dict[tuple[int, int], float | None] = {}
        for partner in partners:
            scorecard = Scorecard.objects.filter(partner_type=partner.partner_type, is_active=True).first()
            for line in scorecard.lines.select_related("kpi"):
                select, params = kpi_inputs.kpi_inputs()[line.kpi.source].query(tenant, engine._Period(cycle))
                with connection.cursor() as cursor:
                    cursor.execute(f"SELECT value FROM ({select}) AS v WHERE v.partner_id = %s", [*params, partner.pk])
                    row = cursor.fetchone()
                raw[(partner.pk, line.pk)] = float(row[0]) if row and row[0] is not None else None
        for partner in partners:
            scorecard = Scorecard.objects.filter(partner_type=partner.partner_type, is_active=True).first()
            total, weights = Decimal(0), Decimal(0)
            for line in scorecard.lines.select_related("kpi"):
                kpi, value = line.kpi, raw[(partner.pk, line.pk)]
                if value is None:
                    score = {"zero": Decimal(0), "neutral": kpi.neutral_score}.get(kpi.missing_rule)
                elif kpi.normalisation == "percentile":
                    peers = [v for (p, lid), v in raw.items() if lid == line.pk and v is not None]
                    below = sum(1 for v in peers if v < value)
                    score = Decimal(100) if len(peers) == 1 else Decimal(below * 100 / (len(peers) - 1))
                elif kpi.normalisation == "target":
                    ratio = value / float(kpi.target) if kpi.direction == "higher" else (
                        float(kpi.target) / value if value > 0 else 1)
                    score = Decimal(min(100.0, max(0.0, ratio * 100)))
                else:
                    span = float(kpi.ceiling - kpi.floor)
                    ratio = (value - float(kpi.floor)) / span if kpi.direction == "higher" else (
                        float(kpi.ceiling) - value) / span
                    score = Decimal(min(100.0, max(0.0, ratio * 100)))
                KpiResult.objects.create(cycle=cycle, partner=partner, kpi=kpi, raw=value, missing=value is None,
                                         normalised=score, weight=line.weight)
                if score is not None:
                    total += score * line.weight
                    weights += line.weight
            total = (total / weights).quantize(Decimal("0.001")) if weights else Decimal(0)
            score_row = PartnerScore.objects.create(cycle=cycle, partner=partner, partner_type=partner.partner_type,
                                                    scorecard=scorecard, total=total)
            current = PartnerTier.objects.filter(partner=partner).first()
            proposed = next((t for t in tiers if t.min_score <= total), None)
            if proposed and (current is None or current.tier_id != proposed.pk):
                TierChange.objects.create(cycle=cycle, partner=partner, to_tier=proposed, score=total,
                                          from_tier=current.tier if current else None, kind="initial")
            statement = IncentiveStatement.objects.create(cycle=cycle, partner=partner)
            amount_total = Decimal(0)
            for rule in IncentiveRule.objects.filter(is_active=True):
                if rule.kind == "bonus":
                    result = KpiResult.objects.get(cycle=cycle, partner=partner, kpi=rule.kpi)
                    if result.normalised is not None and result.normalised >= rule.threshold:
                        IncentiveLine.objects.create(statement=statement, rule=rule, kind=rule.kind,
                                                     amount=rule.amount)
                        amount_total += rule.amount
                else:
                    select, params = kpi_inputs.kpi_inputs()[rule.input_name].query(tenant, engine._Period(cycle))
                    with connection.cursor() as cursor:
                        cursor.execute(f"SELECT value FROM ({select}) AS v WHERE v.partner_id = %s",
                                       [*params, partner.pk])
                        row = cursor.fetchone()
                    base = Decimal(row[0]) if row and row[0] is not None else Decimal(0)
                    amount = Decimal(0)
                    for bracket in rule.brackets.all():
                        if base > bracket.threshold:
                            amount = base * bracket.rate / 100
                    IncentiveLine.objects.create(statement=statement, rule=rule, kind=rule.kind,
                                                 amount=amount.quantize(Decimal("0.01")))
                    amount_total += amount
            statement.total = amount_total.quantize(Decimal("0.01"))
            statement.save()
            score_row.save()
        transaction.set_rollback(True)  # leave the sample as it was
    return len(partners), time.monotonic() - started


def _load() -> str:
    """The machine's load averages (1, 5, 15 minutes): the cores are shared, figures are noisy."""
    try:
        return " ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:  # pragma: no cover - not on Linux
        return "unknown"


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.review_cycle")
    parser.add_argument("--partners", type=int, default=100_000)
    args = parser.parse_args()
    _setup()
    register_inputs()
    big = build(f"review-{args.partners}", args.partners)
    sample = build(f"review-sample-{NAIVE_SAMPLE}", NAIVE_SAMPLE)
    for tenant in (big, sample):
        configure(tenant)
    _vacuum()
    naive_partners, naive_seconds = run_naive(sample)
    partners, seconds, queries = run_set_based(big)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ratio = (naive_seconds / naive_partners) / (seconds / partners)
    # The baseline, measured in the same run (stderr: stdout is the one line below).
    print(f"baseline: naive per-partner ORM cycle, {naive_partners} partners in {naive_seconds:.1f} s "
          f"({naive_seconds / naive_partners * 1000:.2f} ms a partner); set-based "
          f"{seconds / partners * 1000:.3f} ms a partner; load average {_load()}", file=sys.stderr, flush=True)
    print(f"review_cycle: partners={partners} seconds={seconds:.1f} peak_mb={peak_mb:.0f} "
          f"queries={queries} naive_ratio={ratio:.0f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
