"""Two tenants for every isolation test: A acts, B owns what A must never see or change.

The world (both tenants, one row of every registered model in each, a user in every role)
is built once per worker in a transaction around the whole package, the way Django's
``TestCase.setUpTestData`` does, and rolled back when the package is done. Each test works
on a fork of it inside its own transaction: whatever a test writes or builds is rolled back
after it, so tests stay independent while the world is built once.
"""

from __future__ import annotations

import pytest
from django.db import transaction

from channelhub.testing import World, autodiscover, make_world

autodiscover()


@pytest.fixture(scope="package")
def shared_world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield make_world().prepare()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def world(shared_world, db) -> World:
    return shared_world.fork()
