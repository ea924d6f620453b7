"""Assessments in the admin: questions with their options, import from CSV/XLSX with row errors,
item analysis (which questions fail most), attempts read-only."""

from __future__ import annotations

import csv
import io

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from channelhub.admin.base import TenantScopedAdmin, has_permission
from channelhub.tenancy.roles import STAFF_ROLES
from channelhub.writes import ServiceTrio

from .. import selectors, services
from ..models import Assessment, Attempt, Choice, Question, RubricCriterion
from ..permissions import CATALOG_MANAGE, REPORTS_VIEW
from ._common import ServiceInline, staff_roles
from .forms import ImportForm

TRAINERS = staff_roles(CATALOG_MANAGE)


class RubricInline(ServiceInline):
    model = RubricCriterion
    fields = ("order", "name", "max_points")
    parent_field = "assessment"
    change_roles = TRAINERS
    create, update, delete, instance = (staticmethod(services.rubric_criterion_create),
                                        staticmethod(services.rubric_criterion_update),
                                        staticmethod(services.rubric_criterion_delete), "criterion")


@admin.register(Assessment)
class AssessmentAdmin(TenantScopedAdmin):
    view_roles = STAFF_ROLES
    change_roles = TRAINERS
    list_display = ("title", "course", "kind", "stage", "time_limit_minutes", "max_attempts", "pass_mark",
                    "question_count", "attempt_count")
    list_filter = ("kind", "stage")
    search_fields = ("title", "course__title")
    inlines = [RubricInline]
    change_form_template = "training/admin/assessment_change_form.html"
    writes = ServiceTrio(create=services.assessment_create, update=services.assessment_update,
                         delete=services.assessment_delete, instance="assessment")

    def get_queryset(self, request):
        return selectors.assessment_list()

    @admin.display(description=_("questions"), ordering="question_count")
    def question_count(self, obj):
        return obj.question_count

    @admin.display(description=_("attempts"), ordering="attempt_count")
    def attempt_count(self, obj):
        return obj.attempt_count

    def has_questions_import_permission(self, request) -> bool:
        return has_permission(request, CATALOG_MANAGE)

    def has_analysis_permission(self, request) -> bool:
        return has_permission(request, REPORTS_VIEW)

    def get_urls(self):
        return [
            path("<int:pk>/import-questions/", self.admin_site.admin_view(self.import_questions_view),
                 name="training_assessment_import_questions"),
            path("<int:pk>/item-analysis/", self.admin_site.admin_view(self.item_analysis_view),
                 name="training_assessment_item_analysis"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "can_import": self.has_questions_import_permission(request),
                         "can_analyse": self.has_analysis_permission(request)}
        return super().change_view(request, object_id, form_url, extra_context)

    def import_questions_view(self, request, pk):
        """Import a question bank; every row is checked first and any error imports nothing."""
        assessment = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_questions_import_permission(request):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        errors = []
        if form.is_valid():
            try:
                rows = read_rows(form.cleaned_data["file"])
            except ValueError as error:
                form.add_error("file", str(error))
            else:
                result = services.questions_import(assessment=assessment, rows=rows, actor=request.user)
                errors = result.errors
                if not errors:
                    messages.success(request, ngettext("%(count)d question imported.",
                                                       "%(count)d questions imported.", result.created)
                                     % {"count": result.created})
                    return HttpResponseRedirect(reverse("admin:training_question_changelist")
                                                + f"?assessment__id__exact={pk}")
        context = {**self.admin_site.each_context(request), "title": gettext("Import questions"),
                   "opts": self.model._meta, "original": assessment, "form": form, "errors": errors,
                   "columns": services.IMPORT_COLUMNS}
        return TemplateResponse(request, "training/admin/import_questions.html", context)

    def item_analysis_view(self, request, pk):
        """Per question: answered, failed, fail rate; the questions that fail most first."""
        assessment = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_analysis_permission(request):
            raise PermissionDenied
        context = {**self.admin_site.each_context(request), "title": gettext("Item analysis: %(assessment)s")
                   % {"assessment": assessment}, "opts": self.model._meta, "original": assessment,
                   "rows": selectors.item_analysis(assessment)}
        return TemplateResponse(request, "training/admin/item_analysis.html", context)


MAX_IMPORT_BYTES = 2 * 1024 * 1024


def read_rows(upload) -> list[dict]:
    """Rows of a CSV (UTF-8, with or without BOM) or XLSX upload, keyed by the header row."""
    if upload.size > MAX_IMPORT_BYTES:
        raise ValueError(gettext("The file is too large."))
    content = upload.read()
    name = (upload.name or "").lower()
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
        except Exception as error:
            raise ValueError(gettext("The file is not a readable XLSX workbook.")) from error
        values = [["" if cell is None else str(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ValueError(gettext("Save the CSV file as UTF-8.")) from error
        values = list(csv.reader(io.StringIO(text)))
    if not values:
        raise ValueError(gettext("The file is empty."))
    header = [cell.strip().lower() for cell in values[0]]
    return [dict(zip(header, row, strict=False)) for row in values[1:]]


class ChoiceInline(ServiceInline):
    model = Choice
    fields = ("order", "text", "is_correct")
    parent_field = "question"
    change_roles = TRAINERS
    create, update, delete, instance = (staticmethod(services.choice_create), staticmethod(services.choice_update),
                                        staticmethod(services.choice_delete), "choice")


@admin.register(Question)
class QuestionAdmin(TenantScopedAdmin):
    view_roles = STAFF_ROLES
    change_roles = TRAINERS
    list_display = ("text", "assessment", "kind", "points", "order")
    list_filter = ("kind", "assessment")
    search_fields = ("text",)
    inlines = [ChoiceInline]
    writes = ServiceTrio(create=services.question_create, update=services.question_update,
                         delete=services.question_delete, instance="question")

    def get_queryset(self, request):
        return selectors.question_list()


@admin.register(Attempt)
class AttemptAdmin(TenantScopedAdmin):
    view_roles = STAFF_ROLES
    read_only = True
    list_display = ("trainee", "partner", "assessment", "number", "state", "started_at", "submitted_at", "percent",
                    "passed")
    list_filter = ("state", "passed", "assessment")
    search_fields = ("trainee__username", "trainee__last_name", "assessment__title")
    readonly_fields = ("assessment", "trainee", "partner", "number", "state", "started_at", "deadline",
                       "submitted_at", "score", "max_score", "percent", "passed", "graded_by")
    fields = readonly_fields

    def get_queryset(self, request):
        return selectors.attempt_list()
