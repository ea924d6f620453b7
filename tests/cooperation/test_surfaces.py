"""The portal, the admin and the API around one agreement and the communication pages; query counts."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from channelhub.tenancy.context import tenant_scope
from cooperation import services
from cooperation.models import AgreementState, CooperationSettings, Signature
from tests.conftest import api_client_for

pytestmark = pytest.mark.django_db
S = AgreementState


def _client(client, user):
    client.force_login(user)
    # The tenant's language (zh-hans) wins over Accept-Language; the switch's cookie wins over it.
    client.cookies["django_language"] = "en"
    return client


def test_partner_signs_in_the_portal_with_the_hash_shown(client, tenant, sent, partner_admin):
    agreement = sent()
    page = _client(client, partner_admin).get(reverse("cooperation-portal:agreement", args=[agreement.pk]),
                                              HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    body = page.content.decode()
    assert agreement.content_hash in body and "Sign the agreement" in body
    response = client.post(reverse("cooperation-portal:agreement", args=[agreement.pk]), {
        "signer_name": "周强", "signer_title": "总经理", "content_hash": agreement.content_hash, "confirm": "on"})
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.state == S.PARTNER_SIGNED
    with tenant_scope(tenant):
        assert Signature.objects.get().ip_address == "127.0.0.1"
    pdf = client.get(reverse("cooperation-portal:agreement-pdf", args=[agreement.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_a_partner_user_reads_but_cannot_sign(client, sent, partner_user):
    agreement = sent()
    page = _client(client, partner_user).get(reverse("cooperation-portal:agreement", args=[agreement.pk]))
    assert page.status_code == 200 and not page.context["may_sign"]
    refused = client.post(reverse("cooperation-portal:agreement", args=[agreement.pk]), {
        "signer_name": "x", "signer_title": "y", "content_hash": agreement.content_hash, "confirm": "on"})
    assert refused.status_code == 403


def test_drafts_are_not_shown_to_the_partner(client, draft, partner_admin):
    agreement = draft()
    assert _client(client, partner_admin).get(
        reverse("cooperation-portal:agreement", args=[agreement.pk])).status_code == 404


def test_the_first_agreement_gate(client, tenant, sent, partner_admin, people):
    with tenant_scope(tenant):
        services.settings_update(tenant=tenant, actor=people["owner"], require_signed_agreement=True)
    client = _client(client, partner_admin)
    blocked = client.get(reverse("cooperation-portal:threads"))
    assert blocked.status_code == 302 and blocked["Location"] == reverse("cooperation-portal:agreements")
    assert client.get(reverse("portal:dashboard")).status_code == 302
    agreement = sent()
    assert client.get(reverse("cooperation-portal:agreement", args=[agreement.pk])).status_code == 200
    client.post(reverse("cooperation-portal:agreement", args=[agreement.pk]), {
        "signer_name": "周强", "signer_title": "总经理", "content_hash": agreement.content_hash, "confirm": "on"})
    assert client.get(reverse("cooperation-portal:threads")).status_code == 200
    with tenant_scope(tenant):
        assert CooperationSettings.objects.get().require_signed_agreement


def test_admin_buttons_follow_role_and_state(client, tenant, draft, people):
    agreement = draft()
    url = reverse("admin:cooperation_agreement_change", args=[agreement.pk])
    manager_page = _client(client, people["manager"]).get(url)
    assert manager_page.context["may_submit"] and not manager_page.context["may_review"]
    client.post(reverse("admin:cooperation_agreement_submit", args=[agreement.pk]))
    legal_page = _client(client, people["legal"]).get(url)
    assert legal_page.context["may_review"] and not legal_page.context["may_submit"]
    response = client.post(reverse("admin:cooperation_agreement_review", args=[agreement.pk]),
                           {"decision": "return", "comment": "Fix <b>venue</b>"})
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.state == S.DRAFT
    review = client.get(reverse("admin:cooperation_agreement_review", args=[agreement.pk]))
    assert "Fix &lt;b&gt;venue&lt;/b&gt;" in review.content.decode()
    manager = _client(client, people["manager"])
    manager.post(reverse("admin:cooperation_agreement_text", args=[agreement.pk]),
                 {"text": agreement.text + "\n<script>x</script>", "note": "venue"})
    diff = manager.get(reverse("admin:cooperation_agreement_diff", args=[agreement.pk]))
    assert diff.status_code == 200 and "&lt;script&gt;" in diff.content.decode()
    assert "<script>x" not in diff.content.decode()
    assert manager.get(reverse("admin:cooperation_agreement_pdf", args=[agreement.pk])).content.startswith(b"%PDF")
    assert manager.get(reverse("admin:cooperation_agreement_print", args=[agreement.pk])).status_code == 200


def test_api_illegal_moves_answer_409_and_bad_input_400(tenant, draft, people):
    agreement = draft()
    api = api_client_for(people["manager"])
    base = f"/api/v1/cooperation/agreements/{agreement.pk}"
    assert api.post(f"{base}/terminate/", {"reason": "x"}, format="json").status_code == 409
    assert api.post(f"{base}/submit/", format="json").status_code == 200
    assert api.post(f"{base}/submit/", format="json").status_code == 409
    legal = api_client_for(people["legal"])
    assert legal.post(f"{base}/review/", {"decision": "return"}, format="json").status_code == 400
    assert legal.post(f"{base}/review/", {"decision": "approve"}, format="json").json()["state"] == "sent"
    assert api.post(f"{base}/review/", {"decision": "approve"}, format="json").status_code == 403
    versions = api.get(f"{base}/versions/").json()
    assert versions[0]["content_hash"] == agreement.content_hash


def test_template_publish_names_the_missing_clause_in_the_api(tenant, people):
    api = api_client_for(people["manager"])
    created = api.post("/api/v1/cooperation/templates/", {"code": "x", "name": "X", "dispute_venue": "SHIAC"},
                       format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert created.status_code == 201, created.json()
    template_id = created.json()["id"]
    api.post("/api/v1/cooperation/clauses/", {"template": template_id, "kind": "objectives", "title": "T",
                                               "body": "{{partner.nickname}}"}, format="json")
    refused = api.post(f"/api/v1/cooperation/templates/{template_id}/publish/", format="json")
    assert refused.status_code == 400
    messages = " ".join(refused.json()["clauses"])
    assert "Confidentiality" in messages and "{{partner.nickname}}" in messages


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_query_counts_stay_constant_with_rows(client, tenant, sent, people, partner_admin):
    sent()
    with tenant_scope(tenant):
        services.announcement_create(tenant=tenant, actor=people["manager"], title="A", body="B", publish=True)
        services.thread_start(tenant=tenant, actor=partner_admin, partner=partner_admin and
                              sent().partner, subject="S", body="B")
    portal_urls = [reverse(f"cooperation-portal:{name}") for name in
                   ("agreements", "announcements", "threads", "events", "library")]
    admin_urls = [reverse(f"admin:cooperation_{model}_changelist") for model in
                  ("agreement", "announcement", "thread", "event", "libraryitem")]
    api_urls = ["/api/v1/cooperation/agreements/", "/api/v1/cooperation/announcements/"]
    partner = _client(client, partner_admin)
    first = {url: _queries(partner, url) for url in portal_urls}
    staff_client = _client(type(client)(), people["manager"])
    first_admin = {url: _queries(staff_client, url) for url in admin_urls}
    api = api_client_for(people["manager"])
    first_api = {url: _queries(api, url) for url in api_urls}
    for _ in range(3):
        agreement = sent()
        with tenant_scope(tenant):
            services.announcement_create(tenant=tenant, actor=people["manager"], title="A", body="B", publish=True,
                                         partner_types=["distributor"])
            services.thread_start(tenant=tenant, actor=partner_admin, partner=agreement.partner, subject="S",
                                  body="B")
            services.event_publish(event=services.event_create(
                tenant=tenant, actor=people["manager"], title="E",
                starts_at=datetime.datetime(2031, 1, 1, tzinfo=datetime.UTC),
                ends_at=datetime.datetime(2031, 1, 2, tzinfo=datetime.UTC)), actor=people["manager"])
    assert {url: _queries(partner, url) for url in portal_urls} == first
    assert {url: _queries(staff_client, url) for url in admin_urls} == first_admin
    assert {url: _queries(api, url) for url in api_urls} == first_api
