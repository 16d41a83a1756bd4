"""Tests for rtaprotocol.damages_claims: online responses, CPR 2.8, 6.14, 10.3, 15.4, 15.5."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

import golden_errors
from rtaprotocol.damages_claims import (
    MAX_AGREED_EXTENSION_DAYS,
    ONLINE_RESPONSE_REQUIRED_FROM,
    ResponseDeadlines,
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
    """HMCTS (seed 001): a legal representative must respond online to a claim issued
    online on or after 15 September 2022; the day before, not yet."""
    result = response_route("reject-all", issued_on=issued, filed_on_paper=True, represented=True)
    assert result.online_required is required
    assert result.paper_response_returned is (required is True)


def test_paper_response_with_a_reason_is_not_automatically_returned():
    result = response_route(
        "admit-all", issued_on=date(2023, 1, 3), filed_on_paper=True, paper_reason="portal outage",
        represented=True,
    )  # fmt: skip
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


@pytest.mark.parametrize(
    ("call", "field", "given"),
    [
        (lambda: cpr_period_end(date(2100, 12, 30), 3), "start", date(2100, 12, 30)),
        (lambda: cpr_period_end(date(2100, 12, 1), 40), "start", date(2100, 12, 1)),
        (lambda: cpr_period_end(date(2023, 1, 1), 10**9), "start", date(2023, 1, 1)),
        (lambda: deemed_service(date(2100, 12, 31)), "step_date", date(2100, 12, 31)),
    ],
)
def test_a_period_past_the_calendar_names_the_date_the_caller_gave(call, field, given):
    """Past the calendar's last day the refusal names the caller's date, never a raw error."""
    with pytest.raises(OutOfCoverageError) as info:
        call()
    assert (info.value.field, info.value.value) == (field, given)


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


# --------------------------------------------------------------------------- issue 17
# Named cases for every rule and boundary of the module, and every refusal pinned.


def test_response_descriptions_say_what_each_response_does():
    """PD 51ZB online responses: reject all, admit all, admit part, counterclaim."""
    assert {t.value: t.description for t in ResponseType} == {
        "reject-all": "rejects all of the claim",
        "admit-all": "admits all of the claim",
        "admit-part": "admits part of the claim",
        "counterclaim": "makes a counterclaim",
    }


@pytest.mark.parametrize("kind", ["admit-all", "admit-part", "counterclaim"])
def test_every_response_but_reject_all_leaves_for_the_paper_route_saying_why(kind):
    """HMCTS damages claims: only a response rejecting all of the claim stays online."""
    result = response_route(kind, issued_on=date(2023, 1, 3))
    assert result.reasons[-1] == (
        f"the response {ResponseType(kind).description}: only a response that rejects all "
        "of the claim continues online, so the claim leaves the online service for the "
        "paper route"
    )
    assert str(result).startswith("The claim continues on the paper route")


def test_a_response_made_online_is_never_returned_by_default():
    """PD 51ZB / HMCTS: only a PAPER response to a claim issued on or after 15 September
    2022 is returned; by default a response is taken as made online."""
    for kind in ResponseType:
        result = response_route(kind, issued_on=ONLINE_RESPONSE_REQUIRED_FROM)
        assert result.paper_response_returned is False
        assert result.online_required is True
        assert len(result.reasons) == 2
        assert result.to_dict()["paper_response_returned"] is False


@pytest.mark.parametrize(
    ("issued", "paper", "reason", "returned"),
    [
        (ONLINE_RESPONSE_REQUIRED_FROM, True, None, True),
        (ONLINE_RESPONSE_REQUIRED_FROM, True, "portal outage", False),
        (ONLINE_RESPONSE_REQUIRED_FROM, False, None, False),
        (ONLINE_RESPONSE_REQUIRED_FROM - timedelta(days=1), True, None, False),
        (ONLINE_RESPONSE_REQUIRED_FROM - timedelta(days=1), False, None, False),
        (None, True, None, False),
    ],
)
def test_paper_response_returned_only_for_a_claim_that_must_be_answered_online(
    issued, paper, reason, returned
):
    """HMCTS: from 15 September 2022 a paper response is returned unless a reason is given."""
    result = response_route(
        "admit-all", issued_on=issued, filed_on_paper=paper, paper_reason=reason, represented=True
    )
    assert result.paper_response_returned is returned
    assert result.to_dict() == {
        "response": "admit-all",
        "route": "paper",
        "online_required": None if issued is None else issued >= ONLINE_RESPONSE_REQUIRED_FROM,
        "paper_response_returned": returned,
        "represented": True,
        "reasons": list(result.reasons),
        "questions": [],
        "reference": "HMCTS, 'Responding to damages claims online becomes mandatory'; PD 51ZB",
    }
    assert len(result.reasons) == (3 if paper and issued == ONLINE_RESPONSE_REQUIRED_FROM else 2)


def test_the_reason_given_for_a_paper_response_is_quoted_trimmed():
    """A reason for not using the online service is for the court to accept: quoted as given."""
    result = response_route(
        "reject-all", issued_on=date(2023, 1, 3), filed_on_paper=True, paper_reason="  outage ",
        represented=True,
    )  # fmt: skip
    assert result.reasons[1] == (
        "a paper response was filed with a reason (outage): it is returned unless the court "
        "accepts the reason"
    )
    assert result.route is ResponseRoute.ONLINE


# --- CPR 2.8, 6.14: named boundaries ------------------------------------------------------


def test_cpr_2_8_4_a_period_of_exactly_5_days_skips_weekends_and_6_does_not():
    """CPR 2.8(4): a period of 5 days or less skips Saturdays, Sundays and bank holidays."""
    monday = date(2023, 1, 9)
    assert cpr_period_end(monday, 5) == date(2023, 1, 16)  # Tue..Fri, then Monday
    assert cpr_period_end(monday, 6) == date(2023, 1, 16)  # clear days: Sunday 15th -> Monday
    thursday = date(2023, 1, 12)
    assert cpr_period_end(thursday, 5) == date(2023, 1, 19)
    assert cpr_period_end(thursday, 6) == date(2023, 1, 18)


def test_cpr_2_8_a_one_day_period_is_the_next_business_day():
    """CPR 2.8(2)-(4): the day the period begins is not counted; 1 day is the next one."""
    assert cpr_period_end(date(2023, 1, 12), 1) == date(2023, 1, 13)
    assert cpr_period_end(date(2023, 1, 13), 1) == date(2023, 1, 16)


def test_cpr_2_8_5_saturday_and_sunday_ends_move_to_monday():
    """CPR 2.8(5): the court office is closed at weekends; the act is in time on Monday."""
    assert cpr_period_end(date(2023, 1, 7), 14) == date(2023, 1, 23)  # Saturday 21st
    assert cpr_period_end(date(2023, 1, 8), 14) == date(2023, 1, 23)  # Sunday 22nd
    assert cpr_period_end(date(2023, 1, 9), 14) == date(2023, 1, 23)  # Monday 23rd itself


def test_cpr_6_14_deemed_service_skips_weekends_and_bank_holidays():
    """CPR 6.14, 6.2(b): the second business day after the step; a bank holiday (one
    proclaimed after this release given as an extra holiday) is not a business day."""
    assert deemed_service(date(2023, 1, 13)) == date(2023, 1, 17)
    assert deemed_service(date(2023, 4, 6)) == date(2023, 4, 12)  # Good Friday, Easter Monday
    cal = EnglandWalesCalendar(extra_holidays=[date(2023, 1, 16)])
    assert deemed_service(date(2023, 1, 12), calendar=cal) == date(2023, 1, 17)


def test_a_newly_proclaimed_bank_holiday_does_not_count_in_a_short_period():
    """CPR 2.8(4)(b)(ii): a bank holiday in a period of 5 days or less does not count; one
    proclaimed after this release is given as the calendar's extra holiday."""
    cal = EnglandWalesCalendar(extra_holidays=[date(2023, 1, 13)])
    assert cpr_period_end(date(2023, 1, 12), 1, calendar=cal) == date(2023, 1, 16)
    assert cpr_period_end(date(2023, 1, 12), 1) == date(2023, 1, 13)


# --- CPR 10.3, 15.4, 15.5: the response timetable ------------------------------------------


def test_cpr_15_4_defence_14_days_when_no_acknowledgment_by_default():
    """CPR 10.3(1), 15.4(1)(a): no acknowledgment, no extension: both due 14 days after."""
    d = response_deadlines(served=date(2023, 1, 12))
    assert (d.acknowledged, d.extension_days) == (False, 0)
    assert d.particulars_served == date(2023, 1, 12)
    assert d.defence_deadline == d.acknowledgment_deadline == date(2023, 1, 26)
    assert [s.name for s in d.steps] == [
        "particulars of claim served",
        "acknowledgment of service due",
        "defence due",
    ]
    assert d.steps[-1].explanation == "14 days after service of the particulars of claim"
    assert d.steps[-1].reference == "CPR 15.4(1); CPR 2.8"


def test_cpr_15_5_an_extension_of_1_day_and_of_28_days_with_and_without_acknowledgment():
    """CPR 15.5(1): the parties may agree up to 28 more days, added to the CPR 15.4 period."""
    served = date(2023, 1, 12)  # Thursday
    assert response_deadlines(served=served, extension_days=1).defence_deadline == date(2023, 1, 27)
    assert response_deadlines(served=served, extension_days=28).defence_deadline == date(
        2023, 2, 23
    )
    assert response_deadlines(
        served=served, acknowledged=True, extension_days=1
    ).defence_deadline == date(2023, 2, 10)
    one = response_deadlines(served=served, extension_days=1)
    assert one.extension_days == 1
    assert one.steps[-1].explanation == (
        "14 days after service of the particulars of claim, plus an agreed extension of 1 "
        "days (notify the court in writing)"
    )
    assert one.steps[-1].reference == "CPR 15.4(1); CPR 15.5(1), (2); CPR 2.8"


def test_acknowledged_and_extended_explain_each_part_of_the_defence_period():
    """CPR 15.4(1)(b) and 15.5: the defence step says 28 days, the acknowledgment, the extension."""
    d = response_deadlines(served=date(2023, 1, 12), acknowledged=True, extension_days=7)
    assert d.to_dict()["steps"][1] == {
        "name": "acknowledgment of service due (filed)",
        "on": "2023-01-26",
        "explanation": "14 days after service of the particulars of claim",
        "reference": "CPR 10.3(1); CPR 2.8",
        "confidence": "S",
    }
    assert d.steps[-1].explanation == (
        "28 days after service of the particulars of claim (an acknowledgment of service was "
        "filed), plus an agreed extension of 7 days (notify the court in writing)"
    )
    assert d.defence_deadline == date(2023, 2, 16)
    assert d.to_dict()["acknowledged"] is True
    assert d.to_dict()["extension_days"] == 7


def test_cpr_6_14_timetable_from_the_claim_form_step():
    """CPR 6.14: particulars served with the claim form are deemed served 2 business days
    after the step; every period then runs from that day."""
    d = response_deadlines(claim_form_step=date(2023, 1, 13), acknowledged=True)  # Friday
    assert d.particulars_served == date(2023, 1, 17)
    assert d.acknowledgment_deadline == date(2023, 1, 31)
    assert d.defence_deadline == date(2023, 2, 14)
    assert d.to_dict()["steps"][0] == {
        "name": "claim form and particulars deemed served",
        "on": "2023-01-17",
        "explanation": "second business day after the step taken on 2023-01-13",
        "reference": "CPR 6.14",
        "confidence": "P",
    }
    assert d.to_dict()["particulars_served"] == "2023-01-17"


def test_response_deadlines_use_the_calendar_given():
    """Bank holidays proclaimed after this release (extra holidays) move deemed service
    (CPR 6.14) and, on a last day, both deadlines (CPR 2.8(5))."""
    cal = EnglandWalesCalendar(extra_holidays=[date(2023, 1, 16), date(2023, 1, 31)])
    d = response_deadlines(claim_form_step=date(2023, 1, 12), calendar=cal)
    assert d.particulars_served == date(2023, 1, 17)
    assert d.acknowledgment_deadline == date(2023, 2, 1)
    assert d.defence_deadline == date(2023, 2, 1)  # 14 days: 31 January is a holiday here
    assert isinstance(d, ResponseDeadlines)
    later = EnglandWalesCalendar(extra_holidays=[date(2023, 2, 9)])
    acked = response_deadlines(served=date(2023, 1, 12), acknowledged=True, calendar=later)
    assert acked.acknowledgment_deadline == date(2023, 1, 26)
    assert acked.defence_deadline == date(2023, 2, 10)  # 28 days end on the holiday


ERRORS = {
    "response_route: unknown response": lambda: response_route("defend"),
    "response_route: issued_on not a date": lambda: response_route(
        "reject-all",
        issued_on="2023-01-03",  # type: ignore[arg-type]
    ),
    "response_route: issued_on outside the calendar": lambda: response_route(
        "reject-all", issued_on=date(1999, 1, 1)
    ),
    "response_route: represented not a bool or None (seed 001)": lambda: response_route(
        "reject-all",
        represented="no",  # type: ignore[arg-type]
    ),
    "response_route: filed_on_paper not a bool": lambda: response_route(
        "reject-all",
        filed_on_paper=1,  # type: ignore[arg-type]
    ),
    "response_route: paper_reason blank": lambda: response_route("reject-all", paper_reason="  "),
    "response_route: paper_reason not a string": lambda: response_route(
        "reject-all",
        paper_reason=5,  # type: ignore[arg-type]
    ),
    "cpr_period_end: start not a date": lambda: cpr_period_end(
        "2023-01-01",
        14,  # type: ignore[arg-type]
    ),
    "cpr_period_end: days not a whole number": lambda: cpr_period_end(
        date(2023, 1, 1),
        True,  # type: ignore[arg-type]
    ),
    "cpr_period_end: zero days (CPR 2.8)": lambda: cpr_period_end(date(2023, 1, 1), 0),
    "cpr_period_end: ends after the calendar": lambda: cpr_period_end(date(2100, 12, 20), 14),
    "cpr_period_end: a short period ends after the calendar (CPR 2.8(4))": lambda: cpr_period_end(
        date(2100, 12, 30), 3
    ),
    "cpr_period_end: past the year 9999": lambda: cpr_period_end(date(2023, 1, 1), 10**9),
    "cpr_period_end: a 5,000-digit number of days": lambda: cpr_period_end(
        date(2023, 1, 1), 10**5000
    ),
    "deemed_service: the second business day is after the calendar (CPR 6.14)": lambda: (
        deemed_service(date(2100, 12, 31))
    ),
    "cpr_period_end: calendar of the wrong type": lambda: cpr_period_end(
        date(2023, 1, 1),
        14,
        calendar=object(),  # type: ignore[arg-type]
    ),
    "deemed_service: step_date not a date (CPR 6.14)": lambda: deemed_service(
        "2023-01-12"  # type: ignore[arg-type]
    ),
    "deemed_service: calendar of the wrong type": lambda: deemed_service(
        date(2023, 1, 12),
        calendar="ENG",  # type: ignore[arg-type]
    ),
    "response_deadlines: neither served nor claim_form_step": response_deadlines,
    "response_deadlines: both served and claim_form_step": lambda: response_deadlines(
        served=date(2023, 1, 12), claim_form_step=date(2023, 1, 10)
    ),
    "response_deadlines: acknowledged not a bool (CPR 15.4(1)(b))": lambda: response_deadlines(
        served=date(2023, 1, 12),
        acknowledged="yes",  # type: ignore[arg-type]
    ),
    "response_deadlines: extension_days not a whole number": lambda: response_deadlines(
        served=date(2023, 1, 12),
        extension_days="7",  # type: ignore[arg-type]
    ),
    "response_deadlines: negative extension (CPR 15.5(1))": lambda: response_deadlines(
        served=date(2023, 1, 12), extension_days=-1
    ),
    "response_deadlines: extension of 29 days (CPR 15.5(1) allows 28)": lambda: response_deadlines(
        served=date(2023, 1, 12), extension_days=29
    ),
    "response_deadlines: served not a date": lambda: response_deadlines(
        served="2023-01-12"  # type: ignore[arg-type]
    ),
    "response_deadlines: claim_form_step not a date": lambda: response_deadlines(
        claim_form_step="2023-01-12"  # type: ignore[arg-type]
    ),
    "response_deadlines: calendar of the wrong type": lambda: response_deadlines(
        served=date(2023, 1, 12),
        calendar=[],  # type: ignore[arg-type]
    ),
}


def test_every_refusal_matches_its_golden_file():
    """Every refusal names the field, the value received and the rule (golden file)."""
    golden_errors.check("damages_claims", ERRORS)


# --- a period that runs past the calendar names what the caller gave (CPR 2.8) -----------

_LAST_OPEN_DAY_CLOSED = EnglandWalesCalendar(extra_holidays=[date(2100, 12, 31)])


@pytest.mark.parametrize(
    ("call", "field", "given", "message"),
    [
        (  # CPR 2.8(4): a short period counts business days
            lambda: cpr_period_end(datetime(2100, 12, 30, 9, 30), 3),
            "start",
            datetime(2100, 12, 30, 9, 30),
            "3 business days from 2100-12-30 falls outside the supported range",
        ),
        (  # a longer period counts calendar days: 100 is written out, not "that many"
            lambda: cpr_period_end(datetime(2100, 10, 1, 9, 30), 100),
            "start",
            datetime(2100, 10, 1, 9, 30),
            "100 days from 2100-10-01 falls outside the supported range",
        ),
        (  # CPR 2.8(5): it ends on the last day, closed, and the next open day is past it
            lambda: cpr_period_end(
                datetime(2100, 12, 17, 9, 30), 14, calendar=_LAST_OPEN_DAY_CLOSED
            ),
            "start",
            datetime(2100, 12, 17, 9, 30),
            "1 business days from 2100-12-31 falls outside the supported range",
        ),
        (  # CPR 6.14
            lambda: deemed_service(datetime(2100, 12, 31, 16, 0)),
            "step_date",
            datetime(2100, 12, 31, 16, 0),
            "2 business days from 2100-12-31 falls outside the supported range",
        ),
    ],
)
def test_past_the_calendar_the_refusal_shows_the_value_as_given(call, field, given, message):
    """The caller's own value (a datetime stays a datetime) and field, never a raw error."""
    with pytest.raises(OutOfCoverageError) as info:
        call()
    assert (info.value.field, info.value.value, info.value.message) == (field, given, message)


def test_a_longer_period_may_end_on_the_calendars_last_day():
    """CPR 2.8: 14 days from 17 December 2100 is Friday 31 December 2100; 15 is past it."""
    assert cpr_period_end(date(2100, 12, 17), 14) == date(2100, 12, 31)
    with pytest.raises(OutOfCoverageError):
        cpr_period_end(date(2100, 12, 17), 15)


# --------------------------------------------------------------------------- issue 23
# The online response duty is addressed to legal representatives.


@pytest.mark.parametrize("response", [t.value for t in ResponseType])
@pytest.mark.parametrize(
    "issued", [ONLINE_RESPONSE_REQUIRED_FROM - timedelta(days=1), ONLINE_RESPONSE_REQUIRED_FROM]
)
def test_an_unrepresented_defendants_paper_response_is_not_returned(response, issued):
    """HMCTS (seed 001): "defence solicitors must use the HMCTS online portal"; the duty is
    addressed to legal representatives (MyHMCTS firms), so a defendant with none may
    respond on the paper forms (PD 51ZB para 3.10, sub-section B "Defendant not represented
    by a DCP legal representative"): not returned, the claim goes on on the paper route, on
    both sides of 15 September 2022."""
    result = response_route(response, issued_on=issued, filed_on_paper=True, represented=False)
    assert result.paper_response_returned is False
    assert result.online_required is False
    assert result.route is ResponseRoute.PAPER
    assert result.represented is False
    assert result.questions == ()
    assert result.reference.endswith("PD 51ZB para 3.10")
    assert any("addressed to legal representatives" in r for r in result.reasons)
    data = json.loads(json.dumps(result.to_dict()))
    assert data["represented"] is False
    assert data["paper_response_returned"] is False


def test_a_represented_defendants_paper_response_is_returned():
    """HMCTS (seed 001): a legal representative's paper response to a claim issued online
    from 15 September 2022 "will be returned, unless you can give an acceptable reason"."""
    result = response_route(
        "reject-all", issued_on=date(2023, 1, 3), filed_on_paper=True, represented=True
    )
    assert result.paper_response_returned is True
    assert result.online_required is True
    assert result.represented is True


def test_whether_the_defendant_is_represented_is_asked_when_it_decides():
    """Seed 001 binds legal representatives: when a paper response's fate turns on
    representation and it is not given, the answer is None and the question is asked,
    never a silent "returned"."""
    result = response_route("admit-part", issued_on=date(2023, 1, 3), filed_on_paper=True)
    assert result.paper_response_returned is None
    assert result.represented is None
    assert len(result.questions) == 1
    assert "represented" in result.questions[0]
    assert "question: is the defendant represented" in str(result)
    assert "question" in result._repr_html_()
    # not asked where it changes nothing: an online response, or a claim issued earlier
    assert response_route("admit-part", issued_on=date(2023, 1, 3)).questions == ()
    early = response_route("admit-part", issued_on=date(2022, 9, 14), filed_on_paper=True)
    assert early.questions == ()
    assert early.paper_response_returned is False


@given(
    st.sampled_from([t.value for t in ResponseType]),
    st.one_of(st.none(), st.dates(min_value=date(2021, 1, 1), max_value=date(2030, 12, 31))),
    st.booleans(),
)
def test_an_unrepresented_defendant_is_never_returned_nor_bound(response, issued, paper):
    """Seed 001 and PD 51ZB para 3.10: whatever the response, date or form, a defendant
    without a legal representative is never told to respond online or that its paper
    response is returned."""
    result = response_route(response, issued_on=issued, filed_on_paper=paper, represented=False)
    assert result.online_required is False
    assert result.paper_response_returned is False
    assert result.questions == ()
