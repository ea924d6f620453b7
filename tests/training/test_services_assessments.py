"""Attempts: graded on the server, time and attempt limits enforced there, order stored, import with row errors."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from channelhub.tenancy.context import tenant_scope
from training import services
from training.models import Attempt, AttemptState, CourseCompletion, Question


def test_right_answers_pass_and_complete_the_course(tenant, quiz, staff):
    with tenant_scope(tenant):
        attempt = services.attempt_start(assessment=quiz["assessment"], actor=staff[0])
        assert sorted(attempt.question_order) == sorted(q.pk for q in quiz["questions"])
        assert attempt.deadline == attempt.started_at + datetime.timedelta(minutes=10)
        graded = services.attempt_submit(attempt=attempt, answers=quiz["right"], actor=staff[0])
        assert (graded.state, graded.score, graded.max_score, graded.percent, graded.passed) == (
            AttemptState.GRADED, Decimal(3), Decimal(3), Decimal("100.0"), True)
        assert CourseCompletion.objects.filter(course=quiz["course"], trainee=staff[0]).exists()


def test_multiple_choice_is_all_or_nothing_and_wrong_answers_fail(tenant, quiz, staff):
    with tenant_scope(tenant):
        attempt = services.attempt_start(assessment=quiz["assessment"], actor=staff[0])
        graded = services.attempt_submit(attempt=attempt, answers=quiz["wrong"], actor=staff[0])
        assert graded.score == 0 and graded.passed is False
        assert not CourseCompletion.objects.filter(trainee=staff[0]).exists()


def test_the_attempt_limit_is_enforced_on_the_server(tenant, quiz, staff):
    with tenant_scope(tenant):
        for _ in range(2):
            attempt = services.attempt_start(assessment=quiz["assessment"], actor=staff[0])
            services.attempt_submit(attempt=attempt, answers=quiz["wrong"], actor=staff[0])
        with pytest.raises(ValidationError, match="all 2 attempts"):
            services.attempt_start(assessment=quiz["assessment"], actor=staff[0])


def test_starting_twice_resumes_the_same_attempt(tenant, quiz, staff):
    with tenant_scope(tenant):
        first = services.attempt_start(assessment=quiz["assessment"], actor=staff[0])
        again = services.attempt_start(assessment=quiz["assessment"], actor=staff[0])
        assert first.pk == again.pk and again.question_order == first.question_order


def test_a_late_submission_scores_nothing(tenant, quiz, staff):
    with tenant_scope(tenant):
        attempt = services.attempt_start(assessment=quiz["assessment"], actor=staff[0])
        Attempt.objects.filter(pk=attempt.pk).update(
            started_at=timezone.now() - datetime.timedelta(minutes=20),
            deadline=timezone.now() - datetime.timedelta(minutes=10))
        late = services.attempt_submit(attempt=attempt, answers=quiz["right"], actor=staff[0])
        assert late.state == AttemptState.EXPIRED and late.passed is False and late.score == 0
        with pytest.raises(ValidationError):
            services.attempt_submit(attempt=late, answers=quiz["right"], actor=staff[0])


def test_expired_attempts_are_closed_by_the_job(tenant, quiz, staff):
    with tenant_scope(tenant):
        attempt = services.attempt_start(assessment=quiz["assessment"], actor=staff[0])
        Attempt.objects.filter(pk=attempt.pk).update(started_at=timezone.now() - datetime.timedelta(minutes=15),
                                                     deadline=timezone.now() - datetime.timedelta(minutes=5))
        assert services.attempts_expire(tenant=tenant) == 1
        assert Attempt.objects.get(pk=attempt.pk).state == AttemptState.EXPIRED


def test_answers_must_belong_to_the_attempt(tenant, quiz, staff):
    with tenant_scope(tenant):
        attempt = services.attempt_start(assessment=quiz["assessment"], actor=staff[0])
        single = quiz["questions"][0]
        for bad in ({"999999": [1]}, {str(single.pk): [999999]}, {str(single.pk): ["x"]},
                    {str(single.pk): list(single.choices.values_list("pk", flat=True))}):
            with pytest.raises(ValidationError):
                services.attempt_submit(attempt=attempt, answers=bad, actor=staff[0])
        with pytest.raises(Exception):  # noqa: B017 - only the trainee submits
            services.attempt_submit(attempt=attempt, answers=quiz["right"], actor=staff[1])


def test_import_reports_row_errors_and_imports_nothing(tenant, quiz, trainer):
    rows = [
        {"kind": "single", "text": "Q1", "points": "2", "option_1": "a", "option_2": "b", "correct": "1"},
        {"kind": "多选", "text": "Q2", "option_1": "a", "option_2": "b", "option_3": "c", "correct": "1,3"},
        {"kind": "single", "text": "", "option_1": "a", "option_2": "b", "correct": "1"},
        {"kind": "judge", "text": "Q4", "correct": "1"},
        {"kind": "single", "text": "Q5", "option_1": "a", "option_2": "b", "correct": "3"},
    ]
    with tenant_scope(tenant):
        before = Question.objects.count()
        result = services.questions_import(assessment=quiz["assessment"], rows=rows, actor=trainer)
        assert result.created == 0 and [line for line, _m in result.errors] == [4, 5, 6]
        assert Question.objects.count() == before
        good = services.questions_import(assessment=quiz["assessment"], rows=[
            *rows[:2], {"kind": "判断", "text": "Q3", "correct": "错"}], actor=trainer)
        assert good.created == 3 and not good.errors
        tf = Question.objects.get(text="Q3")
        assert [c.is_correct for c in tf.choices.order_by("order")] == [False, True]


def test_practical_assessments_are_scored_on_the_rubric(tenant, quiz, staff, trainer):
    from training.models import Assessment, RubricCriterion

    with tenant_scope(tenant):
        practical = Assessment.objects.create(course=quiz["course"], title="Role play", kind="practical",
                                              pass_mark=50)
        a = RubricCriterion.objects.create(assessment=practical, name="Opening", max_points=5)
        b = RubricCriterion.objects.create(assessment=practical, name="Closing", max_points=5)
        attempt = services.practical_record(assessment=practical, trainee=staff[0],
                                            scores={str(a.pk): 4, str(b.pk): 3}, actor=trainer)
        assert attempt.percent == Decimal("70.0") and attempt.passed and attempt.graded_by == trainer
        with pytest.raises(ValidationError):
            services.practical_record(assessment=practical, trainee=staff[0], scores={str(a.pk): 9, str(b.pk): 1},
                                      actor=trainer)
