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


# The entry point's document (GET /api/v1/): only used to describe it in the schema.


class ApiSectionSerializer(serializers.Serializer):
    title = serializers.CharField(help_text="The core or the chapter, in the caller's language.")
    url = serializers.URLField(help_text="Where the section is mounted.")
    resources = serializers.DictField(child=serializers.URLField(),
                                      help_text="Collection name → absolute URL of its list.")


class ApiAuthSchemeSerializer(serializers.Serializer):
    header = serializers.CharField(help_text="What to send.")
    description = serializers.CharField()
    obtain = serializers.URLField(required=False, help_text="Where the credential comes from (if from the API).")


class ApiRootSerializer(serializers.Serializer):
    name = serializers.CharField()
    version = serializers.CharField(help_text="The API's version (the schema's info.version).")
    url = serializers.URLField(help_text="This document: the base of every path.")
    schema = serializers.URLField(help_text="The OpenAPI 3 schema.")
    docs = serializers.URLField(help_text="Interactive documentation (Swagger UI).")
    authentication = serializers.DictField(child=ApiAuthSchemeSerializer(),
                                           help_text="token, api_key, session: how to authenticate.")
    tenant_header = serializers.CharField(help_text="How a user with several tenants picks one.")
    me = serializers.URLField(help_text="The caller's identity, tenant and roles.")
    sections = serializers.DictField(child=ApiSectionSerializer(),
                                     help_text="core and each chapter (by app label), with their collections.")


class ScopedPrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """A key to a tenant-owned row, resolved through the scoped manager when the request runs
    (so another tenant's id is "does not exist", never a row)."""

    def __init__(self, model, **kwargs):
        self.model = model
        super().__init__(**kwargs)
        # Never evaluated (get_queryset answers per request); it names the model for the schema.
        self.queryset = model._default_manager.none()

    def get_queryset(self):
        return self.model.objects.all()
