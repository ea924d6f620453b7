"""Joint targets (联合目标): a sales target per partner and period that both sides agree to.

Either side proposes (its approval is recorded with the proposal); the other side's approval
makes the target *agreed* and locks it. Changing an agreed target is a new proposal: the
figures change, the other side's approval is cleared, and it needs both sides again. Every
change is in the audit history. The monthly breakdown (``TargetMonth``) always sums to the
amount; achievement is read from the reported sales of those months.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from channelhub.partners.models import Partner
from channelhub.tenancy.models import TenantOwnedModel


class TargetSpan(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Year")


SPAN_MONTHS = {TargetSpan.MONTH: 1, TargetSpan.QUARTER: 3, TargetSpan.YEAR: 12}


class TargetState(models.TextChoices):
    PROPOSED = "proposed", pgettext_lazy("target state", "Proposed")
    AGREED = "agreed", pgettext_lazy("target state", "Agreed")


class TargetSide(models.TextChoices):
    VENDOR = "vendor", _("Vendor")
    PARTNER = "partner", pgettext_lazy("target side", "Partner")


class SalesTarget(TenantOwnedModel):
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+", verbose_name=_("partner"))
    span = models.CharField(_("span"), max_length=8, choices=TargetSpan.choices, default=TargetSpan.YEAR)
    start = models.DateField(_("first month"))
    key = models.CharField(_("period"), max_length=10, editable=False)
    category = models.CharField(_("product category"), max_length=100, blank=True,
                                help_text=_("Empty: all products."))
    amount = models.DecimalField(_("target amount (CNY)"), max_digits=16, decimal_places=2)
    plan = models.TextField(_("business plan"), blank=True,
                            help_text=_("How the partner means to reach it: activities, staff, customers."))
    state = models.CharField(_("state"), max_length=16, choices=TargetState.choices, default=TargetState.PROPOSED,
                             editable=False)
    proposed_by = models.CharField(_("proposed by"), max_length=8, choices=TargetSide.choices, editable=False)
    vendor_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                           blank=True, related_name="+", editable=False,
                                           verbose_name=_("approved for the vendor by"))
    vendor_approved_at = models.DateTimeField(_("approved for the vendor at"), null=True, blank=True, editable=False)
    partner_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                            blank=True, related_name="+", editable=False,
                                            verbose_name=_("approved for the partner by"))
    partner_approved_at = models.DateTimeField(_("approved for the partner at"), null=True, blank=True,
                                               editable=False)
    revision = models.PositiveIntegerField(_("revision"), default=1, editable=False)
    note = models.CharField(_("note on this revision"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("joint target")
        verbose_name_plural = _("joint targets")
        ordering = ["-start", "partner"]
        indexes = [models.Index(fields=["tenant", "state", "start"], name="coop_target_state")]
        constraints = [models.UniqueConstraint(fields=["tenant", "partner", "span", "start", "category"],
                                               name="coop_target_unique_period")]

    def __str__(self) -> str:
        return f"{self.partner} · {self.key}{' · ' + self.category if self.category else ''}"


class TargetMonth(TenantOwnedModel):
    """One month of a target's breakdown (what achievement per month is read against)."""

    target = models.ForeignKey(SalesTarget, on_delete=models.CASCADE, related_name="months",
                               verbose_name=_("joint target"))
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+", verbose_name=_("partner"))
    month = models.DateField(_("month"))
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2)

    class Meta:
        verbose_name = _("target month")
        verbose_name_plural = _("target months")
        ordering = ["month"]
        indexes = [models.Index(fields=["tenant", "month", "partner"], name="coop_targetmonth_month")]
        constraints = [models.UniqueConstraint(fields=["tenant", "target", "month"],
                                               name="coop_targetmonth_unique")]

    def __str__(self) -> str:
        return f"{self.target_id} · {self.month:%Y-%m}"
