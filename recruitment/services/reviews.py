"""Reviewers of an application (``recruitment.application.manage``) and their scorecards
(``recruitment.application.score``, then only the application's assigned reviewers)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from channelhub.tenancy.models import User
from channelhub.tenancy.policy import authorize
from channelhub.tenancy.services import audited_delete, audited_save

from .. import selectors
from ..models import Application, Criterion, ReviewerAssignment, Score, Scorecard
from ..permissions import APPLICATION_MANAGE, APPLICATION_SCORE
from ._common import S, _is_staff


@transaction.atomic
def application_assign_reviewers(
    *, application: Application, reviewers: Iterable[User], actor: User | None
) -> list[ReviewerAssignment]:
    """Ask staff members to score the application (idempotent: an existing assignment is kept)."""
    authorize(actor, APPLICATION_MANAGE.code, tenant=application.tenant_id)
    if application.state not in (S.SUBMITTED, S.SCREENING, S.SCORING):
        raise ValidationError(_("Reviewers can be assigned only before the application goes to review."))
    assignments = []
    for reviewer in reviewers:
        if not _is_staff(reviewer):
            raise ValidationError({"reviewers": _("%(user)s is not on this tenant's staff.") % {"user": reviewer}})
        assignment = ReviewerAssignment.objects.filter(application=application, reviewer=reviewer).first()
        if assignment is None:
            assignment = audited_save(
                ReviewerAssignment(
                    tenant_id=application.tenant_id, application=application, reviewer=reviewer, assigned_by=actor
                ),
                actor=actor, reason=_("Reviewer assigned"),
            )
        assignments.append(assignment)
    return assignments


@transaction.atomic
def application_remove_reviewers(
    *, application: Application, reviewers: Iterable[User], actor: User | None
) -> int:
    """Take reviewers off the application before it goes to review; return how many were removed.

    A reviewer who has already submitted a scorecard stays: their scores are part of the
    record the approvers read, so removing them is refused (nothing is removed then). Asking
    to remove someone who is not a reviewer of the application changes nothing.
    """
    authorize(actor, APPLICATION_MANAGE.code, tenant=application.tenant_id)
    if application.state not in (S.SUBMITTED, S.SCREENING, S.SCORING):
        raise ValidationError(_("Reviewers can be removed only before the application goes to review."))
    reviewer_ids = {reviewer.pk for reviewer in reviewers}
    # Locked, as scorecard_submit locks the assignment it scores under: of a removal and a
    # submission at the same time, the second one sees what the first did.
    assignments = list(
        ReviewerAssignment.objects.select_for_update()
        .filter(application=application, reviewer_id__in=reviewer_ids).order_by("pk")
    )
    scored = set(
        Scorecard.objects.filter(application=application, reviewer_id__in=[a.reviewer_id for a in assignments])
        .values_list("reviewer_id", flat=True)
    )
    if scored:
        names = ", ".join(str(user) for user in User.objects.filter(pk__in=scored).order_by("username"))
        raise ValidationError({"reviewers": _(
            "%(users)s already submitted a scorecard for this application and cannot be removed: "
            "submitted scores stay on the record."
        ) % {"users": names}})
    for assignment in assignments:
        audited_delete(assignment, actor=actor, reason=_("Reviewer removed"))
    return len(assignments)


@transaction.atomic
def scorecard_submit(
    *, application: Application, reviewer: User, scores: Mapping[Any, Any], comment: str = ""
) -> Scorecard:
    """An assigned reviewer records a score (0..scale) for every criterion of the application.

    Reviewers score independently; a reviewer may revise their scorecard while the
    application is in scoring. Each score keeps the weight, scale and threshold it was given
    under, so later edits to criteria do not change recorded results.
    """
    authorize(reviewer, APPLICATION_SCORE.code, tenant=application.tenant_id)
    if application.state != S.SCORING:
        raise ValidationError(_("Scorecards are accepted only while the application is in scoring."))
    # Locked: a removal of this reviewer at the same moment waits (see application_remove_reviewers).
    assignment = ReviewerAssignment.objects.select_for_update().filter(application=application, reviewer=reviewer)
    if assignment.first() is None:
        raise PermissionDenied(_("You are not a reviewer of this application."))
    wanted = selectors.scoring_criteria(application=application)
    if not wanted:
        raise ValidationError(_("There are no criteria to score: set up the criteria first."))
    given: dict[int, Any] = {}
    for key, value in scores.items():
        try:
            given[key.pk if isinstance(key, Criterion) else int(key)] = value
        except (TypeError, ValueError):
            raise ValidationError({"scores": _("Scores are keyed by criterion id.")}) from None
    errors: list[str] = []
    known = {item.criterion.pk for item in wanted}
    if set(given) - known:
        errors.append(_("Criteria %(ids)s are not on the application's scorecard.")
                      % {"ids": ", ".join(str(pk) for pk in sorted(set(given) - known))})
    rows = []
    for item in wanted:
        criterion = item.criterion
        label = f"{criterion.name} (#{criterion.pk})"
        if criterion.pk not in given or given[criterion.pk] in (None, ""):
            errors.append(_("%(criterion)s: give a score.") % {"criterion": label})
            continue
        try:
            value = Decimal(str(given[criterion.pk]))
            if not value.is_finite():
                raise InvalidOperation
        except (InvalidOperation, ValueError, TypeError):
            errors.append(_("%(criterion)s: the score must be a number.") % {"criterion": label})
            continue
        if value < 0 or value > criterion.scale_max:
            errors.append(_("%(criterion)s: give a score from 0 to %(max)s.")
                          % {"criterion": label, "max": criterion.scale_max})
            continue
        rows.append((criterion, item.weight, value))
    if errors:
        raise ValidationError({"scores": errors})
    scorecard = Scorecard.objects.filter(application=application, reviewer=reviewer).first()
    if scorecard is None:
        scorecard = Scorecard(tenant_id=application.tenant_id, application=application, reviewer=reviewer)
    scorecard.comment = comment or ""
    scorecard.submitted_at = timezone.now()
    audited_save(scorecard, actor=reviewer, reason=_("Scorecard submitted"))
    Score.objects.filter(scorecard=scorecard).delete()
    for criterion, weight, value in rows:
        score = Score(
            tenant_id=application.tenant_id, scorecard=scorecard, criterion=criterion, value=value, weight=weight,
            scale_max=criterion.scale_max, knockout_threshold=criterion.knockout_threshold,
        )
        score.full_clean()
        score.save()
    return scorecard
