"""Training plans: audience, publication, the programme's sessions generated in one action, enrolling the audience.

Every write here is ``training.plan.manage`` (trainers, channel managers, owners).
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from channelhub.partners.models import Partner, Region
from channelhub.tenancy.models import Membership, Tenant, User
from channelhub.tenancy.policy import authorize, trusted
from channelhub.tenancy.roles import PARTNER_ROLES, Role
from channelhub.tenancy.services import assign_fields, audited_save, require_same_tenant
from channelhub.tenancy.workflow import transition

from ..models import Course, EnrolmentState, PlanAudience, PlanState, Session, SessionFormat, TrainingPlan
from ..permissions import PLAN_MANAGE
from ..selectors.plans import audience_condition
from ..workflow import PLAN_WORKFLOW
from ._common import delete_guarded

# The tenant's own channel staff a plan for "channel staff" enrols (销售经理、渠道经理、渠道主管).
CHANNEL_STAFF_ROLES = (Role.CHANNEL_MANAGER,)


@transaction.atomic
def plan_create(
    *, tenant: Tenant, actor: User | None, regions: Iterable[Region] = (), partners: Iterable[Partner] = (),
    **fields: Any,
) -> TrainingPlan:
    """A new plan starts as a draft; ``regions`` and ``partners`` join its audience."""
    authorize(actor, PLAN_MANAGE.code, tenant=tenant)
    fields.pop("state", None)
    plan = audited_save(assign_fields(TrainingPlan(tenant=tenant), fields), actor=actor, reason=_("Created"))
    for region in regions:
        audience_add(plan=plan, region=region, actor=actor)
    for partner in partners:
        audience_add(plan=plan, partner=partner, actor=actor)
    return plan


@transaction.atomic
def plan_update(*, plan: TrainingPlan, actor: User | None, **fields: Any) -> TrainingPlan:
    authorize(actor, PLAN_MANAGE.code, tenant=plan.tenant_id)
    for name in ("state", "regions", "partners"):
        fields.pop(name, None)
    return audited_save(assign_fields(plan, fields), actor=actor, reason=_("Updated"))


def plan_delete(*, plan: TrainingPlan, actor: User | None) -> None:
    authorize(actor, PLAN_MANAGE.code, tenant=plan.tenant_id)
    if plan.state != PlanState.DRAFT:
        raise ValidationError(_("Only a draft plan can be deleted; close it instead."))
    delete_guarded(plan, actor=actor)


def plan_transition(*, plan: TrainingPlan, to_status: str, actor: User | None, reason: str = "") -> TrainingPlan:
    """Draft → published → closed (a draft may be closed unused); closing cannot be undone."""
    authorize(actor, PLAN_MANAGE.code, tenant=plan.tenant_id)
    return transition(workflow=PLAN_WORKFLOW, instance=plan, to_state=to_status, actor=actor, reason=reason)


@transaction.atomic
def audience_add(*, plan: TrainingPlan, actor: User | None, region: Region | None = None,
                 partner: Partner | None = None) -> PlanAudience:
    authorize(actor, PLAN_MANAGE.code, tenant=plan.tenant_id)
    require_same_tenant(plan.tenant_id, region, partner)
    row = PlanAudience(tenant_id=plan.tenant_id, plan=plan, region=region, partner=partner)
    return audited_save(row, actor=actor, reason=_("Added to the audience"))


def audience_remove(*, audience: PlanAudience, actor: User | None) -> None:
    authorize(actor, PLAN_MANAGE.code, tenant=audience.tenant_id)
    delete_guarded(audience, actor=actor)


# --------------------------------------------------------------------------- audience


def audience_partners(plan: TrainingPlan):
    """The partners a plan trains (the rule is ``selectors.audience_condition``)."""
    rows = PlanAudience.objects.filter(plan=plan).select_related("region")
    return Partner.objects.filter(audience_condition(plan, rows))


def plan_includes_partner(plan: TrainingPlan, partner_id: int) -> bool:
    return audience_partners(plan).filter(pk=partner_id).exists()


def audience_trainees(plan: TrainingPlan) -> list[tuple[int, int | None]]:
    """(user id, partner id or None) of everyone the plan trains: partner staff and, if chosen, own staff."""
    found = list(
        Membership.objects.filter(
            role__in=sorted(PARTNER_ROLES), is_active=True, partner__in=audience_partners(plan),
        ).values_list("user_id", "partner_id").distinct()
    )
    if plan.include_channel_staff:
        found += [
            (user_id, None) for user_id in Membership.objects.filter(
                role__in=CHANNEL_STAFF_ROLES, is_active=True).values_list("user_id", flat=True).distinct()
        ]
    seen, unique = set(), []
    for user_id, partner_id in found:
        if user_id not in seen:
            seen.add(user_id)
            unique.append((user_id, partner_id))
    return unique


# --------------------------------------------------------------------------- the programme


@dataclass(frozen=True)
class Programme:
    """The source document's schedule: one on-site session of 2–3 days a month, 1–2 online lessons a week."""

    on_site_courses: Sequence[Course]
    online_courses: Sequence[Course]
    location: str
    online_url: str
    instructor: User | None = None
    on_site_days: int = 2
    online_per_week: int = 1
    capacity: int = 30
    online_capacity: int = 200


def _local(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _add_months(day: datetime.date, months: int) -> datetime.date:
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _weekday_on_or_after(day: datetime.date, weekday: int) -> datetime.date:
    return day + datetime.timedelta(days=(weekday - day.weekday()) % 7)


@transaction.atomic
def plan_generate_sessions(*, plan: TrainingPlan, programme: Programme, actor: User | None) -> list[Session]:
    """Create every session of the plan's period in one action (a plan is generated once).

    Each month of the period: one on-site session (``on_site_days`` consecutive days from the
    month's first Monday in the period, 09:00–17:00); each week: ``online_per_week`` online
    lessons (Tuesday, then Thursday, 19:00–20:30). Courses rotate through the lists given.
    """
    authorize(actor, PLAN_MANAGE.code, tenant=plan.tenant_id)
    if not programme.on_site_courses or not programme.online_courses:
        raise ValidationError(_("Choose at least one course for the on-site sessions and one for the online lessons."))
    if not 1 <= programme.on_site_days <= 5 or not 1 <= programme.online_per_week <= 3:
        raise ValidationError(_("On-site sessions last 1 to 5 days; 1 to 3 online lessons a week."))
    require_same_tenant(plan.tenant_id, *programme.on_site_courses, *programme.online_courses)
    if Session.objects.filter(plan=plan).exists():
        raise ValidationError(_("This plan's sessions were already generated."))
    created: list[Session] = []
    month = 0
    while True:
        month_start = _add_months(plan.starts_on, month)
        if month_start > plan.ends_on:
            break
        first = _weekday_on_or_after(month_start, 0)
        last = first + datetime.timedelta(days=programme.on_site_days - 1)
        if last <= plan.ends_on:
            course = programme.on_site_courses[month % len(programme.on_site_courses)]
            created.append(_session(plan, actor, course=course, format=SessionFormat.ON_SITE,
                                    title=_("%(course)s (on-site, month %(n)d)") % {"course": course.title,
                                                                                 "n": month + 1},
                                    location=programme.location, instructor=programme.instructor,
                                    starts_at=_local(first, 9), ends_at=_local(last, 17),
                                    capacity=programme.capacity))
        month += 1
    week_start = plan.starts_on - datetime.timedelta(days=plan.starts_on.weekday())
    lesson = 0
    while week_start <= plan.ends_on:
        for weekday in (1, 3)[: programme.online_per_week] if programme.online_per_week <= 2 else (0, 2, 4):
            day = week_start + datetime.timedelta(days=weekday)
            if plan.starts_on <= day <= plan.ends_on:
                course = programme.online_courses[lesson % len(programme.online_courses)]
                lesson += 1
                created.append(_session(plan, actor, course=course, format=SessionFormat.ONLINE,
                                        title=_("%(course)s (online lesson %(n)d)") % {"course": course.title,
                                                                                    "n": lesson},
                                        online_url=programme.online_url, instructor=programme.instructor,
                                        starts_at=_local(day, 19), ends_at=_local(day, 20, 30),
                                        capacity=programme.online_capacity))
        week_start += datetime.timedelta(days=7)
    return created


def _session(plan, actor, **fields) -> Session:
    return audited_save(Session(tenant_id=plan.tenant_id, plan=plan, **fields), actor=actor,
                        reason=_("Generated from the plan"))


def plan_enrol_audience(*, plan: TrainingPlan, actor: User | None, sessions: Iterable[Session] | None = None
                        ) -> Counter:
    """Enrol everyone the plan trains in its upcoming sessions (or ``sessions``), in one action.

    Each enrolment is its own short transaction with the session locked, so a full session
    wait-lists the rest and concurrent enrolments from the portal stay consistent. People
    already enrolled are left as they are. Returns counts by resulting state.
    """
    from .sessions import enrolment_create

    authorize(actor, PLAN_MANAGE.code, tenant=plan.tenant_id)
    if plan.state != PlanState.PUBLISHED:
        raise ValidationError(_("Publish the plan before enrolling its audience."))
    chosen = list(sessions) if sessions is not None else list(
        Session.objects.filter(plan=plan, is_cancelled=False, starts_at__gte=timezone.now()))
    require_same_tenant(plan.tenant_id, *chosen)
    trainees = audience_trainees(plan)
    users = {user.pk: user for user in User.objects.filter(pk__in=[user_id for user_id, _p in trainees])}
    counts: Counter = Counter()
    with trusted():
        for session in chosen:
            for user_id, _partner in trainees:
                try:
                    enrolment = enrolment_create(session=session, trainee=users[user_id], actor=actor)
                except ValidationError:
                    counts["skipped"] += 1
                    continue
                counts[enrolment.state] += 1
    counts.setdefault(EnrolmentState.ENROLLED, 0)
    return counts
