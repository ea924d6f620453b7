"""Fixed-window counters in the Django cache: enough to slow down abuse of the public pages.

Keys are per tenant and per client address. The address is ``REMOTE_ADDR``: behind a reverse
proxy, the proxy must set it (gunicorn ``--forwarded-allow-ips``, or the proxy protocol);
``X-Forwarded-For`` is never trusted here, since anyone can send it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

HOUR = 60 * 60


@dataclass(frozen=True)
class Limit:
    name: str
    setting: str
    default: int
    window: int = HOUR

    @property
    def allowed(self) -> int:
        return int(getattr(settings, self.setting, self.default))


# Applications actually sent (a filled honeypot counts too): the limit the brief of the form states.
SUBMISSIONS = Limit("submit", "RECRUITMENT_PUBLIC_SUBMISSIONS_PER_HOUR", 5)
# Every POST of the form, valid or not: a person fixing typos stays far below it.
ATTEMPTS = Limit("attempt", "RECRUITMENT_PUBLIC_ATTEMPTS_PER_HOUR", 30)
# Tracking links that matched nothing: tokens are unguessable, this only keeps scanners slow.
# Counted per (tenant, address) and applied to further misses only: a valid link is always served.
FAILED_LOOKUPS = Limit("lookup", "RECRUITMENT_PUBLIC_FAILED_LOOKUPS_PER_HOUR", 30)


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR") or "unknown"


def _key(limit: Limit, tenant_id: int, address: str) -> str:
    return f"recruitment:public:{limit.name}:{tenant_id}:{address}"


def used(limit: Limit, tenant_id: int, address: str) -> int:
    return int(cache.get(_key(limit, tenant_id, address)) or 0)


def exhausted(limit: Limit, tenant_id: int, address: str) -> bool:
    return used(limit, tenant_id, address) >= limit.allowed


def count(limit: Limit, tenant_id: int, address: str) -> int:
    """Add one hit; return the hits in the current window (the window starts at the first)."""
    key = _key(limit, tenant_id, address)
    cache.add(key, 0, limit.window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, limit.window)
        return 1
