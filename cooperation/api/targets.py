"""Joint targets in the API: propose (either side), change (a new proposal), approve (the other side)."""

from __future__ import annotations

from django.db import transaction
from drf_spectacular.utils import extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from channelhub.api.schema import crud_docs, documented
from channelhub.api.viewsets import TenantScopedViewSet
from channelhub.partners.models import Partner
from channelhub.tenancy.roles import ANY_STAFF, PARTNER_ROLES

from .. import selectors, services
from ..models import SalesTarget, TargetSpan
from ..permissions import TARGET_PARTNER, TARGET_VENDOR

WRITERS = TARGET_VENDOR.roles | TARGET_PARTNER.roles


class TargetMonthSerializer(serializers.Serializer):
    month = serializers.DateField()
    target = serializers.DecimalField(max_digits=16, decimal_places=2)
    sales = serializers.DecimalField(max_digits=20, decimal_places=2)
    percent = serializers.IntegerField()


class SalesTargetSerializer(serializers.ModelSerializer):
    partner = serializers.PrimaryKeyRelatedField(queryset=Partner.objects.none(), required=False,
                                                 help_text="Required for tenant staff; partner staff: their own.")
    span = serializers.ChoiceField(choices=TargetSpan.choices, default=TargetSpan.YEAR)
    breakdown = serializers.DictField(child=serializers.DecimalField(max_digits=16, decimal_places=2, min_value=0),
                                      required=False, write_only=True,
                                      help_text="Optional amounts per month, {\"2027-01\": \"1000.00\", …}; they must "
                                                "add up to the amount. Empty: spread evenly.")
    achieved = serializers.SerializerMethodField()
    achievement_percent = serializers.SerializerMethodField()

    class Meta:
        model = SalesTarget
        fields = ("id", "partner", "span", "start", "key", "category", "amount", "plan", "note", "breakdown",
                  "state", "proposed_by", "revision", "vendor_approved_by", "vendor_approved_at",
                  "partner_approved_by", "partner_approved_at", "achieved", "achievement_percent")
        read_only_fields = ("key", "state", "proposed_by", "revision", "vendor_approved_by", "vendor_approved_at",
                            "partner_approved_by", "partner_approved_at")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.all()

    def get_achieved(self, obj) -> str:
        return str(selectors.target_achieved(obj)) if hasattr(obj, "achieved_all") else "0.00"

    def get_achievement_percent(self, obj) -> int:
        return selectors.achievement_percent(obj) if hasattr(obj, "achieved_all") else 0


class ApproveSerializer(serializers.Serializer):
    revision = serializers.IntegerField(required=False, min_value=1,
                                        help_text="The revision you read; a target changed since answers 400.")


@extend_schema_view(**crud_docs(
    "joint target", "joint targets", only=("list", "create", "retrieve", "update", "partial_update"),
    about="Sales targets per partner and period (联合目标), agreed by both sides: the proposer's approval is "
          "recorded, the other side's approval locks the target, and any change is a new proposal that needs both "
          "again. Achievement is read from the reported sales of the target's months. Channel managers and owners "
          "speak for the vendor, the partner's administrator for the partner; partner staff read their own.",
))
class SalesTargetViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                         mixins.UpdateModelMixin, TenantScopedViewSet):
    serializer_class = SalesTargetSerializer
    ordering = ["-start", "pk"]
    filterset_fields = ["partner", "state", "span", "key"]
    read_roles = ANY_STAFF | PARTNER_ROLES
    write_roles = WRITERS
    partner_lookup = "partner"
    action_roles = {"approve": WRITERS, "months": ANY_STAFF | PARTNER_ROLES}

    def get_base_queryset(self):
        return selectors.target_list()

    def _partner(self, data) -> Partner:
        access = self.request.access
        if access.is_partner:
            return Partner.objects.get(pk=access.partner_id)
        if data.get("partner") is None:
            raise serializers.ValidationError({"partner": ["This field is required."]})
        return data["partner"]

    def perform_create(self, serializer) -> None:
        data = dict(serializer.validated_data)
        partner = self._partner(data)
        data.pop("partner", None)
        with transaction.atomic():
            target = services.target_propose(tenant=self.tenant, actor=self.actor, partner=partner, **data)
        serializer.instance = self.get_queryset().get(pk=target.pk)

    def perform_update(self, serializer) -> None:
        data = {k: v for k, v in serializer.validated_data.items() if k != "partner"}
        with transaction.atomic():
            target = services.target_update(target=serializer.instance, actor=self.actor, **data)
        serializer.instance = self.get_queryset().get(pk=target.pk)

    @documented("Agree to a target", "The other side's approval: the target becomes agreed and locked. Name the "
                "revision you read (a changed target answers 400); the proposer's own side answers 403.",
                request=ApproveSerializer, responses=SalesTargetSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        target = self.get_object()
        body = ApproveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.target_approve(target=target, actor=request.user, **body.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=target.pk)).data)

    @documented("Months of a target", "The monthly breakdown with the reported sales and achievement per month.",
                responses=TargetMonthSerializer(many=True))
    @action(detail=True, methods=["get"])
    def months(self, request, pk=None):
        return Response(TargetMonthSerializer(selectors.target_months_with_sales(self.get_object()), many=True).data)
