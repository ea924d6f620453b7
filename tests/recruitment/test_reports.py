"""Recruitment reports: the arithmetic on hand-made data, the rollup the pages read, the admin page,
the API and the files."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.formats import date_format
from openpyxl import load_workbook

from channelhub.partners.models import Partner, PartnerStatus, PartnerType
from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.jobs import registered_jobs
from channelhub.tenancy.models import Cadence
from channelhub.tenancy.roles import Role
from recruitment import jobs, reports, selectors, services
from recruitment.models import Application, ApplicationState, RecruitmentReportFigure, ReviewerAssignment, Scorecard
from recruitment.selectors import report_rollup
from tests.conftest import api_client_for, make_member
from tests.factories import PartnerFactory, RegionFactory

from .factories import ApplicationFactory, CampaignFactory, RecruitmentPlanFactory

S = ApplicationState
DAY0 = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def at(days: float) -> datetime.datetime:
    return DAY0 + datetime.timedelta(days=days)


def application(*, state, regions, campaign=None, partner_type=PartnerType.DISTRIBUTOR, qualified=False,
                submitted=0.0, decided=None, partner=None, name=""):
    """An application put straight into ``state`` with the given times (reports only read them)."""
    app = ApplicationFactory(campaign=campaign, partner_type=partner_type, regions=regions,
                             **({"legal_name": name} if name else {}))
    Application.objects.filter(pk=app.pk).update(
        state=state, submitted_at=None if state == S.DRAFT else at(submitted),
        qualified_at=at(submitted + 1) if qualified else None,
        decided_at=at(decided) if decided is not None else None, partner=partner,
    )
    app.refresh_from_db()
    return app


def assign(app, reviewer, *, assigned: float, scored: float | None = None):
    ReviewerAssignment.objects.create(application=app, reviewer=reviewer, assigned_at=at(assigned))
    if scored is not None:
        Scorecard.objects.create(application=app, reviewer=reviewer, submitted_at=at(scored))


@pytest.fixture
def world(tenant, manager):
    """Two campaigns of one plan, two sales areas, seven applications, three reviewers.

    a1 C1 distributor East      approved, partner active       submitted d0, decided d10
    a2 C1 distributor East      approved, partner onboarding   submitted d0, decided d4
    a3 C2 reseller    South     rejected (qualified)           submitted d1, decided d4
    a4 —  reseller    East+South screening
    a5 C1 distributor East      draft: never counted
    a6 C2 distributor South     scoring (qualified)
    a7 C1 distributor East      withdrawn (qualified, decided_at set): not a decision
    """
    with tenant_scope(tenant):
        east = RegionFactory(code="E", name="华东", name_en="East")
        city = RegionFactory(code="E-SH", name="上海", name_en="Shanghai", parent=east, level="city")
        south = RegionFactory(code="S", name="华南", name_en="South")
        plan = RecruitmentPlanFactory(name="2026 Plan")
        c1 = CampaignFactory(plan=plan, name="Expo", code="EXPO", cost=D("30000"))
        c2 = CampaignFactory(plan=plan, name="Ads", code="ADS", cost=D("10000"), start_date=datetime.date(2026, 1, 1))
        active = PartnerFactory(region=city)
        Partner.objects.filter(pk=active.pk).update(status=PartnerStatus.ACTIVE)
        onboarding = PartnerFactory(region=city)
        Partner.objects.filter(pk=onboarding.pk).update(status=PartnerStatus.ONBOARDING)
        apps = {
            "a1": application(state=S.APPROVED, campaign=c1, regions=[city], qualified=True, decided=10,
                              partner=active),
            "a2": application(state=S.APPROVED, campaign=c1, regions=[east], qualified=True, decided=4,
                              partner=onboarding),
            "a3": application(state=S.REJECTED, campaign=c2, regions=[south], partner_type=PartnerType.RESELLER,
                              qualified=True, submitted=1, decided=4),
            "a4": application(state=S.SCREENING, regions=[city, south], partner_type=PartnerType.RESELLER),
            "a5": application(state=S.DRAFT, campaign=c1, regions=[east]),
            "a6": application(state=S.SCORING, campaign=c2, regions=[south], qualified=True),
            "a7": application(state=S.WITHDRAWN, campaign=c1, regions=[east], qualified=True, decided=2),
        }
        r1 = make_member(tenant, Role.CHANNEL_MANAGER, first_name="Fang", last_name="Wang")
        r2 = make_member(tenant, Role.TRAINER, first_name="Li", last_name="Na")
        r3 = make_member(tenant, Role.LEGAL, first_name="Zhao", last_name="Min")
        with tenant_scope(tenant):
            assign(apps["a1"], r1, assigned=1, scored=3)
            assign(apps["a3"], r1, assigned=1.5, scored=2.5)
            assign(apps["a6"], r1, assigned=2)  # pending: a6 is in scoring
            assign(apps["a6"], r2, assigned=2, scored=2.5)
            assign(apps["a2"], r3, assigned=1)  # never scored, a2 moved on: not pending
    return {"plan": plan, "c1": c1, "c2": c2, "apps": apps, "r1": r1, "r2": r2, "r3": r3}


def rows_by_label(rows):
    return {row.label: (row.applications, row.qualified, row.approved, row.active) for row in rows}


def test_funnel_by_campaign_plan_region_and_type(tenant, world):
    with tenant_scope(tenant):
        by_campaign = selectors.funnel(by="campaign")
        assert rows_by_label(by_campaign) == {
            "Expo (EXPO)": (3, 3, 2, 1), "Ads (ADS)": (2, 2, 0, 0), "No campaign": (1, 0, 0, 0),
        }
        expo = by_campaign[0]
        assert (expo.cost, expo.cost_per_approved, expo.approval_rate) == (D("30000.00"), D("15000.00"), D("66.67"))
        assert by_campaign[1].cost_per_approved is None
        assert rows_by_label(selectors.funnel(by="plan")) == {"2026 Plan": (5, 5, 2, 1), "No plan": (1, 0, 0, 0)}
        assert selectors.funnel(by="plan")[0].cost == D("40000.00")
        # a4 wants both areas: it counts in each, and once in the total.
        assert rows_by_label(selectors.funnel(by="region")) == {"East": (4, 3, 2, 1), "South": (3, 2, 0, 0)}
        assert rows_by_label(selectors.funnel(by="partner_type")) == {
            "Distributor": (4, 4, 2, 1), "Reseller": (2, 1, 0, 0),
        }
        total = selectors.funnel_total([])
        assert (total.applications, total.qualified, total.approved, total.active) == (6, 5, 2, 1)


def test_time_to_decision(tenant, world):
    with tenant_scope(tenant):
        rows = {row.key: row for row in selectors.time_to_decision(by="outcome")}
        approved, rejected, everything = rows[S.APPROVED], rows[S.REJECTED], rows["all"]
        assert (approved.decided, approved.average_days, approved.median_days) == (2, D("7.0"), D("7.0"))
        assert (approved.fastest_days, approved.slowest_days) == (D("4.0"), D("10.0"))
        assert (rejected.decided, rejected.average_days, rejected.median_days) == (1, D("3.0"), D("3.0"))
        # 10, 4 and 3 days: the withdrawn application is not a decision.
        assert (everything.decided, everything.average_days, everything.median_days) == (3, D("5.7"), D("4.0"))
        by_type = {row.key: row for row in selectors.time_to_decision(by="partner_type")}
        assert by_type["distributor"].median_days == D("7.0") and by_type["reseller"].decided == 1
        (month,) = selectors.time_to_decision(by="month")
        assert (month.label, month.decided) == ("2026-03", 3)


def test_time_to_decision_median_of_an_even_count_and_of_nothing(tenant, db):
    with tenant_scope(tenant):
        assert selectors.time_to_decision(by="outcome")[2].median_days is None
        region = RegionFactory()
        for days in (1, 2, 4, 9):
            application(state=S.REJECTED, regions=[region], decided=days)
        assert selectors.time_to_decision(by="outcome")[1].median_days == D("3.0")


def test_reviewer_workload(tenant, world):
    with tenant_scope(tenant):
        rows = {row.label: row for row in selectors.reviewer_workload()}
    wang, li, zhao = rows["Fang Wang"], rows["Li Na"], rows["Zhao Min"]
    assert (wang.assigned, wang.scored, wang.pending, wang.average_days_to_score) == (3, 2, 1, D("1.5"))
    assert (li.assigned, li.scored, li.pending, li.average_days_to_score) == (1, 1, 0, D("0.5"))
    assert (zhao.assigned, zhao.scored, zhao.pending, zhao.average_days_to_score) == (1, 0, 0, None)
    assert next(iter(rows)) == "Fang Wang"  # who has work waiting comes first


def _grow(tenant, world, n):
    with tenant_scope(tenant):
        region = RegionFactory(parent=None)
        reviewer = make_member(tenant, Role.TRAINER)
        for number in range(n):
            campaign = CampaignFactory(plan=world["plan"])
            app = application(state=S.REJECTED, campaign=campaign, regions=[region], qualified=True,
                              decided=number + 1, partner_type=PartnerType.RETAILER)
            assign(app, reviewer, assigned=0.5, scored=1)


ALL_GROUPINGS = [(name, by) for name, groupings in reports.GROUPINGS.items() for by in groupings]
# The tables a report must never read per request: the rollup holds what they would give.
AGGREGATED_TABLES = ("recruitment_application", "recruitment_reviewerassignment", "recruitment_scorecard")


def roll_up(tenant, run_at=None) -> None:
    with tenant_scope(tenant):
        jobs.recruitment_report_rollup(tenant=tenant, run_at=run_at or timezone.now())


def aggregating(captured) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if any(t in q["sql"] for t in AGGREGATED_TABLES)]


@pytest.mark.parametrize(("report", "by"), ALL_GROUPINGS)
def test_reports_read_the_rollup_in_a_fixed_number_of_queries(tenant, world, report, by):
    def queries():
        with tenant_scope(tenant), CaptureQueriesContext(connection) as captured:
            reports.build(report, by).as_dict()
        return captured

    roll_up(tenant)
    small = queries()
    _grow(tenant, world, 6)
    roll_up(tenant)
    large = queries()
    # The report's rows and total, then the names of what it groups by (plans, campaigns, areas, reviewers).
    assert len(large) == len(small) <= 2
    assert aggregating(large) == []


# --------------------------------------------------------------------------- the admin page


def admin(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


REPORTS_URL = "/admin/recruitment/recruitmentplan/reports/"


def test_admin_page_draws_the_table_and_the_chart(tenant, world, manager):
    response = admin(manager).get(REPORTS_URL, {"report": "funnel", "by": "campaign"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Recruitment funnel · by campaign" in page
    assert "Expo (EXPO)" in page and "15000.00" in page and "No campaign" in page
    # Widths are classes (static/css/widths.css): the Content-Security-Policy forbids style attributes.
    assert 'class="chart-fill s1 pw-100"' in page  # Expo's 3 applications: the longest bar
    assert ' pw-33"' in page  # a single application of 3
    assert "?report=funnel&amp;by=campaign&amp;export=csv" in page
    assert admin(manager).get(REPORTS_URL, {"report": "nope"}).status_code == 404
    assert admin(manager).get(REPORTS_URL, {"report": "funnel", "by": "nope"}).status_code == 404


def test_admin_page_is_for_managers_only(tenant, world, member):
    assert admin(member(Role.OWNER)).get(REPORTS_URL).status_code == 200
    for role in (Role.TRAINER, Role.LEGAL, Role.FINANCE):
        assert admin(member(role)).get(REPORTS_URL).status_code == 403
    plans = admin(member(Role.TRAINER)).get("/admin/recruitment/recruitmentplan/").content.decode()
    assert REPORTS_URL not in plans
    manager = admin(member(Role.CHANNEL_MANAGER))
    assert REPORTS_URL in manager.get("/admin/recruitment/recruitmentplan/").content.decode()
    assert REPORTS_URL in manager.get("/admin/").content.decode()  # the dashboard widget links to it


def _csv(content: bytes) -> list[list[str]]:
    assert content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_csv_and_xlsx_exports_hold_the_rows_of_the_page(tenant, world, manager):
    client = admin(manager)
    response = client.get(REPORTS_URL, {"report": "funnel", "by": "campaign", "export": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="recruitment-funnel-by-campaign-')
    lines = _csv(response.content)
    assert lines[0] == ["Campaign", "Applications", "Qualified", "Approved", "Active partners", "Approval rate (%)",
                        "Cost (CNY)", "Cost per approved (CNY)", "Computed at"]
    # The last column says when the figures were computed (the tenant's time, ISO 8601), on every line.
    computed = {line.pop() for line in lines[1:]}
    assert len(computed) == 1 and datetime.datetime.fromisoformat(computed.pop()).tzinfo is not None
    assert lines[1] == ["Expo (EXPO)", "3", "3", "2", "1", "66.67", "30000.00", "15000.00"]
    assert lines[2] == ["Ads (ADS)", "2", "2", "0", "0", "0.00", "10000.00", ""]
    assert lines[3] == ["No campaign", "1", "0", "0", "0", "0.00", "", ""]
    assert lines[4] == ["All applications", "6", "5", "2", "1", "33.33", "40000.00", "20000.00"]

    xlsx = client.get(REPORTS_URL, {"report": "funnel", "by": "campaign", "export": "xlsx"})
    assert xlsx["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == lines[0]
    assert values[1][:-1] == ["Expo (EXPO)", 3, 3, 2, 1, 66.67, 30000, 15000]
    assert values[4][0] == "All applications" and values[4][1] == 6
    assert sheet["A1"].font.bold

    workload = _csv(client.get(REPORTS_URL, {"report": "reviewer-workload", "export": "csv"}).content)
    assert workload[0] == ["Reviewer", "Assigned", "Scored", "Pending", "Average days to score", "Computed at"]
    assert workload[1][:-1] == ["Fang Wang", "3", "2", "1", "1.5"]
    assert workload[-1][:-1] == ["All reviewers", "5", "3", "1", ""]


def test_chinese_export_headers(tenant, world, manager):
    client = admin(manager)
    client.cookies["django_language"] = "zh-hans"
    lines = _csv(client.get(REPORTS_URL, {"report": "time-to-decision", "export": "csv"}).content)
    assert lines[0][:3] == ["结果", "决定数", "已通过"]
    assert lines[1][0] == "已通过"


# --------------------------------------------------------------------------- the API


API = "/api/v1/recruitment/reports/"


def test_api_returns_the_same_table(tenant, world, manager):
    body = api_client_for(manager).get(f"{API}funnel/", {"by": "region"}).json()
    assert body["report"] == "funnel" and body["by"] == "region"
    assert [column["key"] for column in body["columns"]] == [
        "label", "applications", "qualified", "approved", "active", "approval_rate"]
    assert [(row["label"], row["applications"]) for row in body["rows"]] == [("East", 4), ("South", 3)]
    assert body["total"]["applications"] == 6
    decisions = api_client_for(manager).get(f"{API}time-to-decision/").json()
    assert decisions["rows"][2]["median_days"] == 4.0
    workload = api_client_for(manager).get(f"{API}reviewer-workload/").json()
    assert workload["rows"][0]["pending"] == 1


@pytest.mark.parametrize(("fmt", "content_type"), [
    ("csv", "text/csv; charset=utf-8"),
    ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
])
def test_api_exports(tenant, world, manager, fmt, content_type):
    response = api_client_for(manager).get(f"{API}funnel/", {"by": "campaign", "format": fmt})
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert f'.{fmt}"' in response["Content-Disposition"]
    if fmt == "csv":
        assert _csv(response.content)[1][0] == "Expo (EXPO)"
    else:
        assert load_workbook(io.BytesIO(response.content)).active["A2"].value == "Expo (EXPO)"


def test_api_is_for_managers_and_checks_the_grouping(tenant, world, member):
    assert api_client_for(member(Role.OWNER)).get(f"{API}funnel/").status_code == 200
    assert api_client_for(member(Role.TRAINER)).get(f"{API}funnel/").status_code == 403
    partner = None
    with tenant_scope(tenant):
        partner = PartnerFactory()
    assert api_client_for(member(Role.PARTNER_ADMIN, partner=partner)).get(f"{API}funnel/").status_code == 403
    bad = api_client_for(member(Role.CHANNEL_MANAGER)).get(f"{API}funnel/", {"by": "colour"})
    assert bad.status_code == 400 and "by" in bad.json()
    refused_file = api_client_for(member(Role.TRAINER)).get(f"{API}funnel/", {"format": "csv"})
    assert refused_file.status_code == 403 and b"permission" in refused_file.content.lower()


@pytest.mark.parametrize("path", ["funnel/?by=campaign", "time-to-decision/", "reviewer-workload/"])
def test_api_query_count_is_constant(tenant, world, manager, path):
    client = api_client_for(manager)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(API + path).status_code == 200
        return captured

    roll_up(tenant)
    small = queries()
    _grow(tenant, world, 5)
    roll_up(tenant)
    large = queries()
    assert len(large) == len(small)
    assert aggregating(large) == []


def test_other_tenants_rows_never_appear(tenant, other_tenant, world, manager):
    with tenant_scope(other_tenant):
        region = RegionFactory(code="THEIRS", name="别人的大区")
        plan = RecruitmentPlanFactory(name="Their plan")
        theirs = CampaignFactory(plan=plan, name="Their expo", code="THEIRS")
        app = application(state=S.APPROVED, campaign=theirs, regions=[region], decided=1, name="别人的公司")
        reviewer = make_member(other_tenant, Role.CHANNEL_MANAGER, first_name="Their", last_name="Reviewer")
        with tenant_scope(other_tenant):
            assign(app, reviewer, assigned=0, scored=1)
    client = admin(manager)
    for report, groupings in reports.GROUPINGS.items():
        for by in groupings:
            page = client.get(REPORTS_URL, {"report": report, "by": by}).content.decode()
            for theirs_text in ("Their plan", "Their expo", "别人的大区", "Their Reviewer"):
                assert theirs_text not in page, (report, by, theirs_text)
    assert api_client_for(manager).get(f"{API}funnel/", {"by": "plan"}).json()["total"]["applications"] == 6


# --------------------------------------------------------------------------- the rollup the pages read

RECOMPUTE_URL = "/admin/recruitment/recruitmentplan/reports/recompute/"


def _numbers(row) -> dict:
    """A report row's key and figures: everything but its label."""
    return {name: value for name, value in vars(row).items() if name != "label"}


def test_the_rollup_holds_what_the_selectors_compute(tenant, world):
    _grow(tenant, world, 3)  # one more area, partner type, reviewer and three campaigns
    roll_up(tenant)
    with tenant_scope(tenant), translation.override("en"):
        for by in selectors.FUNNEL_GROUPS:  # plans and campaigns, areas (an application in several), types
            stored, live = selectors.report_figures(report="funnel", by=by), selectors.funnel(by=by)
            assert [(row.label, _numbers(row)) for row in stored.rows] == [
                (row.label, _numbers(row)) for row in live], by
            assert _numbers(stored.total) == _numbers(selectors.funnel_total([])), by
        for by in selectors.DECISION_GROUPS:  # per group: counts, average, median, fastest, slowest
            stored = selectors.report_figures(report="time-to-decision", by=by)
            live = selectors.time_to_decision(by=by)
            assert [_numbers(row) for row in stored.rows] == [_numbers(row) for row in live], by
            if by != "month":  # months read "March 2026" where the selector says "2026-03"
                assert [row.label for row in stored.rows] == [row.label for row in live], by
        stored = selectors.report_figures(report="reviewer-workload", by="reviewer")
        live = selectors.reviewer_workload()
        assert [(row.label, _numbers(row)) for row in stored.rows] == [(row.label, _numbers(row)) for row in live]
        assert (stored.total.assigned, stored.total.scored, stored.total.pending) == (
            sum(row.assigned for row in live), sum(row.scored for row in live), sum(row.pending for row in live))


def test_a_rerun_replaces_the_rows_and_keys_that_vanished_disappear(tenant, world, manager):
    run_at = timezone.now().replace(microsecond=0)
    fields = [f.name for f in RecruitmentReportFigure._meta.fields if f.name not in ("id", "tenant")]
    roll_up(tenant, run_at)
    with tenant_scope(tenant):
        first = sorted(RecruitmentReportFigure.objects.values_list(*fields))
    roll_up(tenant, run_at)  # a redelivered run
    with tenant_scope(tenant):
        assert sorted(RecruitmentReportFigure.objects.values_list(*fields)) == first
        # Zhao Min's only assignment goes and the resellers become distributors, behind the services' back.
        ReviewerAssignment.objects.filter(reviewer=world["r3"]).delete()
        Application.objects.filter(partner_type=PartnerType.RESELLER).update(partner_type=PartnerType.DISTRIBUTOR)
    page = admin(manager).get(REPORTS_URL, {"report": "funnel", "by": "partner_type"}).content.decode()
    assert "Reseller" in page  # as computed: a page view does not recompute
    later = run_at + datetime.timedelta(hours=1)
    roll_up(tenant, later)
    with tenant_scope(tenant):
        keys = set(RecruitmentReportFigure.objects.values_list("report", "by", "key"))
        assert set(RecruitmentReportFigure.objects.values_list("computed_at", flat=True)) == {later}
    assert ("reviewer-workload", "reviewer", str(world["r3"].pk)) not in keys
    assert ("reviewer-workload", "reviewer", str(world["r1"].pk)) in keys
    assert not {("funnel", "partner_type", "reseller"), ("time-to-decision", "partner_type", "reseller")} & keys
    page = admin(manager).get(REPORTS_URL, {"report": "funnel", "by": "partner_type"}).content.decode()
    assert "Reseller" not in page and "Distributor" in page


def test_the_page_the_api_and_the_files_read_the_rollup_only(tenant, world, manager, settings):
    # The admin frame's work-queue badges (applications awaiting one's score, approval, screening)
    # are counted by a page and kept in the cache for a minute, as outside the tests.
    settings.WORK_QUEUE_CACHE_SECONDS = 60
    roll_up(tenant)
    client, api = admin(manager), api_client_for(manager)

    def read(get, url, params) -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            assert get(url, params).status_code == 200, (url, params)
        return aggregating(captured)

    for report, by in ALL_GROUPINGS:
        query = {"report": report, "by": by}
        assert client.get("/admin/recruitment/criterion/").status_code == 200  # counts the badges
        assert read(client.get, REPORTS_URL, query) == [], query
        assert read(client.get, REPORTS_URL, {**query, "export": "xlsx"}) == [], query
        assert read(api.get, f"{API}{report}/", {"by": by}) == [], query
        assert read(api.get, f"{API}{report}/", {"by": by, "format": "csv"}) == [], query


def test_the_page_the_api_and_the_files_say_when_the_figures_were_computed(tenant, world, manager):
    run_at = datetime.datetime(2026, 3, 20, 1, 30, tzinfo=datetime.UTC)
    roll_up(tenant, run_at)
    response = admin(manager).get(REPORTS_URL, {"report": "funnel", "by": "region"})
    assert response.context["table"].computed_at == run_at
    with translation.override("en"):
        shown = date_format(timezone.localtime(run_at, tenant.zone), "SHORT_DATETIME_FORMAT")
    assert f"Computed at {shown}" in response.content.decode()
    body = api_client_for(manager).get(f"{API}funnel/", {"by": "region"}).json()
    assert datetime.datetime.fromisoformat(body["computed_at"]) == run_at
    assert body["computed_at"].endswith("+08:00")  # the tenant's time
    lines = _csv(admin(manager).get(REPORTS_URL, {"report": "funnel", "by": "region", "export": "csv"}).content)
    assert lines[0][-1] == "Computed at" and {line[-1] for line in lines[1:]} == {body["computed_at"]}


def test_a_tenant_never_rolled_up_is_computed_on_first_view_then_read(tenant, other_tenant, world, manager,
                                                                     monkeypatch):
    with tenant_scope(tenant):
        assert not RecruitmentReportFigure.objects.exists()
    client = admin(manager)
    page = client.get(REPORTS_URL, {"report": "funnel", "by": "campaign"})
    assert "Expo (EXPO)" in page.content.decode() and page.context["table"].computed_at is not None
    with tenant_scope(tenant):  # every report, computed once
        assert set(RecruitmentReportFigure.objects.filter(by="total").values_list("report", flat=True)) == set(
            reports.REPORTS)
    with tenant_scope(other_tenant):
        assert not RecruitmentReportFigure.objects.exists()

    def refused(**kwargs):
        raise AssertionError("a page view recomputed the tenant's report figures")

    monkeypatch.setattr(report_rollup, "report_figures_refresh", refused)
    for report, by in ALL_GROUPINGS:
        assert client.get(REPORTS_URL, {"report": report, "by": by}).status_code == 200
        assert api_client_for(manager).get(f"{API}{report}/", {"by": by}).status_code == 200


def test_labels_are_looked_up_when_read_in_the_readers_language(tenant, world):
    with translation.override("en"):
        roll_up(tenant)  # nothing of the language it ran in is kept
    with tenant_scope(tenant):
        def labels(report, by):
            figures = selectors.report_figures(report=report, by=by)
            return [row.label for row in figures.rows], figures.total.label

        with translation.override("zh-hans"):
            assert labels("funnel", "region") == (["华东", "华南"], "全部申请")
            assert labels("funnel", "partner_type")[0] == ["经销商", "转售商"]
            assert labels("funnel", "plan")[0] == ["2026 Plan", "无招募计划"]
            assert labels("time-to-decision", "outcome")[0] == ["已通过", "已拒绝", "全部决定"]
            assert labels("time-to-decision", "month")[0] == ["2026年3月"]
            assert labels("reviewer-workload", "reviewer")[1] == "全部评审人"
        with translation.override("en"):
            assert labels("funnel", "region") == (["East", "South"], "All applications")
            assert labels("funnel", "partner_type")[0] == ["Distributor", "Reseller"]
            assert labels("funnel", "plan")[0] == ["2026 Plan", "No plan"]
            assert labels("time-to-decision", "outcome")[0] == ["Approved", "Rejected", "All decisions"]
            assert labels("time-to-decision", "month")[0] == ["March 2026"]
            assert labels("reviewer-workload", "reviewer") == (["Fang Wang", "Li Na", "Zhao Min"], "All reviewers")


def test_recompute_now_reruns_the_rollup_for_staff_who_may_see_the_reports(tenant, world, manager, member):
    earlier = timezone.now() - datetime.timedelta(hours=1)
    roll_up(tenant, earlier)
    _grow(tenant, world, 2)  # retailers: not in the figures until they are recomputed
    client = admin(manager)
    assert "Retailer" not in client.get(REPORTS_URL, {"report": "funnel", "by": "partner_type"}).content.decode()
    page = client.get(REPORTS_URL, {"report": "funnel", "by": "partner_type"}).content.decode()
    assert f'action="{RECOMPUTE_URL}"' in page and "Recompute now" in page
    response = client.post(RECOMPUTE_URL, {"report": "funnel", "by": "partner_type"})
    assert (response.status_code, response["Location"]) == (302, f"{REPORTS_URL}?report=funnel&by=partner_type")
    page = client.get(response["Location"])
    assert "Retailer" in page.content.decode() and "The reports were recomputed." in page.content.decode()
    assert page.context["table"].computed_at > earlier
    # Back to the reports page whatever the form says, never to a URL it names.
    assert client.post(RECOMPUTE_URL, {"report": "funnel", "by": "//evil.example"})["Location"] == REPORTS_URL
    assert client.get(RECOMPUTE_URL).status_code == 405
    trainer = member(Role.TRAINER)
    with tenant_scope(tenant):
        before = sorted(RecruitmentReportFigure.objects.values_list("pk", "computed_at"))
    assert admin(trainer).post(RECOMPUTE_URL).status_code == 403
    with pytest.raises(PermissionDenied):
        services.report_figures_recompute(tenant=tenant, actor=trainer)
    with tenant_scope(tenant):
        assert sorted(RecruitmentReportFigure.objects.values_list("pk", "computed_at")) == before


def test_the_job_is_hourly_and_says_what_it_did(tenant, world):
    job = registered_jobs()["recruitment.report_rollup"]
    assert job.default_cadence == Cadence.HOURLY
    with tenant_scope(tenant):
        done = jobs.recruitment_report_rollup(tenant=tenant, run_at=timezone.now())
        assert done.message == "report figures computed: %(figures)s"
        assert done.values == {"figures": RecruitmentReportFigure.objects.count()}
