"""What evaluation lets people do, and who may (see ``channelhub.tenancy.policy``)."""

from django.utils.translation import gettext_lazy as _

from channelhub.tenancy.policy import declare
from channelhub.tenancy.roles import ANY_STAFF, MANAGERS, PARTNER_ROLES, Role

SETUP_MANAGE = declare(
    "evaluation.setup.manage", MANAGERS,
    _("change the KPI catalogue, scorecards, tiers and incentive rules"),
)
CYCLE_COMPUTE = declare("evaluation.cycle.compute", MANAGERS, _("compute review cycles"))
SCORE_ADJUST = declare("evaluation.score.adjust", MANAGERS, _("adjust a partner's score before confirmation"))
# 由相关部门进行审核和确认: the department sign-off is the owner's (or finance's, for the money).
CYCLE_CONFIRM = declare(
    "evaluation.cycle.confirm", frozenset({Role.OWNER, Role.FINANCE}), _("confirm review cycles"),
)
CYCLE_PUBLISH = declare("evaluation.cycle.publish", MANAGERS, _("publish review cycles to partners"))
STATEMENT_APPROVE = declare(
    "evaluation.statement.approve", frozenset({Role.OWNER, Role.FINANCE}),
    _("approve incentive statements and mark them paid"),
)
IMPROVEMENT_MANAGE = declare(
    "evaluation.improvement.manage", MANAGERS, _("write and follow up improvement plans"),
)
SURVEY_MANAGE = declare(
    "evaluation.survey.manage", MANAGERS, _("rate partner relationships"),
)
RESULTS_VIEW = declare("evaluation.results.view", ANY_STAFF, _("see review results"))
# Partner staff answer for their own partner only (the policy checks the partner).
IMPROVEMENT_RESPOND = declare(
    "evaluation.improvement.respond", PARTNER_ROLES, _("acknowledge and comment on your improvement plan"),
)
SURVEY_ANSWER = declare("evaluation.survey.answer", PARTNER_ROLES, _("rate the vendor in the relationship survey"))

# Channel cost and return (渠道成本控制): the figures are for owners, channel managers and finance
# (never partners); the cost rates and hand-recorded costs are finance's and the owner's.
COST_ROLES = frozenset({Role.OWNER, Role.CHANNEL_MANAGER, Role.FINANCE})
ECONOMICS_VIEW = declare("evaluation.economics.view", COST_ROLES, _("see channel costs and returns"))
ECONOMICS_COMPUTE = declare("evaluation.economics.compute", COST_ROLES, _("recompute channel costs and returns"))
COST_MANAGE = declare(
    "evaluation.cost.manage", frozenset({Role.OWNER, Role.FINANCE}),
    _("change channel cost rates and record channel costs"),
)
# Coverage (渠道布置): every member of staff reads the gaps; owners and managers set the targets.
COVERAGE_VIEW = declare("evaluation.coverage.view", ANY_STAFF, _("see coverage gaps"))
COVERAGE_MANAGE = declare(
    "evaluation.coverage.manage", MANAGERS, _("set coverage targets and recompute coverage"),
)
