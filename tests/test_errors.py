"""Tests for rtaprotocol.errors: typed errors that explain themselves."""

from __future__ import annotations

import json
import pickle
import re
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping
from datetime import date, datetime
from decimal import Decimal, localcontext
from pathlib import Path
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

import rtaprotocol as rp
from rtaprotocol.errors import (
    ErrorCode,
    InputError,
    InvalidInput,
    OutOfCoverageError,
    ProtocolViolation,
    RulesError,
    RulesTypeError,
    json_pointer,
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
    err = cls("bad thing", value=[1, 2], reference="guide 4.1", field="f", pointer="/x/0")
    again = pickle.loads(pickle.dumps(err))
    assert type(again) is cls
    assert str(again) == str(err)
    assert (again.value, again.reference, again.field) == ([1, 2], "guide 4.1", "f")
    assert (again.code, again.pointer) == (err.code, "/x/0")
    assert again.to_dict() == err.to_dict()
    no_value = pickle.loads(pickle.dumps(cls("x", reference="guide 4.1")))
    assert no_value.has_value is False


def test_to_dict_is_json_ready():
    """to_dict gives JSON data: the value in its JSON form, code and pointer, and problems."""
    data = RulesError("bad", value=3, reference="guide 4.1", field="n").to_dict()
    own = {
        "error": "RulesError",
        "code": "value.invalid",
        "pointer": "/n",
        "message": "bad",
        "reference": "guide 4.1",
        "field": "n",
        "value": 3,
    }
    assert data == {**own, "problems": [own]}
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


# --- one error shape (issue 24) -----------------------------------------------------------

DOCS = Path(__file__).parent.parent / "docs"


def test_every_error_has_a_code_from_the_registry_and_a_pointer():
    """Each class has its own default code; a field gives an RFC 6901 pointer."""
    assert RulesError("x", reference="guide 4.1").code is ErrorCode.VALUE_INVALID
    assert RulesTypeError("x", reference="guide 4.1").code is ErrorCode.TYPE_WRONG
    assert OutOfCoverageError("x", reference="guide 4.1").code is ErrorCode.COVERAGE_OUT_OF_RANGE
    assert ProtocolViolation("x", reference="guide 4.1").code is ErrorCode.PROTOCOL_FORBIDDEN
    assert RulesError("x", reference="guide 4.1").pointer is None
    assert RulesError("x", reference="guide 4.1", field="$.injuries[1].months").pointer == (
        "/injuries/1/months"
    )
    given = RulesError("x", reference="guide 4.1", code="date.format", pointer="/on")
    assert (given.code, given.pointer) == (ErrorCode.DATE_FORMAT, "/on")


def test_a_code_outside_the_registry_is_refused():
    """A code not in ErrorCode is a bug in the raiser: ValueError at once, never emitted."""
    with pytest.raises(ValueError, match="no-such-code"):
        RulesError("x", reference="guide 4.1", code="no-such-code")


def test_a_wrong_type_is_always_type_wrong():
    """A RulesTypeError whose message reads like another kind still says type.wrong."""
    err = RulesTypeError("a date is a YYYY-MM-DD string, not int", value=1, reference="guide 4.1")
    assert err.code is ErrorCode.TYPE_WRONG


@pytest.mark.parametrize(
    ("call", "code"),
    [
        (lambda: rp.to_money("1.005"), "money.too-many-places"),
        (lambda: rp.to_money(-1), "money.negative"),
        (lambda: rp.to_money(10**30), "money.too-large"),
        (lambda: rp.to_money("£1"), "number.format"),
        (lambda: rp.to_money(float("nan")), "number.not-finite"),
        (lambda: rp.to_money(None), "type.wrong"),
        (lambda: rp.to_percent(101), "percent.out-of-range"),
        (lambda: rp.to_percent(-1), "percent.out-of-range"),
        (lambda: rp.to_percent("33.333"), "percent.too-many-places"),
        (lambda: rp.Claim.replay("["), "json.syntax"),
        (lambda: rp.tariff_amount(3, accident_date=date(2021, 5, 30)), "coverage.out-of-range"),
        (lambda: rp.ListOfLosses().with_interim(3, 10), "reference.not-found"),
        (
            lambda: (
                rp.Negotiation()
                .offer(rp.Party.COMPENSATOR, 1000, on=D)
                .accept(rp.Party.CLAIMANT, on=D, offer_number=2)
            ),
            "reference.not-found",
        ),
        (
            lambda: (
                rp.Negotiation()
                .offer(rp.Party.COMPENSATOR, 1000, on=D)
                .offer(rp.Party.CLAIMANT, 900, on=date(2023, 5, 1))
            ),
            "order.before-previous",
        ),
        (lambda: rp.ClaimEvent.from_dict({"kind": "x", "on": "2023-05-02"}), "enum.unknown"),
        (lambda: rp.ClaimEvent.from_dict({"kind": "denial-accepted"}), "field.missing"),
        (
            lambda: rp.ClaimEvent.from_dict({"kind": "denial-accepted", "on": "2023-02-30"}),
            "date.no-such-day",
        ),
        (
            lambda: rp.ClaimEvent.from_dict({"kind": "denial-accepted", "on": "1/5/23"}),
            "date.format",
        ),
        (
            lambda: rp.ClaimEvent.from_dict(
                {"kind": "denial-accepted", "on": "2023-05-02", "x": 1}
            ),
            "field.unknown",
        ),
        (
            lambda: rp.ClaimEvent.from_dict(
                {
                    "kind": "medical-report-received",
                    "on": "2023-05-02",
                    "report": "first",
                    "prognosis_months": 1201,
                }
            ),
            "number.out-of-range",
        ),
        (lambda: rp.CruCertificate.from_dict({"care": "-1"}), "money.negative"),
        (lambda: rp.CruCertificate.from_dict({"care": "1.005"}), "money.too-many-places"),
        (lambda: rp.CruCertificate.from_dict({"care": -1}), "money.negative"),
        (lambda: rp.CruCertificate.from_dict({"care": 10**12}), "money.too-large"),
    ],
)
def test_each_kind_of_problem_has_its_code(call: Callable[[], Any], code: str):
    """The shared checks' refusals carry the code docs/errors.md gives for them."""
    with pytest.raises(RulesError) as caught:
        call()
    assert caught.value.code == code
    assert [p.code for p in caught.value.problems] == [code]


def _documented_codes() -> list[str]:
    text = (DOCS / "errors.md").read_text(encoding="utf-8")
    section = text.split("## Error codes", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `([a-z0-9.-]+)` \|", section, flags=re.MULTILINE)


def test_the_docs_table_lists_exactly_the_codes():
    """docs/errors.md's table of codes lists each ErrorCode once, in the registry's order."""
    assert _documented_codes() == [c.value for c in ErrorCode]
    assert rp.error_codes() == tuple(c.value for c in ErrorCode)


def test_the_golden_refusals_use_only_registered_codes():
    """Every code recorded in tests/golden/errors is a member of the registry."""
    golden = Path(__file__).parent / "golden" / "errors"
    found = {
        m
        for path in golden.glob("*.txt")
        for m in re.findall(r"code: '([^']*)'", path.read_text(encoding="utf-8"))
    }
    assert found
    assert found <= set(rp.error_codes())


@given(
    st.lists(
        st.one_of(st.integers(0, 10**6), st.from_regex(r"[a-z_][a-z0-9_]{0,8}", fullmatch=True)),
        max_size=6,
    )
)
def test_a_path_gives_the_pointer_of_its_steps(steps: list[int | str]):
    """$.a[1].b is /a/1/b (RFC 6901): names and indexes, in order."""
    path = "$" + "".join(f"[{s}]" if isinstance(s, int) else f".{s}" for s in steps)
    assert json_pointer(path) == "".join(f"/{s}" for s in steps)


@given(st.text(min_size=1, max_size=20))
def test_a_quoted_key_is_escaped(key: str):
    """$["k"] gives /k with ~ as ~0 and / as ~1, whatever the key holds."""
    pointer = json_pointer("$[" + json.dumps(key) + "]")
    assert pointer == "/" + key.replace("~", "~0").replace("/", "~1")


def test_input_error_is_invalid_input():
    """InvalidInput is InputError's 0.1 name: except InvalidInput catches an InputError."""
    assert InvalidInput is InputError
    with pytest.raises(InvalidInput):
        raise InputError([RulesError("x", reference="guide 4.1")], reference="guide 4.1")
    assert issubclass(InputError, RulesError)


def test_input_error_of_one_problem_says_where_it_is():
    """One problem: the error's field, pointer, code and value are the problem's, not null."""
    problem = RulesError(
        "amount is negative",
        value="-5",
        field="$.items[0].amount",
        reference="guide 4.1",
        code=ErrorCode.MONEY_NEGATIVE,
    )
    err = InputError([problem], reference="guide 5.2")
    assert (err.field, err.pointer, err.code, err.value) == (
        "$.items[0].amount",
        "/items/0/amount",
        ErrorCode.MONEY_NEGATIVE,
        "-5",
    )
    several = InputError([problem, RulesError("x", reference="guide 4.1")], reference="guide 5.2")
    assert (several.field, several.pointer, several.code) == (None, "", ErrorCode.INPUT_INVALID)


def test_input_errors_nest_flat_and_pickle():
    """An InputError given as a problem contributes its problems; pickling keeps them all."""
    inner = InputError(
        [
            RulesError("a", reference="guide 4.1", field="x"),
            RulesError("b", reference="guide 4.1", field="y"),
        ],
        reference="guide 4.1",
    )
    outer = InputError(
        [inner, RulesTypeError("c", reference="guide 4.1", value=1)], reference="guide 4.2"
    )
    assert [p.message for p in outer.problems] == ["a", "b", "c"]
    again = pickle.loads(pickle.dumps(outer))
    assert type(again) is InputError
    assert again.to_dict() == outer.to_dict()
    assert json.loads(json.dumps(outer.to_dict()))["problems"][2]["code"] == "type.wrong"


def test_evolve_keeps_every_attribute():
    """evolve changes what it is given; code, reference and a violation's party are kept."""
    err = ProtocolViolation(
        "no such item; the list has 1", value=3, field="item", reference="guide 6.3.1.4",
        party="claimant", action="interim-payment-requested", state="investigation",
        code=ErrorCode.NOT_FOUND,
    )  # fmt: skip
    moved = err.evolve(field="events[2].item")
    assert isinstance(moved, ProtocolViolation)
    assert (moved.pointer, moved.code, moved.party, moved.action, moved.state) == (
        "/events/2/item",
        ErrorCode.NOT_FOUND,
        "claimant",
        "interim-payment-requested",
        "investigation",
    )
    assert moved.evolve(value=4).value == 4
    assert InputError([err], reference="guide 4.1").evolve(field="f").problems[0].field == "f"


def test_a_violation_pickles_with_party_action_and_state():
    """ProtocolViolation's own attributes cross process boundaries too."""
    err = ProtocolViolation(
        "x", reference="guide 4.1", party=rp.Party.CLAIMANT, action="offer", state="offer"
    )
    again = pickle.loads(pickle.dumps(err))
    assert (again.party, again.action, again.state) == ("claimant", "offer", "offer")
    assert again.to_dict() == err.to_dict()


FACTS_DATES = {"accident_date": "2023-03-01", "entry_date": "2023-05-02"}


def _submitted() -> rp.Claim:
    facts = rp.ClaimFacts(accident_date=date(2023, 3, 1), entry_date=date(2023, 5, 2))
    return rp.Claim().submit(facts, on=date(2023, 5, 2), whiplash=True)


def test_claim_apply_says_who_tried_what_in_which_state():
    """Claim.apply fills party, action and state of every violation (guide 6.3.1.1)."""
    with pytest.raises(ProtocolViolation) as caught:
        _submitted().act("liability-challenge", on=date(2023, 5, 3), percent=100)
    err = caught.value
    assert (err.party, err.action, err.state) == (
        "claimant",
        "liability-challenge",
        "investigation",
    )
    assert err.to_dict()["state"] == "investigation"


def test_a_violation_in_the_embedded_negotiation_is_filled_too():
    """An offer refused inside the claim names the party, the kind and a state."""
    with pytest.raises(ProtocolViolation) as caught:
        _submitted().act("offer", on=date(2023, 5, 3), party="claimant", amount=100)
    err = caught.value
    assert err.party == "claimant"
    assert err.action == "offer"
    assert err.state is not None


def test_negotiation_apply_says_who_tried_what_in_which_state():
    """Negotiation.apply fills party, action and its stage (guide 6.5.3.1)."""
    with pytest.raises(ProtocolViolation) as caught:
        rp.Negotiation().apply(
            {"kind": "offer", "on": "2023-05-02", "party": "claimant", "amount": "900"}
        )
    err = caught.value
    assert (err.party, err.action, err.state) == (
        "claimant",
        "offer",
        "awaiting the compensator's first offer",
    )


def test_replay_fills_the_violation_too():
    """Claim.replay goes through the same wrapper: the violation says its state."""
    with pytest.raises(ProtocolViolation) as caught:
        rp.Claim.replay([{"kind": "proceed-to-medical", "on": "2023-05-02"}])
    assert (caught.value.action, caught.value.state, caught.value.party) == (
        "proceed-to-medical",
        "start",
        "claimant",
    )


def test_an_unknown_loss_item_is_the_same_error_everywhere():
    """A loss item that does not exist: ProtocolViolation, reference.not-found, in both places."""
    with pytest.raises(ProtocolViolation) as in_list:
        rp.ListOfLosses().add(rp.LossItem("property-excess", 200)).with_interim(3, 10)
    admitted = _submitted().act("liability-response", on=date(2023, 5, 3), response="admit-full")
    with pytest.raises(ProtocolViolation) as in_claim:
        admitted.act("interim-payment-requested", on=date(2023, 5, 4), amount=10, item=3)
    assert in_list.value.code is in_claim.value.code is ErrorCode.NOT_FOUND


def test_ineligibility_lists_every_failing_criterion():
    """Submitting an ineligible claim names each failing criterion, its code and rule (guide 4.1, 4.2)."""
    facts = rp.ClaimFacts(
        accident_date=date(2021, 5, 1), entry_date=date(2023, 5, 2), accident_location="scotland"
    )
    result = rp.check_eligibility(facts)
    assert len(result.reasons) >= 2
    with pytest.raises(ProtocolViolation) as caught:
        rp.Claim().submit(facts, on=date(2023, 5, 2), whiplash=False)
    err = caught.value
    assert err.code is ErrorCode.CLAIM_INELIGIBLE
    assert err.value == list(result.codes)
    for reason in result.reasons:
        assert reason.message in err.message
        assert reason.reference in err.reference


# Each reader, a document with several problems, and every (pointer, code) it must report.
SEVERAL: dict[str, tuple[Callable[[], Any], list[tuple[str, str]]]] = {
    "ClaimFacts.from_dict": (
        lambda: rp.ClaimFacts.from_dict({"accident_date": "2023-02-30", "injury": -5, "psych": 1}),
        [
            ("/psych", "field.unknown"),
            ("/entry_date", "field.missing"),
            ("/accident_date", "date.no-such-day"),
            ("/injury", "money.negative"),
        ],
    ),
    "ListOfLosses.from_dict": (
        lambda: rp.ListOfLosses.from_dict(
            {
                "injury": "1.005",
                "x": 1,
                "items": [{"type": "car", "amount": "200"}, {"amount": True, "colour": "red"}],
            }
        ),
        [
            ("/x", "field.unknown"),
            ("/injury", "money.too-many-places"),
            ("/items/0/type", "enum.unknown"),
            ("/items/1/colour", "field.unknown"),
            ("/items/1/type", "field.missing"),
            ("/items/1/amount", "type.wrong"),
        ],
    ),
    "LossItem.from_dict": (
        lambda: rp.LossItem.from_dict({"type": "car", "amount": "-1", "date_added": "2023-1-1"}),
        [("/type", "enum.unknown"), ("/amount", "money.negative"), ("/date_added", "date.format")],
    ),
    "CruCertificate.from_dict": (
        lambda: rp.CruCertificate.from_dict({"pension": "1", "care": "1.005", "earnings": True}),
        [
            ("/pension", "field.unknown"),
            ("/earnings", "type.wrong"),
            ("/care", "money.too-many-places"),
        ],
    ),
    "ClaimEvent.from_dict": (
        lambda: rp.ClaimEvent.from_dict(
            {"kind": "liability-response", "on": "2023-02-30", "percent": "70.005", "note": "x"}
        ),
        [
            ("/on", "date.no-such-day"),
            ("/percent", "percent.too-many-places"),
            ("/note", "field.unknown"),
            ("/response", "field.missing"),
        ],
    ),
    "ClaimEvent.from_dict with facts and losses": (
        lambda: rp.ClaimEvent.from_dict(
            {
                "kind": "submitted",
                "on": "2023-05-02",
                "facts": {"accident_date": "x", "entry_date": "2023-05-02"},
                "losses": {"items": [{"type": "property-excess", "amount": "1.001"}]},
                "whiplash": 1,
            }
        ),
        [
            ("/facts/accident_date", "date.format"),
            ("/losses/items/0/amount", "money.too-many-places"),
            ("/whiplash", "type.wrong"),
        ],
    ),
    "ClaimEvent.make": (
        lambda: rp.ClaimEvent.make("offer", D, amount="1.005", cru={"pension": 1}),
        [
            ("/amount", "money.too-many-places"),
            ("/cru/pension", "field.unknown"),
            ("/party", "field.missing"),
        ],
    ),
    "ClaimEvent.from_dict with loss items": (
        lambda: rp.ClaimEvent.from_dict(
            {
                "kind": "offer-requested",
                "on": "2023-05-02",
                "added_losses": [{"type": "car", "amount": "1"}, {"type": "property-excess"}],
            }
        ),
        [("/added_losses/0/type", "enum.unknown"), ("/added_losses/1/amount", "field.missing")],
    ),
    "Claim.replay": (
        lambda: rp.Claim.replay(
            [
                {"kind": "submitted", "on": "2023-05-02", "facts": FACTS_DATES, "whiplash": True},
                {"kind": "liability-response", "on": "2023-05-40", "response": "maybe"},
                {"kind": "nope", "on": "2023-05-03"},
            ]
        ),
        [
            ("/events/1/on", "date.no-such-day"),
            ("/events/1/response", "enum.unknown"),
            ("/events/2/kind", "enum.unknown"),
        ],
    ),
    "Event.from_dict": (
        lambda: rp.Event.from_dict({"kind": "reject", "on": "2023-02-30", "amount": "1"}),
        [("/on", "date.no-such-day"), ("/amount", "field.unknown"), ("/party", "field.missing")],
    ),
    "Event": (
        lambda: rp.Event(kind="reject", on="2023-05-02", party="nobody", amount=5),
        [("/on", "type.wrong"), ("/party", "enum.unknown"), ("/amount", "field.unknown")],
    ),
    "Negotiation.replay": (
        lambda: rp.Negotiation.replay(
            [
                {"kind": "offer", "on": "2023-05-02", "party": "x", "amount": "1.005"},
                {"kind": "nope", "on": "2023-05-03"},
            ]
        ),
        [
            ("/events/0/party", "enum.unknown"),
            ("/events/0/amount", "money.too-many-places"),
            ("/events/1/kind", "enum.unknown"),
        ],
    ),
    "PaymentInput.from_dict": (
        lambda: rp.PaymentInput.from_dict(
            {"heads": {"injury": "1.005"}, "colour": 1, "claimant_liability_percent": 101}
        ),
        [
            ("/colour", "field.unknown"),
            ("/heads/injury", "money.too-many-places"),
            ("/claimant_liability_percent", "percent.out-of-range"),
        ],
    ),
    "RoutingFacts.from_dict": (
        lambda: rp.RoutingFacts.from_dict(
            {"accident_type": "boat", "accident_date": "2023-02-30", "x": 1}
        ),
        [
            ("/accident_type", "enum.unknown"),
            ("/x", "field.unknown"),
            ("/entry_date", "field.missing"),
            ("/accident_date", "date.no-such-day"),
        ],
    ),
    "TransferRequest.from_dict": (
        lambda: rp.TransferRequest.from_dict(
            {"colour": 1, "claim_count": 0, "transfer_date": "2024-3-1"}
        ),
        [
            ("/colour", "field.unknown"),
            ("/from_organisation", "field.missing"),
            ("/to_organisation", "field.missing"),
            ("/claim_count", "number.out-of-range"),
            ("/transfer_date", "date.format"),
        ],
    ),
}


@pytest.mark.parametrize("reader", sorted(SEVERAL))
def test_every_reader_reports_every_problem_with_its_pointer(reader: str):
    """A document with several problems: one InputError listing all of them, each located."""
    call, expected = SEVERAL[reader]
    with pytest.raises(InputError) as caught:
        call()
    err = caught.value
    assert [(p.pointer, p.code.value) for p in err.problems] == expected
    assert (err.code, err.pointer) == (ErrorCode.INPUT_INVALID, "")
    data = json.loads(json.dumps(err.to_dict()))
    assert [(p["pointer"], p["code"]) for p in data["problems"]] == expected


def test_the_claim_file_reports_every_problem_with_its_pointer():
    """The CLI's claim file reader (rtaprotocol assess) locates each problem in the file."""
    from rtaprotocol.cli.assess import load_claim_file

    with pytest.raises(InputError) as caught:
        load_claim_file(
            {
                "facts": {"accident_date": "2023-02-30", "entry_date": "2023-05-02"},
                "colour": 1,
                "injuries": {"whiplash": {"psychological": 1}, "non_whiplash": [{"area": "x"}]},
                "events": [{"kind": "nope", "on": "2023-05-03"}],
            }
        )
    found = [(p.pointer, p.code.value) for p in caught.value.problems]
    for expected in [
        ("/colour", "field.unknown"),
        ("/facts/accident_date", "date.no-such-day"),
        ("/injuries/whiplash/months", "field.missing"),
        ("/injuries/whiplash/psychological", "type.wrong"),
        ("/injuries/non_whiplash/0/area", "enum.unknown"),
        ("/events/0/kind", "enum.unknown"),
    ]:
        assert expected in found


# Breaking any set of a document's fields reports exactly those fields, each at its pointer.
FACTS_BREAKS: dict[str, tuple[Any, str]] = {
    "accident_date": ("2023-02-30", "date.no-such-day"),
    "entry_date": ("02/05/2023", "date.format"),
    "injury": ("1.005", "money.too-many-places"),
    "fees": (-5, "money.negative"),
    "road_user": (7, "type.wrong"),
    "colour": ("red", "field.unknown"),
}


@given(st.sets(st.sampled_from(sorted(FACTS_BREAKS)), min_size=2))
def test_facts_report_every_broken_field(broken: set[str]):
    """ClaimFacts.from_dict names each broken field, however many, at its own pointer."""
    data: dict[str, Any] = {"accident_date": "2023-03-01", "entry_date": "2023-05-02"}
    data.update({name: FACTS_BREAKS[name][0] for name in broken})
    with pytest.raises(InputError) as caught:
        rp.ClaimFacts.from_dict(data)
    found = {(p.pointer, p.code.value) for p in caught.value.problems}
    assert found == {(f"/{name}", FACTS_BREAKS[name][1]) for name in broken}


@given(
    st.lists(
        st.sampled_from([None, ("-1", "money.negative"), ("car", "enum.unknown")]),
        min_size=1,
        max_size=8,
    )
)
def test_losses_report_every_broken_item(items: list[Any]):
    """ListOfLosses.from_dict locates each bad item by its index (guide 5.2 types, 4.4 amounts)."""
    doc = []
    expected = set()
    for i, broken in enumerate(items):
        item = {"type": "property-excess", "amount": "10"}
        if broken is not None:
            value, code = broken
            key = "amount" if code == "money.negative" else "type"
            item[key] = value
            expected.add((f"/items/{i}/{key}", code))
        doc.append(item)
    if not expected:
        assert len(rp.ListOfLosses.from_dict({"items": doc}).items) == len(items)
        return
    with pytest.raises(InputError) as caught:
        rp.ListOfLosses.from_dict({"items": doc})
    assert {(p.pointer, p.code.value) for p in caught.value.problems} == expected


EVENT_BREAKS: dict[str, tuple[Any, str]] = {
    "on": ("2023-13-01", "date.no-such-day"),
    "response": ("maybe", "enum.unknown"),
    "percent": (101, "percent.out-of-range"),
    "note": ("x", "field.unknown"),
}


@given(st.sets(st.sampled_from(sorted(EVENT_BREAKS)), min_size=1))
def test_replay_reports_every_broken_event_field(broken: set[str]):
    """Claim.replay names each bad field of an event at /events/i/field (guide 6.3.1)."""
    event: dict[str, Any] = {
        "kind": "liability-response",
        "on": "2023-05-03",
        "response": "admit-part",
        "percent": 70,
    }
    event.update({name: EVENT_BREAKS[name][0] for name in broken})
    submitted = {"kind": "submitted", "on": "2023-05-02", "facts": FACTS_DATES, "whiplash": True}
    with pytest.raises(RulesError) as caught:
        rp.Claim.replay([submitted, event])
    found = {(p.pointer, p.code.value) for p in caught.value.problems}
    assert found == {(f"/events/1/{name}", EVENT_BREAKS[name][1]) for name in broken}


def test_a_refusal_in_a_replay_points_at_its_event():
    """Replaying a list, a refused event's pointer names its position (/events/2/item)."""
    with pytest.raises(ProtocolViolation) as in_claim:
        rp.Claim.replay(
            [
                {"kind": "submitted", "on": "2023-05-02", "facts": FACTS_DATES, "whiplash": True},
                {"kind": "liability-response", "on": "2023-05-03", "response": "admit-full"},
                {"kind": "interim-payment-requested", "on": "2023-05-04", "amount": 10, "item": 3},
            ]
        )
    assert (in_claim.value.pointer, in_claim.value.code) == ("/events/2/item", ErrorCode.NOT_FOUND)
    with pytest.raises(ProtocolViolation) as in_negotiation:
        rp.Negotiation.replay(
            [
                {"kind": "offer", "on": "2023-05-02", "party": "compensator", "amount": "1000"},
                {"kind": "reject", "on": "2023-05-03", "party": "compensator"},
            ]
        )
    assert in_negotiation.value.pointer == "/events/1"
    assert in_negotiation.value.state == "negotiating"


# --- the errors module sits below the sources registry (issue 25) ------------------------

PACKAGE = Path(__file__).parent.parent / "src" / "rtaprotocol"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every module of the package that ``path`` imports, at any depth (in functions too).

    Imports under ``if TYPE_CHECKING:`` never run and are left out; ``from rtaprotocol
    import x`` counts as importing ``rtaprotocol.x`` where x is a module.
    """
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(n) for stmt in node.body for n in ast.walk(stmt))
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("rtaprotocol"))
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("rtaprotocol"):
            module = str(node.module)
            found.add(module)
            found.update(
                f"{module}.{a.name}"
                for a in node.names
                if PACKAGE.parent.joinpath(*f"{module}.{a.name}".split("."))
                .with_suffix(".py")
                .exists()
            )
        elif isinstance(node, ast.Call) and ast.unparse(node.func) in (
            "importlib.import_module",
            "import_module",
            "__import__",
        ):
            found.update(
                str(a.value)
                for a in node.args
                if isinstance(a, ast.Constant) and str(a.value).startswith("rtaprotocol.")
            )
    return found - {"rtaprotocol"}


def _import_graph() -> dict[str, set[str]]:
    return {_module_name(p): _imports(p) for p in PACKAGE.rglob("*.py")}


def _reaches(graph: Mapping[str, set[str]], start: str) -> set[str]:
    seen: set[str] = set()
    todo = [start]
    while todo:
        for nxt in graph.get(todo.pop(), set()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def test_errors_imports_nothing_of_the_package():
    """errors.py imports no module of the package but its private part, at any depth: it is
    the lowest layer.

    Issue 25: errors and sources imported each other (errors lazily, to wrap each
    reference); an error raised while sources was loading (a broken registry file) then
    failed as an ImportError of a partly initialised module. An error names its sources by
    their text; the registry (rtaprotocol.sources) resolves it.
    """
    graph = _import_graph()
    # its one private part (how an error shows a value, split off by issue 25) and
    # nothing else, at any depth
    assert graph["rtaprotocol.errors"] == {"rtaprotocol._errors_values"}
    assert graph["rtaprotocol._errors_values"] == set()
    assert _reaches(graph, "rtaprotocol.errors") == {"rtaprotocol._errors_values"}
    assert "rtaprotocol.errors" in _reaches(graph, "rtaprotocol.sources")
    assert "rtaprotocol.sources" not in _reaches(graph, "rtaprotocol.errors")


def test_the_graph_reader_sees_a_lazy_import():
    """The import reader counts an import inside a function (so the test above can fail)."""
    found = _imports(PACKAGE / "_render.py")
    assert "rtaprotocol.sources" in found
    assert _module_name(PACKAGE / "cli" / "__init__.py") == "rtaprotocol.cli"


def test_every_public_module_that_raises_loads_the_registry():
    """A module that can raise loads the sources registry too, so ``err.reference`` is a
    ``Reference`` whose ``citations`` resolve, whichever public module was imported first.

    Private modules are reached through public ones; the CLI writes errors as text.
    """
    graph = _import_graph()
    missing = sorted(
        m
        for m in graph
        if not any(part.startswith("_") for part in m.split("."))
        and not m.startswith("rtaprotocol.cli")
        and m not in ("rtaprotocol.errors", "rtaprotocol.sources")
        and "rtaprotocol.errors" in _reaches(graph, m)
        and "rtaprotocol.sources" not in _reaches(graph, m)
    )
    assert missing == []


def _run(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(PACKAGE.parent), **env},
    )


@pytest.mark.parametrize(
    ("first", "second"), [("errors", "sources"), ("sources", "errors"), ("money", "json")]
)
def test_each_order_of_import_gives_errors_with_references(first, second):
    """In a fresh interpreter, errors and sources import in either order, and an error's
    reference is a Reference with its citations however the package was entered."""
    done = _run(
        f"import rtaprotocol.{first}, rtaprotocol.{second}\n"
        "from rtaprotocol.errors import RulesError\n"
        "ref = RulesError('bad', reference='guide 6.5.2').reference\n"
        "print(type(ref).__module__, type(ref).__name__, ref.citations[0].source.id)\n"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["rtaprotocol.sources", "Reference", "oic-guide"]


def test_an_error_built_before_the_registry_holds_its_text():
    """An error built with nothing but errors loaded holds its reference as plain text (the
    same text): the errors module never loads the registry itself."""
    done = _run(
        "import sys\n"
        "from rtaprotocol.errors import RulesError\n"
        "err = RulesError('bad', reference='guide 6.5.2')\n"
        "print(type(err.reference).__name__, 'rtaprotocol.sources' in sys.modules, err)\n"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["str", "False", "bad", "[guide", "6.5.2]"]


def test_a_broken_registry_file_is_refused_as_a_data_error(tmp_path):
    """A registry file that is not JSON is refused while sources loads, as the loader's
    RulesError (before issue 25 the cycle turned it into an ImportError)."""
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "registry.json").write_text("{oops", encoding="utf-8")
    done = _run("import rtaprotocol.sources", RTAPROTOCOL_DATA_DIR=str(tmp_path))
    assert done.returncode != 0
    assert "DataFileError: file: registry.json: not JSON" in done.stderr
    assert "ImportError" not in done.stderr


# --- codes are given where an error is raised, never read off its wording (issue 25) -------

_CODED = ("RulesError", "ProtocolViolation", "DataFileError")


def _uncoded_raises(path: Path) -> list[int]:
    """The lines of ``path`` that build a RulesError, ProtocolViolation or DataFileError
    (or rebuild a caught error, ``type(err)(...)``) with a message but without ``code=``
    (its code would be its class's general one, whatever the refusal)."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    # mutmut's copies of a function (scripts/mutation.sh) are wrong on purpose: a mutant
    # that drops ``code=`` is for the behavioural tests to catch, not this one
    mutants = [
        range(f.lineno, (f.end_lineno or f.lineno) + 1)
        for f in ast.walk(tree)
        if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef) and "__mutmut_" in f.name
    ]
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and not any(node.lineno in lines for lines in mutants)
        and (
            ast.unparse(node.func).rsplit(".", 1)[-1] in _CODED
            or (isinstance(node.func, ast.Call) and ast.unparse(node.func.func) == "type")
        )
        and node.args
        and not any(k.arg in ("code", None) for k in node.keywords)
    ]


def test_every_refusal_names_its_code_where_it_is_raised():
    """Every error built with a message passes ``code=`` (a helper that builds one takes a
    ``code`` and passes it on): a reworded message cannot change a code, and no code is
    read off the wording (docs/errors.md lists the codes)."""
    found = {_module_name(p): lines for p in PACKAGE.rglob("*.py") if (lines := _uncoded_raises(p))}
    assert found == {}


def test_the_code_reader_sees_a_missing_code(tmp_path):
    """The scan above finds a raise without ``code=`` (so it can fail)."""
    path = tmp_path / "x.py"
    path.write_text(
        "raise RulesError('a', reference='r')\n"
        "raise errors.ProtocolViolation('b', reference='r', code='protocol.forbidden')\n"
        "raise _data.DataFileError('c', reference='r')\n"
        "raise type(err)(err.message, reference=err.reference)\n",
        encoding="utf-8",
    )
    assert _uncoded_raises(path) == [1, 3, 4]


def test_the_shared_checks_keep_the_codes_their_wording_gave():
    """The codes the shared checks pass are the ones the wording table gave them before
    it was removed (issue 25): a negative amount, a third decimal place, a bad form..."""
    from rtaprotocol._checks import check_enum, parse_iso_date
    from rtaprotocol.money import to_money, to_pence, to_percent

    cases = [
        (lambda: to_money("-5"), "money.negative"),
        (lambda: to_money(" -5"), "money.negative"),
        (lambda: to_money("1.005"), "money.too-many-places"),
        (lambda: to_money("£5"), "number.format"),
        (lambda: to_money(Decimal("NaN")), "number.not-finite"),
        (lambda: to_money(10**13), "money.too-large"),
        (lambda: to_percent(101), "percent.out-of-range"),
        (lambda: to_percent("-1"), "percent.out-of-range"),
        (lambda: to_percent("1.005"), "percent.too-many-places"),
        (lambda: to_pence(-(10**40)), "money.negative"),
        (lambda: to_pence(Decimal("0.001")), "money.too-many-places"),
        (
            lambda: parse_iso_date("2023-02-30", field="on", reference="guide 6.1"),
            "date.no-such-day",
        ),
        (lambda: parse_iso_date("2023-2-3", field="on", reference="guide 6.1"), "date.format"),
        (lambda: check_enum("x", ErrorCode, field="c", reference="guide 6.1"), "enum.unknown"),
    ]
    for call, code in cases:
        with pytest.raises(RulesError) as caught:
            call()
        assert caught.value.code.value == code, (caught.value, code)


def test_a_code_is_never_read_off_the_message():
    """An error built without ``code=`` takes its class's code, whatever its words: the
    table of message patterns is gone (issue 25), so a reworded message cannot move a code
    and a message that sounds like another code does not take it (docs/errors.md)."""
    assert RulesError("no such date", reference="guide 6.1").code is ErrorCode.VALUE_INVALID
    assert RulesError("required key is missing", reference="guide 4.1").code is (
        ErrorCode.VALUE_INVALID
    )
    violation = ProtocolViolation("no such item; the list has 1", reference="guide 6.3.1.4")
    assert violation.code is ErrorCode.PROTOCOL_FORBIDDEN
    assert RulesTypeError("not one of a, b", reference="guide 6.1").code is ErrorCode.TYPE_WRONG
    given = RulesError("no such date", reference="guide 6.1", code="date.no-such-day")
    assert given.code is ErrorCode.DATE_NO_SUCH_DAY
    assert not hasattr(rp.errors, "_VALUE_CODES")


# --- RFC 9457 problem documents (issue 27) -------------------------------------------------


def _refusal(call: Callable[[], Any]) -> RulesError:
    with pytest.raises(RulesError) as caught:
        call()
    return caught.value


def test_to_problem_is_an_rfc_9457_document_with_the_error_in_it():
    """RFC 9457 s.3.1: type, title, status, detail (and instance when given); s.3.2: the
    error's own members (code, pointer, reference, problems...) as extensions."""
    err = _refusal(lambda: rp.to_money("1.005"))
    doc = err.to_problem(instance="/claims/1/events")
    assert doc["type"] == "urn:rtaprotocol:error:money.too-many-places"
    assert doc["title"] == "RulesError"
    assert doc["status"] == 422
    assert doc["detail"] == str(err)
    assert doc["instance"] == "/claims/1/events"
    data = err.to_dict()
    for key in ("code", "pointer", "field", "value", "reference", "problems"):
        assert doc[key] == data[key]
    assert "error" not in doc
    assert "message" not in doc
    assert "instance" not in err.to_problem()
    json.dumps(doc)  # JSON-ready as it is


def test_to_problem_suggests_the_status_of_each_class():
    """422 for a refusal of the rules (the request is well formed), 400 for text that is not
    JSON, 413 for JSON over the size limit, 409 for a version conflict (RFC 9110 s.15.5)."""
    from rtaprotocol.errors import ConcurrencyError
    from rtaprotocol.json import loads

    assert _refusal(lambda: loads("{")).to_problem()["status"] == 400
    assert _refusal(lambda: loads("[1]", max_bytes=1)).to_problem()["status"] == 413
    conflict = ConcurrencyError(expected=3, current=4).to_problem()
    assert (conflict["status"], conflict["current_version"], conflict["expected_version"]) == (
        409,
        4,
        3,
    )
    violation = ProtocolViolation("no offer", reference="guide 6.5.3", party="claimant")
    assert violation.to_problem()["status"] == 422
    assert violation.to_problem()["party"] == "claimant"
    several = InputError(
        [
            RulesError("a", reference="guide 6.5.2", field="x"),
            RulesError("b", reference="guide 6.5.2", field="y"),
        ],
        reference="guide 6.5.2",
    ).to_problem()
    assert [p["pointer"] for p in several["problems"]] == ["/x", "/y"]  # type: ignore[union-attr]


def test_an_ineligible_claim_has_one_problem_per_failing_criterion():
    """Guide 4.1, 4.2: each failing criterion is its own problem, at the fact it reads, with
    its own message and reference; the violation itself still sums them up (claim.ineligible)."""
    facts = rp.ClaimFacts(
        accident_date=date(2023, 3, 1),
        entry_date=date(2023, 5, 2),
        accident_location="scotland",
        claimant_bankrupt=True,
    )
    err = _refusal(lambda: rp.Claim().submit(facts, on=date(2023, 5, 2), whiplash=False))
    assert isinstance(err, ProtocolViolation)
    assert err.code is ErrorCode.CLAIM_INELIGIBLE
    problems = [(p.pointer, p.code.value, p.value) for p in err.problems]
    assert problems == [
        ("/facts/accident_location", "claim.ineligible", "accident_outside_england_and_wales"),
        ("/facts/claimant_bankrupt", "claim.ineligible", "claimant_bankrupt"),
    ]
    assert all(p.party == "claimant" and p.action == "submitted" for p in err.problems)  # type: ignore[attr-defined]
    doc = err.to_dict()
    assert [p["pointer"] for p in doc["problems"]] == [  # type: ignore[union-attr]
        "/facts/accident_location",
        "/facts/claimant_bankrupt",
    ]
    again = pickle.loads(pickle.dumps(err))
    assert [p.pointer for p in again.problems] == [p.pointer for p in err.problems]
    assert [p.pointer for p in err.evolve(message="x").problems] == [
        p.pointer for p in err.problems
    ]
