"""Tests for rtaprotocol.deductions: the ordered deductions of guide 6.5.2."""

from __future__ import annotations

import json
import pickle
import re
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import views
from rtaprotocol import deductions
from rtaprotocol.deductions import (
    CRU_REFERENCE,
    GENERAL_INTERIM_REFERENCE,
    INTERIM_REFERENCE,
    LIABILITY_REFERENCE,
    SEATBELT_REFERENCE,
    DeductionStep,
    Head,
    PaymentBreakdown,
    PerHead,
    compute_payment,
)
from rtaprotocol.errors import ProtocolViolation, RulesError, RulesTypeError
from strategies import money, percents

D = Decimal
INJ, REL, PROP = Head.INJURY, Head.INJURY_RELATED, Head.PROPERTY


def guide_example() -> PaymentBreakdown:
    return compute_payment(
        {INJ: 1000, REL: 1500, PROP: 1500},
        claimant_liability_percent=25,
        seatbelt_percent=10,
        cru={REL: 500},
        interim={PROP: 200},
    )


def per_head(injury, related, prop):
    return {INJ: D(injury), REL: D(related), PROP: D(prop)}


def pence_formula(pence: int, basis_points: int) -> int:
    """Integer-pence reference: round half-up of pence * (10000 - bp) / 10000."""
    return (pence * (10000 - basis_points) * 2 + 10000) // 20000


# --- the guide's worked example (guide 6.5.2.2), row by row -------------------------------


def test_guide_example_full_value_row():
    """The full value of each head is recorded before any deduction (total offer £4,000)."""
    pay = guide_example()
    assert pay.full_value == per_head("1000", "1500", "1500")
    assert pay.full_value.total() == D("4000.00")


def test_guide_example_liability_row():
    """25% liability deduction: £750, £1,125, £1,125."""
    step = guide_example().steps[0]
    assert step.name == "liability"
    assert step.description == "25% liability deduction"
    assert step.reference == LIABILITY_REFERENCE
    assert "6.5.2" in step.reference
    assert step.after == per_head("750", "1125", "1125")
    assert step.deduction == per_head("250", "375", "375")
    assert step.applies_to == (INJ, REL, PROP)


def test_guide_example_seatbelt_row():
    """10% no seatbelt: £675, £1,012.50, £1,125 (no change to property)."""
    step = guide_example().steps[1]
    assert step.name == "seatbelt"
    assert step.description == "10% no seatbelt"
    assert step.reference == SEATBELT_REFERENCE
    assert step.after == per_head("675", "1012.50", "1125")
    assert step.deduction == per_head("75", "112.50", "0")
    assert step.applies_to == (INJ, REL)


def test_guide_example_cru_row():
    """CRU of £500: £675 (no change), £512.50, £1,125 (no change)."""
    step = guide_example().steps[2]
    assert step.name == "cru"
    assert step.description == "CRU of £500.00"
    assert step.reference == CRU_REFERENCE
    assert "6.5.2.2" in step.reference
    assert step.after == per_head("675", "512.50", "1125")
    assert step.deduction == per_head("0", "500", "0")
    assert step.applies_to == (REL,)


def test_guide_example_interim_row():
    """Interim for policy excess of £200: £675, £512.50 (no change), £925."""
    step = guide_example().steps[3]
    assert step.name == "interim"
    assert step.reference == INTERIM_REFERENCE
    assert "6.3.1.4" in step.reference
    assert step.after == per_head("675", "512.50", "925")
    assert step.deduction == per_head("0", "0", "200")


def test_guide_example_total():
    """Total payment = £2,112.50 (i.e. £675 + £512.50 + £925), nothing left unset-off."""
    pay = guide_example()
    assert pay.total == D("2112.50")
    assert pay.subtotal == D("2112.50")
    assert pay.net_by_head == per_head("675", "512.50", "925")
    assert pay.cru_not_set_off.total() == 0
    assert pay.interim_not_set_off.total() == 0
    assert pay.general_interim_not_set_off == 0
    assert pay.notes() == ()


def test_guide_example_with_slug_keys():
    """Heads keyed by their slugs give the same breakdown as heads keyed by Head."""
    by_slug = compute_payment(
        {"injury": "1000", "injury-related": "1500", "property": "1500.00"},
        claimant_liability_percent="25",
        seatbelt_percent=Decimal("10"),
        cru={"injury-related": 500},
        interim={"property": 200},
    )
    assert by_slug == guide_example()


# --- order and rounding -------------------------------------------------------------------


def test_order_matters():
    """50% liability then 20% seatbelt on £1,000 is £400.00 (not £300.00, 1,000 x 30%)."""
    pay = compute_payment({INJ: 1000}, claimant_liability_percent=50, seatbelt_percent=20)
    assert pay.total == D("400.00")
    assert pay.steps[0].after[INJ] == D("500.00")
    assert pay.steps[1].deduction[INJ] == D("100.00")


def test_steps_always_in_guide_order():
    """Every breakdown has the four steps in the guide's order, even when they deduct nothing."""
    pay = compute_payment({})
    assert [s.name for s in pay.steps] == ["liability", "seatbelt", "cru", "interim"]
    assert pay.total == D("0.00")


def test_half_penny_result_is_rounded_up():
    """At an exact half-penny the step's result rounds up: £0.05 less 50% is £0.03."""
    step = compute_payment({INJ: "0.05"}, claimant_liability_percent=50).steps[0]
    assert step.after[INJ] == D("0.03")
    assert step.deduction[INJ] == D("0.02")  # rounding the deduction instead would give 0.03


def test_half_penny_on_seatbelt_step():
    """The seatbelt step rounds its result half-up too: £1,000.01 less 50% is £500.01."""
    pay = compute_payment({REL: "1000.01"}, seatbelt_percent=50)
    assert pay.net_by_head[REL] == D("500.01")
    assert pay.steps[1].deduction[REL] == D("500.00")


def test_seatbelt_applies_to_the_rounded_liability_result():
    """The seatbelt percentage is taken from the liability step's rounded result."""
    # £0.05 less 10% is 0.045 -> £0.05; less 10% again is 0.045 -> £0.05. Applying 81% to
    # the unrounded figure would give 0.0405 -> £0.04.
    pay = compute_payment({INJ: "0.05"}, claimant_liability_percent=10, seatbelt_percent=10)
    assert [s.after[INJ] for s in pay.steps[:2]] == [D("0.05"), D("0.05")]


def test_fractional_percentages():
    """Percentages may have two decimal places: 33.33% off £100 leaves £66.67."""
    pay = compute_payment({PROP: 100}, claimant_liability_percent="33.33")
    assert pay.total == D("66.67")
    assert pay.to_dict()["steps"][0]["description"] == "33.33% liability deduction"


def test_huge_amounts_are_exact():
    """Amounts far beyond the portal's limits, up to MAX_AMOUNT, are computed exactly."""
    pence = 12345678901234
    amount = D(pence).scaleb(-2)
    pay = compute_payment({PROP: amount}, claimant_liability_percent="33.33")
    assert pay.total == D(pence_formula(pence, 3333)).scaleb(-2)


def test_percentages_at_bounds():
    """0% deducts nothing; 100% liability leaves nothing."""
    assert compute_payment({INJ: 10}, claimant_liability_percent=0).total == D("10.00")
    assert compute_payment({INJ: 10, PROP: 5}, claimant_liability_percent=100).total == D("0.00")
    assert compute_payment({INJ: 10, PROP: 5}, seatbelt_percent=100).total == D("5.00")


# --- which heads each deduction touches ---------------------------------------------------


def test_seatbelt_heads_default_excludes_property():
    """By default the seatbelt reduction applies to injury and injury-related only."""
    pay = compute_payment({INJ: 100, REL: 100, PROP: 100}, seatbelt_percent=10)
    assert pay.net_by_head == per_head("90", "90", "100")
    assert pay.seatbelt_heads == (INJ, REL)


def test_seatbelt_heads_chosen():
    """seatbelt_heads picks the heads (Head or slug); order and duplicates don't matter."""
    pay = compute_payment(
        {INJ: 100, REL: 100, PROP: 100}, seatbelt_percent=10, seatbelt_heads=["property", PROP]
    )
    assert pay.net_by_head == per_head("100", "100", "90")
    assert pay.seatbelt_heads == (PROP,)
    none = compute_payment({INJ: 100}, seatbelt_percent=10, seatbelt_heads=())
    assert none.total == D("100.00")


def test_missing_heads_count_as_zero():
    """A head not given is £0.00 in every row."""
    pay = compute_payment({PROP: 1})
    assert pay.full_value == per_head("0", "0", "1")
    assert pay.net_by_head[INJ] == D("0.00")


def test_zero_cru_against_injury_is_allowed():
    """A zero CRU amount against injury sets off nothing and is not refused."""
    pay = compute_payment({INJ: 100}, cru={INJ: 0}, interim={"injury": "0.00"})
    assert pay.total == D("100.00")


# --- amounts that cannot be set off -------------------------------------------------------


def test_cru_larger_than_head_reduces_it_to_zero_and_records_the_rest():
    """A CRU amount above what is left of its head takes it to zero; the rest is recorded."""
    pay = compute_payment({REL: 1000, PROP: 100}, claimant_liability_percent=50, cru={REL: 600})
    assert pay.net_by_head[REL] == D("0.00")
    assert pay.steps[2].deduction[REL] == D("500.00")
    assert pay.cru_not_set_off == per_head("0", "100", "0")
    assert pay.total == D("50.00")  # the excess is not taken from another head
    assert pay.notes() == (
        f"CRU of £100.00 against injury-related not set off: the head is £0.00 ({CRU_REFERENCE})",
    )


def test_interim_larger_than_head_is_recorded():
    """An item interim payment above its head's remainder is recorded as not set off."""
    pay = compute_payment({PROP: 150}, interim={PROP: 200})
    assert pay.net_by_head[PROP] == D("0.00")
    assert pay.interim_not_set_off[PROP] == D("50.00")


def test_general_interim_comes_off_the_total():
    """A general interim payment is a line of its own, offset against the total."""
    pay = compute_payment({INJ: 100, PROP: 100}, general_interim="50.50")
    assert pay.net_by_head == per_head("100", "0", "100")
    assert pay.subtotal == D("200.00")
    assert pay.general_interim_set_off == D("50.50")
    assert pay.total == D("149.50")


def test_general_interim_excess_is_recorded_and_total_floors_at_zero():
    """A general interim larger than the subtotal leaves a total of £0.00 and records the excess."""
    pay = compute_payment({INJ: 100}, general_interim=130)
    assert pay.total == D("0.00")
    assert pay.general_interim_not_set_off == D("30.00")
    assert pay.notes()[-1].startswith("general interim payment of £30.00 not set off")
    assert pay.to_dict()["general_interim_not_set_off"] == "30.00"


# --- rendering ----------------------------------------------------------------------------


def test_str_is_the_guides_table():
    """str() shows each step's per-head results, totals and references, like the guide."""
    text = str(guide_example())
    lines = text.splitlines()
    assert lines[0] == "Payment: £2,112.50 (guide 6.5.2)"
    assert any(
        line.startswith("25% liability deduction") and "£750.00" in line and "£1,125.00" in line
        for line in lines
    )
    assert any(line.startswith("10% no seatbelt") and "£1,012.50" in line for line in lines)
    assert any(line.startswith("CRU of £500.00") and "£512.50" in line for line in lines)
    assert any(
        line.startswith("interim payments of £200.00") and "£925.00" in line for line in lines
    )
    assert lines[-1].startswith("total payment")
    assert "£2,112.50" in lines[-1]
    assert CRU_REFERENCE in text
    assert "Note:" not in text


def test_str_shows_notes_for_amounts_not_set_off():
    """Amounts that could not be set off are explained under the table."""
    text = str(compute_payment({PROP: 10}, interim={PROP: 15}, general_interim=1))
    assert "Note: interim of £5.00 against property not set off" in text
    assert "Note: general interim payment of £1.00 not set off" in text


def test_repr_html():
    """_repr_html_ is an HTML table with a caption giving the payment, plus any notes."""
    html = guide_example()._repr_html_()
    assert html.startswith('<p role="status"')
    assert ">Payment: £2,112.50 (<a href=" in html
    assert "£1,012.50" in html
    noted = compute_payment({PROP: 10}, interim={PROP: 15})._repr_html_()
    assert "<p>Note: interim of £5.00" in noted


def test_to_dict_is_json_ready_and_exact():
    """to_dict() survives json round-trips with amounts as exact strings and heads as slugs."""
    data = guide_example().to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["total"] == "2112.50"
    assert data["net_by_head"] == {
        "injury": "675.00",
        "injury-related": "512.50",
        "property": "925.00",
    }
    assert [s["name"] for s in data["steps"]] == ["liability", "seatbelt", "cru", "interim"]
    assert data["steps"][1]["after"]["injury-related"] == "1012.50"
    assert data["steps"][1]["applies_to"] == ["injury", "injury-related"]
    assert data["steps"][2]["reference"] == CRU_REFERENCE
    assert data["seatbelt_heads"] == ["injury", "injury-related"]
    assert data["general_interim_reference"] == GENERAL_INTERIM_REFERENCE
    assert "half-up" in data["rounding"]


def test_breakdown_is_frozen_hashable_and_pickles():
    """Breakdowns are immutable values: frozen, hashable, equal after a pickle round-trip."""
    pay = guide_example()
    with pytest.raises(AttributeError):
        pay.general_interim = D(1)  # type: ignore[misc]
    assert hash(pay) == hash(guide_example())
    assert pickle.loads(pickle.dumps(pay)) == pay


def test_step_lookup():
    """step(name) finds a step by its slug; an unknown name is a RulesError naming it."""
    pay = guide_example()
    assert isinstance(pay.step("seatbelt"), DeductionStep)
    with pytest.raises(RulesError, match=r"liability, seatbelt, cru, interim") as info:
        pay.step("excess")
    assert info.value.value == "excess"
    assert info.value.reference == "guide 6.5.2"


def test_huge_amounts_on_every_head_add_up_exactly():
    """Regression: sums over three heads at the ceiling (MAX_AMOUNT) keep every penny."""
    top = D("999999999999.99")
    pay = compute_payment({INJ: top, REL: top, PROP: top}, general_interim=top)
    assert pay.full_value.total() == D("2999999999999.97")
    assert pay.subtotal == D("2999999999999.97")
    assert pay.total == D("1999999999999.98")
    assert pay.general_interim_not_set_off == D("0.00")
    over = compute_payment({INJ: "0.01"}, general_interim=top)
    assert over.total == D("0.00")
    assert over.general_interim_not_set_off == D("999999999999.98")


# --- Head and PerHead ---------------------------------------------------------------------


def test_head_slugs_and_labels():
    """Heads have stable slugs and a description each."""
    assert [h.value for h in Head] == ["injury", "injury-related", "property"]
    assert all(h.label for h in Head)
    assert Head.from_slug(REL) is REL


def test_head_from_slug_refuses_unknown():
    """An unknown slug is refused, naming the value and guide 6.5.2."""
    with pytest.raises(RulesError, match=r"'PSLA' \[guide 6\.5\.2\]"):
        Head.from_slug("PSLA")


def test_per_head_is_a_read_only_mapping():
    """PerHead indexes by Head or slug, compares equal to dicts and refuses other keys."""
    ph = PerHead.of({PROP: D("2.00")})
    assert ph["property"] == ph[PROP] == D("2.00")
    assert len(ph) == 3
    assert list(ph) == [INJ, REL, PROP]
    assert ph == {INJ: D(0), REL: D(0), PROP: D(2)}
    assert ph != {INJ: D(0)}
    assert hash(ph) == hash(PerHead.of({PROP: D("2.00")}))
    assert ph.get("psla") is None
    with pytest.raises(KeyError):
        ph["psla"]
    with pytest.raises(AttributeError):
        ph.injury = D(1)  # type: ignore[misc]


def test_per_head_unhashable_key_is_just_missing():
    """Regression: an unhashable key is a KeyError (so `in` and get() work), not a TypeError."""
    ph = PerHead.of({PROP: 2})
    assert ph.get([PROP]) is None  # type: ignore[call-overload]
    assert [PROP] not in ph
    with pytest.raises(KeyError):
        ph[[PROP]]  # type: ignore[index]


def test_per_head_of_converts_through_to_money():
    """PerHead.of takes anything to_money takes, and refuses what it refuses, naming the head."""
    assert PerHead.of({PROP: 2, INJ: "1.5"}) == per_head("1.50", "0", "2")
    with pytest.raises(RulesError, match=r"property: amount is negative") as info:
        PerHead.of({PROP: -1})
    assert info.value.reference == "guide 6.5.2"


@pytest.mark.parametrize(
    ("value", "error", "fragment"),
    [
        ("abc", RulesError, "plain decimal number"),
        (None, RulesTypeError, "not NoneType"),
        (True, RulesTypeError, "not bool"),
        (D("-1.00"), RulesError, "amount is negative"),
        (D("1.005"), RulesError, "two decimal places"),
        (5, RulesTypeError, "use PerHead.of"),
        (D("5"), RulesTypeError, "use PerHead.of"),
    ],
)
def test_per_head_constructor_refuses_anything_but_pence(value, error, fragment):
    """Regression: PerHead(...) held any object; it now takes only two-place Decimals."""
    with pytest.raises(error, match=fragment) as info:
        PerHead(injury=D("1.00"), injury_related=value, property=D("0.00"))
    assert info.value.field == "injury_related"
    assert info.value.reference == "guide 6.5.2"


# --- refusals -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "error", "fragment"),
    [
        (
            {"claimant_liability_percent": 101},
            RulesError,
            "claimant_liability_percent: percentage is above 100",
        ),
        (
            {"claimant_liability_percent": -1},
            RulesError,
            "claimant_liability_percent: percentage is negative",
        ),
        ({"claimant_liability_percent": "12.345"}, RulesError, "more than two decimal places"),
        ({"claimant_liability_percent": True}, RulesTypeError, "claimant_liability_percent"),
        ({"claimant_liability_percent": None}, RulesTypeError, "claimant_liability_percent"),
        ({"seatbelt_percent": "100.01"}, RulesError, "seatbelt_percent: percentage is above 100"),
        ({"seatbelt_percent": float("nan")}, RulesError, "seatbelt_percent"),
        ({"general_interim": -1}, RulesError, "general_interim: amount is negative"),
        ({"general_interim": "1.001"}, RulesError, "general_interim"),
    ],
)
def test_bad_percentages_and_general_interim(kwargs, error, fragment):
    """Percentages outside 0..100 and bad amounts are refused, naming field and rule."""
    with pytest.raises(error) as info:
        compute_payment({INJ: 100}, **kwargs)
    assert fragment in str(info.value)
    ref = info.value.reference
    assert ("6.5.2" in ref) or ("6.3.1.4" in ref)


def test_liability_refusal_cites_the_liability_rule():
    """A bad liability percentage cites guide 6.5.2 (1)."""
    with pytest.raises(RulesError) as info:
        compute_payment({}, claimant_liability_percent=150)
    assert info.value.reference == LIABILITY_REFERENCE
    assert info.value.value == 150


@pytest.mark.parametrize(
    ("heads", "error", "field", "fragment"),
    [
        ({INJ: -1}, RulesError, "heads[injury]", "amount is negative"),
        ({"injury-related": "1.005"}, RulesError, "heads[injury-related]", "two decimal places"),
        ({PROP: 0.1 + 0.2}, RulesError, "heads[property]", "two decimal places"),
        ({PROP: None}, RulesTypeError, "heads[property]", "not NoneType"),
        ({PROP: "£100"}, RulesError, "heads[property]", "plain decimal number"),
        ({"psla": 100}, RulesError, "heads", "not one of Head"),
        ({1: 100}, RulesError, "heads", "not one of Head"),
        ({INJ: 1, "injury": 2}, RulesError, "heads", "head given twice"),
        ([(INJ, 1)], RulesTypeError, "heads", "expected a mapping"),
        (None, RulesTypeError, "heads", "expected a mapping"),
    ],
)
def test_bad_heads(heads, error, field, fragment):
    """Bad head values and keys are refused, naming the head and guide 6.5.2."""
    with pytest.raises(error) as info:
        compute_payment(heads)
    assert info.value.field == field
    assert fragment in str(info.value)
    assert "guide 6.5.2" in str(info.value)


@pytest.mark.parametrize(
    ("kwargs", "error", "field", "fragment"),
    [
        ({"cru": {REL: -5}}, RulesError, "cru[injury-related]", "amount is negative"),
        ({"cru": {"car": 5}}, RulesError, "cru", "not one of Head"),
        ({"cru": 500}, RulesTypeError, "cru", "expected a mapping"),
        ({"interim": {PROP: "abc"}}, RulesError, "interim[property]", "plain decimal number"),
        ({"interim": {"excess": 5}}, RulesError, "interim", "not one of Head"),
        ({"interim": [200]}, RulesTypeError, "interim", "expected a mapping"),
    ],
)
def test_bad_cru_and_interim(kwargs, error, field, fragment):
    """Bad CRU and interim mappings are refused, naming the head and the rule."""
    with pytest.raises(error) as info:
        compute_payment({INJ: 100, REL: 100, PROP: 100}, **kwargs)
    assert info.value.field == field
    assert fragment in str(info.value)
    assert info.value.reference in (CRU_REFERENCE, INTERIM_REFERENCE)


def test_cru_against_injury_is_a_protocol_violation():
    """CRU can never be set off against PSLA (SS (Recovery of Benefits) Act 1997, Sch 2)."""
    with pytest.raises(ProtocolViolation) as info:
        compute_payment({INJ: 1000}, cru={"injury": "0.01"})
    err = info.value
    assert err.field == "cru[injury]"
    assert err.value == "0.01"
    assert "Social Security (Recovery of Benefits) Act 1997, Sch 2" in err.reference
    assert "pain, suffering and loss of amenity" in str(err)


def test_interim_against_injury_is_a_protocol_violation():
    """An item interim payment is 'not for the injury itself' (guide 6.3.1.4)."""
    with pytest.raises(ProtocolViolation) as info:
        compute_payment({INJ: 1000}, interim={INJ: 100})
    assert info.value.field == "interim[injury]"
    assert info.value.reference == "guide 6.3.1.4"
    assert "general_interim" in str(info.value)


@pytest.mark.parametrize(
    ("seatbelt_heads", "error", "fragment"),
    [
        ("injury", RulesTypeError, "expected a collection of heads, not str"),
        (Head.INJURY, RulesTypeError, "expected a collection of heads, not Head"),
        ({INJ: 1}, RulesTypeError, "expected a collection of heads, not dict"),
        (5, RulesTypeError, "expected a collection of heads, not int"),
        (["psla"], RulesError, "not one of Head"),
        ([None], RulesError, "not one of Head"),
    ],
)
def test_bad_seatbelt_heads(seatbelt_heads, error, fragment):
    """seatbelt_heads must be a collection of heads; anything else is refused."""
    with pytest.raises(error) as info:
        compute_payment({INJ: 1}, seatbelt_percent=10, seatbelt_heads=seatbelt_heads)
    assert info.value.field == "seatbelt_heads"
    assert fragment in str(info.value)
    assert info.value.reference == SEATBELT_REFERENCE


# --- properties ---------------------------------------------------------------------------

amounts = money(10_000)
head_amounts = st.fixed_dictionaries({INJ: amounts, REL: amounts, PROP: amounts})
non_injury = st.fixed_dictionaries({REL: money(3_000), PROP: money(3_000)})
seatbelt_head_sets = st.sets(st.sampled_from(list(Head))).map(tuple)


@st.composite
def payment_inputs(draw):
    return {
        "heads": draw(head_amounts),
        "claimant_liability_percent": draw(percents()),
        "seatbelt_percent": draw(percents()),
        "seatbelt_heads": draw(seatbelt_head_sets),
        "cru": draw(non_injury),
        "interim": draw(non_injury),
        "general_interim": draw(money(3_000)),
    }


def pay(inputs):
    args = dict(inputs)
    return compute_payment(args.pop("heads"), **args)


@given(payment_inputs())
def test_total_between_zero_and_sum_of_heads(inputs):
    """0 <= total <= the sum of the heads' full values."""
    result = pay(inputs)
    assert D(0) <= result.total <= sum(inputs["heads"].values())


@given(payment_inputs())
def test_every_head_between_zero_and_its_full_value(inputs):
    """Every head after every step is between zero and its value before that step."""
    result = pay(inputs)
    for step in result.steps:
        for head in Head:
            assert D(0) <= step.after[head] <= step.before[head]
            assert step.deduction[head] == step.before[head] - step.after[head]


@given(
    payment_inputs(),
    st.sampled_from(["claimant_liability_percent", "seatbelt_percent", "general_interim"]),
    st.integers(min_value=1, max_value=5000),
)
def test_total_never_increases_with_a_larger_deduction(inputs, key, bump):
    """Raising a percentage or the general interim never raises the total."""
    larger = dict(inputs)
    if key == "general_interim":
        larger[key] = inputs[key] + D(bump).scaleb(-2)
    else:
        larger[key] = min(inputs[key] + D(bump).scaleb(-2), D(100))
    assert pay(larger).total <= pay(inputs).total


@given(
    payment_inputs(),
    st.sampled_from(["cru", "interim"]),
    st.sampled_from([REL, PROP]),
    money(2_000),
)
def test_total_never_increases_with_more_cru_or_interim(inputs, key, head, bump):
    """Raising a CRU or interim amount on any head never raises the total."""
    larger = dict(inputs)
    larger[key] = {**inputs[key], head: inputs[key][head] + bump}
    assert pay(larger).total <= pay(inputs).total


@given(payment_inputs(), st.sampled_from(list(Head)))
def test_seatbelt_on_more_heads_never_increases_total(inputs, head):
    """Applying the seatbelt reduction to one more head never raises the total."""
    wider = {**inputs, "seatbelt_heads": (*inputs["seatbelt_heads"], head)}
    assert pay(wider).total <= pay(inputs).total


@given(head_amounts)
def test_no_deductions_pays_the_sum(heads):
    """With no deductions the total is the sum of the heads."""
    result = compute_payment(heads)
    assert result.total == sum(heads.values())
    assert result.net_by_head == heads


@given(payment_inputs())
def test_nets_add_up_to_total_without_general_interim(inputs):
    """Without a general interim, the per-head nets add up to the total to the penny."""
    result = pay({**inputs, "general_interim": 0})
    assert sum(result.net_by_head.values()) == result.total
    assert result.total.as_tuple().exponent == -2


@given(payment_inputs())
def test_general_interim_set_off_and_excess_add_up(inputs):
    """The general interim splits exactly into set off plus not set off; total = subtotal - set off."""
    result = pay(inputs)
    assert result.general_interim_set_off + result.general_interim_not_set_off == (
        result.general_interim
    )
    assert result.total == result.subtotal - result.general_interim_set_off
    assert result.general_interim_not_set_off == max(result.general_interim - result.subtotal, 0)


@given(payment_inputs())
def test_not_set_off_is_what_exceeded_the_head(inputs):
    """For CRU and interim, set off plus not set off equals the amount given, per head."""
    result = pay(inputs)
    for name in ("cru", "interim"):
        step = result.step(name)
        for head in Head:
            given_amount = inputs[name].get(head, D(0))
            assert step.deduction[head] + step.not_set_off[head] == given_amount
            if step.not_set_off[head]:
                assert step.after[head] == 0


@given(st.integers(min_value=0, max_value=10**12), percents(), percents())
def test_matches_integer_pence_formula(pence, liability, seatbelt):
    """Each percentage step equals round-half-up in integer pence (the batch path's rule)."""
    amount = D(pence).scaleb(-2)
    result = compute_payment(
        {INJ: amount}, claimant_liability_percent=liability, seatbelt_percent=seatbelt
    )
    after_liability = pence_formula(pence, int(liability * 100))
    expected = pence_formula(after_liability, int(seatbelt * 100))
    assert result.steps[0].after[INJ] == D(after_liability).scaleb(-2)
    assert result.total == D(expected).scaleb(-2)


# --- issue 16: one door, trusted internals, lazy steps ----------------------------------


class _Int(int):
    """An int subclass: accepted, but never on the plain-int fast path."""


def _as_given(amount: Decimal, form: str) -> object:
    """The same amount in another accepted form (whole pounds may also be ints)."""
    if form == "str":
        return str(amount)
    if form == "int" and amount == amount.to_integral_value():
        return int(amount)
    if form == "int-subclass" and amount == amount.to_integral_value():
        return _Int(int(amount))
    return amount


@given(
    heads=st.tuples(money(), money(), money()),
    liability=percents(),
    seatbelt=percents(),
    cru=st.tuples(money(), money()),
    interim=st.tuples(money(), money()),
    general=money(),
    form=st.sampled_from(["decimal", "str", "int", "int-subclass"]),
)
def test_the_fast_path_and_the_general_path_give_the_same_breakdown(
    heads, liability, seatbelt, cru, interim, general, form
):
    """Plain ints take the fast path; subclasses, strings and Decimals the general one."""

    def call(convert):
        return compute_payment(
            {h: convert(v) for h, v in zip(Head, heads, strict=True)},
            claimant_liability_percent=liability,
            seatbelt_percent=seatbelt,
            cru={REL: convert(cru[0]), PROP: convert(cru[1])},
            interim={"injury-related": convert(interim[0]), "property": convert(interim[1])},
            general_interim=convert(general),
        )

    plain, other = call(lambda v: v), call(lambda v: _as_given(v, form))
    assert plain == other
    assert plain.to_dict() == other.to_dict()
    assert str(plain) == str(other)


@given(
    heads=st.tuples(money(), money(), money()),
    liability=percents(),
    seatbelt=percents(),
    cru=money(),
    interim=money(),
    general=money(),
)
def test_the_figures_computed_at_once_agree_with_the_steps_built_later(
    heads, liability, seatbelt, cru, interim, general
):
    """``total`` and ``net_by_head`` (computed at once) equal what the steps show."""
    pay = compute_payment(
        dict(zip(Head, heads, strict=True)),
        claimant_liability_percent=liability,
        seatbelt_percent=seatbelt,
        cru={REL: cru},
        interim={PROP: interim},
        general_interim=general,
    )
    net, total = pay.net_by_head, pay.total
    built = PaymentBreakdown(
        full_value=pay.full_value,
        claimant_liability_percent=pay.claimant_liability_percent,
        seatbelt_percent=pay.seatbelt_percent,
        seatbelt_heads=pay.seatbelt_heads,
        steps=pay.steps,
        general_interim=pay.general_interim,
    )
    assert net == pay.steps[-1].after == built.net_by_head
    for lazy, eager in zip(net.values(), built.net_by_head.values(), strict=True):
        assert lazy.as_tuple() == eager.as_tuple()
    assert total.as_tuple() == built.total.as_tuple()
    assert pay == built
    assert hash(pay) == hash(built)
    assert repr(pay) == repr(built)
    assert pay.to_dict() == built.to_dict()
    assert pickle.loads(pickle.dumps(pay)) == pay
    # A copy with another general interim: the lazy one recomputes as the eager one does.
    lazy_copy = attrs.evolve(
        compute_payment(dict(zip(Head, heads, strict=True))), general_interim=general
    )
    lazy_figures = (lazy_copy.total, lazy_copy.general_interim_not_set_off)  # steps not built
    eager_copy = attrs.evolve(lazy_copy, steps=lazy_copy.steps)
    assert lazy_figures == (eager_copy.total, eager_copy.general_interim_not_set_off)


def test_total_and_net_by_head_do_not_build_the_steps(monkeypatch):
    """The explanation (steps, rows, text) is built only when something asks for it."""
    from rtaprotocol import deductions

    calls: list[int] = []
    real = deductions._explain

    def counting(*args):
        calls.append(1)
        return real(*args)

    monkeypatch.setattr(deductions, "_explain", counting)
    pay = guide_example()
    assert pay.total == D("2112.50")
    assert pay.net_by_head == {INJ: D("675.00"), REL: D("512.50"), PROP: D("925.00")}
    assert pay.subtotal == D("2112.50")
    assert pay.general_interim_not_set_off == D("0.00")
    assert calls == []
    assert "£2,112.50" in str(pay)  # the table asks for the steps: built once...
    assert pay.steps[2].name == "cru"
    assert pay.to_dict()["total"] == "2112.50"
    assert calls == [1]  # ...and kept


@given(st.tuples(money(), money(), money()))
def test_the_trusted_constructor_gives_what_the_validating_one_gives(amounts):
    trusted = PerHead._trusted(*amounts)
    checked = PerHead(injury=amounts[0], injury_related=amounts[1], property=amounts[2])
    assert trusted == checked
    assert hash(trusted) == hash(checked)
    assert repr(trusted) == repr(checked)
    assert trusted.to_dict() == checked.to_dict()
    assert PerHead.of(dict(zip(Head, amounts, strict=True))) == trusted


@given(money(10**9), percents())
def test_the_trusted_percentage_step_is_round_penny_to_the_digit(amount, pct):
    """The internal step (no input checks) gives round_penny's figure, digits and sign."""
    from rtaprotocol import deductions
    from rtaprotocol._decimal import library_context
    from rtaprotocol.money import round_penny

    with library_context():
        assert (
            deductions._percent_off(amount, pct).as_tuple()
            == round_penny(amount * (100 - pct) / 100).as_tuple()
        )


# --- rules the mutation run (issue 17, docs/testing.md) showed were not pinned -------------


def _ph(injury: str, related: str, prop: str) -> dict[str, str]:
    return {"injury": injury, "injury-related": related, "property": prop}


def test_every_step_and_what_was_not_set_off_is_in_the_json():
    # Worked by hand: 25% then 10% (injury heads only), then CRU of £1,500 against the
    # injury-related head (£1,012.50 left, £487.50 not set off), then an item interim of
    # £1,200 against property (£1,125 left, £75 not set off), then £400 general interim.
    pay = compute_payment(
        {"injury": 1000, "injury-related": 1500, "property": 1500},
        claimant_liability_percent=25,
        seatbelt_percent=10,
        cru={"injury-related": 1500},
        interim={"property": 1200},
        general_interim=400,
    )
    zero = _ph("0.00", "0.00", "0.00")
    expected = {
        "total": "275.00",
        "subtotal": "675.00",
        "net_by_head": _ph("675.00", "0.00", "0.00"),
        "full_value": _ph("1000.00", "1500.00", "1500.00"),
        "claimant_liability_percent": "25.00",
        "seatbelt_percent": "10.00",
        "seatbelt_heads": ["injury", "injury-related"],
        "steps": [
            {
                "name": "liability",
                "description": "25% liability deduction",
                "reference": "guide 6.5.2 (1), 6.5.2.1",
                "applies_to": ["injury", "injury-related", "property"],
                "before": _ph("1000.00", "1500.00", "1500.00"),
                "deduction": _ph("250.00", "375.00", "375.00"),
                "after": _ph("750.00", "1125.00", "1125.00"),
                "not_set_off": zero,
            },
            {
                "name": "seatbelt",
                "description": "10% no seatbelt",
                "reference": "guide 6.5.2 (2), 6.5.2.1",
                "applies_to": ["injury", "injury-related"],
                "before": _ph("750.00", "1125.00", "1125.00"),
                "deduction": _ph("75.00", "112.50", "0.00"),
                "after": _ph("675.00", "1012.50", "1125.00"),
                "not_set_off": zero,
            },
            {
                "name": "cru",
                "description": "CRU of £1,500.00",
                "reference": "guide 6.5.2 (3), 6.5.2.2",
                "applies_to": ["injury-related"],
                "before": _ph("675.00", "1012.50", "1125.00"),
                "deduction": _ph("0.00", "1012.50", "0.00"),
                "after": _ph("675.00", "0.00", "1125.00"),
                "not_set_off": _ph("0.00", "487.50", "0.00"),
            },
            {
                "name": "interim",
                "description": "interim payments of £1,200.00",
                "reference": "guide 6.5.2 (3), 6.3.1.4",
                "applies_to": ["property"],
                "before": _ph("675.00", "0.00", "1125.00"),
                "deduction": _ph("0.00", "0.00", "1125.00"),
                "after": _ph("675.00", "0.00", "0.00"),
                "not_set_off": _ph("0.00", "0.00", "75.00"),
            },
        ],
        "general_interim": "400.00",
        "general_interim_set_off": "400.00",
        "general_interim_not_set_off": "0.00",
        "general_interim_reference": "guide 6.3.1.4",
        "notes": [
            (
                "CRU of £487.50 against injury-related not set off: the head is £0.00 "
                "(guide 6.5.2 (3), 6.5.2.2)"
            ),
            (
                "interim of £75.00 against property not set off: the head is £0.00 "
                "(guide 6.5.2 (3), 6.3.1.4)"
            ),
        ],
        "rounding": deductions.ROUNDING_RULE,
        "reference": "guide 6.5.2",
    }
    assert views.subset(pay.to_dict(), expected) == expected
    text = str(pay)
    assert text.splitlines()[0].startswith("Payment: £275.00")
    assert "general interim payment of £400.00" in text
    for note in pay.notes():
        assert f"Note: {note}" in text
        assert note in views.visible(pay._repr_html_())
    assert "Payment: £275.00" in views.statement(pay._repr_html_())


def test_called_with_heads_only_nothing_is_deducted():
    pay = compute_payment({"injury": "1000", "property": "20"})
    assert pay.total == pay.subtotal == Decimal("1020.00")
    assert (pay.claimant_liability_percent, pay.seatbelt_percent) == (Decimal(0), Decimal(0))
    assert pay.general_interim == Decimal(0)
    assert pay.notes() == ()
    # The seatbelt reduction applies by default to the injury heads, never to property.
    belted = compute_payment({"injury": 100, "property": 100}, seatbelt_percent=25)
    assert belted.seatbelt_heads == (Head.INJURY, Head.INJURY_RELATED)
    assert belted.total == Decimal("175.00")


def test_a_general_interim_above_the_subtotal_is_noted():
    pay = compute_payment({"injury": 100}, general_interim="130.5")
    assert (pay.total, pay.general_interim_set_off, pay.general_interim_not_set_off) == (
        Decimal("0.00"),
        Decimal("100.00"),
        Decimal("30.50"),
    )
    assert pay.notes() == (
        "general interim payment of £30.50 not set off: the total is £0.00 (guide 6.3.1.4)",
    )


@pytest.mark.parametrize(
    ("kwargs", "error", "field", "value"),
    [
        ({"heads": [1]}, RulesTypeError, "heads", [1]),
        ({"heads": {"injury": 1, Head.INJURY: 2}}, RulesError, "heads", Head.INJURY),
        ({"heads": {"injury": "x"}}, RulesError, "heads[injury]", "x"),
        ({"heads": {}, "seatbelt_heads": "injury"}, RulesTypeError, "seatbelt_heads", "injury"),
        ({"heads": {}, "seatbelt_heads": ["car"]}, RulesError, "seatbelt_heads", "car"),
        ({"heads": {}, "cru": {Head.INJURY: 5}}, ProtocolViolation, "cru[injury]", 5),
        ({"heads": {}, "interim": {"injury": "7"}}, ProtocolViolation, "interim[injury]", "7"),
        ({"heads": {}, "general_interim": -1}, RulesError, "general_interim", -1),
    ],
)
def test_refusals_name_the_field_and_the_value_given(kwargs, error, field, value):
    with pytest.raises(error) as caught:
        compute_payment(**kwargs)
    assert caught.value.field == field
    assert caught.value.value == value
    assert "guide 6." in caught.value.reference


def test_per_head_refusals_name_the_head_and_the_value():
    with pytest.raises(RulesTypeError) as caught:
        PerHead(injury=Decimal("1.5"), injury_related=Decimal("0.00"), property=Decimal("0.00"))
    assert (caught.value.field, caught.value.value) == ("injury", Decimal("1.5"))
    assert caught.value.message.startswith("expected a Decimal in pounds and pence (two places)")
    with pytest.raises(KeyError) as missing:
        PerHead.of({})["car"]
    assert missing.value.args == ("car",)
    with pytest.raises(RulesTypeError, match="mapping of heads to amounts, not list"):
        compute_payment([1])
    with pytest.raises(RulesError) as twice:
        compute_payment({"injury": 1, Head.INJURY: 2})
    assert twice.value.message.startswith("head given twice (as a Head and as its slug)")


def test_each_note_is_its_own_line_and_paragraph():
    pay = compute_payment(
        {"injury-related": 10, "property": 10},
        cru={"injury-related": 20},
        interim={"property": 30},
        general_interim=5,
    )
    notes = pay.notes()
    assert len(notes) == 3  # CRU, item interim, general interim: none could be set off
    assert str(pay).splitlines()[-3:] == [f"Note: {n}" for n in notes]
    after_table = pay._repr_html_().rsplit("</table>", 1)[1]
    paragraphs = re.fullmatch(r"(?:<p[^>]*>Note: .*?</p>)+", after_table)
    assert paragraphs is not None, after_table
    shown = re.findall(r"<p[^>]*>Note: (.*?)</p>", after_table)
    assert [views.visible(p) for p in shown] == list(notes)


def test_the_largest_amount_per_head_is_max_amount():
    """An int amount of 12 digits of pounds is accepted; 10**12 is refused, as by to_money
    (MAX_AMOUNT, £999,999,999,999.99: docs/money-and-errors.md)."""
    largest = 10**12 - 1
    assert compute_payment({Head.INJURY: largest}).total == Decimal(largest)
    with pytest.raises(RulesError, match="too large"):
        compute_payment({Head.INJURY: 10**12})
    with pytest.raises(RulesError, match="too large"):
        compute_payment({Head.INJURY: 1}, interim={Head.INJURY: 10**12})


@pytest.mark.parametrize(
    "belted",
    [(), (INJ,), (REL,), (PROP,), (INJ, REL), (INJ, PROP), (REL, PROP), (INJ, REL, PROP)],
    ids=lambda b: "+".join(h.value for h in b) or "none",
)
def test_each_step_reaches_exactly_its_own_heads(belted):
    """Each deduction of guide 6.5.2 reduces the heads it applies to, and no other.

    Guide 6.5.2.2: liability comes off every head, then the seatbelt reduction off the
    heads it was agreed for (every subset of heads here), then CRU and the interim
    payments for an item off the injury-related and property heads only, each capped at
    what is left of its head (a set-off never makes a head negative), then the general
    interim off the total. Distinct figures per head, so that a step applied to the wrong
    head, or skipped for one, changes the result (issue 25: this was pinned only by tests
    outside this module's file).
    """
    pay = compute_payment(
        {INJ: 1000, REL: 800, PROP: 600},
        claimant_liability_percent=10,
        seatbelt_percent=25,
        seatbelt_heads=belted,
        cru={REL: 100, PROP: 1000},
        interim={REL: 50, PROP: 10},
        general_interim=20,
    )
    after_liability = {INJ: D("900.00"), REL: D("720.00"), PROP: D("540.00")}
    after_seatbelt = {
        h: (v * D("0.75")).quantize(D("0.01")) if h in belted else v
        for h, v in after_liability.items()
    }
    expected = {
        INJ: after_seatbelt[INJ],  # neither CRU nor an item interim reaches the injury
        REL: after_seatbelt[REL] - D("100") - D("50"),
        PROP: D("0.00"),  # CRU of £1,000 exceeds the head: capped at what is left
    }
    assert dict(pay.net_by_head.items()) == expected
    assert pay.total == sum(expected.values()) - D("20")
    assert pay.seatbelt_heads == tuple(h for h in Head if h in belted)
