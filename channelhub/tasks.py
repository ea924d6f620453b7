"""Shared Celery plumbing: tasks that run inside one tenant's scope.

Arguments are ids, tenant id first. Start them after the surrounding transaction commits
(``enqueue``), so a worker never looks for a row that is not yet visible.
"""

from __future__ import annotations

import functools

from celery import shared_task
from django.db import transaction

from channelhub.tenancy.context import tenant_scope


def tenant_task(*task_args, **task_options):
    """Declare a task whose first argument is the tenant id; its body runs in that scope."""
    options = {"acks_late": True, "reject_on_worker_lost": True, **task_options}

    def decorator(function):
        @shared_task(*task_args, **options)
        @functools.wraps(function)
        def run(tenant_id: int, *args, **kwargs):
            if not isinstance(tenant_id, int):
                raise TypeError("A tenant task takes the tenant id (int) as its first argument.")
            with tenant_scope(tenant_id, source=f"task:{function.__name__}"):
                return function(tenant_id, *args, **kwargs)

        return run

    return decorator


def enqueue(task, tenant_id: int, *args, **kwargs) -> None:
    """Start ``task(tenant_id, *args)`` once the current transaction commits."""
    transaction.on_commit(lambda: task.delay(tenant_id, *args, **kwargs))
