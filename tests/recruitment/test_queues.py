"""Recruitment's work queues on the admin home: each role sees what waits for it, linked to the list."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.roles import Role
from recruitment import services
from recruitment.models import ApplicationState, Decision
from tests.conftest import make_member

from .conftest import move

pytestmark = pytest.mark.django_db
APPLICATIONS = "/admin/recruitment/application/"


def login(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.cookies["django_language"] = "en"
    client.force_login(user)
    return client


def queues(user) -> dict[str, tuple[int, str]]:
    response = login(user).get("/admin/")
    assert response.status_code == 200
    return {card.key: (card.count, card.url) for card in response.context["work_queues"]}


def approve(tenant, application, user):
    with tenant_scope(tenant):
        application.refresh_from_db()
        return services.application_decide(application=application, actor=user, decision=Decision.APPROVE)


def test_legal_sees_awaiting_my_approval_only_when_the_step_is_legals(tenant, in_review, people):
    application = in_review()
    assert queues(people["legal"])["recruitment.awaiting_my_approval"][0] == 0
    assert queues(people["manager"])["recruitment.awaiting_my_approval"][0] == 1  # step 1 is the manager's
    approve(tenant, application, people["manager"])
    assert queues(people["director"])["recruitment.awaiting_my_approval"][0] == 1
    approve(tenant, application, people["director"])

    count, url = queues(people["legal"])["recruitment.awaiting_my_approval"]
    assert count == 1
    assert url == f"{APPLICATIONS}?my_step=yes"
    # The link lists exactly that application, for legal.
    listed = login(people["legal"]).get(url)
    assert listed.status_code == 200
    assert [row.pk for row in listed.context["cl"].result_list] == [application.pk]
    # …and nothing for the director, whose step is done.
    assert list(login(people["director"]).get(url).context["cl"].result_list) == []


def test_trainer_assigned_as_reviewer_sees_awaiting_my_score(tenant, submit, people, criteria):
    trainer = people["reviewer2"]
    assert "recruitment.awaiting_my_score" not in queues(trainer)  # never asked to review: no card
    application = submit()
    with tenant_scope(tenant):
        move(application, ApplicationState.SCREENING, ApplicationState.SCORING, actor=people["manager"])
        services.application_assign_reviewers(application=application, reviewers=[trainer], actor=people["manager"])
    count, url = queues(trainer)["recruitment.awaiting_my_score"]
    assert (count, url) == (1, f"{APPLICATIONS}?my_review=awaiting")
    assert [row.pk for row in login(trainer).get(url).context["cl"].result_list] == [application.pk]
    with tenant_scope(tenant):
        services.scorecard_submit(application=application, reviewer=trainer,
                                  scores={criteria["a"].pk: 4, criteria["b"].pk: 7})
    assert queues(trainer)["recruitment.awaiting_my_score"][0] == 0


def test_manager_queues_and_who_sees_them(tenant, submit, people):
    submit()
    submit()
    manager = queues(people["manager"])
    assert manager["recruitment.submitted_unscreened"] == (2, f"{APPLICATIONS}?state__exact=submitted")
    assert manager["recruitment.onboarding_open"][0] == 0
    # Legal and finance have no manager queues; finance holds no step: no approval queue either.
    assert "recruitment.submitted_unscreened" not in queues(people["legal"])
    finance = make_member(tenant, Role.FINANCE, username="finance")
    assert not [key for key in queues(finance) if key.startswith("recruitment.")]  # other chapters' are theirs


def test_onboarding_queue_counts_partners_with_open_items(tenant, in_review, people, chain):
    from recruitment.models import OnboardingTaskTemplate

    with tenant_scope(tenant):
        OnboardingTaskTemplate.objects.create(key="sign", name="Sign", order=1, required=True)
    application = in_review()
    for who in ("manager", "director", "legal"):
        approve(tenant, application, people[who])
    count, url = queues(people["manager"])["recruitment.onboarding_open"]
    assert count == 1
    assert url == "/admin/recruitment/onboardingtask/?done=no"


def test_home_page_shows_cards_and_badges(tenant, submit, people):
    submit()
    response = login(people["manager"]).get("/admin/")
    html = response.content.decode()
    assert "What needs you" in html
    assert f'href="{APPLICATIONS}?state__exact=submitted"' in html
    # The badge beside "Applications" in the sidebar, drawn by the frame.
    items = [item for group in response.context["sidebar_navigation"] for item in group["items"]]
    applications = next(item for item in items if item["link"] == APPLICATIONS)
    assert applications["badge"] >= 1
    assert f'href="{APPLICATIONS}"' in html


def test_admin_home_query_count_is_fixed(tenant, in_review, people):
    client = login(people["manager"])

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/admin/").status_code == 200
        return len(captured)

    in_review()
    count()  # the first view of a new tenant computes the dashboard's rollup once
    few = count()
    for _ in range(3):
        in_review()
    assert count() == few


def test_dashboard_figures_link_to_the_lists_they_count(tenant, in_review, people):
    in_review()
    html = login(people["manager"]).get("/admin/").content.decode()
    assert f'<a href="{APPLICATIONS}?state__exact=in_review">1</a>' in html
    assert '<a href="/admin/partners/partner/?status__exact=active">' in html
