"""Reads of cooperation, by sub-domain; every name re-exported here."""

from .agreements import (  # noqa: F401
    agreement_detail,
    agreement_list,
    agreements_in_force,
    awaiting_signature,
    current_template_of,
    expiring_soon,
    has_signed_agreement,
    reminder_days,
    settings_of_tenant,
    template_clauses,
    template_for,
    template_list,
    valid_signatures,
)
from .audience import audience_q, audiences_of, partners_in  # noqa: F401
from .communication import (  # noqa: F401
    announcement_list,
    announcements_for,
    event_list,
    events_for,
    last_messages,
    my_rsvps,
    rsvp_list,
    thread_list,
    thread_messages,
    unacknowledged_for,
    unread_threads_for_manager,
    unread_threads_for_partner,
)

# Cooperation II: deal registration and channel conflicts.
from .deals import (  # noqa: F401
    conflict_evidence,
    conflict_list,
    deal_conflicts,
    deal_list,
    deal_matches,
    deal_revenue_query,
    deal_win_rate_query,
    deals_awaiting_decision,
    direct_account_list,
    open_conflicts,
    open_pool,
    own_party,
    partner_view,
)
from .feedback import (  # noqa: F401
    feedback_contribution_query,
    feedback_files,
    feedback_list,
    feedback_summary,
    feedback_to_triage,
    summary_window,
)
from .leads import (  # noqa: F401
    lead_acceptance_query,
    lead_conversion_query,
    lead_list,
    lead_offers,
    leads_without_partner,
    offer_list,
    offers_past_deadline,
    open_offer_count,
    weight_list,
)
from .library import downloads_per_partner, library_for, library_list  # noqa: F401

# Cooperation II: promotion support (MDF).
from .promotion import (  # noqa: F401
    budget_list,
    budgets_for,
    claim_files,
    claim_of,
    claims_awaiting_payment,
    claims_awaiting_review,
    fund_claim_list,
    fund_request_list,
    mdf_paid_per_partner,
    partner_summary,
    requests_awaiting_decision,
)

# Cooperation II: sales reporting.
from .sales import (  # noqa: F401
    due_report,
    monthly_sales,
    open_periods,
    partner_periods,
    partners_to_remind,
    period_list,
    reporting_status_list,
    reporting_timeliness_query,
    sales_amount_query,
    sales_growth_query,
    sales_line_list,
    sales_report_list,
)
from .service import (  # noqa: F401
    breached_open_tickets,
    overdue_tickets,
    service_levels,
    service_quality,
    service_resolution_hours_query,
    service_satisfaction_query,
    service_sla_met_query,
    ticket_comments,
    ticket_list,
    unresolved_tickets,
)
from .targets import (  # noqa: F401
    achievement_percent,
    sales_achievement_query,
    target_achieved,
    target_list,
    target_months_with_sales,
)
