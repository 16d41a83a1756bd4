"""``rtaprotocol transfer REQUEST.json``: may these claims be bulk-transferred on the Claims Portal.

Exit codes: 0 allowed (warnings may still be printed), 1 refused, 2 bad input.
"""

from __future__ import annotations

import argparse
from typing import Any

from rtaprotocol.cli._common import add_json_flag, add_max_bytes_flag, emit, read_json_file
from rtaprotocol.transfers import TransferRequest, check_transfer

__all__ = ["register"]

_SCHEMA = "rtaprotocol schema transfer-request"


def register(sub: Any) -> None:
    """Add the ``transfer`` subcommand."""
    parser: argparse.ArgumentParser = sub.add_parser(
        "transfer",
        help="check a bulk transfer of claims between Claims Portal organisations",
        description="Read a transfer request (JSON, see transfer-request.schema.json; '-' "
        "reads standard input) and print every refusal, warning and third party still to "
        "notify. Exit 0 allowed, 1 refused, 2 bad input.",
    )
    parser.add_argument("request", help="the request file (JSON), or - for standard input")
    add_max_bytes_flag(parser)
    add_json_flag(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print the check; exit 1 when the transfer is refused."""
    data = read_json_file(
        args.request, field="request", reference=_SCHEMA, max_bytes=args.max_bytes
    )
    result = check_transfer(TransferRequest.from_dict(data))
    emit(args, result.to_dict(), str(result))
    return 0 if result.allowed else 1
