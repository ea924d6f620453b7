"""Reviewers score in the admin: the "Score this application" page, the "my reviews" filter and widget."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.roles import Role
from recruitment import selectors, services
from recruitment.models import ApplicationState, Criterion, Score, Scorecard, TemplateCriterion
from tests.conftest import make_member

from .conftest import move
from .factories import ApplicationFactory, CriterionFactory, ScorecardTemplateFactory

ADMIN = "/admin/recruitment/application"
S = ApplicationState


def login(user, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.cookies["django_language"] = language
    client.force_login(user)
    return client


def score_url(application) -> str:
    return f"{ADMIN}/{application.pk}/score/"


@pytest.fixture
def scoring(tenant, submit, criteria, people):
    """An application in scoring with reviewer1 and reviewer2 assigned; criterion A has guidance."""
    with tenant_scope(tenant):
        Criterion.objects.filter(pk=criteria["a"].pk).update(
            guidance="营业执照、行业许可证齐全且在有效期内。", category="legal_compliance")
    application = submit()
    with tenant_scope(tenant):
        move(application, S.SCREENING, S.SCORING, actor=people["manager"])
        services.application_assign_reviewers(
            application=application, reviewers=[people["reviewer1"], people["reviewer2"]], actor=people["manager"])
    return application


def fields(criteria, a, b, comment="") -> dict:
    return {f"score_{criteria['a'].pk}": a, f"score_{criteria['b'].pk}": b, "comment": comment}


def test_reviewer_scores_through_the_admin(tenant, scoring, criteria, people):
    client = login(people["reviewer2"])  # a trainer: may view applications, not change them
    page = client.get(score_url(scoring))
    assert page.status_code == 200
    html = page.content.decode()
    for text in ("Legal compliance", "Legal", "营业执照、行业许可证齐全且在有效期内。", "0–5", "&lt; 3.5",
                 "Experience", "0–10", "Submit my scorecard"):
        assert text in html, text
    assert [row["criterion"].pk for row in page.context["rows"]] == [criteria["a"].pk, criteria["b"].pk]

    done = client.post(score_url(scoring), fields(criteria, "4", "7.5", "资质齐全，经验丰富"))
    assert done.status_code == 302 and done["Location"] == score_url(scoring)
    with tenant_scope(tenant):
        card = Scorecard.objects.get(application=scoring, reviewer=people["reviewer2"])
        assert card.comment == "资质齐全，经验丰富"
        assert sorted(Score.objects.filter(scorecard=card).values_list("criterion_id", "value")) == sorted(
            [(criteria["a"].pk, Decimal("4.00")), (criteria["b"].pk, Decimal("7.50"))])
        assert card.history.first().history_change_reason == "Scorecard submitted"

    after = client.get(score_url(scoring))
    html = after.content.decode()
    assert after.context["form"] is None
    assert "Your scorecard" in html and "资质齐全，经验丰富" in html
    # (4/5 × 3 + 7.5/10 × 1) / 4 × 100 = 78.75
    assert "78.75 / 100" in html
    assert "All scorecards" in html and "Average weighted total" in html
    assert "Revise my scorecard" in html


def test_a_reviewer_revises_while_scoring_lasts(tenant, scoring, criteria, people):
    client = login(people["reviewer1"])
    client.post(score_url(scoring), fields(criteria, "2", "5"))
    revise = client.get(score_url(scoring) + "?revise")
    form = revise.context["form"]
    assert form.initial[f"score_{criteria['a'].pk}"] == Decimal("2.00")
    assert client.post(score_url(scoring), fields(criteria, "5", "10")).status_code == 302
    with tenant_scope(tenant):
        assert Scorecard.objects.filter(application=scoring).count() == 1
        assert Score.objects.get(criterion=criteria["a"]).value == Decimal("5.00")


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_bad_scores_re_render_with_errors_per_row_and_save_nothing(tenant, scoring, criteria, people, language):
    client = login(people["reviewer1"], language)
    response = client.post(score_url(scoring), fields(criteria, "6", "-1", "kept"))
    assert response.status_code == 200
    form = response.context["form"]
    bounds_a, bounds_b = (("Give a score from 0 to 5.", "Give a score from 0 to 10.") if language == "en"
                          else ("请给出 0 到 5 之间的分数。", "请给出 0 到 10 之间的分数。"))
    assert form.errors[f"score_{criteria['a'].pk}"] == [bounds_a]
    assert form.errors[f"score_{criteria['b'].pk}"] == [bounds_b]
    html = response.content.decode()
    assert f'id="id_score_{criteria["a"].pk}_error"' in html and bounds_a in html
    assert html.count('class="score-row-error"') == 2
    assert "kept</textarea>" in html  # what was typed stays
    missing = client.post(score_url(scoring), fields(criteria, "3", "", ""))
    assert list(missing.context["form"].errors) == [f"score_{criteria['b'].pk}"]
    text = client.post(score_url(scoring), fields(criteria, "abc", "3")).context["form"].errors
    assert list(text) == [f"score_{criteria['a'].pk}"]
    with tenant_scope(tenant):
        assert not Scorecard.objects.exists() and not Score.objects.exists()


def test_only_assigned_reviewers_reach_the_page(tenant, other_tenant, scoring, criteria, people):
    for who in ("manager", "director", "legal"):  # staff, not assigned
        client = login(people[who])
        assert client.get(score_url(scoring)).status_code == 403, who
        assert client.post(score_url(scoring), fields(criteria, "4", "7")).status_code == 403, who
    with tenant_scope(other_tenant):
        theirs = ApplicationFactory()
    assert login(people["reviewer1"]).get(score_url(theirs)).status_code == 404
    partner_admin = make_member(tenant, Role.PARTNER_ADMIN)
    assert login(partner_admin).get(score_url(scoring)).status_code in (302, 403)
    with tenant_scope(tenant):
        assert not Scorecard.objects.exists()
        # Removed before scoring: no longer a reviewer, no longer the page.
        services.application_remove_reviewers(application=scoring, reviewers=[people["reviewer2"]], actor=None)
    assert login(people["reviewer2"]).get(score_url(scoring)).status_code == 403


def test_independence_a_pending_reviewer_sees_no_other_scores(tenant, scoring, criteria, people):
    login(people["reviewer1"]).post(score_url(scoring), fields(criteria, "4", "7", "一号评审意见"))
    pending = login(people["reviewer2"]).get(score_url(scoring))
    html = pending.content.decode()
    assert pending.context["summary"] is None and pending.context["own"] is None
    for leaked in ("77.50", "一号评审意见", "Average weighted total", "All scorecards", "reviewer1"):
        assert leaked not in html, leaked
    assert "Reviewers score independently" in html
    # Having submitted, they see both scorecards.
    login(people["reviewer2"]).post(score_url(scoring), fields(criteria, "3", "9"))
    html = login(people["reviewer2"]).get(score_url(scoring)).content.decode()
    assert "72.50" in html and "77.50" in html and "67.50" in html


def test_outside_scoring_the_page_shows_the_state_and_accepts_nothing(tenant, submit, criteria, people):
    application = submit()
    with tenant_scope(tenant):
        move(application, S.SCREENING, actor=people["manager"])
        services.application_assign_reviewers(application=application, reviewers=[people["reviewer1"]], actor=None)
    client = login(people["reviewer1"])
    page = client.get(score_url(application))
    assert page.status_code == 200 and page.context["form"] is None
    assert "is not open for scoring now" in page.content.decode()
    refused = client.post(score_url(application), fields(criteria, "4", "7"), follow=True)
    assert "accepted only while the application is in scoring" in refused.content.decode()
    with tenant_scope(tenant):
        assert not Scorecard.objects.exists()


def _build_scoring(tenant, people, submit, criteria, *, extra_criteria: int, other_reviewers: int):
    """An application in scoring under its own template (the two criteria + ``extra_criteria``), scored by others."""
    partner_type = "retailer" if extra_criteria else "distributor"
    with tenant_scope(tenant):
        template = ScorecardTemplateFactory(partner_type=partner_type)
        for order, criterion in enumerate([criteria["a"], criteria["b"]]):
            TemplateCriterion.objects.create(template=template, criterion=criterion, order=order)
        for number in range(extra_criteria):
            criterion = CriterionFactory(name=f"Extra {number}", guidance="g" * 40, knockout_threshold=Decimal("1"))
            TemplateCriterion.objects.create(template=template, criterion=criterion, order=10 + number)
    application = submit(legal_name=f"查询计数公司{extra_criteria}", partner_type=partner_type)
    others = [make_member(tenant, Role.CHANNEL_MANAGER, username=f"qc{extra_criteria}-{i}")
              for i in range(other_reviewers)]
    with tenant_scope(tenant):
        move(application, S.SCREENING, S.SCORING)
        services.application_assign_reviewers(application=application, reviewers=[people["reviewer1"], *others],
                                              actor=None)
        wanted = {item.criterion.pk: 1 for item in selectors.scoring_criteria(application=application)}
        assert len(wanted) == 2 + extra_criteria
        for other in others:
            services.scorecard_submit(application=application, reviewer=other, scores=wanted)
    return application, wanted


def _queries(client, method, url, data=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(url, data or {})
    assert response.status_code in (200, 302), response.status_code
    return len(captured)


def test_the_page_costs_a_fixed_number_of_queries(tenant, submit, criteria, people):
    small, small_scores = _build_scoring(tenant, people, submit, criteria, extra_criteria=0, other_reviewers=1)
    big, big_scores = _build_scoring(tenant, people, submit, criteria, extra_criteria=5, other_reviewers=4)
    client = login(people["reviewer1"])
    client.get(score_url(small))  # warm the session and caches
    assert _queries(client, "get", score_url(small)) == _queries(client, "get", score_url(big))
    # The form with errors on every row, re-rendered.
    bad_small = {f"score_{pk}": "99" for pk in small_scores}
    bad_big = {f"score_{pk}": "99" for pk in big_scores}
    assert _queries(client, "post", score_url(small), bad_small) == _queries(client, "post", score_url(big), bad_big)
    # After submitting: the reviewer's scorecard and the summary of every scorecard.
    assert client.post(score_url(small), {f"score_{pk}": "1" for pk in small_scores}).status_code == 302
    assert client.post(score_url(big), {f"score_{pk}": "1" for pk in big_scores}).status_code == 302
    assert _queries(client, "get", score_url(small)) == _queries(client, "get", score_url(big))


def test_my_reviews_filter_column_and_change_page_link(tenant, scoring, submit, criteria, people):
    screening = submit(legal_name="杭州远大贸易有限公司")
    scored = submit(legal_name="成都天府电器有限公司")
    other = submit(legal_name="不相关的申请有限公司")
    with tenant_scope(tenant):
        move(screening, S.SCREENING)
        move(scored, S.SCREENING, S.SCORING)
        services.application_assign_reviewers(application=screening, reviewers=[people["reviewer1"]], actor=None)
        services.application_assign_reviewers(application=scored, reviewers=[people["reviewer1"]], actor=None)
        services.scorecard_submit(application=scored, reviewer=people["reviewer1"],
                                  scores={criteria["a"].pk: 4, criteria["b"].pk: 8})
    client = login(people["reviewer1"])

    def listed(query: str) -> set[int]:
        response = client.get(f"{ADMIN}/{query}")
        assert response.status_code == 200
        return {row.pk for row in response.context["cl"].result_list}

    assert listed("?my_review=awaiting") == {scoring.pk}
    assert listed("?my_review=assigned") == {scoring.pk, screening.pk, scored.pk}
    assert listed("?my_review=scored") == {scored.pk}
    assert other.pk in listed("")
    html = client.get(f"{ADMIN}/").content.decode()
    assert "Awaiting my score" in html and "Score now" in html and "✓ Scored" in html
    assert f'href="{score_url(scoring)}"' in html
    # Someone who reviews nothing gets no "my review" column.
    assert "Score now" not in login(people["director"]).get(f"{ADMIN}/").content.decode()

    change = client.get(f"{ADMIN}/{scoring.pk}/change/").content.decode()
    assert "Score this application" in change and f'href="{score_url(scoring)}"' in change
    assert "My scorecard" in client.get(f"{ADMIN}/{scored.pk}/change/").content.decode()
    not_mine = login(people["manager"]).get(f"{ADMIN}/{scoring.pk}/change/").content.decode()
    assert "Score this application" not in not_mine


def test_dashboard_widget_counts_my_reviews(tenant, scoring, criteria, people):
    client = login(people["reviewer1"])
    widgets = {w.title: w for w in client.get("/admin/").context["dashboard_widgets"]}
    mine = widgets["My reviews"]
    assert [(f.label, f.value) for f in mine.figures] == [
        ("Awaiting my score", "1"), ("Scored by me", "0"), ("Assigned to me", "1")]
    assert mine.link.endswith("?my_review=awaiting")
    client.post(score_url(scoring), fields(criteria, "4", "7"))
    widgets = {w.title: w for w in client.get("/admin/").context["dashboard_widgets"]}
    assert [f.value for f in widgets["My reviews"].figures] == ["0", "1", "1"]
    director = {w.title for w in login(people["director"]).get("/admin/").context["dashboard_widgets"]}
    assert "My reviews" not in director
