"""The approval chain: its steps (``recruitment.approval_chain.manage``, owners) and the
decisions taken at them (``recruitment.application.decide``, then the step's own role)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from channelhub.tenancy.models import Tenant, User
from channelhub.tenancy.policy import authorize
from channelhub.tenancy.roles import Role
from channelhub.tenancy.services import assign_fields, audited_save
from channelhub.tenancy.workflow import IllegalTransition, transition

from .. import notifications, selectors
from ..models import Application, ApprovalDecision, ApprovalStep, Decision, ReturnTarget
from ..permissions import APPLICATION_DECIDE, APPROVAL_CHAIN_MANAGE
from ..workflow import APPLICATION_WORKFLOW
from ._common import S, _delete_guarded, _scope
from .onboarding import _convert_to_partner


@transaction.atomic
def approval_step_create(*, tenant: Tenant, actor: User | None, **fields: Any) -> ApprovalStep:
    authorize(actor, APPROVAL_CHAIN_MANAGE.code, tenant=tenant)
    return audited_save(assign_fields(ApprovalStep(tenant=tenant), fields), actor=actor, reason=_("Created"))


@transaction.atomic
def approval_step_update(*, step: ApprovalStep, actor: User | None, **fields: Any) -> ApprovalStep:
    authorize(actor, APPROVAL_CHAIN_MANAGE.code, tenant=step.tenant_id)
    return audited_save(assign_fields(step, fields), actor=actor, reason=_("Updated"))


def approval_step_delete(*, step: ApprovalStep, actor: User | None) -> None:
    """Delete a step nobody decided at yet (else a clear 400: deactivate it instead)."""
    authorize(actor, APPROVAL_CHAIN_MANAGE.code, tenant=step.tenant_id)
    _delete_guarded(step, actor=actor)


# Defaults a new tenant (and the demo) starts from; every row is editable data afterwards.
# Names are written once, in the tenant's default language, when the defaults are created.
DEFAULT_APPROVAL_STEPS = (
    (1, gettext_noop("Channel manager review"), Role.CHANNEL_MANAGER),
    (2, gettext_noop("Sales director approval"), Role.OWNER),
    (3, gettext_noop("Legal review"), Role.LEGAL),
)


@transaction.atomic
def approval_steps_ensure_default(*, tenant: Tenant, actor: User | None = None) -> list[ApprovalStep]:
    """Give a tenant without an approval chain the default three steps (manager → director → legal)."""
    with _scope(tenant), translation.override(tenant.default_language):
        if ApprovalStep.objects.exists():
            return selectors.approval_chain()
        for order, name, role in DEFAULT_APPROVAL_STEPS:
            approval_step_create(tenant=tenant, actor=actor, order=order, name=_(name), role=role)
        return selectors.approval_chain()


def _stale(application: Application, to_state: str) -> IllegalTransition:
    current = Application.objects.filter(pk=application.pk).values_list("state", flat=True).first() or ""
    return IllegalTransition(
        _("This application was decided by someone else meanwhile (now “%(state)s”); reload and retry.")
        % {"state": APPLICATION_WORKFLOW.label(current)},
        from_state=current, to_state=to_state,
    )


def application_decide(
    *, application: Application, actor: User, decision: str, comment: str = "",
    return_to: str = ReturnTarget.SCORING, step: ApprovalStep | None = None,
) -> ApprovalDecision:
    """Approve, reject or return the application at its current approval step.

    Only a user holding the step's role decides (superusers too). ``approve`` moves to the
    next active step or, after the last, approves the application and converts it into an
    onboarding partner; ``reject`` ends it; ``return`` sends it back to screening or scoring
    (a comment is required for both). The decision is a compare-and-swap on (state, current
    step) as the caller saw them: of two concurrent decisions on one step exactly one wins,
    and a decision made on a stale view of the application is refused (409).

    One person, one step per round: nobody (superusers included) approves two steps of the
    same approval round, so a chain of several steps always means several people. A round is
    one stay in review; a return ends it, and the next round starts afresh.
    """
    authorize(actor, APPLICATION_DECIDE.code, tenant=application.tenant_id)
    if decision not in Decision.values:
        raise ValidationError({"decision": _("Choose approve, reject or return.")})
    seen_step_id = application.current_step_id
    if application.state != S.IN_REVIEW or seen_step_id is None:
        raise IllegalTransition(
            _("Only applications in review can be decided."), from_state=application.state,
            to_state=S.APPROVED if decision == Decision.APPROVE else S.REJECTED,
        )
    if step is not None and step.pk != seen_step_id:
        raise _stale(application, application.state)
    current = ApprovalStep.objects.get(pk=seen_step_id)
    if not (getattr(actor, "is_superuser", False) or current.role in selectors.user_roles(actor)):
        raise PermissionDenied(
            _("Step “%(step)s” is decided by the role “%(role)s”.")
            % {"step": current.name, "role": current.get_role_display()}
        )
    if decision == Decision.APPROVE:
        earlier = selectors.round_approvals(application=application).filter(actor=actor).first()
        if earlier is not None:
            raise PermissionDenied(
                _("One person approves one step per round: you already approved “%(step)s” of this "
                  "application; “%(current)s” needs someone else.")
                % {"step": earlier.step.name, "current": current.name}
            )
    comment = (comment or "").strip()
    if decision in (Decision.REJECT, Decision.RETURN) and not comment:
        raise ValidationError({"comment": _("Give a reason for rejecting or returning the application.")})
    if decision == Decision.RETURN and return_to not in ReturnTarget.values:
        raise ValidationError({"return_to": _("Return the application to screening or scoring.")})

    chain = selectors.approval_chain()
    later = [s for s in chain if s.order > current.order]
    next_step = later[0] if decision == Decision.APPROVE and later else None
    final_approval = decision == Decision.APPROVE and next_step is None
    target_state = {
        Decision.REJECT: S.REJECTED, Decision.RETURN: return_to,
    }.get(decision, S.APPROVED if final_approval else S.IN_REVIEW)
    now = timezone.now()
    with transaction.atomic():
        claimed = Application.objects.filter(
            pk=application.pk, state=S.IN_REVIEW, current_step_id=seen_step_id
        ).update(current_step=next_step, updated_at=now)
        if not claimed:
            raise _stale(application, target_state)
        record = ApprovalDecision.objects.create(
            tenant_id=application.tenant_id, application=application, step=current, decision=decision,
            return_to=return_to if decision == Decision.RETURN else "", comment=comment, actor=actor, created_at=now,
        )
        reason = f"{current.name}: {Decision(decision).label}" + (f" — {comment}" if comment else "")
        if decision == Decision.APPROVE and next_step is not None:
            application.current_step = next_step
            application._history_user = actor
            application._change_reason = reason
            application.save(update_fields=["current_step", "updated_at"])
        elif final_approval:
            application.current_step = None
            partner = _convert_to_partner(application=application, actor=actor)
            transition(
                workflow=APPLICATION_WORKFLOW, instance=application, to_state=S.APPROVED, actor=actor,
                reason=reason, extra_updates={"decided_at": now, "current_step": None, "partner": partner},
            )
            notifications.notify_applicant(application, notifications.APPROVED, record.pk)
        else:
            application.current_step = None
            extra: dict[str, Any] = {"current_step": None}
            if decision == Decision.REJECT:
                extra["decided_at"] = now
            transition(
                workflow=APPLICATION_WORKFLOW, instance=application, to_state=target_state, actor=actor,
                reason=reason, extra_updates=extra,
            )
            if decision == Decision.REJECT:
                notifications.notify_applicant(application, notifications.REJECTED, record.pk)
    return record
