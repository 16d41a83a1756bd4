"""The negotiation's transitions: what each event does to its state (guide 6.5.3-6.5.6).

A private part of :mod:`rtaprotocol.offers`: the state derived from the events and the
rule each event is checked against, applied by :class:`rtaprotocol.offers.Negotiation`,
which re-exports every name: import them from there.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Final, final

from attrs import evolve, frozen

from rtaprotocol._checks import check_in_order, wrong_type
from rtaprotocol._offers_events import (
    FEES_REFERENCE,
    LATE_ACCEPTANCE_REFERENCE,
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
)
from rtaprotocol.deadlines import (
    EnglandWalesCalendar,
    Period,
    _checked_calendar,
    due_date,
)
from rtaprotocol.errors import (
    ErrorCode,
    ProtocolViolation,
    RulesError,
)
from rtaprotocol.money import ZERO, format_money


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
            code=ErrorCode.PROTOCOL_FORBIDDEN,
        )
    if state.court_valuation_form_on is not None:
        raise ProtocolViolation(
            f"the Court Valuation Form has been created, so no {what} on the portal: "
            "withdrawals and acceptances now go by written notice",
            value=state.court_valuation_form_on,
            reference=PORTAL_CLOSED_REFERENCE,
            code=ErrorCode.PROTOCOL_FORBIDDEN,
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
            code=ErrorCode.PROTOCOL_FORBIDDEN,
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
            code=ErrorCode.PROTOCOL_FORBIDDEN,
        )
    latest = state.latest(party)
    if latest is not None and latest.status is OfferStatus.OPEN:
        raise ProtocolViolation(
            f"the {party.value}'s offer {latest.number} is still open: wait for a response "
            "or withdraw it first",
            value=latest.number,
            reference=WITHDRAWAL_REFERENCE,
            code=ErrorCode.PROTOCOL_FORBIDDEN,
        )
    if party is Party.COMPENSATOR and state.compensator_barred:
        raise ProtocolViolation(
            "the compensator withdrew an offer after the claimant's third and final offer "
            "and cannot make a new offer on the portal",
            value=party,
            reference=NEXT_REFERENCE,
            code=ErrorCode.PROTOCOL_FORBIDDEN,
        )
    number = state.next_number(party)
    if number > MAX_OFFERS:
        raise ProtocolViolation(
            f"the {party.value} has made its {MAX_OFFERS} offers: there is no offer {number}",
            value=number,
            reference=WITHDRAWAL_REFERENCE,
            code=ErrorCode.PROTOCOL_FORBIDDEN,
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
                code=ErrorCode.PROTOCOL_FORBIDDEN,
            )
        if party is Party.CLAIMANT and new.worth > previous.worth:
            raise ProtocolViolation(
                f"a claimant's offer may not be higher than its previous offer "
                f"({previous._described()}){worth}",
                value=amount,
                field="amount",
                reference=OFFER_REFERENCE,
                code=ErrorCode.PROTOCOL_FORBIDDEN,
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
            code=ErrorCode.PROTOCOL_FORBIDDEN,
        )
    if other.status is not OfferStatus.OPEN:
        raise ProtocolViolation(
            f"the {party.other.value}'s offer {other.number} is {other.status.value}, "
            "not open: only an open offer can be rejected",
            value=other.number,
            reference=WITHDRAWAL_REFERENCE,
            code=ErrorCode.PROTOCOL_FORBIDDEN,
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
            code=ErrorCode.PROTOCOL_FORBIDDEN,
        )
    if own.status is OfferStatus.WITHDRAWN:
        raise ProtocolViolation(
            f"the {party.value}'s offer {own.number} is already withdrawn: it is left with "
            "no offer on the portal",
            value=own.number,
            reference=NEXT_REFERENCE,
            code=ErrorCode.PROTOCOL_FORBIDDEN,
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
                code=ErrorCode.PROTOCOL_FORBIDDEN,
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
                code=ErrorCode.PROTOCOL_FORBIDDEN,
            )
        return live[-1]
    numbered = [o for o in theirs if o.number == offer_number]
    if not numbered:
        raise ProtocolViolation(
            f"the {party.other.value} has made no offer {offer_number}",
            value=offer_number,
            field="offer_number",
            reference=LATE_ACCEPTANCE_REFERENCE,
            code=ErrorCode.NOT_FOUND,
        )
    live = [o for o in numbered if o.status is not OfferStatus.WITHDRAWN]
    if not live:
        raise ProtocolViolation(
            f"the {party.other.value}'s offer {offer_number} was withdrawn and can no "
            "longer be accepted",
            value=offer_number,
            field="offer_number",
            reference=NEXT_REFERENCE,
            code=ErrorCode.PROTOCOL_FORBIDDEN,
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
            code=ErrorCode.PROTOCOL_FORBIDDEN,
        )
    return evolve(state, court_valuation_form_on=on)


def _fees_open(state: _State) -> FeeNegotiation:
    if state.accepted is None:
        raise ProtocolViolation(
            "fees are negotiated only once the settlement of the losses is agreed",
            reference=FEES_REFERENCE,
            code=ErrorCode.PROTOCOL_FORBIDDEN,
        )
    fees = FeeNegotiation(state.fee_offers)
    if fees.is_over:
        raise ProtocolViolation(
            f"the fee negotiation is over ({fees.stage})",
            value=fees.agreed_amount,
            reference=FEES_REFERENCE,
            code=ErrorCode.PROTOCOL_FORBIDDEN,
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
            code=ErrorCode.PROTOCOL_FORBIDDEN,
        )
    offers = fees.offers
    if party is Party.CLAIMANT:
        theirs = fees.latest_offer(Party.COMPENSATOR)
        if theirs is None:
            raise ProtocolViolation(
                "the claimant counter offers on fees only after the compensator's fee offer",
                value=amount,
                reference=FEES_REFERENCE,
                code=ErrorCode.PROTOCOL_FORBIDDEN,
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
            code=ErrorCode.PROTOCOL_FORBIDDEN,
        )
    theirs = fees.latest_offer(party.other)
    if theirs is None or theirs.status is not OfferStatus.OPEN:
        raise ProtocolViolation(
            f"the {party.other.value} has no open fee offer to "
            + ("accept" if accept else "reject"),
            value=None if theirs is None else theirs.status.value,
            reference=FEES_REFERENCE,
            code=ErrorCode.PROTOCOL_FORBIDDEN,
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
    check_in_order(event.on, state.last_on, reference=ORDER_REFERENCE)
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
    cal = _checked_calendar(
        value, reference=WITHDRAWAL_REFERENCE, message="expected an EnglandWalesCalendar or None"
    )
    return cal if cal.extra_holidays or cal.extra_business_days else None


_EMPTY: Final = _State()
_WHIPLASH: Final = _State(whiplash=True)


def _whiplash(value: Any) -> bool:
    if not isinstance(value, bool):
        raise wrong_type(
            value, "True or False", field="whiplash", reference=WHIPLASH_REPORT_REFERENCE
        )
    return value
