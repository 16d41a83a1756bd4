"""The claim as a whole: the five-step portal lifecycle as an event-sourced state machine.

Guide 6.1 to 6.6.4, 5.2 and 5.4. A :class:`Claim` starts empty; :meth:`Claim.apply` takes
one :class:`ClaimEvent` (or its ``to_dict()`` form) and returns a *new* claim with one
more event in its ``history``. An event the protocol forbids in the state it arrives in
raises :class:`~rtaprotocol.errors.ProtocolViolation` naming the rule; the claim it was
applied to is unchanged (it cannot change). ``Claim.replay(events)`` rebuilds an equal
claim from the events or from their JSON form, which is how a portal backend restores a
stored claim.

Like :class:`~rtaprotocol.offers.Negotiation`, the claim is a reducer: one pure
``_apply_<kind>(state, event)`` per event kind, under a thin façade. The offer stage's
negotiation is *embedded*: the offer events are handed to a real
:class:`~rtaprotocol.offers.Negotiation`, whose rules (three offers each, withdrawals,
numbering, late acceptance, fees) apply unchanged.

The steps (guide 6.1) are derived from the events, never stored, so a court
determination that lifts the hold puts the claim back at whatever step its events say:

>>> from datetime import date
>>> from rtaprotocol.eligibility import ClaimFacts
>>> facts = ClaimFacts(accident_date=date(2023, 3, 1), entry_date=date(2023, 5, 2),
...                    injury=1500, other_protocol_damages=500)
>>> c = Claim().submit(facts, on=date(2023, 5, 2), whiplash=True)
>>> c.step, c.next_steps(date(2023, 5, 3)).deadlines[0].due
(<Step.INVESTIGATION: 'investigation'>, datetime.date(2023, 6, 15))
>>> c = c.apply({"kind": "liability-response", "on": "2023-05-10", "response": "deny"})
>>> c = c.apply({"kind": "denial-accepted", "on": "2023-05-11"})
>>> c.step, c.closed_because
(<Step.CLOSED: 'closed'>, 'the claimant accepted the denial of liability')
>>> Claim.replay([e.to_dict() for e in c.history]) == c
True

Choices where the guide is silent are set out in docs/claim.md.
"""

# The package's modules, in the order they build on each other (docs/maintaining.md,
# "Where the claim lives"): kinds <- events <- deadlines <- state <- the reducers of each
# stage (liability, interim, medical, payment, negotiation, court) <- transitions <- queries,
# routes <- views, storage <- facade (Claim) <- snapshot (loaded on first use).

from __future__ import annotations

# isort: off
# One name a line, in source order: the API page (mkdocs, members_order: source) lists
# the names in the order of these lines.
from rtaprotocol.claim.kinds import MAX_PART_ADMISSION_CHALLENGES as MAX_PART_ADMISSION_CHALLENGES
from rtaprotocol.claim.kinds import EVENT_REFERENCE as EVENT_REFERENCE
from rtaprotocol.claim.kinds import ORDER_REFERENCE as ORDER_REFERENCE
from rtaprotocol.claim.kinds import SUBMIT_REFERENCE as SUBMIT_REFERENCE
from rtaprotocol.claim.kinds import LIABILITY_REFERENCE as LIABILITY_REFERENCE
from rtaprotocol.claim.kinds import PART_REFERENCE as PART_REFERENCE
from rtaprotocol.claim.kinds import CAUSATION_REFERENCE as CAUSATION_REFERENCE
from rtaprotocol.claim.kinds import DENY_REFERENCE as DENY_REFERENCE
from rtaprotocol.claim.kinds import INTERIM_REFERENCE as INTERIM_REFERENCE
from rtaprotocol.claim.kinds import MEDICAL_REFERENCE as MEDICAL_REFERENCE
from rtaprotocol.claim.kinds import REPORT_REFERENCE as REPORT_REFERENCE
from rtaprotocol.claim.kinds import FACTUAL_REFERENCE as FACTUAL_REFERENCE
from rtaprotocol.claim.kinds import FURTHER_REFERENCE as FURTHER_REFERENCE
from rtaprotocol.claim.kinds import FURTHER_FEE_REFERENCE as FURTHER_FEE_REFERENCE
from rtaprotocol.claim.kinds import LOSSES_REFERENCE as LOSSES_REFERENCE
from rtaprotocol.claim.kinds import OFFER_REFERENCE as OFFER_REFERENCE
from rtaprotocol.claim.kinds import TARIFF_REFERENCE as TARIFF_REFERENCE
from rtaprotocol.claim.kinds import S6_REFERENCE as S6_REFERENCE
from rtaprotocol.claim.kinds import DISPUTE_REFERENCE as DISPUTE_REFERENCE
from rtaprotocol.claim.kinds import PROGNOSIS_REFERENCE as PROGNOSIS_REFERENCE
from rtaprotocol.claim.kinds import PAYMENT_REFERENCE as PAYMENT_REFERENCE
from rtaprotocol.claim.kinds import CLOSED_REFERENCE as CLOSED_REFERENCE
from rtaprotocol.claim.kinds import HOLD_REFERENCE as HOLD_REFERENCE
from rtaprotocol.claim.kinds import EXIT_REFERENCE as EXIT_REFERENCE
from rtaprotocol.claim.kinds import COURT_REFERENCE as COURT_REFERENCE
from rtaprotocol.claim.kinds import COURT_PACK_REFERENCE as COURT_PACK_REFERENCE
from rtaprotocol.claim.kinds import LIMITATION_REFERENCE as LIMITATION_REFERENCE
from rtaprotocol.claim.kinds import PD27B_REFERENCE as PD27B_REFERENCE
from rtaprotocol.claim.kinds import LIMITATION_COURT_REFERENCE as LIMITATION_COURT_REFERENCE
from rtaprotocol.claim.kinds import LIMITATION_LATE_REFERENCE as LIMITATION_LATE_REFERENCE
from rtaprotocol.claim.kinds import UNPAID_REFERENCE as UNPAID_REFERENCE
from rtaprotocol.claim.kinds import FEES_COURT_REFERENCE as FEES_COURT_REFERENCE
from rtaprotocol.claim.kinds import PART_COURT_REFERENCE as PART_COURT_REFERENCE
from rtaprotocol.claim.kinds import FINAL_REFERENCE as FINAL_REFERENCE
from rtaprotocol.claim.kinds import LIMITATION_WINDOW_MONTHS as LIMITATION_WINDOW_MONTHS
from rtaprotocol.claim.kinds import OFFER_LIABILITY_REFERENCE as OFFER_LIABILITY_REFERENCE
from rtaprotocol.claim.kinds import WITHDRAWAL_REFERENCE as WITHDRAWAL_REFERENCE
from rtaprotocol.claim.kinds import OWN_REPORT_REFERENCE as OWN_REPORT_REFERENCE
from rtaprotocol.claim.kinds import WHIPLASH_AGREED_REFERENCE as WHIPLASH_AGREED_REFERENCE
from rtaprotocol.claim.kinds import LONG_PROGNOSIS_REFERENCE as LONG_PROGNOSIS_REFERENCE
from rtaprotocol.claim.kinds import CAUSATION_ROUTE_REFERENCE as CAUSATION_ROUTE_REFERENCE
from rtaprotocol.claim.kinds import TODAY_REFERENCE as TODAY_REFERENCE
from rtaprotocol.claim.kinds import MEDICAL_ARRANGED_REFERENCE as MEDICAL_ARRANGED_REFERENCE
from rtaprotocol.claim.kinds import LONG_PROGNOSIS_MONTHS as LONG_PROGNOSIS_MONTHS
from rtaprotocol.claim.kinds import Step as Step
from rtaprotocol.claim.kinds import LiabilityResponse as LiabilityResponse
from rtaprotocol.claim.kinds import FurtherReportJustification as FurtherReportJustification
from rtaprotocol.claim.kinds import TariffChoice as TariffChoice
from rtaprotocol.claim.kinds import CourtIssue as CourtIssue
from rtaprotocol.claim.kinds import ReportKind as ReportKind
from rtaprotocol.claim.kinds import PrognosisOutcome as PrognosisOutcome
from rtaprotocol.claim.kinds import Compensator as Compensator
from rtaprotocol.claim.kinds import InterimAnswer as InterimAnswer
from rtaprotocol.claim.kinds import ClaimEventKind as ClaimEventKind
from rtaprotocol.claim.kinds import _ACTOR as _ACTOR
from rtaprotocol.claim.events import _EnumField as _EnumField
from rtaprotocol.claim.events import _FIELD_SCHEMAS as _FIELD_SCHEMAS
from rtaprotocol.claim.events import _SPEC as _SPEC
from rtaprotocol.claim.events import _DEFAULTS as _DEFAULTS
from rtaprotocol.claim.events import EVENT_ID_REFERENCE as EVENT_ID_REFERENCE
from rtaprotocol.claim.events import CONCURRENCY_REFERENCE as CONCURRENCY_REFERENCE
from rtaprotocol.claim.events import MAX_EVENT_ID_LENGTH as MAX_EVENT_ID_LENGTH
from rtaprotocol.claim.events import _event_id as _event_id
from rtaprotocol.claim.events import _json_field as _json_field
from rtaprotocol.claim.events import ClaimEvent as ClaimEvent
from rtaprotocol.claim.events import _read_events as _read_events
from rtaprotocol.claim.deadlines import Deadline as Deadline
from rtaprotocol.claim.state import _Interim as _Interim
from rtaprotocol.claim.state import _State as _State
from rtaprotocol.claim.state import _replace as _replace
from rtaprotocol.claim.payment import OFFER_NUMBER_REFERENCE as OFFER_NUMBER_REFERENCE
from rtaprotocol.claim.transitions import _calendar as _calendar
from rtaprotocol.claim.queries import _probes as _probes
from rtaprotocol.claim.routes import PD27BSection as PD27BSection
from rtaprotocol.claim.routes import PD27B_SECTIONS as PD27B_SECTIONS
from rtaprotocol.claim.routes import CourtRoute as CourtRoute
from rtaprotocol.claim.views import PartyNextSteps as PartyNextSteps
from rtaprotocol.claim.views import ClaimNextSteps as ClaimNextSteps
from rtaprotocol.claim.views import ClaimExplanation as ClaimExplanation
from rtaprotocol.claim.facade import Claim as Claim

# isort: on
from rtaprotocol._views import install_views

__all__ = [
    "LIMITATION_WINDOW_MONTHS",
    "LONG_PROGNOSIS_MONTHS",
    "MAX_PART_ADMISSION_CHALLENGES",
    "PD27B_SECTIONS",
    "Claim",
    "ClaimEvent",
    "ClaimEventKind",
    "ClaimExplanation",
    "ClaimNextSteps",
    "Compensator",
    "CourtIssue",
    "CourtRoute",
    "Deadline",
    "FurtherReportJustification",
    "InterimAnswer",
    "LiabilityResponse",
    "PD27BSection",
    "PartyNextSteps",
    "PrognosisOutcome",
    "ReportKind",
    "Step",
    "TariffChoice",
]

install_views(globals())  # notebook views of every public class (rtaprotocol._views)
