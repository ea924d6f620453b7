"""Evaluation API (``/api/v1/evaluation/``): thin viewsets over the selectors and services.

Deny by default: tenant staff read; owners and channel managers change the set-up and run
cycles; owners and finance confirm cycles and approve statements. Partner staff read their
own partner's results and statements of published cycles only. Illegal workflow moves
answer 409 (``IllegalTransition``), refused input 400.
"""

from __future__ import annotations

from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema_view
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from channelhub.api.schema import crud_docs, documented
from channelhub.api.viewsets import CrudViewSet, ReadOnlyViewSet, TenantScopedViewSet
from channelhub.tenancy.roles import ANY_STAFF, PARTNER_ROLES
from channelhub.writes import ServiceTrio

from .. import selectors, services
from ..models import CycleState, Kpi, Scorecard, ScorecardLine, Tier
from ..permissions import CYCLE_COMPUTE, CYCLE_CONFIRM, CYCLE_PUBLISH, SCORE_ADJUST, SETUP_MANAGE, STATEMENT_APPROVE
from .serializers import (
    EvaluationScorecardLineSerializer,
    EvaluationScorecardSerializer,
    IncentiveStatementSerializer,
    KpiSerializer,
    PartnerScoreDetailSerializer,
    PartnerScoreSerializer,
    ReopenReasonSerializer,
    ReviewCycleSerializer,
    ScoreAdjustSerializer,
    StatementPaidSerializer,
    TierSerializer,
    WhatIfRowSerializer,
    WhatIfSerializer,
)

SETUP_ABOUT = "Tenant staff read; owners and channel managers write."


@extend_schema_view(**crud_docs("KPI", "KPIs", about="The KPI catalogue (考核指标): where each figure comes from "
                                "and how it is scored 0–100. " + SETUP_ABOUT))
class KpiViewSet(CrudViewSet):
    serializer_class = KpiSerializer
    search_fields = ["code", "name"]
    filterset_fields = ["kind", "normalisation"]
    ordering = ["code"]
    read_roles = ANY_STAFF
    write_roles = SETUP_MANAGE.roles
    writes = ServiceTrio(create=services.kpi_create, update=services.kpi_update, delete=services.kpi_delete,
                         instance="kpi")

    def get_base_queryset(self):
        return Kpi.objects.all()


@extend_schema_view(**crud_docs("scorecard", "scorecards", about="Weighted KPIs per partner type, versioned: a "
                                "new scorecard becomes the next version of its type. " + SETUP_ABOUT))
class ScorecardViewSet(CrudViewSet):
    serializer_class = EvaluationScorecardSerializer
    filterset_fields = ["partner_type", "is_active"]
    ordering = ["partner_type", "-version"]
    read_roles = ANY_STAFF
    write_roles = SETUP_MANAGE.roles
    writes = ServiceTrio(create=services.scorecard_create, update=services.scorecard_update,
                         delete=services.scorecard_delete, instance="scorecard")

    def get_base_queryset(self):
        return Scorecard.objects.prefetch_related("lines")

    @documented("Start a new version", "Copy the scorecard and its lines into the next version of its partner "
                "type and put it in use; older versions go out of use (cycles computed on them keep their "
                "results).", request=None, responses=EvaluationScorecardSerializer)
    @action(detail=True, methods=["post"], url_path="new-version")
    def new_version(self, request, pk=None):
        copy = services.scorecard_new_version(scorecard=self.get_object(), actor=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=copy.pk)).data, status=201)


@extend_schema_view(**crud_docs("scorecard line", "scorecard lines", about="One weighted KPI of a scorecard. "
                                + SETUP_ABOUT))
class ScorecardLineViewSet(CrudViewSet):
    serializer_class = EvaluationScorecardLineSerializer
    filterset_fields = ["scorecard"]
    ordering = ["scorecard", "-weight"]
    read_roles = ANY_STAFF
    write_roles = SETUP_MANAGE.roles
    writes = ServiceTrio(create=services.scorecard_line_create, update=services.scorecard_line_update,
                         delete=services.scorecard_line_delete, instance="line")

    def get_base_queryset(self):
        return ScorecardLine.objects.all()


@extend_schema_view(**crud_docs("tier", "tiers", about="Partner tiers with their threshold, hysteresis and "
                                "benefits. " + SETUP_ABOUT))
class TierViewSet(CrudViewSet):
    serializer_class = TierSerializer
    ordering = ["-rank"]
    read_roles = ANY_STAFF
    write_roles = SETUP_MANAGE.roles
    writes = ServiceTrio(create=services.tier_create, update=services.tier_update, delete=services.tier_delete,
                         instance="tier")

    def get_base_queryset(self):
        return Tier.objects.all()


@extend_schema_view(**crud_docs(
    "review cycle", "review cycles", only=("list", "create", "retrieve"),
    about="Review cycles (评估周期): scheduled → computing → computed → confirmed → published. Tenant staff "
          "read; owners and channel managers start them (the periodic job starts its own).",
))
class ReviewCycleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                         TenantScopedViewSet):
    serializer_class = ReviewCycleSerializer
    filterset_fields = ["state", "cadence"]
    ordering = ["-period_start", "-id"]
    read_roles = ANY_STAFF
    write_roles = CYCLE_COMPUTE.roles
    action_roles = {
        "compute": CYCLE_COMPUTE.roles, "preview": CYCLE_COMPUTE.roles, "confirm": CYCLE_CONFIRM.roles,
        "reopen": CYCLE_CONFIRM.roles, "publish": CYCLE_PUBLISH.roles,
    }

    def get_base_queryset(self):
        return selectors.cycle_list()

    def perform_create(self, serializer) -> None:
        serializer.instance = services.cycle_create(tenant=self.tenant, actor=self.actor,
                                                    **serializer.validated_data)

    def _answer(self, cycle):
        return Response(self.get_serializer(self.get_queryset().get(pk=cycle.pk)).data)

    @documented("Compute the cycle", "Compute (or recompute, replacing every result) each partner's KPIs, "
                "totals, ranks, tier proposals and incentive statements, set-based in the database. Refused "
                "once confirmed (409), or when a statement of the cycle was approved (400).", conflict=True,
                request=None, responses=ReviewCycleSerializer)
    @action(detail=True, methods=["post"])
    def compute(self, request, pk=None):
        return self._answer(services.cycle_compute(cycle=self.get_object(), actor=request.user))

    @documented("Confirm the results", "The department sign-off (由相关部门进行审核和确认) of a computed "
                "cycle; owners and finance.", conflict=True, request=None, responses=ReviewCycleSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        return self._answer(services.cycle_confirm(cycle=self.get_object(), actor=request.user))

    @documented("Withdraw the sign-off", "Return a confirmed cycle to computed, with the reason; owners and "
                "finance.", conflict=True, request=ReopenReasonSerializer, responses=ReviewCycleSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        body = ReopenReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._answer(services.cycle_reopen(cycle=self.get_object(), actor=request.user,
                                                  reason=body.validated_data["reason"]))

    @documented("Publish to partners", "Publish a confirmed cycle: partners see their scorecards and the "
                "proposed tier changes apply.", conflict=True, request=None, responses=ReviewCycleSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._answer(services.cycle_publish(cycle=self.get_object(), actor=request.user))

    @documented("What-if preview", "Re-score the cycle with changed weights (scorecard line id → weight) and "
                "tier thresholds (tier id → minimum score) and answer, per partner, the saved and previewed "
                "totals and tiers. Nothing is saved.", request=WhatIfSerializer,
                responses=WhatIfRowSerializer(many=True))
    @action(detail=True, methods=["post"])
    def preview(self, request, pk=None):
        cycle = self.get_object()
        body = WhatIfSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        if cycle.state not in (CycleState.COMPUTED, CycleState.CONFIRMED, CycleState.PUBLISHED):
            raise ValidationError({"detail": gettext("Compute the cycle first.")})
        rows = services.cycle_preview(cycle=cycle, actor=request.user, weights=body.validated_data["weights"],
                                      thresholds=body.validated_data["thresholds"])
        return Response(WhatIfRowSerializer(rows, many=True).data)


@extend_schema_view(**crud_docs(
    "partner score", "partner scores", only=("list", "retrieve"),
    about="Each partner's result per cycle: total, adjusted score, rank among peers, change and tier proposal; "
          "the detail explains it KPI by KPI (figure, score, weight, contribution). Tenant staff read every "
          "cycle; partner staff their own partner's published results.",
))
class PartnerScoreViewSet(ReadOnlyViewSet):
    filterset_fields = ["cycle", "partner", "partner_type"]
    ordering = ["-cycle__period_start", "partner_type", "rank"]
    read_roles = ANY_STAFF | PARTNER_ROLES
    partner_lookup = "partner"
    action_roles = {"adjust": SCORE_ADJUST.roles}

    def get_serializer_class(self):
        return PartnerScoreDetailSerializer if self.action in ("retrieve", "adjust") else PartnerScoreSerializer

    def get_base_queryset(self):
        queryset = selectors.score_list()
        access = getattr(self.request, "access", None)
        if access is not None and access.is_partner:
            queryset = queryset.filter(cycle__state=CycleState.PUBLISHED)
        return queryset

    @documented("Adjust a score", "A manager's adjustment of a partner's total while the cycle is computed, "
                "with the reason (recorded in its history; the tier proposal follows). adjusted_score null "
                "returns to the computed score.", request=ScoreAdjustSerializer,
                responses=PartnerScoreDetailSerializer)
    @action(detail=True, methods=["post"])
    def adjust(self, request, pk=None):
        score = self.get_object()
        body = ScoreAdjustSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.score_adjust(score=score, adjusted_score=body.validated_data["adjusted_score"],
                              reason=body.validated_data["reason"], actor=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=score.pk)).data)


@extend_schema_view(**crud_docs(
    "incentive statement", "incentive statements", only=("list", "retrieve"),
    about="Incentive statements (结算单) per partner and cycle, with lines that explain each amount: draft → "
          "approved → paid. Tenant staff read; partner staff read their own partner's statements of "
          "published cycles.",
))
class IncentiveStatementViewSet(ReadOnlyViewSet):
    serializer_class = IncentiveStatementSerializer
    filterset_fields = ["cycle", "partner", "state"]
    ordering = ["-cycle__period_start", "partner"]
    read_roles = ANY_STAFF | PARTNER_ROLES
    partner_lookup = "partner"
    action_roles = {"approve": STATEMENT_APPROVE.roles, "mark_paid": STATEMENT_APPROVE.roles}

    def get_base_queryset(self):
        queryset = selectors.statement_list().prefetch_related("lines__rule")
        access = getattr(self.request, "access", None)
        if access is not None and access.is_partner:
            queryset = queryset.filter(cycle__state=CycleState.PUBLISHED)
        return queryset

    @documented("Approve a statement", "Finance approves a draft statement of a confirmed or published cycle "
                "(400 before).", conflict=True, request=None, responses=IncentiveStatementSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        statement = services.statement_approve(statement=self.get_object(), actor=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=statement.pk)).data)

    @documented("Mark a statement paid", "Record the payment of an approved statement, with its reference.",
                conflict=True, request=StatementPaidSerializer, responses=IncentiveStatementSerializer)
    @action(detail=True, methods=["post"], url_path="mark-paid")
    def mark_paid(self, request, pk=None):
        body = StatementPaidSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        statement = services.statement_mark_paid(statement=self.get_object(), actor=request.user,
                                                 reference=body.validated_data["reference"])
        return Response(self.get_serializer(self.get_queryset().get(pk=statement.pk)).data)
