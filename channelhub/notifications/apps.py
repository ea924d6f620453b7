from django.utils.translation import gettext_lazy as _

from channelhub.chapters import ChapterConfig


class NotificationsConfig(ChapterConfig):
    """A core service every chapter uses; its portal pages are mounted at ``/portal/notifications/``."""

    name = "channelhub.notifications"
    label = "notifications"
    verbose_name = _("Notifications")
    portal_urls = "channelhub.notifications.urls"

    def ready(self) -> None:
        from . import panels, permissions  # noqa: F401  (portal navigation and home panel, permissions)
