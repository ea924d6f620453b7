"""Per-tenant periodic jobs: schedules as data, one dispatcher, idempotent runs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from channelhub.partners.models import PartnerStatusSnapshot
from channelhub.schedule import beat_schedule
from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.jobs import next_run_after, period_before, registered_jobs
from channelhub.tenancy.models import Cadence, JobSchedule
from channelhub.tenancy.tasks import dispatch_due_jobs
from tests.factories import PartnerFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    ("now_local", "cadence", "expected_local"),
    [
        (datetime(2026, 3, 10, 1, 30), Cadence.DAILY, datetime(2026, 3, 10, 2, 0)),
        (datetime(2026, 3, 10, 2, 0), Cadence.DAILY, datetime(2026, 3, 11, 2, 0)),
        (datetime(2026, 3, 10, 9, 15), Cadence.HOURLY, datetime(2026, 3, 10, 10, 0)),
        (datetime(2026, 3, 11, 9, 0), Cadence.WEEKLY, datetime(2026, 3, 16, 2, 0)),  # Wed → next Mon
        (datetime(2026, 3, 16, 1, 0), Cadence.WEEKLY, datetime(2026, 3, 16, 2, 0)),  # Mon before the hour
        (datetime(2026, 12, 5, 0, 0), Cadence.MONTHLY, datetime(2027, 1, 1, 2, 0)),
        (datetime(2026, 1, 1, 1, 0), Cadence.MONTHLY, datetime(2026, 1, 1, 2, 0)),
    ],
)
def test_next_run_is_computed_in_the_tenant_time_zone(now_local, cadence, expected_local):
    moment = now_local.replace(tzinfo=SHANGHAI)
    result = next_run_after(moment, cadence=cadence, hour=2, tz=SHANGHAI)
    assert result == expected_local.replace(tzinfo=SHANGHAI).astimezone(UTC)


def test_a_new_tenant_gets_every_registered_job(tenant):
    with tenant_scope(tenant):
        jobs = set(JobSchedule.objects.values_list("job", flat=True))
    assert jobs == set(registered_jobs())
    assert "partners.status_snapshot" in jobs


def test_beat_schedule_only_starts_the_dispatcher():
    schedule = beat_schedule()
    assert [entry["task"] for entry in schedule.values()] == ["channelhub.tenancy.tasks.dispatch_due_jobs"]
    assert schedule["dispatch-due-tenant-jobs"]["options"]["expires"] == 90


def _make_due(tenant, job="partners.status_snapshot"):
    with tenant_scope(tenant):
        schedule = JobSchedule.objects.get(job=job)
        schedule.next_run_at = timezone.now() - timedelta(minutes=1)
        schedule.save()
    return schedule


def test_dispatcher_runs_due_jobs_once_per_tenant_and_advances_the_schedule(
    tenant, other_tenant, django_capture_on_commit_callbacks
):
    with tenant_scope(tenant):
        PartnerFactory.create_batch(3)
    with tenant_scope(other_tenant):
        PartnerFactory()
    _make_due(tenant)
    _make_due(other_tenant)

    with django_capture_on_commit_callbacks(execute=True):
        assert dispatch_due_jobs() == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert dispatch_due_jobs() == 0  # claimed: nothing due any more

    with tenant_scope(tenant):
        counts = dict(PartnerStatusSnapshot.objects.values_list("status", "count"))
        schedule = JobSchedule.objects.get(job="partners.status_snapshot")
    assert counts["prospect"] == 3
    assert schedule.next_run_at > timezone.now()
    assert schedule.last_run_at is not None and schedule.last_outcome["values"]["partners"] == 3
    with tenant_scope(other_tenant):
        assert dict(PartnerStatusSnapshot.objects.values_list("status", "count"))["prospect"] == 1


def test_disabled_schedules_and_inactive_tenants_are_skipped(tenant, other_tenant):
    schedule = _make_due(tenant)
    with tenant_scope(tenant):
        schedule.enabled = False
        schedule.save()
    _make_due(other_tenant)
    other_tenant.is_active = False
    other_tenant.save()
    assert dispatch_due_jobs() == 0


def test_rerunning_a_day_overwrites_instead_of_adding(in_tenant):
    from channelhub.partners.jobs import partner_status_snapshot

    PartnerFactory.create_batch(2)
    run_at = timezone.now()
    partner_status_snapshot(tenant=in_tenant, run_at=run_at)
    PartnerFactory()
    partner_status_snapshot(tenant=in_tenant, run_at=run_at)
    rows = PartnerStatusSnapshot.objects.filter(status="prospect")
    assert [(row.count) for row in rows] == [3]


def test_tenant_task_refuses_a_missing_tenant_id():
    from channelhub.tenancy.tasks import run_tenant_job

    with pytest.raises(TypeError):
        run_tenant_job.run("not-an-id", 1, timezone.now().isoformat())


@pytest.mark.parametrize(
    ("now_local", "cadence", "expected_local"),
    [
        (datetime(2026, 11, 29, 9, 0), Cadence.QUARTERLY, datetime(2027, 1, 1, 2, 0)),
        (datetime(2026, 4, 1, 1, 0), Cadence.QUARTERLY, datetime(2026, 4, 1, 2, 0)),
        (datetime(2026, 4, 1, 2, 0), Cadence.QUARTERLY, datetime(2026, 7, 1, 2, 0)),
        (datetime(2026, 1, 1, 1, 0), Cadence.YEARLY, datetime(2026, 1, 1, 2, 0)),
        (datetime(2026, 6, 15, 0, 0), Cadence.YEARLY, datetime(2027, 1, 1, 2, 0)),
    ],
)
def test_quarterly_and_yearly_runs_fall_on_the_first_day_of_their_period(now_local, cadence, expected_local):
    moment = now_local.replace(tzinfo=SHANGHAI)
    assert next_run_after(moment, cadence=cadence, hour=2, tz=SHANGHAI) == expected_local.replace(
        tzinfo=SHANGHAI).astimezone(UTC)


@pytest.mark.parametrize(
    ("run_local", "cadence", "key", "start", "end"),
    [
        (datetime(2027, 1, 1, 2), Cadence.QUARTERLY, "2026-Q4", datetime(2026, 10, 1), datetime(2027, 1, 1)),
        (datetime(2026, 7, 1, 2), Cadence.QUARTERLY, "2026-Q2", datetime(2026, 4, 1), datetime(2026, 7, 1)),
        (datetime(2027, 1, 1, 2), Cadence.YEARLY, "2026", datetime(2026, 1, 1), datetime(2027, 1, 1)),
        (datetime(2026, 12, 1, 2), Cadence.MONTHLY, "2026-11", datetime(2026, 11, 1), datetime(2026, 12, 1)),
        (datetime(2026, 11, 30, 2), Cadence.WEEKLY, "2026-W48", datetime(2026, 11, 23), datetime(2026, 11, 30)),
        (datetime(2026, 11, 29, 2), Cadence.DAILY, "2026-11-28", datetime(2026, 11, 28), datetime(2026, 11, 29)),
    ],
)
def test_a_run_covers_the_whole_period_before_it(run_local, cadence, key, start, end):
    period = period_before(cadence, run_local.replace(tzinfo=SHANGHAI), SHANGHAI)
    assert period.key == key
    assert (period.start, period.end) == (start.replace(tzinfo=SHANGHAI), end.replace(tzinfo=SHANGHAI))


def test_a_job_registered_after_the_tenants_exist_is_scheduled_for_each_of_them(tenant, other_tenant):
    from channelhub.tenancy import jobs

    @jobs.tenant_job("scratch.quarterly_review", label="Scratch", cadence=Cadence.QUARTERLY)
    def scratch(*, tenant, run_at):
        return "ok"

    try:
        dispatch_due_jobs()
        for each in (tenant, other_tenant):
            with tenant_scope(each):
                schedule = JobSchedule.objects.get(job="scratch.quarterly_review")
                assert schedule.cadence == Cadence.QUARTERLY
                assert schedule.next_run_at.astimezone(each.zone).day == 1
        assert jobs.ensure_all_job_schedules() == 0  # nothing missing any more: nothing written
    finally:
        jobs._registry.pop("scratch.quarterly_review")


def test_the_last_outcome_reads_in_each_readers_language():
    from django.utils import translation

    from channelhub.tenancy.jobs import describe_outcome, outcome

    stored = outcome("dashboard figures computed: %(figures)s", figures=12).as_json()
    with translation.override("en"):
        english = describe_outcome(stored)
    with translation.override("zh-hans"):
        chinese = describe_outcome(stored)
    assert english == "dashboard figures computed: 12"
    assert "12" in chinese and chinese != english and "%(" not in chinese
    assert describe_outcome({}) == ""  # never run yet


def test_a_job_answering_finished_text_is_refused_and_nothing_is_stored(tenant, monkeypatch):
    """The runner keeps message and values; an English sentence would reach Chinese readers as is."""
    from channelhub.tenancy import jobs
    from channelhub.tenancy.tasks import run_tenant_job

    job = jobs.registered_jobs()["partners.status_snapshot"]
    monkeypatch.setitem(jobs._registry, job.key, jobs.RegisteredJob(
        job.key, job.label, lambda **kwargs: "3 partners", job.default_cadence, job.default_hour))
    with tenant_scope(tenant):
        schedule = JobSchedule.objects.get(job=job.key)
    with pytest.raises(TypeError):
        run_tenant_job.run(tenant.pk, schedule.pk, timezone.now().isoformat())
    schedule.refresh_from_db()
    assert schedule.last_outcome == {} and schedule.last_run_at is None
