"""Each app's demo builder, run after the core's demo tenants exist, in dependency order.

An app names its builder module in its ``ChapterConfig`` (``demo = "app.demo"``, with
``demo_after = ("other_app",)`` when it builds on another app's demo rows). The module
offers::

    def seed(spec: TenantSpec, *, progress_factory) -> collections.Counter

which builds (or completes) that app's rows for one demo tenant, idempotently, through the
app's services, and returns what it created. ``steps(spec) -> int`` is optional (for the
progress bar). The core imports builders by name, never by a chapter's module path.
"""

from __future__ import annotations

from collections import Counter
from importlib import import_module
from types import ModuleType

from django.core.exceptions import ImproperlyConfigured

from channelhub.chapters import ChapterConfig, chapters

from .data import TenantSpec


def builders() -> list[tuple[ChapterConfig, ModuleType]]:
    """Apps with a demo builder, each after the apps it declares in ``demo_after``."""
    pending = {config.label: config for config in chapters() if config.demo}
    ordered: list[ChapterConfig] = []
    while pending:
        ready = [c for c in pending.values() if all(dep not in pending for dep in c.demo_after)]
        if not ready:
            raise ImproperlyConfigured(f"Demo builders depend on each other in a circle: {sorted(pending)}")
        for config in ready:
            ordered.append(config)
            del pending[config.label]
    return [(config, import_module(config.demo)) for config in ordered]


def seed_apps(spec: TenantSpec, *, progress_factory) -> Counter:
    """Run every app's builder for one tenant; return the combined counts."""
    counts: Counter = Counter()
    for _config, module in builders():
        counts.update(module.seed(spec, progress_factory=progress_factory))
    return counts
