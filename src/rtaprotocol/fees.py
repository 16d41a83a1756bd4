"""Fees: the fixed first medical report fee and the £750 cap on other experts' fees.

Guide 5.3; CPR PD 27A para 7.3(2). Fees "do not form part of your claim": they never count towards
the £5,000 and £10,000 value limits (:func:`rtaprotocol.limits.check_value_limits`
records them and leaves them out), and they are negotiated only after the damages are
agreed (guide 6.5.3.2).

- First medical report (guide 5.3.1): "a fixed fee of £180 plus VAT". The VAT rate is a
  **parameter**, ``vat_percent``, defaulting to the UK standard rate of 20% (Value Added
  Tax Act 1994 s.2); pass another rate if it changes. VAT is rounded to the penny half-up.
- Other experts (guide 5.3.2): "Medical expert fees that are not fixed, or fees for other
  experts, will only be paid up to a maximum of £750"; PD 27A para 7.3(2) sets the small
  claims limit on experts' fees at £750 **for each expert**. :func:`expert_fee` takes the
  fees expert by expert and caps each one: two experts at £900 each recover £1,500, not
  £750. The guide does not say whether the £750 includes VAT. **Chosen**: the cap applies
  to each fee as you pass it (VAT included if VAT was charged); nothing is added or split.

>>> first_medical_report_fee().gross
Decimal('216.00')
>>> expert_fee("900").over_cap
Decimal('150.00')
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Final, final

from attrs import frozen

from rtaprotocol._decimal import exact
from rtaprotocol._render import Tabular, jsonable, percent_json
from rtaprotocol._views import install_views
from rtaprotocol.errors import RulesError
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
    "guide 5.3.2; PD 27A para 7.3(2): non-fixed medical expert fees and other experts' fees "
    "are paid up to a maximum of £750 for each expert"
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

    @exact
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


@exact
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
    """Experts' fees against the £750 cap for each expert: what is recoverable and what is not.

    ``fees`` are the fees as claimed, one per expert; ``claimed``, ``recoverable`` and
    ``over_cap`` are totals over the experts; ``recoverable_by_expert`` each fee capped.

    >>> print(expert_fee(750, 900))
    Expert fees: £1,500.00 recoverable of £1,650.00 (not part of the claim's value, guide 5.3)
    item                  |    amount | reference
    ----------------------+-----------+----------------------------------------------------------------------------------------------------------------------------------------
    expert 1: fee claimed |   £750.00 |
    expert 1: recoverable |   £750.00 | capped at £750 (see below)
    expert 2: fee claimed |   £900.00 |
    expert 2: recoverable |   £750.00 | capped at £750 (see below)
    cap for each expert   |   £750.00 | guide 5.3.2; PD 27A para 7.3(2): non-fixed medical expert fees and other experts' fees are paid up to a maximum of £750 for each expert
    recoverable           | £1,500.00 |
    over the cap          |   £150.00 | not recoverable
    """

    _headers = ("item", "amount", "reference")

    claimed: Decimal
    cap: Decimal
    recoverable: Decimal
    over_cap: Decimal
    fees: tuple[Decimal, ...] = ()

    @property
    @exact
    def capped(self) -> bool:
        """Whether the cap cut any expert's fee down."""
        return self.over_cap > 0

    @property
    @exact
    def recoverable_by_expert(self) -> tuple[Decimal, ...]:
        """Each expert's fee, capped at £750 (PD 27A para 7.3(2))."""
        return tuple(min(fee, self.cap) for fee in self.fees)

    def _rows(self) -> list[list[Any]]:
        rows: list[list[Any]] = []
        for n, (fee, kept) in enumerate(zip(self.fees, self.recoverable_by_expert, strict=True), 1):
            rows.append([f"expert {n}: fee claimed", fee, ""])
            rows.append([f"expert {n}: recoverable", kept, "capped at £750 (see below)"])
        rows.extend(
            [
                ["cap for each expert", self.cap, EXPERT_FEE_REFERENCE],
                ["recoverable", self.recoverable, ""],
                ["over the cap", self.over_cap, "not recoverable"],
            ]
        )
        return rows

    def _title(self) -> str:
        noun = "Expert fee" if len(self.fees) == 1 else "Expert fees"
        return (
            f"{noun}: {format_money(self.recoverable)} recoverable of "
            f"{format_money(self.claimed)} (not part of the claim's value, guide 5.3)"
        )

    @exact
    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data (amounts as exact strings)."""
        return {
            "claimed": jsonable(self.claimed),
            "cap": jsonable(self.cap),
            "recoverable": jsonable(self.recoverable),
            "over_cap": jsonable(self.over_cap),
            "capped": self.capped,
            "fees": [jsonable(f) for f in self.fees],
            "recoverable_by_expert": [jsonable(f) for f in self.recoverable_by_expert],
            "part_of_claim_value": False,
            "reference": EXPERT_FEE_REFERENCE,
            "note": NOT_CLAIM_VALUE,
        }


@exact
def expert_fee(*fees: Any) -> ExpertFee:
    """Cap each expert's fee at £750 (guide 5.3.2; PD 27A para 7.3(2)) and total them.

    Pass the fees expert by expert (or one sequence of them). The cap is "up to a maximum
    of £750" for each expert: exactly £750 is recovered in full, and two experts at
    £750.01 each recover £1,500.00.

    >>> expert_fee("750.01", "750.01").recoverable, expert_fee("750.01", "750.01").over_cap
    (Decimal('1500.00'), Decimal('0.02'))
    >>> expert_fee([900]).recoverable
    Decimal('750.00')
    >>> expert_fee("100", "-5")
    Traceback (most recent call last):
    ...
    rtaprotocol.errors.RulesError: fee[1]: amount is negative: got '-5' [guide 5.3.2; PD 27A para 7.3(2): non-fixed medical expert fees and other experts' fees are paid up to a maximum of £750 for each expert]
    """
    given: tuple[Any, ...] = fees
    if len(fees) == 1 and isinstance(fees[0], list | tuple):
        given = tuple(fees[0])
    if not given:
        raise RulesError(
            "give at least one expert's fee",
            value=fees,
            field="fee",
            reference=EXPERT_FEE_REFERENCE,
        )
    claimed = tuple(
        to_money(
            fee,
            field="fee" if len(given) == 1 else f"fee[{n}]",
            reference=EXPERT_FEE_REFERENCE,
        )
        for n, fee in enumerate(given)
    )
    recoverable = sum((min(fee, EXPERT_FEE_CAP) for fee in claimed), ZERO)
    total = sum(claimed, ZERO)
    return ExpertFee(
        claimed=total,
        cap=EXPERT_FEE_CAP,
        recoverable=recoverable,
        over_cap=total - recoverable + ZERO,
        fees=claimed,
    )


install_views(globals())  # notebook views of every public class (rtaprotocol._views)
