"""The recruitment configuration in the admin: criteria, scorecard templates, approval chain, checklists."""

from __future__ import annotations

from django.contrib import admin

from channelhub.admin.base import TenantScopedAdmin, TenantScopedInline
from channelhub.tenancy.roles import STAFF_ROLES

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

    def create_object(self, request, obj, fields):
        return services.criterion_create(tenant=request.tenant, actor=request.user, **fields)

    def update_object(self, request, obj, fields):
        return services.criterion_update(criterion=obj, actor=request.user, **fields)

    def delete_object(self, request, obj):
        services.criterion_delete(criterion=obj, actor=request.user)


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

    def create_object(self, request, obj, fields):
        return services.scorecard_template_create(tenant=request.tenant, actor=request.user, **fields)

    def update_object(self, request, obj, fields):
        # The criteria rows are the inline's, saved one by one after this.
        return services.scorecard_template_update(template=obj, actor=request.user, **fields)

    def delete_object(self, request, obj):
        services.scorecard_template_delete(template=obj, actor=request.user)


@admin.register(ApprovalStep)
class ApprovalStepAdmin(TenantScopedAdmin):
    view_roles = STAFF_ROLES
    change_roles = _staff_roles(APPROVAL_CHAIN_MANAGE)
    list_display = ("order", "name", "role", "is_active")
    list_filter = ("role", "is_active")
    ordering = ("order",)

    def create_object(self, request, obj, fields):
        return services.approval_step_create(tenant=request.tenant, actor=request.user, **fields)

    def update_object(self, request, obj, fields):
        return services.approval_step_update(step=obj, actor=request.user, **fields)

    def delete_object(self, request, obj):
        services.approval_step_delete(step=obj, actor=request.user)


@admin.register(OnboardingTaskTemplate)
class OnboardingTaskTemplateAdmin(TenantScopedAdmin):
    view_roles = STAFF_ROLES
    change_roles = _staff_roles(SETUP_MANAGE)
    list_display = ("order", "key", "name", "partner_type", "required", "is_active")
    list_filter = ("partner_type", "required", "is_active")
    search_fields = ("key", "name")

    def create_object(self, request, obj, fields):
        return services.onboarding_template_create(tenant=request.tenant, actor=request.user, **fields)

    def update_object(self, request, obj, fields):
        return services.onboarding_template_update(template=obj, actor=request.user, **fields)

    def delete_object(self, request, obj):
        services.onboarding_template_delete(template=obj, actor=request.user)
