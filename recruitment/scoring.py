"""Scorecard arithmetic, in ``Decimal`` and independent of the database (unit-tested by hand).

Per reviewer::

    total = Σ(score / scale_max × weight) / Σ(weight) × 100          (0 … 100)

The average total is the mean of the reviewers' *unrounded* totals. Every figure is rounded
only when it is shown: to 2 decimal places, ROUND_HALF_UP (12.345 → 12.35).

Per criterion: the mean raw score across reviewers (on the criterion's own scale) and the
spread, max − min, between reviewers (``None`` with fewer than two scorecards).

Knock-out rule: an application is knocked out on a criterion when the *average* score of
the reviewers is below the criterion's threshold. One harsh reviewer alone does not knock
it out; every score below the threshold is still reported as a warning
(``below_threshold``) so the approvers see it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
HUNDRED = Decimal(100)


def rounded(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class ScoreLine:
    """One score as recorded on a scorecard (with its weight, scale and threshold snapshot)."""

    criterion_id: int
    value: Decimal
    weight: Decimal
    scale_max: int
    knockout_threshold: Decimal | None = None


def weighted_total(lines: Iterable[ScoreLine]) -> Decimal | None:
    """Σ(score/scale × weight) / Σ(weight) × 100, unrounded; ``None`` without weights."""
    lines = list(lines)
    weights = sum((Decimal(line.weight) for line in lines), Decimal(0))
    if not lines or weights == 0:
        return None
    achieved = sum(
        (Decimal(line.value) / Decimal(line.scale_max) * Decimal(line.weight) for line in lines), Decimal(0)
    )
    return achieved / weights * HUNDRED


def mean(values: Sequence[Decimal]) -> Decimal | None:
    return sum(values, Decimal(0)) / len(values) if values else None


@dataclass
class ReviewerResult:
    reviewer_id: int
    reviewer: str
    total: Decimal | None  # rounded for display
    raw_total: Decimal | None
    comment: str = ""
    submitted_at: object = None
    below_threshold: list[int] = field(default_factory=list)  # criterion ids


@dataclass
class CriterionResult:
    criterion_id: int
    name: str
    category: str
    weight: Decimal
    scale_max: int
    knockout_threshold: Decimal | None
    scores: dict[int, Decimal] = field(default_factory=dict)  # reviewer id → score
    average: Decimal | None = None
    spread: Decimal | None = None
    knocked_out: bool = False
    below_threshold: list[int] = field(default_factory=list)  # reviewer ids


@dataclass
class ScoreSummary:
    reviewers: list[ReviewerResult]
    criteria: list[CriterionResult]
    average_total: Decimal | None
    knocked_out: bool
    knockout_criteria: list[str]
    max_spread_criterion: str | None = None

    @property
    def scorecard_count(self) -> int:
        return len(self.reviewers)


@dataclass(frozen=True)
class ScorecardInput:
    reviewer_id: int
    reviewer: str
    lines: Sequence[ScoreLine]
    comment: str = ""
    submitted_at: object = None


@dataclass(frozen=True)
class CriterionInfo:
    criterion_id: int
    name: str
    category: str


def summarise(scorecards: Sequence[ScorecardInput], criteria: Sequence[CriterionInfo]) -> ScoreSummary:
    """Combine the submitted scorecards into totals, per-criterion spreads and knock-outs."""
    reviewers: list[ReviewerResult] = []
    by_criterion: dict[int, CriterionResult] = {}
    order = [info.criterion_id for info in criteria]
    names = {info.criterion_id: info for info in criteria}
    for card in scorecards:
        raw = weighted_total(card.lines)
        result = ReviewerResult(
            reviewer_id=card.reviewer_id, reviewer=card.reviewer, total=rounded(raw), raw_total=raw,
            comment=card.comment, submitted_at=card.submitted_at,
        )
        for line in card.lines:
            info = names.get(line.criterion_id)
            row = by_criterion.get(line.criterion_id)
            if row is None:
                row = by_criterion[line.criterion_id] = CriterionResult(
                    criterion_id=line.criterion_id,
                    name=info.name if info else str(line.criterion_id),
                    category=info.category if info else "",
                    weight=Decimal(line.weight), scale_max=line.scale_max,
                    knockout_threshold=line.knockout_threshold,
                )
                if line.criterion_id not in order:
                    order.append(line.criterion_id)
            row.scores[card.reviewer_id] = Decimal(line.value)
            if line.knockout_threshold is not None and Decimal(line.value) < Decimal(line.knockout_threshold):
                row.below_threshold.append(card.reviewer_id)
                result.below_threshold.append(line.criterion_id)
        reviewers.append(result)

    rows = [by_criterion[cid] for cid in order if cid in by_criterion]
    knockout_names = []
    widest: tuple[Decimal, str] | None = None
    for row in rows:
        values = list(row.scores.values())
        raw_average = mean(values)
        row.average = rounded(raw_average)
        row.spread = (max(values) - min(values)) if len(values) >= 2 else None
        if row.knockout_threshold is not None and raw_average is not None:
            row.knocked_out = raw_average < Decimal(row.knockout_threshold)
            if row.knocked_out:
                knockout_names.append(row.name)
        if row.spread is not None and row.spread > 0:
            # Compare spreads on a common 0..1 scale: a 2-point gap matters more on a 5-point scale.
            relative = row.spread / Decimal(row.scale_max)
            if widest is None or relative > widest[0]:
                widest = (relative, row.name)
    totals = [r.raw_total for r in reviewers if r.raw_total is not None]
    return ScoreSummary(
        reviewers=reviewers,
        criteria=rows,
        average_total=rounded(mean(totals)),
        knocked_out=bool(knockout_names),
        knockout_criteria=knockout_names,
        max_spread_criterion=widest[1] if widest else None,
    )
