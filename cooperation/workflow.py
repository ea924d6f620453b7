"""The cooperation agreement's state machine (one transition table).

::

    draft          → legal_review
    legal_review   → draft (returned by legal), sent (approved by legal)
    sent           → partner_signed, draft (text changed / withdrawn)
    partner_signed → active (countersigned), draft (text changed: signature voided)
    active         → expiring, renewed, expired, terminated, draft (text changed: signatures voided)
    expiring       → active (extended), renewed, expired, terminated, draft
    renewed, expired, terminated: final
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from channelhub.tenancy.workflow import Workflow

from .models import AgreementState as S

AGREEMENT_WORKFLOW = Workflow.build(
    name="cooperation.agreement",
    verbose_name=_("cooperation agreement"),
    state_field="state",
    states=S,
    moves={
        S.DRAFT: {S.LEGAL_REVIEW},
        S.LEGAL_REVIEW: {S.DRAFT, S.SENT},
        S.SENT: {S.PARTNER_SIGNED, S.DRAFT},
        S.PARTNER_SIGNED: {S.ACTIVE, S.DRAFT},
        S.ACTIVE: {S.EXPIRING, S.RENEWED, S.EXPIRED, S.TERMINATED, S.DRAFT},
        S.EXPIRING: {S.ACTIVE, S.RENEWED, S.EXPIRED, S.TERMINATED, S.DRAFT},
        S.RENEWED: set(),
        S.EXPIRED: set(),
        S.TERMINATED: set(),
    },
    changed_at_field="state_changed_at",
)
