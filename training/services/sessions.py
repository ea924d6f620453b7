"""Sessions, enrolment with a waiting list, attendance and feedback (第十六条).

Seats are counted with the session row locked (``select_for_update``): two people enrolling
for the last seat at once are served one after the other, the first gets the seat and the
second the waiting list. A freed seat (a cancellation, a raised capacity) goes to the first
person in line, in the same transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from channelhub.tenancy.models import Tenant, User
from channelhub.tenancy.policy import actor_in, authorize, trusted
from channelhub.tenancy.roles import STAFF_ROLES, Role
from channelhub.tenancy.services import assign_fields, audited_save, require_same_tenant
from channelhub.tenancy.workflow import transition

from ..models import (
    SEATED,
    Assessment,
    AssessmentStage,
    Enrolment,
    EnrolmentState,
    PlanState,
    Session,
    SessionFeedback,
)
from ..permissions import ATTENDANCE_TAKE, ENROL_OTHERS, ENROL_SELF, FEEDBACK_GIVE, SESSION_MANAGE
from ..workflow import ENROLMENT_WORKFLOW
from ._common import delete_guarded, require_prerequisites, trainee_partner

E = EnrolmentState


def _is_staff(actor: User | None, tenant_id: int) -> bool:
    if actor is None:
        return True
    found = actor_in(actor, tenant_id)
    return found.is_superuser or bool(found.roles & STAFF_ROLES)


# --------------------------------------------------------------------------- sessions


@transaction.atomic
def session_create(*, tenant: Tenant, actor: User | None, **fields: Any) -> Session:
    authorize(actor, SESSION_MANAGE.code, tenant=tenant)
    require_same_tenant(tenant, fields.get("plan"), fields.get("course"))
    return audited_save(assign_fields(Session(tenant=tenant), fields), actor=actor, reason=_("Created"))


@transaction.atomic
def session_update(*, session: Session, actor: User | None, **fields: Any) -> Session:
    """Change a session; a raised capacity seats the first people of the waiting list."""
    authorize(actor, SESSION_MANAGE.code, tenant=session.tenant_id)
    require_same_tenant(session.tenant_id, fields.get("plan"), fields.get("course"))
    Session.objects.select_for_update().filter(pk=session.pk).first()
    session = audited_save(assign_fields(session, fields), actor=actor, reason=_("Updated"))
    _promote(session, actor=actor)
    return session


def session_delete(*, session: Session, actor: User | None) -> None:
    authorize(actor, SESSION_MANAGE.code, tenant=session.tenant_id)
    if Enrolment.objects.filter(session=session).exclude(state=E.CANCELLED).exists():
        raise ValidationError(_("People are enrolled in this session: cancel it instead of deleting it."))
    delete_guarded(session, actor=actor)


# --------------------------------------------------------------------------- enrolment


def _check_enrolment_rights(session: Session, trainee: User, partner, actor: User | None) -> None:
    tenant_id = session.tenant_id
    if actor is not None and actor.pk == trainee.pk:
        authorize(actor, ENROL_SELF.code, tenant=tenant_id, partner=partner)
    else:
        authorize(actor, ENROL_OTHERS.code, tenant=tenant_id, partner=partner)
    if _is_staff(actor, tenant_id):
        return
    # Partner staff: only sessions of a published plan that trains their partner, and enrolling
    # oneself only where the plan allows it.
    plan = session.plan
    if partner is None or plan is None or plan.state != PlanState.PUBLISHED:
        raise PermissionDenied(_("This session is not open to your company."))
    from .plans import plan_includes_partner

    if not plan_includes_partner(plan, partner.pk):
        raise PermissionDenied(_("This session is not open to your company."))
    # The partner admin enrols the company's staff, themself included; others enrol themselves
    # only where the plan allows it.
    if actor.pk == trainee.pk and not plan.self_enrolment and Role.PARTNER_ADMIN not in actor_in(
            actor, tenant_id).roles:
        raise PermissionDenied(_("Your company's administrator enrols you in this plan's sessions."))
    # Staff may seat anyone (they know who is ready); partners follow the catalogue's order.
    require_prerequisites(session.course, trainee)


def enrolment_create(*, session: Session, trainee: User, actor: User | None) -> Enrolment:
    """Enrol ``trainee``: a seat while there is one, else the end of the waiting list."""
    with transaction.atomic():
        partner = trainee_partner(trainee)
        _check_enrolment_rights(session, trainee, partner, actor)
        # The lock that makes "last seat" decisions one at a time.
        session = Session.objects.select_for_update().get(pk=session.pk)
        if session.is_cancelled:
            raise ValidationError(_("This session was cancelled."))
        if session.ends_at <= timezone.now():
            raise ValidationError(_("This session is over."))
        existing = Enrolment.objects.filter(session=session, trainee=trainee).first()
        if existing is not None and existing.state != E.CANCELLED:
            raise ValidationError(_("%(person)s is already enrolled in this session.") % {"person": trainee})
        seated = Enrolment.objects.filter(session=session, state__in=SEATED).count()
        if seated < session.capacity:
            state, position = E.ENROLLED, None
        else:
            last = Enrolment.objects.filter(session=session, state=E.WAITLISTED).aggregate(
                last=Max("waitlist_position"))["last"] or 0
            state, position = E.WAITLISTED, last + 1
        if existing is not None:
            return transition(workflow=ENROLMENT_WORKFLOW, instance=existing, to_state=state, actor=actor,
                              reason=_("Enrolled again"),
                              extra_updates={"waitlist_position": position, "enrolled_by": actor})
        enrolment = Enrolment(tenant_id=session.tenant_id, session=session, trainee=trainee, partner=partner,
                              state=state, waitlist_position=position, enrolled_by=actor)
        return audited_save(enrolment, actor=actor, reason=_("Enrolled") if state == E.ENROLLED
                            else _("Wait-listed"))


def enrolment_cancel(*, enrolment: Enrolment, actor: User | None, reason: str = "") -> Enrolment:
    """Cancel an enrolment (the trainee, their partner admin or staff); the seat goes to the next in line."""
    with transaction.atomic():
        if actor is not None and actor.pk == enrolment.trainee_id:
            authorize(actor, ENROL_SELF.code, tenant=enrolment.tenant_id, partner=enrolment.partner_id)
        else:
            authorize(actor, ENROL_OTHERS.code, tenant=enrolment.tenant_id, partner=enrolment.partner_id)
        session = Session.objects.select_for_update().get(pk=enrolment.session_id)
        enrolment.refresh_from_db()
        enrolment = transition(workflow=ENROLMENT_WORKFLOW, instance=enrolment, to_state=E.CANCELLED, actor=actor,
                               reason=reason, extra_updates={"waitlist_position": None})
        _promote(session, actor=actor)
    return enrolment


def _promote(session: Session, *, actor: User | None) -> list[Enrolment]:
    """Seat the first people of the waiting list while there are free seats (session locked by the caller)."""
    free = session.capacity - Enrolment.objects.filter(session=session, state__in=SEATED).count()
    promoted = []
    if free <= 0:
        return promoted
    for waiting in Enrolment.objects.filter(session=session, state=E.WAITLISTED).order_by(
            "waitlist_position", "created_at")[:free]:
        promoted.append(transition(workflow=ENROLMENT_WORKFLOW, instance=waiting, to_state=E.ENROLLED, actor=actor,
                                   reason=_("A seat became free"), extra_updates={"waitlist_position": None}))
    return promoted


# --------------------------------------------------------------------------- attendance and feedback


@transaction.atomic
def attendance_record(*, session: Session, marks: Mapping[int, str], actor: User | None) -> dict[str, int]:
    """The trainer's register: ``{enrolment id: "attended" | "absent"}``.

    Attending a course with no final assessment completes it (and may complete a learning path).
    """
    authorize(actor, ATTENDANCE_TAKE.code, tenant=session.tenant_id)
    if session.starts_at > timezone.now():
        raise ValidationError(_("Attendance is taken once the session has started."))
    rows = {row.pk: row for row in Enrolment.objects.filter(session=session, pk__in=list(marks))}
    unknown = set(marks) - set(rows)
    if unknown:
        raise ValidationError(_("Some people are not enrolled in this session."))
    counts = {E.ATTENDED: 0, E.ABSENT: 0}
    has_final = Assessment.objects.filter(course_id=session.course_id, stage=AssessmentStage.FINAL).exists()
    from .certificates import course_complete

    for pk, mark in marks.items():
        if mark not in counts:
            raise ValidationError(_("Mark each person as attended or absent."))
        row = rows[pk]
        if row.state != mark:
            if row.state in (E.WAITLISTED, E.CANCELLED):
                raise ValidationError(
                    _("%(person)s has no seat in this session.") % {"person": row.trainee})
            transition(workflow=ENROLMENT_WORKFLOW, instance=row, to_state=mark, actor=actor,
                       reason=_("Attendance"))
        counts[mark] += 1
        if mark == E.ATTENDED and not has_final:
            with trusted():
                course_complete(course=session.course, trainee=row.trainee, partner=row.partner,
                                source=_("Attended %(session)s") % {"session": session.title})
    return {str(key): value for key, value in counts.items()}


@transaction.atomic
def feedback_give(*, enrolment: Enrolment, actor: User | None, rating: int, comment: str = "") -> SessionFeedback:
    """A trainee rates a session they attended (once; giving it again replaces the rating)."""
    authorize(actor, FEEDBACK_GIVE.code, tenant=enrolment.tenant_id, partner=enrolment.partner_id)
    if actor is not None and actor.pk != enrolment.trainee_id:
        raise PermissionDenied(_("Only the trainee rates their session."))
    if enrolment.state != E.ATTENDED:
        raise ValidationError(_("Only people who attended rate a session."))
    feedback = SessionFeedback.objects.filter(enrolment=enrolment).first() or SessionFeedback(
        tenant_id=enrolment.tenant_id, enrolment=enrolment)
    feedback.rating, feedback.comment = rating, comment
    return audited_save(feedback, actor=actor, reason=_("Feedback"))
