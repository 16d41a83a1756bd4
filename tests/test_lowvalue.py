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
    LONDON_WEIGHTING,
    NEW_COSTS_RULES_FROM,
    PROTOCOL_PERIODS,
    PROTOCOL_UPPER_LIMIT,
    Confidence,
    FixedCost,
    FixedCostsTable,
    LowValueProtocol,
    Sourced,
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
        # the further period after a late offer is [S] since the review of issue 23 (h14):
        # the Claims Portal's own guidance describes it; the rest of Stage 2 stays [U]
        (proto, name): (days, desc, ref, "S" if name == "stage2_further_consideration" else "U")
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
             ("further consideration period after an offer made 5 days or less before the end "
             "of the total consideration period (no further offers in it)"),
             "RTA Protocol para 7.37" if rta else
             "EL/PL Protocol para 7.28 (numbered by analogy with RTA Protocol para 7.37; "
             "not read)"),
            ("interim_payment", 10,
             "payment after receiving a request for an interim payment of £1,000",
             "RTA Protocol para 7.18" if rta else
             f"EL/PL Protocol Stage 2, interim payment of £1,000 {_ELPL_NOT_READ}"),
            ("interim_payment_over_1000", 15,
             ("payment (or a reasoned lesser payment, at least £1,000) after receiving a "
             "request for an interim payment of more than £1,000"),
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
    assert fc.to_dict()["confidence"] == table.confidence.code
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
        "rta",
        3,
        5000,
        accrued_on=date(2020, 1, 1),
        stage3_type=1,  # type: ignore[arg-type]
    ),
    "fixed_costs: a stage 3 type for stage 2": lambda: fixed_costs(
        "rta", 2, 5000, accrued_on=date(2020, 1, 1), stage3_type="A"
    ),
    "fixed_costs: london not a bool": lambda: fixed_costs(
        "rta",
        1,
        5000,
        accrued_on=date(2020, 1, 1),
        london="yes",  # type: ignore[arg-type]
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
        "el",
        1,
        5000,
        notified_on="2020-01-01",  # type: ignore[arg-type]
    ),
    "fixed_costs: accrued_on not a date": lambda: fixed_costs(
        "el",
        1,
        5000,
        accrued_on="2020-01-01",  # type: ignore[arg-type]
    ),
    "protocol_deadline: the MIB with the EL/PL Protocol (RTA para 6.11)": lambda: protocol_deadline(
        "el", "cnf_response", date(2024, 1, 2), mib=True
    ),
    "protocol_deadline: mib not a bool": lambda: protocol_deadline(
        "rta",
        "cnf_response",
        date(2024, 1, 2),
        mib=1,  # type: ignore[arg-type]
    ),
    "stage2_consideration: negative extension (RTA para 7.36)": lambda: stage2_consideration(
        "rta", date(2024, 1, 2), extension_days=-1
    ),
    "stage2_consideration: extension not a whole number": lambda: stage2_consideration(
        "el",
        date(2024, 1, 2),
        extension_days=1.5,  # type: ignore[arg-type]
    ),
    "stage2_consideration: offers not a list": lambda: stage2_consideration(
        "rta",
        date(2024, 1, 2),
        offers="2024-01-03",  # type: ignore[arg-type]
    ),
    "stage2_consideration: an offer not a date": lambda: stage2_consideration(
        "rta",
        date(2024, 1, 2),
        offers=["2024-01-03"],  # type: ignore[list-item]
    ),
    "stage2_consideration: an offer after the total period ended (para 7.37)": lambda: (
        stage2_consideration("rta", date(2024, 1, 2), offers=[date(2024, 2, 21)])
    ),
    "stage2_consideration: unknown protocol": lambda: stage2_consideration("mib", date(2024, 1, 2)),
    "stage2_consideration: calendar of the wrong type": lambda: stage2_consideration(
        "rta",
        date(2024, 1, 2),
        calendar="ENG",  # type: ignore[arg-type]
    ),
    "interim_payment_deadline: less than £1,000 (RTA para 7.13)": lambda: interim_payment_deadline(
        "rta", "999.99", date(2024, 3, 1)
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
    "fixed_costs: notified_on not a date, beside a good accrued_on": lambda: fixed_costs(
        "rta",
        1,
        5000,
        accrued_on=date(2013, 7, 30),
        notified_on="2013-08-01",  # type: ignore[arg-type]
    ),
    "fixed_costs: notified before 31 July 2013 (no table)": lambda: fixed_costs(
        "pl", 1, 5000, notified_on=date(2013, 7, 30)
    ),
    "fixed_costs: accrued earlier, notified before 31 July 2013 (no table)": lambda: fixed_costs(
        "pl", 1, 5000, accrued_on=date(2013, 7, 1), notified_on=date(2013, 7, 30)
    ),
    "fixed_costs: notified outside the calendar": lambda: fixed_costs(
        "pl", 1, 5000, notified_on=date(1999, 12, 31)
    ),
    "fixed_costs: accrued outside the calendar": lambda: fixed_costs(
        "pl", 1, 5000, accrued_on=date(1999, 12, 31)
    ),
    # issue 25: stage2_consideration's start, named in its own refusals (the mutation run)
    "stage2_consideration: start not a date (para 7.35)": lambda: stage2_consideration(
        "rta",
        "2024-01-02",  # type: ignore[arg-type]
    ),
    "stage2_consideration: start outside the calendar": lambda: stage2_consideration(
        "el", date(1999, 12, 31)
    ),
    "stage2_consideration: the initial period ends outside the calendar": lambda: (
        stage2_consideration("rta", date(2100, 12, 9))
    ),
    "stage2_consideration: the total period ends outside the calendar": lambda: (
        stage2_consideration("rta", date(2100, 12, 1))
    ),
    "stage2_consideration: a late offer's further period ends outside the calendar": lambda: (
        stage2_consideration("rta", date(2100, 11, 10), offers=[date(2100, 12, 31)])
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


# --------------------------------------------------------------------------- issue 23
# The MIB's CNF response, late offers and agreed extensions, interim payment periods,
# London weighting, Stage 3 costs, and the accrual date that picks the costs rules.


@pytest.mark.parametrize(
    ("start", "insurer", "mib"),
    [
        (date(2023, 12, 20), date(2024, 1, 15), date(2024, 2, 5)),  # over Christmas
        (date(2024, 3, 27), date(2024, 4, 19), date(2024, 5, 13)),  # over Easter and 6 May
    ],
)
def test_mib_as_defendant_has_30_business_days_to_answer_the_cnf(start, insurer, mib):
    """RTA Protocol para 6.11 (and 1.1(3)(c): "defendant" includes the MIB): the CNF
    response is due in 15 business days, 30 where the MIB is the defendant."""
    ordinary = protocol_deadline("rta", "cnf_response", start)
    by_mib = protocol_deadline("rta", "cnf_response", start, mib=True)
    assert ordinary.deadline == insurer
    assert by_mib.deadline == mib
    assert by_mib.period is PROTOCOL_PERIODS[("rta", "cnf_response_mib")]
    assert business_days_between(start, by_mib.deadline) == 30
    assert by_mib.to_dict()["period"]["reference"] == "RTA Protocol para 6.11, 1.1(3)(c)"
    assert "30 business days" in str(by_mib)
    assert protocol_deadline("rta", "cnf_response_mib", start).deadline == mib


@pytest.mark.parametrize(
    "period",
    ["stage2_total_consideration", "stage2_initial_consideration", "interim_payment",
     "interim_payment_over_1000", "stage2_further_consideration"],
)  # fmt: skip
def test_the_mib_keeps_every_other_defendants_period(period):
    """RTA Protocol para 1.1(3)(c): the MIB is a defendant like any other after the CNF
    response; only para 6.11's period differs."""
    start = date(2024, 1, 2)
    assert protocol_deadline("rta", period, start, mib=True) == protocol_deadline(
        "rta", period, start
    )


@pytest.mark.parametrize("protocol", ["el", "pl"])
def test_the_mib_is_refused_under_the_el_pl_protocol(protocol):
    """The MIB answers road traffic claims (RTA Protocol para 1.1(3)(c), 6.11); the EL/PL
    Protocol has no MIB period, so mib=True there is refused rather than ignored."""
    with pytest.raises(RulesError) as info:
        protocol_deadline(protocol, "cnf_response", date(2024, 1, 2), mib=True)
    assert info.value.field == "mib"


@given(
    st.sampled_from(sorted(k for k in PROTOCOL_PERIODS if k[0] == "rta")),
    st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)),
)
def test_mib_never_shortens_a_period(key, start):
    """RTA Protocol para 6.11: saying the MIB is the defendant never gives an earlier day."""
    assert (
        protocol_deadline("rta", key[1], start, mib=True).deadline
        >= protocol_deadline("rta", key[1], start).deadline
    )


def test_stage2_without_offers_or_extension_is_15_then_35_business_days():
    """RTA Protocol para 7.35: 15 business days' initial consideration, 35 in total, counted
    after the day the Stage 2 Settlement Pack was acknowledged."""
    result = stage2_consideration("rta", date(2023, 12, 20))
    cal = EnglandWalesCalendar()
    assert result.initial_consideration_end == cal.add_business_days(date(2023, 12, 20), 15)
    assert result.total_consideration_end == cal.add_business_days(date(2023, 12, 20), 35)
    assert result.last_day == result.total_consideration_end
    assert result.further_consideration_end is None
    assert result.late_offer is None
    assert result.confidence is Confidence.UNCONFIRMED
    assert isinstance(result, Stage2Consideration)


@pytest.mark.parametrize(
    ("offer", "further"),
    [
        (date(2024, 2, 12), None),  # 6 business days before the end (20 Feb): no extension
        (date(2024, 2, 13), date(2024, 2, 27)),  # 5 business days before: 5 more
        (date(2024, 2, 19), date(2024, 2, 27)),
        (date(2024, 2, 20), date(2024, 2, 27)),  # on the last day itself
    ],
)
def test_an_offer_in_the_last_5_business_days_opens_the_further_period(offer, further):
    """RTA Protocol para 7.37: an offer made 5 days or less before the end of the total
    consideration period opens a further period of 5 days after that end; 6 days before
    does not."""
    result = stage2_consideration("rta", date(2024, 1, 2), offers=[date(2024, 1, 10), offer])
    assert result.total_consideration_end == date(2024, 2, 20)
    assert result.further_consideration_end == further
    assert result.late_offer == (None if further is None else offer)
    assert result.last_day == (further or date(2024, 2, 20))
    data = json.loads(json.dumps(result.to_dict()))
    assert data["last_day"] == result.last_day.isoformat()
    assert "7.37" in " ".join(data["explanation"])


def test_an_agreed_extension_moves_the_window_for_a_late_offer():
    """RTA Protocol para 7.36, 7.37: the total consideration period "including any
    extension" decides whether an offer is late: an offer 5 days before the original end
    is not late once the parties extended the period by 10 days."""
    base = stage2_consideration("rta", date(2024, 1, 2), offers=[date(2024, 2, 13)])
    extended = stage2_consideration(
        "rta", date(2024, 1, 2), extension_days=10, offers=[date(2024, 2, 13)]
    )
    assert base.further_consideration_end == date(2024, 2, 27)
    assert extended.total_consideration_end == date(2024, 3, 5)
    assert extended.further_consideration_end is None
    assert extended.initial_consideration_end == base.initial_consideration_end
    assert "agreed extension of 10" in str(extended)
    late = stage2_consideration(
        "el", date(2024, 1, 2), extension_days=10, offers=[date(2024, 3, 5)]
    )
    assert late.further_consideration_end == date(2024, 3, 12)
    assert "EL/PL Protocol para 7.28" in late.reference


@given(
    st.sampled_from(list(LowValueProtocol)),
    st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 1, 1)),
    st.integers(min_value=0, max_value=60),
    st.integers(min_value=0, max_value=34),
)
def test_extension_and_late_offers_never_shorten_stage2(protocol, start, ext, offer_after):
    """RTA Protocol para 7.36, 7.37: an agreed extension or a late offer only ever moves the
    last day later; an offer opens the further period exactly when it is within 5 business
    days of the end."""
    cal = EnglandWalesCalendar()
    plain = stage2_consideration(protocol, start)
    extended = stage2_consideration(protocol, start, extension_days=ext)
    assert extended.total_consideration_end >= plain.total_consideration_end
    offer = cal.add_business_days(start, offer_after + ext)
    with_offer = stage2_consideration(protocol, start, extension_days=ext, offers=[offer])
    assert with_offer.last_day >= extended.last_day >= plain.last_day
    late = cal.business_days_between(offer, extended.total_consideration_end) <= 5
    assert (with_offer.further_consideration_end is not None) == late


def test_stage2_offers_are_order_independent():
    """RTA Protocol para 7.37: which offers were made, not the order they are listed in,
    decides the further period."""
    days = [date(2024, 1, 5), date(2024, 2, 19), date(2024, 2, 1)]
    a = stage2_consideration("pl", date(2024, 1, 2), offers=days)
    b = stage2_consideration("pl", date(2024, 1, 2), offers=list(reversed(days)))
    assert a.last_day == b.last_day
    assert a.late_offer == b.late_offer == date(2024, 2, 19)


def test_stage2_view_and_html():
    """The result shows the last day first, then each step and how it was counted."""
    result = stage2_consideration("rta", date(2024, 1, 2), offers=[date(2024, 2, 20)])
    assert str(result).startswith("Stage 2 consideration ends 2024-02-27 [U]")
    assert "further consideration period ends" in result._repr_html_()


@pytest.mark.parametrize(
    ("requested", "name", "deadline"),
    [
        ("1000", "interim_payment", date(2024, 3, 15)),
        ("1000.00", "interim_payment", date(2024, 3, 15)),
        ("1000.01", "interim_payment_over_1000", date(2024, 3, 22)),
        ("25000", "interim_payment_over_1000", date(2024, 3, 22)),
    ],
)
def test_interim_payment_10_days_for_1000_and_15_for_more(requested, name, deadline):
    """RTA Protocol para 7.18 (£1,000: paid in 10 days) and 7.19 (more than £1,000: in 15
    days the amount requested, £1,000, or a sum between, with reasons, para 7.20)."""
    for protocol in ("rta", "el", "pl"):
        result = interim_payment_deadline(protocol, requested, date(2024, 3, 1))
        assert result.period.name == name
        assert result.deadline == deadline


def test_interim_payment_below_1000_is_refused():
    """RTA Protocol para 7.13: a Protocol interim request is for £1,000 or more."""
    with pytest.raises(RulesError) as info:
        interim_payment_deadline("rta", "999.99", date(2024, 3, 1))
    assert info.value.field == "requested"


@pytest.mark.parametrize(
    ("accrued", "table_index", "rule"),
    [
        (date(2023, 9, 30), 0, "CPR 45.18"),  # accrued before 1 October 2023: old Part 45
        (date(2023, 10, 1), 1, "SI 2023/572"),  # accrued on the day: the new Part 45
    ],
)
def test_costs_rules_turn_on_accrual_not_the_cnf_date(accrued, table_index, rule):
    """SI 2023/572 r.2(2)(a): the Part 45 substituted from 1 October 2023 does not apply to
    a claim whose cause of action accrued before that day, whenever its CNF is sent: an
    accident on 30 September 2023 notified in 2024 is under the old rules."""
    late_cnf = date(2024, 1, 15)
    fc = fixed_costs("rta", 1, 5000, accrued_on=accrued, notified_on=late_cnf)
    assert fc.table is FIXED_COSTS_TABLES[table_index]
    assert rule in fc.reference
    assert fc.to_dict()["accrued_on"] == accrued.isoformat()
    assert fc.to_dict()["notified_on"] == "2024-01-15"
    assert date(2023, 10, 1) == NEW_COSTS_RULES_FROM


def test_a_cnf_before_1_october_2023_needs_no_accrual_date_and_one_after_does():
    """SI 2023/572 r.2(2)(a): a CNF sent by 30 September 2023 is for a claim accrued before
    1 October 2023 (old rules); from 1 October the CNF date cannot tell, so the accrual date
    is asked for."""
    fc = fixed_costs("el", 2, 5000, notified_on=date(2023, 9, 30))
    assert fc.table is FIXED_COSTS_TABLES[0]
    with pytest.raises(RulesError) as info:
        fixed_costs("el", 2, 5000, notified_on=date(2023, 10, 1))
    assert info.value.field == "accrued_on"


def test_an_accident_before_31_july_2013_uses_the_cnf_date_for_coverage():
    """RTA Protocol para 4.1(1): the extended protocols apply to CNFs sent on or after 31
    July 2013, so an earlier accident is covered when its CNF was sent from that day."""
    fc = fixed_costs("rta", 2, 5000, accrued_on=date(2013, 1, 7), notified_on=date(2013, 7, 31))
    assert fc.table is FIXED_COSTS_TABLES[0]
    with pytest.raises(OutOfCoverageError):
        fixed_costs("rta", 2, 5000, accrued_on=date(2013, 1, 7), notified_on=date(2013, 7, 30))


STAGE3 = {"A": "250.00", "B": "250.00", "C": "150.00"}


@pytest.mark.parametrize("protocol", list(LowValueProtocol))
@pytest.mark.parametrize("kind", ["A", "B", "C", "a", "c"])
@pytest.mark.parametrize("damages", ["5000", "10000.01"])
@pytest.mark.parametrize("accrued", [date(2023, 9, 30), date(2023, 10, 1), date(2024, 4, 6)])
def test_stage3_type_a_b_c_costs_as_dated_data(protocol, kind, damages, accrued):
    """CPR 45.18(2) Tables 6 and 6A: Stage 3 Type A (legal representative) £250, Type B
    (advocate) £250, Type C (advice on the amount where the claimant is a child: the
    child-settlement advice fee) £150, both bands, both protocols; unconfirmed [U] on both
    sides of 1 October 2023."""
    fc = fixed_costs(protocol, 3, damages, accrued_on=accrued, stage3_type=kind)
    assert fc.amount == Decimal(STAGE3[kind.upper()])
    assert fc.stage3_type == kind.upper()
    assert fc.confidence is Confidence.UNCONFIRMED
    assert fc.to_dict()["confidence"] == "U"
    assert "Stage 3" in fc.reference
    assert "3 (Type" in str(fc)


@pytest.mark.parametrize(
    ("protocol", "stage", "kind", "damages", "base", "weighted"),
    [
        ("rta", 1, None, "5000", "200.00", "225.00"),
        ("rta", 2, None, "10000.00", "300.00", "337.50"),
        ("rta", 2, None, "10000.01", "600.00", "675.00"),
        ("el", 1, None, "5000", "300.00", "337.50"),
        ("pl", 2, None, "25000", "1300.00", "1462.50"),
        ("rta", 3, "A", "5000", "250.00", "281.25"),
        ("el", 3, "C", "5000", "150.00", "168.75"),  # the child-settlement advice fee
        ("rta", 3, "B", "5000", "250.00", "250.00"),  # the advocate's: not weighted
    ],
)
@pytest.mark.parametrize(
    ("accrued", "rule"), [(date(2023, 9, 30), "CPR 45.18(3)"), (date(2023, 10, 1), "CPR 45.3")]
)
def test_london_weighting_adds_12_5_percent(
    protocol, stage, kind, damages, base, weighted, accrued, rule
):
    """CPR 45.18(3) (claims accrued before 1 October 2023) and CPR 45.3 (from then): where
    the claimant lives or works in an area listed in PD 45 and instructs a legal
    representative practising there, the Stage 1 and 2 and Type A and C fixed costs include
    an extra 12.5%; Type B (the advocate's) does not."""
    fc = fixed_costs(protocol, stage, damages, accrued_on=accrued, stage3_type=kind, london=True)
    assert fc.base_amount == Decimal(base)
    assert fc.amount == Decimal(weighted)
    assert fc.london_weighting == Decimal(weighted) - Decimal(base)
    assert rule in fc.reference
    assert fc.london is True
    plain = fixed_costs(protocol, stage, damages, accrued_on=accrued, stage3_type=kind)
    assert plain.amount == Decimal(base)
    assert plain.london_weighting == Decimal("0.00")
    assert "London" not in plain.reference
    assert "London weighting" in str(fc)
    assert fc.to_dict()["london_weighting"] == str(fc.london_weighting)
    assert len(fc.notes) == 2
    assert LONDON_WEIGHTING.value == Decimal("12.5")


@given(
    st.sampled_from(list(LowValueProtocol)),
    st.sampled_from([(1, None), (2, None), (3, "A"), (3, "B"), (3, "C")]),
    money(25_000),
    st.dates(min_value=date(2013, 7, 31), max_value=date(2100, 12, 31)),
)
def test_london_weighting_is_12_5_percent_rounded_half_up_and_never_less(
    protocol, part, damages, accrued
):
    """CPR 45.18(3) / 45.3: with London weighting the costs are the table amount plus 12.5%
    of it rounded half-up to the penny (Type B: plus nothing), never less than without."""
    stage, kind = part
    plain = fixed_costs(protocol, stage, damages, accrued_on=accrued, stage3_type=kind)
    london = fixed_costs(
        protocol, stage, damages, accrued_on=accrued, stage3_type=kind, london=True
    )
    assert london.amount >= plain.amount
    expected = (plain.amount * Decimal("0.125")).quantize(Decimal("0.01"), "ROUND_HALF_UP")
    assert london.amount - plain.amount == (Decimal("0.00") if kind == "B" else expected)


def test_fixed_costs_view_shows_the_weighting_and_the_weakest_mark():
    """A figure built from an [S] table and [S] London weighting is [S]; Stage 3 is [U]."""
    fc = fixed_costs("rta", 2, 5000, accrued_on=date(2023, 10, 1), london=True)
    assert fc.confidence is Confidence.SECONDARY
    html = fc._repr_html_()
    assert "£337.50" in html
    assert "London weighting" in html


# --------------------------------------------------------------------------- issue 25
# The mutation run's survivors (whole suite): each test states a behaviour that a
# surviving mutant changed; scripts/mutation-equivalent.toml gives the reason for each
# survivor judged equivalent.


def test_a_further_period_past_the_calendar_is_refused_naming_the_start_given():
    """RTA Protocol para 7.37 and the calendar's range: a further consideration period that
    would end after 31 December 2100 is refused, and the refusal names the argument the
    user gave (``start``) with the value given for it, not the derived end of the total
    consideration period (every refusal says the value received)."""
    start = date(2100, 11, 10)  # its total consideration period ends on 31 December 2100
    assert stage2_consideration("rta", start).total_consideration_end == date(2100, 12, 31)
    with pytest.raises(OutOfCoverageError) as info:
        stage2_consideration("rta", start, offers=[date(2100, 12, 31)])
    assert (info.value.field, info.value.value) == ("start", start)
    assert "5 business days from 2100-12-31" in info.value.message


@pytest.mark.parametrize(
    ("offer", "when"),
    [
        (date(2024, 2, 20), "on the last day of the total consideration period"),
        (date(2024, 2, 19), "1 business day before the end of the total consideration period"),
        (date(2024, 2, 16), "2 business days before the end of the total consideration period"),
        (date(2024, 2, 15), "3 business days before the end of the total consideration period"),
        (date(2024, 2, 13), "5 business days before the end of the total consideration period"),
    ],
)
def test_a_late_offer_is_explained_with_its_business_days_before_the_end(offer, when):
    """RTA Protocol para 7.37: an offer made 5 days or less before the end of the total
    consideration period (here 20 February 2024) opens a further 5 business days; the
    explanation says how many business days before the end it was made (one day, several
    days, or on the last day itself)."""
    result = stage2_consideration("rta", date(2024, 1, 2), offers=[offer])
    assert result.explanation[-1] == (
        f"an offer made on {offer}, {when}: a further 5 business days -> 2024-02-27, in which "
        "no further offers may be made (RTA Protocol para 7.37)"
    )
    assert len(result.explanation) == 3


def test_offers_none_of_them_late_are_explained_as_opening_no_further_period():
    """RTA Protocol para 7.37: offers made more than 5 business days before the end of the
    total consideration period open no further period, and the explanation says so; with no
    offers at all nothing is said about one."""
    result = stage2_consideration("rta", date(2024, 1, 2), offers=[date(2024, 2, 12)])
    assert result.explanation[-1] == (
        "no offer was made 5 business days or less before the end of the total "
        "consideration period: no further consideration period (RTA Protocol para 7.37)"
    )
    assert len(result.explanation) == 3
    assert len(stage2_consideration("rta", date(2024, 1, 2)).explanation) == 2


@pytest.mark.parametrize("accrued", [date(2013, 7, 31), date(2023, 9, 30), date(2023, 10, 1)])
def test_a_cnf_sent_on_the_day_of_the_accident_is_accepted(accrued):
    """SI 2023/572 r.2(2)(a): the costs rules turn on the day the cause of action accrued; a
    Claim Notification Form cannot be sent before that day, but it may be sent on it (only
    a form dated before the accident is refused)."""
    fc = fixed_costs("rta", 1, 5000, accrued_on=accrued, notified_on=accrued)
    assert (fc.accrued_on, fc.notified_on) == (accrued, accrued)
    assert fc.table.covers(accrued)
    with pytest.raises(RulesError) as info:
        fixed_costs("rta", 1, 5000, accrued_on=accrued, notified_on=accrued - timedelta(1))
    assert info.value.field == "notified_on"


def test_london_weighting_notes_say_what_was_added_and_why_not_for_type_b():
    """CPR 45.18(3) / CPR 45.3: London weighting adds 12.5% to the Stage 1 and 2 and Type A
    and C fixed costs, not to Type B (the advocate's); each figure's notes say which: the
    amount added, or why none was."""
    accrued = date(2023, 10, 1)
    type_a = fixed_costs("rta", 3, 5000, accrued_on=accrued, stage3_type="A", london=True)
    assert type_a.notes == (
        type_a.table.note,
        "London weighting: 12.5% of £250.00 = £31.25 added",
    )
    type_b = fixed_costs("rta", 3, 5000, accrued_on=accrued, stage3_type="B", london=True)
    assert type_b.notes == (
        type_b.table.note,
        (
            "London weighting does not apply to Type B fixed costs (the advocate's): the rule "
            "adds 12.5% to the Stage 1 and 2 and Type A and C fixed costs"
        ),
    )
    assert type_b.to_dict()["notes"] == list(type_b.notes)
    plain = fixed_costs("rta", 3, 5000, accrued_on=accrued, stage3_type="B")
    assert plain.notes == (plain.table.note,)


def test_a_fixed_cost_built_directly_follows_its_london_flag_and_its_amount():
    """FixedCost (a public value class): ``amount`` is ``base_amount`` plus
    ``london_weighting``; built without ``base_amount`` the table amount shown is the
    amount itself. Its reference, confidence and notes speak of London weighting only when
    ``london`` says it was asked for (CPR 45.18(3) / 45.3 apply only where the claimant and
    the representative are in a listed area)."""
    table = FIXED_COSTS_TABLES[-1]
    stage1 = {
        "protocol": LowValueProtocol.RTA,
        "stage": 1,
        "damages": Decimal("5000.00"),
        "band": "up_to_10000",
        "notified_on": None,
        "table": table,
    }
    plain = FixedCost(**stage1, amount=Decimal("200.00"))
    assert plain.to_dict()["base_amount"] == "200.00"
    assert plain.notes == (table.note,)
    unflagged = FixedCost(
        **stage1,
        amount=Decimal("225.00"),
        base_amount=Decimal("200.00"),
        london_weighting=Decimal("25.00"),
    )
    assert unflagged.notes == (table.note,)
    assert "London" not in unflagged.reference
    assert unflagged.to_dict()["base_amount"] == "200.00"


# --- mutation survivors: the fixed-costs tables' import-time checks (lv2)


def _table_refusal(tables):
    from rtaprotocol._data import DataFileError
    from rtaprotocol._lowvalue_costs import _check_tables

    with pytest.raises(DataFileError) as caught:
        _check_tables(tables)
    return caught.value


def test_fixed_costs_tables_must_start_on_the_extended_protocols_first_day():
    """The first fixed-costs table applies from 31 July 2013, the day the RTA Protocol
    was extended and the EL/PL Protocol began (RTA Protocol para 4.1(1); EL/PL Protocol
    para 4.1): a data file starting on another day is refused when the package loads,
    naming the field, the date received and both paragraphs."""
    import attrs

    from rtaprotocol._lowvalue_costs import FIXED_COSTS_TABLES

    late = attrs.evolve(FIXED_COSTS_TABLES[0], applies_from=date(2013, 8, 1))
    err = _table_refusal((late, *FIXED_COSTS_TABLES[1:]))
    assert (err.field, err.value, err.code.value) == (
        "applies_from",
        date(2013, 8, 1),
        "value.invalid",
    )
    assert err.reference == "RTA Protocol para 4.1(1); EL/PL Protocol para 4.1"
    assert err.message == (
        "fixed-costs: the first table applies from the extended protocols' first day, 2013-07-31"
    )


def test_london_weighting_must_cover_every_fixed_costs_table(monkeypatch):
    """London weighting (CPR 45.18(3), 12.5% on Stages 1, 2 and 3 Types A and C) must have
    a rate from the first table's first day: a data file whose first rate starts later is
    refused at load, naming the rate's first day and the weighting's own rule."""
    import attrs

    from rtaprotocol import _lowvalue_costs
    from rtaprotocol._lowvalue_costs import FIXED_COSTS_TABLES, LONDON_WEIGHTING

    london = _lowvalue_costs._LONDON
    later = attrs.evolve(london.rates[0], applies_from=date(2014, 1, 1))
    monkeypatch.setattr(
        _lowvalue_costs, "_LONDON", attrs.evolve(london, rates=(later, *london.rates[1:]))
    )
    err = _table_refusal(FIXED_COSTS_TABLES)
    assert (err.field, err.value, err.code.value) == (
        "applies_from",
        date(2014, 1, 1),
        "value.invalid",
    )
    assert err.reference == LONDON_WEIGHTING.reference
    assert err.message == "london-weighting: the rates must cover every fixed costs table"


def test_a_fixed_costs_table_keeps_its_files_stage3_confidence():
    """A table built from its data file keeps the file's own confidence mark for its
    Stage 3 figures (the provenance of every figure, docs/provenance.md), whatever the
    class default is."""
    import attrs

    from rtaprotocol import _data
    from rtaprotocol._lowvalue_costs import _table
    from rtaprotocol.sources import Confidence

    data = _data.fixed_costs_tables()[0]
    for mark in Confidence:
        assert _table(attrs.evolve(data, stage3_confidence=mark)).stage3_confidence is mark


def test_london_weighting_notes_state_the_dated_rate_not_a_literal(monkeypatch):
    """London weighting's rate is dated data (CPR 45.18(3): 12.5% today): the notes of a
    cost state the rate in force for its table, so a new rate in the data file changes the
    words with the figure, never leaving a stale "12.5%" beside a different amount."""
    import attrs

    from rtaprotocol import _lowvalue_costs

    london = _lowvalue_costs._LONDON
    rates = tuple(attrs.evolve(r, percent=Decimal("10")) for r in london.rates)
    monkeypatch.setattr(_lowvalue_costs, "_LONDON", attrs.evolve(london, rates=rates))
    stage1 = {
        "protocol": LowValueProtocol.RTA,
        "damages": Decimal("5000.00"),
        "band": "up_to_10000",
        "notified_on": None,
        "table": FIXED_COSTS_TABLES[-1],
        "london": True,
    }
    added = FixedCost(
        **stage1,
        stage=1,
        amount=Decimal("220.00"),
        base_amount=Decimal("200.00"),
        london_weighting=Decimal("20.00"),
    )
    assert added.notes[-1] == "London weighting: 10% of £200.00 = £20.00 added"
    type_b = FixedCost(**stage1, stage=3, stage3_type="B", amount=Decimal("250.00"))
    assert type_b.notes[-1].endswith(
        "the rule adds 10% to the Stage 1 and 2 and Type A and C fixed costs"
    )
