"""Recruitment's pieces of the partner portal and the manager's partner page (``channelhub.portal.registry``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from channelhub.portal.registry import partner_panel, portal_home_panel
from channelhub.tenancy.roles import STAFF_ROLES

from . import selectors


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
    return {"checklist": checklist, "application": application}
