"""The partner 360° page's header: the partner at a glance, plus facts the chapters register.

``@partner_fact(key, label=…, roles=…, order=…)`` on a function ``(request, partner) -> str | None``
adds one labelled value to the header (training: qualification status; evaluation: tier and
score). Each fact costs at most one small query for the one partner; ``None`` hides it.
Panels below the header come from ``channelhub.portal.registry.partner_panel``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .base import has_role

FactFunction = Callable[[object, object], str | None]


@dataclass(frozen=True)
class _Fact:
    key: str
    label: object
    roles: frozenset[str]
    order: int
    function: FactFunction


@dataclass(frozen=True)
class ShownFact:
    key: str
    label: str
    value: str


_facts: dict[str, _Fact] = {}


def partner_fact(key: str, *, label, roles: Iterable[str], order: int = 100):
    def register(function: FactFunction) -> FactFunction:
        _facts[key] = _Fact(key, label, frozenset(roles), order, function)
        return function

    return register


def facts_for(request, partner) -> list[ShownFact]:
    shown = []
    for fact in sorted(_facts.values(), key=lambda f: (f.order, f.key)):
        if not has_role(request, fact.roles):
            continue
        value = fact.function(request, partner)
        if value not in (None, ""):
            shown.append(ShownFact(fact.key, str(fact.label), str(value)))
    return shown
