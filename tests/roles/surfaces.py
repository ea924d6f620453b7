"""What the role matrix walks: every surface item of the project, found from the routes and admins.

``discover()`` lists admin pages, admin changelist actions, API operations, portal pages and
the admin site's pages, each under the id ``tests/roles/table.py`` uses. Nothing here says who
may use an item; that is the table's job.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import admin

from channelhub.admin.base import RoleGate
from channelhub.testing import Route, admin_actions, classified_routes, is_tenant_owned

from .table import NOT_ROLE_SURFACES, SKIPPED_KINDS

# Admin views every ModelAdmin gets, and the method that exercises each one's permission gate.
ADMIN_PAGE_METHODS = {
    "admin_changelist": ("GET",),
    "admin_add": ("GET",),
    "admin_change": ("GET", "POST"),  # GET: the (read-only) view; POST: saving it
    "admin_delete": ("GET",),  # the confirmation page checks the delete permission
    "admin_history": ("GET",),
    "admin_simple_history": ("GET",),
    "admin_export": ("GET",),
    "admin_import": ("GET",),
    "admin_process_import": ("POST",),
    "admin_custom_object": ("GET",),
}


@dataclass(frozen=True)
class Item:
    id: str
    kind: str  # admin_page, admin_action, admin_site, api, page, unknown
    method: str = "GET"
    route: Route | None = field(default=None, compare=False)
    detail: str = ""  # the admin view, the API action, the app label, the action name
    model_admin: admin.ModelAdmin | None = field(default=None, compare=False, repr=False)


def _api_methods(route: Route) -> list[tuple[str, str]]:
    actions = route.callback.actions
    return [(method, action) for method, action in list(actions.items()) if method not in ("head", "options")]


def _page_method(route: Route) -> str:
    view_class = getattr(route.callback, "view_class", None)
    allowed = getattr(view_class, "http_method_names", ["get"])
    return "GET" if "get" in allowed else "POST"


def discover() -> list[Item]:
    items: list[Item] = []
    for classified in classified_routes():
        route, kind = classified.route, classified.kind
        if kind in SKIPPED_KINDS or any(route.id.startswith(p) for p in NOT_ROLE_SURFACES):
            continue
        if kind == "admin_site_page":
            if classified.detail == "index":
                items.append(Item(f"{route.id} GET", "admin_site", route=route, detail="index"))
            else:
                labels = sorted({
                    model._meta.app_label for model, model_admin in admin.site._registry.items()
                    if isinstance(model_admin, RoleGate) and is_tenant_owned(model)
                })
                items += [Item(f"{route.id} GET {label}", "admin_site", route=route, detail=label)
                          for label in labels]
        elif kind in ADMIN_PAGE_METHODS:
            for method in ADMIN_PAGE_METHODS[kind]:
                items.append(Item(f"{route.id} {method}", "admin_page", method, route, kind,
                                  route.model_admin))
        elif kind.startswith("api_"):
            for method, action in _api_methods(route):
                items.append(Item(f"{route.id} {method.upper()}", "api", method.upper(), route, action))
        elif kind.startswith("portal_") or kind == "custom":
            method = _page_method(route)
            items.append(Item(f"{route.id} {method}", "page", method, route, kind, route.model_admin))
        else:
            items.append(Item(f"{route.id} ?", "unknown", route=route, detail=kind))
    for model_admin, name in admin_actions():
        if not is_tenant_owned(model_admin.model) or not isinstance(model_admin, RoleGate):
            continue  # platform tables: superuser only (tests/isolation)
        label = model_admin.model._meta.label_lower
        items.append(Item(f"admin:{label}#{name}", "admin_action", "POST", detail=name, model_admin=model_admin))
    return items
