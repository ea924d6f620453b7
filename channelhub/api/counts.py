"""Exact ``count`` of large API lists, kept in the cache until the rows counted change.

A page of 50 partners is read from an index in a millisecond; its ``count`` walks the
tenant's whole index (5 ms at 100,000 partners, and growing with the tenant), on every page
an integrator fetches. So a count of ``COUNT_CACHE_FROM`` rows or more is kept, keyed by the
exact SQL that counted it (tenant, partner scope and filters are all in it) and by the
generation of every table that SQL reads. An app names the models whose counts may be kept
(``track(Partner, PartnerContact)``); their saves and deletes start a new generation for the
tenant (``channelhub.tenancy.generations``). A list whose SQL reads any table not tracked is
counted every time. Writes that bypass model signals (``QuerySet.update``, ``bulk_create``,
set-based jobs) show within ``settings.API_COUNT_CACHE_SECONDS`` (60; 0 counts every time).
Below the threshold every count is exact and fresh: it costs less than the cache.
"""

from __future__ import annotations

import functools
import hashlib
import re

from django.conf import settings
from django.core.cache import cache
from django.db.models import Model, QuerySet
from django.db.models.signals import post_delete, post_save

from channelhub.tenancy import generations
from channelhub.tenancy.context import current_context

COUNT_CACHE_FROM = 5_000

# db_table → the model tracked (only these tables' counts may be kept).
_tracked: dict[str, type[Model]] = {}
_QUOTED = re.compile(r'"([^"]+)"')


def _scope(table: str) -> str:
    return f"count:{table}"


def _rows_changed(sender, instance, using=None, **kwargs) -> None:
    tenant_id = getattr(instance, "tenant_id", None)
    if isinstance(tenant_id, int):
        generations.bump_now_and_on_commit(tenant_id, _scope(sender._meta.db_table), using=using)


def track(*models: type[Model]) -> None:
    """Let the API keep counts of these tenant-owned models (call from the app's ``ready``).

    Each tracked model gets a save and a delete receiver; a delete receiver takes Django's
    fast ``QuerySet.delete()`` path away from that model, so track the lists integrators page
    through (partners, contacts, applications), not tables that jobs replace in bulk.
    """
    for model in models:
        table = model._meta.db_table
        _tracked[table] = model
        post_save.connect(_rows_changed, sender=model, dispatch_uid=f"api-count-save-{table}")
        post_delete.connect(_rows_changed, sender=model, dispatch_uid=f"api-count-delete-{table}")


@functools.cache
def _known_tables() -> frozenset[str]:
    from django.apps import apps

    return frozenset(model._meta.db_table for model in apps.get_models(include_auto_created=True))


def _tables_read(sql: str) -> set[str]:
    """The tables named in ``sql`` (quoted identifiers that are tables of installed models)."""
    known = _known_tables()
    return {name for name in _QUOTED.findall(sql) if name in known}


def count(queryset: QuerySet) -> int:
    """``queryset.count()``, from the cache when it is large and nothing it reads has changed."""
    seconds = getattr(settings, "API_COUNT_CACHE_SECONDS", 60)
    context = current_context()
    if not seconds or context is None or queryset.model._meta.db_table not in _tracked:
        return queryset.count()
    # The rows counted, without what only shapes them (ordering, select_related joins).
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    tables = sorted(_tables_read(sql))
    if not tables or any(table not in _tracked for table in tables):
        return queryset.count()
    stamp = generations.generations(context.tenant_id, [_scope(table) for table in tables])
    digest = hashlib.sha1(repr((sql, params, stamp)).encode(), usedforsecurity=False).hexdigest()
    key = f"api-count:{context.tenant_id}:{digest}"
    counted = cache.get(key)
    if counted is None:
        counted = queryset.count()
        if counted >= COUNT_CACHE_FROM:
            cache.set(key, counted, timeout=seconds)
    return counted
