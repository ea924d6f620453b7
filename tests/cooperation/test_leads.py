"""Lead distribution: routing by region, type, open offers and weight; answers before the deadline; the hourly
reassignment job (idempotent); outcomes; the KPI inputs; API, portal and admin, with constant query counts."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from channelhub import kpi_inputs
from channelhub.partners.models import PartnerStatus, PartnerType
from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.jobs import Period, registered_jobs
from channelhub.tenancy.roles import Role
from cooperation import lead_jobs, selectors, services
from cooperation.models import Lead, LeadOffer, LeadState, OfferState
from tests.conftest import api_client_for, make_member
from tests.factories import PartnerFactory, RegionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def active(tenant, region, people):
    """``active(**fields)`` → a new active partner in the region (default)."""

    def build(**fields):
        with tenant_scope(tenant):
            values = {"region": region, "status": PartnerStatus.ACTIVE, "owner": people["manager"]} | fields
            return PartnerFactory(**values)

    return build


def _lead(tenant, actor, region, **fields):
    with tenant_scope(tenant):
        values = {"company": "上海远航科技", "region": region, "routing": "automatic", "value": "80000",
                  "contact_name": "王芳", "contact_phone": "13800000000"} | fields
        return services.lead_create(tenant=tenant, actor=actor, **values)


def _open_offer(tenant, lead) -> LeadOffer:
    with tenant_scope(tenant):
        return LeadOffer.objects.get(lead=lead, state=OfferState.OPEN)


def test_routing_picks_eligible_partner_with_fewest_open_offers_then_by_weight(tenant, region, active, people):
    manager = people["manager"]
    with tenant_scope(tenant):
        city = RegionFactory(code="SH", name="上海", parent=region, level="city")
        elsewhere = RegionFactory(code="WEST", name="西部")
    busy, idle = active(legal_name="Busy Co."), active(legal_name="Idle Co.", region=city)
    active(region=elsewhere)  # another region
    active(status=PartnerStatus.SUSPENDED)  # not active
    retailer = active(partner_type=PartnerType.RETAILER)
    first = _lead(tenant, manager, region, routing="manual")
    with tenant_scope(tenant):
        services.lead_offer(lead=first, actor=manager, partner=busy)
    # Busy has an open offer: the next automatic lead goes to the idle partner in the sub-region.
    lead = _lead(tenant, manager, region)
    assert lead.state == LeadState.OFFERED and lead.partner == idle
    # A partner type narrows the choice.
    typed = _lead(tenant, manager, region, partner_type=PartnerType.RETAILER)
    assert typed.partner == retailer
    # Weight: equal open offers, twice the weight wins over one recent offer more.
    with tenant_scope(tenant):
        services.weight_save(tenant=tenant, actor=manager, partner=busy, weight=Decimal("0"))
        assert services.routing_weight([busy.pk, idle.pk]) == {busy.pk: Decimal("0"), idle.pk: Decimal("1")}
        assert services.pick_partner(_lead(tenant, manager, region, routing="manual")) in (idle, retailer)
        services.weight_save(tenant=tenant, actor=manager, partner=busy, weight=Decimal("3"))
        assert busy in services.eligible_partners(_lead(tenant, manager, region, routing="manual"))


def test_a_partners_tier_gives_its_lead_weight_unless_the_tenant_set_one(tenant, region, active, people):
    """Gold partners get twice the leads (the tier's lead weight, through channelhub.tiers); a weight
    set for the partner itself wins over its tier's."""
    from evaluation.models import PartnerTier, Tier

    gold_partner, silver_partner, plain = active(), active(), active()
    with tenant_scope(tenant):
        gold = Tier.objects.create(code="gold", name="Gold", rank=3, min_score=80, lead_weight=Decimal("2"))
        silver = Tier.objects.create(code="silver", name="Silver", rank=2, min_score=60, lead_weight=Decimal("0.5"))
        PartnerTier.objects.create(partner=gold_partner, tier=gold)
        PartnerTier.objects.create(partner=silver_partner, tier=silver)
        ids = [gold_partner.pk, silver_partner.pk, plain.pk]
        assert services.routing_weight(ids) == {gold_partner.pk: Decimal("2"), silver_partner.pk: Decimal("0.5"),
                                                plain.pk: Decimal("1")}
        services.weight_save(tenant=tenant, actor=people["manager"], partner=gold_partner, weight=Decimal("0"))
        assert services.routing_weight(ids)[gold_partner.pk] == Decimal("0")


def test_decline_goes_to_the_next_partner_and_accept_closes_the_round(tenant, region, active, people):
    manager = people["manager"]
    one, two = active(), active()
    admin_one = make_member(tenant, Role.PARTNER_ADMIN, partner=one, username="one-admin")
    user_two = make_member(tenant, Role.PARTNER_USER, partner=two, username="two-user")
    lead = _lead(tenant, manager, region)
    offer = _open_offer(tenant, lead)
    first, other = (admin_one, user_two) if offer.partner == one else (user_two, admin_one)
    with tenant_scope(tenant):
        with pytest.raises(PermissionDenied):
            services.offer_accept(offer=offer, actor=other)  # another partner's offer
        with pytest.raises(PermissionDenied):
            services.offer_accept(offer=offer, actor=people["trainer"])
        services.offer_decline(offer=offer, actor=first, reason="不在我们的业务范围")
        with pytest.raises(ValidationError):
            services.offer_accept(offer=offer, actor=first)  # answered already
        lead.refresh_from_db()
        assert lead.state == LeadState.OFFERED and lead.partner_id != offer.partner_id
        second = LeadOffer.objects.get(lead=lead, state=OfferState.OPEN)
        assert second.automatic
        services.offer_accept(offer=second, actor=other)
        lead.refresh_from_db()
        assert lead.state == LeadState.ACCEPTED
        with pytest.raises(ValidationError):
            services.lead_route(lead=lead, actor=manager)
        with pytest.raises(PermissionDenied):
            services.lead_close(lead=lead, actor=first, outcome="converted")  # not their lead
        services.lead_close(lead=lead, actor=other, outcome="converted", note="签约 12 万")
        lead.refresh_from_db()
        assert lead.state == LeadState.CONVERTED and lead.closed_at and lead.outcome_note == "签约 12 万"
        with pytest.raises(ValidationError):
            services.lead_update(lead=lead, actor=manager, company="x")
        assert list(selectors.lead_offers(lead).values_list("state", flat=True)) == ["accepted", "declined"]


def test_manual_forwarding_rules(tenant, region, active, people, partner):
    manager = people["manager"]
    one = active()
    lead = _lead(tenant, manager, region, routing="manual")
    assert lead.state == LeadState.NEW  # manual: nobody is offered it yet
    with tenant_scope(tenant):
        with pytest.raises(PermissionDenied):
            services.lead_offer(lead=lead, actor=people["trainer"], partner=one)
        services.lead_offer(lead=lead, actor=manager, partner=one)
        services.lead_offer(lead=lead, actor=manager, partner=partner)  # the open offer is withdrawn
        states = dict(LeadOffer.objects.filter(lead=lead).values_list("partner_id", "state"))
        assert states == {one.pk: OfferState.WITHDRAWN, partner.pk: OfferState.OPEN}
        with pytest.raises(ValidationError):
            services.lead_offer(lead=lead, actor=manager, partner=one)  # offered once only
        suspended = PartnerFactory(region=region, status=PartnerStatus.SUSPENDED)
        with pytest.raises(ValidationError):
            services.lead_offer(lead=lead, actor=manager, partner=suspended)
        with pytest.raises(ValidationError):
            services.lead_close(lead=lead, actor=manager, outcome="converted")  # nobody accepted it
        services.lead_close(lead=lead, actor=manager, outcome="lost", note="客户预算取消")
        assert not LeadOffer.objects.filter(lead=lead, state=OfferState.OPEN).exists()
        with pytest.raises(ValidationError):
            _lead(tenant, manager, region, company="  ")


def test_reassignment_job_expires_and_reoffers_once(tenant, region, active, people):
    manager = people["manager"]
    active(), active()
    three = active()
    lead = _lead(tenant, manager, region, response_hours=24)
    manual = _lead(tenant, manager, region, routing="manual", response_hours=24)
    with tenant_scope(tenant):
        services.lead_offer(lead=manual, actor=manager, partner=three)
    first = _open_offer(tenant, lead)
    later = timezone.now() + datetime.timedelta(hours=25)
    with tenant_scope(tenant):
        assert lead_jobs.lead_reassignment(tenant=tenant, run_at=later).values == {"expired": 2, "offered": 0}
        assert lead_jobs.lead_reassignment(tenant=tenant, run_at=later).values == {"expired": 0, "offered": 0}
        first.refresh_from_db()
        assert first.state == OfferState.EXPIRED
        lead.refresh_from_db()
        manual.refresh_from_db()
        assert lead.state == LeadState.OFFERED and lead.partner_id not in (first.partner_id, None)
        assert manual.state == LeadState.EXPIRED  # waits for its manager
        assert selectors.leads_without_partner().filter(pk=manual.pk).exists()
        assert LeadOffer.objects.filter(lead=lead).count() == 2
        # An answer after the deadline is refused; the expired partner is never offered it again.
        with pytest.raises(ValidationError):
            services.offer_accept(offer=first, actor=make_member(tenant, Role.PARTNER_ADMIN,
                                                                 partner=first.partner, username="late"))
    assert "cooperation.lead_reassignment" in registered_jobs()


def test_expiry_loses_to_an_answer_given_first(tenant, region, active, people):
    one = active()
    staff = make_member(tenant, Role.PARTNER_USER, partner=one, username="quick")
    lead = _lead(tenant, people["manager"], region)
    offer = _open_offer(tenant, lead)
    with tenant_scope(tenant):
        services.offer_accept(offer=offer, actor=staff)
        assert not services.offer_expire(offer=offer, now=offer.deadline + datetime.timedelta(minutes=1))
        offer.refresh_from_db()
        assert offer.state == OfferState.ACCEPTED


def test_kpi_inputs(tenant, region, active, people):
    manager = people["manager"]
    one = active()
    staff = make_member(tenant, Role.PARTNER_ADMIN, partner=one, username="kpi")
    won, lost = _lead(tenant, manager, region), _lead(tenant, manager, region)
    with tenant_scope(tenant):
        services.offer_accept(offer=LeadOffer.objects.get(lead=won), actor=staff)
        services.offer_accept(offer=LeadOffer.objects.get(lead=lost), actor=staff)
        services.lead_close(lead=won, actor=staff, outcome="converted")
        services.offer_decline(offer=LeadOffer.objects.get(lead=_lead(tenant, manager, region)), actor=staff)
    now = timezone.now()
    period = Period("monthly", now - datetime.timedelta(days=1), now + datetime.timedelta(days=1), "x")
    assert kpi_inputs.read("cooperation.lead_acceptance", tenant, period) == {one.pk: pytest.approx(2 / 3)}
    assert kpi_inputs.read("cooperation.lead_conversion", tenant, period) == {one.pk: 0.5}
    assert kpi_inputs.read("cooperation.lead_acceptance", tenant, now.date()) == {one.pk: pytest.approx(2 / 3)}


def test_api(tenant, region, active, people, partner, partner_admin, partner_user):
    manager = api_client_for(people["manager"])
    other = active()
    other_admin = make_member(tenant, Role.PARTNER_ADMIN, partner=other, username="other-admin")
    body = {"company": "杭州云帆", "region": region.pk, "routing": "manual", "value": "1200.50",
            "contact_name": "李雷", "offer_to": partner.pk}
    created = manager.post("/api/v1/cooperation/leads/", body, format="json")
    assert created.status_code == 201, created.json()
    lead = created.json()
    assert lead["state"] == "offered" and lead["partner"] == partner.pk
    for bad in ({**body, "region": 99999}, {**body, "value": "-1"}, {**body, "company": ""},
                {**body, "routing": "sometimes"}, {**body, "offer_to": "x"}):
        assert manager.post("/api/v1/cooperation/leads/", bad, format="json").status_code == 400, bad
    assert manager.post(f"/api/v1/cooperation/leads/{lead['id']}/close/", {"outcome": "won"},
                        format="json").status_code == 400
    assert manager.post(f"/api/v1/cooperation/leads/{lead['id']}/offer/", {"partner": partner.pk},
                        format="json").status_code == 400  # offered once
    assert api_client_for(people["trainer"]).post("/api/v1/cooperation/leads/", body, format="json").status_code == 403
    # Partner staff see their own offer, without the contact until they accept, and never who else was offered.
    mine = api_client_for(partner_user).get("/api/v1/cooperation/lead-offers/").json()
    rows = mine["results"] if isinstance(mine, dict) else mine
    assert len(rows) == 1 and rows[0]["lead"]["company"] == "杭州云帆" and rows[0]["lead"]["contact_name"] == ""
    offer_id = rows[0]["id"]
    theirs = api_client_for(other_admin)
    assert theirs.post(f"/api/v1/cooperation/lead-offers/{offer_id}/accept/").status_code == 404
    accepted = api_client_for(partner_admin).post(f"/api/v1/cooperation/lead-offers/{offer_id}/accept/")
    assert accepted.status_code == 200 and accepted.json()["lead"]["contact_name"] == "李雷"
    again = api_client_for(partner_admin).post(f"/api/v1/cooperation/lead-offers/{offer_id}/accept/")
    assert again.status_code == 400
    outcome = api_client_for(partner_user).post(f"/api/v1/cooperation/lead-offers/{offer_id}/outcome/",
                                                {"outcome": "converted"}, format="json")
    assert outcome.status_code == 200 and outcome.json()["lead"]["state"] == "converted"
    history = manager.get(f"/api/v1/cooperation/leads/{lead['id']}/offers/").json()
    assert [row["state"] for row in history] == ["accepted"]
    assert api_client_for(partner_admin).get("/api/v1/cooperation/leads/").status_code == 403


def test_portal(client, tenant, region, people, partner, partner_admin, active):
    other = active()
    lead = _lead(tenant, people["manager"], region, routing="manual", company="苏州明日", contact_name="赵六")
    elsewhere = _lead(tenant, people["manager"], region, routing="manual", company="无锡他家")
    with tenant_scope(tenant):
        services.lead_offer(lead=lead, actor=people["manager"], partner=partner)
        services.lead_offer(lead=elsewhere, actor=people["manager"], partner=other)
    offer, foreign = _open_offer(tenant, lead), _open_offer(tenant, elsewhere)
    client.force_login(partner_admin)
    page = client.get(reverse("cooperation-portal:leads"))
    assert page.status_code == 200 and "苏州明日" in page.content.decode() and "无锡他家" not in page.content.decode()
    detail = client.get(reverse("cooperation-portal:lead", args=[offer.pk]))
    assert detail.status_code == 200 and "赵六" not in detail.content.decode() and detail.context["may_answer"]
    assert client.get(reverse("cooperation-portal:lead", args=[foreign.pk])).status_code == 404
    assert client.post(reverse("cooperation-portal:lead", args=[foreign.pk]), {"accept": "1"}).status_code == 404
    assert client.post(reverse("cooperation-portal:lead", args=[offer.pk]), {"accept": "1"}).status_code == 302
    detail = client.get(reverse("cooperation-portal:lead", args=[offer.pk]))
    assert "赵六" in detail.content.decode() and detail.context["may_close"]
    assert client.post(reverse("cooperation-portal:lead", args=[offer.pk]),
                       {"outcome": "1", "outcome-x": "1"}).status_code == 200  # no outcome chosen: form error
    assert client.post(reverse("cooperation-portal:lead", args=[offer.pk]),
                       {"outcome": "lost", "note": "价格"}).status_code == 302
    with tenant_scope(tenant):
        assert Lead.objects.get(pk=lead.pk).state == LeadState.LOST


def test_admin_pages_and_queue(client, tenant, region, people, partner, active):
    active()
    client.force_login(people["manager"])
    add = client.post("/admin/cooperation/lead/add/", {
        "company": "南京新港", "region": region.pk, "value": "100", "source": "exhibition", "routing": "manual",
        "response_hours": 24, "offer_to": partner.pk, "offers-TOTAL_FORMS": "0", "offers-INITIAL_FORMS": "0"})
    assert add.status_code == 302, add.context and add.context["adminform"].form.errors
    with tenant_scope(tenant):
        lead = Lead.objects.get(company="南京新港")
        assert lead.partner == partner and lead.created_by == people["manager"]
    assert client.get(f"/admin/cooperation/lead/{lead.pk}/change/").status_code == 200
    assert client.get("/admin/cooperation/lead/?without_partner=1").status_code == 200
    assert client.get("/admin/cooperation/leadoffer/").status_code == 200
    assert client.get("/admin/cooperation/leadroutingweight/").status_code == 200
    page = client.get(f"/admin/partners/partner/{partner.pk}/change/")
    assert page.status_code == 200 and "南京新港" in page.content.decode()  # the partner-page panel
    client.force_login(people["trainer"])
    assert client.get("/admin/cooperation/lead/add/").status_code == 403


def test_list_pages_cost_the_same_with_more_leads(client, tenant, region, people, partner, partner_admin):
    def count(url) -> int:
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    def more(n):
        for i in range(n):
            lead = _lead(tenant, people["manager"], region, routing="manual", company=f"客户{i}{n}")
            with tenant_scope(tenant):
                services.lead_offer(lead=lead, actor=people["manager"], partner=partner)

    more(1)
    pages = [(partner_admin, reverse("cooperation-portal:leads")), (people["manager"], "/admin/cooperation/lead/"),
             (people["manager"], "/admin/cooperation/leadoffer/")]
    before = {}
    for user, url in pages:
        client.force_login(user)
        before[url] = count(url)
    api = api_client_for(people["manager"])
    with CaptureQueriesContext(connection) as queries:
        api.get("/api/v1/cooperation/leads/")
    api_before = len(queries)
    more(4)
    for user, url in pages:
        client.force_login(user)
        assert count(url) == before[url], url
    with CaptureQueriesContext(connection) as queries:
        api.get("/api/v1/cooperation/leads/")
    assert len(queries) == api_before


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_demo_builders_fill_every_state_once(tenant, region, people, partner, partner_admin, active, language):
    """The demo's lead and feedback builders (as the seed calls them, inside the system's trusted scope)."""
    from collections import Counter
    from types import SimpleNamespace

    from channelhub.tenancy.policy import trusted
    from cooperation.demo.feedback import ensure_feedback
    from cooperation.demo.leads import ensure_leads
    from cooperation.models import Feedback, FeedbackFile
    from tests.factories import ProductFactory

    with tenant_scope(tenant):
        partner.status = PartnerStatus.ACTIVE
        partner.save()
        ProductFactory()
    active(), active()
    ctx = {"tenant": tenant, "spec": SimpleNamespace(default_language=language), "counts": Counter(),
           "roles": {Role.CHANNEL_MANAGER: people["manager"]}, "flagships": {"f": partner},
           "admins": {"f": partner_admin}}
    with tenant_scope(tenant), trusted():
        ensure_leads(ctx)
        ensure_feedback(ctx)
        leads = Counter(Lead.objects.values_list("state", flat=True))
        ensure_leads(ctx)
        ensure_feedback(ctx)
        assert Counter(Lead.objects.values_list("state", flat=True)) == leads
        assert {"offered", "accepted", "converted", "lost", "new"} <= set(leads), leads
        assert Feedback.objects.count() == 5 and Feedback.objects.filter(state="answered").exists()
        assert selectors.feedback_summary()
        # Two items carry two small files each (a PDF and a PNG made in code), stored privately.
        files = FeedbackFile.objects.order_by("feedback_id", "pk")
        assert sorted(Counter(files.values_list("feedback__category", flat=True)).items()) == [
            ("competitor", 2), ("demand", 2)]
        assert {(f.content_type, f.file.read(4)) for f in files} == {
            ("application/pdf", b"%PDF"), ("image/png", b"\x89PNG")}
        assert ctx["counts"]["cooperation.FeedbackFile"] == 4
