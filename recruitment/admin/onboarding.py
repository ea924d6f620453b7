"""Onboarding checklists in the admin: tick items, activate a partner early."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from channelhub.admin.base import TenantScopedAdmin, has_permission
from channelhub.milestones import source_label
from channelhub.tenancy.roles import STAFF_ROLES

from .. import selectors, services
from ..models import OnboardingTask
from ..permissions import ONBOARDING_MANAGE
from ._common import YesNoFilter, _action_form, _bulk, _staff_roles
from .forms import ActivateForm


class DoneFilter(YesNoFilter):
    title = _("done")
    parameter_name = "done"
    yes_lookup = {"done_at__isnull": False}


@admin.register(OnboardingTask)
class OnboardingTaskAdmin(TenantScopedAdmin):
    """Checklists of onboarding partners; managers tick items or activate a partner early."""

    empty_hint = _("A checklist appears here when an approved application becomes an onboarding partner.")
    view_roles = STAFF_ROLES
    change_roles = _staff_roles(ONBOARDING_MANAGE)
    list_display = ("partner", "order", "name", "required", "done_at", "done_by", "ticked_by")
    list_filter = (DoneFilter, "required")
    search_fields = ("partner__legal_name", "name")
    list_select_related = ("partner", "done_by")
    readonly_fields = ("partner", "application", "name", "description", "required", "order", "done_at",
                       "done_by", "ticked_by")
    fields = (*readonly_fields, "note")
    actions = ["mark_done", "activate_partners"]

    @admin.display(description=_("ticked by"), ordering="done_source")
    def ticked_by(self, obj) -> str:
        return source_label(obj.done_source) if obj.done_at else "—"

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
        _bulk(request, queryset,
              lambda task: services.onboarding_task_complete(partner=task.partner, key=task.key,
                                                             actor=request.user, source="admin"),
              lambda n: ngettext("%(count)d item done.", "%(count)d items done.", n))

    @admin.action(description=_("Activate these partners now…"), permissions=["manage"])
    def activate_partners(self, request, queryset):
        form = ActivateForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            _bulk(request, {task.partner for task in queryset},
                  lambda partner: services.partner_activate_early(partner=partner, actor=request.user,
                                                                  reason=form.cleaned_data["reason"]),
                  lambda n: ngettext("%(count)d partner activated.", "%(count)d partners activated.", n))
            return None
        return _action_form(self, request, queryset, form=form, title=gettext("Activate partners early"),
                            action="activate_partners", button=gettext("Activate"))
