from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "channelhub.partners"
    label = "partners"
    verbose_name = _("Partners")

    def ready(self) -> None:
        from . import dashboard, jobs, permissions  # noqa: F401  (register widgets, periodic jobs, permissions)
