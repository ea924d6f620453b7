"""Page numbers for small collections; a cursor for large ones.

Every list answers ``?page=N`` (with ``count``, ``next``, ``previous``). A deep page costs an
``OFFSET`` that reads and throws away every row before it, so large collections also answer
``?cursor=`` (start with an empty cursor, then follow ``next``): keyset pagination over the
list's ordering (``?ordering=`` included), reading from an index that begins with the tenant
whatever the depth, and no ``count``.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from rest_framework import pagination

from . import counts

# Past this many rows a page is read in two steps (see DeferredJoinPaginator): per-row work in
# a list's SELECT (the partners' contact count) then runs for at most this many rows and a page.
DEFERRED_FROM = 200


class DeferredJoinPaginator(Paginator):
    """Deep pages pick the ids first, then read only the rows shown (a "deferred join").

    ``OFFSET 75000`` over the full rows (joins, annotations) builds and throws away 75,000
    rows; over the primary key alone it walks an index that begins with the tenant and the
    ordering (index-only), and the page's rows are then read by id.
    """

    @cached_property
    def count(self) -> int:
        if isinstance(self.object_list, QuerySet):
            return counts.count(self.object_list)  # large lists: kept until their rows change
        return super().count

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if bottom < DEFERRED_FROM or not isinstance(self.object_list, QuerySet):
            return super().page(number)
        top = min(bottom + self.per_page, self.count)
        # One statement: WHERE pk IN (the page's ids, read in order from the index), same order.
        ids = self.object_list.values("pk")[bottom:top]
        return self._get_page(list(self.object_list.filter(pk__in=ids)), number, self)


class PageNumberPagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500
    django_paginator_class = DeferredJoinPaginator


class CursorPagination(pagination.CursorPagination):
    page_size_query_param = "page_size"
    max_page_size = 500
    # The view's ``ordering`` (or ``?ordering=``) decides; this is only the fallback.
    ordering = "-pk"


class PageOrCursorPagination(PageNumberPagination):
    """``?page=`` as usual; ``?cursor=`` (even empty) switches to keyset pagination."""

    cursor_query_param = "cursor"

    def _cursor(self, request) -> bool:
        return request is not None and self.cursor_query_param in request.query_params

    def paginate_queryset(self, queryset, request, view=None):
        self._by_cursor = self._cursor(request)
        if self._by_cursor:
            # The order is the view's (its OrderingFilter: ``?ordering=`` or the default).
            self._keyset = CursorPagination()
            return self._keyset.paginate_queryset(queryset, request, view)
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        if getattr(self, "_by_cursor", False):
            return self._keyset.get_paginated_response(data)
        return super().get_paginated_response(data)

    def get_schema_operation_parameters(self, view):
        return [
            *super().get_schema_operation_parameters(view),
            {
                "name": self.cursor_query_param, "required": False, "in": "query",
                "description": str(_(
                    "Keyset pagination for deep lists: pass an empty cursor for the first page, then "
                    "follow 'next'. The answer has no 'count'. Takes precedence over 'page'."
                )),
                "schema": {"type": "string"},
            },
        ]
