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
from datetime import date, timedelta
from decimal import Decimal
from enum import Enum
from typing import Any, Final, final

from attrs import evolve, field, frozen

from rtaprotocol._checks import check_enum, check_int, parse_iso_date, with_article
from rtaprotocol._decimal import exact
from rtaprotocol._render import Tabular, html_table, html_verdict, jsonable, text_table
from rtaprotocol._views import install_views
from rtaprotocol.deadlines import (
    EnglandWalesCalendar,
    Period,
    due_date,
    supported_date,
)
from rtaprotocol.errors import (
    InputError,
    ProtocolViolation,
    RulesError,
    RulesTypeError,
    _shorten,
    json_pointer,
)
from rtaprotocol.money import ZERO, format_money, round_penny, to_money, to_percent

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

#: Offers each side may make on the portal (guide 6.5.3.1, 6.5.5).
MAX_OFFERS: Final = 3

OFFER_REFERENCE: Final = "guide 6.5.3.1"
WITHDRAWAL_REFERENCE: Final = "guide 6.5.5"
NEXT_REFERENCE: Final = "guide 6.5.5.1"
LATE_ACCEPTANCE_REFERENCE: Final = "guide 6.5.6"
FEES_REFERENCE: Final = "guide 6.5.3.2"
PORTAL_CLOSED_REFERENCE: Final = "guide 6.5.5, 6.5.6"
EVENT_REFERENCE: Final = "portal offer events: offer, reject, withdraw, accept (guide 6.5.3)"
WHIPLASH_REPORT_REFERENCE: Final = "Civil Liability Act 2018 s.6; guide 6.4.1.2"
ORDER_REFERENCE: Final = "portal actions are recorded in the order they happen (guide 6.5.3)"
LIABILITY_REFERENCE: Final = "guide 6.3.1.1, 6.5.2, 6.5.3"


class Party(Enum):
    """The two sides of the negotiation (guide 6.5.3.1).

    >>> Party("claimant").other
    <Party.COMPENSATOR: 'compensator'>
    """

    COMPENSATOR = "compensator"
    CLAIMANT = "claimant"

    @property
    def other(self) -> Party:
        """Return the other side."""
        return Party.CLAIMANT if self is Party.COMPENSATOR else Party.COMPENSATOR


class OfferStatus(Enum):
    """Where an offer stands (guide 6.5.5: "left 'open' on the portal").

    >>> [s.value for s in OfferStatus]
    ['open', 'rejected', 'withdrawn', 'accepted']
    """

    OPEN = "open"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    ACCEPTED = "accepted"


class EventKind(Enum):
    """The kinds of :class:`Event`, by their stable slugs (guide 6.5.3 to 6.5.6).

    >>> EventKind("court-valuation-form")
    <EventKind.COURT_VALUATION_FORM: 'court-valuation-form'>
    """

    OFFER = "offer"
    REJECT = "reject"
    WITHDRAW = "withdraw"
    ACCEPT = "accept"
    COURT_VALUATION_FORM = "court-valuation-form"
    FEE_OFFER = "fee-offer"
    FEE_REJECT = "fee-reject"
    FEE_ACCEPT = "fee-accept"
    MEDICAL_REPORT = "medical-report"


# Fields each kind of event takes: (required, optional), beyond "kind" and "on".
_EVENT_FIELDS: Final[dict[EventKind, tuple[frozenset[str], frozenset[str]]]] = {
    EventKind.OFFER: (frozenset({"party", "amount"}), frozenset({"liability_percent"})),
    EventKind.REJECT: (frozenset({"party"}), frozenset()),
    EventKind.WITHDRAW: (frozenset({"party"}), frozenset()),
    EventKind.ACCEPT: (frozenset({"party"}), frozenset({"offer_number"})),
    EventKind.COURT_VALUATION_FORM: (frozenset(), frozenset()),
    EventKind.FEE_OFFER: (frozenset({"party", "amount"}), frozenset()),
    EventKind.FEE_REJECT: (frozenset({"party"}), frozenset()),
    EventKind.FEE_ACCEPT: (frozenset({"party"}), frozenset()),
    EventKind.MEDICAL_REPORT: (frozenset(), frozenset()),
}


def _action_date(value: Any, fld: str = "on") -> date:
    """Return a date the calendar covers (a datetime gives its date)."""
    return supported_date(value, field=fld, reference=ORDER_REFERENCE)


def _party(value: Any) -> Party:
    return check_enum(value, Party, field="party", reference=OFFER_REFERENCE)


def _optional_party(value: Any) -> Party | None:
    return None if value is None else _party(value)


def _optional_amount(value: Any) -> Decimal | None:
    return None if value is None else to_money(value, field="amount")


def _optional_liability(value: Any) -> Decimal | None:
    """Return the compensator's share an offer is made on (more than 0, at most 100)."""
    if value is None:
        return None
    pct = to_percent(value, field="liability_percent", reference=LIABILITY_REFERENCE)
    if pct == ZERO:
        raise RulesError(
            "an offer is made on the compensator's share of liability, more than 0 percent",
            value=value,
            field="liability_percent",
            reference=LIABILITY_REFERENCE,
        )
    return pct


def _offer_number(value: Any, fld: str = "offer_number") -> int:
    n = check_int(value, field=fld, reference=NEXT_REFERENCE)
    if not 1 <= n <= MAX_OFFERS:
        raise RulesError(
            f"offers are numbered 1 to {MAX_OFFERS}",
            value=value,
            field=fld,
            reference=NEXT_REFERENCE,
        )
    return n


def _optional_offer_number(value: Any) -> int | None:
    return None if value is None else _offer_number(value)


def _number(value: Any) -> int:
    return _offer_number(value, "number")


def _amount(value: Any) -> Decimal:
    return to_money(value, field="amount")


def _made_on(value: Any) -> date:
    return _action_date(value, "made_on")


def _status(value: Any) -> OfferStatus:
    return check_enum(value, OfferStatus, field="status", reference=OFFER_REFERENCE)


def _rejected_on(value: Any) -> date | None:
    return None if value is None else _action_date(value, "rejected_on")


def _withdrawn_on(value: Any) -> date | None:
    return None if value is None else _action_date(value, "withdrawn_on")


def _accepted_on(value: Any) -> date | None:
    return None if value is None else _action_date(value, "accepted_on")


@final
@frozen
class Offer:
    """One offer on the portal: who made it, its number, amount, date and status.

    ``number`` is 1 to 3 (guide 6.5.5.1). ``rejected_on``, ``withdrawn_on`` and
    ``accepted_on`` record when its status changed; an offer rejected and later accepted
    (guide 6.5.6) keeps its ``rejected_on``. :attr:`counts` says whether it is one of
    the party's three: "if you withdraw before the offer is rejected it doesn't count"
    (guide 6.5.5).

    >>> from datetime import date
    >>> o = Offer(party=Party.CLAIMANT, number=2, amount="900", made_on=date(2023, 5, 2),
    ...           status=OfferStatus.WITHDRAWN, withdrawn_on=date(2023, 5, 20))
    >>> o.amount, o.counts
    (Decimal('900.00'), False)
    >>> Offer(party=Party.CLAIMANT, number=4, amount=1, made_on=date(2023, 5, 2))
    Traceback (most recent call last):
    ...
    rtaprotocol.errors.RulesError: number: offers are numbered 1 to 3: got 4 [guide 6.5.5.1]
    """

    party: Party = field(converter=_party)
    number: int = field(converter=_number)
    amount: Decimal = field(converter=_amount)
    made_on: date = field(converter=_made_on)
    status: OfferStatus = field(default=OfferStatus.OPEN, converter=_status)
    rejected_on: date | None = field(default=None, converter=_rejected_on)
    withdrawn_on: date | None = field(default=None, converter=_withdrawn_on)
    accepted_on: date | None = field(default=None, converter=_accepted_on)
    liability_percent: Decimal | None = field(default=None, converter=_optional_liability)

    @property
    @exact
    def worth(self) -> Decimal:
        """The amount after the share of liability the offer is made on (guide 6.5.2).

        The amount itself when the offer states no share. Offers are compared by this
        (guide 6.5.3.1), so that liability negotiated at the offer stage (6.3.1.1) is
        part of what "higher" and "lower" mean.

        >>> from datetime import date
        >>> Offer(party="claimant", number=1, amount=1500, made_on=date(2023, 5, 2),
        ...       liability_percent=80).worth
        Decimal('1200.00')
        """
        if self.liability_percent is None:
            return self.amount
        return round_penny(self.amount * self.liability_percent / 100)

    def _described(self) -> str:
        text = f"{self.number}: £{self.amount:,.2f}"
        if self.liability_percent is not None:
            text += f" on {self.liability_percent}% liability, worth {format_money(self.worth)}"
        return text

    @property
    @exact
    def counts(self) -> bool:
        """Whether this offer is one of the party's three (guide 6.5.5)."""
        return self.status is not OfferStatus.WITHDRAWN or self.rejected_on is not None

    @exact
    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data (amount as an exact string, dates ISO).

        >>> from datetime import date
        >>> Offer(party="compensator", number=1, amount=1500, made_on=date(2023, 5, 2)).to_dict()
        {'party': 'compensator', 'number': 1, 'amount': '1500.00', 'made_on': '2023-05-02', 'status': 'open', 'rejected_on': None, 'withdrawn_on': None, 'accepted_on': None, 'counts': True}
        """
        return {
            "party": self.party.value,
            "number": self.number,
            "amount": jsonable(self.amount),
            "made_on": jsonable(self.made_on),
            "status": self.status.value,
            "rejected_on": jsonable(self.rejected_on),
            "withdrawn_on": jsonable(self.withdrawn_on),
            "accepted_on": jsonable(self.accepted_on),
            "counts": self.counts,
        } | (
            {}
            if self.liability_percent is None
            else {
                "liability_percent": jsonable(self.liability_percent),
                "worth": jsonable(self.worth),
            }
        )


def _event_kind(value: Any) -> EventKind:
    return check_enum(value, EventKind, field="kind", reference=EVENT_REFERENCE)


def _field_problems(kind: EventKind, given: Mapping[str, Any]) -> list[RulesError]:
    """Return each field ``kind`` needs but lacks, and each it does not take but was given."""
    required, optional = _EVENT_FIELDS[kind]
    described, found = f"{with_article(kind.value)} event", []
    for name in ("party", "amount", "offer_number", "liability_percent"):
        value = given.get(name)
        if value is None and name in required:
            found.append(
                RulesError(
                    f"{described} needs this field",
                    field=name,
                    reference=EVENT_REFERENCE,
                )
            )
        if value is not None and name not in required | optional:
            found.append(
                RulesError(
                    f"{described} does not take this field",
                    value=value,
                    field=name,
                    reference=EVENT_REFERENCE,
                )
            )
    return found


@final
@frozen(init=False)
class Event:
    """One action recorded in a negotiation's ``history`` (guide 6.5.3 to 6.5.6).

    ``kind`` says which action; ``on`` is its date. ``party`` is who acted (every kind
    but ``court-valuation-form``), ``amount`` the sum offered (``offer``,
    ``fee-offer``), ``offer_number`` the offer accepted (``accept``; recorded events
    always carry the number actually accepted). A field the kind does not take, or a
    missing one it needs, raises :class:`~rtaprotocol.errors.RulesError`.

    >>> from datetime import date
    >>> e = Event(kind="offer", on=date(2023, 5, 2), party="compensator", amount="1500")
    >>> e.to_dict()
    {'kind': 'offer', 'on': '2023-05-02', 'party': 'compensator', 'amount': '1500.00'}
    >>> Event.from_dict(e.to_dict()) == e
    True
    >>> Event(kind="reject", on=date(2023, 5, 2), party="claimant", amount=5)
    Traceback (most recent call last):
    ...
    rtaprotocol.errors.RulesError: amount: a reject event does not take this field: got 5 [portal offer events: offer, reject, withdraw, accept (guide 6.5.3)]
    """

    kind: EventKind = field(converter=_event_kind)
    on: date = field(converter=_action_date)
    party: Party | None = field(default=None, converter=_optional_party)
    amount: Decimal | None = field(default=None, converter=_optional_amount)
    offer_number: int | None = field(default=None, converter=_optional_offer_number)
    liability_percent: Decimal | None = field(default=None, converter=_optional_liability)

    @exact
    def __init__(
        self,
        kind: EventKind | str,
        on: date,
        party: Party | str | None = None,
        amount: Any = None,
        offer_number: int | None = None,
        *,
        liability_percent: Any = None,
    ) -> None:
        found: list[RulesError] = []
        converted: dict[str, Any] = {}
        for name, convert, value in (
            ("kind", _event_kind, kind),
            ("on", _action_date, on),
            ("party", _optional_party, party),
            ("amount", _optional_amount, amount),
            ("offer_number", _optional_offer_number, offer_number),
            ("liability_percent", _optional_liability, liability_percent),
        ):
            try:
                converted[name] = convert(value)
            except RulesError as err:  # noqa: PERF203 - every bad field is reported
                found.append(err)
        checked_kind = converted.pop("kind", None)
        # Checked on the values as received, so an error shows what the caller gave.
        given = {
            "party": party,
            "amount": amount,
            "offer_number": offer_number,
            "liability_percent": liability_percent,
        }
        if checked_kind is not None:
            found.extend(_field_problems(checked_kind, given))
        if len(found) == 1:
            raise found[0]
        if found:
            raise InputError(found, reference=EVENT_REFERENCE)
        self.__attrs_init__(kind=checked_kind, **converted)

    @exact
    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data: ``kind``, ``on`` and the fields this kind takes.

        >>> from datetime import date
        >>> Event(kind="court-valuation-form", on=date(2023, 6, 1)).to_dict()
        {'kind': 'court-valuation-form', 'on': '2023-06-01'}
        """
        data: dict[str, Any] = {"kind": self.kind.value, "on": self.on.isoformat()}
        if self.party is not None:
            data["party"] = self.party.value
        if self.amount is not None:
            data["amount"] = jsonable(self.amount)
        if self.offer_number is not None:
            data["offer_number"] = self.offer_number
        if self.liability_percent is not None:
            data["liability_percent"] = jsonable(self.liability_percent)
        return data

    @classmethod
    @exact
    def from_dict(cls, data: Any, *, where: str = "event") -> Event:
        """Build an event from its ``to_dict()`` form, strictly.

        Unknown kinds and fields, missing fields, dates not in ``YYYY-MM-DD`` form and
        amounts :func:`~rtaprotocol.money.to_money` refuses all raise
        :class:`~rtaprotocol.errors.RulesError`, each naming ``where`` (``events[3]``).

        >>> Event.from_dict({"kind": "withdraw", "on": "2023-05-20", "party": "claimant"}).on
        datetime.date(2023, 5, 20)
        >>> Event.from_dict({"kind": "offer", "on": "2023-05-20", "party": "claimant",
        ...                  "amount": "900", "note": "x"}, where="events[2]")
        Traceback (most recent call last):
        ...
        rtaprotocol.errors.RulesError: events[2].note: unknown field for an offer event: got 'x' [portal offer events: offer, reject, withdraw, accept (guide 6.5.3)]
        """
        found = _event_problems(data, where)
        if len(found) == 1:
            raise found[0]
        if found:
            raise InputError(found, reference=EVENT_REFERENCE)
        return cls(
            kind=data["kind"],
            on=parse_iso_date(data["on"], field="on", reference=EVENT_REFERENCE),
            party=data.get("party"),
            amount=data.get("amount"),
            offer_number=data.get("offer_number"),
            liability_percent=data.get("liability_percent"),
        )

    @classmethod
    @exact
    def problems(cls, data: Any, *, where: str = "event") -> tuple[RulesError, ...]:
        """Return every problem in an event's dict form, each naming ``where``; never raise.

        The checks of :meth:`from_dict`, all of them: an empty tuple means ``from_dict``
        accepts ``data``.

        >>> for p in Event.problems({"kind": "reject", "on": "2023-02-30", "amount": "1"},
        ...                         where="events[2]"):
        ...     print(p)
        events[2].on: no such date: got '2023-02-30' [portal offer events: offer, reject, withdraw, accept (guide 6.5.3)]
        events[2].amount: unknown field for a reject event: got '1' [portal offer events: offer, reject, withdraw, accept (guide 6.5.3)]
        events[2].party: a reject event needs this field [portal offer events: offer, reject, withdraw, accept (guide 6.5.3)]
        """
        return tuple(_event_problems(data, where))


_EVENT_KEYS: Final = ("kind", "on", "party", "amount", "offer_number", "liability_percent")


def _event_problems(data: Any, where: str) -> list[RulesError]:
    """Return every problem in an event's dict form, in a fixed order, located at ``where``."""
    if not isinstance(data, Mapping):
        return [
            RulesTypeError(
                "an event must be an object with kind, on and its fields",
                value=data,
                field=where,
                pointer="" if where == "event" else json_pointer(where),
                reference=EVENT_REFERENCE,
            )
        ]
    found: list[RulesError] = []
    kind: EventKind | None = None
    if "kind" not in data:
        found.append(RulesError("an event needs a kind", field="kind", reference=EVENT_REFERENCE))
    else:
        try:
            kind = _event_kind(data["kind"])
        except RulesError as err:
            found.append(err)
    if "on" not in data:
        found.append(RulesError("an event needs a date", field="on", reference=EVENT_REFERENCE))
    else:
        try:
            _action_date(parse_iso_date(data["on"], field="on", reference=EVENT_REFERENCE))
        except RulesError as err:
            found.append(err)
    taken = set(_EVENT_KEYS)
    described = "an event"
    if kind is not None:
        required, optional = _EVENT_FIELDS[kind]
        taken = {"kind", "on"} | required | optional
        described = f"{with_article(kind.value)} event"
    found.extend(
        RulesError(
            f"unknown field for {described}",
            value=value,
            field=key if isinstance(key, str) else _shorten(key),
            reference=EVENT_REFERENCE,
        )
        for key, value in data.items()
        if not (isinstance(key, str) and key in taken)
    )
    converters = {
        "party": _optional_party,
        "amount": _optional_amount,
        "offer_number": _optional_offer_number,
        "liability_percent": _optional_liability,
    }
    for name, convert in converters.items():
        if name in taken:
            try:
                convert(data.get(name))
            except RulesError as err:
                found.append(err)
    if kind is not None:
        found.extend(_field_problems(kind, {name: data.get(name) for name in taken}))
    return [_located(err, where) for err in found]


def _located(err: RulesError, where: str) -> RulesError:
    """Return ``err`` again with ``where`` in front of its field name and JSON pointer.

    ``where`` is ``event`` for an event read on its own: its pointer is the document's root.
    """
    fld = f"{where}.{err.field}" if err.field else where
    base = "" if where == "event" else (json_pointer(where) or "")
    return err.evolve(field=fld, pointer=base + (err.pointer or ""))


def _fee_offers(value: Any) -> tuple[Offer, ...]:
    """Return ``value`` as a tuple of :class:`Offer` (a list is copied, never shared)."""
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise RulesTypeError(
            "expected a sequence of Offer", value=value, field="offers", reference=FEES_REFERENCE
        )
    offers = tuple(value)
    for i, offer in enumerate(offers):
        if not isinstance(offer, Offer):
            raise RulesTypeError(
                f"expected an Offer, not {type(offer).__name__}",
                value=offer,
                field=f"offers[{i}]",
                reference=FEES_REFERENCE,
            )
    return offers


@final
@frozen
class FeeNegotiation:
    """The negotiation on fees, open once the losses are agreed (guide 6.5.3.2).

    "you will need to agree the settlement of your losses ... before starting any
    negotiation about the offer on fees. Once you move on to consider the fees offer,
    you may make a counter offer to the compensator ..., which they will either accept
    or reject. If they reject your counter offer, you can start preparing separate court
    proceedings for recovery of your fees."

    So: one compensator fee offer (number 1), which the claimant accepts or answers with
    one counter offer (number 1), which the compensator accepts or rejects.

    >>> FeeNegotiation().stage
    'awaiting the compensator fee offer'
    """

    offers: tuple[Offer, ...] = field(default=(), converter=_fee_offers)

    @exact
    def latest_offer(self, party: Party) -> Offer | None:
        """Return ``party``'s fee offer, or ``None`` (guide 6.5.3.2).

        >>> FeeNegotiation().latest_offer(Party.CLAIMANT) is None
        True
        """
        p = _party(party)
        found = [o for o in self.offers if o.party is p]
        return found[-1] if found else None

    @property
    @exact
    def is_agreed(self) -> bool:
        """Whether a fee offer has been accepted."""
        return any(o.status is OfferStatus.ACCEPTED for o in self.offers)

    @property
    @exact
    def agreed_amount(self) -> Decimal | None:
        """The fees agreed, or ``None``."""
        for o in self.offers:
            if o.status is OfferStatus.ACCEPTED:
                return o.amount
        return None

    @property
    @exact
    def goes_to_court(self) -> bool:
        """Whether the compensator rejected the claimant's counter offer on fees."""
        counter = self.latest_offer(Party.CLAIMANT)
        return counter is not None and counter.status is OfferStatus.REJECTED

    @property
    @exact
    def is_over(self) -> bool:
        """Whether nothing more can happen on fees through the portal."""
        return self.is_agreed or self.goes_to_court

    @property
    @exact
    def stage(self) -> str:
        """One phrase saying where the fee negotiation stands."""
        if self.is_agreed:
            return "fees agreed"
        if self.goes_to_court:
            return "counter offer rejected: fees go to court"
        if not self.offers:
            return "awaiting the compensator fee offer"
        if self.latest_offer(Party.CLAIMANT) is None:
            return "compensator fee offer open"
        return "claimant counter offer open"

    @exact
    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data."""
        return {
            "stage": self.stage,
            "agreed_amount": jsonable(self.agreed_amount),
            "goes_to_court": self.goes_to_court,
            "offers": [o.to_dict() for o in self.offers],
        }


@final
@frozen
class _State:
    """Everything derived from the events (private: read through Negotiation)."""

    offers: tuple[Offer, ...] = ()
    last_on: date | None = None
    accepted: Offer | None = None
    court_valuation_form_on: date | None = None
    compensator_barred: bool = False
    fee_offers: tuple[Offer, ...] = ()
    whiplash: bool = False
    medical_report_on: date | None = None

    def of(self, party: Party) -> tuple[Offer, ...]:
        return tuple(o for o in self.offers if o.party is party)

    def latest(self, party: Party) -> Offer | None:
        own = self.of(party)
        return own[-1] if own else None

    def next_number(self, party: Party) -> int:
        latest = self.latest(party)
        if latest is None:
            return 1
        return latest.number + 1 if latest.counts else latest.number

    def replace(self, old: Offer, new: Offer) -> tuple[Offer, ...]:
        return tuple(new if o is old else o for o in self.offers)


def _portal_open(state: _State, what: str) -> None:
    """Raise if the claim is settled or the Court Valuation Form has been created."""
    if state.accepted is not None:
        raise ProtocolViolation(
            f"the claim is settled: an accepted offer closes it for good, so no {what}",
            value=state.accepted.amount,
            reference=OFFER_REFERENCE,
        )
    if state.court_valuation_form_on is not None:
        raise ProtocolViolation(
            f"the Court Valuation Form has been created, so no {what} on the portal: "
            "withdrawals and acceptances now go by written notice",
            value=state.court_valuation_form_on,
            reference=PORTAL_CLOSED_REFERENCE,
        )


def _withdrawal_from(offer: Offer, calendar: EnglandWalesCalendar | None) -> date:
    """Return the first day an open offer may be withdrawn (guide 6.5.5)."""
    return due_date(Period.OFFER_WITHDRAWAL, offer.made_on, calendar=calendar) + timedelta(days=1)


def _report_received(state: _State, what: str, value: Any) -> None:
    """Refuse an offer or settlement of a whiplash claim before the medical report."""
    if state.whiplash and state.medical_report_on is None:
        raise ProtocolViolation(
            f"a whiplash claim cannot be {what} before the medical report is received",
            value=value,
            reference=WHIPLASH_REPORT_REFERENCE,
        )


def _apply_medical_report(state: _State, on: date) -> _State:
    if state.medical_report_on is not None:  # a further report: the first one counts
        return state
    return evolve(state, medical_report_on=on)


def _apply_offer(
    state: _State, party: Party, amount: Decimal, on: date, liability: Decimal | None = None
) -> _State:
    _portal_open(state, "new offer")
    _report_received(state, "offered on or settled", amount)
    if party is Party.CLAIMANT and not state.of(Party.COMPENSATOR):
        raise ProtocolViolation(
            "the compensator makes the first offer; the claimant may counter offer only after it",
            value=party,
            reference=OFFER_REFERENCE,
        )
    latest = state.latest(party)
    if latest is not None and latest.status is OfferStatus.OPEN:
        raise ProtocolViolation(
            f"the {party.value}'s offer {latest.number} is still open: wait for a response "
            "or withdraw it first",
            value=latest.number,
            reference=WITHDRAWAL_REFERENCE,
        )
    if party is Party.COMPENSATOR and state.compensator_barred:
        raise ProtocolViolation(
            "the compensator withdrew an offer after the claimant's third and final offer "
            "and cannot make a new offer on the portal",
            value=party,
            reference=NEXT_REFERENCE,
        )
    number = state.next_number(party)
    if number > MAX_OFFERS:
        raise ProtocolViolation(
            f"the {party.value} has made its {MAX_OFFERS} offers: there is no offer {number}",
            value=number,
            reference=WITHDRAWAL_REFERENCE,
        )
    standing = [o for o in state.of(party) if o.status is not OfferStatus.WITHDRAWN]
    new = Offer(party=party, number=number, amount=amount, made_on=on, liability_percent=liability)
    if standing:
        previous = standing[-1]
        # Compared after the share of liability each is made on (guide 6.3.1.1, 6.5.2).
        shares = previous.liability_percent is not None or liability is not None
        worth = f": this one is worth {format_money(new.worth)}" if shares else ""
        if party is Party.COMPENSATOR and new.worth < previous.worth:
            raise ProtocolViolation(
                f"a compensator's offer may not be lower than its previous offer "
                f"({previous._described()}){worth}",
                value=amount,
                field="amount",
                reference=OFFER_REFERENCE,
            )
        if party is Party.CLAIMANT and new.worth > previous.worth:
            raise ProtocolViolation(
                f"a claimant's offer may not be higher than its previous offer "
                f"({previous._described()}){worth}",
                value=amount,
                field="amount",
                reference=OFFER_REFERENCE,
            )
    offers = state.offers
    other = state.latest(party.other)
    if other is not None and other.status is OfferStatus.OPEN:  # a counter offer rejects
        offers = state.replace(other, evolve(other, status=OfferStatus.REJECTED, rejected_on=on))
    return evolve(state, offers=(*offers, new))


def _apply_reject(state: _State, party: Party, on: date) -> _State:
    _portal_open(state, "rejection")
    other = state.latest(party.other)
    if other is None:
        raise ProtocolViolation(
            f"the {party.other.value} has made no offer to reject",
            value=party,
            reference=WITHDRAWAL_REFERENCE,
        )
    if other.status is not OfferStatus.OPEN:
        raise ProtocolViolation(
            f"the {party.other.value}'s offer {other.number} is {other.status.value}, "
            "not open: only an open offer can be rejected",
            value=other.number,
            reference=WITHDRAWAL_REFERENCE,
        )
    rejected = evolve(other, status=OfferStatus.REJECTED, rejected_on=on)
    return evolve(state, offers=state.replace(other, rejected))


def _apply_withdraw(
    state: _State, party: Party, on: date, calendar: EnglandWalesCalendar | None
) -> _State:
    _portal_open(state, "withdrawal")
    own = state.latest(party)
    if own is None:
        raise ProtocolViolation(
            f"the {party.value} has made no offer to withdraw",
            value=party,
            reference=WITHDRAWAL_REFERENCE,
        )
    if own.status is OfferStatus.WITHDRAWN:
        raise ProtocolViolation(
            f"the {party.value}'s offer {own.number} is already withdrawn: it is left with "
            "no offer on the portal",
            value=own.number,
            reference=NEXT_REFERENCE,
        )
    if own.status is OfferStatus.OPEN:
        first = _withdrawal_from(own, calendar)
        if on < first:
            raise ProtocolViolation(
                f"an open offer may be withdrawn only after 10 business days with no "
                f"response: offer {own.number} made on {own.made_on} may be withdrawn "
                f"from {first}",
                value=on,
                field="on",
                reference=WITHDRAWAL_REFERENCE,
            )
    barred = state.compensator_barred or (
        party is Party.COMPENSATOR and state.next_number(Party.CLAIMANT) > MAX_OFFERS
    )
    withdrawn = evolve(own, status=OfferStatus.WITHDRAWN, withdrawn_on=on)
    return evolve(state, offers=state.replace(own, withdrawn), compensator_barred=barred)


def _accept_target(state: _State, party: Party, offer_number: int | None) -> Offer:
    """Return the other side's offer ``party`` would accept, or raise."""
    theirs = state.of(party.other)
    if offer_number is None:
        live = [o for o in theirs if o.status is not OfferStatus.WITHDRAWN]
        if not live:
            raise ProtocolViolation(
                f"the {party.other.value} has no offer that can be accepted "
                "(none made, or every one withdrawn)",
                value=party,
                reference=NEXT_REFERENCE if theirs else LATE_ACCEPTANCE_REFERENCE,
            )
        return live[-1]
    numbered = [o for o in theirs if o.number == offer_number]
    if not numbered:
        raise ProtocolViolation(
            f"the {party.other.value} has made no offer {offer_number}",
            value=offer_number,
            field="offer_number",
            reference=LATE_ACCEPTANCE_REFERENCE,
        )
    live = [o for o in numbered if o.status is not OfferStatus.WITHDRAWN]
    if not live:
        raise ProtocolViolation(
            f"the {party.other.value}'s offer {offer_number} was withdrawn and can no "
            "longer be accepted",
            value=offer_number,
            field="offer_number",
            reference=NEXT_REFERENCE,
        )
    return live[-1]


def _apply_accept(state: _State, party: Party, on: date, offer_number: int | None) -> _State:
    _portal_open(state, "acceptance")
    _report_received(state, "settled", offer_number)
    target = _accept_target(state, party, offer_number)
    accepted = evolve(target, status=OfferStatus.ACCEPTED, accepted_on=on)
    return evolve(state, offers=state.replace(target, accepted), accepted=accepted)


def _apply_court_valuation_form(state: _State, on: date) -> _State:
    _portal_open(state, "Court Valuation Form")
    if not state.of(Party.COMPENSATOR):
        raise ProtocolViolation(
            "the go to court option comes only after the compensator's first offer",
            value=on,
            reference=OFFER_REFERENCE,
        )
    return evolve(state, court_valuation_form_on=on)


def _fees_open(state: _State) -> FeeNegotiation:
    if state.accepted is None:
        raise ProtocolViolation(
            "fees are negotiated only once the settlement of the losses is agreed",
            reference=FEES_REFERENCE,
        )
    fees = FeeNegotiation(state.fee_offers)
    if fees.is_over:
        raise ProtocolViolation(
            f"the fee negotiation is over ({fees.stage})",
            value=fees.agreed_amount,
            reference=FEES_REFERENCE,
        )
    return fees


def _apply_fee_offer(state: _State, party: Party, amount: Decimal, on: date) -> _State:
    fees = _fees_open(state)
    own = fees.latest_offer(party)
    if own is not None:
        raise ProtocolViolation(
            f"the {party.value} makes one offer on fees"
            + (
                ": it accepts or rejects the claimant's counter offer"
                if party is Party.COMPENSATOR
                else ": the compensator accepts or rejects it"
            ),
            value=amount,
            reference=FEES_REFERENCE,
        )
    offers = fees.offers
    if party is Party.CLAIMANT:
        theirs = fees.latest_offer(Party.COMPENSATOR)
        if theirs is None:
            raise ProtocolViolation(
                "the claimant counter offers on fees only after the compensator's fee offer",
                value=amount,
                reference=FEES_REFERENCE,
            )
        rejected = evolve(theirs, status=OfferStatus.REJECTED, rejected_on=on)
        offers = tuple(rejected if o is theirs else o for o in offers)
    new = Offer(party=party, number=1, amount=amount, made_on=on)
    return evolve(state, fee_offers=(*offers, new))


def _apply_fee_answer(state: _State, party: Party, on: date, *, accept: bool) -> _State:
    fees = _fees_open(state)
    if not accept and party is Party.CLAIMANT:
        raise ProtocolViolation(
            "on fees the claimant answers with a counter offer; only the compensator rejects",
            value=party,
            reference=FEES_REFERENCE,
        )
    theirs = fees.latest_offer(party.other)
    if theirs is None or theirs.status is not OfferStatus.OPEN:
        raise ProtocolViolation(
            f"the {party.other.value} has no open fee offer to "
            + ("accept" if accept else "reject"),
            value=None if theirs is None else theirs.status.value,
            reference=FEES_REFERENCE,
        )
    if accept:
        answered = evolve(theirs, status=OfferStatus.ACCEPTED, accepted_on=on)
    else:
        answered = evolve(theirs, status=OfferStatus.REJECTED, rejected_on=on)
    offers = tuple(answered if o is theirs else o for o in fees.offers)
    return evolve(state, fee_offers=offers)


def _apply(
    state: _State, event: Event, calendar: EnglandWalesCalendar | None
) -> tuple[_State, Event]:
    """Return the state after ``event`` and the event as recorded, or raise."""
    if state.last_on is not None and event.on < state.last_on:
        raise RulesError(
            f"an action cannot be dated before the previous one ({state.last_on})",
            value=event.on,
            field="on",
            reference=ORDER_REFERENCE,
        )
    kind, on = event.kind, event.on
    party = event.party if event.party is not None else Party.CLAIMANT
    amount = event.amount if event.amount is not None else ZERO
    recorded = event
    if kind is EventKind.OFFER:
        new = _apply_offer(state, party, amount, on, event.liability_percent)
    elif kind is EventKind.REJECT:
        new = _apply_reject(state, party, on)
    elif kind is EventKind.WITHDRAW:
        new = _apply_withdraw(state, party, on, calendar)
    elif kind is EventKind.ACCEPT:
        new = _apply_accept(state, party, on, event.offer_number)
        # Record the number actually accepted, so replays and equality do not depend on
        # whether the caller named it.
        recorded = Event(
            kind=event.kind,
            on=event.on,
            party=event.party,
            offer_number=new.accepted.number if new.accepted else None,
        )
    elif kind is EventKind.COURT_VALUATION_FORM:
        new = _apply_court_valuation_form(state, on)
    elif kind is EventKind.FEE_OFFER:
        new = _apply_fee_offer(state, party, amount, on)
    elif kind is EventKind.MEDICAL_REPORT:
        new = _apply_medical_report(state, on)
    else:
        new = _apply_fee_answer(state, party, on, accept=kind is EventKind.FEE_ACCEPT)
    return evolve(new, last_on=on), recorded


def _as_received(err: RulesError, event: Event, given: Mapping[Any, Any]) -> RulesError:
    """Return ``err`` with its value as the caller gave it, if it holds one of ``event``'s.

    The rules work on converted values (``Decimal('999.00')`` for ``999``, a ``date`` for
    ``"2023-05-02"``, ``Party.CLAIMANT`` for ``"claimant"``); an error reports the value
    received. A value is the event's own field when the error names that field or holds
    that very object.
    """
    if not err.has_value:
        return err
    for name in ("amount", "on", "party", "offer_number"):
        if name not in given:
            continue
        mine = getattr(event, name)
        if err.field == name or (mine is not None and err.value is mine and name != "offer_number"):
            if err.value is given[name]:
                return err
            return err.evolve(value=given[name])
    return err


def _refusal(
    state: _State, event: Event, calendar: EnglandWalesCalendar | None
) -> ProtocolViolation | None:
    """Return the violation ``event`` would raise, or ``None`` if it is allowed."""
    try:
        _apply(state, event, calendar)
    except ProtocolViolation as err:
        return err
    return None


def _calendar(value: Any) -> EnglandWalesCalendar | None:
    """Accept None or a calendar; a calendar with no extras is the default, so None."""
    if value is None:
        return None
    if not isinstance(value, EnglandWalesCalendar):
        raise RulesTypeError(
            "expected an EnglandWalesCalendar or None",
            value=value,
            field="calendar",
            reference=WITHDRAWAL_REFERENCE,
        )
    if not value.extra_holidays and not value.extra_business_days:
        return None
    return value


_EMPTY: Final = _State()
_WHIPLASH: Final = _State(whiplash=True)


def _whiplash(value: Any) -> bool:
    if not isinstance(value, bool):
        raise RulesTypeError(
            f"expected True or False, not {type(value).__name__}",
            value=value,
            field="whiplash",
            reference=WHIPLASH_REPORT_REFERENCE,
        )
    return value


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
