"""The manager workspace in a real browser (issue 8's "done means"): the owner opens the
"awaiting my approval" queue from the home page and approves an application with the button
on its page; the queue empties. Screenshots: /tmp/channelhub-shots/workspace-*.png.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from channelhub.tenancy.context import tenant_scope
from recruitment import services
from recruitment.models import Application, ApplicationState, ApprovalDecision, Decision
from tests.recruitment.factories import ApplicationFactory

from .test_admin import _admin_login
from .test_recruitment import vendor  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser"), pytest.mark.django_db(transaction=True)]

S = ApplicationState


def _at_owner_step(tenant, people) -> Application:
    """An application in review whose first step (the channel manager's) has approved."""
    with tenant_scope(tenant):
        application = ApplicationFactory(legal_name="上海云帆智能科技有限公司")
        services.application_transition(application=application, to_state=S.SUBMITTED, actor=None)
        for state in (S.SCREENING, S.SCORING, S.IN_REVIEW):
            services.application_transition(application=application, to_state=state, actor=None)
        application.refresh_from_db()
        services.application_decide(
            application=application, actor=people["manager"], decision=Decision.APPROVE, comment="资料齐全"
        )
        application.refresh_from_db()
    return application


@pytest.mark.parametrize("locale", ["zh-CN"])
def test_owner_approves_from_the_queue_with_the_record_button(browse, vendor, locale):  # noqa: F811
    tenant, people = vendor
    application = _at_owner_step(tenant, people)
    browsing = browse(locale=locale)
    page = browsing.page
    _admin_login(browsing, "chen.owner")

    queue = page.locator(".ch-queue-card", has_text="待我审批的申请")
    assert queue.locator(".ch-queue-count").inner_text().strip() == "1"
    browsing.shot("workspace-owner-home-zh")
    queue.locator("a").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="上海云帆智能科技有限公司").click()
    page.wait_for_load_state()
    expect(page.get_by_text("等待您的决定").first).to_be_visible()  # "waits for your decision at …"
    page.get_by_role("link", name="通过", exact=True).click()
    page.wait_for_load_state()
    page.locator("textarea[name=comment]").fill("同意引入，进入法务审核")
    browsing.shot("workspace-owner-decide-zh")
    page.locator("#content form input[type=submit]").first.click()
    page.wait_for_load_state()
    assert not page.locator("#main .errornote").count()

    with tenant_scope(tenant):
        application.refresh_from_db()
        decision = ApprovalDecision.objects.filter(application=application, actor=people["owner"]).get()
    assert decision.decision == Decision.APPROVE and decision.comment == "同意引入，进入法务审核"
    assert application.state == S.IN_REVIEW and application.current_step.role == "legal"

    page.goto(browsing.base_url + "/admin/")
    queue = page.locator(".ch-queue-card", has_text="待我审批的申请")
    assert queue.locator(".ch-queue-count").inner_text().strip() != "1"  # nothing waits for the owner now
    browsing.shot("workspace-owner-done-zh")
