"""Deal registration and channel conflicts in the API.

- ``deal-registrations``: partners register (create) and withdraw their own; managers approve,
  reject and extend the protection; either side records won / lost. Staff read the matches found.
- ``conflict-cases``: managers open, decide and close; each party reads its own cases in a
  partner's view (its own registration, never the other partner's) and adds evidence.
- ``direct-accounts``: the vendor's own customers, which partners' registrations collide with.
"""

from __future__ import annotations

from django.db import transaction
from drf_spectacular.utils import extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from channelhub.api.schema import crud_docs, documented
from channelhub.api.viewsets import CrudViewSet, TenantScopedViewSet
from channelhub.partners.models import Partner, Region
from channelhub.tenancy.roles import ANY_STAFF, PARTNER_ROLES
from channelhub.writes import ServiceTrio

from .. import selectors, services
from ..models import (
    DEFAULT_PROTECTION_DAYS,
    ConflictCase,
    ConflictEvidence,
    ConflictKind,
    ConflictParty,
    ConflictResolution,
    Currency,
    DealMatch,
    DealRegistration,
    DirectAccount,
)
from ..permissions import (
    CONFLICT_EVIDENCE,
    CONFLICT_MANAGE,
    DEAL_CLOSE,
    DEAL_DECIDE,
    DEAL_REGISTER,
    DIRECT_ACCOUNT_MANAGE,
)

# --------------------------------------------------------------------------- registrations


class DealRegistrationSerializer(serializers.ModelSerializer):
    region = serializers.PrimaryKeyRelatedField(queryset=Region.objects.none(), required=False, allow_null=True,
                                                help_text="The territory the deal is in.")
    currency = serializers.ChoiceField(choices=Currency.choices, default=Currency.CNY)
    partner_name = serializers.CharField(source="partner.legal_name", read_only=True)

    class Meta:
        model = DealRegistration
        fields = ("id", "number", "partner", "partner_name", "customer_name", "customer_credit_code", "region",
                  "products", "amount", "currency", "expected_close", "contact_name", "contact_phone", "note",
                  "state", "submitted_at", "protected_until", "decision_note", "closed_on", "won_amount",
                  "has_conflict")
        read_only_fields = ("number", "partner", "state", "submitted_at", "protected_until", "decision_note",
                            "closed_on", "won_amount", "has_conflict")
        extra_kwargs = {"amount": {"min_value": 0}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.all()


class DealMatchSerializer(serializers.ModelSerializer):
    other_number = serializers.CharField(source="other.number", read_only=True, default=None)
    other_partner = serializers.IntegerField(source="other.partner_id", read_only=True, default=None)
    other_customer_name = serializers.CharField(source="other.customer_name", read_only=True, default=None)
    direct_account_name = serializers.CharField(source="direct_account.name", read_only=True, default=None)

    class Meta:
        model = DealMatch
        fields = ("id", "kind", "score", "other", "other_number", "other_partner", "other_customer_name",
                  "direct_account", "direct_account_name", "created_at")
        read_only_fields = fields


class ApproveBody(serializers.Serializer):
    protection_days = serializers.IntegerField(min_value=1, max_value=730, default=DEFAULT_PROTECTION_DAYS)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class RejectBody(serializers.Serializer):
    note = serializers.CharField(max_length=300, help_text="Why (the partner reads it).")


class ExtendBody(serializers.Serializer):
    days = serializers.IntegerField(min_value=1, max_value=730)


class WithdrawBody(serializers.Serializer):
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class CloseBody(serializers.Serializer):
    won = serializers.BooleanField()
    amount = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=0, required=False, allow_null=True,
                                      help_text="Revenue won; default: the expected value.")
    closed_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


@extend_schema_view(**crud_docs(
    "deal registration", "deal registrations", only=("list", "create", "retrieve"),
    about="Opportunities partners register (商机报备): end customer (credit code or name), products, value and "
          "expected close. A registration of a customer another partner holds (same credit code, or the same name "
          "after normalisation) opens a channel conflict; similar names are recorded as matches with a score. "
          "Approved registrations are protected until protected_until, then expire to the open pool. Partner staff "
          "register and read their own; staff read all; managers decide.",
))
class DealRegistrationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                              TenantScopedViewSet):
    serializer_class = DealRegistrationSerializer
    ordering = ["-submitted_at", "-pk"]
    filterset_fields = ["partner", "state", "has_conflict"]
    read_roles = ANY_STAFF | PARTNER_ROLES
    write_roles = DEAL_REGISTER.roles
    partner_lookup = "partner"
    action_roles = {"approve": DEAL_DECIDE.roles, "reject": DEAL_DECIDE.roles, "extend": DEAL_DECIDE.roles,
                    "withdraw": DEAL_REGISTER.roles, "close": DEAL_CLOSE.roles, "matches": ANY_STAFF}

    def get_base_queryset(self):
        return selectors.deal_list()

    def perform_create(self, serializer) -> None:
        partner = Partner.objects.get(pk=self.request.access.partner_id)
        with transaction.atomic():
            registration = services.deal_register(tenant=self.tenant, actor=self.actor, partner=partner,
                                                  **serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=registration.pk)

    def _answer(self, registration):
        return Response(self.get_serializer(self.get_queryset().get(pk=registration.pk)).data)

    def _move(self, request, body_class, service, **extra):
        registration = self.get_object()
        body = body_class(data=request.data)
        body.is_valid(raise_exception=True)
        service(registration=registration, actor=request.user, **body.validated_data, **extra)
        return self._answer(registration)

    @documented("Approve a deal registration", "The customer is the partner's for protection_days (default 90). "
                "Refused while a channel conflict about it is open.", conflict=True, request=ApproveBody,
                responses=DealRegistrationSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._move(request, ApproveBody, services.deal_approve)

    @documented("Reject a deal registration", "With the reason the partner reads.", conflict=True,
                request=RejectBody, responses=DealRegistrationSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._move(request, RejectBody, services.deal_reject)

    @documented("Extend the protection", "Adds days to an approved registration's protection period.",
                request=ExtendBody, responses=DealRegistrationSerializer)
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        return self._move(request, ExtendBody, services.deal_extend)

    @documented("Withdraw a deal registration", "The partner gives the customer up.", conflict=True,
                request=WithdrawBody, responses=DealRegistrationSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._move(request, WithdrawBody, services.deal_withdraw)

    @documented("Record won or lost", "Closes an approved registration; a win attributes the revenue (default: "
                "the expected value) to the partner.", conflict=True, request=CloseBody,
                responses=DealRegistrationSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._move(request, CloseBody, services.deal_close)

    @documented("Matches of a registration", "Other partners' open registrations and direct accounts found for "
                "this customer, with how they matched and the score (100: exact). Tenant staff only.",
                responses=DealMatchSerializer(many=True))
    @action(detail=True, methods=["get"])
    def matches(self, request, pk=None):
        return Response(DealMatchSerializer(selectors.deal_matches(self.get_object()), many=True).data)


# --------------------------------------------------------------------------- conflicts


class ConflictPartySerializer(serializers.ModelSerializer):
    partner_name = serializers.CharField(source="partner.legal_name", read_only=True)

    class Meta:
        model = ConflictParty
        fields = ("partner", "partner_name", "registration", "is_claimant")
        read_only_fields = fields


class ConflictCaseSerializer(serializers.ModelSerializer):
    """The channel manager's view: every party, the decision and the outcome."""

    kind = serializers.ChoiceField(choices=ConflictKind.choices, default=ConflictKind.CUSTOMER)
    parties = ConflictPartySerializer(many=True, read_only=True)
    partners = serializers.PrimaryKeyRelatedField(queryset=Partner.objects.none(), many=True, write_only=True,
                                                  help_text="The partners in conflict (two, or one with a direct "
                                                            "account).")
    registrations = serializers.PrimaryKeyRelatedField(queryset=DealRegistration.objects.none(), many=True,
                                                       write_only=True, required=False)
    direct_account = serializers.PrimaryKeyRelatedField(queryset=DirectAccount.objects.none(), required=False,
                                                        allow_null=True)

    class Meta:
        model = ConflictCase
        fields = ("id", "number", "kind", "state", "customer_name", "summary", "direct_account", "parties",
                  "partners", "registrations", "opened_at", "resolution", "awarded_to", "decision_note",
                  "decided_at", "outcome", "closed_at")
        read_only_fields = ("number", "state", "opened_at", "resolution", "awarded_to", "decision_note",
                            "decided_at", "outcome", "closed_at")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partners"].child_relation.queryset = Partner.objects.all()
        self.fields["registrations"].child_relation.queryset = DealRegistration.objects.all()
        self.fields["direct_account"].queryset = DirectAccount.objects.all()


class PartnerConflictSerializer(serializers.ModelSerializer):
    """A party's view: its own registration; of the others only how many there are."""

    your_registration = serializers.SerializerMethodField()
    other_parties = serializers.SerializerMethodField()
    with_direct_account = serializers.SerializerMethodField()
    in_your_favour = serializers.SerializerMethodField()

    class Meta:
        model = ConflictCase
        fields = ("id", "number", "kind", "state", "customer_name", "summary", "opened_at", "resolution",
                  "decision_note", "decided_at", "outcome", "closed_at", "your_registration", "other_parties",
                  "with_direct_account", "in_your_favour")
        read_only_fields = fields

    def _view(self, obj) -> dict:
        return selectors.partner_view(obj, self.context["request"].access.partner_id)

    def get_your_registration(self, obj) -> int | None:
        registration = self._view(obj)["registration"]
        return registration.pk if registration else None

    def get_other_parties(self, obj) -> int:
        return self._view(obj)["other_parties"]

    def get_with_direct_account(self, obj) -> bool:
        return self._view(obj)["with_direct_account"]

    def get_in_your_favour(self, obj) -> bool | None:
        return self._view(obj)["in_your_favour"]


class EvidenceSerializer(serializers.ModelSerializer):
    from_vendor = serializers.SerializerMethodField()

    class Meta:
        model = ConflictEvidence
        fields = ("id", "text", "partner", "from_vendor", "created_at")
        read_only_fields = ("id", "partner", "from_vendor", "created_at")

    def get_from_vendor(self, obj) -> bool:
        return obj.partner_id is None


class DecideBody(serializers.Serializer):
    resolution = serializers.ChoiceField(choices=ConflictResolution.choices)
    awarded_to = serializers.PrimaryKeyRelatedField(queryset=Partner.objects.none(), required=False, allow_null=True,
                                                    help_text="The party the conflict is awarded to.")
    note = serializers.CharField(help_text="The reasons for the decision (both parties read them).")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["awarded_to"].queryset = Partner.objects.all()


class CloseCaseBody(serializers.Serializer):
    outcome = serializers.CharField(help_text="What came of the decision.")


@extend_schema_view(**crud_docs(
    "channel conflict", "channel conflicts", only=("list", "create", "retrieve"),
    about="Channel conflicts (渠道冲突) about a customer, a territory or pricing, between partners or a partner and "
          "the vendor's direct sales. Deal registrations open customer conflicts by themselves; managers open "
          "others, decide and record the outcome. Partner staff read only the cases their partner is party to, "
          "in a party's view: their own registration, never the other partner's.",
))
class ConflictCaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                          TenantScopedViewSet):
    ordering = ["-opened_at", "-pk"]
    filterset_fields = ["state", "kind"]
    read_roles = ANY_STAFF | PARTNER_ROLES
    write_roles = CONFLICT_MANAGE.roles | CONFLICT_EVIDENCE.roles
    partner_lookup = "parties__partner"
    action_roles = {"create": CONFLICT_MANAGE.roles, "decide": CONFLICT_MANAGE.roles,
                    "close": CONFLICT_MANAGE.roles}

    def get_serializer_class(self):
        access = getattr(self.request, "access", None) if self.request is not None else None
        if access is not None and access.is_partner:
            return PartnerConflictSerializer
        return ConflictCaseSerializer

    def get_base_queryset(self):
        return selectors.conflict_list()

    def perform_create(self, serializer) -> None:
        data = dict(serializer.validated_data)
        with transaction.atomic():
            case = services.conflict_open(tenant=self.tenant, actor=self.actor, **data)
        serializer.instance = self.get_queryset().get(pk=case.pk)

    def _answer(self, case):
        return Response(self.get_serializer(self.get_queryset().get(pk=case.pk)).data)

    @documented("Decide a conflict", "The channel manager's decision: awarded to one party (the others' open "
                "registrations of the customer are rejected), shared, kept by direct sales, or no conflict.",
                conflict=True, request=DecideBody, responses=ConflictCaseSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        case = self.get_object()
        body = DecideBody(data=request.data)
        body.is_valid(raise_exception=True)
        services.conflict_decide(case=case, actor=request.user, **body.validated_data)
        return self._answer(case)

    @documented("Close a conflict", "Records the outcome of the decision.", conflict=True, request=CloseCaseBody,
                responses=ConflictCaseSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        case = self.get_object()
        body = CloseCaseBody(data=request.data)
        body.is_valid(raise_exception=True)
        services.conflict_close(case=case, actor=request.user, **body.validated_data)
        return self._answer(case)

    @documented("Evidence of a conflict", "GET: the evidence (partner staff: their own only). POST: add "
                "evidence (partner staff for their partner; managers as the vendor).", methods=["get"],
                responses=EvidenceSerializer(many=True))
    @documented("Evidence of a conflict", "GET: the evidence (partner staff: their own only). POST: add "
                "evidence (partner staff for their partner; managers as the vendor).", methods=["post"],
                request=EvidenceSerializer, responses={201: EvidenceSerializer})
    @action(detail=True, methods=["get", "post"])
    def evidence(self, request, pk=None):
        case = self.get_object()
        if request.method == "POST":
            body = EvidenceSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            row = services.conflict_add_evidence(case=case, actor=request.user, text=body.validated_data["text"])
            return Response(EvidenceSerializer(row).data, status=status.HTTP_201_CREATED)
        partner_id = request.access.partner_id if request.access.is_partner else None
        return Response(EvidenceSerializer(selectors.conflict_evidence(case, partner_id=partner_id), many=True).data)


# --------------------------------------------------------------------------- direct accounts


class DirectAccountSerializer(serializers.ModelSerializer):
    region = serializers.PrimaryKeyRelatedField(queryset=Region.objects.none(), required=False, allow_null=True)

    class Meta:
        model = DirectAccount
        fields = ("id", "name", "credit_code", "region", "note", "is_active", "name_key")
        read_only_fields = ("name_key",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.all()


@extend_schema_view(**crud_docs(
    "direct account", "direct accounts",
    about="The vendor's own customers (直销客户): a partner's registration of one of them opens a channel conflict. "
          "Staff read; managers maintain.",
))
class DirectAccountViewSet(CrudViewSet):
    serializer_class = DirectAccountSerializer
    ordering = ["name", "pk"]
    filterset_fields = ["is_active", "region"]
    read_roles = ANY_STAFF
    write_roles = DIRECT_ACCOUNT_MANAGE.roles
    writes = ServiceTrio(create=services.direct_account_create, update=services.direct_account_update,
                         delete=services.direct_account_delete, instance="account")

    def get_base_queryset(self):
        return selectors.direct_account_list()
