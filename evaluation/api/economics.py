"""Channel cost and return and coverage gaps in the API: read-only lists of the rollups.

``economics``: per partner and month, owners, channel managers and finance (never partner staff).
``coverage-gaps``: every coverage target's cell as last computed, worst first; tenant staff.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_view
from rest_framework import serializers

from channelhub.api.schema import crud_docs
from channelhub.api.viewsets import ReadOnlyViewSet
from channelhub.tenancy.roles import ANY_STAFF

from .. import economics_selectors as selectors
from ..models import ChannelEconomics, CoverageGap
from ..permissions import ECONOMICS_VIEW


class ChannelEconomicsSerializer(serializers.ModelSerializer):
    partner_name = serializers.CharField(source="partner.__str__", read_only=True)

    class Meta:
        model = ChannelEconomics
        fields = ("id", "partner", "partner_name", "partner_type", "region", "period_key", "revenue", "margin",
                  "recruiting", "training", "promotion", "incentives", "other", "total_cost", "net_return",
                  "return_ratio", "computed_at")


class CoverageGapSerializer(serializers.ModelSerializer):
    region_name = serializers.CharField(source="region.__str__", read_only=True)

    class Meta:
        model = CoverageGap
        fields = ("id", "target", "region", "region_name", "partner_type", "product_category", "active", "wanted",
                  "gap", "market_weight", "weighted_gap", "computed_at")


@extend_schema_view(**crud_docs(
    "partner cost and return", "partner costs and returns", only=("list", "retrieve"),
    about="Per partner and month (渠道成本控制): revenue, margin, cost by category (recruiting, training, "
          "promotion support, incentives paid, other), net return and return on cost, as the monthly job "
          "computed them. Owners, channel managers and finance only.",
))
class ChannelEconomicsViewSet(ReadOnlyViewSet):
    serializer_class = ChannelEconomicsSerializer
    filterset_fields = ["period_key", "partner", "partner_type", "region"]
    ordering = ["-period_key", "partner_type", "partner_id"]
    read_roles = ECONOMICS_VIEW.roles

    def get_base_queryset(self):
        return selectors.economics_list()


@extend_schema_view(**crud_docs(
    "coverage gap", "coverage gaps", only=("list", "retrieve"),
    about="Coverage (渠道布置) per region × partner type (× product line): active partners against the "
          "target, partners missing and the gap weighted by the market estimate, worst first. Tenant staff.",
))
class CoverageGapViewSet(ReadOnlyViewSet):
    serializer_class = CoverageGapSerializer
    filterset_fields = ["region", "partner_type"]
    ordering = ["-weighted_gap", "-gap", "id"]
    read_roles = ANY_STAFF

    def get_base_queryset(self):
        return selectors.coverage_gaps()
