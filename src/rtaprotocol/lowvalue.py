"""The Claims Portal's low-value protocols: named periods and fixed recoverable costs.

The Claims Portal (the older portal for professional users) runs two pre-action
protocols: the Pre-Action Protocol for Low Value Personal Injury Claims in Road Traffic
Accidents ("the RTA Protocol") and the Pre-Action Protocol for Low Value Personal Injury
(Employers' Liability and Public Liability) Claims ("the EL/PL Protocol"), each for
claims up to £25,000 outside the small claims track.

Every figure here is data with its source and a confidence mark (:class:`Confidence`):

- **[P]** primary text (legislation.gov.uk, justice.gov.uk);
- **[S]** two or more agreeing secondary sources;
- **[U]** unconfirmed: kept as data, shown in every result, never used silently.

Periods are in business days on the same England & Wales calendar as the rest of the
library (:class:`~rtaprotocol.deadlines.EnglandWalesCalendar`): the protocols define a
business day as any day except Saturday, Sunday, a bank holiday, Good Friday or
Christmas Day (RTA Protocol para 1.1(8)-(9)).

Fixed recoverable costs are dated tables (:data:`FIXED_COSTS_TABLES`), kept as data
files with London weighting's dated rates (``data/rules/fixed-costs/``,
``data/rules/london-weighting/``; docs/maintaining.md says how to change them). Which table
applies turns on the day the cause of action accrued (the accident): the Part 45 that
SI 2023/572 substituted from 1 October 2023 does not apply to a personal injury claim
whose cause of action accrued before that day (SI 2023/572 r.2(2)(a)); the extended
protocols themselves apply to Claim Notification Forms sent on or after 31 July 2013. A
date before the first table raises :class:`~rtaprotocol.errors.OutOfCoverageError`.

Also here: the Motor Insurers' Bureau's longer response to the Claim Notification Form
(``protocol_deadline(..., mib=True)``), the Stage 2 consideration periods with an agreed
extension and the further period after a late offer (:func:`stage2_consideration`), the
interim payment periods (:func:`interim_payment_deadline`), Stage 3 fixed costs (Types
A, B and C) and London weighting (``fixed_costs(..., london=True)``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal
from enum import Enum
from typing import Any, Final, final

from attrs import frozen

from rtaprotocol import _data
from rtaprotocol._checks import check_bool, check_enum, check_int, count_text
from rtaprotocol._data import Confidence
from rtaprotocol._decimal import exact
from rtaprotocol._render import html_table, html_verdict, jsonable, text_table
from rtaprotocol._views import install_views
from rtaprotocol.deadlines import EnglandWalesCalendar, supported_date
from rtaprotocol.errors import OutOfCoverageError, RulesError, RulesTypeError
from rtaprotocol.money import format_money, round_penny, to_money

__all__ = [
    "FIXED_COSTS_TABLES",
    "LONDON_WEIGHTING",
    "NEW_COSTS_RULES_FROM",
    "PROTOCOL_PERIODS",
    "PROTOCOL_UPPER_LIMIT",
    "Confidence",
    "FixedCost",
    "FixedCostsTable",
    "LowValueProtocol",
    "PeriodDeadline",
    "ProtocolPeriod",
    "Sourced",
    "Stage2Consideration",
    "fixed_costs",
    "interim_payment_deadline",
    "protocol_deadline",
    "stage2_consideration",
]

_BUSINESS_DAY_REFERENCE: Final = "RTA Protocol para 1.1(8)-(9); EL/PL Protocol para 1.1"


@final
@frozen
class Sourced:
    """One figure with where it comes from and how sure we are of it.

    ``value`` is a Decimal amount of pounds, an int (days) or a date.

    >>> Sourced(name="total limit", value=10000, reference="CPR 26.9(1)(a)(i)",
    ...         confidence=Confidence.PRIMARY).label
    'total limit: 10000 [P] (CPR 26.9(1)(a)(i))'
    """

    name: str
    value: Decimal | int | date
    reference: str
    confidence: Confidence

    @property
    def label(self) -> str:
        """``name: value [mark] (reference)``, money shown with a pound sign."""
        shown = format_money(self.value) if isinstance(self.value, Decimal) else str(self.value)
        return f"{self.name}: {shown} {self.confidence.mark} ({self.reference})"

    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data (money as an exact string)."""
        return {
            "name": self.name,
            "value": jsonable(self.value),
            "reference": self.reference,
            "confidence": self.confidence.code,
        }


class LowValueProtocol(Enum):
    """The Claims Portal's protocols: road traffic, employers' liability, public liability.

    Employers' liability disease claims run under the EL/PL Protocol as EL claims.

    >>> LowValueProtocol("el").description
    "Pre-Action Protocol for Low Value Personal Injury (Employers' Liability and Public Liability) Claims"
    """

    RTA = "rta"
    EL = "el"
    PL = "pl"

    @property
    def description(self) -> str:
        """The protocol's full name."""
        if self is LowValueProtocol.RTA:
            return (
                "Pre-Action Protocol for Low Value Personal Injury Claims in Road Traffic Accidents"
            )
        return (
            "Pre-Action Protocol for Low Value Personal Injury (Employers' Liability and "
            "Public Liability) Claims"
        )


#: The protocols' upper limit: claims valued at not more than £25,000 (RTA Protocol para
#: 4.1; EL/PL Protocol para 4.1), for accidents (RTA) or notifications (EL/PL) on or after
#: 31 July 2013.
PROTOCOL_UPPER_LIMIT: Final = Sourced(
    name="protocol upper limit",
    value=Decimal("25000.00"),
    reference="RTA Protocol para 1.1(16), 4.1; EL/PL Protocol para 4.1 (from 31 July 2013)",
    confidence=Confidence.SECONDARY,
)


# --------------------------------------------------------------------------- periods


@final
@frozen
class ProtocolPeriod:
    """A named period of a low-value protocol, in business days, with its source.

    >>> PROTOCOL_PERIODS[("rta", "cnf_response")].business_days
    15
    """

    protocol: LowValueProtocol
    name: str
    business_days: int
    description: str
    reference: str
    confidence: Confidence

    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data."""
        return {
            "protocol": self.protocol.value,
            "name": self.name,
            "business_days": self.business_days,
            "description": self.description,
            "reference": self.reference,
            "confidence": self.confidence.code,
        }


def _periods() -> dict[tuple[str, str], ProtocolPeriod]:
    """Build the periods from src/rtaprotocol/data/rules/periods/low-value-protocols.json."""
    return {
        (p.protocol or "", p.name): ProtocolPeriod(
            protocol=LowValueProtocol(p.protocol),
            name=p.name,
            business_days=p.business_days,
            description=p.description,
            reference=p.reference,
            confidence=p.confidence,
        )
        for p in _data.periods()["low-value-protocols"]
    }


#: Every named period, keyed by ``(protocol slug, period name)``.
PROTOCOL_PERIODS: Final[Mapping[tuple[str, str], ProtocolPeriod]] = _periods()


@final
@frozen
class PeriodDeadline:
    """The last business day of a protocol period counted from an event."""

    period: ProtocolPeriod
    start: date
    deadline: date

    def __str__(self) -> str:
        p = self.period
        return (
            f"{p.description} ({p.protocol.value.upper()}): {p.business_days} business days "
            f"after {self.start} -> {self.deadline} {p.confidence.mark} [{p.reference}]"
        )

    def _repr_html_(self) -> str:
        """Render the last day first, then how it was counted and the rule."""
        p = self.period
        rows: list[list[Any]] = [
            ["period", f"{p.description} ({p.protocol.value.upper()})"],
            ["business days", p.business_days],
            ["counted after", self.start],
            ["last day", self.deadline],
            ["confidence", p.confidence.mark],
            ["reference", p.reference],
        ]
        return html_verdict(f"{p.description}: last day {self.deadline}", "info") + html_table(
            ["item", "value"], rows
        )

    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data."""
        return {
            "period": self.period.to_dict(),
            "start": self.start.isoformat(),
            "deadline": self.deadline.isoformat(),
        }


_MIB_REFERENCE: Final = "RTA Protocol para 6.11, 1.1(3)(c)"


def _calendar(calendar: EnglandWalesCalendar | None) -> EnglandWalesCalendar:
    cal = EnglandWalesCalendar() if calendar is None else calendar
    if not isinstance(cal, EnglandWalesCalendar):
        raise RulesTypeError(
            "calendar must be an EnglandWalesCalendar", value=calendar, field="calendar",
            reference=_BUSINESS_DAY_REFERENCE,
        )  # fmt: skip
    return cal


def _period(proto: LowValueProtocol, period: Any) -> ProtocolPeriod:
    if not isinstance(period, str):
        raise RulesTypeError(
            "period is a name such as 'cnf_response'", value=period, field="period",
            reference=_BUSINESS_DAY_REFERENCE,
        )  # fmt: skip
    found = PROTOCOL_PERIODS.get((proto.value, period))
    if found is None:
        names = sorted({n for _, n in PROTOCOL_PERIODS})
        raise RulesError(
            "unknown period; known: " + ", ".join(names),
            value=period,
            field="period",
            reference=_BUSINESS_DAY_REFERENCE,
        )
    return found


def protocol_deadline(
    protocol: LowValueProtocol | str,
    period: str,
    start: date,
    *,
    mib: bool = False,
    calendar: EnglandWalesCalendar | None = None,
) -> PeriodDeadline:
    """Return the last day of a named low-value protocol period (business days, RTA para 1.1).

    The day of the event never counts; the period's confidence is carried in the result.
    ``mib=True`` says the Motor Insurers' Bureau is the defendant (RTA Protocol para
    1.1(3)(c)): its response to the Claim Notification Form is due in 30 business days,
    not 15 (para 6.11); its other periods are every defendant's. The MIB answers road
    traffic claims only, so ``mib=True`` with the EL/PL Protocol is refused.

    >>> from datetime import date
    >>> str(protocol_deadline("rta", "cnf_response", date(2023, 12, 20)))  # over Christmas
    "insurer's response to the Claim Notification Form (RTA): 15 business days after 2023-12-20 -> 2024-01-15 [S] [RTA Protocol para 6.11]"
    >>> protocol_deadline("rta", "cnf_response", date(2023, 12, 20), mib=True).deadline
    datetime.date(2024, 2, 5)
    >>> protocol_deadline("pl", "cnf_response", date(2023, 5, 2)).deadline
    datetime.date(2023, 6, 29)
    """
    proto = check_enum(
        protocol, LowValueProtocol, field="protocol", reference="RTA Protocol para 1.1"
    )
    is_mib = check_bool(mib, field="mib", reference=_MIB_REFERENCE)
    found = _period(proto, period)
    if is_mib:
        if proto is not LowValueProtocol.RTA:
            raise RulesError(
                "the MIB is a defendant only under the RTA Protocol (road traffic claims); "
                f"the {proto.value.upper()} claim's defendant is an employer's or public "
                "liability insurer",
                value=mib,
                field="mib",
                reference=_MIB_REFERENCE,
            )
        if found.name == "cnf_response":
            found = PROTOCOL_PERIODS[("rta", "cnf_response_mib")]
    day = supported_date(start, field="start", reference=_BUSINESS_DAY_REFERENCE)
    cal = _calendar(calendar)
    return PeriodDeadline(
        period=found, start=day, deadline=cal._add_from(day, found.business_days, field="start")
    )


# --------------------------------------------------------------------------- Stage 2

#: An offer made this many business days or fewer before the end of the total
#: consideration period opens the further consideration period (RTA Protocol para 7.37).
_LATE_OFFER_DAYS: Final = 5
_STAGE2_REFERENCE: Final = "RTA Protocol para 7.35, 7.36, 7.37; EL/PL Protocol para 7.26"
_EXTENSION_REFERENCE: Final = {
    LowValueProtocol.RTA: "RTA Protocol para 7.36",
    LowValueProtocol.EL: "EL/PL Protocol para 7.27 (numbered by analogy with RTA Protocol "
    "para 7.36; not read)",
    LowValueProtocol.PL: "EL/PL Protocol para 7.27 (numbered by analogy with RTA Protocol "
    "para 7.36; not read)",
}


@final
@frozen
class Stage2Consideration:
    """The Stage 2 consideration timetable (RTA Protocol para 7.35-7.37).

    The initial and total periods (with any agreed extension), and the further period a
    late offer opens. ``last_day`` is the end of the further consideration period when a late offer opened
    one (``late_offer`` is that offer's day), otherwise the end of the total consideration
    period. ``explanation`` gives each step with its rule.
    """

    protocol: LowValueProtocol
    start: date
    extension_days: int
    offers: tuple[date, ...]
    initial_consideration_end: date
    total_consideration_end: date
    late_offer: date | None
    further_consideration_end: date | None
    explanation: tuple[str, ...]
    reference: str
    confidence: Confidence

    @property
    def last_day(self) -> date:
        """The last day of Stage 2 consideration, after any further consideration period."""
        if self.further_consideration_end is not None:
            return self.further_consideration_end
        return self.total_consideration_end

    def _rows(self) -> list[list[Any]]:
        rows: list[list[Any]] = [
            ["Stage 2 Settlement Pack acknowledged", self.start],
            ["initial consideration period ends", self.initial_consideration_end],
            ["total consideration period ends", self.total_consideration_end],
        ]
        if self.further_consideration_end is not None:
            rows.append(["further consideration period ends", self.further_consideration_end])
        return rows

    def __str__(self) -> str:
        title = f"Stage 2 consideration ends {self.last_day} {self.confidence.mark}"
        table = text_table(["step", "date"], self._rows(), title=title)
        return table + "\n" + "\n".join(self.explanation) + f"\n[{self.reference}]"

    def _repr_html_(self) -> str:
        """Render the last day first, then each step, then how it was counted."""
        return (
            html_verdict(f"Stage 2 consideration ends {self.last_day}", "info")
            + html_table(["step", "date"], self._rows())
            + html_table(["how"], [[line] for line in self.explanation])
        )

    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data."""
        further = self.further_consideration_end
        return {
            "protocol": self.protocol.value,
            "start": self.start.isoformat(),
            "extension_days": self.extension_days,
            "offers": [d.isoformat() for d in self.offers],
            "initial_consideration_end": self.initial_consideration_end.isoformat(),
            "total_consideration_end": self.total_consideration_end.isoformat(),
            "late_offer": None if self.late_offer is None else self.late_offer.isoformat(),
            "further_consideration_end": None if further is None else further.isoformat(),
            "last_day": self.last_day.isoformat(),
            "explanation": list(self.explanation),
            "reference": self.reference,
            "confidence": self.confidence.code,
        }


def stage2_consideration(
    protocol: LowValueProtocol | str,
    start: date,
    *,
    extension_days: int = 0,
    offers: Sequence[date] = (),
    calendar: EnglandWalesCalendar | None = None,
) -> Stage2Consideration:
    """Work out the Stage 2 consideration periods, an agreed extension and a late offer's.

    ``start`` is the day the defendant acknowledged the Stage 2 Settlement Pack. The
    defendant has 15 business days' initial consideration and 35 in all (RTA Protocol para
    7.35; EL/PL Protocol para 7.26). ``extension_days`` is an extension of the total
    consideration period the parties agreed (para 7.36), in business days. An offer (by
    either party: ``offers`` are their days) made 5 business days or less before the end of
    the total consideration period, extension included, opens a further period of 5
    business days after that end for the other party to consider it, in which no further
    offers may be made (para 7.37). An offer dated after the total consideration period
    ended is refused: it cannot open the further period, and none may be made in it.

    >>> from datetime import date
    >>> plain = stage2_consideration("rta", date(2024, 1, 2))
    >>> plain.total_consideration_end, plain.further_consideration_end
    (datetime.date(2024, 2, 20), None)
    >>> late = stage2_consideration("rta", date(2024, 1, 2), offers=[date(2024, 2, 13)])
    >>> late.further_consideration_end  # 5 business days before the end: the further period
    datetime.date(2024, 2, 27)
    >>> stage2_consideration("rta", date(2024, 1, 2), offers=[date(2024, 2, 12)]).last_day
    datetime.date(2024, 2, 20)
    """
    proto = check_enum(protocol, LowValueProtocol, field="protocol", reference=_STAGE2_REFERENCE)
    day = supported_date(start, field="start", reference=_STAGE2_REFERENCE)
    ext_reference = _EXTENSION_REFERENCE[proto]
    ext = check_int(extension_days, field="extension_days", reference=ext_reference)
    if ext < 0:
        raise RulesError(
            "an agreed extension of the total consideration period cannot be negative",
            value=extension_days,
            field="extension_days",
            reference=ext_reference,
        )
    given: Any = offers
    if isinstance(given, str | bytes) or not isinstance(given, Sequence):
        raise RulesTypeError(
            "offers is a list of the days offers were made", value=offers, field="offers",
            reference="RTA Protocol para 7.37",
        )  # fmt: skip
    offer_days = tuple(
        supported_date(o, field=f"offers[{i}]", reference="RTA Protocol para 7.37")
        for i, o in enumerate(offers)
    )
    cal = _calendar(calendar)
    initial = PROTOCOL_PERIODS[(proto.value, "stage2_initial_consideration")]
    total = PROTOCOL_PERIODS[(proto.value, "stage2_total_consideration")]
    further = PROTOCOL_PERIODS[(proto.value, "stage2_further_consideration")]
    initial_end = cal._add_from(day, initial.business_days, field="start")
    total_end = cal._add_from(day, total.business_days + ext, field="start")
    explanation = [
        (
            f"initial consideration: {initial.business_days} business days after {day} -> "
            f"{initial_end} ({initial.reference})"
        ),
        f"total consideration: {total.business_days} business days"
        + (f" plus an agreed extension of {ext}" if ext else "")
        + f" after {day} -> {total_end} ({total.reference}"
        + (f"; {ext_reference})" if ext else ")"),
    ]
    late: date | None = None
    for i, offer in enumerate(offer_days):
        if offer > total_end:
            raise RulesError(
                f"an offer made after the total consideration period ended on {total_end} "
                "cannot open the further consideration period, and no further offers may be "
                "made in that period",
                value=offers[i],
                field=f"offers[{i}]",
                reference=further.reference,
            )
        if cal.business_days_between(offer, total_end) <= _LATE_OFFER_DAYS and (
            late is None or offer > late
        ):
            late = offer
    further_end: date | None = None
    if late is not None:
        further_end = cal._add_from(total_end, further.business_days, field="start")
        before = cal.business_days_between(late, total_end)
        when = (
            "on the last day of the total consideration period"
            if before == 0
            else f"{count_text(before)} business day{'s' if before > 1 else ''} before the end "
            "of the total consideration period"
        )
        explanation.append(
            f"an offer made on {late}, {when}: a further "
            f"{further.business_days} business days -> {further_end}, in which no further "
            f"offers may be made ({further.reference})"
        )
    elif offer_days:
        explanation.append(
            "no offer was made 5 business days or less before the end of the total "
            f"consideration period: no further consideration period ({further.reference})"
        )
    return Stage2Consideration(
        protocol=proto,
        start=day,
        extension_days=ext,
        offers=offer_days,
        initial_consideration_end=initial_end,
        total_consideration_end=total_end,
        late_offer=late,
        further_consideration_end=further_end,
        explanation=tuple(explanation),
        reference=total.reference if late is None else f"{total.reference}; {further.reference}",
        confidence=Confidence.UNCONFIRMED,
    )


# --------------------------------------------------------------------------- interim payments

_INTERIM_REFERENCE: Final = "RTA Protocol para 7.13, 7.18, 7.19"
_INTERIM_BASE: Final = Decimal("1000.00")


@exact
def interim_payment_deadline(
    protocol: LowValueProtocol | str,
    requested: Any,
    received_on: date,
    *,
    calendar: EnglandWalesCalendar | None = None,
) -> PeriodDeadline:
    """Return when the defendant must pay a requested interim payment (Stage 2).

    A request for £1,000: payment within 10 business days of receiving the Interim
    Settlement Pack (RTA Protocol para 7.18). A request for more than £1,000: within 15
    business days the defendant pays the amount requested, £1,000, or a sum between, and
    briefly explains any shortfall (para 7.19, 7.20). A request for less than £1,000 is not
    a Protocol interim request (para 7.13) and is refused.

    >>> from datetime import date
    >>> interim_payment_deadline("rta", "1000", date(2024, 3, 1)).deadline
    datetime.date(2024, 3, 15)
    >>> interim_payment_deadline("rta", "1000.01", date(2024, 3, 1)).deadline
    datetime.date(2024, 3, 22)
    """
    proto = check_enum(protocol, LowValueProtocol, field="protocol", reference=_INTERIM_REFERENCE)
    amount = to_money(requested, field="requested", reference=_INTERIM_REFERENCE)
    if amount < _INTERIM_BASE:
        raise RulesError(
            "a Protocol interim payment request is for £1,000 (paid in 10 business days) or "
            "more (15 business days); a smaller request has no Protocol period",
            value=requested,
            field="requested",
            reference=_INTERIM_REFERENCE,
        )
    name = "interim_payment" if amount == _INTERIM_BASE else "interim_payment_over_1000"
    return protocol_deadline(proto, name, received_on, calendar=calendar)


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
        )
    first_rate = _LONDON.rates[0].applies_from
    if first_rate > tables[0].applies_from:
        raise _data.DataFileError(
            "london-weighting: the rates must cover every fixed costs table",
            value=first_rate,
            field="applies_from",
            reference=LONDON_WEIGHTING.reference,
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
        if self.london and self.london_weighting:
            out.append(
                f"London weighting: 12.5% of {format_money(self._base)} = "
                f"{format_money(self.london_weighting)} added"
            )
        elif self.london:
            out.append(
                "London weighting does not apply to Type B fixed costs (the advocate's): "
                "the rule adds 12.5% to the Stage 1 and 2 and Type A and C fixed costs"
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
            )
        if not isinstance(stage3_type, str) or stage3_type.upper() not in _STAGE3_TYPES:
            raise RulesError(
                "stage3_type is 'A', 'B' or 'C'",
                value=stage3_type,
                field="stage3_type",
                reference="CPR 45.18(2)",
            )
        kind = stage3_type.upper()
    elif stage3_type is not None:
        raise RulesError(
            "stage3_type is for Stage 3 only",
            value=stage3_type,
            field="stage3_type",
            reference="CPR 45.18(2)",
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
        )
    if accrued_on is None and notified_on is None:
        raise RulesError(
            "give accrued_on (the day the cause of action accrued: it decides which costs "
            "rules apply)",
            field="accrued_on",
            reference=_KEY_DATE_REFERENCE,
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


install_views(globals())  # notebook views of every public class (rtaprotocol._views)
