"""What an offer pays from a List of Losses, CRU set off item by item (guide 6.5.2).

The rule: :func:`~rtaprotocol.losses.compute_payment_for_losses`, with the order in which
earnings CRU meets the heads (injury-related, then property) and the items the
compensator may name.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Final, final

from attrs import frozen

from rtaprotocol._checks import wrong_type
from rtaprotocol._decimal import exact
from rtaprotocol._render import jsonable
from rtaprotocol.deductions import (
    Head,
    PaymentBreakdown,
    PerHead,
    compute_payment,
)
from rtaprotocol.errors import (
    ErrorCode,
    ProtocolViolation,
)
from rtaprotocol.losses.cru import CruCertificate, CruSetOff
from rtaprotocol.losses.list_of_losses import ListOfLosses
from rtaprotocol.losses.loss_types import (
    CRU_HEAD_REFERENCE,
    LIST_REFERENCE,
    MOBILITY_LOSS_TYPES,
    CruHead,
)
from rtaprotocol.losses.views import payment_html, payment_text
from rtaprotocol.money import ZERO, format_money, round_penny


@final
@frozen
class LossesPayment:
    """What an offer pays, computed item by item from a List of Losses (guide 6.5.2).

    ``breakdown`` is the per-head :class:`~rtaprotocol.PaymentBreakdown` (its CRU step
    holds what was set off under each offer-screen head); ``cru`` one
    :class:`CruSetOff` per Sch 2 head; ``interim_items`` the indexes of items settled by
    an interim payment. ``liability_basis`` (optional) says where the share of liability
    applied came from: the split admitted at step 2, or one negotiated in the offer
    (guide 6.3.1.1, 6.5.2); ``flags`` are warnings about the valuation itself (a prognosis
    over 24 months, guide 6.4.2), shown first among the notes.
    """

    breakdown: PaymentBreakdown
    cru: tuple[CruSetOff, ...]
    interim_items: tuple[int, ...]
    liability_basis: str | None = None
    flags: tuple[str, ...] = ()

    @property
    def total(self) -> Decimal:
        """The payment (guide 6.5.2): :attr:`PaymentBreakdown.total`."""
        return self.breakdown.total

    @property
    @exact
    def cru_not_set_off(self) -> Decimal:
        """The certificate's amounts that could not be set off against matching items."""
        return sum((c.not_set_off for c in self.cru), ZERO)

    def _cru_notes(self) -> list[str]:
        return [
            f"CRU for {c.head.value} of {format_money(c.not_set_off)} not set off: the "
            f"matching items are worth {format_money(c.available)} after the percentage "
            f"steps ({c.head.reference})"
            for c in self.cru
            if c.not_set_off
        ]

    def notes(self) -> tuple[str, ...]:
        """Return the flags, one sentence for each CRU amount not set off, then the breakdown's notes."""
        return (*self.flags, *self._cru_notes(), *self.breakdown.notes())

    def __str__(self) -> str:
        return payment_text(self)

    @exact
    def to_frame(self) -> Any:
        """Return the payment's breakdown as a pandas DataFrame (the ``batch`` extra).

        One row per step of guide 6.5.2, as the view shows it (money in exact pounds);
        the CRU set-off head by head is in ``to_dict()["cru"]``.

        >>> from rtaprotocol import ListOfLosses, compute_payment_for_losses
        >>> compute_payment_for_losses(ListOfLosses(injury=1000)).to_frame()["total"].iloc[-1]
        Decimal('1000.00')
        """
        return self.breakdown.to_frame()

    def _repr_html_(self) -> str:
        """Render the payment (its breakdown first), then CRU head by head, then notes."""
        return payment_html(self)

    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data (amounts as exact strings)."""
        return {
            "total": jsonable(self.total),
            "breakdown": self.breakdown.to_dict(),
            "cru": [c.to_dict() for c in self.cru],
            "cru_not_set_off": jsonable(self.cru_not_set_off),
            "interim_items": list(self.interim_items),
            "liability_basis": self.liability_basis,
            "notes": list(self.notes()),
        }


# Earnings CRU goes first against the injury-related head, then the property head.
_CRU_HEAD_ORDER: Final = (Head.INJURY_RELATED, Head.PROPERTY)


def _percent_off(amount: Decimal, pct: Decimal) -> Decimal:
    return round_penny(amount * (100 - pct) / 100)


@exact
def compute_payment_for_losses(
    losses: ListOfLosses,
    *,
    claimant_liability_percent: Any = 0,
    seatbelt_percent: Any = 0,
    seatbelt_heads: Iterable[Head | str] = (Head.INJURY, Head.INJURY_RELATED),
    cru_certificate: CruCertificate | None = None,
    cru_items: Sequence[int] | None = None,
) -> LossesPayment:
    """Compute what an offer pays from a List of Losses, CRU set off item by item.

    The steps are those of :func:`~rtaprotocol.compute_payment` (guide 6.5.2): liability,
    seatbelt, CRU, interim, then the list's general interim. Full values per head are the
    injury and the protocol items (non-protocol vehicle costs are not paid through the
    portal). CRU: each head of ``cru_certificate`` is set off only against the items whose
    type matches it (Sch 2), up to their value after the liability and seatbelt steps
    (each head's matching items summed, then each step's result rounded half-up, as for a
    head); earnings go first against the injury-related head, then the property head; the
    rest is recorded in :attr:`LossesPayment.cru`, never moved. ``cru_items`` restricts the
    set-off to the items the compensator names; naming an item of no Sch 2 head (property
    repairs, say) is a ``ProtocolViolation``. Interim payments for items come off their
    heads.

    The guide's example, with CRU recorded against the loss of earnings (guide 6.5.2.2):

    >>> losses = ListOfLosses(injury=1000, items=[
    ...     LossItem("injury-loss-of-earnings", 1500),
    ...     LossItem("property-repairs", 1300), LossItem("property-excess", 200, interim_paid=200)])
    >>> pay = compute_payment_for_losses(losses, claimant_liability_percent=25,
    ...     seatbelt_percent=10, cru_certificate=CruCertificate(earnings=500))
    >>> pay.total, pay.cru[0].items, pay.cru[0].set_off
    (Decimal('2112.50'), (0,), Decimal('500.00'))
    >>> compute_payment_for_losses(losses, cru_certificate=CruCertificate(earnings=500), cru_items=[1])
    Traceback (most recent call last):
    ...
    rtaprotocol.errors.ProtocolViolation: cru_items[0]: CRU may be set off only against compensation for earnings lost, the cost of care or loss of mobility; 'property-repairs' is none of them: got 1 [Social Security (Recovery of Benefits) Act 1997, Sch 2; guide 6.5.2.2]
    """
    if not isinstance(losses, ListOfLosses):
        raise wrong_type(losses, "a ListOfLosses", field="losses", reference=LIST_REFERENCE)
    certificate = CruCertificate() if cru_certificate is None else cru_certificate
    if not isinstance(certificate, CruCertificate):
        raise wrong_type(
            certificate, "a CruCertificate", field="cru_certificate", reference=CRU_HEAD_REFERENCE
        )
    chosen = _cru_items(losses, cru_items)
    full = losses.total_by_head()
    # Validate the percentages and heads once, through the per-head path.
    plain = compute_payment(
        full,
        claimant_liability_percent=claimant_liability_percent,
        seatbelt_percent=seatbelt_percent,
        seatbelt_heads=seatbelt_heads,
    )
    liability = plain.claimant_liability_percent
    seatbelt = plain.seatbelt_percent
    belted = plain.seatbelt_heads
    remaining = dict(plain.step("seatbelt").after.items())

    def after_steps(amount: Decimal, head: Head) -> Decimal:
        value = _percent_off(amount, liability)
        return _percent_off(value, seatbelt) if head in belted else value

    cru_by_head = dict.fromkeys(Head, ZERO)
    records: list[CruSetOff] = []
    for cru_head in CruHead:
        matched = tuple(
            i
            for i, item in enumerate(losses.items)
            if i in chosen and item.protocol and item.type.cru_head is cru_head
        )
        amount = certificate.amount(cru_head)
        left = amount
        available = ZERO
        landed = dict.fromkeys(Head, ZERO)
        for head in _CRU_HEAD_ORDER:
            value = sum(
                (losses.items[i].amount for i in matched if losses.items[i].head is head), ZERO
            )
            cap = min(after_steps(value, head), remaining[head])
            available += cap
            take = min(left, cap)
            landed[head] = take
            remaining[head] -= take
            cru_by_head[head] += take
            left -= take
        confidence = "primary: Sch 2 para " + cru_head.paragraph
        if cru_head is CruHead.MOBILITY:
            confidence = "; ".join(MOBILITY_LOSS_TYPES.values()) or confidence
        records.append(
            CruSetOff(
                head=cru_head,
                certificate=amount,
                items=matched,
                available=available,
                set_off_by_head=PerHead.of(landed),
                not_set_off=left,
                confidence=confidence,
                reference=cru_head.reference,
            )
        )
    interim = dict.fromkeys(Head, ZERO)
    for item in losses.protocol_items:
        interim[item.head] += item.interim_paid
    breakdown = compute_payment(
        full,
        claimant_liability_percent=liability,
        seatbelt_percent=seatbelt,
        seatbelt_heads=belted,
        cru=PerHead.of(cru_by_head),
        interim=PerHead.of(interim),
        general_interim=losses.general_interim,
    )
    return LossesPayment(
        breakdown=breakdown,
        cru=tuple(records),
        interim_items=tuple(i for i, item in enumerate(losses.items) if item.paid),
    )


def _cru_items(losses: ListOfLosses, cru_items: Any) -> frozenset[int]:
    if cru_items is None:
        return frozenset(range(len(losses.items)))
    if isinstance(cru_items, str | Mapping) or not isinstance(cru_items, Iterable):
        raise wrong_type(
            cru_items, "a sequence of item indexes", field="cru_items", reference=CRU_HEAD_REFERENCE
        )
    chosen: set[int] = set()
    for n, index in enumerate(cru_items):
        i = losses._index(index, CRU_HEAD_REFERENCE, field=f"cru_items[{n}]")
        item = losses.items[i]
        if item.type.cru_head is None:
            raise ProtocolViolation(
                "CRU may be set off only against compensation for earnings lost, the cost "
                f"of care or loss of mobility; {item.type.value!r} is none of them",
                value=index,
                field=f"cru_items[{n}]",
                reference=CRU_HEAD_REFERENCE,
                state=losses.stage,
                code=ErrorCode.PROTOCOL_FORBIDDEN,
            )
        chosen.add(i)
    return frozenset(chosen)
