"""The recruitment state machines: one transition table per workflow.

Application (入驻申请)::

    draft      → submitted, withdrawn
    submitted  → screening, withdrawn
    screening  → scoring, rejected, withdrawn
    scoring    → in_review, screening, rejected, withdrawn
    in_review  → approved, rejected, screening, scoring, withdrawn
    approved, rejected, withdrawn: final

Moves out of ``in_review`` (approve, reject, return to screening or scoring) are made only
by decisions at the current approval step (``services.application_decide``), never by a
plain transition: ``DECISION_ONLY`` lists them.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from channelhub.tenancy.workflow import Workflow

from .models import ApplicationState as S
from .models import CampaignStatus, PlanStatus

PLAN_WORKFLOW = Workflow.build(
    name="recruitment.plan",
    verbose_name=_("recruitment plan"),
    state_field="status",
    states=PlanStatus,
    moves={
        PlanStatus.DRAFT: {PlanStatus.ACTIVE, PlanStatus.CLOSED},
        PlanStatus.ACTIVE: {PlanStatus.CLOSED},
        PlanStatus.CLOSED: set(),
    },
    changed_at_field="status_changed_at",
)

CAMPAIGN_WORKFLOW = Workflow.build(
    name="recruitment.campaign",
    verbose_name=_("campaign"),
    state_field="status",
    states=CampaignStatus,
    moves={
        CampaignStatus.PLANNED: {CampaignStatus.RUNNING, CampaignStatus.CANCELLED},
        CampaignStatus.RUNNING: {CampaignStatus.FINISHED, CampaignStatus.CANCELLED},
        CampaignStatus.FINISHED: set(),
        CampaignStatus.CANCELLED: set(),
    },
    changed_at_field="status_changed_at",
)

APPLICATION_WORKFLOW = Workflow.build(
    name="recruitment.application",
    verbose_name=_("partner application"),
    state_field="state",
    states=S,
    moves={
        S.DRAFT: {S.SUBMITTED, S.WITHDRAWN},
        S.SUBMITTED: {S.SCREENING, S.WITHDRAWN},
        S.SCREENING: {S.SCORING, S.REJECTED, S.WITHDRAWN},
        S.SCORING: {S.IN_REVIEW, S.SCREENING, S.REJECTED, S.WITHDRAWN},
        S.IN_REVIEW: {S.APPROVED, S.REJECTED, S.SCREENING, S.SCORING, S.WITHDRAWN},
        S.APPROVED: set(),
        S.REJECTED: set(),
        S.WITHDRAWN: set(),
    },
    changed_at_field="state_changed_at",
)

# (from, to) moves only an approval decision may make.
DECISION_ONLY = frozenset(
    {
        (S.IN_REVIEW, S.APPROVED),
        (S.IN_REVIEW, S.REJECTED),
        (S.IN_REVIEW, S.SCREENING),
        (S.IN_REVIEW, S.SCORING),
    }
)
