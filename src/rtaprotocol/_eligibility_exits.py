"""Exits from the portal, revaluation and the medical report's outlook (guide 6.4.2, 6.6.2.1).

A private part of :mod:`rtaprotocol.eligibility` (its "exits" and "medical" sections),
which re-exports every name: import them from there.
"""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Any, Final, final

import attrs
from attrs import frozen
from dateutil.relativedelta import relativedelta

from rtaprotocol._checks import (
    check_bool,
    check_date,
    wrong_type,
)
from rtaprotocol._decimal import exact
from rtaprotocol._eligibility_facts import (
    _EXIT_REFERENCE,
    _MITIGATION_REFERENCE,
    _OUTLOOK_REFERENCE,
    _TARIFF_REGIME_REFERENCE,
    TARIFF_PROGNOSIS_MONTHS,
)
from rtaprotocol._render import (
    html_table,
    html_verdict,
    jsonable,
    text_table,
)
from rtaprotocol._tariff_tables import TARIFF_START
from rtaprotocol.deadlines import (
    LAST_SUPPORTED_DATE,
    RANGE_REFERENCE,
)
from rtaprotocol.errors import (
    ErrorCode,
    OutOfCoverageError,
    RulesError,
)
from rtaprotocol.limits import ValueLimitCheck, check_value_limits
from rtaprotocol.sources import Reference

# --------------------------------------------------------------------------- exits


class ExitReason(Enum):
    """The seven ways a claim stops proceeding on the portal (guide 6.6.2.1).

    ``value`` is a stable slug; ``description`` the guide's ground, ``reference`` the
    rule, ``next_steps`` what the claimant can do. In every case the claimant can still
    download the claim's correspondence and documents to take to an adviser.

    >>> len(ExitReason), ExitReason("no-defendant-address").reference
    (7, 'guide 6.6.2.1, 6.6.3.3')
    """

    REVALUED_OVER_LIMITS = (
        "revalued-over-limits",
        (
            "the claim has been revalued at more than £10,000 overall and/or more than "
            "£5,000 for injury"
        ),
        "guide 6.6.2.1, 1.2.3, 4.4.3",
        (
            "This portal is not the right place for the claim: seek advice, the cost of "
            "which may be recoverable (guide 1.2.3.1). Non-protocol vehicle costs never "
            "count towards the limits (guide 1.1.1)."
        ),
    )
    PROTECTED_PARTY = (
        "protected-party",
        (
            "the claimant or the defendant has become a protected party (a party who lacks "
            "capacity to conduct proceedings)"
        ),
        "guide 6.6.2.1; protocol para 4.3(g)",
        "Seek advice (guide 1.2.3.1); the claim continues outside the portal.",
    )
    COMPLEX_ISSUES = (
        "complex-issues",
        (
            "the compensator says the claim is unsuitable for the protocol because there "
            "are complex issues of fact or law"
        ),
        "guide 6.6.2.1",
        "The compensator must give you a reason; you may then wish to seek advice.",
    )
    FRAUD_ALLEGED = (
        "fraud-alleged",
        "the compensator alleges fraud or fundamental dishonesty in respect of the claim",
        "guide 6.6.2.1",
        "The compensator must give you a reason; you may then wish to seek advice.",
    )
    CAUSATION_DISPUTED = (
        "causation-disputed",
        (
            "the compensator disputes, or continues to dispute, that the accident caused "
            "any injury after a medical report is disclosed"
        ),
        "guide 6.6.2.1, 6.5.4",
        "The compensator must give you a reason; you may then wish to seek advice.",
    )
    COURT_ORDER = (
        "court-order",
        ("a court orders that the claim must leave the portal and be included in proceedings"),
        "guide 6.6.2.1",
        "The claim continues in the court proceedings the order names; seek advice.",
    )
    NO_DEFENDANT_ADDRESS = (
        "no-defendant-address",
        (
            "neither party can give an address for the defendant for the court form (the "
            "compensator is the MIB or its agents, or an RTA insurer)"
        ),
        "guide 6.6.2.1, 6.6.3.3",
        "The court form cannot be prepared on the portal; seek advice.",
    )

    description: str
    reference: str
    next_steps: str

    def __new__(cls, slug: str, description: str, reference: str, next_steps: str) -> ExitReason:
        """Make a member whose value is its slug, with its ground and next steps attached."""
        member = object.__new__(cls)
        member._value_ = slug
        member.description = description
        member.reference = Reference(reference)
        member.next_steps = next_steps
        return member


@final
@frozen
class RevaluationResult:
    """Whether a revalued claim must leave the portal (guide 6.6.2.1, first ground)."""

    value_limits: ValueLimitCheck
    must_exit: bool
    exit_reason: ExitReason | None

    def _rows(self) -> list[list[Any]]:
        rows: list[list[Any]] = [
            [b.code, b.message, b.reference] for b in self.value_limits.breaches
        ]
        if self.exit_reason is not None:
            rows.append(["next steps", self.exit_reason.next_steps, self.exit_reason.reference])
        return rows

    def _title(self) -> str:
        if self.must_exit:
            return "The claim must leave the portal: revalued above the limits (guide 6.6.2.1)"
        return "The claim can stay on the portal: within the value limits (guide 6.6.2.1)"

    @exact
    def __str__(self) -> str:
        parts = [str(self.value_limits)]
        rows = self._rows()
        parts.insert(
            0,
            text_table(["item", "detail", "reference"], rows, title=self._title())
            if rows
            else self._title(),
        )
        return "\n\n".join(parts)

    @exact
    def _repr_html_(self) -> str:
        """Render the verdict first, then the breaches and the value limits."""
        rows = self._rows() or [["within limits", "no limit is breached", "guide 6.6.2.1"]]
        return (
            html_verdict(self._title(), not self.must_exit)
            + html_table(["item", "detail", "reference"], rows)
            + self.value_limits._repr_html_()
        )

    @exact
    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data."""
        reason = self.exit_reason
        return {
            "must_exit": self.must_exit,
            "exit_reason": None if reason is None else reason.value,
            "reference": _EXIT_REFERENCE if reason is None else reason.reference,
            "next_steps": None if reason is None else reason.next_steps,
            "value_limits": self.value_limits.to_dict(),
        }


@exact
def check_revaluation(
    injury: Any,
    other_protocol_damages: Any = 0,
    *,
    non_protocol_vehicle_costs: Any = 0,
    fees: Any = 0,
) -> RevaluationResult:
    """Say whether a claim revalued mid-process must leave the portal (guide 6.6.2.1).

    It must when the injury is revalued at more than £5,000 or injury plus other
    protocol damages at more than £10,000; exactly at the limits it stays. Non-protocol
    vehicle costs and fees never count (guide 1.1.1, 5.3).

    >>> check_revaluation("5000.00", "5000.00", non_protocol_vehicle_costs=9000).must_exit
    False
    >>> result = check_revaluation("4000", "6000.01")
    >>> result.must_exit, result.exit_reason
    (True, <ExitReason.REVALUED_OVER_LIMITS: 'revalued-over-limits'>)
    """
    limits = check_value_limits(
        injury,
        other_protocol_damages,
        non_protocol_vehicle_costs=non_protocol_vehicle_costs,
        fees=fees,
    )
    must_exit = not limits.within_limits
    return RevaluationResult(
        value_limits=limits,
        must_exit=must_exit,
        exit_reason=ExitReason.REVALUED_OVER_LIMITS if must_exit else None,
    )


# --------------------------------------------------------------------------- medical


@final
@frozen
class MedicalOutlook:
    """What a medical report's prognosis means for the tariff and the limits (guide 6.4.2).

    ``within_tariff`` is False when the injuries are likely to last more than 24 months
    from the accident (``recovery_date`` after ``tariff_end``): the injury is then not a
    tariff injury (Civil Liability Act 2018 s.3) and the claim may exceed the limits.
    """

    accident_date: date
    recovery_date: date
    tariff_end: date
    within_tariff: bool
    message: str
    reference: str = attrs.field(converter=Reference)
    #: The claimant failed to take reasonable steps to mitigate (CLA 2018 s.3(1)(b)(ii)).
    failed_to_mitigate: bool = False

    def _rows(self) -> list[list[Any]]:
        return [
            ["accident", self.accident_date, "", ""],
            [f"{TARIFF_PROGNOSIS_MONTHS} months after the accident", self.tariff_end,
             "last day inside the tariff", "Civil Liability Act 2018 s.3"],
            ["expected recovery", self.recovery_date,
             _outlook_meaning(self), "guide 6.4.2, 6.4.2.2"],
        ]  # fmt: skip

    @exact
    def __str__(self) -> str:
        return text_table(
            ["item", "date", "meaning", "reference"], self._rows(), title=self.message
        )

    @exact
    def _repr_html_(self) -> str:
        """Render the outlook first, then each date with its meaning and rule."""
        return html_verdict(self.message, "info") + html_table(
            ["item", "date", "meaning", "reference"], self._rows()
        )

    @exact
    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data."""
        return {
            "accident_date": jsonable(self.accident_date),
            "recovery_date": jsonable(self.recovery_date),
            "tariff_end": jsonable(self.tariff_end),
            "within_tariff": self.within_tariff,
            "failed_to_mitigate": self.failed_to_mitigate,
            "message": self.message,
            "reference": self.reference,
        }


def _outlook_meaning(outlook: MedicalOutlook) -> str:
    if outlook.recovery_date <= outlook.tariff_end:
        return "inside the tariff"
    if outlook.failed_to_mitigate:
        return "beyond 24 months, but a tariff injury (CLA 2018 s.3(1)(b)(ii))"
    return "beyond the tariff"


_RELATIVE_PARTS: Final = ("years", "months", "days")
_FORBIDDEN_PARTS: Final = (
    "hours", "minutes", "seconds", "microseconds", "leapdays",
    "year", "month", "day", "weekday", "hour", "minute", "second", "microsecond",
)  # fmt: skip


def _prognosis_end(accident: date, prognosis: Any) -> date:
    if isinstance(prognosis, relativedelta):
        bad = [p for p in _FORBIDDEN_PARTS if getattr(prognosis, p) not in (0, None)]
        negative = [p for p in _RELATIVE_PARTS if getattr(prognosis, p) < 0]
        if bad or negative:
            raise RulesError(
                "a prognosis is a period of years, months, weeks and days, none negative",
                value=prognosis,
                field="prognosis",
                reference=_OUTLOOK_REFERENCE,
                code=ErrorCode.VALUE_INVALID,
            )
        try:
            end: date = accident + prognosis
        except (ValueError, OverflowError):  # past year 9999: no real prognosis
            raise OutOfCoverageError(
                "the recovery date this prognosis gives is beyond any calendar",
                value=prognosis,
                field="prognosis",
                reference=_OUTLOOK_REFERENCE,
            ) from None
        return end
    if isinstance(prognosis, date):
        end = check_date(prognosis, field="prognosis", reference=_OUTLOOK_REFERENCE)
        if end < accident:
            raise RulesError(
                f"the recovery date is before the accident on {accident}",
                value=prognosis,
                field="prognosis",
                reference=_OUTLOOK_REFERENCE,
                code=ErrorCode.VALUE_INVALID,
            )
        return end
    raise wrong_type(
        prognosis,
        "a dateutil relativedelta or a recovery date",
        field="prognosis",
        reference=_OUTLOOK_REFERENCE,
    )


@exact
def medical_report_outlook(
    accident_date: date, prognosis: relativedelta | date, *, failed_to_mitigate: bool = False
) -> MedicalOutlook:
    """Say whether a prognosis keeps the injury inside the tariff (guide 6.4.2, 6.4.2.2).

    ``prognosis`` is how long the injuries are likely to last, as a
    ``dateutil.relativedelta`` measured from the accident, or the expected recovery
    date. More than 24 months from the accident is outside the tariff (Civil Liability
    Act 2018 s.3: "not more than two years"), and the guide says "the value of your
    claim may exceed the small claims track limit": seek advice before withdrawing.
    Exactly 24 months is inside. Months are calendar months with dateutil's month-end
    clamping: from 29 February 2024, 24 months ends on 28 February 2026. The accident
    must be on or after 31 May 2021, when the tariff began, and by 2100-12-31
    (otherwise :class:`~rtaprotocol.errors.OutOfCoverageError`): an earlier accident has
    no tariff to be inside.

    ``failed_to_mitigate=True`` says the injury lasts more than two years only because
    the claimant failed to take reasonable steps to mitigate its effect: it is then still
    a tariff injury (CLA 2018 s.3(1)(b)(ii)), valued at the 18 to 24 month row.

    >>> medical_report_outlook(date(2024, 2, 29), date(2026, 3, 1),
    ...                        failed_to_mitigate=True).within_tariff
    True

    >>> from datetime import date
    >>> medical_report_outlook(date(2024, 2, 29), relativedelta(months=24)).within_tariff
    True
    >>> medical_report_outlook(date(2024, 2, 29), date(2026, 3, 1)).within_tariff
    False
    >>> medical_report_outlook(date(2021, 5, 30), relativedelta(months=3))
    Traceback (most recent call last):
    ...
    rtaprotocol.errors.OutOfCoverageError: accident_date: the accident is before the whiplash tariff began on 2021-05-31: got datetime.date(2021, 5, 30) [Civil Liability Act 2018 Part 1; Whiplash Injury Regulations 2021 (SI 2021/642); guide 4.1]
    """
    accident = check_date(accident_date, field="accident_date", reference=_OUTLOOK_REFERENCE)
    if accident < TARIFF_START:  # the first tariff table's date, one fact with tariff_table's
        raise OutOfCoverageError(
            f"the accident is before the whiplash tariff began on {TARIFF_START}",
            value=accident_date,
            field="accident_date",
            reference=_TARIFF_REGIME_REFERENCE,
        )
    if accident > LAST_SUPPORTED_DATE:
        raise OutOfCoverageError(
            "date is outside the supported range",
            value=accident_date,
            field="accident_date",
            reference=RANGE_REFERENCE,
        )
    mitigated = check_bool(
        failed_to_mitigate, field="failed_to_mitigate", reference=_MITIGATION_REFERENCE
    )
    end = _prognosis_end(accident, prognosis)
    tariff_end = accident + relativedelta(months=TARIFF_PROGNOSIS_MONTHS)
    within = end <= tariff_end or mitigated
    reference = _OUTLOOK_REFERENCE
    if end > tariff_end and mitigated:
        reference = _MITIGATION_REFERENCE
        message = (
            f"Recovery expected on {end}, more than {TARIFF_PROGNOSIS_MONTHS} months after "
            "the accident, but only because the claimant failed to take reasonable steps to "
            "mitigate: still a whiplash tariff injury, valued at the 18 to 24 month row "
            "(Civil Liability Act 2018 s.3(1)(b)(ii))"
        )
    elif within:
        message = (
            f"Recovery expected by {end}, not more than {TARIFF_PROGNOSIS_MONTHS} months "
            "after the accident: inside the whiplash tariff"
        )
    else:
        message = (
            f"Recovery expected on {end}, more than {TARIFF_PROGNOSIS_MONTHS} months after "
            "the accident: outside the whiplash tariff, and the claim may exceed the small "
            "claims limits; seek advice before withdrawing the claim from the portal"
        )
    return MedicalOutlook(
        accident_date=accident,
        recovery_date=end,
        tariff_end=tariff_end,
        within_tariff=within,
        message=message,
        reference=reference,
        failed_to_mitigate=mitigated,
    )
