"""Recruitment plans, their targets and campaigns."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from channelhub.partners import services as partner_services
from channelhub.partners.models import Region
from channelhub.tenancy.models import Tenant, User
from channelhub.tenancy.services import (
    assign_fields,
    audited_save,
    require_same_tenant,
)
from channelhub.tenancy.workflow import transition

from ..models import (
    Campaign,
    RecruitmentPlan,
    RecruitmentTarget,
)
from ..workflow import CAMPAIGN_WORKFLOW, PLAN_WORKFLOW


@transaction.atomic
def plan_create(
    *, tenant: Tenant, actor: User | None, targets: Iterable[Mapping[str, Any]] = (), **fields: Any
) -> RecruitmentPlan:
    """A new plan starts as a draft; ``targets`` are ``{region, partner_type, target_count}`` rows."""
    fields.pop("status", None)
    plan = audited_save(assign_fields(RecruitmentPlan(tenant=tenant), fields), actor=actor, reason=_("Created"))
    for target in targets:
        target_create(tenant=tenant, actor=actor, plan=plan, **target)
    return plan


@transaction.atomic
def plan_update(*, plan: RecruitmentPlan, actor: User | None, **fields: Any) -> RecruitmentPlan:
    fields.pop("status", None)
    return audited_save(assign_fields(plan, fields), actor=actor, reason=_("Updated"))


def plan_transition(*, plan: RecruitmentPlan, to_status: str, actor: User | None, reason: str = "") -> RecruitmentPlan:
    """Draft → active → closed (a draft may also be closed unused)."""
    return transition(workflow=PLAN_WORKFLOW, instance=plan, to_state=to_status, actor=actor, reason=reason)


@transaction.atomic
def target_create(
    *, tenant: Tenant, actor: User | None, plan: RecruitmentPlan, region: Region, partner_type: str,
    target_count: int,
) -> RecruitmentTarget:
    require_same_tenant(tenant.pk, plan, region)
    target = RecruitmentTarget(
        tenant=tenant, plan=plan, region=region, partner_type=partner_type, target_count=target_count
    )
    return audited_save(target, actor=actor, reason=_("Created"))


@transaction.atomic
def target_update(*, target: RecruitmentTarget, actor: User | None, **fields: Any) -> RecruitmentTarget:
    require_same_tenant(target.tenant_id, fields.get("plan"), fields.get("region"))
    return audited_save(assign_fields(target, fields), actor=actor, reason=_("Updated"))


def delete_guarded(instance, *, actor: User | None) -> None:
    """Delete a row unless other records still point at it (then a clear 400, no change)."""
    partner_services.delete_guarded(instance, actor=actor)


# --------------------------------------------------------------------------- campaigns


@transaction.atomic
def campaign_create(*, tenant: Tenant, actor: User | None, **fields: Any) -> Campaign:
    """A campaign under a plan; its code (unique in the tenant, stored upper-case) tags applications."""
    fields.pop("status", None)
    require_same_tenant(tenant.pk, fields.get("plan"), fields.get("referrer"))
    return audited_save(assign_fields(Campaign(tenant=tenant), fields), actor=actor, reason=_("Created"))


@transaction.atomic
def campaign_update(*, campaign: Campaign, actor: User | None, **fields: Any) -> Campaign:
    fields.pop("status", None)
    require_same_tenant(campaign.tenant_id, fields.get("plan"), fields.get("referrer"))
    return audited_save(assign_fields(campaign, fields), actor=actor, reason=_("Updated"))


def campaign_transition(*, campaign: Campaign, to_status: str, actor: User | None, reason: str = "") -> Campaign:
    return transition(workflow=CAMPAIGN_WORKFLOW, instance=campaign, to_state=to_status, actor=actor, reason=reason)
