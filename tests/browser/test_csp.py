"""Security issue 6 (8a): the pages work in a real browser under the Content-Security-Policy.

Chromium reports every blocked script, style or handler on the console ("Refused to …
Content Security Policy"); none may appear, and the pages must still render.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from channelhub.tenancy.roles import Role
from channelhub.tenancy.services import tenant_create
from tests.conftest import PASSWORD, make_member

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser"), pytest.mark.django_db(transaction=True)]


def _watch(browsing) -> list[str]:
    refused: list[str] = []
    browsing.page.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )
    browsing.page.on("pageerror", lambda error: refused.append(f"page error: {error}"))
    return refused


def test_api_docs_render_under_the_policy(browse):
    browsing = browse(locale="en-US")
    refused = _watch(browsing)
    page = browsing.page
    response = browsing.goto("/api/v1/docs/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.locator(".swagger-ui .opblock").first.wait_for()
    assert page.locator(".swagger-ui .opblock").count() > 5
    page.wait_for_load_state("networkidle")
    assert refused == []


def test_admin_dashboard_public_form_and_portal_under_the_policy(browse, transactional_db):
    tenant = tenant_create(name="华信电子", slug="huaxin", default_language="zh-hans")
    make_member(tenant, Role.OWNER, username="csp.owner")
    browsing = browse(locale="zh-CN")
    refused = _watch(browsing)
    page = browsing.page
    browsing.goto("/admin/login/?next=/admin/")
    page.locator("#id_username").fill("csp.owner")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#login-form [type=submit]").click()
    page.wait_for_load_state()
    assert page.url.endswith("/admin/")
    for path in ("/admin/partners/partner/", "/admin/partners/partner/add/", "/admin/recruitment/application/"):
        assert browsing.goto(path).status == 200, path
        page.wait_for_load_state("networkidle")
    assert refused == []
    # The export page (django-import-export inside the frame) renders under the policy too.
    assert browsing.goto("/admin/partners/partner/export/").status == 200
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("button", name="提交")).to_be_visible()
    form = browsing.goto("/apply/huaxin/")
    assert form.status == 200 and "content-security-policy" in form.headers
    assert browsing.goto("/portal/login/").status == 200
    assert refused == []
