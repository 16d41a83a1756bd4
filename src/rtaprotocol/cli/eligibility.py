"""``rtaprotocol eligibility FACTS.json``: may this claim use the portal, and if not, why.

Exit codes: 0 eligible, 1 not eligible or cannot tell yet, 2 bad input (an unreadable
file, invalid JSON, facts that fail the ``claim-facts`` schema (``rtaprotocol schema claim-facts``)).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, NoReturn

from rtaprotocol.cli._common import add_json_flag, emit
from rtaprotocol.eligibility import (
    DEFAULT_LIMITATION_WARNING_DAYS,
    ClaimFacts,
    check_eligibility,
)
from rtaprotocol.errors import RulesError

__all__ = ["register"]

_SCHEMA = "rtaprotocol schema claim-facts"


def register(sub: Any) -> None:
    """Add the ``eligibility`` subcommand."""
    parser: argparse.ArgumentParser = sub.add_parser(
        "eligibility",
        help="whether a claim may use the portal (guide 4.1, 4.2)",
        description="Check a claim's facts (a JSON file, see `rtaprotocol schema claim-facts`; "
        "'-' reads standard input) against guide 4.1 and 4.2. Prints the verdict with every "
        "reason, question, redirect and warning. Exit 0 eligible, 1 not eligible or cannot "
        "tell yet, 2 bad input.",
    )
    parser.add_argument("facts", help="the facts file (JSON), or - for standard input")
    parser.add_argument(
        "--limitation-warning-days",
        type=int,
        default=DEFAULT_LIMITATION_WARNING_DAYS,
        metavar="DAYS",
        help="warn when the limitation deadline is this many days or fewer after the entry "
        f"date (default {DEFAULT_LIMITATION_WARNING_DAYS}; guide 5.4)",
    )
    add_json_flag(parser)
    parser.set_defaults(run=run)


def _bad_file(message: str, value: object) -> NoReturn:
    raise RulesError(message, value=value, field="facts", reference=_SCHEMA)


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            _bad_file("the same key appears twice in a JSON object", key)
        result[key] = value
    return result


def _no_constants(name: str) -> NoReturn:
    _bad_file("NaN and Infinity are not JSON", name)


def read_facts(path: str) -> ClaimFacts:
    """Read and validate a facts file; every failure is a RulesError (exit 2)."""
    try:
        if path == "-":
            text = sys.stdin.read()
        else:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
    except (OSError, UnicodeDecodeError) as err:
        _bad_file(f"cannot read the facts file ({type(err).__name__}: {err})", path)
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constants)
    except json.JSONDecodeError as err:
        _bad_file(f"not valid JSON: {err.msg} at line {err.lineno} column {err.colno}", path)
    except RecursionError:
        _bad_file("not a facts file: JSON nested too deeply to read", path)
    return ClaimFacts.from_dict(data)


def run(args: argparse.Namespace) -> int:
    """Print the verdict; exit 0 only when the claim is eligible."""
    facts = read_facts(args.facts)
    result = check_eligibility(facts, limitation_warning_days=args.limitation_warning_days)
    emit(args, result.to_dict(), str(result))
    return 0 if result.eligible is True else 1
