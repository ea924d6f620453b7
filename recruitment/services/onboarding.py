"""An approved application becomes an onboarding partner with a checklist; ticking it activates the partner."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from channelhub.partners import services as partner_services
from channelhub.partners.models import Partner, PartnerStatus, Region
from channelhub.tenancy.models import User
from channelhub.tenancy.policy import authorize, trusted
from channelhub.tenancy.roles import Role
from channelhub.tenancy.services import (
    audited_save,
    invitation_create,
)

from .. import selectors
from ..models import (
    Application,
    ApplicationDocument,
    ApplicationRegion,
    ApprovalDecision,
    Decision,
    OnboardingTask,
    OnboardingTaskTemplate,
)
from ..permissions import ONBOARDING_MANAGE
from ._common import _is_staff
from .setup import onboarding_templates_ensure_default


def _convert_to_partner(*, application: Application, actor: User | None) -> Partner:
    """The final approval's consequence, run as part of the decision its decider was admitted to.

    Creating the partner, its contact, the administrator's portal access and the checklist are
    steps of that use case, whatever the last step's role (a legal reviewer approving must
    not be refused the partner's creation): the inner services' own checks are skipped.
    """
    with trusted():
        return _create_partner(application=application, actor=actor)


def _create_partner(*, application: Application, actor: User | None) -> Partner:
    """Approved: the application becomes an onboarding partner with its contact, documents,
    invitation for its administrator (e-mailed link) and onboarding checklist."""
    tenant = application.tenant
    region = Region.objects.filter(
        pk__in=ApplicationRegion.objects.filter(application=application).values("region_id")
    ).order_by("path").first()
    if region is None:
        raise ValidationError({"regions": _("The application names no region; the partner needs one.")})
    owner = _new_partner_owner(application)
    partner = partner_services.partner_create(
        tenant=tenant, actor=actor, legal_name=application.legal_name, credit_code=application.credit_code,
        partner_type=application.partner_type, region=region, address=application.address,
        registered_capital=application.registered_capital, founding_year=application.founding_year,
        staff_count=application.staff_count, website=application.website, owner=owner,
        notes=_("Recruited through application #%(id)s.") % {"id": application.pk},
    )
    partner_services.partner_transition(
        partner=partner, to_status=PartnerStatus.ONBOARDING, actor=actor, reason=_("Application approved")
    )
    partner_services.contact_create(
        tenant=tenant, actor=actor, partner=partner, name=application.contact_name, title=application.contact_title,
        email=application.contact_email, phone=application.contact_phone, is_primary=True,
    )
    for document in ApplicationDocument.objects.filter(application=application):
        document.partner = partner
        document._history_user = actor
        document._change_reason = _("Linked to the new partner")
        document.save(update_fields=["partner"])
    # The contact becomes the partner's administrator by accepting an invitation: an account
    # that already exists for this address changes only when its owner signs in and accepts.
    invitation_create(
        tenant=tenant, actor=actor, email=application.contact_email, role=Role.PARTNER_ADMIN,
        partner=partner, first_name=application.contact_name[:150], language=application.language,
    )
    _create_checklist(partner=partner, application=application, actor=actor)
    return partner


def _new_partner_owner(application: Application) -> User | None:
    """Who looks after the new partner: the plan's owner, else the channel manager who
    approved the application's first step (they know it best), else nobody yet."""
    candidates = []
    if application.plan_id and application.plan.owner_id:
        candidates.append(application.plan.owner)
    first_approval = (
        ApprovalDecision.objects.filter(application=application, decision=Decision.APPROVE)
        .select_related("actor").order_by("created_at", "pk").first()
    )
    if first_approval is not None and first_approval.actor is not None:
        candidates.append(first_approval.actor)
    return next((user for user in candidates if _is_staff(user)), None)


def _create_checklist(*, partner: Partner, application: Application | None, actor: User | None) -> None:
    if not OnboardingTaskTemplate.objects.exists():
        onboarding_templates_ensure_default(tenant=partner.tenant, actor=actor)
    for template in selectors.onboarding_templates_for(partner.partner_type):
        audited_save(
            OnboardingTask(
                tenant_id=partner.tenant_id, partner=partner, application=application, key=template.key,
                name=template.name, description=template.description, required=template.required,
                order=template.order,
            ),
            actor=actor, reason=_("Onboarding checklist created"),
        )


def onboarding_task_complete(
    *, partner: Partner, key: str, actor: User | None, source: str = "manual", note: str = ""
) -> OnboardingTask | None:
    """Tick the partner's checklist item ``key`` (idempotent); activate the partner when done.

    Other chapters call this (``source`` names them, e.g. ``"cooperation.agreement"``); a
    partner without such an item (not recruited through an application) is left alone and
    ``None`` is returned. When every required item is done and the partner is still
    onboarding, it becomes active.

    A person ticking an item needs ``recruitment.onboarding.manage``; milestones announced by
    other chapters tick it as the system (``actor=None``): the milestone is the proof.
    """
    authorize(actor, ONBOARDING_MANAGE.code, tenant=partner.tenant_id)
    with transaction.atomic():
        task = OnboardingTask.objects.select_for_update().filter(partner=partner, key=key).first()
        if task is None:
            return None
        if task.done_at is None:
            task.done_at = timezone.now()
            task.done_by = actor
            task.done_source = source[:64]
            if note:
                task.note = note
            audited_save(task, actor=actor, reason=_("Checklist item done (%(source)s)") % {"source": source})
        _activate_when_complete(partner=partner, actor=actor)
    return task


@transaction.atomic
def onboarding_task_reopen(*, task: OnboardingTask, actor: User | None, reason: str = "") -> OnboardingTask:
    """Untick an item ticked by mistake (an already active partner stays active)."""
    authorize(actor, ONBOARDING_MANAGE.code, tenant=task.tenant_id)
    task.done_at = None
    task.done_by = None
    task.done_source = ""
    return audited_save(task, actor=actor, reason=reason or _("Checklist item reopened"))


@transaction.atomic
def onboarding_task_update(*, task: OnboardingTask, actor: User | None, note: str) -> OnboardingTask:
    """Keep a note on a checklist item (what was agreed, what is missing)."""
    authorize(actor, ONBOARDING_MANAGE.code, tenant=task.tenant_id)
    task.note = note or ""
    return audited_save(task, actor=actor, reason=_("Updated"))


def _activate_when_complete(*, partner: Partner, actor: User | None) -> None:
    progress = selectors.onboarding_progress(partner_id=partner.pk)
    if not progress["required"] or progress["required_done"] < progress["required"]:
        return
    status = Partner.objects.filter(pk=partner.pk).values_list("status", flat=True).first()
    if status != PartnerStatus.ONBOARDING:
        return
    partner.status = status
    # Activation is the checklist's rule, part of ticking its last item (already authorized).
    with trusted():
        partner_services.partner_transition(
            partner=partner, to_status=PartnerStatus.ACTIVE, actor=actor, reason=_("Onboarding checklist complete")
        )


def partner_activate_early(*, partner: Partner, actor: User, reason: str) -> Partner:
    """A manager activates an onboarding partner before its checklist is complete, saying why.

    Needs ``recruitment.onboarding.manage``; the status move is part of that use case.
    """
    authorize(actor, ONBOARDING_MANAGE.code, tenant=partner.tenant_id)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the partner is activated before its checklist is complete.")})
    with trusted():
        return partner_services.partner_transition(
            partner=partner, to_status=PartnerStatus.ACTIVE, actor=actor,
            reason=_("Activated before the checklist was complete: %(reason)s") % {"reason": reason},
        )
