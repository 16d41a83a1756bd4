"""Readable views for every public value class, nested parts and inputs included.

Each public module ends with ``install_views(globals())``. For every public ``attrs``
class of the module it adds what a notebook reads (docs/views.md):

* ``_repr_pretty_``: IPython's text (``text/plain`` in a notebook, the REPL's echo), the
  result's own text view, or for a part of a result (an offer, a deduction step, a
  criterion) a readable one: money as ``£1,234.56``, dates as ``Wed 30 Oct 2024``, enums
  by their label, lists as tables. A list or tuple of results prints through it too;
* ``_repr_html_`` for a part that has none: the same content as HTML, lists as tables;
* for a result (a class with a view of its own), a compact ``__repr__``:
  ``<TariffAward: Tariff award: £3,840.00 ...>``, one line, not the attrs repr of every
  field (``Decimal('...')``, enum reprs, tuples). Parts and inputs keep their attrs repr,
  which round-trips through ``eval`` and which error messages echo.

``to_dict()`` is never touched: the JSON is the contract (docs/json.md).
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, MutableMapping, Sequence
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any, Final

import attrs

from rtaprotocol._decimal import exact
from rtaprotocol._render import (
    _cell,
    html_table,
    html_verdict,
    months_json,
    text_table,
    uk_date,
    uk_dates,
)
from rtaprotocol.money import format_money

__all__ = [
    "compact_repr",
    "frame",
    "install_views",
    "part_html",
    "part_text",
    "readable",
    "readable_text",
]

#: Classes whose hand-written ``__repr__`` is replaced by the compact one: it spelled out
#: every field (they define their own because of a lazily built slot).
_VERBOSE_REPRS: Final = frozenset({"EligibilityResult", "PaymentBreakdown"})
_REPR_WIDTH: Final = 100
_NONE: Final = "\u2014"
_SHORT_LABEL: Final = 30
_SUMMARY_FIELDS: Final = 3


def _label(name: str) -> str:
    return name.strip("_").replace("_", " ")


def _is_part(value: Any) -> bool:
    return attrs.has(type(value))


@exact
def readable(value: Any, name: str = "") -> str:
    """Return one value as a reader would write it; ``name`` is its field's name.

    Money as ``£1,234.56`` (a field whose name says percent, months or days is a number),
    dates with their weekday, enums by their label, booleans as yes/no, lists joined.

    >>> readable(Decimal("1234.5")), readable(Decimal("12.50"), "seatbelt_percent")
    ('£1,234.50', '12.5%')
    >>> readable(date(2024, 10, 30)), readable(True), readable(None), readable((1, 2))
    ('Wed 30 Oct 2024', 'yes', '—', '1, 2')
    """
    if value is None:
        return _NONE
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        if "percent" in name:
            return f"{months_json(value)}%"
        if "months" in name or "days" in name:
            return months_json(value)
        return format_money(value)
    if isinstance(value, date):
        return uk_date(value)
    if isinstance(value, Enum):
        # A short label reads better than the code; a long one (a head's whole definition)
        # would drown a table, so the value stands in for it.
        label = getattr(value, "label", None)
        short = isinstance(label, str) and len(label) <= _SHORT_LABEL
        return str(label) if short else str(value.value)
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        return ", ".join(f"{readable(k)}: {readable(v, str(k))}" for k, v in value.items())
    if isinstance(value, tuple | list | frozenset | set):
        return ", ".join(readable(v, name) for v in value) or _NONE
    if _is_part(value):
        return _summary(value)
    return str(value)


def _fields(value: Any) -> list[tuple[str, Any]]:
    """Return the public fields of an attrs instance (a lazy slot read through its property)."""
    out = []
    for field in attrs.fields(type(value)):
        name = field.name.lstrip("_")
        if field.name.startswith("_") and not isinstance(
            getattr(type(value), name, None), property
        ):
            continue
        out.append((name, getattr(value, name)))
    return out


def _summary(value: Any) -> str:
    """One line: the text view's first line, or the part's fields in a row."""
    if _own_text(type(value)):
        first = str(value).splitlines()
        return first[0] if first else type(value).__name__
    shown = [
        f"{_label(n)} {readable(v, n)}"
        for n, v in _fields(value)
        if not isinstance(v, tuple | list) and v is not None and not _is_part(v)
    ]
    return "; ".join(shown[:_SUMMARY_FIELDS])


def _is_rows(value: Any) -> bool:
    """Say whether ``value`` is a non-empty list of parts of one class (a table of its own)."""
    return (
        isinstance(value, tuple | list)
        and bool(value)
        and all(_is_part(v) and type(v) is type(value[0]) for v in value)
    )


def _is_list(value: Any) -> bool:
    """Say whether ``value`` is a list of parts (a table) or empty (said in words)."""
    return _is_rows(value) or (isinstance(value, tuple | list) and not value)


def _rows_table(items: Any) -> tuple[list[str], list[list[str]]]:
    headers = [n for n, _ in _fields(items[0])]
    rows = [[readable(v, n) for n, v in _fields(item)] for item in items]
    return [_label(h) for h in headers], rows


@exact
def part_text(value: Any) -> str:
    """Return a part of a result as readable text: its fields, then its lists as tables.

    >>> from rtaprotocol.deductions import PerHead
    >>> print(part_text(PerHead(Decimal("1000.00"), Decimal("0.00"), Decimal("12.50"))))
    PerHead
    injury         | £1,000.00
    injury related | £0.00
    property       | £12.50
    """
    scalars = [(_label(n), readable(v, n)) for n, v in _fields(value) if not _is_list(v)]
    width = max((len(label) for label, _ in scalars), default=0)
    out = [type(value).__name__]
    # each value through the text tables' own cell rendering, so whatever those do to user
    # text (escaping, say) these lines do too
    out.extend(f"{label.ljust(width)} | {_cell(text)}" for label, text in scalars)
    for n, v in _fields(value):
        if _is_rows(v):
            headers, rows = _rows_table(v)
            out.extend(["", text_table(headers, rows, title=_label(n).capitalize())])
        elif _is_list(v) and not v:
            out.append(f"{_label(n).capitalize()}: none yet")
    return "\n".join(line.rstrip() for line in out)


@exact
def part_html(value: Any) -> str:
    """Return a part of a result as HTML: a summary line, its fields, its lists as tables.

    >>> from rtaprotocol.offers import FeeNegotiation
    >>> "Offers: none yet" in part_html(FeeNegotiation())
    True
    """
    fields = _fields(value)
    scalars = [[_label(n), readable(v, n)] for n, v in fields if not _is_list(v)]
    parts = [html_verdict(f"{type(value).__name__}: {_summary(value) or 'none yet'}", "info")]
    if scalars:
        parts.append(html_table(["field", "value"], scalars))
    for n, v in fields:
        if _is_rows(v):
            headers, rows = _rows_table(v)
            parts.append(html_table(headers, rows, caption=_label(n).capitalize()))
        elif _is_list(v) and not v:
            parts.append(f"<p>{html.escape(_label(n).capitalize())}: none yet</p>")
    return "".join(parts)


def _own_text(cls: type) -> bool:
    return any("__str__" in vars(c) for c in cls.__mro__[:-1])


def _text(value: Any) -> str:
    return readable_text(str(value)) if _own_text(type(value)) else part_text(value)


_RULE: Final = re.compile(r"^-+(?:-\+-+)*$")


@exact
def readable_text(text: str) -> str:
    r"""Return a text view with its ISO dates as UK dates (``Wed 30 Oct 2024``), realigned.

    What IPython prints for a result (``_repr_pretty_``): the text view, word for word,
    except that each ISO date is written with its weekday, and each table is laid out
    again for the longer dates (a right-aligned column stays right-aligned). ``str()``
    keeps ISO dates: scripts, the CLI and the documented outputs read it.

    >>> print(readable_text("Due 2024-10-30\nstep | on\n-----+-----------\nsend | 2024-10-30"))
    Due Wed 30 Oct 2024
    step | on
    -----+----------------
    send | Wed 30 Oct 2024
    """
    lines = text.splitlines()
    out: list[str] = []
    i = 0
    while i < len(lines):
        if i + 1 < len(lines) and _RULE.match(lines[i + 1]):  # a header, then its rule
            columns = lines[i + 1].count("+") + 1
            end = i + 2
            while end < len(lines) and lines[end].strip():
                if lines[end].count(" | ") != columns - 1:
                    break
                end += 1
            out.extend(_realign(lines[i], lines[i + 2 : end], columns))
            i = end
        else:
            out.append(uk_dates(lines[i]))
            i += 1
    return "\n".join(out)


def _realign(header: str, rows: list[str], columns: int) -> list[str]:
    """Lay a text table out again with its dates in UK form, its alignment kept."""
    split = [line.split(" | ") for line in [header, *rows]]
    if any(len(cells) != columns for cells in split[1:]) or len(split[0]) != columns:
        return [uk_dates(line) for line in [header, "-" * len(header), *rows]]
    right = [
        any(len(r) > i and r[i][:1] == " " and r[i].strip() for r in split[1:])
        for i in range(columns)
    ]
    cells = [[uk_dates(c.strip()) for c in r] for r in split]
    widths = [max(len(r[i]) for r in cells) for i in range(columns)]

    def line(values: list[str]) -> str:
        parts = [
            v.rjust(w) if r else v.ljust(w) for v, w, r in zip(values, widths, right, strict=True)
        ]
        return " | ".join(parts).rstrip()

    return [line(cells[0]), "-+-".join("-" * w for w in widths), *(line(r) for r in cells[1:])]


@exact
def compact_repr(value: Any) -> str:
    """Return ``<ClassName: first line of its view>``, cut to one short line."""
    line = _summary(value)
    text = f"<{type(value).__name__}: {line}>"
    if len(text) > _REPR_WIDTH:
        text = text[: _REPR_WIDTH - 2] + "\u2026>"
    return text


@exact
def _repr_pretty_(self: Any, printer: Any, cycle: bool) -> None:
    """IPython's text view: the readable text, never the attrs repr."""
    printer.text(compact_repr(self) if cycle else _text(self))


def _attrs_repr(cls: type) -> bool:
    code = getattr(vars(cls).get("__repr__"), "__code__", None)
    return code is not None and code.co_filename.startswith("<attrs generated")


def install_views(namespace: MutableMapping[str, Any]) -> None:
    """Give each public attrs class of a module its readable views (see the module doc)."""
    for name in namespace.get("__all__", ()):
        cls = namespace.get(name)
        if not isinstance(cls, type) or not attrs.has(cls) or issubclass(cls, BaseException):
            continue
        is_result = callable(getattr(cls, "_repr_html_", None))
        if "_repr_pretty_" not in vars(cls):
            cls._repr_pretty_ = _repr_pretty_  # type: ignore[attr-defined]
        if not is_result:
            cls._repr_html_ = part_html  # type: ignore[attr-defined]
        elif _attrs_repr(cls) or cls.__name__ in _VERBOSE_REPRS:
            cls.__repr__ = compact_repr  # type: ignore[method-assign]


@exact
def frame(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> Any:
    """Return a view's table as a pandas DataFrame (pandas: the ``batch`` extra).

    Columns are the view's headers as identifiers (``days left`` becomes ``days_left``);
    money stays exact ``Decimal`` pounds (as ``to_dict`` keeps it exact), dates stay
    ``datetime.date``, an enum is its value.

    >>> frame(["item", "days left"], [["injury", 3]]).columns.tolist()
    ['item', 'days_left']
    """
    try:
        import pandas as pd
    except ImportError as exc:
        raise ModuleNotFoundError(
            "to_frame() needs pandas: install the batch extra, pip install 'rtaprotocol[batch]'",
            name="pandas",
        ) from exc
    columns = [re.sub(r"\W+", "_", h).strip("_") for h in headers]
    data = [[v.value if isinstance(v, Enum) else v for v in row] for row in rows]
    return pd.DataFrame(data, columns=columns)
