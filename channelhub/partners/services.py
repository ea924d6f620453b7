"""Writes on partners, contacts, regions and products. Each enforces its rule once.

Every use case checks the actor first (``channelhub.tenancy.policy``): the admin, the API,
the portal and jobs all come through here, so none of them can allow more than the table.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from channelhub import milestones
from channelhub.tenancy.models import Tenant, User
from channelhub.tenancy.policy import authorize, may
from channelhub.tenancy.services import assign_fields, audited_delete, audited_save, require_same_tenant
from channelhub.tenancy.workflow import transition

from .models import PARTNER_LIFECYCLE, Partner, PartnerContact, PartnerStatus, Product, Region
from .permissions import CATALOGUE_MANAGE, CONTACT_MANAGE, PARTNER_MANAGE, PARTNER_TRANSITION, PROFILE_EDIT


@transaction.atomic
def partner_create(*, tenant: Tenant, actor: User | None, **fields: Any) -> Partner:
    """A new partner starts as a prospect; its status only moves through ``partner_transition``."""
    authorize(actor, PARTNER_MANAGE.code, tenant=tenant)
    fields.pop("status", None)
    require_same_tenant(tenant, fields.get("region"))
    partner = assign_fields(Partner(tenant=tenant), fields)
    return audited_save(partner, actor=actor, reason=_("Created"))


@transaction.atomic
def partner_update(*, partner: Partner, actor: User | None, reason: str = "", **fields: Any) -> Partner:
    authorize(actor, PARTNER_MANAGE.code, tenant=partner.tenant_id)
    fields.pop("status", None)
    return audited_save(assign_fields(partner, fields), actor=actor, reason=reason or _("Updated"))


@transaction.atomic
def partner_profile_update(*, partner: Partner, actor: User | None, **fields: Any) -> Partner:
    """A company's profile, from the portal: a partner administrator changes their own company only,
    and only its descriptive fields (``PORTAL_DIRECT_FIELDS``); what identifies the company goes
    through ``change_request_submit``. Managers may change any field (``partner_update``).
    """
    from .models import PORTAL_DIRECT_FIELDS

    authorize(actor, PROFILE_EDIT.code, tenant=partner.tenant_id, partner=partner)
    if not may(actor, PARTNER_MANAGE.code, tenant=partner.tenant_id):
        refused = sorted(set(fields) - set(PORTAL_DIRECT_FIELDS))
        if refused:
            raise PermissionDenied(_("You may not change %(fields)s yourself.") % {
                "fields": ", ".join(str(Partner._meta.get_field(name).verbose_name) if name in {
                    f.name for f in Partner._meta.fields} else name for name in refused)})
    fields.pop("status", None)
    return audited_save(assign_fields(partner, fields), actor=actor, reason=_("Profile updated"))


@transaction.atomic
def partner_delete(*, partner: Partner, actor: User | None) -> None:
    authorize(actor, PARTNER_MANAGE.code, tenant=partner.tenant_id)
    delete_guarded(partner, actor=actor)


def partner_transition(
    *, partner: Partner, to_status: str, actor: User | None, reason: str = ""
) -> Partner:
    """Move a partner along its lifecycle (prospect → onboarding → active → …)."""
    authorize(actor, PARTNER_TRANSITION.code, tenant=partner.tenant_id)
    transition(
        workflow=PARTNER_LIFECYCLE, instance=partner, to_state=to_status, actor=actor,
        reason=reason,
    )
    if to_status == PartnerStatus.ACTIVE:
        milestones.announce(partner=partner, milestone="partner.activated", source="partners.status")
    return partner


@transaction.atomic
def contact_create(*, tenant: Tenant, actor: User | None, **fields: Any) -> PartnerContact:
    """Managers keep any partner's contacts; a partner administrator only their own company's."""
    require_same_tenant(tenant, fields.get("partner"))
    authorize(actor, CONTACT_MANAGE.code, tenant=tenant, partner=fields.get("partner"))
    contact = assign_fields(PartnerContact(tenant=tenant), fields)
    return audited_save(contact, actor=actor, reason=_("Created"))


@transaction.atomic
def contact_update(*, contact: PartnerContact, actor: User | None, **fields: Any) -> PartnerContact:
    authorize(actor, CONTACT_MANAGE.code, tenant=contact.tenant_id, partner=contact.partner_id)
    if "partner" in fields:
        # Moving a contact to another company is a decision about both companies.
        authorize(actor, CONTACT_MANAGE.code, tenant=contact.tenant_id, partner=fields["partner"])
    return audited_save(assign_fields(contact, fields), actor=actor, reason=_("Updated"))


@transaction.atomic
def contact_delete(*, contact: PartnerContact, actor: User | None) -> None:
    authorize(actor, CONTACT_MANAGE.code, tenant=contact.tenant_id, partner=contact.partner_id)
    delete_guarded(contact, actor=actor)


@transaction.atomic
def region_create(*, tenant: Tenant, actor: User | None, **fields: Any) -> Region:
    authorize(actor, CATALOGUE_MANAGE.code, tenant=tenant)
    require_same_tenant(tenant, fields.get("parent"))
    return audited_save(assign_fields(Region(tenant=tenant), fields), actor=actor, reason=_("Created"))


@transaction.atomic
def region_update(*, region: Region, actor: User | None, **fields: Any) -> Region:
    """Change a region; a moved or renamed node moves its whole subtree (materialised paths)."""
    authorize(actor, CATALOGUE_MANAGE.code, tenant=region.tenant_id)
    require_same_tenant(region.tenant_id, fields.get("parent"))
    old_path = region.path
    region = audited_save(assign_fields(region, fields), actor=actor, reason=_("Updated"))
    if region.path != old_path:
        for child in Region.objects.filter(parent=region):
            region_update(region=child, actor=actor)
    return region


@transaction.atomic
def region_delete(*, region: Region, actor: User | None) -> None:
    authorize(actor, CATALOGUE_MANAGE.code, tenant=region.tenant_id)
    delete_guarded(region, actor=actor)


@transaction.atomic
def product_create(*, tenant: Tenant, actor: User | None, **fields: Any) -> Product:
    authorize(actor, CATALOGUE_MANAGE.code, tenant=tenant)
    return audited_save(assign_fields(Product(tenant=tenant), fields), actor=actor, reason=_("Created"))


@transaction.atomic
def product_update(*, product: Product, actor: User | None, **fields: Any) -> Product:
    authorize(actor, CATALOGUE_MANAGE.code, tenant=product.tenant_id)
    return audited_save(assign_fields(product, fields), actor=actor, reason=_("Updated"))


@transaction.atomic
def product_delete(*, product: Product, actor: User | None) -> None:
    authorize(actor, CATALOGUE_MANAGE.code, tenant=product.tenant_id)
    delete_guarded(product, actor=actor)


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


# ---- profile change requests (the fields that identify the company)

from .changes import change_request_approve, change_request_reject, change_request_submit  # noqa: E402, F401
