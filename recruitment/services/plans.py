"""Recruitment plans, their targets and campaigns.

Every write here is ``recruitment.plan.manage`` (owners and channel managers).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from channelhub.partners.models import Region
from channelhub.tenancy.models import Tenant, User
from channelhub.tenancy.policy import authorize
from channelhub.tenancy.services import assign_fields, audited_save, require_same_tenant
from channelhub.tenancy.workflow import transition

from ..models import Campaign, RecruitmentPlan, RecruitmentTarget
from ..permissions import PLAN_MANAGE
from ..workflow import CAMPAIGN_WORKFLOW, PLAN_WORKFLOW
from ._common import _delete_guarded


@transaction.atomic
def plan_create(
    *, tenant: Tenant, actor: User | None, targets: Iterable[Mapping[str, Any]] = (), **fields: Any
) -> RecruitmentPlan:
    """A new plan starts as a draft; ``targets`` are ``{region, partner_type, target_count}`` rows."""
    authorize(actor, PLAN_MANAGE.code, tenant=tenant)
    fields.pop("status", None)
    plan = audited_save(assign_fields(RecruitmentPlan(tenant=tenant), fields), actor=actor, reason=_("Created"))
    for target in targets:
        target_create(tenant=tenant, actor=actor, plan=plan, **target)
    return plan


@transaction.atomic
def plan_update(*, plan: RecruitmentPlan, actor: User | None, **fields: Any) -> RecruitmentPlan:
    authorize(actor, PLAN_MANAGE.code, tenant=plan.tenant_id)
    fields.pop("status", None)
    return audited_save(assign_fields(plan, fields), actor=actor, reason=_("Updated"))


def plan_transition(*, plan: RecruitmentPlan, to_status: str, actor: User | None, reason: str = "") -> RecruitmentPlan:
    """Draft → active → closed (a draft may also be closed unused); closing cannot be undone."""
    authorize(actor, PLAN_MANAGE.code, tenant=plan.tenant_id)
    return transition(workflow=PLAN_WORKFLOW, instance=plan, to_state=to_status, actor=actor, reason=reason)


@transaction.atomic
def target_create(
    *, tenant: Tenant, actor: User | None, plan: RecruitmentPlan, region: Region, partner_type: str,
    target_count: int,
) -> RecruitmentTarget:
    authorize(actor, PLAN_MANAGE.code, tenant=tenant)
    require_same_tenant(tenant.pk, plan, region)
    target = RecruitmentTarget(
        tenant=tenant, plan=plan, region=region, partner_type=partner_type, target_count=target_count
    )
    return audited_save(target, actor=actor, reason=_("Created"))


@transaction.atomic
def target_update(*, target: RecruitmentTarget, actor: User | None, **fields: Any) -> RecruitmentTarget:
    authorize(actor, PLAN_MANAGE.code, tenant=target.tenant_id)
    require_same_tenant(target.tenant_id, fields.get("plan"), fields.get("region"))
    return audited_save(assign_fields(target, fields), actor=actor, reason=_("Updated"))


def target_delete(*, target: RecruitmentTarget, actor: User | None) -> None:
    authorize(actor, PLAN_MANAGE.code, tenant=target.tenant_id)
    _delete_guarded(target, actor=actor)


def plan_delete(*, plan: RecruitmentPlan, actor: User | None) -> None:
    """Delete a plan nothing points at any more (its targets go with it); else a clear 400."""
    authorize(actor, PLAN_MANAGE.code, tenant=plan.tenant_id)
    _delete_guarded(plan, actor=actor)


# --------------------------------------------------------------------------- campaigns


@transaction.atomic
def campaign_create(*, tenant: Tenant, actor: User | None, **fields: Any) -> Campaign:
    """A campaign under a plan; its code (unique in the tenant, stored upper-case) tags applications."""
    authorize(actor, PLAN_MANAGE.code, tenant=tenant)
    fields.pop("status", None)
    require_same_tenant(tenant.pk, fields.get("plan"), fields.get("referrer"))
    return audited_save(assign_fields(Campaign(tenant=tenant), fields), actor=actor, reason=_("Created"))


@transaction.atomic
def campaign_update(*, campaign: Campaign, actor: User | None, **fields: Any) -> Campaign:
    authorize(actor, PLAN_MANAGE.code, tenant=campaign.tenant_id)
    fields.pop("status", None)
    require_same_tenant(campaign.tenant_id, fields.get("plan"), fields.get("referrer"))
    return audited_save(assign_fields(campaign, fields), actor=actor, reason=_("Updated"))


def campaign_transition(*, campaign: Campaign, to_status: str, actor: User | None, reason: str = "") -> Campaign:
    """Planned → running → finished, or cancelled."""
    authorize(actor, PLAN_MANAGE.code, tenant=campaign.tenant_id)
    return transition(workflow=CAMPAIGN_WORKFLOW, instance=campaign, to_state=to_status, actor=actor, reason=reason)


def campaign_delete(*, campaign: Campaign, actor: User | None) -> None:
    authorize(actor, PLAN_MANAGE.code, tenant=campaign.tenant_id)
    _delete_guarded(campaign, actor=actor)
