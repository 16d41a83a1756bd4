"""The portal's value limits: £5,000 for injury, £10,000 with other protocol damages.

Guide 1.1, 4.1, 4.4 and 4.4.3; CPR 26.9, 26.10:

- damages for injury (pain, suffering and loss of amenity: tariff plus non-tariff,
  minor psychological included) must be **not more than £5,000**;
- injury plus other protocol damages (injury-related and property-related losses) must
  be **not more than £10,000**.

Exactly £5,000 and exactly £10,000 are inside. Non-protocol vehicle costs (paid by an
insurer or a credit hire company, guide 1.1.1) and fees (guide 5.3) never count towards
either limit: :func:`check_value_limits` takes them so that the result can show them,
and says plainly that they were left out.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Final, final

import attrs
from attrs import frozen

from rtaprotocol import _data
from rtaprotocol._decimal import exact
from rtaprotocol._render import html_table, html_verdict, jsonable, text_table
from rtaprotocol._views import install_views
from rtaprotocol.money import ZERO, format_money, to_money
from rtaprotocol.sources import Reference

__all__ = [
    "INJURY_LIMIT",
    "TOTAL_LIMIT",
    "LimitBreach",
    "ValueLimitCheck",
    "check_value_limits",
]

#: The portal's limits, from src/rtaprotocol/data/rules/limits/oic-portal.json.
_PORTAL: Final = {lim.kind: lim for lim in _data.limits()["oic-portal"]}
INJURY_LIMIT: Final = _PORTAL["injury"].amount
TOTAL_LIMIT: Final = _PORTAL["total"].amount
INJURY_LIMIT_REFERENCE: Final = _PORTAL["injury"].reference
TOTAL_LIMIT_REFERENCE: Final = _PORTAL["total"].reference
EXCLUDED_REFERENCE: Final = "guide 1.1.1 (non-protocol vehicle costs), 5.3 (fees)"


@final
@frozen
class LimitBreach:
    """One value limit a claim is over, and by how much."""

    code: str  # "injury_over_limit" or "total_over_limit": stable, machine-readable
    limit: Decimal
    value: Decimal
    excess: Decimal
    reference: str = attrs.field(converter=Reference)
    message: str

    @exact
    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data (amounts as exact strings)."""
        return {
            "code": self.code,
            "limit": jsonable(self.limit),
            "value": jsonable(self.value),
            "excess": jsonable(self.excess),
            "reference": self.reference,
            "message": self.message,
        }


@final
@frozen
class ValueLimitCheck:
    """Whether a claim's value is within the portal's limits, with every breach.

    ``total`` is injury plus other protocol damages; ``excluded`` is what was shown but
    not counted (non-protocol vehicle costs and fees).
    """

    injury: Decimal
    other_protocol_damages: Decimal
    total: Decimal
    non_protocol_vehicle_costs: Decimal
    fees: Decimal
    breaches: tuple[LimitBreach, ...]

    @property
    @exact
    def within_limits(self) -> bool:
        """True when no limit is breached."""
        return not self.breaches

    def _rows(self) -> list[list[Any]]:
        return [
            ["injury", self.injury, INJURY_LIMIT, "counted", INJURY_LIMIT_REFERENCE],
            ["other protocol damages", self.other_protocol_damages, None, "counted", ""],
            ["injury + other protocol damages", self.total, TOTAL_LIMIT, "counted",
             TOTAL_LIMIT_REFERENCE],
            ["non-protocol vehicle costs", self.non_protocol_vehicle_costs, None,
             "not counted", "guide 1.1.1"],
            ["fees", self.fees, None, "not counted", "guide 5.3"],
        ]  # fmt: skip

    def _title(self) -> str:
        verdict = "within the portal's value limits"
        if self.breaches:
            verdict = "outside the portal's value limits: " + "; ".join(
                b.message for b in self.breaches
            )
        return verdict[:1].upper() + verdict[1:]

    @exact
    def __str__(self) -> str:
        headers = ["item", "amount", "limit", "counts?", "reference"]
        return text_table(headers, self._rows(), title=self._title())

    @exact
    def _repr_html_(self) -> str:
        """Render the verdict first (within or outside the limits, and why), then the sums."""
        headers = ["item", "amount", "limit", "counts?", "reference"]
        return html_verdict(self._title(), self.within_limits) + html_table(headers, self._rows())

    @exact
    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data (amounts as exact strings)."""
        return {
            "within_limits": self.within_limits,
            "injury": jsonable(self.injury),
            "other_protocol_damages": jsonable(self.other_protocol_damages),
            "total": jsonable(self.total),
            "non_protocol_vehicle_costs": jsonable(self.non_protocol_vehicle_costs),
            "fees": jsonable(self.fees),
            "injury_limit": jsonable(INJURY_LIMIT),
            "total_limit": jsonable(TOTAL_LIMIT),
            "breaches": [b.to_dict() for b in self.breaches],
            "not_counted_reference": EXCLUDED_REFERENCE,
        }


@exact
def check_value_limits(
    injury: Any,
    other_protocol_damages: Any = 0,
    *,
    non_protocol_vehicle_costs: Any = 0,
    fees: Any = 0,
) -> ValueLimitCheck:
    """Check a claim against the £5,000 injury and £10,000 total limits (guide 4.1, 4.4).

    Both limits are "not more than": exactly £5,000 injury and exactly £10,000 in all
    are within. Non-protocol vehicle costs and fees are recorded but never counted.

    >>> check = check_value_limits("5000.00", "5000.00", non_protocol_vehicle_costs=12000)
    >>> check.within_limits, check.total
    (True, Decimal('10000.00'))
    >>> over = check_value_limits("5000.01", "4999.99")
    >>> [(b.code, b.excess) for b in over.breaches]
    [('injury_over_limit', Decimal('0.01'))]
    """
    inj = to_money(injury, field="injury", reference=INJURY_LIMIT_REFERENCE)
    other = to_money(
        other_protocol_damages, field="other_protocol_damages", reference=TOTAL_LIMIT_REFERENCE
    )
    nvc = to_money(
        non_protocol_vehicle_costs, field="non_protocol_vehicle_costs", reference="guide 1.1.1"
    )
    fee = to_money(fees, field="fees", reference="guide 5.3")
    return _check(inj, other, nvc, fee)


def _over_limits(injury: Decimal, total: Decimal) -> tuple[bool, bool]:
    """Return (injury over its limit, total over its limit) for validated amounts.

    The one place the two "not more than" comparisons are made (guide 1.1, 4.1, 4.4.3).
    """
    return injury > INJURY_LIMIT, total > TOTAL_LIMIT


def _check(inj: Decimal, other: Decimal, nvc: Decimal, fee: Decimal) -> ValueLimitCheck:
    """:func:`check_value_limits` on amounts already validated, inside the library's context."""
    total = inj + other
    injury_over, total_over = _over_limits(inj, total)
    breaches: list[LimitBreach] = []
    if injury_over:
        breaches.append(
            LimitBreach(
                code="injury_over_limit",
                limit=INJURY_LIMIT,
                value=inj,
                excess=inj - INJURY_LIMIT,
                reference=INJURY_LIMIT_REFERENCE,
                message=(
                    f"the injury claim of {format_money(inj)} is more than the "
                    f"{format_money(INJURY_LIMIT)} limit by {format_money(inj - INJURY_LIMIT)}"
                ),
            )
        )
    if total_over:
        breaches.append(
            LimitBreach(
                code="total_over_limit",
                limit=TOTAL_LIMIT,
                value=total,
                excess=total - TOTAL_LIMIT,
                reference=TOTAL_LIMIT_REFERENCE,
                message=(
                    f"injury plus other protocol damages of {format_money(total)} is more than "
                    f"the {format_money(TOTAL_LIMIT)} limit by "
                    f"{format_money(total - TOTAL_LIMIT)}"
                ),
            )
        )
    return ValueLimitCheck(
        injury=inj,
        other_protocol_damages=other,
        total=total + ZERO,
        non_protocol_vehicle_costs=nvc,
        fees=fee,
        breaches=tuple(breaches),
    )


install_views(globals())  # notebook views of every public class (rtaprotocol._views)
