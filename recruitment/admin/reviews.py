"""Reviewing applications in the admin: who reviews, the reviewer's scoring page, scores kept hidden
from a reviewer until they scored."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from channelhub.writes import add_service_errors

from .. import selectors, services
from ..models import ApplicationState, ReviewerAssignment, Scorecard
from ._common import ReadOnlyInline, _action_form, _bulk
from .forms import RemoveReviewersForm, ReviewersForm, ScorecardForm


class AssignmentInline(ReadOnlyInline):
    model = ReviewerAssignment
    fields = ("reviewer", "assigned_by", "assigned_at")
    readonly_fields = fields


class ScorecardInline(ReadOnlyInline):
    model = Scorecard
    fields = ("reviewer", "submitted_at", "comment")
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


class ApplicationReviewAdmin:
    """The review half of ``ApplicationAdmin``: the scoring page, "my review" marks, reviewer actions."""

    def get_urls(self):
        return [
            path("<int:pk>/score/", self.admin_site.admin_view(self.score_view),
                 name="recruitment_application_score"),
            *super().get_urls(),
        ]

    def get_list_display(self, request):
        columns = list(super().get_list_display(request))
        # Asked twice per changelist: one lookup per request.
        reviewing = getattr(request, "_recruitment_is_reviewer", None)
        if reviewing is None:
            reviewing = request._recruitment_is_reviewer = (
                ReviewerAssignment.objects.filter(reviewer=request.user).exists())
        if reviewing:
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
                    add_service_errors(form, error)
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

    @admin.action(description=_("Assign reviewers…"), permissions=["manage"])
    def assign_reviewers(self, request, queryset):
        form = ReviewersForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            _bulk(request, queryset,
                  lambda application: services.application_assign_reviewers(
                      application=application, reviewers=form.cleaned_data["reviewers"], actor=request.user),
                  lambda n: ngettext("Reviewers assigned to %(count)d application.",
                                     "Reviewers assigned to %(count)d applications.", n))
            return None
        return _action_form(self, request, queryset, form=form, title=gettext("Assign reviewers"),
                            action="assign_reviewers", button=gettext("Assign"))

    @admin.action(description=_("Remove reviewers…"), permissions=["manage"])
    def remove_reviewers(self, request, queryset):
        """Take reviewers off the selected applications; refused per application for one who already scored."""
        form = RemoveReviewersForm(request.POST if "apply" in request.POST else None,
                                   applications=queryset.values("pk"))
        if form.is_bound and form.is_valid():
            # Counted only where someone was taken off.
            _bulk(request, queryset,
                  lambda application: bool(services.application_remove_reviewers(
                      application=application, reviewers=form.cleaned_data["reviewers"], actor=request.user)),
                  lambda n: ngettext("Reviewers removed from %(count)d application.",
                                     "Reviewers removed from %(count)d applications.", n))
            return None
        return _action_form(self, request, queryset, form=form, title=gettext("Remove reviewers"),
                            action="remove_reviewers", button=gettext("Remove"))
