"""The ``count`` of a large API list is kept until its rows change, and is always the right number."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from channelhub.api import counts
from channelhub.partners.models import Partner
from channelhub.tenancy import generations
from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.roles import Role
from tests.conftest import api_client_for, make_member
from tests.factories import PartnerContactFactory, PartnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def large_from_three(monkeypatch):
    """Lists of three rows or more count as large here (100,000 partners are not needed)."""
    monkeypatch.setattr(counts, "COUNT_CACHE_FROM", 3)


def _count_queries(captured) -> int:
    return sum(query["sql"].startswith('SELECT COUNT(*)') for query in captured.captured_queries)


def _listed(api, url="/api/v1/partners/", **params) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        response = api.get(url, params)
    assert response.status_code == 200, response.content
    return response.json()["count"], _count_queries(captured)


def test_a_large_count_is_read_from_the_cache_until_a_partner_is_added_or_deleted(
    in_tenant, manager_api, large_from_three
):
    partners = PartnerFactory.create_batch(3)
    assert _listed(manager_api) == (3, 1)
    assert _listed(manager_api) == (3, 0)  # nothing changed: no COUNT query

    PartnerFactory()
    assert _listed(manager_api) == (4, 1)
    partners[0].delete()
    assert _listed(manager_api) == (3, 1)
    partners[1].legal_name = "改名后的公司"
    partners[1].save()  # an edit may move a row in or out of a filter: counted again
    assert _listed(manager_api) == (3, 1)


def test_each_filter_and_each_tenant_keeps_its_own_count(
    tenant, other_tenant, in_tenant, manager_api, large_from_three
):
    PartnerFactory.create_batch(3, status="active")
    PartnerFactory(status="prospect")
    with tenant_scope(other_tenant):
        PartnerFactory.create_batch(5)
        other_api = api_client_for(make_member(other_tenant, Role.CHANNEL_MANAGER))

    assert _listed(manager_api)[0] == 4
    assert _listed(manager_api, status="active")[0] == 3
    assert _listed(manager_api, status="prospect") == (1, 1)  # small: always counted
    assert _listed(other_api)[0] == 5
    assert _listed(manager_api) == (4, 0) and _listed(other_api) == (5, 0)


def test_small_lists_are_always_counted(in_tenant, manager_api):
    PartnerFactory.create_batch(2)
    assert _listed(manager_api) == (2, 1)
    assert _listed(manager_api) == (2, 1)


def test_contacts_change_their_own_count_not_the_partners(in_tenant, manager_api, large_from_three):
    partner = PartnerFactory()
    PartnerContactFactory.create_batch(3, partner=partner)
    PartnerFactory.create_batch(2)
    assert _listed(manager_api, "/api/v1/contacts/")[0] == 3
    assert _listed(manager_api) == (3, 1)
    PartnerContactFactory(partner=partner)
    assert _listed(manager_api) == (3, 0)
    assert _listed(manager_api, "/api/v1/contacts/") == (4, 1)


def test_a_list_reading_an_untracked_table_is_counted_every_time(in_tenant, large_from_three):
    PartnerFactory.create_batch(3)
    by_region = Partner.objects.filter(region__name__isnull=False)  # joins the regions (not tracked)
    with CaptureQueriesContext(connection) as captured:
        assert counts.count(by_region) == counts.count(by_region) == 3
    assert _count_queries(captured) == 2


def test_writes_that_bypass_signals_show_when_the_kept_count_expires(
    in_tenant, manager_api, large_from_three, settings
):
    partners = PartnerFactory.create_batch(3, status="active")
    assert _listed(manager_api, status="active")[0] == 3
    Partner.objects.filter(pk=partners[0].pk).update(status="suspended")  # no model signal
    assert _listed(manager_api, status="active") == (3, 0)  # kept, for at most the cache time
    settings.API_COUNT_CACHE_SECONDS = 0  # as when that time has passed
    assert _listed(manager_api, status="active") == (2, 1)


def test_a_bump_inside_a_transaction_is_repeated_once_when_it_commits(tenant):
    seen = generations.generation(tenant.pk, "count:test")
    with transaction.atomic():
        for _ in range(3):
            generations.bump_now_and_on_commit(tenant.pk, "count:test")
        during = generations.generation(tenant.pk, "count:test")
        queued = [entry for entry in connection.run_on_commit if getattr(entry[1], "scope", None) == "count:test"]
    assert during == seen + 3  # at once: a reader never keeps a figure under the old generation
    assert len(queued) == 1  # many rows of one tenant queue one bump
    # (pytest-django's test transaction never commits; the queued bump is what would run.)
