"""Evaluation's answer to the platform's tier contract (``channelhub.tiers``)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.db.models import QuerySet

from channelhub import tiers

from .models import PartnerTier, Tier


class EvaluationTiers:
    def choices(self) -> list[tuple[str, str]]:
        return list(Tier.objects.order_by("-rank").values_list("code", "name"))

    def partners_in(self, codes: Iterable[str]) -> QuerySet:
        return PartnerTier.objects.filter(tier__code__in=list(codes)).values("partner_id")

    def codes_of(self, partner_ids: Iterable[int]) -> dict[int, str]:
        return dict(PartnerTier.objects.filter(partner_id__in=list(partner_ids))
                    .values_list("partner_id", "tier__code"))

    def lead_weights(self, partner_ids: Iterable[int]) -> dict[int, Decimal]:
        return dict(PartnerTier.objects.filter(partner_id__in=list(partner_ids))
                    .values_list("partner_id", "tier__lead_weight"))


tiers.register_provider(EvaluationTiers())
