"""The API documentation renders Swagger UI from the project's own static files."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser"), pytest.mark.django_db(transaction=True)]


def test_swagger_ui_renders_without_leaving_the_machine(browse):
    browsing = browse(locale="en-US")
    page = browsing.page
    response = browsing.goto("/api/v1/docs/")
    assert response.status == 200
    page.locator(".swagger-ui .information-container .title").wait_for()
    assert "ChannelHub API" in page.locator(".swagger-ui .title").first.inner_text()
    page.locator(".swagger-ui .opblock").first.wait_for()
    assert page.locator(".swagger-ui .opblock").count() > 5
    page.wait_for_load_state("networkidle")
    browsing.shot("api-docs")

    assert any("/static/drf_spectacular_sidecar/swagger-ui-dist/" in url for url in browsing.requests)
    assert any(url.endswith("/api/v1/schema/") for url in browsing.requests)
    assert browsing.foreign_requests() == []
