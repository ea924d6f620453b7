"""Content-Security-Policy on every response (Django 5.2 has none built in).

A few lines instead of django-csp: one fixed policy, one per-path exception for the API docs,
nothing to configure per view, and no dependency to keep up with.

``CONTENT_SECURITY_POLICY`` (a dict of directive → sources) is the policy;
``CONTENT_SECURITY_POLICY_PATHS`` maps a path prefix to directives that replace the default's
for that prefix (the API docs: their renderers inject ``<style>`` elements). The header is left
out while ``DEBUG`` is on, so Django's technical error pages (inline script and style) work in
development; tests and production run with it.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings

HEADER = "Content-Security-Policy"


def render_policy(directives: Mapping[str, str]) -> str:
    return "; ".join(f"{name} {sources}".strip() for name, sources in directives.items())


def policy_for(path: str) -> str | None:
    """The header value for ``path``, or ``None`` when no policy is configured."""
    policy = getattr(settings, "CONTENT_SECURITY_POLICY", None)
    if not policy:
        return None
    directives = dict(policy)
    for prefix, overrides in getattr(settings, "CONTENT_SECURITY_POLICY_PATHS", {}).items():
        if path.startswith(prefix):
            directives.update(overrides)
            break
    return render_policy(directives)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.DEBUG or HEADER in response:
            return response
        value = policy_for(request.path)
        if value:
            response[HEADER] = value
        return response
