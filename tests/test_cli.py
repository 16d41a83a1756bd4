"""Tests for the console script's entry point (rtaprotocol.cli.main): exit codes, --version,
every problem of an input on its own line, and a quiet exit on a broken pipe."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import rtaprotocol
from rtaprotocol.cli import COMMANDS, EXIT_BROKEN_PIPE, EXIT_CANNOT_WRITE, main, mixed
from rtaprotocol.errors import InvalidInput, RulesError

SRC = os.path.dirname(os.path.dirname(rtaprotocol.__file__))
ROOT = Path(__file__).resolve().parent.parent


def _cli(*argv: str) -> list[str]:
    return [sys.executable, "-m", "rtaprotocol.cli", *argv]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": SRC, "PYTHONIOENCODING": "utf-8"}


def test_version_prints_the_package_version(capsys):
    """--version prints the installed package's version and exits 0."""
    assert main(["--version"]) == 0
    out = capsys.readouterr().out
    assert out == f"rtaprotocol {rtaprotocol.__version__}\n"
    # The installed metadata is checked against the built wheel in tests/test_wheel.py;
    # here, the source tree's pyproject.toml (the one the wheel is built from).
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    declared = re.search(r'^version = "([^"]+)"$', pyproject, re.MULTILINE)
    assert declared is not None
    assert rtaprotocol.__version__ == declared[1] == "0.3.3"


def test_help_and_usage_errors_return_their_exit_codes(capsys):
    """main returns argparse's codes (0 for --help, 2 for a usage error), never raises."""
    assert main(["--help"]) == 0
    assert "negotiate" in capsys.readouterr().out
    assert main(["no-such-command"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "invalid choice" in err
    assert main([]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_every_problem_of_an_input_is_its_own_line(capsys, monkeypatch):
    """A RulesError with several problems (InvalidInput) prints each, one a line, exit 2;
    a message with a line break still takes one line."""

    def several(*_args, **_kwargs):
        raise InvalidInput(
            [
                RulesError("not a date", value="2023-02-30", field="$.a", reference="guide 4.1"),
                RulesError("two\nlines", value="x", field="$.b", reference="guide 4.2"),
                InvalidInput(
                    [RulesError("nested", value=1, field="$.c", reference="guide 4.3")],
                    reference="guide 6.3.1",
                ),
            ],
            reference="guide 6.3.1",
        )

    monkeypatch.setattr(mixed, "mixed_injury_award", several)
    assert main(["mixed", "1", "2"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines() == [
        "rtaprotocol mixed: error: $.a: not a date: got '2023-02-30' [guide 4.1]",
        "rtaprotocol mixed: error: $.b: two lines: got 'x' [guide 4.2]",
        "rtaprotocol mixed: error: $.c: nested: got 1 [guide 4.3]",
    ]


def test_every_bad_event_in_a_negotiate_file_is_reported(capsys, tmp_path):
    """negotiate checks every event and names each bad one (its JSON path from 0)."""
    events = [
        {"kind": "offer", "on": "2023-05-02", "party": "compensator", "amount": "1500"},
        {"kind": "offr", "on": "2023-05-03", "party": "claimant", "amount": "1600"},
        {"kind": "offer", "on": "2023-02-30", "party": "claimant", "amount": "1600"},
    ]
    path = tmp_path / "events.json"
    path.write_text(json.dumps(events), encoding="utf-8")
    assert main(["negotiate", str(path)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2
    assert "events[1]" in err[0]
    assert "events[2]" in err[1]


def test_payment_with_no_heads_prints_zero(capsys):
    """No heads at all is a valid (empty) claim: £0.00, exit 0, not a refusal."""
    assert main(["payment"]) == 0
    assert capsys.readouterr().out.startswith("Payment: £0.00")
    assert main(["payment", "--json", "--general-interim", "10"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total"] == "0.00"


def test_broken_pipe_exits_quietly_with_141():
    """The reader of standard output is gone before the command writes: no traceback, no
    'Exception ignored' line, exit 141 (128 + SIGPIPE), as a Unix tool stopped by SIGPIPE."""
    for argv in (
        ["mixed", "1390", "2500", "--overlap", "790"],
        ["mixed", "1390", "2500", "--overlap", "790", "--json"],
        ["deadline", "offer", "2024-01-02"],
    ):
        proc = subprocess.Popen(
            _cli(*argv),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=_env(),
        )
        assert proc.stdout is not None
        proc.stdout.close()  # long before the interpreter has started and written
        _, err = proc.communicate(timeout=60)
        assert err == b""
        assert proc.returncode == EXIT_BROKEN_PIPE


@pytest.mark.parametrize(
    "argv",
    [
        ["mixed", "1390", "2500", "--overlap", "790"],
        ["mixed", "1390", "2500", "--json"],
        ["sources", "--json"],
        ["--version"],
        ["deadline", "--help"],
    ],
)
def test_an_output_that_cannot_be_written_exits_74_with_one_line(argv):
    """Standard output on a full device (/dev/full): one line on stderr, no traceback, exit
    74, distinct from 1 (a negative answer) and 2 (bad input) (docs/cli.md); --help and
    --version too, whose failed write argparse would otherwise drop silently."""
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            _cli(*argv), stdout=full, stderr=subprocess.PIPE, env=_env(), timeout=60, check=False
        )
    err = done.stderr.decode()
    assert done.returncode == EXIT_CANNOT_WRITE == 74
    assert err == "rtaprotocol: error: cannot write the output: No space left on device\n"


def test_a_closed_standard_output_exits_74_with_one_line():
    """Started with standard output closed (`>&-`), the answer cannot be given: one line
    on stderr and exit 74, never a silent exit 0 (docs/cli.md)."""
    command = " ".join(_cli("mixed", "1390", "2500"))
    done = subprocess.run(
        ["bash", "-c", f"{command} >&-; echo $? >&2"],
        capture_output=True,
        env=_env(),
        timeout=60,
        check=True,
    )
    lines = done.stderr.decode().splitlines()
    assert lines == ["rtaprotocol: error: cannot write the output: standard output is closed", "74"]


def test_python_dash_m_rtaprotocol_runs_the_cli():
    """`python -m rtaprotocol` is the same command as the `rtaprotocol` script."""
    done = subprocess.run(
        [sys.executable, "-m", "rtaprotocol", "mixed", "1390", "2500", "--json"],
        capture_output=True,
        env=_env(),
        timeout=60,
        check=True,
    )
    assert json.loads(done.stdout)["total"] == "3890.00"
    bad = subprocess.run(
        [sys.executable, "-m", "rtaprotocol", "mixed", "x", "1"],
        capture_output=True,
        env=_env(),
        timeout=60,
        check=False,
    )
    assert bad.returncode == 2
    assert bad.stderr.decode().count("\n") == 1


def test_shell_pipe_into_head_is_quiet():
    """The issue's own command line: `... | head -c 1` prints one byte and nothing on
    stderr; the command's own status is 0 (head was still reading) or 141."""
    command = " ".join(_cli("mixed", "1390", "2500", "--overlap", "790"))
    done = subprocess.run(
        ["bash", "-c", f'{command} | head -c 1; echo " ${{PIPESTATUS[0]}}"'],
        capture_output=True,
        env=_env(),
        timeout=60,
        check=True,
    )
    assert done.stderr == b""
    first, status = done.stdout.decode().split(" ")
    assert first == "M"
    assert status.strip() in {"0", str(EXIT_BROKEN_PIPE)}


def test_every_command_is_listed():
    """COMMANDS names every subcommand module."""
    import pkgutil

    import rtaprotocol.cli

    modules = {
        m.name for m in pkgutil.iter_modules(rtaprotocol.cli.__path__) if not m.name.startswith("_")
    }
    assert set(COMMANDS) == modules
    assert len(COMMANDS) == len(set(COMMANDS))
    assert {"deadline", "tariff", "mixed", "eligibility", "negotiate", "payment"} <= modules


def test_ctrl_c_stops_with_130_and_one_line(monkeypatch, capsys):
    """Ctrl-C during a command: one line on stderr and exit 130 (128 + SIGINT), no traceback."""
    import rtaprotocol.cli.mixed

    def interrupted(args):
        raise KeyboardInterrupt

    monkeypatch.setattr(rtaprotocol.cli.mixed, "run", interrupted)
    assert main(["mixed", "1390", "2500"]) == 130
    out, err = capsys.readouterr()
    assert out == ""
    assert err == "rtaprotocol: interrupted\n"
