"""Reads over a person's notifications (always their own, in the current tenant)."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Notification, NotificationPreference
from .registry import NotificationKind, kinds


def notification_list(*, user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).select_related("actor")


def unread_count(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def preference_rows(*, user) -> list[tuple[NotificationKind, bool]]:
    """Every declared kind with the person's e-mail choice (the kind's default where they made none)."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "email"))
    return [(kind, chosen.get(kind.key, kind.important)) for kind in kinds()]
