"""Portfolio summaries: :func:`~rtaprotocol.batch.summarise` (rtaprotocol.batch).

Counts and exact totals by group, of a pandas, polars, pyarrow or Dask valued portfolio.
"""

from __future__ import annotations

import importlib
from collections.abc import Hashable, Iterable
from typing import Any, Final

import numpy as np
import pandas as pd

from rtaprotocol._checks import wrong_type
from rtaprotocol._decimal import exact
from rtaprotocol.batch.arrow import _as_pandas, _same_kind
from rtaprotocol.batch.bad_rows import _Rows
from rtaprotocol.batch.columns import BATCH_MONEY_REFERENCE
from rtaprotocol.batch.frame import _closest
from rtaprotocol.batch.money import _decimal_pounds, _flags, _whole_pence
from rtaprotocol.errors import (
    ErrorCode,
    RulesError,
    RulesTypeError,
)

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

    >>> import pandas as pd
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
        raise wrong_type(
            by, "a list of column names (or pandas Series)", field="by", reference=SUMMARY_REFERENCE
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
                    code=ErrorCode.VALUE_INVALID,
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
                code=ErrorCode.VALUE_INVALID,
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
            code=ErrorCode.FIELD_MISSING,
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
                code=ErrorCode.VALUE_INVALID,
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
        # A group's total, not one amount: it may pass MAX_PENCE (one claim's ceiling), up
        # to the int64 limit _combine_sums checks; pounds() would refuse it as a bad row.
        out[name.removesuffix("_pence") + "_pounds"] = pd.Series(
            _decimal_pounds(out[name].to_numpy(), None), index=out.index
        )
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
                code=ErrorCode.VALUE_INVALID,
            )
    return _summary_finish(sums.astype(np.int64), names)
