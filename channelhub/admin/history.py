"""The audit-trail pages of the admin (django-simple-history's) refuse ids that are no ids.

simple-history's ``history_view`` and ``history_form_view`` filter with the id from the URL as
it came: ``/admin/partners/partner/71/change/history/`` (``<path:object_id>`` takes the slash),
``…/abc/history/`` or ``…/71/history/abc/`` raised ValueError, a 500. Django's own admin views
go through ``get_object()``, which turns such an id into "not found"; these pages now do the
same (404). Reverting is switched off (``SIMPLE_HISTORY_REVERT_DISABLED``), so the page of one
past version is read-only: a POST to it is refused (405; 404 for a row the person cannot see)
instead of reaching the save hooks.
"""

from __future__ import annotations

from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed


def _key_or_404(field, value):
    try:
        return field.to_python(unquote(value))
    except (ValidationError, ValueError, TypeError) as error:
        raise Http404 from error


class SafeHistoryMixin:
    """Put before ``SimpleHistoryAdmin`` in the bases of an admin."""

    def history_view(self, request, object_id, extra_context=None):
        _key_or_404(self.model._meta.pk, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        _key_or_404(self.model._meta.pk, object_id)
        history = getattr(self.model, self.model._meta.simple_history_manager_attribute).model
        _key_or_404(history._meta.pk, version_id)
        if request.method not in ("GET", "HEAD") and self.revert_disabled(request):
            # Another tenant's row (or one the person may not see) stays a 404, as on a GET.
            if self.get_object(request, unquote(object_id)) is None:
                raise Http404
            return HttpResponseNotAllowed(["GET", "HEAD"])
        return super().history_form_view(request, object_id, version_id, extra_context)
