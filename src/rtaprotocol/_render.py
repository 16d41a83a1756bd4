"""Rendering shared by every result: text tables, HTML tables and JSON-ready data.

Results in rtaprotocol explain themselves three ways: ``str(result)`` is a plain-text
table, ``result._repr_html_()`` is an HTML table for notebooks, ``result.to_dict()`` is
JSON-ready data. This module holds the one implementation of each.

JSON conventions (see docs/json.md): ``Decimal`` becomes a string with its exact digits
(``"2112.50"``), ``date`` an ISO string, an ``Enum`` its ``value``, tuples lists, and
``attrs`` instances their ``to_dict()`` if they have one.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any, ClassVar

from rtaprotocol._decimal import exact
from rtaprotocol.money import format_money

__all__ = ["Tabular", "html_table", "jsonable", "months_json", "percent_json", "text_table"]


@exact
def jsonable(value: Any) -> Any:
    """Return ``value`` as data ``json.dumps`` accepts, exactly (Decimals as strings).

    >>> jsonable({"total": Decimal("2112.50"), "on": date(2023, 5, 2), "xs": (1, None)})
    {'total': '2112.50', 'on': '2023-05-02', 'xs': [1, None]}
    """
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return jsonable(value.value)
    if isinstance(value, Mapping):
        return {str(jsonable(k)): jsonable(v) for k, v in value.items()}
    if isinstance(value, Sequence | frozenset | set):
        return [jsonable(v) for v in value]
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        return to_dict()
    raise TypeError(f"cannot make {type(value).__name__} JSON-ready")


def _cell(value: Any) -> str:
    if isinstance(value, Decimal):
        return format_money(value)  # half-up, like every other rounding in the library
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return str(value.value)
    if value is None:
        return ""
    return str(value)


@exact
def text_table(
    headers: Sequence[str], rows: Sequence[Sequence[Any]], *, title: str | None = None
) -> str:
    """Render a plain-text table; money cells print as ``£1,012.50``, numbers right-aligned.

    >>> print(text_table(["head", "net"], [["injury", Decimal("675")]], title="Payment"))
    Payment
    head   |     net
    -------+--------
    injury | £675.00
    """
    cells = [[_cell(v) for v in row] for row in rows]
    numeric = [
        all(isinstance(row[i], Decimal | int) for row in rows if row[i] is not None)
        and any(row[i] is not None for row in rows)
        for i in range(len(headers))
    ]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]

    def line(values: Sequence[str]) -> str:
        parts = [
            v.rjust(w) if num else v.ljust(w)
            for v, w, num in zip(values, widths, numeric, strict=True)
        ]
        return " | ".join(parts).rstrip()

    out = [title] if title else []
    out.append(line(headers))
    out.append("-+-".join("-" * w for w in widths))
    out.extend(line(r) for r in cells)
    return "\n".join(out)


@exact
def html_table(
    headers: Sequence[str], rows: Sequence[Sequence[Any]], *, caption: str | None = None
) -> str:
    """Render an HTML table (escaped) for notebooks' ``_repr_html_``.

    >>> html_table(["a"], [["<b>"]])
    '<table><thead><tr><th>a</th></tr></thead><tbody><tr><td>&lt;b&gt;</td></tr></tbody></table>'
    """
    parts = ["<table>"]
    if caption:
        parts.append(f"<caption>{html.escape(caption)}</caption>")
    parts.append("<thead><tr>")
    parts.extend(f"<th>{html.escape(h)}</th>" for h in headers)
    parts.append("</tr></thead><tbody>")
    for row in rows:
        parts.append("<tr>")
        for v in row:
            align = ' style="text-align:right"' if isinstance(v, Decimal | int) else ""
            parts.append(f"<td{align}>{html.escape(_cell(v))}</td>")
        parts.append("</tr>")
    parts.append("</tbody></table>")
    return "".join(parts)


class Tabular:
    """Mixin for a result that is one table: ``str()`` and ``_repr_html_`` from its rows.

    A subclass sets ``_headers`` and defines ``_title()`` and ``_rows()``; both renderings
    then show the same title, headers and rows. It has no slots of its own, so frozen
    slotted ``attrs`` classes can use it.
    """

    __slots__ = ()
    _headers: ClassVar[tuple[str, ...]]

    def _title(self) -> str:
        raise NotImplementedError

    def _rows(self) -> list[list[Any]]:
        raise NotImplementedError

    @exact
    def __str__(self) -> str:
        rows, title = self._rows(), self._title()
        return text_table(self._headers, rows, title=title)

    @exact
    def _repr_html_(self) -> str:
        """Render the table as HTML, for notebooks."""
        rows, title = self._rows(), self._title()
        return html_table(self._headers, rows, caption=title)


# --- canonical JSON for echoed inputs (docs/json.md) ------------------------------------
#
# Money is canonical already (to_money always gives two places). Percentages and fractional
# months keep the digits the caller wrote ("25", "25.0", "25.00" are the same value), so
# to_dict writes them in one form: the same value gives the same JSON, whatever its input.


@exact
def percent_json(value: Decimal) -> str:
    """Return a percentage as a two-place decimal string, whatever digits it was given in.

    >>> percent_json(Decimal("25")), percent_json(Decimal("12.5")), percent_json(Decimal("0.00"))
    ('25.00', '12.50', '0.00')
    """
    return str(value.quantize(_HUNDREDTH) + 0)


@exact
def months_json(value: Decimal) -> str:
    """Return a number of months with no trailing zeros and no exponent.

    >>> months_json(Decimal("3.50")), months_json(Decimal("7.0")), months_json(Decimal("2.4E1"))
    ('3.5', '7', '24')
    """
    text = f"{value.normalize():f}"
    return "0" if text in {"-0", "0"} else text


_HUNDREDTH = Decimal("0.01")
