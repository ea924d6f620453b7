"""统一社会信用代码 check character (GB 32100-2015)."""

import pytest
from django.core.exceptions import ValidationError

from channelhub.partners.validators import (
    credit_code_check_char,
    is_valid_credit_code,
    make_credit_code,
    validate_credit_code,
)

# Published codes of well-known companies (public registration data).
REAL_CODES = [
    "91350100M000100Y43",  # a Fujian enterprise, worked example used in GB 32100 explanations
    "91110000100010433L",  # Beijing
    "91440300708461136T",  # Shenzhen
]


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_validate(code):
    assert is_valid_credit_code(code)
    validate_credit_code(code)


def test_check_character_by_hand():
    # 9·1 + 1·3 + 3·9 + 5·27 + 1·26 + M(21)·20 + 1·8 + Y(30)·30 + 4·28 = 1640;
    # 1640 mod 31 = 28; 31 - 28 = 3 → "3", the published code's last character.
    assert credit_code_check_char("91350100M000100Y4") == "3"


@pytest.mark.parametrize(
    ("code", "message_code"),
    [
        ("9135010", "credit_code_length"),
        ("91350100M000100Y4I", "credit_code_charset"),  # I is not in the alphabet
        ("9135A100M000100Y43", "credit_code_charset"),  # division code must be digits
        ("91350100M000100Y44", "credit_code_check"),
    ],
)
def test_bad_codes_are_explained(code, message_code):
    with pytest.raises(ValidationError) as error:
        validate_credit_code(code)
    assert error.value.code == message_code


def test_lower_case_and_spaces_are_normalised():
    assert is_valid_credit_code(" 91350100m000100y43 ")


def test_make_credit_code_round_trips():
    for body in ("91310000MA1FL0000", "52100000500021676", "11100000000013127"):
        assert is_valid_credit_code(make_credit_code(body))
