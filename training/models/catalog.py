"""The catalogue: courses by kind and delivery, prerequisites, certifications and learning paths (第十五条)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from channelhub.tenancy.models import TenantOwnedModel


class CourseKind(models.TextChoices):
    # ``orientation`` is the onboarding course: completing it announces course.completed with
    # course_kind="orientation", which ticks recruitment's onboarding checklist.
    ORIENTATION = "orientation", _("Orientation")
    MANAGEMENT_THEORY = "management_theory", _("Channel management theory")
    CHANNEL_STRATEGY = "channel_strategy", _("Channel strategy")
    PRODUCT_KNOWLEDGE = "product_knowledge", _("Product knowledge")
    SALES_SKILLS = "sales_skills", _("Sales skills")
    MARKETING = "marketing", _("Marketing and promotion")
    AFTER_SALES = "after_sales", _("After-sales service")
    COOPERATION = "cooperation", _("Cooperation and communication")
    CASE_ANALYSIS = "case_analysis", _("Case analysis")
    COMPLIANCE = "compliance", _("Compliance and qualification")


class Delivery(models.TextChoices):
    ONLINE = "online", _("Online lesson")
    CLASSROOM = "classroom", _("Classroom")
    FIELD_VISIT = "field_visit", _("Field visit")
    ROLE_PLAY = "role_play", _("Role play")


class Course(TenantOwnedModel):
    """A course (课程) of the tenant's catalogue; published courses are shown to partners."""

    code = models.CharField(_("code"), max_length=40)
    title = models.CharField(pgettext_lazy("course", "title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=CourseKind.choices)
    delivery = models.CharField(_("delivery"), max_length=16, choices=Delivery.choices, default=Delivery.CLASSROOM)
    description = models.TextField(_("description"), blank=True)
    content = models.TextField(_("lesson text"), blank=True, help_text=_("What an online lesson shows."))
    video_url = models.URLField(_("video link"), blank=True)
    duration_hours = models.DecimalField(
        _("duration (hours)"), max_digits=5, decimal_places=1, default=2,
        validators=[MinValueValidator(0)],
    )
    is_published = models.BooleanField(
        pgettext_lazy("course", "published"), default=False,
        help_text=_("Published courses appear in the partners' catalogue."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["kind", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "code"], name="course_unique_code",
                violation_error_message=_("Another course already uses this code."),
            ),
        ]
        indexes = [models.Index(fields=["tenant", "is_published", "kind"])]

    def __str__(self) -> str:
        return f"{self.code} · {self.title}"

    def clean(self) -> None:
        self.code = (self.code or "").strip().upper()
        super().clean()


class CoursePrerequisite(TenantOwnedModel):
    """``course`` may be taken only after ``required`` was completed."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="prerequisite_links",
                               verbose_name=_("course"))
    required = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("required course"))

    class Meta:
        verbose_name = _("prerequisite")
        verbose_name_plural = _("prerequisites")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "course", "required"], name="courseprerequisite_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.course} ← {self.required}"

    def clean(self) -> None:
        super().clean()
        if self.course_id and self.course_id == self.required_id:
            raise ValidationError({"required": _("A course cannot require itself.")})


class Certification(TenantOwnedModel):
    """What a certificate certifies (认证), or an external licence (执业资格) tracked the same way."""

    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    validity_months = models.PositiveSmallIntegerField(
        _("valid for (months)"), default=24, validators=[MinValueValidator(1), MaxValueValidator(240)],
    )
    recertification_days = models.PositiveSmallIntegerField(
        _("recertification window (days)"), default=60,
        help_text=_("How many days before expiry the holder is reminded and may recertify."),
    )
    is_external = models.BooleanField(
        _("external qualification"), default=False,
        help_text=_("A licence obtained elsewhere (e.g. an insurance agent's 执业资格), uploaded and verified."),
    )

    class Meta:
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "code"], name="certification_unique_code",
                                    violation_error_message=_("Another certification already uses this code.")),
        ]

    def __str__(self) -> str:
        return self.name


class LearningPath(TenantOwnedModel):
    """Ordered courses leading to a certification: completing every step issues the certificate."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    certification = models.ForeignKey(
        Certification, on_delete=models.PROTECT, null=True, blank=True, related_name="paths",
        verbose_name=_("certification"),
    )

    class Meta:
        verbose_name = _("learning path")
        verbose_name_plural = _("learning paths")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["tenant", "name"], name="learningpath_unique_name")]

    def __str__(self) -> str:
        return self.name


class LearningPathStep(TenantOwnedModel):
    path = models.ForeignKey(LearningPath, on_delete=models.CASCADE, related_name="steps", verbose_name=_("path"))
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="+", verbose_name=_("course"))
    order = models.PositiveSmallIntegerField(_("order"), default=1)

    class Meta:
        verbose_name = _("learning path step")
        verbose_name_plural = _("learning path steps")
        ordering = ["path", "order"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "path", "course"], name="learningpathstep_unique_course"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.course}"
