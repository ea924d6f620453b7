"""Scorecard arithmetic with hand-computed examples, and the scorecard service."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from channelhub.tenancy.context import tenant_scope
from recruitment import scoring, selectors, services
from recruitment.models import ApplicationState

from .conftest import move

A, B = 1, 2


def line(criterion, value, weight, scale, threshold=None):
    return scoring.ScoreLine(criterion, D(str(value)), D(str(weight)), scale,
                             None if threshold is None else D(str(threshold)))


def test_weighted_total_by_hand():
    # A: 4/5 × 3 = 2.4; B: 7/10 × 1 = 0.7; (2.4 + 0.7) / 4 × 100 = 77.5
    assert scoring.weighted_total([line(A, 4, 3, 5), line(B, 7, 1, 10)]) == D("77.5")
    # A: 3/5 × 3 = 1.8; B: 9/10 × 1 = 0.9; 2.7 / 4 × 100 = 67.5
    assert scoring.weighted_total([line(A, 3, 3, 5), line(B, 9, 1, 10)]) == D("67.5")
    assert scoring.weighted_total([]) is None


def test_rounding_is_half_up_and_only_at_the_end():
    # (0.24/1 + 0.69/100) / 2 × 100 = (0.24 + 0.0069) / 2 × 100 = 12.345 → 12.35 (half up, not 12.34)
    raw = scoring.weighted_total([line(A, "0.24", 1, 1), line(B, "0.69", 1, 100)])
    assert raw == D("12.345")
    assert scoring.rounded(raw) == D("12.35")
    # Thirds: 1/3 → 33.33, 2/3 → 66.67; the average of the unrounded totals is exactly 50.00.
    one_third = scoring.weighted_total([line(A, 1, 1, 3)])
    two_thirds = scoring.weighted_total([line(A, 2, 1, 3)])
    assert (scoring.rounded(one_third), scoring.rounded(two_thirds)) == (D("33.33"), D("66.67"))
    card = lambda rid, value: scoring.ScorecardInput(rid, f"r{rid}", [line(A, value, 1, 3)])  # noqa: E731
    assert scoring.summarise([card(1, 1), card(2, 2)], []).average_total == D("50.00")


def test_average_spread_and_knock_out_by_hand():
    criteria = [scoring.CriterionInfo(A, "Legal", "legal_compliance"), scoring.CriterionInfo(B, "Experience", "")]
    cards = [
        scoring.ScorecardInput(10, "r1", [line(A, 4, 3, 5, "3.5"), line(B, 7, 1, 10)]),
        scoring.ScorecardInput(20, "r2", [line(A, 3, 3, 5, "3.5"), line(B, 9, 1, 10)]),
    ]
    summary = scoring.summarise(cards, criteria)
    assert [r.total for r in summary.reviewers] == [D("77.50"), D("67.50")]
    assert summary.average_total == D("72.50")
    legal, experience = summary.criteria
    assert (legal.average, legal.spread) == (D("3.50"), D("1"))
    assert (experience.average, experience.spread) == (D("8.00"), D("2"))
    # Average 3.5 is not below 3.5: no knock-out, but reviewer 20's 3 is reported.
    assert not legal.knocked_out
    assert legal.below_threshold == [20]
    assert summary.reviewers[1].below_threshold == [A]
    assert not summary.knocked_out
    # Relative spread: 1/5 = 0.2 vs 2/10 = 0.2 → the first one found stays the widest.
    assert summary.max_spread_criterion == "Legal"


def test_knock_out_when_the_average_is_below_the_threshold():
    cards = [
        scoring.ScorecardInput(1, "r1", [line(A, 3, 1, 5, 3.5)]),
        scoring.ScorecardInput(2, "r2", [line(A, "3.5", 1, 5, 3.5)]),
    ]
    summary = scoring.summarise(cards, [scoring.CriterionInfo(A, "Legal", "")])
    assert summary.criteria[0].average == D("3.25")
    assert summary.knocked_out
    assert summary.knockout_criteria == ["Legal"]


def test_single_reviewer_has_no_spread():
    summary = scoring.summarise([scoring.ScorecardInput(1, "r", [line(A, 5, 1, 5)])], [])
    assert summary.criteria[0].spread is None
    assert summary.average_total == D("100.00")


# --------------------------------------------------------------------------- the service and selector


@pytest.fixture
def scoring_application(tenant, submit, criteria, people):
    application = submit()
    with tenant_scope(tenant):
        move(application, ApplicationState.SCREENING, ApplicationState.SCORING, actor=people["manager"])
        services.application_assign_reviewers(
            application=application, reviewers=[people["reviewer1"], people["reviewer2"]], actor=people["manager"]
        )
    return application


def test_scorecards_are_summarised_from_the_database(tenant, scoring_application, criteria, people):
    with tenant_scope(tenant):
        for who, a, b in (("reviewer1", 4, 7), ("reviewer2", 3, 9)):
            services.scorecard_submit(application=scoring_application, reviewer=people[who],
                                      scores={criteria["a"]: a, criteria["b"].pk: b}, comment=who)
        summary = selectors.score_summary(application=scoring_application)
    assert summary.average_total == D("72.50")
    assert [c.spread for c in summary.criteria] == [D("1"), D("2")]
    assert not summary.knocked_out


def test_scores_keep_their_snapshot_when_a_criterion_changes(tenant, scoring_application, criteria, people):
    with tenant_scope(tenant):
        services.scorecard_submit(application=scoring_application, reviewer=people["reviewer1"],
                                  scores={criteria["a"].pk: 4, criteria["b"].pk: 7})
        services.criterion_update(criterion=criteria["a"], actor=people["manager"], weight=D("10"))
        assert selectors.score_summary(application=scoring_application).average_total == D("77.50")


def test_template_weight_override_is_used(tenant, scoring_application, criteria, people):
    from recruitment.models import TemplateCriterion

    with tenant_scope(tenant):
        TemplateCriterion.objects.filter(criterion=criteria["b"]).update(weight=D("3"))
        services.scorecard_submit(application=scoring_application, reviewer=people["reviewer1"],
                                  scores={criteria["a"].pk: 4, criteria["b"].pk: 7})
        # (4/5 × 3 + 7/10 × 3) / 6 × 100 = (2.4 + 2.1) / 6 × 100 = 75
        assert selectors.score_summary(application=scoring_application).average_total == D("75.00")


def test_a_resubmitted_scorecard_replaces_the_first(tenant, scoring_application, criteria, people):
    with tenant_scope(tenant):
        for a in (1, 5):
            services.scorecard_submit(application=scoring_application, reviewer=people["reviewer1"],
                                      scores={criteria["a"].pk: a, criteria["b"].pk: 10})
        summary = selectors.score_summary(application=scoring_application)
    assert summary.scorecard_count == 1
    assert summary.average_total == D("100.00")


@pytest.mark.parametrize(
    ("scores", "error"),
    [
        ({"a": 6, "b": 5}, "from 0 to 5"),
        ({"a": -1, "b": 5}, "from 0 to 5"),
        ({"a": 3}, "give a score"),
        ({"a": "x", "b": 3}, "must be a number"),
    ],
)
def test_bad_scores_are_refused(tenant, scoring_application, criteria, people, scores, error):
    with tenant_scope(tenant), pytest.raises(ValidationError, match=error):
        services.scorecard_submit(application=scoring_application, reviewer=people["reviewer1"],
                                  scores={criteria[k].pk: v for k, v in scores.items()})


def test_only_assigned_reviewers_score_and_only_in_scoring(tenant, scoring_application, criteria, people):
    scores = {criteria["a"].pk: 3, criteria["b"].pk: 3}
    with tenant_scope(tenant):
        with pytest.raises(PermissionDenied):
            services.scorecard_submit(application=scoring_application, reviewer=people["legal"], scores=scores)
        move(scoring_application, ApplicationState.SCREENING, actor=people["manager"])
        with pytest.raises(ValidationError, match="in scoring"):
            services.scorecard_submit(application=scoring_application, reviewer=people["reviewer1"], scores=scores)


def test_reviewers_cannot_see_others_before_submitting(tenant, scoring_application, criteria, people):
    scores = {criteria["a"].pk: 3, criteria["b"].pk: 3}
    with tenant_scope(tenant):
        services.scorecard_submit(application=scoring_application, reviewer=people["reviewer1"], scores=scores)
        assert list(selectors.visible_scorecards(application=scoring_application, user=people["reviewer2"])) == []
        assert len(selectors.visible_scorecards(application=scoring_application, user=people["reviewer1"])) == 1
        assert len(selectors.visible_scorecards(application=scoring_application, user=people["director"])) == 1
        services.scorecard_submit(application=scoring_application, reviewer=people["reviewer2"], scores=scores)
        assert len(selectors.visible_scorecards(application=scoring_application, user=people["reviewer2"])) == 2


def test_non_staff_cannot_be_assigned(tenant, scoring_application, people):
    from tests.factories import UserFactory

    with tenant_scope(tenant), pytest.raises(ValidationError):
        services.application_assign_reviewers(application=scoring_application, reviewers=[UserFactory()],
                                              actor=people["manager"])


# --------------------------------------------------------------------------- removing a reviewer


def test_a_reviewer_who_has_not_scored_can_be_removed(tenant, scoring_application, criteria, people):
    from recruitment.models import ReviewerAssignment

    with tenant_scope(tenant):
        removed = services.application_remove_reviewers(
            application=scoring_application, reviewers=[people["reviewer2"], people["legal"]], actor=people["manager"])
        assert removed == 1  # legal was never a reviewer: nothing to remove
        assert list(ReviewerAssignment.objects.values_list("reviewer__username", flat=True)) == ["reviewer1"]
        history = ReviewerAssignment.history.filter(history_type="-").get()
        assert (history.history_user, history.history_change_reason) == (people["manager"], "Reviewer removed")
        # Removed, they can no longer score.
        with pytest.raises(PermissionDenied):
            services.scorecard_submit(application=scoring_application, reviewer=people["reviewer2"],
                                      scores={criteria["a"].pk: 3, criteria["b"].pk: 3})


def test_a_reviewer_who_has_scored_cannot_be_removed(tenant, scoring_application, criteria, people):
    from recruitment.models import ReviewerAssignment

    with tenant_scope(tenant):
        services.scorecard_submit(application=scoring_application, reviewer=people["reviewer1"],
                                  scores={criteria["a"].pk: 4, criteria["b"].pk: 7})
        with pytest.raises(ValidationError, match=r"reviewer1\) already submitted a scorecard") as refused:
            services.application_remove_reviewers(
                application=scoring_application, reviewers=[people["reviewer1"], people["reviewer2"]],
                actor=people["manager"])
        assert "cannot be removed" in str(refused.value)
        # All or nothing: the one who had not scored is still there too.
        assert ReviewerAssignment.objects.filter(application=scoring_application).count() == 2


def test_reviewers_are_removed_only_before_review(tenant, in_review, people):
    application = in_review()
    with tenant_scope(tenant), pytest.raises(ValidationError, match="only before the application goes to review"):
        services.application_remove_reviewers(application=application, reviewers=[people["reviewer1"]],
                                              actor=people["manager"])
