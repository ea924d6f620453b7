"""Notifications (one row per recipient) and each person's e-mail choice per kind."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from channelhub.tenancy.models import TenantOwnedBase, TenantOwnedModel


class Notification(TenantOwnedBase):
    """Something that happened for one person, worded in their language when it was sent.

    Written in bulk by ``services.notify`` (one row per recipient). No history table: the row
    is itself the record of what was said to whom and when, and only ``read_at`` and
    ``emailed_at`` ever change (the recipient reading it, the e-mail task sending it).
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=64)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("from"),
    )
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # Whether an e-mail goes out too (decided at send time from the kind and the preference),
    # and when it went: the task sends only while this is empty, so a redelivery sends nothing.
    email_wanted = models.BooleanField(default=False, editable=False)
    emailed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The list (newest first) and the unread badge, both per recipient.
            models.Index(fields=["tenant", "recipient", "-created_at"], name="notification_list"),
            models.Index(fields=["tenant", "recipient", "read_at"], name="notification_unread"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(TenantOwnedModel):
    """One person's choice for one kind: e-mail on or off (in-app notifications are always kept)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=64)
    email = models.BooleanField(_("also by e-mail"), default=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "user", "kind"], name="notificationpreference_unique_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.email}"
