"""Plans, targets and campaigns in the API."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from channelhub.partners.models import Partner, Region

from ... import selectors
from ...models import (
    Campaign,
    CampaignStatus,
    PlanStatus,
    RecruitmentPlan,
    RecruitmentTarget,
)
from ._common import ReasonMixin


class RecruitmentTargetSerializer(serializers.ModelSerializer):
    plan = serializers.PrimaryKeyRelatedField(queryset=RecruitmentPlan.objects.all())
    region = serializers.PrimaryKeyRelatedField(queryset=Region.objects.all())
    region_name = serializers.CharField(source="region.display_name", read_only=True)
    application_count = serializers.IntegerField(read_only=True)
    approved_count = serializers.IntegerField(read_only=True)
    onboarded_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = RecruitmentTarget
        fields = ["id", "plan", "region", "region_name", "partner_type", "target_count", "application_count",
                  "approved_count", "onboarded_count"]


class TargetRowSerializer(serializers.Serializer):
    region = serializers.PrimaryKeyRelatedField(queryset=Region.objects.all())
    partner_type = serializers.CharField()
    target_count = serializers.IntegerField(min_value=1)


class RecruitmentPlanSerializer(serializers.ModelSerializer):
    owner = serializers.PrimaryKeyRelatedField(queryset=selectors.staff_users(), allow_null=True, required=False)
    owner_name = serializers.CharField(source="owner", read_only=True, allow_null=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    targets = TargetRowSerializer(many=True, write_only=True, required=False)
    application_count = serializers.IntegerField(read_only=True)
    approved_count = serializers.IntegerField(read_only=True)
    onboarded_count = serializers.IntegerField(read_only=True)
    active_count = serializers.IntegerField(
        read_only=True, help_text=_("Approved applications whose partner is active now (as in the reports)."))
    cost_so_far = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)
    target_total = serializers.IntegerField(read_only=True)
    campaign_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = RecruitmentPlan
        fields = ["id", "name", "description", "start_date", "end_date", "owner", "owner_name", "budget", "status",
                  "status_display", "status_changed_at", "targets", "application_count", "approved_count",
                  "onboarded_count", "active_count", "cost_so_far", "target_total", "campaign_count", "created_at"]
        read_only_fields = ["status", "status_changed_at", "created_at"]


class PlanProgressSerializer(serializers.Serializer):
    plan = RecruitmentPlanSerializer()
    targets = RecruitmentTargetSerializer(many=True)
    completion = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True,
                                          help_text=_("Onboarded partners against the sum of targets, in %."))
    budget_used = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True,
                                           help_text=_("Cost so far against the budget, in %."))


class PlanTransitionSerializer(ReasonMixin):
    to_status = serializers.ChoiceField(choices=PlanStatus.choices, label=_("to status"))


# --------------------------------------------------------------------------- campaigns


class CampaignSerializer(serializers.ModelSerializer):
    plan = serializers.PrimaryKeyRelatedField(queryset=RecruitmentPlan.objects.all())
    referrer = serializers.PrimaryKeyRelatedField(queryset=Partner.objects.all(), allow_null=True, required=False)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    application_count = serializers.IntegerField(read_only=True)
    qualified_count = serializers.IntegerField(read_only=True)
    approved_count = serializers.IntegerField(read_only=True)
    onboarded_count = serializers.IntegerField(read_only=True)
    active_count = serializers.IntegerField(read_only=True)
    cost_per_recruited = serializers.SerializerMethodField()

    class Meta:
        model = Campaign
        fields = ["id", "plan", "name", "code", "source", "referrer", "start_date", "end_date", "cost", "status",
                  "status_display", "status_changed_at", "notes", "application_count", "qualified_count",
                  "approved_count", "onboarded_count", "active_count", "cost_per_recruited", "created_at"]
        read_only_fields = ["status", "status_changed_at", "created_at"]
        # The unique code is checked by the model (with the tenant), not by DRF's global validator.
        validators: list = []

    def get_cost_per_recruited(self, campaign) -> str | None:
        value = selectors.cost_per_recruited(campaign)
        return None if value is None else str(value)


class CampaignTransitionSerializer(ReasonMixin):
    to_status = serializers.ChoiceField(choices=CampaignStatus.choices, label=_("to status"))
