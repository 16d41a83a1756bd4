"""Step 3 of the claim, medical: reports, sharing, challenges and further reports (reducers).

Guide 6.4.1 to 6.4.2.3, and the claimant's withdrawal of the claim (guide 6.1, 6.4.2):
one ``_apply_<kind>(state, event, calendar)`` per event kind.
"""

from __future__ import annotations

from typing import Any, Final

from rtaprotocol.claim.deadlines import _further_instructions, _met
from rtaprotocol.claim.events import ClaimEvent
from rtaprotocol.claim.kinds import (
    FACTUAL_REFERENCE,
    FURTHER_REFERENCE,
    MEDICAL_REFERENCE,
    OWN_REPORT_REFERENCE,
    PROGNOSIS_REFERENCE,
    REPORT_REFERENCE,
)
from rtaprotocol.claim.state import _admitted, _deny, _record, _replace, _State
from rtaprotocol.deadlines import EnglandWalesCalendar, Period, due_date
from rtaprotocol.offers import Event as OfferEvent
from rtaprotocol.offers import EventKind as OfferEventKind


def _apply_proceed_to_medical(s: _State, e: ClaimEvent, cal: EnglandWalesCalendar | None) -> _State:
    if s.medical_started_on is not None:
        raise _deny("the claim has already proceeded to medical", MEDICAL_REFERENCE, e.on)
    if not _admitted(s):
        raise _deny(
            "the claim proceeds to medical once liability or fault is admitted, in full or "
            "in part, or a court has found for the claimant",
            "guide 6.3.1.1, 6.3.1.2, 6.4.1.1",
            None if s.liability is None else s.liability.value,
        )
    if e["lives_in_england_wales"] and not e["via_medco"]:
        raise _deny(
            "a claimant living in England and Wales obtains the first medical report via MedCo",
            "guide 6.4.1.3",
            False,
            "via_medco",
        )
    return _replace(s, medical_started_on=e.on)


def _apply_medical_report(s: _State, e: ClaimEvent, cal: EnglandWalesCalendar | None) -> _State:
    kind = e["report"].value
    if kind == "first":
        if s.medical_started_on is None:
            raise _deny(
                "the first report comes after 'Proceed to medical'", MEDICAL_REFERENCE, e.on
            )
        if s.first_report_on is not None:
            raise _deny(
                "the first medical report has been received; a later one is a further report",
                FURTHER_REFERENCE,
                kind,
                "report",
            )
        return _replace(s, first_report_on=e.on, **_prognosis(s, e))
    if s.further_requested_on is None:
        raise _deny(
            "a further report comes after a further report is requested",
            FURTHER_REFERENCE,
            kind,
            "report",
        )
    if s.further_acknowledged_on is not None and s.further_instructions_on is None:
        raise _deny(
            "the compensator has acknowledged the request and instructs the expert first",
            FURTHER_REFERENCE,
            kind,
            "report",
        )
    return _replace(
        s,
        **_FURTHER_CLOSED,
        further_reports=s.further_reports + 1,
        unreliable_reports=s.unreliable_reports + (0 if s.further_justified else 1),
        **_prognosis(s, e),
    )


#: What a further report received closes: the request, its answer and its instructions
#: (guide 6.4.2.2); the next further report starts a new request.
_FURTHER_CLOSED: Final[dict[str, Any]] = {
    "further_requested_on": None,
    "further_acknowledged_on": None,
    "further_instructions_due": None,
    "further_instructions_on": None,
    "further_objected": False,
    "further_justified": None,
}


def _prognosis(s: _State, e: ClaimEvent) -> dict[str, Any]:
    """Return the state change for a report's prognosis (the latest report's, when given)."""
    months: int | None = e.get("prognosis_months")
    return {} if months is None else {"prognosis_months": months}


def _apply_own_further_report(s: _State, e: ClaimEvent, cal: EnglandWalesCalendar | None) -> _State:
    """Record the claimant's own further report, without the compensator (guide 6.4.2.2).

    Only the recovery of its fee depends on one of the four justifications; the report
    itself may be relied on.
    """
    if s.first_report_on is None:
        raise _deny("a further report follows a first report", OWN_REPORT_REFERENCE, e.on)
    if s.further_requested_on is not None and not s.further_objected:
        raise _deny(
            "a further report request is with the compensator; the claimant obtains their "
            "own report instead of asking, or after the compensator objects",
            OWN_REPORT_REFERENCE,
            e.on,
        )
    if s.offer_stage and not s.restart_pending:
        raise _deny(
            "at the offer stage a further report is obtained by waiting out the prognosis",
            PROGNOSIS_REFERENCE,
            e.on,
        )
    justified = e.get("justification") is not None
    return _replace(
        s,
        **_FURTHER_CLOSED,
        further_reports=s.further_reports + 1,
        own_reports=s.own_reports + 1,
        own_reports_unjustified=s.own_reports_unjustified + (0 if justified else 1),
        **_prognosis(s, e),
    )


def _apply_claim_withdrawn(s: _State, e: ClaimEvent, cal: EnglandWalesCalendar | None) -> _State:
    """'Withdraw this claim': the claimant leaves the portal process (guide 6.1, 6.4.2)."""
    return _replace(s, withdrawn_on=e.on)


def _apply_factual_challenge(s: _State, e: ClaimEvent, cal: EnglandWalesCalendar | None) -> _State:
    if s.first_report_on is None:
        raise _deny("there is no first medical report to challenge", FACTUAL_REFERENCE, e.on)
    if s.report_shared_on is not None or s.further_reports:
        raise _deny(
            "the factual accuracy of the first report is challenged before it is shared, and "
            "only the first report",
            FACTUAL_REFERENCE,
            e.on,
        )
    if s.factual_challenged:
        raise _deny(
            "the claimant has one opportunity to challenge the first medical report",
            FACTUAL_REFERENCE,
            e.on,
        )
    return _replace(s, factual_challenged=True)


def _apply_report_shared(s: _State, e: ClaimEvent, cal: EnglandWalesCalendar | None) -> _State:
    if s.first_report_on is None:
        raise _deny("there is no medical report to share", REPORT_REFERENCE, e.on)
    if s.report_shared_on is not None and s.shared_reports == 1 + s.further_reports:
        raise _deny(
            "every medical report received has been shared with the compensator",
            REPORT_REFERENCE,
            e.on,
        )
    # The compensator now has the report: the negotiation learns it (CLA 2018 s.6).
    negotiation = s.negotiation.apply(OfferEvent(kind=OfferEventKind.MEDICAL_REPORT, on=e.on))
    return _replace(
        s,
        report_shared_on=e.on,
        shared_reports=1 + s.further_reports,
        negotiation=negotiation,
    )


def _apply_further_requested(s: _State, e: ClaimEvent, cal: EnglandWalesCalendar | None) -> _State:
    if s.first_report_on is None:
        raise _deny("a further report follows a first report", FURTHER_REFERENCE, e.on)
    if s.further_requested_on is not None:
        raise _deny("a further report request is already running", FURTHER_REFERENCE, e.on)
    if s.offer_stage and not s.restart_pending:
        raise _deny(
            "at the offer stage a further report is requested by waiting out the prognosis",
            PROGNOSIS_REFERENCE,
            e.on,
        )
    return _replace(
        s, further_requested_on=e.on, further_justified=e.get("justification") is not None
    )


def _require_further(s: _State, what: str) -> None:
    if (
        s.further_requested_on is None
        or s.further_acknowledged_on is not None
        or s.further_objected
    ):
        raise _deny(
            f"the compensator can {what} only a further report request it has not yet answered",
            FURTHER_REFERENCE,
        )


def _apply_further_acknowledged(
    s: _State, e: ClaimEvent, cal: EnglandWalesCalendar | None
) -> _State:
    _require_further(s, "acknowledge")
    due = due_date(Period.FURTHER_MEDICAL_INSTRUCTIONS, e.on, calendar=cal)
    return _replace(s, further_acknowledged_on=e.on, further_instructions_due=due)


def _apply_further_objected(s: _State, e: ClaimEvent, cal: EnglandWalesCalendar | None) -> _State:
    _require_further(s, "object to")
    return _replace(s, further_objected=True)


def _apply_further_instructions(
    s: _State, e: ClaimEvent, cal: EnglandWalesCalendar | None
) -> _State:
    if s.further_acknowledged_on is None or s.further_instructions_on is not None:
        raise _deny(
            "instructions follow the compensator's acknowledgement of a further report request",
            FURTHER_REFERENCE,
            e.on,
        )
    assert s.further_instructions_due is not None
    deadline = _further_instructions(s.further_acknowledged_on, s.further_instructions_due)
    met = _record(s, _met(deadline, e.on))
    return _replace(s, further_instructions_on=e.on, met=met)
