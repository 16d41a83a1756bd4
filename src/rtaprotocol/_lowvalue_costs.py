"""The low-value protocols' fixed recoverable costs and London weighting (CPR Part 45).

A private part of :mod:`rtaprotocol.lowvalue` (its "fixed costs" section: the dated
tables read from the data files, and :func:`rtaprotocol.lowvalue.fixed_costs`), which
re-exports every name: import them from there.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Final, final

from attrs import frozen

from rtaprotocol import _data
from rtaprotocol._checks import check_bool, check_enum
from rtaprotocol._data import Confidence
from rtaprotocol._decimal import exact
from rtaprotocol._lowvalue_protocols import (
    PROTOCOL_UPPER_LIMIT,
    LowValueProtocol,
    Sourced,
)
from rtaprotocol._render import html_table, html_verdict, jsonable, text_table
from rtaprotocol.deadlines import supported_date
from rtaprotocol.errors import ErrorCode, OutOfCoverageError, RulesError
from rtaprotocol.money import format_money, round_penny, to_money

# --------------------------------------------------------------------------- fixed costs

_BAND_LOW: Final = Decimal("10000.00")

#: The day the Part 45 substituted by SI 2023/572 starts to apply: to a personal injury
#: claim whose cause of action accrued on or after it (SI 2023/572 r.2(2)(a)).
NEW_COSTS_RULES_FROM: Final = date(2023, 10, 1)
#: The extended protocols (and their fixed costs tables) apply to Claim Notification Forms
#: sent on or after this day (RTA Protocol para 4.1(1); EL/PL Protocol para 4.1).
_PROTOCOLS_FROM: Final = date(2013, 7, 31)

#: London weighting: where the claimant lives or works in an area listed in Practice
#: Direction 45 and instructs a legal representative who practises in that area, the
#: fixed costs include an extra 12.5% (of the Stage 1 and 2 and Stage 3 Type A and C
#: fixed costs; not Type B, the advocate's). Dated data, each rate with its rule:
#: src/rtaprotocol/data/rules/london-weighting/cpr-45.json; this is the latest rate,
#: and a table's own is the rate in force on its first day.
_LONDON: Final = _data.london_weighting()
LONDON_WEIGHTING: Final = Sourced(
    name=_LONDON.name,
    value=_LONDON.rates[-1].percent,
    reference=_LONDON.citation,
    confidence=_LONDON.confidence,
)
#: The costs London weighting adds to; Type B (the advocate's costs) is not among them.
_LONDON_WEIGHTED: Final = frozenset({"1", "2", "3A", "3C"})

_STAGE3_TYPES: Final = {
    "A": "Type A fixed costs: the legal representative's Stage 3 costs",
    "B": "Type B fixed costs: the advocate's Stage 3 costs",
    "C": "Type C fixed costs: advice on the amount of damages where the claimant is a child "
    "(the child-settlement advice fee)",
}


@final
@frozen
class FixedCostsTable:
    """One dated table of fixed recoverable costs for the low-value protocols.

    ``rows`` maps ``(protocol, stage, band)`` to the amount in pounds, where ``protocol``
    is ``"rta"`` or ``"elpl"``, ``stage`` is ``1`` or ``2`` and ``band`` is
    ``"up_to_10000"`` or ``"over_10000"`` (damages more than £10,000 but not more than
    £25,000). ``stage3`` maps ``(protocol, type, band)`` (type ``"A"``, ``"B"`` or
    ``"C"``) to the Stage 3 amounts, with their own reference and confidence. The table
    applies to claims whose cause of action accrued from ``applies_from`` to
    ``applies_until`` (inclusive; ``None`` = open-ended), the first table to Claim
    Notification Forms sent from 31 July 2013.
    """

    applies_from: date
    applies_until: date | None
    reference: str
    confidence: Confidence
    note: str
    rows: Mapping[tuple[str, int, str], Decimal]
    stage3: Mapping[tuple[str, str, str], Decimal] = {}
    stage3_reference: str = ""
    stage3_confidence: Confidence = Confidence.UNCONFIRMED

    def covers(self, day: date) -> bool:
        """Return whether ``day`` falls inside the table's dates."""
        return self.applies_from <= day and (
            self.applies_until is None or day <= self.applies_until
        )


def _table(data: _data.FixedCostsTableData) -> FixedCostsTable:
    """Build one table from its file (src/rtaprotocol/data/rules/fixed-costs/<year>.json)."""
    bands = ("up_to_10000", "over_10000")
    rows = {
        (r.protocol, int(r.stage), band): getattr(r, band) for r in data.costs for band in bands
    }
    # Stage 3 keyed (protocol, type, band), each protocol's bands in turn.
    stage3 = {
        (p, r.stage[1], band): getattr(r, band)
        for p in dict.fromkeys(r.protocol for r in data.stage3)
        for band in bands
        for r in data.stage3
        if r.protocol == p
    }
    until = data.applies_until
    return FixedCostsTable(
        applies_from=data.applies_from,
        applies_until=None if until is None else until - timedelta(days=1),
        reference=data.citation,
        confidence=data.confidence,
        note=data.note,
        rows=rows,
        stage3=stage3,
        stage3_reference=data.stage3_citation,
        stage3_confidence=data.stage3_confidence,
    )


#: The dated tables, oldest first, from src/rtaprotocol/data/rules/fixed-costs/: each
#: applies to claims accrued up to the day before the next begins. Amounts exclude VAT.
FIXED_COSTS_TABLES: Final[tuple[FixedCostsTable, ...]] = tuple(
    _table(t) for t in _data.fixed_costs_tables()
)


def _london_rate(table: FixedCostsTable) -> _data.LondonWeightingData:
    """Return the London weighting rate in force on the first day of ``table``.

    The rates cover every table (checked at import by ``_check_tables``).
    """
    return next(r for r in reversed(_LONDON.rates) if r.applies_from <= table.applies_from)


def _check_tables(tables: Sequence[FixedCostsTable]) -> None:
    """Refuse, at import, tables that do not start with the protocols or lack a London rate."""
    if tables[0].applies_from != _PROTOCOLS_FROM:
        raise _data.DataFileError(
            "fixed-costs: the first table applies from the extended protocols' first day, "
            f"{_PROTOCOLS_FROM}",
            value=tables[0].applies_from,
            field="applies_from",
            reference="RTA Protocol para 4.1(1); EL/PL Protocol para 4.1",
            code=ErrorCode.VALUE_INVALID,
        )
    first_rate = _LONDON.rates[0].applies_from
    if first_rate > tables[0].applies_from:
        raise _data.DataFileError(
            "london-weighting: the rates must cover every fixed costs table",
            value=first_rate,
            field="applies_from",
            reference=LONDON_WEIGHTING.reference,
            code=ErrorCode.VALUE_INVALID,
        )


_check_tables(FIXED_COSTS_TABLES)

_RANK: Final = {Confidence.PRIMARY: 0, Confidence.SECONDARY: 1, Confidence.UNCONFIRMED: 2}


def _weakest(*marks: Confidence) -> Confidence:
    return max(marks, key=_RANK.__getitem__)


@final
@frozen
class FixedCost:
    """A fixed recoverable costs figure for one protocol stage, with its table's source.

    ``amount`` is what is recoverable (excluding VAT): ``base_amount`` from the table plus
    ``london_weighting`` (zero unless asked for and due). ``stage3_type`` is ``"A"``,
    ``"B"`` or ``"C"`` for Stage 3, else None. ``notified_on`` and ``accrued_on`` are the
    dates given (either may be None).
    """

    protocol: LowValueProtocol
    stage: int
    damages: Decimal
    band: str
    amount: Decimal
    notified_on: date | None
    table: FixedCostsTable
    accrued_on: date | None = None
    stage3_type: str | None = None
    base_amount: Decimal | None = None
    london: bool = False
    london_weighting: Decimal = Decimal("0.00")

    @property
    def reference(self) -> str:
        """The rule behind the figure: the table's (Stage 3: its own), then London weighting."""
        ref = self.table.stage3_reference if self.stage == 3 else self.table.reference
        if self.london:
            ref += "; London weighting: " + _london_rate(self.table).reference
        return ref

    @property
    def confidence(self) -> Confidence:
        """The weakest mark among the figures used."""
        marks = [self.table.stage3_confidence if self.stage == 3 else self.table.confidence]
        if self.london:
            marks.append(_london_rate(self.table).confidence)
        return _weakest(*marks)

    @property
    def notes(self) -> tuple[str, ...]:
        """The table's note, and what London weighting did."""
        out = [self.table.note]
        if not self.london:
            return tuple(out)
        rate = f"{_london_rate(self.table).percent:f}%"  # the dated rate, never a literal
        if self.london_weighting:
            out.append(
                f"London weighting: {rate} of {format_money(self._base)} = "
                f"{format_money(self.london_weighting)} added"
            )
        else:
            out.append(
                "London weighting does not apply to Type B fixed costs (the advocate's): "
                f"the rule adds {rate} to the Stage 1 and 2 and Type A and C fixed costs"
            )
        return tuple(out)

    @property
    def _base(self) -> Decimal:
        return self.amount if self.base_amount is None else self.base_amount

    def _rows(self) -> list[list[Any]]:
        stage = f"3 (Type {self.stage3_type})" if self.stage == 3 else self.stage
        rows: list[list[Any]] = [
            ["protocol", self.protocol.value.upper()],
            ["stage", stage],
            ["damages", self.damages],
            ["band", self.band.replace("_", " ")],
        ]
        if self.london:
            rows += [
                ["table amount", self._base],
                ["London weighting", self.london_weighting],
            ]
        rows += [
            ["fixed costs (excluding VAT)", self.amount],
            ["confidence", self.confidence.mark],
            ["reference", self.reference],
        ]
        return rows

    def __str__(self) -> str:
        return text_table(["item", "value"], self._rows(), title="Fixed recoverable costs")

    def _repr_html_(self) -> str:
        """Render the fixed costs first, then how they were found and the rule."""
        title = f"Fixed recoverable costs: {format_money(self.amount)} (excluding VAT)"
        return html_verdict(title, "info") + html_table(["item", "value"], self._rows())

    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data."""
        return {
            "protocol": self.protocol.value,
            "stage": self.stage,
            "stage3_type": self.stage3_type,
            "damages": jsonable(self.damages),
            "band": self.band,
            "base_amount": jsonable(self._base),
            "london": self.london,
            "london_weighting": jsonable(self.london_weighting),
            "amount": jsonable(self.amount),
            "accrued_on": None if self.accrued_on is None else self.accrued_on.isoformat(),
            "notified_on": None if self.notified_on is None else self.notified_on.isoformat(),
            "reference": self.reference,
            "confidence": self.confidence.code,
            "note": self.table.note,
            "notes": list(self.notes),
        }


_COSTS_REFERENCE: Final = "CPR Part 45 Section III"
_KEY_DATE_REFERENCE: Final = "SI 2023/572 r.2(2)(a); CPR Part 45 Section III"


def _table_for(accrued: date | None, notified: date | None) -> FixedCostsTable:
    """Pick the table: by accrual (SI 2023/572 r.2(2)(a)), the CNF's day for 2013's start."""
    if accrued is not None and notified is not None and notified < accrued:
        raise RulesError(
            f"the Claim Notification Form ({notified}) cannot be sent before the cause of "
            f"action accrued ({accrued})",
            value=notified,
            field="notified_on",
            reference=_KEY_DATE_REFERENCE,
            code=ErrorCode.VALUE_INVALID,
        )
    if notified is not None and notified < _PROTOCOLS_FROM:
        raise OutOfCoverageError(
            "no fixed costs table covers this date "
            f"(tables from {FIXED_COSTS_TABLES[0].applies_from})",
            value=notified,
            field="notified_on",
            reference=_COSTS_REFERENCE,
        )
    if accrued is None:
        assert notified is not None
        if notified >= NEW_COSTS_RULES_FROM:
            raise RulesError(
                "which costs rules apply turns on the day the cause of action accrued, not "
                "on the Claim Notification Form's: give accrued_on (the accident date)",
                value=notified,
                field="accrued_on",
                reference=_KEY_DATE_REFERENCE,
                code=ErrorCode.VALUE_INVALID,
            )
        # A form sent before 1 October 2023 is for a cause of action accrued before it.
        return FIXED_COSTS_TABLES[0]
    if accrued < _PROTOCOLS_FROM and notified is None:
        raise RulesError(
            "a cause of action accrued before 31 July 2013 is under the extended protocols "
            "only if its Claim Notification Form was sent on or after that day: give "
            "notified_on",
            value=accrued,
            field="notified_on",
            reference="RTA Protocol para 4.1; EL/PL Protocol para 4.1",
            code=ErrorCode.VALUE_INVALID,
        )
    return next((t for t in FIXED_COSTS_TABLES if t.covers(accrued)), FIXED_COSTS_TABLES[0])


@exact
def fixed_costs(
    protocol: LowValueProtocol | str,
    stage: int,
    damages: Any,
    *,
    accrued_on: date | None = None,
    notified_on: date | None = None,
    stage3_type: str | None = None,
    london: bool = False,
) -> FixedCost:
    """Return the fixed recoverable costs of one protocol stage (CPR Part 45 Section III).

    Which table applies turns on ``accrued_on``, the day the cause of action accrued (the
    accident): the Part 45 substituted from 1 October 2023 applies only to claims accrued
    on or after that day (SI 2023/572 r.2(2)(a)). ``notified_on`` (the day the Claim
    Notification Form was sent) is enough on its own only before 1 October 2023 (the
    claim then accrued before it too); a form sent before 31 July 2013 is outside the
    extended protocols (OutOfCoverageError). ``damages`` picks the band: not more than
    £10,000, or more than £10,000 but not more than the £25,000 protocol upper limit (more
    is refused: the claim is outside the protocols).

    ``stage`` is 1, 2 or 3; Stage 3 needs ``stage3_type``: ``"A"`` (the legal
    representative's costs), ``"B"`` (the advocate's) or ``"C"`` (advice on the amount of
    damages where the claimant is a child: the child-settlement advice fee). ``london=True``
    says the claimant lives or works in an area listed in Practice Direction 45 and
    instructs a legal representative who practises there: 12.5% is added to the Stage 1
    and 2 and Type A and C fixed costs, rounded half-up to the penny (CPR 45.18(3); CPR
    45.3 from 1 October 2023).

    >>> from datetime import date
    >>> fixed_costs("rta", 2, "10000.00", accrued_on=date(2023, 9, 30)).amount
    Decimal('300.00')
    >>> fixed_costs("rta", 1, "5000", accrued_on=date(2023, 10, 1), london=True).amount
    Decimal('225.00')
    >>> fixed_costs("el", 3, "5000", accrued_on=date(2022, 1, 4), stage3_type="C").amount
    Decimal('150.00')
    >>> fixed_costs("pl", 1, 5000, notified_on=date(2013, 7, 30))
    Traceback (most recent call last):
    ...
    rtaprotocol.errors.OutOfCoverageError: notified_on: no fixed costs table covers this date (tables from 2013-07-31): got datetime.date(2013, 7, 30) [CPR Part 45 Section III]
    """
    proto = check_enum(protocol, LowValueProtocol, field="protocol", reference=_COSTS_REFERENCE)
    if stage.__class__ is not int or stage not in (1, 2, 3):
        raise RulesError(
            "stage is 1, 2 or 3",
            value=stage,
            field="stage",
            reference=_COSTS_REFERENCE,
            code=ErrorCode.VALUE_INVALID,
        )
    kind: str | None = None
    if stage == 3:
        if stage3_type is None:
            raise RulesError(
                "Stage 3 fixed costs are of Type A (legal representative), B (advocate) or C "
                "(advice where the claimant is a child): give stage3_type",
                value=stage3_type,
                field="stage3_type",
                reference="CPR 45.18(2)",
                code=ErrorCode.VALUE_INVALID,
            )
        if not isinstance(stage3_type, str) or stage3_type.upper() not in _STAGE3_TYPES:
            raise RulesError(
                "stage3_type is 'A', 'B' or 'C'",
                value=stage3_type,
                field="stage3_type",
                reference="CPR 45.18(2)",
                code=ErrorCode.VALUE_INVALID,
            )
        kind = stage3_type.upper()
    elif stage3_type is not None:
        raise RulesError(
            "stage3_type is for Stage 3 only",
            value=stage3_type,
            field="stage3_type",
            reference="CPR 45.18(2)",
            code=ErrorCode.VALUE_INVALID,
        )
    weighted = check_bool(london, field="london", reference=LONDON_WEIGHTING.reference)
    amount = to_money(damages, field="damages", reference=_COSTS_REFERENCE)
    limit = PROTOCOL_UPPER_LIMIT.value
    assert isinstance(limit, Decimal)
    if amount > limit:
        raise RulesError(
            f"damages above the {format_money(limit)} protocol upper limit are outside the "
            "low-value protocols",
            value=damages,
            field="damages",
            reference=PROTOCOL_UPPER_LIMIT.reference,
            code=ErrorCode.VALUE_INVALID,
        )
    if accrued_on is None and notified_on is None:
        raise RulesError(
            "give accrued_on (the day the cause of action accrued: it decides which costs "
            "rules apply)",
            field="accrued_on",
            reference=_KEY_DATE_REFERENCE,
            code=ErrorCode.VALUE_INVALID,
        )
    accrued = (
        None
        if accrued_on is None
        else supported_date(accrued_on, field="accrued_on", reference=_KEY_DATE_REFERENCE)
    )
    notified = (
        None
        if notified_on is None
        else supported_date(notified_on, field="notified_on", reference=_COSTS_REFERENCE)
    )
    table = _table_for(accrued, notified)
    band = "up_to_10000" if amount <= _BAND_LOW else "over_10000"
    key = "rta" if proto is LowValueProtocol.RTA else "elpl"
    if kind is None:
        base = table.rows[(key, stage, band)]
        part = str(stage)
    else:
        base = table.stage3[(key, kind, band)]
        part = f"3{kind}"
    uplift = Decimal("0.00")
    if weighted and part in _LONDON_WEIGHTED:
        uplift = round_penny(base * _london_rate(table).percent / 100)
    return FixedCost(
        protocol=proto,
        stage=stage,
        damages=amount,
        band=band,
        amount=base + uplift,
        notified_on=notified,
        table=table,
        accrued_on=accrued,
        stage3_type=kind,
        base_amount=base,
        london=weighted,
        london_weighting=uplift,
    )
