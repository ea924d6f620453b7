"""Sending notifications and what their recipients do with them.

``notify()`` is the one way to tell people something: it writes one in-app row per recipient
(in one INSERT), each worded in that person's language at send time, and e-mails those who
want it (important kinds unless switched off, others if switched on) through a Celery task
after the transaction commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from channelhub.tenancy.context import current_tenant_id
from channelhub.tenancy.models import Membership, Tenant, User
from channelhub.tenancy.policy import authorize

from .models import Notification, NotificationPreference
from .permissions import NOTIFICATION_READ
from .registry import kind as kind_of

TITLE_LENGTH = Notification._meta.get_field("title").max_length


def _render(text, params: Mapping[str, Any] | None) -> str:
    """``text`` (a lazy translation) in the active language, with ``params`` (also translated) filled in."""
    rendered = str(text)
    if params:
        rendered = rendered % {key: str(value) for key, value in params.items()}
    return rendered


def language_of(user: User, tenant: Tenant) -> str:
    return user.language or tenant.default_language


def notify(
    *, recipients: Iterable[User], kind: str, title, body="", url: str = "", actor: User | None = None,
    params: Mapping[str, Any] | None = None,
) -> list[Notification]:
    """Tell ``recipients`` (people of the current tenant) about something; return the rows written.

    ``title`` and ``body`` are translatable texts (``gettext_lazy``), optionally with
    ``%(name)s`` placeholders filled from ``params`` (whose values may be lazy too): each is
    translated in the recipient's language (their own, or the tenant's) and stored so, so the
    list reads the same tomorrow whatever the catalogue says. The actor is never told about
    their own action. Recipients without active access to this tenant are skipped (a
    notification never reaches another tenant's people). E-mail: see the module docstring.
    """
    declared = kind_of(kind)
    tenant_id = current_tenant_id()
    wanted = {user.pk: user for user in recipients if user is not None}
    if actor is not None:
        wanted.pop(actor.pk, None)
    if not wanted:
        return []
    members = set(
        Membership.objects.filter(user_id__in=wanted, is_active=True).values_list("user_id", flat=True)
    )
    people = [user for pk, user in wanted.items() if pk in members]
    if not people:
        return []
    choices = dict(
        NotificationPreference.objects.filter(user_id__in=[u.pk for u in people], kind=kind)
        .values_list("user_id", "email")
    )
    tenant = Tenant.objects.get(pk=tenant_id)
    now = timezone.now()
    rows = []
    for user in people:
        with translation.override(language_of(user, tenant)):
            rows.append(Notification(
                recipient=user, kind=kind, title=_render(title, params)[:TITLE_LENGTH],
                body=_render(body, params) if body else "", url=url, actor=actor, created_at=now,
                email_wanted=bool(user.email) and choices.get(user.pk, declared.important),
            ))
    created = Notification.objects.bulk_create(rows)
    emailed = [row.pk for row in created if row.email_wanted]
    if emailed:
        from channelhub.tasks import enqueue

        from .tasks import send_notification_emails

        enqueue(send_notification_emails, tenant_id, emailed)
    return created


def _require_recipient(notification: Notification, actor: User) -> None:
    authorize(actor, NOTIFICATION_READ.code, tenant=notification.tenant_id)
    if actor is None or notification.recipient_id != actor.pk:
        raise PermissionDenied(_("This notification is not yours."))


def notification_mark_read(*, notification: Notification, actor: User) -> Notification:
    """The recipient has read it (only the recipient marks their own notifications)."""
    _require_recipient(notification, actor)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)
    return notification


def notification_mark_all_read(*, actor: User) -> int:
    """Mark every unread notification of ``actor`` in the current tenant read; return how many."""
    authorize(actor, NOTIFICATION_READ.code, tenant=current_tenant_id())
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def preferences_set(*, actor: User, email_by_kind: Mapping[str, bool]) -> list[NotificationPreference]:
    """Store ``actor``'s e-mail choice for each declared kind given (their own preferences only)."""
    authorize(actor, NOTIFICATION_READ.code, tenant=current_tenant_id())
    saved = []
    for key, email in email_by_kind.items():
        kind_of(key)  # refuses undeclared kinds
        preference = NotificationPreference.objects.filter(user=actor, kind=key).first()
        if preference is None:
            preference = NotificationPreference(user=actor, kind=key)
        elif preference.email == bool(email):
            saved.append(preference)
            continue
        preference.email = bool(email)
        preference._history_user = actor
        preference._change_reason = _("Notification preference changed")
        preference.full_clean()
        preference.save()
        saved.append(preference)
    return saved


def send_email(*, notification: Notification) -> bool:
    """E-mail one notification unless it was already e-mailed; return whether it went now."""
    from django.conf import settings
    from django.core.mail import send_mail
    from django.template.loader import render_to_string

    won = Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True, email_wanted=True).update(
        emailed_at=timezone.now())
    if not won:
        return False
    recipient = notification.recipient
    tenant = notification.tenant
    link = f"{settings.SITE_URL}{notification.url}" if notification.url.startswith("/") else notification.url
    with translation.override(language_of(recipient, tenant)):
        body = render_to_string("notifications/email/notification.txt", {
            "notification": notification, "tenant": tenant, "recipient": recipient, "link": link,
        })
        subject = _("%(tenant)s: %(title)s") % {"tenant": tenant.name, "title": notification.title}
    send_mail(subject, body, None, [recipient.email])
    return True
