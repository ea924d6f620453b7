"""Per-tenant periodic jobs: a registry of job functions and their schedules as data.

Celery beat runs one dispatcher (``channelhub.tenancy.tasks.dispatch_due_jobs``); it reads
``JobSchedule`` rows, claims the due ones and starts one task per (tenant, job). A job is
registered with ``@tenant_job(...)``, gets a default cadence and is scheduled for every
tenant; tenants change cadence, hour and enabled in the admin.

Jobs must be idempotent per (tenant, period): they receive the period they are for and a
re-run for the same period must not double-count.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.utils import timezone

from .models import Cadence, JobSchedule, Tenant

JobFunction = Callable[..., str]


@dataclass(frozen=True)
class RegisteredJob:
    key: str
    label: str
    function: JobFunction
    default_cadence: str
    default_hour: int


_registry: dict[str, RegisteredJob] = {}


def tenant_job(key: str, *, label: str, cadence: str = Cadence.DAILY, hour: int = 2):
    """Register ``function(*, tenant, run_at) -> str`` (a short status) as a periodic job."""

    def decorator(function: JobFunction) -> JobFunction:
        _registry[key] = RegisteredJob(key, label, function, cadence, hour)
        return function

    return decorator


def registered_jobs() -> dict[str, RegisteredJob]:
    return dict(_registry)


def next_run_after(moment: datetime, *, cadence: str, hour: int, tz) -> datetime:
    """The first run time strictly after ``moment`` for the cadence, in the tenant's zone."""
    local = moment.astimezone(tz)
    if cadence == Cadence.HOURLY:
        return (local.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)).astimezone(
            UTC
        )
    candidate = local.replace(hour=hour, minute=0, second=0, microsecond=0)
    if cadence == Cadence.DAILY:
        while candidate <= local:
            candidate += timedelta(days=1)
    elif cadence == Cadence.WEEKLY:
        candidate -= timedelta(days=candidate.weekday())
        while candidate <= local:
            candidate += timedelta(days=7)
    elif cadence == Cadence.MONTHLY:
        candidate = candidate.replace(day=1)
        while candidate <= local:
            year, month = divmod(candidate.month, 12)
            candidate = candidate.replace(year=candidate.year + year, month=month + 1)
    else:
        raise ValueError(f"Unknown cadence {cadence!r}")
    return candidate.astimezone(UTC)


def ensure_job_schedules(tenant: Tenant) -> list[JobSchedule]:
    """Give ``tenant`` a schedule row for every registered job it does not have yet.

    Runs inside the tenant's scope.
    """
    existing = set(JobSchedule.objects.values_list("job", flat=True))
    created = []
    now = timezone.now()
    for job in _registry.values():
        if job.key in existing:
            continue
        schedule = JobSchedule(
            job=job.key, cadence=job.default_cadence, hour=job.default_hour,
            next_run_at=next_run_after(
                now, cadence=job.default_cadence, hour=job.default_hour, tz=tenant.zone
            ),
        )
        schedule.save()
        created.append(schedule)
    return created
