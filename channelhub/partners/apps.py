from django.utils.translation import gettext_lazy as _

from channelhub.chapters import ChapterConfig


class PartnersConfig(ChapterConfig):
    """The partner register every chapter shares; it plugs in like a chapter (API at the root)."""

    name = "channelhub.partners"
    label = "partners"
    verbose_name = _("Partners")
    url_prefix = ""
    api_urls = "channelhub.partners.api.urls"
    api_enums = {
        "PartnerStatusEnum": "channelhub.partners.models.PartnerStatus",
        "PartnerTypeEnum": "channelhub.partners.models.PartnerType",
    }

    def ready(self) -> None:
        # Register widgets, periodic jobs, permissions, the change-request queue, notification kinds,
        # the portal's home panels and the admin's 360° panels.
        from channelhub.api import counts

        from . import (  # noqa: F401
            dashboard,
            jobs,
            notifications,
            panels,
            partner_page,
            permissions,
            queues,
        )
        from .models import Partner, PartnerContact

        # The lists integrators page through: their counts are kept until a row changes.
        counts.track(Partner, PartnerContact)
