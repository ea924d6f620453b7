"""Training (渠道培训): needs, plans, courses, sessions, assessments, certificates and qualifications.

Chapter 3 of the source document (第十三–十七条) and its 3-month training plan. Split by
sub-domain (catalog, plans, assessments, certificates); every name is re-exported here.
"""

from .assessments import (
    Assessment,
    AssessmentKind,
    AssessmentStage,
    Attempt,
    AttemptState,
    Choice,
    Question,
    QuestionKind,
    RubricCriterion,
)
from .catalog import Certification, Course, CourseKind, CoursePrerequisite, Delivery, LearningPath, LearningPathStep
from .certificates import (
    CERTIFICATE_STATUS_LABELS,
    Certificate,
    CourseCompletion,
    Qualification,
    QualificationLapse,
    QualificationRequirement,
    QualificationState,
    QualificationStorage,
    TrainingReminder,
    new_verification_code,
    qualification_upload_to,
)
from .plans import (
    SEATED,
    Enrolment,
    EnrolmentState,
    PlanAudience,
    PlanState,
    Session,
    SessionFeedback,
    SessionFormat,
    TrainingNeed,
    TrainingPlan,
)

__all__ = [
    "CERTIFICATE_STATUS_LABELS",
    "SEATED",
    "Assessment",
    "AssessmentKind",
    "AssessmentStage",
    "Attempt",
    "AttemptState",
    "Certificate",
    "Certification",
    "Choice",
    "Course",
    "CourseCompletion",
    "CourseKind",
    "CoursePrerequisite",
    "Delivery",
    "Enrolment",
    "EnrolmentState",
    "LearningPath",
    "LearningPathStep",
    "PlanAudience",
    "PlanState",
    "Qualification",
    "QualificationLapse",
    "QualificationRequirement",
    "QualificationState",
    "QualificationStorage",
    "Question",
    "QuestionKind",
    "RubricCriterion",
    "Session",
    "SessionFeedback",
    "SessionFormat",
    "TrainingNeed",
    "TrainingPlan",
    "TrainingReminder",
    "new_verification_code",
    "qualification_upload_to",
]
