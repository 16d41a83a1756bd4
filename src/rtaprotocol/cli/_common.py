"""Helpers shared by the subcommands: ISO dates and printing text or JSON."""

from __future__ import annotations

import argparse
import json
from datetime import date
from typing import Any

from rtaprotocol._checks import parse_iso_date
from rtaprotocol._render import jsonable

__all__ = ["add_extra_holiday_flag", "add_json_flag", "emit", "extra_holidays", "iso_date"]


def iso_date(text: str, *, field: str = "date") -> date:
    """Parse a YYYY-MM-DD argument, raising RulesError (exit 2) on anything else.

    ``field`` names the argument in the error line (``event_date: not a date...``).
    """
    return parse_iso_date(text, field=field, reference="dates are YYYY-MM-DD")


def add_json_flag(parser: argparse.ArgumentParser) -> None:
    """Add the ``--json`` flag every subcommand has."""
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")


def add_extra_holiday_flag(parser: argparse.ArgumentParser) -> None:
    """Add the repeatable ``--extra-holiday DATE`` flag (see EnglandWalesCalendar)."""
    parser.add_argument(
        "--extra-holiday",
        action="append",
        default=[],
        metavar="DATE",
        help="a holiday proclaimed after this release (repeatable)",
    )


def extra_holidays(args: argparse.Namespace) -> list[date]:
    """Return the ``--extra-holiday`` dates, each checked as YYYY-MM-DD."""
    return [iso_date(d, field="extra_holiday") for d in args.extra_holiday]


def emit(args: argparse.Namespace, data: Any, text: str) -> None:
    """Print ``data`` as JSON when ``--json`` was given, else ``text``."""
    if args.json:
        print(json.dumps(jsonable(data), indent=2, ensure_ascii=False))
    else:
        print(text)
