"""The recruitment demo (渠道招募): criteria, scorecard templates, approval chain, onboarding
checklist, two recruitment plans, campaigns by source and ~35 applications in every state.

Everything goes through ``recruitment.services`` inside the tenant's scope, so the audit
trail (history rows, state transitions, approval decisions) is real. The services run on a
``DemoClock``: each application's story (submitted, screened, scored by two reviewers, passed
from step to step of the approval chain, converted, onboarded) is told over the past weeks,
so timestamps, the audit trail and the reports (time to decision, reviewer workload) look like
a working channel team's, not like one second of seeding.

Deterministic: names, codes, scores and timings come from ``random.Random`` seeded with the
tenant; dates count back from the day of seeding. Idempotent: configuration rows are looked
up by their natural keys (criterion name, template type, step order, checklist key, plan
name, campaign code) and applications by credit code; an existing row is never touched.
No e-mail leaves the demo: applicant notifications are not queued and the invitations of the
converted partners go to a dummy mail backend.

One module per part (clock, texts, stories, builder, applications); the demo registry calls
``seed(spec, *, progress_factory)`` (``RecruitmentConfig.demo = "recruitment.demo"``).
"""

from .applications import (  # noqa: F401
    PDF,
    PNG,
    Applicant,
)
from .builder import (  # noqa: F401
    seed,
    seed_recruitment,
)
from .clock import (  # noqa: F401
    DemoClock,
)
from .stories import (  # noqa: F401
    STATE_COUNTS,
    STORIES,
    Ctx,
)
from .texts import (  # noqa: F401
    ANHE_TEXTS,
    HUAXIN_TEXTS,
    TEXTS,
    CampaignSpec,
    CriterionSpec,
    PlanSpec,
    RecruitmentTexts,
)
