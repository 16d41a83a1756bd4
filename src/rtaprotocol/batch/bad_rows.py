"""Bad rows, named, never NaN: columns in and out of the batch path (rtaprotocol.batch).

Every check runs over the whole column and records its bad rows in a ``_Rows``, which
then raises one :class:`~rtaprotocol.errors.RulesError` naming them all (or, for
``errors="flag"``, flags them in the result).
"""

from __future__ import annotations

import importlib
from collections.abc import Hashable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Final, NamedTuple

import numpy as np
import numpy.typing as npt
import pandas as pd

from rtaprotocol.batch.columns import _SHOWN, BoolArray, Int64Array
from rtaprotocol.errors import (
    ErrorCode,
    OutOfCoverageError,
    ProtocolViolation,
    RulesError,
    RulesTypeError,
)


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
                code = _row_code(p.code, value)
                codes.append(code)
                fields.append(p.field)
                messages.append(
                    str(
                        p.kind(
                            p.message, value=value, field=p.field, reference=p.reference, code=code
                        )
                    )
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
        # Rows refused for different reasons: the error's code is its class's general one
        # (each row's own code is in errors="flag"'s error_code column).
        code = codes.pop() if len(codes) == 1 else kind._default_code
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
            code=ErrorCode.VALUE_INVALID,
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
            code=ErrorCode.VALUE_INVALID,
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


def _is_missing(value: Any) -> bool:
    """Return True for ``None``, ``NaT``, ``pd.NA`` and a float NaN.

    A ``Decimal`` NaN is not "missing": it goes to the scalar door, which refuses it as
    the scalar rule does (and an ``sNaN`` cannot even be compared).
    """
    if value is None or value is pd.NaT or value is pd.NA:
        return True
    return isinstance(value, float) and value != value  # noqa: PLR0124


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
