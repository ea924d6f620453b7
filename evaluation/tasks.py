"""Evaluation's Celery task: compute one review cycle (ids only, tenant id first)."""

from __future__ import annotations

import logging

from channelhub.tasks import tenant_task

log = logging.getLogger(__name__)

# A 100,000-partner cycle took about two minutes on a loaded 2-core machine (docs/evaluation.md,
# Benchmark); the limits stop a stuck run so the redelivered task (acks_late) can take the
# cycle again: everything it wrote rolls back.
SOFT_TIME_LIMIT = 15 * 60
TIME_LIMIT = 16 * 60


@tenant_task(name="evaluation.tasks.compute_review_cycle", acks_late=True, reject_on_worker_lost=True,
             soft_time_limit=SOFT_TIME_LIMIT, time_limit=TIME_LIMIT)
def compute_review_cycle(tenant_id: int, cycle_id: int) -> str:
    """Compute the cycle unless it is already computed or beyond (a redelivery is harmless)."""
    from .models import CycleState, ReviewCycle
    from .services import CycleBusy, cycle_compute

    cycle = ReviewCycle.objects.filter(pk=cycle_id).first()
    if cycle is None:
        return "no such cycle"
    if cycle.state != CycleState.SCHEDULED:
        return f"cycle {cycle.period_key} already {cycle.state}"
    try:
        cycle = cycle_compute(cycle=cycle, actor=None)
    except CycleBusy:
        return f"cycle {cycle.period_key} is being computed by another run"
    log.info("review cycle %s of tenant %s: %s partners", cycle.period_key, tenant_id, cycle.partner_count)
    return f"cycle {cycle.period_key}: {cycle.partner_count} partners scored"
