"""Fixed-window counters in the Django cache, for requests that must not be repeated at will.

The same approach as the public form's limits (``recruitment.public.ratelimit``), for core
surfaces: the window starts at the first hit and the count resets when it ends. The client
address is ``REMOTE_ADDR`` (``X-Forwarded-For`` is never trusted; see that module).
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache


def client_address(request) -> str:
    return (request.META.get("REMOTE_ADDR") if request is not None else None) or "unknown"


def _key(scope: str, subject: str) -> str:
    # Hashed: keys stay short and the cache holds no e-mail address in clear.
    return f"ratelimit:{scope}:{hashlib.sha256(subject.encode()).hexdigest()[:32]}"


def hit(scope: str, subject: str, *, limit: int, window: int) -> bool:
    """Count one hit of ``subject``; True while it is within ``limit`` hits per ``window`` seconds."""
    key = _key(scope, subject)
    cache.add(key, 0, window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        count = 1
    return count <= limit
