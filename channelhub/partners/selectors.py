"""Read queries over partners and their catalogue, annotated so lists cost a fixed number of queries."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from channelhub.tenancy.models import User
from channelhub.tenancy.roles import STAFF_ROLES

from .models import (
    Partner,
    PartnerContact,
    PartnerFigure,
    PartnerStatus,
    PartnerStatusSnapshot,
    Product,
    Region,
)


@functools.cache
def _partner_list_template() -> QuerySet[Partner]:
    # Resolving the subquery annotation is a millisecond of every API page; a queryset is
    # lazy and binds its tenant when compiled (CurrentTenantId), so it is built once and each
    # call gets a clone.
    contacts = (
        PartnerContact.objects.filter(partner_id=OuterRef("pk")).order_by()
        .values("partner_id").annotate(n=Count("pk")).values("n")
    )
    return Partner.objects.select_related("region").annotate(  # the owner is shown by id
        contact_count=Coalesce(Subquery(contacts, output_field=IntegerField()), 0)
    )


def partner_list(*, partner_id: int | None = None) -> QuerySet[Partner]:
    """Partners of the current tenant (each with ``contact_count``); for partner staff, only their own.

    The count is a correlated subquery, run for each row the database reads. Pages are read
    so that those are the rows shown: the first pages and keyset (cursor) pages read no row
    beyond the LIMIT, and deeper page numbers pick the page's ids first (the API's
    ``DeferredJoinPaginator``), where an ``OFFSET 75000`` would have counted the contacts of
    75,000 partners.
    """
    queryset = _partner_list_template().all()
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


def partner_figures_refresh(*, computed_at: datetime) -> int:
    """Rewrite the tenant's dashboard figures (partners per status, type, sales area); return how many.

    Three GROUP BYs over the tenant's partners, run by the hourly job (not per page view).
    Each (dimension, key) has one row, so re-running for the same hour changes nothing but
    the numbers and ``computed_at``; keys that no longer occur drop to zero.
    """
    from django.db import transaction

    rows: dict[tuple[str, str], int] = {}
    dims = PartnerFigure.Dimension
    for status in PartnerStatus.values:
        rows[(dims.STATUS, status)] = 0
    for status, count in Partner.objects.order_by().values_list("status").annotate(n=Count("id")):
        rows[(dims.STATUS, status)] = count
    for partner_type, count in Partner.objects.order_by().values_list("partner_type").annotate(n=Count("id")):
        rows[(dims.TYPE, partner_type)] = count
    areas = {area.path: area.code for area in Region.objects.filter(parent__isnull=True)}
    for code in areas.values():
        rows[(dims.AREA, code)] = 0
    for path, count in Partner.objects.order_by().values_list("region__path").annotate(n=Count("id")):
        code = areas.get("/" + path.split("/")[1] + "/")
        if code is not None:
            rows[(dims.AREA, code)] += count
    since = (computed_at - timedelta(days=JOINED_MONTHS * 31)).replace(
        day=1, hour=0, minute=0, second=0, microsecond=0)
    joined = (Partner.objects.order_by().filter(created_at__gte=since)
              .annotate(month=TruncMonth("created_at")).values_list("month").annotate(n=Count("id")))
    for month, count in joined:
        rows[(dims.JOINED, month.strftime("%Y-%m"))] = count
    with transaction.atomic():
        PartnerFigure.objects.update(count=0, computed_at=computed_at)
        for (dimension, key), count in rows.items():
            PartnerFigure.objects.update_or_create(
                dimension=dimension, key=key, defaults={"count": count, "computed_at": computed_at}
            )
    return len(rows)


# How far back the rollup keeps partners joined per month (the dashboard shows up to 12).
JOINED_MONTHS = 24


@dataclass(frozen=True)
class PartnerFigures:
    status: dict[str, int]
    partner_type: dict[str, int]
    area: list[tuple[str, int]]
    computed_at: datetime | None
    joined: dict[str, int] = field(default_factory=dict)  # "YYYY-MM" -> partners created that month


def partner_figures() -> PartnerFigures:
    """The dashboard's partner figures from the rollup (one query; computed once if never run)."""
    rows = list(PartnerFigure.objects.values_list("dimension", "key", "count", "computed_at"))
    if not rows:
        # A tenant the job has not reached yet: compute once now, then the job keeps it fresh.
        partner_figures_refresh(computed_at=timezone.now())
        rows = list(PartnerFigure.objects.values_list("dimension", "key", "count", "computed_at"))
    dims = PartnerFigure.Dimension
    status = dict.fromkeys(PartnerStatus.values, 0)
    status.update({key: count for dim, key, count, _at in rows if dim == dims.STATUS})
    types = {key: count for dim, key, count, _at in rows if dim == dims.TYPE and count}
    names = {area.code: area.display_name for area in Region.objects.filter(parent__isnull=True)}
    area = sorted(((names.get(key, key), count) for dim, key, count, _at in rows if dim == dims.AREA),
                  key=lambda item: -item[1])
    joined = {key: count for dim, key, count, _at in rows if dim == dims.JOINED}
    return PartnerFigures(status, types, area, max((at for *_rest, at in rows), default=None), joined)


def status_history(status: str, *, days: int = 30) -> list[tuple[date, int]]:
    """Daily counts of one status from the snapshots, oldest first (the last ``days`` days)."""
    rows = PartnerStatusSnapshot.objects.filter(status=status).order_by("-day").values_list("day", "count")
    return list(reversed(rows[:days]))


def active_filter() -> Q:
    return Q(status=PartnerStatus.ACTIVE)


def change_request_list(*, partner_id: int | None = None):
    """Profile change requests, newest first, with who asked and who decided (for lists and the portal)."""
    from .models import PartnerChangeRequest

    queryset = PartnerChangeRequest.objects.select_related("partner", "requested_by", "decided_by")
    if partner_id is not None:
        queryset = queryset.filter(partner_id=partner_id)
    return queryset


def pending_change_request(*, partner_id: int):
    """The partner's request waiting for a decision, if any (one at a time)."""
    from .models import ChangeRequestState

    return change_request_list(partner_id=partner_id).filter(state=ChangeRequestState.PENDING).first()


@dataclass(frozen=True)
class PartnerHeader:
    """The partner 360° page's header figures (two small counts for the one partner)."""

    status: str
    status_label: str
    status_since: datetime | None
    type_label: str
    region: str
    owner: str
    contacts: int
    portal_users: int
    pending_invitations: int
    facts: list = field(default_factory=list)


def partner_header(partner: Partner) -> PartnerHeader:
    from channelhub.tenancy.models import Invitation, InvitationState, Membership

    owner = partner.owner
    return PartnerHeader(
        status=partner.status,
        status_label=partner.get_status_display(),
        status_since=partner.status_changed_at,
        type_label=partner.get_partner_type_display(),
        region=partner.region.display_name if partner.region_id else "",
        owner=(owner.get_full_name() or owner.get_username()) if owner is not None else "",
        contacts=PartnerContact.objects.filter(partner=partner).count(),
        portal_users=Membership.objects.filter(partner=partner, is_active=True).count(),
        pending_invitations=Invitation.objects.filter(partner=partner, state=InvitationState.PENDING).count(),
    )
