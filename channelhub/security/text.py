"""Text no surface can store or render: NUL characters and lone UTF-16 surrogates.

PostgreSQL refuses NUL in ``text`` and ``jsonb`` ("A string literal cannot contain NUL"),
and a lone surrogate (``"\\ud800"``, which JSON can spell) cannot be encoded as UTF-8, so
echoing it in an error message used to crash the renderer. Both are rejected where a
request is parsed, before any field, filter or query sees them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext_lazy as _

# No form or serializer in the product nests this deep; anything deeper is an attack.
MAX_DEPTH = 32

_BAD_CHARACTER = re.compile("[\x00\ud800-\udfff]")
_SURROGATE = re.compile("[\ud800-\udfff]")

BAD_TEXT = _("Invalid text encoding: text must be valid Unicode without NUL (U+0000) characters.")
BAD_NUMBER = _("Invalid number: it is too large to represent.")
TOO_DEEP = _("The request nests data more than %(depth)d levels deep.")


def is_bad_text(value: str) -> bool:
    return _BAD_CHARACTER.search(value) is not None


def bad_values(data: Any, *, max_depth: int = MAX_DEPTH) -> Iterator[tuple[tuple[Any, ...], str]]:
    """``(path, message)`` for every unusable string or number in parsed request data.

    Iterative, so hostile nesting cannot exhaust the stack; a path never contains a bad key
    (an error keyed by the bad text would have to echo it).
    """
    stack: list[tuple[tuple[Any, ...], Any]] = [((), data)]
    while stack:
        path, value = stack.pop()
        if len(path) > max_depth:
            yield (), TOO_DEEP % {"depth": max_depth}
        elif isinstance(value, str):
            if is_bad_text(value):
                yield path, str(BAD_TEXT)
        elif isinstance(value, float):
            if not math.isfinite(value):
                yield path, str(BAD_NUMBER)
        elif isinstance(value, dict):
            for key, item in reversed(list(value.items())):
                if isinstance(key, str) and is_bad_text(key):
                    yield path, str(BAD_TEXT)
                else:
                    stack.append(((*path, key), item))
        elif isinstance(value, list | tuple):
            stack.extend(((*path, index), item) for index, item in reversed(list(enumerate(value))))


def field_errors(problems: Iterator[tuple[tuple[Any, ...], str]], *, limit: int = 20) -> dict[str, list[str]]:
    """Problems as DRF-style field errors, keyed by the top-level field they are in."""
    errors: dict[str, list[str]] = {}
    for count, (path, message) in enumerate(problems):
        if count >= limit:
            break
        key = str(path[0]) if path else "non_field_errors"
        if message not in errors.setdefault(key, []):
            errors[key].append(message)
    return errors


def make_renderable(data: Any) -> Any:
    """A copy of response data that any encoder accepts: surrogates → U+FFFD, inf/nan → None.

    The renderers' backstop: input should have been rejected already, but an error message
    that echoes a value must never turn a 400 into a 500.
    """
    if isinstance(data, str):
        return _SURROGATE.sub("\ufffd", data) if is_bad_text(data) else data
    if isinstance(data, float):
        return data if math.isfinite(data) else None
    if isinstance(data, dict):
        return {make_renderable(key): make_renderable(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [make_renderable(item) for item in data]
    return data
