"""Reads of market feedback: lists, an item's files, the summary by category × region × month, the contribution KPI
input."""

from __future__ import annotations

import datetime

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from ..models import Feedback, FeedbackFile, FeedbackState
from .leads import _span

# A summary covers at most this many months (one GROUP BY over the month index, never a whole history).
SUMMARY_MAX_MONTHS = 24


def feedback_list(*, partner_id: int | None = None, with_files: bool = False) -> QuerySet[Feedback]:
    """``with_files``: each item's files in one more query (``item.files.all()``), whatever the page size."""
    queryset = Feedback.objects.select_related("partner", "region", "product", "submitted_by", "answered_by")
    if partner_id is not None:
        queryset = queryset.filter(partner_id=partner_id)
    if with_files:
        queryset = queryset.prefetch_related(Prefetch("files", queryset=FeedbackFile.objects.order_by("pk")))
    return queryset


def feedback_files(feedback: Feedback) -> QuerySet[FeedbackFile]:
    return FeedbackFile.objects.filter(feedback_id=feedback.pk).order_by("pk")


def feedback_to_triage() -> QuerySet[Feedback]:
    return Feedback.objects.filter(state=FeedbackState.NEW)


def _months_back(month: datetime.date, count: int) -> datetime.date:
    for _step in range(count):
        month = (month - datetime.timedelta(days=1)).replace(day=1)
    return month


def summary_window(start: datetime.date | None = None, end: datetime.date | None = None,
                   ) -> tuple[datetime.date, datetime.date]:
    """[first month, last month] clamped to ``SUMMARY_MAX_MONTHS`` (default: the last three months)."""
    end = (end or timezone.localdate()).replace(day=1)
    start = (start or _months_back(end, 2)).replace(day=1)
    if start > end:
        start, end = end, start
    earliest = _months_back(end, SUMMARY_MAX_MONTHS - 1)
    return max(start, earliest), end


def feedback_summary(*, start: datetime.date | None = None, end: datetime.date | None = None,
                     partner_id: int | None = None) -> list[dict]:
    """Feedback counted by category × region × month over a bounded window (one grouped query)."""
    first, last = summary_window(start, end)
    rows = Feedback.objects.filter(month__gte=first, month__lte=last)
    if partner_id is not None:
        rows = rows.filter(partner_id=partner_id)
    labels = dict(Feedback._meta.get_field("category").choices)
    out = []
    for row in (rows.values("month", "category", "region_id", "region__name", "region__name_en")
                .annotate(count=Count("pk")).order_by("-month", "category", "region__name")):
        out.append({
            "month": row["month"].strftime("%Y-%m"), "category": row["category"],
            "category_label": str(labels.get(row["category"], row["category"])), "region": row["region_id"],
            "region_name": _region_name(row) if row["region_id"] else "", "count": row["count"],
        })
    return out


def _region_name(row: dict) -> str:
    from django.utils.translation import get_language

    if row["region__name_en"] and (get_language() or "").startswith("en"):
        return row["region__name_en"]
    return row["region__name"]


def feedback_contribution_query(tenant, period) -> QuerySet:
    """Per partner: how many feedback items it sent in the period."""
    start, end = _span(period)
    return (Feedback.objects.filter(submitted_at__gte=start, submitted_at__lt=end)
            .values("partner_id").annotate(value=Count("pk")).values_list("partner_id", "value").order_by())
