"""The kinds of notification: each chapter declares its own, once, from its package.

``notification_kind("partners.change_request_decided", label=_("Decisions on your profile
changes"), important=True)`` makes the kind known: its label names it on the preferences
page, and ``important`` kinds are e-mailed unless the person switched e-mail off for them
(other kinds are e-mailed only to people who switched it on). In-app notifications are
always written.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise


@dataclass(frozen=True)
class NotificationKind:
    key: str
    label: str | Promise
    important: bool = False


_kinds: dict[str, NotificationKind] = {}


def notification_kind(key: str, label, important: bool = False) -> NotificationKind:
    """Declare a kind (at import time of the chapter's module); a second identical declaration is harmless."""
    kind = NotificationKind(key, label, important)
    existing = _kinds.get(key)
    if existing is not None and (existing.important != important or str(existing.label) != str(label)):
        raise ImproperlyConfigured(f"Notification kind {key!r} is declared twice differently.")
    _kinds[key] = kind
    return kind


def kind(key: str) -> NotificationKind:
    try:
        return _kinds[key]
    except KeyError:
        raise ImproperlyConfigured(f"Unknown notification kind {key!r}: declare it first.") from None


def kinds() -> list[NotificationKind]:
    """Every declared kind, important ones first, then by key."""
    return sorted(_kinds.values(), key=lambda k: (not k.important, k.key))
