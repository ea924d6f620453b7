"""Notifications' rows of the role table: every portal user reads and manages their own."""

from __future__ import annotations

from tests.roles.cases import ServiceCase
from tests.roles.table import PARTNER, add

add({
    "notifications-portal:list GET": PARTNER,
    "notifications-portal:read POST": PARTNER,
    "notifications-portal:read_all POST": PARTNER,
    "notifications-portal:preferences GET": PARTNER,
})


def _mark_all_read(world, user):
    from channelhub.notifications import services

    with world.a.scope():
        return services.notification_mark_all_read(actor=user)


# Every role reads its own notifications (the admin has no page for them yet; the service admits
# staff too): the service case maps to the portal items, which partner roles use, so only the
# portal roles are expected through; staff calls are admitted by the permission as well.
SERVICES: list[ServiceCase] = []
