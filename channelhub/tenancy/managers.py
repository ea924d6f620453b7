"""Fail-closed, tenant-scoped managers.

The tenant filter is an expression resolved when the SQL is compiled, not when the
queryset is built. That keeps class-level querysets (DRF related fields, form choice
fields, admin declarations) safe: they are built at import time with no tenant and still
filter by the tenant current at evaluation. Subqueries, ``update()``, ``count()`` and
``exists()`` compile through the same path, so none of them escapes the filter.

The scoped queryset also guards the writes that skip ``Model.save()`` (and so skip its
tenant binding and cross-tenant check): ``update()`` refuses a foreign key into another
tenant, ``bulk_create`` / ``bulk_update`` bind and check the tenant of every row, and
``raw()`` is refused (raw SQL cannot be filtered; ``Model.all_tenants.raw`` is the
deliberate way).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.expressions import Expression
from django.utils.translation import gettext as _
from simple_history.manager import HistoryManager

from .context import TenantScopeError, current_tenant_id


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


def _tenant_foreign_keys(model) -> dict[str, models.ForeignKey]:
    """Foreign keys of ``model`` into tenant-owned tables, by field name and by attname."""
    found = {}
    for field in model._meta.concrete_fields:
        if not (field.many_to_one or field.one_to_one):
            continue
        related = field.related_model
        if related is None or not hasattr(related, "all_tenants") or not hasattr(related, "tenant_id"):
            continue
        found[field.name] = found[field.attname] = field
    return found


def _refuse_foreign_rows(field: models.ForeignKey, ids: Iterable, tenant_id: int) -> None:
    """One query per field: any referenced row of another tenant is refused as if it did not exist."""
    wanted = {value for value in ids if value is not None}
    if wanted and field.related_model.all_tenants.filter(pk__in=wanted).exclude(tenant_id=tenant_id).exists():
        raise ValidationError({field.name: _("Select a valid choice. That choice does not exist.")})


def _plain_id(value):
    """The primary key a value stands for, or None for expressions (resolved by the database)."""
    if isinstance(value, models.Model):
        return value.pk
    if hasattr(value, "resolve_expression"):
        return None
    return value


class TenantScopedQuerySet(models.QuerySet):
    def update(self, **kwargs) -> int:
        tenant_id = current_tenant_id()
        keys = _tenant_foreign_keys(self.model)
        for name, value in kwargs.items():
            if name in keys:
                _refuse_foreign_rows(keys[name], [_plain_id(value)], tenant_id)
        if "tenant" in kwargs or "tenant_id" in kwargs:
            raise TenantScopeError("update() cannot move rows to another tenant.")
        return super().update(**kwargs)

    update.alters_data = True

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        tenant_id = current_tenant_id()
        for obj in objs:
            if obj.tenant_id is None:
                obj.tenant_id = tenant_id
            elif obj.tenant_id != tenant_id:
                raise TenantScopeError(
                    f"bulk_create of {self.model.__name__} for tenant {obj.tenant_id} "
                    f"inside the scope of tenant {tenant_id}."
                )
        self._refuse_foreign_keys(objs, _tenant_foreign_keys(self.model).values(), tenant_id)
        return super().bulk_create(objs, *args, **kwargs)

    bulk_create.alters_data = True

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        tenant_id = current_tenant_id()
        if any(obj.tenant_id != tenant_id for obj in objs):
            raise TenantScopeError(f"bulk_update of {self.model.__name__} rows of another tenant.")
        keys = _tenant_foreign_keys(self.model)
        self._refuse_foreign_keys(objs, {keys[name] for name in fields if name in keys}, tenant_id)
        return super().bulk_update(objs, fields, *args, **kwargs)

    bulk_update.alters_data = True

    @staticmethod
    def _refuse_foreign_keys(objs, fields, tenant_id: int) -> None:
        ids = defaultdict(set)
        for field in set(fields):
            for obj in objs:
                ids[field].add(getattr(obj, field.attname))
        for field, values in ids.items():
            _refuse_foreign_rows(field, values, tenant_id)

    def raw(self, *args, **kwargs):
        raise TenantScopeError(
            f"{self.model.__name__}.objects.raw() would read every tenant's rows: filter by tenant "
            "yourself and use the deliberate all_tenants manager."
        )


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
