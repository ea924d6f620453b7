"""Qualification-gated eligibility: may this partner (or this person) do X?

The platform's contract for the question "is the partner qualified for something" (deal
registration, a tier, payouts…). The chapter that knows the answer (training: required
certifications per partner type and how many staff must hold them) registers a *provider*;
any chapter asks through this module and never imports the provider's chapter::

    from channelhub import eligibility

    answer = eligibility.partner_is_qualified(partner, "deal_registration")
    if not answer:
        raise ValidationError(answer.reasons)

Rules of the contract:

- ``requirement`` is a code of the vocabulary below (``None`` asks about the partner's
  standing in general: only the requirements that always apply);
- with no provider registered, or a provider that declares nothing for the partner, the answer
  is *qualified* (``Answer(ok=True, reasons=())``): eligibility gates only what a tenant
  declared;
- several providers: the partner is qualified when every provider says so; the reasons of
  every refusal are joined;
- providers run inside the partner's tenant scope and answer with a fixed number of queries.

The vocabulary (a chapter may declare more with ``declare``):

=====================  ================================================================
requirement            the question
=====================  ================================================================
``general``            the partner's standing: requirements that apply to everything
``deal_registration``  may register deals (cooperation)
``tier``               may hold or move up a tier (evaluation)
``payout``             may be paid incentives (evaluation)
``sell``               may sell / advise customers (e.g. an insurance agent's licence)
=====================  ================================================================
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

GENERAL = "general"


@dataclass(frozen=True)
class Answer:
    """``ok`` and, when not ok, why (translated sentences naming what is missing)."""

    ok: bool
    reasons: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return self.ok


QUALIFIED = Answer(ok=True)

PartnerCheck = Callable[[Any, str], Answer | None]  # (partner, requirement) -> Answer; None: no opinion
UserCheck = Callable[[Any, str, Any], Answer | None]  # (user, requirement, tenant) -> Answer; None: no opinion


@dataclass(frozen=True)
class Provider:
    key: str
    partner: PartnerCheck
    user: UserCheck | None = None


_providers: dict[str, Provider] = {}
_vocabulary: dict[str, str | Promise] = {}


def declare(code: str, label: str | Promise) -> str:
    """Add a requirement code to the vocabulary (once, at import time)."""
    _vocabulary.setdefault(code, label)
    return code


for _code, _label in (
    (GENERAL, _("General standing")),
    ("deal_registration", _("Deal registration")),
    ("tier", _("Tier")),
    ("payout", _("Incentive payouts")),
    ("sell", _("Selling to customers")),
):
    declare(_code, _label)


def vocabulary() -> dict[str, str | Promise]:
    return dict(_vocabulary)


def requirement_choices() -> list[tuple[str, str | Promise]]:
    """The vocabulary as model / form choices."""
    return list(_vocabulary.items())


def register_provider(key: str, *, partner: PartnerCheck, user: UserCheck | None = None) -> Provider:
    """Register (or replace, on a module reload) the provider named ``key``."""
    provider = Provider(key=key, partner=partner, user=user)
    _providers[key] = provider
    return provider


def unregister_provider(key: str) -> None:
    _providers.pop(key, None)


def providers() -> list[Provider]:
    return list(_providers.values())


def _known(requirement: str | None) -> str:
    code = requirement or GENERAL
    if code not in _vocabulary:
        raise ImproperlyConfigured(f"Unknown eligibility requirement {code!r}: declare it in channelhub.eligibility.")
    return code


def _combine(answers: list[Answer | None]) -> Answer:
    reasons: list[str] = []
    ok = True
    for answer in answers:
        if answer is None or answer.ok:
            continue
        ok = False
        reasons.extend(str(reason) for reason in answer.reasons)
    return QUALIFIED if ok else Answer(ok=False, reasons=tuple(reasons))


def partner_is_qualified(partner, requirement: str | None = None) -> Answer:
    """Whether ``partner`` meets every declared requirement for ``requirement``; qualified by default."""
    from channelhub.tenancy.context import tenant_scope

    code = _known(requirement)
    if partner is None or not _providers:
        return QUALIFIED
    with tenant_scope(partner.tenant_id, source="eligibility"):
        return _combine([provider.partner(partner, code) for provider in providers()])


def user_is_qualified(user, requirement: str | None = None, *, tenant) -> Answer:
    """Whether one person (a partner's staff member) holds what ``requirement`` asks of them in ``tenant``."""
    from channelhub.tenancy.context import tenant_scope

    code = _known(requirement)
    if user is None or not _providers:
        return QUALIFIED
    with tenant_scope(tenant, source="eligibility"):
        return _combine([provider.user(user, code, tenant) for provider in providers() if provider.user])
