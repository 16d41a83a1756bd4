"""The claim's deadlines: :class:`Deadline`, one protocol time limit and whether it was met.

Guide 6.3.1, 6.4 to 6.6; the periods themselves are :class:`rtaprotocol.deadlines.Period`.
Import :class:`Deadline` from :mod:`rtaprotocol.claim`.

Each deadline a claim lists is built by one function below (its name, party, period and
reference), from the dates that start it and end it: ``claim/queries`` lists it while it
runs, and the reducer that meets it records the same deadline with ``met_on`` set
(:func:`_met`).
"""

from __future__ import annotations

from datetime import date
from typing import Any, final

from attrs import evolve, frozen

from rtaprotocol._render import jsonable
from rtaprotocol.claim.kinds import INTERIM_REFERENCE, LIMITATION_REFERENCE, Compensator
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


# --- each deadline of the claim, in one place ------------------------------------------------


def _met(d: Deadline, on: date) -> Deadline:
    """Return ``d`` met on ``on``: the deadline a reducer records when the act is done.

    Recorded without ``on_expiry``, as the claim has always recorded a met deadline (the
    notice disputing the injury is the only one with a consequence of its lapse): a
    snapshot stored earlier still equals the claim replayed from its events.
    """
    return evolve(d, met_on=on, on_expiry=None)


def _compensators(
    name: str, period: Period, started_on: date, due: date, reference: str | None = None
) -> Deadline:
    """Return the compensator's deadline ``name``: ``period``'s reference unless given."""
    return Deadline(
        name=name,
        party=Party.COMPENSATOR,
        period=period,
        started_on=started_on,
        due=due,
        reference=period.reference if reference is None else reference,
    )


def _liability_response(compensator: Compensator, started_on: date, due: date) -> Deadline:
    """Return the compensator's response on liability (guide 6.3.1; the MIB has longer)."""
    mib = compensator is Compensator.MIB
    period = Period.LIABILITY_RESPONSE_MIB if mib else Period.LIABILITY_RESPONSE
    return _compensators("liability response", period, started_on, due)


def _interim_response(requested_on: date, due: date) -> Deadline:
    """Return the compensator's answer to an interim payment request (guide 6.3.1.4)."""
    period = Period.INTERIM_PAYMENT_RESPONSE
    return _compensators("interim payment response", period, requested_on, due)


def _interim_payment(requested_on: date, due: date) -> Deadline:
    """Return the payment of an interim payment agreed, not yet paid (guide 6.3.1.4)."""
    name = "payment of the agreed interim payment"
    period = Period.INTERIM_PAYMENT_RESPONSE
    return _compensators(name, period, requested_on, due, INTERIM_REFERENCE)


def _further_instructions(acknowledged_on: date, due: date) -> Deadline:
    """Return the instructions for a further medical report acknowledged (guide 6.4.2.2)."""
    period = Period.FURTHER_MEDICAL_INSTRUCTIONS
    return _compensators("further medical report instructions", period, acknowledged_on, due)


def _compensator_offer(requested_on: date, due: date) -> Deadline:
    """Return the compensator's first offer once the claimant asks for one (guide 6.5.3.1)."""
    return _compensators("compensator's offer", Period.OFFER, requested_on, due)


def _injury_dispute(requested_on: date, due: date) -> Deadline:
    """Return the notice disputing the injury; its lapse admits causation (guide 6.5.4)."""
    d = _compensators("notice disputing the injury", Period.INJURY_DISPUTE, requested_on, due)
    return evolve(d, on_expiry="causation deemed admitted")


def _settlement_payment(period: Period, closed_on: date, due: date) -> Deadline:
    """Return the payment of the settlement, in the period it gives (guide 6.6.2)."""
    return _compensators("payment of the settlement", period, closed_on, due)


def _limitation(accident_on: date, due: date) -> Deadline:
    """Return the issue of proceedings before limitation, in years (guide 5.4, 6.6.3.1)."""
    return Deadline(
        name="limitation: issue court proceedings",
        party=Party.CLAIMANT,
        period=None,
        started_on=accident_on,
        due=due,
        reference=LIMITATION_REFERENCE,
    )
