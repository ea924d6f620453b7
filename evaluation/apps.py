from django.utils.translation import gettext_lazy as _

from channelhub.chapters import ChapterConfig


class EvaluationConfig(ChapterConfig):
    name = "evaluation"
    verbose_name = _("Performance evaluation")
    api_urls = "evaluation.api.urls"
    portal_urls = "evaluation.portal.urls"
    demo = "evaluation.demo"
    demo_after = ("partners", "recruitment", "training", "cooperation")
    api_enums = {
        "CycleStateEnum": "evaluation.models.CycleState",
        "StatementStateEnum": "evaluation.models.StatementState",
        "KpiKindEnum": "evaluation.models.KpiKind",
        "TierChangeKindEnum": "evaluation.models.TierChangeKind",
        "IncentiveKindEnum": "evaluation.models.IncentiveKind",
        "CostCategoryEnum": "evaluation.models.CostCategory",
    }

    def ready(self) -> None:
        # Permissions, workflows, the periodic review-cycle job, the dashboard widget, the portal's
        # navigation and panels, the partner page's panel and header fact.
        # It also answers the platform's tier contract (tiers).
        from . import dashboard, economics_jobs, jobs, permissions, tiers, workflow  # noqa: F401
        from .portal import panels  # noqa: F401
