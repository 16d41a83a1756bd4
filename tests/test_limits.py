"""Tests for rtaprotocol.limits: the £5,000 injury and £10,000 total value limits."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

import views
from rtaprotocol import limits
from rtaprotocol.errors import RulesError, RulesTypeError
from rtaprotocol.limits import INJURY_LIMIT, TOTAL_LIMIT, check_value_limits
from rtaprotocol.money import format_money
from rtaprotocol.sources import resolve
from strategies import money


@pytest.mark.parametrize(
    ("injury", "other", "codes"),
    [
        ("5000.00", 0, []),
        ("5000.01", 0, ["injury_over_limit"]),
        ("5000.00", "5000.00", []),
        ("5000.00", "5000.01", ["total_over_limit"]),
        ("0", "10000.00", []),
        ("0", "10000.01", ["total_over_limit"]),
        ("5000.01", "4999.99", ["injury_over_limit"]),
        ("5000.01", "5000.00", ["injury_over_limit", "total_over_limit"]),
    ],
)
def test_boundaries_are_not_more_than(injury, other, codes):
    """Exactly £5,000 injury and exactly £10,000 in all are within; a penny more is not."""
    check = check_value_limits(injury, other)
    assert [b.code for b in check.breaches] == codes
    assert check.within_limits == (not codes)


def test_breach_says_which_limit_and_by_how_much():
    """Each breach names the limit, the value, the excess and the guide sections."""
    check = check_value_limits("5200", "5000")
    injury, total = check.breaches
    assert (injury.limit, injury.value, injury.excess) == (
        INJURY_LIMIT,
        Decimal("5200.00"),
        Decimal("200.00"),
    )
    assert (total.limit, total.value, total.excess) == (
        TOTAL_LIMIT,
        Decimal("10200.00"),
        Decimal("200.00"),
    )
    assert "guide 1.1" in injury.reference
    assert "by £200.00" in injury.message


@pytest.mark.parametrize("excluded", ["0", "0.01", "12000", "99999.99"])
def test_nvc_and_fees_never_count(excluded):
    """Non-protocol vehicle costs and fees are shown but never counted (guide 1.1.1, 5.3)."""
    check = check_value_limits("5000", "5000", non_protocol_vehicle_costs=excluded, fees=excluded)
    assert check.within_limits
    assert check.total == Decimal("10000.00")
    assert check.non_protocol_vehicle_costs == Decimal(excluded)
    assert check.fees == Decimal(excluded)


@pytest.mark.parametrize(
    ("kwargs", "field", "reference", "error"),
    [
        ({"injury": -1}, "injury", "guide 1.1", RulesError),
        ({"injury": 1, "other_protocol_damages": "1.001"}, "other_protocol_damages",
         "guide 1.1", RulesError),
        ({"injury": 1, "non_protocol_vehicle_costs": -5}, "non_protocol_vehicle_costs",
         "guide 1.1.1", RulesError),
        ({"injury": 1, "fees": None}, "fees", "guide 5.3", RulesTypeError),
        ({"injury": True}, "injury", "guide 1.1", RulesTypeError),
    ],
)  # fmt: skip
def test_bad_amounts_are_refused_naming_the_rule(kwargs, field, reference, error):
    """Every amount goes through to_money, and the error names its field and guide section."""
    with pytest.raises(error) as info:
        check_value_limits(**kwargs)
    assert info.value.field == field
    assert reference in str(info.value)


def test_result_explains_itself():
    """The check renders as text and HTML and converts to JSON-ready data."""
    check = check_value_limits("5000.01", "100", non_protocol_vehicle_costs=800, fees=216)
    text = str(check)
    assert text.startswith("Outside the portal's value limits")
    assert "not counted" in text
    html = check._repr_html_()
    assert html.startswith('<p role="status"')  # the verdict first
    assert "Outside the portal&#x27;s value limits" in html
    data = json.loads(json.dumps(check.to_dict()))
    assert data["within_limits"] is False
    assert data["breaches"][0]["excess"] == "0.01"
    assert data["fees"] == "216.00"
    assert str(check_value_limits(1, 1)).startswith("Within the portal's value limits")


def test_all_is_sorted():
    """__all__ is in ruff's order (constants, classes, functions) and complete."""
    assert limits.__all__ == sorted(limits.__all__, key=_ruff_order)
    assert all(hasattr(limits, n) for n in limits.__all__)


@given(money(12_000), money(12_000), money(2_000), money(2_000))
def test_within_limits_is_monotone(injury, other, more_injury, more_other):
    """A claim that is outside the limits stays outside when either figure grows."""
    before = check_value_limits(injury, other).within_limits
    after = check_value_limits(injury + more_injury, other + more_other).within_limits
    assert after <= before  # True -> anything; False -> False


@given(money(12_000), money(12_000), money(50_000), money(50_000))
def test_excluded_items_never_change_the_answer(injury, other, nvc, fee):
    """NVC and fees never change which limits are breached."""
    plain = check_value_limits(injury, other)
    with_excluded = check_value_limits(injury, other, non_protocol_vehicle_costs=nvc, fees=fee)
    assert plain.breaches == with_excluded.breaches


@given(money(12_000), money(12_000))
def test_within_limits_matches_the_definition(injury, other):
    """within_limits is exactly injury <= £5,000 and injury + other <= £10,000."""
    check = check_value_limits(injury, other)
    assert check.within_limits == (injury <= 5000 and injury + other <= 10000)
    assert all(b.excess > 0 for b in check.breaches)


def _ruff_order(name: str) -> tuple[int, str]:
    """Ruff's isort-style __all__ order: CONSTANTS, then Classes, then functions."""
    kind = 0 if name.isupper() else (1 if name[0].isupper() else 2)
    return (kind, name)


def test_limit_references_cite_the_guide_not_protocol_para_4_3():
    """Guide 1.1, 4.1 and 4.4.3 state the limits; protocol para 4.3 lists exclusions."""
    check = check_value_limits("5000.01", "5000.00")
    for breach in check.breaches:
        assert breach.reference == "guide 1.1, 4.1, 4.4.3"


# --- rules the mutation run (issue 17, docs/testing.md) showed were not pinned -------------


_KEYS = ("amount", "limit", "count", "reference")


def _html_cells(html: str) -> tuple[str, dict[str, dict[str, str]]]:
    """What the HTML states first (caption or status line) and, per row, the cells."""
    headers, rows = views.table(html)
    at = {key: views.column(headers, key) for key in _KEYS}
    cells = {row[0]: {key: row[i] for key, i in at.items()} for row in rows}
    return views.statement(html), cells


def _text_cells(text: str) -> dict[str, dict[str, str]]:
    headers, rows = views.text_table(text)
    at = {key: views.column(headers, key) for key in _KEYS}
    return {row[0]: {key: row[i] for key, i in at.items()} for row in rows}


def test_optional_amounts_default_to_nothing():
    # Called with the injury only, nothing else is added to the total or shown.
    check = check_value_limits("4000")
    assert check.other_protocol_damages == check.non_protocol_vehicle_costs == Decimal(0)
    assert check.fees == Decimal(0)
    assert check.total == Decimal("4000.00")
    assert check_value_limits("5000").within_limits is True
    assert check_value_limits("5000", "5000").within_limits is True


@given(st.sampled_from(["0", "4999.99", "5000", "5000.01", "9000"]),
       st.sampled_from(["0", "5000", "5000.01", "7000"]))  # fmt: skip
def test_every_view_states_the_same_verdict(injury, other):
    check = check_value_limits(injury, other, non_protocol_vehicle_costs=1, fees=2)
    within = Decimal(injury) <= INJURY_LIMIT and Decimal(injury) + Decimal(other) <= TOTAL_LIMIT
    assert check.within_limits is within
    assert check.to_dict()["within_limits"] is within
    title = str(check).splitlines()[0].lower()
    assert ("outside" in title) is not within
    assert ("within" in title) is within
    caption, _ = _html_cells(check._repr_html_())
    assert ("within" in caption.lower()) is within
    assert ("outside" in caption.lower()) is not within


def test_html_and_text_say_which_items_count():
    check = check_value_limits("6000", "4500.50", non_protocol_vehicle_costs=7, fees=3)
    _, rows = _html_cells(check._repr_html_())
    counts = {label: cells["count"] for label, cells in rows.items()}
    assert counts == {
        "injury": "counted",
        "other protocol damages": "counted",
        "injury + other protocol damages": "counted",
        "non-protocol vehicle costs": "not counted",
        "fees": "not counted",
    }
    assert rows["injury + other protocol damages"]["amount"] == "£10,500.50"
    assert rows["injury"]["limit"] == "£5,000.00"
    assert rows["injury + other protocol damages"]["limit"] == "£10,000.00"
    assert {label: cells["count"] for label, cells in _text_cells(str(check)).items()} == counts


@given(money(12_000), money(12_000))
def test_each_breach_quotes_its_own_value_limit_and_excess(injury, other):
    check = check_value_limits(injury, other)
    by_code = {b.code: b for b in check.breaches}
    for code, value, limit in (
        ("injury_over_limit", injury, INJURY_LIMIT),
        ("total_over_limit", injury + other, TOTAL_LIMIT),
    ):
        if value <= limit:
            assert code not in by_code
            continue
        breach = by_code[code]
        assert (breach.value, breach.limit, breach.excess) == (value, limit, value - limit)
        assert breach.message.endswith(
            f"of {format_money(value)} is more than the {format_money(limit)} limit by "
            f"{format_money(value - limit)}"
        )
        expected = {
            "code": code,
            "limit": f"{limit:.2f}",
            "value": f"{value:.2f}",
            "excess": f"{value - limit:.2f}",
            "reference": "guide 1.1, 4.1, 4.4.3",
            "message": breach.message,
        }
        assert views.subset(breach.to_dict(), expected) == expected
        assert breach.message in str(check)


def test_to_dict_states_every_amount_and_both_limits():
    check = check_value_limits("100", "200.5", non_protocol_vehicle_costs=7, fees=3)
    expected = {
        "within_limits": True,
        "injury": "100.00",
        "other_protocol_damages": "200.50",
        "total": "300.50",
        "non_protocol_vehicle_costs": "7.00",
        "fees": "3.00",
        "injury_limit": "5000.00",
        "total_limit": "10000.00",
        "breaches": [],
        "not_counted_reference": limits.EXCLUDED_REFERENCE,
    }
    assert views.subset(check.to_dict(), expected) == expected
    assert check_value_limits("5000.01").breaches[0].message.startswith("the injury claim of ")
    assert (
        check_value_limits("1", "10000")
        .breaches[0]
        .message.startswith("injury plus other protocol damages of ")
    )


def test_every_reference_the_views_show_resolves_to_a_source():
    check = check_value_limits("6000", "4500.50", non_protocol_vehicle_costs=7, fees=3)
    _, rows = _html_cells(check._repr_html_())
    shown = [cells["reference"] for cells in rows.values()]
    assert shown[1] == ""  # other protocol damages: counted under the total's reference
    for text in filter(None, shown):
        assert resolve(text), text
    assert [cells["reference"] for cells in _text_cells(str(check)).values()] == shown


def test_the_text_title_lists_every_breach():
    check = check_value_limits("6000", "4500.50")
    title = str(check).splitlines()[0]
    assert title.endswith("; ".join(b.message for b in check.breaches))
