"""Recruitment's pieces of the partner portal, rendered where the portal's templates place them.

The portal (``channelhub.portal``) does not import the apps; its dashboard loads this library
and asks for the partner's onboarding checklist, which comes from ``recruitment.selectors``.
"""

from __future__ import annotations

from django import template

from .. import selectors

register = template.Library()


@register.inclusion_tag("recruitment/portal/_onboarding_checklist.html")
def onboarding_checklist(partner):
    """The partner's onboarding checklist (done and open items); nothing if it has none."""
    return {"checklist": selectors.onboarding_checklist(partner_id=partner.pk) if partner else None}
