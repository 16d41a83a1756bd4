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
``holidays``), into two flat tables so each call is a couple of list look-ups. The build
runs under a lock: threads making their first deadline call at the same moment wait for
one build and then share it, and every calendar without extras (the module functions'
and each ``EnglandWalesCalendar()``) shares the same tables for the life of the process.

A ``datetime`` is accepted wherever a date is, and its date is used (time and time zone
are dropped): the protocol counts whole days.
"""

from __future__ import annotations

import threading
from calendar import isleap
from collections.abc import Iterable
from datetime import date, timedelta
from enum import Enum
from typing import Any, Final, NamedTuple, final

from attrs import field, frozen

from rtaprotocol import _data
from rtaprotocol._checks import check_date, check_int, count_text, wrong_type
from rtaprotocol._render import html_table, html_verdict, text_table
from rtaprotocol._views import install_views
from rtaprotocol.errors import ErrorCode, OutOfCoverageError, RulesError, RulesTypeError
from rtaprotocol.sources import Reference

__all__ = [
    "FIRST_SUPPORTED_DATE",
    "LAST_SUPPORTED_DATE",
    "EnglandWalesCalendar",
    "LimitationPeriod",
    "Period",
    "add_business_days",
    "business_days_between",
    "due_date",
    "is_business_day",
    "limitation_deadline",
    "limitation_period",
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


#: The guide's periods, by slug, from the data file (read once, at import).
_GUIDE_PERIODS: Final = {p.name: p for p in _data.periods()["oic-guide"]}


class Period(Enum):
    """The protocol's named periods, in business days, each with its guide section.

    ``Period.X.value`` is a stable slug (used by the CLI and JSON);
    ``business_days`` and ``reference`` say how long and why.

    >>> Period.LIABILITY_RESPONSE.business_days, Period.LIABILITY_RESPONSE.reference
    (30, 'guide 6.3.1')
    >>> Period("offer-withdrawal") is Period.OFFER_WITHDRAWAL
    True
    """

    # The member names are the API; each one's days, reference and description are data:
    # src/rtaprotocol/data/rules/periods/oic-guide.json (see docs/maintaining.md).
    LIABILITY_RESPONSE = "liability-response"
    LIABILITY_RESPONSE_MIB = "liability-response-mib"
    INTERIM_PAYMENT_RESPONSE = "interim-payment-response"
    FURTHER_MEDICAL_INSTRUCTIONS = "further-medical-instructions"
    OFFER = "offer"
    INJURY_DISPUTE = "injury-dispute"
    OFFER_WITHDRAWAL = "offer-withdrawal"
    PAYMENT = "payment"
    PAYMENT_WITH_CRU = "payment-with-cru"

    business_days: int
    reference: str
    description: str

    def __new__(cls, slug: str) -> Period:
        """Make a member whose value is its slug, with its length and reference from the data."""
        entry = _GUIDE_PERIODS.get(slug)
        if entry is None:
            raise _data.data_file_error(
                "oic-guide.json", "periods", "no entry for the period", slug
            )
        member = object.__new__(cls)
        member._value_ = slug
        member.business_days = entry.business_days
        member.reference = Reference(entry.reference)
        member.description = entry.description
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
            code=ErrorCode.VALUE_INVALID,
        )


if _GUIDE_PERIODS.keys() != {p.value for p in Period}:  # an entry with no member is refused
    raise _data.data_file_error(
        "oic-guide.json",
        "periods",
        "an entry has no Period member (add one)",
        sorted(_GUIDE_PERIODS.keys() - {p.value for p in Period}),
    )


class _Tables(NamedTuple):
    """Precomputed calendar: ``cum[i]`` counts business days up to ``_FIRST + i``."""

    cum: list[int]  # business days with ordinal <= _FIRST + i (index _LAST - _FIRST + 1 too)
    days: list[date]  # every business day in the range, in order
    flags: bytes  # 1 where _FIRST + i is a business day


_BANK_HOLIDAYS: frozenset[int] | None = None
#: The tables of a calendar without extras, shared by every such calendar in the process.
_PLAIN_TABLES: list[_Tables] = []
#: Held while a lazy cache is filled, so concurrent first uses build it exactly once.
_BUILD_LOCK: Final = threading.RLock()


def bank_holiday_ordinals() -> frozenset[int]:
    """Ordinals of every England & Wales bank holiday in the supported range (cached)."""
    global _BANK_HOLIDAYS  # noqa: PLW0603 - a lazily filled, never-changing cache
    if _BANK_HOLIDAYS is not None:
        return _BANK_HOLIDAYS
    with _BUILD_LOCK:
        if _BANK_HOLIDAYS is None:  # another thread may have built it while we waited
            import holidays  # deferred: importing holidays costs more than the library

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
                code=ErrorCode.VALUE_INVALID,
            )
        for d in sorted(self.extra_business_days):
            if d.weekday() >= 5:
                raise RulesError(
                    "a weekend day is never a business day",
                    value=d,
                    field="extra_business_days",
                    reference=BUSINESS_DAY_REFERENCE,
                    code=ErrorCode.VALUE_INVALID,
                )
            if d.toordinal() not in bank_holiday_ordinals():
                raise RulesError(
                    "not a listed England & Wales bank holiday, so already a business day",
                    value=d,
                    field="extra_business_days",
                    reference=BUSINESS_DAY_REFERENCE,
                    code=ErrorCode.VALUE_INVALID,
                )

    def _build(self) -> _Tables:
        """Build (once, under the lock) the cumulative count and the list of business days."""
        if self._tables:  # the list is a private one-slot cache, filled once
            return self._tables[0]
        with _BUILD_LOCK:
            if not self._tables:  # another thread may have filled it while we waited
                plain = not self.extra_holidays and not self.extra_business_days
                if not plain:
                    self._tables.append(self._compute())
                else:
                    if not _PLAIN_TABLES:
                        _PLAIN_TABLES.append(self._compute())
                    self._tables.append(_PLAIN_TABLES[0])
            return self._tables[0]

    def _compute(self) -> _Tables:
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
        return _Tables(cum, days, bytes(flags))

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
            n = check_int(n, field="n", reference=BUSINESS_DAY_REFERENCE)
        o = _in_range(d, "d")
        if n == 0:
            return d if type(d) is date else date.fromordinal(o)
        t = self._tables[0] if self._tables else self._build()
        i = o - _FIRST
        # n > 0: the n-th day after; n < 0: count back from the days strictly before d.
        k = t.cum[i] + n - 1 if n > 0 else t.cum[i] - t.flags[i] + n
        if not 0 <= k < len(t.days):
            raise OutOfCoverageError(
                f"{count_text(n)} business days from {d} falls outside the supported range",
                value=n,
                field="n",
                reference=RANGE_REFERENCE,
            )
        return t.days[k]

    def _add_from(self, d: date, n: int, *, field: str, given: Any = None) -> date:
        """:meth:`add_business_days` for a caller whose argument ``field`` gave ``d``.

        A count that runs past the calendar's last day is refused naming the caller's
        start date (its ``field`` and the value it gave: ``given``, or ``d``), not this
        method's ``n``: the caller's user gave the date, the number of days is the rule's.
        """
        try:
            return self.add_business_days(d, n)
        except OutOfCoverageError as err:
            if err.field != "n":
                raise
            raise OutOfCoverageError(
                f"{count_text(n)} business days from {d} falls outside the supported range",
                value=d if given is None else given,
                field=field,
                reference=RANGE_REFERENCE,
            ) from None

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


def _checked_calendar(
    calendar: object,
    *,
    reference: str = BUSINESS_DAY_REFERENCE,
    message: str = "expected an EnglandWalesCalendar",
) -> EnglandWalesCalendar:
    """Return a ``calendar=`` argument: the default calendar for None; anything else refused.

    The one check of that argument; each caller keeps its own wording and rule.

    >>> _checked_calendar(None) == EnglandWalesCalendar()
    True
    """
    if calendar is None:
        return _DEFAULT
    if not isinstance(calendar, EnglandWalesCalendar):
        raise RulesTypeError(message, value=calendar, field="calendar", reference=reference)
    return calendar


#: The default calendar's one-slot cache (empty until first used), for the fast path.
_DEFAULT_TABLES: Final = _DEFAULT._tables


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
    # The fast path: a plain date and a plain positive int, once the tables are built.
    if d.__class__ is date and n.__class__ is int and n > 0 and _DEFAULT_TABLES:
        t = _DEFAULT_TABLES[0]
        i = d.toordinal() - _FIRST
        if i >= 0:
            try:  # past the range, an index is out of its list: the general path says so
                return t.days[t.cum[i] + n - 1]  # the index is >= 0: cum >= 0 and n >= 1
            except IndexError:
                pass
    return _DEFAULT.add_business_days(d, n)  # everything else, errors included


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
    cal = _checked_calendar(calendar)
    _in_range(event_date, "event_date")  # so an error names the argument the caller gave
    return cal._add_from(event_date, period.business_days, field="event_date")


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


def limitation_deadline(
    accident_date: date,
    *,
    date_of_birth: date | None = None,
    date_of_knowledge: date | None = None,
) -> date:
    """Return the last day to issue court proceedings (Limitation Act 1980 s.11; guide 5.4).

    Three years from the accident, the accident day excluded (Marren v Dawson Bentley
    [1961]), so the same calendar date three years on; or three years from the
    claimant's ``date_of_knowledge`` if later (s.11(4)(b), s.14), which cannot be before
    the accident. If the claimant was under 18 on the accident date, three years from
    the 18th birthday if that is later still (s.28). A claimant who lacked capacity when
    the cause of action accrued has no deadline while the disability lasts: use
    :func:`limitation_period`, which says so instead of inventing a date.

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
    >>> limitation_deadline(date(2022, 6, 1), date_of_knowledge=date(2023, 2, 1))
    datetime.date(2026, 2, 1)
    """
    # The fast path: plain dates, no date of knowledge, birth not after the accident; the
    # same date as limitation_period's, without building its explanation.
    if (
        date_of_knowledge is None
        and accident_date.__class__ is date
        and (
            date_of_birth is None
            or (date_of_birth.__class__ is date and date_of_birth <= accident_date)
        )
    ):
        if date_of_birth is not None:
            majority = eighteenth_birthday(date_of_birth)
            if accident_date < majority:  # under 18 at the accident (s.28)
                return _years_later(majority, 3, "date_of_birth")
        return _years_later(accident_date, 3, "accident_date")
    period = limitation_period(
        accident_date, date_of_birth=date_of_birth, date_of_knowledge=date_of_knowledge
    )
    if period.deadline is None:  # pragma: no cover - only an unending disability has none
        raise RulesError(
            NO_DEADLINE_WHILE_DISABLED, value=accident_date, field="accident_date",
            reference=_CAPACITY_REFERENCE, code=ErrorCode.VALUE_INVALID,
        )  # fmt: skip
    return period.deadline


#: What "no deadline" means, in the result's words (Limitation Act 1980 s.28).
NO_DEADLINE_WHILE_DISABLED: Final = "no deadline while the disability lasts"
_CAPACITY_REFERENCE: Final = "Limitation Act 1980 ss.28(1), 28(6), 38(2)"
_KNOWLEDGE_REFERENCE: Final = "Limitation Act 1980 ss.11(4)(b), 14"


@final
@frozen
class LimitationPeriod:
    """When the three years run from, and to, with every rule that moved them.

    ``runs_from`` is the day time starts (the accident, the date of knowledge, the 18th
    birthday or the day capacity was regained, whichever is latest); ``deadline`` the
    last day to issue proceedings, or ``None`` while a claimant who lacked capacity when
    the cause of action accrued still lacks it (s.28: time does not run while the
    disability lasts). ``steps`` explains each candidate start, with its reference.
    """

    accident_date: date
    runs_from: date | None
    deadline: date | None
    steps: tuple[tuple[str, date | None, str], ...]

    @property
    def running(self) -> bool:
        """Whether time is running (False while the disability lasts)."""
        return self.deadline is not None

    @property
    def message(self) -> str:
        """The result in one sentence."""
        if self.deadline is None:
            return (
                f"{NO_DEADLINE_WHILE_DISABLED}: the claimant lacked capacity when the cause "
                "of action accrued, and time runs for three years only from the day the "
                "disability ends (Limitation Act 1980 s.28)"
            )
        return f"last day to issue court proceedings: {self.deadline} (three years from {self.runs_from})"

    def __str__(self) -> str:
        rows = [
            [what, "-" if when is None else when.isoformat(), ref] for what, when, ref in self.steps
        ]
        return text_table(["runs from", "date", "reference"], rows, title=self.message)

    def _repr_html_(self) -> str:
        """Render the deadline first, then each candidate start with its rule."""
        rows = [[what, "-" if when is None else when, ref] for what, when, ref in self.steps]
        return html_verdict(self.message, "info" if self.running else None) + html_table(
            ["runs from", "date", "reference"], rows
        )

    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data (``deadline`` is ``null`` while the disability lasts)."""
        return {
            "accident_date": self.accident_date.isoformat(),
            "runs_from": None if self.runs_from is None else self.runs_from.isoformat(),
            "deadline": None if self.deadline is None else self.deadline.isoformat(),
            "running": self.running,
            "message": self.message,
            "steps": [
                {"from": what, "date": None if when is None else when.isoformat(), "reference": ref}
                for what, when, ref in self.steps
            ],
            "reference": LIMITATION_REFERENCE,
        }


def limitation_period(
    accident_date: date,
    *,
    date_of_birth: date | None = None,
    date_of_knowledge: date | None = None,
    lacked_capacity_at_accrual: bool = False,
    capacity_regained_on: date | None = None,
) -> LimitationPeriod:
    """Work out the limitation period for a personal injury claim (Limitation Act 1980).

    Three years (s.11(4)) from the latest of: the accident (when the cause of action
    accrued, s.11(4)(a)); the ``date_of_knowledge`` (s.11(4)(b), s.14; refused if before
    the accident); the 18th birthday of a claimant under 18 at the accident (s.28(1),
    (6)); and, for a claimant who lacked capacity to conduct proceedings when the cause
    of action accrued (``lacked_capacity_at_accrual``, s.28, s.38(2)), the day that
    disability ended (``capacity_regained_on``). While it has not ended there is **no
    deadline**: ``deadline`` is ``None`` and the message says so. A loss of capacity
    after the accident does not stop time (s.28 looks only at the day of accrual), so
    say ``lacked_capacity_at_accrual=False`` for it.

    >>> from datetime import date
    >>> p = limitation_period(date(2022, 6, 1), lacked_capacity_at_accrual=True)
    >>> p.deadline, p.message.split(":")[0]
    (None, 'no deadline while the disability lasts')
    >>> limitation_period(date(2022, 6, 1), lacked_capacity_at_accrual=True,
    ...                   capacity_regained_on=date(2024, 3, 1)).deadline
    datetime.date(2027, 3, 1)
    >>> limitation_period(date(2022, 6, 1), date_of_knowledge=date(2022, 5, 31))
    Traceback (most recent call last):
    ...
    rtaprotocol.errors.RulesError: date_of_knowledge: the date of knowledge cannot be before the accident on 2022-06-01: got datetime.date(2022, 5, 31) [Limitation Act 1980 ss.11(4)(b), 14]
    """
    accident = check_date(accident_date, field="accident_date", reference=LIMITATION_REFERENCE)
    steps: list[tuple[str, date | None, str]] = [
        ("the accident (the cause of action accrued)", accident, "Limitation Act 1980 s.11(4)(a)")
    ]
    if date_of_birth is not None:
        dob = check_date(date_of_birth, field="date_of_birth", reference=LIMITATION_REFERENCE)
        if dob > accident:
            raise RulesError(
                "date of birth is after the accident",
                value=dob,
                field="date_of_birth",
                reference=LIMITATION_REFERENCE,
                code=ErrorCode.VALUE_INVALID,
            )
        majority = eighteenth_birthday(dob)
        if accident < majority:
            steps.append(
                (
                    "the 18th birthday (under 18 at the accident)",
                    majority,
                    "Limitation Act 1980 s.28",
                )
            )
    if date_of_knowledge is not None:
        known = check_date(
            date_of_knowledge, field="date_of_knowledge", reference=_KNOWLEDGE_REFERENCE
        )
        if known < accident:
            raise RulesError(
                f"the date of knowledge cannot be before the accident on {accident}",
                value=date_of_knowledge,
                field="date_of_knowledge",
                reference=_KNOWLEDGE_REFERENCE,
                code=ErrorCode.VALUE_INVALID,
            )
        steps.append(("the date of knowledge", known, _KNOWLEDGE_REFERENCE))
    if not isinstance(lacked_capacity_at_accrual, bool):
        raise wrong_type(
            lacked_capacity_at_accrual,
            "True or False",
            field="lacked_capacity_at_accrual",
            reference=_CAPACITY_REFERENCE,
        )
    if capacity_regained_on is not None and not lacked_capacity_at_accrual:
        raise RulesError(
            "capacity_regained_on is only for a claimant who lacked capacity when the cause "
            "of action accrued (a later loss of capacity does not stop time)",
            value=capacity_regained_on,
            field="capacity_regained_on",
            reference=_CAPACITY_REFERENCE,
            code=ErrorCode.VALUE_INVALID,
        )
    if lacked_capacity_at_accrual:
        if capacity_regained_on is None:
            steps.append(("the end of the disability: not yet", None, _CAPACITY_REFERENCE))
            return LimitationPeriod(
                accident_date=accident, runs_from=None, deadline=None, steps=tuple(steps)
            )
        regained = check_date(
            capacity_regained_on, field="capacity_regained_on", reference=_CAPACITY_REFERENCE
        )
        if regained < accident:
            raise RulesError(
                f"capacity cannot be regained before the accident on {accident} if it was "
                "lacking when the cause of action accrued",
                value=capacity_regained_on,
                field="capacity_regained_on",
                reference=_CAPACITY_REFERENCE,
                code=ErrorCode.VALUE_INVALID,
            )
        steps.append(("the day capacity was regained", regained, _CAPACITY_REFERENCE))
    start = max(when for _, when, _ in steps if when is not None)
    fld = "accident_date"
    for what, when, _ in steps:
        if when == start:
            fld = {
                "the date of knowledge": "date_of_knowledge",
                "the day capacity was regained": "capacity_regained_on",
            }.get(what, "date_of_birth" if "18th" in what else "accident_date")
    return LimitationPeriod(
        accident_date=accident,
        runs_from=start,
        deadline=_years_later(start, 3, fld),
        steps=tuple(steps),
    )


install_views(globals())  # notebook views of every public class (rtaprotocol._views)
