"""Work queues: what needs the signed-in person, each a count linking to a filtered list.

A chapter registers a queue with ``@work_queue(key, label=…, roles=…, order=…)`` on a
function ``(request) -> Queue | None``. The function answers with one COUNT over an
index-friendly filter (never a scan of the tenant beyond that count) and the changelist
URL, with its filter, that lists exactly what it counted. The admin home shows the queues
first ("What needs you"); the app list and sidebar show each count as a badge beside the
model whose changelist the queue links to. The core registers nothing chapter-specific.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.urls import reverse

from .base import has_role


@dataclass(frozen=True)
class Queue:
    count: int
    url: str


def changelist_url(label: str, query: str) -> str:
    """The filtered admin list a queue links to: ``changelist_url("cooperation.agreement", "state__exact=x")``."""
    app_label, model_name = label.split(".")
    return f"{reverse(f'admin:{app_label}_{model_name}_changelist')}?{query}"


@dataclass(frozen=True)
class QueueCard:
    """A registered queue as one person sees it: ready for the template."""

    key: str
    label: str
    count: int
    url: str

    @property
    def path(self) -> str:
        """The URL without its query: the changelist the badge belongs to."""
        return self.url.split("?", 1)[0]


QueueFunction = Callable[[object], Queue | None]


@dataclass(frozen=True)
class _Registered:
    key: str
    label: object  # a lazy string, translated when shown
    roles: frozenset[str]
    order: int
    function: QueueFunction


_queues: dict[str, _Registered] = {}


def work_queue(key: str, *, label, roles: Iterable[str], order: int = 100):
    """Register a work queue; a key registered again replaces the earlier one (module reloads)."""

    def decorator(function: QueueFunction) -> QueueFunction:
        _queues[key] = _Registered(key=key, label=label, roles=frozenset(roles), order=order, function=function)
        return function

    return decorator


def registered() -> list[str]:
    return [entry.key for entry in sorted(_queues.values(), key=lambda e: (e.order, e.key))]


def queues_for(request) -> list[QueueCard]:
    """The queues the request's roles may see, in order, with their counts (zero included).

    Computed once per request: the home page and the sidebar badges share the counts.
    """
    cached = getattr(request, "_work_queues", None)
    if cached is not None:
        return cached
    cards: list[QueueCard] = []
    if getattr(request, "tenant", None) is not None:
        for entry in sorted(_queues.values(), key=lambda e: (e.order, e.key)):
            if not has_role(request, entry.roles):
                continue
            queue = entry.function(request)
            if queue is not None:
                cards.append(QueueCard(key=entry.key, label=str(entry.label), count=queue.count, url=queue.url))
    request._work_queues = cards
    return cards


def badges(cards: Iterable[QueueCard]) -> dict[str, int]:
    """Changelist path → the open work linked to it (several queues on one list add up)."""
    totals: dict[str, int] = {}
    for card in cards:
        if card.count:
            totals[card.path] = totals.get(card.path, 0) + card.count
    return totals


def with_badges(app_list: list[dict], cards: Iterable[QueueCard]) -> list[dict]:
    """Mark each model of Django's app list with the open work of the queues linking to its list."""
    totals = badges(cards)
    if totals:
        for app in app_list:
            for model in app.get("models", []):
                count = totals.get(model.get("admin_url") or "")
                if count:
                    model["queue_badge"] = count
    return app_list
