"""Tests for rtaprotocol.json: the one safe JSON reader (loads, load) and the one canonical
writer (dumps, to_jsonable), and every entry point that takes JSON text going through them
(issue 24; docs/json.md). Also the one number policy (rtaprotocol.money.read_number) as
every reader applies it: each reader accepts and refuses the same values."""

from __future__ import annotations

import io
import json as std_json
import math
from datetime import date, datetime
from decimal import Context, Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import golden_errors
import golden_files
from rtaprotocol import (
    Claim,
    ClaimEvent,
    ClaimFacts,
    ListOfLosses,
    LossItem,
    Negotiation,
    Party,
    PaymentInput,
    check_eligibility,
    check_value_limits,
    compute_payment,
    compute_payment_for_losses,
    expert_fee,
    mixed_injury_award,
    tariff_award,
    to_money,
)
from rtaprotocol.cli import main
from rtaprotocol.errors import InvalidInput, InvalidJSON, RulesError, RulesTypeError
from rtaprotocol.json import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_DEPTH,
    canonical_decimal,
    dumps,
    load,
    loads,
    to_jsonable,
)
from strategies import money
from test_claim import FACTS, admitted, at_offer

GOLDEN_JSON = Path(__file__).parent / "golden" / "json"

# --- hostile documents -----------------------------------------------------------------

#: Each hostile document, the code loads refuses it with, and a fragment of the message.
HOSTILE: dict[str, tuple[bytes, str]] = {
    "10,000-deep arrays": (b"[" * 10_000 + b"]" * 10_000, "json.too-deep"),
    "10,000-deep objects": (b'{"a":' * 10_000 + b"1" + b"}" * 10_000, "json.too-deep"),
    "5,000-digit int": (b'[{"amount": ' + b"9" * 5_000 + b"}]", "json.number-too-long"),
    "5,000-digit exponent": (b"[1e" + b"9" * 5_000 + b"]", "json.number-too-long"),
    "5,000-digit fraction": (b"[0." + b"1" * 5_000 + b"]", "json.number-too-long"),
    "duplicate key": (b'[{"kind": "submitted", "kind": "offer"}]', "json.duplicate-key"),
    "duplicate percent": (
        b'[{"kind": "liability-response", "percent": "90", "percent": "10"}]',
        "json.duplicate-key",
    ),
    "NaN": (b'[{"amount": NaN}]', "json.not-a-number"),
    "Infinity": (b'[{"amount": Infinity}]', "json.not-a-number"),
    "-Infinity": (b"[-Infinity]", "json.not-a-number"),
    "invalid UTF-8": (b'[{"kind": "\xff"}]', "json.not-utf8"),
    "latin-1 text": (b'{"a": "\xe9"}', "json.not-utf8"),
    "lone surrogate escape": (b'["\\ud800"]', "json.not-utf8"),
    "byte-order mark": (b"\xef\xbb\xbf[]", "json.syntax"),
    "not JSON": (b"{not json", "json.syntax"),
    "empty": (b"", "json.syntax"),
}


@pytest.mark.parametrize(("doc", "code"), HOSTILE.values(), ids=HOSTILE.keys())
def test_loads_refuses_every_hostile_document_with_a_typed_error(doc, code):
    """A hostile document is an InvalidJSON (a RulesError, so a ValueError) with a stable
    code, never a bare RecursionError or ValueError, from bytes and from text alike
    (RFC 8259 sections 4, 6 and 8.1; issue 24)."""
    with pytest.raises(InvalidJSON) as info:
        loads(doc)
    assert info.value.code == code
    assert info.value.to_dict()["code"] == code
    try:
        text = doc.decode("utf-8")
    except UnicodeDecodeError:
        return
    with pytest.raises(InvalidJSON) as again:
        loads(text)
    assert again.value.code == code


@pytest.mark.parametrize(("doc", "code"), HOSTILE.values(), ids=HOSTILE.keys())
def test_claim_replay_refuses_every_hostile_document(doc, code):
    """Claim.replay given JSON text (str or bytes) reads it with loads: the same refusal,
    never a silently resolved duplicate or a bare RecursionError (issue 24)."""
    with pytest.raises(InvalidJSON) as info:
        Claim.replay(doc)
    assert info.value.code == code


READERS = ["eligibility", "negotiate", "assess", "losses", "route", "transfer"]


@pytest.mark.parametrize("command", READERS)
@pytest.mark.parametrize(("doc", "code"), HOSTILE.values(), ids=HOSTILE.keys())
def test_every_cli_reader_refuses_every_hostile_document(capsys, tmp_path, command, doc, code):
    """Every subcommand that reads a JSON file reads it with loads: one line on stderr,
    exit 2, no traceback (docs/cli.md)."""
    path = tmp_path / "in.json"
    path.write_bytes(doc)
    assert main([command, str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_a_duplicate_percent_cannot_change_a_payment():
    """The issue's case: a second "percent" in a liability response silently won with the
    standard library's reader and changed what the claimant is paid; loads refuses it and
    names the key by its JSON pointer."""
    c = at_offer(admitted(90))
    c = c.act("offer", on=date(2023, 6, 10), party="compensator", amount="1500", injury="1500")
    assert c.payment().total == Decimal("1350.00")
    text = dumps([e.to_dict() for e in c.history])
    assert Claim.replay(text) == c
    forged = text.replace('"percent":"90.00"', '"percent":"90.00","percent":"10.00"')
    assert forged != text
    lenient = Claim.replay(std_json.loads(forged))  # what a lenient reader would pay
    assert lenient.payment().total != c.payment().total
    with pytest.raises(InvalidJSON) as info:
        Claim.replay(forged)
    assert (info.value.code, info.value.field, info.value.value) == (
        "json.duplicate-key",
        "/percent",
        "percent",
    )


def test_numbers_are_kept_exact():
    """An integer is an int, any other number a Decimal with the digits written: 1390.10
    is not a float's 1390.0999... (money must be exact, guide 6.5.2)."""
    data = loads('{"a": 1390.10, "b": 7, "c": -0.5, "d": 1E+3, "e": 0.1}')
    assert data == {
        "a": Decimal("1390.10"),
        "b": 7,
        "c": Decimal("-0.5"),
        "d": Decimal("1E+3"),
        "e": Decimal("0.1"),
    }
    assert type(data["b"]) is int
    assert str(data["a"]) == "1390.10"


def test_bounds_are_configurable_and_checked():
    """max_bytes, max_depth and max_number_chars can be raised or lowered; a bound that is
    not a whole number of at least 1 is refused as a type error."""
    assert loads("[[1]]", max_depth=2) == [[1]]
    with pytest.raises(InvalidJSON, match="nested more than 1 deep"):
        loads("[[1]]", max_depth=1)
    with pytest.raises(InvalidJSON, match="more than the 3-byte limit") as info:
        loads("[10]", max_bytes=3)
    assert info.value.code == "json.too-large"
    with pytest.raises(InvalidJSON, match="5 bytes, more than the 4-byte limit"):
        loads('"£1"', max_bytes=4)  # bytes, not characters: "£" is two bytes
    assert loads("12345", max_number_chars=5) == 12345
    with pytest.raises(InvalidJSON, match="longer than 4"):
        loads("12345", max_number_chars=4)
    for bad in (True, 1.5, "10"):
        with pytest.raises(RulesTypeError, match="a bound is a whole number"):
            loads("[]", max_bytes=bad)
    for bad in (0, -1):
        with pytest.raises(RulesError, match="a bound is 1 or more"):
            loads("[]", max_depth=bad)
    with pytest.raises(RulesTypeError, match="str or bytes"):
        loads(["[]"])  # type: ignore[arg-type]
    assert DEFAULT_MAX_BYTES == 16 * 1024 * 1024
    assert DEFAULT_MAX_DEPTH == 64
    assert loads("[" * 64 + "]" * 64) is not None
    with pytest.raises(InvalidJSON):
        loads("[" * 65 + "]" * 65)


def test_brackets_inside_strings_do_not_count_towards_depth():
    """A string full of brackets (or escaped quotes and brackets) is text, not nesting."""
    text = std_json.dumps({"description": "[" * 1000 + '\\"{' * 100})
    assert loads(text) == std_json.loads(text)


def test_load_reads_at_most_one_byte_past_the_bound():
    """load reads binary and text files, and stops reading past max_bytes: an endless
    input is refused without being read whole."""
    assert load(io.BytesIO(b'{"a": [1, 2.5]}')) == {"a": [1, Decimal("2.5")]}
    assert load(io.StringIO('{"a": "£"}')) == {"a": "£"}

    read_sizes: list[int] = []

    class Endless(io.RawIOBase):
        def read(self, size: int = -1) -> bytes:
            read_sizes.append(size)
            return b" " * size

    with pytest.raises(InvalidJSON) as info:
        load(Endless(), max_bytes=1000)  # type: ignore[arg-type]
    assert info.value.code == "json.too-large"
    assert read_sizes == [1001]


# --- canonical output ------------------------------------------------------------------


def _claim() -> Claim:
    c = at_offer(admitted(80))
    return c.act(
        "offer",
        on=date(2023, 6, 10),
        party="compensator",
        amount="1500",
        injury="1500",
    )


def _losses() -> ListOfLosses:
    return ListOfLosses.from_dict(
        {
            "injury": "1000",
            "items": [
                {"type": "injury-loss-of-earnings", "amount": "1200.5", "description": "pay"},
                {"type": "property-excess", "amount": 250, "interim_paid": "250"},
            ],
        }
    )


def _results() -> dict[str, Any]:
    """One value of each result type the library returns, for the golden JSON files."""
    claim = _claim()
    facts = FACTS
    return {
        "payment-breakdown": compute_payment(
            {"injury": 1000, "property": "250.5"}, claimant_liability_percent=25
        ),
        "eligibility-result": check_eligibility(facts),
        "value-limit-check": check_value_limits("5000.01", 0),
        "tariff-award": tariff_award(7, accident_date=date(2023, 3, 1), uplift_percent=10),
        "mixed-injury-award": mixed_injury_award("1390", "2500", "790"),
        "expert-fee": expert_fee("900"),
        "claim-facts": facts,
        "list-of-losses": _losses(),
        "losses-payment": compute_payment_for_losses(_losses(), claimant_liability_percent=20),
        "negotiation": Negotiation(whiplash=True)
        .receive_medical_report(on=date(2023, 5, 2))
        .offer(Party.COMPENSATOR, 1500, on=date(2023, 5, 3)),
        "claim": claim,
        "claim-next-steps": claim.next_steps(date(2023, 6, 12)),
        "claim-allowed-actions": claim.allowed_actions(date(2023, 6, 12)),
        "claim-deadlines": claim.deadlines(),
        "claim-payment": claim.payment(),
        "payment-input": PaymentInput.from_dict(
            {"heads": {"injury": "1000"}, "seatbelt_percent": 12.5}
        ),
        "error-invalid-json": InvalidJSON(
            "NaN and Infinity are not JSON numbers",
            code="json.not-a-number",
            value="NaN",
            field="",
            reference="rtaprotocol json text (RFC 8259)",
        ),
        "error-invalid-input": InvalidInput(
            [RulesError("bad", value=Decimal("1.005"), field="$.a", reference="guide 4.4")],
            reference="guide 4.4",
        ),
    }


@pytest.mark.parametrize("name", sorted(_results()))
def test_dumps_of_each_result_type_matches_its_golden_file(name):
    """dumps(result) is reviewed once per result type and never changes unnoticed:
    money and percentages two-place strings, dates ISO, enums their values, Party keys
    strings, keys sorted (tests/golden/json/NAME.json; docs/json.md)."""
    value = _results()[name]
    rendered = dumps(value, indent=2) + "\n"
    golden_files.assert_matches(GOLDEN_JSON / f"{name}.json", rendered, "JSON")
    assert std_json.loads(rendered) == to_jsonable(value)
    assert dumps(value) == dumps(std_json.loads(rendered))  # canonical: a fixed point


def test_allowed_actions_keyed_by_party_can_be_written():
    """Claim.allowed_actions is keyed by Party enums, which json.dumps cannot write;
    dumps writes each key as its value (issue 24)."""
    actions = _claim().allowed_actions(date(2023, 6, 12))
    with pytest.raises(TypeError):
        std_json.dumps(actions)
    data = std_json.loads(dumps(actions))
    assert set(data) == {"claimant", "compensator"}
    assert data["compensator"] == list(actions[Party.COMPENSATOR])


def test_percentages_have_one_canonical_form_everywhere():
    """A percentage is "70.00" wherever it appears: a result's to_dict, an event, a claim,
    a bare Decimal given to dumps (docs/json.md)."""
    event = ClaimEvent.make("liability-response", date(2023, 5, 10), response="admit-part",
                            percent=70)  # fmt: skip
    assert event.to_dict()["percent"] == "70.00"
    assert std_json.loads(dumps(event))["percent"] == "70.00"
    assert std_json.loads(dumps({"p": Decimal("70")}))["p"] == "70.00"
    assert admitted(70).to_dict()["liability_percent"] == "70.00"
    pay = compute_payment({"injury": 1000}, claimant_liability_percent=70)
    assert std_json.loads(dumps(pay))["claimant_liability_percent"] == "70.00"


@given(st.decimals(allow_nan=False, allow_infinity=False, places=None, min_value=-(10**30),
                   max_value=10**30))  # fmt: skip
@example(Decimal("134288073862894080037503.310451838336913028494152709170120121279083647306916"
                 "76061756193539806920726417"))  # fmt: skip
def test_equal_decimals_give_the_same_text(value):
    """canonical_decimal depends on the value only: 25, 25.0 and 2.5E+1 give "25.00"."""
    # the same value written otherwise (normalised with every digit kept)
    digits = len(value.as_tuple().digits)
    other = value.normalize(Context(prec=digits)) if value != 0 else Decimal("0E+5")
    assert canonical_decimal(value) == canonical_decimal(other)
    assert Decimal(canonical_decimal(value)) == value
    assert "E" not in canonical_decimal(value)


def test_to_jsonable_refuses_what_json_cannot_hold():
    """NaN, infinities, unknown objects and two keys with one JSON form are refused as
    type errors, never written as invalid JSON or silently merged."""
    for bad in (float("nan"), math.inf, Decimal("NaN"), object(), {1: "a", "1": "b"}):
        with pytest.raises(RulesTypeError):
            dumps(bad)
    with pytest.raises(RulesTypeError):
        dumps({(1, 2): "tuple key"})


def test_to_jsonable_forms():
    """Dates and datetimes ISO, sets in canonical order, numpy scalars their Python value,
    mapping keys as strings (enum values, ISO dates, numbers)."""
    assert to_jsonable(datetime(2023, 5, 2, 10, 30)) == "2023-05-02T10:30:00"
    assert to_jsonable({3, 1, 2}) == [1, 2, 3]
    assert to_jsonable(frozenset({"b", "a"})) == ["a", "b"]
    assert to_jsonable(np.int64(5)) == 5
    assert to_jsonable(np.float64(1.5)) == 1.5
    assert to_jsonable(np.bool_(True)) is True
    assert to_jsonable({date(2023, 5, 2): 1, 2: 2, Decimal("1.5"): 3, None: 4}) == {
        "2023-05-02": 1,
        "2": 2,
        "1.50": 3,
        "null": 4,
    }


@given(
    st.dictionaries(
        st.text(max_size=5),
        st.one_of(st.integers(), st.text(max_size=5), st.none(), st.booleans()),
        max_size=6,
    )
)
def test_the_same_value_gives_the_same_bytes(data):
    """Two equal mappings built in different orders dump to the same text (keys sorted)."""
    reordered = dict(reversed(list(data.items())))
    assert dumps(data) == dumps(reordered)
    assert loads(dumps(data)) == data


# --- loads(dumps(x)) read back through the readers ---------------------------------------

loss_types = st.sampled_from(
    ["injury-loss-of-earnings", "injury-care-costs", "property-excess", "property-repairs"]
)
descriptions = st.text(max_size=30)
items = st.fixed_dictionaries(
    {"type": loss_types, "amount": money(50_000)},
    optional={
        "description": descriptions,
        "evidence_held": st.booleans(),
        "date_added": st.dates(min_value=date(2022, 1, 1), max_value=date(2030, 1, 1)),
    },
)


@given(st.lists(items, max_size=6), money(5000))
def test_losses_survive_dumps_and_loads(item_list, injury):
    """A List of Losses written by dumps and read back by loads and from_dict is equal to
    the original, descriptions with control characters included (docs/json.md)."""
    losses = ListOfLosses.from_dict({"injury": injury, "items": item_list})
    assert ListOfLosses.from_dict(loads(dumps(losses))) == losses
    assert ListOfLosses.from_dict(loads(dumps(losses).encode("utf-8"))) == losses


@given(
    money(5000),
    st.one_of(st.none(), money(5000)),
    st.dates(min_value=date(1930, 1, 1), max_value=date(2005, 1, 1)),
    st.booleans(),
)
def test_facts_survive_dumps_and_loads(injury, other, born, blame):
    """Facts written by dumps and read back through loads and ClaimFacts.from_dict are
    equal to the original."""
    facts = ClaimFacts(
        accident_date=date(2023, 3, 1),
        entry_date=date(2023, 4, 3),
        date_of_birth=born,
        someone_else_to_blame=blame,
        injury=injury,
        other_protocol_damages=other,
    )
    assert ClaimFacts.from_dict(loads(dumps(facts))) == facts


@given(st.integers(min_value=1, max_value=99), money(20_000))
def test_claims_survive_dumps_and_loads(percent, amount):
    """A claim's history written by dumps replays, from the text or from loads' data, to an
    equal claim with the same payment."""
    c = at_offer(admitted(percent))
    c = c.act("offer", on=date(2023, 6, 10), party="compensator", amount=amount, injury=amount)
    text = dumps([e.to_dict() for e in c.history])
    assert Claim.replay(text) == c
    assert Claim.replay(loads(text)) == c
    assert Claim.replay(text.encode("utf-8")).payment() == c.payment()


@given(st.dictionaries(st.sampled_from(["injury", "injury-related", "property"]), money(10**6)),
       st.decimals(min_value=0, max_value=100, places=2))  # fmt: skip
def test_payment_inputs_survive_dumps_and_loads(heads, pct):
    """A payment request written by dumps reads back equal, and computes the same payment."""
    request = PaymentInput.of(heads, claimant_liability_percent=pct)
    again = PaymentInput.from_dict(loads(dumps(request)))
    assert again == request
    assert dumps(again.compute()) == dumps(request.compute())


# --- one number policy, every reader -------------------------------------------------------


def _facts_reader(value: Any) -> Decimal:
    doc = {"accident_date": "2023-03-01", "entry_date": "2023-04-03", "injury": value}
    injury = ClaimFacts.from_dict(doc).injury
    assert injury is not None
    return injury


def _loss_reader(value: Any) -> Decimal:
    return LossItem.from_dict({"type": "property-excess", "amount": value}).amount


def _event_reader(value: Any) -> Decimal:
    doc = {"kind": "offer", "on": "2023-06-10", "party": "compensator", "amount": value}
    amount: Decimal = ClaimEvent.from_dict(doc)["amount"]
    return amount


def _payment_input_reader(value: Any) -> Decimal:
    return Decimal(
        PaymentInput.from_dict({"heads": {"injury": value}}).to_dict()["heads"]["injury"]
    )


def _limits_reader(value: Any) -> Decimal:
    return check_value_limits(value, 0).injury


#: Every reader of an amount: the facts file, the List of Losses, the claim's events, the
#: payment input and the Python API (to_money, check_value_limits).
AMOUNT_READERS = {
    "to_money": to_money,
    "facts": _facts_reader,
    "losses": _loss_reader,
    "events": _event_reader,
    "payment input": _payment_input_reader,
    "value limits": _limits_reader,
}


def _outcome(reader: Any, value: Any) -> Decimal | str:
    try:
        return Decimal(reader(value))
    except RulesError as err:
        return type(err).__name__


amount_values = st.one_of(
    st.integers(min_value=-10, max_value=10**13),
    st.decimals(places=3, min_value=-10, max_value=10**13),
    st.sampled_from([Decimal("NaN"), Decimal("Infinity"), math.nan, math.inf, -math.inf]),
    st.floats(min_value=-10, max_value=1e13),
    st.floats(min_value=0, max_value=1e6).map(lambda f: round(f, 2)),
    st.from_regex(r"[ +\-]?[0-9]{0,14}(\.[0-9]{0,3})?[ \t]?", fullmatch=True),
    st.sampled_from(["1800.", "+1800", " 1800", "1e3", ".5", "1,800", "£5", "-0.00", "\t12"]),
    st.booleans(),
)  # None is left out: in the facts it means "not known yet", a value, not an amount


@given(amount_values)
def test_every_reader_applies_the_one_number_policy(value):
    """The same value is accepted (as the same amount) or refused by every reader: facts,
    losses, events, payment inputs and the Python API agree (issue 24: they used to read
    JSON floats, signs and spaces three different ways)."""
    outcomes = {name: _outcome(reader, value) for name, reader in AMOUNT_READERS.items()}
    accepted = {k: v for k, v in outcomes.items() if isinstance(v, Decimal)}
    assert not accepted or len(accepted) == len(outcomes), outcomes
    assert len(set(accepted.values())) <= 1, outcomes


@pytest.mark.parametrize(
    "value",
    ["\t2023-05-10 ", " 2023-05-10", "2023-05-10\n", "2023-W19-3", "20230510", "2023-5-10"],
)
def test_every_reader_applies_the_one_date_grammar(value):
    """A date with anything around it, or in another ISO form, is refused by the event,
    facts and List of Losses readers alike (issue 24)."""
    with pytest.raises(RulesError, match="YYYY-MM-DD"):
        ClaimEvent.from_dict({"kind": "offer-requested", "on": value})
    with pytest.raises(RulesError, match="YYYY-MM-DD"):
        ClaimFacts.from_dict({"accident_date": value, "entry_date": "2023-06-01"})
    with pytest.raises(RulesError, match="YYYY-MM-DD"):
        LossItem.from_dict({"type": "property-excess", "amount": 1, "date_added": value})


python_numbers = st.one_of(
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True, width=64),
)


def _np_scalar(value: int | float) -> Any:
    return np.int64(value) if isinstance(value, int) else np.float64(value)


@given(python_numbers)
def test_numpy_scalars_are_accepted_iff_their_python_value_is(value):
    """np.int64 and np.float64 follow the rule of the Python int or float of the same
    value: the same amount, or the same kind of refusal (issue 24)."""
    assert _outcome(to_money, _np_scalar(value)) == _outcome(to_money, value)
    assert _outcome(_loss_reader, _np_scalar(value)) == _outcome(_loss_reader, value)


@given(st.floats(width=32, allow_nan=False, allow_infinity=False, min_value=0, max_value=1e6))
def test_numpy_float32_is_read_as_its_python_float(value):
    """A float32 is read as the Python float it converts to (its binary value), so 0.1 in
    float32 is refused like float(np.float32(0.1)) is."""
    assert _outcome(to_money, np.float32(value)) == _outcome(to_money, float(np.float32(value)))


@pytest.mark.parametrize("value", [True, False, np.bool_(True), np.bool_(False)])
def test_a_bool_is_never_money(value):
    """bool and numpy.bool_ are refused as a type by every reader, never read as 1 or 0."""
    for reader in AMOUNT_READERS.values():
        with pytest.raises(RulesError) as info:
            reader(value)
        assert all(isinstance(p, RulesTypeError) for p in info.value.problems)
        assert all("not bool" in p.message for p in info.value.problems)


# --- every refusal, reviewed once --------------------------------------------------------

ERRORS = {
    **{f"loads: {name}": (lambda doc=doc: loads(doc)) for name, (doc, _) in HOSTILE.items()},
    "loads: too large": lambda: loads("[1, 2]", max_bytes=4),
    "loads: a lone surrogate in the text itself": lambda: loads('["\ud800"]'),
    "loads: not text": lambda: loads(5),  # type: ignore[arg-type]
    "loads: a bound that is not a whole number": lambda: loads("[]", max_depth=1.5),
    "loads: a bound of zero": lambda: loads("[]", max_number_chars=0),
    "load: too large": lambda: load(io.BytesIO(b"[" + b" " * 20 + b"]"), max_bytes=10),
    "dumps: NaN": lambda: dumps(float("nan")),
    "dumps: a Decimal infinity": lambda: dumps(Decimal("-Infinity")),
    "dumps: an object with no JSON form": lambda: dumps(object()),
    "dumps: two keys with one JSON form": lambda: dumps({1: "a", "1": "b"}),
    "dumps: a tuple key": lambda: dumps({(1, 2): "a"}),
    "canonical_decimal: not a Decimal": lambda: canonical_decimal(1.5),  # type: ignore[arg-type]
}


def test_every_refusal_matches_its_golden_file():
    """Every refusal of rtaprotocol.json, its class, field, value and message, as reviewed
    in tests/golden/errors/json.txt (RFC 8259; docs/json.md)."""
    golden_errors.check("json", ERRORS)


# --- read_date: the library's date grammar for a backend's query parameters (issue 27) ----


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("2023-02-29", "date.no-such-day"),  # the right form, no such day
        (" 2023-05-10", "date.format"),  # never trimmed
        ("20230510", "date.format"),  # ISO basic form: not the one grammar
        ("2023-W19-3", "date.format"),  # a week date
        ("1999-12-31", "coverage.out-of-range"),  # before the calendar's range
        (20230510, "type.wrong"),
    ],
)
def test_read_date_refuses_with_the_readers_codes(text: Any, code: str) -> None:
    """A query date is refused with the codes of a date in a body (RFC 3339 full-date,
    covered 2000 to 2100), its pointer the parameter's name."""
    from rtaprotocol.errors import RulesError
    from rtaprotocol.json import read_date

    with pytest.raises(RulesError) as caught:
        read_date(text, field="on")
    assert caught.value.code.value == code
    assert caught.value.pointer == "/on"


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)))
def test_read_date_reads_every_covered_date(day: date) -> None:
    """Every date of the calendar's range reads back from its ISO text, and passes as a date."""
    from rtaprotocol.json import read_date

    assert read_date(day.isoformat()) == day == read_date(day)
