from django.utils.translation import gettext_lazy as _

from channelhub.chapters import ChapterConfig


class PartnersConfig(ChapterConfig):
    """The partner register every chapter shares; it plugs in like a chapter (API at the root)."""

    name = "channelhub.partners"
    label = "partners"
    verbose_name = _("Partners")
    url_prefix = ""
    api_urls = "channelhub.partners.api.urls"
    api_enums = {"PartnerStatusEnum": "channelhub.partners.models.PartnerStatus"}

    def ready(self) -> None:
        from . import dashboard, jobs, permissions  # noqa: F401  (register widgets, periodic jobs, permissions)
