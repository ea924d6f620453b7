"""Applications in the admin: evaluation summary and duplicate flags; reviews and decisions in their own modules."""

from __future__ import annotations

from django.contrib import admin
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from unfold.contrib.filters.admin import AutocompleteSelectFilter, ChoicesDropdownFilter, RangeDateFilter

from channelhub.admin.base import TenantScopedAdmin, TenantScopedInline, has_permission
from channelhub.admin.paginator import EstimatedCountPaginator
from channelhub.partners.models import PartnerStatus
from channelhub.tenancy.roles import STAFF_ROLES

from .. import selectors, services
from ..api.serializers import DOCUMENT_DOWNLOAD_URL_NAME
from ..models import (
    Application,
    ApplicationDocument,
    ApplicationMessage,
    ApplicationRegion,
    ApplicationState,
)
from ..permissions import APPLICATION_MANAGE
from ..workflow import APPLICATION_WORKFLOW, DECISION_ONLY
from ._common import ReadOnlyInline, YesNoFilter, _action_form, _bulk, _staff_roles
from .approval import ApplicationApprovalAdmin, DecisionInline
from .decisions import ApplicationDecisionAdmin
from .forms import MoveForm
from .reviews import ApplicationReviewAdmin, AssignmentInline, MyReviewFilter, ScorecardInline

# Duplicate flags store the state as it was found; these show it in the reader's language.
APPLICATION_STATE_LABELS = dict(ApplicationState.choices)
PARTNER_STATUS_LABELS = dict(PartnerStatus.choices)


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


class HasDuplicatesFilter(YesNoFilter):
    title = _("possible duplicate")
    parameter_name = "duplicate"
    yes_lookup = {"has_duplicates": True}


@admin.register(Application)
class ApplicationAdmin(ApplicationDecisionAdmin, ApplicationReviewAdmin, ApplicationApprovalAdmin, TenantScopedAdmin):
    """Applications: evaluation summary and duplicate flags on top; actions call the services."""

    global_search = True
    search_icon = "assignment"
    empty_hint = _("Applications arrive from the public application form, a campaign's link or the API.")
    view_roles = STAFF_ROLES
    change_roles = _staff_roles(APPLICATION_MANAGE)
    # The columns a manager decides from; the credit code is searchable, the campaign a filter.
    list_display = ("legal_name", "partner_type", "state", "current_step", "duplicate_badge", "reviews",
                    "submitted_on")
    # Sortable where an index that begins with the tenant gives the order (migrations 0007/0010,
    # the (tenant, state, …) index): sorting by type, step, duplicates or the review counts
    # sorted every application of the tenant, and unfold rebuilds each sortable header's three
    # links for every row it renders (docs/performance.md).
    sortable_by = ("legal_name", "state", "submitted_on")
    list_per_page = 50
    # Cheap at 20,000 applications (docs/performance.md): the campaign and plan filters list the
    # tenant's campaigns and plans (the related-only ones ran a DISTINCT over every application);
    # a submitted-at filter instead of the date hierarchy (its min/max and distinct years read
    # the whole tenant); no second full count of the unfiltered list.
    list_filter = (MyReviewFilter, ("state", ChoicesDropdownFilter), ("partner_type", ChoicesDropdownFilter),
                   HasDuplicatesFilter, ("source", ChoicesDropdownFilter), ("campaign", AutocompleteSelectFilter),
                   ("plan", AutocompleteSelectFilter), ("submitted_at", RangeDateFilter))
    search_fields = ("legal_name", "credit_code", "contact_name", "contact_email")
    show_full_result_count = False
    paginator = EstimatedCountPaginator
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

    def get_search_results(self, request, queryset, search_term):
        # The API's ?q= (a trigram index over recruitment_search_text(…) on PostgreSQL, so 华信
        # is found from the index): no row can appear twice.
        return selectors.application_search(queryset, search_term), False

    def has_add_permission(self, request, *args) -> bool:
        # Applications arrive by the public form or the API (application_submit), never typed in here.
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        # Applications are records: they are withdrawn or rejected, never deleted.
        return False

    def has_manage_permission(self, request) -> bool:
        return has_permission(request, APPLICATION_MANAGE)

    def update_object(self, request, obj, fields):
        data = {name: value for name, value in fields.items() if name in services.APPLICATION_FIELDS}
        fresh = Application.objects.get(pk=obj.pk)
        return services.application_update(application=fresh, actor=request.user, data=data)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.state not in services.EDITABLE_STATES:
            fields += [f for f in services.APPLICATION_FIELDS if f not in fields]
        return fields

    @admin.display(description=_("possible duplicate"), ordering="has_duplicates")
    def duplicate_badge(self, obj):
        # A warning where there is something to check; nothing where there is not.
        if not obj.has_duplicates:
            return ""
        return format_html('<span class="ch-warning">{}</span>', _("possible duplicate"))

    @admin.display(description=_("scorecards / reviewers"), ordering="scorecard_count")
    def reviews(self, obj):
        if not obj.reviewer_count:
            return "—"
        return f"{obj.scorecard_count} / {obj.reviewer_count}"

    @admin.display(description=_("submitted"), ordering="submitted_at")
    def submitted_on(self, obj):
        return date_format(timezone.localtime(obj.submitted_at), "SHORT_DATE_FORMAT") if obj.submitted_at else "—"

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

    # ---- actions (reviewers and decisions: the mixins')

    @admin.action(description=_("Move to another state…"), permissions=["manage"])
    def move_state(self, request, queryset):
        form = MoveForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            to_state, reason = form.cleaned_data["to_state"], form.cleaned_data["reason"]

            def move(application):
                if to_state == ApplicationState.WITHDRAWN:
                    return services.application_withdraw(application=application, actor=request.user, reason=reason)
                return services.application_transition(application=application, to_state=to_state,
                                                       actor=request.user, reason=reason)

            _bulk(request, queryset, move,
                  lambda n: ngettext("%(count)d application moved.", "%(count)d applications moved.", n))
            return None
        return _action_form(self, request, queryset, form=form, title=gettext("Move to another state"),
                            action="move_state", button=gettext("Move"))

