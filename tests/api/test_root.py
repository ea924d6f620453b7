"""GET /api/v1/: the entry point lists every collection of the core and of each chapter."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from channelhub import chapters
from channelhub.api.root import api_sections
from channelhub.tenancy.roles import Role
from channelhub.tenancy.services import api_key_create

pytestmark = pytest.mark.django_db

ROOT = "/api/v1/"


def _get(client, **headers):
    return client.get(ROOT, HTTP_ACCEPT="application/json", HTTP_ACCEPT_LANGUAGE="en", **headers)


def test_anonymous_caller_gets_the_resources_with_absolute_links():
    response = _get(APIClient())
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["url"] == "http://testserver/api/v1/"
    assert body["schema"] == "http://testserver" + reverse("api-schema")
    assert body["docs"] == "http://testserver" + reverse("api-docs")
    assert body["me"] == "http://testserver" + reverse("api-me")
    assert body["version"]
    assert body["authentication"]["token"]["obtain"] == "http://testserver" + reverse("api-token")
    assert set(body["authentication"]) == {"token", "api_key", "session"}
    assert "X-Tenant" in body["tenant_header"]
    assert body["sections"]["core"]["resources"]["api-keys"] == "http://testserver/api/v1/api-keys/"
    assert body["sections"]["partners"]["resources"]["partners"] == "http://testserver/api/v1/partners/"
    assert body["sections"]["recruitment"]["resources"]["applications"] == (
        "http://testserver/api/v1/recruitment/applications/")
    for section in body["sections"].values():
        assert section["url"].startswith("http://testserver/api/v1/")
        for url in section["resources"].values():
            assert url.startswith("http://testserver/api/v1/"), url


def test_every_chapter_with_an_api_is_a_section_found_not_listed():
    """Sections come from channelhub.chapters: a chapter that mounts api_urls appears by itself."""
    body = _get(APIClient()).json()
    expected = ["core"] + [config.label for config in chapters.chapters() if config.api_urls]
    assert list(body["sections"]) == expected
    assert [label for label, _names in api_sections()] == expected
    for config in chapters.chapters():
        if config.api_urls:
            assert body["sections"][config.label]["url"] == f"http://testserver/api/v1/{config.prefix}"
            assert body["sections"][config.label]["resources"], f"{config.label} lists no collection"


def test_every_link_answers_for_an_owner(tenant, member, api_as):
    """No dead link: each collection answers an owner (every collection admits the owner)."""
    client = api_as(member(Role.OWNER))
    body = _get(client).json()
    for section in body["sections"].values():
        for name, url in section["resources"].items():
            response = client.get(url, HTTP_ACCEPT="application/json")
            assert response.status_code == 200, f"{name} ({url}): {response.status_code}"


def test_same_document_for_every_caller_and_no_tenant_data(tenant, other_tenant, member, api_as):
    owner = member(Role.OWNER)
    key = api_key_create(tenant=tenant, actor=None, name="root test", role=Role.CHANNEL_MANAGER).secret
    keyed = APIClient()
    keyed.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    bodies = [_get(APIClient()).json(), _get(api_as(owner)).json(), _get(keyed).json()]
    assert bodies[0] == bodies[1] == bodies[2]
    text = _get(api_as(owner)).content.decode()
    for name in (tenant.slug, tenant.name, other_tenant.slug, other_tenant.name):
        assert name not in text


def test_bad_credentials_and_foreign_tenant_are_refused_as_everywhere(tenant, other_tenant, member, api_as):
    assert _get(APIClient(), HTTP_AUTHORIZATION="Token " + "0" * 40).status_code == 401
    assert _get(APIClient(), HTTP_AUTHORIZATION="Api-Key chk_nope_nope").status_code == 401
    owner = api_as(member(Role.OWNER))
    assert _get(owner, HTTP_X_TENANT=other_tenant.slug).status_code == 403
    assert _get(owner, HTTP_X_TENANT=tenant.slug).status_code == 200


def test_titles_follow_the_callers_language():
    body = APIClient().get(ROOT, HTTP_ACCEPT="application/json", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert body["sections"]["recruitment"]["title"] != "Recruitment"


def test_browsable_page_for_a_browser():
    response = APIClient().get(ROOT, HTTP_ACCEPT="text/html", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert b"/api/v1/partners/" in response.content
