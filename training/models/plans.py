"""Needs, plans, sessions, enrolments and feedback (第十三条, 第十四条, 第十六条, 第十七条)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from channelhub import tiers
from channelhub.partners.models import Partner, PartnerType, Region
from channelhub.tenancy.models import TenantOwnedModel

from .catalog import Course


class PlanState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("training plan state", "Draft")
    PUBLISHED = "published", pgettext_lazy("training plan state", "Published")
    CLOSED = "closed", pgettext_lazy("training plan state", "Closed")


def _partner_types_valid(value) -> None:
    if not isinstance(value, list) or any(item not in PartnerType.values for item in value):
        raise ValidationError(_("Choose partner types from the list."))


def _codes_valid(value) -> None:
    if not isinstance(value, list) or any(not isinstance(item, str) for item in value):
        raise ValidationError(_("Choose tiers from the list."))


class TrainingPlan(TenantOwnedModel):
    """A training plan (培训计划): goals, audience, period and schedule of sessions."""

    name = models.CharField(_("name"), max_length=200)
    goals = models.TextField(_("goals"), blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    # The audience: partner types, tiers, regions and named partners (PlanAudience), and/or own staff.
    partner_types = models.JSONField(_("partner types"), default=list, blank=True, validators=[_partner_types_valid])
    # Tier codes of the platform's tier contract (channelhub.tiers; evaluation keeps the tiers).
    tiers = models.JSONField(_("tiers"), default=list, blank=True, validators=[_codes_valid])
    include_channel_staff = models.BooleanField(
        _("own channel staff"), default=False,
        help_text=_("The tenant's own sales managers, channel managers and supervisors take part."),
    )
    self_enrolment = models.BooleanField(
        _("self-enrolment allowed"), default=False,
        help_text=_("Partner staff may enrol themselves in the plan's sessions."),
    )
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("owner"))
    state = models.CharField(_("state"), max_length=16, choices=PlanState.choices, default=PlanState.DRAFT,
                             editable=False, db_index=True)
    state_changed_at = models.DateTimeField(_("state changed at"), default=timezone.now, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("training plan")
        verbose_name_plural = _("training plans")
        ordering = ["-starts_on", "name"]
        constraints = [models.UniqueConstraint(fields=["tenant", "name"], name="trainingplan_unique_name")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The plan cannot end before it starts.")})
        unknown = set(self.tiers or ()) - {code for code, _label in tiers.choices()}
        if unknown:
            raise ValidationError({"tiers": _("Choose tiers from the list.")})


class PlanAudience(TenantOwnedModel):
    """One region (with the regions below it) or one named partner in a plan's audience."""

    plan = models.ForeignKey(TrainingPlan, on_delete=models.CASCADE, related_name="audience",
                             verbose_name=_("plan"))
    region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("region"))
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
                                verbose_name=_("partner"))

    class Meta:
        verbose_name = _("plan audience")
        verbose_name_plural = _("plan audience")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(region__isnull=True, partner__isnull=False)
                           | models.Q(region__isnull=False, partner__isnull=True)),
                name="planaudience_region_xor_partner",
            ),
        ]

    def __str__(self) -> str:
        return str(self.partner or self.region)

    def clean(self) -> None:
        super().clean()
        if (self.region_id is None) == (self.partner_id is None):
            raise ValidationError(_("Name either a region or a partner."))


class SessionFormat(models.TextChoices):
    ON_SITE = "on_site", _("On-site session")
    ONLINE = "online", _("Online lesson")


class Session(TenantOwnedModel):
    """A session of a course (集中培训 or 线上学习): place or link, instructor, time, capacity."""

    plan = models.ForeignKey(TrainingPlan, on_delete=models.CASCADE, null=True, blank=True,
                             related_name="sessions", verbose_name=_("plan"))
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("course"))
    title = models.CharField(pgettext_lazy("training session", "title"), max_length=200)
    format = models.CharField(_("format"), max_length=16, choices=SessionFormat.choices,
                              default=SessionFormat.ON_SITE)
    location = models.CharField(_("place"), max_length=300, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    instructor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("instructor"))
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveIntegerField(_("capacity"), default=30, validators=[MinValueValidator(1)])
    is_cancelled = models.BooleanField(_("cancelled"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["tenant", "starts_at"]), models.Index(fields=["tenant", "plan"])]

    def __str__(self) -> str:
        return f"{self.title} ({timezone.localtime(self.starts_at):%Y-%m-%d})" if self.starts_at else self.title

    def clean(self) -> None:
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The session must end after it starts.")})
        if self.format == SessionFormat.ONLINE and not self.online_url:
            raise ValidationError({"online_url": _("An online lesson needs its link.")})
        if self.format == SessionFormat.ON_SITE and not self.location:
            raise ValidationError({"location": _("An on-site session needs its place.")})


class EnrolmentState(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    WAITLISTED = "waitlisted", _("Wait-listed")
    CANCELLED = "cancelled", pgettext_lazy("enrolment state", "Cancelled")
    ATTENDED = "attended", _("Attended")
    ABSENT = "absent", _("Absent")


# States that hold a seat of the session.
SEATED = (EnrolmentState.ENROLLED, EnrolmentState.ATTENDED, EnrolmentState.ABSENT)


class Enrolment(TenantOwnedModel):
    """A trainee (a partner's staff member or the tenant's own staff) in one session."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="enrolments",
                                verbose_name=_("session"))
    trainee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("trainee"))
    # The trainee's partner when they are partner staff; empty for the tenant's own staff.
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="training_enrolments", verbose_name=_("partner"))
    state = models.CharField(_("state"), max_length=16, choices=EnrolmentState.choices,
                             default=EnrolmentState.ENROLLED, editable=False, db_index=True)
    waitlist_position = models.PositiveIntegerField(_("waiting-list position"), null=True, blank=True,
                                                    editable=False)
    enrolled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", editable=False, verbose_name=_("enrolled by"))
    created_at = models.DateTimeField(_("enrolled at"), default=timezone.now, editable=False)
    state_changed_at = models.DateTimeField(_("state changed at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["session", "state", "waitlist_position", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "session", "trainee"], name="enrolment_unique_trainee"),
        ]
        indexes = [models.Index(fields=["tenant", "partner", "state"]),
                   models.Index(fields=["tenant", "trainee", "state"])]

    def __str__(self) -> str:
        return f"{self.trainee} · {self.session}"


class SessionFeedback(TenantOwnedModel):
    """A trainee's satisfaction with a session (满意度), one per enrolment."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="feedback",
                                  verbose_name=_("enrolment"))
    rating = models.PositiveSmallIntegerField(_("rating (1–5)"),
                                              validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("session feedback")
        verbose_name_plural = _("session feedback")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "enrolment"], name="sessionfeedback_one_per_enrolment"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment}: {self.rating}"


SKILL_LEVEL_MAX = 5


class TrainingNeed(TenantOwnedModel):
    """A partner's training needs survey (培训需求), filled in by its partner admin, assessed by the manager."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="training_needs",
                                verbose_name=_("partner"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", editable=False, verbose_name=_("submitted by"))
    # Course kinds wanted, e.g. ["product_knowledge", "sales_skills"].
    topics = models.JSONField(_("topics wanted"), default=list, blank=True)
    sales_staff = models.PositiveIntegerField(_("sales staff"), default=0)
    service_staff = models.PositiveIntegerField(_("service staff"), default=0)
    managers = models.PositiveIntegerField(_("managers"), default=0)
    # Self-assessed level per course kind, 1 (beginner) to 5 (expert).
    skill_levels = models.JSONField(_("self-assessed skill levels"), default=dict, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    manager_assessment = models.TextField(_("manager's assessment"), blank=True)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", editable=False, verbose_name=_("assessed by"))
    assessed_at = models.DateTimeField(_("assessed at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("submitted at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("training needs survey")
        verbose_name_plural = _("training needs surveys")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["tenant", "partner", "created_at"])]

    def __str__(self) -> str:
        return f"{self.partner} · {timezone.localtime(self.created_at):%Y-%m-%d}" if self.created_at else str(
            self.partner_id)

    def clean(self) -> None:
        from .catalog import CourseKind

        super().clean()
        if not isinstance(self.topics, list) or any(t not in CourseKind.values for t in self.topics):
            raise ValidationError({"topics": _("Choose topics from the list of course kinds.")})
        levels = self.skill_levels
        if not isinstance(levels, dict) or any(
            key not in CourseKind.values or not isinstance(value, int) or not 1 <= value <= SKILL_LEVEL_MAX
            for key, value in levels.items()
        ):
            raise ValidationError({"skill_levels": _("Give each skill a level from 1 to 5.")})
