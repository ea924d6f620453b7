"""Market feedback: partners send it (attachment checked by content), managers triage, answer, tag and close it,
the partner reads the answer; the summary by category × region × month; the contribution KPI input; API, portal
and admin with constant query counts."""

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
from cooperation.models import Feedback, FeedbackState
from tests.conftest import api_client_for, make_member
from tests.factories import PartnerFactory, ProductFactory

from .factories import PDF_BYTES

pytestmark = pytest.mark.django_db


def _submit(tenant, actor, partner, **fields):
    with tenant_scope(tenant):
        values = {"category": "competitor", "title": "竞品降价 15%", "text": "某品牌在华东地区促销。"} | fields
        return services.feedback_submit(tenant=tenant, actor=actor, partner=partner, **values)


def test_workflow_answer_tags_and_rights(tenant, partner, partner_user, people, region):
    manager = people["manager"]
    item = _submit(tenant, partner_user, partner, region=region,
                   attachment=SimpleUploadedFile("price.pdf", PDF_BYTES))
    assert item.state == FeedbackState.NEW and item.attachment_type == "application/pdf"
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


def test_submit_validates_input_and_partner(tenant, partner, partner_admin, other_tenant):
    with pytest.raises(ValidationError) as refused:
        _submit(tenant, partner_admin, partner, attachment=SimpleUploadedFile("evil.pdf", b"MZ\x90\x00binary"))
    assert "attachment" in refused.value.message_dict
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


def test_api(tenant, partner, partner_admin, partner_user, people, region):
    mine = api_client_for(partner_user)
    created = mine.post("/api/v1/cooperation/feedback/", {
        "category": "product_issue", "title": "屏幕偏色", "text": "三位客户反馈", "region": region.pk,
        "attachment": SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32)}, format="multipart")
    assert created.status_code == 201, created.json()
    item = created.json()
    assert item["partner"] == partner.pk and item["attachment_name"] == "photo.png" and "tags" not in item
    for bad in ({"category": "x", "title": "t", "text": "t"}, {"category": "demand", "title": "", "text": "t"},
                {"category": "demand", "title": "t", "text": "t", "region": 999999}):
        assert mine.post("/api/v1/cooperation/feedback/", bad, format="json").status_code == 400, bad
    bad_file = mine.post("/api/v1/cooperation/feedback/", {
        "category": "demand", "title": "t", "text": "t",
        "attachment": SimpleUploadedFile("x.pdf", b"not a pdf")}, format="multipart")
    assert bad_file.status_code == 400 and "attachment" in bad_file.json()
    manager = api_client_for(people["manager"])
    assert manager.post("/api/v1/cooperation/feedback/", {"category": "demand", "title": "t", "text": "t"},
                        format="json").status_code == 403  # partners send feedback
    url = f"/api/v1/cooperation/feedback/{item['id']}"
    assert manager.post(f"{url}/tags/", {"tags": "屏幕, 质量"}, format="json").json()["tags"] == "屏幕, 质量"
    assert manager.post(f"{url}/answer/", {"answer": "已转质量部"}, format="json").json()["state"] == "answered"
    assert manager.post(f"{url}/triage/").status_code == 409  # answered already
    assert mine.post(f"{url}/answer/", {"answer": "x"}, format="json").status_code == 403
    read = mine.get(f"{url}/").json()
    assert read["answer"] == "已转质量部" and "tags" not in read


def test_portal_and_admin(client, tenant, partner, partner_admin, people, region):
    client.force_login(partner_admin)
    assert client.get(reverse("cooperation-portal:feedback-new")).status_code == 200
    sent = client.post(reverse("cooperation-portal:feedback-new"), {
        "category": "suggestion", "title": "希望增加分期付款", "text": "客户需要", "region": region.pk,
        "attachment": SimpleUploadedFile("idea.pdf", PDF_BYTES)})
    assert sent.status_code == 302
    with tenant_scope(tenant):
        item = Feedback.objects.get(title="希望增加分期付款")
    refused = client.post(reverse("cooperation-portal:feedback-new"), {
        "category": "suggestion", "title": "x", "text": "y", "attachment": SimpleUploadedFile("a.pdf", b"GIF89a")})
    assert refused.status_code == 200 and "attachment" in refused.context["form"].errors
    download = client.get(reverse("cooperation-portal:feedback-attachment", args=[item.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert "希望增加分期付款" in client.get(reverse("cooperation-portal:feedback-list")).content.decode()
    with tenant_scope(tenant):
        other = PartnerFactory(region=region)
    stranger = _submit(tenant, None, other, title="别家的反馈")
    assert client.get(reverse("cooperation-portal:feedback", args=[stranger.pk])).status_code == 404
    assert client.get(reverse("cooperation-portal:feedback-attachment", args=[stranger.pk])).status_code == 404
    client.force_login(people["manager"])
    changelist = client.get("/admin/cooperation/feedback/")
    assert changelist.status_code == 200 and changelist.context["feedback_summary"]
    answered = client.post(f"/admin/cooperation/feedback/{item.pk}/change/", {"tags": "付款", "answer": "会考虑"})
    assert answered.status_code == 302
    item.refresh_from_db()
    assert item.state == FeedbackState.ANSWERED and item.tags == "付款"
    assert client.get(f"/admin/cooperation/feedback/{item.pk}/download/").status_code == 200
    client.force_login(partner_admin)
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
