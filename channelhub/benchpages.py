"""Pages and endpoints timed by the scale bench (``make bench``), registered by the apps.

Like the isolation harness (``channelhub.testing``), the core knows no chapter: each app
declares its pages in ``<app>/bench_pages.py``, imported by ``autodiscover()``::

    from channelhub.benchpages import register_bench_page

    register_bench_page("api_partner_list", "/api/v1/partners/?page_size=50")
    register_bench_page("campaign_list", lambda ctx: reverse("admin:…"), role="owner")

``url`` is a path or a builder ``(ctx) -> str`` (``ctx.tenant`` is the tenant measured, so a
builder can pick one of its rows); ``role`` names the demo user acting (a key of
``bench.generator.USERNAMES``); ``method="post"`` with ``data`` (a builder ``(ctx, n) -> dict``,
``n`` counting the requests) for forms. ``sql`` optionally returns a queryset whose plan the
bench EXPLAINs: a sequential scan of a large table fails the check.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.utils.module_loading import module_has_submodule


@dataclass(frozen=True)
class BenchPage:
    name: str
    url: str | Callable[[Any], str]
    role: str = "channel_manager"
    method: str = "get"
    data: Callable[[Any, int], dict] | None = None
    # Public pages are requested without signing in.
    anonymous: bool = False
    expect: tuple[int, ...] = (200,)
    sql: Callable[[Any], Any] | None = None


_pages: dict[str, BenchPage] = {}


def register_bench_page(name: str, url: str | Callable[[Any], str], **options: Any) -> BenchPage:
    page = BenchPage(name=name, url=url, **options)
    _pages[name] = page
    return page


def bench_pages() -> list[BenchPage]:
    autodiscover()
    return list(_pages.values())


_discovered = False


def autodiscover() -> None:
    """Import ``<app>/bench_pages.py`` of every project app."""
    global _discovered
    if _discovered:
        return
    _discovered = True
    base = Path(settings.BASE_DIR).resolve()
    for app_config in apps.get_app_configs():
        path = Path(app_config.path).resolve()
        if base not in path.parents or ".venv" in path.parts:
            continue
        if module_has_submodule(app_config.module, "bench_pages"):
            import_module(f"{app_config.name}.bench_pages")
