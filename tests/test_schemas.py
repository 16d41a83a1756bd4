"""Tests for rtaprotocol/schemas.py and the schemas and examples shipped as package data.

Each schema is checked against its code both ways where that code lives in this test:
negotiation-events against the `rtaprotocol negotiate` file loader (claim-facts is checked
in test_eligibility.py, payment-input in test_payment_input.py)."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st
from referencing import Registry, Resource

from rtaprotocol.cli.assess import load_claim_file
from rtaprotocol.cli.negotiate import _load
from rtaprotocol.eligibility import ClaimFacts
from rtaprotocol.errors import RulesError
from rtaprotocol.losses import CruCertificate, ListOfLosses
from rtaprotocol.offers import Negotiation
from rtaprotocol.payment_input import PaymentInput
from rtaprotocol.schemas import SCHEMA_SUFFIX, schema, schema_names, schema_text

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "src" / "rtaprotocol" / "data" / "schemas"
EXAMPLES = ROOT / "src" / "rtaprotocol" / "data" / "examples"


def validator(name):
    """A validator for one shipped schema, resolving its $refs to the other shipped ones."""
    registry = Registry().with_resources(
        (schema(other)["$id"], Resource.from_contents(schema(other)))
        for other in schema_names()
        if "$id" in schema(other)
    )
    return jsonschema.Draft202012Validator(
        schema(name),
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
        registry=registry,
    )


def test_every_schema_file_is_listed_and_valid():
    """Schemas are discovered from the folder: a file added there is listed with no code."""
    on_disk = sorted(p.name.removesuffix(SCHEMA_SUFFIX) for p in FOLDER.glob(f"*{SCHEMA_SUFFIX}"))
    assert list(schema_names()) == on_disk
    assert {"claim-facts", "payment-input", "negotiation-events"} <= set(schema_names())
    for name in schema_names():
        jsonschema.Draft202012Validator.check_schema(schema(name))
        assert schema(name)["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert schema(name)["title"].startswith("rtaprotocol ")
        assert json.loads(schema_text(name)) == schema(name)


def test_schema_returns_a_fresh_copy():
    first = schema("claim-facts")
    first["title"] = "changed"
    assert schema("claim-facts")["title"] == "rtaprotocol claim facts"


@pytest.mark.parametrize("name", ["facts", "", "../pyproject", None, "claim-facts.schema.json"])
def test_unknown_schema_is_refused(name):
    with pytest.raises(RulesError, match="no such schema; known: claim, claim-facts, ") as info:
        schema(name)
    assert info.value.field == "name"


LOADERS = {
    "claim-facts": ClaimFacts.from_dict,
    "payment-input": PaymentInput.from_dict,
    "negotiation-events": lambda data: Negotiation.replay(
        list(_load_data(data)[0]), calendar=_load_data(data)[1]
    ),
    "claim": load_claim_file,
    # The example is a `rtaprotocol losses` file: a List of Losses with its CRU certificate.
    "list-of-losses": lambda data: (
        ListOfLosses.from_dict({k: v for k, v in data.items() if k != "cru_certificate"}),
        CruCertificate.from_dict(data["cru_certificate"]),
    ),
}


def _load_data(data):
    import tempfile

    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(data, handle)
    try:
        return _load(handle.name, [], 16 * 1024 * 1024)
    finally:
        Path(handle.name).unlink()


def test_every_example_has_a_schema_and_loads():
    """Each examples/NAME.json validates against NAME.schema.json and its loader takes it."""
    examples = sorted(
        resources.files("rtaprotocol").joinpath("data", "examples").iterdir(), key=str
    )
    names = [e.name.removesuffix(".json") for e in examples if e.name.endswith(".json")]
    assert set(names) == set(LOADERS)
    for name in names:
        data = json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))
        validator(name).validate(data)
        assert LOADERS[name](data) is not None


# --- negotiation-events: the schema and the negotiate file loader agree ------------------

dates = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(
        ["2023-02-30", "2023-5-2", "20230502", " 2023-05-02", "2023-05-02\n", "1999-12-31"]
    ),
    st.integers(),
)
amounts = st.one_of(
    st.from_regex(r"\A[0-9]{1,13}(\.[0-9]{0,3})?\Z"),
    st.integers(-3, 10**13),
    st.sampled_from(["-1", "1e3", "", "£5"]),
    st.none(),
)
events = st.fixed_dictionaries(
    {},
    optional={
        "kind": st.sampled_from(
            [
                "offer",
                "reject",
                "withdraw",
                "accept",
                "court-valuation-form",
                "fee-offer",
                "fee-reject",
                "fee-accept",
                "bid",
            ]
        ),
        "on": dates,
        "party": st.sampled_from(["compensator", "claimant", "judge", None]),
        "amount": amounts,
        "offer_number": st.one_of(st.integers(-1, 5), st.sampled_from(["2", None])),
        "note": st.just("x"),
    },
)
files = st.one_of(
    st.lists(events, max_size=3),
    st.fixed_dictionaries(
        {},
        optional={
            "events": st.one_of(st.lists(events, max_size=3), st.just({})),
            "extra_holidays": st.one_of(st.lists(dates, max_size=2), st.just("2023-05-10")),
            "extra_business_days": st.lists(dates, max_size=2),
            "other": st.just(1),
        },
    ),
)

#: Refusals the schema documents as the code's own (its description names them).
CROSS_FIELD = ("already a business day", "a weekend day is never a business day")


@given(files)
def test_negotiation_events_schema_agrees_with_the_loader(data):
    """Every file the schema accepts, the loader reads (but for the documented calendar rule),
    and what it reads writes back as a file the schema accepts; everything the loader refuses,
    the schema refuses too."""
    valid = validator("negotiation-events").is_valid(data)
    refusal = _refusal(data)
    if refusal is not None:
        assert not valid or any(words in refusal for words in CROSS_FIELD), (data, refusal)
        return
    if valid:
        written = [e.to_dict() for e in _load_data(data)[0]]
        assert validator("negotiation-events").is_valid(written)
        assert [e.to_dict() for e in _load_data(written)[0]] == written


def _refusal(data):
    """Return the loader's refusal of ``data`` as text, or None when it reads the file."""
    try:
        _load_data(data)
    except RulesError as err:
        return str(err)
    return None
