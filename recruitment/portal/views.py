"""Recruitment pages of the partner portal: thin views over the recruitment selectors."""

from __future__ import annotations

from django.views.generic import ListView

from channelhub.portal.mixins import PortalMixin

from .. import selectors
from ..models import OnboardingTask


class ChecklistView(PortalMixin, ListView):
    """The signed-in partner's own onboarding checklist: every step, required or not, done when.

    Partner admins and partner users alike read it; the steps are ticked by the channel manager
    (or by milestones), never here. A partner without a checklist sees that it has none.
    """

    model = OnboardingTask
    template_name = "recruitment/portal/checklist.html"
    context_object_name = "tasks"

    def get_queryset(self):
        return selectors.onboarding_task_list(partner_id=self.partner.pk).order_by("order", "key")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        tasks = list(context["tasks"])
        context["checklist"] = selectors.OnboardingChecklist(tasks) if tasks else None
        return context
