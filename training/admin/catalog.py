"""The catalogue in the admin: courses with prerequisites, certifications, learning paths with their steps."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from channelhub.admin.base import TenantScopedAdmin
from channelhub.tenancy.roles import STAFF_ROLES
from channelhub.writes import ServiceTrio

from .. import selectors, services
from ..models import Certification, Course, CoursePrerequisite, LearningPath, LearningPathStep
from ..permissions import CATALOG_MANAGE
from ._common import ServiceInline, staff_roles

TRAINERS = staff_roles(CATALOG_MANAGE)


class PrerequisiteInline(ServiceInline):
    model = CoursePrerequisite
    fk_name = "course"
    fields = ("required",)
    parent_field = "course"
    change_roles = TRAINERS
    create, update, delete, instance = (staticmethod(services.prerequisite_create),
                                        staticmethod(services.prerequisite_update),
                                        staticmethod(services.prerequisite_delete), "prerequisite")


@admin.register(Course)
class CourseAdmin(TenantScopedAdmin):
    view_roles = STAFF_ROLES
    change_roles = TRAINERS
    list_display = ("code", "title", "kind", "delivery", "duration_hours", "is_published", "session_count",
                    "completion_count")
    list_filter = ("kind", "delivery", "is_published")
    search_fields = ("code", "title", "description")
    inlines = [PrerequisiteInline]
    writes = ServiceTrio(create=services.course_create, update=services.course_update,
                         delete=services.course_delete, instance="course")

    def get_queryset(self, request):
        return selectors.course_list()

    @admin.display(description=_("sessions"), ordering="session_count")
    def session_count(self, obj):
        return obj.session_count

    @admin.display(description=_("completions"), ordering="completion_count")
    def completion_count(self, obj):
        return obj.completion_count


@admin.register(Certification)
class CertificationAdmin(TenantScopedAdmin):
    view_roles = STAFF_ROLES
    change_roles = TRAINERS
    list_display = ("code", "name", "validity_months", "recertification_days", "is_external", "valid_count")
    list_filter = ("is_external",)
    search_fields = ("code", "name")
    writes = ServiceTrio(create=services.certification_create, update=services.certification_update,
                         delete=services.certification_delete, instance="certification")

    def get_queryset(self, request):
        return selectors.certification_list()

    @admin.display(description=_("certificates held"), ordering="valid_count")
    def valid_count(self, obj):
        return obj.valid_count


class StepInline(ServiceInline):
    model = LearningPathStep
    fields = ("order", "course")
    parent_field = "path"
    change_roles = TRAINERS
    create, update, delete, instance = (staticmethod(services.path_step_create),
                                        staticmethod(services.path_step_update),
                                        staticmethod(services.path_step_delete), "step")


@admin.register(LearningPath)
class LearningPathAdmin(TenantScopedAdmin):
    view_roles = STAFF_ROLES
    change_roles = TRAINERS
    list_display = ("name", "certification", "step_count")
    search_fields = ("name", "description")
    inlines = [StepInline]
    writes = ServiceTrio(create=services.path_create, update=services.path_update,
                         delete=services.path_delete, instance="path")

    def get_queryset(self, request):
        return selectors.path_list()

    @admin.display(description=_("steps"), ordering="step_count")
    def step_count(self, obj):
        return obj.step_count
