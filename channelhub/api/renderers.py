"""The JSON renderer's backstop: response data that cannot be encoded is repaired, not a 500.

Input is checked when parsed (channelhub.api.parsers), but an error message may still echo
a value from elsewhere (a path, a stored row); a lone surrogate or ``inf`` in it must
never turn a clear 4xx into a crash.
"""

from __future__ import annotations

from rest_framework import renderers

from channelhub.security.text import make_renderable


class JSONRenderer(renderers.JSONRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        try:
            return super().render(data, accepted_media_type, renderer_context)
        except (UnicodeEncodeError, ValueError):
            # UnicodeEncodeError: a lone surrogate; ValueError: inf/nan under strict JSON.
            return super().render(make_renderable(data), accepted_media_type, renderer_context)


class BrowsableAPIRenderer(renderers.BrowsableAPIRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        # The page is returned as text and encoded by the response: repair the text itself.
        return make_renderable(super().render(data, accepted_media_type, renderer_context))
