"""Tests for the ``eligibility`` subcommand: exit 0 eligible, 1 not or undecided, 2 bad input."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from rtaprotocol.cli import COMMANDS, main

ELIGIBLE: dict[str, Any] = {
    "accident_date": "2023-03-01",
    "entry_date": "2023-04-03",
    "date_of_birth": "2005-04-03",
    "accident_location": "england",
    "road_user": "vehicle-occupant",
    "someone_else_to_blame": True,
    "other_vehicle_registration_known": True,
    "other_vehicle_uk_registered": True,
    "claimant_protected_party": False,
    "defendant_protected_party": False,
    "health_and_safety_breach": False,
    "defendant_road_user": True,
    "untraced_driver": False,
    "claimant_personal_representative": False,
    "defendant_personal_representative": False,
    "claimant_bankrupt": False,
    "injury": "5000.00",
    "other_protocol_damages": 5000,
    "non_protocol_vehicle_costs": "12000",
}


def write(tmp_path: Path, data: Any, name: str = "facts.json") -> str:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return str(path)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_eligibility_is_registered():
    """The subcommand is listed in COMMANDS next to the others."""
    assert "eligibility" in COMMANDS


def test_eligible_claim_exits_0_with_every_criterion(capsys, tmp_path):
    """An eligible claim prints the verdict and every criterion with its reference; exit 0."""
    code, out, err = run(capsys, "eligibility", write(tmp_path, ELIGIBLE))
    assert code == 0
    assert out.startswith("Eligible")
    assert out.count("| met") == 18
    assert "guide 4.2; protocol para 4.3" in out
    assert "Limitation deadline: 2026-04-03" in out
    assert err == ""


def test_refused_claim_exits_1_with_reasons_and_redirect(capsys, tmp_path):
    """Every reason is printed with its reference, and the MIB redirect; exit 1."""
    facts = {**ELIGIBLE, "road_user": "pedestrian", "other_vehicle_registration_known": False}
    code, out, _ = run(capsys, "eligibility", write(tmp_path, facts))
    assert code == 1
    assert out.startswith("Not eligible")
    assert "vulnerable_road_user" in out
    assert "registration_unknown" in out
    assert "Motor Insurers' Bureau" in out
    assert "guide 4.3" in out


def test_undecided_claim_exits_1_with_questions(capsys, tmp_path):
    """Unknown answers give "cannot tell yet" and the questions to ask; exit 1."""
    facts = {"accident_date": "2023-03-01", "entry_date": "2023-04-03"}
    code, out, _ = run(capsys, "eligibility", write(tmp_path, facts))
    assert code == 1
    assert out.startswith("Cannot tell yet")
    assert "What is your date of birth?" in out


def test_json_output(capsys, tmp_path):
    """--json prints the result's data: verdict, reasons, questions and the facts read."""
    facts = {**ELIGIBLE, "claimant_bankrupt": True, "untraced_driver": None}
    code, out, _ = run(capsys, "eligibility", write(tmp_path, facts), "--json")
    assert code == 1
    data = json.loads(out)
    assert data["eligible"] is False
    assert [r["code"] for r in data["reasons"]] == ["claimant_bankrupt"]
    assert [q["field"] for q in data["questions"]] == ["untraced_driver"]
    assert data["facts"]["other_protocol_damages"] == "5000.00"
    assert data["value_limits"]["non_protocol_vehicle_costs"] == "12000.00"


def test_limitation_warning_days_option(capsys, tmp_path):
    """--limitation-warning-days widens the warning window (guide 5.4)."""
    path = write(tmp_path, ELIGIBLE)  # deadline 2026-04-03, 1096 days after entry
    _, out, _ = run(capsys, "eligibility", path, "--json")
    assert json.loads(out)["warnings"] == []
    code, out, _ = run(capsys, "eligibility", path, "--json", "--limitation-warning-days", "1096")
    assert code == 0
    assert [w["code"] for w in json.loads(out)["warnings"]] == ["limitation_near"]


def test_reads_standard_input(capsys, monkeypatch):
    """A path of "-" reads the facts from standard input."""
    raw = io.BytesIO(json.dumps(ELIGIBLE).encode())
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(raw, encoding="utf-8"))
    code, out, _ = run(capsys, "eligibility", "-")
    assert code == 0
    assert out.startswith("Eligible")


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("{not json", "not valid JSON"),
        ("", "not valid JSON"),
        ('{"accident_date": "2023-03-01", "accident_date": "2023-03-02"}', "twice"),
        ('{"accident_date": "2023-03-01", "entry_date": "2023-04-03", "injury": NaN}',
         "NaN and Infinity"),
        ("[]", "must be a JSON object"),
        ('{"accident_date": "2023-03-01"}', "entry_date: required key is missing"),
        ('{"accident_date": "2023-03-01", "entry_date": "2023-04-03", "colour": 1}',
         "unknown key"),
        ('{"accident_date": "2023-03-01", "entry_date": "2023-02-28"}', "before the accident"),
        ('{"accident_date": "2023-03-01", "entry_date": "2023-04-03", "injury": 10.505}',
         "more than two decimal places"),
        ('{"accident_date": "2023-03-01", "entry_date": "2023-04-03", "road_user": "car"}',
         "not one of RoadUserRole"),
    ],
)  # fmt: skip
def test_bad_facts_exit_2_with_one_line(capsys, tmp_path, content: str, fragment: str):
    """Invalid JSON or facts print one line on stderr, with the rule, and exit 2."""
    code, out, err = run(capsys, "eligibility", write(tmp_path, content))
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("rtaprotocol eligibility: error: ")
    assert fragment in err
    assert "[" in err
    assert err.rstrip().endswith("]")


def test_unreadable_files_exit_2(capsys, tmp_path):
    """A missing file, a directory and a non-UTF-8 file are bad input, not tracebacks."""
    (tmp_path / "latin1.json").write_bytes(b'{"a": "\xe9"}')
    for path, fragment in (
        (tmp_path / "missing.json", "cannot read the file"),
        (tmp_path, "is a directory"),
        (tmp_path / "latin1.json", "not UTF-8"),
    ):
        code, _, err = run(capsys, "eligibility", str(path))
        assert code == 2
        assert fragment in err
        assert "rtaprotocol schema claim-facts" in err


def test_deeply_nested_json_exits_2(capsys, tmp_path):
    """Regression: JSON nested past Python's recursion limit is bad input, not a traceback."""
    code, out, err = run(capsys, "eligibility", write(tmp_path, "[" * 100_000 + "]" * 100_000))
    assert code == 2
    assert out == ""
    assert "nested more than 64 deep" in err
    assert err.count("\n") == 1


@pytest.mark.parametrize(
    "argv",
    [
        ["eligibility"],
        ["eligibility", "facts.json", "--limitation-warning-days", "soon"],
    ],
)
def test_usage_errors_exit_2(capsys, argv: list[str]):
    """A missing path or a non-number window is a usage error: exit 2."""
    assert main(argv) == 2
    assert "error" in capsys.readouterr().err


def test_negative_warning_window_exits_2(capsys, tmp_path):
    """A negative warning window is refused with its rule."""
    code, _, err = run(
        capsys, "eligibility", write(tmp_path, ELIGIBLE), "--limitation-warning-days", "-1"
    )
    assert code == 2
    assert "guide 5.4" in err


def test_console_script_end_to_end(tmp_path):
    """``python -m rtaprotocol.cli eligibility`` runs in a fresh process with the exit code."""
    proc = subprocess.run(
        [sys.executable, "-m", "rtaprotocol.cli", "eligibility", write(tmp_path, ELIGIBLE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0
    assert proc.stdout.startswith("Eligible")
