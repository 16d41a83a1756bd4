"""Interim payments: requests, responses, payments and voluntary interims (reducers).

Guide 6.3.1.4: one ``_apply_<kind>(state, event, calendar)`` per event kind, and the
checks on an interim's amount and item.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from attrs import evolve

from rtaprotocol._decimal import exact
from rtaprotocol._persistent import Vec
from rtaprotocol.claim.deadlines import _interim_response, _met
from rtaprotocol.claim.events import ClaimEvent
from rtaprotocol.claim.kinds import (
    FINAL_REFERENCE,
    INTERIM_REFERENCE,
    LOSSES_REFERENCE,
    InterimAnswer,
)
from rtaprotocol.claim.state import _admitted, _deny, _Interim, _record, _replace, _State
from rtaprotocol.deadlines import EnglandWalesCalendar, Period, due_date
from rtaprotocol.deductions import Head
from rtaprotocol.errors import ErrorCode
from rtaprotocol.losses import LossItem
from rtaprotocol.money import ZERO, format_money


def _apply_interim_requested(s: _State, e: ClaimEvent, cal: EnglandWalesCalendar | None) -> _State:
    head: Head | None = e.get("head")
    item: int | None = e.get("item")
    if head is Head.INJURY:
        raise _deny(
            "an interim payment is only for other protocol damages, not for the injury itself",
            INTERIM_REFERENCE,
            head.value,
            "head",
        )
    if not _admitted(s):
        raise _deny(
            "an interim payment can be requested only once liability or fault is admitted, "
            "or a court has found for the claimant",
            INTERIM_REFERENCE,
            None if s.liability is None else s.liability.value,
        )
    listed = _check_item(s, item)
    if listed is not None and head is not None and listed.head is not head:
        raise _deny(
            f"the item is listed under {listed.head.value}", INTERIM_REFERENCE, head.value, "head"
        )
    _check_interim_amount(s, listed, e["amount"])
    _check_open_requests(s, listed, item, e["amount"], e.on)
    due = due_date(Period.INTERIM_PAYMENT_RESPONSE, e.on, calendar=cal)
    new = _Interim(requested_on=e.on, amount=e["amount"], item=item, due=due)
    return _replace(s, interims=s.interims.append(new))


@exact
def _claim_value(s: _State) -> Decimal | None:
    """Return the claim's value: the larger of the facts submitted and the List of Losses.

    Injury plus other protocol damages (guide 4.1, 6.5.1.1); ``None`` when neither gives
    a figure. The larger of the two, so that no request the claim could justify is refused.
    """
    f = s.facts
    stated = ZERO if f is None else (f.injury or ZERO) + (f.other_protocol_damages or ZERO)
    listed = s.losses.injury + sum((i.amount for i in s.losses.items if i.protocol), ZERO)
    value = max(stated, listed)
    return value if value > ZERO else None


@exact
def _check_interim_amount(s: _State, listed: LossItem | None, amount: Decimal) -> None:
    """Refuse an interim request larger than its item, or a general one beyond the value."""
    if amount <= ZERO:
        raise _deny(
            "an interim payment request asks for a sum", INTERIM_REFERENCE, amount, "amount"
        )
    if listed is not None:
        if amount > listed.amount:
            raise _deny(
                "an interim payment for an item settles that item; the request cannot be more "
                f"than the item's {format_money(listed.amount)} on the List of Losses",
                INTERIM_REFERENCE,
                amount,
                "amount",
            )
        return
    value = _claim_value(s)
    if value is not None and s.general_interim + amount > value:
        raise _deny(
            "a general interim payment is offset against the final settlement, so general "
            f"interim payments ({format_money(s.general_interim)} so far) cannot come to more "
            f"than the claim's value of {format_money(value)}",
            INTERIM_REFERENCE,
            amount,
            "amount",
        )


@exact
def _check_open_requests(
    s: _State, listed: LossItem | None, item: int | None, amount: Decimal, on: date
) -> None:
    """Refuse a request that, with those still open, asks too much (guide 6.3.1.4).

    Requests still open for the same item (or general ones) count towards the item (or
    the claim's value). Open: unanswered and still within its 15 business days, or agreed and not yet paid.
    One unanswered after its 15 business days does not count: the claimant may go to court
    on it or ask again, so no route is closed by it.
    """
    # No request before either cursor is unanswered or agreed-and-unpaid (bookkeeping of
    # _State): the scan starts at the first that may still be open.
    first = min(s.interim_pending_from, s.interim_owed_from)
    open_ = [
        i
        for i in (s.interims[at] for at in range(first, len(s.interims)))
        if i.item == item
        and not i.to_court
        and i.paid_on is None
        and (i.agreed_amount is not None or (i.answered_on is None and on <= i.due))
    ]
    if not open_:
        return
    pending = sum(
        (i.agreed_amount if i.agreed_amount is not None else i.amount for i in open_), ZERO
    )
    if listed is not None:
        limit = listed.amount
        what = f"the item's {format_money(limit)} on the List of Losses"
    else:
        value = _claim_value(s)
        if value is None:
            return
        limit = value - s.general_interim
        what = (
            f"the claim's value of {format_money(value)} less the general interim payments "
            f"made ({format_money(s.general_interim)})"
        )
    if pending + amount > limit:
        raise _deny(
            f"interim requests still open for the same {'item' if listed else 'general payment'} "
            f"ask for {format_money(pending)} already; with this one they would come to more "
            f"than {what}",
            INTERIM_REFERENCE,
            amount,
            "amount",
        )


def _check_item(s: _State, item: int | None) -> LossItem | None:
    """Return the List of Losses item an interim payment is for, or refuse it."""
    if item is None:
        return None
    items = s.losses.items
    if item >= len(items):
        raise _deny(
            f"the List of Losses has {len(items)} items (numbered from 0)"
            + ("; no new protocol losses after the offer is requested" if s.offer_stage else ""),
            LOSSES_REFERENCE if s.offer_stage else INTERIM_REFERENCE,
            item,
            "item",
            code=ErrorCode.NOT_FOUND,
        )
    chosen = items[item]
    if chosen.paid:
        raise _deny(
            "this item was paid on interim: it is settled in full",
            INTERIM_REFERENCE,
            item,
            "item",
        )
    if not chosen.protocol:
        raise _deny(
            "an interim payment is for protocol damages; a non-protocol vehicle cost is dealt "
            "with outside the portal",
            "guide 5.2.4, 6.3.1.4",
            item,
            "item",
        )
    return chosen


@exact
def _pay_interim(s: _State, item: int | None, amount: Decimal) -> dict[str, Any]:
    """Return the state changes for an interim payment: an item settled, or a general one."""
    if item is None:
        return {"general_interim": s.general_interim + amount}
    chosen = _check_item(s, item)
    assert chosen is not None
    if amount > chosen.amount:
        raise _deny(
            f"an interim payment for an item settles that item; it cannot be more than the "
            f"item's {format_money(chosen.amount)}",
            INTERIM_REFERENCE,
            amount,
            "amount",
        )
    if amount == ZERO:
        raise _deny("an interim payment pays something", INTERIM_REFERENCE, amount, "amount")
    return {"losses": s.losses.with_interim(item, amount)}


def _pending(i: _Interim) -> bool:
    return i.answered_on is None and not i.to_court


def _owed(i: _Interim) -> bool:
    return i.agreed_amount is not None and i.paid_on is None


def _first_interim(
    interims: Vec[_Interim], start: int, wanted: Callable[[_Interim], bool]
) -> int | None:
    """Return the index of the first interim request from ``start`` that is ``wanted``.

    The state keeps ``start`` past every request known not to be wanted (answered or
    taken to court; paid), so that a long history of interim payments is not scanned on
    every answer: bookkeeping only, the first such request is the one the rules name.
    """
    for at in range(start, len(interims)):
        if wanted(interims[at]):
            return at
    return None


def _apply_interim_response(s: _State, e: ClaimEvent, cal: EnglandWalesCalendar | None) -> _State:
    at = _first_interim(s.interims, s.interim_pending_from, _pending)
    if at is None:
        if any(i.answered_on is None for i in s.interims):
            raise _deny(
                "the interim payment request left unanswered was taken to court: the court's "
                "decision on it is final, not answered again on the portal",
                FINAL_REFERENCE,
                e.on,
            )
        raise _deny("there is no interim payment request to answer", INTERIM_REFERENCE, e.on)
    request = s.interims[at]
    agreed: bool = e["agreed"]
    amount: Decimal | None = e.get("amount")
    answer: InterimAnswer = e.get("answer") or (
        InterimAnswer.AGREE_AND_PAY if agreed else InterimAnswer.REFUSE
    )
    if answer.agrees is not agreed:
        raise _deny(
            f"the answer '{answer.value}' {'agrees' if answer.agrees else 'refuses'}: "
            f"agreed is {str(answer.agrees).lower()}",
            INTERIM_REFERENCE,
            agreed,
            "agreed",
        )
    if not agreed and amount is not None:
        raise _deny("a refusal pays nothing", INTERIM_REFERENCE, amount, "amount")
    _check_interim_answer(request, answer, amount)
    answered = evolve(
        request,
        answered_on=e.on,
        agreed=agreed,
        answer=answer,
        agreed_amount=(
            (request.amount if amount is None else amount)
            if answer is InterimAnswer.AGREE_NOT_YET_PAID
            else None
        ),
        paid_on=e.on
        if answer in (InterimAnswer.AGREE_AND_PAY, InterimAnswer.AGREE_IN_PART)
        else None,
    )
    interims = s.interims.set(at, answered)
    met = _record(s, _met(_interim_response(request.requested_on, request.due), e.on))
    extra: dict[str, Any] = {}
    if answered.paid_on is not None:
        extra = _pay_interim(s, request.item, request.amount if amount is None else amount)
    return _replace(s, interims=interims, interim_pending_from=at, met=met, **extra)


def _check_interim_answer(request: _Interim, answer: InterimAnswer, amount: Decimal | None) -> None:
    """Check the sum an answer agrees against the sum requested (guide 6.3.1.4)."""
    if answer is InterimAnswer.AGREE_IN_PART and (
        amount is None or not ZERO < amount < request.amount
    ):
        raise _deny(
            "an agreement in part pays part of the request: more than £0.00 and less than "
            f"the {format_money(request.amount)} requested",
            INTERIM_REFERENCE,
            amount,
            "amount",
        )
    if (
        answer is InterimAnswer.AGREE_NOT_YET_PAID
        and amount is not None
        and amount != request.amount
    ):
        raise _deny(
            "an agreement still to be paid agrees the sum requested "
            f"({format_money(request.amount)}); agree in part to pay less",
            INTERIM_REFERENCE,
            amount,
            "amount",
        )


def _apply_interim_paid(s: _State, e: ClaimEvent, cal: EnglandWalesCalendar | None) -> _State:
    """Record the payment of an interim payment the compensator agreed earlier (6.3.1.4)."""
    at = _first_interim(s.interims, s.interim_owed_from, _owed)
    if at is None:
        raise _deny(
            "there is no agreed interim payment waiting to be paid (an agreement paid at once "
            "is recorded with its answer, a voluntary payment as voluntary-interim-payment)",
            INTERIM_REFERENCE,
            e.on,
        )
    request = s.interims[at]
    assert request.agreed_amount is not None
    amount: Decimal | None = e.get("amount")
    if amount is not None and amount != request.agreed_amount:
        raise _deny(
            f"the payment of an agreed interim is the sum agreed ({format_money(request.agreed_amount)})",
            INTERIM_REFERENCE,
            amount,
            "amount",
        )
    if request.to_court:
        raise _deny(
            "this agreed interim payment was taken to court: the court's order decides it",
            FINAL_REFERENCE,
            e.on,
        )
    paid = evolve(request, paid_on=e.on)
    interims = s.interims.set(at, paid)
    return _replace(
        s,
        interims=interims,
        interim_owed_from=at,
        **_pay_interim(s, request.item, request.agreed_amount),
    )


def _apply_voluntary_interim(s: _State, e: ClaimEvent, cal: EnglandWalesCalendar | None) -> _State:
    if e.get("item") is None:
        _check_interim_amount(s, None, e["amount"])
    return _replace(s, **_pay_interim(s, e.get("item"), e["amount"]))
