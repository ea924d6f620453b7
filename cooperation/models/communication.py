"""Two-way communication (第十八条, 双向沟通): announcements, message threads, partner conferences."""

from __future__ import annotations

from pathlib import PurePath

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from channelhub.partners.models import Partner
from channelhub.tenancy.models import TenantOwnedModel

from ..storage import private_storage
from .audience import Audience


class Announcement(TenantOwnedModel):
    """A notice to all partners or an audience, with read receipts and an optional acknowledgement."""

    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    audience = models.ForeignKey(Audience, on_delete=models.PROTECT, related_name="+", editable=False,
                                 verbose_name=_("audience"))
    must_acknowledge = models.BooleanField(
        _("must be acknowledged"), default=False,
        help_text=_("Partners see it on their portal home until one of their staff acknowledges it."),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    expires_at = models.DateTimeField(_("shown until"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", editable=False, verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["tenant", "published_at"])]

    def __str__(self) -> str:
        return self.title


class AnnouncementReceipt(TenantOwnedModel):
    """One partner staff member read (and maybe acknowledged) an announcement."""

    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="receipts",
                                     verbose_name=_("announcement"))
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+", verbose_name=_("partner"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("user"))
    read_at = models.DateTimeField(_("read at"), default=timezone.now)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)

    class Meta:
        verbose_name = _("read receipt")
        verbose_name_plural = _("read receipts")
        ordering = ["announcement", "read_at"]
        constraints = [models.UniqueConstraint(fields=["tenant", "announcement", "user"],
                                               name="coop_receipt_once_per_user")]
        indexes = [models.Index(fields=["tenant", "partner", "announcement"])]

    def __str__(self) -> str:
        return f"{self.announcement} · {self.user}"


class Thread(TenantOwnedModel):
    """A conversation between one partner and its channel manager (either side starts it)."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="threads", verbose_name=_("partner"))
    subject = models.CharField(_("subject"), max_length=200)
    manager = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("channel manager"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    last_message_at = models.DateTimeField(_("last message"), default=timezone.now, db_index=True)
    # Unread for the other side: the newest message's side and time tell it without a scan.
    last_from_partner = models.BooleanField(_("last message from the partner"), default=False, editable=False)
    partner_read_at = models.DateTimeField(_("read by the partner"), null=True, blank=True, editable=False)
    manager_read_at = models.DateTimeField(_("read by the manager"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("message thread")
        verbose_name_plural = _("message threads")
        ordering = ["-last_message_at", "-pk"]
        indexes = [models.Index(fields=["tenant", "partner", "last_message_at"]),
                   models.Index(fields=["tenant", "manager", "last_from_partner"])]

    def __str__(self) -> str:
        return self.subject


def attachment_upload_to(instance, filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()[:10]
    stamp = timezone.now()
    return f"cooperation/messages/{instance.tenant_id}/{stamp:%Y/%m}/{instance.thread_id}-{id(instance)}{suffix}"


class Message(TenantOwnedModel):
    """One message of a thread, written by partner staff or by the tenant's staff."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages", verbose_name=_("thread"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name=_("author"))
    from_partner = models.BooleanField(_("from the partner"), default=False)
    body = models.TextField(_("text"))
    attachment = models.FileField(_("attachment"), upload_to=attachment_upload_to, storage=private_storage,
                                  blank=True, max_length=300)
    attachment_name = models.CharField(_("file name"), max_length=200, blank=True)
    attachment_type = models.CharField(_("content type"), max_length=100, blank=True)
    attachment_size = models.PositiveIntegerField(_("size"), default=0)
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    notified_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["thread", "created_at", "pk"]
        indexes = [models.Index(fields=["tenant", "thread", "created_at"])]

    def __str__(self) -> str:
        return self.body[:60]


class EventKind(models.TextChoices):
    CONFERENCE = "conference", _("Partner conference")
    MEETING = "meeting", _("Meeting")
    WEBINAR = "webinar", _("Webinar")


class EventStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("event status", "Draft")
    PUBLISHED = "published", pgettext_lazy("event status", "Published")
    CANCELLED = "cancelled", pgettext_lazy("event status", "Cancelled")


class Event(TenantOwnedModel):
    """A partner conference or meeting (合作伙伴大会) with invitations, RSVPs, capacity and check-in."""

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=EventKind.choices, default=EventKind.CONFERENCE)
    description = models.TextField(_("description"), blank=True)
    agenda = models.TextField(_("agenda"), blank=True, help_text=_("One item per line, e.g. “09:00 Welcome”."))
    location = models.CharField(_("location"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveIntegerField(_("capacity"), default=100, validators=[MinValueValidator(1)])
    audience = models.ForeignKey(Audience, on_delete=models.PROTECT, related_name="+", editable=False,
                                 verbose_name=_("audience"))
    status = models.CharField(_("status"), max_length=16, choices=EventStatus.choices, default=EventStatus.DRAFT,
                              editable=False)

    class Meta:
        verbose_name = _("partner event")
        verbose_name_plural = _("partner events")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["tenant", "status", "starts_at"])]

    def __str__(self) -> str:
        return self.title


class EventInvitation(TenantOwnedModel):
    """An event's invitation to one partner (its staff answer for themselves)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("event"))
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+", verbose_name=_("partner"))
    invited_at = models.DateTimeField(_("invited at"), default=timezone.now)

    class Meta:
        verbose_name = _("event invitation")
        verbose_name_plural = _("event invitations")
        ordering = ["event", "partner"]
        constraints = [models.UniqueConstraint(fields=["tenant", "event", "partner"],
                                               name="coop_invitation_once_per_partner")]

    def __str__(self) -> str:
        return f"{self.event} · {self.partner}"


class RsvpResponse(models.TextChoices):
    YES = "yes", _("Attending")
    MAYBE = "maybe", _("Maybe")
    NO = "no", _("Not attending")


class EventRsvp(TenantOwnedModel):
    """One person's answer to an invitation, and whether they checked in."""

    invitation = models.ForeignKey(EventInvitation, on_delete=models.CASCADE, related_name="rsvps",
                                   verbose_name=_("invitation"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("person"))
    attendee_name = models.CharField(_("name"), max_length=100)
    response = models.CharField(_("answer"), max_length=8, choices=RsvpResponse.choices)
    responded_at = models.DateTimeField(_("answered at"), default=timezone.now)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("RSVP")
        verbose_name_plural = _("RSVPs")
        ordering = ["invitation", "attendee_name"]
        constraints = [models.UniqueConstraint(fields=["tenant", "invitation", "user"],
                                               name="coop_rsvp_once_per_person")]

    def __str__(self) -> str:
        return f"{self.attendee_name} · {self.get_response_display()}"
