"""Promotion support (促销支持, market development funds, MDF).

A tenant sets a **budget** per period (for every partner, or for one partner only). A partner
**requests** funds for an activity (plan, cost, expected results); a manager approves it
against a budget, which *commits* the approved amount. After the activity the partner
**claims** with proof of performance (files) and figures (actual cost, results); the manager
approves the claim in full or in part (never more than the request holds) or rejects it, and
finance pays it (payment reference and date).

The budget's money moves in two columns: ``committed`` (approved requests and approved claims
not yet paid) and ``paid``. ``committed + paid`` never exceeds ``total``: the services lock the
budget row and re-check inside the transaction, and a database check constraint refuses any
write that would break it. A rejected claim, a partial approval or a closed request gives the
rest back to the budget. Money is ``Decimal`` end to end, in CNY.
"""

from __future__ import annotations

from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from channelhub.partners.models import Partner
from channelhub.tenancy.models import TenantOwnedModel

from ..storage import private_storage

MONEY_DIGITS = 16


class ActivityKind(models.TextChoices):
    IN_STORE = "in_store", _("In-store promotion")
    EXHIBITION = "exhibition", _("Exhibition or trade show")
    ADVERTISING = "advertising", _("Advertising")
    SEMINAR = "seminar", _("Customer seminar")
    DIGITAL = "digital", _("Online marketing")
    OTHER = "other", pgettext_lazy("promotion activity", "Other activity")


class FundRequestState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("fund request state", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("fund request state", "Submitted")
    RETURNED = "returned", pgettext_lazy("fund request state", "Returned for changes")
    APPROVED = "approved", pgettext_lazy("fund request state", "Approved")
    REJECTED = "rejected", pgettext_lazy("fund request state", "Rejected")
    CLOSED = "closed", pgettext_lazy("fund request state", "Closed")


class FundClaimState(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("fund claim state", "Submitted")
    APPROVED = "approved", pgettext_lazy("fund claim state", "Approved in full")
    PARTIALLY_APPROVED = "partially_approved", pgettext_lazy("fund claim state", "Partially approved")
    REJECTED = "rejected", pgettext_lazy("fund claim state", "Rejected")
    PAID = "paid", pgettext_lazy("fund claim state", "Paid")


# Claims that finance pays next.
AWAITING_PAYMENT = (FundClaimState.APPROVED, FundClaimState.PARTIALLY_APPROVED)


class FundBudget(TenantOwnedModel):
    """Promotion funds for a period: for every partner, or allocated to one partner."""

    name = models.CharField(_("name"), max_length=100)
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                verbose_name=_("allocated to partner"),
                                help_text=_("Empty: every partner's requests may draw on it."))
    total = models.DecimalField(_("total (CNY)"), max_digits=MONEY_DIGITS, decimal_places=2)
    committed = models.DecimalField(_("committed (CNY)"), max_digits=MONEY_DIGITS, decimal_places=2,
                                    default=0, editable=False)
    paid = models.DecimalField(_("paid (CNY)"), max_digits=MONEY_DIGITS, decimal_places=2, default=0,
                               editable=False)
    is_open = models.BooleanField(_("open"), default=True, help_text=_("Requests are approved only against open "
                                                                       "budgets."))

    class Meta:
        verbose_name = _("promotion budget")
        verbose_name_plural = _("promotion budgets")
        ordering = ["-start", "name"]
        indexes = [models.Index(fields=["tenant", "start", "end"], name="coop_fundbudget_period")]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "name"], name="coop_fundbudget_unique_name"),
            models.CheckConstraint(condition=Q(committed__gte=0) & Q(paid__gte=0),
                                   name="coop_fundbudget_not_negative"),
            # The rule of the budget, also in the database: it is never over-committed.
            models.CheckConstraint(condition=Q(total__gte=F("committed") + F("paid")),
                                   name="coop_fundbudget_within_total"),
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="coop_fundbudget_period_order"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def available(self):
        return self.total - self.committed - self.paid


class FundRequest(TenantOwnedModel):
    """A partner's request for promotion funds for one activity."""

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+", verbose_name=_("partner"))
    title = models.CharField(_("activity"), max_length=200)
    kind = models.CharField(_("kind of activity"), max_length=16, choices=ActivityKind.choices,
                            default=ActivityKind.IN_STORE)
    plan = models.TextField(_("plan"), help_text=_("What, where, for whom, with which products."))
    expected_results = models.TextField(_("expected results"), blank=True,
                                        help_text=_("Leads, visitors, sales you expect."))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    requested_amount = models.DecimalField(_("requested amount (CNY)"), max_digits=MONEY_DIGITS, decimal_places=2)
    state = models.CharField(_("state"), max_length=16, choices=FundRequestState.choices,
                             default=FundRequestState.DRAFT, editable=False)
    budget = models.ForeignKey(FundBudget, on_delete=models.PROTECT, null=True, blank=True, related_name="requests",
                               editable=False, verbose_name=_("promotion budget"))
    approved_amount = models.DecimalField(_("approved amount (CNY)"), max_digits=MONEY_DIGITS, decimal_places=2,
                                          null=True, blank=True, editable=False)
    # What of the budget this request still holds: the approved amount until its claim is decided,
    # then the claim's approved amount until it is paid; zero once settled.
    committed = models.DecimalField(_("committed (CNY)"), max_digits=MONEY_DIGITS, decimal_places=2, default=0,
                                    editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", editable=False, verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", editable=False, verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)
    decision_comment = models.TextField(_("decision comment"), blank=True, editable=False)
    state_changed_at = models.DateTimeField(_("state changed at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("fund request")
        verbose_name_plural = _("fund requests")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["tenant", "state", "submitted_at"], name="coop_fundrequest_state"),
            models.Index(fields=["tenant", "partner", "state"], name="coop_fundrequest_partner"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(requested_amount__gt=0), name="coop_fundrequest_amount_positive"),
            models.CheckConstraint(condition=Q(committed__gte=0), name="coop_fundrequest_committed_not_negative"),
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="coop_fundrequest_dates"),
        ]

    def __str__(self) -> str:
        return f"MDF-{self.pk} · {self.title}" if self.pk else self.title


class FundClaim(TenantOwnedModel):
    """After the activity: what it cost and achieved, with proof of performance; one claim per request."""

    request = models.ForeignKey(FundRequest, on_delete=models.PROTECT, related_name="claims",
                                verbose_name=_("fund request"))
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+", verbose_name=_("partner"))
    actual_cost = models.DecimalField(_("actual cost (CNY)"), max_digits=MONEY_DIGITS, decimal_places=2)
    claimed_amount = models.DecimalField(_("claimed amount (CNY)"), max_digits=MONEY_DIGITS, decimal_places=2)
    attendees = models.PositiveIntegerField(_("attendees or visitors"), default=0)
    leads = models.PositiveIntegerField(_("leads"), default=0)
    results = models.TextField(_("results"), help_text=_("What the activity achieved."))
    state = models.CharField(_("state"), max_length=20, choices=FundClaimState.choices,
                             default=FundClaimState.SUBMITTED, editable=False)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", editable=False, verbose_name=_("submitted by"))
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now, editable=False)
    approved_amount = models.DecimalField(_("approved amount (CNY)"), max_digits=MONEY_DIGITS, decimal_places=2,
                                          null=True, blank=True, editable=False)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", editable=False, verbose_name=_("reviewed by"))
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True, editable=False)
    review_comment = models.TextField(_("review comment"), blank=True, editable=False)
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", editable=False, verbose_name=_("paid by"))
    paid_on = models.DateField(_("paid on"), null=True, blank=True, editable=False)
    payment_reference = models.CharField(_("payment reference"), max_length=100, blank=True, editable=False)
    state_changed_at = models.DateTimeField(_("state changed at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("fund claim")
        verbose_name_plural = _("fund claims")
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            models.Index(fields=["tenant", "state", "submitted_at"], name="coop_fundclaim_state"),
            models.Index(fields=["tenant", "partner", "state"], name="coop_fundclaim_partner"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "request"], name="coop_fundclaim_one_per_request"),
            models.CheckConstraint(condition=Q(actual_cost__gte=0) & Q(claimed_amount__gt=0),
                                   name="coop_fundclaim_amounts"),
        ]

    def __str__(self) -> str:
        return f"MDF-{self.request_id} · {_('claim')}"


def proof_upload_to(instance, filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"cooperation/mdf/{instance.tenant_id}/{instance.claim_id}/{id(instance)}{suffix}"


class FundClaimFile(TenantOwnedModel):
    """Proof of performance: a photo, an invoice, a report (PDF, JPEG or PNG, checked by content)."""

    claim = models.ForeignKey(FundClaim, on_delete=models.CASCADE, related_name="files", verbose_name=_("fund claim"))
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+", verbose_name=_("partner"))
    file = models.FileField(_("file"), upload_to=proof_upload_to, storage=private_storage, max_length=300)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("proof of performance")
        verbose_name_plural = _("proofs of performance")
        ordering = ["claim", "pk"]
        indexes = [models.Index(fields=["tenant", "claim"], name="coop_fundclaimfile_claim")]

    def __str__(self) -> str:
        return self.original_name
