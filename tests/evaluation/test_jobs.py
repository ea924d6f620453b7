"""The periodic review job: the cadence is data, a rerun for the same period changes nothing."""

from __future__ import annotations

import datetime

import pytest

from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.jobs import ensure_job_schedules, registered_jobs
from channelhub.tenancy.models import Cadence, JobSchedule
from evaluation.jobs import JOB_KEY, review_cycle
from evaluation.models import CycleState, KpiResult, PartnerScore, ReviewCycle
from evaluation.tasks import compute_review_cycle
from tests.evaluation.conftest import make_kpi, make_partners, make_scorecard

pytestmark = pytest.mark.django_db


def test_the_job_is_registered_quarterly_by_default():
    job = registered_jobs()[JOB_KEY]
    assert job.default_cadence == Cadence.QUARTERLY
    assert compute_review_cycle.acks_late and compute_review_cycle.time_limit


def test_running_the_job_twice_changes_nothing(tenant, figures, django_capture_on_commit_callbacks):
    with tenant_scope(tenant):
        ensure_job_schedules(tenant)
        JobSchedule.objects.filter(job=JOB_KEY).update(cadence=Cadence.MONTHLY)
        partners = make_partners(3)
        kpi = make_kpi("sales", "test.sales")
        make_scorecard(lines=[(kpi, 1)])
    figures["test.sales"] = {p.pk: 70 for p in partners}
    run_at = datetime.datetime(2026, 12, 1, 3, tzinfo=datetime.UTC)
    with django_capture_on_commit_callbacks(execute=True):
        first = review_cycle(tenant=tenant, run_at=run_at)
    with tenant_scope(tenant):
        cycle = ReviewCycle.objects.get()
        assert (cycle.period_key, cycle.cadence, cycle.state) == ("2026-11", Cadence.MONTHLY, CycleState.COMPUTED)
        before = sorted(KpiResult.objects.values_list("id", "partner_id", "normalised"))
    with django_capture_on_commit_callbacks(execute=True):
        second = review_cycle(tenant=tenant, run_at=run_at)
    # A redelivered compute task for the same cycle is harmless as well.
    assert "already" in compute_review_cycle(tenant.pk, cycle.pk)
    with tenant_scope(tenant):
        assert ReviewCycle.objects.count() == 1 and PartnerScore.objects.count() == 3
        assert sorted(KpiResult.objects.values_list("id", "partner_id", "normalised")) == before
    assert "started" in first.message and "already" in second.message
