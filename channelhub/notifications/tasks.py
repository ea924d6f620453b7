"""Celery entry point of notifications: e-mail the rows ``notify()`` wrote (tenant id first)."""

from __future__ import annotations

from channelhub.tasks import tenant_task

from .models import Notification


@tenant_task(name="channelhub.notifications.tasks.send_notification_emails")
def send_notification_emails(tenant_id: int, notification_ids: list[int]) -> int:
    """Send each e-mail once (a redelivered task sends nothing twice); return how many went now."""
    from .services import send_email

    sent = 0
    for notification in Notification.objects.select_related("recipient", "tenant").filter(pk__in=notification_ids):
        sent += send_email(notification=notification)
    return sent
