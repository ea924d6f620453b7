"""One history of a partner: its record's changes, its contacts' changes and its status moves,
merged newest first, each with who, when, what and why (three queries, whatever the history)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from channelhub.tenancy.models import StateTransition
from channelhub.tenancy.workflow import state_label, workflow_label

from .models import Partner, PartnerContact

# Bookkeeping columns that change with every save and say nothing to a reader.
QUIET_FIELDS = {"updated_at", "search_text", "status_changed_at", "normalised_name"}


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    who: str
    what: str
    why: str


def _person(user) -> str:
    if user is None:
        return _("the system")
    return user.get_full_name() or user.get_username()


def _changes(model, new, old) -> str:
    if old is None:
        return ""
    names = []
    for change in new.diff_against(old).changes:
        if change.field in QUIET_FIELDS:
            continue
        try:
            names.append(str(capfirst(model._meta.get_field(change.field).verbose_name)))
        except Exception:  # a field removed since: name it as stored
            names.append(change.field)
    return ", ".join(names)


def _record_entries(model, records: list, subject) -> list[TimelineEntry]:
    """Entries of one object's history records (newest first); consecutive records give the diff."""
    entries = []
    for index, record in enumerate(records):
        older = next((r for r in records[index + 1:] if r.id == record.id), None)
        label = subject(record)
        if record.history_type == "+":
            what = _("%(subject)s created") % {"subject": label}
        elif record.history_type == "-":
            what = _("%(subject)s deleted") % {"subject": label}
        else:
            changed = _changes(model, record, older)
            if not changed:
                continue  # a save that changed only bookkeeping, or a status move told below
            what = _("%(subject)s changed: %(fields)s") % {"subject": label, "fields": changed}
        entries.append(TimelineEntry(record.history_date, _person(record.history_user), what,
                                     record.history_change_reason or ""))
    return entries


def partner_timeline(partner: Partner, *, limit: int = 25) -> list[TimelineEntry]:
    partner_records = list(partner.history.select_related("history_user").order_by("-history_date")[: limit + 1])
    contact_records = list(
        PartnerContact.history.filter(partner_id=partner.pk).select_related("history_user")
        .order_by("-history_date")[: limit + 1]
    )
    moves = list(
        StateTransition.objects.filter(
            content_type=ContentType.objects.get_for_model(Partner), object_id=partner.pk,
        ).select_related("actor").order_by("-created_at")[:limit]
    )
    entries = _record_entries(Partner, partner_records, lambda r: _("Partner record"))
    entries += _record_entries(PartnerContact, contact_records,
                               lambda r: _("Contact %(name)s") % {"name": r.name})
    entries += [
        TimelineEntry(
            move.created_at, _person(move.actor),
            _("%(workflow)s: %(from)s → %(to)s") % {
                "workflow": capfirst(workflow_label(move.workflow)),
                "from": state_label(move.workflow, move.from_state) if move.from_state else "—",
                "to": state_label(move.workflow, move.to_state),
            },
            move.reason,
        )
        for move in moves
    ]
    entries.sort(key=lambda entry: entry.at, reverse=True)
    return entries[:limit]
