"""The training demo (渠道培训): a catalogue per tenant, a learning path to a certification, question banks,
the source document's 3-month plan for the tenant's own channel staff, a plan for its partners, sessions
past and upcoming (one full, with a waiting list), attendance, attempts, certificates (some expiring soon),
external licences, one lapsed qualification, needs surveys and feedback.

Everything goes through ``training.services`` inside the tenant's scope (the audit trail is real), on a
clock moved back for what happened in the past. Idempotent: the catalogue is looked up by code, plans by
name; a plan that exists is left as it is, so ``seed_demo`` run twice creates nothing the second time.
The demo registry calls ``seed(spec, *, progress_factory)`` (``TrainingConfig.demo``).
"""

from .builder import seed, seed_training  # noqa: F401
from .texts import TEXTS  # noqa: F401
