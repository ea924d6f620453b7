"""The partners API as an integrator uses it: CRUD, filters, transitions, errors, roles."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from channelhub.partners.models import Partner, PartnerStatus
from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.models import StateTransition
from channelhub.tenancy.roles import Role
from tests.factories import PartnerContactFactory, PartnerFactory, RegionFactory, next_credit_code

pytestmark = pytest.mark.django_db


def test_list_filters_search_and_orders(in_tenant, manager_api):
    east = RegionFactory(code="EAST", name="华东")
    shanghai = RegionFactory(code="SH", name="上海", parent=east, level="province")
    in_shanghai = PartnerFactory(region=shanghai, legal_name="上海鼎盛电子有限公司")
    PartnerFactory(legal_name="北京远航科技有限公司")

    by_area = manager_api.get("/api/v1/partners/", {"region": east.pk}).json()
    assert [row["id"] for row in by_area["results"]] == [in_shanghai.pk]

    searched = manager_api.get("/api/v1/partners/", {"search": "远航"}).json()
    assert [row["legal_name"] for row in searched["results"]] == ["北京远航科技有限公司"]

    ordered = manager_api.get("/api/v1/partners/", {"ordering": "-legal_name"}).json()
    names = [row["legal_name"] for row in ordered["results"]]
    assert names == sorted(names, reverse=True)


def test_create_validates_and_audits(in_tenant, manager, manager_api):
    region = RegionFactory()
    code = next_credit_code()
    response = manager_api.post(
        "/api/v1/partners/",
        {"legal_name": "杭州新程网络有限公司", "partner_type": "reseller", "region": region.pk,
         "credit_code": code.lower()},
        format="json",
    )
    assert response.status_code == 201, response.json()
    partner = Partner.objects.get(pk=response.json()["id"])
    assert partner.credit_code == code  # normalised to upper case
    assert partner.status == PartnerStatus.PROSPECT
    assert partner.history.get().history_user == manager


def test_bad_input_is_400_with_field_errors_and_nothing_saved(in_tenant, manager_api):
    bad_check_char = next_credit_code()[:-1] + ("0" if next_credit_code()[-1] != "0" else "1")
    response = manager_api.post(
        "/api/v1/partners/",
        {"legal_name": "", "partner_type": "wizard", "region": 10**6, "credit_code": bad_check_char,
         "founding_year": 1066},
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()
    assert {"legal_name", "partner_type", "region", "founding_year"} <= set(errors)
    assert Partner.objects.count() == 0


def test_wrong_credit_code_check_character_is_explained(in_tenant, manager_api):
    code = next_credit_code()
    wrong = code[:-1] + ("A" if code[-1] != "A" else "B")
    response = manager_api.post(
        "/api/v1/partners/",
        {"legal_name": "X", "partner_type": "reseller", "region": RegionFactory().pk, "credit_code": wrong},
        format="json",
    )
    assert response.status_code == 400
    assert "check character" in response.json()["credit_code"][0]


def test_duplicate_credit_code_in_tenant_is_400(in_tenant, manager_api):
    existing = PartnerFactory()
    response = manager_api.post(
        "/api/v1/partners/",
        {"legal_name": "Y", "partner_type": "reseller", "region": existing.region_id,
         "credit_code": existing.credit_code},
        format="json",
    )
    assert response.status_code == 400
    assert Partner.objects.count() == 1


def test_transition_moves_along_the_lifecycle_and_refuses_illegal_moves(in_tenant, manager, manager_api):
    partner = PartnerFactory()
    url = f"/api/v1/partners/{partner.pk}/transition/"

    illegal = manager_api.post(url, {"to_status": "active"}, format="json")
    assert illegal.status_code == 409
    assert illegal.json()["from_state"] == "prospect"

    ok = manager_api.post(url, {"to_status": "onboarding", "reason": "Signed LOI"}, format="json")
    assert ok.status_code == 200
    assert ok.json()["status"] == "onboarding"
    log = StateTransition.objects.get()
    assert (log.from_state, log.to_state, log.actor, log.reason) == ("prospect", "onboarding", manager, "Signed LOI")

    history = manager_api.get(f"/api/v1/partners/{partner.pk}/history/").json()
    assert history[0]["reason"] == "Signed LOI"
    assert {"field": "status", "old": "prospect", "new": "onboarding"} in history[0]["changes"]


def test_status_cannot_be_written_directly(in_tenant, manager_api):
    partner = PartnerFactory()
    manager_api.patch(f"/api/v1/partners/{partner.pk}/", {"status": "terminated"}, format="json")
    partner.refresh_from_db()
    assert partner.status == PartnerStatus.PROSPECT


def test_delete_of_a_region_in_use_is_a_clear_400(in_tenant, manager_api):
    partner = PartnerFactory()
    response = manager_api.delete(f"/api/v1/regions/{partner.region_id}/")
    assert response.status_code == 400
    assert partner.region.__class__.objects.filter(pk=partner.region_id).exists()


@pytest.mark.parametrize(
    ("role", "read", "write"),
    [
        (Role.OWNER, 200, 201),
        (Role.CHANNEL_MANAGER, 200, 201),
        (Role.TRAINER, 200, 403),
        (Role.FINANCE, 200, 403),
        (Role.PARTNER_USER, 200, 403),
    ],
)
def test_roles_decide_who_reads_and_writes(tenant, member, api_as, role, read, write):
    user = member(role)
    with tenant_scope(tenant):
        region = RegionFactory()
    client = api_as(user)
    assert client.get("/api/v1/partners/").status_code == read
    created = client.post(
        "/api/v1/partners/", {"legal_name": "Z", "partner_type": "reseller", "region": region.pk}, format="json"
    )
    assert created.status_code == write


def test_partner_staff_see_only_their_own_partner_and_its_contacts(tenant, member, api_as):
    with tenant_scope(tenant):
        own = PartnerFactory()
        other = PartnerFactory()
        PartnerContactFactory(partner=own, name="Own contact")
        PartnerContactFactory(partner=other, name="Other contact")
    client = api_as(member(Role.PARTNER_ADMIN, partner=own))
    assert [p["id"] for p in client.get("/api/v1/partners/").json()["results"]] == [own.pk]
    assert client.get(f"/api/v1/partners/{other.pk}/").status_code == 404
    contacts = client.get("/api/v1/contacts/").json()["results"]
    assert [c["name"] for c in contacts] == ["Own contact"]
    # A partner admin adds a contact: it always lands on their own partner.
    created = client.post("/api/v1/contacts/", {"partner": other.pk, "name": "New"}, format="json")
    assert created.status_code == 201
    assert created.json()["partner"] == own.pk


def test_products_are_published_to_partners_read_only(tenant, member, api_as):
    with tenant_scope(tenant):
        from tests.factories import ProductFactory

        ProductFactory(sku="TV-55")
    client = api_as(member(Role.PARTNER_USER))
    assert [p["sku"] for p in client.get("/api/v1/products/").json()["results"]] == ["TV-55"]
    assert client.post("/api/v1/products/", {"sku": "X"}, format="json").status_code == 403


def test_regions_are_not_visible_to_partner_staff(tenant, member, api_as):
    client = api_as(member(Role.PARTNER_USER))
    assert client.get("/api/v1/regions/").status_code == 403


def test_partner_list_query_count_does_not_grow_with_rows(in_tenant, manager_api):
    PartnerContactFactory.create_batch(3)

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert manager_api.get("/api/v1/partners/").status_code == 200
        return len(captured)

    few = count_queries()
    PartnerContactFactory.create_batch(20)
    assert count_queries() == few


def test_anonymous_is_refused(client):
    assert client.get("/api/v1/partners/").status_code in (401, 403)


def test_filters_run_whenever_the_query_names_one_and_only_then(in_tenant, manager_api, monkeypatch):
    from channelhub.api.filters import FilterBackend

    PartnerFactory(legal_name="上海鼎盛电子有限公司", status=PartnerStatus.ACTIVE)
    PartnerFactory(legal_name="北京远航科技有限公司")
    bound = []
    original = FilterBackend.get_filterset

    def counting(self, request, queryset, view):
        bound.append(request.query_params.dict())
        return original(self, request, queryset, view)

    monkeypatch.setattr(FilterBackend, "get_filterset", counting)

    plain = manager_api.get("/api/v1/partners/", {"page": 1, "page_size": 10, "ordering": "legal_name"})
    assert plain.status_code == 200 and plain.json()["count"] == 2
    assert bound == []  # pagination and ordering only: the rows are every partner, unfiltered

    active = manager_api.get("/api/v1/partners/", {"status": "active", "page_size": 10}).json()
    assert [row["legal_name"] for row in active["results"]] == ["上海鼎盛电子有限公司"]
    assert manager_api.get("/api/v1/partners/", {"status": "wizard"}).status_code == 400
    assert manager_api.get("/api/v1/partners/", {"search": "远航"}).json()["count"] == 1
    assert len(bound) == 3


def test_a_write_answers_the_row_as_the_list_shows_it(in_tenant, manager_api):
    """Create and update answer with the fields a list computes (the contact count), not fewer."""
    region = RegionFactory()
    created = manager_api.post(
        "/api/v1/partners/", {"legal_name": "苏州联写科技有限公司", "partner_type": "reseller", "region": region.pk},
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert created.json()["contact_count"] == 0
    partner_id = created.json()["id"]
    PartnerContactFactory.create_batch(2, partner=Partner.objects.get(pk=partner_id))
    updated = manager_api.patch(f"/api/v1/partners/{partner_id}/", {"short_name": "联写"}, format="json")
    assert updated.status_code == 200, updated.json()
    assert updated.json()["contact_count"] == 2
    assert updated.json() == manager_api.get(f"/api/v1/partners/{partner_id}/").json()
