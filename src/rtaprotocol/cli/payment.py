"""``rtaprotocol payment``: what an offer pays after the ordered deductions of guide 6.5.2."""

from __future__ import annotations

import argparse
from typing import Any

from rtaprotocol.cli._common import add_json_flag, emit, number_argument
from rtaprotocol.deductions import Head, compute_payment
from rtaprotocol.errors import ErrorCode, RulesError

__all__ = ["register"]

_PAIR_REFERENCE = (
    "HEAD=AMOUNT, HEAD one of injury, injury-related, property (rtaprotocol payment pairs)"
)


def register(sub: Any) -> None:
    """Add the ``payment`` subcommand."""
    parser: argparse.ArgumentParser = sub.add_parser(
        "payment",
        help="what an offer pays after liability, seatbelt, CRU and interim deductions",
        description="Apply the deductions of guide 6.5.2 in order (liability, seatbelt, CRU, "
        "interim payments for an item, then a general interim payment) and print the "
        "guide's table, each percentage step rounded to the penny, half-up.",
    )
    for flag, metavar, text in (
        ("--injury", "AMOUNT", "injury (PSLA) value"),
        ("--injury-related", "AMOUNT", "injury-related protocol damages"),
        ("--property", "AMOUNT", "property-related protocol damages"),
        ("--liability", "PCT", "claimant's share of liability, 0-100"),
        ("--seatbelt", "PCT", "no-seatbelt reduction"),
    ):
        parser.add_argument(flag, default="0", type=number_argument, metavar=metavar, help=text)
    parser.add_argument(
        "--seatbelt-head",
        action="append",
        choices=[h.value for h in Head],
        metavar="HEAD",
        help="a head the seatbelt reduction applies to (repeatable; default injury and "
        "injury-related)",
    )
    for flag, text in (
        ("--cru", "CRU set off against a head (repeatable; never injury)"),
        (
            "--interim",
            "an interim payment for an item, against its head (repeatable; never injury)",
        ),
    ):
        parser.add_argument(
            flag, action="append", default=[], type=_pair, metavar="HEAD=AMOUNT", help=text
        )
    parser.add_argument(
        "--general-interim",
        default="0",
        type=number_argument,
        metavar="AMOUNT",
        help="a general interim payment, offset against the total (guide 6.3.1.4)",
    )
    add_json_flag(parser)
    parser.set_defaults(run=run)


def _pair(text: str) -> tuple[str, str, str]:
    """Parse one ``HEAD=AMOUNT`` argument (the amount ASCII, as every number argument)."""
    head, sep, amount = text.partition("=")
    if not sep:
        raise argparse.ArgumentTypeError(f"expected HEAD=AMOUNT: got {text[:40]!r}")
    return head.strip(), number_argument(amount), text


def _pairs(values: list[tuple[str, str, str]], option: str) -> dict[str, str]:
    """Collect repeated ``HEAD=AMOUNT`` arguments; a head given twice is refused."""
    out: dict[str, str] = {}
    for head, amount, text in values:
        if head in out:
            raise RulesError(
                "head given twice",
                value=text,
                field=option,
                reference=_PAIR_REFERENCE,
                code=ErrorCode.VALUE_INVALID,
            )
        out[head] = amount
    return out


def run(args: argparse.Namespace) -> int:
    """Print the payment table (or its JSON)."""
    heads = {
        Head.INJURY: args.injury,
        Head.INJURY_RELATED: args.injury_related,
        Head.PROPERTY: args.property,
    }
    kwargs: dict[str, Any] = {}
    if args.seatbelt_head:
        kwargs["seatbelt_heads"] = args.seatbelt_head
    breakdown = compute_payment(
        heads,
        claimant_liability_percent=args.liability,
        seatbelt_percent=args.seatbelt,
        cru=_pairs(args.cru, "--cru"),
        interim=_pairs(args.interim, "--interim"),
        general_interim=args.general_interim,
        **kwargs,
    )
    emit(args, breakdown, str(breakdown))
    return 0
