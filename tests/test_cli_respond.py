"""Tests for the ``respond`` subcommand: exit 0 ok, 1 paper route, 2 bad input."""

from __future__ import annotations

import json

import pytest

from rtaprotocol.cli import COMMANDS, main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_registered():
    assert "respond" in COMMANDS


def test_deadlines_only(capsys):
    code, out, err = run(capsys, "respond", "--served", "2023-01-12")
    assert code == 0
    assert out.startswith("Defence due by 2023-01-26")
    assert err == ""


def test_acknowledged_with_extension_and_reject_all_stays_online(capsys):
    code, out, _ = run(
        capsys, "respond", "--served", "2023-01-12", "--acknowledged", "--extension-days", "28",
        "--response", "reject-all", "--issued", "2022-12-01", "--json",
    )  # fmt: skip
    assert code == 0
    data = json.loads(out)
    assert data["deadlines"]["defence_deadline"] == "2023-03-09"
    assert data["route"]["route"] == "online"
    assert data["route"]["online_required"] is True


def test_other_responses_go_to_paper_and_exit_1(capsys):
    code, out, _ = run(capsys, "respond", "--served", "2023-01-12", "--response", "admit-part")
    assert code == 1
    assert "paper route" in out


def test_claim_form_step_and_extra_holiday(capsys):
    code, out, _ = run(
        capsys, "respond", "--claim-form-step", "2023-01-12", "--extra-holiday", "2023-01-30",
        "--json",
    )  # fmt: skip
    assert code == 0
    data = json.loads(out)
    assert data["deadlines"]["particulars_served"] == "2023-01-16"
    assert data["deadlines"]["defence_deadline"] == "2023-01-31"


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["--served", "2023-01-12", "--extension-days", "29"], "CPR 15.5(1)"),
        (["--served", "12/01/2023"], "served"),
        (["--served", "2023-01-12", "--issued", "x", "--response", "reject-all"], "issued"),
    ],
)
def test_bad_values_exit_2_in_one_line(capsys, argv, fragment):
    code, out, err = run(capsys, "respond", *argv)
    assert code == 2
    assert out == ""
    assert fragment in err
    assert err.count("\n") == 1


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["--served", "2023-01-12", "--response", "defend"], "invalid choice"),
        ([], "required"),
        (["--served", "2023-01-12", "--claim-form-step", "2023-01-10"], "not allowed"),
        (["--served", "2023-01-12", "--represented", "--unrepresented"], "not allowed"),
    ],
)
def test_usage_errors_exit_2_in_one_line(capsys, argv, fragment):
    assert main(["respond", *argv]) == 2
    _, err = capsys.readouterr()
    assert fragment in err
    assert err.count("\n") == 1


def test_an_unrepresented_defendants_paper_response_goes_on_paper_not_returned(capsys):
    """Seed 001 binds legal representatives; PD 51ZB para 3.10: an unrepresented
    defendant's paper response is not returned; the claim goes on on paper (exit 1)."""
    code, out, _ = run(
        capsys, "respond", "--served", "2023-01-12", "--response", "reject-all",
        "--issued", "2023-01-03", "--filed-on-paper", "--unrepresented", "--json",
    )  # fmt: skip
    assert code == 1
    route = json.loads(out)["route"]
    assert (route["paper_response_returned"], route["represented"], route["route"]) == (
        False, False, "paper"
    )  # fmt: skip


def test_a_represented_defendants_paper_response_is_returned_exit_1(capsys):
    """Seed 001: a legal representative's paper response is returned unless a reason is
    given (exit 1 even for reject-all); with a reason it is for the court (exit 0)."""
    argv = ["respond", "--served", "2023-01-12", "--response", "reject-all", "--issued",
            "2023-01-03", "--filed-on-paper", "--represented"]  # fmt: skip
    code, out, _ = run(capsys, *argv)
    assert code == 1
    assert "is returned unless an acceptable reason is given" in out
    code, out, _ = run(capsys, *argv, "--paper-reason", "portal outage", "--json")
    assert code == 0
    assert json.loads(out)["route"]["paper_response_returned"] is False


def test_representation_unknown_is_asked(capsys):
    """Seed 001: when it decides a paper response's fate, representation is asked."""
    code, out, _ = run(
        capsys, "respond", "--served", "2023-01-12", "--response", "reject-all",
        "--issued", "2023-01-03", "--filed-on-paper", "--json",
    )  # fmt: skip
    assert code == 0
    route = json.loads(out)["route"]
    assert route["paper_response_returned"] is None
    assert route["questions"]
