"""Evaluation in the API: serializers (thin; rules live in the services)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from channelhub.api.serializers import ScopedPrimaryKeyField

from ..models import (
    IncentiveLine,
    IncentiveStatement,
    Kpi,
    KpiResult,
    PartnerScore,
    ReviewCycle,
    Scorecard,
    ScorecardLine,
    Tier,
)


class KpiSerializer(serializers.ModelSerializer):
    source = serializers.CharField(read_only=True, help_text=_("The KPI input it reads (the kind's usual one "
                                                               "when input_name is empty)."))

    class Meta:
        model = Kpi
        fields = ("id", "code", "name", "kind", "input_name", "source", "direction", "normalisation", "target",
                  "floor", "ceiling", "missing_rule", "neutral_score", "description")


class EvaluationScorecardLineSerializer(serializers.ModelSerializer):
    scorecard = ScopedPrimaryKeyField(Scorecard)
    kpi = ScopedPrimaryKeyField(Kpi)

    class Meta:
        model = ScorecardLine
        fields = ("id", "scorecard", "kpi", "weight")


class EvaluationScorecardSerializer(serializers.ModelSerializer):
    lines = serializers.SerializerMethodField()

    class Meta:
        model = Scorecard
        fields = ("id", "name", "partner_type", "version", "is_active", "created_at", "lines")
        read_only_fields = ("version", "created_at")

    def get_lines(self, obj) -> list[dict]:
        return [{"id": line.pk, "kpi": line.kpi_id, "weight": str(line.weight)} for line in obj.lines.all()]


class TierSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tier
        fields = ("id", "code", "name", "rank", "min_score", "requires_qualification", "demote_after",
                  "discount_percent", "commission_rate", "mdf_eligible", "lead_weight")


class ReviewCycleSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReviewCycle
        fields = ("id", "cadence", "period_key", "period_start", "period_end", "scorecard_version", "state",
                  "state_changed_at", "computed_at", "partner_count", "confirmed_by", "published_at")
        read_only_fields = ("state", "state_changed_at", "computed_at", "partner_count", "confirmed_by",
                            "published_at")


class ReopenReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class WhatIfSerializer(serializers.Serializer):
    weights = serializers.DictField(child=serializers.DecimalField(max_digits=8, decimal_places=2, min_value=0,
                                                                   max_value=1000),
                                    required=False, help_text=_("Scorecard line id → weight."))
    thresholds = serializers.DictField(child=serializers.DecimalField(max_digits=9, decimal_places=3, min_value=0,
                                                                      max_value=100),
                                       required=False, help_text=_("Tier id → minimum score."))

    def validate(self, data):
        for name in ("weights", "thresholds"):
            keys = data.get(name) or {}
            if any(not str(key).isdigit() or len(str(key)) > 12 for key in keys):
                raise serializers.ValidationError({name: _("Keys are ids (whole numbers).")})
            data[name] = {int(key): Decimal(value) for key, value in keys.items()}
        return data


class WhatIfRowSerializer(serializers.Serializer):
    partner_id = serializers.IntegerField()
    partner_name = serializers.CharField()
    saved_total = serializers.DecimalField(max_digits=9, decimal_places=3, allow_null=True)
    preview_total = serializers.DecimalField(max_digits=9, decimal_places=3)
    current_tier = serializers.CharField()
    saved_proposed_tier = serializers.CharField()
    proposed_tier = serializers.CharField()


class KpiResultSerializer(serializers.ModelSerializer):
    kpi_code = serializers.CharField(source="kpi.code", read_only=True)
    kpi_name = serializers.CharField(source="kpi.name", read_only=True)

    class Meta:
        model = KpiResult
        fields = ("kpi", "kpi_code", "kpi_name", "raw", "missing", "normalised", "weight", "effective_weight",
                  "contribution")


class PartnerScoreSerializer(serializers.ModelSerializer):
    period_key = serializers.CharField(source="cycle.period_key", read_only=True)
    final_score = serializers.DecimalField(max_digits=9, decimal_places=3, read_only=True)

    class Meta:
        model = PartnerScore
        fields = ("id", "cycle", "period_key", "partner", "partner_type", "scorecard", "total", "adjusted_score",
                  "adjustment_reason", "final_score", "rank", "peer_count", "previous_total", "change", "qualified",
                  "current_tier", "proposed_tier", "below_streak")
        read_only_fields = fields


class PartnerScoreDetailSerializer(PartnerScoreSerializer):
    breakdown = serializers.SerializerMethodField()

    class Meta(PartnerScoreSerializer.Meta):
        fields = (*PartnerScoreSerializer.Meta.fields, "breakdown")
        read_only_fields = fields

    def get_breakdown(self, obj) -> list[dict]:
        from .. import selectors

        return KpiResultSerializer(selectors.score_breakdown(score=obj), many=True).data


class ScoreAdjustSerializer(serializers.Serializer):
    adjusted_score = serializers.DecimalField(max_digits=9, decimal_places=3, min_value=0, max_value=100,
                                              allow_null=True)
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class IncentiveLineSerializer(serializers.ModelSerializer):
    rule_name = serializers.CharField(source="rule.name", read_only=True)

    class Meta:
        model = IncentiveLine
        fields = ("id", "rule", "rule_name", "kind", "base", "rate", "amount", "explanation")


class IncentiveStatementSerializer(serializers.ModelSerializer):
    period_key = serializers.CharField(source="cycle.period_key", read_only=True)
    lines = IncentiveLineSerializer(many=True, read_only=True)

    class Meta:
        model = IncentiveStatement
        fields = ("id", "cycle", "period_key", "partner", "state", "state_changed_at", "total", "currency",
                  "approved_by", "paid_reference", "lines")
        read_only_fields = fields


class StatementPaidSerializer(serializers.Serializer):
    reference = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")
