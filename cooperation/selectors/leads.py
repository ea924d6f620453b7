"""Reads of lead distribution: leads with their partner, a partner's offers, the queue, the KPI inputs."""

from __future__ import annotations

import datetime

from django.db.models import Count, F, FloatField, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from ..models import WITHOUT_PARTNER, Lead, LeadOffer, LeadRoutingWeight, LeadState, OfferState


def lead_list() -> QuerySet[Lead]:
    return Lead.objects.select_related("region", "product", "partner", "created_by")


def leads_without_partner() -> QuerySet[Lead]:
    """New leads and leads whose last offer was declined or expired: the channel manager's queue."""
    return Lead.objects.filter(state__in=WITHOUT_PARTNER)


def offer_list(*, partner_id: int | None = None) -> QuerySet[LeadOffer]:
    """Offers with their lead (a partner's list shows only its own offers, never who else was offered)."""
    queryset = LeadOffer.objects.select_related("lead", "lead__region", "lead__product", "partner", "offered_by",
                                                "responded_by")
    if partner_id is not None:
        queryset = queryset.filter(partner_id=partner_id)
    return queryset


def lead_offers(lead: Lead) -> QuerySet[LeadOffer]:
    """Who was offered the lead, newest first (for the tenant's staff)."""
    return offer_list().filter(lead_id=lead.pk).order_by("-offered_at", "-pk")


def open_offer_count(partner_id: int) -> int:
    return LeadOffer.objects.filter(partner_id=partner_id, state=OfferState.OPEN,
                                    deadline__gt=timezone.now()).count()


def offers_past_deadline(now: datetime.datetime | None = None) -> QuerySet[LeadOffer]:
    return LeadOffer.objects.filter(state=OfferState.OPEN, deadline__lte=now or timezone.now())


def weight_list() -> QuerySet[LeadRoutingWeight]:
    return LeadRoutingWeight.objects.select_related("partner")


def _span(period) -> tuple[datetime.datetime, datetime.datetime]:
    """[start, end) of a ``Period`` (its datetimes) or of the month of a date."""
    if hasattr(period, "start") and hasattr(period, "end"):
        return period.start, period.end
    start = period.replace(day=1)
    end = (start.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    zone = timezone.get_current_timezone()
    return (datetime.datetime.combine(start, datetime.time(), tzinfo=zone),
            datetime.datetime.combine(end, datetime.time(), tzinfo=zone))


def lead_acceptance_query(tenant, period) -> QuerySet:
    """Per partner: accepted / answered-or-expired offers made in the period (open offers do not count yet)."""
    start, end = _span(period)
    return (LeadOffer.objects.filter(offered_at__gte=start, offered_at__lt=end,
                                     state__in=[OfferState.ACCEPTED, OfferState.DECLINED, OfferState.EXPIRED])
            .values("partner_id")
            .annotate(total=Count("pk"), accepted=Count("pk", filter=Q(state=OfferState.ACCEPTED)))
            .annotate(value=Cast(F("accepted"), FloatField()) / Cast(F("total"), FloatField()))
            .values_list("partner_id", "value").order_by())


def lead_conversion_query(tenant, period) -> QuerySet:
    """Per partner: of the leads it accepted in the period, the share converted (lost and still open count)."""
    start, end = _span(period)
    return (LeadOffer.objects.filter(offered_at__gte=start, offered_at__lt=end, state=OfferState.ACCEPTED)
            .values("partner_id")
            .annotate(total=Count("pk"), won=Count("pk", filter=Q(lead__state=LeadState.CONVERTED)))
            .annotate(value=Cast(F("won"), FloatField()) / Cast(F("total"), FloatField()))
            .values_list("partner_id", "value").order_by())
