"""One demo seed for the whole package: every module here reads the same ``seed_demo`` run.

Seeding both tenants is the costly part (about 25 s of CPU on SQLite, more on PostgreSQL); the
core's and each chapter's demo tests used to seed it once per module, the chapters twice (a rerun
must add nothing). Here it is seeded once per worker, in a transaction around the package that is
rolled back after it (as tests/isolation builds its world); each test's writes are rolled back by
its ``db`` savepoint, and a module that reruns the command does so in its own savepoint
(``seeding.rerun``). Every module carries the xdist group "demo", so one worker runs them all
and seeds once.

The demo on an empty database is tested outside this package (tests/test_seed_demo_empty.py):
a package fixture stays alive until the package's last test.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import transaction
from django.test.utils import override_settings

from .seeding import Demo, seed


@pytest.fixture(scope="package")
def demo_seed(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[Demo]:
    private = tmp_path_factory.mktemp("private")
    with django_db_blocker.unblock(), override_settings(PRIVATE_MEDIA_ROOT=private):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield Demo(output=seed(), private=private)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
