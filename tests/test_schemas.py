"""Tests for rtaprotocol/schemas.py, rtaprotocol/_schemagen.py and the shipped schemas.

Each schema is checked against its reader where that reader's tests live here: the event
schemas (generated from rtaprotocol.claim's own field table) against ClaimEvent.from_dict,
list-of-losses and cru-certificate against their from_dict, the claim file against the
`rtaprotocol assess` loader, negotiation-events against the `rtaprotocol negotiate` loader,
the report and error schemas against what the library writes (claim-facts is checked in
test_eligibility.py, payment-input in test_payment_input.py). "Agree" means: every
document the schema accepts, the reader accepts (but for the cross-field rules each
schema's description names), and what the reader reads it writes back in a form the
schema accepts; a document the reader refuses is therefore one the schema refuses."""

from __future__ import annotations

import copy
import json
import shutil
from datetime import date, timedelta
from decimal import Decimal
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st
from referencing import Registry, Resource

from rtaprotocol import _schemagen
from rtaprotocol import claim as claim_module
from rtaprotocol import errors as errors_module
from rtaprotocol._render import jsonable
from rtaprotocol._schemagen import SchemaGenerationError
from rtaprotocol.claim import Claim, ClaimEvent, ClaimEventKind
from rtaprotocol.cli.assess import load_claim_file, report
from rtaprotocol.cli.negotiate import _load
from rtaprotocol.eligibility import ClaimFacts
from rtaprotocol.errors import ProtocolViolation, RulesError
from rtaprotocol.losses import CruCertificate, ListOfLosses
from rtaprotocol.offers import Negotiation
from rtaprotocol.payment_input import PaymentInput
from rtaprotocol.schemas import SCHEMA_SUFFIX, schema, schema_names, schema_text
from strategies import from_schema

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


# --- the generated schemas: built from the readers' definitions, never edited by hand -----

GENERATED = sorted(_schemagen.build())


def test_committed_schemas_are_what_the_generator_builds():
    """Every generated file is byte for byte what `python -m rtaprotocol._schemagen` writes
    from the readers as they are (issue 24: the schemas cannot drift from the readers)."""
    assert _schemagen.check() == []
    assert {"event", "error", "report", "claim"} <= set(GENERATED)
    assert {f"event-{k.value}" for k in ClaimEventKind} <= set(GENERATED)
    assert set(GENERATED) <= set(schema_names())
    assert _schemagen.main(["--check"]) == 0


def test_a_hand_edit_of_a_generated_schema_fails_the_check(tmp_path):
    """Editing a generated file (or deleting one) is caught; rewriting restores them all."""
    for name in schema_names():
        shutil.copy(FOLDER / f"{name}{SCHEMA_SUFFIX}", tmp_path)
    assert _schemagen.check(tmp_path) == []
    edited = tmp_path / f"event-offer{SCHEMA_SUFFIX}"
    edited.write_text(edited.read_text(encoding="utf-8").replace("1200", "1300"), "utf-8")
    text = (tmp_path / f"event-offer{SCHEMA_SUFFIX}").read_text(encoding="utf-8")
    (tmp_path / f"event-offer{SCHEMA_SUFFIX}").write_text(text.replace('"party"', '"Party"'))
    (tmp_path / f"error{SCHEMA_SUFFIX}").unlink()
    assert _schemagen.check(tmp_path) == ["error", "event-offer"]
    # The claim file's top level is written by hand (the generator keeps it as committed);
    # its $defs are generated, so an edit there is caught too.
    claim_file = json.loads((tmp_path / f"claim{SCHEMA_SUFFIX}").read_text(encoding="utf-8"))
    claim_file["$defs"]["money"] = {}
    (tmp_path / f"claim{SCHEMA_SUFFIX}").write_text(_schemagen.render(claim_file), "utf-8")
    assert _schemagen.check(tmp_path) == ["claim", "error", "event-offer"]
    built = _schemagen.build()["claim"]
    assert {k: v for k, v in built.items() if k != "$defs"} == {
        k: v for k, v in schema("claim").items() if k != "$defs"
    }


def test_main_writes_every_generated_file_and_refuses_other_arguments(tmp_path, monkeypatch):
    """`python -m rtaprotocol._schemagen` writes the files; a stray argument is exit 2."""
    monkeypatch.setattr(_schemagen, "FOLDER", tmp_path)
    assert _schemagen.main(["--check"]) == 1
    assert _schemagen.main([]) == 0
    assert _schemagen.check(tmp_path) == []
    assert _schemagen.main(["--write"]) == 2


def test_a_converter_without_a_fragment_fails_loudly(monkeypatch):
    """A new event field whose converter carries no JSON Schema fragment stops generation,
    naming the kind and field, so a field cannot ship without its schema."""
    monkeypatch.setitem(
        claim_module._SPEC[ClaimEventKind.OFFER], "colour", (lambda value, fld: value, False)
    )
    with pytest.raises(SchemaGenerationError, match=r"offer\.colour: its converter .*_FIELD"):
        _schemagen.build()


def test_a_new_supported_date_range_fails_loudly(monkeypatch):
    """The date pattern states 2000 to 2100 (deadlines' coverage); a change to the range
    must change the pattern too."""
    monkeypatch.setattr(_schemagen, "LAST_SUPPORTED_DATE", date(2150, 12, 31))
    with pytest.raises(SchemaGenerationError, match="supported date range"):
        _schemagen.build()


def test_every_converter_has_a_fragment_and_every_fragment_a_converter():
    """rtaprotocol.claim._FIELD_SCHEMAS describes exactly the converters _SPEC uses (an
    enum field describes itself), so no fragment is stale."""
    used = {
        converter
        for spec in claim_module._SPEC.values()
        for converter, _required in spec.values()
        if not isinstance(converter, claim_module._EnumField)
    }
    assert used == set(claim_module._FIELD_SCHEMAS)


@pytest.mark.parametrize("kind", list(ClaimEventKind), ids=lambda k: k.value)
def test_each_kind_schema_has_exactly_the_readers_fields(kind):
    """event-KIND lists the fields _SPEC gives the kind, requires the required ones, and
    records each default of _DEFAULTS; the union holds the same schema under its kind."""
    own = schema(f"event-{kind.value}")
    spec = claim_module._SPEC[kind]
    assert set(own["properties"]) == {"kind", "on", "event_id", *spec}
    assert own["required"] == ["kind", "on", *sorted(n for n, (_c, r) in spec.items() if r)]
    assert own["properties"]["kind"] == {"const": kind.value}
    assert own["additionalProperties"] is False
    for name, value in claim_module._DEFAULTS.get(kind, {}).items():
        assert own["properties"][name]["default"] == getattr(value, "value", value)
    union = schema("event")
    assert union["$defs"][f"event-{kind.value}"] == {
        k: v for k, v in own.items() if k not in ("$schema", "$id", "$defs")
    }
    assert {"$ref": f"#/$defs/event-{kind.value}"} in union["oneOf"]
    jsonschema.Draft202012Validator.check_schema(own)


def test_enum_fields_list_the_enum_values():
    """An enum field's schema is its enum's values, in order (liability-response)."""
    props = schema("event-liability-response")["properties"]
    assert props["response"]["enum"] == [r.value for r in claim_module.LiabilityResponse]
    assert props["percent"]["anyOf"][1] == {"type": "null"}


def test_the_error_schema_names_every_error_class_and_code():
    """error.schema.json's `error` enum is every RulesError class in rtaprotocol.errors (by
    its class name: InvalidInput is InputError's 0.1 alias) and its `code` enum every
    ErrorCode."""
    classes = {
        obj.__name__
        for obj in vars(errors_module).values()
        if isinstance(obj, type) and issubclass(obj, errors_module.RulesError)
    }
    problem = schema("error")["$defs"]["problem"]["properties"]
    assert set(problem["error"]["enum"]) == classes
    assert problem["code"]["enum"] == [c.value for c in errors_module.ErrorCode]


# --- events: the schema and ClaimEvent.from_dict agree ------------------------------------


def _cross_field(err):
    """Whether every problem in ``err`` is a rule a schema description names as beyond it."""
    rules = (
        # claim-facts: the entry and birth dates against the accident date (guide 4.1, 5.4).
        (("entry_date", "date_of_birth"), ("accident",)),
        # list-of-losses: a non-protocol payer only on a vehicle cost (guide 5.2.4), an
        # interim only on a protocol item and never above it (guide 6.3.1.4).
        (("paid_by",), ("vehicle cost",)),
        (("interim_paid",), ("settles that item", "non-protocol vehicle cost")),
        # list-of-losses: the items (and so each head) add up to at most the ceiling on any
        # amount; the reader refuses a list past it (at /items).
        (("items", "injury", "injury-related", "property"), ("the library's ceiling",)),
    )
    return all(
        any(
            (p.field or "").rsplit(".", 1)[-1] in names and any(w in p.message for w in words)
            for names, words in rules
        )
        for p in err.problems
    )


def _history_rule(problem):
    """Whether ``problem`` is a rule across a claim's events, beyond any one event's schema:
    an event id names one event (a retry repeats it exactly: docs/claim.md), events are
    dated in order (guide 6.1), the claim is assessed on or after its last event."""
    return (
        ((problem.field or "").endswith("event_id") and "event id was used" in problem.message)
        or "before the previous one" in problem.message
        or "assessed" in problem.message
    )


def _outcome(read, doc):
    """``(value, None)`` when ``read(doc)`` reads it, ``(None, the RulesError)`` when not."""
    try:
        return read(doc), None
    except RulesError as err:
        return None, err


def _validator_of(document):
    return jsonschema.Draft202012Validator(
        document, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


EVENT = _validator_of(schema("event"))


def _read_event(doc):
    """The event the reader builds from ``doc``; None for a documented cross-field refusal."""
    event, err = _outcome(ClaimEvent.from_dict, doc)
    assert err is None or _cross_field(err), (doc, str(err))
    return event


@given(from_schema(schema("event")))
@example({"kind": "accept", "on": "2023-05-10", "party": "claimant", "offer_number": 2.0})
@example({"kind": "medical-report-received", "on": "2100-12-31", "report": "expert",
          "prognosis_months": 1200})  # fmt: skip
def test_every_event_the_schema_accepts_the_reader_reads(doc):
    """A document the event schema accepts is read by ClaimEvent.from_dict, written back by
    to_dict in a form the schema accepts, and read again to the same event (guide 6.1)."""
    assume(EVENT.is_valid(doc))
    event = _read_event(doc)
    if event is None:
        return
    written = event.to_dict()
    assert EVENT.is_valid(written), written
    assert _validator_of(schema(f"event-{event.kind.value}")).is_valid(written)
    assert ClaimEvent.from_dict(written) == event


HOSTILE = st.sampled_from(
    [None, True, False, 0, -1, 1.5, 2.0, 1201, 10**13, "", " ", "x", "-1", "+1800", "1800.",
     " 1800", "1.5\n", "1e3", "1,800", "£5", "101", "100.001", "70%", "NaN", "2023-02-30",
     "\t2023-05-10 ", "2023-05-10T00:00", "20230510", "1999-12-31", "2101-01-01",
     "2023-05-10", "claimant", "judge", "OFFER", "x" * 2001, [], [1], ["1.5\n"], {},
     {"earnings": "1.5"}, {"items": [{"type": "property-excess", "amount": 1}]}]
)  # fmt: skip


@st.composite
def mutated_events(draw):
    """A schema-valid event with one part made hostile: a field's value replaced, a key
    added or a key dropped (at the top or inside a nested object)."""
    doc = copy.deepcopy(draw(from_schema(schema("event"))))
    target = doc
    nested = [k for k, v in doc.items() if isinstance(v, dict) and v]
    if nested and draw(st.booleans()):
        target = doc[draw(st.sampled_from(sorted(nested)))]
    how = draw(st.sampled_from(["replace", "add", "drop"]))
    if how == "add":
        target[draw(st.sampled_from(["colour", "kind", "on", "event_id", "amount", "percent"]))] = (
            draw(HOSTILE)
        )
    elif how == "drop":
        del target[draw(st.sampled_from(sorted(target)))]
    else:
        target[draw(st.sampled_from(sorted(target)))] = draw(HOSTILE)
    return doc


@given(mutated_events())
def test_every_event_the_reader_refuses_the_schema_refuses(doc):
    """Hostile variants of valid events: when the reader refuses one (other than by a
    documented cross-field rule) the schema refuses it too; when the schema accepts one
    the reader reads it."""
    event, err = _outcome(ClaimEvent.from_dict, doc)
    if err is not None:
        assert _cross_field(err) or not EVENT.is_valid(doc), (doc, str(err))
        assert ERROR.is_valid(json.loads(json.dumps(err.to_dict()))), err.to_dict()
    elif EVENT.is_valid(doc):
        assert EVENT.is_valid(event.to_dict())


_ON = {"kind": "offer", "on": "2023-05-10", "party": "claimant", "amount": "1800"}

#: Documents the schema refuses; the reader refuses them too (True), since 0.2.0's one
#: grammar of amounts and dates (no sign, no spaces, no trailing point or newline).
HOSTILE_EVENTS = [
    ({**_ON, "amount": "1.5\n"}, True),
    ({**_ON, "amount": "1e3"}, True),
    ({**_ON, "amount": "-1"}, True),
    ({**_ON, "amount": "1.005"}, True),
    ({**_ON, "amount": True}, True),
    ({**_ON, "amount": None}, True),
    ({**_ON, "amount": "+1800"}, True),
    ({**_ON, "amount": "1800."}, True),
    ({**_ON, "amount": " 1800"}, True),
    ({**_ON, "on": "\t2023-05-10 "}, True),
    ({**_ON, "on": "2023-02-30"}, True),
    ({**_ON, "on": "2023-05-10T00:00"}, True),
    ({**_ON, "on": "1999-12-31"}, True),
    ({**_ON, "on": 20230510}, True),
    ({**_ON, "party": "judge"}, True),
    ({**_ON, "kind": "Offer"}, True),
    ({**_ON, "colour": "red"}, True),
    ({**_ON, "items": ["1.5", "x"]}, True),
    ({**_ON, "items": "1.5"}, True),
    ({**_ON, "seatbelt_percent": "101"}, True),
    ({**_ON, "seatbelt_percent": "25%"}, True),
    ({**_ON, "cru": {"earnings": "1.5", "housing": "2"}}, True),
    ({"on": "2023-05-10"}, True),
    ({"kind": "offer"}, True),
    ({"kind": "liability-challenge", "on": "2023-05-10"}, True),
    ({"kind": "medical-report-received", "on": "2023-05-10", "report": "expert",
      "prognosis_months": 1201}, True),
    ({"kind": "voluntary-interim-payment", "on": "2023-05-10", "amount": 5, "item": -1}, True),
    ({"kind": "voluntary-interim-payment", "on": "2023-05-10", "amount": 5, "item": 1.5}, True),
    ({"kind": "denial-challenged", "on": "2023-05-10", "comments": "x" * 2001}, True),
    ({"kind": "proceed-to-medical", "on": "2023-05-10", "via_medco": "true"}, True),
    ({"kind": "submitted", "on": "2023-05-10", "whiplash": True, "facts": []}, True),
    ({"kind": "submitted", "on": "2023-05-10", "whiplash": True,
      "facts": {"accident_date": "2023-03-01", "entry_date": "2023-05-10"},
      "losses": {"cru_certificate": {}}}, True),
    ({**_ON, "event_id": ""}, True),
    ({**_ON, "event_id": "a\nb"}, True),
    ({**_ON, "event_id": "x" * 201}, True),
    ({**_ON, "event_id": 5}, True),
    ([_ON], True),
    ("offer", True),
]  # fmt: skip


@pytest.mark.parametrize(("doc", "reader_refuses"), HOSTILE_EVENTS)
def test_hand_written_hostile_events_are_refused(doc, reader_refuses):
    """Each hostile document fails the event schema, and the reader refuses it too with an
    error the error schema describes (guide 6.1 to 6.6; the one grammar of issue 24)."""
    assert not EVENT.is_valid(doc)
    if reader_refuses:
        with pytest.raises(RulesError) as info:
            ClaimEvent.from_dict(doc)
        assert ERROR.is_valid(json.loads(json.dumps(info.value.to_dict())))


def test_a_whole_number_written_with_a_point_is_an_integer_to_both():
    """JSON Schema's integer includes 2.0, so the readers take an offer number, an item or
    a whole-pound amount written 2.0 as 2 (never 2.5): the two agree (docs/provenance.md)."""
    doc = {"kind": "accept", "on": "2023-05-10", "party": "claimant", "offer_number": 2.0}
    assert EVENT.is_valid(doc)
    assert ClaimEvent.from_dict(doc)["offer_number"] == 2
    assert ClaimEvent.from_dict({**doc, "offer_number": Decimal("2.00")})["offer_number"] == 2
    for bad in (2.5, Decimal("2.5"), float("nan"), Decimal("NaN"), True, 2.0**60):
        with pytest.raises(RulesError):
            ClaimEvent.from_dict({**doc, "offer_number": bad})
    # The same in a List of Losses (guide 5.2) and a CRU certificate: 200.0 is £200.
    assert LOSSES.is_valid({"injury": 200.0})
    assert ListOfLosses.from_dict({"injury": 200.0}).injury == Decimal("200.00")
    assert CruCertificate.from_dict({"care": 5.0}) == CruCertificate(care=5)
    # A JSON number with pence is pounds and pence by the one number policy; a fraction of
    # a penny is refused by both.
    assert ListOfLosses.from_dict({"injury": 200.5}).injury == Decimal("200.50")
    assert not LOSSES.is_valid({"injury": 200.005})
    with pytest.raises(RulesError):
        ListOfLosses.from_dict({"injury": 200.005})


def test_the_cross_field_rules_are_named_in_the_descriptions():
    """The refusals the tests allow past a schema are each named in its description."""
    assert "cannot express" in schema("claim-facts")["description"]
    assert "interim no larger than its item" in schema("list-of-losses")["description"]
    assert "non-protocol payer only on a vehicle cost" in schema("list-of-losses")["description"]
    assert "adding up to at most" in schema("list-of-losses")["description"]
    assert "Claim.apply" in schema("event")["description"]


# --- losses and CRU certificates: the schemas and their from_dict agree --------------------

LOSSES = _validator_of(schema("list-of-losses"))
_LIST_ONLY = {
    **schema("list-of-losses"),
    "properties": {
        k: v for k, v in schema("list-of-losses")["properties"].items() if k != "cru_certificate"
    },
}


@given(from_schema(_LIST_ONLY))
@example({"items": [{"type": "property-excess", "amount": "1", "date_added": "2023-02-28"}]})
@example({"items": [{"type": "property-repairs", "amount": 999999999999.0}] * 2})
def test_every_list_of_losses_the_schema_accepts_the_reader_reads(doc):
    """A List of Losses the schema accepts is read by ListOfLosses.from_dict (but for the
    cross-field rules the description names) and written back as one it accepts."""
    assume(LOSSES.is_valid(doc))
    losses, err = _outcome(ListOfLosses.from_dict, doc)
    if err is None:
        # A head whose items add up past the ceiling is read, then refused when its total is
        # computed (to_dict): the same cross-field rule, met one step later.
        _written, err = _outcome(lambda read: read.to_dict(), losses)
    if err is not None:
        assert _cross_field(err), (doc, str(err))
        return
    assert LOSSES.is_valid(losses.to_dict())
    assert ListOfLosses.from_dict(losses.to_dict()) == losses


@pytest.mark.parametrize(
    "doc",
    [
        {"items": [{"type": "property-excess", "amount": "1.5\n"}]},
        {"items": [{"type": "property-excess", "amount": 1, "date_added": "2023-13-01"}]},
        {"items": [{"type": "property-excess", "amount": 1, "date_added": "2023-02-30"}]},
        {"injury": "1\n"},
        {"general_interim": "-0"},
    ],
)
def test_list_of_losses_schema_refuses_what_the_reader_refuses(doc):
    """Dates and amounts the reader refuses (a final newline, no such day) fail the schema:
    before 0.2.0 its patterns let Python's `$` match before a final newline."""
    assert not LOSSES.is_valid(doc)
    with pytest.raises(RulesError):
        ListOfLosses.from_dict(doc)


CRU = _validator_of(schema("cru-certificate"))


@given(from_schema(schema("cru-certificate")))
def test_every_cru_certificate_the_schema_accepts_the_reader_reads(doc):
    """A certificate the schema accepts, CruCertificate.from_dict reads (Sch 2 heads)."""
    assume(CRU.is_valid(doc))
    CruCertificate.from_dict(doc)
    assert not CRU.is_valid({**doc, "earnings": "1\n"})


# --- the claim file, the report and the error document ------------------------------------

CLAIM_FILE = _validator_of(schema("claim"))
REPORT = _validator_of(schema("report"))
ERROR = _validator_of(schema("error"))
EXAMPLE_CLAIM = json.loads((EXAMPLES / "claim.json").read_text(encoding="utf-8"))


@given(st.lists(from_schema(schema("claim"), schema("claim")["$defs"]["event"]), max_size=3))
def test_claim_file_events_the_schema_accepts_are_read(events):
    """Events the claim file schema accepts, appended to the example claim, are read by
    the `rtaprotocol assess` loader; it refuses them only by the protocol's state rules
    (ProtocolViolation) or a documented cross-field rule, and the report it builds from the
    ones it takes is a document the report schema accepts."""
    # Dated in order after the example's events: the order rule (guide 6.1) is tested apart.
    events = [
        {**e, "on": (date(2024, 7, 1) + timedelta(days=7 * i)).isoformat()}
        for i, e in enumerate(events)
    ]
    data = {**EXAMPLE_CLAIM, "events": [*EXAMPLE_CLAIM["events"], *events]}
    assume(CLAIM_FILE.is_valid(data))
    cf, err = _outcome(load_claim_file, data)
    if err is not None:
        assert all(
            isinstance(p, ProtocolViolation) or _cross_field(p) or _history_rule(p)
            for p in err.problems
        ), str(err)
        assert ERROR.is_valid(json.loads(json.dumps(err.to_dict())))
        return
    as_of = max(date(2024, 7, 1), cf.claim.history[-1].on)
    body, _text = report(cf, as_of)
    assert REPORT.is_valid(json.loads(json.dumps(jsonable(body)))), body


_NO_EVENTS = {
    **schema("claim"),
    "properties": {**schema("claim")["properties"], "events": {"type": "array", "maxItems": 0}},
}


def _claim_file_rule(problem):
    """Whether ``problem`` is one the claim file schema's description leaves to the loader:
    the protocol's own refusals (eligibility: ProtocolViolation), the cross-field rules of
    the facts and losses, the overlap of a mixed claim (guide 4.4.2), a whiplash injury
    for an accident before the tariff regime (WIR 2021), and a deadline falling past the
    calendar's coverage (a claim entered in the last weeks of 2100)."""
    return (
        isinstance(problem, ProtocolViolation | errors_module.OutOfCoverageError)
        or _cross_field(problem)
        or "overlap" in (problem.field or "")
        or "before the whiplash tariff regime" in problem.message
    )


@given(from_schema(_NO_EVENTS))
@example(
    {
        "facts": {"accident_date": "2023-03-01", "entry_date": "2023-05-02"},
        "injuries": {"whiplash": {"months": "24.0", "uplift_percent": "20.00"}},
    }
)
@example({"facts": {"accident_date": "2022-01-01", "entry_date": "2100-11-18"}})
def test_every_claim_file_the_schema_accepts_the_loader_reads(data):
    """A claim file the schema accepts (its facts, injuries, losses, dates) is read by the
    `rtaprotocol assess` loader, but for the rules its description leaves to the loader;
    months above 24 or an uplift above 20 fail the schema as they fail the loader (CLA 2018
    s.3, WIR 2021 reg 3(3))."""
    assume(CLAIM_FILE.is_valid(data))
    cf, err = _outcome(load_claim_file, data)
    if err is not None:
        assert all(_claim_file_rule(p) for p in err.problems), str(err)
        return
    assert cf.claim.facts is not None
    whiplash = {"facts": data["facts"], "injuries": {"whiplash": {"months": "24.5"}}}
    assert not CLAIM_FILE.is_valid(whiplash)
    assert not CLAIM_FILE.is_valid({**whiplash, "injuries": {"whiplash": {"months": "0.0"}}})
    uplift = {"whiplash": {"months": 3, "uplift_percent": "20.5"}}
    assert not CLAIM_FILE.is_valid({**whiplash, "injuries": uplift})


def test_the_example_report_and_a_report_without_payment_fit_the_report_schema():
    """The report of the shipped example (from `rtaprotocol assess` and from Claim.report),
    and of a claim closed on a denial of liability (no offer, so no payment breakdown:
    guide 6.3.1.3), fit report.schema.json."""
    cf = load_claim_file(EXAMPLE_CLAIM)
    body, _text = report(cf, date(2024, 7, 1))
    REPORT.validate(json.loads(json.dumps(jsonable(body))))
    REPORT.validate(json.loads(json.dumps(cf.claim.report(date(2024, 7, 1)).to_dict())))
    denied = {
        "facts": {"accident_date": "2023-03-01", "entry_date": "2023-05-02"},
        "events": [
            {"kind": "liability-response", "on": "2023-05-10", "response": "deny"},
            {"kind": "denial-accepted", "on": "2023-05-11"},
        ],
    }
    assert CLAIM_FILE.is_valid(denied)
    body, _text = report(load_claim_file(denied), date(2023, 6, 1))
    assert "none" in body["payment"]
    REPORT.validate(json.loads(json.dumps(jsonable(body))))
    assert not REPORT.is_valid({**json.loads(json.dumps(jsonable(body))), "extra": 1})


def test_every_event_in_a_claims_history_fits_the_event_schema():
    """A replayed claim's history, written with to_dict, is a list of schema-valid events
    (what a backend stores and replays: Claim.replay)."""
    claim = load_claim_file(EXAMPLE_CLAIM).claim
    history = [e.to_dict() for e in claim.history]
    assert all(EVENT.is_valid(e) for e in history)
    assert Claim.replay(history, calendar=claim.calendar) == claim


def test_errors_of_every_shape_fit_the_error_schema():
    """One problem, several problems (InputError), a protocol refusal (with its party,
    action and state), a concurrency refusal: each to_dict() fits error.schema.json."""
    found = []
    for bad in (
        lambda: ClaimFacts.from_dict({"accident_date": "x", "injury": -1}),
        lambda: load_claim_file({"facts": {}, "events": [{"kind": "nope"}]}),
        lambda: Claim().apply({"kind": "denial-accepted", "on": "2023-05-02"}),
        lambda: ClaimEvent.from_dict({"kind": "offer", "on": "1999-01-01"}),
        lambda: schema("nope"),
    ):
        with pytest.raises(RulesError) as info:
            bad()
        found.append(json.loads(json.dumps(info.value.to_dict())))
    for doc in found:
        ERROR.validate(doc)
    concurrency = errors_module.ConcurrencyError(expected=3, current=4).to_dict()
    ERROR.validate(json.loads(json.dumps(concurrency)))
    assert {d["error"] for d in found} >= {"InputError", "ProtocolViolation", "RulesError"}
    assert not ERROR.is_valid({**found[0], "error": "KeyError"})
    assert not ERROR.is_valid({**found[0], "code": "no.such-code"})
    assert not ERROR.is_valid({**found[0], "pointer": "kind"})
