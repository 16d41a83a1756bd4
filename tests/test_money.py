"""Tests for rtaprotocol.money: the one door for amounts and percentages."""

from __future__ import annotations

import math
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from rtaprotocol._render import html_table, text_table
from rtaprotocol.errors import RulesError, RulesTypeError
from rtaprotocol.money import (
    MAX_AMOUNT,
    MONEY_REFERENCE,
    format_money,
    round_penny,
    to_money,
    to_pence,
    to_percent,
)
from strategies import money, percents, with_a_non_ascii_character


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, "0.00"),
        (1390, "1390.00"),
        ("1390", "1390.00"),
        ("1390.5", "1390.50"),
        (1390.5, "1390.50"),
        (0.1, "0.10"),
        (1e11, "100000000000.00"),
        ("9" * 12 + ".99", "9" * 12 + ".99"),
        (np.int64(1390), "1390.00"),
        (np.float64(1390.5), "1390.50"),
        (Decimal("1.000"), "1.00"),
        (Decimal("2112.50"), "2112.50"),
        (Decimal("-0"), "0.00"),
        (Decimal("1E+3"), "1000.00"),
    ],
)
def test_accepts(value, expected):
    """Ints, Decimals, plain numeric strings and two-place floats become 2-place Decimals."""
    result = to_money(value)
    assert result == Decimal(expected)
    assert str(result) == expected


@pytest.mark.parametrize(
    ("value", "error", "fragment"),
    [
        (True, RulesTypeError, "not bool"),
        (False, RulesTypeError, "not bool"),
        (None, RulesTypeError, "not NoneType"),
        ([1], RulesTypeError, "not list"),
        (float("nan"), RulesError, "finite"),
        (float("inf"), RulesError, "finite"),
        (-float("inf"), RulesError, "finite"),
        (Decimal("NaN"), RulesError, "finite"),
        (Decimal("sNaN"), RulesError, "finite"),
        (Decimal("Infinity"), RulesError, "finite"),
        ("NaN", RulesError, "plain decimal"),
        ("inf", RulesError, "plain decimal"),
        ("£10", RulesError, "plain decimal"),
        ("1,000", RulesError, "plain decimal"),
        ("1e3", RulesError, "plain decimal"),
        ("1_000", RulesError, "plain decimal"),
        ("", RulesError, "plain decimal"),
        ("ten", RulesError, "plain decimal"),
        (-1, RulesError, "negative"),
        ("-0.01", RulesError, "negative"),
        (-0.5, RulesError, "negative"),
        ("1.005", RulesError, "two decimal places"),
        (Decimal("1.001"), RulesError, "two decimal places"),
        (0.1 + 0.2, RulesError, "two decimal places"),
        (1 / 3, RulesError, "two decimal places"),
        (Decimal("1E+30"), RulesError, "too large"),
        ("1" + "0" * 26, RulesError, "too large"),
    ],
)
def test_refuses(value, error, fragment):
    """Bad amounts raise the right error, naming the value and the rule."""
    with pytest.raises(error, match=fragment) as info:
        to_money(value)
    assert info.value.reference == MONEY_REFERENCE
    assert "guide" in str(info.value)
    assert info.value.value is value or (
        isinstance(value, float) and math.isnan(value) and math.isnan(info.value.value)
    )


def test_field_and_reference_reach_the_error():
    """The caller's field name and rule appear in the message."""
    with pytest.raises(RulesError) as info:
        to_money(-5, field="cru[injury]", reference="guide 6.5.2.2")
    assert str(info.value) == "cru[injury]: amount is negative: got -5 [guide 6.5.2.2]"
    assert info.value.field == "cru[injury]"


@given(money(100_000))
def test_round_trip_through_strings(amount):
    """Any two-place amount survives str() and float() round trips."""
    assert to_money(str(amount)) == amount
    assert to_money(float(amount)) == amount
    assert to_money(amount) == amount


@given(st.integers(min_value=0, max_value=10**12))
def test_pence_inverse(pence):
    """to_pence inverts pence / 100."""
    assert to_pence(to_money(Decimal(pence) / 100)) == pence


def test_to_pence_refuses_fractions():
    """A fraction of a penny has no pence value."""
    with pytest.raises(RulesError, match="whole number of pence"):
        to_pence(Decimal("0.005"))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1012.505", "1012.51"),
        ("1012.5049", "1012.50"),
        ("0.005", "0.01"),
        ("0.004999", "0.00"),
        ("2.675", "2.68"),
        ("112.5", "112.50"),
    ],
)
def test_round_penny_half_up(value, expected):
    """Half a penny rounds up; anything less rounds down."""
    assert str(round_penny(Decimal(value))) == expected


@given(st.decimals(min_value=0, max_value=10**9, allow_nan=False, places=6))
def test_round_penny_is_within_half_a_penny(value):
    """Rounding moves by at most half a penny and gives two places."""
    rounded = round_penny(value)
    assert abs(rounded - value) <= Decimal("0.005")
    assert rounded.as_tuple().exponent == -2


def test_format_money():
    """Money prints with a pound sign, thousands separators and pence."""
    assert format_money(Decimal("2112.5")) == "£2,112.50"
    assert format_money(Decimal("1000000")) == "£1,000,000.00"


@pytest.mark.parametrize(
    ("value", "expected"), [(0, "0"), (25, "25"), ("12.5", "12.5"), (33.33, "33.33"), (100, "100")]
)
def test_percent_accepts(value, expected):
    """Percentages from 0 to 100 with up to two decimal places."""
    assert to_percent(value) == Decimal(expected)


@pytest.mark.parametrize(
    ("value", "error", "fragment"),
    [
        (True, RulesTypeError, "bool"),
        (None, RulesTypeError, "NoneType"),
        (-1, RulesError, "negative"),
        (101, RulesError, "above 100"),
        ("100.01", RulesError, "above 100"),
        ("33.333", RulesError, "two decimal places"),
        (float("nan"), RulesError, "finite"),
        ("abc", RulesError, "plain decimal"),
    ],
)
def test_percent_refuses(value, error, fragment):
    """Bad percentages are refused with the rule."""
    with pytest.raises(error, match=fragment):
        to_percent(value, field="p", reference="guide 6.5.2")


def test_percent_custom_ceiling():
    """A ceiling below 100 (the uplift's 20%) is enforced and named."""
    assert to_percent(20, high=20) == 20
    with pytest.raises(RulesError, match="above 20"):
        to_percent("20.01", high=20, reference="WIR 2021 reg 3(3)")


@given(percents())
def test_percent_round_trip(pct):
    """Every basis-point percentage is accepted unchanged."""
    assert to_percent(pct) == pct
    assert to_percent(str(pct)) == pct


# --- regressions found in review --------------------------------------------------------------


def test_numpy_float_is_a_float():
    """numpy's float64 (a float subclass) follows the float rule, not an InvalidOperation."""
    assert to_money(np.float64(1390.5)) == Decimal("1390.50")
    with pytest.raises(RulesError, match="two decimal places") as info:
        to_money(np.float64(0.1) + np.float64(0.2))
    assert info.value.reference == MONEY_REFERENCE


def test_numpy_bool_is_refused_as_a_type():
    """numpy's bool_ is never money, like bool: a typed refusal naming the rule (issue 24)."""
    with pytest.raises(RulesTypeError, match="not bool") as info:
        to_money(np.bool_(True))
    assert "guide" in str(info.value)


@pytest.mark.parametrize(
    "text", [" 12.00 ", "\t12", "+7", ".5", "5.", "-0.00", "1.000", "1e3", "1800.", "12\n"]
)
def test_one_grammar_for_amounts_written_as_text(text):
    """Digits, an optional point and one or two places, nothing around (issue 24): every
    other spelling is refused, never trimmed or read leniently."""
    with pytest.raises(RulesError, match="not a plain decimal number"):
        to_money(text)
    with pytest.raises(RulesError, match="not a plain decimal number"):
        to_percent(text)


@pytest.mark.parametrize("value", [10**12, Decimal("1000000000000.00"), "1000000000000", 1e12])
def test_every_amount_has_a_ceiling(value):
    """No amount above MAX_AMOUNT (£999,999,999,999.99) is accepted: the ceiling keeps
    pence exact in a JavaScript number and int64 products exact (docs/money-and-errors.md)."""
    assert to_money(MAX_AMOUNT) == MAX_AMOUNT
    with pytest.raises(RulesError, match="too large"):
        to_money(value)


@pytest.mark.parametrize(
    ("value", "error", "fragment"),
    [
        (1.005, RulesTypeError, "not float"),
        (True, RulesTypeError, "not bool"),
        ("1.005", RulesTypeError, "not str"),
        (Decimal("NaN"), RulesError, "finite"),
        (Decimal("-Infinity"), RulesError, "finite"),
        (Decimal("1E+40"), RulesError, "cannot be rounded"),
    ],
)
def test_round_penny_refuses_what_it_cannot_round(value, error, fragment):
    """round_penny refuses floats, bools, strings and NaN rather than crash or return NaN."""
    with pytest.raises(error, match=fragment) as info:
        round_penny(value)
    assert info.value.reference == MONEY_REFERENCE


def test_round_penny_takes_ints():
    """A whole number of pounds is already rounded."""
    assert str(round_penny(7)) == "7.00"


@pytest.mark.parametrize(
    ("value", "error"),
    [(Decimal("Infinity"), RulesError), (Decimal("NaN"), RulesError), (1.5, RulesTypeError)],
)
def test_to_pence_refuses_non_amounts(value, error):
    """to_pence refuses infinities, NaN and floats with the money rule, not OverflowError."""
    with pytest.raises(error) as info:
        to_pence(value)
    assert info.value.reference == MONEY_REFERENCE


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0.125", "£0.13"),  # format()'s half-even would give £0.12
        ("1.005", "£1.01"),  # ...and £1.00 here
        ("2.675", "£2.68"),
        ("-5", "-£5.00"),
        ("1234567.891", "£1,234,567.89"),
    ],
)
def test_format_money_rounds_half_up(value, expected):
    """A fraction of a penny is shown rounded half-up, the library's one rounding rule."""
    assert format_money(Decimal(value)) == expected


def test_tables_round_money_half_up():
    """Text and HTML tables show money cells the way format_money does (half-up)."""
    assert text_table(["x"], [[Decimal("0.125")]]).splitlines()[-1].strip() == "£0.13"
    assert ">£0.13<" in html_table(["x"], [[Decimal("0.125")]])


@given(
    text=st.sampled_from(["1390.50", "12", " 12.00 ", "0.5", "100"]).flatmap(
        with_a_non_ascii_character
    )
)
def test_money_and_percentages_are_ascii_decimal_strings(text: str):
    """Arabic-Indic or full-width digits and a no-break space are refused, not read."""
    with pytest.raises(RulesError, match="plain decimal number"):
        to_money(text)
    with pytest.raises(RulesError, match="plain decimal number"):
        to_percent(text)


@pytest.mark.parametrize(
    "text", ["\u0661\u0662", "\uff11\uff12", "12\u00a0", "\u00a012", "1\u0662"]
)
def test_the_issues_non_ascii_examples(text: str):
    with pytest.raises(RulesError, match="only the ASCII digits 0-9") as caught:
        to_money(text)
    assert caught.value.value == text  # as received


# --- issue 16: the plain-int fast path agrees with the general path ----------------------


class _Int(int):
    """An int subclass: accepted, but never on the plain-int fast path."""


@given(st.integers(min_value=-(10**30), max_value=10**30))
def test_a_plain_int_amount_and_every_other_form_of_it_agree(n):
    """The same figure (digits and all) or the same error, whichever form the int comes in."""

    def outcome(value):
        try:
            return to_money(value, field="x").as_tuple()
        except RulesError as err:
            return (type(err), str(err).split(": got ")[0], err.reference)

    assert outcome(n) == outcome(_Int(n)) == outcome(Decimal(n))


@given(st.integers(min_value=-5, max_value=120), st.sampled_from([100, 20, Decimal("20")]))
def test_a_plain_int_percentage_and_every_other_form_of_it_agree(n, high):
    def outcome(value):
        try:
            return to_percent(value, high=high).as_tuple()
        except RulesError as err:
            return (type(err), str(err).split(": got ")[0], err.reference)

    assert outcome(n) == outcome(_Int(n)) == outcome(Decimal(n))


class _Decimal(Decimal):
    """A Decimal subclass: accepted, but never on the plain-Decimal fast path."""


@given(
    st.one_of(
        st.decimals(allow_nan=True, allow_infinity=True),
        st.decimals(min_value=-1, max_value=10**27, places=2),
        st.decimals(min_value=0, max_value=10**6, places=3),
        money(),
    )
)
def test_a_plain_decimal_amount_and_a_subclass_of_it_agree(d):
    """The plain-Decimal fast path gives the general path's digits, or its error."""

    def outcome(value):
        try:
            return to_money(value, field="x").as_tuple()
        except RulesError as err:
            return (type(err), str(err).split(": got ")[0], err.reference)

    assert outcome(d) == outcome(_Decimal(d))


@given(
    st.one_of(
        st.decimals(allow_nan=True, allow_infinity=True),
        st.decimals(min_value=-1, max_value=101, places=3),
        percents(),
    ),
    st.sampled_from([100, 20, Decimal("20")]),
)
def test_a_plain_decimal_percentage_and_a_subclass_of_it_agree(d, high):
    def outcome(value):
        try:
            return to_percent(value, high=high).as_tuple()
        except RulesError as err:
            return (type(err), str(err).split(": got ")[0], err.reference)

    assert outcome(d) == outcome(_Decimal(d))
