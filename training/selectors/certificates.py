"""Certificates, qualifications and what partners hold against what their type requires."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from channelhub import tiers
from channelhub.partners.models import Partner
from channelhub.tenancy.models import Membership
from channelhub.tenancy.roles import PARTNER_ROLES

from ..models import Certificate, Qualification, QualificationLapse, QualificationRequirement
from ..models.certificates import requirements_for
from .plans import TRAINED_STATUSES


def certificate_list() -> QuerySet[Certificate]:
    return Certificate.objects.select_related("certification", "holder", "partner")


def certificate_by_code(code: str) -> Certificate | None:
    """The certificate a public verification code names, in the current tenant, or None."""
    code = (code or "").strip().upper()
    if not code or len(code) > 32:
        return None
    return certificate_list().filter(verification_code=code).first()


def certificates_expiring(*, within_days: int | None = None, day: datetime.date | None = None
                          ) -> QuerySet[Certificate]:
    """Valid certificates inside their recertification window (or expiring within ``within_days``)."""
    day = day or timezone.localdate()
    queryset = certificate_list().filter(revoked_at__isnull=True, expires_on__gte=day)
    if within_days is not None:
        return queryset.filter(expires_on__lte=day + datetime.timedelta(days=within_days))
    rows = queryset.filter(expires_on__lte=day + datetime.timedelta(days=366))
    inside = [c.pk for c in rows if (c.expires_on - day).days <= c.certification.recertification_days]
    return rows.filter(pk__in=inside)


def qualification_list() -> QuerySet[Qualification]:
    return Qualification.objects.select_related("certification", "holder", "partner", "verified_by")


def requirement_list() -> QuerySet[QualificationRequirement]:
    return QualificationRequirement.objects.select_related("certification")


def lapse_list(*, open_only: bool = True) -> QuerySet[QualificationLapse]:
    queryset = QualificationLapse.objects.select_related("partner", "requirement", "requirement__certification")
    return queryset.filter(resolved_at__isnull=True) if open_only else queryset


@dataclass
class RequirementState:
    requirement: QualificationRequirement
    holders: int

    @property
    def met(self) -> bool:
        return self.holders >= self.requirement.min_staff


@dataclass
class PartnerQualification:
    """What a partner's type requires, what it holds, and whether it is qualified (for ``purpose``)."""

    rows: list[RequirementState] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(row.met for row in self.rows)

    @property
    def reasons(self) -> tuple[str, ...]:
        return tuple(
            _("%(certification)s: %(holders)d of %(required)d required staff certified")
            % {"certification": row.requirement.certification, "holders": row.holders,
               "required": row.requirement.min_staff}
            for row in self.rows if not row.met
        )


def partner_qualification(partner: Partner, purpose: str | None = None,
                          day: datetime.date | None = None) -> PartnerQualification:
    """Three queries: the partner's tier, the requirements of its type and tier (general + ``purpose``)
    and its holders."""
    day = day or timezone.localdate()
    purposes = {"general", purpose or "general"}
    tier = tiers.codes_of([partner.pk]).get(partner.pk)
    requirements = list(requirement_list().filter(requirements_for(partner.partner_type, tier), purpose__in=purposes))
    if not requirements:
        return PartnerQualification()
    holders = dict(
        Certificate.objects.filter(partner=partner, certification_id__in={r.certification_id for r in requirements},
                                   revoked_at__isnull=True, issued_on__lte=day, expires_on__gte=day)
        .values("certification_id").annotate(n=Count("holder_id", distinct=True)).values_list("certification_id", "n"))
    return PartnerQualification([RequirementState(r, holders.get(r.certification_id, 0)) for r in requirements])


def partner_training_summary(partner_id: int) -> dict:
    """The partner page's and portal's figures: staff, certified staff, valid and expiring certificates, lapses."""
    today = timezone.localdate()
    staff = Membership.objects.filter(partner_id=partner_id, role__in=sorted(PARTNER_ROLES),
                                      is_active=True).values("user_id").distinct().count()
    certificates = Certificate.objects.filter(partner_id=partner_id, revoked_at__isnull=True, expires_on__gte=today)
    figures = certificates.aggregate(
        valid=Count("pk"), certified=Count("holder_id", distinct=True),
        expiring=Count("pk", filter=Q(expires_on__lte=today + datetime.timedelta(days=60))),
    )
    lapses = list(lapse_list().filter(partner_id=partner_id))
    return {
        "staff": staff, "certified": figures["certified"], "valid": figures["valid"],
        "expiring": figures["expiring"], "lapses": lapses,
        "ratio": round(100 * figures["certified"] / staff) if staff else None,
    }


# --------------------------------------------------------------------------- KPI inputs (evaluation reads these)


def certified_staff_ratio(tenant, period) -> dict[int, float]:
    """Partner id → share of its active portal staff holding a valid certificate at the end of ``period``.

    ``period`` has an ``end`` (a datetime, as ``channelhub.tenancy.jobs.Period``) or is a date.
    Partners without staff are left out (no ratio, rather than a misleading zero).
    """
    day = _day_of(period)
    staff = dict(
        Membership.objects.filter(role__in=sorted(PARTNER_ROLES), is_active=True, partner__isnull=False)
        .values("partner_id").annotate(n=Count("user_id", distinct=True)).values_list("partner_id", "n"))
    certified = dict(
        Certificate.objects.filter(partner__isnull=False, revoked_at__isnull=True, issued_on__lte=day,
                                   expires_on__gte=day)
        .values("partner_id").annotate(n=Count("holder_id", distinct=True)).values_list("partner_id", "n"))
    return {partner_id: round(certified.get(partner_id, 0) / count, 4) for partner_id, count in staff.items() if count}


def qualification_status(tenant, period) -> dict[int, float]:
    """Partner id → 1.0 when it meets every general requirement of its type at the end of ``period``, else 0.0.

    Only partners whose type has requirements appear (the others are qualified by default).
    """
    from channelhub.partners.models import Partner

    day = _day_of(period)
    requirements = list(requirement_list().filter(purpose="general"))
    if not requirements:
        return {}
    holders = {
        (row["partner_id"], row["certification_id"]): row["n"] for row in
        Certificate.objects.filter(partner__isnull=False, revoked_at__isnull=True, issued_on__lte=day,
                                   expires_on__gte=day,
                                   certification_id__in={r.certification_id for r in requirements})
        .values("partner_id", "certification_id").annotate(n=Count("holder_id", distinct=True))}
    partners = list(Partner.objects.filter(
        status__in=TRAINED_STATUSES, partner_type__in={r.partner_type for r in requirements}
    ).values_list("pk", "partner_type"))
    # Tiers are read only when some requirement depends on one.
    tier_of = tiers.codes_of([pk for pk, _type in partners]) if any(r.tier for r in requirements) else {}
    result = {}
    for partner_id, partner_type in partners:
        ok = all(holders.get((partner_id, r.certification_id), 0) >= r.min_staff
                 for r in requirements if r.applies_to(partner_type, tier_of.get(partner_id)))
        result[partner_id] = 1.0 if ok else 0.0
    return result


def _day_of(period) -> datetime.date:
    if period is None:
        return timezone.localdate()
    end = getattr(period, "end", period)
    if isinstance(end, datetime.datetime):
        # The period is half-open [start, end): its last day is the day before ``end``.
        return (end - datetime.timedelta(microseconds=1)).date()
    return end
