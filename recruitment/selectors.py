"""Read queries of recruitment: annotated so that lists cost a fixed number of queries.

Progress and funnel figures are correlated subqueries (one per figure), so a list of plans
or campaigns is one query however many rows it has.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from channelhub.partners.models import PartnerStatus, PartnerType, Region
from channelhub.tenancy.models import Membership, User
from channelhub.tenancy.roles import STAFF_ROLES, Role

from . import scoring
from .models import (
    Application,
    ApplicationDocument,
    ApplicationMessage,
    ApplicationState,
    ApprovalDecision,
    ApprovalStep,
    Campaign,
    Criterion,
    OnboardingTask,
    OnboardingTaskTemplate,
    RecruitmentPlan,
    RecruitmentTarget,
    ReviewerAssignment,
    Scorecard,
    ScorecardTemplate,
    TemplateCriterion,
    hash_tracking_token,
)

MONEY = DecimalField(max_digits=16, decimal_places=2)


def _count(queryset: QuerySet, group_by: str):
    """A correlated COUNT subquery (0 when there is no row)."""
    counted = (
        queryset.order_by().values(group_by).annotate(n=Count("pk", distinct=True)).values("n")[:1]
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _submitted() -> Q:
    return ~Q(state=ApplicationState.DRAFT)


# --------------------------------------------------------------------------- plans and targets


def plan_list() -> QuerySet[RecruitmentPlan]:
    """Plans with live progress: applications, approved, onboarded, cost so far, target total."""
    applications = Application.objects.filter(_submitted(), plan=OuterRef("pk"))
    cost = (
        Campaign.objects.filter(plan=OuterRef("pk")).order_by().values("plan")
        .annotate(total=Sum("cost")).values("total")[:1]
    )
    targets = (
        RecruitmentTarget.objects.filter(plan=OuterRef("pk")).order_by().values("plan")
        .annotate(total=Sum("target_count")).values("total")[:1]
    )
    return RecruitmentPlan.objects.select_related("owner").annotate(
        application_count=_count(applications, "plan"),
        approved_count=_count(applications.filter(state=ApplicationState.APPROVED), "plan"),
        onboarded_count=_count(applications.filter(partner__isnull=False), "plan"),
        cost_so_far=Coalesce(Subquery(cost, output_field=MONEY), Value(Decimal("0.00")), output_field=MONEY),
        target_total=Coalesce(Subquery(targets, output_field=IntegerField()), Value(0)),
        campaign_count=_count(Campaign.objects.filter(plan=OuterRef("pk")), "plan"),
    )


def target_list(*, plan: RecruitmentPlan | None = None) -> QuerySet[RecruitmentTarget]:
    """Targets with progress: applications of the plan for the type in the region or below it.

    An application counts for a target when it wants that partner type and at least one of
    its regions lies in the target's region subtree; an onboarded partner counts by its own
    region.
    """
    applications = Application.objects.filter(
        _submitted(),
        plan=OuterRef("plan"),
        partner_type=OuterRef("partner_type"),
        regions__path__startswith=OuterRef("region__path"),
    )
    onboarded = Application.objects.filter(
        plan=OuterRef("plan"),
        partner_type=OuterRef("partner_type"),
        partner__region__path__startswith=OuterRef("region__path"),
    )
    queryset = RecruitmentTarget.objects.select_related("plan", "region").annotate(
        application_count=_count(applications, "plan"),
        approved_count=_count(applications.filter(state=ApplicationState.APPROVED), "plan"),
        onboarded_count=_count(onboarded, "plan"),
    )
    if plan is not None:
        queryset = queryset.filter(plan=plan)
    return queryset


@dataclass(frozen=True)
class PlanProgress:
    plan: RecruitmentPlan
    targets: list[RecruitmentTarget]

    @property
    def completion(self) -> Decimal | None:
        """Onboarded partners against the sum of targets, in percent (2 places)."""
        total = self.plan.target_total
        if not total:
            return None
        return scoring.rounded(Decimal(self.plan.onboarded_count) / Decimal(total) * 100)

    @property
    def budget_used(self) -> Decimal | None:
        if not self.plan.budget:
            return None
        return scoring.rounded(Decimal(self.plan.cost_so_far) / Decimal(self.plan.budget) * 100)


def plan_progress(*, plan_id: int) -> PlanProgress:
    """One plan's progress with its targets: two queries."""
    plan = plan_list().get(pk=plan_id)
    return PlanProgress(plan=plan, targets=list(target_list(plan=plan)))


# --------------------------------------------------------------------------- campaigns


def campaign_list() -> QuerySet[Campaign]:
    """Campaigns with their funnel: applications → qualified → approved → onboarded → active."""
    applications = Application.objects.filter(_submitted(), campaign=OuterRef("pk"))
    return Campaign.objects.select_related("plan", "referrer").annotate(
        application_count=_count(applications, "campaign"),
        qualified_count=_count(applications.filter(qualified_at__isnull=False), "campaign"),
        approved_count=_count(applications.filter(state=ApplicationState.APPROVED), "campaign"),
        onboarded_count=_count(applications.filter(partner__isnull=False), "campaign"),
        active_count=_count(applications.filter(partner__status=PartnerStatus.ACTIVE), "campaign"),
    )


def cost_per_recruited(campaign: Campaign) -> Decimal | None:
    """The campaign's cost divided by the partners it brought (onboarded); ``None`` before the first."""
    recruited = getattr(campaign, "onboarded_count", None)
    if recruited is None:
        recruited = campaign.applications.filter(partner__isnull=False).count()
    if not recruited:
        return None
    return scoring.rounded(Decimal(campaign.cost) / Decimal(recruited))


def campaign_by_code(code: str) -> Campaign | None:
    """The current tenant's campaign with this code (case-insensitive), unless cancelled."""
    code = (code or "").strip().upper()
    if not code:
        return None
    return Campaign.objects.filter(code=code).exclude(status="cancelled").select_related("plan").first()


# --------------------------------------------------------------------------- applications


def application_list(*, reviewer: User | None = None) -> QuerySet[Application]:
    """Applications with their campaign, plan, step and counts: a fixed number of queries.

    With ``reviewer``, each row also says whether that user is assigned to review it
    (``is_my_review``) and has submitted a scorecard for it (``my_scorecard_submitted``): the
    "my reviews" filter and column of the admin.
    """
    queryset = (
        Application.objects.select_related("campaign", "plan", "current_step", "partner")
        .prefetch_related(Prefetch("regions", queryset=Region.objects.order_by("path")))
        .annotate(
            reviewer_count=_count(ReviewerAssignment.objects.filter(application=OuterRef("pk")), "application"),
            scorecard_count=_count(Scorecard.objects.filter(application=OuterRef("pk")), "application"),
            document_count=_count(ApplicationDocument.objects.filter(application=OuterRef("pk")), "application"),
        )
    )
    if reviewer is not None:
        queryset = queryset.annotate(
            is_my_review=Exists(ReviewerAssignment.objects.filter(application=OuterRef("pk"), reviewer=reviewer)),
            my_scorecard_submitted=Exists(Scorecard.objects.filter(application=OuterRef("pk"), reviewer=reviewer)),
        )
    return queryset


def my_reviews(queryset: QuerySet[Application], which: str) -> QuerySet[Application]:
    """Narrow an ``application_list(reviewer=…)`` to that reviewer's ``assigned`` / ``awaiting`` / ``scored`` ones.

    *Awaiting* means assigned, not yet scored, and open for scoring now (in scoring).
    """
    if which == "assigned":
        return queryset.filter(is_my_review=True)
    if which == "awaiting":
        return queryset.filter(is_my_review=True, my_scorecard_submitted=False, state=ApplicationState.SCORING)
    if which == "scored":
        return queryset.filter(my_scorecard_submitted=True)
    return queryset


@dataclass(frozen=True)
class MyReview:
    """Where ``user`` stands as a reviewer of one application (two queries)."""

    assigned: bool
    scored: bool
    open_for_scoring: bool

    @property
    def can_score(self) -> bool:
        return self.assigned and self.open_for_scoring


def my_review(*, application: Application, user: User) -> MyReview:
    return MyReview(
        assigned=ReviewerAssignment.objects.filter(application=application, reviewer=user).exists(),
        scored=Scorecard.objects.filter(application=application, reviewer=user).exists(),
        open_for_scoring=application.state == ApplicationState.SCORING,
    )


def my_review_counts(*, user: User) -> dict[str, int]:
    """How many applications ``user`` is asked to review, has scored and could score now (one query)."""
    mine = ReviewerAssignment.objects.filter(reviewer=user)
    scored = Scorecard.objects.filter(application=OuterRef("application"), reviewer=user)
    counts = mine.order_by().aggregate(
        assigned=Count("pk"),
        scored=Count("pk", filter=Q(Exists(scored))),
        awaiting=Count("pk", filter=Q(~Exists(scored), application__state=ApplicationState.SCORING)),
    )
    return {key: value or 0 for key, value in counts.items()}


def application_by_token(*, token: str) -> Application | None:
    """The current tenant's application with this tracking token (the public tracking page)."""
    if not token or len(token) < 20:
        return None
    # Only hashes are stored (``ApplicationTrackingToken``): hash what was presented and look that up.
    return (
        Application.objects.select_related("campaign", "tenant")
        .filter(tracking_tokens__token_hash=hash_tracking_token(token))
        .first()
    )


def application_documents(*, application: Application) -> QuerySet[ApplicationDocument]:
    return ApplicationDocument.objects.filter(application=application).select_related("uploaded_by")


def downloadable_document(*, pk: int, access) -> ApplicationDocument | None:
    """The current tenant's document ``pk`` if ``access`` may read it, else ``None``.

    Tenant staff (every staff role reads applications) and superusers acting in the tenant
    read every document; a partner administrator reads the documents of their own partner
    (the application they were recruited through). Nobody else reads any.
    """
    documents = ApplicationDocument.objects.filter(pk=pk)
    if access.is_staff:
        return documents.first()
    if Role.PARTNER_ADMIN in access.roles and access.partner_id is not None:
        return documents.filter(partner_id=access.partner_id).first()
    return None


def final_decision_message(*, application: Application) -> str:
    """The comment of the decision that ended the application (it is e-mailed to the applicant too).

    Only a final approval or a rejection counts: comments of intermediate steps and returns
    stay internal.
    """
    wanted = {ApplicationState.APPROVED: "approve", ApplicationState.REJECTED: "reject"}.get(application.state)
    if wanted is None:
        return ""
    last = ApprovalDecision.objects.filter(application=application).order_by("-created_at", "-id").first()
    return last.comment if last is not None and last.decision == wanted else ""


def round_approvals(*, application: Application) -> QuerySet[ApprovalDecision]:
    """The approvals of the application's current approval round (its current stay in review).

    A round ends with a return (a rejection or the final approval ends the application), so
    the round's approvals are those recorded after the latest return.
    """
    decisions = ApprovalDecision.objects.filter(application=application)
    last_return = decisions.filter(decision="return").order_by("-id").values_list("pk", flat=True).first()
    approvals = decisions.filter(decision="approve").select_related("step")
    return approvals.filter(pk__gt=last_return) if last_return is not None else approvals


def application_messages(*, application: Application) -> QuerySet[ApplicationMessage]:
    return ApplicationMessage.objects.filter(application=application).select_related("author")


def application_decisions(*, application: Application) -> QuerySet[ApprovalDecision]:
    return ApprovalDecision.objects.filter(application=application).select_related("step", "actor")


def approval_chain() -> list[ApprovalStep]:
    """The active approval steps of the current tenant, in order."""
    return list(ApprovalStep.objects.filter(is_active=True).order_by("order"))


def staff_users() -> QuerySet[User]:
    """Users holding an active staff role in the current tenant: who may review."""
    return User.objects.filter(
        pk__in=Membership.objects.filter(role__in=STAFF_ROLES, is_active=True).values("user_id"),
        is_active=True,
    ).order_by("username")


def reviewers_of(*, applications) -> QuerySet[User]:
    """The users assigned to review any of ``applications`` (a queryset or a list)."""
    return User.objects.filter(
        pk__in=ReviewerAssignment.objects.filter(application__in=applications).values("reviewer_id")
    ).order_by("username")


def user_roles(user: User) -> frozenset[str]:
    """The active roles ``user`` holds in the current tenant."""
    return frozenset(Membership.objects.filter(user=user, is_active=True).values_list("role", flat=True))


# --------------------------------------------------------------------------- scoring


def template_for(partner_type: str) -> ScorecardTemplate | None:
    """The active template for the type, else the active default template (empty type)."""
    templates = {
        t.partner_type: t
        for t in ScorecardTemplate.objects.filter(is_active=True, partner_type__in=[partner_type, ""])
    }
    return templates.get(partner_type) or templates.get("")


def recruited_partner_types() -> list[tuple[str, str]]:
    """The partner types the current tenant recruits, as choices in ``PartnerType`` order.

    A tenant says which types it recruits by giving them an active scorecard template of their
    own: those types. A default template (no type) scores whatever arrives but names no type,
    so a tenant without any type-specific template recruits all of them.
    """
    with_template = set(
        ScorecardTemplate.objects.filter(is_active=True).exclude(partner_type="")
        .values_list("partner_type", flat=True)
    )
    return [(value, label) for value, label in PartnerType.choices if not with_template or value in with_template]


@dataclass(frozen=True)
class ScoringCriterion:
    criterion: Criterion
    weight: Decimal


def scoring_criteria(*, application: Application) -> list[ScoringCriterion]:
    """What reviewers score on this application: its template's items, or every active criterion."""
    if application.scorecard_template_id is not None:
        items = TemplateCriterion.objects.filter(template_id=application.scorecard_template_id).select_related(
            "criterion"
        )
        return [ScoringCriterion(item.criterion, item.effective_weight) for item in items]
    return [ScoringCriterion(c, c.weight) for c in Criterion.objects.filter(is_active=True)]


def scorecard_list(*, application: Application) -> QuerySet[Scorecard]:
    return (
        Scorecard.objects.filter(application=application)
        .select_related("reviewer")
        .prefetch_related("scores__criterion")
    )


def can_see_all_scores(*, application: Application, user: User) -> bool:
    """Reviewers score independently: an assigned reviewer who has not submitted sees no other scores.

    Everybody else allowed to read the application (managers, approvers, reviewers who have
    submitted) sees every scorecard and the summary.
    """
    if getattr(user, "is_superuser", False):
        return True
    assigned = ReviewerAssignment.objects.filter(application=application, reviewer=user).exists()
    if not assigned:
        return True
    return Scorecard.objects.filter(application=application, reviewer=user).exists()


def visible_scorecards(*, application: Application, user: User) -> QuerySet[Scorecard]:
    queryset = scorecard_list(application=application)
    if can_see_all_scores(application=application, user=user):
        return queryset
    return queryset.filter(reviewer=user)


def own_scorecard(*, application: Application, user: User) -> Scorecard | None:
    """``user``'s own scorecard for the application, with its scores (two queries), or ``None``."""
    return scorecard_list(application=application).filter(reviewer=user).first()


def score_summary(*, application: Application, scorecards=None) -> scoring.ScoreSummary:
    """Weighted totals, the average, per-criterion spread and knock-outs (see ``recruitment.scoring``)."""
    cards = list(scorecards if scorecards is not None else scorecard_list(application=application))
    inputs = []
    criteria: dict[int, scoring.CriterionInfo] = {
        item.criterion.pk: scoring.CriterionInfo(item.criterion.pk, item.criterion.name, item.criterion.category)
        for item in scoring_criteria(application=application)
    }
    for card in cards:
        lines = []
        for score in card.scores.all():
            criteria.setdefault(
                score.criterion_id,
                scoring.CriterionInfo(score.criterion_id, score.criterion.name, score.criterion.category),
            )
            lines.append(
                scoring.ScoreLine(
                    criterion_id=score.criterion_id, value=score.value, weight=score.weight,
                    scale_max=score.scale_max, knockout_threshold=score.knockout_threshold,
                )
            )
        inputs.append(
            scoring.ScorecardInput(
                reviewer_id=card.reviewer_id, reviewer=str(card.reviewer), lines=lines, comment=card.comment,
                submitted_at=card.submitted_at,
            )
        )
    return scoring.summarise(inputs, list(criteria.values()))


# --------------------------------------------------------------------------- onboarding


def onboarding_task_list(*, partner_id: int | None = None) -> QuerySet[OnboardingTask]:
    queryset = OnboardingTask.objects.select_related("partner", "done_by", "application")
    if partner_id is not None:
        queryset = queryset.filter(partner_id=partner_id)
    return queryset


@dataclass(frozen=True)
class OnboardingChecklist:
    """One partner's onboarding checklist as the partner sees it (portal dashboard)."""

    tasks: list[OnboardingTask]

    @property
    def total(self) -> int:
        return len(self.tasks)

    @property
    def done(self) -> int:
        return sum(1 for task in self.tasks if task.is_done)

    @property
    def required_open(self) -> int:
        return sum(1 for task in self.tasks if task.required and not task.is_done)

    @property
    def percent(self) -> int:
        return round(self.done * 100 / self.total) if self.total else 0

    @property
    def complete(self) -> bool:
        return self.required_open == 0


def onboarding_checklist(*, partner_id: int) -> OnboardingChecklist | None:
    """The partner's checklist in order (one query); ``None`` for a partner that has none."""
    tasks = list(OnboardingTask.objects.filter(partner_id=partner_id).order_by("order", "key"))
    return OnboardingChecklist(tasks) if tasks else None


def application_of_partner(*, partner_id: int) -> Application | None:
    """The application a partner was recruited through (one per partner, by constraint)."""
    return Application.objects.filter(partner_id=partner_id).order_by("-pk").first()


def onboarding_templates_for(partner_type: str) -> QuerySet[OnboardingTaskTemplate]:
    return OnboardingTaskTemplate.objects.filter(is_active=True, partner_type__in=[partner_type, ""])


def onboarding_progress(*, partner_id: int) -> dict[str, int]:
    counts = OnboardingTask.objects.filter(partner_id=partner_id).aggregate(
        n_total=Count("pk"),
        n_done=Count("pk", filter=Q(done_at__isnull=False)),
        n_required=Count("pk", filter=Q(required=True)),
        n_required_done=Count("pk", filter=Q(required=True, done_at__isnull=False)),
    )
    return {key.removeprefix("n_"): value or 0 for key, value in counts.items()}



# --------------------------------------------------------------------------- reports
#
# Each report reads a fixed number of queries however many rows it has (tests assert it);
# ``recruitment.reports`` turns these rows into tables, charts and CSV/XLSX files.

FUNNEL_STAGES = ("applications", "qualified", "approved", "active")
FUNNEL_GROUPS = ("plan", "campaign", "region", "partner_type")
DECISION_GROUPS = ("outcome", "partner_type", "month")


@dataclass
class FunnelRow:
    """One group of submitted applications and how far they got (drafts are not counted)."""

    key: str
    label: str
    applications: int = 0
    qualified: int = 0  # passed screening (entered scoring at least once)
    approved: int = 0
    active: int = 0  # became a partner that is active now
    cost: Decimal | None = None  # campaigns and plans: what they cost

    @property
    def approval_rate(self) -> Decimal | None:
        return scoring.rounded(Decimal(self.approved) * 100 / self.applications) if self.applications else None

    @property
    def cost_per_approved(self) -> Decimal | None:
        if self.cost is None or not self.approved:
            return None
        return scoring.rounded(Decimal(self.cost) / self.approved)


def _funnel_counts() -> dict:
    return {
        "applications": Count("pk", distinct=True),
        "qualified": Count("pk", filter=Q(qualified_at__isnull=False), distinct=True),
        "approved": Count("pk", filter=Q(state=ApplicationState.APPROVED), distinct=True),
        "active": Count("pk", filter=Q(partner__status=PartnerStatus.ACTIVE), distinct=True),
    }


def _submitted_applications() -> QuerySet[Application]:
    return Application.objects.filter(_submitted())


class _SubqueryCount(Subquery):
    """``(SELECT COUNT(DISTINCT id) FROM (<subquery>))``: rows of a correlated subquery, joins deduplicated."""

    template = "(SELECT COUNT(DISTINCT _rows.id) FROM (%(subquery)s) _rows)"
    output_field = IntegerField()


def funnel(*, by: str) -> list[FunnelRow]:
    """The recruitment funnel grouped ``by`` plan, campaign, region (sales area) or partner type.

    Plans and campaigns list every one of them (zero rows too) plus a row for applications
    without one. Regions are the top-level sales areas; an application counts in every area
    it wants a region in, so area rows can add up to more than the total.
    """
    if by not in FUNNEL_GROUPS:
        raise ValueError(f"unknown funnel grouping {by!r}")
    if by == "region":
        return _funnel_by_area()
    if by == "partner_type":
        labels = dict(PartnerType.choices)
        counted = _submitted_applications().order_by().values("partner_type").annotate(**_funnel_counts())
        rows = [FunnelRow(key=row["partner_type"], label=str(labels.get(row["partner_type"], row["partner_type"])),
                          **{stage: row[stage] for stage in FUNNEL_STAGES}) for row in counted]
        return sorted(rows, key=lambda row: (-row.applications, row.label))
    field = f"{by}_id"
    counted = {
        row[field]: row
        for row in _submitted_applications().order_by().values(field).annotate(**_funnel_counts())
    }
    if by == "plan":
        cost = (
            Campaign.objects.filter(plan=OuterRef("pk")).order_by().values("plan")
            .annotate(total=Sum("cost")).values("total")[:1]
        )
        plans = RecruitmentPlan.objects.order_by("-start_date", "name").annotate(
            campaign_cost=Coalesce(Subquery(cost, output_field=MONEY), Value(Decimal("0.00")), output_field=MONEY)
        )
        groups = [(plan.pk, plan.name, plan.campaign_cost) for plan in plans]
        none_label = _("No plan")
    else:
        groups = [(c.pk, f"{c.name} ({c.code})", c.cost) for c in Campaign.objects.order_by("-start_date", "name")]
        none_label = _("No campaign")
    rows = []
    for pk, label, cost in groups:
        counts = counted.get(pk, {})
        rows.append(FunnelRow(key=str(pk), label=label, cost=cost,
                              **{stage: counts.get(stage, 0) for stage in FUNNEL_STAGES}))
    if None in counted:
        rows.append(FunnelRow(key="", label=str(none_label),
                              **{stage: counted[None][stage] for stage in FUNNEL_STAGES}))
    return rows


def _funnel_by_area() -> list[FunnelRow]:
    def count(extra: Q | None = None):
        inner = _submitted_applications().filter(extra or Q(), regions__path__startswith=OuterRef("path"))
        return _SubqueryCount(inner.order_by().values("id"))

    areas = Region.objects.filter(parent__isnull=True).order_by("path").annotate(
        n_applications=count(),
        n_qualified=count(Q(qualified_at__isnull=False)),
        n_approved=count(Q(state=ApplicationState.APPROVED)),
        n_active=count(Q(partner__status=PartnerStatus.ACTIVE)),
    )
    return [
        FunnelRow(key=area.code, label=area.display_name,
                  **{stage: getattr(area, f"n_{stage}") for stage in FUNNEL_STAGES})
        for area in areas
    ]


def funnel_total(rows: list[FunnelRow]) -> FunnelRow:
    """All submitted applications once (not the sum of the rows, which may count one twice)."""
    counts = _submitted_applications().aggregate(**_funnel_counts())
    return FunnelRow(key="total", label=str(_("All applications")), **counts)


@dataclass
class DecisionRow:
    """Days from submission to the decision (approved or rejected), for one group."""

    key: str
    label: str
    decided: int
    approved: int
    rejected: int
    average_days: Decimal | None
    median_days: Decimal | None
    fastest_days: Decimal | None
    slowest_days: Decimal | None


def _days(seconds: float) -> Decimal:
    return Decimal(str(seconds / 86400))


def _decision_row(key: str, label: str, items: list[tuple[str, float]]) -> DecisionRow:
    durations = sorted(_days(seconds) for _state, seconds in items)
    one_place = Decimal("0.1")

    def shown(value):
        return None if value is None else value.quantize(one_place, rounding=ROUND_HALF_UP)

    median = None
    if durations:
        middle = len(durations) // 2
        median = durations[middle] if len(durations) % 2 else (durations[middle - 1] + durations[middle]) / 2
    return DecisionRow(
        key=key, label=label, decided=len(items),
        approved=sum(1 for state, _s in items if state == ApplicationState.APPROVED),
        rejected=sum(1 for state, _s in items if state == ApplicationState.REJECTED),
        average_days=shown(scoring.mean(durations)), median_days=shown(median),
        fastest_days=shown(durations[0] if durations else None),
        slowest_days=shown(durations[-1] if durations else None),
    )


def time_to_decision(*, by: str = "outcome") -> list[DecisionRow]:
    """Days from ``submitted_at`` to ``decided_at`` of approved and rejected applications (one query).

    Withdrawn applications are not decisions and are left out. ``by``: ``outcome`` (approved,
    rejected, all), ``partner_type`` or ``month`` (of the decision, in the tenant's time zone).
    """
    if by not in DECISION_GROUPS:
        raise ValueError(f"unknown grouping {by!r}")
    decided = Application.objects.filter(
        state__in=[ApplicationState.APPROVED, ApplicationState.REJECTED],
        submitted_at__isnull=False, decided_at__isnull=False,
    ).order_by("decided_at").values_list("state", "partner_type", "submitted_at", "decided_at")
    items = [(state, ptype, decided_at, (decided_at - submitted).total_seconds())
             for state, ptype, submitted, decided_at in decided]
    if by == "outcome":
        labels = dict(ApplicationState.choices)
        rows = [
            _decision_row(state, str(labels[state]), [(s, sec) for s, _t, _d, sec in items if s == state])
            for state in (ApplicationState.APPROVED, ApplicationState.REJECTED)
        ]
        rows.append(_decision_row("all", str(_("All decisions")), [(s, sec) for s, _t, _d, sec in items]))
        return rows
    groups: dict[str, list] = {}
    labels: dict[str, str] = {}
    type_labels = dict(PartnerType.choices)
    for state, ptype, decided_at, seconds in items:
        if by == "partner_type":
            key, label = ptype, str(type_labels.get(ptype, ptype))
        else:
            key = label = timezone.localtime(decided_at).strftime("%Y-%m")
        groups.setdefault(key, []).append((state, seconds))
        labels[key] = label
    return [_decision_row(key, labels[key], groups[key]) for key in sorted(groups)]


@dataclass
class WorkloadRow:
    """One reviewer's scoring work: assigned, scored, pending (could score now), speed."""

    key: str
    label: str
    assigned: int
    scored: int
    pending: int  # assigned, not scored, and the application is in scoring
    average_days_to_score: Decimal | None


def reviewer_workload() -> list[WorkloadRow]:
    """Per reviewer (two queries): assignments, scorecards, what waits for them, days to score.

    Days to score run from the assignment to the reviewer's (latest) scorecard. An assignment
    left unscored after the application moved on is neither scored nor pending.
    """
    scored_at = Scorecard.objects.filter(
        application=OuterRef("application"), reviewer=OuterRef("reviewer")
    ).values("submitted_at")[:1]
    assignments = (
        ReviewerAssignment.objects.order_by().annotate(scored_at=Subquery(scored_at))
        .values_list("reviewer_id", "assigned_at", "scored_at", "application__state")
    )
    per_reviewer: dict[int, dict] = {}
    for reviewer_id, assigned_at, submitted_at, state in assignments:
        row = per_reviewer.setdefault(reviewer_id, {"assigned": 0, "scored": 0, "pending": 0, "days": []})
        row["assigned"] += 1
        if submitted_at is not None:
            row["scored"] += 1
            row["days"].append(_days(max((submitted_at - assigned_at).total_seconds(), 0)))
        elif state == ApplicationState.SCORING:
            row["pending"] += 1
    people = {user.pk: user for user in User.objects.filter(pk__in=per_reviewer)}
    rows = []
    for reviewer_id, row in per_reviewer.items():
        user = people.get(reviewer_id)
        average = scoring.mean(row["days"])
        rows.append(WorkloadRow(
            key=str(reviewer_id), label=(user.get_full_name() or user.username) if user else str(reviewer_id),
            assigned=row["assigned"], scored=row["scored"], pending=row["pending"],
            average_days_to_score=None if average is None else average.quantize(
                Decimal("0.1"), rounding=ROUND_HALF_UP),
        ))
    return sorted(rows, key=lambda row: (-row.pending, -row.assigned, row.label))



def application_state_counts() -> dict[str, int]:
    """Applications per state (every state present, zero when none): one query."""
    counts = dict(Application.objects.order_by().values_list("state").annotate(n=Count("pk")))
    return {state: counts.get(state, 0) for state in ApplicationState.values}
