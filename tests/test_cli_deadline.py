"""Tests for the CLI entry point and the ``deadline`` subcommand."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from rtaprotocol.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_deadline_text(capsys):
    """The due date is printed with the rule it used."""
    code, out, err = run(capsys, "deadline", "liability-response", "2023-05-02")
    assert code == 0
    assert out.startswith("2023-06-15 (Thursday)")
    assert "30 business days" in out
    assert "guide 6.3.1" in out
    assert err == ""


def test_deadline_json(capsys):
    """--json prints machine-readable data."""
    code, out, _ = run(capsys, "deadline", "offer-withdrawal", "2022-09-09", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["due_date"] == "2022-09-26"  # 19 September: state funeral
    assert data["business_days"] == 10
    assert data["reference"] == "guide 6.5.5"


def test_deadline_extra_holiday(capsys):
    """--extra-holiday moves the count."""
    _, out, _ = run(capsys, "deadline", "payment", "2030-05-31", "--json")
    assert json.loads(out)["due_date"] == "2030-06-14"
    _, out, _ = run(
        capsys, "deadline", "payment", "2030-05-31", "--extra-holiday", "2030-06-03", "--json"
    )
    assert json.loads(out)["due_date"] == "2030-06-17"


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["deadline", "liability-response", "2023-13-01"], "event_date: no such date"),
        (["deadline", "liability-response", "1999-01-01"], "2000-01-01 to 2100-12-31"),
        (["deadline", "liability-response", "2100-12-30"], "outside the supported range"),
        (["deadline", "liability", "2023-01-01"], "invalid choice"),
        (["deadline"], "required"),
        ([], "required"),
        (["deadline", "offer", "2023-01-01", "--extra-holiday", "soon"], "extra_holiday: not a"),
        (["deadline", "offer", "2023-01-01", "--extra-holiday", "1999-12-31"], "2000-01-01"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(capsys, argv, fragment):
    """Bad input prints one clear line on stderr and exits 2, no traceback."""
    assert main(argv) == 2  # argparse's own usage errors too: main returns the code
    _, err = capsys.readouterr()
    assert fragment in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_console_script_runs():
    """python -m rtaprotocol.cli works as a real process."""
    proc = subprocess.run(
        [sys.executable, "-m", "rtaprotocol.cli", "deadline", "offer", "2023-05-02"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0
    assert proc.stdout.startswith("2023-06-01 (Thursday)")


@pytest.mark.parametrize(
    "text", ["20230502", "2023-W18-2", "2023-5-2", "02/05/2023", "2023-05-02T10:00"]
)
def test_only_yyyy_mm_dd_dates(capsys, text):
    """Dates on the command line are YYYY-MM-DD only: compact and week forms are refused."""
    code = main(["deadline", "offer", text])
    assert code == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err
