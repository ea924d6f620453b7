from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import Resolver404, resolve, reverse, reverse_lazy
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView
from django.views.generic.edit import BaseFormView

from channelhub.partners import selectors as partner_selectors
from channelhub.tenancy import services as tenancy_services
from channelhub.tenancy.middleware import SESSION_KEY
from channelhub.tenancy.models import Invitation, InvitationState, Membership
from channelhub.tenancy.roles import PARTNER_ROLES, Role
from channelhub.tenancy.selectors import invitation_by_token, invitation_has_account
from channelhub.writes import add_service_errors

from . import registry
from .forms import AcceptInvitationForm, InviteStaffForm, PortalAuthenticationForm
from .mixins import PortalMixin
from .templatetags.portal_ui import person_name

PARTNER_ADMINS = frozenset({Role.PARTNER_ADMIN})


class LoginView(auth_views.LoginView):
    template_name = "portal/login.html"
    authentication_form = PortalAuthenticationForm
    redirect_authenticated_user = True

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["invitation"] = self._invitation_in_next()
        return kwargs

    def _invitation_in_next(self) -> Invitation | None:
        """The open invitation the sign-in returns to, if any (its invitee may have no access yet)."""
        try:
            match = resolve(self.get_redirect_url() or "/")
        except Resolver404:
            return None
        if match.view_name != "portal:invitation":
            return None
        invitation = invitation_by_token(match.kwargs.get("token", ""))
        if invitation is None or invitation.current_state != InvitationState.PENDING:
            return None
        return invitation


class DashboardView(PortalMixin, TemplateView):
    """The partner's own company: profile, channel manager, contacts, team size."""

    template_name = "portal/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["contacts"] = list(partner_selectors.contact_list(partner_id=self.partner.pk))
        # "What needs your attention": panels the apps register (channelhub.portal.registry).
        context["home_panels"] = registry.home_panels_for(self.request, self.partner)
        context["staff_count"] = Membership.objects.filter(
            partner=self.partner, is_active=True
        ).values("user").distinct().count()
        return context


class StaffListView(PortalMixin, ListView):
    """The partner admin's view of their own company's portal users and open invitations.

    An invitation shows only what the inviter typed; a person appears with their account's
    details only once they have accepted.
    """

    portal_roles = PARTNER_ADMINS
    template_name = "portal/staff_list.html"
    context_object_name = "memberships"

    def get_queryset(self):
        return Membership.objects.filter(
            partner=self.partner, role__in=PARTNER_ROLES
        ).select_related("user").order_by("-is_active", "user__username")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["invitations"] = Invitation.objects.filter(
            partner=self.partner, role__in=PARTNER_ROLES,
            state__in=[InvitationState.PENDING, InvitationState.EXPIRED],
        ).select_related("invited_by").order_by("-sent_at")
        return context


def _base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


class StaffInviteView(PortalMixin, FormView):
    portal_roles = PARTNER_ADMINS
    template_name = "portal/staff_invite.html"
    form_class = InviteStaffForm
    success_url = reverse_lazy("portal:staff")

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            tenancy_services.invitation_create(
                tenant=self.request.tenant, actor=self.request.user, email=data["email"],
                role=data["role"], partner=self.partner, first_name=data["first_name"],
                last_name=data["last_name"], language=data["language"], base_url=_base_url(self.request),
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        # The same answer for every address: inviting never looks at anyone's account.
        messages.success(self.request, _("Invitation sent to %(email)s.") % {"email": data["email"]})
        return super().form_valid(form)


class StaffInvitationActionView(PortalMixin, BaseFormView):
    """Revoke or resend one of the partner's own open invitations (POST only)."""

    portal_roles = PARTNER_ADMINS
    http_method_names = ["post"]
    action = ""

    def post(self, request, pk: int, *args, **kwargs):
        invitation = get_object_or_404(
            Invitation.objects.filter(partner=self.partner, role__in=PARTNER_ROLES), pk=pk
        )
        try:
            if self.action == "revoke":
                tenancy_services.invitation_revoke(invitation=invitation, actor=request.user)
                messages.success(request, _("The invitation to %(email)s was revoked.") % {
                    "email": invitation.email})
            else:
                tenancy_services.invitation_resend(
                    invitation=invitation, actor=request.user, base_url=_base_url(request))
                messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
        except (PermissionDenied, ValidationError) as error:
            messages.error(request, " ".join(getattr(error, "messages", None) or [str(error)]))
        return redirect("portal:staff")


class InvitationView(View):
    """The link in an invitation e-mail: accept it, with a new account or the invited one.

    Public (the token is the credential). An address without an account chooses a user name
    and password here; an address with an account must be signed in as that account and
    confirm. Nothing changes for anyone until then.
    """

    template_name = "portal/invitation.html"

    def dispatch(self, request, token: str, *args, **kwargs):
        self.token = token
        self.invitation = invitation_by_token(token)
        if self.invitation is None:
            return self.closed(_("This invitation link is not valid. Check that you opened the whole "
                                 "link from the e-mail."), status=404)
        if not request.user.is_authenticated and not request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME):
            # Someone opening the e-mail's link reads the page in the language it was written in.
            translation.activate(self.invitation.language or self.invitation.tenant.default_language)
            request.LANGUAGE_CODE = translation.get_language()
        message = tenancy_services.invitation_closed_message(self.invitation)
        if self.invitation.current_state == InvitationState.EXPIRED:
            tenancy_services.invitation_expire_if_due(invitation=self.invitation)
        if message:
            return self.closed(message, status=410)
        self.has_account = invitation_has_account(self.invitation)
        return super().dispatch(request, *args, **kwargs)

    def closed(self, message: str, *, status: int):
        return render(self.request, "portal/invitation_closed.html", {"message": message}, status=status)

    def page(self, *, form=None, error: str = "", status: int = 200):
        user = self.request.user
        signed_in_as_invitee = user.is_authenticated and (
            (user.email or "").strip().casefold() == self.invitation.email_key)
        return render(self.request, self.template_name, {
            "invitation": self.invitation, "tenant": self.invitation.tenant,
            "partner": self.invitation.partner, "has_account": self.has_account,
            "signed_in_as_invitee": signed_in_as_invitee, "form": form, "error": error,
            "login_url": f"{reverse('portal:login')}?next={self.request.path}",
        }, status=status)

    def get(self, request, *args, **kwargs):
        form = None if self.has_account else AcceptInvitationForm(initial={
            "first_name": self.invitation.first_name, "last_name": self.invitation.last_name})
        return self.page(form=form)

    def post(self, request, *args, **kwargs):
        if self.has_account:
            if not request.user.is_authenticated:
                return redirect(f"{reverse('portal:login')}?next={request.path}")
            try:
                tenancy_services.invitation_accept(invitation=self.invitation, user=request.user)
            except PermissionDenied as error:
                return self.page(error=str(error), status=403)
            except ValidationError as error:
                return self.page(error=" ".join(error.messages), status=409)
            return self.accepted(request.user)
        form = AcceptInvitationForm(request.POST)
        if not form.is_valid():
            return self.page(form=form, status=400)
        data = form.cleaned_data
        try:
            membership = tenancy_services.invitation_accept_new_account(
                invitation=self.invitation, username=data["username"], password=data["password1"],
                first_name=data["first_name"], last_name=data["last_name"],
            )
        except PermissionDenied as error:
            return self.page(form=form, error=str(error), status=403)
        except ValidationError as error:
            return self.page(form=form, error=" ".join(error.messages), status=409)
        login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
        return self.accepted(membership.user)

    def accepted(self, user):
        # Work in the tenant just joined; the person chose it by accepting.
        self.request.session[SESSION_KEY] = self.invitation.tenant_id
        messages.success(self.request, _("Welcome to %(tenant)s.") % {"tenant": self.invitation.tenant.name})
        if self.invitation.role in PARTNER_ROLES:
            return redirect("portal:dashboard")
        return redirect("admin:index")


class StaffDeactivateView(PortalMixin, TemplateView):
    """Ask before taking a colleague's access away: the page says what happens, its button posts the toggle."""

    portal_roles = PARTNER_ADMINS
    model = Membership
    template_name = "portal/staff_deactivate.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        membership = get_object_or_404(
            Membership.objects.filter(partner=self.partner, role__in=PARTNER_ROLES, is_active=True)
            .select_related("user"), pk=self.kwargs["pk"])
        context["membership"] = membership
        context["is_self"] = membership.user_id == self.request.user.pk
        return context


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
