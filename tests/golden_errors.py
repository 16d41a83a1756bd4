"""Every refusal of a module, word for word: tests/golden/errors/<name>.txt.

A portal backend reads an error's ``field``, ``reference`` and ``value``; a person reads
its message. The tests of each module check that bad input is refused with the right
type; the golden files pin the rest of every refusal, so a change to any of it is a
reviewed change. Usage, in a module's tests::

    ERRORS = {
        "negative amount": lambda: to_money("-1"),
        ...
    }

    def test_every_refusal_matches_its_golden_file():
        golden_errors.check("money", ERRORS)

Regenerate after an intended change with

    RTAPROTOCOL_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_<module>.py -k golden

and read the diff of tests/golden/errors/ before committing it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path

import golden_files
from rtaprotocol.errors import InputError, ProtocolViolation, RulesError

GOLDEN_ERRORS = Path(__file__).parent / "golden" / "errors"


def _describe(error: BaseException, indent: str = "") -> list[str]:
    lines = [f"{indent}{type(error).__module__}.{type(error).__qualname__}"]
    if isinstance(error, RulesError):
        lines.append(f"{indent}field: {error.field!r}")
        lines.append(f"{indent}reference: {str(error.reference)!r}")
        if error.has_value:
            lines.append(f"{indent}value: {error.value!r}")
        lines.append(f"{indent}message: {error.message!r}")
        lines.append(f"{indent}code: {error.code.value!r}")
        lines.append(f"{indent}pointer: {error.pointer!r}")
    if isinstance(error, ProtocolViolation):
        lines.append(f"{indent}party: {error.party!r}")
        lines.append(f"{indent}action: {error.action!r}")
        lines.append(f"{indent}state: {error.state!r}")
    lines.append(f"{indent}str: {str(error)!r}")
    if isinstance(error, InputError):
        for number, problem in enumerate(error.problems, 1):
            lines.append(f"{indent}problem {number}:")
            lines.extend(_describe(problem, indent + "    "))
    return lines


def render(cases: Mapping[str, Callable[[], object]]) -> str:
    """Each case's refusal (type, field, reference, value, message), or what it returned."""
    out: list[str] = []
    for name, call in cases.items():
        out.append(f"== {name}")
        try:
            returned = call()
        except Exception as error:  # every refusal is recorded, whatever its type
            out.extend(_describe(error))
        else:
            out.append(f"NOT REFUSED: returned {returned!r}")
    # A default repr's address changes from run to run.
    return re.sub(r" at 0x[0-9a-fA-F]+", " at 0x...", "\n".join(out) + "\n")


def check(name: str, cases: Mapping[str, Callable[[], object]]) -> None:
    """Fail unless every case is refused exactly as tests/golden/errors/NAME.txt records."""
    rendered = render(cases)
    assert "NOT REFUSED" not in rendered, rendered
    golden_files.assert_matches(GOLDEN_ERRORS / f"{name}.txt", rendered, "refusals")
