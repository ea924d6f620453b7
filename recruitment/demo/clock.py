"""The demo's clock: the services run at the times of each story, not at the second of seeding."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager

from django.apps import apps
from django.utils import timezone


class DemoClock:
    """``timezone.now()`` for the services while the demo is built: a time the builder sets.

    Patches ``django.utils.timezone.now`` (what services, ``auto_now`` fields, the workflow
    log and simple-history read) and the model fields whose default is that function.
    """

    def __init__(self, start: datetime.datetime):
        self.now = start

    def __call__(self) -> datetime.datetime:
        return self.now

    def at(self, when: datetime.datetime) -> DemoClock:
        self.now = when
        return self

    @contextmanager
    def running(self) -> Iterator[DemoClock]:
        real = timezone.now
        fields = [
            field for model in apps.get_models() for field in model._meta.concrete_fields
            if getattr(field, "default", None) is real
        ]

        def point(target) -> None:
            for field in fields:
                field.default = target
                field.__dict__.pop("_get_default", None)  # Django caches the default callable

        timezone.now = self
        point(self)
        try:
            yield self
        finally:
            timezone.now = real
            point(real)
