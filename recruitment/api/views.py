"""Recruitment API: thin viewsets over the selectors and services (deny by default, roles per view)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiParameter, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response

from channelhub.api.schema import crud_docs, documented
from channelhub.api.serializers import HistoryEntrySerializer
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
from .pagination import ApplicationPagination
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


@extend_schema_view(**crud_docs(
    "recruitment plan", "recruitment plans",
    about="Tenant staff read; channel managers and owners write.",
    list=("List recruitment plans", "The tenant's recruitment plans with live progress (applications, "
                                    "approved, onboarded, budget used), newest first."),
    create=("Create a recruitment plan", "Create a plan (draft) with its targets per region and partner type "
                                         "in one body; the change is audited."),
    update=("Replace a recruitment plan", "Replace the plan's fields (targets are edited through "
                                          "`/recruitment/targets/`); the change is audited."),
))
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

    @documented(
        "Plan progress",
        "The plan's progress and every target's: applications, approved and onboarded partners against "
        "the target number, completion and budget used (two queries, however many targets).",
        responses=PlanProgressSerializer,
    )
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
        responses=RecruitmentPlanSerializer, summary="Activate or close a plan",
        doc="Move the plan (draft → active → closed) with a reason; the move is logged. A move the plan's "
            "workflow does not allow answers 409. Channel managers and owners.",
    )


@extend_schema_view(**crud_docs(
    "recruitment target", "recruitment targets",
    about="A target is a plan × region × partner type × number, with its progress. Tenant staff read; "
          "channel managers and owners write.",
))
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


@extend_schema_view(**crud_docs(
    "campaign", "campaigns",
    about="Campaigns by source (advertising, media, exhibition, referral, website) with their cost and "
          "funnel. Tenant staff read; channel managers and owners write.",
))
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
        responses=CampaignSerializer, summary="Start, finish or cancel a campaign",
        doc="Move the campaign (planned → running → finished, or cancelled) with a reason; the move is "
            "logged. A move its workflow does not allow answers 409. Channel managers and owners.",
    )

    @documented(
        "Campaign funnel",
        "The campaign's funnel (applications → qualified → approved → onboarded → active) and cost per "
        "recruited partner: the same figures as the list, for one campaign.",
        responses=CampaignSerializer,
    )
    @action(detail=True, methods=["get"])
    def funnel(self, request, pk=None):
        """The campaign's funnel and cost per recruited partner (the same figures as the list)."""
        return Response(self.get_serializer(self.get_object()).data)


# --------------------------------------------------------------------------- configuration


@extend_schema_view(**crud_docs(
    "recruitment criterion", "recruitment criteria",
    about="Criteria (招募条件和标准) have a category, a weight, a scale and an optional knock-out threshold. "
          "Tenant staff read; channel managers and owners write.",
))
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


@extend_schema_view(**crud_docs(
    "scorecard template", "scorecard templates",
    about="One template per partner type, listing its criteria with weight overrides and order. Tenant "
          "staff read; channel managers and owners write.",
))
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


@extend_schema_view(**crud_docs(
    "approval step", "approval steps",
    about="The approval chain (审批流程): ordered steps, each decided by one role. Tenant staff read; the "
          "owner writes.",
))
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


@extend_schema_view(**crud_docs(
    "onboarding task template", "onboarding task templates",
    about="The checklist every new partner gets; other modules tick items by their key. Tenant staff read; "
          "channel managers and owners write.",
))
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


@extend_schema_view(
    list=documented("List applications",
                    "Partner applications (入驻申请) of the tenant, newest first, with state, scores so far and "
                    "duplicate flags. Filter by state, plan, campaign, partner type, region, awaiting my score "
                    "…; search names, credit codes and contacts. `?page=` pages with a count; for deep pages "
                    "pass `?cursor=` (empty for the first page, then follow `next`): keyset pages without a "
                    "count, ordered by `created_at` (default, newest first), `state_changed_at` or "
                    "`legal_name` (another ordering with a cursor answers 400). Tenant staff."),
    retrieve=documented("Read an application",
                        "One application with its regions, decisions at each approval step, reviewers and the "
                        "scores you may see (none of another reviewer's before your own). Tenant staff."),
    update=documented("Correct an application (PUT)",
                      "Same as PATCH: correct company or contact data (draft, submitted or screening only); "
                      "only the fields sent change. Channel managers and owners."),
)
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
    pagination_class = ApplicationPagination  # ?cursor= for deep pages of a large tenant
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

    @documented(
        "Submit an application",
        "Create *and submit* an application: integrations with an API key (source `api`) or staff entering "
        "one. At least one region is required; the duplicate check runs and the applicant is e-mailed a "
        "tracking link. Channel managers and owners (and their keys).",
        request=ApplicationWriteSerializer, responses={201: ApplicationDetailSerializer},
    )
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

    @documented(
        "Correct an application",
        "Correct company or contact data (draft, submitted or screening only; later states answer 400); "
        "only the fields sent change, audited. Channel managers and owners.",
        request=ApplicationWriteSerializer, responses=ApplicationDetailSerializer,
    )
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

    @documented(
        "Submit a draft application",
        "Submit a draft (draft → submitted): the duplicate check runs and the applicant is told. Any other "
        "state answers 409. Channel managers and owners.",
        conflict=True, request=None, responses=ApplicationDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Submit a draft."""
        application = self.get_object()
        services.application_submit(tenant=self.tenant, application=application, actor=request.user,
                                    source=application.source)
        return self._detail(application)

    @documented(
        "Move an application",
        "Move the application through screening and scoring (screening, scoring, in_review, rejected "
        "before review, withdrawn) with a reason; leaving review is `decide`. The move is logged; one its "
        "workflow does not allow answers 409. Channel managers and owners.",
        conflict=True, request=ApplicationTransitionSerializer, responses=ApplicationDetailSerializer,
    )
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

    @documented(
        "Assign reviewers",
        "Assign tenant staff to score the application (each scores on their own; nobody sees another's "
        "scores before submitting theirs). Channel managers and owners.",
        request=AssignReviewersSerializer, responses=ApplicationDetailSerializer,
    )
    @action(detail=True, methods=["post"], url_path="assign-reviewers")
    def assign_reviewers(self, request, pk=None):
        application = self.get_object()
        body = AssignReviewersSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.application_assign_reviewers(application=application, reviewers=body.validated_data["reviewers"],
                                              actor=request.user)
        return self._detail(application)

    @documented(
        "Remove reviewers",
        "Take reviewers off the application before review; one who already scored cannot be removed (400). "
        "Channel managers and owners.",
        request=AssignReviewersSerializer, responses=ApplicationDetailSerializer,
    )
    @action(detail=True, methods=["post"], url_path="remove-reviewers")
    def remove_reviewers(self, request, pk=None):
        """Take reviewers off the application (before review); refused for one who already scored."""
        application = self.get_object()
        body = AssignReviewersSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.application_remove_reviewers(application=application, reviewers=body.validated_data["reviewers"],
                                              actor=request.user)
        return self._detail(application)

    @documented(
        "List scorecards",
        "The application's scorecards you may see: your own, and the others' once yours is submitted "
        "(managers see all). Each with its weighted total and knock-outs. Tenant staff.",
        methods=["get"], responses=ScorecardSerializer(many=True),
    )
    @documented(
        "Submit your scorecard",
        "Score the application on its template's criteria (criterion id → score on its scale), or revise "
        "your scorecard while scoring is open. Only an assigned reviewer may; an API key never scores.",
        methods=["post"], request=ScorecardSubmitSerializer, responses={201: ScorecardSerializer},
    )
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

    @documented(
        "Decide at the current approval step",
        "Approve, reject or return (to scoring or screening) with a comment, at the application's current "
        "approval step: only the step's role, one step per person per round, never with an API key. A "
        "decision on a step that is no longer current (someone decided first) answers 409. The applicant "
        "is told the outcome.",
        conflict=True, request=DecideSerializer, responses={201: DecisionSerializer},
    )
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

    @documented(
        "Questions and answers",
        "The thread between reviewers and the applicant, oldest first. Managers and legal.",
        methods=["get"], responses=MessageSerializer(many=True),
    )
    @documented(
        "Ask the applicant a question",
        "Post a question to the applicant, who is e-mailed and answers on the tracking page. Managers and legal.",
        methods=["post"], request=MessageSerializer, responses={201: MessageSerializer},
    )
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

    @documented(
        "List an application's documents",
        "The applicant's documents (business licence, certificates…): kind, name, size, upload time. Files "
        "are downloaded through an access-checked page, not here. Channel managers and owners.",
        methods=["get"], responses=DocumentSerializer(many=True),
    )
    @documented(
        "Add a document",
        "Upload a document (multipart: `kind`, `file`; PDF, JPEG or PNG, checked by content; size-limited, "
        "413 beyond). Channel managers and owners.",
        methods=["post"], request={"multipart/form-data": DocumentUploadSerializer},
        responses={201: DocumentSerializer},
    )
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

    @documented(
        "Check for duplicates again",
        "Run the duplicate check again (same credit code or near-identical name, against applications and "
        "partners), e.g. after partners were imported. Channel managers and owners.",
        request=None, responses=ApplicationDetailSerializer,
    )
    @action(detail=True, methods=["post"], url_path="check-duplicates")
    def check_duplicates(self, request, pk=None):
        """Run the duplicate check again (e.g. after new partners were imported)."""
        application = self.get_object()
        services.application_check_duplicates(application=application, actor=request.user)
        return self._detail(application)

    @documented(
        "Application's audit trail",
        "The application's changes, newest first (at most 200): who, when, which fields from what to what, "
        "and why. Tenant staff.",
        responses=HistoryEntrySerializer(many=True),
    )
    @action(detail=True, methods=["get"])
    def history(self, request, pk=None):
        """The application's audit trail, newest first."""
        application = self.get_object()
        records = application.history.select_related("history_user").order_by("-history_date")[:200]
        return Response(HistoryEntrySerializer(records, many=True).data)


# --------------------------------------------------------------------------- onboarding


@extend_schema_view(**crud_docs(
    "onboarding task", "onboarding tasks", only=("list", "retrieve"),
    about="Tenant staff read every partner's; partner staff their own partner's.",
    list=("List onboarding tasks", "Onboarding checklist items of new partners (filter by partner, done, "
                                   "required), in checklist order. Partner staff see their own partner's."),
))
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

    @documented(
        "Tick an onboarding task",
        "Mark the item done with an optional note (source manual); the partner becomes active when every "
        "required item is done. Channel managers and owners.",
        request=OnboardingCompleteSerializer, responses=OnboardingTaskSerializer,
    )
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """Tick the item; the partner becomes active when every required item is done."""
        task = self.get_object()
        body = OnboardingCompleteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.onboarding_task_complete(partner=task.partner, key=task.key, actor=request.user, source="manual",
                                          note=body.validated_data.get("note", ""))
        return Response(self.get_serializer(self.get_queryset().get(pk=task.pk)).data)

    @documented(
        "Reopen an onboarding task",
        "Mark a done item as open again, with a reason (the partner's status does not change). Channel "
        "managers and owners.",
        request=ReasonMixin, responses=OnboardingTaskSerializer,
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        task = self.get_object()
        body = ReasonMixin(data=request.data)
        body.is_valid(raise_exception=True)
        services.onboarding_task_reopen(task=task, actor=request.user, reason=body.validated_data.get("reason", ""))
        return Response(self.get_serializer(self.get_queryset().get(pk=task.pk)).data)

    @documented(
        "Activate the partner early",
        "Activate this item's partner before its checklist is complete; a reason is required (400 without). "
        "A partner that is not onboarding answers 409. Channel managers and owners.",
        conflict=True, request=PartnerActivateSerializer, responses=OnboardingTaskSerializer,
    )
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
    ``Accept`` header) downloads them as a file; ``by`` chooses the grouping. Read from the
    reports' rollup (the hourly job ``recruitment.report_rollup``; ``computed_at`` says when):
    a fixed number of queries, none over the applications.
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

    @documented(
        "Recruitment funnel report",
        "Applications → qualified → approved → active partners, grouped `by` plan (default), campaign, "
        "sales area or partner type. `?format=csv` or `?format=xlsx` downloads it. Channel managers and owners.",
        parameters=[OpenApiParameter("by", str, enum=list(reports.GROUPINGS["funnel"]),
                                     description="plan (default), campaign, region (sales area) or partner_type")],
        responses=ReportSerializer,
    )
    @action(detail=False, methods=["get"])
    def funnel(self, request):
        """Applications → qualified → approved → active partners, grouped ``by``."""
        return self._report(request, "funnel")

    @documented(
        "Time-to-decision report",
        "Average and median days from submission to approval or rejection, grouped `by` outcome (default), "
        "partner type or month. `?format=csv` or `?format=xlsx` downloads it. Channel managers and owners.",
        parameters=[OpenApiParameter("by", str, enum=list(reports.GROUPINGS["time-to-decision"]),
                                     description="outcome (default), partner_type or month")],
        responses=ReportSerializer,
    )
    @action(detail=False, methods=["get"], url_path="time-to-decision")
    def time_to_decision(self, request):
        """Average and median days from submission to approval or rejection."""
        return self._report(request, "time-to-decision")

    @documented(
        "Reviewer workload report",
        "Per reviewer: applications assigned, scored and pending, and average days to score. `?format=csv` "
        "or `?format=xlsx` downloads it. Channel managers and owners.",
        responses=ReportSerializer,
    )
    @action(detail=False, methods=["get"], url_path="reviewer-workload")
    def reviewer_workload(self, request):
        """Per reviewer: assigned, scored, pending, average days to score."""
        return self._report(request, "reviewer-workload")
