"""The training state machines: one transition table per workflow.

Training plan (培训计划)::

    draft → published, closed
    published → closed
    closed: final

Enrolment::

    enrolled   → cancelled, attended, absent
    waitlisted → enrolled (a seat freed), cancelled
    attended  ↔ absent (the trainer corrects the register)
    cancelled  → enrolled, waitlisted (enrolled again)
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from channelhub.tenancy.workflow import Workflow

from .models import EnrolmentState as E
from .models import PlanState

PLAN_WORKFLOW = Workflow.build(
    name="training.plan",
    verbose_name=_("training plan"),
    state_field="state",
    states=PlanState,
    moves={
        PlanState.DRAFT: {PlanState.PUBLISHED, PlanState.CLOSED},
        PlanState.PUBLISHED: {PlanState.CLOSED},
        PlanState.CLOSED: set(),
    },
    changed_at_field="state_changed_at",
)

ENROLMENT_WORKFLOW = Workflow.build(
    name="training.enrolment",
    verbose_name=_("enrolment"),
    state_field="state",
    states=E,
    moves={
        E.ENROLLED: {E.CANCELLED, E.ATTENDED, E.ABSENT},
        E.WAITLISTED: {E.ENROLLED, E.CANCELLED},
        E.ATTENDED: {E.ABSENT},
        E.ABSENT: {E.ATTENDED},
        E.CANCELLED: {E.ENROLLED, E.WAITLISTED},
    },
    changed_at_field="state_changed_at",
)
