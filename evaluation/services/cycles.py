"""Evaluation's writes: every state change of a review cycle, a score or a statement.

Each service checks ``authorize`` (actor ``None`` is the system: jobs, demo), runs in one
transaction and in the tenant's scope.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from channelhub.milestones import announce
from channelhub.partners.models import Partner
from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.jobs import Period
from channelhub.tenancy.policy import authorize
from channelhub.tenancy.workflow import transition

from .. import compute as engine
from ..models import (
    CycleState,
    IncentiveStatement,
    PartnerScore,
    PartnerTier,
    ReviewCycle,
    StatementState,
    Tier,
    TierChange,
)
from ..permissions import (
    CYCLE_COMPUTE,
    CYCLE_CONFIRM,
    CYCLE_PUBLISH,
    SCORE_ADJUST,
    STATEMENT_APPROVE,
)
from ..workflow import CYCLE_WORKFLOW, STATEMENT_WORKFLOW
from .trends import kpi_trends_write, trends_write


class CycleBusy(Exception):
    """Another run holds the cycle's lock: this one stops instead of computing alongside it."""


def cycle_for_period(*, tenant, period: Period, scorecard_version: int = 1) -> ReviewCycle:
    """The cycle of ``period`` (created once: a rerun or a redelivered task finds the same row)."""
    with tenant_scope(tenant, source="evaluation.cycle"):
        cycle, _created = ReviewCycle.objects.get_or_create(
            cadence=period.cadence, period_key=period.key, scorecard_version=scorecard_version,
            defaults={"period_start": period.start, "period_end": period.end},
        )
        return cycle


def _lock(cycle: ReviewCycle) -> ReviewCycle:
    """The cycle row, locked for this transaction; ``CycleBusy`` if another run holds it (PostgreSQL)."""
    try:
        with transaction.atomic():
            return ReviewCycle.objects.select_for_update(nowait=True).select_related("tenant").get(pk=cycle.pk)
    except DatabaseError as error:
        if connection.vendor == "postgresql":
            raise CycleBusy(str(error)) from error
        raise


def cycle_compute(*, cycle: ReviewCycle, actor) -> ReviewCycle:
    """Compute (or recompute, replacing) every partner's results of the cycle, set-based.

    Idempotent per (tenant, cycle): it deletes what a previous run wrote and inserts anew,
    all in one transaction under the cycle row's lock, so overlapping runs cannot both
    compute and a crash leaves the previous state. Refused once the cycle is confirmed, or
    when one of its statements was approved (money is never computed twice).
    """
    authorize(actor, CYCLE_COMPUTE.code, tenant=cycle.tenant_id)
    with tenant_scope(cycle.tenant_id, source="evaluation.cycle_compute"), transaction.atomic():
        locked = _lock(cycle)
        # The state first (an illegal move is a 409), then the money (rolled back with the move).
        transition(workflow=CYCLE_WORKFLOW, instance=locked, to_state=CycleState.COMPUTING, actor=actor)
        if IncentiveStatement.objects.filter(cycle=locked).exclude(state=StatementState.DRAFT).exists():
            raise ValidationError(_("Statements of this cycle were approved: it cannot be computed again."))
        used = engine.compute(locked)
        transition(
            workflow=CYCLE_WORKFLOW, instance=locked, to_state=CycleState.COMPUTED, actor=actor,
            extra_updates={"computed_at": timezone.now(), **used},
        )
    return locked


def score_adjust(*, score: PartnerScore, adjusted_score: Decimal | None, reason: str, actor) -> PartnerScore:
    """A manager's adjustment of a total before confirmation, with its reason (recorded in history)."""
    authorize(actor, SCORE_ADJUST.code, tenant=score.tenant_id, partner=score.partner_id)
    with tenant_scope(score.tenant_id, source="evaluation.score_adjust"), transaction.atomic():
        cycle = _lock(score.cycle)
        if cycle.state != CycleState.COMPUTED:
            raise ValidationError(_("Scores can be adjusted only while the cycle is computed, before confirmation."))
        if adjusted_score is not None and not (reason or "").strip():
            raise ValidationError({"adjustment_reason": _("Say why the score is adjusted.")})
        score.adjusted_score = adjusted_score
        score.adjustment_reason = reason.strip() if adjusted_score is not None else ""
        score.adjusted_by = actor if adjusted_score is not None else None
        score.full_clean()
        score._change_reason = reason
        if actor is not None:
            score._history_user = actor
        score.save()
        engine._tune()  # every partner's proposal is recomputed, set-based
        engine.propose_tiers(cycle, previous=engine.previous_cycle(cycle))
    return score


def cycle_confirm(*, cycle: ReviewCycle, actor, reason: str = "") -> ReviewCycle:
    """The department sign-off (由相关部门进行审核和确认)."""
    authorize(actor, CYCLE_CONFIRM.code, tenant=cycle.tenant_id)
    with tenant_scope(cycle.tenant_id, source="evaluation.cycle_confirm"), transaction.atomic():
        locked = _lock(cycle)
        return transition(workflow=CYCLE_WORKFLOW, instance=locked, to_state=CycleState.CONFIRMED, actor=actor,
                          reason=reason, extra_updates={"confirmed_by": actor})


def cycle_reopen(*, cycle: ReviewCycle, actor, reason: str) -> ReviewCycle:
    authorize(actor, CYCLE_CONFIRM.code, tenant=cycle.tenant_id)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the sign-off is withdrawn.")})
    with tenant_scope(cycle.tenant_id, source="evaluation.cycle_reopen"), transaction.atomic():
        locked = _lock(cycle)
        return transition(workflow=CYCLE_WORKFLOW, instance=locked, to_state=CycleState.COMPUTED, actor=actor,
                          reason=reason, extra_updates={"confirmed_by": None})


def cycle_publish(*, cycle: ReviewCycle, actor) -> ReviewCycle:
    """Publish to partners: apply the proposed tier changes and announce ``review.published``."""
    authorize(actor, CYCLE_PUBLISH.code, tenant=cycle.tenant_id)
    with tenant_scope(cycle.tenant_id, source="evaluation.cycle_publish"), transaction.atomic():
        locked = _lock(cycle)
        now = timezone.now()
        transition(workflow=CYCLE_WORKFLOW, instance=locked, to_state=CycleState.PUBLISHED, actor=actor,
                   extra_updates={"published_at": now})
        changes = TierChange.objects.filter(cycle=locked)
        PartnerTier.objects.filter(partner_id__in=changes.values("partner_id"))._raw_delete(connection.alias)
        engine._run(
            f"INSERT INTO {engine.PT} (tenant_id, partner_id, tier_id, since) "
            f"SELECT tenant_id, partner_id, to_tier_id, %s FROM {engine.TC} WHERE cycle_id = %s",
            [now, locked.pk],
        )
        changes.update(applied_at=now)
        trends_write(locked)
        kpi_trends_write(locked)
        scored = PartnerScore.objects.filter(cycle=locked).values("partner_id")
        for partner in Partner.objects.filter(pk__in=scored).only("pk", "tenant_id"):
            announce(partner=partner, milestone="review.published", source="evaluation",
                     cycle=locked.pk, period=locked.period_key)
    return locked


def statement_approve(*, statement: IncentiveStatement, actor) -> IncentiveStatement:
    """Finance approves a statement of a confirmed or published cycle."""
    authorize(actor, STATEMENT_APPROVE.code, tenant=statement.tenant_id, partner=statement.partner_id)
    with tenant_scope(statement.tenant_id, source="evaluation.statement_approve"), transaction.atomic():
        if statement.cycle.state not in (CycleState.CONFIRMED, CycleState.PUBLISHED):
            raise ValidationError(_("Statements are approved once their cycle is confirmed."))
        return transition(workflow=STATEMENT_WORKFLOW, instance=statement, to_state=StatementState.APPROVED,
                          actor=actor, extra_updates={"approved_by": actor})


def statement_mark_paid(*, statement: IncentiveStatement, actor, reference: str = "") -> IncentiveStatement:
    authorize(actor, STATEMENT_APPROVE.code, tenant=statement.tenant_id, partner=statement.partner_id)
    with tenant_scope(statement.tenant_id, source="evaluation.statement_paid"), transaction.atomic():
        return transition(workflow=STATEMENT_WORKFLOW, instance=statement, to_state=StatementState.PAID,
                          actor=actor, extra_updates={"paid_reference": reference[:80]})


# --------------------------------------------------------------------------- what-if


@dataclass(frozen=True)
class PreviewRow:
    partner_id: int
    partner_name: str
    saved_total: Decimal | None
    preview_total: Decimal
    current_tier: str
    proposed_tier: str
    saved_proposed_tier: str


class _Rollback(Exception):
    pass


def cycle_preview(*, cycle: ReviewCycle, actor, weights: dict[int, Decimal] | None = None,
                  thresholds: dict[int, Decimal] | None = None) -> list[PreviewRow]:
    """Re-score ``cycle`` with changed weights (per scorecard line) or tier thresholds and
    answer who would change tier; everything is computed in a transaction that is rolled
    back, so the preview leaves no trace."""
    authorize(actor, CYCLE_COMPUTE.code, tenant=cycle.tenant_id)
    rows: list[PreviewRow] = []
    with tenant_scope(cycle.tenant_id, source="evaluation.cycle_preview"):
        tiers = {tier.pk: tier.name for tier in Tier.objects.all()}
        saved = {
            partner_id: (total, proposed or current)
            for partner_id, total, proposed, current in PartnerScore.objects.filter(cycle=cycle).values_list(
                "partner_id", "total", "proposed_tier_id", "current_tier_id")
        }
        try:
            with transaction.atomic():
                locked = _lock(cycle)
                engine.compute(locked, overrides=engine.Overrides(weights or {}, thresholds or {}))
                for score in PartnerScore.objects.filter(cycle=locked).select_related("partner").order_by(
                    "partner_type", "rank"
                ):
                    after = score.proposed_tier_id or score.current_tier_id
                    before_total, before_tier = saved.get(score.partner_id, (None, None))
                    rows.append(PreviewRow(
                        partner_id=score.partner_id, partner_name=str(score.partner),
                        saved_total=before_total, preview_total=score.final_score,
                        current_tier=tiers.get(score.current_tier_id, ""),
                        proposed_tier=tiers.get(after, ""), saved_proposed_tier=tiers.get(before_tier, ""),
                    ))
                raise _Rollback
        except _Rollback:
            pass
    return rows



def cycle_create(*, tenant, actor, **fields) -> ReviewCycle:
    """A cycle started by hand (the periodic job creates its own through ``cycle_for_period``)."""
    from channelhub.tenancy.services import assign_fields, audited_save

    authorize(actor, CYCLE_COMPUTE.code, tenant=tenant)
    tenant_id = tenant if isinstance(tenant, int) else tenant.pk
    fields = {k: v for k, v in fields.items() if k in ("cadence", "period_key", "period_start", "period_end",
                                                      "scorecard_version")}
    if fields.get("period_start") and fields.get("period_end") and fields["period_end"] <= fields["period_start"]:
        raise ValidationError({"period_end": _("The period must end after it starts.")})
    with tenant_scope(tenant_id, source="evaluation.cycle_create"), transaction.atomic():
        return audited_save(assign_fields(ReviewCycle(tenant_id=tenant_id), fields), actor=actor,
                            reason=_("Created"))
