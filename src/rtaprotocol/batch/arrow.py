"""polars and pyarrow inputs, read through Arrow (rtaprotocol.batch).

Neither polars nor pyarrow is a dependency of the batch path: each is imported only for
an input of its kind.
"""

from __future__ import annotations

import importlib
from typing import Any

import pandas as pd

from rtaprotocol.batch.columns import CONTRACT_REFERENCE
from rtaprotocol.errors import (
    RulesTypeError,
)


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
