"""Tests for the ``losses`` subcommand: a List of Losses by head and type, and CRU set-off."""

from __future__ import annotations

import json
from importlib.resources import files

import pytest

from rtaprotocol.cli import COMMANDS, main

EXAMPLE = json.loads(
    (files("rtaprotocol") / "data" / "examples" / "list-of-losses.json").read_text("utf-8")
)


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def write(tmp_path):
    def _write(data, name="losses.json"):
        path = tmp_path / name
        path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
        return path

    return _write


def test_losses_is_registered():
    assert "losses" in COMMANDS


def test_the_guide_example_in_text(capsys, write):
    """Guide 6.5.2.2: £2,112.50, CRU against the loss of earnings; the credit hire apart."""
    code, out, err = run(capsys, "losses", write(EXAMPLE), "--liability", 25, "--seatbelt", 10)
    assert code == 0, err
    assert "Payment: £2,112.50" in out
    assert "not counted (non-protocol vehicle cost)" in out
    assert "£4,000.00 counted towards the limits" in out
    assert "earnings | 0" in out
    assert "CRU not set off: £0.00" in out


def test_json_output_and_cru_from_a_flag(capsys, write, tmp_path):
    without = {k: v for k, v in EXAMPLE.items() if k != "cru_certificate"}
    cert = write({"earnings": "2000.00", "care": "10"}, name="cru.json")
    code, out, _ = run(capsys, "losses", write(without), "--cru-certificate", cert, "--json")
    assert code == 0
    data = json.loads(out)
    assert data["losses"]["totals"]["counted_total"] == "4000.00"
    assert data["losses"]["totals"]["non_protocol_vehicle_costs"] == "2400.00"
    earnings, care, _ = data["payment"]["cru"]
    assert (earnings["set_off"], earnings["not_set_off"]) == ("1500.00", "500.00")
    assert (care["set_off"], care["not_set_off"]) == ("0.00", "10.00")
    code, out, _ = run(capsys, "losses", write(without), "--json")
    assert json.loads(out)["cru_certificate"] is None


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        ([], "JSON object"),
        ({"items": [{"type": "car", "amount": "1"}]}, "$.items[0].type"),
        ({"items": [{"type": "injury-care-costs", "amount": "1", "paid_by": "insurer"}]},
         "only the five vehicle costs"),
        ({"cru_certificate": {"pension": "1"}}, "$.pension"),
        ({"items": [], "colour": "red"}, "$.colour"),
    ],
)  # fmt: skip
def test_bad_files_exit_2_with_the_problem(capsys, write, data, needle):
    code, out, err = run(capsys, "losses", write(data))
    assert code == 2
    assert out == ""
    assert needle in err
    assert "Traceback" not in err


def test_certificate_twice_and_an_unreadable_file(capsys, write, tmp_path):
    cert = write({"earnings": "1"}, name="cru.json")
    code, _, err = run(capsys, "losses", write(EXAMPLE), "--cru-certificate", cert)
    assert code == 2
    assert "not both" in err
    code, _, err = run(capsys, "losses", tmp_path / "missing.json")
    assert code == 2
    code, _, err = run(capsys, "losses", write(EXAMPLE), "--max-bytes", 10)
    assert code == 2
    assert "limit" in err
