"""Tests for rtaprotocol.jcg: the guide's JCG (17th edition) extract as data."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

import views
from rtaprotocol import jcg
from rtaprotocol.errors import RulesError
from rtaprotocol.jcg import (
    JCG_BRACKETS,
    JCG_CAVEAT,
    JcgArea,
    JcgBracket,
    JcgFigure,
    jcg_brackets,
)


def _figures(area: str) -> list[tuple[Decimal | None, Decimal]]:
    return [(b.low, b.high) for b in jcg_brackets(area)]


def D(pounds: int) -> Decimal:
    return Decimal(pounds).quantize(Decimal("0.01"))


def test_minor_injuries_three_brackets_as_the_guide_prints_them():
    """Minor injuries: £1,680-£2,990, £840-£1,680, and 'a few hundred pounds' to £840."""
    assert _figures("minor-injuries") == [(D(1680), D(2990)), (D(840), D(1680)), (None, D(840))]
    seven_days = jcg_brackets(JcgArea.MINOR_INJURIES).brackets[2]
    assert seven_days.kind is JcgFigure.FEW_HUNDRED_TO
    assert seven_days.note is not None
    assert "few hundred" in seven_days.note


def test_up_to_has_no_low():
    """'Up to £X' has no low figure."""
    ribs = jcg_brackets("ribs-chest").brackets[0]
    assert (ribs.kind, ribs.low, ribs.high) == (JcgFigure.UP_TO, None, D(4820))


def test_in_the_region_of_is_a_point():
    """'In the region of £X' is a point: low == high, flagged."""
    elbow = [b for b in jcg_brackets("arm-hand") if b.heading.startswith("Elbow")]
    points = [b for b in elbow if b.is_point]
    assert [(b.low, b.high) for b in points] == [(D(7930), D(7930)), (D(4310), D(4310))]
    assert not elbow[2].is_point
    assert elbow[2].low is None
    assert elbow[2].high == D(6100)


def test_less_than_keeps_the_figure_as_an_exclusive_high():
    """'Less than £2,990 when fully resolved within a few months': high 2,990, noted."""
    [less] = [b for b in JCG_BRACKETS if b.kind is JcgFigure.LESS_THAN]
    assert less.area is JcgArea.LEG_FOOT
    assert (less.low, less.high) == (None, D(2990))
    assert less.note is not None
    assert "not included" in less.note


@pytest.mark.parametrize(
    ("area", "expected"),
    [
        ("neck", [(D(5310), D(9630)), (D(2990), D(5310)), (None, D(2990))]),
        ("shoulder", [(D(5310), D(9630)), (D(2990), D(5310)), (None, D(2990))]),
        ("back", [(D(5310), D(9630)), (D(2990), D(5310)), (None, D(2990))]),
        ("teeth", [(D(10660), D(13930)), (D(5310), D(9310)), (D(2690), D(4820)),
                   (D(1330), D(2080))]),
        ("scarring", [(D(4820), D(16770)), (D(2080), D(4310))]),
        ("psychiatric", [(D(7150), D(23270)), (D(1880), D(7150)), (D(9980), D(28250)),
                         (D(4820), D(9980))]),
        ("head-hair", [(D(2690), D(15580)), (D(4820), D(8960))]),
        ("face", [(D(4820), D(10660)), (D(2690), D(4820)), (None, D(8560)), (D(4820), D(6230)),
                  (D(3080), D(3850)), (D(2080), D(3080)), (D(5310), D(7880)),
                  (D(2830), D(3650))]),
        ("ribs-chest", [(None, D(4820)), (D(2680), D(6500)), (D(2680), D(6500))]),
        ("leg-foot", [(D(8640), D(11050)), (None, D(2990)), (None, D(16770)),
                      (None, D(16770)), (None, D(16770)), (None, D(11720))]),
        ("arm-hand", [(D(7930), D(7930)), (D(4310), D(4310)), (None, D(6100)),
                      (D(4820), D(9610)), (D(4820), D(7150)), (D(7740), D(9490)),
                      (None, D(5800))]),
    ],
)  # fmt: skip
def test_every_area_matches_the_appendix(area, expected):
    """Each area's figures match the guide's Appendix, in the guide's order."""
    assert _figures(area) == expected


def test_every_bracket_is_consistent():
    """Every bracket has a positive high, low <= high, the guide's own wording and an area."""
    assert len(JCG_BRACKETS) == 48
    for b in JCG_BRACKETS:
        assert b.high > 0
        assert b.low is None or b.low <= b.high
        assert b.figure_text.replace(",", "").find(str(int(b.high))) >= 0
        assert (b.low is None) == (b.kind in {JcgFigure.UP_TO, JcgFigure.LESS_THAN,
                                              JcgFigure.FEW_HUNDRED_TO})  # fmt: skip
        assert b.is_point == (b.low == b.high)
        assert b.description
        assert b.area in JcgArea


def test_every_area_has_brackets_and_areas_partition_the_data():
    """Every area has at least one bracket and the lookups together give every bracket once."""
    seen = []
    for area in JcgArea:
        extract = jcg_brackets(area)
        assert len(extract) > 0
        seen.extend(extract)
    assert sorted(map(id, seen)) == sorted(map(id, JCG_BRACKETS))


def test_whiplash_areas_are_marked_non_whiplash_only():
    """Neck, shoulder and back are for non-whiplash injuries only, as the guide says."""
    for area in (JcgArea.NECK, JcgArea.SHOULDER, JcgArea.BACK):
        assert "non-whiplash injuries only" in area.title
        assert "tariff" in area.title


def test_unknown_area_is_refused_naming_the_source():
    """An unknown area raises RulesError listing the areas and citing the JCG extract."""
    with pytest.raises(RulesError) as info:
        jcg_brackets("whiplash")
    assert "Judicial College Guidelines (17th edition)" in str(info.value)
    assert "'minor-injuries'" in str(info.value)
    assert info.value.field == "area"


def test_extract_explains_itself_with_the_caveat():
    """The extract says it is indicative, renders as text and HTML, and is JSON-ready."""
    extract = jcg_brackets("minor-injuries")
    assert "not a valuation" in str(extract)
    assert "JCG 17th edition" in str(extract)
    assert "A few hundred pounds to £840" in str(extract)
    html = extract._repr_html_()
    assert html.startswith('<p role="status"')
    assert "not a valuation" in html
    data = json.loads(json.dumps(extract.to_dict()))
    assert data["edition"] == "17th"
    assert data["caveat"] == JCG_CAVEAT
    assert data["introduction"].startswith("Minor injuries are injuries")
    assert data["brackets"][2] == {
        "area": "minor-injuries",
        "area_title": "Minor injuries, including cuts, lacerations and abrasions",
        "heading": "Minor injuries",
        "description": "Where there is a complete recovery within seven days",
        "figure_text": "A few hundred pounds to £840",
        "kind": "few-hundred-to",
        "low": None,
        "high": "840.00",
        "is_point": False,
        "note": "the guide gives no lower figure ('a few hundred pounds')",
    }


def test_long_descriptions_are_shortened_in_text_only():
    """The text table shortens long descriptions; HTML and JSON keep them whole."""
    extract = jcg_brackets("leg-foot")
    knee = extract.brackets[2]
    assert len(knee.description) > 200
    assert knee.description not in str(extract)
    assert "..." in str(extract)
    assert knee.description in extract.to_dict()["brackets"][2]["description"]


def test_brackets_are_frozen():
    """Brackets are immutable."""
    b = JCG_BRACKETS[0]
    assert isinstance(b, JcgBracket)
    with pytest.raises(AttributeError):
        b.high = Decimal(1)  # type: ignore[misc]


def test_all_is_sorted():
    """__all__ is in ruff's order (constants, classes, functions) and complete."""
    assert jcg.__all__ == sorted(jcg.__all__, key=_ruff_order)
    assert all(hasattr(jcg, n) for n in jcg.__all__)


def _ruff_order(name: str) -> tuple[int, str]:
    """Ruff's isort-style __all__ order: CONSTANTS, then Classes, then functions."""
    kind = 0 if name.isupper() else (1 if name[0].isupper() else 2)
    return (kind, name)


# --- rules the mutation run (issue 17, docs/testing.md) showed were not pinned -------------


def test_extract_json_names_its_area_and_source():
    extract = jcg_brackets("shoulder")
    data = extract.to_dict()
    expected = {
        "area": "shoulder",
        "area_title": JcgArea.SHOULDER.title,
        "edition": "17th",
        "caveat": jcg.JCG_CAVEAT,
        "reference": jcg.JCG_REFERENCE,
    }
    assert views.subset(data, expected) == expected
    first = data["brackets"][0]
    assert (first["figure_text"], first["low"], first["high"]) == (
        "£5,310 to £9,630",
        "5310.00",
        "9630.00",
    )


def test_every_bracket_json_carries_its_figures_and_notes():
    kind_notes = {
        JcgFigure.FEW_HUNDRED_TO: "the guide gives no lower figure ('a few hundred pounds')",
        JcgFigure.LESS_THAN: "'less than': the high figure itself is not included",
    }
    for area in JcgArea:
        for bracket in jcg_brackets(area):
            data = bracket.to_dict()
            assert data["low"] == (None if bracket.low is None else f"{bracket.low:.2f}")
            assert data["high"] == f"{bracket.high:.2f}"
            own = kind_notes.get(bracket.kind)
            if own is None:
                continue
            # The kind's note comes last, after the bracket's own note if it has one.
            assert bracket.note is not None
            assert bracket.note == own or bracket.note.endswith(f"; {own}")


def test_text_view_shortens_only_descriptions_over_sixty_characters():
    short = jcg._short
    assert short("a" * 60) == "a" * 60
    assert short("a" * 61) == "a" * 57 + "..."
    assert short("a" * 56 + "  bbbbb") == "a" * 56 + "..."  # no space before the dots
    assert short("b" + "a" * 70, limit=10) == "b" + "a" * 6 + "..."
