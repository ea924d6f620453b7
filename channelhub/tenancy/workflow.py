"""State machines: one transition table per workflow, one ``transition()`` that enforces it.

A move is checked against the table, applied with a compare-and-swap on the state column
(two concurrent decisions on the same row cannot both win, on PostgreSQL and SQLite
alike), written to the row's history with its reason, logged as a ``StateTransition`` and
announced with the ``state_changed`` signal after commit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import StateTransition, TenantOwnedBase

state_changed = Signal()  # sender=model class; kwargs: instance, workflow, from_state, to_state, actor

M = TypeVar("M", bound=TenantOwnedBase)


class IllegalTransition(Exception):
    """The requested move is not allowed from the row's current state (a 409 in the API)."""

    def __init__(self, message: str, *, from_state: str, to_state: str):
        super().__init__(message)
        self.message = message
        self.from_state = from_state
        self.to_state = to_state


# Every workflow by name, so a stored transition ("partner.status", "onboarding") can be read
# back in words ("Partner lifecycle", "Onboarding") on any screen.
WORKFLOWS: dict[str, Workflow] = {}


def workflow_label(name: str) -> str:
    workflow = WORKFLOWS.get(name)
    return str(workflow.verbose_name) if workflow is not None else name


def state_label(workflow_name: str, state: str) -> str:
    workflow = WORKFLOWS.get(workflow_name)
    return workflow.label(state) if workflow is not None else state


@dataclass(frozen=True)
class Workflow:
    name: str
    verbose_name: str
    state_field: str
    states: type[models.TextChoices]
    allowed: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # Optional column stamped with the time of every move (e.g. ``status_changed_at``).
    changed_at_field: str | None = None

    @classmethod
    def build(
        cls, name: str, verbose_name: str, state_field: str, states: type[models.TextChoices],
        moves: Mapping[str, Iterable[str]], changed_at_field: str | None = None,
    ) -> Workflow:
        workflow = cls(
            name=name, verbose_name=verbose_name, state_field=state_field, states=states,
            allowed={src: frozenset(dst) for src, dst in moves.items()},
            changed_at_field=changed_at_field,
        )
        WORKFLOWS[name] = workflow
        return workflow

    def can(self, from_state: str, to_state: str) -> bool:
        return to_state in self.allowed.get(from_state, frozenset())

    def targets(self, from_state: str) -> list[str]:
        return [value for value in self.states.values if self.can(from_state, value)]

    def label(self, state: str) -> str:
        return str(dict(self.states.choices).get(state, state))


def transition(
    *, workflow: Workflow, instance: M, to_state: str, actor=None, reason: str = "",
    extra_updates: Mapping[str, object] | None = None,
) -> M:
    """Move ``instance`` to ``to_state`` or raise ``IllegalTransition``; return it updated."""
    model = type(instance)
    from_state = getattr(instance, workflow.state_field)
    if to_state not in workflow.states.values or not workflow.can(from_state, to_state):
        raise IllegalTransition(
            _("Cannot change %(workflow)s from “%(from)s” to “%(to)s”.")
            % {
                "workflow": workflow.verbose_name,
                "from": workflow.label(from_state),
                "to": workflow.label(to_state),
            },
            from_state=from_state,
            to_state=to_state,
        )
    now = timezone.now()
    updates = {workflow.state_field: to_state, **(extra_updates or {})}
    if workflow.changed_at_field:
        updates[workflow.changed_at_field] = now
    with transaction.atomic():
        # Compare-and-swap: only the decision that still sees the old state wins.
        won = model.objects.filter(
            pk=instance.pk, **{workflow.state_field: from_state}
        ).update(**updates)
        if not won:
            current = (
                model.objects.filter(pk=instance.pk)
                .values_list(workflow.state_field, flat=True)
                .first()
            )
            raise IllegalTransition(
                _("%(workflow)s was changed by someone else (now “%(state)s”); reload and retry.")
                % {"workflow": workflow.verbose_name, "state": workflow.label(current or "")},
                from_state=current or "",
                to_state=to_state,
            )
        for name, value in updates.items():
            setattr(instance, name, value)
        # Saving again writes the history row (who, when, what changed, why).
        instance._change_reason = reason or _("%(from)s → %(to)s") % {
            "from": workflow.label(from_state), "to": workflow.label(to_state)
        }
        if actor is not None:
            instance._history_user = actor
        instance.save(update_fields=list(updates))
        StateTransition.objects.create(
            content_type=ContentType.objects.get_for_model(model),
            object_id=instance.pk,
            workflow=workflow.name,
            from_state=from_state,
            to_state=to_state,
            actor=actor,
            reason=reason,
            created_at=now,
        )
        transaction.on_commit(
            lambda: state_changed.send(
                sender=model, instance=instance, workflow=workflow,
                from_state=from_state, to_state=to_state, actor=actor,
            )
        )
    return instance
