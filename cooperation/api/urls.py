from rest_framework.routers import SimpleRouter

from . import views

app_name = "cooperation-api"

router = SimpleRouter()
router.register("templates", views.AgreementTemplateViewSet, basename="template")
router.register("clauses", views.TemplateClauseViewSet, basename="clause")
router.register("agreements", views.AgreementViewSet, basename="agreement")
router.register("announcements", views.AnnouncementViewSet, basename="announcement")
router.register("threads", views.ThreadViewSet, basename="thread")
router.register("events", views.EventViewSet, basename="event")
router.register("library-items", views.LibraryItemViewSet, basename="library-item")

urlpatterns = router.urls

# Cooperation II: sales reporting.
from . import sales  # noqa: E402

router.register("sales-periods", sales.SalesPeriodViewSet, basename="sales-period")
router.register("sales-reports", sales.SalesReportViewSet, basename="sales-report")
router.register("sales-lines", sales.SalesLineViewSet, basename="sales-line")

from . import targets  # noqa: E402

router.register("targets", targets.SalesTargetViewSet, basename="target")
urlpatterns = router.urls

# Cooperation II: deal registration and channel conflicts.
from . import deals  # noqa: E402

router.register("deal-registrations", deals.DealRegistrationViewSet, basename="deal-registration")
router.register("conflict-cases", deals.ConflictCaseViewSet, basename="conflict-case")
router.register("direct-accounts", deals.DirectAccountViewSet, basename="direct-account")
urlpatterns = router.urls

# Cooperation II: promotion support (MDF).
from . import promotion  # noqa: E402

router.register("mdf-budgets", promotion.FundBudgetViewSet, basename="fund-budget")
router.register("mdf-requests", promotion.FundRequestViewSet, basename="fund-request")
router.register("mdf-claims", promotion.FundClaimViewSet, basename="fund-claim")
urlpatterns = router.urls

# Cooperation II: after-sales service tickets.
from . import service  # noqa: E402

router.register("service-tickets", service.ServiceTicketViewSet, basename="service-ticket")
router.register("service-levels", service.ServiceLevelViewSet, basename="service-level")
urlpatterns = router.urls

# Cooperation II: lead distribution and market feedback.
from . import feedback, leads  # noqa: E402

router.register("leads", leads.LeadViewSet, basename="lead")
router.register("lead-offers", leads.LeadOfferViewSet, basename="lead-offer")
router.register("feedback", feedback.FeedbackViewSet, basename="feedback")
urlpatterns = router.urls
