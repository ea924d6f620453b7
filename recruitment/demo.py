"""The recruitment demo (渠道招募): criteria, scorecard templates, approval chain, onboarding
checklist, two recruitment plans, campaigns by source and ~35 applications in every state.

Everything goes through ``recruitment.services`` inside the tenant's scope, so the audit
trail (history rows, state transitions, approval decisions) is real. The services run on a
``DemoClock``: each application's story (submitted, screened, scored by two reviewers, passed
from step to step of the approval chain, converted, onboarded) is told over the past weeks,
so timestamps, the audit trail and the reports (time to decision, reviewer workload) look like
a working channel team's, not like one second of seeding.

Deterministic: names, codes, scores and timings come from ``random.Random`` seeded with the
tenant; dates count back from the day of seeding. Idempotent: configuration rows are looked
up by their natural keys (criterion name, template type, step order, checklist key, plan
name, campaign code) and applications by credit code; an existing row is never touched.
No e-mail leaves the demo: applicant notifications are not queued and the invitations of the
converted partners go to a dummy mail backend.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from unittest import mock

from django.apps import apps
from django.core.files.base import ContentFile
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone, translation

from channelhub.demo.builder import PLACES, Place, credit_code_for, mobile_number, person_name
from channelhub.demo.data import DEMO_PASSWORD, SEED, TRADE_NAMES, TenantSpec
from channelhub.partners.models import Partner, PartnerStatus, PartnerType, Region
from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.models import Membership, Tenant, User
from channelhub.tenancy.roles import Role

# A tiny valid PDF and PNG: the upload checks read the first bytes.
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 48


# --------------------------------------------------------------------------- the clock


class DemoClock:
    """``timezone.now()`` for the services while the demo is built: a time the builder sets.

    Patches ``django.utils.timezone.now`` (what services, ``auto_now`` fields, the workflow
    log and simple-history read) and the model fields whose default is that function.
    """

    def __init__(self, start: datetime.datetime):
        self.now = start

    def __call__(self) -> datetime.datetime:
        return self.now

    def at(self, when: datetime.datetime) -> DemoClock:
        self.now = when
        return self

    @contextmanager
    def running(self) -> Iterator[DemoClock]:
        real = timezone.now
        fields = [
            field for model in apps.get_models() for field in model._meta.concrete_fields
            if getattr(field, "default", None) is real
        ]

        def point(target) -> None:
            for field in fields:
                field.default = target
                field.__dict__.pop("_get_default", None)  # Django caches the default callable

        timezone.now = self
        point(self)
        try:
            yield self
        finally:
            timezone.now = real
            point(real)


# --------------------------------------------------------------------------- the tenants' texts


@dataclass(frozen=True)
class CriterionSpec:
    category: str
    name: str
    guidance: str
    weight: str
    scale: int
    knockout: str | None = None


@dataclass(frozen=True)
class PlanSpec:
    name: str
    description: str
    owner: str  # username
    budget: str
    starts_days_ago: int
    runs_days: int
    targets: tuple[tuple[str, str, int], ...]  # (area code, partner type, number)


@dataclass(frozen=True)
class CampaignSpec:
    code: str
    name: str
    source: str
    plan: int  # index into the plans
    cost: str
    starts_days_ago: int
    runs_days: int | None
    status: str  # planned / running / finished
    notes: str = ""
    referrer: str = ""  # flagship key of the referring partner


@dataclass(frozen=True)
class RecruitmentTexts:
    criteria: tuple[CriterionSpec, ...]
    # Per partner type: {criterion index: weight override}
    templates: dict[str, dict[int, str]]
    template_name: str  # "{type}" is replaced by the type's label
    default_template: str
    steps: tuple[tuple[int, str, str], ...]
    checklist: tuple[tuple[str, str, str, bool], ...]  # key, name, description, required
    plans: tuple[PlanSpec, ...]
    campaigns: tuple[CampaignSpec, ...]
    reviewers: tuple[tuple[str, str], ...]  # pairs of usernames scoring together
    deciders: dict[str, str]  # role -> username
    experience: tuple[str, ...]  # "{years}", "{place}", "{industry}"
    brands: tuple[str, ...]
    questions: tuple[str, ...]
    answers: tuple[str, ...]
    score_comments: tuple[str, ...]
    approve_comments: tuple[str, ...]
    reject_low: str
    reject_knockout: str
    reject_screening: str
    reject_legal: str
    return_comment: str
    withdraw_reasons: tuple[str, ...]
    activate_reason: str
    titles: tuple[str, ...]
    applicant_languages: tuple[str, ...]
    new_partner_admin: str  # username given to one converted partner's administrator


HUAXIN_TEXTS = RecruitmentTexts(
    criteria=(
        CriterionSpec("legal_compliance", "依法经营、证照齐全",
                      "营业执照、税务登记和行业许可是否齐全有效；近三年有无重大违法失信记录。", "3", 5, "3"),
        CriterionSpec("business_strength", "资金实力",
                      "注册资本与实缴情况、近三年营业额、现金流和备货能力。", "2.5", 5, "2"),
        CriterionSpec("capability", "销售与服务能力",
                      "销售团队规模、门店与网点覆盖、售后服务和技术支持能力。", "2", 5),
        CriterionSpec("brand_image", "品牌形象与商誉", "门店形象、客户口碑、行业评价和合作厂商评价。", "1", 5),
        CriterionSpec("experience", "行业经验", "从事消费电子分销或零售的年限，代理过的品牌。", "1.5", 5),
        CriterionSpec("market_influence", "市场影响力", "在目标区域的市场份额、客户资源和下游渠道网络（0–10 分）。",
                      "2", 10),
    ),
    templates={
        PartnerType.DISTRIBUTOR: {1: "3", 5: "2.5"},
        PartnerType.RESELLER: {2: "2.5"},
        PartnerType.RETAILER: {2: "2.5", 3: "1.5"},
        PartnerType.SERVICE_PROVIDER: {2: "3", 4: "2"},
    },
    template_name="{type}评分卡",
    default_template="通用评分卡",
    steps=((1, "渠道经理审核", Role.CHANNEL_MANAGER), (2, "销售总监审批", Role.OWNER), (3, "法务审核", Role.LEGAL)),
    checklist=(
        ("sign_agreement", "签订合作协议", "双方代表签署渠道合作协议（含价格、推广义务、保密和终止条款）。", True),
        ("orientation_course", "完成入门培训课程", "销售负责人完成产品知识和销售政策入门培训。", True),
        ("portal_users", "开通门户用户", "合作伙伴管理员登录门户并邀请销售团队成员。", True),
        ("first_sales_report", "提交首份销售报告", "首个自然月结束后提交销售数据。", False),
    ),
    plans=(
        PlanSpec("{year} 年华东华南渠道拓展计划", "在华东、华南新增经销商、转售商和零售网点，补齐地级市覆盖。",
                 "huaxin-manager", "600000", 180, 365,
                 (("EAST", PartnerType.DISTRIBUTOR, 4), ("EAST", PartnerType.RETAILER, 6),
                  ("SOUTH", PartnerType.RESELLER, 5), ("SOUTH", PartnerType.DISTRIBUTOR, 2))),
        PlanSpec("{year} 年西部与华北拓展计划", "进入西南、西北重点城市，加密华北零售网点。",
                 "huaxin-manager2", "300000", 75, 240,
                 (("SOUTHWEST", PartnerType.RESELLER, 3), ("NORTHWEST", PartnerType.DISTRIBUTOR, 2),
                  ("NORTH", PartnerType.RETAILER, 4))),
    ),
    campaigns=(
        CampaignSpec("EXPO-SZ", "中国电子信息博览会（深圳）招商", "exhibition", 0, "180000", 160, 4, "finished",
                     "展位 A12，现场洽谈 86 家。"),
        CampaignSpec("ADS-Q1", "行业媒体广告投放", "advertising", 0, "60000", 150, 90, "finished"),
        CampaignSpec("WEB-JOIN", "官网合作伙伴招募专页", "website", 0, "8000", 170, None, "running"),
        CampaignSpec("REF-DS", "鼎盛电子推荐计划", "referral", 0, "20000", 120, None, "running",
                     "推荐成功每家奖励 5000 元。", referrer="dingsheng"),
        CampaignSpec("LIVE-WEST", "西部渠道招商直播", "media", 1, "45000", 60, 30, "finished"),
        CampaignSpec("EXPO-CD", "成都电子展（秋季）", "exhibition", 1, "90000", -20, 3, "planned"),
    ),
    reviewers=(("huaxin-manager", "huaxin-manager3"), ("huaxin-manager2", "huaxin-trainer"),
               ("huaxin-manager3", "huaxin-legal"), ("huaxin-manager", "huaxin-trainer")),
    deciders={Role.CHANNEL_MANAGER: "huaxin-manager", Role.OWNER: "huaxin-owner", Role.LEGAL: "huaxin-legal"},
    experience=(
        "从事{industry}业务 {years} 年，在{place}拥有稳定的下游客户和自有仓储。",
        "{years} 年消费电子零售经验，{place}核心商圈门店 6 家，会员 3 万余人。",
        "曾代理国内一线手机和笔记本品牌 {years} 年，覆盖{place}及周边县市 120 余家网点。",
        "{years} 年企业信息化项目经验，服务{place}政企客户 200 余家。",
    ),
    brands=("华为、荣耀", "小米、OPPO", "联想、戴尔", "vivo、realme", "海尔、美的", "—"),
    questions=("请补充近三年的年度销售额和主要客户名单。", "请说明贵公司在目标区域的门店和网点数量。",
               "营业执照上的经营范围是否包含电子产品销售？请上传最新版本。"),
    answers=("已补充：2023 年 4200 万元，2024 年 5100 万元，主要客户名单见附件。",
             "目前自营门店 8 家，加盟网点 35 家，均位于目标区域内。"),
    score_comments=("资质齐全，渠道资源较好。", "资金实力偏弱，建议关注回款。", "团队经验丰富，建议优先推进。",
                    "区域覆盖与计划目标匹配。", ""),
    approve_comments=("同意，符合招募条件。", "同意，请尽快安排合同签署。", "法务审核通过，合同条款无异议。", ""),
    reject_low="综合评分偏低，暂不符合招募条件。",
    reject_knockout="依法经营一项未达标（否决项），不予通过。",
    reject_screening="营业执照已过期，初审不通过。",
    reject_legal="存在未结诉讼，法务审核不通过。",
    return_comment="请补充资金证明后重新评分。",
    withdraw_reasons=("已与其他厂商达成合作。", "公司业务调整，暂不申请。", "申请信息有误，稍后重新提交。"),
    activate_reason="旗舰门店开业在即，先行启用。",
    titles=("总经理", "董事长", "销售总监", "渠道经理", "运营总监"),
    applicant_languages=("zh-hans", "zh-hans", "zh-hans", "en"),
    new_partner_admin="huaxin-new-partner",
)

ANHE_TEXTS = RecruitmentTexts(
    criteria=(
        CriterionSpec("legal_compliance", "Licensed and compliant",
                      "Intermediary licence valid for the region; no regulatory penalties in the last three years.",
                      "3", 5, "3"),
        CriterionSpec("business_strength", "Capital strength",
                      "Registered and paid-in capital against the regulator's minimum; premium volume.",
                      "2.5", 5, "2"),
        CriterionSpec("capability", "Sales force and service capability",
                      "Licensed agents, training system, claims service.", "2", 5),
        CriterionSpec("brand_image", "Brand and reputation",
                      "Customer complaints, media coverage, insurer references.", "1", 5),
        CriterionSpec("experience", "Insurance experience", "Years in insurance distribution, lines of business.",
                      "1.5", 5),
        CriterionSpec("market_influence", "Market influence", "Share of the local intermediary market (0–10).",
                      "2", 10),
    ),
    templates={
        PartnerType.AGENT: {2: "3"},
        PartnerType.BROKER: {1: "3", 4: "2"},
        PartnerType.SERVICE_PROVIDER: {2: "3", 3: "1.5"},
    },
    template_name="{type} scorecard",
    default_template="Standard scorecard",
    steps=((1, "Channel manager review", Role.CHANNEL_MANAGER), (2, "Sales director approval", Role.OWNER),
           (3, "Legal review", Role.LEGAL)),
    checklist=(
        ("sign_agreement", "Sign the agency agreement", "Both parties' representatives sign the agreement.", True),
        ("orientation_course", "Complete the orientation course", "Products, compliance and sales conduct.", True),
        ("portal_users", "Set up portal users", "The partner administrator invites the sales team.", True),
        ("first_sales_report", "Submit the first sales report", "After the first full month.", False),
    ),
    plans=(
        PlanSpec("{year} agency network expansion", "More agencies and part-time agents in the East and South.",
                 "anhe-manager", "450000", 170, 365,
                 (("EAST", PartnerType.AGENT, 6), ("SOUTH", PartnerType.AGENT, 4),
                  ("EAST", PartnerType.SERVICE_PROVIDER, 2))),
        PlanSpec("{year} broker partnerships, North and Central", "Brokers for group and commercial lines.",
                 "anhe-manager2", "250000", 90, 270,
                 (("NORTH", PartnerType.BROKER, 3), ("CENTRAL", PartnerType.BROKER, 2))),
    ),
    campaigns=(
        CampaignSpec("EXPO-INS", "Insurance Intermediary Expo (Shanghai)", "exhibition", 0, "120000", 150, 3,
                     "finished"),
        CampaignSpec("ADS-WECHAT", "WeChat channel advertising", "advertising", 0, "50000", 140, 60, "finished"),
        CampaignSpec("WEB-AGENTS", "Agent recruitment page", "website", 0, "5000", 165, None, "running"),
        CampaignSpec("REF-MH", "Minghui agency referrals", "referral", 0, "15000", 100, None, "running",
                     "CNY 3,000 per referred agency that is activated.", referrer="minghui"),
        CampaignSpec("MEDIA-FIN", "Financial media partnership", "media", 1, "40000", 80, 45, "finished"),
    ),
    reviewers=(("anhe-manager", "anhe-manager2"), ("anhe-manager3", "anhe-legal"),
               ("anhe-manager2", "anhe-trainer"), ("anhe-manager", "anhe-legal")),
    deciders={Role.CHANNEL_MANAGER: "anhe-manager", Role.OWNER: "anhe-owner", Role.LEGAL: "anhe-legal"},
    experience=(
        "{years} years selling {industry} lines in {place}; 40 licensed agents.",
        "{years} years as a car-dealer agency in {place}, motor insurance only.",
        "Group and commercial lines broker for {years} years, clients across {place}.",
        "{years} years of claims and loss adjusting services in {place}.",
    ),
    brands=("Ping An, PICC", "China Life", "CPIC, Taikang", "Sunshine", "—"),
    questions=("Please upload the intermediary licence for each region you applied for.",
               "How many licensed agents does your company employ today?",
               "Please state last year's premium volume by line of business."),
    answers=("Licences uploaded; the Guangdong licence is being renewed.",
             "We employ 46 licensed agents and 8 trainees."),
    score_comments=("Licences in order, strong local network.", "Capital close to the minimum.",
                    "Experienced team, recommend.", "Fits the plan's target region.", ""),
    approve_comments=("Approved: meets our criteria.", "Approved, please prepare the agreement.",
                      "Legal review passed.", ""),
    reject_low="Overall score too low for now.",
    reject_knockout="Fails the knock-out criterion 'Licensed and compliant'.",
    reject_screening="The intermediary licence has expired.",
    reject_legal="Pending regulatory investigation; legal review not passed.",
    return_comment="Please score again after the capital certificate arrives.",
    withdraw_reasons=("Signed with another insurer.", "Business reorganisation.", "Will apply again later."),
    activate_reason="Start of the sales season; activated before the agreement is countersigned.",
    titles=("General Manager", "Managing Director", "Head of Business", "Sales Director"),
    applicant_languages=("en", "zh-hans", "en"),
    new_partner_admin="anhe-new-partner",
)

TEXTS = {"huaxin": HUAXIN_TEXTS, "anhe": ANHE_TEXTS}


# --------------------------------------------------------------------------- the stories

# (final state, variant) for each demo application, in the order they are built.
STORIES: tuple[tuple[str, str], ...] = (
    ("draft", ""), ("draft", ""),
    ("submitted", ""), ("submitted", "question"), ("submitted", ""), ("submitted", ""),
    ("screening", ""), ("screening", "duplicate"), ("screening", "question"), ("screening", ""),
    ("scoring", "none"), ("scoring", "none"), ("scoring", "partial"), ("scoring", "partial"),
    ("scoring", "complete"), ("scoring", "knockout"),
    ("in_review", "step1"), ("in_review", "step1"), ("in_review", "step2"), ("in_review", "returned"),
    ("in_review", "step3"), ("in_review", "step3"),
    ("approved", "0"), ("approved", "1"), ("approved", "2"), ("approved", "3"), ("approved", "all"),
    ("approved", "early"),
    ("rejected", "step1"), ("rejected", "knockout"), ("rejected", "screening"), ("rejected", "legal"),
    ("withdrawn", "submitted"), ("withdrawn", "scoring"), ("withdrawn", "in_review"),
)
STATE_COUNTS = Counter(state for state, _variant in STORIES)


@dataclass
class Ctx:
    spec: TenantSpec
    texts: RecruitmentTexts
    tenant: Tenant
    clock: DemoClock
    today: datetime.datetime
    users: dict[str, User]
    counts: Counter


def seed(spec: TenantSpec, *, progress_factory) -> Counter:
    """The demo registry's entry point (``channelhub.demo.registry``): one tenant's recruitment demo."""
    progress = progress_factory(total=len(STORIES), desc=f"{spec.slug} recruitment")
    try:
        return seed_recruitment(spec, progress=progress)
    finally:
        progress.close()


def seed_recruitment(spec: TenantSpec, *, progress=None) -> Counter:
    """Build (or complete) the tenant's recruitment demo in one transaction; return what was created."""
    from recruitment import notifications

    counts: Counter = Counter()
    texts = TEXTS.get(spec.slug)
    tenant = Tenant.objects.filter(slug=spec.slug).first()
    if texts is None or tenant is None:
        return counts
    # Midnight of the seeding day in the tenant's zone: the same day gives the same times.
    today = timezone.localtime(timezone.now(), tenant.zone).replace(hour=9, minute=0, second=0, microsecond=0)
    clock = DemoClock(today - datetime.timedelta(days=200))
    with (
        translation.override(spec.default_language),
        override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
        mock.patch.object(notifications, "notify_applicant", lambda *args, **kwargs: None),
        clock.running(),
        transaction.atomic(),
        tenant_scope(tenant, source="seed_demo"),
    ):
        users = {m.user.username: m.user for m in Membership.objects.select_related("user").filter(partner=None)}
        ctx = Ctx(spec, texts, tenant, clock, today, users, counts)
        criteria = _ensure_configuration(ctx)
        plans, campaigns = _ensure_plans(ctx)
        _ensure_applications(ctx, criteria, plans, campaigns, progress)
    return counts


# --------------------------------------------------------------------------- configuration


def _ensure_configuration(ctx: Ctx) -> list:
    from recruitment import services
    from recruitment.models import ApprovalStep, Criterion, OnboardingTaskTemplate, ScorecardTemplate

    texts, tenant, owner = ctx.texts, ctx.tenant, ctx.users[ctx.texts.deciders[Role.OWNER]]
    ctx.clock.at(ctx.today - datetime.timedelta(days=200))
    existing = {criterion.name: criterion for criterion in Criterion.objects.all()}
    criteria = []
    for order, item in enumerate(texts.criteria):
        criterion = existing.get(item.name)
        if criterion is None:
            criterion = services.criterion_create(
                tenant=tenant, actor=owner, category=item.category, name=item.name, guidance=item.guidance,
                weight=Decimal(item.weight), scale_max=item.scale,
                knockout_threshold=Decimal(item.knockout) if item.knockout else None, order=order,
            )
            ctx.counts["criteria"] += 1
        criteria.append(criterion)
    templates = set(ScorecardTemplate.objects.values_list("partner_type", flat=True))
    labels = dict(PartnerType.choices)
    for partner_type, overrides in [("", {}), *texts.templates.items()]:
        if partner_type in templates:
            continue
        name = texts.template_name.format(type=labels[partner_type]) if partner_type else texts.default_template
        services.scorecard_template_create(
            tenant=tenant, actor=owner, name=name, partner_type=partner_type,
            items=[{"criterion": c, "order": i, "weight": Decimal(overrides[i]) if i in overrides else None}
                   for i, c in enumerate(criteria)],
        )
        ctx.counts["scorecard templates"] += 1
    orders = set(ApprovalStep.objects.values_list("order", flat=True))
    for order, name, role in texts.steps:
        if order not in orders:
            services.approval_step_create(tenant=tenant, actor=owner, order=order, name=name, role=role)
            ctx.counts["approval steps"] += 1
    keys = set(OnboardingTaskTemplate.objects.values_list("key", flat=True))
    for order, (key, name, description, required) in enumerate(texts.checklist):
        if key not in keys:
            services.onboarding_template_create(tenant=tenant, actor=owner, key=key, name=name,
                                                description=description, required=required, order=order)
            ctx.counts["checklist items"] += 1
    return criteria


def _ensure_plans(ctx: Ctx):
    from recruitment import services
    from recruitment.models import Campaign, PlanStatus, RecruitmentPlan, RecruitmentTarget

    texts, tenant = ctx.texts, ctx.tenant
    areas = {region.code: region for region in Region.objects.filter(parent__isnull=True)}
    plans = []
    for item in texts.plans:
        start = (ctx.today - datetime.timedelta(days=item.starts_days_ago)).date()
        name = item.name.format(year=start.year)
        plan = RecruitmentPlan.objects.filter(name=name).first()
        owner = ctx.users[item.owner]
        if plan is None:
            ctx.clock.at(ctx.today - datetime.timedelta(days=item.starts_days_ago + 14))
            plan = services.plan_create(
                tenant=tenant, actor=owner, name=name, description=item.description, start_date=start,
                end_date=start + datetime.timedelta(days=item.runs_days), owner=owner, budget=Decimal(item.budget),
            )
            services.plan_transition(plan=plan, to_status=PlanStatus.ACTIVE, actor=owner)
            ctx.counts["plans"] += 1
        have = set(RecruitmentTarget.objects.filter(plan=plan).values_list("region__code", "partner_type"))
        for area, partner_type, number in item.targets:
            if area in areas and (area, partner_type) not in have:
                services.target_create(tenant=tenant, actor=owner, plan=plan, region=areas[area],
                                       partner_type=partner_type, target_count=number)
                ctx.counts["targets"] += 1
        plans.append(plan)
    flagships = {f.key: f.legal_name for f in ctx.spec.flagships}
    campaigns = []
    for item in texts.campaigns:
        campaign = Campaign.objects.filter(code=item.code).first()
        if campaign is None:
            plan = plans[item.plan]
            manager = ctx.users[texts.plans[item.plan].owner]
            start = ctx.today - datetime.timedelta(days=item.starts_days_ago)
            ctx.clock.at(min(start, ctx.today) - datetime.timedelta(days=10))
            referrer = None
            if item.referrer:
                referrer = Partner.objects.filter(legal_name=flagships.get(item.referrer)).first()
            campaign = services.campaign_create(
                tenant=tenant, actor=manager, plan=plan, name=item.name, code=item.code, source=item.source,
                referrer=referrer, start_date=start.date(), cost=Decimal(item.cost), notes=item.notes,
                end_date=(start + datetime.timedelta(days=item.runs_days)).date() if item.runs_days else None,
            )
            if item.status in ("running", "finished"):
                ctx.clock.at(start)
                services.campaign_transition(campaign=campaign, to_status="running", actor=manager)
            if item.status == "finished":
                ctx.clock.at(min(start + datetime.timedelta(days=item.runs_days or 1), ctx.today))
                services.campaign_transition(campaign=campaign, to_status="finished", actor=manager)
            ctx.counts["campaigns"] += 1
        campaigns.append(campaign)
    return plans, campaigns


# --------------------------------------------------------------------------- applications


@dataclass
class Applicant:
    legal_name: str
    credit_code: str
    partner_type: str
    place: Place
    data: dict
    campaign: object
    language: str


def _kind(spec: TenantSpec, partner_type: str):
    return next((k for k in spec.kinds if k.partner_type == partner_type), spec.kinds[0])


def _plan_applicant(ctx: Ctx, number: int, campaigns, taken: set[str]) -> Applicant:
    """Applicant ``number``: its identity (place, type, credit code) depends on nothing but the number.

    The name is drawn afterwards and avoids names already taken, so a tenant with more or
    fewer partners gets other names but the same credit codes: re-runs recognise them.
    """
    spec, texts = ctx.spec, ctx.texts
    rng = random.Random(f"{SEED}:{spec.slug}:applicant:{number}")
    # Most come through a campaign; every sixth straight from the form without a code.
    usable = [c for c in campaigns if c.status != "planned"]
    campaign = None if number % 6 == 5 else usable[number % len(usable)]
    targets = [t for p in texts.plans for t in p.targets]
    if campaign is not None:
        index = next(i for i, c in enumerate(texts.campaigns) if c.code == campaign.code)
        targets = list(texts.plans[texts.campaigns[index].plan].targets)
    area_code, partner_type, _n = targets[number % len(targets)]
    places = [p for p in PLACES if p.area.code == area_code] or list(PLACES)
    place = rng.choice(places)
    kind = _kind(spec, partner_type)
    founded = rng.randint(*kind.founded)
    credit_code = credit_code_for(rng, division=place.city.code, founded=founded)
    rng = random.Random(f"{SEED}:{spec.slug}:applicant:{number}:details")
    while True:
        (trade, trade_en), industry = rng.choice(TRADE_NAMES), rng.choice(kind.industries)
        legal_name = f"{place.short}{trade}{industry.zh}"
        if legal_name not in taken:
            taken.add(legal_name)
            break
    name, pinyin = person_name(rng)
    city = place.short_en.lower().replace("'", "").replace(" ", "")
    website = f"https://www.{trade_en.lower()}-{city}.com.cn" if rng.random() < kind.website_share else ""
    domain = website.split("//www.", 1)[1] if website else rng.choice(("163.com", "126.com", "qq.com"))
    capitals = [v for v in (50, 100, 200, 300, 500, 800, 1000, 2000, 3000, 5000)
                if kind.capital[0] <= v <= kind.capital[1]]
    low, high = kind.staff
    data = {
        "legal_name": legal_name,
        "credit_code": credit_code,
        "registered_capital": Decimal(rng.choice(capitals or [500])),
        "founding_year": founded,
        "staff_count": low + int((high - low) * rng.random() ** 2),
        "website": website,
        "address": f"{place.full}{rng.choice(('人民路', '中山路', '建设路', '世纪大道'))}{rng.randint(1, 300)}号",
        "partner_type": partner_type,
        "experience": rng.choice(texts.experience).format(
            years=max(2, ctx.today.year - founded), place=place.city.name if spec.default_language != "en"
            else place.city.name_en, industry=industry.zh if spec.default_language != "en" else industry.en.lower()),
        "brands_carried": rng.choice(texts.brands),
        "references": "",
        "contact_name": name,
        "contact_title": rng.choice(texts.titles),
        "contact_email": f"{pinyin}@{domain}",
        "contact_phone": mobile_number(rng),
        "language": texts.applicant_languages[number % len(texts.applicant_languages)],
        "regions": [],
    }
    return Applicant(legal_name, data["credit_code"], partner_type, place, data, campaign, data["language"])


def _ensure_applications(ctx: Ctx, criteria, plans, campaigns, progress) -> None:
    from recruitment.models import Application

    regions = {region.code: region for region in Region.objects.all()}
    codes = set(Application.objects.values_list("credit_code", flat=True))
    # Names of partners that did not come from an application (converted ones carry the applicant's).
    taken = set(Partner.objects.filter(applications__isnull=True).values_list("legal_name", flat=True))
    stories = list(STORIES)
    # The stories start at different days: the longest (decided ones) furthest back.
    for number, (state, variant) in enumerate(stories):
        applicant = _plan_applicant(ctx, number, campaigns, taken)
        story_rng = random.Random(f"{SEED}:{ctx.spec.slug}:recruitment:{number}")
        if variant == "duplicate":
            applicant = _duplicate_of_a_partner(applicant)
        if applicant.credit_code in codes:
            if progress is not None:
                progress.update(1)
            continue
        applicant.data["regions"] = [regions[code] for code in _region_codes(applicant, story_rng) if code in regions]
        _tell(ctx, number, state, variant, applicant, criteria, story_rng)
        codes.add(applicant.credit_code)
        ctx.counts["applications"] += 1
        if progress is not None:
            progress.update(1)


def _region_codes(applicant: Applicant, rng: random.Random) -> list[str]:
    codes = [applicant.place.city.code]
    if rng.random() < 0.3:
        codes.append(applicant.place.province.code)
    return codes


def _duplicate_of_a_partner(applicant: Applicant) -> Applicant:
    """A former partner applies again: its credit code, and its name written slightly differently."""
    with_code = Partner.objects.filter(credit_code__isnull=False).order_by("credit_code")
    partner = with_code.filter(status=PartnerStatus.TERMINATED).first() or with_code.first()
    if partner is None:
        return applicant
    if "股份有限公司" in partner.legal_name:
        name = partner.legal_name.replace("股份有限公司", "有限公司")
    else:
        name = partner.legal_name.replace("有限公司", "股份有限公司")
    applicant.data.update(legal_name=name, credit_code=partner.credit_code, partner_type=partner.partner_type)
    applicant.legal_name, applicant.credit_code = name, partner.credit_code
    return applicant


def _documents(applicant: Applicant, rng: random.Random) -> list:
    chinese = applicant.language != "en"
    docs = [("business_licence", ContentFile(PDF, name="营业执照.pdf" if chinese else "business-licence.pdf"))]
    if rng.random() < 0.6:
        docs.append(("qualification", ContentFile(PNG, name="资质证书.png" if chinese else "qualification.png")))
    return docs


def _tell(ctx: Ctx, number: int, state: str, variant: str, applicant: Applicant, criteria, rng: random.Random) -> None:
    """Walk one application from submission to its final state, each step at its time."""
    from recruitment import services
    from recruitment.models import ApplicationSource
    from recruitment.models import ApplicationState as S

    texts, clock, users = ctx.texts, ctx.clock, ctx.users
    deciders = {role: users[username] for role, username in texts.deciders.items()}
    manager = deciders[Role.CHANNEL_MANAGER]
    # When the story starts: decided stories began months ago, fresh ones in the last days.
    age = {
        "draft": rng.randint(1, 6), "submitted": rng.randint(1, 5), "screening": rng.randint(4, 12),
        "scoring": rng.randint(10, 30), "in_review": rng.randint(20, 50), "approved": rng.randint(45, 150),
        "rejected": rng.randint(30, 140), "withdrawn": rng.randint(15, 90),
    }[state]
    day = ctx.today - datetime.timedelta(days=age, hours=rng.randint(0, 8))

    def step(days_min: float, days_max: float):
        nonlocal day
        day = min(day + datetime.timedelta(hours=rng.randint(int(days_min * 24), int(days_max * 24))),
                  ctx.today - datetime.timedelta(hours=2))
        return clock.at(day)

    clock.at(day)
    if state == "draft":
        services.application_create(tenant=ctx.tenant, actor=manager, data=applicant.data,
                                    campaign=applicant.campaign, source=ApplicationSource.STAFF)
        return
    source = ApplicationSource.API if number % 7 == 3 else ApplicationSource.PUBLIC_FORM
    application = services.application_submit(
        tenant=ctx.tenant, data=applicant.data, documents=_documents(applicant, rng), campaign=applicant.campaign,
        source=source,
    )
    if variant == "question":
        step(0.5, 2)
        question = services.application_ask_question(application=application, actor=manager,
                                                     body=rng.choice(texts.questions))
        if state == "screening":
            step(0.5, 2)
            services.application_answer(application=application, body=rng.choice(texts.answers), reply_to=question)
    if state == "submitted":
        return
    if state == "withdrawn" and variant == "submitted":
        step(1, 3)
        services.application_withdraw(application=application, reason=_withdraw_reason(texts, rng))
        return
    step(0.5, 3)
    services.application_transition(application=application, to_state=S.SCREENING, actor=manager)
    if state == "screening":
        return
    if state == "rejected" and variant == "screening":
        step(1, 3)
        services.application_transition(application=application, to_state=S.REJECTED, actor=manager,
                                        reason=texts.reject_screening)
        return
    step(1, 4)
    services.application_transition(application=application, to_state=S.SCORING, actor=manager)
    pair = [users[name] for name in texts.reviewers[number % len(texts.reviewers)]]
    services.application_assign_reviewers(application=application, reviewers=pair, actor=manager)
    scorers = {"none": 0, "partial": 1}.get(variant, 2) if state == "scoring" else 2
    quality = "knockout" if variant == "knockout" else ("low" if (state, variant) == ("rejected", "step1") else "good")
    for reviewer in pair[:scorers]:
        step(0.5, 5)
        _score(application, reviewer, criteria, quality, texts, rng)
    if state == "withdrawn" and variant == "scoring":
        step(1, 3)
        services.application_withdraw(application=application, reason=_withdraw_reason(texts, rng))
        return
    if state == "scoring":
        return
    step(0.5, 2)
    services.application_transition(application=application, to_state=S.IN_REVIEW, actor=manager)
    stop_at = {"step1": 1, "step2": 2, "returned": 2, "step3": 3}.get(variant, 4) if state == "in_review" else 4
    if state == "withdrawn":
        stop_at = 2
    if state == "rejected":
        stop_at = 3 if variant == "legal" else 1
    for order, _name, role in texts.steps:
        application.refresh_from_db()
        if order >= stop_at and state in ("in_review", "withdrawn"):
            break
        if order == stop_at and state == "rejected":
            step(1, 4)
            comment = {"step1": texts.reject_low, "knockout": texts.reject_knockout,
                       "legal": texts.reject_legal}[variant]
            services.application_decide(application=application, actor=deciders[role], decision="reject",
                                        comment=comment)
            return
        step(1, 4)
        services.application_decide(application=application, actor=deciders[role], decision="approve",
                                    comment=rng.choice(texts.approve_comments))
        if variant == "returned" and order == 1:
            # The director sends it back once; the reviewers score again and it climbs the chain anew.
            application.refresh_from_db()
            step(1, 3)
            services.application_decide(application=application, actor=deciders[Role.OWNER], decision="return",
                                        comment=texts.return_comment, return_to="scoring")
            application.refresh_from_db()
            for reviewer in pair:
                step(1, 3)
                _score(application, reviewer, criteria, "good", texts, rng)
            step(0.5, 1)
            services.application_transition(application=application, to_state=S.IN_REVIEW, actor=manager)
            application.refresh_from_db()
            step(1, 2)
            services.application_decide(application=application, actor=deciders[Role.CHANNEL_MANAGER],
                                        decision="approve", comment=rng.choice(texts.approve_comments))
    if state == "withdrawn":
        step(1, 3)
        application.refresh_from_db()
        services.application_withdraw(application=application, reason=_withdraw_reason(texts, rng))
        return
    if state != "approved":
        return
    application.refresh_from_db()
    _onboard(ctx, application, variant, rng, step)


def _withdraw_reason(texts: RecruitmentTexts, rng: random.Random) -> str:
    return rng.choice(texts.withdraw_reasons)


def _score(application, reviewer, criteria, quality: str, texts: RecruitmentTexts, rng: random.Random) -> None:
    from recruitment import selectors, services

    scores = {}
    for item in selectors.scoring_criteria(application=application):
        criterion = item.criterion
        top = criterion.scale_max
        knockout = criterion.knockout_threshold is not None and criterion.category == "legal_compliance"
        if quality == "knockout" and knockout:
            value = rng.choice((1, 2))
        elif quality == "low":
            value = max(1, round(top * rng.uniform(0.35, 0.6)))
        else:
            value = max(1, round(top * rng.uniform(0.65, 1.0)))
        scores[criterion.pk] = min(value, top)
    services.scorecard_submit(application=application, reviewer=reviewer, scores=scores,
                              comment=rng.choice(texts.score_comments))


def _onboard(ctx: Ctx, application, variant: str, rng: random.Random, step) -> None:
    """The converted partner ticks part of its checklist; one finishes it, one is activated early."""
    from recruitment import services

    partner = application.partner
    manager = ctx.users[ctx.texts.deciders[Role.CHANNEL_MANAGER]]
    keys = [key for key, *_rest in ctx.texts.checklist]
    done = {"0": 0, "1": 1, "2": 2, "3": 3, "all": len(keys), "early": 1}[variant]
    if variant == "2":
        _name_the_new_partner_admin(ctx, partner)  # accepts the invitation while it is fresh
    for key in keys[:done]:
        step(2, 10)
        services.onboarding_task_complete(partner=partner, key=key, actor=manager, source="manual")
    if variant == "early":
        step(1, 3)
        partner.refresh_from_db()
        services.partner_activate_early(partner=partner, actor=manager, reason=ctx.texts.activate_reason)


def _name_the_new_partner_admin(ctx: Ctx, partner: Partner) -> None:
    """One converted partner's administrator accepts the invitation with a demo login, to see the
    checklist in the portal (the others' invitations stay pending, as in real life)."""
    from channelhub.tenancy.models import Invitation, InvitationState
    from channelhub.tenancy.services import invitation_accept_new_account

    invitation = Invitation.objects.select_related("tenant", "partner").filter(
        partner=partner, role=Role.PARTNER_ADMIN, state=InvitationState.PENDING).first()
    if invitation is None or User.objects.filter(username=ctx.texts.new_partner_admin).exists():
        return
    if User.objects.filter(email__iexact=invitation.email).exists():
        return  # the address already has an account: only its owner may accept
    invitation_accept_new_account(
        invitation=invitation, username=ctx.texts.new_partner_admin, password=DEMO_PASSWORD,
        first_name=invitation.first_name,
    )
    ctx.counts["demo logins"] += 1
