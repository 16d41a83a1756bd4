"""Tests for the ``payment`` subcommand (guide 6.5.2 deductions)."""

from __future__ import annotations

import json

import pytest

from rtaprotocol.cli import COMMANDS, main

GUIDE_ARGS = [
    "payment",
    "--injury",
    "1000",
    "--injury-related",
    "1500",
    "--property",
    "1500",
    "--liability",
    "25",
    "--seatbelt",
    "10",
    "--cru",
    "injury-related=500",
    "--interim",
    "property=200",
]


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_payment_is_registered():
    """'payment' is one of the CLI's subcommands."""
    assert "payment" in COMMANDS


def test_payment_text_is_the_guides_table(capsys):
    """The guide's example prints its table and the £2,112.50 total."""
    code, out, err = run(capsys, *GUIDE_ARGS)
    assert code == 0
    assert err == ""
    lines = out.splitlines()
    assert lines[0] == "Payment: £2,112.50 (guide 6.5.2)"
    assert any(line.startswith("10% no seatbelt") and "£1,012.50" in line for line in lines)
    assert "£925.00" in out


def test_payment_json(capsys):
    """--json prints the breakdown as exact data."""
    code, out, _ = run(capsys, *GUIDE_ARGS, "--json")
    assert code == 0
    data = json.loads(out)
    assert data["total"] == "2112.50"
    assert data["net_by_head"] == {
        "injury": "675.00",
        "injury-related": "512.50",
        "property": "925.00",
    }
    assert data["steps"][2]["deduction"]["injury-related"] == "500.00"


def test_payment_defaults_to_no_deductions(capsys):
    """Heads not given are zero and deductions default to none."""
    code, out, _ = run(capsys, "payment", "--property", "99.99", "--json")
    assert code == 0
    assert json.loads(out)["total"] == "99.99"


def test_payment_general_interim_and_seatbelt_heads(capsys):
    """--general-interim comes off the total; --seatbelt-head picks the heads."""
    code, out, _ = run(
        capsys,
        "payment",
        "--injury",
        "100",
        "--property",
        "100",
        "--seatbelt",
        "50",
        "--seatbelt-head",
        "property",
        "--general-interim",
        "10",
        "--json",
    )
    assert code == 0
    data = json.loads(out)
    assert data["net_by_head"]["property"] == "50.00"
    assert data["net_by_head"]["injury"] == "100.00"
    assert data["total"] == "140.00"
    assert data["seatbelt_heads"] == ["property"]


def test_payment_reports_amounts_not_set_off(capsys):
    """An interim payment larger than its head is noted under the table."""
    code, out, _ = run(capsys, "payment", "--property", "100", "--interim", "property=150")
    assert code == 0
    assert "Note: interim of £50.00 against property not set off" in out


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["payment", "--cru", "injury=5"], "Social Security (Recovery of Benefits) Act 1997"),
        (["payment", "--interim", "injury=5"], "guide 6.3.1.4"),
        (["payment", "--liability", "101"], "claimant_liability_percent: percentage is above 100"),
        (["payment", "--seatbelt", "-1"], "seatbelt_percent: percentage is negative"),
        (["payment", "--injury", "-10"], "heads[injury]: amount is negative"),
        (["payment", "--property", "£10"], "argument --property: not a number"),
        (["payment", "--cru", "injury-related"], "argument --cru: expected HEAD=AMOUNT"),
        (["payment", "--cru", "car=5"], "not one of Head"),
        (["payment", "--cru", "property=1", "--cru", "property=2"], "head given twice"),
        (["payment", "--interim", "property=1.001"], "interim[property]"),
        (["payment", "--general-interim", "x"], "argument --general-interim: not a number"),
    ],
)
def test_payment_bad_input_exits_2(capsys, argv, fragment):
    """Bad input is one line on stderr naming the value and rule, and exit code 2."""
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert fragment in err
    assert len(err.strip().splitlines()) == 1


def test_payment_unknown_seatbelt_head_is_a_usage_error(capsys):
    """An unknown --seatbelt-head is refused by the parser with exit code 2."""
    assert main(["payment", "--seatbelt-head", "psla"]) == 2
    assert "invalid choice" in capsys.readouterr().err
