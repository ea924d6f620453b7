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
        # Permissions, periodic jobs (agreements, sales deadlines, deal protection, lead reassignment,
        # service SLAs), KPI inputs, the portal gate, navigation, home and partner-page panels
        # register themselves on import.
        from . import deal_jobs, jobs, kpi, lead_jobs, permissions, sales_jobs, service_jobs  # noqa: F401
        from .portal import deals, feedback, leads, panels, promotion, sales_panels, service  # noqa: F401
