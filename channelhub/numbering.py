"""Per-tenant document numbers (协议编号, 报备编号): AGR-2026-0001 counts the tenant's own agreements.

``next_number(series)`` hands out 1, 2, 3… within the current tenant, one series per key
(chapters put the year in the key). The increment is a single ``UPDATE … SET last = last + 1``
inside the caller's transaction: it locks the row until commit, so concurrent requests
queue and never share a number; a rolled-back transaction gives its number back.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from channelhub.tenancy.models import NumberSequence


def next_number(series: str) -> int:
    with transaction.atomic():
        if not NumberSequence.objects.filter(key=series).update(last=F("last") + 1):
            # The series' first number: create the row (a concurrent first caller may win the
            # race; get_or_create then finds its row) and take the increment as above.
            NumberSequence.objects.get_or_create(key=series)
            NumberSequence.objects.filter(key=series).update(last=F("last") + 1)
        return NumberSequence.objects.filter(key=series).values_list("last", flat=True).get()

