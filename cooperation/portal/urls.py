"""Cooperation in the partner portal, mounted at ``/portal/cooperation/``."""

from django.urls import path

from . import views

app_name = "cooperation-portal"

urlpatterns = [
    path("agreements/", views.AgreementListView.as_view(), name="agreements"),
    path("agreements/<int:pk>/", views.AgreementDetailView.as_view(), name="agreement"),
    path("agreements/<int:pk>/pdf/", views.AgreementPdfView.as_view(), name="agreement-pdf"),
    path("announcements/", views.AnnouncementListView.as_view(), name="announcements"),
    path("announcements/<int:pk>/", views.AnnouncementDetailView.as_view(), name="announcement"),
    path("threads/", views.ThreadListView.as_view(), name="threads"),
    path("threads/new/", views.ThreadStartView.as_view(), name="thread-new"),
    path("threads/<int:pk>/", views.ThreadDetailView.as_view(), name="thread"),
    path("attachments/<int:pk>/", views.AttachmentView.as_view(), name="attachment"),
    path("events/", views.EventListView.as_view(), name="events"),
    path("events/<int:pk>/", views.EventDetailView.as_view(), name="event"),
    path("library/", views.LibraryListView.as_view(), name="library"),
    path("library/<int:pk>/download/", views.LibraryDownloadView.as_view(), name="library-download"),
]

# Cooperation II: sales reporting.
from . import sales  # noqa: E402

urlpatterns += [
    path("sales/", sales.SalesOverviewView.as_view(), name="sales"),
    path("sales/new/", sales.SalesLineCreateView.as_view(), name="sales-new"),
    path("sales/upload/", sales.SalesUploadView.as_view(), name="sales-upload"),
    path("sales/template.csv", sales.SalesTemplateView.as_view(), name="sales-template"),
]

# Cooperation II: joint targets.
from . import targets  # noqa: E402

urlpatterns += [
    path("targets/", targets.TargetListView.as_view(), name="targets"),
    path("targets/new/", targets.TargetProposeView.as_view(), name="target-new"),
    path("targets/<int:pk>/", targets.TargetDetailView.as_view(), name="target"),
]

# Cooperation II: deal registration and channel conflicts.
from . import deals  # noqa: E402

urlpatterns += [
    path("deals/", deals.DealListView.as_view(), name="deals"),
    path("deals/new/", deals.DealRegisterView.as_view(), name="deal-new"),
    path("deals/<int:pk>/", deals.DealDetailView.as_view(), name="deal"),
    path("conflicts/", deals.ConflictListView.as_view(), name="conflicts"),
    path("conflicts/<int:pk>/", deals.ConflictDetailView.as_view(), name="conflict"),
]

# Cooperation II: promotion support (MDF).
from . import promotion  # noqa: E402

urlpatterns += [
    path("mdf/", promotion.FundRequestListView.as_view(), name="mdf"),
    path("mdf/new/", promotion.FundRequestCreateView.as_view(), name="mdf-new"),
    path("mdf/<int:pk>/", promotion.FundRequestDetailView.as_view(), name="mdf-request"),
    path("mdf/proof/<int:pk>/", promotion.ProofDownloadView.as_view(), name="mdf-proof"),
]

# Cooperation II: after-sales service tickets.
from . import service  # noqa: E402

urlpatterns += [
    path("tickets/", service.TicketListView.as_view(), name="tickets"),
    path("tickets/new/", service.TicketRaiseView.as_view(), name="ticket-new"),
    path("tickets/<int:pk>/", service.TicketDetailView.as_view(), name="ticket"),
]

# Cooperation II: lead distribution and market feedback.
from . import feedback, leads  # noqa: E402

urlpatterns += [
    path("leads/", leads.LeadOfferListView.as_view(), name="leads"),
    path("leads/<int:pk>/", leads.LeadOfferDetailView.as_view(), name="lead"),
    path("feedback/", feedback.FeedbackListView.as_view(), name="feedback-list"),
    path("feedback/new/", feedback.FeedbackCreateView.as_view(), name="feedback-new"),
    path("feedback/<int:pk>/", feedback.FeedbackDetailView.as_view(), name="feedback"),
    path("feedback/files/<int:pk>/", feedback.FeedbackFileView.as_view(), name="feedback-file"),
]
