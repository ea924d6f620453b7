"""Portal pages cost a fixed number of queries, however many rows they show."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.roles import Role
from tests.conftest import make_member
from tests.factories import PartnerContactFactory

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    client.get(url)  # warm up: session, content types
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _grow(tenant, partner, n: int) -> None:
    with tenant_scope(tenant):
        for _ in range(n):
            PartnerContactFactory(partner=partner)
    for _ in range(n):
        make_member(tenant, Role.PARTNER_USER, partner=partner)


@pytest.mark.parametrize("url", ["/portal/", "/portal/staff/", "/portal/company/", "/portal/contacts/",
                                 "/portal/notifications/", "/portal/notifications/preferences/"])
def test_page_query_count_does_not_grow_with_rows(client_as, partner_admin, partner, tenant, url):
    client = client_as(partner_admin)
    _grow(tenant, partner, 1)
    small = _queries(client, url)
    _grow(tenant, partner, 12)
    assert _queries(client, url) == small
    # The page's own: session, user, memberships, partner, contacts, staff count, a spare few; then
    # what the chapters register: a COUNT per navigation badge and at most two queries per home panel.
    from channelhub.portal import registry

    badges = sum(1 for entry in registry._registry.nav.values() if entry.badge)
    assert small <= 8 + badges + 2 * len(registry._registry.home), small
