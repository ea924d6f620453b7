"""Sign-in lockout after repeated failures (django-axes) and the owners' way to lift it.

Axes counts failed sign-ins on the three login surfaces (admin, portal, API token exchange,
all through ``django.contrib.auth.authenticate(request=…)``) per account and per client
address (settings: ``AXES_*``). Here: what a locked-out person sees, who may unlock whom,
and whether an account is locked now.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from .permissions import LOCKOUT_CLEAR
from .policy import may

if TYPE_CHECKING:
    from .models import User

log = logging.getLogger("channelhub.security")

# User.username's length: no account has a longer name. Axes stores the name of each failed
# sign-in in a 255-character column; a longer one was a database error (a 500) on PostgreSQL.
USERNAME_LIMIT = 150


def username_of(request, credentials) -> str | None:
    """The name axes counts a sign-in attempt under (``AXES_USERNAME_CALLABLE``), cut to an account's length."""
    name = (credentials or getattr(request, "data", request.POST)).get("username")
    return None if name is None else str(name)[:USERNAME_LIMIT]


class LockoutBackend(AxesStandaloneBackend):
    """Axes' check, first in ``AUTHENTICATION_BACKENDS``: refuses a locked-out sign-in.

    Axes raises when ``authenticate()`` gets no request. Every web surface passes one (and
    tests/security prove that each of them locks); the calls without one are the test
    client's ``login()`` and the shell, which have no client address to count. Those pass on
    to the password check instead of crashing.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def cool_off_seconds() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds())


def cool_off_minutes() -> int:
    return cool_off_seconds() // 60


def lockout_message() -> str:
    return _(
        "Too many failed sign-in attempts. For your security, signing in is blocked for %(minutes)d "
        "minutes. Try again later, or ask your company's administrator to unlock your account."
    ) % {"minutes": cool_off_minutes()}


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    """Axes' answer to a locked-out sign-in (``AXES_LOCKOUT_CALLABLE``): a page, or JSON for the API."""
    status = settings.AXES_HTTP_RESPONSE_CODE
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": lockout_message(), "code": "locked_out"}, status=status)
        response["Retry-After"] = str(cool_off_seconds())
        return response
    template = "admin/lockout.html" if request.path.startswith("/admin/") else "portal/lockout.html"
    context = {"message": lockout_message(), "minutes": cool_off_minutes(), "title": _("Sign-in blocked")}
    response = render(request, template, context, status=status)
    response["Retry-After"] = str(cool_off_seconds())
    return response


def is_locked_out(user: User) -> bool:
    """Whether the failures counted against ``user``'s name block their sign-in now."""
    from axes.models import AccessAttempt
    from django.db.models import Sum
    from django.utils import timezone

    since = timezone.now() - settings.AXES_COOLOFF_TIME
    failures = AccessAttempt.objects.filter(username=user.get_username(), attempt_time__gte=since).aggregate(
        total=Sum("failures_since_start")
    )["total"] or 0
    return failures >= settings.AXES_FAILURE_LIMIT


def lockout_clear(*, actor: User | None, user: User) -> int:
    """Let ``user`` sign in again now: forget the failed attempts counted against their account.

    Rule: an owner may unlock the people of a tenant they own (a membership there, active or
    not); a platform superuser may unlock anyone; ``None`` is the system. Failures counted
    against a client address are not lifted here: they expire after the cool-off (a platform
    operator can clear one with ``manage.py axes_reset_ip``). Returns the records removed.
    """
    from axes.handlers.proxy import AxesProxyHandler

    from .models import Membership

    if actor is not None:
        tenant_ids = set(Membership.all_tenants.filter(user=user).values_list("tenant_id", flat=True))
        allowed = (actor.is_superuser and actor.is_active) or any(
            may(actor, LOCKOUT_CLEAR.code, tenant=tenant_id) for tenant_id in tenant_ids
        )
        if not allowed:
            raise PermissionDenied(_("You may unlock only the accounts of people in a tenant you own."))
    removed = AxesProxyHandler.reset_attempts(username=user.get_username())
    log.info("Sign-in lockout of user %s cleared by %s (%d records)", user.pk, getattr(actor, "pk", None), removed)
    return removed
