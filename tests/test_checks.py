"""Tests for rtaprotocol._checks: the shared input checks behind every rule."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rtaprotocol._checks import (
    check_bool,
    check_date,
    check_enum,
    check_int,
    check_optional_bool,
    parse_iso_date,
)
from rtaprotocol.errors import RulesError, RulesTypeError
from strategies import with_a_non_ascii_character

REF = "guide 4.1"


class Colour(Enum):
    RED = "red"


def test_check_date_accepts_dates_and_datetimes():
    """A date passes; a datetime gives its date."""
    assert check_date(date(2023, 5, 2), field="d", reference=REF) == date(2023, 5, 2)
    assert type(check_date(datetime(2023, 5, 2, 9), field="d", reference=REF)) is date


@pytest.mark.parametrize("bad", ["2023-05-02", 20230502, None, 1.0])
def test_check_date_refuses_others(bad):
    """Strings are parsed only at the edges (JSON, CLI), never here."""
    with pytest.raises(RulesTypeError, match=r"d: expected a datetime\.date") as info:
        check_date(bad, field="d", reference=REF)
    assert info.value.reference == REF


@given(st.dates())
def test_parse_iso_date_round_trip(d):
    """Every date's ISO form parses back to it."""
    assert parse_iso_date(d.isoformat(), field="d", reference=REF) == d
    assert parse_iso_date(f" {d.isoformat()} ", field="d", reference=REF) == d


@pytest.mark.parametrize("text", ["20230502", "2023-W18-2", "2023-5-2", "", "x"])
def test_parse_iso_date_refuses_other_forms(text):
    """Only real YYYY-MM-DD dates are accepted."""
    with pytest.raises(RulesError, match="YYYY-MM-DD"):
        parse_iso_date(text, field="d", reference=REF)


@pytest.mark.parametrize("bad", [True, 1.0, "1", None])
def test_check_int_refuses_non_ints(bad):
    """A bool is not an int here, nor is a float or a string."""
    with pytest.raises(RulesTypeError, match="expected an int"):
        check_int(bad, field="n", reference=REF)
    assert check_int(7, field="n", reference=REF) == 7


@pytest.mark.parametrize("bad", [0, 1, "yes", None])
def test_check_bool_refuses_non_bools(bad):
    """0 and 1 are refused: say True or False."""
    with pytest.raises(RulesTypeError, match="True or False"):
        check_bool(bad, field="f", reference=REF)
    assert check_bool(False, field="f", reference=REF) is False


def test_check_optional_bool():
    """None means not known yet; anything but a bool or None is refused."""
    assert check_optional_bool(None, field="f", reference=REF) is None
    assert check_optional_bool(True, field="f", reference=REF) is True
    with pytest.raises(RulesTypeError):
        check_optional_bool(0, field="f", reference=REF)


def test_check_enum():
    """A member or its value is accepted; anything else lists the allowed values."""
    assert check_enum("red", Colour, field="c", reference=REF) is Colour.RED
    assert check_enum(Colour.RED, Colour, field="c", reference=REF) is Colour.RED
    with pytest.raises(RulesError, match="'red'") as info:
        check_enum("blue", Colour, field="c", reference=REF)
    assert info.value.field == "c"


@given(text=with_a_non_ascii_character("2023-05-02"))
def test_iso_dates_are_ascii(text: str):
    """A full-width digit or a no-break space never slips into a date."""
    with pytest.raises(RulesError):
        parse_iso_date(text, field="on", reference="rtaprotocol dates")


def test_a_well_formed_impossible_date_is_no_such_date():
    with pytest.raises(RulesError, match="no such date") as caught:
        parse_iso_date("2023-02-30", field="on", reference="rtaprotocol dates")
    assert caught.value.value == "2023-02-30"
    with pytest.raises(RulesError, match="not a date in YYYY-MM-DD form"):
        parse_iso_date("30/02/2023", field="on", reference="rtaprotocol dates")
