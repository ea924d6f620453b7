"""Reads of after-sales service: ticket lists, a ticket's comments, the SLA table, service quality,
and the KPI inputs (set-based: one ``GROUP BY partner`` over the tickets resolved in the period)."""

from __future__ import annotations

import datetime

from django.db.models import Avg, Case, Count, F, FloatField, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Cast
from django.utils import timezone

from ..models import (
    DEFAULT_SLA_HOURS,
    UNRESOLVED,
    ServiceLevel,
    ServiceTicket,
    TicketComment,
    TicketPriority,
    month_start,
    next_month,
)


def ticket_list(*, partner_id: int | None = None) -> QuerySet[ServiceTicket]:
    queryset = ServiceTicket.objects.select_related("partner", "product", "raised_by")
    return queryset.filter(partner_id=partner_id) if partner_id is not None else queryset


def unresolved_tickets(*, partner_id: int | None = None) -> QuerySet[ServiceTicket]:
    return ticket_list(partner_id=partner_id).filter(state__in=UNRESOLVED)


def breached_open_tickets(*, partner_id: int | None = None) -> QuerySet[ServiceTicket]:
    """Tickets the job flagged past their SLA that are still not resolved (the manager's work queue)."""
    queryset = ServiceTicket.objects.filter(breached_at__isnull=False, state__in=UNRESOLVED)
    return queryset.filter(partner_id=partner_id) if partner_id is not None else queryset


def overdue_tickets(*, now: datetime.datetime | None = None) -> QuerySet[ServiceTicket]:
    """Unresolved tickets past their resolution due time (flagged or not yet)."""
    return ServiceTicket.objects.filter(state__in=UNRESOLVED, resolution_due_at__lt=now or timezone.now())


def ticket_comments(ticket: ServiceTicket, *, include_internal: bool) -> QuerySet[TicketComment]:
    """Oldest first; the partner never reads the vendor's internal notes."""
    queryset = TicketComment.objects.filter(ticket_id=ticket.pk).select_related("author")
    return queryset if include_internal else queryset.filter(is_internal=False)


def service_levels() -> list[dict]:
    """Every priority with its hours: the tenant's own where set, else the defaults (one query)."""
    own = {row.priority: row for row in ServiceLevel.objects.all()}
    out = []
    for priority in reversed(TicketPriority.values):
        row = own.get(priority)
        response, resolution = (row.response_hours, row.resolution_hours) if row else DEFAULT_SLA_HOURS[priority]
        out.append({"priority": priority, "label": TicketPriority(priority).label, "response_hours": response,
                    "resolution_hours": resolution, "is_default": row is None})
    return out


def service_quality(partner_id: int, *, months: int = 12) -> dict:
    """The partner's service over the last ``months`` months, in one query: tickets raised, unresolved,
    breached and unresolved, resolved, resolved in time (and the share), mean hours, mean satisfaction."""
    since = timezone.now() - datetime.timedelta(days=months * 30)
    row = ServiceTicket.objects.filter(partner_id=partner_id, opened_at__gte=since).aggregate(
        raised=Count("pk"),
        unresolved=Count("pk", filter=Q(state__in=UNRESOLVED)),
        breached=Count("pk", filter=Q(state__in=UNRESOLVED, breached_at__isnull=False)),
        resolved=Count("pk", filter=Q(resolved_at__isnull=False)),
        in_time=Count("pk", filter=Q(resolved_in_time=True)),
        hours=Avg("resolution_hours"),
        satisfaction=Avg("satisfaction"),
    )
    row["met_percent"] = round(row["in_time"] * 100 / row["resolved"]) if row["resolved"] else None
    row["hours"] = round(float(row["hours"]), 1) if row["hours"] is not None else None
    row["satisfaction"] = round(float(row["satisfaction"]), 1) if row["satisfaction"] is not None else None
    return row


# --------------------------------------------------------------------------- KPI inputs (set-based)


def _span(period) -> tuple[datetime.datetime, datetime.datetime]:
    """[start, end) of a ``Period``, or of the month of a date (in the current time zone)."""
    if hasattr(period, "start") and hasattr(period, "end"):
        return period.start, period.end
    start = month_start(period)
    zone = timezone.get_current_timezone()
    return (datetime.datetime.combine(start, datetime.time(), tzinfo=zone),
            datetime.datetime.combine(next_month(start), datetime.time(), tzinfo=zone))


def _resolved_in(period) -> QuerySet[ServiceTicket]:
    start, end = _span(period)
    return ServiceTicket.objects.filter(resolved_at__gte=start, resolved_at__lt=end)


def service_sla_met_query(tenant, period) -> QuerySet:
    """Share (0–1) of each partner's tickets resolved in the period that were resolved within the SLA."""
    return (_resolved_in(period).values("partner_id")
            .annotate(value=Cast(Sum(Case(When(resolved_in_time=True, then=Value(1)), default=Value(0))),
                                 FloatField()) / Cast(Count("pk"), FloatField()))
            .values_list("partner_id", "value").order_by())


def service_resolution_hours_query(tenant, period) -> QuerySet:
    """Mean hours from opening to resolution of each partner's tickets resolved in the period."""
    return (_resolved_in(period).values("partner_id")
            .annotate(value=Avg(Cast(F("resolution_hours"), FloatField())))
            .values_list("partner_id", "value").order_by())


def service_satisfaction_query(tenant, period) -> QuerySet:
    """Mean customer satisfaction (1–5) of each partner's tickets resolved in the period that were rated."""
    return (_resolved_in(period).filter(satisfaction__isnull=False).values("partner_id")
            .annotate(value=Avg(Cast(F("satisfaction"), FloatField())))
            .values_list("partner_id", "value").order_by())
