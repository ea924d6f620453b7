"""What a tenant of 100,000 partners needs, checked at test size: keyset pages, deep pages read
in two steps, dashboard figures from an idempotent rollup, Chinese search, the duplicate
check's candidate floor."""

from __future__ import annotations

import datetime
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from channelhub.api import pagination
from channelhub.partners import jobs, selectors
from channelhub.partners.models import Partner, PartnerFigure, PartnerStatus
from channelhub.partners.search import cjk_pieces, search_text
from channelhub.tenancy.context import tenant_scope
from recruitment.duplicates import SIMILARITY, TRIGRAM_FLOOR, name_similarity, normalise_company_name
from tests.factories import PartnerContactFactory, PartnerFactory, RegionFactory

pytestmark = pytest.mark.django_db


# --------------------------------------------------------------------------- cursor pagination


def test_cursor_pages_walk_the_whole_list_in_order_without_a_count(in_tenant, manager_api):
    region = RegionFactory()
    for n in range(7):
        PartnerFactory(region=region, legal_name=f"上海{n:02d}电子有限公司")
    seen, url = [], "/api/v1/partners/?cursor=&page_size=3"
    while url:
        body = manager_api.get(url).json()
        assert "count" not in body
        seen += [row["legal_name"] for row in body["results"]]
        url = body["next"]
    assert seen == [f"上海{n:02d}电子有限公司" for n in range(7)]


def test_cursor_follows_the_requested_ordering_and_page_numbers_still_work(in_tenant, manager_api):
    for n in range(5):
        PartnerFactory(legal_name=f"北京{n}科技有限公司")
    body = manager_api.get("/api/v1/partners/", {"cursor": "", "ordering": "-legal_name", "page_size": 2}).json()
    assert [row["legal_name"] for row in body["results"]] == ["北京4科技有限公司", "北京3科技有限公司"]
    numbered = manager_api.get("/api/v1/partners/", {"page": 2, "page_size": 2}).json()
    assert numbered["count"] == 5
    assert [row["legal_name"] for row in numbered["results"]] == ["北京2科技有限公司", "北京3科技有限公司"]


def test_a_bad_cursor_is_a_404_with_a_message_not_a_500(in_tenant, manager_api):
    response = manager_api.get("/api/v1/partners/", {"cursor": "not-a-cursor"})
    assert response.status_code == 404
    assert response.json()["detail"]


def test_a_deep_page_read_in_two_steps_has_the_same_rows_and_contact_counts(in_tenant, manager_api, monkeypatch):
    partners = [PartnerFactory(legal_name=f"深圳{n:02d}通讯有限公司") for n in range(9)]
    PartnerContactFactory.create_batch(3, partner=partners[7])
    plain = manager_api.get("/api/v1/partners/", {"page": 3, "page_size": 3}).json()["results"]
    monkeypatch.setattr(pagination, "DEFERRED_FROM", 0)
    deferred = manager_api.get("/api/v1/partners/", {"page": 3, "page_size": 3}).json()["results"]
    assert deferred == plain
    assert [row["contact_count"] for row in deferred] == [0, 3, 0]


def test_contact_counts_cost_one_query_per_page_whatever_the_page_size(in_tenant, manager_api):
    for partner in PartnerFactory.create_batch(6):
        PartnerContactFactory(partner=partner)

    def queries(size: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert manager_api.get("/api/v1/partners/", {"page_size": size}).status_code == 200
        return len(captured)

    assert queries(2) == queries(6)


# --------------------------------------------------------------------------- dashboard rollup


def test_rollup_job_is_idempotent_and_the_dashboard_shows_when_it_ran(tenant, client, manager):
    with tenant_scope(tenant):
        PartnerFactory.create_batch(3, partner_type="reseller")
        run_at = timezone.now().replace(microsecond=0)
        jobs.partner_dashboard_rollup(tenant=tenant, run_at=run_at)
        first = sorted(PartnerFigure.objects.values_list("dimension", "key", "count"))
        jobs.partner_dashboard_rollup(tenant=tenant, run_at=run_at)  # a redelivered run
        assert sorted(PartnerFigure.objects.values_list("dimension", "key", "count")) == first
        assert ("partner_type", "reseller", 3) in first
        # A new partner shows after the next run, not on the next page view.
        PartnerFactory(partner_type="reseller")
    client.force_login(manager)
    page = client.get("/admin/")
    by_type = {bar.label: bar.value for bar in {w.title: w for w in page.context["dashboard_widgets"]}[
        "Partners by type"].bars}
    assert by_type == {"Reseller": 3}
    assert "Computed at" in page.content.decode()
    with tenant_scope(tenant):
        later = run_at + datetime.timedelta(hours=1)
        jobs.partner_dashboard_rollup(tenant=tenant, run_at=later)
        figures = selectors.partner_figures()
    assert figures.partner_type == {"reseller": 4}
    assert figures.computed_at == later


def test_a_status_that_empties_drops_to_zero_on_the_next_run(in_tenant):
    partner = PartnerFactory()
    jobs.partner_dashboard_rollup(tenant=in_tenant, run_at=timezone.now())
    assert selectors.partner_figures().status[PartnerStatus.PROSPECT] == 1
    Partner.objects.filter(pk=partner.pk).update(status=PartnerStatus.ONBOARDING)
    jobs.partner_dashboard_rollup(tenant=in_tenant, run_at=timezone.now())
    status = selectors.partner_figures().status
    assert (status[PartnerStatus.PROSPECT], status[PartnerStatus.ONBOARDING]) == (0, 1)


# --------------------------------------------------------------------------- search


@pytest.fixture
def companies(in_tenant):
    return {
        "huaxin": PartnerFactory(legal_name="上海华信电子科技有限公司", english_name="Shanghai Huaxin Electronics",
                                 credit_code="91310115MA1K4HXC5B"),
        "dingsheng": PartnerFactory(legal_name="北京鼎盛通讯器材有限公司", english_name="Beijing Dingsheng Telecom",
                                    credit_code="91110105MA00DS2X2M"),
    }


@pytest.mark.parametrize("term,found", [
    ("华信", ["huaxin"]),            # two Chinese characters
    ("鼎盛通讯", ["dingsheng"]),      # a longer fragment
    ("huaxin", ["huaxin"]),          # the English / pinyin name, any case
    ("DINGSHENG", ["dingsheng"]),
    ("9131", ["huaxin"]),            # a credit-code prefix
    ("有限公司", ["dingsheng", "huaxin"]),
    ("广州", []),
])
def test_search_by_chinese_fragment_english_name_or_credit_code(companies, manager_api, admin_client_as, term, found):
    expected = sorted(companies[key].legal_name for key in found)
    api = manager_api.get("/api/v1/partners/", {"q": term}).json()
    assert sorted(row["legal_name"] for row in api["results"]) == expected
    admin = admin_client_as.get("/admin/partners/partner/", {"q": term})
    assert sorted(str(p.legal_name) for p in admin.context["cl"].result_list) == expected


@pytest.fixture
def admin_client_as(client, manager):
    client.force_login(manager)
    return client


def test_search_column_holds_every_two_character_piece_as_a_word(in_tenant):
    partner = PartnerFactory(legal_name="上海华信电子有限公司", short_name="华信", english_name="Huaxin Co., Ltd.",
                             credit_code="91310115MA1K4HXC5B")
    text = Partner.objects.get(pk=partner.pk).search_text
    assert " 华信 " in text and " 上海 " in text and " 海华 " in text
    assert "huaxin co., ltd." in text and "91310115ma1k4hxc5b" in text
    partner.legal_name = "杭州星辰网络有限公司"
    partner.save(update_fields=["legal_name"])
    assert " 星辰 " in Partner.objects.get(pk=partner.pk).search_text  # kept current on every write
    assert cjk_pieces("华") == ["华"]
    assert search_text("A 华信") == " a 华信 华信 "


# --------------------------------------------------------------------------- duplicate candidates


def _pg_trigrams(word: str) -> set[str]:
    """pg_trgm's trigrams of one word: two spaces before, one after."""
    padded = f"  {word} "
    return {padded[i:i + 3] for i in range(len(padded) - 2)}


def _pg_similarity(a: str, b: str) -> float:
    ta, tb = _pg_trigrams(a), _pg_trigrams(b)
    return len(ta & tb) / len(ta | tb) if ta | tb else 0.0


def test_the_trigram_floor_keeps_every_pair_difflib_calls_similar():
    """The database only hands over names at or above TRIGRAM_FLOOR: no similar pair may fall below."""
    rng = random.Random(7)
    alphabet = "华信鼎盛恒通宏达星辰瑞丰嘉禾博远金泰安捷电子科技通讯上海北京深圳abcdefgh"
    checked = 0
    for _ in range(6000):
        name = "".join(rng.choice(alphabet) for _ in range(rng.randint(6, 30)))
        other = list(name)
        for _edit in range(rng.randint(1, 3)):
            position = rng.randrange(len(other))
            choice = rng.random()
            if choice < 0.4:
                other[position] = rng.choice(alphabet)
            elif choice < 0.7:
                other.insert(position, rng.choice(alphabet))
            elif len(other) > 1:
                del other[position]
        a, b = normalise_company_name(name), normalise_company_name("".join(other))
        if a != b and name_similarity(a, b) >= SIMILARITY:
            checked += 1
            assert _pg_similarity(a, b) >= TRIGRAM_FLOOR, (a, b)
    assert checked > 200


def test_contacts_are_found_by_name_fragment_e_mail_or_phone(in_tenant, manager_api, admin_client_as):
    PartnerContactFactory(name="王伟", email="wangwei@dingsheng.cn", phone="13900001111")
    PartnerContactFactory(name="李娜", email="lina@hengtong.cn", phone="13800002222")
    for term, expected in [("王伟", ["王伟"]), ("王", ["王伟"]), ("HENGTONG", ["李娜"]), ("0000", ["李娜", "王伟"])]:
        api = manager_api.get("/api/v1/contacts/", {"q": term}).json()
        assert sorted(row["name"] for row in api["results"]) == expected, term
        admin = admin_client_as.get("/admin/partners/partnercontact/", {"q": term})
        assert sorted(c.name for c in admin.context["cl"].result_list) == expected, term
