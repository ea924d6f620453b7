"""Sales reporting (销售数据, 五.3): partners report sales per month × product × region.

Shaped for set-based aggregation by evaluation: every line carries its ``month`` (the first
day of the reporting period) beside the period's key, the indexes begin with the tenant, and
a correction never updates a figure in place: the corrected line stops being current and a
new line points at it (``corrects``), so the history of every figure stays in the table and
``is_current`` lines are the figures that count.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from channelhub.partners.models import Partner, Product, Region
from channelhub.tenancy.models import TenantOwnedBase, TenantOwnedModel

# A period's report is due on this day of the following month unless the tenant sets another deadline.
DEFAULT_DEADLINE_DAY = 10


class Currency(models.TextChoices):
    CNY = "CNY", _("Renminbi (CNY)")
    USD = "USD", _("US dollar (USD)")
    EUR = "EUR", _("Euro (EUR)")
    HKD = "HKD", _("Hong Kong dollar (HKD)")


# The currency evaluation's sales figures are summed in (no exchange rates are kept).
KPI_CURRENCY = Currency.CNY


class SalesSource(models.TextChoices):
    PORTAL = "portal", pgettext_lazy("sales source", "Portal form")
    UPLOAD = "upload", pgettext_lazy("sales source", "File upload")
    API = "api", pgettext_lazy("sales source", "API")
    SYSTEM = "system", pgettext_lazy("sales source", "Imported by the vendor")


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def next_month(month: datetime.date) -> datetime.date:
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def default_deadline(month: datetime.date) -> datetime.date:
    return next_month(month).replace(day=DEFAULT_DEADLINE_DAY)


class SalesPeriod(TenantOwnedModel):
    """A reporting month with its deadline; a closed period takes no more reports or corrections."""

    month = models.DateField(_("month"), help_text=_("The first day of the month reported."))
    key = models.CharField(_("period"), max_length=7, editable=False)
    deadline = models.DateField(_("deadline"), help_text=_("Reports after this day are recorded as late."))
    is_closed = models.BooleanField(_("closed"), default=False,
                                    help_text=_("A closed period takes no more reports or corrections."))
    reminded_at = models.DateTimeField(_("reminders sent at"), null=True, blank=True, editable=False)
    missing_recorded_at = models.DateTimeField(_("missing reports recorded at"), null=True, blank=True,
                                               editable=False)

    class Meta:
        verbose_name = _("sales reporting period")
        verbose_name_plural = _("sales reporting periods")
        ordering = ["-month"]
        constraints = [models.UniqueConstraint(fields=["tenant", "month"], name="coop_salesperiod_unique_month")]

    def save(self, *args, **kwargs) -> None:
        self.month = month_start(self.month)
        self.key = self.month.strftime("%Y-%m")
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return self.key or self.month.strftime("%Y-%m")


class SalesReport(TenantOwnedModel):
    """One submission (a form, a file, an API call): all its lines were imported together, or none."""

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+", verbose_name=_("partner"))
    source = models.CharField(_("source"), max_length=16, choices=SalesSource.choices)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("submitted by"))
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=100, blank=True)
    payload_hash = models.CharField(_("SHA-256 of the rows"), max_length=64, editable=False)
    line_count = models.PositiveIntegerField(_("lines"), default=0)
    correction_count = models.PositiveIntegerField(_("corrections"), default=0)
    late_count = models.PositiveIntegerField(_("late periods"), default=0)

    class Meta:
        verbose_name = _("sales report")
        verbose_name_plural = _("sales reports")
        ordering = ["-submitted_at", "-pk"]
        indexes = [models.Index(fields=["tenant", "partner", "submitted_at"])]
        constraints = [models.UniqueConstraint(
            fields=["tenant", "partner", "idempotency_key"], condition=~Q(idempotency_key=""),
            name="coop_salesreport_unique_idempotency_key")]

    def __str__(self) -> str:
        return f"{self.partner} · {timezone.localtime(self.submitted_at):%Y-%m-%d %H:%M}"


class SalesLine(TenantOwnedBase):
    """One figure: a partner's sales of a product in a region in a month. Never changed, only superseded."""

    report = models.ForeignKey(SalesReport, on_delete=models.PROTECT, related_name="lines",
                               verbose_name=_("sales report"))
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+", verbose_name=_("partner"))
    period = models.ForeignKey(SalesPeriod, on_delete=models.PROTECT, related_name="lines",
                               verbose_name=_("period"))
    month = models.DateField(_("month"))  # = period.month: range scans need no join
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+", verbose_name=_("product"))
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    quantity = models.PositiveIntegerField(_("quantity"))
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, default=Currency.CNY)
    end_customers = models.PositiveIntegerField(_("end customers"), default=0,
                                                help_text=_("How many end customers bought."))
    is_current = models.BooleanField(_("current"), default=True)
    corrects = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("corrects"))
    correction_reason = models.CharField(_("reason for the correction"), max_length=300, blank=True)
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("sales line")
        verbose_name_plural = _("sales lines")
        ordering = ["-month", "partner", "product", "pk"]
        indexes = [
            # Evaluation sums a window of months for every partner at once.
            models.Index(fields=["tenant", "month", "partner"], name="coop_salesline_month"),
            models.Index(fields=["tenant", "partner", "month"], name="coop_salesline_partner"),
        ]
        constraints = [
            # One current figure per key; a correction replaces it inside one transaction.
            models.UniqueConstraint(fields=["tenant", "partner", "period", "product", "region"],
                                    condition=Q(is_current=True), name="coop_salesline_unique_current"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="coop_salesline_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.partner_id} · {self.month:%Y-%m} · {self.product_id}"


class ReportingStatus(TenantOwnedBase):
    """Whether a partner reported a period on time: written on the first report and, for the
    partners that never did, by the deadline job (then with no report time). Timeliness reads it."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+", verbose_name=_("partner"))
    period = models.ForeignKey(SalesPeriod, on_delete=models.CASCADE, related_name="statuses",
                               verbose_name=_("period"))
    month = models.DateField(_("month"))
    first_reported_at = models.DateTimeField(_("first reported at"), null=True, blank=True)
    last_reported_at = models.DateTimeField(_("last reported at"), null=True, blank=True)
    is_late = models.BooleanField(_("late"), default=False)

    class Meta:
        verbose_name = _("reporting status")
        verbose_name_plural = _("reporting statuses")
        ordering = ["-month", "partner"]
        indexes = [models.Index(fields=["tenant", "month", "partner"], name="coop_reportstatus_month")]
        constraints = [models.UniqueConstraint(fields=["tenant", "partner", "period"],
                                               name="coop_reportstatus_unique")]

    def __str__(self) -> str:
        return f"{self.partner_id} · {self.month:%Y-%m}"

    @property
    def missing(self) -> bool:
        return self.first_reported_at is None
