"""Tests for rtaprotocol.damages_claims: online responses, CPR 2.8, 6.14, 10.3, 15.4, 15.5."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rtaprotocol.damages_claims import (
    MAX_AGREED_EXTENSION_DAYS,
    ONLINE_RESPONSE_REQUIRED_FROM,
    ResponseRoute,
    ResponseType,
    cpr_period_end,
    deemed_service,
    response_deadlines,
    response_route,
)
from rtaprotocol.deadlines import EnglandWalesCalendar, is_business_day
from rtaprotocol.errors import OutOfCoverageError, RulesError, RulesTypeError

# --------------------------------------------------------------------------- routes


@pytest.mark.parametrize(
    ("response", "route"),
    [
        ("reject-all", ResponseRoute.ONLINE),
        ("admit-all", ResponseRoute.PAPER),
        ("admit-part", ResponseRoute.PAPER),
        ("counterclaim", ResponseRoute.PAPER),
    ],
)
def test_each_response_types_route(response, route):
    result = response_route(response, issued_on=date(2023, 1, 3))
    assert result.route is route
    assert result.online_required is True
    assert ResponseType(response).stays_online is (route is ResponseRoute.ONLINE)
    assert result.reasons[-1].startswith("the response")
    assert json.loads(json.dumps(result.to_dict()))["route"] == route.value
    assert route.value in str(result)


@pytest.mark.parametrize(
    ("issued", "required"),
    [(ONLINE_RESPONSE_REQUIRED_FROM - timedelta(days=1), False),
     (ONLINE_RESPONSE_REQUIRED_FROM, True), (None, None)],
)  # fmt: skip
def test_online_response_required_from_15_september_2022(issued, required):
    result = response_route("reject-all", issued_on=issued, filed_on_paper=True)
    assert result.online_required is required
    assert result.paper_response_returned is (required is True)


def test_paper_response_with_a_reason_is_not_automatically_returned():
    result = response_route(
        "admit-all", issued_on=date(2023, 1, 3), filed_on_paper=True, paper_reason="portal outage"
    )
    assert result.paper_response_returned is False
    assert any("portal outage" in r for r in result.reasons)


def test_route_errors():
    with pytest.raises(RulesError):
        response_route("defend")
    with pytest.raises(RulesTypeError):
        response_route("reject-all", filed_on_paper=1)  # type: ignore[arg-type]
    with pytest.raises(RulesTypeError):
        response_route("reject-all", paper_reason="  ")
    with pytest.raises(RulesError):
        response_route("reject-all", issued_on="2023-01-03")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- CPR 2.8


def test_clear_days_over_a_weekend():
    # Thursday + 7 days ends on a Thursday: weekends count in a period of more than 5 days.
    assert cpr_period_end(date(2023, 1, 12), 7) == date(2023, 1, 19)
    # Ending on a Saturday: the court office is closed, so the next Monday.
    assert cpr_period_end(date(2023, 1, 7), 14) == date(2023, 1, 23)


def test_short_periods_skip_weekends_and_bank_holidays():
    # Friday + 5 days: Saturday and Sunday do not count.
    assert cpr_period_end(date(2023, 1, 13), 5) == date(2023, 1, 20)
    # Friday before the late May bank holiday + 1 day: Tuesday.
    assert cpr_period_end(date(2023, 5, 26), 1) == date(2023, 5, 30)
    # 6 days is not a short period: weekends count.
    assert cpr_period_end(date(2023, 1, 13), 6) == date(2023, 1, 19)


def test_a_last_day_on_a_bank_holiday_moves_to_the_next_open_day():
    assert cpr_period_end(date(2023, 12, 11), 14) == date(2023, 12, 27)
    assert cpr_period_end(date(2022, 9, 5), 14) == date(2022, 9, 20)  # state funeral 19 Sep


def test_extra_court_closures_come_from_the_calendar():
    cal = EnglandWalesCalendar(extra_holidays=[date(2023, 12, 27)])
    assert cpr_period_end(date(2023, 12, 11), 14, calendar=cal) == date(2023, 12, 28)


@given(st.dates(min_value=date(2001, 1, 1), max_value=date(2099, 1, 1)), st.integers(1, 60))
def test_period_end_is_an_open_day_after_the_start(start, days):
    end = cpr_period_end(start, days)
    assert is_business_day(end)
    assert end > start
    if days > 5:
        assert end >= start + timedelta(days=days)
        assert end - (start + timedelta(days=days)) < timedelta(days=6)


def test_period_errors():
    with pytest.raises(RulesError):
        cpr_period_end(date(2023, 1, 1), 0)
    with pytest.raises(RulesError):
        cpr_period_end(date(2023, 1, 1), True)  # type: ignore[arg-type]
    with pytest.raises(OutOfCoverageError):
        cpr_period_end(date(2100, 12, 20), 14)
    with pytest.raises(RulesTypeError):
        cpr_period_end(date(2023, 1, 1), 14, calendar=object())  # type: ignore[arg-type]


def test_deemed_service_is_the_second_business_day_after_the_step():
    assert deemed_service(date(2023, 1, 12)) == date(2023, 1, 16)
    assert deemed_service(date(2023, 12, 22)) == date(2023, 12, 28)


# --------------------------------------------------------------------------- deadlines


def test_defence_14_days_or_28_after_acknowledgment():
    plain = response_deadlines(served=date(2023, 1, 12))
    assert plain.acknowledgment_deadline == date(2023, 1, 26)
    assert plain.defence_deadline == date(2023, 1, 26)
    acked = response_deadlines(served=date(2023, 1, 12), acknowledged=True)
    assert acked.defence_deadline == date(2023, 2, 9)
    assert acked.steps[-1].reference.startswith("CPR 15.4(1)")


def test_extension_up_to_28_days_and_29_refused():
    ext = response_deadlines(
        served=date(2023, 1, 12), acknowledged=True, extension_days=MAX_AGREED_EXTENSION_DAYS
    )
    assert ext.defence_deadline == date(2023, 3, 9)
    assert "CPR 15.5(1)" in ext.steps[-1].reference
    with pytest.raises(RulesError) as info:
        response_deadlines(served=date(2023, 1, 12), extension_days=29)
    assert info.value.reference == "CPR 15.5(1)"
    with pytest.raises(RulesError):
        response_deadlines(served=date(2023, 1, 12), extension_days=-1)


def test_from_the_claim_form_step():
    d = response_deadlines(claim_form_step=date(2023, 1, 12))
    assert d.particulars_served == date(2023, 1, 16)
    assert d.steps[0].reference == "CPR 6.14"
    assert d.defence_deadline == date(2023, 1, 30)
    data = json.loads(json.dumps(d.to_dict()))
    assert data["defence_deadline"] == "2023-01-30"
    assert "Defence due by 2023-01-30" in str(d)


def test_deadline_argument_errors():
    with pytest.raises(RulesError, match="not both"):
        response_deadlines()
    with pytest.raises(RulesError, match="not both"):
        response_deadlines(served=date(2023, 1, 12), claim_form_step=date(2023, 1, 10))
    with pytest.raises(RulesTypeError):
        response_deadlines(served=date(2023, 1, 12), acknowledged="yes")  # type: ignore[arg-type]


@given(
    st.dates(min_value=date(2001, 1, 1), max_value=date(2099, 1, 1)),
    st.booleans(),
    st.integers(0, MAX_AGREED_EXTENSION_DAYS),
    st.integers(0, MAX_AGREED_EXTENSION_DAYS),
)
def test_a_longer_extension_never_brings_the_defence_forward(served, acked, a, b):
    low, high = sorted((a, b))
    d_low = response_deadlines(served=served, acknowledged=acked, extension_days=low)
    d_high = response_deadlines(served=served, acknowledged=acked, extension_days=high)
    assert d_low.defence_deadline <= d_high.defence_deadline
    assert d_low.acknowledgment_deadline == d_high.acknowledgment_deadline
    assert d_low.acknowledgment_deadline <= d_low.defence_deadline


@given(
    st.sampled_from(list(ResponseType)), st.none() | st.dates(date(2020, 1, 1), date(2030, 1, 1))
)
def test_only_reject_all_stays_online_whatever_the_issue_date(kind, issued):
    result = response_route(kind, issued_on=issued)
    assert (result.route is ResponseRoute.ONLINE) == (kind is ResponseType.REJECT_ALL)
