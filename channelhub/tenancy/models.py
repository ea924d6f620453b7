"""Tenants, users, memberships and the base every tenant-owned model inherits."""

from __future__ import annotations

import hashlib
import re
import secrets
import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from .context import TenantScopeError, current_context
from .managers import AllTenantsManager, TenantHistoryManager, TenantScopedManager
from .roles import PARTNER_ROLES, STAFF_ROLES, Role

TIME_ZONE_CHOICES = [(name, name) for name in sorted(zoneinfo.available_timezones())]
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


class User(AbstractUser):
    """A person who signs in: tenant staff, partner staff or a platform superuser."""

    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, blank=True,
        help_text=_("Leave empty to use the tenant's default language."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        full_name = self.get_full_name()
        return f"{full_name} ({self.username})" if full_name else self.username

    def get_full_name(self) -> str:
        """The name as its owner writes it: 王芳 (family name first, no space), or "Fang Wang"."""
        first, last = self.first_name.strip(), self.last_name.strip()
        if _CJK.search(first + last):
            return f"{last}{first}"
        return f"{first} {last}".strip()


class Tenant(models.Model):
    """A company selling through channel partners; owns all its data."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    default_language = models.CharField(
        _("default language"), max_length=10, choices=settings.LANGUAGES, default="zh-hans"
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, choices=TIME_ZONE_CHOICES, default="Asia/Shanghai"
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tenant")
        verbose_name_plural = _("tenants")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


class TenantOwnedBase(models.Model):
    """Scoping without history: for append-only logs that are themselves the record."""

    tenant = models.ForeignKey(
        Tenant, on_delete=models.PROTECT, related_name="+", editable=False,
        verbose_name=_("tenant"),
    )

    objects = TenantScopedManager()
    all_tenants = AllTenantsManager()

    # Related-object access (``partner.region``) goes through Django's plain base manager;
    # foreign keys never cross tenants (checked on every write), so it needs no filter.

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        self._bind_tenant()
        errors = self.cross_tenant_errors()
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs) -> None:
        self._bind_tenant()
        errors = self.cross_tenant_errors()
        if errors:
            raise ValidationError(errors)
        super().save(*args, **kwargs)

    # Forms leave ``tenant`` out (it is not editable), and Django then skips every unique
    # constraint that names it. Every constraint here starts with ``tenant``, so keep it in.
    def validate_unique(self, exclude=None) -> None:
        super().validate_unique(exclude=set(exclude or ()) - {"tenant"})

    def validate_constraints(self, exclude=None) -> None:
        super().validate_constraints(exclude=set(exclude or ()) - {"tenant"})

    def _do_update(self, base_qs, *args, **kwargs):
        # ``save()`` first tries an UPDATE through the unfiltered base manager. A row object
        # carrying another tenant's primary key (an import with an ``id`` column, a hand-built
        # instance) would overwrite that tenant's row and move it here. Pin the UPDATE to this
        # row's tenant: it then matches nothing and the INSERT fails on the duplicate key.
        return super()._do_update(base_qs.filter(tenant_id=self.tenant_id), *args, **kwargs)

    def _bind_tenant(self) -> None:
        """Writes happen inside the row's tenant scope; a new row takes the current tenant."""
        context = current_context()
        if context is None:
            raise TenantScopeError(f"Writing {type(self).__name__} with no current tenant.")
        if self.tenant_id is None:
            self.tenant_id = context.tenant_id
        elif self.tenant_id != context.tenant_id:
            raise TenantScopeError(
                f"Writing {type(self).__name__} of tenant {self.tenant_id} "
                f"inside the scope of tenant {context.tenant_id}."
            )

    def cross_tenant_errors(self) -> dict[str, str]:
        """Foreign keys that point at another tenant's row, as form-style field errors."""
        errors = {}
        for field in self._meta.concrete_fields:
            if not field.many_to_one and not field.one_to_one:
                continue
            related_model = field.related_model
            if not issubclass(related_model, TenantOwnedBase):
                continue
            related_id = getattr(self, field.attname)
            if related_id is None:
                continue
            cached = field.get_cached_value(self, default=None)
            if cached is not None and cached.pk == related_id:
                related_tenant_id = cached.tenant_id
            else:
                related_tenant_id = (
                    related_model.all_tenants.filter(pk=related_id)
                    .values_list("tenant_id", flat=True)
                    .first()
                )
            if related_tenant_id is not None and related_tenant_id != self.tenant_id:
                # Same wording as a missing row: another tenant's rows do not exist here.
                errors[field.name] = _("Select a valid choice. That choice does not exist.")
        return errors


class HistoricalTenantRecord(models.Model):
    """Base of the audit tables: history rows are scoped like the rows they record."""

    objects = TenantScopedManager()
    all_tenants = AllTenantsManager()

    class Meta:
        abstract = True


class TenantOwnedModel(TenantOwnedBase):
    """Base of every tenant-owned model: scoped, cross-tenant-safe and audited.

    Every create, update and delete writes a history row (who, when, what, why); services
    set ``_change_reason`` and ``_history_user`` on the instance before saving.
    """

    history = HistoricalRecords(
        inherit=True, bases=[HistoricalTenantRecord], user_related_name="+",
        history_manager=TenantHistoryManager,
    )

    class Meta(TenantOwnedBase.Meta):
        abstract = True


class NumberSequence(TenantOwnedBase):
    """The last number handed out in one of a tenant's numbering series (``channelhub.numbering``).

    A tenant's agreements, deal registrations and conflict cases are numbered 1, 2, 3… within
    the tenant and the year, whatever other tenants do; the row is locked by the increment, so
    two concurrent requests never get the same number.
    """

    key = models.CharField(_("series"), max_length=64)
    last = models.PositiveBigIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("number series")
        verbose_name_plural = _("number series")
        constraints = [models.UniqueConstraint(fields=["tenant", "key"], name="number_sequence_unique_key")]

    def __str__(self) -> str:
        return f"{self.key}: {self.last}"


class Membership(TenantOwnedModel):
    """A user's role in one tenant; partner roles also name the partner they work for."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    partner = models.ForeignKey(
        "partners.Partner", on_delete=models.CASCADE, null=True, blank=True,
        related_name="memberships", verbose_name=_("partner"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["user__username", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "user", "role"], name="membership_unique_role_per_user"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(role__in=sorted(PARTNER_ROLES), partner__isnull=False)
                    | (~models.Q(role__in=sorted(PARTNER_ROLES)) & models.Q(partner__isnull=True))
                ),
                name="membership_partner_iff_partner_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"

    @property
    def is_staff_role(self) -> bool:
        return self.role in STAFF_ROLES

    def clean(self) -> None:
        super().clean()
        if self.role in PARTNER_ROLES and self.partner_id is None:
            raise ValidationError({"partner": _("Partner roles need a partner.")})
        if self.role in STAFF_ROLES and self.partner_id is not None:
            raise ValidationError({"partner": _("Tenant staff roles have no partner.")})


def _hash_key(secret: str) -> str:
    # The secret is 32 random bytes, so a fast hash is enough; no salt or stretching needed.
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiKey(TenantOwnedModel):
    """An integration's credential: acts for one tenant with one staff role. Stored hashed."""

    ROLE_CHOICES = [(role.value, role.label) for role in Role if role in STAFF_ROLES]

    name = models.CharField(_("name"), max_length=100)
    role = models.CharField(
        _("acts as role"), max_length=32, choices=ROLE_CHOICES, default=Role.CHANNEL_MANAGER
    )
    prefix = models.CharField(_("prefix"), max_length=12, editable=False, db_index=True)
    key_hash = models.CharField(max_length=64, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", editable=False, verbose_name=_("created by"),
    )
    # The identity the key acts as, so the audit trail names the integration.
    service_user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_key",
        editable=False, verbose_name=_("service user"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "name"], name="apikey_unique_name"),
            models.UniqueConstraint(fields=["tenant", "prefix"], name="apikey_unique_prefix"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @staticmethod
    def generate() -> tuple[str, str, str]:
        """Return (full key, prefix, hash). The full key is shown once and never stored."""
        prefix = secrets.token_hex(4)
        secret = secrets.token_urlsafe(32)
        full_key = f"chk_{prefix}_{secret}"
        return full_key, prefix, _hash_key(full_key)

    @staticmethod
    def split(full_key: str) -> str | None:
        parts = full_key.split("_", 2)
        if len(parts) != 3 or parts[0] != "chk":
            return None
        return parts[1]

    def matches(self, full_key: str) -> bool:
        return secrets.compare_digest(self.key_hash, _hash_key(full_key))


class InvitationState(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    REVOKED = "revoked", _("Revoked")
    EXPIRED = "expired", _("Expired")


class Invitation(TenantOwnedModel):
    """An offer of a role in this tenant, sent to an e-mail address; it changes nothing until accepted.

    Only what the inviter typed is stored here (address, names, role). The link's token is
    stored hashed; whoever accepts must prove they read the e-mail (the token) and, if the
    address already has an account, sign in as that account.
    """

    VALID_DAYS = 14

    email = models.EmailField(_("e-mail"), max_length=254)
    # The address folded for matching and uniqueness; ``email`` keeps what the inviter typed.
    email_key = models.CharField(max_length=254, editable=False, db_index=True)
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    partner = models.ForeignKey(
        "partners.Partner", on_delete=models.CASCADE, null=True, blank=True,
        related_name="invitations", verbose_name=_("partner"),
    )
    first_name = models.CharField(_("given name"), max_length=150, blank=True)
    last_name = models.CharField(_("family name"), max_length=150, blank=True)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", editable=False, verbose_name=_("invited by"),
    )
    token_hash = models.CharField(max_length=64, editable=False, db_index=True)
    state = models.CharField(
        _("state"), max_length=16, choices=InvitationState.choices, default=InvitationState.PENDING,
        editable=False,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires at"), editable=False)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", editable=False, verbose_name=_("accepted by"),
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "token_hash"], name="invitation_unique_token"),
            # One pending invitation per address and company: inviting again renews it.
            models.UniqueConstraint(
                fields=["tenant", "partner", "email_key"],
                condition=models.Q(state="pending", partner__isnull=False),
                name="invitation_one_pending_per_partner",
            ),
            models.UniqueConstraint(
                fields=["tenant", "email_key"],
                condition=models.Q(state="pending", partner__isnull=True),
                name="invitation_one_pending_for_staff",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(role__in=sorted(PARTNER_ROLES), partner__isnull=False)
                    | (~models.Q(role__in=sorted(PARTNER_ROLES)) & models.Q(partner__isnull=True))
                ),
                name="invitation_partner_iff_partner_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} · {self.get_role_display()}"

    def clean(self) -> None:
        super().clean()
        if self.role in PARTNER_ROLES and self.partner_id is None:
            raise ValidationError({"partner": _("Partner roles need a partner.")})
        if self.role in STAFF_ROLES and self.partner_id is not None:
            raise ValidationError({"partner": _("Tenant staff roles have no partner.")})

    @staticmethod
    def fold(email: str) -> str:
        return email.strip().casefold()

    @staticmethod
    def generate_token() -> tuple[str, str]:
        """Return (token for the link, its hash to store). The token is never stored."""
        token = secrets.token_urlsafe(32)
        return token, _hash_key(token)

    @staticmethod
    def hash_token(token: str) -> str:
        return _hash_key(token)

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def current_state(self) -> str:
        """The state as a reader sees it: a pending invitation past its date is expired."""
        if self.state == InvitationState.PENDING and self.is_expired:
            return InvitationState.EXPIRED
        return self.state

    def get_current_state_display(self) -> str:
        return str(InvitationState(self.current_state).label)


class StateTransition(TenantOwnedBase):
    """One move of a workflow: who moved which row from which state to which, and why.

    Append-only; it is itself the audit record (the row's history also shows the change).
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.BigIntegerField()
    workflow = models.CharField(_("workflow"), max_length=64)
    from_state = models.CharField(pgettext_lazy("state transition", "from"), max_length=32)
    to_state = models.CharField(pgettext_lazy("state transition", "to"), max_length=32)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("by"),
    )
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("state transition")
        verbose_name_plural = _("state transitions")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["tenant", "content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.workflow}: {self.from_state} → {self.to_state}"


class Cadence(models.TextChoices):
    """How often a job runs. Each run covers the whole period before it (``jobs.period_before``)."""

    HOURLY = "hourly", _("Hourly")
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly (Mondays)")
    MONTHLY = "monthly", _("Monthly (on the 1st)")
    QUARTERLY = "quarterly", _("Quarterly (1 January, April, July, October)")
    YEARLY = "yearly", _("Yearly (1 January)")


class JobSchedule(TenantOwnedModel):
    """When a tenant's periodic job runs. Beat only runs the dispatcher; this row is the schedule."""

    job = models.CharField(_("job"), max_length=64)
    cadence = models.CharField(_("cadence"), max_length=16, choices=Cadence.choices)
    hour = models.PositiveSmallIntegerField(
        _("hour (tenant time)"), default=2,
        help_text=_("Hour of day the job runs, in the tenant's time zone (not used when hourly)."),
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    next_run_at = models.DateTimeField(_("next run at"), null=True, blank=True)
    last_run_at = models.DateTimeField(_("last run at"), null=True, blank=True, editable=False)
    # {"message": msgid, "values": {...}}: shown in the reader's language (``jobs.describe_outcome``).
    last_outcome = models.JSONField(_("last outcome"), default=dict, blank=True, editable=False)

    class Meta:
        verbose_name = _("job schedule")
        verbose_name_plural = _("job schedules")
        ordering = ["job"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "job"], name="jobschedule_unique_job"),
            models.CheckConstraint(condition=models.Q(hour__lte=23), name="jobschedule_hour_0_23"),
        ]

    def __str__(self) -> str:
        return f"{self.job} ({self.get_cadence_display()})"
