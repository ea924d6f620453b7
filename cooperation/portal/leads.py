"""Leads in the partner portal: the offers made to the partner (never who else was offered), the answer
before the deadline, and the outcome of an accepted lead."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView

from channelhub.portal.mixins import PortalMixin
from channelhub.portal.registry import partner_panel, portal_home_panel, portal_nav
from channelhub.tenancy.policy import request_may
from channelhub.tenancy.roles import STAFF_ROLES

from .. import selectors, services
from ..admin._common import REFUSALS, refusal_text
from ..models import LeadOffer, LeadState, OfferState
from ..permissions import LEAD_RESPOND


def _open_offers(request, partner) -> int | None:
    return selectors.open_offer_count(partner.pk) or None


portal_nav("cooperation.leads", label=pgettext_lazy("portal navigation", "Leads"),
           url_name="cooperation-portal:leads", order=39, badge=_open_offers,
           group="business")


@portal_home_panel("cooperation.leads_open", title=_("Leads waiting for your answer"),
                   template="cooperation/portal/_leads_panel.html", order=7)
def leads_open(request, partner):
    offers = list(selectors.offer_list(partner_id=partner.pk).filter(state=OfferState.OPEN)
                  .order_by("deadline")[:5])
    return {"offers": offers} if offers else None


@partner_panel("cooperation.leads_feedback", title=_("Leads and market feedback"),
               template="cooperation/admin/_leads_panel.html", roles=STAFF_ROLES, order=22)
def leads_feedback_panel(request, partner):
    """The partner's last offers (with its answers) and its last market feedback, five of each."""
    offers = list(selectors.offer_list(partner_id=partner.pk).order_by("-offered_at", "-pk")[:5])
    feedback = list(selectors.feedback_list(partner_id=partner.pk).order_by("-submitted_at", "-pk")[:5])
    if not offers and not feedback:
        return None
    return {"offers": offers, "feedback": feedback, "partner": partner}


class LeadOfferListView(PortalMixin, ListView):
    model = LeadOffer
    template_name = "cooperation/portal/leads.html"
    context_object_name = "offers"
    paginate_by = 50

    def get_queryset(self):
        return selectors.offer_list(partner_id=self.partner.pk).order_by("-offered_at", "-pk")


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("reason (optional)"), max_length=300, required=False)


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("outcome"), widget=forms.RadioSelect, choices=[
        (LeadState.CONVERTED, LeadState.CONVERTED.label), (LeadState.LOST, LeadState.LOST.label)])
    note = forms.CharField(label=_("note"), max_length=300, required=False)


class LeadOfferDetailView(PortalMixin, DetailView):
    """One offer: the lead (its contact once accepted); accept or decline before the deadline, then the outcome."""

    model = LeadOffer
    template_name = "cooperation/portal/lead.html"
    context_object_name = "offer"

    def get_queryset(self):
        return selectors.offer_list(partner_id=self.partner.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        offer = self.object
        may = request_may(self.request, LEAD_RESPOND.code, partner=self.partner)
        accepted = offer.state == OfferState.ACCEPTED
        context.update({
            "may_answer": may and offer.state == OfferState.OPEN,
            "may_close": may and accepted and offer.lead.state == LeadState.ACCEPTED
            and offer.lead.partner_id == self.partner.pk,
            "show_contact": accepted,
            "lead_state": offer.lead.get_state_display() if accepted else "",
        })
        context.setdefault("decline_form", DeclineForm())
        context.setdefault("outcome_form", OutcomeForm())
        return context

    def post(self, request, *args, **kwargs):
        self.object = offer = self.get_object()
        try:
            if "accept" in request.POST:
                services.offer_accept(offer=offer, actor=request.user)
                messages.success(request, gettext("Accepted: the lead is yours to work."))
            elif "decline" in request.POST:
                form = DeclineForm(request.POST)
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(decline_form=form))
                services.offer_decline(offer=offer, actor=request.user, **form.cleaned_data)
                messages.success(request, gettext("Declined: the lead goes to another partner."))
            elif "outcome" in request.POST:
                form = OutcomeForm(request.POST)
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(outcome_form=form))
                if offer.state != OfferState.ACCEPTED:
                    raise ValidationError(gettext("Only a lead your partner accepted has an outcome."))
                services.lead_close(lead=offer.lead, actor=request.user, **form.cleaned_data)
                messages.success(request, gettext("The outcome is recorded."))
        except REFUSALS as error:
            messages.error(request, refusal_text(error))
        return redirect("cooperation-portal:lead", pk=offer.pk)
