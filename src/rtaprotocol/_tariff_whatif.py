"""The tables a caller gives: reading, checking, what-if and uplifted tables.

A what-if table is not the law (it has no statutory source): these readers take a
table from a caller (a ``TariffTable``, rows or a mapping) and check it cell by cell
before it values anything. A private part of :mod:`rtaprotocol.tariff`, which
re-exports every name: import them from there.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, Final

import attrs

from rtaprotocol._checks import wrong_type
from rtaprotocol._decimal import exact, thread_context
from rtaprotocol._tariff_tables import (
    MAX_TARIFF_MONTHS,
    TABLE_BANDS_REFERENCE,
    TABLE_CELLS_REFERENCE,
    TABLE_DURATION_ORDER_REFERENCE,
    TABLE_MONEY_REFERENCE,
    TABLE_PERCENT_REFERENCE,
    TABLE_UPLIFT_ORDER_REFERENCE,
    TARIFF_SCENARIOS,
    TARIFF_START,
    TARIFF_TABLES,
    WHAT_IF_REFERENCE,
    WHAT_IF_SOURCE,
    TariffBand,
    TariffTable,
    _check_scenario,
)
from rtaprotocol.errors import ErrorCode, RulesError, RulesTypeError
from rtaprotocol.money import ZERO, _format_code, format_money, round_penny


@exact
def _choose_table(choice: object) -> tuple[str | None, TariffTable | None]:
    """Read a ``tariff_table=`` choice: ``(scenario, None)`` or ``(None, what-if table)``.

    A statutory :class:`TariffTable` object is the same choice as its year's string (the
    same figures, the same marks); any other table is checked
    (:func:`check_tariff_table`) and returned as a what-if table.

    >>> _choose_table(TARIFF_TABLES[1])
    ('2025', None)
    >>> _choose_table(uplifted_tariff_table(TARIFF_TABLES[1], 5))[1].name
    'Table 2 +5%'
    """
    if isinstance(choice, TariffTable):
        for scenario, table in zip(TARIFF_SCENARIOS, TARIFF_TABLES, strict=True):
            if choice == table:
                return scenario, None
        return None, check_tariff_table(choice)
    return _check_scenario(choice), None


_STATUTORY_NAMES: Final = frozenset(t.name for t in TARIFF_TABLES)


def _table_error(
    message: str,
    value: object,
    field: str,
    reference: str,
    code: ErrorCode = ErrorCode.VALUE_INVALID,
) -> RulesError:
    return RulesError(
        message, value=value, field=f"tariff_table.{field}", reference=reference, code=code
    )


def _is_missing_cell(value: object) -> bool:
    if value is None or (isinstance(value, str) and not value.strip(" ")):
        return True
    if isinstance(value, float) and math.isnan(value):  # NaN: pandas' missing cell
        return True
    if isinstance(value, Decimal) and value.is_nan():
        return True
    return type(value).__name__ in {"NAType", "NaTType"}


def _plain_number(value: object) -> object:
    """Return a numpy scalar (``np.int64(240)``) as the Python number it holds; else ``value``."""
    item = getattr(value, "item", None)
    if type(value).__module__ == "numpy" and callable(item):
        return item()
    return value


_CELL_NUMBER: Final = re.compile(r"-?[0-9]+(?:\.[0-9]+)?", re.ASCII)


def _cell_decimal(value: object, field: str, reference: str) -> Decimal:
    """Read one cell of a table (amount or band edge) as a Decimal, or raise."""
    if _is_missing_cell(value):
        raise _table_error(
            "a cell is missing: every band needs both edges and both amounts",
            value,
            field,
            TABLE_CELLS_REFERENCE,
        )
    value = _plain_number(value)
    if isinstance(value, bool) or not isinstance(value, int | Decimal | float | str):
        raise RulesTypeError(
            f"a table cell must be an int, Decimal, float or numeric string, not "
            f"{type(value).__name__}",
            value=value,
            field=f"tariff_table.{field}",
            reference=reference,
        )
    if isinstance(value, str):
        text = value.strip(" ")
        if not _CELL_NUMBER.fullmatch(text):
            raise _table_error(
                "a table cell is not a plain decimal number (no £, commas or exponents)",
                value,
                field,
                reference,
                _format_code(value),
            )
        return Decimal(text)
    if isinstance(value, float):
        if value in (float("inf"), float("-inf")):
            raise _table_error(
                "a table cell must be finite",
                value,
                field,
                reference,
                code=ErrorCode.NUMBER_NOT_FINITE,
            )
        return Decimal(float.__repr__(value))
    if isinstance(value, Decimal) and not value.is_finite():
        raise _table_error(
            "a table cell must be finite", value, field, reference, code=ErrorCode.NUMBER_NOT_FINITE
        )
    return Decimal(value)


def _edge(value: object, field: str) -> int:
    number = _cell_decimal(value, field, TABLE_BANDS_REFERENCE)
    if number != number.to_integral_value():
        raise _table_error(
            "a band edge must be a whole number of months", value, field, TABLE_BANDS_REFERENCE
        )
    return int(number)


def _table_amount(value: object, field: str) -> Decimal:
    number = _cell_decimal(value, field, TABLE_MONEY_REFERENCE)
    if number < 0:
        raise _table_error("a tariff amount is negative", value, field, TABLE_MONEY_REFERENCE)
    if number != number.quantize(Decimal("0.01"), context=thread_context()):
        raise _table_error(
            "a tariff amount is not a whole number of pence (a fraction of a penny)",
            value,
            field,
            TABLE_MONEY_REFERENCE,
            code=ErrorCode.MONEY_TOO_MANY_PLACES,
        )
    if number.adjusted() >= 12:
        raise _table_error(
            "a tariff amount is too large: more than 12 digits of pounds",
            value,
            field,
            TABLE_MONEY_REFERENCE,
        )
    return number.quantize(Decimal("0.01"), context=thread_context()) + ZERO


_BAND_KEYS: Final = ("more_than_months", "not_more_than_months", "whiplash", "whiplash_with_psych")


def _read_band(row: object, i: int) -> TariffBand:
    """Read one band: a :class:`TariffBand`, a mapping of the four keys, or 4 values."""
    if isinstance(row, TariffBand):
        cells: list[object] = [getattr(row, key) for key in _BAND_KEYS]
    elif isinstance(row, Mapping):
        unknown = sorted(str(k) for k in row if k not in _BAND_KEYS and k != "label")
        if unknown:  # a misspelt column would otherwise read as a missing cell, or not at all
            raise _table_error(
                f"a band has a column no tariff table has (the columns are "
                f"{', '.join(_BAND_KEYS)}; 'label' is ignored)",
                unknown,
                f"bands[{i}]",
                TABLE_CELLS_REFERENCE,
            )
        cells = [row.get(key) for key in _BAND_KEYS]
    elif isinstance(row, list | tuple) and len(row) == len(_BAND_KEYS):
        cells = list(row)
    else:
        raise RulesTypeError(
            "a band is a TariffBand, a mapping of more_than_months, not_more_than_months, "
            f"whiplash and whiplash_with_psych, or those 4 values, not {type(row).__name__}",
            value=row,
            field=f"tariff_table.bands[{i}]",
            reference=TABLE_CELLS_REFERENCE,
        )
    # Every cell is present before any is judged, so a missing cell is named as missing.
    for key, cell in zip(_BAND_KEYS, cells, strict=True):
        if _is_missing_cell(cell):
            _cell_decimal(cell, f"bands[{i}].{key}", TABLE_CELLS_REFERENCE)
    return TariffBand(
        more_than_months=_edge(cells[0], f"bands[{i}].more_than_months"),
        not_more_than_months=_edge(cells[1], f"bands[{i}].not_more_than_months"),
        whiplash=_table_amount(cells[2], f"bands[{i}].whiplash"),
        whiplash_with_psych=_table_amount(cells[3], f"bands[{i}].whiplash_with_psych"),
    )


def _check_bands(bands: tuple[TariffBand, ...]) -> None:
    """Refuse bands that are not contiguous from 0 to 24 months, or amounts out of order."""
    if not bands:
        raise _table_error("a tariff table has no bands", bands, "bands", TABLE_BANDS_REFERENCE)
    previous_top = 0
    for i, band in enumerate(bands):
        if i == 0 and band.more_than_months != 0:
            raise _table_error(
                "the first band must start at 0 months (more than 0, not more than its end)",
                band.more_than_months,
                "bands[0].more_than_months",
                TABLE_BANDS_REFERENCE,
            )
        if band.more_than_months != previous_top:
            what = "a gap" if band.more_than_months > previous_top else "an overlap"
            raise _table_error(
                f"the bands are not contiguous: {what} between the band before, ending at "
                f"{previous_top} months, and this band, starting after "
                f"{band.more_than_months} months",
                band.more_than_months,
                f"bands[{i}].more_than_months",
                TABLE_BANDS_REFERENCE,
            )
        if band.not_more_than_months <= band.more_than_months:
            raise _table_error(
                "a band ends at or before it starts (the durations out of order)",
                band.not_more_than_months,
                f"bands[{i}].not_more_than_months",
                TABLE_BANDS_REFERENCE,
            )
        if band.not_more_than_months > MAX_TARIFF_MONTHS:
            raise _table_error(
                "a band runs past 24 months, the longest tariff injury",
                band.not_more_than_months,
                f"bands[{i}].not_more_than_months",
                TABLE_BANDS_REFERENCE,
            )
        previous_top = band.not_more_than_months
    if previous_top != MAX_TARIFF_MONTHS:
        raise _table_error(
            "the bands stop short of 24 months: a tariff injury of up to 24 months has no band",
            previous_top,
            f"bands[{len(bands) - 1}].not_more_than_months",
            TABLE_BANDS_REFERENCE,
        )
    for i, band in enumerate(bands):
        if band.whiplash_with_psych < band.whiplash:
            raise _table_error(
                f"whiplash with a minor psychological injury ({format_money(band.whiplash_with_psych)})"
                f" is worth less than whiplash only ({format_money(band.whiplash)})",
                band.whiplash_with_psych,
                f"bands[{i}].whiplash_with_psych",
                TABLE_UPLIFT_ORDER_REFERENCE,
            )
        if i:
            before = bands[i - 1]
            for key in ("whiplash", "whiplash_with_psych"):
                if getattr(band, key) < getattr(before, key):
                    raise _table_error(
                        f"a longer injury is worth less: {format_money(getattr(band, key))} "
                        f"after {format_money(getattr(before, key))} in the band before",
                        getattr(band, key),
                        f"bands[{i}].{key}",
                        TABLE_DURATION_ORDER_REFERENCE,
                    )


@exact
def check_tariff_table(table: TariffTable) -> TariffTable:
    """Return ``table`` checked, as the law's table or else as a marked what-if table.

    One of :data:`TARIFF_TABLES`, unchanged, is returned as it is. Any other table
    (built by :func:`what_if_tariff_table`, :func:`uplifted_tariff_table`, or
    ``attrs.evolve`` of a statutory table) is checked cell by cell: every cell present,
    amounts in whole pence and never negative, bands in whole months contiguous from 0
    to 24 (no gap, no overlap), each column not going down as the duration grows, and
    reg 2(1)(b) (with a minor psychological injury) never below reg 2(1)(a) in a band.
    Each refusal is a :class:`~rtaprotocol.errors.RulesError` naming the cell
    (``tariff_table.bands[2].whiplash``) and the rule. The table returned is a what-if
    table: it carries no statutory citation (``source``, ``regulation``), a name that
    is not a statutory table's (``"Table 1"`` becomes ``"Table 1 (what-if)"``) and, in
    ``derived_from``, what it came from.

    >>> import attrs
    >>> evolved = attrs.evolve(TARIFF_TABLES[0], bands=TARIFF_TABLES[1].bands)
    >>> checked = check_tariff_table(evolved)
    >>> checked.name, checked.derived_from, checked.what_if
    ('Table 1 (what-if)', 'Table 1 (accidents 2021-05-31 to 2025-05-30), with changed figures', True)
    >>> bad = attrs.evolve(TARIFF_TABLES[0], bands=TARIFF_TABLES[0].bands[::-1])
    >>> check_tariff_table(bad)
    Traceback (most recent call last):
    ...
    rtaprotocol.errors.RulesError: tariff_table.bands[0].more_than_months: the first band must start at 0 months (more than 0, not more than its end): got 18 [the bands are whole months, contiguous and in order, from more than 0 to not more than 24 months, with no gap and no overlap (Civil Liability Act 2018 s.3; Whiplash Injury Regulations 2021 reg 2)]
    """
    if not isinstance(table, TariffTable):
        raise wrong_type(table, "a TariffTable", field="tariff_table", reference=WHAT_IF_REFERENCE)
    if table.is_statutory:
        return table
    if not isinstance(table.bands, tuple | list):
        raise RulesTypeError(
            f"a table's bands are a tuple of TariffBand, not {type(table.bands).__name__}",
            value=table.bands,
            field="tariff_table.bands",
            reference=TABLE_BANDS_REFERENCE,
        )
    bands = tuple(_read_band(band, i) for i, band in enumerate(table.bands))
    _check_bands(bands)
    derived = table.derived_from
    if derived is None:
        like = next(
            (t for t in TARIFF_TABLES if (t.name, t.reference) == (table.name, table.reference)),
            None,
        )
        derived = (
            f"{like.name} ({like.period}), with changed figures"
            if like is not None
            else "a table built by the caller"
        )
    name = str(table.name)
    if name in _STATUTORY_NAMES:
        name = f"{name} (what-if)"
    return attrs.evolve(
        table,
        name=name,
        regulation="what-if table",
        reference=WHAT_IF_SOURCE,
        bands=bands,
        derived_from=str(derived),
    )


_MAX_TABLE_ROWS: Final = MAX_TARIFF_MONTHS  # at most one band per month


@exact
def what_if_tariff_table(
    rows: Any, *, name: str | None = None, derived_from: str | None = None
) -> TariffTable:
    """Build a what-if tariff table from rows of data, checked (:func:`check_tariff_table`).

    ``rows``: the bands, each a mapping with ``more_than_months``,
    ``not_more_than_months``, ``whiplash`` (reg 2(1)(a)) and ``whiplash_with_psych``
    (reg 2(1)(b)), or those 4 values in that order; or a pandas DataFrame of those
    columns; or the JSON form, a mapping with ``"bands"`` (and optionally ``"name"`` and
    ``"derived_from"``), as :meth:`TariffTable.to_dict` writes it. Amounts are pounds
    (``"240"``, ``Decimal("240.50")``); floats and numpy numbers are read by their
    value and refused if not whole pence. ``name`` defaults to the mapping's name or
    ``"what-if table"``. The table is a what-if, never the law: every award it gives
    says so, and it carries no statutory citation.

    >>> from datetime import date
    >>> from rtaprotocol.tariff import tariff_amount
    >>> flat = what_if_tariff_table(
    ...     [{"more_than_months": 0, "not_more_than_months": 24,
    ...       "whiplash": "1000", "whiplash_with_psych": "1000"}], name="flat £1,000")
    >>> tariff_amount(24, accident_date=date(2024, 3, 1), tariff_table=flat)
    Decimal('1000.00')
    >>> what_if_tariff_table([(0, 24, "1000.005", "1001")], name="fraction")
    Traceback (most recent call last):
    ...
    rtaprotocol.errors.RulesError: tariff_table.bands[0].whiplash: a tariff amount is not a whole number of pence (a fraction of a penny): got '1000.005' [a tariff amount is pounds and whole pence, never negative (Whiplash Injury Regulations 2021 reg 2; guide 4.4)]
    """
    if hasattr(rows, "to_dict") and hasattr(rows, "columns"):  # a pandas DataFrame
        rows = rows.to_dict("records")
    if isinstance(rows, Mapping):
        if "bands" not in rows:
            raise _table_error(
                'a table given as a mapping needs its "bands"',
                None,
                "bands",
                TABLE_CELLS_REFERENCE,
            )
        name = rows.get("name") if name is None else name
        derived_from = rows.get("derived_from") if derived_from is None else derived_from
        rows = rows["bands"]
    if isinstance(rows, str | bytes) or not isinstance(rows, Iterable):
        raise wrong_type(
            rows,
            "the bands as a list of rows",
            field="tariff_table.bands",
            reference=TABLE_BANDS_REFERENCE,
        )
    listed: list[object] = []
    for row in rows:
        if len(listed) >= _MAX_TABLE_ROWS:
            raise _table_error(
                f"more than {_MAX_TABLE_ROWS} bands: at most one a month",
                len(listed) + 1,
                "bands",
                TABLE_BANDS_REFERENCE,
            )
        listed.append(row)
    bands = tuple(_read_band(row, i) for i, row in enumerate(listed))
    for label, text in (("name", name), ("derived_from", derived_from)):
        if text is not None and not isinstance(text, str):
            raise RulesTypeError(
                f"a table's {label} is a string, not {type(text).__name__}",
                value=text,
                field=f"tariff_table.{label}",
                reference=WHAT_IF_REFERENCE,
            )
    table = TariffTable(
        applies_from=TARIFF_START,
        applies_until=None,
        name=(name or "what-if table")[:200],
        regulation="what-if table",
        reference=WHAT_IF_SOURCE,
        bands=bands,
        derived_from=(derived_from or "a table built by the caller")[:500],
    )
    return check_tariff_table(table)


@exact
def uplifted_tariff_table(
    base: TariffTable, percent: Any, *, name: str | None = None
) -> TariffTable:
    """Return a what-if table: every amount of ``base`` changed by ``percent``, to the penny.

    Each amount becomes ``amount * (100 + percent) / 100``, rounded to the penny half-up
    (the protocol's rounding). ``percent`` is -100 to 1000 with at most two decimal
    places (an int, Decimal or numeric string). The table is named
    ``"<base> +<percent>%"`` unless ``name`` is given, and records ``base`` in
    ``derived_from``; it never carries ``base``'s statutory citation.

    >>> plus = uplifted_tariff_table(TARIFF_TABLES[0], "12.5")
    >>> plus.name, plus.bands[0].whiplash, plus.source == TARIFF_TABLES[0].reference
    ('Table 1 +12.5%', Decimal('270.00'), False)
    >>> uplifted_tariff_table(TARIFF_TABLES[0], -101)
    Traceback (most recent call last):
    ...
    rtaprotocol.errors.RulesError: tariff_table.percent: a what-if change must be from -100 to 1000 percent: got -101 [a what-if table's change to every amount, in percent: -100 to 1000, at most two decimal places (rtaprotocol tariff tables)]
    """
    checked = check_tariff_table(base)
    if _is_missing_cell(percent):  # not a band's cell: the percent's own rule
        raise _table_error(
            "a what-if change needs its percent", percent, "percent", TABLE_PERCENT_REFERENCE
        )
    pct = _cell_decimal(percent, "percent", TABLE_PERCENT_REFERENCE)
    if not Decimal(-100) <= pct <= Decimal(1000):
        raise _table_error(
            "a what-if change must be from -100 to 1000 percent",
            percent,
            "percent",
            TABLE_PERCENT_REFERENCE,
        )
    if pct != pct.quantize(Decimal("0.01"), context=thread_context()):
        raise _table_error(
            "a what-if change has more than two decimal places",
            percent,
            "percent",
            TABLE_PERCENT_REFERENCE,
            code=ErrorCode.MONEY_TOO_MANY_PLACES,
        )
    pct = pct.normalize(thread_context()) + 0
    shown = f"{pct:+f}%"
    if checked.what_if:
        origin = f"what-if table {checked.name!r} ({checked.derived_from})"
        base_name = checked.name
    else:
        origin = f"{checked.name} ({checked.period})"
        base_name = checked.name
    bands = tuple(
        TariffBand(
            more_than_months=b.more_than_months,
            not_more_than_months=b.not_more_than_months,
            whiplash=round_penny(b.whiplash * (100 + pct) / 100),
            whiplash_with_psych=round_penny(b.whiplash_with_psych * (100 + pct) / 100),
        )
        for b in checked.bands
    )
    return what_if_tariff_table(
        bands,
        name=name if name is not None else f"{base_name} {shown}",
        derived_from=f"{origin}, every amount {shown}, rounded to the penny half-up",
    )


_ABSOLUTE = ("year", "month", "day", "weekday", "hour", "minute", "second", "microsecond")
