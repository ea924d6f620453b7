"""Deal registration and channel conflicts: collisions under different spellings open a conflict, near matches
are scored, protection expires to the open pool (idempotently), won / lost attributes revenue, a qualification
gate, the partner's limited view of a conflict, the API, the portal, bad input and constant query counts."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from channelhub import eligibility, kpi_inputs
from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.jobs import Period
from channelhub.tenancy.roles import Role
from cooperation import selectors, services
from cooperation.deal_jobs import deal_protection
from cooperation.models import (
    ConflictCase,
    ConflictParty,
    ConflictState,
    DealMatch,
    DealRegistration,
    DealState,
    DirectAccount,
    MatchKind,
)
from tests.conftest import api_client_for, make_member
from tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db
SOON = timezone.localdate() + datetime.timedelta(days=60)


@pytest.fixture
def rival(tenant, region, people):
    """A second partner with its administrator."""
    with tenant_scope(tenant):
        partner = PartnerFactory(region=region, owner=people["manager"])
    return partner, make_member(tenant, Role.PARTNER_ADMIN, partner=partner, username="rival")


def register(tenant, actor, partner, name, **extra):
    values = {"products": "服务器 x 10", "amount": Decimal("250000"), "expected_close": SOON} | extra
    with tenant_scope(tenant):
        return services.deal_register(tenant=tenant, actor=actor, partner=partner, customer_name=name, **values)


def test_a_customer_written_differently_opens_a_conflict(tenant, partner, partner_admin, rival, people):
    first = register(tenant, partner_admin, partner, "上海鼎盛电子科技有限公司", contact_name="王经理",
                     contact_phone="13800000000")
    assert first.number.startswith("DR-") and first.number.endswith("-000001") and not first.has_conflict
    second = register(tenant, rival[1], rival[0], "鼎盛电子（上海）")
    assert second.has_conflict and second.number.endswith("-000002")  # counted within the tenant
    with tenant_scope(tenant):
        first.refresh_from_db()
        assert first.has_conflict
        case = ConflictCase.objects.get()
        assert case.state == ConflictState.OPEN and case.kind == "customer"
        parties = {p.partner_id: p for p in ConflictParty.objects.filter(case=case)}
        assert parties[rival[0].pk].is_claimant and parties[rival[0].pk].registration_id == second.pk
        assert parties[partner.pk].registration_id == first.pk
        match = DealMatch.objects.get(registration=second)
        assert (match.other_id, match.kind, match.score) == (first.pk, MatchKind.NAME, 100)
        # A third spelling joins the open case instead of opening another.
        third_partner = PartnerFactory(owner=people["manager"])
    third_admin = make_member(tenant, Role.PARTNER_ADMIN, partner=third_partner, username="third")
    register(tenant, third_admin, third_partner, "鼎盛电子(上海)有限公司")
    with tenant_scope(tenant):
        assert ConflictCase.objects.count() == 1 and ConflictParty.objects.count() == 3
        # Approval waits for the decision.
        with pytest.raises(ValidationError):
            services.deal_approve(registration=first, actor=people["manager"])
        services.conflict_decide(case=case, actor=people["manager"], resolution="awarded", awarded_to=partner,
                                 note="王经理确认由先报备方跟进")
        second.refresh_from_db()
        first.refresh_from_db()
        assert second.state == DealState.REJECTED and not first.has_conflict
        assert services.deal_approve(registration=first, actor=people["manager"]).state == DealState.APPROVED
        services.conflict_close(case=case, actor=people["manager"], outcome="双方确认")
        assert ConflictCase.objects.get().state == ConflictState.CLOSED


def test_same_credit_code_and_direct_accounts_collide(tenant, partner, partner_admin, rival, people):
    code = partner.credit_code  # any valid code will do
    with tenant_scope(tenant):
        services.direct_account_create(tenant=tenant, actor=people["manager"], name="华信通讯股份有限公司")
    register(tenant, partner_admin, partner, "Alpha Buyer Co., Ltd.", customer_credit_code=code)
    clash = register(tenant, rival[1], rival[0], "Completely Other Name", customer_credit_code=code.lower())
    direct = register(tenant, rival[1], rival[0], "广东省深圳市华信通讯")
    with tenant_scope(tenant):
        assert DealMatch.objects.get(registration=clash).kind == MatchKind.CREDIT_CODE
        case = selectors.deal_conflicts(direct).get()
        assert case.direct_account is not None
        services.conflict_decide(case=case, actor=people["manager"], resolution="direct", note="直销客户")
        direct.refresh_from_db()
        assert direct.state == DealState.REJECTED


def test_near_matches_are_scored_but_open_no_conflict(tenant, partner, partner_admin, rival):
    register(tenant, partner_admin, partner, "鼎盛电子科技有限公司")
    near = register(tenant, rival[1], rival[0], "鼎盛电子设备有限公司")
    with tenant_scope(tenant):
        match = DealMatch.objects.get(registration=near)
        assert match.kind == MatchKind.NEAR and 70 <= match.score < 100
        assert not near.has_conflict and not ConflictCase.objects.exists()


def test_bad_input_and_own_duplicates_are_refused(tenant, partner, partner_admin, partner_user, people):
    register(tenant, partner_admin, partner, "鼎盛电子")
    for extra in ({"customer_name": "上海鼎盛电子有限公司"}, {"customer_name": "  "}, {"customer_name": "!!"},
                  {"customer_name": "X公司", "amount": Decimal("0")},
                  {"customer_name": "X公司", "expected_close": datetime.date(2000, 1, 1)},
                  {"customer_name": "X公司", "customer_credit_code": "123"}):
        name = extra.pop("customer_name")
        with pytest.raises(ValidationError):
            register(tenant, partner_admin, partner, name, **extra)
    with pytest.raises(PermissionDenied):
        register(tenant, people["manager"], partner, "Y公司")  # partners register, not managers
    assert register(tenant, partner_user, partner, "Z公司").state == DealState.SUBMITTED


def test_a_qualification_may_be_required(tenant, partner, partner_admin):
    eligibility.register_provider("test.deals", partner=lambda p, code: eligibility.Answer(
        ok=False, reasons=("需要认证销售",)) if code == "deal_registration" else None)
    try:
        with pytest.raises(ValidationError, match="需要认证销售"):
            register(tenant, partner_admin, partner, "鼎盛电子")
    finally:
        eligibility.unregister_provider("test.deals")
    assert register(tenant, partner_admin, partner, "鼎盛电子").pk


def test_protection_expires_to_the_open_pool_once(tenant, partner, partner_admin, rival, people):
    deal = register(tenant, partner_admin, partner, "宏远星辰")
    with tenant_scope(tenant):
        services.deal_approve(registration=deal, actor=people["manager"], protection_days=10)
        deal.refresh_from_db()
        assert deal.protected_until == timezone.localdate() + datetime.timedelta(days=10)
    later = timezone.now() + datetime.timedelta(days=12)
    with tenant_scope(tenant):
        assert deal_protection(tenant=tenant, run_at=later).values["moved"] == 1
        assert deal_protection(tenant=tenant, run_at=later).values["moved"] == 0
        deal.refresh_from_db()
        assert deal.state == DealState.EXPIRED
        assert list(selectors.open_pool()) == [deal]
    # The customer is free again: another partner's registration opens no conflict.
    again = register(tenant, rival[1], rival[0], "宏远星辰有限公司")
    with tenant_scope(tenant):
        assert not again.has_conflict and not selectors.open_pool().exists()


def test_won_revenue_and_win_rate_feed_evaluation(tenant, partner, partner_admin, people):
    won = register(tenant, partner_admin, partner, "恒瑞精密")
    lost = register(tenant, partner_admin, partner, "光学仪器")
    with tenant_scope(tenant):
        for deal in (won, lost):
            services.deal_approve(registration=deal, actor=people["manager"])
        with pytest.raises(ValidationError):
            services.deal_close(registration=won, actor=partner_admin, won=True, amount="-1")
        services.deal_close(registration=won, actor=partner_admin, won=True, amount="180000")
        services.deal_close(registration=lost, actor=people["manager"], won=False)
        with pytest.raises(Exception):  # noqa: B017 — closed is final (IllegalTransition)
            services.deal_withdraw(registration=won, actor=partner_admin)
    month = timezone.localdate().replace(day=1)
    start = timezone.make_aware(datetime.datetime.combine(month, datetime.time()))
    end = timezone.make_aware(datetime.datetime.combine((month + datetime.timedelta(days=32)).replace(day=1),
                                                        datetime.time()))
    period = Period("monthly", start, end, "x")
    assert kpi_inputs.read("cooperation.deal_revenue", tenant, period) == {partner.pk: 180000}
    assert kpi_inputs.read("cooperation.deal_win_rate", tenant, period) == {partner.pk: 0.5}


def test_api_register_decide_and_a_partners_view_of_a_conflict(tenant, partner, partner_admin, rival, people):
    mine = api_client_for(partner_admin)
    created = mine.post("/api/v1/cooperation/deal-registrations/", {
        "customer_name": "上海鼎盛电子科技有限公司", "products": "服务器", "amount": "300000",
        "expected_close": SOON.isoformat(), "contact_name": "王经理", "contact_phone": "13800000000"}, format="json")
    assert created.status_code == 201, created.json()
    for bad in ({}, {"customer_name": "x", "products": "p", "amount": "abc", "expected_close": "2030-01-01"},
                {"customer_name": "x", "products": "p", "amount": "1", "expected_close": "2001-01-01"},
                {"customer_name": "x", "products": "p", "amount": "1", "expected_close": "2030-01-01",
                 "region": 999999}):
        assert mine.post("/api/v1/cooperation/deal-registrations/", bad, format="json").status_code == 400
    theirs = api_client_for(rival[1]).post("/api/v1/cooperation/deal-registrations/", {
        "customer_name": "鼎盛电子（上海）", "products": "交换机", "amount": "90000",
        "expected_close": SOON.isoformat()}, format="json")
    assert theirs.status_code == 201 and theirs.json()["has_conflict"]
    # Partners see their own registrations only; staff read the matches.
    listed = mine.get("/api/v1/cooperation/deal-registrations/").json()["results"]
    assert [row["id"] for row in listed] == [created.json()["id"]]
    assert mine.get(f"/api/v1/cooperation/deal-registrations/{theirs.json()['id']}/").status_code == 404
    assert mine.get(f"/api/v1/cooperation/deal-registrations/{created.json()['id']}/matches/").status_code == 403
    manager = api_client_for(people["manager"])
    matches = manager.get(f"/api/v1/cooperation/deal-registrations/{theirs.json()['id']}/matches/").json()
    assert matches[0]["score"] == 100
    # The conflict, as a party sees it: no other partner's name, value or contact.
    cases = mine.get("/api/v1/cooperation/conflict-cases/").json()["results"]
    assert len(cases) == 1 and cases[0]["your_registration"] == created.json()["id"]
    assert cases[0]["other_parties"] == 1
    text = str(mine.get(f"/api/v1/cooperation/conflict-cases/{cases[0]['id']}/").json())
    assert rival[0].legal_name not in text and "90000" not in text and "交换机" not in text
    pk = cases[0]["id"]
    assert mine.post(f"/api/v1/cooperation/conflict-cases/{pk}/evidence/", {"text": "拜访记录"},
                     format="json").status_code == 201
    assert api_client_for(rival[1]).get(f"/api/v1/cooperation/conflict-cases/{pk}/evidence/").json() == []
    assert mine.post(f"/api/v1/cooperation/conflict-cases/{pk}/decide/", {"resolution": "shared", "note": "x"},
                     format="json").status_code == 403
    assert manager.post(f"/api/v1/cooperation/conflict-cases/{pk}/decide/", {"resolution": "awarded", "note": "x"},
                        format="json").status_code == 400  # awarded to nobody
    decided = manager.post(f"/api/v1/cooperation/conflict-cases/{pk}/decide/", {
        "resolution": "awarded", "awarded_to": partner.pk, "note": "先报备"}, format="json")
    assert decided.status_code == 200 and decided.json()["state"] == "decided"
    assert mine.get(f"/api/v1/cooperation/conflict-cases/{pk}/").json()["in_your_favour"] is True
    assert api_client_for(rival[1]).get(f"/api/v1/cooperation/conflict-cases/{pk}/").json()["in_your_favour"] is False
    approved = manager.post(f"/api/v1/cooperation/deal-registrations/{created.json()['id']}/approve/",
                            {"protection_days": 30}, format="json")
    assert approved.status_code == 200 and approved.json()["protected_until"]
    assert manager.post(f"/api/v1/cooperation/deal-registrations/{created.json()['id']}/approve/", {},
                        format="json").status_code == 409
    opened = manager.post("/api/v1/cooperation/conflict-cases/", {
        "kind": "territory", "summary": "跨区销售", "partners": [partner.pk, rival[0].pk]}, format="json")
    assert opened.status_code == 201, opened.json()
    assert manager.post("/api/v1/cooperation/conflict-cases/", {
        "kind": "pricing", "summary": "x", "partners": [partner.pk]}, format="json").status_code == 400
    account = manager.post("/api/v1/cooperation/direct-accounts/", {"name": "国家电网有限公司"}, format="json")
    assert account.status_code == 201 and account.json()["name_key"] == "国家电网"


def test_portal_pages(client, tenant, partner, partner_admin, rival, people):
    client.force_login(partner_admin)
    assert client.get(reverse("cooperation-portal:deal-new")).status_code == 200
    bad = client.post(reverse("cooperation-portal:deal-new"), {"customer_name": "", "products": "p", "amount": "1",
                                                               "expected_close": SOON.isoformat(), "currency": "CNY"})
    assert bad.status_code == 200 and bad.context["form"].errors
    posted = client.post(reverse("cooperation-portal:deal-new"), {
        "customer_name": "上海鼎盛电子科技有限公司", "products": "服务器", "amount": "300000",
        "expected_close": SOON.isoformat(), "currency": "CNY"})
    assert posted.status_code == 302
    register(tenant, rival[1], rival[0], "鼎盛电子（上海）")
    with tenant_scope(tenant):
        mine = DealRegistration.objects.get(partner=partner)
        case = ConflictCase.objects.get()
    page = client.get(reverse("cooperation-portal:deal", args=[mine.pk]))
    assert page.status_code == 200 and case.number in page.content.decode()
    listing = client.get(reverse("cooperation-portal:deals")).content.decode()
    assert "上海鼎盛电子科技有限公司" in listing and "submitted" not in listing
    conflict = client.get(reverse("cooperation-portal:conflict", args=[case.pk]))
    assert conflict.status_code == 200 and rival[0].legal_name not in conflict.content.decode()
    assert client.post(reverse("cooperation-portal:conflict", args=[case.pk]), {"text": "合同草稿"}).status_code == 302
    assert client.get(reverse("cooperation-portal:conflicts")).status_code == 200
    client.force_login(rival[1])
    assert client.get(reverse("cooperation-portal:deal", args=[mine.pk])).status_code == 404
    assert "合同草稿" not in client.get(reverse("cooperation-portal:conflict", args=[case.pk])).content.decode()
    client.force_login(people["manager"])
    admin_page = client.get(reverse("admin:cooperation_conflictcase_change", args=[case.pk]))
    assert admin_page.status_code == 200
    from tests.isolation.checks import change_form_data

    data = {**change_form_data(admin_page.context), "decide": "shared", "reasons": "两家共同跟进"}
    decided = client.post(reverse("admin:cooperation_conflictcase_change", args=[case.pk]), data)
    assert decided.status_code == 302, decided.context["adminform"].form.errors if decided.context else decided
    with tenant_scope(tenant):
        case.refresh_from_db()
        assert case.state == ConflictState.DECIDED and case.resolution == "shared"
    client.force_login(partner_admin)
    assert "两家共同跟进" in client.get(reverse("cooperation-portal:conflict", args=[case.pk])).content.decode()


def test_list_pages_cost_the_same_with_more_rows(client, tenant, partner, partner_admin, rival, people):
    def count(user, url) -> int:
        client.force_login(user)
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    def api_count(user, url) -> int:
        api = api_client_for(user)
        api.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert api.get(url).status_code == 200
        return len(queries)

    register(tenant, partner_admin, partner, "鼎盛电子0")
    register(tenant, rival[1], rival[0], "鼎盛电子0有限公司")
    pages = [(partner_admin, reverse("cooperation-portal:deals"), count),
             (partner_admin, reverse("cooperation-portal:conflicts"), count),
             (people["manager"], "/admin/cooperation/dealregistration/", count),
             (people["manager"], "/admin/cooperation/conflictcase/", count),
             (partner_admin, "/api/v1/cooperation/deal-registrations/", api_count),
             (partner_admin, "/api/v1/cooperation/conflict-cases/", api_count),
             (people["manager"], "/api/v1/cooperation/conflict-cases/", api_count)]
    before = [measure(user, url) for user, url, measure in pages]
    for n in range(1, 5):
        register(tenant, partner_admin, partner, f"宏远{n}号客户")
        register(tenant, rival[1], rival[0], f"上海宏远{n}号客户有限公司")
    after = [measure(user, url) for user, url, measure in pages]
    assert after == before


def _import_accounts(client, csv_text: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("accounts.csv", csv_text.encode("utf-8"), content_type="text/csv")
    return client.post("/admin/cooperation/directaccount/import/",
                       {"import_file": upload, "format": "0", "resource": "0"})


def test_direct_accounts_import_from_csv_row_by_row_or_not_at_all(client_as, tenant, region, people):
    from tests.factories import next_credit_code

    with tenant_scope(tenant):
        existing = services.direct_account_create(tenant=tenant, actor=people["manager"],
                                                  name="上海鼎盛电子科技有限公司")
    client = client_as(people["manager"])
    client.cookies["django_language"] = "en"
    code = next_credit_code()
    header = "name,credit_code,region_code,note,is_active\n"
    # A bad credit code and a name of punctuation only: the preview names both rows, nothing is written.
    page = _import_accounts(client, header + f"华信集团,{code},{region.code},,1\n"
                                             "坏代码客户,91310000MA00000000,,,1\n——,,,,1\n")
    body = page.content.decode()
    assert page.status_code == 200 and "confirm_form" not in page.context
    assert "check character" in body and "The name needs letters or characters." in body
    with tenant_scope(tenant):
        assert DirectAccount.objects.count() == 1
    # Fixed: a new account, and the existing one found by its normalised name (written differently).
    preview = _import_accounts(client, header + f"华信集团,{code},{region.code},大客户,1\n鼎盛电子（上海）,,,,0\n")
    response = client.post("/admin/cooperation/directaccount/process_import/", preview.context["confirm_form"].initial)
    assert response.status_code == 302
    with tenant_scope(tenant):
        assert DirectAccount.objects.count() == 2
        created = DirectAccount.objects.get(credit_code=code)
        assert (created.region, created.note, created.name_key != "") == (region, "大客户", True)
        existing.refresh_from_db()
        assert existing.is_active is False and existing.name == "鼎盛电子（上海）"
        assert created.history.first().history_user == people["manager"]  # written through the service
