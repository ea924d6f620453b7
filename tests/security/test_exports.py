"""Exports are data, never formulas: hostile text comes out neutralised in every CSV and XLSX.

Sources: the unauthenticated public application form, partner contacts, campaign and plan
names, people's names. Surfaces: every admin changelist export (django-import-export) and
the recruitment report files (admin page and API).
"""

from __future__ import annotations

import csv
import datetime
import io
import itertools
from decimal import Decimal

import pytest
from django.contrib import admin
from django.db import IntegrityError, models, transaction
from django.test import Client
from import_export.admin import ExportMixin
from openpyxl import load_workbook

from channelhub import exports
from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.roles import Role
from channelhub.testing import autodiscover, has_spec, make_world
from recruitment.models import Application, ApplicationState
from tests.conftest import api_client_for
from tests.isolation.checks import admin_url, admin_user, export_form_data
from tests.recruitment.factories import ApplicationFactory, CampaignFactory, RecruitmentPlanFactory
from tests.recruitment.test_public import form_data, regions  # noqa: F401  (fixtures)

HOSTILE = ('=HYPERLINK("http://evil.example","x")', "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
           "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1")
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _csv_cells(content: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))) for cell in row]


def _xlsx_cells(content: bytes) -> list:
    sheet = load_workbook(io.BytesIO(content)).active
    return [cell for row in sheet.iter_rows() for cell in row]


def _xlsx_choice(form) -> str:
    return next(str(value) for value, label in form.fields["format"].choices if str(label).lower() == "xlsx")


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return True


def assert_csv_inert(content: bytes, hostile: list[str], where: str) -> None:
    cells = _csv_cells(content)
    for cell in cells:
        assert not cell.startswith(TRIGGERS) or _is_number(cell), f"{where}: live cell {cell!r}"
    for value in hostile:
        assert value not in cells, f"{where}: {value!r} exported as is"
    assert any(cell.startswith("'") and cell[1:] in hostile for cell in cells), (
        f"{where}: none of the hostile values is in the file, so this check proves nothing"
    )


def assert_xlsx_inert(content: bytes, hostile: list[str], where: str) -> None:
    cells = _xlsx_cells(content)
    for cell in cells:
        assert cell.data_type != "f", f"{where}: {cell.coordinate} is a formula: {cell.value!r}"
        if isinstance(cell.value, str):
            assert not cell.value.startswith(TRIGGERS), f"{where}: {cell.coordinate} = {cell.value!r}"
    texts = [cell.value for cell in cells if isinstance(cell.value, str)]
    assert not set(hostile) & set(texts), f"{where}: a hostile value exported as is"
    assert any(text.startswith("'") and text[1:] in hostile for text in texts), (
        f"{where}: none of the hostile values is in the file, so this check proves nothing"
    )


# --------------------------------------------------------------------------- the writer


@pytest.mark.parametrize("value", [*HOSTILE, "=1", "+1", "-1", "@a", "\tx", "\rx"])
def test_text_a_spreadsheet_would_run_is_prefixed(value):
    assert exports.neutralise(value) == "'" + value


@pytest.mark.parametrize("value", [-5, -2.5, Decimal("-3.10"), 0, None, True, datetime.date(2026, 1, 2),
                                   "Plain text", "上海好伙伴", "a=b", "", "'already quoted"])
def test_numbers_and_harmless_text_are_unchanged(value):
    assert exports.neutralise(value) == value


def test_csv_and_xlsx_writers_keep_numbers_and_neutralise_text():
    rows = [["=1+1", -5, Decimal("-2.50"), "\r=2", datetime.date(2026, 1, 2)]]
    lines = list(csv.reader(io.StringIO(exports.write_csv(rows, ["-h", "b", "c", "d", "e"]).decode("utf-8-sig"))))
    assert lines == [["'-h", "b", "c", "d", "e"], ["'=1+1", "-5", "-2.50", "'\r=2", "2026-01-02"]]
    cells = _xlsx_cells(exports.write_xlsx(rows, ["-h", "b", "c", "d", "e"]))
    assert [cell.value for cell in cells[:1]] == ["'-h"]
    values = cells[5:]
    assert values[0].value == "'=1+1" and values[0].data_type == "s"
    assert values[1].value == -5 and values[1].data_type == "n"
    assert values[2].value == -2.5 and values[2].data_type == "n"
    assert all(cell.data_type != "f" for cell in cells)


# --------------------------------------------------------------------------- admin exports


def _text_fields(model) -> list[models.Field]:
    return [
        field for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField) and not field.choices and not field.primary_key
    ]


def _poison(model, pk, serial) -> list[str]:
    """Write hostile text into every free-text column of the row; return what was written."""
    written = []
    manager = model.all_tenants if hasattr(model, "all_tenants") else model._base_manager
    for field in _text_fields(model):
        value = f"{HOSTILE[next(serial) % len(HOSTILE)]}{next(serial)}"
        if field.max_length:
            value = value[: field.max_length]
        try:
            with transaction.atomic():
                manager.filter(pk=pk).update(**{field.attname: value})
        except IntegrityError:
            continue
        written.append(value)
    return written


def _exportable_admins():
    autodiscover()
    return sorted(
        (model_admin for model, model_admin in admin.site._registry.items()
         if isinstance(model_admin, ExportMixin) and has_spec(model) and _text_fields(model)),
        key=lambda model_admin: model_admin.model._meta.label,
    )


def test_there_are_exports_to_check():
    labels = {model_admin.model._meta.label for model_admin in _exportable_admins()}
    assert {"recruitment.Application", "partners.PartnerContact", "partners.Partner"} <= labels


@pytest.mark.django_db
def test_every_admin_export_neutralises_hostile_text():
    world = make_world()
    serial = itertools.count(1)
    checked = []
    for model_admin in _exportable_admins():
        model = model_admin.model
        row = world.a.get(model)
        hostile = _poison(model, row.pk, serial)
        if not hostile:
            continue
        client = world.a.client(admin_user(world, model_admin, write=False))
        url = admin_url(model, "export")
        form_page = client.get(url)
        if form_page.status_code == 403:
            continue
        data = export_form_data(form_page.context["form"])
        csv_file = client.post(url, data)
        assert csv_file.status_code == 200, f"{url}: {csv_file.status_code}"
        assert_csv_inert(csv_file.content, hostile, f"{model._meta.label} CSV")
        xlsx_file = client.post(url, {**data, "format": _xlsx_choice(form_page.context["form"])})
        assert xlsx_file.status_code == 200, f"{url}: {xlsx_file.status_code}"
        assert_xlsx_inert(xlsx_file.content, hostile, f"{model._meta.label} XLSX")
        checked.append(model._meta.label)
    assert {"recruitment.Application", "partners.PartnerContact"} <= set(checked), checked


def test_public_form_text_is_inert_in_the_applications_export(tenant, form_data, manager):  # noqa: F811
    hostile = ['=HYPERLINK("http://evil.example","Click")', "+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0"]
    response = Client().post("/apply/alpha/", form_data(
        experience=hostile[0], brands_carried=hostile[1], references=hostile[2],
    ))
    assert response.status_code == 302, "the public form refused the application"
    with tenant_scope(tenant):
        assert Application.objects.get().experience == hostile[0]  # stored as typed: it is data
    client = Client()
    client.force_login(manager)
    form = client.get("/admin/recruitment/application/export/").context["form"]
    data = export_form_data(form)
    assert_csv_inert(client.post("/admin/recruitment/application/export/", data).content, hostile, "CSV")
    xlsx = client.post("/admin/recruitment/application/export/", {**data, "format": _xlsx_choice(form)})
    assert_xlsx_inert(xlsx.content, hostile, "XLSX")


def test_negative_numbers_stay_numbers_in_admin_xlsx(tenant, manager):
    from tests.factories import PartnerFactory

    with tenant_scope(tenant):
        PartnerFactory(legal_name="-Minus Trading", staff_count=7)
    client = Client()
    client.force_login(manager)
    form = client.get("/admin/partners/partner/export/").context["form"]
    data = export_form_data(form)
    cells = _xlsx_cells(client.post("/admin/partners/partner/export/",
                                    {**data, "format": _xlsx_choice(form)}).content)
    assert any(cell.value == "'-Minus Trading" and cell.data_type == "s" for cell in cells)
    assert any(cell.value == 7 and cell.data_type == "n" for cell in cells)


# --------------------------------------------------------------------------- recruitment reports


@pytest.fixture
def hostile_report(tenant):
    """A plan and a campaign named by someone hostile, with one submitted application."""
    with tenant_scope(tenant):
        plan = RecruitmentPlanFactory(name='=HYPERLINK("http://evil.example","plan")')
        campaign = CampaignFactory(plan=plan, name="+cmd|' /C calc'!A0", code="EVIL")
        app = ApplicationFactory(campaign=campaign, legal_name="@SUM(1)")
        Application.objects.filter(pk=app.pk).update(
            state=ApplicationState.SUBMITTED, submitted_at=datetime.datetime(2026, 3, 2, tzinfo=datetime.UTC))
    return [plan.name, f"{campaign.name} ({campaign.code})"]


@pytest.mark.parametrize("by", ["plan", "campaign"])
def test_admin_report_files_are_inert(tenant, hostile_report, manager, by):
    client = Client()
    client.force_login(manager)
    url = "/admin/recruitment/recruitmentplan/reports/"
    csv_file = client.get(url, {"report": "funnel", "by": by, "export": "csv"})
    assert_csv_inert(csv_file.content, hostile_report, f"admin funnel by {by} CSV")
    xlsx_file = client.get(url, {"report": "funnel", "by": by, "export": "xlsx"})
    assert_xlsx_inert(xlsx_file.content, hostile_report, f"admin funnel by {by} XLSX")


@pytest.mark.parametrize("by", ["plan", "campaign"])
def test_api_report_files_are_inert(tenant, hostile_report, manager, by):
    api = api_client_for(manager)
    csv_file = api.get("/api/v1/recruitment/reports/funnel/", {"by": by, "format": "csv"})
    assert csv_file.status_code == 200, csv_file.content
    assert_csv_inert(csv_file.content, hostile_report, f"API funnel by {by} CSV")
    xlsx_file = api.get("/api/v1/recruitment/reports/funnel/", {"by": by, "format": "xlsx"})
    assert_xlsx_inert(xlsx_file.content, hostile_report, f"API funnel by {by} XLSX")


def test_reviewer_names_are_inert_in_the_workload_file(tenant, member):
    from recruitment.models import ReviewerAssignment

    reviewer = member(Role.CHANNEL_MANAGER, first_name="=1+1", last_name="")
    with tenant_scope(tenant):
        app = ApplicationFactory()
        ReviewerAssignment.objects.create(application=app, reviewer=reviewer)
    client = Client()
    client.force_login(reviewer)
    cells = _csv_cells(client.get("/admin/recruitment/recruitmentplan/reports/",
                                  {"report": "reviewer-workload", "export": "csv"}).content)
    assert not any(cell.startswith("=") for cell in cells)
    assert any(cell.startswith("'=1+1") for cell in cells), cells
