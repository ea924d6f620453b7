"""THE ROLE TABLE: who may use each surface item. This file is the spec, not a mirror of the code.

Every surface item the walker (``test_matrix.py``) finds must be listed here with the roles
that may use it, and every item listed here must exist: a new admin page, admin action, API
operation or portal page fails the matrix until someone decides, here, who may use it.

Items:
- admin pages: ``"<url name> <METHOD>"`` (``admin:partners_partner_change GET`` is the
  read-only view of the change form, ``… POST`` saving it);
- admin changelist actions: ``"admin:<app>.<model>#<action>"`` (``delete_selected`` included);
- API operations: ``"<url name> <METHOD>"`` (``partners-api:partner-transition POST``);
- portal and other signed-in pages: ``"<url name> <METHOD>"``;
- admin site pages: ``admin:index GET`` and ``admin:app_list GET <app label>``.

Actors: the seven roles, ``anonymous`` and, for API operations only, an API key of each staff
role (``key:<role>``). A key acts with its role, except for the items in ``NOT_FOR_KEYS``.

Never build these sets from the code's ``view_roles`` / ``write_roles`` / ``declare()``: then
loosening the code would loosen the test.
"""

from __future__ import annotations

from channelhub.tenancy.roles import Role

# --------------------------------------------------------------------------------------
# Role-set shorthands
# --------------------------------------------------------------------------------------

OWNER = frozenset({Role.OWNER})
MANAGERS = frozenset({Role.OWNER, Role.CHANNEL_MANAGER})
STAFF = frozenset({Role.OWNER, Role.CHANNEL_MANAGER, Role.TRAINER, Role.LEGAL, Role.FINANCE})
PARTNER_ADMIN = frozenset({Role.PARTNER_ADMIN})
PARTNER = frozenset({Role.PARTNER_ADMIN, Role.PARTNER_USER})
NOBODY: frozenset[str] = frozenset()

ANONYMOUS = "anonymous"
ROLES = (
    Role.OWNER, Role.CHANNEL_MANAGER, Role.TRAINER, Role.LEGAL, Role.FINANCE,
    Role.PARTNER_ADMIN, Role.PARTNER_USER, ANONYMOUS,
)
KEY_ROLES = tuple(f"key:{role}" for role in (Role.OWNER, Role.CHANNEL_MANAGER, Role.TRAINER, Role.LEGAL,
                                               Role.FINANCE))

# The harness world's approval chain (tests/roles/conftest.py sets tenant A's steps to exactly
# this): step 1 is the channel manager's, 2 the owner's, 3 legal's. Approve / reject / return
# are offered to the roles holding a step; the API decision on a fresh application in review
# (at step 1) is served to step 1's role only.
APPROVAL_CHAIN = (Role.CHANNEL_MANAGER, Role.OWNER, Role.LEGAL)
APPROVERS = frozenset(APPROVAL_CHAIN)
FIRST_STEP = frozenset(APPROVAL_CHAIN[:1])
# The harness world assigns the trainer as the reviewer of the application in scoring:
# scoring belongs to the assigned reviewer, whatever their role.
REVIEWER = frozenset({Role.TRAINER})

# API operations an API key never performs, whatever its role.
NOT_FOR_KEYS = {
    # Keys are managed by people: a key that could mint keys would outlive its own revocation.
    "api-key-list GET": "API keys never manage API keys",
    "api-key-list POST": "API keys never mint API keys",
    "api-key-detail GET": "API keys never manage API keys",
    "api-key-revoke POST": "API keys never manage API keys",
    "recruitment-api:application-scorecards POST": "a key is nobody's assigned reviewer",
    "recruitment-api:application-decide POST": "an approval is a person's sign-off, one person per step",
}

# Routes that are no role surface: public pages (no sign-in, addressed by tenant slug or
# token; their isolation is tested in tests/isolation) and the admin's own plumbing.
NOT_ROLE_SURFACES = {
    "recruitment-public:": "public application form and tracking pages (anyone, by tenant slug / token)",
}
SKIPPED_KINDS = {
    "public": "holds no tenant data (listed with a reason in tests/tenancy/harness.py)",
    "admin_platform": "global tables: platform superuser only; tenant staff refused in tests/isolation",
    "admin_object_redirect": "redirects to the change page, whose roles this table states",
    "admin_autocomplete": "answers with the target admin's view permission (tests/isolation covers it)",
    "admin_view_on_site": "redirects to the object's page through the admin's view permission",
}

TABLE: dict[str, frozenset[str]] = {}


def _add(entries: dict[str, frozenset[str]]) -> None:
    for item, roles in entries.items():
        assert item not in TABLE, f"{item} is listed twice"
        TABLE[item] = frozenset(roles)


add = _add  # the name chapters' tests/<app_label>/roles.py use


def admin(label: str, *, view, change, add=None, delete=None, imports=NOBODY, actions=None,
          plain: bool = False, extra=None) -> None:
    """The pages and actions of one ModelAdmin (``label`` = ``app.model``).

    ``add`` and ``delete`` default to ``change``; ``plain`` admins (no history/export/import
    pages) are Django's bare ModelAdmin.
    """
    app, model = label.split(".")
    base = f"admin:{app}_{model}"
    add = change if add is None else add
    delete = change if delete is None else delete
    entries = {
        f"{base}_changelist GET": view,
        f"{base}_change GET": view,
        f"{base}_change POST": change,
        f"{base}_add GET": add,
        f"{base}_delete GET": delete,
        f"{base}_history GET": view,
        f"admin:{label}#delete_selected": delete,
    }
    if not plain:
        entries |= {
            f"{base}_simple_history GET": view,
            f"{base}_export GET": view,
            f"{base}_import GET": imports,
            f"{base}_process_import POST": imports,
        }
    entries |= {f"admin:{label}#{name}": roles for name, roles in (actions or {}).items()}
    entries |= extra or {}
    _add(entries)


def api(basename: str, *, read, write=NOBODY, ops: str = "crud", actions=None) -> None:
    """One viewset: ``ops`` is ``crud`` (list, create, read, update, delete), ``read`` or a
    space-separated list of ``list create retrieve update partial_update destroy``."""
    names = {
        "crud": "list create retrieve update partial_update destroy",
        "read": "list retrieve",
    }.get(ops, ops).split()
    methods = {
        "list": ("list", "GET", read), "create": ("list", "POST", write),
        "retrieve": ("detail", "GET", read), "update": ("detail", "PUT", write),
        "partial_update": ("detail", "PATCH", write), "destroy": ("detail", "DELETE", write),
    }
    entries = {}
    for name in names:
        suffix, method, roles = methods[name]
        entries[f"{basename}-{suffix} {method}"] = roles
    entries |= {f"{basename}-{action}": roles for action, roles in (actions or {}).items()}
    _add(entries)


# --------------------------------------------------------------------------------------
# Admin site
# --------------------------------------------------------------------------------------

_add({
    "admin:index GET": STAFF,
    # The sidebar search and the command palette: results come from admins the person may view.
    "admin:search GET": STAFF,
    "admin:app_list GET partners": STAFF,
    "admin:app_list GET tenancy": STAFF,
    "admin:app_list GET recruitment": STAFF,
})

# --------------------------------------------------------------------------------------
# Partners: the register every chapter shares
# --------------------------------------------------------------------------------------

LIFECYCLE = {"start_onboarding": MANAGERS, "activate": MANAGERS, "suspend": MANAGERS, "terminate": MANAGERS}

admin("partners.partner", view=STAFF, change=MANAGERS, imports=MANAGERS, actions=LIFECYCLE,
      extra={"admin:partners_partner_status GET": MANAGERS})
admin("partners.partnercontact", view=STAFF, change=MANAGERS)
admin("partners.region", view=STAFF, change=MANAGERS)
admin("partners.product", view=STAFF, change=MANAGERS, imports=MANAGERS)

# Partner roles read their own partner only (the walker acts on their own partner's rows).
api("partners-api:partner", read=STAFF | PARTNER, write=MANAGERS, actions={
    "transition POST": MANAGERS,
    "history GET": MANAGERS | {Role.LEGAL},
})
api("partners-api:contact", read=STAFF | PARTNER, write=MANAGERS | PARTNER_ADMIN)
api("partners-api:region", read=STAFF, write=MANAGERS)
api("partners-api:product", read=STAFF | PARTNER, write=MANAGERS)

# --------------------------------------------------------------------------------------
# Tenancy: people, keys, jobs, the audit trail
# --------------------------------------------------------------------------------------

# Access is granted by invitation (the membership "add" page leads there) and taken away by
# deactivating: a membership is never deleted, the audit trail keeps who had access when.
admin("tenancy.membership", view=STAFF, change=OWNER, delete=NOBODY,
      actions={"deactivate": OWNER, "reactivate": OWNER, "unlock_sign_in": OWNER})
admin("tenancy.apikey", view=OWNER, change=OWNER, delete=NOBODY, actions={"revoke": OWNER})
admin("tenancy.jobschedule", view=MANAGERS, change=OWNER, add=NOBODY, delete=NOBODY,
      actions={"run_now": OWNER})
admin("tenancy.statetransition", view=STAFF, change=NOBODY, plain=True)
# Invitations are revoked or resent, never deleted (the audit trail keeps who invited whom).
admin("tenancy.invitation", view=OWNER, change=OWNER, delete=NOBODY,
      actions={"revoke": OWNER, "resend": OWNER})

api("api-key", read=OWNER, write=OWNER, ops="list create retrieve", actions={"revoke POST": OWNER})
# The API's entry point lists the resources and how to authenticate: open to anyone, signed in
# or not (a client reads it before it has a credential), the same for everyone, no tenant data
# (channelhub/api/root.py; the isolation check in tests/tenancy/harness.py compares callers).
_add({"api-root GET": STAFF | PARTNER | {ANONYMOUS}})

# --------------------------------------------------------------------------------------
# Recruitment
# --------------------------------------------------------------------------------------

admin("recruitment.recruitmentplan", view=STAFF, change=MANAGERS,
      actions={"activate": MANAGERS, "close": MANAGERS},
      extra={"admin:recruitment_recruitmentplan_reports GET": MANAGERS,
             "admin:recruitment_recruitmentplan_reports_recompute POST": MANAGERS})
admin("recruitment.campaign", view=STAFF, change=MANAGERS,
      actions={"start": MANAGERS, "finish": MANAGERS, "cancel": MANAGERS})
admin("recruitment.criterion", view=STAFF, change=MANAGERS)
admin("recruitment.scorecardtemplate", view=STAFF, change=MANAGERS)
admin("recruitment.approvalstep", view=STAFF, change=OWNER)
admin("recruitment.onboardingtasktemplate", view=STAFF, change=MANAGERS)
# Applications are records: they arrive by the public form or the API and are withdrawn or
# rejected, never typed in or deleted in the admin.
admin("recruitment.application", view=STAFF, change=MANAGERS, add=NOBODY, delete=NOBODY, actions={
    "assign_reviewers": MANAGERS, "remove_reviewers": MANAGERS, "move_state": MANAGERS,
    "approve": APPROVERS, "reject": APPROVERS, "return_": APPROVERS,
}, extra={
    "admin:recruitment_application_score GET": REVIEWER,
    # The record's buttons. The decision page opens for staff (recruitment.application.decide:
    # anyone may hold a step's role) and offers its form only to the current step's role, which
    # the service checks again; choosing reviewers is for managers.
    "admin:recruitment_application_decide GET": STAFF,
    "admin:recruitment_application_reviewers GET": MANAGERS,
})
# Checklists are copied from the templates on approval; an item is reopened, never deleted
# (deleting a required item would activate the partner).
admin("recruitment.onboardingtask", view=STAFF, change=MANAGERS, add=NOBODY, delete=NOBODY,
      actions={"mark_done": MANAGERS, "activate_partners": MANAGERS})

api("recruitment-api:plan", read=STAFF, write=MANAGERS,
    actions={"progress GET": STAFF, "transition POST": MANAGERS})
api("recruitment-api:target", read=STAFF, write=MANAGERS)
api("recruitment-api:campaign", read=STAFF, write=MANAGERS,
    actions={"funnel GET": STAFF, "transition POST": MANAGERS})
api("recruitment-api:criterion", read=STAFF, write=MANAGERS)
api("recruitment-api:scorecard-template", read=STAFF, write=MANAGERS)
api("recruitment-api:approval-step", read=STAFF, write=OWNER)
api("recruitment-api:onboarding-task-template", read=STAFF, write=MANAGERS)
api("recruitment-api:application", read=STAFF, write=MANAGERS,
    ops="list create retrieve update partial_update", actions={
        "submit POST": MANAGERS,
        "transition POST": MANAGERS,
        "assign-reviewers POST": MANAGERS,
        "remove-reviewers POST": MANAGERS,
        "check-duplicates POST": MANAGERS,
        "history GET": STAFF,
        "scorecards GET": STAFF,
        "scorecards POST": REVIEWER,
        "decide POST": FIRST_STEP,
        "messages GET": MANAGERS | {Role.LEGAL},
        "messages POST": MANAGERS | {Role.LEGAL},
        "documents GET": MANAGERS,
        "documents POST": MANAGERS,
    })
api("recruitment-api:onboarding-task", read=STAFF | PARTNER, ops="read", actions={
    "complete POST": MANAGERS, "reopen POST": MANAGERS, "activate-partner POST": MANAGERS,
})
_add({
    "recruitment-api:report-funnel GET": MANAGERS,
    "recruitment-api:report-time-to-decision GET": MANAGERS,
    "recruitment-api:report-reviewer-workload GET": MANAGERS,
    # The applicant's uploaded files, linked from the application page every staff role reads.
    "recruitment:document-download GET": STAFF,
})

# --------------------------------------------------------------------------------------
# Portal: partner staff only; tenant staff are sent to the admin, anonymous to sign in
# --------------------------------------------------------------------------------------

_add({
    "portal:dashboard GET": PARTNER,
    "portal:staff GET": PARTNER_ADMIN,
    "portal:staff_invite GET": PARTNER_ADMIN,
    "portal:staff_toggle POST": PARTNER_ADMIN,
    "portal:staff_invitation_revoke POST": PARTNER_ADMIN,
    "portal:staff_invitation_resend POST": PARTNER_ADMIN,
    "recruitment-portal:checklist GET": PARTNER,
})


def expected(item: str, actor: str) -> bool:
    """Whether the table lets ``actor`` (a role, ``anonymous`` or ``key:<role>``) use ``item``."""
    roles = TABLE[item]
    if actor.startswith("key:"):
        return item not in NOT_FOR_KEYS and actor[4:] in roles
    return actor in roles


# The chapters' rows: tests/<app_label>/roles.py (see tests/roles/chapters.py). Imported last,
# so that they can use every helper above.
from .chapters import role_modules  # noqa: E402

role_modules()
