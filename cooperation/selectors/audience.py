"""Audience resolution: which publications a partner is in, in one query."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from channelhub import tiers
from channelhub.partners.models import Partner, Region

from ..models import Audience, AudiencePartner, AudienceRegion


def _region_paths(partner: Partner) -> list[str]:
    """The partner's region and every region above it, as materialised paths."""
    path = partner.region.path if partner.region_id else ""
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[:n]) + "/" for n in range(1, len(parts) + 1)]


def audience_q(partner: Partner, prefix: str = "audience__") -> Q:
    """A filter on a publication's audience: for everyone, naming the partner, or matching all criteria."""
    named = Exists(AudiencePartner.objects.filter(audience=OuterRef(f"{prefix}pk" if prefix else "pk"),
                                                  partner=partner))
    in_region = Exists(AudienceRegion.objects.filter(
        audience=OuterRef(f"{prefix}pk" if prefix else "pk"),
        region__in=Region.objects.filter(path__in=_region_paths(partner))))
    typed = (Q(**{f"{prefix}partner_types": ""})
             | Q(**{f"{prefix}partner_types__contains": f",{partner.partner_type},"}))
    regional = Q(**{f"{prefix}has_regions": False}) | in_region
    tier = tiers.codes_of([partner.pk]).get(partner.pk)
    tiered = Q(**{f"{prefix}tiers": ""})
    if tier:
        tiered |= Q(**{f"{prefix}tiers__contains": f",{tier},"})
    some_criterion = (~Q(**{f"{prefix}partner_types": ""}) | ~Q(**{f"{prefix}tiers": ""})
                      | Q(**{f"{prefix}has_regions": True}))
    return Q(**{f"{prefix}audience_all": True}) | named | (some_criterion & typed & tiered & regional)


def audiences_of(partner: Partner) -> QuerySet[Audience]:
    return Audience.objects.filter(audience_q(partner, prefix=""))


def partners_in(audience: Audience) -> QuerySet[Partner]:
    """Every partner an audience reaches (for invitations and counts)."""
    partners = Partner.objects.select_related("region")
    if audience.audience_all:
        return partners
    named = Q(pk__in=AudiencePartner.objects.filter(audience=audience).values("partner_id"))
    if not audience.partner_type_list and not audience.tier_list and not audience.has_regions:
        return partners.filter(named)
    criteria = Q()
    if audience.partner_type_list:
        criteria &= Q(partner_type__in=audience.partner_type_list)
    if audience.tier_list:
        criteria &= Q(pk__in=tiers.partners_in(audience.tier_list))
    if audience.has_regions:
        region_q = Q()
        for path in Region.objects.filter(pk__in=AudienceRegion.objects.filter(audience=audience)
                                          .values("region_id")).values_list("path", flat=True):
            region_q |= Q(region__path__startswith=path)
        criteria &= region_q
    return partners.filter(named | criteria)
