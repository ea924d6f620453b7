from django.utils.translation import gettext_lazy as _

from channelhub.chapters import ChapterConfig


class RecruitmentConfig(ChapterConfig):
    name = "recruitment"
    verbose_name = _("Recruitment")
    api_urls = "recruitment.api.urls"
    portal_urls = "recruitment.portal.urls"
    site_urls = (
        ("apply/", "recruitment.public.urls", "recruitment-public"),
        ("recruitment/", "recruitment.urls", "recruitment"),
    )
    demo = "recruitment.demo"
    demo_after = ("partners",)
    api_enums = {
        "PlanStatusEnum": "recruitment.models.PlanStatus",
        "CampaignStatusEnum": "recruitment.models.CampaignStatus",
        "CampaignSourceEnum": "recruitment.models.CampaignSource",
        "ApplicationSourceEnum": "recruitment.models.ApplicationSource",
        "ApplicationStateEnum": "recruitment.models.ApplicationState",
        "ApprovalDecisionEnum": "recruitment.models.Decision",
        "DocumentKindEnum": "recruitment.models.DocumentKind",
    }

    def ready(self) -> None:
        # Register the dashboard widget and its rollup job (with its on-write upkeep), permissions,
        # milestone listeners and portal/partner-page panels.
        from channelhub.api import counts

        from . import dashboard, jobs, milestones, permissions  # noqa: F401
        from .models import Application
        from .portal import panels  # noqa: F401

        counts.track(Application)  # its API list's count is kept until an application changes
