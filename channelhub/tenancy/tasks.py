"""The job dispatcher (run by beat every minute) and the per-tenant job runner."""

from __future__ import annotations

import logging
from datetime import datetime

from celery import shared_task
from django.db import transaction
from django.utils import timezone, translation

from channelhub.tasks import enqueue, tenant_task

from .jobs import JobOutcome, ensure_all_job_schedules, next_run_after, registered_jobs
from .models import JobSchedule, Tenant

log = logging.getLogger(__name__)


@shared_task(name="channelhub.tenancy.tasks.dispatch_due_jobs")
def dispatch_due_jobs() -> int:
    """Claim every due schedule row and start its job; return how many were started.

    Claiming advances ``next_run_at`` with a conditional update, so two overlapping
    dispatchers (or a redelivered dispatch) cannot start the same run twice.
    """
    # Jobs registered since the tenants were created (a new chapter) get their rows first.
    ensure_all_job_schedules()
    now = timezone.now()
    started = 0
    due = (
        JobSchedule.all_tenants.select_related("tenant")
        .filter(enabled=True, next_run_at__lte=now, tenant__is_active=True)
        .order_by("next_run_at")
    )
    jobs = registered_jobs()
    for schedule in due:
        if schedule.job not in jobs:
            continue
        following = next_run_after(
            now, cadence=schedule.cadence, hour=schedule.hour, tz=schedule.tenant.zone
        )
        with transaction.atomic():
            claimed = JobSchedule.all_tenants.filter(
                pk=schedule.pk, next_run_at=schedule.next_run_at
            ).update(next_run_at=following)
            if claimed:
                enqueue(run_tenant_job, schedule.tenant_id, schedule.pk, schedule.next_run_at.isoformat())
                started += 1
    return started


@tenant_task(name="channelhub.tenancy.tasks.run_tenant_job")
def run_tenant_job(tenant_id: int, schedule_id: int, due_at: str) -> dict:
    """Run one tenant's job for the run that was due at ``due_at`` (the period key)."""
    schedule = JobSchedule.objects.get(pk=schedule_id)
    job = registered_jobs()[schedule.job]
    tenant = Tenant.objects.get(pk=tenant_id)
    result = job.function(tenant=tenant, run_at=datetime.fromisoformat(due_at))
    if not isinstance(result, JobOutcome):
        raise TypeError(f"job {schedule.job} answered {type(result).__name__}, not a JobOutcome")
    JobSchedule.objects.filter(pk=schedule.pk).update(last_run_at=timezone.now(), last_outcome=result.as_json())
    with translation.override("en"):
        log.info("tenant %s job %s: %s", tenant_id, schedule.job, result)
    return result.as_json()
