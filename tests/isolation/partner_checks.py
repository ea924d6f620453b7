"""Partner isolation (DESIGN.md, invariant 2): partner 1's staff never see or change partner 2's rows.

Tenant A has two partners (``world.a.partner`` and ``world.a.partner2``), each with a partner
admin, a partner user and a row of every partner-owned model; partner 2's texts carry
``world.a.partner2.token``. For every API route and portal page that admits a partner role,
each admitted partner role of partner 1 acts, and:

- lists show partner 1's own row and neither partner 2's nor tenant B's;
- every method on partner 2's row answers 404 and changes nothing, while partner 1's own row
  answers (so a view that always answers 404 does not pass);
- a create pointing a key at partner 2's row is refused and creates nothing;
- no response partner 1 gets contains partner 2's or tenant B's data (names, contact names,
  e-mails: every text of theirs carries their token).

A route that shows tenant-wide rows to every partner by design (a campaign, a product…) is
not a leak: such rows are built by tenant A's side and carry its token, not partner 2's. A
route that publishes partner-owned rows to all partners declares it with
``channelhub.testing.register_published_route(route, reason)`` and is not checked here.
"""

from __future__ import annotations

import json

from django.db import models

from channelhub.tenancy.models import User
from channelhub.tenancy.roles import PARTNER_ROLES, Role
from channelhub.testing import (
    Classified,
    HarnessGap,
    World,
    action_payload,
    find_token,
    is_partner_owned,
    payload_for,
    published_routes,
)

from .checks import (
    api_ids,
    api_methods,
    api_model,
    api_roles,
    api_view,
    body_of,
    detail_url,
    portal_kwargs,
    portal_model,
    serializer_relations,
)

PARTNER_ORDER = (Role.PARTNER_ADMIN, Role.PARTNER_USER)


def partner_roles_of(classified: Classified) -> list[str]:
    """The partner roles a route admits (for any of its methods), admin first."""
    route = classified.route
    if classified.kind.startswith("api_"):
        viewset, actions = route.callback.cls, route.callback.actions
        admitted = set()
        for method, action in api_methods(actions):
            if classified.kind == "api_list":
                action = "list" if method == "get" else "create"
            admitted |= api_roles(viewset, action, method)
    elif classified.kind.startswith("portal_"):
        admitted = set(route.callback.view_class.portal_roles)
    else:
        return []
    return [role for role in PARTNER_ORDER if role in admitted]


def partner_routes(classified_routes: list[Classified]) -> list[Classified]:
    published = published_routes()
    return [
        c for c in classified_routes
        if partner_roles_of(c) and c.id not in published and c.route.pattern not in published
    ]


def assert_no_partner_leak(world: World, response, where: str) -> None:
    body = body_of(response)
    for owner, token in (("partner 2 of the same tenant", world.a.partner2.token), ("tenant B", world.b.token)):
        snippet = find_token(body, token)
        assert snippet is None, f"{where}: {owner}'s data appears in partner 1's response:\n…{snippet}…"


def _user(world: World, role: str) -> User:
    return world.a.user(role)


def _admitted(viewset, action: str, method: str, role: str) -> bool:
    return role in api_roles(viewset, action, method)


def _rows(world: World, model: type[models.Model]):
    """(partner 1's row, partner 2's row) of ``model``; partner 2's is None for a tenant-wide model."""
    mine = world.a.get(model)
    theirs = world.a.partner2.get(model) if is_partner_owned(model) else None
    return mine, theirs


def owner_partner_id(instance: models.Model) -> int | None:
    """The partner a partner-owned row hangs on, following its keys (None if it hangs on none)."""
    from channelhub.partners.models import Partner

    if isinstance(instance, Partner):
        return instance.pk
    for f in type(instance)._meta.concrete_fields:
        if f.is_relation and f.many_to_one and is_partner_owned(f.related_model):
            related = getattr(instance, f.name)
            if related is not None:
                return owner_partner_id(related)
    return None


def _published_model(classified: Classified, model: type[models.Model]) -> bool:
    """A viewset that shows its (partner-owned) rows to every partner by design declares it."""
    viewset = getattr(classified.route.callback, "cls", None)
    return bool(getattr(viewset, "published_to_partners", False)) and is_partner_owned(model)


def check_partner_api_list(world: World, classified: Classified, role: str) -> int:
    route = classified.route
    viewset, actions = route.callback.cls, route.callback.actions
    model = api_model(route, world)
    if _published_model(classified, model):
        return 1
    mine, theirs = _rows(world, model)
    world.b.build_all()
    api = world.a.api(_user(world, role))
    url, acted = route.url(), 0
    if "get" in actions and _admitted(viewset, "list", "get", role):
        acted += 1
        listed = api.get(url)
        assert listed.status_code == 200, f"GET {url} as {role}: {listed.status_code}"
        ids = api_ids(listed)
        assert mine.pk in ids, f"GET {url} as {role}: partner 1's own row is missing, so the check proves nothing"
        if theirs is not None:
            assert theirs.pk not in ids, f"GET {url} as {role}: lists partner 2's row"
        assert world.b.get(model).pk not in ids, f"GET {url} as {role}: lists tenant B's row"
        assert_no_partner_leak(world, listed, f"GET {url} as {role}")
        if theirs is not None and getattr(viewset, "search_fields", None):
            searched = api.get(url, {"search": world.a.partner2.marker_of(theirs)})
            assert theirs.pk not in api_ids(searched), f"GET {url}?search= as {role} finds partner 2's row"
    if "post" in actions and _admitted(viewset, "create", "post", role):
        acted += 1
        view = api_view(route, world, _user(world, role), "create", "post")
        with world.a.scope():
            relations = serializer_relations(view.get_serializer())
        for name, target, relation, many in relations:
            if not is_partner_owned(target):
                continue
            other = world.a.partner2.get(target)
            value = getattr(other, getattr(relation, "slug_field", None) or "pk")
            body = payload_for(model, world.a)
            body[name] = [value] if many else value
            before = world.counts()
            response = api.post(url, body, format="json")
            where = f"POST {url} as {role} with {name}=<partner 2's {target._meta.label}>"
            if response.status_code == 201:
                # Accepted only when the row was written for partner 1 whatever the body said.
                with world.a.scope():
                    created = model._base_manager.get(pk=response.json()["id"])
                    owner = owner_partner_id(created)
                assert owner == world.a.partner.pk, f"{where} created a row of partner {owner}, not partner 1's"
            else:
                assert response.status_code in (400, 403, 404), f"{where} answered {response.status_code}"
                assert world.counts() == before, f"{where} created rows"
            assert_no_partner_leak(world, response, where)
    return acted


def _detail(world: World, classified: Classified, role: str, *, action_body: bool) -> int:
    """Partner 1's own row answers; every method on partner 2's (and tenant B's) row is a 404."""
    route = classified.route
    viewset, actions = route.callback.cls, route.callback.actions
    model = api_model(route, world)
    if _published_model(classified, model):
        return 1
    mine, theirs = _rows(world, model)
    world.b.build_all()
    api = world.a.api(_user(world, role))
    acted = 0
    for method, action in api_methods(actions):
        if not _admitted(viewset, action, method, role):
            continue
        acted += 1
        if method == "get":
            own = api.get(detail_url(route, mine))
            assert own.status_code == 200, f"GET {route.id} as {role}: partner 1's own row answered {own.status_code}"
            assert_no_partner_leak(world, own, f"GET {route.id} as {role}")
        for owner, row in (("partner 2", theirs), ("tenant B", world.b.get(model))):
            if row is None:
                continue
            body = action_payload(route, world.a, row) if action_body else {}
            before = world.snapshot(row)
            response = api.generic(method.upper(), detail_url(route, row), json.dumps(body, default=str),
                                   content_type="application/json")
            assert response.status_code == 404, (
                f"{method.upper()} {route.id} as {role} on {owner}'s row answered {response.status_code} "
                "(expected 404)"
            )
            assert world.snapshot(row) == before, f"{method.upper()} {route.id} as {role} changed {owner}'s row"
            assert_no_partner_leak(world, response, f"{method.upper()} {route.id} as {role}")
    return acted


def check_partner_api_detail(world: World, classified: Classified, role: str) -> int:
    return _detail(world, classified, role, action_body=False)


def check_partner_api_action_detail(world: World, classified: Classified, role: str) -> int:
    return _detail(world, classified, role, action_body=True)


def check_partner_api_action_list(world: World, classified: Classified, role: str) -> int:
    route = classified.route
    viewset, actions = route.callback.cls, route.callback.actions
    world.b.build_all()
    acted = 0
    for method, action in api_methods(actions):
        if method != "get" or not _admitted(viewset, action, method, role):
            continue
        acted += 1
        response = world.a.api(_user(world, role)).get(route.url())
        assert response.status_code == 200, f"GET {route.id} as {role}: {response.status_code}"
        assert_no_partner_leak(world, response, f"GET {route.id} as {role}")
    return acted


def check_partner_portal_list(world: World, classified: Classified, role: str) -> int:
    route = classified.route
    user = _user(world, role)
    model = portal_model(route, world, user)
    mine, _theirs = _rows(world, model)
    world.b.build_all()
    response = world.a.client(user).get(route.url())
    assert response.status_code == 200, f"{route.id} as {role}: {response.status_code}"
    assert world.a.marker_of(mine) in body_of(response), (
        f"{route.id} as {role}: partner 1's own {model._meta.label} is missing, so the check proves nothing"
    )
    assert_no_partner_leak(world, response, f"{route.id} as {role}")
    return 1


def check_partner_portal_page(world: World, classified: Classified, role: str) -> int:
    route = classified.route
    world.b.build_all()
    response = world.a.client(_user(world, role)).get(route.url())
    assert response.status_code in (200, 405), f"{route.id} as {role}: {response.status_code}"
    assert_no_partner_leak(world, response, f"{route.id} as {role}")
    return 1


def check_partner_portal_object(world: World, classified: Classified, role: str) -> int:
    """GET and POST on partner 2's row are 404 with nothing changed; partner 1's own row answers.

    A POST-only view (a staff toggle, an invitation revoke) is checked on partner 1's own row by
    a POST: it must be carried out (a redirect or a page, not a 404), so a view that answers 404
    to everything does not pass.
    """
    route = classified.route
    user = _user(world, role)
    model = portal_model(route, world, user)
    mine, theirs = _rows(world, model)
    if theirs is None:
        raise HarnessGap(f"{route.id}: {model._meta.label} is not partner-owned; declare the route published")
    world.b.build_all()
    client = world.a.client(user)
    for owner, row in (("partner 2", theirs), ("tenant B", world.b.get(model))):
        before = world.snapshot(row)
        foreign = client.get(route.url(**portal_kwargs(route, row)))
        assert foreign.status_code in (404, 405), f"GET {route.id} as {role} on {owner}'s row: {foreign.status_code}"
        assert_no_partner_leak(world, foreign, f"GET {route.id} as {role}")
        posted = client.post(route.url(**portal_kwargs(route, row)), {})
        assert posted.status_code in (404, 405), f"POST {route.id} as {role} on {owner}'s row: {posted.status_code}"
        assert world.snapshot(row) == before, f"POST {route.id} as {role} changed {owner}'s row"
    own = client.get(route.url(**portal_kwargs(route, mine)))
    if own.status_code == 405:
        own = client.post(route.url(**portal_kwargs(route, mine)), {})
        assert own.status_code in (200, 302, 303), (
            f"POST {route.id} as {role} on partner 1's own row answered {own.status_code}: "
            "a view that refuses its own partner's row proves nothing"
        )
    else:
        assert own.status_code == 200, f"GET {route.id} as {role}: partner 1's own row answered {own.status_code}"
    assert_no_partner_leak(world, own, f"{route.id} as {role} on its own row")
    return 1


PARTNER_CHECKS = {
    "api_list": check_partner_api_list,
    "api_detail": check_partner_api_detail,
    "api_action_detail": check_partner_api_action_detail,
    "api_action_list": check_partner_api_action_list,
    "portal_list": check_partner_portal_list,
    "portal_page": check_partner_portal_page,
    "portal_object": check_partner_portal_object,
}


def run_partner_check(world: World, classified: Classified) -> None:
    roles = partner_roles_of(classified)
    assert roles and set(roles) <= PARTNER_ROLES
    acted = sum(PARTNER_CHECKS[classified.kind](world, classified, role) for role in roles)
    assert acted, f"{classified.id}: admits {roles} but no request was made as them; the check proved nothing"
