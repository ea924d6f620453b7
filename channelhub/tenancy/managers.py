"""Fail-closed, tenant-scoped managers.

The tenant filter is an expression resolved when the SQL is compiled, not when the
queryset is built. That keeps class-level querysets (DRF related fields, form choice
fields, admin declarations) safe: they are built at import time with no tenant and still
filter by the tenant current at evaluation. Subqueries, ``update()``, ``count()`` and
``exists()`` compile through the same path, so none of them escapes the filter.
"""

from __future__ import annotations

from django.db import models
from django.db.models.expressions import Expression
from simple_history.manager import HistoryManager

from .context import current_tenant_id


class CurrentTenantId(Expression):
    """Compiles to the current tenant's id as a parameter; raises when there is none."""

    output_field = models.BigIntegerField()

    def as_sql(self, compiler, connection):
        return "%s", [current_tenant_id()]

    def __repr__(self) -> str:
        return "CurrentTenantId()"

    # Every instance is equal: queryset cloning and combining compares expressions.
    def __eq__(self, other: object) -> bool:
        return isinstance(other, CurrentTenantId)

    def __hash__(self) -> int:
        return hash(CurrentTenantId)


class TenantScopedQuerySet(models.QuerySet):
    pass


class TenantScopedManager(models.Manager.from_queryset(TenantScopedQuerySet)):
    """Default manager of every tenant-owned model: only the current tenant's rows."""

    def get_queryset(self) -> TenantScopedQuerySet:
        return super().get_queryset().filter(tenant_id=CurrentTenantId())


class AllTenantsManager(models.Manager):
    """Every tenant's rows. The long name is the point: reaching for it is a decision."""


class TenantHistoryManager(HistoryManager):
    """``Model.history`` / ``instance.history``: audit rows of the current tenant only."""

    def get_super_queryset(self):
        return super().get_super_queryset().filter(tenant_id=CurrentTenantId())
