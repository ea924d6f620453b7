from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from channelhub import chapters
from channelhub.tenancy import views as tenancy_views

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="portal:dashboard", permanent=False)),
    path("admin/", admin.site.urls),
    path("api/v1/", include("channelhub.api.urls")),
    path("portal/", include("channelhub.portal.urls", namespace="portal")),
    *chapters.portal_patterns(),
    *chapters.site_patterns(),
    path("i18n/", include("django.conf.urls.i18n")),
    path("tenant/switch/", tenancy_views.switch_tenant, name="switch-tenant"),
    path("language/", tenancy_views.set_language, name="set-language"),
]
