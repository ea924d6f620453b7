"""Deal registration and channel conflicts in the admin.

Registrations come from partners (portal, API); managers approve or reject them here (actions)
and see the matches found with their scores. A conflict's page carries the decision (awarded to a
party, shared, kept by direct sales, no conflict, with the reasons) and then the outcome; both go
through the services. Direct accounts are the vendor's own customers, kept here or by CSV/XLSX.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from channelhub.admin.base import TenantScopedAdmin, has_permission
from channelhub.admin.queues import Queue, changelist_url, work_queue
from channelhub.partners.models import Partner
from channelhub.tenancy.roles import STAFF_ROLES
from channelhub.writes import ServiceTrio

from .. import selectors, services
from ..models import (
    DEFAULT_PROTECTION_DAYS,
    ConflictCase,
    ConflictEvidence,
    ConflictParty,
    ConflictResolution,
    ConflictState,
    DealMatch,
    DealRegistration,
    DealState,
    DirectAccount,
)
from ..permissions import CONFLICT_MANAGE, DEAL_DECIDE, DIRECT_ACCOUNT_MANAGE
from ._common import REFUSALS, ReadOnlyInline, refusal_text, staff_roles
from .resources import DirectAccountResource


@admin.register(DirectAccount)
class DirectAccountAdmin(TenantScopedAdmin):
    view_roles = STAFF_ROLES
    change_roles = staff_roles(DIRECT_ACCOUNT_MANAGE)
    resource_classes = [DirectAccountResource]
    import_enabled = True
    list_display = ("name", "credit_code", "region", "account_manager", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "credit_code", "name_key")
    fields = ("name", "credit_code", "region", "account_manager", "note", "is_active")
    list_select_related = ("region", "account_manager")
    empty_hint = _("The vendor's own customers: a partner's registration of one of them opens a channel conflict.")
    writes = ServiceTrio(create=services.direct_account_create, update=services.direct_account_update,
                         delete=services.direct_account_delete, instance="account")

    def get_queryset(self, request):
        return selectors.direct_account_list()


class DealMatchInline(ReadOnlyInline):
    model = DealMatch
    fk_name = "registration"
    fields = ("kind", "score", "other_partner", "other", "direct_account")
    readonly_fields = fields
    verbose_name_plural = _("matches found")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("other", "other__partner", "direct_account")

    @admin.display(description=_("other partner"))
    def other_partner(self, obj):
        return obj.other.partner if obj.other_id else "—"


@admin.register(DealRegistration)
class DealRegistrationAdmin(TenantScopedAdmin):
    view_roles = STAFF_ROLES
    change_roles = staff_roles(DEAL_DECIDE)
    read_only = True  # partners register; managers decide with the actions
    list_display = ("number", "partner", "customer_name", "amount", "currency", "expected_close", "state",
                    "has_conflict", "protected_until")
    list_filter = ("state", "has_conflict", "currency")
    search_fields = ("number", "customer_name", "customer_credit_code", "partner__legal_name")
    fields = ("number", "partner", "customer_name", "customer_credit_code", "name_key", "region", "products",
              "amount", "currency", "expected_close", "contact_name", "contact_phone", "note", "state",
              "submitted_by", "submitted_at", "decided_by", "decision_note", "protected_until", "closed_on",
              "won_amount", "has_conflict")
    readonly_fields = fields
    inlines = [DealMatchInline]
    actions = ["approve", "reject"]
    empty_hint = _("Partners register deals in the portal or through the API.")

    def get_queryset(self, request):
        return selectors.deal_list()

    def has_approve_permission(self, request) -> bool:
        return has_permission(request, DEAL_DECIDE)

    has_reject_permission = has_approve_permission

    @admin.action(description=_("Approve (protect for %(days)s days)") % {"days": DEFAULT_PROTECTION_DAYS},
                  permissions=["approve"])
    def approve(self, request, queryset):
        done = 0
        for registration in queryset.filter(state=DealState.SUBMITTED):
            try:
                services.deal_approve(registration=registration, actor=request.user)
                done += 1
            except REFUSALS as error:
                messages.error(request, f"{registration}: {refusal_text(error)}")
        self.message_user(request, ngettext("%(count)d registration approved.", "%(count)d registrations approved.",
                                            done) % {"count": done})

    @admin.action(description=_("Reject"), permissions=["reject"])
    def reject(self, request, queryset):
        done = 0
        for registration in queryset.filter(state=DealState.SUBMITTED):
            try:
                services.deal_reject(registration=registration, actor=request.user,
                                     note=gettext("Rejected by the channel manager."))
                done += 1
            except REFUSALS as error:
                messages.error(request, f"{registration}: {refusal_text(error)}")
        self.message_user(request, ngettext("%(count)d registration rejected.", "%(count)d registrations rejected.",
                                            done) % {"count": done})


class ConflictPartyInline(ReadOnlyInline):
    model = ConflictParty
    fields = ("partner", "registration", "is_claimant")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("partner", "registration")


class ConflictEvidenceInline(ReadOnlyInline):
    model = ConflictEvidence
    fields = ("created_at", "partner", "author", "text")
    readonly_fields = fields
    verbose_name_plural = _("evidence (a partner's is seen by that partner and the vendor only)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("partner", "author")


class ConflictDecisionForm(forms.ModelForm):
    """The decision, then the outcome, beside the case (the services write them)."""

    decide = forms.ChoiceField(label=_("decision"), choices=[("", "—"), *ConflictResolution.choices],
                               required=False)
    award_to = forms.ModelChoiceField(label=_("awarded to"), queryset=Partner.objects.none(), required=False,
                                      help_text=_("For “awarded to one partner”: one of the parties."))
    reasons = forms.CharField(label=_("reasons for the decision"), widget=forms.Textarea(attrs={"rows": 3}),
                              required=False)
    record_outcome = forms.CharField(label=_("outcome"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                                     help_text=_("Once decided: what came of the decision; closes the case."))
    vendor_evidence = forms.CharField(label=_("note for the file"), widget=forms.Textarea(attrs={"rows": 2}),
                                      required=False, help_text=_("Seen by the vendor's staff only."))

    class Meta:
        model = ConflictCase
        fields = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parties = ConflictParty.objects.filter(case_id=self.instance.pk).values("partner_id")
        self.fields["award_to"].queryset = Partner.objects.filter(pk__in=parties).order_by("legal_name")


@admin.register(ConflictCase)
class ConflictCaseAdmin(TenantScopedAdmin):
    view_roles = STAFF_ROLES
    change_roles = staff_roles(CONFLICT_MANAGE)
    form = ConflictDecisionForm
    list_display = ("number", "kind", "customer_name", "state", "resolution", "awarded_to", "opened_at")
    list_filter = ("state", "kind", "resolution")
    search_fields = ("number", "customer_name")
    list_select_related = ("awarded_to",)
    readonly_fields = ("number", "kind", "state", "customer_name", "summary", "direct_account", "opened_at",
                       "opened_by", "resolution", "awarded_to", "decision_note", "decided_by", "decided_at",
                       "outcome", "closed_at")
    inlines = [ConflictPartyInline, ConflictEvidenceInline]
    empty_hint = _("A partner's registration of a customer another partner or a direct account holds opens a "
                   "conflict here; managers also open them through the API.")

    def get_fields(self, request, obj=None):
        editable = ("decide", "award_to", "reasons") if obj and obj.state == ConflictState.OPEN else (
            ("record_outcome",) if obj and obj.state == ConflictState.DECIDED else ())
        return (*self.readonly_fields, *editable, "vendor_evidence")

    def has_add_permission(self, request, *args) -> bool:
        return False  # opened by registrations, or by a manager through the API

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a conflict is a record

    def save_model(self, request, obj, form, change) -> None:
        data = form.cleaned_data
        try:
            if data.get("vendor_evidence"):
                services.conflict_add_evidence(case=obj, actor=request.user, text=data["vendor_evidence"])
            if data.get("decide"):
                services.conflict_decide(case=obj, actor=request.user, resolution=data["decide"],
                                         awarded_to=data.get("award_to"), note=data.get("reasons", ""))
            elif data.get("record_outcome"):
                services.conflict_close(case=obj, actor=request.user, outcome=data["record_outcome"])
        except REFUSALS as error:
            messages.error(request, refusal_text(error))
        obj.refresh_from_db()

    def update_object(self, request, obj, fields):  # the decision form saves through save_model
        return obj


@work_queue("cooperation.deals_awaiting_decision", label=_("Deal registrations awaiting a decision"),
            roles=staff_roles(DEAL_DECIDE), order=55)
def deals_awaiting_decision(request) -> Queue:
    count = selectors.deals_awaiting_decision().count()
    return Queue(count=count, url=changelist_url("cooperation.dealregistration",
                                                 f"state__exact={DealState.SUBMITTED}"))


@work_queue("cooperation.open_conflicts", label=_("Open channel conflicts"), roles=staff_roles(CONFLICT_MANAGE),
            order=56)
def open_conflicts(request) -> Queue:
    count = selectors.open_conflicts().count()
    return Queue(count=count, url=changelist_url("cooperation.conflictcase", f"state__exact={ConflictState.OPEN}"))
