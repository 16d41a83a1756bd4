"""One line of the List of Losses: :class:`~rtaprotocol.losses.LossItem` (guide 5.2, 5.2.4)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, final

from attrs import Attribute, field, frozen

from rtaprotocol._checks import (
    check_bool,
    check_date,
    check_enum,
    check_text,
)
from rtaprotocol._render import jsonable
from rtaprotocol.deductions import (
    Head,
)
from rtaprotocol.errors import (
    ErrorCode,
    InputError,
    RulesError,
)
from rtaprotocol.losses.loss_types import (
    INTERIM_ITEM_REFERENCE,
    SCHEMA_REFERENCE,
    TABLE_REFERENCE,
    VEHICLE_COSTS_REFERENCE,
    LossType,
    PaidBy,
)
from rtaprotocol.money import ZERO, format_money, to_money


def _to_loss_type(value: Any) -> LossType:
    return LossType.from_slug(value)


def _to_item_money(value: Any) -> Decimal:
    return to_money(value, field="amount", reference=TABLE_REFERENCE)


def _to_interim(value: Any) -> Decimal:
    return to_money(value, field="interim_paid", reference=INTERIM_ITEM_REFERENCE)


def _to_paid_by(value: Any) -> PaidBy:
    return check_enum(value, PaidBy, field="paid_by", reference=VEHICLE_COSTS_REFERENCE)


def _to_optional_date(value: Any) -> date | None:
    if value is None:
        return None
    return check_date(value, field="date_added", reference=TABLE_REFERENCE)


def _check_description(_instance: object, _attribute: Attribute[Any], value: Any) -> None:
    check_text(value, field="description", reference=TABLE_REFERENCE)


def _check_evidence(_instance: object, _attribute: Attribute[Any], value: Any) -> None:
    check_bool(value, field="evidence_held", reference=TABLE_REFERENCE)


@final
@frozen
class LossItem:
    """One line of the List of Losses (guide 5.2), immutable.

    ``amount`` is the item's full value; ``paid_by`` says who paid a vehicle cost
    (guide 5.2.4: the claimant, a friend or a relative make it a protocol vehicle cost;
    an insurer, a credit-hire company or another organisation a non-protocol one);
    ``interim_paid`` is an interim payment made for this item (guide 6.3.1.4), which
    marks it paid. Only the five vehicle costs may be paid by an organisation:

    >>> LossItem(LossType.PROPERTY_TEMPORARY_VEHICLE, 900, paid_by="credit-hire").protocol
    False
    >>> LossItem(LossType.INJURY_CARE, 100, paid_by="insurer")
    Traceback (most recent call last):
    ...
    rtaprotocol.errors.RulesError: paid_by: only the five vehicle costs the protocol lists can be non-protocol vehicle costs; 'injury-care-costs' is not one: got 'insurer' [guide 5.2.4]
    """

    type: LossType = field(converter=_to_loss_type)
    amount: Decimal = field(converter=_to_item_money)
    description: str = field(default="", validator=_check_description, kw_only=True)
    evidence_held: bool = field(default=False, validator=_check_evidence, kw_only=True)
    date_added: date | None = field(default=None, converter=_to_optional_date, kw_only=True)
    paid_by: PaidBy = field(default=PaidBy.CLAIMANT, converter=_to_paid_by, kw_only=True)
    interim_paid: Decimal = field(default=ZERO, converter=_to_interim, kw_only=True)

    def __attrs_post_init__(self) -> None:
        if not self.paid_by.protocol and not self.type.vehicle_cost:
            raise RulesError(
                "only the five vehicle costs the protocol lists can be non-protocol vehicle "
                f"costs; {self.type.value!r} is not one",
                value=self.paid_by.value,
                field="paid_by",
                reference=VEHICLE_COSTS_REFERENCE,
                code=ErrorCode.VALUE_INVALID,
            )
        if self.interim_paid and not self.paid_by.protocol:
            raise RulesError(
                "an interim payment is for protocol damages; a non-protocol vehicle cost is "
                "dealt with outside the portal",
                value=self.interim_paid,
                field="interim_paid",
                reference=INTERIM_ITEM_REFERENCE,
                code=ErrorCode.VALUE_INVALID,
            )
        if self.interim_paid > self.amount:
            raise RulesError(
                f"an interim payment for an item settles that item; it cannot be more than "
                f"the item's {format_money(self.amount)}",
                value=self.interim_paid,
                field="interim_paid",
                reference=INTERIM_ITEM_REFERENCE,
                code=ErrorCode.VALUE_INVALID,
            )

    @property
    def head(self) -> Head:
        """The offer screen's head this item sits in (guide 6.5.2.2)."""
        return self.type.head

    @property
    def protocol(self) -> bool:
        """Whether the item is part of the claim and counts towards the limits (guide 5.2.4)."""
        return self.paid_by.protocol

    @property
    def non_protocol_vehicle_cost(self) -> bool:
        """Whether the item is a non-protocol vehicle cost (guide 1.1.1, 5.2.4)."""
        return not self.paid_by.protocol

    @property
    def paid(self) -> bool:
        """Whether an interim payment has settled this item (guide 6.3.1.4)."""
        return self.interim_paid > 0

    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data, the shape :meth:`from_dict` reads back."""
        return {
            "type": self.type.value,
            "amount": jsonable(self.amount),
            "description": self.description,
            "evidence_held": self.evidence_held,
            "date_added": jsonable(self.date_added),
            "paid_by": self.paid_by.value,
            "interim_paid": jsonable(self.interim_paid),
        }

    @classmethod
    def from_dict(cls, data: Any, *, path: str = "$") -> LossItem:
        """Build an item from parsed JSON (see ``list-of-losses.schema.json``).

        Every problem is reported at once, each with its JSON path:

        >>> LossItem.from_dict({"type": "property-excess", "amount": "200.00"}).amount
        Decimal('200.00')
        >>> LossItem.from_dict({"type": "car", "amount": 1.505, "colour": "red"})
        Traceback (most recent call last):
        ...
        rtaprotocol.errors.InputError: 3 problems in the input:
          $.colour: unknown key in a loss item; allowed: type, amount, description, evidence_held, date_added, paid_by, interim_paid: got 'colour' [rtaprotocol schema list-of-losses]
          $.type: not a type of loss in the guide's table (guide 5.2, 4.4): got 'car' [guide 5.2]
          $.amount: amount has more than two decimal places of value: got 1.505 [rtaprotocol schema list-of-losses]
        """
        from rtaprotocol.losses.reading import _item_from_dict  # reading builds items

        problems: list[RulesError] = []
        item = _item_from_dict(data, path, problems)
        if problems or item is None:
            raise InputError(problems, reference=SCHEMA_REFERENCE)
        return item
