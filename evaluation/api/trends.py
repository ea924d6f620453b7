"""KPI trends in the API: the ``KpiTrend`` rollup of published reviews, read-only.

``/api/v1/evaluation/kpi-trends/?kpi=<id>&dimension=partner_type|area``: per published cycle, KPI
and partner type or sales area, the partners scored on the KPI, those with a figure, the average
0–100 score and the average figure. ``label`` names the type or area in the caller's language.
Tenant staff; partner staff never (the rows sum up every partner).
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_view
from rest_framework import serializers

from channelhub.api.schema import crud_docs
from channelhub.api.viewsets import ReadOnlyViewSet
from channelhub.tenancy.roles import STAFF_ROLES

from .. import selectors
from ..models import KpiTrend
from ..permissions import RESULTS_VIEW


class KpiTrendSerializer(serializers.ModelSerializer):
    period_key = serializers.CharField(source="cycle.period_key", read_only=True)
    kpi_code = serializers.CharField(source="kpi.code", read_only=True)
    kpi_name = serializers.CharField(source="kpi.name", read_only=True)
    label = serializers.SerializerMethodField()

    class Meta:
        model = KpiTrend
        fields = ("id", "cycle", "period_key", "kpi", "kpi_code", "kpi_name", "dimension", "key", "label",
                  "partners", "reported", "average", "figure_average")

    def get_label(self, row: KpiTrend) -> str:
        """The partner type's label or the sales area's name (the areas read once per response)."""
        labels = self.context.setdefault("trend_labels", {})
        if row.dimension not in labels:
            labels[row.dimension] = selectors.trend_labels(row.dimension)
        return labels[row.dimension].get(row.key, row.key)


@extend_schema_view(**crud_docs(
    "KPI trend row", "KPI trend rows", only=("list", "retrieve"),
    about="Per published review cycle, KPI and partner type or sales area (``dimension``): partners scored "
          "on the KPI, partners with a figure, the average 0–100 score and the average figure, as written "
          "when the cycle was published. Filter with ``kpi`` and ``dimension`` (an unknown value answers "
          "400 naming the parameter). Tenant staff only.",
))
class KpiTrendViewSet(ReadOnlyViewSet):
    serializer_class = KpiTrendSerializer
    filterset_fields = ["kpi", "dimension", "cycle", "key"]
    ordering = ["-cycle__period_start", "-cycle_id", "kpi__code", "dimension", "key"]
    read_roles = RESULTS_VIEW.roles & STAFF_ROLES

    def get_base_queryset(self):
        return selectors.kpi_trend_list()
