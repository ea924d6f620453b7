"""Scoring: which template and criteria apply, whose scorecards a user may see, the summary."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    QuerySet,
)

from channelhub.partners.models import PartnerType
from channelhub.tenancy.models import User

from .. import scoring
from ..models import (
    Application,
    Criterion,
    ReviewerAssignment,
    Scorecard,
    ScorecardTemplate,
    TemplateCriterion,
)


def template_for(partner_type: str) -> ScorecardTemplate | None:
    """The active template for the type, else the active default template (empty type)."""
    templates = {
        t.partner_type: t
        for t in ScorecardTemplate.objects.filter(is_active=True, partner_type__in=[partner_type, ""])
    }
    return templates.get(partner_type) or templates.get("")


def recruited_partner_types() -> list[tuple[str, str]]:
    """The partner types the current tenant recruits, as choices in ``PartnerType`` order.

    A tenant says which types it recruits by giving them an active scorecard template of their
    own: those types. A default template (no type) scores whatever arrives but names no type,
    so a tenant without any type-specific template recruits all of them.
    """
    with_template = set(
        ScorecardTemplate.objects.filter(is_active=True).exclude(partner_type="")
        .values_list("partner_type", flat=True)
    )
    return [(value, label) for value, label in PartnerType.choices if not with_template or value in with_template]


@dataclass(frozen=True)
class ScoringCriterion:
    criterion: Criterion
    weight: Decimal


def scoring_criteria(*, application: Application) -> list[ScoringCriterion]:
    """What reviewers score on this application: its template's items, or every active criterion."""
    if application.scorecard_template_id is not None:
        items = TemplateCriterion.objects.filter(template_id=application.scorecard_template_id).select_related(
            "criterion"
        )
        return [ScoringCriterion(item.criterion, item.effective_weight) for item in items]
    return [ScoringCriterion(c, c.weight) for c in Criterion.objects.filter(is_active=True)]


def scorecard_list(*, application: Application) -> QuerySet[Scorecard]:
    return (
        Scorecard.objects.filter(application=application)
        .select_related("reviewer")
        .prefetch_related("scores__criterion")
    )


def can_see_all_scores(*, application: Application, user: User) -> bool:
    """Reviewers score independently: an assigned reviewer who has not submitted sees no other scores.

    Everybody else allowed to read the application (managers, approvers, reviewers who have
    submitted) sees every scorecard and the summary.
    """
    if getattr(user, "is_superuser", False):
        return True
    assigned = ReviewerAssignment.objects.filter(application=application, reviewer=user).exists()
    if not assigned:
        return True
    return Scorecard.objects.filter(application=application, reviewer=user).exists()


def visible_scorecards(*, application: Application, user: User) -> QuerySet[Scorecard]:
    queryset = scorecard_list(application=application)
    if can_see_all_scores(application=application, user=user):
        return queryset
    return queryset.filter(reviewer=user)


def own_scorecard(*, application: Application, user: User) -> Scorecard | None:
    """``user``'s own scorecard for the application, with its scores (two queries), or ``None``."""
    return scorecard_list(application=application).filter(reviewer=user).first()


def score_summary(*, application: Application, scorecards=None) -> scoring.ScoreSummary:
    """Weighted totals, the average, per-criterion spread and knock-outs (see ``recruitment.scoring``)."""
    cards = list(scorecards if scorecards is not None else scorecard_list(application=application))
    inputs = []
    criteria: dict[int, scoring.CriterionInfo] = {
        item.criterion.pk: scoring.CriterionInfo(item.criterion.pk, item.criterion.name, item.criterion.category)
        for item in scoring_criteria(application=application)
    }
    for card in cards:
        lines = []
        for score in card.scores.all():
            criteria.setdefault(
                score.criterion_id,
                scoring.CriterionInfo(score.criterion_id, score.criterion.name, score.criterion.category),
            )
            lines.append(
                scoring.ScoreLine(
                    criterion_id=score.criterion_id, value=score.value, weight=score.weight,
                    scale_max=score.scale_max, knockout_threshold=score.knockout_threshold,
                )
            )
        inputs.append(
            scoring.ScorecardInput(
                reviewer_id=card.reviewer_id, reviewer=str(card.reviewer), lines=lines, comment=card.comment,
                submitted_at=card.submitted_at,
            )
        )
    return scoring.summarise(inputs, list(criteria.values()))
