"""Recruitment (渠道招募): plans, campaigns, applications, scored evaluation, approval, onboarding.

Chapter 2 of the source document: a recruitment plan (渠道拓展计划) with targets, campaigns
by advertising, media and exhibitions (第九条), explicit criteria and standards (第十条), a
strict approval chain (第十一条) and, once approved, onboarding towards the cooperation
agreement (第十二条).

Every state machine has its transition table in ``recruitment/workflow.py``. Split by
sub-domain (plans, setup, applications, reviews, onboarding); every name is re-exported
here, so ``from recruitment.models import X`` keeps working.
"""

from .applications import (
    FINAL_STATES,
    OPEN_STATES,
    Application,
    ApplicationDocument,
    ApplicationMessage,
    ApplicationRegion,
    ApplicationSource,
    ApplicationState,
    ApplicationTrackingToken,
    DocumentKind,
    MessageSender,
    _new_tracking_token,
    document_upload_to,
    hash_tracking_token,
)
from .figures import RecruitmentFigure, RecruitmentReportFigure
from .onboarding import OnboardingTask, OnboardingTaskTemplate
from .plans import (
    STAFF_ROLE_CHOICES,
    Campaign,
    CampaignSource,
    CampaignStatus,
    PlanStatus,
    RecruitmentPlan,
    RecruitmentTarget,
    _check_staff_user,
)
from .reviews import ApplicantNotification, ApprovalDecision, Decision, ReviewerAssignment, Score, Scorecard
from .setup import ApprovalStep, Criterion, CriterionCategory, ReturnTarget, ScorecardTemplate, TemplateCriterion

__all__ = [
    "FINAL_STATES",
    "OPEN_STATES",
    "STAFF_ROLE_CHOICES",
    "ApplicantNotification",
    "Application",
    "ApplicationDocument",
    "ApplicationMessage",
    "ApplicationRegion",
    "ApplicationSource",
    "ApplicationState",
    "ApplicationTrackingToken",
    "ApprovalDecision",
    "ApprovalStep",
    "Campaign",
    "CampaignSource",
    "CampaignStatus",
    "Criterion",
    "CriterionCategory",
    "Decision",
    "DocumentKind",
    "MessageSender",
    "OnboardingTask",
    "OnboardingTaskTemplate",
    "PlanStatus",
    "RecruitmentFigure",
    "RecruitmentPlan",
    "RecruitmentReportFigure",
    "RecruitmentTarget",
    "ReturnTarget",
    "ReviewerAssignment",
    "Score",
    "Scorecard",
    "ScorecardTemplate",
    "TemplateCriterion",
    "_check_staff_user",
    "_new_tracking_token",
    "document_upload_to",
    "hash_tracking_token",
]
