"""Read queries of recruitment: annotated so that lists cost a fixed number of queries.

Progress and funnel figures are correlated subqueries (one per figure), so a list of plans
or campaigns is one query however many rows it has. One module per sub-domain; every public
name is re-exported here (``from recruitment import selectors; selectors.plan_list()``).
"""

from ._common import MONEY  # noqa: F401
from .applications import (  # noqa: F401
    MyReview,
    application_by_token,
    application_decisions,
    application_documents,
    application_list,
    application_messages,
    application_search,
    application_search_narrowed,
    approval_chain,
    downloadable_document,
    final_decision_message,
    my_review,
    my_review_counts,
    my_reviews,
    reviewers_of,
    round_approvals,
    staff_users,
    user_roles,
)
from .dashboard import (  # noqa: F401
    RecruitmentFigures,
    applications_per_month,
    figures_created,
    figures_refresh,
    figures_shift,
    recruitment_figures,
)
from .onboarding import (  # noqa: F401
    OnboardingChecklist,
    application_of_partner,
    onboarding_checklist,
    onboarding_progress,
    onboarding_required_open,
    onboarding_task_list,
    onboarding_templates_for,
)
from .plans import (  # noqa: F401
    PlanProgress,
    campaign_by_code,
    campaign_list,
    cost_per_recruited,
    plan_list,
    plan_progress,
    target_list,
)
from .report_rollup import ReportFigures, report_figures, report_figures_refresh  # noqa: F401
from .reports import (  # noqa: F401
    DECISION_GROUPS,
    FUNNEL_GROUPS,
    FUNNEL_STAGES,
    DecisionRow,
    FunnelRow,
    WorkloadRow,
    application_state_counts,
    funnel,
    funnel_total,
    reviewer_workload,
    time_to_decision,
)
from .reviews import (  # noqa: F401
    ScoringCriterion,
    can_see_all_scores,
    own_scorecard,
    recruited_partner_types,
    score_summary,
    scorecard_list,
    scoring_criteria,
    template_for,
    visible_scorecards,
)
