"""The ``rtaprotocol`` console script.

Each subcommand lives in its own module here, exposing ``register(subparsers)``; the
tuple ``COMMANDS`` lists them. Bad input prints one line on stderr per problem and exits
2, never a traceback. ``--json`` on every subcommand prints machine-readable output
instead. When the reader of standard output goes away (``| head -c 1``), the command
stops quietly with exit 141, as a Unix tool killed by SIGPIPE does (docs/cli.md).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, NoReturn

from rtaprotocol import __version__
from rtaprotocol.errors import RulesError

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

__all__ = ["COMMANDS", "EXIT_CANNOT_WRITE", "main"]

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
#: The reader of standard output went away: 128 + SIGPIPE, what a shell shows for a Unix
#: tool that SIGPIPE stopped (``yes | head -1``), so ``set -o pipefail`` scripts see the same.
EXIT_BROKEN_PIPE = 141
#: 128 + SIGINT: what a shell shows for a command stopped by Ctrl-C.
EXIT_INTERRUPTED = 130
#: The output could not be written (disk full, standard output closed): EX_IOERR of
#: BSD's sysexits.h, distinct from 1 (a negative answer) and 2 (bad input).
EXIT_CANNOT_WRITE = 74

# Provenance: the shipped JSON Schemas, the registry of sources, the guide coverage map.
COMMANDS += ("schema", "sources", "coverage")
# The Claims Portal protocols' periods and fixed costs (issue 23).
COMMANDS += ("lowvalue",)


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors are one clear line and exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message} (see --help)\n")

    def _print_message(self, message: str, file: SupportsWrite[str] | None = None) -> None:
        """Write ``--help``/``--version`` text; a failed write raises (argparse hides it)."""
        if message:
            (file or sys.stderr).write(message)


def build_parser() -> argparse.ArgumentParser:
    """Build the parser with every subcommand registered."""
    parser = _Parser(
        prog="rtaprotocol",
        description="Rules of the England & Wales RTA Small Claims Pre-Action Protocol.",
    )
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {__version__}", help="print the version"
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for name in COMMANDS:
        importlib.import_module(f"rtaprotocol.cli.{name}").register(sub)
    return parser


def _lines(err: RulesError) -> list[str]:
    """Return every problem in ``err`` as one line each (an InvalidInput holds several)."""
    if len(err.problems) == 1 and err.problems[0] is err:
        return [" ".join(str(err).splitlines())]
    return [line for problem in err.problems for line in _lines(problem)]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit code.

    0 success, 1 a negative answer (not eligible, a forbidden event), 2 bad input (one
    line on stderr per problem), 74 the output could not be written (disk full, standard
    output closed: one line on stderr), 130 interrupted (Ctrl-C: one line, no traceback),
    141 standard output closed early (a broken pipe). docs/cli.md has the table.
    """
    parser = build_parser()
    try:
        try:
            args = parser.parse_args(argv)
        except SystemExit as stop:  # --help, --version, or a usage error (one line, exit 2)
            code = stop.code if isinstance(stop.code, int) else EXIT_BAD_INPUT
        else:
            try:
                code = args.run(args)
            except RulesError as err:
                for line in _lines(err):
                    print(f"rtaprotocol {args.command}: error: {line}", file=sys.stderr)
                return EXIT_BAD_INPUT
        if sys.stdout is None:  # started with standard output closed (``>&-``)
            return _cannot_write("standard output is closed")
        sys.stdout.flush()  # a closed pipe or a full disk shows here, not at exit
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except OSError as err:  # disk full, an I/O error: the output is lost, say so
        _silence_stdout()
        return _cannot_write(err.strerror or type(err).__name__)
    except KeyboardInterrupt:  # Ctrl-C: stop as Unix tools do, without a traceback
        print("rtaprotocol: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    return code


def _cannot_write(reason: str) -> int:
    """Say on standard error, in one line, that the output was not written; return 74."""
    # Standard error gone too: the status alone says it.
    with contextlib.suppress(OSError, AttributeError, ValueError):
        print(f"rtaprotocol: error: cannot write the output: {reason}", file=sys.stderr)
    return EXIT_CANNOT_WRITE


def _silence_stdout() -> None:
    """Point standard output at the null device, so the final flush at exit is quiet."""
    try:
        fileno = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # not a real file (a test's capture)
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fileno)
    os.close(devnull)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
