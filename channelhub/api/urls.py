"""/api/v1/: project endpoints plus every app's router (collected from ``channelhub.chapters``)."""

from django.conf import settings
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from channelhub import chapters

from . import views
from .root import ApiRootView

# Enum names in the OpenAPI document come from the apps too (read when the schema is generated).
settings.SPECTACULAR_SETTINGS.setdefault("ENUM_NAME_OVERRIDES", {}).update(chapters.api_enum_overrides())

router = SimpleRouter()
router.register("api-keys", views.ApiKeyViewSet, basename="api-key")

urlpatterns = [
    # The entry point: every collection of the core and the chapters, with absolute links.
    path("", ApiRootView.as_view(), name="api-root"),
    path("auth/token/", views.TokenView.as_view(), name="api-token"),
    path("me/", views.MeView.as_view(), name="api-me"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's init script as its own request (?script=): no inline
    # script, so the page works under the Content-Security-Policy (script-src 'self').
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include(router.urls)),
    *chapters.api_patterns(),
]
