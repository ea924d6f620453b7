"""Reads of deal registration and channel conflicts: lists, matches, a partner's view of a conflict, the
open pool and the KPI inputs (revenue won through registered deals, win rate)."""

from __future__ import annotations

from django.db.models import Case, Count, Exists, FloatField, OuterRef, Prefetch, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Cast

from ..models import (
    KPI_CURRENCY,
    OPEN_DEAL_STATES,
    ConflictCase,
    ConflictEvidence,
    ConflictParty,
    ConflictState,
    DealMatch,
    DealRegistration,
    DealState,
    DirectAccount,
)
from .sales import window


def deal_list(*, partner_id: int | None = None) -> QuerySet[DealRegistration]:
    queryset = DealRegistration.objects.select_related("partner", "region", "submitted_by", "decided_by")
    if partner_id is not None:
        queryset = queryset.filter(partner_id=partner_id)
    return queryset


def deal_matches(registration: DealRegistration) -> list[DealMatch]:
    """The collisions found for ``registration`` (for staff: they name the other partner)."""
    return list(DealMatch.objects.filter(registration=registration)
                .select_related("other", "other__partner", "direct_account").order_by("-score", "pk"))


def deal_conflicts(registration: DealRegistration) -> QuerySet[ConflictCase]:
    return ConflictCase.objects.filter(parties__registration=registration).order_by("-opened_at")


def deals_awaiting_decision() -> QuerySet[DealRegistration]:
    return DealRegistration.objects.filter(state=DealState.SUBMITTED)


def open_pool() -> QuerySet[DealRegistration]:
    """Expired registrations whose customer no open registration holds now: free to register again."""
    held = DealRegistration.objects.filter(state__in=OPEN_DEAL_STATES, name_key=OuterRef("name_key"))
    return (DealRegistration.objects.filter(state=DealState.EXPIRED).exclude(Exists(held))
            .select_related("partner", "region"))


def direct_account_list() -> QuerySet[DirectAccount]:
    return DirectAccount.objects.select_related("region", "account_manager")


def conflict_list(*, partner_id: int | None = None) -> QuerySet[ConflictCase]:
    """Cases with their parties (one query for the page, one for the parties); for a partner, its own cases."""
    queryset = ConflictCase.objects.select_related("direct_account", "awarded_to", "decided_by").prefetch_related(
        Prefetch("parties", queryset=ConflictParty.objects.select_related("partner", "registration")))
    if partner_id is not None:
        queryset = queryset.filter(parties__partner_id=partner_id)
    return queryset


def open_conflicts() -> QuerySet[ConflictCase]:
    return ConflictCase.objects.filter(state=ConflictState.OPEN)


def conflict_evidence(case: ConflictCase, *, partner_id: int | None = None) -> QuerySet[ConflictEvidence]:
    """All evidence for staff; for a partner only its own (never the other party's, nor the vendor's notes)."""
    queryset = ConflictEvidence.objects.filter(case=case).select_related("partner", "author")
    if partner_id is not None:
        queryset = queryset.filter(partner_id=partner_id)
    return queryset.order_by("created_at", "pk")


def own_party(case: ConflictCase, partner_id: int) -> ConflictParty | None:
    """The partner's side of a case (from the prefetched parties when there are)."""
    return next((p for p in case.parties.all() if p.partner_id == partner_id), None)


def partner_view(case: ConflictCase, partner_id: int) -> dict:
    """What a party sees: the case, its own registration, how many other parties, and whether the decision
    went its way; never the other partner's name, registration, value or contacts."""
    party = own_party(case, partner_id)
    others = sum(1 for p in case.parties.all() if p.partner_id != partner_id)
    favour = None
    if case.resolution:
        favour = case.resolution == "shared" or (case.awarded_to_id == partner_id)
    return {"party": party, "registration": party.registration if party else None, "other_parties": others,
            "with_direct_account": case.direct_account_id is not None, "in_your_favour": favour}


# --------------------------------------------------------------------------- KPI inputs


def deal_revenue_query(tenant, period) -> QuerySet:
    """Revenue won through registered deals (KPI currency) per partner, by the day the deal closed."""
    start, end = window(period)
    return (DealRegistration.objects.filter(state=DealState.WON, currency=KPI_CURRENCY, closed_on__gte=start,
                                            closed_on__lt=end)
            .values("partner_id").annotate(value=Sum("won_amount")).values_list("partner_id", "value").order_by())


def deal_win_rate_query(tenant, period) -> QuerySet:
    """Won / (won + lost) registered deals per partner, closed in the period."""
    start, end = window(period)
    return (DealRegistration.objects.filter(state__in=(DealState.WON, DealState.LOST), closed_on__gte=start,
                                            closed_on__lt=end)
            .values("partner_id")
            .annotate(closed=Count("pk"), won=Count("pk", filter=Q(state=DealState.WON)))
            .annotate(value=Case(When(closed=0, then=Value(0.0)),
                                 default=Cast("won", FloatField()) / Cast("closed", FloatField()),
                                 output_field=FloatField()))
            .values_list("partner_id", "value").order_by())
