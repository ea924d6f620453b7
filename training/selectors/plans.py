"""Plans, sessions, enrolments, attempts and needs as their pages read them."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from channelhub import tiers
from channelhub.partners.models import Partner
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


def plans_training_partner(partner_id: int) -> list[int]:
    """Ids of the published plans whose audience includes the partner (the rule of ``audience_partners``).

    Three queries whatever the number of plans: the partner, its tier, and the published plans with
    their audience.
    """
    from ..services import TRAINED_STATUSES

    partner = Partner.objects.select_related("region").filter(pk=partner_id).first()
    if partner is None:
        return []
    region_path = partner.region.path if partner.region_id else None
    tier = tiers.codes_of([partner.pk]).get(partner.pk)
    found = []
    for plan in TrainingPlan.objects.filter(state=PlanState.PUBLISHED).prefetch_related(
            Prefetch("audience", queryset=PlanAudience.objects.select_related("region"))):
        rows = list(plan.audience.all())
        if any(row.partner_id == partner.pk for row in rows):
            found.append(plan.pk)
            continue
        regions = [row.region.path for row in rows if row.region_id]
        if partner.status not in TRAINED_STATUSES or not (plan.partner_types or plan.tiers or regions):
            continue
        type_ok = not plan.partner_types or partner.partner_type in plan.partner_types
        type_ok = type_ok and (not plan.tiers or tier in plan.tiers)
        region_ok = not regions or (region_path is not None and any(region_path.startswith(p) for p in regions))
        if type_ok and region_ok:
            found.append(plan.pk)
    return found


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
