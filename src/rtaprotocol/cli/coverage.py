"""``rtaprotocol coverage``: which sections of the guide the library encodes.

``--json`` prints every section as an object; ``--markdown`` prints the page
``docs/coverage.md`` is generated from (``rtaprotocol coverage --markdown >
docs/coverage.md`` regenerates it). ``--siblings`` does the same for the sibling systems'
rules (issue 23: routing, the low-value protocols, transfers, damages claims):
``rtaprotocol coverage --siblings --markdown > docs/sibling-coverage.md``.
"""

from __future__ import annotations

import argparse
from typing import Any

from rtaprotocol.cli._common import add_json_flag
from rtaprotocol.coverage import (
    coverage_counts,
    coverage_markdown,
    guide_sections,
    sibling_coverage_markdown,
    sibling_rules,
)
from rtaprotocol.json import dumps

__all__ = ["register"]


def register(sub: Any) -> None:
    """Add the ``coverage`` subcommand."""
    parser: argparse.ArgumentParser = sub.add_parser(
        "coverage",
        help="which guide sections the library encodes",
        description="List every numbered section of the guide with the public names that "
        "encode it, or why it needs no code, and the counts.",
    )
    parser.add_argument("--markdown", action="store_true", help="print the docs/coverage.md page")
    parser.add_argument(
        "--siblings",
        action="store_true",
        help="the sibling systems' rules (routing, low-value protocols, transfers, damages "
        "claims) instead of the guide's sections; with --markdown, docs/sibling-coverage.md",
    )
    add_json_flag(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print the coverage map."""
    if args.siblings:
        return _run_siblings(args)
    if args.markdown:
        print(coverage_markdown(), end="")
    elif args.json:
        data = {
            "counts": coverage_counts(),
            "sections": [s.to_dict() for s in guide_sections()],
        }
        print(dumps(data, indent=2, sort_keys=False))
    else:
        for s in guide_sections():
            print(f"{s.number:<9} {s.status.value:<16} {s.title}")
        counts = ", ".join(f"{k}: {v}" for k, v in coverage_counts().items())
        print(f"\n{counts}")
    return 0


def _run_siblings(args: argparse.Namespace) -> int:
    """Print the sibling systems' coverage map."""
    rules = sibling_rules()
    if args.markdown:
        print(sibling_coverage_markdown(), end="")
    elif args.json:
        print(dumps({"rules": [r.to_dict() for r in rules]}, indent=2, sort_keys=False))
    else:
        for r in rules:
            print(f"{r.id:<34} {r.mark} {r.status.value:<9} {r.source}")
    return 0
