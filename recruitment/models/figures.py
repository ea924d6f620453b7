"""The recruitment figures of the admin dashboard, as last computed (a rollup, not a live aggregate)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from channelhub.tenancy.models import TenantOwnedBase


class RecruitmentFigure(TenantOwnedBase):
    """A dashboard figure (applications per state, funnel stage or month received).

    The dashboard reads these rows instead of aggregating every application of the tenant per
    request. The hourly job ``recruitment.dashboard_rollup`` rewrites them (one row per
    (tenant, dimension, key), so a re-run replaces rather than adds; ``computed_at`` says when);
    between runs an application's state change moves its count from one state to the other.
    """

    class Dimension(models.TextChoices):
        STATE = "state", _("application state")
        FUNNEL = "funnel", _("funnel stage")  # applications, qualified, approved, active
        RECEIVED = "received", _("month received")  # key "YYYY-MM": applications created that month

    dimension = models.CharField(_("dimension"), max_length=16, choices=Dimension.choices)
    key = models.CharField(_("key"), max_length=64)
    count = models.PositiveIntegerField(_("count"))
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("recruitment figure")
        verbose_name_plural = _("recruitment figures")
        ordering = ["dimension", "key"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "dimension", "key"], name="recruitmentfigure_unique_key"),
        ]

    def __str__(self) -> str:
        return f"{self.dimension} {self.key}: {self.count}"
