"""The portal where partners do things, in a real browser: edit a contact, ask for a legal-name
change that the channel manager approves in the admin, invite a colleague who shows as pending until
they accept; and the header fits a phone."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from channelhub.partners.models import Partner, PartnerChangeRequest, PartnerContact
from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.roles import Role
from channelhub.tenancy.services import tenant_create
from tests.conftest import PASSWORD, make_member
from tests.factories import PartnerContactFactory, PartnerFactory, RegionFactory

from .conftest import xingchen_admin

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser"), pytest.mark.django_db(transaction=True)]


@pytest.fixture
def huaxin(transactional_db):
    """A tenant with a channel manager, one distributor it owns and the distributor's administrator."""
    tenant = tenant_create(name="华信电子 Huaxin Electronics", slug="huaxin", default_language="en")
    manager = make_member(
        tenant,
        Role.CHANNEL_MANAGER,
        username="huaxin-manager",
        email="zhang.wei@huaxin.example",
        first_name="伟",
        last_name="张",
    )
    with tenant_scope(tenant):
        region = RegionFactory(name="上海", name_en="Shanghai")
        partner = PartnerFactory(
            legal_name="上海星辰科技有限公司",
            short_name="星辰科技",
            english_name="Shanghai Xingchen Technology Co., Ltd.",
            region=region,
            owner=manager,
        )
        PartnerContactFactory(
            partner=partner, name="王芳", title="总经理", email="wang@xingchen.example", is_primary=True
        )
    admin = xingchen_admin(tenant, partner)
    return tenant, partner, admin, manager


def _portal_login(browsing, username: str) -> None:
    page = browsing.page
    browsing.goto("/portal/login/")
    page.get_by_label(re.compile("用户名|User name")).fill(username)
    password = page.get_by_label(re.compile("密码|Password"))
    password.fill(PASSWORD)
    password.press("Enter")
    page.wait_for_load_state()


def _admin_login(browsing, username: str) -> None:
    page = browsing.page
    browsing.goto("/admin/login/?next=/admin/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_load_state()


def test_partner_admin_edits_a_contact_and_the_manager_approves_a_legal_name_change(browse, huaxin):
    tenant, partner, _admin, _manager = huaxin
    browsing = browse(locale="en-US")
    page = browsing.page
    _portal_login(browsing, "xc-admin")

    # A contact: edit her phone from the contacts page.
    page.locator("nav.nav summary", has_text="My company").click()  # the menu opens
    page.locator("nav.nav").get_by_role("link", name="Contacts").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Edit 王芳").click()
    page.get_by_label("Phone").fill("021-5555 0101")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert page.url.endswith("/portal/contacts/")
    expect(page.get_by_role("cell", name="021-5555 0101")).to_be_visible()
    browsing.shot("portal-contacts-en")
    with tenant_scope(tenant):
        assert PartnerContact.objects.get(partner=partner, name="王芳").phone == "021-5555 0101"

    # The legal name: asked for, not applied.
    page.locator("nav.nav summary", has_text="My company").click()  # the menu opens
    page.locator("nav.nav").get_by_role("link", name="Company profile").click()
    page.get_by_role("link", name="Edit the profile").click()
    page.get_by_label("Legal name").fill("上海星辰智能科技有限公司")
    page.get_by_label("Website").fill("https://xingchen.example")
    page.get_by_label("Note for your channel manager").fill("New business licence of 1 December")
    browsing.shot("portal-profile-edit-en")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert page.url.endswith("/portal/company/")
    assert page.get_by_role("heading", level=1).inner_text() == "上海星辰科技有限公司"  # waits for approval
    expect(page.get_by_text("Waiting for decision").first).to_be_visible()
    browsing.shot("portal-profile-pending-en")
    with tenant_scope(tenant):
        request = PartnerChangeRequest.objects.get(partner=partner)
        assert Partner.objects.get(pk=partner.pk).website == "https://xingchen.example"

    # The channel manager: the work queue, the request's page, the Approve button.
    manager = browse(locale="en-US")
    _admin_login(manager, "huaxin-manager")
    queue = manager.page.locator('a[href="/admin/partners/partnerchangerequest/?state__exact=pending"]').first
    expect(queue).to_be_visible()
    manager.shot("admin-home-change-request-queue-en")
    manager.goto(f"/admin/partners/partnerchangerequest/{request.pk}/change/")
    assert "上海星辰智能科技有限公司" in manager.page.content()
    manager.shot("admin-change-request-en")
    manager.page.get_by_role("link", name="Approve the change").click()
    manager.page.wait_for_load_state()
    manager.page.get_by_label(re.compile("reason", re.I)).fill("Matches the new licence")
    manager.shot("admin-change-request-approve-en")
    manager.page.locator("input[type=submit]").click()
    manager.page.wait_for_load_state()
    with tenant_scope(tenant):
        assert Partner.objects.get(pk=partner.pk).legal_name == "上海星辰智能科技有限公司"

    # Back in the portal: the new name, and a notification with the unread badge.
    browsing.goto("/portal/")
    assert page.get_by_role("heading", level=1).inner_text() == "上海星辰智能科技有限公司"
    assert page.locator('nav.nav a[href="/portal/notifications/"] .badge.count').inner_text() == "1"
    page.locator("nav.nav").get_by_role("link", name=re.compile("^Notifications")).click()
    expect(page.get_by_text("Your change of legal details was approved")).to_be_visible()
    browsing.shot("portal-notifications-en")
    page.get_by_role("button", name="Mark all read").click()
    page.wait_for_load_state()
    assert page.locator('nav.nav a[href="/portal/notifications/"] .badge.count').count() == 0


def test_an_invited_colleague_is_pending_until_they_accept(browse, huaxin):
    _tenant, _partner, _admin, _manager = huaxin
    browsing = browse(locale="en-US")
    page = browsing.page
    _portal_login(browsing, "xc-admin")
    page.locator("nav.nav summary", has_text="My company").click()  # the menu opens
    page.locator("nav.nav").get_by_role("link", name="Team").click()
    page.get_by_role("link", name="Invite a colleague").first.click()
    page.get_by_label("E-mail").fill("chen.jing@xingchen.example")
    page.get_by_label("Family name").fill("Chen")
    page.get_by_label("Given name").fill("Jing")
    page.get_by_role("combobox", name=re.compile("^Language")).select_option("en")
    page.get_by_role("button", name="Send invitation").click()
    page.wait_for_load_state()
    row = page.locator("tr.invited", has_text="chen.jing@xingchen.example")
    expect(row.get_by_text("Invited, not yet accepted")).to_be_visible()
    browsing.shot("portal-team-pending-en")

    link = re.search(r"https?://\S+/portal/invitations/\S+/", mail.outbox[0].body).group(0)
    newcomer = browse(locale="en-US")
    newcomer.page.goto(link)
    newcomer.page.get_by_label(re.compile("^User name")).fill("chenjing")
    newcomer.page.get_by_label(re.compile("^Password$")).fill("Jing-Secret-2026")
    newcomer.page.get_by_label(re.compile("^Password confirmation")).fill("Jing-Secret-2026")
    newcomer.page.get_by_role("button", name=re.compile("Create my account")).click()
    newcomer.page.wait_for_load_state()

    browsing.goto("/portal/staff/")
    assert page.locator("tr.invited").count() == 0
    expect(page.get_by_role("cell", name=re.compile("Jing Chen")).first).to_be_visible()
    # The inviter is told, and deactivating asks first.
    assert page.locator('nav.nav a[href="/portal/notifications/"] .badge.count').inner_text() == "1"
    page.get_by_role("link", name="Deactivate Jing Chen").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Deactivate Jing Chen?"
    browsing.shot("portal-deactivate-confirm-en")
    page.get_by_role("button", name="Deactivate").click()
    page.wait_for_load_state()
    assert page.locator("tr.inactive", has_text="Jing Chen").count() == 1


PAGES = ("/portal/", "/portal/company/", "/portal/contacts/", "/portal/staff/", "/portal/notifications/")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("viewport", [(390, 844), (1366, 768)], ids=["phone", "laptop"])
def test_header_and_tenant_badge_fit(browse, huaxin, language, viewport):
    browsing = browse(locale="zh-CN" if language == "zh-hans" else "en-US", mobile=viewport[0] < 500)
    page = browsing.page
    page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    _tenant, _partner, admin, _manager = huaxin
    admin.language = language  # the person's own language wins over the browser's
    admin.save(update_fields=["language"])
    _portal_login(browsing, "xc-admin")
    for path in PAGES:
        browsing.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport[0], f"{path} is {width}px wide at {viewport[0]}px"
        badge = page.locator(".topbar .tenant-pill").bounding_box()
        assert badge is not None and badge["x"] >= 0 and badge["x"] + badge["width"] <= viewport[0], path
        name = path.strip("/").removeprefix("portal").strip("/").replace("/", "-") or "home"
        browsing.shot(f"portal-{name}-{language}-{viewport[0]}")
