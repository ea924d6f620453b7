"""Celery entry points of cooperation. Arguments are ids, tenant id first; bodies call one function."""

from __future__ import annotations

from channelhub.tasks import tenant_task

from .models import Message


@tenant_task(name="cooperation.tasks.send_message_notification")
def send_message_notification(tenant_id: int, message_id: int) -> bool:
    """E-mail the other side of a thread (once per message: redelivery sends nothing)."""
    from .notifications import send_message_email

    message = Message.objects.filter(pk=message_id).first()
    return send_message_email(message) if message is not None else False
