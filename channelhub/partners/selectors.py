"""Read queries over partners and their catalogue, annotated so lists cost a fixed number of queries."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from channelhub.tenancy.models import User
from channelhub.tenancy.roles import STAFF_ROLES

from .models import Partner, PartnerContact, PartnerStatus, PartnerStatusSnapshot, Product, Region


def partner_list(*, partner_id: int | None = None) -> QuerySet[Partner]:
    """Partners of the current tenant; for partner staff, only their own partner."""
    queryset = Partner.objects.select_related("region", "owner").annotate(
        contact_count=Count("contacts", distinct=True)
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
    """Partner counts per top-level sales area (the first segment of each region's path)."""
    top = Region.objects.filter(parent__isnull=True)
    return sorted(
        (
            (area.display_name, Partner.objects.filter(region__path__startswith=area.path).count())
            for area in top[:limit]
        ),
        key=lambda item: -item[1],
    )


def status_trend(days: int = 30) -> QuerySet[PartnerStatusSnapshot]:
    return PartnerStatusSnapshot.objects.order_by("day", "status")[: days * len(PartnerStatus)]


def active_filter() -> Q:
    return Q(status=PartnerStatus.ACTIVE)
