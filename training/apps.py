from django.utils.translation import gettext_lazy as _

from channelhub.chapters import ChapterConfig


class TrainingConfig(ChapterConfig):
    name = "training"
    verbose_name = _("Training")
    api_urls = "training.api.urls"
    portal_urls = "training.portal.urls"
    site_urls = (("verify/", "training.public.urls", "training-public"),)
    demo = "training.demo"
    demo_after = ("partners", "recruitment")
    api_enums = {
        "CourseKindEnum": "training.models.CourseKind",
        "DeliveryEnum": "training.models.Delivery",
        "TrainingPlanStateEnum": "training.models.PlanState",
        "SessionFormatEnum": "training.models.SessionFormat",
        "EnrolmentStateEnum": "training.models.EnrolmentState",
        "AttemptStateEnum": "training.models.AttemptState",
        "QuestionKindEnum": "training.models.QuestionKind",
    }

    def ready(self) -> None:
        # Permissions, the eligibility provider, KPI inputs, periodic jobs and portal/partner-page panels.
        from . import eligibility, jobs, kpi, permissions  # noqa: F401
        from .portal import panels  # noqa: F401
