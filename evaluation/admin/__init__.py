"""Evaluation in the admin: managers set up and run reviews, finance signs off and approves the
money, every member of staff reads; writes go through services.

One module per sub-domain; importing them here registers every ``ModelAdmin`` with the site.
"""

from . import queues  # noqa: F401  (registers evaluation's work queues on the admin home)
from .coverage import CoverageGapAdmin, CoverageTargetAdmin  # noqa: F401
from .cycles import PartnerScoreAdmin, ReviewCycleAdmin, TierChangeAdmin  # noqa: F401
from .economics import ChannelEconomicsAdmin, CostEntryAdmin, CostRateAdmin  # noqa: F401
from .setup import IncentiveRuleAdmin, KpiAdmin, ScorecardAdmin, TierAdmin  # noqa: F401
from .statements import ImprovementPlanAdmin, IncentiveStatementAdmin, RelationshipSurveyAdmin  # noqa: F401
