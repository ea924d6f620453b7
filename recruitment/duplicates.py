"""Duplicate detection: the same credit code, or a near-identical company name.

Names are compared after normalising: Unicode NFKC, lower case, no spaces or punctuation,
and without legal-form words (有限公司, 有限责任公司, 股份, Co., Ltd. …), so that
“上海星辰科技有限公司” and “上海 星辰科技 股份有限公司” are the same name. Two different
normalised names are still “similar” when ``difflib``'s ratio is at least ``SIMILARITY``.
"""

from __future__ import annotations

import difflib
import unicodedata
from decimal import Decimal

SIMILARITY = 0.9

# Legal-form words, longest first. Chinese ones are removed wherever they occur; English
# ones only at the end (so “Coral Trading” keeps its “co”).
_CHINESE_FORMS = ("股份有限公司", "有限责任公司", "有限公司", "股份公司", "股份", "集团公司")
_ENGLISH_SUFFIXES = (
    "companylimited", "corporation", "colimited", "limited", "company", "coltd", "corp", "ltd",
    "inc", "llc", "plc", "co",
)


def normalise_company_name(name: str) -> str:
    text = unicodedata.normalize("NFKC", name or "").lower()
    text = "".join(
        char for char in text
        if not char.isspace() and not unicodedata.category(char).startswith(("P", "S"))
    )
    for form in _CHINESE_FORMS:
        text = text.replace(form, "")
    stripped = True
    while stripped and text:
        stripped = False
        for suffix in _ENGLISH_SUFFIXES:
            if text.endswith(suffix) and len(text) > len(suffix):
                text = text[: -len(suffix)]
                stripped = True
                break
    return text


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
