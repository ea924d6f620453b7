"""Joint targets in the partner portal: the partner's targets with achievement, a target's months,
the administrator's approval of the vendor's proposal, and the partner's own (counter-)proposals."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, FormView, ListView

from channelhub.portal.mixins import PortalMixin
from channelhub.tenancy.policy import request_may
from channelhub.writes import add_service_errors

from .. import selectors, services
from ..admin._common import REFUSALS, refusal_text
from ..models import SalesTarget, TargetSide, TargetSpan, TargetState
from ..permissions import TARGET_PARTNER


class TargetListView(PortalMixin, ListView):
    model = SalesTarget
    template_name = "cooperation/portal/targets.html"
    context_object_name = "targets"

    def get_queryset(self):
        return selectors.target_list(partner_id=self.partner.pk).order_by("-start", "category")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for target in context["targets"]:
            target.achieved = selectors.target_achieved(target)
            target.percent = selectors.achievement_percent(target)
        context["may_propose"] = request_may(self.request, TARGET_PARTNER.code, partner=self.partner)
        return context


class TargetForm(forms.Form):
    span = forms.ChoiceField(label=_("span"), choices=TargetSpan.choices, initial=TargetSpan.YEAR)
    start = forms.DateField(label=_("first month"), help_text=_("Any day of the first month, e.g. 2027-01-01."))
    category = forms.CharField(label=_("product category"), max_length=100, required=False,
                               help_text=_("Empty: all products."))
    amount = forms.DecimalField(label=_("target amount (CNY)"), min_value=0, max_digits=16, decimal_places=2)
    plan = forms.CharField(label=_("business plan"), widget=forms.Textarea(attrs={"rows": 5}), required=False)
    note = forms.CharField(label=_("note on this revision"), max_length=300, required=False)


def _refused(form, error) -> None:
    if hasattr(error, "message_dict"):
        add_service_errors(form, error)
    else:
        form.add_error(None, refusal_text(error))


class TargetProposeView(PortalMixin, FormView):
    form_class = TargetForm
    template_name = "cooperation/portal/target_form.html"
    portal_roles = TARGET_PARTNER.roles

    def form_valid(self, form):
        try:
            target = services.target_propose(tenant=self.request.tenant, actor=self.request.user,
                                             partner=self.partner, **form.cleaned_data)
        except REFUSALS as error:
            _refused(form, error)
            return self.form_invalid(form)
        messages.success(self.request, gettext("Proposed. Your channel manager agrees next."))
        return redirect("cooperation-portal:target", pk=target.pk)


class TargetDetailView(PortalMixin, DetailView):
    """The target, its months with sales; the administrator approves the vendor's proposal or proposes a change."""

    model = SalesTarget
    template_name = "cooperation/portal/target.html"
    context_object_name = "target"

    def get_queryset(self):
        return selectors.target_list(partner_id=self.partner.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        target = self.object
        may = request_may(self.request, TARGET_PARTNER.code, partner=self.partner)
        context.update({
            "months": selectors.target_months_with_sales(target), "achieved": selectors.target_achieved(target),
            "percent": selectors.achievement_percent(target), "may_change": may,
            "may_approve": may and target.state == TargetState.PROPOSED and target.proposed_by == TargetSide.VENDOR,
        })
        context.setdefault("form", TargetForm(initial={
            "span": target.span, "start": target.start, "category": target.category, "amount": target.amount,
            "plan": target.plan}))
        return context

    def post(self, request, *args, **kwargs):
        self.object = target = self.get_object()
        if not request_may(request, TARGET_PARTNER.code, partner=self.partner):
            return self.render_to_response(self.get_context_data(), status=403)
        if "approve" in request.POST:
            try:
                services.target_approve(target=target, actor=request.user,
                                        revision=int(request.POST.get("revision") or 0) or None)
            except REFUSALS as error:
                messages.error(request, refusal_text(error))
            else:
                messages.success(request, gettext("Agreed: the target is locked."))
            return redirect("cooperation-portal:target", pk=target.pk)
        form = TargetForm(request.POST)
        if form.is_valid():
            try:
                services.target_update(target=target, actor=request.user, **form.cleaned_data)
            except REFUSALS as error:
                _refused(form, error)
            else:
                messages.success(request, gettext("Your change is proposed; your channel manager agrees next."))
                return redirect("cooperation-portal:target", pk=target.pk)
        return self.render_to_response(self.get_context_data(form=form))
