"""Training API for LMS and HR integrations: thin viewsets over the selectors and services.

Deny by default: each viewset names who reads and who writes (from ``training.permissions``);
the services check the actor again. Partner staff read their own partner's enrolments,
attempts and certificates and the published catalogue.
"""

from __future__ import annotations

from django.db import transaction
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from channelhub.api.viewsets import CrudViewSet, ReadOnlyViewSet
from channelhub.tenancy.roles import PARTNER_ROLES, STAFF_ROLES
from channelhub.writes import ServiceTrio

from .. import selectors, services
from ..models import EnrolmentState
from ..permissions import (
    ATTENDANCE_TAKE,
    CATALOG_MANAGE,
    CERTIFICATE_MANAGE,
    ENROL_OTHERS,
    PLAN_MANAGE,
    REPORTS_VIEW,
    SESSION_MANAGE,
)
from .serializers import (
    AttemptSerializer,
    AttendanceSerializer,
    CertificateSerializer,
    CountsSerializer,
    CourseSerializer,
    EnrolmentSerializer,
    GenerateSerializer,
    PlanReportSerializer,
    PlanTransitionSerializer,
    QuestionSerializer,
    ReasonSerializer,
    RevokeSerializer,
    SessionSerializer,
    SubmitSerializer,
    TrainingPlanSerializer,
)

STAFF = STAFF_ROLES
EVERYONE = STAFF_ROLES | PARTNER_ROLES
TRAINERS = CATALOG_MANAGE.roles & STAFF_ROLES


def _crud_docs(thing: str, things: str, *, write: str):
    return extend_schema_view(
        list=extend_schema(summary=f"List {things}", description=f"The {things} of the tenant, paginated."),
        create=extend_schema(summary=f"Create a {thing}", description=f"Create a {thing}. {write}"),
        retrieve=extend_schema(summary=f"Read a {thing}", description=f"One {thing} by id."),
        update=extend_schema(summary=f"Replace a {thing}", description=f"Replace a {thing}. {write}"),
        partial_update=extend_schema(summary=f"Change a {thing}", description=f"Change fields of a {thing}. {write}"),
        destroy=extend_schema(summary=f"Delete a {thing}",
                              description=f"Delete a {thing} nothing else refers to (else 400). {write}"),
    )


class RereadMixin:
    def perform_create(self, serializer) -> None:
        super().perform_create(serializer)
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)

    def perform_update(self, serializer) -> None:
        super().perform_update(serializer)
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)


@_crud_docs("course", "courses", write="Trainers, channel managers and owners.")
class CourseViewSet(CrudViewSet):
    """The course catalogue; partner staff read the published courses only."""

    serializer_class = CourseSerializer
    search_fields = ["code", "title", "description"]
    ordering_fields = ["code", "title", "kind"]
    ordering = ["kind", "code"]
    read_roles = EVERYONE
    write_roles = TRAINERS
    published_to_partners = True
    writes = ServiceTrio(create=services.course_create, update=services.course_update,
                         delete=services.course_delete, instance="course")

    def get_base_queryset(self):
        access = getattr(self.request, "access", None)
        if access is not None and access.is_partner:
            return selectors.published_courses()
        return selectors.course_list()


@_crud_docs("training plan", "training plans", write="Trainers, channel managers and owners; new plans are drafts.")
class TrainingPlanViewSet(RereadMixin, CrudViewSet):
    """Training plans (培训计划) with their progress."""

    serializer_class = TrainingPlanSerializer
    search_fields = ["name", "goals"]
    ordering_fields = ["starts_on", "name"]
    ordering = ["-starts_on", "name"]
    read_roles = STAFF
    write_roles = PLAN_MANAGE.roles & STAFF
    action_roles = {"report": REPORTS_VIEW.roles & STAFF}
    writes = ServiceTrio(create=services.plan_create, update=services.plan_update,
                         delete=services.plan_delete, instance="plan")

    def get_base_queryset(self):
        return selectors.plan_list()

    @extend_schema(request=PlanTransitionSerializer, responses=TrainingPlanSerializer,
                   summary="Publish or close a plan",
                   description="Draft → published → closed; an illegal move answers 409.")
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        plan = self.get_object()
        body = PlanTransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.plan_transition(plan=plan, to_status=body.validated_data["to_status"], actor=request.user,
                                 reason=body.validated_data.get("reason", ""))
        return Response(self.get_serializer(self.get_queryset().get(pk=plan.pk)).data)

    @extend_schema(request=GenerateSerializer, responses={201: SessionSerializer(many=True)},
                   summary="Generate the plan's programme",
                   description="One on-site session a month (2–3 days) and 1–2 online lessons a week over the "
                               "plan's period, created at once; a plan is generated once (else 400).")
    @action(detail=True, methods=["post"])
    def generate(self, request, pk=None):
        plan = self.get_object()
        body = GenerateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        programme = services.Programme(on_site_courses=data["on_site_courses"], online_courses=data["online_courses"],
                                       location=data["location"], online_url=data["online_url"],
                                       on_site_days=data["on_site_days"], online_per_week=data["online_per_week"],
                                       capacity=data["capacity"])
        with transaction.atomic():
            sessions = services.plan_generate_sessions(plan=plan, programme=programme, actor=request.user)
        return Response(SessionSerializer(sessions, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=CountsSerializer, summary="Enrol the plan's audience",
                   description="Enrol everyone the published plan trains in its upcoming sessions; full sessions "
                               "wait-list the rest. People already enrolled are skipped.")
    @action(detail=True, methods=["post"], url_path="enrol-audience")
    def enrol_audience(self, request, pk=None):
        plan = self.get_object()
        counts = services.plan_enrol_audience(plan=plan, actor=request.user)
        return Response({"enrolled": counts.get(EnrolmentState.ENROLLED, 0),
                         "waitlisted": counts.get(EnrolmentState.WAITLISTED, 0), "skipped": counts.get("skipped", 0)})

    @extend_schema(responses=PlanReportSerializer, summary="The plan's effectiveness report",
                   description="Attendance, pass rate, pre/post score gain, certified staff ratio, satisfaction; "
                               "sales of trained vs untrained partners say when there is no data yet.")
    @action(detail=True, methods=["get"])
    def report(self, request, pk=None):
        return Response(PlanReportSerializer(selectors.plan_report(self.get_object())).data)


@_crud_docs("session", "sessions", write="Trainers, channel managers and owners.")
class SessionViewSet(RereadMixin, CrudViewSet):
    """Sessions with their seats and waiting list; partner staff read the upcoming sessions of published plans."""

    serializer_class = SessionSerializer
    search_fields = ["title", "location"]
    ordering_fields = ["starts_at", "title"]
    ordering = ["starts_at"]
    read_roles = EVERYONE
    write_roles = SESSION_MANAGE.roles & STAFF
    action_roles = {"attendance": ATTENDANCE_TAKE.roles & STAFF}
    published_to_partners = True
    writes = ServiceTrio(create=services.session_create, update=services.session_update,
                         delete=services.session_delete, instance="session")

    def get_base_queryset(self):
        access = getattr(self.request, "access", None)
        if access is not None and access.is_partner:
            return selectors.open_sessions_for_partner(access.partner_id)
        return selectors.session_list()

    @extend_schema(request=AttendanceSerializer, responses=AttendanceSerializer,
                   summary="Take attendance", description="Mark enrolments attended or absent (once the session "
                                                          "started); attending a course without a final assessment "
                                                          "completes it.")
    @action(detail=True, methods=["post"])
    def attendance(self, request, pk=None):
        session = self.get_object()
        body = AttendanceSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with transaction.atomic():
            counts = services.attendance_record(session=session, marks=body.validated_data["marks"],
                                                actor=request.user)
        return Response({"marks": body.validated_data["marks"], "counts": counts})


@extend_schema_view(
    list=extend_schema(summary="List enrolments", description="Enrolments; partner staff see their partner's."),
    create=extend_schema(summary="Enrol someone", description="A seat while there is one, else the waiting list. "
                                                              "Partner admins enrol their own staff."),
    retrieve=extend_schema(summary="Read an enrolment", description="One enrolment by id."),
)
class EnrolmentViewSet(mixins.CreateModelMixin, ReadOnlyViewSet):
    """Enrolments in sessions (seat or waiting list)."""

    serializer_class = EnrolmentSerializer
    ordering = ["session", "state", "waitlist_position"]
    read_roles = EVERYONE
    write_roles = ENROL_OTHERS.roles
    partner_lookup = "partner"

    def get_base_queryset(self):
        return selectors.enrolment_list()

    def perform_create(self, serializer) -> None:
        data = serializer.validated_data
        with transaction.atomic():
            enrolment = services.enrolment_create(session=data["session"], trainee=data["trainee"],
                                                  actor=self.request.user)
        serializer.instance = enrolment

    @extend_schema(request=ReasonSerializer, responses=EnrolmentSerializer, summary="Cancel an enrolment",
                   description="The seat goes to the first person on the waiting list.")
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        enrolment = self.get_object()
        body = ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.enrolment_cancel(enrolment=enrolment, actor=request.user,
                                  reason=body.validated_data.get("reason", ""))
        return Response(self.get_serializer(self.get_queryset().get(pk=enrolment.pk)).data)


@extend_schema_view(
    list=extend_schema(summary="List certificates", description="Certificates; partner staff see their partner's."),
    retrieve=extend_schema(summary="Read a certificate", description="One certificate by id, with its status."),
)
class CertificateViewSet(ReadOnlyViewSet):
    """Certificates (issued by the rules or verified qualifications)."""

    serializer_class = CertificateSerializer
    search_fields = ["number", "verification_code"]
    ordering = ["-issued_on"]
    read_roles = EVERYONE
    action_roles = {"revoke": CERTIFICATE_MANAGE.roles & STAFF}
    partner_lookup = "partner"

    def get_base_queryset(self):
        return selectors.certificate_list()

    @extend_schema(request=RevokeSerializer, responses=CertificateSerializer, summary="Revoke a certificate",
                   description="Revoke with a reason (shown on the public verification page).")
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        certificate = self.get_object()
        body = RevokeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.certificate_revoke(certificate=certificate, actor=request.user, reason=body.validated_data["reason"])
        return Response(self.get_serializer(self.get_queryset().get(pk=certificate.pk)).data)


@extend_schema_view(
    list=extend_schema(summary="List attempts", description="Assessment attempts; partner staff see their partner's."),
    create=extend_schema(summary="Start an attempt",
                         description="Start (or resume) the caller's attempt: the server fixes the deadline and the "
                                     "question order; the attempts limit is enforced."),
    retrieve=extend_schema(summary="Read an attempt", description="One attempt, with the seconds left."),
)
class AttemptViewSet(mixins.CreateModelMixin, ReadOnlyViewSet):
    """Assessment attempts, taken by the caller. Correct options never leave the server."""

    serializer_class = AttemptSerializer
    ordering = ["-started_at"]
    read_roles = EVERYONE
    write_roles = EVERYONE
    partner_lookup = "partner"

    def get_base_queryset(self):
        return selectors.attempt_list()

    def perform_create(self, serializer) -> None:
        serializer.instance = services.attempt_start(assessment=serializer.validated_data["assessment"],
                                                     actor=self.request.user)

    @extend_schema(responses=QuestionSerializer(many=True), summary="The attempt's questions",
                   description="In the trainee's order, with the options' text only (never which is correct).")
    @action(detail=True, methods=["get"])
    def questions(self, request, pk=None):
        attempt = self.get_object()
        return Response(QuestionSerializer(selectors.attempt_questions(attempt), many=True).data)

    @extend_schema(request=SubmitSerializer, responses=AttemptSerializer, summary="Submit an attempt",
                   description="Grade on the server; after the deadline the attempt scores nothing.")
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        attempt = self.get_object()
        body = SubmitSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        attempt = services.attempt_submit(attempt=attempt, answers=body.validated_data["answers"], actor=request.user)
        return Response(self.get_serializer(attempt).data)


