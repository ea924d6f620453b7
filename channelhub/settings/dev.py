"""Local development: the embedded default (SQLite, eager Celery) unless the environment says otherwise."""

from .base import *  # noqa: F403
