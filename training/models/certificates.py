"""Completions, certificates, external qualifications and what a partner type requires (认证 / 资格)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from channelhub import tiers as tier_contract
from channelhub.eligibility import requirement_choices
from channelhub.partners.models import Partner, PartnerType
from channelhub.tenancy.models import TenantOwnedBase, TenantOwnedModel
from channelhub.uploads import PrivateStorage, validate_document_file

from .catalog import Certification, Course


class CourseCompletion(TenantOwnedModel):
    """A trainee completed a course: passed its final assessment, or attended when it has none."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="completions", verbose_name=_("course"))
    trainee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("trainee"))
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="course_completions", verbose_name=_("partner"))
    completed_at = models.DateTimeField(_("completed at"), default=timezone.now)
    source = models.CharField(_("how"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("course completion")
        verbose_name_plural = _("course completions")
        ordering = ["-completed_at"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "course", "trainee"], name="coursecompletion_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.trainee} · {self.course}"


def new_verification_code() -> str:
    return secrets.token_hex(8).upper()


class Certificate(TenantOwnedModel):
    """A numbered certificate held by one person; valid until it expires or is revoked."""

    certification = models.ForeignKey(Certification, on_delete=models.PROTECT, related_name="certificates",
                                      verbose_name=_("certification"))
    holder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("holder"))
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="training_certificates", verbose_name=_("partner"))
    number = models.CharField(_("number"), max_length=40, editable=False)
    issued_on = models.DateField(_("issued on"), default=timezone.localdate)
    expires_on = models.DateField(_("expires on"))
    verification_code = models.CharField(_("verification code"), max_length=32, default=new_verification_code,
                                         editable=False)
    is_external = models.BooleanField(_("external qualification"), default=False, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    revoke_reason = models.TextField(_("reason for revocation"), blank=True, editable=False)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "number"], name="certificate_unique_number"),
            models.UniqueConstraint(fields=["tenant", "verification_code"], name="certificate_unique_code"),
        ]
        indexes = [models.Index(fields=["tenant", "partner", "certification", "expires_on"]),
                   models.Index(fields=["tenant", "holder", "certification"]),
                   models.Index(fields=["tenant", "expires_on"])]

    def __str__(self) -> str:
        return self.number

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def is_valid_on(self, day) -> bool:
        return not self.is_revoked and self.issued_on <= day <= self.expires_on

    @property
    def status(self) -> str:
        if self.is_revoked:
            return "revoked"
        today = timezone.localdate()
        if self.expires_on < today:
            return "expired"
        window = self.certification.recertification_days
        if (self.expires_on - today).days <= window:
            return "expiring"
        return "valid"

    def get_status_display(self) -> str:
        return str(CERTIFICATE_STATUS_LABELS[self.status])


CERTIFICATE_STATUS_LABELS = {
    "valid": _("Valid"),
    "expiring": _("Expiring soon"),
    "expired": _("Expired"),
    "revoked": _("Revoked"),
}


@deconstructible(path="training.models.QualificationStorage")
class QualificationStorage(PrivateStorage):
    """Uploaded licences live under ``PRIVATE_MEDIA_ROOT``/training/ (served by an access-checking view)."""


def qualification_upload_to(instance, filename: str) -> str:
    return f"training/qualifications/{instance.tenant_id}/{secrets.token_hex(8)}-{filename[-60:]}"


class QualificationState(models.TextChoices):
    PENDING = "pending", _("Awaiting verification")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")


class Qualification(TenantOwnedModel):
    """An external qualification (执业资格) obtained elsewhere: uploaded, then verified by a manager.

    Verifying it issues a certificate of its (external) certification, so requirements and
    eligibility count it exactly like a certificate earned here.
    """

    certification = models.ForeignKey(Certification, on_delete=models.PROTECT, related_name="qualifications",
                                      verbose_name=_("qualification"))
    holder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("holder"))
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="training_qualifications", verbose_name=_("partner"))
    licence_number = models.CharField(_("licence number"), max_length=60)
    issuer = models.CharField(_("issued by"), max_length=200, blank=True)
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("expires on"))
    document = models.FileField(_("document"), storage=QualificationStorage(), upload_to=qualification_upload_to,
                                blank=True, max_length=300)
    state = models.CharField(_("state"), max_length=16, choices=QualificationState.choices,
                             default=QualificationState.PENDING, editable=False, db_index=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", editable=False, verbose_name=_("verified by"))
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True, editable=False)
    certificate = models.ForeignKey(Certificate, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="qualifications", editable=False, verbose_name=_("certificate"))
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("external qualification")
        verbose_name_plural = _("external qualifications")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "certification", "licence_number"],
                                    name="qualification_unique_licence"),
        ]

    def __str__(self) -> str:
        return f"{self.certification} · {self.licence_number}"

    def clean(self) -> None:
        super().clean()
        if self.issued_on and self.expires_on and self.expires_on < self.issued_on:
            raise ValidationError({"expires_on": _("It cannot expire before it was issued.")})
        if self.document and not getattr(self.document, "_committed", True):
            try:
                validate_document_file(self.document)
            except ValidationError as error:
                raise ValidationError({"document": error.messages}) from error


class QualificationRequirement(TenantOwnedModel):
    """What a partner type (optionally only at one tier) must hold: ``min_staff`` people with a valid
    ``certification`` (for ``purpose``)."""

    partner_type = models.CharField(_("partner type"), max_length=32, choices=PartnerType.choices)
    # A tier code of the platform's tier contract (channelhub.tiers); empty: whatever the tier.
    tier = models.CharField(_("tier"), max_length=32, blank=True, default="",
                            help_text=_("Only partners of this tier must meet it; empty for every tier."))
    certification = models.ForeignKey(Certification, on_delete=models.PROTECT, related_name="requirements",
                                      verbose_name=_("certification"))
    min_staff = models.PositiveSmallIntegerField(_("minimum certified staff"), default=1,
                                                 validators=[MinValueValidator(1)])
    purpose = models.CharField(_("required for"), max_length=32, choices=requirement_choices(), default="general",
                               help_text=_("General requirements apply to everything the partner does."))

    class Meta:
        verbose_name = _("qualification requirement")
        verbose_name_plural = _("qualification requirements")
        ordering = ["partner_type", "certification"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "partner_type", "tier", "certification", "purpose"],
                                    name="qualificationrequirement_unique",
                                    violation_error_message=_("This requirement already exists.")),
        ]

    def __str__(self) -> str:
        who = self.get_partner_type_display()
        if self.tier:
            who = f"{who} · {tier_contract.label_of(self.tier)}"
        return f"{who}: {self.min_staff} × {self.certification}"

    def clean(self) -> None:
        super().clean()
        if self.tier and self.tier not in {code for code, _label in tier_contract.choices()}:
            raise ValidationError({"tier": _("Choose tiers from the list.")})

    def applies_to(self, partner_type: str, tier: str | None) -> bool:
        """Whether a partner of ``partner_type`` holding ``tier`` (or none) must meet this requirement."""
        return self.partner_type == partner_type and (not self.tier or self.tier == tier)


def requirements_for(partner_type: str, tier: str | None) -> models.Q:
    """The filter on requirements that apply to a partner of ``partner_type`` at ``tier``."""
    return models.Q(partner_type=partner_type) & (models.Q(tier="") | models.Q(tier=tier or ""))


class QualificationLapse(TenantOwnedModel):
    """A partner found short of a requirement by the lapse check; resolved when it holds enough again."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="qualification_lapses",
                                verbose_name=_("partner"))
    requirement = models.ForeignKey(QualificationRequirement, on_delete=models.CASCADE, related_name="lapses",
                                    verbose_name=_("requirement"))
    holders = models.PositiveSmallIntegerField(_("certified staff"), default=0)
    detected_at = models.DateTimeField(_("detected at"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("lapsed qualification")
        verbose_name_plural = _("lapsed qualifications")
        ordering = ["-detected_at"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "partner", "requirement"],
                                    condition=models.Q(resolved_at__isnull=True), name="qualificationlapse_one_open"),
        ]
        indexes = [models.Index(fields=["tenant", "resolved_at"])]

    def __str__(self) -> str:
        return f"{self.partner}: {self.requirement}"


class TrainingReminder(TenantOwnedBase):
    """A reminder sent (session, certificate expiry): the log that makes reminder jobs idempotent."""

    kind = models.CharField(_("kind"), max_length=32)
    object_id = models.BigIntegerField()
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("recipient"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("training reminder")
        verbose_name_plural = _("training reminders")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "kind", "object_id", "recipient"],
                                    name="trainingreminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.object_id}"
