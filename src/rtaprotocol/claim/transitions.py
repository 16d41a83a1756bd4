"""The claim's reducer: one event applied to a state, through the table of reducers.

Guide 6.1 to 6.6. ``_apply(state, event, calendar)`` checks the order of events and the
refusals common to every kind, then hands the event to its kind's reducer (the modules
:mod:`~rtaprotocol.claim.liability`, :mod:`~rtaprotocol.claim.interim`,
:mod:`~rtaprotocol.claim.medical`, :mod:`~rtaprotocol.claim.negotiation` and
:mod:`~rtaprotocol.claim.court`); a refusal is told who tried what, in which step.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from rtaprotocol._checks import check_in_order
from rtaprotocol._decimal import exact
from rtaprotocol.claim.court import (
    _apply_court_determination,
    _apply_court_pack_agreed,
    _apply_court_pack_sent,
    _apply_go_to_court,
    _apply_portal_exit,
    _apply_proceedings_issued,
)
from rtaprotocol.claim.events import ClaimEvent
from rtaprotocol.claim.interim import (
    _apply_interim_paid,
    _apply_interim_requested,
    _apply_interim_response,
    _apply_voluntary_interim,
)
from rtaprotocol.claim.kinds import _K, ORDER_REFERENCE, ClaimEventKind
from rtaprotocol.claim.liability import (
    _apply_denial_accepted,
    _apply_denial_challenged,
    _apply_liability_challenge,
    _apply_liability_response,
    _apply_submitted,
)
from rtaprotocol.claim.medical import (
    _apply_claim_withdrawn,
    _apply_factual_challenge,
    _apply_further_acknowledged,
    _apply_further_instructions,
    _apply_further_objected,
    _apply_further_requested,
    _apply_medical_report,
    _apply_own_further_report,
    _apply_proceed_to_medical,
    _apply_report_shared,
)
from rtaprotocol.claim.negotiation import (
    _apply_accept,
    _apply_injury_dispute,
    _apply_negotiation,
    _apply_offer,
    _apply_offer_requested,
    _apply_payment_made,
    _apply_prognosis_outcome,
    _apply_wait_out_prognosis,
    _deem_causation,
)
from rtaprotocol.claim.state import _check_live, _check_not_withdrawn, _replace, _State, _step
from rtaprotocol.deadlines import EnglandWalesCalendar, _checked_calendar
from rtaprotocol.errors import ProtocolViolation
from rtaprotocol.offers import Party

_Reducer = Callable[[_State, ClaimEvent, "EnglandWalesCalendar | None"], _State]
_REDUCERS: Final[dict[ClaimEventKind, _Reducer]] = {
    _K.SUBMITTED: _apply_submitted,
    _K.LIABILITY_RESPONSE: _apply_liability_response,
    _K.LIABILITY_CHALLENGE: _apply_liability_challenge,
    _K.DENIAL_ACCEPTED: _apply_denial_accepted,
    _K.DENIAL_CHALLENGED: _apply_denial_challenged,
    _K.INTERIM_REQUESTED: _apply_interim_requested,
    _K.INTERIM_RESPONSE: _apply_interim_response,
    _K.VOLUNTARY_INTERIM: _apply_voluntary_interim,
    _K.PROCEED_TO_MEDICAL: _apply_proceed_to_medical,
    _K.MEDICAL_REPORT: _apply_medical_report,
    _K.FACTUAL_CHALLENGE: _apply_factual_challenge,
    _K.REPORT_SHARED: _apply_report_shared,
    _K.FURTHER_REQUESTED: _apply_further_requested,
    _K.FURTHER_ACKNOWLEDGED: _apply_further_acknowledged,
    _K.FURTHER_OBJECTED: _apply_further_objected,
    _K.FURTHER_INSTRUCTIONS: _apply_further_instructions,
    _K.OFFER_REQUESTED: _apply_offer_requested,
    _K.INJURY_DISPUTE: _apply_injury_dispute,
    _K.OFFER: _apply_offer,
    _K.REJECT: _apply_negotiation,
    _K.WITHDRAW: _apply_negotiation,
    _K.ACCEPT: _apply_accept,
    _K.FEE_OFFER: _apply_negotiation,
    _K.FEE_REJECT: _apply_negotiation,
    _K.FEE_ACCEPT: _apply_negotiation,
    _K.WAIT_OUT_PROGNOSIS: _apply_wait_out_prognosis,
    _K.PROGNOSIS_OUTCOME: _apply_prognosis_outcome,
    _K.PAYMENT_MADE: _apply_payment_made,
    _K.GO_TO_COURT: _apply_go_to_court,
    _K.COURT_PACK_SENT: _apply_court_pack_sent,
    _K.COURT_PACK_AGREED: _apply_court_pack_agreed,
    _K.PROCEEDINGS_ISSUED: _apply_proceedings_issued,
    _K.COURT_DETERMINATION: _apply_court_determination,
    _K.PORTAL_EXIT: _apply_portal_exit,
    _K.INTERIM_PAID: _apply_interim_paid,
    _K.OWN_FURTHER_REPORT: _apply_own_further_report,
    _K.CLAIM_WITHDRAWN: _apply_claim_withdrawn,
}


@exact
def _apply(s: _State, e: ClaimEvent, cal: EnglandWalesCalendar | None) -> _State:
    """Return the state after ``e``, or raise (in the library's decimal context)."""
    check_in_order(e.on, s.last_on, reference=ORDER_REFERENCE)
    try:
        _check_not_withdrawn(s, e.kind)
        _check_live(s, e.kind)
        new = _REDUCERS[e.kind](_deem_causation(s, e.on), e, cal)
    except ProtocolViolation as err:
        _fill(err, s, e)
        raise
    return new if new.last_on == e.on else _replace(new, last_on=e.on)


def _fill(err: ProtocolViolation, s: _State, e: ClaimEvent) -> None:
    """Say who tried what, and in which step of the claim, where the refusal did not."""
    try:
        party: Party | None = e.party
    except KeyError:  # an event built without its party field: no party to name
        party = None
    err.fill(party=party, action=e.kind, state=_step(s))


def _calendar(value: Any) -> EnglandWalesCalendar | None:
    """Accept None or a calendar; a calendar with no extras is the default, so None."""
    cal = _checked_calendar(
        value, reference=ORDER_REFERENCE, message="expected an EnglandWalesCalendar or None"
    )
    return cal if cal.extra_holidays or cal.extra_business_days else None
