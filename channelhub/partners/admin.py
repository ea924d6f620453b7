from __future__ import annotations

from dataclasses import replace

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from unfold.contrib.filters.admin import ChoicesDropdownFilter, DropdownFilter, RangeDateFilter

from channelhub.admin.base import TenantScopedAdmin, TenantScopedInline, has_permission, refuse
from channelhub.admin.filters import RegionTreeFilter
from channelhub.admin.paginator import EstimatedCountPaginator
from channelhub.admin.partner_page import facts_for
from channelhub.portal import registry
from channelhub.tenancy.roles import STAFF_ROLES
from channelhub.tenancy.workflow import IllegalTransition

from . import selectors, services
from .models import (
    PARTNER_LIFECYCLE,
    ChangeRequestState,
    Partner,
    PartnerChangeRequest,
    PartnerContact,
    PartnerStatus,
    Product,
    Region,
)
from .permissions import CATALOGUE_MANAGE, CHANGE_REQUEST_DECIDE, CONTACT_MANAGE, PARTNER_MANAGE, PARTNER_TRANSITION
from .resources import PartnerResource, ProductResource
from .search import search


class ContactWrites:
    """Contacts are written through the partner services, from the list and the partner page alike."""

    change_roles = CONTACT_MANAGE.roles & STAFF_ROLES

    def create_object(self, request, obj, fields):
        return services.contact_create(tenant=request.tenant, actor=request.user, **fields)

    def update_object(self, request, obj, fields):
        return services.contact_update(contact=obj, actor=request.user, **fields)

    def delete_object(self, request, obj):
        services.contact_delete(contact=obj, actor=request.user)


class PartnerContactInline(ContactWrites, TenantScopedInline):
    model = PartnerContact
    tab = True
    fields = ("name", "title", "email", "phone", "is_primary")

    def get_queryset(self, request):
        # Each row's label names its partner: one join, not a query per contact.
        return super().get_queryset(request).select_related("partner")

    def create_object(self, request, obj, fields):
        # The inline's form leaves the parent out of its fields; the row already points at it.
        return super().create_object(request, obj, {**fields, "partner": obj.partner})


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(label=_("new status"))
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}),
                             required=False)

    def __init__(self, *args, partner: Partner, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = [
            (state, PARTNER_LIFECYCLE.label(state)) for state in PARTNER_LIFECYCLE.targets(partner.status)
        ]


class OwnerFilter(DropdownFilter):
    title = _("channel manager")
    parameter_name = "owner"

    def lookups(self, request, model_admin):
        return [(str(user.pk), user.get_full_name() or user.username) for user in selectors.channel_managers()]

    def queryset(self, request, queryset):
        return queryset.filter(owner_id=self.value()) if (self.value() or "").isdigit() else queryset


@admin.register(Partner)
class PartnerAdmin(TenantScopedAdmin):
    view_roles = STAFF_ROLES
    global_search = True
    search_icon = "handshake"
    change_roles = PARTNER_MANAGE.roles
    resource_classes = [PartnerResource]
    import_enabled = True
    list_display = ("legal_name", "short_name", "partner_type", "status", "region", "owner",
                    "created_at")
    # Cheap filters for a tenant of 100,000 partners: the related-only ones ran a DISTINCT over
    # every partner; these list the sales areas and the staff (a few rows each). No date
    # hierarchy (its min/max and distinct years read the whole tenant): a created-at filter.
    list_filter = (("status", ChoicesDropdownFilter), ("partner_type", ChoicesDropdownFilter), RegionTreeFilter,
                   OwnerFilter, ("created_at", RangeDateFilter))
    search_fields = ("legal_name", "short_name", "english_name", "credit_code")
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    list_select_related = ("region", "owner")
    autocomplete_fields = ("region",)
    readonly_fields = ("status", "status_changed_at", "created_at", "updated_at")
    inlines = [PartnerContactInline]
    actions = ["start_onboarding", "activate", "suspend", "terminate"]
    change_form_template = "admin/partners/partner/change_form.html"
    # Tabs on the 360° page: the profile by subject, the contacts beside them (unfold's tabs).
    fieldsets = (
        (_("Profile"), {"fields": ("legal_name", "short_name", "english_name", "credit_code",
                                   "partner_type", "status", "status_changed_at"), "classes": ("tab",)}),
        (_("Territory and ownership"), {"fields": ("region", "address", "owner"), "classes": ("tab",)}),
        (_("Company profile"), {"fields": ("registered_capital", "founding_year",
                                           "staff_count", "website", "notes"), "classes": ("tab",)}),
        (_("Record"), {"fields": ("created_at", "updated_at"), "classes": ("tab",)}),
    )

    def get_urls(self):
        return [
            path("<int:pk>/status/", self.admin_site.admin_view(self.status_view),
                 name="partners_partner_status"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra = {"has_transition_permission": self.has_transition_permission(request)}
        partner = self.get_object(request, object_id) if object_id else None
        if partner is not None:
            # The 360° page: the header (with the chapters' facts) and the panels the apps
            # register (channelhub.admin.partner_page, channelhub.portal.registry).
            header = selectors.partner_header(partner)
            extra["partner_header"] = replace(header, facts=facts_for(request, partner))
            extra["partner_panels"] = registry.partner_panels_for(request, partner)
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})

    def get_object(self, request, object_id, from_field=None):
        # The 360° page reads the partner for its header and panels, then Django's change view
        # reads it again: on a GET both get the same row (its region and owner loaded once). A
        # POST reads afresh, so the form never edits the instance the panels show.
        if request.method not in ("GET", "HEAD") or from_field is not None:
            return super().get_object(request, object_id, from_field)
        read = request.__dict__.setdefault("_partners_read", {})
        if object_id not in read:
            read[object_id] = super().get_object(request, object_id, from_field)
        return read[object_id]

    def has_transition_permission(self, request, obj=None) -> bool:
        return has_permission(request, PARTNER_TRANSITION)

    def get_search_results(self, request, queryset, search_term):
        # The API's search (a trigram-indexed column on PostgreSQL): no row can appear twice.
        return search(queryset, search_term, fields=self.search_fields), False

    def create_object(self, request, obj, fields):
        return services.partner_create(tenant=request.tenant, actor=request.user, **fields)

    def update_object(self, request, obj, fields):
        return services.partner_update(partner=obj, actor=request.user, **fields)

    def delete_object(self, request, obj):
        services.partner_delete(partner=obj, actor=request.user)

    def status_view(self, request, pk: int):
        """Change one partner's lifecycle status with a reason (the audit trail keeps it)."""
        if not self.has_transition_permission(request):
            raise PermissionDenied
        partner = get_object_or_404(Partner.objects.all(), pk=pk)
        form = TransitionForm(request.POST or None, partner=partner)
        if request.method == "POST" and form.is_valid():
            try:
                services.partner_transition(
                    partner=partner, to_status=form.cleaned_data["to_status"], actor=request.user,
                    reason=form.cleaned_data["reason"],
                )
            except IllegalTransition as error:
                messages.error(request, error.message)
            except PermissionDenied as error:
                refuse(request, error)
            else:
                messages.success(request, _("Status changed to %(status)s.") % {
                    "status": partner.get_status_display()})
                return redirect(reverse("admin:partners_partner_change", args=[partner.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": partner,
            "form": form,
            "title": _("Change status of %(partner)s") % {"partner": partner},
        }
        return TemplateResponse(request, "admin/partners/partner/status.html", context)

    def _bulk_transition(self, request, queryset, to_status: str) -> None:
        moved, refused = 0, []
        for partner in queryset:
            try:
                services.partner_transition(
                    partner=partner, to_status=to_status, actor=request.user,
                    reason=str(_("Bulk action in the admin")),
                )
                moved += 1
            except IllegalTransition as error:
                refused.append(f"{partner}: {error.message}")
            except PermissionDenied as error:
                refused.append(f"{partner}: {error}")
        if moved:
            messages.success(request, ngettext(
                "%(count)d partner moved.", "%(count)d partners moved.", moved) % {"count": moved})
        for line in refused:
            messages.error(request, line)

    @admin.action(description=_("Start onboarding"), permissions=["transition"])
    def start_onboarding(self, request, queryset):
        self._bulk_transition(request, queryset, PartnerStatus.ONBOARDING)

    @admin.action(description=_("Activate"), permissions=["transition"])
    def activate(self, request, queryset):
        self._bulk_transition(request, queryset, PartnerStatus.ACTIVE)

    @admin.action(description=_("Suspend"), permissions=["transition"])
    def suspend(self, request, queryset):
        self._bulk_transition(request, queryset, PartnerStatus.SUSPENDED)

    @admin.action(description=_("Terminate"), permissions=["transition"])
    def terminate(self, request, queryset):
        self._bulk_transition(request, queryset, PartnerStatus.TERMINATED)


@admin.register(PartnerContact)
class PartnerContactAdmin(ContactWrites, TenantScopedAdmin):
    view_roles = STAFF_ROLES
    global_search = True
    search_icon = "contacts"
    list_display = ("name", "partner", "title", "email", "phone", "is_primary")
    list_filter = ("is_primary",)
    search_fields = ("name", "title", "email", "phone")
    autocomplete_fields = ("partner",)
    list_select_related = ("partner",)
    show_full_result_count = False
    paginator = EstimatedCountPaginator

    def get_search_results(self, request, queryset, search_term):
        # The contact's own search column (trigram-indexed on PostgreSQL); find by company on
        # the partner list.
        return search(queryset, search_term, fields=self.search_fields), False


@admin.register(Region)
class RegionAdmin(TenantScopedAdmin):
    view_roles = STAFF_ROLES
    change_roles = CATALOGUE_MANAGE.roles
    list_display = ("display_name", "code", "level", "parent", "path")
    list_filter = ("level",)
    search_fields = ("code", "name", "name_en")
    autocomplete_fields = ("parent",)
    list_select_related = ("parent",)
    readonly_fields = ("path",)

    def create_object(self, request, obj, fields):
        return services.region_create(tenant=request.tenant, actor=request.user, **fields)

    def update_object(self, request, obj, fields):
        # Through the service: a moved region moves its subtree's materialised paths too.
        return services.region_update(region=obj, actor=request.user, **fields)

    def delete_object(self, request, obj):
        services.region_delete(region=obj, actor=request.user)


@admin.register(Product)
class ProductAdmin(TenantScopedAdmin):
    view_roles = STAFF_ROLES
    change_roles = CATALOGUE_MANAGE.roles
    resource_classes = [ProductResource]
    import_enabled = True
    list_display = ("sku", "name", "category", "list_price", "is_active")
    list_filter = ("category", "is_active")
    search_fields = ("sku", "name", "name_en", "category")

    def create_object(self, request, obj, fields):
        return services.product_create(tenant=request.tenant, actor=request.user, **fields)

    def update_object(self, request, obj, fields):
        return services.product_update(product=obj, actor=request.user, **fields)

    def delete_object(self, request, obj):
        services.product_delete(product=obj, actor=request.user)


class ChangeRequestDecisionForm(forms.Form):
    reason = forms.CharField(label=_("reason"), required=False, max_length=4000,
                             widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, decision: str, **kwargs):
        super().__init__(*args, **kwargs)
        if decision == "reject":
            self.fields["reason"].required = True
            self.fields["reason"].help_text = _("The partner reads this reason.")
        else:
            self.fields["reason"].help_text = _("Optional: kept with the decision in the partner's history.")


@admin.register(PartnerChangeRequest)
class PartnerChangeRequestAdmin(TenantScopedAdmin):
    """Partners' requests to change their legal details: read here, decided with the record's buttons.

    The request is a record (made in the portal, decided once); nobody types or edits one here.
    """

    view_roles = STAFF_ROLES
    change_roles = CHANGE_REQUEST_DECIDE.roles
    read_only = True
    list_display = ("partner", "changed_fields", "state", "requested_by", "requested_at", "decided_by")
    list_filter = ("state",)
    list_select_related = ("partner", "requested_by", "decided_by")
    search_fields = ("partner__legal_name", "partner__short_name")
    fields = ("partner", "proposed_changes", "comment", "state", "requested_by", "requested_at",
              "decided_by", "decided_at", "decision_reason")
    readonly_fields = fields
    change_form_template = "admin/partners/partnerchangerequest/change_form.html"
    show_full_result_count = False

    @admin.display(description=_("fields"))
    def changed_fields(self, obj) -> str:
        return ", ".join(str(label) for label, _old, _new in obj.rows())

    @admin.display(description=_("proposed changes"))
    def proposed_changes(self, obj):
        from django.template.loader import render_to_string

        return render_to_string("admin/partners/partnerchangerequest/_changes.html", {"rows": obj.rows()})

    def get_urls(self):
        return [
            path("<int:pk>/decide/", self.admin_site.admin_view(self.decide_view),
                 name="partners_partnerchangerequest_decide"),
            *super().get_urls(),
        ]

    def may_decide(self, request, change_request=None) -> bool:
        if not has_permission(request, CHANGE_REQUEST_DECIDE):
            return False
        return change_request is None or change_request.state == ChangeRequestState.PENDING

    def change_view(self, request, object_id, form_url="", extra_context=None):
        change_request = self.get_object(request, object_id) if object_id else None
        extra = {"may_decide": change_request is not None and self.may_decide(request, change_request)}
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})

    def decide_view(self, request, pk: int):
        """Confirm an approval or a rejection (with a reason), then take it through the service."""
        if not self.may_decide(request):
            raise PermissionDenied
        decision = request.POST.get("decision") or request.GET.get("decision") or "approve"
        if decision not in ("approve", "reject"):
            decision = "approve"
        change_request = get_object_or_404(selectors.change_request_list(), pk=pk)
        change_url = reverse("admin:partners_partnerchangerequest_change", args=[change_request.pk])
        form = ChangeRequestDecisionForm(request.POST if request.method == "POST" else None, decision=decision)
        if request.method == "POST" and form.is_valid():
            reason = form.cleaned_data["reason"]
            try:
                if decision == "approve":
                    services.change_request_approve(request=change_request, actor=request.user, reason=reason)
                else:
                    services.change_request_reject(request=change_request, actor=request.user, reason=reason)
            except IllegalTransition as error:
                messages.error(request, error.message)
            except (PermissionDenied, ValidationError) as error:
                messages.error(request, " ".join(getattr(error, "messages", None) or [str(error)]))
            else:
                messages.success(request, _("The change is approved and applied to the partner.")
                                 if decision == "approve" else _("The change request is rejected."))
            return redirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": change_request,
            "form": form,
            "decision": decision,
            "rows": change_request.rows(),
            "allowed": change_request.state == ChangeRequestState.PENDING,
            "change_url": change_url,
            "title": _("Approve the change request") if decision == "approve" else _("Reject the change request"),
        }
        return TemplateResponse(request, "admin/partners/partnerchangerequest/decide.html", context)
