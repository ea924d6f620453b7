"""Recruitment in the admin: thin pages over the selectors, actions that call the services.

One module per sub-domain; importing them here registers every ``ModelAdmin`` with the site.
"""

from . import queues  # noqa: F401  (registers recruitment's work queues on the admin home)
from ._common import ACTION_TEMPLATE, REFUSALS, ReadOnlyInline  # noqa: F401
from .applications import (  # noqa: F401
    APPLICATION_STATE_LABELS,
    PARTNER_STATUS_LABELS,
    ApplicationAdmin,
    ApplicationRegionInline,
    DocumentInline,
    HasDuplicatesFilter,
    MessageInline,
)
from .approval import ApplicationApprovalAdmin, DecisionInline  # noqa: F401
from .forms import (  # noqa: F401
    ActivateForm,
    DecisionForm,
    MoveForm,
    RemoveReviewersForm,
    ReturnForm,
    ReviewersForm,
    ScorecardForm,
)
from .onboarding import DoneFilter, OnboardingTaskAdmin  # noqa: F401
from .plans import CampaignAdmin, RecruitmentPlanAdmin, RecruitmentTargetInline  # noqa: F401
from .reviews import ApplicationReviewAdmin, AssignmentInline, MyReviewFilter, ScorecardInline  # noqa: F401
from .setup import (  # noqa: F401
    ApprovalStepAdmin,
    CriterionAdmin,
    OnboardingTaskTemplateAdmin,
    ScorecardTemplateAdmin,
    TemplateCriterionInline,
)
