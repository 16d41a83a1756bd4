"""``rtaprotocol mixed TARIFF NON_TARIFF --overlap AMOUNT``: a mixed injury award."""

from __future__ import annotations

import argparse
from typing import Any

from rtaprotocol.cli._common import add_json_flag, emit, number_argument
from rtaprotocol.valuation import mixed_injury_award

__all__ = ["register"]


def register(sub: Any) -> None:
    """Add the ``mixed`` subcommand."""
    parser: argparse.ArgumentParser = sub.add_parser(
        "mixed",
        help="combine whiplash and non-whiplash awards less any overlap",
        description="Combine a tariff award and a non-whiplash award less the overlap, as "
        "in Hassam v Rabot [2024] UKSC 11 (guide 4.4.2): the overlap comes off the "
        "non-whiplash part and the total is never below it.",
    )
    parser.add_argument(
        "tariff", type=number_argument, help="the whiplash (tariff) award in pounds, e.g. 1390"
    )
    parser.add_argument(
        "non_tariff", type=number_argument, help="the non-whiplash award in pounds, e.g. 2500"
    )
    parser.add_argument(
        "--overlap",
        default="0",
        type=number_argument,
        metavar="AMOUNT",
        help="the overlap deduction",
    )
    add_json_flag(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print the award, step by step."""
    award = mixed_injury_award(args.tariff, args.non_tariff, overlap=args.overlap)
    emit(args, award.to_dict(), str(award))
    return 0
