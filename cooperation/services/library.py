"""The resource library: items by audience, versioned files, downloads counted per partner."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from channelhub.tenancy.models import Tenant, User
from channelhub.tenancy.policy import actor_in, authorize
from channelhub.tenancy.services import assign_fields, audited_save

from ..models import LibraryDownload, LibraryFile, LibraryItem
from ..permissions import LIBRARY_DOWNLOAD, LIBRARY_MANAGE
from ._common import checked_upload, delete_guarded
from .audience import audience_save, split_audience

ITEM_FIELDS = ("title", "kind", "description", "is_published", "valid_until")


@transaction.atomic
def library_item_create(*, tenant: Tenant, actor: User | None, **fields: Any) -> LibraryItem:
    authorize(actor, LIBRARY_MANAGE.code, tenant=tenant)
    fields, audience_fields = split_audience(dict(fields))
    audience = audience_save(tenant_id=tenant.pk, audience=None, actor=actor, **audience_fields)
    item = assign_fields(LibraryItem(tenant=tenant, audience=audience),
                         {k: v for k, v in fields.items() if k in ITEM_FIELDS})
    return audited_save(item, actor=actor, reason=_("Created"))


@transaction.atomic
def library_item_update(*, item: LibraryItem, actor: User | None, **fields: Any) -> LibraryItem:
    authorize(actor, LIBRARY_MANAGE.code, tenant=item.tenant_id)
    fields, audience_fields = split_audience(dict(fields))
    if audience_fields:
        audience_save(tenant_id=item.tenant_id, audience=item.audience, actor=actor, **audience_fields)
    assign_fields(item, {k: v for k, v in fields.items() if k in ITEM_FIELDS})
    return audited_save(item, actor=actor, reason=_("Updated"))


@transaction.atomic
def library_item_delete(*, item: LibraryItem, actor: User | None) -> None:
    authorize(actor, LIBRARY_MANAGE.code, tenant=item.tenant_id)
    if LibraryDownload.objects.filter(item=item).exists():
        raise ValidationError(_("Partners have downloaded this item: unpublish it or let it expire instead."))
    delete_guarded(item, actor=actor)


@transaction.atomic
def library_file_add(*, item: LibraryItem, actor: User | None, file, note: str = "") -> LibraryFile:
    """Upload a new version of the item's file (PDF, JPEG or PNG, checked by content)."""
    authorize(actor, LIBRARY_MANAGE.code, tenant=item.tenant_id)
    upload = checked_upload(file, field="file")
    item = LibraryItem.objects.select_for_update().get(pk=item.pk)
    version = (LibraryFile.objects.filter(item=item).aggregate(v=Max("version"))["v"] or 0) + 1
    row = LibraryFile(tenant_id=item.tenant_id, item=item, version=version, file=file, original_name=upload.name,
                      content_type=upload.content_type, size=upload.size, note=(note or "")[:300], uploaded_by=actor)
    return audited_save(row, actor=actor, reason=_("Version %(version)s uploaded") % {"version": version})


def library_download_record(*, item: LibraryItem, file: LibraryFile, actor: User) -> LibraryDownload:
    """Count a download (partner staff: for their partner; staff downloads are counted without one)."""
    access = actor_in(actor, item.tenant_id)
    if access.partner_id is not None:
        authorize(actor, LIBRARY_DOWNLOAD.code, tenant=item.tenant_id, partner=access.partner_id)
    return LibraryDownload.objects.create(tenant_id=item.tenant_id, item=item, file=file,
                                          partner_id=access.partner_id, user=actor, downloaded_at=timezone.now())
