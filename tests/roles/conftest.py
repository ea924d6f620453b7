"""One world for the whole role matrix: tenant A with a row of every model and a user per role.

Built once per worker in a transaction around the package (as tests/isolation does) and rolled
back at the end; each test works on a fork inside its own transaction. Tenant A's approval
chain is set to exactly ``table.APPROVAL_CHAIN`` so that "the roles holding an approval step"
is a concrete set, and it gets an API key of every staff role.
"""

from __future__ import annotations

import pytest
from django.db import transaction

from channelhub.testing import A_TOKEN, B_TOKEN, ROLE_ORDER, Side, World, autodiscover

from .perform import make_clients
from .table import APPROVAL_CHAIN, KEY_ROLES, ROLES

autodiscover()


def pytest_configure(config):
    # The matrix runs as one xdist group (one world per worker); without xdist
    # (``-p no:xdist``) the marker must still be known under --strict-markers.
    config.addinivalue_line("markers", "xdist_group(name): run these tests on one xdist worker")


class RolesWorld(World):
    """The isolation world plus API keys (``keys[<role>]`` is the secret of a key of that role)."""

    keys: dict[str, str]
    clients: dict
    api_clients: dict

    def fork(self) -> RolesWorld:
        twin = RolesWorld(self.a.fork(), self.b.fork())
        twin.keys, twin.clients, twin.api_clients = self.keys, self.clients, self.api_clients
        return twin


def make_roles_world() -> RolesWorld:
    from channelhub.tenancy.services import api_key_create, tenant_create
    from recruitment.models import ApprovalStep

    # Own slugs: the isolation package's world may be alive in the same worker.
    a = tenant_create(name=f"Roles Alfa {A_TOKEN}", slug="roles-alfa", default_language="en")
    b = tenant_create(name=f"Roles Beta {B_TOKEN}", slug="roles-beta", default_language="en")
    world = RolesWorld(Side(a, A_TOKEN), Side(b, B_TOKEN))
    world.a.build_all()
    for role in ROLE_ORDER:
        world.a.user(role)
    with world.a.scope():
        ApprovalStep.objects.update(is_active=False)
        for order, role in enumerate(APPROVAL_CHAIN, start=101):
            ApprovalStep.objects.create(order=order, name=f"Step {order}", role=role)
        world.keys = {
            actor[4:]: api_key_create(tenant=a, actor=None, name=f"matrix {actor}", role=actor[4:]).secret
            for actor in KEY_ROLES
        }
    # Signed in once for the package (sessions and tokens live in the outer transaction).
    world.clients, world.api_clients = make_clients(world, ROLES + KEY_ROLES)
    return world


@pytest.fixture(scope="package")
def roles_world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield make_roles_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def world(roles_world, db) -> RolesWorld:
    return roles_world.fork()
