"""A real Celery worker over Redis runs the dispatcher and a tenant's job end to end.

Runs when REDIS_URL is set (CI sets it); skipped on the embedded default.
"""

from __future__ import annotations

import os
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from channelhub.celery import app
from channelhub.partners.models import PartnerStatusSnapshot
from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.models import JobSchedule
from channelhub.tenancy.tasks import dispatch_due_jobs
from tests.factories import PartnerFactory

REDIS_URL = os.environ.get("REDIS_URL")

pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(not REDIS_URL, reason="needs a real Redis broker: set REDIS_URL"),
    pytest.mark.xdist_group("celery-worker"),
]


@pytest.fixture
def live_worker(transactional_db):
    from celery.contrib.testing.worker import start_worker

    previous = {key: app.conf[key] for key in ("task_always_eager", "broker_url", "result_backend")}
    app.conf.update(task_always_eager=False, broker_url=REDIS_URL, result_backend=REDIS_URL)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            yield app
    finally:
        app.conf.update(previous)


def test_worker_dispatches_and_runs_a_tenant_job(tenant, live_worker):
    with tenant_scope(tenant):
        PartnerFactory.create_batch(4)
        schedule = JobSchedule.objects.get(job="partners.status_snapshot")
        schedule.next_run_at = timezone.now() - timedelta(minutes=1)
        schedule.save()

    started = dispatch_due_jobs.delay().get(timeout=30)
    assert started == 1

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with tenant_scope(tenant):
            if PartnerStatusSnapshot.objects.filter(status="prospect", count=4).exists():
                break
        time.sleep(0.2)
    else:
        pytest.fail("the worker did not run the tenant's snapshot job")
    with tenant_scope(tenant):
        assert JobSchedule.objects.get(pk=schedule.pk).last_run_at is not None
