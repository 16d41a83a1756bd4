"""The claim's state: the record each event reduces to, and the checks every event meets.

Guide 6.1 to 6.6. ``_State`` is private and derived: a claim is its events, and
``_State`` is what they add up to (``Claim.replay`` rebuilds it, snapshots store it).
Here too: which step a state is at (guide 6.1), and the refusals common to every kind
(a claim not submitted, withdrawn, closed, on hold or out of the portal).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Final, final

from attrs import field, frozen
from attrs import fields as attrs_fields

from rtaprotocol._persistent import EMPTY as _NOTHING
from rtaprotocol._persistent import Vec
from rtaprotocol.claim.deadlines import Deadline
from rtaprotocol.claim.events import ClaimEvent
from rtaprotocol.claim.kinds import (
    _K,
    CLOSED_REFERENCE,
    EXIT_REFERENCE,
    HOLD_REFERENCE,
    SUBMIT_REFERENCE,
    WITHDRAWAL_REFERENCE,
    ClaimEventKind,
    Compensator,
    CourtIssue,
    InterimAnswer,
    LiabilityResponse,
    Step,
    TariffChoice,
)
from rtaprotocol.deadlines import Period
from rtaprotocol.eligibility import ClaimFacts, EligibilityResult, ExitReason
from rtaprotocol.errors import ErrorCode, ProtocolViolation
from rtaprotocol.losses import ListOfLosses
from rtaprotocol.money import ZERO
from rtaprotocol.offers import Negotiation, Party

# --- state -------------------------------------------------------------------------------


@final
@frozen
class _Interim:
    requested_on: date
    amount: Decimal
    item: int | None
    due: date
    answered_on: date | None = None
    agreed: bool | None = None
    answer: InterimAnswer | None = None
    agreed_amount: Decimal | None = None  # agreed, not yet paid (agree-not-yet-paid)
    paid_on: date | None = None
    to_court: bool = False  # taken to court: the court's decision on it is final


_NO_LOSSES: Final = ListOfLosses()


@final
@frozen(slots=False)
class _State:
    """Everything derived from the events (private: read through Claim).

    Not slotted, so that :func:`_replace` can copy it in one step: ``attrs.evolve`` on a
    class this wide is most of the cost of replaying a claim.
    """

    last_on: date | None = None
    submitted_on: date | None = None
    facts: ClaimFacts | None = None
    eligibility: EligibilityResult | None = None
    whiplash: bool = False
    compensator: Compensator = Compensator.INSURER
    liability_due: date | None = None
    liability: LiabilityResponse | None = None
    liability_percent: Decimal | None = None  # the compensator's admitted share
    liability_first_on: date | None = None
    challenge_pending: bool = False
    part_challenges: int = 0
    court_finding_for_claimant: bool = False
    liability_by_court: bool = False  # the share is the court's determination (6.6.1.1)
    causation: str = "n/a"  # n/a, disputed, notified, admitted
    interims: Vec[_Interim] = _NOTHING  # persistent: appended/updated in O(log n)
    interim_pending_from: int = 0  # no unanswered, not-to-court request before this index
    interim_owed_from: int = 0  # no agreed-unpaid request before this index
    general_interim: Decimal = ZERO
    medical_started_on: date | None = None
    first_report_on: date | None = None
    factual_challenged: bool = False
    report_shared_on: date | None = None
    shared_reports: int = 0
    further_requested_on: date | None = None
    further_justified: bool | None = None
    further_acknowledged_on: date | None = None
    further_instructions_due: date | None = None
    further_instructions_on: date | None = None
    further_objected: bool = False
    further_reports: int = 0
    unreliable_reports: int = 0
    offer_stage: bool = False
    offer_requested_on: date | None = None
    losses: ListOfLosses = _NO_LOSSES
    offer_due: date | None = None
    dispute_due: date | None = None
    negotiation: Negotiation = field(factory=Negotiation)
    past_negotiations: Vec[Negotiation] = _NOTHING
    offer_details: Vec[ClaimEvent] = _NOTHING  # the offer events of this round
    higher_tariff: bool = False
    waiting_prognosis: bool = False
    restart_pending: bool = False
    payment_due: date | None = None
    payment_period: Period | None = None
    paid_on: date | None = None
    court_issue: CourtIssue | None = None
    court_limitation: bool = False
    court_pack_sent_on: date | None = None
    court_pack_agreed_on: date | None = None
    proceedings_ever: bool = False
    on_hold: bool = False
    closed_because: str | None = None
    closed_on: date | None = None
    exit_reason: ExitReason | None = None
    court_value: Decimal | None = None
    met: Vec[Deadline] = _NOTHING  # deadlines met (on time or late), for the record
    limitation_proceedings_on: date | None = None  # issued to protect limitation (PD 27B s.9)
    settlement_paid: Decimal = ZERO  # paid so far against the accepted settlement (6.6.2)
    proceedings_running: bool = False  # fees or unpaid settlement: in court, claim stays closed
    decided: frozenset[CourtIssue] = frozenset()  # questions the court has decided (final)
    court_fees: Decimal | None = None  # the fees the court awarded (guide 6.5.3.2)
    court_unpaid_order: Decimal | None = None  # the unpaid sum the court ordered paid
    prognosis_months: int | None = None  # the latest report's prognosis (6.4.2)
    own_reports: int = 0  # further reports the claimant obtained alone (6.4.2.2)
    own_reports_unjustified: int = 0  # of which fee not recoverable (6.4.2.3)
    tariffs: tuple[tuple[Party, TariffChoice], ...] = ()  # latest tariff stated by each party
    whiplash_agreed: bool | None = None  # both sides agree there is (not) whiplash (6.5.3.1)
    withdrawn_on: date | None = None  # "Withdraw this claim" (guide 6.1, 6.4.2)


_EMPTY: Final = _State()


def _deny(
    message: str,
    reference: str,
    value: Any = None,
    fld: str | None = None,
    code: ErrorCode = ErrorCode.PROTOCOL_FORBIDDEN,
) -> ProtocolViolation:
    """Return the refusal of an action: ``protocol.forbidden`` unless ``code`` says more."""
    if value is None:
        return ProtocolViolation(message, reference=reference, field=fld, code=code)
    return ProtocolViolation(message, value=value, reference=reference, field=fld, code=code)


_STATE_FIELDS: Final = frozenset(a.name for a in attrs_fields(_State))


def _replace(s: _State, **changes: Any) -> _State:
    """Return a copy of ``s`` with ``changes``: ``attrs.evolve`` without its per-field work."""
    unknown = changes.keys() - _STATE_FIELDS
    if unknown:
        raise TypeError(f"_State has no field {sorted(unknown)[0]}")
    new = object.__new__(_State)
    new.__dict__.update(s.__dict__)
    new.__dict__.update(changes)
    return new


def _check_live(s: _State, kind: ClaimEventKind) -> None:
    """Refuse anything but the few after-the-end events on a closed, held or exited claim."""
    refusal = _live_refusal(s, kind)
    if refusal is not None:
        raise _deny(refusal[0], refusal[1], kind.value)


def _live_refusal(s: _State, kind: ClaimEventKind) -> tuple[str, str] | None:
    """Return why :func:`_check_live` refuses ``kind`` (message, reference), else ``None``.

    Apart so that ``allowed_actions`` asks it of every kind without building a refusal.
    """
    if s.submitted_on is None and kind is not _K.SUBMITTED:
        return "the claim has not been submitted yet", SUBMIT_REFERENCE
    if s.exit_reason is not None:
        return (
            f"the claim has left the portal ({s.exit_reason.value}): nothing more happens on it",
            EXIT_REFERENCE,
        )
    if s.on_hold and kind is not _K.COURT_DETERMINATION:
        return (
            (
                "the claim is on hold while court proceedings run: it reopens when the court's "
                "determination is entered"
            ),
            HOLD_REFERENCE,
        )
    after_close = {_K.PAYMENT_MADE, _K.FEE_OFFER, _K.FEE_ACCEPT, _K.FEE_REJECT}
    if s.payment_due is not None:  # a settlement: its payment and its fees may go to court
        after_close |= _COURT_KINDS
    if s.closed_because is not None and kind not in after_close:
        return f"the claim is closed ({s.closed_because}) and cannot be reopened", CLOSED_REFERENCE
    return None


_COURT_KINDS: Final = frozenset(
    {_K.GO_TO_COURT, _K.COURT_PACK_SENT, _K.COURT_PACK_AGREED, _K.PROCEEDINGS_ISSUED}
    | {_K.COURT_DETERMINATION}
)


def _check_not_withdrawn(s: _State, kind: ClaimEventKind) -> None:
    """Refuse anything on a claim the claimant withdrew from the portal (guide 6.1, 6.4.2)."""
    if s.withdrawn_on is not None:
        raise _deny(
            f"the claimant withdrew the claim from the portal on {s.withdrawn_on}: nothing "
            "more happens on it in the portal",
            WITHDRAWAL_REFERENCE,
            kind.value,
        )


def _admitted(s: _State) -> bool:
    """Liability or fault admitted, or a court finding for the claimant (6.3.1.4)."""
    return s.court_finding_for_claimant or (s.liability is not None and s.liability.admits_fault)


def _record(s: _State, d: Deadline) -> Vec[Deadline]:
    return s.met.append(d)


def _step(s: _State) -> Step:
    """Return the portal step ``s`` is at (guide 6.1, 6.6.1.1, 6.6.2.1): see ``Claim.step``."""
    if s.submitted_on is None:
        return Step.START
    if s.withdrawn_on is not None:
        return Step.WITHDRAWN
    if s.exit_reason is not None:
        return Step.EXITED
    if s.on_hold:
        return Step.ON_HOLD
    if s.closed_because is not None:
        return Step.CLOSED
    if s.offer_stage:
        return Step.OFFER
    if s.medical_started_on is not None:
        return Step.MEDICAL
    return Step.INVESTIGATION
