"""Reads of sales reporting: lines, reports, periods, a partner's months, and the KPI inputs.

The KPI queries are set-based (``channelhub.kpi_inputs``): one ``GROUP BY partner`` over the
months of the evaluated period, ``values_list(partner_id, value)``, so evaluation embeds their
SQL and no partner's figure passes through Python.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    F,
    FloatField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from channelhub.partners.models import Partner

from ..models import (
    KPI_CURRENCY,
    ReportingStatus,
    SalesLine,
    SalesPeriod,
    SalesReport,
    month_start,
    next_month,
)


def sales_line_list(*, partner_id: int | None = None, current_only: bool = False) -> QuerySet[SalesLine]:
    queryset = SalesLine.objects.select_related("partner", "product", "region", "period", "report")
    if partner_id is not None:
        queryset = queryset.filter(partner_id=partner_id)
    if current_only:
        queryset = queryset.filter(is_current=True)
    return queryset


def sales_report_list(*, partner_id: int | None = None) -> QuerySet[SalesReport]:
    queryset = SalesReport.objects.select_related("partner", "submitted_by")
    return queryset.filter(partner_id=partner_id) if partner_id is not None else queryset


def period_list() -> QuerySet[SalesPeriod]:
    """Periods with how many partners reported, how many of them late, and how many never did."""
    return SalesPeriod.objects.annotate(
        reported_count=Count("statuses", filter=Q(statuses__first_reported_at__isnull=False)),
        late_count=Count("statuses", filter=Q(statuses__is_late=True, statuses__first_reported_at__isnull=False)),
        missing_count=Count("statuses", filter=Q(statuses__first_reported_at__isnull=True)),
    )


def reporting_status_list(*, partner_id: int | None = None) -> QuerySet[ReportingStatus]:
    queryset = ReportingStatus.objects.select_related("partner", "period")
    return queryset.filter(partner_id=partner_id) if partner_id is not None else queryset


def open_periods() -> QuerySet[SalesPeriod]:
    return SalesPeriod.objects.filter(is_closed=False)


def monthly_sales(partner_id: int, *, months: int = 12, today: datetime.date | None = None) -> list[dict]:
    """The partner's current figures per month (oldest first, every month shown), in the KPI currency,
    with the bar width in percent of the largest month."""
    today = today or timezone.localdate()
    last = month_start(today)
    first = last
    for _step in range(months - 1):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    rows = {row["month"]: row for row in SalesLine.objects.filter(
        partner_id=partner_id, is_current=True, currency=KPI_CURRENCY, month__gte=first, month__lte=last,
    ).values("month").annotate(amount=Sum("amount"), quantity=Sum("quantity")).order_by("month")}
    out, month = [], first
    while month <= last:
        row = rows.get(month, {})
        # SQLite sums decimals as floats: round to cents so every database shows the same figure.
        amount = Decimal(str(row.get("amount") or 0)).quantize(Decimal("0.01"))
        out.append({"month": month, "amount": amount, "quantity": row.get("quantity") or 0})
        month = next_month(month)
    largest = max((row["amount"] for row in out), default=Decimal(0)) or Decimal(1)
    for row in out:
        row["percent"] = int(row["amount"] * 100 / largest)
    return out


def partner_periods(partner_id: int, *, limit: int = 12) -> list[dict]:
    """The latest periods with the partner's status in each (on time, late, missing, not yet due)."""
    periods = list(SalesPeriod.objects.order_by("-month")[:limit])
    statuses = {s.period_id: s for s in ReportingStatus.objects.filter(
        partner_id=partner_id, period__in=[p.pk for p in periods])}
    return [{"period": p, "status": statuses.get(p.pk)} for p in periods]


def due_report(partner_id: int, *, today: datetime.date | None = None) -> SalesPeriod | None:
    """Last month's period while the partner has not reported it (the portal's reminder), else None."""
    today = today or timezone.localdate()
    last_month = (month_start(today) - datetime.timedelta(days=1)).replace(day=1)
    period = SalesPeriod.objects.filter(month=last_month, is_closed=False).first()
    if period is None:
        return None
    if ReportingStatus.objects.filter(partner_id=partner_id, period=period, first_reported_at__isnull=False).exists():
        return None
    return period


def partners_to_remind(period: SalesPeriod) -> QuerySet[Partner]:
    from channelhub.partners.models import PartnerStatus

    reported = ReportingStatus.objects.filter(period=period, first_reported_at__isnull=False).values("partner_id")
    return Partner.objects.filter(status=PartnerStatus.ACTIVE).exclude(pk__in=reported)


# --------------------------------------------------------------------------- KPI inputs (set-based)


def window(period) -> tuple[datetime.date, datetime.date]:
    """[first month, month after the last) of a ``Period`` (its start and end) or of the month of a date."""
    if hasattr(period, "start") and hasattr(period, "end"):
        return month_start(period.start.date()), month_start(period.end.date())
    start = month_start(period)
    return start, next_month(start)


def sales_amount_query(tenant, period) -> QuerySet:
    """Sum of the current figures in the KPI currency per partner over the period's months."""
    start, end = window(period)
    return (SalesLine.objects.filter(is_current=True, currency=KPI_CURRENCY, month__gte=start, month__lt=end)
            .values("partner_id").annotate(value=Sum("amount")).values_list("partner_id", "value")
            .order_by())


def sales_growth_query(tenant, period) -> QuerySet:
    """Growth against the same number of months just before: (now − before) / before, partners with sales before."""
    start, end = window(period)
    months = (end.year - start.year) * 12 + end.month - start.month
    before = start
    for _step in range(months):
        before = (before - datetime.timedelta(days=1)).replace(day=1)
    money = DecimalField(max_digits=20, decimal_places=2)
    now_sum = Coalesce(Sum("amount", filter=Q(month__gte=start)), Value(Decimal(0)), output_field=money)
    before_sum = Sum("amount", filter=Q(month__lt=start))
    return (SalesLine.objects.filter(is_current=True, currency=KPI_CURRENCY, month__gte=before, month__lt=end)
            .values("partner_id").annotate(now=now_sum, before=before_sum)
            .filter(before__gt=0)
            .annotate(value=(Cast(F("now"), FloatField()) - Cast(F("before"), FloatField()))
                      / Cast(F("before"), FloatField()))
            .values_list("partner_id", "value").order_by())


def reporting_timeliness_query(tenant, period) -> QuerySet:
    """Share of the period's months (0–1) each partner reported by the deadline; missing reports count late."""
    start, end = window(period)
    return (ReportingStatus.objects.filter(month__gte=start, month__lt=end)
            .values("partner_id")
            .annotate(value=Cast(Sum(Case(When(is_late=False, then=Value(1)), default=Value(0))), FloatField())
                      / Cast(Count("pk"), FloatField()))
            .values_list("partner_id", "value").order_by())
