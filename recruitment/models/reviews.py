"""Independent scoring by reviewers, approval decisions and notifications to the applicant."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from channelhub.tenancy.models import TenantOwnedBase, TenantOwnedModel

from .applications import Application
from .setup import ApprovalStep, Criterion, ReturnTarget


class ReviewerAssignment(TenantOwnedModel):
    """A staff member asked to score an application."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("application")
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("reviewer")
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("assigned by"),
    )
    assigned_at = models.DateTimeField(_("assigned at"), default=timezone.now)

    class Meta:
        verbose_name = _("reviewer assignment")
        verbose_name_plural = _("reviewer assignments")
        ordering = ["assigned_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "application", "reviewer"], name="reviewerassignment_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} → {self.application}"


class Scorecard(TenantOwnedModel):
    """One reviewer's scores for one application (评分), recorded independently of the others."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="scorecards", verbose_name=_("application")
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("reviewer")
    )
    comment = models.TextField(_("comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    class Meta:
        verbose_name = _("scorecard")
        verbose_name_plural = _("scorecards")
        ordering = ["submitted_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "application", "reviewer"], name="scorecard_unique_reviewer"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.reviewer}"


class Score(TenantOwnedModel):
    """One criterion's score on a scorecard, with the weight, scale and threshold as they were.

    The snapshot keeps a recorded result stable when a criterion is edited later.
    """

    scorecard = models.ForeignKey(
        Scorecard, on_delete=models.CASCADE, related_name="scores", verbose_name=_("scorecard")
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="+", verbose_name=_("criterion")
    )
    value = models.DecimalField(_("score"), max_digits=5, decimal_places=2, validators=[MinValueValidator(0)])
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2)
    scale_max = models.PositiveSmallIntegerField(_("scale maximum"))
    knockout_threshold = models.DecimalField(
        _("knock-out threshold"), max_digits=5, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["scorecard", "id"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "scorecard", "criterion"], name="score_unique_criterion"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}/{self.scale_max}"

    def clean(self) -> None:
        super().clean()
        if self.value is not None and self.scale_max and self.value > self.scale_max:
            raise ValidationError(
                {"value": _("The score cannot exceed %(max)s.") % {"max": self.scale_max}}
            )


class Decision(models.TextChoices):
    APPROVE = "approve", _("Approve")
    REJECT = "reject", _("Reject")
    RETURN = "return", _("Return")


class ApprovalDecision(TenantOwnedBase):
    """One decision at one approval step. Append-only: it is itself the record."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("application")
    )
    step = models.ForeignKey(ApprovalStep, on_delete=models.PROTECT, related_name="+", verbose_name=_("step"))
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices)
    return_to = models.CharField(_("returned to"), max_length=16, choices=ReturnTarget.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("approval decision")
        verbose_name_plural = _("approval decisions")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.step}: {self.get_decision_display()}"


class ApplicantNotification(TenantOwnedBase):
    """An e-mail sent to an applicant: the row makes a redelivered task send nothing twice."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=32)
    reference = models.CharField(_("reference"), max_length=64, blank=True)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("applicant notification")
        verbose_name_plural = _("applicant notifications")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "application", "kind", "reference"], name="applicantnotification_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} · {self.kind}"


# --------------------------------------------------------------------------- onboarding
