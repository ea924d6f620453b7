"""Evaluation in the partner portal, mounted at ``/portal/evaluation/``."""

from django.urls import path

from . import views

app_name = "evaluation-portal"

urlpatterns = [
    path("", views.ScorecardView.as_view(), name="scorecard"),
    path("statements/<int:pk>/pdf/", views.StatementPdfView.as_view(), name="statement-pdf"),
    path("plans/<int:pk>/", views.PlanView.as_view(), name="plan"),
    path("survey/", views.SurveyView.as_view(), name="survey"),
]
