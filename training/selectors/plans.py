"""Plans, sessions, enrolments, attempts and needs as their pages read them."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from channelhub import tiers
from channelhub.partners.models import Partner, PartnerStatus
from channelhub.tenancy.models import Membership, User
from channelhub.tenancy.roles import PARTNER_ROLES

from ..models import (
    SEATED,
    Attempt,
    Choice,
    Enrolment,
    EnrolmentState,
    PlanAudience,
    PlanState,
    Question,
    Session,
    TrainingNeed,
    TrainingPlan,
)


def plan_list() -> QuerySet[TrainingPlan]:
    return TrainingPlan.objects.select_related("owner").annotate(
        session_count=Count("sessions", distinct=True),
        enrolment_count=Count("sessions__enrolments", filter=Q(sessions__enrolments__state__in=SEATED),
                              distinct=True),
        attended_count=Count("sessions__enrolments",
                             filter=Q(sessions__enrolments__state=EnrolmentState.ATTENDED), distinct=True),
    )


def session_list() -> QuerySet[Session]:
    return Session.objects.select_related("course", "plan", "instructor").annotate(
        seated_count=Count("enrolments", filter=Q(enrolments__state__in=SEATED)),
        waitlist_count=Count("enrolments", filter=Q(enrolments__state=EnrolmentState.WAITLISTED)),
        attended_count=Count("enrolments", filter=Q(enrolments__state=EnrolmentState.ATTENDED)),
    )


def enrolment_list() -> QuerySet[Enrolment]:
    return Enrolment.objects.select_related("session", "session__course", "trainee", "partner")


def sessions_of_trainee(user_id: int) -> QuerySet[Enrolment]:
    """A person's enrolments (any state but cancelled), soonest first."""
    return (enrolment_list().filter(trainee_id=user_id).exclude(state=EnrolmentState.CANCELLED)
            .prefetch_related("feedback").order_by("session__starts_at"))


# Partners the plans train while in these states; named partners whatever their status.
TRAINED_STATUSES = (PartnerStatus.ONBOARDING, PartnerStatus.ACTIVE, PartnerStatus.SUSPENDED)


def audience_condition(plan: TrainingPlan, rows: Iterable[PlanAudience]) -> Q:
    """The one rule of who a plan trains, as a condition on partners: those matching all its
    criteria (partner types, tiers, regions: each optional, at least one set) and its named
    partners. ``rows`` are the plan's audience rows with their regions."""
    rows = list(rows)
    named = [row.partner_id for row in rows if row.partner_id]
    regions = [row.region.path for row in rows if row.region_id]
    criteria = Q()
    if plan.partner_types:
        criteria &= Q(partner_type__in=plan.partner_types)
    if plan.tiers:
        criteria &= Q(pk__in=tiers.partners_in(plan.tiers))
    if regions:
        in_regions = Q()
        for path in regions:
            in_regions |= Q(region__path__startswith=path)
        criteria &= in_regions
    has_criteria = bool(plan.partner_types or plan.tiers or regions)
    matching = Q(status__in=TRAINED_STATUSES) & criteria if has_criteria else Q(pk__in=[])
    # Named partners are the manager's explicit choice, whatever their status.
    return matching | Q(pk__in=named)


def plans_training_partner(partner_id: int) -> list[int]:
    """Ids of the published plans whose audience includes the partner.

    Two queries whatever the number of plans: the published plans with their audience, then
    one filtered count per plan over the partner's single row, each by ``audience_condition``.
    """
    plans = list(TrainingPlan.objects.filter(state=PlanState.PUBLISHED).prefetch_related(
        Prefetch("audience", queryset=PlanAudience.objects.select_related("region"))))
    if not plans:
        return []
    counts = Partner.objects.filter(pk=partner_id).aggregate(**{
        f"plan_{plan.pk}": Count("pk", filter=audience_condition(plan, plan.audience.all())) for plan in plans
    })
    return [plan.pk for plan in plans if counts[f"plan_{plan.pk}"]]


def open_sessions_for_partner(partner_id: int) -> QuerySet[Session]:
    """Upcoming sessions of the published plans that train the partner (the service checks again)."""
    return (session_list().filter(plan_id__in=plans_training_partner(partner_id), is_cancelled=False,
                                  ends_at__gte=timezone.now()).order_by("starts_at"))


def staff_of_partner(partner_id: int) -> QuerySet[User]:
    """The partner's active portal users: whom its partner admin may enrol."""
    return User.objects.filter(
        pk__in=Membership.objects.filter(partner_id=partner_id, role__in=sorted(PARTNER_ROLES), is_active=True)
        .values("user_id")).order_by("last_name", "first_name", "username")


def attempt_list() -> QuerySet[Attempt]:
    return Attempt.objects.select_related("assessment", "assessment__course", "trainee", "partner")


def attempts_of(user_id: int) -> QuerySet[Attempt]:
    return attempt_list().filter(trainee_id=user_id)


def attempt_questions(attempt: Attempt) -> list[Question]:
    """The attempt's questions in the trainee's stored order, with their options (never ``is_correct``: callers
    show text only; the correct options are read again only after submission)."""
    questions = {q.pk: q for q in Question.objects.filter(pk__in=attempt.question_order).prefetch_related(
        Prefetch("choices", queryset=Choice.objects.only("pk", "text", "order", "question_id", "tenant_id")))}
    return [questions[pk] for pk in attempt.question_order if pk in questions]


def need_list() -> QuerySet[TrainingNeed]:
    return TrainingNeed.objects.select_related("partner", "submitted_by", "assessed_by")
