"""Offers: the portal negotiation as an immutable, event-sourced state machine.

Guide 6.5.3 to 6.5.6. A :class:`Negotiation` starts empty; every action
(:meth:`~Negotiation.offer`, :meth:`~Negotiation.reject`, :meth:`~Negotiation.withdraw`,
:meth:`~Negotiation.accept`, :meth:`~Negotiation.create_court_valuation_form` and the
fee actions) returns a *new* negotiation with one more :class:`Event` in its
``history``. An action the protocol forbids raises
:class:`~rtaprotocol.errors.ProtocolViolation` naming the guide section; the negotiation
it was called on is unchanged (it cannot change). ``Negotiation.replay(history)`` rebuilds
an equal state from the events or from their ``to_dict()`` form, which is how a portal
backend restores a stored negotiation.

The rules, in the guide's words:

- "the compensator can make you up to 3 offers via the portal and you can make up to 3
  counter offers. Each offer that the compensator makes should be higher than the
  previous offer and each offer you make should be lower than the previous offer.
  However, the compensator may also stick with their original offer" (6.5.3.1): equal is
  allowed, lower (higher for the claimant) is refused.
- "if no response to an offer has been made within 10 business days, either side can
  withdraw their offer" (6.5.5): an open offer may be withdrawn only strictly after
  ``due_date(Period.OFFER_WITHDRAWAL, made_on)``. "if you withdraw before the offer is
  rejected it doesn't count as one of your 3 offers".
- Numbering (6.5.5.1): a replacement for an offer withdrawn before it was rejected keeps
  its number; otherwise a party's next offer takes the next number; there is no
  number 4. "if the compensator withdraws their offer after you have made your third
  and final offer, the compensator cannot make a new offer on the portal."
- "If the offer has not been withdrawn, [accepting it after rejecting it] is possible via
  the portal, until the creation of the Court Valuation Form" (6.5.6). Accepting settles
  the claim: "your claim will be closed and cannot be reopened" (6.5.3.1).
- Fees (6.5.3.2): negotiated only once the losses are agreed: one compensator fee
  offer, which the claimant accepts or answers with one counter offer, which the
  compensator accepts or rejects.

>>> from datetime import date
>>> n = Negotiation().offer(Party.COMPENSATOR, 1500, on=date(2023, 5, 2))
>>> n = n.offer(Party.CLAIMANT, 2400, on=date(2023, 5, 4))
>>> n.latest_offer(Party.COMPENSATOR).status
<OfferStatus.REJECTED: 'rejected'>
>>> n = n.accept(Party.CLAIMANT, on=date(2023, 5, 10))  # 6.5.6: a rejected offer, accepted
>>> n.is_settled, n.settled_amount
(True, Decimal('1500.00'))
>>> Negotiation.replay([e.to_dict() for e in n.history]) == n
True

Choices where the guide is ambiguous are set out in docs/offers.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, Final, final

from attrs import field, frozen

from rtaprotocol import _public
from rtaprotocol._decimal import exact
from rtaprotocol._offers_events import (  # noqa: F401 (re-exported)
    _EVENT_FIELDS,
    _EVENT_KEYS,
    EVENT_REFERENCE,
    FEES_REFERENCE,
    LATE_ACCEPTANCE_REFERENCE,
    LIABILITY_REFERENCE,
    MAX_OFFERS,
    NEXT_REFERENCE,
    OFFER_REFERENCE,
    ORDER_REFERENCE,
    PORTAL_CLOSED_REFERENCE,
    WHIPLASH_REPORT_REFERENCE,
    WITHDRAWAL_REFERENCE,
    Event,
    EventKind,
    FeeNegotiation,
    Offer,
    OfferStatus,
    Party,
    _accepted_on,
    _action_date,
    _amount,
    _event_kind,
    _event_problems,
    _fee_offers,
    _field_problems,
    _made_on,
    _number,
    _offer_number,
    _optional_amount,
    _optional_liability,
    _optional_offer_number,
    _optional_party,
    _party,
    _rejected_on,
    _status,
    _withdrawn_on,
)
from rtaprotocol._offers_transitions import (  # noqa: F401 (re-exported)
    _EMPTY,
    _WHIPLASH,
    _accept_target,
    _apply,
    _apply_accept,
    _apply_court_valuation_form,
    _apply_fee_answer,
    _apply_fee_offer,
    _apply_medical_report,
    _apply_offer,
    _apply_reject,
    _apply_withdraw,
    _as_received,
    _calendar,
    _fees_open,
    _portal_open,
    _refusal,
    _report_received,
    _whiplash,
    _withdrawal_from,
)
from rtaprotocol._offers_transitions import _State as _State  # noqa: PLC0414 (_claim_snapshot reads it)
from rtaprotocol._render import Tabular, html_table, html_verdict, jsonable, text_table
from rtaprotocol._views import install_views
from rtaprotocol.deadlines import (
    EnglandWalesCalendar,
)
from rtaprotocol.errors import (
    ErrorCode,
    InputError,
    ProtocolViolation,
    RulesError,
    RulesTypeError,
)
from rtaprotocol.money import ZERO

__all__ = [
    "MAX_OFFERS",
    "AllowedActions",
    "Event",
    "EventKind",
    "FeeNegotiation",
    "Negotiation",
    "Offer",
    "OfferStatus",
    "Party",
]

# Defined in the private modules above, named here (reprs, docs, pickles, doctests).
_public.publish(
    globals(),
    ["MAX_OFFERS", "Party", "OfferStatus", "EventKind", "Offer", "Event", "FeeNegotiation"],
)

_OFFER_HEADERS: Final = ("party", "number", "amount", "made on", "status", "counts")
_COUNT_HEADERS: Final = ("party", "offers counted", "offers left")
_FEE_HEADERS: Final = ("party", "amount", "made on", "status")


@final
@frozen
class AllowedActions(Tabular):
    """What one party may do on the portal on a date, and why not the rest.

    ``actions`` are :class:`EventKind` slugs; ``acceptable_offers`` the numbers of the
    other side's offers this party may accept; ``next_offer_number`` the number its
    next offer would take; ``offer_limit`` the least (compensator) or most (claimant)
    it may offer, as worth after the offer's share of liability when offers state one
    (:attr:`Offer.worth`; otherwise the amount); ``withdraw_from`` the first day its open offer may be withdrawn, when
    that day is still to come; ``refused`` each other action with its reason and rule.
    Guide 6.5.5 ("each side can choose to accept, reject or go back with a further
    offer").

    >>> from datetime import date
    >>> n = Negotiation().offer(Party.COMPENSATOR, 1000, on=date(2023, 5, 2))
    >>> a = n.allowed_actions(Party.CLAIMANT, date(2023, 5, 2))
    >>> a.offer_limit is None, a.refused[0][0]   # no previous claimant offer: no limit
    (True, 'withdraw')
    """

    _headers = ("action", "allowed", "detail")

    party: Party
    on: date
    actions: tuple[str, ...]
    acceptable_offers: tuple[int, ...]
    next_offer_number: int | None
    offer_limit: Decimal | None
    withdraw_from: date | None
    refused: tuple[tuple[str, str, str], ...]

    @exact
    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data."""
        return {
            "party": self.party.value,
            "on": jsonable(self.on),
            "actions": list(self.actions),
            "acceptable_offers": list(self.acceptable_offers),
            "next_offer_number": self.next_offer_number,
            "offer_limit": jsonable(self.offer_limit),
            "withdraw_from": jsonable(self.withdraw_from),
            "refused": [
                {"action": a, "reason": why, "reference": ref} for a, why, ref in self.refused
            ],
        }

    def _rows(self) -> list[list[Any]]:
        rows: list[list[Any]] = []
        for action in self.actions:
            note = ""
            if action == EventKind.OFFER.value:
                bound = "at least" if self.party is Party.COMPENSATOR else "at most"
                note = f"offer {self.next_offer_number}"
                if self.offer_limit is not None:
                    note += f", {bound} £{self.offer_limit:,.2f}"
            elif action == EventKind.ACCEPT.value:
                note = "offer " + ", ".join(str(n) for n in self.acceptable_offers)
            rows.append([action, "yes", note])
        rows.extend([action, "no", f"{why} [{ref}]"] for action, why, ref in self.refused)
        return rows

    def _title(self) -> str:
        return f"{self.party.value} on {self.on}"


@final
@frozen(repr=False)
class Negotiation:
    """The portal negotiation, event by event (guide 6.5.3 to 6.5.6).

    ``Negotiation()`` starts empty; ``calendar`` (default ``None``: England & Wales bank
    holidays as shipped) decides the ten business days before an unanswered offer may be
    withdrawn. Actions take a keyword-only ``on`` date, never earlier than the previous
    action's (an earlier one raises :class:`~rtaprotocol.errors.RulesError`).

    Two negotiations are equal when they hold the same events under the same calendar;
    the state is a function of those, so ``Negotiation.replay(n.history,
    calendar=n.calendar) == n``.

    >>> from datetime import date
    >>> n = Negotiation().offer(Party.COMPENSATOR, 1000, on=date(2023, 5, 2))
    >>> n.withdraw(Party.COMPENSATOR, on=date(2023, 5, 17))  # the 10th business day (8 May: holiday)
    Traceback (most recent call last):
    ...
    rtaprotocol.errors.ProtocolViolation: on: an open offer may be withdrawn only after 10 business days with no response: offer 1 made on 2023-05-02 may be withdrawn from 2023-05-18: got datetime.date(2023, 5, 17) [guide 6.5.5]
    >>> n = n.withdraw(Party.COMPENSATOR, on=date(2023, 5, 18))
    >>> n.offer(Party.COMPENSATOR, 900, on=date(2023, 5, 18)).latest_offer(Party.COMPENSATOR).number
    1
    """

    calendar: EnglandWalesCalendar | None = field(default=None, converter=_calendar)
    whiplash: bool = field(default=False, kw_only=True, converter=_whiplash)
    _history: tuple[Event, ...] = field(init=False, default=())
    _state: _State = field(init=False, default=_EMPTY, eq=False)

    def __attrs_post_init__(self) -> None:
        if self.whiplash:
            # attrs' documented way to set fields of a frozen instance it has just made.
            object.__setattr__(self, "_state", _WHIPLASH)

    # --- building -----------------------------------------------------------------------

    @exact
    def apply(self, event: Event | Mapping[str, Any]) -> Negotiation:
        """Return the negotiation after one more event (an :class:`Event` or its dict).

        >>> from datetime import date
        >>> Negotiation().apply({"kind": "offer", "on": "2023-05-02", "party": "claimant",
        ...                      "amount": "900"})
        Traceback (most recent call last):
        ...
        rtaprotocol.errors.ProtocolViolation: the compensator makes the first offer; the claimant may counter offer only after it: got 'claimant' [guide 6.5.3.1]
        """
        if isinstance(event, Event):
            return self._next(event, {})
        return self._next(Event.from_dict(event), event)

    def _next(self, event: Event, given: Mapping[Any, Any]) -> Negotiation:
        """Return the negotiation after ``event``; ``given`` holds its fields as received."""
        try:
            state, recorded = _apply(self._state, event, self.calendar)
        except RulesError as err:
            refusal = _as_received(err, event, given)
            if isinstance(refusal, ProtocolViolation):
                refusal.fill(party=event.party, action=event.kind, state=self.stage)
            raise refusal from None
        new = Negotiation(calendar=self.calendar, whiplash=self.whiplash)
        # attrs' documented way to set fields of a frozen instance it has just made.
        object.__setattr__(new, "_history", (*self._history, recorded))
        object.__setattr__(new, "_state", state)
        return new

    @classmethod
    @exact
    def replay(
        cls,
        events: Iterable[Event | Mapping[str, Any]],
        *,
        calendar: EnglandWalesCalendar | None = None,
        whiplash: bool = False,
    ) -> Negotiation:
        """Rebuild a negotiation from its events (as in ``history``, or their dicts).

        A dict that is not a valid event raises :class:`~rtaprotocol.errors.RulesError`
        naming its position (``events[2].amount``); several problems, in one event or
        across them, raise :class:`~rtaprotocol.errors.InvalidInput` listing every one
        before any event is applied; an event the protocol forbids raises
        :class:`~rtaprotocol.errors.ProtocolViolation`.

        >>> Negotiation.replay([{"kind": "offer", "on": "2023-05-02", "party": "compensator",
        ...                      "amount": "1.005"}])
        Traceback (most recent call last):
        ...
        rtaprotocol.errors.RulesError: events[0].amount: amount has more than two decimal places of value: got '1.005' [amounts are pounds and pence, never negative (guide 4.4, 6.5.2)]
        """
        if isinstance(events, str | bytes | Mapping) or not isinstance(events, Iterable):
            raise RulesTypeError(
                "expected a list of events", value=events, field="events", reference=EVENT_REFERENCE
            )
        listed = list(events)
        found = [
            problem
            for i, event in enumerate(listed)
            if not isinstance(event, Event)
            for problem in _event_problems(event, f"events[{i}]")
        ]
        if len(found) > 1:  # every bad field of every event, before any is applied
            raise InputError(found, reference=EVENT_REFERENCE)
        n = cls(calendar=calendar, whiplash=whiplash)
        for i, event in enumerate(listed):
            try:
                if isinstance(event, Event):
                    n = n.apply(event)
                else:
                    n = n._next(Event.from_dict(event, where=f"events[{i}]"), event)
            except RulesError as err:  # noqa: PERF203 - a refusal says which event it is
                if not (err.pointer or "").startswith("/events/"):  # a reader's is located
                    err.pointer = f"/events/{i}{err.pointer or ''}"
                raise
        return n

    @classmethod
    @exact
    def from_json(
        cls,
        text: str | bytes,
        *,
        calendar: EnglandWalesCalendar | None = None,
        whiplash: bool = False,
    ) -> Negotiation:
        """Rebuild a negotiation from JSON text holding its list of events (:meth:`replay`).

        The text is read by :func:`rtaprotocol.json.loads` (bounded, exact numbers,
        duplicate keys refused).

        >>> Negotiation.from_json('[{"kind": "offer", "on": "2023-05-02", "party": "compensator", '
        ...                       '"amount": "1000"}]').latest_offer(Party.COMPENSATOR).amount
        Decimal('1000.00')
        """
        from rtaprotocol.json import loads

        return cls.replay(loads(text), calendar=calendar, whiplash=whiplash)

    @exact
    def offer(
        self, party: Party, amount: Any, *, on: date, liability_percent: Any = None
    ) -> Negotiation:
        """``party`` makes an offer of ``amount`` (guide 6.5.3.1, 6.5.5, 6.5.5.1).

        ``liability_percent`` (optional): the compensator's share of liability the offer
        is made on, when liability is negotiated at the offer stage (guide 6.3.1.1,
        6.5.2); offers are then compared by what they are worth after it
        (:attr:`Offer.worth`). Without it an offer is compared by its amount.

        The compensator offers first. A party waits for a response to its open offer (or
        withdraws it) before offering again; its new offer rejects the other side's open
        one. The compensator may not go lower than its previous offer not withdrawn, the
        claimant not higher; equal is allowed ("the compensator may also stick with their
        original offer").

        >>> from datetime import date
        >>> n = Negotiation().offer(Party.COMPENSATOR, 1000, on=date(2023, 5, 2))
        >>> n = n.offer(Party.CLAIMANT, 2000, on=date(2023, 5, 3))
        >>> n.offer(Party.COMPENSATOR, 1000, on=date(2023, 5, 4)).offers_counted(Party.COMPENSATOR)
        2
        >>> n.offer(Party.COMPENSATOR, 999, on=date(2023, 5, 4))
        Traceback (most recent call last):
        ...
        rtaprotocol.errors.ProtocolViolation: amount: a compensator's offer may not be lower than its previous offer (1: £1,000.00): got 999 [guide 6.5.3.1]
        """
        event = Event(
            kind=EventKind.OFFER,
            on=on,
            party=_party(party),
            amount=amount,
            liability_percent=liability_percent,
        )
        return self._next(
            event,
            {"on": on, "party": party, "amount": amount, "liability_percent": liability_percent},
        )

    @exact
    def reject(self, party: Party, *, on: date) -> Negotiation:
        """``party`` rejects the other side's open offer (guide 6.5.5).

        >>> from datetime import date
        >>> n = Negotiation().offer(Party.COMPENSATOR, 1000, on=date(2023, 5, 2))
        >>> n = n.reject(Party.CLAIMANT, on=date(2023, 5, 3))
        >>> n.reject(Party.CLAIMANT, on=date(2023, 5, 4))
        Traceback (most recent call last):
        ...
        rtaprotocol.errors.ProtocolViolation: the compensator's offer 1 is rejected, not open: only an open offer can be rejected: got 1 [guide 6.5.5]
        """
        event = Event(kind=EventKind.REJECT, on=on, party=_party(party))
        return self._next(event, {"on": on, "party": party})

    @exact
    def withdraw(self, party: Party, *, on: date) -> Negotiation:
        """``party`` withdraws its latest offer (guide 6.5.5, 6.5.5.1).

        An open offer only strictly after ten business days with no response; a rejected
        one at any time (so it can no longer be accepted under guide 6.5.6); an accepted
        or withdrawn one never. A compensator withdrawing after the claimant's third
        offer may make no new offer.

        >>> from datetime import date
        >>> n = Negotiation().offer(Party.COMPENSATOR, 1000, on=date(2023, 5, 2))
        >>> n = n.reject(Party.CLAIMANT, on=date(2023, 5, 3))
        >>> n.withdraw(Party.COMPENSATOR, on=date(2023, 5, 3)).offers_counted(Party.COMPENSATOR)
        1
        """
        event = Event(kind=EventKind.WITHDRAW, on=on, party=_party(party))
        return self._next(event, {"on": on, "party": party})

    @exact
    def accept(self, party: Party, *, on: date, offer_number: int | None = None) -> Negotiation:
        """``party`` accepts an offer of the other side, settling the claim (guide 6.5.6).

        By default the other side's latest offer not withdrawn; with ``offer_number``,
        that offer, open or rejected earlier, if it was not withdrawn. After it every
        action raises.

        >>> from datetime import date
        >>> n = Negotiation().offer(Party.COMPENSATOR, 1000, on=date(2023, 5, 2))
        >>> n = n.offer(Party.CLAIMANT, 2000, on=date(2023, 5, 3))
        >>> n = n.offer(Party.COMPENSATOR, 1200, on=date(2023, 5, 4))
        >>> n.accept(Party.CLAIMANT, on=date(2023, 5, 5), offer_number=1).settled_amount
        Decimal('1000.00')
        >>> n.accept(Party.COMPENSATOR, on=date(2023, 5, 5), offer_number=2)
        Traceback (most recent call last):
        ...
        rtaprotocol.errors.ProtocolViolation: offer_number: the claimant has made no offer 2: got 2 [guide 6.5.6]
        """
        event = Event(kind=EventKind.ACCEPT, on=on, party=_party(party), offer_number=offer_number)
        return self._next(event, {"on": on, "party": party, "offer_number": offer_number})

    @exact
    def create_court_valuation_form(self, *, on: date) -> Negotiation:
        """Record the Court Valuation Form: the portal negotiation ends (guide 6.5.5, 6.5.6).

        It may come "at any stage after the first offer" (guide 6.5.3.1). After it,
        withdrawals and acceptances go by written notice, so every action here raises.

        >>> from datetime import date
        >>> n = Negotiation().offer(Party.COMPENSATOR, 1000, on=date(2023, 5, 2))
        >>> n = n.create_court_valuation_form(on=date(2023, 6, 1))
        >>> n.accept(Party.CLAIMANT, on=date(2023, 6, 2))
        Traceback (most recent call last):
        ...
        rtaprotocol.errors.ProtocolViolation: the Court Valuation Form has been created, so no acceptance on the portal: withdrawals and acceptances now go by written notice: got datetime.date(2023, 6, 1) [guide 6.5.5, 6.5.6]
        """
        return self._next(Event(kind=EventKind.COURT_VALUATION_FORM, on=on), {"on": on})

    @exact
    def receive_medical_report(self, *, on: date) -> Negotiation:
        """Record that the medical report was received on ``on`` (CLA 2018 s.6; guide 6.4.2).

        For a whiplash claim (``Negotiation(whiplash=True)``) no offer may be made, and
        none accepted, before this event: an offer to settle a whiplash claim before the
        medical report is not allowed (CLA 2018 s.6; guide 6.4.1.2). A further report
        is recorded too; the first one's date is kept.

        >>> from datetime import date
        >>> n = Negotiation(whiplash=True)
        >>> n.offer(Party.COMPENSATOR, 240, on=date(2023, 5, 2))
        Traceback (most recent call last):
        ...
        rtaprotocol.errors.ProtocolViolation: a whiplash claim cannot be offered on or settled before the medical report is received: got 240 [Civil Liability Act 2018 s.6; guide 6.4.1.2]
        >>> n = n.receive_medical_report(on=date(2023, 5, 2))
        >>> n.offer(Party.COMPENSATOR, 240, on=date(2023, 5, 2)).medical_report_on
        datetime.date(2023, 5, 2)
        """
        return self.apply(Event(kind=EventKind.MEDICAL_REPORT, on=on))

    @exact
    def offer_fees(self, party: Party, amount: Any, *, on: date) -> Negotiation:
        """Record a fee offer: the compensator's, or the claimant's counter offer (6.5.3.2).

        Only once the losses are agreed; each side makes one.

        >>> from datetime import date
        >>> Negotiation().offer(Party.COMPENSATOR, 1000, on=date(2023, 5, 2)).offer_fees(
        ...     Party.COMPENSATOR, 100, on=date(2023, 5, 2))
        Traceback (most recent call last):
        ...
        rtaprotocol.errors.ProtocolViolation: fees are negotiated only once the settlement of the losses is agreed [guide 6.5.3.2]
        """
        event = Event(kind=EventKind.FEE_OFFER, on=on, party=_party(party), amount=amount)
        return self._next(event, {"on": on, "party": party, "amount": amount})

    @exact
    def accept_fees(self, party: Party, *, on: date) -> Negotiation:
        """``party`` accepts the other side's open fee offer (guide 6.5.3.2).

        >>> from datetime import date
        >>> n = Negotiation().offer(Party.COMPENSATOR, 1000, on=date(2023, 5, 2))
        >>> n = n.accept(Party.CLAIMANT, on=date(2023, 5, 3))
        >>> n = n.offer_fees(Party.COMPENSATOR, 150, on=date(2023, 5, 3))
        >>> n.accept_fees(Party.CLAIMANT, on=date(2023, 5, 4)).fees.agreed_amount
        Decimal('150.00')
        """
        event = Event(kind=EventKind.FEE_ACCEPT, on=on, party=_party(party))
        return self._next(event, {"on": on, "party": party})

    @exact
    def reject_fees(self, party: Party, *, on: date) -> Negotiation:
        """Reject, as the compensator, the claimant's fee counter offer (guide 6.5.3.2).

        "If they reject your counter offer, you can start preparing separate court
        proceedings for recovery of your fees": the fee negotiation is then over.

        >>> from datetime import date
        >>> n = Negotiation().offer(Party.COMPENSATOR, 1000, on=date(2023, 5, 2))
        >>> n = n.accept(Party.CLAIMANT, on=date(2023, 5, 3))
        >>> n = n.offer_fees(Party.COMPENSATOR, 150, on=date(2023, 5, 3))
        >>> n = n.offer_fees(Party.CLAIMANT, 400, on=date(2023, 5, 4))
        >>> n.reject_fees(Party.COMPENSATOR, on=date(2023, 5, 5)).fees.goes_to_court
        True
        """
        event = Event(kind=EventKind.FEE_REJECT, on=on, party=_party(party))
        return self._next(event, {"on": on, "party": party})

    # --- queries ------------------------------------------------------------------------

    @property
    @exact
    def history(self) -> tuple[Event, ...]:
        """Every event so far, in order (each has ``to_dict()``)."""
        return self._history

    @property
    @exact
    def last_action_on(self) -> date | None:
        """The date of the latest event, or ``None`` before any."""
        return self._state.last_on

    @exact
    def offers(self, party: Party) -> tuple[Offer, ...]:
        """Return every offer ``party`` has made, in order, withdrawn ones included.

        A replacement shares the number of the offer it replaced (guide 6.5.5.1):

        >>> from datetime import date
        >>> n = Negotiation().offer(Party.COMPENSATOR, 1000, on=date(2023, 5, 2))
        >>> n = n.withdraw(Party.COMPENSATOR, on=date(2023, 5, 18))
        >>> n = n.offer(Party.COMPENSATOR, 1000, on=date(2023, 5, 18))
        >>> [(o.number, o.status.value) for o in n.offers(Party.COMPENSATOR)]
        [(1, 'withdrawn'), (1, 'open')]
        """
        return self._state.of(_party(party))

    @exact
    def latest_offer(self, party: Party) -> Offer | None:
        """Return ``party``'s most recent offer, whatever its status, or ``None``.

        >>> Negotiation().latest_offer(Party.CLAIMANT) is None
        True
        """
        return self._state.latest(_party(party))

    @exact
    def offers_counted(self, party: Party) -> int:
        """Return how many of ``party``'s three offers are used (guide 6.5.5, 6.5.5.1).

        The next offer number minus one: an offer withdrawn before it was rejected does
        not count.

        >>> from datetime import date
        >>> Negotiation().offers_counted(Party.CLAIMANT)
        0
        """
        return self._state.next_number(_party(party)) - 1

    @exact
    def offers_left(self, party: Party) -> int:
        """Return how many more offers ``party`` may make: 3 minus those counted.

        0 for a compensator that withdrew after the claimant's third offer (6.5.5.1).

        >>> from datetime import date
        >>> n = Negotiation().offer(Party.COMPENSATOR, 1000, on=date(2023, 5, 2))
        >>> for i, amount in enumerate([3000, 2800, 2500]):  # each rejected outright
        ...     n = n.offer(Party.CLAIMANT, amount, on=date(2023, 5, 3 + i))
        ...     if i < 2:
        ...         n = n.reject(Party.COMPENSATOR, on=date(2023, 5, 3 + i))
        >>> n.offers_left(Party.COMPENSATOR)
        2
        >>> n.withdraw(Party.COMPENSATOR, on=date(2023, 5, 5)).offers_left(Party.COMPENSATOR)
        0
        """
        p = _party(party)
        if p is Party.COMPENSATOR and self._state.compensator_barred:
            return 0
        return MAX_OFFERS - self.offers_counted(p)

    @property
    @exact
    def is_settled(self) -> bool:
        """Whether an offer on the losses has been accepted (guide 6.5.3.1).

        A rejection is not a settlement:

        >>> from datetime import date
        >>> n = Negotiation().offer(Party.COMPENSATOR, 1000, on=date(2023, 5, 2))
        >>> n.reject(Party.CLAIMANT, on=date(2023, 5, 3)).is_settled
        False
        """
        return self._state.accepted is not None

    @property
    @exact
    def settled_offer(self) -> Offer | None:
        """The accepted offer, or ``None``."""
        return self._state.accepted

    @property
    @exact
    def settled_amount(self) -> Decimal | None:
        """The amount of the accepted offer, or ``None`` while unsettled (guide 6.5.6).

        >>> Negotiation().settled_amount is None
        True
        """
        return None if self._state.accepted is None else self._state.accepted.amount

    @property
    @exact
    def court_valuation_form_on(self) -> date | None:
        """The date the Court Valuation Form was created, or ``None``."""
        return self._state.court_valuation_form_on

    @property
    @exact
    def fees(self) -> FeeNegotiation | None:
        """The fee negotiation: ``None`` until the losses are agreed (guide 6.5.3.2)."""
        if self._state.accepted is None:
            return None
        return FeeNegotiation(self._state.fee_offers)

    @property
    @exact
    def medical_report_on(self) -> date | None:
        """The day the (first) medical report was received, if recorded (guide 6.4.2)."""
        return self._state.medical_report_on

    @property
    @exact
    def stage(self) -> str:
        """One phrase saying where the negotiation stands."""
        if self._state.accepted is not None:
            return "settled"
        if self._state.court_valuation_form_on is not None:
            return "Court Valuation Form created"
        if self.whiplash and self._state.medical_report_on is None:
            return "awaiting the medical report (whiplash claim)"
        if not self._state.offers:
            return "awaiting the compensator's first offer"
        return "negotiating"

    @exact
    def allowed_actions(self, party: Party, on: date) -> AllowedActions:
        """Return what ``party`` may do on ``on``, and the reason for each refusal.

        Each action is tried against the rules, so the answer always agrees with what
        the actions themselves do. ``withdraw_from`` gives the first day an open offer
        may be withdrawn when ``on`` is before it.

        >>> from datetime import date
        >>> n = Negotiation().offer(Party.COMPENSATOR, 1000, on=date(2023, 5, 2))
        >>> a = n.allowed_actions(Party.COMPENSATOR, date(2023, 5, 3))
        >>> a.actions, a.withdraw_from
        (('court-valuation-form',), datetime.date(2023, 5, 18))
        >>> n.allowed_actions(Party.CLAIMANT, date(2023, 5, 3)).to_dict()["actions"]
        ['offer', 'reject', 'accept', 'court-valuation-form']
        """
        p = _party(party)
        day = _action_date(on)
        state = self._state
        if state.last_on is not None and day < state.last_on:
            raise RulesError(
                f"a date before the previous action ({state.last_on})",
                value=on,
                field="on",
                reference=ORDER_REFERENCE,
                code=ErrorCode.ORDER_BEFORE_PREVIOUS,
            )
        standing = [o for o in state.of(p) if o.status is not OfferStatus.WITHDRAWN]
        limit = standing[-1].worth if standing else None  # its amount when it states no share
        tries: list[tuple[str, Event]] = [
            ("offer", Event(kind=EventKind.OFFER, on=day, party=p, amount=limit or ZERO)),
            ("reject", Event(kind=EventKind.REJECT, on=day, party=p)),
            ("withdraw", Event(kind=EventKind.WITHDRAW, on=day, party=p)),
            ("accept", Event(kind=EventKind.ACCEPT, on=day, party=p)),
            ("court-valuation-form", Event(kind=EventKind.COURT_VALUATION_FORM, on=day)),
            ("fee-offer", Event(kind=EventKind.FEE_OFFER, on=day, party=p, amount=ZERO)),
            ("fee-accept", Event(kind=EventKind.FEE_ACCEPT, on=day, party=p)),
            ("fee-reject", Event(kind=EventKind.FEE_REJECT, on=day, party=p)),
        ]
        actions: list[str] = []
        refused: list[tuple[str, str, str]] = []
        for name, event in tries:
            err = _refusal(state, event, self.calendar)
            if err is None:
                actions.append(name)
            else:
                refused.append((name, err.message, err.reference))
        acceptable = tuple(
            n
            for n in sorted({o.number for o in state.of(p.other)})
            if _refusal(
                state, Event(kind=EventKind.ACCEPT, on=day, party=p, offer_number=n), self.calendar
            )
            is None
        )
        own = state.latest(p)
        withdraw_from = None
        if (
            own is not None
            and own.status is OfferStatus.OPEN
            and state.accepted is None
            and state.court_valuation_form_on is None
        ):
            first = _withdrawal_from(own, self.calendar)
            withdraw_from = first if day < first else None
        return AllowedActions(
            party=p,
            on=day,
            actions=tuple(actions),
            acceptable_offers=acceptable,
            next_offer_number=state.next_number(p) if "offer" in actions else None,
            offer_limit=limit if "offer" in actions else None,
            withdraw_from=withdraw_from,
            refused=tuple(refused),
        )

    # --- rendering ----------------------------------------------------------------------

    def _offer_rows(self) -> list[list[Any]]:
        return [
            [
                o.party.value,
                o.number,
                o.amount,
                o.made_on,
                o.status.value,
                "yes" if o.counts else "no",
            ]
            for o in self._state.offers
        ]

    def _title(self) -> str:
        title = f"Negotiation: {self.stage}"
        if self.settled_amount is not None:
            title += f" at £{self.settled_amount:,.2f}"
        return title

    def _count_rows(self) -> list[list[Any]]:
        return [[p.value, self.offers_counted(p), self.offers_left(p)] for p in Party]

    def _fee_section(self) -> tuple[str, list[list[Any]]] | None:
        fees = self.fees
        if fees is None:
            return None
        rows = [[o.party.value, o.amount, o.made_on, o.status.value] for o in fees.offers]
        return f"Fees: {fees.stage}", rows

    @exact
    def __str__(self) -> str:
        """Render the stage, every offer and each side's offers used and left."""
        parts = [text_table(_OFFER_HEADERS, self._offer_rows(), title=self._title())]
        parts.append(text_table(_COUNT_HEADERS, self._count_rows()))
        fees = self._fee_section()
        if fees is not None:
            parts.append(text_table(_FEE_HEADERS, fees[1], title=fees[0]))
        return "\n\n".join(parts)

    @exact
    def __repr__(self) -> str:
        return f"<Negotiation: {self.stage}, {len(self._history)} events>"

    @exact
    def _repr_html_(self) -> str:
        """Render the stage first, every offer, each side's offers counted and left, fees."""
        parts = [
            html_verdict(self._title(), True if self.settled_amount is not None else "info"),
            html_table(list(_OFFER_HEADERS), self._offer_rows(), caption="Offers"),
            html_table(_COUNT_HEADERS, self._count_rows(), caption="The three offers each"),
        ]
        fees = self._fee_section()
        if fees is not None:
            parts.append(html_table(_FEE_HEADERS, fees[1], caption=fees[0]))
        return "".join(parts)

    @exact
    def to_dict(self) -> dict[str, Any]:
        """Return the state and the full history as JSON-ready data.

        >>> Negotiation().to_dict()["stage"]
        "awaiting the compensator's first offer"
        """
        fees = self.fees
        cal = self.calendar
        return {
            "stage": self.stage,
            "settled_amount": jsonable(self.settled_amount),
            "settled_offer": None if self.settled_offer is None else self.settled_offer.to_dict(),
            "court_valuation_form_on": jsonable(self.court_valuation_form_on),
            "whiplash": self.whiplash,
            "medical_report_on": jsonable(self.medical_report_on),
            "offers": [o.to_dict() for o in self._state.offers],
            "offers_counted": {p.value: self.offers_counted(p) for p in Party},
            "offers_left": {p.value: self.offers_left(p) for p in Party},
            "fees": None if fees is None else fees.to_dict(),
            "extra_holidays": [] if cal is None else jsonable(sorted(cal.extra_holidays)),
            "extra_business_days": [] if cal is None else jsonable(sorted(cal.extra_business_days)),
            "history": [e.to_dict() for e in self._history],
        }


install_views(globals())  # notebook views of every public class (rtaprotocol._views)
