"""The public recruitment pages under ``/apply/<tenant-slug>/`` (no login; see ``views``).

``thanks`` and ``track`` come before the campaign-code pattern, so they are never read as
campaign codes (codes are stored upper-case; a campaign coded ``THANKS`` is reached with ``?c=``).
"""

from django.urls import path

from . import views

app_name = "recruitment-public"

urlpatterns = [
    path("<slug:tenant_slug>/", views.ApplyView.as_view(), name="apply"),
    path("<slug:tenant_slug>/thanks/", views.ThanksView.as_view(), name="thanks"),
    path("<slug:tenant_slug>/track/<str:token>/", views.TrackView.as_view(), name="track"),
    path("<slug:tenant_slug>/track/<str:token>/answer/", views.AnswerView.as_view(), name="answer"),
    path("<slug:tenant_slug>/track/<str:token>/documents/", views.DocumentUploadView.as_view(),
         name="document-upload"),
    path("<slug:tenant_slug>/track/<str:token>/documents/<int:pk>/", views.DocumentView.as_view(),
         name="document"),
    path("<slug:tenant_slug>/track/<str:token>/withdraw/", views.WithdrawView.as_view(), name="withdraw"),
    path("<slug:tenant_slug>/<str:campaign_code>/", views.ApplyView.as_view(), name="apply-campaign"),
]
