"""Evaluation's rows of the role table (see ``tests/roles/chapters.py``): written down, never derived.

Owners and channel managers set up the catalogue, scorecards, tiers and incentive rules, run
cycles (compute, what-if, adjust, publish), write improvement plans and rate relationships;
owners and finance sign cycles off and approve and pay statements; every staff role reads.
Cycles, scores, statements and the tier ledger are records: never edited by hand or deleted.
The button pages open for staff and offer their form only to the role and state the service
admits. Partner staff read their own published results in the portal and the API, answer
their improvement plans and rate the vendor.
"""

from __future__ import annotations

from channelhub.tenancy.roles import Role
from tests.roles.setups import ACTION_SETUP, PAGE_ROWS
from tests.roles.table import MANAGERS, NOBODY, PARTNER, STAFF, add, admin, api

FINANCE = frozenset({Role.OWNER, Role.FINANCE})

add({"admin:app_list GET evaluation": STAFF})

admin("evaluation.kpi", view=STAFF, change=MANAGERS)
admin("evaluation.scorecard", view=STAFF, change=MANAGERS, actions={"new_version": MANAGERS})
admin("evaluation.tier", view=STAFF, change=MANAGERS)
admin("evaluation.incentiverule", view=STAFF, change=MANAGERS)
admin("evaluation.reviewcycle", view=STAFF, change=NOBODY, add=MANAGERS, delete=NOBODY,
      extra={f"admin:evaluation_reviewcycle_{page} GET": STAFF
             for page in ("compute", "confirm", "reopen", "publish", "results", "preview")}
      # The KPI trends page sums up the results every member of staff reads.
      | {"admin:evaluation_reviewcycle_kpi_trends GET": STAFF})
admin("evaluation.partnerscore", view=STAFF, change=NOBODY,
      extra={"admin:evaluation_partnerscore_adjust GET": STAFF})
admin("evaluation.tierchange", view=STAFF, change=NOBODY, plain=True)
admin("evaluation.incentivestatement", view=STAFF, change=NOBODY,
      actions={"approve": FINANCE, "mark_paid": FINANCE},
      extra={"admin:evaluation_incentivestatement_pdf GET": STAFF})
admin("evaluation.improvementplan", view=STAFF, change=MANAGERS)
admin("evaluation.relationshipsurvey", view=STAFF, change=MANAGERS)

api("evaluation-api:kpi", read=STAFF, write=MANAGERS)
api("evaluation-api:scorecard", read=STAFF, write=MANAGERS, actions={"new-version POST": MANAGERS})
api("evaluation-api:scorecard-line", read=STAFF, write=MANAGERS)
api("evaluation-api:tier", read=STAFF, write=MANAGERS)
api("evaluation-api:cycle", read=STAFF, write=MANAGERS, ops="list create retrieve", actions={
    "compute POST": MANAGERS, "preview POST": MANAGERS, "confirm POST": FINANCE, "reopen POST": FINANCE,
    "publish POST": MANAGERS,
})
api("evaluation-api:result", read=STAFF | PARTNER, ops="read", actions={"adjust POST": MANAGERS})
api("evaluation-api:statement", read=STAFF | PARTNER, ops="read",
    actions={"approve POST": FINANCE, "mark-paid POST": FINANCE})
# KPI trends sum up every partner: staff only, never partner staff.
api("evaluation-api:kpi-trend", read=STAFF, ops="read")

add({f"evaluation-portal:{name} GET": PARTNER for name in ("scorecard", "statement-pdf", "plan", "survey")})


def _published_statement(world):
    """A statement of a published cycle of the partner admin's partner (what its portal shows)."""
    from evaluation.models import CycleState, IncentiveStatement, ReviewCycle

    statement = world.a.new(IncentiveStatement)
    with world.a.scope():
        ReviewCycle.objects.filter(pk=statement.cycle_id).update(state=CycleState.PUBLISHED)
    return statement


def _approved_statement(world):
    """A statement finance approved (what *mark paid* moves)."""
    from evaluation import services

    statement = _published_statement(world)
    with world.a.scope():
        return services.statement_approve(statement=statement, actor=None)


PAGE_ROWS.update({"evaluation-portal:statement-pdf": _published_statement})
ACTION_SETUP["admin:evaluation.incentivestatement#mark_paid"] = _approved_statement


# Channel cost and return (渠道成本控制): owners, channel managers and finance read; owners and finance
# keep the cost rates and hand-recorded costs; the three reading roles may recompute a month. The
# rollup is a record (read-only). Coverage (渠道布置): every member of staff reads; owners and managers
# set the targets and recompute. Partner staff see none of it.
COSTS = frozenset({Role.OWNER, Role.CHANNEL_MANAGER, Role.FINANCE})

admin("evaluation.costrate", view=COSTS, change=FINANCE)
admin("evaluation.costentry", view=COSTS, change=FINANCE)
# The rollups have no audit table: Django's own history page, no version page; they export.
admin("evaluation.channeleconomics", view=COSTS, change=NOBODY, plain=True, extra={
    "admin:evaluation_channeleconomics_export GET": COSTS,
    "admin:evaluation_channeleconomics_import GET": NOBODY,
    "admin:evaluation_channeleconomics_process_import POST": NOBODY,
    "admin:evaluation_channeleconomics_summary GET": COSTS,
    "admin:evaluation_channeleconomics_compute GET": COSTS,
})
admin("evaluation.coveragetarget", view=STAFF, change=MANAGERS)
admin("evaluation.coveragegap", view=STAFF, change=NOBODY, plain=True, extra={
    "admin:evaluation_coveragegap_export GET": STAFF,
    "admin:evaluation_coveragegap_import GET": NOBODY,
    "admin:evaluation_coveragegap_process_import POST": NOBODY,
    "admin:evaluation_coveragegap_map GET": STAFF,
    "admin:evaluation_coveragegap_compute GET": STAFF,
})
api("evaluation-api:economics", read=COSTS, ops="read")
api("evaluation-api:coverage-gap", read=STAFF, ops="read")
