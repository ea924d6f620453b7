"""The service level job (``cooperation.service_sla``, hourly), idempotent.

Every unresolved service ticket whose resolution due time has passed is flagged once
(``breached_at`` is claimed with a conditional update, so a re-run, an overlapping run or a
redelivered task flags and notifies nothing twice); the partner's channel manager and
administrators are told, and the work queue "Service tickets past their SLA" lists it until it
is resolved.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from channelhub.tenancy.jobs import JobOutcome, outcome, tenant_job
from channelhub.tenancy.models import Cadence, Tenant

from .services.service import flag_breaches


@tenant_job("cooperation.service_sla", label=_("Service tickets: flag SLA breaches"), cadence=Cadence.HOURLY)
def service_sla(*, tenant: Tenant, run_at: datetime.datetime) -> JobOutcome:
    # A late run (a backlog) flags everything overdue by now; a run for a later moment, what is due by then.
    flagged = flag_breaches(now=max(run_at, timezone.now()))
    return outcome(gettext_noop("service tickets flagged past their SLA: %(flagged)s"), flagged=flagged)
