"""What applications are judged by: criteria, scorecard templates, the approval chain (第十条, 第十一条)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from channelhub.partners.models import PartnerType
from channelhub.tenancy.models import TenantOwnedModel

from .plans import STAFF_ROLE_CHOICES


class CriterionCategory(models.TextChoices):
    """The groups of recruitment criteria (招募条件和标准) of the source document."""

    LEGAL_COMPLIANCE = "legal_compliance", _("Legal compliance")
    BUSINESS_STRENGTH = "business_strength", _("Business strength / capital strength")
    CAPABILITY = "capability", _("Business capability")
    BRAND_IMAGE = "brand_image", _("Brand image / reputation")
    EXPERIENCE = "experience", _("Experience")
    MARKET_INFLUENCE = "market_influence", _("Market influence")


class Criterion(TenantOwnedModel):
    """One recruitment criterion, scored 0..scale_max; below the knock-out threshold fails it."""

    category = models.CharField(_("category"), max_length=32, choices=CriterionCategory.choices)
    name = models.CharField(_("name"), max_length=200)
    guidance = models.TextField(_("guidance for reviewers"), blank=True)
    weight = models.DecimalField(
        _("weight"), max_digits=6, decimal_places=2, default=1,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    scale_max = models.PositiveSmallIntegerField(
        _("scale maximum"), default=5, validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Scores go from 0 to this number, e.g. 5 or 10."),
    )
    knockout_threshold = models.DecimalField(
        _("knock-out threshold"), max_digits=5, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("An average score below this fails the application on this criterion."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["order", "category", "name"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "name"], name="criterion_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if (
            self.knockout_threshold is not None
            and self.scale_max
            and self.knockout_threshold > self.scale_max
        ):
            raise ValidationError(
                {"knockout_threshold": _("The knock-out threshold cannot exceed the scale maximum.")}
            )


class ScorecardTemplate(TenantOwnedModel):
    """The criteria reviewers score for one partner type (empty type: the default template)."""

    name = models.CharField(_("name"), max_length=200)
    partner_type = models.CharField(
        _("partner type"), max_length=32, choices=PartnerType.choices, blank=True,
        help_text=_("Leave empty for the default template used when no type-specific one exists."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    criteria = models.ManyToManyField(
        Criterion, through="TemplateCriterion", related_name="templates", verbose_name=_("criteria")
    )

    class Meta:
        verbose_name = _("scorecard template")
        verbose_name_plural = _("scorecard templates")
        ordering = ["partner_type", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "partner_type"], name="scorecardtemplate_unique_type",
                violation_error_message=_("There is already a template for this partner type."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class TemplateCriterion(TenantOwnedModel):
    """A criterion in a template, optionally with its own weight."""

    template = models.ForeignKey(
        ScorecardTemplate, on_delete=models.CASCADE, related_name="items", verbose_name=_("template")
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="+", verbose_name=_("criterion")
    )
    weight = models.DecimalField(
        _("weight override"), max_digits=6, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0.01"))], help_text=_("Leave empty to use the criterion's weight."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("template criterion")
        verbose_name_plural = _("template criteria")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "template", "criterion"], name="templatecriterion_unique",
            ),
        ]

    def __str__(self) -> str:
        return str(self.criterion)

    @property
    def effective_weight(self):
        return self.weight if self.weight is not None else self.criterion.weight


# --------------------------------------------------------------------------- approval chain


class ReturnTarget(models.TextChoices):
    SCREENING = "screening", _("Screening")
    SCORING = "scoring", _("Scoring")


class ApprovalStep(TenantOwnedModel):
    """One step of the tenant's approval chain (审批流程), decided by users holding ``role``."""

    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=100)
    role = models.CharField(_("deciding role"), max_length=32, choices=STAFF_ROLE_CHOICES)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("approval step")
        verbose_name_plural = _("approval steps")
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "order"], name="approvalstep_unique_order",
                violation_error_message=_("Another approval step has this order."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


# --------------------------------------------------------------------------- applications
