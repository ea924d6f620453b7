"""Helpers the recruitment selectors share."""

from __future__ import annotations

from django.db.models import (
    Count,
    DecimalField,
    IntegerField,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from ..models import (
    ApplicationState,
)

MONEY = DecimalField(max_digits=16, decimal_places=2)


def _count(queryset: QuerySet, group_by: str):
    """A correlated COUNT subquery (0 when there is no row)."""
    counted = (
        queryset.order_by().values(group_by).annotate(n=Count("pk", distinct=True)).values("n")[:1]
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _submitted() -> Q:
    return ~Q(state=ApplicationState.DRAFT)
