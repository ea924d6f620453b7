"""Placeholders of agreement templates and the rendering of an agreement's exact text.

A clause writes ``{{partner.legal_name}}``; rendering replaces each known placeholder with the
agreement's value. A template naming an unknown placeholder cannot be published (the error
names it), so a rendered agreement never carries a ``{{…}}`` left unfilled. Dates are ISO
(2026-12-07) and amounts plain decimals, so the same agreement renders the same text — and
the same SHA-256 — in every language and on every machine.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")

# name → what it stands for (shown to template authors)
PLACEHOLDERS = {
    "partner.legal_name": _("the partner's legal name"),
    "partner.english_name": _("the partner's English name"),
    "partner.credit_code": _("the partner's unified social credit code"),
    "partner.address": _("the partner's address"),
    "tenant.name": _("the vendor's name"),
    "agreement.number": _("the agreement number"),
    "agreement.start_date": _("the first day of the term"),
    "agreement.end_date": _("the last day of the term"),
    "agreement.term_months": _("the term in months"),
    "deal.discount": _("the agreed discount (%)"),
    "territory": _("the agreed territory"),
    "dispute.method": _("arbitration or litigation"),
    "dispute.venue": _("the arbitration commission or court"),
}


def placeholders_in(text: str) -> list[str]:
    return [match.group(1) for match in PLACEHOLDER.finditer(text or "")]


def unknown_placeholders(texts: Iterable[str]) -> list[str]:
    """Placeholders used in ``texts`` that rendering does not know, in order of first use."""
    seen: list[str] = []
    for text in texts:
        for name in placeholders_in(text):
            if name not in PLACEHOLDERS and name not in seen:
                seen.append(name)
    return seen


def values_for(agreement) -> dict[str, str]:
    """The placeholder values of ``agreement`` (its partner, template and terms)."""
    partner, template = agreement.partner, agreement.template
    dispute_labels = {"arbitration": "仲裁 / arbitration", "litigation": "诉讼 / litigation"}
    months = ""
    if agreement.start_date and agreement.end_date:
        months = str(max(1, (agreement.end_date.year - agreement.start_date.year) * 12
                         + agreement.end_date.month - agreement.start_date.month + 1))
    return {
        "partner.legal_name": partner.legal_name,
        "partner.english_name": partner.english_name or partner.legal_name,
        "partner.credit_code": partner.credit_code or "",
        "partner.address": partner.address or "",
        "tenant.name": agreement.tenant.name,
        "agreement.number": agreement.number,
        "agreement.start_date": agreement.start_date.isoformat() if agreement.start_date else "",
        "agreement.end_date": agreement.end_date.isoformat() if agreement.end_date else "",
        "agreement.term_months": months,
        "deal.discount": f"{agreement.discount:.2f}",
        "territory": agreement.territory or "",
        "dispute.method": dispute_labels.get(template.dispute_method, "") if template else "",
        "dispute.venue": template.dispute_venue if template else "",
    }


def fill(text: str, values: dict[str, str]) -> str:
    return PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)), text)


def render(agreement, clauses) -> str:
    """The agreement's full text: its title, the parties and every clause, numbered."""
    values = values_for(agreement)
    lines = [agreement.title, ""]
    lines.append(f"{agreement.number}")
    lines.append("")
    for number, clause in enumerate(clauses, start=1):
        lines.append(f"{number}. {fill(clause.title, values)}")
        lines.append(fill(clause.body, values).strip())
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
