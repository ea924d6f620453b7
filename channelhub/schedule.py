"""The whole Celery beat schedule, declared in one place.

Beat only starts dispatchers. What each tenant runs and when is data (``JobSchedule``,
edited in the admin); the dispatcher starts the per-tenant work that is due. Each entry
expires after 1.5x its interval so a backlog after an outage does not run it many times.
"""

from celery.schedules import crontab

DISPATCH_EVERY_SECONDS = 60


def beat_schedule() -> dict:
    return {
        "dispatch-due-tenant-jobs": {
            "task": "channelhub.tenancy.tasks.dispatch_due_jobs",
            "schedule": crontab(),  # every minute
            "options": {"expires": DISPATCH_EVERY_SECONDS * 1.5},
        },
    }
