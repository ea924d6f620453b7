"""The plug-in contract: how an app (a chapter of the source document) joins the product.

The core never imports a chapter. A chapter's ``AppConfig`` subclasses ``ChapterConfig``
and declares, as data, what it adds; the core collects it from the installed apps:

- ``api_urls``: a URLconf module mounted at ``/api/v1/<url_prefix>`` in the namespace
  ``<label>-api`` (its router's viewsets);
- ``portal_urls``: mounted at ``/portal/<url_prefix>`` in the namespace ``<label>-portal``
  (pages for partner staff, built on ``channelhub.portal.mixins.PortalMixin``);
- ``site_urls``: other top-level mounts, ``(prefix, module, namespace)`` (public pages…);
- ``api_enums``: OpenAPI enum names for its choice sets (``{"PlanStatusEnum": "app.models.PlanStatus"}``),
  so generated clients get stable names;
- ``demo``: the module with its demo builder (see ``channelhub.demo.registry``) and
  ``demo_after``: the app labels whose demo data it builds on.

Registries that need code rather than data (dashboard widgets, jobs, permissions, portal
sections, partner-page panels, milestone listeners) are filled from ``ready()`` by
importing the chapter's own modules, as ``@dashboard_widget`` and ``@tenant_job`` do.
"""

from __future__ import annotations

from django.apps import AppConfig, apps
from django.urls import URLPattern, URLResolver, include, path


class ChapterConfig(AppConfig):
    # Importing this base into an app's apps.py must not make Django pick it as that app's
    # config: the base is never a default, each subclass is.
    default = False

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.default = True

    url_prefix: str | None = None  # None: "<label>/"; "" mounts at the root of the API or portal
    api_urls: str | None = None
    portal_urls: str | None = None
    site_urls: tuple[tuple[str, str, str], ...] = ()
    api_enums: dict[str, str] = {}
    demo: str | None = None
    demo_after: tuple[str, ...] = ()

    @property
    def prefix(self) -> str:
        return f"{self.label}/" if self.url_prefix is None else self.url_prefix


def chapters() -> list[ChapterConfig]:
    """Installed apps that plug into the core, in INSTALLED_APPS order."""
    return [config for config in apps.get_app_configs() if isinstance(config, ChapterConfig)]


def _mount(prefix: str, module: str, namespace: str) -> URLResolver:
    return path(prefix, include((module, namespace), namespace=namespace))


def api_patterns() -> list[URLPattern | URLResolver]:
    return [_mount(c.prefix, c.api_urls, f"{c.label}-api") for c in chapters() if c.api_urls]


def portal_patterns() -> list[URLPattern | URLResolver]:
    return [_mount(f"portal/{c.prefix}", c.portal_urls, f"{c.label}-portal") for c in chapters() if c.portal_urls]


def site_patterns() -> list[URLPattern | URLResolver]:
    return [_mount(prefix, module, namespace) for c in chapters() for prefix, module, namespace in c.site_urls]


def api_enum_overrides() -> dict[str, str]:
    found: dict[str, str] = {}
    for config in chapters():
        found.update(config.api_enums)
    return found
