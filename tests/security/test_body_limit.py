"""Security issue 6 (8b): oversized bodies are refused from Content-Length, before anything reads them."""

from __future__ import annotations

import io

import pytest
from django.test import Client, override_settings
from django.test.client import MULTIPART_CONTENT

from channelhub.tenancy.roles import Role
from tests.conftest import api_client_for, make_member

MB = 1024 * 1024


class Unreadable(io.BytesIO):
    """A request body that fails the test if anything reads it."""

    def read(self, *args, **kwargs):
        raise AssertionError("the body was read")

    readline = read


def _post(path: str, *, length: int, content_type: str, **extra):
    """POST with a declared Content-Length and a body stream nobody may read."""
    client = Client()
    environ = {
        "REQUEST_METHOD": "POST", "PATH_INFO": path, "CONTENT_TYPE": content_type,
        "CONTENT_LENGTH": str(length), "wsgi.input": Unreadable(), "HTTP_ACCEPT_LANGUAGE": "en", **extra,
    }
    return client.request(**environ)


@pytest.mark.django_db
def test_an_upload_over_the_public_form_limit_is_413_before_reading(tenant):
    response = _post(f"/apply/{tenant.slug}/", length=112 * MB, content_type=f"{MULTIPART_CONTENT}")
    assert response.status_code == 413
    body = response.content.decode()
    assert "too large" in body and "111" in body
    # WSGI servers refuse hop-by-hop headers from the application (wsgiref turned it into a 500).
    from wsgiref.util import is_hop_by_hop

    assert not [name for name in response.headers if is_hop_by_hop(name)]


def test_the_public_form_takes_eleven_documents_worth_other_uploads_less():
    from django.test import RequestFactory

    from channelhub.security.body_limit import body_limit

    factory = RequestFactory()
    form = factory.post("/apply/huaxin/", {"legal_name": "x"})  # multipart
    assert body_limit(form) >= 11 * 10 * MB
    assert body_limit(factory.post("/admin/recruitment/application/add/", {"x": "y"})) < 11 * 10 * MB
    assert body_limit(factory.post("/api/v1/partners/", b"{}", content_type="application/json")) <= 2.5 * MB


@pytest.mark.django_db
def test_an_ordinary_form_post_reaches_the_view(tenant):
    response = Client().post(f"/apply/{tenant.slug}/", {"legal_name": ""})
    assert response.status_code == 200  # the form, with its errors


@pytest.mark.django_db
def test_other_uploads_and_json_have_smaller_limits(tenant):
    owner = make_member(tenant, Role.OWNER)
    api = api_client_for(owner)
    big_json = api.generic("POST", "/api/v1/partners/", b"{}", content_type="application/json",
                           CONTENT_LENGTH=str(3 * MB), HTTP_ACCEPT_LANGUAGE="en")
    assert big_json.status_code == 413
    assert "too large" in big_json.json()["detail"]
    upload = _post("/admin/recruitment/application/add/", length=30 * MB, content_type=MULTIPART_CONTENT)
    assert upload.status_code == 413
    small = api.post("/api/v1/partners/", {"legal_name": ""}, format="json")
    assert small.status_code == 400  # reached the API: an ordinary validation error


@pytest.mark.django_db
@override_settings(MAX_REQUEST_BODY_BYTES=10, MAX_UPLOAD_BODY_BYTES=20, MAX_REQUEST_BODY_BYTES_PATHS={"/apply/": 30})
def test_limits_come_from_settings(tenant):
    assert _post("/portal/login/", length=11, content_type="application/x-www-form-urlencoded").status_code == 413
    assert _post("/admin/", length=21, content_type=MULTIPART_CONTENT).status_code == 413
    assert _post(f"/apply/{tenant.slug}/", length=31, content_type=MULTIPART_CONTENT).status_code == 413


@pytest.mark.django_db
def test_a_malformed_content_length_is_400():
    response = Client().generic("POST", "/api/v1/auth/token/", b"", content_type="application/json",
                                CONTENT_LENGTH="lots")
    assert response.status_code == 400
