"""The Celery application. Broker from the environment; eager (in-process) when none is set."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "channelhub.settings.dev")

app = Celery("channelhub")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect
def _install_beat_schedule(sender, **kwargs) -> None:
    from channelhub.schedule import beat_schedule

    sender.conf.beat_schedule = beat_schedule()
