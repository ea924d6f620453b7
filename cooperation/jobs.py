"""Periodic per-tenant jobs of cooperation (scheduled through ``JobSchedule``; see ``channelhub.tenancy.jobs``).

Each is idempotent: a re-run the same day changes nothing more and sends nothing again.

- ``cooperation.agreement_expiry``: agreements ending within the tenant's reminder days become
  *expiring*; those whose term has ended become *expired*.
- ``cooperation.expiry_reminders``: one e-mail per agreement and end date (an extended term
  is reminded again), recorded in ``AgreementReminder`` before it is sent.
- ``cooperation.renewal_drafts``: an expiring agreement gets one renewal draft from the
  current version of its template.
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from channelhub.tenancy.jobs import JobOutcome, outcome, tenant_job
from channelhub.tenancy.models import Cadence, Tenant

from . import selectors, services
from .models import Agreement, AgreementReminder, AgreementState


def _today(tenant: Tenant, run_at: datetime.datetime) -> datetime.date:
    return run_at.astimezone(tenant.zone).date()


@tenant_job("cooperation.agreement_expiry", label=_("Agreements: mark expiring and expired"),
            cadence=Cadence.DAILY, hour=1)
def agreement_expiry(*, tenant: Tenant, run_at: datetime.datetime) -> JobOutcome:
    today = _today(tenant, run_at)
    expired = expiring = 0
    for agreement in Agreement.objects.filter(state__in=[AgreementState.ACTIVE, AgreementState.EXPIRING],
                                              end_date__lt=today):
        services.agreement_expire(agreement=agreement)
        expired += 1
    for agreement in selectors.expiring_soon(today=today, days=selectors.reminder_days()).filter(
            state=AgreementState.ACTIVE, end_date__gte=today):
        services.agreement_mark_expiring(agreement=agreement)
        expiring += 1
    return outcome(gettext_noop("%(day)s: agreements expiring: %(expiring)s; expired: %(expired)s"),
                   day=today, expiring=expiring, expired=expired)


@tenant_job("cooperation.expiry_reminders", label=_("Agreements: reminders before expiry"),
            cadence=Cadence.DAILY, hour=8)
def expiry_reminders(*, tenant: Tenant, run_at: datetime.datetime) -> JobOutcome:
    from .notifications import send_expiry_reminder

    today = _today(tenant, run_at)
    sent = 0
    due = selectors.expiring_soon(today=today, days=selectors.reminder_days()).filter(end_date__gte=today)
    for agreement in due.select_related("partner__owner", "tenant"):
        try:
            with transaction.atomic():
                AgreementReminder.objects.create(agreement=agreement, kind="expiry",
                                                 key=agreement.end_date.isoformat())
        except IntegrityError:
            continue  # reminded already for this end date
        send_expiry_reminder(agreement)
        sent += 1
    return outcome(gettext_noop("%(day)s: expiry reminders sent: %(sent)s"), day=today, sent=sent)


@tenant_job("cooperation.renewal_drafts", label=_("Agreements: renewal drafts"), cadence=Cadence.DAILY, hour=2)
def renewal_drafts(*, tenant: Tenant, run_at: datetime.datetime) -> JobOutcome:
    made = 0
    for agreement in Agreement.objects.filter(state=AgreementState.EXPIRING, renewals__isnull=True).distinct():
        if selectors.current_template_of(agreement.template.code if agreement.template_id else "") is None and \
                selectors.template_for(agreement.partner) is None:
            continue
        services.agreement_renew(agreement=agreement, actor=None)
        made += 1
    return outcome(gettext_noop("renewal drafts made: %(made)s"), made=made)
