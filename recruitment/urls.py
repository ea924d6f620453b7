"""Recruitment pages for signed-in users outside the admin and the API (``/recruitment/``)."""

from django.urls import path

from . import views

app_name = "recruitment"

urlpatterns = [
    path("documents/<int:pk>/", views.document_download, name="document-download"),
]
