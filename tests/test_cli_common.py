"""Tests for the CLI's shared input doors (rtaprotocol.cli._common), through every subcommand.

Each failure class is checked on every subcommand that has the input: one line on stderr,
exit 2, never a traceback (issue 10, items 5, 6 and 7).
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from pathlib import Path

import pytest

from rtaprotocol.cli import main
from rtaprotocol.cli._common import (
    DEFAULT_MAX_INPUT_BYTES,
    MAX_NUMBER_ARGUMENT_CHARS,
    date_argument,
    number_argument,
    read_json_file,
    whole_number_argument,
)
from rtaprotocol.errors import RulesError

ARABIC_INDIC = "١٣٩٠"  # 1390
FULL_WIDTH = "１３９０"  # 1390
NBSP = "1390\u00a0"  # a trailing no-break space, which Decimal() strips
HUGE = "9" * 5000  # more digits than Python's int-to-str limit (4,300)

FACTS = {
    "accident_date": "2023-03-01",
    "entry_date": "2023-04-03",
}
EVENTS = [{"kind": "offer", "on": "2023-05-02", "party": "compensator", "amount": "1500"}]


def one_line_exit_2(capsys, argv) -> str:
    """Run the CLI; assert exit 2 and exactly one line on stderr, no traceback; return it."""
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert code == 2, (code, out, err)
    assert out == ""
    assert err.count("\n") == 1, err
    assert "Traceback" not in err
    assert err.startswith("rtaprotocol")
    return err


# --- numbers and dates on the command line ------------------------------------------------

NUMBER_ARGUMENTS = [
    ["mixed", "{}", "2500"],
    ["mixed", "1390", "{}"],
    ["mixed", "1390", "2500", "--overlap", "{}"],
    ["payment", "--injury", "{}"],
    ["payment", "--injury-related", "{}"],
    ["payment", "--property", "{}"],
    ["payment", "--liability", "{}"],
    ["payment", "--seatbelt", "{}"],
    ["payment", "--general-interim", "{}"],
    ["payment", "--property", "100", "--cru", "property={}"],
    ["payment", "--property", "100", "--interim", "property={}"],
    ["tariff", "{}", "--accident-date", "2024-03-01"],
    ["tariff", "7", "--accident-date", "2024-03-01", "--uplift", "{}"],
    ["eligibility", "facts.json", "--limitation-warning-days", "{}"],
    ["eligibility", "facts.json", "--max-bytes", "{}"],
    ["negotiate", "events.json", "--max-bytes", "{}"],
]
DATE_ARGUMENTS = [
    ["deadline", "offer", "{}"],
    ["tariff", "7", "--accident-date", "{}"],
    ["negotiate", "events.json", "--on", "{}"],
    ["deadline", "offer", "2024-01-02", "--extra-holiday", "{}"],
    ["negotiate", "events.json", "--extra-holiday", "{}"],
]


@pytest.fixture
def files(tmp_path, monkeypatch):
    """Run in a folder holding a valid facts file and a valid events file."""
    (tmp_path / "facts.json").write_text(json.dumps(FACTS), encoding="utf-8")
    (tmp_path / "events.json").write_text(json.dumps(EVENTS), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("bad", [ARABIC_INDIC, FULL_WIDTH, NBSP, HUGE, "1e3", "0x10", "1_000"])
@pytest.mark.parametrize("template", NUMBER_ARGUMENTS, ids=lambda t: " ".join(t[:3]))
def test_every_number_argument_is_ascii_and_bounded(capsys, files, template, bad):
    """Arabic-Indic and full-width digits, a no-break space, 5,000 digits, exponents, hex
    and underscores are refused by every numeric argument, as one line and exit 2 (int()
    and Decimal() would accept most of them; a huge int cannot even be printed)."""
    argv = [a.replace("{}", bad) for a in template]
    err = one_line_exit_2(capsys, argv)
    assert len(err) < 600
    if bad == HUGE:
        assert HUGE not in err


@pytest.mark.parametrize("bad", ["٢٠٢٣-٠٥-٠٢", "２０２３-０５-０２", "2023-05-02\u00a0", HUGE])
@pytest.mark.parametrize("template", DATE_ARGUMENTS, ids=lambda t: " ".join(t[:3]))
def test_every_date_argument_is_ascii(capsys, files, template, bad):
    """A date with other digits or a no-break space is refused (exit 2), not read."""
    err = one_line_exit_2(capsys, [a.replace("{}", bad) for a in template])
    assert len(err) < 600


@pytest.mark.parametrize("good", ["1390", "1390.5", "0.07", "-5", "+5", "007"])
def test_number_argument_passes_ascii_numbers_through_as_given(good):
    """A plain ASCII number is returned as typed, for the library's own door to judge."""
    assert number_argument(good) == good


def test_whole_number_and_date_arguments():
    """Counts are ASCII ints of at most 18 digits; dates are only checked for ASCII here."""
    assert whole_number_argument("0042") == 42
    assert whole_number_argument("-3") == -3
    assert whole_number_argument("9" * 18) == 10**18 - 1
    for bad in ["9" * 19, "١٦", "1.5", "", " 1"]:
        with pytest.raises(argparse.ArgumentTypeError):
            whole_number_argument(bad)
    assert date_argument("2024-01-02") == "2024-01-02"
    with pytest.raises(argparse.ArgumentTypeError, match=f"more than {MAX_NUMBER_ARGUMENT_CHARS}"):
        date_argument("2" * 41)


def test_valid_ascii_arguments_still_work(capsys):
    """The ASCII forms of the refused arguments give the usual answers."""
    assert main(["mixed", "1390", "2500", "--overlap", "790"]) == 0
    assert "£3,100.00" in capsys.readouterr().out
    assert main(["payment", "--injury", "100", "--cru", "property=0", "--liability", "12.5"]) == 0
    assert "£87.50" in capsys.readouterr().out


# --- input files: the one bounded reader ---------------------------------------------------

READERS = [
    pytest.param("eligibility", "facts", id="eligibility"),
    pytest.param("negotiate", "events_file", id="negotiate"),
]


def _bad_file(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


@pytest.mark.parametrize(("command", "field"), READERS)
@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "nested more than 64 deep"),
        (b'[{"amount": ' + b"9" * 5000 + b"}]", "JSON number longer than 100"),
        (b"[1e" + b"9" * 5000 + b"]", "JSON number longer than 100"),
        (b'{"a": "\xe9"}', "not UTF-8"),
        (b"{not json", "not valid JSON"),
        (b"", "not valid JSON"),
        (b'{"events": [], "events": []}', "the same key appears twice"),
        (b"[NaN]", "NaN and Infinity are not JSON"),
    ],
    ids=["deep", "huge int", "huge exponent", "latin-1", "not json", "empty", "dup key", "nan"],
)
def test_every_parse_failure_is_one_line(capsys, tmp_path, command, field, content, fragment):
    """Each way a file can fail to be JSON is one line naming the input, and exit 2."""
    err = one_line_exit_2(capsys, [command, _bad_file(tmp_path, "in.json", content)])
    assert fragment in err
    assert f"error: {field}: " in err


@pytest.mark.parametrize(("command", "field"), READERS)
def test_size_cap_is_checked_before_reading(capsys, tmp_path, command, field):
    """A 100 GiB (sparse) file is refused from its size alone, at once; --max-bytes sets
    the cap, and a file one byte over it is refused too."""
    huge = tmp_path / "huge.json"
    with huge.open("wb") as handle:
        handle.truncate(100 * 2**30)
    err = one_line_exit_2(capsys, [command, huge])
    assert f"more than the {DEFAULT_MAX_INPUT_BYTES}-byte limit" in err
    assert "--max-bytes" in err
    document = json.dumps(FACTS if command == "eligibility" else EVENTS).encode()
    small = _bad_file(tmp_path, "small.json", document.ljust(100))
    err = one_line_exit_2(capsys, [command, small, "--max-bytes", "99"])
    assert "100 bytes, more than the 99-byte limit" in err
    assert main([command, str(small), "--max-bytes", "100"]) in {0, 1}  # read and answered


@pytest.mark.parametrize(("command", "field"), READERS)
def test_device_files_and_directories(capsys, tmp_path, command, field):
    """/dev/zero is read only up to the cap (it never ends); a directory or a missing file
    is refused: each one line, exit 2."""
    err = one_line_exit_2(capsys, [command, "/dev/zero", "--max-bytes", "1000"])
    assert "more than the 1000-byte limit" in err
    assert "is a directory" in one_line_exit_2(capsys, [command, tmp_path])
    assert "cannot read the file" in one_line_exit_2(capsys, [command, tmp_path / "nope.json"])


@pytest.mark.parametrize(("command", "field"), READERS)
@pytest.mark.parametrize("bad", ["0", "-1", "١٦", HUGE])
def test_max_bytes_must_be_a_positive_ascii_count(capsys, files, command, field, bad):
    """--max-bytes takes an ASCII whole number of bytes, 1 or more."""
    path = "facts.json" if command == "eligibility" else "events.json"
    one_line_exit_2(capsys, [command, path, "--max-bytes", bad])


def _stdin(monkeypatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


@pytest.mark.parametrize(("command", "field"), READERS)
def test_standard_input_is_bounded_too(capsys, monkeypatch, command, field):
    """'-' reads standard input through the same reader: capped, and checked alike."""
    _stdin(monkeypatch, b"[" + b" " * 5000 + b"]")
    err = one_line_exit_2(capsys, [command, "-", "--max-bytes", "1000"])
    assert "more than the 1000-byte limit" in err
    _stdin(monkeypatch, b"[" * 1000 + b"]" * 1000)
    assert "nested more than 64 deep" in one_line_exit_2(capsys, [command, "-"])


def test_negotiate_reads_standard_input(capsys, monkeypatch):
    """negotiate - replays events given on standard input."""
    _stdin(monkeypatch, json.dumps(EVENTS).encode())
    assert main(["negotiate", "-"]) == 0
    assert "compensator |      1 | £1,500.00" in capsys.readouterr().out


def test_read_json_file_is_the_one_reader(tmp_path):
    """The reader itself: a valid document comes back; a bad one is a RulesError naming
    the field and reference given."""
    good = _bad_file(tmp_path, "good.json", b'{"a": [1, 2.5, "x"]}')
    assert read_json_file(str(good), field="f", reference="guide 4.1") == {"a": [1, 2.5, "x"]}
    with pytest.raises(RulesError, match=r"^f: .*\[guide 4\.1\]$"):
        read_json_file(str(good), field="f", reference="guide 4.1", max_bytes=3)
