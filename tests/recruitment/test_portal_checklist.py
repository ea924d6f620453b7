"""The portal dashboard shows a recruited partner its onboarding checklist (its own only)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.roles import Role
from recruitment import selectors, services
from tests.conftest import make_member
from tests.factories import PartnerFactory
from tests.invitations import accept_invitation

from .factories import OnboardingTaskFactory


def approve_through_the_chain(tenant, application, people):
    with tenant_scope(tenant):
        for who in ("manager", "director", "legal"):
            application.refresh_from_db()
            services.application_decide(application=application, actor=people[who], decision="approve")
        application.refresh_from_db()
    return application


def dashboard(user, language="en") -> str:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    client.cookies["django_language"] = language
    response = client.get("/portal/")
    assert response.status_code == 200
    return response.content.decode()


def test_recruited_partner_admin_sees_progress(tenant, in_review, people):
    application = approve_through_the_chain(tenant, in_review(), people)
    partner = application.partner
    with tenant_scope(tenant):
        services.onboarding_task_complete(partner=partner, key="sign_agreement", actor=people["manager"])
        neighbour = PartnerFactory(legal_name="邻居公司")
        OnboardingTaskFactory(partner=neighbour, name="NEIGHBOUR-ONLY-TASK")
    admin = accept_invitation(tenant, application.contact_email)  # the partner's administrator joins
    page = dashboard(admin)
    assert "Onboarding checklist" in page
    assert "1 of 4 done" in page
    assert "2 required steps are still open" in page
    assert page.count('<li class="done">') == 1 and page.count('<li class="open">') == 3
    assert "NEIGHBOUR-ONLY-TASK" not in page

    chinese = dashboard(admin, "zh-hans")
    assert "入驻清单" in chinese and "已完成 1 项，共 4 项" in chinese


def test_partner_user_sees_it_too_and_a_partner_without_checklist_sees_nothing(tenant):
    with tenant_scope(tenant):
        recruited, old = PartnerFactory(), PartnerFactory()
        for order, key in enumerate(("a", "b")):
            OnboardingTaskFactory(partner=recruited, key=key, name=f"Step {key}", order=order,
                                  done_at=timezone.now() if key == "a" else None)
    assert "1 of 2 done" in dashboard(make_member(tenant, Role.PARTNER_USER, partner=recruited))
    assert "Onboarding checklist" not in dashboard(make_member(tenant, Role.PARTNER_ADMIN, partner=old))


def test_checklist_complete_message(tenant):
    with tenant_scope(tenant):
        partner = PartnerFactory()
        OnboardingTaskFactory(partner=partner, key="a", done_at=timezone.now())
        OnboardingTaskFactory(partner=partner, key="b", required=False)
        checklist = selectors.onboarding_checklist(partner_id=partner.pk)
    assert (checklist.done, checklist.total, checklist.percent, checklist.complete) == (1, 2, 50, True)
    assert "Every required step is done." in dashboard(make_member(tenant, Role.PARTNER_USER, partner=partner))


@pytest.mark.parametrize("extra", [2, 12])
def test_dashboard_query_count_does_not_grow_with_the_checklist(tenant, extra):
    with tenant_scope(tenant):
        partner = PartnerFactory()
    user = make_member(tenant, Role.PARTNER_ADMIN, partner=partner)
    client = Client()
    client.force_login(user)

    def queries() -> int:
        client.get("/portal/")
        with CaptureQueriesContext(connection) as captured:
            client.get("/portal/")
        return len(captured)

    with tenant_scope(tenant):
        OnboardingTaskFactory(partner=partner)
    few = queries()
    with tenant_scope(tenant):
        for _ in range(extra):
            OnboardingTaskFactory(partner=partner)
    assert queries() == few
