"""Partner tiers (等级) as the platform's contract: which tiers a tenant has and who holds them.

Evaluation owns tiers (its review cycles move partners between them); other chapters target
or weight by tier (a training plan for Gold partners, an announcement to Platinum, lead routing)
and ask through this module, never importing evaluation. The chapter that knows registers one
*provider* from its ``ready()``::

    from channelhub import tiers

    tiers.register_provider(MyTierProvider())

Rules of the contract:

- every call runs inside the current tenant scope;
- a tier is named by its ``code`` (stable, stored by the chapters that target tiers) and shown
  by its label; ``choices()`` lists them best first;
- ``partners_in(codes)`` answers a queryset of partner ids usable as a subquery
  (``Partner.objects.filter(pk__in=tiers.partners_in(["gold"]))``), so targeting by tier stays
  one SQL statement whatever the number of partners;
- with no provider registered the tenant simply has no tiers: no choices, nobody in any tier
  (a chapter's tier criterion then matches no one, which its forms make visible).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Protocol

from django.db.models import QuerySet


class TierProvider(Protocol):
    def choices(self) -> list[tuple[str, str]]:
        """(code, label) of the current tenant's tiers, best first."""

    def partners_in(self, codes: Iterable[str]) -> QuerySet:
        """A ``values("partner_id")``-like queryset of the partners holding one of ``codes``."""

    def codes_of(self, partner_ids: Iterable[int]) -> dict[int, str]:
        """The tier code each of ``partner_ids`` holds (partners without a tier are left out)."""

    def lead_weights(self, partner_ids: Iterable[int]) -> dict[int, Decimal]:
        """The lead-routing weight of each partner's tier (partners without a tier are left out)."""


_provider: TierProvider | None = None


def register_provider(provider: TierProvider) -> None:
    global _provider
    _provider = provider


def unregister_provider() -> None:
    """Forget the provider (tests that check the contract without one)."""
    global _provider
    _provider = None


def choices() -> list[tuple[str, str]]:
    return _provider.choices() if _provider else []


def partners_in(codes: Iterable[str]) -> QuerySet:
    from channelhub.partners.models import Partner

    codes = list(codes)
    if _provider is None or not codes:
        return Partner.objects.none().values("pk")
    return _provider.partners_in(codes)


def codes_of(partner_ids: Iterable[int]) -> dict[int, str]:
    partner_ids = list(partner_ids)
    if _provider is None or not partner_ids:
        return {}
    return _provider.codes_of(partner_ids)


def lead_weights(partner_ids: Iterable[int]) -> dict[int, Decimal]:
    """Each partner's routing weight: its tier's, or 1 without a tier (or without tiers at all)."""
    partner_ids = list(partner_ids)
    found = _provider.lead_weights(partner_ids) if _provider and partner_ids else {}
    return {pk: found.get(pk, Decimal(1)) for pk in partner_ids}


def label_of(code: str) -> str:
    """The label of a tier code, or the code itself for a tier the tenant has since removed."""
    return dict(choices()).get(code, code)
