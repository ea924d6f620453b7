"""Lead distribution in the API: leads (the tenant's staff), offers (the partner's answer), routing weights."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from channelhub.api.schema import crud_docs, documented
from channelhub.api.viewsets import TenantScopedViewSet
from channelhub.partners.models import Partner, PartnerType, Product, Region
from channelhub.tenancy.roles import ANY_STAFF, PARTNER_ROLES

from .. import selectors, services
from ..models import Lead, LeadOffer, LeadRouting, LeadSource, LeadState, OfferState
from ..permissions import LEAD_MANAGE, LEAD_RESPOND


class LeadSerializer(serializers.ModelSerializer):
    region = serializers.PrimaryKeyRelatedField(queryset=Region.objects.none())
    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.none(), required=False, allow_null=True)
    partner_type = serializers.ChoiceField(choices=PartnerType.choices, required=False, allow_blank=True)
    source = serializers.ChoiceField(choices=LeadSource.choices, default=LeadSource.WEBSITE)
    routing = serializers.ChoiceField(choices=LeadRouting.choices, default=LeadRouting.AUTOMATIC)
    value = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=0, required=False)
    offer_to = serializers.PrimaryKeyRelatedField(
        queryset=Partner.objects.none(), required=False, allow_null=True, write_only=True,
        help_text="Forward the lead to this partner now (else an automatic lead is routed at once).")

    class Meta:
        model = Lead
        fields = ("id", "company", "contact_name", "contact_phone", "contact_email", "region", "partner_type",
                  "product", "interest", "value", "source", "description", "routing", "response_hours", "offer_to",
                  "state", "state_changed_at", "partner", "outcome_note", "closed_at", "created_at")
        read_only_fields = ("state", "state_changed_at", "partner", "outcome_note", "closed_at", "created_at")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.all()
        self.fields["product"].queryset = Product.objects.all()
        self.fields["offer_to"].queryset = Partner.objects.all()


class OfferHistorySerializer(serializers.ModelSerializer):
    partner_name = serializers.CharField(source="partner.legal_name", read_only=True)

    class Meta:
        model = LeadOffer
        fields = ("id", "partner", "partner_name", "state", "automatic", "offered_by", "offered_at", "deadline",
                  "responded_at", "responded_by", "decline_reason")


class ForwardSerializer(serializers.Serializer):
    partner = serializers.PrimaryKeyRelatedField(queryset=Partner.objects.none())
    deadline = serializers.DateTimeField(required=False, help_text="Default: the lead's hours to answer from now.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.all()


class OutcomeSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=[(LeadState.CONVERTED, LeadState.CONVERTED.label),
                                               (LeadState.LOST, LeadState.LOST.label)])
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class DeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


@extend_schema_view(**crud_docs(
    "lead", "leads", only=("list", "create", "retrieve", "update", "partial_update"),
    about="Sales leads (线索分配) the tenant forwards to partners: by hand (offer) or automatically by region, "
          "partner type and routing weight; the partner accepts or declines before the deadline, after which the "
          "hourly job offers the lead to the next partner. Tenant staff read; channel managers write.",
))
class LeadViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                  mixins.UpdateModelMixin, TenantScopedViewSet):
    serializer_class = LeadSerializer
    ordering = ["-created_at", "-pk"]
    filterset_fields = ["state", "routing", "region", "partner", "source"]
    search_fields = ["company", "contact_name", "interest"]
    read_roles = ANY_STAFF
    write_roles = LEAD_MANAGE.roles
    action_roles = {"offer": LEAD_MANAGE.roles, "route": LEAD_MANAGE.roles, "close": LEAD_MANAGE.roles,
                    "offers": ANY_STAFF}

    def get_base_queryset(self):
        return selectors.lead_list()

    def perform_create(self, serializer) -> None:
        with transaction.atomic():
            lead = services.lead_create(tenant=self.tenant, actor=self.actor, **serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=lead.pk)

    def perform_update(self, serializer) -> None:
        with transaction.atomic():
            lead = services.lead_update(lead=serializer.instance, actor=self.actor, **serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=lead.pk)

    def _answer(self, lead):
        return Response(self.get_serializer(self.get_queryset().get(pk=lead.pk)).data)

    @documented("Forward a lead", "Offer the lead to a partner by hand (an open offer to another partner is "
                "withdrawn). A partner is offered a lead once; inactive partners answer 400.",
                request=ForwardSerializer, responses=LeadSerializer)
    @action(detail=True, methods=["post"])
    def offer(self, request, pk=None):
        lead = self.get_object()
        body = ForwardSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.lead_offer(lead=lead, actor=request.user, **body.validated_data)
        return self._answer(lead)

    @documented("Route a lead", "Offer a lead without a partner to the next eligible partner (region, partner "
                "type, fewest open offers, routing weight). Nobody eligible: the lead is unchanged.",
                request=None, responses=LeadSerializer)
    @action(detail=True, methods=["post"])
    def route(self, request, pk=None):
        lead = self.get_object()
        services.lead_route(lead=lead, actor=request.user)
        return self._answer(lead)

    @documented("Record a lead's outcome", "Converted (only after a partner accepted it) or lost.",
                conflict=True, request=OutcomeSerializer, responses=LeadSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        lead = self.get_object()
        body = OutcomeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.lead_close(lead=lead, actor=request.user, **body.validated_data)
        return self._answer(lead)

    @documented("Who was offered a lead", "Every offer of the lead, newest first, with its deadline and answer.",
                responses=OfferHistorySerializer(many=True))
    @action(detail=True, methods=["get"])
    def offers(self, request, pk=None):
        return Response(OfferHistorySerializer(selectors.lead_offers(self.get_object()), many=True).data)


class OfferedLeadSerializer(serializers.ModelSerializer):
    """The lead as its partner sees it: the contact only once the partner accepted it; no other partner."""

    region_name = serializers.CharField(source="region.display_name", read_only=True)
    product_name = serializers.SerializerMethodField()

    class Meta:
        model = Lead
        fields = ("id", "company", "contact_name", "contact_phone", "contact_email", "region", "region_name",
                  "partner_type", "product", "product_name", "interest", "value", "source", "description", "state")

    def get_product_name(self, obj) -> str:
        return obj.product.name if obj.product_id else ""


class LeadOfferSerializer(serializers.ModelSerializer):
    lead = serializers.SerializerMethodField()

    class Meta:
        model = LeadOffer
        fields = ("id", "lead", "partner", "state", "automatic", "offered_at", "deadline", "responded_at",
                  "decline_reason")

    def get_lead(self, obj) -> dict:
        data = OfferedLeadSerializer(obj.lead).data
        if obj.state != OfferState.ACCEPTED:
            for name in ("contact_name", "contact_phone", "contact_email"):
                data[name] = ""
        if obj.state != OfferState.ACCEPTED or obj.lead.partner_id != obj.partner_id:
            data["state"] = ""  # the lead's later life is the accepting partner's, not every offeree's
        return data


@extend_schema_view(**crud_docs(
    "lead offer", "lead offers", only=("list", "retrieve"),
    about="The leads offered to partners (one row per partner offered). Partner staff see their own partner's "
          "offers only, never who else was offered, and the contact once they accept; tenant staff see all.",
))
class LeadOfferViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantScopedViewSet):
    serializer_class = LeadOfferSerializer
    ordering = ["-offered_at", "-pk"]
    filterset_fields = ["state", "partner", "lead"]
    read_roles = ANY_STAFF | PARTNER_ROLES
    partner_lookup = "partner"
    action_roles = {"accept": LEAD_RESPOND.roles, "decline": LEAD_RESPOND.roles, "outcome": LEAD_RESPOND.roles}

    def get_base_queryset(self):
        return selectors.offer_list()

    def _answer(self, offer):
        return Response(self.get_serializer(self.get_queryset().get(pk=offer.pk)).data)

    @documented("Accept a lead", "Take the lead before the deadline; its contact is then shown.",
                request=None, responses=LeadOfferSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        offer = self.get_object()
        services.offer_accept(offer=offer, actor=request.user)
        return self._answer(offer)

    @documented("Decline a lead", "Pass on the lead (optionally say why); it goes to the next partner.",
                request=DeclineSerializer, responses=LeadOfferSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        offer = self.get_object()
        body = DeclineSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.offer_decline(offer=offer, actor=request.user, **body.validated_data)
        return self._answer(offer)

    @documented("Report a lead's outcome", "For a lead your partner accepted: converted (won) or lost.",
                conflict=True, request=OutcomeSerializer, responses=LeadOfferSerializer)
    @action(detail=True, methods=["post"])
    def outcome(self, request, pk=None):
        offer = self.get_object()
        body = OutcomeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        if offer.state != OfferState.ACCEPTED:
            raise serializers.ValidationError({"outcome": [gettext("Only a lead your partner accepted has an "
                                                                   "outcome.")]})
        services.lead_close(lead=offer.lead, actor=request.user, **body.validated_data)
        return self._answer(offer)
