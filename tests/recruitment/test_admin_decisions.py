"""Actions on the application page: approve / reject / return and assign reviewers, as buttons."""

from __future__ import annotations

import pytest
from django.test import Client

from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.roles import Role
from recruitment.models import Application, ApplicationState, ApprovalDecision, ReviewerAssignment
from tests.conftest import make_member

pytestmark = pytest.mark.django_db
ADMIN = "/admin/recruitment/application"


def login(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.cookies["django_language"] = "en"
    client.force_login(user)
    return client


def decide_url(application, decision: str) -> str:
    return f"{ADMIN}/{application.pk}/decide/?decision={decision}"


def buttons(user, application) -> set[str]:
    html = login(user).get(f"{ADMIN}/{application.pk}/change/").content.decode()
    return {name for name, marker in (("decide", "/decide/?decision=approve"), ("reviewers", "/reviewers/"))
            if marker in html}


def reload(tenant, application) -> Application:
    with tenant_scope(tenant):
        return Application.objects.select_related("current_step").get(pk=application.pk)


def test_decision_buttons_only_for_the_current_steps_role(tenant, in_review, people):
    application = in_review()  # waiting at step 1: the channel manager's
    assert buttons(people["manager"], application) == {"decide"}  # in review: no more reviewers
    assert buttons(people["director"], application) == set()
    assert buttons(people["legal"], application) == set()
    assert buttons(make_member(tenant, Role.FINANCE, username="fin"), application) == set()


def test_assign_reviewers_button_for_managers_only(tenant, submit, people):
    application = submit()
    assert buttons(people["manager"], application) == {"reviewers"}
    assert buttons(people["legal"], application) == set()
    page = login(people["manager"]).post(f"{ADMIN}/{application.pk}/reviewers/",
                                         {"reviewers": [people["reviewer2"].pk]})
    assert page.status_code == 302 and page["Location"] == f"{ADMIN}/{application.pk}/change/"
    with tenant_scope(tenant):
        assert list(ReviewerAssignment.objects.filter(application=application).values_list("reviewer", flat=True)) \
            == [people["reviewer2"].pk]
    assert login(people["legal"]).get(f"{ADMIN}/{application.pk}/reviewers/").status_code == 403


def test_approve_through_the_button_moves_the_application_and_records_the_comment(tenant, in_review, people):
    application = in_review()
    client = login(people["manager"])
    page = client.get(decide_url(application, "approve"))
    assert page.status_code == 200 and page.context["allowed"]
    done = client.post(decide_url(application, "approve"),
                       {"decision": "approve", "comment": "资料齐全", "step": application.current_step_id},
                       follow=True)
    assert "The application is approved at this step." in done.content.decode()
    fresh = reload(tenant, application)
    assert fresh.state == ApplicationState.IN_REVIEW and fresh.current_step.order == 2
    with tenant_scope(tenant):
        record = ApprovalDecision.objects.get(application=application)
    assert (record.decision, record.comment, record.actor_id) == ("approve", "资料齐全", people["manager"].pk)
    # Now the director has the buttons, the manager no longer.
    assert buttons(people["director"], application) == {"decide"}
    assert buttons(people["manager"], application) == set()


def test_return_needs_a_comment_and_goes_back_to_the_chosen_step(tenant, in_review, people):
    application = in_review()
    client = login(people["manager"])
    empty = client.post(decide_url(application, "return"), {"decision": "return", "comment": " ",
                                                           "return_to": "screening"})
    assert empty.status_code == 200
    assert "Give a reason for rejecting or returning the application." in empty.content.decode()
    assert reload(tenant, application).state == ApplicationState.IN_REVIEW
    client.post(decide_url(application, "return"), {"decision": "return", "comment": "补充资质",
                                                    "return_to": "screening"})
    assert reload(tenant, application).state == ApplicationState.SCREENING


def test_reject_records_the_reason(tenant, in_review, people):
    application = in_review()
    login(people["manager"]).post(decide_url(application, "reject"), {"decision": "reject", "comment": "区域冲突"})
    assert reload(tenant, application).state == ApplicationState.REJECTED
    with tenant_scope(tenant):
        assert ApprovalDecision.objects.get(application=application).comment == "区域冲突"


def test_a_refused_decision_changes_nothing(tenant, in_review, people):
    application = in_review()  # step 1 is the manager's: legal holds a step, but not this one
    client = login(people["legal"])
    page = client.get(decide_url(application, "approve"))
    assert page.status_code == 200 and not page.context["allowed"]
    refused = client.post(decide_url(application, "approve"), {"decision": "approve"}, follow=True)
    assert "is decided by the role" in refused.content.decode()  # the service's refusal, as a message
    fresh = reload(tenant, application)
    assert (fresh.state, fresh.current_step.order) == (ApplicationState.IN_REVIEW, 1)
    with tenant_scope(tenant):
        assert not ApprovalDecision.objects.filter(application=application).exists()


def test_the_decision_page_offers_no_form_to_a_role_without_the_step(tenant, in_review, people):
    application = in_review()
    finance = make_member(tenant, Role.FINANCE, username="fin")
    page = login(finance).get(decide_url(application, "approve"))
    assert page.status_code == 200 and not page.context["allowed"]
    assert 'name="decision"' not in page.content.decode()
    assert "You cannot decide this application now" in page.content.decode()
    login(finance).post(decide_url(application, "approve"), {"decision": "approve"})
    assert reload(tenant, application).current_step.order == 1
    assert login(people["manager"]).get(decide_url(application, "bogus")).status_code == 400


def test_partner_status_button_only_for_transition_roles(tenant, people):
    from tests.factories import PartnerFactory

    with tenant_scope(tenant):
        partner = PartnerFactory()
    url = f"/admin/partners/partner/{partner.pk}/change/"
    status = f"/admin/partners/partner/{partner.pk}/status/"
    assert status in login(people["manager"]).get(url).content.decode()
    assert status in login(people["director"]).get(url).content.decode()
    page = login(people["legal"]).get(url)
    assert page.status_code == 200 and status not in page.content.decode()
    assert login(people["legal"]).get(status).status_code == 403
