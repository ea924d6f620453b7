"""Recruitment API: thin viewsets over the selectors and services (deny by default, roles per view)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response

from channelhub.api.viewsets import CrudViewSet, ReadOnlyViewSet, TenantScopedViewSet, transition_action
from channelhub.tenancy.models import ApiKey
from channelhub.tenancy.roles import ANY_STAFF, PARTNER_ROLES
from channelhub.writes import ServiceTrio

from .. import reports, selectors, services
from ..filtersets import (
    ApplicationFilterSet,
    ApprovalStepFilterSet,
    CampaignFilterSet,
    CriterionFilterSet,
    OnboardingTaskFilterSet,
    OnboardingTaskTemplateFilterSet,
    RecruitmentPlanFilterSet,
    RecruitmentTargetFilterSet,
    ScorecardTemplateFilterSet,
)
from ..models import (
    Application,
    ApplicationSource,
    ApprovalStep,
    Criterion,
    OnboardingTaskTemplate,
    ScorecardTemplate,
    TemplateCriterion,
)
from ..permissions import (
    APPLICATION_DECIDE,
    APPLICATION_MANAGE,
    APPLICATION_QUESTION,
    APPLICATION_SCORE,
    APPROVAL_CHAIN_MANAGE,
    ONBOARDING_MANAGE,
    PLAN_MANAGE,
    REPORTS_VIEW,
    SETUP_MANAGE,
)
from .renderers import ReportCSVRenderer, ReportXLSXRenderer
from .serializers import (
    ApplicationDetailSerializer,
    ApplicationSerializer,
    ApplicationTransitionSerializer,
    ApplicationWriteSerializer,
    ApprovalStepSerializer,
    AssignReviewersSerializer,
    CampaignSerializer,
    CampaignTransitionSerializer,
    CriterionSerializer,
    DecideSerializer,
    DecisionSerializer,
    DocumentSerializer,
    DocumentUploadSerializer,
    MessageSerializer,
    OnboardingCompleteSerializer,
    OnboardingTaskSerializer,
    OnboardingTaskTemplateSerializer,
    PartnerActivateSerializer,
    PlanProgressSerializer,
    PlanTransitionSerializer,
    ReasonMixin,
    RecruitmentPlanSerializer,
    RecruitmentTargetSerializer,
    ReportSerializer,
    ScorecardSerializer,
    ScorecardSubmitSerializer,
    ScorecardTemplateSerializer,
)

# Who may call what comes from the permission table the services check (recruitment.permissions).
# Who may decide is checked per step by the service (the step's role); anyone on staff may try.
DECIDERS = APPLICATION_DECIDE.roles
# Reviewers are any staff; the service checks the assignment.
REVIEWERS = APPLICATION_SCORE.roles
ASKERS = APPLICATION_QUESTION.roles


class RereadMixin:
    """After a write, answer with the row as the list shows it (re-read through the scoped selector)."""

    def perform_create(self, serializer) -> None:
        super().perform_create(serializer)
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)

    def perform_update(self, serializer) -> None:
        super().perform_update(serializer)
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)


# --------------------------------------------------------------------------- plans, targets, campaigns


class RecruitmentPlanViewSet(RereadMixin, CrudViewSet):
    """Recruitment plans with live progress (applications, approved, onboarded, cost so far)."""

    serializer_class = RecruitmentPlanSerializer
    filterset_class = RecruitmentPlanFilterSet
    search_fields = ["name", "description"]
    ordering_fields = ["start_date", "end_date", "name", "budget"]
    ordering = ["-start_date", "name"]
    read_roles = ANY_STAFF
    write_roles = PLAN_MANAGE.roles
    writes = ServiceTrio(create=services.plan_create, update=services.plan_update,
                         delete=services.plan_delete, instance="plan")

    def get_base_queryset(self):
        return selectors.plan_list()

    def update_object(self, instance, data):
        data.pop("targets", None)
        return super().update_object(instance, data)

    @extend_schema(responses=PlanProgressSerializer)
    @action(detail=True, methods=["get"])
    def progress(self, request, pk=None):
        """The plan's progress with every target's (two queries, however many targets)."""
        plan = self.get_object()
        progress = selectors.plan_progress(plan_id=plan.pk)
        return Response(PlanProgressSerializer({
            "plan": progress.plan, "targets": progress.targets, "completion": progress.completion,
            "budget_used": progress.budget_used,
        }).data)

    transition = transition_action(
        service=services.plan_transition, instance="plan", body=PlanTransitionSerializer,
        responses=RecruitmentPlanSerializer, doc="Activate or close the plan; an illegal move answers 409.",
    )


class RecruitmentTargetViewSet(RereadMixin, CrudViewSet):
    """Targets of plans (region x partner type x number), with progress."""

    serializer_class = RecruitmentTargetSerializer
    filterset_class = RecruitmentTargetFilterSet
    ordering_fields = ["plan", "region__path", "partner_type", "target_count"]
    ordering = ["plan", "region__path", "partner_type"]
    read_roles = ANY_STAFF
    write_roles = PLAN_MANAGE.roles
    writes = ServiceTrio(create=services.target_create, update=services.target_update,
                         delete=services.target_delete, instance="target")

    def get_base_queryset(self):
        return selectors.target_list()


class CampaignViewSet(RereadMixin, CrudViewSet):
    """Campaigns with their funnel (applications → qualified → approved → onboarded → active)."""

    serializer_class = CampaignSerializer
    filterset_class = CampaignFilterSet
    search_fields = ["name", "code", "notes"]
    ordering_fields = ["start_date", "name", "code", "cost"]
    ordering = ["-start_date", "name"]
    read_roles = ANY_STAFF
    write_roles = PLAN_MANAGE.roles
    writes = ServiceTrio(create=services.campaign_create, update=services.campaign_update,
                         delete=services.campaign_delete, instance="campaign")

    def get_base_queryset(self):
        return selectors.campaign_list()

    transition = transition_action(
        service=services.campaign_transition, instance="campaign", body=CampaignTransitionSerializer,
        responses=CampaignSerializer, doc="Start, finish or cancel the campaign; an illegal move answers 409.",
    )

    @extend_schema(responses=CampaignSerializer)
    @action(detail=True, methods=["get"])
    def funnel(self, request, pk=None):
        """The campaign's funnel and cost per recruited partner (the same figures as the list)."""
        return Response(self.get_serializer(self.get_object()).data)


# --------------------------------------------------------------------------- configuration


class CriterionViewSet(CrudViewSet):
    """Recruitment criteria (招募条件和标准) with weight, scale and knock-out threshold."""

    serializer_class = CriterionSerializer
    filterset_class = CriterionFilterSet
    search_fields = ["name", "guidance"]
    ordering_fields = ["order", "name", "category", "weight"]
    ordering = ["order", "category", "name"]
    read_roles = ANY_STAFF
    write_roles = SETUP_MANAGE.roles
    writes = ServiceTrio(create=services.criterion_create, update=services.criterion_update,
                         delete=services.criterion_delete, instance="criterion")

    def get_base_queryset(self):
        return Criterion.objects.all()


class ScorecardTemplateViewSet(RereadMixin, CrudViewSet):
    """Scorecard templates per partner type, with their criteria (weight override, order)."""

    serializer_class = ScorecardTemplateSerializer
    filterset_class = ScorecardTemplateFilterSet
    search_fields = ["name"]
    ordering = ["partner_type", "name"]
    read_roles = ANY_STAFF
    write_roles = SETUP_MANAGE.roles

    def get_base_queryset(self):
        return ScorecardTemplate.objects.prefetch_related(
            Prefetch("items", queryset=TemplateCriterion.objects.select_related("criterion"))
        )
    writes = ServiceTrio(create=services.scorecard_template_create, update=services.scorecard_template_update,
                         delete=services.scorecard_template_delete, instance="template")


class ApprovalStepViewSet(CrudViewSet):
    """The tenant's approval chain (审批流程): ordered steps, each decided by one role."""

    serializer_class = ApprovalStepSerializer
    filterset_class = ApprovalStepFilterSet
    ordering = ["order"]
    read_roles = ANY_STAFF
    write_roles = APPROVAL_CHAIN_MANAGE.roles
    writes = ServiceTrio(create=services.approval_step_create, update=services.approval_step_update,
                         delete=services.approval_step_delete, instance="step")

    def get_base_queryset(self):
        return ApprovalStep.objects.all()


class OnboardingTaskTemplateViewSet(CrudViewSet):
    """The onboarding checklist every new partner gets (keys are ticked by other modules)."""

    serializer_class = OnboardingTaskTemplateSerializer
    filterset_class = OnboardingTaskTemplateFilterSet
    ordering = ["order", "key"]
    read_roles = ANY_STAFF
    write_roles = SETUP_MANAGE.roles
    writes = ServiceTrio(create=services.onboarding_template_create, update=services.onboarding_template_update,
                         delete=services.onboarding_template_delete, instance="template")

    def get_base_queryset(self):
        return OnboardingTaskTemplate.objects.all()


# --------------------------------------------------------------------------- applications


class ApplicationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, TenantScopedViewSet
):
    """Partner applications (入驻申请).

    ``POST`` creates *and submits* an application (integrations with an API key do this;
    source ``api``). Moves: ``transition`` (screening, scoring, in_review, rejected before
    review, withdrawn), ``decide`` at the current approval step (approve / reject / return),
    both 409 when illegal or stale. Scorecards are independent: an assigned reviewer sees no
    other reviewer's scores until they submitted their own.
    """

    filterset_class = ApplicationFilterSet
    search_fields = ["legal_name", "credit_code", "contact_name", "contact_email"]
    ordering_fields = ["created_at", "submitted_at", "legal_name", "state_changed_at", "decided_at"]
    ordering = ["-created_at", "-id"]
    read_roles = ANY_STAFF
    write_roles = APPLICATION_MANAGE.roles
    action_roles = {
        "decide": DECIDERS,
        "scorecards": REVIEWERS,
        "messages": ASKERS,
        "documents": APPLICATION_MANAGE.roles,
    }
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_base_queryset(self):
        queryset = selectors.application_list()
        if self.action != "list":
            queryset = queryset.prefetch_related("decisions__step", "decisions__actor")
        return queryset

    def get_serializer_class(self):
        if self.action in ("create", "partial_update", "update"):
            return ApplicationWriteSerializer
        if self.action == "list":
            return ApplicationSerializer
        return ApplicationDetailSerializer

    def _detail(self, application, status_code=status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=application.pk)
        return Response(ApplicationDetailSerializer(fresh, context=self.get_serializer_context()).data,
                        status=status_code)

    @extend_schema(request=ApplicationWriteSerializer, responses={201: ApplicationDetailSerializer})
    def create(self, request, *args, **kwargs):
        """Create and submit an application (an integration or staff entering one)."""
        body = ApplicationWriteSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        source = ApplicationSource.API if isinstance(request.auth, ApiKey) else ApplicationSource.STAFF
        data = dict(body.validated_data)
        campaign = data.pop("campaign", None)
        application = services.application_submit(
            tenant=self.tenant, data=data, campaign=campaign, source=source, actor=request.user
        )
        return self._detail(application, status.HTTP_201_CREATED)

    @extend_schema(request=ApplicationWriteSerializer, responses=ApplicationDetailSerializer)
    def partial_update(self, request, *args, **kwargs):
        """Correct company or contact data (draft, submitted or screening only)."""
        application = self.get_object()
        body = ApplicationWriteSerializer(application, data=request.data, partial=True,
                                          context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        with transaction.atomic():
            services.application_update(application=application, actor=request.user, data=body.validated_data)
        return self._detail(application)

    def update(self, request, *args, **kwargs):
        kwargs["partial"] = True
        return self.partial_update(request, *args, **kwargs)

    @extend_schema(request=None, responses=ApplicationDetailSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Submit a draft."""
        application = self.get_object()
        services.application_submit(tenant=self.tenant, application=application, actor=request.user,
                                    source=application.source)
        return self._detail(application)

    @extend_schema(request=ApplicationTransitionSerializer, responses=ApplicationDetailSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Move the application (not out of review: that is ``decide``); illegal moves answer 409."""
        application = self.get_object()
        body = ApplicationTransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        to_state, reason = body.validated_data["to_state"], body.validated_data.get("reason", "")
        if to_state == "withdrawn":
            services.application_withdraw(application=application, actor=request.user, reason=reason)
        else:
            services.application_transition(application=application, to_state=to_state, actor=request.user,
                                            reason=reason)
        return self._detail(application)

    @extend_schema(request=AssignReviewersSerializer, responses=ApplicationDetailSerializer)
    @action(detail=True, methods=["post"], url_path="assign-reviewers")
    def assign_reviewers(self, request, pk=None):
        application = self.get_object()
        body = AssignReviewersSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.application_assign_reviewers(application=application, reviewers=body.validated_data["reviewers"],
                                              actor=request.user)
        return self._detail(application)

    @extend_schema(request=AssignReviewersSerializer, responses=ApplicationDetailSerializer)
    @action(detail=True, methods=["post"], url_path="remove-reviewers")
    def remove_reviewers(self, request, pk=None):
        """Take reviewers off the application (before review); refused for one who already scored."""
        application = self.get_object()
        body = AssignReviewersSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.application_remove_reviewers(application=application, reviewers=body.validated_data["reviewers"],
                                              actor=request.user)
        return self._detail(application)

    @extend_schema(methods=["get"], responses=ScorecardSerializer(many=True))
    @extend_schema(methods=["post"], request=ScorecardSubmitSerializer, responses={201: ScorecardSerializer})
    @action(detail=True, methods=["get", "post"])
    def scorecards(self, request, pk=None):
        """GET: the scorecards you may see. POST: submit (or revise) your own scorecard."""
        application = self.get_object()
        if request.method == "POST":
            body = ScorecardSubmitSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            scorecard = services.scorecard_submit(
                application=application, reviewer=request.user, scores=body.validated_data["scores"],
                comment=body.validated_data.get("comment", ""),
            )
            fresh = selectors.scorecard_list(application=application).get(pk=scorecard.pk)
            return Response(ScorecardSerializer(fresh).data, status=status.HTTP_201_CREATED)
        cards = selectors.visible_scorecards(application=application, user=request.user)
        return Response(ScorecardSerializer(cards, many=True).data)

    @extend_schema(request=DecideSerializer, responses=DecisionSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        """Approve, reject or return at the current step (only the step's role); stale decisions answer 409."""
        application = self.get_object()
        body = DecideSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        decision = services.application_decide(
            application=application, actor=request.user, decision=data["decision"],
            comment=data.get("comment", ""), return_to=data.get("return_to") or "scoring", step=data.get("step"),
        )
        return Response(DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["get"], responses=MessageSerializer(many=True))
    @extend_schema(methods=["post"], request=MessageSerializer, responses={201: MessageSerializer})
    @action(detail=True, methods=["get", "post"])
    def messages(self, request, pk=None):
        """The Q&A thread with the applicant. POST asks a question (the applicant is e-mailed)."""
        application = self.get_object()
        if request.method == "POST":
            body = MessageSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            message = services.application_ask_question(application=application, actor=request.user,
                                                        body=body.validated_data["body"])
            return Response(MessageSerializer(message).data, status=status.HTTP_201_CREATED)
        return Response(MessageSerializer(selectors.application_messages(application=application), many=True).data)

    @extend_schema(methods=["get"], responses=DocumentSerializer(many=True))
    @extend_schema(methods=["post"], request={"multipart/form-data": DocumentUploadSerializer},
                   responses={201: DocumentSerializer})
    @action(detail=True, methods=["get", "post"])
    def documents(self, request, pk=None):
        """The applicant's documents (metadata; files are served by an access-checking view)."""
        application = self.get_object()
        if request.method == "POST":
            body = DocumentUploadSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            document = services.application_add_document(
                application=application, kind=body.validated_data["kind"], file=body.validated_data["file"],
                actor=request.user,
            )
            return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)
        return Response(DocumentSerializer(selectors.application_documents(application=application), many=True).data)

    @extend_schema(request=None, responses=ApplicationDetailSerializer)
    @action(detail=True, methods=["post"], url_path="check-duplicates")
    def check_duplicates(self, request, pk=None):
        """Run the duplicate check again (e.g. after new partners were imported)."""
        application = self.get_object()
        services.application_check_duplicates(application=application, actor=request.user)
        return self._detail(application)

    @action(detail=True, methods=["get"])
    def history(self, request, pk=None):
        """The application's audit trail, newest first."""
        from channelhub.api.serializers import HistoryEntrySerializer

        application = self.get_object()
        records = application.history.select_related("history_user").order_by("-history_date")[:200]
        return Response(HistoryEntrySerializer(records, many=True).data)


# --------------------------------------------------------------------------- onboarding


class OnboardingTaskViewSet(ReadOnlyViewSet):
    """Onboarding checklists. Partner staff read their own; managers tick items or activate early."""

    serializer_class = OnboardingTaskSerializer
    filterset_class = OnboardingTaskFilterSet
    ordering = ["partner", "order", "key"]
    read_roles = ANY_STAFF | PARTNER_ROLES
    write_roles = ONBOARDING_MANAGE.roles
    action_roles = {
        "complete": ONBOARDING_MANAGE.roles, "reopen": ONBOARDING_MANAGE.roles,
        "activate_partner": ONBOARDING_MANAGE.roles,
    }
    partner_lookup = "partner"

    def get_base_queryset(self):
        return selectors.onboarding_task_list()

    @extend_schema(request=OnboardingCompleteSerializer, responses=OnboardingTaskSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """Tick the item; the partner becomes active when every required item is done."""
        task = self.get_object()
        body = OnboardingCompleteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.onboarding_task_complete(partner=task.partner, key=task.key, actor=request.user, source="manual",
                                          note=body.validated_data.get("note", ""))
        return Response(self.get_serializer(self.get_queryset().get(pk=task.pk)).data)

    @extend_schema(request=ReasonMixin, responses=OnboardingTaskSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        task = self.get_object()
        body = ReasonMixin(data=request.data)
        body.is_valid(raise_exception=True)
        services.onboarding_task_reopen(task=task, actor=request.user, reason=body.validated_data.get("reason", ""))
        return Response(self.get_serializer(self.get_queryset().get(pk=task.pk)).data)

    @extend_schema(request=ReasonMixin, responses=OnboardingTaskSerializer)
    @action(detail=True, methods=["post"], url_path="activate-partner")
    def activate_partner(self, request, pk=None):
        """Activate this item's partner before its checklist is complete (a reason is required)."""
        task = self.get_object()
        body = PartnerActivateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.partner_activate_early(partner=task.partner, actor=request.user,
                                        reason=body.validated_data["reason"])
        return Response(self.get_serializer(self.get_queryset().get(pk=task.pk)).data)


# --------------------------------------------------------------------------- reports


class RecruitmentReportViewSet(TenantScopedViewSet):
    """Recruitment reports (managers): the funnel, time to decision, reviewer workload.

    The same tables as the admin's reports page. ``?format=csv`` or ``?format=xlsx`` (or the
    ``Accept`` header) downloads them as a file; ``by`` chooses the grouping. A fixed number of
    queries however many applications there are.
    """

    read_roles = REPORTS_VIEW.roles
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, ReportCSVRenderer, ReportXLSXRenderer]
    pagination_class = None
    filter_backends: list = []

    def get_base_queryset(self):
        return Application.objects.none()

    def _report(self, request, name: str) -> Response:
        try:
            table = reports.build(name, request.query_params.get("by") or None)
        except reports.UnknownReport as error:
            raise ValidationError({"by": [str(error)]}) from error
        return Response(table.as_dict())

    @extend_schema(
        parameters=[OpenApiParameter("by", str, enum=list(reports.GROUPINGS["funnel"]),
                                     description="plan (default), campaign, region (sales area) or partner_type")],
        responses=ReportSerializer,
    )
    @action(detail=False, methods=["get"])
    def funnel(self, request):
        """Applications → qualified → approved → active partners, grouped ``by``."""
        return self._report(request, "funnel")

    @extend_schema(
        parameters=[OpenApiParameter("by", str, enum=list(reports.GROUPINGS["time-to-decision"]),
                                     description="outcome (default), partner_type or month")],
        responses=ReportSerializer,
    )
    @action(detail=False, methods=["get"], url_path="time-to-decision")
    def time_to_decision(self, request):
        """Average and median days from submission to approval or rejection."""
        return self._report(request, "time-to-decision")

    @extend_schema(responses=ReportSerializer)
    @action(detail=False, methods=["get"], url_path="reviewer-workload")
    def reviewer_workload(self, request):
        """Per reviewer: assigned, scored, pending, average days to score."""
        return self._report(request, "reviewer-workload")
