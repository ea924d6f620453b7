"""The recruitment API: CRUD, filters, actions, 400/403/409 answers, integration keys, query counts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from channelhub.partners.models import PartnerStatus
from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.roles import Role
from channelhub.tenancy.services import api_key_create
from recruitment.models import Application, ApplicationSource, ApplicationState, Decision, RecruitmentPlan
from tests.conftest import api_client_for, make_member
from tests.factories import RegionFactory, next_credit_code

from .conftest import move
from .factories import (
    PDF_BYTES,
    ApplicationFactory,
    CampaignFactory,
    RecruitmentPlanFactory,
    RecruitmentTargetFactory,
)

BASE = "/api/v1/recruitment"
S = ApplicationState


def payload(region, **overrides):
    data = {
        "legal_name": "广州恒信电子有限公司", "credit_code": next_credit_code(), "partner_type": "distributor",
        "regions": [region.pk], "contact_name": "王强", "contact_email": "wang@hengxin.example",
        "registered_capital": "500.00", "founding_year": 2011, "staff_count": 30, "language": "zh-hans",
    }
    data.update(overrides)
    return data


@pytest.fixture
def api(people):
    return {name: api_client_for(user) for name, user in people.items()}


# --------------------------------------------------------------------------- plans and campaigns


def test_plan_crud_with_targets_and_progress(tenant, api, region, people):
    body = {"name": "2026 华东拓展", "start_date": "2026-01-01", "end_date": "2026-12-31", "budget": "200000.00",
            "owner": people["manager"].pk,
            "targets": [{"region": region.pk, "partner_type": "distributor", "target_count": 10}]}
    response = api["manager"].post(f"{BASE}/plans/", body, format="json")
    assert response.status_code == 201, response.json()
    plan = response.json()
    assert (plan["status"], plan["target_total"], plan["application_count"]) == ("draft", 10, 0)
    response = api["manager"].post(f"{BASE}/plans/{plan['id']}/transition/", {"to_status": "active"}, format="json")
    assert response.json()["status"] == "active"
    progress = api["reviewer2"].get(f"{BASE}/plans/{plan['id']}/progress/").json()
    assert progress["targets"][0]["target_count"] == 10
    assert progress["completion"] == "0.00"


def test_plan_bad_input_is_400_with_field_errors(api):
    response = api["manager"].post(f"{BASE}/plans/", {"name": "", "start_date": "2026-05-01",
                                                      "end_date": "2026-01-01"}, format="json")
    assert response.status_code == 400
    assert "name" in response.json()
    response = api["manager"].post(f"{BASE}/plans/", {"name": "x", "start_date": "2026-05-01",
                                                      "end_date": "2026-01-01"}, format="json")
    assert response.status_code == 400
    assert "end_date" in response.json()


def test_plan_illegal_transition_is_409(tenant, api):
    with tenant_scope(tenant):
        plan = RecruitmentPlanFactory()
    api["manager"].post(f"{BASE}/plans/{plan.pk}/transition/", {"to_status": "closed"}, format="json")
    response = api["manager"].post(f"{BASE}/plans/{plan.pk}/transition/", {"to_status": "active"}, format="json")
    assert response.status_code == 409


def test_roles_are_denied_by_default(tenant, api, member):
    assert api["reviewer2"].post(f"{BASE}/plans/", {}, format="json").status_code == 403  # trainer: read only
    assert api["manager"].post(f"{BASE}/approval-steps/", {"order": 9, "name": "x", "role": "legal"},
                               format="json").status_code == 403  # owner only
    partner_user = api_client_for(member(Role.PARTNER_ADMIN))
    for path in ("plans", "campaigns", "applications", "criteria", "approval-steps"):
        assert partner_user.get(f"{BASE}/{path}/").status_code == 403, path
    assert APIClient().get(f"{BASE}/applications/").status_code in (401, 403)


def test_campaign_code_is_unique_per_tenant_and_funnel_is_served(tenant, other_tenant, api):
    with tenant_scope(tenant):
        plan = RecruitmentPlanFactory()
    with tenant_scope(other_tenant):
        CampaignFactory(code="EXPO2026")  # another tenant's code does not collide
    body = {"plan": plan.pk, "name": "广交会", "code": "expo2026", "source": "exhibition",
            "start_date": "2026-04-15", "cost": "50000"}
    response = api["manager"].post(f"{BASE}/campaigns/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["code"] == "EXPO2026"
    assert api["manager"].post(f"{BASE}/campaigns/", body, format="json").status_code == 400
    funnel = api["manager"].get(f"{BASE}/campaigns/{response.json()['id']}/funnel/").json()
    assert (funnel["application_count"], funnel["cost_per_recruited"]) == (0, None)
    referral = {**body, "code": "REF1", "source": "referral"}
    response = api["manager"].post(f"{BASE}/campaigns/", referral, format="json")
    assert response.status_code == 400 and "referrer" in response.json()


def test_scorecard_template_with_items(tenant, api, criteria):
    body = {"name": "经销商评分卡", "partner_type": "distributor",
            "items": [{"criterion": criteria["a"].pk, "weight": "5", "order": 1},
                      {"criterion": criteria["b"].pk, "order": 2}]}
    response = api["manager"].post(f"{BASE}/scorecard-templates/", body, format="json")
    assert response.status_code == 201, response.json()
    items = response.json()["items"]
    assert [(i["criterion"], i["effective_weight"]) for i in items] == [
        (criteria["a"].pk, "5.00"), (criteria["b"].pk, "1.00")]


# --------------------------------------------------------------------------- applications


def test_integration_key_submits_an_application(tenant, region, django_capture_on_commit_callbacks, mailoutbox):
    issued = api_key_create(tenant=tenant, actor=None, name="CRM", role=Role.CHANNEL_MANAGER)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {issued.secret}")
    with tenant_scope(tenant):
        CampaignFactory(code="WEB2026", source="website")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{BASE}/applications/", payload(region, campaign_code="web2026"), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["state"], data["source"], data["campaign_code"]) == ("submitted", "api", "WEB2026")
    assert len(mailoutbox) == 1
    with tenant_scope(tenant):
        assert Application.objects.get(pk=data["id"]).source == ApplicationSource.API


def test_bad_application_is_400_with_field_errors_and_nothing_saved(tenant, other_tenant, api, region):
    with tenant_scope(other_tenant):
        foreign_region = RegionFactory()
    bad = payload(region, credit_code="91310000MA1234567X", contact_email="nope", regions=[foreign_region.pk])
    response = api["manager"].post(f"{BASE}/applications/", bad, format="json")
    assert response.status_code == 400
    assert {"credit_code", "contact_email", "regions"} <= set(response.json())
    response = api["manager"].post(f"{BASE}/applications/", payload(region, regions=[]), format="json")
    assert response.status_code == 400 and "regions" in response.json()
    response = api["manager"].post(f"{BASE}/applications/", payload(region, campaign_code="NOPE"), format="json")
    assert response.status_code == 400 and "campaign_code" in response.json()
    with tenant_scope(tenant):
        assert Application.objects.count() == 0


def test_application_flow_through_the_api(tenant, api, region, chain, criteria, people, mailoutbox,
                                          django_capture_on_commit_callbacks):
    created = api["manager"].post(f"{BASE}/applications/", payload(region), format="json").json()
    url = f"{BASE}/applications/{created['id']}"
    # Illegal: straight to in_review → 409 with the states named.
    response = api["manager"].post(f"{url}/transition/", {"to_state": "in_review"}, format="json")
    assert response.status_code == 409
    assert response.json()["from_state"] == "submitted"
    for state in ("screening", "scoring"):
        assert api["manager"].post(f"{url}/transition/", {"to_state": state}, format="json").status_code == 200
    response = api["manager"].post(f"{url}/assign-reviewers/",
                                   {"reviewers": [people["reviewer1"].pk, people["reviewer2"].pk]}, format="json")
    assert response.json()["reviewer_count"] == 2
    scores = {"reviewer1": {str(criteria["a"].pk): 4, str(criteria["b"].pk): 7},
              "reviewer2": {str(criteria["a"].pk): 3, str(criteria["b"].pk): 9}}
    bad = api["reviewer1"].post(f"{url}/scorecards/", {"scores": {str(criteria["a"].pk): 9}}, format="json")
    assert bad.status_code == 400 and "scores" in bad.json()
    assert api["reviewer1"].post(f"{url}/scorecards/", {"scores": scores["reviewer1"]},
                                 format="json").status_code == 201
    # Reviewer 2 has not scored yet: sees no other scores, and the summary says it is hidden.
    assert api["reviewer2"].get(f"{url}/scorecards/").json() == []
    assert api["reviewer2"].get(f"{url}/").json()["score_summary"]["hidden"] is True
    assert api["reviewer2"].post(f"{url}/scorecards/", {"scores": scores["reviewer2"]},
                                 format="json").status_code == 201
    assert len(api["reviewer2"].get(f"{url}/scorecards/").json()) == 2
    # Not assigned: 403 with the reason.
    assert api["legal"].post(f"{url}/scorecards/", {"scores": scores["reviewer2"]}, format="json").status_code == 403
    detail = api["director"].get(f"{url}/").json()
    summary = detail["score_summary"]
    assert (summary["average_total"], summary["knocked_out"], summary["hidden"]) == ("72.50", False, False)
    assert [c["spread"] for c in summary["criteria"]] == ["1.00", "2.00"]
    assert api["manager"].post(f"{url}/transition/", {"to_state": "in_review"}, format="json").status_code == 200
    # Wrong role at step 1 → 403; reject without a comment → 400; stale step → 409.
    assert api["director"].post(f"{url}/decide/", {"decision": "approve"}, format="json").status_code == 403
    assert api["manager"].post(f"{url}/decide/", {"decision": "reject"}, format="json").status_code == 400
    response = api["manager"].post(f"{url}/decide/", {"decision": "approve", "step": chain[1].pk}, format="json")
    assert response.status_code == 409
    with django_capture_on_commit_callbacks(execute=True):
        for who, step in (("manager", chain[0]), ("director", chain[1]), ("legal", chain[2])):
            response = api[who].post(f"{url}/decide/", {"decision": "approve", "step": step.pk, "comment": "同意"},
                                     format="json")
            assert response.status_code == 201, response.json()
    detail = api["manager"].get(f"{url}/").json()
    assert detail["state"] == "approved" and detail["partner"]
    assert [d["step"]["order"] for d in detail["decisions"]] == [1, 2, 3]
    # Moving an approved application is a conflict.
    assert api["manager"].post(f"{url}/transition/", {"to_state": "screening"}, format="json").status_code == 409
    history = api["manager"].get(f"{url}/history/").json()
    assert len(history) >= 6
    # Onboarding: tick the required items, the partner becomes active.
    tasks = api["manager"].get(f"{BASE}/onboarding-tasks/", {"partner": detail["partner"]}).json()["results"]
    assert [t["key"] for t in tasks][:3] == ["sign_agreement", "orientation_course", "portal_users"]
    for task in tasks:
        if task["required"]:
            assert api["manager"].post(f"{BASE}/onboarding-tasks/{task['id']}/complete/", {},
                                       format="json").status_code == 200
    partner = api["manager"].get(f"/api/v1/partners/{detail['partner']}/").json()
    assert partner["status"] == PartnerStatus.ACTIVE


def test_partner_admin_sees_only_its_own_checklist(tenant, in_review, people):
    application = in_review()
    from recruitment import services

    with tenant_scope(tenant):
        for who in ("manager", "director", "legal"):
            services.application_decide(application=application, actor=people[who], decision=Decision.APPROVE)
        application.refresh_from_db()
        from tests.factories import PartnerFactory
        from tests.recruitment.factories import OnboardingTaskFactory

        OnboardingTaskFactory(partner=PartnerFactory())  # another partner's item
    partner_admin = make_member(tenant, Role.PARTNER_ADMIN, partner=application.partner)
    client = api_client_for(partner_admin)
    tasks = client.get(f"{BASE}/onboarding-tasks/").json()["results"]
    assert tasks and {t["partner"] for t in tasks} == {application.partner_id}
    assert client.post(f"{BASE}/onboarding-tasks/{tasks[0]['id']}/complete/", {}, format="json").status_code == 403


def test_activate_partner_early_needs_a_reason(tenant, in_review, people, api):
    from recruitment import services

    application = in_review()
    with tenant_scope(tenant):
        for who in ("manager", "director", "legal"):
            services.application_decide(application=application, actor=people[who], decision=Decision.APPROVE)
        application.refresh_from_db()
    with tenant_scope(tenant):
        task = application.partner.onboarding_tasks.first()
    url = f"{BASE}/onboarding-tasks/{task.pk}/activate-partner/"
    assert api["manager"].post(url, {"reason": ""}, format="json").status_code == 400
    assert api["reviewer2"].post(url, {"reason": "x"}, format="json").status_code == 403
    response = api["manager"].post(url, {"reason": "战略客户"}, format="json")
    assert response.status_code == 200
    with tenant_scope(tenant):
        application.partner.refresh_from_db()
        assert application.partner.status == PartnerStatus.ACTIVE


def test_messages_and_documents(tenant, api, submit, mailoutbox, django_capture_on_commit_callbacks):
    application = submit()
    url = f"{BASE}/applications/{application.pk}"
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = api["legal"].post(f"{url}/messages/", {"body": "请说明注册资本实缴情况"}, format="json")
    assert response.status_code == 201 and response.json()["sender"] == "reviewer"
    assert len(mailoutbox) == 1
    assert api["manager"].get(f"{url}/messages/").json()[0]["body"] == "请说明注册资本实缴情况"
    assert api["reviewer2"].post(f"{url}/messages/", {"body": "x"}, format="json").status_code == 403
    upload = SimpleUploadedFile("cert.pdf", PDF_BYTES)
    response = api["manager"].post(f"{url}/documents/", {"kind": "qualification", "file": upload}, format="multipart")
    assert response.status_code == 201, response.json()
    bad = SimpleUploadedFile("cert.pdf", b"GIF89a....")
    response = api["manager"].post(f"{url}/documents/", {"kind": "qualification", "file": bad}, format="multipart")
    assert response.status_code == 400
    documents = api["manager"].get(f"{url}/documents/").json()
    assert [d["original_name"] for d in documents] == ["licence.pdf", "cert.pdf"]


def test_application_filters(tenant, api, region, submit):
    with tenant_scope(tenant):
        shanghai = RegionFactory(code="SH", parent=region, level="province")
        west = RegionFactory(code="WEST")
        campaign = CampaignFactory(code="ADS")
    first = submit(legal_name="上海星辰科技有限公司", regions=[shanghai])
    dup = submit(legal_name="上海星辰科技股份有限公司", regions=[west], partner_type="retailer")
    with tenant_scope(tenant):
        tagged = ApplicationFactory(campaign=campaign, regions=[west])
        move(tagged, S.SUBMITTED)

    def ids(**params):
        return {row["id"] for row in api["manager"].get(f"{BASE}/applications/", params).json()["results"]}

    assert ids(region=region.pk) == {first.pk}
    assert ids(has_duplicates="true") == {first.pk, dup.pk}  # flagged both ways
    assert ids(has_duplicates="false") == {tagged.pk}
    assert ids(campaign=campaign.pk) == {tagged.pk}
    assert ids(plan=campaign.plan_id) == {tagged.pk}
    assert ids(partner_type="retailer") == {dup.pk}
    assert ids(state="submitted") == {first.pk, dup.pk, tagged.pk}
    assert ids(submitted_after="2000-01-01", q="星辰") == {first.pk, dup.pk}
    assert ids(submitted_before="2000-01-01") == set()
    assert api["manager"].get(f"{BASE}/applications/", {"state": "nonsense"}).status_code == 400


def test_other_tenants_applications_are_404(tenant, other_tenant, api):
    with tenant_scope(other_tenant):
        theirs = ApplicationFactory()
    assert api["manager"].get(f"{BASE}/applications/{theirs.pk}/").status_code == 404
    response = api["manager"].post(f"{BASE}/applications/{theirs.pk}/transition/", {"to_state": "submitted"},
                                   format="json")
    assert response.status_code == 404


# --------------------------------------------------------------------------- query counts


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_application_list_query_count_is_constant(tenant, api, region, chain):
    with tenant_scope(tenant):
        plan = RecruitmentPlanFactory()
        ApplicationFactory(campaign=CampaignFactory(plan=plan), regions=[region])
    few = _queries(api["manager"], f"{BASE}/applications/")
    with tenant_scope(tenant):
        for _ in range(8):
            app = ApplicationFactory(campaign=CampaignFactory(plan=plan), regions=[region, RegionFactory()])
            move(app, S.SUBMITTED, S.SCREENING, S.SCORING, S.IN_REVIEW)
    assert _queries(api["manager"], f"{BASE}/applications/") == few


def test_plan_list_and_progress_query_counts_are_constant(tenant, api, region):
    with tenant_scope(tenant):
        plan = RecruitmentPlanFactory()
        RecruitmentTargetFactory(plan=plan, region=region)
        CampaignFactory(plan=plan)
    list_few = _queries(api["manager"], f"{BASE}/plans/")
    progress_few = _queries(api["manager"], f"{BASE}/plans/{plan.pk}/progress/")
    campaigns_few = _queries(api["manager"], f"{BASE}/campaigns/")
    with tenant_scope(tenant):
        for n in range(6):
            RecruitmentTargetFactory(plan=plan, region=RegionFactory(), target_count=n + 1)
            other = RecruitmentPlanFactory(budget=Decimal(n))
            CampaignFactory(plan=other)
            ApplicationFactory(campaign=CampaignFactory(plan=plan), regions=[region])
    assert _queries(api["manager"], f"{BASE}/plans/") == list_few
    assert _queries(api["manager"], f"{BASE}/plans/{plan.pk}/progress/") == progress_few
    assert _queries(api["manager"], f"{BASE}/campaigns/") == campaigns_few
    with tenant_scope(tenant):
        assert RecruitmentPlan.objects.count() == 7


def test_approving_a_second_step_of_the_round_is_refused_with_the_rule(tenant, in_review, people):
    from channelhub.tenancy.models import Membership

    application = in_review()
    with tenant_scope(tenant):
        Membership.objects.create(user=people["manager"], role="owner")
    client = api_client_for(people["manager"])
    url = f"/api/v1/recruitment/applications/{application.pk}/decide/"
    assert client.post(url, {"decision": "approve"}, format="json").status_code == 201
    refused = client.post(url, {"decision": "approve"}, format="json")
    assert refused.status_code == 403
    assert "One person approves one step per round" in refused.json()["detail"]


def test_remove_reviewers_through_the_api(tenant, api, submit, criteria, people):
    from recruitment import services
    from recruitment.models import ReviewerAssignment

    application = submit()
    with tenant_scope(tenant):
        move(application, S.SCREENING, S.SCORING)
        services.application_assign_reviewers(application=application,
                                              reviewers=[people["reviewer1"], people["reviewer2"]], actor=None)
        services.scorecard_submit(application=application, reviewer=people["reviewer1"],
                                  scores={criteria["a"].pk: 4, criteria["b"].pk: 7})
    url = f"{BASE}/applications/{application.pk}/remove-reviewers/"
    refused = api["manager"].post(url, {"reviewers": [people["reviewer1"].pk]}, format="json")
    assert refused.status_code == 400
    assert "already submitted a scorecard" in str(refused.json()["reviewers"])
    assert api["reviewer2"].post(url, {"reviewers": [people["reviewer2"].pk]}, format="json").status_code == 403
    done = api["manager"].post(url, {"reviewers": [people["reviewer2"].pk]}, format="json")
    assert done.status_code == 200
    with tenant_scope(tenant):
        assert list(ReviewerAssignment.objects.values_list("reviewer_id", flat=True)) == [people["reviewer1"].pk]
