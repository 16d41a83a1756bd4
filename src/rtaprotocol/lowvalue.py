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

Fixed recoverable costs are dated tables (:data:`FIXED_COSTS_TABLES`) keyed by the date
the Claim Notification Form is sent; a date before the first table raises
:class:`~rtaprotocol.errors.OutOfCoverageError`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any, Final, final

from attrs import frozen

from rtaprotocol._checks import check_enum
from rtaprotocol._decimal import exact
from rtaprotocol._render import html_table, html_verdict, jsonable, text_table
from rtaprotocol.deadlines import EnglandWalesCalendar, supported_date
from rtaprotocol.errors import OutOfCoverageError, RulesError, RulesTypeError
from rtaprotocol.money import format_money, to_money

__all__ = [
    "FIXED_COSTS_TABLES",
    "PROTOCOL_PERIODS",
    "PROTOCOL_UPPER_LIMIT",
    "Confidence",
    "FixedCost",
    "FixedCostsTable",
    "LowValueProtocol",
    "PeriodDeadline",
    "ProtocolPeriod",
    "Sourced",
    "fixed_costs",
    "protocol_deadline",
]

_BUSINESS_DAY_REFERENCE: Final = "RTA Protocol para 1.1(8)-(9); EL/PL Protocol para 1.1"


class Confidence(Enum):
    """How well a figure is sourced: [P] primary, [S] secondary sources agree, [U] unconfirmed.

    >>> Confidence.UNCONFIRMED.mark
    '[U]'
    """

    PRIMARY = "P"
    SECONDARY = "S"
    UNCONFIRMED = "U"

    @property
    def mark(self) -> str:
        """The mark shown next to a figure: ``[P]``, ``[S]`` or ``[U]``."""
        return f"[{self.value}]"


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
            "confidence": self.confidence.value,
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
            "confidence": self.confidence.value,
        }


def _periods() -> dict[tuple[str, str], ProtocolPeriod]:
    sec, unc = Confidence.SECONDARY, Confidence.UNCONFIRMED
    rows = [
        # protocol, name, days, description, reference, confidence
        ("rta", "cnf_response", 15, "insurer's response to the Claim Notification Form",
         "RTA Protocol para 6.11", sec),
        ("el", "cnf_response", 30, "employer's insurer's response to the Claim Notification Form",
         "EL/PL Protocol para 6.11", sec),
        ("pl", "cnf_response", 40, "public liability insurer's response to the Claim Notification Form",
         "EL/PL Protocol para 6.11", sec),
    ]  # fmt: skip
    for proto, para in (
        ("rta", "RTA Protocol"),
        ("el", "EL/PL Protocol"),
        ("pl", "EL/PL Protocol"),
    ):
        rows += [
            (proto, "stage2_initial_consideration", 15,
             "defendant's initial consideration of the Stage 2 Settlement Pack",
             f"{para} para 7.35 (RTA) / 7.26 (EL/PL)", unc),
            (proto, "stage2_negotiation", 20,
             "negotiation period after the initial consideration period",
             f"{para} para 7.35 (RTA) / 7.26 (EL/PL)", unc),
            (proto, "stage2_total_consideration", 35,
             "total consideration period of the Stage 2 Settlement Pack (15 + 20)",
             f"{para} para 7.35 (RTA) / 7.26 (EL/PL)", unc),
            (proto, "interim_payment", 10,
             "payment after receiving a request for an interim payment of £1,000",
             f"{para} Stage 2, interim payments", unc),
        ]  # fmt: skip
    return {
        (p, n): ProtocolPeriod(
            protocol=LowValueProtocol(p),
            name=n,
            business_days=d,
            description=desc,
            reference=ref,
            confidence=c,
        )
        for p, n, d, desc, ref, c in rows
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


def protocol_deadline(
    protocol: LowValueProtocol | str,
    period: str,
    start: date,
    *,
    calendar: EnglandWalesCalendar | None = None,
) -> PeriodDeadline:
    """Return the last day of a named low-value protocol period (business days, RTA para 1.1).

    The day of the event never counts; the period's confidence is carried in the result.

    >>> from datetime import date
    >>> str(protocol_deadline("rta", "cnf_response", date(2023, 12, 20)))  # over Christmas
    "insurer's response to the Claim Notification Form (RTA): 15 business days after 2023-12-20 -> 2024-01-15 [S] [RTA Protocol para 6.11]"
    >>> protocol_deadline("pl", "cnf_response", date(2023, 5, 2)).deadline
    datetime.date(2023, 6, 29)
    """
    proto = check_enum(
        protocol, LowValueProtocol, field="protocol", reference="RTA Protocol para 1.1"
    )
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
    day = supported_date(start, field="start", reference=_BUSINESS_DAY_REFERENCE)
    cal = EnglandWalesCalendar() if calendar is None else calendar
    if not isinstance(cal, EnglandWalesCalendar):
        raise RulesTypeError(
            "calendar must be an EnglandWalesCalendar", value=calendar, field="calendar",
            reference=_BUSINESS_DAY_REFERENCE,
        )  # fmt: skip
    return PeriodDeadline(
        period=found, start=day, deadline=cal._add_from(day, found.business_days, field="start")
    )


# --------------------------------------------------------------------------- fixed costs

_BAND_LOW: Final = Decimal("10000.00")


@final
@frozen
class FixedCostsTable:
    """One dated table of fixed recoverable costs for the low-value protocols.

    ``rows`` maps ``(protocol, stage, band)`` to the amount in pounds, where ``protocol``
    is ``"rta"`` or ``"elpl"``, ``stage`` is ``1`` or ``2`` and ``band`` is
    ``"up_to_10000"`` or ``"over_10000"`` (damages more than £10,000 but not more than
    £25,000). The table applies to Claim Notification Forms sent from ``applies_from``
    to ``applies_until`` (inclusive; ``None`` = open-ended).
    """

    applies_from: date
    applies_until: date | None
    reference: str
    confidence: Confidence
    note: str
    rows: Mapping[tuple[str, int, str], Decimal]

    def covers(self, day: date) -> bool:
        """Return whether ``day`` falls inside the table's dates."""
        return self.applies_from <= day and (
            self.applies_until is None or day <= self.applies_until
        )


def _rows(*amounts: str) -> dict[tuple[str, int, str], Decimal]:
    """Expand (RTA stage 1, stage 2 low, stage 2 high, EL/PL the same) into table rows."""
    rta1, rta2_low, rta2_high, el1, el2_low, el2_high = (Decimal(a) for a in amounts)
    return {
        ("rta", 1, "up_to_10000"): rta1,
        ("rta", 1, "over_10000"): rta1,
        ("rta", 2, "up_to_10000"): rta2_low,
        ("rta", 2, "over_10000"): rta2_high,
        ("elpl", 1, "up_to_10000"): el1,
        ("elpl", 1, "over_10000"): el1,
        ("elpl", 2, "up_to_10000"): el2_low,
        ("elpl", 2, "over_10000"): el2_high,
    }


_SAME: Final = ("200.00", "300.00", "600.00", "300.00", "600.00", "1300.00")

#: The dated tables, oldest first. Amounts exclude VAT.
FIXED_COSTS_TABLES: Final[tuple[FixedCostsTable, ...]] = (
    FixedCostsTable(
        applies_from=date(2013, 7, 31),
        applies_until=date(2023, 9, 30),
        reference="CPR 45.18 Tables 6 (RTA Protocol) and 6A (EL/PL Protocol), as in force "
        "31 July 2013 to 30 September 2023",
        confidence=Confidence.SECONDARY,
        note="RTA £200 / £300 / £600 and EL/PL £300 / £600 / £1,300: the Ministry of "
        "Justice's 2012-13 announcements and later practitioner summaries agree",
        rows=_rows(*_SAME),
    ),
    FixedCostsTable(
        applies_from=date(2023, 10, 1),
        applies_until=date(2024, 4, 5),
        reference="CPR Part 45 Section III and Practice Direction 45 (as substituted from "
        "1 October 2023 by SI 2023/572)",
        confidence=Confidence.SECONDARY,
        note="the portal stage costs were not uprated on 1 October 2023 (practitioner "
        "reports of the amended rules agree); the amounts are unchanged",
        rows=_rows(*_SAME),
    ),
    FixedCostsTable(
        applies_from=date(2024, 4, 6),
        applies_until=None,
        reference="CPR Part 45 Section III and Practice Direction 45 (inflation uprating "
        "from 6 April 2024)",
        confidence=Confidence.UNCONFIRMED,
        note="UNCONFIRMED: the 6 April 2024 inflation uprating is reported for the fast "
        "and intermediate track tables; that the portal stage costs stayed unchanged is "
        "not confirmed from the Practice Direction's text",
        rows=_rows(*_SAME),
    ),
)


@final
@frozen
class FixedCost:
    """A fixed recoverable costs figure for one protocol stage, with its table's source."""

    protocol: LowValueProtocol
    stage: int
    damages: Decimal
    band: str
    amount: Decimal
    notified_on: date
    table: FixedCostsTable

    def _rows(self) -> list[list[Any]]:
        t = self.table
        return [
            ["protocol", self.protocol.value.upper()],
            ["stage", self.stage],
            ["damages", self.damages],
            ["band", self.band.replace("_", " ")],
            ["fixed costs (excluding VAT)", self.amount],
            ["confidence", t.confidence.mark],
            ["reference", t.reference],
        ]

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
            "damages": jsonable(self.damages),
            "band": self.band,
            "amount": jsonable(self.amount),
            "notified_on": self.notified_on.isoformat(),
            "reference": self.table.reference,
            "confidence": self.table.confidence.value,
            "note": self.table.note,
        }


_COSTS_REFERENCE: Final = "CPR Part 45 Section III"


@exact
def fixed_costs(
    protocol: LowValueProtocol | str, stage: int, damages: Any, *, notified_on: date
) -> FixedCost:
    """Return the fixed recoverable costs of one protocol stage (CPR Part 45 Section III).

    ``notified_on`` (the day the Claim Notification Form was sent) picks the dated
    table; a day before 31 July 2013 raises OutOfCoverageError. ``damages`` picks the
    band: not more than £10,000, or more than £10,000 but not more than the £25,000
    protocol upper limit (more is refused: the claim is outside the protocols).

    >>> from datetime import date
    >>> fixed_costs("rta", 2, "10000.00", notified_on=date(2023, 9, 30)).amount
    Decimal('300.00')
    >>> fc = fixed_costs("el", 2, "10000.01", notified_on=date(2024, 5, 1))
    >>> fc.amount, fc.table.confidence.mark
    (Decimal('1300.00'), '[U]')
    >>> fixed_costs("pl", 1, 5000, notified_on=date(2013, 7, 30))
    Traceback (most recent call last):
    ...
    rtaprotocol.errors.OutOfCoverageError: notified_on: no fixed costs table covers this date (tables from 2013-07-31): got datetime.date(2013, 7, 30) [CPR Part 45 Section III]
    """
    proto = check_enum(protocol, LowValueProtocol, field="protocol", reference=_COSTS_REFERENCE)
    if stage.__class__ is not int or stage not in (1, 2):
        raise RulesError(
            "stage is 1 or 2 (Stage 3 costs are not encoded)",
            value=stage,
            field="stage",
            reference=_COSTS_REFERENCE,
        )
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
    day = supported_date(notified_on, field="notified_on", reference=_COSTS_REFERENCE)
    table = next((t for t in FIXED_COSTS_TABLES if t.covers(day)), None)
    if table is None:
        raise OutOfCoverageError(
            "no fixed costs table covers this date "
            f"(tables from {FIXED_COSTS_TABLES[0].applies_from})",
            value=notified_on,
            field="notified_on",
            reference=_COSTS_REFERENCE,
        )
    band = "up_to_10000" if amount <= _BAND_LOW else "over_10000"
    key = "rta" if proto is LowValueProtocol.RTA else "elpl"
    return FixedCost(
        protocol=proto,
        stage=stage,
        damages=amount,
        band=band,
        amount=table.rows[(key, stage, band)],
        notified_on=day,
        table=table,
    )
