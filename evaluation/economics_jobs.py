"""The periodic rollups of channel cost and return and of coverage (``@tenant_job``).

``evaluation.channel_economics`` (monthly) computes the month that just ended, in the tenant's
time zone; ``evaluation.coverage`` (daily) recounts every coverage target. Both replace their
rows, so a second run or a redelivered task writes the same figures again and never adds.
"""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from channelhub.tenancy.jobs import JobOutcome, outcome, period_before, tenant_job
from channelhub.tenancy.models import Cadence, Tenant

ECONOMICS_JOB = "evaluation.channel_economics"
COVERAGE_JOB = "evaluation.coverage"


@tenant_job(ECONOMICS_JOB, label=_("Channel cost and return"), cadence=Cadence.MONTHLY, hour=4)
def channel_economics(*, tenant: Tenant, run_at: datetime) -> JobOutcome:
    from .services.economics import economics_compute

    period = period_before(Cadence.MONTHLY, run_at, tenant.zone)
    written = economics_compute(tenant=tenant, period_key=period.key, actor=None)
    return outcome(gettext_noop("cost and return for %(period)s: partners computed: %(written)s"),
                   period=period.key, written=written)


@tenant_job(COVERAGE_JOB, label=_("Coverage gaps"), cadence=Cadence.DAILY, hour=5)
def coverage(*, tenant: Tenant, run_at: datetime) -> JobOutcome:
    from .services.coverage import coverage_compute

    return outcome(gettext_noop("coverage targets computed: %(targets)s"),
                   targets=coverage_compute(tenant=tenant, actor=None))
