"""Building one tenant's recruitment demo: the configuration and plans, then the applications."""

from __future__ import annotations

import datetime
from collections import Counter
from decimal import Decimal
from unittest import mock

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone, translation

from channelhub.demo.data import TenantSpec
from channelhub.partners.models import Partner, PartnerType, Region
from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.models import Membership, Tenant
from channelhub.tenancy.roles import Role

from .applications import _ensure_applications
from .clock import DemoClock
from .stories import STORIES, Ctx
from .texts import TEXTS


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
