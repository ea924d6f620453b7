"""Overlapping runs of one cycle: the second stops instead of computing alongside (PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from channelhub.tenancy.context import tenant_scope
from evaluation.models import CycleState, PartnerScore, ReviewCycle
from evaluation.services import CycleBusy, cycle_compute
from tests.evaluation.conftest import make_cycle, make_kpi, make_partners, make_scorecard

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def test_a_second_run_while_the_first_holds_the_lock_is_refused(tenant, figures):
    with tenant_scope(tenant):
        partners = make_partners(2)
        kpi = make_kpi("sales", "test.sales")
        make_scorecard(lines=[(kpi, 1)])
        cycle = make_cycle()
    figures["test.sales"] = {p.pk: 50 for p in partners}
    holding, release, errors = threading.Event(), threading.Event(), []

    def first_run():
        try:
            with tenant_scope(tenant), transaction.atomic():
                ReviewCycle.objects.select_for_update().get(pk=cycle.pk)  # what a running compute holds
                holding.set()
                release.wait(30)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=first_run)
    thread.start()
    assert holding.wait(30)
    try:
        with pytest.raises(CycleBusy):
            cycle_compute(cycle=cycle, actor=None)
    finally:
        release.set()
        thread.join(30)
    assert not errors
    with tenant_scope(tenant):
        assert ReviewCycle.objects.get(pk=cycle.pk).state == CycleState.SCHEDULED
        assert not PartnerScore.objects.exists()
    cycle_compute(cycle=cycle, actor=None)  # once the lock is free, the run goes through
    with tenant_scope(tenant):
        assert PartnerScore.objects.count() == 2
