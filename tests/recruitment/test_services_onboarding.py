"""Onboarding checklist: ticking by key, automatic activation, early activation."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from channelhub.partners.models import PartnerStatus
from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.models import StateTransition
from recruitment import services
from recruitment.models import Decision, OnboardingTask


@pytest.fixture
def onboarding_partner(tenant, in_review, people):
    application = in_review()
    with tenant_scope(tenant):
        for who in ("manager", "director", "legal"):
            services.application_decide(application=application, actor=people[who], decision=Decision.APPROVE)
        application.refresh_from_db()
        return application.partner


def test_ticking_every_required_item_activates_the_partner(tenant, onboarding_partner, people):
    with tenant_scope(tenant):
        for key in ("sign_agreement", "orientation_course"):
            services.onboarding_task_complete(partner=onboarding_partner, key=key, actor=people["manager"])
            onboarding_partner.refresh_from_db()
            assert onboarding_partner.status == PartnerStatus.ONBOARDING
        task = services.onboarding_task_complete(
            partner=onboarding_partner, key="portal_users", actor=None, source="portal"
        )
        assert task.done_source == "portal"
        onboarding_partner.refresh_from_db()
        assert onboarding_partner.status == PartnerStatus.ACTIVE
        log = StateTransition.objects.get(object_id=onboarding_partner.pk, to_state="active")
        assert "checklist complete" in log.reason
        # The optional item can still be ticked later; nothing changes twice.
        services.onboarding_task_complete(partner=onboarding_partner, key="first_sales_report", actor=None,
                                          source="cooperation.sales_report")
        assert StateTransition.objects.filter(object_id=onboarding_partner.pk, to_state="active").count() == 1


def test_ticking_is_idempotent(tenant, onboarding_partner, people):
    with tenant_scope(tenant):
        first = services.onboarding_task_complete(partner=onboarding_partner, key="sign_agreement",
                                                  actor=people["manager"])
        again = services.onboarding_task_complete(partner=onboarding_partner, key="sign_agreement", actor=None,
                                                  source="cooperation.agreement")
        assert again.done_at == first.done_at
        assert again.done_by == people["manager"]


def test_unknown_key_or_partner_without_checklist_is_left_alone(tenant, onboarding_partner):
    from tests.factories import PartnerFactory

    with tenant_scope(tenant):
        assert services.onboarding_task_complete(partner=onboarding_partner, key="no_such", actor=None) is None
        assert services.onboarding_task_complete(partner=PartnerFactory(), key="sign_agreement", actor=None) is None


def test_early_activation_needs_a_reason(tenant, onboarding_partner, people):
    with tenant_scope(tenant):
        with pytest.raises(ValidationError):
            services.partner_activate_early(partner=onboarding_partner, actor=people["manager"], reason=" ")
        services.partner_activate_early(
            partner=onboarding_partner, actor=people["manager"], reason="战略客户，先行激活"
        )
        onboarding_partner.refresh_from_db()
        assert onboarding_partner.status == PartnerStatus.ACTIVE
        assert "战略客户" in StateTransition.objects.get(object_id=onboarding_partner.pk, to_state="active").reason


def test_reopen_an_item(tenant, onboarding_partner, people):
    with tenant_scope(tenant):
        task = services.onboarding_task_complete(partner=onboarding_partner, key="sign_agreement", actor=None)
        services.onboarding_task_reopen(task=task, actor=people["manager"], reason="wrong partner")
        assert OnboardingTask.objects.get(pk=task.pk).done_at is None


def test_the_new_partner_is_looked_after_by_the_first_step_approver_without_a_plan_owner(
    tenant, onboarding_partner, people
):
    # The fixture's application has no plan owner: the channel manager who approved step 1 owns it.
    assert onboarding_partner.owner == people["manager"]


@pytest.mark.parametrize(
    ("language", "expected"), [("zh-hans", "签订合作协议"), ("en", "Sign the cooperation agreement")]
)
def test_default_checklist_and_criteria_are_written_in_the_tenants_language(db, language, expected):
    from channelhub.tenancy.services import tenant_create
    from recruitment.models import Criterion, OnboardingTaskTemplate

    tenant = tenant_create(name="T", slug=f"t-{language}", default_language=language)
    services.onboarding_templates_ensure_default(tenant=tenant)
    services.criteria_ensure_default(tenant=tenant)
    with tenant_scope(tenant):
        assert OnboardingTaskTemplate.objects.get(key="sign_agreement").name == expected
        names = list(Criterion.objects.values_list("name", flat=True))
    assert all(" / " not in name for name in names)  # one language per field, not "中文 / English"
