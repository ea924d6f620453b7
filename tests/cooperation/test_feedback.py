"""Market feedback: partners send it (up to five files, each checked by content; all or nothing), managers triage,
answer, tag and close it, the partner reads the answer; the summary by category × region × month; the contribution
KPI input; API, portal and admin (files listed and downloaded per file, own tenant and partner only) with constant
query counts."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from channelhub import kpi_inputs
from channelhub.notifications.models import Notification
from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.jobs import Period
from channelhub.tenancy.roles import Role
from channelhub.tenancy.workflow import IllegalTransition
from cooperation import selectors, services
from cooperation.models import FEEDBACK_MAX_FILES, Feedback, FeedbackFile, FeedbackState
from tests.conftest import api_client_for, make_member
from tests.factories import PartnerFactory, ProductFactory

from .factories import PDF_BYTES, PNG_BYTES

pytestmark = pytest.mark.django_db


def _submit(tenant, actor, partner, **fields):
    with tenant_scope(tenant):
        values = {"category": "competitor", "title": "竞品降价 15%", "text": "某品牌在华东地区促销。"} | fields
        return services.feedback_submit(tenant=tenant, actor=actor, partner=partner, **values)


def _pdf(name="price.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def _png(name="shelf.png"):
    return SimpleUploadedFile(name, PNG_BYTES, content_type="image/png")


def _stored(settings) -> list:
    """Every file written under the private media root (what a refused submission must not leave behind)."""
    from pathlib import Path

    return [path for path in Path(settings.PRIVATE_MEDIA_ROOT).rglob("*") if path.is_file()]


def test_workflow_answer_tags_and_rights(tenant, partner, partner_user, people, region):
    manager = people["manager"]
    item = _submit(tenant, partner_user, partner, region=region, files=[_pdf()])
    assert item.state == FeedbackState.NEW
    with tenant_scope(tenant):
        assert [(f.original_name, f.content_type, f.partner_id) for f in selectors.feedback_files(item)] == [
            ("price.pdf", "application/pdf", partner.pk)]
    assert item.month == timezone.localdate().replace(day=1)
    with tenant_scope(tenant):
        with pytest.raises(PermissionDenied):
            services.feedback_triage(feedback=item, actor=partner_user)
        with pytest.raises(PermissionDenied):
            services.feedback_answer(feedback=item, actor=people["trainer"], answer="x")
        services.feedback_triage(feedback=item, actor=manager, tags="价格, competitor,价格 ")
        item.refresh_from_db()
        assert item.state == FeedbackState.TRIAGED and item.tag_list == ["价格", "competitor"]
        with pytest.raises(ValidationError):
            services.feedback_answer(feedback=item, actor=manager, answer="  ")
        services.feedback_answer(feedback=item, actor=manager, answer="谢谢，我们将调整华东价格。")
        item.refresh_from_db()
        assert item.state == FeedbackState.ANSWERED and item.answered_by == manager
        assert Notification.objects.filter(recipient=partner_user).exists()
        services.feedback_answer(feedback=item, actor=manager, answer="补充：下月生效。")  # answered again
        services.feedback_close(feedback=item, actor=manager)
        with pytest.raises(IllegalTransition):
            services.feedback_triage(feedback=item, actor=manager)
        with pytest.raises(ValidationError):
            services.feedback_tag(feedback=item, actor=manager, tags=",".join(f"tag{i}" for i in range(80)))


def test_several_files_are_stored_in_order_with_their_facts(tenant, partner, partner_admin, settings):
    item = _submit(tenant, partner_admin, partner, files=[_pdf("a.pdf"), _png("b.png"), _pdf("c.pdf")])
    with tenant_scope(tenant):
        rows = list(selectors.feedback_files(item))
        assert [(r.original_name, r.content_type, r.size, r.uploaded_by) for r in rows] == [
            ("a.pdf", "application/pdf", len(PDF_BYTES), partner_admin),
            ("b.png", "image/png", len(PNG_BYTES), partner_admin),
            ("c.pdf", "application/pdf", len(PDF_BYTES), partner_admin)]
        assert {r.tenant_id for r in rows} == {tenant.pk} and rows[0].file.read().startswith(b"%PDF")
    assert len(_stored(settings)) == 3


def test_a_bad_third_file_refuses_the_whole_submission(tenant, partner, partner_admin, settings):
    """All or nothing: the first two files are fine, the third is an executable named .pdf."""
    with pytest.raises(ValidationError) as refused:
        _submit(tenant, partner_admin, partner, title="三个文件",
                files=[_pdf("a.pdf"), _png("b.png"), SimpleUploadedFile("evil.pdf", b"MZ\x90\x00binary")])
    assert list(refused.value.message_dict) == ["files"]
    assert refused.value.message_dict["files"][0].startswith("evil.pdf: ")
    with tenant_scope(tenant):
        assert not Feedback.objects.filter(title="三个文件").exists() and not FeedbackFile.objects.exists()
    assert _stored(settings) == []


def test_too_many_or_too_large_files_are_refused(tenant, partner, partner_admin, settings):
    with pytest.raises(ValidationError) as refused:
        _submit(tenant, partner_admin, partner, files=[_pdf(f"{n}.pdf") for n in range(FEEDBACK_MAX_FILES + 1)])
    assert "files" in refused.value.message_dict
    settings.MAX_DOCUMENT_BYTES = 20
    with pytest.raises(ValidationError) as refused:
        _submit(tenant, partner_admin, partner, files=[_pdf("big.pdf")])
    assert "files" in refused.value.message_dict
    with tenant_scope(tenant):
        assert not Feedback.objects.exists()
    assert _stored(settings) == []
    item = _submit(tenant, partner_admin, partner, files=[])  # no file at all is fine
    with tenant_scope(tenant):
        assert not item.files.exists()


def test_submit_validates_input_and_partner(tenant, partner, partner_admin, other_tenant):
    with pytest.raises(ValidationError) as refused:
        _submit(tenant, partner_admin, partner, files=[SimpleUploadedFile("evil.pdf", b"MZ\x90\x00binary")])
    assert "files" in refused.value.message_dict
    for bad in ({"category": "gossip"}, {"title": " "}, {"text": ""}):
        with pytest.raises(ValidationError):
            _submit(tenant, partner_admin, partner, **bad)
    with tenant_scope(tenant):
        other = PartnerFactory(region=partner.region)
    with pytest.raises(PermissionDenied):
        _submit(tenant, partner_admin, other)  # another partner's name
    with tenant_scope(other_tenant):
        foreign = ProductFactory()
    with pytest.raises(ValidationError):
        _submit(tenant, partner_admin, partner, product=foreign)


def test_summary_and_kpi(tenant, partner, partner_admin, region, people):
    with tenant_scope(tenant):
        second = PartnerFactory(region=region)
    other_admin = make_member(tenant, Role.PARTNER_ADMIN, partner=second, username="second")
    _submit(tenant, partner_admin, partner, region=region)
    _submit(tenant, partner_admin, partner, region=region)
    _submit(tenant, partner_admin, partner, category="demand")
    _submit(tenant, other_admin, second, region=region)
    with tenant_scope(tenant):
        rows = selectors.feedback_summary()
        by_key = {(r["category"], r["region"]): r["count"] for r in rows}
        assert by_key == {("competitor", region.pk): 3, ("demand", None): 1}
        assert {r["month"] for r in rows} == {timezone.localdate().strftime("%Y-%m")}
        start, end = selectors.summary_window(datetime.date(2000, 1, 1), datetime.date(2027, 12, 1))
        assert start == datetime.date(2026, 1, 1) and end == datetime.date(2027, 12, 1)  # at most 24 months
    now = timezone.now()
    period = Period("monthly", now - datetime.timedelta(days=1), now + datetime.timedelta(days=1), "x")
    assert kpi_inputs.read("cooperation.feedback_contribution", tenant, period) == {partner.pk: 3, second.pk: 1}


def test_api(tenant, partner, partner_admin, partner_user, people, region, settings):
    mine = api_client_for(partner_user)
    created = mine.post("/api/v1/cooperation/feedback/", {
        "category": "product_issue", "title": "屏幕偏色", "text": "三位客户反馈", "region": region.pk,
        "files": [_png("photo.png"), _pdf("report.pdf")]}, format="multipart")
    assert created.status_code == 201, created.json()
    item = created.json()
    assert item["partner"] == partner.pk and "tags" not in item
    with tenant_scope(tenant):
        first, second = FeedbackFile.objects.filter(feedback_id=item["id"]).order_by("pk")
    assert item["files"] == [
        {"id": first.pk, "name": "photo.png", "content_type": "image/png", "size": len(PNG_BYTES),
         "uploaded_at": item["files"][0]["uploaded_at"],
         "download_url": reverse("cooperation-portal:feedback-file", args=[first.pk])},
        {"id": second.pk, "name": "report.pdf", "content_type": "application/pdf", "size": len(PDF_BYTES),
         "uploaded_at": item["files"][1]["uploaded_at"],
         "download_url": reverse("cooperation-portal:feedback-file", args=[second.pk])}]
    assert mine.get(f"/api/v1/cooperation/feedback/{item['id']}/").json()["files"] == item["files"]
    for bad in ({"category": "x", "title": "t", "text": "t"}, {"category": "demand", "title": "", "text": "t"},
                {"category": "demand", "title": "t", "text": "t", "region": 999999}):
        assert mine.post("/api/v1/cooperation/feedback/", bad, format="json").status_code == 400, bad
    stored = len(_stored(settings))
    bad_file = mine.post("/api/v1/cooperation/feedback/", {
        "category": "demand", "title": "坏文件", "text": "t",
        "files": [_pdf("a.pdf"), _pdf("b.pdf"), SimpleUploadedFile("x.pdf", b"not a pdf")]}, format="multipart")
    assert bad_file.status_code == 400 and "x.pdf" in bad_file.json()["files"][0]
    too_many = mine.post("/api/v1/cooperation/feedback/", {
        "category": "demand", "title": "太多", "text": "t",
        "files": [_pdf(f"{n}.pdf") for n in range(FEEDBACK_MAX_FILES + 1)]}, format="multipart")
    assert too_many.status_code == 400 and "files" in too_many.json()
    with tenant_scope(tenant):
        assert not Feedback.objects.filter(title__in=["坏文件", "太多"]).exists()
    assert len(_stored(settings)) == stored
    manager = api_client_for(people["manager"])
    assert manager.post("/api/v1/cooperation/feedback/", {"category": "demand", "title": "t", "text": "t"},
                        format="json").status_code == 403  # partners send feedback
    url = f"/api/v1/cooperation/feedback/{item['id']}"
    staff_view = manager.get(f"{url}/").json()
    assert [f["download_url"] for f in staff_view["files"]] == [
        reverse("admin:cooperation_feedback_file", args=[first.pk]),
        reverse("admin:cooperation_feedback_file", args=[second.pk])]
    assert manager.post(f"{url}/tags/", {"tags": "屏幕, 质量"}, format="json").json()["tags"] == "屏幕, 质量"
    assert manager.post(f"{url}/answer/", {"answer": "已转质量部"}, format="json").json()["state"] == "answered"
    assert manager.post(f"{url}/triage/").status_code == 409  # answered already
    assert mine.post(f"{url}/answer/", {"answer": "x"}, format="json").status_code == 403
    read = mine.get(f"{url}/").json()
    assert read["answer"] == "已转质量部" and "tags" not in read


def _download(client, url) -> tuple[int, bytes]:
    response = client.get(url)
    body = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    return response.status_code, body


def test_portal_and_admin(client, tenant, partner, partner_admin, people, region, other_tenant, settings):
    client.force_login(partner_admin)
    form = client.get(reverse("cooperation-portal:feedback-new"))
    assert form.status_code == 200 and 'type="file" name="files"' in form.content.decode()
    assert "multiple" in form.content.decode()
    sent = client.post(reverse("cooperation-portal:feedback-new"), {
        "category": "suggestion", "title": "希望增加分期付款", "text": "客户需要", "region": region.pk,
        "files": [_pdf("idea.pdf"), _png("store.png")]})
    assert sent.status_code == 302
    with tenant_scope(tenant):
        item = Feedback.objects.get(title="希望增加分期付款")
        pdf, png = selectors.feedback_files(item)
    page = client.get(reverse("cooperation-portal:feedback", args=[item.pk])).content.decode()
    for row in (pdf, png):
        assert reverse("cooperation-portal:feedback-file", args=[row.pk]) in page and row.original_name in page
    status, body = _download(client, reverse("cooperation-portal:feedback-file", args=[pdf.pk]))
    assert status == 200 and body.startswith(b"%PDF")
    status, body = _download(client, reverse("cooperation-portal:feedback-file", args=[png.pk]))
    assert status == 200 and body.startswith(b"\x89PNG")
    stored = len(_stored(settings))
    refused = client.post(reverse("cooperation-portal:feedback-new"), {
        "category": "suggestion", "title": "x", "text": "y",
        "files": [_pdf("a.pdf"), _pdf("b.pdf"), SimpleUploadedFile("c.pdf", b"GIF89a")]})
    assert refused.status_code == 200 and "files" in refused.context["form"].errors
    too_many = client.post(reverse("cooperation-portal:feedback-new"), {
        "category": "suggestion", "title": "x", "text": "y",
        "files": [_pdf(f"{n}.pdf") for n in range(FEEDBACK_MAX_FILES + 1)]})
    assert too_many.status_code == 200 and "files" in too_many.context["form"].errors
    with tenant_scope(tenant):
        assert not Feedback.objects.filter(title="x").exists()
    assert len(_stored(settings)) == stored
    assert "希望增加分期付款" in client.get(reverse("cooperation-portal:feedback-list")).content.decode()
    # Another partner's item and file, and another tenant's file: 404 (not 403: nothing is revealed).
    with tenant_scope(tenant):
        other = PartnerFactory(region=region)
    stranger = _submit(tenant, None, other, title="别家的反馈", files=[_pdf("theirs.pdf")])
    with tenant_scope(other_tenant):
        foreign_partner = PartnerFactory()
    foreign = _submit(other_tenant, None, foreign_partner, title="外租户", files=[_pdf("foreign.pdf")])
    with tenant_scope(tenant):
        stranger_file = stranger.files.get()
    with tenant_scope(other_tenant):
        foreign_file = foreign.files.get()
    assert client.get(reverse("cooperation-portal:feedback", args=[stranger.pk])).status_code == 404
    for row in (stranger_file, foreign_file):
        assert client.get(reverse("cooperation-portal:feedback-file", args=[row.pk])).status_code == 404
    # Staff: the files are on the item's page and download through the admin's checked view.
    client.force_login(people["manager"])
    changelist = client.get("/admin/cooperation/feedback/")
    assert changelist.status_code == 200 and changelist.context["feedback_summary"]
    change = client.get(f"/admin/cooperation/feedback/{item.pk}/change/").content.decode()
    assert reverse("admin:cooperation_feedback_file", args=[png.pk]) in change and "store.png" in change
    answered = client.post(f"/admin/cooperation/feedback/{item.pk}/change/", {"tags": "付款", "answer": "会考虑"})
    assert answered.status_code == 302
    item.refresh_from_db()
    assert item.state == FeedbackState.ANSWERED and item.tags == "付款"
    status, body = _download(client, reverse("admin:cooperation_feedback_file", args=[pdf.pk]))
    assert status == 200 and body.startswith(b"%PDF")
    assert _download(client, reverse("admin:cooperation_feedback_file", args=[stranger_file.pk]))[0] == 200
    assert _download(client, reverse("admin:cooperation_feedback_file", args=[foreign_file.pk]))[0] == 404
    client.force_login(partner_admin)
    assert client.get(reverse("admin:cooperation_feedback_file", args=[pdf.pk])).status_code in (302, 403)
    page = client.get(reverse("cooperation-portal:feedback", args=[item.pk]))
    assert "会考虑" in page.content.decode()


def test_list_pages_cost_the_same_with_more_feedback(client, tenant, partner, partner_admin, people, region):
    def count(url) -> int:
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    _submit(tenant, partner_admin, partner, region=region)
    pages = [(partner_admin, reverse("cooperation-portal:feedback-list")),
             (people["manager"], "/admin/cooperation/feedback/")]
    before = {}
    for user, url in pages:
        client.force_login(user)
        before[url] = count(url)
    api = api_client_for(partner_admin)
    with CaptureQueriesContext(connection) as queries:
        api.get("/api/v1/cooperation/feedback/")
    api_before = len(queries)
    for n in range(4):
        _submit(tenant, partner_admin, partner, region=region, category=["pricing", "demand"][n % 2])
    for user, url in pages:
        client.force_login(user)
        assert count(url) == before[url], url
    with CaptureQueriesContext(connection) as queries:
        api.get("/api/v1/cooperation/feedback/")
    assert len(queries) == api_before
