"""Applications in the admin: evaluation summary and duplicate flags, scoring page, review and decision actions."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from channelhub.admin.base import TenantScopedAdmin, TenantScopedInline, has_permission
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
    ApprovalDecision,
    Decision,
    ReturnTarget,
    ReviewerAssignment,
    Scorecard,
)
from ..permissions import APPLICATION_DECIDE, APPLICATION_MANAGE
from ..workflow import APPLICATION_WORKFLOW, DECISION_ONLY
from ._common import REFUSALS, _action_form, _errors, _report, _staff_roles
from .decisions import ApplicationDecisionAdmin
from .forms import DecisionForm, MoveForm, RemoveReviewersForm, ReturnForm, ReviewersForm, ScorecardForm

# Duplicate flags store the state as it was found; these show it in the reader's language.
APPLICATION_STATE_LABELS = dict(ApplicationState.choices)
PARTNER_STATUS_LABELS = dict(PartnerStatus.choices)


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
class ApplicationAdmin(ApplicationDecisionAdmin, TenantScopedAdmin):
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
