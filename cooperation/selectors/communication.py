"""Reads of announcements, threads and events (each a fixed number of queries)."""

from __future__ import annotations

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from channelhub.partners.models import Partner

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
from .audience import audience_q


def announcement_list() -> QuerySet[Announcement]:
    return Announcement.objects.select_related("audience").annotate(
        read_count=Count("receipts", distinct=True),
        acknowledged_count=Count("receipts", filter=Q(receipts__acknowledged_at__isnull=False), distinct=True),
    )


def announcements_for(partner: Partner, *, user=None) -> QuerySet[Announcement]:
    """Published, unexpired announcements whose audience includes ``partner``, with the user's receipt."""
    now = timezone.now()
    queryset = (
        Announcement.objects.filter(published_at__isnull=False, published_at__lte=now)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .filter(audience_q(partner))
        .select_related("audience")
        .order_by("-published_at", "-pk")
    )
    if user is not None:
        mine = AnnouncementReceipt.objects.filter(announcement=OuterRef("pk"), user=user)
        acknowledged = AnnouncementReceipt.objects.filter(announcement=OuterRef("pk"), partner=partner,
                                                          acknowledged_at__isnull=False)
        queryset = queryset.annotate(is_read=Exists(mine), is_acknowledged=Exists(acknowledged))
    return queryset


def unacknowledged_for(partner: Partner, *, user) -> QuerySet[Announcement]:
    """Must-acknowledge announcements nobody of the partner has acknowledged yet."""
    return announcements_for(partner, user=user).filter(must_acknowledge=True, is_acknowledged=False)


def thread_list(*, partner_id: int | None = None) -> QuerySet[Thread]:
    queryset = Thread.objects.select_related("partner", "manager").annotate(message_count=Count("messages"))
    if partner_id is not None:
        queryset = queryset.filter(partner_id=partner_id)
    return queryset


def _unread_for_partner() -> Q:
    return Q(last_from_partner=False) & (Q(partner_read_at__isnull=True) | Q(partner_read_at__lt=F("last_message_at")))


def _unread_for_manager() -> Q:
    return Q(last_from_partner=True) & (Q(manager_read_at__isnull=True) | Q(manager_read_at__lt=F("last_message_at")))


def unread_threads_for_partner(partner_id: int) -> int:
    return Thread.objects.filter(partner_id=partner_id).filter(_unread_for_partner()).count()


def unread_threads_for_manager(user, *, all_partners: bool = False) -> QuerySet[Thread]:
    """Threads whose last word is the partner's and that the manager has not read since."""
    queryset = Thread.objects.filter(_unread_for_manager())
    return queryset if all_partners else queryset.filter(manager=user)


def thread_messages(thread: Thread) -> QuerySet[Message]:
    return Message.objects.filter(thread=thread).select_related("author").order_by("created_at", "pk")


def last_messages(partner_id: int, limit: int = 5) -> list[Message]:
    return list(Message.objects.filter(thread__partner_id=partner_id).select_related("thread", "author")
                .order_by("-created_at", "-pk")[:limit])


def event_list() -> QuerySet[Event]:
    return Event.objects.select_related("audience").annotate(
        invited=Count("invitations", distinct=True),
        attending=Count("invitations__rsvps", filter=Q(invitations__rsvps__response=RsvpResponse.YES), distinct=True),
        checked_in=Count("invitations__rsvps", filter=Q(invitations__rsvps__checked_in_at__isnull=False),
                         distinct=True),
    )


def events_for(partner: Partner) -> QuerySet[Event]:
    """Published events the partner is invited to."""
    return (
        event_list().filter(status=EventStatus.PUBLISHED)
        .filter(Exists(EventInvitation.objects.filter(event=OuterRef("pk"), partner=partner)))
        .order_by("starts_at", "pk")
    )


def my_rsvps(partner: Partner, user) -> dict[int, EventRsvp]:
    return {r.invitation.event_id: r for r in EventRsvp.objects.filter(invitation__partner=partner, user=user)
            .select_related("invitation")}


def rsvp_list(*, partner_id: int | None = None) -> QuerySet[EventRsvp]:
    queryset = EventRsvp.objects.select_related("invitation__event", "invitation__partner", "user")
    if partner_id is not None:
        queryset = queryset.filter(invitation__partner_id=partner_id)
    return queryset
