"""Lead distribution (线索分配): the tenant's sales leads forwarded to partners, who accept or decline.

A ``Lead`` is offered to one partner at a time; every offer is a ``LeadOffer`` row (the history of
who was offered, with the deadline and the answer), and a partner is offered a lead at most once.
The lead's own state says where it stands::

    new → offered → accepted / declined / expired → converted / lost

``declined`` and ``expired`` describe the last offer's answer: an automatically routed lead is
offered to the next eligible partner by the reassignment job, a manually routed one waits for its
channel manager. ``LeadRoutingWeight`` is the per-partner weight automatic routing reads (see
``cooperation.services.leads.routing_weight``).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from channelhub.partners.models import Partner, PartnerType, Product, Region
from channelhub.tenancy.models import TenantOwnedModel

# How long a partner has to answer an offer unless the manager sets another deadline.
DEFAULT_RESPONSE_HOURS = 72


class LeadState(models.TextChoices):
    NEW = "new", pgettext_lazy("lead state", "New")
    OFFERED = "offered", pgettext_lazy("lead state", "Offered")
    ACCEPTED = "accepted", pgettext_lazy("lead state", "Accepted")
    DECLINED = "declined", pgettext_lazy("lead state", "Declined")
    EXPIRED = "expired", pgettext_lazy("lead state", "Expired")
    CONVERTED = "converted", pgettext_lazy("lead state", "Converted")
    LOST = "lost", pgettext_lazy("lead state", "Lost")


# The lead has no partner working on it: the channel manager's queue.
WITHOUT_PARTNER = (LeadState.NEW, LeadState.DECLINED, LeadState.EXPIRED)
LEAD_CLOSED = (LeadState.CONVERTED, LeadState.LOST)


class LeadSource(models.TextChoices):
    WEBSITE = "website", pgettext_lazy("lead source", "Website")
    CAMPAIGN = "campaign", pgettext_lazy("lead source", "Marketing campaign")
    EXHIBITION = "exhibition", pgettext_lazy("lead source", "Exhibition")
    REFERRAL = "referral", pgettext_lazy("lead source", "Referral")
    HOTLINE = "hotline", pgettext_lazy("lead source", "Hotline")
    OTHER = "other", pgettext_lazy("lead source", "Other")


class LeadRouting(models.TextChoices):
    AUTOMATIC = "automatic", pgettext_lazy("lead routing", "Automatic")
    MANUAL = "manual", pgettext_lazy("lead routing", "Manual")


class OfferState(models.TextChoices):
    OPEN = "open", pgettext_lazy("lead offer state", "Waiting for an answer")
    ACCEPTED = "accepted", pgettext_lazy("lead offer state", "Accepted")
    DECLINED = "declined", pgettext_lazy("lead offer state", "Declined")
    EXPIRED = "expired", pgettext_lazy("lead offer state", "Expired")
    WITHDRAWN = "withdrawn", pgettext_lazy("lead offer state", "Withdrawn")


class Lead(TenantOwnedModel):
    company = models.CharField(_("company"), max_length=200)
    contact_name = models.CharField(_("contact"), max_length=100, blank=True)
    contact_phone = models.CharField(_("phone"), max_length=40, blank=True)
    contact_email = models.EmailField(_("email"), blank=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    partner_type = models.CharField(_("partner type"), max_length=32, choices=PartnerType.choices, blank=True,
                                    help_text=_("Empty: any partner type."))
    product = models.ForeignKey(Product, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                verbose_name=_("product"))
    interest = models.CharField(_("product interest"), max_length=300, blank=True)
    value = models.DecimalField(_("estimated value (CNY)"), max_digits=16, decimal_places=2, default=Decimal(0),
                                validators=[MinValueValidator(Decimal(0))])
    source = models.CharField(_("source"), max_length=16, choices=LeadSource.choices, default=LeadSource.WEBSITE)
    description = models.TextField(_("description"), blank=True)
    routing = models.CharField(_("routing"), max_length=16, choices=LeadRouting.choices,
                               default=LeadRouting.AUTOMATIC,
                               help_text=_("Automatic: offered to the next eligible partner when one declines or "
                                           "lets the deadline pass. Manual: the channel manager forwards it."))
    response_hours = models.PositiveIntegerField(_("hours to answer"), default=DEFAULT_RESPONSE_HOURS,
                                                 validators=[MinValueValidator(1)])
    state = models.CharField(_("state"), max_length=16, choices=LeadState.choices, default=LeadState.NEW,
                             editable=False)
    state_changed_at = models.DateTimeField(_("state changed at"), null=True, blank=True, editable=False)
    # The partner the lead is (or was last) with: the open or accepted offer's partner.
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                editable=False, verbose_name=_("partner"))
    outcome_note = models.CharField(_("outcome note"), max_length=300, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", editable=False, verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("lead")
        verbose_name_plural = _("leads")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["tenant", "state", "routing"], name="coop_lead_state"),
            models.Index(fields=["tenant", "partner", "state"], name="coop_lead_partner"),
            models.Index(fields=["tenant", "-created_at"], name="coop_lead_created"),
        ]

    def __str__(self) -> str:
        return self.company


class LeadOffer(TenantOwnedModel):
    """One partner offered one lead: its deadline and answer. A partner is offered a lead once."""

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="offers", verbose_name=_("lead"))
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+", verbose_name=_("partner"))
    state = models.CharField(_("state"), max_length=16, choices=OfferState.choices, default=OfferState.OPEN,
                             editable=False)
    automatic = models.BooleanField(_("offered automatically"), default=False)
    offered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("offered by"))
    offered_at = models.DateTimeField(_("offered at"), default=timezone.now)
    deadline = models.DateTimeField(_("answer by"))
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    responded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("answered by"))
    decline_reason = models.CharField(_("reason for declining"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("lead offer")
        verbose_name_plural = _("lead offers")
        ordering = ["-offered_at", "-pk"]
        indexes = [
            models.Index(fields=["tenant", "state", "deadline"], name="coop_leadoffer_due"),
            models.Index(fields=["tenant", "partner", "state"], name="coop_leadoffer_partner"),
            models.Index(fields=["tenant", "offered_at", "partner"], name="coop_leadoffer_period"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "lead", "partner"], name="coop_leadoffer_once"),
            # One partner at a time: at most one open offer per lead.
            models.UniqueConstraint(fields=["tenant", "lead"], condition=Q(state="open"),
                                    name="coop_leadoffer_one_open"),
        ]

    def __str__(self) -> str:
        return f"{self.lead} → {self.partner}"


class LeadRoutingWeight(TenantOwnedModel):
    """How many leads a partner gets relative to others in automatic routing (default 1)."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+", verbose_name=_("partner"))
    weight = models.DecimalField(_("routing weight"), max_digits=6, decimal_places=2, default=Decimal(1),
                                 validators=[MinValueValidator(Decimal(0))],
                                 help_text=_("2 receives twice as many leads as 1; 0 receives none "
                                             "automatically."))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("lead routing weight")
        verbose_name_plural = _("lead routing weights")
        ordering = ["partner"]
        constraints = [models.UniqueConstraint(fields=["tenant", "partner"], name="coop_leadweight_unique")]

    def __str__(self) -> str:
        return f"{self.partner} · {self.weight}"
