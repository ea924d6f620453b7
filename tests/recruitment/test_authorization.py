"""Who may do what in recruitment: one permission table, checked by the services and offered
the same way by the admin and the API.

For every state-changing service, the roles its permission names succeed and every other role
(partner administrators included) is refused with nothing changed; the admin offers an action
only to those roles, and a forged POST of an action that is not offered changes nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.test import Client

from channelhub.partners.models import Partner, PartnerStatus
from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.roles import STAFF_ROLES, Role
from recruitment import services
from recruitment.models import (
    Application,
    ApplicationMessage,
    ApplicationRegion,
    ApplicationSource,
    ApplicationState,
    ApprovalStep,
    Campaign,
    CampaignStatus,
    Criterion,
    CriterionCategory,
    OnboardingTask,
    OnboardingTaskTemplate,
    PlanStatus,
    RecruitmentPlan,
    RecruitmentTarget,
    ReviewerAssignment,
    ScorecardTemplate,
    TemplateCriterion,
)
from recruitment.permissions import (
    APPLICATION_DECIDE,
    APPLICATION_MANAGE,
    APPLICATION_QUESTION,
    APPROVAL_CHAIN_MANAGE,
    ONBOARDING_MANAGE,
    PLAN_MANAGE,
    SETUP_MANAGE,
)
from tests.conftest import api_client_for, make_member
from tests.factories import PartnerFactory, RegionFactory, next_credit_code

from .conftest import pdf
from .factories import (
    ApplicationFactory,
    ApprovalStepFactory,
    CampaignFactory,
    CriterionFactory,
    OnboardingTaskFactory,
    OnboardingTaskTemplateFactory,
    RecruitmentPlanFactory,
    RecruitmentTargetFactory,
    ReviewerAssignmentFactory,
    ScorecardTemplateFactory,
    TemplateCriterionFactory,
)

S = ApplicationState
ROLES = [Role.OWNER, Role.CHANNEL_MANAGER, Role.TRAINER, Role.LEGAL, Role.FINANCE, Role.PARTNER_ADMIN]
ADMIN = "/admin/recruitment"
API = "/api/v1/recruitment"


@pytest.fixture
def user_with(tenant):
    """``user_with(role)`` → one user of ``tenant`` holding only that role (made once per role)."""
    made: dict[str, Any] = {}

    def get(role):
        if role not in made:
            made[role] = make_member(tenant, role, username=f"as-{role}")
        return made[role]

    return get


# --------------------------------------------------------------------------- services, role by role


@dataclass
class Ctx:
    tenant: Any
    region: Any
    reviewer: Any


@dataclass(frozen=True)
class Case:
    permission: Any
    setup: Callable[[Ctx], Any]
    act: Callable[[Ctx, Any, Any], Any]
    # What a refused call must leave unchanged (read again from the database).
    state: Callable[[Ctx, Any], Any]


def _submitted(ctx):
    return ApplicationFactory(state=S.SUBMITTED, regions=[ctx.region])


def _assigned(ctx):
    application = _submitted(ctx)
    ReviewerAssignmentFactory(application=application, reviewer=ctx.reviewer)
    return application


def _duplicated(ctx):
    application = _submitted(ctx)
    PartnerFactory(credit_code=application.credit_code)  # what the check will find
    return application


def _onboarding_task(ctx, done=False):
    partner = PartnerFactory(status=PartnerStatus.ONBOARDING)
    return OnboardingTaskFactory(partner=partner, required=True,
                                 done_at=datetime.datetime(2026, 5, 1, tzinfo=datetime.UTC) if done else None)


def _application_data(ctx, **extra):
    return {"legal_name": "苏州新宇电子有限公司", "credit_code": next_credit_code(), "partner_type": "distributor",
            "contact_name": "赵敏", "contact_email": "zhao@xinyu.example", "regions": [ctx.region], **extra}


def _count(model):
    return lambda ctx, obj: model.objects.count()


def _field(model, name):
    return lambda ctx, obj: model.objects.filter(pk=obj.pk).values_list(name, flat=True).first()


def _exists(model):
    return lambda ctx, obj: model.objects.filter(pk=obj.pk).exists()


CASES = {
    # plans, targets, campaigns
    "plan_create": Case(
        PLAN_MANAGE, lambda ctx: None,
        lambda ctx, obj, actor: services.plan_create(
            tenant=ctx.tenant, actor=actor, name="2027 计划", start_date=datetime.date(2027, 1, 1),
            end_date=datetime.date(2027, 12, 31)),
        _count(RecruitmentPlan)),
    "plan_update": Case(
        PLAN_MANAGE, lambda ctx: RecruitmentPlanFactory(),
        lambda ctx, obj, actor: services.plan_update(plan=obj, actor=actor, name="改名"),
        _field(RecruitmentPlan, "name")),
    "plan_transition": Case(
        PLAN_MANAGE, lambda ctx: RecruitmentPlanFactory(),
        lambda ctx, obj, actor: services.plan_transition(plan=obj, to_status=PlanStatus.ACTIVE, actor=actor),
        _field(RecruitmentPlan, "status")),
    "plan_delete": Case(
        PLAN_MANAGE, lambda ctx: RecruitmentPlanFactory(),
        lambda ctx, obj, actor: services.plan_delete(plan=obj, actor=actor), _exists(RecruitmentPlan)),
    "target_create": Case(
        PLAN_MANAGE, lambda ctx: RecruitmentPlanFactory(),
        lambda ctx, obj, actor: services.target_create(
            tenant=ctx.tenant, actor=actor, plan=obj, region=ctx.region, partner_type="distributor",
            target_count=3),
        _count(RecruitmentTarget)),
    "target_update": Case(
        PLAN_MANAGE, lambda ctx: RecruitmentTargetFactory(region=ctx.region),
        lambda ctx, obj, actor: services.target_update(target=obj, actor=actor, target_count=9),
        _field(RecruitmentTarget, "target_count")),
    "target_delete": Case(
        PLAN_MANAGE, lambda ctx: RecruitmentTargetFactory(region=ctx.region),
        lambda ctx, obj, actor: services.target_delete(target=obj, actor=actor), _exists(RecruitmentTarget)),
    "campaign_create": Case(
        PLAN_MANAGE, lambda ctx: RecruitmentPlanFactory(),
        lambda ctx, obj, actor: services.campaign_create(
            tenant=ctx.tenant, actor=actor, plan=obj, name="展会", code="FAIR27", source="exhibition",
            start_date=datetime.date(2027, 3, 1), cost=Decimal("1000")),
        _count(Campaign)),
    "campaign_update": Case(
        PLAN_MANAGE, lambda ctx: CampaignFactory(),
        lambda ctx, obj, actor: services.campaign_update(campaign=obj, actor=actor, name="改名"),
        _field(Campaign, "name")),
    "campaign_transition": Case(
        PLAN_MANAGE, lambda ctx: CampaignFactory(),
        lambda ctx, obj, actor: services.campaign_transition(
            campaign=obj, to_status=CampaignStatus.RUNNING, actor=actor),
        _field(Campaign, "status")),
    "campaign_delete": Case(
        PLAN_MANAGE, lambda ctx: CampaignFactory(),
        lambda ctx, obj, actor: services.campaign_delete(campaign=obj, actor=actor), _exists(Campaign)),
    # criteria, scorecard templates, onboarding checklist
    "criterion_create": Case(
        SETUP_MANAGE, lambda ctx: None,
        lambda ctx, obj, actor: services.criterion_create(
            tenant=ctx.tenant, actor=actor, category=CriterionCategory.EXPERIENCE, name="新条件",
            weight=Decimal("1"), scale_max=5),
        _count(Criterion)),
    "criterion_update": Case(
        SETUP_MANAGE, lambda ctx: CriterionFactory(),
        lambda ctx, obj, actor: services.criterion_update(criterion=obj, actor=actor, weight=Decimal("4")),
        _field(Criterion, "weight")),
    "criterion_delete": Case(
        SETUP_MANAGE, lambda ctx: CriterionFactory(),
        lambda ctx, obj, actor: services.criterion_delete(criterion=obj, actor=actor), _exists(Criterion)),
    "scorecard_template_create": Case(
        SETUP_MANAGE, lambda ctx: CriterionFactory(),
        lambda ctx, obj, actor: services.scorecard_template_create(
            tenant=ctx.tenant, actor=actor, name="模板", partner_type="", items=[{"criterion": obj}]),
        _count(ScorecardTemplate)),
    "scorecard_template_update": Case(
        SETUP_MANAGE, lambda ctx: ScorecardTemplateFactory(),
        lambda ctx, obj, actor: services.scorecard_template_update(template=obj, actor=actor, name="改名"),
        _field(ScorecardTemplate, "name")),
    "scorecard_template_delete": Case(
        SETUP_MANAGE, lambda ctx: ScorecardTemplateFactory(),
        lambda ctx, obj, actor: services.scorecard_template_delete(template=obj, actor=actor),
        _exists(ScorecardTemplate)),
    "template_criterion_create": Case(
        SETUP_MANAGE, lambda ctx: ScorecardTemplateFactory(),
        lambda ctx, obj, actor: services.template_criterion_create(
            tenant=ctx.tenant, actor=actor, template=obj, criterion=CriterionFactory(), order=1),
        _count(TemplateCriterion)),
    "template_criterion_update": Case(
        SETUP_MANAGE, lambda ctx: TemplateCriterionFactory(),
        lambda ctx, obj, actor: services.template_criterion_update(row=obj, actor=actor, weight=Decimal("2")),
        _field(TemplateCriterion, "weight")),
    "template_criterion_delete": Case(
        SETUP_MANAGE, lambda ctx: TemplateCriterionFactory(),
        lambda ctx, obj, actor: services.template_criterion_delete(row=obj, actor=actor),
        _exists(TemplateCriterion)),
    "onboarding_template_create": Case(
        SETUP_MANAGE, lambda ctx: None,
        lambda ctx, obj, actor: services.onboarding_template_create(
            tenant=ctx.tenant, actor=actor, key="visit", name="实地拜访"),
        _count(OnboardingTaskTemplate)),
    "onboarding_template_update": Case(
        SETUP_MANAGE, lambda ctx: OnboardingTaskTemplateFactory(),
        lambda ctx, obj, actor: services.onboarding_template_update(template=obj, actor=actor, name="改名"),
        _field(OnboardingTaskTemplate, "name")),
    "onboarding_template_delete": Case(
        SETUP_MANAGE, lambda ctx: OnboardingTaskTemplateFactory(),
        lambda ctx, obj, actor: services.onboarding_template_delete(template=obj, actor=actor),
        _exists(OnboardingTaskTemplate)),
    # the approval chain: owners only
    "approval_step_create": Case(
        APPROVAL_CHAIN_MANAGE, lambda ctx: None,
        lambda ctx, obj, actor: services.approval_step_create(
            tenant=ctx.tenant, actor=actor, order=9, name="财务复核", role=Role.FINANCE),
        _count(ApprovalStep)),
    "approval_step_update": Case(
        APPROVAL_CHAIN_MANAGE, lambda ctx: ApprovalStepFactory(),
        lambda ctx, obj, actor: services.approval_step_update(step=obj, actor=actor, role=Role.FINANCE),
        _field(ApprovalStep, "role")),
    "approval_step_delete": Case(
        APPROVAL_CHAIN_MANAGE, lambda ctx: ApprovalStepFactory(),
        lambda ctx, obj, actor: services.approval_step_delete(step=obj, actor=actor), _exists(ApprovalStep)),
    # applications
    "application_create": Case(
        APPLICATION_MANAGE, lambda ctx: None,
        lambda ctx, obj, actor: services.application_create(
            tenant=ctx.tenant, actor=actor, data=_application_data(ctx)),
        _count(Application)),
    "application_submit": Case(
        APPLICATION_MANAGE, lambda ctx: None,
        lambda ctx, obj, actor: services.application_submit(
            tenant=ctx.tenant, actor=actor, data=_application_data(ctx), source=ApplicationSource.STAFF),
        _count(Application)),
    "application_update": Case(
        APPLICATION_MANAGE, _submitted,
        lambda ctx, obj, actor: services.application_update(
            application=obj, actor=actor, data={"contact_phone": "13700000000"}),
        _field(Application, "contact_phone")),
    "application_region_add": Case(
        APPLICATION_MANAGE, _submitted,
        lambda ctx, obj, actor: services.application_region_add(
            application=obj, region=RegionFactory(), actor=actor),
        _count(ApplicationRegion)),
    "application_region_remove": Case(
        APPLICATION_MANAGE, _submitted,
        lambda ctx, obj, actor: services.application_region_remove(
            row=ApplicationRegion.objects.get(application=obj), actor=actor),
        _count(ApplicationRegion)),
    "application_add_document": Case(
        APPLICATION_MANAGE, _submitted,
        lambda ctx, obj, actor: services.application_add_document(
            application=obj, kind="business_licence", file=pdf(), actor=actor),
        lambda ctx, obj: obj.documents.count()),
    "application_check_duplicates": Case(
        APPLICATION_MANAGE, _duplicated,
        lambda ctx, obj, actor: services.application_check_duplicates(application=obj, actor=actor),
        _field(Application, "duplicate_flags")),
    "application_transition": Case(
        APPLICATION_MANAGE, _submitted,
        lambda ctx, obj, actor: services.application_transition(
            application=obj, to_state=S.SCREENING, actor=actor),
        _field(Application, "state")),
    "application_withdraw": Case(
        APPLICATION_MANAGE, _submitted,
        lambda ctx, obj, actor: services.application_withdraw(application=obj, actor=actor),
        _field(Application, "state")),
    "application_assign_reviewers": Case(
        APPLICATION_MANAGE, _submitted,
        lambda ctx, obj, actor: services.application_assign_reviewers(
            application=obj, reviewers=[ctx.reviewer], actor=actor),
        _count(ReviewerAssignment)),
    "application_remove_reviewers": Case(
        APPLICATION_MANAGE, _assigned,
        lambda ctx, obj, actor: services.application_remove_reviewers(
            application=obj, reviewers=[ctx.reviewer], actor=actor),
        _count(ReviewerAssignment)),
    "application_ask_question": Case(
        APPLICATION_QUESTION, _submitted,
        lambda ctx, obj, actor: services.application_ask_question(application=obj, actor=actor, body="年销售额？"),
        _count(ApplicationMessage)),
    # onboarding
    "onboarding_task_complete": Case(
        ONBOARDING_MANAGE, _onboarding_task,
        lambda ctx, obj, actor: services.onboarding_task_complete(partner=obj.partner, key=obj.key, actor=actor),
        _field(OnboardingTask, "done_at")),
    "onboarding_task_reopen": Case(
        ONBOARDING_MANAGE, lambda ctx: _onboarding_task(ctx, done=True),
        lambda ctx, obj, actor: services.onboarding_task_reopen(task=obj, actor=actor),
        _field(OnboardingTask, "done_at")),
    "onboarding_task_update": Case(
        ONBOARDING_MANAGE, _onboarding_task,
        lambda ctx, obj, actor: services.onboarding_task_update(task=obj, actor=actor, note="合同已寄出"),
        _field(OnboardingTask, "note")),
    "partner_activate_early": Case(
        ONBOARDING_MANAGE, _onboarding_task,
        lambda ctx, obj, actor: services.partner_activate_early(partner=obj.partner, actor=actor, reason="战略客户"),
        lambda ctx, obj: Partner.objects.get(pk=obj.partner_id).status),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_service_admits_exactly_the_roles_its_permission_names(tenant, user_with, name):
    case = CASES[name]
    actors = {role: user_with(role) for role in ROLES}
    reviewer = make_member(tenant, Role.CHANNEL_MANAGER, username="the-reviewer")
    with tenant_scope(tenant):
        ctx = Ctx(tenant=tenant, region=RegionFactory(code="EAST"), reviewer=reviewer)
        obj = case.setup(ctx)
        before = case.state(ctx, obj)
        for role in ROLES:
            if role not in case.permission.roles:
                with pytest.raises(PermissionDenied, match="You are not allowed to"):
                    case.act(ctx, obj, actors[role])
                assert case.state(ctx, obj) == before, f"{name} refused to {role} still changed something"
        for role in sorted(case.permission.roles):
            # Each admitted role starts from the same row: its change is rolled back after the check.
            with transaction.atomic():
                fresh = type(obj).objects.get(pk=obj.pk) if obj is not None else None
                case.act(ctx, fresh, actors[role])
                assert case.state(ctx, obj) != before, f"{name} by {role} changed nothing"
                transaction.set_rollback(True)


def test_the_table_keeps_the_demo_findings_closed():
    """The roles the demo showed could close plans or start campaigns are not in the table."""
    for role in (Role.FINANCE, Role.TRAINER, Role.LEGAL):
        assert role not in PLAN_MANAGE.roles
    assert APPROVAL_CHAIN_MANAGE.roles == {Role.OWNER}


# --------------------------------------------------------------------------- the rules on top of the table


def test_the_applicant_and_the_system_act_without_an_account(tenant, submit, region):
    """Public form, answers and withdrawal by the applicant, milestones ticking checklists: actor=None."""
    application = submit()
    with tenant_scope(tenant):
        question = services.application_ask_question(
            application=application, actor=make_member(tenant, Role.LEGAL), body="请提供营业执照副本。")
        services.application_answer(application=application, body="已上传。", reply_to=question)
        services.application_withdraw(application=application, actor=None, reason="不再考虑")
        task = _onboarding_task(None)
        services.onboarding_task_complete(partner=task.partner, key=task.key, actor=None,
                                          source="cooperation.agreement")
        assert Application.objects.get(pk=application.pk).state == S.WITHDRAWN
        assert OnboardingTask.objects.get(pk=task.pk).done_at is not None
        # The only required item is done: the partner became active as part of the milestone.
        assert Partner.objects.get(pk=task.partner_id).status == PartnerStatus.ACTIVE


def test_only_staff_may_decide_and_then_only_at_their_own_step(tenant, in_review, user_with):
    application = in_review()
    with tenant_scope(tenant):
        with pytest.raises(PermissionDenied, match="You are not allowed to"):
            services.application_decide(application=application, actor=user_with(Role.PARTNER_ADMIN),
                                        decision="approve")
        # Finance may decide at all (a step may name its role), but step 1 is the channel manager's.
        assert Role.FINANCE in APPLICATION_DECIDE.roles
        with pytest.raises(PermissionDenied, match="is decided by the role"):
            services.application_decide(application=application, actor=user_with(Role.FINANCE),
                                        decision="approve")
        assert Application.objects.get(pk=application.pk).current_step.order == 1


def test_only_assigned_staff_score(tenant, submit, criteria, people, user_with):
    from .conftest import move

    application = submit()
    with tenant_scope(tenant):
        move(application, S.SCREENING, S.SCORING, actor=people["manager"])
        services.application_assign_reviewers(application=application, reviewers=[people["reviewer2"]],
                                              actor=people["manager"])
        scores = {criteria["a"].pk: 4, criteria["b"].pk: 8}
        with pytest.raises(PermissionDenied, match="You are not allowed to"):
            services.scorecard_submit(application=application, reviewer=user_with(Role.PARTNER_ADMIN),
                                      scores=scores)
        with pytest.raises(PermissionDenied, match="not a reviewer"):
            services.scorecard_submit(application=application, reviewer=people["manager"], scores=scores)
        services.scorecard_submit(application=application, reviewer=people["reviewer2"], scores=scores)


def test_a_legal_reviewer_approving_the_last_step_creates_the_partner(tenant, in_review, people):
    """Creating the partner, its contact and portal access is part of the approval, not the legal role's own right."""
    application = in_review()
    with tenant_scope(tenant):
        for who in ("manager", "director", "legal"):
            application.refresh_from_db()
            services.application_decide(application=application, actor=people[who], decision="approve")
        application.refresh_from_db()
        assert application.state == S.APPROVED
        assert application.partner.status == PartnerStatus.ONBOARDING
        assert application.partner.contacts.filter(email=application.contact_email).exists()


# --------------------------------------------------------------------------- the admin offers the same table


ADMIN_ACTIONS = {
    "recruitmentplan": {"activate": PLAN_MANAGE, "close": PLAN_MANAGE},
    "campaign": {"start": PLAN_MANAGE, "finish": PLAN_MANAGE, "cancel": PLAN_MANAGE},
    "application": {
        "assign_reviewers": APPLICATION_MANAGE, "remove_reviewers": APPLICATION_MANAGE,
        "move_state": APPLICATION_MANAGE, "approve": APPLICATION_DECIDE, "reject": APPLICATION_DECIDE,
        "return_": APPLICATION_DECIDE,
    },
    "onboardingtask": {"mark_done": ONBOARDING_MANAGE, "activate_partners": ONBOARDING_MANAGE},
}


def admin_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def offered_actions(client, page) -> set[str]:
    response = client.get(f"{ADMIN}/{page}/")
    assert response.status_code == 200, page
    form = response.context.get("action_form")
    return {value for value, _label in form.fields["action"].choices if value} if form else set()


@pytest.mark.parametrize("role", sorted(STAFF_ROLES))
@pytest.mark.parametrize("page", sorted(ADMIN_ACTIONS))
def test_admin_offers_an_action_only_to_the_roles_of_its_permission(tenant, user_with, chain, page, role):
    offered = offered_actions(admin_client(user_with(role)), page)
    # Decisions are offered only to the roles holding a step of the chain (manager → owner → legal).
    steps = {step.role for step in chain}
    expected = {name for name, permission in ADMIN_ACTIONS[page].items()
                if role in permission.roles and (permission is not APPLICATION_DECIDE or role in steps)}
    assert offered & set(ADMIN_ACTIONS[page]) == expected


def test_finance_posting_close_leaves_the_plan_active(tenant, user_with):
    with tenant_scope(tenant):
        plan = RecruitmentPlanFactory(status=PlanStatus.ACTIVE)
    admin_client(user_with(Role.FINANCE)).post(f"{ADMIN}/recruitmentplan/",
                                               {"action": "close", "_selected_action": [plan.pk]})
    with tenant_scope(tenant):
        assert RecruitmentPlan.objects.get(pk=plan.pk).status == PlanStatus.ACTIVE
    admin_client(user_with(Role.CHANNEL_MANAGER)).post(f"{ADMIN}/recruitmentplan/",
                                                       {"action": "close", "_selected_action": [plan.pk]})
    with tenant_scope(tenant):
        assert RecruitmentPlan.objects.get(pk=plan.pk).status == PlanStatus.CLOSED


def test_a_trainer_cannot_start_a_campaign(tenant, user_with):
    with tenant_scope(tenant):
        campaign = CampaignFactory()
    for role in (Role.TRAINER, Role.FINANCE, Role.LEGAL):
        admin_client(user_with(role)).post(f"{ADMIN}/campaign/",
                                           {"action": "start", "_selected_action": [campaign.pk]})
        with tenant_scope(tenant):
            assert Campaign.objects.get(pk=campaign.pk).status == CampaignStatus.PLANNED, role


def test_a_bulk_action_reports_a_refused_row_and_goes_on(tenant, user_with):
    with tenant_scope(tenant):
        closed = RecruitmentPlanFactory(status=PlanStatus.CLOSED, name="已关闭")
        draft = RecruitmentPlanFactory()
    response = admin_client(user_with(Role.OWNER)).post(
        f"{ADMIN}/recruitmentplan/", {"action": "activate", "_selected_action": [closed.pk, draft.pk]}, follow=True)
    texts = [str(message) for message in response.context["messages"]]
    assert any(text.startswith("已关闭") for text in texts), texts
    with tenant_scope(tenant):
        assert RecruitmentPlan.objects.get(pk=draft.pk).status == PlanStatus.ACTIVE


@pytest.mark.parametrize(("page", "permission"), [
    ("recruitmentplan", PLAN_MANAGE), ("campaign", PLAN_MANAGE), ("criterion", SETUP_MANAGE),
    ("scorecardtemplate", SETUP_MANAGE), ("onboardingtasktemplate", SETUP_MANAGE),
    ("approvalstep", APPROVAL_CHAIN_MANAGE),
])
def test_admin_add_pages_follow_the_table(tenant, user_with, page, permission):
    for role in STAFF_ROLES:
        status = admin_client(user_with(role)).get(f"{ADMIN}/{page}/add/").status_code
        assert status == (200 if role in permission.roles else 403), (page, role)


def test_admin_saves_go_through_the_services(tenant, user_with):
    """A change in the admin is the service's: checked, audited with the service's reason."""
    with tenant_scope(tenant):
        criterion = CriterionFactory(name="行业经验")
    manager = user_with(Role.CHANNEL_MANAGER)
    response = admin_client(manager).post(f"{ADMIN}/criterion/{criterion.pk}/change/", {
        "category": criterion.category, "name": "行业经验（年）", "guidance": "", "weight": "2", "scale_max": "5",
        "knockout_threshold": "", "order": "0", "is_active": "on",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    with tenant_scope(tenant):
        latest = Criterion.objects.get(pk=criterion.pk).history.first()
        # The admin itself no longer stamps the user: the service's audited save did.
        assert (latest.name, latest.history_user) == ("行业经验（年）", manager)


def test_admin_plan_targets_are_added_through_the_service(tenant, user_with, region):
    with tenant_scope(tenant):
        plan = RecruitmentPlanFactory()
    manager = user_with(Role.CHANNEL_MANAGER)
    response = admin_client(manager).post(f"{ADMIN}/recruitmentplan/{plan.pk}/change/", {
        "name": plan.name, "description": "", "start_date": "2026-01-01", "end_date": "2026-12-31",
        "budget": "100000.00", "owner": "",
        "targets-TOTAL_FORMS": "1", "targets-INITIAL_FORMS": "0", "targets-MIN_NUM_FORMS": "0",
        "targets-MAX_NUM_FORMS": "1000",
        "targets-0-region": str(region.pk), "targets-0-partner_type": "distributor", "targets-0-target_count": "7",
        "targets-0-plan": str(plan.pk),
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    with tenant_scope(tenant):
        target = RecruitmentTarget.objects.get(plan=plan)
        assert target.target_count == 7
        assert target.history.first().history_user == manager


def test_admin_deletes_go_through_the_services(tenant, user_with):
    with tenant_scope(tenant):
        step = ApprovalStepFactory()
    url = f"{ADMIN}/approvalstep/{step.pk}/delete/"
    assert admin_client(user_with(Role.CHANNEL_MANAGER)).post(url, {"post": "yes"}).status_code == 403
    with tenant_scope(tenant):
        assert ApprovalStep.objects.filter(pk=step.pk).exists()
    assert admin_client(user_with(Role.OWNER)).post(url, {"post": "yes"}).status_code == 302
    with tenant_scope(tenant):
        assert not ApprovalStep.objects.filter(pk=step.pk).exists()


def test_applications_and_checklist_items_are_not_deleted_in_the_admin(tenant, user_with, region):
    with tenant_scope(tenant):
        application = ApplicationFactory(regions=[region])
        task = _onboarding_task(None)
    owner = admin_client(user_with(Role.OWNER))
    assert owner.post(f"{ADMIN}/application/{application.pk}/delete/", {"post": "yes"}).status_code == 403
    assert owner.post(f"{ADMIN}/onboardingtask/{task.pk}/delete/", {"post": "yes"}).status_code == 403
    with tenant_scope(tenant):
        assert Application.objects.filter(pk=application.pk).exists()
        assert OnboardingTask.objects.filter(pk=task.pk).exists()


# --------------------------------------------------------------------------- the API answers the same


def test_api_refuses_what_the_table_refuses_and_changes_nothing(tenant, user_with, submit):
    with tenant_scope(tenant):
        plan = RecruitmentPlanFactory(status=PlanStatus.ACTIVE)
        campaign = CampaignFactory()
    finance = api_client_for(user_with(Role.FINANCE))
    assert finance.post(f"{API}/plans/{plan.pk}/transition/", {"to_status": "closed"},
                        format="json").status_code == 403
    trainer = api_client_for(user_with(Role.TRAINER))
    assert trainer.post(f"{API}/campaigns/{campaign.pk}/transition/", {"to_status": "running"},
                        format="json").status_code == 403
    application = submit()
    assert finance.post(f"{API}/applications/{application.pk}/messages/", {"body": "?"},
                        format="json").status_code == 403
    legal = api_client_for(user_with(Role.LEGAL))
    assert legal.post(f"{API}/applications/{application.pk}/messages/", {"body": "注册资本是否实缴？"},
                      format="json").status_code == 201
    with tenant_scope(tenant):
        assert RecruitmentPlan.objects.get(pk=plan.pk).status == PlanStatus.ACTIVE
        assert Campaign.objects.get(pk=campaign.pk).status == CampaignStatus.PLANNED


def test_a_service_refusal_reaches_the_api_as_a_403_with_its_reason(tenant, in_review, user_with):
    application = in_review()
    response = api_client_for(user_with(Role.FINANCE)).post(
        f"{API}/applications/{application.pk}/decide/", {"decision": "approve"}, format="json")
    assert response.status_code == 403
    assert "is decided by the role" in response.json()["detail"]
