"""``rtaprotocol sources``: every source the library relies on, with its confidence.

``--json`` prints the registry as a list of objects (``Source.to_dict``); ``--markdown``
prints the page ``docs/sources.md`` is generated from (``rtaprotocol sources --markdown >
docs/sources.md`` regenerates it). ``rtaprotocol sources REFERENCE`` resolves one
reference text instead (``rtaprotocol sources "guide 6.5.2 (1)"``).
"""

from __future__ import annotations

import argparse
from typing import Any

from rtaprotocol.cli._common import add_json_flag
from rtaprotocol.json import dumps
from rtaprotocol.sources import SOURCES, Source, resolve

__all__ = ["markdown", "register"]


def register(sub: Any) -> None:
    """Add the ``sources`` subcommand."""
    parser: argparse.ArgumentParser = sub.add_parser(
        "sources",
        help="the registry of sources (guide, protocol, statutes, regulations, cases)",
        description="List every source rtaprotocol cites, with its URL, the date it was "
        "checked and how far it is confirmed; or resolve one REFERENCE into its citations.",
    )
    parser.add_argument(
        "reference", nargs="?", help='a reference to resolve, e.g. "guide 6.5.2 (1), 6.5.2.1"'
    )
    parser.add_argument("--markdown", action="store_true", help="print the docs/sources.md page")
    add_json_flag(parser)
    parser.set_defaults(run=run)


def _text(src: Source) -> str:
    lines = [
        f"{src.id}: {src.title}",
        f"  publisher: {src.publisher}",
        f"  url: {src.url or '(none confirmed)'}",
        f"  checked: {src.checked.isoformat()}; confidence: {src.confidence.value}",
        f"  cited as: {', '.join(src.names)}",
        f"  note: {src.note}",
    ]
    return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def markdown() -> str:
    """Return the Markdown page listing the registry (``docs/sources.md``)."""
    rows = [
        "# Sources",
        "",
        "<!-- Generated from rtaprotocol.sources.SOURCES: do not edit by hand. Regenerate with",
        "     `rtaprotocol sources --markdown > docs/sources.md` (a test checks it is current). -->",
        "",
        "Every document rtaprotocol cites. Each reference the library emits (in errors,",
        "results, periods, tables) names one or more of these by the names in the last column,",
        "with a pinpoint (`guide 6.5.2 (1)`, `Civil Liability Act 2018 s.3`); the test suite",
        "checks that every one resolves. Confidence: *primary text read*, *secondary sources",
        "agree* (the primary text was not read), or *unconfirmed* (held as data that can be",
        "changed). A URL is given only where it was confirmed.",
        "",
        "| id | source | confidence | checked | cited as |",
        "|---|---|---|---|---|",
    ]
    for src in SOURCES.values():
        title = f"[{_cell(src.title)}]({src.url})" if src.url else _cell(src.title)
        names = ", ".join(f"`{n}`" for n in src.names)
        rows.append(
            f"| `{src.id}` | {title} ({_cell(src.publisher)}) | {src.confidence.value} "
            f"| {src.checked.isoformat()} | {names} |"
        )
    rows += ["", "## Notes", ""]
    rows += [f"- `{src.id}`: {src.note}" for src in SOURCES.values()]
    return "\n".join(rows) + "\n"


def run(args: argparse.Namespace) -> int:
    """Print the registry, the Markdown page, or one reference's citations."""
    if args.reference is not None:
        citations = resolve(args.reference)
        if args.json:
            print(dumps([c.to_dict() for c in citations], indent=2, sort_keys=False))
        else:
            for c in citations:
                print(f"{c.text}  ->  {c.source.id}: {c.source.title}")
        return 0
    if args.markdown:
        print(markdown(), end="")
    elif args.json:
        data = [src.to_dict() for src in SOURCES.values()]
        print(dumps(data, indent=2, sort_keys=False))
    else:
        print("\n\n".join(_text(src) for src in SOURCES.values()))
    return 0
