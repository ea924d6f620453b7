"""The cooperation demo (filled in by ``builder``)."""

from .builder import seed  # noqa: F401
