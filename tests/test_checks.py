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
    key_path,
    parse_iso_date,
    unknown_keys,
)
from rtaprotocol.errors import RulesError, RulesTypeError, json_pointer
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
    """Every date's ISO form parses back to it; with anything around it, it is refused
    (one date grammar in every reader, issue 24)."""
    assert parse_iso_date(d.isoformat(), field="d", reference=REF) == d
    for padded in (f" {d.isoformat()} ", f"\t{d.isoformat()}", f"{d.isoformat()}\n"):
        with pytest.raises(RulesError, match="YYYY-MM-DD"):
            parse_iso_date(padded, field="d", reference=REF)


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
    assert info.value.message == "not one of Colour: 'red'"


def test_a_private_enum_is_not_named_in_the_refusal():
    """A reader is told the allowed values, never a private class name."""
    import enum

    class _Hidden(enum.Enum):
        A = "a"

    with pytest.raises(RulesError) as info:
        check_enum("b", _Hidden, field="c", reference=REF)
    assert info.value.message == "not one of the allowed values: 'a'"


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


# --- issue 16: check_enum's look-up table agrees with comparing every member -------------


def _every_enum() -> list[type[Enum]]:
    import importlib
    import inspect

    found: list[type[Enum]] = []
    for name in ("deductions", "eligibility", "deadlines", "offers", "claim", "jcg", "losses"):
        module = importlib.import_module(f"rtaprotocol.{name}")
        found.extend(
            obj
            for _, obj in inspect.getmembers(module, inspect.isclass)
            if issubclass(obj, Enum)
            # a package's enums live in its modules (rtaprotocol.claim.kinds, issue 25)
            and (
                obj.__module__ == module.__name__
                or obj.__module__.startswith(f"{module.__name__}.")
            )
        )
    return found


_ENUMS = _every_enum()


@given(st.sampled_from(_ENUMS), st.data())
def test_check_enum_by_table_agrees_with_comparing_every_member(enum, data):
    """The slug look-up returns what comparing each member's value returns, or refuses."""
    slugs = [m.value for m in enum if isinstance(m.value, str)]
    text = data.draw(
        st.one_of(st.sampled_from(slugs), st.text(max_size=12)) if slugs else st.text()
    )
    by_loop = next((m for m in enum if m.value == text), None)
    if by_loop is None:
        with pytest.raises(RulesError):
            check_enum(text, enum, field="f", reference="guide 6.5.2")
    else:
        assert check_enum(text, enum, field="f", reference="guide 6.5.2") is by_loop


def test_text_and_list_bounds():
    """Every free text is at most MAX_TEXT_CHARS (2,000) characters and every list at most
    MAX_LIST_ITEMS (100,000) items, refused with the bound named (issue 24;
    docs/money-and-errors.md); a too-long list is described by its length, not echoed."""
    from rtaprotocol._checks import MAX_LIST_ITEMS, MAX_TEXT_CHARS, check_size, check_text

    assert check_text("x" * MAX_TEXT_CHARS, field="d", reference=REF) == "x" * MAX_TEXT_CHARS
    with pytest.raises(RulesError, match="at most 2,000 characters"):
        check_text("x" * (MAX_TEXT_CHARS + 1), field="d", reference=REF)
    with pytest.raises(RulesTypeError, match="not int"):
        check_text(5, field="d", reference=REF)
    check_size([0] * MAX_LIST_ITEMS, field="xs", reference=REF)
    with pytest.raises(RulesError, match="at most 100,000 items") as info:
        check_size([0] * (MAX_LIST_ITEMS + 1), field="xs", reference=REF)
    assert "a list of 100,001 items" in str(info.value)
    assert len(str(info.value)) < 200


def test_field_under_names_a_part_s_field_inside_its_document():
    """A refusal from a part read inside a larger document (a claim's event, a file's
    section) names its field under the part's path: a JSON path's ``$`` becomes the part,
    a plain name follows it after a dot, and no name is the part itself (docs/errors.md)."""
    from rtaprotocol._checks import field_under

    assert field_under("events[2]", "$.amount") == "events[2].amount"
    assert field_under("events[2]", "$[0].on") == "events[2][0].on"
    assert field_under("$.losses", "amount") == "$.losses.amount"
    assert field_under("facts", None) == field_under("facts", "") == "facts"
    assert field_under("facts", "$") == "facts"


def test_wrong_type_names_the_type_received_never_the_contents():
    """A type refusal reads "expected X, not <type>": the one wording of every reader's
    (docs/errors.md), with the value as received and the rule; its code is type.wrong."""
    from rtaprotocol._checks import check_text, wrong_type
    from rtaprotocol.errors import ErrorCode

    err = wrong_type([1, 2], "a string", field="description", reference=REF)
    assert isinstance(err, RulesTypeError)
    assert err.message == "expected a string, not list"
    assert (err.value, err.field, err.reference) == ([1, 2], "description", REF)
    assert err.code is ErrorCode.TYPE_WRONG
    with pytest.raises(RulesTypeError, match="expected a string, not int"):
        check_text(5, field="d", reference=REF)


def test_an_event_without_its_kind_or_date_is_one_refusal_with_each_record_s_rule():
    """An event's dict form without ``kind`` or ``on`` is refused in one wording, "an event
    needs a kind" / "an event needs a date" (code field.missing, at the key), the claim's
    and the negotiation's alike, each citing its own events' rule (guide 6.1, 6.5.3)."""
    from rtaprotocol._checks import event_field_missing
    from rtaprotocol._offers_events import EVENT_REFERENCE as OFFER_EVENTS
    from rtaprotocol.claim.kinds import EVENT_REFERENCE as CLAIM_EVENTS
    from rtaprotocol.errors import ErrorCode

    for reference in (CLAIM_EVENTS, OFFER_EVENTS):
        kind = event_field_missing("kind", reference=reference)
        on = event_field_missing("on", reference=reference)
        assert (kind.message, kind.field, kind.pointer) == (
            "an event needs a kind",
            "kind",
            "/kind",
        )
        assert (on.message, on.field, on.pointer) == ("an event needs a date", "on", "/on")
        for err in (kind, on):
            assert type(err) is RulesError
            assert err.code is ErrorCode.FIELD_MISSING
            assert err.reference == reference
            assert err.value is None


def _escaped(key: str) -> str:
    return "/" + key.replace("~", "~0").replace("/", "~1")


@given(
    path=st.sampled_from(["$", "$.heads", "events[2]", "$.items[0]", ""]),
    key=st.text(max_size=12)
    | st.sampled_from(["", "a.b", "a[0]", "$x", "$", "]", '"', "~/", "x y"]),
)
def test_a_key_joins_its_path_as_one_step_whatever_it_holds(path, key):
    """RFC 6901: the pointer of ``path``'s member ``key`` is its pointer plus ``/key``."""
    base = json_pointer(path) if path else ""
    assert json_pointer(key_path(path, key)) == base + _escaped(key)


@pytest.mark.parametrize(
    ("path", "key", "field"),
    [
        ("$", "colour", "$.colour"),
        ("", "colour", "colour"),
        ("$", "a.b", '$["a.b"]'),
        ("", "a.b", '$["a.b"]'),
        ("events[2]", "", 'events[2][""]'),
        ("$", "café", '$["caf\\u00e9"]'),
        ("$", "x-y", '$["x-y"]'),
        ("$", 7, '$["7"]'),
        ("$", date(2023, 5, 2), '$["datetime.date(2023, 5, 2)"]'),
    ],
)
def test_a_plain_key_is_dotted_and_any_other_is_quoted(path, key, field):
    assert key_path(path, key) == field


def test_unknown_keys_point_at_a_key_holding_path_characters():
    (problem,) = unknown_keys(["a.b"], ("a",), path="$.items[0]", reference=REF)
    assert (problem.field, problem.pointer) == ('$.items[0]["a.b"]', "/items/0/a.b")


def _problems(call):
    with pytest.raises(RulesError) as caught:
        call()
    return caught.value.problems


_ODD = "a.b[0]$"


def _readers():
    from rtaprotocol import ClaimFacts, ListOfLosses, TransferRequest
    from rtaprotocol.claim import Claim, ClaimEvent
    from rtaprotocol.offers import Event, Negotiation
    from rtaprotocol.payment_input import PaymentInput
    from rtaprotocol.report import Injuries
    from rtaprotocol.routing import RoutingFacts

    withdraw = {"kind": "withdraw", "on": "2023-05-02", "party": "claimant", _ODD: 1}
    return {
        "claim facts": (lambda: ClaimFacts.from_dict({_ODD: 1}), "/" + _ODD),
        "offer event": (lambda: Event.from_dict(withdraw), "/" + _ODD),
        "negotiation": (lambda: Negotiation.replay([withdraw]), f"/events/0/{_ODD}"),
        "claim event": (lambda: ClaimEvent.from_dict(withdraw), "/" + _ODD),
        "claim": (lambda: Claim.from_dict({_ODD: 1}), "/" + _ODD),
        "claim history": (
            lambda: Claim.from_dict({"history": [withdraw]}),
            f"/history/0/{_ODD}",
        ),
        "claim snapshot": (
            lambda: Claim.from_snapshot({**Claim().snapshot(), _ODD: 1}),
            "/" + _ODD,
        ),
        "payment heads": (lambda: PaymentInput.from_dict({"heads": {_ODD: 1}}), f"/heads/{_ODD}"),
        "loss item": (
            lambda: ListOfLosses.from_dict({"items": [{"type": "x", "amount": 1, _ODD: 1}]}),
            f"/items/0/{_ODD}",
        ),
        "transfer": (lambda: TransferRequest.from_dict({_ODD: 1}), "/" + _ODD),
        "routing facts": (lambda: RoutingFacts.from_dict({_ODD: 1}), "/" + _ODD),
        "injuries": (
            lambda: Injuries.from_dict({"whiplash": {_ODD: 1}}),
            f"/injuries/whiplash/{_ODD}",
        ),
    }


@pytest.mark.parametrize("reader", sorted(_readers()))
def test_every_reader_points_at_an_unknown_key_holding_path_characters(reader):
    """A key ``a.b[0]$`` is one key: the refusal's pointer names it, its field quotes it."""
    call, pointer = _readers()[reader]
    (problem,) = [p for p in _problems(call) if p.pointer == pointer]
    assert problem.field.endswith(f'["{_ODD}"]')
    assert problem.value in (_ODD, 1)
