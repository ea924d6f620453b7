"""Shared fixtures: two tenants, users in every role, clients signed in as them."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.roles import PARTNER_ROLES, Role
from channelhub.tenancy.services import tenant_create
from tests.factories import MembershipFactory, PartnerFactory, UserFactory

PASSWORD = "pw-Secret-123"


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Make ``--dist loadgroup`` group again: a module's ``xdist_group`` runs on one worker.

    pytest-xdist 3.8 tells the scheduler an item's group by appending ``@<group>`` to its node id
    (``item._nodeid``); pytest 9.2 keeps node ids as structured ``_id`` objects and ignores that
    field, so every group was silently spread over both workers (pytest-dev/pytest-xdist#1386):
    the demo seeds, the admin crawl's world, the browser's live server and Chromium were built
    once per worker, and the one-worker-only groups (Celery worker, subprocesses) ran side by side.
    Runs after xdist's hook and does what it meant to, in the field pytest reads; it does nothing
    once xdist sets the suffix itself, or without loadgroup (``-p no:xdist``, ``-n 0``).
    """
    if not getattr(config.option, "loadgroup", False):  # set on xdist's workers only
        return
    try:
        from _pytest.nodeid import NodeId
    except ImportError:  # pytest before 9.2: xdist's own suffix takes effect
        return
    for item in items:
        names = {str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
                 for mark in item.iter_markers("xdist_group")}
        suffix = "@" + "_".join(sorted(names))
        if names and not item.nodeid.endswith(suffix):
            item._id = NodeId.parse(item.nodeid + suffix)


@pytest.fixture(scope="session", autouse=True)
def _flush_by_delete_on_postgresql():
    """A transactional test's flush empties PostgreSQL's tables with DELETE, not one TRUNCATE.

    Django empties the database after each ``transaction=True`` test (the live-server browser
    tests, the race tests) with ``TRUNCATE`` of every table: about 4 s on PostgreSQL for ~250
    tables (each gets new files, and so does each index), however few rows the test wrote.
    DELETE of the same tables takes a tenth of a second; the foreign keys Django creates are
    deferrable, and deferred to the end of the flush's transaction, so the order does not
    matter. The result is the same: every table empty (sequences are not reset either way).
    Flushes that reset sequences or cascade keep Django's TRUNCATE.
    """
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade or not tables:
            return truncate(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        return ["SET CONSTRAINTS ALL DEFERRED;"] + [
            f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(table))};" for table in tables
        ]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(DatabaseOperations, "sql_flush", sql_flush)
        yield


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def tenant(db):
    return tenant_create(name="Alpha Electronics", slug="alpha", default_language="en")


@pytest.fixture
def other_tenant(db):
    return tenant_create(name="Beta Insurance", slug="beta", default_language="en")


@pytest.fixture
def in_tenant(tenant):
    """Run the test body inside ``tenant``'s scope."""
    with tenant_scope(tenant, source="test"):
        yield tenant


def make_member(tenant, role: str, *, partner=None, **user_fields):
    """A user holding ``role`` in ``tenant`` (with a partner for partner roles)."""
    with tenant_scope(tenant):
        if role in PARTNER_ROLES and partner is None:
            partner = PartnerFactory()
        user = UserFactory(**user_fields)
        MembershipFactory(user=user, role=role, partner=partner)
    return user


@pytest.fixture
def member(tenant):
    """``member(role, partner=None)`` → a user of ``tenant`` holding that role."""
    return lambda role, **kwargs: make_member(tenant, role, **kwargs)


@pytest.fixture
def manager(tenant):
    return make_member(tenant, Role.CHANNEL_MANAGER)


@pytest.fixture
def owner(tenant):
    return make_member(tenant, Role.OWNER)


def api_client_for(user) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def api_as():
    """``api_as(user)`` → an APIClient authenticated with the user's token."""
    return api_client_for


@pytest.fixture
def manager_api(manager):
    return api_client_for(manager)


@pytest.fixture
def client_as(client):
    """``client_as(user)`` → the Django test client with a session for ``user``."""

    def login(user):
        client.force_login(user)
        return client

    return login
