"""A CRU certificate and what each of its Sch 2 heads was set off against.

Social Security (Recovery of Benefits) Act 1997, Sch 2; guide 6.5.2.2.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, final

from attrs import field, frozen

from rtaprotocol._checks import (
    check_enum,
)
from rtaprotocol._decimal import exact
from rtaprotocol._render import jsonable
from rtaprotocol.deductions import (
    PerHead,
)
from rtaprotocol.losses.loss_types import CRU_HEAD_REFERENCE, CruHead
from rtaprotocol.losses.reading import _certificate_from_dict
from rtaprotocol.money import ZERO, to_money


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
        return _certificate_from_dict(cls, data)


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
