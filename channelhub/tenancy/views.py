"""The tenant switcher and the language switch, shared by the admin and the portal."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .middleware import SESSION_KEY
from .selectors import tenants_of
from .services import user_set_language


def _next_url(request, default: str = "/") -> str:
    target = request.POST.get("next") or request.META.get("HTTP_REFERER") or default
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return default
    return target


@require_POST
@login_required
def switch_tenant(request):
    """Act in another of the user's tenants from now on (stored in the session)."""
    wanted = request.POST.get("tenant", "")
    allowed = {str(tenant.pk): tenant for tenant in tenants_of(request.user)}
    if wanted not in allowed:
        return HttpResponseBadRequest(_("Unknown tenant."))
    request.session[SESSION_KEY] = allowed[wanted].pk
    return HttpResponseRedirect(_next_url(request))


@require_POST
def set_language(request):
    """Switch the interface language; signed-in users keep it as their preference."""
    language = request.POST.get("language", "")
    if not check_for_language(language) or language not in dict(settings.LANGUAGES):
        return HttpResponseBadRequest(_("Unknown language."))
    if request.user.is_authenticated:
        user_set_language(user=request.user, language=language)
    response = HttpResponseRedirect(_next_url(request))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax", secure=settings.SESSION_COOKIE_SECURE,
    )
    return response
