"""Tests for rtaprotocol/coverage.py: the map of the guide's sections."""

from __future__ import annotations

import importlib
import json
import re
from pathlib import Path

import pytest

from rtaprotocol.coverage import (
    GuideSection,
    Status,
    coverage_counts,
    coverage_markdown,
    guide_sections,
    section,
)
from rtaprotocol.errors import RulesError

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = guide_sections()
NUMBERED = [s for s in SECTIONS if s.number[0].isdigit()]

#: The guide's own chapter and section headings, as its contents page lists them (to the
#: second level); the map must hold each, and every deeper heading under them.
CONTENTS = [
    "1",
    "1.1",
    "1.1.1",
    "1.2",
    "1.2.1",
    "1.2.2",
    "1.2.3",
    "2",
    "3",
    "4",
    "4.1",
    "4.2",
    "4.3",
    "4.4",
    "4.4.1",
    "4.4.2",
    "4.4.3",
    "5",
    "5.1",
    "5.2",
    "5.2.1",
    "5.2.2",
    "5.2.3",
    "5.2.4",
    "5.3",
    "5.3.1",
    "5.3.2",
    "5.3.3",
    "5.4",
    "6",
    "6.1",
    "6.2",
    "6.2.1",
    "6.2.1.1",
    "6.2.2",
    "6.3",
    "6.3.1",
    "6.4",
    "6.4.1",
    "6.4.2",
    "6.5",
    "6.5.1",
    "6.5.2",
    "6.5.3",
    "6.5.4",
    "6.5.5",
    "6.5.6",
    "6.6",
    "6.6.1",
    "6.6.2",
    "6.6.3",
    "Appendix",
    "Tariff",
]


def key(number):
    return tuple(int(p) for p in number.split("."))


def test_every_contents_entry_is_mapped():
    numbers = {s.number for s in SECTIONS}
    missing = [n for n in CONTENTS if n not in numbers]
    assert not missing


def test_numbering_has_no_gaps_and_is_in_order():
    """Each section's parent is listed, and its earlier siblings: no subsection is missing."""
    numbers = [s.number for s in NUMBERED]
    assert len(numbers) == len(set(numbers))
    assert [key(n) for n in numbers] == sorted(key(n) for n in numbers)
    present = set(numbers)
    for n in numbers:
        parts = n.split(".")
        if len(parts) > 1:
            assert ".".join(parts[:-1]) in present, f"parent of {n}"
        if int(parts[-1]) > 1:
            assert ".".join([*parts[:-1], str(int(parts[-1]) - 1)]) in present, f"before {n}"
    assert [s.number for s in SECTIONS[-2:]] == ["Appendix", "Tariff"]


@pytest.mark.parametrize("entry", SECTIONS, ids=[s.number for s in SECTIONS])
def test_each_entry_is_complete_and_its_names_exist(entry: GuideSection):
    assert entry.title
    assert entry.note
    assert "\n" not in entry.note
    if entry.status is Status.ENCODED:
        assert entry.encoded_by, entry.number
    else:
        assert not entry.encoded_by, entry.number
    for dotted in entry.encoded_by:
        module_name, _, name = dotted.rpartition(".")
        module = importlib.import_module(module_name)
        assert hasattr(module, name), dotted
        assert name in module.__all__, dotted


def test_counts_and_lookup():
    counts = coverage_counts()
    assert sum(counts.values()) == len(SECTIONS)
    assert set(counts) == {s.value for s in Status}  # every status counted (0 allowed:
    # since issue 22 encoded police report fees, no section is "not yet encoded")
    assert counts[Status.ENCODED.value] > 0
    assert counts[Status.EXPLAINED.value] > 0
    assert section("4.4.1").reference == "guide 4.4.1"
    with pytest.raises(RulesError, match="not a numbered section"):
        section("7")


def test_the_data_file_round_trips():
    path = ROOT / "src" / "rtaprotocol" / "data" / "guide-coverage.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    assert [s.to_dict() for s in SECTIONS] == data["sections"]


def test_docs_coverage_md_is_current():
    """docs/coverage.md is generated: `rtaprotocol coverage --markdown > docs/coverage.md`."""
    text = (ROOT / "docs" / "coverage.md").read_text(encoding="utf-8")
    assert text == coverage_markdown()
    assert re.search(r"not yet encoded: \*\*\d+\*\*", text)
