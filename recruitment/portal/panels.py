"""Recruitment's pieces of the partner portal and the manager's partner page (``channelhub.portal.registry``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from channelhub.portal.registry import partner_panel, portal_home_panel, portal_nav
from channelhub.tenancy.roles import STAFF_ROLES

from .. import selectors


def open_required_steps(request, partner) -> int | None:
    """The navigation badge: required checklist steps still open (none shown when there are none)."""
    return selectors.onboarding_required_open(partner_id=partner.pk) or None


# On every partner's navigation (the registry has no per-partner visibility); the page says when
# a partner has no checklist. Not "Onboarding checklist": that names the home panel, shown only to
# partners that have one.
portal_nav("recruitment.checklist", label=pgettext_lazy("portal navigation", "Onboarding"),
           url_name="recruitment-portal:checklist", order=20, badge=open_required_steps,
           group="company")


@portal_home_panel("recruitment.onboarding", title=_("Onboarding checklist"),
                   template="recruitment/portal/_onboarding_checklist.html", order=10)
def onboarding_checklist(request, partner):
    """A recruited partner's checklist (done and open items); nothing for a partner without one."""
    checklist = selectors.onboarding_checklist(partner_id=partner.pk)
    return {"checklist": checklist} if checklist else None


@partner_panel("recruitment.onboarding", title=_("Recruitment and onboarding"),
               template="recruitment/admin/_partner_panel.html", roles=STAFF_ROLES, order=10)
def recruitment_panel(request, partner):
    """Where the partner came from (its application) and how far its onboarding is."""
    checklist = selectors.onboarding_checklist(partner_id=partner.pk)
    application = selectors.application_of_partner(partner_id=partner.pk)
    if checklist is None and application is None:
        return None
    return {"checklist": checklist, "application": application, "partner": partner}
