"""The payment steps of guide 6.5.2 over columns of pence: :func:`~rtaprotocol.batch.payments`.

The same answers as :func:`rtaprotocol.deductions.compute_payment`, to the penny (the batch
path's twin of :mod:`rtaprotocol.deductions`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final

import numpy as np
import pandas as pd

from rtaprotocol._checks import wrong_type
from rtaprotocol._decimal import exact
from rtaprotocol.batch.bad_rows import _labels_of, _Rows, _size_of
from rtaprotocol.batch.columns import PAYMENT_COLUMNS, Int64Array
from rtaprotocol.batch.money import _basis_points, _whole_pence
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
    _head_twice,
    _seatbelt_heads,
)
from rtaprotocol.errors import ProtocolViolation


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
        raise wrong_type(amounts, "a mapping of heads to pence", field=field, reference=reference)
    out = {head: np.zeros(size, dtype=np.int64) for head in Head}
    seen: set[Head] = set()
    for key, values in amounts.items():
        head = Head.from_slug(key)
        if head in seen:
            raise _head_twice(key, field, reference)
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
