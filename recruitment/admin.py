"""Recruitment in the admin: thin pages over the selectors, actions that call the services."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from channelhub.admin.base import TenantScopedAdmin, TenantScopedInline, has_permission
from channelhub.partners.models import PartnerStatus
from channelhub.tenancy.roles import STAFF_ROLES
from channelhub.tenancy.workflow import IllegalTransition

from . import reports, selectors, services
from .api.serializers import DOCUMENT_DOWNLOAD_URL_NAME
from .models import (
    Application,
    ApplicationDocument,
    ApplicationMessage,
    ApplicationRegion,
    ApplicationState,
    ApprovalDecision,
    ApprovalStep,
    Campaign,
    Criterion,
    Decision,
    OnboardingTask,
    OnboardingTaskTemplate,
    RecruitmentPlan,
    RecruitmentTarget,
    ReturnTarget,
    ReviewerAssignment,
    Scorecard,
    ScorecardTemplate,
    TemplateCriterion,
)
from .permissions import (
    APPLICATION_DECIDE,
    APPLICATION_MANAGE,
    APPROVAL_CHAIN_MANAGE,
    ONBOARDING_MANAGE,
    PLAN_MANAGE,
    REPORTS_VIEW,
    SETUP_MANAGE,
)
from .workflow import APPLICATION_WORKFLOW, DECISION_ONLY

ACTION_TEMPLATE = "recruitment/admin/action_form.html"
# Duplicate flags store the state as it was found; these show it in the reader's language.
APPLICATION_STATE_LABELS = dict(ApplicationState.choices)
PARTNER_STATUS_LABELS = dict(PartnerStatus.choices)


# What a service may refuse one row of a bulk action with; the other rows go on.
REFUSALS = (ValidationError, IllegalTransition, PermissionDenied)


def _staff_roles(permission) -> frozenset[str]:
    """Who may change a page: the permission's roles (the admin is for tenant staff only)."""
    return permission.roles & STAFF_ROLES


def _report(request, done: int, refused: list[str], message: str) -> None:
    if done:
        messages.success(request, message % {"count": done})
    for line in refused:
        messages.error(request, line)


def _errors(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    if isinstance(error, IllegalTransition):
        return error.message
    return str(error)


def _action_form(modeladmin, request, queryset, *, form, title: str, action: str, button: str):
    """Render the intermediate page of an admin action (choose reviewers, write a comment…)."""
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "opts": modeladmin.model._meta,
        "form": form,
        "objects": queryset,
        "action": action,
        "button": button,
        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, ACTION_TEMPLATE, context)


# --------------------------------------------------------------------------- forms of the actions


class ReviewersForm(forms.Form):
    reviewers = forms.ModelMultipleChoiceField(
        label=_("reviewers"), queryset=selectors.staff_users(), widget=forms.CheckboxSelectMultiple
    )


class RemoveReviewersForm(forms.Form):
    """Reviewers to take off the selected applications: those assigned to any of them."""

    reviewers = forms.ModelMultipleChoiceField(
        label=_("reviewers"), queryset=selectors.staff_users().none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, applications, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewers"].queryset = selectors.reviewers_of(applications=applications)


class ScorecardForm(forms.Form):
    """A reviewer's scorecard in the admin: a score (0..scale) for every criterion, and a comment.

    The bounds are checked here row by row, so each bad score gets its own message next to its
    criterion and nothing reaches the service; ``services.scorecard_submit`` checks again and
    records the scorecard.
    """

    comment = forms.CharField(
        label=_("comment"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: what the approvers should know about your scores."),
    )

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for item in self.criteria:
            criterion = item.criterion
            bounds = gettext("Give a score from 0 to %(max)s.") % {"max": criterion.scale_max}
            self.fields[self.field_name(criterion)] = forms.DecimalField(
                label=criterion.name, min_value=0, max_value=criterion.scale_max, max_digits=5, decimal_places=2,
                error_messages={"required": gettext("Give a score."), "min_value": bounds, "max_value": bounds,
                                "invalid": gettext("Enter a number, e.g. 4 or 3.5.")},
                widget=forms.NumberInput(attrs={
                    "min": 0, "max": criterion.scale_max, "step": "any", "inputmode": "decimal",
                    "class": "score-input",
                }),
            )

    @staticmethod
    def field_name(criterion) -> str:
        return f"score_{criterion.pk}"

    def rows(self) -> list[dict]:
        """One row per criterion for the template: the criterion, its weight here and its bound field."""
        return [{"criterion": item.criterion, "weight": item.weight, "field": self[self.field_name(item.criterion)]}
                for item in self.criteria]

    def scores(self) -> dict[int, object]:
        return {item.criterion.pk: self.cleaned_data[self.field_name(item.criterion)] for item in self.criteria}


class DecisionForm(forms.Form):
    comment = forms.CharField(label=_("comment"), widget=forms.Textarea(attrs={"rows": 4}), required=False)


class ReturnForm(DecisionForm):
    return_to = forms.ChoiceField(label=_("return to"), choices=ReturnTarget.choices, initial=ReturnTarget.SCORING)


class MoveForm(forms.Form):
    to_state = forms.ChoiceField(label=_("new state"))
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_state"].choices = [
            (state, label) for state, label in ApplicationState.choices
            if state not in (ApplicationState.DRAFT, ApplicationState.APPROVED)
        ]


class ActivateForm(forms.Form):
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}))


# --------------------------------------------------------------------------- plans and campaigns


class RecruitmentTargetInline(TenantScopedInline):
    model = RecruitmentTarget
    fields = ("region", "partner_type", "target_count")
    autocomplete_fields = ("region",)
    change_roles = _staff_roles(PLAN_MANAGE)

    def create_object(self, request, obj, fields):
        return services.target_create(
            tenant=request.tenant, actor=request.user, plan=obj.plan, region=obj.region,
            partner_type=obj.partner_type, target_count=obj.target_count,
        )

    def update_object(self, request, obj, fields):
        return services.target_update(target=obj, actor=request.user, **fields)

    def delete_object(self, request, obj):
        services.target_delete(target=obj, actor=request.user)


@admin.register(RecruitmentPlan)
class RecruitmentPlanAdmin(TenantScopedAdmin):
    view_roles = STAFF_ROLES
    change_roles = _staff_roles(PLAN_MANAGE)
    change_list_template = "admin/recruitment/recruitmentplan/change_list.html"
    list_display = ("name", "start_date", "end_date", "owner", "status", "budget", "target_total",
                    "application_count", "approved_count", "onboarded_count", "cost_so_far")
    list_filter = ("status",)
    search_fields = ("name", "description")
    readonly_fields = ("status", "status_changed_at", "created_at")
    inlines = [RecruitmentTargetInline]
    actions = ["activate", "close"]

    def get_queryset(self, request):
        return selectors.plan_list()

    def get_urls(self):
        return [
            path("reports/", self.admin_site.admin_view(self.reports_view),
                 name="recruitment_recruitmentplan_reports"),
            *super().get_urls(),
        ]

    def has_reports_permission(self, request) -> bool:
        """Who may read the recruitment reports (funnel, time to decision, reviewer workload)."""
        return has_permission(request, REPORTS_VIEW)

    def has_transition_permission(self, request) -> bool:
        return has_permission(request, PLAN_MANAGE)

    def create_object(self, request, obj, fields):
        return services.plan_create(tenant=request.tenant, actor=request.user, **fields)

    def update_object(self, request, obj, fields):
        return services.plan_update(plan=obj, actor=request.user, **fields)

    def delete_object(self, request, obj):
        services.plan_delete(plan=obj, actor=request.user)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_see_reports": self.has_reports_permission(request)}
        return super().changelist_view(request, extra_context)

    def reports_view(self, request):
        """The recruitment reports page (managers only); ``?export=csv|xlsx`` downloads the same table."""
        if not self.has_reports_permission(request):
            raise PermissionDenied
        report = request.GET.get("report") or "funnel"
        try:
            table = reports.build(report, request.GET.get("by") or None)
        except reports.UnknownReport as error:
            raise Http404(str(error)) from error
        export = request.GET.get("export")
        if export in reports.EXPORT_FORMATS:
            response = HttpResponse(reports.export(table.as_dict(), export),
                                    content_type=reports.CONTENT_TYPES[export])
            response["Content-Disposition"] = f'attachment; filename="{table.filename(export)}"'
            return response
        base = reverse("admin:recruitment_recruitmentplan_reports")
        tabs = [
            {"title": title, "items": [
                {"label": label, "url": f"{base}?{urlencode({'report': name, 'by': by})}",
                 "active": name == table.report and by == table.by}
                for by, label in reports.GROUPINGS[name].items()
            ]}
            for name, title in reports.REPORTS.items()
        ]
        query = urlencode({"report": table.report, "by": table.by})
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Recruitment reports"),
            "opts": self.model._meta,
            "table": table,
            "tabs": tabs,
            "exports": [(fmt.upper(), f"{base}?{query}&export={fmt}") for fmt in reports.EXPORT_FORMATS],
        }
        return TemplateResponse(request, "admin/recruitment/reports.html", context)

    @admin.display(description=_("target"), ordering="target_total")
    def target_total(self, obj):
        return obj.target_total

    @admin.display(description=_("applications"), ordering="application_count")
    def application_count(self, obj):
        return obj.application_count

    @admin.display(description=_("approved"), ordering="approved_count")
    def approved_count(self, obj):
        return obj.approved_count

    @admin.display(description=_("onboarded"), ordering="onboarded_count")
    def onboarded_count(self, obj):
        return obj.onboarded_count

    @admin.display(description=_("cost so far"), ordering="cost_so_far")
    def cost_so_far(self, obj):
        return obj.cost_so_far

    def _move(self, request, queryset, to_status):
        done, refused = 0, []
        for plan in queryset:
            try:
                services.plan_transition(plan=plan, to_status=to_status, actor=request.user,
                                         reason=gettext("Bulk action in the admin"))
                done += 1
            except REFUSALS as error:
                refused.append(f"{plan}: {_errors(error)}")
        _report(request, done, refused, ngettext("%(count)d plan changed.", "%(count)d plans changed.", done))

    @admin.action(description=_("Activate selected plans"), permissions=["transition"])
    def activate(self, request, queryset):
        self._move(request, queryset, "active")

    @admin.action(description=_("Close selected plans"), permissions=["transition"])
    def close(self, request, queryset):
        self._move(request, queryset, "closed")


@admin.register(Campaign)
class CampaignAdmin(TenantScopedAdmin):
    view_roles = STAFF_ROLES
    change_roles = _staff_roles(PLAN_MANAGE)
    list_display = ("name", "code", "plan", "source", "status", "start_date", "cost", "application_count",
                    "qualified_count", "approved_count", "active_count", "cost_per_recruited")
    list_filter = ("source", "status", ("plan", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name", "code")
    autocomplete_fields = ("referrer",)
    readonly_fields = ("status", "status_changed_at", "created_at")
    actions = ["start", "finish", "cancel"]

    def get_queryset(self, request):
        return selectors.campaign_list()

    def has_transition_permission(self, request) -> bool:
        return has_permission(request, PLAN_MANAGE)

    def create_object(self, request, obj, fields):
        return services.campaign_create(tenant=request.tenant, actor=request.user, **fields)

    def update_object(self, request, obj, fields):
        return services.campaign_update(campaign=obj, actor=request.user, **fields)

    def delete_object(self, request, obj):
        services.campaign_delete(campaign=obj, actor=request.user)

    @admin.display(description=_("applications"), ordering="application_count")
    def application_count(self, obj):
        return obj.application_count

    @admin.display(description=_("qualified"), ordering="qualified_count")
    def qualified_count(self, obj):
        return obj.qualified_count

    @admin.display(description=_("approved"), ordering="approved_count")
    def approved_count(self, obj):
        return obj.approved_count

    @admin.display(description=_("active"), ordering="active_count")
    def active_count(self, obj):
        return obj.active_count

    @admin.display(description=_("cost per recruited partner"))
    def cost_per_recruited(self, obj):
        return selectors.cost_per_recruited(obj) or "—"

    def _move(self, request, queryset, to_status):
        done, refused = 0, []
        for campaign in queryset:
            try:
                services.campaign_transition(campaign=campaign, to_status=to_status, actor=request.user,
                                             reason=gettext("Bulk action in the admin"))
                done += 1
            except REFUSALS as error:
                refused.append(f"{campaign}: {_errors(error)}")
        _report(request, done, refused,
                ngettext("%(count)d campaign changed.", "%(count)d campaigns changed.", done))

    @admin.action(description=_("Start selected campaigns"), permissions=["transition"])
    def start(self, request, queryset):
        self._move(request, queryset, "running")

    @admin.action(description=_("Finish selected campaigns"), permissions=["transition"])
    def finish(self, request, queryset):
        self._move(request, queryset, "finished")

    @admin.action(description=_("Cancel selected campaigns"), permissions=["transition"])
    def cancel(self, request, queryset):
        self._move(request, queryset, "cancelled")


# --------------------------------------------------------------------------- configuration


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


# --------------------------------------------------------------------------- applications


class ReadOnlyInline(TenantScopedInline):
    """Records in their own right: shown on the application, written only by services."""

    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ApplicationRegionInline(TenantScopedInline):
    model = ApplicationRegion
    fields = ("region",)
    autocomplete_fields = ("region",)
    verbose_name = _("region wanted")
    verbose_name_plural = _("regions wanted")
    change_roles = _staff_roles(APPLICATION_MANAGE)

    def _editable(self, obj) -> bool:
        # Like the company data: the regions are fixed once the application is being scored.
        return obj is None or obj.state in services.EDITABLE_STATES

    def has_add_permission(self, request, obj=None) -> bool:
        return super().has_add_permission(request, obj) and self._editable(obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and self._editable(obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and self._editable(obj)

    def create_object(self, request, obj, fields):
        return services.application_region_add(application=obj.application, region=obj.region, actor=request.user)

    def update_object(self, request, obj, fields):
        # A row names one region: changing it is removing the old one and adding the new one.
        old = ApplicationRegion.objects.get(pk=obj.pk)
        services.application_region_remove(row=old, actor=request.user)
        return services.application_region_add(application=obj.application, region=obj.region, actor=request.user)

    def delete_object(self, request, obj):
        services.application_region_remove(row=obj, actor=request.user)


class DocumentInline(ReadOnlyInline):
    model = ApplicationDocument
    fk_name = "application"
    fields = ("kind", "download", "content_type", "size", "uploaded_at", "partner")
    readonly_fields = fields

    @admin.display(description=_("file"))
    def download(self, obj):
        try:
            url = reverse(DOCUMENT_DOWNLOAD_URL_NAME, kwargs={"pk": obj.pk})
        except NoReverseMatch:
            return obj.original_name
        return format_html('<a href="{}">{}</a>', url, obj.original_name)


class MessageInline(ReadOnlyInline):
    model = ApplicationMessage
    fk_name = "application"
    fields = ("created_at", "sender", "author", "body")
    readonly_fields = fields


class AssignmentInline(ReadOnlyInline):
    model = ReviewerAssignment
    fields = ("reviewer", "assigned_by", "assigned_at")
    readonly_fields = fields


class ScorecardInline(ReadOnlyInline):
    model = Scorecard
    fields = ("reviewer", "submitted_at", "comment")
    readonly_fields = fields


class DecisionInline(ReadOnlyInline):
    model = ApprovalDecision
    fields = ("created_at", "step", "decision", "return_to", "actor", "comment")
    readonly_fields = fields


class MyReviewFilter(admin.SimpleListFilter):
    """The signed-in user's reviews: assigned to them, awaiting their score, scored by them."""

    title = _("my reviews")
    parameter_name = "my_review"

    def lookups(self, request, model_admin):
        return [("awaiting", _("Awaiting my score")), ("assigned", _("Assigned to me")),
                ("scored", _("Scored by me"))]

    def queryset(self, request, queryset):
        if self.value() in ("assigned", "awaiting", "scored"):
            return selectors.my_reviews(queryset, self.value())
        return queryset


class HasDuplicatesFilter(admin.SimpleListFilter):
    title = _("possible duplicate")
    parameter_name = "duplicate"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(has_duplicates=self.value() == "yes")
        return queryset


@admin.register(Application)
class ApplicationAdmin(TenantScopedAdmin):
    """Applications: evaluation summary and duplicate flags on top; actions call the services."""

    view_roles = STAFF_ROLES
    change_roles = _staff_roles(APPLICATION_MANAGE)
    list_display = ("legal_name", "credit_code", "partner_type", "state", "current_step", "duplicate_badge",
                    "campaign", "reviewer_count", "scorecard_count", "submitted_at")
    list_filter = (MyReviewFilter, "state", "partner_type", HasDuplicatesFilter, "source",
                   ("campaign", admin.RelatedOnlyFieldListFilter), ("plan", admin.RelatedOnlyFieldListFilter))
    search_fields = ("legal_name", "credit_code", "contact_name", "contact_email")
    date_hierarchy = "submitted_at"
    autocomplete_fields = ("campaign", "plan")
    inlines = [ApplicationRegionInline, DocumentInline, MessageInline, AssignmentInline, ScorecardInline,
               DecisionInline]
    actions = ["assign_reviewers", "remove_reviewers", "approve", "reject", "return_", "move_state"]
    readonly_fields = ("evaluation", "state", "current_step", "source", "submitted_at",
                       "qualified_at", "decided_at", "partner", "scorecard_template", "created_at")
    fieldsets = (
        (_("Evaluation"), {"fields": ("evaluation",)}),
        (_("Company"), {"fields": ("legal_name", "credit_code", "registered_capital", "founding_year",
                                   "staff_count", "website", "address", "partner_type", "experience",
                                   "brands_carried", "references")}),
        (_("Contact"), {"fields": ("contact_name", "contact_title", "contact_email", "contact_phone",
                                   "language")}),
        (_("Workflow"), {"fields": ("state", "current_step", "plan", "campaign", "source", "submitted_at",
                                    "qualified_at", "decided_at", "partner", "scorecard_template")}),
        # The tracking token is the applicant's credential: stored hashed, never shown to staff.
        (_("Record"), {"fields": ("created_at",), "classes": ("collapse",)}),
    )

    change_form_template = "admin/recruitment/application/change_form.html"

    class Media:
        css = {"all": ("css/recruitment-admin.css",)}  # the "my review" marks and the scoring call-out

    def get_queryset(self, request):
        return selectors.application_list(reviewer=request.user)

    def get_urls(self):
        return [
            path("<int:pk>/score/", self.admin_site.admin_view(self.score_view),
                 name="recruitment_application_score"),
            *super().get_urls(),
        ]

    def get_list_display(self, request):
        columns = list(super().get_list_display(request))
        if ReviewerAssignment.objects.filter(reviewer=request.user).exists():
            columns.insert(columns.index("legal_name") + 1, "my_review")  # up front: the table scrolls
        return columns

    @admin.display(description=_("my review"))
    def my_review(self, obj):
        if not getattr(obj, "is_my_review", False):
            return ""
        url = reverse("admin:recruitment_application_score", args=[obj.pk])
        if obj.my_scorecard_submitted:
            return format_html('<a class="review-done" href="{}">✓ {}</a>', url, gettext("Scored"))
        if obj.state == ApplicationState.SCORING:
            return format_html('<a class="review-todo" href="{}">{}</a>', url, gettext("Score now"))
        return format_html('<span class="review-waiting">{}</span>', gettext("Assigned"))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        application = self.get_object(request, unquote(object_id))
        if application is not None:
            extra_context = {
                **(extra_context or {}),
                "my_review": selectors.my_review(application=application, user=request.user),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def score_view(self, request, pk: int):
        """“Score this application”: the assigned reviewer's scorecard, then their result and the summary.

        Only a reviewer assigned to the application uses it (403 for other staff, 404 for an
        application that is not this tenant's); scores are accepted while the application is in
        scoring (``services.scorecard_submit``). Reviewers score independently: until they
        submitted, the page shows nobody else's scores (``selectors.visible_scorecards``, as the
        API). After submitting they see their own scorecard read-only, then the summary of every
        scorecard; while scoring lasts they may revise theirs (``?revise``).
        """
        if not self.has_view_permission(request):
            raise PermissionDenied
        application = get_object_or_404(selectors.application_list(), pk=pk)
        review = selectors.my_review(application=application, user=request.user)
        if not review.assigned:
            raise PermissionDenied
        here = reverse("admin:recruitment_application_score", args=[application.pk])
        own = selectors.own_scorecard(application=application, user=request.user)
        criteria = selectors.scoring_criteria(application=application)
        form = None
        if review.can_score and (own is None or "revise" in request.GET or request.method == "POST"):
            initial = {}
            if own is not None:
                initial = {ScorecardForm.field_name(score.criterion): score.value for score in own.scores.all()}
                initial["comment"] = own.comment
            form = ScorecardForm(request.POST if request.method == "POST" else None, criteria=criteria,
                                 initial=initial)
        if request.method == "POST":
            if form is None:
                messages.error(request, gettext("Scorecards are accepted only while the application is in scoring."))
                return redirect(here)
            if form.is_valid():
                try:
                    services.scorecard_submit(application=application, reviewer=request.user, scores=form.scores(),
                                              comment=form.cleaned_data["comment"])
                except ValidationError as error:
                    form.add_error(None, error.messages)
                else:
                    messages.success(request, gettext("Your scorecard is saved.") if own is not None
                                     else gettext("Your scorecard is submitted."))
                    return redirect(here)
        summary, own_total = None, None
        if own is not None:
            summary = selectors.score_summary(
                application=application,
                scorecards=selectors.visible_scorecards(application=application, user=request.user),
            )
            own_total = next((r.total for r in summary.reviewers if r.reviewer_id == request.user.pk), None)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Score this application"),
            "subtitle": str(application),
            "opts": self.model._meta,
            "original": application,
            "application": application,
            "review": review,
            "form": form,
            "rows": form.rows() if form is not None else [],
            "own": own,
            "own_scores": list(own.scores.all()) if own is not None else [],
            "summary": summary,
            "own_total": own_total,
        }
        return TemplateResponse(request, "admin/recruitment/application/score.html", context)

    def _scores_hidden(self, request, obj) -> bool:
        """Reviewers score independently: an assigned reviewer who has not scored sees no scores."""
        return obj is not None and not selectors.can_see_all_scores(application=obj, user=request.user)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if self._scores_hidden(request, obj):
            fieldsets = [fs for fs in fieldsets if "evaluation" not in fs[1]["fields"]]
        return fieldsets

    def get_inline_instances(self, request, obj=None):
        inlines = super().get_inline_instances(request, obj)
        if self._scores_hidden(request, obj):
            inlines = [inline for inline in inlines if not isinstance(inline, ScorecardInline)]
        return inlines

    def has_add_permission(self, request, *args) -> bool:
        # Applications arrive by the public form or the API (application_submit), never typed in here.
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        # Applications are records: they are withdrawn or rejected, never deleted.
        return False

    def has_manage_permission(self, request) -> bool:
        return has_permission(request, APPLICATION_MANAGE)

    def has_decide_permission(self, request) -> bool:
        """Approve / reject / return are offered to the roles holding a step of the chain.

        Which step an application waits at, and so who decides it, is the service's check.
        """
        if not has_permission(request, APPLICATION_DECIDE):
            return False
        access = request.access
        return access.is_superuser or bool(access.roles & {step.role for step in selectors.approval_chain()})

    def update_object(self, request, obj, fields):
        data = {name: value for name, value in fields.items() if name in services.APPLICATION_FIELDS}
        fresh = Application.objects.get(pk=obj.pk)
        return services.application_update(application=fresh, actor=request.user, data=data)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.state not in services.EDITABLE_STATES:
            fields += [f for f in services.APPLICATION_FIELDS if f not in fields]
        return fields

    @admin.display(description=_("possible duplicate"), boolean=True, ordering="has_duplicates")
    def duplicate_badge(self, obj):
        return obj.has_duplicates

    @admin.display(description=_("reviewers"), ordering="reviewer_count")
    def reviewer_count(self, obj):
        return obj.reviewer_count

    @admin.display(description=_("scorecards"), ordering="scorecard_count")
    def scorecard_count(self, obj):
        return obj.scorecard_count

    @admin.display(description=_("evaluation"))
    def evaluation(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        summary = selectors.score_summary(application=obj)
        flags = []
        for flag in obj.duplicate_flags or []:
            url_name = "admin:recruitment_application_change" if flag["kind"] == "application" else (
                "admin:partners_partner_change")
            try:
                url = reverse(url_name, args=[flag["id"]])
            except NoReverseMatch:
                url = ""
            states = APPLICATION_STATE_LABELS if flag["kind"] == "application" else PARTNER_STATUS_LABELS
            flags.append({**flag, "url": url, "state": states.get(flag.get("state"), flag.get("state", ""))})
        context = {
            "summary": summary, "flags": flags, "application": obj,
            "allowed": [APPLICATION_WORKFLOW.label(s) for s in APPLICATION_WORKFLOW.targets(obj.state)
                        if (obj.state, s) not in DECISION_ONLY],
        }
        return mark_safe(render_to_string("recruitment/admin/evaluation.html", context))

    # ---- actions

    @admin.action(description=_("Assign reviewers…"), permissions=["manage"])
    def assign_reviewers(self, request, queryset):
        form = ReviewersForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            done, refused = 0, []
            for application in queryset:
                try:
                    services.application_assign_reviewers(
                        application=application, reviewers=form.cleaned_data["reviewers"], actor=request.user
                    )
                    done += 1
                except REFUSALS as error:
                    refused.append(f"{application}: {_errors(error)}")
            _report(request, done, refused, ngettext(
                "Reviewers assigned to %(count)d application.", "Reviewers assigned to %(count)d applications.",
                done))
            return None
        return _action_form(self, request, queryset, form=form, title=gettext("Assign reviewers"),
                            action="assign_reviewers", button=gettext("Assign"))

    @admin.action(description=_("Remove reviewers…"), permissions=["manage"])
    def remove_reviewers(self, request, queryset):
        """Take reviewers off the selected applications; refused per application for one who already scored."""
        form = RemoveReviewersForm(request.POST if "apply" in request.POST else None,
                                   applications=queryset.values("pk"))
        if form.is_bound and form.is_valid():
            done, refused = 0, []
            for application in queryset:
                try:
                    if services.application_remove_reviewers(
                        application=application, reviewers=form.cleaned_data["reviewers"], actor=request.user
                    ):
                        done += 1
                except REFUSALS as error:
                    refused.append(f"{application}: {_errors(error)}")
            _report(request, done, refused, ngettext(
                "Reviewers removed from %(count)d application.", "Reviewers removed from %(count)d applications.",
                done))
            return None
        return _action_form(self, request, queryset, form=form, title=gettext("Remove reviewers"),
                            action="remove_reviewers", button=gettext("Remove"))

    def _decide(self, request, queryset, *, decision, form_class, action, title, button, message):
        form = form_class(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            done, refused = 0, []
            for application in queryset:
                try:
                    services.application_decide(
                        application=application, actor=request.user, decision=decision,
                        comment=form.cleaned_data.get("comment", ""),
                        return_to=form.cleaned_data.get("return_to") or ReturnTarget.SCORING,
                    )
                    done += 1
                except REFUSALS as error:
                    refused.append(f"{application}: {_errors(error)}")
            _report(request, done, refused, message(done))
            return None
        return _action_form(self, request, queryset, form=form, title=title, action=action, button=button)

    @admin.action(description=_("Approve at the current step…"), permissions=["decide"])
    def approve(self, request, queryset):
        return self._decide(
            request, queryset, decision=Decision.APPROVE, form_class=DecisionForm, action="approve",
            title=gettext("Approve at the current step"), button=gettext("Approve"),
            message=lambda n: ngettext("%(count)d application approved at its step.",
                                       "%(count)d applications approved at their step.", n),
        )

    @admin.action(description=_("Reject…"), permissions=["decide"])
    def reject(self, request, queryset):
        return self._decide(
            request, queryset, decision=Decision.REJECT, form_class=DecisionForm, action="reject",
            title=gettext("Reject at the current step"), button=gettext("Reject"),
            message=lambda n: ngettext("%(count)d application rejected.", "%(count)d applications rejected.", n),
        )

    @admin.action(description=_("Return for rework…"), permissions=["decide"])
    def return_(self, request, queryset):
        return self._decide(
            request, queryset, decision=Decision.RETURN, form_class=ReturnForm, action="return_",
            title=gettext("Return for rework"), button=gettext("Return"),
            message=lambda n: ngettext("%(count)d application returned.", "%(count)d applications returned.", n),
        )

    @admin.action(description=_("Move to another state…"), permissions=["manage"])
    def move_state(self, request, queryset):
        form = MoveForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            done, refused = 0, []
            to_state, reason = form.cleaned_data["to_state"], form.cleaned_data["reason"]
            for application in queryset:
                try:
                    if to_state == ApplicationState.WITHDRAWN:
                        services.application_withdraw(application=application, actor=request.user, reason=reason)
                    else:
                        services.application_transition(application=application, to_state=to_state,
                                                        actor=request.user, reason=reason)
                    done += 1
                except REFUSALS as error:
                    refused.append(f"{application}: {_errors(error)}")
            _report(request, done, refused,
                    ngettext("%(count)d application moved.", "%(count)d applications moved.", done))
            return None
        return _action_form(self, request, queryset, form=form, title=gettext("Move to another state"),
                            action="move_state", button=gettext("Move"))


# --------------------------------------------------------------------------- onboarding


class DoneFilter(admin.SimpleListFilter):
    title = _("done")
    parameter_name = "done"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(done_at__isnull=self.value() == "no")
        return queryset


@admin.register(OnboardingTask)
class OnboardingTaskAdmin(TenantScopedAdmin):
    """Checklists of onboarding partners; managers tick items or activate a partner early."""

    view_roles = STAFF_ROLES
    change_roles = _staff_roles(ONBOARDING_MANAGE)
    list_display = ("partner", "order", "name", "key", "required", "done_at", "done_by", "done_source")
    list_filter = (DoneFilter, "required", "key")
    search_fields = ("partner__legal_name", "name", "key")
    list_select_related = ("partner", "done_by")
    readonly_fields = ("partner", "application", "key", "name", "description", "required", "order", "done_at",
                       "done_by", "done_source")
    fields = (*readonly_fields, "note")
    actions = ["mark_done", "activate_partners"]

    def get_queryset(self, request):
        return selectors.onboarding_task_list()

    def has_add_permission(self, request, *args) -> bool:
        return False  # checklists are copied from the templates when an application is approved

    def has_delete_permission(self, request, obj=None) -> bool:
        # An item is reopened, not deleted: deleting a required one would activate the partner.
        return False

    def has_manage_permission(self, request) -> bool:
        return has_permission(request, ONBOARDING_MANAGE)

    def update_object(self, request, obj, fields):
        return services.onboarding_task_update(task=obj, actor=request.user, note=obj.note)

    @admin.action(description=_("Mark as done"), permissions=["manage"])
    def mark_done(self, request, queryset):
        done, refused = 0, []
        for task in queryset:
            try:
                services.onboarding_task_complete(partner=task.partner, key=task.key, actor=request.user,
                                                  source="admin")
                done += 1
            except REFUSALS as error:
                refused.append(f"{task}: {_errors(error)}")
        _report(request, done, refused, ngettext("%(count)d item done.", "%(count)d items done.", done))

    @admin.action(description=_("Activate these partners now…"), permissions=["manage"])
    def activate_partners(self, request, queryset):
        form = ActivateForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            done, refused = 0, []
            for partner in {task.partner for task in queryset}:
                try:
                    services.partner_activate_early(partner=partner, actor=request.user,
                                                    reason=form.cleaned_data["reason"])
                    done += 1
                except REFUSALS as error:
                    refused.append(f"{partner}: {_errors(error)}")
            _report(request, done, refused,
                    ngettext("%(count)d partner activated.", "%(count)d partners activated.", done))
            return None
        return _action_form(self, request, queryset, form=form, title=gettext("Activate partners early"),
                            action="activate_partners", button=gettext("Activate"))

