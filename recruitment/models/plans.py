"""Recruitment plans with their targets, and campaigns by source (第九条)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from channelhub.partners.models import Partner, PartnerType, Region
from channelhub.tenancy.models import TenantOwnedModel
from channelhub.tenancy.roles import Role

STAFF_ROLE_CHOICES = [
    (role.value, role.label)
    for role in (Role.OWNER, Role.CHANNEL_MANAGER, Role.TRAINER, Role.LEGAL, Role.FINANCE)
]


# --------------------------------------------------------------------------- plans


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


class RecruitmentPlan(TenantOwnedModel):
    """A recruitment plan (渠道拓展计划): how many new partners, where, by when, for what budget."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("owner"),
    )
    budget = models.DecimalField(
        _("budget (CNY)"), max_digits=14, decimal_places=2, default=0,
        validators=[MinValueValidator(0)],
    )
    status = models.CharField(
        _("status"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT,
        editable=False, db_index=True,
    )
    status_changed_at = models.DateTimeField(_("status changed at"), default=timezone.now, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("recruitment plan")
        verbose_name_plural = _("recruitment plans")
        ordering = ["-start_date", "name"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "name"], name="recruitmentplan_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The plan cannot end before it starts.")})
        if self.owner_id is not None:
            _check_staff_user(self.owner_id, "owner")


def _check_staff_user(user_id: int, field: str) -> None:
    from channelhub.tenancy.selectors import is_tenant_staff

    if not is_tenant_staff(user_id):
        raise ValidationError({field: _("Choose a member of this tenant's staff.")})


class RecruitmentTarget(TenantOwnedModel):
    """How many new partners of one type the plan wants in one region (and below it)."""

    plan = models.ForeignKey(
        RecruitmentPlan, on_delete=models.CASCADE, related_name="targets", verbose_name=_("plan")
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    partner_type = models.CharField(_("partner type"), max_length=32, choices=PartnerType.choices)
    target_count = models.PositiveIntegerField(_("target number of partners"), validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("recruitment target")
        verbose_name_plural = _("recruitment targets")
        ordering = ["plan", "region__path", "partner_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "plan", "region", "partner_type"], name="recruitmenttarget_unique_cell",
                violation_error_message=_("The plan already has a target for this region and partner type."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region} · {self.get_partner_type_display()} · {self.target_count}"


# --------------------------------------------------------------------------- campaigns


class CampaignSource(models.TextChoices):
    ADVERTISING = "advertising", _("Advertising")
    MEDIA = "media", _("Media promotion")
    EXHIBITION = "exhibition", _("Exhibition / trade show")
    REFERRAL = "referral", _("Referral by a partner")
    WEBSITE = "website", _("Website")
    OTHER = "other", _("Other")


class CampaignStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")
    CANCELLED = "cancelled", _("Cancelled")


class Campaign(TenantOwnedModel):
    """A recruitment campaign (招募活动) under a plan; its code tags the applications it brings."""

    plan = models.ForeignKey(
        RecruitmentPlan, on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("plan")
    )
    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(
        _("code"), max_length=40,
        help_text=_("Tags the applications it brings, e.g. ?c=EXPO2026 on the application form."),
    )
    source = models.CharField(_("source"), max_length=16, choices=CampaignSource.choices)
    referrer = models.ForeignKey(
        Partner, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("referring partner"),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    cost = models.DecimalField(
        _("cost (CNY)"), max_digits=14, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    status = models.CharField(
        _("status"), max_length=16, choices=CampaignStatus.choices, default=CampaignStatus.PLANNED,
        editable=False, db_index=True,
    )
    status_changed_at = models.DateTimeField(_("status changed at"), default=timezone.now, editable=False)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-start_date", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "code"], name="campaign_unique_code",
                violation_error_message=_("Another campaign already uses this code."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def clean(self) -> None:
        self.code = (self.code or "").strip().upper()
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The campaign cannot end before it starts.")})
        if self.source == CampaignSource.REFERRAL and self.referrer_id is None:
            raise ValidationError({"referrer": _("A referral campaign names the referring partner.")})
        if self.source != CampaignSource.REFERRAL and self.referrer_id is not None:
            raise ValidationError({"referrer": _("Only referral campaigns have a referring partner.")})


# --------------------------------------------------------------------------- criteria and templates
