"""Milestones: what happened to a partner, announced by one chapter and heard by others.

Chapters never import each other's services. When something worth knowing happens to a
partner, the chapter that saw it calls ``announce(partner=…, milestone=…)``; listeners
registered with ``@listens_to(milestone)`` run after the announcing transaction commits
(a rolled-back signature announces nothing), inside the partner's tenant, as the system.

The vocabulary (a chapter may declare more with ``declare``):

====================  ======================================================  =============
milestone             meaning                                                 announced by
====================  ======================================================  =============
partner.onboarded     an approved application became an onboarding partner    recruitment
partner.activated     the partner became active                               partners
partner.user_joined   one of the partner's staff accepted a portal invitation tenancy
                      (``details["role"]``)
agreement.signed      both parties signed the partner's cooperation agreement cooperation
agreement.terminated  the partner's agreement ended early                     cooperation
course.completed      a partner's staff member completed a course             training
                      (``details["course_kind"]``: e.g. ``"orientation"``)
certificate.issued    a partner's staff member was certified                  training
sales.first_report    the partner's first sales report was accepted           cooperation
sales.reported        a sales report for a period was accepted                cooperation
review.published      the partner's periodic review result was published      evaluation
====================  ======================================================  =============

Listeners must be idempotent: an announcement may be repeated (a re-run job, a re-signed
agreement), and ``details`` carries what the announcer knows (ids, period keys), never
model instances of another chapter.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from channelhub.tenancy.context import tenant_scope

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Milestone:
    code: str
    label: str | Promise


@dataclass(frozen=True)
class Announcement:
    """What listeners receive. ``partner_id`` and ``tenant_id`` rather than rows: each listener reads its own."""

    milestone: str
    tenant_id: int
    partner_id: int
    source: str
    details: Mapping[str, Any]


Listener = Callable[[Announcement], None]

_vocabulary: dict[str, Milestone] = {}
_listeners: dict[str, list[Listener]] = defaultdict(list)


def declare(code: str, label: str | Promise) -> Milestone:
    milestone = Milestone(code=code, label=label)
    _vocabulary.setdefault(code, milestone)
    return _vocabulary[code]


for _code, _label in (
    ("partner.onboarded", _("Partner onboarding started")),
    ("partner.activated", _("Partner activated")),
    ("partner.user_joined", _("Partner staff joined the portal")),
    ("agreement.signed", _("Cooperation agreement signed")),
    ("agreement.terminated", _("Cooperation agreement terminated")),
    ("course.completed", _("Course completed")),
    ("certificate.issued", _("Certificate issued")),
    ("sales.first_report", _("First sales report")),
    ("sales.reported", _("Sales reported")),
    ("review.published", _("Periodic review published")),
):
    declare(_code, _label)


def vocabulary() -> dict[str, Milestone]:
    return dict(_vocabulary)


def source_label(source: str) -> str:
    """Who or what ticked something, in words: "manual" is a person; "milestone:<code>" the
    milestone's label (e.g. "Agreement signed"); any other source is the system."""
    if not source or source == "manual":
        return str(_("by hand"))
    if source.startswith("milestone:"):
        milestone = _vocabulary.get(source.split(":", 1)[1])
        if milestone is not None:
            return str(milestone.label)
    return str(_("automatically"))


def _known(code: str) -> None:
    if code not in _vocabulary:
        raise ImproperlyConfigured(f"Unknown milestone {code!r}: declare it in channelhub.milestones first.")


def listens_to(*codes: str) -> Callable[[Listener], Listener]:
    """Register a listener for one or more milestones (from the chapter's ``ready()``)."""
    for code in codes:
        _known(code)

    def register(listener: Listener) -> Listener:
        for code in codes:
            if listener not in _listeners[code]:
                _listeners[code].append(listener)
        return listener

    return register


def announce(*, partner, milestone: str, source: str, **details: Any) -> None:
    """Tell every listener that ``milestone`` happened to ``partner``, once the transaction commits."""
    _known(milestone)
    announcement = Announcement(
        milestone=milestone, tenant_id=partner.tenant_id, partner_id=partner.pk, source=source, details=details,
    )
    transaction.on_commit(lambda: deliver(announcement))


def deliver(announcement: Announcement) -> None:
    """Run the listeners now (``announce`` calls this after commit). A failing listener does not stop the others."""
    source = f"milestone:{announcement.milestone}"
    for listener in list(_listeners.get(announcement.milestone, ())):
        try:
            with transaction.atomic(), tenant_scope(announcement.tenant_id, source=source):
                listener(announcement)
        except Exception:
            logger.exception("Listener %r failed on %s", listener, announcement)
