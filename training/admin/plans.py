"""Plans, sessions, enrolments and needs in the admin: generate the programme, enrol the audience,
take attendance (a page that works on a phone), read the plan report."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from channelhub.admin.base import TenantScopedAdmin, UserChoicesMixin, has_permission
from channelhub.tenancy.roles import STAFF_ROLES

from .. import selectors, services
from ..models import (
    CourseKind,
    Enrolment,
    EnrolmentState,
    PlanAudience,
    PlanState,
    Session,
    TrainingNeed,
    TrainingPlan,
)
from ..permissions import (
    ATTENDANCE_TAKE,
    ENROL_OTHERS,
    NEED_ASSESS,
    PLAN_MANAGE,
    REPORTS_VIEW,
    SESSION_MANAGE,
)
from ._common import ServiceInline, bulk, errors_of, staff_roles
from .forms import GenerateForm, TrainingPlanForm


def _audience_add(*, tenant, actor, plan, region=None, partner=None):
    return services.audience_add(plan=plan, actor=actor, region=region, partner=partner)


def _audience_update(*, audience, actor, **fields):
    services.audience_remove(audience=audience, actor=actor)
    return services.audience_add(plan=audience.plan, actor=actor, region=fields.get("region", audience.region),
                                 partner=fields.get("partner", audience.partner))


class AudienceInline(ServiceInline):
    model = PlanAudience
    fields = ("region", "partner")
    parent_field = "plan"
    autocomplete_fields = ("region", "partner")
    change_roles = staff_roles(PLAN_MANAGE)
    create, update, delete, instance = (staticmethod(_audience_add), staticmethod(_audience_update),
                                        staticmethod(services.audience_remove), "audience")


@admin.register(TrainingPlan)
class TrainingPlanAdmin(TenantScopedAdmin):
    view_roles = STAFF_ROLES
    change_roles = staff_roles(PLAN_MANAGE)
    list_display = ("name", "starts_on", "ends_on", "state", "include_channel_staff", "self_enrolment",
                    "session_count", "enrolment_count", "attended_count")
    list_filter = ("state", "include_channel_staff")
    search_fields = ("name", "goals")
    readonly_fields = ("state", "state_changed_at", "created_at")
    inlines = [AudienceInline]
    actions = ["publish", "close", "enrol_audience"]
    change_form_template = "training/admin/plan_change_form.html"
    form = TrainingPlanForm

    def get_queryset(self, request):
        return selectors.plan_list()

    def create_object(self, request, obj, fields):
        return services.plan_create(tenant=request.tenant, actor=request.user, **fields)

    def update_object(self, request, obj, fields):
        return services.plan_update(plan=obj, actor=request.user, **fields)

    def delete_object(self, request, obj):
        services.plan_delete(plan=obj, actor=request.user)

    @admin.display(description=_("sessions"), ordering="session_count")
    def session_count(self, obj):
        return obj.session_count

    @admin.display(description=_("enrolled"), ordering="enrolment_count")
    def enrolment_count(self, obj):
        return obj.enrolment_count

    @admin.display(description=_("attended"), ordering="attended_count")
    def attended_count(self, obj):
        return obj.attended_count

    def has_transition_permission(self, request) -> bool:
        return has_permission(request, PLAN_MANAGE)

    def has_report_permission(self, request) -> bool:
        return has_permission(request, REPORTS_VIEW)

    def get_urls(self):
        return [
            path("<int:pk>/generate/", self.admin_site.admin_view(self.generate_view),
                 name="training_trainingplan_generate"),
            path("<int:pk>/report/", self.admin_site.admin_view(self.report_view),
                 name="training_trainingplan_report"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "can_generate": self.has_transition_permission(request),
                         "can_report": self.has_report_permission(request)}
        return super().change_view(request, object_id, form_url, extra_context)

    def _transition(self, request, queryset, to_status, message):
        bulk(request, queryset, lambda plan: services.plan_transition(plan=plan, to_status=to_status,
                                                                      actor=request.user), message)

    @admin.action(description=_("Publish"), permissions=["transition"])
    def publish(self, request, queryset):
        self._transition(request, queryset, PlanState.PUBLISHED,
                         lambda n: ngettext("%(count)d plan published.", "%(count)d plans published.", n))

    @admin.action(description=_("Close"), permissions=["transition"])
    def close(self, request, queryset):
        self._transition(request, queryset, PlanState.CLOSED,
                         lambda n: ngettext("%(count)d plan closed.", "%(count)d plans closed.", n))

    @admin.action(description=_("Enrol the audience in the upcoming sessions"), permissions=["transition"])
    def enrol_audience(self, request, queryset):
        for plan in queryset:
            try:
                counts = services.plan_enrol_audience(plan=plan, actor=request.user)
            except (ValidationError, PermissionDenied) as error:
                messages.error(request, f"{plan}: {errors_of(error)}")
                continue
            messages.success(request, gettext("%(plan)s: %(enrolled)d enrolled, %(waitlisted)d wait-listed.") % {
                "plan": plan, "enrolled": counts.get(EnrolmentState.ENROLLED, 0),
                "waitlisted": counts.get(EnrolmentState.WAITLISTED, 0)})

    def generate_view(self, request, pk):
        """Generate the plan's programme of sessions in one action (trainers and managers)."""
        plan = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_transition_permission(request):
            raise PermissionDenied
        form = GenerateForm(request.POST if request.method == "POST" else None)
        if form.is_valid():
            data = form.cleaned_data
            programme = services.Programme(
                on_site_courses=list(data["on_site_courses"]), online_courses=list(data["online_courses"]),
                location=data["location"], online_url=data["online_url"], instructor=data["instructor"],
                on_site_days=data["on_site_days"], online_per_week=data["online_per_week"],
                capacity=data["capacity"])
            try:
                sessions = services.plan_generate_sessions(plan=plan, programme=programme, actor=request.user)
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(request, ngettext("%(count)d session generated.", "%(count)d sessions generated.",
                                                   len(sessions)) % {"count": len(sessions)})
                return HttpResponseRedirect(reverse("admin:training_session_changelist") + f"?plan__id__exact={pk}")
        context = {**self.admin_site.each_context(request), "title": gettext("Generate the programme"),
                   "opts": self.model._meta, "original": plan, "form": form}
        return TemplateResponse(request, "training/admin/generate.html", context)

    def report_view(self, request, pk):
        """The plan report: attendance, pass rates, score gain, certified staff, satisfaction, sales."""
        plan = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_report_permission(request):
            raise PermissionDenied
        report = selectors.plan_report(plan)
        context = {**self.admin_site.each_context(request), "title": gettext("Plan report: %(plan)s") % {
            "plan": plan}, "opts": self.model._meta, "original": plan, "report": report}
        return TemplateResponse(request, "training/admin/plan_report.html", context)


@admin.register(Session)
class SessionAdmin(TenantScopedAdmin):
    view_roles = STAFF_ROLES
    change_roles = staff_roles(SESSION_MANAGE)
    list_display = ("title", "course", "format", "starts_at", "ends_at", "instructor", "capacity", "seated_count",
                    "waitlist_count", "attended_count", "is_cancelled")
    list_filter = ("format", "is_cancelled", "plan")
    search_fields = ("title", "location")
    date_hierarchy = "starts_at"
    change_form_template = "training/admin/session_change_form.html"

    def get_queryset(self, request):
        return selectors.session_list()

    def create_object(self, request, obj, fields):
        return services.session_create(tenant=request.tenant, actor=request.user, **fields)

    def update_object(self, request, obj, fields):
        return services.session_update(session=obj, actor=request.user, **fields)

    def delete_object(self, request, obj):
        services.session_delete(session=obj, actor=request.user)

    def has_attendance_permission(self, request) -> bool:
        return has_permission(request, ATTENDANCE_TAKE)

    def get_urls(self):
        return [path("<int:pk>/attendance/", self.admin_site.admin_view(self.attendance_view),
                     name="training_session_attendance"), *super().get_urls()]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "can_take_attendance": self.has_attendance_permission(request)}
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description=_("seated"), ordering="seated_count")
    def seated_count(self, obj):
        return obj.seated_count

    @admin.display(description=_("waiting list"), ordering="waitlist_count")
    def waitlist_count(self, obj):
        return obj.waitlist_count

    @admin.display(description=_("attended"), ordering="attended_count")
    def attended_count(self, obj):
        return obj.attended_count

    def attendance_view(self, request, pk):
        """The register: one row per seated trainee, attended / absent; big targets for a phone."""
        session = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_attendance_permission(request):
            raise PermissionDenied
        rows = list(selectors.enrolment_list().filter(session=session, state__in=(
            EnrolmentState.ENROLLED, EnrolmentState.ATTENDED, EnrolmentState.ABSENT)).order_by(
            "partner__legal_name", "trainee__last_name", "trainee__username"))
        errors = []
        if request.method == "POST":
            marks = {row.pk: request.POST.get(f"mark_{row.pk}") for row in rows}
            marks = {pk: mark for pk, mark in marks.items() if mark in (EnrolmentState.ATTENDED,
                                                                        EnrolmentState.ABSENT)}
            try:
                counts = services.attendance_record(session=session, marks=marks, actor=request.user)
            except (ValidationError, PermissionDenied) as error:
                errors = [errors_of(error)]
            else:
                messages.success(request, gettext("Attendance saved: %(attended)d attended, %(absent)d absent.")
                                 % counts)
                return HttpResponseRedirect(request.path)
        context = {**self.admin_site.each_context(request), "title": gettext("Attendance: %(session)s") % {
            "session": session}, "opts": self.model._meta, "original": session, "rows": rows, "errors": errors}
        return TemplateResponse(request, "training/admin/attendance.html", context)


@admin.register(Enrolment)
class EnrolmentAdmin(TenantScopedAdmin):
    view_roles = STAFF_ROLES
    change_roles = staff_roles(ENROL_OTHERS)
    list_display = ("trainee", "partner", "session", "state", "waitlist_position", "created_at")
    list_filter = ("state",)
    search_fields = ("trainee__username", "trainee__first_name", "trainee__last_name", "session__title",
                     "partner__legal_name")
    fields = ("session", "trainee")
    readonly_fields = ("state", "waitlist_position", "partner", "enrolled_by", "created_at")
    actions = ["cancel"]
    autocomplete_fields = ("session",)

    def get_queryset(self, request):
        return selectors.enrolment_list()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "trainee":
            from channelhub.tenancy.models import Membership, User

            kwargs["queryset"] = User.objects.filter(
                pk__in=Membership.objects.filter(is_active=True).values("user_id")).order_by("username")
            return super(UserChoicesMixin, self).formfield_for_foreignkey(db_field, request, **kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return ("session", "trainee", *self.readonly_fields) if obj else self.readonly_fields

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_cancel_permission(self, request) -> bool:
        return has_permission(request, ENROL_OTHERS)

    def create_object(self, request, obj, fields):
        return services.enrolment_create(session=fields["session"], trainee=fields["trainee"], actor=request.user)

    @admin.action(description=_("Cancel (the seat goes to the next in line)"), permissions=["cancel"])
    def cancel(self, request, queryset):
        bulk(request, queryset.exclude(state=EnrolmentState.CANCELLED),
             lambda row: services.enrolment_cancel(enrolment=row, actor=request.user),
             lambda n: ngettext("%(count)d enrolment cancelled.", "%(count)d enrolments cancelled.", n))


@admin.register(TrainingNeed)
class TrainingNeedAdmin(TenantScopedAdmin):
    view_roles = STAFF_ROLES
    change_roles = staff_roles(NEED_ASSESS)
    list_display = ("partner", "created_at", "topics_display", "sales_staff", "service_staff", "managers",
                    "assessed_at")
    search_fields = ("partner__legal_name", "notes", "manager_assessment")
    fields = ("partner", "topics_display", "sales_staff", "service_staff", "managers", "skill_levels_display",
              "notes", "submitted_by", "created_at", "manager_assessment", "assessed_by", "assessed_at")
    readonly_fields = ("partner", "topics_display", "sales_staff", "service_staff", "managers",
                       "skill_levels_display", "notes", "submitted_by", "created_at", "assessed_by", "assessed_at")
    actions = ["draft_plan"]

    def get_queryset(self, request):
        return selectors.need_list()

    @admin.display(description=_("topics wanted"))
    def topics_display(self, obj):
        labels = dict(CourseKind.choices)
        return ", ".join(str(labels.get(kind, kind)) for kind in obj.topics or []) or "—"

    @admin.display(description=_("self-assessed skill levels"))
    def skill_levels_display(self, obj):
        labels = dict(CourseKind.choices)
        return "; ".join(f"{labels.get(kind, kind)}: {level}/5" for kind, level in (obj.skill_levels or {}).items()
                         ) or "—"

    def has_add_permission(self, request, *args) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_draft_plan_permission(self, request) -> bool:
        return has_permission(request, PLAN_MANAGE)

    def update_object(self, request, obj, fields):
        return services.need_assess(need=obj, actor=request.user,
                                    assessment=fields.get("manager_assessment", obj.manager_assessment))

    @admin.action(description=_("Draft a training plan from the selected surveys"), permissions=["draft_plan"])
    def draft_plan(self, request, queryset):
        try:
            plan = services.plan_draft_from_needs(tenant=request.tenant, needs=queryset, actor=request.user)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, errors_of(error))
            return None
        messages.success(request, gettext("Draft plan “%(plan)s” created: adjust it, generate its sessions, "
                                          "then publish it.") % {"plan": plan})
        return HttpResponseRedirect(reverse("admin:training_trainingplan_change", args=[plan.pk]))
