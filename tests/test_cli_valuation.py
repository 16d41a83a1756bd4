"""Tests for the ``tariff`` and ``mixed`` subcommands."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta

from rtaprotocol.cli import COMMANDS, main
from rtaprotocol.cli.tariff import parse_duration
from rtaprotocol.errors import RulesError


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_commands_are_registered():
    """Both subcommands are listed in COMMANDS."""
    assert {"tariff", "mixed"} <= set(COMMANDS)


def test_tariff_text(capsys):
    """The tariff award is printed as a table with the table, band and regulation."""
    code, out, err = run(capsys, "tariff", "7", "--accident-date", "2024-03-01")
    assert code == 0
    assert out.startswith("Tariff award: £840.00")
    assert "Table 1" in out
    assert "reg 2(1)(a)" in out
    assert err == ""


def test_tariff_psych_uplift_json(capsys):
    """--psych and --uplift select the column and uplift; --json prints the data."""
    code, out, _ = run(
        capsys, "tariff", "7", "--accident-date", "2024-03-01", "--psych", "--uplift", "10",
        "--json",
    )  # fmt: skip
    assert code == 0
    data = json.loads(out)
    assert data["base_amount"] == "895.00"
    assert data["uplift_percent"] == "10.00"  # percentages are canonical two-place strings
    assert data["amount"] == "984.50"
    assert data["psychological"] is True


def test_tariff_table_2_and_relativedelta_duration(capsys):
    """A 3m1d duration after 31 May 2025 is Table 2's second band."""
    code, out, _ = run(capsys, "tariff", "3m1d", "--accident-date", "2025-05-31", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["table"] == "Table 2"
    assert data["amount"] == "565.00"
    assert data["duration_end"] == "2025-09-01"


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["tariff", "25", "--accident-date", "2024-03-01"], "Civil Liability Act 2018 s.3"),
        (["tariff", "0", "--accident-date", "2024-03-01"], "Civil Liability Act 2018 s.3"),
        (["tariff", "7", "--accident-date", "2021-05-30"], "Civil Liability Act 2018 Part 1"),
        (["tariff", "7", "--accident-date", "2024-03-01", "--uplift", "21"], "reg 3(3)"),
        (["tariff", "seven", "--accident-date", "2024-03-01"], "not a duration"),
        (["tariff", "7", "--accident-date", "1/3/2024"], "YYYY-MM-DD"),
        (["tariff", "7", "--accident-date", "1/3/2024"], "accident_date:"),
        (["tariff", "9" * 5000 + "y", "--accident-date", "2024-03-01"], "not a tariff injury"),
        (["tariff", "1234567890d", "--accident-date", "2024-03-01"], "not a tariff injury"),
        (["mixed", "840", "3000", "--overlap", "900"], "Hassam v Rabot"),
        (["mixed", "840", "-3000"], "Hassam v Rabot"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(capsys, argv, needle):
    """Bad input prints one error line naming the rule and exits 2."""
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert needle in err
    assert err.startswith(f"rtaprotocol {argv[0]}: error:")


def test_tariff_requires_accident_date(capsys):
    """Without --accident-date argparse refuses with exit 2."""
    assert main(["tariff", "7"]) == 2
    assert "--accident-date" in capsys.readouterr().err


def test_mixed_text(capsys):
    """Rabot from the command line: £3,100 total, £1,710 non-whiplash after overlap."""
    code, out, err = run(capsys, "mixed", "1390", "2500", "--overlap", "790")
    assert code == 0
    assert out.startswith("Mixed injury award: £3,100.00")
    assert "£1,710.00" in out
    assert err == ""


def test_mixed_json(capsys):
    """Briggs as JSON."""
    code, out, _ = run(capsys, "mixed", "840", "3000", "--overlap", "340", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["total"] == "3500.00"
    assert data["non_tariff_after_overlap"] == "2660.00"


def test_mixed_without_overlap(capsys):
    """The overlap defaults to zero."""
    code, out, _ = run(capsys, "mixed", "840", "3000", "--json")
    assert code == 0
    assert json.loads(out)["total"] == "3840.00"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("7", Decimal(7)), ("3.5", Decimal("3.5")), (" 24 ", Decimal(24)),
     ("3m1d", relativedelta(months=3, days=1)), ("2y", relativedelta(years=2)),
     ("92d", relativedelta(days=92)), ("1Y2M3D", relativedelta(years=1, months=2, days=3))],
)  # fmt: skip
def test_parse_duration(text, expected):
    """Months as numbers, or years/months/days with y/m/d suffixes."""
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "m", "3.5m", "-3", "3 months", "1d2m", "1e3"])
def test_parse_duration_refuses_other_forms(text):
    """Anything else is refused, citing s.3."""
    with pytest.raises(RulesError, match=r"Civil Liability Act 2018 s\.3"):
        parse_duration(text)


def test_parse_duration_leading_zeros_are_not_digits():
    """Leading zeros do not count towards the digit cap: 0000000003d is 3 days."""
    assert parse_duration("0000000003d") == relativedelta(days=3)


# --- issue 26: --tariff-table FILE ---------------------------------------------------------

_CSV = (
    "more_than_months,not_more_than_months,whiplash,whiplash_with_psych\n"
    "0,3,300,320\n3,6,600,650\n6,24,5000,5200\n"
)


@pytest.fixture
def table_file(tmp_path):
    def write(name, text):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return str(path)

    return write


def test_tariff_by_a_csv_what_if_table_is_marked(capsys, table_file):
    """--tariff-table FILE.csv values by that table; text and JSON say what-if, name the
    file, and cite no regulation for the figures (issue 26)."""
    path = table_file("pricing.csv", _CSV)
    code, out, _ = run(capsys, "tariff", "4", "--accident-date", "2024-03-01",
                       "--tariff-table", path)  # fmt: skip
    assert code == 0
    assert out.startswith("Tariff award: £600.00 (what-if table 'pricing', derived from the file")
    assert "SI 2021/642" not in out
    code, out, _ = run(capsys, "tariff", "4", "--accident-date", "2024-03-01", "--psych",
                       "--tariff-table", path, "--json")  # fmt: skip
    data = json.loads(out)
    assert data["amount"] == "650.00"
    assert data["what_if"] is True
    assert data["table"] == "pricing"
    assert data["table_derived_from"] == "the file pricing.csv"


def test_tariff_by_a_json_what_if_table(capsys, table_file):
    """A JSON table (the to_dict form) keeps its own name and derivation, and the file."""
    from rtaprotocol.tariff import TARIFF_TABLES, uplifted_tariff_table

    table = uplifted_tariff_table(TARIFF_TABLES[0], 10)
    path = table_file("plus.json", json.dumps(table.to_dict()))
    code, out, _ = run(capsys, "tariff", "3", "--accident-date", "2025-06-01",
                       "--tariff-table", path, "--json")  # fmt: skip
    assert code == 0
    data = json.loads(out)
    assert data["amount"] == "264.00"
    assert data["table"] == "Table 1 +10%"
    assert data["table_derived_from"].endswith("(read from the file plus.json)")
    bands = table_file("bands.json", json.dumps([[0, 24, "1000", "1000"]]))
    code, out, _ = run(capsys, "tariff", "3", "--accident-date", "2025-06-01",
                       "--tariff-table", bands, "--json")  # fmt: skip
    assert json.loads(out)["table"] == "bands"


@pytest.mark.parametrize(
    ("name", "text", "words"),
    [
        ("neg.csv", _CSV.replace("300,320", "-300,320"), "negative"),
        ("penny.csv", _CSV.replace("300,320", "300.001,320"), "fraction of a penny"),
        ("order.csv", _CSV.replace("600,650", "200,650"), "longer injury is worth less"),
        ("psych.csv", _CSV.replace("300,320", "300,299"), "worth less than whiplash only"),
        ("gap.csv", _CSV.replace("6,24", "7,24"), "a gap"),
        ("missing.csv", _CSV.replace("600,650", "600,"), "missing"),
        ("header.csv", _CSV.replace("whiplash,", "plain,"), "header row"),
        ("ragged.csv", _CSV + "24,25\n", "cells"),
        ("bad.json", "[[0, 24, 1]]", "a band is"),
        ("notjson.json", "{", "not valid JSON"),
        ("big.csv", "x" * 70_000, "limit"),
    ],
)
def test_an_invalid_table_file_is_refused_with_the_cell_and_rule(
    capsys, table_file, name, text, words
):
    """Each invalid table file is refused (exit 2) with one line naming the problem; the
    file is read bounded (64 KiB) through the CLI's readers (issue 26)."""
    path = table_file(name, text)
    code, out, err = run(capsys, "tariff", "4", "--accident-date", "2024-03-01",
                         "--tariff-table", path)  # fmt: skip
    assert code == 2
    assert out == ""
    assert words in err
    assert "tariff_table" in err


def test_a_missing_table_file_is_refused(capsys, tmp_path):
    """A table file that cannot be read is refused, naming it."""
    code, _, err = run(capsys, "tariff", "4", "--accident-date", "2024-03-01",
                       "--tariff-table", str(tmp_path / "none.csv"))  # fmt: skip
    assert code == 2
    assert "cannot read the file" in err
