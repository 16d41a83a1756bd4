"""The kinds of the List of Losses: loss types, CRU heads, who paid, the stage.

Each :class:`~rtaprotocol.losses.LossType` carries the columns of its entry in the data
file (src/rtaprotocol/data/rules/loss-types/); the references every module of
:mod:`rtaprotocol.losses` cites are here too (guide 5.2, 5.2.4, 6.3.1.4, 6.5.1.1;
Social Security (Recovery of Benefits) Act 1997, Sch 2).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import Any, Final, TypeVar

from rtaprotocol import _data
from rtaprotocol._checks import (
    check_enum,
)
from rtaprotocol.deductions import (
    Head,
)
from rtaprotocol.errors import (
    ErrorCode,
    RulesError,
)

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
    return _data.data_file_error("loss-types", field, message, value)


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
                code=ErrorCode.ENUM_UNKNOWN,
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


def _to_stage(value: Any) -> LossesStage:
    return check_enum(value, LossesStage, field="stage", reference=STAGE_REFERENCE)
