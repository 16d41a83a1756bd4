"""Step 2 of the claim, liability: submission, the response, challenges, denial (reducers).

Guide 6.2.1.3, 6.3.1 to 6.3.1.3: one ``_apply_<kind>(state, event, calendar)`` per event
kind, each returning the new state or raising
:class:`~rtaprotocol.errors.ProtocolViolation` with the rule.
"""

from __future__ import annotations

from decimal import Decimal

from rtaprotocol.claim.deadlines import _liability_response, _met
from rtaprotocol.claim.events import ClaimEvent
from rtaprotocol.claim.kinds import (
    CAUSATION_REFERENCE,
    DENY_REFERENCE,
    HOLD_REFERENCE,
    INTERIM_REFERENCE,
    LIABILITY_REFERENCE,
    LOSSES_REFERENCE,
    MAX_PART_ADMISSION_CHALLENGES,
    PART_REFERENCE,
    SUBMIT_REFERENCE,
    Compensator,
    LiabilityResponse,
)
from rtaprotocol.claim.state import _deny, _record, _replace, _State
from rtaprotocol.deadlines import EnglandWalesCalendar, Period, due_date
from rtaprotocol.eligibility import CRITERIA, ClaimFacts, EligibilityResult, check_eligibility
from rtaprotocol.errors import ErrorCode, ProtocolViolation
from rtaprotocol.losses import ListOfLosses, LossesStage
from rtaprotocol.money import ZERO
from rtaprotocol.offers import Negotiation


def _apply_submitted(s: _State, e: ClaimEvent, cal: EnglandWalesCalendar | None) -> _State:
    if s.submitted_on is not None:
        raise _deny("the claim has already been submitted", SUBMIT_REFERENCE, e.on)
    facts: ClaimFacts = e["facts"]
    if e.on != facts.entry_date:
        raise _deny(
            f"the claim is submitted on its entry date ({facts.entry_date})",
            SUBMIT_REFERENCE,
            e.on,
            "on",
        )
    result = check_eligibility(facts)
    if result.eligible is False:
        raise ProtocolViolation(
            "the claim is not eligible for the portal: "
            + "; ".join(r.message for r in result.reasons),
            reference=_ineligible_reference(result),
            value=list(result.codes),
            problems=_ineligible_problems(result),
            code=ErrorCode.CLAIM_INELIGIBLE,
        )
    compensator: Compensator = e["compensator"]
    period = (
        Period.LIABILITY_RESPONSE_MIB
        if compensator is Compensator.MIB
        else Period.LIABILITY_RESPONSE
    )
    return _replace(
        s,
        submitted_on=e.on,
        facts=facts,
        eligibility=result,
        whiplash=e["whiplash"],
        compensator=compensator,
        liability_due=due_date(period, e.on, calendar=cal),
        negotiation=Negotiation(calendar=cal, whiplash=e["whiplash"]),
        losses=_initial_losses(e.get("losses")),
    )


def _ineligible_reference(result: EligibilityResult) -> str:
    """Every failing criterion's reference, each once, in the criteria's order."""
    return "; ".join(dict.fromkeys(r.reference for r in result.reasons))


def _ineligible_problems(result: EligibilityResult) -> list[ProtocolViolation]:
    """Return one refusal per failing criterion (guide 4.1, 4.2).

    Each has the reason's message (after "the claim is not eligible for the portal") and
    reference, the criterion's code as its value, and the first fact the criterion reads
    as its field (``facts.<name>``).
    """
    fields = {c.code: c.fields for c in CRITERIA}
    return [
        ProtocolViolation(
            f"the claim is not eligible for the portal: {r.message}",
            reference=r.reference,
            value=r.code,
            field=f"facts.{fields[r.code][0]}" if fields.get(r.code) else "facts",
            code=ErrorCode.CLAIM_INELIGIBLE,
        )
        for r in result.reasons
    ]


def _initial_losses(losses: ListOfLosses | None) -> ListOfLosses:
    if losses is None:
        return ListOfLosses()
    if losses.stage is not LossesStage.CLAIM:
        raise _deny(
            "the List of Losses submitted with the claim is at the claim stage",
            LOSSES_REFERENCE,
            losses.stage.value,
            "losses",
        )
    message = "interim payments are recorded as events after submission, not in the list submitted"
    if losses.general_interim:
        raise _deny(message, INTERIM_REFERENCE, losses.general_interim, "losses.general_interim")
    for i, item in enumerate(losses.items):
        if item.paid:
            raise _deny(
                message, INTERIM_REFERENCE, item.interim_paid, f"losses.items[{i}].interim_paid"
            )
    return losses


def _check_not_determined(s: _State) -> None:
    """Refuse to reopen liability once the court has determined the share (6.6.1.1)."""
    if s.liability_by_court:
        raise _deny(
            f"the court has determined liability ({s.liability_percent}% to the defendant); "
            "it is not answered or challenged again on the portal",
            HOLD_REFERENCE,
            s.liability_percent,
        )


def _apply_liability_response(s: _State, e: ClaimEvent, cal: EnglandWalesCalendar | None) -> _State:
    response: LiabilityResponse = e["response"]
    percent: Decimal | None = e.get("percent")
    _check_not_determined(s)
    if s.liability is not None and not s.challenge_pending:
        raise _deny(
            "the compensator has given its liability response; it answers again only a "
            "challenge from the claimant",
            LIABILITY_REFERENCE,
            response.value,
        )
    if response is LiabilityResponse.ADMIT_PART:
        if percent is None or not ZERO < percent < 100:
            raise _deny(
                "a part-admission gives the compensator's share of liability, more than 0 "
                "and less than 100 percent",
                PART_REFERENCE,
                percent,
                "percent",
            )
    elif response is LiabilityResponse.ADMIT_FULL:
        if percent is not None and percent != 100:
            raise _deny("a full admission is 100 percent", PART_REFERENCE, percent, "percent")
        percent = Decimal(100)
    elif response is LiabilityResponse.ADMIT_FAULT_DISPUTE_CAUSATION:
        if percent is None:
            percent = Decimal(100)
        elif not ZERO < percent <= 100:
            raise _deny(
                "fault is admitted in full or in part: more than 0 percent",
                CAUSATION_REFERENCE,
                percent,
                "percent",
            )
    elif percent is not None:
        raise _deny("a denial takes no percentage", DENY_REFERENCE, percent, "percent")
    met = s.met
    if s.liability_first_on is None and s.liability_due is not None:
        deadline = _liability_response(s.compensator, s.submitted_on or e.on, s.liability_due)
        met = _record(s, _met(deadline, e.on))
    causation = s.causation
    if response is LiabilityResponse.ADMIT_FAULT_DISPUTE_CAUSATION:
        causation = "disputed"
    elif response.admits_fault:
        causation = "admitted"
    return _replace(
        s,
        liability=response,
        liability_percent=percent,
        liability_first_on=s.liability_first_on or e.on,
        challenge_pending=False,
        causation=causation,
        met=met,
    )


def _apply_liability_challenge(
    s: _State, e: ClaimEvent, cal: EnglandWalesCalendar | None
) -> _State:
    _check_not_determined(s)
    if s.liability is not LiabilityResponse.ADMIT_PART:
        raise _deny(
            "only a part-admission of liability can be challenged with a proposed share",
            PART_REFERENCE,
            None if s.liability is None else s.liability.value,
        )
    if s.offer_stage:
        raise _deny(
            "a part-admission can be challenged only until an offer is requested; it is now "
            "part of the offer negotiation",
            PART_REFERENCE,
            e.on,
        )
    if s.part_challenges >= MAX_PART_ADMISSION_CHALLENGES:
        raise _deny(
            f"a part-admission can be challenged at most {MAX_PART_ADMISSION_CHALLENGES} times",
            PART_REFERENCE,
            s.part_challenges + 1,
        )
    if s.challenge_pending:
        raise _deny("the previous challenge is still with the compensator", PART_REFERENCE, e.on)
    percent: Decimal = e["percent"]
    if s.liability_percent is not None and not s.liability_percent < percent <= 100:
        raise _deny(
            f"the proposed share must be more than the {s.liability_percent}% admitted and at "
            "most 100%",
            PART_REFERENCE,
            percent,
            "percent",
        )
    return _replace(s, part_challenges=s.part_challenges + 1, challenge_pending=True)


def _require_denied(s: _State, what: str) -> None:
    _check_not_determined(s)
    if s.liability is not LiabilityResponse.DENY or s.challenge_pending:
        raise _deny(
            f"the claimant can {what} only when liability is denied and no challenge is pending",
            DENY_REFERENCE,
            None if s.liability is None else s.liability.value,
        )


def _apply_denial_accepted(s: _State, e: ClaimEvent, cal: EnglandWalesCalendar | None) -> _State:
    _require_denied(s, "accept a denial")
    return _replace(
        s, closed_because="the claimant accepted the denial of liability", closed_on=e.on
    )


def _apply_denial_challenged(s: _State, e: ClaimEvent, cal: EnglandWalesCalendar | None) -> _State:
    _require_denied(s, "challenge a denial")
    return _replace(s, challenge_pending=True)
