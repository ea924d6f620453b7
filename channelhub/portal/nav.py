"""The portal's own navigation entries and home panel, registered like any chapter's (``channelhub.portal.registry``).

The base template renders only the registry: the overview, the company and its contacts for
everyone at the partner, the team for partner administrators; chapters add theirs in order
(recruitment's onboarding at 20, notifications at 90).
"""

from django.utils.translation import gettext_lazy as _

from channelhub.tenancy.roles import Role

from .registry import portal_home_panel, portal_nav

# The same words as the pages' own headings (one msgid each, already in both catalogues).
portal_nav("portal.overview", label=_("Overview"), url_name="portal:dashboard", order=0)
portal_nav("portal.company", label=_("Company profile"), url_name="portal:profile", order=10,
           group="company")
portal_nav("portal.contacts", label=_("Contacts"), url_name="portal:contacts", order=12,
           group="company")
portal_nav("portal.team", label=_("Team"), url_name="portal:staff", roles={Role.PARTNER_ADMIN}, order=30,
           group="company")


@portal_home_panel("portal.invitations", title=_("Invitations not yet accepted"),
                   template="portal/_invitations_panel.html", roles={Role.PARTNER_ADMIN}, order=40)
def open_invitations(request, partner):
    """For the partner administrator: colleagues invited who have not accepted yet (nothing when none)."""
    from channelhub.tenancy.models import Invitation, InvitationState
    from channelhub.tenancy.roles import PARTNER_ROLES

    invitations = list(Invitation.objects.filter(
        partner=partner, role__in=PARTNER_ROLES, state__in=[InvitationState.PENDING, InvitationState.EXPIRED],
    ).order_by("-sent_at")[:5])
    if not invitations:
        return None
    return {"invitations": invitations, "count": len(invitations)}
