"""Assessments (考核): question banks, rubrics for practical work, attempts graded on the server."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from channelhub.partners.models import Partner
from channelhub.tenancy.models import TenantOwnedModel

from .catalog import Course


class AssessmentKind(models.TextChoices):
    QUIZ = "quiz", _("Online quiz (auto-graded)")
    PRACTICAL = "practical", _("Practical (scored on a rubric)")


class AssessmentStage(models.TextChoices):
    # A pre-test and a final test of the same course give the score gain (第十七条).
    FINAL = "final", _("Final assessment")
    PRE = "pre", _("Pre-test")


class Assessment(TenantOwnedModel):
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("course"))
    title = models.CharField(pgettext_lazy("assessment", "title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=AssessmentKind.choices, default=AssessmentKind.QUIZ)
    stage = models.CharField(_("stage"), max_length=8, choices=AssessmentStage.choices,
                             default=AssessmentStage.FINAL)
    time_limit_minutes = models.PositiveSmallIntegerField(
        _("time limit (minutes)"), default=30, validators=[MinValueValidator(1), MaxValueValidator(600)])
    max_attempts = models.PositiveSmallIntegerField(
        _("attempts allowed"), default=3, validators=[MinValueValidator(1), MaxValueValidator(20)])
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=60, validators=[MinValueValidator(1), MaxValueValidator(100)])
    randomise = models.BooleanField(_("random question order"), default=True)
    is_published = models.BooleanField(_("open to trainees"), default=True)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["course", "stage", "title"]
        constraints = [models.UniqueConstraint(fields=["tenant", "course", "title"], name="assessment_unique_title")]

    def __str__(self) -> str:
        return self.title


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TRUE_FALSE = "true_false", _("True / false")


class Question(TenantOwnedModel):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="questions",
                                   verbose_name=_("assessment"))
    kind = models.CharField(_("kind"), max_length=16, choices=QuestionKind.choices, default=QuestionKind.SINGLE)
    text = models.TextField(_("question"))
    points = models.PositiveSmallIntegerField(_("points"), default=1, validators=[MinValueValidator(1)])
    order = models.PositiveSmallIntegerField(_("order"), default=1)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["assessment", "order", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class Choice(TenantOwnedModel):
    """An option of a question. ``is_correct`` never leaves the server before the attempt is submitted."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices",
                                 verbose_name=_("question"))
    text = models.CharField(_("option"), max_length=500)
    is_correct = models.BooleanField(_("correct"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=1)

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ["question", "order", "pk"]

    def __str__(self) -> str:
        return self.text


class RubricCriterion(TenantOwnedModel):
    """One line of a practical assessment's rubric, scored by the trainer."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="rubric",
                                   verbose_name=_("assessment"))
    name = models.CharField(_("criterion"), max_length=200)
    max_points = models.PositiveSmallIntegerField(_("maximum points"), default=5, validators=[MinValueValidator(1)])
    order = models.PositiveSmallIntegerField(_("order"), default=1)

    class Meta:
        verbose_name = _("rubric criterion")
        verbose_name_plural = _("rubric criteria")
        ordering = ["assessment", "order", "pk"]

    def __str__(self) -> str:
        return self.name


class AttemptState(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    SUBMITTED = "submitted", _("Submitted, awaiting scoring")
    GRADED = "graded", _("Graded")
    EXPIRED = "expired", _("Time ran out")


class Attempt(TenantOwnedModel):
    """One trainee's attempt at an assessment. Times, order and grading are the server's."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="attempts",
                                   verbose_name=_("assessment"))
    trainee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("trainee"))
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="training_attempts", verbose_name=_("partner"))
    number = models.PositiveSmallIntegerField(_("attempt number"), default=1, editable=False)
    state = models.CharField(_("state"), max_length=16, choices=AttemptState.choices,
                             default=AttemptState.IN_PROGRESS, editable=False, db_index=True)
    started_at = models.DateTimeField(_("started at"), default=timezone.now, editable=False)
    deadline = models.DateTimeField(_("deadline"), editable=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    # The question ids in the order this trainee sees them (randomised once, at start).
    question_order = models.JSONField(default=list, editable=False)
    # {question id: [choice ids]} as submitted; rubric scores {criterion id: points} for practicals.
    answers = models.JSONField(default=dict, blank=True, editable=False)
    rubric_scores = models.JSONField(default=dict, blank=True, editable=False)
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=2, null=True, blank=True, editable=False)
    max_score = models.DecimalField(_("maximum score"), max_digits=7, decimal_places=2, null=True, blank=True,
                                    editable=False)
    percent = models.DecimalField(_("score (%)"), max_digits=5, decimal_places=1, null=True, blank=True,
                                  editable=False)
    passed = models.BooleanField(_("passed"), null=True, blank=True, editable=False)
    graded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", editable=False, verbose_name=_("graded by"))

    class Meta:
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "assessment", "trainee", "number"],
                                    name="attempt_unique_number"),
        ]
        indexes = [models.Index(fields=["tenant", "trainee", "assessment"]),
                   models.Index(fields=["tenant", "partner", "state"])]

    def __str__(self) -> str:
        return f"{self.assessment} · {self.trainee} #{self.number}"

    def clean(self) -> None:
        super().clean()
        if self.deadline and self.started_at and self.deadline <= self.started_at:
            raise ValidationError(_("The deadline must be after the start."))
