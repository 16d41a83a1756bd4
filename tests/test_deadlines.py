"""Tests for rtaprotocol.deadlines: business days, periods and limitation."""

from __future__ import annotations

import pickle
from datetime import date, datetime, timedelta, timezone

import pandas as pd
import pytest
from govuk_bank_holidays.bank_holidays import BankHolidays
from hypothesis import assume, given
from hypothesis import strategies as st

import golden_errors
from rtaprotocol import deadlines
from rtaprotocol.deadlines import (
    FIRST_SUPPORTED_DATE,
    LAST_SUPPORTED_DATE,
    EnglandWalesCalendar,
    Period,
    add_business_days,
    business_days_between,
    due_date,
    eighteenth_birthday,
    is_business_day,
    limitation_deadline,
    limitation_period,
)
from rtaprotocol.errors import OutOfCoverageError, RulesError, RulesTypeError
from strategies import middle_dates, supported_dates

# --- the guide's and the worked examples ------------------------------------------


def test_liability_response_over_coronation_and_late_may():
    """A claim entered Tuesday 2 May 2023 has its liability response due Thursday 15 June."""
    due = due_date(Period.LIABILITY_RESPONSE, date(2023, 5, 2))
    assert due == date(2023, 6, 15)
    assert due.strftime("%A") == "Thursday"


def test_state_funeral_is_not_a_business_day():
    """Friday 16 September 2022 plus one business day is Tuesday 20 September 2022."""
    assert add_business_days(date(2022, 9, 16), 1) == date(2022, 9, 20)


def test_easter_is_skipped():
    """Thursday 28 March 2024 plus one is Tuesday 2 April 2024 (Good Friday, Easter Monday)."""
    assert add_business_days(date(2024, 3, 28), 1) == date(2024, 4, 2)


def test_saturday_plus_one_is_monday():
    """From a Saturday, one business day on is the following Monday."""
    assert add_business_days(date(2023, 6, 10), 1) == date(2023, 6, 12)


def test_saturday_plus_one_skips_bank_holiday_monday():
    """...unless that Monday is a bank holiday (late May 2023)."""
    assert add_business_days(date(2023, 5, 27), 1) == date(2023, 5, 30)


def test_tuesday_starts_count_on_wednesday():
    """Guide 6.3.1: a claim entered on a Tuesday starts the count on Wednesday."""
    assert add_business_days(date(2023, 6, 13), 1) == date(2023, 6, 14)


def test_event_day_never_counts_even_when_a_business_day():
    """The event day is excluded: zero business days between a day and itself."""
    d = date(2023, 6, 13)
    assert business_days_between(d, d) == 0
    assert add_business_days(d, 0) == d


def test_christmas_substitute_days():
    """Christmas on a Sunday (2022) gives Tuesday 27 December as the substitute holiday."""
    assert not is_business_day(date(2022, 12, 26))
    assert not is_business_day(date(2022, 12, 27))
    assert add_business_days(date(2022, 12, 23), 1) == date(2022, 12, 28)


@pytest.mark.parametrize(
    ("day", "business"),
    [
        (date(2012, 6, 4), False),  # Spring bank holiday moved (Diamond Jubilee)
        (date(2012, 6, 5), False),  # Diamond Jubilee
        (date(2020, 5, 8), False),  # early May holiday moved to VE Day
        (date(2020, 5, 4), True),  # ...so the first Monday of May 2020 was a working day
        (date(2022, 6, 2), False),  # Platinum Jubilee
        (date(2022, 6, 3), False),
        (date(2022, 9, 19), False),  # State funeral
        (date(2023, 5, 8), False),  # Coronation
        (date(2023, 8, 28), False),  # August holiday: only with subdiv="ENG"
        (date(2023, 4, 10), False),  # Easter Monday: only with subdiv="ENG"
        (date(2023, 3, 17), True),  # St Patrick's Day is a Northern Ireland holiday only
        (date(2023, 11, 30), True),  # St Andrew's Day is a Scottish holiday only
        (date(2024, 1, 2), True),  # 2 January is a Scottish holiday only
        (date(2002, 6, 3), False),  # Golden Jubilee
        (date(2002, 6, 4), False),  # Spring bank holiday moved (Golden Jubilee)...
        (date(2002, 5, 27), True),  # ...so the last Monday of May 2002 was a working day
        (date(2011, 4, 29), False),  # Royal wedding
        (date(2000, 1, 3), False),  # New Year's Day (Saturday) substitute
        (date(2010, 12, 27), False),  # Christmas (Saturday) substitute
        (date(2010, 12, 28), False),  # Boxing Day (Sunday) substitute
        (date(2026, 6, 15), True),  # a Scotland-only one-off in holidays' data: not E&W
    ],
)
def test_one_off_and_regional_days(day, business):
    """One-off proclamations are holidays; other nations' holidays are not."""
    assert is_business_day(day) is business


# --- the official GOV.UK list ---------------------------------------------------------------


def test_matches_govuk_england_and_wales_list():
    """Every weekday GOV.UK bank holiday is a non-business day, and no other weekday is."""
    data = BankHolidays.load_backup_data()["england-and-wales"]["events"]
    listed = {date.fromisoformat(e["date"]) for e in data}
    first, last = min(listed), max(listed)
    assert first.year <= 2018
    assert last.year >= 2025
    day = first
    while day <= last:
        if day.weekday() < 5:
            assert is_business_day(day) is (day not in listed), day
        day += timedelta(days=1)


def test_every_weekend_day_is_not_a_business_day():
    """Saturdays and Sundays are never business days, over the whole range."""
    cal = EnglandWalesCalendar()
    day = FIRST_SUPPORTED_DATE + timedelta(days=(5 - FIRST_SUPPORTED_DATE.weekday()) % 7)
    while day <= LAST_SUPPORTED_DATE:
        assert not cal.is_business_day(day)
        if day + timedelta(days=1) <= LAST_SUPPORTED_DATE:
            assert not cal.is_business_day(day + timedelta(days=1))
        day += timedelta(days=7)


def test_good_friday_and_christmas_every_year():
    """Good Friday and Christmas Day (when a weekday) are never business days."""
    from dateutil.easter import easter

    for year in range(2000, 2101):
        assert not is_business_day(easter(year) - timedelta(days=2))
        assert not is_business_day(date(year, 12, 25))


# --- properties ---------------------------------------------------------------------------


@given(middle_dates, st.integers(min_value=-400, max_value=400))
def test_inverse_law(d, n):
    """business_days_between(d, add_business_days(d, n)) == n for every n."""
    assert business_days_between(d, add_business_days(d, n)) == n


@given(middle_dates, st.integers(min_value=-400, max_value=399))
def test_monotone_in_n(d, n):
    """One more business day is always a later date."""
    assert add_business_days(d, n) < add_business_days(d, n + 1)


@given(middle_dates, st.integers(min_value=1, max_value=400))
def test_positive_n_lands_on_a_business_day_after_d(d, n):
    """For n > 0 the result is a business day strictly after d."""
    result = add_business_days(d, n)
    assert result > d
    assert is_business_day(result)


@given(middle_dates, st.integers(min_value=1, max_value=400))
def test_negative_n_lands_on_a_business_day_before_d(d, n):
    """For n < 0 the result is a business day strictly before d."""
    result = add_business_days(d, -n)
    assert result < d
    assert is_business_day(result)


@given(middle_dates, st.integers(min_value=1, max_value=60))
def test_matches_a_day_by_day_count(d, n):
    """The table look-up agrees with counting day by day."""
    day, left = d, n
    while left:
        day += timedelta(days=1)
        if is_business_day(day):
            left -= 1
    assert add_business_days(d, n) == day


@given(supported_dates, supported_dates)
def test_between_is_antisymmetric_in_count(a, b):
    """Swapping start and end changes the sign only where both ends are business days."""
    forward = business_days_between(a, b)
    assert (forward >= 0) is (b >= a) or forward == 0
    if is_business_day(a) and is_business_day(b):
        assert business_days_between(b, a) == -forward


@given(middle_dates, st.integers(min_value=0, max_value=300), middle_dates)
def test_extra_holiday_is_never_earlier(d, n, extra):
    """A calendar with an extra holiday never gives an earlier due date."""
    cal = EnglandWalesCalendar(extra_holidays=[extra])
    assert cal.add_business_days(d, n) >= add_business_days(d, n)


@given(middle_dates, st.integers(min_value=-300, max_value=0), middle_dates)
def test_extra_holiday_is_never_later_counting_back(d, n, extra):
    """Counting back, an extra holiday never gives a later date."""
    cal = EnglandWalesCalendar(extra_holidays=[extra])
    assert cal.add_business_days(d, n) <= add_business_days(d, n)


@given(st.sampled_from(list(Period)), middle_dates)
def test_due_date_is_add_business_days(period, d):
    """due_date is add_business_days of the period's length."""
    assert due_date(period, d) == add_business_days(d, period.business_days)
    assert business_days_between(d, due_date(period, d)) == period.business_days


# --- the calendar's options ---------------------------------------------------------------


def test_extra_holiday_moves_deadline():
    """A holiday proclaimed after release moves the count on by a day."""
    cal = EnglandWalesCalendar(extra_holidays=[date(2030, 6, 3)])
    assert not cal.is_business_day(date(2030, 6, 3))
    assert cal.add_business_days(date(2030, 5, 31), 1) == date(2030, 6, 4)
    assert due_date(Period.PAYMENT, date(2030, 5, 31), calendar=cal) == date(2030, 6, 17)
    assert due_date(Period.PAYMENT, date(2030, 5, 31)) == date(2030, 6, 14)


def test_extra_business_day_reopens_a_bank_holiday():
    """A listed bank holiday can be treated as a working day."""
    cal = EnglandWalesCalendar(extra_business_days=[date(2023, 5, 8)])
    assert cal.is_business_day(date(2023, 5, 8))
    assert cal.add_business_days(date(2023, 5, 5), 1) == date(2023, 5, 8)


def test_calendar_equality_and_hash():
    """Calendars with the same extras are equal and hash alike, whatever their cache."""
    a = EnglandWalesCalendar(extra_holidays=[date(2030, 6, 3)])
    b = EnglandWalesCalendar(extra_holidays=(date(2030, 6, 3),))
    a.is_business_day(date(2030, 6, 3))  # fills a's cache only
    assert a == b
    assert hash(a) == hash(b)
    assert a != EnglandWalesCalendar()


def test_calendar_accepts_datetimes_as_extras():
    """A datetime in the extras counts by its date."""
    cal = EnglandWalesCalendar(extra_holidays=[datetime(2030, 6, 3, 15, 0)])
    assert cal.extra_holidays == frozenset({date(2030, 6, 3)})


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"extra_business_days": [date(2023, 5, 6)]}, "weekend"),
        ({"extra_business_days": [date(2023, 5, 9)]}, "not a listed"),
        (
            {"extra_holidays": [date(2023, 5, 8)], "extra_business_days": [date(2023, 5, 8)]},
            "both",
        ),
        ({"extra_holidays": [date(1999, 12, 31)]}, "outside the supported range"),
    ],
)
def test_calendar_refusals(kwargs, fragment):
    """Contradictory or meaningless extras are refused, naming the rule."""
    with pytest.raises(RulesError, match=fragment) as info:
        EnglandWalesCalendar(**kwargs)
    assert info.value.reference


def test_calendar_refuses_a_single_date_for_a_collection():
    """Passing one date instead of a collection is a type error."""
    with pytest.raises(RulesTypeError, match="collection of dates"):
        EnglandWalesCalendar(extra_holidays=date(2030, 6, 3))  # type: ignore[arg-type]


def test_calendar_refuses_non_dates_in_extras():
    """Strings are not dates."""
    with pytest.raises(RulesTypeError, match="extra_holidays"):
        EnglandWalesCalendar(extra_holidays=["2030-06-03"])


# --- inputs -------------------------------------------------------------------------------


def test_datetime_uses_its_date():
    """A datetime counts by its date; the time and zone are dropped."""
    late = datetime(2023, 5, 2, 23, 59, tzinfo=timezone.utc)
    assert add_business_days(late, 30) == date(2023, 6, 15)
    assert add_business_days(late, 0) == date(2023, 5, 2)
    assert type(add_business_days(late, 0)) is date
    assert due_date(Period.LIABILITY_RESPONSE, late) == date(2023, 6, 15)
    assert is_business_day(datetime(2023, 5, 8, 9, 0)) is False


@pytest.mark.parametrize("bad", ["2023-05-02", 20230502, None, 1.5])
def test_refuses_non_dates(bad):
    """Anything but a date or datetime is a RulesTypeError."""
    with pytest.raises(RulesTypeError, match=r"expected a datetime\.date"):
        add_business_days(bad, 1)
    with pytest.raises(RulesTypeError):
        is_business_day(bad)
    with pytest.raises(RulesTypeError):
        business_days_between(bad, date(2023, 1, 1))


@pytest.mark.parametrize("bad", [True, False, 1.0, "1", None])
def test_refuses_non_int_n(bad):
    """n must be an int, and a bool is not an int here."""
    with pytest.raises(RulesTypeError, match="expected an int") as info:
        add_business_days(date(2023, 5, 2), bad)
    assert "guide 6.3.1" in str(info.value)


@pytest.mark.parametrize("bad", [date(1999, 12, 31), date(2101, 1, 1)])
def test_refuses_dates_outside_the_range(bad):
    """Dates outside 2000-01-01..2100-12-31 raise OutOfCoverageError."""
    with pytest.raises(OutOfCoverageError, match="2000-01-01 to 2100-12-31"):
        is_business_day(bad)
    with pytest.raises(OutOfCoverageError):
        add_business_days(bad, 1)
    with pytest.raises(OutOfCoverageError):
        business_days_between(date(2023, 1, 1), bad)
    with pytest.raises(OutOfCoverageError, match="event_date"):
        due_date(Period.OFFER, bad)


def test_results_outside_the_range_raise():
    """A count that runs off either end of the range raises, never wraps round."""
    with pytest.raises(OutOfCoverageError, match="outside the supported range"):
        add_business_days(date(2100, 12, 20), 30)
    with pytest.raises(OutOfCoverageError, match="outside the supported range"):
        add_business_days(date(2000, 1, 10), -30)
    assert add_business_days(date(2000, 1, 6), -2) == date(2000, 1, 4)  # 3 Jan: New Year (obs.)


def test_range_ends_are_supported():
    """The first and last supported days work."""
    assert is_business_day(FIRST_SUPPORTED_DATE) is False  # Saturday, New Year's Day
    assert is_business_day(LAST_SUPPORTED_DATE) is True  # Friday 31 December 2100
    assert business_days_between(FIRST_SUPPORTED_DATE, LAST_SUPPORTED_DATE) > 25_000


def test_due_date_refuses_non_period_and_bad_calendar():
    """due_date needs a Period and, if given, an EnglandWalesCalendar."""
    with pytest.raises(RulesTypeError, match="expected a Period"):
        due_date("offer", date(2023, 5, 2))  # type: ignore[arg-type]
    with pytest.raises(RulesTypeError, match="EnglandWalesCalendar"):
        due_date(Period.OFFER, date(2023, 5, 2), calendar="ENG")  # type: ignore[arg-type]


# --- Period -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "days", "reference"),
    [
        (Period.LIABILITY_RESPONSE, 30, "guide 6.3.1"),
        (Period.LIABILITY_RESPONSE_MIB, 40, "guide 6.3.1"),
        (Period.INTERIM_PAYMENT_RESPONSE, 15, "guide 6.3.1.4"),
        (Period.FURTHER_MEDICAL_INSTRUCTIONS, 10, "guide 6.4.2.2"),
        (Period.OFFER, 20, "guide 6.5.3.1"),
        (Period.INJURY_DISPUTE, 20, "guide 6.5.4"),
        (Period.OFFER_WITHDRAWAL, 10, "guide 6.5.5"),
        (Period.PAYMENT, 10, "guide 6.6.2"),
        (Period.PAYMENT_WITH_CRU, 30, "guide 6.6.2"),
    ],
)
def test_periods(period, days, reference):
    """Each named period has its length in business days and its guide section."""
    assert period.business_days == days
    assert period.reference == reference
    assert Period.from_slug(period.value) is period
    assert Period(period.value) is period


def test_period_slugs_are_unique():
    """Every period has its own slug."""
    assert len({p.value for p in Period}) == len(Period) == 9


def test_from_slug_refuses_unknown():
    """An unknown slug lists the valid ones."""
    with pytest.raises(RulesError, match="liability-response"):
        Period.from_slug("liability")


# --- limitation ---------------------------------------------------------------------------


def test_limitation_same_date_three_years_on():
    """Accident 2022-01-01: last day 2025-01-01 (the accident day excluded)."""
    assert limitation_deadline(date(2022, 1, 1)) == date(2025, 1, 1)


def test_limitation_leap_day_accident():
    """An accident on 29 February has 28 February three years on as its last day."""
    assert limitation_deadline(date(2024, 2, 29)) == date(2027, 2, 28)


def test_limitation_child_runs_from_eighteenth_birthday():
    """Under 18 at the accident: three years from the 18th birthday."""
    assert limitation_deadline(date(2022, 6, 1), date_of_birth=date(2006, 1, 15)) == date(
        2027, 1, 15
    )


def test_limitation_adult_ignores_birthday():
    """18 or over at the accident: three years from the accident."""
    assert limitation_deadline(date(2022, 6, 1), date_of_birth=date(1990, 1, 15)) == date(
        2025, 6, 1
    )


def test_limitation_accident_on_eighteenth_birthday():
    """An accident on the 18th birthday is an adult's accident."""
    assert limitation_deadline(date(2024, 3, 10), date_of_birth=date(2006, 3, 10)) == date(
        2027, 3, 10
    )


def test_limitation_leap_day_birthday():
    """Born 29 February: 18 on 1 March in a non-leap year; limitation runs from then."""
    assert eighteenth_birthday(date(2004, 2, 29)) == date(2022, 3, 1)
    assert eighteenth_birthday(date(2006, 2, 28)) == date(2024, 2, 28)
    assert limitation_deadline(date(2021, 6, 1), date_of_birth=date(2004, 2, 29)) == date(
        2025, 3, 1
    )


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)))
def test_limitation_is_three_years_on(accident):
    """The deadline is always between 1,094 and 1,096 days after the accident."""
    deadline = limitation_deadline(accident)
    assert 1094 <= (deadline - accident).days <= 1096
    assert deadline.year == accident.year + 3


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)),
    st.dates(min_value=date(1950, 1, 1), max_value=date(2090, 12, 31)),
)
def test_limitation_never_earlier_with_a_birthday(accident, dob):
    """Knowing the date of birth can only move the deadline later."""
    assume(dob <= accident)
    assert limitation_deadline(accident, date_of_birth=dob) >= limitation_deadline(accident)


def test_limitation_refusals():
    """Bad dates are refused, naming the Limitation Act."""
    with pytest.raises(RulesTypeError, match="Limitation Act 1980"):
        limitation_deadline("2022-01-01")  # type: ignore[arg-type]
    with pytest.raises(RulesTypeError, match="date_of_birth"):
        limitation_deadline(date(2022, 1, 1), date_of_birth="2000-01-01")  # type: ignore[arg-type]
    with pytest.raises(RulesError, match="after the accident"):
        limitation_deadline(date(2022, 1, 1), date_of_birth=date(2022, 1, 2))


# --- laziness -----------------------------------------------------------------------------


def test_default_calendar_pickles():
    """Calendars pickle (for Dask and multiprocessing) and stay equal."""
    cal = EnglandWalesCalendar(extra_holidays=[date(2030, 6, 3)])
    cal.is_business_day(date(2030, 6, 3))
    again = pickle.loads(pickle.dumps(cal))
    assert again == cal
    assert again.add_business_days(date(2030, 5, 31), 1) == date(2030, 6, 4)


def test_bank_holidays_cached_once():
    """The holiday set is computed once and shared."""
    assert deadlines.bank_holiday_ordinals() is deadlines.bank_holiday_ordinals()


def test_bank_holidays_cover_exactly_the_supported_years():
    """The bank holidays are those of 2000 to 2100, the calendar's range, and no others.

    Guide 6.3.1: periods count business days, which exclude England & Wales bank
    holidays (Banking and Financial Dealings Act 1971, with one-off proclamations). The
    first holiday of the set is New Year's Day 2000 and its last the Boxing Day substitute
    of 2100 (Tuesday 28 December); the Millennium holiday of 31 December 1999 and any 2101
    holiday are outside the calendar's range and not in the set (issue 25: the year range
    was not pinned).
    """
    ordinals = deadlines.bank_holiday_ordinals()
    assert min(ordinals) == date(2000, 1, 1).toordinal() == FIRST_SUPPORTED_DATE.toordinal()
    assert max(ordinals) == date(2100, 12, 28).toordinal()
    assert date(1999, 12, 31).toordinal() not in ordinals
    assert date(2101, 1, 3).toordinal() not in ordinals
    assert len(ordinals) == 901


# --- regressions found in review --------------------------------------------------------------


@given(supported_dates, st.integers(min_value=-200, max_value=200))
def test_between_matches_its_definition(start, offset):
    """end >= start: count of start < d <= end; end < start: minus count of end <= d < start."""
    end = start + timedelta(days=offset)
    assume(FIRST_SUPPORTED_DATE <= end <= LAST_SUPPORTED_DATE)
    days = [start + timedelta(days=k) for k in range(min(offset, 0), max(offset, 0) + 1)]
    if end >= start:
        expected = sum(1 for d in days if start < d <= end and is_business_day(d))
    else:
        expected = -sum(1 for d in days if end <= d < start and is_business_day(d))
    assert business_days_between(start, end) == expected


def test_nat_is_refused_as_bad_input():
    """pandas' NaT (a datetime with no date) is a RulesError naming the rule, not a ValueError."""
    for call in (
        lambda: add_business_days(pd.NaT, 1),
        lambda: is_business_day(pd.NaT),
        lambda: limitation_deadline(pd.NaT),
    ):
        with pytest.raises(RulesError, match="not a date") as info:
            call()
        assert info.value.reference


def test_timestamp_counts_by_its_date():
    """A pandas Timestamp is a datetime: its date is used."""
    assert add_business_days(pd.Timestamp("2023-05-02 23:00"), 30) == date(2023, 6, 15)


def test_date_subclass_gives_a_plain_date():
    """A date subclass is counted by its date and n == 0 returns a plain date."""

    class Day(date):
        pass

    assert type(add_business_days(Day(2023, 5, 2), 0)) is date
    assert add_business_days(Day(2023, 5, 2), 30) == date(2023, 6, 15)


@pytest.mark.parametrize("bad", [5, None, 1.5, b"2030-06-03"])
def test_calendar_refuses_non_collections(bad):
    """A number, None or bytes for the extras is a RulesTypeError, not a raw TypeError."""
    with pytest.raises(RulesTypeError, match="collection of dates") as info:
        EnglandWalesCalendar(extra_holidays=bad)
    assert info.value.field == "extra_holidays"
    with pytest.raises(RulesTypeError, match="collection of dates"):
        EnglandWalesCalendar(extra_business_days=bad)


def test_period_constructor_refuses_unknown_slug_with_the_rule():
    """Period("nope") is a RulesError listing the slugs, like Period.from_slug."""
    with pytest.raises(RulesError, match="offer-withdrawal") as info:
        Period("nope")
    assert info.value.reference == "guide 6.3.1"
    with pytest.raises(RulesError):
        Period(30)


def test_limitation_past_the_last_representable_date():
    """Three years past 9999 cannot be represented: OutOfCoverageError, not a ValueError."""
    with pytest.raises(OutOfCoverageError, match="Limitation Act 1980") as info:
        limitation_deadline(date(9998, 1, 1))
    assert info.value.field == "accident_date"
    with pytest.raises(OutOfCoverageError, match="date_of_birth"):
        limitation_deadline(date(9998, 1, 1), date_of_birth=date(9990, 1, 1))
    assert limitation_deadline(date(9996, 2, 29)) == date(9999, 2, 28)


def test_eighteenth_birthday_checks_its_input():
    """eighteenth_birthday refuses a string and accepts a datetime (its date)."""
    with pytest.raises(RulesTypeError, match="date_of_birth"):
        eighteenth_birthday("2004-02-29")  # type: ignore[arg-type]
    assert eighteenth_birthday(datetime(2004, 2, 29, 12)) == date(2022, 3, 1)
    assert eighteenth_birthday(date(1982, 2, 28)) == date(2000, 2, 28)


# --- lack of capacity and date of knowledge (Limitation Act 1980 ss.11, 14, 28) -------------


def test_lack_of_capacity_at_accrual_has_no_deadline_while_it_lasts():
    """s.28: time does not run while the disability lasts; no date is invented."""
    period = limitation_period(date(2022, 6, 1), lacked_capacity_at_accrual=True)
    assert period.deadline is None
    assert period.runs_from is None
    assert not period.running
    assert period.message.startswith("no deadline while the disability lasts")
    assert period.to_dict()["deadline"] is None
    assert "no deadline while the disability lasts" in str(period)


def test_capacity_regained_starts_the_three_years():
    period = limitation_period(
        date(2022, 6, 1), lacked_capacity_at_accrual=True, capacity_regained_on=date(2024, 2, 29)
    )
    assert period.runs_from == date(2024, 2, 29)
    assert period.deadline == date(2027, 2, 28)
    # A claimant who regained capacity at once is no worse off than anyone else.
    same_day = limitation_period(
        date(2022, 6, 1), lacked_capacity_at_accrual=True, capacity_regained_on=date(2022, 6, 1)
    )
    assert same_day.deadline == limitation_deadline(date(2022, 6, 1))


def test_capacity_inputs_are_checked():
    with pytest.raises(RulesError, match="only for a claimant who lacked capacity"):
        limitation_period(date(2022, 6, 1), capacity_regained_on=date(2023, 1, 1))
    with pytest.raises(RulesError, match="before the accident"):
        limitation_period(
            date(2022, 6, 1), lacked_capacity_at_accrual=True, capacity_regained_on=date(2022, 5, 1)
        )
    with pytest.raises(RulesTypeError):
        limitation_period(date(2022, 6, 1), lacked_capacity_at_accrual=1)


def test_date_of_knowledge_runs_three_years_from_the_later_date():
    """s.11(4)(b), s.14: three years from the date of knowledge if later than the accident."""
    assert limitation_deadline(date(2022, 1, 1), date_of_knowledge=date(2023, 7, 9)) == date(
        2026, 7, 9
    )
    assert limitation_deadline(date(2022, 1, 1), date_of_knowledge=date(2022, 1, 1)) == date(
        2025, 1, 1
    )
    period = limitation_period(date(2022, 1, 1), date_of_knowledge=date(2023, 7, 9))
    assert [s[2] for s in period.steps] == [
        "Limitation Act 1980 s.11(4)(a)",
        "Limitation Act 1980 ss.11(4)(b), 14",
    ]


def test_date_of_knowledge_before_the_accident_is_refused():
    with pytest.raises(RulesError) as err:
        limitation_deadline(date(2022, 1, 1), date_of_knowledge=date(2021, 12, 31))
    assert err.value.field == "date_of_knowledge"
    assert err.value.reference == "Limitation Act 1980 ss.11(4)(b), 14"


def test_minority_and_knowledge_take_the_later():
    # Aged 16 at the accident; knowledge after the 18th birthday moves the start again.
    assert limitation_deadline(
        date(2022, 6, 1), date_of_birth=date(2006, 1, 15), date_of_knowledge=date(2024, 5, 5)
    ) == date(2027, 5, 5)


@given(middle_dates, st.integers(0, 2000), st.integers(0, 2000))
def test_the_deadline_is_three_years_from_the_latest_start(accident, known_after, regained_after):
    known = accident + timedelta(days=known_after)
    regained = accident + timedelta(days=regained_after)
    period = limitation_period(
        accident,
        date_of_knowledge=known,
        lacked_capacity_at_accrual=True,
        capacity_regained_on=regained,
    )
    assert period.runs_from == max(accident, known, regained)
    assert period.deadline is not None
    assert period.deadline >= limitation_deadline(accident, date_of_knowledge=known)


def test_concurrent_first_use_builds_one_calendar_shared_by_every_thread(monkeypatch):
    """16 threads making their first deadline call at once: one build, one set of tables."""
    import threading
    import time

    import holidays

    real = holidays.country_holidays
    builds: list[int] = []

    def slow_country_holidays(*args, **kwargs):
        builds.append(1)
        time.sleep(0.05)  # widen the window in which an unlocked cache is built twice
        return real(*args, **kwargs)

    monkeypatch.setattr(holidays, "country_holidays", slow_country_holidays)
    monkeypatch.setattr(deadlines, "_BANK_HOLIDAYS", None)
    monkeypatch.setattr(deadlines, "_PLAIN_TABLES", [], raising=False)
    saved = list(deadlines._DEFAULT._tables)
    deadlines._DEFAULT._tables.clear()
    try:
        barrier = threading.Barrier(16)
        answers: list[date] = []
        tables: list[object] = []

        def first_call() -> None:
            barrier.wait()
            answers.append(add_business_days(date(2023, 4, 6), 1))
            tables.append(EnglandWalesCalendar()._build())

        threads = [threading.Thread(target=first_call) for _ in range(16)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert answers == [date(2023, 4, 11)] * 16  # Good Friday and Easter Monday skipped
        assert len(builds) == 1
        assert len(deadlines._DEFAULT._tables) == 1
        shared = deadlines._DEFAULT._tables[0]
        assert all(t is shared for t in tables)
    finally:
        deadlines._DEFAULT._tables[:] = saved


def test_a_calendar_with_extras_builds_its_own_tables():
    plain = EnglandWalesCalendar()._build()
    custom = EnglandWalesCalendar(extra_holidays=[date(2030, 6, 3)])
    assert custom._build() is not plain
    assert custom._build() is custom._build()


# --- issue 16: fast paths agree with the general path -----------------------------------


class _Date(date):
    """A date subclass: accepted, but never on the plain-date fast path."""


class _Int(int):
    """An int subclass: accepted, but never on the plain-int fast path."""


@given(supported_dates, st.integers(min_value=-30_000, max_value=30_000))
def test_add_business_days_fast_path_agrees_with_the_general_path(d, n):
    """Plain date and int (fast) against a subclass, a datetime and a calendar (general)."""

    def outcome(*args):
        try:
            return args[0](*args[1:])
        except OutOfCoverageError as err:
            return (type(err), err.field, err.reference)

    plain = outcome(add_business_days, d, n)
    assert plain == outcome(add_business_days, _Date(d.year, d.month, d.day), _Int(n))
    assert plain == outcome(add_business_days, datetime(d.year, d.month, d.day, 12), n)
    assert plain == outcome(EnglandWalesCalendar().add_business_days, d, n)
    if not isinstance(plain, tuple):
        assert type(plain) is date


@given(supported_dates, st.one_of(st.none(), supported_dates))
def test_limitation_deadline_fast_path_agrees_with_limitation_period(accident, born):
    """A plain date (fast) against a subclass (general) and limitation_period's deadline."""

    def outcome(accident_date, date_of_birth):
        try:
            return limitation_deadline(accident_date, date_of_birth=date_of_birth)
        except RulesError as err:
            return (type(err), err.field, err.reference)

    plain = outcome(accident, born)
    sub_born = None if born is None else _Date(born.year, born.month, born.day)
    assert plain == outcome(_Date(accident.year, accident.month, accident.day), sub_born)
    if not isinstance(plain, tuple):
        assert plain == limitation_period(accident, date_of_birth=born).deadline


# --- rules the mutation run (issue 17, docs/testing.md) showed were not pinned -------------

_LAST_DAY = deadlines.LAST_SUPPORTED_DATE  # Friday 31 December 2100, a business day
_FIRST_DAY = deadlines.FIRST_SUPPORTED_DATE  # Saturday 1 January 2000


@pytest.mark.parametrize(
    "calendar", [EnglandWalesCalendar(), EnglandWalesCalendar(extra_holidays=[date(2100, 12, 30)])]
)
def test_the_calendar_range_edges_give_out_of_coverage_never_an_index_error(calendar):
    assert calendar.is_business_day(_LAST_DAY) is True
    assert calendar.is_business_day(_FIRST_DAY) is False
    # The last business day is reachable; one more is outside the range.
    start = date(2100, 12, 24)  # then Christmas and Boxing Day (27th, 28th), 29th, 30th, 31st
    remaining = calendar.business_days_between(start, _LAST_DAY)
    assert remaining == (2 if calendar.extra_holidays else 3)
    assert calendar.add_business_days(start, remaining) == _LAST_DAY
    with pytest.raises(OutOfCoverageError):
        calendar.add_business_days(start, remaining + 1)
    for start, n in [(_LAST_DAY, 1), (_LAST_DAY - timedelta(days=1), 2), (_FIRST_DAY, -1),
                     (date(2000, 1, 4), -1), (_LAST_DAY, 10**12)]:  # fmt: skip
        with pytest.raises(OutOfCoverageError) as caught:
            calendar.add_business_days(start, n)
        assert caught.value.field == "n"
        assert caught.value.value == n
        assert str(n if abs(n) < 10**9 else "that many") in caught.value.message
    assert calendar.add_business_days(date(2000, 1, 5), -1) == date(2000, 1, 4)
    assert calendar.add_business_days(_LAST_DAY, 0) == _LAST_DAY
    assert calendar.business_days_between(_FIRST_DAY, date(2000, 1, 4)) == 1
    back = calendar.business_days_between(_LAST_DAY, _LAST_DAY - timedelta(days=1))
    assert back == (0 if calendar.extra_holidays else -1)  # the 30th counts unless a holiday


@pytest.mark.parametrize(
    ("value", "error"),
    [
        (_LAST_DAY + timedelta(days=1), OutOfCoverageError),
        (_FIRST_DAY - timedelta(days=1), OutOfCoverageError),
        ("2024-01-01", RulesTypeError),
    ],
)
def test_each_date_outside_the_calendar_is_refused_naming_its_argument(value, error):
    cal = EnglandWalesCalendar()
    for call, fld in [
        (lambda: cal.is_business_day(value), "d"),
        (lambda: cal.add_business_days(value, 1), "d"),
        (lambda: cal.business_days_between(value, date(2024, 1, 1)), "start"),
        (lambda: cal.business_days_between(date(2024, 1, 1), value), "end"),
        (lambda: EnglandWalesCalendar(extra_holidays=[value]), "extra_holidays"),
        (lambda: EnglandWalesCalendar(extra_business_days=[value]), "extra_business_days"),
    ]:
        with pytest.raises(error) as caught:
            call()
        assert type(caught.value) is error
        assert caught.value.field == fld
        assert caught.value.value == value
    assert cal.is_business_day(_LAST_DAY) is True


def test_calendar_extras_are_refused_naming_the_day():
    christmas = date(2024, 12, 25)
    with pytest.raises(RulesError) as caught:
        EnglandWalesCalendar(extra_holidays=[christmas], extra_business_days=[christmas])
    assert (caught.value.field, caught.value.value) == ("extra_business_days", [christmas])
    with pytest.raises(RulesError) as caught:
        EnglandWalesCalendar(extra_business_days=[date(2024, 12, 28)])  # a Saturday
    assert caught.value.message.startswith("a weekend day is never a business day")
    assert (caught.value.field, caught.value.value) == ("extra_business_days", date(2024, 12, 28))
    with pytest.raises(RulesError) as caught:
        EnglandWalesCalendar(extra_business_days=[date(2024, 12, 27)])  # an ordinary Friday
    assert caught.value.message.startswith("not a listed England & Wales bank holiday")
    assert caught.value.value == date(2024, 12, 27)
    with pytest.raises(RulesTypeError) as caught:
        EnglandWalesCalendar(extra_holidays=date(2024, 12, 27))
    assert (caught.value.field, caught.value.value) == ("extra_holidays", date(2024, 12, 27))
    # Lifting a bank holiday makes it a business day, in this calendar only.
    lifted = EnglandWalesCalendar(extra_business_days=[christmas])
    assert lifted.is_business_day(christmas) is True
    assert EnglandWalesCalendar().is_business_day(christmas) is False


def test_due_date_counts_in_the_calendar_given():
    event = date(2030, 5, 31)  # a Friday; Monday 3 June made a holiday below
    cal = EnglandWalesCalendar(extra_holidays=[date(2030, 6, 3)])
    plain = due_date(Period.LIABILITY_RESPONSE, event)
    assert due_date(Period.LIABILITY_RESPONSE, event, calendar=cal) == add_business_days(plain, 1)
    for kwargs, fld, value in [
        ({"period": "liability", "event_date": event}, "period", "liability"),
        ({"period": Period.LIABILITY_RESPONSE, "event_date": event, "calendar": "x"},
         "calendar", "x"),
        ({"period": Period.LIABILITY_RESPONSE, "event_date": date(2101, 1, 1)},
         "event_date", date(2101, 1, 1)),
    ]:  # fmt: skip
        with pytest.raises(RulesError) as caught:
            due_date(**kwargs)
        assert (caught.value.field, caught.value.value) == (fld, value)


def test_limitation_json_states_the_start_the_deadline_and_every_step():
    period = limitation_period(
        date(2022, 6, 1), date_of_birth=date(2006, 1, 15), date_of_knowledge=date(2023, 2, 1)
    )
    assert period.to_dict() == {
        "accident_date": "2022-06-01",
        "runs_from": "2024-01-15",
        "deadline": "2027-01-15",
        "running": True,
        "message": "last day to issue court proceedings: 2027-01-15 (three years from 2024-01-15)",
        "steps": [
            {"from": "the accident (the cause of action accrued)", "date": "2022-06-01",
             "reference": "Limitation Act 1980 s.11(4)(a)"},
            {"from": "the 18th birthday (under 18 at the accident)", "date": "2024-01-15",
             "reference": "Limitation Act 1980 s.28"},
            {"from": "the date of knowledge", "date": "2023-02-01",
             "reference": "Limitation Act 1980 ss.11(4)(b), 14"},
        ],
        "reference": deadlines.LIMITATION_REFERENCE,
    }  # fmt: skip
    assert str(period).splitlines()[0] == period.message
    stopped = limitation_period(date(2022, 6, 1), lacked_capacity_at_accrual=True)
    assert stopped.to_dict()["deadline"] is None
    assert stopped.to_dict()["running"] is False
    assert stopped.to_dict()["steps"][-1] == {
        "from": "the end of the disability: not yet",
        "date": None,
        "reference": "Limitation Act 1980 ss.28(1), 28(6), 38(2)",
    }
    assert "Limitation Act 1980 s.28" in stopped.message


def test_limitation_boundaries_on_the_accident_day():
    accident = date(2022, 6, 1)
    # Born on the accident day, known on it, capacity regained on it: all allowed.
    assert limitation_deadline(accident, date_of_birth=accident) == date(2043, 6, 1)
    assert limitation_deadline(accident, date_of_knowledge=accident) == date(2025, 6, 1)
    regained = limitation_period(
        accident, lacked_capacity_at_accrual=True, capacity_regained_on=accident
    )
    assert regained.deadline == date(2025, 6, 1)
    # Eighteen on the accident day: not under 18 at the accident, so no s.28 step.
    adult = limitation_period(accident, date_of_birth=date(2004, 6, 1))
    assert [what for what, _, _ in adult.steps] == ["the accident (the cause of action accrued)"]
    assert limitation_period(accident).running is True


@pytest.mark.parametrize(
    ("kwargs", "fld"),
    [
        ({"accident_date": date(9997, 6, 1)}, "accident_date"),
        ({"accident_date": date(9990, 6, 1), "date_of_knowledge": date(9998, 1, 1)},
         "date_of_knowledge"),
        ({"accident_date": date(9990, 6, 1), "lacked_capacity_at_accrual": True,
          "capacity_regained_on": date(9998, 1, 1)}, "capacity_regained_on"),
        ({"accident_date": date(9990, 6, 1), "date_of_birth": date(9980, 1, 1)},
         "date_of_birth"),
    ],
)  # fmt: skip
def test_a_deadline_past_python_dates_names_the_date_it_runs_from(kwargs, fld):
    with pytest.raises(OutOfCoverageError) as caught:
        limitation_period(**kwargs)
    assert caught.value.field == fld


@pytest.mark.parametrize(
    ("kwargs", "error", "fld", "value"),
    [
        ({"date_of_birth": date(2022, 6, 2)}, RulesError, "date_of_birth", date(2022, 6, 2)),
        ({"date_of_birth": "2000-01-01"}, RulesTypeError, "date_of_birth", "2000-01-01"),
        ({"date_of_knowledge": "2023"}, RulesTypeError, "date_of_knowledge", "2023"),
        ({"lacked_capacity_at_accrual": 1}, RulesTypeError, "lacked_capacity_at_accrual", 1),
        ({"capacity_regained_on": date(2023, 1, 1)}, RulesError, "capacity_regained_on",
         date(2023, 1, 1)),
        ({"lacked_capacity_at_accrual": True, "capacity_regained_on": date(2022, 5, 31)},
         RulesError, "capacity_regained_on", date(2022, 5, 31)),
        ({"lacked_capacity_at_accrual": True, "capacity_regained_on": "2023"}, RulesTypeError,
         "capacity_regained_on", "2023"),
    ],
)  # fmt: skip
def test_limitation_refusals_name_the_field_and_value(kwargs, error, fld, value):
    with pytest.raises(error) as caught:
        limitation_period(date(2022, 6, 1), **kwargs)
    assert type(caught.value) is error
    assert (caught.value.field, caught.value.value) == (fld, value)
    assert caught.value.reference.startswith("Limitation Act 1980")


def test_supported_date_accepts_both_ends_of_the_range_and_nothing_beyond():
    check = deadlines.supported_date
    assert check(FIRST_SUPPORTED_DATE, field="f", reference="guide 6.3.1") == FIRST_SUPPORTED_DATE
    assert check(LAST_SUPPORTED_DATE, field="f", reference="guide 6.3.1") == LAST_SUPPORTED_DATE
    assert check(datetime(2100, 12, 31, 23, 59), field="f", reference="guide 6.3.1") == (
        LAST_SUPPORTED_DATE
    )
    for outside in (FIRST_SUPPORTED_DATE - timedelta(days=1), date(2101, 1, 1)):
        with pytest.raises(OutOfCoverageError) as caught:
            check(outside, field="f", reference="guide 6.3.1")
        assert (caught.value.field, caught.value.value) == ("f", outside)


def test_an_unknown_period_is_refused_listing_the_periods():
    for call in (lambda: Period("six-weeks"), lambda: Period.from_slug("six-weeks")):
        with pytest.raises(RulesError) as caught:
            call()
        assert (caught.value.field, caught.value.value) == ("period", "six-weeks")
        assert caught.value.message == "not a protocol period; one of " + ", ".join(
            p.value for p in Period
        )


def test_a_day_both_added_and_lifted_is_refused_saying_so():
    christmas = date(2024, 12, 25)
    with pytest.raises(RulesError) as caught:
        EnglandWalesCalendar(extra_holidays=[christmas], extra_business_days=[christmas])
    assert caught.value.message.startswith("a day cannot be both an extra holiday and an extra")
    with pytest.raises(RulesError) as caught:
        EnglandWalesCalendar(extra_business_days=[date(2024, 12, 27)])
    assert caught.value.field == "extra_business_days"


def test_a_birthday_past_python_dates_is_refused_naming_the_date_of_birth():
    for dob in (date(9990, 2, 28), date(9984, 2, 29)):
        with pytest.raises(OutOfCoverageError) as caught:
            eighteenth_birthday(dob)
        assert (caught.value.field, caught.value.value) == ("date_of_birth", dob)
        assert caught.value.message.startswith("18 years on is after 9999-12-31")
    with pytest.raises(RulesTypeError) as caught:
        eighteenth_birthday("2004-02-29")
    assert caught.value.field == "date_of_birth"
    with pytest.raises(OutOfCoverageError) as caught:
        limitation_period(date(9997, 6, 1))
    assert caught.value.value == date(9997, 6, 1)
    assert caught.value.message.startswith("3 years on is after 9999-12-31")


def test_limitation_messages_and_views():
    stopped = limitation_period(date(2022, 6, 1), lacked_capacity_at_accrual=True)
    assert stopped.message == (
        "no deadline while the disability lasts: the claimant lacked capacity when the cause "
        "of action accrued, and time runs for three years only from the day the disability "
        "ends (Limitation Act 1980 s.28)"
    )
    rows = [line.split("|") for line in str(stopped).splitlines()[3:]]
    assert [r[1].strip() for r in rows] == ["2022-06-01", "-"]
    with pytest.raises(RulesTypeError) as caught:
        limitation_period("2022-06-01")
    assert caught.value.field == "accident_date"
    cases = [
        ({"date_of_birth": date(2022, 6, 2)}, "date of birth is after the accident"),
        ({"lacked_capacity_at_accrual": 1}, "expected True or False, not int"),
        ({"capacity_regained_on": date(2023, 1, 1)},
         ("capacity_regained_on is only for a claimant who lacked capacity when the cause of "
         "action accrued (a later loss of capacity does not stop time)")),
        ({"lacked_capacity_at_accrual": True, "capacity_regained_on": date(2022, 5, 31)},
         ("capacity cannot be regained before the accident on 2022-06-01 if it was lacking "
         "when the cause of action accrued")),
    ]  # fmt: skip
    for kwargs, message in cases:
        with pytest.raises(RulesError) as caught:
            limitation_period(date(2022, 6, 1), **kwargs)
        assert caught.value.message == message


def test_a_huge_count_is_not_spelt_out_in_the_message():
    cal = EnglandWalesCalendar()
    for n, shown in [(999_999_999, "999999999"), (-999_999_999, "-999999999"),
                     (10**9, "that many"), (-(10**9), "that many"), (-10**5, "-100000")]:  # fmt: skip
        with pytest.raises(OutOfCoverageError) as caught:
            cal.add_business_days(date(2024, 1, 2), n)
        assert caught.value.message.startswith(f"{shown} business days from 2024-01-02 falls")


def test_type_refusals_say_what_was_expected():
    with pytest.raises(RulesTypeError) as caught:
        due_date("liability-response", date(2024, 1, 2))
    assert caught.value.message.startswith("expected a Period")
    with pytest.raises(RulesTypeError) as caught:
        due_date(Period.LIABILITY_RESPONSE, date(2024, 1, 2), calendar=[])
    assert caught.value.message.startswith("expected an EnglandWalesCalendar")
    with pytest.raises(RulesTypeError) as caught:
        EnglandWalesCalendar(extra_holidays="2024-01-02")
    assert caught.value.message.startswith("expected a collection of dates")
    with pytest.raises(OutOfCoverageError) as caught:
        deadlines.supported_date(date(2101, 1, 1), field="f", reference="guide 6.3.1")
    assert caught.value.message.startswith("date is outside the supported range")


def test_a_due_date_past_the_calendar_names_the_event_date():
    """The caller gave the event date; the period's length is the rule's (guide 6.3.1)."""
    with pytest.raises(OutOfCoverageError) as info:
        due_date(Period.OFFER, date(2100, 12, 20))
    assert (info.value.field, info.value.value) == ("event_date", date(2100, 12, 20))
    assert str(info.value).startswith("event_date: 20 business days from 2100-12-20 falls")


# --- every refusal, word for word (issue 17: tests/golden/errors/deadlines.txt) -----------

_CAL = EnglandWalesCalendar()
_SATURDAY = date(2024, 1, 6)

ERRORS = {
    # The calendar's range, 2000-01-01..2100-12-31 (every date guide 6.3.1 counts).
    "a day after the calendar's range": lambda: is_business_day(date(2101, 1, 1)),
    "a day before the calendar's range": lambda: is_business_day(date(1999, 12, 31)),
    "a day that is not a date": lambda: is_business_day("2024-01-02"),
    "a count from a day after the range": lambda: add_business_days(date(2101, 1, 1), 1),
    "a count from a day before the range": lambda: add_business_days(date(1999, 12, 31), 1),
    "a count from a day that is not a date": lambda: add_business_days("2024-01-02", 1),
    "a count that is not a whole number": lambda: add_business_days(date(2024, 1, 2), 1.5),
    "a count that is a bool": lambda: add_business_days(date(2024, 1, 2), True),
    "one business day after the last day of the range": lambda: add_business_days(_LAST_DAY, 1),
    "two business days after the day before the last": lambda: add_business_days(
        _LAST_DAY - timedelta(days=1), 2
    ),
    "a calendar's count past the last day": lambda: _CAL.add_business_days(_LAST_DAY, 1),
    "one business day before the first business day": lambda: add_business_days(
        date(2000, 1, 4), -1
    ),
    "a count of a billion business days is not spelt out": lambda: add_business_days(
        date(2024, 1, 2), 10**9
    ),
    "a count just under a billion is spelt out": lambda: add_business_days(
        date(2024, 1, 2), 999_999_999
    ),
    "between: a start after the range": lambda: business_days_between(
        date(2101, 1, 1), date(2024, 1, 2)
    ),
    "between: an end before the range": lambda: business_days_between(
        date(2024, 1, 2), date(1999, 12, 31)
    ),
    "supported_date: after the range": lambda: deadlines.supported_date(
        date(2101, 1, 1), field="f", reference="guide 6.3.1"
    ),
    "supported_date: not a date (the caller's rule)": lambda: deadlines.supported_date(
        20240102, field="f", reference="guide 6.3.1"
    ),
    # Extra holidays and business days (guide 6.3.1: business days in England & Wales).
    "extra holidays given as one string": lambda: EnglandWalesCalendar(extra_holidays="2024-01-02"),
    "extra holidays given as one date": lambda: EnglandWalesCalendar(
        extra_holidays=date(2024, 1, 2)
    ),
    "extra holidays given as a number": lambda: EnglandWalesCalendar(extra_holidays=5),
    "an extra holiday that is a string": lambda: EnglandWalesCalendar(
        extra_holidays=["2024-01-02"]
    ),
    "an extra holiday after the range": lambda: EnglandWalesCalendar(
        extra_holidays=[date(2101, 1, 3)]
    ),
    "an extra business day that is not a date": lambda: EnglandWalesCalendar(
        extra_business_days=[1]
    ),
    "an extra business day on a weekend": lambda: EnglandWalesCalendar(
        extra_business_days=[_SATURDAY]
    ),
    "an extra business day that is already one": lambda: EnglandWalesCalendar(
        extra_business_days=[date(2024, 1, 2)]
    ),
    "a day both an extra holiday and an extra business day": lambda: EnglandWalesCalendar(
        extra_holidays=[date(2024, 12, 25)], extra_business_days=[date(2024, 12, 25)]
    ),
    # due_date (guide 6.3.1): past the calendar, the caller's event date is named.
    "due date: the period is not a Period": lambda: due_date(
        "liability-response", date(2024, 1, 2)
    ),
    "due date: the calendar is not a calendar": lambda: due_date(
        Period.OFFER, date(2024, 1, 2), calendar=[]
    ),
    "due date: an event date after the range": lambda: due_date(Period.OFFER, date(2101, 1, 1)),
    "due date: an event date that is not a date": lambda: due_date(Period.OFFER, "2024-01-02"),
    "due date: the period runs past the last day": lambda: due_date(
        Period.OFFER, date(2100, 12, 20)
    ),
    "due date: from the last day of the range": lambda: due_date(Period.OFFER, _LAST_DAY),
    "due date: with extra holidays, past the last day": lambda: due_date(
        Period.OFFER, date(2100, 12, 1), calendar=EnglandWalesCalendar(extra_holidays=[_LAST_DAY])
    ),
    # _add_from: the refusal names the caller's argument and the value the caller gave.
    "_add_from: past the last day names the caller's field and date": lambda: _CAL._add_from(
        _LAST_DAY, 1, field="start"
    ),
    "_add_from: names the value the caller gave (a datetime)": lambda: _CAL._add_from(
        _LAST_DAY, 1, field="start", given=datetime(2100, 12, 31, 9, 30)
    ),
    "_add_from: a billion days is not spelt out": lambda: _CAL._add_from(
        date(2024, 1, 2), 10**9, field="start"
    ),
    "_add_from: minus a billion days is not spelt out": lambda: _CAL._add_from(
        date(2024, 1, 2), -(10**9), field="start"
    ),
    "_add_from: just under a billion days is spelt out": lambda: _CAL._add_from(
        date(2024, 1, 2), 999_999_999, field="start"
    ),
    "_add_from: a start outside the range keeps the calendar's own refusal": lambda: _CAL._add_from(
        date(2101, 1, 1), 1, field="start"
    ),
    # Limitation Act 1980 s.11, s.14, s.28.
    "limitation: the accident is not a date": lambda: limitation_deadline("2022-06-01"),
    "limitation: the date of birth is not a date": lambda: limitation_deadline(
        date(2022, 6, 1), date_of_birth="2006-01-15"
    ),
    "limitation: born after the accident": lambda: limitation_deadline(
        date(2022, 6, 1), date_of_birth=date(2022, 6, 2)
    ),
    "limitation: knowledge before the accident (s.14)": lambda: limitation_deadline(
        date(2022, 6, 1), date_of_knowledge=date(2022, 5, 31)
    ),
    "limitation: knowledge is not a date": lambda: limitation_deadline(
        date(2022, 6, 1), date_of_knowledge="2023-01-01"
    ),
    "limitation: lacking capacity is not a bool (s.28)": lambda: limitation_period(
        date(2022, 6, 1), lacked_capacity_at_accrual=1
    ),
    "limitation: capacity regained without lacking it (s.28)": lambda: limitation_period(
        date(2022, 6, 1), capacity_regained_on=date(2023, 1, 1)
    ),
    "limitation: capacity regained before the accident (s.28)": lambda: limitation_period(
        date(2022, 6, 1), lacked_capacity_at_accrual=True, capacity_regained_on=date(2022, 5, 1)
    ),
    "limitation: capacity regained is not a date (s.28)": lambda: limitation_period(
        date(2022, 6, 1), lacked_capacity_at_accrual=True, capacity_regained_on="2023-01-01"
    ),
    "limitation: three years from the accident past date.max": lambda: limitation_deadline(
        date(9997, 1, 1)
    ),
    "limitation period: three years from the accident past date.max": lambda: limitation_period(
        date(9997, 1, 1)
    ),
    "limitation: under 18, three years from the 18th birthday past date.max": lambda: (
        limitation_deadline(date(9990, 1, 1), date_of_birth=date(9980, 1, 1))
    ),
    "limitation period: under 18, the 18th birthday past date.max": lambda: limitation_period(
        date(9990, 1, 1), date_of_birth=date(9980, 1, 1)
    ),
    "limitation: the accident on the 18th birthday, past date.max names the accident": lambda: (
        limitation_deadline(date(9998, 1, 1), date_of_birth=date(9980, 1, 1))
    ),
    "limitation period: the accident on the 18th birthday, past date.max": lambda: (
        limitation_period(date(9998, 1, 1), date_of_birth=date(9980, 1, 1))
    ),
    "limitation: knowledge three years before date.max": lambda: limitation_deadline(
        date(2022, 6, 1), date_of_knowledge=date(9998, 1, 1)
    ),
    "limitation: capacity regained three years before date.max": lambda: limitation_period(
        date(2022, 6, 1), lacked_capacity_at_accrual=True, capacity_regained_on=date(9998, 1, 1)
    ),
    "eighteenth birthday past date.max": lambda: eighteenth_birthday(date(9990, 1, 1)),
}


def test_every_refusal_matches_its_golden_file():
    golden_errors.check("deadlines", ERRORS)


def _walk(calendar: EnglandWalesCalendar, d: date, n: int) -> date:
    """The n-th business day after d (before, for n < 0), one calendar day at a time."""
    step = timedelta(days=1 if n > 0 else -1)
    for _ in range(abs(n)):
        d += step
        while not calendar.is_business_day(d):
            d += step
    return d


_EXTRA = EnglandWalesCalendar(
    extra_holidays=[date(2030, 6, 3), date(2031, 1, 2)], extra_business_days=[date(2030, 12, 26)]
)


@given(day=middle_dates, n=st.integers(-40, 40), extras=st.booleans())
def test_a_calendar_counts_from_any_day_as_a_day_by_day_walk(day, n, extras):
    """Guide 6.3.1: the event day never counts, whatever day it is, forwards or back."""
    calendar = _EXTRA if extras else EnglandWalesCalendar()
    assert calendar.add_business_days(day, n) == _walk(calendar, day, n)


@pytest.mark.parametrize(
    ("day", "n", "expected"),
    [
        (date(2023, 4, 8), 1, date(2023, 4, 11)),  # Saturday; Monday is Easter Monday
        (date(2023, 4, 8), -1, date(2023, 4, 6)),  # Saturday; Friday is Good Friday
        (date(2023, 4, 7), 1, date(2023, 4, 11)),  # Good Friday itself
        (date(2023, 4, 10), -1, date(2023, 4, 6)),  # Easter Monday itself
        (date(2023, 12, 25), 1, date(2023, 12, 27)),  # Christmas Day, then Boxing Day
        (date(2023, 6, 11), -2, date(2023, 6, 8)),  # Sunday, two back: Thursday
    ],
)
def test_a_count_from_a_weekend_or_holiday_starts_on_the_next_business_day(day, n, expected):
    """Guide 6.3.1: from a non-business day the first day counted is the next business day."""
    assert EnglandWalesCalendar().add_business_days(day, n) == expected
    assert add_business_days(day, n) == expected
    assert business_days_between(day, expected) == n


def test_the_fast_path_answers_every_plain_count_in_range_itself(monkeypatch):
    """add_business_days with a plain date and a positive int never needs the general path.

    Insurer pricing scripts call it in loops: once the default tables are built, a plain
    date and a plain positive count are answered by one table look-up, from the first day
    of the range (2000-01-01, index 0) to the last business day (2100-12-31).
    """
    cases = [(_FIRST_DAY, 1), (_FIRST_DAY, 2), (date(2000, 1, 4), 1), (date(2023, 4, 8), 1),
             (date(2024, 3, 28), 1), (date(2024, 1, 2), 20), (date(2100, 12, 24), 3),
             (_LAST_DAY - timedelta(days=1), 1)]  # fmt: skip
    expected = [EnglandWalesCalendar().add_business_days(d, n) for d, n in cases]
    assert expected[0] == date(2000, 1, 4)  # Monday 3 January 2000 was a bank holiday
    assert expected[-2:] == [_LAST_DAY, _LAST_DAY]
    assert deadlines._DEFAULT_TABLES  # built by the first use

    def general_path(*_args):
        raise AssertionError("the general path was used")

    monkeypatch.setattr(EnglandWalesCalendar, "add_business_days", general_path)
    assert [add_business_days(d, n) for d, n in cases] == expected


def test_the_limitation_fast_path_answers_plain_dates_without_an_explanation(monkeypatch):
    """limitation_deadline of plain dates (no date of knowledge, birth on or before the
    accident) is the date limitation_period gives, without building its explanation."""
    cases = [(date(2022, 6, 1), None), (date(2022, 6, 1), date(2022, 6, 1)),
             (date(2022, 6, 1), date(2006, 1, 15)), (date(2022, 6, 1), date(1980, 1, 1))]  # fmt: skip
    expected = [limitation_period(a, date_of_birth=b).deadline for a, b in cases]
    assert expected == [date(2025, 6, 1), date(2043, 6, 1), date(2027, 1, 15), date(2025, 6, 1)]

    def slow_path(*_args, **_kwargs):
        raise AssertionError("limitation_period was used")

    monkeypatch.setattr(deadlines, "limitation_period", slow_path)
    assert [limitation_deadline(a, date_of_birth=b) for a, b in cases] == expected


def test_a_claimant_born_on_the_day_of_the_accident_has_until_21():
    """Limitation Act 1980 s.28: a newborn is under 18 at the accident; birth on the
    accident day is not 'after the accident' and is accepted."""
    day = date(2022, 6, 1)
    period = limitation_period(day, date_of_birth=day)
    assert period.runs_from == date(2040, 6, 1)
    assert period.deadline == date(2043, 6, 1)
    assert limitation_deadline(day, date_of_birth=day) == date(2043, 6, 1)


@pytest.mark.parametrize(
    ("accident", "runs_from", "deadline"),
    [
        (date(2024, 1, 14), date(2024, 1, 15), date(2027, 1, 15)),  # the day before: under 18
        (date(2024, 1, 15), date(2024, 1, 15), date(2027, 1, 15)),  # on the 18th birthday
        (date(2024, 1, 16), date(2024, 1, 16), date(2027, 1, 16)),  # the day after
    ],
)
def test_limitation_on_each_side_of_the_18th_birthday(accident, runs_from, deadline):
    """s.28: time runs from the 18th birthday only for a claimant under 18 at the accident."""
    born = date(2006, 1, 15)
    period = limitation_period(accident, date_of_birth=born)
    assert (period.runs_from, period.deadline) == (runs_from, deadline)
    assert limitation_deadline(accident, date_of_birth=born) == deadline
    under_18 = accident < date(2024, 1, 15)
    assert any("18th" in what for what, _, _ in period.steps) is under_18
    # Lacking capacity at accrual (s.28, s.38(2)): no deadline until capacity is regained,
    # then three years from whichever is later, the regaining or the 18th birthday.
    stopped = limitation_period(accident, date_of_birth=born, lacked_capacity_at_accrual=True)
    assert (stopped.runs_from, stopped.deadline, stopped.running) == (None, None, False)
    early = limitation_period(
        accident, date_of_birth=born, lacked_capacity_at_accrual=True,
        capacity_regained_on=accident,
    )  # fmt: skip
    assert early.deadline == deadline
    late = limitation_period(
        accident, date_of_birth=born, lacked_capacity_at_accrual=True,
        capacity_regained_on=date(2025, 3, 1),
    )  # fmt: skip
    assert (late.runs_from, late.deadline) == (date(2025, 3, 1), date(2028, 3, 1))
