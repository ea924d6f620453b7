"""Notifications in the partner portal, at ``/portal/notifications/`` (namespace ``notifications-portal``)."""

from django.urls import path

from . import views

app_name = "notifications-portal"

urlpatterns = [
    path("", views.NotificationListView.as_view(), name="list"),
    path("read-all/", views.NotificationReadAllView.as_view(), name="read_all"),
    path("preferences/", views.PreferencesView.as_view(), name="preferences"),
    path("read/", views.NotificationReadView.as_view(), name="read"),
]
