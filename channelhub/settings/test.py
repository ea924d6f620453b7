"""Test settings: fast hashing, in-memory email, eager Celery unless a test asks for a worker."""

import os
from pathlib import Path

from .base import *  # noqa: F403
from .base import DATABASES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
DEBUG = False
# Each test process has its own cache (cleared before every test by tests/conftest.py), so
# counters such as rate limits never leak between tests, xdist workers or CI runs on a
# shared Redis. Celery still uses the real broker when a test asks for a worker.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Work-queue counts are counted on every page, so a test's query counts do not depend on which
# page ran first (tests/admin/test_queues.py switches the cache on to test it).
WORK_QUEUE_CACHE_SECONDS = 0
MEDIA_ROOT = Path(os.environ.get("TEST_MEDIA_ROOT", "/tmp/channelhub-test-media"))
PRIVATE_MEDIA_ROOT = MEDIA_ROOT / "private"
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["TEST"] = {"NAME": None}
DATABASES["default"]["CONN_MAX_AGE"] = 0
