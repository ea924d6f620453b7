"""The language switch: the page changes language and the choice stays with the user."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db


def test_switching_language_changes_the_page_and_persists_for_the_user(client_as, partner_admin):
    client = client_as(partner_admin)
    english = client.get("/portal/").content.decode()  # the tenant's default is English
    assert '<html lang="en">' in english and "Overview" in english

    response = client.post("/language/", {"language": "zh-hans", "next": "/portal/"})
    assert response.status_code == 302 and response["Location"] == "/portal/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"
    partner_admin.refresh_from_db()
    assert partner_admin.language == "zh-hans"

    chinese = client.get("/portal/").content.decode()
    assert '<html lang="zh-hans">' in chinese and "概览" in chinese

    # A new session on another device (no cookie) gets the stored preference.
    elsewhere = Client()
    elsewhere.force_login(partner_admin)
    assert '<html lang="zh-hans">' in elsewhere.get("/portal/").content.decode()


def test_anonymous_visitors_switch_by_cookie_only(client):
    response = client.post("/language/", {"language": "en", "next": "/portal/login/"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "Log in" in client.get("/portal/login/").content.decode()
    client.post("/language/", {"language": "zh-hans", "next": "/portal/login/"})
    assert "登录" in client.get("/portal/login/").content.decode()


def test_unknown_languages_and_foreign_redirects_are_refused(client):
    assert client.post("/language/", {"language": "xx"}).status_code == 400
    response = client.post("/language/", {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_admin_header_has_the_tenant_switcher_and_language_switch_in_both_languages(
    client_as, manager, tenant, other_tenant
):
    from channelhub.tenancy.services import membership_grant

    membership_grant(tenant=other_tenant, actor=None, email=manager.email, role="channel_manager")
    client = client_as(manager)
    for language, marker in (("en", ">Switch</button>"), ("zh-hans", ">切换</button>")):
        client.post("/language/", {"language": language})
        page = client.get("/admin/").content.decode()
        assert f'<html lang="{language}"' in page
        assert 'id="tenant-switch"' in page and tenant.name in page and other_tenant.name in page
        assert 'name="language" value="zh-hans"' in page and 'name="language" value="en"' in page
        assert marker in page
