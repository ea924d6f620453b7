"""Shape partners, contacts, regions and products for the API. Validation of rules lives in services."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from channelhub.api.lean import LeanRepresentation

from ..models import Partner, PartnerContact, PartnerStatus, Product, Region
from ..selectors import channel_managers
from ..validators import normalise_credit_code


class RegionSerializer(serializers.ModelSerializer):
    parent = serializers.PrimaryKeyRelatedField(
        queryset=Region.objects.all(), allow_null=True, required=False
    )
    partner_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Region
        fields = ["id", "code", "name", "name_en", "level", "parent", "path", "partner_count"]
        read_only_fields = ["path"]


class PartnerSerializer(LeanRepresentation, serializers.ModelSerializer):
    region = serializers.PrimaryKeyRelatedField(queryset=Region.objects.all())
    region_name = serializers.CharField(source="region.display_name", read_only=True)
    owner = serializers.PrimaryKeyRelatedField(
        queryset=channel_managers(), allow_null=True, required=False
    )
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    partner_type_display = serializers.CharField(source="get_partner_type_display", read_only=True)
    contact_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Partner
        fields = [
            "id", "legal_name", "short_name", "english_name", "credit_code", "partner_type",
            "partner_type_display", "status", "status_display", "status_changed_at", "region",
            "region_name", "address", "registered_capital", "founding_year", "staff_count",
            "website", "owner", "notes", "contact_count", "created_at", "updated_at",
        ]
        read_only_fields = ["status", "status_changed_at", "created_at", "updated_at"]

    def validate_credit_code(self, value: str | None) -> str | None:
        return normalise_credit_code(value) or None if value is not None else None


# What the vendor writes about a partner for itself: which channel manager owns the account and
# the internal notes. Partner staff read their own partner through the API without these.
PARTNER_INTERNAL_FIELDS = ("owner", "notes")


class PartnerFacingPartnerSerializer(PartnerSerializer):
    """A partner as its own staff see it (read-only for them: only managers write partners)."""

    class Meta(PartnerSerializer.Meta):
        fields = [name for name in PartnerSerializer.Meta.fields if name not in PARTNER_INTERNAL_FIELDS]
        read_only_fields = fields


class PartnerTransitionSerializer(serializers.Serializer):
    to_status = serializers.ChoiceField(choices=PartnerStatus.choices, label=_("to status"))
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class PartnerContactSerializer(LeanRepresentation, serializers.ModelSerializer):
    partner = serializers.PrimaryKeyRelatedField(queryset=Partner.objects.all())

    class Meta:
        model = PartnerContact
        fields = ["id", "partner", "name", "title", "email", "phone", "is_primary", "notes"]


class PartnerFacingContactSerializer(PartnerContactSerializer):
    """A contact as partner staff see and edit it: the vendor's internal ``notes`` stay out."""

    class Meta(PartnerContactSerializer.Meta):
        fields = [name for name in PartnerContactSerializer.Meta.fields if name != "notes"]


class ProductSerializer(serializers.ModelSerializer):
    class Meta:
        model = Product
        fields = [
            "id", "sku", "name", "name_en", "category", "list_price", "is_active", "description",
        ]
