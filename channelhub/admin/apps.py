from django.contrib.admin.apps import AdminConfig


class ChannelHubAdminConfig(AdminConfig):
    default_site = "channelhub.admin.site.ChannelHubAdminSite"

    def ready(self) -> None:
        super().ready()
        from . import (
            checks,  # noqa: F401  (registers the start-up checks)
            listing,
            queues,
        )

        listing.install()
        queues.install()
