"""The negotiation's vocabulary: parties, offers, events and their JSON reading (guide 6.5.3).

A private part of :mod:`rtaprotocol.offers` (the values a negotiation is made of and
the readers of their ``to_dict()`` form), which re-exports every name: import them
from there.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any, Final, final

from attrs import field, frozen

from rtaprotocol._checks import (
    check_enum,
    check_int,
    event_field_missing,
    key_path,
    located,
    parse_iso_date,
    with_article,
    wrong_type,
)
from rtaprotocol._decimal import exact
from rtaprotocol._render import jsonable
from rtaprotocol.deadlines import (
    supported_date,
)
from rtaprotocol.errors import (
    ErrorCode,
    InputError,
    RulesError,
    RulesTypeError,
    json_pointer,
)
from rtaprotocol.money import ZERO, format_money, round_penny, to_money, to_percent

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
            code=ErrorCode.VALUE_INVALID,
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
            code=ErrorCode.NUMBER_OUT_OF_RANGE,
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
                    code=ErrorCode.FIELD_MISSING,
                )
            )
        if value is not None and name not in required | optional:
            found.append(
                RulesError(
                    f"{described} does not take this field",
                    value=value,
                    field=name,
                    reference=EVENT_REFERENCE,
                    code=ErrorCode.FIELD_UNKNOWN,
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
        found.append(event_field_missing("kind", reference=EVENT_REFERENCE))
    else:
        try:
            kind = _event_kind(data["kind"])
        except RulesError as err:
            found.append(err)
    if "on" not in data:
        found.append(event_field_missing("on", reference=EVENT_REFERENCE))
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
            field=key_path("", key),
            reference=EVENT_REFERENCE,
            code=ErrorCode.FIELD_UNKNOWN,
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
    return [located(err, where) for err in found]


def _fee_offers(value: Any) -> tuple[Offer, ...]:
    """Return ``value`` as a tuple of :class:`Offer` (a list is copied, never shared)."""
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise RulesTypeError(
            "expected a sequence of Offer", value=value, field="offers", reference=FEES_REFERENCE
        )
    offers = tuple(value)
    for i, offer in enumerate(offers):
        if not isinstance(offer, Offer):
            raise wrong_type(offer, "an Offer", field=f"offers[{i}]", reference=FEES_REFERENCE)
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
