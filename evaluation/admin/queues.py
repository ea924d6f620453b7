"""Evaluation's work queues on the admin home (``channelhub.admin.queues``): one COUNT each."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from channelhub.admin.queues import Queue, changelist_url, work_queue

from .. import selectors
from ..models import CycleState, IncentiveStatement, ReviewCycle, StatementState
from ..permissions import CYCLE_CONFIRM, CYCLE_PUBLISH, IMPROVEMENT_MANAGE, STATEMENT_APPROVE
from ._common import staff_roles


@work_queue("evaluation.awaiting_confirmation", label=_("Review cycles awaiting sign-off"),
            roles=staff_roles(CYCLE_CONFIRM), order=60)
def awaiting_confirmation(request) -> Queue:
    count = ReviewCycle.objects.filter(state=CycleState.COMPUTED).count()
    return Queue(count=count, url=changelist_url("evaluation.reviewcycle", f"state__exact={CycleState.COMPUTED}"))


@work_queue("evaluation.awaiting_publication", label=_("Review cycles awaiting publication"),
            roles=staff_roles(CYCLE_PUBLISH), order=61)
def awaiting_publication(request) -> Queue:
    count = ReviewCycle.objects.filter(state=CycleState.CONFIRMED).count()
    return Queue(count=count, url=changelist_url("evaluation.reviewcycle", f"state__exact={CycleState.CONFIRMED}"))


@work_queue("evaluation.statements_to_approve", label=_("Incentive statements to approve"),
            roles=staff_roles(STATEMENT_APPROVE), order=62)
def statements_to_approve(request) -> Queue:
    count = IncentiveStatement.objects.filter(
        state=StatementState.DRAFT, cycle__state__in=(CycleState.CONFIRMED, CycleState.PUBLISHED)).count()
    return Queue(count=count,
                 url=changelist_url("evaluation.incentivestatement", f"state__exact={StatementState.DRAFT}"))


@work_queue("evaluation.actions_overdue", label=_("Improvement actions overdue"),
            roles=staff_roles(IMPROVEMENT_MANAGE), order=63)
def actions_overdue(request) -> Queue:
    return Queue(count=selectors.overdue_actions().count(),
                 url=changelist_url("evaluation.improvementplan", "overdue=yes"))
