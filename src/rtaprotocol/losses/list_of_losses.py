"""The List of Losses itself: :class:`~rtaprotocol.losses.ListOfLosses` (guide 5.2, 6.5.1.1).

Its stage rules (what may be added when), its totals and the value limits it is
checked against.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, final

import attrs
from attrs import field, frozen

from rtaprotocol._checks import (
    check_int,
    wrong_type,
)
from rtaprotocol._decimal import exact
from rtaprotocol._render import jsonable
from rtaprotocol._views import frame
from rtaprotocol.deductions import (
    Head,
    PerHead,
)
from rtaprotocol.errors import (
    ErrorCode,
    ProtocolViolation,
    RulesError,
)
from rtaprotocol.limits import TOTAL_LIMIT, ValueLimitCheck, check_value_limits
from rtaprotocol.losses.items import LossItem
from rtaprotocol.losses.loss_types import (
    _STAGE_ORDER,
    COURT_REFERENCE,
    INTERIM_ITEM_REFERENCE,
    LIST_REFERENCE,
    SEEK_ADVICE_WARNING,
    STAGE_REFERENCE,
    LossesStage,
    LossType,
    _to_stage,
)
from rtaprotocol.losses.reading import (
    _list_from_dict,
)
from rtaprotocol.losses.views import LIST_HEADERS, list_html, list_rows, list_text
from rtaprotocol.money import MAX_AMOUNT, ZERO, format_money, to_money


def _to_items(value: Any) -> tuple[LossItem, ...]:
    if isinstance(value, str | Mapping) or not isinstance(value, Iterable):
        raise wrong_type(value, "a sequence of LossItem", field="items", reference=LIST_REFERENCE)
    items = tuple(value)
    for i, item in enumerate(items):
        if not isinstance(item, LossItem):
            raise wrong_type(item, "a LossItem", field=f"items[{i}]", reference=LIST_REFERENCE)
    total = sum((item.amount for item in items), ZERO)
    if total > MAX_AMOUNT:
        # Every total the list reports (by head, in all) must itself be an amount the library
        # takes: refused here, never accepted and then failing when the totals are written.
        raise RulesError(
            f"the items add up to {format_money(total)}, more than "
            f"{format_money(MAX_AMOUNT)}, the library's ceiling for an amount",
            value=str(total),
            field="items",
            reference=LIST_REFERENCE,
            code=ErrorCode.MONEY_TOO_LARGE,
        )
    return items


def _to_injury(value: Any) -> Decimal:
    return to_money(value, field="injury", reference="guide 5.2.1, 4.4")


def _to_general_interim(value: Any) -> Decimal:
    return to_money(value, field="general_interim", reference=INTERIM_ITEM_REFERENCE)


@final
@frozen
class ListOfLosses:
    """The claim's List of Losses (guide 5.2), immutable: every change returns a new list.

    ``injury`` is the value of the injury claim (tariff plus non-tariff, guide 5.2.1), not
    an item; ``items`` the losses; ``stage`` where the claim is (:class:`LossesStage`),
    which decides whether an item may still be added (guide 6.5.1.1, 6.6.3.2);
    ``general_interim`` a general interim payment, offset against the final settlement
    on a line of its own (guide 6.3.1.4).

    Once an offer has been requested no loss may be added; at the court stage only a
    non-protocol vehicle cost may, and the list then warns if that takes the claim over a
    value limit:

    >>> losses = ListOfLosses(injury=4000).add(LossItem("injury-loss-of-earnings", 5000))
    >>> losses.at_stage("offer-requested").add(LossItem("property-excess", 250))
    Traceback (most recent call last):
    ...
    rtaprotocol.errors.ProtocolViolation: items: no loss may be added once an offer has been requested (only non-protocol vehicle costs, at the court stage): got 'property-excess' [guide 6.5.1.1]
    >>> court = losses.at_stage("court").add(LossItem("property-repairs", 2000, paid_by="insurer"))
    >>> court.counted_total, court.non_protocol_vehicle_costs, len(court.warnings)
    (Decimal('9000.00'), Decimal('2000.00'), 1)
    """

    injury: Decimal = field(default=ZERO, converter=_to_injury)
    items: tuple[LossItem, ...] = field(default=(), converter=_to_items)
    stage: LossesStage = field(default=LossesStage.CLAIM, converter=_to_stage, kw_only=True)
    general_interim: Decimal = field(default=ZERO, converter=_to_general_interim, kw_only=True)

    # -- changes -------------------------------------------------------------------------

    def add(self, item: LossItem) -> ListOfLosses:
        """Return a new list with ``item`` added, if the stage allows it (guide 6.5.1.1).

        >>> ListOfLosses().add(LossItem("property-excess", 250)).items[0].amount
        Decimal('250.00')
        """
        if not isinstance(item, LossItem):
            raise wrong_type(item, "a LossItem", field="item", reference=LIST_REFERENCE)
        if self.stage is LossesStage.OFFER_REQUESTED or (
            self.stage is LossesStage.COURT and item.protocol
        ):
            raise ProtocolViolation(
                "no loss may be added once an offer has been requested (only non-protocol "
                "vehicle costs, at the court stage)",
                value=item.type.value,
                field="items",
                reference=COURT_REFERENCE if self.stage is LossesStage.COURT else STAGE_REFERENCE,
                action="add",
                state=self.stage,
                code=ErrorCode.PROTOCOL_FORBIDDEN,
            )
        return attrs.evolve(self, items=(*self.items, item))

    def with_item(self, item: LossItem) -> ListOfLosses:
        """Return the same as :meth:`add` (a name for pipelines)."""
        return self.add(item)

    def at_stage(self, stage: LossesStage | str) -> ListOfLosses:
        """Return the list at a later ``stage``; stages never move backwards (guide 6.5.1.1).

        >>> ListOfLosses(stage="court").at_stage("claim")
        Traceback (most recent call last):
        ...
        rtaprotocol.errors.ProtocolViolation: stage: the stage cannot move back from 'court': got 'claim' [guide 6.5.1.1]
        """
        new = _to_stage(stage)
        if _STAGE_ORDER[new] < _STAGE_ORDER[self.stage]:
            raise ProtocolViolation(
                f"the stage cannot move back from {self.stage.value!r}",
                value=new.value,
                field="stage",
                reference=STAGE_REFERENCE,
                action="at_stage",
                state=self.stage,
                code=ErrorCode.PROTOCOL_FORBIDDEN,
            )
        return attrs.evolve(self, stage=new)

    def with_injury(self, injury: Any) -> ListOfLosses:
        """Return the list with the injury valued at ``injury`` (guide 5.2.1)."""
        return attrs.evolve(self, injury=injury)

    @exact
    def with_interim(self, index: int, amount: Any) -> ListOfLosses:
        """Return the list with an interim payment of ``amount`` made for item ``index``.

        The item is marked paid; the payment comes off its head, never off the injury
        (guide 6.3.1.4). Payments for the same item add up.

        >>> losses = ListOfLosses().add(LossItem("property-excess", 200)).with_interim(0, 200)
        >>> losses.items[0].paid, losses.items[0].interim_paid
        (True, Decimal('200.00'))
        >>> losses.with_interim(3, 10)
        Traceback (most recent call last):
        ...
        rtaprotocol.errors.ProtocolViolation: index: no such item; the list has 1: got 3 [guide 6.3.1.4]
        """
        i = self._index(index, INTERIM_ITEM_REFERENCE)
        paid = to_money(amount, field="amount", reference=INTERIM_ITEM_REFERENCE)
        item = self.items[i]
        new = attrs.evolve(item, interim_paid=item.interim_paid + paid)
        return attrs.evolve(self, items=(*self.items[:i], new, *self.items[i + 1 :]))

    @exact
    def with_general_interim(self, amount: Any) -> ListOfLosses:
        """Return the list with a further general interim payment of ``amount`` (6.3.1.4)."""
        paid = to_money(amount, field="general_interim", reference=INTERIM_ITEM_REFERENCE)
        return attrs.evolve(self, general_interim=self.general_interim + paid)

    def _index(self, index: Any, reference: str, field: str = "index") -> int:
        i = check_int(index, field=field, reference=reference)
        if not 0 <= i < len(self.items):
            # The same class and code as the claim's refusal of an unknown item.
            raise ProtocolViolation(
                f"no such item; the list has {len(self.items)}",
                value=index,
                field=field,
                reference=reference,
                state=self.stage,
                code=ErrorCode.NOT_FOUND,
            )
        return i

    # -- totals --------------------------------------------------------------------------

    @property
    def protocol_items(self) -> tuple[LossItem, ...]:
        """The items that are part of the claim (every item but non-protocol vehicle costs)."""
        return tuple(i for i in self.items if i.protocol)

    @property
    def non_protocol_items(self) -> tuple[LossItem, ...]:
        """The non-protocol vehicle costs (guide 1.1.1, 5.2.4): never counted."""
        return tuple(i for i in self.items if not i.protocol)

    @exact
    def total_by_head(self) -> PerHead:
        """Return the injury and the protocol items' totals per head (non-protocol left out).

        >>> ListOfLosses(injury=1000, items=[LossItem("property-excess", 200),
        ...     LossItem("property-repairs", 900, paid_by="insurer")]).total_by_head().property
        Decimal('200.00')
        """
        sums = dict.fromkeys(Head, ZERO)
        sums[Head.INJURY] = self.injury
        for item in self.protocol_items:
            sums[item.head] += item.amount
        return PerHead.of(sums)

    @exact
    def total_by_type(self, *, non_protocol: bool = False) -> dict[LossType, Decimal]:
        """Totals per loss type, of protocol items (or, with ``non_protocol``, of the others)."""
        sums: dict[LossType, Decimal] = {}
        for item in self.items:
            if item.protocol is not non_protocol:
                sums[item.type] = sums.get(item.type, ZERO) + item.amount
        return {t: sums[t] for t in LossType if t in sums}

    @property
    @exact
    def protocol_damages(self) -> Decimal:
        """Other protocol damages: the protocol items' total (guide 1.1, 4.1)."""
        return sum((i.amount for i in self.protocol_items), ZERO)

    @property
    @exact
    def counted_total(self) -> Decimal:
        """Injury plus other protocol damages: what counts towards £10,000 (guide 4.1)."""
        return self.injury + self.protocol_damages

    @property
    @exact
    def non_protocol_vehicle_costs(self) -> Decimal:
        """The non-protocol vehicle costs' total, kept apart (guide 1.1.1)."""
        return sum((i.amount for i in self.non_protocol_items), ZERO)

    def value_limits(self) -> ValueLimitCheck:
        """Check the list against the £5,000 and £10,000 limits (guide 1.1, 4.1, 4.4.3)."""
        return check_value_limits(
            self.injury,
            self.protocol_damages,
            non_protocol_vehicle_costs=self.non_protocol_vehicle_costs,
        )

    @property
    @exact
    def warnings(self) -> tuple[str, ...]:
        """The guide's warnings: at the court stage, non-protocol vehicle costs over a limit."""
        if (
            self.stage is LossesStage.COURT
            and self.non_protocol_vehicle_costs
            and self.counted_total + self.non_protocol_vehicle_costs > TOTAL_LIMIT
        ):
            return (SEEK_ADVICE_WARNING,)
        return ()

    # -- rendering and JSON ----------------------------------------------------------------

    @exact
    def to_frame(self) -> Any:
        """Return the list as a pandas DataFrame (the ``batch`` extra), a row per line.

        The rows of the view (guide 5.2): the injury, each item with its head, the total
        counted towards the limits and the non-protocol vehicle costs; money in exact pounds.

        >>> ListOfLosses(injury=1000).to_frame()[["item", "amount"]].iloc[0].tolist()
        ['injury', Decimal('1000.00')]
        """
        return frame(LIST_HEADERS, list_rows(self))

    def __str__(self) -> str:
        return list_text(self)

    def _repr_html_(self) -> str:
        """Render the total counted first, then every item, then any warning."""
        return list_html(self)

    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data: the input fields (which :meth:`from_dict` reads) and totals.

        >>> data = ListOfLosses(injury=10).to_dict()
        >>> ListOfLosses.from_dict(data) == ListOfLosses(injury=10)
        True
        """
        return {
            "injury": jsonable(self.injury),
            "stage": self.stage.value,
            "general_interim": jsonable(self.general_interim),
            "items": [i.to_dict() for i in self.items],
            "totals": {
                "by_head": self.total_by_head().to_dict(),
                "by_type": {t.value: jsonable(a) for t, a in self.total_by_type().items()},
                "protocol_damages": jsonable(self.protocol_damages),
                "counted_total": jsonable(self.counted_total),
                "non_protocol_vehicle_costs": jsonable(self.non_protocol_vehicle_costs),
                "non_protocol_by_type": {
                    t.value: jsonable(a) for t, a in self.total_by_type(non_protocol=True).items()
                },
            },
            "value_limits": self.value_limits().to_dict(),
            "warnings": list(self.warnings),
            "reference": LIST_REFERENCE,
        }

    @classmethod
    @exact
    def from_json(cls, text: str | bytes) -> ListOfLosses:
        """Build a list from JSON text: :func:`rtaprotocol.json.loads`, then :meth:`from_dict`.

        An amount written as a JSON number with two places at most is read exactly:

        >>> ListOfLosses.from_json('{"items": [{"type": "property-excess", "amount": 300.5}]}').items[0].amount
        Decimal('300.50')
        """
        from rtaprotocol.json import loads

        return cls.from_dict(loads(text))

    @classmethod
    def from_dict(cls, data: Any) -> ListOfLosses:
        """Build a list from parsed JSON (``list-of-losses.schema.json``); every problem at once.

        ``totals``, ``value_limits``, ``warnings`` and ``reference`` (written by
        :meth:`to_dict`) are accepted and ignored, being computed; any other unknown key
        is refused. Items are taken as they are: the stage rules govern :meth:`add`.

        >>> ListOfLosses.from_dict({"items": [{"type": "injury-care-costs", "amount": "x"}]})
        Traceback (most recent call last):
        ...
        rtaprotocol.errors.InputError: 1 problem in the input:
          $.items[0].amount: an amount is not a plain decimal number: digits with an optional point and one or two decimal places, nothing else (no sign, spaces, £, commas or exponent): got 'x' [rtaprotocol schema list-of-losses]
        """
        return _list_from_dict(cls, data)
