"""Tests for rtaprotocol.batch: the vectorised path equals the scalar rules row by row."""

from __future__ import annotations

import html
import json
import pickle
import subprocess
import sys
import warnings
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from itertools import pairwise

import attrs
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rtaprotocol import batch
from rtaprotocol.batch import (
    CLAIM_COLUMNS,
    MAX_PENCE,
    PAYMENT_COLUMNS,
    PENCE_COLUMNS,
    VALUE_COLUMNS,
    add_business_days_many,
    compare_tables,
    due_dates,
    payments,
    pence,
    pounds,
    summarise,
    tariff_amounts,
    value_claims,
    value_claims_meta,
)
from rtaprotocol.deadlines import (
    FIRST_SUPPORTED_DATE,
    LAST_SUPPORTED_DATE,
    EnglandWalesCalendar,
    Period,
    add_business_days,
    bank_holiday_ordinals,
    due_date,
)
from rtaprotocol.deductions import Head, compute_payment
from rtaprotocol.errors import (
    ErrorCode,
    InvalidInput,
    OutOfCoverageError,
    ProtocolViolation,
    RulesError,
    RulesTypeError,
)
from rtaprotocol.limits import check_value_limits
from rtaprotocol.money import to_money, to_pence
from rtaprotocol.tariff import (
    TARIFF_TABLES,
    tariff_amount,
    tariff_award,
    uplifted_tariff_table,
    what_if_tariff_table,
)
from rtaprotocol.valuation import mixed_injury_award
from strategies import middle_dates, tariff_dates

RANGE = "calendar covers 2000-01-01 to 2100-12-31"
S3 = "Civil Liability Act 2018 s.3"
REG_3_3 = r"reg 3\(3\)"

# Days the calendar must get right: weekends, Easter, Christmas, the one-off holidays.
AWKWARD_DAYS = [
    date(2022, 9, 16),  # Friday before the state funeral
    date(2022, 9, 17),  # Saturday
    date(2022, 9, 19),  # state funeral (Monday)
    date(2023, 5, 6),  # Saturday before the coronation holiday
    date(2023, 5, 8),  # coronation
    date(2024, 3, 28),  # Thursday before Good Friday
    date(2024, 3, 29),  # Good Friday
    date(2024, 4, 1),  # Easter Monday
    date(2023, 12, 22),  # Friday before Christmas
    date(2023, 12, 25),  # Christmas Day
    date(2021, 12, 27),  # substitute day
    date(2025, 5, 31),  # Table 2 starts (a Saturday)
    date(2020, 5, 8),  # VE Day, the moved early-May holiday
]
awkward_dates = st.sampled_from(AWKWARD_DAYS)
EXTRA_HOLIDAY = EnglandWalesCalendar(extra_holidays=[date(2030, 6, 3)])  # a Monday
# Every listed bank holiday in the middle of the range, and the days either side of it.
BANK_HOLIDAYS = sorted(
    date.fromordinal(o + shift)
    for o in bank_holiday_ordinals()
    for shift in (-1, 0, 1)
    if date(2002, 1, 1).toordinal() <= o <= date(2098, 12, 31).toordinal()
)
calendar_dates = st.one_of(middle_dates, awkward_dates, st.sampled_from(BANK_HOLIDAYS))

# Accident dates around the tariff's two boundaries, and anywhere under the regime.
TARIFF_EDGES = [date(2021, 5, 31), date(2025, 5, 30), date(2025, 5, 31), LAST_SUPPORTED_DATE]
accident_dates = st.one_of(tariff_dates, st.sampled_from(TARIFF_EDGES))
# Uplifts that land some tariff figure on an exact half-penny (£1,595 at 0.5% is
# £1,602.975), plus any uplift at all.
uplift_bp = st.one_of(
    st.sampled_from([50, 150, 250, 1250, 1750, 2000]), st.integers(min_value=0, max_value=2000)
)


def _days(values: list[date]) -> np.ndarray:
    return np.array(values, dtype="datetime64[D]")


def _as_dates(array: np.ndarray) -> list[date]:
    return array.astype("datetime64[D]").tolist()


# --- dates --------------------------------------------------------------------------------


@given(st.lists(calendar_dates, max_size=40), st.integers(min_value=-300, max_value=300))
def test_add_business_days_many_equals_scalar(dates, n):
    """Every row equals rtaprotocol.add_business_days, for any n including 0 and negatives."""
    got = add_business_days_many(_days(dates), n)
    assert got.dtype == np.dtype("datetime64[D]")
    assert _as_dates(got) == [add_business_days(d, n) for d in dates]


@given(st.lists(st.tuples(calendar_dates, st.integers(min_value=-300, max_value=300)), max_size=40))
def test_per_row_counts_equal_scalar(pairs):
    """An integer array of counts gives each row its own n, exactly as the scalar path."""
    dates = [d for d, _ in pairs]
    counts = np.array([n for _, n in pairs], dtype=np.int64)
    got = add_business_days_many(_days(dates), counts)
    assert _as_dates(got) == [add_business_days(d, n) for d, n in pairs]


@given(st.lists(calendar_dates, min_size=1, max_size=30), st.sampled_from(list(Period)))
def test_due_dates_equal_scalar(dates, period):
    """due_dates equals due_date row by row for every protocol period."""
    got = due_dates(period, _days(dates))
    assert _as_dates(got) == [due_date(period, d) for d in dates]


@pytest.mark.parametrize("day", AWKWARD_DAYS)
@pytest.mark.parametrize("n", [-10, -1, 0, 1, 2, 10, 30, 40])
def test_awkward_days_equal_scalar(day, n):
    """Weekends, bank holidays and one-off holidays: the batch path agrees with the scalar."""
    assert _as_dates(add_business_days_many(_days([day]), n)) == [add_business_days(day, n)]


def test_series_in_series_out_on_the_same_index():
    """A pandas date column comes back as a Series with the same index and its name."""
    col = pd.Series(pd.to_datetime(["2023-05-27", "2023-05-02"]), index=[7, 3], name="entered")
    got = add_business_days_many(col, 1)
    assert isinstance(got, pd.Series)
    assert got.index.tolist() == [7, 3]
    assert got.name == "entered"
    assert [t.date() for t in got] == [date(2023, 5, 30), date(2023, 5, 3)]


def test_due_dates_names_the_series_due_date():
    """due_dates names its Series "due_date" and keeps the index."""
    col = pd.Series(pd.to_datetime(["2023-05-02"]), index=["claim-1"])
    got = due_dates(Period.OFFER, col)
    assert got.name == "due_date"
    assert got["claim-1"].date() == due_date(Period.OFFER, date(2023, 5, 2))


def test_times_and_time_zones_are_dropped_keeping_the_local_date():
    """Like the scalar path, a datetime gives its (local) date: time and zone are dropped."""
    col = pd.Series(pd.to_datetime(["2023-05-05 23:30"])).dt.tz_localize("Europe/London")
    got = add_business_days_many(col, 1)
    bst = timezone(timedelta(hours=1))
    assert got.iloc[0].date() == add_business_days(datetime(2023, 5, 5, 23, 30, tzinfo=bst), 1)
    with_time = np.array(["2023-05-05T23:59"], dtype="datetime64[m]")
    assert _as_dates(add_business_days_many(with_time, 1)) == [date(2023, 5, 9)]


def test_sequences_of_dates_and_datetimes_are_accepted():
    """A list of date/datetime objects works; datetimes give their date."""
    london = timezone(timedelta(hours=1))
    values = [date(2023, 5, 5), datetime(2023, 5, 5, 23, 0, tzinfo=london)]
    assert _as_dates(add_business_days_many(values, 1)) == [date(2023, 5, 9)] * 2


def test_numpy_integer_n_and_empty_input():
    """numpy integers are ints; an empty array gives an empty array."""
    assert _as_dates(add_business_days_many(_days([date(2023, 5, 5)]), np.int32(1))) == [
        date(2023, 5, 9)
    ]
    assert add_business_days_many(_days([]), 5).size == 0


@given(st.lists(middle_dates, max_size=20), st.integers(min_value=-50, max_value=50))
def test_custom_calendar_equals_its_scalar(dates, n):
    """A calendar with an extra holiday gives what its own add_business_days gives."""
    dates = [*dates, date(2030, 5, 31)]
    got = add_business_days_many(_days(dates), n, calendar=EXTRA_HOLIDAY)
    assert _as_dates(got) == [EXTRA_HOLIDAY.add_business_days(d, n) for d in dates]


def test_supported_range_ends():
    """The first and last supported days work with n=0; a result past the end is refused."""
    ends = _days([FIRST_SUPPORTED_DATE, LAST_SUPPORTED_DATE])
    assert _as_dates(add_business_days_many(ends, 0)) == [FIRST_SUPPORTED_DATE, LAST_SUPPORTED_DATE]
    with pytest.raises(OutOfCoverageError, match=RANGE) as info:
        add_business_days_many(ends, 1)
    assert list(info.value.value) == [1]  # only the last row overflows
    with pytest.raises(OutOfCoverageError, match=RANGE) as info:
        add_business_days_many(ends, np.array([-1, 0]))
    assert list(info.value.value) == [0]


def test_out_of_range_dates_are_named_by_index_label():
    """Every date outside the calendar is named by its index label, with its value."""
    col = pd.Series(
        pd.to_datetime(["1999-12-31", "2023-05-02", "2101-01-01"]), index=["a", "b", "c"]
    )
    with pytest.raises(OutOfCoverageError, match=RANGE) as info:
        add_business_days_many(col, 1)
    err = info.value
    assert err.value == {"a": {"dates": date(1999, 12, 31)}, "c": {"dates": date(2101, 1, 1)}}
    assert "2 bad rows (by index: 'a', 'c')" in str(err)


def test_missing_dates_are_bad_rows_not_nat():
    """NaT is refused, naming the row, rather than passed through as NaT."""
    col = pd.Series(pd.to_datetime(["2023-05-02", None]), index=[10, 11])
    with pytest.raises(RulesError, match="missing value") as info:
        add_business_days_many(col, 1)
    assert list(info.value.value) == [11]
    with pytest.raises(RulesError, match="missing value"):
        add_business_days_many(np.array(["NaT"], dtype="datetime64[D]"), 1)


def test_strings_are_refused_as_in_the_scalar_path():
    """ISO strings are not parsed: a str column, or strings among dates, raise a type error."""
    with pytest.raises(RulesTypeError, match=r"guide 6\.3\.1"):
        add_business_days_many(pd.Series(["2023-05-02"]), 1)
    with pytest.raises(RulesTypeError, match="strings are not parsed") as info:
        add_business_days_many([date(2023, 5, 2), "2023-05-02"], 1)
    assert list(info.value.value) == [1]
    with pytest.raises(RulesTypeError, match="not int64"):
        add_business_days_many(np.array([20230502]), 1)


@pytest.mark.parametrize("n", [True, 1.0, "1", None])
def test_bad_n_is_refused(n):
    """n must be an int (bool, float, str refused), naming guide 6.3.1."""
    with pytest.raises(RulesTypeError, match=r"guide 6\.3\.1"):
        add_business_days_many(_days([date(2023, 5, 2)]), n)


def test_bad_n_arrays_are_refused():
    """An n array must be integers, as long as the dates."""
    days = _days([date(2023, 5, 2), date(2023, 5, 3)])
    with pytest.raises(RulesTypeError, match=r"guide 6\.3\.1"):
        add_business_days_many(days, np.array([1.0, 2.0]))
    with pytest.raises(RulesTypeError, match=r"guide 6\.3\.1"):
        add_business_days_many(days, np.array([1, 2, 3]))


def test_bad_calendar_period_and_shape_are_refused():
    """A non-calendar, a non-Period and a 2-D array are type errors naming the rule."""
    days = _days([date(2023, 5, 2)])
    with pytest.raises(RulesTypeError, match=r"guide 6\.3\.1"):
        add_business_days_many(days, 1, calendar="ENG")
    with pytest.raises(RulesTypeError, match=r"guide 6\.3\.1"):
        due_dates("offer", days)
    with pytest.raises(RulesTypeError, match="row by row"):
        add_business_days_many(days.reshape(1, 1), 1)


def test_errors_pickle_with_their_rows():
    """A batch error crosses process boundaries (Dask) with its bad rows intact."""
    with pytest.raises(OutOfCoverageError) as info:
        add_business_days_many(_days([date(1999, 1, 1)]), 1)
    again = pickle.loads(pickle.dumps(info.value))
    assert again.value == info.value.value
    assert str(again) == str(info.value)


def test_long_lists_of_bad_rows_are_shortened_in_the_message_only():
    """The message spells out 20 rows; err.value holds every one."""
    days = _days([date(1999, 1, 1)] * 25)
    with pytest.raises(OutOfCoverageError, match="and 5 more") as info:
        add_business_days_many(days, 1)
    assert len(info.value.value) == 25


# --- money --------------------------------------------------------------------------------


def _scalar_pence(value: float) -> int | None:
    try:
        return to_pence(to_money(value))
    except RulesError:
        return None


@given(st.lists(st.floats(min_value=0, max_value=1e7, allow_nan=False), max_size=30))
def test_pence_accepts_exactly_the_floats_to_money_accepts(values):
    """A float is accepted by pence iff to_money accepts it, and gives the same pence."""
    expected = [_scalar_pence(v) for v in values]
    if None in expected:
        with pytest.raises(RulesError, match=r"guide 4\.4, 6\.5\.2") as info:
            pence(np.array(values, dtype=np.float64))
        assert set(info.value.value) == {i for i, e in enumerate(expected) if e is None}
    else:
        assert pence(np.array(values, dtype=np.float64)).tolist() == expected


@given(st.lists(st.integers(min_value=0, max_value=10**9), max_size=30))
def test_pounds_and_pence_round_trip(values):
    """pounds gives exact two-place Decimals and pence brings them back."""
    amounts = pounds(np.array(values, dtype=np.int64))
    assert [str(a) for a in amounts] == [str(Decimal(v).scaleb(-2)) for v in values]
    assert pence(amounts).tolist() == values


def test_pence_doors():
    """Integers are whole pounds; strings and Decimals use to_money; a Series keeps its index."""
    assert pence(np.array([5, 0])).tolist() == [500, 0]
    assert pence(["12.5", Decimal("0.01"), 3]).tolist() == [1250, 1, 300]
    got = pence(pd.Series([1.5], index=["x"], name="injury"))
    assert got.to_dict() == {"x": 150}
    assert got.name == "injury"


@pytest.mark.parametrize(
    ("values", "kind", "words"),
    [
        ([-1], RulesError, "negative"),
        ([-0.5], RulesError, "negative"),
        ([float("nan")], RulesError, "missing value"),
        ([float("inf")], RulesError, "must be finite"),
        (np.array([np.inf]), RulesError, "an amount must be finite"),
        (["£5"], RulesError, "plain decimal number"),
        ([Decimal("1.005")], RulesError, "more than two decimal places"),
        ([True, 1], RulesTypeError, "not bool"),
        (np.array(["2023-05-02"], dtype="datetime64[D]"), RulesTypeError, "must be numbers"),
    ],
)
def test_pence_refusals_name_the_money_rule(values, kind, words):
    """Every refusal of pence is typed and cites the money rule."""
    with pytest.raises(kind, match=words) as info:
        pence(values)
    assert "guide 4.4, 6.5.2" in str(info.value)


def test_pounds_refuses_non_pence():
    """pounds takes whole pence only: fractions and negatives are refused, naming the rows;
    a float column of whole pence (a NaN once made it float) is the pence it holds."""
    with pytest.raises(RulesError, match="whole number of pence") as info:
        pounds(pd.Series([150.0, 1.5], index=["ok", "bad"]))
    assert list(info.value.value) == ["bad"]
    assert pounds(np.array([150.0])).tolist() == [Decimal("1.50")]
    with pytest.raises(RulesError, match="negative or too large") as info:
        pounds(pd.Series([1, -1], index=["ok", "bad"]))
    assert list(info.value.value) == ["bad"]
    with pytest.raises(RulesError, match="negative or too large"):
        pounds([MAX_PENCE + 1])


# --- tariff -------------------------------------------------------------------------------


def _scalar_tariff_pence(months, accident, psych, bp) -> int:
    pct = Decimal(bp).scaleb(-2)
    amount = tariff_amount(months, accident_date=accident, psychological=psych, uplift_percent=pct)
    return to_pence(amount)


@given(
    st.lists(
        st.tuples(st.integers(min_value=1, max_value=24), accident_dates, st.booleans(), uplift_bp),
        min_size=1,
        max_size=40,
    )
)
def test_tariff_amounts_equal_scalar(rows):
    """Every row equals tariff_amount to the penny: both tables, both columns, any uplift."""
    months, days, psych, bps = (list(c) for c in zip(*rows, strict=True))
    got = tariff_amounts(np.array(months), _days(days), np.array(psych), np.array(bps) / 100)
    assert got.tolist() == [_scalar_tariff_pence(*r) for r in rows]


# Hundredths of a month, with every band edge and a hundredth either side of it.
EDGE_HUNDREDTHS = [
    e * 100 + d for e in (3, 6, 9, 12, 15, 18, 24) for d in (-1, 0, 1) if e * 100 + d <= 2400
]
hundredths = st.one_of(st.integers(min_value=1, max_value=2400), st.sampled_from(EDGE_HUNDREDTHS))


@given(st.lists(st.tuples(hundredths, accident_dates, st.booleans()), min_size=1, max_size=30))
def test_decimal_months_equal_scalar(rows):
    """Fractional Decimal months find the same band as the scalar rule (edges inclusive)."""
    months = [Decimal(c).scaleb(-2) for c, _, _ in rows]
    days = [d for _, d, _ in rows]
    psych = [p for _, _, p in rows]
    got = tariff_amounts(months, _days(days), np.array(psych))
    assert got.tolist() == [
        _scalar_tariff_pence(m, d, p, 0) for m, d, p in zip(months, days, psych, strict=True)
    ]


@pytest.mark.parametrize("accident", TARIFF_EDGES)
@pytest.mark.parametrize("psych", [False, True])
def test_every_month_at_each_table_boundary(accident, psych):
    """Months 1 to 24 on both sides of 31 May 2025 (every band edge) equal the scalar."""
    months = np.arange(1, 25)
    got = tariff_amounts(months, _days([accident] * 24), psych)
    assert got.tolist() == [_scalar_tariff_pence(int(m), accident, psych, 0) for m in months]


def test_half_penny_uplift_rounds_half_up():
    """12.5% of £1,595 is £199.375: the batch path rounds half-up to £1,794.38 as the scalar."""
    got = tariff_amounts([12], [date(2025, 6, 1)], True, Decimal("12.5"))
    assert got.tolist() == [179438]
    assert _scalar_tariff_pence(12, date(2025, 6, 1), True, 1250) == 179438


def test_tariff_series_and_scalars_broadcast():
    """Scalar arguments apply to every row; a Series in gives a Series out on its index."""
    months = pd.Series([3, 4], index=["p", "q"])
    got = tariff_amounts(months, date(2024, 3, 1), False, 0)
    assert got.to_dict() == {"p": 24000, "q": 49500}
    assert got.name == "tariff_pence"


@pytest.mark.parametrize("months", [[0], [25], [-3], [Decimal("24.01")], [Decimal(0)]])
def test_not_a_tariff_injury_cites_s3(months):
    """Zero, negative or more than 24 months is refused citing CLA 2018 s.3."""
    with pytest.raises(RulesError, match=S3) as info:
        tariff_amounts(months, _days([date(2024, 3, 1)]))
    assert list(info.value.value) == [0]


@pytest.mark.parametrize(
    "months", [np.array([3.5]), [3.0], [True], ["3"], [Decimal("NaN")], np.array([np.inf])], ids=str
)
def test_float_and_other_durations_are_refused(months):
    """Fractional floats, bools, strings and NaN durations are refused as by the scalar
    rule; a Python float in a list is judged as the scalar rule judges it."""
    with pytest.raises(RulesError, match=S3):
        tariff_amounts(months, _days([date(2024, 3, 1)]))


def test_accidents_outside_the_regime_are_named():
    """Before 31 May 2021, or after the supported range, raises OutOfCoverageError per row."""
    days = np.array(["2021-05-30", "2021-05-31", "2101-01-01"], dtype="datetime64[D]")
    with pytest.raises(OutOfCoverageError) as info:
        tariff_amounts(np.array([3, 3, 3]), days)
    err = info.value
    assert list(err.value) == [0, 2]
    assert "31 May 2021" in str(err)
    assert "tariff tables are supported up to 2100-12-31" in str(err)


@pytest.mark.parametrize(
    ("uplift", "words"),
    [
        (21, "outside 0 to 20"),
        (20.001, "outside 0 to 20"),
        (10.005, "two decimal places"),
        (19.999, "two decimal places"),
        (-1, "0 to"),
    ],
)
def test_bad_uplift_cites_reg_3_3(uplift, words):
    """An uplift above 20%, below 0 or with three decimals is refused citing reg 3(3); one
    both above 20 and with three decimals is refused as above 20, as by to_percent."""
    with pytest.raises(RulesError, match=REG_3_3) as info:
        tariff_amounts([3], _days([date(2024, 3, 1)]), False, np.array([uplift]))
    assert words in str(info.value)
    with pytest.raises(RulesError, match=REG_3_3):
        tariff_amounts([3], _days([date(2024, 3, 1)]), False, uplift)


def test_bad_psychological_is_refused():
    """psychological must be bools, or 0/1 in a numeric column; a lone 1 and a 1 in a list
    are refused, as by the scalar rule (reg 2(1))."""
    with pytest.raises(RulesError, match=r"reg 2\(1\)") as info:
        tariff_amounts([3, 3], _days([date(2024, 3, 1)] * 2), np.array([1, 2]))
    assert list(info.value.value) == [1]
    with pytest.raises(RulesTypeError, match=r"reg 2\(1\)"):
        tariff_amounts([3], _days([date(2024, 3, 1)]), [1])
    with pytest.raises(RulesTypeError, match=r"reg 2\(1\)"):
        tariff_amounts([3], _days([date(2024, 3, 1)]), 1)
    with pytest.raises(RulesTypeError, match=r"reg 2\(1\)"):
        tariff_amounts([3], _days([date(2024, 3, 1)]), ["yes"])


def test_every_bad_row_is_named_across_columns():
    """One error lists every bad row of every column, each with its offending values."""
    days = _days([date(2024, 3, 1), date(2020, 1, 1), date(2024, 3, 1)])
    with pytest.raises(RulesError) as info:
        tariff_amounts(np.array([25, 3, 3]), days, False, np.array([0, 0, 30]))
    err = info.value
    assert type(err) is RulesError  # mixed kinds: the base class
    assert err.value == {
        0: {"durations_months": 25},
        1: {"accident_dates": date(2020, 1, 1)},
        2: {"uplift_percent": 30},
    }
    for words in (S3, "reg 3(3)", "31 May 2021"):
        assert words in str(err)


def test_mismatched_lengths_and_indexes_are_refused():
    """Array arguments must have one length; Series one index (no silent misalignment)."""
    with pytest.raises(RulesError, match="different lengths"):
        tariff_amounts([3, 4], _days([date(2024, 3, 1)]))
    months = pd.Series([3, 4], index=["a", "b"])
    accidents = pd.Series(pd.to_datetime(["2024-03-01"] * 2), index=["b", "a"])
    with pytest.raises(RulesError, match="different indexes"):
        tariff_amounts(months, accidents)
    same = pd.Series(pd.to_datetime(["2024-03-01"] * 2), index=["a", "b"])
    assert tariff_amounts(months, same).tolist() == [24000, 49500]


def test_money_helpers_refuse_a_lone_scalar():
    """pence and pounds take columns; a single number is a type error."""
    with pytest.raises(RulesTypeError, match="one-dimensional"):
        pence(5)
    with pytest.raises(RulesTypeError, match="one-dimensional"):
        pounds(500)


# --- payments -----------------------------------------------------------------------------


def _pounds(p: int) -> Decimal:
    return Decimal(p).scaleb(-2)


def _scalar_payment(row: dict, seatbelt_heads=(Head.INJURY, Head.INJURY_RELATED)) -> dict:
    """The scalar rule on one row, its answer in pence under the batch column names."""
    pay = compute_payment(
        {
            Head.INJURY: _pounds(row["injury"]),
            Head.INJURY_RELATED: _pounds(row["injury_related"]),
            Head.PROPERTY: _pounds(row["property"]),
        },
        claimant_liability_percent=_pounds(row["liability_bp"]),
        seatbelt_percent=_pounds(row["seatbelt_bp"]),
        seatbelt_heads=seatbelt_heads,
        cru={"injury-related": _pounds(row["cru_ir"]), "property": _pounds(row["cru_p"])},
        interim={"injury-related": _pounds(row["int_ir"]), "property": _pounds(row["int_p"])},
        general_interim=_pounds(row["general"]),
    )
    return {
        "net_injury_pence": to_pence(pay.net_by_head[Head.INJURY]),
        "net_injury_related_pence": to_pence(pay.net_by_head[Head.INJURY_RELATED]),
        "net_property_pence": to_pence(pay.net_by_head[Head.PROPERTY]),
        "total_pence": to_pence(pay.total),
        "cru_not_set_off_pence": to_pence(pay.cru_not_set_off.total()),
        "interim_not_set_off_pence": to_pence(pay.interim_not_set_off.total()),
        "general_interim_not_set_off_pence": to_pence(pay.general_interim_not_set_off),
    }


# Small amounts find half-pennies; large ones exercise the arithmetic's range.
amounts = st.one_of(
    st.just(0), st.integers(min_value=0, max_value=25), st.integers(min_value=0, max_value=10**7)
)
basis_points = st.one_of(st.sampled_from([0, 5000, 10000, 2500, 1]), st.integers(0, 10000))
payment_rows = st.fixed_dictionaries(
    {
        "injury": amounts,
        "injury_related": amounts,
        "property": amounts,
        "liability_bp": basis_points,
        "seatbelt_bp": basis_points,
        "cru_ir": amounts,
        "cru_p": amounts,
        "int_ir": amounts,
        "int_p": amounts,
        "general": amounts,
    }
)
head_choices = st.sets(st.sampled_from(list(Head))).map(lambda s: tuple(h for h in Head if h in s))


@given(st.lists(payment_rows, min_size=1, max_size=30), head_choices)
def test_payments_equal_compute_payment(rows, belted):
    """Every row equals compute_payment to the penny: nets, total and what was not set off."""
    col = {k: np.array([r[k] for r in rows], dtype=np.int64) for k in rows[0]}
    out = payments(
        {Head.INJURY: col["injury"], "injury-related": col["injury_related"],
         Head.PROPERTY: col["property"]},
        claimant_liability_percent=col["liability_bp"] / 100,
        seatbelt_percent=col["seatbelt_bp"] / 100,
        seatbelt_heads=belted,
        cru={Head.INJURY_RELATED: col["cru_ir"], Head.PROPERTY: col["cru_p"]},
        interim={Head.INJURY_RELATED: col["int_ir"], Head.PROPERTY: col["int_p"]},
        general_interim=col["general"],
    )  # fmt: skip
    assert list(out.columns) == list(PAYMENT_COLUMNS)
    assert all(out[c].dtype == np.int64 for c in out.columns)
    assert out.to_dict("records") == [_scalar_payment(r, belted) for r in rows]


def test_guide_example_row_by_row():
    """The guide's 6.5.2.2 example: 675.00 + 512.50 + 925.00 = 2,112.50."""
    out = payments(
        {"injury": 100000, "injury-related": 150000, "property": 150000},
        claimant_liability_percent=25,
        seatbelt_percent=10,
        cru={"injury-related": 50000},
        interim={"property": 20000},
    )
    assert out.iloc[0].to_dict() == {
        "net_injury_pence": 67500,
        "net_injury_related_pence": 51250,
        "net_property_pence": 92500,
        "total_pence": 211250,
        "cru_not_set_off_pence": 0,
        "interim_not_set_off_pence": 0,
        "general_interim_not_set_off_pence": 0,
    }


def test_order_matters_and_half_pennies_round_up():
    """50% liability then 20% seatbelt on £1,000 is £400.00; 50% of 5p leaves 3p."""
    out = payments(
        {"injury": [100000, 5]}, claimant_liability_percent=[50, 50], seatbelt_percent=[20, 0]
    )
    assert out["total_pence"].tolist() == [40000, 3]


def test_payments_keep_the_series_index_and_percent_columns_as_decimals():
    """A Series gives the output its index; Decimal percentages go through to_percent."""
    injury = pd.Series([100000, 100000], index=["a", "b"])
    liability = pd.Series([Decimal("33.33"), Decimal("0")], index=["a", "b"])
    out = payments({"injury": injury}, claimant_liability_percent=liability)
    assert out.index.tolist() == ["a", "b"]
    assert out["total_pence"].tolist() == [66670, 100000]


def test_more_cru_and_interim_than_the_head_is_recorded_not_hidden():
    """A head never goes below zero; the excess and a general interim excess are recorded."""
    out = payments(
        {"injury-related": 1000, "property": 1000},
        cru={"injury-related": 1500},
        interim={"property": 1200},
        general_interim=50,
    )
    row = out.iloc[0]
    assert (row["net_injury_related_pence"], row["net_property_pence"]) == (0, 0)
    assert row["cru_not_set_off_pence"] == 500
    assert row["interim_not_set_off_pence"] == 200
    assert row["total_pence"] == 0
    assert row["general_interim_not_set_off_pence"] == 50


def test_cru_or_item_interim_against_injury_is_a_protocol_violation():
    """CRU (SS(RB)A 1997 Sch 2) or an item interim (guide 6.3.1.4) off injury is refused."""
    with pytest.raises(ProtocolViolation, match="Recovery of Benefits") as info:
        payments({"injury": [1000, 1000]}, cru={"injury": [0, 100]})
    assert list(info.value.value) == [1]
    with pytest.raises(ProtocolViolation, match=r"guide 6\.3\.1\.4"):
        payments({"injury": 1000}, interim={Head.INJURY: 100})
    assert payments({"injury": 1000}, cru={"injury": 0})["total_pence"].tolist() == [1000]


@pytest.mark.parametrize(
    ("kwargs", "kind", "words"),
    [
        ({"claimant_liability_percent": 101}, RulesError, "6.5.2 (1)"),
        ({"claimant_liability_percent": [101]}, RulesError, "6.5.2 (1)"),
        ({"seatbelt_percent": [Decimal("10.005")]}, RulesError, "6.5.2 (2)"),
        ({"seatbelt_heads": "injury"}, RulesTypeError, "6.5.2 (2)"),
        ({"seatbelt_heads": ["PSLA"]}, RulesError, "6.5.2 (2)"),
        ({"cru": [1]}, RulesTypeError, "6.5.2.2"),
        ({"cru": {"dog": 1}}, RulesError, "guide 6.5.2"),
        ({"interim": {"property": [-1]}}, RulesError, "whole pence"),
        ({"general_interim": 1.5}, RulesTypeError, "whole pence"),
        ({"general_interim": [1.5]}, RulesTypeError, "whole pence"),
    ],
)
def test_payment_refusals_name_the_rule(kwargs, kind, words):
    """Every refusal is typed and names its rule."""
    with pytest.raises(kind) as info:
        payments({"injury": [1000]}, **kwargs)
    assert words in str(info.value)


def test_heads_must_be_a_mapping_of_known_heads_given_once():
    """Unknown heads, a head twice, or a non-mapping are refused citing guide 6.5.2."""
    with pytest.raises(RulesError, match="given twice"):
        payments({"injury": 1, Head.INJURY: 1})
    with pytest.raises(RulesTypeError, match=r"guide 6\.5\.2"):
        payments([1000])
    with pytest.raises(RulesError, match="different lengths"):
        payments({"injury": [1, 2], "property": [1]})


def test_pence_columns_refuse_floats_and_huge_amounts():
    """Money columns are whole pence: floats, NaN and amounts above MAX_PENCE name the rows."""
    with pytest.raises(RulesError, match="whole number of pence"):
        payments({"injury": np.array([100.5])})
    with pytest.raises(RulesTypeError, match="integer column"):
        payments({"injury": np.array(["100"])})
    with pytest.raises(RulesError, match="missing value") as info:
        payments({"injury": pd.Series([1, None], dtype="Int64")})
    assert list(info.value.value) == [1]
    with pytest.raises(RulesError, match="too large"):
        payments({"injury": [MAX_PENCE + 1]})
    with pytest.raises(RulesTypeError, match="whole pence"):
        payments({"injury": [1, True]})
    big = payments({"injury": [MAX_PENCE]}, claimant_liability_percent=[Decimal("0.01")])
    assert big["total_pence"].tolist() == [MAX_PENCE - MAX_PENCE // 10000]


# --- value_claims -------------------------------------------------------------------------

claim_rows = st.fixed_dictionaries(
    {
        "accident_date": accident_dates,
        "duration_months": st.integers(min_value=1, max_value=24),
        "psychological": st.booleans(),
        "uplift_bp": st.one_of(st.just(0), uplift_bp),
        "non_tariff": amounts,
        "overlap": amounts,
        "injury_related": amounts,
        "property": amounts,
        "liability_bp": basis_points,
        "seatbelt_bp": basis_points,
        "cru_ir": amounts,
        "cru_p": amounts,
        "int_ir": amounts,
        "int_p": amounts,
        "general": amounts,
    }
)


def _frame(rows: list[dict], *, decimals: bool = False) -> pd.DataFrame:
    """Rows in the column contract; percentages as floats, or as Decimal objects."""

    def pct(bp: int) -> object:
        return Decimal(bp).scaleb(-2) if decimals else bp / 100

    return pd.DataFrame(
        {
            "accident_date": _days([r["accident_date"] for r in rows]),
            "duration_months": [r["duration_months"] for r in rows],
            "psychological": [r["psychological"] for r in rows],
            "uplift_percent": [pct(r["uplift_bp"]) for r in rows],
            "non_tariff_pence": [r["non_tariff"] for r in rows],
            # at most the non-tariff sum and the lowest tariff (£240), as Hassam requires
            "overlap_pence": [min(r["overlap"], r["non_tariff"], 24000) for r in rows],
            "injury_related_pence": [r["injury_related"] for r in rows],
            "property_pence": [r["property"] for r in rows],
            "claimant_liability_percent": [pct(r["liability_bp"]) for r in rows],
            "seatbelt_percent": [pct(r["seatbelt_bp"]) for r in rows],
            "cru_injury_related_pence": [r["cru_ir"] for r in rows],
            "cru_property_pence": [r["cru_p"] for r in rows],
            "interim_injury_related_pence": [r["int_ir"] for r in rows],
            "interim_property_pence": [r["int_p"] for r in rows],
            "general_interim_pence": [r["general"] for r in rows],
        },
        index=pd.Index([f"C{i:03d}" for i in range(len(rows))], name="claim"),
    )


def _scalar_claim(row: pd.Series, scenario: str | None = None) -> dict:
    """The scalar rules on one row of the column contract, in pence, with how the tariff
    was found and check_value_limits' verdict."""
    uplift = Decimal(str(row["uplift_percent"]))
    award = tariff_award(
        int(row["duration_months"]),
        accident_date=row["accident_date"].date(),
        psychological=bool(row["psychological"]),
        uplift_percent=uplift,
        tariff_table=scenario,
    )
    tariff = award.amount
    mixed = mixed_injury_award(
        award, _pounds(int(row["non_tariff_pence"])), _pounds(int(row["overlap_pence"]))
    )
    limits = check_value_limits(
        mixed.total, _pounds(int(row["injury_related_pence"]) + int(row["property_pence"]))
    )
    payment = _scalar_payment(
        {
            "injury": to_pence(mixed.total),
            "injury_related": int(row["injury_related_pence"]),
            "property": int(row["property_pence"]),
            "liability_bp": int(Decimal(str(row["claimant_liability_percent"])) * 100),
            "seatbelt_bp": int(Decimal(str(row["seatbelt_percent"])) * 100),
            "cru_ir": int(row["cru_injury_related_pence"]),
            "cru_p": int(row["cru_property_pence"]),
            "int_ir": int(row["interim_injury_related_pence"]),
            "int_p": int(row["interim_property_pence"]),
            "general": int(row["general_interim_pence"]),
        }
    )
    return {
        "tariff_pence": to_pence(tariff),
        "injury_pence": to_pence(mixed.total),
        **payment,
        "tariff_table": award.table.name,
        "tariff_band": award.band.not_more_than_months,
        "tariff_column": "whiplash+psych" if award.psychological else "whiplash",
        "tariff_by_scenario": award.table_by_scenario,
        "within_limits": limits.within_limits,
        "limits_reason": ",".join(b.code for b in limits.breaches),
    }


@given(
    st.lists(claim_rows, min_size=1, max_size=25),
    st.booleans(),
    st.sampled_from([None, "2021", "2025"]),
)
def test_value_claims_equals_the_scalar_rules_row_by_row(rows, decimals, scenario):
    """Every row equals tariff_award, mixed_injury_award and compute_payment, to the penny,
    with the same table, band and column, and check_value_limits' verdict and codes."""
    frame = _frame(rows, decimals=decimals)
    # percent_scale="percent": random percentages may all be under 1%, which by default
    # is refused as looking like fractions (tested on its own below).
    out = value_claims(frame, tariff_table=scenario, percent_scale="percent")
    assert list(out.columns) == list(VALUE_COLUMNS)
    assert out.index.equals(frame.index)
    assert out.dtypes.equals(value_claims_meta().dtypes)
    assert all(out[c].dtype == np.int64 for c in PENCE_COLUMNS)
    expected = [_scalar_claim(row, scenario) for _, row in frame.iterrows()]
    assert out.to_dict("records") == expected


def test_value_claims_rabot_and_the_defaults():
    """Only accident_date and duration_months are required; Rabot's award is £3,100."""
    claims = pd.DataFrame(
        {
            "accident_date": pd.to_datetime(["2023-01-10"]),
            "duration_months": [12],
            "psychological": [True],
            "non_tariff_pence": [250000],
            "overlap_pence": [79000],
        }
    )
    row = value_claims(claims).iloc[0]
    assert (row["tariff_pence"], row["injury_pence"], row["total_pence"]) == (
        139000,
        310000,
        310000,
    )
    minimal = value_claims(claims[["accident_date", "duration_months"]])
    assert minimal["total_pence"].tolist() == [132000]


def test_value_claims_names_every_bad_row_in_every_column():
    """One error names each bad row by index label, with every rule that refused it."""
    frame = _frame(
        [
            {"accident_date": date(2024, 1, 1), "duration_months": 3, "psychological": False,
             "uplift_bp": 0, "non_tariff": 0, "overlap": 0, "injury_related": 0, "property": 0,
             "liability_bp": 0, "seatbelt_bp": 0, "cru_ir": 0, "cru_p": 0, "int_ir": 0,
             "int_p": 0, "general": 0}
        ] * 4
    )  # fmt: skip
    frame.loc["C000", "duration_months"] = 25
    frame.loc["C001", "accident_date"] = pd.Timestamp("2021-05-30")
    frame.loc["C002", "claimant_liability_percent"] = 150.0
    frame.loc["C002", "property_pence"] = -5
    with pytest.raises(RulesError) as info:
        value_claims(frame)
    err = info.value
    assert err.value == {
        "C000": {"duration_months": 25},
        "C001": {"accident_date": date(2021, 5, 30)},
        "C002": {"claimant_liability_percent": 150.0, "property_pence": -5},
    }
    text = str(err)
    assert "3 bad rows (by index: 'C000', 'C001', 'C002')" in text
    for words in (S3, "31 May 2021", "6.5.2 (1)", "whole pence"):
        assert words in text


def test_value_claims_overlap_follows_hassam():
    """An overlap above the tariff, or above the non-tariff sum, is refused (guide 4.4.2)."""
    claims = pd.DataFrame(
        {
            "accident_date": pd.to_datetime(["2024-01-01"] * 2),
            "duration_months": [3, 3],
            "non_tariff_pence": [100000, 1000],
            "overlap_pence": [24001, 1001],
        }
    )
    with pytest.raises(RulesError, match="Hassam v Rabot") as info:
        value_claims(claims)
    assert list(info.value.value) == [0, 1]
    assert "more than the tariff" in str(info.value)
    assert "more than the non-whiplash sum" in str(info.value)


def test_value_claims_refuses_cru_or_item_interim_against_injury():
    """A cru_injury_pence or interim_injury_pence column must be all zero."""
    claims = pd.DataFrame(
        {
            "accident_date": pd.to_datetime(["2024-01-01"] * 2),
            "duration_months": [3, 3],
            "cru_injury_pence": [0, 500],
        }
    )
    with pytest.raises(ProtocolViolation, match="Sch 2") as info:
        value_claims(claims)
    assert list(info.value.value) == [1]
    fine = claims.assign(cru_injury_pence=0, interim_injury_pence=0)
    assert value_claims(fine)["total_pence"].tolist() == [24000, 24000]


def test_value_claims_contract_errors():
    """Not a DataFrame, or a required column missing, is refused naming the contract."""
    with pytest.raises(RulesTypeError, match="column contract"):
        value_claims({"accident_date": []})
    with pytest.raises(RulesError, match="column contract") as info:
        value_claims(pd.DataFrame({"accident_date": []}))
    assert info.value.value == ["duration_months"]


CONTRACT_CLAIMS = pd.DataFrame(
    {
        "accident_date": pd.to_datetime(["2024-01-01", "2024-01-02"]),
        "duration_months": [3, 12],
        "property_pence": [10_000, 0],
    },
    index=pd.Index(["a", "b"], name="claim"),
)


@pytest.mark.parametrize(
    ("column", "closest"),
    [
        ("liability_pct", "claimant_liability_percent"),
        ("liability_percent", "claimant_liability_percent"),
        ("uplift_pct", "uplift_percent"),
        ("psych", "psychological"),
        ("property_gbp", "property_pence"),
        ("months", "duration_months"),
        ("policy", None),
        (0, None),
    ],
)
def test_value_claims_refuses_every_column_outside_the_contract(column, closest):
    """Any column not in CLAIM_COLUMNS is refused (not only ..._pence/..._percent ones),
    naming it and the closest contract column: ignoring liability_pct would value the
    claim as if the claimant bore no liability."""
    claims = CONTRACT_CLAIMS.assign(x=[50, 50]).rename(columns={"x": column})
    with pytest.raises(RulesError, match="not in the column contract") as info:
        value_claims(claims)
    err = info.value
    assert err.value == column
    assert err.field == "columns"
    assert "closest contract column is '" in str(err)
    if closest is not None:
        assert f"closest contract column is {closest!r}" in str(err)
    assert "passthrough=" in str(err)
    assert 'extra="ignore"' in str(err)


def test_value_claims_reports_every_contract_problem_at_once():
    """Several unknown columns, and a required one missing, are all reported (InvalidInput)."""
    claims = CONTRACT_CLAIMS.drop(columns="duration_months").assign(psych=True, uplift_pct=5)
    with pytest.raises(InvalidInput) as info:
        value_claims(claims)
    assert [(p.field, p.value) for p in info.value.problems] == [
        ("columns", "psych"),
        ("columns", "uplift_pct"),
        ("columns", ["duration_months"]),
    ]


def test_passthrough_copies_columns_unchanged_and_extra_ignore_drops_them():
    """passthrough= copies the named columns to the output after VALUE_COLUMNS, values and
    dtypes unchanged; extra="ignore" drops unknown columns; both give the same figures."""
    claims = CONTRACT_CLAIMS.assign(
        policy=pd.Series(["P-1", "P-2"], index=["a", "b"], dtype="string"),
        region=pd.Categorical(["N", "S"]),
    )
    plain = value_claims(CONTRACT_CLAIMS)
    kept = value_claims(claims, passthrough=["policy", "region", "policy"])
    assert list(kept.columns) == [*VALUE_COLUMNS, "policy", "region"]
    pd.testing.assert_frame_equal(kept[list(VALUE_COLUMNS)], plain)
    pd.testing.assert_series_equal(kept["policy"], claims["policy"])
    pd.testing.assert_series_equal(kept["region"], claims["region"])
    with pytest.raises(RulesError, match="'region'"):  # one passed through, one not
        value_claims(claims, passthrough=["policy"])
    pd.testing.assert_frame_equal(value_claims(claims, extra="ignore"), plain)
    both = value_claims(claims, passthrough=("policy",), extra="ignore")
    assert list(both.columns) == [*VALUE_COLUMNS, "policy"]
    contract_kept = value_claims(claims, passthrough=["accident_date"], extra="ignore")
    pd.testing.assert_series_equal(contract_kept["accident_date"], claims["accident_date"])


def test_columns_renames_in_the_call():
    """columns={"theirs": "contract"} reads a column under its contract name."""
    theirs = CONTRACT_CLAIMS.rename(
        columns={"accident_date": "loss_date", "property_pence": "property_gbp_pence"}
    ).assign(liability_pct=[0, 25])
    mapping = {
        "loss_date": "accident_date",
        "property_gbp_pence": "property_pence",
        "liability_pct": "claimant_liability_percent",
    }
    expected = value_claims(CONTRACT_CLAIMS.assign(claimant_liability_percent=[0, 25]))
    pd.testing.assert_frame_equal(value_claims(theirs, columns=mapping), expected)
    kept = value_claims(theirs, columns=mapping, passthrough=["liability_pct"])
    assert kept["liability_pct"].tolist() == [0, 25]
    swapped = CONTRACT_CLAIMS.assign(injury_related_pence=[1, 2])
    out = value_claims(
        swapped,
        columns={
            "property_pence": "injury_related_pence",
            "injury_related_pence": "property_pence",
        },
    )
    assert out["net_property_pence"].tolist() == [1, 2]
    assert out["net_injury_related_pence"].tolist() == [10_000, 0]


@pytest.mark.parametrize(
    ("kwargs", "field", "value", "words"),
    [
        (
            {"columns": {"property_pence": "property_gbp"}},
            "columns=",
            "property_gbp",
            "closest contract column is 'property_pence'",
        ),
        ({"columns": {"property_pence": 7}}, "columns=", 7, "outside the column contract"),
        ({"columns": {"nope": "property_pence"}}, "columns=", "nope", "frame does not have"),
        (
            {"columns": {"property_pence": "duration_months"}},
            "columns=",
            "duration_months",
            "already has",
        ),
        ({"passthrough": ["nope"]}, "passthrough=", "nope", "frame does not have"),
    ],
)
def test_columns_and_passthrough_refuse_what_they_cannot_do(kwargs, field, value, words):
    """A rename to an unknown name or onto a column the frame has, or of a column it does
    not have; a passthrough of a missing column: each refused, naming it."""
    with pytest.raises(RulesError) as info:
        value_claims(CONTRACT_CLAIMS, **kwargs)
    matching = [p for p in info.value.problems if p.field == field]
    assert [p.value for p in matching] == [value]
    assert words in str(matching[0])


def test_contract_options_refuse_bad_shapes():
    """Two names onto one, a passthrough onto an output column, a bare string, an unknown
    extra policy, a non-mapping columns= and a column given twice are all refused."""
    claims = CONTRACT_CLAIMS.assign(prop=[1, 2], property2=[3, 4])
    with pytest.raises(RulesError, match="renames both 'prop' and 'property2'"):
        value_claims(
            claims.drop(columns="property_pence"),
            columns={"prop": "property_pence", "property2": "property_pence"},
        )
    with pytest.raises(RulesError, match="overwrite an output column"):
        value_claims(CONTRACT_CLAIMS.assign(total_pence=1), passthrough=["total_pence"])
    with pytest.raises(RulesTypeError, match="letter by letter"):
        value_claims(CONTRACT_CLAIMS, passthrough="policy")
    with pytest.raises(RulesError, match="extra must be one of 'forbid', 'ignore'"):
        value_claims(CONTRACT_CLAIMS, extra="allow")
    with pytest.raises(RulesTypeError, match="mapping"):
        value_claims(CONTRACT_CLAIMS, columns=[("a", "b")])
    twice = pd.concat([CONTRACT_CLAIMS, CONTRACT_CLAIMS[["property_pence"]]], axis=1)
    with pytest.raises(RulesError, match="appears more than once") as info:
        value_claims(twice)
    assert info.value.value == "property_pence"


def test_value_claims_seatbelt_heads_and_empty_frames():
    """seatbelt_heads changes which heads the seatbelt reduction touches; empty in, empty out."""
    claims = pd.DataFrame(
        {
            "accident_date": pd.to_datetime(["2024-01-01"]),
            "duration_months": [3],
            "property_pence": [10000],
            "seatbelt_percent": [50],
        }
    )
    default = value_claims(claims)["total_pence"].tolist()
    everything = value_claims(claims, seatbelt_heads=list(Head))["total_pence"].tolist()
    assert default == [12000 + 10000]
    assert everything == [12000 + 5000]
    empty = value_claims(claims.iloc[:0])
    assert empty.empty
    assert empty.dtypes.equals(value_claims_meta().dtypes)


def test_column_contract_is_documented():
    """Every contract column has a default (None: required) and a description."""
    required = [n for n, (default, _) in CLAIM_COLUMNS.items() if default is None]
    assert required == ["accident_date", "duration_months"]
    assert all(text for _, text in CLAIM_COLUMNS.values())


# --- found in review: odd input is refused exactly as the scalar path refuses it ----------


def _outcome(call):
    """Return the call's result, or "refused" if it raised a RulesError (anything else escapes)."""
    try:
        return call()
    except RulesError:
        return "refused"


odd_values = st.one_of(
    st.integers(min_value=-5, max_value=130),
    st.integers(min_value=2**62, max_value=2**70),
    st.decimals(min_value=-1, max_value=130, places=3),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.floats(min_value=-1, max_value=130),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([True, False, None, "12.5", "£5", "1e2", "", Decimal("sNaN")]),
    st.from_regex(r"\s?[0-9]{1,3}(\.[0-9]{0,3})?\s?", fullmatch=True),
)


@given(odd_values, st.sampled_from(TARIFF_EDGES))
def test_any_duration_is_accepted_or_refused_exactly_as_the_scalar_rule(value, accident):
    """Any value at all: tariff_amounts refuses it iff tariff_amount does, else the same pence."""
    scalar = _outcome(lambda: to_pence(tariff_amount(value, accident_date=accident)))
    got = _outcome(lambda: tariff_amounts([value], _days([accident])).tolist())
    assert got == (scalar if scalar == "refused" else [scalar])


@given(odd_values)
def test_any_percentage_is_accepted_or_refused_exactly_as_the_scalar_rule(value):
    """Any value, as a scalar, in a list, or in a numpy column: refused iff compute_payment
    refuses it, else the same payment to the penny (no wrap-around, no crash)."""
    scalar = _outcome(
        lambda: to_pence(
            compute_payment({"injury": "9.99"}, claimant_liability_percent=value).total
        )
    )
    expected = scalar if scalar == "refused" else [scalar]

    def batch_total(pct):
        return payments({"injury": [999]}, claimant_liability_percent=pct)["total_pence"].tolist()

    forms = [[value]]
    if not isinstance(value, np.ndarray | list):
        forms.append(value)
    if isinstance(value, float):
        forms.append(np.array([value]))
    if isinstance(value, int) and not isinstance(value, bool) and -(2**63) <= value < 2**63:
        forms.append(np.array([value], dtype=np.int64))
    for form in forms:
        assert _outcome(lambda form=form: batch_total(form)) == expected, form


def test_a_huge_integer_percentage_cannot_wrap_into_range():
    """An int64 percentage whose product by 100 wraps to 4996 (49.96%) is refused, not used."""
    wraps = 1249 * pow(25, -1, 2**62) % 2**62  # wraps * 100 == 4996 modulo 2**64
    assert wraps * 100 % 2**64 == 4996
    with pytest.raises(RulesError, match=r"outside 0 to 100") as info:
        payments({"injury": [100000]}, claimant_liability_percent=np.array([wraps]))
    assert info.value.value == {0: {"claimant_liability_percent": wraps}}
    with pytest.raises(RulesError, match=REG_3_3):
        tariff_amounts([3], _days([date(2024, 3, 1)]), False, np.array([2**64 - 1], np.uint64))


@pytest.mark.parametrize(
    "call",
    [
        lambda: payments({"injury": [10**20]}),
        lambda: payments({"injury": 10**20}),
        lambda: payments({"injury": [1]}, general_interim=2**63),
        lambda: pence(["1" + "0" * 20]),
        lambda: tariff_amounts([10**20], _days([date(2024, 3, 1)])),
        lambda: tariff_amounts(10**20, _days([date(2024, 3, 1)])),
        lambda: tariff_amounts([Decimal("1E+30")], _days([date(2024, 3, 1)])),
        lambda: tariff_amounts([Decimal("1E+999999999")], _days([date(2024, 3, 1)])),
        lambda: tariff_amounts([-(10**20)], _days([date(2024, 3, 1)])),
    ],
)
def test_integers_beyond_int64_are_refused_not_overflowed(call):
    """A Python int or Decimal too big for int64 is a bad row (RulesError), not OverflowError."""
    with pytest.raises(RulesError) as info:
        call()
    assert list(info.value.value) == [0]


@pytest.mark.parametrize(
    "n",
    [2**70, -(2**70), np.uint64(2**64 - 1), np.array([2**64 - 1], dtype=np.uint64)],
    ids=["2**70", "-2**70", "uint64 scalar", "uint64 array"],
)
def test_business_day_counts_beyond_int64_are_out_of_range(n):
    """A count no calendar could hold is out of coverage, as in the scalar path; a uint64
    count never wraps round to a small negative one (2**64 - 1 is not -1)."""
    day = date(2024, 1, 3)
    with pytest.raises(OutOfCoverageError, match=RANGE):
        add_business_days(day, int(n[0]) if isinstance(n, np.ndarray) else int(n))
    with pytest.raises(OutOfCoverageError, match=RANGE) as info:
        add_business_days_many(_days([day]), n)
    assert list(info.value.value) == [0]


@pytest.mark.parametrize("dtype", [np.uint8, np.uint16, np.uint32, np.uint64, np.int8, np.int16])
def test_every_integer_dtype_gives_the_scalar_answer(dtype):
    """Small and unsigned integer columns work in every integer role, as int64 does."""
    day = date(2024, 1, 3)
    got = add_business_days_many(_days([day, day]), np.array([1, 30], dtype=dtype))
    assert _as_dates(got) == [add_business_days(day, 1), add_business_days(day, 30)]
    months = tariff_amounts(np.array([3, 24], dtype=dtype), _days([day, day]))
    assert months.tolist() == [_scalar_tariff_pence(3, day, False, 0)] * 1 + [
        _scalar_tariff_pence(24, day, False, 0)
    ]
    out = payments(
        {"injury": np.array([5, 100], dtype=dtype)},
        claimant_liability_percent=np.array([50, 100], dtype=dtype),
    )
    assert out["total_pence"].tolist() == [3, 0]
    assert pence(np.array([3, 100], dtype=dtype)).tolist() == [300, 10000]


def test_huge_floats_are_refused_without_a_cast_warning():
    """A float too large for int64 is refused cleanly (no 'invalid value in cast' warning)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(RulesError, match="above"):
            pence(np.array([1e300]))
        with pytest.raises(RulesError, match="outside 0 to 100"):
            payments({"injury": [1]}, claimant_liability_percent=np.array([1e300]))


def test_numpy_floats_among_objects_are_floats():
    """np.float64 is a float: in an object column or alone it is read as the float it is
    (to_money and to_percent would misread its repr, 'np.float64(5.5)')."""
    assert compute_payment({"injury": 100}, claimant_liability_percent=5.5).total == Decimal(
        "94.50"
    )
    col = np.array([np.float64(5.5)], dtype=object)
    assert payments({"injury": [10000]}, claimant_liability_percent=col)[
        "total_pence"
    ].tolist() == [9450]
    alone = payments({"injury": [10000]}, claimant_liability_percent=np.float64(5.5))
    assert alone["total_pence"].tolist() == [9450]
    assert pence(np.array([np.float64(1.5)], dtype=object)).tolist() == [150]


def test_signalling_nan_decimals_are_refused_like_the_scalar_path():
    """Decimal('sNaN') cannot even be compared; it is refused by the scalar door, not crashed on."""
    with pytest.raises(RulesError, match="finite"):
        pence([Decimal("sNaN")])
    with pytest.raises(RulesError, match="finite"):
        payments({"injury": [1]}, seatbelt_percent=[Decimal("sNaN")])
    with pytest.raises(RulesError, match=S3):
        tariff_amounts([Decimal("sNaN")], _days([date(2024, 3, 1)]))


def test_empty_object_columns_give_empty_answers():
    """An empty list, or an empty frame with object columns (pandas' default), is fine."""
    assert payments({"injury": []}).empty
    frame = pd.DataFrame({"accident_date": [], "duration_months": [], "property_pence": []})
    assert value_claims(frame).empty


def test_pyarrow_time_zones_keep_the_local_date():
    """A pyarrow timestamp with a zone gives its local date, as a datetime64 one does: 08:00
    on Monday in Tokyo is Sunday in UTC, so one business day on is Tuesday, not Monday."""
    local = pd.Series(pd.to_datetime(["2024-01-08 08:00"]).tz_localize("Asia/Tokyo"), index=["k"])
    arrow = local.astype("timestamp[ns, tz=Asia/Tokyo][pyarrow]")
    expected = add_business_days(local.iloc[0].to_pydatetime(), 1)
    assert expected == date(2024, 1, 9)
    for dates in (local, arrow, pd.Index(arrow), pd.DatetimeIndex(local)):
        got = add_business_days_many(dates, 1)
        assert [pd.Timestamp(v).date() for v in got] == [expected]
    assert tariff_amounts(3, arrow).tolist() == [24000]


def test_nullable_and_pyarrow_columns_equal_their_numpy_twins():
    """Int64, boolean, Float64 and pyarrow columns without gaps give the numpy answer; a gap
    is a bad row named by its label."""
    claims = pd.DataFrame(
        {
            "accident_date": pd.Series(pd.to_datetime(["2024-01-01", "2025-06-01"])),
            "duration_months": pd.Series([3, 12], dtype="Int64"),
            "psychological": pd.Series([False, True], dtype="boolean"),
            "uplift_percent": pd.Series([0, 12.5], dtype="Float64"),
            "property_pence": pd.Series([100, 5], dtype="int64[pyarrow]"),
            "claimant_liability_percent": pd.Series(["0", "50"], dtype="string"),
        }
    )
    numpy_twin = claims.astype(
        {
            "duration_months": np.int64,
            "psychological": np.bool_,
            "uplift_percent": np.float64,
            "property_pence": np.int64,
            "claimant_liability_percent": object,
        }
    )
    pd.testing.assert_frame_equal(value_claims(claims), value_claims(numpy_twin))
    gappy = claims.astype({"property_pence": "int64[pyarrow]"})
    gappy.loc[1, "property_pence"] = None
    with pytest.raises(RulesError, match="missing value") as info:
        value_claims(gappy)
    assert list(info.value.value) == [1]


def test_repeated_index_labels_keep_every_bad_row():
    """Two bad rows sharing a label are both counted and both kept in err.value."""
    claims = pd.DataFrame(
        {"accident_date": pd.to_datetime(["2024-01-01"] * 3), "duration_months": [30, 40, 3]},
        index=["a", "a", "b"],
    )
    with pytest.raises(RulesError, match=S3) as info:
        value_claims(claims)
    assert "2 bad rows (by index: 'a'; labels repeat" in str(info.value)
    assert info.value.value == {"a": [{"duration_months": 30}, {"duration_months": 40}]}
    fine = value_claims(claims.assign(duration_months=[3, 4, 5]))
    assert fine.index.tolist() == ["a", "a", "b"]
    assert fine["tariff_pence"].tolist() == [24000, 49500, 49500]


def test_scalar_arguments_broadcast_exactly_as_columns_do():
    """One duration or one accident date for every row gives the per-row answer; a bad one
    is shown as given (10**30, not a clamped stand-in); a datetime gives its local date."""
    days = [date(2025, 5, 30), date(2025, 5, 31)]
    assert tariff_amounts(24, _days(days)).tolist() == [
        _scalar_tariff_pence(24, d, False, 0) for d in days
    ]
    late = datetime(2025, 5, 31, 0, 30, tzinfo=timezone(timedelta(hours=1)))  # 30 May in UTC
    assert tariff_amounts([3, 4], late).tolist() == [
        to_pence(tariff_amount(m, accident_date=late)) for m in (3, 4)
    ]
    with pytest.raises(RulesError, match=S3) as info:
        tariff_amounts(10**30, date(2024, 3, 1))
    assert info.value.value == {0: {"durations_months": 10**30}}
    with pytest.raises(RulesError, match="too large") as info:
        payments({"injury": [1, 2]}, general_interim=10**30)
    assert info.value.value == {0: {"general_interim": 10**30}, 1: {"general_interim": 10**30}}


# --- Dask ---------------------------------------------------------------------------------


def _dask_value(frame: pd.DataFrame, partitions: int) -> pd.DataFrame:
    """The recipe of docs/batch.md, on Dask's local synchronous scheduler."""
    import dask
    import dask.dataframe as dd

    claims = dd.from_pandas(frame, npartitions=partitions, sort=False)
    valued = claims.map_partitions(value_claims, percent_scale="percent", meta=value_claims_meta())
    with dask.config.set(scheduler="synchronous"):
        return valued.compute()


@settings(max_examples=20)  # each example builds and runs a Dask graph
@given(st.lists(claim_rows, min_size=3, max_size=12))
def test_dask_recipe_equals_pandas(rows):
    """value_claims over a partitioned frame with map_partitions equals the pandas call."""
    frame = _frame(rows)
    # Dask stores string labels as pyarrow strings: the labels are equal, their dtype not.
    pd.testing.assert_frame_equal(
        _dask_value(frame, 3), value_claims(frame, percent_scale="percent"), check_index_type=False
    )


def test_dask_recipe_names_the_bad_row_by_its_index_label():
    """A bad row in any partition raises the same RulesError, naming its original label."""
    claims = pd.DataFrame(
        {"accident_date": pd.to_datetime(["2024-01-01"] * 6), "duration_months": [3] * 6},
        index=[f"claim-{i}" for i in range(6)],
    )
    claims.loc["claim-4", "duration_months"] = 0
    with pytest.raises(RulesError, match=S3) as info:
        _dask_value(claims, 3)
    assert list(info.value.value) == ["claim-4"]


# --- the module ---------------------------------------------------------------------------


def test_public_names_are_sorted_and_present():
    """batch.__all__ is sorted (constants, classes, functions, as ruff's RUF022 and
    rtaprotocol.__all__) and every name exists."""

    def key(name):
        return (0 if name.isupper() else (1 if name[0].isupper() else 2), name)

    assert batch.__all__ == sorted(batch.__all__, key=key)
    assert all(hasattr(batch, name) for name in batch.__all__)


def test_import_rtaprotocol_does_not_load_the_batch_extra():
    """import rtaprotocol loads neither rtaprotocol.batch nor numpy nor pandas."""
    code = (
        "import sys, rtaprotocol; "
        "print([m for m in ('rtaprotocol.batch', 'numpy', 'pandas') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert out.stdout.strip() == "[]"


# -- failure to mitigate (CLA 2018 s.3(1)(b)(ii)) ------------------------------------------


def test_failed_to_mitigate_column_values_over_24_months_at_the_last_row():
    """The optional column matches the scalar rule row by row (CLA 2018 s.3(1)(b)(ii))."""
    assert CLAIM_COLUMNS["failed_to_mitigate"][0] is False
    claims = pd.DataFrame(
        {
            "accident_date": pd.to_datetime(["2024-03-01", "2024-03-01", "2025-06-01"]),
            "duration_months": [30, 12, 61],
            "failed_to_mitigate": [True, True, True],
        }
    )
    out = value_claims(claims)
    expected = [
        int(tariff_amount(m, accident_date=d, failed_to_mitigate=True) * 100)
        for m, d in [(30, date(2024, 3, 1)), (12, date(2024, 3, 1)), (61, date(2025, 6, 1))]
    ]
    assert out["tariff_pence"].tolist() == expected
    with pytest.raises(RulesError, match="not a tariff injury"):
        value_claims(claims.assign(failed_to_mitigate=[False, True, True]))
    with pytest.raises(RulesError):
        value_claims(claims.assign(failed_to_mitigate=["yes", True, True]))
    days = np.array(["2024-03-01", "2024-03-01"], dtype="datetime64[D]")
    marked = tariff_amounts(np.array([25, 25]), days, failed_to_mitigate=np.array([True, True]))
    assert marked.tolist() == [421500, 421500]


# --- issue 10: the caller's decimal context, unsigned integers ----------------------------


def _decimal_sensitive_results():
    """Every public batch function, on inputs where a low precision would lose digits."""
    day = date(2025, 5, 31)
    frame = pd.DataFrame(
        {
            "accident_date": pd.to_datetime([day, day]),
            "duration_months": pd.Series([Decimal("3.01"), Decimal("24")], dtype=object),
            "uplift_percent": pd.Series([Decimal("12.34"), Decimal("20")], dtype=object),
            "property_pence": [123_456_789_01, 7],
            "claimant_liability_percent": pd.Series(["33.33", "0.01"], dtype=object),
        }
    )
    return (
        pounds(np.array([MAX_PENCE, 123_456_789_012_3, 1])).tolist(),
        pence([Decimal("99999999999.99"), "12345678901.23", 0.07]).tolist(),
        tariff_amounts(
            [Decimal("3.01"), Decimal("23.99")], _days([day, day]), False, [Decimal("12.34"), 7]
        ).tolist(),
        payments(
            {"injury": [99_999_999_999_99, 5]},
            claimant_liability_percent=[Decimal("33.33"), "12.5"],
            seatbelt_percent=[Decimal("0.01"), 5.5],
        ).to_dict("list"),
        value_claims(frame).to_dict("list"),
    )


@pytest.mark.parametrize("prec", [1, 2, 6, 28, 999])
@pytest.mark.parametrize("rounding", ["ROUND_FLOOR", "ROUND_HALF_EVEN", "ROUND_UP"])
def test_the_callers_decimal_context_changes_nothing(prec, rounding):
    """Every batch function runs in the library's own decimal context: a notebook's
    precision, rounding or Inexact/Rounded traps change no figure and raise nothing (the
    cached tariff tables, first built under a low precision, are exact too)."""
    import decimal

    expected = _decimal_sensitive_results()
    assert expected[0][:2] == [Decimal("100000000000.00"), Decimal("12345678901.23")]
    batch._tariff_arrays.cache_clear()
    with decimal.localcontext() as ctx:
        ctx.prec = prec
        ctx.rounding = getattr(decimal, rounding)
        ctx.traps[decimal.Inexact] = True
        ctx.traps[decimal.Rounded] = True
        got = _decimal_sensitive_results()
    assert got == expected
    assert str(got[0][0]) == "100000000000.00"


class _StrictNumpy:
    """numpy as NEP 50 has it (and numpy 2.5 enforces): a Python int that does not fit the
    other operand's integer dtype is an OverflowError in ``np.where``, never a wrap."""

    def __getattr__(self, name):
        return getattr(np, name)

    @staticmethod
    def where(cond, x, y):
        for scalar, other in ((x, y), (y, x)):
            dtype = np.asarray(other).dtype
            if type(scalar) is int and dtype.kind in "iu":
                info = np.iinfo(dtype)
                if not info.min <= scalar <= info.max:
                    raise OverflowError(f"Python integer {scalar} out of bounds for {dtype}")
        return np.where(cond, x, y)


UNSIGNED = [np.uint8, np.uint16, np.uint32, np.uint64]


def _strict_numpy(monkeypatch):
    """Give every module of the batch package the strict numpy (each reads its own ``np``)."""
    modules = [
        m for name, m in sorted(sys.modules.items()) if name.startswith("rtaprotocol.batch.")
    ]
    assert len(modules) >= 10
    for module in modules:
        if getattr(module, "np", None) is np:
            monkeypatch.setattr(module, "np", _StrictNumpy())


@pytest.mark.parametrize("dtype", UNSIGNED)
def test_unsigned_columns_work_in_every_role_under_nep_50(monkeypatch, dtype):
    """uint8..uint64 pence, percentages, durations and counts give the int64 answer, and a
    value out of range is a bad row, with numpy's strict NEP 50 rules for Python ints."""
    _strict_numpy(monkeypatch)
    day = date(2024, 1, 3)
    u = lambda *v: np.array(v, dtype=dtype)  # noqa: E731
    assert _as_dates(add_business_days_many(_days([day, day]), u(1, 30))) == [
        add_business_days(day, 1),
        add_business_days(day, 30),
    ]
    assert tariff_amounts(u(3, 24), _days([day, day]), False, u(0, 20)).tolist() == [
        _scalar_tariff_pence(3, day, False, 0),
        _scalar_tariff_pence(24, day, False, 2000),
    ]
    out = payments(
        {"injury": u(5, 100), "property": u(7, 0)},
        claimant_liability_percent=u(50, 100),
        seatbelt_percent=u(0, 10),
        cru={"property": u(1, 0)},
        general_interim=u(0, 1),
    )
    assert out["total_pence"].tolist() == [6, 0]  # 3 + (4 - 1), and 100% liability
    assert pence(u(3, 100)).tolist() == [300, 10000]
    assert pounds(u(3, 100)).tolist() == [Decimal("0.03"), Decimal("1.00")]
    frame = pd.DataFrame(
        {
            "accident_date": _days([day, day]),
            "duration_months": u(3, 24),
            "property_pence": u(100, 200),
            "claimant_liability_percent": u(0, 50),
        }
    )
    assert value_claims(frame)["net_property_pence"].tolist() == [100, 100]
    top = np.iinfo(dtype).max
    with pytest.raises(RulesError, match="outside 0 to 100") as info:
        payments({"injury": u(1, 1)}, claimant_liability_percent=u(top, 1))
    assert info.value.value == {0: {"claimant_liability_percent": int(top)}}
    with pytest.raises(RulesError, match=S3):
        tariff_amounts(u(top), _days([day]))
    with pytest.raises(RulesError, match=REG_3_3):
        tariff_amounts(u(3), _days([day]), False, u(top))


@pytest.mark.parametrize("dtype", ["UInt8", "UInt16", "UInt32", "UInt64", "uint16[pyarrow]"])
def test_nullable_unsigned_columns_equal_numpy_ones(monkeypatch, dtype):
    """pandas' nullable and pyarrow unsigned dtypes work; a gap names its row."""
    _strict_numpy(monkeypatch)
    day = date(2024, 1, 3)
    frame = pd.DataFrame(
        {
            "accident_date": _days([day, day]),
            "duration_months": pd.Series([3, 24], dtype=dtype),
            "uplift_percent": pd.Series([0, 20], dtype=dtype),
            "property_pence": pd.Series([100, 200], dtype=dtype),
        }
    )
    twin = frame.astype({c: np.int64 for c in frame.columns if c != "accident_date"})
    pd.testing.assert_frame_equal(value_claims(frame), value_claims(twin))
    gappy = frame.astype({"property_pence": dtype})
    gappy.loc[1, "property_pence"] = None
    with pytest.raises(RulesError, match="missing value") as info:
        value_claims(gappy)
    assert list(info.value.value) == [1]


@pytest.mark.parametrize("as_series", [False, True])
def test_uint64_above_int64_is_refused_never_wrapped(monkeypatch, as_series):
    """A uint64 above the int64 range (2**63 is -2**63 as int64) is a RulesError, in every
    role, numpy or nullable, never wrapped round to a negative or small value."""
    _strict_numpy(monkeypatch)
    day = date(2024, 1, 3)
    values = [2**63, 2**64 - 1, 2**63 + 3]

    def col(*v):
        return pd.Series(v, dtype="UInt64") if as_series else np.array(v, dtype=np.uint64)

    for big in values:
        with pytest.raises(RulesError, match="too large"):
            payments({"injury": col(big)})
        with pytest.raises(RulesError, match="above"):
            pence(col(big))
        with pytest.raises(RulesError, match="too large"):
            pounds(col(big))
        with pytest.raises(RulesError, match="outside 0 to 100"):
            payments({"injury": col(1)}, claimant_liability_percent=col(big))
        with pytest.raises(RulesError, match=S3):
            tariff_amounts(col(big), _days([day]))
        with pytest.raises(OutOfCoverageError, match=RANGE):
            add_business_days_many(_days([day]), col(big))


# --- issue 10: a zoned accident date is its local calendar date ---------------------------

TOKYO_SWITCH = ["2025-05-31 08:00", "2025-05-30 23:30", None]  # 30 May 23:00 UTC; 30 May


def _zoned(kind: str, unit: str = "ns"):
    local = pd.Series(
        pd.to_datetime(TOKYO_SWITCH).tz_localize("Asia/Tokyo"), index=["jst", "late", "gap"]
    )
    if kind == "numpy":
        return local
    if kind == "numpy-utc-stored":  # the same instants, stored as UTC then converted
        return local.dt.tz_convert("UTC").dt.tz_convert("Asia/Tokyo")
    return local.astype(f"timestamp[{unit}, tz=Asia/Tokyo][pyarrow]")


@pytest.mark.parametrize(
    ("kind", "unit"),
    [
        ("numpy", "ns"),
        ("numpy-utc-stored", "ns"),
        ("pyarrow", "ns"),
        ("pyarrow", "us"),
        ("pyarrow", "s"),
    ],
)
def test_zoned_accident_dates_use_the_local_date_on_every_pandas(kind, unit):
    """08:00 on 31 May 2025 in Tokyo is 30 May in UTC: the local date picks Table 2
    (£275 for 3 months), never Table 1 (£240); business days count from the local date.
    The same for numpy-backed and pyarrow-backed zoned columns (on pandas 2.x a pyarrow
    column's own tz_localize(None) gives the UTC time), as Series, Index or a frame column."""
    zoned = _zoned(kind, unit)
    present = zoned.iloc[:2]
    expected = [tariff_amount(3, accident_date=v.to_pydatetime()) * 100 for v in present]
    assert expected == [Decimal("27500.00"), Decimal("24000.00")]
    for dates in (present, pd.Index(present)):
        assert tariff_amounts(3, dates).tolist() == [27500, 24000]
        got = add_business_days_many(dates, 1)
        assert [pd.Timestamp(v).date() for v in got] == [date(2025, 6, 2), date(2025, 6, 2)]
    frame = pd.DataFrame({"accident_date": present, "duration_months": [3, 3]})
    assert value_claims(frame)["tariff_pence"].tolist() == [27500, 24000]
    with pytest.raises(RulesError, match="missing value") as info:
        tariff_amounts(3, zoned)
    assert list(info.value.value) == ["gap"]
    monday = pd.Series(pd.to_datetime(["2024-01-08 08:00"]).tz_localize("Asia/Tokyo"))
    if kind == "pyarrow":
        monday = monday.astype(f"timestamp[{unit}, tz=Asia/Tokyo][pyarrow]")
    assert [pd.Timestamp(v).date() for v in add_business_days_many(monday, 1)] == [
        date(2024, 1, 9)  # Monday in Tokyo (Sunday in UTC): Tuesday, not Monday
    ]


# --- issue 14: how the tariff was found, the value limits, what-if tables -----------------


def _limit_claims() -> pd.DataFrame:
    """Claims at the edges of the £5,000 and £10,000 limits (guide 4.1, 4.4.3)."""
    return pd.DataFrame(
        {
            "accident_date": pd.to_datetime(["2024-06-03"] * 5),
            "duration_months": [3] * 5,
            # tariff £240; the injury head is tariff + non-tariff
            "non_tariff_pence": [476_000, 476_001, 0, 476_001, 0],
            "injury_related_pence": [0, 0, 976_000, 500_000, 300_000],
            "property_pence": [0, 0, 0, 0, 676_001],
            "claimant_liability_percent": [0, 0, 0, 0, 50],
        },
        index=["injury-at", "injury-over", "total-at", "both-over", "total-over"],
    )


def test_value_limits_edges_and_reason_codes():
    """Exactly £5,000 and £10,000 are within; a penny more is over, with the breach codes of
    check_value_limits; the limits count the claim before any deduction."""
    out = value_claims(_limit_claims())
    assert out["within_limits"].tolist() == [True, False, True, False, False]
    assert out["limits_reason"].tolist() == [
        "",
        "injury_over_limit",
        "",
        "injury_over_limit,total_over_limit",
        "total_over_limit",
    ]
    for label, row in _limit_claims().iterrows():
        scalar = check_value_limits(
            _pounds(24000 + row["non_tariff_pence"]),
            _pounds(row["injury_related_pence"] + row["property_pence"]),
        )
        assert out.loc[label, "within_limits"] == scalar.within_limits
        assert out.loc[label, "limits_reason"] == ",".join(b.code for b in scalar.breaches)


def test_tariff_table_band_and_column_are_reported():
    """31 May 2025 is Table 2; 3 months is band 3, 3.01 band 6; the psych column is named."""
    claims = pd.DataFrame(
        {
            "accident_date": pd.to_datetime(["2025-05-30", "2025-05-31", "2025-05-31"]),
            "duration_months": pd.Series([Decimal(3), Decimal("3.01"), 30], dtype=object),
            "psychological": [False, True, False],
            "failed_to_mitigate": [False, False, True],
        }
    )
    out = value_claims(claims)
    assert out["tariff_table"].tolist() == ["Table 1", "Table 2", "Table 2"]
    assert out["tariff_band"].tolist() == [3, 6, 24]
    assert out["tariff_column"].tolist() == ["whiplash", "whiplash+psych", "whiplash"]
    assert not out["tariff_by_scenario"].any()


@given(st.lists(claim_rows, min_size=1, max_size=15))
def test_what_if_none_never_changes_a_default_result(rows):
    """tariff_table=None is the law: value_claims and tariff_amounts give the default."""
    frame = _frame(rows)
    pd.testing.assert_frame_equal(
        value_claims(frame, tariff_table=None, percent_scale="percent"),
        value_claims(frame, percent_scale="percent"),
    )
    args = (frame["duration_months"], frame["accident_date"], frame["psychological"])
    pd.testing.assert_series_equal(tariff_amounts(*args, tariff_table=None), tariff_amounts(*args))


def test_what_if_values_every_row_by_the_named_table_and_says_so():
    claims = pd.DataFrame(
        {"accident_date": pd.to_datetime(["2024-06-03", "2025-06-03"]), "duration_months": [3, 3]}
    )
    for scenario, pence_, table in (("2021", 24000, "Table 1"), ("2025", 27500, "Table 2")):
        out = value_claims(claims, tariff_table=scenario)
        assert out["tariff_pence"].tolist() == [pence_, pence_]
        assert out["tariff_table"].tolist() == [table, table]
        assert out["tariff_by_scenario"].all()
        assert tariff_amounts(
            claims["duration_months"], claims["accident_date"], tariff_table=scenario
        ).tolist() == [pence_, pence_]


@pytest.mark.parametrize(("scenario", "kind"), [("2023", RulesError), (2025, RulesTypeError)])
def test_what_if_refuses_unknown_tables_naming_the_choices(scenario, kind):
    claims = pd.DataFrame({"accident_date": pd.to_datetime(["2024-06-03"]), "duration_months": [3]})
    for call in (
        lambda: value_claims(claims, tariff_table=scenario),
        lambda: tariff_amounts([3], claims["accident_date"], tariff_table=scenario),
    ):
        with pytest.raises(kind, match="'2021', '2025', a TariffTable or None") as info:
            call()
        assert info.value.field == "tariff_table"


def test_what_if_still_refuses_accidents_before_the_regime():
    claims = pd.DataFrame({"accident_date": pd.to_datetime(["2021-05-30"]), "duration_months": [3]})
    with pytest.raises(OutOfCoverageError):
        value_claims(claims, tariff_table="2021")


# --- issue 14: inputs analysts really have ------------------------------------------------


def test_whole_valued_float_columns_are_their_integers():
    """A NaN once made these columns float: 3.0 is 3; the frame values as its int twin."""
    claims = _limit_claims().assign(psychological=[True, False, True, False, True])
    floats = claims.astype(
        {"duration_months": float, "non_tariff_pence": float, "property_pence": float}
    ).assign(psychological=[1.0, 0.0, 1.0, 0.0, 1.0])
    pd.testing.assert_frame_equal(value_claims(floats), value_claims(claims))


def test_a_nan_or_a_fraction_names_only_its_own_rows():
    claims = pd.DataFrame(
        {
            "accident_date": pd.to_datetime(["2024-06-03"] * 4),
            "duration_months": [3.0, np.nan, 3.5, 12.0],
            "non_tariff_pence": [0.0, 0.0, 0.0, 10.5],
            "psychological": [0.0, 1.0, np.nan, 2.0],
        },
        index=["a", "b", "c", "d"],
    )
    with pytest.raises(RulesError) as info:
        value_claims(claims)
    found = info.value.value
    assert list(found) == ["b", "c", "d"]
    assert np.isnan(found["b"]["duration_months"])
    assert found["c"]["duration_months"] == 3.5
    assert np.isnan(found["c"]["psychological"])
    assert found["d"] == {"psychological": 2.0, "non_tariff_pence": 10.5}
    message = info.value.message
    assert "3 bad rows (by index: 'b', 'c', 'd')" in message
    assert "whole months" in message
    assert "whole number of pence" in message
    assert "not a tariff injury" not in message  # 3.5 is named once, for what is wrong


@pytest.mark.parametrize(
    "flags",
    [
        pd.Series([0, 1, 1], dtype="int8"),
        pd.Series([False, True, True], dtype="boolean"),
        pd.Series([0, 1, 1], dtype="Int64"),
        pd.Series([False, True, True], dtype="bool[pyarrow]"),
        pd.Series([0.0, 1.0, 1.0]),
    ],
    ids=str,
)
def test_zero_one_and_nullable_boolean_flags_are_accepted(flags):
    claims = pd.DataFrame(
        {"accident_date": pd.to_datetime(["2024-06-03"] * 3), "duration_months": [3, 3, 3]}
    )
    out = value_claims(claims.assign(psychological=flags))
    assert out["tariff_pence"].tolist() == [24000, 26000, 26000]
    # The same column with a gap (an int8 column with a gap is nullable Int8)
    gappy = pd.Series([*flags[:2], None], dtype="Int8" if flags.dtype == "int8" else flags.dtype)
    with pytest.raises(RulesError, match="missing value") as info:
        value_claims(claims.assign(psychological=gappy))
    assert list(info.value.value) == [2]


def test_other_numbers_in_a_flag_column_name_their_rows():
    claims = pd.DataFrame(
        {"accident_date": pd.to_datetime(["2024-06-03"] * 3), "duration_months": [3, 3, 3]}
    )
    with pytest.raises(RulesError, match=r"reg 2\(1\)") as info:
        value_claims(claims.assign(psychological=[0, 2, -1]))
    assert list(info.value.value) == [1, 2]


# --- issue 14: polars and pyarrow in, the same kind out ------------------------------------


def _portfolio(rows) -> pd.DataFrame:
    frame = _frame(rows).reset_index()
    frame["accident_date"] = frame["accident_date"].astype("datetime64[ms]")
    return frame


@settings(max_examples=25)
@given(st.lists(claim_rows, min_size=1, max_size=12), st.sampled_from([None, "2025"]))
def test_polars_and_pyarrow_give_the_pandas_numbers(rows, scenario):
    """The same claims as a pandas frame, a pyarrow Table and a polars DataFrame: the same
    figures, returned as the kind given (pyarrow and polars are test-only dependencies)."""
    import polars as pl
    import pyarrow as pa

    frame = _portfolio(rows)
    expected = value_claims(
        frame, passthrough=["claim"], tariff_table=scenario, percent_scale="percent"
    )
    table = pa.Table.from_pandas(frame, preserve_index=False)
    from_arrow = value_claims(
        table, passthrough=["claim"], tariff_table=scenario, percent_scale="percent"
    )
    assert isinstance(from_arrow, pa.Table)
    pd.testing.assert_frame_equal(from_arrow.to_pandas(), expected, check_categorical=False)
    from_polars = value_claims(
        pl.from_arrow(table), passthrough=["claim"], tariff_table=scenario, percent_scale="percent"
    )
    assert isinstance(from_polars, pl.DataFrame)
    pd.testing.assert_frame_equal(
        from_polars.to_pandas(), expected, check_categorical=False, check_dtype=False
    )
    assert from_polars["total_pence"].to_list() == expected["total_pence"].tolist()
    assert (
        from_polars["limits_reason"].cast(pl.Utf8).to_list() == expected["limits_reason"].tolist()
    )


def test_polars_dates_and_null_integers_are_read_as_pandas_reads_them():
    """A polars Date column is a date; an integer column with a null names only that row."""
    import polars as pl

    claims = pl.DataFrame(
        {
            "accident_date": [date(2025, 5, 30), date(2025, 5, 31), date(2025, 5, 31)],
            "duration_months": [3, None, 3],
            "psychological": pl.Series([0, 1, 1], dtype=pl.Int8),
        }
    )
    with pytest.raises(RulesError, match="missing value") as info:
        value_claims(claims)
    assert list(info.value.value) == [1]
    out = value_claims(claims.with_columns(pl.col("duration_months").fill_null(3)))
    assert out["tariff_pence"].to_list() == [24000, 30000, 30000]


def test_other_kinds_of_table_are_refused():
    with pytest.raises(RulesTypeError, match="pandas DataFrame, a polars DataFrame or a pyarrow"):
        value_claims({"accident_date": [date(2024, 1, 1)], "duration_months": [3]})


# --- issue 14: summarise ------------------------------------------------------------------


def _hand_portfolio() -> pd.DataFrame:
    """Five claims whose figures are worked out by hand in the tests below (and docs)."""
    return pd.DataFrame(
        {
            "accident_date": pd.to_datetime(["2024-06-03", "2024-06-03"] + ["2025-06-03"] * 3),
            "duration_months": [3, 12, 3, 24, 6],
            "psychological": [False, True, True, False, False],
            "non_tariff_pence": [0, 0, 480_000, 0, 0],
            "injury_related_pence": [0, 0, 0, 600_000, 0],
            "claimant_liability_percent": [0, 50, 0, 0, 0],
            "policy": ["A", "B", "A", "B", "A"],
        },
        index=[f"c{i}" for i in range(1, 6)],
    )


def test_summarise_a_hand_computed_portfolio():
    """By hand: Table 1 £240 (3 months) and £1,390 (12 months, psych) less 50% = £695;
    Table 2 £300 (3 months, psych) + £4,800 JCG = £5,100 (over the injury limit), £4,830
    (24 months) + £6,000 injury-related = £10,830 (over the total limit), £565 (6 months)."""
    valued = value_claims(_hand_portfolio(), passthrough=["policy"])
    assert valued["total_pence"].tolist() == [24000, 69500, 510000, 1083000, 56500]
    by_table = summarise(valued, by=["tariff_table"])
    assert by_table.index.tolist() == ["Table 1", "Table 2"]
    assert by_table["claims"].tolist() == [2, 3]
    assert by_table["tariff_pence"].tolist() == [24000 + 139000, 30000 + 483000 + 56500]
    assert by_table["injury_pence"].tolist() == [163000, 510000 + 483000 + 56500]
    assert by_table["total_pence"].tolist() == [93500, 1649500]
    assert by_table["total_pounds"].tolist() == [Decimal("935.00"), Decimal("16495.00")]
    assert by_table["tariff_pounds"].tolist() == [Decimal("1630.00"), Decimal("5695.00")]
    assert by_table["over_limits"].tolist() == [0, 2]
    assert by_table["share_over_limits"].tolist() == [0.0, 2 / 3]
    by_psych = summarise(valued, by="psychological")
    assert by_psych.index.tolist() == [False, True]
    assert by_psych["claims"].tolist() == [3, 2]
    assert by_psych["tariff_pence"].tolist() == [563500, 169000]
    assert by_psych["total_pence"].tolist() == [1163500, 579500]
    assert by_psych["share_over_limits"].tolist() == [1 / 3, 0.5]
    by_band = summarise(valued, by=["tariff_band"])
    assert by_band.index.tolist() == [3, 6, 12, 24]
    assert by_band["claims"].tolist() == [2, 1, 1, 1]
    by_two = summarise(valued, by=["policy", "tariff_table"])
    assert by_two.index.tolist() == [
        ("A", "Table 1"),
        ("A", "Table 2"),
        ("B", "Table 1"),
        ("B", "Table 2"),
    ]
    assert by_two["total_pence"].tolist() == [24000, 566500, 69500, 1083000]
    everything = summarise(valued)
    assert everything.index.tolist() == ["all"]
    assert everything["claims"].tolist() == [5]
    assert everything["total_pence"].tolist() == [93500 + 1649500]
    assert everything["share_over_limits"].tolist() == [0.4]
    assert everything["over_limits"].dtype == np.int64


def test_summarise_keeps_missing_keys_as_a_group_and_reads_limits_reason():
    valued = value_claims(
        _hand_portfolio().assign(policy=["A", None, "A", None, "A"]), passthrough=["policy"]
    )
    by_policy = summarise(valued, by=["policy"])
    assert by_policy["claims"].sum() == 5
    assert by_policy["claims"].tolist() == [3, 2]
    by_reason = summarise(valued, by=["limits_reason"])
    assert by_reason.index.tolist() == ["", "injury_over_limit", "total_over_limit"]
    assert by_reason["claims"].tolist() == [3, 1, 1]


def test_summarise_polars_and_pyarrow_give_the_pandas_numbers():
    import polars as pl
    import pyarrow as pa

    frame = _hand_portfolio().reset_index(drop=True)
    expected = summarise(value_claims(frame, passthrough=["policy"]), by=["tariff_table"])
    table = pa.Table.from_pandas(frame, preserve_index=False)
    arrow = summarise(value_claims(table, passthrough=["policy"]), by=["tariff_table"])
    assert isinstance(arrow, pa.Table)
    assert arrow.column("total_pence").to_pylist() == expected["total_pence"].tolist()
    assert arrow.column("total_pounds").to_pylist() == expected["total_pounds"].tolist()
    polars = summarise(
        value_claims(pl.from_arrow(table), passthrough=["policy"]), by=["tariff_table"]
    )
    assert isinstance(polars, pl.DataFrame)
    assert polars["claims"].to_list() == expected["claims"].tolist()
    assert polars["tariff_table"].cast(pl.Utf8).to_list() == ["Table 1", "Table 2"]


def test_summarise_refuses_what_it_cannot_read():
    valued = value_claims(_hand_portfolio(), passthrough=["policy"])
    with pytest.raises(RulesError, match="closest column is 'policy'") as info:
        summarise(valued, by=["polcy"])
    assert info.value.field == "by"
    with pytest.raises(RulesError, match="not value_claims' output") as info:
        summarise(valued.drop(columns=["within_limits"]))
    assert info.value.value == ["within_limits"]
    with pytest.raises(RulesTypeError, match="list of column names"):
        summarise(valued, by=3)
    with pytest.raises(RulesError, match="whole number of pence") as info:
        summarise(valued.assign(total_pence=[1.5, 0.0, 0.0, 0.0, 0.0]))
    assert list(info.value.value) == ["c1"]
    with pytest.raises(RulesError, match="overflow"):
        summarise(valued.assign(total_pence=[MAX_PENCE] * 5).iloc[[0] * 1_000_000])


# --- issue 14: the Dask recipe on a real dask.distributed cluster --------------------------


def test_dask_recipe_on_a_local_cluster_of_two_worker_processes():
    """The recipe of docs/batch.md on dask.distributed: two worker processes (not threads,
    not the synchronous scheduler) give the pandas answer, and a bad row comes back from a
    worker as the same RulesError, naming its original label."""
    import os

    import dask.dataframe as dd
    from dask.distributed import Client, LocalCluster

    rows = [
        {
            "accident_date": date(2021, 5, 31) + timedelta(days=37 * i),
            "duration_months": 1 + i % 24,
            "psychological": i % 3 == 0,
            "uplift_bp": (i * 7) % 2001,
            "non_tariff": (i * 1009) % 300_000,
            "overlap": (i * 13) % 20_000,
            "injury_related": (i * 7919) % 900_000,
            "property": (i * 104_729) % 500_000,
            "liability_bp": (i * 31) % 10_001,
            "seatbelt_bp": (i * 17) % 2_501,
            "cru_ir": (i * 3) % 10_000,
            "cru_p": 0,
            "int_ir": 0,
            "int_p": (i * 11) % 5_000,
            "general": (i * 5) % 3_000,
        }
        for i in range(120)
    ]
    frame = _frame(rows)
    expected = value_claims(frame)
    assert not expected["within_limits"].all()  # some claims are over the limits
    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=40,  # logging.ERROR
        ) as cluster,
        Client(cluster) as client,
    ):
        workers = client.run(os.getpid)
        assert len(set(workers.values())) == 2
        assert os.getpid() not in workers.values()
        claims = dd.from_pandas(frame, npartitions=4, sort=False)
        valued = claims.map_partitions(value_claims, meta=value_claims_meta())
        got = valued.compute()
        pd.testing.assert_frame_equal(got, expected, check_index_type=False)
        summary = summarise(got, by=["tariff_table"])
        pd.testing.assert_frame_equal(summary, summarise(expected, by=["tariff_table"]))
        bad = frame.copy()
        bad.loc["C077", "duration_months"] = 25
        with pytest.raises(RulesError, match=S3) as info:
            dd.from_pandas(bad, npartitions=4, sort=False).map_partitions(
                value_claims, meta=value_claims_meta()
            ).compute()
        assert list(info.value.value) == ["C077"]


# --- issue 26: what-if tables and compare_tables -----------------------------------------

_PLUS = uplifted_tariff_table(TARIFF_TABLES[1], "7.5")
_FLAT = what_if_tariff_table([(0, 12, "500", "600"), (12, 24, "2000", "2100")], name="Table 1")


@settings(max_examples=40)
@given(
    st.lists(claim_rows, min_size=1, max_size=15),
    st.sampled_from([TARIFF_TABLES[0], TARIFF_TABLES[1], _PLUS, _FLAT]),
)
def test_value_claims_by_a_table_object_equals_the_scalar_rules(rows, table):
    """A TariffTable (statutory or what-if) values every row as tariff_award does with the
    same table, to the penny, names the table and marks the row as by scenario (issue 26)."""
    frame = _frame(rows, decimals=False)
    out = value_claims(frame, tariff_table=table, percent_scale="percent")
    assert out.dtypes.equals(value_claims_meta(tariff_table=table).dtypes)
    expected = [_scalar_claim(row, table) for _, row in frame.iterrows()]
    assert out.to_dict("records") == expected
    assert out["tariff_by_scenario"].all()
    args = (frame["duration_months"], frame["accident_date"], frame["psychological"])
    assert tariff_amounts(*args, frame["uplift_percent"], tariff_table=table).tolist() == [
        e["tariff_pence"] for e in expected
    ]


@settings(max_examples=40)
@given(st.lists(claim_rows, min_size=1, max_size=15), st.sampled_from(["2021", "2025"]))
def test_a_statutory_table_object_gives_the_figures_of_its_string(rows, year):
    """Property: TARIFF_TABLES[i] passed as an object gives exactly the frame of its
    year's string (issue 26: statutory choice by '2021'/'2025' keeps working)."""
    frame = _frame(rows, decimals=True)
    table = TARIFF_TABLES[("2021", "2025").index(year)]
    pd.testing.assert_frame_equal(
        value_claims(frame, tariff_table=table, percent_scale="percent"),
        value_claims(frame, tariff_table=year, percent_scale="percent"),
    )


def test_a_what_if_table_is_named_in_the_frame_never_as_the_law():
    """The tariff_table column holds the what-if table's own name, renamed from a
    statutory name ("Table 1" -> "Table 1 (what-if)"), and the meta agrees."""
    claims = pd.DataFrame(
        {"accident_date": pd.to_datetime(["2024-06-03"]), "duration_months": [13]}
    )
    out = value_claims(claims, tariff_table=_FLAT)
    assert out["tariff_table"].tolist() == ["Table 1 (what-if)"]
    assert out["tariff_pence"].tolist() == [200000]
    assert out["tariff_band"].tolist() == [24]
    assert value_claims_meta(tariff_table=_FLAT)["tariff_table"].cat.categories.tolist() == [
        "Table 1",
        "Table 2",
        "Table 1 (what-if)",
    ]


def test_an_invalid_table_is_refused_by_the_batch_path_as_by_the_scalar():
    """value_claims and tariff_amounts check a what-if table as tariff_award does."""
    bad = attrs.evolve(
        TARIFF_TABLES[0],
        bands=(attrs.evolve(TARIFF_TABLES[0].bands[0], whiplash=Decimal("-1")),
               *TARIFF_TABLES[0].bands[1:]),
    )  # fmt: skip
    claims = pd.DataFrame({"accident_date": pd.to_datetime(["2024-06-03"]), "duration_months": [3]})
    for call in (
        lambda: value_claims(claims, tariff_table=bad),
        lambda: tariff_amounts([3], claims["accident_date"], tariff_table=bad),
        lambda: compare_tables(claims, None, bad),
        lambda: value_claims_meta(tariff_table=bad),
    ):
        with pytest.raises(RulesError, match="negative") as info:
            call()
        assert info.value.field == "tariff_table.bands[0].whiplash"


@settings(max_examples=40)
@given(
    st.lists(claim_rows, min_size=1, max_size=20),
    st.sampled_from([None, "2021", TARIFF_TABLES[1], _PLUS]),
    st.sampled_from([None, "2025", _PLUS, _FLAT]),
)
def test_compare_tables_total_is_the_sum_of_the_row_differences(rows, base, alternative):
    """Property: each row's difference is the alternative less the base, each equal to
    value_claims under that table, and the total difference is the sum of the rows'."""
    frame = _frame(rows, decimals=False)
    result = compare_tables(frame, base, alternative, percent_scale="percent")
    one = value_claims(frame, tariff_table=base, percent_scale="percent")
    two = value_claims(frame, tariff_table=alternative, percent_scale="percent")
    for name in ("tariff_pence", "injury_pence", "total_pence"):
        assert result.rows[f"base_{name}"].tolist() == one[name].tolist()
        assert result.rows[f"alternative_{name}"].tolist() == two[name].tolist()
        diff = result.rows[f"difference_{name}"]
        assert diff.tolist() == (two[name] - one[name]).tolist()
        assert result.totals[f"difference_{name}"] == int(diff.sum())
        assert (
            result.totals[f"difference_{name}"]
            == result.totals[f"alternative_{name}"] - result.totals[f"base_{name}"]
        )
    assert result.rows.index.equals(frame.index)


def test_compare_tables_marks_what_if_in_every_view():
    """The comparison names both tables: the law as the law, a what-if table by its name
    and what it was derived from, in text, HTML and to_dict (issue 26)."""
    claims = pd.DataFrame(
        {"accident_date": pd.to_datetime(["2024-06-03", "2025-06-03"]), "duration_months": [3, 24]}
    )
    result = compare_tables(claims, None, _PLUS)
    assert result.totals["difference_tariff_pence"] == 24000 * 0 + (29563 - 24000) + (
        519225 - 483000
    )
    data = result.to_dict()
    assert json.loads(json.dumps(data))["totals_pounds"]["difference_tariff_pounds"] == "417.88"
    for view in (str(result), html.unescape(result._repr_html_()), json.dumps(data)):
        assert "the law: each claim's table by its accident date" in view
        assert "what-if table 'Table 2 +7.5%'" in view
        assert "SI 2021/642" not in view
    assert result.to_frame() is result.rows
    assert result.what_if is True
    by_year = compare_tables(claims, "2021", "2025")
    assert "tariff_table='2021'" in by_year.base
    assert by_year.rows["alternative_table"].tolist() == ["Table 2", "Table 2"]


# --- issue 26: per-row outcomes (errors="flag") ---------------------------------------------

# Each corruption makes one row invalid for one reason; the set of corrupted rows is
# exactly the set the flagged result must refuse (guide and statute in each message).
CORRUPTIONS = {
    "duration_zero": ("duration_months", 0, "number.out-of-range"),  # CLA 2018 s.3
    "duration_long": ("duration_months", 25, "number.out-of-range"),
    "liability_over": ("claimant_liability_percent", 150.0, "percent.out-of-range"),  # guide 6.5.2
    "seatbelt_places": ("seatbelt_percent", 12.345, "percent.too-many-places"),
    "uplift_over": ("uplift_percent", 25.0, "percent.out-of-range"),  # WIR 2021 reg 3(3)
    "before_regime": ("accident_date", date(2020, 1, 1), "coverage.out-of-range"),  # WIR 2021 reg 2
    "negative_pence": ("property_pence", -1, "money.negative"),
    "missing_duration": ("duration_months", None, "field.missing"),
}


def _corrupt(frame: pd.DataFrame, bad: dict[int, str]) -> pd.DataFrame:
    """Return ``frame`` with the rows at the positions in ``bad`` corrupted as named."""
    out = frame.copy()
    out["duration_months"] = out["duration_months"].astype(object)
    out["property_pence"] = out["property_pence"].astype(np.int64)
    out["accident_date"] = out["accident_date"].astype(object)
    for position, how in bad.items():
        column, value, _ = CORRUPTIONS[how]
        out.iloc[position, out.columns.get_loc(column)] = value
    out["accident_date"] = pd.to_datetime(out["accident_date"])
    out["duration_months"] = out["duration_months"].astype("Int64")  # a gap is <NA>
    return out


@given(
    st.lists(claim_rows, min_size=2, max_size=15),
    st.data(),
)
def test_flag_values_good_rows_as_the_scalar_rules_and_lists_exactly_the_bad(rows, data):
    """errors="flag": every valid row equals the scalar rules (tariff_award,
    mixed_injury_award, compute_payment, check_value_limits), every invalid row is refused
    with its code, column and message, and no other row is; the summary counts them."""
    frame = _frame(rows)
    positions = data.draw(st.sets(st.integers(0, len(rows) - 1), max_size=len(rows) - 1))
    bad = {p: data.draw(st.sampled_from(sorted(CORRUPTIONS))) for p in positions}
    corrupted = _corrupt(frame, bad)
    out = value_claims(corrupted, errors="flag", percent_scale="percent")
    assert list(out.columns) == [*VALUE_COLUMNS, *batch.STATUS_COLUMNS]
    assert out.dtypes.equals(value_claims_meta(errors="flag").dtypes)
    refused = out["status"] == "refused"
    assert sorted(np.flatnonzero(refused.to_numpy())) == sorted(bad)
    for position, how in bad.items():
        column, _, code = CORRUPTIONS[how]
        row = out.iloc[position]
        assert row["error_code"] == code
        assert row["error_column"] == column
        assert row["error_message"].startswith(f"{column}: ")
        assert all(pd.isna(row[c]) for c in VALUE_COLUMNS)
    for position in set(range(len(rows))) - set(bad):
        got = out.iloc[position]
        expected = _scalar_claim(frame.iloc[position])
        assert {k: got[k] for k in expected} == expected
        assert got["status"] == "valued"
        assert pd.isna(got["error_code"])
    summary = summarise(out)
    assert summary["claims"].tolist() == [len(rows)]
    assert summary["refused"].tolist() == [len(bad)]
    good = frame.iloc[sorted(set(range(len(rows))) - set(bad))]
    if len(good):
        clean = value_claims(good, percent_scale="percent")
        assert summary["total_pence"].tolist() == [int(clean["total_pence"].sum())]
        assert summary["over_limits"].tolist() == [int((~clean["within_limits"]).sum())]


def test_flag_and_raise_agree_on_a_clean_frame_and_on_the_bad_rows():
    """A frame without a bad row gives the same figures either way; with bad rows, "raise"
    names exactly the rows "flag" refuses (guide 6.5.2; CLA 2018 s.3)."""
    claims = _hand_portfolio()
    raised = value_claims(claims, passthrough=["policy"])
    flagged = value_claims(claims, passthrough=["policy"], errors="flag")
    for name in VALUE_COLUMNS:
        assert flagged[name].astype(object).tolist() == raised[name].astype(object).tolist()
    assert flagged["policy"].tolist() == raised["policy"].tolist()
    bad = claims.assign(duration_months=[3, 30, 3, 0, 6], seatbelt_percent=[0, 0, 0, 0, 1.234])
    with pytest.raises(RulesError) as info:
        value_claims(bad, passthrough=["policy"])
    flagged = value_claims(bad, passthrough=["policy"], errors="flag")
    assert flagged.index[flagged["status"] == "refused"].tolist() == list(info.value.value)
    assert flagged.loc["c5", "error_code"] == "percent.too-many-places"
    assert flagged.loc["c5", "error_message"] == (
        "seatbelt_percent: percentage has more than two decimal places: got 1.234 "
        "[guide 6.5.2 (2), 6.5.2.1]"
    )


def test_a_row_with_two_problems_lists_both_in_order():
    """Each problem of a row is listed: codes and columns joined by ",", messages by " | "."""
    claims = pd.DataFrame(
        {
            "accident_date": pd.to_datetime(["2020-01-01", "2024-01-01"]),
            "duration_months": [30, 3],
        }
    )
    out = value_claims(claims, errors="flag")
    assert out["status"].tolist() == ["refused", "valued"]
    assert out.loc[0, "error_code"] == "number.out-of-range,coverage.out-of-range"
    assert out.loc[0, "error_column"] == "duration_months,accident_date"
    assert out.loc[0, "error_message"].count(" | ") == 1
    assert out.loc[1, "total_pence"] == 24000
    assert {str(c) for c in ErrorCode} >= set(out.loc[0, "error_code"].split(","))


def test_errors_and_percent_scale_refuse_anything_else():
    """errors= is "raise" or "flag"; percent_scale= is None, "percent" or "fraction"."""
    claims = _hand_portfolio().drop(columns=["policy"])
    with pytest.raises(RulesError, match="errors must be one of 'raise', 'flag'"):
        value_claims(claims, errors="ignore")
    with pytest.raises(RulesError, match="percent_scale must be"):
        value_claims(claims, percent_scale="per-cent")
    with pytest.raises(RulesError, match="errors must be one of"):
        value_claims_meta(errors=True)


# --- issue 26: fractions in a percentage column --------------------------------------------


def test_fractions_in_a_percentage_column_are_refused_with_a_hint():
    """0.25 meant as 25% would be read as 0.25%: a column whose values are all at most 1,
    some not whole, is refused naming every non-zero row, with the percent_scale hint."""
    claims = pd.DataFrame(
        {
            "accident_date": pd.to_datetime(["2024-06-03"] * 3),
            "duration_months": [12, 12, 12],
            "claimant_liability_percent": [0.25, 0.0, 1.0],
        },
        index=["a", "b", "c"],
    )
    with pytest.raises(RulesError, match='percent_scale="fraction"') as info:
        value_claims(claims)
    assert list(info.value.value) == ["a", "c"]
    flagged = value_claims(claims, errors="flag")
    assert flagged["error_code"].tolist() == ["percent.fraction", pd.NA, "percent.fraction"]
    as_fractions = value_claims(claims, percent_scale="fraction")
    assert as_fractions["net_injury_pence"].tolist() == [99000, 132000, 0]
    as_percent = value_claims(claims, percent_scale="percent")  # really 0.25% and 1%
    assert as_percent["net_injury_pence"].tolist() == [131670, 132000, 130680]
    # Whole values, or any value over 1, are percentages: no guard.
    assert value_claims(claims.assign(claimant_liability_percent=[0, 1, 1]))[
        "net_injury_pence"
    ].tolist() == [132000, 130680, 130680]
    assert value_claims(claims.assign(claimant_liability_percent=[0.5, 2.5, 0]))[
        "net_injury_pence"
    ].tolist() == [131340, 128700, 132000]


@given(st.lists(claim_rows, min_size=1, max_size=12), st.booleans())
def test_fraction_scale_equals_the_same_percentages(rows, decimals):
    """percent_scale="fraction" with bp / 10000 gives exactly the figures of bp / 100 as
    percentages, for floats and for Decimal objects (guide 6.5.2; WIR 2021 reg 3(3))."""
    frame = _frame(rows, decimals=decimals)
    names = ["uplift_percent", "claimant_liability_percent", "seatbelt_percent"]
    keys = ["uplift_bp", "liability_bp", "seatbelt_bp"]
    fractions = frame.copy()
    for name, key in zip(names, keys, strict=True):
        fractions[name] = [Decimal(r[key]).scaleb(-4) if decimals else r[key] / 10000 for r in rows]
    pd.testing.assert_frame_equal(
        value_claims(fractions, percent_scale="fraction"),
        value_claims(frame, percent_scale="percent"),
    )


def test_fraction_scale_refuses_what_is_not_a_fraction():
    """In fractions, 1 is 100%: 1.5 is over it, 0.12345 has more than four places, and an
    uplift over 0.2 is over reg 3(3)'s 20%."""
    claims = pd.DataFrame(
        {
            "accident_date": pd.to_datetime(["2024-06-03"] * 4),
            "duration_months": [3, 3, 3, 3],
            "claimant_liability_percent": [1.5, 0.12345, 1, 0],
            "uplift_percent": [0, 0, 0, 0.25],
        }
    )
    out = value_claims(claims, percent_scale="fraction", errors="flag")
    assert out["error_code"].tolist() == [
        "percent.out-of-range",
        "percent.too-many-places",
        pd.NA,
        "percent.out-of-range",
    ]
    assert out.loc[2, "net_injury_pence"] == 0  # 1 is 100%
    assert "fraction is outside 0 to 0.2" in out.loc[3, "error_message"]
    objects = claims.assign(claimant_liability_percent=[Decimal("0.5"), "0.25", 1, 0.1])
    out = value_claims(objects.iloc[:3], percent_scale="fraction")
    assert out["net_injury_pence"].tolist() == [12000, 18000, 0]


# --- issue 26: summaries and pounds --------------------------------------------------------


def test_summarise_by_a_series_on_the_frames_index():
    """summarise(by=<Series>) groups by a segment computed outside the frame, on the frame's
    own index; a Series on another index is refused rather than misaligned."""
    valued = value_claims(_hand_portfolio(), passthrough=["policy"])
    segment = pd.Series(["x", "y", "x", "y", "x"], index=valued.index, name="segment")
    by_segment = summarise(valued, by=segment)
    assert by_segment.index.name == "segment"
    assert by_segment["claims"].tolist() == [3, 2]
    assert by_segment["total_pence"].tolist() == [24000 + 510000 + 56500, 69500 + 1083000]
    mixed = summarise(valued, by=["policy", segment])
    assert mixed.index.names == ["policy", "segment"]
    assert mixed["claims"].sum() == 5
    unnamed = summarise(valued, by=pd.Series([1, 1, 1, 1, 2], index=valued.index))
    assert unnamed.index.name == "by_0"
    with pytest.raises(RulesError, match="own index"):
        summarise(valued, by=segment.reset_index(drop=True))


def test_summarise_counts_refused_rows_without_totalling_them():
    """A refused row is counted (claims, refused) but has no figure to total."""
    claims = _hand_portfolio().assign(duration_months=[3, 12, 3, 30, 6])
    out = value_claims(claims, passthrough=["policy"], errors="flag")
    summary = summarise(out, by="policy")
    assert summary["claims"].tolist() == [3, 2]
    assert summary["refused"].tolist() == [0, 1]
    assert summary["total_pence"].tolist() == [24000 + 510000 + 56500, 69500]
    assert summary["over_limits"].tolist() == [1, 0]
    assert summary["share_over_limits"].tolist() == [1 / 3, 0.0]
    by_status = summarise(out, by="status")
    assert by_status["claims"].tolist() == [4, 1]
    assert np.isnan(by_status["share_over_limits"].tolist()[1])


@given(st.lists(st.integers(0, MAX_PENCE), max_size=30))
def test_pounds_of_a_series_are_the_exact_decimals_renamed(values):
    """pounds() of a Series gives exact two-place decimals equal to Decimal(p) / 100,
    renamed ..._pounds; of a frame, every ..._pence column is converted and renamed."""
    series = pd.Series(values, dtype=np.int64, name="total_pence")
    out = pounds(series)
    assert out.name == "total_pounds"
    assert out.tolist() == [Decimal(p).scaleb(-2) for p in values]
    assert [str(d) for d in out.tolist()] == [f"{p // 100}.{p % 100:02d}" for p in values]
    frame = pounds(pd.DataFrame({"claim": range(len(values)), "total_pence": series}))
    assert frame.columns.tolist() == ["claim", "total_pounds"]
    assert frame["total_pounds"].tolist() == out.tolist()


def test_pounds_keeps_a_refused_rows_gap_and_names_other_series_pounds():
    """A flagged result's missing figure stays missing; an unnamed Series is "pounds"."""
    flagged = pd.Series([5, None, 250], dtype="Int64", name="tariff_pence")
    assert pounds(flagged).tolist()[::2] == [Decimal("0.05"), Decimal("2.50")]
    assert pd.isna(pounds(flagged).tolist()[1])
    assert pounds(pd.Series([1])).name == "pounds"
    with pytest.raises(RulesError, match="negative"):
        pounds(pd.Series([-1]))


# --- issue 26: Dask that scales -------------------------------------------------------------


def _random_portfolio(rows: int, seed: int) -> pd.DataFrame:
    """A random portfolio in the column contract (the benchmark's generator)."""
    rng = np.random.default_rng(seed)
    first = np.datetime64("2021-05-31", "D").astype(np.int64)
    pick = rng.random(rows)
    return pd.DataFrame(
        {
            "accident_date": (first + rng.integers(0, 8 * 365, rows)).astype("datetime64[D]"),
            "duration_months": rng.integers(1, 25, rows),
            "psychological": pick < 0.3,
            "uplift_percent": np.where(pick > 0.95, rng.integers(0, 2001, rows) / 100, 0.0),
            "non_tariff_pence": np.where(pick < 0.2, rng.integers(0, 300_000, rows), 0),
            "injury_related_pence": rng.integers(0, 400_000, rows),
            "property_pence": rng.integers(0, 300_000, rows),
            "claimant_liability_percent": np.where(
                pick < 0.25, rng.integers(0, 10001, rows) / 100, 0.0
            ),
            "seatbelt_percent": np.where(pick > 0.9, rng.choice([15.0, 25.0], rows), 0.0),
            "cru_injury_related_pence": np.where(pick < 0.1, rng.integers(0, 50_000, rows), 0),
            "interim_property_pence": np.where(pick > 0.8, rng.integers(0, 30_000, rows), 0),
            "policy": rng.choice(["A", "B", "C"], rows),
        },
        index=pd.RangeIndex(rows, name="claim"),
    )


def _write_dataset(frame: pd.DataFrame, path, parts: int) -> str:
    """Write ``frame`` as a parquet dataset of ``parts`` files (the index kept), with pandas."""
    path.mkdir()
    for number, chunk in enumerate(np.array_split(np.arange(len(frame)), parts)):
        frame.iloc[chunk].to_parquet(path / f"part.{number}.parquet", index=True)
    return str(path)


@settings(max_examples=10)  # each example builds and runs a Dask graph
@given(st.lists(claim_rows, min_size=4, max_size=12), st.data())
def test_flag_on_dask_reports_the_bad_rows_of_every_partition(rows, data):
    """errors="flag" through value_claims_dask and summarise on Dask: the same frame and
    summary as pandas, the bad rows of every partition listed (not only the first's)."""
    import dask
    import dask.dataframe as dd

    frame = _frame(rows)
    positions = data.draw(st.sets(st.integers(0, len(rows) - 1), min_size=2))
    corrupted = _corrupt(frame, dict.fromkeys(positions, "duration_long"))
    expected = value_claims(corrupted, errors="flag", percent_scale="percent")
    claims = dd.from_pandas(corrupted, npartitions=3, sort=False)
    lazy = batch.value_claims_dask(claims, errors="flag", percent_scale="percent")
    with dask.config.set(scheduler="synchronous"):
        got = lazy.compute()
        summary = summarise(lazy, by=["status"])
    # Dask's own "dataframe.convert-string" setting (on by default in older releases) may
    # turn the message columns into pyarrow strings: the same text, another string dtype.
    for name in batch.STATUS_COLUMNS[1:]:
        got[name] = got[name].astype(expected[name].dtype)
    pd.testing.assert_frame_equal(got, expected, check_index_type=False)
    assert sorted(got.index[got["status"] == "refused"]) == sorted(frame.index[list(positions)])
    pd.testing.assert_frame_equal(summary, summarise(expected, by=["status"]))


def _assert_written(path, expected: pd.DataFrame) -> None:
    """The parquet dataset at ``path`` holds ``expected`` (string columns compared by value)."""
    written = pd.read_parquet(path).sort_index()
    assert written["policy"].tolist() == expected["policy"].tolist()
    pd.testing.assert_frame_equal(
        written.drop(columns=["policy"]), expected.drop(columns=["policy"]), check_categorical=False
    )


def test_run_portfolio_names_every_partitions_bad_rows_and_writes_parquet(tmp_path):
    """run_portfolio reads, values, writes and summarises each partition once; with
    errors="raise" one error names the bad rows of every partition (CLA 2018 s.3)."""
    import dask

    frame = _random_portfolio(2_000, seed=3)
    frame.loc[[10, 1_010, 1_999], "duration_months"] = 0
    _write_dataset(frame, tmp_path / "in", 4)
    with dask.config.set(scheduler="synchronous"):
        with pytest.raises(RulesError, match="3 bad rows in the portfolio") as info:
            batch.run_portfolio(str(tmp_path / "in"), passthrough=["policy"])
        assert sorted(info.value.value) == [10, 1_010, 1_999]
        assert info.value.field == "duration_months"
        assert info.value.code is ErrorCode.NUMBER_OUT_OF_RANGE
        run = batch.run_portfolio(
            str(tmp_path / "in"),
            output=str(tmp_path / "out"),
            by=["policy"],
            errors="flag",
            passthrough=["policy"],
            progress=False,
        )
    expected = value_claims(frame, errors="flag", passthrough=["policy"])
    assert (run.claims, run.partitions) == (2_000, 4)
    assert sorted(run.refused.index) == [10, 1_010, 1_999]
    # parquet gives the string column back as pandas' "string" dtype: equal values.
    pd.testing.assert_frame_equal(
        run.summary, summarise(expected, by=["policy"]), check_index_type=False
    )
    _assert_written(tmp_path / "out", expected)
    with pytest.raises(RulesTypeError, match="run_portfolio's own argument"):
        batch.run_portfolio(str(tmp_path / "in"), meta=None)


def test_run_portfolio_on_a_local_cluster_equals_one_process(tmp_path):
    """A random 100,000-claim portfolio on a LocalCluster of two worker processes (built
    by local_cluster, with DASK_WORKER_ENV in each worker): the summary and every figure
    written equal value_claims in this process; and dask.config's scheduler, where set,
    is followed rather than the open Client (as dask.compute does). The scheduler's HTTP
    routes are on a free port (no clash on Dask's default 8787)."""
    import os
    import socket
    import warnings

    import dask
    from dask.distributed import Client, get_task_stream

    frame = _random_portfolio(100_000, seed=26)
    _write_dataset(frame, tmp_path / "in", 5)
    expected = value_claims(frame, passthrough=["policy"], errors="flag")
    with socket.socket() as holder, warnings.catch_warnings(record=True) as caught:
        try:  # 8787 taken (by this test, or already by another program)
            holder.bind(("127.0.0.1", 8787))
            holder.listen()
        except OSError:
            pass
        warnings.simplefilter("always")
        cluster = batch.local_cluster(2, silence_logs=40)
        # No dashboard asked for: the scheduler's HTTP routes on a free port, quietly.
        assert not [w for w in caught if "8787" in str(w.message)]
    assert cluster.scheduler.http_server.port not in {0, 8787}
    with cluster, Client(cluster) as client:
        environments = client.run(lambda: os.environ.get("MALLOC_MMAP_THRESHOLD_"))
        assert list(environments.values()) == [batch.DASK_WORKER_ENV["MALLOC_MMAP_THRESHOLD_"]] * 2
        run = batch.run_portfolio(
            str(tmp_path / "in"),
            output=str(tmp_path / "out"),
            by=["tariff_table", "policy"],
            passthrough=["policy"],
            progress=False,
        )
        lazy = batch.value_claims_dask(str(tmp_path / "in"), passthrough=["policy"])
        summary = summarise(lazy, by="tariff_table")
        # Dask's order: a scheduler set in dask.config wins over the open Client, so the
        # same job can run in this process beside a cluster (bench_dask.py's one process).
        with get_task_stream(client) as here, dask.config.set(scheduler="synchronous"):
            local = batch.run_portfolio(str(tmp_path / "in"), passthrough=["policy"], by="policy")
        with get_task_stream(client) as there:
            remote = batch.run_portfolio(str(tmp_path / "in"), passthrough=["policy"], by="policy")
    assert (len(here.data), len(there.data)) == (0, 5)  # no task reached the workers, then 5
    pd.testing.assert_frame_equal(local.summary, remote.summary)
    assert (run.claims, len(run.refused)) == (100_000, 0)
    # parquet gives the string column back as pandas' "string" dtype: equal values.
    pd.testing.assert_frame_equal(
        run.summary.reset_index().astype({"policy": object}),
        summarise(expected, by=["tariff_table", "policy"]).reset_index().astype({"policy": object}),
    )
    pd.testing.assert_frame_equal(summary, summarise(expected, by="tariff_table"))
    _assert_written(tmp_path / "out", expected)


def test_dask_worker_config_sets_the_environment_before_the_worker_starts():
    """The worker setting goes through the nanny's pre-spawn environment (glibc reads it
    as the process starts), and value_claims_dask's meta carries passthrough dtypes."""
    import dask.dataframe as dd

    assert batch.dask_worker_config() == {
        "distributed.nanny.pre-spawn-environ.MALLOC_MMAP_THRESHOLD_": "33554432"
    }
    claims = dd.from_pandas(_random_portfolio(10, seed=1), npartitions=2, sort=False)
    lazy = batch.value_claims_dask(claims, passthrough=["policy"])
    assert list(lazy.columns) == [*VALUE_COLUMNS, "policy"]
    assert lazy.dtypes.iloc[:-1].equals(value_claims_meta().dtypes)


# Mutation survivors: batch.dask


def _claims(durations, *, index=None, dates=None) -> pd.DataFrame:
    """A small portfolio in the column contract: one duration per claim (0 is refused by
    CLA 2018 s.3), accidents on 3 June 2024 (Table 2) unless ``dates`` are given."""
    dates = dates or ["2024-06-03"] * len(durations)
    return pd.DataFrame(
        {
            "accident_date": pd.to_datetime(dates),
            "duration_months": durations,
            "policy": ["A", "B"] * (len(durations) // 2) + ["A"] * (len(durations) % 2),
        },
        index=index,
    )


def _files(frame: pd.DataFrame, path, parts: int) -> list:
    """Write ``frame`` as ``parts`` parquet files in the new directory ``path``."""
    path.mkdir()
    files = []
    for number, chunk in enumerate(np.array_split(np.arange(len(frame)), parts)):
        files.append(path / f"part.{number}.parquet")
        frame.iloc[chunk].to_parquet(files[-1])
    return files


def test_the_cluster_helper_asks_for_one_thread_worker_processes_and_a_quiet_scheduler(
    monkeypatch,
):
    """local_cluster (docs/batch.md, "Beyond one machine"): one thread per worker process,
    no dashboard, the scheduler's HTTP routes on a free port (":0", not 8787), n_workers
    passed on, DASK_WORKER_ENV in the nanny's pre-spawn environment while the cluster is
    built; the caller's own keywords win, and a caller's dashboard_address or
    scheduler_kwargs leaves the scheduler's settings to the caller."""
    import dask
    import distributed

    built = []

    class RecordingCluster:
        """Stands in for distributed.LocalCluster: records its arguments and the worker
        environment dask.config holds while it is built (no process is started)."""

        def __init__(self, **kwargs):
            environ = dask.config.get("distributed.nanny.pre-spawn-environ", {})
            built.append((kwargs, environ.get("MALLOC_MMAP_THRESHOLD_")))

    monkeypatch.setattr(distributed, "LocalCluster", RecordingCluster)
    quiet = {"dashboard": False, "dashboard_address": ":0"}
    base = {"threads_per_worker": 1, "processes": True, "dashboard_address": None}
    assert isinstance(batch.local_cluster(), RecordingCluster)
    batch.local_cluster(3, silence_logs=40)
    batch.local_cluster(dashboard_address=":8788")
    batch.local_cluster(scheduler_kwargs={"port": 0})
    batch.local_cluster(2, processes=False, threads_per_worker=4)
    env = batch.DASK_WORKER_ENV["MALLOC_MMAP_THRESHOLD_"]
    assert built == [
        ({"n_workers": None, **base, "scheduler_kwargs": quiet}, env),
        ({"n_workers": 3, **base, "silence_logs": 40, "scheduler_kwargs": quiet}, env),
        ({"n_workers": None, **base, "dashboard_address": ":8788"}, env),
        ({"n_workers": None, **base, "scheduler_kwargs": {"port": 0}}, env),
        (
            {
                "n_workers": 2,
                "threads_per_worker": 4,
                "processes": False,
                "dashboard_address": None,
                "scheduler_kwargs": quiet,
            },
            env,
        ),
    ]
    # The setting is for the cluster being built, not left in the caller's dask.config.
    environ = dask.config.get("distributed.nanny.pre-spawn-environ", {})
    assert "MALLOC_MMAP_THRESHOLD_" not in environ


def test_run_portfolio_reads_a_dataset_given_as_paths_urls_or_a_list(tmp_path):
    """A parquet dataset (docs/batch.md): a file, a directory of *.parquet files (other
    files ignored, sorted by name, any directory name), an fsspec URL of either, or a list
    of them: one partition per file, every claim valued as value_claims values it."""
    import dask

    frame = _claims([3, 6, 9, 12, 15, 18, 21, 24], index=pd.RangeIndex(8, name="claim"))
    marked = _files(frame.iloc[:4], tmp_path / "claimsX", 2)  # a name rstrip("XX/XX") cuts
    spaced = _files(frame.iloc[4:], tmp_path / "claims ", 2)  # a name rstrip() would cut
    (tmp_path / "claimsX" / "notes.txt").write_text("not a partition")
    sources = {
        "a local file": ([str(marked[0])], [0, 1]),
        "a local directory": ([str(tmp_path / "claimsX")], [0, 1, 2, 3]),
        "a file URL": (["file://" + str(spaced[1])], [6, 7]),
        "a directory URL": (["file://" + str(tmp_path / "claimsX")], [0, 1, 2, 3]),
        "another directory URL": (["file://" + str(tmp_path / "claims ") + "/"], [4, 5, 6, 7]),
        "a list": ([str(marked[1]), "file://" + str(tmp_path / "claims ")], [2, 3, 4, 5, 6, 7]),
    }
    with dask.config.set(scheduler="synchronous"):
        for name, (source, rows) in sources.items():
            for given in source if len(source) == 1 else [source]:
                run = batch.run_portfolio(given, by="policy", passthrough=["policy"])
                valued = value_claims(frame.loc[rows], passthrough=["policy"])
                expected = summarise(valued, by="policy")
                assert (run.claims, run.partitions) == (len(rows), len(rows) // 2), name
                pd.testing.assert_frame_equal(run.summary, expected, check_index_type=False)
                lazy = batch.value_claims_dask(given, passthrough=["policy"])
                assert lazy.npartitions == len(rows) // 2, name
                assert lazy.compute().index.tolist() == rows, name


def test_a_source_that_is_no_parquet_dataset_is_refused(tmp_path):
    """A claims source that is neither a Dask DataFrame nor a path, URL or list is a
    RulesTypeError; a directory (or list) without a *.parquet file a RulesError; each
    names the value, the field "claims" and the column contract."""
    from rtaprotocol.batch.columns import CONTRACT_REFERENCE

    expected = "expected a Dask DataFrame, or the path of a parquet file or directory (or a list)"
    for call in (batch.run_portfolio, batch.value_claims_dask):
        with pytest.raises(RulesTypeError) as info:
            call(42)
        assert (info.value.message, info.value.value) == (expected, 42)
        assert (info.value.field, info.value.reference) == ("claims", CONTRACT_REFERENCE)
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "claims.csv").write_text("accident_date,duration_months\n")
    for source in (str(tmp_path / "empty"), [], ["file://" + str(tmp_path / "empty")]):
        with pytest.raises(RulesError) as info:
            batch.run_portfolio(source)
        assert type(info.value) is RulesError
        assert (info.value.message, info.value.value) == ("no parquet files found", source)
        assert (info.value.field, info.value.reference) == ("claims", CONTRACT_REFERENCE)
        assert info.value.code is ErrorCode.VALUE_INVALID


def test_run_portfolio_refuses_its_own_arguments_given_as_value_claims_options(tmp_path):
    """meta= is run_portfolio's concern, not value_claims': refused, naming it as value
    and field; errors= must be "raise" or "flag" (field "errors")."""
    frame = _claims([3, 6])
    _files(frame, tmp_path / "in", 1)
    with pytest.raises(RulesTypeError, match="meta= is run_portfolio's own argument") as info:
        batch.run_portfolio(str(tmp_path / "in"), meta=None)
    assert (info.value.value, info.value.field) == ("meta", "meta")
    with pytest.raises(RulesError, match="errors must be one of 'raise', 'flag'") as info:
        batch.run_portfolio(str(tmp_path / "in"), errors="ignore")
    assert (info.value.value, info.value.field) == ("ignore", "errors")


def test_run_portfolio_by_one_key_and_where_it_writes(tmp_path, monkeypatch):
    """by="policy" is one key (as summarise's); output is reported without a trailing
    "/", may already exist (a rerun writes the same files), and a URL output is written
    through fsspec without a local directory of that name being made."""
    import dask

    monkeypatch.chdir(tmp_path)
    frame = _claims([3, 6, 9, 12])
    _files(frame, tmp_path / "in", 2)
    expected = value_claims(frame, errors="flag", passthrough=["policy"])
    (tmp_path / "remote").mkdir()
    with dask.config.set(scheduler="synchronous"):
        for by in ("policy", ["policy"]):
            run = batch.run_portfolio("in", by=by, passthrough=["policy"])
            pd.testing.assert_frame_equal(
                run.summary, summarise(expected, by="policy"), check_index_type=False
            )
        for _ in range(2):  # the second run finds its output directory already there
            run = batch.run_portfolio("in", output="valuedX/", passthrough=["policy"])
            assert run.output == "valuedX"
        _assert_written(tmp_path / "valuedX", expected)
        url = "file://" + str(tmp_path / "remote")
        run = batch.run_portfolio("in", output=url + "/", passthrough=["policy"])
    assert run.output == url
    assert sorted(p.name for p in (tmp_path / "remote").iterdir()) == [
        "part.00000.parquet",
        "part.00001.parquet",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "remote", "valuedX"]


def test_written_partitions_dictionary_encode_the_label_columns_only(tmp_path):
    """Each part.NNNNN.parquet dictionary-encodes its label columns (categories, strings,
    object columns passed through) and not its money columns (docs/batch.md)."""
    import dask
    import dask.dataframe as dd
    import pyarrow.parquet as pq

    frame = _claims([3, 0, 6, 9])
    frame["branch"] = pd.Series(["north", "south", "north", "west"], dtype=object)
    with dask.config.set({"dataframe.convert-string": False, "scheduler": "synchronous"}):
        claims = dd.from_pandas(frame, npartitions=2, sort=False)
        assert str(claims.dtypes["branch"]) == "object"
        batch.run_portfolio(
            claims, output=str(tmp_path / "out"), passthrough=["policy", "branch"], errors="flag"
        )
    written = pd.read_parquet(tmp_path / "out" / "part.00000.parquet")
    assert written["branch"].tolist() == ["north", "south"]
    meta = pq.ParquetFile(tmp_path / "out" / "part.00000.parquet").metadata.row_group(0)
    dictionary = {
        meta.column(i).path_in_schema: "RLE_DICTIONARY" in meta.column(i).encodings
        for i in range(meta.num_columns)
    }
    labels = ["tariff_table", "status", "error_code", "error_message", "policy", "branch"]
    assert {name: dictionary[name] for name in labels} == dict.fromkeys(labels, True)
    money = [name for name in dictionary if name.endswith("_pence")]
    assert money
    assert {name: dictionary[name] for name in money} == dict.fromkeys(money, False)


@pytest.mark.parametrize(
    ("partitions", "progress", "shown"),
    [(8, None, True), (7, None, False), (8, False, False), (2, True, True), (2, None, False)],
)
def test_the_progress_bar_shows_from_eight_partitions_or_when_asked(
    partitions, progress, shown, capsys
):
    """progress=None shows Dask's ProgressBar from 8 partitions on; True always, False
    never (docs/batch.md); the run's figures are the same either way."""
    import dask
    import dask.dataframe as dd

    frame = _claims([3, 6, 9, 12, 15, 18, 21, 24])
    # Exactly ``partitions`` pieces on every Dask the package allows (from_pandas's
    # npartitions is a target: Dask 2024.1 makes 4 of 8 rows asked for 7).
    bounds = np.linspace(0, len(frame), partitions + 1).astype(int)
    pieces = [frame.iloc[a:b] for a, b in pairwise(bounds)]
    claims = dd.from_delayed([dask.delayed(p) for p in pieces], meta=frame.iloc[:0])
    assert claims.npartitions == partitions
    with dask.config.set(scheduler="synchronous"):
        run = batch.run_portfolio(claims, by="policy", progress=progress, passthrough=["policy"])
    assert run.partitions == partitions
    expected = summarise(value_claims(frame, passthrough=["policy"]), by="policy")
    pd.testing.assert_frame_equal(run.summary, expected, check_index_type=False)
    assert ("100% Completed" in capsys.readouterr().out) is shown


class _RecordingClient:
    """Stands in for a dask.distributed Client (its type's name holds "Client", as Dask
    checks): computes in this process and counts the jobs it was given."""

    def __init__(self):
        self.jobs = 0

    def compute(self, tasks):
        self.jobs += 1
        return [("future", task) for task in tasks]

    def gather(self, futures):
        import dask

        return [dask.compute(task, scheduler="synchronous")[0] for _, task in futures]


@pytest.mark.parametrize(
    ("scheduler", "on_client"),
    [
        (None, True),  # no scheduler set: the default client, as dask.compute
        ("distributed", True),
        ("dask.distributed", True),
        ("synchronous", False),  # a scheduler set in dask.config wins over the client
        ("threads", False),
        ("client", True),  # a Client set as dask.config's scheduler
        ("no client", False),  # no scheduler set and no client: Dask's default scheduler
    ],
)
def test_run_portfolio_runs_where_dask_config_and_the_default_client_say(
    scheduler, on_client, monkeypatch
):
    """Dask's order (docs/batch.md): a scheduler named in dask.config first, then the
    default dask.distributed client, then Dask's default scheduler; on a client the
    progress bar is distributed.progress of the job's futures."""
    import dask
    import dask.dataframe as dd
    import distributed

    default, configured, shown = _RecordingClient(), _RecordingClient(), []
    if scheduler != "no client":
        monkeypatch.setattr(distributed, "default_client", lambda: default)
    monkeypatch.setattr(distributed, "progress", shown.append)
    claims = dd.from_pandas(_claims([3, 0, 6, 9]), npartitions=2, sort=False)
    setting = {"scheduler": configured if scheduler == "client" else scheduler}
    with dask.config.set(setting if scheduler not in (None, "no client") else {}):
        assert dask.config.get("scheduler", None) in (None, setting["scheduler"])
        run = batch.run_portfolio(claims, errors="flag", progress=True, extra="ignore")
    used = configured if scheduler == "client" else default
    assert (used.jobs, default.jobs + configured.jobs) == ((1, 1) if on_client else (0, 0))
    # on a client, the progress bar follows the futures of the job (one per partition)
    assert [[kind for kind, _ in futures] for futures in shown] == (
        [["future", "future"]] if on_client else []
    )
    assert (run.claims, run.partitions, run.refused.index.tolist()) == (4, 2, [1])


def _warn_then_pass(frame: pd.DataFrame) -> pd.DataFrame:
    """A partition step of the caller's own graph that warns (and, as Dask 2024.1 did on
    a single-machine scheduler beside an open Client, says so)."""
    warnings.warn("the caller's own note", UserWarning, stacklevel=1)
    warnings.warn(
        "Running on a single-machine scheduler when a distributed client is active might "
        "lead to unexpected results.",
        UserWarning,
        stacklevel=1,
    )
    return frame


def test_only_dasks_single_machine_scheduler_warning_is_silenced():
    """A scheduler chosen in dask.config beside an open Client is honoured, so Dask
    2024.1's warning about that choice is not shown; any other warning of the job (here
    one from the caller's own graph) still reaches the caller."""
    import dask
    import dask.dataframe as dd

    frame = _claims([3, 6, 9, 12])
    claims = dd.from_pandas(frame, npartitions=2, sort=False)
    claims = claims.map_partitions(_warn_then_pass, meta=claims._meta)
    with warnings.catch_warnings(record=True) as caught, dask.config.set(scheduler="synchronous"):
        warnings.simplefilter("always")
        run = batch.run_portfolio(claims, extra="ignore")
    messages = [str(w.message) for w in caught if issubclass(w.category, UserWarning)]
    assert messages.count("the caller's own note") == 2
    assert not [m for m in messages if m.startswith("Running on a single-machine")]
    assert run.claims == 4


def _refusal(frame: pd.DataFrame, partitions: int) -> RulesError:
    """The error run_portfolio(errors="raise") gives for ``frame`` on Dask."""
    import dask
    import dask.dataframe as dd

    claims = dd.from_pandas(frame, npartitions=partitions, sort=False)
    with dask.config.set(scheduler="synchronous"), pytest.raises(RulesError) as info:
        batch.run_portfolio(claims, extra="ignore")
    return info.value


def test_one_bad_row_in_a_portfolio_is_named_in_the_singular():
    """One refused row: "1 bad row", its label, its one problem counted once, its
    message as err.value's entry, its column as the field (CLA 2018 s.3)."""
    frame = _claims([3, 0, 6, 9], index=["a", "b", "c", "d"])
    err = _refusal(frame, 2)
    expected = value_claims(frame, errors="flag", extra="ignore").loc["b", "error_message"]
    assert err.message == (
        "1 bad row in the portfolio (by index: 'b'); the problems: number.out-of-range (1)"
    )
    assert err.value == {"b": expected}
    assert (err.field, err.code) == ("duration_months", ErrorCode.NUMBER_OUT_OF_RANGE)
    assert err.reference == batch.dask.RUN_REFERENCE


@pytest.mark.parametrize("bad", [20, 21, 23])
def test_a_portfolio_error_names_twenty_rows_then_counts_the_rest(bad):
    """The message spells out the first 20 bad rows and counts the rest ("and N more");
    err.value holds every one, and each problem is counted (CLA 2018 s.3)."""
    frame = _claims([0] * bad + [3, 6])
    err = _refusal(frame, 3)
    named = ", ".join(str(i) for i in range(20))
    more = f" and {bad - 20} more (all in err.value)" if bad > 20 else ""
    assert err.message == (
        f"{bad} bad rows in the portfolio (by index: {named}{more}); "
        f"the problems: number.out-of-range ({bad})"
    )
    assert sorted(err.value) == list(range(bad))


def test_a_portfolio_error_lists_a_repeated_labels_problems_and_every_column():
    """A label refused in two rows (two partitions) maps to both messages, a label
    refused once to its message; the field names each bad column once, in order of
    first appearance, and two kinds of problem give the code input.invalid."""
    frame = _claims(
        [0, 3, 6, 30, 9, 0],
        index=[5, 1, 2, 5, 7, 8],
        dates=["2024-06-03"] * 4 + ["2021-05-30", "2024-06-03"],
    )
    err = _refusal(frame, 2)
    flagged = value_claims(frame, errors="flag", extra="ignore")
    messages = flagged["error_message"]
    assert err.value == {
        5: [messages.iloc[0], messages.iloc[3]],
        7: messages.iloc[4],
        8: messages.iloc[5],
    }
    assert messages.iloc[0] != messages.iloc[3]
    columns = flagged["error_column"].dropna().tolist()
    assert err.field == ", ".join(dict.fromkeys(columns))
    assert err.field == "duration_months, accident_date"
    assert err.code is ErrorCode.INPUT_INVALID
    codes = flagged["error_code"].dropna().tolist()
    counted = ", ".join(f"{c} ({codes.count(c)})" for c in dict.fromkeys(codes))
    assert (
        err.message == f"4 bad rows in the portfolio (by index: 5, 7, 8); the problems: {counted}"
    )


def test_a_dask_collection_of_no_partitions_is_an_empty_run():
    """No partition, nothing valued: zero claims and partitions, no refused row (so
    errors="raise" raises nothing), and ``refused`` still in value_claims_meta's flagged
    shape. (A Dask DataFrame always has a partition; a Dask collection built from no
    parts has none.)"""
    import dask
    import dask.bag as db

    with dask.config.set(scheduler="synchronous"):
        for errors in ("raise", "flag"):
            run = batch.run_portfolio(db.from_delayed([]), errors=errors)
            assert (run.claims, run.partitions, run.output) == (0, 0, None)
            pd.testing.assert_frame_equal(run.refused, value_claims_meta(errors="flag"))


@pytest.mark.parametrize("name", ["ERRORS", "Errors", "error", "XXerrorsXX"])
def test_an_option_value_claims_does_not_take_is_refused_by_value_claims(name, tmp_path):
    """Only errors= and meta= are run_portfolio's own arguments: any other unknown option
    (even one spelt like errors) goes to value_claims, whose signature refuses it by
    name, never as "run_portfolio's own argument"."""
    import dask

    _files(_claims([3, 6]), tmp_path / "in", 1)
    with dask.config.set(scheduler="synchronous"), pytest.raises(TypeError) as info:
        batch.run_portfolio(str(tmp_path / "in"), extra="ignore", **{name: "flag"})
    assert type(info.value) is TypeError
    assert f"unexpected keyword argument '{name}'" in str(info.value)


# Mutation survivors: batch.whatif and batch.dates ----------------------------------------

# The first business day the calendar holds (1 and 2 January 2000 are a weekend, Monday
# 3 January the New Year substitute holiday) and the last (Friday 31 December 2100).
_FIRST_BUSINESS_DAY = date(2000, 1, 4)
_LAST_BUSINESS_DAY = date(2100, 12, 31)


def _edge_cases() -> list[tuple[date, int]]:
    """(date, n) pairs whose answer is the first or last business day the calendar holds,
    or needs the weekend rule (guide 6.3.1), each the scalar path answers."""
    from rtaprotocol.deadlines import business_days_between

    whole = business_days_between(_FIRST_BUSINESS_DAY, _LAST_BUSINESS_DAY)
    return [
        (date(2000, 1, 1), 1),  # Saturday: one on is Tue 4 Jan, the first business day
        (date(2000, 1, 5), -1),  # one back is the first business day
        (date(2100, 12, 30), 1),  # one on is the last business day
        (_LAST_BUSINESS_DAY, -whole),  # the one date from which this count stays in range
        (date(2000, 1, 1), whole + 1),  # and the other way: the first date to the last
        (date(2023, 5, 6), 1),  # Saturday; Monday 8 May 2023 the coronation holiday
        (date(2023, 5, 6), -1),  # Saturday back to the Friday
        (date(2023, 5, 7), 2),  # Sunday
        (FIRST_SUPPORTED_DATE, 0),
        (LAST_SUPPORTED_DATE, 0),
    ]


@pytest.mark.parametrize("per_row", [False, True], ids=["one n", "n per row"])
@pytest.mark.parametrize("case", _edge_cases(), ids=str)
def test_calendar_edges_equal_the_scalar_answer(case, per_row):
    """At the first and last business day of the calendar's coverage, and from a weekend,
    the batch answer is the scalar add_business_days's for one n and for an n per row
    (guide 6.3.1: the event day never counts; n < 0 counts back; n == 0 is the day)."""
    day, n = case
    count = np.array([n], dtype=np.int64) if per_row else n
    got = add_business_days_many(_days([day]), count)
    assert got.dtype == np.dtype("datetime64[D]")
    assert _as_dates(got) == [add_business_days(day, n)]


def test_calendar_edges_equal_the_scalar_answer_in_one_call():
    """Many rows at once: each row's own count at the calendar's edges gives the scalar
    answer, and one count for every row gives it too where every row stays in range."""
    cases = _edge_cases()
    days = _days([d for d, _ in cases])
    got = add_business_days_many(days, np.array([n for _, n in cases]))
    assert _as_dates(got) == [add_business_days(d, n) for d, n in cases]
    near_ends = [date(2000, 1, 1), date(2000, 1, 2), date(2000, 1, 3), date(2100, 12, 30)]
    assert _as_dates(add_business_days_many(_days(near_ends), 1)) == [
        _FIRST_BUSINESS_DAY,
        _FIRST_BUSINESS_DAY,
        _FIRST_BUSINESS_DAY,
        _LAST_BUSINESS_DAY,
    ]
    later = [date(2000, 1, 5), date(2000, 1, 6), date(2100, 12, 31)]
    assert _as_dates(add_business_days_many(_days(later), -1)) == [
        _FIRST_BUSINESS_DAY,
        date(2000, 1, 5),
        date(2100, 12, 30),
    ]


def test_an_n_series_alone_names_the_rows_and_a_different_index_is_refused():
    """When only n is a pandas Series, the answer is a Series on n's index named "date";
    an unnamed date Series gives a Series named "date"; a dates Series and an n Series on
    different indexes are refused, never aligned silently (rtaprotocol batch rows)."""
    days = _days([date(2023, 5, 5), date(2023, 5, 6)])
    got = add_business_days_many(days, pd.Series([1, -1], index=["a", "b"]))
    assert isinstance(got, pd.Series)
    assert got.name == "date"
    assert got.index.tolist() == ["a", "b"]
    assert [t.date() for t in got] == [date(2023, 5, 9), date(2023, 5, 5)]
    unnamed = add_business_days_many(pd.Series(days, index=[5, 6]), 1)
    assert unnamed.name == "date"
    assert unnamed.index.tolist() == [5, 6]
    with pytest.raises(RulesError, match="different indexes") as info:
        add_business_days_many(pd.Series(days, index=[0, 1]), pd.Series([1, 1], index=[1, 2]))
    assert info.value.field == "index"


def test_due_dates_count_on_the_calendar_given():
    """due_dates(..., calendar=) counts on that calendar, as due_date does: an extra
    holiday (Monday 3 June 2030) moves the due date one business day on (guide 6.3.1)."""
    events = [date(2030, 5, 31), date(2030, 6, 1)]
    for period in Period:
        got = due_dates(period, _days(events), calendar=EXTRA_HOLIDAY)
        assert _as_dates(got) == [due_date(period, d, calendar=EXTRA_HOLIDAY) for d in events]
        assert _as_dates(got) != [due_date(period, d) for d in events]
    named = due_dates(Period.OFFER, pd.Series(_days(events)), calendar=EXTRA_HOLIDAY)
    assert named.name == "due_date"
    assert [t.date() for t in named] == [
        due_date(Period.OFFER, d, calendar=EXTRA_HOLIDAY) for d in events
    ]


def _batch_dates_errors() -> dict[str, object]:
    day = _days([date(2023, 5, 2)])
    two = _days([date(2023, 5, 2), date(2023, 5, 3)])
    return {
        "n a float": lambda: add_business_days_many(day, 1.0),
        "n a bool": lambda: add_business_days_many(day, True),
        "n an array of floats": lambda: add_business_days_many(two, np.array([1.0, 2.0])),
        "n an array longer than the dates": lambda: add_business_days_many(
            two, np.array([1, 2, 3])
        ),
        "n a two-dimensional array": lambda: add_business_days_many(two, np.array([[1], [2]])),
        "n a Series on another index than the dates'": lambda: add_business_days_many(
            pd.Series(two, index=[0, 1]), pd.Series([1, 1], index=[1, 2])
        ),
        "dates a lone date": lambda: add_business_days_many(date(2023, 5, 2), 1),
        "dates two integers": lambda: add_business_days_many(np.array([20230502, 20230503]), 1),
        "dates with a string": lambda: add_business_days_many([date(2023, 5, 2), "2023-05-02"], 1),
        "dates with a gap": lambda: add_business_days_many(
            pd.Series(pd.to_datetime(["2023-05-02", None]), index=["a", "b"]), 1
        ),
        "dates at and outside both ends of the calendar": lambda: add_business_days_many(
            _days([FIRST_SUPPORTED_DATE, date(1999, 12, 31), LAST_SUPPORTED_DATE]), 0
        ),
        "dates at and past the last day": lambda: add_business_days_many(
            _days([LAST_SUPPORTED_DATE, date(2101, 1, 1)]), np.array([0, 0])
        ),
        "one n past the last day, for one row of two": lambda: add_business_days_many(
            _days([date(2100, 12, 30), LAST_SUPPORTED_DATE]), 1
        ),
        "one n before the first day, for one row of two": lambda: add_business_days_many(
            _days([date(2000, 1, 5), _FIRST_BUSINESS_DAY]), -1
        ),
        "one n beyond the whole calendar, from 2 January 2000": lambda: add_business_days_many(
            _days([date(2000, 1, 2)]), 10**6
        ),
        "n per row past the last day": lambda: add_business_days_many(
            _days([LAST_SUPPORTED_DATE]), np.array([1])
        ),
        "n per row before the first day": lambda: add_business_days_many(
            _days([date(2000, 1, 5), _FIRST_BUSINESS_DAY]), np.array([-1, -1])
        ),
        "n per row far beyond the whole calendar": lambda: add_business_days_many(
            _days([date(2000, 1, 5), date(2050, 6, 1)]), np.array([-100_000, 100_000])
        ),
        "due_dates of a slug, not a Period": lambda: due_dates("offer", day),
        "due_dates past the last day": lambda: due_dates(
            Period.OFFER, _days([LAST_SUPPORTED_DATE])
        ),
        "compare_tables of a list": lambda: compare_tables([1, 2], None, "2025"),
    }


def test_batch_dates_refusals_match_their_golden_file():
    """Every refusal of add_business_days_many, due_dates and compare_tables, word for
    word (type, field, reference, value, message, code): a count or a date outside the
    calendar's coverage raises naming each row and its value, never falls back (guide
    6.3.1; the calendar covers 2000-01-01 to 2100-12-31)."""
    import golden_errors

    golden_errors.check("batch-dates", _batch_dates_errors())


def test_compare_tables_views_and_rows_exactly():
    """A what-if comparison's rows, JSON, text and HTML, in full: Table 1 (the 2021
    scenario) against Table 2 +7.5% (reg 2 figures: 3 months £240 and 24 months £4,215
    under Table 1; £275 and £4,830 under Table 2, each +7.5% rounded half-up)."""
    from rtaprotocol.batch.whatif import COMPARE_REFERENCE

    claims = pd.DataFrame(
        {"accident_date": pd.to_datetime(["2024-06-03", "2025-06-03"]), "duration_months": [3, 24]},
        index=["x", "y"],
    )
    result = compare_tables(claims, "2021", _PLUS)
    base = "Table 1, what-if scenario tariff_table='2021'; not the law for every date"
    alternative = (
        "what-if table 'Table 2 +7.5%', derived from Table 2 (accidents on or after "
        "2025-05-31), every amount +7.5%, rounded to the penny half-up; not the law"
    )
    assert (result.base, result.alternative) == (base, alternative)
    figures = {"base": [24000, 421500], "alternative": [29563, 519225], "difference": [5563, 97725]}
    expected_rows = {
        f"{side}_{name}": figures[side]
        for name in ("tariff_pence", "injury_pence", "total_pence")
        for side in ("base", "alternative", "difference")
    }
    expected_rows["base_table"] = ["Table 1", "Table 1"]
    expected_rows["alternative_table"] = ["Table 2 +7.5%", "Table 2 +7.5%"]
    assert result.rows.to_dict("list") == expected_rows
    assert list(result.rows.columns) == list(expected_rows)
    assert result.rows.index.tolist() == ["x", "y"]
    assert result.rows.dtypes.iloc[:9].tolist() == [np.dtype(np.int64)] * 9
    assert [str(t) for t in result.rows.dtypes.iloc[9:]] == ["category", "category"]
    pence = {"base": 445500, "alternative": 548788, "difference": 103288}
    pounds = {"base": "4455.00", "alternative": "5487.88", "difference": "1032.88"}
    names = ("tariff", "injury", "total")
    sides = ("base", "alternative", "difference")
    assert result.to_dict() == {
        "what_if": True,
        "base": base,
        "alternative": alternative,
        "claims": 2,
        "totals_pence": {f"{s}_{n}_pence": pence[s] for n in names for s in sides},
        "totals_pounds": {f"{s}_{n}_pounds": pounds[s] for n in names for s in sides},
        "reference": COMPARE_REFERENCE,
    }
    assert json.loads(json.dumps(result.to_dict())) == result.to_dict()
    assert str(result) == (
        "What-if comparison of 2 claims under two tariff tables\n"
        "total  |      base | alternative | difference\n"
        "-------+-----------+-------------+-----------\n"
        "tariff | £4,455.00 |   £5,487.88 |  £1,032.88\n"
        "injury | £4,455.00 |   £5,487.88 |  £1,032.88\n"
        "total  | £4,455.00 |   £5,487.88 |  £1,032.88\n"
        f"base: {base}\n"
        f"alternative: {alternative}"
    )
    left, right = '<td style="text-align:left">', '<td style="text-align:right">'
    body = "".join(
        f"<tr>{left}{n}</td>{right}£4,455.00</td>{right}£5,487.88</td>{right}£1,032.88</td></tr>"
        for n in names
    )
    assert result._repr_html_() == (
        '<p role="status" style="background-color:rgba(31,78,140,0.16);'
        "color:var(--jp-content-font-color1, var(--vscode-editor-foreground, inherit));"
        "border-left:6px solid rgb(31,78,140);padding:6px 10px;margin:4px 0 8px 0;"
        'font-size:1.1em"><strong>What-if comparison of 2 claims under two tariff tables'
        "</strong></p><table><thead><tr>"
        '<th style="text-align:left">Total</th><th style="text-align:right">Base</th>'
        '<th style="text-align:right">Alternative</th>'
        '<th style="text-align:right">Difference</th>'
        f"</tr></thead><tbody>{body}</tbody></table>"
        "<p>base: Table 1, what-if scenario tariff_table=&#x27;2021&#x27;; not the law for "
        "every date<br>alternative: what-if table &#x27;Table 2 +7.5%&#x27;, derived from "
        "Table 2 (accidents on or after Sat 31 May 2025), every amount +7.5%, rounded to the "
        "penny half-up; not the law</p>"
    )
    by_law = compare_tables(claims, "2025", None)
    assert (
        by_law.base == "Table 2, what-if scenario tariff_table='2025'; not the law for every date"
    )
    assert by_law.alternative == "the law: each claim's table by its accident date"
    assert by_law.rows["alternative_table"].tolist() == ["Table 1", "Table 2"]


def test_due_dates_past_the_calendar_name_the_dates_argument():
    """Fixed in 0.3.3 (found by the batch.dates survivors' review): due_date names the argument the
    caller gave ("event_date") when a due date falls past 2100-12-31; due_dates must name
    its own ("dates", with the row's event date), never "n", an argument due_dates does
    not take (guide 6.3.1; the calendar covers 2000-01-01 to 2100-12-31)."""
    with pytest.raises(OutOfCoverageError) as info:
        due_dates(Period.OFFER, _days([date(2023, 5, 2), LAST_SUPPORTED_DATE]))
    assert info.value.field == "dates"
    assert info.value.value == {1: {"dates": LAST_SUPPORTED_DATE}}


# Mutation survivors: batch.money ---------------------------------------------------------

_MONEY_RULE = "amounts are pounds and pence, never negative (guide 4.4, 6.5.2)"
_ABOVE = "amount is above £100,000,000,000, the batch path's ceiling"
_NEGATIVE = "amount is negative"


def _scalar_money(value):
    """What the scalar door says of one amount: its pence, or (error class, code, message)."""
    try:
        return to_pence(to_money(value, field="amounts"))
    except RulesError as err:
        return (type(err), err.code, err.message)


def _batch_money(column):
    """What pence says of a one-row column: its pence, or (error class, code, message)."""
    try:
        got = pence(column)
    except RulesError as err:
        ((row,),) = [list(err.value)]
        # The row's own message, without the "N bad rows (by index: ...): field: " frame.
        reason = str(err).split(": amounts: ", 1)[1].rsplit(f" (row {row!r})", 1)[0]
        return (type(err), err.code, reason)
    assert got.dtype == np.int64
    return got.tolist()[0]


# Values below the batch ceiling (£100,000,000,000), where pence must agree with to_money.
_EDGE_FLOATS = [0.0, -0.0, 0.005, 0.01, 0.07, 1.15, 1390.5, 0.1 + 0.2, 1e10 + 0.01, -0.5, 1e-300]
_EDGE_INTS = [0, 1, 5, 10**11, -1, -(10**11)]
_EDGE_OBJECTS = [
    *_EDGE_FLOATS,
    *_EDGE_INTS,
    Decimal("0.01"),
    Decimal("1.000"),
    Decimal("1.005"),
    Decimal("-0"),
    Decimal("-1"),
    Decimal("1E+3"),
    Decimal("NaN"),
    Decimal("Infinity"),
    float("inf"),
    float("-inf"),
    "0.07",
    "100000000000",
    " 5",
    "5 ",
    "1e3",
    "-5",
    "+5",
    "1.005",
    "",
    "£5",
    True,
    np.float64(0.07),
    np.int64(7),
]


@pytest.mark.parametrize(
    ("make", "values"),
    [
        (lambda v: np.array([v], dtype=np.int64), _EDGE_INTS),
        (lambda v: np.array([v], dtype=np.float64), _EDGE_FLOATS),
        (lambda v: pd.Series([v], dtype="Int64"), _EDGE_INTS),
        (lambda v: pd.Series([v], dtype="Float64"), _EDGE_FLOATS),
        (lambda v: pd.Series([v], dtype="float64[pyarrow]"), _EDGE_FLOATS),
        (lambda v: pd.Series([v], dtype="int64[pyarrow]"), _EDGE_INTS),
        (lambda v: np.array([v], dtype=object), _EDGE_OBJECTS),
        (lambda v: [v], _EDGE_OBJECTS),
        (lambda v: pd.Series([v], dtype=object), _EDGE_OBJECTS),
        (lambda v: pd.Series([v], dtype="string"), [str(v) for v in _EDGE_OBJECTS]),
    ],
    ids=[
        "int64",
        "float64",
        "Int64",
        "Float64",
        "arrow-float",
        "arrow-int",
        "object",
        "list",
        "object-series",
        "string",
    ],
)
def test_money_survivors_each_row_gets_what_to_money_gives(make, values):
    """Below the batch ceiling, every row of every column kind is read as to_money reads the
    value alone: the same pence, or a refusal of that row with the same error class, code and
    message (guide 4.4, 6.5.2: amounts are pounds and pence, never negative), whatever the
    column's kind (integer and float columns are checked vectorised, in to_money's order)."""
    for value in values:
        expected = _scalar_money(value)
        got = _batch_money(make(value))
        assert got == expected, value


def test_money_survivors_pence_refusals_name_row_value_code_and_rule():
    """Each refusal of pence names the row by its index label, shows the value as given and
    carries the amount rule's code (docs/errors.md) and reference (guide 4.4, 6.5.2)."""
    cases = [
        (pd.Series([5, -1], index=["a", "b"]), "b", -1, ErrorCode.MONEY_NEGATIVE, _NEGATIVE),
        (np.array([3, 10**11 + 1]), 1, 10**11 + 1, ErrorCode.MONEY_TOO_LARGE, _ABOVE),
        (
            pd.Series([0.5, 0.1 + 0.2], index=["ok", "sum"]),
            "sum",
            0.30000000000000004,
            ErrorCode.MONEY_TOO_MANY_PLACES,
            "amount has more than two decimal places of value",
        ),
        (np.array([-0.5]), 0, -0.5, ErrorCode.MONEY_NEGATIVE, _NEGATIVE),
        (np.array([1e11 + 0.01]), 0, 1e11 + 0.01, ErrorCode.MONEY_TOO_LARGE, _ABOVE),
        (
            pd.Series(["1", "1.005"], index=[7, 8], dtype=object),
            8,
            "1.005",
            ErrorCode.MONEY_TOO_MANY_PLACES,
            "amount has more than two decimal places of value",
        ),
    ]
    for column, row, value, code, message in cases:
        with pytest.raises(RulesError) as info:
            pence(column)
        err = info.value
        assert type(err) is RulesError
        assert (err.field, err.value, err.code) == ("amounts", {row: {"amounts": value}}, code)
        assert str(err) == (
            f"amounts: 1 bad row (by index: {row!r}): amounts: {message} (row {row!r}): "
            f"got {{{row!r}: {{'amounts': {value!r}}}}} [{_MONEY_RULE}]"
        )


def test_money_survivors_text_above_the_batch_ceiling_is_refused_with_the_rule():
    """A string or Decimal amount to_money accepts but above MAX_PENCE (£100,000,000,000)
    is refused by the batch path, saying so, with the value as given and the money rule
    (docs/batch.md: amounts above MAX_PENCE are refused so no product overflows int64)."""
    for value in ("100000000000.01", Decimal("100000000001"), 10**11 + 1):
        with pytest.raises(RulesError) as info:
            pence(pd.Series([value], index=["big"], dtype=object))
        err = info.value
        assert (err.field, err.value, err.reference) == (
            "amounts",
            {"big": {"amounts": value}},
            _MONEY_RULE,
        )
        assert str(err) == (
            f"amounts: 1 bad row (by index: 'big'): amounts: {_ABOVE} (row 'big'): "
            f"got {{'big': {{'amounts': {value!r}}}}} [{_MONEY_RULE}]"
        )


@pytest.mark.parametrize(
    "column",
    [
        np.array([10**11, 0]),
        np.array([10**11, 0], dtype=np.uint64),
        pd.Series([10**11, 0], dtype="Int64"),
        np.array([1e11, 0.0]),
        ["100000000000", 0],
        [Decimal("100000000000.00"), 0],
    ],
    ids=["int64", "uint64", "Int64", "float64", "text", "Decimal"],
)
def test_money_survivors_the_batch_ceiling_itself_is_accepted(column):
    """MAX_PENCE is the largest amount the batch path takes: £100,000,000,000 exactly is
    accepted from every kind of column, as int64 pence (docs/batch.md)."""
    got = pence(column)
    assert got.dtype == np.int64
    assert got.tolist() == [MAX_PENCE, 0]


def test_money_survivors_pence_keeps_the_series_name_or_calls_it_pence():
    """A Series comes back on its index, named as it was, or "pence" if it had no name."""
    got = pence(pd.Series([1, 2.5], index=["x", "y"]))
    assert (got.name, got.to_dict(), got.dtype) == ("pence", {"x": 100, "y": 250}, np.int64)
    assert pence(pd.Series([1], name="injury")).name == "injury"


def test_money_survivors_pence_refuses_a_bad_shape_or_a_gap_naming_the_amounts():
    """A lone scalar, a table, or a missing value is refused with the field "amounts"."""
    for bad in (5, np.zeros((2, 2))):
        with pytest.raises(RulesTypeError, match="one-dimensional") as info:
            pence(bad)
        assert info.value.field == "amounts"
    with pytest.raises(RulesError) as info:
        pence(pd.Series([1, None], index=["a", "gap"], dtype=object))
    assert (info.value.field, info.value.code, info.value.value) == (
        "amounts",
        ErrorCode.FIELD_MISSING,
        {"gap": {"amounts": None}},
    )
    assert str(info.value).startswith(
        "amounts: 1 bad row (by index: 'gap'): amounts: missing value"
    )


def test_money_survivors_every_bad_row_after_a_gap_is_named():
    """A missing value does not stop the reading: every later bad row is named too."""
    with pytest.raises(RulesError) as info:
        pence([None, "£5", "5", -1])
    assert info.value.value == {0: {"amounts": None}, 1: {"amounts": "£5"}, 3: {"amounts": -1}}


def test_money_survivors_a_date_column_is_refused_showing_the_dates():
    """A column of dates is not amounts: every row is refused showing its date; an empty
    column of any dtype is no rows, and gives an empty int64 column of pence."""
    with pytest.raises(RulesTypeError, match="amounts must be numbers, not datetime64") as info:
        pence(np.array(["2023-05-02"], dtype="datetime64[D]"))
    assert info.value.value == {0: {"amounts": date(2023, 5, 2)}}
    for empty in (np.array([], dtype="datetime64[D]"), np.array([]), np.array([], np.int64)):
        got = pence(empty)
        assert (got.dtype, got.tolist()) == (np.int64, [])


def test_money_survivors_extreme_floats_are_refused_without_a_numpy_warning():
    """A float far outside the money range (1e308, whose hundredths overflow; -1e300,
    below int64) is a RulesError naming its row, never a numpy overflow or cast warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for value in (1.7e308, -1e300, -1.7e308):
            with pytest.raises(RulesError) as info:
                pence(np.array([1.0, value]))
            assert info.value.value == {1: {"amounts": value}}


def _percent_claims(liability):
    return pd.DataFrame(
        {
            "accident_date": pd.to_datetime(["2024-06-03"] * len(liability)),
            "duration_months": [12] * len(liability),
            "claimant_liability_percent": liability,
        }
    )


@pytest.mark.parametrize(
    "liability",
    [[0.0, 1.0], [1.0, 1.0], pd.Series([0, 1.0], dtype=object), [1.01, 0.5], [0.0, 0.0]],
    ids=["zero-and-one", "ones", "object", "above-one", "zeros"],
)
def test_money_survivors_whole_or_above_one_percentages_are_not_fractions(liability):
    """Whole numbers (0, 1) and a column with a value over 1 are never taken for fractions
    (docs/batch.md, "Percentages given as fractions"): they are read as percentages."""
    got = value_claims(_percent_claims(liability))["total_pence"].tolist()
    as_percent = value_claims(_percent_claims(liability), percent_scale="percent")
    assert got == as_percent["total_pence"].tolist()


def test_money_survivors_fraction_objects_are_read_exactly():
    """percent_scale="fraction": 0.25 is 25%, as a float, a Decimal or a string in an object
    column, read through the float's shortest repr (docs/batch.md); an infinite fraction is
    refused as to_percent refuses it (number.not-finite), naming the row."""
    frac = pd.Series([0.25, Decimal("0.5"), "0.125", 0.0001], dtype=object)
    got = value_claims(_percent_claims(frac), percent_scale="fraction")["total_pence"]
    as_percent = pd.Series([25, Decimal("50"), "12.5", "0.01"], dtype=object)
    assert got.tolist() == value_claims(_percent_claims(as_percent))["total_pence"].tolist()
    for bad in (float("inf"), float("-inf")):
        with pytest.raises(RulesError) as info:
            value_claims(
                _percent_claims(pd.Series([0.25, bad], dtype=object)), percent_scale="fraction"
            )
        assert (info.value.code, info.value.value) == (
            ErrorCode.NUMBER_NOT_FINITE,
            {1: {"claimant_liability_percent": bad}},
        )
        assert "a percentage must be finite" in str(info.value)


_amount_cells = st.one_of(
    st.integers(min_value=-5, max_value=10**11 + 5),
    st.floats(min_value=-1, max_value=1e11, allow_nan=False),
    st.decimals(min_value=-1, max_value=10**11, places=3),
    st.decimals(min_value=0, max_value=10**5, places=2).map(str),
    st.sampled_from([None, float("nan"), " 5", "1e3", "-0", "0.10", True]),
)


@given(st.lists(_amount_cells, max_size=12))
@settings(deadline=None)
def test_money_survivors_mixed_object_columns_match_the_scalar_door(values):
    """In an object column of anything, pence refuses exactly the rows to_money refuses
    alone (or that are missing, or above MAX_PENCE), showing each as given; otherwise each
    row is to_money's pence (guide 4.4, 6.5.2)."""

    def scalar(value):
        if value is None or (isinstance(value, float) and value != value):
            return None
        got = _scalar_money(value)
        return got if isinstance(got, int) and got <= MAX_PENCE else None

    expected = [scalar(v) for v in values]
    column = pd.Series(values, dtype=object)
    if None in expected:
        with pytest.raises(RulesError) as info:
            pence(column)
        bad = [i for i, e in enumerate(expected) if e is None]
        shown = info.value.value
        assert list(shown) == bad
        for i in bad:
            assert shown[i]["amounts"] is values[i] or shown[i]["amounts"] == values[i]
    else:
        assert pence(column).tolist() == expected


# Mutation survivors: batch.money, the two bugs found (fixed in 0.3.3) ---------------------


@pytest.mark.parametrize(
    "value",
    ["100000000000.01", Decimal("100000000001"), 10**11 + 1, 1e11 + 0.01],
    ids=["text", "Decimal", "int", "float"],
)
def test_money_bug_an_amount_above_the_batch_ceiling_is_too_large_not_negative(value):
    """An amount above MAX_PENCE (£100,000,000,000) is refused as too large
    (money.too-large, docs/errors.md) whatever the column holds it as, as an int64 or
    float64 column already says; in an object column or a list it was money.negative,
    of a positive amount (_pence_of's code)."""
    if not isinstance(value, str | Decimal):  # the numeric column says so already
        assert _batch_money(np.array([value]))[1] is ErrorCode.MONEY_TOO_LARGE
    for column in (pd.Series([value], dtype=object), [value]):
        with pytest.raises(RulesError) as info:
            pence(column)
        assert info.value.code is ErrorCode.MONEY_TOO_LARGE


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (float("inf"), ErrorCode.NUMBER_NOT_FINITE),
        (float("-inf"), ErrorCode.NUMBER_NOT_FINITE),
        (1e308, ErrorCode.MONEY_TOO_LARGE),
    ],
    ids=["inf", "-inf", "1e308"],
)
def test_money_bug_a_float_column_refuses_infinities_as_to_money_does(value, code):
    """A float64 column refuses an infinity as not finite (number.not-finite: "a NaN or an
    infinity", docs/errors.md) and 1e308 as too large, as to_money and an object column
    do; it said money.too-many-places ("more than two decimal places of value"), which
    neither has. The same for a percentage column (percent.too-many-places)."""
    assert _scalar_money(value)[1] is code
    assert _batch_money(np.array([value], dtype=object))[1] is code
    with pytest.raises(RulesError) as info:
        pence(np.array([1.0, value]))
    assert info.value.code is code
    if code is ErrorCode.NUMBER_NOT_FINITE:
        with pytest.raises(RulesError) as info:
            payments({"injury": [1]}, claimant_liability_percent=np.array([value]))
        assert info.value.code is code


# Mutation survivors: batch.summary, deductions, bad_rows, frame


def _refusal_of(call) -> tuple:
    """Call ``call`` and return its refusal whole: class, text, field, value, reference, code."""
    with pytest.raises(RulesError) as info:
        call()
    err = info.value
    return type(err), str(err), err.field, err.value, str(err.reference), err.code


def test_payments_refuse_a_non_mapping_of_heads_cru_or_interim_naming_which():
    """heads, cru and interim are each a mapping of heads to pence (guide 6.5.2; CRU 6.5.2.2,
    item interims 6.3.1.4): anything else is a RulesTypeError naming the argument, its type,
    the value received and that argument's own paragraph; a head given twice is refused."""
    assert _refusal_of(lambda: payments([1000])) == (
        RulesTypeError,
        "heads: expected a mapping of heads to pence, not list: got [1000] [guide 6.5.2]",
        "heads",
        [1000],
        "guide 6.5.2",
        ErrorCode.TYPE_WRONG,
    )
    assert _refusal_of(lambda: payments({"injury": 1}, cru=[1])) == (
        RulesTypeError,
        "cru: expected a mapping of heads to pence, not list: got [1] [guide 6.5.2 (3), 6.5.2.2]",
        "cru",
        [1],
        "guide 6.5.2 (3), 6.5.2.2",
        ErrorCode.TYPE_WRONG,
    )
    assert _refusal_of(lambda: payments({"injury": 1}, interim=(1,))) == (
        RulesTypeError,
        (
            "interim: expected a mapping of heads to pence, not tuple: got (1,) "
            "[guide 6.5.2 (3), 6.3.1.4]"
        ),
        "interim",
        (1,),
        "guide 6.5.2 (3), 6.3.1.4",
        ErrorCode.TYPE_WRONG,
    )
    assert _refusal_of(lambda: payments({"injury": 1, Head.INJURY: 1})) == (
        RulesError,
        (
            "heads: head given twice (as a Head and as its slug): got <Head.INJURY: 'injury'> "
            "[guide 6.5.2]"
        ),
        "heads",
        Head.INJURY,
        "guide 6.5.2",
        ErrorCode.VALUE_INVALID,
    )


def test_payments_name_each_bad_amount_by_its_argument_head_and_value():
    """A column that is not whole pence is refused row by row, each row with the value it
    holds and its argument[head] field (the batch money rule; guide 4.4, 6.5.2)."""
    money_rule = (
        "batch amounts are whole pence from 0 to 10_000_000_000_000 (int64, never float); "
        "amounts are pounds and pence, never negative (guide 4.4, 6.5.2)"
    )
    for field, call in [
        ("heads[injury]", lambda: payments({"injury": np.array(["100", "7"])})),
        ("cru[property]", lambda: payments({"property": 1}, cru={"property": np.array(["100", "7"])})),
        (
            "interim[injury-related]",
            lambda: payments({"injury": 1}, interim={"injury-related": np.array(["100", "7"])}),
        ),
    ]:  # fmt: skip
        assert _refusal_of(call) == (
            RulesTypeError,
            (
                f"{field}: 2 bad rows (by index: 0, 1): {field}: expected whole pence (an integer "
                "column), not <U3; convert pounds with rtaprotocol.batch.pence (row 0 and 1 more): "
                f"got {{0: {{'{field}': '100'}}, 1: {{'{field}': '7'}}}} [{money_rule}]"
            ),
            field,
            {0: {field: "100"}, 1: {field: "7"}},
            money_rule,
            ErrorCode.TYPE_WRONG,
        )


def test_cru_or_item_interim_on_injury_names_the_row_by_its_label_and_the_law():
    """CRU is never set off against PSLA (SS(RB)A 1997 Sch 2, guide 6.5.2.2) nor an item
    interim against the injury (guide 6.3.1.4): the batch path refuses the row by its index
    label, with the scalar rule's own words, field, reference and code."""
    injury = pd.Series([1000, 1000], index=["a", "b"])
    cru = pd.Series([0, 100], index=["a", "b"])
    scalar = _refusal_of(lambda: compute_payment({"injury": 10}, cru={"injury": 1}))
    assert _refusal_of(lambda: payments({"injury": injury}, cru={"injury": cru})) == (
        ProtocolViolation,
        (
            "cru[injury]: 1 bad row (by index: 'b'): cru[injury]: CRU cannot be set off against "
            "compensation for pain, suffering and loss of amenity (row 'b'): got "
            "{'b': {'cru[injury]': 100}} "
            "[Social Security (Recovery of Benefits) Act 1997, Sch 2; guide 6.5.2.2]"
        ),
        "cru[injury]",
        {"b": {"cru[injury]": 100}},
        "Social Security (Recovery of Benefits) Act 1997, Sch 2; guide 6.5.2.2",
        ErrorCode.PROTOCOL_FORBIDDEN,
    )
    assert scalar[2:] == ("cru[injury]", Decimal(1), *_refusal_of(
        lambda: payments({"injury": injury}, cru={"injury": cru})
    )[4:])  # fmt: skip
    interim = pd.Series([5, 0], index=["a", "b"])
    assert _refusal_of(lambda: payments({"injury": injury}, interim={"injury": interim})) == (
        ProtocolViolation,
        (
            "interim[injury]: 1 bad row (by index: 'a'): interim[injury]: an interim payment for "
            "an item is only for other protocol damages, not for the injury itself; use "
            "general_interim (row 'a'): got {'a': {'interim[injury]': 5}} [guide 6.3.1.4]"
        ),
        "interim[injury]",
        {"a": {"interim[injury]": 5}},
        "guide 6.3.1.4",
        ErrorCode.PROTOCOL_FORBIDDEN,
    )


@pytest.mark.parametrize("percent", [Decimal(100), Decimal("100.01"), Decimal(101)])
def test_seatbelt_percent_is_accepted_or_refused_exactly_as_the_scalar_rule(percent):
    """A seatbelt reduction is 0 to 100% (guide 6.5.2 (2)): above 100 the batch path refuses
    the row, as a scalar and as a column, with compute_payment's field, code and reference."""
    if percent > 100:
        with pytest.raises(RulesError) as scalar:
            compute_payment({"injury": 10}, seatbelt_percent=percent)
        for value in (percent, [percent]):
            with pytest.raises(RulesError) as info:
                payments({"injury": [1000]}, seatbelt_percent=value)
            got, err = info.value, scalar.value
            assert (got.field, got.code, got.reference) == (err.field, err.code, err.reference)
            assert got.field == "seatbelt_percent"
            assert got.code is ErrorCode.PERCENT_OUT_OF_RANGE
    else:
        pay = compute_payment({"injury": 10}, seatbelt_percent=percent)
        for value in (percent, [percent]):
            out = payments({"injury": [1000]}, seatbelt_percent=value)
            assert out["total_pence"].tolist() == [to_pence(pay.total)] == [0]


def test_a_cru_or_interim_column_alone_sets_the_rows_and_the_index():
    """Any argument may be the only column (the rest scalars): a cru or interim Series gives
    the output its rows and index, each row compute_payment's answer (guide 6.5.2 (3))."""
    labels = ["a", "b", "c"]
    taken = pd.Series([100, 250, 2000], index=labels)
    for name in ("cru", "interim"):
        out = payments(
            {"injury-related": 1000, "property": 500}, **{name: {"injury-related": taken}}
        )
        assert out.index.tolist() == labels
        for label, amount in taken.items():
            pay = compute_payment(
                {"injury-related": Decimal(10), "property": Decimal(5)},
                **{name: {"injury-related": Decimal(amount).scaleb(-2)}},
            )
            assert out.loc[label, "total_pence"] == to_pence(pay.total)
            assert out.loc[label, "net_injury_related_pence"] == to_pence(
                pay.net_by_head[Head.INJURY_RELATED]
            )
        left = out[f"{name}_not_set_off_pence"].tolist()
        assert left == [0, 0, 1000]


def test_a_row_with_two_problems_gives_each_message_whole_joined_by_a_bar():
    """errors="flag": a row's messages are each the refusal's text (value and rule), joined
    by exactly " | " in the order found; its codes and columns by "," (CLA 2018 s.3; the
    coverage of the tariff, SI 2021/642 reg 3)."""
    claims = pd.DataFrame(
        {"accident_date": pd.to_datetime(["2020-01-01", "2024-01-01"]), "duration_months": [30, 3]}
    )
    out = value_claims(claims, errors="flag")
    assert out.loc[0, "error_message"] == (
        "duration_months: not a tariff injury: the duration must be more than 0 and not more "
        "than 24 months: got 30 [Civil Liability Act 2018 s.3: a tariff injury lasts not more "
        "than 2 years (more than 0 and not more than 24 months); guide 4.4.1]"
        " | "
        "accident_date: accident is before the whiplash tariff regime began on 2021-05-31: "
        "got datetime.date(2020, 1, 1) [Civil Liability Act 2018 Part 1 and the Whiplash "
        "Injury Regulations 2021 (SI 2021/642) apply to accidents on or after 31 May 2021]"
    )
    assert out.loc[0, "error_column"] == "duration_months,accident_date"
    assert pd.isna(out.loc[1, "error_message"])


def test_flag_columns_are_pandas_strings_under_either_string_storage():
    """errors="flag"'s error columns are pandas "string" columns, <NA> on a valued row, with
    pyarrow-backed strings and with pandas' python-backed ones (mode.string_storage), the
    same text either way; a frame with no bad row still has string columns."""
    claims = pd.DataFrame(
        {"accident_date": pd.to_datetime(["2024-06-03"] * 3), "duration_months": [3, 0, 30]}
    )
    with pd.option_context("mode.string_storage", "pyarrow"):
        arrow = value_claims(claims, errors="flag")
    with pd.option_context("mode.string_storage", "python"):
        python = value_claims(claims, errors="flag")
        clean = value_claims(claims.iloc[[0]], errors="flag")
    for name in batch.STATUS_COLUMNS[1:]:
        assert python[name].dtype == pd.StringDtype("python")
        assert clean[name].dtype == pd.StringDtype("python")
        assert clean[name].isna().tolist() == [True]
        assert arrow[name].dtype == pd.StringDtype("pyarrow")
        assert python[name].isna().tolist() == arrow[name].isna().tolist() == [True, False, False]
        assert python[name].tolist()[1:] == arrow[name].tolist()[1:]
    assert python["error_code"].tolist()[1:] == ["number.out-of-range"] * 2
    assert python["error_column"].tolist()[1:] == ["duration_months"] * 2
    assert python["error_message"].tolist()[2].startswith("duration_months: not a tariff injury")
    assert python["error_message"].tolist()[2].endswith("guide 4.4.1]")
    assert python["error_message"].tolist()[2].count("got 30") == 1


def test_flag_with_a_what_if_table_names_it_in_the_flagged_frame():
    """A what-if table's name is a tariff_table category of the flagged frame too (never the
    law's name), the frame shaped as value_claims_meta says; a refused row has no table."""
    claims = pd.DataFrame(
        {"accident_date": pd.to_datetime(["2024-06-03"] * 2), "duration_months": [13, 30]}
    )
    out = value_claims(claims, tariff_table=_FLAT, errors="flag")
    meta = value_claims_meta(tariff_table=_FLAT, errors="flag")
    assert out.dtypes.to_dict() == meta.dtypes.to_dict()
    assert out["tariff_table"].cat.categories.tolist() == [
        "Table 1",
        "Table 2",
        "Table 1 (what-if)",
    ]
    assert out["tariff_table"].tolist()[0] == "Table 1 (what-if)"
    assert pd.isna(out["tariff_table"].tolist()[1])
    assert out["tariff_pence"].tolist()[0] == 200000
    assert out["status"].tolist() == ["valued", "refused"]


def test_summarise_a_frame_with_no_columns_names_no_closest_column():
    """summarise(by=...) of a column the frame lacks is refused; with no column at all to
    suggest, the message names none (and does not fail looking for one)."""
    assert _refusal_of(lambda: summarise(pd.DataFrame(index=[1, 2]), by=["policy"])) == (
        RulesError,
        (
            "by: not a column of the valued frame: got 'policy' [summarise reads value_claims' "
            "output columns (rtaprotocol batch columns); the value limits are guide 1.1, 4.1, 4.4.3]"
        ),
        "by",
        "policy",
        (
            "summarise reads value_claims' output columns (rtaprotocol batch columns); the value "
            "limits are guide 1.1, 4.1, 4.4.3"
        ),
        ErrorCode.VALUE_INVALID,
    )


def _dask_summary(valued: pd.DataFrame, partitions: int, by=()) -> pd.DataFrame:
    """summarise of ``valued`` split into Dask partitions, on the synchronous scheduler."""
    import dask
    import dask.dataframe as dd

    lazy = dd.from_pandas(valued, npartitions=partitions, sort=False)
    with dask.config.set(scheduler="synchronous"):
        return summarise(lazy, by=by)


def test_summarise_dask_equals_pandas_without_by_and_with_missing_keys():
    """A Dask portfolio's summary is the pandas one: one row "all" with no by, and missing
    keys kept as their own group, so the groups add up to the portfolio."""
    valued = value_claims(
        _hand_portfolio().assign(policy=["A", None, "B", None, "A"]), passthrough=["policy"]
    )
    everything = _dask_summary(valued, 2)
    assert everything.index.tolist() == ["all"]
    pd.testing.assert_frame_equal(everything, summarise(valued))
    by_policy = _dask_summary(valued, 3, by=["policy"])
    expected = summarise(valued, by=["policy"])
    # Dask reads the labels as pyarrow strings, whose gap is <NA> rather than NaN.
    pd.testing.assert_frame_equal(by_policy.reset_index(drop=True), expected.reset_index(drop=True))
    assert by_policy.index.name == "policy"
    assert by_policy["claims"].tolist() == [2, 1, 2]
    assert by_policy.index.tolist()[:2] == ["A", "B"]
    assert pd.isna(by_policy.index.tolist()[2])


def test_summarise_dask_lists_only_the_groups_the_portfolio_has():
    """By a categorical column (tariff_table, tariff_column, limits_reason), a Dask summary
    has a row for each value some claim has, as the pandas one: a table or reason that no
    claim has is not a group of zero claims (on every supported pandas)."""
    valued = value_claims(_hand_portfolio().iloc[:2], passthrough=["policy"])
    for by in (["tariff_table"], ["tariff_column", "limits_reason"]):
        dask_summary = _dask_summary(valued, 2, by=by)
        pd.testing.assert_frame_equal(dask_summary, summarise(valued, by=by))
    assert _dask_summary(valued, 2, by=["tariff_table"]).index.tolist() == ["Table 1"]


def test_summarise_dask_refuses_a_series_to_group_by_naming_every_key():
    """A Dask portfolio is grouped by its own columns only: a Series in by is a
    RulesTypeError naming the keys given (each Series by its name)."""
    valued = value_claims(_hand_portfolio(), passthrough=["policy"])
    segment = pd.Series(list("xyxyx"), index=valued.index, name="segment")
    reference = (
        "summarise reads value_claims' output columns (rtaprotocol batch columns); the value "
        "limits are guide 1.1, 4.1, 4.4.3"
    )
    assert _refusal_of(lambda: _dask_summary(valued, 2, by=["policy", segment])) == (
        RulesTypeError,
        (
            "by: a Dask portfolio is grouped by its own columns: add the Series as a column first: "
            f"got ['policy', 'segment'] [{reference}]"
        ),
        "by",
        ["policy", "segment"],
        reference,
        ErrorCode.TYPE_WRONG,
    )


_TOTALS = ["tariff_pence", "injury_pence", "total_pence", "within_limits"]


def _big_totals(total: int, rows: int) -> pd.DataFrame:
    """``rows`` claims in value_claims' summarised columns, their total_pence adding up to
    ``total`` (each at most MAX_PENCE), the other amounts 1p each."""
    amounts = np.full(rows, MAX_PENCE, dtype=np.int64)
    amounts[-1] = total - MAX_PENCE * (rows - 1)
    assert 0 <= amounts[-1] <= MAX_PENCE
    ones = np.ones(rows, dtype=np.int64)
    return pd.DataFrame(
        {"tariff_pence": ones, "injury_pence": ones, "total_pence": amounts, "within_limits": True}
    )


def test_summarise_dask_refuses_a_total_beyond_int64_rather_than_wrap_it():
    """Partial sums are combined as Python integers: a Dask portfolio whose total is one
    penny more than the int64 maximum, each partition's sum within it, is refused, naming
    the column and the batch money rule, rather than wrapped round to a wrong figure."""
    top = int(np.iinfo(np.int64).max)
    money_rule = (
        "batch amounts are whole pence from 0 to 10_000_000_000_000 (int64, never float); "
        "amounts are pounds and pence, never negative (guide 4.4, 6.5.2)"
    )
    assert _refusal_of(lambda: _dask_summary(_big_totals(top + 1, top // MAX_PENCE + 1), 2)) == (
        RulesError,
        (
            "total_pence: the total overflows int64 pence; summarise smaller slices and add them: "
            f"got 'total_pence' [{money_rule}]"
        ),
        "total_pence",
        "total_pence",
        money_rule,
        ErrorCode.VALUE_INVALID,
    )


def test_summarise_gives_group_totals_above_max_pence_exactly():
    """summarise gives each group's total in int64 pence and exact pounds, refusing only a
    total beyond int64 (its docstring; the Dask path adds the partitions' sums as Python
    ints). MAX_PENCE bounds one claim's amount, not a portfolio's total: a group of claims
    totalling more is summarised, exactly, also where a float would lose pennies (above
    2**53) and up to the int64 maximum. (Fixed in 0.3.3: pounds() refused any total above
    MAX_PENCE, as "amounts_pence: 1 bad row (by index: 'all')", a column and a "row" that
    are not the caller's, for amounts that are each valid.)"""
    pandas_sum = summarise(_big_totals(MAX_PENCE + 1, 2))
    assert pandas_sum["total_pence"].tolist() == [MAX_PENCE + 1]
    assert pandas_sum["total_pounds"].tolist() == [Decimal(MAX_PENCE + 1).scaleb(-2)]
    total = 10**16 + 24_001  # not a float: the nearest are 10**16 + 24_000 and + 24_002
    assert int(float(total)) != total
    valued = _big_totals(total, 1_001)
    summary = _dask_summary(valued, 3)
    assert summary["total_pence"].tolist() == [total]
    assert summary["total_pounds"].tolist() == [Decimal(total).scaleb(-2)]
    pd.testing.assert_frame_equal(summary, summarise(valued))
    top = int(np.iinfo(np.int64).max)
    at_the_top = _dask_summary(_big_totals(top, top // MAX_PENCE + 1), 2)
    assert at_the_top["total_pence"].tolist() == [top]
    assert at_the_top["total_pounds"].tolist() == [Decimal(top).scaleb(-2)]


# Mutation survivors: batch, part 2

_ROW_REFERENCE = (
    "the batch functions work row by row on arrays of one length (rtaprotocol batch rows)"
)


def _refused_by(call) -> RulesError:
    """The RulesError ``call`` raises (the test fails if it returns)."""
    with pytest.raises(RulesError) as caught:
        call()
    return caught.value


def test_tariff_amounts_names_every_argument_of_a_different_length():
    """tariff_amounts works row by row (Whiplash Injury Regulations 2021 reg 2 and 3 for
    each claim), so columns of different lengths are refused, naming each argument as the
    signature spells it with its length: a portal can point at the column at fault."""
    d = date(2022, 1, 1)
    error = _refused_by(
        lambda: tariff_amounts(
            [1, 2], [d, d, d], [False], [0, 0, 0, 0], failed_to_mitigate=[False] * 5
        )
    )
    assert type(error) is RulesError
    names = [
        "durations_months",
        "accident_dates",
        "psychological",
        "uplift_percent",
        "failed_to_mitigate",
    ]
    assert error.field == ", ".join(names)
    assert error.value == dict(zip(names, [2, 3, 1, 4, 5], strict=True))
    assert error.message == "array arguments have different lengths"
    assert str(error.reference) == _ROW_REFERENCE
    assert error.code is ErrorCode.VALUE_INVALID
    # A scalar broadcasts: only the arrays are named.
    scalar = _refused_by(lambda: tariff_amounts([1, 2], [d, d, d], True))
    assert (scalar.field, scalar.value) == (
        "durations_months, accident_dates",
        {"durations_months": 2, "accident_dates": 3},
    )


def test_tariff_amounts_one_accident_date_for_every_row():
    """A single accident date applies to every row, as tariff_amount would value each
    (SI 2021/642 and SI 2025 tables by accident date); a datetime counts by its day. A
    single value that is not a date is refused on every row, as the scalar door refuses
    it: a string is not parsed, a missing date is missing on each row."""
    d = date(2025, 5, 31)
    expected = [to_pence(tariff_amount(m, accident_date=d)) for m in (3, 4)]
    assert tariff_amounts([3, 4], d).tolist() == expected
    assert (
        tariff_amounts([3, 4], datetime(2025, 5, 31, 23, 59)).tolist()
        == tariff_amounts([3, 4], d).tolist()
    )
    text = _refused_by(lambda: tariff_amounts([3, 4], "2022-01-01"))
    assert isinstance(text, RulesTypeError)
    assert (text.field, text.value) == (
        "accident_dates",
        {0: {"accident_dates": "2022-01-01"}, 1: {"accident_dates": "2022-01-01"}},
    )
    missing = _refused_by(lambda: tariff_amounts(pd.Series([3, 4], index=[7, 8]), None))
    assert (missing.field, missing.value) == (
        "accident_dates",
        {7: {"accident_dates": None}, 8: {"accident_dates": None}},
    )
    assert missing.code is ErrorCode.FIELD_MISSING


def test_tariff_amounts_refuses_a_text_duration_column_on_every_row():
    """A duration is whole months or Decimal (CLA 2018 s.3): a column of text is refused,
    naming every one of its rows, by index."""
    error = _refused_by(lambda: tariff_amounts(np.array(["a", "b", "c"]), date(2022, 1, 1)))
    assert isinstance(error, RulesTypeError)
    assert error.field == "durations_months"
    assert error.value == {
        0: {"durations_months": "a"},
        1: {"durations_months": "b"},
        2: {"durations_months": "c"},
    }


def test_pounds_refusals_name_amounts_pence():
    """pounds reads whole pence (docs/batch.md, guide 4.4, 6.5.2): a lone number is not a
    column and a negative or float amount is not whole pence; each refusal names the
    argument amounts_pence, with the value received."""
    lone = _refused_by(lambda: pounds(5))
    assert isinstance(lone, RulesTypeError)
    assert (lone.field, lone.value) == ("amounts_pence", 5)
    assert lone.message == "expected a one-dimensional array or a pandas Series"
    negative = _refused_by(lambda: pounds(pd.Series([5, -1], index=[3, 4])))
    assert negative.field == "amounts_pence"
    assert negative.value == {4: {"amounts_pence": -1}}
    dates = _refused_by(lambda: pounds(pd.Series(pd.to_datetime(["2022-01-01"] * 2), index=[3, 4])))
    assert isinstance(dates, RulesTypeError)
    assert dates.field == "amounts_pence"
    assert list(dates.value) == [3, 4]


def test_pounds_keeps_the_rows_and_gives_decimals():
    """pounds gives exact Decimal pounds (docs/batch.md): a Series keeps its index and is
    renamed ..._pounds, a missing row stays missing, an empty array is still an object
    array of Decimals, and a DataFrame keeps its rows even with no pence column."""
    out = pounds(pd.Series([101, 250], index=[7, 8], name="x_pence"))
    assert out.index.tolist() == [7, 8]
    assert (out.name, out.tolist()) == ("x_pounds", [Decimal("1.01"), Decimal("2.50")])
    nullable = pounds(pd.Series([1, None], index=[7, 8], dtype="Int64"))
    assert nullable.index.tolist() == [7, 8]
    assert nullable.iloc[0] == Decimal("0.01")
    assert pd.isna(nullable.iloc[1])
    empty = pounds(np.array([], dtype=np.int64))
    assert (empty.dtype, len(empty)) == (np.dtype(object), 0)
    frame = pounds(pd.DataFrame(index=pd.Index([3, 9], name="claim")))
    assert frame.index.tolist() == [3, 9]
    assert frame.index.name == "claim"


def test_pence_refuses_an_infinite_amount_with_its_value():
    """An amount must be finite (to_money's first refusal; guide 4.4): pence names the
    row and shows the infinity received."""
    error = _refused_by(lambda: pence(pd.Series([1.0, float("inf")], index=[5, 6])))
    assert error.field == "amounts"
    assert error.value == {6: {"amounts": float("inf")}}
    assert ": an amount must be finite (row 6): " in str(error)


def test_value_claims_dask_meta_keeps_an_integer_passthrough_dtype():
    """value_claims_dask gives its meta without computing (docs/batch.md): a passthrough
    column keeps its own dtype, an int64 one included, so the lazy frame's dtypes are the
    computed frame's."""
    import dask
    import dask.dataframe as dd

    frame = _random_portfolio(10, seed=1).assign(claim_no=np.arange(10, dtype=np.int64))
    lazy = batch.value_claims_dask(
        dd.from_pandas(frame, npartitions=2, sort=False), passthrough=["claim_no", "policy"]
    )
    assert lazy.dtypes["claim_no"] == np.dtype(np.int64)
    with dask.config.set(scheduler="synchronous"):
        assert lazy.compute()["claim_no"].dtype == np.dtype(np.int64)


def test_value_claims_dask_reads_parquet_only_on_compute_in_any_column_order(tmp_path, monkeypatch):
    """value_claims_dask of a parquet dataset reads only the first file's schema to build
    its meta, never the data (its docstring: each file is read by pandas.read_parquet when
    valued); files written with their columns in another order are valued by column name,
    as value_claims values a frame, so the answer is value_claims' of the whole."""
    import dask

    frame = _random_portfolio(12, seed=3)
    path = tmp_path / "in"
    path.mkdir()
    frame.iloc[:6].to_parquet(path / "part.0.parquet")
    frame.iloc[6:][list(reversed(frame.columns))].to_parquet(path / "part.1.parquet")
    reads = []
    read_parquet = pd.read_parquet

    def counted(*args, **kwargs):
        reads.append(args[0])
        return read_parquet(*args, **kwargs)

    monkeypatch.setattr(pd, "read_parquet", counted)
    lazy = batch.value_claims_dask(str(path), passthrough=["policy"])
    assert reads == []
    with dask.config.set(scheduler="synchronous"):
        got = lazy.compute()
    assert len(reads) == 2
    expected = value_claims(frame, passthrough=["policy"])
    pd.testing.assert_frame_equal(
        got.reset_index(drop=True).astype({"policy": object}),
        expected.reset_index(drop=True).astype({"policy": object}),
        check_dtype=False,
    )
