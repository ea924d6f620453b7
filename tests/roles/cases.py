"""One service case of the service matrix (tests/roles/test_services.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ServiceCase:
    name: str
    items: tuple[str, ...]  # the table items the service backs
    call: Callable[[Any, Any], Any]  # (world, actor user) -> result; builds its own target first
