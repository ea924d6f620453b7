"""Cooperation (渠道合作, chapter 4 of the source document), first half: agreements, two-way
communication and the resource library. Split by sub-domain; every name is re-exported here.
(Cooperation II adds sales data, deal registration, leads and service tickets beside these.)
"""

from .agreements import (
    FINAL,
    IN_FORCE,
    PARTNER_HAS_SIGNED,
    REQUIRED_CLAUSES,
    Agreement,
    AgreementReminder,
    AgreementState,
    AgreementTemplate,
    AgreementVersion,
    ClauseKind,
    CooperationSettings,
    DisputeMethod,
    LegalReview,
    ReviewDecision,
    Signature,
    SignatureParty,
    TemplateClause,
    TemplateStatus,
    text_hash,
)
from .audience import Audience, AudiencePartner, AudienceRegion, normalise_types
from .communication import (
    Announcement,
    AnnouncementReceipt,
    Event,
    EventInvitation,
    EventKind,
    EventRsvp,
    EventStatus,
    Message,
    RsvpResponse,
    Thread,
)
from .library import LibraryDownload, LibraryFile, LibraryItem, MaterialKind

__all__ = [
    "FINAL", "IN_FORCE", "PARTNER_HAS_SIGNED", "REQUIRED_CLAUSES",
    "Agreement", "AgreementReminder", "AgreementState", "AgreementTemplate", "AgreementVersion",
    "Announcement", "AnnouncementReceipt", "Audience", "AudiencePartner", "AudienceRegion",
    "ClauseKind", "CooperationSettings", "DisputeMethod", "Event", "EventInvitation", "EventKind",
    "EventRsvp", "EventStatus", "LegalReview", "LibraryDownload", "LibraryFile", "LibraryItem",
    "MaterialKind", "Message", "ReviewDecision", "RsvpResponse", "Signature", "SignatureParty",
    "TemplateClause", "TemplateStatus", "Thread", "normalise_types", "text_hash",
]

# Cooperation II: sales reporting.
from .sales import (
    KPI_CURRENCY,
    Currency,
    ReportingStatus,
    SalesLine,
    SalesPeriod,
    SalesReport,
    SalesSource,
    default_deadline,
    month_start,
    next_month,
)
from .targets import SPAN_MONTHS, SalesTarget, TargetMonth, TargetSide, TargetSpan, TargetState

__all__ += [
    "KPI_CURRENCY",
    "SPAN_MONTHS",
    "Currency",
    "ReportingStatus",
    "SalesLine",
    "SalesPeriod",
    "SalesReport",
    "SalesSource",
    "SalesTarget",
    "TargetMonth",
    "TargetSide",
    "TargetSpan",
    "TargetState",
    "default_deadline",
    "month_start",
    "next_month",
]

# Cooperation II: lead distribution and market feedback.
from .feedback import FEEDBACK_MAX_FILES, Feedback, FeedbackCategory, FeedbackFile, FeedbackState  # noqa: E402
from .leads import (  # noqa: E402
    LEAD_CLOSED,
    WITHOUT_PARTNER,
    Lead,
    LeadOffer,
    LeadRouting,
    LeadRoutingWeight,
    LeadSource,
    LeadState,
    OfferState,
)

__all__ += ["FEEDBACK_MAX_FILES", "LEAD_CLOSED", "WITHOUT_PARTNER", "Feedback", "FeedbackCategory", "FeedbackFile",
            "FeedbackState", "Lead", "LeadOffer", "LeadRouting", "LeadRoutingWeight", "LeadSource", "LeadState",
            "OfferState"]

# Cooperation II: deal registration and channel conflicts.
from .deals import (  # noqa: E402
    CLOSED_DEAL_STATES,
    DEFAULT_PROTECTION_DAYS,
    OPEN_DEAL_STATES,
    ConflictCase,
    ConflictEvidence,
    ConflictKind,
    ConflictParty,
    ConflictResolution,
    ConflictState,
    DealMatch,
    DealRegistration,
    DealState,
    DirectAccount,
    MatchKind,
)

__all__ += [
    "CLOSED_DEAL_STATES", "DEFAULT_PROTECTION_DAYS", "OPEN_DEAL_STATES", "ConflictCase", "ConflictEvidence",
    "ConflictKind", "ConflictParty", "ConflictResolution", "ConflictState", "DealMatch", "DealRegistration",
    "DealState", "DirectAccount", "MatchKind",
]

# Cooperation II: promotion support (MDF).
from .promotion import (  # noqa: E402
    AWAITING_PAYMENT,
    ActivityKind,
    FundBudget,
    FundClaim,
    FundClaimFile,
    FundClaimState,
    FundRequest,
    FundRequestState,
)

__all__ += ["AWAITING_PAYMENT", "ActivityKind", "FundBudget", "FundClaim", "FundClaimFile", "FundClaimState",
            "FundRequest", "FundRequestState"]

# Cooperation II: after-sales service tickets.
from .service import (  # noqa: E402
    DEFAULT_SLA_HOURS,
    UNRESOLVED,
    ServiceLevel,
    ServiceTicket,
    TicketComment,
    TicketPriority,
    TicketState,
)

__all__ += ["DEFAULT_SLA_HOURS", "UNRESOLVED", "ServiceLevel", "ServiceTicket", "TicketComment", "TicketPriority",
            "TicketState"]
