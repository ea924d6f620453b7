"""``GET /api/v1/``: the API's entry point, listing every resource collection with absolute links.

The collections are found, not listed: the core's router and every chapter's API mount
(``channelhub.chapters``: ``/api/v1/<label>/``, namespace ``<label>-api``) are walked for the
routes of a list (a viewset route that is not about one row), so a new chapter appears here
the moment it mounts its ``api_urls``.

**Open to anyone, the same for everyone.** It is what a client reads *before* it has a
credential (it says how to get one) and it holds no tenant data: paths, the version and the
ways to authenticate, like the schema and the docs beside it, which are public too. Each link
it gives checks the caller's role itself. It still honours the caller's credentials: a wrong
token or key is a 401 and an ``X-Tenant`` naming a tenant the caller may not enter a 403, as
on every other route, so a client learns about a bad credential at the door. Nothing in it
depends on the caller, their tenant or their roles (tests/api/test_root.py compares them).
"""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.urls import URLPattern, URLResolver, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from channelhub import chapters

from .schema import ChannelHubAutoSchema, documented
from .serializers import ApiRootSerializer

CORE = "core"


def _is_collection(entry: URLPattern) -> bool:
    """A viewset route about a collection (its list, or an action on the list), not one row."""
    callback = entry.callback
    actions = getattr(callback, "actions", None)
    initkwargs = getattr(callback, "initkwargs", {}) or {}
    return bool(actions) and initkwargs.get("detail") is False and not entry.pattern.regex.groupindex


def _collections(patterns, namespace: str | None) -> list[str]:
    names = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace is None:  # an included router without a namespace of its own
                names += _collections(entry.url_patterns, namespace)
        elif isinstance(entry, URLPattern) and entry.name and _is_collection(entry):
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            if name not in names:
                names.append(name)
    return names


@lru_cache(maxsize=1)
def api_sections() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(section label, its mount's URL name prefix, the URL names of its collections), core first.

    Read once from the URLconf (it does not change while the process runs).
    """
    from . import urls as api_urls

    core: list[str] = []
    found: dict[str, list[str]] = {}
    for entry in api_urls.urlpatterns:
        if isinstance(entry, URLResolver) and entry.namespace and entry.namespace.endswith("-api"):
            found[entry.namespace[: -len("-api")]] = _collections(entry.url_patterns, entry.namespace)
        elif isinstance(entry, URLResolver):
            core += _collections(entry.url_patterns, None)
        elif isinstance(entry, URLPattern) and _is_collection(entry):
            core.append(entry.name)
    sections = [(CORE, tuple(core))]
    sections += [(config.label, tuple(found.get(config.label, ()))) for config in chapters.chapters()
                 if config.api_urls]
    return tuple(sections)


def _key(url: str, base: str) -> str:
    """The collection's name: its path below the section's mount, without slashes at the ends."""
    return url[len(base):].strip("/") if url.startswith(base) else url.strip("/")


class ApiRootView(APIView):
    """Every collection of the API with its link, the schema and docs, and how to authenticate."""

    # Who may read it and why: the module's docstring. (The docstring above is what the
    # browsable API shows a person who opens /api/v1/ in a browser.)
    permission_classes = [AllowAny]
    schema = ChannelHubAutoSchema()

    def get_view_name(self) -> str:
        return settings.SPECTACULAR_SETTINGS.get("TITLE", "ChannelHub API")

    @documented(
        "API entry point",
        "The API's resources: every collection of the core and of each chapter, with absolute links; "
        "the schema and docs URLs, the API version and how to authenticate. Open to anyone and the "
        "same for every caller (it holds no tenant data); a wrong token or API key still answers 401 "
        "and an `X-Tenant` header naming a tenant you may not enter 403, as everywhere.",
        responses=ApiRootSerializer, auth=[], errors=(401, 403), tags=["root"],
    )
    def get(self, request):
        absolute = request.build_absolute_uri
        base = reverse("api-root")
        titles = {config.label: config.verbose_name for config in chapters.chapters()}
        sections = {}
        for label, names in api_sections():
            mount = base if label == CORE else base + _mount_prefix(label)
            resources = {}
            for name in names:
                url = reverse(name)
                resources[_key(url, mount)] = absolute(url)
            sections[label] = {
                "title": pgettext_lazy("api section", "Platform") if label == CORE else titles[label],
                "url": absolute(mount),
                "resources": resources,
            }
        token_url = absolute(reverse("api-token"))
        return Response({
            "name": settings.SPECTACULAR_SETTINGS.get("TITLE", "ChannelHub API"),
            "version": settings.SPECTACULAR_SETTINGS.get("VERSION", ""),
            "url": absolute(base),
            "schema": absolute(reverse("api-schema")),
            "docs": absolute(reverse("api-docs")),
            "authentication": {
                "token": {
                    "header": "Authorization: Token <token>",
                    "description": _("For people: exchange your username and password for a token (POST), "
                                     "then send it with every request."),
                    "obtain": token_url,
                },
                "api_key": {
                    "header": "Authorization: Api-Key <key>",
                    "description": _("For integrations: a key of one tenant and one role, issued by a tenant "
                                     "owner (admin → API keys) and shown once."),
                },
                "session": {
                    "header": "Cookie: sessionid=…",
                    "description": _("In a browser signed in to the admin: the session cookie (writes also "
                                     "need the CSRF token)."),
                },
            },
            "tenant_header": _("People with access to several tenants choose one with the header "
                               "“X-Tenant: <tenant slug>”; an API key always acts in its own tenant."),
            "me": absolute(reverse("api-me")),
            "sections": sections,
        })


def _mount_prefix(label: str) -> str:
    config = next(config for config in chapters.chapters() if config.label == label)
    return config.prefix
