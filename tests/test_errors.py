"""Tests for rtaprotocol.errors: typed errors that explain themselves."""

from __future__ import annotations

import pickle

import pytest

from rtaprotocol.errors import OutOfCoverageError, ProtocolViolation, RulesError, RulesTypeError


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
    """to_dict gives strings and None only."""
    data = RulesError("bad", value=3, reference="guide 4.1", field="n").to_dict()
    assert data == {
        "error": "RulesError",
        "message": "bad",
        "reference": "guide 4.1",
        "field": "n",
        "value": "3",
    }
    assert ProtocolViolation("x", reference="guide 4.1").to_dict()["value"] is None


def test_catchable_as_value_error():
    """Callers that catch ValueError catch ours."""
    with pytest.raises(ValueError, match="guide"):
        raise ProtocolViolation("nope", reference="guide 6.5.5")
