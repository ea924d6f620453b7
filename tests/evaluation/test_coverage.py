"""Coverage (渠道布置): targets per region × partner type, the gaps rollup, the map, the link to recruitment."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from channelhub.partners.models import PartnerStatus, PartnerType, Region
from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.roles import Role
from evaluation import economics_jobs
from evaluation.admin.coverage import recruitment_link
from evaluation.models import CoverageGap, CoverageTarget
from evaluation.services import coverage as services
from tests.conftest import api_client_for, make_member
from tests.factories import PartnerFactory, RegionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def people(tenant):
    return {role: make_member(tenant, role, username=role) for role in
            (Role.OWNER, Role.CHANNEL_MANAGER, Role.FINANCE, Role.TRAINER)}


@pytest.fixture
def regions(tenant):
    with tenant_scope(tenant):
        east = RegionFactory(code="EAST", name="华东", name_en="East")
        shanghai = RegionFactory(code="SH", name="上海", name_en="Shanghai", parent=east, level=Region.Level.PROVINCE)
        west = RegionFactory(code="WEST", name="西部", name_en="West")
    return {"east": east, "shanghai": shanghai, "west": west}


def _partners(region, count, partner_type=PartnerType.DISTRIBUTOR, status=PartnerStatus.ACTIVE):
    return [PartnerFactory(region=region, partner_type=partner_type, status=status) for _ in range(count)]


def _target(region, partner_type=PartnerType.DISTRIBUTOR, wanted=5, weight="100", **fields):
    return CoverageTarget.objects.create(region=region, partner_type=partner_type, wanted=wanted,
                                         market_weight=Decimal(weight), **fields)


def test_gaps_count_the_active_partners_of_the_region_subtree(tenant, regions):
    with tenant_scope(tenant):
        east = _target(regions["east"], wanted=5, weight="100")
        sh_resellers = _target(regions["shanghai"], PartnerType.RESELLER, wanted=2, weight="10")
        west = _target(regions["west"], wanted=4, weight="50")
        _partners(regions["shanghai"], 2)                                    # count for East (subtree)
        _partners(regions["east"], 1, status=PartnerStatus.SUSPENDED)         # not active
        _partners(regions["east"], 1, partner_type=PartnerType.RESELLER)     # East, not Shanghai
        _partners(regions["shanghai"], 3, partner_type=PartnerType.RESELLER)  # more than wanted
    assert services.coverage_compute(tenant=tenant, actor=None) == 3
    with tenant_scope(tenant):
        gaps = {gap.target_id: gap for gap in CoverageGap.objects.all()}
        worst_first = [gap.target_id for gap in CoverageGap.objects.order_by("-weighted_gap")]
    assert (gaps[east.pk].active, gaps[east.pk].gap, gaps[east.pk].weighted_gap) == (2, 3, Decimal("60.00"))
    assert (gaps[sh_resellers.pk].active, gaps[sh_resellers.pk].gap) == (3, 0)
    assert gaps[sh_resellers.pk].weighted_gap == 0
    assert (gaps[west.pk].active, gaps[west.pk].gap, gaps[west.pk].weighted_gap) == (0, 4, Decimal("50.00"))
    assert worst_first == [east.pk, west.pk, sh_resellers.pk]


def test_a_rerun_replaces_in_constant_queries(tenant, regions):
    with tenant_scope(tenant):
        _target(regions["east"])
        _partners(regions["east"], 1)
    with CaptureQueriesContext(connection) as first:
        services.coverage_compute(tenant=tenant, actor=None)
    with tenant_scope(tenant):
        _target(regions["west"])
        _target(regions["shanghai"], PartnerType.AGENT)
        _partners(regions["west"], 6)
    with CaptureQueriesContext(connection) as second:
        assert services.coverage_compute(tenant=tenant, actor=None) == 3
    assert len(first) == len(second)
    economics_jobs.coverage(tenant=tenant, run_at=None)
    with tenant_scope(tenant):
        assert CoverageGap.objects.count() == 3


def test_targets_are_for_owners_and_managers_and_validated(tenant, regions, people, other_tenant):
    target = services.coverage_target_create(tenant=tenant, actor=people[Role.CHANNEL_MANAGER],
                                             region=regions["east"], partner_type=PartnerType.AGENT, wanted=3)
    with pytest.raises(PermissionDenied):
        services.coverage_target_update(target=target, actor=people[Role.FINANCE], wanted=4)
    with pytest.raises(PermissionDenied):
        services.coverage_compute(tenant=tenant, actor=people[Role.TRAINER])
    with pytest.raises(ValidationError):
        services.coverage_target_update(target=target, actor=people[Role.OWNER], wanted=0)
    with pytest.raises(ValidationError):  # the same cell twice
        services.coverage_target_create(tenant=tenant, actor=people[Role.OWNER], region=regions["east"],
                                        partner_type=PartnerType.AGENT, wanted=1)
    with tenant_scope(other_tenant):
        foreign = RegionFactory(code="X")
    with pytest.raises(ValidationError):
        services.coverage_target_create(tenant=tenant, actor=people[Role.OWNER], region=foreign,
                                        partner_type=PartnerType.AGENT, wanted=1)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", [
    "admin:evaluation_coveragegap_changelist", "admin:evaluation_coveragegap_map", "admin:index",
])
def test_pages_cost_the_same_whatever_the_rows(client, tenant, regions, people, url):
    client.force_login(people[Role.TRAINER])
    with tenant_scope(tenant):
        _target(regions["east"])
    services.coverage_compute(tenant=tenant, actor=None)
    client.get(reverse(url))  # the first request of a session warms caches (site, menus)
    few = _queries(client, reverse(url))
    with tenant_scope(tenant):
        for partner_type in (PartnerType.RESELLER, PartnerType.AGENT, PartnerType.BROKER):
            _target(regions["west"], partner_type)
            _target(regions["shanghai"], partner_type, product_category="Phones")
        _partners(regions["west"], 3)
    services.coverage_compute(tenant=tenant, actor=None)
    assert _queries(client, reverse(url)) == few


def test_the_map_highlights_gaps_and_the_list_links_to_a_recruitment_plan(client, tenant, regions, people):
    with tenant_scope(tenant):
        _target(regions["east"], wanted=3)
        _target(regions["west"], PartnerType.RESELLER, wanted=1)
        _partners(regions["west"], 1, partner_type=PartnerType.RESELLER)
    services.coverage_compute(tenant=tenant, actor=None)
    client.force_login(people[Role.CHANNEL_MANAGER])
    page = client.get(reverse("admin:evaluation_coveragegap_map"))
    body = page.content.decode()
    assert page.status_code == 200
    assert "coverage-gap" in body and "coverage-ok" in body and "East" in body and "Distributor" in body
    listing = client.get(reverse("admin:evaluation_coveragegap_changelist")).content.decode()
    assert "New recruitment plan" in listing
    with tenant_scope(tenant):
        gap = CoverageGap.objects.select_related("region").get(gap__gt=0)
    link = recruitment_link(gap)
    assert link.startswith(reverse("admin:recruitment_recruitmentplan_add"))
    # Recruitment's add form takes its name and description from the query string (read, not changed).
    form = client.get(link)
    assert form.status_code == 200 and "Coverage: East · Distributor" in form.content.decode()


def test_recompute_page_is_for_owners_and_managers(client, tenant, regions, people):
    with tenant_scope(tenant):
        _target(regions["east"])
    url = reverse("admin:evaluation_coveragegap_compute")
    client.force_login(people[Role.TRAINER])
    page = client.get(url)
    assert page.status_code == 200 and not page.context["allowed"]
    client.post(url)
    with tenant_scope(tenant):
        assert not CoverageGap.objects.exists()
    client.force_login(people[Role.CHANNEL_MANAGER])
    assert client.post(url).status_code == 302
    with tenant_scope(tenant):
        assert CoverageGap.objects.count() == 1


def test_api_lists_gaps_worst_first_for_staff_only(tenant, regions, people):
    with tenant_scope(tenant):
        _target(regions["east"], wanted=2, weight="10")
        _target(regions["west"], wanted=2, weight="90")
        partner = _partners(regions["east"], 1)[0]
    services.coverage_compute(tenant=tenant, actor=None)
    url = reverse("evaluation-api:coverage-gap-list")
    body = api_client_for(people[Role.TRAINER]).get(url).json()
    assert [row["weighted_gap"] for row in body["results"]] == ["90.00", "5.00"]
    partner_user = make_member(tenant, Role.PARTNER_USER, partner=partner, username="puser")
    assert api_client_for(partner_user).get(url).status_code == 403
