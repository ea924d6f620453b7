"""notify(): in-app rows in bulk, in each recipient's language; e-mail by kind and preference, once."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext_lazy as _

from channelhub.notifications import selectors, services
from channelhub.notifications.models import Notification, NotificationPreference
from channelhub.notifications.registry import kind, kinds, notification_kind
from channelhub.notifications.tasks import send_notification_emails
from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.roles import Role
from tests.conftest import make_member
from tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db

IMPORTANT = notification_kind("tests.important", _("Decisions on your profile changes"), important=True).key
ROUTINE = notification_kind("tests.routine", _("A colleague accepted your invitation")).key


@pytest.fixture
def people(tenant):
    with tenant_scope(tenant):
        partner = PartnerFactory()
    zh = make_member(tenant, Role.PARTNER_ADMIN, partner=partner, username="zh", email="zh@example.com",
                     language="zh-hans")
    en = make_member(tenant, Role.PARTNER_USER, partner=partner, username="en", email="en@example.com",
                     language="en")
    return zh, en


# Texts the zh-hans catalogue already has, so the language of each row can be told apart.
TITLE = _("Welcome to %(tenant)s.")
BODY = _("Invitation sent to %(email)s.")
PARAMS = {"tenant": "Alpha", "email": "x@example.com"}
EN_TITLE, ZH_TITLE = "Welcome to Alpha.", "欢迎加入Alpha。"


def _notify(tenant, recipients, kind_key=IMPORTANT, actor=None, capture=None):
    def send():
        return services.notify(recipients=recipients, kind=kind_key, actor=actor, url="/portal/company/",
                               title=TITLE, body=BODY, params=PARAMS)

    with tenant_scope(tenant):
        if capture is None:
            return send()
        with capture(execute=True):
            return send()


def test_kinds_are_declared_once(tenant):
    assert kind(IMPORTANT).important and not kind(ROUTINE).important
    assert [k.key for k in kinds()].index(IMPORTANT) < [k.key for k in kinds()].index(ROUTINE)
    with tenant_scope(tenant), pytest.raises(Exception, match="Unknown notification kind"):
        services.notify(recipients=[], kind="tests.undeclared", title="x")


def test_rows_are_written_in_bulk_in_each_recipients_language(tenant, people, django_capture_on_commit_callbacks):
    zh, en = people
    with CaptureQueriesContext(connection) as captured:
        rows = _notify(tenant, [zh, en])
    inserts = [q for q in captured.captured_queries if q["sql"].startswith("INSERT")]
    assert len(rows) == 2 and len(inserts) == 1
    with tenant_scope(tenant):
        by_user = {n.recipient_id: n for n in Notification.objects.all()}
    assert (by_user[en.pk].title, by_user[en.pk].body) == (EN_TITLE, "Invitation sent to x@example.com.")
    assert (by_user[zh.pk].title, by_user[zh.pk].body) == (ZH_TITLE, "已向 x@example.com 发送邀请。")


def test_the_actor_and_people_of_other_tenants_are_not_told(tenant, other_tenant, people):
    zh, en = people
    outsider = make_member(other_tenant, Role.OWNER, username="out", email="out@example.com")
    rows = _notify(tenant, [zh, en, outsider], actor=zh)
    assert [row.recipient_id for row in rows] == [en.pk]


def test_important_kinds_are_emailed_in_the_recipients_language_once(
    tenant, people, mailoutbox, django_capture_on_commit_callbacks
):
    zh, en = people
    rows = _notify(tenant, [zh, en], capture=django_capture_on_commit_callbacks)
    assert sorted(m.to[0] for m in mailoutbox) == ["en@example.com", "zh@example.com"]
    english = next(m for m in mailoutbox if m.to == ["en@example.com"])
    chinese = next(m for m in mailoutbox if m.to == ["zh@example.com"])
    assert EN_TITLE in english.subject and EN_TITLE in english.body and "/portal/company/" in english.body
    assert ZH_TITLE in chinese.subject and ZH_TITLE in chinese.body
    # A redelivered task sends nothing twice.
    assert send_notification_emails(tenant.pk, [row.pk for row in rows]) == 0
    assert len(mailoutbox) == 2


def test_preferences_are_respected(tenant, people, mailoutbox, django_capture_on_commit_callbacks):
    zh, en = people
    with tenant_scope(tenant):
        services.preferences_set(actor=en, email_by_kind={IMPORTANT: False, ROUTINE: True})
        assert NotificationPreference.objects.filter(user=en).count() == 2
    _notify(tenant, [zh, en], capture=django_capture_on_commit_callbacks)  # important: zh only now
    assert [m.to for m in mailoutbox] == [["zh@example.com"]]
    mailoutbox.clear()
    _notify(tenant, [zh, en], kind_key=ROUTINE, capture=django_capture_on_commit_callbacks)  # routine: en opted in
    assert [m.to for m in mailoutbox] == [["en@example.com"]]
    with tenant_scope(tenant):
        assert Notification.objects.filter(recipient=en).count() == 2  # in-app always


def test_unread_counts_and_marking_read(tenant, people):
    zh, en = people
    _notify(tenant, [zh, en])
    _notify(tenant, [zh])
    with tenant_scope(tenant):
        assert selectors.unread_count(user=zh) == 2 and selectors.unread_count(user=en) == 1
        mine = selectors.notification_list(user=zh).first()
        with pytest.raises(PermissionDenied):  # not hers
            services.notification_mark_read(notification=mine, actor=en)
        services.notification_mark_read(notification=mine, actor=zh)
        assert selectors.unread_count(user=zh) == 1
        assert services.notification_mark_all_read(actor=zh) == 1
        assert selectors.unread_count(user=zh) == 0 and selectors.unread_count(user=en) == 1


def _notifications_badge(page: str) -> str | None:
    """The unread count on the navigation's notifications link, if it shows one."""
    found = re.search(r'<a href="/portal/notifications/"[^>]*>[^<]*(?:<span class="badge count">(\d+)</span>)?', page)
    assert found, "no notifications link in the navigation"
    return found.group(1)


def test_portal_pages_badge_and_mark_read(client, tenant, people):
    zh, en = people
    _notify(tenant, [en])
    client.force_login(en)
    page = client.get("/portal/").content.decode()
    assert _notifications_badge(page) == "1" and EN_TITLE in page
    assert EN_TITLE in client.get("/portal/notifications/").content.decode()
    with tenant_scope(tenant):
        row = Notification.objects.get(recipient=en)
    response = client.post("/portal/notifications/read/", {"notification": row.pk, "open": "1"})
    assert response.status_code == 302 and response["Location"] == "/portal/company/"
    assert _notifications_badge(client.get("/portal/").content.decode()) is None  # other chapters' badges stay
    # Someone else's notification is not found; marking all read answers with the list.
    client.force_login(zh)
    assert client.post("/portal/notifications/read/", {"notification": row.pk}).status_code == 404
    assert client.post("/portal/notifications/read-all/").status_code == 302


def test_empty_list_says_what_appears_there(client, people):
    _zh, en = people
    client.force_login(en)
    page = client.get("/portal/notifications/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "No notifications yet" in page


def test_preferences_page_saves_choices(client, tenant, people):
    _zh, en = people
    client.force_login(en)
    page = client.get("/portal/notifications/preferences/").content.decode()
    assert "Decisions on your profile changes" in page
    response = client.post("/portal/notifications/preferences/", {ROUTINE: "on"})
    assert response.status_code == 302
    with tenant_scope(tenant):
        rows = dict(selectors.preference_rows(user=en))
    assert rows[kind(ROUTINE)] is True and rows[kind(IMPORTANT)] is False


def test_list_costs_a_fixed_number_of_queries(client, tenant, people):
    _zh, en = people
    client.force_login(en)
    _notify(tenant, [en])
    client.get("/portal/notifications/")
    with CaptureQueriesContext(connection) as few:
        client.get("/portal/notifications/")
    for _round in range(10):
        _notify(tenant, [en])
    with CaptureQueriesContext(connection) as many:
        client.get("/portal/notifications/")
    assert len(many) == len(few)
