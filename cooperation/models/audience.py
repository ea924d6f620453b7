"""Who a tenant-wide publication is for: every partner, or partner types, regions and named partners.

Announcements, partner conferences and library material each point at one ``Audience``. A
partner is in it when it is for everyone, when the partner is named, or when the partner
matches every criterion given (its type is one of the types, its region lies inside one of the
regions: a region includes its whole subtree; its tier is one of the tiers, read through the
platform's tier contract ``channelhub.tiers``). Resolution is one query (``selectors.audiences_of``)
after the partner's tier is read.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from channelhub import tiers as tier_contract
from channelhub.partners.models import Partner, PartnerType, Region
from channelhub.tenancy.models import TenantOwnedModel


def normalise_types(value) -> str:
    """The stored form of partner types: ``,distributor,reseller,`` (empty for any type)."""
    if isinstance(value, str):
        value = [part for part in value.split(",") if part]
    codes = sorted({str(code).strip() for code in value or () if str(code).strip()})
    unknown = [code for code in codes if code not in PartnerType.values]
    if unknown:
        raise ValidationError({"partner_types": _("Unknown partner type: %(types)s.") % {"types": ", ".join(unknown)}})
    return f",{','.join(codes)}," if codes else ""


def normalise_tiers(value) -> str:
    """The stored form of tier codes: ``,gold,silver,`` (empty for any tier); codes are the tenant's."""
    if isinstance(value, str):
        value = [part for part in value.split(",") if part]
    codes = sorted({str(code).strip() for code in value or () if str(code).strip()})
    known = {code for code, _label in tier_contract.choices()} if codes else set()
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise ValidationError({"tiers": _("Unknown tier: %(tiers)s.") % {"tiers": ", ".join(unknown)}})
    return f",{','.join(codes)}," if codes else ""


class Audience(TenantOwnedModel):
    """The partners a publication reaches (kept with the publication; changed through its service)."""

    audience_all = models.BooleanField(_("for all partners"), default=True)
    partner_types = models.CharField(_("partner types"), max_length=200, blank=True, default="")
    tiers = models.CharField(_("tiers"), max_length=200, blank=True, default="")
    # Kept by the services: "any region" and "nobody named" need no join.
    has_regions = models.BooleanField(default=False, editable=False)
    has_partners = models.BooleanField(default=False, editable=False)
    label = models.CharField(_("label"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("audience")
        verbose_name_plural = _("audiences")

    def __str__(self) -> str:
        return self.label or self.describe()

    def clean(self) -> None:
        super().clean()
        self.partner_types = normalise_types(self.partner_types)

    @property
    def partner_type_list(self) -> list[str]:
        return [code for code in self.partner_types.split(",") if code]

    @property
    def tier_list(self) -> list[str]:
        return [code for code in self.tiers.split(",") if code]

    def describe(self) -> str:
        if self.audience_all:
            return str(_("All partners"))
        labels = dict(PartnerType.choices)
        parts = [str(labels.get(code, code)) for code in self.partner_type_list]
        parts += [tier_contract.label_of(code) for code in self.tier_list]
        if self.has_regions:
            parts.append(str(_("chosen regions")))
        if self.has_partners:
            parts.append(str(_("named partners")))
        return ", ".join(parts) or str(_("Nobody yet"))


class AudienceRegion(TenantOwnedModel):
    audience = models.ForeignKey(Audience, on_delete=models.CASCADE, related_name="region_rows",
                                 verbose_name=_("audience"))
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))

    class Meta:
        verbose_name = _("audience region")
        verbose_name_plural = _("audience regions")
        constraints = [models.UniqueConstraint(fields=["tenant", "audience", "region"],
                                               name="coop_audienceregion_unique")]

    def __str__(self) -> str:
        return str(self.region)


class AudiencePartner(TenantOwnedModel):
    audience = models.ForeignKey(Audience, on_delete=models.CASCADE, related_name="partner_rows",
                                 verbose_name=_("audience"))
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+", verbose_name=_("partner"))

    class Meta:
        verbose_name = _("named partner")
        verbose_name_plural = _("named partners")
        constraints = [models.UniqueConstraint(fields=["tenant", "audience", "partner"],
                                               name="coop_audiencepartner_unique")]

    def __str__(self) -> str:
        return str(self.partner)
