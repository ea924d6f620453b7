"""Property-based fuzzing of the whole API from its own OpenAPI schema (schemathesis).

Whatever a client sends — wrong types, missing fields, huge numbers, odd strings, unknown
ids — the answer is a clear 4xx, never a 500. Every operation in the schema is a test, so
new endpoints are fuzzed as soon as they exist.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error

from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.roles import Role
from tests.factories import PartnerContactFactory, ProductFactory

# A few deterministic examples per operation keep the suite fast. FUZZ_DEEP=1 adds the
# coverage phase (every boundary value the schema defines: thousands of requests).
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "5"))
DEEP = os.environ.get("FUZZ_DEEP") == "1"
config = schemathesis.config.SchemathesisConfig.from_dict({"phases": {"coverage": {"enabled": DEEP}}})
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application(), config=config)

pytestmark = [pytest.mark.xdist_group("fuzz")]


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Requests go straight to the WSGI app, not through Django's test client, so the end of
    each request would close the database connection (and, on PostgreSQL, the test's
    transaction with it). Keep it open, as the test client does."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


@pytest.fixture
def owner_token(tenant, member):
    """An owner (every endpoint admits them) of a tenant with a little data to hit."""
    user = member(Role.OWNER)
    with tenant_scope(tenant):
        PartnerContactFactory.create_batch(2)
        ProductFactory()
    return Token.objects.create(user=user).key


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=EXAMPLES, deadline=None, derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_no_input_makes_the_api_fail(case, owner_token):
    case.call_and_validate(headers={"Authorization": f"Token {owner_token}"}, checks=[not_a_server_error])
