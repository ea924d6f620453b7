"""Shapes of recruitment resources in the API. Rules live in the services, not here.

One module per sub-domain; every serializer is re-exported here.
"""

from ._common import (  # noqa: F401
    DOCUMENT_DOWNLOAD_URL_NAME,
    ReasonMixin,
)
from .applications import (  # noqa: F401
    ApplicationDetailSerializer,
    ApplicationSerializer,
    ApplicationTransitionSerializer,
    ApplicationWriteSerializer,
    AssignReviewersSerializer,
    CriterionScoreSerializer,
    DecideSerializer,
    DecisionSerializer,
    DocumentSerializer,
    DocumentUploadSerializer,
    DuplicateFlagSerializer,
    MessageSerializer,
    ReviewerScoreSerializer,
    ScorecardSerializer,
    ScorecardSubmitSerializer,
    ScoreReadSerializer,
    ScoreSummarySerializer,
    StepSerializer,
)
from .onboarding import (  # noqa: F401
    OnboardingCompleteSerializer,
    OnboardingTaskSerializer,
    PartnerActivateSerializer,
    ReportColumnSerializer,
    ReportSerializer,
)
from .plans import (  # noqa: F401
    CampaignSerializer,
    CampaignTransitionSerializer,
    PlanProgressSerializer,
    PlanTransitionSerializer,
    RecruitmentPlanSerializer,
    RecruitmentTargetSerializer,
    TargetRowSerializer,
)
from .setup import (  # noqa: F401
    ApprovalStepSerializer,
    CriterionSerializer,
    OnboardingTaskTemplateSerializer,
    ScorecardTemplateSerializer,
    TemplateItemSerializer,
)
