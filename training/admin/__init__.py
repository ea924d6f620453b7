"""Training in the admin: trainers and channel managers write, other staff read; writes go through services.

One module per sub-domain; importing them here registers every ``ModelAdmin`` with the site.
"""

from . import queues  # noqa: F401  (registers training's work queues on the admin home)
from .assessments import AssessmentAdmin, AttemptAdmin, QuestionAdmin  # noqa: F401
from .catalog import CertificationAdmin, CourseAdmin, LearningPathAdmin  # noqa: F401
from .certificates import (  # noqa: F401
    CertificateAdmin,
    QualificationAdmin,
    QualificationLapseAdmin,
    QualificationRequirementAdmin,
)
from .plans import EnrolmentAdmin, SessionAdmin, TrainingNeedAdmin, TrainingPlanAdmin  # noqa: F401
