"""The role matrix: every surface item, as every role, against the one table (tests/roles/table.py).

Each item is one test (``test_item_matches_table[<item>]``); a failure lists each role the
surface treats differently from the table: "table says may / may not, got <answer>". An item
the walker finds that the table does not list fails until it is added there, so new routes and
actions join by themselves; a table entry the walker no longer finds fails too (stale spec).

Admin actions are checked twice: whether the changelist offers the action to the role
(``get_actions``, what the ``<select name="action">`` lists), and, for a role that may not run
it, that POSTing it anyway changes nothing (the row, the audit trail, row counts, queued work).
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.admin import helpers
from django.db import transaction
from django.urls import reverse

from channelhub.tenancy.roles import Role
from channelhub.testing import HarnessGap
from tests.isolation.checks import fake_request

from . import setups
from .perform import (
    Outcome,
    effects,
    perform_admin_page,
    perform_admin_site,
    perform_api,
    perform_page,
    web_client,
)
from .surfaces import Item, discover
from .table import ANONYMOUS, KEY_ROLES, ROLES, TABLE, expected

pytestmark = [pytest.mark.django_db]

ITEMS = discover()
KNOWN = [item for item in ITEMS if item.id in TABLE]
MISSING = [item for item in ITEMS if item.id not in TABLE]


def actors_for(item: Item) -> tuple[str, ...]:
    return ROLES + KEY_ROLES if item.kind == "api" else ROLES


def verdict(item: Item, actor: str, outcome: Outcome) -> str | None:
    want = expected(item.id, actor)
    if outcome.served is want:
        return None
    says = "may" if want else "may NOT"
    return f"{item.id} as {actor}: the table says {says} use it, the surface answered {outcome}"


def perform(world, item: Item, actor: str, shared: dict) -> Outcome:
    admitted = expected(item.id, actor)
    if item.kind == "admin_page":
        return perform_admin_page(world, item, actor, admitted=admitted)
    if item.kind == "admin_site":
        return perform_admin_site(world, item, actor)
    if item.kind == "api":
        return perform_api(world, item, actor, admitted=admitted, shared=shared)
    if item.kind == "page":
        return perform_page(world, item, actor, admitted=admitted)
    raise HarnessGap(f"{item.id}: the walker cannot classify this route ({item.detail})")


def check_surface(world, item: Item) -> list[str]:
    problems = []
    shared: dict = {}
    for actor in actors_for(item):
        try:
            with transaction.atomic():  # an error answers for this actor only
                outcome = perform(world, item, actor, shared)
        except HarnessGap:
            raise
        except Exception as error:  # a 500: the test client re-raises what the view raised
            shared.clear()  # built inside the rolled-back savepoint
            outcome = Outcome(None, f"an error: {type(error).__name__}: {str(error)[:200]}")
        problem = verdict(item, actor, outcome)
        if problem:
            problems.append(problem)
    return problems


# --------------------------------------------------------------------------------------
# Admin actions
# --------------------------------------------------------------------------------------


def offered(world, model_admin, actor: str, name: str) -> bool:
    """Whether the changelist offers the action to ``actor`` (who must reach the changelist)."""
    if actor == ANONYMOUS:
        return False
    request = fake_request(world, world.a.user(actor))
    with world.a.scope():
        return (
            admin.site.has_permission(request)
            and model_admin.has_view_or_change_permission(request)
            and name in model_admin.get_actions(request)
        )


def post_action(world, item: Item, actor: str, obj):
    """POST the action as ``actor`` on ``obj`` (a row it can move); did anything change?"""
    extra = setups.EXTRA_EFFECTS.get(item.id, lambda world, obj: None)
    before = effects(world, obj), extra(world, obj)
    web_client(world, actor).post(reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_changelist"), {
        "action": item.detail, helpers.ACTION_CHECKBOX_NAME: [str(obj.pk)], "index": "0",
        "post": "yes",  # confirms actions that ask first (delete_selected)
        **setups.action_body(world, item.detail),
    })
    return (effects(world, obj), extra(world, obj)) != before


def safe_post_action(world, item: Item, actor: str, obj, problems: list[str]) -> bool:
    try:
        with transaction.atomic():
            return post_action(world, item, actor, obj)
    except HarnessGap:
        raise
    except Exception as error:
        problems.append(f"{item.id} as {actor}: POSTing it raised {type(error).__name__}: {str(error)[:200]}")
        return False


def check_action(world, item: Item) -> list[str]:
    problems: list[str] = []
    changed_by = []
    model = item.model_admin.model
    # Roles the table refuses share one row (they must all leave it as it is); an admitted
    # role gets a fresh one, since its POST is expected to move it.
    shared = setups.action_row(world, item.id, model)
    for actor in ROLES:
        want = expected(item.id, actor)
        is_offered = offered(world, item.model_admin, actor, item.detail)
        if is_offered != want:
            says = "may" if want else "may NOT"
            problems.append(f"{item.id} as {actor}: the table says {says} run it, the changelist "
                            f"{'offers' if is_offered else 'does not offer'} it")
        if not want:
            if safe_post_action(world, item, actor, shared, problems):
                problems.append(f"{item.id} as {actor}: POSTing the action anyway changed data")
                shared = setups.action_row(world, item.id, model)
        elif not changed_by and safe_post_action(
                world, item, actor, setups.action_row(world, item.id, model), problems):
            changed_by.append(actor)
    admitted = [actor for actor in ROLES if expected(item.id, actor)]
    if admitted and not changed_by and not problems:
        problems.append(
            f"{item.id}: POSTed as {admitted}, it changed nothing, so the refusals prove nothing; "
            "give it a row it can move in tests/roles/setups.py (ACTION_SETUP / action_body)"
        )
    return problems


# --------------------------------------------------------------------------------------
# The tests
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("item", KNOWN, ids=[item.id for item in KNOWN])
def test_item_matches_table(world, item):
    problems = check_action(world, item) if item.kind == "admin_action" else check_surface(world, item)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("item", MISSING, ids=[item.id for item in MISSING])
def test_item_is_in_table(item):
    pytest.fail(f"{item.id} ({item.kind}) is not in the role table: add it to tests/roles/table.py "
                "with the roles that may use it")


def test_table_lists_only_existing_items():
    found = {item.id for item in ITEMS}
    stale = sorted(set(TABLE) - found)
    assert not stale, "table entries the walker does not find (remove or rename them in tests/roles/table.py):\n" + (
        "\n".join(stale))


def test_walker_finds_every_kind_of_item():
    """The walker cannot silently find nothing: known items of each kind are there."""
    ids = {item.id for item in ITEMS}
    for item in (
        "admin:partners_partner_changelist GET", "admin:partners_partner_change POST",
        "admin:partners.partner#suspend", "admin:partners.partner#delete_selected",
        "admin:recruitment.recruitmentplan#close", "admin:tenancy.membership#deactivate",
        "partners-api:partner-transition POST", "partners-api:partner-list GET",
        "portal:dashboard GET", "portal:staff_toggle POST", "admin:index GET",
        "admin:recruitment_application_score GET",
    ):
        assert item in ids, item
    assert sum(item.kind == "admin_action" for item in ITEMS) > 30


def test_every_role_is_walked():
    assert set(ROLES) == {*Role.values, ANONYMOUS}
