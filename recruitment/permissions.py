"""What recruitment lets people do, and who may (see ``channelhub.tenancy.policy``).

The services check these (``authorize``) before they change anything; the admin's actions
and change rights and the API's ``write_roles`` / ``action_roles`` are derived from the
same rows, so every surface offers exactly what the services accept.
"""

from django.utils.translation import gettext_lazy as _

from channelhub.tenancy.policy import declare
from channelhub.tenancy.roles import ANY_STAFF, MANAGERS, Role

PLAN_MANAGE = declare(
    "recruitment.plan.manage", MANAGERS,
    _("add, change, start or close recruitment plans, targets and campaigns"),
)
SETUP_MANAGE = declare(
    "recruitment.setup.manage", MANAGERS,
    _("change the recruitment criteria, scorecard templates and onboarding checklist"),
)
# The chain decides who approves partners: only the tenant's owners change it.
APPROVAL_CHAIN_MANAGE = declare(
    "recruitment.approval_chain.manage", frozenset({Role.OWNER}), _("change the approval chain"),
)
APPLICATION_MANAGE = declare(
    "recruitment.application.manage", MANAGERS,
    _("enter, correct or move applications and choose their reviewers"),
)
# Anyone on staff may hold an approval step's role; the service then admits only the role
# of the application's current step.
APPLICATION_DECIDE = declare(
    "recruitment.application.decide", ANY_STAFF, _("decide applications at an approval step"),
)
# Any staff member can be asked to review; the service admits only assigned reviewers.
APPLICATION_SCORE = declare(
    "recruitment.application.score", ANY_STAFF, _("score applications"),
)
APPLICATION_QUESTION = declare(
    "recruitment.application.question", MANAGERS | {Role.LEGAL}, _("ask applicants questions"),
)
ONBOARDING_MANAGE = declare(
    "recruitment.onboarding.manage", MANAGERS,
    _("tick or reopen onboarding checklist items and activate partners early"),
)
REPORTS_VIEW = declare("recruitment.reports.view", MANAGERS, _("see the recruitment reports"))
