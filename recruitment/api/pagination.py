"""Paging the applications list: page numbers, or a keyset cursor for deep pages of a large tenant."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

from channelhub.api.pagination import PageOrCursorPagination

# A cursor remembers the last row's value of the first ordering field and continues after it,
# so that field must never be empty: ``submitted_at`` and ``decided_at`` are empty on drafts and
# open applications (a cursor would point at "None"). These are filled on every row and each
# has an index that begins with the tenant.
KEYSET_ORDERINGS = ("created_at", "state_changed_at", "legal_name")


class ApplicationPagination(PageOrCursorPagination):
    """``?page=`` as every list; ``?cursor=`` (even empty) for deep pages, newest first by default."""

    def paginate_queryset(self, queryset, request, view=None):
        if self._cursor(request) and view is not None:
            ordering = self._ordering(request, queryset, view)
            if ordering and ordering[0].lstrip("-") not in KEYSET_ORDERINGS:
                raise ValidationError({"ordering": [
                    _("With a cursor, order by one of: %(fields)s.") % {"fields": ", ".join(KEYSET_ORDERINGS)}
                ]})
        return super().paginate_queryset(queryset, request, view)

    @staticmethod
    def _ordering(request, queryset, view) -> list[str]:
        for backend in getattr(view, "filter_backends", []):
            if hasattr(backend, "get_ordering"):
                return list(backend().get_ordering(request, queryset, view) or [])
        return list(getattr(view, "ordering", None) or [])
