"""What an offer pays: the payment breakdown of a claim's offers, and offers by number.

Guide 6.5.2, 6.3.1.1, 6.3.1.4 and 6.5.5.1: the share of liability an offer is made on,
the payment of the settled (or latest) compensator offer through
:func:`~rtaprotocol.losses.compute_payment_for_losses`, the liability basis and value flags
the payment shows, and an offer found by its number on the portal.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Final

from attrs import evolve

from rtaprotocol._checks import check_int, count_text
from rtaprotocol._decimal import exact
from rtaprotocol.claim.events import ClaimEvent, _party
from rtaprotocol.claim.kinds import (
    HOLD_REFERENCE,
    INTERIM_REFERENCE,
    LONG_PROGNOSIS_MONTHS,
    LONG_PROGNOSIS_REFERENCE,
    OFFER_LIABILITY_REFERENCE,
    TariffChoice,
)
from rtaprotocol.claim.state import _State
from rtaprotocol.deductions import _pct
from rtaprotocol.errors import ErrorCode, ProtocolViolation, RulesError
from rtaprotocol.losses import ListOfLosses, LossesPayment, compute_payment_for_losses
from rtaprotocol.money import ZERO, format_money
from rtaprotocol.offers import Offer, Party


def _offer_share(s: _State, e: ClaimEvent) -> Decimal:
    """Return the compensator's share an offer is made on (guide 6.3.1.1, 6.5.2).

    The offer's own ``liability_percent`` when it states one. Otherwise: a share the court
    determined binds every offer (6.6.1.1); a compensator's offer is made on the split it
    admitted at step 2 (6.5.2: it enters each item's full value, then deducts the
    claimant's share); a claimant's offer that states no share is the sum the claimant
    asks to be paid, so it is made on 100% (issue 22: "if the claimant offers £1,500 after
    an 80% admission and the compensator accepts, £1,500 ... is paid, not £1,200"; the
    guide lets liability be dealt with "at the offer stage as part of your negotiation").
    """
    pct: Decimal | None = e.get("liability_percent")
    if pct is not None:
        return pct
    if s.liability_percent is None:
        return Decimal(100)
    if e.get("party") is Party.CLAIMANT and not s.liability_by_court:
        return Decimal(100)
    return s.liability_percent


def _offer_event(s: _State) -> ClaimEvent | None:
    """Return the claim event of the settled offer, else of the compensator's latest."""
    neg = s.negotiation
    target = neg.settled_offer or neg.latest_offer(Party.COMPENSATOR)
    if target is None:
        return None
    offers = neg.offers(target.party)
    index = next(
        i
        for i, o in enumerate(offers)
        if o.made_on == target.made_on and o.number == target.number and o.amount == target.amount
    )
    events = [e for e in s.offer_details if e["party"] is target.party]
    return events[index]


@exact
def _payment(s: _State) -> LossesPayment:
    event = _offer_event(s)
    if event is None:  # an offer that does not exist: reference.not-found, as everywhere
        raise ProtocolViolation(
            "there is no compensator offer to pay out",
            reference="guide 6.5.2",
            code=ErrorCode.NOT_FOUND,
        )
    return _offer_payment(s, event)


@exact
def _offer_payment(s: _State, event: ClaimEvent) -> LossesPayment:
    """Return what the offer ``event`` pays out against the claim in state ``s``."""
    values: tuple[Decimal, ...] | None = event.get("items")
    injury: Decimal | None = event.get("injury")
    if values is None and injury is None:
        raise RulesError(
            "the offer gives no breakdown (injury sum and item values), so its deductions "
            "cannot be worked out",
            value=event["amount"],
            field="items",
            reference="guide 6.5.2",
            code=ErrorCode.VALUE_INVALID,
        )
    items = s.losses.items
    values = values if values is not None else tuple(ZERO for _ in items)
    valued = []
    for i, (item, value) in enumerate(zip(items, values, strict=True)):
        if item.interim_paid > value:
            raise RulesError(
                f"the offer values item {i} at {format_money(value)}, less than the interim "
                f"payment of {format_money(item.interim_paid)} that settled it",
                value=value,
                field=f"items[{i}]",
                reference=INTERIM_REFERENCE,
                code=ErrorCode.VALUE_INVALID,
            )
        valued.append(evolve(item, amount=value))
    losses = ListOfLosses(
        injury=ZERO if injury is None else injury,
        items=valued,
        stage=s.losses.stage,
        general_interim=s.general_interim,
    )
    negotiated: Decimal | None = event.get("liability_percent")
    share = _offer_share(s, event)
    paid = compute_payment_for_losses(
        losses,
        claimant_liability_percent=Decimal(100) - share,
        seatbelt_percent=event.get("seatbelt_percent", ZERO),
        cru_certificate=event.get("cru"),
    )
    return evolve(
        paid, liability_basis=_liability_basis(s, share, negotiated), flags=_value_flags(s)
    )


def _liability_basis(s: _State, share: Decimal, negotiated: Decimal | None) -> str:
    """Say which share of liability the payment applied, and where it came from."""
    if negotiated is None and s.liability_percent is not None and share != s.liability_percent:
        return (
            f"{_pct(share)}% to the compensator: the claimant's offer states no share of "
            "liability, so the sum it names is the sum paid (admitted at step 2: "
            f"{_pct(s.liability_percent)}%) [{OFFER_LIABILITY_REFERENCE}]"
        )
    if negotiated is not None and negotiated != s.liability_percent:
        admitted = (
            "none recorded" if s.liability_percent is None else f"{_pct(s.liability_percent)}%"
        )
        return (
            f"{_pct(share)}% to the compensator, as negotiated in the offer (admitted at step 2: "
            f"{admitted}) [{OFFER_LIABILITY_REFERENCE}]"
        )
    if s.liability_by_court:
        return f"{_pct(share)}% to the compensator, as the court determined [{HOLD_REFERENCE}]"
    if s.liability_percent is None:
        return (
            f"{_pct(share)}% to the compensator (no share recorded) [{OFFER_LIABILITY_REFERENCE}]"
        )
    return f"{_pct(share)}% to the compensator, as admitted at step 2 [{OFFER_LIABILITY_REFERENCE}]"


def _value_flags(s: _State) -> tuple[str, ...]:
    """Return the warnings on every output that values the claim (guide 6.4.2, 6.4.2.2)."""
    months = s.prognosis_months
    if months is None or months <= LONG_PROGNOSIS_MONTHS:
        return ()
    flag = (
        f"the medical report gives a prognosis of {months} months, more than "
        f"{LONG_PROGNOSIS_MONTHS}: the whiplash tariff stops at 24 months, the claim may be "
        "worth more than the small claims track limit, and the claimant may withdraw it from "
        "the portal ('claim-withdrawn') and seek advice, whose cost may be recoverable; seek "
        f"advice before withdrawing [{LONG_PROGNOSIS_REFERENCE}]"
    )
    # The compensator's tariff offer is refused on such a report; the claimant's own is
    # their choice, but never made silently (issue 22; CLA 2018 s.3).
    on_tariff = [
        f"the {p.value}'s latest offer values the injury on the {t.value} tariff although "
        f"the prognosis is {months} months: the tariff covers a whiplash injury of not more "
        "than 2 years, so the injury may be worth more outside it (tariff 'none') "
        f"[{LONG_PROGNOSIS_REFERENCE}]"
        for p, t in s.tariffs
        if t is not TariffChoice.NONE
    ]
    return (flag, *on_tariff)


# --- offers by number ---------------------------------------------------------------------


def _numbered_offer(s: _State, offer: int | None, party: Any, process: int | None) -> Offer:
    """Return offer ``offer`` of ``party`` (default: the compensator) in ``s``'s negotiation.

    ``process``: the number of a past offer process, named in a refusal; ``None``: the
    current one.

    ``offer=None``: the party's latest offer, or with no party the settled offer, else the
    compensator's latest (as :meth:`Claim.payment` with no arguments).
    """
    neg = s.negotiation
    who = Party.COMPENSATOR if party is None else _party(party, "party")
    where = "" if process is None else f" in offer process {process}"
    if offer is None:
        target = neg.latest_offer(who)
        if party is None:
            target = neg.settled_offer or target
        if target is None:
            raise RulesError(
                f"there is no {who.value} offer to pay out{where}",
                value=who.value,
                field="party",
                reference="guide 6.5.2",
                code=ErrorCode.VALUE_INVALID,
            )
        return target
    n = check_int(offer, field="offer", reference=OFFER_NUMBER_REFERENCE)
    numbered = [o for o in neg.offers(who) if o.number == n]
    if not numbered:
        made = sorted({o.number for o in neg.offers(who)})
        numbers = ", ".join(map(str, made)) if made else "none yet"
        raise ProtocolViolation(
            f"the {who.value} has made no offer {count_text(n)}{where} (its offers: "
            f"{numbers}); offers are numbered 1 to 3 for each party",
            value=offer,
            field="offer",
            reference=OFFER_NUMBER_REFERENCE,
            code=ErrorCode.NOT_FOUND,
        )
    return numbered[-1]


#: Offers are numbered 1 to 3 for each party; a replacement keeps its number (6.5.5.1).
OFFER_NUMBER_REFERENCE: Final = "guide 6.5.5.1"


def _offer_event_of(s: _State, target: Offer) -> ClaimEvent:
    """Return the claim event that made ``target``, one of ``s``'s negotiation's offers."""
    # Offers and offer events are one to one, in order, for each party; no two offers
    # of a party are equal (a withdrawn one differs from its replacement by its status).
    index = s.negotiation.offers(target.party).index(target)
    events = [e for e in s.offer_details if e["party"] is target.party]
    return events[index]
