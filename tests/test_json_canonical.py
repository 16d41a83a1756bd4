"""Every result's to_dict() is canonical: the same value gives the same JSON whatever form
its inputs took (an amount as int, str, float or Decimal with trailing zeros; a percentage
as "25", 25 or "25.00"; months as 7 or Decimal("7.00"); a head as a Head or its slug).
Money and percentages are two-place strings, dates ISO (docs/json.md)."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from rtaprotocol import (
    ClaimFacts,
    Head,
    Negotiation,
    Party,
    check_eligibility,
    check_revaluation,
    check_value_limits,
    compute_payment,
    expert_fee,
    first_medical_report_fee,
    medical_report_outlook,
    mixed_injury_award,
    tariff_award,
)


def forms(value: Decimal) -> st.SearchStrategy[object]:
    """The ways a caller may write the same amount or percentage."""
    candidates: list[object] = [value, str(value), Decimal(f"{value}0"), float(str(value))]
    if value == value.to_integral_value():
        candidates += [int(value), Decimal(int(value))]
    return st.sampled_from(candidates)


pounds = st.decimals(min_value=0, max_value=10**6, places=2)
small = st.decimals(min_value=0, max_value=4000, places=2)
percents = st.decimals(min_value=0, max_value=100, places=2)
uplifts = st.decimals(min_value=0, max_value=20, places=2)


def canonical(result_a, result_b):
    a, b = result_a.to_dict(), result_b.to_dict()
    assert a == b
    assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)
    return a


@given(st.data(), st.decimals(min_value="0.01", max_value=24, places=2), uplifts, st.booleans())
def test_tariff_award(data, months, uplift, psych):
    on = date(2024, 3, 1)
    a = tariff_award(months, accident_date=on, psychological=psych, uplift_percent=uplift)
    m = data.draw(st.sampled_from([months, Decimal(f"{months}0"), months.normalize()]))
    b = tariff_award(
        m,
        accident_date=data.draw(st.sampled_from([on, datetime(2024, 3, 1, 9, 30)])),
        psychological=psych,
        uplift_percent=data.draw(forms(uplift)),
    )
    out = canonical(a, b)
    assert out["uplift_percent"] == str(uplift.quantize(Decimal("0.01")))


@given(st.data(), st.decimals(min_value=0, max_value=5000, places=2), pounds)
def test_mixed_injury_award(data, tariff, non_tariff):
    overlap = data.draw(st.decimals(min_value=0, max_value=min(tariff, non_tariff), places=2))
    a = mixed_injury_award(tariff, non_tariff, overlap)
    b = mixed_injury_award(
        data.draw(forms(tariff)), data.draw(forms(non_tariff)), data.draw(forms(overlap))
    )
    canonical(a, b)


@given(st.data(), small, pounds, pounds, pounds)
def test_value_limit_check_and_revaluation(data, injury, other, nvc, fees):
    a = check_value_limits(injury, other, non_protocol_vehicle_costs=nvc, fees=fees)
    b = check_value_limits(
        data.draw(forms(injury)),
        data.draw(forms(other)),
        non_protocol_vehicle_costs=data.draw(forms(nvc)),
        fees=data.draw(forms(fees)),
    )
    canonical(a, b)
    canonical(check_revaluation(injury, other), check_revaluation(data.draw(forms(injury)), other))


@given(st.data(), pounds, percents)
def test_fees(data, fee, vat):
    canonical(expert_fee(fee), expert_fee(data.draw(forms(fee))))
    a = first_medical_report_fee(vat_percent=vat)
    b = first_medical_report_fee(vat_percent=data.draw(forms(vat)))
    assert canonical(a, b)["vat_percent"] == str(vat.quantize(Decimal("0.01")))


@given(st.data(), pounds, pounds, pounds, percents, percents)
def test_payment_breakdown(data, injury, related, prop, liability, seatbelt):
    a = compute_payment(
        {Head.INJURY: injury, Head.INJURY_RELATED: related, Head.PROPERTY: prop},
        claimant_liability_percent=liability,
        seatbelt_percent=seatbelt,
    )
    b = compute_payment(
        {
            "injury": data.draw(forms(injury)),
            "injury-related": data.draw(forms(related)),
            "property": data.draw(forms(prop)),
        },
        claimant_liability_percent=data.draw(forms(liability)),
        seatbelt_percent=data.draw(forms(seatbelt)),
        seatbelt_heads=data.draw(
            st.sampled_from([("injury", "injury-related"), [Head.INJURY_RELATED, Head.INJURY]])
        ),
    )
    out = canonical(a, b)
    assert out["claimant_liability_percent"] == str(liability.quantize(Decimal("0.01")))


@given(st.data(), small, pounds)
def test_eligibility_result(data, injury, other):
    base = {"accident_date": "2023-03-01", "entry_date": "2023-04-03"}
    a = check_eligibility(
        ClaimFacts.from_dict({**base, "injury": str(injury), "other_protocol_damages": str(other)})
    )
    b = check_eligibility(
        ClaimFacts(
            accident_date=date(2023, 3, 1),
            entry_date=date(2023, 4, 3),
            injury=data.draw(forms(injury)),
            other_protocol_damages=data.draw(forms(other)),
        )
    )
    canonical(a, b)


@given(st.integers(1, 36))
def test_medical_outlook(months):
    on = date(2023, 3, 1)
    a = medical_report_outlook(on, relativedelta(months=months))
    b = medical_report_outlook(on, relativedelta(years=months // 12, months=months % 12))
    canonical(a, b)


@given(st.data(), st.decimals(min_value=1, max_value=10**5, places=2))
def test_negotiation(data, amount):
    on = date(2023, 5, 2)
    a = Negotiation().offer(Party.COMPENSATOR, amount, on=on)
    b = Negotiation().offer(
        data.draw(st.sampled_from([Party.COMPENSATOR, "compensator"])),
        data.draw(forms(amount)),
        on=on,
    )
    canonical(a, b)
    canonical(a.history[0], b.history[0])


# --- the helpers --------------------------------------------------------------------------


@given(st.decimals(min_value=0, max_value=100, places=2), st.integers(0, 3))
def test_percent_json_is_two_places_whatever_the_digits(pct, extra_zeros):
    from rtaprotocol._render import percent_json

    written = Decimal(f"{pct}{'0' * extra_zeros}") if "." in str(pct) else pct
    text = percent_json(written)
    assert Decimal(text) == pct
    assert text == f"{pct:.2f}"


@given(st.decimals(min_value=0, max_value=24, places=2))
def test_months_json_has_no_trailing_zeros(months):
    from rtaprotocol._render import months_json

    text = months_json(months)
    assert Decimal(text) == months
    assert "E" not in text
    assert not ("." in text and text.endswith("0"))
