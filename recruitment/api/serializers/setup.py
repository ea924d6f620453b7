"""The recruitment configuration in the API: criteria, scorecard templates, approval steps, checklist templates."""

from __future__ import annotations

from rest_framework import serializers

from ...models import (
    ApprovalStep,
    Criterion,
    OnboardingTaskTemplate,
    ScorecardTemplate,
    TemplateCriterion,
)


class CriterionSerializer(serializers.ModelSerializer):
    category_display = serializers.CharField(source="get_category_display", read_only=True)

    class Meta:
        model = Criterion
        fields = ["id", "category", "category_display", "name", "guidance", "weight", "scale_max",
                  "knockout_threshold", "order", "is_active"]
        validators: list = []


class TemplateItemSerializer(serializers.ModelSerializer):
    criterion = serializers.PrimaryKeyRelatedField(queryset=Criterion.objects.all())
    criterion_name = serializers.CharField(source="criterion.name", read_only=True)
    effective_weight = serializers.DecimalField(max_digits=6, decimal_places=2, read_only=True)

    class Meta:
        model = TemplateCriterion
        fields = ["criterion", "criterion_name", "weight", "effective_weight", "order"]
        validators: list = []


class ScorecardTemplateSerializer(serializers.ModelSerializer):
    items = TemplateItemSerializer(many=True, required=False)

    class Meta:
        model = ScorecardTemplate
        fields = ["id", "name", "partner_type", "is_active", "items"]
        validators: list = []


class ApprovalStepSerializer(serializers.ModelSerializer):
    role_display = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = ApprovalStep
        fields = ["id", "order", "name", "role", "role_display", "is_active"]
        validators: list = []


class OnboardingTaskTemplateSerializer(serializers.ModelSerializer):
    class Meta:
        model = OnboardingTaskTemplate
        fields = ["id", "key", "name", "description", "partner_type", "required", "order", "is_active"]
        validators: list = []
