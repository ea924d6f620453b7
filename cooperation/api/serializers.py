"""Cooperation in the API: serializers (thin; rules live in the services)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from channelhub.api.serializers import ScopedPrimaryKeyField
from channelhub.partners.models import Partner, PartnerType, Region

from ..models import (
    Agreement,
    AgreementTemplate,
    AgreementVersion,
    Announcement,
    Event,
    LegalReview,
    LibraryFile,
    LibraryItem,
    Message,
    ReviewDecision,
    RsvpResponse,
    Signature,
    TemplateClause,
    Thread,
)


class AudienceSerializerMixin(serializers.Serializer):
    """The audience as four fields: for everyone, partner types, regions, named partners."""

    audience_all = serializers.BooleanField(required=False, default=True)
    partner_types = serializers.ListField(child=serializers.ChoiceField(choices=PartnerType.choices), required=False)
    tiers = serializers.ListField(child=serializers.CharField(max_length=32), required=False,
                                  help_text=_("Tier codes (the tenant's tiers, e.g. gold)."))
    regions = ScopedPrimaryKeyField(Region, many=True, required=False)
    partners = ScopedPrimaryKeyField(Partner, many=True, required=False)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        audience = instance.audience
        data.update({
            "audience_all": audience.audience_all, "partner_types": audience.partner_type_list,
            "tiers": audience.tier_list,
            "regions": [row.region_id for row in audience.region_rows.all()],
            "partners": [row.partner_id for row in audience.partner_rows.all()],
        })
        return data


class TemplateClauseSerializer(serializers.ModelSerializer):
    template = ScopedPrimaryKeyField(AgreementTemplate)

    class Meta:
        model = TemplateClause
        fields = ["id", "template", "kind", "title", "body", "order"]


class AgreementTemplateSerializer(serializers.ModelSerializer):
    region = ScopedPrimaryKeyField(Region, required=False, allow_null=True)
    clause_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = AgreementTemplate
        fields = ["id", "code", "version", "name", "language", "partner_type", "region", "priority", "term_months",
                  "dispute_method", "dispute_venue", "status", "published_at", "clause_count"]
        read_only_fields = ["version", "status", "published_at"]


class SignatureSerializer(serializers.ModelSerializer):
    class Meta:
        model = Signature
        fields = ["id", "party", "signer", "signer_name", "signer_title", "signed_at", "ip_address", "content_hash",
                  "version", "voided_at", "void_reason"]
        read_only_fields = fields


class LegalReviewSerializer(serializers.ModelSerializer):
    class Meta:
        model = LegalReview
        fields = ["id", "decision", "comment", "reviewer", "created_at"]
        read_only_fields = fields


class AgreementVersionSerializer(serializers.ModelSerializer):
    reviews = LegalReviewSerializer(many=True, read_only=True)

    class Meta:
        model = AgreementVersion
        fields = ["id", "number", "text", "content_hash", "note", "created_by", "created_at", "reviews"]
        read_only_fields = fields


class AgreementSerializer(serializers.ModelSerializer):
    partner = ScopedPrimaryKeyField(Partner)
    template = ScopedPrimaryKeyField(AgreementTemplate, required=False, allow_null=True)
    partner_name = serializers.CharField(source="partner", read_only=True)
    text = serializers.CharField(read_only=True)
    content_hash = serializers.CharField(read_only=True)
    version = serializers.IntegerField(source="current_version.number", read_only=True, allow_null=True)
    title = serializers.CharField(required=False, max_length=200)
    start_date = serializers.DateField(required=False)
    end_date = serializers.DateField(required=False)

    class Meta:
        model = Agreement
        fields = ["id", "number", "title", "partner", "partner_name", "template", "language", "start_date",
                  "end_date", "discount", "territory", "state", "state_changed_at", "version", "text",
                  "content_hash", "renewal_of", "terminated_on", "termination_reason", "created_at"]
        read_only_fields = ["number", "language", "state", "state_changed_at", "renewal_of", "terminated_on",
                            "termination_reason", "created_at"]


class AgreementUpdateSerializer(AgreementSerializer):
    class Meta(AgreementSerializer.Meta):
        read_only_fields = [*AgreementSerializer.Meta.read_only_fields, "partner", "template"]


class ReviewSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=ReviewDecision.choices)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=4000)


class SignSerializer(serializers.Serializer):
    signer_name = serializers.CharField(max_length=100)
    signer_title = serializers.CharField(max_length=100)
    content_hash = serializers.CharField(max_length=64, help_text=_("SHA-256 of the text you read and sign."))


class TerminateSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)
    terminated_on = serializers.DateField(required=False)


class TextSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=200_000)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class AnnouncementSerializer(AudienceSerializerMixin, serializers.ModelSerializer):
    read_count = serializers.IntegerField(read_only=True, required=False)
    acknowledged_count = serializers.IntegerField(read_only=True, required=False)

    class Meta:
        model = Announcement
        fields = ["id", "title", "body", "must_acknowledge", "published_at", "expires_at", "audience_all",
                  "partner_types", "tiers", "regions", "partners", "read_count", "acknowledged_count"]
        read_only_fields = ["published_at"]


class AcknowledgeSerializer(serializers.Serializer):
    acknowledge = serializers.BooleanField(required=False, default=False)


class MessageSerializer(serializers.ModelSerializer):
    class Meta:
        model = Message
        fields = ["id", "author", "from_partner", "body", "attachment_name", "attachment_type", "attachment_size",
                  "created_at"]
        read_only_fields = ["author", "from_partner", "attachment_name", "attachment_type", "attachment_size",
                            "created_at"]


class MessageWriteSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=10000)
    attachment = serializers.FileField(required=False)


class ThreadSerializer(serializers.ModelSerializer):
    partner = ScopedPrimaryKeyField(Partner)
    body = serializers.CharField(write_only=True, max_length=10000)
    message_count = serializers.IntegerField(read_only=True, required=False)

    class Meta:
        model = Thread
        fields = ["id", "partner", "subject", "manager", "created_at", "last_message_at", "last_from_partner",
                  "message_count", "body"]
        read_only_fields = ["manager", "created_at", "last_message_at", "last_from_partner"]


class EventSerializer(AudienceSerializerMixin, serializers.ModelSerializer):
    invited = serializers.IntegerField(read_only=True, required=False)
    attending = serializers.IntegerField(read_only=True, required=False)
    checked_in = serializers.IntegerField(read_only=True, required=False)

    class Meta:
        model = Event
        fields = ["id", "title", "kind", "description", "agenda", "location", "starts_at", "ends_at", "capacity",
                  "status", "audience_all", "partner_types", "tiers", "regions", "partners", "invited", "attending",
                  "checked_in"]
        read_only_fields = ["status"]


class RsvpSerializer(serializers.Serializer):
    response = serializers.ChoiceField(choices=RsvpResponse.choices)
    attendee_name = serializers.CharField(required=False, allow_blank=True, max_length=100)


class LibraryItemSerializer(AudienceSerializerMixin, serializers.ModelSerializer):
    latest_version = serializers.IntegerField(read_only=True, required=False, allow_null=True)
    download_count = serializers.IntegerField(read_only=True, required=False)

    class Meta:
        model = LibraryItem
        fields = ["id", "title", "kind", "description", "is_published", "valid_until", "audience_all",
                  "partner_types", "tiers", "regions", "partners", "latest_version", "download_count"]


class LibraryFileSerializer(serializers.ModelSerializer):
    class Meta:
        model = LibraryFile
        fields = ["id", "version", "original_name", "content_type", "size", "note", "uploaded_by", "uploaded_at"]
        read_only_fields = fields


class LibraryUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)
