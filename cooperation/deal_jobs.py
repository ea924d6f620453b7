"""The deal protection job (``cooperation.deal_protection``, daily), idempotent.

Approved registrations whose protection period ended before today (in the tenant's zone)
expire: the customer returns to the open pool, and another partner's registration of it no
longer collides. Each registration moves with a compare-and-swap on its state, so a second run
the same day, or a redelivered task, moves nothing again; the partner's administrators are told
once per registration (only the run that moved it tells).
"""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from channelhub.notifications.registry import notification_kind
from channelhub.notifications.services import notify
from channelhub.tenancy.jobs import JobOutcome, outcome, tenant_job
from channelhub.tenancy.models import Cadence, Membership, Tenant, User
from channelhub.tenancy.roles import Role

from .models import DealRegistration, DealState
from .services.deals import deals_expire

DEAL_EXPIRED = notification_kind("cooperation.deal_expired", _("Deal registration expired")).key


@tenant_job("cooperation.deal_protection", label=_("Deal registrations: expire ended protection periods"),
            cadence=Cadence.DAILY, hour=6)
def deal_protection(*, tenant: Tenant, run_at: datetime.datetime) -> JobOutcome:
    today = run_at.astimezone(tenant.zone).date()
    started = timezone.now()
    moved = deals_expire(tenant=tenant, today=today)
    if moved:
        expired = DealRegistration.objects.filter(state=DealState.EXPIRED, state_changed_at__gte=started)
        for registration in expired.select_related("partner"):
            users = User.objects.filter(pk__in=Membership.objects.filter(
                partner_id=registration.partner_id, role=Role.PARTNER_ADMIN, is_active=True).values("user_id"),
                is_active=True)
            notify(recipients=list(users), kind=DEAL_EXPIRED,
                   title=_("Deal registration %(number)s expired"),
                   body=_("The protection of your registration of %(customer)s ended; the customer is open to "
                          "every partner again."),
                   params={"number": registration.number, "customer": registration.customer_name},
                   url=reverse("cooperation-portal:deal", args=[registration.pk]))
    return outcome(gettext_noop("%(day)s: deal registrations expired: %(moved)s"), day=today, moved=moved)
