"""Fees: the fixed first medical report fee and the £750 cap on other experts' fees.

Guide 5.3; CPR PD 27A para 7.3(2). Fees "do not form part of your claim": they never count towards
the £5,000 and £10,000 value limits (:func:`rtaprotocol.limits.check_value_limits`
records them and leaves them out), and they are negotiated only after the damages are
agreed (guide 6.5.3.2).

- First medical report (guide 5.3.1): "a fixed fee of £180 plus VAT". The VAT rate is a
  **parameter**, ``vat_percent``, defaulting to the UK standard rate of 20% (Value Added
  Tax Act 1994 s.2); pass another rate if it changes. VAT is rounded to the penny half-up.
- Other experts (guide 5.3.2): "Medical expert fees that are not fixed, or fees for other
  experts, will only be paid up to a maximum of £750." The guide does not say whether
  the £750 includes VAT or applies per expert or in total. **Chosen**: the cap applies to
  the amount you pass, as it stands; pass one expert's fee (VAT included if VAT was
  charged) to cap it per expert, or a total to cap the total. Nothing is added or split.

>>> first_medical_report_fee().gross
Decimal('216.00')
>>> expert_fee("900").over_cap
Decimal('150.00')
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Final, final

from attrs import frozen

from rtaprotocol._render import Tabular, jsonable, percent_json
from rtaprotocol.money import ZERO, format_money, round_penny, to_money, to_percent

__all__ = [
    "DEFAULT_VAT_PERCENT",
    "EXPERT_FEE_CAP",
    "FIRST_MEDICAL_REPORT_FEE",
    "ExpertFee",
    "MedicalReportFee",
    "expert_fee",
    "first_medical_report_fee",
]

#: The fixed fee for a first medical report, before VAT (guide 5.3.1).
FIRST_MEDICAL_REPORT_FEE: Final = Decimal("180.00")
#: The most recoverable for non-fixed medical experts' or other experts' fees (guide 5.3.2).
EXPERT_FEE_CAP: Final = Decimal("750.00")
#: The UK standard VAT rate, a parameter: Value Added Tax Act 1994 s.2.
DEFAULT_VAT_PERCENT: Final = Decimal(20)

MEDICAL_FEE_REFERENCE: Final = (
    "guide 5.3.1: first medical reports have a fixed fee of £180 plus VAT"
)
VAT_REFERENCE: Final = (
    "Value Added Tax Act 1994 s.2: standard rate 20% (a parameter; pass the rate in force)"
)
EXPERT_FEE_REFERENCE: Final = (
    "guide 5.3.2: non-fixed medical expert fees and other experts' fees are paid up to a "
    "maximum of £750"
)
NOT_CLAIM_VALUE: Final = "fees do not form part of the claim's value (guide 5.3)"


@final
@frozen
class MedicalReportFee(Tabular):
    """The fixed first medical report fee with its VAT (guide 5.3.1; VATA 1994 s.2).

    >>> print(first_medical_report_fee(vat_percent="17.5"))
    First medical report fee: £211.50 (not part of the claim's value, guide 5.3)
    item         |  amount | reference
    -------------+---------+--------------------------------------------------------------------------------------
    fixed fee    | £180.00 | guide 5.3.1: first medical reports have a fixed fee of £180 plus VAT
    VAT at 17.5% |  £31.50 | Value Added Tax Act 1994 s.2: standard rate 20% (a parameter; pass the rate in force)
    fee with VAT | £211.50 |
    """

    _headers = ("item", "amount", "reference")

    net: Decimal
    vat_percent: Decimal
    vat: Decimal
    gross: Decimal

    def _rows(self) -> list[list[Any]]:
        return [
            ["fixed fee", self.net, MEDICAL_FEE_REFERENCE],
            [f"VAT at {self.vat_percent}%", self.vat, VAT_REFERENCE],
            ["fee with VAT", self.gross, ""],
        ]

    def _title(self) -> str:
        return (
            f"First medical report fee: {format_money(self.gross)} "
            "(not part of the claim's value, guide 5.3)"
        )

    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data (amounts as exact strings)."""
        return {
            "net": jsonable(self.net),
            "vat_percent": percent_json(self.vat_percent),
            "vat": jsonable(self.vat),
            "gross": jsonable(self.gross),
            "part_of_claim_value": False,
            "reference": MEDICAL_FEE_REFERENCE,
            "vat_reference": VAT_REFERENCE,
            "note": NOT_CLAIM_VALUE,
        }


def first_medical_report_fee(*, vat_percent: Any = DEFAULT_VAT_PERCENT) -> MedicalReportFee:
    """Return the fixed first medical report fee, £180 plus VAT (guide 5.3.1).

    ``vat_percent`` is 0 to 100 with at most two decimal places; zero-rated is allowed.

    >>> first_medical_report_fee(vat_percent=0).gross
    Decimal('180.00')
    >>> first_medical_report_fee(vat_percent=-1)
    Traceback (most recent call last):
    ...
    rtaprotocol.errors.RulesError: vat_percent: percentage is negative: got -1 [Value Added Tax Act 1994 s.2: standard rate 20% (a parameter; pass the rate in force)]
    """
    pct = to_percent(vat_percent, field="vat_percent", reference=VAT_REFERENCE)
    vat = round_penny(FIRST_MEDICAL_REPORT_FEE * pct / 100)
    return MedicalReportFee(
        net=FIRST_MEDICAL_REPORT_FEE,
        vat_percent=pct,
        vat=vat,
        gross=FIRST_MEDICAL_REPORT_FEE + vat,
    )


@final
@frozen
class ExpertFee(Tabular):
    """A non-fixed expert's fee against the £750 cap: what is recoverable and what is not.

    >>> print(expert_fee(750))
    Expert fee: £750.00 recoverable of £750.00 (not part of the claim's value, guide 5.3)
    item         |  amount | reference
    -------------+---------+----------------------------------------------------------------------------------------------------
    fee claimed  | £750.00 |
    cap          | £750.00 | guide 5.3.2: non-fixed medical expert fees and other experts' fees are paid up to a maximum of £750
    recoverable  | £750.00 |
    over the cap |   £0.00 | not recoverable
    """

    _headers = ("item", "amount", "reference")

    claimed: Decimal
    cap: Decimal
    recoverable: Decimal
    over_cap: Decimal

    @property
    def capped(self) -> bool:
        """Whether the cap cut the fee down."""
        return self.over_cap > 0

    def _rows(self) -> list[list[Any]]:
        return [
            ["fee claimed", self.claimed, ""],
            ["cap", self.cap, EXPERT_FEE_REFERENCE],
            ["recoverable", self.recoverable, ""],
            ["over the cap", self.over_cap, "not recoverable"],
        ]

    def _title(self) -> str:
        return (
            f"Expert fee: {format_money(self.recoverable)} recoverable of "
            f"{format_money(self.claimed)} (not part of the claim's value, guide 5.3)"
        )

    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data (amounts as exact strings)."""
        return {
            "claimed": jsonable(self.claimed),
            "cap": jsonable(self.cap),
            "recoverable": jsonable(self.recoverable),
            "over_cap": jsonable(self.over_cap),
            "capped": self.capped,
            "part_of_claim_value": False,
            "reference": EXPERT_FEE_REFERENCE,
            "note": NOT_CLAIM_VALUE,
        }


def expert_fee(fee: Any) -> ExpertFee:
    """Apply the £750 cap to a non-fixed medical expert's or other expert's fee (guide 5.3.2).

    The cap is "up to a maximum of £750": exactly £750 is recovered in full.

    >>> expert_fee("750.01").recoverable, expert_fee("750.01").over_cap
    (Decimal('750.00'), Decimal('0.01'))
    >>> expert_fee("-5")
    Traceback (most recent call last):
    ...
    rtaprotocol.errors.RulesError: fee: amount is negative: got '-5' [guide 5.3.2: non-fixed medical expert fees and other experts' fees are paid up to a maximum of £750]
    """
    claimed = to_money(fee, field="fee", reference=EXPERT_FEE_REFERENCE)
    recoverable = min(claimed, EXPERT_FEE_CAP)
    return ExpertFee(
        claimed=claimed,
        cap=EXPERT_FEE_CAP,
        recoverable=recoverable,
        over_cap=claimed - recoverable + ZERO,
    )
