"""Training needs (培训需求, 第十四条): the partner admin's survey and the manager's assessment."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from channelhub.partners.models import Partner
from channelhub.tenancy.models import Tenant, User
from channelhub.tenancy.policy import authorize
from channelhub.tenancy.services import assign_fields, audited_save, require_same_tenant

from ..models import Course, CourseKind, TrainingNeed, TrainingPlan
from ..permissions import NEED_ASSESS, NEED_SUBMIT, PLAN_MANAGE
from ._common import delete_guarded

SURVEY_FIELDS = ("topics", "sales_staff", "service_staff", "managers", "skill_levels", "notes")


@transaction.atomic
def need_submit(*, tenant: Tenant, partner: Partner, actor: User | None, **fields: Any) -> TrainingNeed:
    """A partner admin (for their own company) or a manager records a needs survey."""
    authorize(actor, NEED_SUBMIT.code, tenant=tenant, partner=partner)
    require_same_tenant(tenant, partner)
    data = {name: value for name, value in fields.items() if name in SURVEY_FIELDS}
    need = assign_fields(TrainingNeed(tenant=tenant, partner=partner, submitted_by=actor), data)
    return audited_save(need, actor=actor, reason=_("Survey submitted"))


@transaction.atomic
def need_update(*, need: TrainingNeed, actor: User | None, **fields: Any) -> TrainingNeed:
    authorize(actor, NEED_SUBMIT.code, tenant=need.tenant_id, partner=need.partner_id)
    data = {name: value for name, value in fields.items() if name in SURVEY_FIELDS}
    return audited_save(assign_fields(need, data), actor=actor, reason=_("Updated"))


def need_delete(*, need: TrainingNeed, actor: User | None) -> None:
    authorize(actor, NEED_SUBMIT.code, tenant=need.tenant_id, partner=need.partner_id)
    delete_guarded(need, actor=actor)


@transaction.atomic
def need_assess(*, need: TrainingNeed, actor: User | None, assessment: str) -> TrainingNeed:
    """The manager's assessment of a partner's needs (what the plan should give it)."""
    authorize(actor, NEED_ASSESS.code, tenant=need.tenant_id)
    need.manager_assessment = assessment
    need.assessed_by, need.assessed_at = actor, timezone.now()
    return audited_save(need, actor=actor, reason=_("Assessed"))


# Skills a partner rates this low (1–5) count as needs even when the topic was not ticked.
WEAK_SKILL_LEVEL = 2
PLAN_MONTHS = 3


def _next_month_start(day: datetime.date) -> datetime.date:
    return (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


def _unique_plan_name(base: str) -> str:
    name, n = base, 1
    while TrainingPlan.objects.filter(name=name).exists():
        n += 1
        name = f"{base} ({n})"
    return name[:200]


@transaction.atomic
def plan_draft_from_needs(*, tenant: Tenant, needs: Iterable[TrainingNeed], actor: User | None) -> TrainingPlan:
    """Draft a 3-month plan for the partners whose surveys are chosen (内容根据合作伙伴的情况定制).

    The audience is the surveyed partners by name; the goals list the topics they asked for
    (and the skills they rated weak), with how many partners want each, the manager's
    assessments and the published courses of those kinds. The plan stays a draft to adjust.
    """
    authorize(actor, PLAN_MANAGE.code, tenant=tenant)
    needs = list(needs)
    if not needs:
        raise ValidationError(_("Choose at least one training needs survey."))
    require_same_tenant(tenant, *needs)
    # The latest survey of each partner speaks for it.
    latest: dict[int, TrainingNeed] = {}
    for need in sorted(needs, key=lambda row: row.created_at):
        latest[need.partner_id] = need
    wanted: Counter = Counter()
    for need in latest.values():
        kinds = set(need.topics or [])
        kinds |= {kind for kind, level in (need.skill_levels or {}).items() if level <= WEAK_SKILL_LEVEL}
        wanted.update(kind for kind in kinds if kind in CourseKind.values)
    labels = dict(CourseKind.choices)
    lines = [_("Drafted from the training needs of %(count)d partners.") % {"count": len(latest)}]
    if wanted:
        lines.append(_("Topics wanted (partners asking):"))
        lines += [f"- {labels[kind]}: {count}" for kind, count in wanted.most_common()]
        courses = list(Course.objects.filter(kind__in=list(wanted), is_published=True).order_by("kind", "code"))
        if courses:
            lines.append(_("Courses of these kinds:"))
            lines += [f"- {course}" for course in courses]
    staff = sum(need.sales_staff + need.service_staff + need.managers for need in latest.values())
    lines.append(_("Staff to train (as surveyed): %(count)d") % {"count": staff})
    assessed = [need for need in latest.values() if need.manager_assessment.strip()]
    if assessed:
        lines.append(_("Manager's assessments:"))
        lines += [f"- {need.partner}: {need.manager_assessment.strip()}" for need in assessed]
    starts_on = _next_month_start(timezone.localdate())
    ends_on = starts_on
    for _month in range(PLAN_MONTHS):
        ends_on = _next_month_start(ends_on)
    ends_on -= datetime.timedelta(days=1)
    from .plans import plan_create

    partners = list(Partner.objects.filter(pk__in=list(latest)).order_by("pk"))
    return plan_create(
        tenant=tenant, actor=actor, partners=partners, owner=actor,
        name=_unique_plan_name(_("Training plan from needs, %(month)s") % {"month": starts_on.strftime("%Y-%m")}),
        goals="\n".join(lines), starts_on=starts_on, ends_on=ends_on,
    )
