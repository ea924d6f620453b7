"""After-sales service tickets: raised by either side, handled by the partner, watched against the SLA.

- ``service_level_save``: the tenant's hours to respond and resolve for a priority (managers).
- ``ticket_raise``: a partner's staff raise a ticket for their own partner, a manager for any
  partner; the due times come from the service level of its priority, read when it is raised.
- ``ticket_update``: the case's details; only the vendor changes the priority (the partner
  cannot relax its own deadline), and a new priority moves the due times from the opening.
- ``ticket_transition``: one move of the workflow (``TICKET_WORKFLOW``), compare-and-swap and
  audited; resolving keeps the hours to resolve and whether it was in time, reopening clears
  them; satisfaction (1–5) is recorded only when resolving or closing.
- ``ticket_comment``: a comment from either side; internal notes are the vendor's only.
- ``flag_breaches``: each unresolved ticket past its resolution due time is flagged once
  (``breached_at`` claimed with a conditional update) and its channel manager and partner
  administrators are told; a second run finds nothing to claim.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from channelhub.notifications.registry import notification_kind
from channelhub.notifications.services import notify
from channelhub.numbering import next_number
from channelhub.partners.models import Partner, Product
from channelhub.tenancy.models import Membership, Tenant, User
from channelhub.tenancy.policy import actor_in, authorize
from channelhub.tenancy.roles import Role
from channelhub.tenancy.services import audited_save
from channelhub.tenancy.workflow import Workflow, transition

from ..models import (
    DEFAULT_SLA_HOURS,
    UNRESOLVED,
    ServiceLevel,
    ServiceTicket,
    TicketComment,
    TicketPriority,
    TicketState,
)
from ..permissions import SLA_MANAGE, TICKET_WORK

S = TicketState

TICKET_WORKFLOW = Workflow.build(
    name="cooperation.service_ticket",
    verbose_name=gettext_lazy("service ticket"),
    state_field="state",
    states=TicketState,
    moves={
        S.OPEN: {S.IN_PROGRESS, S.WAITING, S.RESOLVED},
        S.IN_PROGRESS: {S.WAITING, S.RESOLVED},
        S.WAITING: {S.IN_PROGRESS, S.RESOLVED},
        S.RESOLVED: {S.CLOSED, S.IN_PROGRESS},  # reopened: back to work
        S.CLOSED: set(),
    },
    changed_at_field="state_changed_at",
)

TICKET_RAISED = notification_kind("cooperation.ticket_raised", gettext_lazy("New after-sales service tickets"),
                                  important=True).key
TICKET_COMMENTED = notification_kind("cooperation.ticket_commented",
                                     gettext_lazy("Comments on after-sales service tickets")).key
TICKET_BREACHED = notification_kind("cooperation.ticket_breached",
                                    gettext_lazy("Service tickets past their SLA"), important=True).key

TEXT_LIMITS = {"customer_name": 200, "customer_contact": 200, "subject": 200}


def is_vendor(actor: User | None, tenant_id: int) -> bool:
    """Whether ``actor`` speaks for the vendor (tenant staff, or the system itself)."""
    return actor is None or actor_in(actor, tenant_id).partner_id is None


def sla_hours(priority: str) -> tuple[int, int]:
    """(response hours, resolution hours) of the current tenant for ``priority``."""
    row = ServiceLevel.objects.filter(priority=priority).values_list("response_hours", "resolution_hours").first()
    return tuple(row) if row else DEFAULT_SLA_HOURS[TicketPriority(priority)]


def _due(priority: str, opened_at: datetime.datetime) -> dict:
    response, resolution = sla_hours(priority)
    return {"response_due_at": opened_at + datetime.timedelta(hours=response),
            "resolution_due_at": opened_at + datetime.timedelta(hours=resolution)}


def _clean_texts(fields: dict) -> dict:
    out = {}
    for name, value in fields.items():
        value = (value or "").strip() if isinstance(value, str) or value is None else value
        if name in TEXT_LIMITS and len(value) > TEXT_LIMITS[name]:
            raise ValidationError({name: _("At most %(count)d characters.") % {"count": TEXT_LIMITS[name]}})
        out[name] = value
    for name in ("customer_name", "subject"):
        if name in out and not out[name]:
            raise ValidationError({name: _("This field is required.")})
    return out


def _priority(value: str) -> str:
    if value not in TicketPriority.values:
        raise ValidationError({"priority": _("Choose low, normal, high or urgent.")})
    return value


def _partner_admins(partner_id: int):
    return User.objects.filter(is_active=True, pk__in=Membership.objects.filter(
        partner_id=partner_id, role=Role.PARTNER_ADMIN, is_active=True).values("user_id"))


def _manager_of(partner_id: int) -> list[User]:
    owner_id = Partner.objects.filter(pk=partner_id).values_list("owner_id", flat=True).first()
    return list(User.objects.filter(pk=owner_id)) if owner_id else []


def _tell(ticket: ServiceTicket, *, vendor: bool, partner: bool, kind: str, title, body="", actor=None,
          extra_partner: list | None = None) -> None:
    """Tell the vendor's channel manager and/or the partner's administrators (each on their own surface)."""
    params = {"number": ticket.number, "subject": ticket.subject}
    if vendor:
        notify(recipients=_manager_of(ticket.partner_id), kind=kind, title=title, body=body, params=params,
               url=reverse("admin:cooperation_serviceticket_change", args=[ticket.pk]), actor=actor)
    if partner:
        people = list(_partner_admins(ticket.partner_id)) + list(extra_partner or [])
        notify(recipients=people, kind=kind, title=title, body=body, params=params,
               url=reverse("cooperation-portal:ticket", args=[ticket.pk]), actor=actor)


# --------------------------------------------------------------------------- service levels


@transaction.atomic
def service_level_save(*, tenant: Tenant, actor: User | None, priority: str, response_hours: int,
                       resolution_hours: int, level: ServiceLevel | None = None) -> ServiceLevel:
    """Set the hours for a priority (one row per priority); resolving cannot be due before responding."""
    authorize(actor, SLA_MANAGE.code, tenant=tenant)
    priority = _priority(priority)
    if level is None:
        level = ServiceLevel.objects.filter(priority=priority).first() or ServiceLevel(tenant=tenant)
    elif ServiceLevel.objects.filter(priority=priority).exclude(pk=level.pk).exists():
        raise ValidationError({"priority": _("This priority has its service level already; change that one.")})
    try:
        response_hours, resolution_hours = int(response_hours), int(resolution_hours)
    except (TypeError, ValueError):
        raise ValidationError({"response_hours": _("Give whole hours.")}) from None
    if resolution_hours < response_hours:
        raise ValidationError({"resolution_hours": _("Resolving cannot be due before responding.")})
    level.priority, level.response_hours, level.resolution_hours = priority, response_hours, resolution_hours
    return audited_save(level, actor=actor, reason=_("Service level set"))


# --------------------------------------------------------------------------- tickets


@transaction.atomic
def ticket_raise(*, tenant: Tenant, actor: User | None, partner: Partner, product: Product, customer_name: str,
                 subject: str, description: str = "", customer_contact: str = "",
                 priority: str = TicketPriority.NORMAL) -> ServiceTicket:
    """Open a ticket for ``partner`` (partner staff: their own only); due times from the priority's SLA."""
    authorize(actor, TICKET_WORK.code, tenant=tenant, partner=partner)
    if partner.tenant_id != tenant.pk or product.tenant_id != tenant.pk:
        raise ValidationError(_("The partner and the product must be this tenant's."))
    texts = _clean_texts({"customer_name": customer_name, "customer_contact": customer_contact,
                          "subject": subject, "description": description})
    vendor = is_vendor(actor, tenant.pk)
    now = timezone.now()
    ticket = ServiceTicket(tenant=tenant, partner=partner, product=product, priority=_priority(priority),
                           raised_by=actor, raised_by_vendor=vendor, opened_at=now, **texts,
                           **_due(priority, now))
    year = timezone.localtime(now).year
    ticket.number = f"ST-{year}-{next_number(f'cooperation.ST.{year}'):06d}"
    audited_save(ticket, actor=actor, reason=_("Raised"))
    _tell(ticket, vendor=not vendor, partner=vendor, kind=TICKET_RAISED, actor=actor,
          title=gettext_lazy("Service ticket %(number)s: %(subject)s"),
          body=gettext_lazy("A new after-sales service ticket was raised."))
    return ticket


@transaction.atomic
def ticket_update(*, ticket: ServiceTicket, actor: User | None, **fields) -> ServiceTicket:
    """Change the case's details; the priority is the vendor's to change (the due times move with it)."""
    authorize(actor, TICKET_WORK.code, tenant=ticket.tenant_id, partner=ticket.partner_id)
    ticket = ServiceTicket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.state == TicketState.CLOSED:
        raise ValidationError(_("A closed ticket is not changed any more."))
    allowed = ("product", "customer_name", "customer_contact", "subject", "description", "priority")
    fields = {k: v for k, v in fields.items() if k in allowed}
    if "product" in fields:
        product = fields.pop("product")
        if product is None or product.tenant_id != ticket.tenant_id:
            raise ValidationError({"product": _("Choose one of this tenant's products.")})
        ticket.product = product
    priority = fields.pop("priority", ticket.priority)
    if priority != ticket.priority:
        if not is_vendor(actor, ticket.tenant_id):
            raise ValidationError({"priority": _("Only the vendor changes a ticket's priority.")})
        ticket.priority = _priority(priority)
        for name, value in _due(priority, ticket.opened_at).items():
            setattr(ticket, name, value)
    for name, value in _clean_texts(fields).items():
        setattr(ticket, name, value)
    return audited_save(ticket, actor=actor, reason=_("Changed"))


def _satisfaction(value) -> int | None:
    if value in (None, ""):
        return None
    try:
        value = int(value)
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= 5:
        raise ValidationError({"satisfaction": _("Satisfaction is a whole number from 1 to 5.")})
    return value


@transaction.atomic
def ticket_transition(*, ticket: ServiceTicket, actor: User | None, to_state: str, reason: str = "",
                      resolution: str = "", satisfaction=None) -> ServiceTicket:
    """One move of the workflow; an illegal move raises ``IllegalTransition`` (a 409)."""
    authorize(actor, TICKET_WORK.code, tenant=ticket.tenant_id, partner=ticket.partner_id)
    ticket = ServiceTicket.objects.get(pk=ticket.pk)
    satisfaction = _satisfaction(satisfaction)
    if satisfaction is not None and to_state not in (TicketState.RESOLVED, TicketState.CLOSED):
        raise ValidationError({"satisfaction": _("Satisfaction is recorded when the ticket is resolved or closed.")})
    now = timezone.now()
    updates: dict = {}
    if ticket.first_response_at is None and to_state != TicketState.OPEN:
        updates["first_response_at"] = now
    if to_state == TicketState.RESOLVED:
        resolution = (resolution or "").strip()
        if not resolution:
            raise ValidationError({"resolution": _("Say how the case was resolved.")})
        hours = Decimal((now - ticket.opened_at).total_seconds() / 3600).quantize(Decimal("0.01"))
        updates.update(resolved_at=now, resolution=resolution, resolution_hours=hours,
                       resolved_in_time=now <= ticket.resolution_due_at)
    elif to_state == TicketState.CLOSED:
        updates["closed_at"] = now
    elif ticket.state == TicketState.RESOLVED and to_state == TicketState.IN_PROGRESS:
        # Reopened: the case is not resolved, so it counts again when it is.
        updates.update(resolved_at=None, resolution_hours=None, resolved_in_time=None, satisfaction=None)
    if satisfaction is not None:
        updates["satisfaction"] = satisfaction
    return transition(workflow=TICKET_WORKFLOW, instance=ticket, to_state=to_state, actor=actor,
                      reason=(reason or "").strip()[:300], extra_updates=updates)


@transaction.atomic
def ticket_comment(*, ticket: ServiceTicket, actor: User | None, body: str, internal: bool = False) -> TicketComment:
    """A comment from either side; an internal note is the vendor's and never reaches the partner."""
    authorize(actor, TICKET_WORK.code, tenant=ticket.tenant_id, partner=ticket.partner_id)
    ticket = ServiceTicket.objects.get(pk=ticket.pk)  # its state now, not as the caller read it
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write a comment.")})
    vendor = is_vendor(actor, ticket.tenant_id)
    if internal and not vendor:
        raise ValidationError({"is_internal": _("Internal notes are the vendor's only.")})
    if ticket.state == TicketState.CLOSED:
        raise ValidationError(_("A closed ticket takes no more comments."))
    comment = TicketComment(ticket=ticket, partner_id=ticket.partner_id, author=actor, from_vendor=vendor,
                            is_internal=bool(internal), body=body, created_at=timezone.now())
    comment.full_clean()
    comment.save()
    if not vendor and ticket.first_response_at is None:
        ServiceTicket.objects.filter(pk=ticket.pk, first_response_at__isnull=True).update(
            first_response_at=comment.created_at)
    if not internal:
        raiser = [ticket.raised_by] if ticket.raised_by_id and not ticket.raised_by_vendor else []
        _tell(ticket, vendor=not vendor, partner=vendor, kind=TICKET_COMMENTED, actor=actor, extra_partner=raiser,
              title=gettext_lazy("New comment on service ticket %(number)s: %(subject)s"))
    return comment


# --------------------------------------------------------------------------- SLA breaches (the job's work)


def flag_breaches(*, now: datetime.datetime | None = None) -> int:
    """Flag every unresolved ticket past its resolution due time, each once; return how many were flagged now."""
    now = now or timezone.now()
    flagged = 0
    due = ServiceTicket.objects.filter(state__in=UNRESOLVED, resolution_due_at__lt=now, breached_at__isnull=True)
    for ticket in due.order_by("resolution_due_at").only("pk", "partner_id", "subject", "resolution_due_at"):
        with transaction.atomic():
            # The claim: of two runs (or a redelivered task) only one sees the flag still empty.
            claimed = ServiceTicket.objects.filter(pk=ticket.pk, breached_at__isnull=True,
                                                   state__in=UNRESOLVED).update(breached_at=now)
            if not claimed:
                continue
            flagged += 1
            _tell_breach(ticket)
    return flagged


def _tell_breach(ticket: ServiceTicket) -> None:
    due = timezone.localtime(ticket.resolution_due_at).strftime("%Y-%m-%d %H:%M")
    params = {"number": ticket.number, "subject": ticket.subject, "due": due}
    title = gettext_lazy("Service ticket %(number)s is past its SLA: %(subject)s")
    body = gettext_lazy("The ticket was due to be resolved by %(due)s and is not resolved yet.")
    notify(recipients=_manager_of(ticket.partner_id), kind=TICKET_BREACHED, title=title, body=body, params=params,
           url=reverse("admin:cooperation_serviceticket_change", args=[ticket.pk]))
    notify(recipients=list(_partner_admins(ticket.partner_id)), kind=TICKET_BREACHED, title=title, body=body,
           params=params, url=reverse("cooperation-portal:ticket", args=[ticket.pk]))
