"""The recruitment figures of the admin dashboard and the reports, as last computed (rollups, not live aggregates)."""

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


class RecruitmentReportFigure(TenantOwnedBase):
    """A row of a recruitment report (funnel, time to decision, reviewer workload), as last computed.

    The reports page, the API and the exports read these rows instead of aggregating every
    application of the tenant per request. The hourly job ``recruitment.report_rollup``
    rewrites them from the report selectors: one row per (tenant, report, grouping, key), so a
    re-run replaces rather than adds, and a key that no longer occurs (a campaign without
    applications any more, a month that left the data) disappears; ``computed_at`` says when.

    Keys and numbers only: the labels (plan and campaign names, sales areas, partner types,
    reviewers' names, months) are looked up when the report is read, in the reader's language.
    Every report has a ``total`` row, written on every run (so its absence means "never
    computed"). Which figures a row fills depends on its report; the others stay empty.
    """

    class Report(models.TextChoices):
        FUNNEL = "funnel", _("recruitment funnel")
        TIME_TO_DECISION = "time-to-decision", _("time to decision")
        REVIEWER_WORKLOAD = "reviewer-workload", _("reviewer workload")

    TOTAL = "total"  # the grouping (and key) of each report's total row

    report = models.CharField(_("report"), max_length=24, choices=Report.choices)
    # funnel: plan, campaign, region, partner_type; time to decision: outcome, partner_type,
    # month; reviewer workload: reviewer; every report: total.
    by = models.CharField(_("grouping"), max_length=16)
    # A plan's or campaign's id ("" for none), a top-level sales area's code, a partner type, an
    # application state, a month "YYYY-MM" (the tenant's time zone), a reviewer's user id; "total".
    key = models.CharField(_("key"), max_length=64, blank=True)
    # The funnel: submitted applications and how far they got; the cost of a plan or campaign.
    applications = models.PositiveIntegerField(_("applications"), default=0)
    qualified = models.PositiveIntegerField(_("qualified"), default=0)
    approved = models.PositiveIntegerField(_("approved"), default=0)  # the funnel and the decisions
    active = models.PositiveIntegerField(_("active partners"), default=0)
    cost = models.DecimalField(_("cost"), max_digits=16, decimal_places=2, null=True, blank=True)
    # Time to decision: decisions and their days (rounded to one place, as the selector gives them).
    decided = models.PositiveIntegerField(_("decisions"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    # Time to decision: submission → decision; reviewer workload: assignment → scorecard.
    average_days = models.DecimalField(_("average days"), max_digits=9, decimal_places=1, null=True, blank=True)
    median_days = models.DecimalField(_("median days"), max_digits=9, decimal_places=1, null=True, blank=True)
    fastest_days = models.DecimalField(_("fastest (days)"), max_digits=9, decimal_places=1, null=True, blank=True)
    slowest_days = models.DecimalField(_("slowest (days)"), max_digits=9, decimal_places=1, null=True, blank=True)
    # Reviewer workload.
    assigned = models.PositiveIntegerField(_("assigned"), default=0)
    scored = models.PositiveIntegerField(_("scored"), default=0)
    pending = models.PositiveIntegerField(_("pending"), default=0)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("recruitment report figure")
        verbose_name_plural = _("recruitment report figures")
        ordering = ["report", "by", "key"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "report", "by", "key"], name="recruitmentreportfigure_key"),
        ]

    def __str__(self) -> str:
        return f"{self.report} by {self.by} {self.key!r}"
