"""The recruitment admin: pages render, scoped to the tenant; actions call the services."""

from __future__ import annotations

import pytest
from django.test import Client

from channelhub.tenancy.context import tenant_scope
from recruitment.models import Application, ApplicationState, ApprovalDecision, ReviewerAssignment

from .factories import ApplicationFactory, CampaignFactory, RecruitmentTargetFactory

ADMIN = "/admin/recruitment"


@pytest.fixture
def admin_as(people):
    def login(who):
        client = Client()
        client.force_login(people[who])
        return client

    return login


@pytest.mark.parametrize(
    "page",
    ["recruitmentplan", "campaign", "criterion", "scorecardtemplate", "approvalstep", "onboardingtasktemplate",
     "application", "onboardingtask"],
)
def test_changelists_render(tenant, admin_as, page, region, chain):
    with tenant_scope(tenant):
        RecruitmentTargetFactory(region=region)
        CampaignFactory()
        ApplicationFactory(regions=[region])
    response = admin_as("manager").get(f"{ADMIN}/{page}/")
    assert response.status_code == 200, page


def test_application_change_page_shows_evaluation_and_duplicates(tenant, admin_as, in_review, submit):
    first = submit(legal_name="上海星辰科技有限公司")
    application = in_review(legal_name="上海星辰科技股份有限公司")
    response = admin_as("director").get(f"{ADMIN}/application/{application.pk}/change/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Possible duplicate" in page
    assert f"/admin/recruitment/application/{first.pk}/change/" in page
    assert "72.50" in page  # the average weighted total of the two scorecards
    assert "licence.pdf" in page


def test_other_tenants_application_is_not_found(tenant, other_tenant, admin_as):
    with tenant_scope(other_tenant):
        theirs = ApplicationFactory()
    response = admin_as("manager").get(f"{ADMIN}/application/{theirs.pk}/change/")
    assert response.status_code in (302, 404)
    assert "上海" not in admin_as("manager").get(f"{ADMIN}/application/").content.decode()


def test_assign_reviewers_action_with_intermediate_form(tenant, admin_as, submit, people):
    application = submit()
    client = admin_as("manager")
    url = f"{ADMIN}/application/"
    first = client.post(url, {"action": "assign_reviewers", "_selected_action": [application.pk]})
    assert first.status_code == 200 and "reviewer1" in first.content.decode()
    done = client.post(url, {"action": "assign_reviewers", "_selected_action": [application.pk], "apply": "1",
                             "reviewers": [people["reviewer1"].pk, people["reviewer2"].pk]})
    assert done.status_code == 302
    with tenant_scope(tenant):
        assert ReviewerAssignment.objects.filter(application=application).count() == 2


def test_bulk_approve_and_reject_with_a_comment(tenant, admin_as, in_review):
    one, two = in_review(), in_review(legal_name="杭州远大贸易有限公司")
    client = admin_as("manager")
    url = f"{ADMIN}/application/"
    response = client.post(url, {"action": "approve", "_selected_action": [one.pk], "apply": "1",
                                 "comment": "资质齐全"})
    assert response.status_code == 302
    response = client.post(url, {"action": "reject", "_selected_action": [two.pk], "apply": "1",
                                 "comment": "区域已饱和"}, follow=True)
    assert response.status_code == 200
    with tenant_scope(tenant):
        one.refresh_from_db()
        two.refresh_from_db()
        assert one.current_step.order == 2
        assert two.state == ApplicationState.REJECTED
        assert ApprovalDecision.objects.get(application=two).comment == "区域已饱和"
    # The director cannot decide a step-1 application: refused per row, nothing changes.
    three = in_review(legal_name="成都天府电器有限公司")
    admin_as("director").post(url, {"action": "approve", "_selected_action": [three.pk], "apply": "1"})
    with tenant_scope(tenant):
        assert Application.objects.get(pk=three.pk).current_step.order == 1


def test_move_state_action_reports_illegal_moves(tenant, admin_as, submit):
    application = submit()
    client = admin_as("manager")
    response = client.post(f"{ADMIN}/application/", {"action": "move_state", "_selected_action": [application.pk],
                                                      "apply": "1", "to_state": "in_review"}, follow=True)
    assert "Cannot change" in response.content.decode()
    client.post(f"{ADMIN}/application/", {"action": "move_state", "_selected_action": [application.pk],
                                           "apply": "1", "to_state": "screening"})
    with tenant_scope(tenant):
        assert Application.objects.get(pk=application.pk).state == ApplicationState.SCREENING


def test_trainer_cannot_change_but_can_view(tenant, admin_as, submit):
    application = submit()
    client = admin_as("reviewer2")  # a trainer
    assert client.get(f"{ADMIN}/application/{application.pk}/change/").status_code == 200
    client.post(f"{ADMIN}/application/", {"action": "move_state", "_selected_action": [application.pk],
                                           "apply": "1", "to_state": "screening"})
    with tenant_scope(tenant):
        assert Application.objects.get(pk=application.pk).state == ApplicationState.SUBMITTED


@pytest.mark.parametrize(
    "page", ["recruitmentplan", "campaign", "criterion", "scorecardtemplate", "onboardingtasktemplate"]
)
def test_add_pages_render(tenant, admin_as, page):
    assert admin_as("manager").get(f"{ADMIN}/{page}/add/").status_code == 200
    assert admin_as("director").get(f"{ADMIN}/approvalstep/add/").status_code == 200


def test_plan_change_page_with_targets(tenant, admin_as, region):
    with tenant_scope(tenant):
        target = RecruitmentTargetFactory(region=region)
    response = admin_as("manager").get(f"{ADMIN}/recruitmentplan/{target.plan_id}/change/")
    assert response.status_code == 200


def test_editing_company_data_in_the_admin_goes_through_the_service(tenant, admin_as, submit):
    application = submit()
    client = admin_as("manager")
    url = f"{ADMIN}/application/{application.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {name: (value if value is not None else "") for name, value in form.initial.items()
            if name in form.fields}
    data.update({"staff_count": 99})
    for inline in client.get(url).context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        for name, value in inline.formset.management_form.initial.items():
            data[f"{prefix}-{name}"] = value
        for index, inline_form in enumerate(inline.formset.forms):
            for name, value in inline_form.initial.items():
                data[f"{prefix}-{index}-{name}"] = value if value is not None else ""
            if inline_form.instance.pk:
                data[f"{prefix}-{index}-id"] = inline_form.instance.pk
    response = client.post(url, data)
    errors = [f.formset.errors for f in response.context["inline_admin_formsets"]] if response.context else ""
    assert response.status_code == 302, errors
    with tenant_scope(tenant):
        fresh = Application.objects.get(pk=application.pk)
        assert fresh.staff_count == 99
        assert fresh.history.first().history_change_reason == "Updated"


def test_pending_reviewer_sees_no_scores_in_the_admin(tenant, admin_as, submit, criteria, people):
    from recruitment import services

    from .conftest import move

    application = submit()
    with tenant_scope(tenant):
        move(application, ApplicationState.SCREENING, ApplicationState.SCORING)
        services.application_assign_reviewers(application=application,
                                              reviewers=[people["reviewer1"], people["reviewer2"]], actor=None)
        services.scorecard_submit(application=application, reviewer=people["reviewer1"],
                                  scores={criteria["a"].pk: 4, criteria["b"].pk: 7})
    url = f"{ADMIN}/application/{application.pk}/change/"
    pending = admin_as("reviewer2").get(url).content.decode()
    assert "77.50" not in pending and "Average weighted total" not in pending
    assert "77.50" in admin_as("reviewer1").get(url).content.decode()
    assert "77.50" in admin_as("director").get(url).content.decode()


@pytest.mark.parametrize(("language", "header"), [("zh-hans", "区域"), ("en", "Region")])
def test_regions_wanted_inline_header_is_translated(tenant, people, submit, language, header):
    application = submit()
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.cookies["django_language"] = language
    client.force_login(people["manager"])
    response = client.get(f"{ADMIN}/application/{application.pk}/change/")
    assert response.status_code == 200
    inline = next(i for i in response.context["inline_admin_formsets"] if i.opts.model.__name__ == "ApplicationRegion")
    assert [str(field["label"]) for field in inline.fields()] == [header]
    assert f"{header}\n" in response.content.decode() or f">{header}" in response.content.decode()


def test_remove_reviewers_action_refuses_one_who_scored(tenant, admin_as, submit, criteria, people):
    from recruitment import services

    from .conftest import move

    application = submit()
    with tenant_scope(tenant):
        move(application, ApplicationState.SCREENING, ApplicationState.SCORING)
        services.application_assign_reviewers(application=application,
                                              reviewers=[people["reviewer1"], people["reviewer2"]], actor=None)
        services.scorecard_submit(application=application, reviewer=people["reviewer1"],
                                  scores={criteria["a"].pk: 4, criteria["b"].pk: 7})
    client = admin_as("manager")
    url = f"{ADMIN}/application/"
    form = client.post(url, {"action": "remove_reviewers", "_selected_action": [application.pk]})
    with tenant_scope(tenant):
        choices = [user.username for user in form.context["form"].fields["reviewers"].queryset]
    assert choices == ["reviewer1", "reviewer2"]  # the assigned reviewers only
    refused = client.post(url, {"action": "remove_reviewers", "_selected_action": [application.pk], "apply": "1",
                                "reviewers": [people["reviewer1"].pk]}, follow=True)
    assert "reviewer1) already submitted a scorecard" in refused.content.decode()
    done = client.post(url, {"action": "remove_reviewers", "_selected_action": [application.pk], "apply": "1",
                             "reviewers": [people["reviewer2"].pk]}, follow=True)
    assert "Reviewers removed from 1 application." in done.content.decode()
    with tenant_scope(tenant):
        assert list(ReviewerAssignment.objects.values_list("reviewer__username", flat=True)) == ["reviewer1"]


def test_an_earlier_application_shows_the_later_duplicate_in_the_readers_language(tenant, people, submit):
    first = submit(legal_name="上海星辰科技有限公司")
    later = submit(legal_name="上海星辰科技股份有限公司")
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.cookies["django_language"] = "zh-hans"
    client.force_login(people["manager"])
    page = client.get(f"{ADMIN}/application/{first.pk}/change/").content.decode()
    assert f"/admin/recruitment/application/{later.pk}/change/" in page
    assert "上海星辰科技股份有限公司" in page and "· 已提交" in page
