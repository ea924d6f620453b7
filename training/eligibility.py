"""Training's answer to the platform's eligibility question (``channelhub.eligibility``).

A partner is qualified for a requirement when, for every qualification requirement of its
partner type that applies (the general ones and those declared for that requirement),
at least ``min_staff`` of its staff hold a valid certificate. One of its staff is qualified
when they hold a valid certificate of each certification those requirements name.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from channelhub import tiers
from channelhub.eligibility import Answer, register_provider
from channelhub.tenancy.models import Membership
from channelhub.tenancy.roles import PARTNER_ROLES

from . import selectors
from .models import Certificate
from .models.certificates import requirements_for


def partner_answer(partner, requirement: str) -> Answer | None:
    found = selectors.partner_qualification(partner, requirement)
    if not found.rows:
        return None
    return Answer(ok=found.ok, reasons=found.reasons)


def user_answer(user, requirement: str, tenant) -> Answer | None:
    membership = (Membership.objects.filter(user=user, role__in=sorted(PARTNER_ROLES), is_active=True)
                  .select_related("partner").first())
    if membership is None or membership.partner is None:
        return None  # tenant staff: partner-type requirements do not apply to them
    partner = membership.partner
    tier = tiers.codes_of([partner.pk]).get(partner.pk)
    requirements = list(selectors.requirement_list().filter(
        requirements_for(partner.partner_type, tier), purpose__in={"general", requirement}))
    if not requirements:
        return None
    today = timezone.localdate()
    held = set(Certificate.objects.filter(holder=user, revoked_at__isnull=True, issued_on__lte=today,
                                          expires_on__gte=today).values_list("certification_id", flat=True))
    missing = [r.certification for r in requirements if r.certification_id not in held]
    return Answer(ok=not missing, reasons=tuple(
        _("No valid certificate: %(certification)s") % {"certification": c} for c in missing))


register_provider("training", partner=partner_answer, user=user_answer)
