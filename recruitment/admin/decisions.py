"""Actions on the application page: approve / reject / return at the current step, assign reviewers.

Each button leads to a small confirmation form (a comment is required to reject or return);
the form calls the service, which authorizes again and may refuse (shown as a message,
nothing changed). The buttons are offered only to whom the service would admit: the current
step's role for a decision, managers for reviewers.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from channelhub.admin.base import has_permission

from .. import selectors, services
from ..models import Application, ApplicationState, ApprovalStep, Decision, ReturnTarget
from ..permissions import APPLICATION_DECIDE
from ._common import REFUSALS, _errors
from .forms import ReviewersForm

# Where the service accepts reviewers (services.application_assign_reviewers).
REVIEWER_STATES = (ApplicationState.SUBMITTED, ApplicationState.SCREENING, ApplicationState.SCORING)


def decision_steps(request) -> list[int] | None:
    """The ids of the active approval steps the request's roles decide; None for a superuser (all)."""
    access = getattr(request, "access", None)
    if access is None or not access.is_staff:
        return []
    if access.is_superuser:
        return None
    return list(ApprovalStep.objects.filter(is_active=True, role__in=access.roles).values_list("pk", flat=True))


class AwaitingMyDecisionFilter(admin.SimpleListFilter):
    """Applications in review whose current approval step is decided by one of my roles."""

    title = _("my approval step")
    parameter_name = "my_step"

    def lookups(self, request, model_admin):
        return [("yes", _("Awaiting my approval"))]

    def queryset(self, request, queryset):
        if self.value() != "yes":
            return queryset
        queryset = queryset.filter(state=ApplicationState.IN_REVIEW)
        steps = decision_steps(request)
        return queryset if steps is None else queryset.filter(current_step_id__in=steps)


class DecideForm(forms.Form):
    comment = forms.CharField(label=_("comment"), required=False, max_length=4000,
                              widget=forms.Textarea(attrs={"rows": 4}))
    return_to = forms.ChoiceField(label=_("return to"), choices=ReturnTarget.choices, initial=ReturnTarget.SCORING,
                                  required=False)
    # The step the decider saw: a decision on a stale page is refused (services.application_decide).
    step = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, decision: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.decision = decision
        if decision != Decision.RETURN:
            del self.fields["return_to"]
        if decision in (Decision.REJECT, Decision.RETURN):
            self.fields["comment"].required = True
            self.fields["comment"].error_messages["required"] = gettext(
                "Give a reason for rejecting or returning the application.")
        else:
            self.fields["comment"].help_text = _("Optional: kept with the decision in the application's history.")


TITLES = {
    Decision.APPROVE: _("Approve at the current step"),
    Decision.REJECT: _("Reject the application"),
    Decision.RETURN: _("Return for rework"),
}


class ApplicationDecisionAdmin:
    """The record-action half of ``ApplicationAdmin``: decision and reviewer buttons and their pages."""

    def get_urls(self):
        site = self.admin_site
        return [
            path("<int:pk>/decide/", site.admin_view(self.decide_view), name="recruitment_application_decide"),
            path("<int:pk>/reviewers/", site.admin_view(self.reviewers_view),
                 name="recruitment_application_reviewers"),
            *super().get_urls(),
        ]

    def get_list_filter(self, request):
        filters = list(super().get_list_filter(request))
        return [filters[0], AwaitingMyDecisionFilter, *filters[1:]] if filters else [AwaitingMyDecisionFilter]

    # ---- who is offered what

    def may_decide(self, request, application: Application) -> bool:
        """The service's own conditions, read from the page's row: in review, at a step of my role."""
        if not has_permission(request, APPLICATION_DECIDE):
            return False
        if application.state != ApplicationState.IN_REVIEW or application.current_step_id is None:
            return False
        step = application.current_step
        return request.access.is_superuser or (step.is_active and step.role in request.access.roles)

    def may_assign_reviewers(self, request, application: Application) -> bool:
        return self.has_manage_permission(request) and application.state in REVIEWER_STATES

    def change_view(self, request, object_id, form_url="", extra_context=None):
        application = self.get_object(request, unquote(object_id))
        if application is not None:
            extra_context = {
                **(extra_context or {}),
                "may_decide": self.may_decide(request, application),
                "may_assign_reviewers": self.may_assign_reviewers(request, application),
                "decisions": [(value, label) for value, label in Decision.choices],
            }
        return super().change_view(request, object_id, form_url, extra_context)

    # ---- pages

    def _page(self, request, application, template: str, **context):
        return TemplateResponse(request, f"admin/recruitment/application/{template}", {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": application,
            "subtitle": str(application),
            **context,
        })

    def decide_view(self, request, pk: int):
        """Confirm a decision at the application's current step, then take it through the service."""
        # Gated by the declared permission (any staff may hold a step's role); whether this
        # person decides this application now is the page's ``allowed`` and the service's check.
        if not has_permission(request, APPLICATION_DECIDE):
            raise PermissionDenied
        decision = request.POST.get("decision") or request.GET.get("decision") or Decision.APPROVE
        if decision not in Decision.values:
            return HttpResponseBadRequest(gettext("Choose approve, reject or return."))
        application = get_object_or_404(selectors.application_list(), pk=pk)
        change_url = reverse("admin:recruitment_application_change", args=[application.pk])
        allowed = self.may_decide(request, application)
        form = DecideForm(request.POST if request.method == "POST" else None, decision=decision,
                          initial={"step": application.current_step_id})
        if request.method == "POST" and form.is_valid():
            seen = form.cleaned_data.get("step")
            try:
                services.application_decide(
                    application=application, actor=request.user, decision=decision,
                    comment=form.cleaned_data["comment"],
                    return_to=form.cleaned_data.get("return_to") or ReturnTarget.SCORING,
                    step=ApprovalStep.objects.filter(pk=seen).first() if seen else None,
                )
            except REFUSALS as error:
                messages.error(request, _errors(error))
            else:
                messages.success(request, {
                    Decision.APPROVE: gettext("The application is approved at this step."),
                    Decision.REJECT: gettext("The application is rejected."),
                    Decision.RETURN: gettext("The application is returned for rework."),
                }[decision])
            return redirect(change_url)
        return self._page(request, application, "decide.html", title=TITLES[decision], form=form,
                          decision=decision, allowed=allowed, change_url=change_url)

    def reviewers_view(self, request, pk: int):
        """Choose the staff who score this application (managers; services.application_assign_reviewers)."""
        if not self.has_manage_permission(request):
            raise PermissionDenied
        application = get_object_or_404(selectors.application_list(), pk=pk)
        change_url = reverse("admin:recruitment_application_change", args=[application.pk])
        assigned = list(selectors.reviewers_of(applications=[application.pk]))
        form = ReviewersForm(request.POST if request.method == "POST" else None, initial={"reviewers": assigned})
        if request.method == "POST" and form.is_valid():
            try:
                services.application_assign_reviewers(
                    application=application, reviewers=form.cleaned_data["reviewers"], actor=request.user)
            except REFUSALS as error:
                messages.error(request, _errors(error))
            else:
                messages.success(request, gettext("Reviewers assigned."))
            return redirect(change_url)
        return self._page(request, application, "reviewers.html", title=gettext("Assign reviewers"), form=form,
                          assigned=assigned, allowed=application.state in REVIEWER_STATES, change_url=change_url)
