"""Tests for rtaprotocol.tariff: the dated tariff tables, bands, uplift and durations."""

from __future__ import annotations

import decimal
import itertools
import json
import re
from datetime import date, datetime, timedelta
from decimal import Decimal

import attrs
import pytest
from dateutil.relativedelta import MO, relativedelta
from hypothesis import given
from hypothesis import strategies as st

import golden_errors
import views
from rtaprotocol import tariff as tariff_module
from rtaprotocol.errors import OutOfCoverageError, RulesError, RulesTypeError
from rtaprotocol.money import round_penny
from rtaprotocol.tariff import (
    MAX_TARIFF_MONTHS,
    TARIFF_START,
    TARIFF_TABLES,
    TariffAward,
    TariffTable,
    check_tariff_table,
    compare_tariff_tables,
    injury_duration,
    tariff_amount,
    tariff_award,
    tariff_table,
    uplifted_tariff_table,
    what_if_tariff_table,
)
from strategies import percents, tariff_dates

# The tables typed in again from FACTS §1 (and the guide's Tariff page for Table 1), so a
# transcription error in the module cannot also be in the test.
EDGES = [(0, 3), (3, 6), (6, 9), (9, 12), (12, 15), (15, 18), (18, 24)]
TABLE_1 = [(240, 260), (495, 520), (840, 895), (1320, 1390), (2040, 2125), (3005, 3100),
           (4215, 4345)]  # fmt: skip
TABLE_2 = [(275, 300), (565, 595), (965, 1025), (1510, 1595), (2335, 2435), (3445, 3550),
           (4830, 4975)]  # fmt: skip

LAST_T1_DAY = date(2025, 5, 30)
FIRST_T2_DAY = date(2025, 5, 31)
S3 = "Civil Liability Act 2018 s.3"
REG_3_3 = "reg 3(3)"

months_in_range = st.integers(min_value=1, max_value=2400).map(lambda c: Decimal(c).scaleb(-2))


def _cells() -> list[tuple[date, int, int, int, int]]:
    cells = []
    for day, table in [(TARIFF_START, TABLE_1), (LAST_T1_DAY, TABLE_1), (FIRST_T2_DAY, TABLE_2)]:
        for (low, high), (plain, psych) in zip(EDGES, table, strict=True):
            cells.append((day, low, high, plain, psych))
    return cells


@pytest.mark.parametrize(("day", "low", "high", "plain", "psych"), _cells())
@pytest.mark.parametrize("psychological", [False, True])
def test_every_cell_at_both_edges(day, low, high, plain, psych, psychological):
    """Each band's amount is paid just above its lower edge and exactly at its upper edge."""
    expected = Decimal(psych if psychological else plain)
    just_above = [relativedelta(months=low, days=1), Decimal(low) + Decimal("0.01")]
    at_top = [relativedelta(months=high), high, Decimal(high)]
    for duration in just_above + at_top:
        got = tariff_amount(duration, accident_date=day, psychological=psychological)
        assert got == expected, (duration, day)


def test_tables_match_the_independent_transcription():
    """The module's data equals the tables typed in from FACTS §1, band by band."""
    for table, figures in zip(TARIFF_TABLES, [TABLE_1, TABLE_2], strict=True):
        got = [(b.more_than_months, b.not_more_than_months) for b in table.bands]
        assert got == EDGES
        assert [(b.whiplash, b.whiplash_with_psych) for b in table.bands] == [
            (Decimal(p), Decimal(q)) for p, q in figures
        ]


def test_table_2_is_marked_secondary_and_its_si_number_unconfirmed():
    """Table 2's reference says its figures are [S] and its SI number [U]."""
    assert "[S" in TARIFF_TABLES[1].reference
    assert "[U]" in TARIFF_TABLES[1].reference
    assert "[P]" in TARIFF_TABLES[0].reference


def test_coverage_exactly_one_table_every_day():
    """Catala-style: for every day from 31 May 2021 to 2100-12-31 exactly one table applies."""
    day = TARIFF_START
    last = date(2100, 12, 31)
    while day <= last:
        applying = [t for t in TARIFF_TABLES if t.applies_to(day)]
        assert len(applying) == 1, day
        assert tariff_table(day) is applying[0]
        day += timedelta(days=1)


def test_tables_are_contiguous_and_no_table_applies_before_the_regime():
    """Each table ends where the next begins; none covers the day before 31 May 2021."""
    for earlier, later in itertools.pairwise(TARIFF_TABLES):
        assert earlier.applies_until == later.applies_from
    assert TARIFF_TABLES[-1].applies_until is None
    assert not any(t.applies_to(date(2021, 5, 30)) for t in TARIFF_TABLES)


def test_31_may_2025_switches_table():
    """30 May 2025 uses Table 1, 31 May 2025 Table 2."""
    assert tariff_table(LAST_T1_DAY).name == "Table 1"
    assert tariff_table(FIRST_T2_DAY).name == "Table 2"


@pytest.mark.parametrize("day", [date(2021, 5, 30), date(2000, 1, 1), date(1999, 1, 1)])
def test_accident_before_the_regime_is_out_of_coverage(day):
    """An accident before 31 May 2021 raises OutOfCoverageError citing CLA 2018 / WIR 2021."""
    with pytest.raises(OutOfCoverageError) as info:
        tariff_amount(3, accident_date=day)
    assert "Civil Liability Act 2018" in str(info.value)
    assert "Whiplash Injury Regulations 2021" in str(info.value)
    assert isinstance(info.value, RulesError)


def test_accident_after_the_supported_range_is_out_of_coverage():
    """An accident after 2100-12-31 raises rather than falling back to Table 2."""
    with pytest.raises(OutOfCoverageError, match="2100-12-31"):
        tariff_table(date(2101, 1, 1))


def test_accident_date_must_be_a_date():
    """A string accident date is refused with a type error naming the regime."""
    with pytest.raises(RulesTypeError, match="Whiplash Injury Regulations 2021"):
        tariff_amount(3, accident_date="2024-03-01")  # type: ignore[arg-type]


def test_datetime_accident_date_uses_its_date():
    """A datetime gives its date: 30 May 2025 23:59 is still Table 1."""
    award = tariff_award(3, accident_date=datetime(2025, 5, 30, 23, 59))
    assert award.table.name == "Table 1"
    assert award.accident_date == LAST_T1_DAY


# --- band edges and durations -------------------------------------------------------------


@pytest.mark.parametrize(
    ("duration", "expected"),
    [
        (3, Decimal("240.00")),
        (relativedelta(months=3), Decimal("240.00")),
        (relativedelta(months=3, days=1), Decimal("495.00")),
        (Decimal("3.5"), Decimal("495.00")),
        (Decimal("3.0001"), Decimal("495.00")),
        (relativedelta(years=2), Decimal("4215.00")),
        (24, Decimal("4215.00")),
        (relativedelta(days=1), Decimal("240.00")),
        (relativedelta(weeks=13), Decimal("240.00")),
    ],
)
def test_band_edges_are_not_more_than(duration, expected):
    """Exactly 3 months is band 1; a day more is band 2; exactly 2 years is the last band."""
    assert tariff_amount(duration, accident_date=date(2024, 3, 1)) == expected


def test_days_are_measured_from_the_accident_date():
    """relativedelta(days=92) is compared with the accident date plus 3 months."""
    # 1 March + 92 days = 1 June = 1 March + 3 months: exactly 3 months.
    assert tariff_amount(relativedelta(days=92), accident_date=date(2024, 3, 1)) == 240
    assert tariff_amount(relativedelta(days=93), accident_date=date(2024, 3, 1)) == 495
    # 1 December + 92 days = 3 March, past 1 March = 1 December + 3 months.
    assert tariff_amount(relativedelta(days=92), accident_date=date(2023, 12, 1)) == 495
    assert tariff_amount(relativedelta(days=90), accident_date=date(2023, 12, 1)) == 240


def test_month_end_clamping_is_the_same_on_both_sides():
    """31 Aug + 3 months clamps to 30 Nov: an injury to 30 Nov is 3 months, to 1 Dec is not."""
    accident = date(2024, 8, 31)
    assert accident + relativedelta(months=3) == date(2024, 11, 30)
    assert tariff_amount(relativedelta(months=3), accident_date=accident) == 240
    assert tariff_amount(relativedelta(days=91), accident_date=accident) == 240
    assert tariff_amount(relativedelta(months=2, days=30), accident_date=accident) == 240
    assert tariff_amount(relativedelta(months=2, days=31), accident_date=accident) == 495
    assert tariff_amount(relativedelta(days=92), accident_date=accident) == 495
    award = tariff_award(injury_duration(accident, date(2024, 11, 30)), accident_date=accident)
    assert award.band.not_more_than_months == 3
    assert award.duration_end == date(2024, 11, 30)


def test_leap_day_accident_two_years_is_28_february():
    """29 Feb 2024 + 2 years is 28 Feb 2026 (clamped): in the last band; a day more is not."""
    accident = date(2024, 2, 29)
    assert tariff_amount(relativedelta(years=2), accident_date=accident) == 4215
    assert tariff_amount(injury_duration(accident, date(2026, 2, 28)), accident_date=accident) == (
        4215
    )
    with pytest.raises(RulesError, match=re.escape(S3)):
        tariff_amount(injury_duration(accident, date(2026, 3, 1)), accident_date=accident)


@pytest.mark.parametrize(
    "duration",
    [
        0,
        -1,
        25,
        Decimal(0),
        Decimal("-0.5"),
        Decimal("24.0001"),
        Decimal("NaN"),
        Decimal("Infinity"),
        relativedelta(),
        relativedelta(days=-1),
        relativedelta(months=3, days=-92),
        relativedelta(months=24, days=1),
        relativedelta(years=3),
        relativedelta(years=9000),
        relativedelta(years=-9000),
    ],
)
def test_non_tariff_durations_are_refused_citing_section_3(duration):
    """Zero, negative or over 24 months is not a tariff injury (CLA 2018 s.3)."""
    with pytest.raises(RulesError) as info:
        tariff_amount(duration, accident_date=date(2024, 3, 1))
    assert S3 in str(info.value)
    assert "not a tariff injury" in str(info.value)
    assert info.value.field == "duration"


@pytest.mark.parametrize("duration", [3.0, 3.5, True, False, "3", None, timedelta(days=30)])
def test_wrong_duration_types_are_refused(duration):
    """Floats, bools, strings, None and timedeltas are refused as types, naming s.3."""
    with pytest.raises(RulesTypeError) as info:
        tariff_amount(duration, accident_date=date(2024, 3, 1))
    assert S3 in str(info.value)


@pytest.mark.parametrize(
    "duration",
    [
        relativedelta(month=3),
        relativedelta(day=31, months=2),
        relativedelta(year=2025),
        relativedelta(weekday=MO, months=1),
        relativedelta(months=1, leapdays=1),
        relativedelta(yearday=100),
    ],
)
def test_absolute_relativedelta_fields_are_refused(duration):
    """A relativedelta with absolute fields has no single length and is refused."""
    with pytest.raises(RulesError, match="absolute fields") as info:
        tariff_amount(duration, accident_date=date(2024, 3, 1))
    assert S3 in str(info.value)


@pytest.mark.parametrize(
    "duration",
    [relativedelta(months=3, hours=1), relativedelta(days=1.5), relativedelta(minutes=5),
     relativedelta(months=1, seconds=1), relativedelta(microseconds=1), relativedelta(hour=2)],
)  # fmt: skip
def test_sub_day_relativedelta_parts_are_refused(duration):
    """Hours, minutes, seconds and fractional days are refused: the tariff counts days."""
    with pytest.raises(RulesError) as info:
        tariff_amount(duration, accident_date=date(2024, 3, 1))
    assert S3 in str(info.value)


# --- columns and uplift -------------------------------------------------------------------


def test_psychological_selects_reg_2_1_b():
    """psychological=True uses the reg 2(1)(b) column and says so."""
    award = tariff_award(7, accident_date=date(2024, 3, 1), psychological=True)
    assert award.base_amount == Decimal("895.00")
    assert "reg 2(1)(b)" in award.regulation
    assert "reg 2(1)(a)" in tariff_award(7, accident_date=date(2024, 3, 1)).regulation


@pytest.mark.parametrize("flag", [1, 0, "yes", None])
def test_psychological_must_be_a_bool(flag):
    """psychological must be True or False, naming reg 2(1)."""
    with pytest.raises(RulesTypeError, match=r"reg 2\(1\)"):
        tariff_amount(3, accident_date=date(2024, 3, 1), psychological=flag)


@pytest.mark.parametrize(
    ("pct", "base", "expected"),
    [
        (0, 840, "840.00"),
        (20, 840, "1008.00"),
        ("12.5", 1595, "1794.38"),  # 199.375 rounds half-up
        (Decimal("0.01"), 240, "240.02"),  # 0.024 rounds to 0.02
        (Decimal("0.21"), 240, "240.50"),  # 0.504 rounds to 0.50
        (Decimal("10.00"), 4975, "5472.50"),
    ],
)
def test_uplift_is_rounded_half_up_to_the_penny(pct, base, expected):
    """The uplifted amount is round_penny(base * (100 + pct) / 100)."""
    day = date(2025, 6, 1) if base in {1595, 4975} else date(2024, 3, 1)
    months = {840: 7, 240: 1, 1595: 12, 4975: 24}[base]
    award = tariff_award(
        months, accident_date=day, psychological=base in {1595, 4975}, uplift_percent=pct
    )
    assert award.base_amount == base
    assert award.amount == Decimal(expected)
    assert award.uplift_amount == award.amount - award.base_amount


@pytest.mark.parametrize(
    ("pct", "error"),
    [(21, RulesError), ("20.01", RulesError), (-1, RulesError), ("-0.01", RulesError),
     ("10.001", RulesError), ("ten", RulesError), (True, RulesTypeError),
     (None, RulesTypeError), (float("nan"), RulesError)],
)  # fmt: skip
def test_uplift_outside_0_to_20_is_refused_citing_reg_3_3(pct, error):
    """An uplift below 0, above 20 or not a percentage raises, citing reg 3(3)."""
    with pytest.raises(error) as info:
        tariff_amount(7, accident_date=date(2024, 3, 1), uplift_percent=pct)
    assert REG_3_3 in str(info.value)
    assert info.value.field == "uplift_percent"


def test_uplift_of_exactly_20_is_allowed():
    """20% is the maximum and is allowed (reg 3(3): not more than 20%)."""
    assert tariff_amount(24, accident_date=date(2024, 3, 1), uplift_percent=20) == Decimal(
        "5058.00"
    )


# --- injury_duration ----------------------------------------------------------------------


def test_injury_duration_examples():
    """Durations from dates, including a same-day recovery (zero, which the tariff refuses)."""
    assert injury_duration(date(2024, 1, 31), date(2024, 4, 30)) == relativedelta(months=3)
    assert injury_duration(date(2024, 3, 1), date(2024, 3, 1)) == relativedelta()
    with pytest.raises(RulesError, match=re.escape(S3)):
        tariff_amount(injury_duration(date(2024, 3, 1), date(2024, 3, 1)),
                      accident_date=date(2024, 3, 1))  # fmt: skip


def test_injury_duration_refuses_recovery_before_onset():
    """Recovery before onset raises, naming the rule."""
    with pytest.raises(RulesError, match=r"guide 4\.4\.1") as info:
        injury_duration(date(2024, 3, 2), date(2024, 3, 1))
    assert info.value.field == "recovery"


@pytest.mark.parametrize(("onset", "recovery"), [("2024-03-01", date(2024, 6, 1)),
                                                 (date(2024, 3, 1), 20240601)])  # fmt: skip
def test_injury_duration_refuses_non_dates(onset, recovery):
    """Onset and recovery must be dates."""
    with pytest.raises(RulesTypeError, match=r"guide 4\.4\.1"):
        injury_duration(onset, recovery)


# --- results ------------------------------------------------------------------------------


def test_award_explains_itself():
    """The award renders as text and HTML and converts to JSON-ready data with references."""
    award = tariff_award(
        relativedelta(months=7, days=3), accident_date=date(2025, 8, 1), uplift_percent=5
    )
    text = str(award)
    assert "Table 2" in text
    assert "More than 6 months, but not more than 9 months" in text
    assert "7 months, 3 days from the accident, to 2026-03-04" in text
    assert "£1,013.25" in text
    html = award._repr_html_()
    assert html.startswith('<p role="status"')
    assert "Table 2" in html
    data = json.loads(json.dumps(award.to_dict()))
    assert data["amount"] == "1013.25"
    assert data["base_amount"] == "965.00"
    assert data["uplift_amount"] == "48.25"
    assert data["duration"] == {"years": 0, "months": 7, "days": 3}
    assert data["duration_end"] == "2026-03-04"
    assert data["table"] == "Table 2"
    assert "[U]" in data["table_reference"]
    assert REG_3_3 in data["uplift_reference"]


def test_award_to_dict_for_months():
    """A month-number duration is reported as months with no end date."""
    data = tariff_award(Decimal("3.5"), accident_date=date(2024, 3, 1)).to_dict()
    assert data["duration"] == {"months": "3.5"}
    assert data["duration_end"] is None
    assert data["duration_text"] == "3.5 months"


def test_award_is_frozen():
    """Awards are immutable."""
    award = tariff_award(3, accident_date=date(2024, 3, 1))
    assert isinstance(award, TariffAward)
    with pytest.raises(AttributeError):
        award.amount = Decimal(1)  # type: ignore[misc]


def test_band_for_months_refuses_out_of_range():
    """TariffTable.band_for_months refuses 0 and over 24 months, citing s.3."""
    with pytest.raises(RulesError, match=re.escape(S3)):
        TARIFF_TABLES[0].band_for_months(Decimal(0))
    with pytest.raises(RulesError, match=re.escape(S3)):
        TARIFF_TABLES[0].band_for_months(Decimal(MAX_TARIFF_MONTHS + 1))


GUIDE_LABELS = [
    "Not more than 3 months",
    "More than 3 months, but not more than 6 months",
    "More than 6 months, but not more than 9 months",
    "More than 9 months, but not more than 12 months",
    "More than 12 months, but not more than 15 months",
    "More than 15 months, but not more than 18 months",
    "More than 18 months, but not more than 24 months",
]


def test_band_labels_are_the_guide_wording():
    """Each row's label is the guide's Tariff page wording, character for character."""
    for table in TARIFF_TABLES:
        assert [b.label for b in table.bands] == GUIDE_LABELS


@pytest.mark.parametrize(
    ("months", "error"),
    [(3.5, RulesTypeError), (True, RulesTypeError), ("3", RulesTypeError),
     (Decimal("NaN"), RulesError), (Decimal("-0"), RulesError)],
)  # fmt: skip
def test_band_for_months_checks_its_input(months, error):
    """band_for_months refuses what tariff_award refuses, never a raw TypeError/InvalidOperation."""
    with pytest.raises(error, match=re.escape(S3)):
        TARIFF_TABLES[0].band_for_months(months)


def test_band_for_months_takes_an_int():
    """A whole number of months is accepted as an int."""
    assert TARIFF_TABLES[1].band_for_months(24).whiplash == Decimal("4830.00")


def test_applies_to_checks_its_input():
    """applies_to takes a date or datetime; a string raises RulesTypeError, not TypeError."""
    assert TARIFF_TABLES[0].applies_to(datetime(2025, 5, 30, 23, 59))
    assert not TARIFF_TABLES[0].applies_to(datetime(2025, 5, 31, 0, 0))
    with pytest.raises(RulesTypeError, match="Whiplash Injury Regulations 2021"):
        TARIFF_TABLES[0].applies_to("2024-01-01")  # type: ignore[arg-type]


def test_award_keeps_its_own_copy_of_a_relativedelta():
    """Changing the caller's relativedelta afterwards does not change a frozen award."""
    duration = relativedelta(months=3)
    award = tariff_award(duration, accident_date=date(2024, 3, 1))
    duration.months = 20
    assert award.duration == relativedelta(months=3)
    assert award.to_dict()["duration"] == {"years": 0, "months": 3, "days": 0}


def test_months_in_exponent_form_are_written_plainly():
    """Decimal("1E+1") months is reported as 10 months, not "1E+1"."""
    award = tariff_award(Decimal("1E+1"), accident_date=date(2024, 3, 1))
    assert award.to_dict()["duration"] == {"months": "10"}
    assert "10 months" in str(award)
    assert award.base_amount == Decimal("1320.00")


def test_all_is_sorted_and_complete():
    """__all__ is in ruff's order (constants, classes, functions) and every name in it exists."""
    assert tariff_module.__all__ == sorted(tariff_module.__all__, key=_ruff_order)
    for name in tariff_module.__all__:
        assert hasattr(tariff_module, name)


# --- properties ---------------------------------------------------------------------------


@given(tariff_dates, months_in_range, months_in_range, st.booleans())
def test_amount_never_decreases_as_duration_grows(day, a, b, psych):
    """A longer injury never gets less."""
    short, long_ = sorted([a, b])
    assert tariff_amount(short, accident_date=day, psychological=psych) <= tariff_amount(
        long_, accident_date=day, psychological=psych
    )


def _amount_or_none(duration: relativedelta, day: date) -> Decimal | None:
    try:
        return tariff_amount(duration, accident_date=day)
    except RulesError:
        return None


@given(tariff_dates, st.integers(1, 800), st.integers(1, 800))
def test_amount_never_decreases_as_days_grow(day, a, b):
    """The same holds for durations in days measured from the accident date."""
    short, long_ = sorted([a, b])
    amounts = [_amount_or_none(relativedelta(days=n), day) for n in (short, long_)]
    if amounts[0] is None:
        assert amounts[1] is None  # once past 24 months, longer stays past
    elif amounts[1] is not None:
        assert amounts[0] <= amounts[1]


@given(tariff_dates, months_in_range)
def test_psychological_column_is_never_below_plain(day, months):
    """reg 2(1)(b) is never below reg 2(1)(a)."""
    plain = tariff_amount(months, accident_date=day)
    assert tariff_amount(months, accident_date=day, psychological=True) >= plain


@given(tariff_dates, months_in_range, percents(high=20), st.booleans())
def test_uplift_never_exceeds_20_percent_and_never_lowers(day, months, pct, psych):
    """base <= uplifted <= 1.2 * base, and the amount is the half-up rounded product."""
    award = tariff_award(months, accident_date=day, psychological=psych, uplift_percent=pct)
    assert award.base_amount <= award.amount <= award.base_amount * Decimal("1.2")
    assert award.amount == round_penny(award.base_amount * (100 + pct) / 100)


@given(tariff_dates, st.integers(1, 24))
def test_whole_months_agree_with_relativedelta_months(day, months):
    """``n`` months and ``relativedelta(months=n)`` always land in the same band."""
    assert tariff_amount(months, accident_date=day) == tariff_amount(
        relativedelta(months=months), accident_date=day
    )


@given(
    st.dates(min_value=TARIFF_START, max_value=date(2098, 12, 31)),
    st.integers(min_value=1, max_value=800),
)
def test_duration_from_dates_matches_the_band_definition(accident, days):
    """injury_duration round-trips, and the band is the first edge the recovery date is within."""
    recovery = accident + timedelta(days=days)
    rd = injury_duration(accident, recovery)
    assert accident + rd == recovery
    edges = [e for e in (3, 6, 9, 12, 15, 18, 24) if recovery <= accident + relativedelta(months=e)]
    if not edges:
        with pytest.raises(RulesError, match=re.escape(S3)):
            tariff_award(rd, accident_date=accident)
    else:
        award = tariff_award(rd, accident_date=accident)
        assert award.band.not_more_than_months == edges[0]
        assert tariff_award(relativedelta(days=days), accident_date=accident).band == award.band


def _ruff_order(name: str) -> tuple[int, str]:
    """Ruff's isort-style __all__ order: CONSTANTS, then Classes, then functions."""
    kind = 0 if name.isupper() else (1 if name[0].isupper() else 2)
    return (kind, name)


# -- failure to mitigate (CLA 2018 s.3(1)(b)(ii)) ------------------------------------------


@pytest.mark.parametrize(
    "duration", [25, Decimal("24.01"), 60, relativedelta(years=2, days=1), relativedelta(years=5)]
)
def test_failure_to_mitigate_values_at_the_18_to_24_month_row(duration):
    """Over two years only for a failure to mitigate is still a tariff injury (s.3(1)(b)(ii))."""
    award = tariff_award(duration, accident_date=date(2024, 3, 1), failed_to_mitigate=True)
    assert award.band.label == "More than 18 months, but not more than 24 months"
    assert award.amount == Decimal("4215.00")
    assert award.mitigation_applied
    assert award.to_dict()["mitigation_applied"] is True
    assert "s.3(1)(b)(ii)" in str(award)
    psych = tariff_amount(
        duration, accident_date=date(2025, 6, 1), psychological=True, failed_to_mitigate=True
    )
    assert psych == Decimal("4975.00")


def test_without_the_mitigation_fact_over_24_months_is_still_refused():
    with pytest.raises(RulesError, match="not a tariff injury"):
        tariff_award(25, accident_date=date(2024, 3, 1))
    with pytest.raises(RulesError, match="not a tariff injury"):
        tariff_award(0, accident_date=date(2024, 3, 1), failed_to_mitigate=True)
    with pytest.raises(RulesTypeError):
        tariff_award(25, accident_date=date(2024, 3, 1), failed_to_mitigate=1)


@given(st.integers(1, 24))
def test_mitigation_changes_nothing_within_two_years(months):
    when = date(2024, 3, 1)
    plain = tariff_award(months, accident_date=when)
    marked = tariff_award(months, accident_date=when, failed_to_mitigate=True)
    assert marked.amount == plain.amount
    assert not marked.mitigation_applied


def test_tariff_table_is_the_guide_table():
    """The table view prints the guide's rows and both columns, with its source."""
    text = str(TARIFF_TABLES[0])
    assert "Not more than 3 months" in text
    assert "£240.00" in text
    assert "£260.00" in text
    assert text.endswith(
        "Source: Whiplash Injury Regulations 2021 (SI 2021/642), reg 2 as made [P]"
    )
    data = TARIFF_TABLES[0].to_dict()
    assert data["applies_until"] == "2025-05-31"
    assert len(data["bands"]) == 7


def test_comparison_differences_are_second_less_first():
    """Each difference is Table 2 less Table 1, in both columns, for every band."""
    comparison = compare_tariff_tables()
    diffs = comparison.to_dict()["differences"]
    for band1, band2, diff in zip(
        TARIFF_TABLES[0].bands, TARIFF_TABLES[1].bands, diffs, strict=True
    ):
        assert Decimal(diff["whiplash"]) == band2.whiplash - band1.whiplash
        assert (
            Decimal(diff["whiplash_with_psych"])
            == band2.whiplash_with_psych - band1.whiplash_with_psych
        )
    reverse = compare_tariff_tables(TARIFF_TABLES[1], TARIFF_TABLES[0])
    assert reverse.to_dict()["differences"][0]["whiplash"] == "-35.00"
    assert "-£35.00" in str(reverse)


def test_comparison_refuses_what_is_not_a_table():
    """Each argument must be a TariffTable; tables with different bands cannot be compared."""
    with pytest.raises(RulesTypeError) as info:
        compare_tariff_tables("Table 1")  # type: ignore[arg-type]
    assert info.value.field == "first"
    odd = attrs.evolve(TARIFF_TABLES[1], bands=TARIFF_TABLES[1].bands[:-1])
    with pytest.raises(RulesError, match="different bands") as info2:
        compare_tariff_tables(TARIFF_TABLES[0], odd)
    assert info2.value.field == "second"


def test_comparison_html_links_both_sources():
    """The HTML comparison names both tables with UK dates and links the 2021 regulations."""
    markup = compare_tariff_tables()._repr_html_()
    assert "31 May 2025" in markup
    assert ">Difference (a)</th>" in markup


# --- what-if scenarios: tariff_table="2021" | "2025" | None -------------------------------


@given(
    st.integers(min_value=1, max_value=MAX_TARIFF_MONTHS),
    tariff_dates,
    st.booleans(),
    percents(20),
)
def test_what_if_none_never_changes_a_default_result(months, accident, psych, uplift):
    """tariff_table=None is the law: the same award, field for field, as no argument."""
    default = tariff_award(
        months, accident_date=accident, psychological=psych, uplift_percent=uplift
    )
    explicit = tariff_award(
        months,
        accident_date=accident,
        psychological=psych,
        uplift_percent=uplift,
        tariff_table=None,
    )
    assert explicit == default
    assert explicit.to_dict() == default.to_dict()
    assert not default.table_by_scenario
    assert default.to_dict()["scenario"] is None


@given(
    st.integers(min_value=1, max_value=MAX_TARIFF_MONTHS),
    tariff_dates,
    st.booleans(),
    st.sampled_from(["2021", "2025"]),
)
def test_what_if_uses_the_named_table_whatever_the_date(months, accident, psych, scenario):
    """A scenario values by Table 1 ("2021") or Table 2 ("2025"), typed in again here."""
    award = tariff_award(months, accident_date=accident, psychological=psych, tariff_table=scenario)
    table = TABLE_1 if scenario == "2021" else TABLE_2
    row = next(i for i, (_, top) in enumerate(EDGES) if months <= top)
    assert award.amount == Decimal(table[row][int(psych)])
    assert award.table.name == ("Table 1" if scenario == "2021" else "Table 2")
    assert award.table_by_scenario
    assert award.scenario == scenario
    amount = tariff_amount(
        months, accident_date=accident, psychological=psych, tariff_table=scenario
    )
    assert amount == award.amount
    # When the scenario names the date's own table, only the flag differs.
    law = tariff_award(months, accident_date=accident, psychological=psych)
    if law.table == award.table:
        assert attrs_evolve_scenario(law, scenario) == award


def attrs_evolve_scenario(award: TariffAward, scenario: str) -> TariffAward:
    import attrs

    return attrs.evolve(award, scenario=scenario)


def test_what_if_says_so_in_text_and_json():
    """The award never passes off a scenario as the law for its date."""
    award = tariff_award(3, accident_date=date(2024, 3, 1), tariff_table="2025")
    text = str(award)
    assert "what-if scenario tariff_table='2025', not the law for this accident date" in text
    assert "does not select the table: a what-if scenario does" in text
    data = json.loads(json.dumps(award.to_dict()))
    assert data["table_by_scenario"] is True
    assert data["scenario"] == "2025"
    assert data["table"] == "Table 2"
    assert "not the law for the accident date" in data["scenario_reference"]
    assert data["amount"] == "275.00"
    law = tariff_award(3, accident_date=date(2024, 3, 1)).to_dict()
    assert law["table_by_scenario"] is False
    assert law["scenario_reference"] is None


@pytest.mark.parametrize(
    ("scenario", "kind", "words"),
    [
        ("2023", RulesError, "the choices are '2021', '2025', a TariffTable or None"),
        ("Table 1", RulesError, "the choices are '2021', '2025', a TariffTable or None"),
        ("", RulesError, "the choices are '2021', '2025', a TariffTable or None"),
        (2021, RulesTypeError, "expected '2021', '2025', a TariffTable or None"),
        (True, RulesTypeError, "expected '2021', '2025', a TariffTable or None"),
        (TARIFF_TABLES[0].to_dict(), RulesTypeError, "not dict"),
    ],
)
def test_what_if_refuses_unknown_scenarios_naming_the_choices(scenario, kind, words):
    """A tariff_table= that is not '2021', '2025', a TariffTable or None is refused, naming
    the choices (WIR 2021 reg 2: the law chooses by accident date; anything else is a
    what-if the caller must name exactly)."""
    with pytest.raises(kind, match=re.escape(words)) as info:
        tariff_award(3, accident_date=date(2024, 3, 1), tariff_table=scenario)
    assert info.value.field == "tariff_table"
    assert "not the law for the accident date" in info.value.reference
    with pytest.raises(kind):
        tariff_amount(3, accident_date=date(2024, 3, 1), tariff_table=scenario)


def test_what_if_still_refuses_accidents_outside_the_regime():
    """No table applies to an accident before 31 May 2021, in any scenario."""
    with pytest.raises(OutOfCoverageError):
        tariff_award(3, accident_date=date(2021, 5, 30), tariff_table="2021")
    with pytest.raises(OutOfCoverageError):
        tariff_award(3, accident_date=date(2101, 1, 1), tariff_table="2025")


# --- issue 16: the fast path agrees with tariff_award ------------------------------------


class _Int(int):
    """An int subclass: accepted, but never on the whole-months fast path."""


@given(
    months=st.integers(min_value=-2, max_value=30),
    accident=st.dates(min_value=date(2021, 5, 1), max_value=date(2101, 1, 31)),
    psychological=st.booleans(),
    mitigated=st.booleans(),
    uplift=st.one_of(percents(high=25), st.integers(min_value=-1, max_value=21)),
)
def test_tariff_amount_fast_path_agrees_with_tariff_award(
    months, accident, psychological, mitigated, uplift
):
    """Whole months and a plain date (fast) against an int subclass and tariff_award."""

    def outcome(fn, duration):
        try:
            result = fn(
                duration,
                accident_date=accident,
                psychological=psychological,
                uplift_percent=uplift,
                failed_to_mitigate=mitigated,
            )
        except RulesError as err:
            return (type(err), str(err))
        return result if isinstance(result, Decimal) else result.amount

    fast = outcome(tariff_amount, months)
    assert fast == outcome(tariff_amount, _Int(months)) == outcome(tariff_award, months)
    if isinstance(fast, Decimal):
        assert fast.as_tuple() == outcome(tariff_award, months).as_tuple()


# --- rules the mutation run (issue 17, docs/testing.md) showed were not pinned -------------

_ACC = date(2024, 3, 1)
_DURATION_REF = tariff_module.DURATION_REFERENCE


@pytest.mark.parametrize(
    ("call", "error", "field", "value", "message"),
    [
        (lambda: tariff_table("2024-03-01"), RulesTypeError, "accident_date", "2024-03-01",
         "expected a datetime.date"),
        (lambda: TARIFF_TABLES[0].applies_to("2024-03-01"), RulesTypeError, "accident_date",
         "2024-03-01", "expected a datetime.date"),
        (lambda: tariff_table(date(2101, 1, 1)), OutOfCoverageError, "accident_date",
         date(2101, 1, 1), "accident is after the last date rtaprotocol's tariff tables cover"),
        (lambda: tariff_award(3, accident_date=_ACC, psychological="yes"), RulesTypeError,
         "psychological", "yes", "expected"),
        (lambda: tariff_award(3, accident_date=_ACC, failed_to_mitigate=1), RulesTypeError,
         "failed_to_mitigate", 1, "expected"),
        (lambda: tariff_award(relativedelta(month=3), accident_date=_ACC), RulesError, "duration",
         relativedelta(month=3), ("a duration must be relative years, months and days only "
         "(absolute fields such as month make its length ambiguous)")),
        (lambda: tariff_award(relativedelta(leapdays=1), accident_date=_ACC), RulesError,
         "duration", relativedelta(leapdays=1), ("a duration must be relative years, months and "
         "days only (absolute fields such as leapdays make its length ambiguous)")),
        (lambda: tariff_award(relativedelta(hours=5), accident_date=_ACC), RulesError, "duration",
         relativedelta(hours=5), "a duration must be whole days: hours, minutes and seconds"),
        (lambda: tariff_award(relativedelta(years=9000), accident_date=_ACC), RulesError,
         "duration", relativedelta(years=9000), "not a tariff injury"),
        (lambda: tariff_award(relativedelta(days=-1), accident_date=_ACC), RulesError,
         "duration", relativedelta(days=-1), "not a tariff injury"),
        (lambda: tariff_award(10**6, accident_date=_ACC, failed_to_mitigate=True), RulesError,
         "duration", 10**6, "not a tariff injury"),
        (lambda: tariff_award("3", accident_date=_ACC), RulesTypeError, "duration", "3",
         "a duration must be an int or Decimal number of months or a relativedelta, not str"),
        (lambda: injury_duration("2024-01-01", _ACC), RulesTypeError, "onset", "2024-01-01",
         "expected a datetime.date"),
        (lambda: injury_duration(_ACC, "2024-01-01"), RulesTypeError, "recovery", "2024-01-01",
         "expected a datetime.date"),
    ],
)  # fmt: skip
def test_each_refusal_names_the_field_the_value_and_the_rule(call, error, field, value, message):
    with pytest.raises(error) as caught:
        call()
    assert type(caught.value) is error
    assert caught.value.field == field
    assert caught.value.value == value
    assert caught.value.message.startswith(message)
    assert caught.value.reference


def test_an_ambiguous_duration_names_every_absolute_field() -> None:
    with pytest.raises(RulesError) as caught:
        tariff_award(relativedelta(month=3, day=1, months=2), accident_date=_ACC)
    assert "absolute fields such as month, day make its length ambiguous" in caught.value.message


def test_a_nan_duration_is_refused_quoting_the_nan() -> None:
    with pytest.raises(RulesError) as caught:
        tariff_award(Decimal("NaN"), accident_date=_ACC)
    assert caught.value.field == "duration"
    assert caught.value.value.is_nan()
    assert caught.value.reference == _DURATION_REF


def test_a_million_months_is_refused_even_for_failure_to_mitigate() -> None:
    # The order-of-magnitude guard is a refusal, not a route into the mitigation row.
    for months in (10**6, Decimal("1E+6"), 10**7):
        with pytest.raises(RulesError, match="not a tariff injury"):
            tariff_award(months, accident_date=_ACC, failed_to_mitigate=True)
    assert tariff_award(99_999, accident_date=_ACC, failed_to_mitigate=True).amount == Decimal(
        "4215.00"
    )


def test_exactly_two_years_is_in_the_tariff_and_is_not_a_mitigation_case() -> None:
    # CLA 2018 s.3(1)(b)(ii) applies only to an injury lasting MORE than two years.
    for duration in (relativedelta(years=2), relativedelta(months=24), 24, Decimal(24)):
        award = tariff_award(duration, accident_date=_ACC, failed_to_mitigate=True)
        assert award.failed_to_mitigate is True
        assert award.mitigation_applied is False
        assert "CLA 2018 s.3(1)(b)(ii)" not in str(award)
    over = tariff_award(relativedelta(years=2, days=1), accident_date=_ACC, failed_to_mitigate=True)
    assert over.mitigation_applied is True
    assert "CLA 2018 s.3(1)(b)(ii): over 2 years only for failure to mitigate" in str(over)
    assert over.to_dict()["mitigation_applied"] is True


def test_a_relativedelta_award_keeps_the_duration_received() -> None:
    duration = relativedelta(years=1, months=2, days=3)
    award = tariff_award(duration, accident_date=_ACC)
    assert award.duration == duration
    assert award.to_dict()["duration"] == {"years": 1, "months": 2, "days": 3}
    assert award.to_dict()["duration_text"] == "1 year, 2 months, 3 days"
    assert "1 year, 2 months, 3 days from the accident, to 2025-05-04" in str(award)
    assert (
        tariff_award(relativedelta(years=1, months=1, days=1), accident_date=_ACC).to_dict()[
            "duration_text"
        ]
        == "1 year, 1 month, 1 day"
    )


def test_duration_text_is_the_canonical_months() -> None:
    award = tariff_award(Decimal("3.50"), accident_date=_ACC)
    assert award.to_dict()["duration"] == {"months": "3.5"}
    assert award.to_dict()["duration_text"] == "3.5 months"


def test_to_dict_states_every_figure_and_source() -> None:
    award = tariff_award(
        relativedelta(months=30),
        accident_date=date(2025, 6, 2),
        psychological=True,
        uplift_percent=10,
        failed_to_mitigate=True,
    )
    expected = {
        "accident_date": "2025-06-02",
        "duration": {"years": 2, "months": 6, "days": 0},
        "duration_text": "2 years, 6 months",
        "duration_end": "2027-12-02",
        "table": "Table 2",
        "table_reference": TARIFF_TABLES[1].reference,
        "applies_from": "2025-05-31",
        "applies_until": None,
        "band": "More than 18 months, but not more than 24 months",
        "band_more_than_months": 18,
        "band_not_more_than_months": 24,
        "psychological": True,
        "column": "whiplash with minor psychological injury (reg 2(1)(b))",
        "regulation": "Whiplash Injury Regulations 2021 as amended in 2025, reg 2(1)(b), Table 2",
        "base_amount": "4975.00",
        "uplift_percent": "10.00",
        "uplift_reference": tariff_module.UPLIFT_REFERENCE,
        "uplift_amount": "497.50",
        "amount": "5472.50",
        "duration_reference": _DURATION_REF,
        "failed_to_mitigate": True,
        "mitigation_applied": True,
        "mitigation_reference": tariff_module.MITIGATION_REFERENCE,
    }
    assert views.subset(award.to_dict(), expected) == expected
    plain = tariff_award(3, accident_date=_ACC).to_dict()
    assert plain["column"] == "whiplash only (reg 2(1)(a))"
    assert plain["applies_from"] == "2021-05-31"
    assert plain["applies_until"] == "2025-05-31"
    assert plain["failed_to_mitigate"] is False


def test_the_defaults_are_no_psych_no_uplift_and_no_mitigation() -> None:
    award = tariff_award(3, accident_date=_ACC)
    assert (award.psychological, award.uplift_percent, award.failed_to_mitigate) == (
        False,
        Decimal(0),
        False,
    )
    assert award.amount == tariff_amount(3, accident_date=_ACC) == Decimal("240.00")


def test_the_last_supported_accident_day_has_a_table():
    assert tariff_table(date(2100, 12, 31)).name == "Table 2"
    assert tariff_amount(3, accident_date=date(2100, 12, 31)) == Decimal("275.00")


# --- issue 17, second run: the band edges day by day, the fast path, every refusal ---------

#: Each row of reg 2's table ("not more than N months"), for Table 1 (reg 2 as made) and
#: Table 2 (as amended in 2025): the last day of the band and the first day of the next.
_ROWS = [(low, high, i) for i, (low, high) in enumerate(EDGES)]


@pytest.mark.parametrize(
    ("accident", "table"),
    [(date(2024, 3, 1), TABLE_1), (date(2025, 8, 31), TABLE_2)],
    ids=["reg 2 as made (Table 1)", "reg 2 as amended 2025 (Table 2)"],
)
@pytest.mark.parametrize(("low", "high", "row"), _ROWS, ids=[f"row {i + 1}" for i in range(7)])
def test_reg_2_last_day_of_each_band_and_first_day_of_the_next(accident, table, low, high, row):
    """Whiplash Injury Regulations 2021 reg 2: each band is "not more than N months".

    Recovery on the day N months after the accident (month-end clamped, as
    ``accident + relativedelta(months=N)``) is the band's last day; the next day is the next
    band's first, or, after 24 months, no tariff injury (CLA 2018 s.3).
    """
    last_day = accident + relativedelta(months=high)
    first_day = last_day + timedelta(days=1)
    for psych in (False, True):
        on_last = tariff_award(
            injury_duration(accident, last_day), accident_date=accident, psychological=psych
        )
        assert on_last.band.not_more_than_months == high
        assert on_last.amount == table[row][psych]
        if high == MAX_TARIFF_MONTHS:
            with pytest.raises(RulesError, match=re.escape(S3)):
                tariff_award(injury_duration(accident, first_day), accident_date=accident)
            continue
        after = tariff_award(
            injury_duration(accident, first_day), accident_date=accident, psychological=psych
        )
        assert after.band.more_than_months == high
        assert after.amount == table[row + 1][psych]
    # The first day of this band (a day past the previous edge) is this band's.
    if low:
        first_of_band = injury_duration(accident, accident + relativedelta(months=low, days=1))
        assert tariff_award(first_of_band, accident_date=accident).band.more_than_months == low


#: Accident dates at the ends of each table's period and of the supported range.
_FAST_DATES = [TARIFF_START, LAST_T1_DAY, FIRST_T2_DAY, tariff_module.LAST_SUPPORTED_DATE]
#: Uplifts at the ends of reg 3(3)'s 0 to 20 percent, as ints and two-place Decimals.
_FAST_UPLIFTS = [0, 1, 7, 19, 20, Decimal(0), Decimal("0.00"), Decimal("0.01"),
                 Decimal("12.5"), Decimal("19.99"), Decimal(20), Decimal("20.00")]  # fmt: skip


def test_the_fast_path_answers_every_plain_input_as_tariff_award_does():
    """Issue 16: whole months 1 to 24, a plain date from 31 May 2021 to the supported end,
    plain bools and an uplift of 0 to 20 (int, or Decimal of at most two places) are
    answered by the context-free fast path (never handed back to the general path), with
    the figure :func:`tariff_award` gives (reg 2 tables, reg 3(3) uplift, half-up)."""
    fast = tariff_module._tariff_amount_fast
    for accident, months, psych, uplift in itertools.product(
        _FAST_DATES, range(1, MAX_TARIFF_MONTHS + 1), (False, True), _FAST_UPLIFTS
    ):
        for mitigated in (False, True):
            kwargs = {
                "accident_date": accident,
                "psychological": psych,
                "uplift_percent": uplift,
                "failed_to_mitigate": mitigated,
            }
            got = fast(months, **kwargs)
            expected = tariff_award(months, **kwargs).amount
            assert got is not None, (months, kwargs)
            assert got == expected, (months, kwargs)
            assert got.as_tuple() == expected.as_tuple(), (months, kwargs)


@pytest.mark.parametrize(
    ("duration", "changes"),
    [
        (0, {}),
        (25, {}),
        (_Int(3), {}),
        (Decimal(3), {}),
        (3, {"accident_date": datetime(2024, 3, 1, 12)}),
        (3, {"accident_date": date(2021, 5, 30)}),
        (3, {"accident_date": date(2101, 1, 1)}),
        (3, {"psychological": 1}),
        (3, {"failed_to_mitigate": 0}),
        (3, {"tariff_table": "2025"}),
        (3, {"uplift_percent": 21}),
        (3, {"uplift_percent": -1}),
        (3, {"uplift_percent": Decimal("20.01")}),
        (3, {"uplift_percent": Decimal("12.345")}),
        (3, {"uplift_percent": Decimal("NaN")}),
        (3, {"uplift_percent": "12.5"}),
        (3, {"uplift_percent": True}),
    ],
)
def test_the_fast_path_hands_everything_else_to_the_general_path(duration, changes):
    """Anything but plain whole months, dates, bools and uplifts: None (tariff_award decides)."""
    kwargs = {"accident_date": date(2024, 3, 1), **changes}
    assert tariff_module._tariff_amount_fast(duration, **kwargs) is None


@pytest.mark.parametrize("uplift", [10, Decimal("12.5"), Decimal("19.99")])
@pytest.mark.parametrize("months", [1, 13, 24])
def test_the_fast_path_reads_no_caller_context(uplift, months):
    """Precision 1, rounding down, every signal trapped: the same figure (reg 3(3), half-up)."""
    expected = tariff_award(months, accident_date=FIRST_T2_DAY, uplift_percent=uplift).amount
    harsh = decimal.Context(
        prec=1,
        rounding=decimal.ROUND_DOWN,
        traps=[decimal.Inexact, decimal.Rounded, decimal.InvalidOperation, decimal.Overflow],
        Emax=9,
        Emin=-9,
    )
    with decimal.localcontext(harsh):
        got = tariff_amount(months, accident_date=FIRST_T2_DAY, uplift_percent=uplift)
    assert got == expected
    assert got.as_tuple() == expected.as_tuple()


def test_an_uplift_of_more_than_two_places_is_refused_on_every_path():
    """reg 3(3) uplift in percent to two places: 12.345 is refused, never truncated to 12.34."""
    with pytest.raises(RulesError) as caught:
        tariff_amount(3, accident_date=date(2024, 3, 1), uplift_percent=Decimal("12.345"))
    assert caught.value.field == "uplift_percent"


def test_a_comparison_never_drops_a_band_silently():
    """A comparison built directly from tables of different bands refuses to render."""
    short = attrs.evolve(TARIFF_TABLES[1], bands=TARIFF_TABLES[1].bands[:-1])
    comparison = tariff_module.TariffComparison(first=TARIFF_TABLES[0], second=short)
    with pytest.raises(ValueError, match="zip"):
        str(comparison)


_D = date(2024, 3, 1)
#: A valid what-if table's rows: Table 1's edges, flat-ish amounts.
_ROWS = [
    {"more_than_months": a, "not_more_than_months": b, "whiplash": f"{100 * (i + 1)}",
     "whiplash_with_psych": f"{100 * (i + 1) + 50}"}
    for i, (a, b) in enumerate(EDGES)
]  # fmt: skip


def _with(i: int, **cells: object) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = [dict(r) for r in _ROWS]
    rows[i].update(cells)
    return rows


def _without(i: int, key: str) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = [dict(r) for r in _ROWS]
    del rows[i][key]
    return rows


#: One invalid table per rule of check_tariff_table (issue 26: each refusal typed, with
#: the cell and the rule).
_BAD_TABLES = {
    "negative amount": _with(0, whiplash="-1"),
    "fractional penny": _with(2, whiplash_with_psych="350.005"),
    "out of order in duration": _with(3, whiplash="250"),
    "out of order in uplift (psych below whiplash only)": _with(1, whiplash_with_psych="199.99"),
    "a gap between bands": _with(2, more_than_months=7),
    "an overlap between bands": _with(2, more_than_months=5),
    "a missing cell (key absent)": _without(4, "whiplash"),
    "a missing cell (empty)": _with(5, whiplash_with_psych=""),
    "a missing cell (NaN)": _with(6, whiplash=float("nan")),
    "a missing cell (None)": _with(0, not_more_than_months=None),
    "not starting at 0 months": _with(0, more_than_months=1),
    "stopping short of 24 months": _ROWS[:-1],
    "running past 24 months": _with(6, not_more_than_months=25),
    "a band ending where it starts": [
        *_ROWS[:6],
        {**_ROWS[6], "not_more_than_months": 18},
        {**_ROWS[6], "more_than_months": 18},
    ],
    "a fractional month edge": _with(0, not_more_than_months="3.5"),
    "no bands": [],
    "a bool cell": _with(0, whiplash=True),
    "an unknown column": _with(1, whiplash_psych="300"),
    "too many digits": _with(6, whiplash="1" + "0" * 12, whiplash_with_psych="1" + "0" * 12),
}


def _refusal(rows: list[dict[str, object]]):
    return lambda: what_if_tariff_table(rows, name="bad")


_SHORT_TABLE = attrs.evolve(TARIFF_TABLES[1], bands=TARIFF_TABLES[1].bands[:-1])

#: Every refusal of the tariff module, one per rule (tests/golden/errors/tariff.txt).
ERRORS = {
    "accident before the regime (CLA 2018 Part 1)": lambda: tariff_table(date(2021, 5, 30)),
    "accident after the supported range": lambda: tariff_table(date(2101, 1, 1)),
    "accident date not a date": lambda: tariff_award(3, accident_date="2024-03-01"),
    "zero months (s.3)": lambda: tariff_award(0, accident_date=_D),
    "25 months (s.3)": lambda: tariff_award(25, accident_date=_D),
    "a day over two years (s.3)": lambda: tariff_award(
        relativedelta(years=2, days=1), accident_date=_D
    ),
    "a million months even when mitigation failed": lambda: tariff_award(
        10**6, accident_date=_D, failed_to_mitigate=True
    ),
    "a NaN duration": lambda: tariff_award(Decimal("NaN"), accident_date=_D),
    "a float duration": lambda: tariff_award(3.5, accident_date=_D),
    "a bool duration": lambda: tariff_award(True, accident_date=_D),
    "a str duration": lambda: tariff_award("3", accident_date=_D),
    "an absolute relativedelta": lambda: tariff_award(relativedelta(month=3), accident_date=_D),
    "leapdays": lambda: tariff_award(relativedelta(leapdays=1), accident_date=_D),
    "hours": lambda: tariff_award(relativedelta(hours=5), accident_date=_D),
    "a negative relativedelta": lambda: tariff_award(relativedelta(days=-1), accident_date=_D),
    "a relativedelta past year 9999": lambda: tariff_award(
        relativedelta(years=9000), accident_date=_D
    ),
    "psychological not a bool (reg 2(1))": lambda: tariff_award(
        3, accident_date=_D, psychological="yes"
    ),
    "failed_to_mitigate not a bool (s.3(1)(b)(ii))": lambda: tariff_award(
        3, accident_date=_D, failed_to_mitigate=1
    ),
    "uplift over 20 (reg 3(3))": lambda: tariff_amount(3, accident_date=_D, uplift_percent=21),
    "uplift below 0 (reg 3(3))": lambda: tariff_amount(3, accident_date=_D, uplift_percent=-1),
    "uplift of three places (reg 3(3))": lambda: tariff_amount(
        3, accident_date=_D, uplift_percent=Decimal("12.345")
    ),
    "scenario not a str": lambda: tariff_award(3, accident_date=_D, tariff_table=2021),
    "unknown scenario": lambda: tariff_award(3, accident_date=_D, tariff_table="2023"),
    "band_for_months out of range": lambda: TARIFF_TABLES[0].band_for_months(0),
    "applies_to not a date": lambda: TARIFF_TABLES[0].applies_to("2024-03-01"),
    "recovery before onset (guide 4.4.1)": lambda: injury_duration(_D, date(2024, 2, 29)),
    "onset not a date": lambda: injury_duration("2024-03-01", _D),
    "comparison: first not a table": lambda: compare_tariff_tables("Table 1"),
    "comparison: second not a table": lambda: compare_tariff_tables(TARIFF_TABLES[0], 2025),
    "comparison: different bands": lambda: compare_tariff_tables(TARIFF_TABLES[0], _SHORT_TABLE),
    **{f"what-if table: {name}": _refusal(rows) for name, rows in _BAD_TABLES.items()},
    "what-if table: not a table": lambda: check_tariff_table("Table 1"),
    "what-if table: a band of the wrong shape": lambda: what_if_tariff_table([(0, 24, 1)]),
    "what-if table: rows not a list": lambda: what_if_tariff_table("0,24,1,1"),
    "what-if table: a mapping without bands": lambda: what_if_tariff_table({"name": "x"}),
    "what-if table: a name not a string": lambda: what_if_tariff_table(_ROWS, name=7),
    "what-if table: more than 24 bands": lambda: what_if_tariff_table(
        [(i, i + 1, 1, 1) for i in range(25)]
    ),
    "what-if table: a cell of the wrong type": lambda: what_if_tariff_table([(0, 24, [1], 1)]),
    "what-if table: an infinite cell": lambda: what_if_tariff_table([(0, 24, "1", float("inf"))]),
    "what-if table: a cell with a pound sign": lambda: what_if_tariff_table([(0, 24, "£1", "1")]),
    "what-if table: an evolved table out of order": lambda: tariff_award(
        3,
        accident_date=_D,
        tariff_table=attrs.evolve(TARIFF_TABLES[0], bands=TARIFF_TABLES[0].bands[::-1]),
    ),
    "what-if change below -100%": lambda: uplifted_tariff_table(TARIFF_TABLES[0], -101),
    "what-if change of three places": lambda: uplifted_tariff_table(TARIFF_TABLES[0], "1.005"),
    "what-if table before the regime": lambda: tariff_award(
        3, accident_date=date(2021, 5, 30), tariff_table=uplifted_tariff_table(TARIFF_TABLES[0], 1)
    ),
}


def test_every_refusal_matches_its_golden_file():
    golden_errors.check("tariff", ERRORS)


# --- what-if tables (issue 26): any TariffTable, checked, marked, never cited as law -----


@pytest.mark.parametrize("name", sorted(_BAD_TABLES))
def test_an_invalid_what_if_table_is_refused_naming_the_cell_and_the_rule(name):
    """Each invalid table (negative, fractional penny, out of order in duration or uplift,
    gap, overlap, missing cell...) is a typed RulesError naming the cell and the rule
    (issue 26; WIR 2021 reg 2 is the shape every tariff table has)."""
    with pytest.raises(RulesError) as info:
        what_if_tariff_table(_BAD_TABLES[name], name="bad")
    assert info.value.field.startswith("tariff_table.bands")
    assert info.value.reference
    # the same rows given as a TariffTable object are refused the same way wherever chosen
    rows = _BAD_TABLES[name]
    if rows and all(isinstance(r, dict) and len(r) == 4 for r in rows):
        bands = tuple(tariff_module.TariffBand(**{k: r[k] for k in r}) for r in rows)
        table = attrs.evolve(TARIFF_TABLES[0], bands=bands)
        with pytest.raises(RulesError) as again:
            tariff_award(3, accident_date=_D, tariff_table=table)
        assert again.value.field == info.value.field


def test_each_kind_of_invalid_table_is_refused_with_its_own_words():
    """The six kinds the issue names each say what is wrong (issue 26)."""
    words = {
        "negative amount": "negative",
        "fractional penny": "fraction of a penny",
        "out of order in duration": "longer injury is worth less",
        "out of order in uplift (psych below whiplash only)": "worth less than whiplash only",
        "a gap between bands": "a gap",
        "an overlap between bands": "an overlap",
        "a missing cell (key absent)": "missing",
        "a missing cell (NaN)": "missing",
    }
    for name, expected in words.items():
        with pytest.raises(RulesError, match=re.escape(expected)):
            what_if_tariff_table(_BAD_TABLES[name], name="bad")


def test_a_what_if_table_values_through_tariff_award_and_is_marked_everywhere():
    """A what-if table values the injury, and its award says so in text, HTML and JSON,
    with the table's name and what it was derived from, and no statutory citation."""
    table = what_if_tariff_table(_ROWS, name="analyst v1", derived_from="pricing memo 7")
    award = tariff_award(
        4, accident_date=_D, psychological=True, uplift_percent=10, tariff_table=table
    )
    assert award.base_amount == Decimal("250.00")  # band 2, column (b)
    assert award.amount == Decimal("275.00")
    assert award.what_if
    assert award.table_by_scenario
    assert award.scenario is None
    for view in (str(award), award._repr_html_(), json.dumps(award.to_dict())):
        assert "what-if table" in view
        assert "analyst v1" in view
        assert "pricing memo 7" in view
        assert "SI 2021/642" not in view
        assert "Amendment" not in view
        assert "reg 2(1)" not in view
    data = award.to_dict()
    assert data["what_if"] is True
    assert data["table_derived_from"] == "pricing memo 7"
    assert data["table_reference"] == tariff_module.WHAT_IF_SOURCE
    assert tariff_amount(4, accident_date=_D, psychological=True, uplift_percent=10,
                         tariff_table=table) == award.amount  # fmt: skip


def test_an_evolved_statutory_table_loses_its_statutory_source():
    """attrs.evolve of Table 1 with other figures is a what-if table: renamed, its source
    dropped, derived from Table 1 (issue 26: it never carries a statutory citation)."""
    higher = tuple(
        attrs.evolve(b, whiplash=b.whiplash + 1, whiplash_with_psych=b.whiplash_with_psych + 1)
        for b in TARIFF_TABLES[0].bands
    )
    evolved = attrs.evolve(TARIFF_TABLES[0], bands=higher)
    assert evolved.what_if
    assert not evolved.is_statutory
    award = tariff_award(3, accident_date=_D, tariff_table=evolved)
    assert award.amount == Decimal("241.00")
    assert award.table.name == "Table 1 (what-if)"
    assert award.table.reference == tariff_module.WHAT_IF_SOURCE
    assert "Table 1 (accidents 2021-05-31 to 2025-05-30)" in award.table.derived_from
    for view in (str(award), award._repr_html_(), json.dumps(award.to_dict())):
        assert "SI 2021/642" not in view
    # its own views (before it is chosen) do not cite it either
    for view in (str(evolved), evolved._repr_html_(), json.dumps(evolved.to_dict())):
        assert "SI 2021/642" not in view
        assert "what-if" in view
    assert TARIFF_TABLES[0].source == TARIFF_TABLES[0].reference  # the law's keeps its own


def test_a_statutory_table_passed_as_an_object_is_its_year():
    """TARIFF_TABLES[i] as tariff_table= gives exactly the award of its year's string."""
    for year, table in zip(("2021", "2025"), TARIFF_TABLES, strict=True):
        by_object = tariff_award(7, accident_date=_D, tariff_table=table, uplift_percent=5)
        assert by_object == tariff_award(7, accident_date=_D, tariff_table=year, uplift_percent=5)
        assert not by_object.what_if
        assert check_tariff_table(table) is table


@given(
    months=st.integers(1, MAX_TARIFF_MONTHS),
    accident=tariff_dates,
    psych=st.booleans(),
    uplift=percents(20),
    table=st.sampled_from(TARIFF_TABLES),
)
def test_the_statutory_object_and_its_string_agree(months, accident, psych, uplift, table):
    """Property: passing a statutory table as an object gives the same figures as its
    year's string, for every band, column, date and uplift (issue 26)."""
    year = ("2021", "2025")[TARIFF_TABLES.index(table)]
    kwargs = {"accident_date": accident, "psychological": psych, "uplift_percent": uplift}
    assert tariff_award(months, tariff_table=table, **kwargs) == tariff_award(
        months, tariff_table=year, **kwargs
    )


@given(
    percent=st.decimals(0, 1000, places=2),
    months=st.integers(1, MAX_TARIFF_MONTHS),
    accident=tariff_dates,
    psych=st.booleans(),
    uplift=percents(20),
    mitigated=st.booleans(),
)
def test_a_table_evolved_upwards_never_awards_less(
    percent, months, accident, psych, uplift, mitigated
):
    """Property: a table evolved by +x% (x >= 0) awards at least the law's table for the
    accident date, at every duration, column and uplift (rounding is half-up, monotone)."""
    law = tariff_table(accident)
    table = uplifted_tariff_table(law, percent)
    kwargs = {
        "accident_date": accident,
        "psychological": psych,
        "uplift_percent": uplift,
        "failed_to_mitigate": mitigated,
    }
    what_if = tariff_award(months, tariff_table=table, **kwargs)
    assert what_if.amount >= tariff_award(months, **kwargs).amount
    assert what_if.what_if


@given(percent=st.decimals(-100, 1000, places=2), table=st.sampled_from(TARIFF_TABLES))
def test_an_uplifted_table_is_always_valid_and_scaled_to_the_penny(percent, table):
    """Property: every table uplifted by -100% to +1000% passes check_tariff_table, and
    each amount is the base amount times (100 + x)/100, rounded half-up."""
    plus = uplifted_tariff_table(table, percent)
    assert check_tariff_table(plus) == plus
    for new, old in zip(plus.bands, table.bands, strict=True):
        assert new.whiplash == round_penny(old.whiplash * (100 + percent) / 100)


def test_a_what_if_table_reads_a_dataframe_json_form_and_tuples_alike():
    """The same table from dicts, a DataFrame (numpy numbers, float pounds), 4-tuples and
    its own to_dict() JSON form (issue 26: built from a dataframe/CSV)."""
    pd = pytest.importorskip("pandas")
    from_dicts = what_if_tariff_table(_ROWS, name="t")
    frame = pd.DataFrame(_ROWS).astype({"whiplash": float, "whiplash_with_psych": "int64"})
    assert what_if_tariff_table(frame, name="t") == from_dicts
    tuples = [tuple(r.values()) for r in _ROWS]
    assert what_if_tariff_table(tuples, name="t") == from_dicts
    again = what_if_tariff_table(json.loads(json.dumps(from_dicts.to_dict())))
    assert again.bands == from_dicts.bands
    assert again.name == "t"
    assert again.derived_from == from_dicts.derived_from


def test_a_what_if_table_with_other_bands_values_by_its_own_bands():
    """A what-if table may have other whole-month bands (here one for the whole 24 months);
    mitigation (s.3(1)(b)(ii)) takes its last band; a relativedelta finds its band."""
    flat = what_if_tariff_table([(0, 24, "1000", "1100")], name="flat")
    assert tariff_amount(1, accident_date=_D, tariff_table=flat) == Decimal("1000.00")
    assert tariff_amount(30, accident_date=_D, failed_to_mitigate=True, psychological=True,
                         tariff_table=flat) == Decimal("1100.00")  # fmt: skip
    award = tariff_award(relativedelta(months=23, days=5), accident_date=_D, tariff_table=flat)
    assert award.band.not_more_than_months == 24
    with pytest.raises(RulesError):
        tariff_award(25, accident_date=_D, tariff_table=flat)


def test_a_what_if_table_still_needs_an_accident_in_the_tariff_regime():
    """Before 31 May 2021 there is no tariff to apply, what-if or not (CLA 2018 Part 1)."""
    with pytest.raises(OutOfCoverageError):
        tariff_award(3, accident_date=date(2021, 5, 30),
                     tariff_table=uplifted_tariff_table(TARIFF_TABLES[0], 1))  # fmt: skip


def test_a_what_if_name_never_takes_a_statutory_name():
    """A what-if table named "Table 2" is renamed "Table 2 (what-if)" so no result shows
    it as the law's table; other names are kept."""
    assert what_if_tariff_table(_ROWS, name="Table 2").name == "Table 2 (what-if)"
    assert what_if_tariff_table(_ROWS, name="Plus").name == "Plus"
    assert what_if_tariff_table(_ROWS).name == "what-if table"


def test_a_comparison_with_a_what_if_table_marks_it_and_cites_only_the_law():
    """compare_tariff_tables with a what-if table names it as what-if with no citation."""
    comparison = compare_tariff_tables(
        TARIFF_TABLES[1], uplifted_tariff_table(TARIFF_TABLES[1], 10)
    )
    text = str(comparison)
    assert "what-if table 'Table 2 +10%'" in text
    assert "no statutory source" in text
    assert text.count("Whiplash Injury (Amendment) Regulations 2025") == 1  # Table 2's only
    assert comparison.to_dict()["second"]["what_if"] is True


def test_a_what_if_table_survives_pickle_for_dask_workers():
    """A what-if table is sent to Dask workers by pickle: it comes back equal, still
    what-if, and values the same (issue 26: value_claims on every partition)."""
    import pickle

    table = uplifted_tariff_table(TARIFF_TABLES[1], 10)
    again = pickle.loads(pickle.dumps(table))
    assert again == table
    assert again.what_if
    assert tariff_amount(5, accident_date=_D, tariff_table=again) == tariff_amount(
        5, accident_date=_D, tariff_table=table
    )


def test_uplifted_table_names_and_derivations_chain():
    """Uplifting a what-if table records the chain; a name can be given."""
    once = uplifted_tariff_table(TARIFF_TABLES[0], 10)
    twice = uplifted_tariff_table(once, "-5", name="down again")
    assert twice.name == "down again"
    assert "what-if table 'Table 1 +10%'" in twice.derived_from
    assert "-5%" in twice.derived_from
    assert isinstance(twice, TariffTable)
    assert twice.what_if


# --- mutation survivors: tariff rules and views (tb)


def test_a_what_if_table_with_no_derivation_is_marked_as_built_by_the_caller():
    """A TariffTable built directly (no ``derived_from``) that is not one of the law's is
    a what-if table, and its what-if mark says the caller built it, in its note, text
    title and JSON (docs/valuation.md, "What-if tables": every result is marked what-if
    with the table's name and what it was derived from; never a statutory citation)."""
    mine = attrs.evolve(TARIFF_TABLES[0], name="mine")
    assert mine.derived_from is None
    note = "what-if table 'mine', derived from a table built by the caller; not the law"
    assert mine.what_if_note == note
    assert str(mine).splitlines()[0] == f"What-if tariff table 'mine' (not the law): {note}"
    assert mine.to_dict()["what_if_note"] == note
    assert mine.to_dict()["derived_from"] is None


def test_a_what_if_tables_columns_name_a_and_b_without_a_regulation():
    """A what-if table's two columns are named by letter and injury, citing no regulation:
    column (a) whiplash only (as reg 2(1)(a)), column (b) whiplash with a minor
    psychological injury (as reg 2(1)(b)); the award's ``regulation`` and ``column`` say
    which was used (docs/valuation.md, "What-if tables": its columns cite no regulation)."""
    plus = uplifted_tariff_table(TARIFF_TABLES[1], 10)
    assert plus.column_reference(psychological=True) == (
        "what-if table 'Table 2 +10%', column (b), whiplash + minor psychological "
        "(no statutory source)"
    )
    assert plus.column_reference(psychological=False) == (
        "what-if table 'Table 2 +10%', column (a), whiplash (no statutory source)"
    )
    psych = tariff_award(3, accident_date=_D, psychological=True, tariff_table=plus)
    assert psych.amount == Decimal("330.00")  # Table 2's £300.00 (b) cell, +10%
    assert psych.column == "whiplash with minor psychological injury (what-if table column (b))"
    data = psych.to_dict()
    assert data["column"] == psych.column
    assert data["regulation"] == plus.column_reference(psychological=True)
    assert "column (b), whiplash + minor psychological" in str(psych)
    plain = tariff_award(3, accident_date=_D, tariff_table=plus)
    assert plain.column == "whiplash only (what-if table column (a))"
    assert plain.regulation == plus.column_reference(psychological=False)


# --- mutation survivors: what-if table checks (ta1)

#: Refusals of a what-if table's readers not yet in the golden table: each names the cell
#: or argument, the value received and the rule (docs/valuation.md, "what-if tables").
ERRORS.update(
    {
        "what-if table: a month edge with a unit": _refusal(_with(1, more_than_months="3 months")),
        "what-if table: bands not a tuple": lambda: check_tariff_table(
            attrs.evolve(TARIFF_TABLES[0], bands="0-24: 1000")
        ),
        "what-if table: rows a TariffTable": lambda: what_if_tariff_table(TARIFF_TABLES[0]),
        "what-if table: a derived_from not a string": lambda: what_if_tariff_table(
            _ROWS, derived_from=7
        ),
    }
)


def test_a_flat_column_from_band_to_band_is_accepted():
    """Monotone allows equal neighbours (docs/valuation.md): a what-if column that stays
    flat from one band to the next is accepted and values each band; only a fall is
    refused."""
    flat = what_if_tariff_table([(0, 12, "1000", "1000"), (12, 24, "1000", "1200")], name="f")
    assert tariff_amount(3, accident_date=_D, tariff_table=flat) == Decimal("1000.00")
    assert tariff_amount(20, accident_date=_D, tariff_table=flat) == Decimal("1000.00")
    assert tariff_amount(20, accident_date=_D, psychological=True, tariff_table=flat) == Decimal(
        "1200.00"
    )


def test_an_evolved_table_with_its_own_name_is_a_callers_table_without_a_regulation():
    """attrs.evolve of a statutory table under another name, its bands given as a list, is
    checked into a what-if table (check_tariff_table; docs/valuation.md): the name kept,
    derived from "a table built by the caller" (it is no statutory table's), regulation
    "what-if table" (no statutory citation), and the bands read into a tuple."""
    evolved = attrs.evolve(TARIFF_TABLES[0], name="Mine", bands=list(TARIFF_TABLES[1].bands))
    checked = check_tariff_table(evolved)
    assert checked.name == "Mine"
    assert checked.derived_from == "a table built by the caller"
    assert checked.regulation == "what-if table"
    assert checked.bands == TARIFF_TABLES[1].bands
    assert checked.what_if_note == (
        "what-if table 'Mine', derived from a table built by the caller; not the law"
    )
    assert tariff_amount(3, accident_date=_D, tariff_table=checked) == Decimal("275.00")


def test_an_evolved_table_keeps_no_regulation_of_the_law():
    """An evolved Table 1 loses the Whiplash Injury Regulations as its regulation: a what-if
    table carries no statutory citation (check_tariff_table; docs/valuation.md)."""
    checked = check_tariff_table(attrs.evolve(TARIFF_TABLES[0], bands=TARIFF_TABLES[1].bands))
    assert checked.regulation == "what-if table"
    assert "Regulations" not in checked.regulation


def test_a_mapping_gives_name_and_derived_from_unless_the_caller_does():
    """The JSON form's "name" and "derived_from" are read when the caller gives none, and
    the caller's own name= and derived_from= win (what_if_tariff_table's docstring)."""
    form = {"bands": _ROWS, "name": "from file", "derived_from": "working paper 3"}
    read = what_if_tariff_table(form)
    assert (read.name, read.derived_from) == ("from file", "working paper 3")
    given = what_if_tariff_table(form, name="given", derived_from="memo 4")
    assert (given.name, given.derived_from) == ("given", "memo 4")


def test_a_what_if_table_without_a_derivation_says_the_caller_built_it():
    """With no derived_from, a what-if table is marked "derived from a table built by the
    caller" in its derived_from and its what-if note (docs/valuation.md: every result says
    what the table was derived from)."""
    table = what_if_tariff_table(_ROWS)
    assert table.derived_from == "a table built by the caller"
    assert table.what_if_note == (
        "what-if table 'what-if table', derived from a table built by the caller; not the law"
    )


def test_a_long_name_and_derivation_are_cut_to_200_and_500_characters():
    """A what-if table's name is cut to 200 characters and its derived_from to 500, so the
    what-if mark every result repeats stays bounded (what_if_tariff_table)."""
    table = what_if_tariff_table(_ROWS, name="n" * 300, derived_from="d" * 600)
    assert table.name == "n" * 200
    assert table.derived_from == "d" * 500


# --- mutation survivors: what-if table cells and uplifted tables (ta2)


class _ItemHolder:
    """Not a numpy scalar, though it has an ``item()`` method like one."""

    def item(self) -> int:
        return 240

    def __repr__(self) -> str:
        return "_ItemHolder()"


def _np():
    import numpy  # a test dependency (pyproject's batch extra): never skipped

    return numpy


def _pd():
    import pandas  # a test dependency (pyproject's batch extra): never skipped

    return pandas


#: Refusals of what-if cells and uplifts, one per rule, checked by
#: test_every_refusal_matches_its_golden_file (tests/golden/errors/tariff.txt).
ERRORS.update(
    {
        "what-if table: a missing cell (Decimal NaN)": _refusal(_with(3, whiplash=Decimal("NaN"))),
        "what-if table: a missing cell (pandas NA)": lambda: what_if_tariff_table(
            _with(4, whiplash=_pd().NA), name="bad"
        ),
        "what-if table: a missing cell (pandas NaT)": lambda: what_if_tariff_table(
            _with(5, whiplash_with_psych=_pd().NaT), name="bad"
        ),
        "what-if table: a cell of only a tab": _refusal(_with(1, whiplash="\t")),
        "what-if table: a cell with a trailing tab": _refusal(_with(1, whiplash=" 200\t")),
        "what-if table: a cell with a letter X": _refusal(_with(1, whiplash="X200")),
        "what-if table: an infinite Decimal cell": _refusal(
            _with(2, whiplash_with_psych=Decimal("-Infinity"))
        ),
        "what-if table: a cell with an item() method, not numpy": _refusal(
            _with(0, whiplash=_ItemHolder())
        ),
        "what-if change not a plain number": lambda: uplifted_tariff_table(TARIFF_TABLES[0], "5%"),
        "what-if change above 1000%": lambda: uplifted_tariff_table(TARIFF_TABLES[0], 1001),
    }
)


def test_what_if_table_reads_numpy_integer_cells_as_their_numbers():
    """numpy scalars (a DataFrame's ``int64`` cells, read row by row) are the numbers they
    hold: the same table as from Python ints (issue 26: built from a dataframe)."""
    np = _np()
    rows = [tuple(r.values()) for r in _ROWS]
    as_numpy = [(np.int64(a), np.int64(b), np.int64(c), np.int64(d)) for a, b, c, d in
                [(a, b, int(c), int(d)) for a, b, c, d in rows]]  # fmt: skip
    table = what_if_tariff_table(as_numpy, name="t")
    assert table == what_if_tariff_table(rows, name="t")
    assert table.bands[0].whiplash == Decimal("100.00")
    assert type(table.bands[0].more_than_months) is int


def test_what_if_amounts_may_be_zero_or_under_a_pound_and_minus_zero_reads_as_zero():
    """A what-if amount is any whole number of pence from 0 up (only a negative amount is
    refused); ``-0`` is the amount 0.00, never shown as ``-0.00``."""
    small = what_if_tariff_table(_with(0, whiplash="0.50"), name="t")
    assert small.bands[0].whiplash == Decimal("0.50")
    zero = what_if_tariff_table(_with(0, whiplash="-0", whiplash_with_psych=-0.0), name="t")
    assert str(zero.bands[0].whiplash) == "0.00"
    assert str(zero.bands[0].whiplash_with_psych) == "0.00"
    assert zero.bands[0].whiplash == 0


def test_uplift_accepts_both_ends_of_minus_100_to_1000_percent():
    """uplifted_tariff_table: percent is -100 to 1000 inclusive; -100 gives a table of
    £0.00 amounts, 1000 multiplies every amount by 11 (its docstring)."""
    base = TARIFF_TABLES[0]
    none = uplifted_tariff_table(base, -100)
    assert {b.whiplash for b in none.bands} == {Decimal("0.00")}
    assert {b.whiplash_with_psych for b in none.bands} == {Decimal("0.00")}
    assert none.name == f"{base.name} -100%"
    most = uplifted_tariff_table(base, 1000)
    assert most.bands[0].whiplash == base.bands[0].whiplash * 11
    assert most.name == f"{base.name} +1000%"


def test_uplift_of_minus_zero_is_named_plus_zero():
    """A change of -0 is no change: the table is named ``"<base> +0%"``, never ``-0%``."""
    base = TARIFF_TABLES[0]
    for zero in ("-0", Decimal("-0.00"), 0):
        plus = uplifted_tariff_table(base, zero)
        assert plus.name == f"{base.name} +0%"
        assert "every amount +0%" in plus.derived_from
        assert plus.bands == base.bands


def test_uplifting_a_what_if_table_names_it_after_that_table():
    """An uplift of a what-if table is named ``"<what-if name> +<percent>%"`` (the
    docstring's ``"<base> +<percent>%"``), and records that table in derived_from."""
    once = uplifted_tariff_table(TARIFF_TABLES[0], 10)
    twice = uplifted_tariff_table(once, 5)
    assert twice.name == f"{once.name} +5%"
    assert twice.name == "Table 1 +10% +5%"
    assert "what-if table 'Table 1 +10%'" in twice.derived_from


def test_a_missing_uplift_percent_is_refused_under_the_percent_rule():
    """A missing ``percent`` (None or "") of uplifted_tariff_table is refused on field
    ``tariff_table.percent`` under the percent rule (-100 to 1000, two places) that every
    other refusal of ``percent`` cites, not the band-cells rule ("every band needs both
    edges and both amounts") it cited before 0.3.2: a refusal names the rule it applies."""
    with pytest.raises(RulesError) as over:
        uplifted_tariff_table(TARIFF_TABLES[0], 1001)
    for missing in (None, ""):
        with pytest.raises(RulesError) as caught:
            uplifted_tariff_table(TARIFF_TABLES[0], missing)
        assert caught.value.field == "tariff_table.percent"
        assert caught.value.reference == over.value.reference
        assert "band" not in str(caught.value)


# --- mutation survivors of the run on the final source (the missing percent, a lone letter)

ERRORS.update(
    {
        "what-if table: a cell of one letter X is not a number, not a missing cell": _refusal(
            _with(1, whiplash="X")
        ),
        "what-if uplift: percent missing (None)": lambda: uplifted_tariff_table(
            TARIFF_TABLES[0], None
        ),
        "what-if uplift: percent missing (an empty string)": lambda: uplifted_tariff_table(
            TARIFF_TABLES[0], ""
        ),
    }
)
