"""Partner roles use what the table admits them to for their own partner only (DESIGN.md, invariant 2).

The matrix acts on the partner staff's own partner's rows. Here, for every API detail operation
the table opens to a partner role, the same request on a row of *another* partner of the same
tenant must answer 404 and change nothing.
"""

from __future__ import annotations

import pytest

from channelhub.partners.models import Partner
from channelhub.tenancy.roles import PARTNER_ROLES

from .perform import _detail_url, _json, api_client, effects
from .surfaces import discover
from .table import TABLE

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("roles")]

def _is_detail(item) -> bool:
    return item.route.name.endswith("-detail") or bool(item.route.callback.initkwargs.get("detail"))


ITEMS = [
    item for item in discover()
    if item.kind == "api" and item.id in TABLE and TABLE[item.id] & PARTNER_ROLES and _is_detail(item)
]


def partner_owned(model) -> bool:
    return issubclass(model, Partner) or any(
        f.is_relation and f.many_to_one and f.related_model is Partner and f.name == "partner"
        for f in model._meta.concrete_fields
    )


def test_some_items_are_open_to_partner_roles():
    assert any(item.id == "partners-api:contact-detail PATCH" for item in ITEMS), [i.id for i in ITEMS]


@pytest.mark.parametrize("item", ITEMS, ids=[item.id for item in ITEMS])
def test_partner_roles_reach_only_their_own_partner(world, item):
    from tests.isolation.checks import api_model

    model = api_model(item.route, world)
    if not partner_owned(model):
        pytest.skip(f"{model._meta.label} is published to every partner")
    other = world.a.fork()
    other._rows[Partner] = world.a.new(Partner)  # a second partner of tenant A
    theirs = other.get(Partner) if issubclass(model, Partner) else other.new(model)
    problems = []
    for role in sorted(TABLE[item.id] & PARTNER_ROLES):
        before = effects(world, theirs)
        response = api_client(world, role).generic(
            item.method, _detail_url(item.route, theirs), _json({}), content_type="application/json")
        if response.status_code != 404:
            problems.append(f"{item.id} as {role} on another partner's row: {response.status_code} (expected 404)")
        if effects(world, theirs) != before:
            problems.append(f"{item.id} as {role} changed another partner's row")
    assert not problems, "\n".join(problems)
