"""Reads of channel cost and return and of coverage: from the rollups, never from the raw figures.

Every function runs in the tenant's scope. Aggregates per partner type or per month are GROUP BYs
over the monthly rollup (``ChannelEconomics``); lists are querysets with what a row shows
selected in the same query.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Max, QuerySet, Sum

from .models import ChannelEconomics, CoverageGap, CoverageTarget

AMOUNTS = ("revenue", "margin", "recruiting", "training", "promotion", "incentives", "other", "total_cost",
           "net_return")


@dataclass(frozen=True)
class TypeEconomics:
    """One partner type's cost and return over the chosen months."""

    partner_type: str
    label: str
    partners: int
    revenue: Decimal
    margin: Decimal
    recruiting: Decimal
    training: Decimal
    promotion: Decimal
    incentives: Decimal
    other: Decimal
    total_cost: Decimal
    net_return: Decimal

    @property
    def return_ratio(self) -> Decimal | None:
        return (self.margin / self.total_cost).quantize(Decimal("0.01")) if self.total_cost > 0 else None


def economics_list() -> QuerySet[ChannelEconomics]:
    return ChannelEconomics.objects.select_related("partner", "region").order_by("-period_key", "partner_type",
                                                                                  "partner_id")


def economics_months(limit: int = 24) -> list[str]:
    """The months the rollup holds, newest first."""
    return list(ChannelEconomics.objects.order_by("-period_key").values_list("period_key", flat=True)
                .distinct()[:limit])


def economics_by_type(*, months: list[str]) -> list[TypeEconomics]:
    """Per partner type, the sums over ``months`` (one GROUP BY over the rollup)."""
    from channelhub.partners.models import PartnerType

    labels = dict(PartnerType.choices)
    rows = (ChannelEconomics.objects.filter(period_key__in=months).values("partner_type")
            .annotate(**{name: Sum(name) for name in AMOUNTS}, partners=Count("partner_id", distinct=True))
            .order_by("partner_type"))
    zero = Decimal("0.00")
    return [TypeEconomics(partner_type=row["partner_type"],
                          label=str(labels.get(row["partner_type"], row["partner_type"])),
                          partners=row["partners"], **{name: row[name] or zero for name in AMOUNTS})
            for row in rows]


def economics_by_month(*, months: list[str]) -> dict[str, dict[str, Decimal]]:
    """Per month, the tenant's margin and total cost (one GROUP BY)."""
    return {row["period_key"]: row for row in ChannelEconomics.objects.filter(period_key__in=months)
            .values("period_key").annotate(margin_sum=Sum("margin"), cost_sum=Sum("total_cost"),
                                           revenue_sum=Sum("revenue")).order_by("period_key")}


def economics_computed_at(*, months: list[str]):
    return ChannelEconomics.objects.filter(period_key__in=months).aggregate(at=Max("computed_at"))["at"]


# --------------------------------------------------------------------------- coverage


def coverage_gaps() -> QuerySet[CoverageGap]:
    """Every computed cell, worst first (weighted gap, then partners missing)."""
    return CoverageGap.objects.select_related("region", "target").order_by("-weighted_gap", "-gap", "id")


def coverage_targets() -> QuerySet[CoverageTarget]:
    return CoverageTarget.objects.select_related("region").order_by("region__path", "partner_type",
                                                                    "product_category")


@dataclass(frozen=True)
class CoverageMatrix:
    """Region × partner type: per region, a cell per type (None where there is no target)."""

    types: list[tuple[str, str]]
    rows: list[tuple[object, list[CoverageGap | None]]]
    computed_at: object


def coverage_matrix() -> CoverageMatrix:
    """The coverage map as a table (one query); cells with several product lines show the worst."""
    from channelhub.partners.models import PartnerType

    gaps = list(CoverageGap.objects.select_related("region").order_by("region__path", "partner_type",
                                                                      "-weighted_gap"))
    used = {gap.partner_type for gap in gaps}
    types = [(value, str(label)) for value, label in PartnerType.choices if value in used]
    regions: dict[int, tuple[object, dict[str, CoverageGap]]] = {}
    for gap in gaps:
        _region, cells = regions.setdefault(gap.region_id, (gap.region, {}))
        cells.setdefault(gap.partner_type, gap)
    rows = [(region, [cells.get(value) for value, _label in types]) for region, cells in regions.values()]
    computed = max((gap.computed_at for gap in gaps), default=None)
    return CoverageMatrix(types=types, rows=rows, computed_at=computed)
