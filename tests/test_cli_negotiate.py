"""Tests for the ``negotiate`` subcommand: replay a stored negotiation (guide 6.5.3 to 6.5.6)."""

from __future__ import annotations

import json

import pytest

from rtaprotocol.cli import COMMANDS, main

STORY = [
    {"kind": "offer", "on": "2023-05-02", "party": "compensator", "amount": "1500"},
    {"kind": "offer", "on": "2023-05-04", "party": "claimant", "amount": "2400"},
    {"kind": "offer", "on": "2023-05-09", "party": "compensator", "amount": "1800"},
]


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def write(tmp_path):
    def _write(data, name="events.json"):
        path = tmp_path / name
        path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
        return path

    return _write


def test_negotiate_is_registered():
    """The subcommand is listed in COMMANDS."""
    assert "negotiate" in COMMANDS


def test_text_shows_offers_numbers_statuses_and_next_actions(capsys, write):
    """The state, each offer's number and status, and each side's next actions are printed."""
    code, out, err = run(capsys, "negotiate", write(STORY))
    assert code == 0
    assert err == ""
    assert out.startswith("Negotiation: negotiating")
    assert "compensator |      2 | £1,800.00 | 2023-05-09 | open" in out
    assert "claimant    |      1 | £2,400.00 | 2023-05-04 | rejected" in out
    assert "compensator on 2023-05-09" in out
    assert "claimant on 2023-05-09" in out
    assert "offer 2, at most £2,400.00" in out
    assert "may be withdrawn from 2023-05-24 [guide 6.5.5]" in out


def test_json_output(capsys, write):
    """--json prints the negotiation, the date used and each side's next actions."""
    code, out, _ = run(capsys, "negotiate", write(STORY), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["as_of"] == "2023-05-09"
    assert data["forbidden"] is None
    assert data["negotiation"]["history"][0]["amount"] == "1500.00"
    assert [o["status"] for o in data["negotiation"]["offers"]] == ["rejected", "rejected", "open"]
    assert data["next"]["claimant"]["acceptable_offers"] == [1, 2]
    assert data["next"]["compensator"]["withdraw_from"] == "2023-05-24"


def test_forbidden_event_prints_the_rule_and_exits_1(capsys, write):
    """An event the protocol forbids prints its guide section and the state before it;
    events are numbered from 1, so the fourth event is "event 4"."""
    events = [*STORY, {"kind": "offer", "on": "2023-05-10", "party": "compensator", "amount": 1900}]
    code, out, err = run(capsys, "negotiate", write(events))
    assert code == 1
    assert err == ""
    first = out.splitlines()[0]
    assert first.startswith(
        "Forbidden: event 4 (offer by the compensator of £1,900.00 on 2023-05-10)"
    )
    assert "breaks guide 6.5.5" in first
    assert "still open" in first
    assert "State before event 4:" in out
    assert "compensator on 2023-05-09" in out


def test_forbidden_event_json(capsys, write):
    """--json gives the forbidden event's index, the event and the error."""
    events = [STORY[0], {"kind": "accept", "on": "2023-05-03", "party": "compensator"}]
    code, out, _ = run(capsys, "negotiate", write(events), "--json")
    assert code == 1
    data = json.loads(out)
    assert data["forbidden"]["index"] == 1  # a list index, from 0
    assert data["forbidden"]["number"] == 2  # the second event, as the text counts
    assert data["forbidden"]["error"]["error"] == "ProtocolViolation"
    assert data["forbidden"]["error"]["reference"] == "guide 6.5.6"
    assert len(data["negotiation"]["history"]) == 1


def test_object_form_with_extra_holidays(capsys, write):
    """An object with events and extra_holidays moves the withdrawal date."""
    data = {"events": STORY[:1], "extra_holidays": ["2023-05-10"]}
    code, out, _ = run(capsys, "negotiate", write(data), "--json")
    assert code == 0
    assert json.loads(out)["next"]["compensator"]["withdraw_from"] == "2023-05-19"
    _, out, _ = run(
        capsys, "negotiate", write(STORY[:1]), "--extra-holiday", "2023-05-10", "--json"
    )
    assert json.loads(out)["next"]["compensator"]["withdraw_from"] == "2023-05-19"


def test_on_option_sets_the_date_of_next_actions(capsys, write):
    """--on shows what each side may do on a later date."""
    code, out, _ = run(capsys, "negotiate", write(STORY[:1]), "--on", "2023-05-18", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["as_of"] == "2023-05-18"
    assert "withdraw" in data["next"]["compensator"]["actions"]


def test_empty_event_list(capsys, write):
    """No events: the state is printed with a note that the compensator offers first."""
    code, out, _ = run(capsys, "negotiate", write([]))
    assert code == 0
    assert "awaiting the compensator's first offer" in out
    assert "the compensator makes the first offer (guide 6.5.3.1)" in out


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("{not json", "not valid JSON"),
        ('{"kind": "offer", "events": []}', "unknown key"),
        ('{"events": {}}', "expected a list of events"),
        ('"events"', "expected a list of events"),
        ('[{"kind": "bid", "on": "2023-05-02"}]', "events[0].kind: not one of EventKind"),
        (
            '[{"kind": "offer", "on": "02/05/2023", "party": "compensator", "amount": 1}]',
            "events[0].on: not a date in YYYY-MM-DD form",
        ),
        (
            (
                '[{"kind": "offer", "on": "2023-05-02", "party": "compensator", "amount": 0.1}, '
                '{"kind": "accept", "on": "2023-05-01", "party": "claimant"}]'
            ),
            "before the previous one",
        ),
        ('{"events": [], "extra_holidays": "2023-05-10"}', "expected a list of dates"),
        ('{"events": [], "extra_holidays": ["soon"]}', "YYYY-MM-DD"),
        ('{"events": [], "extra_business_days": ["2023-05-09"]}', "already a business day"),
    ],
)
def test_invalid_files_exit_2_with_one_line(capsys, write, content, fragment):
    """A file that is not a valid event list exits 2 with one line on stderr."""
    code, out, err = run(capsys, "negotiate", write(content))
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("rtaprotocol negotiate: error: ")
    assert fragment in err


def test_every_problem_of_the_file_is_reported(capsys, write):
    """A file with several problems prints each on its own line, not only the first."""
    content = (
        '{"kind": "offer", "whiplash": "yes", "extra_holidays": ["soon"], '
        '"events": [{"kind": "bid", "on": "2023-05-02"}]}'
    )
    code, out, err = run(capsys, "negotiate", write(content))
    assert code == 2
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 4
    for fragment in ("unknown key", "whiplash is true or false", "YYYY-MM-DD", "events[0].kind"):
        assert sum(fragment in line for line in lines) == 1, fragment


def test_unreadable_file_exits_2(capsys, tmp_path):
    """A missing file exits 2 naming the file."""
    code, _, err = run(capsys, "negotiate", tmp_path / "missing.json")
    assert code == 2
    assert "cannot read the file" in err
    assert "missing.json" in err


def test_bad_on_date_exits_2(capsys, write):
    """A malformed --on date exits 2."""
    code, _, err = run(capsys, "negotiate", write(STORY), "--on", "tomorrow")
    assert code == 2
    assert "YYYY-MM-DD" in err


def test_a_key_given_twice_is_refused_not_resolved_silently(capsys, write):
    """Regression: {"amount": 1000, "amount": 5} was read as £5 (json keeps the last key);
    now the file is refused with exit 2, naming the key."""
    text = (
        '[{"kind": "offer", "on": "2023-05-02", "party": "compensator",'
        ' "amount": 1000, "amount": 5}]'
    )
    code, out, err = run(capsys, "negotiate", write(text))
    assert code == 2
    assert out == ""
    assert "the same key appears twice" in err
    assert "'amount'" in err
    assert "negotiate file" in err


def test_whiplash_file_refuses_an_offer_before_the_medical_report(capsys, write):
    """ "whiplash": true in the file applies CLA 2018 s.6 (exit 1, the rule printed)."""
    code, out, _ = run(capsys, "negotiate", write({"events": STORY[:1], "whiplash": True}))
    assert code == 1
    assert "Civil Liability Act 2018 s.6" in out
    report = [{"kind": "medical-report", "on": "2023-05-01"}]
    code, out, _ = run(
        capsys, "negotiate", write({"events": report + STORY[:1], "whiplash": True}), "--json"
    )
    assert code == 0
    assert json.loads(out)["negotiation"]["medical_report_on"] == "2023-05-01"
    code, _, err = run(capsys, "negotiate", write({"events": [], "whiplash": "yes"}))
    assert code == 2
    assert "whiplash" in err
