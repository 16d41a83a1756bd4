"""``rtaprotocol route FACTS.json``: which process a personal injury claim belongs in.

The facts file is ``route-facts.schema.json`` (:meth:`RoutingFacts.from_dict`): the claim
facts plus the accident type, the date of knowledge, the letter of claim date, the MIB
answer (``uninsured_driver``) and the claim category questions (CPR 26.9(10); EL/PL
Protocol para 4.3).

Exit codes: 0 a route was found, 1 cannot tell yet (the questions are printed), 2 bad
input (an unreadable file, invalid JSON, facts that fail the route-facts schema).
"""

from __future__ import annotations

import argparse
from typing import Any

from rtaprotocol.cli._common import add_json_flag, add_max_bytes_flag, emit, read_json_file
from rtaprotocol.routing import RoutingFacts, which_process

__all__ = ["register"]

_SCHEMA = "rtaprotocol schema route-facts"


def register(sub: Any) -> None:
    """Add the ``route`` subcommand."""
    parser: argparse.ArgumentParser = sub.add_parser(
        "route",
        help="which process a claim belongs in: OIC portal, Claims Portal, the MIB or a court "
        "track",
        description="Read a claim's facts (JSON, see route-facts.schema.json; '-' reads "
        "standard input) and say which process applies: the OIC portal, the low-value RTA "
        "or EL/PL Protocol (Claims Portal), with the MIB as compensator for a traced but "
        "uninsured driver, the MIB under the Untraced Drivers' Agreement 2017 for an "
        "untraced driver, the small claims track, or a court track (CPR 26.9(10)'s claims "
        "to the multi-track), with every reason and the parts of the value counted. The "
        "file may give letter_of_claim_date (SI 2023/572 r.2(2)(b)), uninsured_driver, "
        "claim_category, clinical_negligence_admitted, defendant_individual and "
        "more_than_one_employer. Exit 0 a route, 1 cannot tell yet, 2 bad input.",
    )
    parser.add_argument("facts", help="the facts file (JSON), or - for standard input")
    add_max_bytes_flag(parser)
    add_json_flag(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print the route; exit 1 when it cannot be told yet."""
    data = read_json_file(args.facts, field="facts", reference=_SCHEMA, max_bytes=args.max_bytes)
    route = which_process(RoutingFacts.from_dict(data))
    emit(args, route.to_dict(), str(route))
    return 0 if route.process is not None else 1
