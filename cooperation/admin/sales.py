"""Sales reporting in the admin: periods (deadline, close), reports and lines (read-only records),
reporting statuses (who reported late or not at all). Figures are written by partners only."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin

from channelhub.admin.base import RoleGate, TenantScopedAdmin
from channelhub.tenancy.roles import STAFF_ROLES

from .. import selectors, services
from ..models import ReportingStatus, SalesLine, SalesPeriod, SalesReport
from ..permissions import SALES_MANAGE
from ._common import staff_roles


@admin.register(SalesPeriod)
class SalesPeriodAdmin(TenantScopedAdmin):
    view_roles = STAFF_ROLES
    change_roles = staff_roles(SALES_MANAGE)
    list_display = ("key", "deadline", "is_closed", "reported", "late", "missing")
    list_filter = ("is_closed",)
    empty_hint = _("Periods open when partners report, or with the daily deadline job.")

    def get_queryset(self, request):
        return selectors.period_list()

    def get_fields(self, request, obj=None):
        return ("deadline", "is_closed") if obj else ("month", "deadline", "is_closed")

    def get_readonly_fields(self, request, obj=None):
        return ("key", "reminded_at", "missing_recorded_at") if obj else ()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # lines and statuses hang on it

    @admin.display(description=_("reported"))
    def reported(self, obj):
        return obj.reported_count

    @admin.display(description=_("of them late"))
    def late(self, obj):
        return obj.late_count

    @admin.display(description=_("missing"))
    def missing(self, obj):
        return obj.missing_count

    def create_object(self, request, obj, fields):
        return services.sales_period_create(tenant=request.tenant, actor=request.user, **fields)

    def update_object(self, request, obj, fields):
        return services.sales_period_update(period=obj, actor=request.user, **fields)


@admin.register(SalesReport)
class SalesReportAdmin(TenantScopedAdmin):
    """Each submission (form, file, API): how many lines, corrections and late periods it brought."""

    view_roles = STAFF_ROLES
    read_only = True
    list_display = ("partner", "submitted_at", "source", "submitted_by", "line_count", "correction_count",
                    "late_count", "file_name")
    list_filter = ("source",)
    search_fields = ("partner__legal_name", "file_name", "idempotency_key")
    list_select_related = ("partner", "submitted_by")
    fields = ("partner", "source", "submitted_by", "submitted_at", "file_name", "idempotency_key", "line_count",
              "correction_count", "late_count", "payload_hash")
    readonly_fields = fields
    empty_hint = _("Partners report sales in the portal, by file upload or through the API.")


# Lines and statuses are append-only records without an audit table of their own (a correction is a new
# line pointing at the old one): the plain admin, read-only, like the workflow log.
@admin.register(SalesLine)
class SalesLineAdmin(RoleGate, ModelAdmin):
    """Every figure with its corrections: a corrected line stays, no longer current, beside the new one."""

    view_roles = STAFF_ROLES
    read_only = True
    list_display = ("period", "partner", "product", "region", "quantity", "amount", "currency", "end_customers",
                    "is_current", "correction_reason")
    list_filter = ("is_current", "currency", "period")
    search_fields = ("partner__legal_name", "product__sku", "product__name")
    fields = ("report", "partner", "period", "product", "region", "quantity", "amount", "currency",
              "end_customers", "is_current", "corrects", "correction_reason", "superseded_at", "created_at")
    readonly_fields = fields
    empty_hint = _("Partners report sales in the portal, by file upload or through the API.")
    list_fullwidth = True
    list_per_page = 50

    def get_queryset(self, request):
        return selectors.sales_line_list()


@admin.register(ReportingStatus)
class ReportingStatusAdmin(RoleGate, ModelAdmin):
    """Per partner and period: reported on time, late, or not at all (recorded after the deadline)."""

    view_roles = STAFF_ROLES
    read_only = True
    list_display = ("period", "partner", "first_reported_at", "last_reported_at", "is_late")
    list_filter = ("is_late", ("first_reported_at", admin.EmptyFieldListFilter), "period")
    search_fields = ("partner__legal_name",)
    fields = ("period", "partner", "first_reported_at", "last_reported_at", "is_late")
    readonly_fields = fields

    def get_queryset(self, request):
        return selectors.reporting_status_list()
