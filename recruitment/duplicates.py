"""Duplicate detection: the same credit code, or a near-identical company name.

Names are compared after normalising: Unicode NFKC, lower case, no spaces or punctuation,
and without legal-form words (有限公司, 有限责任公司, 股份, Co., Ltd. …), so that
“上海星辰科技有限公司” and “上海 星辰科技 股份有限公司” are the same name. Two different
normalised names are still “similar” when ``difflib``'s ratio is at least ``SIMILARITY``.

The database finds the candidates (``application_candidates``, ``partner_candidates``):
the same credit code or normalised name by index, and on PostgreSQL the nearest names by
trigram distance whose similarity reaches ``TRIGRAM_FLOOR`` (GiST ``pg_trgm`` indexes). Only those few are compared
with ``difflib`` in Python, so a submit costs the same with 100,000 partners as with 100.
A ``difflib`` ratio of 0.9 keeps most trigrams (one changed character in ten touches three);
scattered insertions and deletions bring the trigram similarity down to ~0.35 at worst (the
test in tests/partners/test_scale.py checks thousands of edited names), so the floor is
pg_trgm's own threshold, 0.3, and no pair the ratio would accept is lost.
SQLite (development and tests) has no trigrams: every row is a candidate, as before.
"""

from __future__ import annotations

import difflib
from decimal import Decimal

from django.db import connection
from django.db.models import CharField, F, FloatField, Func, Lookup, Q, QuerySet, Value

from channelhub.partners.search import normalise_company_name

SIMILARITY = 0.9
TRIGRAM_FLOOR = 0.3
# However common a name, at most this many rows of each kind are compared in Python.
MAX_CANDIDATES = 200

__all__ = [
    "application_candidates",
    "name_match",
    "name_similarity",
    "normalise_company_name",
    "partner_candidates",
]


@CharField.register_lookup
class TrigramSimilar(Lookup):
    """``name__trigram_similar=value``: pg_trgm's ``%`` (similarity at least its threshold, 0.3)."""

    lookup_name = "trigram_similar"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} %% {rhs}", [*lhs_params, *rhs_params]


class TrigramDistance(Func):
    """pg_trgm's ``<->`` (1 - similarity): ordered by it, a GiST trigram index yields the nearest first."""

    arg_joiner = " <-> "
    template = "(%(expressions)s)"
    output_field = FloatField()


def _candidates(queryset: QuerySet, exact: Q, similar_fields: tuple[str, ...], normalised: str) -> QuerySet:
    if connection.vendor != "postgresql":
        return queryset
    near: set[int] = set()
    if normalised:
        for field in similar_fields:
            # The nearest names by trigram distance, walked in a GiST index that ``%`` prunes (so
            # a name with no neighbours costs nothing); a GIN "%" alone rechecked every row sharing
            # a few trigrams: thousands for "上海…电子科技".
            distance = TrigramDistance(F(field), Value(normalised))
            near.update(
                queryset.alias(distance=distance)
                .filter(**{f"{field}__trigram_similar": normalised}, distance__lte=1 - TRIGRAM_FLOOR)
                .order_by(distance).values_list("pk", flat=True)[:MAX_CANDIDATES]
            )
    return queryset.filter(exact | Q(pk__in=near))


def application_candidates(queryset: QuerySet, *, code: str, normalised: str) -> QuerySet:
    """The applications of ``queryset`` that may duplicate one with this code and normalised name."""
    exact = Q(normalised_name=normalised) if normalised else Q(pk__in=[])
    if code:
        exact |= Q(credit_code=code)
    return _candidates(queryset, exact, ("normalised_name",), normalised)


def partner_candidates(queryset: QuerySet, *, code: str, normalised: str) -> QuerySet:
    """The partners of ``queryset`` that may duplicate an applicant with this code and normalised name."""
    exact = Q(normalised_name=normalised) | Q(normalised_english_name=normalised) if normalised else Q(pk__in=[])
    if code:
        exact |= Q(credit_code=code)
    return _candidates(queryset, exact, ("normalised_name", "normalised_english_name"), normalised)


def name_similarity(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    matcher = difflib.SequenceMatcher(None, a, b)
    if matcher.real_quick_ratio() < SIMILARITY or matcher.quick_ratio() < SIMILARITY:
        return 0.0
    return matcher.ratio()


def name_match(normalised: str, other_name: str) -> tuple[str, Decimal] | None:
    """``("same_name", 1)`` / ``("similar_name", ratio)`` / ``None`` for two company names."""
    other = normalise_company_name(other_name)
    if not normalised or not other:
        return None
    if normalised == other:
        return "same_name", Decimal("1.00")
    ratio = name_similarity(normalised, other)
    if ratio >= SIMILARITY:
        return "similar_name", Decimal(str(round(ratio, 2)))
    return None
