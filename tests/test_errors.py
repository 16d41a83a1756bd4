"""Tests for rtaprotocol.errors: typed errors that explain themselves."""

from __future__ import annotations

import json
import pickle
from collections.abc import Callable, Iterator, Mapping
from datetime import date, datetime
from decimal import Decimal, localcontext
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

import rtaprotocol as rp
from rtaprotocol.errors import (
    OutOfCoverageError,
    ProtocolViolation,
    RulesError,
    RulesTypeError,
)


def test_hierarchy():
    """Every error is a RulesError and a ValueError; the type error is also a TypeError."""
    for cls in (RulesTypeError, OutOfCoverageError, ProtocolViolation):
        assert issubclass(cls, RulesError)
    assert issubclass(RulesError, ValueError)
    assert issubclass(RulesTypeError, TypeError)
    assert not issubclass(ProtocolViolation, TypeError)


def test_message_names_value_field_and_rule():
    """str() carries the field, the message, the value received and the reference."""
    err = RulesError("percentage is above 100", value=101, reference="guide 6.5.2", field="p")
    assert str(err) == "p: percentage is above 100: got 101 [guide 6.5.2]"
    assert (err.message, err.value, err.reference, err.field) == (
        "percentage is above 100",
        101,
        "guide 6.5.2",
        "p",
    )


def test_without_value_or_field():
    """An error about an action (no single value) still names its rule."""
    err = ProtocolViolation("no fourth offer", reference="guide 6.5.5")
    assert str(err) == "no fourth offer [guide 6.5.5]"
    assert err.has_value is False
    assert err.value is None


def test_none_is_a_value():
    """A None received is reported as None, not as missing."""
    err = RulesTypeError("expected a date", value=None, reference="guide 6.3.1")
    assert str(err) == "expected a date: got None [guide 6.3.1]"
    assert err.has_value is True


def test_long_values_are_shortened():
    """A huge value does not flood the message."""
    err = RulesError("bad", value="x" * 500, reference="guide 4.1")
    assert len(str(err)) < 120
    assert err.value == "x" * 500


@pytest.mark.parametrize("cls", [RulesError, RulesTypeError, OutOfCoverageError, ProtocolViolation])
def test_pickle_round_trip(cls):
    """Errors cross process boundaries with every attribute intact."""
    err = cls("bad thing", value=[1, 2], reference="guide 4.1", field="f")
    again = pickle.loads(pickle.dumps(err))
    assert type(again) is cls
    assert str(again) == str(err)
    assert (again.value, again.reference, again.field) == ([1, 2], "guide 4.1", "f")
    no_value = pickle.loads(pickle.dumps(cls("x", reference="guide 4.1")))
    assert no_value.has_value is False


def test_to_dict_is_json_ready():
    """to_dict gives JSON data: the value in its JSON form, not its repr."""
    data = RulesError("bad", value=3, reference="guide 4.1", field="n").to_dict()
    assert data == {
        "error": "RulesError",
        "message": "bad",
        "reference": "guide 4.1",
        "field": "n",
        "value": 3,
    }
    assert ProtocolViolation("x", reference="guide 4.1").to_dict()["value"] is None


def test_catchable_as_value_error():
    """Callers that catch ValueError catch ours."""
    with pytest.raises(ValueError, match="guide"):
        raise ProtocolViolation("nope", reference="guide 6.5.5")


# --- hostile values: only a RulesError ever escapes a public function ---------------------

HUGE = 10**5000  # more digits than Python will write out (4,300)


class IntSub(int):
    def __repr__(self) -> str:
        raise RuntimeError("a hostile repr")


class StrSub(str):
    def __str__(self) -> str:
        raise RuntimeError("a hostile str")


class DecimalSub(Decimal):
    pass


HOSTILE: list[Any] = [
    HUGE,
    -HUGE,
    2**20_000 + 1,
    IntSub(HUGE),
    IntSub(5),
    Decimal("1E+999999"),
    Decimal("9E+999999999999999999"),
    Decimal("-1E+999999"),
    Decimal("1E-999999"),
    Decimal("1E-999999999999999999"),
    Decimal("NaN"),
    Decimal("sNaN"),
    Decimal("-sNaN123"),
    Decimal("Infinity"),
    DecimalSub("1E+999999"),
    DecimalSub("12.50"),
    Decimal("1" * 5000),
    Decimal("0." + "0" * 5000 + "1"),
    "1" * 5000,
    "9" * 30,
    "1E+999999",
    "NaN",
    "sNaN",
    "\u0661\u0662",  # Arabic-Indic 12
    "\uff11\uff12",  # full-width 12
    "12\u00a0",  # a trailing no-break space
    StrSub("12"),
    StrSub("1" * 5000),
    float("nan"),
    float("inf"),
    1e308,
    5e-324,
    True,
    None,
    [HUGE],
    {"a": HUGE},
    date.min,
    date.max,
    datetime.max,
    relativedelta(months=10**300),
    relativedelta(days=-HUGE),
]


class OneKey(Mapping[Any, int]):
    """A mapping with one key that is never hashed (a signalling NaN cannot be)."""

    def __init__(self, key: Any) -> None:
        self.key = key

    def __getitem__(self, key: Any) -> int:
        return 1

    def __iter__(self) -> Iterator[Any]:
        return iter([self.key])

    def __len__(self) -> int:
        return 1


D = date(2023, 5, 2)
ACCIDENT = date(2024, 3, 1)
FACTS = {"accident_date": "2023-05-02", "entry_date": "2023-06-01"}


def _facts(**changes: Any) -> dict[str, Any]:
    return {**FACTS, **changes}


ENTRIES: dict[str, Callable[[Any], Any]] = {
    "to_money": rp.to_money,
    "to_percent": rp.to_percent,
    "round_penny": rp.round_penny,
    "to_pence": rp.to_pence,
    "format_money": rp.format_money,
    "tariff duration": lambda v: rp.tariff_amount(v, accident_date=ACCIDENT),
    "tariff uplift": lambda v: rp.tariff_award(3, accident_date=ACCIDENT, uplift_percent=v),
    "tariff date": lambda v: rp.tariff_amount(3, accident_date=v),
    "tariff table": rp.tariff_table,
    "injury duration": lambda v: rp.injury_duration(v, D),
    "mixed": lambda v: rp.mixed_injury_award(v, 1),
    "mixed overlap": lambda v: rp.mixed_injury_award(1, 1, overlap=v),
    "payment head": lambda v: rp.compute_payment({"injury": v}),
    "payment key": lambda v: rp.compute_payment(OneKey(v)),
    "payment liability": lambda v: rp.compute_payment({"injury": 1}, claimant_liability_percent=v),
    "payment seatbelt": lambda v: rp.compute_payment({"injury": 1}, seatbelt_percent=v),
    "payment cru": lambda v: rp.compute_payment({"property": 1}, cru={"property": v}),
    "payment interim": lambda v: rp.compute_payment({"property": 1}, interim={"property": v}),
    "payment general": lambda v: rp.compute_payment({"property": 1}, general_interim=v),
    "per head": lambda v: rp.PerHead.of({rp.Head.INJURY: v}),
    "limits": rp.check_value_limits,
    "limits fees": lambda v: rp.check_value_limits(1, fees=v),
    "revaluation": lambda v: rp.check_revaluation(1, v),
    "expert fee": rp.expert_fee,
    "report fee": lambda v: rp.first_medical_report_fee(vat_percent=v),
    "jcg": rp.jcg_brackets,
    "add days n": lambda v: rp.add_business_days(D, v),
    "add days d": lambda v: rp.add_business_days(v, 1),
    "between": lambda v: rp.business_days_between(D, v),
    "is business day": rp.is_business_day,
    "due date": lambda v: rp.due_date(rp.Period.LIABILITY_RESPONSE, v),
    "limitation": lambda v: rp.limitation_deadline(D, date_of_birth=v),
    "calendar": lambda v: rp.EnglandWalesCalendar(extra_holidays=[v]),
    "outlook": lambda v: rp.medical_report_outlook(D, v),
    "offer amount": lambda v: rp.Negotiation().offer(rp.Party.CLAIMANT, v, on=D),
    "offer on": lambda v: rp.Negotiation().offer(rp.Party.CLAIMANT, 1, on=v),
    "fee offer": lambda v: (
        rp.Negotiation()
        .offer(rp.Party.CLAIMANT, 1, on=D)
        .accept(rp.Party.COMPENSATOR, on=D)
        .offer_fees(rp.Party.CLAIMANT, v, on=D)
    ),
    "accept number": lambda v: (
        rp.Negotiation()
        .offer(rp.Party.CLAIMANT, 1, on=D)
        .accept(rp.Party.COMPENSATOR, on=D, offer_number=v)
    ),
    "offer object": lambda v: rp.Offer(party="claimant", number=1, amount=v, made_on=D),
    "offer number": lambda v: rp.Offer(party="claimant", number=v, amount=1, made_on=D),
    "event": lambda v: rp.Event(kind="offer", on=D, party="claimant", amount=v),
    "event from_dict": lambda v: rp.Event.from_dict(
        {"kind": "offer", "on": "2023-05-02", "party": "claimant", "amount": v}
    ),
    "event date": lambda v: rp.Event.from_dict({"kind": "offer", "on": v, "party": "claimant"}),
    "replay": lambda v: rp.Negotiation.replay(
        [{"kind": "offer", "on": "2023-05-02", "party": "claimant", "amount": v}]
    ),
    "facts injury": lambda v: rp.ClaimFacts(accident_date=D, entry_date=D, injury=v),
    "facts date": lambda v: rp.ClaimFacts(accident_date=v, entry_date=D),
    "from_dict money": lambda v: rp.ClaimFacts.from_dict(_facts(injury=v)),
    "from_dict fees": lambda v: rp.ClaimFacts.from_dict(_facts(fees=v)),
    "from_dict date": lambda v: rp.ClaimFacts.from_dict(_facts(accident_date=v)),
    "from_dict birth": lambda v: rp.ClaimFacts.from_dict(_facts(date_of_birth=v)),
    "eligibility window": lambda v: rp.check_eligibility(
        rp.ClaimFacts(accident_date=D, entry_date=D), limitation_warning_days=v
    ),
}


def _escape(name: str, value: Any) -> str | None:
    """What escaped ``ENTRIES[name](value)`` other than a well-formed RulesError, or None."""
    try:
        result = ENTRIES[name](value)
        str(result)  # an accepted value gives a usable, printable result
    except RulesError as err:
        problems = err.problems
        text = str(err)  # the message itself never raises
        data = json.dumps(err.to_dict())  # and its JSON form is JSON
        if len(text) > 2_000 or len(data) > 4_000:
            return f"a message too long: {text[:100]}"
        if not all(isinstance(p, RulesError) for p in problems):
            return "a problem that is not a RulesError"
    except Exception as err:  # collected, so one run lists every value that escapes
        return f"{type(err).__name__}: {str(err)[:100]}"
    return None


@pytest.mark.parametrize("name", sorted(ENTRIES))
def test_every_hostile_value_gives_a_rules_error_or_an_answer(name: str):
    escaped = [(i, _escape(name, value)) for i, value in enumerate(HOSTILE)]
    assert [(i, e) for i, e in escaped if e is not None] == []


@given(
    name=st.sampled_from(sorted(ENTRIES)),
    # Hostile values are drawn by index and huge ints by digit count: Hypothesis could not
    # print a 5,000-digit int it failed on (its repr would raise).
    hostile=st.none() | st.integers(0, len(HOSTILE) - 1),
    huge_digits=st.none() | st.integers(4301, 6000),
    sign=st.sampled_from([1, -1]),
    value=st.one_of(
        st.builds(
            Decimal,
            st.tuples(
                st.integers(0, 1),
                st.lists(st.integers(0, 9), min_size=1, max_size=40).map(tuple),
                st.integers(
                    -999_999_999_999_999_999, 999_999_999_999_999_999 - 40
                ),  # adjusted <= MAX_EMAX
            ),
        ),
        st.text(max_size=40),
        st.floats(),
        st.integers(),
    ),
)
def test_only_rules_errors_escape(
    name: str, hostile: int | None, huge_digits: int | None, sign: int, value: Any
):
    if hostile is not None:
        value = HOSTILE[hostile]
    elif huge_digits is not None:
        value = sign * (10**huge_digits - 7)
    assert _escape(name, value) is None


def test_a_huge_int_is_described_by_its_length():
    with pytest.raises(RulesError) as caught:
        rp.to_money(10**4999)
    assert "an int of 5,000 digits" in str(caught.value)
    assert caught.value.value == 10**4999  # kept as received
    assert caught.value.to_dict()["value"] == "an int of 5,000 digits"


@pytest.mark.parametrize("func", [rp.to_pence, rp.round_penny, rp.format_money])
def test_a_huge_exponent_is_refused_not_overflowed(func: Callable[[Any], Any]):
    with pytest.raises(RulesError, match="1E\\+999999"):
        func(Decimal("1E+999999"))


def test_the_message_shortens_what_it_cannot_or_should_not_write_out():
    """The value in a message is a bounded description: never a raw ValueError from repr."""

    class Unprintable:
        def __repr__(self) -> str:
            raise RuntimeError("no repr")

    cases = {
        10**5000: "an int of 5,001 digits",
        -(10**4999): "a negative int of 5,000 digits",
        IntSub(10**5001): "an int of 5,002 digits",
        Decimal("7" * 500): "a Decimal of 500 digits",
        Unprintable(): "a Unprintable that cannot be shown",
        tuple(range(1000)): "a tuple of 1,000 items",
        (10**5000,): "(an int of 5,001 digits,)",
    }
    for value, shown in cases.items():
        err = RulesError("bad", value=value, reference="guide 4.1")
        assert str(err) == f"bad: got {shown} [guide 4.1]"
        assert err.value is value  # kept as received
    long_text = str(RulesError("bad", value="y" * 10**6, reference="guide 4.1"))
    assert len(long_text) < 120


def test_the_message_does_not_read_the_callers_decimal_context():
    with localcontext() as ctx:
        ctx.capitals = 0
        err = RulesError("bad", value=Decimal("1E+5"), reference="guide 4.1")
        data = err.to_dict()
    assert str(err) == "bad: got Decimal('1E+5') [guide 4.1]"
    assert data["value"] == "1E+5"


def test_to_dict_gives_the_value_in_its_json_form():
    """ISO dates, decimal strings, numbers and strings as received, lists and dicts."""
    cases = [
        (date(1999, 1, 1), "1999-01-01"),
        (datetime(2023, 5, 2, 9, 30), "2023-05-02T09:30:00"),
        (Decimal("1400.00"), "1400.00"),
        (Decimal("NaN"), "NaN"),
        (1390, 1390),
        (12.5, 12.5),
        (float("nan"), "nan"),
        ("1,000", "1,000"),
        (None, None),
        (True, True),
        (rp.Party.CLAIMANT, "claimant"),
        ([date(2023, 5, 8), Decimal("1")], ["2023-05-08", "1"]),
        ({"injury": Decimal("-1.00")}, {"injury": "-1.00"}),
        (relativedelta(months=3), "relativedelta(months=+3)"),
    ]
    for value, expected in cases:
        data = RulesError("bad", value=value, reference="guide 4.1").to_dict()
        assert data["value"] == expected or (value != value and data["value"] == expected)
        json.dumps(data, allow_nan=False)
