"""The demo's stories (the final state of every application) and the context a build carries."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from channelhub.demo.data import TenantSpec
from channelhub.tenancy.models import Tenant, User

from .clock import DemoClock
from .texts import RecruitmentTexts

# (final state, variant) for each demo application, in the order they are built.
STORIES: tuple[tuple[str, str], ...] = (
    ("draft", ""), ("draft", ""),
    ("submitted", ""), ("submitted", "question"), ("submitted", ""), ("submitted", ""),
    ("screening", ""), ("screening", "duplicate"), ("screening", "question"), ("screening", ""),
    ("scoring", "none"), ("scoring", "none"), ("scoring", "partial"), ("scoring", "partial"),
    ("scoring", "complete"), ("scoring", "knockout"),
    ("in_review", "step1"), ("in_review", "step1"), ("in_review", "step2"), ("in_review", "returned"),
    ("in_review", "step3"), ("in_review", "step3"),
    ("approved", "0"), ("approved", "1"), ("approved", "2"), ("approved", "3"), ("approved", "all"),
    ("approved", "early"),
    ("rejected", "step1"), ("rejected", "knockout"), ("rejected", "screening"), ("rejected", "legal"),
    ("withdrawn", "submitted"), ("withdrawn", "scoring"), ("withdrawn", "in_review"),
)
STATE_COUNTS = Counter(state for state, _variant in STORIES)


@dataclass
class Ctx:
    spec: TenantSpec
    texts: RecruitmentTexts
    tenant: Tenant
    clock: DemoClock
    today: datetime.datetime
    users: dict[str, User]
    counts: Counter
