"""Evaluation's admin, API and portal around one review cycle; query counts; the set-up services."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from channelhub.partners.models import PartnerType
from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.roles import Role
from evaluation import services
from evaluation.models import (
    CycleState,
    ImprovementPlan,
    IncentiveKind,
    IncentiveRule,
    IncentiveStatement,
    PartnerScore,
    PartnerTier,
    RelationshipSurvey,
    Scorecard,
    StatementState,
    Tier,
)
from tests.conftest import api_client_for, make_member
from tests.evaluation.conftest import make_cycle, make_kpi, make_partners, make_scorecard

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
def world(tenant, figures, people):
    """Five distributors, a two-KPI scorecard, two tiers, a commission rule and a scheduled cycle."""
    with tenant_scope(tenant):
        partners = make_partners(5)
        sales = make_kpi("sales", "test.sales")
        sla = make_kpi("sla", "test.sla")
        card = make_scorecard(lines=[(sales, 3), (sla, 1)])
        Tier.objects.create(code="gold", name="Gold", rank=2, min_score=Decimal("70"))
        Tier.objects.create(code="silver", name="Silver", rank=1, min_score=Decimal("0"))
        IncentiveRule.objects.create(name="Commission", kind=IncentiveKind.COMMISSION, input_name="test.amount",
                                     rate=Decimal("1"))
        cycle = make_cycle()
    figures["test.sales"] = {p.pk: 40 + 15 * i for i, p in enumerate(partners)}
    figures["test.sla"] = {p.pk: 90 for p in partners}
    figures["test.amount"] = {p.pk: 10000 * (i + 1) for i, p in enumerate(partners)}
    partner_admin = make_member(tenant, Role.PARTNER_ADMIN, partner=partners[0], username="padmin")
    return {"partners": partners, "card": card, "cycle": cycle, "partner_admin": partner_admin, "kpis": (sales, sla)}


def _as(client, user):
    client.force_login(user)
    return client


def test_a_cycle_through_the_admin_buttons(client, tenant, world, people):
    cycle = world["cycle"]
    manager, finance = people[Role.CHANNEL_MANAGER], people[Role.FINANCE]
    page = _as(client, manager).get(reverse("admin:evaluation_reviewcycle_change", args=[cycle.pk]))
    assert page.status_code == 200 and page.context["may_compute"] and not page.context["may_confirm"]
    assert client.post(reverse("admin:evaluation_reviewcycle_compute", args=[cycle.pk])).status_code == 302
    cycle.refresh_from_db()
    assert cycle.state == CycleState.COMPUTED and cycle.partner_count == 5
    # The manager cannot sign off: the page says so and a forged POST changes nothing.
    refused = client.get(reverse("admin:evaluation_reviewcycle_confirm", args=[cycle.pk]))
    assert refused.status_code == 200 and not refused.context["allowed"]
    client.post(reverse("admin:evaluation_reviewcycle_confirm", args=[cycle.pk]))
    cycle.refresh_from_db()
    assert cycle.state == CycleState.COMPUTED
    # An adjustment needs a reason; with one, it is recorded and the proposal follows.
    with tenant_scope(tenant):
        weakest = PartnerScore.objects.filter(cycle=cycle).order_by("total").first()
    adjust = reverse("admin:evaluation_partnerscore_adjust", args=[weakest.pk])
    form = client.post(adjust, {"adjusted_score": "95", "reason": ""})
    assert form.status_code == 200 and form.context["form"].errors["reason"]
    client.post(adjust, {"adjusted_score": "95", "reason": "Big deal signed after the period"})
    with tenant_scope(tenant):
        weakest.refresh_from_db()
        assert weakest.adjusted_score == Decimal("95") and weakest.adjusted_by == manager
        assert weakest.proposed_tier.code == "gold"
    _as(client, finance).post(reverse("admin:evaluation_reviewcycle_confirm", args=[cycle.pk]))
    cycle.refresh_from_db()
    assert cycle.state == CycleState.CONFIRMED
    with tenant_scope(tenant):
        statement_ids = list(IncentiveStatement.objects.values_list("pk", flat=True))
    approved = client.post(reverse("admin:evaluation_incentivestatement_changelist"), {
        "action": "approve", "_selected_action": statement_ids})
    assert approved.status_code == 302
    with tenant_scope(tenant):
        assert set(IncentiveStatement.objects.values_list("state", flat=True)) == {StatementState.APPROVED}
    _as(client, manager).post(reverse("admin:evaluation_reviewcycle_publish", args=[cycle.pk]))
    cycle.refresh_from_db()
    assert cycle.state == CycleState.PUBLISHED
    with tenant_scope(tenant):
        assert PartnerTier.objects.count() == 5
    # Published: no button moves it any more.
    page = client.get(reverse("admin:evaluation_reviewcycle_change", args=[cycle.pk]))
    assert not any(page.context[k] for k in ("may_compute", "may_confirm", "may_publish", "may_reopen"))


def test_results_and_what_if_pages(client, tenant, world, people):
    cycle = services.cycle_compute(cycle=world["cycle"], actor=None)
    client = _as(client, people[Role.CHANNEL_MANAGER])
    results = client.get(reverse("admin:evaluation_reviewcycle_results", args=[cycle.pk]))
    assert results.status_code == 200
    body = results.content.decode()
    assert "How the score is made" in body and str(world["partners"][0]) in body
    with tenant_scope(tenant):
        line = world["card"].lines.get(kpi=world["kpis"][0])
        gold = Tier.objects.get(code="gold")
        before = list(PartnerScore.objects.order_by("pk").values_list("total", "proposed_tier_id"))
    preview = client.post(reverse("admin:evaluation_reviewcycle_preview", args=[cycle.pk]),
                          {f"weight-{line.pk}": "3", f"tier-{gold.pk}": "1"})
    assert preview.status_code == 200
    assert preview.context["changed"]  # with the gold threshold at 1, every silver partner would rise
    assert "would change tier" in preview.content.decode()
    bad = client.post(reverse("admin:evaluation_reviewcycle_preview", args=[cycle.pk]), {f"tier-{gold.pk}": "x"})
    assert bad.status_code == 200 and bad.context["errors"]
    with tenant_scope(tenant):
        assert list(PartnerScore.objects.order_by("pk").values_list("total", "proposed_tier_id")) == before
        assert Tier.objects.get(code="gold").min_score == Decimal("70")
    # A trainer reads the results but is not offered the preview.
    trainer_page = _as(client, people[Role.TRAINER]).get(reverse("admin:evaluation_reviewcycle_preview",
                                                                  args=[cycle.pk]))
    assert trainer_page.status_code == 200 and not trainer_page.context["allowed"]


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", ["results", "scores", "statements", "plans"])
def test_list_pages_cost_the_same_whatever_the_rows(client, tenant, figures, people, page):
    with tenant_scope(tenant):
        kpi = make_kpi("sales", "test.sales")
        make_scorecard(lines=[(kpi, 1)])
        Tier.objects.create(code="t", name="T", rank=1, min_score=Decimal("0"))
        IncentiveRule.objects.create(name="C", kind=IncentiveKind.COMMISSION, input_name="test.amount",
                                     rate=Decimal("1"))
    client = _as(client, people[Role.OWNER])
    counts = []
    for key, size in (("2026-Q1", 2), ("2026-Q2", 7)):
        with tenant_scope(tenant):
            partners = make_partners(size)
            cycle = make_cycle(key=key, start=(2026, 1 + 3 * len(counts), 1), end=(2026, 4 + 3 * len(counts), 1))
        figures["test.sales"] = {p.pk: 50 for p in partners}
        figures["test.amount"] = {p.pk: 1000 for p in partners}
        services.cycle_compute(cycle=cycle, actor=None)
        with tenant_scope(tenant):
            for partner in partners:
                ImprovementPlan.objects.create(partner=partner, cycle=cycle, title="p", due_date="2026-12-31")
        url = {
            "results": reverse("admin:evaluation_reviewcycle_results", args=[cycle.pk]),
            "scores": reverse("admin:evaluation_partnerscore_changelist"),
            "statements": reverse("admin:evaluation_incentivestatement_changelist"),
            "plans": reverse("admin:evaluation_improvementplan_changelist"),
        }[page]
        counts.append(_queries(client, url))
    assert counts[0] == counts[1], counts


def test_api_cycle_moves_and_an_illegal_one_is_409(tenant, world, people):
    cycle = world["cycle"]
    manager = api_client_for(people[Role.CHANNEL_MANAGER])
    finance = api_client_for(people[Role.FINANCE])
    base = "/api/v1/evaluation/cycles"
    assert finance.post(f"{base}/{cycle.pk}/confirm/").status_code == 409  # scheduled: nothing to confirm
    assert manager.post(f"{base}/{cycle.pk}/confirm/").status_code == 403
    computed = manager.post(f"{base}/{cycle.pk}/compute/")
    assert computed.status_code == 200 and computed.json()["state"] == "computed"
    preview = manager.post(f"{base}/{cycle.pk}/preview/", {"thresholds": {"abc": "1"}}, format="json")
    assert preview.status_code == 400
    preview = manager.post(f"{base}/{cycle.pk}/preview/", {"weights": {}}, format="json")
    assert preview.status_code == 200 and len(preview.json()) == 5
    results = manager.get(f"/api/v1/evaluation/results/?cycle={cycle.pk}")
    assert results.status_code == 200 and results.json()["count"] == 5
    one = manager.get(f"/api/v1/evaluation/results/{results.json()['results'][0]['id']}/").json()
    assert {row["kpi_code"] for row in one["breakdown"]} == {"sales", "sla"}
    assert finance.post(f"{base}/{cycle.pk}/confirm/").json()["state"] == "confirmed"
    statements = finance.get("/api/v1/evaluation/statements/").json()["results"]
    assert statements and statements[0]["lines"]
    assert finance.post(f"/api/v1/evaluation/statements/{statements[0]['id']}/mark-paid/").status_code == 409
    assert finance.post(f"/api/v1/evaluation/statements/{statements[0]['id']}/approve/").status_code == 200
    assert manager.post(f"{base}/{cycle.pk}/publish/").json()["state"] == "published"
    assert manager.post(f"{base}/{cycle.pk}/compute/").status_code == 409


def test_api_setup_writes_through_services(tenant, people):
    manager = api_client_for(people[Role.CHANNEL_MANAGER])
    bad = manager.post("/api/v1/evaluation/kpis/", {"code": "x", "name": "X", "kind": "sales_achievement",
                                                     "normalisation": "linear"}, format="json")
    assert bad.status_code == 400 and "ceiling" in bad.json()
    kpi = manager.post("/api/v1/evaluation/kpis/", {"code": "x", "name": "X", "kind": "sales_achievement",
                                                     "normalisation": "target", "target": "100"}, format="json")
    assert kpi.status_code == 201
    card = manager.post("/api/v1/evaluation/scorecards/", {"name": "R", "partner_type": PartnerType.RESELLER},
                        format="json").json()
    assert card["version"] == 1
    line = manager.post("/api/v1/evaluation/scorecard-lines/", {"scorecard": card["id"], "kpi": kpi.json()["id"],
                                                                "weight": "2"}, format="json")
    assert line.status_code == 201
    copy = manager.post(f"/api/v1/evaluation/scorecards/{card['id']}/new-version/").json()
    assert copy["version"] == 2 and len(copy["lines"]) == 1
    with tenant_scope(tenant):
        assert not Scorecard.objects.get(pk=card["id"]).is_active


def test_partner_sees_its_own_published_scorecard_and_answers(client, tenant, world, people):
    cycle = world["cycle"]
    partner_admin = world["partner_admin"]
    services.cycle_compute(cycle=cycle, actor=None)
    client = _as(client, partner_admin)
    assert client.get(reverse("evaluation-portal:scorecard")).context["latest"] is None  # not yet published
    assert api_client_for(partner_admin).get("/api/v1/evaluation/results/").json()["count"] == 0
    services.cycle_confirm(cycle=cycle, actor=None)
    services.cycle_publish(cycle=cycle, actor=None)
    page = client.get(reverse("evaluation-portal:scorecard"))
    assert page.status_code == 200
    assert page.context["latest"].partner_id == world["partners"][0].pk and page.context["tier"] is not None
    assert len(page.context["breakdown"]) == 2 and len(page.context["statements"]) == 1
    from channelhub.tenancy.templatetags.money import format_money

    assert format_money(page.context["statements"][0].total) in page.content.decode()  # grouped, 2 decimals
    assert api_client_for(partner_admin).get("/api/v1/evaluation/results/").json()["count"] == 1
    with tenant_scope(tenant):
        mine = IncentiveStatement.objects.get(partner=world["partners"][0])
        theirs = IncentiveStatement.objects.get(partner=world["partners"][1])
        plan = ImprovementPlan.objects.create(partner=world["partners"][0], cycle=cycle, title="Improve",
                                              due_date="2027-03-31")
    pdf = client.get(reverse("evaluation-portal:statement-pdf", args=[mine.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client.get(reverse("evaluation-portal:statement-pdf", args=[theirs.pk])).status_code == 404
    client.post(reverse("evaluation-portal:plan", args=[plan.pk]), {"comment": "We will report on time"})
    with tenant_scope(tenant):
        plan.refresh_from_db()
    assert plan.acknowledged_by == partner_admin and plan.partner_comment == "We will report on time"
    bad = client.post(reverse("evaluation-portal:survey"), {"support": "9"})
    assert bad.status_code == 200 and bad.context["form"].errors
    client.post(reverse("evaluation-portal:survey"), {"support": 4, "training": 3, "communication": 5,
                                                      "fairness": 4, "comment": "Good"})
    with tenant_scope(tenant):
        survey = RelationshipSurvey.objects.get(partner=world["partners"][0])
        services.survey_update(survey=survey, actor=people[Role.CHANNEL_MANAGER], manager_rating=5)
        survey.refresh_from_db()
    assert survey.partner_view == Decimal("4.00") and survey.gap == Decimal("1.00")


def test_home_queues_widget_and_partner_page(client, tenant, world, people):
    cycle = services.cycle_compute(cycle=world["cycle"], actor=None)
    finance_home = _as(client, people[Role.FINANCE]).get(reverse("admin:index"))
    assert finance_home.status_code == 200
    assert "Review cycles awaiting sign-off" in finance_home.content.decode()
    services.cycle_confirm(cycle=cycle, actor=None)
    services.cycle_publish(cycle=cycle, actor=None)
    page = _as(client, people[Role.CHANNEL_MANAGER]).get(
        reverse("admin:partners_partner_change", args=[world["partners"][0].pk]))
    body = page.content.decode()
    assert page.status_code == 200 and "Performance: score, tier and improvement" in body and "Tier history" in body
