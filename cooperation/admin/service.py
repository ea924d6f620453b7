"""After-sales service in the admin: the tenant's service levels, and service tickets with their comments
(internal notes included) and moves on the record; the work queue of tickets past their SLA."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from channelhub.admin.base import TenantScopedAdmin, has_permission
from channelhub.admin.queues import Queue, changelist_url, work_queue
from channelhub.tenancy.roles import STAFF_ROLES

from .. import selectors, services
from ..models import UNRESOLVED, ServiceLevel, ServiceTicket, TicketState
from ..permissions import SLA_MANAGE, TICKET_WORK
from ..portal.service import MoveForm, moves_for
from ._common import REFUSALS, refusal_text, staff_roles


@admin.register(ServiceLevel)
class ServiceLevelAdmin(TenantScopedAdmin):
    view_roles = STAFF_ROLES
    change_roles = staff_roles(SLA_MANAGE)
    list_display = ("priority", "response_hours", "resolution_hours")
    fields = ("priority", "response_hours", "resolution_hours")
    empty_hint = _("No service levels set: the defaults apply (urgent 2 h / 24 h, high 4 h / 48 h, normal 8 h / "
                   "72 h, low 24 h / 168 h). A new level applies to tickets raised from then on.")

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a level is changed, never deleted: its history is the record

    def _save(self, request, obj, level=None):
        return services.service_level_save(tenant=request.tenant, actor=request.user, priority=obj.priority,
                                           response_hours=obj.response_hours,
                                           resolution_hours=obj.resolution_hours, level=level)

    def create_object(self, request, obj, fields):
        return self._save(request, obj)

    def update_object(self, request, obj, fields):
        return self._save(request, obj, level=obj)


class SlaFilter(admin.SimpleListFilter):
    title = _("service level")
    parameter_name = "sla"

    def lookups(self, request, model_admin):
        return [("breached", _("past its SLA, not resolved")), ("overdue", _("overdue, not resolved")),
                ("met", _("resolved within the SLA")), ("missed", _("resolved after the SLA"))]

    def queryset(self, request, queryset):
        from django.utils import timezone

        value = self.value()
        if value == "breached":
            return queryset.filter(breached_at__isnull=False, state__in=UNRESOLVED)
        if value == "overdue":
            return queryset.filter(state__in=UNRESOLVED, resolution_due_at__lt=timezone.now())
        if value in ("met", "missed"):
            return queryset.filter(resolved_in_time=(value == "met"))
        return queryset


class CommentForm(forms.Form):
    body = forms.CharField(label=_("comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=10_000)
    is_internal = forms.BooleanField(label=_("internal note"), required=False,
                                     help_text=_("Seen by the vendor's staff only, never by the partner."))


@admin.register(ServiceTicket)
class ServiceTicketAdmin(TenantScopedAdmin):
    """Tickets of every partner; managers raise them for a partner, comment (also internally) and move them."""

    view_roles = STAFF_ROLES
    change_roles = staff_roles(TICKET_WORK)
    list_display = ("number", "subject", "partner", "customer_name", "product", "priority", "state",
                    "resolution_due_at", "sla_status", "satisfaction")
    list_filter = (SlaFilter, "state", "priority", "raised_by_vendor")
    search_fields = ("number", "subject", "customer_name", "partner__legal_name")
    list_select_related = ("partner", "product")
    autocomplete_fields = ("partner", "product")
    fields = ("partner", "product", "customer_name", "customer_contact", "subject", "description", "priority")
    done_fields = ("state", "raised_by", "raised_by_vendor", "opened_at", "response_due_at", "resolution_due_at",
                   "first_response_at", "resolved_at", "closed_at", "breached_at", "resolution", "resolution_hours",
                   "resolved_in_time", "satisfaction")
    change_form_template = "cooperation/admin/ticket_change_form.html"
    empty_hint = _("Partners raise tickets in the portal or through the API; managers raise them for a partner here.")

    def get_queryset(self, request):
        return selectors.ticket_list()

    def get_fields(self, request, obj=None):
        return self.fields if obj is None else (*self.fields, *self.done_fields)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        if obj.state == TicketState.CLOSED:
            return (*self.fields, *self.done_fields)
        return ("partner", *self.done_fields)

    @admin.display(description=_("service level"))
    def sla_status(self, obj):
        if obj.resolved_in_time is not None:
            return gettext("resolved within the SLA") if obj.resolved_in_time else gettext("resolved after the SLA")
        if obj.breached_at is not None and obj.is_unresolved:
            return gettext("past its SLA")
        if obj.is_overdue:
            return gettext("overdue")
        return "—"

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a ticket is closed, never deleted: it is the service record

    def create_object(self, request, obj, fields):
        return services.ticket_raise(tenant=request.tenant, actor=request.user, **fields)

    def update_object(self, request, obj, fields):
        return services.ticket_update(ticket=obj, actor=request.user, **fields)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        ticket = self.get_object(request, unquote(object_id)) if object_id else None
        if ticket is not None:  # a junk or foreign id goes on to the admin's own "not found"
            may = has_permission(request, TICKET_WORK)
            extra_context = {
                **(extra_context or {}),
                "comments": selectors.ticket_comments(ticket, include_internal=True),
                "comment_form": CommentForm() if may and ticket.state != TicketState.CLOSED else None,
                "moves": moves_for(ticket) if may else [],
                "act_url": reverse("admin:cooperation_serviceticket_act", args=[ticket.pk]),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        return [path("<int:pk>/act/", self.admin_site.admin_view(self.act_view), name="cooperation_serviceticket_act"),
                *super().get_urls()]

    def act_view(self, request, pk: int):
        """POST a comment or a move from the record's page; nothing to GET (405)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not has_permission(request, TICKET_WORK):
            raise PermissionDenied
        ticket = get_object_or_404(selectors.ticket_list(), pk=pk)
        try:
            if "to_state" in request.POST:
                form = MoveForm(request.POST)
                if not form.is_valid():
                    messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
                else:
                    services.ticket_transition(ticket=ticket, actor=request.user, **form.cleaned_data)
                    messages.success(request, gettext("The ticket is now “%(state)s”.")
                                     % {"state": TicketState(form.cleaned_data["to_state"]).label})
            else:
                form = CommentForm(request.POST)
                if not form.is_valid():
                    messages.error(request, gettext("Write a comment."))
                else:
                    services.ticket_comment(ticket=ticket, actor=request.user, body=form.cleaned_data["body"],
                                            internal=form.cleaned_data["is_internal"])
                    messages.success(request, gettext("Comment added."))
        except REFUSALS as error:
            messages.error(request, refusal_text(error))
        return redirect("admin:cooperation_serviceticket_change", ticket.pk)


@work_queue("cooperation.tickets_breached", label=_("Service tickets past their SLA"),
            roles=staff_roles(TICKET_WORK), order=56)
def tickets_breached(request) -> Queue:
    count = selectors.breached_open_tickets().count()
    return Queue(count=count, url=changelist_url("cooperation.serviceticket", "sla=breached"))
