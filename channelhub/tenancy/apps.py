from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenancyConfig(AppConfig):
    name = "channelhub.tenancy"
    label = "tenancy"
    verbose_name = _("Tenancy and access")

    def ready(self) -> None:
        from . import permissions, signals  # noqa: F401
