"""After-sales service tickets (售后服务, 第十九条) with service levels (SLA).

How the source is read here: the partner delivers the after-sales service to its end
customers, and the vendor watches its quality. A ticket is one service case the partner
handles: raised by the partner's staff in the portal or API, or by the vendor's channel
manager on the partner's behalf (a customer complained to the vendor directly). It names the
product, the end customer and a priority; the tenant's service level for that priority
(``ServiceLevel``, response and resolution hours, sensible defaults when the tenant set none)
gives its due times when it is raised (and again when the vendor changes the priority).

Workflow: open → in progress → waiting for the customer → resolved → closed; a resolved
ticket may be reopened (back to in progress); closed is final. Both sides comment; the vendor's
internal notes are never shown to the partner. The customer's satisfaction (1–5) is recorded
when the ticket is resolved or closed.

A breach is the resolution due time passing while the ticket is not resolved. The hourly job
(``cooperation.service_sla``) flags each breached ticket once (``breached_at`` is claimed with a
conditional update), tells the partner's channel manager and administrators, and the manager's
work queue "Service tickets past their SLA" lists the breached tickets still open. A breach
once recorded stays on the ticket: the service level was missed.

For evaluation (service quality, 服务质量): at resolution the ticket keeps its hours to resolve
and whether it was resolved in time, so SLA met %, mean hours to resolve and mean satisfaction
per partner and period are plain aggregates (``selectors.service``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from channelhub.partners.models import Partner, Product
from channelhub.tenancy.models import TenantOwnedBase, TenantOwnedModel


class TicketPriority(models.TextChoices):
    LOW = "low", pgettext_lazy("ticket priority", "Low")
    NORMAL = "normal", pgettext_lazy("ticket priority", "Normal")
    HIGH = "high", pgettext_lazy("ticket priority", "High")
    URGENT = "urgent", pgettext_lazy("ticket priority", "Urgent")


class TicketState(models.TextChoices):
    OPEN = "open", pgettext_lazy("ticket state", "Open")
    IN_PROGRESS = "in_progress", pgettext_lazy("ticket state", "In progress")
    WAITING = "waiting_customer", pgettext_lazy("ticket state", "Waiting for the customer")
    RESOLVED = "resolved", pgettext_lazy("ticket state", "Resolved")
    CLOSED = "closed", pgettext_lazy("ticket state", "Closed")


# The states in which the resolution clock runs (what a breach is read against).
UNRESOLVED = (TicketState.OPEN, TicketState.IN_PROGRESS, TicketState.WAITING)

# (response hours, resolution hours) per priority when the tenant has set no service level.
DEFAULT_SLA_HOURS = {
    TicketPriority.URGENT: (2, 24),
    TicketPriority.HIGH: (4, 48),
    TicketPriority.NORMAL: (8, 72),
    TicketPriority.LOW: (24, 168),
}


class ServiceLevel(TenantOwnedModel):
    """The tenant's service level for one priority: hours to respond and to resolve."""

    priority = models.CharField(_("priority"), max_length=8, choices=TicketPriority.choices)
    response_hours = models.PositiveIntegerField(
        _("response within (hours)"), validators=[MinValueValidator(1), MaxValueValidator(24 * 90)])
    resolution_hours = models.PositiveIntegerField(
        _("resolution within (hours)"), validators=[MinValueValidator(1), MaxValueValidator(24 * 365)])

    class Meta:
        verbose_name = _("service level")
        verbose_name_plural = _("service levels")
        ordering = ["resolution_hours"]
        constraints = [models.UniqueConstraint(fields=["tenant", "priority"], name="coop_servicelevel_unique")]

    def __str__(self) -> str:
        return f"{self.get_priority_display()} · {self.response_hours} h / {self.resolution_hours} h"


class ServiceTicket(TenantOwnedModel):
    """One after-sales service case of a partner's end customer."""

    # ST-<year>-<n>, n counting the tenant's own tickets of the year (channelhub.numbering).
    number = models.CharField(_("number"), max_length=20, editable=False)
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+", verbose_name=_("partner"))
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+", verbose_name=_("product"))
    customer_name = models.CharField(_("end customer"), max_length=200)
    customer_contact = models.CharField(_("customer contact"), max_length=200, blank=True,
                                        help_text=_("Name, telephone or e-mail of the person to call back."))
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    priority = models.CharField(_("priority"), max_length=8, choices=TicketPriority.choices,
                                default=TicketPriority.NORMAL)
    state = models.CharField(_("state"), max_length=16, choices=TicketState.choices, default=TicketState.OPEN,
                             editable=False)
    state_changed_at = models.DateTimeField(_("state changed at"), null=True, blank=True, editable=False)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", editable=False, verbose_name=_("raised by"))
    raised_by_vendor = models.BooleanField(_("raised by the vendor"), default=False, editable=False)
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now, editable=False)
    response_due_at = models.DateTimeField(_("response due"), editable=False)
    resolution_due_at = models.DateTimeField(_("resolution due"), editable=False)
    first_response_at = models.DateTimeField(_("first response at"), null=True, blank=True, editable=False)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    breached_at = models.DateTimeField(_("SLA breach recorded at"), null=True, blank=True, editable=False)
    resolution = models.TextField(_("resolution"), blank=True, editable=False)
    resolution_hours = models.DecimalField(_("hours to resolve"), max_digits=9, decimal_places=2, null=True,
                                           blank=True, editable=False)
    resolved_in_time = models.BooleanField(_("resolved within the SLA"), null=True, blank=True, editable=False)
    satisfaction = models.PositiveSmallIntegerField(
        _("customer satisfaction"), null=True, blank=True, editable=False,
        validators=[MinValueValidator(1), MaxValueValidator(5)], help_text=_("1 (very unhappy) to 5 (very happy)."))

    class Meta:
        verbose_name = _("service ticket")
        verbose_name_plural = _("service tickets")
        ordering = ["-opened_at", "-pk"]
        indexes = [
            # The breach job and the overdue lists: unresolved tickets by due time.
            models.Index(fields=["tenant", "state", "resolution_due_at"], name="coop_ticket_due"),
            # The work queue: breached tickets still open.
            models.Index(fields=["tenant", "breached_at", "state"], name="coop_ticket_breached"),
            models.Index(fields=["tenant", "partner", "opened_at"], name="coop_ticket_partner"),
            # Evaluation aggregates the tickets resolved in a period, per partner.
            models.Index(fields=["tenant", "resolved_at", "partner"], name="coop_ticket_resolved"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "number"], name="coop_ticket_unique_number"),
            models.CheckConstraint(condition=Q(satisfaction__isnull=True) | Q(satisfaction__gte=1,
                                                                               satisfaction__lte=5),
                                   name="coop_ticket_satisfaction_1_5"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.subject}"

    @property
    def is_unresolved(self) -> bool:
        return self.state in UNRESOLVED

    @property
    def is_overdue(self) -> bool:
        """Past its resolution due time and not resolved (whether or not the job flagged it yet)."""
        return self.is_unresolved and self.resolution_due_at is not None and self.resolution_due_at < timezone.now()


class TicketComment(TenantOwnedBase):
    """A comment on a ticket (append-only: the comment is its own record). Internal notes are the vendor's."""

    ticket = models.ForeignKey(ServiceTicket, on_delete=models.CASCADE, related_name="comments",
                               verbose_name=_("service ticket"))
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+", verbose_name=_("partner"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name=_("author"))
    from_vendor = models.BooleanField(_("from the vendor"), default=False)
    is_internal = models.BooleanField(_("internal note"), default=False,
                                      help_text=_("Seen by the vendor's staff only, never by the partner."))
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("written at"), default=timezone.now)

    class Meta:
        verbose_name = _("ticket comment")
        verbose_name_plural = _("ticket comments")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["tenant", "ticket", "created_at"], name="coop_ticketcomment_ticket")]
        constraints = [models.CheckConstraint(condition=Q(is_internal=False) | Q(from_vendor=True),
                                              name="coop_ticketcomment_internal_is_vendor")]

    def __str__(self) -> str:
        return f"{self.ticket_id} · {timezone.localtime(self.created_at):%Y-%m-%d %H:%M}"
