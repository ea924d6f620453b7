"""Cache generations per tenant: a number that changes whenever something the cache kept is stale.

Figures kept in the cache (work-queue counts, the API's counts of large lists) put their
tenant's generation in their key; a write starts a new generation, so the kept figures are
never read again and expire on their own. The bump happens at once and again when the
writing transaction commits: a reader that counted between the two (without the uncommitted
row) may have kept its figure under the first new generation, never under the second.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction


def _key(tenant_id: int, scope: str) -> str:
    return f"generation:{scope}:{tenant_id}"


def generation(tenant_id: int, scope: str) -> int:
    """The tenant's current generation of ``scope`` (0 when nothing was bumped or it was evicted)."""
    return cache.get(_key(tenant_id, scope), 0)


def generations(tenant_id: int, scopes: list[str]) -> list[int]:
    """Several scopes' generations with one cache round trip."""
    found = cache.get_many([_key(tenant_id, scope) for scope in scopes])
    return [found.get(_key(tenant_id, scope), 0) for scope in scopes]


def bump(tenant_id: int, scope: str) -> None:
    """Start a new generation of the tenant's ``scope`` now."""
    key = _key(tenant_id, scope)
    try:
        cache.incr(key)
    except ValueError:  # not in the cache (evicted, or never read): any new value will do
        cache.set(key, 1, timeout=None)


class _BumpOnCommit:
    def __init__(self, tenant_id: int, scope: str):
        self.tenant_id, self.scope = tenant_id, scope

    def __call__(self) -> None:
        bump(self.tenant_id, self.scope)


def bump_now_and_on_commit(tenant_id: int, scope: str, *, using: str | None = None) -> None:
    """Bump now and, inside a transaction, once more when it commits.

    A loop saving many rows of a tenant queues one bump per scope, not one per row.
    """
    bump(tenant_id, scope)
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        return
    pending = connection.run_on_commit
    for _savepoints, queued, *_rest in reversed(pending[-8:]):
        if isinstance(queued, _BumpOnCommit) and (queued.tenant_id, queued.scope) == (tenant_id, scope):
            return
    transaction.on_commit(_BumpOnCommit(tenant_id, scope), using=using)
