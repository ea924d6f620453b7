"""Writes about tenants, memberships, invitations and API keys, one function per use case.

Split by sub-domain; everything is re-exported here so ``channelhub.tenancy.services.X``
keeps working for every caller.
"""

from .core import (
    Grant,
    IssuedKey,
    MembershipConflict,
    api_key_authenticate,
    api_key_create,
    api_key_revoke,
    assign_fields,
    audited_delete,
    audited_save,
    membership_deactivate,
    membership_ensure,
    membership_grant,
    membership_reactivate,
    require_same_tenant,
    send_access_granted_email,
    send_invitation_email,
    tenant_create,
    user_set_language,
)
from .invitations import (
    INVITATION_WORKFLOW,
    InvitationClosed,
    invitation_accept,
    invitation_accept_new_account,
    invitation_closed_message,
    invitation_create,
    invitation_resend,
    invitation_revoke,
    invitation_send_email,
)

__all__ = [
    "INVITATION_WORKFLOW", "Grant", "InvitationClosed", "IssuedKey", "MembershipConflict",
    "api_key_authenticate", "api_key_create", "api_key_revoke", "assign_fields", "audited_delete",
    "audited_save", "invitation_accept", "invitation_accept_new_account", "invitation_closed_message",
    "invitation_create", "invitation_resend", "invitation_revoke", "invitation_send_email",
    "membership_deactivate", "membership_ensure", "membership_grant", "membership_reactivate",
    "require_same_tenant", "send_access_granted_email", "send_invitation_email", "tenant_create",
    "user_set_language",
]
