"""Deciding applications in the admin: approve, reject or return at the current step of the chain."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from channelhub.admin.base import has_permission

from .. import selectors, services
from ..models import ApprovalDecision, Decision, ReturnTarget
from ..permissions import APPLICATION_DECIDE
from ._common import ReadOnlyInline, _action_form, _bulk
from .forms import DecisionForm, ReturnForm


class DecisionInline(ReadOnlyInline):
    model = ApprovalDecision
    fields = ("created_at", "step", "decision", "return_to", "actor", "comment")
    readonly_fields = fields


class ApplicationApprovalAdmin:
    """The approval half of ``ApplicationAdmin``: the decision actions, offered to the chain's roles."""

    def has_decide_permission(self, request) -> bool:
        """Approve / reject / return are offered to the roles holding a step of the chain.

        Which step an application waits at, and so who decides it, is the service's check.
        """
        if not has_permission(request, APPLICATION_DECIDE):
            return False
        access = request.access
        if access.is_superuser:
            return True
        # Asked once per decision action each time the changelist lists its actions (nine times
        # a page): read the chain's roles once per request.
        roles = getattr(request, "_recruitment_chain_roles", None)
        if roles is None:
            roles = request._recruitment_chain_roles = {step.role for step in selectors.approval_chain()}
        return bool(access.roles & roles)

    def _decide(self, request, queryset, *, decision, form_class, action, title, button, message):
        form = form_class(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            _bulk(request, queryset,
                  lambda application: services.application_decide(
                      application=application, actor=request.user, decision=decision,
                      comment=form.cleaned_data.get("comment", ""),
                      return_to=form.cleaned_data.get("return_to") or ReturnTarget.SCORING),
                  message)
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
