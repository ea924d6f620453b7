"""Partner, its contacts, the region tree and the product catalogue: shared by every chapter."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from channelhub.tenancy.models import TenantOwnedBase, TenantOwnedModel
from channelhub.tenancy.workflow import Workflow

from .validators import normalise_credit_code, validate_credit_code


class Region(TenantOwnedModel):
    """A node of the tenant's sales territory tree (大区 → 省 → 市)."""

    class Level(models.TextChoices):
        AREA = "area", _("Sales area")
        PROVINCE = "province", _("Province")
        CITY = "city", _("City")
        DISTRICT = "district", _("District")

    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children",
        verbose_name=_("parent region"),
    )
    # Materialised path of codes ("/EAST/SH/PD/"): descendants are a prefix match.
    path = models.CharField(max_length=400, editable=False, db_index=True)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "code"], name="region_unique_code"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        from django.utils.translation import get_language

        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.parent_id and self.pk:
            node = self.parent
            while node is not None:
                if node.pk == self.pk:
                    raise ValidationError({"parent": _("A region cannot be inside itself.")})
                node = node.parent

    def save(self, *args, **kwargs) -> None:
        self.path = f"{self.parent.path if self.parent_id else '/'}{self.code}/"
        super().save(*args, **kwargs)


class PartnerType(models.TextChoices):
    DISTRIBUTOR = "distributor", _("Distributor")
    RESELLER = "reseller", _("Reseller")
    RETAILER = "retailer", _("Retailer")
    AGENT = "agent", _("Agent")
    BROKER = "broker", _("Broker")
    SERVICE_PROVIDER = "service_provider", _("Service provider")


class PartnerStatus(models.TextChoices):
    # A context of their own: "Active" is 合作中 for a partner, 生效中 for a plan.
    PROSPECT = "prospect", pgettext_lazy("partner status", "Prospect")
    ONBOARDING = "onboarding", pgettext_lazy("partner status", "Onboarding")
    ACTIVE = "active", pgettext_lazy("partner status", "Active")
    SUSPENDED = "suspended", pgettext_lazy("partner status", "Suspended")
    TERMINATED = "terminated", pgettext_lazy("partner status", "Terminated")


PARTNER_LIFECYCLE = Workflow.build(
    name="partner.status",
    verbose_name=_("partner status"),
    state_field="status",
    states=PartnerStatus,
    moves={
        PartnerStatus.PROSPECT: {PartnerStatus.ONBOARDING, PartnerStatus.TERMINATED},
        PartnerStatus.ONBOARDING: {PartnerStatus.ACTIVE, PartnerStatus.TERMINATED},
        PartnerStatus.ACTIVE: {PartnerStatus.SUSPENDED, PartnerStatus.TERMINATED},
        PartnerStatus.SUSPENDED: {PartnerStatus.ACTIVE, PartnerStatus.TERMINATED},
        PartnerStatus.TERMINATED: set(),
    },
    changed_at_field="status_changed_at",
)


class Partner(TenantOwnedModel):
    """A channel partner (渠道合作伙伴): a company that sells or services for the tenant."""

    legal_name = models.CharField(_("legal name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    english_name = models.CharField(_("English name"), max_length=200, blank=True)
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, null=True, blank=True,
        validators=[validate_credit_code],
        help_text=_("统一社会信用代码: 18 characters with a GB 32100 check character."),
    )
    partner_type = models.CharField(_("partner type"), max_length=32, choices=PartnerType.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=PartnerStatus.choices,
        default=PartnerStatus.PROSPECT, editable=False, db_index=True,
    )
    status_changed_at = models.DateTimeField(
        _("status changed at"), default=timezone.now, editable=False
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="partners", verbose_name=_("region")
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
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
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("channel manager"),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Maintained on save (``.search``): the names as search and the duplicate check read them.
    search_text = models.TextField(editable=False, blank=True, default="")
    normalised_name = models.CharField(max_length=200, editable=False, blank=True, default="")
    normalised_english_name = models.CharField(max_length=200, editable=False, blank=True, default="")

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["legal_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "credit_code"], name="partner_unique_credit_code",
                condition=models.Q(credit_code__isnull=False),
                violation_error_message=_("A partner with this unified social credit code exists."),
            ),
        ]
        indexes = [
            # The list's default order: lets a page be read in order and stop at its LIMIT; with
            # the id, a deep page's ids come from the index alone (DeferredJoinPaginator).
            models.Index(fields=["tenant", "legal_name", "id"], name="partner_tenant_name_id"),
            models.Index(fields=["tenant", "status", "partner_type"]),
            models.Index(fields=["tenant", "region"]),
            # Every ordering and filter the list offers begins with the tenant (keyset pages too).
            models.Index(fields=["tenant", "created_at"]),
            models.Index(fields=["tenant", "status_changed_at"]),
            models.Index(fields=["tenant", "registered_capital"]),
            models.Index(fields=["tenant", "owner"]),
            models.Index(fields=["tenant", "normalised_name"]),
            models.Index(fields=["tenant", "normalised_english_name"], name="partner_tenant_english_norm"),
            # PostgreSQL also has a GIN trigram index on search_text and GiST trigram indexes on
            # the normalised names (migrations 0004, 0007; not declared here: SQLite has no pg_trgm).
        ]

    def __str__(self) -> str:
        return self.short_name or self.legal_name

    def refresh_search_fields(self) -> None:
        """Fill the columns search and the duplicate check read (also for bulk inserts)."""
        from .search import normalise_company_name, search_text

        self.search_text = search_text(self.legal_name, self.short_name, self.english_name, self.credit_code)
        self.normalised_name = normalise_company_name(self.legal_name)[:200]
        self.normalised_english_name = normalise_company_name(self.english_name)[:200]

    def save(self, *args, **kwargs) -> None:
        self.refresh_search_fields()
        update_fields = kwargs.get("update_fields")
        names = {"legal_name", "short_name", "english_name", "credit_code"}
        if update_fields is not None and names & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_text", "normalised_name", "normalised_english_name"}
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.credit_code is not None:
            self.credit_code = normalise_credit_code(self.credit_code) or None
        super().clean()
        if self.owner_id is not None:
            from channelhub.tenancy.models import Membership
            from channelhub.tenancy.roles import STAFF_ROLES

            if not Membership.objects.filter(
                user_id=self.owner_id, role__in=STAFF_ROLES, is_active=True
            ).exists():
                raise ValidationError(
                    {"owner": _("The channel manager must be a member of this tenant's staff.")}
                )


class PartnerContact(TenantOwnedModel):
    """A person at the partner the tenant deals with (owner, sales lead, finance, …)."""

    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("partner")
    )
    name = models.CharField(_("name"), max_length=100)
    title = models.CharField(pgettext_lazy("person", "title"), max_length=100, blank=True)  # job title
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_primary = models.BooleanField(_("primary contact"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    # Maintained on save, like Partner.search_text (see .search).
    search_text = models.TextField(editable=False, blank=True, default="")

    class Meta:
        verbose_name = _("partner contact")
        verbose_name_plural = _("partner contacts")
        ordering = ["-is_primary", "name"]
        indexes = [
            # The list's order, read from an index that begins with the tenant.
            models.Index(fields=["tenant", "-is_primary", "name"], name="contact_tenant_order"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.partner})"

    def refresh_search_fields(self) -> None:
        from .search import search_text

        self.search_text = search_text(self.name, self.title, self.email, self.phone)

    def save(self, *args, **kwargs) -> None:
        self.refresh_search_fields()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"name", "title", "email", "phone"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)


class Product(TenantOwnedModel):
    """An item of the tenant's catalogue (a device, an insurance product, a service)."""

    sku = models.CharField(_("SKU"), max_length=64)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    category = models.CharField(_("category"), max_length=100, db_index=True)
    list_price = models.DecimalField(
        _("list price (CNY)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    is_active = models.BooleanField(_("active"), default=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["category", "sku"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "sku"], name="product_unique_sku"),
        ]

    def __str__(self) -> str:
        return f"{self.sku} · {self.name}"


class PartnerStatusSnapshot(TenantOwnedBase):
    """How many partners were in each status on a day: the dashboard's trend line.

    Written by the daily job; one row per (tenant, day, status), so re-running a day
    overwrites rather than adds.
    """

    day = models.DateField(_("day"))
    status = models.CharField(_("status"), max_length=16, choices=PartnerStatus.choices)
    count = models.PositiveIntegerField(_("count"))

    class Meta:
        verbose_name = _("partner status snapshot")
        verbose_name_plural = _("partner status snapshots")
        ordering = ["-day", "status"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "day", "status"], name="partnersnapshot_unique_day_status"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.status}: {self.count}"


class PartnerFigure(TenantOwnedBase):
    """A dashboard figure (partners per status, type or sales area) as last computed by the job.

    The dashboard reads these rows instead of aggregating every partner of the tenant per
    request. ``partners.dashboard_rollup`` rewrites them: one row per (tenant, dimension, key),
    so a re-run replaces rather than adds; ``computed_at`` says how fresh they are.
    """

    class Dimension(models.TextChoices):
        STATUS = "status", _("status")
        TYPE = "partner_type", _("partner type")
        AREA = "area", _("sales area")
        JOINED = "joined", _("month joined")  # key "YYYY-MM": partners created that month

    dimension = models.CharField(_("dimension"), max_length=16, choices=Dimension.choices)
    key = models.CharField(_("key"), max_length=64)
    count = models.PositiveIntegerField(_("count"))
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("partner figure")
        verbose_name_plural = _("partner figures")
        ordering = ["dimension", "-count"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "dimension", "key"], name="partnerfigure_unique_key"),
        ]

    def __str__(self) -> str:
        return f"{self.dimension} {self.key}: {self.count}"


# The fields that identify the company (as on its business licence): a partner administrator
# proposes a change to them and a channel manager decides (PartnerChangeRequest); the other
# profile fields a partner administrator saves directly.
IDENTITY_FIELDS = ("legal_name", "credit_code", "registered_capital", "founding_year")
PORTAL_DIRECT_FIELDS = ("short_name", "english_name", "address", "website", "staff_count")


class ChangeRequestState(models.TextChoices):
    PENDING = "pending", pgettext_lazy("change request", "Waiting for decision")
    APPROVED = "approved", pgettext_lazy("change request", "Approved")
    REJECTED = "rejected", pgettext_lazy("change request", "Rejected")


CHANGE_REQUEST_WORKFLOW = Workflow.build(
    name="partners.change_request",
    verbose_name=_("profile change request"),
    state_field="state",
    states=ChangeRequestState,
    moves={
        ChangeRequestState.PENDING: {ChangeRequestState.APPROVED, ChangeRequestState.REJECTED},
        ChangeRequestState.APPROVED: set(),
        ChangeRequestState.REJECTED: set(),
    },
)


class PartnerChangeRequest(TenantOwnedModel):
    """A partner's request to change what identifies it (legal name, credit code…), for a manager to decide.

    ``changes`` holds the proposed values and ``previous`` the values when it was made (both
    as text, keyed by field name). Approving applies ``changes`` through ``partner_update``;
    rejecting keeps the partner as it is. One request per partner waits at a time.
    """

    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="change_requests", verbose_name=_("partner")
    )
    changes = models.JSONField(_("proposed values"), default=dict)
    previous = models.JSONField(_("values when requested"), default=dict, editable=False)
    comment = models.TextField(_("requester's note"), blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=ChangeRequestState.choices, default=ChangeRequestState.PENDING,
        editable=False,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        editable=False, verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        editable=False, verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)
    decision_reason = models.TextField(_("reason for the decision"), blank=True, editable=False)

    class Meta:
        verbose_name = _("profile change request")
        verbose_name_plural = _("profile change requests")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "partner"], condition=models.Q(state="pending"),
                name="changerequest_one_pending_per_partner",
                violation_error_message=_("A change request of this partner is already waiting for a decision."),
            ),
        ]
        indexes = [
            models.Index(fields=["tenant", "state", "-requested_at"], name="changerequest_queue"),
            models.Index(fields=["tenant", "partner", "-requested_at"], name="changerequest_partner"),
        ]

    def __str__(self) -> str:
        return _("Profile change of %(partner)s") % {"partner": self.partner}

    def clean(self) -> None:
        super().clean()
        unknown = set(self.changes or {}) - set(IDENTITY_FIELDS)
        if unknown:
            raise ValidationError({"changes": _("Only the fields that identify the company go through a request.")})

    def rows(self) -> list[tuple[str, str, str]]:
        """(field label, value when requested, proposed value) per field, in the form's order, for display."""
        shown = []
        for name in IDENTITY_FIELDS:
            if name in (self.changes or {}):
                label = Partner._meta.get_field(name).verbose_name
                shown.append((capfirst(label), self.previous.get(name) or "—",
                              self.changes.get(name) or "—"))
        return shown
