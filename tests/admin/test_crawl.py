"""Every admin URL, with real and junk ids, as a tenant owner and a channel manager: never a 500.

(Platform tables, tenants and users, are also crawled as the platform superuser, whose they are.)

The routes are found, not listed: the admin site's resolver is walked (``walk_routes``), so
every model admin's pages (change, history, simple-history, export, import…), the site's own
pages and the extra views a chapter adds are crawled the day they exist. Each URL argument
gets a real id of tenant A (the acting tenant), tenant B's id of the same model, and junk:
0, a missing id, a huge integer, letters, a NUL byte (raw and as the text ``%00``), Chinese,
and, for ``<path:…>`` arguments, an id followed by another path segment
(``/admin/partners/partner/71/change/history/`` once answered 500 this way). Every URL is
fetched with GET; a page that shows a POST form is also sent an empty POST. Any answer but a
500 (or an exception) is fine: 200, 302, 400, 403, 404…

One test per route; a failure lists each URL and method that broke, as whom, and the error.
"""

from __future__ import annotations

from contextlib import suppress

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import Client
from django.urls import NoReverseMatch, reverse

from channelhub.partners.models import Partner
from channelhub.tenancy.models import Tenant, User
from channelhub.tenancy.roles import Role
from channelhub.testing import Route, autodiscover, has_spec, history_model, is_tenant_owned, make_world, walk_routes

# One worker builds the module-scoped data once (with --dist loadgroup), instead of one build per worker.
pytestmark = pytest.mark.xdist_group("admin-crawl")

autodiscover()

ACTORS = (Role.OWNER, Role.CHANNEL_MANAGER)
JUNK = ("0", "999999", "9" * 30, "abc", "%00", "\x00", "名字", "-1")
# Never POSTed: signing out would end the crawl's session.
NO_POST = {"admin:logout"}

ROUTES = [route for route in walk_routes() if route.namespace == admin.site.name]


def _route_id(route: Route) -> str:
    return route.name or route.pattern


@pytest.fixture(scope="module")
def crawl_world(django_db_setup, django_db_blocker):
    """Two tenants with a row of every model (built once for the module, rolled back after)."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            world = make_world()
            world.superuser = User.objects.create_superuser("crawl-root", "crawl-root@example.com", "x-Pass-2026")
            for side in (world.a, world.b):
                for role in ACTORS:
                    side.user(role)
                for model in admin.site._registry:
                    if is_tenant_owned(model) and has_spec(model):
                        # A builder that fails is the isolation suite's to report (by name);
                        # here its model's pages are crawled with junk ids only.
                        with suppress(Exception), transaction.atomic():
                            side.get(model)
            yield world
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def world(crawl_world, db):
    twin = crawl_world.fork()
    twin.superuser = crawl_world.superuser
    return twin


# --------------------------------------------------------------------------------------
# Arguments
# --------------------------------------------------------------------------------------


def _real_row(world, route: Route, side):
    """The row the route is about on ``side`` (its admin's model), or None."""
    model = route.model_admin.model if route.model_admin is not None else Partner
    if is_tenant_owned(model):
        return side._rows.get(model._meta.concrete_model)
    if model is User:
        return side.user(Role.OWNER)
    if model is Tenant:
        return side.tenant
    return model._default_manager.order_by("pk").first()


def _latest_history_id(row) -> int:
    history = history_model(type(row)) if row is not None else None
    if history is None:
        return 1
    manager = getattr(history, "all_tenants", history._default_manager)
    found = manager.filter(**{type(row)._meta.pk.attname: row.pk}).order_by("-history_id").first()
    return found.history_id if found is not None else 1


def _real_values(world, route: Route, side) -> list[str]:
    """Real values for the route's arguments, in order (named ones first, as reverse takes them)."""
    row = _real_row(world, route, side)
    values = []
    count = len(route.kwarg_names) or route.positional
    for index in range(count):
        name = route.kwarg_names[index] if route.kwarg_names else None
        if name == "content_type_id":
            values.append(str(ContentType.objects.get_for_model(Partner).pk))
        elif route.positional and index == 1:  # simple-history: (object id, history id)
            values.append(str(_latest_history_id(row)))
        elif name == "app_label":
            values.append(row._meta.app_label if row is not None else "partners")
        else:
            values.append(str(row.pk) if row is not None else "1")
    if route.name == "admin:view_on_site" and route.kwarg_names:
        partner = side.get(Partner)
        values = [str(ContentType.objects.get_for_model(Partner).pk), str(partner.pk)]
    return values


def _url(route: Route, values: list[str]) -> str | None:
    try:
        if route.kwarg_names:
            return reverse(route.name, kwargs=dict(zip(route.kwarg_names, values, strict=True)))
        return reverse(route.name, args=values or None)
    except NoReverseMatch:  # a value the route's converter refuses: the resolver answers 404
        return None


def urls_for(world, route: Route) -> list[str]:
    """The route with real ids, tenant B's ids, and junk in each argument in turn."""
    if route.name is None:
        # Django's "<path:object_id>/" redirect to the change page has no name: build it by hand.
        prefix = route.pattern.split("<path:object_id>")[0]
        real = _real_values(world, route, world.a)[0]
        return ["/" + prefix + value + "/" for value in (real, *JUNK, f"{real}/change")]
    count = len(route.kwarg_names) or route.positional
    if route.name == "admin:app_list":
        labels = sorted({model._meta.app_label for model in admin.site._registry})
        return [u for u in (_url(route, [label]) for label in [*labels, *JUNK]) if u]
    if not count:
        return [reverse(route.name)]
    real = _real_values(world, route, world.a)
    variants = [real, _real_values(world, route, world.b)]
    path_args = "<path:" in route.pattern
    for index in range(count):
        for junk in (*JUNK, *( [f"{real[index]}/change"] if path_args else [])):
            variants.append([junk if i == index else value for i, value in enumerate(real)])
    urls = []
    for values in variants:
        url = _url(route, values)
        if url and url not in urls:
            urls.append(url)
    return urls


# --------------------------------------------------------------------------------------
# The crawl
# --------------------------------------------------------------------------------------


def _has_post_form(response) -> bool:
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return False
    body = response.content.decode(errors="replace").lower()
    return 'method="post"' in body or "method='post'" in body


def _fetch(client: Client, method: str, url: str) -> tuple[int | None, str]:
    try:
        with transaction.atomic():  # a failed request must not poison the rest of the crawl
            response = getattr(client, method)(url, HTTP_ACCEPT_LANGUAGE="en")
            status = response.status_code
            if status >= 500:
                transaction.set_rollback(True)
            return status, response
    except Exception as error:  # the test client re-raises what the view raised
        return None, f"{type(error).__name__}: {str(error)[:300]}"


@pytest.mark.parametrize("route", ROUTES, ids=[_route_id(route) for route in ROUTES])
def test_admin_url_never_answers_500(world, route):
    problems = []
    urls = urls_for(world, route)
    assert urls, f"{_route_id(route)}: the crawl built no URL for it"
    actors = {role: world.a.user(role) for role in ACTORS}
    model = route.model_admin.model if route.model_admin is not None else None
    if model is not None and not is_tenant_owned(model):
        actors["superuser"] = world.superuser  # platform tables (tenants, users) are the superuser's
    for role, user in actors.items():
        client = world.a.client(user)
        # Junk ids break URL parsing the same way whoever asks: the first actor gets every URL,
        # the others the real rows (tenant A's and B's), where what a role may see differs.
        for url in urls if role in (ACTORS[0], "superuser") else urls[:2]:
            status, answer = _fetch(client, "get", url)
            if status is None or status >= 500:
                problems.append(f"GET {url!r} as {role}: {status or answer}")
                continue
            if route.name not in NO_POST and _has_post_form(answer):
                status, answer = _fetch(client, "post", url)
                if status is None or status >= 500:
                    problems.append(f"POST {url!r} (empty form) as {role}: {status or answer}")
    assert not problems, f"{_route_id(route)} ({route.pattern}):\n" + "\n".join(problems)


def test_the_crawl_reaches_every_kind_of_admin_page():
    """The crawl cannot silently shrink: the site's pages, every admin's views and chapters' extras."""
    names = {route.name for route in ROUTES}
    for name in ("admin:index", "admin:app_list", "admin:view_on_site", "admin:partners_partner_change",
                 "admin:partners_partner_history", "admin:partners_partner_simple_history",
                 "admin:partners_partner_export", "admin:recruitment_application_decide"):
        assert name in names, name
    for model in admin.site._registry:
        opts = model._meta
        assert f"admin:{opts.app_label}_{opts.model_name}_change" in names, opts.label
