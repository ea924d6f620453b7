"""The admin as a channel manager uses it: scoped lists, status changes with reasons, import, export."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from channelhub.partners.models import Partner, PartnerStatus
from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.models import StateTransition, User
from channelhub.tenancy.roles import Role
from tests.factories import PartnerFactory, RegionFactory, next_credit_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager_admin(client, manager):
    client.force_login(manager)
    return client


def test_changelist_shows_only_this_tenants_partners(manager_admin, tenant, other_tenant):
    with tenant_scope(tenant):
        PartnerFactory(legal_name="Alpha 经销商")
    with tenant_scope(other_tenant):
        PartnerFactory(legal_name="Beta 代理人")
    page = manager_admin.get("/admin/partners/partner/").content.decode()
    assert "Alpha 经销商" in page and "Beta 代理人" not in page
    assert "Beta Insurance" not in manager_admin.get("/admin/").content.decode()


def test_status_view_changes_status_with_reason_and_history_shows_it(manager_admin, tenant, manager):
    with tenant_scope(tenant):
        partner = PartnerFactory()
    url = f"/admin/partners/partner/{partner.pk}/status/"
    form = manager_admin.get(url).content.decode()
    assert 'value="onboarding"' in form and 'value="active"' not in form  # only allowed moves offered
    response = manager_admin.post(url, {"to_status": "onboarding", "reason": "Contract signed"})
    assert response.status_code == 302
    with tenant_scope(tenant):
        partner.refresh_from_db()
        log = StateTransition.objects.get()
    assert partner.status == PartnerStatus.ONBOARDING
    assert (log.actor, log.reason) == (manager, "Contract signed")
    history = manager_admin.get(f"/admin/partners/partner/{partner.pk}/history/").content.decode()
    assert "Contract signed" in history


def test_bulk_action_reports_refused_moves(manager_admin, tenant):
    with tenant_scope(tenant):
        prospect = PartnerFactory()
        terminated = PartnerFactory()
        Partner.objects.filter(pk=terminated.pk).update(status=PartnerStatus.TERMINATED)
    response = manager_admin.post(
        "/admin/partners/partner/",
        {"action": "start_onboarding", "_selected_action": [prospect.pk, terminated.pk]},
        follow=True,
    )
    messages = [str(m) for m in response.context["messages"]]
    assert any("1" in m for m in messages)
    assert any(str(terminated) in m for m in messages)
    with tenant_scope(tenant):
        assert Partner.objects.get(pk=prospect.pk).status == PartnerStatus.ONBOARDING
        assert Partner.objects.get(pk=terminated.pk).status == PartnerStatus.TERMINATED


def test_add_form_rejects_a_duplicate_credit_code_with_a_form_error(manager_admin, tenant):
    with tenant_scope(tenant):
        existing = PartnerFactory()
    response = manager_admin.post(
        "/admin/partners/partner/add/",
        {"legal_name": "Copy", "partner_type": "reseller", "region": existing.region_id,
         "credit_code": existing.credit_code,
         "contacts-TOTAL_FORMS": 0, "contacts-INITIAL_FORMS": 0},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    with tenant_scope(tenant):
        assert Partner.objects.count() == 1


def test_owner_choices_are_this_tenants_staff_only(manager_admin, tenant, other_tenant, manager, member):
    from tests.conftest import make_member

    stranger = make_member(other_tenant, Role.CHANNEL_MANAGER)
    page = manager_admin.get("/admin/partners/partner/add/").content.decode()
    assert manager.username in page
    assert stranger.username not in page


def _import(client, csv_text: str):
    upload = SimpleUploadedFile("partners.csv", csv_text.encode("utf-8"), content_type="text/csv")
    return client.post(
        "/admin/partners/partner/import/",
        {"import_file": upload, "format": "0", "resource": "0"},
    )


def test_import_reports_row_errors_and_imports_nothing(manager_admin, tenant):
    with tenant_scope(tenant):
        RegionFactory(code="SH")
    good, bad = next_credit_code(), "91310000MA00000000"
    response = _import(
        manager_admin,
        "legal_name,credit_code,partner_type,region_code\n"
        f"上海好伙伴有限公司,{good},distributor,SH\n"
        f"上海坏伙伴有限公司,{bad},distributor,SH\n",
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "check character" in page or "校验" in page
    with tenant_scope(tenant):
        assert Partner.objects.count() == 0


def test_import_of_valid_rows_creates_partners_in_this_tenant(manager_admin, tenant):
    with tenant_scope(tenant):
        RegionFactory(code="SH")
    code = next_credit_code()
    preview = _import(
        manager_admin, f"legal_name,credit_code,partner_type,region_code\n上海好伙伴有限公司,{code},distributor,SH\n"
    )
    confirm = preview.context["confirm_form"].initial
    response = manager_admin.post("/admin/partners/partner/process_import/", confirm)
    assert response.status_code == 302
    with tenant_scope(tenant):
        partner = Partner.objects.get(credit_code=code)
    assert partner.tenant_id == tenant.pk and partner.status == PartnerStatus.PROSPECT


def test_export_contains_only_this_tenants_rows(manager_admin, tenant, other_tenant):
    with tenant_scope(tenant):
        PartnerFactory(legal_name="Alpha row")
    with tenant_scope(other_tenant):
        PartnerFactory(legal_name="Beta row")
    form = manager_admin.get("/admin/partners/partner/export/").context["form"]
    every_field = {name: "on" for name, field in form.fields.items() if getattr(field, "is_selectable_field", False)}
    response = manager_admin.post("/admin/partners/partner/export/", {"format": "0", "resource": "0", **every_field})
    body = response.content.decode("utf-8-sig")
    assert "Alpha row" in body and "Beta row" not in body


@pytest.mark.parametrize(("role", "view", "change"), [
    (Role.TRAINER, 200, 403), (Role.LEGAL, 200, 403), (Role.CHANNEL_MANAGER, 200, 200),
])
def test_staff_roles_view_or_change(client, tenant, member, role, view, change):
    with tenant_scope(tenant):
        partner = PartnerFactory()
    client.force_login(member(role))
    assert client.get("/admin/partners/partner/").status_code == view
    assert client.get(f"/admin/partners/partner/{partner.pk}/status/").status_code == change


def test_partner_staff_are_kept_out_of_the_admin(client, member):
    client.force_login(member(Role.PARTNER_ADMIN))
    response = client.get("/admin/partners/partner/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_only_the_platform_superuser_manages_tenants(client, tenant, owner):
    client.force_login(owner)
    assert client.get("/admin/tenancy/tenant/").status_code == 403
    superuser = User.objects.create_superuser("root", "root@example.com", "pw-Secret-123")
    client.force_login(superuser)
    page = client.get("/admin/tenancy/tenant/")
    assert page.status_code == 200 and "Alpha Electronics" in page.content.decode()


def test_tenant_switcher_changes_the_tenant_for_a_member_of_two(client, tenant, other_tenant, manager):
    from channelhub.tenancy.services import membership_grant

    membership_grant(tenant=other_tenant, actor=None, email=manager.email, role=Role.CHANNEL_MANAGER)
    with tenant_scope(other_tenant):
        PartnerFactory(legal_name="Beta row")
    client.force_login(manager)
    assert "Beta row" not in client.get("/admin/partners/partner/").content.decode()
    client.post("/tenant/switch/", {"tenant": other_tenant.pk, "next": "/admin/"})
    assert "Beta row" in client.get("/admin/partners/partner/").content.decode()
    # A tenant the user does not belong to cannot be switched to.
    third = __import__("channelhub.tenancy.services", fromlist=["x"]).tenant_create(name="G", slug="gamma")
    assert client.post("/tenant/switch/", {"tenant": third.pk}).status_code == 400


CHANGELISTS = ["/admin/partners/partner/", "/admin/partners/partnercontact/", "/admin/partners/region/"]


@pytest.mark.parametrize("url", CHANGELISTS)
def test_changelist_query_count_does_not_grow_with_rows(manager_admin, tenant, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import PartnerContactFactory

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert manager_admin.get(url).status_code == 200
        return len(captured)

    with tenant_scope(tenant):
        PartnerContactFactory.create_batch(2)
    few = queries()
    with tenant_scope(tenant):
        PartnerContactFactory.create_batch(12)
    assert queries() == few


def test_the_360_page_reads_the_partner_once(manager_admin, tenant):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with tenant_scope(tenant):
        partner = PartnerFactory(legal_name="杭州一读科技有限公司")
    url = f"/admin/partners/partner/{partner.pk}/change/"
    with CaptureQueriesContext(connection) as captured:
        page = manager_admin.get(url)
    assert page.status_code == 200 and "杭州一读科技有限公司" in page.content.decode()
    reads = [q["sql"] for q in captured.captured_queries
             if q["sql"].startswith('SELECT "partners_partner"."id"') and f'= {partner.pk}' in q["sql"]]
    assert len(reads) == 1, reads  # the header, the panels and the form share one read
