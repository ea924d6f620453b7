"""Request parsers that refuse unusable input where it is parsed, with the field it was in.

A lone surrogate or NUL in any string, a number too large to represent (``1e400``) and
absurd nesting are rejected here for every endpoint, so no serializer field, filter or
error message has to cope with them. ``rest_framework``'s own parsers do the parsing.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError, ValidationError

from channelhub.security.text import bad_values, field_errors


def _check(data) -> None:
    errors = field_errors(bad_values(data))
    if errors:
        raise ValidationError(errors)


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            # The decoder recurses once per nesting level: 10,000 "[" exhaust the stack.
            raise ParseError(_("JSON parse error: the document is nested too deeply.")) from None
        _check(data)
        return data


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        _check(dict(data.lists()))
        return data


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        result = super().parse(stream, media_type, parser_context)
        _check(dict(result.data.lists()))
        return result
