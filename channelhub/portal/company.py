"""The partner's own company in the portal: its profile and its contacts.

Everyone at the partner reads them; the partner administrator changes them. Descriptive
fields save at once (``partner_profile_update``); the fields that identify the company go to
the channel manager as a change request (``change_request_submit``). Contacts are added,
changed and removed through the contact services. The services authorize again (own
partner only, allowed fields only) and keep the audit trail.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.generic import FormView, ListView, TemplateView

from channelhub.partners import selectors as partner_selectors
from channelhub.partners import services as partner_services
from channelhub.partners.models import IDENTITY_FIELDS, PartnerContact
from channelhub.tenancy.roles import Role
from channelhub.writes import add_service_errors

from .forms import CompanyProfileForm, ContactForm
from .mixins import PortalMixin

PARTNER_ADMINS = frozenset({Role.PARTNER_ADMIN})


class ProfileView(PortalMixin, TemplateView):
    """The company profile as on record, the change waiting for a decision and the past requests."""

    template_name = "portal/profile.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        requests = list(partner_selectors.change_request_list(partner_id=self.partner.pk)[:10])
        context["change_requests"] = requests
        context["pending"] = next((r for r in requests if r.state == "pending"), None)
        return context


class ProfileEditView(PortalMixin, FormView):
    portal_roles = PARTNER_ADMINS
    template_name = "portal/profile_edit.html"
    success_url = reverse_lazy("portal:profile")

    def get_form(self, form_class=None):
        return CompanyProfileForm(**self.get_form_kwargs(), partner=self.partner)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["pending"] = partner_selectors.pending_change_request(partner_id=self.partner.pk)
        context["identity_fields"] = IDENTITY_FIELDS
        return context

    def form_valid(self, form):
        direct, identity = form.changes()
        if not direct and not identity:
            messages.info(self.request, _("Nothing was changed."))
            return redirect(self.success_url)
        try:
            with transaction.atomic():
                if direct:
                    partner_services.partner_profile_update(partner=self.partner, actor=self.request.user, **direct)
                if identity:
                    partner_services.change_request_submit(
                        partner=self.partner, actor=self.request.user, changes=identity,
                        comment=form.cleaned_data["comment"])
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        except PermissionDenied as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        if direct:
            messages.success(self.request, _("The company profile is saved."))
        if identity:
            messages.success(self.request, _(
                "Your change of the legal details was sent to your channel manager; the profile shows "
                "it once approved."))
        return redirect(self.success_url)


class ContactListView(PortalMixin, ListView):
    """The company's own contacts (everyone reads; the partner administrator keeps them)."""

    template_name = "portal/contacts.html"
    context_object_name = "contacts"

    def get_queryset(self):
        return partner_selectors.contact_list(partner_id=self.partner.pk)


class ContactFormView(PortalMixin, FormView):
    """Add a contact, or change one of the company's own (``pk``)."""

    portal_roles = PARTNER_ADMINS
    model = PartnerContact
    template_name = "portal/contact_form.html"
    success_url = reverse_lazy("portal:contacts")

    def dispatch(self, request, *args, **kwargs):
        self.contact = None
        return super().dispatch(request, *args, **kwargs)

    def get_contact(self):
        pk = self.kwargs.get("pk")
        if pk is not None and self.contact is None:
            self.contact = get_object_or_404(partner_selectors.contact_list(partner_id=self.partner.pk), pk=pk)
        return self.contact

    def get_form(self, form_class=None):
        return ContactForm(**self.get_form_kwargs(), instance=self.get_contact())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["contact"] = self.get_contact()
        return context

    def form_valid(self, form):
        contact = self.get_contact()
        data = form.cleaned_data
        try:
            if contact is None:
                partner_services.contact_create(
                    tenant=self.request.tenant, actor=self.request.user, partner=self.partner, **data)
                messages.success(self.request, _("%(name)s was added to your contacts.") % {"name": data["name"]})
            else:
                partner_services.contact_update(contact=contact, actor=self.request.user, **data)
                messages.success(self.request, _("%(name)s was saved.") % {"name": data["name"]})
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        except PermissionDenied as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        return redirect(self.success_url)


class ContactDeleteView(PortalMixin, TemplateView):
    """Confirm, then remove one of the company's own contacts."""

    portal_roles = PARTNER_ADMINS
    model = PartnerContact
    template_name = "portal/contact_delete.html"

    def get_contact(self):
        return get_object_or_404(partner_selectors.contact_list(partner_id=self.partner.pk), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["contact"] = self.get_contact()
        return context

    def post(self, request, *args, **kwargs):
        contact = self.get_contact()
        try:
            partner_services.contact_delete(contact=contact, actor=request.user)
        except (PermissionDenied, ValidationError) as error:
            messages.error(request, " ".join(getattr(error, "messages", None) or [str(error)]))
        else:
            messages.success(request, _("%(name)s was removed from your contacts.") % {"name": contact.name})
        return redirect("portal:contacts")
