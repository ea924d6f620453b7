"""Money reads the same way everywhere, in each language's own words."""

from decimal import Decimal

from django.utils import translation

from channelhub.tenancy.templatetags.money import format_capital_10k, format_money


def test_amounts_have_thousands_separators_and_two_decimals():
    assert format_money(Decimal("1234567.5")) == "1,234,567.50"
    assert format_money(0, "CNY") == "CNY 0.00"
    assert format_money(None) == "—"
    assert format_money("not a number") == "—"


def test_registered_capital_in_ten_thousands_reads_as_each_language_says_it():
    with translation.override("zh-hans"):
        assert format_capital_10k(Decimal("5000")) == "5,000万元"
        assert format_capital_10k(Decimal("1200.50")) == "1,200.5万元"
    with translation.override("en"):
        assert format_capital_10k(Decimal("5000")) == "CNY 50,000,000"
    assert format_capital_10k(None) == "—"
