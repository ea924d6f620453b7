"""What cooperation lets people do, and who may (see ``channelhub.tenancy.policy``).

Services check these (``authorize``) before they change anything; the admin's buttons and
change rights, the API's roles and the portal's views are derived from the same rows.
"""

from django.utils.translation import gettext_lazy as _

from channelhub.tenancy.policy import declare
from channelhub.tenancy.roles import MANAGERS, PARTNER_ROLES, Role

SETTINGS_MANAGE = declare(
    "cooperation.settings.manage", frozenset({Role.OWNER}), _("change the cooperation settings"),
)
TEMPLATE_MANAGE = declare(
    "cooperation.template.manage", MANAGERS | {Role.LEGAL},
    _("write, publish or retire agreement templates"),
)
AGREEMENT_MANAGE = declare(
    "cooperation.agreement.manage", MANAGERS,
    _("draft cooperation agreements, change their text and send them to legal review"),
)
# 四.2: the legal department reviews every agreement before it goes to the partner.
AGREEMENT_REVIEW = declare(
    "cooperation.agreement.review", frozenset({Role.LEGAL}), _("approve or return agreements in legal review"),
)
AGREEMENT_SIGN = declare(
    "cooperation.agreement.sign", frozenset({Role.PARTNER_ADMIN}), _("sign agreements for the partner"),
)
AGREEMENT_COUNTERSIGN = declare(
    "cooperation.agreement.countersign", MANAGERS, _("countersign agreements for the vendor"),
)
AGREEMENT_TERMINATE = declare(
    "cooperation.agreement.terminate", MANAGERS, _("terminate or renew cooperation agreements"),
)
ANNOUNCEMENT_MANAGE = declare(
    "cooperation.announcement.manage", MANAGERS, _("write and publish announcements"),
)
ANNOUNCEMENT_READ = declare(
    "cooperation.announcement.read", PARTNER_ROLES, _("read and acknowledge announcements"),
)
THREAD_WRITE = declare(
    "cooperation.thread.write", MANAGERS | PARTNER_ROLES, _("write messages between partner and channel manager"),
)
EVENT_MANAGE = declare(
    "cooperation.event.manage", MANAGERS, _("organise partner conferences, invite and check in"),
)
EVENT_RSVP = declare("cooperation.event.rsvp", PARTNER_ROLES, _("answer invitations to partner events"))
LIBRARY_MANAGE = declare("cooperation.library.manage", MANAGERS, _("publish material in the resource library"))
LIBRARY_DOWNLOAD = declare(
    "cooperation.library.download", PARTNER_ROLES, _("download material from the resource library"),
)

# Cooperation II: sales data (五.3). Partners report their own figures; managers set deadlines and close periods.
SALES_REPORT = declare("cooperation.sales.report", PARTNER_ROLES, _("report sales figures"))
SALES_MANAGE = declare(
    "cooperation.sales.manage", MANAGERS, _("set sales reporting deadlines and close reporting periods"),
)
# Joint targets: both sides agree; the partner's administrator speaks for the partner.
TARGET_VENDOR = declare("cooperation.target.vendor", MANAGERS, _("propose and agree joint targets for the vendor"))
TARGET_PARTNER = declare(
    "cooperation.target.partner", frozenset({Role.PARTNER_ADMIN}),
    _("propose and agree joint targets for the partner"),
)
# Deal registration (商机报备) and channel conflicts (渠道冲突): partners register their opportunities and put
# forward evidence in a conflict about them; managers approve, reject and decide conflicts.
DEAL_REGISTER = declare("cooperation.deal.register", PARTNER_ROLES, _("register deals for the partner"))
DEAL_DECIDE = declare(
    "cooperation.deal.decide", MANAGERS, _("approve or reject deal registrations and extend their protection"),
)
DEAL_CLOSE = declare("cooperation.deal.close", MANAGERS | PARTNER_ROLES, _("record a registered deal as won or lost"))
CONFLICT_MANAGE = declare(
    "cooperation.conflict.manage", MANAGERS, _("open, decide and close channel conflicts"),
)
CONFLICT_EVIDENCE = declare(
    "cooperation.conflict.evidence", MANAGERS | PARTNER_ROLES, _("put forward evidence in a channel conflict"),
)
DIRECT_ACCOUNT_MANAGE = declare(
    "cooperation.direct_account.manage", MANAGERS, _("maintain the vendor's direct accounts"),
)
# After-sales service tickets (售后服务): the partner handles its customers' cases, the vendor raises and watches them.
TICKET_WORK = declare(
    "cooperation.ticket.work", MANAGERS | PARTNER_ROLES, _("raise, comment on and move after-sales service tickets"),
)
SLA_MANAGE = declare("cooperation.sla.manage", MANAGERS, _("set the service levels (SLA) of service tickets"))
# Market feedback (市场反馈): partners send it, managers triage, answer and tag it.
FEEDBACK_SUBMIT = declare("cooperation.feedback.submit", PARTNER_ROLES, _("send market feedback"))
FEEDBACK_MANAGE = declare(
    "cooperation.feedback.manage", MANAGERS, _("triage, answer and tag market feedback"),
)
# Managers forward leads and record outcomes; the partner's staff answer the offers made to their partner.
LEAD_MANAGE = declare(
    "cooperation.lead.manage", MANAGERS,
    _("create leads, forward them to partners and record their outcome"),
)
LEAD_RESPOND = declare(
    "cooperation.lead.respond", PARTNER_ROLES, _("accept or decline leads and report their outcome"),
)
# Promotion funds (市场推广基金): managers and finance budget, partners request and claim, finance pays.
MDF_BUDGET = declare("cooperation.mdf.budget", MANAGERS | {Role.FINANCE}, _("set promotion budgets"))
MDF_REQUEST = declare("cooperation.mdf.request", PARTNER_ROLES,
                      _("request promotion funds and claim them for your company"))
MDF_DECIDE = declare("cooperation.mdf.decide", MANAGERS,
                     _("approve or reject promotion fund requests and claims"))
MDF_PAY = declare("cooperation.mdf.pay", frozenset({Role.OWNER, Role.FINANCE}),
                  _("record payments of promotion fund claims"))
