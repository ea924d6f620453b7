"""Query counts of the pages the scale bench times stay the same however many rows there are.

The bench (``make bench``, docs/performance.md) measures time at 1,000 and 100,000 partners on
PostgreSQL; these tests pin the other half of "constant with rows" on either database: each
page is requested, the tenant grows (applications in every campaign, with regions wanted,
reviewers and scorecards; partners with contacts), and the page must cost the same number of
queries. Also: application search (the API's ``?q=``) by a two-character Chinese fragment, an
e-mail fragment and a credit code, on both databases.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.roles import Role
from recruitment import selectors
from recruitment.models import Application, ApplicationState, ReviewerAssignment, Scorecard
from tests.conftest import api_client_for, make_member
from tests.factories import PartnerContactFactory, PartnerFactory, RegionFactory
from tests.recruitment.factories import ApplicationFactory, CampaignFactory, RecruitmentPlanFactory

REPORTS = "/admin/recruitment/recruitmentplan/reports/"
ADMIN_PAGES = [
    "/admin/",
    "/admin/recruitment/application/",
    "/admin/recruitment/application/?q=申请",
    "/admin/recruitment/application/?state__exact=submitted",
    "/admin/recruitment/campaign/",
    f"{REPORTS}?report=funnel&by=region",
    f"{REPORTS}?report=funnel&by=campaign",
    f"{REPORTS}?report=reviewer-workload",
    "/admin/partners/partner/",
    "/admin/partners/partner/?q=华信",
]
API_PAGES = [
    "/api/v1/recruitment/applications/?page_size=50",
    "/api/v1/recruitment/applications/?q=申请&page_size=50",
    "/api/v1/recruitment/campaigns/",
    "/api/v1/partners/?page_size=50",
    "/api/v1/partners/?q=华信&page_size=50",
    "/api/v1/partners/?cursor=&page_size=50",
]


@pytest.fixture
def world(tenant):
    owner = make_member(tenant, Role.OWNER)
    reviewer = make_member(tenant, Role.CHANNEL_MANAGER)
    with tenant_scope(tenant):
        area = RegionFactory(code="EAST", name="华东", name_en="East")
        city = RegionFactory(code="SH", name="上海", name_en="Shanghai", parent=area, level="city")
        plan = RecruitmentPlanFactory()
        campaigns = [CampaignFactory(plan=plan), CampaignFactory(plan=plan)]
    return {"tenant": tenant, "owner": owner, "reviewer": reviewer, "city": city, "campaigns": campaigns}


def grow(world, n: int) -> None:
    """``n`` more submitted applications (with reviewers and scorecards) and ``n`` more partners."""
    with tenant_scope(world["tenant"]):
        for number in range(n):
            campaign = world["campaigns"][number % 2]
            app = ApplicationFactory(campaign=campaign, plan=campaign.plan, regions=[world["city"]])
            Application.objects.filter(pk=app.pk).update(
                state=ApplicationState.SCORING, submitted_at=timezone.now(), qualified_at=timezone.now()
            )
            ReviewerAssignment.objects.create(application=app, reviewer=world["reviewer"])
            if number % 2:
                Scorecard.objects.create(application=app, reviewer=world["reviewer"], submitted_at=timezone.now())
            partner = PartnerFactory(region=world["city"], legal_name=f"上海华信{number}号电子有限公司")
            PartnerContactFactory(partner=partner)


def admin_queries(user, url: str) -> int:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    assert client.get(url).status_code == 200, url  # warm: the dashboard's rollup is computed once
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def api_queries(user, url: str) -> int:
    api = api_client_for(user)
    assert api.get(url).status_code == 200, url
    with CaptureQueriesContext(connection) as captured:
        response = api.get(url)
    assert response.status_code == 200, url
    return len(captured)


def test_admin_pages_cost_the_same_queries_with_more_rows(world):
    grow(world, 2)
    before = {url: admin_queries(world["owner"], url) for url in ADMIN_PAGES}
    grow(world, 12)
    after = {url: admin_queries(world["owner"], url) for url in ADMIN_PAGES}
    assert after == before


def test_api_lists_cost_the_same_queries_with_more_rows(world):
    grow(world, 2)
    before = {url: api_queries(world["owner"], url) for url in API_PAGES}
    grow(world, 12)
    after = {url: api_queries(world["owner"], url) for url in API_PAGES}
    assert after == before


def test_campaign_counts_are_filled_for_the_rows_fetched_in_one_query(world):
    grow(world, 6)
    with tenant_scope(world["tenant"]), CaptureQueriesContext(connection) as captured:
        campaigns = list(selectors.campaign_list())
    assert len(captured) == 2  # the campaigns, then one GROUP BY over their applications
    assert sorted(c.application_count for c in campaigns) == [3, 3]
    assert all(c.qualified_count == 3 and c.approved_count == 0 and c.onboarded_count == 0 for c in campaigns)
    with tenant_scope(world["tenant"]):
        one = selectors.campaign_list().get(pk=world["campaigns"][0].pk)
        empty = CampaignFactory(plan=world["campaigns"][0].plan)
        assert selectors.campaign_list().get(pk=empty.pk).application_count == 0
    assert one.application_count == 3


@pytest.mark.parametrize(("term", "found"), [
    ("华信", {"上海华信电子科技有限公司"}),
    ("信电", {"上海华信电子科技有限公司"}),
    ("北京", {"北京鼎盛贸易有限公司"}),
    ("dingsheng", {"北京鼎盛贸易有限公司"}),
    ("91310000MA1FL0001X", {"上海华信电子科技有限公司"}),
    ("鼎盛贸易", {"北京鼎盛贸易有限公司"}),
    ("华盛", set()),
])
def test_application_search_by_chinese_fragment_email_or_credit_code(world, term, found):
    with tenant_scope(world["tenant"]):
        ApplicationFactory(legal_name="上海华信电子科技有限公司", credit_code="91310000MA1FL0001X",
                           contact_email="wang@huaxin.example")
        ApplicationFactory(legal_name="北京鼎盛贸易有限公司", contact_email="li@dingsheng.example")
        names = set(selectors.application_search(Application.objects.all(), term).values_list("legal_name", flat=True))
    assert names == found
    response = api_client_for(world["owner"]).get("/api/v1/recruitment/applications/", {"q": term})
    assert {row["legal_name"] for row in response.json()["results"]} == found


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_the_search_line_holds_every_two_character_piece_as_a_word(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT recruitment_search_text(%s, %s, %s, %s)",
                       ["上海华信电子", "91310000MA1FL0001X", "王伟", "Wang@Example.cn"])
        line = cursor.fetchone()[0]
    words = set(line.split())
    assert {"上海", "海华", "华信", "信电", "电子", "王伟"} <= words
    assert {"上海华信电子", "91310000ma1fl0001x", "wang@example.cn"} <= words


@pytest.mark.parametrize(("term", "found"), [
    ("华信", {"上海华信电子科技有限公司"}),
    ("dingsheng", {"北京鼎盛贸易有限公司"}),
    ("鼎盛 贸易", {"北京鼎盛贸易有限公司"}),  # two terms, each anywhere
    ("上海 鼎盛", set()),
    ("MA1FL0001", {"上海华信电子科技有限公司"}),  # DRF's search: part of a credit code
    ('"华信电子"', {"上海华信电子科技有限公司"}),  # a quoted phrase
])
def test_drf_search_answers_as_before_with_the_index_narrowing_it(world, term, found):
    with tenant_scope(world["tenant"]):
        ApplicationFactory(legal_name="上海华信电子科技有限公司", credit_code="91310000MA1FL0001X",
                           contact_email="wang@huaxin.example")
        ApplicationFactory(legal_name="北京鼎盛贸易有限公司", contact_email="li@dingsheng.example")
        PartnerFactory(legal_name="上海华信电子科技有限公司", credit_code="91310000MA1FL0001X")
        PartnerFactory(legal_name="北京鼎盛贸易有限公司", english_name="Beijing Dingsheng Trading")
    api = api_client_for(world["owner"])
    for url in ("/api/v1/recruitment/applications/", "/api/v1/partners/"):
        response = api.get(url, {"search": term})
        assert response.status_code == 200, url
        assert {row["legal_name"] for row in response.json()["results"]} == found, url
