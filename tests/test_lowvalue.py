"""Tests for rtaprotocol.lowvalue: Claims Portal protocol periods and fixed recoverable costs."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

import golden_errors
from rtaprotocol.deadlines import EnglandWalesCalendar, business_days_between
from rtaprotocol.errors import OutOfCoverageError, RulesError, RulesTypeError
from rtaprotocol.lowvalue import (
    FIXED_COSTS_TABLES,
    PROTOCOL_PERIODS,
    PROTOCOL_UPPER_LIMIT,
    Confidence,
    FixedCostsTable,
    LowValueProtocol,
    Sourced,
    LONDON_WEIGHTING,
    NEW_COSTS_RULES_FROM,
    Stage2Consideration,
    fixed_costs,
    interim_payment_deadline,
    protocol_deadline,
    stage2_consideration,
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
    fc = fixed_costs(protocol, stage, damages, accrued_on=notified)
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
        fixed_costs("rta", 2, "25000.01", accrued_on=date(2020, 1, 1))
    for stage in (0, 4, True, "1"):
        with pytest.raises(RulesError):
            fixed_costs("rta", stage, 5000, accrued_on=date(2020, 1, 1))  # type: ignore[arg-type]
    with pytest.raises(RulesError):
        fixed_costs("rta", 1, "-1", accrued_on=date(2020, 1, 1))


def test_tables_are_contiguous_and_ordered():
    for before, after in pairwise(FIXED_COSTS_TABLES):
        assert before.applies_until is not None
        assert after.applies_from == before.applies_until + timedelta(days=1)
    assert FIXED_COSTS_TABLES[-1].applies_until is None


@given(st.sampled_from(list(LowValueProtocol)), st.sampled_from([1, 2]), money(25_000),
       st.dates(min_value=date(2013, 7, 31), max_value=date(2100, 12, 31)))  # fmt: skip
def test_costs_never_fall_as_damages_rise(protocol, stage, damages, notified):
    fc = fixed_costs(protocol, stage, damages, accrued_on=notified)
    top = fixed_costs(protocol, stage, 25_000, accrued_on=notified)
    assert Decimal(0) < fc.amount <= top.amount


def test_sourced_and_confidence():
    assert PROTOCOL_UPPER_LIMIT.value == Decimal("25000.00")
    assert "£25,000.00 [S]" in PROTOCOL_UPPER_LIMIT.label
    days = Sourced(name="n", value=15, reference="r", confidence=Confidence.PRIMARY)
    assert days.to_dict() == {"name": "n", "value": 15, "reference": "r", "confidence": "P"}
    assert LowValueProtocol.RTA.description.startswith("Pre-Action Protocol for Low Value")


# --------------------------------------------------------------------------- issue 17
# Named cases for every rule and boundary of the module, and every refusal pinned.

#: Every named period: (protocol, name) -> business days, description, reference, mark.
#: The Claim Notification Form response periods are RTA Protocol para 6.11 (15 business
#: days; 30 where the MIB is the defendant) and EL/PL Protocol para 6.11 (30 for employers'
#: liability, 40 for public liability); the Stage 2 periods (15 + 20 = 35, and the 5-day
#: further consideration period, RTA para 7.35, 7.37) and the interim payment periods (10
#: for £1,000, 15 for more, RTA para 7.18, 7.19) are unconfirmed and carry [U].
_ELPL_NOT_READ = "(paragraph not read)"
EXPECTED_PERIODS = {
    ("rta", "cnf_response"): (
        15, "insurer's response to the Claim Notification Form", "RTA Protocol para 6.11", "S"),
    ("rta", "cnf_response_mib"): (
        30, "the MIB's response to the Claim Notification Form (the MIB is the defendant)",
        "RTA Protocol para 6.11, 1.1(3)(c)", "S"),
    ("el", "cnf_response"): (
        30, "employer's insurer's response to the Claim Notification Form",
        "EL/PL Protocol para 6.11", "S"),
    ("pl", "cnf_response"): (
        40, "public liability insurer's response to the Claim Notification Form",
        "EL/PL Protocol para 6.11", "S"),
    **{
        (proto, name): (days, desc, ref, "U")
        for proto, rta in (("rta", True), ("el", False), ("pl", False))
        for name, days, desc, ref in (
            ("stage2_initial_consideration", 15,
             "defendant's initial consideration of the Stage 2 Settlement Pack",
             "RTA Protocol para 7.35" if rta else "EL/PL Protocol para 7.26"),
            ("stage2_negotiation", 20,
             "negotiation period after the initial consideration period",
             "RTA Protocol para 7.35" if rta else "EL/PL Protocol para 7.26"),
            ("stage2_total_consideration", 35,
             "total consideration period of the Stage 2 Settlement Pack (15 + 20)",
             "RTA Protocol para 7.35" if rta else "EL/PL Protocol para 7.26"),
            ("stage2_further_consideration", 5,
             "further consideration period after an offer made 5 days or less before the end "
             "of the total consideration period (no further offers in it)",
             "RTA Protocol para 7.37" if rta else
             "EL/PL Protocol para 7.28 (numbered by analogy with RTA Protocol para 7.37; "
             "not read)"),
            ("interim_payment", 10,
             "payment after receiving a request for an interim payment of £1,000",
             "RTA Protocol para 7.18" if rta else
             f"EL/PL Protocol Stage 2, interim payment of £1,000 {_ELPL_NOT_READ}"),
            ("interim_payment_over_1000", 15,
             "payment (or a reasoned lesser payment, at least £1,000) after receiving a "
             "request for an interim payment of more than £1,000",
             "RTA Protocol para 7.19, 7.20" if rta else
             f"EL/PL Protocol Stage 2, interim payment of more than £1,000 {_ELPL_NOT_READ}"),
        )
    },
}  # fmt: skip


@pytest.mark.parametrize("key", sorted(EXPECTED_PERIODS))
def test_every_protocol_period_with_its_days_source_and_mark(key):
    """RTA / EL/PL Protocol para 6.11, 7.35 / 7.26: each period, its source, its confidence."""
    days, description, reference, mark = EXPECTED_PERIODS[key]
    period = PROTOCOL_PERIODS[key]
    assert period.to_dict() == {
        "protocol": key[0],
        "name": key[1],
        "business_days": days,
        "description": description,
        "reference": reference,
        "confidence": mark,
    }
    assert period.protocol is LowValueProtocol(key[0])
    assert set(PROTOCOL_PERIODS) == set(EXPECTED_PERIODS)


@pytest.mark.parametrize("key", sorted(EXPECTED_PERIODS))
def test_every_period_ends_its_business_days_after_the_event(key):
    """RTA Protocol para 1.1(8)-(9): a period of N business days ends on the N-th business
    day after the event, the event day not counting (counted over Christmas and New Year)."""
    start = date(2023, 12, 20)
    result = protocol_deadline(key[0], key[1], start)
    days = EXPECTED_PERIODS[key][0]
    assert result.start == start
    assert business_days_between(start, result.deadline) == days
    assert result.deadline == EnglandWalesCalendar().add_business_days(start, days)
    assert result.to_dict()["deadline"] == result.deadline.isoformat()
    assert result.to_dict()["start"] == "2023-12-20"


def test_rta_cnf_response_15_business_days_over_easter_named_case():
    """RTA Protocol para 6.11: 15 business days; Good Friday and Easter Monday do not count."""
    # Wednesday 27 March 2024: 28 Mar, 2-5 Apr, 8-12 Apr, 15-19 Apr -> the 15th is 19 April.
    assert protocol_deadline("rta", "cnf_response", date(2024, 3, 27)).deadline == date(2024, 4, 19)
    assert protocol_deadline(LowValueProtocol.PL, "cnf_response", date(2024, 3, 27)).deadline == (
        date(2024, 5, 28)  # 40 business days: 6 May and 27 May (bank holidays) skipped
    )


def test_protocol_descriptions_name_each_protocol_in_full():
    """The RTA Protocol and the EL/PL Protocol (one protocol for EL and PL) by their titles."""
    rta = "Pre-Action Protocol for Low Value Personal Injury Claims in Road Traffic Accidents"
    elpl = (
        "Pre-Action Protocol for Low Value Personal Injury (Employers' Liability and "
        "Public Liability) Claims"
    )
    assert LowValueProtocol.RTA.description == rta
    assert LowValueProtocol.EL.description == elpl
    assert LowValueProtocol.PL.description == elpl


def test_sourced_label_and_json_show_money_and_days_with_the_source():
    """A figure shows its value (money with a pound sign), its mark and its source."""
    assert PROTOCOL_UPPER_LIMIT.label == (
        "protocol upper limit: £25,000.00 [S] (RTA Protocol para 1.1(16), 4.1; EL/PL "
        "Protocol para 4.1 (from 31 July 2013))"
    )
    assert PROTOCOL_UPPER_LIMIT.to_dict() == {
        "name": "protocol upper limit",
        "value": "25000.00",
        "reference": PROTOCOL_UPPER_LIMIT.reference,
        "confidence": "S",
    }
    days = Sourced(name="cnf", value=15, reference="RTA Protocol para 6.11",
                   confidence=Confidence.SECONDARY)  # fmt: skip
    assert days.label == "cnf: 15 [S] (RTA Protocol para 6.11)"
    on = Sourced(name="from", value=date(2013, 7, 31), reference="r",
                 confidence=Confidence.UNCONFIRMED)  # fmt: skip
    assert on.label == "from: 2013-07-31 [U] (r)"
    assert on.to_dict()["value"] == "2013-07-31"
    assert [c.mark for c in Confidence] == ["[P]", "[S]", "[U]"]


# --- fixed costs: every cell of every table, each band edge and each table's dates ----

#: CPR 45.18 Table 6 (RTA Protocol) and Table 6A (EL/PL Protocol): Stage 1 and Stage 2
#: fixed costs by the value of the claim for damages, excluding VAT.
RTA_AND_ELPL_AMOUNTS = {
    ("rta", 1, "up_to_10000"): "200.00",
    ("rta", 1, "over_10000"): "200.00",
    ("rta", 2, "up_to_10000"): "300.00",
    ("rta", 2, "over_10000"): "600.00",
    ("elpl", 1, "up_to_10000"): "300.00",
    ("elpl", 1, "over_10000"): "300.00",
    ("elpl", 2, "up_to_10000"): "600.00",
    ("elpl", 2, "over_10000"): "1300.00",
}


@pytest.mark.parametrize("table", FIXED_COSTS_TABLES, ids=lambda t: str(t.applies_from))
def test_every_table_holds_the_cpr_45_18_tables_6_and_6a_amounts(table):
    """CPR 45.18 Tables 6 and 6A: RTA £200 / £300 / £600, EL/PL £300 / £600 / £1,300."""
    assert {k: str(v) for k, v in table.rows.items()} == RTA_AND_ELPL_AMOUNTS


@pytest.mark.parametrize("protocol", list(LowValueProtocol))
@pytest.mark.parametrize("stage", [1, 2])
@pytest.mark.parametrize(
    ("damages", "band"),
    [("0.01", "up_to_10000"), ("10000.00", "up_to_10000"), ("10000.01", "over_10000"),
     ("25000.00", "over_10000")],
)  # fmt: skip
def test_each_band_edge_of_each_protocol_and_stage(protocol, stage, damages, band):
    """CPR 45.18 Tables 6/6A: "not more than £10,000" includes £10,000.00; £10,000.01 is in
    the "more than £10,000 but not more than £25,000" band; EL and PL share Table 6A."""
    notified = date(2020, 1, 1)
    fc = fixed_costs(protocol, stage, damages, accrued_on=notified)
    key = "rta" if protocol is LowValueProtocol.RTA else "elpl"
    assert fc.band == band
    assert fc.amount == Decimal(RTA_AND_ELPL_AMOUNTS[(key, stage, band)])
    assert (fc.protocol, fc.stage, fc.damages, fc.accrued_on, fc.notified_on) == (
        protocol, stage, Decimal(damages), notified, None
    )  # fmt: skip
    amount = RTA_AND_ELPL_AMOUNTS[(key, stage, band)]
    assert fc.to_dict() == {
        "protocol": protocol.value,
        "stage": stage,
        "stage3_type": None,
        "damages": damages,
        "band": band,
        "base_amount": amount,
        "london": False,
        "london_weighting": "0.00",
        "amount": amount,
        "accrued_on": "2020-01-01",
        "notified_on": None,
        "reference": FIXED_COSTS_TABLES[0].reference,
        "confidence": "S",
        "note": FIXED_COSTS_TABLES[0].note,
        "notes": [FIXED_COSTS_TABLES[0].note],
    }


@pytest.mark.parametrize(
    ("notified", "table_index"),
    [
        (date(2013, 7, 31), 0),  # the extended protocols' first day (SI 2013/1695)
        (date(2023, 9, 30), 0),  # last day before the October 2023 CPR Part 45
        (date(2023, 10, 1), 1),  # SI 2023/572 in force
        (date(2024, 4, 5), 1),
        (date(2024, 4, 6), 2),  # the April 2024 uprating, unconfirmed for the portal
        (date(2100, 12, 31), 2),  # open-ended: the last supported day
    ],
)
def test_each_table_applies_from_its_first_day_to_its_last(notified, table_index):
    """A table applies to Claim Notification Forms sent from its first day to its last, both
    included; the next table starts the day after."""
    table = FIXED_COSTS_TABLES[table_index]
    fc = fixed_costs("rta", 1, 5000, accrued_on=notified)
    assert fc.table is table
    assert table.covers(notified)
    assert fc.to_dict()["reference"] == table.reference
    assert fc.to_dict()["confidence"] == table.confidence.value
    assert fc.to_dict()["note"] == table.note
    assert [t.covers(notified) for t in FIXED_COSTS_TABLES].count(True) == 1


def test_table_covers_both_ends_and_nothing_outside():
    """covers(): applies_from <= day <= applies_until (None: open-ended)."""
    closed = FixedCostsTable(
        applies_from=date(2020, 1, 2), applies_until=date(2020, 1, 4), reference="CPR 45.18",
        confidence=Confidence.PRIMARY, note="", rows={},
    )  # fmt: skip
    assert [closed.covers(date(2020, 1, d)) for d in range(1, 6)] == [
        False, True, True, True, False
    ]  # fmt: skip
    open_ended = FixedCostsTable(
        applies_from=date(2020, 1, 2), applies_until=None, reference="CPR 45.18",
        confidence=Confidence.PRIMARY, note="", rows={},
    )  # fmt: skip
    assert [open_ended.covers(d) for d in (date(2020, 1, 1), date(2020, 1, 2), date(2099, 1, 1))] == [
        False, True, True
    ]  # fmt: skip


def test_upper_limit_25000_is_in_and_a_penny_more_is_out():
    """RTA / EL/PL Protocol para 4.1: not more than £25,000; more is outside the protocols."""
    assert fixed_costs("pl", 2, "25000.00", accrued_on=date(2024, 1, 2)).amount == Decimal(
        "1300.00"
    )
    with pytest.raises(RulesError) as info:
        fixed_costs("pl", 2, "25000.01", accrued_on=date(2024, 1, 2))
    assert info.value.field == "damages"
    assert info.value.reference == PROTOCOL_UPPER_LIMIT.reference


def test_fixed_costs_accept_stage_1_2_and_3_as_plain_ints_only():
    """Stage 1, 2 or 3 (CPR 45.18): bool, str, float and other numbers are refused."""
    for stage in (1, 2):
        assert fixed_costs("rta", stage, 1, accrued_on=date(2020, 1, 1)).stage == stage
    assert fixed_costs("rta", 3, 1, accrued_on=date(2020, 1, 1), stage3_type="A").stage == 3
    for bad in (0, 4, -1, True, False, "2", 2.0):
        with pytest.raises(RulesError) as info:
            fixed_costs("rta", bad, 1, accrued_on=date(2020, 1, 1))  # type: ignore[arg-type]
        assert info.value.field == "stage"


ERRORS = {
    "protocol_deadline: unknown protocol (RTA Protocol para 1.1)": lambda: protocol_deadline(
        "mib", "cnf_response", date(2024, 1, 2)
    ),
    "protocol_deadline: period not a string": lambda: protocol_deadline(
        "rta",
        15,
        date(2024, 1, 2),  # type: ignore[arg-type]
    ),
    "protocol_deadline: unknown period lists the known ones": lambda: protocol_deadline(
        "rta", "stage3", date(2024, 1, 2)
    ),
    "protocol_deadline: start not a date": lambda: protocol_deadline(
        "rta",
        "cnf_response",
        "2024-01-02",  # type: ignore[arg-type]
    ),
    "protocol_deadline: start outside the calendar": lambda: protocol_deadline(
        "el", "cnf_response", date(1999, 12, 31)
    ),
    "protocol_deadline: period ends outside the calendar": lambda: protocol_deadline(
        "pl", "cnf_response", date(2100, 12, 1)
    ),
    "protocol_deadline: calendar of the wrong type": lambda: protocol_deadline(
        "el",
        "cnf_response",
        date(2024, 1, 2),
        calendar="ENG",  # type: ignore[arg-type]
    ),
    "fixed_costs: unknown protocol (CPR Part 45 Section III)": lambda: fixed_costs(
        "mib", 1, 5000, accrued_on=date(2020, 1, 1)
    ),
    "fixed_costs: stage 3 without its type (CPR 45.18(2))": lambda: fixed_costs(
        "rta", 3, 5000, accrued_on=date(2020, 1, 1)
    ),
    "fixed_costs: stage 4 is not a stage": lambda: fixed_costs(
        "rta", 4, 5000, accrued_on=date(2020, 1, 1)
    ),
    "fixed_costs: stage 3 type D is not a type": lambda: fixed_costs(
        "rta", 3, 5000, accrued_on=date(2020, 1, 1), stage3_type="D"
    ),
    "fixed_costs: stage 3 type not a string": lambda: fixed_costs(
        "rta", 3, 5000, accrued_on=date(2020, 1, 1), stage3_type=1  # type: ignore[arg-type]
    ),
    "fixed_costs: a stage 3 type for stage 2": lambda: fixed_costs(
        "rta", 2, 5000, accrued_on=date(2020, 1, 1), stage3_type="A"
    ),
    "fixed_costs: london not a bool": lambda: fixed_costs(
        "rta", 1, 5000, accrued_on=date(2020, 1, 1), london="yes"  # type: ignore[arg-type]
    ),
    "fixed_costs: no date at all (SI 2023/572 r.2(2)(a))": lambda: fixed_costs("rta", 1, 5000),
    "fixed_costs: CNF from 1 October 2023 without the accrual date": lambda: fixed_costs(
        "rta", 1, 5000, notified_on=date(2023, 10, 1)
    ),
    "fixed_costs: CNF before the accident": lambda: fixed_costs(
        "rta", 1, 5000, accrued_on=date(2023, 10, 2), notified_on=date(2023, 10, 1)
    ),
    "fixed_costs: accrued before 31 July 2013 without the CNF date": lambda: fixed_costs(
        "el", 1, 5000, accrued_on=date(2013, 7, 30)
    ),
    "fixed_costs: notified_on not a date (given)": lambda: fixed_costs(
        "el", 1, 5000, notified_on="2020-01-01"  # type: ignore[arg-type]
    ),
    "fixed_costs: accrued_on not a date": lambda: fixed_costs(
        "el", 1, 5000, accrued_on="2020-01-01"  # type: ignore[arg-type]
    ),
    "protocol_deadline: the MIB with the EL/PL Protocol (RTA para 6.11)": lambda: (
        protocol_deadline("el", "cnf_response", date(2024, 1, 2), mib=True)
    ),
    "protocol_deadline: mib not a bool": lambda: protocol_deadline(
        "rta", "cnf_response", date(2024, 1, 2), mib=1  # type: ignore[arg-type]
    ),
    "stage2_consideration: negative extension (RTA para 7.36)": lambda: stage2_consideration(
        "rta", date(2024, 1, 2), extension_days=-1
    ),
    "stage2_consideration: extension not a whole number": lambda: stage2_consideration(
        "el", date(2024, 1, 2), extension_days=1.5  # type: ignore[arg-type]
    ),
    "stage2_consideration: offers not a list": lambda: stage2_consideration(
        "rta", date(2024, 1, 2), offers="2024-01-03"  # type: ignore[arg-type]
    ),
    "stage2_consideration: an offer not a date": lambda: stage2_consideration(
        "rta", date(2024, 1, 2), offers=["2024-01-03"]  # type: ignore[list-item]
    ),
    "stage2_consideration: an offer after the total period ended (para 7.37)": lambda: (
        stage2_consideration("rta", date(2024, 1, 2), offers=[date(2024, 2, 21)])
    ),
    "stage2_consideration: unknown protocol": lambda: stage2_consideration(
        "mib", date(2024, 1, 2)
    ),
    "stage2_consideration: calendar of the wrong type": lambda: stage2_consideration(
        "rta", date(2024, 1, 2), calendar="ENG"  # type: ignore[arg-type]
    ),
    "interim_payment_deadline: less than £1,000 (RTA para 7.13)": lambda: (
        interim_payment_deadline("rta", "999.99", date(2024, 3, 1))
    ),
    "interim_payment_deadline: requested not money": lambda: interim_payment_deadline(
        "pl", "lots", date(2024, 3, 1)
    ),
    "interim_payment_deadline: unknown protocol": lambda: interim_payment_deadline(
        "mib", "1000", date(2024, 3, 1)
    ),
    "fixed_costs: stage True is not a stage": lambda: fixed_costs(
        "rta", True, 5000, accrued_on=date(2020, 1, 1)
    ),
    "fixed_costs: stage as a string": lambda: fixed_costs(
        "rta",
        "1",
        5000,
        accrued_on=date(2020, 1, 1),  # type: ignore[arg-type]
    ),
    "fixed_costs: negative damages": lambda: fixed_costs(
        "rta", 1, "-1", accrued_on=date(2020, 1, 1)
    ),
    "fixed_costs: damages not money": lambda: fixed_costs(
        "rta", 1, "lots", accrued_on=date(2020, 1, 1)
    ),
    "fixed_costs: above the £25,000 protocol upper limit (para 4.1)": lambda: fixed_costs(
        "rta", 2, "25000.01", accrued_on=date(2020, 1, 1)
    ),
    "fixed_costs: notified_on not a date": lambda: fixed_costs(
        "rta",
        1,
        5000,
        accrued_on="2020-01-01",  # type: ignore[arg-type]
    ),
    "fixed_costs: notified before 31 July 2013 (no table)": lambda: fixed_costs(
        "pl", 1, 5000, notified_on=date(2013, 7, 30)
    ),
    "fixed_costs: accrued earlier, notified before 31 July 2013 (no table)": lambda: (
        fixed_costs("pl", 1, 5000, accrued_on=date(2013, 7, 1), notified_on=date(2013, 7, 30))
    ),
    "fixed_costs: notified outside the calendar": lambda: fixed_costs(
        "pl", 1, 5000, notified_on=date(1999, 12, 31)
    ),
    "fixed_costs: accrued outside the calendar": lambda: fixed_costs(
        "pl", 1, 5000, accrued_on=date(1999, 12, 31)
    ),
}


def test_every_refusal_matches_its_golden_file():
    """Every refusal names the field, the value received and the rule (golden file)."""
    golden_errors.check("lowvalue", ERRORS)


@given(
    st.sampled_from([1, 2]),
    money(25_000),
    st.dates(min_value=date(2013, 7, 31), max_value=date(2100, 12, 31)),
)
def test_el_and_pl_share_table_6a_and_never_cost_less_than_rta(stage, damages, notified):
    """CPR 45.18: Table 6A is one table for EL and PL claims; each of its cells is at least
    the RTA Protocol's (Table 6) for the same stage and band."""
    el = fixed_costs("el", stage, damages, accrued_on=notified)
    pl = fixed_costs("pl", stage, damages, accrued_on=notified)
    rta = fixed_costs("rta", stage, damages, accrued_on=notified)
    assert el.amount == pl.amount >= rta.amount
    assert el.band == pl.band == rta.band
    assert el.table is pl.table is rta.table
