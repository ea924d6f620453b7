"""The catalogue's lists."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from ..models import (
    Assessment,
    Certification,
    Course,
    CourseCompletion,
    CoursePrerequisite,
    LearningPath,
    LearningPathStep,
    Question,
)


def course_list() -> QuerySet[Course]:
    return Course.objects.annotate(
        session_count=Count("sessions", distinct=True),
        completion_count=Count("completions", distinct=True),
    )


def published_courses() -> QuerySet[Course]:
    """The partners' catalogue: published courses with their published online assessments."""
    return Course.objects.filter(is_published=True).prefetch_related(
        "assessments", Prefetch("prerequisite_links", queryset=CoursePrerequisite.objects.select_related(
            "required").order_by("required__code"))).order_by("kind", "code")


def published_paths() -> QuerySet[LearningPath]:
    """Learning paths whose every course is published, with their ordered steps."""
    return (LearningPath.objects.select_related("certification")
            .exclude(steps__course__is_published=False)
            .prefetch_related(Prefetch("steps", queryset=LearningPathStep.objects.select_related("course")
                                       .order_by("order")))
            .order_by("name"))


def completed_course_ids(user_id: int) -> set[int]:
    return set(CourseCompletion.objects.filter(trainee_id=user_id).values_list("course_id", flat=True))


def certification_list() -> QuerySet[Certification]:
    return Certification.objects.annotate(
        valid_count=Count("certificates", filter=Q(certificates__revoked_at__isnull=True), distinct=True))


def path_list() -> QuerySet[LearningPath]:
    return LearningPath.objects.select_related("certification").annotate(step_count=Count("steps"))


def assessment_list() -> QuerySet[Assessment]:
    return Assessment.objects.select_related("course").annotate(
        question_count=Count("questions", distinct=True), attempt_count=Count("attempts", distinct=True))


def question_list() -> QuerySet[Question]:
    return Question.objects.select_related("assessment").prefetch_related("choices")
