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


# --------------------------------------------------------------------------- sibling rules
# The coverage map of the sibling systems' rules (issue 23: "the coverage map marking each
# rule"); the guide's map above covers the OIC guide only.

from rtaprotocol.coverage import (  # noqa: E402
    SiblingRule,
    sibling_coverage_markdown,
    sibling_rule,
    sibling_rules,
)

RULES = sibling_rules()

#: Each finding of issue 23, by its id in the map: the map must hold every one.
ISSUE_23_FINDINGS = [
    "routing.untraced-driver",
    "routing.uninsured-driver",
    "routing.new-tracks-disease",
    "routing.new-tracks-accrual",
    "routing.1500-limit",
    "routing.mandatory-multi-track",
    "routing.health-and-safety-breach",
    "routing.elpl-exclusions",
    "lowvalue.mib-cnf-response",
    "lowvalue.stage2-late-offers",
    "lowvalue.interim-payments",
    "lowvalue.london-weighting",
    "lowvalue.stage3-costs",
    "lowvalue.costs-by-accrual",
    "transfers.portal-contact",
    "transfers.fewer-than-100",
    "damages-claims.representation",
]


def test_every_finding_of_issue_23_is_mapped_once():
    """Issue 23: each finding is in the sibling coverage map, once, in the issue's order."""
    ids = [r.id for r in RULES]
    assert ids == ISSUE_23_FINDINGS


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_each_sibling_rule_is_complete_its_names_and_tests_exist(rule: SiblingRule):
    """Each rule has its finding, source, mark and note; every public name it lists is
    exported by its module, and every test it lists is defined in its test file."""
    assert rule.finding
    assert rule.source
    assert rule.note
    assert rule.confidence in {"P", "S", "U"}
    assert rule.area == rule.id.partition(".")[0].replace("-", "_")
    assert rule.status is Status.ENCODED
    assert rule.encoded_by
    assert rule.tests
    for dotted in rule.encoded_by:
        module_name, _, name = dotted.rpartition(".")
        module = importlib.import_module(module_name)
        assert name in module.__all__, dotted
    for test in rule.tests:
        path, _, name = test.partition("::")
        text = (ROOT / path).read_text(encoding="utf-8")
        assert re.search(rf"^def {re.escape(name)}\(", text, re.M), test


def test_the_sibling_map_marks_agree_with_the_data():
    """The mark the map shows for a figure is the mark the figure carries in the library
    (lowvalue.Confidence), so the map cannot claim more certainty than the result does."""
    from rtaprotocol.lowvalue import LONDON_WEIGHTING, PROTOCOL_PERIODS
    from rtaprotocol.routing import MANDATORY_MULTI_TRACK

    def mark(rule_id: str) -> str:
        return sibling_rule(rule_id).confidence

    assert (
        mark("lowvalue.mib-cnf-response")
        == PROTOCOL_PERIODS[("rta", "cnf_response_mib")].confidence.code
    )
    assert mark("lowvalue.london-weighting") == LONDON_WEIGHTING.confidence.code
    assert (
        mark("lowvalue.interim-payments")
        == PROTOCOL_PERIODS[("rta", "interim_payment")].confidence.code
    )
    assert mark("lowvalue.stage2-late-offers") == (
        PROTOCOL_PERIODS[("rta", "stage2_further_consideration")].confidence.code
    )
    heads = {m.confidence.code for m in MANDATORY_MULTI_TRACK}
    assert mark("routing.mandatory-multi-track") in heads


def test_sibling_rule_lookup_and_round_trip():
    """Lookup by id; an unknown id is refused citing the map; the data file round-trips."""
    assert sibling_rule("transfers.fewer-than-100").mark == "[P]"
    with pytest.raises(RulesError, match="not a rule of the sibling systems"):
        sibling_rule("transfers")
    path = ROOT / "src" / "rtaprotocol" / "data" / "sibling-coverage.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    assert [r.to_dict() for r in RULES] == data["rules"]


def test_docs_sibling_coverage_md_is_current_and_linked():
    """docs/sibling-coverage.md is generated (`rtaprotocol coverage --siblings --markdown`)
    and docs/sibling-systems.md links to it."""
    text = (ROOT / "docs" / "sibling-coverage.md").read_text(encoding="utf-8")
    assert text == sibling_coverage_markdown()
    assert "(sibling-coverage.md)" in (ROOT / "docs" / "sibling-systems.md").read_text(
        encoding="utf-8"
    )
