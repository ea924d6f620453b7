"""Every read of training: lists annotated for their pages, the portal's views, reports and KPI inputs.

Selectors read through the tenant-scoped managers (no tenant, no rows) and cost a fixed
number of queries however many rows they return.
"""

from .catalog import (
    assessment_list,
    certification_list,
    completed_course_ids,
    course_list,
    path_list,
    published_courses,
    published_paths,
    question_list,
)
from .certificates import (
    certificate_by_code,
    certificate_list,
    certificates_expiring,
    certified_staff_ratio,
    lapse_list,
    partner_qualification,
    partner_training_summary,
    qualification_list,
    qualification_status,
    requirement_list,
)
from .plans import (
    attempt_list,
    attempt_questions,
    attempts_of,
    enrolment_list,
    need_list,
    open_sessions_for_partner,
    plan_list,
    plans_training_partner,
    session_list,
    sessions_of_trainee,
    staff_of_partner,
)
from .reports import (
    SalesComparison,
    attended_sessions_query,
    item_analysis,
    plan_report,
    sales_of_trained_vs_untrained,
)

__all__ = [
    "SalesComparison",
    "assessment_list",
    "attempt_list",
    "attempt_questions",
    "attempts_of",
    "attended_sessions_query",
    "certificate_by_code",
    "certificate_list",
    "certificates_expiring",
    "certification_list",
    "certified_staff_ratio",
    "completed_course_ids",
    "course_list",
    "enrolment_list",
    "item_analysis",
    "lapse_list",
    "need_list",
    "open_sessions_for_partner",
    "partner_qualification",
    "partner_training_summary",
    "path_list",
    "plan_list",
    "plan_report",
    "plans_training_partner",
    "published_courses",
    "published_paths",
    "qualification_list",
    "qualification_status",
    "question_list",
    "requirement_list",
    "sales_of_trained_vs_untrained",
    "session_list",
    "sessions_of_trainee",
    "staff_of_partner",
]
