"""Market feedback in the API: partners send it (with up to five files, as multipart) and read the answers;
channel managers triage, answer, tag and close it; tenant staff read every item and its tags (the summary by
category × region × month is on the admin's feedback list). Each item lists its files with a download link:
the portal's for partner staff, the admin's for tenant staff (both check the caller's tenant and partner)."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from channelhub.api.schema import crud_docs, documented
from channelhub.api.viewsets import TenantScopedViewSet
from channelhub.partners.models import Partner, Product, Region
from channelhub.tenancy.roles import ANY_STAFF, PARTNER_ROLES

from .. import selectors, services
from ..models import FEEDBACK_MAX_FILES, Feedback, FeedbackCategory, FeedbackFile
from ..permissions import FEEDBACK_MANAGE, FEEDBACK_SUBMIT


class FeedbackFileSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="original_name", read_only=True)
    download_url = serializers.SerializerMethodField(
        help_text="Where a signed-in user downloads it: the portal for partner staff, the admin for tenant staff.")

    class Meta:
        model = FeedbackFile
        fields = ("id", "name", "content_type", "size", "uploaded_at", "download_url")
        read_only_fields = fields

    def get_download_url(self, row) -> str:
        access = getattr(self.context.get("request"), "access", None)
        if access is not None and access.is_partner:
            return reverse("cooperation-portal:feedback-file", args=[row.pk])
        return reverse("admin:cooperation_feedback_file", args=[row.pk])


class FeedbackSerializer(serializers.ModelSerializer):
    category = serializers.ChoiceField(choices=FeedbackCategory.choices)
    region = serializers.PrimaryKeyRelatedField(queryset=Region.objects.none(), required=False, allow_null=True)
    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.none(), required=False, allow_null=True)
    files = FeedbackFileSerializer(many=True, read_only=True)

    class Meta:
        model = Feedback
        fields = ("id", "partner", "category", "title", "text", "region", "product", "files", "state", "tags",
                  "answer", "answered_at", "submitted_at", "month")
        read_only_fields = ("partner", "state", "tags", "answer", "answered_at", "submitted_at", "month")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.all()
        self.fields["product"].queryset = Product.objects.all()

    def to_representation(self, instance):
        data = super().to_representation(instance)
        access = getattr(self.context.get("request"), "access", None)
        if access is not None and access.is_partner:
            data.pop("tags", None)  # the tenant's own words
        return data


class FeedbackSubmitSerializer(FeedbackSerializer):
    """What a partner sends: the item and its files (multipart, ``files`` repeated); answered as the item."""

    files = serializers.ListField(
        child=serializers.FileField(), required=False, write_only=True,
        help_text=f"Up to {FEEDBACK_MAX_FILES} files, each a PDF, JPEG or PNG (checked by content) within the "
                  "size limit. One bad file refuses the whole item (400, nothing stored).")

    def to_representation(self, instance):
        return FeedbackSerializer(instance, context=self.context).data


class AnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(max_length=10000)


class TagsSerializer(serializers.Serializer):
    tags = serializers.CharField(max_length=300, allow_blank=True,
                                 help_text="Free words separated by commas; replaces the item's tags.")


@extend_schema_view(**crud_docs(
    "market feedback item", "market feedback", only=("list", "create", "retrieve"),
    about="Market feedback (市场反馈) by category (competitor activity, pricing, demand, product issue, suggestion). "
          "Partner staff send it for their own partner (POST as multipart with up to five PDF, JPEG or PNG "
          "`files`) and read their own items with the tenant's answer; tenant staff read all items and their tags. "
          "Each item lists its files with a download link.",
))
class FeedbackViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                      TenantScopedViewSet):
    serializer_class = FeedbackSerializer  # FeedbackSubmitSerializer for create
    ordering = ["-submitted_at", "-pk"]
    filterset_fields = ["state", "category", "region", "partner", "month"]
    search_fields = ["title", "text", "tags"]
    read_roles = ANY_STAFF | PARTNER_ROLES
    write_roles = FEEDBACK_SUBMIT.roles
    partner_lookup = "partner"
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    action_roles = {"triage": FEEDBACK_MANAGE.roles, "answer": FEEDBACK_MANAGE.roles, "tags": FEEDBACK_MANAGE.roles,
                    "close": FEEDBACK_MANAGE.roles}

    def get_base_queryset(self):
        return selectors.feedback_list(with_files=True)

    def get_serializer_class(self):
        return FeedbackSubmitSerializer if self.action == "create" else FeedbackSerializer

    @extend_schema(request=FeedbackSubmitSerializer, responses={201: FeedbackSerializer})
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer) -> None:
        partner = Partner.objects.get(pk=self.request.access.partner_id)
        with transaction.atomic():
            feedback = services.feedback_submit(tenant=self.tenant, actor=self.actor, partner=partner,
                                                **serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=feedback.pk)

    def _answer(self, feedback):
        return Response(self.get_serializer(self.get_queryset().get(pk=feedback.pk)).data)

    @documented("Triage feedback", "Mark a new item as looked at and sorted.", conflict=True, request=None,
                responses=FeedbackSerializer)
    @action(detail=True, methods=["post"])
    def triage(self, request, pk=None):
        feedback = self.get_object()
        services.feedback_triage(feedback=feedback, actor=request.user)
        return self._answer(feedback)

    @documented("Answer feedback", "The answer the partner reads in the portal (again: replaces it).",
                conflict=True, request=AnswerSerializer, responses=FeedbackSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        feedback = self.get_object()
        body = AnswerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.feedback_answer(feedback=feedback, actor=request.user, **body.validated_data)
        return self._answer(feedback)

    @documented("Tag feedback", "Replace the item's free tags (the partner does not see them).",
                request=TagsSerializer, responses=FeedbackSerializer)
    @action(detail=True, methods=["post"])
    def tags(self, request, pk=None):
        feedback = self.get_object()
        body = TagsSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.feedback_tag(feedback=feedback, actor=request.user, **body.validated_data)
        return self._answer(feedback)

    @documented("Close feedback", "Nothing more to do on this item.", conflict=True, request=None,
                responses=FeedbackSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        feedback = self.get_object()
        services.feedback_close(feedback=feedback, actor=request.user)
        return self._answer(feedback)
