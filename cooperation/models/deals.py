"""Deal registration (商机报备) and channel conflicts (渠道冲突).

A partner registers an opportunity with an end customer (credit code or name), products, value
and expected close. Every registration stores its customer's normalised key
(``cooperation.names.customer_key``) and the key's first and last two characters, each in an
index beginning with the tenant: exact matches (same credit code, same key) are indexed
equalities, and the candidates for near matches are the rows sharing the key's ends, a bounded
set the service scores. The tenant's own customers are ``DirectAccount`` rows, matched the
same way.

A registration collides with another partner's *open* registration (submitted or approved) or a
direct account: the matches are recorded (``DealMatch``, with their score) and an exact match
opens a ``ConflictCase`` between the parties (``ConflictParty``), with evidence from each side
(``ConflictEvidence``), the channel manager's decision and the recorded outcome. An approved
registration is protected until ``protected_until``; afterwards the daily job expires it and the
customer returns to the open pool. Won / lost closes it; a win attributes ``won_amount`` to the
partner.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from channelhub.partners.models import Partner, Region
from channelhub.tenancy.models import TenantOwnedBase, TenantOwnedModel

from .sales import Currency

DEFAULT_PROTECTION_DAYS = 90


class DealState(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("deal state", "Submitted")
    APPROVED = "approved", pgettext_lazy("deal state", "Approved (protected)")
    REJECTED = "rejected", pgettext_lazy("deal state", "Rejected")
    EXPIRED = "expired", pgettext_lazy("deal state", "Expired (open pool)")
    WON = "won", pgettext_lazy("deal state", "Won")
    LOST = "lost", pgettext_lazy("deal state", "Lost")
    WITHDRAWN = "withdrawn", pgettext_lazy("deal state", "Withdrawn")


# Registrations that hold the customer: a new registration of the same customer collides with them.
OPEN_DEAL_STATES = (DealState.SUBMITTED, DealState.APPROVED)
CLOSED_DEAL_STATES = (DealState.WON, DealState.LOST)


class MatchKind(models.TextChoices):
    CREDIT_CODE = "credit_code", _("Same credit code")
    NAME = "name", _("Same name after normalisation")
    NEAR = "near", _("Similar name")


class ConflictKind(models.TextChoices):
    CUSTOMER = "customer", pgettext_lazy("conflict kind", "Customer")
    TERRITORY = "territory", pgettext_lazy("conflict kind", "Territory")
    PRICING = "pricing", pgettext_lazy("conflict kind", "Pricing")


class ConflictState(models.TextChoices):
    OPEN = "open", pgettext_lazy("conflict state", "Open")
    DECIDED = "decided", pgettext_lazy("conflict state", "Decided")
    CLOSED = "closed", pgettext_lazy("conflict state", "Closed")


class ConflictResolution(models.TextChoices):
    AWARDED = "awarded", _("Awarded to one partner")
    SHARED = "shared", _("Shared between the partners")
    DIRECT = "direct", _("Kept by the vendor's direct sales")
    DISMISSED = "dismissed", _("No conflict")


class DirectAccount(TenantOwnedModel):
    """A customer the tenant serves itself (直销客户): partners' registrations of it collide."""

    name = models.CharField(_("customer name"), max_length=200)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("region"))
    account_manager = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                        blank=True, related_name="+", verbose_name=_("account manager"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    name_key = models.CharField(_("normalised name"), max_length=200, editable=False, default="")
    key_prefix = models.CharField(max_length=2, editable=False, default="")
    key_suffix = models.CharField(max_length=2, editable=False, default="")

    class Meta:
        verbose_name = _("direct account")
        verbose_name_plural = _("direct accounts")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["tenant", "name_key"], name="coop_direct_key"),
            models.Index(fields=["tenant", "key_prefix"], name="coop_direct_prefix"),
            models.Index(fields=["tenant", "key_suffix"], name="coop_direct_suffix"),
            models.Index(fields=["tenant", "credit_code"], name="coop_direct_code"),
        ]
        constraints = [models.UniqueConstraint(fields=["tenant", "credit_code"], condition=~Q(credit_code=""),
                                               name="coop_direct_unique_code")]

    def __str__(self) -> str:
        return self.name


class DealRegistration(TenantOwnedModel):
    """One opportunity a partner registered: its customer, products, value and expected close."""

    number = models.CharField(_("number"), max_length=20, editable=False)
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+", verbose_name=_("partner"))
    customer_name = models.CharField(_("end customer"), max_length=200)
    customer_credit_code = models.CharField(_("customer's unified social credit code"), max_length=18, blank=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("territory"))
    products = models.TextField(_("products"), help_text=_("Products and quantities the customer considers."))
    amount = models.DecimalField(_("expected value"), max_digits=16, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, default=Currency.CNY)
    expected_close = models.DateField(_("expected close"))
    contact_name = models.CharField(_("customer contact"), max_length=100, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    note = models.TextField(_("note"), blank=True)
    state = models.CharField(_("state"), max_length=16, choices=DealState.choices, default=DealState.SUBMITTED,
                             editable=False)
    state_changed_at = models.DateTimeField(_("state changed at"), default=timezone.now, editable=False)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", editable=False, verbose_name=_("submitted by"))
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now, editable=False)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", editable=False, verbose_name=_("decided by"))
    decision_note = models.CharField(_("decision note"), max_length=300, blank=True, editable=False)
    protected_until = models.DateField(_("protected until"), null=True, blank=True, editable=False)
    closed_on = models.DateField(_("closed on"), null=True, blank=True, editable=False)
    won_amount = models.DecimalField(_("revenue won"), max_digits=16, decimal_places=2, null=True, blank=True,
                                     editable=False)
    has_conflict = models.BooleanField(_("conflict"), default=False, editable=False)
    name_key = models.CharField(_("normalised name"), max_length=200, editable=False, default="")
    key_prefix = models.CharField(max_length=2, editable=False, default="")
    key_suffix = models.CharField(max_length=2, editable=False, default="")

    class Meta:
        verbose_name = _("deal registration")
        verbose_name_plural = _("deal registrations")
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            models.Index(fields=["tenant", "name_key", "state"], name="coop_deal_key"),
            models.Index(fields=["tenant", "key_prefix", "state"], name="coop_deal_prefix"),
            models.Index(fields=["tenant", "key_suffix", "state"], name="coop_deal_suffix"),
            models.Index(fields=["tenant", "customer_credit_code", "state"], name="coop_deal_code"),
            models.Index(fields=["tenant", "partner", "submitted_at"], name="coop_deal_partner"),
            models.Index(fields=["tenant", "state", "protected_until"], name="coop_deal_protection"),
            models.Index(fields=["tenant", "state", "closed_on"], name="coop_deal_closed"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "number"], name="coop_deal_unique_number"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="coop_deal_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.number} · {self.customer_name}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_DEAL_STATES


class DealMatch(TenantOwnedBase):
    """A collision found when the registration came in: another partner's open registration or a
    direct account, with how it matched and the similarity score (100 for an exact match)."""

    registration = models.ForeignKey(DealRegistration, on_delete=models.CASCADE, related_name="matches",
                                     verbose_name=_("deal registration"))
    other = models.ForeignKey(DealRegistration, on_delete=models.CASCADE, null=True, blank=True,
                              related_name="+", verbose_name=_("other registration"))
    direct_account = models.ForeignKey(DirectAccount, on_delete=models.CASCADE, null=True, blank=True,
                                       related_name="+", verbose_name=_("direct account"))
    kind = models.CharField(_("match"), max_length=16, choices=MatchKind.choices)
    score = models.PositiveSmallIntegerField(_("score"))
    created_at = models.DateTimeField(_("found at"), default=timezone.now)

    class Meta:
        verbose_name = _("deal match")
        verbose_name_plural = _("deal matches")
        ordering = ["-score", "pk"]
        indexes = [models.Index(fields=["tenant", "registration"], name="coop_dealmatch_reg")]

    def __str__(self) -> str:
        return f"{self.registration_id} ~ {self.other_id or self.direct_account_id} ({self.score})"


class ConflictCase(TenantOwnedModel):
    """A channel conflict between partners (or a partner and the vendor's direct sales)."""

    number = models.CharField(_("number"), max_length=20, editable=False)
    kind = models.CharField(_("kind"), max_length=16, choices=ConflictKind.choices, default=ConflictKind.CUSTOMER)
    state = models.CharField(_("state"), max_length=16, choices=ConflictState.choices, default=ConflictState.OPEN,
                             editable=False)
    state_changed_at = models.DateTimeField(_("state changed at"), default=timezone.now, editable=False)
    customer_name = models.CharField(_("end customer"), max_length=200, blank=True)
    summary = models.TextField(_("summary"))
    direct_account = models.ForeignKey(DirectAccount, on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="+", verbose_name=_("direct account"))
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now, editable=False)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", editable=False, verbose_name=_("opened by"))
    resolution = models.CharField(_("decision"), max_length=16, choices=ConflictResolution.choices, blank=True,
                                  editable=False)
    awarded_to = models.ForeignKey(Partner, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   editable=False, verbose_name=_("awarded to"))
    decision_note = models.TextField(_("reasons for the decision"), blank=True, editable=False)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", editable=False, verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)
    outcome = models.TextField(_("outcome"), blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("channel conflict")
        verbose_name_plural = _("channel conflicts")
        ordering = ["-opened_at", "-pk"]
        indexes = [models.Index(fields=["tenant", "state", "opened_at"], name="coop_conflict_state")]
        constraints = [models.UniqueConstraint(fields=["tenant", "number"], name="coop_conflict_unique_number")]

    def __str__(self) -> str:
        return f"{self.number} · {self.customer_name or self.get_kind_display()}"


class ConflictParty(TenantOwnedBase):
    """A partner in a conflict, with its registration when the conflict is about one."""

    case = models.ForeignKey(ConflictCase, on_delete=models.CASCADE, related_name="parties",
                             verbose_name=_("channel conflict"))
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+", verbose_name=_("partner"))
    registration = models.ForeignKey(DealRegistration, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="conflict_parties", verbose_name=_("deal registration"))
    is_claimant = models.BooleanField(_("raised by this party"), default=False,
                                      help_text=_("The party whose registration or report opened the case."))

    class Meta:
        verbose_name = _("conflict party")
        verbose_name_plural = _("conflict parties")
        ordering = ["-is_claimant", "pk"]
        indexes = [models.Index(fields=["tenant", "partner", "case"], name="coop_conflictparty_partner")]
        constraints = [models.UniqueConstraint(fields=["tenant", "case", "partner"],
                                               name="coop_conflictparty_unique")]

    def __str__(self) -> str:
        return f"{self.case_id} · {self.partner_id}"


class ConflictEvidence(TenantOwnedModel):
    """What one side puts forward: a partner's evidence (seen by that partner and the vendor only) or the
    channel manager's note (``partner`` empty: the vendor's, never shown to partners)."""

    case = models.ForeignKey(ConflictCase, on_delete=models.CASCADE, related_name="evidence",
                             verbose_name=_("channel conflict"))
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                verbose_name=_("partner"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name=_("author"))
    text = models.TextField(_("evidence"))
    created_at = models.DateTimeField(_("added at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("conflict evidence")
        verbose_name_plural = _("conflict evidence")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["tenant", "case", "created_at"], name="coop_evidence_case")]

    def __str__(self) -> str:
        return f"{self.case_id} · {self.created_at:%Y-%m-%d}"
