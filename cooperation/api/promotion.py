"""Promotion support (MDF) in the API: budgets, fund requests and their decisions, claims with proof, payment.

Partner staff request and claim for their own partner; owners and channel managers decide; owners and
finance record payments; every staff role reads. Every write calls one service of
``cooperation.services.promotion``, which checks the role again and keeps the budget from being
over-committed.
"""

from __future__ import annotations

from django.db import transaction
from drf_spectacular.utils import extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from channelhub.api.schema import crud_docs, documented
from channelhub.api.viewsets import TenantScopedViewSet
from channelhub.partners.models import Partner
from channelhub.tenancy.roles import ANY_STAFF, PARTNER_ROLES

from .. import selectors, services
from ..models import ActivityKind, FundBudget, FundClaim, FundClaimFile, FundRequest
from ..permissions import MDF_BUDGET, MDF_DECIDE, MDF_PAY, MDF_REQUEST

MONEY = {"max_digits": 16, "decimal_places": 2}


class FundBudgetSerializer(serializers.ModelSerializer):
    partner = serializers.PrimaryKeyRelatedField(queryset=Partner.objects.none(), required=False, allow_null=True,
                                                 help_text="Empty: every partner's requests may draw on it.")
    total = serializers.DecimalField(min_value=0, **MONEY)
    available = serializers.DecimalField(read_only=True, **MONEY)

    class Meta:
        model = FundBudget
        fields = ("id", "name", "start", "end", "partner", "total", "committed", "paid", "available", "is_open")
        read_only_fields = ("committed", "paid")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.all()

    def validate(self, attrs):
        start = attrs.get("start", getattr(self.instance, "start", None))
        end = attrs.get("end", getattr(self.instance, "end", None))
        if start and end and end < start:
            raise serializers.ValidationError({"end": ["The last day comes before the first."]})
        return attrs


@extend_schema_view(**crud_docs(
    "promotion budget", "promotion budgets", only=("list", "create", "retrieve", "update", "partial_update"),
    about="Promotion funds (MDF) per period, for every partner or allocated to one. `committed` is what approved "
          "requests and approved claims hold, `paid` what finance paid; their sum never exceeds `total`. Owners, "
          "channel managers and finance set budgets; every staff role reads them.",
))
class FundBudgetViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                        mixins.UpdateModelMixin, TenantScopedViewSet):
    serializer_class = FundBudgetSerializer
    ordering = ["-start", "name"]
    filterset_fields = ["partner", "is_open"]
    search_fields = ["name"]
    read_roles = ANY_STAFF
    write_roles = MDF_BUDGET.roles

    def get_base_queryset(self):
        return selectors.budget_list()

    def perform_create(self, serializer) -> None:
        with transaction.atomic():
            budget = services.budget_create(tenant=self.tenant, actor=self.actor, **serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=budget.pk)

    def perform_update(self, serializer) -> None:
        with transaction.atomic():
            budget = services.budget_update(budget=serializer.instance, actor=self.actor,
                                            **serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=budget.pk)


class FundRequestSerializer(serializers.ModelSerializer):
    partner = serializers.PrimaryKeyRelatedField(queryset=Partner.objects.none(), required=False,
                                                 help_text="Partner staff: their own partner, whatever is sent.")
    kind = serializers.ChoiceField(choices=ActivityKind.choices, default=ActivityKind.IN_STORE)
    requested_amount = serializers.DecimalField(min_value=0, **MONEY)
    submit = serializers.BooleanField(write_only=True, required=False, default=False,
                                      help_text="Submit at once (otherwise a draft).")
    claim = serializers.IntegerField(source="claim_id", read_only=True, allow_null=True)
    claim_state = serializers.CharField(read_only=True, allow_null=True)

    class Meta:
        model = FundRequest
        fields = ("id", "partner", "title", "kind", "plan", "expected_results", "starts_on", "ends_on",
                  "requested_amount", "submit", "state", "budget", "approved_amount", "committed", "submitted_at",
                  "decided_by", "decided_at", "decision_comment", "claim", "claim_state")
        read_only_fields = ("state", "budget", "approved_amount", "committed", "submitted_at", "decided_by",
                            "decided_at", "decision_comment")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.all()

    def validate(self, attrs):
        starts = attrs.get("starts_on", getattr(self.instance, "starts_on", None))
        ends = attrs.get("ends_on", getattr(self.instance, "ends_on", None))
        if starts and ends and ends < starts:
            raise serializers.ValidationError({"ends_on": ["The activity ends before it starts."]})
        return attrs


class FundApproveSerializer(serializers.Serializer):
    budget = serializers.PrimaryKeyRelatedField(queryset=FundBudget.objects.none(),
                                                help_text="The budget the approved amount is committed against.")
    amount = serializers.DecimalField(required=False, min_value=0, help_text="Empty: the amount requested.",
                                      **MONEY)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=4000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget"].queryset = FundBudget.objects.all()


class FundDecisionSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=4000, help_text="Why (the partner reads it).")


class FundCloseSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)


@extend_schema_view(**crud_docs(
    "fund request", "fund requests", only=("list", "create", "retrieve", "update", "partial_update"),
    about="A partner's request for promotion funds for one activity (plan, dates, cost, expected results). "
          "Partner staff create, change (draft or returned) and submit their own; owners and channel managers "
          "approve against a budget, return or reject; every staff role reads.",
))
class FundRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                         mixins.UpdateModelMixin, TenantScopedViewSet):
    serializer_class = FundRequestSerializer
    ordering = ["-created_at", "-pk"]
    filterset_fields = ["partner", "state", "kind", "budget"]
    search_fields = ["title"]
    read_roles = ANY_STAFF | PARTNER_ROLES
    write_roles = MDF_REQUEST.roles
    partner_lookup = "partner"
    action_roles = {"submit": MDF_REQUEST.roles, "approve": MDF_DECIDE.roles, "reject": MDF_DECIDE.roles,
                    "send_back": MDF_DECIDE.roles, "close": MDF_DECIDE.roles}

    def get_base_queryset(self):
        return selectors.fund_request_list()

    def _reread(self, pk):
        return self.get_queryset().get(pk=pk)

    def perform_create(self, serializer) -> None:
        data = dict(serializer.validated_data)
        data.pop("partner", None)
        partner = Partner.objects.get(pk=self.request.access.partner_id)
        with transaction.atomic():
            row = services.fund_request_create(tenant=self.tenant, actor=self.actor, partner=partner, **data)
        serializer.instance = self._reread(row.pk)

    def perform_update(self, serializer) -> None:
        data = {k: v for k, v in serializer.validated_data.items() if k not in ("partner", "submit")}
        with transaction.atomic():
            row = services.fund_request_update(request=serializer.instance, actor=self.actor, **data)
        serializer.instance = self._reread(row.pk)

    @documented("Submit a request", "Send a draft (or a request returned for changes) to the channel manager.",
                conflict=True, request=None, responses=FundRequestSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        row = self.get_object()
        services.fund_request_submit(request=row, actor=request.user)
        return Response(self.get_serializer(self._reread(row.pk)).data)

    @documented("Approve a request", "Approve against a budget, committing the approved amount (at most the amount "
                "requested). A budget that cannot hold it answers 400, whatever else is approved at the same "
                "moment.", conflict=True, request=FundApproveSerializer, responses=FundRequestSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        row = self.get_object()
        body = FundApproveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.fund_request_approve(request=row, actor=request.user, **body.validated_data)
        return Response(self.get_serializer(self._reread(row.pk)).data)

    @documented("Reject a request", "Refuse the request, saying why.", conflict=True, request=FundDecisionSerializer,
                responses=FundRequestSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        row = self.get_object()
        body = FundDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.fund_request_reject(request=row, actor=request.user, **body.validated_data)
        return Response(self.get_serializer(self._reread(row.pk)).data)

    @documented("Return a request for changes", "Send the request back to the partner, saying what to change.",
                conflict=True, request=FundDecisionSerializer, responses=FundRequestSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def send_back(self, request, pk=None):
        row = self.get_object()
        body = FundDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.fund_request_return(request=row, actor=request.user, **body.validated_data)
        return Response(self.get_serializer(self._reread(row.pk)).data)

    @documented("Close an approved request", "The activity will not take place: the whole commitment goes back to "
                "the budget (only without a claim).", conflict=True, request=FundCloseSerializer,
                responses=FundRequestSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        row = self.get_object()
        body = FundCloseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.fund_request_close(request=row, actor=request.user, **body.validated_data)
        return Response(self.get_serializer(self._reread(row.pk)).data)


class FundClaimFileSerializer(serializers.ModelSerializer):
    class Meta:
        model = FundClaimFile
        fields = ("id", "original_name", "content_type", "size", "uploaded_at")


class FundClaimSerializer(serializers.ModelSerializer):
    request = serializers.PrimaryKeyRelatedField(queryset=FundRequest.objects.none(),
                                                 help_text="The approved request this claim settles.")
    actual_cost = serializers.DecimalField(min_value=0, **MONEY)
    claimed_amount = serializers.DecimalField(min_value=0, **MONEY)
    attendees = serializers.IntegerField(min_value=0, max_value=10_000_000, required=False, default=0)
    leads = serializers.IntegerField(min_value=0, max_value=10_000_000, required=False, default=0)
    file_count = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = FundClaim
        fields = ("id", "request", "partner", "actual_cost", "claimed_amount", "attendees", "leads", "results",
                  "state", "submitted_at", "approved_amount", "reviewed_by", "reviewed_at", "review_comment",
                  "paid_on", "payment_reference", "file_count")
        read_only_fields = ("partner", "state", "submitted_at", "approved_amount", "reviewed_by", "reviewed_at",
                            "review_comment", "paid_on", "payment_reference")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        access = getattr(request, "access", None)
        queryset = FundRequest.objects.all()
        if access is not None and access.is_partner:
            queryset = queryset.filter(partner_id=access.partner_id)
        self.fields["request"].queryset = queryset


class FundProofUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="A PDF, JPEG or PNG (checked by content).")


class FundClaimReviewSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[("approve", "approve"), ("partial", "partial"),
                                                ("reject", "reject")])
    amount = serializers.DecimalField(required=False, min_value=0, help_text="For a partial approval: less than "
                                      "claimed.", **MONEY)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=4000,
                                    help_text="Required when you reject.")


class FundClaimPaySerializer(serializers.Serializer):
    payment_reference = serializers.CharField(max_length=100)
    paid_on = serializers.DateField(required=False)


@extend_schema_view(**crud_docs(
    "fund claim", "fund claims", only=("list", "create", "retrieve"),
    about="After the activity the partner claims an approved request with its figures (actual cost, attendees, "
          "leads, results) and proof of performance (files). Owners and channel managers approve it in full, in "
          "part or reject it (what is not approved goes back to the budget); owners and finance record the "
          "payment. Partner staff create and read their own.",
))
class FundClaimViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                       TenantScopedViewSet):
    serializer_class = FundClaimSerializer
    ordering = ["-submitted_at", "-pk"]
    filterset_fields = ["partner", "state", "request"]
    read_roles = ANY_STAFF | PARTNER_ROLES
    write_roles = MDF_REQUEST.roles
    partner_lookup = "partner"
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    action_roles = {"files": ANY_STAFF | PARTNER_ROLES, "upload": MDF_REQUEST.roles, "review": MDF_DECIDE.roles,
                    "pay": MDF_PAY.roles}

    def get_base_queryset(self):
        return selectors.fund_claim_list()

    def _reread(self, pk):
        return self.get_queryset().get(pk=pk)

    def perform_create(self, serializer) -> None:
        data = dict(serializer.validated_data)
        with transaction.atomic():
            claim = services.fund_claim_submit(actor=self.actor, **data)
        serializer.instance = self._reread(claim.pk)

    @documented("Proof of a claim", "The claim's files (download them in the admin or the portal).",
                responses=FundClaimFileSerializer(many=True))
    @action(detail=True, methods=["get"])
    def files(self, request, pk=None):
        claim = self.get_object()
        return Response(FundClaimFileSerializer(selectors.claim_files(claim), many=True).data)

    @documented("Add proof", "Upload a file (PDF, JPEG or PNG, checked by content) to a claim that waits for review.",
                request={"multipart/form-data": FundProofUploadSerializer}, responses={201: FundClaimFileSerializer})
    @action(detail=True, methods=["post"])
    def upload(self, request, pk=None):
        claim = self.get_object()
        body = FundProofUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        row = services.fund_claim_add_file(claim=claim, actor=request.user, **body.validated_data)
        return Response(FundClaimFileSerializer(row).data, status=status.HTTP_201_CREATED)

    @documented("Review a claim", "Approve in full, in part (an amount less than claimed) or reject (with a "
                "comment). What is not approved goes back to the budget.", conflict=True,
                request=FundClaimReviewSerializer, responses=FundClaimSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        claim = self.get_object()
        body = FundClaimReviewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.fund_claim_review(claim=claim, actor=request.user, **body.validated_data)
        return Response(self.get_serializer(self._reread(claim.pk)).data)

    @documented("Record the payment", "Finance records the payment of an approved claim (reference and date); the "
                "amount moves from committed to paid.", conflict=True, request=FundClaimPaySerializer,
                responses=FundClaimSerializer)
    @action(detail=True, methods=["post"])
    def pay(self, request, pk=None):
        claim = self.get_object()
        body = FundClaimPaySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.fund_claim_pay(claim=claim, actor=request.user, **body.validated_data)
        return Response(self.get_serializer(self._reread(claim.pk)).data)
