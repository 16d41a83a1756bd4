"""``rtaprotocol losses FILE.json``: a List of Losses by head and type, and what CRU comes off.

The file is a List of Losses in ``ListOfLosses.to_dict()`` form (the shape of
``list-of-losses.schema.json``), optionally with a ``cru_certificate`` object (the shape
of ``cru-certificate.schema.json``); ``--cru-certificate FILE.json`` gives one instead.
The command prints the items by head and type, what counts towards the value limits
(guide 1.1, 4.1, 4.4.3) and what does not (non-protocol vehicle costs, guide 1.1.1), any
warning (guide 6.6.3.2), and, with ``--liability``/``--seatbelt``, what the offer would
pay. Given a certificate it shows, for each head of Sch 2, which items it may be set off
against, how much can be and how much cannot. Exit 0, or 2 on bad input (every problem
printed).
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from typing import Any

from rtaprotocol._render import text_table
from rtaprotocol.cli._common import add_json_flag, add_max_bytes_flag, emit, read_json_file
from rtaprotocol.deductions import Head
from rtaprotocol.errors import ErrorCode, RulesError, RulesTypeError
from rtaprotocol.losses import (
    CruCertificate,
    ListOfLosses,
    LossType,
    compute_payment_for_losses,
)
from rtaprotocol.money import format_money

__all__ = ["register"]

FILE_REFERENCE = "a List of Losses file (rtaprotocol schema list-of-losses)"
CRU_FILE_REFERENCE = "a CRU certificate file (rtaprotocol schema cru-certificate)"


def register(sub: Any) -> None:
    """Add the ``losses`` subcommand."""
    parser: argparse.ArgumentParser = sub.add_parser(
        "losses",
        help="a List of Losses by head and type, the amounts that count, and CRU set-off",
        description="Read a List of Losses (guide 5.2) and print it by head and type, the "
        "amounts that count towards the value limits, the non-protocol vehicle costs kept "
        "apart and, given a CRU certificate, what can be set off against which items "
        "(Social Security (Recovery of Benefits) Act 1997, Sch 2).",
    )
    parser.add_argument("losses_file", metavar="FILE.json", help="the List of Losses ('-': stdin)")
    parser.add_argument(
        "--cru-certificate",
        metavar="FILE.json",
        help="a CRU certificate file (instead of cru_certificate in the losses file)",
    )
    parser.add_argument(
        "--liability", default="0", metavar="PCT", help="claimant's share of liability, 0-100"
    )
    parser.add_argument("--seatbelt", default="0", metavar="PCT", help="no-seatbelt reduction")
    add_max_bytes_flag(parser)
    add_json_flag(parser)
    parser.set_defaults(run=run)


def _load(args: argparse.Namespace) -> tuple[ListOfLosses, CruCertificate | None]:
    data = read_json_file(
        args.losses_file, field="losses_file", reference=FILE_REFERENCE, max_bytes=args.max_bytes
    )
    if not isinstance(data, Mapping):
        raise RulesTypeError(
            f"a List of Losses file holds a JSON object, not {type(data).__name__}",
            value=data,
            field="losses_file",
            reference=FILE_REFERENCE,
        )
    raw = dict(data)
    cru_data = raw.pop("cru_certificate", None)
    losses = ListOfLosses.from_dict(raw)
    if args.cru_certificate is not None:
        if cru_data is not None:
            raise RulesError(
                "give the CRU certificate in the file or with --cru-certificate, not both",
                value=args.cru_certificate,
                field="cru_certificate",
                reference=CRU_FILE_REFERENCE,
                code=ErrorCode.VALUE_INVALID,
            )
        cru_data = read_json_file(
            args.cru_certificate,
            field="cru_certificate",
            reference=CRU_FILE_REFERENCE,
            max_bytes=args.max_bytes,
        )
    certificate = None if cru_data is None else CruCertificate.from_dict(cru_data)
    return losses, certificate


def run(args: argparse.Namespace) -> int:
    """Print the list, what counts, and what CRU can be set off (or the JSON of it)."""
    losses, certificate = _load(args)
    payment = compute_payment_for_losses(
        losses,
        claimant_liability_percent=args.liability,
        seatbelt_percent=args.seatbelt,
        cru_certificate=certificate,
    )
    by_head = losses.total_by_head()
    heads = text_table(
        ["head", "amount"],
        [[h.value, by_head[h]] for h in Head] + [["total counted", by_head.total()]],
        title="By head (guide 6.5.2.2)",
    )
    protocol = losses.total_by_type()
    non_protocol = losses.total_by_type(non_protocol=True)
    by_type = text_table(
        ["type", "head", "protocol", "non-protocol"],
        [
            [t.value, t.head.value, protocol.get(t), non_protocol.get(t)]
            for t in LossType
            if t in protocol or t in non_protocol
        ],
        title="By type (guide 5.2)",
    )
    parts = [str(losses), heads, by_type, str(losses.value_limits())]
    if certificate is not None:
        parts.append(str(payment))
    else:
        parts.append(str(payment.breakdown))
    data: dict[str, Any] = {
        "losses": losses.to_dict(),
        "cru_certificate": None if certificate is None else certificate.to_dict(),
        "payment": payment.to_dict(),
    }
    text = "\n\n".join(parts)
    if certificate is not None:
        text += (
            f"\n\nCRU not set off: {format_money(payment.cru_not_set_off)} (recorded, not moved)"
        )
    emit(args, data, text)
    return 0
