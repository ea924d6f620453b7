"""Chapters join the role harness from ``tests/<app_label>/roles.py``, the way routes join the
isolation harness from ``tests/<app_label>/harness.py``.

A chapter's ``roles.py`` states its rows of the spec with the table's own helpers and, where its
actions need a row in some state or a filled-in form, adds to the setups::

    from tests.roles import setups
    from tests.roles.table import MANAGERS, PARTNER, STAFF, admin, api, add
    from tests.roles.cases import ServiceCase

    admin("training.course", view=STAFF, change=TRAINERS, actions={"publish": TRAINERS})
    api("training-api:course", read=STAFF | PARTNER, write=TRAINERS)
    add({"training-portal:catalogue GET": PARTNER})
    setups.ACTION_SETUP["admin:training.course#publish"] = draft_course
    setups.ACTION_BODIES["publish"] = {"apply": "1"}
    SERVICES = [ServiceCase("course_publish", ("admin:training.course#publish",), call)]

The rule of the table holds there too: write the roles down, never derive them from the code.
"""

from __future__ import annotations

import importlib
import importlib.util
from types import ModuleType

from django.apps import apps


def role_modules() -> list[ModuleType]:
    """Every installed app's ``tests.<label>.roles`` module (imported once, in app order)."""
    modules = []
    for config in apps.get_app_configs():
        name = f"tests.{config.label}.roles"
        try:
            found = importlib.util.find_spec(name) is not None
        except ModuleNotFoundError:  # no tests/<label>/ package at all
            found = False
        if found:
            modules.append(importlib.import_module(name))
    return modules


def chapter_services() -> list:
    return [case for module in role_modules() for case in getattr(module, "SERVICES", [])]
