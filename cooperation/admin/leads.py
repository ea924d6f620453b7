"""Lead distribution in the admin: leads (created, forwarded by hand or routed, closed by managers), the offers
(who was offered, until when, the answer: read-only records) and the partners' routing weights."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from channelhub.admin.base import TenantScopedAdmin, has_permission
from channelhub.admin.queues import Queue, changelist_url, work_queue
from channelhub.partners.models import Partner, PartnerStatus
from channelhub.tenancy.roles import STAFF_ROLES

from .. import selectors, services
from ..models import WITHOUT_PARTNER, Lead, LeadOffer, LeadRoutingWeight, LeadState
from ..permissions import LEAD_MANAGE
from ._common import REFUSALS, ReadOnlyInline, refusal_text, staff_roles


@work_queue("cooperation.leads_without_partner", label=_("Leads without a partner"),
            roles=staff_roles(LEAD_MANAGE), order=60)
def leads_without_partner(request) -> Queue:
    return Queue(count=selectors.leads_without_partner().count(),
                 url=changelist_url("cooperation.lead", "without_partner=1"))


class WithoutPartnerFilter(admin.SimpleListFilter):
    title = _("partner")
    parameter_name = "without_partner"

    def lookups(self, request, model_admin):
        return [("1", _("Without a partner"))]

    def queryset(self, request, queryset):
        return queryset.filter(state__in=WITHOUT_PARTNER) if self.value() == "1" else queryset


class LeadForm(forms.ModelForm):
    offer_to = forms.ModelChoiceField(
        label=_("forward to partner"), queryset=Partner.objects.none(), required=False,
        help_text=_("Offer the lead to this partner now. Empty: an automatic lead is routed to the next eligible "
                    "partner when it is created."))

    class Meta:
        model = Lead
        fields = ("company", "contact_name", "contact_phone", "contact_email", "region", "partner_type", "product",
                  "interest", "value", "source", "description", "routing", "response_hours")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offer_to"].queryset = Partner.objects.exclude(
            status__in=[PartnerStatus.SUSPENDED, PartnerStatus.TERMINATED]).order_by("legal_name")


class LeadOfferInline(ReadOnlyInline):
    model = LeadOffer
    fields = ("partner", "state", "automatic", "offered_at", "deadline", "responded_at", "responded_by",
              "decline_reason")
    readonly_fields = fields
    ordering = ("-offered_at",)


@admin.register(Lead)
class LeadAdmin(TenantScopedAdmin):
    view_roles = STAFF_ROLES
    change_roles = staff_roles(LEAD_MANAGE)
    form = LeadForm
    list_display = ("company", "region", "value", "source", "routing", "state", "partner", "created_at")
    list_filter = (WithoutPartnerFilter, "state", "routing", "source")
    search_fields = ("company", "contact_name", "interest")
    list_select_related = ("region", "partner")
    autocomplete_fields = ("region", "product")
    inlines = [LeadOfferInline]
    actions = ["route", "mark_converted", "mark_lost"]
    empty_hint = _("Channel managers add leads here or through the API; routing offers them to partners.")
    fieldsets = (
        (None, {"fields": ("company", "contact_name", "contact_phone", "contact_email", "region", "partner_type",
                           "product", "interest", "value", "source", "description")}),
        (_("Distribution"), {"fields": ("routing", "response_hours", "offer_to")}),
    )

    def get_queryset(self, request):
        return selectors.lead_list()

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.fieldsets
        return (*self.fieldsets, (_("State"), {"fields": ("state", "partner", "state_changed_at", "outcome_note",
                                                           "closed_at", "created_by", "created_at")}))

    def get_readonly_fields(self, request, obj=None):
        return ("state", "partner", "state_changed_at", "outcome_note", "closed_at", "created_by",
                "created_at") if obj else ()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a lead is closed as lost, never deleted: its offers are the partners' history

    def save_model(self, request, obj, form, change) -> None:
        request.lead_offer_to = form.cleaned_data.get("offer_to")  # per request: the admin object is shared
        super().save_model(request, obj, form, change)

    def create_object(self, request, obj, fields):
        return services.lead_create(tenant=request.tenant, actor=request.user,
                                    offer_to=getattr(request, "lead_offer_to", None), **fields)

    def update_object(self, request, obj, fields):
        return services.lead_update(lead=obj, actor=request.user,
                                    offer_to=getattr(request, "lead_offer_to", None), **fields)

    def has_manage_permission(self, request) -> bool:
        return has_permission(request, LEAD_MANAGE)

    def _each(self, request, queryset, call, done_message):
        done = 0
        for lead in queryset:
            try:
                if call(lead) is not None:
                    done += 1
            except REFUSALS as error:
                messages.error(request, f"{lead}: {refusal_text(error)}")
        self.message_user(request, done_message(done))

    @admin.action(description=_("Offer to the next eligible partner"), permissions=["manage"])
    def route(self, request, queryset):
        self._each(request, queryset.filter(state__in=WITHOUT_PARTNER),
                   lambda lead: services.lead_route(lead=lead, actor=request.user),
                   lambda n: ngettext("%(count)d lead offered.", "%(count)d leads offered.", n) % {"count": n})

    @admin.action(description=_("Record as converted"), permissions=["manage"])
    def mark_converted(self, request, queryset):
        self._each(request, queryset.filter(state=LeadState.ACCEPTED),
                   lambda lead: services.lead_close(lead=lead, actor=request.user, outcome=LeadState.CONVERTED),
                   lambda n: ngettext("%(count)d lead converted.", "%(count)d leads converted.", n) % {"count": n})

    @admin.action(description=_("Record as lost"), permissions=["manage"])
    def mark_lost(self, request, queryset):
        self._each(request, queryset.exclude(state__in=[LeadState.CONVERTED, LeadState.LOST]),
                   lambda lead: services.lead_close(lead=lead, actor=request.user, outcome=LeadState.LOST),
                   lambda n: ngettext("%(count)d lead lost.", "%(count)d leads lost.", n) % {"count": n})


@admin.register(LeadOffer)
class LeadOfferAdmin(TenantScopedAdmin):
    """Who was offered which lead, until when, and the answer: written by the services only."""

    view_roles = STAFF_ROLES
    read_only = True
    list_display = ("lead", "partner", "state", "automatic", "offered_at", "deadline", "responded_at")
    list_filter = ("state", "automatic")
    search_fields = ("lead__company", "partner__legal_name")
    list_select_related = ("lead", "partner")
    fields = ("lead", "partner", "state", "automatic", "offered_by", "offered_at", "deadline", "responded_at",
              "responded_by", "decline_reason")
    readonly_fields = fields
    empty_hint = _("Offers are made when a lead is forwarded or routed to a partner.")

    def get_queryset(self, request):
        return selectors.offer_list()


@admin.register(LeadRoutingWeight)
class LeadRoutingWeightAdmin(TenantScopedAdmin):
    """Partners without a row weigh 1."""

    view_roles = STAFF_ROLES
    change_roles = staff_roles(LEAD_MANAGE)
    list_display = ("partner", "weight", "note")
    search_fields = ("partner__legal_name",)
    autocomplete_fields = ("partner",)
    fields = ("partner", "weight", "note")
    empty_hint = _("Every partner weighs 1 in automatic lead routing until you set another weight here.")

    def get_queryset(self, request):
        return selectors.weight_list()

    def get_readonly_fields(self, request, obj=None):
        return ("partner",) if obj else ()

    def create_object(self, request, obj, fields):
        return services.weight_save(tenant=request.tenant, actor=request.user, **fields)

    def update_object(self, request, obj, fields):
        values = {"weight": obj.weight, "note": obj.note, **fields}
        return services.weight_save(tenant=request.tenant, actor=request.user, partner=obj.partner, row=obj,
                                    weight=values["weight"], note=values["note"])

    def delete_object(self, request, obj) -> None:
        services.weight_delete(row=obj, actor=request.user)
