"""Promotion support (MDF) in the partner portal: the partner's fund requests, a new request, a request's page
(change and submit while it is a draft or returned; the claim with its proof after the activity), and the
proof downloads. Also its navigation entry, the home reminder and the panel on the manager's partner page."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, FormView, ListView

from channelhub.formfields import MultipleFileField
from channelhub.portal.mixins import PortalMixin
from channelhub.portal.registry import partner_panel, portal_home_panel, portal_nav
from channelhub.tenancy.roles import STAFF_ROLES
from channelhub.writes import add_service_errors

from .. import selectors, services
from ..admin._common import REFUSALS, refusal_text
from ..models import ActivityKind, FundClaimFile, FundClaimState, FundRequest, FundRequestState
from ..permissions import MDF_REQUEST
from ..storage import private_download

EDITABLE = (FundRequestState.DRAFT, FundRequestState.RETURNED)


class FundRequestForm(forms.Form):
    title = forms.CharField(label=_("activity"), max_length=200)
    kind = forms.ChoiceField(label=_("kind of activity"), choices=ActivityKind.choices)
    starts_on = forms.DateField(label=_("starts on"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("ends on"), widget=forms.DateInput(attrs={"type": "date"}))
    requested_amount = forms.DecimalField(label=_("requested amount (CNY)"), min_value=0, max_digits=16,
                                          decimal_places=2)
    plan = forms.CharField(label=_("plan"), widget=forms.Textarea(attrs={"rows": 5}), max_length=10_000,
                           help_text=_("What, where, for whom, with which products."))
    expected_results = forms.CharField(label=_("expected results"), widget=forms.Textarea(attrs={"rows": 3}),
                                       max_length=10_000, required=False,
                                       help_text=_("Leads, visitors, sales you expect."))


class ClaimForm(forms.Form):
    actual_cost = forms.DecimalField(label=_("actual cost (CNY)"), min_value=0, max_digits=16, decimal_places=2)
    claimed_amount = forms.DecimalField(label=_("claimed amount (CNY)"), min_value=0, max_digits=16,
                                        decimal_places=2, help_text=_("At most the amount approved."))
    attendees = forms.IntegerField(label=_("attendees or visitors"), min_value=0, max_value=10_000_000, initial=0)
    leads = forms.IntegerField(label=_("leads"), min_value=0, max_value=10_000_000, initial=0)
    results = forms.CharField(label=_("results"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10_000,
                              help_text=_("What the activity achieved."))
    files = MultipleFileField(label=_("proof of performance"),
                              help_text=_("Photos, invoices, reports: PDF, JPEG or PNG, several at once."))


class ProofForm(forms.Form):
    files = MultipleFileField(label=_("more proof"), help_text=_("PDF, JPEG or PNG, several at once."))


def _refused(form, error) -> None:
    if hasattr(error, "message_dict"):
        add_service_errors(form, error)
    else:
        form.add_error(None, refusal_text(error))


class FundRequestListView(PortalMixin, ListView):
    model = FundRequest
    template_name = "cooperation/portal/mdf_requests.html"
    context_object_name = "fund_requests"
    paginate_by = 50

    def get_queryset(self):
        return selectors.fund_request_list(partner_id=self.partner.pk).order_by("-created_at", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["claim_states"] = dict(FundClaimState.choices)
        context["summary"] = selectors.partner_summary(self.partner.pk)
        return context


class FundRequestCreateView(PortalMixin, FormView):
    form_class = FundRequestForm
    template_name = "cooperation/portal/mdf_request_form.html"
    portal_roles = MDF_REQUEST.roles

    def form_valid(self, form):
        try:
            row = services.fund_request_create(tenant=self.request.tenant, actor=self.request.user,
                                               partner=self.partner, submit="submit" in self.request.POST,
                                               **form.cleaned_data)
        except REFUSALS as error:
            _refused(form, error)
            return self.form_invalid(form)
        messages.success(self.request, gettext("Submitted: your channel manager decides next.")
                         if row.state == FundRequestState.SUBMITTED else gettext("Saved as a draft."))
        return redirect("cooperation-portal:mdf-request", pk=row.pk)


class FundRequestDetailView(PortalMixin, DetailView):
    """The request; while a draft or returned: change and submit; once approved and over: the claim."""

    model = FundRequest
    template_name = "cooperation/portal/mdf_request.html"
    context_object_name = "fund_request"

    def get_queryset(self):
        return selectors.fund_request_list(partner_id=self.partner.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        row = self.object
        claim = selectors.claim_of(row)
        editable = row.state in EDITABLE
        may_claim = (row.state == FundRequestState.APPROVED and claim is None
                     and row.ends_on <= timezone.localdate())
        context.update({
            "claim": claim, "files": list(selectors.claim_files(claim)) if claim else [], "editable": editable,
            "may_claim": may_claim, "claim_waits": bool(claim and claim.state == FundClaimState.SUBMITTED),
            "claim_later": row.state == FundRequestState.APPROVED and claim is None and not may_claim,
        })
        if editable:
            context.setdefault("form", FundRequestForm(initial={
                name: getattr(row, name) for name in FundRequestForm.base_fields}))
        if may_claim:
            context.setdefault("claim_form", ClaimForm(initial={"claimed_amount": row.committed}))
        if context["claim_waits"]:
            context.setdefault("proof_form", ProofForm())
        return context

    def post(self, request, *args, **kwargs):
        self.object = row = self.get_object()
        action = request.POST.get("action", "")
        try:
            if action == "submit" and row.state in EDITABLE:
                services.fund_request_submit(request=row, actor=request.user)
                messages.success(request, gettext("Submitted: your channel manager decides next."))
                return redirect("cooperation-portal:mdf-request", pk=row.pk)
            if action == "save" and row.state in EDITABLE:
                form = FundRequestForm(request.POST)
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(form=form))
                try:
                    services.fund_request_update(request=row, actor=request.user, **form.cleaned_data)
                except REFUSALS as error:
                    _refused(form, error)
                    return self.render_to_response(self.get_context_data(form=form))
                messages.success(request, gettext("Your changes are saved."))
                return redirect("cooperation-portal:mdf-request", pk=row.pk)
            if action == "claim":
                form = ClaimForm(request.POST, request.FILES)
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(claim_form=form))
                try:
                    services.fund_claim_submit(request=row, actor=request.user, **form.cleaned_data)
                except REFUSALS as error:
                    _refused(form, error)
                    return self.render_to_response(self.get_context_data(claim_form=form))
                messages.success(request, gettext("Claimed: your channel manager reviews the proof next."))
                return redirect("cooperation-portal:mdf-request", pk=row.pk)
            if action == "proof":
                claim = selectors.claim_of(row)
                form = ProofForm(request.POST, request.FILES)
                if claim is None or not form.is_valid():
                    return self.render_to_response(self.get_context_data(proof_form=form), status=400)
                try:
                    for file in form.cleaned_data["files"]:
                        services.fund_claim_add_file(claim=claim, actor=request.user, file=file)
                except REFUSALS as error:
                    _refused(form, error)
                    return self.render_to_response(self.get_context_data(proof_form=form))
                messages.success(request, gettext("The proof is added."))
                return redirect("cooperation-portal:mdf-request", pk=row.pk)
        except REFUSALS as error:
            messages.error(request, refusal_text(error))
            return redirect("cooperation-portal:mdf-request", pk=row.pk)
        messages.error(request, gettext("This cannot be done now."))
        return redirect("cooperation-portal:mdf-request", pk=row.pk)


class ProofDownloadView(PortalMixin, DetailView):
    """A proof file of the partner's own claims."""

    model = FundClaimFile

    def get_queryset(self):
        return FundClaimFile.objects.filter(partner_id=self.partner.pk)

    def get(self, request, *args, **kwargs):
        row = self.get_object()
        return private_download(row.file, filename=row.original_name, content_type=row.content_type)


# --------------------------------------------------------------------------- navigation and panels


def _returned(request, partner) -> int | None:
    count = FundRequest.objects.filter(partner_id=partner.pk, state=FundRequestState.RETURNED).count()
    return count or None


portal_nav("cooperation.mdf", label=pgettext_lazy("portal navigation", "Promotion funds"),
           url_name="cooperation-portal:mdf", order=40, badge=_returned, group="business")


@portal_home_panel("cooperation.mdf_to_do", title=_("Promotion funds"),
                   template="cooperation/portal/_mdf_panel.html", order=7)
def mdf_to_do(request, partner):
    today = timezone.localdate()
    returned = list(FundRequest.objects.filter(partner_id=partner.pk, state=FundRequestState.RETURNED)
                    .order_by("-state_changed_at")[:5])
    to_claim = list(FundRequest.objects.filter(partner_id=partner.pk, state=FundRequestState.APPROVED,
                                               ends_on__lte=today, claims__isnull=True).order_by("ends_on")[:5])
    if not returned and not to_claim:
        return None
    return {"returned": returned, "to_claim": to_claim}


@partner_panel("cooperation.mdf", title=_("Promotion funds"), template="cooperation/admin/_mdf_panel.html",
               roles=STAFF_ROLES, order=24)
def mdf_panel(request, partner):
    summary = selectors.partner_summary(partner.pk)
    if not any(summary.values()):
        return None
    return {"summary": summary, "partner": partner}
