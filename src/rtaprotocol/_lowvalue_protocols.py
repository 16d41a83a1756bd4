"""The low-value protocols, a figure with its source, and the protocols' upper limit.

A private part of :mod:`rtaprotocol.lowvalue` (what its periods and its fixed costs
both use), which re-exports every name: import them from there.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any, Final, final

from attrs import frozen

from rtaprotocol._data import Confidence
from rtaprotocol._render import jsonable
from rtaprotocol.money import format_money

_BUSINESS_DAY_REFERENCE: Final = "RTA Protocol para 1.1(8)-(9); EL/PL Protocol para 1.1"


@final
@frozen
class Sourced:
    """One figure with where it comes from and how sure we are of it.

    ``value`` is a Decimal amount of pounds, an int (days) or a date.

    >>> Sourced(name="total limit", value=10000, reference="CPR 26.9(1)(a)(i)",
    ...         confidence=Confidence.PRIMARY).label
    'total limit: 10000 [P] (CPR 26.9(1)(a)(i))'
    """

    name: str
    value: Decimal | int | date
    reference: str
    confidence: Confidence

    @property
    def label(self) -> str:
        """``name: value [mark] (reference)``, money shown with a pound sign."""
        shown = format_money(self.value) if isinstance(self.value, Decimal) else str(self.value)
        return f"{self.name}: {shown} {self.confidence.mark} ({self.reference})"

    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data (money as an exact string)."""
        return {
            "name": self.name,
            "value": jsonable(self.value),
            "reference": self.reference,
            "confidence": self.confidence.code,
        }


class LowValueProtocol(Enum):
    """The Claims Portal's protocols: road traffic, employers' liability, public liability.

    Employers' liability disease claims run under the EL/PL Protocol as EL claims.

    >>> LowValueProtocol("el").description
    "Pre-Action Protocol for Low Value Personal Injury (Employers' Liability and Public Liability) Claims"
    """

    RTA = "rta"
    EL = "el"
    PL = "pl"

    @property
    def description(self) -> str:
        """The protocol's full name."""
        if self is LowValueProtocol.RTA:
            return (
                "Pre-Action Protocol for Low Value Personal Injury Claims in Road Traffic Accidents"
            )
        return (
            "Pre-Action Protocol for Low Value Personal Injury (Employers' Liability and "
            "Public Liability) Claims"
        )


#: The protocols' upper limit: claims valued at not more than £25,000 (RTA Protocol para
#: 4.1; EL/PL Protocol para 4.1), for accidents (RTA) or notifications (EL/PL) on or after
#: 31 July 2013.
PROTOCOL_UPPER_LIMIT: Final = Sourced(
    name="protocol upper limit",
    value=Decimal("25000.00"),
    reference="RTA Protocol para 1.1(16), 4.1; EL/PL Protocol para 4.1 (from 31 July 2013)",
    confidence=Confidence.SECONDARY,
)
