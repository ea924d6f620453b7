"""E-mails of cooperation, each in its recipient's language (the user's, else the tenant's default).

Services never send: they queue the Celery task after commit (``notify_message``); the task
sends once (``Message.notified_at`` is claimed with a compare-and-swap, so a redelivered task
sends nothing).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from channelhub.tenancy.models import Membership, User
from channelhub.tenancy.roles import PARTNER_ROLES

from .models import Agreement, Message, Thread

MESSAGE_SUBJECT = _("%(tenant)s: new message about “%(subject)s”")
EXPIRY_SUBJECT = _("%(tenant)s: cooperation agreement %(number)s ends on %(day)s")


def notify_message(message: Message) -> None:
    from channelhub.tasks import enqueue

    from .tasks import send_message_notification

    enqueue(send_message_notification, message.tenant_id, message.pk)


def message_recipients(thread: Thread, *, from_partner: bool) -> list[User]:
    """The other side: the channel manager for a partner's message; the partner's staff for the manager's."""
    if from_partner:
        return [thread.manager] if thread.manager_id and thread.manager.email else []
    return list(User.objects.filter(
        pk__in=Membership.objects.filter(partner_id=thread.partner_id, role__in=sorted(PARTNER_ROLES),
                                         is_active=True).values("user_id"),
        is_active=True).exclude(email=""))


def send_to(users: Iterable[User], *, tenant, subject, template: str, context: dict) -> int:
    sent = 0
    for user in users:
        with translation.override(user.language or tenant.default_language):
            text = str(subject % {**context.get("subject_vars", {}), "tenant": tenant.name})
            body = render_to_string(template, {**context, "recipient": user, "tenant": tenant,
                                               "site_url": settings.SITE_URL})
        send_mail(text, body, None, [user.email])
        sent += 1
    return sent


def send_message_email(message: Message) -> bool:
    """E-mail the other side of the thread about ``message``, once."""
    claimed = Message.objects.filter(pk=message.pk, notified_at__isnull=True).update(notified_at=timezone.now())
    if not claimed:
        return False
    thread = Thread.objects.select_related("tenant", "manager", "partner").get(pk=message.thread_id)
    send_to(message_recipients(thread, from_partner=message.from_partner), tenant=thread.tenant,
            subject=MESSAGE_SUBJECT, template="cooperation/email/message.txt",
            context={"message": message, "thread": thread, "subject_vars": {"subject": thread.subject}})
    return True


def send_expiry_reminder(agreement: Agreement) -> int:
    """Remind the partner's channel manager and administrators that the agreement ends soon."""
    partner = agreement.partner
    users = list(User.objects.filter(
        pk__in=Membership.objects.filter(partner_id=partner.pk, role="partner_admin", is_active=True)
        .values("user_id"), is_active=True).exclude(email=""))
    if partner.owner_id and partner.owner.email:
        users.append(partner.owner)
    return send_to(users, tenant=agreement.tenant, subject=EXPIRY_SUBJECT,
                   template="cooperation/email/expiry_reminder.txt",
                   context={"agreement": agreement, "subject_vars": {
                       "number": agreement.number, "day": agreement.end_date.isoformat()}})
