"""The evaluation set-up in the admin: KPI catalogue, scorecards with their lines and versions,
tiers, incentive rules with their brackets. Owners and channel managers write; all staff read."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from channelhub.admin.base import TenantScopedAdmin, has_permission
from channelhub.tenancy.roles import STAFF_ROLES
from channelhub.writes import ServiceTrio

from .. import services
from ..models import IncentiveBracket, IncentiveRule, Kpi, Scorecard, ScorecardLine, Tier
from ..permissions import SETUP_MANAGE
from ._common import ServiceInline, bulk, staff_roles

SETUP = staff_roles(SETUP_MANAGE)


@admin.register(Kpi)
class KpiAdmin(TenantScopedAdmin):
    view_roles = STAFF_ROLES
    change_roles = SETUP
    list_display = ("code", "name", "kind", "source", "direction", "normalisation", "target", "floor", "ceiling",
                    "missing_rule")
    list_filter = ("kind", "normalisation", "missing_rule", "direction")
    search_fields = ("code", "name")
    empty_hint = _("Add the KPIs partners are measured on, then weigh them in a scorecard.")
    writes = ServiceTrio(create=services.kpi_create, update=services.kpi_update, delete=services.kpi_delete,
                         instance="kpi")

    @admin.display(description=_("KPI input"))
    def source(self, obj):
        return obj.source


class LineInline(ServiceInline):
    model = ScorecardLine
    fk_name = "scorecard"
    fields = ("kpi", "weight")
    parent_field = "scorecard"
    change_roles = SETUP
    autocomplete_fields = ("kpi",)
    create, update, delete, instance = (staticmethod(services.scorecard_line_create),
                                        staticmethod(services.scorecard_line_update),
                                        staticmethod(services.scorecard_line_delete), "line")


@admin.register(Scorecard)
class ScorecardAdmin(TenantScopedAdmin):
    view_roles = STAFF_ROLES
    change_roles = SETUP
    list_display = ("name", "partner_type", "version", "is_active", "line_count", "created_at")
    list_filter = ("partner_type", "is_active")
    search_fields = ("name",)
    fields = ("name", "partner_type", "version", "is_active")
    readonly_fields = ("version",)
    inlines = [LineInline]
    actions = ["new_version"]
    empty_hint = _("A scorecard weighs KPIs for one partner type; a change becomes a new version.")
    writes = ServiceTrio(create=services.scorecard_create, update=services.scorecard_update,
                         delete=services.scorecard_delete, instance="scorecard")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(line_count=Count("lines"))

    @admin.display(description=_("KPIs"), ordering="line_count")
    def line_count(self, obj):
        return obj.line_count

    def has_manage_permission(self, request) -> bool:
        return has_permission(request, SETUP_MANAGE)

    @admin.action(description=_("Start a new version (copies the lines; the older version goes out of use)"),
                  permissions=["manage"])
    def new_version(self, request, queryset):
        bulk(request, queryset, lambda card: services.scorecard_new_version(scorecard=card, actor=request.user),
             gettext("%(count)d new version(s) started."))


@admin.register(Tier)
class TierAdmin(TenantScopedAdmin):
    view_roles = STAFF_ROLES
    change_roles = SETUP
    list_display = ("name", "code", "rank", "min_score", "requires_qualification", "demote_after",
                    "discount_percent", "commission_rate", "mdf_eligible", "lead_weight")
    search_fields = ("name", "code")
    empty_hint = _("Tiers such as Platinum, Gold, Silver and Registered, with their thresholds and benefits.")
    writes = ServiceTrio(create=services.tier_create, update=services.tier_update, delete=services.tier_delete,
                         instance="tier")


class BracketInline(ServiceInline):
    model = IncentiveBracket
    fk_name = "rule"
    fields = ("threshold", "rate")
    parent_field = "rule"
    change_roles = SETUP
    create, update, delete, instance = (staticmethod(services.bracket_create),
                                        staticmethod(services.bracket_update),
                                        staticmethod(services.bracket_delete), "bracket")


@admin.register(IncentiveRule)
class IncentiveRuleAdmin(TenantScopedAdmin):
    view_roles = STAFF_ROLES
    change_roles = SETUP
    list_display = ("name", "kind", "tier", "kpi", "input_name", "threshold", "amount", "rate", "bracket_mode",
                    "is_active")
    list_filter = ("kind", "bracket_mode", "is_active")
    list_select_related = ("tier", "kpi")
    search_fields = ("name",)
    inlines = [BracketInline]
    empty_hint = _("Rewards and penalties: bonuses, commissions, rebates and penalties per tier and KPI.")
    writes = ServiceTrio(create=services.rule_create, update=services.rule_update, delete=services.rule_delete,
                         instance="rule")
