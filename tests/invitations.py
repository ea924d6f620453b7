"""Accepting an invitation in a test, the way the invitee would through the e-mailed link."""

from __future__ import annotations

from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.models import Invitation, InvitationState, User
from channelhub.tenancy.services import invitation_accept, invitation_accept_new_account

PASSWORD = "pw-Secret-123"


def pending_invitation(tenant, email: str) -> Invitation:
    with tenant_scope(tenant):
        return Invitation.objects.select_related("tenant", "partner").get(
            email_key=Invitation.fold(email), state=InvitationState.PENDING)


def accept_invitation(tenant, email: str, *, username: str | None = None) -> User:
    """The invited address accepts: a new account (user name = the address) or the existing one."""
    invitation = pending_invitation(tenant, email)
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        return invitation_accept(invitation=invitation, user=existing).user
    return invitation_accept_new_account(
        invitation=invitation, username=username or email.lower(), password=PASSWORD,
        first_name=invitation.first_name, last_name=invitation.last_name,
    ).user
