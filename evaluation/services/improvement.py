"""Improvement plans (改进计划) and the two-way relationship survey (合作关系评估).

Managers write plans, their actions and their own rating of a relationship
(``evaluation.improvement.manage``, ``evaluation.survey.manage``); partner staff acknowledge
and comment on their own partner's plans and rate the tenant (``evaluation.improvement.respond``,
``evaluation.survey.answer``: their own partner only).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from channelhub.partners.models import Partner
from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.models import User
from channelhub.tenancy.policy import authorize
from channelhub.tenancy.services import assign_fields, audited_save, require_same_tenant

from ..models import ImprovementAction, ImprovementPlan, ImprovementState, RelationshipSurvey
from ..permissions import IMPROVEMENT_MANAGE, IMPROVEMENT_RESPOND, SURVEY_ANSWER, SURVEY_MANAGE
from .setup import _clean, _delete_as

RATINGS = ("support", "training", "communication", "fairness")


def _tenant_id(tenant) -> int:
    return tenant if isinstance(tenant, int) else tenant.pk


def _write(instance, *, code: str, actor: User | None, fields: dict[str, Any], reason: str, partner=None):
    authorize(actor, code, tenant=instance.tenant_id, partner=partner)
    fields = _clean(fields)
    require_same_tenant(instance.tenant_id, *[v for v in fields.values() if hasattr(v, "tenant_id")])
    with tenant_scope(instance.tenant_id, source="evaluation.improvement"), transaction.atomic():
        return audited_save(assign_fields(instance, fields), actor=actor, reason=reason)


def plan_create(*, tenant, actor, actions=(), **fields) -> ImprovementPlan:
    plan = ImprovementPlan(tenant_id=_tenant_id(tenant))
    with transaction.atomic():
        plan = _write(plan, code=IMPROVEMENT_MANAGE.code, actor=actor, fields=fields, reason=_("Created"))
        for action in actions:
            action_create(tenant=tenant, actor=actor, plan=plan, **action)
    return plan


def plan_update(*, plan: ImprovementPlan, actor, **fields) -> ImprovementPlan:
    fields.pop("actions", None)
    for name in ("partner_comment", "acknowledged_at", "acknowledged_by"):
        fields.pop(name, None)  # the partner's own words, never a manager's
    return _write(plan, code=IMPROVEMENT_MANAGE.code, actor=actor, fields=fields, reason=_("Updated"))


def plan_delete(*, plan: ImprovementPlan, actor) -> None:
    _delete_as(plan, code=IMPROVEMENT_MANAGE.code, actor=actor)


def plan_respond(*, plan: ImprovementPlan, actor, comment: str = "", acknowledge: bool = True) -> ImprovementPlan:
    """The partner acknowledges its plan and may say something about it."""
    if plan.state != ImprovementState.OPEN:
        raise ValidationError(_("This plan is closed."))
    fields: dict[str, Any] = {"partner_comment": (comment or "").strip()[:4000] or plan.partner_comment}
    if acknowledge and plan.acknowledged_at is None:
        fields |= {"acknowledged_at": timezone.now(), "acknowledged_by": actor}
    return _write(plan, code=IMPROVEMENT_RESPOND.code, actor=actor, fields=fields, partner=plan.partner_id,
                  reason=_("The partner answered"))


def action_create(*, tenant, actor, **fields) -> ImprovementAction:
    return _write(ImprovementAction(tenant_id=_tenant_id(tenant)), code=IMPROVEMENT_MANAGE.code, actor=actor,
                  fields=fields, reason=_("Created"))


def action_update(*, action: ImprovementAction, actor, **fields) -> ImprovementAction:
    return _write(action, code=IMPROVEMENT_MANAGE.code, actor=actor, fields=fields, reason=_("Updated"))


def action_delete(*, action: ImprovementAction, actor) -> None:
    _delete_as(action, code=IMPROVEMENT_MANAGE.code, actor=actor)


def survey_create(*, tenant, actor, **fields) -> RelationshipSurvey:
    return _write(RelationshipSurvey(tenant_id=_tenant_id(tenant)), code=SURVEY_MANAGE.code, actor=actor,
                  fields={k: v for k, v in fields.items() if k not in RATINGS and k != "partner_comment"},
                  reason=_("Created"))


def survey_update(*, survey: RelationshipSurvey, actor, **fields) -> RelationshipSurvey:
    """The manager's side: the relationship rating and comment (the partner's ratings stay theirs)."""
    fields = {k: v for k, v in fields.items() if k not in (*RATINGS, "partner_comment", "partner", "period_key")}
    return _write(survey, code=SURVEY_MANAGE.code, actor=actor, fields=fields, reason=_("Updated"))


def survey_delete(*, survey: RelationshipSurvey, actor) -> None:
    _delete_as(survey, code=SURVEY_MANAGE.code, actor=actor)


def survey_answer(*, partner: Partner, period_key: str, actor, comment: str = "", **ratings) -> RelationshipSurvey:
    """The partner's side: support, training, communication and fairness rated 1–5 for one period."""
    authorize(actor, SURVEY_ANSWER.code, tenant=partner.tenant_id, partner=partner.pk)
    missing = [name for name in RATINGS if ratings.get(name) in (None, "")]
    if missing:
        raise ValidationError({name: _("Give a rating from 1 to 5.") for name in missing})
    with tenant_scope(partner.tenant_id, source="evaluation.survey"), transaction.atomic():
        survey = (RelationshipSurvey.objects.select_for_update().filter(partner=partner, period_key=period_key).first()
                  or RelationshipSurvey(tenant_id=partner.tenant_id, partner=partner, period_key=period_key))
        fields = {name: ratings[name] for name in RATINGS} | {"partner_comment": (comment or "").strip()[:4000]}
        return audited_save(assign_fields(survey, fields), actor=actor, reason=_("The partner answered"))
