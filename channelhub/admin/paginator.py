"""A changelist paginator that does not count a large tenant's rows on every page view.

On PostgreSQL the planner's row estimate (``EXPLAIN``, no rows read) stands in for
``COUNT(*)`` when it is above ``EXACT_UP_TO``; smaller results are counted exactly. The
changelist then says "about N"; the last pages of a huge list may be short or empty, which
is the price of not reading 100,000 rows to draw a page of 100.
"""

from __future__ import annotations

import json

from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property

EXACT_UP_TO = 10_000


def estimated_count(queryset) -> int | None:
    """The planner's estimate of the rows ``queryset`` returns, or None off PostgreSQL."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    sql, params = queryset.order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


class EstimatedCountPaginator(Paginator):
    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if hasattr(queryset, "query"):
            estimate = estimated_count(queryset)
            if estimate is not None and estimate > EXACT_UP_TO:
                return estimate
        return super().count
