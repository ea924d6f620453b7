"""Read queries over partners and their catalogue, annotated so lists cost a fixed number of queries."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from channelhub.tenancy.models import User
from channelhub.tenancy.roles import STAFF_ROLES

from .models import Partner, PartnerContact, PartnerStatus, PartnerStatusSnapshot, Product, Region


def partner_list(*, partner_id: int | None = None) -> QuerySet[Partner]:
    """Partners of the current tenant; for partner staff, only their own partner."""
    # A correlated count rather than JOIN + GROUP BY: the page's LIMIT applies first, so
    # only the rows shown are counted (and the pagination COUNT needs no join).
    contacts = (
        PartnerContact.objects.filter(partner=OuterRef("pk")).order_by().values("partner")
        .annotate(n=Count("pk")).values("n")
    )
    queryset = Partner.objects.select_related("region", "owner").annotate(
        contact_count=Coalesce(Subquery(contacts, output_field=IntegerField()), 0)
    )
    if partner_id is not None:
        queryset = queryset.filter(pk=partner_id)
    return queryset


def contact_list(*, partner_id: int | None = None) -> QuerySet[PartnerContact]:
    queryset = PartnerContact.objects.select_related("partner")
    if partner_id is not None:
        queryset = queryset.filter(partner_id=partner_id)
    return queryset


def region_list() -> QuerySet[Region]:
    return Region.objects.select_related("parent").annotate(
        partner_count=Count("partners", distinct=True)
    )


def region_with_descendants(region: Region) -> QuerySet[Region]:
    return Region.objects.filter(path__startswith=region.path)


def product_list() -> QuerySet[Product]:
    return Product.objects.all()


def channel_managers() -> QuerySet[User]:
    """Users who hold a staff role in the current tenant (the choices for a partner's owner)."""
    from channelhub.tenancy.models import Membership

    return User.objects.filter(
        pk__in=Membership.objects.filter(role__in=STAFF_ROLES, is_active=True).values("user_id")
    ).order_by("username")


def partner_status_counts() -> dict[str, int]:
    rows = Partner.objects.values("status").annotate(n=Count("id"))
    counts = dict.fromkeys(PartnerStatus.values, 0)
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def partner_type_counts() -> dict[str, int]:
    return dict(
        Partner.objects.values_list("partner_type").annotate(n=Count("id")).order_by("partner_type")
    )


def partners_by_top_region(limit: int = 10) -> list[tuple[str, int]]:
    """Partner counts per top-level sales area, largest first (two queries whatever the tree size)."""
    areas = {area.path: area.display_name for area in Region.objects.filter(parent__isnull=True)}
    counts: dict[str, int] = dict.fromkeys(areas, 0)
    for path, n in Partner.objects.values_list("region__path").annotate(n=Count("id")).order_by():
        area_path = "/" + path.split("/")[1] + "/"
        if area_path in counts:
            counts[area_path] += n
    rows = sorted(((areas[p], n) for p, n in counts.items()), key=lambda item: -item[1])
    return rows[:limit]


def status_history(status: str, *, days: int = 30) -> list[tuple[date, int]]:
    """Daily counts of one status from the snapshots, oldest first (the last ``days`` days)."""
    rows = PartnerStatusSnapshot.objects.filter(status=status).order_by("-day").values_list("day", "count")
    return list(reversed(rows[:days]))


def active_filter() -> Q:
    return Q(status=PartnerStatus.ACTIVE)
