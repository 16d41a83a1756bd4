"""Tests for rtaprotocol/payment_input.py: the payment request as JSON, checked against its
schema both ways (jsonschema, test-only) with Hypothesis."""

from __future__ import annotations

import json
from decimal import Decimal

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from rtaprotocol.deductions import Head, compute_payment
from rtaprotocol.errors import InvalidInput, ProtocolViolation, RulesError, RulesTypeError
from rtaprotocol.payment_input import PaymentInput
from rtaprotocol.schemas import schema

VALIDATOR = jsonschema.Draft202012Validator(
    schema("payment-input"), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
)
GUIDE = {
    "heads": {"injury": 1000, "injury-related": 1500, "property": 1500},
    "claimant_liability_percent": 25,
    "seatbelt_percent": 10,
    "cru": {"injury-related": 500},
    "interim": {"property": 200},
}


def accepts(data):
    try:
        PaymentInput.from_dict(data)
    except RulesError:
        return False
    return True


def test_schema_is_valid_draft_2020_12():
    jsonschema.Draft202012Validator.check_schema(schema("payment-input"))


def test_the_guides_example_from_json():
    request = PaymentInput.from_dict(GUIDE)
    assert request.compute() == compute_payment(
        {Head.INJURY: 1000, Head.INJURY_RELATED: 1500, Head.PROPERTY: 1500},
        claimant_liability_percent=25,
        seatbelt_percent=10,
        cru={Head.INJURY_RELATED: 500},
        interim={Head.PROPERTY: 200},
    )
    assert request.compute().total == Decimal("2112.50")
    assert VALIDATOR.is_valid(GUIDE)


def test_canonical_form():
    data = PaymentInput.from_dict({"heads": {"injury": "7.5"}, "seatbelt_percent": "007.5"})
    assert data.to_dict() == {
        "heads": {"injury": "7.50", "injury-related": "0.00", "property": "0.00"},
        "claimant_liability_percent": "0.00",
        "seatbelt_percent": "7.50",
        "seatbelt_heads": ["injury", "injury-related"],
        "cru": {"injury": "0.00", "injury-related": "0.00", "property": "0.00"},
        "interim": {"injury": "0.00", "injury-related": "0.00", "property": "0.00"},
        "general_interim": "0.00",
    }
    assert PaymentInput.from_dict(
        {"heads": {}, "seatbelt_heads": ["property", "injury"]}
    ).to_dict()["seatbelt_heads"] == ["injury", "property"]


@pytest.mark.parametrize(
    ("data", "kind", "path", "words"),
    [
        ([], RulesTypeError, "$", "JSON object"),
        ({}, RulesError, "$.heads", "required key is missing"),
        ({"heads": {}, "colour": 1}, RulesError, "$.colour", "unknown key"),
        ({"heads": {"psla": 1}}, RulesError, "$.heads.psla", "not a head"),
        ({"heads": []}, RulesTypeError, "$.heads", "object of heads"),
        (
            {"heads": {"injury": "1,000"}},
            RulesError,
            "$.heads.injury",
            "no sign, spaces, £, commas",
        ),
        ({"heads": {"injury": -1}}, RulesError, "$.heads.injury", "amount is negative"),
        ({"heads": {"injury": 10**12}}, RulesError, "$.heads.injury", "too large"),
        ({"heads": {"injury": True}}, RulesTypeError, "$.heads.injury", "not bool"),
        (
            {"heads": {}, "claimant_liability_percent": 101},
            RulesError,
            "$.claimant_liability_percent",
            "above 100",
        ),
        (
            {"heads": {}, "seatbelt_percent": "12.345"},
            RulesError,
            "$.seatbelt_percent",
            "more than two decimal places",
        ),
        (
            {"heads": {}, "seatbelt_heads": "injury"},
            RulesTypeError,
            "$.seatbelt_heads",
            "list of heads",
        ),
        (
            {"heads": {}, "seatbelt_heads": ["injury", "injury"]},
            RulesError,
            "$.seatbelt_heads[1]",
            "twice",
        ),
        (
            {"heads": {}, "seatbelt_heads": ["neck"]},
            RulesError,
            "$.seatbelt_heads[0]",
            "not a head",
        ),
        ({"heads": {}, "cru": {"injury": "1"}}, ProtocolViolation, "$.cru.injury", "CRU cannot"),
        (
            {"heads": {}, "interim": {"injury": 5}},
            ProtocolViolation,
            "$.interim.injury",
            "not for the injury",
        ),
        (
            {"heads": {}, "general_interim": 1.505},
            RulesError,
            "$.general_interim",
            "more than two decimal places",
        ),
        ({"heads": {}, "general_interim": "+1"}, RulesError, "$.general_interim", "no sign"),
    ],
)
def test_every_refusal_names_its_path(data, kind, path, words):
    with pytest.raises(RulesError) as info:
        PaymentInput.from_dict(data)
    problems = info.value.problems
    assert isinstance(problems[0], kind)
    assert problems[0].field == path
    assert words in str(problems[0])
    assert not VALIDATOR.is_valid(data)


def test_every_problem_at_once():
    with pytest.raises(InvalidInput) as info:
        PaymentInput.from_dict({"heads": {"x": 1, "injury": "a"}, "seatbelt_percent": 200, "z": 0})
    assert [p.field for p in info.value.problems] == [
        "$.z",
        "$.heads.x",
        "$.heads.injury",
        "$.seatbelt_percent",
    ]
    assert PaymentInput.problems(GUIDE) == ()


# --- both ways, on generated documents -------------------------------------------------------

amounts = st.one_of(
    st.from_regex(r"\A[0-9]{1,13}(\.[0-9]{0,3})?\Z"),
    st.integers(-5, 10**13),
    st.sampled_from(["", "1e3", "+1", "-1", " 1", "1\n", "0", "00.00", "٣"]),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-10, max_value=10**12),
    st.booleans(),
    st.none(),
)
percents = st.one_of(
    st.from_regex(r"\A[0-9]{1,4}(\.[0-9]{0,3})?\Z"),
    st.integers(-5, 200),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1, max_value=150),
    st.sampled_from(["100.00", "100.01", "099.99", "25%", "", "1\n"]),
    st.booleans(),
)
head_keys = st.sampled_from(["injury", "injury-related", "property", "psla", "Injury"])
head_maps = st.one_of(
    st.dictionaries(head_keys, amounts, max_size=4), st.lists(amounts, max_size=2)
)
documents = st.fixed_dictionaries(
    {},
    optional={
        "heads": head_maps,
        "claimant_liability_percent": percents,
        "seatbelt_percent": percents,
        "seatbelt_heads": st.one_of(st.lists(head_keys, max_size=4), head_keys),
        "cru": head_maps,
        "interim": head_maps,
        "general_interim": amounts,
        "other": st.integers(),
    },
)


@given(documents)
def test_schema_and_from_dict_agree(data):
    """Every document the schema accepts, from_dict accepts, and the other way round (there
    is no cross-field rule outside the schema); an accepted one round-trips canonically."""
    assert VALIDATOR.is_valid(data) == accepts(data), json.dumps(data, default=str)
    if accepts(data):
        request = PaymentInput.from_dict(data)
        canonical = request.to_dict()
        assert VALIDATOR.is_valid(canonical)
        assert PaymentInput.from_dict(canonical) == request
        assert PaymentInput.from_dict(canonical).to_dict() == canonical
        assert json.loads(json.dumps(canonical)) == canonical


@given(
    st.dictionaries(
        st.sampled_from(["injury", "injury-related", "property"]),
        st.decimals(min_value=0, max_value=10**6, places=2),
    ),
    st.decimals(min_value=0, max_value=100, places=2),
    st.sampled_from([str, lambda d: d, lambda d: Decimal(str(d) + "0"), float]),
)
def test_same_request_whatever_form_the_numbers_took(heads, pct, form):
    """to_dict is canonical: "25", 25, "25.0" and Decimal("25.00") give the same JSON."""
    a = PaymentInput.of(heads, claimant_liability_percent=pct)
    b = PaymentInput.of(
        {k: form(v) for k, v in heads.items()}, claimant_liability_percent=form(pct)
    )
    assert a == b
    assert a.to_dict() == b.to_dict()
    assert a.compute().to_dict() == b.compute().to_dict()
