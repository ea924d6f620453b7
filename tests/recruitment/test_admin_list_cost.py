"""The application changelist's per-request cost (issue #9): the approval chain and "am I a
reviewer" are read once, the query count does not grow with rows, sorting is offered only where
an index gives the order."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from channelhub.tenancy.context import tenant_scope
from recruitment.models import ReviewerAssignment

from .factories import ApplicationFactory

URL = "/admin/recruitment/application/"


def _queries(client) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL)
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


@pytest.fixture
def manager_client(people):
    client = Client()
    client.force_login(people["manager"])
    return client


def test_the_chain_and_the_reviewer_check_are_read_once(tenant, manager_client, people, region, chain):
    with tenant_scope(tenant):
        application = ApplicationFactory(regions=[region])
        ReviewerAssignment.objects.create(application=application, reviewer=people["manager"])
    sql = _queries(manager_client)
    # One read of the chain for the decision actions (the work queue asks its own question).
    chain_reads = [s for s in sql
                   if 'FROM "recruitment_approvalstep"' in s and '"recruitment_approvalstep"."name"' in s]
    assert len(chain_reads) == 1
    reviewer_checks = [s for s in sql if s.startswith('SELECT 1 AS "a" FROM "recruitment_reviewerassignment"')]
    assert len(reviewer_checks) <= 2  # the changelist's column, the work queue when it counted none


def test_query_count_does_not_grow_with_rows(tenant, manager_client, region, chain):
    with tenant_scope(tenant):
        ApplicationFactory(regions=[region])
    few = len(_queries(manager_client))
    with tenant_scope(tenant):
        ApplicationFactory.create_batch(12, regions=[region])
    assert len(_queries(manager_client)) == few


def test_only_indexed_columns_sort(tenant, manager_client, region, chain):
    with tenant_scope(tenant):
        ApplicationFactory(regions=[region])
    # Name, state and submitted date keep their sort links; the counts and badges do not.
    changelist = manager_client.get(URL).context["cl"]
    assert set(changelist.sortable_by) == {"legal_name", "state", "submitted_on"}
    assert changelist.model_admin.list_per_page == 50
