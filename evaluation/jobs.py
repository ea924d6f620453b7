"""The periodic partner review (``@tenant_job``): the cadence is the tenant's ``JobSchedule`` row.

The platform's dispatcher, on the fixed beat schedule, starts this job for every tenant
whose review is due; the job names the period that just ended (``period_before``), finds
or creates its cycle (unique per tenant, cadence, period and scorecard version) and starts
the computation task. Running it twice for the same period starts nothing new: a cycle
already computed is left alone.
"""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from channelhub.tasks import enqueue
from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.jobs import JobOutcome, outcome, period_before, tenant_job
from channelhub.tenancy.models import Cadence, JobSchedule, Tenant

JOB_KEY = "evaluation.review_cycle"


@tenant_job(JOB_KEY, label=_("Periodic partner review"), cadence=Cadence.QUARTERLY, hour=3)
def review_cycle(*, tenant: Tenant, run_at: datetime) -> JobOutcome:
    from .models import CycleState
    from .services import cycle_for_period
    from .tasks import compute_review_cycle

    with tenant_scope(tenant, source=f"job:{JOB_KEY}"):
        schedule = JobSchedule.objects.filter(job=JOB_KEY).first()
    cadence = schedule.cadence if schedule is not None else Cadence.QUARTERLY
    if cadence not in (Cadence.MONTHLY, Cadence.QUARTERLY, Cadence.YEARLY):
        cadence = Cadence.QUARTERLY  # reviews cover whole months, quarters or years
    period = period_before(cadence, run_at, tenant.zone)
    cycle = cycle_for_period(tenant=tenant, period=period)
    if cycle.state != CycleState.SCHEDULED:
        return outcome(gettext_noop("review %(period)s already started earlier"), period=period.key)
    enqueue(compute_review_cycle, tenant.pk, cycle.pk)
    return outcome(gettext_noop("review %(period)s started"), period=period.key)
