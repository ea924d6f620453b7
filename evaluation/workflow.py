"""Evaluation's state machines.

Review cycle (评估周期)::

    scheduled → computing
    computing → computed, scheduled (a failed run gives the cycle back)
    computed  → computing (recompute: replaces every result), confirmed
    confirmed → published, computed (sign-off withdrawn)
    published: final

Incentive statement (结算单): draft → approved → paid.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from channelhub.tenancy.workflow import Workflow

from .models import CycleState as C
from .models import StatementState as S

CYCLE_WORKFLOW = Workflow.build(
    name="evaluation.cycle",
    verbose_name=_("review cycle"),
    state_field="state",
    states=C,
    moves={
        C.SCHEDULED: {C.COMPUTING},
        C.COMPUTING: {C.COMPUTED, C.SCHEDULED},
        C.COMPUTED: {C.COMPUTING, C.CONFIRMED},
        C.CONFIRMED: {C.PUBLISHED, C.COMPUTED},
        C.PUBLISHED: set(),
    },
    changed_at_field="state_changed_at",
)

STATEMENT_WORKFLOW = Workflow.build(
    name="evaluation.statement",
    verbose_name=_("incentive statement"),
    state_field="state",
    states=S,
    moves={S.DRAFT: {S.APPROVED}, S.APPROVED: {S.PAID, S.DRAFT}, S.PAID: set()},
    changed_at_field="state_changed_at",
)
