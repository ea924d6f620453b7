"""Joint targets in the admin: managers propose or change them for the vendor and approve the partner's
proposals; achievement from reported sales beside each target and per month."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from channelhub.admin.base import TenantScopedAdmin, has_permission
from channelhub.tenancy.roles import STAFF_ROLES

from .. import selectors, services
from ..models import SalesTarget, TargetMonth, TargetSide, TargetState
from ..permissions import TARGET_VENDOR
from ._common import REFUSALS, ReadOnlyInline, refusal_text, staff_roles


class TargetMonthInline(ReadOnlyInline):
    model = TargetMonth
    fields = ("month", "amount")
    readonly_fields = fields


@admin.register(SalesTarget)
class SalesTargetAdmin(TenantScopedAdmin):
    view_roles = STAFF_ROLES
    change_roles = staff_roles(TARGET_VENDOR)
    list_display = ("partner", "key", "category", "amount", "achieved_amount", "achievement", "state",
                    "proposed_by", "revision")
    list_filter = ("state", "span", "proposed_by")
    search_fields = ("partner__legal_name", "category")
    autocomplete_fields = ("partner",)
    fields = ("partner", "span", "start", "category", "amount", "plan", "note")
    inlines = [TargetMonthInline]
    actions = ["approve"]
    empty_hint = _("Managers or partner administrators propose targets; the other side agrees.")

    def get_queryset(self, request):
        return selectors.target_list()

    def get_readonly_fields(self, request, obj=None):
        done = ("state", "revision", "vendor_approved_by", "vendor_approved_at", "partner_approved_by",
                "partner_approved_at", "achieved_amount", "achievement")
        return (*done, "partner") if obj else ()

    def get_fields(self, request, obj=None):
        if obj is None:
            return self.fields
        return (*self.fields, "state", "revision", "vendor_approved_by", "vendor_approved_at", "partner_approved_by",
                "partner_approved_at", "achieved_amount", "achievement")

    @admin.display(description=_("achieved"))
    def achieved_amount(self, obj):
        return selectors.target_achieved(obj) if hasattr(obj, "achieved_all") else "—"

    @admin.display(description=_("achievement"))
    def achievement(self, obj):
        return f"{selectors.achievement_percent(obj)} %" if hasattr(obj, "achieved_all") else "—"

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a target is changed, never deleted: its history is the record

    def has_approve_permission(self, request) -> bool:
        return has_permission(request, TARGET_VENDOR)

    @admin.action(description=_("Agree for the vendor"), permissions=["approve"])
    def approve(self, request, queryset):
        done = 0
        for target in queryset.filter(state=TargetState.PROPOSED, proposed_by=TargetSide.PARTNER):
            try:
                services.target_approve(target=target, actor=request.user)
                done += 1
            except REFUSALS as error:
                messages.error(request, f"{target}: {refusal_text(error)}")
        self.message_user(request, ngettext("%(count)d target agreed.", "%(count)d targets agreed.", done)
                          % {"count": done})

    def create_object(self, request, obj, fields):
        return services.target_propose(tenant=request.tenant, actor=request.user, **fields)

    def update_object(self, request, obj, fields):
        return services.target_update(target=obj, actor=request.user, **fields)
