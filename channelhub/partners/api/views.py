from __future__ import annotations

from drf_spectacular.utils import extend_schema_view
from rest_framework.decorators import action
from rest_framework.response import Response

from channelhub.api.pagination import PageOrCursorPagination
from channelhub.api.schema import crud_docs, documented
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


@extend_schema_view(
    **crud_docs(
        "partner", "partners",
        about="Managers write; partner staff read their own partner only, without the vendor's internal "
              "fields (owner, notes).",
        list=("List partners", "The tenant's channel partners. Filter by status, type, region (with its "
                               "subtree), owner…; `q` searches the Chinese name (also a fragment), pinyin or "
                               "English name and the credit code; `?cursor=` pages deep lists by keyset. "
                               "Partner staff see their own partner only."),
        create=("Create a partner", "Register a partner (status prospect). The credit code is checked and "
                                    "normalised; the change is audited. Channel managers and owners."),
        destroy=("Delete a partner", "Delete a partner that nothing refers to yet (otherwise 400: set it "
                                     "terminated instead). Channel managers and owners."),
    ),
    history=documented("Partner's audit trail",
                       "The partner's changes, newest first: who, when, which fields from what to what, and "
                       "why (status moves included). Managers and legal."),
)
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

    @documented(
        "Change a partner's status",
        "Move the partner along its lifecycle (prospect, onboarding, active, suspended, terminated) "
        "with a reason; the move and who made it are logged. A move the lifecycle does not allow answers "
        "409. Channel managers and owners.",
        conflict=True, request=PartnerTransitionSerializer, responses=PartnerSerializer,
    )
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


@extend_schema_view(**crud_docs(
    "contact", "contacts",
    about="Managers write any; partner admins keep their own partner's contacts (without the internal notes).",
    list=("List contacts", "People at the tenant's partners. Filter by partner or primary contact; `q` "
                           "finds names, titles, e-mails and phones; `?cursor=` pages deep lists by keyset. "
                           "Partner staff see their own partner's contacts only."),
))
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


@extend_schema_view(**crud_docs(
    "region", "regions",
    about="Tenant staff read; managers write. Moving a region moves its subtree.",
    list=("List regions", "The tenant's region tree (sales areas → provinces → cities → districts), in tree "
                          "order. `?region=<id>` on partners includes a region's subtree."),
))
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


@extend_schema_view(**crud_docs(
    "product", "products",
    about="Managers write; published to partner staff read-only.",
    list=("List products", "The tenant's product catalogue (SKU, name, category, list price), by category "
                           "and SKU; partner staff read it too."),
))
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
