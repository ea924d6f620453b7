"""Reads of promotion support (MDF): budgets, requests with their claim, claims with their proof, queues."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Count, DecimalField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from ..models import (
    AWAITING_PAYMENT,
    FundBudget,
    FundClaim,
    FundClaimFile,
    FundClaimState,
    FundRequest,
    FundRequestState,
)

MONEY = DecimalField(max_digits=20, decimal_places=2)


def budget_list() -> QuerySet[FundBudget]:
    return FundBudget.objects.select_related("partner")


def budgets_for(request: FundRequest) -> QuerySet[FundBudget]:
    """The open budgets a request may be approved against (pooled, or the partner's own)."""
    return (FundBudget.objects.filter(is_open=True, start__lte=request.starts_on, end__gte=request.starts_on)
            .filter(Q(partner__isnull=True) | Q(partner_id=request.partner_id)).order_by("start", "name"))


def fund_request_list(*, partner_id: int | None = None) -> QuerySet[FundRequest]:
    """Requests with their claim's id and state (one query)."""
    claims = FundClaim.objects.filter(request_id=OuterRef("pk"))
    queryset = FundRequest.objects.select_related("partner", "budget", "decided_by").annotate(
        claim_id=Subquery(claims.values("pk")[:1]),
        claim_state=Subquery(claims.values("state")[:1]),
    )
    if partner_id is not None:
        queryset = queryset.filter(partner_id=partner_id)
    return queryset


def fund_claim_list(*, partner_id: int | None = None) -> QuerySet[FundClaim]:
    queryset = FundClaim.objects.select_related("request", "partner", "reviewed_by", "paid_by").annotate(
        file_count=Count("files"))
    if partner_id is not None:
        queryset = queryset.filter(partner_id=partner_id)
    return queryset


def claim_files(claim: FundClaim) -> QuerySet[FundClaimFile]:
    return FundClaimFile.objects.filter(claim_id=claim.pk).order_by("pk")


def claim_of(request: FundRequest) -> FundClaim | None:
    return FundClaim.objects.filter(request_id=request.pk).first()


# --------------------------------------------------------------------------- work queues


def requests_awaiting_decision() -> QuerySet[FundRequest]:
    return FundRequest.objects.filter(state=FundRequestState.SUBMITTED)


def claims_awaiting_review() -> QuerySet[FundClaim]:
    return FundClaim.objects.filter(state=FundClaimState.SUBMITTED)


def claims_awaiting_payment() -> QuerySet[FundClaim]:
    return FundClaim.objects.filter(state__in=AWAITING_PAYMENT)


# --------------------------------------------------------------------------- per partner


def mdf_paid_per_partner(start=None, end=None, *, partner_id: int | None = None) -> dict[int, Decimal]:
    """Promotion funds paid per partner (a channel cost; optionally paid between two dates)."""
    claims = FundClaim.objects.filter(state=FundClaimState.PAID)
    if partner_id is not None:
        claims = claims.filter(partner_id=partner_id)
    if start is not None:
        claims = claims.filter(paid_on__gte=start)
    if end is not None:
        claims = claims.filter(paid_on__lt=end)
    rows = claims.values("partner_id").annotate(
        total=Coalesce(Sum("approved_amount"), Value(Decimal(0)), output_field=MONEY)).order_by()
    return {row["partner_id"]: Decimal(str(row["total"])).quantize(Decimal("0.01")) for row in rows}


def partner_summary(partner_id: int) -> dict[str, Decimal]:
    """What a partner has approved, committed and been paid (the 360° panel)."""
    approved = FundRequest.objects.filter(partner_id=partner_id, approved_amount__isnull=False).aggregate(
        approved=Coalesce(Sum("approved_amount"), Value(Decimal(0)), output_field=MONEY),
        committed=Coalesce(Sum("committed"), Value(Decimal(0)), output_field=MONEY))
    paid = mdf_paid_per_partner(partner_id=partner_id).get(partner_id, Decimal("0.00"))
    return {"approved": Decimal(str(approved["approved"])).quantize(Decimal("0.01")),
            "committed": Decimal(str(approved["committed"])).quantize(Decimal("0.01")), "paid": paid}


# --------------------------------------------------------------------------- KPI input


def mdf_paid_query(tenant, period) -> QuerySet:
    """Promotion funds paid per partner in the period (by payment date), in CNY: channel cost and return reads it."""
    start, end = _window(period)
    return (FundClaim.objects.filter(state=FundClaimState.PAID, paid_on__gte=start, paid_on__lt=end)
            .values("partner_id").annotate(value=Sum("approved_amount")).values_list("partner_id", "value")
            .order_by())


def _window(period):
    if hasattr(period, "start") and hasattr(period, "end"):
        return period.start.date(), period.end.date()
    return period, period + datetime.timedelta(days=1)


def _register_kpi_input() -> None:
    # Registered with the reads it runs (cooperation.kpi holds the sales inputs).
    from django.utils.translation import gettext_lazy as _

    from channelhub.kpi_inputs import register_kpi_input

    register_kpi_input("cooperation.mdf_paid", label=_("Promotion funds paid (CNY)"), query=mdf_paid_query,
                       unit="CNY")


_register_kpi_input()
