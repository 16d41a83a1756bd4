"""Tests for rtaprotocol.lowvalue: Claims Portal protocol periods and fixed recoverable costs."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rtaprotocol.deadlines import EnglandWalesCalendar, business_days_between
from rtaprotocol.errors import OutOfCoverageError, RulesError, RulesTypeError
from rtaprotocol.lowvalue import (
    FIXED_COSTS_TABLES,
    PROTOCOL_PERIODS,
    PROTOCOL_UPPER_LIMIT,
    Confidence,
    LowValueProtocol,
    Sourced,
    fixed_costs,
    protocol_deadline,
)
from strategies import money


@pytest.mark.parametrize(("protocol", "days"), [("rta", 15), ("el", 30), ("pl", 40)])
def test_cnf_response_periods(protocol, days):
    period = PROTOCOL_PERIODS[(protocol, "cnf_response")]
    assert period.business_days == days
    assert period.confidence is Confidence.SECONDARY
    start = date(2024, 3, 27)  # Wednesday before Easter
    result = protocol_deadline(protocol, "cnf_response", start)
    assert business_days_between(start, result.deadline) == days
    assert result.period is period


def test_every_period_has_reference_and_mark_and_stage2_adds_up():
    for (proto, name), p in PROTOCOL_PERIODS.items():
        assert p.protocol.value == proto
        assert p.name == name
        assert p.reference
        assert p.confidence.mark in {"[P]", "[S]", "[U]"}
    for proto in ("rta", "el", "pl"):
        initial = PROTOCOL_PERIODS[(proto, "stage2_initial_consideration")].business_days
        nego = PROTOCOL_PERIODS[(proto, "stage2_negotiation")].business_days
        total = PROTOCOL_PERIODS[(proto, "stage2_total_consideration")].business_days
        assert initial + nego == total
        assert PROTOCOL_PERIODS[(proto, "stage2_total_consideration")].confidence.mark == "[U]"


def test_deadline_uses_the_calendar_given():
    cal = EnglandWalesCalendar(extra_holidays=[date(2030, 6, 3)])
    plain = protocol_deadline("rta", "interim_payment", date(2030, 5, 31))
    extra = protocol_deadline("rta", "interim_payment", date(2030, 5, 31), calendar=cal)
    assert (plain.deadline, extra.deadline) == (date(2030, 6, 14), date(2030, 6, 17))
    assert cal.business_days_between(date(2030, 5, 31), extra.deadline) == 10
    data = json.loads(json.dumps(extra.to_dict()))
    assert data["period"]["confidence"] == "U"
    assert "[U]" in str(extra)


def test_deadline_errors():
    with pytest.raises(RulesError, match="unknown period"):
        protocol_deadline("rta", "stage3", date(2024, 1, 2))
    with pytest.raises(RulesTypeError):
        protocol_deadline("rta", 15, date(2024, 1, 2))  # type: ignore[arg-type]
    with pytest.raises(RulesError):
        protocol_deadline("mib", "cnf_response", date(2024, 1, 2))
    with pytest.raises(RulesTypeError):
        protocol_deadline("el", "cnf_response", date(2024, 1, 2), calendar="ENG")  # type: ignore[arg-type]
    with pytest.raises(OutOfCoverageError):
        protocol_deadline("el", "cnf_response", date(1999, 12, 31))


@pytest.mark.parametrize(
    ("protocol", "stage", "damages", "amount"),
    [
        ("rta", 1, "25000", "200.00"),
        ("rta", 2, "10000.00", "300.00"),
        ("rta", 2, "10000.01", "600.00"),
        ("el", 1, "1000", "300.00"),
        ("pl", 2, "10000.00", "600.00"),
        ("pl", 2, "25000.00", "1300.00"),
    ],
)
@pytest.mark.parametrize(
    ("notified", "mark"),
    [(date(2013, 7, 31), "[S]"), (date(2023, 9, 30), "[S]"), (date(2023, 10, 1), "[S]"),
     (date(2024, 4, 6), "[U]")],
)  # fmt: skip
def test_fixed_costs_tables_before_and_after_1_october_2023(
    protocol, stage, damages, amount, notified, mark
):
    fc = fixed_costs(protocol, stage, damages, notified_on=notified)
    assert fc.amount == Decimal(amount)
    assert fc.table.confidence.mark == mark
    assert fc.table.covers(notified)
    data = json.loads(json.dumps(fc.to_dict()))
    assert data["amount"] == amount
    assert data["reference"].startswith("CPR")
    assert mark in str(fc)


def test_fixed_costs_refusals():
    with pytest.raises(OutOfCoverageError):
        fixed_costs("rta", 1, 5000, notified_on=date(2013, 7, 30))
    with pytest.raises(RulesError, match="upper limit"):
        fixed_costs("rta", 2, "25000.01", notified_on=date(2020, 1, 1))
    for stage in (0, 3, True, "1"):
        with pytest.raises(RulesError):
            fixed_costs("rta", stage, 5000, notified_on=date(2020, 1, 1))  # type: ignore[arg-type]
    with pytest.raises(RulesError):
        fixed_costs("rta", 1, "-1", notified_on=date(2020, 1, 1))


def test_tables_are_contiguous_and_ordered():
    for before, after in pairwise(FIXED_COSTS_TABLES):
        assert before.applies_until is not None
        assert after.applies_from == before.applies_until + timedelta(days=1)
    assert FIXED_COSTS_TABLES[-1].applies_until is None


@given(st.sampled_from(list(LowValueProtocol)), st.sampled_from([1, 2]), money(25_000),
       st.dates(min_value=date(2013, 7, 31), max_value=date(2100, 12, 31)))  # fmt: skip
def test_costs_never_fall_as_damages_rise(protocol, stage, damages, notified):
    fc = fixed_costs(protocol, stage, damages, notified_on=notified)
    top = fixed_costs(protocol, stage, 25_000, notified_on=notified)
    assert Decimal(0) < fc.amount <= top.amount


def test_sourced_and_confidence():
    assert PROTOCOL_UPPER_LIMIT.value == Decimal("25000.00")
    assert "£25,000.00 [S]" in PROTOCOL_UPPER_LIMIT.label
    days = Sourced(name="n", value=15, reference="r", confidence=Confidence.PRIMARY)
    assert days.to_dict() == {"name": "n", "value": 15, "reference": "r", "confidence": "P"}
    assert LowValueProtocol.RTA.description.startswith("Pre-Action Protocol for Low Value")
