from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "channelhub.portal"
    label = "portal"
    verbose_name = _("Partner portal")

    def ready(self) -> None:
        # The portal's own navigation entries and home panel; the invitation-accepted notification.
        from . import nav, notices  # noqa: F401
