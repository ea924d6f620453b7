"""Setting a publication's audience (types, tiers, regions, named partners), always in the publication's tenant."""

from __future__ import annotations

from collections.abc import Iterable

from channelhub.partners.models import Partner, Region
from channelhub.tenancy.models import User
from channelhub.tenancy.services import audited_save, require_same_tenant

from ..models import Audience, AudiencePartner, AudienceRegion, normalise_types
from ..models.audience import normalise_tiers

AUDIENCE_FIELDS = ("audience_all", "partner_types", "tiers", "regions", "partners")


def split_audience(fields: dict) -> tuple[dict, dict]:
    """(the publication's own fields, its audience fields)."""
    audience = {k: fields.pop(k) for k in list(fields) if k in AUDIENCE_FIELDS}
    return fields, audience


def audience_save(*, tenant_id: int, audience: Audience | None, actor: User | None, audience_all=None,
                  partner_types=None, tiers=None, regions: Iterable[Region] | None = None,
                  partners: Iterable[Partner] | None = None) -> Audience:
    """Create or change an audience; only what is given changes. Regions and partners must be the tenant's."""
    audience = audience or Audience(tenant_id=tenant_id)
    if audience_all is not None:
        audience.audience_all = bool(audience_all)
    if partner_types is not None:
        audience.partner_types = normalise_types(partner_types)
    if tiers is not None:
        audience.tiers = normalise_tiers(tiers)
    regions = list(regions) if regions is not None else None
    partners = list(partners) if partners is not None else None
    require_same_tenant(tenant_id, *(regions or []), *(partners or []))
    if regions is not None:
        audience.has_regions = bool(regions)
    if partners is not None:
        audience.has_partners = bool(partners)
    if audience_all is None and (partner_types or tiers or regions or partners):
        audience.audience_all = False
    audited_save(audience, actor=actor)
    if regions is not None:
        AudienceRegion.objects.filter(audience=audience).exclude(region__in=regions).delete()
        have = set(AudienceRegion.objects.filter(audience=audience).values_list("region_id", flat=True))
        for region in regions:
            if region.pk not in have:
                AudienceRegion.objects.create(tenant_id=tenant_id, audience=audience, region=region)
    if partners is not None:
        AudiencePartner.objects.filter(audience=audience).exclude(partner__in=partners).delete()
        have = set(AudiencePartner.objects.filter(audience=audience).values_list("partner_id", flat=True))
        for partner in partners:
            if partner.pk not in have:
                AudiencePartner.objects.create(tenant_id=tenant_id, audience=audience, partner=partner)
    return audience
