"""The notifications app's entries in the isolation harness (see ``channelhub.testing``).

A notification belongs to one person, not to a partner: the builder addresses it to the
side's partner administrator (the user the portal walk signs in as), with the marker in its
title. The list has its own check (a person sees their own notifications only: not a
colleague's, not another partner's, not another tenant's), which replaces the generic
partner-list check (that one expects every partner role to see the same row).
"""

from __future__ import annotations

from channelhub.notifications.models import Notification, NotificationPreference
from channelhub.tenancy.roles import Role
from channelhub.testing import Route, World, register_model, register_route_check


def build_notification(side, marker, role=Role.PARTNER_ADMIN):
    return Notification.objects.create(recipient=side.user(role), kind="tests.marker", title=marker, body=marker)


register_model(Notification, build=build_notification)
register_model(
    NotificationPreference,
    build=lambda side, marker: NotificationPreference.objects.create(
        user=side.user(Role.PARTNER_ADMIN), kind=marker.lower(), email=False),
)


def _check_own_notifications_only(world: World, route: Route) -> None:
    from tests.isolation.checks import body_of

    a, b = world.a, world.b
    mine = {}
    for role in (Role.PARTNER_ADMIN, Role.PARTNER_USER):
        marker = a.marker()
        with a.scope():
            build_notification(a, marker, role)
        mine[role] = marker
    b.build_all()
    partner2_marker = a.partner2.marker()
    with a.scope():
        build_notification(a.partner2, partner2_marker)
    for role, other in ((Role.PARTNER_ADMIN, Role.PARTNER_USER), (Role.PARTNER_USER, Role.PARTNER_ADMIN)):
        response = a.client(a.user(role)).get(route.url())
        body = body_of(response)
        assert response.status_code == 200, f"{route.id} as {role}: {response.status_code}"
        assert mine[role] in body, f"{route.id} as {role}: their own notification is missing"
        assert mine[other] not in body, f"{route.id} as {role}: a colleague's notification appears"
        assert partner2_marker not in body, f"{route.id} as {role}: partner 2's notification appears"
        assert b.token not in body, f"{route.id} as {role}: tenant B's data appears"


register_route_check("notifications-portal:list", _check_own_notifications_only)
