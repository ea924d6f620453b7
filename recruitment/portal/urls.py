"""Recruitment in the partner portal, mounted at ``/portal/recruitment/`` (``RecruitmentConfig.portal_urls``)."""

from django.urls import path

from . import views

app_name = "recruitment-portal"

urlpatterns = [
    path("checklist/", views.ChecklistView.as_view(), name="checklist"),
]
