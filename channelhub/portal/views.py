from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.generic import FormView, ListView, TemplateView
from django.views.generic.edit import BaseFormView

from channelhub.partners import selectors as partner_selectors
from channelhub.tenancy import services as tenancy_services
from channelhub.tenancy.models import Membership
from channelhub.tenancy.roles import PARTNER_ROLES, Role

from .forms import InviteStaffForm, PortalAuthenticationForm
from .mixins import PortalMixin
from .templatetags.portal_ui import person_name

PARTNER_ADMINS = frozenset({Role.PARTNER_ADMIN})


class LoginView(auth_views.LoginView):
    template_name = "portal/login.html"
    authentication_form = PortalAuthenticationForm
    redirect_authenticated_user = True


class DashboardView(PortalMixin, TemplateView):
    """The partner's own company: profile, channel manager, contacts, team size."""

    template_name = "portal/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["contacts"] = list(partner_selectors.contact_list(partner_id=self.partner.pk))
        context["staff_count"] = Membership.objects.filter(
            partner=self.partner, is_active=True
        ).values("user").distinct().count()
        return context


class StaffListView(PortalMixin, ListView):
    """The partner admin's view of their own company's portal users."""

    portal_roles = PARTNER_ADMINS
    template_name = "portal/staff_list.html"
    context_object_name = "memberships"

    def get_queryset(self):
        return Membership.objects.filter(
            partner=self.partner, role__in=PARTNER_ROLES
        ).select_related("user").order_by("-is_active", "user__username")


class StaffInviteView(PortalMixin, FormView):
    portal_roles = PARTNER_ADMINS
    template_name = "portal/staff_invite.html"
    form_class = InviteStaffForm
    success_url = reverse_lazy("portal:staff")

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            tenancy_services.membership_grant(
                tenant=self.request.tenant, actor=self.request.user, email=data["email"],
                role=data["role"], partner=self.partner, first_name=data["first_name"],
                last_name=data["last_name"], language=data["language"],
                base_url=self.request.build_absolute_uri("/").rstrip("/"),
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, field_messages in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, field_messages)
            else:
                form.add_error(None, error.messages)
            return self.form_invalid(form)
        # One message either way: the portal never reveals whether an address had an account.
        messages.success(self.request, _("Invitation sent to %(email)s.") % {"email": data["email"]})
        return super().form_valid(form)


class StaffToggleView(PortalMixin, BaseFormView):
    """Deactivate or reactivate one of the partner's own users (POST only)."""

    portal_roles = PARTNER_ADMINS
    http_method_names = ["post"]

    def post(self, request, pk: int, *args, **kwargs):
        membership = get_object_or_404(
            Membership.objects.filter(partner=self.partner, role__in=PARTNER_ROLES).select_related("user"),
            pk=pk,
        )
        try:
            if membership.is_active:
                tenancy_services.membership_deactivate(membership=membership, actor=request.user)
                messages.success(request, _("%(user)s was deactivated.") % {"user": person_name(membership.user)})
            else:
                tenancy_services.membership_reactivate(membership=membership, actor=request.user)
                messages.success(request, _("%(user)s was reactivated.") % {"user": person_name(membership.user)})
        except PermissionDenied as error:
            messages.error(request, str(error))
        return redirect("portal:staff")
