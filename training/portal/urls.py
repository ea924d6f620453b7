"""Training in the partner portal, mounted at ``/portal/training/`` (``TrainingConfig.portal_urls``)."""

from django.urls import path

from . import views

app_name = "training-portal"

urlpatterns = [
    path("", views.CatalogueView.as_view(), name="catalogue"),
    path("sessions/", views.SessionsView.as_view(), name="sessions"),
    path("enrol/", views.EnrolStaffView.as_view(), name="enrol"),
    path("assessments/", views.AssessmentsView.as_view(), name="assessments"),
    path("certificates/", views.CertificatesView.as_view(), name="certificates"),
    path("needs/", views.NeedsView.as_view(), name="needs"),
]
