"""Running ``manage.py seed_demo`` from the tests, and reading what it built."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.db import transaction

from channelhub.partners.models import Partner

PARTNERS = 12


@dataclass(frozen=True)
class Demo:
    """The package's one seed (tests/demo/conftest.py)."""

    output: str  # what the command printed (default verbosity: progress and credentials)
    private: Path  # PRIVATE_MEDIA_ROOT while it seeded (the documents and PDFs it wrote)


def seed(*args: str, partners: int = PARTNERS, **options) -> str:
    """Run the command (default verbosity unless ``verbosity=…``); what it printed on stdout."""
    out = StringIO()
    call_command("seed_demo", "--partners", str(partners), *args, stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


def built_partners():
    """The partner builder's partners; the recruitment demo's converted ones are tested on their own
    (tests/demo/test_recruitment_demo.py)."""
    return Partner.objects.filter(applications__isnull=True)


@contextmanager
def rerun(django_db_blocker, read: Callable[[], Any]) -> Iterator[Any]:
    """``read()`` on the seed, then the command once more; yields what ``read`` saw.

    For a module-scoped fixture: the rerun happens in a savepoint, undone after the module, so
    the next module finds the seed as the first run left it.
    """
    with django_db_blocker.unblock():
        savepoint = transaction.atomic()
        savepoint.__enter__()
        try:
            before = read()
            seed(verbosity=0)
            yield before
        finally:
            transaction.set_rollback(True)
            savepoint.__exit__(None, None, None)
