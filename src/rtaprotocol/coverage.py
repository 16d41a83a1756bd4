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

# Loads the sources registry, so that the reference of each refusal raised here is a
# Reference whose citations resolve: the errors module never imports the registry itself
# (issue 25, no errors <-> sources cycle).
from rtaprotocol import sources as _sources  # noqa: F401
from rtaprotocol.errors import ErrorCode, RulesError

__all__ = [
    "GuideSection",
    "SiblingRule",
    "Status",
    "coverage_counts",
    "coverage_markdown",
    "guide_sections",
    "section",
    "sibling_coverage_markdown",
    "sibling_rule",
    "sibling_rules",
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
        "not a numbered section of the guide",
        value=number,
        field="number",
        reference=_REFERENCE,
        code=ErrorCode.VALUE_INVALID,
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


# --------------------------------------------------------------------------- sibling rules


@final
@attrs.frozen
class SiblingRule:
    """One rule of the sibling systems (issue 23) and how the library covers it.

    ``source`` is the rule's citation, ``confidence`` its mark (``"P"``, ``"S"`` or
    ``"U"``, as in :class:`rtaprotocol.lowvalue.Confidence`), ``tests`` the tests that
    check it (``"tests/test_x.py::test_name"``).
    """

    id: str
    area: str
    finding: str
    source: str
    confidence: str
    status: Status
    encoded_by: tuple[str, ...]
    tests: tuple[str, ...]
    note: str

    @property
    def mark(self) -> str:
        """The confidence mark shown next to the rule (``"[S]"``)."""
        return f"[{self.confidence}]"

    def to_dict(self) -> dict[str, Any]:
        """Return the entry as it is stored in the data file."""
        return {
            "id": self.id,
            "area": self.area,
            "finding": self.finding,
            "source": self.source,
            "confidence": self.confidence,
            "status": self.status.value,
            "encoded_by": list(self.encoded_by),
            "tests": list(self.tests),
            "note": self.note,
        }


@cache
def sibling_rules() -> tuple[SiblingRule, ...]:
    """Return every rule of the sibling systems' coverage map, in its order.

    The map (``rtaprotocol/data/sibling-coverage.json``) lists each finding of issue 23
    (routing, the low-value protocols, bulk transfers, online damages claims) with its
    source, confidence mark, status, the public names that encode it and its tests.

    >>> rule = sibling_rule("routing.untraced-driver")
    >>> rule.status, rule.mark, rule.encoded_by[0]
    (<Status.ENCODED: 'encoded'>, '[S]', 'rtaprotocol.routing.Process')
    """
    path = resources.files("rtaprotocol") / "data" / "sibling-coverage.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    return tuple(
        SiblingRule(
            id=entry["id"],
            area=entry["area"],
            finding=entry["finding"],
            source=entry["source"],
            confidence=entry["confidence"],
            status=Status(entry["status"]),
            encoded_by=tuple(entry["encoded_by"]),
            tests=tuple(entry["tests"]),
            note=entry["note"],
        )
        for entry in data["rules"]
    )


def sibling_rule(rule_id: str) -> SiblingRule:
    """Return the sibling-systems rule ``rule_id`` (``"lowvalue.london-weighting"``).

    >>> sibling_rule("lowvalue.london")
    Traceback (most recent call last):
    ...
    rtaprotocol.errors.RulesError: id: not a rule of the sibling systems' coverage map: got 'lowvalue.london' [rtaprotocol sources]
    """
    for entry in sibling_rules():
        if entry.id == rule_id:
            return entry
    raise RulesError(
        "not a rule of the sibling systems' coverage map",
        value=rule_id,
        field="id",
        reference=_REFERENCE,
        code=ErrorCode.VALUE_INVALID,
    )


_SIBLING_REGENERATE: Final = (
    "     Regenerate with `rtaprotocol coverage --siblings --markdown > docs/sibling-coverage.md`"
)


def sibling_coverage_markdown() -> str:
    """Return the page ``docs/sibling-coverage.md``, generated from the data file."""
    rules = sibling_rules()
    lines = [
        "# Coverage of the sibling systems' rules",
        "",
        "<!-- Generated from src/rtaprotocol/data/sibling-coverage.json: do not edit by hand.",
        _SIBLING_REGENERATE,
        "     (a test checks it is current). -->",
        "",
        "Every rule of the systems beside the OIC portal (routing, the Claims Portal's",
        "low-value protocols, bulk claim transfers, online damages claims) that issue 23",
        "named, with its source, its confidence mark ([P] primary text read, [S] secondary",
        "sources agree, [U] unconfirmed: see [sibling-systems.md](sibling-systems.md)), its",
        "status, the public names that encode it and the tests that check it.",
        "",
        f"- rules: **{len(rules)}**",
        f"- encoded: **{sum(r.status is Status.ENCODED for r in rules)}**",
        "",
        "| rule | finding | source | mark | status | encoded by | tests | note |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rules:
        names = ", ".join(f"`{n.removeprefix('rtaprotocol.')}`" for n in r.encoded_by)
        tests = ", ".join(f"`{t.rpartition('::')[2]}`" for t in r.tests)
        cells = [r.id, r.finding, r.source, r.mark, r.status.value, names, tests, r.note]
        lines.append("| " + " | ".join(c.replace("|", "/") for c in cells) + " |")
    return "\n".join(lines) + "\n"
