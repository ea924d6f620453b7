from django.utils.translation import gettext_lazy as _

from channelhub.chapters import ChapterConfig


class CooperationConfig(ChapterConfig):
    name = "cooperation"
    verbose_name = _("Cooperation")
    api_urls = "cooperation.api.urls"
    portal_urls = "cooperation.portal.urls"
    demo = "cooperation.demo"
    demo_after = ("recruitment",)
    api_enums = {
        "AgreementStateEnum": "cooperation.models.AgreementState",
        "ClauseKindEnum": "cooperation.models.ClauseKind",
        "TemplateStatusEnum": "cooperation.models.TemplateStatus",
        "EventStatusEnum": "cooperation.models.EventStatus",
        "MaterialKindEnum": "cooperation.models.MaterialKind",
        "SalesCurrencyEnum": "cooperation.models.Currency",
        "SalesSourceEnum": "cooperation.models.SalesSource",
        "LegalReviewDecisionEnum": "cooperation.models.ReviewDecision",
        "TicketPriorityEnum": "cooperation.models.TicketPriority",
        "TicketStateEnum": "cooperation.models.TicketState",
        "MdfActivityKindEnum": "cooperation.models.ActivityKind",
        "FundRequestStateEnum": "cooperation.models.FundRequestState",
        "FundClaimStateEnum": "cooperation.models.FundClaimState",
        "DealStateEnum": "cooperation.models.DealState",
        "DealMatchKindEnum": "cooperation.models.MatchKind",
        "ConflictKindEnum": "cooperation.models.ConflictKind",
        "ConflictStateEnum": "cooperation.models.ConflictState",
        "ConflictResolutionEnum": "cooperation.models.ConflictResolution",
        "LeadStateEnum": "cooperation.models.LeadState",
        "LeadSourceEnum": "cooperation.models.LeadSource",
        "LeadRoutingEnum": "cooperation.models.LeadRouting",
        "LeadOfferStateEnum": "cooperation.models.OfferState",
        "FeedbackCategoryEnum": "cooperation.models.FeedbackCategory",
        "FeedbackStateEnum": "cooperation.models.FeedbackState",
    }

    def ready(self) -> None:
        # Permissions, periodic jobs, the portal gate, navigation and panels register themselves on import.
        # Cooperation II adds its KPI inputs (kpi) and the sales deadline job (sales_jobs).
        from . import jobs, kpi, permissions, sales_jobs, service_jobs  # noqa: F401
        from .portal import panels, sales_panels, service  # noqa: F401
        # Cooperation II: deal registration (the protection expiry job, portal navigation and home panel).
        from . import deal_jobs  # noqa: F401
        from .portal import deals as deal_portal  # noqa: F401

        # Cooperation II: promotion support (MDF): permissions, portal navigation, home and partner-page panels.
        from .portal import promotion as mdf_portal  # noqa: F401

        # Cooperation II: lead distribution (the reassignment job, portal navigation and home panel) and market
        # feedback (portal navigation).
        from . import lead_jobs  # noqa: F401
        from .portal import feedback as feedback_portal  # noqa: F401
        from .portal import leads as lead_portal  # noqa: F401
