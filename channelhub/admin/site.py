from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from unfold.sites import UnfoldAdminSite

from channelhub.tenancy.roles import STAFF_ROLES
from channelhub.tenancy.selectors import memberships_of


class TenantStaffAuthenticationForm(AuthenticationForm):
    """Admin sign-in by membership: tenant staff hold a staff role, not Django's ``is_staff`` flag."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": AdminAuthenticationForm.error_messages["invalid_login"],
    }
    required_css_class = "required"

    def confirm_login_allowed(self, user) -> None:
        super().confirm_login_allowed(user)
        if not (user.is_superuser or memberships_of(user).filter(role__in=STAFF_ROLES).exists()):
            raise ValidationError(
                self.error_messages["invalid_login"], code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )


class ChannelHubAdminSite(UnfoldAdminSite):
    """The channel managers' admin: open to tenant staff (by membership), scoped to one tenant."""

    site_header = _("ChannelHub administration")
    site_title = _("ChannelHub")
    index_title = _("Channel management")
    login_form = TenantStaffAuthenticationForm

    def has_permission(self, request) -> bool:
        user = request.user
        if not (user.is_active and user.is_authenticated):
            return False
        if user.is_superuser:
            return True
        access = getattr(request, "access", None)
        return access is not None and access.is_staff

    def get_app_list(self, request, app_label=None):
        # The app list and the sidebar show each queue's count beside the list it links to
        # (counted once per request, shared with the home page's cards).
        # Built once per request and app: the sidebar and the page's own context both ask for
        # it, and each build checks every registered admin's permissions (a sixth of a list page).
        from .queues import queues_for, with_badges

        cache = request.__dict__.setdefault("_channelhub_app_lists", {})
        if app_label not in cache:
            cache[app_label] = with_badges(super().get_app_list(request, app_label), queues_for(request))
        return cache[app_label]

    def search(self, request, extra_context=None):
        """The sidebar search and the command palette, never cached across tenants.

        unfold caches results per user and term; here they depend on the current tenant and the
        person's roles as well, and each source is one indexed query, so nothing is cached.
        """
        from .search import search_records

        term = (request.GET.get("s") or "").strip()
        if not term:
            return HttpResponse()
        extended = "extended" in request.GET
        results = self._search_apps(admin.AdminSite.get_app_list(self, request), term.lower())
        if extended:
            results += search_records(request, term)
        paginator = Paginator(results, 100)
        page = request.GET.get("page", 1)
        try:
            number = max(1, int(page))
        except (TypeError, ValueError):
            number = 1
        return TemplateResponse(
            request,
            "unfold/helpers/command_results.html" if extended else "unfold/helpers/search_results.html",
            {"page_obj": paginator, "results": paginator.get_page(number),
             "page_counter": (number - 1) * 100, "execution_time": 0, "command_show_history": False},
            headers={"HX-Trigger": "search"},
        )

    def get_urls(self):
        # Django's "view on site" (``contenttypes.views.shortcut``) finds the object through the
        # model's base manager, i.e. in every tenant; this one goes through the admin's queryset.
        return [
            path("r/<path:content_type_id>/<path:object_id>/", self.admin_view(self.view_on_site),
                 name="view_on_site")
            if getattr(pattern, "name", None) == "view_on_site" else pattern
            for pattern in super().get_urls()
        ]

    def view_on_site(self, request, content_type_id, object_id):
        """Redirect to the object's page, if the current tenant may view the object."""
        try:
            model = ContentType.objects.get(pk=content_type_id).model_class()
            model_admin = self._registry.get(model)
            if model_admin is None or not model_admin.has_view_permission(request):
                raise Http404
            obj = model_admin.get_queryset(request).get(pk=object_id)
        except (ObjectDoesNotExist, ValueError, ValidationError) as error:
            raise Http404 from error
        if not hasattr(obj, "get_absolute_url"):
            raise Http404
        return HttpResponseRedirect(obj.get_absolute_url())
