"""Cooperation agreements (渠道合作协议, 第十二条 and 四.1–4.2): templates made of the required
clauses, agreements rendered from them, their versions, legal review and both parties' signatures.

An agreement's text is always one ``AgreementVersion``: the exact rendered text and its
SHA-256. Legal review comments are kept on the version they were made on; a signature records
the hash of the exact text signed, so a changed text can never carry an old signature (the
service voids them and sends the agreement back to draft).
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from channelhub.partners.models import Partner, PartnerType, Region
from channelhub.tenancy.models import TenantOwnedModel


def text_hash(text: str) -> str:
    """SHA-256 of the exact text (UTF-8), as hex: what a signature names."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class ClauseKind(models.TextChoices):
    OBJECTIVES = "objectives", _("Cooperation objectives and expected results")
    RIGHTS = "rights_obligations", _("Rights and obligations")
    PRICING = "pricing", _("Product pricing and discount")
    PROMOTION = "promotion", _("Sales and promotion responsibilities")
    TERRITORY = "territory", _("Territory")
    TERM = "term", _("Term")
    TERMINATION = "termination", _("Termination conditions and procedure")
    CONFIDENTIALITY = "confidentiality", _("Confidentiality")
    DISPUTES = "dispute_resolution", _("Dispute resolution")
    OTHER = "other", _("Other provisions")


# The clauses the source document requires of every agreement (四.1).
REQUIRED_CLAUSES: tuple[str, ...] = tuple(kind for kind in ClauseKind.values if kind != ClauseKind.OTHER)


class DisputeMethod(models.TextChoices):
    ARBITRATION = "arbitration", _("Arbitration")
    LITIGATION = "litigation", _("Litigation")


class TemplateStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("agreement template status", "Draft")
    PUBLISHED = "published", pgettext_lazy("agreement template status", "Published")
    RETIRED = "retired", pgettext_lazy("agreement template status", "Retired")


class AgreementTemplate(TenantOwnedModel):
    """A versioned agreement template: clauses with placeholders, chosen by partner type and region.

    Versions of one template share its ``code``; publishing a version retires the one
    published before it. Only drafts are edited.
    """

    code = models.SlugField(_("code"), max_length=64, help_text=_("Stable name shared by the template's versions."))
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    name = models.CharField(_("name"), max_length=200)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, default="zh-hans")
    partner_type = models.CharField(
        _("partner type"), max_length=32, choices=PartnerType.choices, blank=True,
        help_text=_("Chosen automatically for partners of this type; empty for every type."),
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("region"),
        help_text=_("Chosen automatically for partners in this region (and below); empty for every region."),
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), default=0, help_text=_("When several templates fit a partner, the highest priority wins."),
    )
    term_months = models.PositiveSmallIntegerField(
        _("term (months)"), default=12, validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    dispute_method = models.CharField(
        _("dispute resolution"), max_length=16, choices=DisputeMethod.choices, default=DisputeMethod.ARBITRATION,
    )
    dispute_venue = models.CharField(
        _("venue"), max_length=200, blank=True,
        help_text=_("The arbitration commission or the court named in the agreement."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=TemplateStatus.choices, default=TemplateStatus.DRAFT, editable=False,
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("agreement template")
        verbose_name_plural = _("agreement templates")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "code", "version"], name="coop_template_unique_version"),
        ]
        indexes = [models.Index(fields=["tenant", "status", "partner_type"])]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class TemplateClause(TenantOwnedModel):
    """One clause of a template; its text may use placeholders such as ``{{partner.legal_name}}``."""

    template = models.ForeignKey(AgreementTemplate, on_delete=models.CASCADE, related_name="clauses",
                                 verbose_name=_("template"))
    kind = models.CharField(_("kind"), max_length=32, choices=ClauseKind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("clause")
        verbose_name_plural = _("clauses")
        ordering = ["template", "order", "pk"]
        indexes = [models.Index(fields=["tenant", "template", "order"])]

    def __str__(self) -> str:
        return self.title


class AgreementState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("agreement state", "Draft")
    LEGAL_REVIEW = "legal_review", pgettext_lazy("agreement state", "In legal review")
    SENT = "sent", pgettext_lazy("agreement state", "Sent to partner")
    PARTNER_SIGNED = "partner_signed", pgettext_lazy("agreement state", "Signed by partner")
    ACTIVE = "active", pgettext_lazy("agreement state", "Active")
    EXPIRING = "expiring", pgettext_lazy("agreement state", "Expiring")
    RENEWED = "renewed", pgettext_lazy("agreement state", "Renewed")
    EXPIRED = "expired", pgettext_lazy("agreement state", "Expired")
    TERMINATED = "terminated", pgettext_lazy("agreement state", "Terminated")


# States in which the agreement binds both parties (signed by both).
IN_FORCE = frozenset({AgreementState.ACTIVE, AgreementState.EXPIRING})
# Signed by the partner at least: the portal gate lets such a partner in.
PARTNER_HAS_SIGNED = frozenset({
    AgreementState.PARTNER_SIGNED, AgreementState.ACTIVE, AgreementState.EXPIRING, AgreementState.RENEWED,
    AgreementState.EXPIRED,
})
FINAL = frozenset({AgreementState.RENEWED, AgreementState.EXPIRED, AgreementState.TERMINATED})


class Agreement(TenantOwnedModel):
    """One partner's cooperation agreement, rendered from a template and signed by both parties."""

    number = models.CharField(_("number"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="agreements",
                                verbose_name=_("partner"))
    template = models.ForeignKey(AgreementTemplate, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="agreements", verbose_name=_("template"))
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, default="zh-hans")
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    discount = models.DecimalField(
        _("discount (%)"), max_digits=5, decimal_places=2, default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    territory = models.CharField(_("territory"), max_length=300, blank=True)
    state = models.CharField(_("state"), max_length=16, choices=AgreementState.choices, default=AgreementState.DRAFT,
                             editable=False, db_index=True)
    state_changed_at = models.DateTimeField(_("state changed at"), default=timezone.now, editable=False)
    current_version = models.ForeignKey("AgreementVersion", on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="+", editable=False, verbose_name=_("current version"))
    renewal_of = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="renewals", editable=False, verbose_name=_("renewal of"))
    terminated_on = models.DateField(_("terminated on"), null=True, blank=True, editable=False)
    termination_reason = models.TextField(_("termination reason"), blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", editable=False, verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("cooperation agreement")
        verbose_name_plural = _("cooperation agreements")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["tenant", "number"], name="coop_agreement_unique_number")]
        indexes = [
            models.Index(fields=["tenant", "state", "end_date"]),
            models.Index(fields=["tenant", "partner", "state"]),
        ]

    def __str__(self) -> str:
        return f"{self.number} · {self.partner}"

    @property
    def text(self) -> str:
        return self.current_version.text if self.current_version_id else ""

    @property
    def content_hash(self) -> str:
        return self.current_version.content_hash if self.current_version_id else ""


class AgreementVersion(TenantOwnedModel):
    """The exact text of an agreement at one time, with its hash; earlier versions are kept."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="versions",
                                  verbose_name=_("agreement"))
    number = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("text"))
    content_hash = models.CharField(_("SHA-256"), max_length=64, editable=False)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("agreement version")
        verbose_name_plural = _("agreement versions")
        ordering = ["agreement", "number"]
        constraints = [models.UniqueConstraint(fields=["tenant", "agreement", "number"],
                                               name="coop_version_unique_number")]

    def __str__(self) -> str:
        return f"{self.agreement.number} v{self.number}"

    def save(self, *args, **kwargs) -> None:
        self.content_hash = text_hash(self.text)
        super().save(*args, **kwargs)


class ReviewDecision(models.TextChoices):
    APPROVE = "approve", _("Approved")
    RETURN = "return", _("Returned with comments")


class LegalReview(TenantOwnedModel):
    """Legal's decision on one version of an agreement (法务审查), with its comments."""

    version = models.ForeignKey(AgreementVersion, on_delete=models.CASCADE, related_name="reviews",
                                verbose_name=_("version"))
    decision = models.CharField(_("decision"), max_length=16, choices=ReviewDecision.choices)
    comment = models.TextField(_("comment"), blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("reviewer"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("legal review")
        verbose_name_plural = _("legal reviews")
        ordering = ["version", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.version} · {self.get_decision_display()}"


class SignatureParty(models.TextChoices):
    PARTNER = "partner", _("Partner")
    TENANT = "tenant", _("Vendor")


class Signature(TenantOwnedModel):
    """One party's signature of one version: who, as what, when, from where, and the hash signed."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="signatures",
                                  verbose_name=_("agreement"))
    version = models.ForeignKey(AgreementVersion, on_delete=models.PROTECT, related_name="signatures",
                                verbose_name=_("version"))
    party = models.CharField(_("party"), max_length=16, choices=SignatureParty.choices)
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("signer"))
    signer_name = models.CharField(_("name"), max_length=100)
    signer_title = models.CharField(pgettext_lazy("person", "title"), max_length=100)
    signed_at = models.DateTimeField(_("signed at"), default=timezone.now)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    content_hash = models.CharField(_("SHA-256 signed"), max_length=64)
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    void_reason = models.CharField(_("why voided"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["agreement", "signed_at", "pk"]
        constraints = [
            # One valid signature per party and version: a second countersignature cannot land.
            models.UniqueConstraint(fields=["tenant", "version", "party"], condition=models.Q(voided_at__isnull=True),
                                    name="coop_signature_one_per_party"),
        ]

    def __str__(self) -> str:
        return f"{self.signer_name} ({self.get_party_display()})"

    @property
    def is_valid(self) -> bool:
        return self.voided_at is None


class AgreementReminder(TenantOwnedModel):
    """A reminder sent about an agreement (once per agreement, kind and key: jobs re-run safely)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="reminders",
                                  verbose_name=_("agreement"))
    kind = models.CharField(_("kind"), max_length=32)
    key = models.CharField(_("key"), max_length=40)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("agreement reminder")
        verbose_name_plural = _("agreement reminders")
        constraints = [models.UniqueConstraint(fields=["tenant", "agreement", "kind", "key"],
                                               name="coop_reminder_once")]

    def __str__(self) -> str:
        return f"{self.agreement} · {self.kind} {self.key}"


class CooperationSettings(TenantOwnedModel):
    """The tenant's cooperation settings (one row per tenant)."""

    require_signed_agreement = models.BooleanField(
        _("partners sign their first agreement before using the portal"), default=False,
        help_text=_("Until then, a partner's portal opens on its agreements only."),
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("remind before expiry (days)"), default=30, validators=[MinValueValidator(1), MaxValueValidator(365)],
    )

    class Meta:
        verbose_name = _("cooperation settings")
        verbose_name_plural = _("cooperation settings")
        constraints = [models.UniqueConstraint(fields=["tenant"], name="coop_settings_one_per_tenant")]

    def __str__(self) -> str:
        return str(_("Cooperation settings"))
