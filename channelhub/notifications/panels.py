"""Notifications in the partner portal's navigation (with the unread count) and on its home page."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from channelhub.portal.registry import portal_home_panel, portal_nav

from . import selectors


def unread(request, partner) -> int | None:
    """The navigation badge: unread notifications (none shown when all are read)."""
    return _unread(request) or None


def _unread(request) -> int:
    # The badge and the home panel share one COUNT per request.
    if not hasattr(request, "_unread_notifications"):
        request._unread_notifications = selectors.unread_count(user=request.user)
    return request._unread_notifications


portal_nav("notifications.list", label=_("Notifications"),
           url_name="notifications-portal:list", order=90, badge=unread)


@portal_home_panel("notifications.unread", title=_("Unread notifications"),
                   template="notifications/portal/_home_panel.html", order=5)
def unread_panel(request, partner):
    """The newest unread notifications (at most five); nothing when everything is read."""
    if not _unread(request):
        return None
    latest = list(selectors.notification_list(user=request.user).filter(read_at__isnull=True)[:5])
    return {"notifications": latest, "unread": _unread(request)}
