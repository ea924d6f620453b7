"""The portal's kinds of notification, and telling an inviter that their invitation was accepted."""

from __future__ import annotations

from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from channelhub.notifications.registry import notification_kind
from channelhub.notifications.services import notify
from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.models import Invitation, InvitationState
from channelhub.tenancy.roles import PARTNER_ROLES, Role
from channelhub.tenancy.workflow import state_changed

INVITATION_ACCEPTED = notification_kind(
    "portal.invitation_accepted", _("A colleague accepted your invitation"), important=True).key


@receiver(state_changed, sender=Invitation, dispatch_uid="portal.invitation_accepted")
def tell_the_inviter(sender, instance: Invitation, to_state: str, actor=None, **kwargs) -> None:
    """After an invitation is accepted (and committed), the person who sent it hears so."""
    if to_state != InvitationState.ACCEPTED or instance.invited_by_id is None:
        return
    from django.contrib.auth import get_user_model

    inviter = get_user_model().objects.filter(pk=instance.invited_by_id, is_active=True).first()
    if inviter is None:
        return
    joined = actor.get_full_name() or actor.get_username() if actor is not None else instance.email
    url = reverse("portal:staff") if instance.role in PARTNER_ROLES else reverse("admin:tenancy_membership_changelist")
    with tenant_scope(instance.tenant_id, source="notify:invitation_accepted"):
        notify(
            recipients=[inviter], kind=INVITATION_ACCEPTED, actor=actor, url=url,
            title=_("%(name)s accepted your invitation"),
            body=_("%(name)s (%(email)s) can now sign in as %(role)s."),
            params={"name": joined, "email": instance.email, "role": Role(instance.role).label},
        )
