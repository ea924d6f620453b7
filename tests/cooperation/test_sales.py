"""Sales reporting: row checks with line numbers, all or nothing, dry run, corrections, idempotency,
deadlines and late reports, the KPI inputs."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from channelhub import kpi_inputs
from channelhub.partners.models import PartnerStatus
from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.jobs import Period
from channelhub.tenancy.roles import Role
from cooperation import selectors, services
from cooperation.models import ReportingStatus, SalesLine, SalesPeriod, SalesReport
from cooperation.sales_files import UnreadableFile, read_rows, template_csv
from cooperation.sales_jobs import sales_deadlines
from tests.conftest import make_member
from tests.factories import PartnerFactory, ProductFactory

THIS_MONTH = timezone.localdate().replace(day=1)
LAST_MONTH = (THIS_MONTH - datetime.timedelta(days=1)).replace(day=1)
P = LAST_MONTH.strftime("%Y-%m")


@pytest.fixture
def products(tenant):
    with tenant_scope(tenant):
        return [ProductFactory(sku="SKU-A"), ProductFactory(sku="SKU-B")]


def row(**values):
    base = {"period": P, "sku": "SKU-A", "region": "EAST", "quantity": "10", "amount": "1000.00",
            "currency": "CNY", "end_customers": "2"}
    return {**base, **values}


def _import(tenant, partner, actor, rows, **kwargs):
    with tenant_scope(tenant):
        return services.sales_import(tenant=tenant, partner=partner, actor=actor, rows=rows, **kwargs)


def test_every_bad_row_is_reported_by_line_and_nothing_is_imported(tenant, partner, partner_admin, products):
    rows = [
        row(),
        row(sku="NOPE"),
        row(sku="SKU-B", amount="-5"),
        row(sku="SKU-B", region="MARS", quantity="1.5"),
        row(period="2026/13"),
        row(),  # same key as line 2
        row(sku="SKU-B", period=(THIS_MONTH + datetime.timedelta(days=40)).strftime("%Y-%m")),
        row(sku="SKU-B", amount="1.234", currency="XYZ"),
    ]
    result = _import(tenant, partner, partner_admin, rows)
    found = {(e.line, e.column) for e in result.errors}
    assert {(3, "sku"), (4, "amount"), (5, "region"), (5, "quantity"), (6, "period"), (7, "sku"), (8, "period"),
            (9, "amount"), (9, "currency")} <= found
    assert result.report is None and result.rows == []
    with tenant_scope(tenant):
        assert not SalesLine.objects.exists() and not SalesReport.objects.exists()


def test_dry_run_previews_and_writes_nothing_then_import(tenant, partner, partner_admin, products):
    rows = [row(), row(sku="SKU-B", amount="250.50", quantity="3")]
    preview = _import(tenant, partner, partner_admin, rows, dry_run=True)
    assert preview.ok and preview.line_count == 2 and preview.report is None
    assert preview.totals() == [("CNY", 13, Decimal("1250.50"))]
    with tenant_scope(tenant):
        assert not SalesLine.objects.exists()
    done = _import(tenant, partner, partner_admin, rows)
    assert done.ok and done.report is not None
    with tenant_scope(tenant):
        assert SalesLine.objects.filter(is_current=True).count() == 2
        status = ReportingStatus.objects.get(partner=partner)
        assert status.first_reported_at is not None
        assert status.is_late == (timezone.localdate() > SalesPeriod.objects.get(month=LAST_MONTH).deadline)


def test_a_repeated_key_needs_an_explicit_correction_which_keeps_history(tenant, partner, partner_admin, products):
    _import(tenant, partner, partner_admin, [row(), row(sku="SKU-B")])
    again = _import(tenant, partner, partner_admin, [row(amount="900")])
    assert [(e.line, e.column) for e in again.errors] == [(2, "correction")]
    no_reason = _import(tenant, partner, partner_admin, [row(amount="900", correction="yes")])
    assert [(e.line, e.column) for e in no_reason.errors] == [(2, "reason")]
    fixed = _import(tenant, partner, partner_admin, [row(amount="900", correction="是", reason="returns")])
    assert fixed.ok
    with tenant_scope(tenant):
        old, other, new = SalesLine.objects.order_by("pk")
        assert other.is_current and other.superseded_at is None  # the period's other figure stands
        assert not old.is_current and old.superseded_at is not None and old.amount == Decimal("1000.00")
        assert new.is_current and new.corrects_id == old.pk and new.correction_reason == "returns"
    nothing = _import(tenant, partner, partner_admin, [row(region="EAST", period="2020-01", correction="1",
                                                           reason="x")])
    assert [(e.line, e.column) for e in nothing.errors] == [(2, "correction")]


def test_closed_period_refuses(tenant, partner, partner_admin, people, products):
    with tenant_scope(tenant):
        period = services.periods_for([LAST_MONTH])[LAST_MONTH]
        services.sales_period_update(period=period, actor=people["manager"], is_closed=True)
    result = _import(tenant, partner, partner_admin, [row()])
    assert [(e.line, e.column) for e in result.errors] == [(2, "period")]


def test_idempotency_key_answers_the_first_report(tenant, partner, partner_admin, products):
    first = _import(tenant, partner, partner_admin, [row()], idempotency_key="abc", source="api")
    second = _import(tenant, partner, partner_admin, [row()], idempotency_key="abc", source="api")
    assert second.replayed and second.report.pk == first.report.pk
    with tenant_scope(tenant):
        assert SalesLine.objects.count() == 1
    with pytest.raises(services.IdempotencyConflict):
        _import(tenant, partner, partner_admin, [row(amount="5")], idempotency_key="abc", source="api")


def test_only_partner_staff_report_and_only_for_their_partner(tenant, partner, people, products):
    other = make_member(tenant, Role.PARTNER_ADMIN, username="other-admin")
    with pytest.raises(PermissionDenied):
        _import(tenant, partner, other, [row()])
    with pytest.raises(PermissionDenied):
        _import(tenant, partner, people["manager"], [row()])


def test_files_in_english_or_chinese_headers(tenant):
    csv_rows = read_rows("期间,产品编码,区域,数量,金额\n2026-10,SKU-A,EAST,1,2\n".encode(), "x.csv")
    assert csv_rows == [{"period": "2026-10", "sku": "SKU-A", "region": "EAST", "quantity": "1", "amount": "2"}]
    assert read_rows(template_csv(), "template.csv")[0]["sku"] == "SKU-001"
    with pytest.raises(UnreadableFile):
        read_rows(b"\xff\xfe\x00bad", "x.csv")
    with pytest.raises(UnreadableFile):
        read_rows(b"name,other\n1,2\n", "x.csv")
    with pytest.raises(UnreadableFile):
        read_rows(b"not a workbook", "x.xlsx")


def test_deadline_job_reminds_once_and_records_missing_reports(tenant, partner, partner_admin, products):
    with tenant_scope(tenant):
        partner.status = PartnerStatus.ACTIVE
        partner.save()
        partner.created_at = timezone.now() - datetime.timedelta(days=400)
        partner.save(update_fields=["created_at"])
        period = services.periods_for([LAST_MONTH])[LAST_MONTH]
        run = timezone.now().replace(hour=8)
        # Deadlines are days of the tenant's calendar, read at the run's moment (near midnight UTC
        # the tenant's day is already the next one).
        run_day = run.astimezone(tenant.zone).date()
        SalesPeriod.objects.filter(pk=period.pk).update(deadline=run_day + datetime.timedelta(days=1))
        first = sales_deadlines(tenant=tenant, run_at=run)
        again = sales_deadlines(tenant=tenant, run_at=run)
        assert first.values["reminded"] == 1 and again.values["reminded"] == 0
        SalesPeriod.objects.filter(pk=period.pk).update(deadline=run_day - datetime.timedelta(days=1))
        assert sales_deadlines(tenant=tenant, run_at=run).values["late"] == 1
        assert sales_deadlines(tenant=tenant, run_at=run).values["late"] == 0
        status = ReportingStatus.objects.get(partner=partner, period=period)
        assert status.is_late and status.first_reported_at is None
    _import(tenant, partner, partner_admin, [row()])
    with tenant_scope(tenant):
        status.refresh_from_db()
        assert status.is_late and status.first_reported_at is not None


def test_kpi_inputs_are_set_based(tenant, partner, partner_admin, products):
    _import(tenant, partner, partner_admin, [row(), row(sku="SKU-B", amount="500"), row(sku="SKU-B", region="EAST",
                                                                                       period=P, currency="USD",
                                                                                       amount="7")][:2])
    with tenant_scope(tenant):
        other = PartnerFactory(region=partner.region)
        ReportingStatus.objects.create(partner=other, period=SalesPeriod.objects.get(month=LAST_MONTH),
                                       month=LAST_MONTH, is_late=True)
    start = timezone.make_aware(datetime.datetime.combine(LAST_MONTH, datetime.time()))
    end = timezone.make_aware(datetime.datetime.combine(THIS_MONTH, datetime.time()))
    period = Period("monthly", start, end, P)
    assert kpi_inputs.read("cooperation.sales_amount", tenant, period) == {partner.pk: 1500.0}
    timeliness = kpi_inputs.read("cooperation.reporting_timeliness", tenant, period)
    assert timeliness[other.pk] == 0.0 and partner.pk in timeliness
    assert kpi_inputs.read("cooperation.sales_growth", tenant, period) == {}
    with tenant_scope(tenant):
        months = selectors.monthly_sales(partner.pk)
        assert len(months) == 12 and months[-2]["amount"] == Decimal("1500.00") and months[-2]["percent"] == 100
