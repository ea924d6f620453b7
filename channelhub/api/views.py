"""Project-level API views: token exchange, the caller's identity, integration keys."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_view
from rest_framework import mixins, status
from rest_framework.authtoken.models import Token
from rest_framework.decorators import action
from rest_framework.exceptions import AuthenticationFailed, PermissionDenied
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from channelhub.tenancy import selectors as tenancy_selectors
from channelhub.tenancy import services as tenancy_services
from channelhub.tenancy.lockout import cool_off_seconds, lockout_message
from channelhub.tenancy.models import ApiKey
from channelhub.tenancy.roles import Role

from .permissions import IsAuthenticatedUser
from .schema import ChannelHubAutoSchema, crud_docs, documented
from .serializers import (
    ApiKeySerializer,
    IssuedApiKeySerializer,
    MembershipSerializer,
    MeSerializer,
    TokenRequestSerializer,
    TokenResponseSerializer,
)
from .viewsets import TenantScopedViewSet

API_KEY_MANAGES_NO_KEYS = _(
    "An API key cannot list, create or revoke API keys; a tenant owner manages them (admin → API keys)."
)


class TokenView(APIView):
    """Exchange a username and password for an API token (one per user, reused)."""

    authentication_classes: list = []
    permission_classes: list = []
    throttle_classes = [AnonRateThrottle]
    schema = ChannelHubAutoSchema()

    @documented(
        "Get an API token",
        "Exchange a username and password for the user's API token (one per user, reused on every "
        "exchange), with the tenants and roles the user holds. Send it as `Authorization: Token <token>`; "
        "users in several tenants add `X-Tenant: <slug>`. Wrong credentials answer 403; too many failures "
        "lock the account and the address for a while (429 with `Retry-After`).",
        errors=(403, 429), request=TokenRequestSerializer, auth=[], responses=TokenResponseSerializer,
    )
    def post(self, request):
        body = TokenRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        user = authenticate(
            request, username=body.validated_data["username"],
            password=body.validated_data["password"],
        )
        if getattr(request, "axes_locked_out", False):
            # Too many failures for this account or from this address (django-axes, settings).
            return Response({"detail": lockout_message(), "code": "locked_out"},
                            status=status.HTTP_429_TOO_MANY_REQUESTS, headers={"Retry-After": str(cool_off_seconds())})
        if user is None or not user.is_active:
            raise AuthenticationFailed(_("Unable to log in with the provided credentials."))
        token, _created = Token.objects.get_or_create(user=user)
        memberships = tenancy_selectors.memberships_of(user)
        return Response(
            {"token": token.key, "memberships": MembershipSerializer(memberships, many=True).data}
        )


class MeView(APIView):
    """Who the caller is, the tenant the request acts in and the roles held there."""

    permission_classes = [IsAuthenticatedUser]
    schema = ChannelHubAutoSchema()

    @documented(
        "Who am I",
        "The caller: user, the tenant this request acts in (chosen with `X-Tenant` for users in several "
        "tenants; an API key's own tenant) and the roles held there.",
        responses=MeSerializer,
    )
    def get(self, request):
        return Response(MeSerializer(request.user, context={"request": request}).data)


@extend_schema_view(**crud_docs(
    "API key", "API keys", only=("list", "retrieve"),
    about="Tenant owners only, signed in as a person: an API key never manages keys.",
    list=("List API keys", "The tenant's integration keys (active and revoked), newest first; only their "
                           "prefix is shown, never the key. Tenant owners only; an API key never manages keys."),
))
class ApiKeyViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
    TenantScopedViewSet,
):
    """Integration keys of the tenant. The key itself is returned once, on creation."""

    serializer_class = ApiKeySerializer
    read_roles = frozenset({Role.OWNER})
    write_roles = frozenset({Role.OWNER})
    ordering = ["-created_at"]
    filterset_fields = ["role"]
    search_fields = ["name", "prefix"]
    ordering_fields = ["created_at", "name"]

    def get_base_queryset(self):
        return ApiKey.objects.all()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # Keys are managed by people only: a key that could mint keys would outlive its own
        # revocation through the keys it made (the service refuses it too).
        if isinstance(request.auth, ApiKey):
            raise PermissionDenied(API_KEY_MANAGES_NO_KEYS)

    @documented(
        "Issue an API key",
        "Create an integration key for the tenant with a role (channel manager by default). The answer "
        "holds the key itself, once: it is stored hashed and cannot be shown again. Tenant owners only.",
        responses={201: IssuedApiKeySerializer},
    )
    def create(self, request, *args, **kwargs):
        body = ApiKeySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        issued = tenancy_services.api_key_create(
            tenant=request.tenant, actor=request.user, name=body.validated_data["name"],
            role=body.validated_data.get("role", Role.CHANNEL_MANAGER),
        )
        data = ApiKeySerializer(issued.api_key).data | {"key": issued.secret}
        return Response(data, status=status.HTTP_201_CREATED)

    @documented(
        "Revoke an API key",
        "Revoke the key at once: every later request with it answers 401. Revoking is final (issue a new "
        "key instead); the key stays listed with its revocation time. Tenant owners only.",
        request=None, responses=ApiKeySerializer,
    )
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        api_key = tenancy_services.api_key_revoke(api_key=self.get_object(), actor=request.user)
        return Response(ApiKeySerializer(api_key).data)
