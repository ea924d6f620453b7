from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from channelhub.api.pagination import PageOrCursorPagination
from channelhub.api.viewsets import AuditHistoryMixin, CrudViewSet
from channelhub.tenancy.roles import ANY_STAFF, MANAGERS, PARTNER_ROLES, Role

from .. import selectors, services
from ..filtersets import (
    PartnerContactFilterSet,
    PartnerFilterSet,
    ProductFilterSet,
    RegionFilterSet,
)
from .serializers import (
    PartnerContactSerializer,
    PartnerFacingContactSerializer,
    PartnerFacingPartnerSerializer,
    PartnerSerializer,
    PartnerTransitionSerializer,
    ProductSerializer,
    RegionSerializer,
)


def _is_partner_staff(request) -> bool:
    access = getattr(request, "access", None)
    return access is not None and access.is_partner


class PartnerViewSet(AuditHistoryMixin, CrudViewSet):
    """Channel partners. Partner staff see their own partner only."""

    serializer_class = PartnerSerializer
    filterset_class = PartnerFilterSet
    pagination_class = PageOrCursorPagination  # ?cursor= for deep pages of a large tenant
    search_fields = ["legal_name", "short_name", "english_name", "credit_code"]
    ordering_fields = ["legal_name", "created_at", "status_changed_at", "registered_capital"]
    ordering = ["legal_name"]
    read_roles = ANY_STAFF | PARTNER_ROLES
    write_roles = MANAGERS
    action_roles = {"history": MANAGERS | {Role.LEGAL}}
    partner_lookup = "pk"

    def get_base_queryset(self):
        return selectors.partner_list()

    def get_serializer_class(self):
        # Partner staff never receive the vendor's internal fields (owner, notes).
        if _is_partner_staff(self.request):
            return PartnerFacingPartnerSerializer
        return super().get_serializer_class()

    def create_object(self, data):
        return services.partner_create(tenant=self.tenant, actor=self.actor, **data)

    def update_object(self, instance, data):
        return services.partner_update(partner=instance, actor=self.actor, **data)

    def delete_object(self, instance):
        services.partner_delete(partner=instance, actor=self.actor)

    @extend_schema(request=PartnerTransitionSerializer, responses=PartnerSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Move the partner along its lifecycle; an illegal move answers 409."""
        partner = self.get_object()
        body = PartnerTransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.partner_transition(
            partner=partner, to_status=body.validated_data["to_status"], actor=request.user,
            reason=body.validated_data.get("reason", ""),
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=partner.pk)).data)


class PartnerContactViewSet(CrudViewSet):
    """People at partners. Partner admins keep their own partner's contacts up to date."""

    serializer_class = PartnerContactSerializer
    filterset_class = PartnerContactFilterSet
    pagination_class = PageOrCursorPagination
    search_fields = ["name", "email", "phone", "title"]
    ordering_fields = ["name", "partner"]
    read_roles = ANY_STAFF | PARTNER_ROLES
    write_roles = MANAGERS | {Role.PARTNER_ADMIN}
    partner_lookup = "partner"

    def get_base_queryset(self):
        return selectors.contact_list()

    def get_serializer_class(self):
        # Partner staff (partner admins edit their contacts) never read or write the internal notes.
        if _is_partner_staff(self.request):
            return PartnerFacingContactSerializer
        return super().get_serializer_class()

    def create_object(self, data):
        return services.contact_create(tenant=self.tenant, actor=self.actor, **data)

    def update_object(self, instance, data):
        if self.request.access.is_partner:
            data.pop("partner", None)  # partner staff cannot move a contact to another partner
        return services.contact_update(contact=instance, actor=self.actor, **data)

    def delete_object(self, instance):
        services.contact_delete(contact=instance, actor=self.actor)


class RegionViewSet(CrudViewSet):
    """The tenant's region tree. ``?region=<id>`` on partners includes the subtree."""

    serializer_class = RegionSerializer
    filterset_class = RegionFilterSet
    search_fields = ["code", "name", "name_en"]
    ordering_fields = ["path", "code", "name"]
    ordering = ["path"]
    read_roles = ANY_STAFF
    write_roles = MANAGERS

    def get_base_queryset(self):
        return selectors.region_list()

    def create_object(self, data):
        return services.region_create(tenant=self.tenant, actor=self.actor, **data)

    def update_object(self, instance, data):
        return services.region_update(region=instance, actor=self.actor, **data)

    def delete_object(self, instance):
        services.region_delete(region=instance, actor=self.actor)


class ProductViewSet(CrudViewSet):
    """The product catalogue; published to partners read-only."""

    serializer_class = ProductSerializer
    filterset_class = ProductFilterSet
    search_fields = ["sku", "name", "name_en", "category"]
    ordering_fields = ["sku", "name", "list_price", "category"]
    ordering = ["category", "sku"]
    read_roles = ANY_STAFF | PARTNER_ROLES
    write_roles = MANAGERS
    published_to_partners = True

    def get_base_queryset(self):
        return selectors.product_list()

    def create_object(self, data):
        return services.product_create(tenant=self.tenant, actor=self.actor, **data)

    def update_object(self, instance, data):
        return services.product_update(product=instance, actor=self.actor, **data)

    def delete_object(self, instance):
        services.product_delete(product=instance, actor=self.actor)
