"""Step 4 of the claim, the offer stage: offers, acceptance, prognosis, payment (reducers).

Guide 6.5.1 to 6.6.2: one ``_apply_<kind>(state, event, calendar)`` per event kind. The
offers themselves go to the embedded :class:`~rtaprotocol.offers.Negotiation`, whose rules
apply unchanged; here are the claim's own (causation deemed admitted, whiplash stance,
waiting out the prognosis, the settlement's payment).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from attrs import evolve

from rtaprotocol._decimal import exact
from rtaprotocol._persistent import EMPTY as _NOTHING
from rtaprotocol.claim.deadlines import (
    _compensator_offer,
    _injury_dispute,
    _met,
    _settlement_payment,
)
from rtaprotocol.claim.events import ClaimEvent
from rtaprotocol.claim.kinds import (
    _K,
    _NEGOTIATION_KINDS,
    DISPUTE_REFERENCE,
    FURTHER_REFERENCE,
    HOLD_REFERENCE,
    LONG_PROGNOSIS_MONTHS,
    LONG_PROGNOSIS_REFERENCE,
    LOSSES_REFERENCE,
    OFFER_LIABILITY_REFERENCE,
    PAYMENT_REFERENCE,
    PROGNOSIS_REFERENCE,
    S6_REFERENCE,
    TARIFF_REFERENCE,
    WHIPLASH_AGREED_REFERENCE,
    TariffChoice,
)
from rtaprotocol.claim.payment import _offer_share, _payment
from rtaprotocol.claim.state import _admitted, _deny, _record, _replace, _State
from rtaprotocol.deadlines import EnglandWalesCalendar, Period, due_date
from rtaprotocol.errors import RulesError
from rtaprotocol.losses import LossesStage, LossItem
from rtaprotocol.money import ZERO, format_money
from rtaprotocol.offers import Event as OfferEvent
from rtaprotocol.offers import EventKind as OfferEventKind
from rtaprotocol.offers import Negotiation, OfferStatus, Party


def _apply_offer_requested(s: _State, e: ClaimEvent, cal: EnglandWalesCalendar | None) -> _State:
    if s.offer_stage and not s.restart_pending:
        raise _deny(
            "the offer has been requested: all protocol losses were listed then, and no new "
            "ones can be added",
            LOSSES_REFERENCE,
            e.on,
        )
    if not _admitted(s):
        raise _deny(
            "an offer is requested once liability or fault is admitted, or a court has found "
            "for the claimant",
            "guide 6.3.1, 6.5.1",
            None if s.liability is None else s.liability.value,
        )
    if s.report_shared_on is None:
        raise _deny(
            "the compensator needs the medical report to make an offer: share it first (no "
            "whiplash offer before a medical report; the portal does not cover offers made "
            "without one)",
            S6_REFERENCE,
            e.on,
        )
    if s.further_requested_on is not None:
        raise _deny("a further medical report is still awaited", FURTHER_REFERENCE, e.on)
    added: tuple[LossItem, ...] = e.get("added_losses", ())
    current = s.losses
    if s.restart_pending:  # the offer process starts over with an updated list (6.5.3.1)
        current = evolve(current, stage=LossesStage.CLAIM)
    for item in added:
        current = current.add(item)
    losses = current.at_stage(LossesStage.OFFER_REQUESTED)
    dispute_due = s.dispute_due
    if s.causation == "disputed" and dispute_due is None:
        dispute_due = due_date(Period.INJURY_DISPUTE, e.on, calendar=cal)
    return _replace(
        s,
        offer_stage=True,
        restart_pending=False,
        offer_requested_on=e.on,
        losses=losses,
        offer_due=due_date(Period.OFFER, e.on, calendar=cal),
        dispute_due=dispute_due,
        challenge_pending=False,
    )


def _deem_causation(s: _State, on: date) -> _State:
    """After the 20 business days with no dispute notice, causation is deemed admitted."""
    if s.causation == "disputed" and s.dispute_due is not None and on > s.dispute_due:
        return _replace(s, causation="admitted")
    return s


def _apply_injury_dispute(s: _State, e: ClaimEvent, cal: EnglandWalesCalendar | None) -> _State:
    if s.causation != "disputed" or s.dispute_due is None:
        what = {
            "admitted": "causation is admitted (or deemed admitted)",
            "notified": "the dispute has been notified",
        }
        raise _deny(
            "a notice disputing the injury follows an admission of fault with causation "
            "disputed, once the offer is requested"
            + (f"; here {what[s.causation]}" if s.causation in what else ""),
            DISPUTE_REFERENCE,
            s.causation,
        )
    deadline = _injury_dispute(s.offer_requested_on or e.on, s.dispute_due)
    met = _record(s, _met(deadline, e.on))
    return _replace(s, causation="notified", met=met)


def _negotiation_open(s: _State, e: ClaimEvent) -> None:
    if not s.offer_stage or s.restart_pending:
        raise _deny(
            "offers are made after the claimant requests one with the List of Losses",
            "guide 6.5.1.1, 6.5.3.1",
            e.kind.value,
        )
    if s.waiting_prognosis:
        raise _deny(
            "the claim does not progress while the claimant waits out the prognosis",
            PROGNOSIS_REFERENCE,
            e.kind.value,
        )


@exact
def _offer_heads(s: _State, e: ClaimEvent) -> None:
    """Check an offer's breakdown: one value per listed item, the parts adding up (6.5.2)."""
    values: tuple[Decimal, ...] | None = e.get("items")
    injury: Decimal | None = e.get("injury")
    if values is None and injury is None:
        return
    items = s.losses.items
    values = values if values is not None else tuple(ZERO for _ in items)
    if len(values) != len(items):
        raise _deny(
            f"an offer enters an amount against each of the {len(items)} items on the List "
            "of Losses, in order; no new protocol losses after the offer is requested",
            "guide 6.5.1.1, 6.5.2",
            len(values),
            "items",
        )
    parts = sum((v for v, item in zip(values, items, strict=True) if item.protocol), ZERO)
    parts += injury if injury is not None else ZERO
    if parts != e["amount"]:
        raise _deny(
            f"the offer's parts (injury and protocol items) add up to {format_money(parts)}, "
            "not its amount",
            "guide 6.5.2",
            e["amount"],
            "amount",
        )


def _apply_offer(s: _State, e: ClaimEvent, cal: EnglandWalesCalendar | None) -> _State:
    _negotiation_open(s, e)
    party: Party = e["party"]
    tariff: TariffChoice | None = e.get("tariff")
    injury: Decimal | None = e.get("injury")
    _offer_heads(s, e)
    if party is Party.COMPENSATOR and tariff is not None and s.higher_tariff and tariff.rank < 2:
        raise _deny(
            "the compensator selected the higher whiplash and minor psychological injury "
            "tariff; it cannot go back",
            TARIFF_REFERENCE,
            tariff.value,
            "tariff",
        )
    _offer_liability_check(s, e)
    extra: dict[str, Any] = _whiplash_stance(s, e)
    share = _offer_share(s, e)
    neg = s.negotiation.apply(
        OfferEvent(
            kind=OfferEventKind.OFFER,
            on=e.on,
            party=party,
            amount=e["amount"],
            # Explicit whenever a split was admitted, so each offer shows its basis.
            liability_percent=None if share == 100 and s.liability_percent is None else share,
        )
    )
    first = (
        s.offer_due is not None
        and party is Party.COMPENSATOR
        and not s.negotiation.offers(Party.COMPENSATOR)
    )
    if first:
        assert s.offer_requested_on is not None
        assert s.offer_due is not None
        deadline = _compensator_offer(s.offer_requested_on, s.offer_due)
        extra["met"] = _record(s, _met(deadline, e.on))
    if (
        party is Party.COMPENSATOR
        and injury is not None
        and injury > ZERO
        and s.causation in ("disputed", "notified")
    ):
        extra["causation"] = "admitted"
    if party is Party.COMPENSATOR and tariff is TariffChoice.WHIPLASH_PSYCHOLOGICAL:
        extra["higher_tariff"] = True
    return _replace(s, negotiation=neg, offer_details=s.offer_details.append(e), **extra)


def _offer_liability_check(s: _State, e: ClaimEvent) -> None:
    """Check the share of liability an offer is made on (guide 6.3.1.1, 6.5.2, 6.6.1.1).

    Liability may be negotiated at the offer stage, but never below what the compensator
    admitted, and never away from a share the court determined.
    """
    pct: Decimal | None = e.get("liability_percent")
    if pct is None or s.liability_percent is None:
        return
    if s.liability_by_court and pct != s.liability_percent:
        raise _deny(
            f"the court determined the compensator's share of liability at "
            f"{s.liability_percent}%; an offer is made on that share",
            HOLD_REFERENCE,
            pct,
            "liability_percent",
        )
    if pct < s.liability_percent:
        raise _deny(
            f"an offer is made on the compensator's share of liability of at least the "
            f"{s.liability_percent}% it admitted, and at most 100%",
            OFFER_LIABILITY_REFERENCE,
            pct,
            "liability_percent",
        )


def _tariff_of(s: _State, party: Party) -> TariffChoice | None:
    return next((t for p, t in s.tariffs if p is party), None)


def _whiplash_stance(s: _State, e: ClaimEvent) -> dict[str, Any]:
    """Check an offer's tariff against an agreed whiplash finding and the prognosis.

    Once both sides' offers agree there is (or is not) a whiplash injury, neither reopens
    it (guide 6.5.3.1). The compensator's whiplash tariff offer on a report with a
    prognosis over 24 months is refused: the tariff covers injuries of not more than two
    years (Civil Liability Act 2018 s.3; guide 6.4.2, 6.4.2.2).
    """
    tariff: TariffChoice | None = e.get("tariff")
    party: Party = e["party"]
    if tariff is None:
        return {}
    says_whiplash = tariff is not TariffChoice.NONE
    if s.whiplash_agreed is not None and says_whiplash is not s.whiplash_agreed:
        agreed = "is a" if s.whiplash_agreed else "is no"
        raise _deny(
            f"both sides have agreed there {agreed} whiplash injury; it cannot be challenged "
            "again in the portal (only the tariff, where the lower one was offered, and the "
            "duration remain open)",
            WHIPLASH_AGREED_REFERENCE,
            tariff.value,
            "tariff",
        )
    long = s.prognosis_months is not None and s.prognosis_months > LONG_PROGNOSIS_MONTHS
    if party is Party.COMPENSATOR and says_whiplash and long:
        raise _deny(
            f"the medical report gives a prognosis of {s.prognosis_months} months, more than "
            f"{LONG_PROGNOSIS_MONTHS}: the whiplash tariff covers injuries of not more than 2 "
            "years, so the offer values the injury outside the tariff (tariff 'none'); the "
            "claim may exceed the small claims limit and the claimant may withdraw it and "
            "seek advice",
            LONG_PROGNOSIS_REFERENCE,
            tariff.value,
            "tariff",
        )
    other = _tariff_of(s, party.other)
    tariffs = (*((p, t) for p, t in s.tariffs if p is not party), (party, tariff))
    extra: dict[str, Any] = {"tariffs": tariffs}
    if other is not None and (other is not TariffChoice.NONE) is says_whiplash:
        extra["whiplash_agreed"] = says_whiplash
    return extra


def _apply_negotiation(s: _State, e: ClaimEvent, cal: EnglandWalesCalendar | None) -> _State:
    """Hand a reject, withdraw or fee event to the negotiation (guide 6.5.3.2, 6.5.5)."""
    if e.kind in (_K.FEE_OFFER, _K.FEE_ACCEPT, _K.FEE_REJECT):
        if not s.negotiation.is_settled:
            raise _deny(
                "fees are negotiated only once the settlement of the losses is agreed",
                "guide 6.5.3.2",
                e.kind.value,
            )
    else:
        _negotiation_open(s, e)
    neg = s.negotiation.apply(
        OfferEvent(kind=_NEGOTIATION_KINDS[e.kind], on=e.on, party=e.party, amount=e.get("amount"))
    )
    return _replace(s, negotiation=neg)


def _apply_accept(s: _State, e: ClaimEvent, cal: EnglandWalesCalendar | None) -> _State:
    _negotiation_open(s, e)
    neg = s.negotiation.apply(
        OfferEvent(
            kind=OfferEventKind.ACCEPT,
            on=e.on,
            party=e["party"],
            offer_number=e.get("offer_number"),
        )
    )
    cru: bool = e["updated_cru_certificate"]
    period = Period.PAYMENT_WITH_CRU if cru else Period.PAYMENT
    return _replace(
        s,
        negotiation=neg,
        closed_because="settled: an offer was accepted",
        closed_on=e.on,
        payment_due=due_date(period, e.on, calendar=cal),
        payment_period=period,
    )


def _apply_wait_out_prognosis(s: _State, e: ClaimEvent, cal: EnglandWalesCalendar | None) -> _State:
    _negotiation_open(s, e)
    latest = s.negotiation.latest_offer(Party.COMPENSATOR)
    if latest is None or latest.status is not OfferStatus.OPEN:
        raise _deny(
            "the claimant waits out the prognosis in answer to an open compensator offer",
            PROGNOSIS_REFERENCE,
            e.on,
        )
    return _replace(s, waiting_prognosis=True)


def _apply_prognosis_outcome(s: _State, e: ClaimEvent, cal: EnglandWalesCalendar | None) -> _State:
    if not s.waiting_prognosis:
        raise _deny("the claimant is not waiting out the prognosis", PROGNOSIS_REFERENCE, e.on)
    outcome = e["outcome"].value
    if outcome == "recovered":
        return _replace(s, waiting_prognosis=False)
    # Further losses or a further report: the offer process starts over (guide 6.5.3.1).
    return _replace(
        s,
        waiting_prognosis=False,
        restart_pending=True,
        past_negotiations=s.past_negotiations.append(s.negotiation),
        negotiation=_fresh_negotiation(s, e.on, cal),
        offer_details=_NOTHING,
        offer_due=None,
    )


def _fresh_negotiation(s: _State, on: date, cal: EnglandWalesCalendar | None) -> Negotiation:
    """Return a new negotiation for the restarted offer process, told of the report."""
    fresh = Negotiation(calendar=cal, whiplash=s.whiplash)
    if s.report_shared_on is not None:
        fresh = fresh.apply(OfferEvent(kind=OfferEventKind.MEDICAL_REPORT, on=on))
    return fresh


@exact
def _settlement_sum(s: _State) -> Decimal | None:
    """Return what the accepted settlement pays (guide 6.5.2).

    ``None`` when the offer gives no breakdown to work it out from (then no payment is
    checked against a sum).
    """
    if s.negotiation.settled_offer is None:
        return None
    try:
        return _payment(s).total
    except RulesError:
        return None


@exact
def _settlement_balance(s: _State) -> Decimal | None:
    """Return what is still owed on the settlement, or ``None`` when the sum is unknown."""
    if s.payment_due is None or s.paid_on is not None:
        return None if s.payment_due is None else ZERO
    total = _settlement_sum(s)
    return None if total is None else max(total - s.settlement_paid, ZERO)


@exact
def _apply_payment_made(s: _State, e: ClaimEvent, cal: EnglandWalesCalendar | None) -> _State:
    if s.payment_due is None:
        raise _deny("there is no payment due", PAYMENT_REFERENCE, e.on)
    if s.paid_on is not None:
        raise _deny(
            f"the settlement was paid in full on {s.paid_on}: there is no payment due",
            PAYMENT_REFERENCE,
            e.on,
        )
    assert s.closed_on is not None
    assert s.payment_period is not None
    full: bool = e["full"]
    amount: Decimal | None = e.get("amount")
    balance = _settlement_balance(s)
    owed = "" if balance is None else f" of {format_money(balance)}"
    if amount is not None and amount <= ZERO:
        raise _deny("a payment pays something", PAYMENT_REFERENCE, amount, "amount")
    if not full:
        if amount is None:
            raise _deny(
                "a partial payment states the sum paid, so that the balance left is known",
                PAYMENT_REFERENCE,
                None,
                "amount",
            )
        if balance is not None and amount >= balance:
            raise _deny(
                f"a payment of the whole balance{owed} is a full payment (full: true)",
                PAYMENT_REFERENCE,
                amount,
                "amount",
            )
        return _replace(s, settlement_paid=s.settlement_paid + amount)
    if amount is not None and balance is not None and amount != balance:
        raise _deny(
            f"a full payment pays the balance{owed}; record a smaller sum as a partial payment "
            "(full: false), which leaves the rest owed",
            PAYMENT_REFERENCE,
            amount,
            "amount",
        )
    paid = amount if amount is not None else (balance if balance is not None else ZERO)
    deadline = _settlement_payment(s.payment_period, s.closed_on, s.payment_due)
    met = _record(s, _met(deadline, e.on))
    return _replace(s, paid_on=e.on, met=met, settlement_paid=s.settlement_paid + paid)
