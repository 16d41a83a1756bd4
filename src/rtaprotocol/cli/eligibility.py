"""``rtaprotocol eligibility FACTS.json``: may this claim use the portal, and if not, why.

Exit codes: 0 eligible, 1 not eligible or cannot tell yet, 2 bad input (an unreadable
file, invalid JSON, facts that fail the ``claim-facts`` schema (``rtaprotocol schema
claim-facts``)). The file (``-`` for standard input) is read through the CLI's one bounded
reader: at most 16 MiB unless ``--max-bytes`` says more.
"""

from __future__ import annotations

import argparse
from typing import Any

from rtaprotocol.cli._common import (
    DEFAULT_MAX_INPUT_BYTES,
    add_json_flag,
    add_max_bytes_flag,
    emit,
    read_json_file,
    whole_number_argument,
)
from rtaprotocol.eligibility import (
    DEFAULT_LIMITATION_WARNING_DAYS,
    ClaimFacts,
    check_eligibility,
)

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
        type=whole_number_argument,
        default=DEFAULT_LIMITATION_WARNING_DAYS,
        metavar="DAYS",
        help="warn when the limitation deadline is this many days or fewer after the entry "
        f"date (default {DEFAULT_LIMITATION_WARNING_DAYS}; guide 5.4)",
    )
    add_max_bytes_flag(parser)
    add_json_flag(parser)
    parser.set_defaults(run=run)


def read_facts(path: str, *, max_bytes: int = DEFAULT_MAX_INPUT_BYTES) -> ClaimFacts:
    """Read and validate a facts file through the bounded reader; failures raise RulesError."""
    data = read_json_file(path, field="facts", reference=_SCHEMA, max_bytes=max_bytes)
    return ClaimFacts.from_dict(data)


def run(args: argparse.Namespace) -> int:
    """Print the verdict; exit 0 only when the claim is eligible."""
    facts = read_facts(args.facts, max_bytes=args.max_bytes)
    result = check_eligibility(facts, limitation_warning_days=args.limitation_warning_days)
    emit(args, result.to_dict(), str(result))
    return 0 if result.eligible is True else 1
