"""The whiplash tariff: two dated tables, the uplift, and how a duration finds its band.

Civil Liability Act 2018 Part 1 (s.3) and the Whiplash Injury Regulations 2021
(SI 2021/642), guide 4.4.1 and its "Tariff" page; the Whiplash Injury (Amendment)
Regulations 2025 (its SI number unconfirmed; see ``rtaprotocol sources``).

- **Which table** is chosen by the accident date (when the cause of action accrued):
  Table 1 (reg 2 as made) for accidents from 31 May 2021 to 30 May 2025, Table 2 (the
  Whiplash Injury (Amendment) Regulations 2025) for accidents on or after 31 May 2025.
  Table 2's figures are **[S]** (secondary sources agree) and its SI number is **[U]**
  (unconfirmed): both stay in the data (:data:`TARIFF_TABLES`), never in the logic.
  An accident before 31 May 2021, or after the library's supported range
  (2100-12-31), raises :class:`~rtaprotocol.errors.OutOfCoverageError`.
- **Which band**: every band edge is "not more than", so exactly 3 months is the first
  band and 3 months and a day the second. Zero, negative or more than 24 months is not a
  tariff injury (CLA 2018 s.3) and raises :class:`~rtaprotocol.errors.RulesError`.
  Where there are several whiplash injuries, pass the longest (guide 4.4.1).
- **Failure to mitigate** (CLA 2018 s.3(1)(b)(ii)): an injury lasting more than two years
  is still a tariff injury when it "would not have exceeded ... two years but for the
  claimant's failure to take reasonable steps to mitigate its effect". That is a finding
  of fact the library cannot make: pass ``failed_to_mitigate=True`` to say so, and the
  injury is valued at the last row, more than 18 and not more than 24 months (the
  longest it would have lasted). Without it, more than 24 months is refused.
- **Which column**: ``psychological=True`` selects whiplash plus minor psychological
  injury, reg 2(1)(b); otherwise whiplash only, reg 2(1)(a).
- **Uplift** (reg 3; CLA 2018 s.5; guide 4.4.1.1): 0 to 20 percent inclusive of the
  tariff amount, rounded to the penny half-up.

A duration is an ``int`` or ``Decimal`` number of months, or a
:class:`dateutil.relativedelta.relativedelta` measured from the accident date:
``accident_date + duration`` is compared with ``accident_date + relativedelta(months=edge)``
for each band edge, so both sides clamp at month ends the same way (31 August plus 3
months is 30 November; an injury to 30 November is exactly 3 months, band 1).

>>> from datetime import date
>>> from dateutil.relativedelta import relativedelta
>>> tariff_amount(3, accident_date=date(2024, 3, 1))
Decimal('240.00')
>>> tariff_amount(relativedelta(months=3, days=1), accident_date=date(2024, 3, 1))
Decimal('495.00')
>>> tariff_amount(3, accident_date=date(2025, 5, 31), psychological=True)
Decimal('300.00')
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, Final, final

import attrs
from attrs import frozen
from dateutil.relativedelta import relativedelta

from rtaprotocol import _data
from rtaprotocol._checks import check_bool, check_date
from rtaprotocol._decimal import exact, exact_unless, thread_context
from rtaprotocol._render import (
    Tabular,
    html_reference,
    html_table,
    html_text,
    html_verdict,
    jsonable,
    months_json,
    percent_json,
    text_table,
)
from rtaprotocol._views import install_views
from rtaprotocol.deadlines import LAST_SUPPORTED_DATE
from rtaprotocol.errors import OutOfCoverageError, RulesError, RulesTypeError
from rtaprotocol.money import ZERO, format_money, round_penny, to_pence, to_percent
from rtaprotocol.sources import Reference

__all__ = [
    "MAX_TARIFF_MONTHS",
    "MAX_UPLIFT_PERCENT",
    "TARIFF_SCENARIOS",
    "TARIFF_START",
    "TARIFF_TABLES",
    "TariffAward",
    "TariffBand",
    "TariffComparison",
    "TariffTable",
    "check_tariff_table",
    "compare_tariff_tables",
    "injury_duration",
    "tariff_amount",
    "tariff_award",
    "tariff_table",
    "uplifted_tariff_table",
    "what_if_tariff_table",
]

#: Accidents on or after this date are under the tariff regime.
TARIFF_START: Final = _data.tariff_tables()[0].applies_from
#: The longest tariff injury, in months (CLA 2018 s.3: "not more than 2 years").
MAX_TARIFF_MONTHS: Final = 24
#: The largest uplift, in percent of the tariff amount (reg 3(3)).
MAX_UPLIFT_PERCENT: Final = Decimal(20)

REGIME_REFERENCE: Final = (
    "Civil Liability Act 2018 Part 1 and the Whiplash Injury Regulations 2021 "
    "(SI 2021/642) apply to accidents on or after 31 May 2021"
)
COVERAGE_REFERENCE: Final = (
    f"the tariff tables are supported up to {LAST_SUPPORTED_DATE} (rtaprotocol tariff tables)"
)
DURATION_REFERENCE: Final = (
    "Civil Liability Act 2018 s.3: a tariff injury lasts not more than 2 years "
    "(more than 0 and not more than 24 months); guide 4.4.1"
)
UPLIFT_REFERENCE: Final = (
    "Whiplash Injury Regulations 2021, reg 3(3): uplift of 0 to 20% of the tariff amount "
    "(CLA 2018 s.5; guide 4.4.1.1)"
)
PSYCH_REFERENCE: Final = "Whiplash Injury Regulations 2021, reg 2(1)(a) or 2(1)(b)"
MITIGATION_REFERENCE: Final = (
    "Civil Liability Act 2018 s.3(1)(b)(ii): longer than two years only because the claimant "
    "failed to take reasonable steps to mitigate: valued at the 18 to 24 month row"
)
ONSET_REFERENCE: Final = "injury duration runs from onset to recovery (guide 4.4.1)"
SCENARIO_REFERENCE: Final = (
    "a what-if scenario, not the law for the accident date: the law chooses the table by "
    "accident date (Whiplash Injury Regulations 2021 reg 2; rtaprotocol tariff tables)"
)
WHAT_IF_SOURCE: Final = "a what-if table, not the law: it has no statutory source"
WHAT_IF_REFERENCE: Final = (
    "a what-if table, not the law for the accident date: the law chooses the table by "
    "accident date (Whiplash Injury Regulations 2021 reg 2; rtaprotocol tariff tables)"
)
TABLE_CELLS_REFERENCE: Final = (
    "a tariff table has both amounts in every band, reg 2(1)(a) whiplash only and "
    "reg 2(1)(b) with minor psychological injury (Whiplash Injury Regulations 2021 reg 2)"
)
TABLE_MONEY_REFERENCE: Final = (
    "a tariff amount is pounds and whole pence, never negative (Whiplash Injury "
    "Regulations 2021 reg 2; guide 4.4)"
)
TABLE_BANDS_REFERENCE: Final = (
    "the bands are whole months, contiguous and in order, from more than 0 to not more "
    "than 24 months, with no gap and no overlap (Civil Liability Act 2018 s.3; Whiplash "
    "Injury Regulations 2021 reg 2)"
)
TABLE_DURATION_ORDER_REFERENCE: Final = (
    "a longer injury is never worth less: each column does not go down from one band to "
    "the next (Whiplash Injury Regulations 2021 reg 2, Table 1 and 2)"
)
TABLE_UPLIFT_ORDER_REFERENCE: Final = (
    "whiplash with a minor psychological injury is never worth less than whiplash only: "
    "in every band reg 2(1)(b) >= reg 2(1)(a) (Whiplash Injury Regulations 2021 reg 2)"
)
TABLE_PERCENT_REFERENCE: Final = (
    "a what-if table's change to every amount, in percent: -100 to 1000, at most two "
    "decimal places (rtaprotocol tariff tables)"
)
#: The what-if choices of ``tariff_table=``: each names the table by the year of its
#: regulations. ``None`` (the default) chooses the table by accident date, as the law does.
TARIFF_SCENARIOS: Final = tuple(t.scenario for t in _data.tariff_tables())


@final
@frozen
class TariffBand:
    """One row of a tariff table: a duration band and its two amounts (reg 2(1)).

    ``more_than_months < duration <= not_more_than_months``; ``whiplash`` is the
    reg 2(1)(a) column, ``whiplash_with_psych`` the reg 2(1)(b) column.

    >>> band = TARIFF_TABLES[0].bands[0]
    >>> band.label, band.amount(psychological=True)
    ('Not more than 3 months', Decimal('260.00'))
    """

    more_than_months: int
    not_more_than_months: int
    whiplash: Decimal
    whiplash_with_psych: Decimal

    @property
    @exact
    def label(self) -> str:
        """The row's wording, exactly as the guide's Tariff page prints it.

        >>> TARIFF_TABLES[0].bands[1].label
        'More than 3 months, but not more than 6 months'
        """
        if self.more_than_months == 0:
            return f"Not more than {self.not_more_than_months} months"
        return (
            f"More than {self.more_than_months} months, "
            f"but not more than {self.not_more_than_months} months"
        )

    @exact
    def amount(self, *, psychological: bool) -> Decimal:
        """Return the reg 2(1)(b) amount when ``psychological``, else the reg 2(1)(a) amount."""
        return self.whiplash_with_psych if psychological else self.whiplash


_TABLE_HEADERS: Final = (
    "duration of injury",
    "reg 2(1)(a): whiplash only",
    "reg 2(1)(b): whiplash + minor psychological injury",
)


@final
@frozen
class TariffTable(Tabular):
    """A tariff table and the accident dates it applies to (reg 2, as made or amended).

    ``applies_from`` is inclusive and ``applies_until`` exclusive (``None``: no end set
    yet). ``regulation`` names the instrument whose reg 2 holds the table, ``reference``
    cites it and says how sure we are of it ([P] primary, [S] secondary, [U] unconfirmed).
    ``str()`` prints the table as the guide's Tariff page does, ``_repr_html_()`` the same
    for notebooks, ``to_dict()`` JSON-ready data.

    >>> print(TARIFF_TABLES[0])
    Table 1: the tariff for accidents 2021-05-31 to 2025-05-30
    duration of injury                               | reg 2(1)(a): whiplash only | reg 2(1)(b): whiplash + minor psychological injury
    -------------------------------------------------+----------------------------+---------------------------------------------------
    Not more than 3 months                           |                    £240.00 |                                            £260.00
    More than 3 months, but not more than 6 months   |                    £495.00 |                                            £520.00
    More than 6 months, but not more than 9 months   |                    £840.00 |                                            £895.00
    More than 9 months, but not more than 12 months  |                  £1,320.00 |                                          £1,390.00
    More than 12 months, but not more than 15 months |                  £2,040.00 |                                          £2,125.00
    More than 15 months, but not more than 18 months |                  £3,005.00 |                                          £3,100.00
    More than 18 months, but not more than 24 months |                  £4,215.00 |                                          £4,345.00
    Source: Whiplash Injury Regulations 2021 (SI 2021/642), reg 2 as made [P]

    >>> t1, t2 = TARIFF_TABLES
    >>> t1.applies_to(date(2025, 5, 30)), t2.applies_to(date(2025, 5, 31))
    (True, True)
    >>> t1.applies_to(date(2025, 5, 31))
    False
    """

    applies_from: date
    applies_until: date | None
    name: str
    regulation: str
    reference: str = attrs.field(converter=Reference)
    bands: tuple[TariffBand, ...]
    #: For a what-if table: what it was derived from, in words (``None`` for the law's).
    derived_from: str | None = None

    @property
    @exact
    def is_statutory(self) -> bool:
        """True when this is one of the law's tables (:data:`TARIFF_TABLES`), unchanged.

        Any other table (built, evolved, read from a file) is a **what-if** table: it is
        valued only when chosen by name, and never carries a statutory citation.

        >>> TARIFF_TABLES[0].is_statutory, attrs.evolve(TARIFF_TABLES[0], name="mine").is_statutory
        (True, False)
        """
        return any(self == table for table in TARIFF_TABLES)

    @property
    @exact
    def what_if(self) -> bool:
        """True for a what-if table: any table that is not one of the law's, unchanged."""
        return not self.is_statutory

    @property
    @exact
    def source(self) -> str:
        """The table's source: its regulation for the law's tables, else no statutory one.

        >>> print(uplifted_tariff_table(TARIFF_TABLES[0], 10).source)
        a what-if table, not the law: it has no statutory source
        """
        return Reference(WHAT_IF_SOURCE) if self.what_if else self.reference

    @property
    @exact
    def what_if_note(self) -> str:
        """The what-if mark: the table's name and what it was derived from ("" for the law's).

        >>> uplifted_tariff_table(TARIFF_TABLES[1], 10).what_if_note
        "what-if table 'Table 2 +10%', derived from Table 2 (accidents on or after 2025-05-31), every amount +10%, rounded to the penny half-up; not the law"
        """
        if not self.what_if:
            return ""
        derived = self.derived_from or "a table built by the caller"
        return f"what-if table {self.name!r}, derived from {derived}; not the law"

    @exact
    def applies_to(self, accident_date: date) -> bool:
        """Return True when an accident on ``accident_date`` is valued by this table.

        A ``datetime`` counts as its date; anything else raises ``RulesTypeError``.
        """
        accident_date = check_date(accident_date, field="accident_date", reference=REGIME_REFERENCE)
        if accident_date < self.applies_from:
            return False
        return self.applies_until is None or accident_date < self.applies_until

    @property
    @exact
    def period(self) -> str:
        """The accident dates this table covers, in words.

        >>> TARIFF_TABLES[1].period
        'accidents on or after 2025-05-31'
        """
        if self.what_if:  # valued whatever the accident date, within the tariff regime
            return f"any accident on or after {TARIFF_START}, as a what-if"
        if self.applies_until is None:
            return f"accidents on or after {self.applies_from}"
        last = date.fromordinal(self.applies_until.toordinal() - 1)
        return f"accidents {self.applies_from} to {last}"

    @exact
    def column_reference(self, *, psychological: bool) -> str:
        """Return the regulation behind one column of this table.

        >>> TARIFF_TABLES[0].column_reference(psychological=True)
        'Whiplash Injury Regulations 2021, reg 2(1)(b), Table 1'
        """
        if self.what_if:
            column = "(b), whiplash + minor psychological" if psychological else "(a), whiplash"
            return f"what-if table {self.name!r}, column {column} (no statutory source)"
        column = "2(1)(b)" if psychological else "2(1)(a)"
        return f"{self.regulation}, reg {column}, {self.name}"

    @exact
    def band_for_months(self, months: int | Decimal) -> TariffBand:
        """Return the band holding ``months`` (edges "not more than"); raise outside (0, 24].

        ``months`` is checked as :func:`tariff_award` checks it (``float`` and ``bool``
        are refused).

        >>> TARIFF_TABLES[0].band_for_months(Decimal("3.5")).label
        'More than 3 months, but not more than 6 months'
        """
        value = _months(months)
        if value <= 0 or value > MAX_TARIFF_MONTHS:
            raise _not_tariff(months)
        return next(b for b in self.bands if value <= b.not_more_than_months)

    _headers = _TABLE_HEADERS

    def _title(self) -> str:
        if self.what_if:
            return f"What-if tariff table {self.name!r} (not the law): {self.what_if_note}"
        return f"{self.name}: the tariff for {self.period}"

    def _rows(self) -> list[list[Any]]:
        return [[b.label, b.whiplash, b.whiplash_with_psych] for b in self.bands]

    def _table_headers(self) -> tuple[str, ...]:
        if self.what_if:  # a what-if table's columns cite no regulation
            return (
                "duration of injury",
                "(a) whiplash only",
                "(b) whiplash + minor psychological injury",
            )
        return self._headers

    @exact
    def __str__(self) -> str:
        table = text_table(self._table_headers(), self._rows(), title=self._title())
        return f"{table}\nSource: {self.source}"

    @exact
    def _repr_html_(self) -> str:
        """Render the table as the guide's Tariff page does, with its source linked."""
        source = html_text(self.source) if self.what_if else html_reference(self.source)
        return (
            html_verdict(self._title(), "info")
            + html_table(self._table_headers(), self._rows())
            + f"<p>Source: {source}</p>"
        )

    @exact
    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data: the dates it applies to, its source and every band.

        >>> TARIFF_TABLES[1].to_dict()["bands"][0]
        {'more_than_months': 0, 'not_more_than_months': 3, 'label': 'Not more than 3 months', 'whiplash': '275.00', 'whiplash_with_psych': '300.00'}
        """
        what_if = self.what_if
        return {
            "name": self.name,
            "applies_from": jsonable(self.applies_from),
            "applies_until": jsonable(self.applies_until),
            "period": self.period,
            "regulation": "what-if table (no regulation)" if what_if else self.regulation,
            "reference": str(self.source),
            "what_if": what_if,
            "derived_from": self.derived_from if what_if else None,
            "what_if_note": self.what_if_note or None,
            "bands": [
                {
                    "more_than_months": b.more_than_months,
                    "not_more_than_months": b.not_more_than_months,
                    "label": b.label,
                    "whiplash": jsonable(b.whiplash),
                    "whiplash_with_psych": jsonable(b.whiplash_with_psych),
                }
                for b in self.bands
            ],
        }


#: The tariff tables in date order, built from the data files
#: ``rtaprotocol/data/rules/tariff/*.json`` (one file a table; see docs/maintaining.md);
#: for every accident date from :data:`TARIFF_START` to the supported end exactly one
#: applies (tested day by day).
TARIFF_TABLES: Final[tuple[TariffTable, ...]] = tuple(
    TariffTable(
        applies_from=t.applies_from,
        applies_until=t.applies_until,
        name=t.name,
        regulation=t.regulation,
        reference=t.citation,
        bands=tuple(
            TariffBand(
                more_than_months=b.more_than_months,
                not_more_than_months=b.not_more_than_months,
                whiplash=b.whiplash,
                whiplash_with_psych=b.whiplash_with_psych,
            )
            for b in t.bands
        ),
    )
    for t in _data.tariff_tables()
)


def _not_tariff(value: object, field: str = "duration") -> RulesError:
    return RulesError(
        "not a tariff injury: the duration must be more than 0 and not more than 24 months",
        value=value,
        field=field,
        reference=DURATION_REFERENCE,
    )


@exact
def tariff_table(accident_date: date) -> TariffTable:
    """Return the tariff table for an accident on ``accident_date`` (reg 2).

    >>> tariff_table(date(2025, 5, 30)).name, tariff_table(date(2025, 5, 31)).name
    ('Table 1', 'Table 2')
    >>> tariff_table(date(2021, 5, 30))
    Traceback (most recent call last):
    ...
    rtaprotocol.errors.OutOfCoverageError: accident_date: accident is before the whiplash tariff regime began on 2021-05-31: got datetime.date(2021, 5, 30) [Civil Liability Act 2018 Part 1 and the Whiplash Injury Regulations 2021 (SI 2021/642) apply to accidents on or after 31 May 2021]
    """
    when = check_date(accident_date, field="accident_date", reference=REGIME_REFERENCE)
    if when < TARIFF_START:
        raise OutOfCoverageError(
            f"accident is before the whiplash tariff regime began on {TARIFF_START}",
            value=accident_date,
            field="accident_date",
            reference=REGIME_REFERENCE,
        )
    if when > LAST_SUPPORTED_DATE:
        raise OutOfCoverageError(
            "accident is after the last date rtaprotocol's tariff tables cover",
            value=accident_date,
            field="accident_date",
            reference=COVERAGE_REFERENCE,
        )
    return next(t for t in TARIFF_TABLES if t.applies_to(when))


@exact
def _scenario_table(scenario: str | None, accident_date: date) -> TariffTable:
    """Return the table a what-if ``scenario`` values an accident by (``None``: by date).

    A scenario of :data:`TARIFF_SCENARIOS` (the year of a table's regulations: ``"2021"``
    is Table 1, the Whiplash Injury Regulations 2021 as made) is that table, whatever the
    accident date; ``None`` is :func:`tariff_table`, the law. A scenario is a what-if for pricing and comparison,
    never the law for that date. The accident date is still checked: before 31 May 2021
    there is no tariff to apply, in any scenario.

    >>> _scenario_table("2025", date(2024, 3, 1)).name, _scenario_table(None, date(2024, 3, 1)).name
    ('Table 2', 'Table 1')
    >>> _scenario_table("2023", date(2024, 3, 1))
    Traceback (most recent call last):
    ...
    rtaprotocol.errors.RulesError: tariff_table: unknown tariff table scenario; the choices are '2021', '2025', a TariffTable or None (by accident date, the default): got '2023' [a what-if scenario, not the law for the accident date: the law chooses the table by accident date (Whiplash Injury Regulations 2021 reg 2; rtaprotocol tariff tables)]
    """
    _check_scenario(scenario)
    by_date = tariff_table(accident_date)
    if scenario is None:
        return by_date
    return TARIFF_TABLES[TARIFF_SCENARIOS.index(scenario)]


@exact
def _check_scenario(scenario: object) -> str | None:
    """Return ``scenario`` if it is one of :data:`TARIFF_SCENARIOS` or ``None``; else raise.

    >>> _check_scenario(2021)
    Traceback (most recent call last):
    ...
    rtaprotocol.errors.RulesTypeError: tariff_table: expected '2021', '2025', a TariffTable or None (a string, as the table's year), not int: got 2021 [a what-if scenario, not the law for the accident date: the law chooses the table by accident date (Whiplash Injury Regulations 2021 reg 2; rtaprotocol tariff tables)]
    """
    if scenario is None:
        return None
    choices = ", ".join(map(repr, TARIFF_SCENARIOS))
    if not isinstance(scenario, str):
        raise RulesTypeError(
            f"expected {choices}, a TariffTable or None (a string, as the table's year), not "
            f"{type(scenario).__name__}",
            value=scenario,
            field="tariff_table",
            reference=SCENARIO_REFERENCE,
        )
    if scenario not in TARIFF_SCENARIOS:
        raise RulesError(
            f"unknown tariff table scenario; the choices are {choices}, a TariffTable or None "
            "(by accident date, the default)",
            value=scenario,
            field="tariff_table",
            reference=SCENARIO_REFERENCE,
        )
    return scenario


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


def _table_error(message: str, value: object, field: str, reference: str) -> RulesError:
    return RulesError(message, value=value, field=f"tariff_table.{field}", reference=reference)


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
            )
        return Decimal(text)
    if isinstance(value, float):
        if value in (float("inf"), float("-inf")):
            raise _table_error("a table cell must be finite", value, field, reference)
        return Decimal(float.__repr__(value))
    if isinstance(value, Decimal) and not value.is_finite():
        raise _table_error("a table cell must be finite", value, field, reference)
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
        raise RulesTypeError(
            f"expected a TariffTable, not {type(table).__name__}",
            value=table,
            field="tariff_table",
            reference=WHAT_IF_REFERENCE,
        )
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
        raise RulesTypeError(
            f"expected the bands as a list of rows, not {type(rows).__name__}",
            value=rows,
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
_SUB_DAY = ("hours", "minutes", "seconds", "microseconds")


def _check_relativedelta(rd: relativedelta) -> None:
    """Refuse the relativedelta forms whose length from an accident date is ambiguous."""
    absolute = [name for name in _ABSOLUTE if getattr(rd, name) is not None]
    if absolute or rd.leapdays:
        raise RulesError(
            "a duration must be relative years, months and days only (absolute fields such "
            f"as {', '.join(absolute) or 'leapdays'} make its length ambiguous)",
            value=rd,
            field="duration",
            reference=DURATION_REFERENCE,
        )
    if any(getattr(rd, name) for name in _SUB_DAY) or rd.days != int(rd.days):
        raise RulesError(
            "a duration must be whole days: hours, minutes and seconds are not measured",
            value=rd,
            field="duration",
            reference=DURATION_REFERENCE,
        )


def _band_for_relativedelta(
    table: TariffTable, rd: relativedelta, accident: date, *, mitigated: bool = False
) -> tuple[TariffBand, date]:
    _check_relativedelta(rd)
    try:
        end = accident + rd
    except (ValueError, OverflowError):
        raise _not_tariff(rd) from None
    if end <= accident:
        raise _not_tariff(rd)
    for band in table.bands:
        if end <= accident + relativedelta(months=band.not_more_than_months):
            return band, end
    if mitigated:  # CLA 2018 s.3(1)(b)(ii): valued as if it had ended within two years
        return table.bands[-1], end
    raise _not_tariff(rd)


def _months(duration: Any) -> Decimal:
    if isinstance(duration, bool | float):
        raise RulesTypeError(
            f"a duration must be an int or Decimal number of months or a relativedelta, not "
            f"{type(duration).__name__} (use Decimal for fractions of a month, so a band edge "
            "is never missed by float rounding)",
            value=duration,
            field="duration",
            reference=DURATION_REFERENCE,
        )
    if isinstance(duration, int):
        return Decimal(duration)
    if isinstance(duration, Decimal):
        if not duration.is_finite():
            raise _not_tariff(duration)
        return duration
    raise RulesTypeError(
        "a duration must be an int or Decimal number of months or a relativedelta, not "
        f"{type(duration).__name__}",
        value=duration,
        field="duration",
        reference=DURATION_REFERENCE,
    )


def _describe(duration: Decimal | relativedelta) -> str:
    if isinstance(duration, Decimal):
        return f"{duration} months"
    parts = [(duration.years, "year"), (duration.months, "month"), (duration.days, "day")]
    text = ", ".join(f"{n} {unit}{'' if abs(n) == 1 else 's'}" for n, unit in parts if n)
    return text or "0 days"


@final
@frozen
class TariffAward(Tabular):
    """A tariff award with how it was reached: table, band, column, uplift (reg 2, 3).

    ``duration`` is the duration received (whole or fractional months as a ``Decimal``,
    or a ``relativedelta``); ``duration_end`` is the date a ``relativedelta`` reaches
    from the accident date (``None`` for months). ``amount`` is ``base_amount`` plus
    ``uplift_amount``.

    >>> award = tariff_award(7, accident_date=date(2024, 3, 1), uplift_percent=10)
    >>> print(award)
    Tariff award: £924.00
    item          | value                                          | reference
    --------------+------------------------------------------------+------------------------------------------------------------------
    accident date | 2024-03-01                                     | selects the table
    table         | Table 1 (accidents 2021-05-31 to 2025-05-30)   | Whiplash Injury Regulations 2021 (SI 2021/642), reg 2 as made [P]
    duration      | 7 months                                       | CLA 2018 s.3; guide 4.4.1
    band          | More than 6 months, but not more than 9 months | edges are 'not more than' (guide, Tariff)
    tariff amount | £840.00                                        | Whiplash Injury Regulations 2021, reg 2(1)(a), Table 1
    uplift        | 10%                                            | WIR 2021 reg 3(3); guide 4.4.1.1
    uplift amount | £84.00                                         | rounded to the penny, half-up
    amount        | £924.00                                        |
    """

    _headers = ("item", "value", "reference")

    accident_date: date
    duration: Decimal | relativedelta
    duration_end: date | None
    table: TariffTable
    band: TariffBand
    psychological: bool
    regulation: str
    base_amount: Decimal
    uplift_percent: Decimal
    uplift_amount: Decimal
    amount: Decimal
    failed_to_mitigate: bool = False
    #: True when the duration was over 24 months and valued at the last row (s.3(1)(b)(ii)).
    mitigation_applied: bool = False
    #: The what-if ``tariff_table=`` that chose the table (one of
    #: :data:`TARIFF_SCENARIOS`), or ``None`` when the accident date chose it, as the law does.
    scenario: str | None = None

    @property
    @exact
    def table_by_scenario(self) -> bool:
        """True when a what-if chose the table (a scenario or a what-if table), not the law."""
        return self.scenario is not None or self.what_if

    @property
    @exact
    def what_if(self) -> bool:
        """True when a what-if table (not one of the law's) valued the injury."""
        return self.table.what_if

    @property
    @exact
    def column(self) -> str:
        """The column used, in words."""
        if self.what_if:
            if self.psychological:
                return "whiplash with minor psychological injury (what-if table column (b))"
            return "whiplash only (what-if table column (a))"
        if self.psychological:
            return "whiplash with minor psychological injury (reg 2(1)(b))"
        return "whiplash only (reg 2(1)(a))"

    def _rows(self) -> list[list[Any]]:
        duration = _describe(self.duration)
        if self.duration_end is not None:
            duration += f" from the accident, to {self.duration_end.isoformat()}"
        band_note = "edges are 'not more than' (guide, Tariff)"
        if self.mitigation_applied:
            band_note = "CLA 2018 s.3(1)(b)(ii): over 2 years only for failure to mitigate"
        chooser = "selects the table"
        table = f"{self.table.name} ({self.table.period})"
        if self.scenario is not None:
            chooser = "does not select the table: a what-if scenario does"
            table = f"{self.table.name}, what-if scenario tariff_table={self.scenario!r}"
        elif self.what_if:
            chooser = "does not select the table: a what-if table does"
            table = self.table.what_if_note
        return [
            ["accident date", self.accident_date.isoformat(), chooser],
            ["table", table, self.table.source],
            ["duration", duration, "CLA 2018 s.3; guide 4.4.1"],
            ["band", self.band.label, band_note],
            ["tariff amount", format_money(self.base_amount), self.regulation],
            ["uplift", f"{self.uplift_percent}%", "WIR 2021 reg 3(3); guide 4.4.1.1"],
            ["uplift amount", format_money(self.uplift_amount), "rounded to the penny, half-up"],
            ["amount", format_money(self.amount), ""],
        ]

    def _title(self) -> str:
        if self.what_if:
            return f"Tariff award: {format_money(self.amount)} ({self.table.what_if_note})"
        if self.scenario is not None:
            return (
                f"Tariff award: {format_money(self.amount)} (what-if scenario "
                f"tariff_table={self.scenario!r}, not the law for this accident date)"
            )
        return f"Tariff award: {format_money(self.amount)}"

    @exact
    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data (amounts as exact strings).

        >>> tariff_award(3, accident_date=date(2024, 3, 1)).to_dict()["amount"]
        '240.00'
        """
        if isinstance(self.duration, Decimal):
            duration: Any = {"months": months_json(self.duration)}
        else:
            rd = self.duration
            duration = {"years": rd.years, "months": rd.months, "days": int(rd.days)}
        return {
            "accident_date": jsonable(self.accident_date),
            "duration": duration,
            "duration_text": _describe(
                Decimal(months_json(self.duration))
                if isinstance(self.duration, Decimal)
                else self.duration
            ),
            "duration_end": jsonable(self.duration_end),
            "table": self.table.name,
            "table_reference": self.table.source,
            "applies_from": jsonable(self.table.applies_from),
            "applies_until": jsonable(self.table.applies_until),
            "band": self.band.label,
            "band_more_than_months": self.band.more_than_months,
            "band_not_more_than_months": self.band.not_more_than_months,
            "psychological": self.psychological,
            "column": self.column,
            "regulation": self.regulation,
            "base_amount": jsonable(self.base_amount),
            "uplift_percent": percent_json(self.uplift_percent),
            "uplift_reference": UPLIFT_REFERENCE,
            "uplift_amount": jsonable(self.uplift_amount),
            "amount": jsonable(self.amount),
            "duration_reference": DURATION_REFERENCE,
            "failed_to_mitigate": self.failed_to_mitigate,
            "mitigation_applied": self.mitigation_applied,
            "mitigation_reference": MITIGATION_REFERENCE,
            "table_by_scenario": self.table_by_scenario,
            "scenario": self.scenario,
            "scenario_reference": SCENARIO_REFERENCE if self.scenario is not None else None,
            "what_if": self.what_if,
            "what_if_note": self.table.what_if_note or None,
            "table_derived_from": self.table.derived_from if self.what_if else None,
            "what_if_reference": WHAT_IF_REFERENCE if self.what_if else None,
        }


@exact
def tariff_award(
    duration: Any,
    *,
    accident_date: date,
    psychological: bool = False,
    uplift_percent: Any = 0,
    failed_to_mitigate: bool = False,
    tariff_table: str | TariffTable | None = None,
) -> TariffAward:
    """Value a whiplash injury by the tariff and explain it (CLA 2018 s.3; reg 2, 3).

    ``duration``: months (``int`` or ``Decimal``; ``float`` and ``bool`` are refused)
    or a ``relativedelta`` measured from ``accident_date``. ``uplift_percent``: 0 to 20.
    ``failed_to_mitigate``: the injury lasts more than two years only because the
    claimant failed to take reasonable steps to mitigate (CLA 2018 s.3(1)(b)(ii)); it is
    then valued at the 18 to 24 month row.

    ``tariff_table``: ``None`` (the default) chooses the table by accident date, as the
    law does (reg 2). A scenario of :data:`TARIFF_SCENARIOS` (a table's year, ``"2021"``
    for Table 1) is a **what-if scenario** that values the injury by that table whatever
    the accident date, for pricing and comparison:
    it is never the law for that date, and the award says so (``scenario``,
    ``table_by_scenario``, its text and ``to_dict()``). A :class:`TariffTable` is also
    accepted: one of :data:`TARIFF_TABLES` is the same choice as its year's string; any
    other (:func:`what_if_tariff_table`, :func:`uplifted_tariff_table`, ``attrs.evolve``)
    is checked by :func:`check_tariff_table` and is a **what-if table**: the award's
    ``what_if`` is true, its text, HTML and ``to_dict()`` name the table and what it was
    derived from, and no statutory citation is given for its figures. The accident date
    is still checked (before 31 May 2021 there is no tariff, what-if or not).

    >>> plus = tariff_award(3, accident_date=date(2024, 3, 1),
    ...                     tariff_table=uplifted_tariff_table(TARIFF_TABLES[0], 10))
    >>> plus.amount, plus.what_if, plus.to_dict()["table_reference"][:20]
    (Decimal('264.00'), True, 'a what-if table, not')

    >>> tariff_award(30, accident_date=date(2024, 3, 1), failed_to_mitigate=True).amount
    Decimal('4215.00')
    >>> what_if = tariff_award(3, accident_date=date(2024, 3, 1), tariff_table="2025")
    >>> what_if.amount, what_if.table.name, what_if.table_by_scenario
    (Decimal('275.00'), 'Table 2', True)

    >>> award = tariff_award(Decimal("12"), accident_date=date(2025, 6, 1),
    ...                      psychological=True, uplift_percent="12.5")
    >>> award.band.label, award.base_amount, award.uplift_amount, award.amount
    ('More than 9 months, but not more than 12 months', Decimal('1595.00'), Decimal('199.38'), Decimal('1794.38'))
    >>> tariff_award(25, accident_date=date(2024, 3, 1))
    Traceback (most recent call last):
    ...
    rtaprotocol.errors.RulesError: duration: not a tariff injury: the duration must be more than 0 and not more than 24 months: got 25 [Civil Liability Act 2018 s.3: a tariff injury lasts not more than 2 years (more than 0 and not more than 24 months); guide 4.4.1]
    """
    scenario, what_if = _choose_table(tariff_table)
    table = _scenario_table(scenario, accident_date)
    if what_if is not None:
        table = what_if
    accident = check_date(accident_date, field="accident_date", reference=REGIME_REFERENCE)
    psych = check_bool(psychological, field="psychological", reference=PSYCH_REFERENCE)
    mitigated = check_bool(
        failed_to_mitigate, field="failed_to_mitigate", reference=MITIGATION_REFERENCE
    )
    pct = to_percent(
        uplift_percent, field="uplift_percent", high=MAX_UPLIFT_PERCENT, reference=UPLIFT_REFERENCE
    )
    end: date | None = None
    kept: Decimal | relativedelta
    over = False
    if isinstance(duration, relativedelta):
        band, end = _band_for_relativedelta(table, duration, accident, mitigated=mitigated)
        over = end > accident + relativedelta(months=MAX_TARIFF_MONTHS)
        # A copy: relativedelta is mutable, and the award must not change with the caller's.
        kept = relativedelta(years=duration.years, months=duration.months, days=int(duration.days))
    else:
        months = _months(duration)
        if months.adjusted() >= 6:  # a million months is no injury's duration, mitigated or not
            raise _not_tariff(duration)
        kept = months + 0  # + 0 writes Decimal("1E+1") as 10
        over = kept > MAX_TARIFF_MONTHS
        band = table.bands[-1] if mitigated and over else table.band_for_months(duration)
    base = band.amount(psychological=psych)
    amount = round_penny(base * (100 + pct) / 100)
    return TariffAward(
        accident_date=accident,
        duration=kept,
        duration_end=end,
        table=table,
        band=band,
        psychological=psych,
        regulation=table.column_reference(psychological=psych),
        base_amount=base,
        uplift_percent=pct,
        uplift_amount=amount - base + ZERO,
        amount=amount,
        failed_to_mitigate=mitigated,
        mitigation_applied=mitigated and over,
        scenario=scenario,
    )


def _tariff_amount_fast(
    duration: Any,
    *,
    accident_date: date,
    psychological: bool = False,
    uplift_percent: Any = 0,
    failed_to_mitigate: bool = False,
    tariff_table: str | TariffTable | None = None,
) -> Decimal | None:
    """:func:`tariff_amount` for plain inputs, reading no decimal context; else None.

    Whole months in the tariff's range, a plain date the tables cover, plain bools, no
    what-if table, and an uplift that is a plain int or a plain finite Decimal of at most
    two places from 0 to 20: the same figure as :func:`tariff_award`'s, computed with the
    thread's own library context (:func:`~rtaprotocol._decimal.thread_context`) and
    without building the award. Anything else: None, and the general path decides.
    """
    if not (
        duration.__class__ is int
        and 0 < duration <= MAX_TARIFF_MONTHS
        and accident_date.__class__ is date
        and psychological.__class__ is bool
        and failed_to_mitigate.__class__ is bool
        and tariff_table is None
    ):
        return None
    if uplift_percent.__class__ is int:
        if not 0 <= uplift_percent <= MAX_UPLIFT_PERCENT:
            return None
        basis_points = uplift_percent * 100
    elif (
        uplift_percent.__class__ is Decimal
        and uplift_percent.is_finite()  # finite first: comparing a NaN reads the context
        and 0 <= uplift_percent <= MAX_UPLIFT_PERCENT
    ):
        scaled = uplift_percent.scaleb(2, thread_context())  # exact: at most 5 digits
        basis_points = int(scaled)
        if basis_points != scaled:  # more than two places: the general path refuses it
            return None
    else:
        return None
    for start, until, by_month, pence_by_month in _BANDS_BY_MONTH:
        if start <= accident_date < until:
            if not basis_points:
                return by_month[duration][psychological]
            # Whole pence times (10,000 + basis points), over 10,000, half-up: exactly
            # round_penny(base * (100 + uplift) / 100), in integers.
            raised = pence_by_month[duration][psychological] * (10_000 + basis_points)
            return Decimal((raised + 5_000) // 10_000).scaleb(-2, thread_context())
    return None


@exact_unless(_tariff_amount_fast)
def tariff_amount(
    duration: Any,
    *,
    accident_date: date,
    psychological: bool = False,
    uplift_percent: Any = 0,
    failed_to_mitigate: bool = False,
    tariff_table: str | TariffTable | None = None,
) -> Decimal:
    """Return the tariff amount in pounds: :func:`tariff_award`'s ``amount`` (reg 2, 3).

    ``tariff_table=`` one of :data:`TARIFF_SCENARIOS` is a what-if scenario (see
    :func:`tariff_award`), never the law for the accident date; ``None``, the default, is
    the law. A
    :class:`TariffTable` is accepted too: a statutory one as its year, any other as a
    checked what-if table (:func:`check_tariff_table`).

    >>> tariff_amount(3, accident_date=date(2025, 6, 1), tariff_table=TARIFF_TABLES[0])
    Decimal('240.00')

    The edge case: exactly 24 months is the last band; a day more is refused.

    >>> tariff_amount(3, accident_date=date(2025, 6, 1), tariff_table="2021")  # what-if
    Decimal('240.00')

    >>> tariff_amount(relativedelta(years=2), accident_date=date(2024, 3, 1), uplift_percent=20)
    Decimal('5058.00')
    >>> tariff_amount(relativedelta(years=2, days=1), accident_date=date(2024, 3, 1))
    Traceback (most recent call last):
    ...
    rtaprotocol.errors.RulesError: duration: not a tariff injury: the duration must be more than 0 and not more than 24 months: got relativedelta(years=+2, days=+1) [Civil Liability Act 2018 s.3: a tariff injury lasts not more than 2 years (more than 0 and not more than 24 months); guide 4.4.1]
    """
    return tariff_award(
        duration,
        accident_date=accident_date,
        psychological=psychological,
        uplift_percent=uplift_percent,
        failed_to_mitigate=failed_to_mitigate,
        tariff_table=tariff_table,
    ).amount


def _by_month(table: TariffTable) -> tuple[tuple[Decimal, Decimal], ...]:
    """Index ``months`` (1 to 24) to the band's (reg 2(1)(a), reg 2(1)(b)) amounts."""
    rows = [(ZERO, ZERO)]  # 0 months is never a tariff injury: never read
    for months in range(1, MAX_TARIFF_MONTHS + 1):
        band = next(b for b in table.bands if months <= b.not_more_than_months)
        rows.append((band.whiplash, band.whiplash_with_psych))
    return tuple(rows)


#: Per table: the accident dates it applies to (``until`` exclusive, ``None`` open, both
#: within the supported range) and its amounts by whole month, in pounds and in whole
#: pence, for the fast path.
_BANDS_BY_MONTH: Final = tuple(
    (
        t.applies_from,
        t.applies_until or date.fromordinal(LAST_SUPPORTED_DATE.toordinal() + 1),
        rows,
        tuple((to_pence(a), to_pence(b)) for a, b in rows),
    )
    for t in TARIFF_TABLES
    for rows in (_by_month(t),)  # built once per table, read in pounds and in pence
)


@exact
def injury_duration(onset: date, recovery: date) -> relativedelta:
    """Return the injury's duration from onset to recovery as a ``relativedelta`` (guide 4.4.1).

    Pass the result to :func:`tariff_amount`, which measures it from the accident date;
    where the onset *is* the accident date, ``onset + injury_duration(onset, recovery)``
    is always ``recovery`` (month-end clamping included). A same-day recovery gives a
    zero duration, which the tariff then refuses.

    >>> injury_duration(date(2024, 8, 31), date(2024, 11, 30))
    relativedelta(months=+3)
    >>> injury_duration(date(2024, 8, 31), date(2024, 8, 30))
    Traceback (most recent call last):
    ...
    rtaprotocol.errors.RulesError: recovery: recovery is before onset: got datetime.date(2024, 8, 30) [injury duration runs from onset to recovery (guide 4.4.1)]
    """
    start = check_date(onset, field="onset", reference=ONSET_REFERENCE)
    end = check_date(recovery, field="recovery", reference=ONSET_REFERENCE)
    if end < start:
        raise RulesError(
            "recovery is before onset", value=recovery, field="recovery", reference=ONSET_REFERENCE
        )
    return relativedelta(end, start)


@final
@frozen
class TariffComparison:
    """Two tariff tables side by side, band by band, with the difference (second - first).

    Column (a) is reg 2(1)(a), whiplash only; column (b) reg 2(1)(b), whiplash with a
    minor psychological injury. Built by :func:`compare_tariff_tables`.
    """

    first: TariffTable
    second: TariffTable

    def _headers(self) -> tuple[str, ...]:
        a, b = self.first.name, self.second.name
        return (
            "duration of injury",
            f"{a} (a)",
            f"{b} (a)",
            "difference (a)",
            f"{a} (b)",
            f"{b} (b)",
            "difference (b)",
        )

    def _title(self) -> str:
        return (
            f"{self.first.name} ({self.first.period}) against {self.second.name} "
            f"({self.second.period}); (a) whiplash only, reg 2(1)(a); (b) whiplash + minor "
            "psychological injury, reg 2(1)(b)"
        )

    def _rows(self) -> list[list[Any]]:
        return [
            [
                one.label,
                one.whiplash,
                two.whiplash,
                two.whiplash - one.whiplash,
                one.whiplash_with_psych,
                two.whiplash_with_psych,
                two.whiplash_with_psych - one.whiplash_with_psych,
            ]
            for one, two in zip(self.first.bands, self.second.bands, strict=True)
        ]

    def _sources(self) -> list[tuple[str, str]]:
        return [
            (t.name, f"{t.what_if_note}; {t.source}" if t.what_if else str(t.source))
            for t in (self.first, self.second)
        ]

    @exact
    def __str__(self) -> str:
        sources = "\n".join(f"{name}: {ref}" for name, ref in self._sources())
        return f"{text_table(self._headers(), self._rows(), title=self._title())}\n{sources}"

    @exact
    def _repr_html_(self) -> str:
        """Render both tables side by side with the difference, and both sources linked."""
        sources = "".join(
            f"<li>{html.escape(name)}: {html_reference(ref)}</li>"
            if t.is_statutory
            else f"<li>{html.escape(name)}: {html_text(ref)}</li>"
            for t, (name, ref) in zip((self.first, self.second), self._sources(), strict=True)
        )
        return (
            html_verdict(self._title(), "info")
            + html_table(self._headers(), self._rows())
            + f"<ul>{sources}</ul>"
        )

    @exact
    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data: both tables and each band's differences."""
        return {
            "first": self.first.to_dict(),
            "second": self.second.to_dict(),
            "differences": [
                {
                    "label": row[0],
                    "whiplash": jsonable(row[3]),
                    "whiplash_with_psych": jsonable(row[6]),
                }
                for row in self._rows()
            ],
        }


@exact
def compare_tariff_tables(
    first: TariffTable | None = None, second: TariffTable | None = None
) -> TariffComparison:
    """Set two tariff tables side by side with the difference (reg 2, as made and amended).

    By default Table 1 (Whiplash Injury Regulations 2021, reg 2 as made) against Table 2
    (as amended in 2025). Both must have the same bands (every table in
    :data:`TARIFF_TABLES` does); the difference is the second's amount less the first's.

    >>> comparison = compare_tariff_tables()
    >>> print(comparison)  # doctest: +ELLIPSIS
    Table 1 (accidents 2021-05-31 to 2025-05-30) against Table 2 (accidents on or after 2025-05-31); ...
    duration of injury                               | Table 1 (a) | Table 2 (a) | difference (a) | Table 1 (b) | Table 2 (b) | difference (b)
    -------------------------------------------------+-------------+-------------+----------------+-------------+-------------+---------------
    Not more than 3 months                           |     £240.00 |     £275.00 |         £35.00 |     £260.00 |     £300.00 |         £40.00
    ...
    More than 18 months, but not more than 24 months |   £4,215.00 |   £4,830.00 |        £615.00 |   £4,345.00 |   £4,975.00 |        £630.00
    Table 1: Whiplash Injury Regulations 2021 (SI 2021/642), reg 2 as made [P]
    Table 2: Whiplash Injury (Amendment) Regulations 2025 [S; SI number unconfirmed [U]]
    >>> compare_tariff_tables(TARIFF_TABLES[1], TARIFF_TABLES[1]).to_dict()["differences"][0]
    {'label': 'Not more than 3 months', 'whiplash': '0.00', 'whiplash_with_psych': '0.00'}
    """
    one = TARIFF_TABLES[0] if first is None else first
    two = TARIFF_TABLES[-1] if second is None else second
    for name, table in (("first", one), ("second", two)):
        if not isinstance(table, TariffTable):
            raise RulesTypeError(
                f"expected a TariffTable, not {type(table).__name__}",
                value=table,
                field=name,
                reference=REGIME_REFERENCE,
            )
    if [(b.more_than_months, b.not_more_than_months) for b in one.bands] != [
        (b.more_than_months, b.not_more_than_months) for b in two.bands
    ]:
        raise RulesError(
            "the two tables have different bands and cannot be set side by side",
            value=(one.name, two.name),
            field="second",
            reference=REGIME_REFERENCE,
        )
    return TariffComparison(first=one, second=two)


install_views(globals())  # notebook views of every public class (rtaprotocol._views)
