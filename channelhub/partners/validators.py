"""统一社会信用代码 (unified social credit code), GB 32100-2015.

18 characters: registration authority (1), entity category (1), administrative division
(6 digits), organisation code (9), check character (1). The alphabet is the digits and 21
capital letters (no I, O, S, V, Z); the check character makes the weighted sum of all 18
codes divisible by 31.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_VALUE = {char: index for index, char in enumerate(ALPHABET)}


def credit_code_check_char(first17: str) -> str:
    total = sum(_VALUE[char] * weight for char, weight in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def normalise_credit_code(value: str) -> str:
    return (value or "").strip().upper().replace(" ", "")


def is_valid_credit_code(value: str) -> bool:
    code = normalise_credit_code(value)
    if len(code) != 18 or any(char not in _VALUE for char in code):
        return False
    if not code[2:8].isdigit():
        return False
    return credit_code_check_char(code[:17]) == code[17]


def validate_credit_code(value: str) -> None:
    code = normalise_credit_code(value)
    if len(code) != 18:
        raise ValidationError(
            _("A unified social credit code has 18 characters (this one has %(count)d)."),
            code="credit_code_length", params={"count": len(code)},
        )
    if any(char not in _VALUE for char in code) or not code[2:8].isdigit():
        raise ValidationError(
            _("A unified social credit code uses digits and capital letters other than I, O, S, V, Z."),
            code="credit_code_charset",
        )
    if credit_code_check_char(code[:17]) != code[17]:
        raise ValidationError(
            _("The check character of this unified social credit code is wrong; please re-check it."),
            code="credit_code_check",
        )


def make_credit_code(body: str) -> str:
    """Complete a 17-character body with its check character (demo data, tests)."""
    return body + credit_code_check_char(body)
