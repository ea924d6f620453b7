"""Cooperation in the admin: thin pages over the selectors; buttons and actions call the services.

One module per sub-domain; importing them registers every ``ModelAdmin`` with the site.
"""

from . import queues  # noqa: F401  (registers cooperation's work queues on the admin home)
from .agreements import AgreementAdmin, AgreementTemplateAdmin, CooperationSettingsAdmin  # noqa: F401
from .communication import AnnouncementAdmin, EventAdmin, MessageAdmin, ThreadAdmin  # noqa: F401
from .deals import ConflictCaseAdmin, DealRegistrationAdmin, DirectAccountAdmin  # noqa: F401  (Cooperation II)
from .feedback import FeedbackAdmin  # noqa: F401  (Cooperation II: market feedback)
from .leads import LeadAdmin, LeadOfferAdmin, LeadRoutingWeightAdmin  # noqa: F401  (Cooperation II: leads)
from .library import LibraryItemAdmin  # noqa: F401
from .promotion import FundBudgetAdmin, FundClaimAdmin, FundRequestAdmin  # noqa: F401  (Cooperation II: MDF)
from .sales import ReportingStatusAdmin, SalesLineAdmin, SalesPeriodAdmin, SalesReportAdmin  # noqa: F401
from .service import ServiceLevelAdmin, ServiceTicketAdmin  # noqa: F401  (Cooperation II: service tickets)
from .targets import SalesTargetAdmin  # noqa: F401
