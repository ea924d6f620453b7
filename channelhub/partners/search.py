"""Name search that works in Chinese at scale, and the normalised company name.

PostgreSQL: each partner keeps ``search_text`` (maintained on save), a lower-cased line of
its names and credit code followed by every two-character piece of its Chinese names, each
piece a word of its own: ``" 上海华信电子科技有限公司 … 9131… 上海 海华 华信 信电 … "``. A
trigram GIN index (``pg_trgm``) covers the column, and:

- a term of three or more characters (Chinese, pinyin/English, a credit-code prefix) is a
  ``LIKE '%term%'``, which the trigram index answers;
- a term of one or two Chinese characters has no trigram of its own, so it is matched as
  a whole word of the column (``LIKE '% 华信 %'``): the padded trigrams of a word are in the
  index, and every two-character piece of a name is such a word. One character matches the
  pieces that begin or end with it.

SQLite (development, tests) keeps a plain ``LIKE`` over the name columns.
"""

from __future__ import annotations

import unicodedata

from django.db import connection
from django.db.models import Q, QuerySet

# Legal-form words, longest first. Chinese ones are removed wherever they occur; English
# ones only at the end (so “Coral Trading” keeps its “co”).
_CHINESE_FORMS = ("股份有限公司", "有限责任公司", "有限公司", "股份公司", "股份", "集团公司")
_ENGLISH_SUFFIXES = (
    "companylimited", "corporation", "colimited", "limited", "company", "coltd", "corp", "ltd",
    "inc", "llc", "plc", "co",
)


def normalise_company_name(name: str) -> str:
    """NFKC, lower case, no spaces or punctuation, no legal-form words: the name duplicates share."""
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


def is_cjk(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"


def _clean(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text or "").lower().split())


def cjk_pieces(text: str) -> list[str]:
    """Every two-character piece of each run of Chinese characters (a lone character stays whole)."""
    pieces: list[str] = []
    run = ""
    for char in text + " ":
        if is_cjk(char):
            run += char
            continue
        if len(run) == 1:
            pieces.append(run)
        pieces.extend(run[i:i + 2] for i in range(len(run) - 1))
        run = ""
    return list(dict.fromkeys(pieces))


def search_text(*values: str | None) -> str:
    """The ``search_text`` column for these names/codes: the values, then their Chinese pieces."""
    cleaned = [_clean(value) for value in values if value]
    pieces = cjk_pieces(" ".join(cleaned))
    return " " + " ".join([*cleaned, *pieces]) + " "


def search_q(term: str, *, fields: tuple[str, ...], column: str = "search_text") -> Q:
    """Rows whose names contain ``term`` (see the module docstring for the two databases)."""
    term = _clean(term)
    if not term:
        return Q()
    if connection.vendor != "postgresql":
        query = Q()
        for field in fields:
            query |= Q(**{f"{field}__icontains": term})
        return query
    if len(term) <= 2 and all(is_cjk(char) for char in term):
        if len(term) == 2:
            return Q(**{f"{column}__contains": f" {term} "})
        return Q(**{f"{column}__contains": f" {term}"}) | Q(**{f"{column}__contains": f"{term} "})
    # ``search_text`` is lower case already: ``contains`` (LIKE), not ``icontains`` (UPPER() LIKE),
    # so the trigram index on the bare column applies.
    return Q(**{f"{column}__contains": term})


def search(queryset: QuerySet, term: str, *, fields: tuple[str, ...]) -> QuerySet:
    return queryset.filter(search_q(term, fields=fields))


def search_terms_q(terms: list[str], *, fields: tuple[str, ...], column: str = "search_text") -> Q:
    """Every one of ``terms`` found (``search_q`` each, ANDed).

    For the API's ``?search=`` (DRF's ``SearchFilter``: each term in one of the fields, with
    ``UPPER(col) LIKE``, which no index answers): the list's FilterSet adds this, split the
    same way. A row holding a term in a field holds it in its search column too, so the indexed
    condition only narrows the rows the SearchFilter then checks; the answer is unchanged.
    """
    query = Q()
    for term in terms:
        query &= search_q(term, fields=fields, column=column)
    return query
