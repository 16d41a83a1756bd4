"""Money and percentages over columns: pounds to and from ``int64`` pence, basis points.

The batch path's readers, with :func:`~rtaprotocol.money.to_money`'s and
:func:`~rtaprotocol.money.to_percent`'s rules (rtaprotocol.batch).
"""

from __future__ import annotations

import functools
import importlib
import math
import sys
from collections.abc import Callable, Hashable
from decimal import Decimal
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from rtaprotocol._checks import wrong_type
from rtaprotocol._decimal import exact
from rtaprotocol.batch.bad_rows import (
    _capped,
    _column,
    _is_missing,
    _labels_of,
    _length,
    _missing_mask,
    _result,
    _Rows,
)
from rtaprotocol.batch.columns import (
    BATCH_MONEY_REFERENCE,
    FRACTION_REFERENCE,
    MAX_PENCE,
    BoolArray,
    Int64Array,
)
from rtaprotocol.errors import (
    ErrorCode,
    RulesError,
    RulesTypeError,
)
from rtaprotocol.money import MONEY_REFERENCE, PENNY, to_money, to_percent


@exact
def pence(amounts: Any) -> Any:
    """Return pound amounts as ``int64`` pence, by :func:`~rtaprotocol.money.to_money`'s rules.

    The door into the batch path for money (guide 4.4, 6.5.2): integers are whole
    pounds; a float is accepted only when it is a whole number of pence (``1390.5`` yes,
    ``0.1 + 0.2`` no); ``Decimal`` and numeric strings go through ``to_money`` one by one.
    Negative, missing or not-a-number amounts are refused, naming every bad row.

    >>> from decimal import Decimal
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
    # Each row is refused as to_money refuses it, in its order: not finite, negative, above
    # the ceiling (the batch path's, MAX_PENCE), more than two places; one refusal a row.
    if kind in "iu":
        negative = array < 0  # compared before any cast or product
        large = array > MAX_PENCE // 100
        _refuse_amounts(rows, array, field, negative=negative, large=large)
        return np.where(negative | large, 0, _capped(array, MAX_PENCE // 100)) * 100
    if kind == "f":
        scaled, exact = _hundredths(array, MAX_PENCE)
        finite = np.isfinite(array)
        rows.add(
            ~finite & ~np.isnan(array),
            array,
            field=field,
            code=ErrorCode.NUMBER_NOT_FINITE,
            message="an amount must be finite",
            reference=MONEY_REFERENCE,
        )
        negative = finite & (array < 0)
        large = finite & ~negative & (scaled > MAX_PENCE)  # clipped at MAX_PENCE + 1
        _refuse_amounts(rows, array, field, negative=negative, large=large)
        rows.add(
            finite & ~negative & ~large & ~exact,
            array,
            field=field,
            code=ErrorCode.MONEY_TOO_MANY_PLACES,
            message="amount has more than two decimal places of value",
            reference=MONEY_REFERENCE,
        )
        return np.where(exact & ~negative & ~large, scaled, 0).astype(np.int64)
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


#: The batch path's refusal of an amount above its ceiling (:data:`MAX_PENCE`, below
#: the library's): every kind of column says the same.
_ABOVE_CEILING: Final = f"amount is above £{MAX_PENCE // 100:,}, the batch path's ceiling"


def _refuse_amounts(
    rows: _Rows, array: npt.NDArray[Any], field: str, *, negative: BoolArray, large: BoolArray
) -> None:
    """Record the negative rows and those above the ceiling, each with ``to_money``'s code."""
    rows.add(
        negative,
        array,
        field=field,
        code=ErrorCode.MONEY_NEGATIVE,
        message="amount is negative",
        reference=MONEY_REFERENCE,
    )
    rows.add(
        large,
        array,
        field=field,
        code=ErrorCode.MONEY_TOO_LARGE,
        message=_ABOVE_CEILING,
        reference=MONEY_REFERENCE,
    )


def _pence_of(value: Any, *, field: str) -> int:
    """Return one amount in pounds as whole pence by ``to_money``, refusing above MAX_PENCE."""
    amount = int(to_money(value, field=field) * 100)
    if amount > MAX_PENCE:
        raise RulesError(
            _ABOVE_CEILING,
            value=value,
            field=field,
            reference=MONEY_REFERENCE,
            code=ErrorCode.MONEY_TOO_LARGE,
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
            raise wrong_type(
                values, "whole pence (an int)", field=field, reference=BATCH_MONEY_REFERENCE
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
            finite = np.isfinite(array)
            exact = (scaled / factor == array) & finite
            # as to_percent: not finite, then outside the range, then too many places
            outside = finite & ((array < 0) | (array > top / factor))  # before rounding
            scaled = np.clip(scaled, -1, top + 1)
        rows.add(
            ~finite & ~np.isnan(array),
            array,
            field=field,
            code=ErrorCode.NUMBER_NOT_FINITE,
            message="a percentage must be finite",
            reference=reference,
        )
        rows.add(
            finite & ~outside & ~exact,
            array,
            field=field,
            code=ErrorCode.PERCENT_TOO_MANY_PLACES,
            message="fraction has more than four decimal places"
            if fraction
            else "percentage has more than two decimal places",
            reference=reference,
        )
        # an outside row is refused by the range check below (-1 or top + 1 there)
        out = np.where(
            outside, np.where(array < 0, -1, top + 1), np.where(exact, scaled, 0)
        ).astype(np.int64)
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
            raise wrong_type(values, "True or False", field=field, reference=reference)
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

    >>> import numpy as np
    >>> import pandas as pd
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
