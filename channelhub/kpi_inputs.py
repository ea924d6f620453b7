"""KPI inputs: figures chapters offer to performance evaluation, without evaluation importing them.

A chapter registers a named input from its own package (``ready()``)::

    from channelhub.kpi_inputs import register_kpi_input

    register_kpi_input("training.certified_staff_ratio", label=_("Certified staff ratio"),
                       function=selectors.certified_staff_ratio)

``function(tenant, period) -> {partner_id: value}`` runs inside ``tenant``'s scope; ``period``
is a ``channelhub.tenancy.jobs.Period`` (its ``end`` is the moment the figure is read at) or a
date. Values are plain numbers (a ratio 0–1, a count, an amount); partners the input knows
nothing about are left out, so evaluation can tell "no data" from zero. Evaluation reads
``kpi_inputs()`` and ``read(name, tenant, period)``.

A set-based input may register ``query(tenant, period) -> QuerySet`` instead of (or beside)
``function``: a queryset of ``values_list(partner_id, value)`` pairs. Evaluation then
embeds its SQL in one ``INSERT … SELECT``/``UPDATE … FROM`` and no partner's figure ever
travels through Python (what a 100,000-partner review cycle needs); ``read()`` still
answers the dict for such an input.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise

KpiFunction = Callable[[Any, Any], dict[int, float]]


@dataclass(frozen=True)
class KpiInput:
    name: str
    label: str | Promise
    function: KpiFunction | None
    unit: str = ""  # "ratio", "count", "CNY"…: how evaluation normalises it
    query: Callable[[Any, Any], Any] | None = None  # -> QuerySet of (partner_id, value) rows


_inputs: dict[str, KpiInput] = {}


def register_kpi_input(
    name: str, *, label, function: KpiFunction | None = None, unit: str = "", query=None,
) -> KpiInput:
    if function is None and query is None:
        raise ImproperlyConfigured(f"KPI input {name!r} needs a function or a query.")
    entry = KpiInput(name=name, label=label, function=function, unit=unit, query=query)
    _inputs[name] = entry
    return entry


def kpi_inputs() -> dict[str, KpiInput]:
    return dict(_inputs)


def read(name: str, tenant, period) -> dict[int, float]:
    """The input's values for every partner of ``tenant`` it knows, at ``period``."""
    from channelhub.tenancy.context import tenant_scope

    try:
        entry = _inputs[name]
    except KeyError:
        raise ImproperlyConfigured(f"Unknown KPI input {name!r}.") from None
    with tenant_scope(tenant, source=f"kpi:{name}"):
        if entry.function is None:
            return {partner_id: float(value) for partner_id, value in entry.query(tenant, period)
                    if value is not None}
        return entry.function(tenant, period)


def unregister_kpi_input(name: str) -> None:
    """Remove an input (tests and benchmarks that register their own)."""
    _inputs.pop(name, None)
