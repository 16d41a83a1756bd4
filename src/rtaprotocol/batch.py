"""The batch path for pricing scripts: the scalar rules over numpy arrays and pandas frames.

The scalar functions are the specification; this module gives the same answers, to the
penny and the day, over a million rows at a time. It needs the ``batch`` extra (numpy
and pandas) and is imported explicitly: ``import rtaprotocol`` never loads it.

**Money is integer pence.** Every amount in or out is an ``int64`` number of pence
(``211250`` is £2,112.50): no float ever holds money. Percentages become whole basis
points (at most two decimal places, as :func:`~rtaprotocol.money.to_percent` requires),
and every reduction is ``(pence * (10000 - bp) + 5000) // 10000``, which is exactly
:func:`~rtaprotocol.money.round_penny` (half-up) of the scalar Decimal step. Use
:func:`pence` to bring pounds in (it applies :func:`~rtaprotocol.money.to_money`'s
rules) and :func:`pounds` to turn results back into two-place ``Decimal`` pounds.
Amounts above :data:`MAX_PENCE` (£100 billion) are refused, so no product can overflow.

**Bad rows are named, never NaN.** Every check runs over the whole column; a
:class:`~rtaprotocol.errors.RulesError` then names every bad row by its index label
(or position, for a plain array), with the value, the field and the rule. ``err.value``
maps each bad row to its offending values (a label the index repeats maps to a list,
one entry per bad row, so none is lost).

>>> import numpy as np
>>> days = np.array(["2023-05-02", "2023-05-27"], dtype="datetime64[D]")
>>> add_business_days_many(days, 1)   # Saturday: Monday 29 May is a bank holiday
array(['2023-05-03', '2023-05-30'], dtype='datetime64[D]')
"""

from __future__ import annotations

import difflib
import functools
import importlib
import math
import sys
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import ROUND_CEILING, Decimal
from typing import Any, Final, NamedTuple, TypeAlias

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from rtaprotocol._decimal import exact
from rtaprotocol._render import html_table, html_text, html_verdict, text_table
from rtaprotocol.deadlines import (
    _DEFAULT,
    _FIRST,
    _LAST,
    BUSINESS_DAY_REFERENCE,
    RANGE_REFERENCE,
    EnglandWalesCalendar,
    Period,
)
from rtaprotocol.deductions import (
    _CRU_ON_INJURY,
    _INTERIM_ON_INJURY,
    CRU_NOT_INJURY_REFERENCE,
    CRU_REFERENCE,
    HEADS_REFERENCE,
    INTERIM_NOT_INJURY_REFERENCE,
    INTERIM_REFERENCE,
    LIABILITY_REFERENCE,
    SEATBELT_REFERENCE,
    Head,
    _seatbelt_heads,
)
from rtaprotocol.errors import (
    ErrorCode,
    InvalidInput,
    OutOfCoverageError,
    ProtocolViolation,
    RulesError,
    RulesTypeError,
)
from rtaprotocol.limits import INJURY_LIMIT, TOTAL_LIMIT
from rtaprotocol.money import MONEY_REFERENCE, PENNY, to_money, to_pence, to_percent
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
from rtaprotocol.valuation import MIXED_INJURY_REFERENCE

__all__ = [
    "CLAIM_COLUMNS",
    "DASK_WORKER_ENV",
    "ERROR_POLICIES",
    "LIMIT_COLUMNS",
    "MAX_PENCE",
    "PAYMENT_COLUMNS",
    "PENCE_COLUMNS",
    "PERCENT_SCALES",
    "STATUS_COLUMNS",
    "SUMMARY_TOTALS",
    "TARIFF_COLUMNS",
    "VALUE_COLUMNS",
    "add_business_days_many",
    "compare_tables",
    "dask_worker_config",
    "due_dates",
    "local_cluster",
    "payments",
    "pence",
    "pounds",
    "run_portfolio",
    "summarise",
    "tariff_amounts",
    "value_claims",
    "value_claims_dask",
    "value_claims_meta",
]

Int64Array: TypeAlias = npt.NDArray[np.int64]
BoolArray: TypeAlias = npt.NDArray[np.bool_]

#: The largest amount the batch path accepts, in pence (£100,000,000,000), so that
#: ``pence * 10000`` stays far inside ``int64``.
MAX_PENCE: Final = 10**13

_EPOCH: Final = date(1970, 1, 1).toordinal()  # numpy's day 0
_FIRST_DAY: Final = _FIRST - _EPOCH  # the supported range, in numpy day numbers
_LAST_DAY: Final = _LAST - _EPOCH
#: More business days than the supported range holds: a count beyond it is out of range
#: from any date, so counts are clamped to it before any int64 arithmetic.
_FAR: Final = _LAST - _FIRST + 2
_SHOWN: Final = 20  # bad rows spelled out in an error message; err.value holds them all
_NAT: Final = np.iinfo(np.int64).min  # NaT's int64 representation
PERCENT_REFERENCE: Final = (
    "percentages are 0 to 100 with at most two decimal places (rtaprotocol percentages)"
)
BATCH_MONEY_REFERENCE: Final = (
    f"batch amounts are whole pence from 0 to {MAX_PENCE:_} (int64, never float); "
    + MONEY_REFERENCE
)


# --- bad rows -----------------------------------------------------------------------------


class _Problem(NamedTuple):
    field: str
    message: str
    reference: str
    kind: type[RulesError]
    positions: Int64Array
    values: list[Any]
    code: ErrorCode


_DEFAULT_CODES: Final[Mapping[type[RulesError], ErrorCode]] = {
    RulesTypeError: ErrorCode.TYPE_WRONG,
    OutOfCoverageError: ErrorCode.COVERAGE_OUT_OF_RANGE,
    ProtocolViolation: ErrorCode.PROTOCOL_FORBIDDEN,
}
#: ``value_claims``' choices for a bad row: raise one error naming every bad row, or
#: value the good rows and flag the bad ones in the result.
ERROR_POLICIES: Final = ("raise", "flag")
#: The columns ``value_claims(..., errors="flag")`` adds: ``status`` (``"valued"`` or
#: ``"refused"``), and for a refused row its ``error_code`` (each problem's
#: :class:`~rtaprotocol.errors.ErrorCode`, as the error would carry it),
#: ``error_column`` (the input columns at fault) and ``error_message`` (each problem,
#: with the value and the rule); empty (``<NA>``) on a valued row.
STATUS_COLUMNS: Final = ("status", "error_code", "error_column", "error_message")
_STATUSES: Final = ("valued", "refused")


class _Rows:
    """Collects every bad row of a call, then raises one error naming them all."""

    def __init__(self, labels: pd.Index[Any] | None, size: int) -> None:
        self.labels = labels
        self.size = size
        self.problems: list[_Problem] = []

    def label(self, position: int) -> Hashable:
        """Return the caller's name for a row: its index label, or its array position."""
        if self.labels is None:
            return position
        label: Hashable = self.labels[position]
        return label.item() if isinstance(label, np.generic) else label

    def add(
        self,
        bad: BoolArray,
        values: Any,
        *,
        field: str,
        message: str,
        reference: str,
        kind: type[RulesError] = RulesError,
        code: ErrorCode | None = None,
    ) -> None:
        """Record the rows where ``bad`` is true, with their values from ``values``."""
        if not bad.any():
            return
        positions = np.flatnonzero(bad).astype(np.int64)
        picked = np.asarray(values)[positions] if np.ndim(values) else [values] * len(positions)
        shown = [_plain(v) for v in picked]
        code = code or _DEFAULT_CODES.get(kind, ErrorCode.VALUE_INVALID)
        self.problems.append(_Problem(field, message, reference, kind, positions, shown, code))

    def add_all(
        self,
        values: Any,
        *,
        field: str,
        message: str,
        reference: str,
        kind: type[RulesError] = RulesTypeError,
        code: ErrorCode | None = None,
    ) -> None:
        """Record every row of a column of the wrong type (a RulesTypeError)."""
        everything = np.ones(self.size, dtype=np.bool_)
        self.add(
            everything,
            values,
            field=field,
            message=message,
            reference=reference,
            kind=kind,
            code=code,
        )

    def bad_so_far(self) -> BoolArray | None:
        """Return which rows have a problem recorded so far (``None``: no row has)."""
        if not self.problems:
            return None
        bad = np.zeros(self.size, dtype=np.bool_)
        for p in self.problems:
            bad[p.positions] = True
        return bad

    def outcomes(self) -> tuple[BoolArray, dict[str, Any]]:
        """Return which rows are refused, and the :data:`STATUS_COLUMNS` (``errors="flag"``).

        Each refused row lists its problems in the order they were found: the codes and
        the columns joined by ``","`` (the i-th code is the i-th column's), the messages
        (each with the value and the rule, as the error would say it) by ``" | "``.
        """
        refused = np.zeros(self.size, dtype=np.bool_)
        found: dict[int, tuple[list[str], list[str], list[str]]] = {}
        for p in self.problems:
            refused[p.positions] = True
            for pos, value in zip(p.positions.tolist(), p.values, strict=True):
                codes, fields, messages = found.setdefault(pos, ([], [], []))
                codes.append(_row_code(p.code, value))
                fields.append(p.field)
                messages.append(
                    str(p.kind(p.message, value=value, field=p.field, reference=p.reference))
                )
        columns: dict[str, Any] = {
            "status": pd.Categorical.from_codes(
                refused.astype(np.int8), categories=pd.Index(_STATUSES, dtype=object)
            )
        }
        positions = np.fromiter(found, dtype=np.int64, count=len(found))
        for i, name in enumerate(STATUS_COLUMNS[1:]):
            joined = [(" | " if i == 2 else ",").join(parts[i]) for parts in found.values()]
            columns[name] = _sparse_strings(self.size, positions, joined)
        return refused, columns

    def check(self) -> None:
        """Raise one error naming every bad row, if any row was bad."""
        if not self.problems:
            return
        by_position: dict[int, dict[str, Any]] = {}
        for p in self.problems:
            for pos, value in zip(p.positions.tolist(), p.values, strict=True):
                by_position.setdefault(pos, {})[p.field] = value
        # A label the index repeats maps to a list of its bad rows' values, in row order,
        # so no row is lost when labels are not unique.
        by_label: dict[Hashable, list[dict[str, Any]]] = {}
        for pos in sorted(by_position):
            by_label.setdefault(self.label(pos), []).append(by_position[pos])
        labels = list(by_label)
        named = ", ".join(repr(r) for r in labels[:_SHOWN])
        if len(labels) > _SHOWN:
            named += f" and {len(labels) - _SHOWN} more (all in err.value)"
        if len(labels) < len(by_position):
            named += "; labels repeat: err.value lists each label's rows"
        reasons = "; ".join(
            f"{p.field}: {p.message} (row {self.label(int(p.positions[0]))!r}"
            + (f" and {len(p.positions) - 1} more)" if len(p.positions) > 1 else ")")
            for p in self.problems
        )
        kinds = {p.kind for p in self.problems}
        kind = kinds.pop() if len(kinds) == 1 else RulesError
        codes = {_row_code(p.code, v) for p in self.problems for v in p.values}
        code = codes.pop() if len(codes) == 1 else None
        references = list(dict.fromkeys(p.reference for p in self.problems))
        fields = ", ".join(dict.fromkeys(p.field for p in self.problems))
        noun = "row" if len(by_position) == 1 else "rows"
        raise kind(
            f"{len(by_position)} bad {noun} (by index: {named}): {reasons}",
            value={key: found[0] if len(found) == 1 else found for key, found in by_label.items()},
            field=fields,
            reference="; ".join(references),
            code=code,
        )


def _row_code(code: ErrorCode, value: Any) -> ErrorCode:
    """Return a row's code: an amount "negative or too large" is ``money.negative`` if < 0."""
    if code is ErrorCode.MONEY_TOO_LARGE and isinstance(value, int | float | Decimal):
        return ErrorCode.MONEY_NEGATIVE if value < 0 else code
    return code


def _sparse_strings(size: int, positions: Int64Array, texts: list[str]) -> Any:
    """Return a pandas string column, ``<NA>`` but for ``texts`` at ``positions``.

    Built by one Arrow ``take`` (no Python object per row) where pandas' strings are
    Arrow-backed; else from an object array.
    """
    dtype = pd.StringDtype()
    if dtype.storage == "pyarrow":
        pa = importlib.import_module("pyarrow")
        picks = np.full(size, len(texts), dtype=np.int64)  # the last entry is the null
        picks[positions] = np.arange(len(texts))
        return pd.array(pa.array([*texts, None], pa.large_string()).take(picks), dtype=dtype)
    text = np.full(size, None, dtype=object)  # pragma: no cover - pyarrow is in the tests
    text[positions] = texts
    return pd.array(text, dtype=dtype)


def _plain(value: Any) -> Any:
    """Return a numpy scalar as the Python value it stands for (dates as ``date``)."""
    if isinstance(value, np.datetime64):
        return None if np.isnat(value) else value.astype("datetime64[D]").item()
    if isinstance(value, np.generic):
        return value.item()
    return value


def _labels_of(*values: Any) -> pd.Index[Any] | None:
    """Return the index shared by the pandas Series in ``values`` (rows are named by it).

    The batch functions work by position, so Series with different indexes are refused
    rather than silently misaligned.
    """
    indexes = [v.index for v in values if isinstance(v, pd.Series)]
    if not indexes:
        return None
    first = indexes[0]
    if any(other is not first and not other.equals(first) for other in indexes[1:]):
        raise RulesError(
            "pandas Series arguments have different indexes; align them first",
            value=[list(i[:5]) for i in indexes],
            field="index",
            reference="the batch functions work row by row, by position (rtaprotocol batch rows)",
        )
    return first


def _length(values: Any, field: str, reference: str) -> int:
    """Return the number of rows of a column argument; a lone scalar is refused."""
    if np.ndim(values) != 1:
        raise RulesTypeError(
            "expected a one-dimensional array or a pandas Series",
            value=values,
            field=field,
            reference=reference,
        )
    return len(values)


def _size_of(values: Sequence[Any], field_names: Sequence[str]) -> int:
    """Return the common length of the array arguments (scalars broadcast); refuse a mismatch."""
    sizes = {n: len(v) for n, v in zip(field_names, values, strict=True) if np.ndim(v) == 1}
    if not sizes:
        return 1
    if len(set(sizes.values())) > 1:
        raise RulesError(
            "array arguments have different lengths",
            value=sizes,
            field=", ".join(sizes),
            reference=(
                "the batch functions work row by row on arrays of one length "
                "(rtaprotocol batch rows)"
            ),
        )
    return next(iter(sizes.values()))


def _column(values: Any, rows: _Rows, field: str, reference: str) -> npt.NDArray[Any]:
    """Return ``values`` as a 1-D numpy array, recording missing values as bad rows.

    Missing means NaN, NaT, ``None`` or ``pd.NA``: a row is refused rather than given a
    NaN answer. pandas' nullable dtypes (``Int64``, ``boolean``) become their numpy dtype
    when they hold no missing value. A list or tuple becomes an object array, so that
    each value is checked as the scalar door checks it (``[True, 1]`` is not ``[1, 1]``).
    """
    if isinstance(values, pd.Series | pd.Index):
        dtype = getattr(values.dtype, "numpy_dtype", None)
        if dtype is None:
            array = values.to_numpy()
        elif values.hasnans and np.dtype(dtype).kind == "f":
            array = values.to_numpy(dtype=dtype, na_value=np.nan)  # a gap is a NaN row
        elif values.hasnans:
            array = values.to_numpy(dtype=object)
        else:
            array = values.to_numpy(dtype=dtype)
    elif isinstance(values, list | tuple):
        array = np.empty(len(values), dtype=object)
        array[:] = values
    else:
        array = np.asarray(values)
    if array.ndim != 1:
        raise RulesTypeError(
            "expected a one-dimensional array or a pandas Series",
            value=getattr(array, "shape", values),
            field=field,
            reference="the batch functions work row by row (rtaprotocol batch rows)",
        )
    kind = array.dtype.kind
    if kind == "M":
        missing = np.isnat(array)
    elif kind == "f":
        missing = np.isnan(array)
    elif kind == "O":
        missing = _missing_mask(array)
    else:
        return array
    rows.add(
        missing,
        array,
        field=field,
        code=ErrorCode.FIELD_MISSING,
        message="missing value (the batch path refuses a row rather than return NaN)",
        reference=reference,
    )
    return array


def _result(values: npt.NDArray[Any], labels: pd.Index[Any] | None, name: str) -> Any:
    """Return ``values`` as a Series on ``labels`` when the input had an index, else as is."""
    if labels is None:
        return values
    return pd.Series(values, index=labels, name=name)


# --- dates --------------------------------------------------------------------------------


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


def _is_missing(value: Any) -> bool:
    """Return True for ``None``, ``NaT``, ``pd.NA`` and a float NaN.

    A ``Decimal`` NaN is not "missing": it goes to the scalar door, which refuses it as
    the scalar rule does (and an ``sNaN`` cannot even be compared).
    """
    if value is None or value is pd.NaT or value is pd.NA:
        return True
    return isinstance(value, float) and value != value  # noqa: PLR0124


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
            raise RulesTypeError(
                f"expected an int, not {type(n).__name__}",
                value=n,
                field="n",
                reference=BUSINESS_DAY_REFERENCE,
            )
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
    cal = _check_calendar(calendar)
    labels = _labels_of(dates, n)
    size = len(dates) if np.ndim(dates) else 1
    rows = _Rows(labels, size)
    days = _day_numbers(dates, rows, "dates", BUSINESS_DAY_REFERENCE)
    _covered(days, rows, "dates")
    count = _offsets(n, rows, len(days))
    rows.check()
    tables = _calendar_arrays(cal)
    if isinstance(count, int):
        out = _shift_by(days, count, tables, rows)
    else:
        out = _shift_each(days, *count, tables, rows)
    rows.check()
    return _result(out.view("datetime64[D]"), labels, getattr(dates, "name", None) or "date")


def _shift_by(days: Int64Array, n: int, tables: _Calendar, rows: _Rows) -> Int64Array:
    """One ``n`` for every row: build the day-to-result table once, then one ``np.take``."""
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
            span.take(i).view("datetime64[D]"),
            field="n",
            message=f"{n} business days on falls outside the supported range",
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
        message="so many business days on falls outside the supported range",
        reference=RANGE_REFERENCE,
        kind=OutOfCoverageError,
    )
    shifted = tables.days.take(np.clip(k, 0, len(tables.days) - 1))
    return np.where(n == 0, days, shifted)


def _check_calendar(calendar: EnglandWalesCalendar | None) -> EnglandWalesCalendar:
    if calendar is None:
        return _DEFAULT
    if not isinstance(calendar, EnglandWalesCalendar):
        raise RulesTypeError(
            "expected an EnglandWalesCalendar",
            value=calendar,
            field="calendar",
            reference=BUSINESS_DAY_REFERENCE,
        )
    return calendar


def due_dates(period: Period, dates: Any, *, calendar: EnglandWalesCalendar | None = None) -> Any:
    """Return :func:`~rtaprotocol.deadlines.due_date` of ``period`` for every event date.

    The last day of the period counted from the first full business day after each
    event (guide 6.3.1): :func:`add_business_days_many` of ``period.business_days``.

    >>> import pandas as pd
    >>> entered = pd.Series(pd.to_datetime(["2023-05-02", "2023-12-22"]), index=["a", "b"])
    >>> due_dates(Period.LIABILITY_RESPONSE, entered)   # coronation; Christmas inside
    a   2023-06-15
    b   2024-02-07
    Name: due_date, dtype: datetime64[s]
    """
    if not isinstance(period, Period):
        raise RulesTypeError(
            "expected a Period", value=period, field="period", reference=BUSINESS_DAY_REFERENCE
        )
    result = add_business_days_many(dates, period.business_days, calendar=calendar)
    if isinstance(result, pd.Series):
        result.name = "due_date"
    return result


# --- money and percentages ----------------------------------------------------------------


@exact
def pence(amounts: Any) -> Any:
    """Return pound amounts as ``int64`` pence, by :func:`~rtaprotocol.money.to_money`'s rules.

    The door into the batch path for money (guide 4.4, 6.5.2): integers are whole
    pounds; a float is accepted only when it is a whole number of pence (``1390.5`` yes,
    ``0.1 + 0.2`` no); ``Decimal`` and numeric strings go through ``to_money`` one by one.
    Negative, missing or not-a-number amounts are refused, naming every bad row.

    >>> import pandas as pd
    >>> pence(pd.Series([1390, 1390.5, 0.07], index=[10, 11, 12])).tolist()
    [139000, 139050, 7]
    >>> pence([Decimal("2112.50"), "0.10"])
    array([211250,     10])
    >>> pence([0.1 + 0.2])
    Traceback (most recent call last):
    ...
    rtaprotocol.errors.RulesError: amounts: 1 bad row (by index: 0): amounts: amount has more than two decimal places of value (row 0): got {0: {'amounts': 0.30000000000000004}} [amounts are pounds and pence, never negative (guide 4.4, 6.5.2)]
    """
    labels = _labels_of(amounts)
    rows = _Rows(labels, _length(amounts, "amounts", MONEY_REFERENCE))
    column = _column(amounts, rows, "amounts", MONEY_REFERENCE)
    out = _pounds_to_pence(column, rows, "amounts")
    rows.check()
    return _result(out, labels, getattr(amounts, "name", None) or "pence")


def _hundredths(array: npt.NDArray[Any], ceiling: int) -> tuple[npt.NDArray[Any], BoolArray]:
    """Return floats times 100, rounded, clipped to fit int64, and where that is exact.

    Exact means a finite float with at most two decimal places; the clip to
    ``-1..ceiling + 1`` keeps refused values in range for the cast.
    """
    with np.errstate(invalid="ignore", over="ignore"):
        hundredths = np.rint(array * 100)
        exact = (hundredths / 100 == array) & np.isfinite(array)
        return np.clip(hundredths, -1, ceiling + 1), exact


def _pounds_to_pence(array: npt.NDArray[Any], rows: _Rows, field: str) -> Int64Array:
    kind = array.dtype.kind
    if kind in "iu":
        bad = (array < 0) | (array > MAX_PENCE // 100)  # compared before any cast or product
        rows.add(
            bad,
            array,
            field=field,
            code=ErrorCode.MONEY_TOO_LARGE,
            message=f"amount is negative or above £{MAX_PENCE // 100:,}",
            reference=MONEY_REFERENCE,
        )
        return np.where(bad, 0, _capped(array, MAX_PENCE // 100)) * 100
    if kind == "f":
        scaled, exact = _hundredths(array, MAX_PENCE)
        rows.add(
            ~exact & ~np.isnan(array),
            array,
            field=field,
            code=ErrorCode.MONEY_TOO_MANY_PLACES,
            message="amount has more than two decimal places of value",
            reference=MONEY_REFERENCE,
        )
        rows.add(
            exact & ((array < 0) | (scaled > MAX_PENCE)),
            array,
            field=field,
            code=ErrorCode.MONEY_TOO_LARGE,
            message=f"amount is negative or above £{MAX_PENCE // 100:,}",
            reference=MONEY_REFERENCE,
        )
        return np.where(exact, scaled, 0).astype(np.int64)
    if kind in "OUS":
        return _per_element(
            array.astype(object),
            rows,
            field,
            functools.partial(_pence_of, field=field),
            MONEY_REFERENCE,
        )
    rows.add_all(
        array,
        field=field,
        message=f"amounts must be numbers, not {array.dtype}",
        reference=MONEY_REFERENCE,
    )
    return np.zeros(len(array), dtype=np.int64)


def _pence_of(value: Any, *, field: str) -> int:
    """Return one amount in pounds as whole pence by ``to_money``, refusing above MAX_PENCE."""
    amount = int(to_money(value, field=field) * 100)
    if amount > MAX_PENCE:
        raise RulesError(
            f"amount is negative or above £{MAX_PENCE // 100:,}",
            value=value,
            field=field,
            reference=MONEY_REFERENCE,
        )
    return amount


def _python_float(value: Any) -> Any:
    """Return a numpy float (a ``float`` subclass) as a plain ``float``, anything else as is.

    So an object column holding ``numpy.float64`` values reaches the scalar door exactly
    as a column of plain floats does (its ``repr`` is ``'np.float64(5.5)'``, not ``'5.5'``).
    """
    return float(value) if isinstance(value, float) and type(value) is not float else value


def _per_element(
    array: npt.NDArray[Any],
    rows: _Rows,
    field: str,
    convert: Callable[[Any], int],
    reference: str,
) -> Int64Array:
    """Convert an object column value by value with the scalar door, collecting refusals."""
    out = np.zeros(len(array), dtype=np.int64)
    refusals: dict[str, tuple[list[int], type[RulesError], str, ErrorCode]] = {}
    for i, value in enumerate(array.tolist()):
        if _is_missing(value):
            continue  # already recorded by _column
        try:
            out[i] = convert(_python_float(value))
        except RulesError as err:
            entry = refusals.setdefault(err.message, ([], type(err), err.reference, err.code))
            entry[0].append(i)
    for message, (positions, kind, ref, code) in refusals.items():
        bad = np.zeros(len(array), dtype=np.bool_)
        bad[positions] = True
        rows.add(
            bad,
            array,
            field=field,
            message=message,
            reference=ref or reference,
            kind=kind,
            code=code,
        )
    return out


def _whole_floats(
    array: npt.NDArray[Any],
    rows: _Rows,
    *,
    field: str,
    high: int,
    message: str,
    reference: str,
    fill: int = 0,
    code: ErrorCode = ErrorCode.MONEY_TOO_MANY_PLACES,
) -> Int64Array:
    """Return a float column of whole numbers as ``int64``; record every other row.

    A NaN in an integer column makes pandas store it as floats: ``3.0`` is then the 3 it
    was, ``3.5`` is refused naming its row, and a NaN names only its own row (recorded
    by :func:`_column`). Values are clipped to ``-1..high + 1`` before the cast, so the
    caller's range check refuses them (showing the value as given) and nothing wraps.
    A refused or missing row holds ``fill``, a value the caller's checks accept, so the
    row is named once, for what is wrong with it.
    """
    with np.errstate(invalid="ignore"):
        nan = np.isnan(array)
        whole = np.isfinite(array) & (np.floor(array) == array)
    rows.add(~whole & ~nan, array, field=field, message=message, reference=reference, code=code)
    return np.where(whole, np.clip(array, -1, high + 1), fill).astype(np.int64)


def _whole_pence(values: Any, rows: _Rows, field: str, size: int) -> Int64Array:
    """Return a column (or scalar) of ``int64`` pence, checked 0..MAX_PENCE."""
    if np.ndim(values) == 0:
        if isinstance(values, bool | np.bool_) or not isinstance(values, int | np.integer):
            raise RulesTypeError(
                f"expected whole pence (an int), not {type(values).__name__}",
                value=values,
                field=field,
                reference=BATCH_MONEY_REFERENCE,
            )
        # Range-checked as a Python int first, so a huge one cannot overflow int64.
        whole = int(values)
        array: npt.NDArray[Any] = np.full(size, whole if 0 <= whole <= MAX_PENCE else -1)
        rows.add(
            array < 0,
            values,
            field=field,
            code=ErrorCode.MONEY_TOO_LARGE,
            message="amount in pence is negative or too large",
            reference=BATCH_MONEY_REFERENCE,
        )
        return array.astype(np.int64)
    array = _column(values, rows, field, BATCH_MONEY_REFERENCE)
    if array.dtype.kind == "O":
        ints = np.array(
            [isinstance(v, int) and not isinstance(v, bool) for v in array.tolist()],
            dtype=np.bool_,
        )
        rows.add(
            ~ints & ~_missing_mask(array),
            array,
            field=field,
            message="expected whole pence (int); convert pounds with rtaprotocol.batch.pence",
            reference=BATCH_MONEY_REFERENCE,
            kind=RulesTypeError,
        )
        # Python ints may be any size: clamp to -1..MAX_PENCE+1 (refused below) before int64.
        clamped = [
            max(-1, min(v, MAX_PENCE + 1)) if ok else 0
            for v, ok in zip(array.tolist(), ints.tolist(), strict=True)
        ]
        out = np.array(clamped, dtype=np.int64)
    elif array.dtype.kind == "f":
        out = _whole_floats(
            array,
            rows,
            field=field,
            high=MAX_PENCE,
            message="a float amount in pence must be a whole number of pence; convert pounds "
            "with rtaprotocol.batch.pence",
            reference=BATCH_MONEY_REFERENCE,
        )
    elif array.dtype.kind not in "iu":
        rows.add_all(
            array,
            field=field,
            message=f"expected whole pence (an integer column), not {array.dtype}; convert "
            "pounds with rtaprotocol.batch.pence",
            reference=BATCH_MONEY_REFERENCE,
        )
        return np.zeros(len(array), dtype=np.int64)
    elif not array.size or (array.min() >= 0 and array.max() <= MAX_PENCE):
        return array.astype(np.int64, copy=False)  # the common case: two reductions, no mask
    else:
        out = _capped(array, MAX_PENCE)
    if out.size and (out.min() < 0 or out.max() > MAX_PENCE):
        rows.add(
            (out < 0) | (out > MAX_PENCE),
            array,
            field=field,
            code=ErrorCode.MONEY_TOO_LARGE,
            message="amount in pence is negative or too large",
            reference=BATCH_MONEY_REFERENCE,
        )
    return out


def _capped(array: npt.NDArray[Any], high: int) -> Int64Array:
    """Return an integer column of any dtype as ``int64``, each value above ``high`` as ``high + 1``.

    Compared in the column's own dtype before any cast, so a ``uint64`` above the
    ``int64`` range never wraps round to a negative or small number; and no Python int is
    ever put into an unsigned array (under NEP 50, numpy refuses ``-1`` as a ``uint8``).
    Negative values of a signed column stay negative, for the caller to refuse.
    """
    above = array > high  # a uint64 above the int64 range wraps in the cast, but is replaced
    return np.where(above, high + 1, array.astype(np.int64))


def _missing_mask(array: npt.NDArray[Any]) -> BoolArray:
    return np.array([_is_missing(v) for v in array.tolist()], dtype=np.bool_)


def _basis_points(
    values: Any,
    rows: _Rows,
    field: str,
    size: int,
    *,
    high: int | Decimal,
    reference: str,
    scale: str = "percent",
    guard: bool = False,
) -> Int64Array:
    """Return a percentage column (or scalar) as ``int64`` basis points, checked 0..high.

    ``scale="fraction"`` reads ``0.25`` as 25% (at most four decimal places, so still a
    whole number of basis points). ``guard`` refuses a column of percentages that looks
    like fractions: every value at most 1 and some not whole (see
    :func:`_looks_like_fractions`). A column that is all as it should be is checked by
    a few reductions, with no per-row mask.
    """
    fraction = scale == "fraction"
    if np.ndim(values) == 0:
        value = _python_float(values)
        pct = to_percent(
            _fraction_as_percent(value) if fraction else value,
            field=field,
            high=high,
            reference=reference,
        )
        return np.full(size, int(pct * 100), dtype=np.int64)
    array = _column(values, rows, field, reference)
    top = int(high * 100)
    factor = 10000 if fraction else 100  # basis points per unit given
    kind = array.dtype.kind
    if kind in "iu":
        if array.size and array.min() >= 0 and int(array.max()) * factor <= top:
            return array.astype(np.int64) * factor  # the common case: no mask
        # Capped before scaling: a huge percentage times 100 could wrap into 0..100%.
        out = _capped(array, top // factor) * factor
    elif kind == "f":
        with np.errstate(invalid="ignore", over="ignore"):
            scaled = array * factor
            np.rint(scaled, out=scaled)
            if (
                array.size
                and (scaled / factor == array).all()  # no NaN, at most two places
                and scaled.min() >= 0
                and scaled.max() <= top  # no infinity, in range
            ):
                out = scaled.astype(np.int64)
                if guard:
                    _looks_like_fractions(out, array, rows, field)
                return out
            exact = (scaled / factor == array) & np.isfinite(array)
            scaled = np.clip(scaled, -1, top + 1)
        rows.add(
            ~exact & ~np.isnan(array),
            array,
            field=field,
            code=ErrorCode.PERCENT_TOO_MANY_PLACES,
            message="fraction has more than four decimal places"
            if fraction
            else "percentage has more than two decimal places",
            reference=reference,
        )
        out = np.where(exact, scaled, 0).astype(np.int64)
    elif kind in "OUS":
        out = _per_element(
            array.astype(object),
            rows,
            field,
            lambda v: int(
                to_percent(
                    _fraction_as_percent(v) if fraction else v,
                    field=field,
                    high=high,
                    reference=reference,
                )
                * 100
            ),
            reference,
        )
        if guard:
            _looks_like_fractions(out, array, rows, field)
        return out
    else:
        rows.add_all(
            array,
            field=field,
            message=f"percentages must be numbers, not {array.dtype}",
            reference=reference,
        )
        return np.zeros(len(array), dtype=np.int64)
    rows.add(
        (out < 0) | (out > top),
        array,
        field=field,
        code=ErrorCode.PERCENT_OUT_OF_RANGE,
        message=f"{'fraction' if fraction else 'percentage'} is outside 0 to "
        f"{Decimal(high) / 100 if fraction else high}",
        reference=reference,
    )
    if guard:
        _looks_like_fractions(out, array, rows, field)
    return out


def _looks_like_fractions(bp: Int64Array, given: Any, rows: _Rows, field: str) -> None:
    """Refuse a percentage column that looks like fractions: all at most 1, some not whole.

    ``0.25`` meant as 25% would otherwise be read as 0.25%: a silently wrong payment.
    Every non-zero row is named (zero is the same on either reading); the caller says
    ``percent_scale="fraction"`` (they are fractions) or ``"percent"`` (they are small
    percentages).
    """
    if not bp.size or bp.max() > 100 or bp.min() < 0 or not (bp % 100).any():
        return
    rows.add(
        bp != 0,
        given,
        field=field,
        code=ErrorCode.PERCENT_FRACTION,
        message="every value in the column is at most 1 and some are not whole, so these look "
        'like fractions (0.25 for 25%), which would be read as 0.25%: say percent_scale="fraction"'
        ' if they are fractions, or percent_scale="percent" if they are percentages under 1%',
        reference=FRACTION_REFERENCE,
    )


def _fraction_as_percent(value: Any) -> Any:
    """Return a fraction as the percentage it stands for (``0.25`` is ``Decimal("25")``).

    Exactly, by moving the decimal point (a float by its shortest repr, as ``to_money``
    reads floats); anything else is returned as it is, for ``to_percent`` to refuse.
    """
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value * 100
    if isinstance(value, float) and math.isfinite(value):
        value = Decimal(repr(value))
    elif isinstance(value, str):
        try:
            value = Decimal(value.strip())
        except ArithmeticError:
            return value
    if isinstance(value, Decimal) and value.is_finite():
        return value.scaleb(2)
    return value


def _flags(values: Any, rows: _Rows, field: str, size: int, reference: str) -> BoolArray:
    """Return a column (or scalar) of ``bool``.

    A lone scalar, and each value of a list or object column, must be a ``bool`` (as in
    the scalar path). A numeric column may hold ``0`` and ``1`` (a flag exported as an
    integer, or as a float once a NaN got in); any other number names its row.
    """
    if np.ndim(values) == 0:
        if not isinstance(values, bool | np.bool_):
            raise RulesTypeError(
                f"expected True or False, not {type(values).__name__}",
                value=values,
                field=field,
                reference=reference,
            )
        return np.full(size, bool(values), dtype=np.bool_)
    if isinstance(values, pd.Series | pd.Index) and values.hasnans:
        dtype = getattr(values.dtype, "numpy_dtype", None)
        if dtype is not None and np.dtype(dtype).kind in "iu":  # nullable 0/1 with gaps
            values = values.astype(np.float64)
    array = _column(values, rows, field, reference)
    if array.dtype == np.bool_:
        return array
    if array.dtype.kind in "iuf":
        with np.errstate(invalid="ignore"):
            ok = (array == 0) | (array == 1)
        gap = np.isnan(array) if array.dtype.kind == "f" else np.zeros(len(array), np.bool_)
        rows.add(
            ~ok & ~gap,
            array,
            field=field,
            code=ErrorCode.TYPE_WRONG,
            message="expected True or False (or 0 or 1 in a numeric column)",
            reference=reference,
        )
        return np.asarray(array == 1, dtype=np.bool_)
    if array.dtype.kind == "O":
        ok = np.array([isinstance(v, bool | np.bool_) for v in array.tolist()], dtype=np.bool_)
        rows.add(
            ~ok & ~_missing_mask(array),
            array,
            field=field,
            message="expected True or False",
            reference=reference,
            kind=RulesTypeError,
        )
        return np.where(ok, array, False).astype(np.bool_)
    rows.add_all(
        array,
        field=field,
        message=f"expected a bool column, not {array.dtype}",
        reference=reference,
    )
    return np.zeros(len(array), dtype=np.bool_)


@exact
def pounds(amounts_pence: Any) -> Any:
    """Return ``int64`` pence as exact two-place pounds, for display and export.

    The batch path itself stays in pence (guide 4.4, 6.5.2). A pandas Series comes back
    as a Series of exact decimals, renamed ``..._pounds`` if it was ``..._pence``; a
    DataFrame comes back with every ``..._pence`` column so converted and renamed, the
    other columns as they were. With pyarrow installed (it comes with the ``dask``
    extra) the decimals are an Arrow ``decimal128(20, 2)`` column, built straight from
    the pence without a Python object per row (a million rows in milliseconds); each
    value read out is a ``Decimal`` (``Decimal('2112.50')``). Without pyarrow, and for
    a numpy array or a list, they are ``Decimal`` objects. A missing value (a refused
    row of ``value_claims(..., errors="flag")``) stays missing.

    >>> pounds(np.array([211250, 7]))
    array([Decimal('2112.50'), Decimal('0.07')], dtype=object)
    >>> totals = pounds(pd.Series([211250, 5], name="total_pence"))
    >>> totals.name, totals.tolist()
    ('total_pounds', [Decimal('2112.50'), Decimal('0.05')])
    >>> pounds(pd.DataFrame({"claim": ["a"], "tariff_pence": [24000]})).columns.tolist()
    ['claim', 'tariff_pounds']
    """
    if isinstance(amounts_pence, pd.DataFrame):
        return pd.DataFrame(
            {
                _pounds_name(name): pounds(amounts_pence[name])
                if _pounds_name(name) != name
                else amounts_pence[name]
                for name in amounts_pence.columns
            },
            index=amounts_pence.index,
        )
    labels = _labels_of(amounts_pence)
    size = _length(amounts_pence, "amounts_pence", BATCH_MONEY_REFERENCE)
    missing = None
    if isinstance(amounts_pence, pd.Series) and amounts_pence.dtype == "Int64":
        missing = amounts_pence.isna().to_numpy()  # a refused row stays missing
        amounts_pence = amounts_pence.fillna(0)
    rows = _Rows(labels, size)
    whole = _whole_pence(amounts_pence, rows, "amounts_pence", size)
    rows.check()
    if labels is None:
        return np.array([Decimal(p) * PENNY for p in whole.tolist()] or [], dtype=object)
    name = getattr(amounts_pence, "name", None)
    return pd.Series(
        _decimal_pounds(whole, missing), index=labels, name=_pounds_name(name) or "pounds"
    )


def _pounds_name(name: Hashable) -> Hashable:
    """``total_pence`` -> ``total_pounds``; any other name as it is."""
    if isinstance(name, str) and name.endswith("_pence"):
        return name.removesuffix("_pence") + "_pounds"
    return name


def _decimal_pounds(whole: Int64Array, missing: BoolArray | None) -> Any:
    """Return pence (0..MAX_PENCE, checked) as exact two-place decimals, fast with pyarrow.

    An Arrow ``decimal128`` holds the unscaled integer with its scale: pence with scale 2
    are exactly the pounds, so the column is built on the pence themselves.
    """
    try:
        pa = importlib.import_module("pyarrow")
    except ImportError:
        pa = None
    if pa is None or sys.byteorder != "little":  # pragma: no cover - pyarrow is in the tests
        out = np.array([Decimal(p) * PENNY for p in whole.tolist()] or [], dtype=object)
        if missing is not None:
            out[missing] = None
        return out
    size = len(whole)
    words = np.zeros((size, 2), dtype=np.int64)  # little-endian int128: low word, then high
    words[:, 0] = whole
    validity = None
    nulls = 0
    if missing is not None and missing.any():
        validity = pa.py_buffer(np.packbits(~missing, bitorder="little"))
        nulls = int(missing.sum())
    array = pa.Array.from_buffers(
        pa.decimal128(20, 2), size, [validity, pa.py_buffer(words)], null_count=nulls
    )
    return pd.arrays.ArrowExtensionArray(array)


# --- tariff -------------------------------------------------------------------------------


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


# --- payments -----------------------------------------------------------------------------

#: The output columns of :func:`payments`, all ``int64`` pence.
PAYMENT_COLUMNS: Final = (
    "net_injury_pence",
    "net_injury_related_pence",
    "net_property_pence",
    "total_pence",
    "cru_not_set_off_pence",
    "interim_not_set_off_pence",
    "general_interim_not_set_off_pence",
)


def _off_into(out: Int64Array, bp: Int64Array | None, scratch: Int64Array) -> None:
    """``round_penny(value * (100 - pct) / 100)`` in pence and basis points, half-up, in place.

    On ``out``, with no temporary beyond ``scratch`` (reused by the caller).
    """
    if bp is None or not bp.any():
        return
    np.subtract(10000, bp, out=scratch)
    out *= scratch
    out += 5000
    out //= 10000


#: A payment output column per head, in Head order.
_NET_COLUMNS: Final = {
    Head.INJURY: "net_injury_pence",
    Head.INJURY_RELATED: "net_injury_related_pence",
    Head.PROPERTY: "net_property_pence",
}


def _payment_pence(
    full: Mapping[Head, Int64Array | None],
    *,
    liability_bp: Int64Array | None,
    seatbelt_bp: Int64Array | None,
    belted: tuple[Head, ...],
    cru: Mapping[Head, Int64Array | None],
    interim: Mapping[Head, Int64Array | None],
    general: Int64Array | None,
    size: int,
    out: Mapping[str, Int64Array] | None = None,
) -> dict[str, Int64Array]:
    """Apply the four ordered steps of guide 6.5.2 and the general interim to whole columns.

    ``None`` stands for a column of zeros, so a step with nothing to do costs nothing.
    The results are written into ``out`` (one preallocated row per
    :data:`PAYMENT_COLUMNS`, when given) with two scratch columns reused throughout: a
    large numpy temporary is mapped and faulted in afresh by the allocator each time,
    which is most of the cost in a Dask worker (docs/batch.md).
    """
    result = (
        dict(out) if out is not None else {c: np.empty(size, np.int64) for c in PAYMENT_COLUMNS}
    )
    scratch = np.empty(size, dtype=np.int64)
    set_off = np.empty(size, dtype=np.int64)
    cru_left = result["cru_not_set_off_pence"]
    interim_left = result["interim_not_set_off_pence"]
    cru_left.fill(0)
    interim_left.fill(0)
    for head in Head:
        value = result[_NET_COLUMNS[head]]
        given = full[head]
        if given is None:
            value.fill(0)
        else:
            np.copyto(value, given)
            _off_into(value, liability_bp, scratch)
            if head in belted:
                _off_into(value, seatbelt_bp, scratch)
        for taken, left in ((cru[head], cru_left), (interim[head], interim_left)):
            if taken is None:
                continue
            np.minimum(taken, value, out=set_off)
            np.add(left, taken, out=left)
            np.subtract(left, set_off, out=left)
            value -= set_off
    total = result["total_pence"]
    np.add(result["net_injury_pence"], result["net_injury_related_pence"], out=total)
    total += result["net_property_pence"]
    general_left = result["general_interim_not_set_off_pence"]
    if general is None:
        general_left.fill(0)
    else:
        np.minimum(general, total, out=set_off)
        total -= set_off
        np.subtract(general, set_off, out=general_left)
    return result


def _by_head(
    amounts: Mapping[Any, Any] | None, rows: _Rows, size: int, *, field: str, reference: str
) -> dict[Head, Int64Array]:
    """Validate a mapping of heads (or slugs) to pence columns; a head not given is 0."""
    if amounts is None:
        amounts = {}
    if not isinstance(amounts, Mapping):
        raise RulesTypeError(
            f"expected a mapping of heads to pence, not {type(amounts).__name__}",
            value=amounts,
            field=field,
            reference=reference,
        )
    out = {head: np.zeros(size, dtype=np.int64) for head in Head}
    seen: set[Head] = set()
    for key, values in amounts.items():
        head = Head.from_slug(key)
        if head in seen:
            raise RulesError(
                "head given twice (as a Head and as its slug)",
                value=key,
                field=field,
                reference=reference,
            )
        seen.add(head)
        out[head] = _whole_pence(values, rows, f"{field}[{head.value}]", size)
    return out


def _not_against_injury(
    amounts: Int64Array, rows: _Rows, *, field: str, message: str, reference: str
) -> None:
    rows.add(
        amounts != 0,
        amounts,
        field=field,
        message=message,
        reference=reference,
        kind=ProtocolViolation,
    )


@exact
def payments(
    heads: Mapping[Head | str, Any],
    *,
    claimant_liability_percent: Any = 0,
    seatbelt_percent: Any = 0,
    seatbelt_heads: Iterable[Head | str] = (Head.INJURY, Head.INJURY_RELATED),
    cru: Mapping[Head | str, Any] | None = None,
    interim: Mapping[Head | str, Any] | None = None,
    general_interim: Any = 0,
) -> pd.DataFrame:
    """Return :func:`~rtaprotocol.deductions.compute_payment` of every row (guide 6.5.2).

    The arguments mirror ``compute_payment``, with columns instead of single values:
    ``heads``, ``cru`` and ``interim`` map each :class:`~rtaprotocol.deductions.Head` (or
    its slug) to ``int64`` pence (a head not given is 0); the percentages are 0 to 100
    with at most two decimal places; any argument may be a scalar for every row. The
    order is the guide's: liability off every head, seatbelt off ``seatbelt_heads``, CRU,
    interim payments for an item, then the general interim off the total. CRU or an item
    interim against the injury head is a :class:`~rtaprotocol.errors.ProtocolViolation`.

    Returns a DataFrame of :data:`PAYMENT_COLUMNS` in pence, on the index of the first
    Series given (else 0, 1, 2...).

    The guide's example (6.5.2.2), and an exact half-penny kept by the claimant:

    >>> out = payments(
    ...     {"injury": [100000, 5], "injury-related": [150000, 0], "property": [150000, 0]},
    ...     claimant_liability_percent=[25, 50], seatbelt_percent=[10, 0],
    ...     cru={"injury-related": [50000, 0]}, interim={"property": [20000, 0]})
    >>> out[["net_injury_pence", "net_injury_related_pence", "net_property_pence", "total_pence"]]
       net_injury_pence  net_injury_related_pence  net_property_pence  total_pence
    0             67500                     51250               92500       211250
    1                 3                         0                   0            3
    """
    values: list[Any] = [claimant_liability_percent, seatbelt_percent, general_interim]
    for group in (heads, cru or {}, interim or {}):
        if isinstance(group, Mapping):
            values.extend(group.values())
    size = _size_of(values, [f"argument {i}" for i in range(len(values))])
    labels = _labels_of(*values)
    rows = _Rows(labels, size)
    full = _by_head(heads, rows, size, field="heads", reference=HEADS_REFERENCE)
    belted = _seatbelt_heads(seatbelt_heads)
    cru_pence = _by_head(cru, rows, size, field="cru", reference=CRU_REFERENCE)
    interim_pence = _by_head(interim, rows, size, field="interim", reference=INTERIM_REFERENCE)
    _not_against_injury(
        cru_pence[Head.INJURY],
        rows,
        field="cru[injury]",
        message=_CRU_ON_INJURY,
        reference=CRU_NOT_INJURY_REFERENCE,
    )
    _not_against_injury(
        interim_pence[Head.INJURY],
        rows,
        field="interim[injury]",
        message=_INTERIM_ON_INJURY,
        reference=INTERIM_NOT_INJURY_REFERENCE,
    )
    out = _payment_pence(
        full,
        liability_bp=_basis_points(
            claimant_liability_percent,
            rows,
            "claimant_liability_percent",
            size,
            high=100,
            reference=LIABILITY_REFERENCE,
        ),
        seatbelt_bp=_basis_points(
            seatbelt_percent,
            rows,
            "seatbelt_percent",
            size,
            high=100,
            reference=SEATBELT_REFERENCE,
        ),
        belted=belted,
        cru=cru_pence,
        interim=interim_pence,
        general=_whole_pence(general_interim, rows, "general_interim", size),
        size=size,
    )
    rows.check()
    return pd.DataFrame(out, index=labels if labels is not None else pd.RangeIndex(size))


# --- the DataFrame entry point ------------------------------------------------------------

#: ``value_claims``' input columns: name -> (default, or None if required; meaning).
CLAIM_COLUMNS: Final[Mapping[str, tuple[object, str]]] = {
    "accident_date": (None, "date of the accident (datetime64 or datetime.date)"),
    "duration_months": (None, "longest whiplash injury, whole months (or Decimal)"),
    "psychological": (False, "with minor psychological injury (bool)"),
    "uplift_percent": (0, "tariff uplift, 0 to 20 percent"),
    "failed_to_mitigate": (
        False,
        "over 24 months only for failure to mitigate, valued at 18-24 months (bool)",
    ),
    "non_tariff_pence": (0, "non-whiplash injury damages (JCG), pence"),
    "overlap_pence": (0, "overlap deducted from the non-tariff part (Hassam v Rabot), pence"),
    "injury_related_pence": (0, "injury-related protocol damages, pence"),
    "property_pence": (0, "property-related protocol damages, pence"),
    "claimant_liability_percent": (0, "claimant's share of liability, 0 to 100"),
    "seatbelt_percent": (0, "reduction for no seatbelt, 0 to 100"),
    "cru_injury_related_pence": (0, "CRU against the injury-related head, pence"),
    "cru_property_pence": (0, "CRU against the property head, pence"),
    "interim_injury_related_pence": (0, "interim paid for an injury-related item, pence"),
    "interim_property_pence": (0, "interim paid for a property item, pence"),
    "general_interim_pence": (0, "interim not tied to an item, off the total, pence"),
}
#: Columns that may appear only if every value is 0: CRU and item interims never reduce
#: the injury head (SS(RB)A 1997 Sch 2; guide 6.3.1.4).
_FORBIDDEN: Final = {
    "cru_injury_pence": (_CRU_ON_INJURY, CRU_NOT_INJURY_REFERENCE),
    "interim_injury_pence": (_INTERIM_ON_INJURY, INTERIM_NOT_INJURY_REFERENCE),
}
#: What ``value_claims`` does with a column outside the contract (``extra=``).
EXTRA_POLICIES: Final = ("forbid", "ignore")
#: ``value_claims``' money columns, all ``int64`` pence.
PENCE_COLUMNS: Final = ("tariff_pence", "injury_pence", *PAYMENT_COLUMNS)
#: How each row's tariff was found: the table ("Table 1"/"Table 2"), the band (by its
#: "not more than" edge in months), the column ("whiplash"/"whiplash+psych"), and
#: whether a what-if ``tariff_table=`` chose the table rather than the accident date.
TARIFF_COLUMNS: Final = ("tariff_table", "tariff_band", "tariff_column", "tariff_by_scenario")
#: Whether each claim is within the portal's value limits, and if not, why (the codes of
#: :func:`~rtaprotocol.limits.check_value_limits`' breaches, joined by ``","``).
LIMIT_COLUMNS: Final = ("within_limits", "limits_reason")
#: ``value_claims``' output columns, in order.
VALUE_COLUMNS: Final = (*PENCE_COLUMNS, *TARIFF_COLUMNS, *LIMIT_COLUMNS)
#: The category labels of the categorical output columns, in code order.
_TABLE_NAMES: Final = tuple(t.name for t in TARIFF_TABLES)
_COLUMN_NAMES: Final = ("whiplash", "whiplash+psych")
_LIMIT_REASONS: Final = (
    "",
    "injury_over_limit",
    "total_over_limit",
    "injury_over_limit,total_over_limit",
)
CONTRACT_REFERENCE: Final = (
    "the column contract of rtaprotocol.batch.value_claims (rtaprotocol batch columns)"
)
_INJURY_LIMIT_PENCE: Final = to_pence(INJURY_LIMIT)  # in the library context, not the importer's
_TOTAL_LIMIT_PENCE: Final = to_pence(TOTAL_LIMIT)


def _categories(codes: Int64Array, labels: tuple[str, ...]) -> pd.Categorical:
    return pd.Categorical.from_codes(codes, categories=pd.Index(labels, dtype=object))


def _table_names(what_if: TariffTable | None = None) -> tuple[str, ...]:
    """Return the ``tariff_table`` categories: the law's tables, then a what-if table's name."""
    return _TABLE_NAMES if what_if is None else (*_TABLE_NAMES, what_if.name)


def _value_dtypes(what_if: TariffTable | None = None) -> dict[str, Any]:
    """Return the dtype of each output column (categoricals with fixed categories)."""
    dtypes: dict[str, Any] = dict.fromkeys(PENCE_COLUMNS, np.dtype(np.int64))
    dtypes["tariff_table"] = pd.CategoricalDtype(pd.Index(_table_names(what_if), dtype=object))
    dtypes["tariff_band"] = np.dtype(np.int64)
    dtypes["tariff_column"] = pd.CategoricalDtype(pd.Index(_COLUMN_NAMES, dtype=object))
    dtypes["tariff_by_scenario"] = np.dtype(np.bool_)
    dtypes["within_limits"] = np.dtype(np.bool_)
    dtypes["limits_reason"] = pd.CategoricalDtype(pd.Index(_LIMIT_REASONS, dtype=object))
    return dtypes


def value_claims_meta(
    *, tariff_table: str | TariffTable | None = None, errors: str = "raise"
) -> pd.DataFrame:
    """Return an empty frame shaped like :func:`value_claims`' output (Dask's ``meta``).

    ``tariff_table``: as given to :func:`value_claims`; a what-if table's name is then
    one more ``tariff_table`` category.

    ``errors="flag"`` gives the shape of a flagged result: nullable figures
    (``Int64``, ``boolean``; a refused row has none) and the :data:`STATUS_COLUMNS`.

    >>> meta = value_claims_meta()
    >>> meta["total_pence"].dtype, meta["tariff_table"].cat.categories.tolist()
    (dtype('int64'), ['Table 1', 'Table 2'])
    >>> value_claims_meta(errors="flag")[["total_pence", "status"]].dtypes.tolist()
    [Int64Dtype(), CategoricalDtype(categories=['valued', 'refused'], ordered=False, categories_dtype=object)]
    """
    what_if = _choose_table(tariff_table)[1]
    dtypes = _value_dtypes(what_if)
    if _check_choice(errors, ERROR_POLICIES, "errors"):
        for name, dtype in dtypes.items():
            if dtype == np.int64:
                dtypes[name] = pd.Int64Dtype()
            elif dtype == np.bool_:
                dtypes[name] = pd.BooleanDtype()
        dtypes["status"] = pd.CategoricalDtype(pd.Index(_STATUSES, dtype=object))
        for name in STATUS_COLUMNS[1:]:
            dtypes[name] = pd.StringDtype()
    return pd.DataFrame({name: pd.Series([], dtype=dtype) for name, dtype in dtypes.items()})


@exact
def value_claims(
    claims: Any,
    *,
    seatbelt_heads: Iterable[Head | str] = (Head.INJURY, Head.INJURY_RELATED),
    columns: Mapping[Hashable, str] | None = None,
    passthrough: Iterable[Hashable] = (),
    extra: str = "forbid",
    tariff_table: str | TariffTable | None = None,
    errors: str = "raise",
    percent_scale: str | None = None,
) -> Any:
    """Value every claim of a portfolio: tariff, injury head, and what the offer pays.

    For each row: the tariff (:func:`tariff_amounts`; CLA 2018 s.3, WIR 2021 reg 2-3),
    the injury head as a mixed award (tariff plus ``non_tariff_pence`` less
    ``overlap_pence``, Hassam v Rabot, guide 4.4.2), then the ordered deductions of guide
    6.5.2 (:func:`payments`). Input columns are :data:`CLAIM_COLUMNS` (only
    ``accident_date`` and ``duration_months`` are required); the output is
    :data:`VALUE_COLUMNS` on the same index: :data:`PENCE_COLUMNS` in ``int64`` pence,
    how the tariff was found (:data:`TARIFF_COLUMNS`) and whether the claim is within
    the portal's value limits (:data:`LIMIT_COLUMNS`: £5,000 injury, £10,000 with the
    other protocol damages, before any deduction, as
    :func:`~rtaprotocol.limits.check_value_limits` counts them; guide 4.1, 4.4.3), then
    the ``passthrough`` columns unchanged.

    ``tariff_table``: ``None`` (the default) chooses each table by accident date, as the
    law does; ``"2021"`` or ``"2025"`` is a what-if scenario valuing every claim by Table
    1 or Table 2 (``tariff_by_scenario`` is then true), never the law for those dates.
    A :class:`~rtaprotocol.tariff.TariffTable` is accepted as well: a statutory one as
    its year's string; any other is checked
    (:func:`~rtaprotocol.tariff.check_tariff_table`) and is a what-if table:
    ``tariff_table`` then holds its name (never a statutory table's: ``"Table 1"`` is
    renamed ``"Table 1 (what-if)"``) and ``tariff_by_scenario`` is true on every row.
    :func:`compare_tables` values a portfolio under two tables side by side.

    ``claims`` may be a pandas DataFrame, a polars DataFrame or a pyarrow Table (read
    through Arrow; polars and pyarrow are imported only for such an input): the result
    is of the same kind, and bad rows are named by position.

    The contract is strict: a column outside it is refused, naming it and the closest
    contract column, because ignoring a misspelt ``liability_pct`` would value the claim
    as if the claimant bore no liability. ``columns={"their_name": "contract_name"}``
    renames in the call; ``passthrough=["policy"]`` copies columns to the output as they
    are; ``extra="ignore"`` drops every other unknown column (``"forbid"`` is the default).

    Every row is checked. ``errors="raise"`` (the default): one
    :class:`~rtaprotocol.errors.RulesError` names every bad row by its index label
    instead of returning NaN. ``errors="flag"``: the valid rows are valued and the
    invalid ones come back in the same frame with no figures (``<NA>``) and a
    ``status``, ``error_code`` (:class:`~rtaprotocol.errors.ErrorCode`), ``error_column`` and
    ``error_message`` (:data:`STATUS_COLUMNS`); :func:`summarise` counts them.

    ``percent_scale``: percentages are read as percentages (``25`` is 25%), and a
    column that looks like fractions (every value at most 1, some not whole) is refused,
    since ``0.25`` meant as 25% would be read as 0.25%; ``"fraction"`` reads such a
    column as fractions (``0.25`` is 25%), ``"percent"`` as percentages without the check.

    >>> claims = pd.DataFrame({
    ...     "accident_date": pd.to_datetime(["2025-05-30", "2025-05-31"]),
    ...     "duration_months": [12, 12],
    ...     "psychological": [True, True],
    ...     "non_tariff_pence": [250000, 0],
    ...     "overlap_pence": [79000, 0],
    ...     "claimant_liability_percent": [0, 25],
    ... }, index=["rabot", "later"])
    >>> value_claims(claims)[["tariff_pence", "injury_pence", "total_pence"]]
           tariff_pence  injury_pence  total_pence
    rabot        139000        310000       310000
    later        159500        159500       119625
    >>> value_claims(claims.assign(liability_pct=[0, 25]))
    Traceback (most recent call last):
    ...
    rtaprotocol.errors.RulesError: columns: not in the column contract, so it would be silently ignored; the closest contract column is 'claimant_liability_percent' (rename with columns=, keep with passthrough=, or drop unknown columns with extra="ignore"): got 'liability_pct' [the column contract of rtaprotocol.batch.value_claims (rtaprotocol batch columns)]
    >>> flagged = value_claims(claims.assign(duration_months=[12, 30]), errors="flag")
    >>> flagged[["total_pence", "status", "error_code"]]
           total_pence   status           error_code
    rabot       310000   valued                 <NA>
    later         <NA>  refused  number.out-of-range
    >>> value_claims(claims.assign(claimant_liability_percent=[0, 0.25]))["total_pence"]
    Traceback (most recent call last):
    ...
    rtaprotocol.errors.RulesError: claimant_liability_percent: 1 bad row (by index: 'later'): claimant_liability_percent: every value in the column is at most 1 and some are not whole, so these look like fractions (0.25 for 25%), which would be read as 0.25%: say percent_scale="fraction" if they are fractions, or percent_scale="percent" if they are percentages under 1% (row 'later'): got {'later': {'claimant_liability_percent': 0.25}} [percentages are 0 to 100 (25 is 25%); a column of fractions (0.25 for 25%) needs percent_scale="fraction" (rtaprotocol percentages)]
    >>> value_claims(claims.assign(claimant_liability_percent=[0, 0.25]),
    ...              percent_scale="fraction")["total_pence"].tolist()
    [310000, 119625]
    >>> value_claims(claims.assign(duration_months=[12, 30]))
    Traceback (most recent call last):
    ...
    rtaprotocol.errors.RulesError: duration_months: 1 bad row (by index: 'later'): duration_months: not a tariff injury: the duration must be more than 0 and not more than 24 months (row 'later'): got {'later': {'duration_months': 30}} [Civil Liability Act 2018 s.3: a tariff injury lasts not more than 2 years (more than 0 and not more than 24 months); guide 4.4.1]
    """
    scenario, what_if = _choose_table(tariff_table)
    flag = _check_choice(errors, ERROR_POLICIES, "errors")
    scale, guard = _check_percent_scale(percent_scale)
    claims, kind = _as_pandas(claims, "claims")
    inputs, kept = _contract_columns(claims, columns, passthrough, extra)
    size = len(claims)
    labels = claims.index
    rows = _Rows(labels, size)

    def col(name: str) -> Any:
        return inputs[name] if name in inputs else CLAIM_COLUMNS[name][0]

    def pence_or_none(name: str) -> Int64Array | None:
        """Return a pence column as given, or None for a column the frame lacks (zeros)."""
        return _whole_pence(inputs[name], rows, name, size) if name in inputs else None

    def percent_or_none(name: str, high: int | Decimal, reference: str) -> Int64Array | None:
        if name not in inputs:
            return None
        return _basis_points(
            inputs[name], rows, name, size, high=high, reference=reference, scale=scale, guard=guard
        )

    for name, (message, reference) in _FORBIDDEN.items():
        if name in inputs:
            amounts = _whole_pence(inputs[name], rows, name, size)
            _not_against_injury(amounts, rows, field=name, message=message, reference=reference)
    uplift = percent_or_none("uplift_percent", MAX_UPLIFT_PERCENT, UPLIFT_REFERENCE)
    found = _tariff_rows(
        inputs["duration_months"],
        inputs["accident_date"],
        psychological=col("psychological"),
        uplift_percent=col("uplift_percent"),
        rows=rows,
        size=size,
        check=False,
        names=("duration_months", "accident_date"),
        failed_to_mitigate=col("failed_to_mitigate"),
        scenario=scenario,
        what_if=what_if,
        uplift_bp=uplift,
    )
    # Every int64 output column is a row of one block, written in place: the frame is
    # built on it without a copy, and the kernels reuse their scratch columns.
    block = np.empty((len(_BLOCK_COLUMNS), size), dtype=np.int64)
    out = dict(zip(_BLOCK_COLUMNS, block, strict=True))
    tariff, injury = out["tariff_pence"], out["injury_pence"]
    np.copyto(tariff, found.pence)
    np.copyto(out["tariff_band"], found.band)
    np.copyto(injury, tariff)
    _injury_head(
        injury,
        tariff,
        pence_or_none("non_tariff_pence"),
        pence_or_none("overlap_pence"),
        rows,
    )
    injury_related = pence_or_none("injury_related_pence")
    property_ = pence_or_none("property_pence")
    _payment_pence(
        {Head.INJURY: injury, Head.INJURY_RELATED: injury_related, Head.PROPERTY: property_},
        liability_bp=percent_or_none("claimant_liability_percent", 100, LIABILITY_REFERENCE),
        seatbelt_bp=percent_or_none("seatbelt_percent", 100, SEATBELT_REFERENCE),
        belted=_seatbelt_heads(seatbelt_heads),
        cru={
            Head.INJURY: None,
            Head.INJURY_RELATED: pence_or_none("cru_injury_related_pence"),
            Head.PROPERTY: pence_or_none("cru_property_pence"),
        },
        interim={
            Head.INJURY: None,
            Head.INJURY_RELATED: pence_or_none("interim_injury_related_pence"),
            Head.PROPERTY: pence_or_none("interim_property_pence"),
        },
        general=pence_or_none("general_interim_pence"),
        size=size,
        out=out,
    )
    if not flag:
        rows.check()
    # The value limits count the injury head and the other protocol damages in full,
    # before liability, seatbelt, CRU or interims (guide 4.1, 4.4.3), as check_value_limits.
    reasons = (injury > _INJURY_LIMIT_PENCE).view(np.int8)
    damages = injury.copy() if injury_related is None else injury + injury_related
    if property_ is not None:
        damages += property_
    reasons = reasons + 2 * (damages > _TOTAL_LIMIT_PENCE).view(np.int8)
    del damages
    codes = {
        "tariff_table": found.table.astype(np.int8),
        "tariff_column": found.psych.astype(np.int8),
        "limits_reason": reasons,
    }
    flags = {
        "tariff_by_scenario": np.full(
            size, scenario is not None or what_if is not None, dtype=np.bool_
        ),
        "within_limits": reasons == 0,
    }
    index = labels
    if flag:
        refused, status = rows.outcomes()
        valued = _flagged_frame(block, codes, flags, refused, status, index, what_if)
    else:
        valued = _value_frame(block, codes, flags, index, what_if)
    for label in kept:
        valued[label] = claims[label]
    return _same_kind(valued, kind)


def _injury_head(
    injury: Int64Array,
    tariff: Int64Array,
    non_tariff: Int64Array | None,
    overlap: Int64Array | None,
    rows: _Rows,
) -> None:
    """Add the non-tariff part and take off the overlap, in place (Hassam v Rabot, 4.4.2).

    ``injury`` holds the tariff on entry. An overlap above the tariff or above the
    non-tariff sum is recorded as a bad row; so is a head too large for the batch path.
    """
    if overlap is not None:
        # A row whose tariff could not be found has no tariff to compare the overlap with.
        found = rows.bad_so_far()
        unknown = np.zeros(len(tariff), dtype=np.bool_) if found is None else found
        rows.add(
            (overlap > tariff) & ~unknown,
            overlap,
            field="overlap_pence",
            code=ErrorCode.VALUE_INVALID,
            message="the overlap is more than the tariff amount, which would take the total "
            "below the non-whiplash sum",
            reference=MIXED_INJURY_REFERENCE,
        )
        rows.add(
            (overlap > (0 if non_tariff is None else non_tariff)) & (overlap <= tariff) & ~unknown,
            overlap,
            field="overlap_pence",
            code=ErrorCode.VALUE_INVALID,
            message="the overlap is more than the non-whiplash sum, and it comes off that part "
            "only",
            reference=MIXED_INJURY_REFERENCE,
        )
    if non_tariff is not None:
        injury += non_tariff
    if overlap is not None:
        injury -= overlap
    if non_tariff is not None and injury.size and injury.max() > MAX_PENCE:
        rows.add(
            injury > MAX_PENCE,
            injury,
            field="non_tariff_pence",
            code=ErrorCode.MONEY_TOO_LARGE,
            message="the injury head is too large for the batch path",
            reference=BATCH_MONEY_REFERENCE,
        )


#: The int64 output columns, in block order (the pence, then the band).
_BLOCK_COLUMNS: Final = (*PENCE_COLUMNS, "tariff_band")
_CATEGORIES: Final = {
    "tariff_table": _TABLE_NAMES,
    "tariff_column": _COLUMN_NAMES,
    "limits_reason": _LIMIT_REASONS,
}


def _value_frame(
    block: Int64Array,
    codes: Mapping[str, npt.NDArray[Any]],
    flags: Mapping[str, BoolArray],
    index: pd.Index[Any],
    what_if: TariffTable | None = None,
) -> pd.DataFrame:
    """Build value_claims' frame on ``block`` without copying it (the other columns after)."""
    categories = {**_CATEGORIES, "tariff_table": _table_names(what_if)}
    frame = pd.DataFrame(block.T, columns=list(_BLOCK_COLUMNS), index=index, copy=False)
    for position, name in enumerate(VALUE_COLUMNS):
        if name in codes:
            labels = _categories(codes[name], categories[name])
            frame.insert(position, name, labels)  # type: ignore[arg-type]  # stubs lack it
        elif name in flags:
            frame.insert(position, name, flags[name])
    return frame


def _flagged_frame(  # noqa: PLR0917
    block: Int64Array,
    codes: Mapping[str, npt.NDArray[Any]],
    flags: Mapping[str, BoolArray],
    refused: BoolArray,
    status: Mapping[str, Any],
    index: pd.Index[Any],
    what_if: TariffTable | None = None,
) -> pd.DataFrame:
    """value_claims' frame with ``errors="flag"``: a refused row has no figure (``<NA>``)."""
    categories = {**_CATEGORIES, "tariff_table": _table_names(what_if)}
    rows = dict(zip(_BLOCK_COLUMNS, block, strict=True))
    data: dict[str, Any] = {}
    for name in VALUE_COLUMNS:
        if name in codes:
            data[name] = _categories(np.where(refused, -1, codes[name]), categories[name])
        elif name in flags:
            data[name] = pd.arrays.BooleanArray(flags[name], refused.copy())
        else:  # each its own mask: setting one column's value must not unmask another
            data[name] = pd.arrays.IntegerArray(rows[name], refused.copy())
    data.update(status)
    return pd.DataFrame(data, index=index, copy=False)


def _check_choice(value: object, choices: tuple[str, ...], field: str) -> bool:
    """Refuse anything but one of ``choices``; return whether it is the second one."""
    if not isinstance(value, str) or value not in choices:
        raise RulesError(
            f"{field} must be one of {', '.join(map(repr, choices))}",
            value=value,
            field=field,
            reference=CONTRACT_REFERENCE,
        )
    return value == choices[1]


#: ``percent_scale=`` choices: ``None`` reads percentages (``25`` is 25%) and refuses a
#: column that looks like fractions; ``"percent"`` reads percentages without that check;
#: ``"fraction"`` reads fractions (``0.25`` is 25%).
PERCENT_SCALES: Final = (None, "percent", "fraction")
FRACTION_REFERENCE: Final = (
    "percentages are 0 to 100 (25 is 25%); a column of fractions (0.25 for 25%) needs "
    'percent_scale="fraction" (rtaprotocol percentages)'
)


def _check_percent_scale(percent_scale: object) -> tuple[str, bool]:
    """Return the scale (``"percent"`` or ``"fraction"``) and whether to guard percentages."""
    if percent_scale is not None and (
        not isinstance(percent_scale, str) or percent_scale not in PERCENT_SCALES
    ):
        raise RulesError(
            'percent_scale must be None, "percent" or "fraction"',
            value=percent_scale,
            field="percent_scale",
            reference=FRACTION_REFERENCE,
        )
    return (percent_scale or "percent"), percent_scale is None


def _closest(name: Hashable, known: Iterable[Hashable]) -> str:
    """Return ``"; the closest ... is 'x'"`` for the known name most like ``name``, if any."""
    choices = {str(k): k for k in known}
    found = difflib.get_close_matches(str(name), list(choices), n=1, cutoff=0)
    return f"; the closest contract column is {choices[found[0]]!r}" if found else ""


def _contract_columns(
    claims: pd.DataFrame,
    columns: Mapping[Hashable, str] | None,
    passthrough: Iterable[Hashable],
    extra: str,
) -> tuple[dict[str, pd.Series[Any]], list[Hashable]]:
    """Check ``claims`` against the column contract; return its inputs and the kept columns.

    Every problem with the columns is collected and raised at once (one
    :class:`~rtaprotocol.errors.RulesError`, or :class:`~rtaprotocol.errors.InvalidInput`
    for several), each naming the column and the closest contract column.
    """

    def problem(message: str, value: object, field: str = "columns") -> None:
        problems.append(RulesError(message, value=value, field=field, reference=CONTRACT_REFERENCE))

    if extra not in EXTRA_POLICIES:
        raise RulesError(
            f"extra must be one of {', '.join(map(repr, EXTRA_POLICIES))}",
            value=extra,
            field="extra",
            reference=CONTRACT_REFERENCE,
        )
    if columns is None:
        columns = {}
    if not isinstance(columns, Mapping):
        raise RulesTypeError(
            f"expected a mapping of your column names to contract names, not "
            f"{type(columns).__name__}",
            value=columns,
            field="columns",
            reference=CONTRACT_REFERENCE,
        )
    if isinstance(passthrough, str | bytes) or not isinstance(passthrough, Iterable):
        raise RulesTypeError(
            "expected a list of column names (a lone string would be read letter by letter)",
            value=passthrough,
            field="passthrough",
            reference=CONTRACT_REFERENCE,
        )
    kept = list(dict.fromkeys(passthrough))
    problems: list[RulesError] = []
    present = list(claims.columns)
    contract = {**CLAIM_COLUMNS, **_FORBIDDEN}
    for name in dict.fromkeys(n for n in present if present.count(n) > 1):
        problem("the column appears more than once, so its values are ambiguous", name)
    renamed: dict[str, Hashable] = {}
    for theirs, ours in columns.items():
        if theirs not in present:
            problem(
                "columns= renames a column the frame does not have" + _closest(theirs, present),
                theirs,
                "columns=",
            )
        elif not isinstance(ours, str) or ours not in contract:
            problem(
                f"columns= renames {theirs!r} to a name outside the column contract"
                + _closest(ours, CLAIM_COLUMNS),
                ours,
                "columns=",
            )
        elif ours in renamed:
            problem(
                f"columns= renames both {renamed[ours]!r} and {theirs!r} to {ours!r}",
                ours,
                "columns=",
            )
        else:
            renamed[ours] = theirs
    for ours, theirs in renamed.items():
        if ours in present and ours not in columns:
            problem(
                f"columns= renames {theirs!r} to {ours!r}, which the frame already has",
                ours,
                "columns=",
            )
    for label in kept:
        if label not in present:
            problem(
                "passthrough= names a column the frame does not have"
                + _closest(label, present).replace("contract column", "column"),
                label,
                "passthrough=",
            )
        elif label in VALUE_COLUMNS:
            problem(
                "passthrough= would overwrite an output column of that name", label, "passthrough="
            )
    inputs: dict[str, pd.Series[Any]] = {}
    for name in present:
        target: Hashable = next((o for o, t in renamed.items() if t == name), name)
        if isinstance(target, str) and target in contract:
            if target not in renamed or renamed[target] == name:
                inputs[target] = claims[name]
        elif name not in kept and extra == "forbid":
            problem(
                "not in the column contract, so it would be silently ignored"
                + _closest(name, CLAIM_COLUMNS)
                + " (rename with columns=, keep with passthrough=, or drop unknown columns "
                'with extra="ignore")',
                name,
            )
    required = [n for n, (default, _) in CLAIM_COLUMNS.items() if default is None]
    missing = [n for n in required if n not in inputs]
    if missing:
        problem("required columns are missing", missing)
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise InvalidInput(problems, reference=CONTRACT_REFERENCE)
    return inputs, kept


# --- polars and pyarrow, through Arrow -----------------------------------------------------


def _as_pandas(frame: Any, field: str) -> tuple[pd.DataFrame, str]:
    """Return ``frame`` as a pandas DataFrame, and the kind it came as.

    A polars DataFrame or a pyarrow Table (or any object that exports an Arrow stream,
    ``__arrow_c_stream__``) is read through pyarrow, imported only then: neither polars
    nor pyarrow is a dependency of the batch path. Dates become ``datetime64`` columns;
    an integer column with nulls becomes floats with NaN, whose whole values are accepted
    and whose gaps name their rows.
    """
    if isinstance(frame, pd.DataFrame):
        return frame, "pandas"
    module = type(frame).__module__.partition(".")[0]
    name = type(frame).__name__
    if module == "polars" and name == "DataFrame":
        kind = "polars"
    elif module == "pyarrow" and name == "Table":
        kind = "pyarrow"
    elif hasattr(type(frame), "__arrow_c_stream__"):
        kind = "arrow"
    else:
        raise RulesTypeError(
            f"expected a pandas DataFrame, a polars DataFrame or a pyarrow Table, not {name}",
            value=frame,
            field=field,
            reference=CONTRACT_REFERENCE,
        )
    pa = _pyarrow(name)
    if kind == "polars":
        table = frame.to_arrow()
    elif kind == "arrow":
        table = pa.table(frame)
    else:
        table = frame
    for i, field_ in enumerate(table.schema):
        kind_ = field_.type
        if pa.types.is_dictionary(kind_) and not pa.types.is_signed_integer(kind_.index_type):
            # polars writes categories with uint32 indices, which older pyarrow cannot turn
            # into pandas: decode them to their values.
            chunks = [chunk.dictionary_decode() for chunk in table.column(i).chunks]
            table = table.set_column(i, field_.name, pa.chunked_array(chunks, kind_.value_type))
    out: pd.DataFrame = table.to_pandas(date_as_object=False)
    return out, kind


def _pyarrow(name: str) -> Any:
    """Import pyarrow, needed to read a polars or Arrow input; refuse cleanly without it."""
    try:
        return importlib.import_module("pyarrow")
    except ImportError:
        raise RulesTypeError(
            f"reading a {name} needs pyarrow (pip install pyarrow), or pass a pandas DataFrame",
            value=name,
            field="claims",
            reference=CONTRACT_REFERENCE,
        ) from None


def _same_kind(frame: pd.DataFrame, kind: str) -> Any:
    """Return a result as the kind of input it came from (pandas, polars or pyarrow)."""
    if kind == "pandas":
        return frame
    pa = importlib.import_module("pyarrow")
    table = pa.Table.from_pandas(frame, preserve_index=None)
    if kind == "polars":
        return importlib.import_module("polars").from_arrow(table)
    return table


# --- portfolio summaries ------------------------------------------------------------------

#: The amounts :func:`summarise` totals, each in pence and in pounds.
SUMMARY_TOTALS: Final = ("tariff_pence", "injury_pence", "total_pence")
_INT64_MAX: Final = np.iinfo(np.int64).max
SUMMARY_REFERENCE: Final = (
    "summarise reads value_claims' output columns (rtaprotocol batch columns); the value "
    "limits are guide 1.1, 4.1, 4.4.3"
)


@exact
def summarise(valued: Any, by: Iterable[Hashable] | Hashable = ()) -> Any:
    """Count and total a valued portfolio by group: the pricing view of :func:`value_claims`.

    ``valued`` is :func:`value_claims`' output (pandas, polars or pyarrow; the result
    is of the same kind; a Dask DataFrame gives a pandas summary, each partition
    summarised where it is and the partial sums combined). ``by`` names the columns to
    group by: ``tariff_table``, ``tariff_band``, ``tariff_column``,
    ``tariff_by_scenario``, ``limits_reason``, ``status``, any ``passthrough`` column,
    or ``psychological`` (read from ``tariff_column`` unless the frame has such a
    column); or it is a pandas Series on the frame's own index (a segment computed
    outside the frame), or a list mixing both. No ``by`` gives one row, ``"all"``.
    Each group has:

    - ``claims``: how many claims, and ``refused``: how many of them were refused by
      ``value_claims(..., errors="flag")`` (0 otherwise), counted but not totalled;
    - for each of :data:`SUMMARY_TOTALS`, its total in ``int64`` pence and, as
      ``..._pounds``, in exact two-place pounds (:func:`pounds`);
    - ``over_limits``: how many are over the portal's value limits (£5,000 injury,
      £10,000 in all; guide 4.1, 4.4.3), and ``share_over_limits``, that count over the
      valued claims (a float from 0 to 1: a share, not money; NaN with none valued).

    Missing keys form their own group (never dropped), so the groups always add up to
    the portfolio. Groups are sorted by key.

    >>> claims = pd.DataFrame({
    ...     "accident_date": pd.to_datetime(["2024-06-03", "2025-06-03", "2025-06-03"]),
    ...     "duration_months": [3, 3, 24],
    ...     "non_tariff_pence": [0, 0, 100_000],
    ... })
    >>> summary = summarise(value_claims(claims), by=["tariff_table"])
    >>> summary[["claims", "total_pence", "total_pounds", "over_limits"]]
                  claims  total_pence  total_pounds  over_limits
    tariff_table
    Table 1            1        24000        240.00            0
    Table 2            2       610500       6105.00            1
    >>> summarise(value_claims(claims), by=pd.Series(["x", "y", "x"], name="book"))["claims"]
    book
    x    2
    y    1
    Name: claims, dtype: int64
    >>> summarise(value_claims(claims), by=["policy"])
    Traceback (most recent call last):
    ...
    rtaprotocol.errors.RulesError: by: not a column of the valued frame; the closest column is 'total_pence': got 'policy' [summarise reads value_claims' output columns (rtaprotocol batch columns); the value limits are guide 1.1, 4.1, 4.4.3]
    """
    if _is_dask(valued):
        return _summarise_dask(valued, by)
    frame, kind = _as_pandas(valued, "valued")
    names, keys = _summary_keys(frame, by)
    out = _summary_finish(_summary_sums(frame, names, keys), names)
    if kind != "pandas":
        out = out.reset_index() if names else out.reset_index(drop=True)
    return _same_kind(out, kind)


_SUM_COLUMNS: Final = ("claims", "refused", *SUMMARY_TOTALS, "over_limits")


def _summary_keys(frame: pd.DataFrame, by: Any) -> tuple[list[Hashable], list[Any]]:
    """Return the names of the groups' keys and their values, by position, for ``by``."""
    if isinstance(by, str | pd.Series):
        by = [by]
    if not isinstance(by, Iterable):
        raise RulesTypeError(
            f"expected a list of column names (or pandas Series), not {type(by).__name__}",
            value=by,
            field="by",
            reference=SUMMARY_REFERENCE,
        )
    names: list[Hashable] = []
    keys: list[Any] = []
    for key in by:
        if isinstance(key, pd.Series):
            if len(key) != len(frame) or not key.index.equals(frame.index):
                raise RulesError(
                    "a Series to group by must be on the valued frame's own index (align it "
                    "first, e.g. series.reindex(valued.index))",
                    value=key.name,
                    field="by",
                    reference=SUMMARY_REFERENCE,
                )
            name: Hashable = key.name if key.name is not None else f"by_{len(names)}"
            values: Any = key.array
        elif isinstance(key, Hashable) and key in frame.columns:
            name, values = key, frame[key].array
        elif key == "psychological" and "tariff_column" in frame.columns:
            name = key
            values = (frame["tariff_column"] == "whiplash+psych").astype(np.bool_).array
        else:
            raise RulesError(
                "not a column of the valued frame"
                + _closest(key, frame.columns).replace("contract column", "column"),
                value=key,
                field="by",
                reference=SUMMARY_REFERENCE,
            )
        if name not in names:
            names.append(name)
            keys.append(values)
    return names, keys


def _summary_sums(frame: pd.DataFrame, names: list[Hashable], keys: list[Any]) -> pd.DataFrame:
    """Return the integer sums of :data:`_SUM_COLUMNS` by group (one row, ``all``, if none)."""
    needed = [*SUMMARY_TOTALS, "within_limits"]
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise RulesError(
            "not value_claims' output: the columns are missing",
            value=missing,
            field="valued",
            reference=SUMMARY_REFERENCE,
        )
    size = len(frame)
    rows = _Rows(frame.index, size)
    if "status" in frame.columns:
        refused = np.asarray(frame["status"] == "refused", dtype=np.bool_)
    else:
        refused = np.zeros(size, dtype=np.bool_)
    amounts = {}
    for name in SUMMARY_TOTALS:
        column = frame[name]
        if refused.any():  # a refused row has no figure: counted, not totalled
            column = column.where(~refused, 0)
        amounts[name] = _whole_pence(column, rows, name, size)
    within = frame["within_limits"]
    if refused.any():
        within = within.where(~refused, True)
    over = ~_flags(within, rows, "within_limits", size, SUMMARY_REFERENCE)
    rows.check()
    for name, total in amounts.items():
        if total.size and int(total.max()) > _INT64_MAX // total.size:
            raise RulesError(
                "the total could overflow int64 pence; summarise smaller slices and add them",
                value=name,
                field=name,
                reference=BATCH_MONEY_REFERENCE,
            )
    block = np.empty((len(_SUM_COLUMNS), size), dtype=np.int64)  # one block: no copy
    block[0] = 1
    block[1] = refused
    for row, name in enumerate(SUMMARY_TOTALS, start=2):
        block[row] = amounts[name]
    block[-1] = over
    data = pd.DataFrame(block.T, columns=list(_SUM_COLUMNS), index=pd.RangeIndex(size), copy=False)
    if not names:
        return data.sum().to_frame("all").T.astype(np.int64)
    return data.groupby(
        # by position: the frame's own index may repeat labels
        [pd.Series(v, index=data.index, name=k) for k, v in zip(names, keys, strict=True)],
        dropna=False,
        observed=True,
        sort=True,
    ).sum()


def _summary_finish(sums: pd.DataFrame, names: list[Hashable]) -> pd.DataFrame:
    """Add the pounds and the share over the limits to the integer sums, in output order."""
    out = pd.DataFrame(
        {"claims": sums["claims"].astype(np.int64), "refused": sums["refused"].astype(np.int64)},
        index=sums.index,
    )
    for name in SUMMARY_TOTALS:
        out[name] = sums[name].astype(np.int64)
        out[name.removesuffix("_pence") + "_pounds"] = pounds(out[name])
    out["over_limits"] = sums["over_limits"].astype(np.int64)
    valued = out["claims"] - out["refused"]
    out["share_over_limits"] = out["over_limits"] / valued.where(valued > 0, np.nan)
    return out


def _is_dask(frame: Any) -> bool:
    """Return True for a Dask DataFrame (checked by module: Dask is never imported here)."""
    return type(frame).__module__.partition(".")[0] in {"dask", "dask_expr"} and hasattr(
        frame, "to_delayed"
    )


def _summarise_dask(valued: Any, by: Any) -> pd.DataFrame:
    """Summarise each partition where it is, then add the partial sums (exactly, as ints)."""
    if isinstance(by, str) or not isinstance(by, Iterable):
        by = [by]
    by = list(by)
    if any(isinstance(k, pd.Series) for k in by):
        raise RulesTypeError(
            "a Dask portfolio is grouped by its own columns: add the Series as a column first",
            value=[getattr(k, "name", k) for k in by],
            field="by",
            reference=SUMMARY_REFERENCE,
        )
    dask = importlib.import_module("dask")
    parts = [dask.delayed(_partial_sums)(part, by) for part in valued.to_delayed()]
    return _combine_sums(list(dask.compute(*parts)), by)


def _partial_sums(frame: pd.DataFrame, by: list[Hashable]) -> pd.DataFrame:
    names, keys = _summary_keys(frame, by)
    return _summary_sums(frame, names, keys)


def _combine_sums(parts: list[pd.DataFrame], by: list[Hashable]) -> pd.DataFrame:
    """Add partial sums by group, as Python ints (no overflow), and finish the summary."""
    names = list(dict.fromkeys(by))
    if not parts:
        parts = [pd.DataFrame(0, index=["all"], columns=list(_SUM_COLUMNS))]
    together = pd.concat(parts).astype(object)  # Python ints: the total cannot wrap
    if names:
        levels = list(range(together.index.nlevels))
        sums = together.groupby(level=levels, dropna=False, sort=True, observed=True).sum()
        sums.index.names = names
    else:
        sums = together.sum().to_frame("all").T
    for name in SUMMARY_TOTALS:
        if any(int(v) > _INT64_MAX for v in sums[name].tolist()):
            raise RulesError(
                "the total overflows int64 pence; summarise smaller slices and add them",
                value=name,
                field=name,
                reference=BATCH_MONEY_REFERENCE,
            )
    return _summary_finish(sums.astype(np.int64), names)


# --- Dask: the same code on one machine or a cluster ----------------------------------------

#: The environment every Dask worker process gets from :func:`local_cluster` (through the
#: nanny's ``distributed.nanny.pre-spawn-environ``, so glibc reads it as the process
#: starts). Dask's nanny sets ``MALLOC_TRIM_THRESHOLD_``, which turns off glibc's dynamic
#: mmap threshold: every numpy temporary over 128 KiB is then mapped and faulted in
#: afresh, which cost a worker 1.5 to 2 times the CPU per claim of the main process. A
#: fixed mmap threshold of 32 MiB (glibc's largest on 64-bit) keeps temporaries of a
#: partition up to about 4 million rows on the heap; the nanny's trim setting is kept,
#: so a worker still gives memory back. Set the same on any cluster (docs/batch.md).
DASK_WORKER_ENV: Final[Mapping[str, str]] = {"MALLOC_MMAP_THRESHOLD_": str(32 * 2**20)}
RUN_REFERENCE: Final = (
    "every partition of the portfolio was valued and checked (rtaprotocol batch rows); "
    "each row's message cites its rule"
)


def dask_worker_config() -> dict[str, str]:
    """Return the Dask config that gives every worker :data:`DASK_WORKER_ENV` at start.

    For ``dask.config.set(...)`` around a cluster you build yourself, or (as
    ``DASK_DISTRIBUTED__NANNY__PRE_SPAWN_ENVIRON__...`` variables or a YAML file) for
    the machines that run ``dask worker``.

    >>> dask_worker_config()
    {'distributed.nanny.pre-spawn-environ.MALLOC_MMAP_THRESHOLD_': '33554432'}
    """
    return {f"distributed.nanny.pre-spawn-environ.{k}": v for k, v in DASK_WORKER_ENV.items()}


def local_cluster(n_workers: int | None = None, **kwargs: Any) -> Any:
    """Start a ``dask.distributed.LocalCluster`` of worker processes set up for the batch path.

    One thread per worker (the kernels are numpy, one core each), worker processes (not
    threads), no dashboard unless asked (the scheduler's HTTP routes on a free port), and
    :data:`DASK_WORKER_ENV` in every worker's environment. ``n_workers``: default one per
    core. Other keyword arguments go to ``LocalCluster``. Use it as a context manager with
    a ``Client``; for a cluster of several machines, see docs/batch.md. (The valuation is
    guide 6.5.2's, as :func:`value_claims`; this only decides where it runs.)

    >>> import os
    >>> from dask.distributed import Client
    >>> with local_cluster(1, silence_logs=40) as cluster, Client(cluster) as client:
    ...     list(client.run(lambda: os.environ["MALLOC_MMAP_THRESHOLD_"]).values())
    ['33554432']
    """
    dask = importlib.import_module("dask")
    distributed = importlib.import_module("distributed")
    options: dict[str, Any] = {
        "threads_per_worker": 1,
        "processes": True,
        "dashboard_address": None,
        **kwargs,
    }
    if "dashboard_address" not in kwargs and "scheduler_kwargs" not in kwargs:
        # With no dashboard the scheduler still serves its health routes over HTTP, on
        # port 8787 by default: on a free port instead, so that a second cluster (or a
        # dashboard already on 8787) does not collide with it.
        options["scheduler_kwargs"] = {"dashboard": False, "dashboard_address": ":0"}
    with dask.config.set(dask_worker_config()):
        return distributed.LocalCluster(n_workers=n_workers, **options)


def value_claims_dask(claims: Any, **options: Any) -> Any:
    """Return :func:`value_claims` of every partition, lazily, as a Dask DataFrame.

    ``claims``: a Dask DataFrame, or a parquet dataset (a file, a directory of
    ``*.parquet`` files, an fsspec URL, or a list of them: one partition per file, read
    by pandas on the worker that values it): no data travels in the task graph.
    ``options`` go to :func:`value_claims`; the ``meta`` is given
    (:func:`value_claims_meta`, with the ``passthrough`` columns' own dtypes), so
    nothing is computed to learn the shape. Write the result with ``.to_parquet(...)``
    or summarise it with :func:`summarise` (guide 6.5.2, as :func:`value_claims`).
    With ``errors="raise"`` a bad row stops the job at the first partition that has
    one; ``errors="flag"`` (or :func:`run_portfolio`) reports the bad rows of every
    partition.

    >>> import dask, dask.dataframe as dd
    >>> claims = pd.DataFrame({"accident_date": pd.to_datetime(["2025-05-30", "2025-05-31"]),
    ...                        "duration_months": [3, 3]})  # Table 1, then Table 2
    >>> lazy = value_claims_dask(dd.from_pandas(claims, npartitions=2))
    >>> with dask.config.set(scheduler="synchronous"):
    ...     lazy["tariff_pence"].compute().tolist()
    [24000, 27500]
    """
    claims = _dataset(claims)
    meta = value_claims_meta(errors=options.get("errors", "raise"))
    for label in options.get("passthrough", ()):
        if label in claims.columns:
            meta[label] = claims._meta[label]
    return claims.map_partitions(value_claims, meta=meta, **options)


def _dataset(source: Any) -> Any:
    """Return a Dask DataFrame as it is, or a parquet dataset as one, a partition per file.

    ``source``: a file, a directory of ``*.parquet`` files (sorted by name), an fsspec
    URL of either (``s3://...``, needs fsspec), or a list of them. Each file is read by
    ``pandas.read_parquet`` on the worker that values it; the client reads only the
    first file's schema (for the ``meta``), never the data.
    """
    if _is_dask(source):
        return source
    dd = importlib.import_module("dask.dataframe")
    pq = importlib.import_module("pyarrow.parquet")
    files = _parquet_files(source)
    if "://" in files[0]:
        with importlib.import_module("fsspec").open(files[0], "rb") as handle:
            schema = pq.read_schema(handle)
    else:
        schema = pq.read_schema(files[0])
    meta = schema.empty_table().to_pandas()
    return dd.from_map(pd.read_parquet, files, meta=meta, enforce_metadata=False)


def _parquet_files(source: Any) -> list[str]:
    """List the parquet files of a path, a directory, a URL, or a list of them."""
    os = importlib.import_module("os")
    sources = [source] if isinstance(source, str | os.PathLike) else source
    if not isinstance(sources, Iterable):
        raise RulesTypeError(
            "expected a Dask DataFrame, or the path of a parquet file or directory (or a list)",
            value=source,
            field="claims",
            reference=CONTRACT_REFERENCE,
        )
    files: list[str] = []
    for item in sources:
        where = os.fspath(item)
        if "://" in where:
            fs, root = importlib.import_module("fsspec").core.url_to_fs(where)
            found = sorted(fs.glob(root.rstrip("/") + "/*.parquet")) if fs.isdir(root) else [root]
            files.extend(fs.unstrip_protocol(f) for f in found)
        elif os.path.isdir(where):
            files.extend(
                sorted(os.path.join(where, f) for f in os.listdir(where) if f.endswith(".parquet"))
            )
        else:
            files.append(where)
    if not files:
        raise RulesError(
            "no parquet files found",
            value=source,
            field="claims",
            reference=CONTRACT_REFERENCE,
        )
    return files


@attrs.frozen
class PortfolioRun:
    """What :func:`run_portfolio` found: the summary, every refused row, and the counts."""

    #: :func:`summarise` of the whole portfolio by ``by`` (refused rows counted, not totalled).
    summary: pd.DataFrame = attrs.field(eq=False)
    #: Every refused row of every partition, with its :data:`STATUS_COLUMNS`.
    refused: pd.DataFrame = attrs.field(eq=False)
    #: How many claims were read, and in how many partitions.
    claims: int
    partitions: int
    #: Where the valued partitions were written (one parquet file each), or ``None``.
    output: str | None


def run_portfolio(
    claims: Any,
    *,
    output: str | None = None,
    by: Iterable[Hashable] | str = (),
    errors: str = "raise",
    progress: bool | None = None,
    **options: Any,
) -> PortfolioRun:
    """Value a partitioned portfolio on the workers: read, value, write and summarise, once.

    The cluster job. ``claims`` is a Dask DataFrame or a parquet dataset (path, URL or
    list). Each partition is read, valued (:func:`value_claims` with ``options``, bad
    rows flagged), written to ``output`` (a directory or URL, one
    ``part.NNNNN.parquet`` per partition, in :func:`value_claims_meta`'s flagged
    shape; skipped if ``None``) and summarised (``by``, as :func:`summarise`) on the
    worker that read it; only the partial sums and the refused rows travel back, and
    are combined. It runs on the current ``dask.distributed`` client if there is one
    (see :func:`local_cluster`), else on Dask's default scheduler.

    ``errors="raise"`` (the default): after the job, one
    :class:`~rtaprotocol.errors.RulesError` names every refused row of **every**
    partition (``err.value`` maps each to its problems; any ``output`` written holds
    them as refused rows). ``errors="flag"`` returns them in ``refused``.
    ``progress``: show a progress bar (``None``: when there are 8 partitions or more).

    The edge case: a bad row in each of two partitions, both named (CLA 2018 s.3).

    >>> import dask, dask.dataframe as dd
    >>> claims = pd.DataFrame({"accident_date": pd.to_datetime(["2024-06-03"] * 4),
    ...                        "duration_months": [3, 30, 6, 0]})
    >>> with dask.config.set(scheduler="synchronous"):
    ...     run = run_portfolio(dd.from_pandas(claims, npartitions=2), errors="flag")
    >>> run.partitions, run.refused.index.tolist(), run.summary["total_pence"].tolist()
    (2, [1, 3], [73500])
    """
    dask = importlib.import_module("dask")
    flag = _check_choice(errors, ERROR_POLICIES, "errors")
    for name in ("errors", "meta"):
        if name in options:
            raise RulesTypeError(
                f"{name}= is run_portfolio's own argument, not value_claims'",
                value=name,
                field=name,
                reference=CONTRACT_REFERENCE,
            )
    if isinstance(by, str) or not isinstance(by, Iterable):
        by = [by]
    keys = list(by)
    if output is not None and "://" not in str(output):
        importlib.import_module("os").makedirs(output, exist_ok=True)
    target = None if output is None else str(output).rstrip("/")
    # A parquet dataset is read inside each partition's one task (read, value, write,
    # summarise), so no frame waits in a worker's memory between two tasks.
    parts = claims.to_delayed() if _is_dask(claims) else _parquet_files(claims)
    task = _run_partition if _is_dask(claims) else _run_file
    tasks = [
        dask.delayed(task)(part, number, target, keys, options) for number, part in enumerate(parts)
    ]
    results = _compute(tasks, progress)
    refused = pd.concat([r[1] for r in results]) if results else value_claims_meta(errors="flag")
    run = PortfolioRun(
        summary=_combine_sums([r[0] for r in results], keys),
        refused=refused,
        claims=sum(r[2] for r in results),
        partitions=len(tasks),
        output=target,
    )
    if len(refused) and not flag:
        raise _refusal_error(refused)
    return run


def _run_file(
    path: str,
    number: int,
    output: str | None,
    by: list[Hashable],
    options: Mapping[str, Any],
) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """One file of :func:`run_portfolio`, on a worker: read it, then as :func:`_run_partition`."""
    return _run_partition(pd.read_parquet(path), number, output, by, options)


def _run_partition(
    claims: pd.DataFrame,
    number: int,
    output: str | None,
    by: list[Hashable],
    options: Mapping[str, Any],
) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """One partition of :func:`run_portfolio`, on a worker: value, write, summarise."""
    valued = value_claims(claims, errors="flag", **options)
    if output is not None:
        # Dictionary encoding for the labels only: trying it on every money column
        # doubled the time to write a partition.
        labels = [
            str(name)
            for name, dtype in valued.dtypes.items()
            if isinstance(dtype, pd.CategoricalDtype | pd.StringDtype) or dtype.kind == "O"
        ]
        valued.to_parquet(f"{output}/part.{number:05d}.parquet", use_dictionary=labels)
    names, keys = _summary_keys(valued, by)
    sums = _summary_sums(valued, names, keys)
    return sums, valued[(valued["status"] == "refused").to_numpy()], len(valued)


def _compute(tasks: list[Any], progress: bool | None) -> list[Any]:
    """Compute ``tasks`` where ``dask.compute`` would, and show progress.

    A ``scheduler`` set in ``dask.config`` first, then the current distributed client,
    else Dask's default scheduler.
    """
    dask = importlib.import_module("dask")
    show = len(tasks) >= 8 if progress is None else progress
    client = _distributed_client(dask.config.get("scheduler", None))
    if client is not None:
        futures = client.compute(tasks)
        if show:
            importlib.import_module("distributed").progress(futures)
        return list(client.gather(futures))
    if show:
        with importlib.import_module("dask.diagnostics").ProgressBar():
            return list(dask.compute(*tasks))
    return list(dask.compute(*tasks))


def _distributed_client(scheduler: Any) -> Any:
    """Return the ``dask.distributed`` client to run on, or ``None`` for ``dask.compute``.

    Dask's own order: a ``scheduler`` set in ``dask.config`` (``"synchronous"``,
    ``"threads"``, ``"processes"``...) wins over a default client, so that
    ``dask.config.set(scheduler="synchronous")`` runs in this process even while a
    ``Client`` is open. Before, the client always won, and a job meant for this process
    ran on the cluster's workers.
    """
    if scheduler is not None:
        if "Client" in type(scheduler).__name__:
            return scheduler
        if scheduler not in ("dask.distributed", "distributed"):
            return None
    try:
        return importlib.import_module("distributed").default_client()
    except (ImportError, ValueError):
        return None


def _refusal_error(refused: pd.DataFrame) -> RulesError:
    """One error naming every refused row of a whole portfolio (all its partitions)."""
    by_label: dict[Hashable, list[str]] = {}
    for label, message in zip(refused.index, refused["error_message"].tolist(), strict=True):
        by_label.setdefault(_plain(label), []).append(message)
    labels = list(by_label)
    named = ", ".join(repr(r) for r in labels[:_SHOWN])
    if len(labels) > _SHOWN:
        named += f" and {len(labels) - _SHOWN} more (all in err.value)"
    columns = ",".join(refused["error_column"].tolist()).split(",")
    codes = ",".join(refused["error_code"].tolist()).split(",")
    noun = "row" if len(refused) == 1 else "rows"
    counted = _counted(codes)
    return RulesError(
        f"{len(refused)} bad {noun} in the portfolio (by index: {named}); the problems: "
        + ", ".join(f"{c} ({n})" for c, n in counted.items()),
        value={k: v[0] if len(v) == 1 else v for k, v in by_label.items()},
        field=", ".join(dict.fromkeys(columns)),
        reference=RUN_REFERENCE,
        code=next(iter(counted)) if len(counted) == 1 else ErrorCode.INPUT_INVALID,
    )


def _counted(values: list[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for v in values:
        counts[v] = counts.get(v, 0) + 1
    return counts


# --- what-if: two tables side by side --------------------------------------------------

COMPARE_REFERENCE: Final = (
    "a portfolio valued under two tariff tables side by side: a what-if comparison, not the "
    "law for any accident date unless a table is None (Whiplash Injury Regulations 2021 "
    "reg 2; rtaprotocol tariff tables)"
)


def _table_label(choice: str | TariffTable | None) -> str:
    """Say which table a ``tariff_table=`` choice is, with the what-if mark where due."""
    scenario, what_if = _choose_table(choice)
    if what_if is not None:
        return what_if.what_if_note
    if scenario is None:
        return "the law: each claim's table by its accident date"
    name = TARIFF_TABLES[TARIFF_SCENARIOS.index(scenario)].name
    return f"{name}, what-if scenario tariff_table={scenario!r}; not the law for every date"


@attrs.frozen(eq=False)
class TableComparison:
    """A portfolio valued under two tariff tables, row by row, with the difference.

    Built by :func:`compare_tables`. ``rows`` is a pandas DataFrame on the portfolio's
    index: for each of :data:`SUMMARY_TOTALS` (``tariff_pence``, ``injury_pence``,
    ``total_pence``) its ``base_...``, ``alternative_...`` and ``difference_...``
    (alternative less base) in ``int64`` pence. ``totals`` maps each of those columns to
    its sum in pence; ``base`` and ``alternative`` say which table each is, with the
    what-if mark (the table's name and what it was derived from) for a what-if table.
    """

    base: str
    alternative: str
    rows: Any
    totals: Mapping[str, int]

    @property
    def what_if(self) -> bool:
        """True unless both sides are the law (always true: a comparison is a what-if)."""
        return True

    def to_frame(self) -> Any:
        """Return the per-row frame (``rows``)."""
        return self.rows

    def _lines(self) -> list[list[Any]]:
        return [
            [
                name.removesuffix("_pence"),
                *(
                    Decimal(self.totals[f"{side}_{name}"]).scaleb(-2)
                    for side in ("base", "alternative", "difference")
                ),
            ]
            for name in SUMMARY_TOTALS
        ]

    def _title(self) -> str:
        return f"What-if comparison of {len(self.rows)} claims under two tariff tables"

    @exact
    def __str__(self) -> str:
        table = text_table(
            ("total", "base", "alternative", "difference"),
            self._lines(),
            title=self._title(),
        )
        return f"{table}\nbase: {self.base}\nalternative: {self.alternative}"

    @exact
    def _repr_html_(self) -> str:
        """Render the totals and both tables' what-if marks."""
        return (
            html_verdict(self._title(), "info")
            + html_table(
                ("total", "base", "alternative", "difference"),
                self._lines(),
            )
            + f"<p>base: {html_text(self.base)}<br>"
            + f"alternative: {html_text(self.alternative)}</p>"
        )

    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready totals (pence as ints, pounds as exact strings) and both marks."""
        return {
            "what_if": True,
            "base": self.base,
            "alternative": self.alternative,
            "claims": len(self.rows),
            "totals_pence": dict(self.totals),
            "totals_pounds": {
                k.removesuffix("_pence") + "_pounds": str(Decimal(v).scaleb(-2))
                for k, v in self.totals.items()
            },
            "reference": COMPARE_REFERENCE,
        }


@exact
def compare_tables(
    claims: Any,
    base: str | TariffTable | None,
    alternative: str | TariffTable | None,
    **options: Any,
) -> TableComparison:
    """Value a portfolio under two tariff tables side by side: per-row and total difference.

    ``base`` and ``alternative`` are each a ``tariff_table=`` of :func:`value_claims`:
    ``None`` (the law: each claim's table by its accident date), ``"2021"`` or
    ``"2025"``, or a :class:`~rtaprotocol.tariff.TariffTable` (a what-if one is checked
    by :func:`~rtaprotocol.tariff.check_tariff_table`). ``options`` go to
    :func:`value_claims` (``columns``, ``passthrough``, ``extra``, ``seatbelt_heads``).
    The result's ``rows`` give, per claim, each of :data:`SUMMARY_TOTALS` under both
    tables and the difference (alternative less base); ``totals`` their sums, so the
    total difference is always the sum of the per-row differences. Every view names
    both tables, a what-if table with its name and what it was derived from.

    >>> from rtaprotocol.tariff import TARIFF_TABLES, uplifted_tariff_table
    >>> claims = pd.DataFrame({
    ...     "accident_date": pd.to_datetime(["2024-06-03", "2025-06-03"]),
    ...     "duration_months": [3, 24],
    ...     "claimant_liability_percent": [0, 50],
    ... })
    >>> plus = uplifted_tariff_table(TARIFF_TABLES[1], 10)
    >>> result = compare_tables(claims, None, plus)
    >>> result.rows[["base_total_pence", "alternative_total_pence", "difference_total_pence"]]
       base_total_pence  alternative_total_pence  difference_total_pence
    0             24000                    30250                    6250
    1            241500                   265650                   24150
    >>> result.totals["difference_total_pence"]
    30400
    >>> print(result.alternative)  # doctest: +ELLIPSIS
    what-if table 'Table 2 +10%', derived from Table 2 (accidents on or after 2025-05-31), ...
    """
    frame, _kind = _as_pandas(claims, "claims")
    base_label, alternative_label = _table_label(base), _table_label(alternative)
    one = value_claims(frame, tariff_table=base, **options)
    two = value_claims(frame, tariff_table=alternative, **options)
    data: dict[str, Any] = {}
    for name in SUMMARY_TOTALS:
        first = one[name].to_numpy(dtype=np.int64)
        second = two[name].to_numpy(dtype=np.int64)
        data[f"base_{name}"] = first
        data[f"alternative_{name}"] = second
        data[f"difference_{name}"] = second - first
    data["base_table"] = one["tariff_table"].array
    data["alternative_table"] = two["tariff_table"].array
    rows = pd.DataFrame(data, index=frame.index)
    totals = {
        column: int(rows[column].sum()) for column in rows.columns if column.endswith("_pence")
    }
    return TableComparison(
        base=base_label,
        alternative=alternative_label,
        rows=rows,
        totals=totals,
    )
