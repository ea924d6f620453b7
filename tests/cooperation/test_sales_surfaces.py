"""Sales reporting through the portal (form, upload with preview and error report), the API and the admin;
query counts of the new pages stay constant in the number of rows."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from channelhub.tenancy.context import tenant_scope
from cooperation import services
from cooperation.models import SalesLine, SalesReport
from tests.conftest import api_client_for
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db
LAST = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
P = LAST.strftime("%Y-%m")


@pytest.fixture
def products(tenant):
    with tenant_scope(tenant):
        return [ProductFactory(sku=f"SKU-{n}") for n in range(3)]


def _csv(*lines: str) -> SimpleUploadedFile:
    text = "period,sku,region,quantity,amount,currency,end_customers\n" + "\n".join(lines) + "\n"
    return SimpleUploadedFile("sales.csv", text.encode("utf-8"), content_type="text/csv")


def test_upload_with_bad_rows_reports_them_then_the_fixed_file_imports(client, tenant, partner_admin, products):
    client.force_login(partner_admin)
    url = reverse("cooperation-portal:sales-upload")
    bad = client.post(url, {"file": _csv(f"{P},SKU-0,EAST,5,500,CNY,1", f"{P},SKU-X,EAST,5,500,CNY,1",
                                         f"{P},SKU-1,EAST,-1,500,CNY,1")}, HTTP_ACCEPT_LANGUAGE="en")
    assert bad.status_code == 200
    errors = bad.context["result"].errors
    assert [(e.line, e.column) for e in errors] == [(3, "sku"), (4, "quantity")]
    assert "SKU-X" in bad.content.decode() and not bad.context["token"]
    good = client.post(url, {"file": _csv(f"{P},SKU-0,EAST,5,500,CNY,1", f"{P},SKU-1,EAST,1,500,CNY,1")})
    assert good.context["result"].ok and good.context["token"]
    with tenant_scope(tenant):
        assert not SalesLine.objects.exists()  # checked, not imported
    done = client.post(url, {"token": good.context["token"]})
    assert done.status_code == 302
    with tenant_scope(tenant):
        assert SalesLine.objects.filter(is_current=True).count() == 2
        assert SalesReport.objects.get().file_name == "sales.csv"
    again = client.post(url, {"token": good.context["token"]})  # the stash is gone: nothing twice
    assert again.status_code == 302
    with tenant_scope(tenant):
        assert SalesLine.objects.count() == 2


def test_portal_form_and_overview(client, tenant, partner_admin, products, region):
    client.force_login(partner_admin)
    with tenant_scope(tenant):
        product = products[0]
    response = client.post(reverse("cooperation-portal:sales-new"), {
        "period": P, "product": product.pk, "region": region.pk, "quantity": 2, "amount": "12345.50",
        "currency": "CNY", "end_customers": 1})
    assert response.status_code == 302
    again = client.post(reverse("cooperation-portal:sales-new"), {
        "period": P, "product": product.pk, "region": region.pk, "quantity": 2, "amount": "12345.50",
        "currency": "CNY", "end_customers": 1}, HTTP_ACCEPT_LANGUAGE="en")
    assert again.status_code == 200 and again.context["form"].errors
    page = client.get(reverse("cooperation-portal:sales"), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and "12,345.50" in page.content.decode()  # money reads with separators
    template = client.get(reverse("cooperation-portal:sales-template"))
    assert template.status_code == 200 and b"period,sku,region" in template.content


def test_api_submit_dry_run_errors_idempotency(tenant, partner_admin, people, products):
    api = api_client_for(partner_admin)
    url = "/api/v1/cooperation/sales-reports/"
    rows = [{"period": P, "sku": "SKU-0", "region": "EAST", "quantity": 4, "amount": "400.00"}]
    preview = api.post(url, {"rows": rows, "dry_run": True}, format="json")
    assert preview.status_code == 200 and preview.json()["line_count"] == 1 and preview.json()["report"] is None
    bad = api.post(url, {"rows": [*rows, {"period": P, "sku": "NO", "region": "EAST", "quantity": 1,
                                          "amount": "1"}]}, format="json")
    assert bad.status_code == 400
    assert [(e["line"], e["column"]) for e in bad.json()["rows"]] == [(2, "sku")] and "NO" in bad.json()["rows"][0][
        "message"]
    created = api.post(url, {"rows": rows}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert created.status_code == 201, created.json()
    replay = api.post(url, {"rows": rows}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert replay.status_code == 200 and replay.json()["replayed"]
    assert replay.json()["report"]["id"] == created.json()["report"]["id"]
    conflict = api.post(url, {"rows": [{**rows[0], "amount": "1"}]}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert conflict.status_code == 409
    lines = api.get("/api/v1/cooperation/sales-lines/?is_current=true").json()
    assert lines["count"] == 1 and lines["results"][0]["sku"] == "SKU-0"
    manager = api_client_for(people["manager"])
    assert manager.post(url, {"rows": rows}, format="json").status_code == 403
    assert manager.get("/api/v1/cooperation/sales-lines/").json()["count"] == 1
    upload = api.post("/api/v1/cooperation/sales-reports/",
                      {"file": _csv(f"{P},SKU-1,EAST,1,10,CNY,0"), "dry_run": "true"}, format="multipart")
    assert upload.status_code == 200 and upload.json()["line_count"] == 1


def test_api_periods_managers_set_deadlines(tenant, people, partner_admin):
    manager = api_client_for(people["manager"])
    created = manager.post("/api/v1/cooperation/sales-periods/", {"month": "2026-01-01"}, format="json")
    assert created.status_code == 201 and created.json()["deadline"] == "2026-02-10"
    pk = created.json()["id"]
    changed = manager.patch(f"/api/v1/cooperation/sales-periods/{pk}/", {"deadline": "2026-02-15"}, format="json")
    assert changed.status_code == 200 and changed.json()["deadline"] == "2026-02-15"
    bad = manager.patch(f"/api/v1/cooperation/sales-periods/{pk}/", {"deadline": "2025-01-01"}, format="json")
    assert bad.status_code == 400
    partner = api_client_for(partner_admin)
    assert partner.get("/api/v1/cooperation/sales-periods/").json()["count"] == 1
    assert partner.patch(f"/api/v1/cooperation/sales-periods/{pk}/", {"is_closed": True},
                         format="json").status_code == 403


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_query_counts_do_not_grow_with_rows(client, tenant, partner, partner_admin, people, products, region):
    def report(n: int):
        month = datetime.date(2020 + n // 12, n % 12 + 1, 1).strftime("%Y-%m")
        with tenant_scope(tenant):
            services.sales_import(tenant=tenant, partner=partner, actor=None, rows=[
                {"period": month, "sku": p.sku, "region": "EAST", "quantity": "1", "amount": "1"} for p in products])

    report(0)
    client.force_login(partner_admin)
    portal = [reverse("cooperation-portal:sales")]
    before = [_queries(client, url) for url in portal]
    client.force_login(people["manager"])
    admin = ["/admin/cooperation/salesline/", "/admin/cooperation/salesreport/", "/admin/cooperation/salesperiod/",
             "/admin/cooperation/reportingstatus/", f"/admin/partners/partner/{partner.pk}/change/"]
    [_queries(client, url) for url in admin]  # warm: the first visit fills caches
    admin_before = [_queries(client, url) for url in admin]
    for n in range(1, 6):
        report(n)
    client.force_login(partner_admin)
    assert [_queries(client, url) for url in portal] == before
    client.force_login(people["manager"])
    assert [_queries(client, url) for url in admin] == admin_before
