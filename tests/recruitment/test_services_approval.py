"""The approval chain: steps, roles, returns, rejection, stale decisions; conversion to a partner."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from channelhub.partners.models import Partner, PartnerContact, PartnerStatus
from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.models import Invitation, InvitationState, Membership, StateTransition, User
from channelhub.tenancy.roles import Role
from channelhub.tenancy.workflow import IllegalTransition
from recruitment import services
from recruitment.models import (
    Application,
    ApplicationDocument,
    ApplicationState,
    ApprovalDecision,
    Decision,
    OnboardingTask,
    OnboardingTaskTemplate,
)
from tests.factories import PartnerFactory
from tests.invitations import accept_invitation

from .conftest import move
from .factories import OnboardingTaskTemplateFactory, RecruitmentPlanFactory

S = ApplicationState


def approve_all(application, people):
    for who in ("manager", "director", "legal"):
        services.application_decide(application=application, actor=people[who], decision=Decision.APPROVE,
                                    comment=f"ok by {who}")


def test_entering_review_waits_at_step_one(tenant, in_review, chain):
    application = in_review()
    assert application.state == S.IN_REVIEW
    assert application.current_step == chain[0]


def test_each_step_moves_to_the_next_and_the_last_approves(tenant, in_review, chain, people):
    application = in_review()
    with tenant_scope(tenant):
        services.application_decide(application=application, actor=people["manager"], decision=Decision.APPROVE)
        application.refresh_from_db()
        assert (application.state, application.current_step) == (S.IN_REVIEW, chain[1])
        services.application_decide(application=application, actor=people["director"], decision=Decision.APPROVE)
        application.refresh_from_db()
        assert application.current_step == chain[2]
        services.application_decide(application=application, actor=people["legal"], decision=Decision.APPROVE,
                                    comment="合同条款无异议")
        application.refresh_from_db()
        assert application.state == S.APPROVED
        assert application.current_step is None
        assert application.decided_at is not None
        decisions = list(
            ApprovalDecision.objects.filter(application=application).values_list("step__order", "decision")
        )
        assert decisions == [(1, "approve"), (2, "approve"), (3, "approve")]
        # Every step is in the audit trail: the history rows name the step and the actor.
        reasons = list(application.history.order_by("history_date").values_list("history_change_reason", flat=True))
        assert any("渠道经理审核" in (r or "") for r in reasons)
        assert any("法务审核" in (r or "") for r in reasons)


def test_only_the_steps_role_decides(tenant, in_review, people):
    application = in_review()
    with tenant_scope(tenant):
        for who in ("director", "legal", "reviewer2"):
            with pytest.raises(PermissionDenied):
                services.application_decide(application=application, actor=people[who], decision=Decision.APPROVE)
        application.refresh_from_db()
        assert application.current_step.order == 1
        assert not ApprovalDecision.objects.exists()


def test_return_to_scoring_with_a_comment_and_back_to_step_one(tenant, in_review, chain, people):
    application = in_review()
    with tenant_scope(tenant):
        services.application_decide(application=application, actor=people["manager"], decision=Decision.APPROVE)
        application.refresh_from_db()
        with pytest.raises(ValidationError):
            services.application_decide(application=application, actor=people["director"], decision=Decision.RETURN)
        services.application_decide(application=application, actor=people["director"], decision=Decision.RETURN,
                                    comment="请补充资金证明后重新评分", return_to="scoring")
        application.refresh_from_db()
        assert (application.state, application.current_step) == (S.SCORING, None)
        move(application, S.IN_REVIEW, actor=people["manager"])
        assert application.current_step == chain[0]
        services.application_decide(application=application, actor=people["manager"], decision=Decision.RETURN,
                                    comment="资料不全", return_to="screening")
        application.refresh_from_db()
        assert application.state == S.SCREENING
        returned = ApprovalDecision.objects.filter(decision=Decision.RETURN).order_by("id")
        assert [d.return_to for d in returned] == ["scoring", "screening"]


def test_reject_at_a_step_ends_it_and_mails_the_applicant_in_english(
    tenant, in_review, people, django_capture_on_commit_callbacks
):
    application = in_review(language="en")
    mail.outbox.clear()
    with tenant_scope(tenant), django_capture_on_commit_callbacks(execute=True):
        services.application_decide(application=application, actor=people["manager"], decision=Decision.REJECT,
                                    comment="Coverage overlaps with existing distributors.")
    application.refresh_from_db()
    assert application.state == S.REJECTED
    [email] = mail.outbox
    assert email.subject == "Alpha Electronics: decision on your partner application"
    assert "we are unable to accept" in email.body
    assert "Coverage overlaps" in email.body


def test_stale_decision_is_refused(tenant, in_review, people):
    """Two people looked at step 1; the first decision wins, the second (stale) one is a conflict."""
    application = in_review()
    with tenant_scope(tenant):
        seen_by_second = Application.objects.get(pk=application.pk)
        services.application_decide(application=application, actor=people["manager"], decision=Decision.APPROVE)
        with pytest.raises(IllegalTransition, match="someone else"):
            services.application_decide(application=seen_by_second, actor=people["reviewer1"],
                                        decision=Decision.REJECT, comment="no")
        application.refresh_from_db()
        assert application.state == S.IN_REVIEW
        assert application.current_step.order == 2
        assert ApprovalDecision.objects.count() == 1


def test_decision_naming_a_different_step_is_refused(tenant, in_review, chain, people):
    application = in_review()
    with tenant_scope(tenant), pytest.raises(IllegalTransition):
        services.application_decide(application=application, actor=people["manager"], decision=Decision.APPROVE,
                                    step=chain[1])


def test_deciding_outside_review_is_refused(tenant, submit, people, chain):
    application = submit()
    with tenant_scope(tenant), pytest.raises(IllegalTransition):
        services.application_decide(application=application, actor=people["manager"], decision=Decision.APPROVE)


# --------------------------------------------------------------------------- conversion


def test_final_approval_converts_into_an_onboarding_partner(
    tenant, in_review, people, django_capture_on_commit_callbacks
):
    with tenant_scope(tenant):
        plan = RecruitmentPlanFactory(owner=people["manager"])
    application = in_review(plan=plan, language="zh-hans")
    mail.outbox.clear()
    with tenant_scope(tenant), django_capture_on_commit_callbacks(execute=True):
        approve_all(application, people)
    application.refresh_from_db()
    with tenant_scope(tenant):
        partner = Partner.objects.get(pk=application.partner_id)
        assert partner.status == PartnerStatus.ONBOARDING
        assert (partner.legal_name, partner.credit_code) == (application.legal_name, application.credit_code)
        assert partner.owner == people["manager"]
        assert partner.region.code == "EAST"
        contact = PartnerContact.objects.get(partner=partner)
        assert (contact.name, contact.email, contact.is_primary) == ("李娜", "lina@xingchen.example", True)
        assert ApplicationDocument.objects.get(application=application).partner == partner
        # The contact is invited as the partner's administrator; no account exists until they accept.
        assert not User.objects.filter(email="lina@xingchen.example").exists()
        invitation = Invitation.objects.get(email_key="lina@xingchen.example", state=InvitationState.PENDING)
        assert (invitation.role, invitation.partner) == (Role.PARTNER_ADMIN, partner)
        keys = list(OnboardingTask.objects.filter(partner=partner).values_list("key", flat=True))
        assert keys == ["sign_agreement", "orientation_course", "portal_users", "first_sales_report"]
        assert StateTransition.objects.filter(object_id=partner.pk, to_state="onboarding").exists()
    # The approval e-mail in the applicant's language (zh-hans), and the portal invitation.
    from django.utils import translation

    from recruitment.notifications import APPROVED, SUBJECTS

    with translation.override("zh-hans"):
        expected = str(SUBJECTS[APPROVED] % {"tenant": tenant.name})
    approval = [m for m in mail.outbox if m.subject == expected]
    assert len(approval) == 1, [m.subject for m in mail.outbox]
    assert approval[0].to == ["lina@xingchen.example"]
    assert len(mail.outbox) == 2  # plus the invitation with the link to accept
    invitation_mail = next(m for m in mail.outbox if m is not approval[0])
    assert invitation_mail.to == ["lina@xingchen.example"] and "/portal/invitations/" in invitation_mail.body
    admin_user = accept_invitation(tenant, "lina@xingchen.example")
    with tenant_scope(tenant):
        assert Membership.objects.filter(user=admin_user, role=Role.PARTNER_ADMIN, partner=partner).exists()


def test_conversion_uses_the_tenants_checklist_for_the_type(tenant, in_review, people):
    with tenant_scope(tenant):
        OnboardingTaskTemplateFactory(key="sign_agreement", name="Sign", order=1)
        OnboardingTaskTemplateFactory(key="broker_licence", name="Broker licence", partner_type="broker", order=2)
        OnboardingTaskTemplateFactory(key="retired", name="Old", is_active=False)
    application = in_review()
    with tenant_scope(tenant):
        approve_all(application, people)
        application.refresh_from_db()
        assert list(OnboardingTask.objects.filter(partner=application.partner).values_list("key", flat=True)) == [
            "sign_agreement"
        ]
        assert OnboardingTaskTemplate.objects.count() == 3


def test_conversion_refused_when_the_credit_code_is_already_a_partner(tenant, in_review, people):
    application = in_review()
    with tenant_scope(tenant):
        PartnerFactory(credit_code=application.credit_code)
        services.application_decide(application=application, actor=people["manager"], decision=Decision.APPROVE)
        services.application_decide(application=application, actor=people["director"], decision=Decision.APPROVE)
        application.refresh_from_db()
        with pytest.raises(ValidationError):
            services.application_decide(application=application, actor=people["legal"], decision=Decision.APPROVE)
        application.refresh_from_db()
        # Nothing half-done: still waiting at the last step, no decision recorded for it.
        assert (application.state, application.current_step.order) == (S.IN_REVIEW, 3)
        assert ApprovalDecision.objects.filter(step__order=3).count() == 0


def test_duplicate_flags_are_kept_for_the_reviewer(tenant, submit):
    first = submit(legal_name="上海星辰科技有限公司")
    second = submit(legal_name="上海星辰科技股份有限公司")
    with tenant_scope(tenant):
        second.refresh_from_db()
    assert second.has_duplicates
    assert second.duplicate_flags[0]["id"] == first.pk


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_outcome_mail_is_in_the_applicants_language_and_sent_once(
    tenant, in_review, people, language, django_capture_on_commit_callbacks
):
    from django.utils import translation

    from recruitment.notifications import REJECTED, SUBJECTS, send_applicant_email

    application = in_review(language=language)
    mail.outbox.clear()
    with tenant_scope(tenant), django_capture_on_commit_callbacks(execute=True):
        decision = services.application_decide(application=application, actor=people["manager"],
                                               decision=Decision.REJECT, comment="区域已饱和")
    with translation.override(language):
        expected = str(SUBJECTS[REJECTED] % {"tenant": tenant.name})
    assert [m.subject for m in mail.outbox] == [expected]
    assert "区域已饱和" in mail.outbox[0].body
    # A redelivered task sends nothing twice.
    with tenant_scope(tenant):
        assert send_applicant_email(application=application, kind=REJECTED, reference=str(decision.pk)) is False
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_rejection_mail_quotes_only_the_rejecting_decision(
    tenant, in_review, people, language, django_capture_on_commit_callbacks
):
    """An earlier return's comment is internal: it never reaches the applicant's rejection e-mail."""
    from django.utils import translation

    from recruitment.notifications import REJECTED, SUBJECTS

    internal = "内部意见：资金证明存疑，请重新评分 / internal: capital proof doubtful"
    returned = in_review(language=language)
    rejected_later = in_review(language=language, legal_name="杭州远大贸易有限公司")
    with tenant_scope(tenant):
        for application in (returned, rejected_later):
            services.application_decide(application=application, actor=people["manager"], decision=Decision.RETURN,
                                        comment=internal, return_to="scoring")
            application.refresh_from_db()
        # Rejected by a decision after the return: the e-mail quotes that decision.
        move(returned, S.IN_REVIEW, actor=people["manager"])
    mail.outbox.clear()
    with tenant_scope(tenant), django_capture_on_commit_callbacks(execute=True):
        services.application_decide(application=returned, actor=people["manager"], decision=Decision.REJECT,
                                    comment="区域已饱和 / The region is already covered.")
        # Rejected by a plain move out of scoring: no decision made the outcome, none is quoted.
        move(rejected_later, S.REJECTED, actor=people["manager"])
    with translation.override(language):
        expected = str(SUBJECTS[REJECTED] % {"tenant": tenant.name})
    assert [m.subject for m in mail.outbox] == [expected, expected]
    by_company = {m.body.count("远大"): m.body for m in mail.outbox}
    decided, moved = by_company[0], by_company[1]
    assert "区域已饱和 / The region is already covered." in decided
    for body in (decided, moved):
        assert internal not in body and "capital proof" not in body
    polite = "我们目前无法接受" if language == "zh-hans" else "we are unable to accept"
    assert polite in decided and polite in moved


# --------------------------------------------------------------------------- one person, one step per round


def test_one_person_approves_one_step_per_round(tenant, in_review, chain, people):
    """A manager who is also a director cannot sign both steps: the chain means two people."""
    from channelhub.tenancy.models import Membership

    application = in_review()
    both = people["manager"]
    with tenant_scope(tenant):
        Membership.objects.create(user=both, role=Role.OWNER)
        services.application_decide(application=application, actor=both, decision=Decision.APPROVE)
        application.refresh_from_db()
        assert application.current_step == chain[1]
        with pytest.raises(PermissionDenied, match="One person approves one step per round") as refused:
            services.application_decide(application=application, actor=both, decision=Decision.APPROVE)
        assert "渠道经理审核" in str(refused.value) and "销售总监审批" in str(refused.value)
        application.refresh_from_db()
        assert application.current_step == chain[1]
        assert ApprovalDecision.objects.filter(application=application).count() == 1
        # Someone else may, and the person who approved may still reject or return (a check, not a stamp).
        services.application_decide(application=application, actor=both, decision=Decision.RETURN,
                                    comment="请补充资金证明", return_to="scoring")


def test_superusers_too_approve_one_step_per_round(tenant, in_review, chain, people):
    from tests.factories import UserFactory

    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    application = in_review()
    with tenant_scope(tenant):
        services.application_decide(application=application, actor=root, decision=Decision.APPROVE)
        application.refresh_from_db()
        with pytest.raises(PermissionDenied, match="one step per round"):
            services.application_decide(application=application, actor=root, decision=Decision.APPROVE)
        services.application_decide(application=application, actor=people["director"], decision=Decision.APPROVE)
        application.refresh_from_db()
        assert application.current_step == chain[2]
        with pytest.raises(PermissionDenied, match="one step per round"):
            services.application_decide(application=application, actor=root, decision=Decision.APPROVE)
        application.refresh_from_db()
        assert (application.state, application.current_step) == (S.IN_REVIEW, chain[2])


def test_a_return_starts_a_new_round(tenant, in_review, chain, people):
    """Round 1: the manager approves step 1. Round 2: another manager signs step 1, the first one step 2."""
    from channelhub.tenancy.models import Membership

    application = in_review()
    both = people["manager"]
    with tenant_scope(tenant):
        Membership.objects.create(user=both, role=Role.OWNER)
        services.application_decide(application=application, actor=both, decision=Decision.APPROVE)
        application.refresh_from_db()
        services.application_decide(application=application, actor=people["director"], decision=Decision.RETURN,
                                    comment="请补充资金证明后重新评分", return_to="scoring")
        application.refresh_from_db()
        move(application, S.IN_REVIEW, actor=people["reviewer1"])
        services.application_decide(application=application, actor=people["reviewer1"], decision=Decision.APPROVE)
        application.refresh_from_db()
        services.application_decide(application=application, actor=both, decision=Decision.APPROVE)
        application.refresh_from_db()
        assert application.current_step == chain[2]
