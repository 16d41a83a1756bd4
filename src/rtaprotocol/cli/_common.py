"""Helpers shared by the subcommands: ISO dates, bounded JSON input, printing text or JSON."""

from __future__ import annotations

import argparse
import csv
import io
import os
import re
import stat
import sys
from datetime import date
from typing import Any, Final, NoReturn

from rtaprotocol._checks import parse_iso_date
from rtaprotocol.errors import ErrorCode, InvalidJSON, RulesError
from rtaprotocol.json import DEFAULT_MAX_BYTES, dumps, loads
from rtaprotocol.tariff import what_if_tariff_table

__all__ = [
    "DEFAULT_MAX_INPUT_BYTES",
    "MAX_NUMBER_ARGUMENT_CHARS",
    "add_extra_holiday_flag",
    "add_json_flag",
    "add_max_bytes_flag",
    "add_tariff_table_flag",
    "date_argument",
    "emit",
    "extra_holidays",
    "iso_date",
    "number_argument",
    "read_json_file",
    "read_tariff_table",
    "whole_number_argument",
]

#: The largest input file any subcommand reads unless ``--max-bytes`` raises it (16 MiB).
DEFAULT_MAX_INPUT_BYTES: Final = DEFAULT_MAX_BYTES
#: The longest number or date accepted as a command-line argument: far beyond any amount
#: the library accepts (12 digits of pounds, MAX_AMOUNT), far inside Python's int-to-str limit.
MAX_NUMBER_ARGUMENT_CHARS: Final = 40
#: Sizes, counts: at most 18 digits, so any value fits an int64 and prints in full.
_MAX_WHOLE_DIGITS: Final = 18
_ASCII_NUMBER: Final = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?", re.ASCII)
_ASCII_WHOLE: Final = re.compile(r"[+-]?[0-9]+", re.ASCII)


def _shown(text: str) -> str:
    """Return ``text`` quoted for an error line, shortened, every control character escaped."""
    if len(text) > MAX_NUMBER_ARGUMENT_CHARS:
        return f"{text[:MAX_NUMBER_ARGUMENT_CHARS]!r}... ({len(text)} characters)"
    return repr(text)


def _ascii_argument(text: str, what: str) -> str:
    """Refuse a too-long or non-ASCII argument (a usage error, exit 2).

    Python's ``int()``, ``Decimal()`` and a regex digit class accept Arabic-Indic and
    full-width digits and strip a no-break space, but an amount, percentage, count or
    date on the command line is ASCII (docs/cli.md).
    """
    if len(text) > MAX_NUMBER_ARGUMENT_CHARS:
        raise argparse.ArgumentTypeError(
            f"not {what}: more than {MAX_NUMBER_ARGUMENT_CHARS} characters: got {_shown(text)}"
        )
    if not text.isascii():
        raise argparse.ArgumentTypeError(
            f"not {what}: only ASCII digits 0-9 are accepted (no other digits, no "
            f"non-ASCII spaces): got {_shown(text)}"
        )
    return text


def number_argument(text: str) -> str:
    """Check an amount or percentage argument: ASCII digits, optional sign and decimal point.

    Returned as the text given, for the library's own door (``to_money``,
    ``to_percent``) to apply its rules; anything else is a usage error (exit 2).
    """
    _ascii_argument(text, "a number")
    if not _ASCII_NUMBER.fullmatch(text):
        raise argparse.ArgumentTypeError(
            f"not a number: give digits with an optional decimal point, such as 1390 or "
            f"12.5: got {_shown(text)}"
        )
    return text


def whole_number_argument(text: str) -> int:
    """Return a count or size argument: ASCII digits (at most 18), an optional sign."""
    _ascii_argument(text, "a whole number")
    if not _ASCII_WHOLE.fullmatch(text) or len(text.lstrip("+-").lstrip("0")) > _MAX_WHOLE_DIGITS:
        raise argparse.ArgumentTypeError(
            f"not a whole number of at most {_MAX_WHOLE_DIGITS} digits: got {_shown(text)}"
        )
    return int(text)


def date_argument(text: str) -> str:
    """Check a date argument is ASCII (:func:`iso_date` then reads it as YYYY-MM-DD)."""
    return _ascii_argument(text, "a date in YYYY-MM-DD form")


def iso_date(text: str, *, field: str = "date") -> date:
    """Parse a YYYY-MM-DD argument, raising RulesError (exit 2) on anything else.

    ``field`` names the argument in the error line (``event_date: not a date...``). Only
    ASCII is accepted: no other digits, no surrounding non-ASCII space.
    """
    if not text.isascii() or text != text.strip():
        raise RulesError(
            "not a date in YYYY-MM-DD form (ASCII digits, no spaces)",
            value=text[:MAX_NUMBER_ARGUMENT_CHARS],
            field=field,
            reference="dates are YYYY-MM-DD (rtaprotocol dates)",
            code=ErrorCode.DATE_FORMAT,
        )
    return parse_iso_date(text, field=field, reference="dates are YYYY-MM-DD (rtaprotocol dates)")


def add_json_flag(parser: argparse.ArgumentParser) -> None:
    """Add the ``--json`` flag every subcommand has."""
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")


def add_extra_holiday_flag(parser: argparse.ArgumentParser) -> None:
    """Add the repeatable ``--extra-holiday DATE`` flag (see EnglandWalesCalendar)."""
    parser.add_argument(
        "--extra-holiday",
        action="append",
        default=[],
        type=date_argument,
        metavar="DATE",
        help="a holiday proclaimed after this release (repeatable)",
    )


def extra_holidays(args: argparse.Namespace) -> list[date]:
    """Return the ``--extra-holiday`` dates, each checked as YYYY-MM-DD."""
    return [iso_date(d, field="extra_holiday") for d in args.extra_holiday]


def emit(args: argparse.Namespace, data: Any, text: str) -> None:
    """Print ``data`` as JSON when ``--json`` was given, else ``text``."""
    if args.json:
        print(dumps(data, indent=2, sort_keys=False))
    else:
        print(text)


def add_max_bytes_flag(parser: argparse.ArgumentParser) -> None:
    """Add ``--max-bytes N``: the size cap of the input file (default 16 MiB)."""
    parser.add_argument(
        "--max-bytes",
        type=whole_number_argument,
        default=DEFAULT_MAX_INPUT_BYTES,
        metavar="N",
        help=f"refuse an input file larger than N bytes (default {DEFAULT_MAX_INPUT_BYTES})",
    )


def _refuse(message: str, value: object, field: str, reference: str) -> NoReturn:
    raise RulesError(
        message, value=value, field=field, reference=reference, code=ErrorCode.VALUE_INVALID
    )


def _read_bounded_text(path: str, max_bytes: int, field: str, reference: str) -> str:
    """Read at most ``max_bytes`` of ``path`` (``-``: standard input), refusing more."""
    if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes < 1:
        _refuse(
            "--max-bytes must be a whole number of bytes, 1 or more", max_bytes, field, reference
        )
    try:
        if path == "-":
            raw = sys.stdin.buffer.read(max_bytes + 1)
        else:
            st = os.stat(path)
            if stat.S_ISDIR(st.st_mode):
                _refuse("is a directory, not a JSON file", path, field, reference)
            if stat.S_ISREG(st.st_mode) and st.st_size > max_bytes:
                _refuse(
                    f"the file is {st.st_size} bytes, more than the {max_bytes}-byte limit "
                    "(raise it with --max-bytes)",
                    path,
                    field,
                    reference,
                )
            with open(path, "rb") as handle:
                raw = handle.read(max_bytes + 1)
    except OSError as err:
        _refuse(
            f"cannot read the file ({err.strerror or type(err).__name__})", path, field, reference
        )
    if len(raw) > max_bytes:
        _refuse(
            f"the input is more than the {max_bytes}-byte limit (raise it with --max-bytes)",
            path,
            field,
            reference,
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        _refuse(f"not UTF-8 text (byte {err.start})", path, field, reference)


def read_json_file(
    path: str,
    *,
    field: str,
    reference: str,
    max_bytes: int = DEFAULT_MAX_INPUT_BYTES,
) -> Any:
    """Read one JSON document through :func:`rtaprotocol.json.loads`, or raise RulesError.

    Every file a subcommand reads comes through here: the size cap is checked before
    reading (and enforced while reading, for pipes and device files), then the library's
    one safe reader applies its rules (UTF-8, nesting at most 64 deep, numbers at most 100
    characters and kept exact, no key twice in one object, no NaN or Infinity: docs/json.md).
    ``field`` and ``reference`` name the input and what it should be in any error.
    ``-`` reads standard input.
    """
    text = _read_bounded_text(path, max_bytes, field, reference)
    try:
        return loads(text, max_bytes=max_bytes)
    except InvalidJSON as err:
        value = err.value if err.code in _ECHOED_CODES else path
        where = f" (at {err.field})" if err.field else ""
        raise InvalidJSON(
            f"{err.message}{where}",
            code=err.code,
            value=value,
            field=field,
            reference=reference,
        ) from None


#: The refusals that echo the offending token (a key, a number, NaN) rather than the path.
_ECHOED_CODES: Final = frozenset(
    {"json.duplicate-key", "json.number-too-long", "json.not-a-number"}
)


# --- what-if tariff tables (--tariff-table FILE) ---------------------------------------

TARIFF_TABLE_FILE_REFERENCE: Final = (
    "a what-if tariff table file: JSON (the form TariffTable.to_dict() writes, or a list of "
    "bands) or CSV with the columns more_than_months, not_more_than_months, whiplash, "
    "whiplash_with_psych (rtaprotocol tariff tables)"
)
#: A tariff table has at most 24 bands: a file larger than this is not one.
MAX_TARIFF_TABLE_BYTES: Final = 64 * 1024


def add_tariff_table_flag(parser: argparse.ArgumentParser) -> None:
    """Add ``--tariff-table FILE``: value by a what-if table read from a CSV or JSON file."""
    parser.add_argument(
        "--tariff-table",
        metavar="FILE",
        default=None,
        help="value by a what-if tariff table (CSV or JSON file) instead of the law's table "
        "for the accident date; every result is then marked what-if",
    )


def read_tariff_table(path: str) -> Any:
    """Read a what-if tariff table from ``path`` (CSV or JSON), bounded, checked, or raise.

    JSON is read by :func:`read_json_file` (its size, depth and number limits); CSV by
    the same bounded reader and the standard ``csv`` module, with a header row naming
    the four columns. The table is built by
    :func:`~rtaprotocol.tariff.what_if_tariff_table`, so every cell is checked; it is
    named by its JSON ``name`` or else the file's name, and records the file it came from.
    """
    field, reference = "tariff_table", TARIFF_TABLE_FILE_REFERENCE
    base = os.path.basename(path)
    origin = f"the file {base}"
    if path.lower().endswith(".json"):
        data = read_json_file(
            path, field=field, reference=reference, max_bytes=MAX_TARIFF_TABLE_BYTES
        )
        if isinstance(data, dict):
            name = data.get("name") or os.path.splitext(base)[0]
            derived = data.get("derived_from")
            derived = f"{derived} (read from {origin})" if isinstance(derived, str) else origin
            return what_if_tariff_table(data, name=name, derived_from=derived)
        return what_if_tariff_table(data, name=os.path.splitext(base)[0], derived_from=origin)
    text = _read_bounded_text(path, MAX_TARIFF_TABLE_BYTES, field, reference)
    wanted = ("more_than_months", "not_more_than_months", "whiplash", "whiplash_with_psych")
    try:
        lines = [row for row in csv.reader(io.StringIO(text, newline="")) if row]
    except csv.Error as err:
        _refuse(f"not a readable CSV file: {err}", base, field, reference)
    header = [cell.strip() for cell in lines[0]] if lines else []
    if sorted(header) != sorted(wanted):
        _refuse(
            f"a CSV tariff table has a header row of exactly the columns {', '.join(wanted)}",
            header,
            field,
            reference,
        )
    rows: list[dict[str, str]] = []
    for number, line in enumerate(lines[1:], 2):
        if len(line) != len(header):
            _refuse(
                f"CSV row {number} has {len(line)} cells, not the header's {len(header)}",
                line,
                field,
                reference,
            )
        rows.append(dict(zip(header, line, strict=True)))
    return what_if_tariff_table(rows, name=os.path.splitext(base)[0], derived_from=origin)
