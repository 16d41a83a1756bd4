"""The text and HTML views of a List of Losses and of its payment (docs/views.md).

What a reader sees: tables with each line's reference, then the warnings and notes. No
rule is decided here: the classes' ``__str__``, ``_repr_html_`` and ``to_frame`` call
these functions with the values the rules computed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from rtaprotocol._render import html_table, html_text, html_verdict, text_table
from rtaprotocol.losses.loss_types import NON_PROTOCOL_REFERENCE
from rtaprotocol.money import format_money

if TYPE_CHECKING:
    from rtaprotocol.losses.list_of_losses import ListOfLosses
    from rtaprotocol.losses.payment import LossesPayment

#: The columns of a List of Losses' table (its text, HTML and DataFrame views).
LIST_HEADERS: Final = ("item", "head", "amount", "counts?", "reference")
_CRU_HEADERS: Final = (
    "CRU head", "items", "certificate", "matching", "set off", "not set off", "reference",
)  # fmt: skip
_CRU_TITLE: Final = "CRU by benefit head (Sch 2): set off only against matching items"


def list_rows(losses: ListOfLosses) -> list[list[Any]]:
    """Return the rows of a List of Losses' table: the injury, each item, then the totals."""
    rows: list[list[Any]] = [["injury", "", losses.injury, "counted", "guide 5.2.1"]]
    for item in losses.items:
        status = "counted" if item.protocol else "not counted (non-protocol vehicle cost)"
        if item.paid:
            status += f"; interim paid {format_money(item.interim_paid)}"
        rows.append([item.type.value, item.head.value, item.amount, status, item.type.reference])
    rows.append(
        ["counted towards the limits", "", losses.counted_total, "", "guide 1.1, 4.1, 4.4.3"]
    )
    rows.append(
        [
            "non-protocol vehicle costs",
            "",
            losses.non_protocol_vehicle_costs,
            "not counted",
            NON_PROTOCOL_REFERENCE,
        ]
    )
    return rows


def list_title(losses: ListOfLosses) -> str:
    """Return the title of a List of Losses' views: its stage and the total counted."""
    return (
        f"List of Losses ({losses.stage.value}): {format_money(losses.counted_total)} counted "
        "towards the limits (guide 5.2)"
    )


def list_text(losses: ListOfLosses) -> str:
    """Return a List of Losses as text: its table, then any warning."""
    table = text_table(list(LIST_HEADERS), list_rows(losses), title=list_title(losses))
    return "\n".join([table, *(f"Warning: {w}" for w in losses.warnings)])


def list_html(losses: ListOfLosses) -> str:
    """Render the total counted first, then every item, then any warning."""
    table = html_table(list(LIST_HEADERS), list_rows(losses))
    return (
        html_verdict(list_title(losses), "info")
        + table
        + "".join(f"<p>Warning: {html_text(w)}</p>" for w in losses.warnings)
    )


def _payment_notes(payment: LossesPayment) -> list[str]:
    basis = [] if payment.liability_basis is None else [f"Liability: {payment.liability_basis}"]
    return [*basis, *payment.flags, *payment._cru_notes()]


def _cru_rows(payment: LossesPayment) -> list[list[Any]]:
    return [
        [
            c.head.value,
            ", ".join(str(i) for i in c.items) or "none",
            c.certificate,
            c.available,
            c.set_off,
            c.not_set_off,
            c.head.reference,
        ]
        for c in payment.cru
    ]


def payment_text(payment: LossesPayment) -> str:
    """Return a payment as text: its breakdown, then CRU head by head, then the notes."""
    cru = text_table(_CRU_HEADERS, _cru_rows(payment), title=_CRU_TITLE)
    return "\n\n".join(
        [str(payment.breakdown), "\n".join([cru, *(f"Note: {n}" for n in _payment_notes(payment))])]
    )


def payment_html(payment: LossesPayment) -> str:
    """Render the payment (its breakdown first), then CRU head by head, then notes."""
    return (
        payment.breakdown._repr_html_()
        + html_table(_CRU_HEADERS, _cru_rows(payment), caption=_CRU_TITLE)
        + "".join(f"<p>Note: {html_text(n)}</p>" for n in _payment_notes(payment))
    )
