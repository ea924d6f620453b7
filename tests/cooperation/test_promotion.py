"""Promotion support (MDF): budgets, requests, claims with proof, payment; the budget is never over-committed
(also under concurrent approvals on PostgreSQL); portal, API and admin carry a request and its claim to paid."""

from __future__ import annotations

import datetime
import threading
import time
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.roles import Role
from channelhub.tenancy.workflow import IllegalTransition
from cooperation import selectors, services
from cooperation.models import FundBudget, FundClaim, FundClaimState, FundRequest, FundRequestState
from tests.conftest import api_client_for, make_member

from .factories import PDF_BYTES

TODAY = timezone.localdate()
PAST = TODAY - datetime.timedelta(days=10)

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL row locks (set DATABASE_URL)"
)


@pytest.fixture
def finance(tenant):
    return make_member(tenant, Role.FINANCE, username="finance")


@pytest.fixture
def budget(tenant, people):
    def build(total="10000", **fields):
        with tenant_scope(tenant):
            values = {"name": f"Budget {FundBudget.objects.count() + 1}", "start": TODAY.replace(month=1, day=1)
                      - datetime.timedelta(days=366), "end": TODAY + datetime.timedelta(days=366)} | fields
            return services.budget_create(tenant=tenant, actor=people["manager"], total=total, **values)

    return build


@pytest.fixture
def submitted(tenant, partner, partner_user):
    def build(amount="3000", **fields):
        with tenant_scope(tenant):
            values = {"title": "店庆促销", "kind": "in_store", "plan": "两天门店活动", "expected_results": "50 条线索",
                      "starts_on": PAST, "ends_on": PAST + datetime.timedelta(days=1)} | fields
            return services.fund_request_create(tenant=tenant, actor=partner_user, partner=partner, submit=True,
                                                requested_amount=amount, **values)

    return build


def _proof(name="proof.pdf"):
    return ContentFile(PDF_BYTES, name=name)


def test_request_claim_and_payment_move_the_budget(tenant, partner_user, people, finance, budget, submitted):
    manager = people["manager"]
    pool = budget("10000")
    request = submitted("3000")
    with tenant_scope(tenant):
        assert request.state == FundRequestState.SUBMITTED
        with pytest.raises(PermissionDenied):
            services.fund_request_approve(request=request, actor=partner_user, budget=pool)
        with pytest.raises(ValidationError):
            services.fund_request_approve(request=request, actor=manager, budget=pool, amount="3000.01")
        approved = services.fund_request_approve(request=request, actor=manager, budget=pool, amount="2500")
        assert approved.state == FundRequestState.APPROVED and approved.committed == Decimal("2500.00")
        pool.refresh_from_db()
        assert (pool.committed, pool.paid, pool.available) == (Decimal("2500"), Decimal(0), Decimal("7500"))
        with pytest.raises(IllegalTransition):
            services.fund_request_approve(request=request, actor=manager, budget=pool, amount="1")
        with pytest.raises(ValidationError):  # more than approved
            services.fund_claim_submit(request=request, actor=partner_user, actual_cost="4000",
                                       claimed_amount="2600", results="r", files=[_proof()])
        with pytest.raises(ValidationError):  # not a PDF, JPEG or PNG
            services.fund_claim_submit(request=request, actor=partner_user, actual_cost="4000",
                                       claimed_amount="2000", results="r", files=[ContentFile(b"MZ..", "x.pdf")])
        assert not FundClaim.objects.exists()
        claim = services.fund_claim_submit(request=request, actor=partner_user, actual_cost="4100.50",
                                           claimed_amount="2400", results="80 visitors, 12 orders", attendees=80,
                                           leads=12, files=[_proof()])
        with pytest.raises(PermissionDenied):
            services.fund_claim_review(claim=claim, actor=finance, decision="approve")
        with pytest.raises(ValidationError):
            services.fund_claim_review(claim=claim, actor=manager, decision="partial", amount="2400")
        claim = services.fund_claim_review(claim=claim, actor=manager, decision="partial", amount="2000",
                                           comment="one invoice missing")
        assert claim.state == FundClaimState.PARTIALLY_APPROVED and claim.approved_amount == Decimal("2000")
        pool.refresh_from_db()
        assert pool.committed == Decimal("2000.00")  # the partial approval released 500
        with pytest.raises(PermissionDenied):
            services.fund_claim_pay(claim=claim, actor=manager, payment_reference="X")
        paid = services.fund_claim_pay(claim=claim, actor=finance, payment_reference="BANK-0001", paid_on=TODAY)
        assert paid.state == FundClaimState.PAID and paid.payment_reference == "BANK-0001"
        pool.refresh_from_db()
        assert (pool.committed, pool.paid) == (Decimal(0), Decimal("2000.00"))
        request.refresh_from_db()
        assert request.state == FundRequestState.CLOSED and request.committed == 0
        assert selectors.mdf_paid_per_partner() == {request.partner_id: Decimal("2000.00")}
        assert selectors.partner_summary(request.partner_id)["paid"] == Decimal("2000.00")
    from channelhub import kpi_inputs

    paid_kpi = kpi_inputs.read("cooperation.mdf_paid", tenant, TODAY)
    assert {k: float(v) for k, v in paid_kpi.items()} == {request.partner_id: 2000.0}
    with tenant_scope(tenant):
        with pytest.raises(IllegalTransition):
            services.fund_claim_pay(claim=claim, actor=finance, payment_reference="again")
        assert pool.history.count() >= 4


def test_the_budget_is_never_over_committed_and_rejections_release(tenant, people, budget, submitted,
                                                                     partner_user):
    manager = people["manager"]
    pool = budget("5000")
    first, second = submitted("3000"), submitted("2500")
    with tenant_scope(tenant):
        services.fund_request_approve(request=first, actor=manager, budget=pool)
        with pytest.raises(ValidationError) as refused:
            services.fund_request_approve(request=second, actor=manager, budget=pool)
        assert "2000.00" in str(refused.value)
        second.refresh_from_db()
        assert second.state == FundRequestState.SUBMITTED  # nothing written
        with pytest.raises(ValidationError):
            services.budget_update(budget=pool, actor=manager, total="2999")
        claim = services.fund_claim_submit(request=first, actor=partner_user, actual_cost="100", claimed_amount="100",
                                           results="r", files=[_proof()])
        with pytest.raises(ValidationError):  # a rejection says why
            services.fund_claim_review(claim=claim, actor=manager, decision="reject", comment="")
        services.fund_claim_review(claim=claim, actor=manager, decision="reject", comment="no photos of the event")
        pool.refresh_from_db()
        assert pool.committed == 0
        first.refresh_from_db()
        assert first.state == FundRequestState.CLOSED
        assert services.fund_request_approve(request=second, actor=manager, budget=pool).committed == Decimal("2500")


def test_return_edit_resubmit_reject_close_and_budget_rules(tenant, partner, people, budget, submitted, partner_user,
                                                            partner_admin):
    manager = people["manager"]
    request = submitted("1000")
    with tenant_scope(tenant):
        with pytest.raises(ValidationError):
            services.fund_request_update(request=request, actor=partner_user, title="x")  # submitted: locked
        with pytest.raises(ValidationError):
            services.fund_request_return(request=request, actor=manager, comment=" ")
        services.fund_request_return(request=request, actor=manager, comment="add the venue")
        changed = services.fund_request_update(request=request, actor=partner_admin, plan="在徐家汇店")
        assert changed.plan == "在徐家汇店"
        with pytest.raises(ValidationError):
            services.fund_request_update(request=request, actor=partner_admin, requested_amount="abc")
        with pytest.raises(ValidationError):
            services.fund_request_update(request=request, actor=partner_admin, ends_on=PAST - datetime.timedelta(5))
        services.fund_request_submit(request=request, actor=partner_admin)
        closed_pool = budget("100000", is_open=False)
        with pytest.raises(ValidationError):
            services.fund_request_approve(request=request, actor=manager, budget=closed_pool)
        other = services.budget_create(tenant=tenant, actor=manager, name="Future", total="100",
                                       start=TODAY + datetime.timedelta(days=400),
                                       end=TODAY + datetime.timedelta(days=500))
        with pytest.raises(ValidationError):  # the activity lies outside the period
            services.fund_request_approve(request=request, actor=manager, budget=other)
        pool = budget("1000", partner=partner)
        services.fund_request_approve(request=request, actor=manager, budget=pool)
        services.fund_request_close(request=request, actor=manager, reason="the shop closed")
        pool.refresh_from_db()
        assert pool.committed == 0
        rejected = services.fund_request_reject(request=submitted("10"), actor=manager, comment="no budget left")
        assert rejected.state == FundRequestState.REJECTED
        with pytest.raises(ValidationError):
            services.budget_create(tenant=tenant, actor=manager, name="Bad", total="-1", start=TODAY, end=TODAY)
        with pytest.raises(ValidationError):
            services.budget_create(tenant=tenant, actor=manager, name="Bad", total="NaN", start=TODAY, end=TODAY)
        with pytest.raises(PermissionDenied):
            services.budget_create(tenant=tenant, actor=partner_user, name="Mine", total="1", start=TODAY, end=TODAY)


def test_partners_act_for_their_own_partner_only(tenant, people, submitted, region):
    from tests.factories import PartnerFactory

    with tenant_scope(tenant):
        other = PartnerFactory(region=region)
    stranger = make_member(tenant, Role.PARTNER_ADMIN, partner=other, username="stranger")
    request = submitted("100")
    with tenant_scope(tenant), pytest.raises(PermissionDenied):
        services.fund_request_update(request=request, actor=stranger, title="mine now")
    with tenant_scope(tenant), pytest.raises(PermissionDenied):
        services.fund_request_create(tenant=tenant, actor=stranger, partner=request.partner, title="t", plan="p",
                                     starts_on=PAST, ends_on=PAST, requested_amount="1")


@postgresql_only
def test_concurrent_approvals_never_exceed_the_budget(transactional_db, tenant, people, budget, submitted,
                                                      monkeypatch):
    """Two managers approve two requests at once against a budget that holds only one: one wins."""
    from cooperation.services import promotion

    pool = budget("5000")
    requests = [submitted("3000"), submitted("3000")]
    owner = make_member(tenant, Role.OWNER, username="owner2")
    barrier = threading.Barrier(2)
    results: dict[int, str] = {}
    real_move = promotion._move

    def slow_move(*args, **kwargs):
        # Hold the winner's lock a while so the loser really waits on the budget row.
        time.sleep(0.3)
        return real_move(*args, **kwargs)

    monkeypatch.setattr(promotion, "_move", slow_move)

    def approve(index: int, actor) -> None:
        try:
            with tenant_scope(tenant):
                seen_budget = FundBudget.objects.get(pk=pool.pk)
                seen = FundRequest.objects.get(pk=requests[index].pk)
                barrier.wait(timeout=10)
                services.fund_request_approve(request=seen, actor=actor, budget=seen_budget)
            results[index] = "won"
        except ValidationError:
            results[index] = "refused"
        except Exception as error:  # pragma: no cover - reported by the assertion below
            results[index] = repr(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(0, people["manager"])),
               threading.Thread(target=approve, args=(1, owner))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results.values()) == ["refused", "won"], results
    with tenant_scope(tenant):
        pool.refresh_from_db()
        assert pool.committed == Decimal("3000.00") and pool.committed + pool.paid <= pool.total
        assert FundRequest.objects.filter(state=FundRequestState.APPROVED).count() == 1


@postgresql_only
def test_many_concurrent_approvals_stay_within_the_budget(transactional_db, tenant, people, budget, submitted):
    """Six approvals of 1000 each at once against 3500: exactly three win, nothing is over-committed."""
    pool = budget("3500")
    requests = [submitted("1000") for _ in range(6)]
    barrier = threading.Barrier(len(requests))
    results: list[str] = []

    def approve(request) -> None:
        try:
            with tenant_scope(tenant):
                barrier.wait(timeout=10)
                services.fund_request_approve(request=request, actor=people["manager"], budget=pool)
            results.append("won")
        except ValidationError:
            results.append("refused")
        except Exception as error:  # pragma: no cover
            results.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(request,)) for request in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(results) == ["refused"] * 3 + ["won"] * 3, results
    with tenant_scope(tenant):
        pool.refresh_from_db()
        assert pool.committed == Decimal("3000.00")


# --------------------------------------------------------------------------- surfaces


def _pdf_upload(name="proof.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def test_a_request_and_its_claim_go_to_paid_through_the_portal_and_the_admin(client, tenant, partner, partner_admin,
                                                                             people, finance, budget):
    pool = budget("50000")
    client.force_login(partner_admin)
    assert client.get(reverse("cooperation-portal:mdf-new")).status_code == 200
    bad = client.post(reverse("cooperation-portal:mdf-new"), {
        "title": "路演", "kind": "in_store", "starts_on": PAST.isoformat(), "ends_on": PAST.isoformat(),
        "requested_amount": "-5", "plan": "计划", "submit": "1"})
    assert bad.status_code == 200 and "requested_amount" in bad.context["form"].errors
    created = client.post(reverse("cooperation-portal:mdf-new"), {
        "title": "路演", "kind": "in_store", "starts_on": PAST.isoformat(), "ends_on": PAST.isoformat(),
        "requested_amount": "8000", "plan": "三个商圈", "submit": "1"})
    assert created.status_code == 302
    with tenant_scope(tenant):
        row = FundRequest.objects.get()
        assert row.state == FundRequestState.SUBMITTED and row.requested_amount == Decimal("8000.00")
    page = client.get(reverse("cooperation-portal:mdf-request", args=[row.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and not page.context["may_claim"]

    client.force_login(people["manager"])
    decide = reverse("admin:cooperation_fundrequest_decide", args=[row.pk])
    assert client.get(reverse("admin:cooperation_fundrequest_change", args=[row.pk])).status_code == 200
    assert client.get(decide).context["allowed"]
    too_much = client.post(decide, {"decision": "approve", "budget": pool.pk, "amount": "9000"})
    assert too_much.status_code == 200  # refused with a message, nothing written
    with tenant_scope(tenant):
        assert FundRequest.objects.get().state == FundRequestState.SUBMITTED
    assert client.post(decide, {"decision": "approve", "budget": pool.pk, "amount": "7000"}).status_code == 302
    with tenant_scope(tenant):
        row.refresh_from_db()
        assert row.state == FundRequestState.APPROVED and row.committed == Decimal("7000.00")

    client.force_login(partner_admin)
    detail = reverse("cooperation-portal:mdf-request", args=[row.pk])
    assert client.get(detail).context["may_claim"]
    wrong = client.post(detail, {"action": "claim", "actual_cost": "9000", "claimed_amount": "7000",
                                 "attendees": "200", "leads": "30", "results": "顺利完成",
                                 "files": [SimpleUploadedFile("x.pdf", b"MZ not a pdf")]})
    assert wrong.status_code == 200 and wrong.context["claim_form"].errors
    claimed = client.post(detail, {"action": "claim", "actual_cost": "9000", "claimed_amount": "7000",
                                   "attendees": "200", "leads": "30", "results": "顺利完成",
                                   "files": [_pdf_upload("a.pdf"), _pdf_upload("b.pdf")]})
    assert claimed.status_code == 302
    with tenant_scope(tenant):
        claim = FundClaim.objects.get()
        assert claim.files.count() == 2
        proof = claim.files.first()
    download = client.get(reverse("cooperation-portal:mdf-proof", args=[proof.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")

    client.force_login(people["manager"])
    assert client.get(reverse("admin:cooperation_fundclaim_change", args=[claim.pk])).status_code == 200
    assert client.get(reverse("admin:cooperation_fundclaim_proof", args=[proof.pk])).status_code == 200
    review = reverse("admin:cooperation_fundclaim_review", args=[claim.pk])
    assert client.post(review, {"decision": "partial", "amount": "6500", "comment": "一张发票不符"}).status_code == 302
    assert client.get(reverse("admin:cooperation_fundclaim_pay", args=[claim.pk])).context["allowed"] is False

    client.force_login(finance)
    home = client.get(reverse("admin:index"))
    assert home.status_code == 200
    pay = reverse("admin:cooperation_fundclaim_pay", args=[claim.pk])
    assert client.post(pay, {"payment_reference": "", "paid_on": TODAY.isoformat()}).status_code == 200
    assert client.post(pay, {"payment_reference": "BANK-77", "paid_on": TODAY.isoformat()}).status_code == 302
    with tenant_scope(tenant):
        claim.refresh_from_db()
        pool.refresh_from_db()
        assert claim.state == FundClaimState.PAID and claim.payment_reference == "BANK-77"
        assert (pool.committed, pool.paid) == (Decimal(0), Decimal("6500.00"))
    partner_admin.language = "en"  # the page speaks the person's language (else the tenant's)
    partner_admin.save(update_fields=["language"])
    client.force_login(partner_admin)
    mine = client.get(reverse("cooperation-portal:mdf"), HTTP_ACCEPT_LANGUAGE="en")
    assert mine.status_code == 200 and "6,500.00" in mine.content.decode() and "Paid" in mine.content.decode()


def test_api_request_claim_review_and_pay(tenant, partner, partner_admin, partner_user, people, finance, budget):
    pool = budget("20000")
    partner_api = api_client_for(partner_user)
    created = partner_api.post("/api/v1/cooperation/mdf-requests/", {
        "title": "Seminar", "kind": "seminar", "plan": "60 clients", "starts_on": PAST.isoformat(),
        "ends_on": PAST.isoformat(), "requested_amount": "5000", "submit": True}, format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert created.json()["state"] == "submitted"
    assert partner_api.post("/api/v1/cooperation/mdf-requests/", {
        "title": "x", "plan": "y", "starts_on": "2030-01-02", "ends_on": "2030-01-01", "requested_amount": "1"},
        format="json").status_code == 400
    assert partner_api.post("/api/v1/cooperation/mdf-requests/", {
        "title": "x", "plan": "y", "starts_on": "2030-01-01", "ends_on": "2030-01-01", "requested_amount": "NaN"},
        format="json").status_code == 400
    assert partner_api.post(f"/api/v1/cooperation/mdf-requests/{pk}/approve/", {"budget": pool.pk},
                            format="json").status_code == 403
    manager = api_client_for(people["manager"])
    assert manager.post(f"/api/v1/cooperation/mdf-requests/{pk}/approve/", {"budget": 999999},
                        format="json").status_code == 400
    over = manager.post(f"/api/v1/cooperation/mdf-requests/{pk}/approve/", {"budget": pool.pk, "amount": "5000.01"},
                        format="json")
    assert over.status_code == 400
    approved = manager.post(f"/api/v1/cooperation/mdf-requests/{pk}/approve/", {"budget": pool.pk},
                            format="json")
    assert approved.status_code == 200 and approved.json()["committed"] == "5000.00"
    assert manager.post(f"/api/v1/cooperation/mdf-requests/{pk}/approve/", {"budget": pool.pk},
                        format="json").status_code == 409
    budget_row = manager.get(f"/api/v1/cooperation/mdf-budgets/{pool.pk}/").json()
    assert budget_row["available"] == "15000.00"
    claim = partner_api.post("/api/v1/cooperation/mdf-claims/", {
        "request": pk, "actual_cost": "5200", "claimed_amount": "5000", "attendees": 58, "results": "3 accounts"},
        format="json")
    assert claim.status_code == 201, claim.json()
    claim_pk = claim.json()["id"]
    no_proof = manager.post(f"/api/v1/cooperation/mdf-claims/{claim_pk}/review/", {"decision": "approve"},
                            format="json")
    assert no_proof.status_code == 400
    upload = partner_api.post(f"/api/v1/cooperation/mdf-claims/{claim_pk}/upload/", {"file": _pdf_upload()},
                              format="multipart")
    assert upload.status_code == 201, upload.json()
    bad_file = partner_api.post(f"/api/v1/cooperation/mdf-claims/{claim_pk}/upload/",
                                {"file": SimpleUploadedFile("x.png", b"GIF89a")}, format="multipart")
    assert bad_file.status_code == 400
    assert len(manager.get(f"/api/v1/cooperation/mdf-claims/{claim_pk}/files/").json()) == 1
    assert manager.post(f"/api/v1/cooperation/mdf-claims/{claim_pk}/review/", {"decision": "maybe"},
                        format="json").status_code == 400
    reviewed = manager.post(f"/api/v1/cooperation/mdf-claims/{claim_pk}/review/", {"decision": "approve"},
                            format="json")
    assert reviewed.status_code == 200 and reviewed.json()["state"] == "approved"
    assert manager.post(f"/api/v1/cooperation/mdf-claims/{claim_pk}/pay/", {"payment_reference": "x"},
                        format="json").status_code == 403
    paid = api_client_for(finance).post(f"/api/v1/cooperation/mdf-claims/{claim_pk}/pay/",
                                        {"payment_reference": "BANK-9", "paid_on": TODAY.isoformat()}, format="json")
    assert paid.status_code == 200 and paid.json()["state"] == "paid"
    assert api_client_for(partner_admin).get("/api/v1/cooperation/mdf-budgets/").status_code == 403
    listed = partner_api.get("/api/v1/cooperation/mdf-requests/").json()
    assert [row["claim_state"] for row in listed["results"]] == ["paid"]


def test_mdf_lists_cost_the_same_with_more_rows(client, tenant, partner_admin, people, budget, submitted,
                                                partner_user):
    pool = budget("1000000")

    def grow(n: int) -> None:
        for _ in range(n):
            row = submitted("100")
            with tenant_scope(tenant):
                row = services.fund_request_approve(request=row, actor=people["manager"], budget=pool)
                services.fund_claim_submit(request=row, actor=partner_user, actual_cost="90", claimed_amount="90",
                                           results="r", files=[_proof()])

    def count(url) -> int:
        client.get(url)  # warm
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    grow(1)
    pages = {partner_admin: [reverse("cooperation-portal:mdf")],
             people["manager"]: ["/admin/cooperation/fundrequest/", "/admin/cooperation/fundclaim/",
                                 "/admin/cooperation/fundbudget/"]}
    before = {}
    for user, urls in pages.items():
        client.force_login(user)
        for url in urls:
            before[url] = count(url)
    grow(4)
    for user, urls in pages.items():
        client.force_login(user)
        for url in urls:
            assert count(url) == before[url], url
    manager = api_client_for(people["manager"])
    for url in ("/api/v1/cooperation/mdf-requests/", "/api/v1/cooperation/mdf-claims/"):
        with CaptureQueriesContext(connection) as few:
            manager.get(url)
        grow(2)
        with CaptureQueriesContext(connection) as more:
            manager.get(url)
        assert len(few) == len(more), url


def test_work_queues_count_what_waits(rf, tenant, people, finance, budget, submitted, partner_user):
    from channelhub.admin.queues import queues_for

    pool = budget("10000")
    submitted("100")
    approved = submitted("200")
    with tenant_scope(tenant):
        approved = services.fund_request_approve(request=approved, actor=people["manager"], budget=pool)
        claim = services.fund_claim_submit(request=approved, actor=partner_user, actual_cost="1", claimed_amount="1",
                                           results="r", files=[_proof()])
    from django.test import Client

    client = Client()
    client.force_login(people["manager"])
    home = client.get(reverse("admin:index"))
    cards = {card.key: card.count for card in queues_for(home.wsgi_request)}
    assert cards["cooperation.mdf_requests"] == 1 and cards["cooperation.mdf_claims"] == 1
    with tenant_scope(tenant):
        services.fund_claim_review(claim=claim, actor=people["manager"], decision="approve")
    client.force_login(finance)
    home = client.get(reverse("admin:index"))
    cards = {card.key: card.count for card in queues_for(home.wsgi_request)}
    assert cards["cooperation.mdf_payments"] == 1 and "cooperation.mdf_requests" not in cards


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_demo_has_every_state_and_is_idempotent(tenant, partner, partner_admin, people, finance, language):
    from collections import Counter
    from types import SimpleNamespace

    from channelhub.tenancy.policy import trusted
    from cooperation.demo.promotion import ensure_promotion

    ctx = {"tenant": tenant, "spec": SimpleNamespace(default_language=language), "counts": Counter(),
           "roles": {Role.CHANNEL_MANAGER: people["manager"], Role.FINANCE: finance, Role.OWNER: people["owner"]},
           "flagships": {"first": partner}, "admins": {"first": partner_admin}}
    with tenant_scope(tenant), trusted():
        ensure_promotion(ctx)
        ensure_promotion(ctx)
        assert set(FundRequest.objects.values_list("state", flat=True)) == set(FundRequestState.values)
        assert set(FundClaim.objects.values_list("state", flat=True)) == set(FundClaimState.values)
        assert FundBudget.objects.count() == 2 and ctx["counts"]["cooperation.FundBudget"] == 2
        for pool in FundBudget.objects.all():
            assert 0 <= pool.committed + pool.paid <= pool.total
