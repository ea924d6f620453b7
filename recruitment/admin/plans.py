"""Plans and campaigns in the admin: targets inline, status actions, the reports page.

The reports page reads the reports' rollup (``selectors.report_figures``, kept by the hourly
job ``recruitment.report_rollup``), says when it was computed and offers *Recompute now*.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views import View

from channelhub.admin.base import TenantScopedAdmin, TenantScopedInline, has_permission
from channelhub.tenancy.roles import STAFF_ROLES
from channelhub.writes import ServiceTrio

from .. import reports, selectors, services
from ..models import Campaign, RecruitmentPlan, RecruitmentTarget
from ..permissions import PLAN_MANAGE, REPORTS_VIEW
from ._common import _bulk, _staff_roles


class RecruitmentTargetInline(TenantScopedInline):
    model = RecruitmentTarget
    fields = ("region", "partner_type", "target_count")
    autocomplete_fields = ("region",)
    change_roles = _staff_roles(PLAN_MANAGE)

    def create_object(self, request, obj, fields):
        return services.target_create(
            tenant=request.tenant, actor=request.user, plan=obj.plan, region=obj.region,
            partner_type=obj.partner_type, target_count=obj.target_count,
        )

    def update_object(self, request, obj, fields):
        return services.target_update(target=obj, actor=request.user, **fields)

    def delete_object(self, request, obj):
        services.target_delete(target=obj, actor=request.user)


@admin.register(RecruitmentPlan)
class RecruitmentPlanAdmin(TenantScopedAdmin):
    view_roles = STAFF_ROLES
    change_roles = _staff_roles(PLAN_MANAGE)
    change_list_template = "admin/recruitment/recruitmentplan/change_list.html"
    list_display = ("name", "start_date", "end_date", "owner", "status", "budget", "target_total",
                    "application_count", "approved_count", "active_count", "cost_so_far")
    list_filter = ("status",)
    search_fields = ("name", "description")
    readonly_fields = ("status", "status_changed_at", "created_at")
    inlines = [RecruitmentTargetInline]
    actions = ["activate", "close"]

    def get_queryset(self, request):
        return selectors.plan_list()

    def get_urls(self):
        return [
            path("reports/", self.admin_site.admin_view(self.reports_view),
                 name="recruitment_recruitmentplan_reports"),
            path("reports/recompute/", self.admin_site.admin_view(ReportRecomputeView.as_view(model_admin=self)),
                 name="recruitment_recruitmentplan_reports_recompute"),
            *super().get_urls(),
        ]

    def has_reports_permission(self, request) -> bool:
        """Who may read the recruitment reports (funnel, time to decision, reviewer workload)."""
        return has_permission(request, REPORTS_VIEW)

    def has_transition_permission(self, request) -> bool:
        return has_permission(request, PLAN_MANAGE)

    writes = ServiceTrio(create=services.plan_create, update=services.plan_update,
                         delete=services.plan_delete, instance="plan")

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_see_reports": self.has_reports_permission(request)}
        return super().changelist_view(request, extra_context)

    def reports_view(self, request):
        """The recruitment reports page (managers only); ``?export=csv|xlsx`` downloads the same table."""
        if not self.has_reports_permission(request):
            raise PermissionDenied
        report = request.GET.get("report") or "funnel"
        try:
            table = reports.build(report, request.GET.get("by") or None)
        except reports.UnknownReport as error:
            raise Http404(str(error)) from error
        export = request.GET.get("export")
        if export in reports.EXPORT_FORMATS:
            response = HttpResponse(reports.export(table.as_dict(), export),
                                    content_type=reports.CONTENT_TYPES[export])
            response["Content-Disposition"] = f'attachment; filename="{table.filename(export)}"'
            return response
        base = reverse("admin:recruitment_recruitmentplan_reports")
        tabs = [
            {"title": title, "items": [
                {"label": label, "url": f"{base}?{urlencode({'report': name, 'by': by})}",
                 "active": name == table.report and by == table.by}
                for by, label in reports.GROUPINGS[name].items()
            ]}
            for name, title in reports.REPORTS.items()
        ]
        query = urlencode({"report": table.report, "by": table.by})
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Recruitment reports"),
            "opts": self.model._meta,
            "table": table,
            "tabs": tabs,
            "exports": [(fmt.upper(), f"{base}?{query}&export={fmt}") for fmt in reports.EXPORT_FORMATS],
            "recompute_url": reverse("admin:recruitment_recruitmentplan_reports_recompute"),
        }
        return TemplateResponse(request, "admin/recruitment/reports.html", context)

    @admin.display(description=_("target"), ordering="target_total")
    def target_total(self, obj):
        return obj.target_total

    @admin.display(description=_("applications"))
    def application_count(self, obj):
        return obj.application_count

    @admin.display(description=_("approved"))
    def approved_count(self, obj):
        return obj.approved_count

    # The same measure, under the same name, as the recruitment reports' funnel.
    @admin.display(description=_("Active partners"), ordering="active_count")
    def active_count(self, obj):
        return obj.active_count

    @admin.display(description=_("cost so far"), ordering="cost_so_far")
    def cost_so_far(self, obj):
        return obj.cost_so_far

    def _move(self, request, queryset, to_status):
        _bulk(request, queryset,
              lambda plan: services.plan_transition(plan=plan, to_status=to_status, actor=request.user,
                                                    reason=gettext("Bulk action in the admin")),
              lambda n: ngettext("%(count)d plan changed.", "%(count)d plans changed.", n))

    @admin.action(description=_("Activate selected plans"), permissions=["transition"])
    def activate(self, request, queryset):
        self._move(request, queryset, "active")

    @admin.action(description=_("Close selected plans"), permissions=["transition"])
    def close(self, request, queryset):
        self._move(request, queryset, "closed")


@admin.register(Campaign)
class CampaignAdmin(TenantScopedAdmin):
    view_roles = STAFF_ROLES
    change_roles = _staff_roles(PLAN_MANAGE)
    list_display = ("name", "code", "plan", "source", "status", "start_date", "cost", "application_count",
                    "qualified_count", "approved_count", "active_count", "cost_per_recruited")
    list_filter = ("source", "status", ("plan", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name", "code")
    autocomplete_fields = ("referrer",)
    readonly_fields = ("status", "status_changed_at", "created_at")
    actions = ["start", "finish", "cancel"]

    def get_queryset(self, request):
        # The funnel counts are filled for the rows shown (one GROUP BY), so they are not sortable.
        return selectors.campaign_list()

    def has_transition_permission(self, request) -> bool:
        return has_permission(request, PLAN_MANAGE)

    writes = ServiceTrio(create=services.campaign_create, update=services.campaign_update,
                         delete=services.campaign_delete, instance="campaign")

    @admin.display(description=_("applications"))
    def application_count(self, obj):
        return obj.application_count

    @admin.display(description=_("qualified"))
    def qualified_count(self, obj):
        return obj.qualified_count

    @admin.display(description=_("approved"))
    def approved_count(self, obj):
        return obj.approved_count

    @admin.display(description=_("active"))
    def active_count(self, obj):
        return obj.active_count

    @admin.display(description=_("cost per recruited partner"))
    def cost_per_recruited(self, obj):
        return selectors.cost_per_recruited(obj) or "—"

    def _move(self, request, queryset, to_status):
        _bulk(request, queryset,
              lambda campaign: services.campaign_transition(campaign=campaign, to_status=to_status,
                                                            actor=request.user,
                                                            reason=gettext("Bulk action in the admin")),
              lambda n: ngettext("%(count)d campaign changed.", "%(count)d campaigns changed.", n))

    @admin.action(description=_("Start selected campaigns"), permissions=["transition"])
    def start(self, request, queryset):
        self._move(request, queryset, "running")

    @admin.action(description=_("Finish selected campaigns"), permissions=["transition"])
    def finish(self, request, queryset):
        self._move(request, queryset, "finished")

    @admin.action(description=_("Cancel selected campaigns"), permissions=["transition"])
    def cancel(self, request, queryset):
        self._move(request, queryset, "cancelled")


# --------------------------------------------------------------------------- configuration


class ReportRecomputeView(View):
    """*Recompute now* on the reports page: the tenant's report figures at once (POST only), then
    back to the report it was pressed on. The service checks the permission again."""

    http_method_names = ["post"]
    model_admin: RecruitmentPlanAdmin | None = None

    def post(self, request):
        if not self.model_admin.has_reports_permission(request):
            raise PermissionDenied
        services.report_figures_recompute(tenant=request.tenant, actor=request.user)
        messages.success(request, gettext("The reports were recomputed."))
        report, by = request.POST.get("report", ""), request.POST.get("by", "")
        url = reverse("admin:recruitment_recruitmentplan_reports")
        if by in reports.GROUPINGS.get(report, {}):  # only a known report: never a URL from the form
            url += "?" + urlencode({"report": report, "by": by})
        return redirect(url)
