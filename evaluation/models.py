"""Performance evaluation (绩效评估): KPIs, scorecards, review cycles, tiers, incentives, improvement.

五.4 of the source document (assessment of sales, market share and service quality with
rewards and penalties), 第七条 (periodic evaluation of the cooperation relationship and
fixing its problems), 渠道激励 and 渠道成本控制.

Every KPI's raw value comes from a registered KPI input (``channelhub.kpi_inputs``); the
cycle computation (``evaluation.services.cycle_compute``) writes ``KpiResult`` and
``PartnerScore`` rows set-based in the database. Those computed tables and the tier ledger
inherit ``TenantOwnedBase`` (scoped, no per-row audit table): they are replaced en bloc by a
rerun, and a 100,000-partner cycle writing an audit row per result would double its
writes; who computed, confirmed and published a cycle is in the cycle's own history and
its state transitions. ``PartnerScore`` keeps its audit table: its rows are bulk-inserted
(no audit rows), and a manager's adjustment is a ``save()`` that records who and why.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from channelhub.partners.models import Partner, PartnerType
from channelhub.tenancy.models import Cadence, TenantOwnedBase, TenantOwnedModel

SCORE = {"max_digits": 9, "decimal_places": 3}
MONEY = {"max_digits": 14, "decimal_places": 2}
HUNDRED = Decimal("100")


# --------------------------------------------------------------------------- KPI catalogue


class KpiKind(models.TextChoices):
    SALES_ACHIEVEMENT = "sales_achievement", _("Sales achievement vs target")
    SALES_GROWTH = "sales_growth", _("Growth vs the previous period")
    SALES_AMOUNT = "sales_amount", _("Reported sales amount")
    MARKET_SHARE = "market_share", _("Market share")
    MARKET_COVERAGE = "market_coverage", _("Market coverage")
    SERVICE_SLA = "service_sla", _("Service SLA met")
    SERVICE_RESOLUTION = "service_resolution", _("Time to resolve service tickets")
    SERVICE_SATISFACTION = "service_satisfaction", _("Customer satisfaction")
    CERTIFIED_STAFF = "certified_staff", _("Certified staff ratio")
    QUALIFICATION = "qualification", _("Qualification status")
    REPORTING_TIMELINESS = "reporting_timeliness", _("Reporting timeliness")
    FEEDBACK = "feedback", _("Market feedback contribution")
    COMPLIANCE = "compliance", _("Compliance incidents")


# The KPI input (``channelhub.kpi_inputs``) each kind reads unless the KPI names another.
DEFAULT_INPUTS = {
    KpiKind.SALES_ACHIEVEMENT: "cooperation.sales_achievement",
    KpiKind.SALES_GROWTH: "cooperation.sales_growth",
    KpiKind.SALES_AMOUNT: "cooperation.sales_amount",
    KpiKind.MARKET_SHARE: "cooperation.market_share",
    KpiKind.MARKET_COVERAGE: "cooperation.market_coverage",
    KpiKind.SERVICE_SLA: "cooperation.service_sla_met",
    KpiKind.SERVICE_RESOLUTION: "cooperation.service_resolution_hours",
    KpiKind.SERVICE_SATISFACTION: "cooperation.service_satisfaction",
    KpiKind.CERTIFIED_STAFF: "training.certified_staff_ratio",
    KpiKind.QUALIFICATION: "training.qualification_status",
    KpiKind.REPORTING_TIMELINESS: "cooperation.reporting_timeliness",
    KpiKind.FEEDBACK: "cooperation.feedback_count",
    KpiKind.COMPLIANCE: "cooperation.compliance_incidents",
}


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class Normalisation(models.TextChoices):
    TARGET = "target", _("Against a target")
    LINEAR = "linear", _("Linear between floor and ceiling")
    PERCENTILE = "percentile", _("Percentile rank among peers")


class MissingRule(models.TextChoices):
    ZERO = "zero", _("Score zero")
    EXCLUDE = "exclude", _("Leave out and re-weight the others")
    NEUTRAL = "neutral", _("Neutral score")


class Kpi(TenantOwnedModel):
    """A KPI (考核指标) of the tenant's catalogue: where its figure comes from and how it is scored 0–100."""

    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=32, choices=KpiKind.choices)
    input_name = models.CharField(
        _("KPI input"), max_length=80, blank=True,
        help_text=_("The registered figure it reads; empty takes the kind's usual input."),
    )
    direction = models.CharField(_("direction"), max_length=8, choices=Direction.choices, default=Direction.HIGHER)
    normalisation = models.CharField(
        _("normalisation"), max_length=12, choices=Normalisation.choices, default=Normalisation.TARGET
    )
    target = models.DecimalField(_("target"), max_digits=16, decimal_places=4, null=True, blank=True)
    floor = models.DecimalField(_("floor"), max_digits=16, decimal_places=4, null=True, blank=True)
    ceiling = models.DecimalField(_("ceiling"), max_digits=16, decimal_places=4, null=True, blank=True)
    missing_rule = models.CharField(
        _("when there is no figure"), max_length=8, choices=MissingRule.choices, default=MissingRule.ZERO
    )
    neutral_score = models.DecimalField(
        _("neutral score"), **SCORE, default=Decimal("50"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("KPI")
        verbose_name_plural = _("KPIs")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["tenant", "code"], name="evaluation_kpi_unique_code")]

    def __str__(self) -> str:
        return self.name

    @property
    def source(self) -> str:
        return self.input_name or DEFAULT_INPUTS.get(self.kind, "")

    def clean(self) -> None:
        super().clean()
        if self.normalisation == Normalisation.TARGET and not self.target:
            raise ValidationError({"target": _("A target-based KPI needs a target above zero.")})
        if self.normalisation == Normalisation.LINEAR:
            if self.floor is None or self.ceiling is None:
                raise ValidationError({"ceiling": _("A linear KPI needs a floor and a ceiling.")})
            if self.ceiling <= self.floor:
                raise ValidationError({"ceiling": _("The ceiling must be above the floor.")})


class Scorecard(TenantOwnedModel):
    """The weighted KPIs partners of one type are scored on; a change makes a new version."""

    name = models.CharField(_("name"), max_length=120)
    partner_type = models.CharField(_("partner type"), max_length=32, choices=PartnerType.choices)
    version = models.PositiveIntegerField(_("version"), default=1)
    is_active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("scorecard")
        verbose_name_plural = _("scorecards")
        ordering = ["partner_type", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "partner_type", "version"], name="evaluation_scorecard_unique_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class ScorecardLine(TenantOwnedModel):
    scorecard = models.ForeignKey(
        Scorecard, on_delete=models.CASCADE, related_name="lines", verbose_name=_("scorecard")
    )
    kpi = models.ForeignKey(Kpi, on_delete=models.PROTECT, related_name="+", verbose_name=_("KPI"))
    weight = models.DecimalField(
        _("weight"), max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )

    class Meta:
        verbose_name = _("scorecard line")
        verbose_name_plural = _("scorecard lines")
        ordering = ["scorecard", "-weight"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "scorecard", "kpi"], name="evaluation_line_unique_kpi"),
        ]

    def __str__(self) -> str:
        return f"{self.kpi} × {self.weight}"


# --------------------------------------------------------------------------- tiers


class Tier(TenantOwnedModel):
    """A partner tier (等级: Platinum, Gold, Silver, Registered) with its threshold and benefits."""

    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=80)
    rank = models.PositiveSmallIntegerField(_("rank"), help_text=_("Higher ranks are better tiers."))
    min_score = models.DecimalField(
        _("minimum score"), **SCORE, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    requires_qualification = models.BooleanField(
        _("requires the qualifications of the partner type"), default=False
    )
    demote_after = models.PositiveSmallIntegerField(
        _("demote after cycles below"), default=2, validators=[MinValueValidator(1)],
        help_text=_("A partner leaves this tier only after this many consecutive cycles below its threshold."),
    )
    discount_percent = models.DecimalField(_("discount %"), max_digits=5, decimal_places=2, default=0)
    commission_rate = models.DecimalField(_("commission rate %"), max_digits=5, decimal_places=2, default=0)
    mdf_eligible = models.BooleanField(_("eligible for market development funds"), default=False)
    lead_weight = models.DecimalField(_("lead weight"), max_digits=5, decimal_places=2, default=Decimal("1"))

    class Meta:
        verbose_name = _("tier")
        verbose_name_plural = _("tiers")
        ordering = ["-rank"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "code"], name="evaluation_tier_unique_code"),
            models.UniqueConstraint(fields=["tenant", "rank"], name="evaluation_tier_unique_rank"),
        ]

    def __str__(self) -> str:
        return self.name


class PartnerTier(TenantOwnedBase):
    """A partner's current tier (its changes are the ``TierChange`` ledger)."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+", verbose_name=_("partner"))
    tier = models.ForeignKey(Tier, on_delete=models.PROTECT, related_name="+", verbose_name=_("tier"))
    since = models.DateTimeField(_("since"), default=timezone.now)

    class Meta:
        verbose_name = _("partner tier")
        verbose_name_plural = _("partner tiers")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "partner"], name="evaluation_partnertier_unique_partner"),
        ]

    def __str__(self) -> str:
        return f"{self.partner_id} · {self.tier_id}"


# --------------------------------------------------------------------------- review cycles


class CycleState(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    COMPUTING = "computing", _("Computing")
    COMPUTED = "computed", _("Computed")
    CONFIRMED = "confirmed", _("Confirmed")
    PUBLISHED = "published", pgettext_lazy("review cycle", "Published")


class ReviewCycle(TenantOwnedModel):
    """One periodic review (评估周期) of every partner of the tenant for one period.

    Unique per (tenant, cadence, period key, scorecard version): a rerun or a redelivered
    task finds the same row and replaces its results.
    """

    cadence = models.CharField(_("cadence"), max_length=16, choices=Cadence.choices, default=Cadence.QUARTERLY)
    period_key = models.CharField(_("period"), max_length=16)
    period_start = models.DateTimeField(_("period start"))
    period_end = models.DateTimeField(_("period end"))
    scorecard_version = models.PositiveIntegerField(_("scorecard version"), default=1)
    state = models.CharField(
        _("state"), max_length=12, choices=CycleState.choices, default=CycleState.SCHEDULED, editable=False
    )
    state_changed_at = models.DateTimeField(_("state changed at"), default=timezone.now, editable=False)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True, editable=False)
    partner_count = models.PositiveIntegerField(_("partners scored"), default=0, editable=False)
    scorecards = models.JSONField(_("scorecards used"), default=dict, blank=True, editable=False)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False,
        related_name="+", verbose_name=_("confirmed by"),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("review cycle")
        verbose_name_plural = _("review cycles")
        ordering = ["-period_start", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "cadence", "period_key", "scorecard_version"],
                name="evaluation_cycle_unique_period",
            ),
        ]
        indexes = [models.Index(fields=["tenant", "state", "period_start"], name="evaluation_cycle_state")]

    def __str__(self) -> str:
        return f"{self.period_key} ({self.get_cadence_display()})"


# The computed tables (results, scores, tier changes, statements and their lines) are written
# set-based, 100,000 partners' rows a cycle, by statements that join rows which exist; their
# foreign keys are kept by Django (cascade and protect on delete) but not by PostgreSQL: a
# cycle's COMMIT otherwise spent most of its time in some four million deferred constraint
# checks (docs/evaluation.md, Benchmark).
COMPUTED_FK = False


class ScoreTrend(TenantOwnedBase):
    """A published cycle's average score per partner type and per sales area: the dashboard's trend.

    Written once when the cycle is published (one GROUP BY over its scores), so the dashboard
    reads a few rows per cycle instead of averaging every partner's score on each request.
    """

    class Dimension(models.TextChoices):
        TYPE = "partner_type", _("partner type")
        AREA = "area", _("sales area")

    cycle = models.ForeignKey(ReviewCycle, on_delete=models.CASCADE, db_constraint=COMPUTED_FK,
                              related_name="+", verbose_name=_("cycle"))
    dimension = models.CharField(_("dimension"), max_length=16, choices=Dimension.choices)
    key = models.CharField(_("key"), max_length=64)  # a partner type, or the area's region code
    partners = models.PositiveIntegerField(_("partners"))
    average = models.DecimalField(_("average score"), **SCORE)

    class Meta:
        verbose_name = _("score trend")
        verbose_name_plural = _("score trends")
        constraints = [models.UniqueConstraint(fields=["tenant", "cycle", "dimension", "key"],
                                               name="evaluation_trend_unique")]

    def __str__(self) -> str:
        return f"{self.dimension} {self.key}: {self.average}"


class KpiTrend(TenantOwnedBase):
    """A published cycle's KPI per partner type and per sales area: the *KPI trends* page's rows.

    Written with ``ScoreTrend`` when the cycle is published, by one GROUP BY per dimension over the
    cycle's KPI results. ``average`` is the mean 0–100 score of the partners the KPI counted for
    (a KPI left out under the *exclude* rule has no score); ``figure_average`` the mean raw figure
    of those that had one (one KPI reads one input, so its figures share a unit).
    """

    # No single-column indexes: the unique key (tenant, cycle, …) serves the rewrite, the read index the page.
    cycle = models.ForeignKey(ReviewCycle, on_delete=models.CASCADE, db_constraint=COMPUTED_FK, db_index=False,
                              related_name="+", verbose_name=_("cycle"))
    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, db_constraint=COMPUTED_FK, db_index=False,
                            related_name="+", verbose_name=_("KPI"))
    dimension = models.CharField(_("dimension"), max_length=16, choices=ScoreTrend.Dimension.choices)
    key = models.CharField(_("key"), max_length=64)  # a partner type, or the area's region code
    partners = models.PositiveIntegerField(_("partners"))
    reported = models.PositiveIntegerField(_("partners with a figure"))
    average = models.DecimalField(_("average score"), **SCORE, null=True, blank=True)
    figure_average = models.FloatField(_("average figure"), null=True, blank=True)

    class Meta:
        verbose_name = _("KPI trend")
        verbose_name_plural = _("KPI trends")
        constraints = [models.UniqueConstraint(fields=["tenant", "cycle", "kpi", "dimension", "key"],
                                               name="evaluation_kpitrend_unique")]
        # The page and the API read one KPI and dimension over the last published cycles.
        indexes = [models.Index(fields=["tenant", "kpi", "dimension", "cycle"], name="evaluation_kpitrend_read")]

    def __str__(self) -> str:
        return f"{self.kpi_id} {self.dimension} {self.key}: {self.average}"


class KpiResult(TenantOwnedBase):
    """One KPI of one partner in one cycle: raw figure, 0–100 score, weight and contribution."""

    cycle = models.ForeignKey(ReviewCycle, on_delete=models.CASCADE, db_constraint=COMPUTED_FK,
                              related_name="+", verbose_name=_("cycle"))
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, db_constraint=COMPUTED_FK,
                                related_name="+", verbose_name=_("partner"))
    kpi = models.ForeignKey(Kpi, on_delete=models.PROTECT, db_constraint=COMPUTED_FK,
                            related_name="+", verbose_name=_("KPI"))
    raw = models.FloatField(_("figure"), null=True, blank=True)
    missing = models.BooleanField(_("no figure"), default=True)
    normalised = models.DecimalField(_("score"), **SCORE, null=True, blank=True)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2)
    effective_weight = models.DecimalField(_("effective weight %"), **SCORE, default=0)
    contribution = models.DecimalField(_("contribution"), **SCORE, default=0)

    class Meta:
        verbose_name = _("KPI result")
        verbose_name_plural = _("KPI results")
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "cycle", "partner", "kpi"], name="evaluation_kpiresult_unique"
            ),
        ]
        indexes = [models.Index(fields=["tenant", "partner", "cycle"], name="evaluation_kpiresult_partner")]

    def __str__(self) -> str:
        return f"{self.kpi_id}: {self.normalised}"


class PartnerScore(TenantOwnedModel):
    """A partner's total in one cycle, its rank among peers, its change and its tier proposal."""

    cycle = models.ForeignKey(ReviewCycle, on_delete=models.CASCADE, db_constraint=COMPUTED_FK,
                              related_name="+", verbose_name=_("cycle"))
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, db_constraint=COMPUTED_FK,
                                related_name="+", verbose_name=_("partner"))
    partner_type = models.CharField(_("partner type"), max_length=32, choices=PartnerType.choices)
    scorecard = models.ForeignKey(
        Scorecard, on_delete=models.PROTECT, related_name="+", verbose_name=_("scorecard")
    )
    total = models.DecimalField(_("score"), **SCORE, default=0)
    rank = models.PositiveIntegerField(_("rank among peers"), null=True, blank=True)
    peer_count = models.PositiveIntegerField(_("peers"), default=0)
    previous_total = models.DecimalField(_("previous score"), **SCORE, null=True, blank=True)
    change = models.DecimalField(_("change"), **SCORE, null=True, blank=True)
    adjusted_score = models.DecimalField(
        _("adjusted score"), **SCORE, null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    adjustment_reason = models.TextField(_("reason for the adjustment"), blank=True)
    adjusted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("adjusted by"),
    )
    qualified = models.BooleanField(_("qualified"), default=True)
    current_tier = models.ForeignKey(
        Tier, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("tier")
    )
    proposed_tier = models.ForeignKey(
        Tier, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("proposed tier")
    )
    below_streak = models.PositiveSmallIntegerField(_("cycles below the tier"), default=0)

    class Meta:
        verbose_name = _("partner score")
        verbose_name_plural = _("partner scores")
        ordering = ["cycle", "partner_type", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "cycle", "partner"], name="evaluation_score_unique"),
        ]
        indexes = [
            models.Index(fields=["tenant", "partner", "cycle"], name="evaluation_score_partner"),
            models.Index(fields=["tenant", "cycle", "total"], name="evaluation_score_total"),
        ]

    def __str__(self) -> str:
        # Lists and pages load the partner and the cycle with the score (selectors.score_list).
        return f"{self.partner} · {self.cycle.period_key}"

    @property
    def final_score(self) -> Decimal:
        return self.adjusted_score if self.adjusted_score is not None else self.total


class TierChangeKind(models.TextChoices):
    INITIAL = "initial", _("First tier")
    PROMOTION = "promotion", _("Promotion")
    DEMOTION = "demotion", _("Demotion")


class TierChange(TenantOwnedBase):
    """A tier change proposed by a cycle and applied when the cycle is published (the tier ledger)."""

    cycle = models.ForeignKey(ReviewCycle, on_delete=models.CASCADE, db_constraint=COMPUTED_FK,
                              related_name="+", verbose_name=_("cycle"))
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, db_constraint=COMPUTED_FK,
                                related_name="+", verbose_name=_("partner"))
    from_tier = models.ForeignKey(
        Tier, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("from tier")
    )
    to_tier = models.ForeignKey(Tier, on_delete=models.PROTECT, related_name="+", verbose_name=_("to tier"))
    kind = models.CharField(_("kind"), max_length=12, choices=TierChangeKind.choices)
    score = models.DecimalField(_("score"), **SCORE, default=0)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)

    class Meta:
        verbose_name = _("tier change")
        verbose_name_plural = _("tier changes")
        ordering = ["-cycle__period_start", "partner"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "cycle", "partner"], name="evaluation_tierchange_unique"),
        ]
        indexes = [models.Index(fields=["tenant", "partner", "applied_at"], name="evaluation_tierchange_partner")]

    def __str__(self) -> str:
        return f"{self.partner_id}: {self.from_tier_id} → {self.to_tier_id}"


# --------------------------------------------------------------------------- incentives (奖惩)


class IncentiveKind(models.TextChoices):
    BONUS = "bonus", _("Bonus for reaching a KPI")
    COMMISSION = "commission", _("Commission")
    REBATE = "rebate", _("Volume rebate")
    PENALTY = "penalty", _("Penalty")


class BracketMode(models.TextChoices):
    FLAT = "flat", _("One rate on the whole amount")
    WHOLE = "whole", _("Brackets: the reached bracket's rate on the whole amount")
    MARGINAL = "marginal", _("Brackets: each rate only on the part above its threshold")


class IncentiveRule(TenantOwnedModel):
    """A reward or penalty rule (奖惩): per tier (or every tier) and KPI or reported figure.

    bonus: ``amount`` when the KPI's score reaches ``threshold``; commission / rebate: a rate
    (``rate`` %, or brackets) on the figure of ``input_name`` (e.g. reported sales); penalty:
    ``amount`` per unit of the KPI's raw figure (e.g. per compliance incident).
    """

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=12, choices=IncentiveKind.choices)
    tier = models.ForeignKey(
        Tier, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("tier"),
        help_text=_("Empty: partners of every tier."),
    )
    kpi = models.ForeignKey(Kpi, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                            verbose_name=_("KPI"))
    input_name = models.CharField(_("figure it is paid on"), max_length=80, blank=True)
    threshold = models.DecimalField(_("score to reach"), **SCORE, null=True, blank=True)
    amount = models.DecimalField(_("amount (CNY)"), **MONEY, default=0)
    rate = models.DecimalField(_("rate %"), max_digits=7, decimal_places=3, default=0)
    bracket_mode = models.CharField(_("brackets"), max_length=8, choices=BracketMode.choices, default=BracketMode.FLAT)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("incentive rule")
        verbose_name_plural = _("incentive rules")
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["tenant", "name"], name="evaluation_rule_unique_name")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.kind in (IncentiveKind.BONUS, IncentiveKind.PENALTY) and self.kpi_id is None:
            raise ValidationError({"kpi": _("A bonus or a penalty is decided by a KPI.")})
        if self.kind in (IncentiveKind.COMMISSION, IncentiveKind.REBATE) and not self.input_name:
            raise ValidationError({"input_name": _("Name the figure the rate is paid on.")})


class IncentiveBracket(TenantOwnedModel):
    rule = models.ForeignKey(IncentiveRule, on_delete=models.CASCADE, related_name="brackets",
                             verbose_name=_("rule"))
    threshold = models.DecimalField(_("from amount (CNY)"), **MONEY, validators=[MinValueValidator(0)])
    rate = models.DecimalField(_("rate %"), max_digits=7, decimal_places=3)

    class Meta:
        verbose_name = _("commission bracket")
        verbose_name_plural = _("commission brackets")
        ordering = ["rule", "threshold"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "rule", "threshold"], name="evaluation_bracket_unique"),
        ]

    def __str__(self) -> str:
        return f"≥ {self.threshold}: {self.rate}%"


class StatementState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", pgettext_lazy("incentive statement", "Approved")
    PAID = "paid", _("Paid")


class IncentiveStatement(TenantOwnedModel):
    """A partner's incentive statement (结算单) for one cycle; one per cycle, never computed twice."""

    cycle = models.ForeignKey(ReviewCycle, on_delete=models.PROTECT, db_constraint=COMPUTED_FK,
                              related_name="+", verbose_name=_("cycle"))
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, db_constraint=COMPUTED_FK,
                                related_name="+", verbose_name=_("partner"))
    state = models.CharField(_("state"), max_length=12, choices=StatementState.choices,
                             default=StatementState.DRAFT, editable=False)
    state_changed_at = models.DateTimeField(_("state changed at"), default=timezone.now, editable=False)
    total = models.DecimalField(_("total (CNY)"), **MONEY, default=0)
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False,
        related_name="+", verbose_name=_("approved by"),
    )
    paid_reference = models.CharField(_("payment reference"), max_length=80, blank=True)

    class Meta:
        verbose_name = _("incentive statement")
        verbose_name_plural = _("incentive statements")
        ordering = ["-cycle__period_start", "partner"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "cycle", "partner"], name="evaluation_statement_unique"),
        ]
        indexes = [models.Index(fields=["tenant", "partner", "state"], name="evaluation_statement_partner")]

    def __str__(self) -> str:
        return f"{self.cycle} · {self.partner_id}"


class IncentiveLine(TenantOwnedBase):
    """One explained amount of a statement: the rule, the figure it was paid on, the rate."""

    statement = models.ForeignKey(IncentiveStatement, on_delete=models.CASCADE, db_constraint=COMPUTED_FK,
                                  related_name="lines",
                                  verbose_name=_("statement"))
    rule = models.ForeignKey(IncentiveRule, on_delete=models.PROTECT, db_constraint=COMPUTED_FK,
                             related_name="+", verbose_name=_("rule"))
    kind = models.CharField(_("kind"), max_length=12, choices=IncentiveKind.choices)
    base = models.DecimalField(_("figure"), max_digits=18, decimal_places=4, null=True, blank=True)
    rate = models.DecimalField(_("rate %"), max_digits=7, decimal_places=3, null=True, blank=True)
    amount = models.DecimalField(_("amount (CNY)"), **MONEY)
    explanation = models.CharField(_("explanation"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("statement line")
        verbose_name_plural = _("statement lines")
        ordering = ["statement", "id"]
        indexes = [models.Index(fields=["tenant", "statement"], name="evaluation_line_statement")]

    def __str__(self) -> str:
        return f"{self.rule_id}: {self.amount}"


# --------------------------------------------------------------------------- improvement and relationship


class ImprovementState(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class ImprovementPlan(TenantOwnedModel):
    """An improvement plan (改进计划) for a partner below a threshold, followed up in the next cycle."""

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+", verbose_name=_("partner"))
    cycle = models.ForeignKey(ReviewCycle, on_delete=models.PROTECT, related_name="+", verbose_name=_("cycle"))
    title = models.CharField(_("title"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("owner"),
    )
    due_date = models.DateField(_("due date"))
    state = models.CharField(_("state"), max_length=12, choices=ImprovementState.choices,
                             default=ImprovementState.OPEN)
    follow_up = models.TextField(_("follow-up in the next cycle"), blank=True)
    # The partner's side: it acknowledges the plan in the portal and may answer it.
    partner_comment = models.TextField(_("partner's comment"), blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged by the partner at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("acknowledged by"),
    )

    class Meta:
        verbose_name = _("improvement plan")
        verbose_name_plural = _("improvement plans")
        ordering = ["due_date"]
        indexes = [models.Index(fields=["tenant", "partner", "state"], name="evaluation_plan_partner")]

    def __str__(self) -> str:
        return self.title


class ImprovementAction(TenantOwnedModel):
    plan = models.ForeignKey(ImprovementPlan, on_delete=models.CASCADE, related_name="actions",
                             verbose_name=_("plan"))
    description = models.CharField(_("action"), max_length=300)
    owner_name = models.CharField(_("owner"), max_length=100, blank=True)
    due_date = models.DateField(_("due date"))
    done = models.BooleanField(_("done"), default=False)

    class Meta:
        verbose_name = _("improvement action")
        verbose_name_plural = _("improvement actions")
        ordering = ["plan", "due_date"]

    def __str__(self) -> str:
        return self.description


RATING = [MinValueValidator(1), MaxValueValidator(5)]


class RelationshipSurvey(TenantOwnedModel):
    """A two-way relationship health review (合作关系评估) of one partner for one period (1–5 ratings)."""

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+", verbose_name=_("partner"))
    period_key = models.CharField(_("period"), max_length=16)
    support = models.PositiveSmallIntegerField(_("support"), null=True, blank=True, validators=RATING)
    training = models.PositiveSmallIntegerField(_("training"), null=True, blank=True, validators=RATING)
    communication = models.PositiveSmallIntegerField(_("communication"), null=True, blank=True, validators=RATING)
    fairness = models.PositiveSmallIntegerField(_("fairness"), null=True, blank=True, validators=RATING)
    partner_comment = models.TextField(_("partner's comment"), blank=True)
    manager_rating = models.PositiveSmallIntegerField(_("manager's rating"), null=True, blank=True,
                                                      validators=RATING)
    manager_comment = models.TextField(_("manager's comment"), blank=True)

    class Meta:
        verbose_name = _("relationship survey")
        verbose_name_plural = _("relationship surveys")
        ordering = ["-period_key", "partner"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "partner", "period_key"], name="evaluation_survey_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.partner_id} · {self.period_key}"

    @property
    def partner_view(self) -> Decimal | None:
        ratings = [r for r in (self.support, self.training, self.communication, self.fairness) if r]
        return (Decimal(sum(ratings)) / len(ratings)).quantize(Decimal("0.01")) if ratings else None

    @property
    def gap(self) -> Decimal | None:
        """Manager's view minus partner's view: above zero, the manager thinks better of it than the partner."""
        view = self.partner_view
        if view is None or self.manager_rating is None:
            return None
        return Decimal(self.manager_rating) - view


# =========================================================================== channel cost and return (渠道成本控制)
# and coverage (渠道布置). The rates and targets are the tenant's own data (audited); the two
# rollups (``ChannelEconomics``, ``CoverageGap``) are written set-based by the jobs of
# ``evaluation.services.economics`` / ``.coverage`` and replaced en bloc by a rerun, so pages
# read them instead of aggregating the tenant per request.

PERIOD_MONTH = RegexValidator(r"^\d{4}-(0[1-9]|1[0-2])$", _("Enter a month as YYYY-MM."))


class CostCategory(models.TextChoices):
    RECRUITING = "recruiting", _("Recruiting")
    TRAINING = "training", _("Training")
    PROMOTION = "promotion", _("Promotion support")
    INCENTIVES = "incentives", _("Incentives paid")
    OTHER = "other", _("Other costs")


class CostRate(TenantOwnedModel):
    """The tenant's own channel cost figures per partner type: margin on revenue, what a new partner
    and a trainee-day cost. No chapter knows them; the manager keeps them here."""

    partner_type = models.CharField(_("partner type"), max_length=32, choices=PartnerType.choices)
    margin_percent = models.DecimalField(
        _("margin %"), max_digits=5, decimal_places=2, default=Decimal("0"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("The tenant's gross margin on what partners of this type sell."),
    )
    recruiting_cost = models.DecimalField(
        _("recruiting cost per new partner (CNY)"), **MONEY, default=Decimal("0"), validators=[MinValueValidator(0)],
    )
    training_cost = models.DecimalField(
        _("training cost per trainee-day (CNY)"), **MONEY, default=Decimal("0"), validators=[MinValueValidator(0)],
    )

    class Meta:
        verbose_name = _("channel cost rate")
        verbose_name_plural = _("channel cost rates")
        ordering = ["partner_type"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "partner_type"], name="evaluation_costrate_unique_type"),
        ]

    def __str__(self) -> str:
        return str(self.get_partner_type_display())


class CostEntry(TenantOwnedModel):
    """A channel cost the tenant recorded by hand for one partner and month (an exhibition stand, a trip…)."""

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+", verbose_name=_("partner"))
    period_key = models.CharField(_("month"), max_length=7, validators=[PERIOD_MONTH],
                                  help_text=_("YYYY-MM"))
    category = models.CharField(_("category"), max_length=12, choices=CostCategory.choices)
    amount = models.DecimalField(_("amount (CNY)"), **MONEY, validators=[MinValueValidator(Decimal("0.01"))])
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("channel cost entry")
        verbose_name_plural = _("channel cost entries")
        ordering = ["-period_key", "partner"]
        indexes = [models.Index(fields=["tenant", "period_key", "partner"], name="evaluation_costentry_period")]

    def __str__(self) -> str:
        return f"{self.period_key} · {self.get_category_display()} · {self.amount}"


class ChannelEconomics(TenantOwnedBase):
    """One partner's cost and return for one month (the rollup the pages read)."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+", verbose_name=_("partner"))
    partner_type = models.CharField(_("partner type"), max_length=32, choices=PartnerType.choices)
    region = models.ForeignKey("partners.Region", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name=_("region"))
    period_key = models.CharField(_("month"), max_length=7)
    revenue = models.DecimalField(_("revenue (CNY)"), **MONEY, default=0)
    margin = models.DecimalField(_("margin (CNY)"), **MONEY, default=0)
    recruiting = models.DecimalField(_("recruiting"), **MONEY, default=0)
    training = models.DecimalField(_("training"), **MONEY, default=0)
    promotion = models.DecimalField(_("promotion support"), **MONEY, default=0)
    incentives = models.DecimalField(_("incentives paid"), **MONEY, default=0)
    other = models.DecimalField(_("other costs"), **MONEY, default=0)
    total_cost = models.DecimalField(_("total cost (CNY)"), **MONEY, default=0)
    net_return = models.DecimalField(_("net return (CNY)"), **MONEY, default=0)
    return_ratio = models.DecimalField(_("return on cost"), max_digits=14, decimal_places=4, null=True, blank=True)
    computed_at = models.DateTimeField(_("computed at"), default=timezone.now)

    class Meta:
        verbose_name = _("partner cost and return")
        verbose_name_plural = _("partner costs and returns")
        ordering = ["-period_key", "partner"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "partner", "period_key"], name="evaluation_economics_unique"),
        ]
        indexes = [
            models.Index(fields=["tenant", "period_key", "partner_type"], name="evaluation_economics_period"),
        ]

    def __str__(self) -> str:
        return f"{self.partner} · {self.period_key}"


class CoverageTarget(TenantOwnedModel):
    """How many active partners of a type the tenant wants in a region (渠道布置), and the market's weight there."""

    region = models.ForeignKey("partners.Region", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("region"))
    partner_type = models.CharField(_("partner type"), max_length=32, choices=PartnerType.choices)
    product_category = models.CharField(
        _("product line"), max_length=100, blank=True,
        help_text=_("Optional: a product category this target is about (a label; partners are counted by "
                    "region and type)."),
    )
    wanted = models.PositiveIntegerField(_("active partners wanted"), validators=[MinValueValidator(1)])
    market_weight = models.DecimalField(
        _("market estimate"), max_digits=14, decimal_places=2, default=Decimal("1"),
        validators=[MinValueValidator(0)],
        help_text=_("The market's size in this region for this type (e.g. potential sales in CNY 10k): gaps "
                    "in bigger markets come first."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("coverage target")
        verbose_name_plural = _("coverage targets")
        ordering = ["region", "partner_type", "product_category"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "region", "partner_type", "product_category"],
                                    name="evaluation_coverage_unique_cell"),
        ]

    def __str__(self) -> str:
        label = f"{self.region} · {self.get_partner_type_display()}"
        return f"{label} · {self.product_category}" if self.product_category else label


class CoverageGap(TenantOwnedBase):
    """A coverage target's cell as last computed: active partners against wanted, the gap and its weight."""

    target = models.ForeignKey(CoverageTarget, on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("coverage target"))
    region = models.ForeignKey("partners.Region", on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("region"))
    partner_type = models.CharField(_("partner type"), max_length=32, choices=PartnerType.choices)
    product_category = models.CharField(_("product line"), max_length=100, blank=True)
    active = models.PositiveIntegerField(_("active partners"), default=0)
    wanted = models.PositiveIntegerField(_("wanted"), default=0)
    gap = models.PositiveIntegerField(_("partners missing"), default=0)
    market_weight = models.DecimalField(_("market estimate"), max_digits=14, decimal_places=2, default=0)
    weighted_gap = models.DecimalField(_("weighted gap"), max_digits=16, decimal_places=2, default=0)
    computed_at = models.DateTimeField(_("computed at"), default=timezone.now)

    class Meta:
        verbose_name = _("coverage gap")
        verbose_name_plural = _("coverage gaps")
        ordering = ["-weighted_gap", "-gap", "id"]
        constraints = [models.UniqueConstraint(fields=["tenant", "target"], name="evaluation_coveragegap_unique")]
        indexes = [models.Index(fields=["tenant", "weighted_gap"], name="evaluation_coveragegap_worst")]

    def __str__(self) -> str:
        return f"{self.region} · {self.get_partner_type_display()}: {self.active}/{self.wanted}"
