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
from datetime import date
from decimal import Decimal
from typing import Any, Final, final

import attrs  # noqa: F401 (TariffTable.is_statutory's example uses it)
from attrs import frozen
from dateutil.relativedelta import relativedelta

from rtaprotocol import (
    _public,
)
from rtaprotocol._checks import check_bool, check_date, wrong_type
from rtaprotocol._decimal import exact, exact_unless, thread_context
from rtaprotocol._render import (
    Tabular,
    html_source,
    html_titled_table,
    jsonable,
    months_json,
    percent_json,
    text_table,
)
from rtaprotocol._tariff_tables import (  # noqa: F401 (re-exported)
    _TABLE_HEADERS,
    MAX_TARIFF_MONTHS,
    MAX_UPLIFT_PERCENT,
    ONSET_REFERENCE,
    SCENARIO_REFERENCE,
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
    _months,
    _not_tariff,
    _scenario_table,
    tariff_table,
)
from rtaprotocol._tariff_tables import COVERAGE_REFERENCE as COVERAGE_REFERENCE  # noqa: PLC0414 (explicit re-export)
from rtaprotocol._tariff_tables import DURATION_REFERENCE as DURATION_REFERENCE  # noqa: PLC0414 (explicit re-export)
from rtaprotocol._tariff_tables import MITIGATION_REFERENCE as MITIGATION_REFERENCE  # noqa: PLC0414 (explicit re-export)
from rtaprotocol._tariff_tables import PSYCH_REFERENCE as PSYCH_REFERENCE  # noqa: PLC0414 (explicit re-export)
from rtaprotocol._tariff_tables import REGIME_REFERENCE as REGIME_REFERENCE  # noqa: PLC0414 (explicit re-export)
from rtaprotocol._tariff_tables import UPLIFT_REFERENCE as UPLIFT_REFERENCE  # noqa: PLC0414 (explicit re-export)
from rtaprotocol._tariff_whatif import (  # noqa: F401 (re-exported)
    _ABSOLUTE,
    _BAND_KEYS,
    _CELL_NUMBER,
    _MAX_TABLE_ROWS,
    _STATUTORY_NAMES,
    _cell_decimal,
    _check_bands,
    _edge,
    _is_missing_cell,
    _plain_number,
    _read_band,
    _table_amount,
    _table_error,
    check_tariff_table,
    uplifted_tariff_table,
    what_if_tariff_table,
)
from rtaprotocol._tariff_whatif import _choose_table as _choose_table  # noqa: PLC0414 (explicit re-export)
from rtaprotocol._views import install_views
from rtaprotocol.deadlines import LAST_SUPPORTED_DATE
from rtaprotocol.errors import ErrorCode, RulesError
from rtaprotocol.money import ZERO, format_money, round_penny, to_pence, to_percent

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

# Defined in the private modules above, named here (reprs, docs, pickles, doctests).
_public.publish(
    globals(),
    [
        "TARIFF_START",
        "MAX_TARIFF_MONTHS",
        "MAX_UPLIFT_PERCENT",
        "TARIFF_SCENARIOS",
        "TariffBand",
        "TariffTable",
        "TARIFF_TABLES",
        "tariff_table",
        "check_tariff_table",
        "what_if_tariff_table",
        "uplifted_tariff_table",
    ],
)

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
            code=ErrorCode.VALUE_INVALID,
        )
    if any(getattr(rd, name) for name in _SUB_DAY) or rd.days != int(rd.days):
        raise RulesError(
            "a duration must be whole days: hours, minutes and seconds are not measured",
            value=rd,
            field="duration",
            reference=DURATION_REFERENCE,
            code=ErrorCode.VALUE_INVALID,
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
            "recovery is before onset",
            value=recovery,
            field="recovery",
            reference=ONSET_REFERENCE,
            code=ErrorCode.VALUE_INVALID,
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
            f"<li>{html.escape(name)}: {html_source(ref, statutory=t.is_statutory)}</li>"
            for t, (name, ref) in zip((self.first, self.second), self._sources(), strict=True)
        )
        return html_titled_table(
            self._title(), self._headers(), self._rows(), f"<ul>{sources}</ul>"
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
            raise wrong_type(table, "a TariffTable", field=name, reference=REGIME_REFERENCE)
    if [(b.more_than_months, b.not_more_than_months) for b in one.bands] != [
        (b.more_than_months, b.not_more_than_months) for b in two.bands
    ]:
        raise RulesError(
            "the two tables have different bands and cannot be set side by side",
            value=(one.name, two.name),
            field="second",
            reference=REGIME_REFERENCE,
            code=ErrorCode.VALUE_INVALID,
        )
    return TariffComparison(first=one, second=two)


install_views(globals())  # notebook views of every public class (rtaprotocol._views)
