"""The ``rtaprotocol`` console script.

Each subcommand lives in its own module here, exposing ``register(subparsers)``; the
tuple ``COMMANDS`` lists them. Bad input prints one line on stderr and exits 2, never a
traceback. ``--json`` on every subcommand prints machine-readable output instead.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from typing import NoReturn

from rtaprotocol.errors import RulesError

__all__ = ["COMMANDS", "main"]

COMMANDS: tuple[str, ...] = (
    "deadline",
    "tariff",
    "mixed",
    "eligibility",
    "negotiate",
    "payment",
    "route",
    "transfer",
    "respond",
    "losses",
    "assess",
)

EXIT_BAD_INPUT = 2

# Provenance: the shipped JSON Schemas, the registry of sources, the guide coverage map.
COMMANDS += ("schema", "sources", "coverage")


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors are one clear line and exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    """Build the parser with every subcommand registered."""
    parser = _Parser(
        prog="rtaprotocol",
        description="Rules of the England & Wales RTA Small Claims Pre-Action Protocol.",
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for name in COMMANDS:
        importlib.import_module(f"rtaprotocol.cli.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit code (0 success, 1 a negative answer, 2 bad input)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.run(args)
    except RulesError as err:
        print(f"rtaprotocol {args.command}: error: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return code


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
