"""After-sales service tickets in the API: raise, change, move through the workflow, comment.

Partner staff read and work on their own partner's tickets only and never see the vendor's
internal notes; tenant staff read every ticket, managers work on them. Illegal moves answer
409, refused input 400.
"""

from __future__ import annotations

from django.db import transaction
from drf_spectacular.utils import extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from channelhub.api.schema import crud_docs, documented
from channelhub.api.viewsets import TenantScopedViewSet
from channelhub.partners.models import Partner, Product
from channelhub.tenancy.roles import ANY_STAFF, PARTNER_ROLES

from .. import selectors, services
from ..models import ServiceLevel, ServiceTicket, TicketComment, TicketPriority, TicketState
from ..permissions import SLA_MANAGE, TICKET_WORK

READERS = ANY_STAFF | PARTNER_ROLES


class ServiceTicketSerializer(serializers.ModelSerializer):
    partner = serializers.PrimaryKeyRelatedField(queryset=Partner.objects.none(), required=False,
                                                 help_text="Required for tenant staff; partner staff: their own.")
    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.none())
    priority = serializers.ChoiceField(choices=TicketPriority.choices, default=TicketPriority.NORMAL)
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = ServiceTicket
        fields = ("id", "number", "partner", "product", "customer_name", "customer_contact", "subject",
                  "description", "priority", "state", "raised_by_vendor", "opened_at", "response_due_at",
                  "resolution_due_at", "first_response_at", "resolved_at", "closed_at", "breached_at", "is_overdue",
                  "resolution", "resolution_hours", "resolved_in_time", "satisfaction")
        read_only_fields = ("number", "state", "raised_by_vendor", "opened_at", "response_due_at", "resolution_due_at",
                            "first_response_at", "resolved_at", "closed_at", "breached_at", "resolution",
                            "resolution_hours", "resolved_in_time", "satisfaction")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.all()
        self.fields["product"].queryset = Product.objects.all()


class TicketTransitionSerializer(serializers.Serializer):
    to_status = serializers.ChoiceField(choices=TicketState.choices)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300)
    resolution = serializers.CharField(required=False, allow_blank=True,
                                       help_text="Required when resolving: how the case was resolved.")
    satisfaction = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=5,
                                            help_text="The customer's satisfaction, 1–5, when resolving or closing.")


class TicketCommentSerializer(serializers.ModelSerializer):
    author = serializers.StringRelatedField()

    class Meta:
        model = TicketComment
        fields = ("id", "author", "from_vendor", "is_internal", "body", "created_at")
        read_only_fields = fields


class TicketCommentWriteSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=10_000)
    is_internal = serializers.BooleanField(required=False, default=False,
                                           help_text="A note for the vendor's staff only (tenant staff only).")


@extend_schema_view(**crud_docs(
    "service ticket", "service tickets", only=("list", "create", "retrieve", "update", "partial_update"),
    about="After-sales service tickets (售后服务): a partner's service case for one of its end customers, raised by "
          "the partner or by the vendor on its behalf. The due times come from the tenant's service level for the "
          "priority; an hourly job flags the tickets past their resolution due time (breached_at). Only the vendor "
          "changes the priority. Partner staff read and work on their own partner's tickets.",
))
class ServiceTicketViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                           mixins.UpdateModelMixin, TenantScopedViewSet):
    serializer_class = ServiceTicketSerializer
    ordering = ["-opened_at", "-pk"]
    filterset_fields = ["partner", "product", "state", "priority", "raised_by_vendor"]
    read_roles = READERS
    write_roles = TICKET_WORK.roles
    partner_lookup = "partner"
    action_roles = {"transition": TICKET_WORK.roles}

    def get_base_queryset(self):
        return selectors.ticket_list()

    def perform_create(self, serializer) -> None:
        data = dict(serializer.validated_data)
        access = self.request.access
        if access.is_partner:
            partner = Partner.objects.get(pk=access.partner_id)
        elif data.get("partner") is None:
            raise serializers.ValidationError({"partner": ["This field is required."]})
        else:
            partner = data["partner"]
        data.pop("partner", None)
        with transaction.atomic():
            ticket = services.ticket_raise(tenant=self.tenant, actor=self.actor, partner=partner, **data)
        serializer.instance = self.get_queryset().get(pk=ticket.pk)

    def perform_update(self, serializer) -> None:
        data = {k: v for k, v in serializer.validated_data.items() if k != "partner"}
        with transaction.atomic():
            ticket = services.ticket_update(ticket=serializer.instance, actor=self.actor, **data)
        serializer.instance = self.get_queryset().get(pk=ticket.pk)

    @documented("Change the state", "Move the ticket: open → in_progress → waiting_customer → resolved → closed; "
                "a resolved ticket may go back to in_progress. Resolving needs a resolution; satisfaction (1–5) "
                "is recorded when resolving or closing. An illegal move answers 409.", conflict=True,
                request=TicketTransitionSerializer, responses=ServiceTicketSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        ticket = self.get_object()
        body = TicketTransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        services.ticket_transition(ticket=ticket, actor=request.user, to_state=data["to_status"],
                                   reason=data.get("reason", ""), resolution=data.get("resolution", ""),
                                   satisfaction=data.get("satisfaction"))
        return Response(self.get_serializer(self.get_queryset().get(pk=ticket.pk)).data)

    @documented("Comments of a ticket", "GET: the comments, oldest first (partner staff never see internal notes).",
                methods=["get"], responses=TicketCommentSerializer(many=True))
    @documented("Comments of a ticket", "POST: add a comment; tenant staff may mark it internal (never shown to "
                "the partner).", methods=["post"], request=TicketCommentWriteSerializer,
                responses={201: TicketCommentSerializer})
    @action(detail=True, methods=["get", "post"])
    def comments(self, request, pk=None):
        ticket = self.get_object()
        if request.method == "POST":
            body = TicketCommentWriteSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            comment = services.ticket_comment(ticket=ticket, actor=request.user, body=body.validated_data["body"],
                                              internal=body.validated_data["is_internal"])
            return Response(TicketCommentSerializer(comment).data, status=status.HTTP_201_CREATED)
        rows = selectors.ticket_comments(ticket, include_internal=not request.access.is_partner)
        return Response(TicketCommentSerializer(rows, many=True).data)


class ServiceLevelSerializer(serializers.ModelSerializer):
    class Meta:
        model = ServiceLevel
        fields = ("id", "priority", "response_hours", "resolution_hours")


@extend_schema_view(**crud_docs(
    "service level", "service levels", only=("list", "create", "retrieve", "update", "partial_update"),
    about="The tenant's service levels (SLA): hours to respond and to resolve per ticket priority, one level per "
          "priority. A priority without a level uses the defaults (urgent 2 h / 24 h, high 4 h / 48 h, normal "
          "8 h / 72 h, low 24 h / 168 h); a new level applies to tickets raised from then on. Creating a level for "
          "a priority that has one changes that one; levels are never deleted. Staff read; managers set them.",
))
class ServiceLevelViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                          mixins.UpdateModelMixin, TenantScopedViewSet):
    serializer_class = ServiceLevelSerializer
    ordering = ["resolution_hours", "pk"]
    filterset_fields = ["priority"]
    read_roles = ANY_STAFF
    write_roles = SLA_MANAGE.roles

    def get_base_queryset(self):
        return ServiceLevel.objects.all()

    def perform_create(self, serializer) -> None:
        with transaction.atomic():
            serializer.instance = services.service_level_save(
                tenant=self.tenant, actor=self.actor, level=None, **serializer.validated_data)

    def perform_update(self, serializer) -> None:
        level = serializer.instance
        values = {"priority": level.priority, "response_hours": level.response_hours,
                  "resolution_hours": level.resolution_hours, **serializer.validated_data}
        with transaction.atomic():
            serializer.instance = services.service_level_save(tenant=self.tenant, actor=self.actor, level=level,
                                                              **values)
