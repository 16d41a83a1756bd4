"""Tests for the ``transfer`` subcommand: exit 0 allowed, 1 refused, 2 bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from rtaprotocol.cli import COMMANDS, main

GOOD: dict[str, Any] = {
    "from_organisation": "claimant-representative",
    "to_organisation": "claimant-representative",
    "claim_count": 120,
    "transfer_date": "2024-03-01",
    "third_parties": [{"name": "Insurer plc", "notified_on": "2024-02-01"}],
    "portal_contacted": True,
}


def write(tmp_path: Path, data: Any) -> str:
    path = tmp_path / "request.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return str(path)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_registered():
    assert "transfer" in COMMANDS


def test_allowed_with_a_warning_exits_0(capsys, tmp_path):
    code, out, err = run(capsys, "transfer", write(tmp_path, GOOD))
    assert code == 0
    assert out.startswith("Transfer allowed")
    assert "notifier_not_recorded" in out
    assert err == ""


def test_refused_exits_1_listing_every_problem(capsys, tmp_path):
    """Seed 000: different organisation types and no contact with Claims Portal Ltd are
    refusals (exit 1); fewer than 100 claims is a warning listed beside them."""
    request = {
        **GOOD,
        "to_organisation": "compensator",
        "claim_count": 3,
        "portal_contacted": False,
    }
    code, out, _ = run(capsys, "transfer", write(tmp_path, request), "--json")
    assert code == 1
    data = json.loads(out)
    assert [f["code"] for f in data["refusals"]] == [
        "different_organisation_types",
        "portal_not_contacted",
    ]
    assert "fewer_than_100_claims" in [f["code"] for f in data["warnings"]]


def test_portal_contact_not_recorded_is_refused_and_few_claims_only_warned(capsys, tmp_path):
    """Seed 000, "you must contact us as soon as possible": a file without portal_contacted
    is refused (exit 1); with it, 3 claims are allowed with a warning (exit 0)."""
    request = {k: v for k, v in GOOD.items() if k != "portal_contacted"}
    code, out, _ = run(capsys, "transfer", write(tmp_path, request))
    assert code == 1
    assert "portal_contact_not_recorded" in out
    code, out, _ = run(capsys, "transfer", write(tmp_path, {**GOOD, "claim_count": 3}))
    assert code == 0
    assert "fewer_than_100_claims" in out


def test_bad_input_exits_2_with_every_problem(capsys, tmp_path):
    code, out, err = run(capsys, "transfer", write(tmp_path, {"claim_count": "x"}))
    assert code == 2
    assert out == ""
    assert err.count("rtaprotocol transfer: error: $.") == 4
    assert "$.claim_count" in err
    assert "Traceback" not in err
