"""Every write of cooperation: one function per use case, transactional, audited, authorized.

One module per sub-domain (templates, agreements, communication, library); every public name
is re-exported here, so callers write ``from cooperation import services``.
"""

from .agreements import (  # noqa: F401
    agreement_countersign,
    agreement_create,
    agreement_edit_text,
    agreement_expire,
    agreement_mark_expiring,
    agreement_renew,
    agreement_review,
    agreement_sign,
    agreement_submit,
    agreement_terminate,
    agreement_update,
    settings_update,
)
from .audience import audience_save  # noqa: F401
from .communication import (  # noqa: F401
    announcement_create,
    announcement_delete,
    announcement_publish,
    announcement_read,
    announcement_update,
    event_cancel,
    event_check_in,
    event_create,
    event_delete,
    event_invite,
    event_publish,
    event_rsvp,
    event_update,
    message_send,
    thread_mark_read,
    thread_start,
)

# Cooperation II: deal registration and channel conflicts.
from .deals import (  # noqa: F401
    CONFLICT_WORKFLOW,
    DEAL_WORKFLOW,
    conflict_add_evidence,
    conflict_close,
    conflict_decide,
    conflict_open,
    deal_approve,
    deal_close,
    deal_extend,
    deal_register,
    deal_reject,
    deal_withdraw,
    deals_expire,
    direct_account_check,
    direct_account_create,
    direct_account_delete,
    direct_account_update,
    find_matches,
)
from .feedback import (  # noqa: F401
    FEEDBACK_MANAGE,
    FEEDBACK_SUBMIT,
    feedback_answer,
    feedback_close,
    feedback_submit,
    feedback_tag,
    feedback_triage,
    normalise_tags,
)
from .leads import (  # noqa: F401
    LEAD_MANAGE,
    LEAD_RESPOND,
    eligible_partners,
    lead_close,
    lead_create,
    lead_offer,
    lead_route,
    lead_update,
    offer_accept,
    offer_decline,
    offer_expire,
    pick_partner,
    routing_weight,
    weight_delete,
    weight_save,
)
from .library import (  # noqa: F401
    library_download_record,
    library_file_add,
    library_item_create,
    library_item_delete,
    library_item_update,
)

# Cooperation II: promotion support (MDF).
from .promotion import (  # noqa: F401
    MDF_BUDGET,
    MDF_DECIDE,
    MDF_PAY,
    MDF_REQUEST,
    budget_create,
    budget_update,
    fund_claim_add_file,
    fund_claim_pay,
    fund_claim_review,
    fund_claim_submit,
    fund_request_approve,
    fund_request_close,
    fund_request_create,
    fund_request_reject,
    fund_request_return,
    fund_request_submit,
    fund_request_update,
)

# Cooperation II: sales reporting.
from .sales import (  # noqa: F401
    IdempotencyConflict,
    ImportResult,
    RowError,
    check_rows,
    periods_for,
    record_missing_reports,
    sales_import,
    sales_period_create,
    sales_period_update,
)
from .service import (  # noqa: F401
    TICKET_WORKFLOW,
    flag_breaches,
    service_level_save,
    sla_hours,
    ticket_comment,
    ticket_raise,
    ticket_transition,
    ticket_update,
)
from .targets import side_of, target_approve, target_propose, target_update  # noqa: F401
from .templates import (  # noqa: F401
    clause_create,
    clause_delete,
    clause_update,
    template_create,
    template_delete,
    template_new_version,
    template_problems,
    template_publish,
    template_retire,
    template_update,
)
