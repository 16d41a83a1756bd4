"""Tests for the ``lowvalue`` subcommand: Claims Portal periods and fixed costs (issue 23)."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stdout
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rtaprotocol import fixed_costs
from rtaprotocol.cli import COMMANDS, main
from strategies import money


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_registered():
    """The subcommand is listed in COMMANDS."""
    assert "lowvalue" in COMMANDS


def test_mib_cnf_response_is_30_business_days(capsys):
    """RTA Protocol para 6.11: --mib gives the MIB's 30 business days, not the insurer's 15."""
    code, out, err = run(capsys, "lowvalue", "deadline", "rta", "cnf_response", "2023-12-20")
    assert (code, err) == (0, "")
    assert "-> 2024-01-15" in out
    code, out, _ = run(
        capsys, "lowvalue", "deadline", "rta", "cnf_response", "2023-12-20", "--mib", "--json"
    )
    assert code == 0
    data = json.loads(out)
    assert data["deadline"] == "2024-02-05"
    assert data["period"]["business_days"] == 30
    assert data["mib"] is True


def test_mib_with_the_el_pl_protocol_is_bad_input(capsys):
    """RTA Protocol para 1.1(3)(c), 6.11: the MIB is refused under the EL/PL Protocol (exit 2)."""
    code, out, err = run(
        capsys, "lowvalue", "deadline", "el", "cnf_response", "2024-01-02", "--mib"
    )
    assert (code, out) == (2, "")
    assert "mib: the MIB is a defendant only under the RTA Protocol" in err


@pytest.mark.parametrize(
    ("accrued", "rule"), [("2023-09-30", "CPR 45.18(3)"), ("2023-10-01", "CPR 45.3")]
)
def test_london_weighting_through_the_cli(capsys, accrued, rule):
    """CPR 45.18(3) / 45.3: --london adds 12.5% to the Stage 2 costs (£300 -> £337.50), on
    both sides of 1 October 2023 (SI 2023/572 r.2(2)(a)), with the rule named."""
    code, out, err = run(
        capsys, "lowvalue", "costs", "rta", "2", "5000", "--accrued-on", accrued, "--london",
        "--json",
    )  # fmt: skip
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert (data["base_amount"], data["london_weighting"], data["amount"]) == (
        "300.00", "37.50", "337.50"
    )  # fmt: skip
    assert rule in data["reference"]
    code, out, _ = run(capsys, "lowvalue", "costs", "rta", "2", "5000", "--accrued-on", accrued)
    assert code == 0
    assert "£300.00" in out
    assert "London" not in out


@settings(max_examples=25)
@given(money(25_000), st.sampled_from(["1", "2"]))
def test_cli_london_weighting_matches_the_library(damages, stage):
    """CPR 45.3: the CLI's London figure is the library's: 12.5% more, never less."""
    buf = io.StringIO()
    with redirect_stdout(buf):
        code = main(
            ["lowvalue", "costs", "pl", stage, str(damages), "--accrued-on", "2024-01-02",
             "--london", "--json"]
        )  # fmt: skip
    assert code == 0
    data = json.loads(buf.getvalue())
    expected = fixed_costs("pl", int(stage), damages, accrued_on=date(2024, 1, 2), london=True)
    assert Decimal(data["amount"]) == expected.amount
    assert Decimal(data["amount"]) >= Decimal(data["base_amount"])


def test_stage3_child_advice_fee(capsys):
    """CPR 45.18(2): Stage 3 Type C (the child-settlement advice fee) is £150, [U]."""
    code, out, _ = run(
        capsys, "lowvalue", "costs", "el", "3", "5000", "--accrued-on", "2022-06-01",
        "--stage3-type", "C", "--json",
    )  # fmt: skip
    assert code == 0
    data = json.loads(out)
    assert (data["amount"], data["stage3_type"], data["confidence"]) == ("150.00", "C", "U")


def test_a_cnf_date_alone_from_1_october_2023_asks_for_the_accrual_date(capsys):
    """SI 2023/572 r.2(2)(a): a CNF sent on 30 September 2023 answers; one sent on 1 October
    2023 cannot say which rules apply, so the accrual date is asked for (exit 2)."""
    code, out, _ = run(
        capsys, "lowvalue", "costs", "rta", "1", "5000", "--notified-on", "2023-09-30"
    )
    assert code == 0
    assert "£200.00" in out
    code, out, err = run(
        capsys, "lowvalue", "costs", "rta", "1", "5000", "--notified-on", "2023-10-01"
    )
    assert (code, out) == (2, "")
    assert "give accrued_on" in err


def test_stage2_late_offer_and_extension(capsys):
    """RTA Protocol para 7.36, 7.37: an offer on the last day opens 5 further business days;
    the agreed extension moves the end first."""
    code, out, _ = run(
        capsys, "lowvalue", "stage2", "rta", "2024-01-02", "--extension-days", "10",
        "--offer", "2024-03-05", "--json",
    )  # fmt: skip
    assert code == 0
    data = json.loads(out)
    assert data["total_consideration_end"] == "2024-03-05"
    assert data["further_consideration_end"] == "2024-03-12"
    code, out, _ = run(capsys, "lowvalue", "stage2", "rta", "2024-01-02")
    assert code == 0
    assert out.startswith("Stage 2 consideration ends 2024-02-20 [U]")


def test_interim_payment_periods(capsys):
    """RTA Protocol para 7.18, 7.19: £1,000 in 10 business days, more in 15."""
    code, out, _ = run(capsys, "lowvalue", "interim", "rta", "1000", "2024-03-01")
    assert code == 0
    assert "-> 2024-03-15" in out
    code, out, _ = run(
        capsys, "lowvalue", "interim", "rta", "1500", "2024-03-01", "--extra-holiday", "2024-03-04"
    )
    assert code == 0
    assert "-> 2024-03-25" in out


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["lowvalue"], "the following arguments are required"),
        (["lowvalue", "deadline", "mib", "cnf_response", "2024-01-02"], "invalid choice"),
        (["lowvalue", "costs", "rta", "4", "5000", "--accrued-on", "2024-01-02"], "invalid choice"),
        (["lowvalue", "costs", "rta", "1", "lots", "--accrued-on", "2024-01-02"], "not a number"),
        (["lowvalue", "costs", "rta", "1", "5000"], "give accrued_on"),
        (["lowvalue", "costs", "rta", "3", "5000", "--accrued-on", "2024-01-02"], "stage3_type"),
        (["lowvalue", "costs", "rta", "1", "5000", "--accrued-on", "2024-13-01"], "accrued_on"),
        (["lowvalue", "stage2", "rta", "2024-01-02", "--offer", "2024-02-21"], "offers[0]"),
        (["lowvalue", "stage2", "rta", "2024-01-02", "--extension-days", "-1"], "negative"),
        (["lowvalue", "interim", "rta", "999.99", "2024-03-01"], "£1,000"),
    ],
)
def test_bad_input_exits_2_with_one_line(capsys, argv, fragment):
    """Every refusal is one line on stderr naming the field, and exit 2."""
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert fragment in err
