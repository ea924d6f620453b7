"""Acting on one surface item as one actor, and reading the answer as "served" or "refused".

Served: a 2xx; a 3xx that is a POST's success redirect; for the API also a 400 or 409 (the
request got past every permission gate and was refused for its body or the row's state, which
is not a permission answer). Refused: 401, 403, 404, 405; a redirect to a sign-in page; the
portal sending tenant staff to the admin; the admin's "no such object" redirect to its index.
Anything else (a 500, a GET redirected elsewhere) is neither, and fails the matrix.

Rows: reads use tenant A's shared row (for partner staff: their own partner's); writes by a role
the table admits use a fresh row prepared so the write can take effect; writes by a role it
refuses use the shared row, which must come out unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from django.conf import settings
from django.contrib.admin.utils import quote
from django.db import connection
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from channelhub.tenancy.models import StateTransition
from channelhub.tenancy.roles import Role
from channelhub.testing import HarnessGap, action_payload, payload_for, row_snapshot, tenant_owned_models
from recruitment.models import ApplicationDocument, Criterion
from tests.isolation.checks import api_model, latest_history_id, portal_model

from . import setups
from .surfaces import Item
from .table import ANONYMOUS


@dataclass(frozen=True)
class Outcome:
    served: bool | None  # None: neither (an error or an unexpected answer)
    how: str

    def __str__(self) -> str:
        return self.how


def _login_urls() -> set[str]:
    return {reverse("admin:login"), reverse("portal:login"), str(settings.LOGIN_URL)}


def classify(response, *, method: str, api: bool = False, portal: bool = False, follow=None) -> Outcome:
    status = response.status_code
    if status in (401, 403, 404, 405):
        return Outcome(False, str(status))
    if 200 <= status < 300:
        return Outcome(True, str(status))
    if api and status in (400, 409):
        text = response.content.decode(errors="replace")[:160]
        return Outcome(True, f"{status} (past the permission gate: {text})")
    if status in (301, 302, 303):
        location = response["Location"].split("?")[0]
        if follow is not None and method == "GET" and location not in _login_urls() and (
                location != reverse("admin:index")):
            # A page that moved (the membership "add" now invites): what it leads to answers.
            return classify(follow.get(response["Location"]), method="GET", api=api, portal=portal)
        if location in _login_urls():
            return Outcome(False, f"{status} to sign-in")
        if location == reverse("admin:index") and (portal or method == "GET"):
            return Outcome(False, f"{status} to the admin index")
        if method == "POST":
            return Outcome(True, f"{status} to {location}")
    return Outcome(None, f"unexpected {status} {response.get('Location', '')}")


# --------------------------------------------------------------------------------------
# Clients
# --------------------------------------------------------------------------------------


def web_client(world, actor: str) -> Client:
    """A browser signed in as ``actor`` (signed in once for the whole package: see conftest)."""
    return world.clients[actor]


def api_client(world, actor: str) -> APIClient:
    return world.api_clients[actor]


def make_clients(world, actors) -> tuple[dict[str, Client], dict[str, APIClient]]:
    web, api = {ANONYMOUS: Client()}, {ANONYMOUS: APIClient()}
    for actor in actors:
        if actor == ANONYMOUS:
            continue
        if actor.startswith("key:"):
            client = APIClient()
            client.credentials(HTTP_AUTHORIZATION=f"Api-Key {world.keys[actor[4:]]}")
            api[actor] = client
            continue
        web[actor] = world.a.client(world.a.user(actor))
        api[actor] = world.a.api(world.a.user(actor))
    return web, api


# --------------------------------------------------------------------------------------
# Effects: what a refused write must leave alone
# --------------------------------------------------------------------------------------


@cache
def _count_sql(vendor: str) -> tuple[str, int]:
    """The query and its number of parameters, built once per database backend (the models are fixed)."""
    tables = sorted({model._meta.db_table for model in tenant_owned_models()} | {StateTransition._meta.db_table})
    quote_name = connection.ops.quote_name
    return "SELECT " + ", ".join(
        f"(SELECT COUNT(*) FROM {quote_name(table)} WHERE tenant_id = %s)" for table in tables), len(tables)


def row_counts(tenant_id: int) -> tuple[int, ...]:
    """Rows of every tenant-owned table of the tenant, in one query (the matrix asks often)."""
    sql, params = _count_sql(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, [tenant_id] * params)
        return tuple(cursor.fetchone())


def effects(world, obj) -> dict[str, Any]:
    """The row, every table's row count (the audit trail included) and work queued for after commit."""
    return {"row": row_snapshot(obj) if obj is not None else None, "rows": row_counts(world.a.tenant.pk),
            "queued": len(connection.run_on_commit)}


# --------------------------------------------------------------------------------------
# Admin pages and site pages
# --------------------------------------------------------------------------------------


def admin_page_url(world, item: Item) -> str:
    route, model = item.route, item.model_admin.model
    view = item.detail
    if view in ("admin_changelist", "admin_add", "admin_export", "admin_import", "admin_process_import"):
        return route.url()
    obj = world.a.get(model)
    if view in ("admin_change", "admin_delete", "admin_history"):
        return route.url(quote(obj.pk))
    if view == "admin_simple_history":
        return route.url(obj.pk, latest_history_id(obj))
    if view == "admin_custom_object":
        (kwarg,) = route.kwarg_names
        return route.url(**{kwarg: obj.pk})
    raise HarnessGap(f"{item.id}: no URL for {view}")


def refused_write_effects(world, obj, *, admitted: bool) -> dict[str, Any] | None:
    """What a refused write must leave alone, read before the write by a role the table refuses.

    A role the table admits needs no reading: if its write is refused anyway, the verdict fails
    on "may, got refused" whatever the write changed.
    """
    return None if admitted else effects(world, obj)


def changed_by_refusal(world, obj, outcome: Outcome, before: dict[str, Any] | None) -> bool:
    return outcome.served is False and before is not None and effects(world, obj) != before


def perform_admin_page(world, item: Item, actor: str, *, admitted: bool) -> Outcome:
    url = admin_page_url(world, item)
    client = web_client(world, actor)
    if item.method == "GET":
        return classify(client.get(url), method="GET", follow=client)
    obj = world.a.get(item.model_admin.model) if item.detail == "admin_change" else None
    before = refused_write_effects(world, obj, admitted=admitted)
    outcome = classify(client.post(url, {}), method="POST")
    if changed_by_refusal(world, obj, outcome, before):
        return Outcome(None, f"{outcome} but the refused POST changed data")
    return outcome


def perform_admin_site(world, item: Item, actor: str) -> Outcome:
    route = item.route
    url = route.url() if item.detail == "index" else route.url(app_label=item.detail)
    return classify(web_client(world, actor).get(url), method="GET")


# --------------------------------------------------------------------------------------
# Other signed-in pages: portal, the admin's custom pages, downloads
# --------------------------------------------------------------------------------------


def _is_portal(route) -> bool:
    """The core portal and the chapters' portal pages (namespaces ``<label>-portal``)."""
    return route.namespace == "portal" or route.namespace.endswith("-portal")


def page_url(world, item: Item) -> tuple[str, Any]:
    """The URL of a page item and the row a POST to it may change."""
    route = item.route
    if route.id == "admin:recruitment_application_score":
        application = setups.scoring_with_reviewer(world)
        return route.url(pk=application.pk), application
    if route.id in setups.PAGE_ROWS:
        obj = setups.PAGE_ROWS[route.id](world)
        return route.url(pk=obj.pk), obj
    if route.id == "recruitment:document-download":
        # A fresh file: the shared world's were written before this test chose its media root.
        return route.url(pk=world.a.new(ApplicationDocument).pk), None
    if _is_portal(route) and route.kwarg_names == ("pk",):
        # A fresh row of the page's model (built on the partner admin's own partner).
        obj = world.a.new(portal_model(route, world, world.a.user(Role.PARTNER_ADMIN)))
        return route.url(pk=obj.pk), obj
    if route.kwarg_names or route.positional:
        raise HarnessGap(f"{item.id}: tell tests/roles/perform.py:page_url which row it takes")
    return route.url(), None


def perform_page(world, item: Item, actor: str, *, admitted: bool) -> Outcome:
    url, obj = page_url(world, item)
    client = web_client(world, actor)
    portal = _is_portal(item.route)
    if item.method == "GET":
        return classify(client.get(url), method="GET", portal=portal, follow=None if portal else client)
    before = refused_write_effects(world, obj, admitted=admitted)
    outcome = classify(client.post(url, {}), method="POST", portal=portal)
    if changed_by_refusal(world, obj, outcome, before):
        return Outcome(None, f"{outcome} but the refused POST changed data")
    return outcome


# --------------------------------------------------------------------------------------
# API operations
# --------------------------------------------------------------------------------------


def _detail_url(route, obj) -> str:
    viewset = route.callback.cls
    kwarg = viewset.lookup_url_kwarg or viewset.lookup_field
    return route.url(**{kwarg: getattr(obj, viewset.lookup_field)})


def _scorecard_body(world, application) -> dict[str, Any]:
    from recruitment import selectors

    with world.a.scope():
        criteria = [item.criterion for item in selectors.scoring_criteria(application=application)]
    return {"scores": {str(c.pk): 1 for c in criteria} or {str(world.a.get(Criterion).pk): 1}}


_api_models: dict[str, type] = {}


def _api_model(route, world) -> type:
    """The route's model (a class: the same for every actor and world, so asked once per route)."""
    if route.id not in _api_models:
        _api_models[route.id] = api_model(route, world)
    return _api_models[route.id]


def api_request(world, item: Item, actor: str, *, admitted: bool, shared: dict) -> tuple[str, dict, Any]:
    """(url, body, row) for the operation; ``admitted`` roles get a fresh row to act on.

    ``shared`` holds, per test, the prepared row that refused roles share.
    """
    route = item.route
    model = _api_model(route, world)
    if item.kind == "api" and route.callback.cls.__name__ == "RecruitmentReportViewSet":
        return route.url(), {}, None
    if route.name.endswith("-list"):
        body = {}
        if item.method == "POST":
            try:
                body = payload_for(model, world.a)
            except AssertionError:
                body = {}
        return route.url(), body, None
    write = item.method != "GET"
    obj = setups.api_row(world, item.id, model, fresh=write and admitted, shared=shared)
    body: dict[str, Any] = {}
    if item.method == "PUT":
        try:
            body = payload_for(model, world.a)
        except AssertionError:
            body = {}
    elif item.method == "POST":
        body = action_payload(route, world.a, obj)
        if item.id == "recruitment-api:application-scorecards POST":
            body = _scorecard_body(world, obj)
    return _detail_url(route, obj), body, obj


def perform_api(world, item: Item, actor: str, *, admitted: bool, shared: dict) -> Outcome:
    url, body, obj = api_request(world, item, actor, admitted=admitted, shared=shared)
    client = api_client(world, actor)
    if item.method == "GET":
        return classify(client.get(url), method="GET", api=True)
    before = refused_write_effects(world, obj, admitted=admitted)
    response = client.generic(item.method, url, _json(body), content_type="application/json")
    outcome = classify(response, method=item.method, api=True)
    if changed_by_refusal(world, obj, outcome, before):
        shared.clear()
        return Outcome(None, f"{outcome} but the refused {item.method} changed data")
    return outcome


def _json(body) -> str:
    import json

    return json.dumps(body, default=str)
