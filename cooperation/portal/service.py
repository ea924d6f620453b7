"""After-sales service tickets in the partner portal: the partner's tickets, raising one, a ticket with its
comments (never the vendor's internal notes) and its moves; the navigation entry, the home panel of tickets
past their SLA, and the service quality panel on the manager's partner page."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, FormView, ListView

from channelhub.partners.models import Product
from channelhub.portal.mixins import PortalMixin
from channelhub.portal.registry import partner_panel, portal_home_panel, portal_nav
from channelhub.tenancy.policy import request_may
from channelhub.tenancy.roles import STAFF_ROLES
from channelhub.writes import add_service_errors

from .. import selectors, services
from ..admin._common import REFUSALS, refusal_text
from ..models import ServiceTicket, TicketPriority, TicketState
from ..permissions import TICKET_WORK

S = TicketState


class TicketForm(forms.Form):
    product = forms.ModelChoiceField(label=_("product"), queryset=Product.objects.none())
    customer_name = forms.CharField(label=_("end customer"), max_length=200)
    customer_contact = forms.CharField(label=_("customer contact"), max_length=200, required=False,
                                       help_text=_("Name, telephone or e-mail of the person to call back."))
    subject = forms.CharField(label=_("subject"), max_length=200)
    description = forms.CharField(label=_("description"), widget=forms.Textarea(attrs={"rows": 5}), required=False)
    priority = forms.ChoiceField(label=_("priority"), choices=TicketPriority.choices, initial=TicketPriority.NORMAL)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = Product.objects.filter(is_active=True).order_by("name")


class CommentForm(forms.Form):
    body = forms.CharField(label=_("comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=10_000)


class MoveForm(forms.Form):
    to_state = forms.ChoiceField(label=_("state"), choices=TicketState.choices)
    resolution = forms.CharField(label=_("resolution"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                                 help_text=_("How the case was resolved (needed to resolve it)."))
    satisfaction = forms.TypedChoiceField(
        label=_("customer satisfaction"), required=False, coerce=int, empty_value=None,
        choices=[("", "—"), *[(n, str(n)) for n in range(1, 6)]],
        help_text=_("1 (very unhappy) to 5 (very happy), when resolving or closing."))


def _refused(form, error) -> None:
    if hasattr(error, "message_dict"):
        add_service_errors(form, error)
    else:
        form.add_error(None, refusal_text(error))


# The buttons a ticket offers in each state, in words (no state key reaches the screen).
MOVE_LABELS = {
    S.IN_PROGRESS: pgettext_lazy("ticket move", "Start work"),
    S.WAITING: pgettext_lazy("ticket move", "Wait for the customer"),
    S.RESOLVED: pgettext_lazy("ticket move", "Resolve"),
    S.CLOSED: pgettext_lazy("ticket move", "Close"),
}
REOPEN_LABEL = pgettext_lazy("ticket move", "Reopen")


def moves_for(ticket: ServiceTicket) -> list[dict]:
    out = []
    for state in services.TICKET_WORKFLOW.targets(ticket.state):
        label = REOPEN_LABEL if ticket.state == S.RESOLVED and state == S.IN_PROGRESS else MOVE_LABELS[state]
        out.append({"state": state, "label": label, "needs_resolution": state == S.RESOLVED,
                    "rates": state in (S.RESOLVED, S.CLOSED)})
    return out


class TicketListView(PortalMixin, ListView):
    model = ServiceTicket
    template_name = "cooperation/portal/tickets.html"
    context_object_name = "tickets"
    paginate_by = 50

    def get_queryset(self):
        queryset = selectors.ticket_list(partner_id=self.partner.pk)
        if self.request.GET.get("show") != "all":
            queryset = queryset.filter(state__in=[S.OPEN, S.IN_PROGRESS, S.WAITING, S.RESOLVED])
        return queryset.order_by("-opened_at", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["show_all"] = self.request.GET.get("show") == "all"
        context["may_raise"] = request_may(self.request, TICKET_WORK.code, partner=self.partner)
        context["levels"] = selectors.service_levels()
        return context


class TicketRaiseView(PortalMixin, FormView):
    form_class = TicketForm
    template_name = "cooperation/portal/ticket_form.html"
    portal_roles = TICKET_WORK.roles

    def form_valid(self, form):
        try:
            ticket = services.ticket_raise(tenant=self.request.tenant, actor=self.request.user,
                                           partner=self.partner, **form.cleaned_data)
        except REFUSALS as error:
            _refused(form, error)
            return self.form_invalid(form)
        messages.success(self.request, gettext("Ticket raised. Its due times follow the service level of its "
                                               "priority."))
        return redirect("cooperation-portal:ticket", pk=ticket.pk)


class TicketDetailView(PortalMixin, DetailView):
    """The ticket, its comments (without internal notes), a comment box and the moves its state allows."""

    model = ServiceTicket
    template_name = "cooperation/portal/ticket.html"
    context_object_name = "ticket"

    def get_queryset(self):
        return selectors.ticket_list(partner_id=self.partner.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        may = request_may(self.request, TICKET_WORK.code, partner=self.partner)
        context.update({
            "comments": selectors.ticket_comments(self.object, include_internal=False),
            "may_work": may and self.object.state != S.CLOSED,
            "moves": moves_for(self.object) if may else [],
        })
        context.setdefault("comment_form", CommentForm())
        context.setdefault("move_form", MoveForm())
        return context

    def post(self, request, *args, **kwargs):
        self.object = ticket = self.get_object()
        if not request_may(request, TICKET_WORK.code, partner=self.partner):
            return self.render_to_response(self.get_context_data(), status=403)
        if "to_state" in request.POST:
            form = MoveForm(request.POST)
            if form.is_valid():
                try:
                    services.ticket_transition(ticket=ticket, actor=request.user, **form.cleaned_data)
                except REFUSALS as error:
                    _refused(form, error)
                else:
                    messages.success(request, gettext("The ticket is now “%(state)s”.")
                                     % {"state": TicketState(form.cleaned_data["to_state"]).label})
                    return redirect("cooperation-portal:ticket", pk=ticket.pk)
            return self.render_to_response(self.get_context_data(move_form=form))
        form = CommentForm(request.POST)
        if form.is_valid():
            try:
                services.ticket_comment(ticket=ticket, actor=request.user, body=form.cleaned_data["body"])
            except REFUSALS as error:
                _refused(form, error)
            else:
                return redirect("cooperation-portal:ticket", pk=ticket.pk)
        return self.render_to_response(self.get_context_data(comment_form=form))


# --------------------------------------------------------------------------- navigation and panels


def _unresolved(request, partner) -> int | None:
    return selectors.unresolved_tickets(partner_id=partner.pk).count() or None


portal_nav("cooperation.tickets", label=pgettext_lazy("portal navigation", "Service tickets"),
           url_name="cooperation-portal:tickets", order=41, badge=_unresolved, group="business")


@portal_home_panel("cooperation.tickets_breached", title=_("Service tickets past their SLA"),
                   template="cooperation/portal/tickets_breached_panel.html", order=7)
def tickets_breached(request, partner):
    tickets = list(selectors.breached_open_tickets(partner_id=partner.pk)
                   .order_by("resolution_due_at").only("pk", "subject", "resolution_due_at")[:5])
    return {"tickets": tickets} if tickets else None


@partner_panel("cooperation.service", title=_("After-sales service quality"),
               template="cooperation/admin/tickets_quality_panel.html", roles=STAFF_ROLES, order=23)
def service_panel(request, partner):
    quality = selectors.service_quality(partner.pk)
    if not quality["raised"]:
        return None
    return {"quality": quality, "partner": partner}
