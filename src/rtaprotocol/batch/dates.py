"""Business days and protocol deadlines over date columns (rtaprotocol.batch).

The same answers as :mod:`rtaprotocol.deadlines`, to the day, over numpy day numbers.
"""

from __future__ import annotations

import functools
from datetime import date, datetime
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
import pandas as pd

from rtaprotocol._checks import wrong_type
from rtaprotocol.batch.bad_rows import _capped, _column, _is_missing, _labels_of, _result, _Rows
from rtaprotocol.batch.columns import _EPOCH, _FAR, _FIRST_DAY, _LAST_DAY, _NAT, Int64Array
from rtaprotocol.deadlines import (
    BUSINESS_DAY_REFERENCE,
    RANGE_REFERENCE,
    EnglandWalesCalendar,
    Period,
    _checked_calendar,
)
from rtaprotocol.errors import (
    ErrorCode,
    OutOfCoverageError,
    RulesTypeError,
)


class _Calendar(NamedTuple):
    """A calendar's tables as numpy arrays, indexed by day number minus ``_FIRST_DAY``."""

    after: Int64Array  # cum[i] - 1: index in ``days`` of the 1st business day after day i, less 1
    before: Int64Array  # cum[i] - flags[i]: business days strictly before day i
    days: Int64Array  # every business day, as a numpy day number


@functools.lru_cache(maxsize=8)
def _calendar_arrays(calendar: EnglandWalesCalendar) -> _Calendar:
    """Turn ``deadlines``' precomputed tables into numpy arrays, once per calendar."""
    tables = calendar._build()
    cum = np.asarray(tables.cum, dtype=np.int64)
    flags = np.frombuffer(tables.flags, dtype=np.uint8).astype(np.int64)
    days = np.fromiter((d.toordinal() - _EPOCH for d in tables.days), dtype=np.int64)
    return _Calendar(cum - 1, cum - flags, days)


def _day_numbers(dates: Any, rows: _Rows, field: str, reference: str) -> Int64Array:
    """Return ``dates`` as numpy day numbers (days since 1970-01-01), NaT for bad rows.

    Accepts ``datetime64`` arrays of any unit, pandas date columns (a time zone is
    dropped and the local date kept, as :func:`~rtaprotocol._checks.check_date` does with
    a ``datetime``) and sequences of ``date``/``datetime``. Strings are refused, as in
    the scalar functions: parse them first (``pd.to_datetime(col, format="%Y-%m-%d")``).
    """
    if isinstance(dates, pd.Series | pd.Index) and _has_time_zone(dates.dtype):
        # The local wall time, so the local date is kept (numpy would give the UTC date).
        # Through a numpy-backed DatetimeIndex, for every pandas the package allows: on
        # pandas 2.x a pyarrow column's own ``.dt.tz_localize(None)`` gives the UTC time.
        dates = pd.DatetimeIndex(dates).tz_localize(None).to_numpy()
    array = _column(dates, rows, field, reference)
    if np.issubdtype(array.dtype, np.datetime64):
        return array.astype("datetime64[D]").view(np.int64)
    if array.dtype != object:
        rows.add_all(
            array,
            field=field,
            message=f"expected dates (datetime64 or datetime.date), not {array.dtype}",
            reference=reference,
        )
        return np.full(len(array), _NAT, dtype=np.int64)
    out = np.full(len(array), _NAT, dtype=np.int64)
    wrong = np.zeros(len(array), dtype=np.bool_)
    for i, value in enumerate(array.tolist()):
        if _is_missing(value):
            continue  # already recorded by _column
        if isinstance(value, datetime):
            out[i] = value.date().toordinal() - _EPOCH
        elif isinstance(value, date):
            out[i] = value.toordinal() - _EPOCH
        else:
            wrong[i] = True
    rows.add(
        wrong,
        array,
        field=field,
        message="expected a datetime.date (strings are not parsed: use pd.to_datetime first)",
        reference=reference,
        kind=RulesTypeError,
    )
    return out


def _has_time_zone(dtype: Any) -> bool:
    """Return True for a time-zone-aware pandas dtype (numpy-backed or pyarrow-backed)."""
    if isinstance(dtype, pd.DatetimeTZDtype):
        return True
    return isinstance(dtype, pd.ArrowDtype) and getattr(dtype.pyarrow_dtype, "tz", None) is not None


def _covered(days: Int64Array, rows: _Rows, field: str) -> None:
    """Record the rows whose date is outside the calendar's supported range."""
    if days.size and days.min() >= _FIRST_DAY and days.max() <= _LAST_DAY:
        return  # the common case: two passes, no mask
    outside = (days != _NAT) & ((days < _FIRST_DAY) | (days > _LAST_DAY))
    rows.add(
        outside,
        days.view("datetime64[D]"),
        field=field,
        code=ErrorCode.COVERAGE_OUT_OF_RANGE,
        message="date is outside the supported range",
        reference=RANGE_REFERENCE,
        kind=OutOfCoverageError,
    )


def _offsets(n: Any, rows: _Rows, size: int) -> int | tuple[Int64Array, npt.NDArray[Any]]:
    """Return ``n`` as an int, or (per-row counts clamped to ``±_FAR``, the counts given)."""
    if np.ndim(n) == 0:
        if isinstance(n, bool | np.bool_) or not isinstance(n, int | np.integer):
            raise wrong_type(n, "an int", field="n", reference=BUSINESS_DAY_REFERENCE)
        return int(n)
    array = _column(n, rows, "n", BUSINESS_DAY_REFERENCE)
    if not np.issubdtype(array.dtype, np.integer) or len(array) != size:
        raise RulesTypeError(
            f"expected an int or an integer array as long as the dates, not {array.dtype} "
            f"of length {len(array)}",
            value=n,
            field="n",
            reference=BUSINESS_DAY_REFERENCE,
        )
    return np.maximum(_capped(array, _FAR), -_FAR), array


def add_business_days_many(
    dates: Any, n: Any, *, calendar: EnglandWalesCalendar | None = None
) -> Any:
    """Return :func:`~rtaprotocol.deadlines.add_business_days` of every date (guide 6.3.1).

    ``dates``: a ``datetime64`` array (any unit), a pandas date column, or a sequence of
    ``date``. ``n``: an int, or an integer array with one count per date. The event day
    never counts; ``n`` < 0 counts back; ``n`` == 0 gives the date itself. A pandas
    Series comes back as a Series on the same index, anything else as ``datetime64[D]``.

    The calendar's precomputed tables are reused as numpy arrays, so a call is a couple
    of ``np.take``: a date outside 2000-01-01..2100-12-31, or a result outside it, raises
    :class:`~rtaprotocol.errors.OutOfCoverageError` naming every such row.

    >>> import numpy as np
    >>> days = np.array(["2022-09-16", "2024-03-28", "2023-05-02"], dtype="datetime64[D]")
    >>> add_business_days_many(days, 1)   # state funeral; Easter; an ordinary Wednesday
    array(['2022-09-20', '2024-04-02', '2023-05-03'], dtype='datetime64[D]')
    >>> add_business_days_many(days, np.array([-1, 0, 30]))
    array(['2022-09-15', '2024-03-28', '2023-06-15'], dtype='datetime64[D]')
    >>> add_business_days_many(np.array(["1999-12-31"], dtype="datetime64[D]"), 1)
    Traceback (most recent call last):
    ...
    rtaprotocol.errors.OutOfCoverageError: dates: 1 bad row (by index: 0): dates: date is outside the supported range (row 0): got {0: {'dates': datetime.date(1999, 12, 31)}} [the calendar covers 2000-01-01 to 2100-12-31 (rtaprotocol calendar)]
    """
    return _add_many(dates, n, calendar, count_field="n")


def _add_many(
    dates: Any, n: Any, calendar: EnglandWalesCalendar | None, *, count_field: str
) -> Any:
    """Do :func:`add_business_days_many`, naming ``count_field`` for a result past the calendar.

    ``"n"``: the count the caller gave, shown as the value, as
    :func:`~rtaprotocol.deadlines.add_business_days` does; ``"dates"`` (for
    :func:`due_dates`, whose caller gives no count): the event date, as
    :func:`~rtaprotocol.deadlines.due_date` names its ``event_date``.
    """
    cal = _checked_calendar(calendar)
    labels = _labels_of(dates, n)
    size = len(dates) if np.ndim(dates) else 1
    rows = _Rows(labels, size)
    days = _day_numbers(dates, rows, "dates", BUSINESS_DAY_REFERENCE)
    _covered(days, rows, "dates")
    count = _offsets(n, rows, len(days))
    rows.check()
    tables = _calendar_arrays(cal)
    if isinstance(count, int):
        out = _shift_by(days, count, tables, rows, count_field=count_field)
    else:
        out = _shift_each(days, *count, tables, rows)
    rows.check()
    return _result(out.view("datetime64[D]"), labels, getattr(dates, "name", None) or "date")


def _shift_by(
    days: Int64Array, n: int, tables: _Calendar, rows: _Rows, *, count_field: str
) -> Int64Array:
    """One ``n`` for every row: build the day-to-result table once, then one ``np.take``.

    A row whose result falls past the calendar is refused at ``count_field`` (see
    :func:`_add_many`).
    """
    span = np.arange(_FIRST_DAY, _LAST_DAY + 1, dtype=np.int64)
    if n == 0:
        return days.copy()
    step = max(-_FAR, min(n, _FAR))  # a Python int beyond int64 must not overflow
    k = tables.after + step if n > 0 else tables.before + step
    valid = (k >= 0) & (k < len(tables.days))
    table = np.where(valid, tables.days.take(np.clip(k, 0, len(tables.days) - 1)), _NAT)
    i = days - _FIRST_DAY
    out = table.take(i)
    first_ok, last_ok = np.flatnonzero(valid)[[0, -1]] if valid.any() else (1, 0)
    if days.size and not (first_ok <= i.min() and i.max() <= last_ok):
        rows.add(
            out == _NAT,
            n if count_field == "n" else span.take(i).view("datetime64[D]"),
            field=count_field,
            message=f"{n} business days from the row's date falls outside the supported range",
            reference=RANGE_REFERENCE,
            kind=OutOfCoverageError,
        )
    return out


def _shift_each(
    days: Int64Array, n: Int64Array, given: npt.NDArray[Any], tables: _Calendar, rows: _Rows
) -> Int64Array:
    """Shift each row by its own count: the scalar path's arithmetic, one row per lane.

    ``n`` is clamped to ``±_FAR`` (so no sum overflows); ``given`` is what the caller
    passed, shown in any error.
    """
    i = days - _FIRST_DAY
    k = np.where(n > 0, tables.after.take(i) + n, tables.before.take(i) + n)
    bad = (n != 0) & ((k < 0) | (k >= len(tables.days)))
    rows.add(
        bad,
        given,
        field="n",
        message="the row's count of business days from its date falls outside the supported range",
        reference=RANGE_REFERENCE,
        kind=OutOfCoverageError,
    )
    shifted = tables.days.take(np.clip(k, 0, len(tables.days) - 1))
    return np.where(n == 0, days, shifted)


def due_dates(period: Period, dates: Any, *, calendar: EnglandWalesCalendar | None = None) -> Any:
    """Return :func:`~rtaprotocol.deadlines.due_date` of ``period`` for every event date.

    The last day of the period counted from the first full business day after each
    event (guide 6.3.1): :func:`add_business_days_many` of ``period.business_days``.

    >>> from rtaprotocol.deadlines import Period
    >>> import pandas as pd
    >>> entered = pd.Series(pd.to_datetime(["2023-05-02", "2023-12-22"]), index=["a", "b"])
    >>> due_dates(Period.LIABILITY_RESPONSE, entered)   # coronation; Christmas inside
    a   2023-06-15
    b   2024-02-07
    Name: due_date, dtype: datetime64[s]

    A due date past the calendar names the event date given (as ``due_date`` names its
    ``event_date``), not a count the caller did not give:

    >>> due_dates(Period.OFFER, pd.Series(pd.to_datetime(["2100-12-31"])))
    Traceback (most recent call last):
    ...
    rtaprotocol.errors.OutOfCoverageError: dates: 1 bad row (by index: 0): dates: 20 business days from the row's date falls outside the supported range (row 0): got {0: {'dates': datetime.date(2100, 12, 31)}} [the calendar covers 2000-01-01 to 2100-12-31 (rtaprotocol calendar)]
    """
    if not isinstance(period, Period):
        raise RulesTypeError(
            "expected a Period", value=period, field="period", reference=BUSINESS_DAY_REFERENCE
        )
    result = _add_many(dates, period.business_days, calendar, count_field="dates")
    if isinstance(result, pd.Series):
        result.name = "due_date"
    return result
