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
from datetime import date
from decimal import Decimal
from typing import Any, Final, final

from attrs import frozen

from rtaprotocol import _data, _public
from rtaprotocol._checks import check_bool, check_enum, check_int, count_text
from rtaprotocol._data import Confidence
from rtaprotocol._decimal import exact
from rtaprotocol._lowvalue_costs import (  # noqa: F401 (re-exported)
    _BAND_LOW,
    _COSTS_REFERENCE,
    _KEY_DATE_REFERENCE,
    _LONDON,
    _LONDON_WEIGHTED,
    _PROTOCOLS_FROM,
    _RANK,
    _STAGE3_TYPES,
    FIXED_COSTS_TABLES,
    LONDON_WEIGHTING,
    NEW_COSTS_RULES_FROM,
    FixedCost,
    FixedCostsTable,
    _check_tables,
    _london_rate,
    _table,
    _table_for,
    _weakest,
    fixed_costs,
)
from rtaprotocol._lowvalue_protocols import (
    _BUSINESS_DAY_REFERENCE,
    PROTOCOL_UPPER_LIMIT,
    LowValueProtocol,
    Sourced,
)
from rtaprotocol._render import html_table, html_verdict, text_table
from rtaprotocol._views import install_views
from rtaprotocol.deadlines import EnglandWalesCalendar, _checked_calendar, supported_date
from rtaprotocol.errors import ErrorCode, RulesError, RulesTypeError
from rtaprotocol.money import to_money

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

# Defined in the private modules above, named here (reprs, docs, pickles, doctests).
_public.publish(
    globals(),
    [
        "Sourced",
        "LowValueProtocol",
        "PROTOCOL_UPPER_LIMIT",
        "NEW_COSTS_RULES_FROM",
        "LONDON_WEIGHTING",
        "FixedCostsTable",
        "FIXED_COSTS_TABLES",
        "FixedCost",
        "fixed_costs",
    ],
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
    return _checked_calendar(
        calendar,
        reference=_BUSINESS_DAY_REFERENCE,
        message="calendar must be an EnglandWalesCalendar",
    )


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
            code=ErrorCode.ENUM_UNKNOWN,
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
                code=ErrorCode.VALUE_INVALID,
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
            code=ErrorCode.VALUE_INVALID,
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
                code=ErrorCode.VALUE_INVALID,
            )
        if cal.business_days_between(offer, total_end) <= _LATE_OFFER_DAYS and (
            late is None or offer > late
        ):
            late = offer
    further_end: date | None = None
    if late is not None:
        # past the calendar: refused naming the start the user gave (not total_end)
        further_end = cal._add_from(total_end, further.business_days, field="start", given=day)
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
            code=ErrorCode.VALUE_INVALID,
        )
    name = "interim_payment" if amount == _INTERIM_BASE else "interim_payment_over_1000"
    return protocol_deadline(proto, name, received_on, calendar=calendar)


install_views(globals())  # notebook views of every public class (rtaprotocol._views)
