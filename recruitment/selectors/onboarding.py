"""Onboarding: a partner's checklist and its progress."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import (
    Count,
    Q,
    QuerySet,
)

from ..models import (
    Application,
    OnboardingTask,
    OnboardingTaskTemplate,
)


def onboarding_task_list(*, partner_id: int | None = None) -> QuerySet[OnboardingTask]:
    queryset = OnboardingTask.objects.select_related("partner", "done_by", "application")
    if partner_id is not None:
        queryset = queryset.filter(partner_id=partner_id)
    return queryset


@dataclass(frozen=True)
class OnboardingChecklist:
    """One partner's onboarding checklist as the partner sees it (portal dashboard)."""

    tasks: list[OnboardingTask]

    @property
    def total(self) -> int:
        return len(self.tasks)

    @property
    def done(self) -> int:
        return sum(1 for task in self.tasks if task.is_done)

    @property
    def required_open(self) -> int:
        return sum(1 for task in self.tasks if task.required and not task.is_done)

    @property
    def percent(self) -> int:
        return round(self.done * 100 / self.total) if self.total else 0

    @property
    def complete(self) -> bool:
        return self.required_open == 0


def onboarding_checklist(*, partner_id: int) -> OnboardingChecklist | None:
    """The partner's checklist in order (one query); ``None`` for a partner that has none."""
    tasks = list(OnboardingTask.objects.filter(partner_id=partner_id).order_by("order", "key"))
    return OnboardingChecklist(tasks) if tasks else None


def application_of_partner(*, partner_id: int) -> Application | None:
    """The application a partner was recruited through (one per partner, by constraint)."""
    return Application.objects.filter(partner_id=partner_id).order_by("-pk").first()


def onboarding_templates_for(partner_type: str) -> QuerySet[OnboardingTaskTemplate]:
    return OnboardingTaskTemplate.objects.filter(is_active=True, partner_type__in=[partner_type, ""])


def onboarding_progress(*, partner_id: int) -> dict[str, int]:
    counts = OnboardingTask.objects.filter(partner_id=partner_id).aggregate(
        n_total=Count("pk"),
        n_done=Count("pk", filter=Q(done_at__isnull=False)),
        n_required=Count("pk", filter=Q(required=True)),
        n_required_done=Count("pk", filter=Q(required=True, done_at__isnull=False)),
    )
    return {key.removeprefix("n_"): value or 0 for key, value in counts.items()}


def onboarding_required_open(*, partner_id: int) -> int:
    """How many required steps of the partner's checklist are still open (one query; 0 without a checklist)."""
    return OnboardingTask.objects.filter(partner_id=partner_id, required=True, done_at__isnull=True).count()
