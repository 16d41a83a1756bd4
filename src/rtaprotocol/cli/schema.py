"""``rtaprotocol schema NAME``: print one of the JSON Schemas shipped with the package.

``rtaprotocol schema --list`` (or ``--json`` with no name) lists the names. An unknown
name is one line on stderr, listing the known names, and exit 2.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from rtaprotocol.cli._common import add_json_flag
from rtaprotocol.schemas import schema_names, schema_text

__all__ = ["register"]


def register(sub: Any) -> None:
    """Add the ``schema`` subcommand."""
    parser: argparse.ArgumentParser = sub.add_parser(
        "schema",
        help="print a JSON Schema of an input file (claim-facts, payment-input, ...)",
        description="Print the JSON Schema (draft 2020-12) of one of the input files the "
        "library reads. Without NAME, list the schema names.",
    )
    parser.add_argument("name", nargs="?", help="the schema's name, e.g. claim-facts")
    add_json_flag(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print the schema (as shipped), or the list of names."""
    if args.name is None:
        names = schema_names()
        print(json.dumps(list(names), indent=2) if args.json else "\n".join(names))
        return 0
    print(schema_text(args.name), end="")
    return 0
