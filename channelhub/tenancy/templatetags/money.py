"""Money on screen, the same in every template: thousands separators and two decimals.

``{{ amount|money }}`` → "1,234,567.50"; ``{{ amount|money:"CNY" }}`` → "CNY 1,234,567.50".
``{{ capital|capital_10k }}`` reads an amount kept in units of CNY 10,000 (registered capital,
as Chinese business licences state it) the way each language says it: "5,000万元" in Chinese,
"CNY 50,000,000" in English.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext as _

register = template.Library()


def _decimal(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def format_money(value, currency: str = "") -> str:
    amount = _decimal(value)
    if amount is None:
        return "—"
    text = f"{amount.quantize(Decimal('0.01')):,}"
    return f"{currency} {text}" if currency else text


def format_capital_10k(value) -> str:
    amount = _decimal(value)
    if amount is None:
        return "—"
    if (get_language() or "").startswith("zh"):
        # Whole 万 without decimals; fractions of a 万 shown as they are.
        text = f"{amount.normalize():,f}" if amount != amount.to_integral() else f"{int(amount):,}"
        return _("%(amount)s万元") % {"amount": text}
    return _("CNY %(amount)s") % {"amount": f"{int(amount * 10_000):,}"}


@register.filter
def money(value, currency: str = "") -> str:
    return format_money(value, currency)


@register.filter
def capital_10k(value) -> str:
    return format_capital_10k(value)
