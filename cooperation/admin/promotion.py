"""Promotion support (MDF) in the admin: budgets with what is committed and paid; fund requests and claims
with the record's buttons (approve / return / reject a request, close an approved one; review a claim in full,
in part or reject it; record the payment); proof downloads; and the three work queues.

Requests and claims come from partners (portal and API): the admin never types them in. Every button's page
opens for tenant staff and shows its form only to the role and state the service admits; the service checks
again and keeps the budget from being over-committed.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from channelhub.admin.base import TenantScopedAdmin, has_permission
from channelhub.admin.queues import Queue, changelist_url, work_queue
from channelhub.tenancy.roles import STAFF_ROLES

from .. import selectors, services
from ..models import AWAITING_PAYMENT, FundBudget, FundClaim, FundClaimFile, FundClaimState, FundRequest
from ..models import FundRequestState as R
from ..permissions import MDF_BUDGET, MDF_DECIDE, MDF_PAY
from ..storage import private_download
from ._common import REFUSALS, ReadOnlyInline, report_refusal, staff_roles

NOBODY_ROLES: frozenset[str] = frozenset()

# --------------------------------------------------------------------------- budgets


@admin.register(FundBudget)
class FundBudgetAdmin(TenantScopedAdmin):
    view_roles = STAFF_ROLES
    change_roles = staff_roles(MDF_BUDGET)
    list_display = ("name", "start", "end", "partner", "total", "committed", "paid", "available_amount", "is_open")
    list_filter = ("is_open",)
    search_fields = ("name", "partner__legal_name")
    autocomplete_fields = ("partner",)
    fields = ("name", "start", "end", "partner", "total", "is_open")
    empty_hint = _("Set a budget per period; partners' requests are approved against it.")

    def get_queryset(self, request):
        return selectors.budget_list()

    def get_fields(self, request, obj=None):
        return self.fields if obj is None else (*self.fields, "committed", "paid", "available_amount")

    def get_readonly_fields(self, request, obj=None):
        return ("committed", "paid", "available_amount") if obj else ()

    @admin.display(description=_("available (CNY)"))
    def available_amount(self, obj):
        return obj.available

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # money was counted against it: a budget is closed, never deleted

    def create_object(self, request, obj, fields):
        return services.budget_create(tenant=request.tenant, actor=request.user, **fields)

    def update_object(self, request, obj, fields):
        return services.budget_update(budget=obj, actor=request.user, **fields)


# --------------------------------------------------------------------------- record pages (shared)


class RecordPagesMixin:
    """The button pages of a record: ``<pk>/<name>/`` views rendered in the admin frame."""

    pages: tuple[str, ...] = ()

    def _row(self, request, pk: int):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return get_object_or_404(self.get_queryset(request), pk=pk)

    def _page(self, request, row, title: str, **context):
        opts = self.model._meta
        return TemplateResponse(request, "cooperation/admin/mdf_page.html", {
            **self.admin_site.each_context(request), "opts": opts, "original": row, "title": title,
            "subtitle": str(row), "change_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_change",
                                                        args=[row.pk]),
            **self.buttons(request, row), **context,
        })

    def _done(self, request, row, message: str):
        messages.success(request, message)
        opts = self.model._meta
        return redirect(f"admin:{opts.app_label}_{opts.model_name}_change", row.pk)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        row = self.get_object(request, unquote(object_id))
        if row is not None:
            extra_context = {**(extra_context or {}), **self.buttons(request, row)}
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        opts = self.model._meta
        site = self.admin_site
        return [
            *(path(f"<int:pk>/{name}/", site.admin_view(getattr(self, f"{name}_view")),
                   name=f"{opts.app_label}_{opts.model_name}_{name}") for name in self.pages),
            *super().get_urls(),
        ]

    def _form_page(self, request, row, *, form_class, allowed: bool, title: str, call, done: str, initial=None,
                   form_kwargs=None, **context):
        form = form_class(request.POST if request.method == "POST" else None, initial=initial or {},
                          **(form_kwargs or {}))
        if request.method == "POST" and allowed and form.is_valid():
            try:
                call(form.cleaned_data)
            except REFUSALS as error:
                report_refusal(request, error)
            else:
                return self._done(request, row, done)
        return self._page(request, row, title, form=form, allowed=allowed, **context)


# --------------------------------------------------------------------------- requests


class DecideForm(forms.Form):
    decision = forms.ChoiceField(label=_("decision"), widget=forms.RadioSelect, choices=[
        ("approve", _("Approve against a budget")), ("return", _("Return for changes")), ("reject", _("Reject"))])
    budget = forms.ModelChoiceField(label=_("promotion budget"), queryset=FundBudget.objects.none(), required=False,
                                    help_text=_("Open budgets whose period holds the activity's start."))
    amount = forms.DecimalField(label=_("approved amount (CNY)"), min_value=0, max_digits=16, decimal_places=2,
                                required=False, help_text=_("Empty: the amount requested."))
    comment = forms.CharField(label=_("comment"), required=False, max_length=4000,
                              widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("Required when you return or reject: the partner reads it."))

    def __init__(self, *args, fund_request=None, **kwargs):
        super().__init__(*args, **kwargs)
        if fund_request is not None:
            self.fields["budget"].queryset = selectors.budgets_for(fund_request)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "approve" and not data.get("budget"):
            self.add_error("budget", gettext("Choose the budget to commit the amount against."))
        return data


class CloseForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


@admin.register(FundRequest)
class FundRequestAdmin(RecordPagesMixin, TenantScopedAdmin):
    view_roles = STAFF_ROLES
    change_roles = NOBODY_ROLES
    read_only = True  # records from the partner: the buttons below call the services
    list_display = ("number", "partner", "title", "kind", "starts_on", "ends_on", "requested_amount",
                    "approved_amount", "state", "claim_state_shown", "submitted_at")
    list_filter = ("state", "kind", ("budget", admin.RelatedOnlyFieldListFilter))
    search_fields = ("title", "partner__legal_name")
    list_select_related = ("partner", "budget")
    date_hierarchy = "starts_on"
    readonly_fields = ("partner", "title", "kind", "plan", "expected_results", "starts_on", "ends_on",
                       "requested_amount", "state", "budget", "approved_amount", "committed", "submitted_at",
                       "decided_by", "decided_at", "decision_comment", "claim_link")
    fields = readonly_fields
    change_form_template = "cooperation/admin/mdf_change_form.html"
    pages = ("decide", "close")
    empty_hint = _("Partners request promotion funds in the portal or through the API.")

    def get_queryset(self, request):
        return selectors.fund_request_list()

    @admin.display(description=_("number"), ordering="pk")
    def number(self, obj):
        return f"MDF-{obj.pk}"

    @admin.display(description=_("claim"))
    def claim_state_shown(self, obj):
        state = getattr(obj, "claim_state", None)
        return FundClaimState(state).label if state else "—"

    @admin.display(description=_("fund claim"))
    def claim_link(self, obj):
        claim_id = getattr(obj, "claim_id", None)
        if not claim_id:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("admin:cooperation_fundclaim_change", args=[claim_id]),
                           self.claim_state_shown(obj))

    def buttons(self, request, row) -> dict[str, bool]:
        return {
            "may_decide": row.state == R.SUBMITTED and has_permission(request, MDF_DECIDE),
            "may_close": row.state == R.APPROVED and not getattr(row, "claim_id", None)
            and has_permission(request, MDF_DECIDE),
        }

    def decide_view(self, request, pk: int):
        row = self._row(request, pk)

        def call(data):
            if data["decision"] == "approve":
                services.fund_request_approve(request=row, actor=request.user, budget=data["budget"],
                                              amount=data["amount"], comment=data["comment"])
            elif data["decision"] == "return":
                services.fund_request_return(request=row, actor=request.user, comment=data["comment"])
            else:
                services.fund_request_reject(request=row, actor=request.user, comment=data["comment"])

        return self._form_page(request, row, form_class=DecideForm, form_kwargs={"fund_request": row},
                               allowed=self.buttons(request, row)["may_decide"], title=gettext("Decide the request"),
                               call=call, done=gettext("Your decision is recorded."),
                               budgets=selectors.budgets_for(row))

    def close_view(self, request, pk: int):
        row = self._row(request, pk)
        return self._form_page(
            request, row, form_class=CloseForm, allowed=self.buttons(request, row)["may_close"],
            title=gettext("Close the request"), done=gettext("Closed: the commitment went back to the budget."),
            call=lambda data: services.fund_request_close(request=row, actor=request.user, **data))


# --------------------------------------------------------------------------- claims


class ProofInline(ReadOnlyInline):
    model = FundClaimFile
    fields = ("download", "content_type", "size", "uploaded_at")
    readonly_fields = fields

    @admin.display(description=_("file"))
    def download(self, obj):
        if not obj.pk:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("admin:cooperation_fundclaim_proof", args=[obj.pk]),
                           obj.original_name)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("decision"), widget=forms.RadioSelect, choices=[
        ("approve", _("Approve in full")), ("partial", _("Approve in part")), ("reject", _("Reject"))])
    amount = forms.DecimalField(label=_("approved amount (CNY)"), min_value=0, max_digits=16, decimal_places=2,
                                required=False, help_text=_("For a partial approval: less than claimed."))
    comment = forms.CharField(label=_("comment"), required=False, max_length=4000,
                              widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("Required when you reject: the partner reads it."))


class PayForm(forms.Form):
    payment_reference = forms.CharField(label=_("payment reference"), max_length=100)
    paid_on = forms.DateField(label=_("paid on"), initial=timezone.localdate,
                              widget=forms.DateInput(attrs={"type": "date"}))


@admin.register(FundClaim)
class FundClaimAdmin(RecordPagesMixin, TenantScopedAdmin):
    view_roles = STAFF_ROLES
    change_roles = NOBODY_ROLES
    read_only = True  # records from the partner: the buttons below call the services
    list_display = ("__str__", "partner", "claimed_amount", "actual_cost", "attendees", "leads", "file_count",
                    "approved_amount", "state", "submitted_at", "paid_on")
    list_filter = ("state",)
    search_fields = ("request__title", "partner__legal_name", "payment_reference")
    readonly_fields = ("request_link", "partner", "actual_cost", "claimed_amount", "attendees", "leads", "results",
                       "state", "submitted_by", "submitted_at", "approved_amount", "reviewed_by", "reviewed_at",
                       "review_comment", "paid_by", "paid_on", "payment_reference")
    fields = readonly_fields
    inlines = [ProofInline]
    change_form_template = "cooperation/admin/mdf_change_form.html"
    pages = ("review", "pay")
    empty_hint = _("Partners claim approved funds after the activity, with proof of performance.")

    def get_queryset(self, request):
        return selectors.fund_claim_list()

    @admin.display(description=_("files"), ordering="file_count")
    def file_count(self, obj):
        return getattr(obj, "file_count", "—")

    @admin.display(description=_("fund request"))
    def request_link(self, obj):
        return format_html('<a href="{}">MDF-{} · {}</a>',
                           reverse("admin:cooperation_fundrequest_change", args=[obj.request_id]), obj.request_id,
                           obj.request.title)

    def buttons(self, request, row) -> dict[str, bool]:
        return {
            "may_review": row.state == FundClaimState.SUBMITTED and has_permission(request, MDF_DECIDE),
            "may_pay": row.state in AWAITING_PAYMENT and has_permission(request, MDF_PAY),
        }

    def get_urls(self):
        return [
            path("proof/<int:pk>/", self.admin_site.admin_view(self.proof_view), name="cooperation_fundclaim_proof"),
            *super().get_urls(),
        ]

    def review_view(self, request, pk: int):
        row = self._row(request, pk)
        return self._form_page(
            request, row, form_class=ReviewForm, allowed=self.buttons(request, row)["may_review"],
            title=gettext("Review the claim"), done=gettext("Your review is recorded."),
            call=lambda data: services.fund_claim_review(claim=row, actor=request.user, **data),
            initial={"amount": row.claimed_amount}, files=list(selectors.claim_files(row)))

    def pay_view(self, request, pk: int):
        row = self._row(request, pk)
        return self._form_page(
            request, row, form_class=PayForm, allowed=self.buttons(request, row)["may_pay"],
            title=gettext("Record the payment"), done=gettext("The payment is recorded."),
            call=lambda data: services.fund_claim_pay(claim=row, actor=request.user, **data))

    def proof_view(self, request, pk: int):
        if not self.has_view_permission(request):
            raise PermissionDenied
        row = get_object_or_404(FundClaimFile.objects.all(), pk=pk)
        return private_download(row.file, filename=row.original_name, content_type=row.content_type)


# --------------------------------------------------------------------------- work queues


@work_queue("cooperation.mdf_requests", label=_("Fund requests awaiting approval"), roles=staff_roles(MDF_DECIDE),
            order=56)
def requests_awaiting_approval(request) -> Queue:
    return Queue(count=selectors.requests_awaiting_decision().count(),
                 url=changelist_url("cooperation.fundrequest", f"state__exact={R.SUBMITTED}"))


@work_queue("cooperation.mdf_claims", label=_("Fund claims awaiting review"), roles=staff_roles(MDF_DECIDE),
            order=57)
def claims_awaiting_review(request) -> Queue:
    return Queue(count=selectors.claims_awaiting_review().count(),
                 url=changelist_url("cooperation.fundclaim", f"state__exact={FundClaimState.SUBMITTED}"))


@work_queue("cooperation.mdf_payments", label=_("Fund claims approved, awaiting payment"),
            roles=staff_roles(MDF_PAY), order=58)
def claims_awaiting_payment(request) -> Queue:
    return Queue(count=selectors.claims_awaiting_payment().count(),
                 url=changelist_url("cooperation.fundclaim", "state__in=" + ",".join(AWAITING_PAYMENT)))
