from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from channelhub.tenancy.models import ApiKey, Membership, User
from channelhub.tenancy.selectors import history_changes


class MembershipSerializer(serializers.ModelSerializer):
    tenant = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    tenant_name = serializers.CharField(source="tenant.name", read_only=True)
    role_display = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = Membership
        fields = ["tenant", "tenant_name", "role", "role_display", "partner"]


class MeSerializer(serializers.ModelSerializer):
    current_tenant = serializers.SerializerMethodField()
    roles = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "email", "first_name", "last_name", "language",
                  "current_tenant", "roles"]

    def get_current_tenant(self, user) -> str | None:
        tenant = self.context["request"].tenant
        return tenant.slug if tenant else None

    def get_roles(self, user) -> list[str]:
        access = self.context["request"].access
        return sorted(access.roles) if access else []


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(label=_("username"))
    password = serializers.CharField(label=_("password"), style={"input_type": "password"},
                                     trim_whitespace=False)


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()
    memberships = MembershipSerializer(many=True)


class ApiKeySerializer(serializers.ModelSerializer):
    is_active = serializers.BooleanField(read_only=True)

    class Meta:
        model = ApiKey
        fields = ["id", "name", "role", "prefix", "created_at", "last_used_at", "revoked_at",
                  "is_active"]
        read_only_fields = ["prefix", "created_at", "last_used_at", "revoked_at"]


class IssuedApiKeySerializer(ApiKeySerializer):
    key = serializers.CharField(read_only=True, help_text=_("Shown once; store it now."))

    class Meta(ApiKeySerializer.Meta):
        fields = [*ApiKeySerializer.Meta.fields, "key"]


class HistoryEntrySerializer(serializers.Serializer):
    """One audit entry of a row: who, when, what kind of change, which fields, why."""

    at = serializers.DateTimeField(source="history_date")
    by = serializers.CharField(source="history_user", allow_null=True)
    change = serializers.CharField(source="get_history_type_display")
    reason = serializers.CharField(source="history_change_reason", allow_null=True)
    changes = serializers.SerializerMethodField()

    def get_changes(self, record) -> list[dict]:
        return history_changes(record)
