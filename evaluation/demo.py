"""The evaluation demo (绩效评估): a KPI catalogue, a scorecard per partner type, four tiers, incentive
rules, and the two quarters before today computed, signed off and published for both demo tenants, with
statements approved and paid, an improvement plan for the weakest partner and relationship surveys.

Figures come from the KPI inputs the other chapters register (training's certified staff and
qualifications, cooperation's reported sales and timeliness); a KPI without a figure follows its
missing-data rule. Everything goes through ``evaluation.services`` inside the tenant's scope.
Idempotent: the catalogue is looked up by code, cycles by period; a published cycle is left as it is,
so ``seed_demo`` run twice creates nothing the second time. ``EvaluationConfig.demo`` names this module.
"""

from __future__ import annotations

import datetime
from collections import Counter
from decimal import Decimal

from django.db import transaction
from django.utils import timezone, translation

from channelhub.partners.models import Partner, PartnerStatus
from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.jobs import period_before
from channelhub.tenancy.models import Cadence, Tenant, User
from channelhub.tenancy.policy import trusted

from . import services
from .models import (
    BracketMode,
    CycleState,
    ImprovementPlan,
    IncentiveKind,
    IncentiveRule,
    IncentiveStatement,
    Kpi,
    KpiKind,
    MissingRule,
    Normalisation,
    PartnerScore,
    RelationshipSurvey,
    Scorecard,
    StatementState,
    Tier,
)

D = Decimal

# (code, kind, normalisation, settings, missing rule, names zh / en)
KPIS = [
    ("sales", KpiKind.SALES_AMOUNT, Normalisation.PERCENTILE, {}, MissingRule.ZERO, "报告销售额", "Reported sales"),
    ("growth", KpiKind.SALES_GROWTH, Normalisation.LINEAR, {"floor": D("-0.2"), "ceiling": D("0.3")},
     MissingRule.NEUTRAL, "销售增长", "Sales growth"),
    ("timely", KpiKind.REPORTING_TIMELINESS, Normalisation.TARGET, {"target": D("1")}, MissingRule.ZERO,
     "按时报告", "Reporting on time"),
    ("certified", KpiKind.CERTIFIED_STAFF, Normalisation.TARGET, {"target": D("0.5")}, MissingRule.NEUTRAL,
     "持证人员比例", "Certified staff ratio"),
    ("qualified", KpiKind.QUALIFICATION, Normalisation.TARGET, {"target": D("1")}, MissingRule.EXCLUDE,
     "资质状态", "Qualification status"),
]
WEIGHTS = {"sales": 35, "growth": 20, "timely": 15, "certified": 20, "qualified": 10}
# (code, rank, threshold, discount, commission, MDF, lead weight, names zh / en)
TIERS = [
    ("platinum", 4, 80, 8, D("3.0"), True, D("2.0"), "白金", "Platinum"),
    ("gold", 3, 65, 5, D("2.0"), True, D("1.5"), "金牌", "Gold"),
    ("silver", 2, 45, 3, D("1.0"), False, D("1.2"), "银牌", "Silver"),
    ("registered", 1, 0, 0, D("0.5"), False, D("1.0"), "注册", "Registered"),
]


def seed(spec, *, progress_factory) -> Counter:
    progress = progress_factory(total=1, desc=f"{spec.slug} evaluation")
    try:
        return seed_evaluation(spec)
    finally:
        progress.update(1)
        progress.close()


def _name(spec, zh: str, en: str) -> str:
    return zh if spec.default_language.startswith("zh") else en


def seed_evaluation(spec) -> Counter:
    counts: Counter = Counter()
    tenant = Tenant.objects.filter(slug=spec.slug).first()
    if tenant is None:
        return counts
    with translation.override(spec.default_language), tenant_scope(tenant, source="seed_demo"), trusted():
        users = {u.username: u for u in User.objects.filter(username__in=[d.username for d in spec.users])}
        manager = next((users.get(d.username) for d in spec.users if d.role == "channel_manager"), None)
        finance = next((users.get(d.username) for d in spec.users if d.role == "finance"), None)
        with transaction.atomic():
            kpis = _catalogue(tenant, spec, counts)
            tiers = _tiers(tenant, spec, counts)
            _rules(tenant, spec, kpis, tiers, counts)
        today = timezone.now()
        last = period_before(Cadence.QUARTERLY, today, tenant.zone)
        before = period_before(Cadence.QUARTERLY, last.start, tenant.zone)
        for period in (before, last):
            _cycle(tenant, period, manager, finance, counts)
        _follow_up(tenant, spec, last, manager, counts)
        seed_economics(tenant, spec, counts)
    return counts


def _catalogue(tenant, spec, counts) -> dict[str, Kpi]:
    kpis = {}
    for code, kind, normalisation, settings, missing, zh, en in KPIS:
        kpi = Kpi.objects.filter(code=code).first()
        if kpi is None:
            kpi = services.kpi_create(tenant=tenant, actor=None, code=code, name=_name(spec, zh, en), kind=kind,
                                      normalisation=normalisation, missing_rule=missing, **settings)
            counts["evaluation KPIs"] += 1
        kpis[code] = kpi
    types = sorted(set(Partner.objects.filter(status=PartnerStatus.ACTIVE).values_list("partner_type", flat=True)))
    for partner_type in types:
        if Scorecard.objects.filter(partner_type=partner_type).exists():
            continue
        label = dict(Partner._meta.get_field("partner_type").choices).get(partner_type, partner_type)
        services.scorecard_create(tenant=tenant, actor=None, partner_type=partner_type, version=1,
                                  name=_name(spec, f"{label}考核表", f"{label} scorecard"),
                                  lines=[(kpis[code], D(weight)) for code, weight in WEIGHTS.items()])
        counts["evaluation scorecards"] += 1
    return kpis


def _tiers(tenant, spec, counts) -> dict[str, Tier]:
    tiers = {}
    for code, rank, threshold, discount, commission, mdf, lead, zh, en in TIERS:
        tier = Tier.objects.filter(code=code).first()
        if tier is None:
            tier = services.tier_create(tenant=tenant, actor=None, code=code, name=_name(spec, zh, en), rank=rank,
                                        min_score=D(threshold), discount_percent=D(discount),
                                        commission_rate=commission, mdf_eligible=mdf, lead_weight=lead,
                                        demote_after=2)
            counts["evaluation tiers"] += 1
        tiers[code] = tier
    return tiers


def _rules(tenant, spec, kpis, tiers, counts) -> None:
    if IncentiveRule.objects.exists():
        return
    services.rule_create(tenant=tenant, actor=None, name=_name(spec, "按时报告奖励", "On-time reporting bonus"),
                         kind=IncentiveKind.BONUS, kpi=kpis["timely"], threshold=D("90"), amount=D("2000"))
    commission = services.rule_create(
        tenant=tenant, actor=None, name=_name(spec, "销售佣金（累进）", "Sales commission (marginal brackets)"),
        kind=IncentiveKind.COMMISSION, input_name="cooperation.sales_amount", bracket_mode=BracketMode.MARGINAL)
    for threshold, rate in ((0, "1.0"), (100000, "1.5"), (500000, "2.0")):
        services.bracket_create(tenant=tenant, actor=None, rule=commission, threshold=D(threshold), rate=D(rate))
    services.rule_create(tenant=tenant, actor=None, name=_name(spec, "白金返利", "Platinum volume rebate"),
                         kind=IncentiveKind.REBATE, tier=tiers["platinum"], input_name="cooperation.sales_amount",
                         rate=D("0.5"))
    counts["evaluation incentive rules"] += 3


def _cycle(tenant, period, manager, finance, counts) -> None:
    cycle = services.cycle_for_period(tenant=tenant, period=period)
    if cycle.state == CycleState.PUBLISHED:
        return
    if cycle.state == CycleState.SCHEDULED:
        cycle = services.cycle_compute(cycle=cycle, actor=manager)
    if cycle.state == CycleState.COMPUTED:
        cycle = services.cycle_confirm(cycle=cycle, actor=finance)
    statements = list(IncentiveStatement.objects.filter(cycle=cycle, state=StatementState.DRAFT).order_by("-total"))
    for index, statement in enumerate(statements):
        if index % 3 == 2:
            continue  # some stay drafts: finance's queue has something in it
        statement = services.statement_approve(statement=statement, actor=finance)
        if index % 3 == 0:
            services.statement_mark_paid(statement=statement, actor=finance, reference=f"PAY-{period.key}-{index + 1}")
    services.cycle_publish(cycle=cycle, actor=manager)
    counts["evaluation cycles published"] += 1


def _follow_up(tenant, spec, period, manager, counts) -> None:
    """An improvement plan for the weakest partner of the last cycle, and relationship surveys."""
    from .models import ReviewCycle

    cycle = ReviewCycle.objects.filter(period_key=period.key).first()
    if cycle is None:
        return
    weakest = (PartnerScore.objects.filter(cycle=cycle).order_by("total", "partner_id")
               .select_related("partner").first())
    if weakest is not None and not ImprovementPlan.objects.filter(partner=weakest.partner, cycle=cycle).exists():
        today = timezone.localdate()
        services.plan_create(
            tenant=tenant, actor=manager, partner=weakest.partner, cycle=cycle, owner=manager,
            title=_name(spec, "销售与培训改进计划", "Sales and training improvement plan"),
            due_date=today + datetime.timedelta(days=60),
            actions=[
                {"description": _name(spec, "按月按时提交销售报告", "Report sales every month by the deadline"),
                 "owner_name": _name(spec, "合作伙伴销售经理", "Partner's sales manager"),
                 "due_date": today - datetime.timedelta(days=5)},
                {"description": _name(spec, "两名销售人员完成产品认证",
                                      "Two sales staff pass the product certification"),
                 "owner_name": _name(spec, "渠道经理", "Channel manager"),
                 "due_date": today + datetime.timedelta(days=45)},
            ],
        )
        counts["evaluation improvement plans"] += 1
    partners = list(PartnerScore.objects.filter(cycle=cycle).order_by("-total", "partner_id")
                    .select_related("partner")[:6])
    for index, score in enumerate(partners):
        if RelationshipSurvey.objects.filter(partner=score.partner, period_key=period.key).exists():
            continue
        services.survey_create(tenant=tenant, actor=manager, partner=score.partner, period_key=period.key,
                                        manager_rating=4 if index % 2 == 0 else 3,
                                        manager_comment=_name(spec, "合作顺畅", "Works well with us"))
        ratings = {"support": 4, "training": 3 + index % 2, "communication": 5 - index % 3, "fairness": 4}
        services.survey_answer(partner=score.partner, period_key=period.key, actor=None,
                               comment=_name(spec, "希望增加培训场次", "More training sessions, please"), **ratings)
        counts["evaluation relationship surveys"] += 1


# --------------------------------------------------------------------------- cost and return, coverage

# Per partner type: margin %, recruiting cost per new partner, training cost per trainee-day (CNY).
COST_RATES = {
    "distributor": (D("18"), D("12000"), D("800")),
    "reseller": (D("22"), D("6000"), D("600")),
    "retailer": (D("25"), D("3000"), D("500")),
    "agent": (D("30"), D("2500"), D("400")),
    "broker": (D("28"), D("8000"), D("500")),
    "service_provider": (D("35"), D("4000"), D("500")),
}
# Hand-recorded costs (category, amount, zh / en note) for the first partners, every third month.
COST_ENTRIES = [
    ("promotion", D("15000"), "展会展位分摊", "Share of the exhibition stand"),
    ("other", D("3200"), "渠道经理拜访差旅", "Channel manager's visit (travel)"),
    ("training", D("4800"), "现场培训讲师费", "On-site trainer's fee"),
]


def seed_economics(tenant, spec, counts) -> None:
    """Cost rates, a few hand-recorded costs, twelve months of cost and return, coverage targets with gaps.

    Idempotent: rates and entries are created once, targets only when there are none; the monthly
    rollup and the gaps are recomputed (replaced, never added).
    """
    from .models import CostEntry, CostRate, CoverageTarget
    from .services import coverage as coverage_services
    from .services import economics as economics_services

    types = sorted(set(Partner.objects.exclude(status=PartnerStatus.PROSPECT)
                       .values_list("partner_type", flat=True)))
    for partner_type in types:
        if partner_type in COST_RATES and not CostRate.objects.filter(partner_type=partner_type).exists():
            margin, recruiting, training = COST_RATES[partner_type]
            economics_services.cost_rate_create(tenant=tenant, actor=None, partner_type=partner_type,
                                                margin_percent=margin, recruiting_cost=recruiting,
                                                training_cost=training)
            counts["evaluation cost rates"] += 1
    today = timezone.localdate()
    months = [f"{today.year:04d}-{today.month:02d}"]  # this month so far, then the twelve before it
    year, month = today.year, today.month
    for _i in range(12):
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        months.append(f"{year:04d}-{month:02d}")
    if not CostEntry.objects.exists():
        partners = list(Partner.objects.filter(status=PartnerStatus.ACTIVE).order_by("pk")[:4])
        for index, partner in enumerate(partners):
            for step, key in enumerate(months[1 + index % 3::3]):
                category, amount, zh, en = COST_ENTRIES[(index + step) % len(COST_ENTRIES)]
                economics_services.cost_entry_create(tenant=tenant, actor=None, partner=partner, period_key=key,
                                                     category=category, amount=amount, note=_name(spec, zh, en))
                counts["evaluation cost entries"] += 1
    for key in months:
        economics_services.economics_compute(tenant=tenant, period_key=key, actor=None)
    if not CoverageTarget.objects.exists():
        from channelhub.partners.models import Region

        active = Counter(Partner.objects.filter(status=PartnerStatus.ACTIVE)
                         .values_list("region__path", "partner_type"))
        areas = list(Region.objects.filter(parent__isnull=True).order_by("path")[:6])
        for index, area in enumerate(areas):
            for offset, partner_type in enumerate(types[:3]):
                have = sum(n for (path, kind), n in active.items()
                           if kind == partner_type and path.startswith(area.path))
                # Every other cell wants more than it has: the map shows gaps and covered cells.
                wanted = have + (index + offset) % 3 + 1 if (index + offset) % 2 == 0 else max(have, 1)
                coverage_services.coverage_target_create(
                    tenant=tenant, actor=None, region=area, partner_type=partner_type, wanted=wanted,
                    market_weight=D(100 * (6 - index) + 20 * offset),
                    note=_name(spec, "按市场潜力估算", "From the market potential estimate"))
                counts["evaluation coverage targets"] += 1
    coverage_services.coverage_compute(tenant=tenant, actor=None)
