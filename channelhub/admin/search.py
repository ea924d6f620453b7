"""The command palette's search (unfold's Ctrl-K): records of the current tenant only.

An admin joins by declaring ``global_search = True``; its own ``get_search_results`` (the
fast, indexed search its changelist uses) runs over its own scoped queryset, for people
its view permission admits. So a chapter's records become searchable by one line, and no
result ever comes from another tenant or from a list the person cannot open.
"""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from unfold.dataclasses import SearchResult

PER_MODEL = 5
MIN_TERM = 2


def searchable_admins(request) -> list[admin.ModelAdmin]:
    return [
        model_admin for model_admin in admin.site._registry.values()
        if getattr(model_admin, "global_search", False) and model_admin.has_view_permission(request)
    ]


def search_records(request, term: str) -> list[SearchResult]:
    term = (term or "").strip()
    if getattr(request, "tenant", None) is None or len(term) < MIN_TERM:
        return []
    results: list[SearchResult] = []
    for model_admin in searchable_admins(request):
        opts = model_admin.model._meta
        queryset, _duplicates = model_admin.get_search_results(request, model_admin.get_queryset(request), term)
        for obj in queryset[:PER_MODEL]:
            results.append(SearchResult(
                title=str(obj),
                description=str(opts.verbose_name),
                link=reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]),
                icon=getattr(model_admin, "search_icon", "search"),
            ))
    return results
