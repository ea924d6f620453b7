"""Coverage (渠道布置) in the admin: targets per region × partner type, the gaps worst first, the map.

Owners and channel managers set the targets and recompute; every member of staff reads the gaps
(list with CSV/XLSX export, and the region × type table with the gaps highlighted). A gap row links
to a new recruitment plan with its name and description filled in (recruitment's add form reads
them from the query string); evaluation never imports recruitment.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from channelhub.admin.base import TenantScopedAdmin, has_permission
from channelhub.tenancy.roles import STAFF_ROLES
from channelhub.writes import ServiceTrio

from .. import economics_selectors as selectors
from ..models import CoverageGap, CoverageTarget
from ..permissions import COVERAGE_MANAGE
from ..services import coverage as services
from ._common import REFUSALS, report_refusal, staff_roles
from .economics import RollupAdmin


def recruitment_link(gap: CoverageGap) -> str:
    """The recruitment plan add form with the gap written into its name and description ('' without it)."""
    try:
        base = reverse("admin:recruitment_recruitmentplan_add")
    except NoReverseMatch:
        return ""
    cell = f"{gap.region} · {gap.get_partner_type_display()}"
    if gap.product_category:
        cell = f"{cell} · {gap.product_category}"
    name = gettext("Coverage: %(cell)s") % {"cell": cell}
    description = gettext("%(missing)d more active partner(s) wanted in %(cell)s (%(active)d of %(wanted)d).") % {
        "missing": gap.gap, "cell": cell, "active": gap.active, "wanted": gap.wanted}
    return f"{base}?{urlencode({'name': name[:200], 'description': description})}"


@admin.register(CoverageTarget)
class CoverageTargetAdmin(TenantScopedAdmin):
    view_roles = STAFF_ROLES
    change_roles = staff_roles(COVERAGE_MANAGE)
    list_display = ("region", "partner_type", "product_category", "wanted", "market_weight", "note")
    list_filter = ("partner_type",)
    list_select_related = ("region",)
    search_fields = ("region__name", "region__code", "product_category", "note")
    autocomplete_fields = ("region",)
    fields = ("region", "partner_type", "product_category", "wanted", "market_weight", "note")
    empty_hint = _("How many active partners of each type you want per region, and how big that market is.")
    writes = ServiceTrio(create=services.coverage_target_create, update=services.coverage_target_update,
                         delete=services.coverage_target_delete, instance="target")


@admin.register(CoverageGap)
class CoverageGapAdmin(RollupAdmin):
    """Every target's cell as last computed, worst first (weighted gap): read-only, exportable."""

    view_roles = STAFF_ROLES
    change_list_template = "admin/evaluation/coveragegap/change_list.html"
    list_display = ("region", "partner_type", "product_category", "active", "wanted", "gap_shown",
                    "market_weight", "weighted_gap", "recruit")
    list_filter = ("partner_type", ("region", admin.RelatedOnlyFieldListFilter))
    search_fields = ("region__name", "region__code", "product_category")
    fields = ("region", "partner_type", "product_category", "active", "wanted", "gap", "market_weight",
              "weighted_gap", "computed_at")
    readonly_fields = fields
    empty_hint = _("Set coverage targets: the daily job then counts the active partners against them.")

    def get_queryset(self, request):
        return selectors.coverage_gaps()

    def has_compute_permission(self, request) -> bool:
        return has_permission(request, COVERAGE_MANAGE)

    @admin.display(description=_("partners missing"), ordering="gap")
    def gap_shown(self, obj):
        if obj.gap:
            return format_html('<strong class="text-red-600">{}</strong>', obj.gap)
        return "0"

    @admin.display(description=_("recruit"))
    def recruit(self, obj):
        link = recruitment_link(obj) if obj.gap else ""
        return format_html('<a href="{}">{}</a>', link, gettext("New recruitment plan")) if link else "—"

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "map_url": reverse("admin:evaluation_coveragegap_map")}
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        site = self.admin_site
        return [
            path("map/", site.admin_view(self.map_view), name="evaluation_coveragegap_map"),
            path("compute/", site.admin_view(self.compute_view), name="evaluation_coveragegap_compute"),
            *super().get_urls(),
        ]

    def _context(self, request, **context):
        return {**self.admin_site.each_context(request), "opts": self.model._meta,
                "list_url": reverse("admin:evaluation_coveragegap_changelist"), **context}

    def map_view(self, request):
        """The coverage map as a table: a row per region, a column per partner type, gaps highlighted."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        return TemplateResponse(request, "admin/evaluation/coveragegap/map.html", self._context(
            request, title=gettext("Coverage map"), matrix=selectors.coverage_matrix(),
            may_compute=self.has_compute_permission(request),
            compute_url=reverse("admin:evaluation_coveragegap_compute"),
        ))

    def compute_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        allowed = self.has_compute_permission(request)
        back = reverse("admin:evaluation_coveragegap_map")
        if request.method == "POST" and allowed:
            try:
                written = services.coverage_compute(tenant=request.tenant, actor=request.user)
            except REFUSALS as error:
                report_refusal(request, error)
            else:
                messages.success(request, gettext("Coverage recomputed: %(count)d targets.") % {"count": written})
                return redirect(back)
        return TemplateResponse(request, "admin/evaluation/coveragegap/compute.html", self._context(
            request, title=gettext("Recompute coverage"), form=None, allowed=allowed, back_url=back,
        ))
