"""Recruitment's work queues on the admin home (``channelhub.admin.queues``).

Each is one COUNT over an indexed filter (state, reviewer, current step, open checklist
item) and links to the changelist filtered to exactly the rows it counted.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from channelhub.admin.queues import Queue, changelist_url, work_queue
from channelhub.partners.models import PartnerStatus
from channelhub.tenancy.roles import STAFF_ROLES

from ..models import Application, ApplicationState, OnboardingTask, ReviewerAssignment, Scorecard
from ..permissions import APPLICATION_DECIDE, APPLICATION_MANAGE, APPLICATION_SCORE, ONBOARDING_MANAGE
from .decisions import AwaitingMyDecisionFilter, decision_steps


@work_queue("recruitment.awaiting_my_score", label=_("Applications awaiting my score"),
            roles=APPLICATION_SCORE.roles & STAFF_ROLES, order=10)
def awaiting_my_score(request) -> Queue | None:
    # The same rows as the changelist's "my reviews: awaiting my score" (selectors.my_reviews).
    user = request.user
    count = (
        ReviewerAssignment.objects.filter(reviewer=user, application__state=ApplicationState.SCORING)
        .exclude(Exists(Scorecard.objects.filter(application=OuterRef("application"), reviewer=user)))
        .count()
    )
    if not count and not ReviewerAssignment.objects.filter(reviewer=user).exists():
        return None  # never asked to review: no queue, rather than a queue that is always done
    return Queue(count=count, url=changelist_url("recruitment.application", "my_review=awaiting"))


@work_queue("recruitment.awaiting_my_approval", label=_("Applications awaiting my approval"),
            roles=APPLICATION_DECIDE.roles & STAFF_ROLES, order=20)
def awaiting_my_approval(request) -> Queue | None:
    steps = decision_steps(request)
    if steps is not None and not steps:
        return None  # holds no step of the approval chain
    queryset = Application.objects.filter(state=ApplicationState.IN_REVIEW)
    if steps is not None:
        queryset = queryset.filter(current_step_id__in=steps)
    return Queue(count=queryset.count(),
                 url=changelist_url("recruitment.application", f"{AwaitingMyDecisionFilter.parameter_name}=yes"))


@work_queue("recruitment.submitted_unscreened", label=_("Applications submitted, not yet screened"),
            roles=APPLICATION_MANAGE.roles & STAFF_ROLES, order=30)
def submitted_unscreened(request) -> Queue:
    count = Application.objects.filter(state=ApplicationState.SUBMITTED).count()
    return Queue(count=count,
                 url=changelist_url("recruitment.application", f"state__exact={ApplicationState.SUBMITTED}"))


@work_queue("recruitment.onboarding_open", label=_("Partners onboarding with open checklist items"),
            roles=ONBOARDING_MANAGE.roles & STAFF_ROLES, order=40)
def onboarding_open(request) -> Queue:
    count = (
        OnboardingTask.objects.filter(done_at__isnull=True, partner__status=PartnerStatus.ONBOARDING)
        .values("partner_id").distinct().count()
    )
    return Queue(count=count, url=changelist_url("recruitment.onboardingtask", "done=no"))


