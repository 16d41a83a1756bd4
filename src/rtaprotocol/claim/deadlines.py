"""The claim's deadlines: :class:`Deadline`, one protocol time limit and whether it was met.

Guide 6.3.1, 6.4 to 6.6; the periods themselves are :class:`rtaprotocol.deadlines.Period`.
Import :class:`Deadline` from :mod:`rtaprotocol.claim`.
"""

from __future__ import annotations

from datetime import date
from typing import Any, final

from attrs import frozen

from rtaprotocol._render import jsonable
from rtaprotocol.deadlines import EnglandWalesCalendar, Period, business_days_between
from rtaprotocol.offers import Party

# --- deadlines -----------------------------------------------------------------------------


@final
@frozen
class Deadline:
    """One protocol time limit: who must act, by when, and whether it was met.

    ``met_on`` is the date it was met (``None`` while running); ``late`` says the act
    came after ``due``. ``period`` is the :class:`~rtaprotocol.deadlines.Period` (``None``
    for the limitation deadline, which is in calendar years).

    >>> from datetime import date
    >>> d = Deadline(name="liability response", party=Party.COMPENSATOR,
    ...              period=Period.LIABILITY_RESPONSE, started_on=date(2023, 5, 2),
    ...              due=date(2023, 6, 15), reference="guide 6.3.1")
    >>> d.status(date(2023, 6, 16)), d.days_left(date(2023, 6, 14))
    ('overdue', 1)
    """

    name: str
    party: Party
    period: Period | None
    started_on: date
    due: date
    reference: str
    met_on: date | None = None
    on_expiry: str | None = None

    @property
    def late(self) -> bool:
        """Whether it was met after its due date."""
        return self.met_on is not None and self.met_on > self.due

    def status(self, on: date) -> str:
        """Return ``running``, ``overdue``, ``met`` or ``met late`` as at ``on``.

        ``expired`` instead of ``overdue`` for a deadline whose lapse has a consequence of
        its own (``on_expiry``).
        """
        if self.met_on is not None and self.met_on <= on:
            return "met late" if self.late else "met"
        if on > self.due:
            return "expired" if self.on_expiry is not None else "overdue"
        return "running"

    def days_left(self, on: date, calendar: EnglandWalesCalendar | None = None) -> int:
        """Return the business days from ``on`` to ``due`` (negative when overdue).

        Calendar days for the limitation deadline.
        """
        if self.period is None:
            return (self.due - on).days
        if calendar is None:
            return business_days_between(on, self.due)
        return calendar.business_days_between(on, self.due)

    def to_dict(
        self, on: date | None = None, calendar: EnglandWalesCalendar | None = None
    ) -> dict[str, Any]:
        """Return JSON-ready data; with ``on``, its status and days left then."""
        data: dict[str, Any] = {
            "name": self.name,
            "party": self.party.value,
            "period": None if self.period is None else self.period.value,
            "started_on": jsonable(self.started_on),
            "due": jsonable(self.due),
            "reference": self.reference,
            "met_on": jsonable(self.met_on),
            "late": self.late,
            "on_expiry": self.on_expiry,
        }
        if on is not None:
            data["status"] = self.status(on)
            data["days_left"] = self.days_left(on, calendar)
            data["days_unit"] = "calendar days" if self.period is None else "business days"
        return data
