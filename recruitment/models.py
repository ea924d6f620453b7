"""Recruitment (渠道招募): plans, campaigns, applications, scored evaluation, approval, onboarding.

Chapter 2 of the source document: a recruitment plan (渠道拓展计划) with targets, campaigns
by advertising, media and exhibitions (第九条), explicit criteria and standards (第十条), a
strict approval chain (第十一条) and, once approved, onboarding towards the cooperation
agreement (第十二条).

Every state machine has its transition table in ``recruitment/workflow.py``.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from decimal import Decimal
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from channelhub.partners.models import Partner, PartnerType, Region
from channelhub.partners.validators import normalise_credit_code, validate_credit_code
from channelhub.tenancy.models import TenantOwnedBase, TenantOwnedModel
from channelhub.tenancy.roles import Role

from .storage import private_storage

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


class ApplicationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    SCREENING = "screening", _("Screening")
    SCORING = "scoring", _("Scoring")
    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_STATES = frozenset(
    {
        ApplicationState.DRAFT, ApplicationState.SUBMITTED, ApplicationState.SCREENING,
        ApplicationState.SCORING, ApplicationState.IN_REVIEW,
    }
)
FINAL_STATES = frozenset({ApplicationState.APPROVED, ApplicationState.REJECTED, ApplicationState.WITHDRAWN})


class ApplicationSource(models.TextChoices):
    PUBLIC_FORM = "public_form", _("Public application form")
    API = "api", _("Integration (API)")
    STAFF = "staff", _("Entered by staff")
    IMPORT = "import", _("Import")


def _new_tracking_token() -> str:
    """A new raw tracking token (also referenced by migration 0001)."""
    return secrets.token_urlsafe(32)


def hash_tracking_token(raw: str) -> str:
    """What is stored of a tracking token (like an API key): its SHA-256, never the token."""
    return hashlib.sha256(raw.encode()).hexdigest()


class Application(TenantOwnedModel):
    """A company's application to become a partner (入驻申请)."""

    # Company
    legal_name = models.CharField(_("legal name"), max_length=200)
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, validators=[validate_credit_code],
        help_text=_("统一社会信用代码: 18 characters with a GB 32100 check character."),
    )
    registered_capital = models.DecimalField(
        _("registered capital (CNY 10k)"), max_digits=14, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0)],
    )
    founding_year = models.PositiveSmallIntegerField(
        _("founding year"), null=True, blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    staff_count = models.PositiveIntegerField(_("staff count"), null=True, blank=True)
    website = models.URLField(_("website"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    partner_type = models.CharField(_("partner type wanted"), max_length=32, choices=PartnerType.choices)
    regions = models.ManyToManyField(
        Region, through="ApplicationRegion", related_name="+", verbose_name=_("regions wanted"), blank=True
    )
    experience = models.TextField(_("experience"), blank=True)
    brands_carried = models.TextField(_("brands carried"), blank=True)
    references = models.TextField(_("references"), blank=True)
    # Contact person
    contact_name = models.CharField(_("contact name"), max_length=100)
    contact_title = models.CharField(_("contact title"), max_length=100, blank=True)
    contact_email = models.EmailField(_("contact email"))
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    language = models.CharField(
        _("applicant's language"), max_length=10, choices=settings.LANGUAGES, default="zh-hans",
        help_text=_("Notifications to the applicant are written in this language."),
    )
    # Where it came from
    plan = models.ForeignKey(
        RecruitmentPlan, on_delete=models.PROTECT, null=True, blank=True, related_name="applications",
        verbose_name=_("plan"),
    )
    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, null=True, blank=True, related_name="applications",
        verbose_name=_("campaign"),
    )
    source = models.CharField(
        _("received via"), max_length=16, choices=ApplicationSource.choices, default=ApplicationSource.STAFF
    )
    # The applicant's tracking token is a credential (it withdraws the application): only its
    # hash is stored, in ``ApplicationTrackingToken``. ``tracking_token`` holds the raw token of
    # a new application in memory only, for the thank-you page right after it was sent.
    tracking_token: str | None = None
    # Workflow
    state = models.CharField(
        _("state"), max_length=16, choices=ApplicationState.choices, default=ApplicationState.DRAFT,
        editable=False, db_index=True,
    )
    state_changed_at = models.DateTimeField(_("state changed at"), default=timezone.now, editable=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    qualified_at = models.DateTimeField(
        _("qualified at"), null=True, blank=True, editable=False,
        help_text=_("When it passed screening (first entered scoring)."),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)
    current_step = models.ForeignKey(
        ApprovalStep, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False,
        verbose_name=_("current approval step"),
    )
    scorecard_template = models.ForeignKey(
        ScorecardTemplate, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        editable=False, verbose_name=_("scorecard template"),
    )
    # Duplicate detection (see services.application_check_duplicates)
    normalised_name = models.CharField(max_length=200, editable=False, db_index=True, blank=True)
    duplicate_flags = models.JSONField(_("possible duplicates"), default=list, blank=True, editable=False)
    has_duplicates = models.BooleanField(_("possible duplicate"), default=False, editable=False, db_index=True)
    # Outcome
    # The partner this application became (one application per partner: see the constraint).
    partner = models.ForeignKey(
        Partner, on_delete=models.SET_NULL, null=True, blank=True, related_name="applications",
        editable=False, verbose_name=_("partner"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("partner application")
        verbose_name_plural = _("partner applications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "partner"], name="application_unique_partner",
                condition=models.Q(partner__isnull=False),
            ),
        ]
        indexes = [
            models.Index(fields=["tenant", "state", "partner_type"]),
            models.Index(fields=["tenant", "credit_code"]),
        ]

    def __str__(self) -> str:
        return self.legal_name

    def clean(self) -> None:
        self.credit_code = normalise_credit_code(self.credit_code)
        self.contact_email = (self.contact_email or "").strip()
        super().clean()
        if self.campaign_id is not None:
            campaign_plan = Campaign.all_tenants.filter(pk=self.campaign_id).values_list("plan_id", flat=True).first()
            if self.plan_id is None:
                self.plan_id = campaign_plan
            elif campaign_plan is not None and campaign_plan != self.plan_id:
                raise ValidationError({"campaign": _("The campaign belongs to another plan.")})

    def save(self, *args, **kwargs) -> None:
        # An application from a campaign counts for the campaign's plan, however it was created.
        if self.campaign_id is not None and self.plan_id is None:
            self.plan_id = Campaign.all_tenants.filter(pk=self.campaign_id).values_list("plan_id", flat=True).first()
        adding = self._state.adding
        super().save(*args, **kwargs)
        if adding:
            self.tracking_token = ApplicationTrackingToken.issue(application=self)

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class ApplicationTrackingToken(TenantOwnedBase):
    """A tracking link handed to the applicant, stored as the SHA-256 of the token only.

    Every e-mail to the applicant carries a fresh token (the raw one cannot be read back), and
    every token issued stays valid, so links already sent keep working. Staff never see them.
    """

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="tracking_tokens", verbose_name=_("application")
    )
    token_hash = models.CharField(_("token hash"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("tracking link")
        verbose_name_plural = _("tracking links")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "token_hash"], name="applicationtrackingtoken_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} · {self.created_at:%Y-%m-%d}"

    @classmethod
    def issue(cls, *, application: Application) -> str:
        """Store a new token's hash for ``application``; return the raw token (shown once)."""
        raw = _new_tracking_token()
        cls.objects.create(
            tenant_id=application.tenant_id, application=application, token_hash=hash_tracking_token(raw)
        )
        return raw


class ApplicationRegion(TenantOwnedBase):
    """A region the applicant wants to cover (the M2M row carries the tenant like every table)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="region_links", verbose_name=_("application")
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))

    class Meta:
        verbose_name = _("region wanted")
        verbose_name_plural = _("regions wanted")
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "application", "region"], name="applicationregion_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} · {self.region_id}"


class DocumentKind(models.TextChoices):
    BUSINESS_LICENCE = "business_licence", _("Business licence")
    QUALIFICATION = "qualification", _("Qualification certificate")
    OTHER = "other", _("Other")


def document_upload_to(instance: ApplicationDocument, filename: str) -> str:
    """A random name under the tenant's folder: the original name is kept only as data."""
    suffix = PurePath(filename).suffix.lower()[:8]
    return f"recruitment/{instance.tenant_id}/{uuid.uuid4().hex}{suffix}"


class ApplicationDocument(TenantOwnedModel):
    """A document the applicant uploaded (licence, certificate). Stored privately, never under MEDIA_URL."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="documents", verbose_name=_("application")
    )
    # Set when the application becomes a partner: the documents follow the partner.
    partner = models.ForeignKey(
        Partner, on_delete=models.SET_NULL, null=True, blank=True, related_name="recruitment_documents",
        editable=False, verbose_name=_("partner"),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=DocumentKind.choices)
    file = models.FileField(_("file"), upload_to=document_upload_to, storage=private_storage, max_length=200)
    original_name = models.CharField(_("original file name"), max_length=200, editable=False)
    content_type = models.CharField(_("content type"), max_length=64, editable=False)
    size = models.PositiveIntegerField(_("size (bytes)"), editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        editable=False, verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("application document")
        verbose_name_plural = _("application documents")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class MessageSender(models.TextChoices):
    REVIEWER = "reviewer", _("Reviewer")
    APPLICANT = "applicant", _("Applicant")


class ApplicationMessage(TenantOwnedModel):
    """The Q&A thread between reviewers and the applicant (seen on the tracking page)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="messages", verbose_name=_("application")
    )
    sender = models.CharField(_("from"), max_length=16, choices=MessageSender.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("author"),
    )
    body = models.TextField(_("message"))
    reply_to = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replies",
        verbose_name=_("in reply to"),
    )
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("application message")
        verbose_name_plural = _("application messages")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.body[:60]


# --------------------------------------------------------------------------- scoring


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


class OnboardingTaskTemplate(TenantOwnedModel):
    """An item of the tenant's onboarding checklist (上线清单), copied to every new partner."""

    key = models.SlugField(
        _("key"), max_length=64,
        help_text=_("Stable name other modules use to tick the item (e.g. sign_agreement)."),
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    partner_type = models.CharField(
        _("partner type"), max_length=32, choices=PartnerType.choices, blank=True,
        help_text=_("Leave empty for every partner type."),
    )
    required = models.BooleanField(_("required for activation"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("onboarding task template")
        verbose_name_plural = _("onboarding task templates")
        ordering = ["order", "key"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "key"], name="onboardingtasktemplate_unique_key"),
        ]

    def __str__(self) -> str:
        return self.name


class OnboardingTask(TenantOwnedModel):
    """One checklist item of one onboarding partner."""

    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="onboarding_tasks", verbose_name=_("partner")
    )
    application = models.ForeignKey(
        Application, on_delete=models.SET_NULL, null=True, blank=True, related_name="onboarding_tasks",
        verbose_name=_("application"),
    )
    key = models.SlugField(_("key"), max_length=64)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    required = models.BooleanField(_("required for activation"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True, editable=False)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        editable=False, verbose_name=_("done by"),
    )
    done_source = models.CharField(_("ticked by"), max_length=64, blank=True, editable=False)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("onboarding task")
        verbose_name_plural = _("onboarding tasks")
        ordering = ["partner", "order", "key"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "partner", "key"], name="onboardingtask_unique_key"),
        ]

    def __str__(self) -> str:
        return f"{self.partner} · {self.name}"

    @property
    def is_done(self) -> bool:
        return self.done_at is not None
