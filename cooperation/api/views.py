"""Cooperation API (``/api/v1/cooperation/``): thin viewsets over the selectors and services.

Deny by default: each viewset names who reads and writes; partner staff read their own
partner's agreements and threads and the publications addressed to their partner. Illegal
workflow moves answer 409 (``IllegalTransition``), refused input 400.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from channelhub.api.schema import crud_docs, documented
from channelhub.api.viewsets import CrudViewSet, TenantScopedViewSet
from channelhub.partners.models import Partner
from channelhub.ratelimit import client_address
from channelhub.tenancy.policy import request_may
from channelhub.tenancy.roles import ANY_STAFF, PARTNER_ROLES
from channelhub.writes import ServiceTrio

from .. import selectors, services
from ..models import AgreementState, AgreementVersion, LegalReview, TemplateClause
from ..permissions import (
    AGREEMENT_COUNTERSIGN,
    AGREEMENT_MANAGE,
    AGREEMENT_REVIEW,
    AGREEMENT_SIGN,
    AGREEMENT_TERMINATE,
    ANNOUNCEMENT_MANAGE,
    ANNOUNCEMENT_READ,
    EVENT_MANAGE,
    EVENT_RSVP,
    LIBRARY_MANAGE,
    TEMPLATE_MANAGE,
    THREAD_WRITE,
)
from .serializers import (
    AcknowledgeSerializer,
    AgreementSerializer,
    AgreementTemplateSerializer,
    AgreementUpdateSerializer,
    AgreementVersionSerializer,
    AnnouncementSerializer,
    EventSerializer,
    LibraryFileSerializer,
    LibraryItemSerializer,
    LibraryUploadSerializer,
    MessageSerializer,
    MessageWriteSerializer,
    ReviewSerializer,
    RsvpSerializer,
    SignSerializer,
    TemplateClauseSerializer,
    TerminateSerializer,
    TextSerializer,
    ThreadSerializer,
)

PARTNER_VISIBLE = [s for s in AgreementState.values if s not in (AgreementState.DRAFT, AgreementState.LEGAL_REVIEW)]


class RereadMixin:
    def perform_create(self, serializer) -> None:
        super().perform_create(serializer)
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)

    def perform_update(self, serializer) -> None:
        super().perform_update(serializer)
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)


def _partner_of(request) -> Partner | None:
    access = getattr(request, "access", None)
    if access is None or not access.is_partner:
        return None
    return Partner.objects.select_related("region").get(pk=access.partner_id)


# --------------------------------------------------------------------------- templates


@extend_schema_view(**crud_docs(
    "agreement template", "agreement templates",
    about="Templates (合作协议模板) are versioned: only drafts change; publish checks the required clauses and "
          "placeholders. Tenant staff read; channel managers, owners and legal write.",
))
class AgreementTemplateViewSet(RereadMixin, CrudViewSet):
    serializer_class = AgreementTemplateSerializer
    search_fields = ["name", "code"]
    ordering = ["code", "-version"]
    read_roles = ANY_STAFF
    write_roles = TEMPLATE_MANAGE.roles
    writes = ServiceTrio(create=services.template_create, update=services.template_update,
                         delete=services.template_delete, instance="template")

    def get_base_queryset(self):
        return selectors.template_list()

    def _act(self, service):
        template = self.get_object()
        result = service(template=template, actor=self.request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=result.pk)).data)

    @documented("Publish a template",
                "Publish a draft template. Refused with 400 naming the problem when a required clause "
                "(objectives, rights and obligations, pricing, promotion, territory, term, termination, "
                "confidentiality, dispute resolution) is missing, a placeholder is unknown or no venue is named. "
                "The version published before it is retired.", request=None, responses=AgreementTemplateSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._act(services.template_publish)

    @documented("Start a new version", "Copy the template and its clauses into a new draft version to edit "
                "and publish.", request=None, responses=AgreementTemplateSerializer)
    @action(detail=True, methods=["post"], url_path="new-version")
    def new_version(self, request, pk=None):
        return self._act(services.template_new_version)


@extend_schema_view(**crud_docs(
    "template clause", "template clauses",
    about="Clauses of agreement templates (only a draft template's clauses change). Tenant staff read; "
          "channel managers, owners and legal write.",
))
class TemplateClauseViewSet(CrudViewSet):
    serializer_class = TemplateClauseSerializer
    ordering = ["template", "order", "pk"]
    filterset_fields = ["template", "kind"]
    read_roles = ANY_STAFF
    write_roles = TEMPLATE_MANAGE.roles
    writes = ServiceTrio(create=services.clause_create, update=services.clause_update,
                         delete=services.clause_delete, instance="clause")

    def get_base_queryset(self):
        return TemplateClause.objects.select_related("template")


# --------------------------------------------------------------------------- agreements


@extend_schema_view(**crud_docs(
    "cooperation agreement", "cooperation agreements", only=("list", "create", "retrieve", "update",
                                                            "partial_update"),
    about="Agreements are drafted from a template (the best fit for the partner when none is named); changing "
          "the terms renders a new version, voids signatures and returns the agreement to draft. Partner staff "
          "read their own partner's agreements once legal has sent them.",
))
class AgreementViewSet(RereadMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                       mixins.UpdateModelMixin, TenantScopedViewSet):
    serializer_class = AgreementSerializer
    search_fields = ["number", "title", "partner__legal_name"]
    filterset_fields = ["state", "partner"]
    ordering_fields = ["created_at", "end_date", "number"]
    ordering = ["-created_at", "-pk"]
    read_roles = ANY_STAFF | PARTNER_ROLES
    write_roles = AGREEMENT_MANAGE.roles
    partner_lookup = "partner"
    action_roles = {
        "submit": AGREEMENT_MANAGE.roles, "text": AGREEMENT_MANAGE.roles, "review": AGREEMENT_REVIEW.roles,
        "sign": AGREEMENT_SIGN.roles, "countersign": AGREEMENT_COUNTERSIGN.roles,
        "terminate": AGREEMENT_TERMINATE.roles, "renew": AGREEMENT_TERMINATE.roles,
        "versions": ANY_STAFF | PARTNER_ROLES,
    }

    def get_base_queryset(self):
        queryset = selectors.agreement_list()
        access = getattr(self.request, "access", None)
        if access is not None and access.is_partner:
            queryset = queryset.filter(state__in=PARTNER_VISIBLE)
        return queryset

    def get_serializer_class(self):
        return AgreementUpdateSerializer if self.action in ("update", "partial_update") else AgreementSerializer

    def create_object(self, data):
        return services.agreement_create(tenant=self.tenant, actor=self.actor, **data)

    def update_object(self, instance, data):
        return services.agreement_update(agreement=instance, actor=self.actor, **data)

    def perform_create(self, serializer) -> None:
        with transaction.atomic():
            serializer.instance = self.create_object(dict(serializer.validated_data))
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)

    def perform_update(self, serializer) -> None:
        with transaction.atomic():
            serializer.instance = self.update_object(serializer.instance, dict(serializer.validated_data))
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)

    def _answer(self, agreement, code=status.HTTP_200_OK) -> Response:
        return Response(AgreementSerializer(self.get_queryset().get(pk=agreement.pk)).data, status=code)

    @documented("Send to legal review", "Move a draft to legal review (channel managers and owners). An "
                "illegal move answers 409.", conflict=True, request=None, responses=AgreementSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        agreement = self.get_object()
        services.agreement_submit(agreement=agreement, actor=request.user)
        return self._answer(agreement)

    @documented("Legal review", "Legal approves (the agreement is sent to the partner) or returns it to draft "
                "with a comment, kept on the reviewed version. Legal reviewers only; 409 unless in legal review.",
                conflict=True, request=ReviewSerializer, responses=AgreementSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        agreement = self.get_object()
        body = ReviewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.agreement_review(agreement=agreement, actor=request.user, **body.validated_data)
        return self._answer(agreement)

    @documented("Sign for the partner", "The partner's administrator signs the text sent to it, naming its "
                "SHA-256 (a changed text answers 400). Records name, title, time and address. 409 unless sent.",
                conflict=True, request=SignSerializer, responses=AgreementSerializer)
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        agreement = self.get_object()
        body = SignSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.agreement_sign(agreement=agreement, actor=request.user, ip_address=client_address(request),
                                **body.validated_data)
        return self._answer(agreement)

    @documented("Countersign for the vendor", "An owner or channel manager countersigns the text the partner "
                "signed; the agreement comes into force. Of two countersignatures at once exactly one wins; the "
                "other answers 409.", conflict=True, request=SignSerializer, responses=AgreementSerializer)
    @action(detail=True, methods=["post"])
    def countersign(self, request, pk=None):
        agreement = self.get_object()
        body = SignSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.agreement_countersign(agreement=agreement, actor=request.user, ip_address=client_address(request),
                                       **body.validated_data)
        return self._answer(agreement)

    @documented("Terminate", "End an agreement in force early with a reason and a date; the partner's status "
                "moves to terminated when it has no other agreement in force. 409 unless in force.",
                conflict=True, request=TerminateSerializer, responses=AgreementSerializer)
    @action(detail=True, methods=["post"])
    def terminate(self, request, pk=None):
        agreement = self.get_object()
        body = TerminateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.agreement_terminate(agreement=agreement, actor=request.user, **body.validated_data)
        return self._answer(agreement)

    @documented("Draft the renewal", "A renewal draft from the current version of the template (once; the "
                "existing one is answered again).", request=None, responses={201: AgreementSerializer})
    @action(detail=True, methods=["post"])
    def renew(self, request, pk=None):
        renewal = services.agreement_renew(agreement=self.get_object(), actor=request.user)
        return self._answer(renewal, status.HTTP_201_CREATED)

    @documented("Replace the text", "Store a hand-edited text as a new version: standing signatures are voided "
                "and the agreement returns to draft. 409 when that move is not allowed.", conflict=True,
                request=TextSerializer, responses=AgreementSerializer)
    @action(detail=True, methods=["post"])
    def text(self, request, pk=None):
        agreement = self.get_object()
        body = TextSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.agreement_edit_text(agreement=agreement, actor=request.user, **body.validated_data)
        return self._answer(agreement)

    @documented("Versions", "Every version of the agreement's text, newest first, with its SHA-256 and legal's "
                "comments on it.", responses=AgreementVersionSerializer(many=True))
    @action(detail=True, methods=["get"])
    def versions(self, request, pk=None):
        agreement = self.get_object()
        versions = AgreementVersion.objects.filter(agreement=agreement).order_by("-number").prefetch_related(
            Prefetch("reviews", queryset=LegalReview.objects.order_by("created_at")))
        return Response(AgreementVersionSerializer(versions, many=True).data)


# --------------------------------------------------------------------------- communication


class _AudienceWrites:
    """Create / update with the audience fields passed to the service."""

    create_service = update_service = None
    instance_name = ""

    def create_object(self, data):
        return type(self).create_service(tenant=self.tenant, actor=self.actor, **data)

    def update_object(self, instance, data):
        return type(self).update_service(**{self.instance_name: instance}, actor=self.actor, **data)


@extend_schema_view(**crud_docs(
    "announcement", "announcements",
    about="Announcements (公告) go to all partners or an audience (partner types, regions, named partners). "
          "Partner staff read those addressed to their partner; managers write.",
))
class AnnouncementViewSet(RereadMixin, CrudViewSet):
    serializer_class = AnnouncementSerializer
    search_fields = ["title", "body"]
    ordering = ["-published_at", "-pk"]
    read_roles = ANY_STAFF | PARTNER_ROLES
    write_roles = ANNOUNCEMENT_MANAGE.roles
    published_to_partners = True
    action_roles = {"publish": ANNOUNCEMENT_MANAGE.roles, "read": ANNOUNCEMENT_READ.roles}

    def get_base_queryset(self):
        partner = _partner_of(self.request)
        queryset = selectors.announcements_for(partner) if partner else selectors.announcement_list()
        return queryset.prefetch_related("audience__region_rows", "audience__partner_rows")

    def create_object(self, data):
        return services.announcement_create(tenant=self.tenant, actor=self.actor, **data)

    def update_object(self, instance, data):
        return services.announcement_update(announcement=instance, actor=self.actor, **data)

    def delete_object(self, instance):
        services.announcement_delete(announcement=instance, actor=self.actor)

    @documented("Publish an announcement", "Publish it now: its audience sees it in the portal.", request=None,
                responses=AnnouncementSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        announcement = services.announcement_publish(announcement=self.get_object(), actor=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=announcement.pk)).data)

    @documented("Mark as read", "Partner staff record that they read the announcement and, with "
                "`acknowledge`, that their company acknowledges it. Idempotent.", request=AcknowledgeSerializer,
                responses=AnnouncementSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        announcement = self.get_object()
        body = AcknowledgeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.announcement_read(announcement=announcement, actor=request.user, **body.validated_data)
        return Response(self.get_serializer(announcement).data)


@extend_schema_view(**crud_docs(
    "message thread", "message threads", only=("list", "create", "retrieve"),
    about="Conversations between a partner and its channel manager; partner staff see and start their own "
          "partner's (the partner is theirs whatever the body says).",
))
class ThreadViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, TenantScopedViewSet):
    serializer_class = ThreadSerializer
    search_fields = ["subject"]
    ordering = ["-last_message_at", "-pk"]
    read_roles = ANY_STAFF | PARTNER_ROLES
    write_roles = THREAD_WRITE.roles
    partner_lookup = "partner"
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_base_queryset(self):
        return selectors.thread_list()

    def perform_create(self, serializer) -> None:
        data = dict(serializer.validated_data)
        partner = _partner_of(self.request) or data["partner"]
        with transaction.atomic():
            thread = services.thread_start(tenant=self.tenant, actor=self.actor, partner=partner,
                                           subject=data["subject"], body=data["body"])
        serializer.instance = self.get_queryset().get(pk=thread.pk)

    @documented("Messages of a thread", "GET: the messages, oldest first (reading marks the thread read for "
                "your side). POST: send a message, optionally with a PDF, JPEG or PNG attachment; the other "
                "side is e-mailed in their language.", methods=["get"], responses=MessageSerializer(many=True))
    @documented("Messages of a thread", "GET: the messages, oldest first (reading marks the thread read for "
                "your side). POST: send a message, optionally with a PDF, JPEG or PNG attachment; the other "
                "side is e-mailed in their language.", methods=["post"],
                request={"multipart/form-data": MessageWriteSerializer, "application/json": MessageWriteSerializer},
                responses={201: MessageSerializer})
    @action(detail=True, methods=["get", "post"])
    def messages(self, request, pk=None):
        thread = self.get_object()
        if request.method == "POST":
            body = MessageWriteSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            message = services.message_send(thread=thread, actor=request.user, **body.validated_data)
            return Response(MessageSerializer(message).data, status=status.HTTP_201_CREATED)
        if request_may(request, THREAD_WRITE.code, partner=thread.partner_id):
            services.thread_mark_read(thread=thread, actor=request.user)
        return Response(MessageSerializer(selectors.thread_messages(thread), many=True).data)


@extend_schema_view(**crud_docs(
    "partner event", "partner events",
    about="Partner conferences and meetings (合作伙伴大会) with an audience, capacity and agenda. Partner staff "
          "read the published events their partner is invited to; managers write.",
))
class EventViewSet(RereadMixin, CrudViewSet):
    serializer_class = EventSerializer
    search_fields = ["title", "location"]
    ordering = ["starts_at", "pk"]
    read_roles = ANY_STAFF | PARTNER_ROLES
    write_roles = EVENT_MANAGE.roles
    published_to_partners = True
    action_roles = {"publish": EVENT_MANAGE.roles, "cancel": EVENT_MANAGE.roles, "rsvp": EVENT_RSVP.roles}

    def get_base_queryset(self):
        partner = _partner_of(self.request)
        queryset = selectors.events_for(partner) if partner else selectors.event_list()
        return queryset.prefetch_related("audience__region_rows", "audience__partner_rows")

    def create_object(self, data):
        return services.event_create(tenant=self.tenant, actor=self.actor, **data)

    def update_object(self, instance, data):
        return services.event_update(event=instance, actor=self.actor, **data)

    def delete_object(self, instance):
        services.event_delete(event=instance, actor=self.actor)

    @documented("Publish an event", "Publish the event and invite every partner of its audience (partners "
                "added later are invited on the next publish).", request=None, responses=EventSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        event = services.event_publish(event=self.get_object(), actor=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=event.pk)).data)

    @documented("Cancel an event", "Cancel the event (it stays listed as cancelled).", request=None,
                responses=EventSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        event = services.event_cancel(event=self.get_object(), actor=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=event.pk)).data)

    @documented("Answer the invitation", "Partner staff answer for themselves (attending, maybe, not "
                "attending); attending is refused with 400 when the event is full.", request=RsvpSerializer,
                responses=EventSerializer)
    @action(detail=True, methods=["post"])
    def rsvp(self, request, pk=None):
        event = self.get_object()
        body = RsvpSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.event_rsvp(event=event, actor=request.user, **body.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=event.pk)).data)


@extend_schema_view(**crud_docs(
    "library item", "library items",
    about="Sales and marketing material (price lists, product sheets, campaign kits, logos, case studies) by "
          "audience, versioned. Partner staff read the published, unexpired items for their partner.",
))
class LibraryItemViewSet(RereadMixin, CrudViewSet):
    serializer_class = LibraryItemSerializer
    search_fields = ["title", "description"]
    ordering = ["kind", "title"]
    read_roles = ANY_STAFF | PARTNER_ROLES
    write_roles = LIBRARY_MANAGE.roles
    published_to_partners = True
    action_roles = {"files": ANY_STAFF | PARTNER_ROLES, "upload": LIBRARY_MANAGE.roles}
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_base_queryset(self):
        partner = _partner_of(self.request)
        queryset = selectors.library_for(partner) if partner else selectors.library_list()
        return queryset.prefetch_related("audience__region_rows", "audience__partner_rows")

    def create_object(self, data):
        return services.library_item_create(tenant=self.tenant, actor=self.actor, **data)

    def update_object(self, instance, data):
        return services.library_item_update(item=instance, actor=self.actor, **data)

    def delete_object(self, instance):
        services.library_item_delete(item=instance, actor=self.actor)

    @documented("Files of an item", "The item's versions, newest first (partner staff download the newest in the "
                "portal, where downloads are counted).", responses=LibraryFileSerializer(many=True))
    @action(detail=True, methods=["get"])
    def files(self, request, pk=None):
        item = self.get_object()
        return Response(LibraryFileSerializer(item.files.order_by("-version"), many=True).data)

    @documented("Upload a new version", "Upload a new version of the item's file (PDF, JPEG or PNG, checked by "
                "content). Channel managers and owners.", request={"multipart/form-data": LibraryUploadSerializer},
                responses={201: LibraryFileSerializer})
    @action(detail=True, methods=["post"])
    def upload(self, request, pk=None):
        item = self.get_object()
        body = LibraryUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        row = services.library_file_add(item=item, actor=request.user, **body.validated_data)
        return Response(LibraryFileSerializer(row).data, status=status.HTTP_201_CREATED)
