"""Channel cost and return (渠道成本控制) in the admin.

Owners, channel managers and finance read the figures: the *Cost and return* page (per partner
type over the chosen months, a chart, the monthly trend, CSV/XLSX of the table) and the list per
partner and month (filters, CSV/XLSX through import-export). Owners and finance keep the cost
rates per partner type and record costs by hand. The monthly job writes the rollup; the
*Recompute a month* page reruns it (owners, managers, finance). Partner staff never see any of it.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from channelhub import exports
from channelhub.admin.base import TenantScopedAdmin, has_permission
from channelhub.admin.dashboard import Chart, Series
from channelhub.writes import ServiceTrio

from .. import economics_selectors as selectors
from ..models import ChannelEconomics, CostEntry, CostRate
from ..permissions import COST_MANAGE, ECONOMICS_COMPUTE, ECONOMICS_VIEW
from ..services import economics as services
from ._common import REFUSALS, report_refusal, staff_roles

SPANS = (("1", _("Latest month")), ("3", _("Last 3 months")), ("12", _("Last 12 months")))


class MonthForm(forms.Form):
    period_key = forms.RegexField(label=_("month"), regex=r"^\d{4}-(0[1-9]|1[0-2])$", max_length=7,
                                  help_text=_("YYYY-MM"),
                                  error_messages={"invalid": _("Enter a month as YYYY-MM.")})


class RollupAdmin(TenantScopedAdmin):
    """A rollup table's admin: read-only and exportable, without an audit table (the job rewrites the rows).

    The history page is Django's own (the admin log), and simple-history's version page is not served.
    """

    read_only = True

    def history_view(self, request, object_id, extra_context=None):
        return admin.ModelAdmin.history_view(self, request, object_id, extra_context)

    def get_urls(self):
        opts = self.model._meta
        versions = f"{opts.app_label}_{opts.model_name}_simple_history"
        return [url for url in super().get_urls() if getattr(url, "name", None) != versions]


@admin.register(CostRate)
class CostRateAdmin(TenantScopedAdmin):
    view_roles = staff_roles(ECONOMICS_VIEW)
    change_roles = staff_roles(COST_MANAGE)
    list_display = ("partner_type", "margin_percent", "recruiting_cost", "training_cost")
    fields = ("partner_type", "margin_percent", "recruiting_cost", "training_cost")
    empty_hint = _("Per partner type: your margin on their sales, what recruiting a partner and a trainee-day "
                   "cost. Cost and return is computed from them.")
    writes = ServiceTrio(create=services.cost_rate_create, update=services.cost_rate_update,
                         delete=services.cost_rate_delete, instance="rate")


@admin.register(CostEntry)
class CostEntryAdmin(TenantScopedAdmin):
    view_roles = staff_roles(ECONOMICS_VIEW)
    change_roles = staff_roles(COST_MANAGE)
    list_display = ("period_key", "partner", "category", "amount", "note")
    list_filter = ("category", "period_key")
    list_select_related = ("partner",)
    search_fields = ("partner__legal_name", "note")
    autocomplete_fields = ("partner",)
    fields = ("partner", "period_key", "category", "amount", "note")
    empty_hint = _("Costs no chapter knows (an exhibition stand, a visit, a special allowance), per partner and "
                   "month.")
    writes = ServiceTrio(create=services.cost_entry_create, update=services.cost_entry_update,
                         delete=services.cost_entry_delete, instance="entry")


@admin.register(ChannelEconomics)
class ChannelEconomicsAdmin(RollupAdmin):
    """Per partner and month: revenue, margin, each cost and the return (read-only; the job writes it)."""

    view_roles = staff_roles(ECONOMICS_VIEW)
    change_list_template = "admin/evaluation/channeleconomics/change_list.html"
    list_display = ("partner", "period_key", "partner_type", "region", "revenue", "margin", "recruiting",
                    "training", "promotion", "incentives", "other", "total_cost", "net_return", "return_ratio")
    list_filter = ("period_key", "partner_type", ("region", admin.RelatedOnlyFieldListFilter))
    search_fields = ("partner__legal_name",)
    fields = (*list_display, "computed_at")
    readonly_fields = fields
    empty_hint = _("The monthly job writes each partner's cost and return; owners, managers and finance can also "
                   "recompute a month.")

    def get_queryset(self, request):
        return selectors.economics_list()

    def has_compute_permission(self, request) -> bool:
        return has_permission(request, ECONOMICS_COMPUTE)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}),
                         "summary_url": reverse("admin:evaluation_channeleconomics_summary"),
                         "compute_url": reverse("admin:evaluation_channeleconomics_compute")}
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        site = self.admin_site
        return [
            path("summary/", site.admin_view(self.summary_view), name="evaluation_channeleconomics_summary"),
            path("compute/", site.admin_view(self.compute_view), name="evaluation_channeleconomics_compute"),
            *super().get_urls(),
        ]

    def _context(self, request, **context):
        return {**self.admin_site.each_context(request), "opts": self.model._meta,
                "list_url": reverse("admin:evaluation_channeleconomics_changelist"), **context}

    def summary_view(self, request):
        """Per partner type over the chosen months (a GROUP BY over the rollup), with charts and exports."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        span = request.GET.get("months") if request.GET.get("months") in dict(SPANS) else "12"
        available = selectors.economics_months()
        months = available[: int(span)]
        by_type = selectors.economics_by_type(months=months)
        export = request.GET.get("export")
        if export in exports.CONTENT_TYPES:
            headers = [gettext("Partner type"), gettext("Partners"), gettext("Revenue"), gettext("Margin"),
                       gettext("Recruiting"), gettext("Training"), gettext("Promotion support"),
                       gettext("Incentives paid"), gettext("Other costs"), gettext("Total cost"),
                       gettext("Net return"), gettext("Return on cost")]
            rows = [[row.label, row.partners, row.revenue, row.margin, row.recruiting, row.training, row.promotion,
                     row.incentives, row.other, row.total_cost, row.net_return, row.return_ratio] for row in by_type]
            return exports.file_response(exports.write(export, rows, headers), export,
                                         f"channel-cost-and-return-{timezone.localdate().isoformat()}.{export}")
        by_month = selectors.economics_by_month(months=months)
        ordered = sorted(by_month)
        type_chart = Chart(caption=gettext("Margin and cost per partner type (CNY)"),
                           labels=[row.label for row in by_type],
                           series=[Series(gettext("Margin"), [float(row.margin) for row in by_type]),
                                   Series(gettext("Total cost"), [float(row.total_cost) for row in by_type])])
        month_chart = Chart(caption=gettext("Margin and cost per month (CNY)"), labels=ordered,
                            series=[Series(gettext("Margin"),
                                           [float(by_month[m]["margin_sum"] or 0) for m in ordered]),
                                    Series(gettext("Total cost"),
                                           [float(by_month[m]["cost_sum"] or 0) for m in ordered])])
        base = reverse("admin:evaluation_channeleconomics_summary")
        return TemplateResponse(request, "admin/evaluation/channeleconomics/summary.html", self._context(
            request, title=gettext("Channel cost and return"), by_type=by_type, months=months, span=span,
            spans=[(key, label, f"{base}?{urlencode({'months': key})}") for key, label in SPANS],
            type_chart=type_chart if by_type else None, month_chart=month_chart if len(ordered) > 1 else None,
            computed_at=selectors.economics_computed_at(months=months),
            exports=[(fmt.upper(), f"{base}?{urlencode({'months': span, 'export': fmt})}")
                     for fmt in exports.CONTENT_TYPES],
            may_compute=self.has_compute_permission(request),
            compute_url=reverse("admin:evaluation_channeleconomics_compute"),
        ))

    def compute_view(self, request):
        """Recompute one month's rollup; the page opens for the readers, the form for those who may run it."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        allowed = self.has_compute_permission(request)
        form = MonthForm(request.POST if request.method == "POST" else None,
                         initial={"period_key": services.previous_month_key()})
        summary = reverse("admin:evaluation_channeleconomics_summary")
        if request.method == "POST" and allowed and form.is_valid():
            try:
                written = services.economics_compute(tenant=request.tenant, period_key=form.cleaned_data["period_key"],
                                                     actor=request.user)
            except REFUSALS as error:
                report_refusal(request, error)
            else:
                messages.success(request, gettext("%(month)s recomputed: %(count)d partners.")
                                 % {"month": form.cleaned_data["period_key"], "count": written})
                return redirect(summary)
        return TemplateResponse(request, "admin/evaluation/channeleconomics/compute.html", self._context(
            request, title=gettext("Recompute a month"), form=form, allowed=allowed, back_url=summary,
        ))
