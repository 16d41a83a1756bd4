"""Tests for the ``route`` subcommand: exit 0 a route, 1 cannot tell yet, 2 bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from rtaprotocol.cli import COMMANDS, main

CYCLIST: dict[str, Any] = {
    "accident_type": "road-traffic",
    "accident_date": "2023-03-01",
    "entry_date": "2023-04-03",
    "accident_location": "england",
    "road_user": "cyclist",
    "injury": "3000.00",
    "other_protocol_damages": "500",
    "claimant_protected_party": False,
    "defendant_protected_party": False,
    "claimant_bankrupt": False,
    "claimant_personal_representative": False,
    "defendant_personal_representative": False,
    "defendant_road_user": True,
    "untraced_driver": False,
    "other_vehicle_uk_registered": True,
    "health_and_safety_breach": False,
}


def write(tmp_path: Path, data: Any) -> str:
    path = tmp_path / "facts.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return str(path)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_registered():
    assert "route" in COMMANDS


def test_route_found_exits_0_with_reasons_and_marks(capsys, tmp_path):
    code, out, err = run(capsys, "route", write(tmp_path, CYCLIST))
    assert code == 0
    assert out.startswith("Low-value RTA Protocol (Claims Portal)")
    assert "vulnerable_road_user" in out
    assert "CPR 26.6A" in out
    assert "[S]" in out
    assert err == ""


def test_cannot_tell_yet_exits_1_with_questions(capsys, tmp_path):
    code, out, _ = run(capsys, "route", write(tmp_path, {**CYCLIST, "accident_type": None}))
    assert code == 1
    assert out.startswith("Cannot tell yet")
    assert "accident_type" in out


def test_json(capsys, tmp_path):
    code, out, _ = run(capsys, "route", write(tmp_path, CYCLIST), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["process"] == "rta-protocol"
    assert data["eligibility"]["eligible"] is False


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("{", "not valid JSON"),
        ('{"accident_date": "2023-03-01", "accident_date": "2023-03-02"}', "twice"),
        ({"accident_type": "boat", "accident_date": "2023-03-01"}, "$.entry_date: required key"),
    ],
)
def test_bad_input_exits_2(capsys, tmp_path, content, fragment):
    code, out, err = run(capsys, "route", write(tmp_path, content))
    assert code == 2
    assert out == ""
    assert fragment in err
    assert "Traceback" not in err
    if "$." in fragment:  # every problem of a document, one a line
        assert err.count("rtaprotocol route: error: $.") == 2


def test_max_bytes(capsys, tmp_path):
    code, _, err = run(capsys, "route", write(tmp_path, CYCLIST), "--max-bytes", "10")
    assert code == 2
    assert err.count("\n") == 1


def test_console_script_runs():
    proc = subprocess.run(
        [sys.executable, "-m", "rtaprotocol.cli", "route", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0
    assert "Claims Portal" in proc.stdout


def test_an_untraced_driver_routes_to_the_mib(capsys, tmp_path):
    """guide 4.2; RTA Protocol para 4.5; Untraced Drivers' Agreement 2017: the CLI reads
    the untraced answer and names the MIB route (exit 0: a route)."""
    facts = {**CYCLIST, "untraced_driver": True}
    code, out, _ = run(capsys, "route", write(tmp_path, facts), "--json")
    assert code == 0
    assert json.loads(out)["process"] == "mib-untraced-drivers"


def test_the_new_route_inputs_are_read(capsys, tmp_path):
    """SI 2023/572 r.2(2)(b) and CPR 26.9(10): the letter of claim date, the claim
    category and the EL/PL answers come from the facts file; the result lists the value
    parts it counted (CPR 26.9, 26.13)."""
    facts = {
        "accident_type": "disease",
        "accident_date": "2019-05-01",
        "entry_date": "2023-11-01",
        "accident_location": "england",
        "injury": "30000",
        "other_protocol_damages": "20000",
        "letter_of_claim_date": "2023-10-01",
        "claim_category": "none",
        "more_than_one_employer": False,
        "uninsured_driver": None,
    }
    code, out, _ = run(capsys, "route", write(tmp_path, facts), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["process"] == "intermediate-track"
    assert data["facts"]["letter_of_claim_date"] == "2023-10-01"
    assert [p["counted_for_track"] for p in data["value_parts"]] == [True, True, True, False]
    code, out, _ = run(capsys, "route", write(tmp_path, {**facts, "letter_of_claim_date": None}))
    assert code == 1
    assert "letter_of_claim_date" in out


def test_a_bad_new_input_exits_2(capsys, tmp_path):
    """The route-facts schema: a letter of claim before the accident (SI 2023/572
    r.2(2)(b)) and an unknown claim category are refused, each on its own line."""
    facts = {**CYCLIST, "letter_of_claim_date": "2023-01-01", "claim_category": "asbestos"}
    code, out, err = run(capsys, "route", write(tmp_path, facts))
    assert code == 2
    assert out == ""
    assert "$.claim_category" in err
    facts = {**CYCLIST, "letter_of_claim_date": "2023-01-01"}
    code, _, err = run(capsys, "route", write(tmp_path, facts))
    assert code == 2
    assert "$.letter_of_claim_date: a letter of claim cannot be sent before the accident" in err
