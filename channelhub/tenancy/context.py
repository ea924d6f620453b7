"""The current tenant: one ``ContextVar`` set per request, task or command, cleared after it.

Scoping is enforced below the views: the tenant-scoped manager reads this context when a
query is compiled and fails closed when it is empty. Set it only through ``tenant_scope``
so that entering and leaving are always paired.

The context is a small frozen value rather than a bare id so that the database layer can
mirror it later (e.g. ``SET LOCAL app.tenant_id`` for PostgreSQL row-level security) from
one place: ``on_enter`` hooks registered with ``register_scope_hook`` are called with it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Tenant


class TenantScopeError(RuntimeError):
    """A tenant-owned table was queried with no current tenant (fail closed)."""


@dataclass(frozen=True)
class TenantContext:
    tenant_id: int
    # Why the scope was entered (request, task, command): helps reading logs and errors.
    source: str = "code"


_current: ContextVar[TenantContext | None] = ContextVar("channelhub_tenant", default=None)
_scope_hooks: list[Callable[[TenantContext], None]] = []


def register_scope_hook(hook: Callable[[TenantContext], None]) -> None:
    """Call ``hook(context)`` whenever a tenant scope is entered."""
    _scope_hooks.append(hook)


def current_context() -> TenantContext | None:
    return _current.get()


def current_tenant_id() -> int:
    context = _current.get()
    if context is None:
        raise TenantScopeError(
            "No current tenant: wrap the work in tenant_scope(tenant) "
            "or use the model's all_tenants manager deliberately."
        )
    return context.tenant_id


def _tenant_id_of(tenant: Tenant | int) -> int:
    return tenant if isinstance(tenant, int) else tenant.pk


@contextmanager
def tenant_scope(tenant: Tenant | int, *, source: str = "code") -> Iterator[TenantContext]:
    """Run the block with ``tenant`` as the current tenant; restore the previous one after."""
    context = TenantContext(tenant_id=_tenant_id_of(tenant), source=source)
    token = _current.set(context)
    try:
        for hook in _scope_hooks:
            hook(context)
        yield context
    finally:
        _current.reset(token)


@contextmanager
def no_tenant() -> Iterator[None]:
    """Run the block with no current tenant (used to start each request from a clean slate)."""
    token = _current.set(None)
    try:
        yield
    finally:
        _current.reset(token)


def activate(tenant: Tenant | int, *, source: str = "request") -> object:
    """Set the tenant for the rest of the current request; return a token for ``deactivate``.

    Only the request machinery uses this (the API resolves the tenant after authentication,
    inside the view); the middleware that started the request resets it in ``finally``.
    """
    context = TenantContext(tenant_id=_tenant_id_of(tenant), source=source)
    token = _current.set(context)
    for hook in _scope_hooks:
        hook(context)
    return token
