"""A task whose worker died is handed out again, but never while it may still be running."""

from __future__ import annotations

from django.conf import settings

from channelhub.celery import app


def test_a_lost_task_returns_to_the_queue_only_after_its_longest_possible_run():
    app.loader.import_default_modules()  # every app's tasks module registers its tasks
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    ours = {name: task for name, task in app.tasks.items() if not name.startswith("celery.")}
    assert "evaluation.tasks.compute_review_cycle" in ours
    for name, task in ours.items():
        limit = task.time_limit or app.conf.task_time_limit
        assert limit, f"{name} has no hard time limit: a stuck run would hold its message forever"
        assert limit < visibility, f"{name} may run {limit} s, past Redis's visibility timeout ({visibility} s)"
        assert task.acks_late, f"{name} is acknowledged before it runs: a killed worker loses it"
