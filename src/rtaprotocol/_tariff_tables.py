"""The tariff tables: their bands, the statutory tables and the table an accident date takes.

Whiplash Injury Regulations 2021, reg 2 (as made and as amended). A private part of
:mod:`rtaprotocol.tariff` (the tables themselves, built from the data files, and the
look-up by date or scenario), which re-exports every name: import them from there.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Final, final

import attrs
from attrs import frozen

from rtaprotocol import _data
from rtaprotocol._checks import check_date
from rtaprotocol._decimal import exact
from rtaprotocol._render import (
    Tabular,
    html_source,
    html_titled_table,
    jsonable,
    text_table,
)
from rtaprotocol.deadlines import LAST_SUPPORTED_DATE
from rtaprotocol.errors import ErrorCode, OutOfCoverageError, RulesError, RulesTypeError
from rtaprotocol.sources import Reference

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

        >>> from rtaprotocol.tariff import uplifted_tariff_table
        >>> print(uplifted_tariff_table(TARIFF_TABLES[0], 10).source)
        a what-if table, not the law: it has no statutory source
        """
        return Reference(WHAT_IF_SOURCE) if self.what_if else self.reference

    @property
    @exact
    def what_if_note(self) -> str:
        """The what-if mark: the table's name and what it was derived from ("" for the law's).

        >>> from rtaprotocol.tariff import uplifted_tariff_table
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
        source = html_source(self.source, statutory=self.is_statutory)
        return html_titled_table(
            self._title(), self._table_headers(), self._rows(), f"<p>Source: {source}</p>"
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
        code=ErrorCode.VALUE_INVALID,
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
            code=ErrorCode.ENUM_UNKNOWN,
        )
    return scenario


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
