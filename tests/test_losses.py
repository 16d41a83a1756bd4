"""Tests for rtaprotocol.losses: the List of Losses, vehicle costs, interims and CRU."""

from __future__ import annotations

import json
import pickle
from datetime import date
from decimal import Decimal
from importlib.resources import files

import attrs
import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st
from referencing import Registry, Resource

import golden_errors
from rtaprotocol._checks import JSON_MAX_POUNDS
from rtaprotocol.deductions import Head, compute_payment
from rtaprotocol.errors import InvalidInput, ProtocolViolation, RulesError, RulesTypeError
from rtaprotocol.losses import (
    MOBILITY_LOSS_TYPES,
    SEEK_ADVICE_WARNING,
    CruCertificate,
    CruHead,
    ListOfLosses,
    LossesPayment,
    LossesStage,
    LossItem,
    LossType,
    PaidBy,
    compute_payment_for_losses,
)
from strategies import money, percents

D = Decimal
INJ, REL, PROP = Head.INJURY, Head.INJURY_RELATED, Head.PROPERTY

# The guide's claim-capture table (guide 5.2), row by row: label, head, evidence.
GUIDE_TABLE = [
    ("Property- repairs/total loss", PROP,
     "Repair invoice or estimate, engineer's report photographs of damage"),
    ("Property- storage/recovery", PROP, "Recovery/storage invoice"),
    ("Property- temporary vehicle", PROP, "Hire invoice"),
    ("Property- loss of use", PROP,
     "Details of dates on which you were without the use of your vehicle"),
    ("Property- travel expense", PROP, "Travel receipts (Taxi, bus train)"),
    ("Property- excess", PROP, "Confirmation of policy excess payment"),
    ("Property- diminution", PROP, "Engineer's report, cost of repairs, photographs of damage"),
    ("Property- other items", PROP, "Receipts, estimates, photographs of damage"),
    ("Injury related- treatment costs", REL, "Receipts from treating expert"),
    ("Injury related- prescription costs", REL, "Costs of medication"),
    ("Injury related- loss of earnings", REL, "Letter from employer, wage slips, accounts"),
    ("Injury related- care costs", REL, "Detail of hours spent, receipt for care received"),
    ("Injury related- travel costs", REL,
     "Receipts for travel to and from GP/hospital/ treatment appointments"),
    ("Injury related- other costs", REL, "Any other receipts, estimates"),
]  # fmt: skip


@pytest.mark.parametrize(("label", "head", "evidence"), GUIDE_TABLE)
def test_guide_table_row_by_row(label, head, evidence):
    """Each row of the guide 5.2 table is one LossType with its head and evidence."""
    (loss_type,) = [t for t in LossType if t.label == label]
    assert loss_type.head is head
    assert loss_type.evidence == evidence
    assert "guide 5.2" in loss_type.reference


def test_table_has_exactly_the_guide_rows_plus_property_loss_of_earnings():
    extra = set(LossType) - {
        t for t in LossType if t.label in dict.fromkeys(r[0] for r in GUIDE_TABLE)
    }
    assert extra == {LossType.PROPERTY_LOSS_OF_EARNINGS}
    assert LossType.PROPERTY_LOSS_OF_EARNINGS.head is PROP
    assert LossType.PROPERTY_LOSS_OF_EARNINGS.reference == "guide 4.4"


def test_vehicle_costs_are_the_five_the_protocol_lists():
    """Guide 5.2.4: pre-accident value/diminution, repairs, excess, hire, recovery/storage."""
    assert {t for t in LossType if t.vehicle_cost} == {
        LossType.PROPERTY_REPAIRS,
        LossType.PROPERTY_DIMINUTION,
        LossType.PROPERTY_EXCESS,
        LossType.PROPERTY_TEMPORARY_VEHICLE,
        LossType.PROPERTY_STORAGE_RECOVERY,
    }


def test_cru_heads_of_types():
    assert {t for t in LossType if t.loss_of_earnings} == {
        LossType.INJURY_LOSS_OF_EARNINGS,
        LossType.PROPERTY_LOSS_OF_EARNINGS,
    }
    assert {t for t in LossType if t.care} == {LossType.INJURY_CARE}
    assert {t for t in LossType if t.mobility} == set(MOBILITY_LOSS_TYPES)
    assert LossType.PROPERTY_REPAIRS.cru_head is None
    assert all("unconfirmed" in c for c in MOBILITY_LOSS_TYPES.values())


@pytest.mark.parametrize("paid_by", ["insurer", "credit-hire", "other-organisation"])
def test_non_protocol_flag_refused_on_a_non_vehicle_cost(paid_by):
    with pytest.raises(RulesError, match="only the five vehicle costs") as err:
        LossItem(LossType.INJURY_TREATMENT, 100, paid_by=paid_by)
    assert err.value.reference == "guide 5.2.4"


@pytest.mark.parametrize("paid_by", list(PaidBy))
def test_vehicle_cost_paid_by(paid_by):
    item = LossItem(LossType.PROPERTY_REPAIRS, 100, paid_by=paid_by)
    assert item.protocol is (paid_by in {PaidBy.CLAIMANT, PaidBy.FRIEND, PaidBy.RELATIVE})
    assert item.non_protocol_vehicle_cost is not item.protocol


def test_item_validation():
    with pytest.raises(RulesError):
        LossItem("nonsense", 1)
    with pytest.raises(RulesTypeError):
        LossItem(LossType.PROPERTY_EXCESS, 1, description=3)
    with pytest.raises(RulesTypeError):
        LossItem(LossType.PROPERTY_EXCESS, 1, evidence_held=1)
    with pytest.raises(RulesTypeError):
        LossItem(LossType.PROPERTY_EXCESS, 1, date_added="2023-01-01")
    with pytest.raises(RulesError, match="cannot be more than"):
        LossItem(LossType.PROPERTY_EXCESS, 100, interim_paid="100.01")
    with pytest.raises(RulesError, match="outside the portal"):
        LossItem(LossType.PROPERTY_EXCESS, 100, paid_by="insurer", interim_paid=1)


def guide_losses() -> ListOfLosses:
    return ListOfLosses(
        injury=1000,
        items=[
            LossItem(LossType.INJURY_LOSS_OF_EARNINGS, 1500),
            LossItem(LossType.PROPERTY_REPAIRS, 1300),
            LossItem(LossType.PROPERTY_EXCESS, 200),
        ],
    ).with_interim(2, 200)


def test_guide_example_item_path_and_per_head_path():
    """Guide 6.5.2.2: £2,112.50 both ways, CRU recorded against the loss of earnings."""
    pay = compute_payment_for_losses(
        guide_losses(),
        claimant_liability_percent=25,
        seatbelt_percent=10,
        cru_certificate=CruCertificate(earnings=500),
    )
    per_head = compute_payment(
        {INJ: 1000, REL: 1500, PROP: 1500},
        claimant_liability_percent=25,
        seatbelt_percent=10,
        cru={REL: 500},
        interim={PROP: 200},
    )
    assert pay.total == per_head.total == D("2112.50")
    assert pay.breakdown == per_head
    earnings = pay.cru[0]
    assert earnings.head is CruHead.EARNINGS
    assert earnings.items == (0,)
    assert earnings.set_off == D("500.00")
    assert earnings.available == D("1012.50")
    assert earnings.not_set_off == D("0.00")
    assert pay.interim_items == (2,)


def test_stage_rules():
    losses = ListOfLosses().add(LossItem(LossType.PROPERTY_EXCESS, 1))
    asked = losses.at_stage(LossesStage.OFFER_REQUESTED)
    for item in (
        LossItem(LossType.PROPERTY_EXCESS, 1),
        LossItem(LossType.PROPERTY_REPAIRS, 1, paid_by="insurer"),
    ):
        with pytest.raises(ProtocolViolation) as err:
            asked.add(item)
        assert err.value.reference == "guide 6.5.1.1"
    court = asked.at_stage("court")
    with pytest.raises(ProtocolViolation):
        court.add(LossItem(LossType.PROPERTY_EXCESS, 1))
    added = court.add(LossItem(LossType.PROPERTY_REPAIRS, 5, paid_by="credit-hire"))
    assert added.non_protocol_vehicle_costs == D("5.00")
    assert added.warnings == ()
    with pytest.raises(ProtocolViolation):
        court.at_stage("offer-requested")
    with pytest.raises(RulesTypeError):
        losses.add("excess")


def test_court_stage_warning_over_the_limit():
    court = ListOfLosses(injury=5000, items=[LossItem(LossType.INJURY_CARE, 4000)], stage="court")
    at_limit = court.add(LossItem(LossType.PROPERTY_REPAIRS, 1000, paid_by="insurer"))
    assert at_limit.warnings == ()
    over = at_limit.add(LossItem(LossType.PROPERTY_STORAGE_RECOVERY, "0.01", paid_by="insurer"))
    assert over.warnings == (SEEK_ADVICE_WARNING,)
    assert over.value_limits().within_limits
    assert "seek separate advice" in str(over)


def test_general_interim_is_its_own_line():
    losses = guide_losses().with_general_interim(100)
    pay = compute_payment_for_losses(losses)
    assert pay.breakdown.general_interim == D("100.00")
    assert pay.total == pay.breakdown.subtotal - 100


def test_cru_each_head_against_matching_items_only():
    losses = ListOfLosses(
        injury=3000,
        items=[
            LossItem(LossType.INJURY_LOSS_OF_EARNINGS, 100),
            LossItem(LossType.INJURY_CARE, 200),
            LossItem(LossType.INJURY_TRAVEL, 300),
            LossItem(LossType.INJURY_TREATMENT, 1000),
            LossItem(LossType.PROPERTY_REPAIRS, 1000),
        ],
    )
    pay = compute_payment_for_losses(
        losses, cru_certificate=CruCertificate(earnings=1000, care=1000, mobility=1000)
    )
    by = {c.head: c for c in pay.cru}
    assert by[CruHead.EARNINGS].items == (0,)
    assert by[CruHead.EARNINGS].set_off == D("100.00")
    assert by[CruHead.CARE].items == (1,)
    assert by[CruHead.CARE].set_off == D("200.00")
    assert by[CruHead.MOBILITY].items == (2,)
    assert by[CruHead.MOBILITY].set_off == D("300.00")
    assert pay.cru_not_set_off == D("2400.00")
    # Never the injury, never treatment, never repairs: what is left is theirs.
    assert pay.breakdown.net_by_head == {INJ: D("3000"), REL: D("1000"), PROP: D("1000")}
    assert "unconfirmed" in by[CruHead.MOBILITY].confidence


def test_cru_certificate_larger_than_matching_items_recorded_not_moved():
    losses = ListOfLosses(
        injury=1000,
        items=[LossItem(LossType.INJURY_CARE, 300), LossItem(LossType.INJURY_TREATMENT, 500)],
    )
    pay = compute_payment_for_losses(
        losses, claimant_liability_percent=50, cru_certificate=CruCertificate(care=400)
    )
    care = pay.cru[1]
    assert (care.available, care.set_off, care.not_set_off) == (
        D("150.00"),
        D("150.00"),
        D("250.00"),
    )
    assert pay.breakdown.net_by_head[REL] == D("250.00")  # the treatment's 250 untouched
    assert any("CRU for care of £250.00 not set off" in n for n in pay.notes())


def test_earnings_cru_against_property_loss_of_earnings():
    losses = ListOfLosses(
        injury=1000,
        items=[
            LossItem(LossType.PROPERTY_LOSS_OF_EARNINGS, 400),
            LossItem(LossType.PROPERTY_REPAIRS, 600),
            LossItem(LossType.INJURY_LOSS_OF_EARNINGS, 100),
        ],
    )
    pay = compute_payment_for_losses(losses, cru_certificate=CruCertificate(earnings=300))
    earnings = pay.cru[0]
    assert earnings.items == (0, 2)
    assert earnings.set_off_by_head == {INJ: D(0), REL: D("100.00"), PROP: D("200.00")}
    assert pay.breakdown.net_by_head[PROP] == D("800.00")


def test_cru_against_repairs_refused():
    losses = guide_losses()
    with pytest.raises(ProtocolViolation) as err:
        compute_payment_for_losses(
            losses, cru_certificate=CruCertificate(earnings=100), cru_items=[1]
        )
    assert "Sch 2" in err.value.reference
    only = compute_payment_for_losses(
        losses, cru_certificate=CruCertificate(earnings=100), cru_items=[0]
    )
    assert only.cru[0].set_off == D("100.00")
    with pytest.raises(RulesError):
        compute_payment_for_losses(losses, cru_items=[7])
    with pytest.raises(RulesTypeError):
        compute_payment_for_losses(losses, cru_items="0")


def test_no_vehicle_cost_can_take_cru():
    """Vehicle costs (protocol or not) have no Sch 2 head, so CRU never lands on them."""
    assert all(t.cru_head is None for t in LossType if t.vehicle_cost)


def test_bad_arguments():
    with pytest.raises(RulesTypeError):
        compute_payment_for_losses({"injury": 1})
    with pytest.raises(RulesTypeError):
        compute_payment_for_losses(ListOfLosses(), cru_certificate={"earnings": 1})
    with pytest.raises(RulesError):
        compute_payment_for_losses(ListOfLosses(), claimant_liability_percent=101)
    with pytest.raises(RulesError):
        ListOfLosses().with_interim(0, 1)
    with pytest.raises(RulesTypeError):
        ListOfLosses(items="abc")
    with pytest.raises(RulesTypeError):
        ListOfLosses(items=[1])


def test_totals():
    losses = ListOfLosses(
        injury=2000,
        items=[
            LossItem(LossType.PROPERTY_REPAIRS, 700),
            LossItem(LossType.PROPERTY_REPAIRS, 300, paid_by="relative"),
            LossItem(LossType.PROPERTY_REPAIRS, 5000, paid_by="insurer"),
            LossItem(LossType.INJURY_CARE, 50),
        ],
    )
    assert losses.total_by_head() == {INJ: D(2000), REL: D(50), PROP: D(1000)}
    assert losses.total_by_type() == {
        LossType.PROPERTY_REPAIRS: D(1000),
        LossType.INJURY_CARE: D(50),
    }
    assert losses.total_by_type(non_protocol=True) == {LossType.PROPERTY_REPAIRS: D(5000)}
    assert losses.protocol_damages == D("1050.00")
    assert losses.counted_total == D("3050.00")
    assert losses.non_protocol_vehicle_costs == D("5000.00")
    assert losses.value_limits().non_protocol_vehicle_costs == D("5000.00")


def test_json_round_trip():
    losses = (
        guide_losses()
        .add(
            LossItem(
                LossType.PROPERTY_TEMPORARY_VEHICLE,
                "99.99",
                paid_by="credit-hire",
                description="hire car",
                evidence_held=True,
                date_added=date(2023, 5, 2),
            )
        )
        .with_general_interim(5)
    )
    data = json.loads(json.dumps(losses.to_dict()))
    assert ListOfLosses.from_dict(data) == losses
    cert = CruCertificate(earnings=1, care="2.50", mobility=3)
    assert CruCertificate.from_dict(json.loads(json.dumps(cert.to_dict()))) == cert
    assert pickle.loads(pickle.dumps(losses)) == losses
    pay = compute_payment_for_losses(losses, cru_certificate=cert)
    assert json.loads(json.dumps(pay.to_dict()))["total"] == str(pay.total)
    assert "CRU by benefit head" in str(pay)


def test_from_dict_collects_every_problem():
    with pytest.raises(InvalidInput) as err:
        ListOfLosses.from_dict(
            {
                "injury": -1,
                "stage": "later",
                "colour": 1,
                "items": [
                    {"type": "injury-care-costs"},
                    3,
                    {"type": "property-excess", "amount": "1", "date_added": "2023-02-30"},
                ],
            }
        )
    fields = [p.field for p in err.value.problems]
    assert fields == [
        "$.colour", "$.injury", "$.stage", "$.items[0].amount", "$.items[1]",
        "$.items[2].date_added",
    ]  # fmt: skip
    with pytest.raises(InvalidInput):
        ListOfLosses.from_dict([])
    with pytest.raises(InvalidInput):
        ListOfLosses.from_dict({"items": {}})
    with pytest.raises(InvalidInput):
        CruCertificate.from_dict({"care": 1.505})
    with pytest.raises(InvalidInput):
        CruCertificate.from_dict("x")
    with pytest.raises(InvalidInput):
        LossItem.from_dict({"type": "injury-care-costs", "amount": "1", "paid_by": "insurer"})


# -- named cases for the rules' edges ------------------------------------------------------


def test_a_penny_of_interim_marks_the_item_paid():
    """Guide 6.3.1.4: an interim payment for an item, however small, marks it paid."""
    for interim in ("0.01", 1):
        losses = ListOfLosses(items=[LossItem(LossType.PROPERTY_EXCESS, 200)]).with_interim(
            0, interim
        )
        assert losses.items[0].paid
        assert compute_payment_for_losses(losses).interim_items == (0,)
    assert not LossItem(LossType.PROPERTY_EXCESS, 200).paid


def test_an_interim_for_one_item_leaves_the_others_alone():
    """Guide 6.3.1.4: the payment marks its own item paid; the rest of the list is unchanged."""
    before = ListOfLosses(
        items=[
            LossItem(LossType.PROPERTY_EXCESS, 100),
            LossItem(LossType.PROPERTY_REPAIRS, 900),
            LossItem(LossType.INJURY_CARE, 50),
            LossItem(LossType.INJURY_TRAVEL, 20),
        ]
    )
    after = before.with_interim(1, 300).with_interim(1, 100)
    assert [i.interim_paid for i in after.items] == [D(0), D("400.00"), D(0), D(0)]
    assert [attrs.evolve(i, interim_paid=0) for i in after.items] == list(before.items)


def test_with_item_is_add_and_with_injury_revalues_only_the_injury():
    """Guide 5.2.1: the injury's value is not an item; changing it keeps every item."""
    item = LossItem(LossType.PROPERTY_EXCESS, 250)
    assert ListOfLosses().with_item(item) == ListOfLosses().add(item) == ListOfLosses(items=[item])
    losses = ListOfLosses(injury=1000, items=[item]).with_injury("1500.50")
    assert (losses.injury, losses.items) == (D("1500.50"), (item,))
    with pytest.raises(ProtocolViolation):
        ListOfLosses(stage="offer-requested").with_item(item)


@pytest.mark.parametrize("stage", list(LossesStage))
def test_staying_at_a_stage_is_not_moving_back(stage):
    """Guide 6.5.1.1: stages only move forward; asking for the current stage is allowed."""
    losses = ListOfLosses(stage=stage)
    assert losses.at_stage(stage) == losses
    assert losses.at_stage(stage.value).stage is stage


def test_an_empty_list_totals_in_pounds_and_pence():
    """JSON amounts are exact pound-and-pence strings, "0.00" when nothing is there."""
    totals = ListOfLosses(injury=10).to_dict()["totals"]
    assert totals["protocol_damages"] == "0.00"
    assert totals["non_protocol_vehicle_costs"] == "0.00"
    assert totals["counted_total"] == "10.00"
    payment = LossesPayment(breakdown=compute_payment({}), cru=(), interim_items=())
    assert payment.to_dict()["cru_not_set_off"] == "0.00"


def test_cru_certificate_total_is_the_three_heads():
    """Sch 2: the certificate's recoverable benefits are the sum of its three heads."""
    cert = CruCertificate(earnings="100.10", care="20.02", mobility="3.30")
    assert cert.total == D("123.42")
    assert [cert.amount(h) for h in CruHead] == [D("100.10"), D("20.02"), D("3.30")]
    assert cert.amount("care") == D("20.02")


@pytest.mark.parametrize(
    ("amount", "read"),
    [(0, D("0.00")), (1, D("1.00")), (JSON_MAX_POUNDS, D("999999999999.00")), ("0", D(0))],
)
def test_whole_pound_amounts_in_a_file_from_nil_to_the_largest(amount, read):
    """The file form: a whole number of pounds from 0 to 999,999,999,999 is read as given."""
    item = LossItem.from_dict({"type": "property-excess", "amount": amount, "interim_paid": 0})
    assert item.amount == read
    assert item.interim_paid == D("0.00")
    data = {"injury": amount, "general_interim": amount}
    losses = ListOfLosses.from_dict(data)
    assert (losses.injury, losses.general_interim) == (read, read)
    assert CruCertificate.from_dict({"mobility": amount}).mobility == read


def test_seatbelt_reduction_only_on_the_heads_named():
    """Guide 6.5.2.1: the seatbelt step applies to the heads the compensator names.

    Here only the injury: CRU for earnings may then be set off against the loss of
    earnings at its value after the liability step alone, and the payment is the one the
    per-head path gives with the same heads.
    """
    losses = ListOfLosses(
        injury=1000,
        items=[
            LossItem(LossType.INJURY_LOSS_OF_EARNINGS, 800),
            LossItem(LossType.PROPERTY_EXCESS, 100),
        ],
    )
    pay = compute_payment_for_losses(
        losses,
        claimant_liability_percent=25,
        seatbelt_percent=50,
        seatbelt_heads=[INJ],
        cru_certificate=CruCertificate(earnings=1000),
    )
    assert pay.breakdown.seatbelt_heads == (INJ,)
    earnings = pay.cru[0]
    assert (earnings.available, earnings.set_off, earnings.not_set_off) == (
        D("600.00"),
        D("600.00"),
        D("400.00"),
    )
    assert pay.breakdown == compute_payment(
        {INJ: 1000, REL: 800, PROP: 100},
        claimant_liability_percent=25,
        seatbelt_percent=50,
        seatbelt_heads=[INJ],
        cru={REL: 600},
    )
    assert pay.total == D("375.00") + D("0.00") + D("75.00")


def test_cru_never_takes_a_head_below_nil_even_by_a_rounded_penny():
    """Guide 6.5.2.2; Sch 2: what is set off is recorded, and the head is never overdrawn.

    Each Sch 2 head's items are rounded half-up after the percentage steps, so two heads'
    items can each round up while their offer-screen head (rounded once) does not: 0.01
    and 0.01 at 50% are 0.01 each, the head 0.02 is 0.01. Only one penny can be set off;
    the other is recorded as not set off, never lost or set off twice.
    """
    losses = ListOfLosses(
        items=[
            LossItem(LossType.INJURY_LOSS_OF_EARNINGS, "0.01"),
            LossItem(LossType.INJURY_CARE, "0.01"),
        ]
    )
    pay = compute_payment_for_losses(
        losses,
        claimant_liability_percent=50,
        cru_certificate=CruCertificate(earnings="0.01", care="0.01"),
    )
    earnings, care, _ = pay.cru
    assert (earnings.set_off, earnings.not_set_off) == (D("0.01"), D("0.00"))
    assert (care.set_off, care.not_set_off) == (D("0.00"), D("0.01"))
    cru_step = pay.breakdown.step("cru")
    assert cru_step.deduction[REL] == D("0.01")
    assert cru_step.not_set_off.total() == 0
    assert pay.total == D("0.00")


# -- properties -------------------------------------------------------------------------

types = st.sampled_from(list(LossType))


@st.composite
def items(draw):
    loss_type = draw(types)
    amount = draw(money(3000))
    payers = list(PaidBy) if loss_type.vehicle_cost else [PaidBy.CLAIMANT, PaidBy.RELATIVE]
    paid_by = draw(st.sampled_from(payers))
    interim = D(0)
    if paid_by.protocol and draw(st.booleans()):
        interim = draw(st.integers(0, int(amount * 100)).map(lambda p: D(p).scaleb(-2)))
    return LossItem(loss_type, amount, paid_by=paid_by, interim_paid=interim)


lists = st.builds(
    ListOfLosses,
    injury=money(5000),
    items=st.lists(items(), max_size=8),
    stage=st.sampled_from(list(LossesStage)),
)
certificates = st.builds(
    CruCertificate, earnings=money(3000), care=money(3000), mobility=money(3000)
)


@given(lists)
def test_counted_total_never_includes_a_non_protocol_vehicle_cost(losses):
    protocol = sum((i.amount for i in losses.items if i.protocol), D(0))
    assert losses.counted_total == losses.injury + protocol
    assert losses.counted_total + losses.non_protocol_vehicle_costs == losses.injury + sum(
        (i.amount for i in losses.items), D(0)
    )
    assert losses.total_by_head().total() == losses.counted_total


@given(lists, certificates, percents(), percents())
def test_setting_off_cru_never_increases_the_payment(losses, cert, liability, seatbelt):
    kwargs = {"claimant_liability_percent": liability, "seatbelt_percent": seatbelt}
    without = compute_payment_for_losses(losses, **kwargs)
    with_cru = compute_payment_for_losses(losses, cru_certificate=cert, **kwargs)
    assert with_cru.total <= without.total
    for record in with_cru.cru:
        assert record.set_off <= record.available
        assert record.set_off + record.not_set_off == record.certificate
    # Every penny set off under a Sch 2 head is deducted by the CRU step, and no more.
    landed = {h: sum((c.set_off_by_head[h] for c in with_cru.cru), D(0)) for h in Head}
    assert with_cru.breakdown.step("cru").deduction == landed
    assert with_cru.breakdown.step("cru").not_set_off.total() == 0
    assert with_cru.breakdown.net_by_head[INJ] == without.breakdown.net_by_head[INJ]


@given(lists, percents(), percents(), st.sets(st.sampled_from(list(Head))), st.data())
def test_item_path_agrees_with_per_head_path(losses, liability, seatbelt, belted, data):
    """Whenever the per-head CRU equals what is set off against matching items."""
    full = compute_payment_for_losses(
        losses,
        claimant_liability_percent=liability,
        seatbelt_percent=seatbelt,
        seatbelt_heads=belted,
        cru_certificate=CruCertificate(earnings=10**7, care=10**7, mobility=10**7),
    )
    # A certificate within the matching items' value: everything is set off.
    cert = CruCertificate(
        **{
            c.head.value: data.draw(
                st.integers(0, int(c.available * 100)).map(lambda p: D(p).scaleb(-2))
            )
            for c in full.cru
        }
    )
    item_path = compute_payment_for_losses(
        losses, claimant_liability_percent=liability, seatbelt_percent=seatbelt,
        seatbelt_heads=belted, cru_certificate=cert,
    )  # fmt: skip
    assert item_path.cru_not_set_off == 0
    cru = {h: sum((c.set_off_by_head[h] for c in item_path.cru), D(0)) for h in (REL, PROP)}
    interim = {h: sum((i.interim_paid for i in losses.protocol_items if i.head is h), D(0))
               for h in (REL, PROP)}  # fmt: skip
    per_head = compute_payment(
        losses.total_by_head(),
        claimant_liability_percent=liability,
        seatbelt_percent=seatbelt,
        seatbelt_heads=belted,
        cru=cru,
        interim=interim,
    )
    assert item_path.breakdown == per_head
    assert sum(cru.values(), D(0)) == cert.total


@given(lists.filter(lambda losses: losses.items), st.data())
def test_a_nil_interim_for_any_item_changes_nothing(losses, data):
    """Guide 6.3.1.4: an interim payment changes its own item only, by its own amount."""
    index = data.draw(st.integers(0, len(losses.items) - 1))
    assert losses.with_interim(index, 0) == losses
    assert losses.with_general_interim(0) == losses


# -- JSON Schemas (package data) ------------------------------------------------------------

SCHEMAS = files("rtaprotocol") / "data" / "schemas"


def _schema(name):
    return json.loads((SCHEMAS / name).read_text("utf-8"))


def _validator(name):
    cru = _schema("cru-certificate.schema.json")
    registry = Registry().with_resources(
        [
            (cru["$id"], Resource.from_contents(cru)),
            ("cru-certificate.schema.json", Resource.from_contents(cru)),
        ]
    )
    schema = _schema(name)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, registry=registry)


def test_the_shipped_example_is_valid_and_reads():
    data = json.loads(
        (files("rtaprotocol") / "data" / "examples" / "list-of-losses.json").read_text("utf-8")
    )
    assert not list(_validator("list-of-losses.schema.json").iter_errors(data))
    rest = {k: v for k, v in data.items() if k != "cru_certificate"}
    losses = ListOfLosses.from_dict(rest)
    cert = CruCertificate.from_dict(data["cru_certificate"])
    pay = compute_payment_for_losses(
        losses, claimant_liability_percent=25, seatbelt_percent=10, cru_certificate=cert
    )
    assert pay.total == D("2112.50")


@given(lists, certificates)
def test_to_dict_output_is_valid_against_the_schemas(losses, cert):
    assert not list(_validator("list-of-losses.schema.json").iter_errors(losses.to_dict()))
    assert not list(_validator("cru-certificate.schema.json").iter_errors(cert.to_dict()))


@pytest.mark.parametrize(
    "data",
    [
        {"items": [{"type": "property-repair", "amount": "1"}]},
        {"items": [{"type": "property-excess"}]},
        {"items": [{"type": "property-excess", "amount": 1.505}]},
        {"items": [{"type": "property-excess", "amount": "-1"}]},
        {"items": [{"type": "property-excess", "amount": "1", "paid_by": "bank"}]},
        {"items": [{"type": "property-excess", "amount": "1", "extra": 1}]},
        {"stage": "later"},
        {"injury": "1,000"},
        {"general_interim": True},
        {"items": {}},
        {"colour": "red"},
    ],
)
def test_schema_and_from_dict_refuse_the_same_inputs(data):
    assert list(_validator("list-of-losses.schema.json").iter_errors(data))
    with pytest.raises(InvalidInput):
        ListOfLosses.from_dict(data)


@pytest.mark.parametrize(
    "data", [{"earnings": 1.505}, {"care": "-3"}, {"mobility": "1.234"}, {"pension": "1"}, []]
)
def test_cru_schema_and_from_dict_refuse_the_same_inputs(data):
    assert list(_validator("cru-certificate.schema.json").iter_errors(data))
    with pytest.raises(InvalidInput):
        CruCertificate.from_dict(data)


# -- every refusal, word for word (tests/golden/errors/losses.txt) -------------------------

_EXCESS = {"type": "property-excess", "amount": "200.00"}


def _item(**changes):
    return {**_EXCESS, **changes}


def _two_items():
    return ListOfLosses(
        items=[LossItem(LossType.PROPERTY_EXCESS, 200), LossItem(LossType.INJURY_CARE, 100)]
    )


ERRORS = {
    # The guide's claim-capture table (guide 5.2, plus guide 4.4's property loss of earnings)
    "a type of loss not in the guide's table (guide 5.2)": lambda: LossType.from_slug("car"),
    "a type of loss given as a number": lambda: LossType.from_slug(3),
    "an item's amount is negative (guide 5.2)": lambda: LossItem("property-excess", "-1"),
    "an item's amount is a bool (guide 5.2)": lambda: LossItem("property-excess", True),
    "an item's description is not a string (guide 5.2)": lambda: LossItem(
        "property-excess", 1, description=3
    ),
    "evidence held is 1, not True (guide 5.2)": lambda: LossItem(
        "property-excess", 1, evidence_held=1
    ),
    "the date added is an ISO string, not a date (guide 5.2)": lambda: LossItem(
        "property-excess", 1, date_added="2023-01-01"
    ),
    "paid by a bank: not a payer of guide 5.2.4": lambda: LossItem(
        "property-excess", 1, paid_by="bank"
    ),
    # Vehicle costs (guide 5.2.4) and interim payments for items (guide 6.3.1.4)
    "care costs paid by an insurer: only the five vehicle costs (guide 5.2.4)": lambda: LossItem(
        "injury-care-costs", 100, paid_by="insurer"
    ),
    "an interim payment for a non-protocol vehicle cost (guide 6.3.1.4)": lambda: LossItem(
        "property-repairs", 100, paid_by="credit-hire", interim_paid="0.01"
    ),
    "an interim payment of a penny more than the item (guide 6.3.1.4)": lambda: LossItem(
        "property-excess", 100, interim_paid="100.01"
    ),
    "an interim payment that is negative (guide 6.3.1.4)": lambda: LossItem(
        "property-excess", 100, interim_paid=-1
    ),
    # The list's own fields
    "the injury's value is negative (guide 5.2.1)": lambda: ListOfLosses(injury=-1),
    "items given as a string": lambda: ListOfLosses(items="abc"),
    "items given as a mapping": lambda: ListOfLosses(items={"type": "property-excess"}),
    "items given as a number": lambda: ListOfLosses(items=3),
    "an item that is not a LossItem": lambda: ListOfLosses(
        items=[LossItem("property-excess", 1), {"type": "property-excess"}]
    ),
    "a stage the guide does not have (guide 6.5.1.1)": lambda: ListOfLosses(stage="later"),
    "a general interim payment that is negative (guide 6.3.1.4)": lambda: ListOfLosses(
        general_interim=-5
    ),
    # Changes to the list: the stage rules (guide 6.5.1.1, 6.6.3.2)
    "adding something that is not a LossItem": lambda: ListOfLosses().add("property-excess"),
    "adding a loss once an offer has been requested (guide 6.5.1.1)": lambda: ListOfLosses(
        stage="offer-requested"
    ).add(LossItem("property-excess", 1)),
    "adding a non-protocol cost once an offer has been requested (guide 6.5.1.1)": lambda: (
        ListOfLosses(stage="offer-requested").add(
            LossItem("property-repairs", 1, paid_by="insurer")
        )
    ),
    "adding a protocol loss at the court stage (guide 6.5.1.1, 6.6.3.2)": lambda: ListOfLosses(
        stage="court"
    ).add(LossItem("property-excess", 1)),
    "the stage moving back from court to offer-requested (guide 6.5.1.1)": lambda: ListOfLosses(
        stage="court"
    ).at_stage("offer-requested"),
    "the stage moving back from offer-requested to claim (guide 6.5.1.1)": lambda: ListOfLosses(
        stage="offer-requested"
    ).at_stage(LossesStage.CLAIM),
    "at_stage with an unknown stage (guide 6.5.1.1)": lambda: ListOfLosses().at_stage("end"),
    "with_injury with a negative value (guide 5.2.1)": lambda: ListOfLosses().with_injury("-1"),
    "an interim for item 2 of a list of 2 (guide 6.3.1.4)": lambda: _two_items().with_interim(2, 1),
    "an interim for item -1 (guide 6.3.1.4)": lambda: _two_items().with_interim(-1, 1),
    "an interim for item '0', a string (guide 6.3.1.4)": lambda: _two_items().with_interim("0", 1),
    "an interim for an item of an empty list (guide 6.3.1.4)": lambda: ListOfLosses().with_interim(
        0, 1
    ),
    "an interim of a negative amount (guide 6.3.1.4)": lambda: _two_items().with_interim(0, -1),
    "interims for an item adding up to more than it (guide 6.3.1.4)": lambda: (
        _two_items().with_interim(1, 60).with_interim(1, "40.01")
    ),
    "a general interim of a negative amount (guide 6.3.1.4)": lambda: (
        ListOfLosses().with_general_interim("-0.01")
    ),
    # A loss item from JSON (list-of-losses.schema.json)
    "a loss item that is a list": lambda: LossItem.from_dict([1]),
    "a loss item with an unknown key and no type or amount": lambda: LossItem.from_dict(
        {"colour": "red"}
    ),
    "a loss item whose type is not in the guide's table": lambda: LossItem.from_dict(
        _item(type="property-repair")
    ),
    "a loss item amount with three decimal places": lambda: LossItem.from_dict(
        _item(amount="1.234")
    ),
    "a loss item amount with a pound sign": lambda: LossItem.from_dict(_item(amount="£1")),
    "a loss item amount with 13 digits": lambda: LossItem.from_dict(_item(amount="1000000000000")),
    "a loss item amount that is a float of three places": lambda: LossItem.from_dict(
        _item(amount=1.505)
    ),
    "a loss item amount that is true": lambda: LossItem.from_dict(_item(amount=True)),
    "a loss item amount that is null": lambda: LossItem.from_dict(_item(amount=None)),
    "a loss item amount of -1 whole pounds": lambda: LossItem.from_dict(_item(amount=-1)),
    "a loss item amount one pound over the largest whole number": lambda: LossItem.from_dict(
        _item(amount=10**12)
    ),
    "a loss item description that is a number": lambda: LossItem.from_dict(_item(description=7)),
    "a loss item evidence_held of 1": lambda: LossItem.from_dict(_item(evidence_held=1)),
    "a loss item date_added that is a number": lambda: LossItem.from_dict(
        _item(date_added=20230101)
    ),
    "a loss item date_added of 9 characters": lambda: LossItem.from_dict(
        _item(date_added="2023-1-01")
    ),
    "a loss item date_added of 11 characters": lambda: LossItem.from_dict(
        _item(date_added="2023-01-011")
    ),
    "a loss item date_added of 30 February": lambda: LossItem.from_dict(
        _item(date_added="2023-02-30")
    ),
    "a loss item paid by a bank": lambda: LossItem.from_dict(_item(paid_by="bank")),
    "a loss item interim_paid as a float of three places": lambda: LossItem.from_dict(
        _item(interim_paid=0.505)
    ),
    "a loss item with an interim over its amount (guide 6.3.1.4)": lambda: LossItem.from_dict(
        _item(interim_paid="200.01")
    ),
    "a loss item of care costs paid by an insurer (guide 5.2.4)": lambda: LossItem.from_dict(
        {"type": "injury-care-costs", "amount": "1", "paid_by": "insurer"}
    ),
    "a loss item at a nested path": lambda: LossItem.from_dict(
        _item(amount="x"), path="$.claim.items[4]"
    ),
    # A List of Losses from JSON
    "a List of Losses that is a list": lambda: ListOfLosses.from_dict([]),
    "a List of Losses that is null": lambda: ListOfLosses.from_dict(None),
    "a List of Losses with every kind of problem": lambda: ListOfLosses.from_dict(
        {
            "colour": "red",
            "injury": "1,000",
            "general_interim": True,
            "stage": "later",
            "items": [_EXCESS, 3, _item(amount=-2), {"type": "car"}],
        }
    ),
    "a List of Losses whose items are an object": lambda: ListOfLosses.from_dict({"items": {}}),
    "a List of Losses whose injury is a float of three places": lambda: ListOfLosses.from_dict(
        {"injury": 1.505}
    ),
    "a List of Losses whose general interim is too large": lambda: ListOfLosses.from_dict(
        {"general_interim": "1234567890123"}
    ),
    # A CRU certificate (Social Security (Recovery of Benefits) Act 1997, Sch 2)
    "a CRU certificate with negative earnings (Sch 2 para 1)": lambda: CruCertificate(earnings=-1),
    "a CRU certificate with care as a bool (Sch 2 para 2)": lambda: CruCertificate(care=True),
    "a CRU certificate with mobility in fractions of a penny (Sch 2 para 3)": lambda: (
        CruCertificate(mobility="1.234")
    ),
    "a CRU head that Sch 2 does not have": lambda: CruCertificate().amount("pension"),
    "a CRU certificate from JSON that is a string": lambda: CruCertificate.from_dict("x"),
    "a CRU certificate from JSON with every kind of problem": lambda: CruCertificate.from_dict(
        {"pension": "1", "earnings": 1.505, "care": "-3", "mobility": 10**12}
    ),
    # The payment from a List of Losses (guide 6.5.2; Sch 2)
    "a payment from a dict, not a ListOfLosses": lambda: compute_payment_for_losses({"injury": 1}),
    "a payment with a certificate given as a dict": lambda: compute_payment_for_losses(
        ListOfLosses(), cru_certificate={"earnings": 1}
    ),
    "a payment with 101% liability (guide 6.5.2.1)": lambda: compute_payment_for_losses(
        ListOfLosses(), claimant_liability_percent=101
    ),
    "CRU items given as a string": lambda: compute_payment_for_losses(_two_items(), cru_items="1"),
    "CRU items given as a mapping": lambda: compute_payment_for_losses(
        _two_items(), cru_items={1: True}
    ),
    "CRU items given as a number": lambda: compute_payment_for_losses(_two_items(), cru_items=1),
    "CRU items naming item 2 of a list of 2": lambda: compute_payment_for_losses(
        _two_items(), cru_items=[1, 2]
    ),
    "CRU items naming item -1": lambda: compute_payment_for_losses(_two_items(), cru_items=[-1]),
    "CRU items naming the excess, which no Sch 2 head covers": lambda: compute_payment_for_losses(
        _two_items(), cru_items=[1, 0]
    ),
}


def test_every_refusal_matches_its_golden_file():
    """Each refusal names the value received, the field and the rule that forbids it."""
    golden_errors.check("losses", ERRORS)


def test_a_payment_says_which_liability_it_applied_and_shows_its_flags():
    """Issue 22 (guide 6.3.1.1, 6.5.2, 6.4.2): ``liability_basis`` and ``flags`` are shown in
    the text, the HTML and the JSON; the flags come first among the notes. Without them the
    payment reads as before (basis None, no flags)."""
    from attrs import evolve

    losses = ListOfLosses(injury=1000, items=[LossItem("property-excess", 200)])
    plain = compute_payment_for_losses(losses, claimant_liability_percent=0)
    assert (plain.liability_basis, plain.flags) == (None, ())
    assert plain.to_dict()["liability_basis"] is None
    assert "Liability:" not in str(plain)
    shown = evolve(plain, liability_basis="100% as negotiated", flags=("long prognosis",))
    assert shown.notes()[0] == "long prognosis"
    assert "Note: Liability: 100% as negotiated" in str(shown)
    assert "Note: long prognosis" in shown._repr_html_()
    assert shown.to_dict()["liability_basis"] == "100% as negotiated"
    assert shown.total == plain.total


def test_lists_and_descriptions_are_bounded():
    """A List of Losses holds at most 100,000 items and a description at most 2,000
    characters (the shared reader bounds, rtaprotocol._checks; issue 24)."""
    item = {"type": "property-excess", "amount": 1}
    with pytest.raises(InvalidInput, match="at most 100,000 items"):
        ListOfLosses.from_dict({"items": [item] * 100_001})
    with pytest.raises(InvalidInput, match="at most 2,000 characters"):
        ListOfLosses.from_dict({"items": [{**item, "description": "x" * 2001}]})
    assert ListOfLosses.from_dict({"items": [{**item, "description": "x" * 2000}]}).items


def test_items_adding_up_past_the_ceiling_are_refused_when_read():
    """Every total a List of Losses reports is itself an amount: items adding up to more than
    £999,999,999,999.99 are refused by the reader (code money.too-large, at /items), never
    accepted and then failing when the totals are written (issue 24: every money field has
    an upper bound)."""
    big = {"type": "property-excess", "amount": "999999999999.99"}
    with pytest.raises(RulesError) as err:
        ListOfLosses.from_dict({"items": [big, big]})
    assert err.value.code == "money.too-large"
    assert err.value.pointer == "/items"
    one = ListOfLosses.from_dict({"items": [big]})
    assert one.to_dict()["items"][0]["amount"] == "999999999999.99"


# -- mutation survivors: losses (2026-12-08) -----------------------------------------------


@pytest.mark.parametrize(
    ("kind", "slug", "column"),
    [(Head, "not-a-head", "head"), (CruHead, "not-a-cru-head", "cru_head")],
)
def test_a_loss_type_entry_naming_an_unknown_head_is_refused_as_bad_data(kind, slug, column):
    """The loss types' data file (data/rules/loss-types) names each type's offer head and
    Sch 2 head; a name that is not a member is refused as a fault of that data file
    (DataFileError naming the file, the column and the value), never left as a string."""
    from rtaprotocol._data import DataFileError
    from rtaprotocol.losses.loss_types import _from_data

    with pytest.raises(DataFileError) as caught:
        _from_data(kind, slug, column)
    err = caught.value
    assert err.field == column
    assert err.value == slug
    assert err.message == f"loss-types: not a {kind.__name__}"
    assert err.reference == "rtaprotocol rule data files"
    assert str(err) == (
        f"{column}: loss-types: not a {kind.__name__}: got {slug!r} [rtaprotocol rule data files]"
    )
    member = next(iter(kind))
    assert _from_data(kind, member.value, column) is member


def test_a_list_of_exactly_the_most_items_is_read_whole(monkeypatch):
    """A List of Losses file may hold up to the shared bound of items (100,000,
    rtaprotocol._checks.MAX_LIST_ITEMS) and the reader keeps every one: the bound refuses
    only a list longer than it. (The reader's guard is lowered to 3 here to keep the test
    quick; the refusal itself is the shared check_size.)"""
    from rtaprotocol.losses import reading

    monkeypatch.setattr(reading, "MAX_LIST_ITEMS", 3)
    item = {"type": "property-excess", "amount": 1}
    assert len(ListOfLosses.from_dict({"items": [item] * 3}).items) == 3


def test_a_list_over_the_bound_is_one_problem_at_items():
    """A list of more than 100,000 items is refused once, at ``$.items`` (pointer
    ``/items``), under the schema's reference; its items are not read (and no second
    problem says the items are not an array)."""
    item = {"type": "property-excess", "amount": 1}
    with pytest.raises(InvalidInput) as caught:
        ListOfLosses.from_dict({"items": [item] * 100_001, "injury": "x"})
    problems = caught.value.problems
    assert [p.field for p in problems] == ["$.injury", "$.items"]
    assert problems[1].pointer == "/items"
    assert problems[1].message == "a list of at most 100,000 items"


def test_items_built_in_python_adding_up_past_the_ceiling_show_their_total():
    """A List of Losses built in Python whose items add up past the library's ceiling for
    an amount (£999,999,999,999.99) is refused at ``items``, showing the total as exact
    pounds (the refusal's value), with the code money.too-large (guide 5.2)."""
    from rtaprotocol.money import MAX_AMOUNT

    items = [LossItem("property-excess", MAX_AMOUNT), LossItem("property-repairs", "0.01")]
    with pytest.raises(RulesError) as caught:
        ListOfLosses(items=items)
    err = caught.value
    assert (err.field, err.value, err.code.value) == (
        "items",
        "1000000000000.00",
        "money.too-large",
    )
