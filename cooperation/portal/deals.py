"""Deal registration and channel conflicts in the partner portal.

The partner registers opportunities, follows their decision and protection, withdraws them and
records won / lost. Conflicts show a party's view only: its own registration and evidence, how
many other parties there are, the decision's reasons and whether it went its way, the outcome.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, FormView, ListView

from channelhub.partners.models import Region
from channelhub.portal.mixins import PortalMixin
from channelhub.portal.registry import portal_home_panel, portal_nav
from channelhub.tenancy.policy import request_may
from channelhub.writes import add_service_errors

from .. import selectors, services
from ..admin._common import REFUSALS, refusal_text
from ..models import ConflictCase, Currency, DealRegistration, DealState
from ..permissions import CONFLICT_EVIDENCE, DEAL_CLOSE, DEAL_REGISTER


def _open_conflicts(request, partner) -> int | None:
    return selectors.conflict_list(partner_id=partner.pk).filter(state="open").count() or None


portal_nav("cooperation.deals", label=pgettext_lazy("portal navigation", "Deal registration"),
           url_name="cooperation-portal:deals", order=37, group="business")
portal_nav("cooperation.conflicts", label=pgettext_lazy("portal navigation", "Channel conflicts"),
           url_name="cooperation-portal:conflicts", order=38, badge=_open_conflicts,
           group="business")


@portal_home_panel("cooperation.deals_protection", title=_("Deal registrations"),
                   template="cooperation/portal/_deals_panel.html", order=7)
def deals_panel(request, partner):
    """Approved registrations whose protection ends first, and registrations in conflict."""
    approved = list(selectors.deal_list(partner_id=partner.pk).filter(state=DealState.APPROVED)
                    .order_by("protected_until")[:5])
    conflicted = list(selectors.deal_list(partner_id=partner.pk).filter(has_conflict=True)
                      .order_by("-submitted_at")[:5])
    if not approved and not conflicted:
        return None
    return {"approved": approved, "conflicted": conflicted}


def _refused(form, error) -> None:
    if hasattr(error, "message_dict"):
        add_service_errors(form, error)
    else:
        form.add_error(None, refusal_text(error))


class DealForm(forms.Form):
    customer_name = forms.CharField(label=_("end customer"), max_length=200)
    customer_credit_code = forms.CharField(label=_("customer's unified social credit code"), max_length=18,
                                           required=False)
    region = forms.ModelChoiceField(label=_("territory"), queryset=Region.objects.none(), required=False)
    products = forms.CharField(label=_("products"), widget=forms.Textarea(attrs={"rows": 3}),
                               help_text=_("Products and quantities the customer considers."))
    amount = forms.DecimalField(label=_("expected value"), min_value=0, max_digits=16, decimal_places=2)
    currency = forms.ChoiceField(label=_("currency"), choices=Currency.choices, initial=Currency.CNY)
    expected_close = forms.DateField(label=_("expected close"), widget=forms.DateInput(attrs={"type": "date"}))
    contact_name = forms.CharField(label=_("customer contact"), max_length=100, required=False)
    contact_phone = forms.CharField(label=_("contact phone"), max_length=40, required=False)
    note = forms.CharField(label=_("note"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.order_by("path")


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("outcome"), choices=(("won", _("Won")), ("lost", _("Lost"))))
    amount = forms.DecimalField(label=_("revenue won"), min_value=0, max_digits=16, decimal_places=2,
                                required=False, help_text=_("Empty: the expected value."))
    closed_on = forms.DateField(label=_("closed on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class EvidenceForm(forms.Form):
    text = forms.CharField(label=_("evidence"), widget=forms.Textarea(attrs={"rows": 4}),
                           help_text=_("Visits, quotations, contacts: what shows the customer is yours."))


class DealListView(PortalMixin, ListView):
    model = DealRegistration
    template_name = "cooperation/portal/deals.html"
    context_object_name = "deals"
    paginate_by = 50

    def get_queryset(self):
        return selectors.deal_list(partner_id=self.partner.pk).order_by("-submitted_at", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["may_register"] = request_may(self.request, DEAL_REGISTER.code, partner=self.partner)
        return context


class DealRegisterView(PortalMixin, FormView):
    form_class = DealForm
    template_name = "cooperation/portal/deal_form.html"
    portal_roles = DEAL_REGISTER.roles

    def form_valid(self, form):
        try:
            registration = services.deal_register(tenant=self.request.tenant, actor=self.request.user,
                                                  partner=self.partner, **form.cleaned_data)
        except REFUSALS as error:
            _refused(form, error)
            return self.form_invalid(form)
        if registration.has_conflict:
            messages.warning(self.request, gettext(
                "Registered. Another registration or a direct account names this customer: a channel conflict is "
                "open and your channel manager decides."))
        else:
            messages.success(self.request, gettext("Registered. Your channel manager decides next."))
        return redirect("cooperation-portal:deal", pk=registration.pk)


class DealDetailView(PortalMixin, DetailView):
    model = DealRegistration
    template_name = "cooperation/portal/deal.html"
    context_object_name = "deal"

    def get_queryset(self):
        return selectors.deal_list(partner_id=self.partner.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        deal = self.object
        context.update({
            "conflicts": list(selectors.deal_conflicts(deal)),
            "may_withdraw": deal.is_open and request_may(self.request, DEAL_REGISTER.code, partner=self.partner),
            "may_close": deal.state == DealState.APPROVED
            and request_may(self.request, DEAL_CLOSE.code, partner=self.partner),
        })
        context.setdefault("close_form", CloseForm())
        return context

    def post(self, request, *args, **kwargs):
        self.object = deal = self.get_object()
        try:
            if "withdraw" in request.POST:
                services.deal_withdraw(registration=deal, actor=request.user)
                messages.success(request, gettext("Withdrawn."))
                return redirect("cooperation-portal:deal", pk=deal.pk)
            form = CloseForm(request.POST)
            if not form.is_valid():
                return self.render_to_response(self.get_context_data(close_form=form))
            data = form.cleaned_data
            services.deal_close(registration=deal, actor=request.user, won=data["outcome"] == "won",
                                amount=data["amount"], closed_on=data["closed_on"])
        except REFUSALS as error:
            if "withdraw" in request.POST:
                messages.error(request, refusal_text(error))
                return redirect("cooperation-portal:deal", pk=deal.pk)
            _refused(form, error)
            return self.render_to_response(self.get_context_data(close_form=form))
        messages.success(request, gettext("Recorded."))
        return redirect("cooperation-portal:deal", pk=deal.pk)


class ConflictListView(PortalMixin, ListView):
    model = ConflictCase
    template_name = "cooperation/portal/deals_conflicts.html"
    context_object_name = "cases"
    paginate_by = 50

    def get_queryset(self):
        return selectors.conflict_list(partner_id=self.partner.pk).order_by("-opened_at", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for case in context["cases"]:
            case.view = selectors.partner_view(case, self.partner.pk)
        return context


class ConflictDetailView(PortalMixin, DetailView):
    """A party's view of the case; the party adds evidence while it is not closed."""

    model = ConflictCase
    template_name = "cooperation/portal/deals_conflict.html"
    context_object_name = "case"

    def get_queryset(self):
        return selectors.conflict_list(partner_id=self.partner.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        case = self.object
        context.update({
            "view": selectors.partner_view(case, self.partner.pk),
            "evidence": list(selectors.conflict_evidence(case, partner_id=self.partner.pk)),
            "may_add": case.state != "closed"
            and request_may(self.request, CONFLICT_EVIDENCE.code, partner=self.partner),
        })
        context.setdefault("form", EvidenceForm())
        return context

    def post(self, request, *args, **kwargs):
        self.object = case = self.get_object()
        form = EvidenceForm(request.POST)
        if form.is_valid():
            try:
                services.conflict_add_evidence(case=case, actor=request.user, text=form.cleaned_data["text"])
            except REFUSALS as error:
                _refused(form, error)
            else:
                messages.success(request, gettext("Evidence added; your channel manager reads it."))
                return redirect("cooperation-portal:conflict", pk=case.pk)
        return self.render_to_response(self.get_context_data(form=form))
