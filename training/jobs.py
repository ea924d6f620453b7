"""Training's periodic jobs (``@tenant_job``; schedules are data, editable in the admin).

Each is idempotent: reminders are recorded once per (kind, object, person) before they are
sent, so a re-run or a redelivered task sends nothing more; the lapse check keeps one open
lapse per (partner, requirement) however often it runs.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from channelhub.tenancy.jobs import JobOutcome, outcome, tenant_job
from channelhub.tenancy.models import Cadence, Tenant

from . import notifications, selectors, services
from .models import EnrolmentState

# How long before a session its trainees are reminded.
SESSION_REMINDER_HOURS = 48


@tenant_job("training.session_reminders", label=_("Training session reminders"), cadence=Cadence.HOURLY)
def session_reminders(*, tenant: Tenant, run_at: datetime) -> JobOutcome:
    """Remind enrolled trainees of sessions starting within 48 hours; close attempts whose time ran out."""
    upcoming = selectors.enrolment_list().select_related("session__tenant").filter(
        state=EnrolmentState.ENROLLED, session__is_cancelled=False, session__starts_at__gt=run_at,
        session__starts_at__lte=run_at + timedelta(hours=SESSION_REMINDER_HOURS))
    sent = sum(notifications.remind_session(enrolment) for enrolment in upcoming)
    expired = services.attempts_expire(tenant=tenant)
    return outcome(gettext_noop("session reminders sent: %(sent)s; assessment attempts closed: %(expired)s"),
                   sent=sent, expired=expired)


@tenant_job("training.certificate_expiry", label=_("Certificate expiry reminders"), cadence=Cadence.DAILY, hour=8)
def certificate_expiry_reminders(*, tenant: Tenant, run_at: datetime) -> JobOutcome:
    """Remind holders whose certificate entered its recertification window (once per certificate)."""
    day = run_at.astimezone(tenant.zone).date()
    expiring = selectors.certificates_expiring(day=day).select_related("certification__tenant")
    sent = sum(notifications.remind_certificate(certificate) for certificate in expiring)
    return outcome(gettext_noop("certificate reminders sent: %(sent)s"), sent=sent)


@tenant_job("training.qualification_lapses", label=_("Qualification lapse check"), cadence=Cadence.DAILY, hour=3)
def qualification_lapses(*, tenant: Tenant, run_at: datetime) -> JobOutcome:
    """Flag partners short of the certified staff their type requires; clear those that caught up."""
    result = services.qualification_lapse_check(tenant=tenant, day=run_at.astimezone(tenant.zone).date())
    return outcome(gettext_noop("qualification lapses opened: %(opened)s; resolved: %(resolved)s"),
                   opened=result["opened"], resolved=result["resolved"])
