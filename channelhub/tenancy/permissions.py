"""What tenancy lets people do, and who may (see ``policy`` for how the table is used)."""

from django.utils.translation import gettext_lazy as _

from .policy import declare
from .roles import MANAGERS, Role

OWNERS = frozenset({Role.OWNER})

MEMBERSHIP_MANAGE = declare(
    "tenancy.membership.manage", OWNERS, _("grant, change or revoke people's access to this tenant")
)
# A partner administrator manages their own company's portal users, nobody else's.
PARTNER_STAFF_MANAGE = declare(
    "tenancy.partner_staff.manage", OWNERS | {Role.PARTNER_ADMIN},
    _("manage your company's portal users"),
)
API_KEY_MANAGE = declare("tenancy.api_key.manage", OWNERS, _("issue or revoke API keys"))
JOB_VIEW = declare("tenancy.job.view", MANAGERS, _("see the periodic jobs"))
JOB_MANAGE = declare("tenancy.job.manage", OWNERS, _("change or start the periodic jobs"))
LOCKOUT_CLEAR = declare("tenancy.lockout.clear", OWNERS, _("unlock accounts locked after failed sign-ins"))
