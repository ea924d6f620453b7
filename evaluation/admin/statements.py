"""Incentive statements, improvement plans and relationship surveys in the admin.

Statements are computed by the cycle: finance (and owners) approve them and mark them paid;
their lines explain each amount; each exports to PDF (the list to CSV/XLSX). Improvement
plans and the manager's side of the relationship survey are written by owners and managers.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from channelhub.admin.base import TenantScopedAdmin, has_permission
from channelhub.tenancy.roles import STAFF_ROLES
from channelhub.writes import ServiceTrio

from .. import documents, selectors, services
from ..models import (
    ImprovementAction,
    ImprovementPlan,
    IncentiveLine,
    IncentiveStatement,
    RelationshipSurvey,
)
from ..permissions import IMPROVEMENT_MANAGE, STATEMENT_APPROVE, SURVEY_MANAGE
from ._common import ReadOnlyInline, ServiceInline, bulk, staff_roles


class LineInline(ReadOnlyInline):
    model = IncentiveLine
    fields = ("rule", "kind", "base", "rate", "amount", "explanation")
    readonly_fields = fields


@admin.register(IncentiveStatement)
class IncentiveStatementAdmin(TenantScopedAdmin):
    view_roles = STAFF_ROLES
    read_only = True
    list_display = ("partner", "cycle", "state", "total", "currency", "approved_by", "paid_reference", "pdf_link")
    list_filter = ("state", "cycle")
    search_fields = ("partner__legal_name", "paid_reference")
    fields = ("partner", "cycle", "state", "state_changed_at", "total", "currency", "approved_by", "paid_reference")
    readonly_fields = fields
    inlines = [LineInline]
    actions = ["approve", "mark_paid"]
    empty_hint = _("A computed review cycle writes one statement per partner its incentive rules pay.")

    def get_queryset(self, request):
        return selectors.statement_list()

    def has_approve_permission(self, request) -> bool:
        return has_permission(request, STATEMENT_APPROVE)

    @admin.display(description=_("PDF"))
    def pdf_link(self, obj):
        from django.urls import reverse
        from django.utils.html import format_html

        return format_html('<a href="{}">{}</a>', reverse("admin:evaluation_incentivestatement_pdf", args=[obj.pk]),
                           gettext("PDF"))

    @admin.action(description=_("Approve (the cycle must be confirmed)"), permissions=["approve"])
    def approve(self, request, queryset):
        bulk(request, queryset, lambda s: services.statement_approve(statement=s, actor=request.user),
             gettext("%(count)d statement(s) approved."))

    @admin.action(description=_("Mark paid"), permissions=["approve"])
    def mark_paid(self, request, queryset):
        reference = f"{timezone.localdate():%Y%m%d}"
        bulk(request, queryset, lambda s: services.statement_mark_paid(statement=s, actor=request.user,
                                                                       reference=reference),
             gettext("%(count)d statement(s) marked paid."))

    def get_urls(self):
        return [path("<int:pk>/pdf/", self.admin_site.admin_view(self.pdf_view),
                     name="evaluation_incentivestatement_pdf"), *super().get_urls()]

    def pdf_view(self, request, pk: int):
        if not self.has_view_permission(request):
            raise PermissionDenied
        statement = get_object_or_404(selectors.statement_list().select_related("tenant"), pk=pk)
        return documents.statement_pdf(statement, selectors.statement_lines(statement))


# --------------------------------------------------------------------------- improvement plans


class ActionInline(ServiceInline):
    model = ImprovementAction
    fields = ("description", "owner_name", "due_date", "done")
    parent_field = "plan"
    change_roles = staff_roles(IMPROVEMENT_MANAGE)
    create, update, delete, instance = (staticmethod(services.action_create),
                                        staticmethod(services.action_update),
                                        staticmethod(services.action_delete), "action")


class OverdueFilter(admin.SimpleListFilter):
    title = _("actions overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("With actions overdue"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(pk__in=selectors.overdue_actions().values("plan_id"))
        return queryset


@admin.register(ImprovementPlan)
class ImprovementPlanAdmin(TenantScopedAdmin):
    view_roles = STAFF_ROLES
    change_roles = staff_roles(IMPROVEMENT_MANAGE)
    list_display = ("title", "partner", "cycle", "owner", "due_date", "state", "action_count", "overdue_count",
                    "acknowledged_at")
    list_filter = ("state", OverdueFilter, "cycle")
    search_fields = ("title", "partner__legal_name")
    autocomplete_fields = ("partner",)
    fields = ("partner", "cycle", "title", "owner", "due_date", "state", "follow_up", "partner_comment",
              "acknowledged_at", "acknowledged_by")
    readonly_fields = ("partner_comment", "acknowledged_at", "acknowledged_by")
    inlines = [ActionInline]
    empty_hint = _("Plans for partners below the threshold: actions, owners, due dates, follow-up.")
    writes = ServiceTrio(create=services.plan_create, update=services.plan_update, delete=services.plan_delete,
                         instance="plan")

    def get_queryset(self, request):
        return selectors.plan_list()

    @admin.display(description=_("actions"), ordering="action_count")
    def action_count(self, obj):
        return obj.action_count

    @admin.display(description=_("overdue"), ordering="overdue_count")
    def overdue_count(self, obj):
        return obj.overdue_count


class SurveyForm(forms.ModelForm):
    class Meta:
        model = RelationshipSurvey
        fields = ("partner", "period_key", "manager_rating", "manager_comment")


@admin.register(RelationshipSurvey)
class RelationshipSurveyAdmin(TenantScopedAdmin):
    """Both views of a relationship: the partner's ratings (from the portal) and the manager's."""

    form = SurveyForm
    view_roles = STAFF_ROLES
    change_roles = staff_roles(SURVEY_MANAGE)
    list_display = ("partner", "period_key", "support", "training", "communication", "fairness", "partner_view",
                    "manager_rating", "gap")
    list_filter = ("period_key",)
    search_fields = ("partner__legal_name",)
    autocomplete_fields = ("partner",)
    readonly_fields = ("support", "training", "communication", "fairness", "partner_comment", "partner_view", "gap")
    empty_hint = _("Partners rate support, training, communication and fairness in the portal; you rate the "
                   "relationship here.")
    writes = ServiceTrio(create=services.survey_create, update=services.survey_update,
                         delete=services.survey_delete, instance="survey")

    def get_queryset(self, request):
        return selectors.survey_list()

    def get_fields(self, request, obj=None):
        base = ["partner", "period_key", "manager_rating", "manager_comment"]
        return base if obj is None else [*base, *self.readonly_fields]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else [*self.readonly_fields, "partner", "period_key"]

    @admin.display(description=_("partner's view"))
    def partner_view(self, obj):
        return obj.partner_view if obj.partner_view is not None else "—"

    @admin.display(description=_("gap (manager − partner)"))
    def gap(self, obj):
        return obj.gap if obj.gap is not None else "—"
