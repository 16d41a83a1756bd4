"""England & Wales business days, the protocol's named periods, and limitation.

**Business day** (the sibling pre-action protocols' para 1.1, which this
protocol's practice follows): any day except Saturday, Sunday, an England & Wales bank
holiday (Banking and Financial Dealings Act 1971, with every one-off proclamation), Good
Friday or Christmas Day.

**Counting** (guide 6.3.1): "you start counting from the first full business day after
you have entered the claim". The event day never counts, whatever day it is, so a claim
entered on a Tuesday starts the count on Wednesday, and one entered on a Saturday starts
it on Monday (or Tuesday after a bank-holiday Monday).

The calendar comes from the ``holidays`` package for ``GB`` with ``subdiv="ENG"``
(without the subdivision Easter Monday and the August holiday vanish), over the fixed
supported range 2000-01-01 to 2100-12-31. A date outside it raises
:class:`~rtaprotocol.errors.OutOfCoverageError`; so does a result that would fall
outside it. Holidays proclaimed after a release (a new state funeral) are added with
``EnglandWalesCalendar(extra_holidays=...)``.

The calendar is built once, lazily, on first use (``import rtaprotocol`` does not import
``holidays``), into two flat tables so each call is a couple of list look-ups.

A ``datetime`` is accepted wherever a date is, and its date is used (time and time zone
are dropped): the protocol counts whole days.
"""

from __future__ import annotations

from calendar import isleap
from collections.abc import Iterable
from datetime import date, timedelta
from enum import Enum
from typing import Any, Final, NamedTuple, final

from attrs import field, frozen

from rtaprotocol._checks import check_date, check_int
from rtaprotocol.errors import OutOfCoverageError, RulesError, RulesTypeError
from rtaprotocol.sources import Reference

__all__ = [
    "FIRST_SUPPORTED_DATE",
    "LAST_SUPPORTED_DATE",
    "EnglandWalesCalendar",
    "Period",
    "add_business_days",
    "business_days_between",
    "due_date",
    "is_business_day",
    "limitation_deadline",
]

FIRST_SUPPORTED_DATE: Final = date(2000, 1, 1)
LAST_SUPPORTED_DATE: Final = date(2100, 12, 31)
_FIRST: Final = FIRST_SUPPORTED_DATE.toordinal()
_LAST: Final = LAST_SUPPORTED_DATE.toordinal()

BUSINESS_DAY_REFERENCE: Final = (
    "business day: not a Saturday, Sunday, England & Wales bank holiday, Good Friday or "
    "Christmas Day; counted from the first full business day after the event (guide 6.3.1)"
)
RANGE_REFERENCE: Final = (
    f"the calendar covers {FIRST_SUPPORTED_DATE} to {LAST_SUPPORTED_DATE} (rtaprotocol calendar)"
)
LIMITATION_REFERENCE: Final = "Limitation Act 1980 ss.11, 28; guide 5.4"


class Period(Enum):
    """The protocol's named periods, in business days, each with its guide section.

    ``Period.X.value`` is a stable slug (used by the CLI and JSON);
    ``business_days`` and ``reference`` say how long and why.

    >>> Period.LIABILITY_RESPONSE.business_days, Period.LIABILITY_RESPONSE.reference
    (30, 'guide 6.3.1')
    >>> Period("offer-withdrawal") is Period.OFFER_WITHDRAWAL
    True
    """

    LIABILITY_RESPONSE = ("liability-response", 30, "guide 6.3.1", "liability response (insurer)")
    LIABILITY_RESPONSE_MIB = (
        "liability-response-mib",
        40,
        "guide 6.3.1",
        "liability response (Motor Insurers' Bureau or its agents)",
    )
    INTERIM_PAYMENT_RESPONSE = (
        "interim-payment-response",
        15,
        "guide 6.3.1.4",
        "response to an interim payment request",
    )
    FURTHER_MEDICAL_INSTRUCTIONS = (
        "further-medical-instructions",
        10,
        "guide 6.4.2.2",
        "instructions for an acknowledged further medical report",
    )
    OFFER = ("offer", 20, "guide 6.5.3.1", "compensator's offer after the documents are received")
    INJURY_DISPUTE = (
        "injury-dispute",
        20,
        "guide 6.5.4",
        "notice disputing injury causation (else deemed admitted)",
    )
    OFFER_WITHDRAWAL = (
        "offer-withdrawal",
        10,
        "guide 6.5.5",
        "unanswered offer before it may be withdrawn",
    )
    PAYMENT = ("payment", 10, "guide 6.6.2", "payment after acceptance")
    PAYMENT_WITH_CRU = (
        "payment-with-cru",
        30,
        "guide 6.6.2",
        "payment when an updated CRU certificate is needed",
    )

    business_days: int
    reference: str
    description: str

    def __new__(cls, slug: str, business_days: int, reference: str, description: str) -> Period:
        """Make a member whose value is its slug, with its length and reference attached."""
        member = object.__new__(cls)
        member._value_ = slug
        member.business_days = business_days
        member.reference = Reference(reference)
        member.description = description
        return member

    @classmethod
    def _missing_(cls, value: object) -> Period:
        """Refuse an unknown slug in ``Period(slug)`` as :meth:`from_slug` does."""
        return cls.from_slug(value)  # type: ignore[arg-type]  # from_slug refuses it

    @classmethod
    def from_slug(cls, slug: str) -> Period:
        """Return the period named by ``slug`` (``"offer-withdrawal"``), or raise RulesError.

        >>> Period.from_slug("payment-with-cru").business_days
        30
        """
        for member in cls:
            if member.value == slug:
                return member
        raise RulesError(
            "not a protocol period; one of " + ", ".join(m.value for m in cls),
            value=slug,
            field="period",
            reference="guide 6.3.1",
        )


class _Tables(NamedTuple):
    """Precomputed calendar: ``cum[i]`` counts business days up to ``_FIRST + i``."""

    cum: list[int]  # business days with ordinal <= _FIRST + i (index _LAST - _FIRST + 1 too)
    days: list[date]  # every business day in the range, in order
    flags: bytes  # 1 where _FIRST + i is a business day


_BANK_HOLIDAYS: frozenset[int] | None = None


def bank_holiday_ordinals() -> frozenset[int]:
    """Ordinals of every England & Wales bank holiday in the supported range (cached)."""
    global _BANK_HOLIDAYS  # noqa: PLW0603 - a lazily filled, never-changing cache
    if _BANK_HOLIDAYS is None:
        import holidays  # deferred: importing holidays costs more than the rest of the library

        years = range(FIRST_SUPPORTED_DATE.year, LAST_SUPPORTED_DATE.year + 1)
        hols = holidays.country_holidays("GB", subdiv="ENG", years=years)
        _BANK_HOLIDAYS = frozenset(d.toordinal() for d in hols)
    return _BANK_HOLIDAYS


def supported_date(value: Any, *, field: str, reference: str) -> date:
    """Return ``value`` as a date inside the supported range, else raise.

    A value that is not a date cites ``reference`` (the caller's rule); a date outside
    2000-01-01..2100-12-31 raises :class:`OutOfCoverageError` citing the range. Every
    module that takes a date the calendar must cover checks it here.
    """
    d = check_date(value, field=field, reference=reference)
    if not FIRST_SUPPORTED_DATE <= d <= LAST_SUPPORTED_DATE:
        raise OutOfCoverageError(
            "date is outside the supported range",
            value=value,
            field=field,
            reference=RANGE_REFERENCE,
        )
    return d


def _in_range(value: Any, fld: str) -> int:
    """Return the ordinal of a date (or datetime's date) inside the supported range."""
    if type(value) is date:  # the hot path: a plain date in range
        o = value.toordinal()
        if _FIRST <= o <= _LAST:
            return o
    return supported_date(value, field=fld, reference=BUSINESS_DAY_REFERENCE).toordinal()


def _dates(values: Iterable[Any], fld: str) -> frozenset[date]:
    if isinstance(values, str | bytes | date) or not isinstance(values, Iterable):
        raise RulesTypeError(
            "expected a collection of dates", value=values, field=fld, reference=RANGE_REFERENCE
        )
    return frozenset(date.fromordinal(_in_range(v, fld)) for v in values)


def _holiday_dates(values: Iterable[Any]) -> frozenset[date]:
    return _dates(values, "extra_holidays")


def _working_dates(values: Iterable[Any]) -> frozenset[date]:
    return _dates(values, "extra_business_days")


@final
@frozen(eq=True, hash=True)
class EnglandWalesCalendar:
    """England & Wales business days, with holidays a user adds or lifts.

    - ``extra_holidays``: days to treat as non-business days in addition to the bank
      holidays shipped (a state funeral or jubilee proclaimed after this release).
    - ``extra_business_days``: listed bank holidays to treat as working days. Each must
      be a weekday bank holiday in the shipped list: a weekend stays non-business and a
      day that is already a business day is refused as a likely mistake.

    A day may not be in both. Calendars compare equal when their extras are equal.

    >>> from datetime import date
    >>> cal = EnglandWalesCalendar(extra_holidays=[date(2030, 6, 3)])
    >>> cal.add_business_days(date(2030, 5, 31), 1)  # Friday; Monday is now a holiday
    datetime.date(2030, 6, 4)
    >>> add_business_days(date(2030, 5, 31), 1)
    datetime.date(2030, 6, 3)
    """

    extra_holidays: frozenset[date] = field(default=(), converter=_holiday_dates)
    extra_business_days: frozenset[date] = field(default=(), converter=_working_dates)
    _tables: list[_Tables] = field(init=False, factory=list, eq=False, repr=False, hash=False)

    def __attrs_post_init__(self) -> None:
        both = self.extra_holidays & self.extra_business_days
        if both:
            raise RulesError(
                "a day cannot be both an extra holiday and an extra business day",
                value=sorted(both),
                field="extra_business_days",
                reference=BUSINESS_DAY_REFERENCE,
            )
        for d in sorted(self.extra_business_days):
            if d.weekday() >= 5:
                raise RulesError(
                    "a weekend day is never a business day",
                    value=d,
                    field="extra_business_days",
                    reference=BUSINESS_DAY_REFERENCE,
                )
            if d.toordinal() not in bank_holiday_ordinals():
                raise RulesError(
                    "not a listed England & Wales bank holiday, so already a business day",
                    value=d,
                    field="extra_business_days",
                    reference=BUSINESS_DAY_REFERENCE,
                )

    def _build(self) -> _Tables:
        """Build (once) the cumulative count and the list of business days."""
        if self._tables:  # the list is a private one-slot cache, filled once
            return self._tables[0]
        closed = set(bank_holiday_ordinals())
        closed |= {d.toordinal() for d in self.extra_holidays}
        closed -= {d.toordinal() for d in self.extra_business_days}
        flags = bytearray(_LAST - _FIRST + 1)
        cum = [0] * (_LAST - _FIRST + 1)
        days: list[date] = []
        count = 0
        for i in range(_LAST - _FIRST + 1):
            o = _FIRST + i
            # date.fromordinal(1) is a Monday, so (o - 1) % 7 is Python's weekday().
            if (o - 1) % 7 < 5 and o not in closed:
                flags[i] = 1
                count += 1
                days.append(date.fromordinal(o))
            cum[i] = count
        tables = _Tables(cum, days, bytes(flags))
        self._tables.append(tables)
        return tables

    def is_business_day(self, d: date) -> bool:
        """Return whether ``d`` is a business day in England & Wales.

        >>> from datetime import date
        >>> EnglandWalesCalendar().is_business_day(date(2022, 9, 19))  # state funeral
        False
        """
        o = _in_range(d, "d")
        t = self._tables[0] if self._tables else self._build()
        return t.flags[o - _FIRST] == 1

    def add_business_days(self, d: date, n: int) -> date:
        """Return the ``n``-th business day after ``d`` (before, if ``n`` < 0); ``d`` if 0.

        The event day ``d`` never counts, whatever day it is (guide 6.3.1).

        >>> from datetime import date
        >>> cal = EnglandWalesCalendar()
        >>> cal.add_business_days(date(2024, 3, 28), 1)  # Good Friday, Easter Monday
        datetime.date(2024, 4, 2)
        >>> cal.add_business_days(date(2024, 4, 2), -1)
        datetime.date(2024, 3, 28)
        """
        if n.__class__ is not int:
            check_int(n, field="n", reference=BUSINESS_DAY_REFERENCE)
        o = _in_range(d, "d")
        if n == 0:
            return d if type(d) is date else date.fromordinal(o)
        t = self._tables[0] if self._tables else self._build()
        i = o - _FIRST
        # n > 0: the n-th day after; n < 0: count back from the days strictly before d.
        k = t.cum[i] + n - 1 if n > 0 else t.cum[i] - t.flags[i] + n
        if not 0 <= k < len(t.days):
            raise OutOfCoverageError(
                f"{n} business days from {d} falls outside the supported range",
                value=n,
                field="n",
                reference=RANGE_REFERENCE,
            )
        return t.days[k]

    def business_days_between(self, start: date, end: date) -> int:
        """Count business days from ``start`` (excluded) to ``end`` (included).

        For ``end < start`` the result is minus the count of business days from ``end``
        (included) to ``start`` (excluded), so that
        ``business_days_between(d, add_business_days(d, n)) == n`` for every ``n``.

        >>> from datetime import date
        >>> EnglandWalesCalendar().business_days_between(date(2023, 5, 2), date(2023, 6, 15))
        30
        """
        a = _in_range(start, "start") - _FIRST
        b = _in_range(end, "end") - _FIRST
        t = self._tables[0] if self._tables else self._build()
        if b >= a:
            return t.cum[b] - t.cum[a]
        return -((t.cum[a] - t.flags[a]) - (t.cum[b] - t.flags[b]))


_DEFAULT: Final = EnglandWalesCalendar()


def is_business_day(d: date) -> bool:
    """Return whether ``d`` is an England & Wales business day (guide 6.3.1).

    >>> from datetime import date
    >>> is_business_day(date(2023, 5, 8)), is_business_day(date(2023, 5, 9))  # coronation
    (False, True)
    """
    return _DEFAULT.is_business_day(d)


def add_business_days(d: date, n: int) -> date:
    """Return the ``n``-th business day strictly after ``d`` (guide 6.3.1).

    ``n`` < 0 counts back: the ``|n|``-th business day strictly before ``d``; ``n`` == 0
    returns ``d`` itself. The event day never counts, so from a Saturday one business
    day on is the Monday, unless that is a bank holiday.

    >>> from datetime import date
    >>> add_business_days(date(2022, 9, 16), 1)  # Friday; Monday 19th: state funeral
    datetime.date(2022, 9, 20)
    >>> add_business_days(date(2023, 4, 8), 1)   # Saturday; Monday 10th: Easter Monday
    datetime.date(2023, 4, 11)
    """
    return _DEFAULT.add_business_days(d, n)


def business_days_between(start: date, end: date) -> int:
    """Count the business days after ``start`` up to and including ``end`` (guide 6.3.1).

    Negative when ``end`` is before ``start``; the inverse of :func:`add_business_days`.

    >>> from datetime import date
    >>> business_days_between(date(2023, 5, 2), date(2023, 5, 2))
    0
    >>> business_days_between(date(2023, 5, 9), date(2023, 5, 5))  # Friday back from Tuesday
    -1
    """
    return _DEFAULT.business_days_between(start, end)


def due_date(
    period: Period, event_date: date, *, calendar: EnglandWalesCalendar | None = None
) -> date:
    """Return the last day of ``period`` counted from ``event_date`` (guide 6.3.1).

    The count starts on the first full business day after the event, so the due date is
    :func:`add_business_days` of ``period.business_days``.

    >>> from datetime import date
    >>> due_date(Period.LIABILITY_RESPONSE, date(2023, 5, 2))  # coronation + late May inside
    datetime.date(2023, 6, 15)
    """
    if not isinstance(period, Period):
        raise RulesTypeError(
            "expected a Period", value=period, field="period", reference=BUSINESS_DAY_REFERENCE
        )
    cal = _DEFAULT if calendar is None else calendar
    if not isinstance(cal, EnglandWalesCalendar):
        raise RulesTypeError(
            "expected an EnglandWalesCalendar",
            value=calendar,
            field="calendar",
            reference=BUSINESS_DAY_REFERENCE,
        )
    _in_range(event_date, "event_date")  # so an error names the argument the caller gave
    return cal.add_business_days(event_date, period.business_days)


def _years_later(d: date, years: int, fld: str) -> date:
    """Return the same calendar date ``years`` on; 29 February gives 28 February."""
    if d.year + years > date.max.year:
        raise OutOfCoverageError(
            f"{years} years on is after {date.max}, the last date Python represents",
            value=d,
            field=fld,
            reference=LIMITATION_REFERENCE,
        )
    if d.month == 2 and d.day == 29 and not isleap(d.year + years):
        return d.replace(year=d.year + years, day=28)
    return d.replace(year=d.year + years)


def eighteenth_birthday(date_of_birth: date) -> date:
    """Return the day a person born on ``date_of_birth`` turns 18.

    Someone born on 29 February turns 18 on 1 March in a non-leap year (Family Law
    Reform Act 1969 s.9 as usually applied; marked [U] in docs/deadlines.md).

    >>> from datetime import date
    >>> eighteenth_birthday(date(2004, 2, 29))
    datetime.date(2022, 3, 1)
    """
    dob = check_date(date_of_birth, field="date_of_birth", reference=LIMITATION_REFERENCE)
    if dob.month == 2 and dob.day == 29:
        leap_birthday = _years_later(dob, 18, "date_of_birth")  # 28 February if not a leap year
        return leap_birthday if leap_birthday.day == 29 else leap_birthday + timedelta(days=1)
    return _years_later(dob, 18, "date_of_birth")


def limitation_deadline(accident_date: date, *, date_of_birth: date | None = None) -> date:
    """Return the last day to issue court proceedings (Limitation Act 1980 s.11; guide 5.4).

    Three years from the accident, the accident day excluded (Marren v Dawson Bentley
    [1961]), so the same calendar date three years on. If the claimant was under 18 on
    the accident date, three years from the 18th birthday instead (s.28).

    29 February: an accident on 29 February has its last day on 28 February three years
    on (Dodds v Walker [1981]: no corresponding date, so the last day of the month). The
    date returned is never moved to a later business day: if the court office is closed
    on it, proceedings issued on the next open day are in time (Pritam Kaur v S Russell
    & Sons Ltd [1973]), but the date returned is the safe one to act by.

    >>> from datetime import date
    >>> limitation_deadline(date(2022, 1, 1))
    datetime.date(2025, 1, 1)
    >>> limitation_deadline(date(2024, 2, 29))
    datetime.date(2027, 2, 28)
    >>> limitation_deadline(date(2022, 6, 1), date_of_birth=date(2006, 1, 15))  # aged 16
    datetime.date(2027, 1, 15)
    """
    accident = check_date(accident_date, field="accident_date", reference=LIMITATION_REFERENCE)
    if date_of_birth is None:
        return _years_later(accident, 3, "accident_date")
    dob = check_date(date_of_birth, field="date_of_birth", reference=LIMITATION_REFERENCE)
    if dob > accident:
        raise RulesError(
            "date of birth is after the accident",
            value=dob,
            field="date_of_birth",
            reference=LIMITATION_REFERENCE,
        )
    majority = eighteenth_birthday(dob)
    if accident < majority:
        return _years_later(majority, 3, "date_of_birth")
    return _years_later(accident, 3, "accident_date")
