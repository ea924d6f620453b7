"""The onboarding checklist of a converted partner (第十二条) and its templates."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from channelhub.partners.models import Partner, PartnerType
from channelhub.tenancy.models import TenantOwnedModel

from .applications import Application


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
