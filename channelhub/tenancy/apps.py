from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenancyConfig(AppConfig):
    name = "channelhub.tenancy"
    label = "tenancy"
    verbose_name = _("Tenancy and access")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import permissions, signals  # noqa: F401

        post_migrate.connect(_schedule_new_jobs, sender=self)


def _schedule_new_jobs(**kwargs) -> None:
    """After ``migrate``: existing tenants get the schedule rows of jobs registered since (a new chapter)."""
    from .jobs import ensure_all_job_schedules

    ensure_all_job_schedules()
