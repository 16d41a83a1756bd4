"""The tariff over columns: the Whiplash Injury Regulations 2021 tables as lookup arrays.

The same answers as :func:`rtaprotocol.tariff.tariff_amount`, to the penny
(rtaprotocol.batch).
"""

from __future__ import annotations

import functools
from datetime import date, datetime
from decimal import ROUND_CEILING, Decimal
from typing import Any, NamedTuple

import numpy as np

from rtaprotocol._decimal import exact
from rtaprotocol.batch.bad_rows import (
    _capped,
    _column,
    _is_missing,
    _labels_of,
    _result,
    _Rows,
    _size_of,
)
from rtaprotocol.batch.columns import _EPOCH, _FIRST_DAY, _LAST_DAY, _NAT, BoolArray, Int64Array
from rtaprotocol.batch.dates import _day_numbers
from rtaprotocol.batch.money import _basis_points, _flags, _whole_floats
from rtaprotocol.errors import (
    ErrorCode,
    OutOfCoverageError,
    RulesTypeError,
)
from rtaprotocol.money import to_pence
from rtaprotocol.tariff import (
    COVERAGE_REFERENCE,
    DURATION_REFERENCE,
    MAX_TARIFF_MONTHS,
    MAX_UPLIFT_PERCENT,
    MITIGATION_REFERENCE,
    PSYCH_REFERENCE,
    REGIME_REFERENCE,
    TARIFF_SCENARIOS,
    TARIFF_TABLES,
    UPLIFT_REFERENCE,
    TariffTable,
    _choose_table,
)


class _Tariff(NamedTuple):
    """The tariff tables as arrays: table by day, and amount by (table, column, months)."""

    table_by_day: Int64Array  # per supported day (from _FIRST_DAY): table number, or -1
    amounts: Int64Array  # pence at [table, psych, months] for months 0..24; 0 months unused
    band_tops: Int64Array  # the band's "not more than" edge at [table, months]


class _TariffRows(NamedTuple):
    """Per row: the tariff in pence, the table used (index), its band's edge, the column."""

    pence: Int64Array
    table: Int64Array
    band: Int64Array
    psych: BoolArray


@functools.lru_cache(maxsize=1)
def _tariff_arrays() -> _Tariff:
    """Build the lookup tables from :data:`~rtaprotocol.tariff.TARIFF_TABLES` (the data)."""
    span = _LAST_DAY - _FIRST_DAY + 1
    by_day = np.full(span, -1, dtype=np.int64)
    amounts = np.zeros((len(TARIFF_TABLES), 2, MAX_TARIFF_MONTHS + 1), dtype=np.int64)
    tops = np.zeros((len(TARIFF_TABLES), MAX_TARIFF_MONTHS + 1), dtype=np.int64)
    for t, table in enumerate(TARIFF_TABLES):
        start = max(table.applies_from.toordinal() - _EPOCH - _FIRST_DAY, 0)
        until = table.applies_until
        stop = span if until is None else min(until.toordinal() - _EPOCH - _FIRST_DAY, span)
        by_day[start:stop] = t
        for months in range(1, MAX_TARIFF_MONTHS + 1):
            # Every edge is a whole number of months, so a band is found by whole months.
            band = table.band_for_months(Decimal(months))
            tops[t, months] = band.not_more_than_months
            for psych in (False, True):
                amount = band.amount(psychological=psych)
                amounts[t, int(psych), months] = int(amount * 100)
    return _Tariff(by_day, amounts.reshape(-1), tops.reshape(-1))


@functools.lru_cache(maxsize=8)
def _what_if_arrays(table: TariffTable) -> tuple[Int64Array, Int64Array]:
    """Return a checked what-if table as arrays: pence at [psych, months], band top at [months]."""
    amounts = np.zeros((2, MAX_TARIFF_MONTHS + 1), dtype=np.int64)
    tops = np.zeros(MAX_TARIFF_MONTHS + 1, dtype=np.int64)
    for months in range(1, MAX_TARIFF_MONTHS + 1):
        band = table.band_for_months(Decimal(months))  # edges are whole months (checked)
        tops[months] = band.not_more_than_months
        for psych in (False, True):
            amounts[int(psych), months] = to_pence(band.amount(psychological=psych))
    return amounts.reshape(-1), tops


def _months_up(
    values: Any, rows: _Rows, size: int, field: str, mitigated: BoolArray | None = None
) -> Int64Array:
    """Return durations as whole months rounded up (the band they fall in), checked 1..24.

    Band edges are whole months and "not more than", so a duration ``m`` is in the band
    of ``ceil(m)``. Integer columns are used as they are; ``Decimal`` months (objects)
    are rounded up one by one. Floats are refused, as by the scalar rule. A row marked
    ``mitigated`` (CLA 2018 s.3(1)(b)(ii)) over 24 months is valued at month 24.
    """
    if np.ndim(values) == 0:
        good = isinstance(values, int) and not isinstance(values, bool)
        if good and 0 < values <= MAX_TARIFF_MONTHS:  # one good int: no per-row loop
            values = np.full(size, values, dtype=np.int64)
        else:  # checked row by row, so an error shows the value as given
            values = [values] * size
    array = _column(values, rows, field, DURATION_REFERENCE)
    kind = array.dtype.kind
    if kind in "iu" and array.size and array.min() >= 1 and array.max() <= MAX_TARIFF_MONTHS:
        return array.astype(np.int64, copy=False)  # the common case: two reductions, no mask
    if kind in "iu":
        months = _capped(array, MAX_TARIFF_MONTHS)
    elif kind == "O":
        months = np.ones(len(array), dtype=np.int64)  # missing rows are recorded already
        wrong = np.zeros(len(array), dtype=np.bool_)
        for i, v in enumerate(array.tolist()):
            if isinstance(v, int) and not isinstance(v, bool):
                months[i] = max(0, min(v, MAX_TARIFF_MONTHS + 1))  # any size of int
            elif isinstance(v, Decimal):  # compared first: int(Decimal("1E+999999")) is slow
                if not v.is_finite() or v <= 0:
                    months[i] = 0
                elif v > MAX_TARIFF_MONTHS:
                    months[i] = MAX_TARIFF_MONTHS + 1
                else:
                    months[i] = int(v.to_integral_value(rounding=ROUND_CEILING))
            elif not _is_missing(v):
                wrong[i] = True
        rows.add(
            wrong,
            array,
            field=field,
            message="a duration must be an int or Decimal number of months",
            reference=DURATION_REFERENCE,
            kind=RulesTypeError,
        )
    elif kind == "f":
        months = _whole_floats(
            array,
            rows,
            field=field,
            high=MAX_TARIFF_MONTHS,
            message="a float column of durations must hold whole months (use Decimal objects "
            "for fractions: a float could miss a band edge)",
            reference=DURATION_REFERENCE,
            fill=1,
            code=ErrorCode.TYPE_WRONG,  # the scalar rule refuses a float duration by type
        )
    else:
        rows.add_all(
            array,
            field=field,
            message=f"durations must be whole months (integers) or Decimal, not {array.dtype} "
            "(a float could miss a band edge)",
            reference=DURATION_REFERENCE,
        )
        return np.ones(len(array), dtype=np.int64)
    if mitigated is not None:
        months = np.where(mitigated & (months > MAX_TARIFF_MONTHS), MAX_TARIFF_MONTHS, months)
    rows.add(
        (months < 1) | (months > MAX_TARIFF_MONTHS),
        array,
        field=field,
        code=ErrorCode.NUMBER_OUT_OF_RANGE,
        message="not a tariff injury: the duration must be more than 0 and not more than 24 months",
        reference=DURATION_REFERENCE,
    )
    return months


def _uplifted(base: Int64Array, uplift_bp: Int64Array) -> Int64Array:
    """``round_penny(base * (100 + pct) / 100)`` in pence and basis points, half-up."""
    if not uplift_bp.any():
        return base
    return (base * (10000 + uplift_bp) + 5000) // 10000


def _tariff_rows(
    durations_months: Any,
    accident_dates: Any,
    *,
    psychological: Any,
    uplift_percent: Any,
    rows: _Rows,
    size: int,
    check: bool = True,
    names: tuple[str, str] = ("durations_months", "accident_dates"),
    failed_to_mitigate: Any = False,
    scenario: str | None = None,
    what_if: TariffTable | None = None,
    uplift_bp: Int64Array | None = None,
) -> _TariffRows:
    """Check every input (recording bad rows) and return the tariff in pence, and how.

    With ``check=False`` bad rows are only recorded (their amount is meaningless), so a
    caller can go on checking its other columns and name every bad row at once.
    ``scenario`` (``"2021"``/``"2025"``, already checked) values every row by that
    table instead of the accident date's, after the date itself has been checked.
    ``what_if`` (a checked what-if table) values every row by it, the same way; its
    table number in the result is ``len(TARIFF_TABLES)``.
    """
    days = _day_numbers(accident_dates, rows, names[1], REGIME_REFERENCE)
    mitigated = _flags(failed_to_mitigate, rows, "failed_to_mitigate", size, MITIGATION_REFERENCE)
    months = _months_up(durations_months, rows, size, names[0], mitigated)
    psych = _flags(psychological, rows, "psychological", size, PSYCH_REFERENCE)
    if uplift_bp is None:  # value_claims reads its own, with its percent_scale
        uplift_bp = _basis_points(
            uplift_percent,
            rows,
            "uplift_percent",
            size,
            high=MAX_UPLIFT_PERCENT,
            reference=UPLIFT_REFERENCE,
        )
    arrays = _tariff_arrays()
    i = days - _FIRST_DAY
    in_range = (days != _NAT) & (i >= 0) & (i < len(arrays.table_by_day))
    table = arrays.table_by_day.take(np.where(in_range, i, 0))
    table = np.where(in_range, table, -1)
    if (table < 0).any():
        before = (
            (table < 0)
            & (days != _NAT)
            & (days < TARIFF_TABLES[0].applies_from.toordinal() - _EPOCH)
        )
        rows.add(
            before,
            days.view("datetime64[D]"),
            field=names[1],
            code=ErrorCode.COVERAGE_OUT_OF_RANGE,
            message="accident is before the whiplash tariff regime began on 2021-05-31",
            reference=REGIME_REFERENCE,
            kind=OutOfCoverageError,
        )
        rows.add(
            (table < 0) & (days != _NAT) & ~before,
            days.view("datetime64[D]"),
            field=names[1],
            code=ErrorCode.COVERAGE_OUT_OF_RANGE,
            message="accident is after the last date rtaprotocol's tariff tables cover",
            reference=COVERAGE_REFERENCE,
            kind=OutOfCoverageError,
        )
    if check:
        rows.check()
    table = np.maximum(table, 0)  # bad rows were recorded; keep their look-up in bounds
    if scenario is not None:
        table = np.full(len(table), TARIFF_SCENARIOS.index(scenario), dtype=np.int64)
    months = np.clip(months, 0, MAX_TARIFF_MONTHS)
    width = MAX_TARIFF_MONTHS + 1
    if what_if is not None:
        amounts, tops = _what_if_arrays(what_if)
        base = amounts.take(psych.astype(np.int64) * width + months)
        band = tops.take(months)
        table = np.full(len(table), len(TARIFF_TABLES), dtype=np.int64)
        return _TariffRows(_uplifted(base, uplift_bp), table, band, psych)
    base = arrays.amounts.take(table * (2 * width) + psych.astype(np.int64) * width + months)
    band = arrays.band_tops.take(table * width + months)
    return _TariffRows(_uplifted(base, uplift_bp), table, band, psych)


@exact
def tariff_amounts(
    durations_months: Any,
    accident_dates: Any,
    psychological: Any = False,
    uplift_percent: Any = 0,
    *,
    failed_to_mitigate: Any = False,
    tariff_table: str | TariffTable | None = None,
) -> Any:
    """Return :func:`~rtaprotocol.tariff.tariff_amount` of every row, in ``int64`` pence.

    CLA 2018 s.3; Whiplash Injury Regulations 2021 reg 2 and 3 (both tables, chosen by
    accident date, from :data:`~rtaprotocol.tariff.TARIFF_TABLES`). ``durations_months``:
    integers, or ``Decimal`` objects for fractions (floats are refused, as by the scalar
    rule); ``psychological``: bools; ``uplift_percent``: 0 to 20, at most two decimal
    places. A scalar argument applies to every row. A Series in gives a Series out.
    ``failed_to_mitigate``: bools; a marked row over 24 months is valued at the 18 to 24
    month row (CLA 2018 s.3(1)(b)(ii)), as :func:`~rtaprotocol.tariff.tariff_award` does.
    ``tariff_table``: ``None`` (the default) is the law, the table chosen by accident
    date; ``"2021"`` or ``"2025"`` is a what-if scenario valuing every row by Table 1 or
    Table 2, never the law for those dates (:func:`~rtaprotocol.tariff.tariff_award`).
    A :class:`~rtaprotocol.tariff.TariffTable` is accepted as well: a statutory one as
    its year's string, any other as a checked what-if table
    (:func:`~rtaprotocol.tariff.check_tariff_table`).

    The edge case: 3 months is the first band, 3.01 the second; 31 May 2025 is Table 2.

    >>> from decimal import Decimal
    >>> import numpy as np
    >>> accidents = np.array(["2025-05-30", "2025-05-31", "2025-05-31"], dtype="datetime64[D]")
    >>> tariff_amounts(np.array([3, 3, 24]), accidents, np.array([False, False, True]), 20)
    array([ 28800,  33000, 597000])
    >>> tariff_amounts([Decimal("3"), Decimal("3.01")], accidents[:2])
    array([24000, 56500])
    >>> tariff_amounts(np.array([3, 3]), accidents[:2], tariff_table="2025")  # what-if
    array([27500, 27500])
    >>> from rtaprotocol.tariff import TARIFF_TABLES, uplifted_tariff_table
    >>> tariff_amounts(np.array([3, 3]), accidents[:2],
    ...                tariff_table=uplifted_tariff_table(TARIFF_TABLES[1], 10))
    array([30250, 30250])
    >>> tariff_amounts(np.array([0, 25]), accidents[:2])
    Traceback (most recent call last):
    ...
    rtaprotocol.errors.RulesError: durations_months: 2 bad rows (by index: 0, 1): durations_months: not a tariff injury: the duration must be more than 0 and not more than 24 months (row 0 and 1 more): got {0: {'durations_months': 0}, 1: {'durations_months': 25}} [Civil Liability Act 2018 s.3: a tariff injury lasts not more than 2 years (more than 0 and not more than 24 months); guide 4.4.1]
    """
    args = (durations_months, accident_dates, psychological, uplift_percent, failed_to_mitigate)
    names = (
        "durations_months",
        "accident_dates",
        "psychological",
        "uplift_percent",
        "failed_to_mitigate",
    )
    scenario, what_if = _choose_table(tariff_table)
    size = _size_of(args, names)
    labels = _labels_of(*args)
    rows = _Rows(labels, size)
    if np.ndim(accident_dates) == 0:
        one = accident_dates
        if isinstance(one, date) and not _is_missing(one):  # one date: no per-row loop
            day = one.date() if isinstance(one, datetime) else one
            accident_dates = np.full(size, np.datetime64(day.toordinal() - _EPOCH, "D"))
        else:
            accident_dates = [one] * size
    out = _tariff_rows(
        durations_months,
        accident_dates,
        psychological=psychological,
        uplift_percent=uplift_percent,
        rows=rows,
        size=size,
        failed_to_mitigate=failed_to_mitigate,
        scenario=scenario,
        what_if=what_if,
    )
    return _result(out.pence, labels, "tariff_pence")
