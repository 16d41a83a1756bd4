"""Tests for rtaprotocol.valuation: mixed injuries under Hassam v Rabot."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import assume, given

import golden_errors
from rtaprotocol import valuation
from rtaprotocol.errors import RulesError, RulesTypeError
from rtaprotocol.jcg import jcg_brackets
from rtaprotocol.tariff import tariff_amount, tariff_award
from rtaprotocol.valuation import MixedInjuryAward, mixed_injury_award
from strategies import money

RABOT = "Hassam v Rabot"


def test_rabot_worked_example():
    """Rabot (guide 4.4.2): 1,390 + 2,500 - 790 = 3,100; non-tariff shown as 1,710."""
    award = mixed_injury_award(1390, 2500, overlap=790)
    assert award.tariff == Decimal("1390.00")
    assert award.non_tariff == Decimal("2500.00")
    assert award.total_before_overlap == Decimal("3890.00")
    assert award.overlap == Decimal("790.00")
    assert award.non_tariff_after_overlap == Decimal("1710.00")
    assert award.total == Decimal("3100.00")


def test_briggs_worked_example():
    """Briggs (guide 4.4.2): 840 + 3,000 - 340 = 3,500."""
    award = mixed_injury_award(840, 3000, overlap=340)
    assert award.total_before_overlap == Decimal("3840.00")
    assert award.non_tariff_after_overlap == Decimal("2660.00")
    assert award.total == Decimal("3500.00")


def test_rabot_tariff_figure_comes_from_the_tariff():
    """Rabot's £1,390 is Table 1, 9-12 months, with minor psychological injury."""
    tariff = tariff_amount(10, accident_date=date(2021, 6, 1), psychological=True)
    assert mixed_injury_award(tariff, 2500, overlap=790).total == Decimal("3100.00")


def test_no_overlap_is_a_plain_sum():
    """Without an overlap the total is the sum of the two parts."""
    award = mixed_injury_award("495", "1200.50")
    assert award.overlap == 0
    assert award.total == Decimal("1695.50")


def test_overlap_equal_to_tariff_is_the_floor():
    """An overlap equal to the tariff leaves exactly the non-tariff sum (the floor)."""
    award = mixed_injury_award(840, 3000, overlap=840)
    assert award.total == award.non_tariff == Decimal("3000.00")


def test_overlap_above_tariff_is_refused_citing_rabot():
    """An overlap above the tariff would break the floor: refused, naming Hassam v Rabot."""
    with pytest.raises(RulesError) as info:
        mixed_injury_award(840, 3000, overlap="840.01")
    assert RABOT in str(info.value)
    assert "below the non-whiplash sum" in str(info.value)
    assert info.value.field == "overlap"


def test_overlap_above_non_tariff_is_refused_citing_rabot():
    """The overlap comes off the non-tariff part only, so it cannot exceed it."""
    with pytest.raises(RulesError) as info:
        mixed_injury_award(1390, 500, overlap=600)
    assert RABOT in str(info.value)
    assert "comes off that part only" in str(info.value)


@pytest.mark.parametrize(
    ("args", "field", "error"),
    [
        ((1390, 2500, -1), "overlap", RulesError),
        ((-1, 2500, 0), "tariff", RulesError),
        ((1390, "-0.01", 0), "non_tariff", RulesError),
        ((1390.001, 2500, 0), "tariff", RulesError),
        ((None, 2500, 0), "tariff", RulesTypeError),
        ((1390, True, 0), "non_tariff", RulesTypeError),
        ((1390, 2500, "£790"), "overlap", RulesError),
    ],
)
def test_bad_amounts_are_refused_naming_the_field_and_rabot(args, field, error):
    """Negative, sub-penny or non-numeric amounts are refused, naming the field and rule."""
    with pytest.raises(error) as info:
        mixed_injury_award(*args)
    assert info.value.field == field
    assert RABOT in str(info.value)


def test_award_explains_itself():
    """The award renders as the guide's worked-example table, as HTML and as JSON."""
    award = mixed_injury_award(1390, 2500, overlap=790)
    text = str(award)
    assert "Mixed injury award: £3,100.00" in text
    assert "deduction for overlap" in text
    assert "£1,710.00" in text
    assert award._repr_html_().startswith('<p role="status"')
    data = json.loads(json.dumps(award.to_dict()))
    assert data == {
        "tariff": "1390.00",
        "non_tariff": "2500.00",
        "total_before_overlap": "3890.00",
        "overlap": "790.00",
        "non_tariff_after_overlap": "1710.00",
        "total": "3100.00",
        "reference": valuation.MIXED_INJURY_REFERENCE,
        "tariff_scenario": None,
        "tariff_what_if": None,
    }


def test_award_is_frozen():
    """Awards are immutable."""
    award = mixed_injury_award(1, 1)
    assert isinstance(award, MixedInjuryAward)
    with pytest.raises(AttributeError):
        award.total = Decimal(0)  # type: ignore[misc]


def test_all_is_sorted():
    """__all__ is in ruff's order (constants, classes, functions) and complete."""
    assert valuation.__all__ == sorted(valuation.__all__, key=_ruff_order)
    assert all(hasattr(valuation, n) for n in valuation.__all__)


@given(money(5000), money(5000), money(5000))
def test_every_accepted_award_keeps_the_floor_and_ceiling(tariff, non_tariff, overlap):
    """non_tariff <= total <= tariff + non_tariff for every accepted award."""
    try:
        award = mixed_injury_award(tariff, non_tariff, overlap=overlap)
    except RulesError:
        assert overlap > tariff or overlap > non_tariff
        return
    assert award.non_tariff <= award.total <= award.tariff + award.non_tariff
    assert award.total == tariff + non_tariff - overlap
    assert award.non_tariff_after_overlap + award.tariff == award.total


@given(money(5000), money(5000), money(5000))
def test_overlaps_within_both_parts_are_always_accepted(tariff, non_tariff, overlap):
    """Any overlap from 0 up to the smaller of the two parts is accepted."""
    assume(overlap <= min(tariff, non_tariff))
    assert mixed_injury_award(tariff, non_tariff, overlap=overlap).total >= non_tariff


def _ruff_order(name: str) -> tuple[int, str]:
    """Ruff's isort-style __all__ order: CONSTANTS, then Classes, then functions."""
    kind = 0 if name.isupper() else (1 if name[0].isupper() else 2)
    return (kind, name)


def test_a_tariff_award_is_accepted_as_the_tariff_part():
    """A TariffAward stands for its amount (uplift included); Rabot's figures again."""
    award = tariff_award(12, accident_date=date(2023, 1, 10), psychological=True)
    mixed = mixed_injury_award(award, 2500, overlap=790)
    assert mixed == mixed_injury_award(award.amount, 2500, overlap=790)
    assert mixed.total == Decimal("3100.00")
    assert mixed.tariff_scenario is None
    uplifted = tariff_award(7, accident_date=date(2024, 3, 1), uplift_percent=10)
    assert mixed_injury_award(uplifted, 1000).tariff == Decimal("924.00")
    # The overlap is still checked against the award's amount.
    with pytest.raises(RulesError, match=r"more than the tariff amount of £924\.00"):
        mixed_injury_award(uplifted, 1000, overlap="924.01")


def test_a_what_if_tariff_award_is_recorded_as_a_scenario():
    award = tariff_award(3, accident_date=date(2024, 3, 1), tariff_table="2025")
    mixed = mixed_injury_award(award, 1000, overlap=100)
    assert mixed.tariff == Decimal("275.00")
    assert mixed.tariff_scenario == "2025"
    assert mixed.to_dict()["tariff_scenario"] == "2025"
    assert "what-if scenario tariff_table='2025'" in str(mixed)


def test_results_whose_amount_is_not_obvious_are_refused():
    """A MixedInjuryAward, a JCG bracket or extract, or a TariffAward as the non-tariff part."""
    mixed = mixed_injury_award(1390, 2500, overlap=790)
    award = tariff_award(3, accident_date=date(2024, 3, 1))
    bracket = jcg_brackets("shoulder").brackets[0]
    cases = [
        ((mixed, 100), "tariff", "MixedInjuryAward"),
        ((1390, mixed), "non_tariff", "MixedInjuryAward"),
        ((1390, bracket), "non_tariff", "indicative JCG range"),
        ((1390, jcg_brackets("shoulder")), "non_tariff", "JcgExtract"),
        ((bracket, 100), "tariff", "JcgBracket"),
        ((1390, award), "non_tariff", "not the non-tariff part"),
        ((1390, 100, award), "overlap", "not TariffAward"),
    ]
    for args, field, words in cases:
        with pytest.raises(RulesTypeError) as info:
            mixed_injury_award(*args)
        assert info.value.field == field
        assert words in info.value.message
        assert info.value.reference


# --- rules the mutation run (issue 17, docs/testing.md) showed were not pinned -------------


@pytest.mark.parametrize(
    ("tariff", "non_tariff", "overlap", "message"),
    [
        (840, 3000, "840.01", ("the overlap is more than the tariff amount of £840.00, which "
         "would take the total below the non-whiplash sum")),
        (840, 500, "500.01", ("the overlap is more than the non-whiplash sum of £500.00, and it "
         "comes off that part only")),
    ],
)  # fmt: skip
def test_an_overlap_too_large_is_refused_naming_it(tariff, non_tariff, overlap, message):
    with pytest.raises(RulesError) as caught:
        mixed_injury_award(tariff, non_tariff, overlap=overlap)
    assert (caught.value.field, caught.value.value) == ("overlap", overlap)
    assert caught.value.message == message


def test_without_an_overlap_the_total_is_the_sum():
    award = mixed_injury_award("840", "3000")
    assert award.overlap == Decimal("0.00")
    assert award.total == Decimal("3840.00")


# --- every refusal, word for word (tests/golden/errors/valuation.txt) ---------------------

_AWARD = tariff_award(3, accident_date=date(2024, 3, 1))
_MIXED = mixed_injury_award(1390, 2500, overlap=790)

ERRORS = {
    "overlap above the tariff amount (Hassam v Rabot)": lambda: mixed_injury_award(
        840, 3000, overlap="840.01"
    ),
    "overlap above the non-tariff sum (Hassam v Rabot)": lambda: mixed_injury_award(
        840, 500, overlap="500.01"
    ),
    "negative tariff amount": lambda: mixed_injury_award(-1, 500),
    "non-tariff amount with three places": lambda: mixed_injury_award(840, "500.001"),
    "overlap of the wrong type": lambda: mixed_injury_award(840, 500, overlap=[1]),
    "a MixedInjuryAward as the tariff part": lambda: mixed_injury_award(_MIXED, 100),
    "a MixedInjuryAward as the non-tariff part": lambda: mixed_injury_award(1390, _MIXED),
    "a JCG bracket as the tariff part": lambda: mixed_injury_award(
        jcg_brackets("shoulder").brackets[0], 100
    ),
    "a JCG bracket as the non-tariff part": lambda: mixed_injury_award(
        1390, jcg_brackets("shoulder").brackets[0]
    ),
    "a JCG extract as the non-tariff part": lambda: mixed_injury_award(
        1390, jcg_brackets("shoulder")
    ),
    "a TariffAward as the non-tariff part": lambda: mixed_injury_award(1390, _AWARD),
    "a TariffAward as the overlap": lambda: mixed_injury_award(1390, 100, _AWARD),
}


def test_every_refusal_matches_its_golden_file():
    """Each refusal names the value, the field and Hassam v Rabot (or the amount rule)."""
    golden_errors.check("valuation", ERRORS)


def test_a_what_if_award_keeps_the_whole_title():
    """The scenario is added to the title, never in place of the award and its total."""
    award = tariff_award(3, accident_date=date(2024, 3, 1), tariff_table="2025")
    first_line = str(mixed_injury_award(award, 1000, overlap=100)).splitlines()[0]
    assert first_line.startswith("Mixed injury award: £1,175.00 (Hassam v Rabot); tariff by")


# --- issue 26: a tariff part valued by a what-if table -----------------------------------


def test_a_what_if_tariff_part_is_marked_in_the_mixed_award():
    """A TariffAward from a what-if table carries its mark (name and derivation) into the
    mixed award's text, HTML and JSON; the law's award carries none (Hassam v Rabot)."""
    from rtaprotocol.tariff import TARIFF_TABLES, uplifted_tariff_table

    table = uplifted_tariff_table(TARIFF_TABLES[0], 10)
    award = tariff_award(
        12, accident_date=date(2023, 1, 10), psychological=True, tariff_table=table
    )
    mixed = mixed_injury_award(award, 2500, overlap=790)
    assert mixed.tariff == Decimal("1529.00")  # £1,390 + 10%
    assert mixed.total == Decimal("3239.00")
    assert mixed.tariff_what_if == table.what_if_note
    assert mixed.tariff_scenario is None
    for view in (str(mixed), mixed._repr_html_(), json.dumps(mixed.to_dict())):
        assert "Table 1 +10%" in view
        assert "not the law" in view
    law = mixed_injury_award(tariff_award(12, accident_date=date(2023, 1, 10)), 2500, 790)
    assert law.tariff_what_if is None
    assert law.to_dict()["tariff_what_if"] is None
