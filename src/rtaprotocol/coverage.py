"""How much of the guide the library encodes: a map of every numbered section.

The OIC "Guide to Making a Claim" is the library's specification. The data file
``rtaprotocol/data/guide-coverage.json`` lists every numbered section and subsection
(1 to 6.6.4, the JCG Appendix and the Tariff page) with its :class:`Status`: *encoded*
(and the public names that encode it), *explained* (needs no code: information for
claimants, portal screens, out of scope) or *not yet encoded* (the to-do list). Each
entry says why in one line. The test suite checks that the numbering has no gaps, that
every name listed exists, and that ``docs/coverage.md`` (:func:`coverage_markdown`) is
current.

>>> sections = guide_sections()
>>> sections[0].number, sections[-1].number
('1', 'Tariff')
>>> section("6.5.2").status, section("6.5.2").encoded_by[0]
(<Status.ENCODED: 'encoded'>, 'rtaprotocol.deductions.compute_payment')
>>> sum(coverage_counts().values()) == len(sections)
True
"""

from __future__ import annotations

import json
from enum import Enum
from functools import cache
from importlib import resources
from typing import Any, Final, final

import attrs

from rtaprotocol.errors import RulesError

__all__ = [
    "GuideSection",
    "Status",
    "coverage_counts",
    "coverage_markdown",
    "guide_sections",
    "section",
]

_REFERENCE: Final = "rtaprotocol sources"


class Status(Enum):
    """Whether a guide section is encoded, needs no code, or is still to do."""

    ENCODED = "encoded"
    EXPLAINED = "explained"
    NOT_YET_ENCODED = "not yet encoded"


@final
@attrs.frozen
class GuideSection:
    """One numbered section of the guide and how the library covers it."""

    number: str
    title: str
    status: Status
    encoded_by: tuple[str, ...]
    note: str

    @property
    def reference(self) -> str:
        """The section as a reference (``"guide 6.5.2"``)."""
        return f"guide {self.number}"

    def to_dict(self) -> dict[str, Any]:
        """Return the entry as it is stored in the data file."""
        return {
            "number": self.number,
            "title": self.title,
            "status": self.status.value,
            "encoded_by": list(self.encoded_by),
            "note": self.note,
        }


@cache
def guide_sections() -> tuple[GuideSection, ...]:
    """Return every numbered section of the guide, in the guide's order."""
    path = resources.files("rtaprotocol") / "data" / "guide-coverage.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    return tuple(
        GuideSection(
            number=entry["number"],
            title=entry["title"],
            status=Status(entry["status"]),
            encoded_by=tuple(entry["encoded_by"]),
            note=entry["note"],
        )
        for entry in data["sections"]
    )


def section(number: str) -> GuideSection:
    """Return the guide section ``number`` (``"6.5.2"``, ``"Appendix"``).

    >>> section("9.1")
    Traceback (most recent call last):
    ...
    rtaprotocol.errors.RulesError: number: not a numbered section of the guide: got '9.1' [rtaprotocol sources]
    """
    for entry in guide_sections():
        if entry.number == number:
            return entry
    raise RulesError(
        "not a numbered section of the guide", value=number, field="number", reference=_REFERENCE
    )


def coverage_counts() -> dict[str, int]:
    """Return how many sections have each status, by the status's text.

    >>> list(coverage_counts())
    ['encoded', 'explained', 'not yet encoded']
    """
    counts = {status.value: 0 for status in Status}
    for entry in guide_sections():
        counts[entry.status.value] += 1
    return counts


def coverage_markdown() -> str:
    """Return the page ``docs/coverage.md``, generated from the data file."""
    counts = coverage_counts()
    lines = [
        "# Coverage of the guide",
        "",
        "<!-- Generated from src/rtaprotocol/data/guide-coverage.json: do not edit by hand.",
        "     Regenerate with `rtaprotocol coverage --markdown > docs/coverage.md`",
        "     (a test checks it is current). -->",
        "",
        'Every numbered section of the OIC "Guide to Making a Claim" (source `oic-guide`, see',
        "[sources.md](sources.md)), with the public names that encode it or why it needs no",
        "code. *Not yet encoded* is the to-do list; sections being built on other branches are",
        "listed there until they land.",
        "",
        f"- encoded: **{counts['encoded']}**",
        f"- explained only (no code needed): **{counts['explained']}**",
        f"- not yet encoded: **{counts['not yet encoded']}**",
        f"- sections: **{sum(counts.values())}**",
        "",
        "| section | title | status | encoded by | why |",
        "|---|---|---|---|---|",
    ]
    for entry in guide_sections():
        names = ", ".join(f"`{n.removeprefix('rtaprotocol.')}`" for n in entry.encoded_by)
        lines.append(
            f"| {entry.number} | {entry.title.replace('|', '/')} | {entry.status.value} "
            f"| {names} | {entry.note} |"
        )
    return "\n".join(lines) + "\n"
