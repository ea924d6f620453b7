"""Invitations: offering someone a role in a tenant without touching their account until they accept.

Inviting stores only what the inviter typed and e-mails a link; it never looks the address up,
so the inviter learns nothing about who has an account where. The invitee accepts through the
link: a new address chooses a user name and password there; an address that already has an
account must be signed in as that account and confirm. The rules of ``membership_ensure`` (one
partner per tenant per person) are checked then, and a refusal is told to the invitee.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from channelhub import milestones

from ..context import tenant_scope
from ..models import Invitation, InvitationState, Membership, Tenant, User
from ..permissions import MEMBERSHIP_MANAGE, PARTNER_STAFF_MANAGE
from ..policy import authorize
from ..roles import PARTNER_ROLES, STAFF_ROLES, Role
from ..workflow import Workflow, transition
from .core import MembershipConflict, assign_fields, audited_save, membership_ensure, require_same_tenant

INVITATION_WORKFLOW = Workflow.build(
    name="tenancy.invitation",
    verbose_name=gettext_lazy("invitation"),
    state_field="state",
    states=InvitationState,
    moves={
        InvitationState.PENDING: {InvitationState.ACCEPTED, InvitationState.REVOKED, InvitationState.EXPIRED},
        # Resending an expired invitation opens it again with a new link.
        InvitationState.EXPIRED: {InvitationState.PENDING, InvitationState.REVOKED},
    },
)


class InvitationClosed(ValidationError):
    """The link was used, revoked or has expired."""


def _require_inviter(*, tenant: Tenant, actor: User | None, role: str, partner) -> None:
    """Owners invite to any role; a partner admin only to partner roles of their own partner.

    ``actor=None`` is the system; a service that has authorized its own use case (an approved
    application inviting its partner's administrator) calls this inside ``policy.trusted()``.
    """
    if role in PARTNER_ROLES:
        authorize(actor, PARTNER_STAFF_MANAGE.code, tenant=tenant, partner=partner)
    else:
        authorize(actor, MEMBERSHIP_MANAGE.code, tenant=tenant)


def _link(token: str, base_url: str) -> str:
    return f"{base_url or settings.SITE_URL}{reverse('portal:invitation', kwargs={'token': token})}"


def invitation_send_email(*, invitation: Invitation, token: str, base_url: str = "") -> None:
    """The invitation, in the language the inviter chose for the invitee (or the tenant's)."""
    tenant = invitation.tenant
    with translation.override(invitation.language or tenant.default_language):
        context = {
            "invitation": invitation, "tenant": tenant, "partner": invitation.partner,
            "role": invitation.get_role_display(), "link": _link(token, base_url),
            "expires_at": timezone.localtime(invitation.expires_at, tenant.zone),
        }
        subject = _("You are invited to %(tenant)s on ChannelHub") % {"tenant": tenant.name}
        body = render_to_string("portal/email/invitation_offer.txt", context)
    send_mail(subject, body, None, [invitation.email])


def _send_after_commit(invitation: Invitation, token: str, base_url: str) -> None:
    transaction.on_commit(
        lambda: invitation_send_email(invitation=invitation, token=token, base_url=base_url)
    )


def invitation_create(
    *, tenant: Tenant, actor: User | None, email: str, role: str, partner=None,
    first_name: str = "", last_name: str = "", language: str = "", base_url: str = "",
) -> Invitation:
    """Invite ``email`` to ``role`` (for ``partner`` if a partner role) and e-mail the link.

    Nothing about any account is read or changed, so the inviter gets the same answer for
    every address. Inviting the same address again (same tenant and company) renews the
    pending invitation: new details, a new link, a new expiry; the old link stops working.
    """
    require_same_tenant(tenant, partner)
    if role not in Role.values:
        raise ValidationError({"role": _("Select a valid choice. That choice does not exist.")})
    if role in STAFF_ROLES:
        partner = None
    elif partner is None:
        raise ValidationError({"partner": _("Partner roles need a partner.")})
    _require_inviter(tenant=tenant, actor=actor, role=role, partner=partner)
    email = email.strip()
    token, token_hash = Invitation.generate_token()
    now = timezone.now()
    with transaction.atomic(), tenant_scope(tenant, source="invitation_create"):
        invitation = (
            Invitation.objects.select_for_update()
            .filter(email_key=Invitation.fold(email), partner=partner, state=InvitationState.PENDING)
            .first()
        )
        renewed = invitation is not None
        if invitation is None:
            invitation = Invitation(partner=partner)
        invitation.email, invitation.email_key = email, Invitation.fold(email)
        invitation.role, invitation.first_name, invitation.last_name = role, first_name, last_name
        invitation.language = language
        invitation.invited_by = actor
        invitation.token_hash = token_hash
        invitation.sent_at, invitation.expires_at = now, now + timedelta(days=Invitation.VALID_DAYS)
        audited_save(
            invitation, actor=actor,
            reason=_("Invitation renewed") if renewed else _("Invitation sent"),
        )
        _send_after_commit(invitation, token, base_url)
    return invitation


def invitation_resend(*, invitation: Invitation, actor: User | None, base_url: str = "") -> Invitation:
    """Send a pending or expired invitation again with a new link and a new expiry."""
    tenant = invitation.tenant
    _require_inviter(tenant=tenant, actor=actor, role=invitation.role, partner=invitation.partner)
    token, token_hash = Invitation.generate_token()
    now = timezone.now()
    fresh = {"token_hash": token_hash, "sent_at": now,
             "expires_at": now + timedelta(days=Invitation.VALID_DAYS)}
    with transaction.atomic(), tenant_scope(tenant, source="invitation_resend"):
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.state == InvitationState.EXPIRED:
            transition(workflow=INVITATION_WORKFLOW, instance=locked, to_state=InvitationState.PENDING,
                       actor=actor, reason=_("Invitation sent again"), extra_updates=fresh)
        elif locked.state == InvitationState.PENDING:
            audited_save(assign_fields(locked, fresh), actor=actor, reason=_("Invitation sent again"),
                         update_fields=list(fresh))
        else:
            raise InvitationClosed(_("Only pending or expired invitations can be sent again."))
        _send_after_commit(locked, token, base_url)
    assign_fields(invitation, {"state": locked.state, **fresh})
    return invitation


def invitation_revoke(*, invitation: Invitation, actor: User | None, reason: str = "") -> Invitation:
    """Withdraw an invitation that was not accepted; its link stops working."""
    _require_inviter(tenant=invitation.tenant, actor=actor, role=invitation.role, partner=invitation.partner)
    if invitation.state not in (InvitationState.PENDING, InvitationState.EXPIRED):
        raise InvitationClosed(_("Only invitations that were not accepted can be revoked."))
    with tenant_scope(invitation.tenant_id, source="invitation_revoke"):
        return transition(workflow=INVITATION_WORKFLOW, instance=invitation, to_state=InvitationState.REVOKED,
                          actor=actor, reason=reason or _("Invitation revoked"))


def invitation_closed_message(invitation: Invitation) -> str | None:
    """Why the link no longer works (worded for the invitee), or None while it is open."""
    state = invitation.current_state
    if not invitation.tenant.is_active:
        return _("This invitation is no longer valid.")
    if state == InvitationState.ACCEPTED:
        return _("This invitation has already been accepted. Sign in to continue.")
    if state == InvitationState.REVOKED:
        return _("This invitation was withdrawn. Ask the person who invited you to send a new one.")
    if state == InvitationState.EXPIRED:
        return _("This invitation has expired. Ask the person who invited you to send it again.")
    return None


def invitation_expire_if_due(*, invitation: Invitation) -> Invitation:
    """Record that a pending invitation ran out (it was already unusable; this keeps the log true)."""
    if invitation.state == InvitationState.PENDING and invitation.is_expired:
        with tenant_scope(invitation.tenant_id, source="invitation_expire"):
            transition(workflow=INVITATION_WORKFLOW, instance=invitation, to_state=InvitationState.EXPIRED,
                       actor=None, reason=_("Expired before it was accepted"))
    return invitation


def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    """``user`` accepts: they get the offered role, if they are the invited address.

    The account must carry the invited e-mail address (the person proved they read the
    e-mail by holding the link, and proved they own the account by signing in). A person
    who already works in the tenant as its staff or for another partner is refused, and
    told so; nothing changes then.
    """
    with transaction.atomic(), tenant_scope(invitation.tenant_id, source="invitation_accept"):
        # OF self: PostgreSQL cannot lock the nullable side of the outer join to the partner.
        locked = (
            Invitation.objects.select_for_update(of=("self",)).select_related("tenant", "partner")
            .get(pk=invitation.pk)
        )
        closed = invitation_closed_message(locked)
        if closed:
            raise InvitationClosed(closed)
        if not user.is_active or Invitation.fold(user.email) != locked.email_key:
            raise PermissionDenied(_(
                "This invitation was sent to another e-mail address. Sign in with the account "
                "of the invited address to accept it."
            ))
        try:
            membership = membership_ensure(
                tenant=locked.tenant, user=user, role=locked.role, partner=locked.partner, actor=user,
                reason=_("Invitation accepted"),
            )
        except MembershipConflict as error:
            raise MembershipConflict(_(
                "You already work in %(tenant)s as its staff or for another company, so you cannot "
                "accept this invitation. Please contact %(tenant)s to change your access."
            ) % {"tenant": locked.tenant.name}) from error
        transition(workflow=INVITATION_WORKFLOW, instance=locked, to_state=InvitationState.ACCEPTED,
                   actor=user, reason=_("Invitation accepted"),
                   extra_updates={"accepted_by": user, "accepted_at": timezone.now()})
        if locked.partner is not None:
            # Other apps hear that the partner's team is on the portal (recruitment ticks its checklist).
            milestones.announce(partner=locked.partner, milestone="partner.user_joined",
                                source="tenancy.invitation", role=locked.role)
    invitation.state = locked.state
    return membership


def invitation_accept_new_account(
    *, invitation: Invitation, username: str, password: str, first_name: str = "", last_name: str = "",
) -> Membership:
    """A person without an account accepts: the account is created with the invited address."""
    with transaction.atomic():
        email = invitation.email.strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise PermissionDenied(_(
                "An account with this e-mail address already exists. Sign in with it to accept."
            ))
        user = User(
            username=username, email=email, first_name=first_name, last_name=last_name,
            language=invitation.language,
        )
        user.set_password(password)
        user.full_clean()
        user.save()
        return invitation_accept(invitation=invitation, user=user)
