"""Check that ci/oldest.txt pins every floor in pyproject.toml to exactly that floor.

CI's "oldest" leg installs with ci/oldest.txt as a pip constraints file; this check keeps
the two from drifting apart, so the leg always proves the floors pyproject.toml claims.
Run with Python 3.11 or later (tomllib). Exit 1, naming each mismatch, if any.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import tomllib

ROOT = Path(__file__).resolve().parent.parent
#: Extras installed by the matrix legs (the dev tools run once, in the main job).
EXTRAS = ("test", "batch", "dask", "plot", "service")
_FLOOR = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(.*)$")


def _name(text: str) -> str:
    return re.sub(r"[-_.]+", "-", text).lower()


def floors() -> dict[str, str]:
    """Return each requirement's ``>=`` floor, by normalised name, for the matrix extras."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = list(project["dependencies"])
    for extra in EXTRAS:
        requirements += project["optional-dependencies"][extra]
    found: dict[str, str] = {}
    for requirement in requirements:
        match = _FLOOR.match(requirement.split(";")[0])
        if match is None:
            sys.exit(f"cannot read the requirement {requirement!r}")
        name, spec = _name(match[1]), match[2]
        if name == "rtaprotocol":
            continue  # an extra naming another extra
        floor = re.search(r">=\s*([^,\s]+)", spec)
        if floor is None:
            sys.exit(f"{requirement!r} has no floor (>=): CI cannot prove its oldest version")
        found[name] = floor[1]
    return found


def pins() -> dict[str, str]:
    """Return ci/oldest.txt's ``name==version`` pins, by normalised name."""
    found: dict[str, str] = {}
    for line in (ROOT / "ci" / "oldest.txt").read_text(encoding="utf-8").splitlines():
        text = line.split("#")[0].strip()
        if text:
            name, _, version = text.partition("==")
            found[_name(name)] = version.strip()
    return found


def _release(version: str) -> tuple[int, ...]:
    """``2.1`` and ``2.1.0`` are the same release."""
    parts = [int(p) for p in re.findall(r"\d+", version)]
    while parts and parts[-1] == 0:
        parts.pop()
    return tuple(parts)


def main() -> int:
    """Print every floor without an equal pin; return 1 if there is any."""
    wanted, pinned = floors(), pins()
    problems = [
        f"{name}: pyproject.toml's floor is {floor}, ci/oldest.txt pins "
        f"{pinned.get(name, 'nothing')}"
        for name, floor in sorted(wanted.items())
        if name not in pinned or _release(pinned[name]) != _release(floor)
    ]
    problems += [
        f"{name}: pinned in ci/oldest.txt but not a dependency"
        for name in sorted(set(pinned) - set(wanted))
    ]
    for problem in problems:
        print(problem, file=sys.stderr)
    if not problems:
        print(f"ci/oldest.txt pins all {len(wanted)} floors: {', '.join(sorted(wanted))}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
