"""Assessments: question banks (with import), attempts timed and graded on the server.

The server owns every rule a trainee could bend in a browser: the deadline is set when an
attempt starts and checked when it is submitted (a late submission scores nothing), the
number of attempts is counted here, the question order is drawn here and stored, and the
correct options never leave the server before the attempt is submitted.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from channelhub.tenancy.models import Tenant, User
from channelhub.tenancy.policy import authorize, trusted
from channelhub.tenancy.services import assign_fields, audited_save, require_same_tenant

from ..models import (
    Assessment,
    AssessmentKind,
    AssessmentStage,
    Attempt,
    AttemptState,
    Choice,
    Question,
    QuestionKind,
    RubricCriterion,
)
from ..permissions import ATTEMPT_GRADE, ATTEMPT_TAKE, CATALOG_MANAGE
from ._common import delete_guarded, require_prerequisites, trainee_partner

# Network latency between the timer reaching zero and the answers arriving.
GRACE = timedelta(seconds=30)
_random = random.SystemRandom()


def _create(model, *, tenant, actor, fields):
    authorize(actor, CATALOG_MANAGE.code, tenant=tenant)
    require_same_tenant(tenant, *[v for v in fields.values() if hasattr(v, "tenant_id")])
    return audited_save(assign_fields(model(tenant=tenant), fields), actor=actor, reason=_("Created"))


def _update(instance, *, actor, fields):
    authorize(actor, CATALOG_MANAGE.code, tenant=instance.tenant_id)
    require_same_tenant(instance.tenant_id, *[v for v in fields.values() if hasattr(v, "tenant_id")])
    return audited_save(assign_fields(instance, fields), actor=actor, reason=_("Updated"))


def _delete(instance, *, actor) -> None:
    authorize(actor, CATALOG_MANAGE.code, tenant=instance.tenant_id)
    delete_guarded(instance, actor=actor)


@transaction.atomic
def assessment_create(*, tenant: Tenant, actor: User | None, **fields: Any) -> Assessment:
    return _create(Assessment, tenant=tenant, actor=actor, fields=fields)


@transaction.atomic
def assessment_update(*, assessment: Assessment, actor: User | None, **fields: Any) -> Assessment:
    return _update(assessment, actor=actor, fields=fields)


def assessment_delete(*, assessment: Assessment, actor: User | None) -> None:
    _delete(assessment, actor=actor)


def _check_choices(kind: str, choices: Sequence[Mapping[str, Any]]) -> None:
    correct = sum(1 for choice in choices if choice.get("is_correct"))
    if kind == QuestionKind.TRUE_FALSE and len(choices) != 2:
        raise ValidationError({"choices": _("A true/false question has exactly two options.")})
    if len(choices) < 2:
        raise ValidationError({"choices": _("A question needs at least two options.")})
    if kind in (QuestionKind.SINGLE, QuestionKind.TRUE_FALSE) and correct != 1:
        raise ValidationError({"choices": _("Mark exactly one option as correct.")})
    if kind == QuestionKind.MULTIPLE and correct < 1:
        raise ValidationError({"choices": _("Mark at least one option as correct.")})


@transaction.atomic
def question_create(*, tenant: Tenant, actor: User | None, choices: Sequence[Mapping[str, Any]] | None = None,
                    **fields: Any) -> Question:
    """A question with its options (``[{text, is_correct}]``): one correct for single and true/false.

    Without ``choices`` (the admin adds them on the question's page) a true/false question gets
    "True" (correct) and "False"; other kinds start with none.
    """
    kind = fields.get("kind", QuestionKind.SINGLE)
    if kind == QuestionKind.TRUE_FALSE and not choices:
        choices = [{"text": _("True"), "is_correct": bool(fields.pop("answer_true", True))},
                   {"text": _("False"), "is_correct": False}]
        choices[1]["is_correct"] = not choices[0]["is_correct"]
    fields.pop("answer_true", None)
    if choices is not None:
        _check_choices(kind, choices)
    question = _create(Question, tenant=tenant, actor=actor, fields=fields)
    for order, choice in enumerate(choices or (), start=1):
        audited_save(Choice(tenant=tenant, question=question, text=choice["text"],
                            is_correct=bool(choice.get("is_correct")), order=order),
                     actor=actor, reason=_("Created"))
    return question


@transaction.atomic
def question_update(*, question: Question, actor: User | None, **fields: Any) -> Question:
    fields.pop("choices", None)
    return _update(question, actor=actor, fields=fields)


def question_delete(*, question: Question, actor: User | None) -> None:
    _delete(question, actor=actor)


@transaction.atomic
def choice_create(*, tenant: Tenant, actor: User | None, **fields: Any) -> Choice:
    return _create(Choice, tenant=tenant, actor=actor, fields=fields)


@transaction.atomic
def choice_update(*, choice: Choice, actor: User | None, **fields: Any) -> Choice:
    return _update(choice, actor=actor, fields=fields)


def choice_delete(*, choice: Choice, actor: User | None) -> None:
    _delete(choice, actor=actor)


@transaction.atomic
def rubric_criterion_create(*, tenant: Tenant, actor: User | None, **fields: Any) -> RubricCriterion:
    return _create(RubricCriterion, tenant=tenant, actor=actor, fields=fields)


@transaction.atomic
def rubric_criterion_update(*, criterion: RubricCriterion, actor: User | None, **fields: Any) -> RubricCriterion:
    return _update(criterion, actor=actor, fields=fields)


def rubric_criterion_delete(*, criterion: RubricCriterion, actor: User | None) -> None:
    _delete(criterion, actor=actor)


# --------------------------------------------------------------------------- import


@dataclass(frozen=True)
class ImportResult:
    created: int
    errors: list[tuple[int, str]]  # (line number, message)


IMPORT_COLUMNS = ("kind", "text", "points", "option_1", "option_2", "option_3", "option_4", "option_5", "option_6",
                  "correct")
_KIND_ALIASES = {
    "single": QuestionKind.SINGLE, "单选": QuestionKind.SINGLE,
    "multiple": QuestionKind.MULTIPLE, "多选": QuestionKind.MULTIPLE,
    "true_false": QuestionKind.TRUE_FALSE, "判断": QuestionKind.TRUE_FALSE,
}


def _row_question(row: Mapping[str, Any]) -> dict[str, Any]:
    kind = _KIND_ALIASES.get(str(row.get("kind") or "").strip().lower())
    if kind is None:
        raise ValidationError(_("Unknown kind: use single, multiple or true_false."))
    text = str(row.get("text") or "").strip()
    if not text:
        raise ValidationError(_("The question text is empty."))
    try:
        points = int(str(row.get("points") or "1").strip())
    except ValueError:
        raise ValidationError(_("Points must be a whole number.")) from None
    if points < 1:
        raise ValidationError(_("Points must be a whole number."))
    options = [str(row.get(f"option_{n}") or "").strip() for n in range(1, 7)]
    options = [option for option in options if option]
    correct_raw = str(row.get("correct") or "").replace("，", ",").replace(" ", "")
    if kind == QuestionKind.TRUE_FALSE and not options:
        options = [_("True"), _("False")]
        mapping = {"true": "1", "t": "1", "对": "1", "正确": "1", "false": "2", "f": "2", "错": "2", "错误": "2"}
        correct_raw = mapping.get(correct_raw.lower(), correct_raw)
    try:
        correct = {int(part) for part in correct_raw.split(",") if part}
    except ValueError:
        raise ValidationError(_("List the correct options by number, e.g. 1 or 1,3.")) from None
    if not correct or any(not 1 <= n <= len(options) for n in correct):
        raise ValidationError(_("List the correct options by number, e.g. 1 or 1,3."))
    choices = [{"text": option, "is_correct": n in correct} for n, option in enumerate(options, start=1)]
    _check_choices(kind, choices)
    return {"kind": kind, "text": text, "points": points, "choices": choices}


def questions_import(*, assessment: Assessment, rows: Iterable[Mapping[str, Any]], actor: User | None,
                     first_line: int = 2) -> ImportResult:
    """Import a question bank (rows of ``IMPORT_COLUMNS``): every row is checked first; any error imports nothing."""
    authorize(actor, CATALOG_MANAGE.code, tenant=assessment.tenant_id)
    parsed, errors = [], []
    for line, row in enumerate(rows, start=first_line):
        if not any(str(value or "").strip() for value in row.values()):
            continue
        try:
            parsed.append(_row_question(row))
        except ValidationError as error:
            messages = error.messages
            errors.append((line, " ".join(messages)))
    if errors:
        return ImportResult(created=0, errors=errors)
    if not parsed:
        return ImportResult(created=0, errors=[(first_line, _("The file has no questions."))])
    start = (Question.objects.filter(assessment=assessment).order_by("-order").values_list("order", flat=True)
             .first() or 0)
    with transaction.atomic():
        for offset, data in enumerate(parsed, start=1):
            question_create(tenant=assessment.tenant, actor=actor, assessment=assessment, order=start + offset,
                            **data)
    return ImportResult(created=len(parsed), errors=[])


# --------------------------------------------------------------------------- attempts


def _expire_if_due(attempt: Attempt) -> bool:
    if attempt.state == AttemptState.IN_PROGRESS and timezone.now() > attempt.deadline + GRACE:
        attempt.state = AttemptState.EXPIRED
        attempt.submitted_at = attempt.deadline
        attempt.score, attempt.percent, attempt.passed = Decimal(0), Decimal(0), False
        audited_save(attempt, actor=None, reason=_("Time ran out"))
        return True
    return False


def attempt_start(*, assessment: Assessment, actor: User) -> Attempt:
    """Start (or resume) an attempt: deadline and question order are fixed now, on the server."""
    authorize(actor, ATTEMPT_TAKE.code, tenant=assessment.tenant_id)
    partner = trainee_partner(actor)
    if partner is not None:
        authorize(actor, ATTEMPT_TAKE.code, tenant=assessment.tenant_id, partner=partner)
    if assessment.kind != AssessmentKind.QUIZ or not assessment.is_published:
        raise ValidationError(_("This assessment is not taken online."))
    if partner is not None and not assessment.course.is_published:
        raise ValidationError(_("This assessment is not taken online."))
    if assessment.stage == AssessmentStage.FINAL:
        require_prerequisites(assessment.course, actor)
    with transaction.atomic():
        # Lock the trainee's attempts at this assessment: two "start" clicks make one attempt.
        mine = list(Attempt.objects.select_for_update().filter(assessment=assessment, trainee=actor)
                    .order_by("number"))
        for attempt in mine:
            _expire_if_due(attempt)
            if attempt.state == AttemptState.IN_PROGRESS:
                return attempt
        if len(mine) >= assessment.max_attempts:
            raise ValidationError(
                _("You have used all %(count)d attempts at this assessment.") % {"count": assessment.max_attempts})
        if any(attempt.passed for attempt in mine) and assessment.stage == AssessmentStage.FINAL:
            raise ValidationError(_("You have already passed this assessment."))
        order = list(Question.objects.filter(assessment=assessment).values_list("pk", flat=True))
        if not order:
            raise ValidationError(_("This assessment has no questions yet."))
        if assessment.randomise:
            _random.shuffle(order)
        now = timezone.now()
        attempt = Attempt(
            tenant_id=assessment.tenant_id, assessment=assessment, trainee=actor, partner=partner,
            number=len(mine) + 1, started_at=now, deadline=now + timedelta(minutes=assessment.time_limit_minutes),
            question_order=order,
        )
        return audited_save(attempt, actor=actor, reason=_("Started"))


def _grade(attempt: Attempt, answers: Mapping[str, list[int]]) -> None:
    questions = {q.pk: q for q in Question.objects.filter(pk__in=attempt.question_order)}
    correct: dict[int, set[int]] = {pk: set() for pk in questions}
    for question_id, choice_id in Choice.objects.filter(question_id__in=list(questions), is_correct=True
                                                        ).values_list("question_id", "pk"):
        correct[question_id].add(choice_id)
    score = Decimal(0)
    total = Decimal(sum(q.points for q in questions.values()))
    for pk, question in questions.items():
        if set(answers.get(str(pk), [])) == correct[pk]:
            score += question.points
    _set_result(attempt, score, total)


def _set_result(attempt: Attempt, score: Decimal, total: Decimal) -> None:
    attempt.score, attempt.max_score = score, total
    attempt.percent = (score * 100 / total).quantize(Decimal("0.1"), ROUND_HALF_UP) if total else Decimal(0)
    attempt.passed = attempt.percent >= attempt.assessment.pass_mark
    attempt.state = AttemptState.GRADED


def _clean_answers(attempt: Attempt, answers: Mapping[Any, Any]) -> dict[str, list[int]]:
    if not isinstance(answers, Mapping):
        raise ValidationError({"answers": _("Answers are a mapping of question to chosen options.")})
    allowed = {str(pk) for pk in attempt.question_order}
    options: dict[int, set[int]] = {}
    kinds = dict(Question.objects.filter(pk__in=attempt.question_order).values_list("pk", "kind"))
    for question_id, choice_id in Choice.objects.filter(question_id__in=attempt.question_order
                                                        ).values_list("question_id", "pk"):
        options.setdefault(question_id, set()).add(choice_id)
    clean: dict[str, list[int]] = {}
    for key, value in answers.items():
        key = str(key)
        if key not in allowed:
            raise ValidationError({"answers": _("An answer names a question that is not in this attempt.")})
        chosen = value if isinstance(value, list | tuple) else [value]
        try:
            chosen = sorted({int(item) for item in chosen})
        except (TypeError, ValueError):
            raise ValidationError({"answers": _("An answer names an option that does not exist.")}) from None
        if not set(chosen) <= options.get(int(key), set()):
            raise ValidationError({"answers": _("An answer names an option that does not exist.")})
        if kinds[int(key)] != QuestionKind.MULTIPLE and len(chosen) > 1:
            raise ValidationError({"answers": _("Choose one option for a single-choice question.")})
        clean[key] = chosen
    return clean


def attempt_submit(*, attempt: Attempt, answers: Mapping[Any, Any], actor: User) -> Attempt:
    """Submit and grade: a submission after the deadline (plus a short grace) scores nothing."""
    authorize(actor, ATTEMPT_TAKE.code, tenant=attempt.tenant_id, partner=attempt.partner_id)
    if actor.pk != attempt.trainee_id:
        raise PermissionDenied(_("Only the trainee submits their attempt."))
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update().select_related("assessment").get(pk=attempt.pk)
        if _expire_if_due(attempt):
            return attempt
        if attempt.state != AttemptState.IN_PROGRESS:
            raise ValidationError(_("This attempt was already submitted."))
        clean = _clean_answers(attempt, answers)
        attempt.answers = clean
        attempt.submitted_at = timezone.now()
        _grade(attempt, clean)
        audited_save(attempt, actor=actor, reason=_("Submitted and graded"))
        if attempt.passed and attempt.assessment.stage == AssessmentStage.FINAL:
            from .certificates import course_complete

            with trusted():
                course_complete(course=attempt.assessment.course, trainee=attempt.trainee, partner=attempt.partner,
                                source=_("Passed %(assessment)s") % {"assessment": attempt.assessment.title})
    return attempt


def practical_record(*, assessment: Assessment, trainee: User, scores: Mapping[Any, Any], actor: User | None
                     ) -> Attempt:
    """The trainer scores a practical assessment on its rubric (``{criterion id: points}``)."""
    authorize(actor, ATTEMPT_GRADE.code, tenant=assessment.tenant_id)
    if assessment.kind != AssessmentKind.PRACTICAL:
        raise ValidationError(_("Only practical assessments are scored on a rubric."))
    rubric = {str(c.pk): c for c in RubricCriterion.objects.filter(assessment=assessment)}
    if not rubric:
        raise ValidationError(_("This assessment has no rubric yet."))
    clean: dict[str, int] = {}
    for key, criterion in rubric.items():
        try:
            points = int(scores.get(key, scores.get(int(key))))
        except (TypeError, ValueError):
            raise ValidationError({"scores": _("Score every criterion of the rubric.")}) from None
        if not 0 <= points <= criterion.max_points:
            raise ValidationError({"scores": _("A score is outside its criterion's range.")})
        clean[key] = points
    if set(map(str, scores)) - set(rubric):
        raise ValidationError({"scores": _("A score names a criterion that is not in this rubric.")})
    partner = trainee_partner(trainee)
    with transaction.atomic():
        number = Attempt.objects.filter(assessment=assessment, trainee=trainee).count() + 1
        now = timezone.now()
        attempt = Attempt(tenant_id=assessment.tenant_id, assessment=assessment, trainee=trainee, partner=partner,
                          number=number, started_at=now, deadline=now + timedelta(minutes=1), submitted_at=now,
                          rubric_scores=clean, graded_by=actor)
        attempt.assessment = assessment
        _set_result(attempt, Decimal(sum(clean.values())), Decimal(sum(c.max_points for c in rubric.values())))
        audited_save(attempt, actor=actor, reason=_("Scored on the rubric"))
        if attempt.passed and assessment.stage == AssessmentStage.FINAL:
            from .certificates import course_complete

            with trusted():
                course_complete(course=assessment.course, trainee=trainee, partner=partner,
                                source=_("Passed %(assessment)s") % {"assessment": assessment.title})
    return attempt


def attempts_expire(*, tenant: Tenant | int) -> int:
    """Close attempts whose time ran out without a submission (the job; reading one also closes it)."""
    count = 0
    for attempt in Attempt.objects.filter(state=AttemptState.IN_PROGRESS, deadline__lt=timezone.now() - GRACE):
        with transaction.atomic():
            count += _expire_if_due(attempt)
    return count
