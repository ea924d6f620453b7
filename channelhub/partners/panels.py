"""The partner register's panel on the portal home ("what needs your attention")."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from channelhub.portal.registry import portal_home_panel

from . import selectors
from .models import ChangeRequestState

RECENT = timedelta(days=30)


@portal_home_panel("partners.change_request", title=_("Change of legal details"),
                   template="portal/_change_request_panel.html", order=20)
def change_request(request, partner):
    """The partner's request waiting for a decision, or one decided in the last 30 days; else nothing."""
    latest = selectors.change_request_list(partner_id=partner.pk).first()
    if latest is None:
        return None
    if latest.state != ChangeRequestState.PENDING and (
            latest.decided_at is None or latest.decided_at < timezone.now() - RECENT):
        return None
    return {"change_request": latest}
