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

from datetime import date, timedelta
from decimal import Decimal
from enum import Enum
from typing import Any, Final, final

from attrs import frozen

from rtaprotocol import _data
from rtaprotocol._checks import check_bool, check_enum, check_optional_bool
from rtaprotocol._decimal import exact
from rtaprotocol._render import Tabular, jsonable, percent_json
from rtaprotocol._views import install_views
from rtaprotocol.deadlines import supported_date
from rtaprotocol.errors import ErrorCode, OutOfCoverageError, RulesError
from rtaprotocol.money import ZERO, format_money, round_penny, to_money, to_percent

__all__ = [
    "DEFAULT_VAT_PERCENT",
    "EXPERT_FEE_CAP",
    "FIRST_MEDICAL_REPORT_FEE",
    "MEDICAL_FEE_RATES",
    "ExpertFee",
    "FeeKind",
    "FeeRate",
    "MedicalFeeClaim",
    "MedicalReportFee",
    "expert_fee",
    "first_medical_report_fee",
    "medical_fee",
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
            code=ErrorCode.VALUE_INVALID,
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


# --- the fees for medical evidence and police reports, as dated data -------------------------

#: The fee files, ``rtaprotocol/data/rules/medical-fees/*.json``, oldest first (one file a
#: fixing or uprating; see docs/maintaining.md). The names below keep the first two.
_FEE_FILES: Final = _data.medical_fee_files()
FIXED_FEES_2014: Final = _FEE_FILES[0].citation
FIXED_FEES_2025: Final = _FEE_FILES[1].citation
UPRATED_ON: Final = _FEE_FILES[1].applies_from
FIXED_FROM: Final = _FEE_FILES[0].applies_from
POLICE_REFERENCE: Final = "guide 5.3, 5.3.3"
#: The fees a claimant may claim back, of every kind (guide 5.3's list).
FEES_REFERENCE: Final = "guide 5.3"
FURTHER_FEE_REFERENCE: Final = "guide 6.4.2.2, 6.4.2.3"


class FeeKind(Enum):
    """The fees for medical evidence and police reports a claimant may claim (guide 5.3, 6.5.1.1).

    ``value`` is a stable slug.

    >>> [k.value for k in FeeKind][:2]
    ['first-report', 'further-report-orthopaedic-surgeon']
    """

    FIRST_REPORT = "first-report"
    FURTHER_ORTHOPAEDIC = "further-report-orthopaedic-surgeon"
    FURTHER_A_AND_E = "further-report-a-and-e-consultant"
    FURTHER_GP = "further-report-gp"
    FURTHER_PHYSIOTHERAPIST = "further-report-physiotherapist"
    MEDICAL_RECORDS = "medical-records"
    ADDENDUM = "addendum-report"
    PART_35_ANSWERS = "part-35-answers"
    POLICE_REPORT = "police-report"

    @property
    def further(self) -> bool:
        """Whether this is a further medical report (guide 6.4.2.2)."""
        return self.value.startswith("further-report-")


@final
@frozen
class FeeRate:
    """One fee's rule over a period: fixed, capped, or as charged; with its source.

    ``fixed`` is the fixed sum before VAT (``None``: not fixed); ``cap`` the most
    recoverable (``None``: no cap); ``valid_to`` the last day (``None``: open). A rate
    whose ``fixed`` and ``cap`` are both unknown for its period is ``confidence``
    ``"unconfirmed"`` and :func:`medical_fee` refuses it unless the caller gives the amount.
    """

    kind: FeeKind
    valid_from: date
    valid_to: date | None
    fixed: Decimal | None
    cap: Decimal | None
    reference: str
    confidence: str


def _fee_kind(text: str) -> FeeKind:
    """Return the FeeKind a fee file names; refuse an unknown kind (a bad data file)."""
    try:
        return FeeKind(text)
    except ValueError:
        raise _data.data_file_error(
            "medical-fees", "rates.kind", "unknown fee kind", text
        ) from None


#: Every dated rate, oldest first, built from the fee files (each file's rates apply from
#: its ``applies_from`` to the day before the next file's). Police report fees are not
#: fixed (guide 5.3.3): they have no rate and are recoverable as charged.
MEDICAL_FEE_RATES: Final[tuple[FeeRate, ...]] = tuple(
    FeeRate(
        kind=_fee_kind(rate.kind),
        valid_from=fees.applies_from,
        valid_to=None if fees.applies_until is None else fees.applies_until - timedelta(days=1),
        fixed=rate.fixed,
        cap=rate.cap,
        reference=rate.reference,
        confidence=rate.confidence,
    )
    for fees in _FEE_FILES
    for rate in fees.rates
)


def _rate(kind: FeeKind, on: date) -> FeeRate:
    for rate in MEDICAL_FEE_RATES:
        if (
            rate.kind is kind
            and rate.valid_from <= on
            and (rate.valid_to is None or on <= rate.valid_to)
        ):
            return rate
    raise OutOfCoverageError(
        f"the fixed medical fees are covered from {FIXED_FROM}",
        value=on,
        field="on",
        reference=FIXED_FEES_2014,
    )


@final
@frozen
class MedicalFeeClaim(Tabular):
    """One fee for medical evidence or a police report, and how much of it is recoverable.

    ``claimed`` is the fee as charged before VAT; ``recoverable`` what the claimant may
    claim back from the compensator before VAT; ``vat`` on the recoverable part;
    ``paid_by_compensator`` says the compensator pays the provider directly, so the
    claimant claims nothing (guide 5.3.1, 6.4.1.4, 6.4.2.3); ``notes`` give each rule
    applied with its reference; ``rate`` the dated rate used (``None`` for a police report).
    """

    _headers = ("item", "amount", "reference")

    kind: FeeKind
    on: date
    claimed: Decimal
    recoverable: Decimal
    vat_percent: Decimal
    vat: Decimal
    paid_by_compensator: bool
    notes: tuple[str, ...]
    rate: FeeRate | None

    def _rows(self) -> list[list[Any]]:
        ref = self.rate.reference if self.rate is not None else POLICE_REFERENCE
        return [
            ["claimed", self.claimed, ""],
            ["recoverable", self.recoverable, ref],
            [f"VAT at {self.vat_percent}%", self.vat, VAT_REFERENCE],
            *(["note", "", n] for n in self.notes),
        ]

    def _title(self) -> str:
        who = " (paid by the compensator directly)" if self.paid_by_compensator else ""
        return (
            f"{self.kind.value} fee on {self.on}: {format_money(self.recoverable)} recoverable "
            f"before VAT{who} (not part of the claim's value, guide 5.3)"
        )

    @exact
    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data (amounts as exact strings)."""
        return {
            "kind": self.kind.value,
            "on": jsonable(self.on),
            "claimed": jsonable(self.claimed),
            "recoverable": jsonable(self.recoverable),
            "vat_percent": percent_json(self.vat_percent),
            "vat": jsonable(self.vat),
            "paid_by_compensator": self.paid_by_compensator,
            "notes": list(self.notes),
            "rate": None
            if self.rate is None
            else {
                "valid_from": jsonable(self.rate.valid_from),
                "valid_to": jsonable(self.rate.valid_to),
                "fixed": jsonable(self.rate.fixed),
                "cap": jsonable(self.rate.cap),
                "reference": self.rate.reference,
                "confidence": self.rate.confidence,
            },
            "part_of_claim_value": False,
        }


@exact
def medical_fee(
    kind: FeeKind | str,
    *,
    on: date,
    amount: Any = None,
    vat_percent: Any = DEFAULT_VAT_PERCENT,
    represented: bool | None = None,
    justified: bool | None = None,
    own_report: bool = False,
    liability_admitted: bool | None = None,
) -> MedicalFeeClaim:
    """Return what is recoverable of a fee for medical evidence or a police report.

    Guide 5.3, 5.3.1, 5.3.3, 6.4.2.2, 6.4.2.3; the fixed fees of CPR 45.19(2A) as made in
    2014 (dated data: :data:`MEDICAL_FEE_RATES`). ``on`` is the date the fee was incurred.
    ``amount`` is the fee charged before VAT; for a fixed fee it defaults to the fixed sum.

    - First report: fixed. Not represented (``represented`` false or not stated): the
      compensator pays the provider directly and the claimant claims nothing; represented:
      the fixed fee is claimed back (guide 5.3.1).
    - Further report: fixed by discipline; recoverable only if ``justified`` by one of the
      four reasons (guide 6.4.2.2); the compensator pays directly when it arranged the
      report, while the claimant's ``own_report`` fee is claimed back at the end
      (guide 6.4.2.3).
    - Medical records: at most £80 for each set; addendum £50; answers to Part 35
      questions £80.
    - Police report: not fixed, recoverable as charged (guide 5.3.3); where liability is
      admitted a note says the compensator may say it was not needed.

    A fee incurred from 6 April 2025 is refused (:class:`~rtaprotocol.errors.OutOfCoverageError`)
    unless ``amount`` is given: the fees were uprated then by an amount this release does not
    confirm. A charge above a fixed fee recovers only the fixed fee.

    >>> from datetime import date
    >>> medical_fee("first-report", on=date(2024, 5, 1), represented=True).recoverable
    Decimal('180.00')
    >>> medical_fee("further-report-gp", on=date(2024, 5, 1), justified=False).recoverable
    Decimal('0.00')
    >>> medical_fee("first-report", on=date(2025, 4, 6))
    Traceback (most recent call last):
    ...
    rtaprotocol.errors.OutOfCoverageError: on: the fixed fee for first-report from 2025-04-06 is not confirmed in this release; pass the amount charged as amount=: got datetime.date(2025, 4, 6) [Civil Procedure (Amendment) Rules 2025 and the 179th Practice Direction Update, in force 6 April 2025: the fixed medical fees uprated by 25.4% (Services Producer Price Index) (secondary sources; the new amounts unconfirmed)]
    """
    k = check_enum(kind, FeeKind, field="kind", reference=FEES_REFERENCE)
    day = supported_date(on, field="on", reference=FIXED_FEES_2014)
    pct = to_percent(vat_percent, field="vat_percent", reference=VAT_REFERENCE)
    rep = check_optional_bool(represented, field="represented", reference="guide 5.3.1")
    just = check_optional_bool(justified, field="justified", reference=FURTHER_FEE_REFERENCE)
    admitted = check_optional_bool(
        liability_admitted, field="liability_admitted", reference=POLICE_REFERENCE
    )
    own = check_bool(own_report, field="own_report", reference=FURTHER_FEE_REFERENCE)
    # the amount's rule is its own fee's: a police report's (guide 5.3.3) or guide 5.3's
    amount_reference = POLICE_REFERENCE if k is FeeKind.POLICE_REPORT else FEES_REFERENCE
    given = None if amount is None else to_money(amount, field="amount", reference=amount_reference)
    notes: list[str] = []
    claimed, recoverable, rate = _charged(k, day, given, notes)
    if k is FeeKind.POLICE_REPORT and admitted:
        notes.append(
            "liability is admitted: the guide says there should then be no need for a "
            f"police report, so the compensator may dispute this fee [{POLICE_REFERENCE}]"
        )
    paid_by_compensator, recoverable = _who_pays(k, recoverable, rep, just, own, notes)
    return MedicalFeeClaim(
        kind=k,
        on=day,
        claimed=claimed,
        recoverable=recoverable,
        vat_percent=pct,
        vat=round_penny(recoverable * pct / 100),
        paid_by_compensator=paid_by_compensator,
        notes=tuple(notes),
        rate=rate,
    )


def _charged(
    k: FeeKind, day: date, given: Decimal | None, notes: list[str]
) -> tuple[Decimal, Decimal, FeeRate | None]:
    """Return the fee charged, what its rate lets be recovered, and the rate (or refuse)."""
    if k is FeeKind.POLICE_REPORT:
        if given is None:
            raise RulesError(
                "a police report fee is not fixed: give the amount charged",
                field="amount",
                reference=POLICE_REFERENCE,
                code=ErrorCode.VALUE_INVALID,
            )
        notes.append(
            f"police report fees vary by force and are recoverable as charged [{POLICE_REFERENCE}]"
        )
        return given, given, None
    rate = _rate(k, day)
    if rate.fixed is not None:
        claimed = rate.fixed if given is None else given
        if claimed > rate.fixed:
            notes.append(
                f"only the fixed fee of {format_money(rate.fixed)} is recoverable "
                f"[{rate.reference}]"
            )
        return claimed, min(claimed, rate.fixed), rate
    if given is None:
        if rate.confidence == "unconfirmed":
            raise OutOfCoverageError(
                f"the fixed fee for {k.value} from {rate.valid_from} is not confirmed in this "
                "release; pass the amount charged as amount=",
                value=day,
                field="on",
                reference=rate.reference,
            )
        raise RulesError(
            "medical records fees are not fixed: give the amount charged",
            field="amount",
            reference=rate.reference,
            code=ErrorCode.VALUE_INVALID,
        )
    if rate.cap is not None:
        if given > rate.cap:
            notes.append(
                f"capped at {format_money(rate.cap)} for each set of records [{rate.reference}]"
            )
        return given, min(given, rate.cap), rate
    notes.append(f"the amount given is used: the rate in force is unconfirmed [{rate.reference}]")
    return given, given, rate


def _who_pays(  # noqa: PLR0917 - one helper for the four conditions of guide 5.3.1, 6.4.2.3
    k: FeeKind,
    recoverable: Decimal,
    represented: bool | None,
    justified: bool | None,
    own_report: bool,
    notes: list[str],
) -> tuple[bool, Decimal]:
    """Return whether the compensator pays the provider directly, and what is recoverable."""
    nothing = Decimal("0.00")
    if k is FeeKind.FIRST_REPORT:
        if represented:
            notes.append(
                "the claimant is represented: the representative obtains the report and claims "
                "the fixed fee back [guide 5.3.1, 6.4.1]"
            )
            return False, recoverable
        notes.append(
            "arranged through the portal and paid by the compensator directly: nothing to "
            "claim back [guide 5.3.1, 6.4.1.4]"
        )
        return True, nothing
    if not k.further:
        return False, recoverable
    if not justified:
        notes.append(
            "no one of the four justifications was given: the fee may not be recovered "
            f"[{FURTHER_FEE_REFERENCE}]"
        )
        return False, nothing
    if not own_report:
        notes.append(
            "arranged by the compensator with a justification: its invoice goes to the "
            f"compensator [{FURTHER_FEE_REFERENCE}]"
        )
        return True, nothing
    notes.append(
        "the claimant's own report: the fee is claimed back at the end with the other "
        f"fees [{FURTHER_FEE_REFERENCE}]"
    )
    return False, recoverable


install_views(globals())  # notebook views of every public class (rtaprotocol._views)
