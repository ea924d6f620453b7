"""The core's panels on the admin's partner 360° page (chapters register theirs the same way)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from channelhub.portal.registry import partner_panel
from channelhub.tenancy.roles import STAFF_ROLES

from .timeline import partner_timeline


@partner_panel("partners.history", title=_("History"), template="partners/admin/_timeline_panel.html",
               roles=STAFF_ROLES, order=900)
def history_panel(request, partner):
    """Changes, contact changes and status moves in one list, newest first."""
    return {"entries": partner_timeline(partner)}
