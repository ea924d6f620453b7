"""The applications API pages deep lists by keyset (``?cursor=``) and keeps page numbers."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.roles import Role
from recruitment.models import Application
from tests.conftest import api_client_for, make_member

from .factories import ApplicationFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/recruitment/applications/"


@pytest.fixture
def api(tenant):
    return api_client_for(make_member(tenant, Role.CHANNEL_MANAGER, username="pager"))


@pytest.fixture
def applications(tenant, region):
    start = timezone.now() - datetime.timedelta(days=30)
    with tenant_scope(tenant):
        made = [ApplicationFactory(regions=[region], legal_name=f"申请{n:02d}有限公司") for n in range(7)]
        for n, application in enumerate(made):
            # Distinct times (the factory's are a few microseconds apart, some may tie).
            Application.objects.filter(pk=application.pk).update(
                created_at=start + datetime.timedelta(hours=n),
                state_changed_at=start + datetime.timedelta(hours=7 - n))
    return made


def _walk(api, url: str) -> list[str]:
    seen = []
    while url:
        response = api.get(url)
        assert response.status_code == 200, response.content
        body = response.json()
        assert "count" not in body
        seen += [row["legal_name"] for row in body["results"]]
        url = body["next"]
    return seen


def test_cursor_pages_walk_the_list_newest_first_without_a_count(api, applications):
    assert _walk(api, f"{URL}?cursor=&page_size=3") == [f"申请{n:02d}有限公司" for n in reversed(range(7))]


@pytest.mark.parametrize(("ordering", "order"), [
    ("legal_name", list(range(7))), ("-legal_name", list(reversed(range(7)))),
    ("state_changed_at", list(reversed(range(7)))), ("created_at", list(range(7))),
])
def test_cursor_pages_follow_the_ordering(api, applications, ordering, order):
    assert _walk(api, f"{URL}?cursor=&page_size=2&ordering={ordering}") == [f"申请{n:02d}有限公司" for n in order]


def test_page_numbers_still_answer_with_a_count(api, applications):
    body = api.get(f"{URL}?page=2&page_size=3").json()
    assert body["count"] == 7
    assert [row["legal_name"] for row in body["results"]] == [f"申请{n:02d}有限公司" for n in (3, 2, 1)]


@pytest.mark.parametrize("ordering", ["submitted_at", "-decided_at"])
def test_a_cursor_over_an_ordering_that_may_be_empty_answers_400(api, applications, ordering):
    response = api.get(f"{URL}?cursor=&ordering={ordering}")
    assert response.status_code == 400
    assert "ordering" in response.json()


def test_a_broken_cursor_answers_404_not_500(api, applications):
    assert api.get(f"{URL}?cursor=not-a-cursor").status_code == 404


def test_cursor_page_query_count_is_constant(api, tenant, region, applications):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert api.get(f"{URL}?cursor=&page_size=50").status_code == 200
        return len(captured)

    few = queries()
    with tenant_scope(tenant):
        ApplicationFactory.create_batch(6, regions=[region])
    assert queries() == few
