"""Onboarding checklists and the recruitment reports in the API."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ...models import (
    OnboardingTask,
)


class OnboardingTaskSerializer(serializers.ModelSerializer):
    partner_name = serializers.CharField(source="partner", read_only=True)
    done_by_name = serializers.CharField(source="done_by", read_only=True, allow_null=True)
    is_done = serializers.BooleanField(read_only=True)

    class Meta:
        model = OnboardingTask
        fields = ["id", "partner", "partner_name", "application", "key", "name", "description", "required",
                  "order", "is_done", "done_at", "done_by", "done_by_name", "done_source", "note"]
        read_only_fields = fields


class OnboardingCompleteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class PartnerActivateSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, label=_("reason"))


class ReportColumnSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()


class ReportSerializer(serializers.Serializer):
    """A report table: its columns and rows (each row keyed by the column keys) and a total row."""

    report = serializers.CharField()
    by = serializers.CharField()
    title = serializers.CharField()
    columns = ReportColumnSerializer(many=True)
    rows = serializers.ListField(child=serializers.DictField())
    total = serializers.DictField(allow_null=True)
    notes = serializers.ListField(child=serializers.CharField())
    computed_at = serializers.DateTimeField(allow_null=True, help_text=_(
        "When the figures were computed: by the hourly job, or on the first view of a new tenant."))
