"""Writes on partners, contacts, regions and products. Each enforces its rule once."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from channelhub.tenancy.models import Tenant, User
from channelhub.tenancy.services import assign_fields, audited_delete, audited_save, require_same_tenant
from channelhub.tenancy.workflow import transition

from .models import PARTNER_LIFECYCLE, Partner, PartnerContact, Product, Region


@transaction.atomic
def partner_create(*, tenant: Tenant, actor: User | None, **fields: Any) -> Partner:
    """A new partner starts as a prospect; its status only moves through ``partner_transition``."""
    fields.pop("status", None)
    require_same_tenant(tenant, fields.get("region"))
    partner = assign_fields(Partner(tenant=tenant), fields)
    return audited_save(partner, actor=actor, reason=_("Created"))


@transaction.atomic
def partner_update(*, partner: Partner, actor: User | None, **fields: Any) -> Partner:
    fields.pop("status", None)
    return audited_save(assign_fields(partner, fields), actor=actor, reason=_("Updated"))


def partner_transition(
    *, partner: Partner, to_status: str, actor: User | None, reason: str = ""
) -> Partner:
    """Move a partner along its lifecycle (prospect → onboarding → active → …)."""
    return transition(
        workflow=PARTNER_LIFECYCLE, instance=partner, to_state=to_status, actor=actor,
        reason=reason,
    )


@transaction.atomic
def contact_create(*, tenant: Tenant, actor: User | None, **fields: Any) -> PartnerContact:
    require_same_tenant(tenant, fields.get("partner"))
    contact = assign_fields(PartnerContact(tenant=tenant), fields)
    return audited_save(contact, actor=actor, reason=_("Created"))


@transaction.atomic
def contact_update(*, contact: PartnerContact, actor: User | None, **fields: Any) -> PartnerContact:
    return audited_save(assign_fields(contact, fields), actor=actor, reason=_("Updated"))


@transaction.atomic
def region_create(*, tenant: Tenant, actor: User | None, **fields: Any) -> Region:
    require_same_tenant(tenant, fields.get("parent"))
    return audited_save(assign_fields(Region(tenant=tenant), fields), actor=actor, reason=_("Created"))


@transaction.atomic
def region_update(*, region: Region, actor: User | None, **fields: Any) -> Region:
    old_path = region.path
    region = audited_save(assign_fields(region, fields), actor=actor, reason=_("Updated"))
    if region.path != old_path:
        # A moved or renamed node moves its whole subtree.
        for child in Region.objects.filter(parent=region):
            region_update(region=child, actor=actor)
    return region


@transaction.atomic
def product_create(*, tenant: Tenant, actor: User | None, **fields: Any) -> Product:
    return audited_save(assign_fields(Product(tenant=tenant), fields), actor=actor, reason=_("Created"))


@transaction.atomic
def product_update(*, product: Product, actor: User | None, **fields: Any) -> Product:
    return audited_save(assign_fields(product, fields), actor=actor, reason=_("Updated"))


def delete_guarded(instance, *, actor: User | None) -> None:
    """Delete a row unless other records still point at it (then a clear error, no change)."""
    try:
        with transaction.atomic():
            audited_delete(instance, actor=actor, reason=_("Deleted"))
    except ProtectedError as error:
        raise ValidationError(
            _("%(object)s is still used by %(count)d other record(s) and cannot be deleted.")
            % {"object": instance, "count": len(error.protected_objects)}
        ) from error
