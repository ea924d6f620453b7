"""The admin in a real browser: a channel manager changes a partner's status with a reason."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from channelhub.partners.models import PartnerStatus
from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.roles import Role
from channelhub.tenancy.services import membership_grant, tenant_create
from tests.conftest import PASSWORD, make_member
from tests.factories import PartnerFactory

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser"), pytest.mark.django_db(transaction=True)]


@pytest.fixture
def two_tenants(transactional_db):
    huaxin = tenant_create(name="华信电子", slug="huaxin", default_language="zh-hans")
    anhe = tenant_create(name="安和保险", slug="anhe", default_language="zh-hans")
    with tenant_scope(huaxin):
        partner = PartnerFactory(legal_name="上海星辰科技有限公司", short_name="星辰科技")
        PartnerFactory(legal_name="杭州远航贸易有限公司", short_name="远航贸易")
    with tenant_scope(anhe):
        PartnerFactory(legal_name="安和保险经纪（深圳）有限公司", short_name="安和经纪")
    manager = make_member(huaxin, Role.CHANNEL_MANAGER, username="zhang.wei", first_name="伟", last_name="张")
    return huaxin, anhe, partner, manager


def _admin_login(browsing, username: str) -> None:
    page = browsing.page
    browsing.goto("/admin/login/?next=/admin/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#login-form [type=submit]").click()
    page.wait_for_load_state()


def test_channel_manager_changes_a_partner_status_and_history_shows_the_reason(browse, two_tenants):
    huaxin, _anhe, partner, _manager = two_tenants
    browsing = browse(locale="zh-CN")
    page = browsing.page
    _admin_login(browsing, "zhang.wei")
    assert page.url.endswith("/admin/")
    assert page.locator(".tenant-pill").inner_text() == "华信电子"
    assert page.locator("#tenant-switch").count() == 0  # one tenant: no switcher
    browsing.shot("admin-index-zh")

    # The home page's figures are links to the lists they count.
    page.locator('.ch-figures a[href="/admin/partners/partner/"]').first.click()
    page.wait_for_load_state()
    names = page.locator("#result_list tbody th a, #result_list tbody td.field-legal_name a").all_inner_texts()
    assert sorted(names) == ["上海星辰科技有限公司", "杭州远航贸易有限公司"]
    assert "安和保险经纪" not in page.content()
    browsing.shot("admin-partners-zh")

    page.get_by_role("link", name="上海星辰科技有限公司").click()
    page.wait_for_load_state()
    expect(page.locator(".ch-360-head").get_by_text("潜在")).to_be_visible()  # the 360° header's status
    page.get_by_role("link", name="变更状态").click()
    expect(page.get_by_text("当前状态")).to_be_visible()
    page.get_by_label("新状态").select_option(PartnerStatus.ONBOARDING)
    page.get_by_label("原因").fill("资质审核通过，开始入驻")
    browsing.shot("admin-status-zh")
    page.get_by_role("button", name="变更状态").click()
    page.wait_for_load_state()
    # Back on the partner page: the message, the header's new status, the reason in the timeline.
    expect(page.get_by_text(re.compile("状态已变更")).first).to_be_visible()
    expect(page.locator(".ch-360-head").get_by_text("入驻中")).to_be_visible()
    expect(page.locator(".ch-timeline").get_by_text("资质审核通过，开始入驻")).to_be_visible()
    browsing.shot("admin-partner-360-zh")

    page.locator('a[href$="/history/"]').first.click()
    page.wait_for_load_state()
    expect(page.get_by_text("资质审核通过，开始入驻").first).to_be_visible()
    browsing.shot("admin-history-zh")
    with tenant_scope(huaxin):
        partner.refresh_from_db()
    assert partner.status == PartnerStatus.ONBOARDING


def test_admin_header_switches_tenant_and_language(browse, two_tenants):
    _huaxin, anhe, _partner, manager = two_tenants
    membership_grant(tenant=anhe, actor=None, email=manager.email, role=Role.CHANNEL_MANAGER)
    browsing = browse(locale="zh-CN")
    page = browsing.page
    _admin_login(browsing, "zhang.wei")
    assert page.locator("#tenant-switch option").all_inner_texts() == ["华信电子", "安和保险"] or sorted(
        page.locator("#tenant-switch option").all_inner_texts()
    ) == sorted(["华信电子", "安和保险"])
    current = page.locator(".tenant-pill").inner_text()
    other = "安和保险" if current == "华信电子" else "华信电子"
    page.get_by_label("切换到其他公司").select_option(label=other)
    page.get_by_role("button", name="切换", exact=True).click()
    page.wait_for_load_state()
    assert page.locator(".tenant-pill").inner_text() == other

    page.get_by_role("group", name="语言").get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    expect(page.get_by_role("button", name="Switch", exact=True)).to_be_visible()
    expect(page.get_by_text("What needs you").or_(page.get_by_text("Your channel")).first).to_be_visible()
    browsing.shot("admin-index-en")
