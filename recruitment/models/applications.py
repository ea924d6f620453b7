"""Applications from the public form or the API, with regions, documents, messages and tracking links."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from channelhub.partners.models import Partner, PartnerType, Region
from channelhub.partners.validators import normalise_credit_code, validate_credit_code
from channelhub.tenancy.models import TenantOwnedBase, TenantOwnedModel

from ..storage import private_storage
from .plans import Campaign, RecruitmentPlan
from .setup import ApprovalStep, ScorecardTemplate


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
    sender = models.CharField(pgettext_lazy("message", "from"), max_length=16, choices=MessageSender.choices)
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
