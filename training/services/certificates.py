"""Completions, certificates (issued when a learning path is complete), revocation, external
qualifications, requirements per partner type and the lapse check (认证 / 资格)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from channelhub import tiers
from channelhub.milestones import announce
from channelhub.partners.models import Partner
from channelhub.tenancy.models import Membership, Tenant, User
from channelhub.tenancy.policy import authorize, trusted
from channelhub.tenancy.roles import PARTNER_ROLES
from channelhub.tenancy.services import assign_fields, audited_save, require_same_tenant

from ..models import (
    Certificate,
    Certification,
    Course,
    CourseCompletion,
    CourseKind,
    LearningPath,
    LearningPathStep,
    Qualification,
    QualificationLapse,
    QualificationRequirement,
    QualificationState,
)
from ..permissions import CERTIFICATE_MANAGE, QUALIFICATION_SUBMIT, QUALIFICATION_VERIFY, REQUIREMENT_MANAGE
from ..selectors.plans import TRAINED_STATUSES
from ._common import delete_guarded, trainee_partner


def course_complete(*, course: Course, trainee: User, partner: Partner | None, source: str = "",
                    actor: User | None = None) -> CourseCompletion:
    """Record that ``trainee`` completed ``course`` (once); announce it; issue what it completes.

    Called by the services that decide completion (a passed final assessment, attendance of a
    course without one), as the system. The orientation course announces ``course.completed``
    with ``course_kind="orientation"``, which ticks recruitment's onboarding checklist.
    """
    authorize(actor, CERTIFICATE_MANAGE.code, tenant=course.tenant_id)
    with transaction.atomic():
        existing = CourseCompletion.objects.filter(course=course, trainee=trainee).first()
        if existing is not None:
            return existing
        completion = audited_save(
            CourseCompletion(tenant_id=course.tenant_id, course=course, trainee=trainee, partner=partner,
                             source=source[:200]),
            actor=actor, reason=_("Course completed"))
        if partner is not None:
            announce(partner=partner, milestone="course.completed", source="training.course",
                     course_id=course.pk, course_kind=course.kind, trainee_id=trainee.pk,
                     orientation=course.kind == CourseKind.ORIENTATION)
        with trusted():
            for path in LearningPath.objects.filter(steps__course=course, certification__isnull=False).distinct():
                if _path_complete(path, trainee):
                    certificate_issue(certification=path.certification, holder=trainee, actor=actor,
                                      reason=_("Completed %(path)s") % {"path": path.name})
    return completion


def _path_complete(path: LearningPath, trainee: User) -> bool:
    needed = set(LearningPathStep.objects.filter(path=path).values_list("course_id", flat=True))
    done = set(CourseCompletion.objects.filter(trainee=trainee, course_id__in=needed).values_list("course_id",
                                                                                                  flat=True))
    return bool(needed) and needed <= done


def _add_months(day: datetime.date, months: int) -> datetime.date:
    year, month = divmod(day.month - 1 + months, 12)
    for candidate in (day.day, 30, 29, 28):
        try:
            return datetime.date(day.year + year, month + 1, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _next_number(certification: Certification, year: int, skip: int = 0) -> str:
    prefix = f"{certification.code}-{year}-"
    taken = Certificate.objects.filter(number__startswith=prefix).count()
    return f"{prefix}{taken + 1 + skip:05d}"


def certificate_issue(*, certification: Certification, holder: User, actor: User | None, reason: str = "",
                      issued_on: datetime.date | None = None, expires_on: datetime.date | None = None,
                      is_external: bool = False) -> Certificate:
    """Issue a numbered certificate, valid for the certification's months (or until ``expires_on``).

    A holder with a certificate of the same certification that is still valid and outside its
    recertification window keeps it (nothing new is issued); inside the window this is the
    recertification and the new certificate runs from today.
    """
    authorize(actor, CERTIFICATE_MANAGE.code, tenant=certification.tenant_id)
    partner = trainee_partner(holder)
    issued_on = issued_on or timezone.localdate()
    current = (Certificate.objects.filter(certification=certification, holder=holder, revoked_at__isnull=True,
                                          expires_on__gte=issued_on).order_by("-expires_on").first())
    if current is not None and not is_external and (
            current.expires_on - issued_on).days > certification.recertification_days:
        return current
    expires_on = expires_on or _add_months(issued_on, certification.validity_months)
    for _try in range(5):
        try:
            with transaction.atomic():
                certificate = audited_save(
                    Certificate(tenant_id=certification.tenant_id, certification=certification, holder=holder,
                                partner=partner, number=_next_number(certification, issued_on.year, _try),
                                issued_on=issued_on, expires_on=expires_on, is_external=is_external),
                    actor=actor, reason=reason or _("Issued"))
                break
        except (IntegrityError, ValidationError) as error:
            if isinstance(error, ValidationError) and "number" not in getattr(error, "error_dict", {}) and (
                    "__all__" not in getattr(error, "error_dict", {})):
                raise
    else:
        raise ValidationError(_("The certificate could not be numbered; try again."))
    if partner is not None:
        announce(partner=partner, milestone="certificate.issued", source="training.certificate",
                 certificate_id=certificate.pk, certification_id=certification.pk,
                 certification_code=certification.code, holder_id=holder.pk)
    return certificate


def certificate_grant(*, tenant: Tenant, actor: User | None, certification: Certification, holder: User,
                      **fields: Any) -> Certificate:
    """A manager issues a certificate by hand (e.g. recognised from an earlier programme)."""
    authorize(actor, CERTIFICATE_MANAGE.code, tenant=tenant)
    require_same_tenant(tenant, certification)
    with transaction.atomic():
        return certificate_issue(certification=certification, holder=holder, actor=actor,
                                 reason=_("Issued by hand"), issued_on=fields.get("issued_on"),
                                 expires_on=fields.get("expires_on"))


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, actor: User | None, reason: str) -> Certificate:
    """Revoke a certificate, with the reason (shown on its public verification page)."""
    authorize(actor, CERTIFICATE_MANAGE.code, tenant=certificate.tenant_id)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the certificate is revoked.")})
    if certificate.revoked_at is not None:
        raise ValidationError(_("This certificate was already revoked."))
    certificate.revoked_at = timezone.now()
    certificate.revoke_reason = reason.strip()
    return audited_save(certificate, actor=actor, reason=_("Revoked: %(reason)s") % {"reason": reason.strip()})


# --------------------------------------------------------------------------- external qualifications


@transaction.atomic
def qualification_submit(*, tenant: Tenant, actor: User | None, holder: User | None = None, **fields: Any
                         ) -> Qualification:
    """Upload a qualification obtained elsewhere (执业资格); it counts once a manager verified it.

    Partner staff upload their own (a partner admin also their staff's); trainers anyone's.
    """
    holder = holder or actor
    if holder is None:
        raise ValidationError({"holder": _("Say whose qualification this is.")})
    partner = trainee_partner(holder)
    authorize(actor, QUALIFICATION_SUBMIT.code, tenant=tenant, partner=partner)
    from channelhub.tenancy.policy import actor_in
    from channelhub.tenancy.roles import Role

    if actor is not None and actor.pk != holder.pk:
        roles = actor_in(actor, tenant).roles
        if not (roles - {Role.PARTNER_USER, Role.PARTNER_ADMIN}) and Role.PARTNER_ADMIN not in roles:
            raise PermissionDenied(_("You upload your own qualifications only."))
    certification = fields.get("certification")
    require_same_tenant(tenant, certification)
    if certification is not None and not certification.is_external:
        raise ValidationError({"certification": _("Choose an external qualification.")})
    for name in ("state", "verified_by", "verified_at", "certificate"):
        fields.pop(name, None)
    row = assign_fields(Qualification(tenant=tenant, holder=holder, partner=partner), fields)
    return audited_save(row, actor=actor, reason=_("Uploaded"))


@transaction.atomic
def qualification_verify(*, qualification: Qualification, actor: User | None, note: str = "") -> Qualification:
    """A manager checked the licence: it is verified and counts as a certificate until it expires."""
    authorize(actor, QUALIFICATION_VERIFY.code, tenant=qualification.tenant_id)
    qualification = Qualification.objects.select_for_update().get(pk=qualification.pk)
    if qualification.state != QualificationState.PENDING:
        raise ValidationError(_("Only a qualification awaiting verification can be verified."))
    with trusted():
        certificate = certificate_issue(
            certification=qualification.certification, holder=qualification.holder, actor=actor,
            reason=_("Verified external qualification %(number)s") % {"number": qualification.licence_number},
            issued_on=qualification.issued_on, expires_on=qualification.expires_on, is_external=True)
    qualification.state = QualificationState.VERIFIED
    qualification.verified_by, qualification.verified_at = actor, timezone.now()
    qualification.certificate = certificate
    if note:
        qualification.note = note
    return audited_save(qualification, actor=actor, reason=_("Verified"))


@transaction.atomic
def qualification_reject(*, qualification: Qualification, actor: User | None, note: str) -> Qualification:
    authorize(actor, QUALIFICATION_VERIFY.code, tenant=qualification.tenant_id)
    if not (note or "").strip():
        raise ValidationError({"note": _("Say why the qualification is rejected.")})
    if qualification.state != QualificationState.PENDING:
        raise ValidationError(_("Only a qualification awaiting verification can be rejected."))
    qualification.state = QualificationState.REJECTED
    qualification.verified_by, qualification.verified_at = actor, timezone.now()
    qualification.note = note.strip()
    return audited_save(qualification, actor=actor, reason=_("Rejected"))


# --------------------------------------------------------------------------- requirements and lapses


@transaction.atomic
def requirement_create(*, tenant: Tenant, actor: User | None, **fields: Any) -> QualificationRequirement:
    authorize(actor, REQUIREMENT_MANAGE.code, tenant=tenant)
    require_same_tenant(tenant, fields.get("certification"))
    return audited_save(assign_fields(QualificationRequirement(tenant=tenant), fields), actor=actor,
                        reason=_("Created"))


@transaction.atomic
def requirement_update(*, requirement: QualificationRequirement, actor: User | None, **fields: Any):
    authorize(actor, REQUIREMENT_MANAGE.code, tenant=requirement.tenant_id)
    require_same_tenant(requirement.tenant_id, fields.get("certification"))
    return audited_save(assign_fields(requirement, fields), actor=actor, reason=_("Updated"))


def requirement_delete(*, requirement: QualificationRequirement, actor: User | None) -> None:
    authorize(actor, REQUIREMENT_MANAGE.code, tenant=requirement.tenant_id)
    delete_guarded(requirement, actor=actor)


def holders_by_partner(certification_ids, *, day: datetime.date | None = None) -> dict[tuple[int, int], int]:
    """(partner id, certification id) → how many distinct staff hold a valid certificate on ``day``."""
    day = day or timezone.localdate()
    rows = (Certificate.objects.filter(certification_id__in=list(certification_ids), partner__isnull=False,
                                       revoked_at__isnull=True, issued_on__lte=day, expires_on__gte=day)
            .values("partner_id", "certification_id").annotate(n=Count("holder_id", distinct=True)))
    return {(row["partner_id"], row["certification_id"]): row["n"] for row in rows}


def qualification_lapse_check(*, tenant: Tenant | int, day: datetime.date | None = None) -> dict[str, int]:
    """Flag partners (with portal staff) short of a requirement of their type; clear those that hold enough again.

    Idempotent: an open lapse stays one row however often the check runs. Three queries
    plus one write per change.
    """
    requirements = list(QualificationRequirement.objects.all())
    if not requirements:
        return {"opened": 0, "resolved": 0}
    holders = holders_by_partner({r.certification_id for r in requirements}, day=day)
    partners_by_type: dict[str, list[int]] = defaultdict(list)
    # Partners with no portal staff have nobody to certify yet: eligibility answers "not qualified"
    # for them, but the manager's queue is for partners that fell short.
    staffed = Membership.objects.filter(role__in=sorted(PARTNER_ROLES), is_active=True).values("partner_id")
    for pk, partner_type in Partner.objects.filter(
            status__in=TRAINED_STATUSES, partner_type__in={r.partner_type for r in requirements}, pk__in=staffed,
    ).values_list("pk", "partner_type"):
        partners_by_type[partner_type].append(pk)
    # Tiers are read only when some requirement depends on one.
    tier_of = (tiers.codes_of([pk for pks in partners_by_type.values() for pk in pks])
               if any(r.tier for r in requirements) else {})
    open_lapses = {(lapse.partner_id, lapse.requirement_id): lapse
                   for lapse in QualificationLapse.objects.filter(resolved_at__isnull=True)}
    opened = resolved = 0
    now = timezone.now()
    short: set[tuple[int, int]] = set()
    for requirement in requirements:
        for partner_id in partners_by_type.get(requirement.partner_type, []):
            if not requirement.applies_to(requirement.partner_type, tier_of.get(partner_id)):
                continue
            count = holders.get((partner_id, requirement.certification_id), 0)
            if count < requirement.min_staff:
                short.add((partner_id, requirement.pk))
                if (partner_id, requirement.pk) not in open_lapses:
                    QualificationLapse.objects.create(partner_id=partner_id, requirement=requirement, holders=count,
                                                      detected_at=now)
                    opened += 1
    for key, lapse in open_lapses.items():
        if key not in short:
            lapse.resolved_at = now
            lapse._change_reason = _("Requirement met again")
            lapse.save(update_fields=["resolved_at"])
            resolved += 1
    return {"opened": opened, "resolved": resolved}
