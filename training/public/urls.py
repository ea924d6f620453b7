"""The public certificate verification page, mounted at ``/verify/`` (``TrainingConfig.site_urls``)."""

from django.urls import path

from . import views

app_name = "training-public"

urlpatterns = [
    path("<slug:tenant_slug>/<str:code>/", views.verify, name="verify"),
]
