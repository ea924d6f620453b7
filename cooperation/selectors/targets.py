"""Reads of joint targets: lists with achievement, a target's months, and the achievement KPI input."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import (
    DecimalField,
    F,
    FloatField,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce

from ..models import KPI_CURRENCY, SalesLine, SalesTarget, TargetMonth, TargetState
from .sales import window

MONEY = DecimalField(max_digits=20, decimal_places=2)


def target_list(*, partner_id: int | None = None) -> QuerySet[SalesTarget]:
    """Targets with ``achieved`` (reported sales in their months) in one query."""
    # Two levels out: the target of the list, not the sales line of the subquery.
    months = TargetMonth.objects.filter(target_id=OuterRef(OuterRef("pk"))).values("month")
    sales = (SalesLine.objects.filter(partner_id=OuterRef("partner_id"), is_current=True, currency=KPI_CURRENCY,
                                      month__in=months)
             .values("partner_id").annotate(total=Sum("amount")).values("total"))
    by_category = sales.filter(product__category=OuterRef("category"))
    queryset = SalesTarget.objects.select_related("partner", "vendor_approved_by", "partner_approved_by").annotate(
        achieved_all=Coalesce(Subquery(sales, output_field=MONEY), Value(Decimal(0)), output_field=MONEY),
        achieved_category=Coalesce(Subquery(by_category, output_field=MONEY), Value(Decimal(0)),
                                   output_field=MONEY),
    )
    if partner_id is not None:
        queryset = queryset.filter(partner_id=partner_id)
    return queryset


def target_achieved(target: SalesTarget) -> Decimal:
    """What the list annotated: the category's sales for a category target, else all sales."""
    value = target.achieved_category if target.category else target.achieved_all
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))  # SQLite sums decimals as floats


def achievement_percent(target: SalesTarget) -> int:
    return int(target_achieved(target) * 100 / target.amount) if target.amount else 0


def target_months_with_sales(target: SalesTarget) -> list[dict]:
    """Each month of the breakdown with the reported sales (one query each side)."""
    months = list(TargetMonth.objects.filter(target=target).order_by("month"))
    lines = SalesLine.objects.filter(partner_id=target.partner_id, is_current=True, currency=KPI_CURRENCY,
                                     month__in=[m.month for m in months])
    if target.category:
        lines = lines.filter(product__category=target.category)
    sales = dict(lines.values("month").annotate(total=Sum("amount")).values_list("month", "total"))
    out = []
    for row in months:
        done = Decimal(str(sales.get(row.month) or 0)).quantize(Decimal("0.01"))
        out.append({"month": row.month, "target": row.amount, "sales": done,
                    "percent": int(done * 100 / row.amount) if row.amount else 0})
    return out


def sales_achievement_query(tenant, period) -> QuerySet:
    """Reported sales / agreed target per partner over the period's months (whole-portfolio targets only)."""
    start, end = window(period)
    sales = (SalesLine.objects.filter(partner_id=OuterRef("partner_id"), is_current=True, currency=KPI_CURRENCY,
                                      month__gte=start, month__lt=end)
             .values("partner_id").annotate(total=Sum("amount")).values("total"))
    return (TargetMonth.objects.filter(month__gte=start, month__lt=end, target__state=TargetState.AGREED,
                                       target__category="")
            .values("partner_id")
            .annotate(goal=Sum("amount"))
            .filter(goal__gt=0)
            .annotate(value=Cast(Coalesce(Subquery(sales, output_field=MONEY), Value(Decimal(0)),
                                          output_field=MONEY), FloatField()) / Cast(F("goal"), FloatField()))
            .values_list("partner_id", "value").order_by())
