"""Cooperation's KPI inputs for performance evaluation (``channelhub.kpi_inputs``), all set-based.

- ``cooperation.sales_amount``: current reported sales in CNY per partner over the period's months.
- ``cooperation.sales_growth``: growth of that amount against the same number of months before (a ratio).
- ``cooperation.sales_achievement``: reported sales / agreed whole-portfolio target over the period's months.
- ``cooperation.reporting_timeliness``: share of the period's months reported by the deadline (0–1).
"""

from django.utils.translation import gettext_lazy as _

from channelhub.kpi_inputs import register_kpi_input

from . import selectors

register_kpi_input("cooperation.sales_amount", label=_("Reported sales (CNY)"),
                   query=selectors.sales_amount_query, unit="CNY")
register_kpi_input("cooperation.sales_growth", label=_("Sales growth"),
                   query=selectors.sales_growth_query, unit="ratio")
register_kpi_input("cooperation.reporting_timeliness", label=_("Sales reported on time"),
                   query=selectors.reporting_timeliness_query, unit="ratio")
register_kpi_input("cooperation.sales_achievement", label=_("Sales target achievement"),
                   query=selectors.sales_achievement_query, unit="ratio")

# Deal registration: revenue won through registered deals and the win rate, by the day deals closed.
register_kpi_input("cooperation.deal_revenue", label=_("Revenue won through registered deals (CNY)"),
                   query=selectors.deal_revenue_query, unit="CNY")
register_kpi_input("cooperation.deal_win_rate", label=_("Registered deals won"),
                   query=selectors.deal_win_rate_query, unit="ratio")

# After-sales service quality (服务质量), over the tickets resolved in the period.
register_kpi_input("cooperation.service_sla_met", label=_("Service tickets resolved within the SLA"),
                   query=selectors.service_sla_met_query, unit="ratio")
register_kpi_input("cooperation.service_resolution_hours", label=_("Mean hours to resolve a service ticket"),
                   query=selectors.service_resolution_hours_query, unit="hours")
register_kpi_input("cooperation.service_satisfaction", label=_("Mean customer satisfaction with service (1–5)"),
                   query=selectors.service_satisfaction_query, unit="score")

# Cooperation II: lead distribution and market feedback.
# - ``cooperation.lead_acceptance``: accepted / answered-or-expired offers made to the partner in the period (0–1).
# - ``cooperation.lead_conversion``: of the leads the partner accepted in the period, the share converted (0–1).
# - ``cooperation.feedback_contribution``: market feedback items the partner sent in the period (a count).
register_kpi_input("cooperation.lead_acceptance", label=_("Lead acceptance rate"),
                   query=selectors.lead_acceptance_query, unit="ratio")
register_kpi_input("cooperation.lead_conversion", label=_("Lead conversion rate"),
                   query=selectors.lead_conversion_query, unit="ratio")
register_kpi_input("cooperation.feedback_contribution", label=_("Market feedback sent"),
                   query=selectors.feedback_contribution_query, unit="count")
