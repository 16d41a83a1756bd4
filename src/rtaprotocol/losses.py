"""The List of Losses: typed loss items, vehicle costs, interims and CRU by benefit head.

The portal captures a claim's money, other than the injury itself, as a **List of Losses**
(guide 5.2): typed items, each with its evidence. This module holds that list and the
payment path that works item by item.

- **Item types** are the rows of the guide's claim-capture table (guide 5.2), plus the
  property loss of earnings of guide 4.4 ("loss of earnings because you need your damaged
  car to work"). Each :class:`LossType` carries its head (:class:`~rtaprotocol.Head`), the
  guide's example evidence, its reference, whether it is one of the five vehicle costs
  the protocol lists (guide 5.2.4) and which CRU benefit head (if any) may be set off
  against it (Social Security (Recovery of Benefits) Act 1997, Sch 2).
- **Vehicle costs** (guide 5.2.4) are *protocol* vehicle costs when the claimant, a friend
  or a relative paid them (part of the claim, counted towards the limits) and
  *non-protocol* vehicle costs when an insurer, a credit-hire company or another
  organisation did (never counted towards the limits, guide 1.1.1; added to the claim only
  at the court stage, guide 6.6.3.2). :class:`PaidBy` says who paid.
- **The stage** (:class:`LossesStage`) is held by the list: before an offer is requested
  any item may be added; once an offer has been requested none may (guide 6.5.1.1); at
  the court stage only non-protocol vehicle costs may, and if they take the claim over a
  value limit the list carries the guide's warning to seek separate advice (6.6.3.2).
- **Interim payments** for an item (guide 6.3.1.4) mark the item paid and come off its
  head, never off the injury; a general interim payment is a line of its own.
- **CRU** (guide 6.5.2.2; 1997 Act Sch 2): a :class:`CruCertificate` gives the benefits
  under the three heads of Sch 2. :func:`compute_payment_for_losses` sets each off only
  against the items of its kind, never against the injury, never beyond those items'
  value after the liability and seatbelt steps; what cannot be set off is recorded.

>>> losses = ListOfLosses(injury=1000).add(LossItem(LossType.INJURY_LOSS_OF_EARNINGS, 1500))
>>> losses = losses.add(LossItem(LossType.PROPERTY_REPAIRS, 1300))
>>> losses = losses.add(LossItem(LossType.PROPERTY_EXCESS, 200, interim_paid=200))
>>> pay = compute_payment_for_losses(losses, claimant_liability_percent=25,
...                                  seatbelt_percent=10, cru_certificate=CruCertificate(earnings=500))
>>> pay.total
Decimal('2112.50')
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any, Final, TypeVar, final

import attrs
from attrs import Attribute, field, frozen

from rtaprotocol import _data
from rtaprotocol._checks import (
    MAX_LIST_ITEMS,
    check_bool,
    check_date,
    check_enum,
    check_int,
    check_size,
    check_text,
    parse_iso_date,
)
from rtaprotocol._decimal import exact
from rtaprotocol._render import html_table, html_text, html_verdict, jsonable, text_table
from rtaprotocol._views import frame, install_views
from rtaprotocol.deductions import (
    Head,
    PaymentBreakdown,
    PerHead,
    compute_payment,
)
from rtaprotocol.errors import (
    ErrorCode,
    InputError,
    ProtocolViolation,
    RulesError,
    RulesTypeError,
)
from rtaprotocol.limits import TOTAL_LIMIT, ValueLimitCheck, check_value_limits
from rtaprotocol.money import MAX_AMOUNT, ZERO, format_money, round_penny, to_money

__all__ = [
    "MOBILITY_LOSS_TYPES",
    "CruCertificate",
    "CruHead",
    "CruSetOff",
    "ListOfLosses",
    "LossItem",
    "LossType",
    "LossesPayment",
    "LossesStage",
    "PaidBy",
    "compute_payment_for_losses",
]

TABLE_REFERENCE: Final = "guide 5.2"
VEHICLE_COSTS_REFERENCE: Final = "guide 5.2.4"
NON_PROTOCOL_REFERENCE: Final = "guide 1.1.1, 5.2.4, 6.6.3.2"
STAGE_REFERENCE: Final = "guide 6.5.1.1"
COURT_REFERENCE: Final = "guide 6.5.1.1, 6.6.3.2"
INTERIM_ITEM_REFERENCE: Final = "guide 6.3.1.4"
CRU_HEAD_REFERENCE: Final = "Social Security (Recovery of Benefits) Act 1997, Sch 2; guide 6.5.2.2"
LIST_REFERENCE: Final = "guide 5.2, 6.5.2"
SCHEMA_REFERENCE: Final = "rtaprotocol schema list-of-losses"
CRU_SCHEMA_REFERENCE: Final = "rtaprotocol schema cru-certificate"

#: The guide's warning when non-protocol vehicle costs take a claim over a limit (6.6.3.2).
SEEK_ADVICE_WARNING: Final = (
    "adding the non-protocol vehicle costs takes the value of the claim over the portal's "
    "value limits: you should seek separate advice (guide 6.6.3.2)"
)


class CruHead(Enum):
    """The three heads of compensation in Sch 2 of the 1997 Act, column 1.

    Each head's benefits (column 2) may be set off only against compensation under the
    same head: earnings against earnings lost, care against the cost of care, mobility
    against loss of mobility, each "during the relevant period".

    >>> [h.value for h in CruHead]
    ['earnings', 'care', 'mobility']
    >>> CruHead.CARE.label
    'compensation for cost of care incurred during the relevant period'
    """

    EARNINGS = ("earnings", "compensation for earnings lost during the relevant period", "1")
    CARE = ("care", "compensation for cost of care incurred during the relevant period", "2")
    MOBILITY = ("mobility", "compensation for loss of mobility during the relevant period", "3")

    label: str
    paragraph: str

    def __new__(cls, slug: str, label: str, paragraph: str) -> CruHead:
        """Make a member whose value is its slug, with its Sch 2 wording attached."""
        member = object.__new__(cls)
        member._value_ = slug
        member.label = label
        member.paragraph = paragraph
        return member

    @property
    def reference(self) -> str:
        """The Sch 2 paragraph for this head."""
        return f"Social Security (Recovery of Benefits) Act 1997, Sch 2 para {self.paragraph}"


#: The loss types of the guide's table, by slug, from the data file (read once, at import).
_LOSS_DATA: Final = {t.slug: t for t in _data.loss_types()}
_E = TypeVar("_E", bound=Enum)


def _data_error(message: str, value: object, field: str) -> _data.DataFileError:
    return _data.DataFileError(
        f"loss-types: {message}", value=value, field=field, reference="rtaprotocol rule data files"
    )


def _from_data(kind: type[_E], value: str, field: str) -> _E:
    """Return the member of ``kind`` a data entry names; refuse an unknown one."""
    try:
        return kind(value)
    except ValueError:
        raise _data_error(f"not a {kind.__name__}", value, field) from None


class LossType(Enum):
    """A type of loss from the guide's claim-capture table (guide 5.2), plus guide 4.4's.

    ``value`` is a stable slug; ``label`` is the guide's wording; ``head`` the offer
    screen's column (guide 6.5.2.2); ``evidence`` the guide's "examples of relevant
    evidence"; ``reference`` where the guide says it; ``vehicle_cost`` whether the type is
    one of the five vehicle costs the protocol lists (guide 5.2.4), so that it may be a
    non-protocol vehicle cost; ``cru_head`` the Sch 2 head whose benefits may be set off
    against it (``None``: no CRU may be set off). Mobility is a data choice, see
    :data:`MOBILITY_LOSS_TYPES`.

    >>> LossType.PROPERTY_EXCESS.head, LossType.PROPERTY_EXCESS.vehicle_cost
    (<Head.PROPERTY: 'property'>, True)
    >>> LossType.PROPERTY_LOSS_OF_EARNINGS.cru_head
    <CruHead.EARNINGS: 'earnings'>
    >>> LossType.from_slug("property-repair")
    Traceback (most recent call last):
    ...
    rtaprotocol.errors.RulesError: type: not a type of loss in the guide's table (guide 5.2, 4.4): got 'property-repair' [guide 5.2]
    """

    # The member names are the API; each one's columns are data, named, in
    # src/rtaprotocol/data/rules/loss-types/oic-guide.json (see docs/maintaining.md).
    PROPERTY_REPAIRS = "property-repairs"
    PROPERTY_STORAGE_RECOVERY = "property-storage-recovery"
    PROPERTY_TEMPORARY_VEHICLE = "property-temporary-vehicle"
    PROPERTY_LOSS_OF_USE = "property-loss-of-use"
    PROPERTY_TRAVEL = "property-travel-expense"
    PROPERTY_EXCESS = "property-excess"
    PROPERTY_DIMINUTION = "property-diminution"
    PROPERTY_OTHER = "property-other-items"
    PROPERTY_LOSS_OF_EARNINGS = "property-loss-of-earnings"
    INJURY_TREATMENT = "injury-treatment-costs"
    INJURY_PRESCRIPTION = "injury-prescription-costs"
    INJURY_LOSS_OF_EARNINGS = "injury-loss-of-earnings"
    INJURY_CARE = "injury-care-costs"
    INJURY_TRAVEL = "injury-travel-costs"
    INJURY_OTHER = "injury-other-costs"

    label: str
    head: Head
    evidence: str
    reference: str
    vehicle_cost: bool
    _cru_head: CruHead | None

    def __new__(cls, slug: str) -> LossType:
        """Make a member whose value is its slug, with the data entry's columns attached."""
        entry = _LOSS_DATA.get(slug)
        if entry is None:
            raise _data_error("no entry for the loss type", slug, "loss_types")
        member = object.__new__(cls)
        member._value_ = slug
        member.label = entry.label
        member.head = _from_data(Head, entry.head, "head")
        member.evidence = entry.evidence
        member.reference = entry.reference
        member.vehicle_cost = entry.vehicle_cost
        member._cru_head = (
            None if entry.cru_head is None else _from_data(CruHead, entry.cru_head, "cru_head")
        )
        return member

    @property
    def cru_head(self) -> CruHead | None:
        """The Sch 2 head whose benefits may be set off against this type, if any."""
        if self._cru_head is not None:
            return self._cru_head
        return CruHead.MOBILITY if self in MOBILITY_LOSS_TYPES else None

    @property
    def loss_of_earnings(self) -> bool:
        """Whether CRU for earnings lost (Sch 2 para 1) may be set off against it."""
        return self.cru_head is CruHead.EARNINGS

    @property
    def care(self) -> bool:
        """Whether CRU for the cost of care (Sch 2 para 2) may be set off against it."""
        return self.cru_head is CruHead.CARE

    @property
    def mobility(self) -> bool:
        """Whether CRU for loss of mobility (Sch 2 para 3) may be set off against it."""
        return self.cru_head is CruHead.MOBILITY

    @classmethod
    def from_slug(cls, slug: object) -> LossType:
        """Return the type named by ``slug`` (a ``LossType`` passes through)."""
        if isinstance(slug, LossType):
            return slug
        found = next((t for t in cls if isinstance(slug, str) and t.value == slug), None)
        if found is None:
            raise RulesError(
                "not a type of loss in the guide's table (guide 5.2, 4.4)",
                value=slug,
                field="type",
                reference=TABLE_REFERENCE,
            )
        return found


#: Which loss types count as "compensation for loss of mobility" (Sch 2 para 3), with the
#: confidence of that mapping. The Act does not list damages by type and the guide does
#: not say; **unconfirmed [U]**: injury-related travel costs (travel the injury made
#: necessary) are taken as mobility. Change the data (an entry's ``mobility``), not the logic,
#: if it is wrong.
MOBILITY_LOSS_TYPES: Final[Mapping[LossType, str]] = {
    LossType(t.slug): t.mobility for t in _data.loss_types() if t.mobility is not None
}
if _LOSS_DATA.keys() != {t.value for t in LossType}:  # an entry with no member is refused
    raise _data_error(
        "an entry has no LossType member (add one)",
        sorted(_LOSS_DATA.keys() - {t.value for t in LossType}),
        "loss_types",
    )


class PaidBy(Enum):
    """Who paid a vehicle cost (guide 5.2.4): protocol or non-protocol vehicle cost.

    >>> PaidBy.CREDIT_HIRE.protocol, PaidBy.RELATIVE.protocol
    (False, True)
    """

    CLAIMANT = ("claimant", True)
    FRIEND = ("friend", True)
    RELATIVE = ("relative", True)
    INSURER = ("insurer", False)
    CREDIT_HIRE = ("credit-hire", False)
    OTHER_ORGANISATION = ("other-organisation", False)

    protocol: bool

    def __new__(cls, slug: str, protocol: bool) -> PaidBy:
        """Make a member whose value is its slug."""
        member = object.__new__(cls)
        member._value_ = slug
        member.protocol = protocol
        return member


class LossesStage(Enum):
    """Where the claim is, as far as adding losses goes (guide 6.5.1.1, 6.6.3.2).

    Stages only move forward: ``claim`` (before an offer is requested: any item may be
    added), ``offer-requested`` (no item may be added), ``court`` (only non-protocol
    vehicle costs may be added).
    """

    CLAIM = "claim"
    OFFER_REQUESTED = "offer-requested"
    COURT = "court"


_STAGE_ORDER: Final = {LossesStage.CLAIM: 0, LossesStage.OFFER_REQUESTED: 1, LossesStage.COURT: 2}


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
            )
        if self.interim_paid and not self.paid_by.protocol:
            raise RulesError(
                "an interim payment is for protocol damages; a non-protocol vehicle cost is "
                "dealt with outside the portal",
                value=self.interim_paid,
                field="interim_paid",
                reference=INTERIM_ITEM_REFERENCE,
            )
        if self.interim_paid > self.amount:
            raise RulesError(
                f"an interim payment for an item settles that item; it cannot be more than "
                f"the item's {format_money(self.amount)}",
                value=self.interim_paid,
                field="interim_paid",
                reference=INTERIM_ITEM_REFERENCE,
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
        problems: list[RulesError] = []
        item = _item_from_dict(data, path, problems)
        if problems or item is None:
            raise InputError(problems, reference=SCHEMA_REFERENCE)
        return item


_ITEM_KEYS: Final = (
    "type",
    "amount",
    "description",
    "evidence_held",
    "date_added",
    "paid_by",
    "interim_paid",
)


def _relabel(err: RulesError, path: str) -> RulesError:
    """Return ``err`` with its field turned into a JSON path under ``path``."""
    name = err.field or ""
    return err.evolve(field=f"{path}.{name}" if name else path)


def _json_amount(value: Any, name: str, reference: str) -> Decimal:
    """Read an amount from a file by the library's one number policy (``to_money``)."""
    return to_money(value, field=name, reference=reference)


def _json_date(value: Any, name: str) -> date | None:
    """Read a date from a file by the one date grammar (YYYY-MM-DD, nothing around it)."""
    if value is None:
        return None
    return parse_iso_date(value, field=name, reference=SCHEMA_REFERENCE)


def _item_from_dict(data: Any, path: str, problems: list[RulesError]) -> LossItem | None:
    if not isinstance(data, Mapping):
        problems.append(
            RulesTypeError(
                f"a loss item is a JSON object, not {type(data).__name__}",
                value=data,
                field=path,
                reference=SCHEMA_REFERENCE,
            )
        )
        return None
    start = len(problems)
    problems.extend(
        RulesError(
            "unknown key in a loss item; allowed: " + ", ".join(_ITEM_KEYS),
            value=key,
            field=f"{path}.{key}",
            reference=SCHEMA_REFERENCE,
        )
        for key in data
        if key not in _ITEM_KEYS
    )
    problems.extend(
        RulesError("required key is missing", field=f"{path}.{key}", reference=SCHEMA_REFERENCE)
        for key in ("type", "amount")
        if key not in data
    )
    kwargs: dict[str, Any] = {}
    readers: dict[str, Any] = {
        "type": LossType.from_slug,
        "amount": lambda v: _json_amount(v, "amount", SCHEMA_REFERENCE),
        "description": lambda v: v,
        "evidence_held": lambda v: check_bool(v, field="evidence_held", reference=SCHEMA_REFERENCE),
        "date_added": lambda v: _json_date(v, "date_added"),
        "paid_by": _to_paid_by,
        "interim_paid": lambda v: _json_amount(v, "interim_paid", SCHEMA_REFERENCE),
    }
    for key in _ITEM_KEYS:
        if key in data:
            try:
                kwargs[key] = readers[key](data[key])
            except RulesError as err:
                problems.append(_relabel(err, path))
    if len(problems) > start:
        return None
    try:
        return LossItem(**kwargs)
    except RulesError as err:
        problems.append(_relabel(err, path))
        return None


def _to_items(value: Any) -> tuple[LossItem, ...]:
    if isinstance(value, str | Mapping) or not isinstance(value, Iterable):
        raise RulesTypeError(
            f"expected a sequence of LossItem, not {type(value).__name__}",
            value=value,
            field="items",
            reference=LIST_REFERENCE,
        )
    items = tuple(value)
    for i, item in enumerate(items):
        if not isinstance(item, LossItem):
            raise RulesTypeError(
                f"expected a LossItem, not {type(item).__name__}",
                value=item,
                field=f"items[{i}]",
                reference=LIST_REFERENCE,
            )
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


def _to_stage(value: Any) -> LossesStage:
    return check_enum(value, LossesStage, field="stage", reference=STAGE_REFERENCE)


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
            raise RulesTypeError(
                f"expected a LossItem, not {type(item).__name__}",
                value=item,
                field="item",
                reference=LIST_REFERENCE,
            )
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
        return frame(["item", "head", "amount", "counts?", "reference"], self._rows())

    def _rows(self) -> list[list[Any]]:
        rows: list[list[Any]] = [["injury", "", self.injury, "counted", "guide 5.2.1"]]
        for item in self.items:
            status = "counted" if item.protocol else "not counted (non-protocol vehicle cost)"
            if item.paid:
                status += f"; interim paid {format_money(item.interim_paid)}"
            rows.append(
                [item.type.value, item.head.value, item.amount, status, item.type.reference]
            )
        rows.append(
            ["counted towards the limits", "", self.counted_total, "", "guide 1.1, 4.1, 4.4.3"]
        )
        rows.append(
            [
                "non-protocol vehicle costs",
                "",
                self.non_protocol_vehicle_costs,
                "not counted",
                NON_PROTOCOL_REFERENCE,
            ]
        )
        return rows

    def _title(self) -> str:
        return (
            f"List of Losses ({self.stage.value}): {format_money(self.counted_total)} counted "
            "towards the limits (guide 5.2)"
        )

    def __str__(self) -> str:
        table = text_table(
            ["item", "head", "amount", "counts?", "reference"], self._rows(), title=self._title()
        )
        return "\n".join([table, *(f"Warning: {w}" for w in self.warnings)])

    def _repr_html_(self) -> str:
        """Render the total counted first, then every item, then any warning."""
        table = html_table(["item", "head", "amount", "counts?", "reference"], self._rows())
        return (
            html_verdict(self._title(), "info")
            + table
            + "".join(f"<p>Warning: {html_text(w)}</p>" for w in self.warnings)
        )

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
        problems: list[RulesError] = []
        if not isinstance(data, Mapping):
            raise InputError(
                [
                    RulesTypeError(
                        f"a List of Losses is a JSON object, not {type(data).__name__}",
                        value=data,
                        field="$",
                        reference=SCHEMA_REFERENCE,
                    )
                ],
                reference=SCHEMA_REFERENCE,
            )
        problems.extend(
            RulesError(
                "unknown key in a List of Losses; allowed: " + ", ".join(_LIST_KEYS),
                value=key,
                field=f"$.{key}",
                reference=SCHEMA_REFERENCE,
            )
            for key in data
            if key not in _LIST_KEYS and key not in _COMPUTED_KEYS
        )
        kwargs: dict[str, Any] = {}
        for key, reader in (
            ("injury", lambda v: _json_amount(v, "injury", SCHEMA_REFERENCE)),
            ("general_interim", lambda v: _json_amount(v, "general_interim", SCHEMA_REFERENCE)),
            ("stage", _to_stage),
        ):
            if key in data:
                try:
                    kwargs[key] = reader(data[key])
                except RulesError as err:
                    problems.append(_relabel(err, "$"))
        raw_items = data.get("items", [])
        if isinstance(raw_items, list) and len(raw_items) > MAX_LIST_ITEMS:
            try:
                check_size(raw_items, field="$.items", reference=SCHEMA_REFERENCE)
            except RulesError as err:
                problems.append(err)
            raw_items = []
        if not isinstance(raw_items, list):
            problems.append(
                RulesTypeError(
                    f"items is a JSON array, not {type(raw_items).__name__}",
                    value=raw_items,
                    field="$.items",
                    reference=SCHEMA_REFERENCE,
                )
            )
            raw_items = []
        items = [_item_from_dict(raw, f"$.items[{i}]", problems) for i, raw in enumerate(raw_items)]
        if problems:
            raise InputError(problems, reference=SCHEMA_REFERENCE)
        return cls(items=[i for i in items if i is not None], **kwargs)


_LIST_KEYS: Final = ("injury", "stage", "general_interim", "items")
_COMPUTED_KEYS: Final = ("totals", "value_limits", "warnings", "reference")


def _cru_earnings(value: Any) -> Decimal:
    return to_money(value, field="earnings", reference=CRU_HEAD_REFERENCE)


def _cru_care(value: Any) -> Decimal:
    return to_money(value, field="care", reference=CRU_HEAD_REFERENCE)


def _cru_mobility(value: Any) -> Decimal:
    return to_money(value, field="mobility", reference=CRU_HEAD_REFERENCE)


@final
@frozen
class CruCertificate:
    """A CRU certificate's recoverable benefits under the three heads of Sch 2.

    >>> CruCertificate(earnings=500).to_dict()["earnings"]
    '500.00'
    >>> CruCertificate.from_dict({"earnings": "500.00", "pension": "1"})
    Traceback (most recent call last):
    ...
    rtaprotocol.errors.InputError: 1 problem in the input:
      $.pension: unknown key in a CRU certificate; allowed: earnings, care, mobility: got 'pension' [rtaprotocol schema cru-certificate]
    """

    earnings: Decimal = field(default=ZERO, converter=_cru_earnings)
    care: Decimal = field(default=ZERO, converter=_cru_care)
    mobility: Decimal = field(default=ZERO, converter=_cru_mobility)

    def amount(self, head: CruHead | str) -> Decimal:
        """Return the certificate's amount under ``head``."""
        h = check_enum(head, CruHead, field="head", reference=CRU_HEAD_REFERENCE)
        value: Decimal = getattr(self, h.name.lower())
        return value

    @property
    @exact
    def total(self) -> Decimal:
        """The certificate's total over the three heads."""
        return self.earnings + self.care + self.mobility

    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data: ``{"earnings": "500.00", "care": "0.00", ...}``."""
        return {h.value: jsonable(self.amount(h)) for h in CruHead}

    @classmethod
    def from_dict(cls, data: Any) -> CruCertificate:
        """Build a certificate from parsed JSON (``cru-certificate.schema.json``)."""
        if not isinstance(data, Mapping):
            raise InputError(
                [
                    RulesTypeError(
                        f"a CRU certificate is a JSON object, not {type(data).__name__}",
                        value=data,
                        field="$",
                        reference=CRU_SCHEMA_REFERENCE,
                    )
                ],
                reference=CRU_SCHEMA_REFERENCE,
            )
        allowed = [h.value for h in CruHead]
        problems: list[RulesError] = [
            RulesError(
                "unknown key in a CRU certificate; allowed: " + ", ".join(allowed),
                value=key,
                field=f"$.{key}",
                reference=CRU_SCHEMA_REFERENCE,
            )
            for key in data
            if key not in allowed
        ]
        kwargs: dict[str, Decimal] = {}
        for key in allowed:
            if key in data:
                try:
                    kwargs[key] = _json_amount(data[key], f"$.{key}", CRU_SCHEMA_REFERENCE)
                except RulesError as err:
                    problems.append(err)
        if problems:
            raise InputError(problems, reference=CRU_SCHEMA_REFERENCE)
        return cls(**kwargs)


@final
@frozen
class CruSetOff:
    """What one Sch 2 head of the certificate could be set off against, and what could not.

    ``items`` are the indexes of the matching items in the list; ``available`` their
    value after the liability and seatbelt steps (the most that may be set off);
    ``set_off_by_head`` where the set-off landed on the offer screen; ``not_set_off``
    the part of the certificate's amount left over: recorded, never moved to another head.
    """

    head: CruHead
    certificate: Decimal
    items: tuple[int, ...]
    available: Decimal
    set_off_by_head: PerHead
    not_set_off: Decimal
    confidence: str
    reference: str

    @property
    @exact
    def set_off(self) -> Decimal:
        """The amount set off under this head."""
        return self.set_off_by_head.total()

    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data (amounts as exact strings)."""
        return {
            "head": self.head.value,
            "certificate": jsonable(self.certificate),
            "items": list(self.items),
            "available": jsonable(self.available),
            "set_off": jsonable(self.set_off),
            "set_off_by_head": self.set_off_by_head.to_dict(),
            "not_set_off": jsonable(self.not_set_off),
            "confidence": self.confidence,
            "reference": self.reference,
        }


_CRU_HEADERS: Final = (
    "CRU head", "items", "certificate", "matching", "set off", "not set off", "reference",
)  # fmt: skip
_CRU_TITLE: Final = "CRU by benefit head (Sch 2): set off only against matching items"


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

    def _own_notes(self) -> list[str]:
        basis = [] if self.liability_basis is None else [f"Liability: {self.liability_basis}"]
        return [*basis, *self.flags, *self._cru_notes()]

    def _cru_rows(self) -> list[list[Any]]:
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
            for c in self.cru
        ]

    def __str__(self) -> str:
        cru = text_table(_CRU_HEADERS, self._cru_rows(), title=_CRU_TITLE)
        return "\n\n".join(
            [str(self.breakdown), "\n".join([cru, *(f"Note: {n}" for n in self._own_notes())])]
        )

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
        return (
            self.breakdown._repr_html_()
            + html_table(_CRU_HEADERS, self._cru_rows(), caption=_CRU_TITLE)
            + "".join(f"<p>Note: {html_text(n)}</p>" for n in self._own_notes())
        )

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
        raise RulesTypeError(
            f"expected a ListOfLosses, not {type(losses).__name__}",
            value=losses,
            field="losses",
            reference=LIST_REFERENCE,
        )
    certificate = CruCertificate() if cru_certificate is None else cru_certificate
    if not isinstance(certificate, CruCertificate):
        raise RulesTypeError(
            f"expected a CruCertificate, not {type(certificate).__name__}",
            value=certificate,
            field="cru_certificate",
            reference=CRU_HEAD_REFERENCE,
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
        raise RulesTypeError(
            f"expected a sequence of item indexes, not {type(cru_items).__name__}",
            value=cru_items,
            field="cru_items",
            reference=CRU_HEAD_REFERENCE,
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
            )
        chosen.add(i)
    return frozenset(chosen)


install_views(globals())  # notebook views of every public class (rtaprotocol._views)
