"""Every write of recruitment: one function per use case, transactional, audited.

Services take the tenant (or an object that names it) and the actor explicitly; they check
that every object handed to them belongs to that tenant, ``full_clean`` before saving and
record who did what and why (``audited_save`` / ``transition``). Views, admin actions, API
endpoints and tasks call these and nothing else.

One module per sub-domain; every public name is re-exported here, so callers write
``from recruitment import services`` and ``services.plan_create(...)``.
"""

from .applications import (
    APPLICATION_FIELDS,
    EDITABLE_STATES,
    application_add_document,
    application_answer,
    application_ask_question,
    application_check_duplicates,
    application_create,
    application_region_add,
    application_region_remove,
    application_submit,
    application_transition,
    application_update,
    application_withdraw,
)
from .approval import (
    DEFAULT_APPROVAL_STEPS,
    application_decide,
    approval_step_create,
    approval_step_delete,
    approval_step_update,
    approval_steps_ensure_default,
)
from .onboarding import (
    onboarding_task_complete,
    onboarding_task_reopen,
    onboarding_task_update,
    partner_activate_early,
)
from .plans import (
    campaign_create,
    campaign_delete,
    campaign_transition,
    campaign_update,
    plan_create,
    plan_delete,
    plan_transition,
    plan_update,
    target_create,
    target_delete,
    target_update,
)
from .reports import report_figures_recompute
from .reviews import application_assign_reviewers, application_remove_reviewers, scorecard_submit
from .setup import (
    DEFAULT_CRITERIA,
    DEFAULT_ONBOARDING_TASKS,
    DEFAULT_TEMPLATE_NAME,
    criteria_ensure_default,
    criterion_create,
    criterion_delete,
    criterion_update,
    onboarding_template_create,
    onboarding_template_delete,
    onboarding_template_update,
    onboarding_templates_ensure_default,
    scorecard_template_create,
    scorecard_template_delete,
    scorecard_template_update,
    template_criterion_create,
    template_criterion_delete,
    template_criterion_update,
)

__all__ = [
    "APPLICATION_FIELDS",
    "DEFAULT_APPROVAL_STEPS",
    "DEFAULT_CRITERIA",
    "DEFAULT_ONBOARDING_TASKS",
    "DEFAULT_TEMPLATE_NAME",
    "EDITABLE_STATES",
    "application_add_document",
    "application_answer",
    "application_ask_question",
    "application_assign_reviewers",
    "application_check_duplicates",
    "application_create",
    "application_decide",
    "application_region_add",
    "application_region_remove",
    "application_remove_reviewers",
    "application_submit",
    "application_transition",
    "application_update",
    "application_withdraw",
    "approval_step_create",
    "approval_step_delete",
    "approval_step_update",
    "approval_steps_ensure_default",
    "campaign_create",
    "campaign_delete",
    "campaign_transition",
    "campaign_update",
    "criteria_ensure_default",
    "criterion_create",
    "criterion_delete",
    "criterion_update",
    "onboarding_task_complete",
    "onboarding_task_reopen",
    "onboarding_task_update",
    "onboarding_template_create",
    "onboarding_template_delete",
    "onboarding_template_update",
    "onboarding_templates_ensure_default",
    "partner_activate_early",
    "plan_create",
    "plan_delete",
    "plan_transition",
    "plan_update",
    "report_figures_recompute",
    "scorecard_submit",
    "scorecard_template_create",
    "scorecard_template_delete",
    "scorecard_template_update",
    "target_create",
    "target_delete",
    "target_update",
    "template_criterion_create",
    "template_criterion_delete",
    "template_criterion_update",
]
