"""Two-way communication (第十八条): announcements with receipts, threads with attachments, events with RSVPs."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from channelhub import uploads
from channelhub.partners.models import Partner
from channelhub.tenancy.models import Tenant, User
from channelhub.tenancy.policy import actor_in, authorize
from channelhub.tenancy.services import assign_fields, audited_save, require_same_tenant

from ..models import (
    Announcement,
    AnnouncementReceipt,
    Event,
    EventInvitation,
    EventRsvp,
    EventStatus,
    Message,
    RsvpResponse,
    Thread,
)
from ..permissions import ANNOUNCEMENT_MANAGE, ANNOUNCEMENT_READ, EVENT_MANAGE, EVENT_RSVP, THREAD_WRITE
from ..selectors.audience import audiences_of, partners_in
from ._common import delete_guarded
from .audience import audience_save, split_audience

ANNOUNCEMENT_FIELDS = ("title", "body", "must_acknowledge", "expires_at")
EVENT_FIELDS = ("title", "kind", "description", "agenda", "location", "starts_at", "ends_at", "capacity")


# --------------------------------------------------------------------------- announcements


@transaction.atomic
def announcement_create(*, tenant: Tenant, actor: User | None, publish: bool = False, **fields: Any) -> Announcement:
    """A new announcement for all partners or an audience; ``publish`` publishes it at once."""
    authorize(actor, ANNOUNCEMENT_MANAGE.code, tenant=tenant)
    fields, audience_fields = split_audience(dict(fields))
    audience = audience_save(tenant_id=tenant.pk, audience=None, actor=actor, **audience_fields)
    announcement = Announcement(tenant=tenant, audience=audience, created_by=actor)
    assign_fields(announcement, {k: v for k, v in fields.items() if k in ANNOUNCEMENT_FIELDS})
    if publish:
        announcement.published_at = timezone.now()
    return audited_save(announcement, actor=actor, reason=_("Created"))


@transaction.atomic
def announcement_update(*, announcement: Announcement, actor: User | None, **fields: Any) -> Announcement:
    authorize(actor, ANNOUNCEMENT_MANAGE.code, tenant=announcement.tenant_id)
    fields, audience_fields = split_audience(dict(fields))
    if audience_fields:
        audience_save(tenant_id=announcement.tenant_id, audience=announcement.audience, actor=actor,
                      **audience_fields)
    assign_fields(announcement, {k: v for k, v in fields.items() if k in ANNOUNCEMENT_FIELDS})
    return audited_save(announcement, actor=actor, reason=_("Updated"))


@transaction.atomic
def announcement_delete(*, announcement: Announcement, actor: User | None) -> None:
    authorize(actor, ANNOUNCEMENT_MANAGE.code, tenant=announcement.tenant_id)
    if announcement.published_at is not None:
        raise ValidationError(_("A published announcement is kept (partners have read it); let it expire instead."))
    delete_guarded(announcement, actor=actor)


@transaction.atomic
def announcement_publish(*, announcement: Announcement, actor: User | None) -> Announcement:
    authorize(actor, ANNOUNCEMENT_MANAGE.code, tenant=announcement.tenant_id)
    if announcement.published_at is None:
        announcement.published_at = timezone.now()
        audited_save(announcement, actor=actor, reason=_("Published"))
    return announcement


def _partner_of(actor: User, tenant_id: int) -> Partner:
    partner_id = actor_in(actor, tenant_id).partner_id
    if partner_id is None:
        raise ValidationError(_("Only partner staff read announcements in the portal."))
    return Partner.objects.select_related("region").get(pk=partner_id)


def _visible_to(announcement: Announcement, partner: Partner) -> bool:
    return (announcement.published_at is not None
            and audiences_of(partner).filter(pk=announcement.audience_id).exists())


@transaction.atomic
def announcement_read(*, announcement: Announcement, actor: User, acknowledge: bool = False) -> AnnouncementReceipt:
    """Record that partner staff read (and, if asked, acknowledged) an announcement of their audience. Idempotent."""
    authorize(actor, ANNOUNCEMENT_READ.code, tenant=announcement.tenant_id,
              partner=actor_in(actor, announcement.tenant_id).partner_id if actor else None)
    partner = _partner_of(actor, announcement.tenant_id)
    if not _visible_to(announcement, partner):
        raise ValidationError(_("This announcement is not addressed to your company."))
    receipt = AnnouncementReceipt.objects.filter(announcement=announcement, user=actor).first()
    if receipt is None:
        receipt = AnnouncementReceipt(tenant_id=announcement.tenant_id, announcement=announcement, partner=partner,
                                      user=actor)
    if acknowledge and receipt.acknowledged_at is None:
        receipt.acknowledged_at = timezone.now()
    if receipt.pk is None or acknowledge:
        audited_save(receipt, actor=actor, reason=_("Acknowledged") if acknowledge else _("Read"))
    return receipt


# --------------------------------------------------------------------------- threads


def _side(actor: User | None, tenant_id: int, partner: Partner) -> bool:
    """True when ``actor`` writes for the partner (partner staff), False for the tenant's staff or the system."""
    if actor is None:
        return False
    access = actor_in(actor, tenant_id)
    return access.partner_id is not None and not (access.roles - {"partner_admin", "partner_user"})


def _attach(message: Message, attachment) -> None:
    if attachment is None:
        return
    message.attachment_type = uploads.validate_document_file(attachment)
    message.attachment_name = str(getattr(attachment, "name", "") or "attachment")[-200:]
    message.attachment_size = attachment.size
    message.attachment = attachment


@transaction.atomic
def thread_start(*, tenant: Tenant, actor: User | None, partner: Partner, subject: str, body: str,
                 attachment=None) -> Thread:
    """Start a conversation between ``partner`` and its channel manager (from either side)."""
    require_same_tenant(tenant, partner)
    authorize(actor, THREAD_WRITE.code, tenant=tenant, partner=partner)
    subject = (subject or "").strip()
    if not subject:
        raise ValidationError({"subject": _("Give the conversation a subject.")})
    thread = Thread(tenant=tenant, partner=partner, subject=subject[:200], manager=partner.owner)
    audited_save(thread, actor=actor, reason=_("Conversation started"))
    message_send(thread=thread, actor=actor, body=body, attachment=attachment)
    return thread


@transaction.atomic
def message_send(*, thread: Thread, actor: User | None, body: str, attachment=None) -> Message:
    """Add a message; the other side is e-mailed (in their language) after commit, through Celery."""
    authorize(actor, THREAD_WRITE.code, tenant=thread.tenant_id, partner=thread.partner_id)
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write a message.")})
    from_partner = _side(actor, thread.tenant_id, thread.partner)
    message = Message(tenant_id=thread.tenant_id, thread=thread, author=actor, from_partner=from_partner, body=body)
    try:
        _attach(message, attachment)
    except ValidationError as error:
        raise ValidationError({"attachment": error.messages}) from error
    audited_save(message, actor=actor, reason=_("Message sent"))
    now = message.created_at
    updates = {"last_message_at": now, "last_from_partner": from_partner}
    updates["partner_read_at" if from_partner else "manager_read_at"] = now
    Thread.objects.filter(pk=thread.pk).update(**updates)
    for name, value in updates.items():
        setattr(thread, name, value)
    from ..notifications import notify_message

    notify_message(message)
    return message


def thread_mark_read(*, thread: Thread, actor: User) -> Thread:
    """The reader's side has read everything up to now (no audit row: reading changes nothing)."""
    authorize(actor, THREAD_WRITE.code, tenant=thread.tenant_id, partner=thread.partner_id)
    field = "partner_read_at" if _side(actor, thread.tenant_id, thread.partner) else "manager_read_at"
    now = timezone.now()
    Thread.objects.filter(pk=thread.pk).update(**{field: now})
    setattr(thread, field, now)
    return thread


# --------------------------------------------------------------------------- events


@transaction.atomic
def event_create(*, tenant: Tenant, actor: User | None, **fields: Any) -> Event:
    authorize(actor, EVENT_MANAGE.code, tenant=tenant)
    fields, audience_fields = split_audience(dict(fields))
    audience = audience_save(tenant_id=tenant.pk, audience=None, actor=actor, **audience_fields)
    event = assign_fields(Event(tenant=tenant, audience=audience),
                          {k: v for k, v in fields.items() if k in EVENT_FIELDS})
    _check_event(event)
    return audited_save(event, actor=actor, reason=_("Created"))


def _check_event(event: Event) -> None:
    if event.starts_at and event.ends_at and event.ends_at < event.starts_at:
        raise ValidationError({"ends_at": _("The event ends before it starts.")})


@transaction.atomic
def event_update(*, event: Event, actor: User | None, **fields: Any) -> Event:
    authorize(actor, EVENT_MANAGE.code, tenant=event.tenant_id)
    fields, audience_fields = split_audience(dict(fields))
    if audience_fields:
        audience_save(tenant_id=event.tenant_id, audience=event.audience, actor=actor, **audience_fields)
    assign_fields(event, {k: v for k, v in fields.items() if k in EVENT_FIELDS})
    _check_event(event)
    return audited_save(event, actor=actor, reason=_("Updated"))


@transaction.atomic
def event_delete(*, event: Event, actor: User | None) -> None:
    authorize(actor, EVENT_MANAGE.code, tenant=event.tenant_id)
    if event.status != EventStatus.DRAFT:
        raise ValidationError(_("A published event is cancelled, not deleted."))
    delete_guarded(event, actor=actor)


@transaction.atomic
def event_publish(*, event: Event, actor: User | None) -> Event:
    """Publish the event and invite every partner of its audience (idempotent: invites the new ones)."""
    authorize(actor, EVENT_MANAGE.code, tenant=event.tenant_id)
    if event.status == EventStatus.CANCELLED:
        raise ValidationError(_("A cancelled event is not published again."))
    if event.status != EventStatus.PUBLISHED:
        event.status = EventStatus.PUBLISHED
        audited_save(event, actor=actor, reason=_("Published"))
    event_invite(event=event, actor=actor, partners=list(partners_in(event.audience)))
    return event


@transaction.atomic
def event_cancel(*, event: Event, actor: User | None) -> Event:
    authorize(actor, EVENT_MANAGE.code, tenant=event.tenant_id)
    event.status = EventStatus.CANCELLED
    return audited_save(event, actor=actor, reason=_("Cancelled"))


def event_invite(*, event: Event, actor: User | None, partners: list[Partner]) -> int:
    """Invite partners (each once); return how many were newly invited."""
    authorize(actor, EVENT_MANAGE.code, tenant=event.tenant_id)
    require_same_tenant(event.tenant_id, *partners)
    have = set(EventInvitation.objects.filter(event=event).values_list("partner_id", flat=True))
    new = [EventInvitation(tenant_id=event.tenant_id, event=event, partner=p) for p in partners if p.pk not in have]
    for invitation in new:
        audited_save(invitation, actor=actor, reason=_("Invited"))
    return len(new)


@transaction.atomic
def event_rsvp(*, event: Event, actor: User, response: str, attendee_name: str = "") -> EventRsvp:
    """One person of an invited partner answers; "attending" is refused when the event is full."""
    partner_id = actor_in(actor, event.tenant_id).partner_id
    authorize(actor, EVENT_RSVP.code, tenant=event.tenant_id, partner=partner_id)
    if response not in RsvpResponse.values:
        raise ValidationError({"response": _("Answer attending, maybe or not attending.")})
    # Lock the event: two last seats cannot both be taken.
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.status != EventStatus.PUBLISHED:
        raise ValidationError(_("This event is not open for answers."))
    if event.starts_at <= timezone.now():
        raise ValidationError(_("This event has started; answers are closed."))
    invitation = EventInvitation.objects.filter(event=event, partner_id=partner_id).first()
    if invitation is None:
        raise ValidationError(_("Your company is not invited to this event."))
    rsvp = EventRsvp.objects.filter(invitation=invitation, user=actor).first() or EventRsvp(
        tenant_id=event.tenant_id, invitation=invitation, user=actor)
    if response == RsvpResponse.YES and rsvp.response != RsvpResponse.YES:
        taken = EventRsvp.objects.filter(invitation__event=event, response=RsvpResponse.YES).count()
        if taken >= event.capacity:
            raise ValidationError({"response": _("The event is full.")})
    rsvp.response = response
    rsvp.attendee_name = (attendee_name or actor.get_full_name() or actor.username)[:100]
    rsvp.responded_at = timezone.now()
    return audited_save(rsvp, actor=actor, reason=rsvp.get_response_display())


@transaction.atomic
def event_check_in(*, rsvp: EventRsvp, actor: User | None) -> EventRsvp:
    """Check a person in at the door (once)."""
    authorize(actor, EVENT_MANAGE.code, tenant=rsvp.tenant_id)
    if rsvp.checked_in_at is None:
        rsvp.checked_in_at = timezone.now()
        audited_save(rsvp, actor=actor, reason=_("Checked in"))
    return rsvp


__all__ = ["F", "IntegrityError", "datetime"]
