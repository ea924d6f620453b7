"""Per-tenant periodic jobs: a registry of job functions and their schedules as data.

Celery beat runs one dispatcher (``channelhub.tenancy.tasks.dispatch_due_jobs``); it reads
``JobSchedule`` rows, claims the due ones and starts one task per (tenant, job). A job is
registered with ``@tenant_job(...)``, gets a default cadence and is scheduled for every
tenant; tenants change cadence, hour and enabled in the admin.

Jobs must be idempotent per (tenant, period): they receive the time the run was due and a
re-run for the same period must not double-count. ``period_before(cadence, run_at, tz)``
names the period a run covers: the whole calendar period that ended when it was due, in
the tenant's time zone (a monthly run on 1 December covers November, key ``2026-11``; a
quarterly run on 1 January covers the fourth quarter, ``2026-Q4``; a yearly one the year,
``2026``; weekly runs cover Monday to Sunday, ``2026-W48``; daily ``2026-11-28``; hourly
``2026-11-29T09``).

A job answers what it did as a ``JobOutcome``: a message id (marked with ``gettext_noop``
where it is written, so the catalogues hold it) and its values. The schedule keeps both and
each reader sees the sentence in their own language; a finished run's text is never stored.

A job registered after tenants exist (a new chapter, an upgrade) gets its schedule rows
for every tenant: at ``migrate`` and, failing that, at the dispatcher's next run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext

from .context import tenant_scope
from .models import Cadence, JobSchedule, Tenant


@dataclass(frozen=True)
class JobOutcome:
    """What a run did: ``message`` (a msgid with ``%(name)s`` placeholders) and its values."""

    message: str
    values: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"message": self.message, "values": self.values}

    def __str__(self) -> str:
        return describe_outcome(self.as_json())


def outcome(message: str, **values: Any) -> JobOutcome:
    """``outcome(gettext_noop("%(sent)s reminders sent"), sent=3)``; dates are kept as ISO text."""
    return JobOutcome(message, {
        name: value.isoformat() if isinstance(value, date | datetime) else value for name, value in values.items()
    })


def describe_outcome(stored: dict[str, Any] | None) -> str:
    """A stored outcome as a sentence in the active language ("" before the first run)."""
    if not stored:
        return ""
    try:
        return gettext(stored["message"]) % stored.get("values", {})
    except (KeyError, TypeError, ValueError):
        # A message whose placeholders changed since the run: the values still say what happened.
        return ", ".join(f"{value}" for value in stored.get("values", {}).values())


JobFunction = Callable[..., JobOutcome]


@dataclass(frozen=True)
class RegisteredJob:
    key: str
    label: str
    function: JobFunction
    default_cadence: str
    default_hour: int


_registry: dict[str, RegisteredJob] = {}


def tenant_job(key: str, *, label: str, cadence: str = Cadence.DAILY, hour: int = 2):
    """Register ``function(*, tenant, run_at) -> JobOutcome`` as a periodic job."""

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
    elif cadence in _MONTHS_PER_PERIOD:
        step = _MONTHS_PER_PERIOD[cadence]
        # The first day of the period that contains ``local`` (periods start in January).
        candidate = candidate.replace(day=1, month=(local.month - 1) // step * step + 1)
        while candidate <= local:
            candidate = _add_months(candidate, step)
    else:
        raise ValueError(f"Unknown cadence {cadence!r}")
    return candidate.astimezone(UTC)


_MONTHS_PER_PERIOD = {Cadence.MONTHLY: 1, Cadence.QUARTERLY: 3, Cadence.YEARLY: 12}


def _add_months(moment: datetime, months: int) -> datetime:
    year, month = divmod(moment.month - 1 + months, 12)
    return moment.replace(year=moment.year + year, month=month + 1)


@dataclass(frozen=True)
class Period:
    """A half-open span of local time ``[start, end)`` and its key (``2026-Q4``), used for idempotency."""

    cadence: str
    start: datetime
    end: datetime
    key: str


def period_before(cadence: str, run_at: datetime, tz) -> Period:
    """The whole period that ended at or before ``run_at`` (what a run due then reports on)."""
    local = run_at.astimezone(tz)
    if cadence == Cadence.HOURLY:
        end = local.replace(minute=0, second=0, microsecond=0)
        start = end - timedelta(hours=1)
        return Period(cadence, start, end, start.strftime("%Y-%m-%dT%H"))
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    if cadence == Cadence.DAILY:
        start = midnight - timedelta(days=1)
        return Period(cadence, start, midnight, start.date().isoformat())
    if cadence == Cadence.WEEKLY:
        end = midnight - timedelta(days=midnight.weekday())
        start = end - timedelta(days=7)
        year, week, _day = start.isocalendar()
        return Period(cadence, start, end, f"{year}-W{week:02d}")
    if cadence in _MONTHS_PER_PERIOD:
        step = _MONTHS_PER_PERIOD[cadence]
        end = midnight.replace(day=1, month=(midnight.month - 1) // step * step + 1)
        start = _add_months(end, -step)
        if cadence == Cadence.MONTHLY:
            key = start.strftime("%Y-%m")
        elif cadence == Cadence.QUARTERLY:
            key = f"{start.year}-Q{(start.month - 1) // 3 + 1}"
        else:
            key = str(start.year)
        return Period(cadence, start, end, key)
    raise ValueError(f"Unknown cadence {cadence!r}")


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


def ensure_all_job_schedules() -> int:
    """Give every active tenant the rows of jobs registered after it was created; return how many.

    Cheap when nothing is missing (two counts), so the dispatcher can call it every minute.
    """
    tenants = Tenant.objects.filter(is_active=True)
    wanted = tenants.count() * len(_registry)
    have = JobSchedule.all_tenants.filter(tenant__is_active=True, job__in=list(_registry)).count()
    if have >= wanted:
        return 0
    created = 0
    for tenant in tenants:
        with tenant_scope(tenant, source="ensure_job_schedules"):
            created += len(ensure_job_schedules(tenant))
    return created
