"""Reads of the resource library: what a partner may see, versions, downloads per partner."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from channelhub.partners.models import Partner

from ..models import LibraryDownload, LibraryFile, LibraryItem
from .audience import audience_q


def _latest_file():
    return LibraryFile.objects.filter(item=OuterRef("pk")).order_by("-version")


def library_list() -> QuerySet[LibraryItem]:
    return LibraryItem.objects.select_related("audience").annotate(
        version_count=Count("files", distinct=True),
        download_count=Count("downloads", distinct=True),
        latest_file_id=Subquery(_latest_file().values("pk")[:1]),
        latest_version=Subquery(_latest_file().values("version")[:1]),
    )


def library_for(partner: Partner) -> QuerySet[LibraryItem]:
    """Published, unexpired items with a file, for the partner's audience (expired ones disappear)."""
    today = timezone.localdate()
    return (
        library_list().filter(is_published=True)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .filter(audience_q(partner))
        .filter(latest_file_id__isnull=False)
        .order_by("kind", "title")
    )


def downloads_per_partner(item: LibraryItem) -> list[dict]:
    return list(LibraryDownload.objects.filter(item=item, partner__isnull=False)
                .values("partner_id", "partner__legal_name").annotate(count=Count("pk")).order_by("-count"))
