"""Tests for ``rtaprotocol assess``: the main job, one claim file in, one report out."""

from __future__ import annotations

import copy
import importlib.resources
import json
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from rtaprotocol.cli import COMMANDS, main

GOLDEN = Path(__file__).parent / "golden"


def _resource(*parts: str) -> str:
    ref = importlib.resources.files("rtaprotocol").joinpath("data", *parts)
    return ref.read_text(encoding="utf-8")


EXAMPLE = json.loads(_resource("examples", "claim.json"))
SCHEMA = json.loads(_resource("schemas", "claim.schema.json"))


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def write(tmp_path):
    def _write(data, name="claim.json"):
        path = tmp_path / name
        path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
        return path

    return _write


def test_assess_is_registered():
    """The subcommand is listed in COMMANDS."""
    assert "assess" in COMMANDS


def test_example_matches_the_golden_text(capsys):
    """The example report, reviewed by hand once (docs/cli.md), never changes unnoticed."""
    code, out, err = run(capsys, "assess", "--example")
    assert (code, err) == (0, "")
    assert out == (GOLDEN / "assess-example.txt").read_text(encoding="utf-8")


def test_example_matches_the_golden_json(capsys):
    """The same report as data."""
    code, out, err = run(capsys, "assess", "--example", "--json")
    assert (code, err) == (0, "")
    assert json.loads(out) == json.loads((GOLDEN / "assess-example.json").read_text("utf-8"))


def test_example_key_figures():
    """The hand-checked figures of the example (see docs/cli.md, "The example claim")."""
    data = json.loads((GOLDEN / "assess-example.json").read_text("utf-8"))
    assert data["valuation"]["tariff"]["amount"] == "895.00"  # 6-9 months, psychological
    assert data["valuation"]["mixed"]["total"] == "2095.00"  # 895 + 1,500 - 300 overlap
    assert data["payment"]["total"] == "2640.00"  # 3,800 less 20%, less CRU of 400
    overdue = data["next_steps"]["overdue"]
    assert [d["name"] for d in overdue] == ["interim payment response", "liability response"]
    assert overdue[1]["late"] is True
    assert data["limitation_deadline"] == "2027-03-04"


def test_example_is_valid_against_the_published_schema():
    """The shipped example is valid against the shipped schema."""
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    validator = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
    assert list(validator.iter_errors(EXAMPLE)) == []


def test_schema_refuses_unknown_keys():
    """The schema and the reader agree on an unknown key."""
    bad = dict(EXAMPLE, colour="red")
    validator = jsonschema.Draft202012Validator(SCHEMA)
    assert not validator.is_valid(bad)


def test_a_file_gives_the_same_report_as_the_example(capsys, write):
    """Reading the example from a file gives the same text."""
    code, out, _ = run(capsys, "assess", write(EXAMPLE))
    assert code == 0
    assert out == (GOLDEN / "assess-example.txt").read_text(encoding="utf-8")


def test_every_problem_with_its_json_path_and_nothing_printed(capsys, write):
    """A bad file: every problem on stderr with its JSON path, exit 2, stdout empty."""
    bad = copy.deepcopy(EXAMPLE)
    bad["colour"] = "red"
    bad["facts"]["accident_date"] = "2024-02-30"
    bad["injuries"]["whiplash"]["months"] = 30
    bad["injuries"]["non_whiplash"][0]["area"] = "elbow"
    bad["losses"]["items"][1]["amount"] = 1.505
    bad["events"][2]["kind"] = "proceed-to-hospital"
    code, out, err = run(capsys, "assess", write(bad))
    assert code == 2
    assert out == ""
    for path in (
        "$.colour",
        "$.facts.accident_date",
        "$.injuries.non_whiplash[0].area",
        "$.losses.items[1].amount",
        "$.events[2].kind",
    ):
        assert path in err, path
    assert "Traceback" not in err


def test_bad_duration_is_reported_with_its_path(capsys, write):
    """A duration the tariff refuses names $.injuries.whiplash.months."""
    bad = copy.deepcopy(EXAMPLE)
    bad["injuries"]["whiplash"]["months"] = 30
    code, _, err = run(capsys, "assess", write(bad))
    assert code == 2
    assert "$.injuries.whiplash.months" in err


def test_a_refused_event_names_its_position_and_rule(capsys, write):
    """An event the protocol forbids is bad input: its position and rule are printed."""
    bad = copy.deepcopy(EXAMPLE)
    bad["events"].insert(1, {"kind": "liability-challenge", "on": "2024-05-20", "percent": 50})
    code, out, err = run(capsys, "assess", write(bad))
    assert code == 2
    assert out == ""
    assert "$.events[1]" in err
    assert "guide 6.3.1.1" in err


def test_as_of_before_the_last_event_is_refused(capsys, write):
    """The claim is assessed on or after its last event."""
    bad = dict(EXAMPLE, as_of="2024-06-01")
    code, _, err = run(capsys, "assess", write(bad))
    assert code == 2
    assert "$.as_of" in err


def test_file_or_example_not_both(capsys, write):
    """Exactly one of a file and --example."""
    assert run(capsys, "assess")[0] == 2
    assert run(capsys, "assess", "--example", write(EXAMPLE))[0] == 2


def test_not_an_object_and_not_json(capsys, write):
    """The bounded reader refuses bad JSON; a list is not a claim file."""
    code, _, err = run(capsys, "assess", write("[1, 2]"))
    assert code == 2
    assert "$" in err
    code, _, err = run(capsys, "assess", write("{"))
    assert code == 2
    assert "not valid JSON" in err
    code, _, err = run(capsys, "assess", write(EXAMPLE), "--max-bytes", "10")
    assert code == 2
    assert "limit" in err


def test_missing_facts_and_wrong_shapes(capsys, write):
    """Missing facts, wrong types for injuries, events and holidays are all reported."""
    bad = {
        "injuries": {"whiplash": {"psychological": "yes"}, "non_whiplash": "x", "overlap": 1.505},
        "events": {},
        "extra_holidays": ["2024-13-01"],
        "compensator": "aviva",
    }
    code, _, err = run(capsys, "assess", write(bad))
    assert code == 2
    for path in (
        "$.facts",
        "$.injuries.whiplash.months",
        "$.injuries.whiplash.psychological",
        "$.injuries.non_whiplash",
        "$.injuries.overlap",
        "$.events",
        "$.extra_holidays[0]",
        "$.compensator",
    ):
        assert path in err, path


def test_a_minimal_claim_and_an_overlap_without_a_mix(capsys, write):
    """Facts alone are enough; an overlap needs a mixed claim."""
    minimal = {"facts": EXAMPLE["facts"], "as_of": "2024-04-03"}
    code, out, _ = run(capsys, "assess", write(minimal))
    assert code == 0
    assert "No injury described in the file." in out
    assert "No payment breakdown" in out
    code, _, err = run(capsys, "assess", write(dict(minimal, injuries={"overlap": "10"})))
    assert code == 2
    assert "$.injuries.overlap" in err


def test_non_whiplash_only_and_string_months(capsys, write):
    """A claim with a decimal-string duration values the tariff; JCG brackets are listed."""
    data = copy.deepcopy(EXAMPLE)
    data["injuries"]["whiplash"]["months"] = "7.5"
    code, out, _ = run(capsys, "assess", write(data))
    assert code == 0
    assert "7.5 months" in out
    data["injuries"]["whiplash"]["months"] = "7.5.1"
    code, _, err = run(capsys, "assess", write(data))
    assert code == 2
    assert "$.injuries.whiplash.months" in err


def test_more_shapes_refused_with_their_paths(capsys, write):
    """Each malformed part of the injuries names its own path."""
    bad = copy.deepcopy(EXAMPLE)
    bad["injuries"] = {
        "whiplash": {"months": 7.5, "psychological": False},
        "non_whiplash": ["wrist", {"area": "arm-hand", "amount": "10", "description": 5}],
    }
    code, _, err = run(capsys, "assess", write(bad))
    assert code == 2
    for path in (
        "$.injuries.whiplash.months",
        "$.injuries.non_whiplash[0]",
        "$.injuries.non_whiplash[1].description",
    ):
        assert path in err, path
    for months in (".", "1.2.3", "", "123"):
        bad["injuries"] = {"whiplash": {"months": months}}
        code, _, err = run(capsys, "assess", write(bad))
        assert code == 2, months
        assert "$.injuries.whiplash.months" in err
    bad["injuries"] = "whiplash"
    code, _, err = run(capsys, "assess", write(bad))
    assert code == 2
    assert "$.injuries:" in err


def test_an_ineligible_claim_is_refused_at_submission(capsys, write):
    """Facts that fail a criterion: the submission is refused, naming $.facts."""
    bad = copy.deepcopy(EXAMPLE)
    bad["facts"]["accident_location"] = "scotland"
    code, out, err = run(capsys, "assess", write(bad))
    assert code == 2
    assert out == ""
    assert "$.facts" in err
    assert "not eligible" in err


def test_extra_holidays_move_the_deadlines(capsys, write):
    """A holiday proclaimed after release moves the interim response due date by a day."""
    data = dict(EXAMPLE, extra_holidays=["2024-05-22"])
    code, out, _ = run(capsys, "assess", write(data), "--json")
    assert code == 0
    report = json.loads(out)
    due = {d["name"]: d["due"] for d in report["next_steps"]["deadlines"]}
    assert due["interim payment response"] == "2024-06-13"


def test_schema_agrees_with_the_library():
    """The schema's loss types and event kinds are the library's, so they cannot drift."""
    from rtaprotocol.claim import ClaimEventKind
    from rtaprotocol.losses import LossType

    defs = SCHEMA["$defs"]
    assert set(defs["loss_item"]["properties"]["type"]["enum"]) == {t.value for t in LossType}
    kinds = set(defs["event"]["properties"]["kind"]["enum"])
    assert kinds == {k.value for k in ClaimEventKind} - {"submitted"}


def test_a_bad_item_inside_an_event_has_its_full_path(capsys, write):
    """A problem nested inside an event's field is reported with the whole JSON path."""
    bad = copy.deepcopy(EXAMPLE)
    bad["events"][7]["added_losses"] = [{"type": "car", "amount": "5"}]
    code, _, err = run(capsys, "assess", write(bad))
    assert code == 2
    assert "$.events[7].added_losses[0].type" in err


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _paths(value, (*prefix, i))


_LEAVES = [p for p in _paths(EXAMPLE) if p]
_VALUES = (
    st.none()
    | st.booleans()
    | st.integers(-3, 40)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=4)
    | st.sampled_from(["7.5", ".", "2024-07-02", "arm-hand", "deny", "0", "mib", "further"])
    | st.just([])
    | st.just({})
)


@given(st.lists(st.tuples(st.sampled_from(_LEAVES), _VALUES), min_size=1, max_size=3))
def test_any_edit_of_the_example_gives_a_report_or_located_problems(edits):
    """Whatever is changed in the file: a whole report, or RulesErrors that name a path."""
    from datetime import date

    from rtaprotocol.cli.assess import load_claim_file, report
    from rtaprotocol.errors import RulesError

    data = copy.deepcopy(EXAMPLE)
    for path, value in edits:
        node = data
        for key in path[:-1]:  # an earlier edit may have removed the path: then skip it
            fits = isinstance(node, dict) and key in node
            fits = fits or (isinstance(node, list) and isinstance(key, int) and key < len(node))
            node = node[key] if fits else None
        last = path[-1]
        fits = isinstance(node, dict) and isinstance(last, str)
        if fits or (isinstance(node, list) and isinstance(last, int) and last < len(node)):
            node[path[-1]] = value
    problems: tuple[RulesError, ...] = ()
    try:
        claim_file = load_claim_file(data)
    except RulesError as err:
        problems = err.problems
    if problems:
        assert all(p.field and p.field.startswith("$") for p in problems)
        return
    body, text = report(claim_file, max(date(2024, 7, 1), claim_file.claim.history[-1].on))
    assert json.dumps(body, default=str)
    assert text.startswith("Claim assessed as at")


# --- issue 24: assess is a thin caller of Claim.report --------------------------------------


def test_assess_prints_claim_report_word_for_word(capsys):
    """The CLI builds no report of its own: its text and JSON are the library's
    ClaimReport (Claim.report) for the claim and injuries read from the file."""
    from datetime import date

    from rtaprotocol.cli.assess import load_claim_file

    claim_file = load_claim_file(copy.deepcopy(EXAMPLE))
    value = claim_file.claim.report(date(2024, 7, 1), injuries=claim_file.injuries.value())
    code, out, _ = run(capsys, "assess", "--example")
    assert code == 0
    assert out == str(value) + "\n"
    code, out, _ = run(capsys, "assess", "--example", "--json")
    assert json.loads(out) == value.to_dict()


def test_an_overlap_on_a_whiplash_only_claim_is_refused_with_its_path(capsys, write):
    """Guide 4.4.2: the overlap comes off a mixed claim. A whiplash injury alone leaves
    nothing for it to come off: refused at $.injuries.overlap, never silently ignored."""
    data = copy.deepcopy(EXAMPLE)
    data["injuries"].pop("non_whiplash")
    code, out, err = run(capsys, "assess", write(data))
    assert (code, out) == (2, "")
    assert "$.injuries.overlap" in err
    assert "an overlap comes off a mixed claim" in err


def test_a_description_too_long_is_refused_with_its_path(capsys, write):
    """Free text is bounded (2,000 characters, as for an event's text): a longer
    description is refused at its path before anything is printed."""
    data = copy.deepcopy(EXAMPLE)
    data["injuries"]["non_whiplash"][0]["description"] = "x" * 2001
    code, out, err = run(capsys, "assess", write(data))
    assert (code, out) == (2, "")
    assert "$.injuries.non_whiplash[0].description" in err
    assert "at most 2,000 characters" in err


def test_the_text_report_shows_control_characters_visibly(capsys, write):
    """A description with a newline, a carriage return or a terminal escape cannot forge a
    report line or clear the screen: the text report shows each as its escape (issue 24)."""
    data = json.loads(json.dumps(EXAMPLE))
    data["injuries"]["non_whiplash"][0]["description"] = "wrist\n== Payment ==\r\x1b[2J"
    code, out, err = run(capsys, "assess", write(data))
    assert (code, err) == (0, "")
    assert "\x1b" not in out
    assert "\r" not in out
    assert "\n== Payment ==" not in out
    assert "Non-whiplash injury: wrist\\n== Payment ==\\r\\x1b[2J, claimed" in out
