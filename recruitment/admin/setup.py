"""The recruitment configuration in the admin: criteria, scorecard templates, approval chain, checklists."""

from __future__ import annotations

from django.contrib import admin

from channelhub.admin.base import TenantScopedAdmin, TenantScopedInline
from channelhub.tenancy.roles import STAFF_ROLES
from channelhub.writes import ServiceTrio

from .. import services
from ..models import ApprovalStep, Criterion, OnboardingTaskTemplate, ScorecardTemplate, TemplateCriterion
from ..permissions import APPROVAL_CHAIN_MANAGE, SETUP_MANAGE
from ._common import _staff_roles


@admin.register(Criterion)
class CriterionAdmin(TenantScopedAdmin):
    view_roles = STAFF_ROLES
    change_roles = _staff_roles(SETUP_MANAGE)
    list_display = ("name", "category", "weight", "scale_max", "knockout_threshold", "order", "is_active")
    list_filter = ("category", "is_active")
    search_fields = ("name", "guidance")

    writes = ServiceTrio(create=services.criterion_create, update=services.criterion_update,
                         delete=services.criterion_delete, instance="criterion")


class TemplateCriterionInline(TenantScopedInline):
    model = TemplateCriterion
    fields = ("criterion", "weight", "order")
    autocomplete_fields = ("criterion",)
    change_roles = _staff_roles(SETUP_MANAGE)

    def create_object(self, request, obj, fields):
        return services.template_criterion_create(
            tenant=request.tenant, actor=request.user, template=obj.template, criterion=obj.criterion,
            weight=obj.weight, order=obj.order,
        )

    def update_object(self, request, obj, fields):
        return services.template_criterion_update(row=obj, actor=request.user, **fields)

    def delete_object(self, request, obj):
        services.template_criterion_delete(row=obj, actor=request.user)


@admin.register(ScorecardTemplate)
class ScorecardTemplateAdmin(TenantScopedAdmin):
    view_roles = STAFF_ROLES
    change_roles = _staff_roles(SETUP_MANAGE)
    list_display = ("name", "partner_type", "is_active")
    list_filter = ("partner_type", "is_active")
    search_fields = ("name",)
    inlines = [TemplateCriterionInline]

    # The criteria rows are the inline's, saved one by one after this.
    writes = ServiceTrio(create=services.scorecard_template_create, update=services.scorecard_template_update,
                         delete=services.scorecard_template_delete, instance="template")


@admin.register(ApprovalStep)
class ApprovalStepAdmin(TenantScopedAdmin):
    view_roles = STAFF_ROLES
    change_roles = _staff_roles(APPROVAL_CHAIN_MANAGE)
    list_display = ("order", "name", "role", "is_active")
    list_filter = ("role", "is_active")
    ordering = ("order",)

    writes = ServiceTrio(create=services.approval_step_create, update=services.approval_step_update,
                         delete=services.approval_step_delete, instance="step")


@admin.register(OnboardingTaskTemplate)
class OnboardingTaskTemplateAdmin(TenantScopedAdmin):
    view_roles = STAFF_ROLES
    change_roles = _staff_roles(SETUP_MANAGE)
    list_display = ("order", "key", "name", "partner_type", "required", "is_active")
    list_filter = ("partner_type", "required", "is_active")
    search_fields = ("key", "name")

    writes = ServiceTrio(create=services.onboarding_template_create, update=services.onboarding_template_update,
                         delete=services.onboarding_template_delete, instance="template")
