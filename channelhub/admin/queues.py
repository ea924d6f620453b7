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

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from channelhub.tenancy import generations

from .base import has_role

# The counts are read on every admin page (sidebar badges), so they are kept in the cache per
# tenant and person. Any row of the tenant saved starts a new generation of the tenant's counts
# (now, and again when the transaction commits, so a page computed in between cannot keep a
# count from before the commit); deletions and writes that bypass model signals (bulk updates,
# set-based jobs) show within ``settings.WORK_QUEUE_CACHE_SECONDS`` (60; 0 counts on every page).


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


# The generation scope of the queue counts (channelhub/tenancy/generations.py).
SCOPE = "workqueues"


def tenant_changed(tenant_id: int) -> None:
    """Start a new generation of the tenant's queue counts (the cached ones are not read again)."""
    generations.bump(tenant_id, SCOPE)


def _counted(request) -> dict[str, tuple[int, str]]:
    """Queue key → (count, url) for the request's person in its tenant, from the cache when fresh."""
    seconds = getattr(settings, "WORK_QUEUE_CACHE_SECONDS", 60)
    if not seconds:
        return _count(request)
    tenant_id = request.tenant.pk
    access = getattr(request, "access", None)
    # Per person and the roles they hold now (a queue may count "my" work or depend on a role).
    holder = ",".join(sorted(getattr(access, "roles", ()))) + ("+su" if getattr(access, "is_superuser", False) else "")
    key = f"workqueues:{tenant_id}:{generations.generation(tenant_id, SCOPE)}:{request.user.pk}:{holder}"
    counted = cache.get(key)
    if counted is None:
        counted = _count(request)
        cache.set(key, counted, timeout=seconds)
    return counted


def _count(request) -> dict[str, tuple[int, str]]:
    counted = {}
    for entry in _queues.values():
        if has_role(request, entry.roles):
            queue = entry.function(request)
            if queue is not None:
                counted[entry.key] = (queue.count, queue.url)
    return counted


def queues_for(request) -> list[QueueCard]:
    """The queues the request's roles may see, in order, with their counts (zero included).

    Computed once per request: the home page and the sidebar badges share the counts.
    """
    cached = getattr(request, "_work_queues", None)
    if cached is not None:
        return cached
    cards: list[QueueCard] = []
    if getattr(request, "tenant", None) is not None:
        counted = _counted(request)
        for entry in sorted(_queues.values(), key=lambda e: (e.order, e.key)):
            # The role is asked again: a count kept for a person is shown only while they hold it.
            if entry.key in counted and has_role(request, entry.roles):
                count, url = counted[entry.key]
                cards.append(QueueCard(key=entry.key, label=str(entry.label), count=count, url=url))
    request._work_queues = cards
    return cards


def _row_changed(sender, instance, using=None, **kwargs) -> None:
    tenant_id = getattr(instance, "tenant_id", None)
    if isinstance(tenant_id, int):
        generations.bump_now_and_on_commit(tenant_id, SCOPE, using=using)


def install() -> None:
    """Connect the generation bump to every model's saves (called once at start-up).

    Not to deletes: a ``post_delete`` receiver for every model would take Django's fast path
    away from every ``QuerySet.delete()`` (the rows would be fetched and signalled one by one,
    e.g. a review cycle's 500,000 replaced KPI results). A deletion shows within the cache time.
    """
    from django.db.models.signals import post_save

    post_save.connect(_row_changed, dispatch_uid="workqueues-row-saved")


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
