"""The partner portal in a real browser: sign in, switch language, invite a colleague."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from channelhub.tenancy.models import Membership, User
from channelhub.tenancy.services import tenant_create
from tests.conftest import PASSWORD
from tests.factories import PartnerContactFactory, PartnerFactory, RegionFactory

from .conftest import xingchen_admin

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser"), pytest.mark.django_db(transaction=True)]


@pytest.fixture
def huaxin(transactional_db):
    """A Chinese-speaking tenant with one distributor and its administrator."""
    from channelhub.tenancy.context import tenant_scope

    tenant = tenant_create(name="华信电子", slug="huaxin", default_language="zh-hans")
    with tenant_scope(tenant):
        region = RegionFactory(name="上海", name_en="Shanghai")
        partner = PartnerFactory(
            legal_name="上海星辰科技有限公司",
            short_name="星辰科技",
            english_name="Shanghai Xingchen Technology Co., Ltd.",
            region=region,
        )
        PartnerContactFactory(partner=partner, name="王芳", title="总经理", is_primary=True)
        PartnerFactory(legal_name="杭州远航贸易有限公司")  # a neighbour the portal must not show
    admin = xingchen_admin(tenant, partner)
    return tenant, partner, admin


def _log_in(browsing, username: str, password: str = PASSWORD) -> None:
    page = browsing.page
    browsing.goto("/portal/login/")
    page.get_by_label(re.compile("用户名|User name")).fill(username)
    page.get_by_label(re.compile("密码|Password")).fill(password)
    page.locator("main").get_by_role("button", name=re.compile("^(登录|Log in)$")).click()
    page.wait_for_load_state()


def test_login_lands_on_the_dashboard_in_chinese_then_english(browse, huaxin):
    _tenant, partner, admin = huaxin
    browsing = browse(locale="zh-CN")
    page = browsing.page

    browsing.goto("/portal/login/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    expect(page.get_by_role("heading", name="登录合作伙伴门户")).to_be_visible()
    browsing.shot("portal-login-zh")

    _log_in(browsing, "xc-admin")
    assert page.url.endswith("/portal/")
    assert page.get_by_role("heading", level=1).inner_text() == partner.legal_name
    assert page.get_by_role("link", name="概览").get_attribute("aria-current") == "page"
    assert "杭州远航贸易有限公司" not in page.content()
    expect(page.get_by_text("统一社会信用代码")).to_be_visible()
    browsing.shot("portal-dashboard-zh")

    page.get_by_role("group", name="语言").get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.url.endswith("/portal/")
    assert page.locator("html").get_attribute("lang") == "en"
    expect(page.get_by_role("link", name="Overview")).to_be_visible()
    expect(page.get_by_text("Unified social credit code")).to_be_visible()
    browsing.shot("portal-dashboard-en")
    admin.refresh_from_db()
    assert admin.language == "en"

    phone = browse(locale="en-US", mobile=True)
    _log_in(phone, "xc-admin")
    assert phone.page.get_by_role("heading", level=1).inner_text() == partner.legal_name
    phone.shot("portal-dashboard-en-phone")


def test_partner_admin_invites_a_colleague_who_then_signs_in(browse, huaxin):
    _tenant, partner, _admin = huaxin
    browsing = browse(locale="zh-CN")
    page = browsing.page
    _log_in(browsing, "xc-admin")

    page.locator("nav.nav summary", has_text=re.compile("我的公司")).click()  # the menu opens
    page.get_by_role("link", name="团队", exact=True).click()
    page.get_by_role("link", name="邀请同事").first.click()
    expect(page.get_by_role("heading", name="邀请同事")).to_be_visible()

    page.get_by_label("电子邮箱").fill("not-an-email")
    page.get_by_role("button", name="发送邀请").click()
    email = page.get_by_label("电子邮箱")
    assert email.get_attribute("aria-invalid") == "true"
    expect(page.locator("#id_email_error")).to_be_visible()
    browsing.shot("portal-invite-error-zh")

    email.fill("chen.jing@xingchen.example")
    page.get_by_label("姓", exact=True).fill("陈")
    page.get_by_label("名", exact=True).fill("静")
    page.get_by_role("combobox", name=re.compile("^语言")).select_option("zh-hans")
    page.get_by_role("button", name="发送邀请").click()
    page.wait_for_load_state()
    assert page.url.endswith("/portal/staff/")
    expect(page.get_by_role("status").get_by_text("chen.jing@xingchen.example")).to_be_visible()
    # Not a member until accepted: the team page lists the invitation as typed.
    expect(page.get_by_role("cell", name="chen.jing@xingchen.example", exact=True)).to_be_visible()
    browsing.shot("portal-team-zh")

    assert not User.objects.filter(email="chen.jing@xingchen.example").exists()
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/portal/invitations/\S+/", mail.outbox[0].body).group(0)

    newcomer = browse(locale="zh-CN")
    newcomer.page.goto(link)
    newcomer.page.get_by_label(re.compile("^(用户名|User name)")).fill("chenjing")
    newcomer.page.get_by_label(re.compile("^(密码|Password)$")).fill("Jing-Secret-2026")
    newcomer.page.get_by_label(re.compile("^(密码确认|Password confirmation)")).fill("Jing-Secret-2026")
    newcomer.shot("portal-accept-invitation-zh")
    newcomer.page.get_by_role("button", name=re.compile("创建|Create my account")).click()
    newcomer.page.wait_for_load_state()
    invited = User.objects.get(email="chen.jing@xingchen.example")
    assert Membership.all_tenants.get(user=invited).partner_id == partner.pk
    assert newcomer.page.get_by_role("heading", level=1).inner_text() == partner.legal_name
    assert newcomer.page.get_by_role("link", name="团队", exact=True).count() == 0  # a partner user
