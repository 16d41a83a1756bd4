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

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping, Sized
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Any, Final, Literal, NoReturn, final

from attrs import evolve, field, frozen
from attrs import fields as attrs_fields
from dateutil.relativedelta import relativedelta

from rtaprotocol._checks import (
    check_bool,
    check_enum,
    check_int,
    check_size,
    count_text,
    parse_iso_date,
    with_article,
)
from rtaprotocol._decimal import exact
from rtaprotocol._persistent import EMPTY as _NOTHING
from rtaprotocol._persistent import Vec
from rtaprotocol._render import html_lines, html_table, html_verdict, jsonable, text_table
from rtaprotocol._views import frame, install_views
from rtaprotocol.deadlines import (
    EnglandWalesCalendar,
    Period,
    business_days_between,
    due_date,
    limitation_deadline,
    supported_date,
)
from rtaprotocol.deductions import SEATBELT_REFERENCE, Head, _pct
from rtaprotocol.eligibility import (
    CRITERIA,
    ClaimFacts,
    EligibilityResult,
    ExitReason,
    check_eligibility,
)
from rtaprotocol.errors import (
    ConcurrencyError,
    ErrorCode,
    InputError,
    ProtocolViolation,
    RulesError,
    RulesTypeError,
    json_pointer,
)
from rtaprotocol.json import loads as json_loads
from rtaprotocol.json import to_jsonable
from rtaprotocol.losses import (
    CruCertificate,
    ListOfLosses,
    LossesPayment,
    LossesStage,
    LossItem,
    compute_payment_for_losses,
)
from rtaprotocol.money import ZERO, format_money, to_money, to_percent
from rtaprotocol.offers import MAX_OFFERS, Negotiation, Offer, OfferStatus, Party
from rtaprotocol.offers import Event as OfferEvent
from rtaprotocol.offers import EventKind as OfferEventKind
from rtaprotocol.sources import Confidence

if TYPE_CHECKING:
    from rtaprotocol.report import ClaimReport, Injuries

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

#: Times the claimant may challenge a part-admission of liability (guide 6.3.1.1).
MAX_PART_ADMISSION_CHALLENGES: Final = 3

EVENT_REFERENCE: Final = "portal claim events (guide 6.1 to 6.6)"
ORDER_REFERENCE: Final = "portal actions are recorded in the order they happen (guide 6.1)"
SUBMIT_REFERENCE: Final = "guide 6.2.1.3, 6.3.1"
LIABILITY_REFERENCE: Final = "guide 6.3.1"
PART_REFERENCE: Final = "guide 6.3.1.1"
CAUSATION_REFERENCE: Final = "guide 6.3.1.2"
DENY_REFERENCE: Final = "guide 6.3.1.3"
INTERIM_REFERENCE: Final = "guide 6.3.1.4"
MEDICAL_REFERENCE: Final = "guide 6.4.1.1, 6.4.1.3"
REPORT_REFERENCE: Final = "guide 6.4.2"
FACTUAL_REFERENCE: Final = "guide 6.4.2.1"
FURTHER_REFERENCE: Final = "guide 6.4.2.2"
FURTHER_FEE_REFERENCE: Final = "guide 6.4.2.2, 6.4.2.3"
LOSSES_REFERENCE: Final = "guide 6.5.1.1"
OFFER_REFERENCE: Final = "guide 6.5.3.1"
TARIFF_REFERENCE: Final = "guide 6.5.2, 6.5.3.1"
S6_REFERENCE: Final = "Civil Liability Act 2018 s.6; guide 6.4.1.2, 6.5.2"
DISPUTE_REFERENCE: Final = "guide 6.5.4"
PROGNOSIS_REFERENCE: Final = "guide 6.5.3.1 (wait out prognosis)"
PAYMENT_REFERENCE: Final = "guide 6.6.2"
CLOSED_REFERENCE: Final = "guide 6.6.1"
HOLD_REFERENCE: Final = "guide 6.6.1.1"
EXIT_REFERENCE: Final = "guide 6.6.2.1"
COURT_REFERENCE: Final = "guide 6.6.3, 6.3.1.3, 6.5.3.1"
COURT_PACK_REFERENCE: Final = "guide 6.6.3.3"
LIMITATION_REFERENCE: Final = "guide 5.4, 6.6.3.1"
PD27B_REFERENCE: Final = "PD 27B para 1.3 (Table 27.1)"
LIMITATION_COURT_REFERENCE: Final = "guide 5.4, 6.6.3.1; PD 27B Section 9"
LIMITATION_LATE_REFERENCE: Final = "guide 6.6.3.1; PD 27B para 9.2; Limitation Act 1980 s.33"
UNPAID_REFERENCE: Final = "guide 6.6.2, 6.6.3.3"
FEES_COURT_REFERENCE: Final = "guide 6.5.3.2, 6.6.2"
PART_COURT_REFERENCE: Final = "guide 6.3.1.1; PD 27B Section 2, Section 4"
FINAL_REFERENCE: Final = "guide 6.6.1.1, 6.6.3.3"

#: How near the limitation date must be before the claimant may start proceedings to
#: protect it (PD 27B Section 9) or take another question to court without first sending
#: the court pack list (guide 6.6.3.3): six calendar months. The protocol's own periods
#: after submission, at their longest, come to about five months (liability response 40
#: business days, offer 20, an unanswered offer 10, payment 30: guide 6.3.1, 6.5.3.1,
#: 6.5.5, 6.6.2), and the claim form is issued by post at the Civil National Business
#: Centre (guide 6.6.3.3); inside six months it "becomes clear" (guide 5.4) that the portal
#: process may not finish in time. See docs/claim.md for the choice.
LIMITATION_WINDOW_MONTHS: Final = 6
OFFER_LIABILITY_REFERENCE: Final = "guide 6.3.1.1, 6.5.2, 6.5.3"
WITHDRAWAL_REFERENCE: Final = "guide 6.1 (claim overview: 'Withdraw this claim'), 6.4.2, 6.4.2.2"
OWN_REPORT_REFERENCE: Final = "guide 6.4.2.2, 6.4.2.3"
WHIPLASH_AGREED_REFERENCE: Final = "guide 6.5.3.1 (whiplash injury agreed)"
LONG_PROGNOSIS_REFERENCE: Final = "guide 6.4.2, 6.4.2.2; Civil Liability Act 2018 s.3"
CAUSATION_ROUTE_REFERENCE: Final = "guide 6.3.1.2, 6.5.4, 6.6.2.1"
TODAY_REFERENCE: Final = (
    "an action is recorded on or before the date the caller stands on (guide 6.1)"
)
MEDICAL_ARRANGED_REFERENCE: Final = "guide 5.3.1, 6.1 (step 3), 6.4.1, 6.4.1.4"
#: A prognosis longer than this is flagged: the tariff covers injuries of not more than
#: 2 years (Civil Liability Act 2018 s.3; guide 6.4.2, 6.4.2.2).
LONG_PROGNOSIS_MONTHS: Final = 24


class Step(Enum):
    """Where the claim stands: the portal tracker's five steps plus two ends (guide 6.1).

    ``on-hold``: court proceedings are running (guide 6.6.1.1); ``exited``: the claim can
    no longer proceed on the portal (guide 6.6.2.1); ``withdrawn``: the claimant withdrew
    it from the portal ("Withdraw this claim", guide 6.1, 6.4.2, 6.4.2.2).

    >>> [s.value for s in Step]
    ['start', 'investigation', 'medical', 'offer', 'closed', 'on-hold', 'exited', 'withdrawn']
    """

    START = "start"
    INVESTIGATION = "investigation"
    MEDICAL = "medical"
    OFFER = "offer"
    CLOSED = "closed"
    ON_HOLD = "on-hold"
    EXITED = "exited"
    WITHDRAWN = "withdrawn"


class LiabilityResponse(Enum):
    """The compensator's four liability responses (guide 6.3.1, 6.3.1.1 to 6.3.1.3).

    >>> LiabilityResponse("admit-fault-dispute-causation").admits_fault
    True
    """

    ADMIT_FULL = "admit-full"
    ADMIT_PART = "admit-part"
    ADMIT_FAULT_DISPUTE_CAUSATION = "admit-fault-dispute-causation"
    DENY = "deny"

    @property
    def admits_fault(self) -> bool:
        """Whether the response admits fault in full or in part (guide 6.3.1.4)."""
        return self is not LiabilityResponse.DENY


class FurtherReportJustification(Enum):
    """The four reasons that justify a further medical report (guide 6.4.2.2).

    >>> len(FurtherReportJustification)
    4
    """

    RECOMMENDED_IN_FIRST_REPORT = "recommended-in-first-report"
    PROGNOSIS_NEEDS_MORE_TIME = "prognosis-needs-more-time"
    CONTINUING_TREATMENT = "continuing-treatment"
    NOT_RECOVERED_AS_EXPECTED = "not-recovered-as-expected"


class TariffChoice(Enum):
    """Which tariff an offer applies (guide 6.5.2, 6.5.3.1).

    ``none``: the offer says there is no whiplash injury (the tariff amount shows £0.00).

    >>> TariffChoice("whiplash-psychological").rank
    2
    """

    NONE = "none"
    WHIPLASH = "whiplash"
    WHIPLASH_PSYCHOLOGICAL = "whiplash-psychological"

    @property
    def rank(self) -> int:
        """0, 1, 2: the higher tariff ranks highest."""
        return {"none": 0, "whiplash": 1, "whiplash-psychological": 2}[self.value]


class CourtIssue(Enum):
    """What the claimant goes to court about (guide 6.3.1.3, 6.3.1.4, 6.5.3.1, 6.6.2, 6.6.3).

    ``limitation``: proceedings started only to protect the limitation date, stayed while
    the portal claim goes on (guide 6.6.3.1; PD 27B Section 9); ``unpaid-settlement``: an
    accepted settlement not paid by its due date (guide 6.6.2); ``fees``: the fees alone,
    after the compensator rejects the claimant's counter offer on fees (guide 6.5.3.2).

    >>> CourtIssue("unpaid-settlement").value
    'unpaid-settlement'
    """

    LIABILITY = "liability"
    INTERIM_PAYMENT = "interim-payment"
    VALUE = "value"
    LIMITATION = "limitation"
    UNPAID_SETTLEMENT = "unpaid-settlement"
    FEES = "fees"


class ReportKind(Enum):
    """A medical report is the first (via MedCo) or a further one (guide 6.4.1.3, 6.4.2.2)."""

    FIRST = "first"
    FURTHER = "further"


class PrognosisOutcome(Enum):
    """How waiting out the prognosis ended (guide 6.5.3.1).

    ``recovered``: back to the open offer; ``not-recovered`` (a further report is needed)
    and ``further-losses``: the offer process starts over with a new first offer.
    """

    RECOVERED = "recovered"
    NOT_RECOVERED = "not-recovered"
    FURTHER_LOSSES = "further-losses"


class Compensator(Enum):
    """Who answers the claim (guide 6.3.1): an insurer, an RTA insurer, or the MIB."""

    INSURER = "insurer"
    RTA_INSURER = "rta-insurer"
    MIB = "mib"


class InterimAnswer(Enum):
    """The compensator's answer to an interim payment request (guide 6.3.1.4).

    ``agree-and-pay``: agreed and paid now (the request is met, no route to court);
    ``agree-not-yet-paid``: agreed, the payment to follow (``interim-payment-made``); the
    claimant may go to court once the 15 business days pass unpaid (PD 27B Section 8);
    ``agree-in-part``: part agreed and paid now, the rest refused; ``refuse``: nothing
    agreed. A refusal, and the refused part, may go to court as an application for an
    interim payment (PD 27B Section 7). No answer at all is the absence of this event.

    >>> InterimAnswer("agree-in-part").agrees
    True
    """

    AGREE_AND_PAY = "agree-and-pay"
    AGREE_NOT_YET_PAID = "agree-not-yet-paid"
    AGREE_IN_PART = "agree-in-part"
    REFUSE = "refuse"

    @property
    def agrees(self) -> bool:
        """Whether anything is agreed (the ``agreed`` flag of the event)."""
        return self is not InterimAnswer.REFUSE


class ClaimEventKind(Enum):
    """Every kind of :class:`ClaimEvent`, by its stable slug (guide 6.1 to 6.6).

    >>> ClaimEventKind("liability-challenge")
    <ClaimEventKind.LIABILITY_CHALLENGE: 'liability-challenge'>
    """

    SUBMITTED = "submitted"
    LIABILITY_RESPONSE = "liability-response"
    LIABILITY_CHALLENGE = "liability-challenge"
    DENIAL_ACCEPTED = "denial-accepted"
    DENIAL_CHALLENGED = "denial-challenged"
    INTERIM_REQUESTED = "interim-payment-requested"
    INTERIM_RESPONSE = "interim-payment-response"
    VOLUNTARY_INTERIM = "voluntary-interim-payment"
    PROCEED_TO_MEDICAL = "proceed-to-medical"
    MEDICAL_REPORT = "medical-report-received"
    FACTUAL_CHALLENGE = "factual-accuracy-challenge"
    REPORT_SHARED = "medical-report-shared"
    FURTHER_REQUESTED = "further-report-requested"
    FURTHER_ACKNOWLEDGED = "further-report-acknowledged"
    FURTHER_OBJECTED = "further-report-objected"
    FURTHER_INSTRUCTIONS = "further-report-instructions-sent"
    OFFER_REQUESTED = "offer-requested"
    INJURY_DISPUTE = "injury-dispute-notice"
    OFFER = "offer"
    REJECT = "reject"
    WITHDRAW = "withdraw"
    ACCEPT = "accept"
    FEE_OFFER = "fee-offer"
    FEE_REJECT = "fee-reject"
    FEE_ACCEPT = "fee-accept"
    WAIT_OUT_PROGNOSIS = "wait-out-prognosis"
    PROGNOSIS_OUTCOME = "prognosis-outcome"
    PAYMENT_MADE = "payment-made"
    GO_TO_COURT = "go-to-court"
    COURT_PACK_SENT = "court-pack-list-sent"
    COURT_PACK_AGREED = "court-pack-list-agreed"
    PROCEEDINGS_ISSUED = "proceedings-issued"
    COURT_DETERMINATION = "court-determination"
    PORTAL_EXIT = "portal-exit"
    INTERIM_PAID = "interim-payment-made"
    OWN_FURTHER_REPORT = "own-further-report-obtained"
    CLAIM_WITHDRAWN = "claim-withdrawn"


_K = ClaimEventKind
_NEGOTIATION_KINDS: Final = {
    _K.OFFER: OfferEventKind.OFFER,
    _K.REJECT: OfferEventKind.REJECT,
    _K.WITHDRAW: OfferEventKind.WITHDRAW,
    _K.ACCEPT: OfferEventKind.ACCEPT,
    _K.FEE_OFFER: OfferEventKind.FEE_OFFER,
    _K.FEE_REJECT: OfferEventKind.FEE_REJECT,
    _K.FEE_ACCEPT: OfferEventKind.FEE_ACCEPT,
}

# Who acts for each kind; None: the event names its party.
_ACTOR: Final[dict[ClaimEventKind, Party | None]] = {
    _K.SUBMITTED: Party.CLAIMANT,
    _K.LIABILITY_RESPONSE: Party.COMPENSATOR,
    _K.LIABILITY_CHALLENGE: Party.CLAIMANT,
    _K.DENIAL_ACCEPTED: Party.CLAIMANT,
    _K.DENIAL_CHALLENGED: Party.CLAIMANT,
    _K.INTERIM_REQUESTED: Party.CLAIMANT,
    _K.INTERIM_RESPONSE: Party.COMPENSATOR,
    _K.VOLUNTARY_INTERIM: Party.COMPENSATOR,
    _K.PROCEED_TO_MEDICAL: Party.CLAIMANT,
    _K.MEDICAL_REPORT: Party.CLAIMANT,
    _K.FACTUAL_CHALLENGE: Party.CLAIMANT,
    _K.REPORT_SHARED: Party.CLAIMANT,
    _K.FURTHER_REQUESTED: Party.CLAIMANT,
    _K.FURTHER_ACKNOWLEDGED: Party.COMPENSATOR,
    _K.FURTHER_OBJECTED: Party.COMPENSATOR,
    _K.FURTHER_INSTRUCTIONS: Party.COMPENSATOR,
    _K.OFFER_REQUESTED: Party.CLAIMANT,
    _K.INJURY_DISPUTE: Party.COMPENSATOR,
    _K.OFFER: None,
    _K.REJECT: None,
    _K.WITHDRAW: None,
    _K.ACCEPT: None,
    _K.FEE_OFFER: None,
    _K.FEE_REJECT: Party.COMPENSATOR,
    _K.FEE_ACCEPT: None,
    _K.WAIT_OUT_PROGNOSIS: Party.CLAIMANT,
    _K.PROGNOSIS_OUTCOME: Party.CLAIMANT,
    _K.PAYMENT_MADE: Party.COMPENSATOR,
    _K.GO_TO_COURT: Party.CLAIMANT,
    _K.COURT_PACK_SENT: Party.CLAIMANT,
    _K.COURT_PACK_AGREED: Party.COMPENSATOR,
    _K.PROCEEDINGS_ISSUED: Party.CLAIMANT,
    _K.COURT_DETERMINATION: Party.CLAIMANT,
    _K.PORTAL_EXIT: None,
    _K.INTERIM_PAID: Party.COMPENSATOR,
    _K.OWN_FURTHER_REPORT: Party.CLAIMANT,
    _K.CLAIM_WITHDRAWN: Party.CLAIMANT,
}


# --- events --------------------------------------------------------------------------------


def _money(value: Any, fld: str) -> Decimal:
    return to_money(value, field=fld)


def _percent(value: Any, fld: str) -> Decimal:
    return to_percent(value, field=fld, reference=PART_REFERENCE)


def _offer_liability(value: Any, fld: str) -> Decimal:
    pct = to_percent(value, field=fld, reference=OFFER_LIABILITY_REFERENCE)
    if pct == ZERO:
        raise RulesError(
            "an offer is made on the compensator's share of liability, more than 0 percent "
            "(a share of 0 is a denial, not an offer)",
            value=value,
            field=fld,
            reference=OFFER_LIABILITY_REFERENCE,
        )
    return pct


def _seatbelt_percent(value: Any, fld: str) -> Decimal:
    return to_percent(value, field=fld, reference=SEATBELT_REFERENCE)


def _bool(value: Any, fld: str) -> bool:
    return check_bool(value, field=fld, reference=EVENT_REFERENCE)


def _whole(value: Any) -> Any:
    """Return a JSON number with no fraction (``2.0``) as an int, as JSON Schema reads it.

    JSON Schema counts ``2.0`` as an integer, so the event schemas cannot refuse it; the
    reader takes it too (never ``2.5``, ``NaN`` or a bool), so that the two agree.
    """
    if isinstance(value, float) and value.is_integer() and abs(value) <= 2**53:
        return int(value)
    if isinstance(value, Decimal) and value.is_finite() and abs(value) <= 2**53:
        return int(value) if value == value.to_integral_value() else value
    return value


def _int(value: Any, fld: str) -> int:
    n = check_int(_whole(value), field=fld, reference=EVENT_REFERENCE)
    if not 0 <= n <= 1200:
        raise RulesError("expected 0 to 1200", value=value, field=fld, reference=EVENT_REFERENCE)
    return n


@final
@frozen
class _EnumField:
    """An event field that takes one value of ``enum`` (its JSON Schema lists the values)."""

    enum: type[Enum]
    reference: str

    def __call__(self, value: Any, fld: str) -> Any:
        return check_enum(value, self.enum, field=fld, reference=self.reference)

    @property
    def schema(self) -> dict[str, Any]:
        """The JSON Schema fragment of what this field accepts: the enum's values."""
        return {"enum": [member.value for member in self.enum]}


def _enum(enum: type[Enum], reference: str) -> Callable[[Any, str], Any]:
    return _EnumField(enum, reference)


def _facts(value: Any, fld: str) -> ClaimFacts:
    if isinstance(value, ClaimFacts):
        return value
    if isinstance(value, Mapping):
        try:
            return ClaimFacts.from_dict(value)
        except RulesError as err:
            raise _located(err, fld) from None
    raise RulesTypeError(
        "expected ClaimFacts or its to_dict() form",
        value=value,
        field=fld,
        reference=SUBMIT_REFERENCE,
    )


def _list_of_losses(value: Any, fld: str) -> ListOfLosses:
    if isinstance(value, ListOfLosses):
        return value
    if isinstance(value, Mapping):
        try:
            return ListOfLosses.from_dict(value)
        except RulesError as err:
            raise _located(err, fld) from None
    raise RulesTypeError(
        "expected a ListOfLosses or its to_dict() form",
        value=value,
        field=fld,
        reference=LOSSES_REFERENCE,
    )


def _loss_items(value: Any, fld: str) -> tuple[LossItem, ...]:
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise RulesTypeError(
            "expected a list of loss items", value=value, field=fld, reference=LOSSES_REFERENCE
        )
    items: list[LossItem] = []
    problems: list[RulesError] = []
    for i, item in enumerate(value):
        try:
            items.append(
                item if isinstance(item, LossItem) else LossItem.from_dict(item, path=f"{fld}[{i}]")
            )
        except RulesError as err:  # noqa: PERF203 - every bad item is reported
            problems.append(err)
    if problems:
        raise InputError(problems, reference=problems[0].reference)
    return tuple(items)


def _item_values(value: Any, fld: str) -> tuple[Decimal, ...]:
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise RulesTypeError(
            "expected a list of amounts, one for each item on the List of Losses",
            value=value,
            field=fld,
            reference="guide 6.5.2",
        )
    amounts: list[Decimal] = []
    problems: list[RulesError] = []
    for i, v in enumerate(value):
        try:
            amounts.append(to_money(v, field=f"{fld}[{i}]"))
        except RulesError as err:  # noqa: PERF203 - every bad amount is reported
            problems.append(err)
    if len(problems) > 1:
        raise InputError(problems, reference="guide 6.5.2")
    if problems:
        raise problems[0]
    return tuple(amounts)


def _cru(value: Any, fld: str) -> CruCertificate:
    if isinstance(value, CruCertificate):
        return value
    try:
        return CruCertificate.from_dict(value)
    except RulesError as err:
        raise _located(err, fld) from None


def _item_index(value: Any, fld: str) -> int:
    n = check_int(_whole(value), field=fld, reference=INTERIM_REFERENCE)
    if n < 0:
        raise RulesError(
            "an item is named by its position on the List of Losses, from 0",
            value=value,
            field=fld,
            reference=INTERIM_REFERENCE,
        )
    return n


def _party(value: Any, fld: str) -> Party:
    return check_enum(value, Party, field=fld, reference=EVENT_REFERENCE)


def _offer_number(value: Any, fld: str) -> int:
    return check_int(_whole(value), field=fld, reference=OFFER_REFERENCE)


def _text(value: Any, fld: str) -> str:
    if not isinstance(value, str) or len(value) > 2000:
        raise RulesTypeError(
            "expected a string of at most 2,000 characters",
            value=value,
            field=fld,
            reference=EVENT_REFERENCE,
        )
    return value


_Conv = Callable[[Any, str], Any]

# The JSON Schema fragment of what each converter accepts, from which rtaprotocol/_schemagen.py
# builds the event schemas (`rtaprotocol schema event`); an enum field's is its `.schema`.
# "#/$defs/NAME" is one of the generator's shared definitions (money, percent, facts, ...).
# A converter missing here fails tests/test_schemas.py: add its fragment with it.
_FIELD_SCHEMAS: Final[dict[_Conv, dict[str, Any]]] = {
    _money: {"$ref": "#/$defs/money"},
    _percent: {"$ref": "#/$defs/percent"},
    _seatbelt_percent: {"$ref": "#/$defs/percent"},
    _offer_liability: {  # more than 0, at most 100, two places at most
        "oneOf": [
            {
                "type": "string",
                "pattern": "^(100(\\.0{1,2})?|[1-9][0-9]?(\\.[0-9]{1,2})?|0\\.(0[1-9]|[1-9][0-9]?))(?!\\n)$",
            },
            {"type": "number", "exclusiveMinimum": 0, "maximum": 100, "multipleOf": 0.01},
        ]
    },
    _bool: {"type": "boolean"},
    _int: {"type": "integer", "minimum": 0, "maximum": 1200},
    _facts: {"$ref": "#/$defs/facts"},
    _list_of_losses: {"$ref": "#/$defs/list_of_losses"},
    _loss_items: {"type": "array", "items": {"$ref": "#/$defs/loss_item"}},
    _item_values: {"type": "array", "items": {"$ref": "#/$defs/money"}},
    _cru: {"$ref": "#/$defs/cru_certificate"},
    _item_index: {"type": "integer", "minimum": 0},
    _party: {"enum": [party.value for party in Party]},
    _offer_number: {"type": "integer", "minimum": 1, "maximum": MAX_OFFERS},  # guide 6.5.5.1
    _text: {"type": "string", "maxLength": 2000},
}

# For each kind: {field: (converter, required)}.
_SPEC: Final[dict[ClaimEventKind, dict[str, tuple[_Conv, bool]]]] = {
    _K.SUBMITTED: {
        "facts": (_facts, True),
        "whiplash": (_bool, True),
        "compensator": (_enum(Compensator, LIABILITY_REFERENCE), False),
        "losses": (_list_of_losses, False),
    },
    _K.LIABILITY_RESPONSE: {
        "response": (_enum(LiabilityResponse, LIABILITY_REFERENCE), True),
        "percent": (_percent, False),
    },
    _K.LIABILITY_CHALLENGE: {"percent": (_percent, True)},
    _K.DENIAL_ACCEPTED: {},
    _K.DENIAL_CHALLENGED: {"comments": (_text, False)},
    _K.INTERIM_REQUESTED: {
        "amount": (_money, True),
        "head": (_enum(Head, INTERIM_REFERENCE), False),
        "item": (_item_index, False),
    },
    _K.INTERIM_RESPONSE: {
        "agreed": (_bool, True),
        "amount": (_money, False),
        "answer": (_enum(InterimAnswer, INTERIM_REFERENCE), False),
    },
    _K.VOLUNTARY_INTERIM: {"amount": (_money, True), "item": (_item_index, False)},
    _K.PROCEED_TO_MEDICAL: {
        "via_medco": (_bool, False),
        "lives_in_england_wales": (_bool, False),
    },
    _K.MEDICAL_REPORT: {
        "report": (_enum(ReportKind, REPORT_REFERENCE), True),
        "prognosis_months": (_int, False),
    },
    _K.FACTUAL_CHALLENGE: {},
    _K.REPORT_SHARED: {},
    _K.FURTHER_REQUESTED: {
        "justification": (_enum(FurtherReportJustification, FURTHER_REFERENCE), False),
    },
    _K.FURTHER_ACKNOWLEDGED: {},
    _K.FURTHER_OBJECTED: {},
    _K.FURTHER_INSTRUCTIONS: {},
    _K.OFFER_REQUESTED: {"added_losses": (_loss_items, False)},
    _K.INJURY_DISPUTE: {"reasons": (_text, False)},
    _K.OFFER: {
        "party": (_party, True),
        "amount": (_money, True),
        "injury": (_money, False),
        "tariff": (_enum(TariffChoice, TARIFF_REFERENCE), False),
        "items": (_item_values, False),
        "seatbelt_percent": (_seatbelt_percent, False),
        "cru": (_cru, False),
        "liability_percent": (_offer_liability, False),
    },
    _K.REJECT: {"party": (_party, True)},
    _K.WITHDRAW: {"party": (_party, True)},
    _K.ACCEPT: {
        "party": (_party, True),
        "offer_number": (_offer_number, False),
        "updated_cru_certificate": (_bool, False),
    },
    _K.FEE_OFFER: {"party": (_party, True), "amount": (_money, True)},
    _K.FEE_REJECT: {"party": (_party, True)},
    _K.FEE_ACCEPT: {"party": (_party, True)},
    _K.WAIT_OUT_PROGNOSIS: {},
    _K.PROGNOSIS_OUTCOME: {
        "outcome": (_enum(PrognosisOutcome, PROGNOSIS_REFERENCE), True),
    },
    _K.PAYMENT_MADE: {"amount": (_money, False), "full": (_bool, False)},
    _K.GO_TO_COURT: {
        "issue": (_enum(CourtIssue, COURT_REFERENCE), True),
        "limitation": (_bool, False),
    },
    _K.COURT_PACK_SENT: {},
    _K.COURT_PACK_AGREED: {},
    _K.PROCEEDINGS_ISSUED: {},
    _K.COURT_DETERMINATION: {
        "for_claimant": (_bool, True),
        "percent": (_percent, False),
        "amount": (_money, False),
    },
    _K.PORTAL_EXIT: {
        "party": (_party, True),
        "reason": (_enum(ExitReason, EXIT_REFERENCE), True),
    },
    _K.INTERIM_PAID: {"amount": (_money, False)},
    _K.OWN_FURTHER_REPORT: {
        "justification": (_enum(FurtherReportJustification, OWN_REPORT_REFERENCE), False),
        "prognosis_months": (_int, False),
    },
    _K.CLAIM_WITHDRAWN: {"reasons": (_text, False)},
}

# Optional fields whose absence means a default (recorded explicitly, so equality holds).
_DEFAULTS: Final[dict[ClaimEventKind, dict[str, Any]]] = {
    _K.SUBMITTED: {"compensator": Compensator.INSURER},
    _K.PROCEED_TO_MEDICAL: {"via_medco": True, "lives_in_england_wales": True},
    _K.ACCEPT: {"updated_cru_certificate": False},
    _K.GO_TO_COURT: {"limitation": False},
    _K.PAYMENT_MADE: {"full": True},
}


def _located(err: RulesError, where: str) -> RulesError:
    """Return ``err`` again with ``where`` in front of its field and its JSON pointer.

    For an :class:`~rtaprotocol.errors.InputError`, in front of each problem's; a JSON
    path's ``$`` becomes ``where``. ``where`` is ``event`` for an event read on its own:
    its pointer is the document's root.
    """
    if isinstance(err, InputError):
        return InputError([_located(p, where) for p in err.problems], reference=err.reference)
    name = err.field
    if not name or name == "$":
        fld = where
    elif name.startswith("$"):
        fld = where + name[1:]
    else:
        fld = f"{where}.{name}"
    base = "" if where == "event" else (json_pointer(where) or "")
    return err.evolve(field=fld, pointer=base + (err.pointer or ""))


def _raise_all(problems: list[RulesError]) -> NoReturn:
    """Raise the one problem, or an :class:`~rtaprotocol.errors.InputError` with them all."""
    if len(problems) == 1:
        raise problems[0]
    raise InputError(problems, reference=EVENT_REFERENCE)


_ABSENT: Final[Any] = object()


def _read_event(
    cls: type[ClaimEvent],
    kind: Any,
    on: Any,
    values: Mapping[str, Any],
    *,
    text_date: bool,
    event_id: Any = None,
) -> ClaimEvent:
    """Build an event, or raise with every problem found: kind, date and each field."""
    problems: list[RulesError] = []
    k: ClaimEventKind | None = None
    if kind is _ABSENT:
        problems.append(
            RulesError("an event needs a kind", field="kind", reference=EVENT_REFERENCE)
        )
    else:
        try:
            k = check_enum(kind, ClaimEventKind, field="kind", reference=EVENT_REFERENCE)
        except RulesError as err:
            problems.append(err)
    day: date | None = None
    if on is _ABSENT:
        problems.append(RulesError("an event needs a date", field="on", reference=EVENT_REFERENCE))
    else:
        try:
            if text_date:
                on = parse_iso_date(on, field="on", reference=EVENT_REFERENCE)
            day = supported_date(on, field="on", reference=ORDER_REFERENCE)
        except RulesError as err:
            problems.append(err)
    out: dict[str, Any] = {}
    if k is not None:
        spec = _SPEC[k]
        taken = ", ".join(sorted(spec)) or "no fields"
        kind_text = f"{with_article(k.value)} event"
        out.update(_DEFAULTS.get(k, {}))
        for name, value in values.items():
            if name not in spec:
                problems.append(
                    RulesError(
                        f"{kind_text} does not take this field; it takes {taken}",
                        value=value,
                        field=name,
                        reference=EVENT_REFERENCE,
                    )
                )
                continue
            if value is None and not spec[name][1]:
                continue
            try:
                out[name] = spec[name][0](value, name)
            except RulesError as err:
                problems.append(err)
        problems.extend(
            RulesError(f"{kind_text} needs this field", field=name, reference=EVENT_REFERENCE)
            for name, (_conv, required) in spec.items()
            if required and name not in out and name not in values
        )
    try:
        event_id = _event_id(event_id)
    except RulesError as err:
        problems.append(err)
    if problems or k is None or day is None:
        _raise_all(problems)
    return cls(kind=k, on=day, fields=tuple(sorted(out.items())), event_id=event_id)


EVENT_ID_REFERENCE: Final = "rtaprotocol event ids (idempotent appends, docs/claim.md)"
CONCURRENCY_REFERENCE: Final = "rtaprotocol claim versions (optimistic concurrency, docs/claim.md)"
#: The longest event id: room for a UUID, a URN or a request id with a prefix.
MAX_EVENT_ID_LENGTH: Final = 200


def _event_id(value: Any) -> str | None:
    """Check an event id: ``None``, or 1 to 200 printable characters (no control ones)."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise RulesTypeError(
            "an event id is a string (a UUID, say)",
            value=value,
            field="event_id",
            reference=EVENT_ID_REFERENCE,
        )
    if not 1 <= len(value) <= MAX_EVENT_ID_LENGTH or not value.isprintable():
        raise RulesError(
            f"an event id is 1 to {MAX_EVENT_ID_LENGTH} printable characters, no control "
            "characters or line breaks",
            value=value,
            field="event_id",
            reference=EVENT_ID_REFERENCE,
        )
    return value


def _json_field(value: Any) -> Any:
    if isinstance(value, ListOfLosses):
        return {
            "injury": jsonable(value.injury),
            "stage": value.stage.value,
            "general_interim": jsonable(value.general_interim),
            "items": [item.to_dict() for item in value.items],
        }
    return jsonable(value)


@final
@frozen
class ClaimEvent:
    """One action on the portal, as recorded in a claim's ``history`` (guide 6.1 to 6.6).

    ``kind`` says which action, ``on`` its date, ``fields`` the details the kind takes
    (sorted ``(name, value)`` pairs; read them with ``event["name"]`` or
    :meth:`get`). Build one with :meth:`make` or :meth:`from_dict`; a field the kind
    does not take, a missing one it needs, or a bad value raises
    :class:`~rtaprotocol.errors.RulesError` naming it, and several raise one
    :class:`~rtaprotocol.errors.InputError` naming every one (each with its JSON
    ``pointer`` and ``code``). ``party`` is who acts.
    ``event_id`` (optional, any kind): the caller's id for the event, kept in its JSON
    form, which makes a retried append a no-op (:meth:`Claim.apply`).

    >>> from datetime import date
    >>> e = ClaimEvent.make("liability-response", date(2023, 5, 10), response="admit-part",
    ...                     percent=70)
    >>> e.to_dict()
    {'kind': 'liability-response', 'on': '2023-05-10', 'percent': '70.00', 'response': 'admit-part'}
    >>> ClaimEvent.from_dict(e.to_dict()) == e, e.party
    (True, <Party.COMPENSATOR: 'compensator'>)
    >>> ClaimEvent.make("denial-accepted", date(2023, 5, 10), percent=5)
    Traceback (most recent call last):
    ...
    rtaprotocol.errors.RulesError: percent: a denial-accepted event does not take this field; it takes no fields: got 5 [portal claim events (guide 6.1 to 6.6)]
    """

    kind: ClaimEventKind
    on: date
    fields: tuple[tuple[str, Any], ...] = ()
    event_id: str | None = field(default=None, converter=_event_id)

    @classmethod
    def make(
        cls, kind: ClaimEventKind | str, on: date, *, event_id: str | None = None, **values: Any
    ) -> ClaimEvent:
        """Build an event of ``kind`` on ``on`` with its fields as keyword arguments.

        ``event_id`` (any kind, optional): the caller's id for this event, which makes a
        retried append idempotent (:meth:`Claim.apply`).
        """
        return _read_event(cls, kind, on, values, text_date=False, event_id=event_id)

    def get(self, name: str, default: Any = None) -> Any:
        """Return the field ``name``, or ``default`` when the event does not have it."""
        for key, value in self.fields:
            if key == name:
                return value
        return default

    def __getitem__(self, name: str) -> Any:
        for key, value in self.fields:
            if key == name:
                return value
        raise KeyError(name)

    @property
    def party(self) -> Party:
        """Who acts: fixed by the kind, or the event's ``party`` field."""
        actor = _ACTOR[self.kind]
        return actor if actor is not None else self["party"]

    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data: ``kind``, ``on`` and the fields, the shape of :meth:`from_dict`."""
        data: dict[str, Any] = {"kind": self.kind.value, "on": self.on.isoformat()}
        for name, value in self.fields:
            data[name] = _json_field(value)
        if self.event_id is not None:
            data["event_id"] = self.event_id
        return data

    @classmethod
    def from_dict(cls, data: Any, *, where: str = "event") -> ClaimEvent:
        """Build an event from its ``to_dict()`` form, strictly; errors name ``where``.

        >>> ClaimEvent.from_dict({"kind": "offer-made", "on": "2023-05-02"}, where="events[3]")
        Traceback (most recent call last):
        ...
        rtaprotocol.errors.RulesError: events[3].kind: not one of ClaimEventKind: 'submitted', ...: got 'offer-made' [portal claim events (guide 6.1 to 6.6)]
        """
        try:
            return _event_from_dict(cls, data)
        except RulesError as err:
            raise _located(err, where) from None

    @classmethod
    @exact
    def from_json(cls, text: str | bytes) -> ClaimEvent:
        """Build an event from JSON text: :func:`rtaprotocol.json.loads`, then :meth:`from_dict`.

        >>> ClaimEvent.from_json('{"kind": "denial-accepted", "on": "2023-05-10"}').kind.value
        'denial-accepted'
        """
        return cls.from_dict(json_loads(text))


def _event_from_dict(cls: type[ClaimEvent], data: Any) -> ClaimEvent:
    """Read an event's dict form; every bad field is reported, not only the first."""
    if not isinstance(data, Mapping):
        raise RulesTypeError(
            f"an event is a JSON object, not {type(data).__name__}",
            value=data,
            reference=EVENT_REFERENCE,
        )
    values = {str(k): v for k, v in data.items() if k not in ("kind", "on", "event_id")}
    return _read_event(
        cls,
        data.get("kind", _ABSENT),
        data.get("on", _ABSENT),
        values,
        text_date=True,
        event_id=data.get("event_id"),
    )


# --- deadlines -----------------------------------------------------------------------------


@final
@frozen
class Deadline:
    """One protocol time limit: who must act, by when, and whether it was met.

    ``met_on`` is the date it was met (``None`` while running); ``late`` says the act
    came after ``due``. ``period`` is the :class:`~rtaprotocol.deadlines.Period` (``None``
    for the limitation deadline, which is in calendar years).

    >>> from datetime import date
    >>> d = Deadline(name="liability response", party=Party.COMPENSATOR,
    ...              period=Period.LIABILITY_RESPONSE, started_on=date(2023, 5, 2),
    ...              due=date(2023, 6, 15), reference="guide 6.3.1")
    >>> d.status(date(2023, 6, 16)), d.days_left(date(2023, 6, 14))
    ('overdue', 1)
    """

    name: str
    party: Party
    period: Period | None
    started_on: date
    due: date
    reference: str
    met_on: date | None = None
    on_expiry: str | None = None

    @property
    def late(self) -> bool:
        """Whether it was met after its due date."""
        return self.met_on is not None and self.met_on > self.due

    def status(self, on: date) -> str:
        """Return ``running``, ``overdue``, ``met`` or ``met late`` as at ``on``.

        ``expired`` instead of ``overdue`` for a deadline whose lapse has a consequence of
        its own (``on_expiry``).
        """
        if self.met_on is not None and self.met_on <= on:
            return "met late" if self.late else "met"
        if on > self.due:
            return "expired" if self.on_expiry is not None else "overdue"
        return "running"

    def days_left(self, on: date, calendar: EnglandWalesCalendar | None = None) -> int:
        """Return the business days from ``on`` to ``due`` (negative when overdue).

        Calendar days for the limitation deadline.
        """
        if self.period is None:
            return (self.due - on).days
        if calendar is None:
            return business_days_between(on, self.due)
        return calendar.business_days_between(on, self.due)

    def to_dict(
        self, on: date | None = None, calendar: EnglandWalesCalendar | None = None
    ) -> dict[str, Any]:
        """Return JSON-ready data; with ``on``, its status and days left then."""
        data: dict[str, Any] = {
            "name": self.name,
            "party": self.party.value,
            "period": None if self.period is None else self.period.value,
            "started_on": jsonable(self.started_on),
            "due": jsonable(self.due),
            "reference": self.reference,
            "met_on": jsonable(self.met_on),
            "late": self.late,
            "on_expiry": self.on_expiry,
        }
        if on is not None:
            data["status"] = self.status(on)
            data["days_left"] = self.days_left(on, calendar)
            data["days_unit"] = "calendar days" if self.period is None else "business days"
        return data


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


def _deny(
    message: str, reference: str, value: Any = None, fld: str | None = None
) -> ProtocolViolation:
    if value is None:
        return ProtocolViolation(message, reference=reference, field=fld)
    return ProtocolViolation(message, value=value, reference=reference, field=fld)


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
        period = (
            Period.LIABILITY_RESPONSE_MIB
            if s.compensator is Compensator.MIB
            else Period.LIABILITY_RESPONSE
        )
        met = _record(
            s,
            Deadline(
                name="liability response",
                party=Party.COMPENSATOR,
                period=period,
                started_on=s.submitted_on or e.on,
                due=s.liability_due,
                reference=period.reference,
                met_on=e.on,
            ),
        )
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


def _apply_interim_requested(s: _State, e: ClaimEvent, cal: EnglandWalesCalendar | None) -> _State:
    head: Head | None = e.get("head")
    item: int | None = e.get("item")
    if head is Head.INJURY:
        raise _deny(
            "an interim payment is only for other protocol damages, not for the injury itself",
            INTERIM_REFERENCE,
            head.value,
            "head",
        )
    if not _admitted(s):
        raise _deny(
            "an interim payment can be requested only once liability or fault is admitted, "
            "or a court has found for the claimant",
            INTERIM_REFERENCE,
            None if s.liability is None else s.liability.value,
        )
    listed = _check_item(s, item)
    if listed is not None and head is not None and listed.head is not head:
        raise _deny(
            f"the item is listed under {listed.head.value}", INTERIM_REFERENCE, head.value, "head"
        )
    _check_interim_amount(s, listed, e["amount"])
    _check_open_requests(s, listed, item, e["amount"], e.on)
    due = due_date(Period.INTERIM_PAYMENT_RESPONSE, e.on, calendar=cal)
    new = _Interim(requested_on=e.on, amount=e["amount"], item=item, due=due)
    return _replace(s, interims=s.interims.append(new))


@exact
def _claim_value(s: _State) -> Decimal | None:
    """Return the claim's value: the larger of the facts submitted and the List of Losses.

    Injury plus other protocol damages (guide 4.1, 6.5.1.1); ``None`` when neither gives
    a figure. The larger of the two, so that no request the claim could justify is refused.
    """
    f = s.facts
    stated = ZERO if f is None else (f.injury or ZERO) + (f.other_protocol_damages or ZERO)
    listed = s.losses.injury + sum((i.amount for i in s.losses.items if i.protocol), ZERO)
    value = max(stated, listed)
    return value if value > ZERO else None


@exact
def _check_interim_amount(s: _State, listed: LossItem | None, amount: Decimal) -> None:
    """Refuse an interim request larger than its item, or a general one beyond the value."""
    if amount <= ZERO:
        raise _deny(
            "an interim payment request asks for a sum", INTERIM_REFERENCE, amount, "amount"
        )
    if listed is not None:
        if amount > listed.amount:
            raise _deny(
                "an interim payment for an item settles that item; the request cannot be more "
                f"than the item's {format_money(listed.amount)} on the List of Losses",
                INTERIM_REFERENCE,
                amount,
                "amount",
            )
        return
    value = _claim_value(s)
    if value is not None and s.general_interim + amount > value:
        raise _deny(
            "a general interim payment is offset against the final settlement, so general "
            f"interim payments ({format_money(s.general_interim)} so far) cannot come to more "
            f"than the claim's value of {format_money(value)}",
            INTERIM_REFERENCE,
            amount,
            "amount",
        )


@exact
def _check_open_requests(
    s: _State, listed: LossItem | None, item: int | None, amount: Decimal, on: date
) -> None:
    """Refuse a request that, with those still open, asks too much (guide 6.3.1.4).

    Requests still open for the same item (or general ones) count towards the item (or
    the claim's value). Open: unanswered and still within its 15 business days, or agreed and not yet paid.
    One unanswered after its 15 business days does not count: the claimant may go to court
    on it or ask again, so no route is closed by it.
    """
    # No request before either cursor is unanswered or agreed-and-unpaid (bookkeeping of
    # _State): the scan starts at the first that may still be open.
    first = min(s.interim_pending_from, s.interim_owed_from)
    open_ = [
        i
        for i in (s.interims[at] for at in range(first, len(s.interims)))
        if i.item == item
        and not i.to_court
        and i.paid_on is None
        and (i.agreed_amount is not None or (i.answered_on is None and on <= i.due))
    ]
    if not open_:
        return
    pending = sum(
        (i.agreed_amount if i.agreed_amount is not None else i.amount for i in open_), ZERO
    )
    if listed is not None:
        limit = listed.amount
        what = f"the item's {format_money(limit)} on the List of Losses"
    else:
        value = _claim_value(s)
        if value is None:
            return
        limit = value - s.general_interim
        what = (
            f"the claim's value of {format_money(value)} less the general interim payments "
            f"made ({format_money(s.general_interim)})"
        )
    if pending + amount > limit:
        raise _deny(
            f"interim requests still open for the same {'item' if listed else 'general payment'} "
            f"ask for {format_money(pending)} already; with this one they would come to more "
            f"than {what}",
            INTERIM_REFERENCE,
            amount,
            "amount",
        )


def _check_item(s: _State, item: int | None) -> LossItem | None:
    """Return the List of Losses item an interim payment is for, or refuse it."""
    if item is None:
        return None
    items = s.losses.items
    if item >= len(items):
        raise _deny(
            f"the List of Losses has {len(items)} items (numbered from 0)"
            + ("; no new protocol losses after the offer is requested" if s.offer_stage else ""),
            LOSSES_REFERENCE if s.offer_stage else INTERIM_REFERENCE,
            item,
            "item",
        )
    chosen = items[item]
    if chosen.paid:
        raise _deny(
            "this item was paid on interim: it is settled in full",
            INTERIM_REFERENCE,
            item,
            "item",
        )
    if not chosen.protocol:
        raise _deny(
            "an interim payment is for protocol damages; a non-protocol vehicle cost is dealt "
            "with outside the portal",
            "guide 5.2.4, 6.3.1.4",
            item,
            "item",
        )
    return chosen


@exact
def _pay_interim(s: _State, item: int | None, amount: Decimal) -> dict[str, Any]:
    """Return the state changes for an interim payment: an item settled, or a general one."""
    if item is None:
        return {"general_interim": s.general_interim + amount}
    chosen = _check_item(s, item)
    assert chosen is not None
    if amount > chosen.amount:
        raise _deny(
            f"an interim payment for an item settles that item; it cannot be more than the "
            f"item's {format_money(chosen.amount)}",
            INTERIM_REFERENCE,
            amount,
            "amount",
        )
    if amount == ZERO:
        raise _deny("an interim payment pays something", INTERIM_REFERENCE, amount, "amount")
    return {"losses": s.losses.with_interim(item, amount)}


def _pending(i: _Interim) -> bool:
    return i.answered_on is None and not i.to_court


def _owed(i: _Interim) -> bool:
    return i.agreed_amount is not None and i.paid_on is None


def _first_interim(
    interims: Vec[_Interim], start: int, wanted: Callable[[_Interim], bool]
) -> int | None:
    """Return the index of the first interim request from ``start`` that is ``wanted``.

    The state keeps ``start`` past every request known not to be wanted (answered or
    taken to court; paid), so that a long history of interim payments is not scanned on
    every answer: bookkeeping only, the first such request is the one the rules name.
    """
    for at in range(start, len(interims)):
        if wanted(interims[at]):
            return at
    return None


def _apply_interim_response(s: _State, e: ClaimEvent, cal: EnglandWalesCalendar | None) -> _State:
    at = _first_interim(s.interims, s.interim_pending_from, _pending)
    if at is None:
        if any(i.answered_on is None for i in s.interims):
            raise _deny(
                "the interim payment request left unanswered was taken to court: the court's "
                "decision on it is final, not answered again on the portal",
                FINAL_REFERENCE,
                e.on,
            )
        raise _deny("there is no interim payment request to answer", INTERIM_REFERENCE, e.on)
    request = s.interims[at]
    agreed: bool = e["agreed"]
    amount: Decimal | None = e.get("amount")
    answer: InterimAnswer = e.get("answer") or (
        InterimAnswer.AGREE_AND_PAY if agreed else InterimAnswer.REFUSE
    )
    if answer.agrees is not agreed:
        raise _deny(
            f"the answer '{answer.value}' {'agrees' if answer.agrees else 'refuses'}: "
            f"agreed is {str(answer.agrees).lower()}",
            INTERIM_REFERENCE,
            agreed,
            "agreed",
        )
    if not agreed and amount is not None:
        raise _deny("a refusal pays nothing", INTERIM_REFERENCE, amount, "amount")
    _check_interim_answer(request, answer, amount)
    answered = evolve(
        request,
        answered_on=e.on,
        agreed=agreed,
        answer=answer,
        agreed_amount=(
            (request.amount if amount is None else amount)
            if answer is InterimAnswer.AGREE_NOT_YET_PAID
            else None
        ),
        paid_on=e.on
        if answer in (InterimAnswer.AGREE_AND_PAY, InterimAnswer.AGREE_IN_PART)
        else None,
    )
    interims = s.interims.set(at, answered)
    met = _record(
        s,
        Deadline(
            name="interim payment response",
            party=Party.COMPENSATOR,
            period=Period.INTERIM_PAYMENT_RESPONSE,
            started_on=request.requested_on,
            due=request.due,
            reference=Period.INTERIM_PAYMENT_RESPONSE.reference,
            met_on=e.on,
        ),
    )
    extra: dict[str, Any] = {}
    if answered.paid_on is not None:
        extra = _pay_interim(s, request.item, request.amount if amount is None else amount)
    return _replace(s, interims=interims, interim_pending_from=at, met=met, **extra)


def _check_interim_answer(request: _Interim, answer: InterimAnswer, amount: Decimal | None) -> None:
    """Check the sum an answer agrees against the sum requested (guide 6.3.1.4)."""
    if answer is InterimAnswer.AGREE_IN_PART and (
        amount is None or not ZERO < amount < request.amount
    ):
        raise _deny(
            "an agreement in part pays part of the request: more than £0.00 and less than "
            f"the {format_money(request.amount)} requested",
            INTERIM_REFERENCE,
            amount,
            "amount",
        )
    if (
        answer is InterimAnswer.AGREE_NOT_YET_PAID
        and amount is not None
        and amount != request.amount
    ):
        raise _deny(
            "an agreement still to be paid agrees the sum requested "
            f"({format_money(request.amount)}); agree in part to pay less",
            INTERIM_REFERENCE,
            amount,
            "amount",
        )


def _apply_interim_paid(s: _State, e: ClaimEvent, cal: EnglandWalesCalendar | None) -> _State:
    """Record the payment of an interim payment the compensator agreed earlier (6.3.1.4)."""
    at = _first_interim(s.interims, s.interim_owed_from, _owed)
    if at is None:
        raise _deny(
            "there is no agreed interim payment waiting to be paid (an agreement paid at once "
            "is recorded with its answer, a voluntary payment as voluntary-interim-payment)",
            INTERIM_REFERENCE,
            e.on,
        )
    request = s.interims[at]
    assert request.agreed_amount is not None
    amount: Decimal | None = e.get("amount")
    if amount is not None and amount != request.agreed_amount:
        raise _deny(
            f"the payment of an agreed interim is the sum agreed ({format_money(request.agreed_amount)})",
            INTERIM_REFERENCE,
            amount,
            "amount",
        )
    if request.to_court:
        raise _deny(
            "this agreed interim payment was taken to court: the court's order decides it",
            FINAL_REFERENCE,
            e.on,
        )
    paid = evolve(request, paid_on=e.on)
    interims = s.interims.set(at, paid)
    return _replace(
        s,
        interims=interims,
        interim_owed_from=at,
        **_pay_interim(s, request.item, request.agreed_amount),
    )


def _apply_voluntary_interim(s: _State, e: ClaimEvent, cal: EnglandWalesCalendar | None) -> _State:
    if e.get("item") is None:
        _check_interim_amount(s, None, e["amount"])
    return _replace(s, **_pay_interim(s, e.get("item"), e["amount"]))


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
        further_requested_on=None,
        further_acknowledged_on=None,
        further_instructions_due=None,
        further_instructions_on=None,
        further_objected=False,
        further_reports=s.further_reports + 1,
        unreliable_reports=s.unreliable_reports + (0 if s.further_justified else 1),
        further_justified=None,
        **_prognosis(s, e),
    )


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
        further_requested_on=None,
        further_acknowledged_on=None,
        further_instructions_due=None,
        further_instructions_on=None,
        further_objected=False,
        further_justified=None,
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
    met = _record(
        s,
        Deadline(
            name="further medical report instructions",
            party=Party.COMPENSATOR,
            period=Period.FURTHER_MEDICAL_INSTRUCTIONS,
            started_on=s.further_acknowledged_on,
            due=s.further_instructions_due,
            reference=Period.FURTHER_MEDICAL_INSTRUCTIONS.reference,
            met_on=e.on,
        ),
    )
    return _replace(s, further_instructions_on=e.on, met=met)


def _apply_offer_requested(s: _State, e: ClaimEvent, cal: EnglandWalesCalendar | None) -> _State:
    if s.offer_stage and not s.restart_pending:
        raise _deny(
            "the offer has been requested: all protocol losses were listed then, and no new "
            "ones can be added",
            LOSSES_REFERENCE,
            e.on,
        )
    if not _admitted(s):
        raise _deny(
            "an offer is requested once liability or fault is admitted, or a court has found "
            "for the claimant",
            "guide 6.3.1, 6.5.1",
            None if s.liability is None else s.liability.value,
        )
    if s.report_shared_on is None:
        raise _deny(
            "the compensator needs the medical report to make an offer: share it first (no "
            "whiplash offer before a medical report; the portal does not cover offers made "
            "without one)",
            S6_REFERENCE,
            e.on,
        )
    if s.further_requested_on is not None:
        raise _deny("a further medical report is still awaited", FURTHER_REFERENCE, e.on)
    added: tuple[LossItem, ...] = e.get("added_losses", ())
    current = s.losses
    if s.restart_pending:  # the offer process starts over with an updated list (6.5.3.1)
        current = evolve(current, stage=LossesStage.CLAIM)
    for item in added:
        current = current.add(item)
    losses = current.at_stage(LossesStage.OFFER_REQUESTED)
    dispute_due = s.dispute_due
    if s.causation == "disputed" and dispute_due is None:
        dispute_due = due_date(Period.INJURY_DISPUTE, e.on, calendar=cal)
    return _replace(
        s,
        offer_stage=True,
        restart_pending=False,
        offer_requested_on=e.on,
        losses=losses,
        offer_due=due_date(Period.OFFER, e.on, calendar=cal),
        dispute_due=dispute_due,
        challenge_pending=False,
    )


def _deem_causation(s: _State, on: date) -> _State:
    """After the 20 business days with no dispute notice, causation is deemed admitted."""
    if s.causation == "disputed" and s.dispute_due is not None and on > s.dispute_due:
        return _replace(s, causation="admitted")
    return s


def _apply_injury_dispute(s: _State, e: ClaimEvent, cal: EnglandWalesCalendar | None) -> _State:
    if s.causation != "disputed" or s.dispute_due is None:
        what = {
            "admitted": "causation is admitted (or deemed admitted)",
            "notified": "the dispute has been notified",
        }
        raise _deny(
            "a notice disputing the injury follows an admission of fault with causation "
            "disputed, once the offer is requested"
            + (f"; here {what[s.causation]}" if s.causation in what else ""),
            DISPUTE_REFERENCE,
            s.causation,
        )
    met = _record(
        s,
        Deadline(
            name="notice disputing the injury",
            party=Party.COMPENSATOR,
            period=Period.INJURY_DISPUTE,
            started_on=s.offer_requested_on or e.on,
            due=s.dispute_due,
            reference=Period.INJURY_DISPUTE.reference,
            met_on=e.on,
        ),
    )
    return _replace(s, causation="notified", met=met)


def _negotiation_open(s: _State, e: ClaimEvent) -> None:
    if not s.offer_stage or s.restart_pending:
        raise _deny(
            "offers are made after the claimant requests one with the List of Losses",
            "guide 6.5.1.1, 6.5.3.1",
            e.kind.value,
        )
    if s.waiting_prognosis:
        raise _deny(
            "the claim does not progress while the claimant waits out the prognosis",
            PROGNOSIS_REFERENCE,
            e.kind.value,
        )


@exact
def _offer_heads(s: _State, e: ClaimEvent) -> None:
    """Check an offer's breakdown: one value per listed item, the parts adding up (6.5.2)."""
    values: tuple[Decimal, ...] | None = e.get("items")
    injury: Decimal | None = e.get("injury")
    if values is None and injury is None:
        return
    items = s.losses.items
    values = values if values is not None else tuple(ZERO for _ in items)
    if len(values) != len(items):
        raise _deny(
            f"an offer enters an amount against each of the {len(items)} items on the List "
            "of Losses, in order; no new protocol losses after the offer is requested",
            "guide 6.5.1.1, 6.5.2",
            len(values),
            "items",
        )
    parts = sum((v for v, item in zip(values, items, strict=True) if item.protocol), ZERO)
    parts += injury if injury is not None else ZERO
    if parts != e["amount"]:
        raise _deny(
            f"the offer's parts (injury and protocol items) add up to {format_money(parts)}, "
            "not its amount",
            "guide 6.5.2",
            e["amount"],
            "amount",
        )


def _apply_offer(s: _State, e: ClaimEvent, cal: EnglandWalesCalendar | None) -> _State:
    _negotiation_open(s, e)
    party: Party = e["party"]
    tariff: TariffChoice | None = e.get("tariff")
    injury: Decimal | None = e.get("injury")
    _offer_heads(s, e)
    if party is Party.COMPENSATOR and tariff is not None and s.higher_tariff and tariff.rank < 2:
        raise _deny(
            "the compensator selected the higher whiplash and minor psychological injury "
            "tariff; it cannot go back",
            TARIFF_REFERENCE,
            tariff.value,
            "tariff",
        )
    _offer_liability_check(s, e)
    extra: dict[str, Any] = _whiplash_stance(s, e)
    share = _offer_share(s, e)
    neg = s.negotiation.apply(
        OfferEvent(
            kind=OfferEventKind.OFFER,
            on=e.on,
            party=party,
            amount=e["amount"],
            # Explicit whenever a split was admitted, so each offer shows its basis.
            liability_percent=None if share == 100 and s.liability_percent is None else share,
        )
    )
    first = (
        s.offer_due is not None
        and party is Party.COMPENSATOR
        and not s.negotiation.offers(Party.COMPENSATOR)
    )
    if first:
        assert s.offer_requested_on is not None
        assert s.offer_due is not None
        extra["met"] = _record(
            s,
            Deadline(
                name="compensator's offer",
                party=Party.COMPENSATOR,
                period=Period.OFFER,
                started_on=s.offer_requested_on,
                due=s.offer_due,
                reference=Period.OFFER.reference,
                met_on=e.on,
            ),
        )
    if (
        party is Party.COMPENSATOR
        and injury is not None
        and injury > ZERO
        and s.causation in ("disputed", "notified")
    ):
        extra["causation"] = "admitted"
    if party is Party.COMPENSATOR and tariff is TariffChoice.WHIPLASH_PSYCHOLOGICAL:
        extra["higher_tariff"] = True
    return _replace(s, negotiation=neg, offer_details=s.offer_details.append(e), **extra)


def _offer_liability_check(s: _State, e: ClaimEvent) -> None:
    """Check the share of liability an offer is made on (guide 6.3.1.1, 6.5.2, 6.6.1.1).

    Liability may be negotiated at the offer stage, but never below what the compensator
    admitted, and never away from a share the court determined.
    """
    pct: Decimal | None = e.get("liability_percent")
    if pct is None or s.liability_percent is None:
        return
    if s.liability_by_court and pct != s.liability_percent:
        raise _deny(
            f"the court determined the compensator's share of liability at "
            f"{s.liability_percent}%; an offer is made on that share",
            HOLD_REFERENCE,
            pct,
            "liability_percent",
        )
    if pct < s.liability_percent:
        raise _deny(
            f"an offer is made on the compensator's share of liability of at least the "
            f"{s.liability_percent}% it admitted, and at most 100%",
            OFFER_LIABILITY_REFERENCE,
            pct,
            "liability_percent",
        )


def _offer_share(s: _State, e: ClaimEvent) -> Decimal:
    """Return the compensator's share an offer is made on (guide 6.3.1.1, 6.5.2).

    The offer's own ``liability_percent`` when it states one. Otherwise: a share the court
    determined binds every offer (6.6.1.1); a compensator's offer is made on the split it
    admitted at step 2 (6.5.2: it enters each item's full value, then deducts the
    claimant's share); a claimant's offer that states no share is the sum the claimant
    asks to be paid, so it is made on 100% (issue 22: "if the claimant offers £1,500 after
    an 80% admission and the compensator accepts, £1,500 ... is paid, not £1,200"; the
    guide lets liability be dealt with "at the offer stage as part of your negotiation").
    """
    pct: Decimal | None = e.get("liability_percent")
    if pct is not None:
        return pct
    if s.liability_percent is None:
        return Decimal(100)
    if e.get("party") is Party.CLAIMANT and not s.liability_by_court:
        return Decimal(100)
    return s.liability_percent


def _tariff_of(s: _State, party: Party) -> TariffChoice | None:
    return next((t for p, t in s.tariffs if p is party), None)


def _whiplash_stance(s: _State, e: ClaimEvent) -> dict[str, Any]:
    """Check an offer's tariff against an agreed whiplash finding and the prognosis.

    Once both sides' offers agree there is (or is not) a whiplash injury, neither reopens
    it (guide 6.5.3.1). The compensator's whiplash tariff offer on a report with a
    prognosis over 24 months is refused: the tariff covers injuries of not more than two
    years (Civil Liability Act 2018 s.3; guide 6.4.2, 6.4.2.2).
    """
    tariff: TariffChoice | None = e.get("tariff")
    party: Party = e["party"]
    if tariff is None:
        return {}
    says_whiplash = tariff is not TariffChoice.NONE
    if s.whiplash_agreed is not None and says_whiplash is not s.whiplash_agreed:
        agreed = "is a" if s.whiplash_agreed else "is no"
        raise _deny(
            f"both sides have agreed there {agreed} whiplash injury; it cannot be challenged "
            "again in the portal (only the tariff, where the lower one was offered, and the "
            "duration remain open)",
            WHIPLASH_AGREED_REFERENCE,
            tariff.value,
            "tariff",
        )
    long = s.prognosis_months is not None and s.prognosis_months > LONG_PROGNOSIS_MONTHS
    if party is Party.COMPENSATOR and says_whiplash and long:
        raise _deny(
            f"the medical report gives a prognosis of {s.prognosis_months} months, more than "
            f"{LONG_PROGNOSIS_MONTHS}: the whiplash tariff covers injuries of not more than 2 "
            "years, so the offer values the injury outside the tariff (tariff 'none'); the "
            "claim may exceed the small claims limit and the claimant may withdraw it and "
            "seek advice",
            LONG_PROGNOSIS_REFERENCE,
            tariff.value,
            "tariff",
        )
    other = _tariff_of(s, party.other)
    tariffs = (*((p, t) for p, t in s.tariffs if p is not party), (party, tariff))
    extra: dict[str, Any] = {"tariffs": tariffs}
    if other is not None and (other is not TariffChoice.NONE) is says_whiplash:
        extra["whiplash_agreed"] = says_whiplash
    return extra


def _apply_negotiation(s: _State, e: ClaimEvent, cal: EnglandWalesCalendar | None) -> _State:
    """Hand a reject, withdraw or fee event to the negotiation (guide 6.5.3.2, 6.5.5)."""
    if e.kind in (_K.FEE_OFFER, _K.FEE_ACCEPT, _K.FEE_REJECT):
        if not s.negotiation.is_settled:
            raise _deny(
                "fees are negotiated only once the settlement of the losses is agreed",
                "guide 6.5.3.2",
                e.kind.value,
            )
    else:
        _negotiation_open(s, e)
    neg = s.negotiation.apply(
        OfferEvent(kind=_NEGOTIATION_KINDS[e.kind], on=e.on, party=e.party, amount=e.get("amount"))
    )
    return _replace(s, negotiation=neg)


def _apply_accept(s: _State, e: ClaimEvent, cal: EnglandWalesCalendar | None) -> _State:
    _negotiation_open(s, e)
    neg = s.negotiation.apply(
        OfferEvent(
            kind=OfferEventKind.ACCEPT,
            on=e.on,
            party=e["party"],
            offer_number=e.get("offer_number"),
        )
    )
    cru: bool = e["updated_cru_certificate"]
    period = Period.PAYMENT_WITH_CRU if cru else Period.PAYMENT
    return _replace(
        s,
        negotiation=neg,
        closed_because="settled: an offer was accepted",
        closed_on=e.on,
        payment_due=due_date(period, e.on, calendar=cal),
        payment_period=period,
    )


def _apply_wait_out_prognosis(s: _State, e: ClaimEvent, cal: EnglandWalesCalendar | None) -> _State:
    _negotiation_open(s, e)
    latest = s.negotiation.latest_offer(Party.COMPENSATOR)
    if latest is None or latest.status is not OfferStatus.OPEN:
        raise _deny(
            "the claimant waits out the prognosis in answer to an open compensator offer",
            PROGNOSIS_REFERENCE,
            e.on,
        )
    return _replace(s, waiting_prognosis=True)


def _apply_prognosis_outcome(s: _State, e: ClaimEvent, cal: EnglandWalesCalendar | None) -> _State:
    if not s.waiting_prognosis:
        raise _deny("the claimant is not waiting out the prognosis", PROGNOSIS_REFERENCE, e.on)
    outcome = e["outcome"].value
    if outcome == "recovered":
        return _replace(s, waiting_prognosis=False)
    # Further losses or a further report: the offer process starts over (guide 6.5.3.1).
    return _replace(
        s,
        waiting_prognosis=False,
        restart_pending=True,
        past_negotiations=s.past_negotiations.append(s.negotiation),
        negotiation=_fresh_negotiation(s, e.on, cal),
        offer_details=_NOTHING,
        offer_due=None,
    )


def _fresh_negotiation(s: _State, on: date, cal: EnglandWalesCalendar | None) -> Negotiation:
    """Return a new negotiation for the restarted offer process, told of the report."""
    fresh = Negotiation(calendar=cal, whiplash=s.whiplash)
    if s.report_shared_on is not None:
        fresh = fresh.apply(OfferEvent(kind=OfferEventKind.MEDICAL_REPORT, on=on))
    return fresh


@exact
def _settlement_sum(s: _State) -> Decimal | None:
    """Return what the accepted settlement pays (guide 6.5.2).

    ``None`` when the offer gives no breakdown to work it out from (then no payment is
    checked against a sum).
    """
    if s.negotiation.settled_offer is None:
        return None
    try:
        return _payment(s).total
    except RulesError:
        return None


@exact
def _settlement_balance(s: _State) -> Decimal | None:
    """Return what is still owed on the settlement, or ``None`` when the sum is unknown."""
    if s.payment_due is None or s.paid_on is not None:
        return None if s.payment_due is None else ZERO
    total = _settlement_sum(s)
    return None if total is None else max(total - s.settlement_paid, ZERO)


@exact
def _apply_payment_made(s: _State, e: ClaimEvent, cal: EnglandWalesCalendar | None) -> _State:
    if s.payment_due is None:
        raise _deny("there is no payment due", PAYMENT_REFERENCE, e.on)
    if s.paid_on is not None:
        raise _deny(
            f"the settlement was paid in full on {s.paid_on}: there is no payment due",
            PAYMENT_REFERENCE,
            e.on,
        )
    assert s.closed_on is not None
    assert s.payment_period is not None
    full: bool = e["full"]
    amount: Decimal | None = e.get("amount")
    balance = _settlement_balance(s)
    owed = "" if balance is None else f" of {format_money(balance)}"
    if amount is not None and amount <= ZERO:
        raise _deny("a payment pays something", PAYMENT_REFERENCE, amount, "amount")
    if not full:
        if amount is None:
            raise _deny(
                "a partial payment states the sum paid, so that the balance left is known",
                PAYMENT_REFERENCE,
                None,
                "amount",
            )
        if balance is not None and amount >= balance:
            raise _deny(
                f"a payment of the whole balance{owed} is a full payment (full: true)",
                PAYMENT_REFERENCE,
                amount,
                "amount",
            )
        return _replace(s, settlement_paid=s.settlement_paid + amount)
    if amount is not None and balance is not None and amount != balance:
        raise _deny(
            f"a full payment pays the balance{owed}; record a smaller sum as a partial payment "
            "(full: false), which leaves the rest owed",
            PAYMENT_REFERENCE,
            amount,
            "amount",
        )
    paid = amount if amount is not None else (balance if balance is not None else ZERO)
    met = _record(
        s,
        Deadline(
            name="payment of the settlement",
            party=Party.COMPENSATOR,
            period=s.payment_period,
            started_on=s.closed_on,
            due=s.payment_due,
            reference=s.payment_period.reference,
            met_on=e.on,
        ),
    )
    return _replace(s, paid_on=e.on, met=met, settlement_paid=s.settlement_paid + paid)


def _limitation_date(s: _State) -> date | None:
    f = s.facts
    if f is None:
        return None
    return limitation_deadline(f.accident_date, date_of_birth=f.date_of_birth)


def _window_opens(limit: date) -> date:
    return limit - relativedelta(months=LIMITATION_WINDOW_MONTHS)


def _check_limitation_near(s: _State, on: date) -> None:
    """Refuse proceedings 'because of the limitation date' when it is not near or has passed."""
    limit = _limitation_date(s)
    assert limit is not None
    if on > limit:
        raise _deny(
            f"the limitation date ({limit}) has passed: proceedings can no longer be started "
            "to protect it; only the court can extend time (seek advice)",
            LIMITATION_LATE_REFERENCE,
            on,
            "on",
        )
    opens = _window_opens(limit)
    if on < opens:
        raise _deny(
            f"proceedings are started because of the limitation date ({limit}) from "
            f"{LIMITATION_WINDOW_MONTHS} months before it ({opens}); until then the court pack "
            "list goes to the compensator first",
            LIMITATION_COURT_REFERENCE,
            on,
            "on",
        )


def _stuck_interims(s: _State, on: date) -> list[_Interim]:
    """Interim requests the court may be asked about on ``on`` (guide 6.3.1.4).

    Unanswered after the 15 business days; refused, or refused in part; agreed but not
    paid once the 15 business days have passed. Never one agreed and paid, nor one the
    court has already been asked about.
    """
    out = []
    for i in s.interims:
        if i.to_court:
            continue
        unanswered = i.answered_on is None and on > i.due
        refused = i.answer in (InterimAnswer.REFUSE, InterimAnswer.AGREE_IN_PART)
        unpaid = i.agreed_amount is not None and i.paid_on is None and on > i.due
        if unanswered or refused or unpaid:
            out.append(i)
    return out


def _check_court_issue(s: _State, issue: CourtIssue, on: date) -> None:
    """Refuse ``issue`` when the claim gives no route to court for it on ``on``."""
    if issue in s.decided:
        raise _deny(
            f"the court has decided the {issue.value} question; a decided question is not "
            "taken to court again nor renegotiated on the portal",
            FINAL_REFERENCE,
            issue.value,
            "issue",
        )
    settled = s.payment_due is not None
    if settled != (issue in (CourtIssue.UNPAID_SETTLEMENT, CourtIssue.FEES)):
        if settled:
            raise _deny(
                f"the claim is closed ({s.closed_because}): only an unpaid settlement or the "
                "fees can go to court now",
                CLOSED_REFERENCE,
                issue.value,
                "issue",
            )
        if issue is CourtIssue.UNPAID_SETTLEMENT:
            raise _deny(
                "no offer has been accepted: there is no settlement to be unpaid",
                UNPAID_REFERENCE,
                issue.value,
                "issue",
            )
        raise _deny(
            "fees are negotiated, and go to court, only once an offer is accepted",
            FEES_COURT_REFERENCE,
            issue.value,
            "issue",
        )
    if issue is CourtIssue.LIMITATION:
        if s.proceedings_ever:
            raise _deny(
                "court proceedings have already been issued for this claim: they stop the "
                "limitation clock, and later court routes continue them",
                LIMITATION_COURT_REFERENCE,
                issue.value,
                "issue",
            )
        _check_limitation_near(s, on)
    elif issue is CourtIssue.LIABILITY:
        if s.liability_by_court:
            raise _deny(
                f"the court has determined liability ({s.liability_percent}% to the "
                "defendant); it is not taken to court again",
                FINAL_REFERENCE,
                issue.value,
                "issue",
            )
        if s.liability is LiabilityResponse.ADMIT_PART:
            raise _deny(
                "liability admitted in part is argued within the valuation of the claim (PD "
                "27B Section 4, once the compensator has made an offer), not at a hearing on "
                "liability alone, which is for a denial in full (PD 27B Section 2)",
                PART_COURT_REFERENCE,
                s.liability.value,
                "issue",
            )
        overdue = s.liability is None and s.liability_due is not None and on > s.liability_due
        if not (s.liability is LiabilityResponse.DENY or overdue) or s.offer_stage:
            raise _deny(
                "the court decides liability alone when it is denied (or the response is "
                "overdue), before the offer stage",
                "guide 6.3.1.3, 6.6.1.1; PD 27B Section 2",
                None if s.liability is None else s.liability.value,
            )
    elif issue is CourtIssue.INTERIM_PAYMENT:
        if not _stuck_interims(s, on):
            raise _deny(
                "the court is asked for an interim payment when a request is unanswered after "
                "15 business days, refused (in whole or in part), or agreed and not paid in "
                "those 15 business days; never for one agreed and paid",
                INTERIM_REFERENCE,
                on,
            )
    elif issue is CourtIssue.VALUE:
        if not s.negotiation.offers(Party.COMPENSATOR) or s.waiting_prognosis or s.restart_pending:
            raise _deny(
                "the court values the claim at any stage after the compensator's first offer",
                OFFER_REFERENCE,
                on,
            )
    elif issue is CourtIssue.UNPAID_SETTLEMENT:
        assert s.payment_due is not None
        if s.paid_on is not None:
            raise _deny(
                f"the settlement was paid in full on {s.paid_on}", UNPAID_REFERENCE, on, "on"
            )
        if on <= s.payment_due:
            raise _deny(
                f"the settlement is due by {s.payment_due}; the court is asked for it only once "
                "that day has passed unpaid",
                UNPAID_REFERENCE,
                on,
                "on",
            )
    else:
        fees = s.negotiation.fees
        if fees is None or not fees.goes_to_court:
            raise _deny(
                "the fees go to court on their own once the compensator rejects the "
                "claimant's counter offer on fees"
                + ("" if fees is None else f"; here: {fees.stage}"),
                FEES_COURT_REFERENCE,
                on,
            )


def _apply_go_to_court(s: _State, e: ClaimEvent, cal: EnglandWalesCalendar | None) -> _State:
    if s.court_issue is not None:
        raise _deny("the claimant is already going to court", COURT_REFERENCE, e.on)
    issue: CourtIssue = e["issue"]
    limitation: bool = e["limitation"]
    if limitation and issue in (CourtIssue.UNPAID_SETTLEMENT, CourtIssue.FEES):
        raise _deny(
            "proceedings about a settlement are not started because of the injury claim's "
            "limitation date: the court pack list goes to the compensator first",
            LIMITATION_COURT_REFERENCE,
            True,
            "limitation",
        )
    if limitation and issue is not CourtIssue.LIMITATION:
        if issue in s.decided or (issue is CourtIssue.LIABILITY and s.liability_by_court):
            _check_court_issue(s, issue, e.on)  # refuses: the court has decided it
        _check_limitation_near(s, e.on)
        if s.payment_due is not None:
            _check_court_issue(s, issue, e.on)  # refuses: the claim is settled
    else:
        _check_court_issue(s, issue, e.on)
    extra: dict[str, Any] = {}
    if issue is CourtIssue.VALUE and s.negotiation.offers(Party.COMPENSATOR):
        extra["negotiation"] = s.negotiation.create_court_valuation_form(on=e.on)
    if issue is CourtIssue.INTERIM_PAYMENT:
        stuck = set(map(id, _stuck_interims(s, e.on)))
        extra["interims"] = Vec.of(
            evolve(i, to_court=True) if id(i) in stuck else i for i in s.interims
        )
    return _replace(
        s, court_issue=issue, court_limitation=limitation or issue is CourtIssue.LIMITATION, **extra
    )


def _apply_court_pack_sent(s: _State, e: ClaimEvent, cal: EnglandWalesCalendar | None) -> _State:
    if s.court_issue is None or s.court_pack_sent_on is not None or s.proceedings_running:
        raise _deny(
            "the court pack list is sent once, after choosing 'Go to court'",
            COURT_PACK_REFERENCE,
            e.on,
        )
    return _replace(s, court_pack_sent_on=e.on)


def _apply_court_pack_agreed(s: _State, e: ClaimEvent, cal: EnglandWalesCalendar | None) -> _State:
    if s.court_pack_sent_on is None or s.court_pack_agreed_on is not None:
        raise _deny(
            "the compensator replies to a court pack list the claimant has sent",
            COURT_PACK_REFERENCE,
            e.on,
        )
    return _replace(s, court_pack_agreed_on=e.on)


_CLEARED: Final[dict[str, Any]] = {
    "on_hold": False,
    "proceedings_running": False,
    "court_issue": None,
    "court_limitation": False,
    "court_pack_sent_on": None,
    "court_pack_agreed_on": None,
}


def _apply_proceedings_issued(s: _State, e: ClaimEvent, cal: EnglandWalesCalendar | None) -> _State:
    if s.court_issue is None or s.proceedings_running:
        raise _deny("choose 'Go to court' first", COURT_REFERENCE, e.on)
    if s.court_pack_agreed_on is None and not s.court_limitation:
        raise _deny(
            "the court pack list goes to the compensator first, and proceedings follow its "
            "reply, unless they are issued because of the limitation date",
            COURT_PACK_REFERENCE,
            e.on,
        )
    if s.court_issue is CourtIssue.LIMITATION:
        # Stayed while the protocol is followed (PD 27B Section 9): the portal claim goes on.
        limit = _limitation_date(s)
        assert limit is not None
        assert s.facts is not None
        met = _record(
            s,
            Deadline(
                name="limitation: issue court proceedings",
                party=Party.CLAIMANT,
                period=None,
                started_on=s.facts.accident_date,
                due=limit,
                reference=LIMITATION_REFERENCE,
                met_on=e.on,
            ),
        )
        return _replace(
            s, **_CLEARED, proceedings_ever=True, limitation_proceedings_on=e.on, met=met
        )
    if s.court_issue in (CourtIssue.UNPAID_SETTLEMENT, CourtIssue.FEES):
        # The settlement stands and the claim stays closed; only this question is in court.
        return _replace(s, proceedings_running=True, proceedings_ever=True)
    return _replace(s, on_hold=True, proceedings_ever=True)


def _apply_court_determination(
    s: _State, e: ClaimEvent, cal: EnglandWalesCalendar | None
) -> _State:
    if not (s.on_hold or s.proceedings_running):
        raise _deny("there are no court proceedings running", HOLD_REFERENCE, e.on)
    issue = s.court_issue
    won: bool = e["for_claimant"]
    percent: Decimal | None = e.get("percent")
    amount: Decimal | None = e.get("amount")
    cleared = _CLEARED
    if issue in (CourtIssue.UNPAID_SETTLEMENT, CourtIssue.FEES):
        assert issue is not None
        if percent is not None or (not won and amount is not None):
            raise _deny(
                f"a determination on {issue.value.replace('-', ' ')} gives at most a sum",
                FINAL_REFERENCE,
                percent if percent is not None else amount,
                "percent" if percent is not None else "amount",
            )
        balance = _settlement_balance(s)
        unpaid = issue is CourtIssue.UNPAID_SETTLEMENT
        if unpaid and amount is not None and balance is not None and amount > balance:
            raise _deny(
                f"the court orders at most the unpaid balance of {format_money(balance)}",
                UNPAID_REFERENCE,
                amount,
                "amount",
            )
        extra: dict[str, Any] = {}
        if won and issue is CourtIssue.FEES:
            extra["court_fees"] = amount
        if won and issue is CourtIssue.UNPAID_SETTLEMENT:
            extra["court_unpaid_order"] = amount if amount is not None else balance
        return _replace(s, **cleared, decided=s.decided | {issue}, **extra)
    if not won:
        if percent is not None or amount is not None:
            raise _deny(
                "a finding against the claimant has no share or sum",
                HOLD_REFERENCE,
                percent or amount,
            )
        if issue is CourtIssue.INTERIM_PAYMENT:
            # Only the interim was decided: the claim goes on where it was (6.6.1.1).
            return _replace(s, **cleared)
        return _replace(
            s, **cleared, closed_because="the court found against the claimant", closed_on=e.on
        )
    if issue is CourtIssue.LIABILITY:
        if percent is None or not ZERO < percent <= 100 or amount is not None:
            raise _deny(
                "a liability determination for the claimant gives the defendant's share, more "
                "than 0 and at most 100 percent",
                HOLD_REFERENCE,
                percent,
                "percent",
            )
        causation = s.causation if s.causation != "n/a" else "admitted"
        return _replace(
            s,
            **cleared,
            court_finding_for_claimant=True,
            liability_percent=percent,
            liability_by_court=True,
            causation=causation,
            decided=s.decided | {CourtIssue.LIABILITY},
        )
    if issue is CourtIssue.VALUE:
        if amount is None or percent is not None:
            raise _deny(
                "a valuation by the court gives the sum awarded", HOLD_REFERENCE, percent, "amount"
            )
        return _replace(
            s,
            **cleared,
            court_value=amount,
            closed_because="the court valued the claim",
            closed_on=e.on,
            decided=s.decided | {CourtIssue.VALUE},
        )
    if percent is not None:
        raise _deny(
            "an interim payment order gives a sum, not a share", HOLD_REFERENCE, percent, "percent"
        )
    extra = {"general_interim": s.general_interim + amount} if amount is not None else {}
    return _replace(s, **cleared, court_finding_for_claimant=True, **extra)


def _apply_portal_exit(s: _State, e: ClaimEvent, cal: EnglandWalesCalendar | None) -> _State:
    reason: ExitReason = e["reason"]
    party: Party = e["party"]
    compensator_only = (
        ExitReason.COMPLEX_ISSUES,
        ExitReason.FRAUD_ALLEGED,
        ExitReason.CAUSATION_DISPUTED,
    )
    claimant_route = (
        reason is ExitReason.CAUSATION_DISPUTED
        and party is Party.CLAIMANT
        and s.causation == "notified"
    )  # guide 6.5.4: "continue with your injury claim": the portal no longer applies
    if reason in compensator_only and party is not Party.COMPENSATOR and not claimant_route:
        also = (
            "; the claimant takes it out to continue the injury claim once the compensator "
            "has notified its dispute of the injury (guide 6.5.4)"
            if reason is ExitReason.CAUSATION_DISPUTED
            else ""
        )
        raise _deny(
            f"only the compensator takes the claim out for this reason: {reason.description}"
            + also,
            reason.reference,
            party.value,
            "party",
        )
    if reason is ExitReason.CAUSATION_DISPUTED and (
        s.causation not in ("disputed", "notified") or s.report_shared_on is None
    ):
        raise _deny(
            "the claim leaves for a causation dispute only when the compensator disputes that "
            "the accident caused any injury after a medical report is disclosed",
            reason.reference,
            s.causation,
        )
    if reason is ExitReason.NO_DEFENDANT_ADDRESS and (
        s.court_issue is None or s.compensator is Compensator.INSURER
    ):
        raise _deny(
            "this exit arises when preparing the court form against the MIB or an RTA insurer",
            reason.reference,
            s.compensator.value,
        )
    return _replace(s, exit_reason=reason)


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
    if s.last_on is not None and e.on < s.last_on:
        raise RulesError(
            f"an action cannot be dated before the previous one ({s.last_on})",
            value=e.on,
            field="on",
            reference=ORDER_REFERENCE,
        )
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
    shell = object.__new__(Claim)  # Claim.step reads only the state
    object.__setattr__(shell, "_state", s)
    err.fill(party=party, action=e.kind, state=shell.step)


def _calendar(value: Any) -> EnglandWalesCalendar | None:
    if value is None:
        return None
    if not isinstance(value, EnglandWalesCalendar):
        raise RulesTypeError(
            "expected an EnglandWalesCalendar or None",
            value=value,
            field="calendar",
            reference=ORDER_REFERENCE,
        )
    if not value.extra_holidays and not value.extra_business_days:
        return None
    return value


# --- what may happen next ------------------------------------------------------------------


def _probes(s: _State, kind: ClaimEventKind, party: Party) -> list[dict[str, Any]]:
    """Candidate fields for trying ``kind`` by ``party`` (an action is allowed if one passes)."""
    actor = _ACTOR[kind]
    if actor is not None and actor is not party:
        return []
    named = {"party": party} if actor is None else {}
    if kind is _K.SUBMITTED:
        return []  # needs the facts; shown separately at the start
    if kind is _K.LIABILITY_RESPONSE:  # any response is refused or allowed alike
        return [{"response": LiabilityResponse.ADMIT_FULL}]
    if kind is _K.LIABILITY_CHALLENGE:
        return [{"percent": 100}]
    if kind is _K.INTERIM_REQUESTED:
        # General, then for each item: one may be closed while another is open (6.3.1.4).
        return [{"amount": 1}, *({"amount": 1, "item": n} for n in range(len(s.losses.items)))]
    if kind is _K.INTERIM_RESPONSE:
        return [{"agreed": False}]
    if kind is _K.VOLUNTARY_INTERIM:
        return [{"amount": 1}]
    if kind is _K.MEDICAL_REPORT:
        return [{"report": ReportKind.FIRST}, {"report": ReportKind.FURTHER}]
    if kind is _K.OFFER:
        standing = [o for o in s.negotiation.offers(party) if o.status is not OfferStatus.WITHDRAWN]
        if not standing:
            return [{**named, "amount": ZERO}]
        last = standing[-1]  # the same offer again: on the share it was made on (6.3.1.1)
        share = Decimal(100) if last.liability_percent is None else last.liability_percent
        return [{**named, "amount": last.amount, "liability_percent": share}]
    if kind is _K.FEE_OFFER:
        return [{**named, "amount": ZERO}]
    if kind is _K.PROGNOSIS_OUTCOME:
        return [{"outcome": PrognosisOutcome.RECOVERED}]
    if kind is _K.GO_TO_COURT:
        return [{"issue": issue} for issue in CourtIssue]
    if kind is _K.COURT_DETERMINATION:
        return [{"for_claimant": False}]
    if kind is _K.PORTAL_EXIT:
        return [{**named, "reason": reason} for reason in ExitReason]
    return [named]


@functools.lru_cache(maxsize=1024)
def _probe_fields(
    kind: ClaimEventKind, values: tuple[tuple[str, type, Any], ...]
) -> tuple[tuple[str, Any], ...] | None:
    """Return the fields :meth:`ClaimEvent.make` gives a probe (read once, then reused).

    A probe's fields are the library's own values (``_probes``), keyed with their types
    (``1``, ``True`` and ``Decimal(1)`` are equal keys, not equal values); the reading of a
    field does not depend on the event's date, so the fields read on any date are the fields;
    ``None`` where ``make`` refuses them (a probe without a field its kind needs).
    """
    try:
        return ClaimEvent.make(kind, _PROBE_DAY, **{n: v for n, _t, v in values}).fields
    except RulesError:
        return None


_PROBE_DAY: Final = date(2023, 1, 2)


@exact
def _allowed(
    s: _State, day: date, cal: EnglandWalesCalendar | None
) -> dict[Party, tuple[str, ...]]:
    """Return, for each party, the kinds one of whose probes the rules accept on ``day``.

    The same rules :func:`_apply` runs, without its work on a refusal nobody reads: the
    two gates every kind passes first (withdrawn, live) are tried once per kind, not per
    probe and party; causation is deemed once for the day; a probe event is built from
    fields read once (:func:`_probe_fields`); a refusal is not filled in (:func:`_fill`).
    ``day`` is a query day: covered, and not before the last event (``Claim._query_day``),
    so :func:`_apply`'s date-order check always passes.
    """
    out: dict[Party, list[str]] = {p: [] for p in Party}
    if s.withdrawn_on is not None:  # _check_not_withdrawn refuses every kind
        return dict.fromkeys(Party, ())
    deemed = _deem_causation(s, day)
    for kind in ClaimEventKind:
        if _live_refusal(s, kind) is not None:
            continue
        reduce = _REDUCERS[kind]
        for party in Party:
            for values in _probes(s, kind, party):
                fields = _probe_fields(kind, tuple((n, type(v), v) for n, v in values.items()))
                if fields is None:
                    continue
                try:
                    reduce(deemed, ClaimEvent(kind=kind, on=day, fields=fields), cal)
                except RulesError:
                    continue
                out[party].append(kind.value)
                break
    return {p: tuple(kinds) for p, kinds in out.items()}


# --- routes to court (PD 27B) ----------------------------------------------------------------


@final
@frozen
class PD27BSection:
    """One type of case in PD 27B Table 27.1, with its court pack table in Appendix C.

    ``section`` is the PD 27B section that governs the case (``None`` where the rows read
    do not name one); ``court_pack`` the Appendix C table of court pack documents (``None``
    where none applies or it is unconfirmed); ``confidence`` how far the mapping was checked
    (:class:`~rtaprotocol.sources.Confidence`); ``note`` what is unconfirmed.

    >>> PD27B_SECTIONS["interim-unpaid"].section, PD27B_SECTIONS["interim-unpaid"].court_pack
    ('Section 8', 'Appendix C Table G')
    """

    key: str
    section: str | None
    type_of_case: str
    court_pack: str | None
    confidence: Confidence
    note: str

    @property
    def reference(self) -> str:
        """The citation: PD 27B's section (or Table 27.1) and the court pack table."""
        parts = [self.section or "para 1.3 (Table 27.1)"]
        if self.court_pack is not None:
            parts.append(self.court_pack)
        return "PD 27B " + ", ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data."""
        return {
            "key": self.key,
            "section": self.section,
            "type_of_case": self.type_of_case,
            "court_pack": self.court_pack,
            "confidence": self.confidence.value,
            "note": self.note,
            "reference": self.reference,
        }


_TABLE_NOTE: Final = (
    "Table 27.1's row read (PD 27B, in force 31 May 2021); the Appendix C table letter is "
    "inferred (Tables A to G for the seven sections 2 to 8, in order) and UNCONFIRMED"
)
_P, _U = Confidence.PRIMARY, Confidence.UNCONFIRMED

#: PD 27B Table 27.1, one entry per type of case the claim can take to court, with its
#: court pack table (Appendix C). Dated data: PD 27B is in force from 31 May 2021, the date
#: the RTA Small Claims Protocol applies from.
PD27B_SECTIONS: Final[Mapping[str, PD27BSection]] = {
    s.key: s
    for s in (
        PD27BSection(
            "liability",
            "Section 2",
            "Liability dispute only: liability denied in full",
            "Appendix C Table A",
            _U,
            _TABLE_NOTE,
        ),
        PD27BSection(
            "value",
            "Section 3",
            "Assessing the value of the claim: liability not in dispute, no claim for "
            "non-protocol vehicle costs or uplift",
            "Appendix C Table B",
            _U,
            _TABLE_NOTE,
        ),
        PD27BSection(
            "value-liability-disputed",
            "Section 4",
            "Assessing the value of the claim: liability admitted in part but remains in "
            "dispute (including non-protocol vehicle costs or an uplift)",
            "Appendix C Table C",
            _U,
            _TABLE_NOTE,
        ),
        PD27BSection(
            "value-npvc",
            "Section 5",
            "Assessing the value of the claim: liability not in dispute and the claim "
            "includes non-protocol vehicle costs (and an uplift where claimed)",
            "Appendix C Table D",
            _U,
            _TABLE_NOTE,
        ),
        PD27BSection(
            "value-uplift",
            "Section 6",
            "Assessing the value of the claim: liability not in dispute and the claimant "
            "applies for an uplift (no non-protocol vehicle costs)",
            "Appendix C Table E",
            _U,
            _TABLE_NOTE + "; the claim does not record an uplift application, so no route "
            "maps here yet",
        ),
        PD27BSection(
            "interim-application",
            "Section 7",
            "Application for interim payment",
            "Appendix C Table F",
            _U,
            _TABLE_NOTE,
        ),
        PD27BSection(
            "interim-unpaid",
            "Section 8",
            "Non-payment of agreed interim payment",
            "Appendix C Table G",
            _U,
            _TABLE_NOTE,
        ),
        PD27BSection(
            "limitation",
            "Section 9",
            "Starting proceedings because of limitation: the claim is stayed while the "
            "parties follow the RTA Small Claims Protocol",
            None,
            _P,
            "Table 27.1's row follows Section 8; para 9.2 (the claimant believes the protocol "
            "cannot be completed before limitation expires) and the stay (para 9.5) as quoted "
            "in commentary; no court pack list goes to the compensator first (guide 6.6.3.3)",
        ),
        PD27BSection(
            "unpaid-settlement",
            None,
            "Non-payment of agreed damages after an accepted offer",
            None,
            _U,
            "Table 27.1's rows after Section 9 (Sections 10 and 11) were not read: the "
            "section for this case is UNCONFIRMED; the portal's 'Go to court' prepares the "
            "court form and court pack for an order to pay an agreed sum (guide 6.6.3.3)",
        ),
        PD27BSection(
            "fees",
            None,
            "Recovery of fees after the compensator rejects the counter offer on fees",
            None,
            _U,
            "Table 27.1's rows after Section 9 were not read: the section for fee proceedings "
            "is UNCONFIRMED (guide 6.5.3.2 gives the route: 'proceedings for recovery of your "
            "fees')",
        ),
    )
}


@final
@frozen
class CourtRoute:
    """A route to court the claim offers on a date: what, why, and the court procedure.

    ``issue`` is the ``go-to-court`` event's issue; ``why`` says what opens the route and
    ``reference`` the guide's paragraphs; ``pd27b`` the type of case in PD 27B Table 27.1
    and its court pack table; ``court_pack_list_first``: whether the court pack list goes to
    the compensator before proceedings are issued (not when they are started because of the
    limitation date, guide 6.6.3.3).

    >>> route = CourtRoute(CourtIssue.FEES, "fees rejected", "guide 6.5.3.2",
    ...                    PD27B_SECTIONS["fees"], True)
    >>> route.to_dict()["pd27b"]["section"] is None
    True
    """

    issue: CourtIssue
    why: str
    reference: str
    pd27b: PD27BSection
    court_pack_list_first: bool

    def __str__(self) -> str:
        pack = self.pd27b.court_pack or "no court pack table"
        section = self.pd27b.section or "section unconfirmed"
        first = (
            "court pack list to the compensator first"
            if self.court_pack_list_first
            else ("no court pack list first")
        )
        return (
            f"go-to-court ({self.issue.value}): {self.why} [{self.reference}]; PD 27B "
            f"{section}, {pack}; {first}"
        )

    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data."""
        return {
            "issue": self.issue.value,
            "why": self.why,
            "reference": self.reference,
            "pd27b": self.pd27b.to_dict(),
            "court_pack_list_first": self.court_pack_list_first,
        }


def _route(s: _State, issue: CourtIssue, on: date) -> CourtRoute:
    """Describe the route to court for ``issue``, which the rules allow on ``on``."""
    if issue is CourtIssue.LIABILITY:
        why = (
            "liability is denied"
            if s.liability is LiabilityResponse.DENY
            else f"the liability response was due by {s.liability_due} and has not come"
        )
        return CourtRoute(issue, why, "guide 6.3.1.3, 6.6.3", PD27B_SECTIONS["liability"], True)
    if issue is CourtIssue.VALUE:
        part = s.liability is LiabilityResponse.ADMIT_PART and not s.liability_by_court
        npvc = any(not i.protocol for i in s.losses.items)
        key = "value-liability-disputed" if part else ("value-npvc" if npvc else "value")
        why = "the compensator has made an offer: the court can value the claim"
        if part:
            why += (
                f"; liability, admitted only in part ({s.liability_percent}%), is argued "
                "within this valuation, not at a hearing on liability alone"
            )
        if npvc:
            why += "; the unsettled non-protocol vehicle costs go in the claim"
        ref = "guide 6.5.3.1, 6.6.3" + (", 6.3.1.1" if part else "") + (", 6.6.3.2" if npvc else "")
        return CourtRoute(issue, why, ref, PD27B_SECTIONS[key], True)
    if issue is CourtIssue.INTERIM_PAYMENT:
        stuck = _stuck_interims(s, on)
        unpaid = [i for i in stuck if i.agreed_amount is not None]
        if unpaid:
            amount = format_money(unpaid[0].agreed_amount or ZERO)
            why = (
                f"the compensator agreed an interim payment of {amount} and did not pay it "
                f"within the 15 business days (due by {unpaid[0].due})"
            )
            return CourtRoute(issue, why, INTERIM_REFERENCE, PD27B_SECTIONS["interim-unpaid"], True)
        first = stuck[0]
        if first.answer is InterimAnswer.REFUSE:
            why = f"the compensator refused the interim payment request of {first.requested_on}"
        elif first.answer is InterimAnswer.AGREE_IN_PART:
            why = f"the compensator agreed only part of the interim request of {first.requested_on}"
        else:
            why = f"the interim payment request was due an answer by {first.due} and has none"
        return CourtRoute(
            issue, why, INTERIM_REFERENCE, PD27B_SECTIONS["interim-application"], True
        )
    if issue is CourtIssue.LIMITATION:
        limit = _limitation_date(s)
        why = (
            f"the limitation date ({limit}) is {(limit - on).days if limit else 0} days away: "
            "start proceedings to protect it; the court stays them while the claim goes on in "
            "the portal"
        )
        return CourtRoute(
            issue, why, LIMITATION_COURT_REFERENCE, PD27B_SECTIONS["limitation"], False
        )
    if issue is CourtIssue.UNPAID_SETTLEMENT:
        balance = _settlement_balance(s)
        owed = "the settlement" if balance is None else f"a balance of {format_money(balance)}"
        why = (
            f"the settlement was due by {s.payment_due} and {owed} is unpaid: ask the court to "
            "order it paid; the settlement stands"
        )
        return CourtRoute(issue, why, UNPAID_REFERENCE, PD27B_SECTIONS["unpaid-settlement"], True)
    why = (
        "the compensator rejected the claimant's counter offer on fees: the fees go to court "
        "on their own; the damages settlement stands and is paid regardless"
    )
    return CourtRoute(issue, why, FEES_COURT_REFERENCE, PD27B_SECTIONS["fees"], True)


def _court_routes(s: _State, on: date, cal: EnglandWalesCalendar | None) -> tuple[CourtRoute, ...]:
    """Every route to court the rules allow on ``on`` (the go-to-court events apply accepts)."""
    routes = []
    for issue in CourtIssue:
        try:
            _apply(s, ClaimEvent.make(_K.GO_TO_COURT, on, issue=issue), cal)
        except RulesError:
            continue
        routes.append(_route(s, issue, on))
    return tuple(routes)


@exact
def _court_notes(s: _State, on: date) -> tuple[str, ...]:
    """Return what the parties need to know beyond actions and deadlines (court, payment)."""
    out: list[str] = []
    if s.limitation_proceedings_on is not None:
        out.append(
            f"Court proceedings issued on {s.limitation_proceedings_on} protect the limitation "
            "date; the court stays them while the protocol is followed, so the claim goes on "
            "in the portal, and a later court route continues them [guide 6.6.3.1, 6.6.3.3; "
            "PD 27B Section 9]"
        )
    elif s.proceedings_ever and s.closed_because is None and s.exit_reason is None:
        out.append(
            "Court proceedings have been issued for this claim: issuing them stopped the "
            "limitation clock, so no proceedings are needed to protect the limitation date; "
            "a later court route continues them under the same claim number [guide 5.4, "
            "6.6.3.3 (previous claims); Limitation Act 1980 s.11; CPR 7.2]"
        )
    if s.on_hold and s.court_issue is not None:
        out.append(
            f"The claim is on hold while court proceedings on {s.court_issue.value.replace('-', ' ')}"
            " run: nothing progresses on the portal until the claimant enters the court's "
            "determination ('court-determination'); the claim then goes on from the step it "
            "was in, with what the court decided final, or closes if the court found against "
            f"the claimant on liability or valued the claim [{HOLD_REFERENCE}]"
        )
    limit = _limitation_date(s)
    if (
        limit is not None
        and not s.proceedings_ever
        and s.closed_because is None
        and s.exit_reason is None
        and on < _window_opens(limit)
    ):
        out.append(
            f"Limitation date {limit}: from {_window_opens(limit)} the claimant may start "
            f"proceedings to protect it (within {LIMITATION_WINDOW_MONTHS} months of it) "
            f"[{LIMITATION_COURT_REFERENCE}]"
        )
    if s.court_issue is not None and not (s.on_hold or s.proceedings_running):
        first = (
            "no court pack list is needed first (limitation)"
            if s.court_limitation
            else "the court pack list goes to the compensator first"
        )
        out.append(f"Going to court on {s.court_issue.value}: {first} [{COURT_PACK_REFERENCE}]")
    if s.proceedings_running and s.court_issue is not None:
        out.append(
            f"Court proceedings on {s.court_issue.value.replace('-', ' ')} are running; the "
            f"claim stays closed and the settlement stands [{FEES_COURT_REFERENCE}]"
        )
    if s.payment_due is not None and s.paid_on is None and s.settlement_paid > ZERO:
        balance = _settlement_balance(s)
        left = (
            "unknown (the offer gives no breakdown)" if balance is None else format_money(balance)
        )
        out.append(
            f"Settlement paid in part: {format_money(s.settlement_paid)} paid, balance {left} "
            f"due by {s.payment_due} [{PAYMENT_REFERENCE}]"
        )
    out.extend(
        f"The court has decided the {issue.value.replace('-', ' ')} question: final, not "
        f"reopened on the portal [{FINAL_REFERENCE}]"
        for issue in sorted(s.decided, key=lambda i: i.value)
    )
    return tuple(out)


@final
@frozen
class PartyNextSteps:
    """One party's next steps on a date: what it may do, and its running deadlines.

    ``actions`` are :class:`ClaimEventKind` slugs; ``deadlines`` every deadline this
    party must meet that is still open (overdue ones first), each with its due date and
    reference.
    """

    party: Party
    actions: tuple[str, ...]
    deadlines: tuple[Deadline, ...]

    def to_dict(self, on: date, calendar: EnglandWalesCalendar | None = None) -> dict[str, Any]:
        """Return JSON-ready data."""
        return {
            "party": self.party.value,
            "actions": list(self.actions),
            "deadlines": [d.to_dict(on, calendar) for d in self.deadlines],
        }


_NEXT_HEADERS: Final = ("party", "deadline", "due", "days left", "status", "reference")


@final
@frozen
class ClaimNextSteps:
    """Where a claim stands on a date and what each side may do next (guide 6.1 to 6.6).

    ``deadlines`` every open deadline (overdue first, then by due date); ``parties`` the
    claimant's and the compensator's :class:`PartyNextSteps`; ``overdue`` the deadlines
    past due, and those met late (guide 6.3.1 gives each period; one met after it is late).
    ``routes`` every route to court open that day (:class:`CourtRoute`: why, and its PD 27B
    section and court pack table); ``notes`` what else the parties need to know (court
    proceedings running or stayed, a settlement paid in part, questions the court decided).
    The ``notes`` also say what the claim's situation means: who arranges the first medical report,
    a prognosis over 24 months, the claimant's routes in an injury-causation dispute, and
    after an exit or a withdrawal what happens next and which rules now govern; each
    ends with its reference.
    """

    on: date
    step: Step
    deadlines: tuple[Deadline, ...]
    overdue: tuple[Deadline, ...]
    parties: tuple[PartyNextSteps, ...]
    calendar: EnglandWalesCalendar | None = None
    routes: tuple[CourtRoute, ...] = ()
    notes: tuple[str, ...] = ()

    def of(self, party: Party) -> PartyNextSteps:
        """Return ``party``'s next steps."""
        return next(p for p in self.parties if p.party is party)

    def _rows(self) -> list[list[Any]]:
        return [
            [
                d.party.value,
                d.name,
                d.due,
                d.days_left(self.on, self.calendar),
                d.status(self.on),
                d.reference,
            ]
            for d in self.deadlines
        ]

    def _title(self) -> str:
        return f"Next steps on {self.on} (step: {self.step.value})"

    def _may(self) -> list[str]:
        return [
            f"{p.party.value} may: " + (", ".join(p.actions) or "nothing on the portal")
            for p in self.parties
        ]

    def _court(self) -> list[str]:
        return [f"route to court: {r}" for r in self.routes] + [f"Note: {n}" for n in self.notes]

    def __str__(self) -> str:
        parts = [text_table(_NEXT_HEADERS, self._rows(), title=self._title())]
        parts.extend(self._may())
        parts.extend(self._court())
        return "\n".join(parts)

    @exact
    def to_frame(self) -> Any:
        """Return the open deadlines as a pandas DataFrame (the ``batch`` extra).

        A row per deadline: party, deadline, due date, days left, status (``overdue`` past
        its due date), reference; as the view shows them.

        >>> from datetime import date
        >>> from rtaprotocol import ClaimFacts
        >>> claim = Claim().submit(
        ...     ClaimFacts(accident_date=date(2023, 3, 1), entry_date=date(2023, 5, 2)),
        ...     on=date(2023, 5, 2), whiplash=True)
        >>> claim.next_steps(date(2023, 6, 16)).to_frame()[["deadline", "status"]].iloc[0].tolist()
        ['liability response', 'overdue']
        """
        return frame(_NEXT_HEADERS, self._rows())

    def _repr_html_(self) -> str:
        """Render where the claim stands first, then the deadlines and what each side may do."""
        outcome: Literal["info"] | bool = False if self.overdue else "info"
        return (
            html_verdict(self._title(), outcome)
            + html_table(_NEXT_HEADERS, self._rows(), caption="Open deadlines")
            + html_lines(self._may())
            + (html_lines(self._court()) if self.routes or self.notes else "")
        )

    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data."""
        return {
            "on": jsonable(self.on),
            "step": self.step.value,
            "deadlines": [d.to_dict(self.on, self.calendar) for d in self.deadlines],
            "overdue": [d.to_dict(self.on, self.calendar) for d in self.overdue],
            "parties": {p.party.value: p.to_dict(self.on, self.calendar) for p in self.parties},
            "court_routes": [r.to_dict() for r in self.routes],
            "notes": list(self.notes),
        }


def _describe(e: ClaimEvent) -> str:
    words = e.kind.value.replace("-", " ")
    details = []
    for name, value in e.fields:
        if name in ("facts", "party"):
            continue
        if isinstance(value, ListOfLosses):
            details.append(f"List of Losses of {len(value.items)} items")
        elif name == "added_losses":
            details.append(f"{len(value)} losses added")
        elif name == "cru":
            details.append(f"CRU certificate {format_money(value.total)}")
        elif isinstance(value, Decimal):
            details.append(
                f"{name} {format_money(value) if 'percent' not in name else str(value) + '%'}"
            )
        elif isinstance(value, tuple):
            details.append(f"{name} " + ", ".join(format_money(v) for v in value))
        elif isinstance(value, bool):
            if value:
                details.append(name.replace("_", " "))
        else:
            details.append(f"{name} {jsonable(value)}")
    return words + (f" ({'; '.join(details)})" if details else "")


@final
@frozen
class ClaimExplanation:
    """The whole story of a claim: every event with who acted, and where it stands now.

    ``str()`` is plain text, ``_repr_html_()`` an HTML table for notebooks, ``to_dict()``
    JSON-ready data.
    """

    claim: Claim

    def _rows(self) -> list[list[Any]]:
        return [[e.on, e.party.value, _describe(e)] for e in self.claim.history]

    def _summary(self) -> list[str]:
        c = self.claim
        lines = [f"Step: {c.step.value}"]
        if c.closed_because is not None:
            lines.append(f"Closed: {c.closed_because} [{CLOSED_REFERENCE}]")
        if c.exit_reason is not None:
            lines.append(
                f"Left the portal: {c.exit_reason.description} [{c.exit_reason.reference}]"
            )
        if c.on_hold:
            lines.append(f"On hold: court proceedings are running [{HOLD_REFERENCE}]")
        s = c._state
        if s.liability_by_court:
            lines.append(
                "Liability: the court determined the defendant's share at "
                f"{s.liability_percent}% [{HOLD_REFERENCE}]"
            )
        elif s.liability is not None:
            pct = "" if s.liability_percent is None else f" ({s.liability_percent}% admitted)"
            lines.append(f"Liability: {s.liability.value}{pct} [{LIABILITY_REFERENCE}]")
        if s.court_finding_for_claimant:
            lines.append(f"The court found for the claimant [{HOLD_REFERENCE}]")
        if s.causation != "n/a":
            lines.append(f"Injury causation: {s.causation} [{DISPUTE_REFERENCE}]")
        if s.unreliable_reports:
            lines.append(
                f"{s.unreliable_reports} further report(s) requested without a justification: "
                f"not relied on, fee not recoverable [{FURTHER_FEE_REFERENCE}]"
            )
        if c.limitation_deadline is not None:
            lines.append(f"Limitation deadline: {c.limitation_deadline} [{LIMITATION_REFERENCE}]")
        if s.limitation_proceedings_on is not None:
            lines.append(
                f"Proceedings issued on {s.limitation_proceedings_on} to protect the limitation "
                f"date: stayed while the claim goes on in the portal [{LIMITATION_COURT_REFERENCE}]"
            )
        if s.payment_due is not None and s.settlement_paid > ZERO and s.paid_on is None:
            balance = c.settlement_balance
            left = "unknown" if balance is None else format_money(balance)
            lines.append(
                f"Settlement paid in part: {format_money(s.settlement_paid)}, balance {left} "
                f"[{PAYMENT_REFERENCE}]"
            )
        lines.extend(
            f"Decided by the court: {i.value.replace('-', ' ')} (final) [{FINAL_REFERENCE}]"
            for i in sorted(s.decided, key=lambda i: i.value)
        )
        lines.extend(_summary_notes(s))
        return lines

    def __str__(self) -> str:
        return "\n".join(
            [*self._summary(), "", text_table(["on", "by", "event"], self._rows(), title="History")]
        )

    def _repr_html_(self) -> str:
        """Render where the claim stands first, then the history, for notebooks."""
        summary = self._summary()
        return (
            html_verdict(summary[0], "info")
            + html_lines(summary[1:])
            + html_table(["on", "by", "event"], self._rows(), caption="History")
        )

    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data: the summary lines, the state and the history."""
        return {
            "summary": self._summary(),
            "events": [
                {
                    "on": jsonable(e.on),
                    "by": e.party.value,
                    "event": _describe(e),
                    "data": e.to_dict(),
                }
                for e in self.claim.history
            ],
            "claim": self.claim.to_dict(),
        }


_EMPTY: Final = _State()


@final
@frozen(repr=False)
class Claim:
    """A portal claim, event by event (guide 6.1 to 6.6).

    ``Claim()`` starts empty; the first event is ``submitted`` (see :meth:`submit`).
    ``calendar`` (default ``None``: England & Wales bank holidays as shipped) counts the
    business days of every deadline. Two claims are equal when they hold the same events
    under the same calendar; the state is a function of those, so
    ``Claim.replay(c.history, calendar=c.calendar) == c``.

    >>> from datetime import date
    >>> from rtaprotocol.eligibility import ClaimFacts
    >>> facts = ClaimFacts(accident_date=date(2023, 3, 1), entry_date=date(2023, 5, 2))
    >>> c = Claim().submit(facts, on=date(2023, 5, 2), whiplash=True)
    >>> c.act("liability-challenge", on=date(2023, 5, 3), percent=100)
    Traceback (most recent call last):
    ...
    rtaprotocol.errors.ProtocolViolation: only a part-admission of liability can be challenged with a proposed share [guide 6.3.1.1]
    """

    calendar: EnglandWalesCalendar | None = field(default=None, converter=_calendar)
    _history: Vec[ClaimEvent] = field(init=False, default=_NOTHING)
    _state: _State = field(init=False, default=_EMPTY, eq=False)
    # Event id -> [(position, event)], shared by the versions of one line of claims: an
    # entry holds for a version whose history has that very event at that position.
    _ids: dict[str, list[tuple[int, ClaimEvent]]] = field(
        init=False, factory=dict, eq=False, repr=False
    )

    # --- building -------------------------------------------------------------------------

    def apply(
        self,
        event: ClaimEvent | Mapping[str, Any],
        *,
        expected_version: int | None = None,
        today: date | None = None,
    ) -> Claim:
        """Return the claim after one more event (a :class:`ClaimEvent` or its dict).

        ``expected_version`` (optional): the :attr:`version` the caller read the claim at;
        if the claim holds another number of events, another writer appended first and
        :class:`~rtaprotocol.errors.ConcurrencyError` is raised (nothing is applied).
        An event with an ``event_id`` already in the history is a retry: with the same
        kind, date and fields it is a no-op that returns this claim unchanged (whatever
        ``expected_version`` says, so a retry after a lost reply succeeds); with other
        content it is refused. See docs/claim.md, "Versions and event ids".

        ``today`` (optional) is the date the caller stands on: an event dated after it is
        refused, so that a mistyped year cannot record an action in the future and freeze
        a live claim (every later action would have to be dated after it). Without it,
        any supported date is accepted.

        >>> Claim().apply({"kind": "proceed-to-medical", "on": "2023-05-02"})
        Traceback (most recent call last):
        ...
        rtaprotocol.errors.ProtocolViolation: the claim has not been submitted yet: got 'proceed-to-medical' [guide 6.2.1.3, 6.3.1]
        >>> Claim().apply({"kind": "proceed-to-medical", "on": "2023-05-02"}, expected_version=1)
        Traceback (most recent call last):
        ...
        rtaprotocol.errors.ConcurrencyError: expected_version: the claim is at version 0 (0 events applied), not the expected version 1: another writer appended first; reload it and decide again: got 1 [rtaprotocol claim versions (optimistic concurrency, docs/claim.md)]
        >>> from datetime import date
        >>> Claim().apply({"kind": "submitted", "on": "2033-05-02", "whiplash": True,
        ...                "facts": {"accident_date": "2023-03-01", "entry_date": "2023-05-02"}},
        ...               today=date(2023, 5, 2))
        Traceback (most recent call last):
        ...
        rtaprotocol.errors.RulesError: on: the action is dated after today (2023-05-02): got datetime.date(2033, 5, 2) [an action is recorded on or before the date the caller stands on (guide 6.1)]
        """
        if not isinstance(event, ClaimEvent):
            event = ClaimEvent.from_dict(event)
        _check_today(event, today)
        expected = None if expected_version is None else _version_number(expected_version)
        if event.event_id is not None and self._seen_before(event) is not None:
            return self
        if expected is not None and expected != len(self._history):
            raise ConcurrencyError(expected=expected, current=len(self._history))
        state = _apply(self._state, event, self.calendar)
        return self._made(self._history.append(event), state, self._ids, event)

    def _made(
        self,
        history: Vec[ClaimEvent],
        state: _State,
        ids: dict[str, list[tuple[int, ClaimEvent]]],
        added: ClaimEvent | None = None,
    ) -> Claim:
        """Return a claim of this calendar with ``history`` and its ``state``."""
        new = Claim(calendar=self.calendar)
        if added is not None and added.event_id is not None:
            ids.setdefault(added.event_id, []).append((len(history) - 1, added))
        # attrs' documented way to set fields of a frozen instance it has just made.
        object.__setattr__(new, "_history", history)
        object.__setattr__(new, "_state", state)
        object.__setattr__(new, "_ids", ids)
        return new

    def _seen_before(self, event: ClaimEvent) -> ClaimEvent | None:
        """Return the earlier event with ``event``'s id if it is the same; refuse another."""
        history = self._history
        earlier = None
        for at, recorded in reversed(self._ids.get(event.event_id or "", ())):
            if at < len(history) and history[at] is recorded:
                earlier = recorded
                break
        return earlier if _repeats(earlier, event, "event_id") else None

    def act(
        self,
        kind: ClaimEventKind | str,
        *,
        on: date,
        event_id: str | None = None,
        expected_version: int | None = None,
        today: date | None = None,
        **fields: Any,
    ) -> Claim:
        """Apply an event of ``kind`` on ``on`` with ``fields`` (see :class:`ClaimEvent`).

        ``event_id``, ``expected_version`` and ``today`` work as in :meth:`apply`.

        >>> from datetime import date
        >>> Claim().act("denial-accepted", on=date(2023, 5, 2)).step
        Traceback (most recent call last):
        ...
        rtaprotocol.errors.ProtocolViolation: the claim has not been submitted yet: got 'denial-accepted' [guide 6.2.1.3, 6.3.1]
        """
        return self.apply(
            ClaimEvent.make(kind, on, event_id=event_id, **fields),
            expected_version=expected_version,
            today=today,
        )

    def submit(
        self,
        facts: ClaimFacts,
        *,
        on: date,
        whiplash: bool,
        compensator: Compensator | str = Compensator.INSURER,
    ) -> Claim:
        """Submit the claim with its Statement of Truth (guide 6.2.1.3, 6.3.1).

        Eligibility is checked (a claim that fails a criterion is refused with the
        criterion's rule); the liability response falls due in 30 business days, or 40
        where the compensator is the MIB or its agents.

        >>> from datetime import date
        >>> from rtaprotocol.eligibility import ClaimFacts
        >>> facts = ClaimFacts(accident_date=date(2023, 3, 1), entry_date=date(2023, 5, 2))
        >>> c = Claim().submit(facts, on=date(2023, 5, 2), whiplash=True, compensator="mib")
        >>> [d.due for d in c.deadlines(date(2023, 5, 2)) if d.period]
        [datetime.date(2023, 6, 29)]
        """
        return self.act(
            _K.SUBMITTED, on=on, facts=facts, whiplash=whiplash, compensator=compensator
        )

    @classmethod
    def replay(
        cls,
        events: Iterable[ClaimEvent | Mapping[str, Any]] | str | bytes,
        *,
        calendar: EnglandWalesCalendar | None = None,
        today: date | None = None,
    ) -> Claim:
        """Rebuild a claim from its events: :class:`ClaimEvent`, their dicts, or a JSON list.

        ``today``: as for :meth:`apply`, for every event (the error names its position).

        JSON text (``str`` or ``bytes``) is read by :func:`rtaprotocol.json.loads`: bounded,
        exact numbers, a duplicated key or NaN refused with
        :class:`~rtaprotocol.errors.InvalidJSON`.

        A dict that is not a valid event raises :class:`~rtaprotocol.errors.RulesError`
        naming its position (``events[2].percent``); several problems, in one event or
        across them, raise :class:`~rtaprotocol.errors.InputError` listing every one
        before any event is applied; an event the protocol forbids raises
        :class:`~rtaprotocol.errors.ProtocolViolation`. Event ids are read as
        :meth:`apply` reads them: a repeat of an earlier event (same id, same content) is
        skipped, the same id with other content is refused.

        >>> Claim.replay('[{"kind": "submitted", "on": "2023-05-02"}]')
        Traceback (most recent call last):
        ...
        rtaprotocol.errors.InputError: 2 problems in the input:
          events[0].facts: a submitted event needs this field [portal claim events (guide 6.1 to 6.6)]
          events[0].whiplash: a submitted event needs this field [portal claim events (guide 6.1 to 6.6)]
        """
        if isinstance(events, str | bytes | bytearray):  # JSON text: the one safe reader
            events = json_loads(events)
        if isinstance(events, Mapping) or not isinstance(events, Iterable):
            raise RulesTypeError(
                "expected a list of events", value=events, field="events", reference=EVENT_REFERENCE
            )
        if isinstance(events, Sized):  # the shared list bound (MAX_LIST_ITEMS)
            check_size(events, field="events", reference=EVENT_REFERENCE)
        claim = cls(calendar=calendar)
        state = claim._state
        cal = claim.calendar
        recorded: list[ClaimEvent] = []
        ids: dict[str, ClaimEvent] = {}
        positions: dict[str, list[tuple[int, ClaimEvent]]] = {}
        for i, event in enumerate(_read_events(events)):
            try:
                _check_today(event, today)
            except RulesError as err:
                raise _located(err, f"events[{i}]") from None
            try:
                if event.event_id is not None and _repeats(
                    ids.get(event.event_id), event, f"events[{i}].event_id"
                ):
                    continue
                state = _apply(state, event, cal)
            except RulesError as err:
                _in_list(err, i)
                raise
            if event.event_id is not None:
                ids[event.event_id] = event
                positions[event.event_id] = [(len(recorded), event)]
            recorded.append(event)
        return claim._made(Vec.of(recorded), state, positions)

    # --- queries ------------------------------------------------------------------------

    @property
    def history(self) -> tuple[ClaimEvent, ...]:
        """Every event so far, in order (each has ``to_dict()``; the list is JSON-ready)."""
        return self._history.as_tuple()

    @property
    def version(self) -> int:
        """The number of events applied: 0 for a new claim, 1 once submitted.

        Pass it back as ``apply(event, expected_version=...)`` to append only if no other
        writer has appended since (optimistic concurrency; docs/claim.md).

        >>> Claim().version
        0
        """
        return len(self._history)

    @property
    def step(self) -> Step:
        """The portal step, derived from the events (guide 6.1, 6.6.1.1, 6.6.2.1)."""
        s = self._state
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

    @property
    def facts(self) -> ClaimFacts | None:
        """The facts submitted, or ``None`` before submission."""
        return self._state.facts

    @property
    def eligibility(self) -> EligibilityResult | None:
        """The eligibility check made on submission (guide 4.1 to 4.3)."""
        return self._state.eligibility

    @property
    def whiplash(self) -> bool:
        """Whether the claim includes a whiplash injury (CLA 2018 s.6 applies)."""
        return self._state.whiplash

    @property
    def liability(self) -> LiabilityResponse | None:
        """The compensator's latest liability response, or ``None``."""
        return self._state.liability

    @property
    def liability_percent(self) -> Decimal | None:
        """The compensator's admitted (or court-determined) share of liability, in percent."""
        return self._state.liability_percent

    @property
    def causation(self) -> str:
        """Injury causation: ``n/a``, ``disputed``, ``notified`` or ``admitted``.

        ``n/a`` before a liability response; ``notified`` once the dispute notice is given
        (guide 6.5.4); ``admitted`` includes deemed admitted.
        """
        return self._state.causation

    def causation_on(self, on: date) -> str:
        """Return injury causation as at ``on`` (guide 6.5.4).

        Deemed admitted once the 20 business days for a dispute notice have passed
        without one.

        >>> Claim().causation_on(__import__("datetime").date(2023, 5, 2))
        'n/a'
        """
        return _deem_causation(self._state, _action_day(on)).causation

    @property
    def part_admission_challenges(self) -> int:
        """Challenges to a part-admission made so far (at most 3, guide 6.3.1.1)."""
        return self._state.part_challenges

    @property
    def losses(self) -> ListOfLosses:
        """The List of Losses as it stands (items paid on interim are marked paid)."""
        return self._state.losses

    @property
    def general_interim(self) -> Decimal:
        """General interim payments, offset against the final settlement (guide 6.3.1.4)."""
        return self._state.general_interim

    @property
    def negotiation(self) -> Negotiation:
        """The embedded offer negotiation of the current round (guide 6.5.3 to 6.5.6)."""
        return self._state.negotiation

    @property
    def past_negotiations(self) -> tuple[Negotiation, ...]:
        """Negotiations ended by waiting out the prognosis (guide 6.5.3.1)."""
        return self._state.past_negotiations.as_tuple()

    @property
    def unreliable_further_reports(self) -> int:
        """Further reports obtained without one of the four justifications.

        They cannot be relied on and their fee is not recoverable (guide 6.4.2.2, 6.4.2.3).
        """
        return self._state.unreliable_reports

    @property
    def higher_tariff_selected(self) -> bool:
        """Whether the compensator has offered the higher tariff (guide 6.5.3.1)."""
        return self._state.higher_tariff

    @property
    def on_hold(self) -> bool:
        """Whether court proceedings are running (guide 6.6.1.1)."""
        return self._state.on_hold

    @property
    def closed_because(self) -> str | None:
        """Why the claim closed, or ``None`` (guide 6.6.1)."""
        return self._state.closed_because

    @property
    def exit_reason(self) -> ExitReason | None:
        """Why the claim left the portal, or ``None`` (guide 6.6.2.1)."""
        return self._state.exit_reason

    @property
    def court_value(self) -> Decimal | None:
        """The sum the court awarded, when it valued the claim."""
        return self._state.court_value

    @property
    def settlement_paid(self) -> Decimal:
        """What the compensator has paid against the accepted settlement (guide 6.6.2)."""
        return self._state.settlement_paid

    @property
    def settlement_balance(self) -> Decimal | None:
        """What is still owed on the accepted settlement (guide 6.6.2).

        ``None`` before a settlement, or when the accepted offer gives no breakdown to work
        the sum out from; ``0`` once paid in full. A partial payment leaves the rest owed,
        due by the same date, and the claimant may go to court for it once that date passes.

        >>> Claim().settlement_balance is None
        True
        """
        return _settlement_balance(self._state)

    @property
    def limitation_proceedings_on(self) -> date | None:
        """When proceedings were issued to protect the limitation date (PD 27B Section 9).

        They are stayed while the protocol is followed: the claim goes on in the portal.
        """
        return self._state.limitation_proceedings_on

    @property
    def decided_in_court(self) -> frozenset[CourtIssue]:
        """The questions the court has decided: final, never reopened (guide 6.6.1.1)."""
        return self._state.decided

    def court_routes(self, on: date) -> tuple[CourtRoute, ...]:
        """Return every route to court open on ``on``, each with its PD 27B section.

        The same routes ``allowed_actions`` offers as ``go-to-court`` (one per issue the
        rules accept that day), each saying why and which PD 27B section and court pack
        table govern it.

        >>> Claim().court_routes(__import__("datetime").date(2023, 5, 2))
        ()
        """
        day = _action_day(on)
        if self._state.submitted_on is None:
            return ()
        return _court_routes(self._state, day, self.calendar)

    @property
    def withdrawn_on(self) -> date | None:
        """When the claimant withdrew the claim from the portal, or ``None`` (guide 6.1)."""
        return self._state.withdrawn_on

    @property
    def prognosis_months(self) -> int | None:
        """The prognosis of the latest medical report that gave one, in months (guide 6.4.2)."""
        return self._state.prognosis_months

    @property
    def long_prognosis(self) -> bool:
        """Whether the latest prognosis is over 24 months (guide 6.4.2, 6.4.2.2; CLA 2018 s.3)."""
        months = self._state.prognosis_months
        return months is not None and months > LONG_PROGNOSIS_MONTHS

    @property
    def whiplash_agreed(self) -> bool | None:
        """``True``/``False`` once both sides' offers agree there is (is not) a whiplash injury.

        ``None`` until they agree; after that neither reopens it (guide 6.5.3.1).
        """
        return self._state.whiplash_agreed

    @property
    def own_further_reports(self) -> int:
        """Further reports the claimant obtained without the compensator (guide 6.4.2.2)."""
        return self._state.own_reports

    @property
    def represented(self) -> bool | None:
        """Whether the claimant is represented, from the facts (``None``: not stated).

        Decides who arranges and pays the first medical report (guide 5.3.1, 6.4.1).
        """
        f = self._state.facts
        return None if f is None else f.represented

    @property
    def limitation_deadline(self) -> date | None:
        """The last day to issue court proceedings (guide 5.4, 6.6.3.1).

        ``None`` before submission. Entering the claim on the portal does not stop the
        clock.
        """
        f = self._state.facts
        if f is None:
            return None
        return limitation_deadline(f.accident_date, date_of_birth=f.date_of_birth)

    def _query_day(self, on: date) -> date:
        """Return the date a query asks about: covered, and not before the last event.

        The claim's state is as of its last event; a date before it would answer with
        deadlines already met shown as running (guide 6.3.1). Every query that takes a date
        (``deadlines``, ``overdue``, ``allowed_actions``, ``next_steps``) refuses it alike.
        """
        day = _action_day(on)
        last = self._state.last_on
        if last is not None and day < last:
            raise RulesError(
                f"a date before the previous action ({last})",
                value=on,
                field="on",
                reference=ORDER_REFERENCE,
            )
        return day

    def deadlines(self, on: date | None = None) -> tuple[Deadline, ...]:
        """Every deadline: those met (on time or late) and those still open.

        With ``on``, the deadlines open on that date come first, sorted by due date.
        """
        s = self._state
        day = s.last_on if on is None else self._query_day(on)
        open_ = self._open_deadlines()
        if day is not None:
            open_ = tuple(sorted(open_, key=lambda d: (d.due, d.name)))
        return (*open_, *s.met)

    def _open_deadlines(self) -> tuple[Deadline, ...]:
        s = self._state
        out: list[Deadline] = []
        if s.submitted_on is None:
            return ()
        live = s.exit_reason is None and s.closed_because is None and not s.on_hold
        live = live and s.withdrawn_on is None
        if live and s.liability_first_on is None and s.liability_due is not None:
            period = (
                Period.LIABILITY_RESPONSE_MIB
                if s.compensator is Compensator.MIB
                else Period.LIABILITY_RESPONSE
            )
            out.append(
                Deadline(
                    name="liability response",
                    party=Party.COMPENSATOR,
                    period=period,
                    started_on=s.submitted_on,
                    due=s.liability_due,
                    reference=period.reference,
                )
            )
        if live:
            out.extend(
                Deadline(
                    name="interim payment response",
                    party=Party.COMPENSATOR,
                    period=Period.INTERIM_PAYMENT_RESPONSE,
                    started_on=i.requested_on,
                    due=i.due,
                    reference=Period.INTERIM_PAYMENT_RESPONSE.reference,
                )
                for i in s.interims
                if i.answered_on is None and not i.to_court
            )
            out.extend(
                Deadline(
                    name="payment of the agreed interim payment",
                    party=Party.COMPENSATOR,
                    period=Period.INTERIM_PAYMENT_RESPONSE,
                    started_on=i.requested_on,
                    due=i.due,
                    reference=INTERIM_REFERENCE,
                )
                for i in s.interims
                if i.agreed_amount is not None and i.paid_on is None and not i.to_court
            )
        if live and s.further_instructions_due is not None and s.further_instructions_on is None:
            assert s.further_acknowledged_on is not None
            out.append(
                Deadline(
                    name="further medical report instructions",
                    party=Party.COMPENSATOR,
                    period=Period.FURTHER_MEDICAL_INSTRUCTIONS,
                    started_on=s.further_acknowledged_on,
                    due=s.further_instructions_due,
                    reference=Period.FURTHER_MEDICAL_INSTRUCTIONS.reference,
                )
            )
        if (
            live
            and s.offer_due is not None
            and s.offer_requested_on is not None
            and not s.negotiation.offers(Party.COMPENSATOR)
        ):
            out.append(
                Deadline(
                    name="compensator's offer",
                    party=Party.COMPENSATOR,
                    period=Period.OFFER,
                    started_on=s.offer_requested_on,
                    due=s.offer_due,
                    reference=Period.OFFER.reference,
                )
            )
        if live and s.causation == "disputed" and s.dispute_due is not None:
            assert s.offer_requested_on is not None
            out.append(
                Deadline(
                    name="notice disputing the injury",
                    party=Party.COMPENSATOR,
                    period=Period.INJURY_DISPUTE,
                    started_on=s.offer_requested_on,
                    due=s.dispute_due,
                    reference=Period.INJURY_DISPUTE.reference,
                    on_expiry="causation deemed admitted",
                )
            )
        if s.payment_due is not None and s.paid_on is None and s.exit_reason is None:
            assert s.closed_on is not None
            assert s.payment_period is not None
            out.append(
                Deadline(
                    name="payment of the settlement",
                    party=Party.COMPENSATOR,
                    period=s.payment_period,
                    started_on=s.closed_on,
                    due=s.payment_due,
                    reference=s.payment_period.reference,
                )
            )
        limit = self.limitation_deadline
        if limit is not None and s.closed_because is None and not s.proceedings_ever:
            out.append(
                Deadline(
                    name="limitation: issue court proceedings",
                    party=Party.CLAIMANT,
                    period=None,
                    started_on=s.facts.accident_date if s.facts else s.submitted_on,
                    due=limit,
                    reference=LIMITATION_REFERENCE,
                )
            )
        return tuple(out)

    def overdue(self, on: date) -> tuple[Deadline, ...]:
        """Deadlines past due on ``on`` and not met, then those met late (guide 6.3.1).

        >>> from datetime import date
        >>> from rtaprotocol.eligibility import ClaimFacts
        >>> facts = ClaimFacts(accident_date=date(2023, 3, 1), entry_date=date(2023, 5, 2))
        >>> c = Claim().submit(facts, on=date(2023, 5, 2), whiplash=True)
        >>> [(d.name, d.due) for d in c.overdue(date(2023, 6, 16))]
        [('liability response', datetime.date(2023, 6, 15))]
        """
        day = self._query_day(on)
        open_ = [d for d in self._open_deadlines() if d.status(day) == "overdue"]
        late = [d for d in self._state.met if d.late and d.met_on is not None and d.met_on <= day]
        return tuple(sorted(open_, key=lambda d: d.due)) + tuple(late)

    def open_deadlines(self, on: date | None = None) -> tuple[Deadline, ...]:
        """Every deadline not yet met, by due date then name (guide 6.3.1, 6.4, 6.5).

        The rows a backend indexes to find what is overdue across all its claims without
        replaying them: a deadline leaves the list when the event that meets it is applied
        (a deadline met late leaves it too, and stays in :meth:`deadlines`). Each says its
        ``status`` on any date: running, overdue, or expired where missing it has a
        consequence of its own. ``on`` (optional) is checked like every query's date
        (covered, not before the last event); the list is the same on any such date. A
        claim withdrawn from the portal keeps one: limitation, which runs whatever the
        portal does (guide 5.4, 6.6.3.1).

        >>> from datetime import date
        >>> from rtaprotocol.eligibility import ClaimFacts
        >>> facts = ClaimFacts(accident_date=date(2023, 3, 1), entry_date=date(2023, 5, 2))
        >>> c = Claim().submit(facts, on=date(2023, 5, 2), whiplash=True)
        >>> [(d.name, d.due.isoformat()) for d in c.open_deadlines()]
        [('liability response', '2023-06-15'), ('limitation: issue court proceedings', '2026-03-01')]
        >>> [d.name for d in c.act("claim-withdrawn", on=date(2023, 5, 3)).open_deadlines()]
        ['limitation: issue court proceedings']
        >>> Claim().open_deadlines()
        ()
        """
        if on is not None:
            self._query_day(on)
        return tuple(sorted(self._open_deadlines(), key=lambda d: (d.due, d.name)))

    def allowed_actions(self, on: date) -> dict[Party, tuple[str, ...]]:
        """Return, for each party, the event kinds it may record on ``on``.

        Each kind is tried against the rules, so the answer always agrees with what
        :meth:`apply` does. Before submission the claimant may only submit.

        >>> from datetime import date
        >>> from rtaprotocol.eligibility import ClaimFacts
        >>> facts = ClaimFacts(accident_date=date(2023, 3, 1), entry_date=date(2023, 5, 2))
        >>> c = Claim().submit(facts, on=date(2023, 5, 2), whiplash=True)
        >>> c.allowed_actions(date(2023, 5, 3))[Party.COMPENSATOR]
        ('liability-response', 'voluntary-interim-payment', 'portal-exit')
        """
        day = self._query_day(on)
        s = self._state
        if s.submitted_on is None:
            return {Party.CLAIMANT: (_K.SUBMITTED.value,), Party.COMPENSATOR: ()}
        return _allowed(s, day, self.calendar)

    def next_steps(self, on: date) -> ClaimNextSteps:
        """Return, for each party, what it may do on ``on`` and its open deadlines.

        Overdue deadlines come first; each deadline has its due date, business days left
        (calendar days for limitation) and reference.

        >>> from datetime import date
        >>> from rtaprotocol.eligibility import ClaimFacts
        >>> facts = ClaimFacts(accident_date=date(2023, 3, 1), entry_date=date(2023, 5, 2))
        >>> c = Claim().submit(facts, on=date(2023, 5, 2), whiplash=True)
        >>> n = c.next_steps(date(2023, 6, 16))
        >>> [(d.name, d.status(n.on)) for d in n.deadlines]
        [('liability response', 'overdue'), ('limitation: issue court proceedings', 'running')]
        """
        day = self._query_day(on)
        allowed = self.allowed_actions(day)
        open_ = self._open_deadlines()
        order = {"overdue": 0, "expired": 1, "running": 2}
        ranked = tuple(sorted(open_, key=lambda d: (order.get(d.status(day), 3), d.due, d.name)))
        parties = tuple(
            PartyNextSteps(
                party=p, actions=allowed[p], deadlines=tuple(d for d in ranked if d.party is p)
            )
            for p in Party
        )
        return ClaimNextSteps(
            on=day,
            step=self.step,
            deadlines=ranked,
            overdue=self.overdue(day),
            parties=parties,
            calendar=self.calendar,
            routes=_court_routes(self._state, day, self.calendar),
            notes=_claim_notes(self._state, day) + _court_notes(self._state, day),
        )

    def payment(
        self,
        offer: int | None = None,
        *,
        party: Party | str | None = None,
        negotiation: int | None = None,
    ) -> LossesPayment:
        """Return what the settled offer (else the compensator's latest) pays (guide 6.5.2).

        ``offer``: any other offer, by its number on the portal (1 to 3 for each party,
        guide 6.5.5.1), the compensator's unless ``party`` says otherwise. A replacement
        for an offer withdrawn before it was rejected keeps the withdrawn offer's number;
        ``offer=N`` is then the last offer made under that number. ``party`` alone: that
        party's latest offer. ``negotiation``: which offer process, numbered from 1 in
        order; the current one (the default) is ``len(claim.past_negotiations) + 1``. The
        offer process starts over when waiting out the prognosis ends in a further report
        or further losses (guide 6.5.3.1); an offer of an earlier process is paid out
        against the claim as it stood when that process ended (its List of Losses,
        liability and interim payments then). A number with no offer is refused with
        :class:`~rtaprotocol.errors.ProtocolViolation`.

        The offer's ``injury`` sum is the injury head and its ``items`` value each item
        of the List of Losses in order; the claimant's share of liability is 100 minus
        the share the offer was made on: its ``liability_percent`` when liability was
        negotiated at the offer stage (guide 6.3.1.1), else the compensator's admitted (or
        court-determined) share, as ``liability_basis`` says; the seatbelt reduction
        and the CRU certificate come from the offer; items paid on interim have that
        payment deducted from their head, and general interim payments come off the total
        (guide 6.3.1.4). CRU is set off item by item by Sch 2 head
        (:func:`~rtaprotocol.losses.compute_payment_for_losses`).

        Asked before any offer, it refuses with the code ``reference.not-found`` (an offer
        that does not exist), not a generic ``value.invalid``:

        >>> Claim().payment()
        Traceback (most recent call last):
        ...
        rtaprotocol.errors.ProtocolViolation: there is no compensator offer to pay out [guide 6.5.2]
        """
        if offer is None and party is None and negotiation is None:
            return _payment(self._state)
        state, process = self._offer_process(negotiation)
        past = process <= len(self._state.past_negotiations)
        target = _numbered_offer(state, offer, party, process if past else None)
        return _offer_payment(state, _offer_event_of(state, target))

    def _offer_process(self, negotiation: int | None) -> tuple[_State, int]:
        """Return the state in which offer process ``negotiation`` is the current one."""
        current = len(self._state.past_negotiations) + 1
        if negotiation is None:
            return self._state, current
        n = check_int(negotiation, field="negotiation", reference=PROGNOSIS_REFERENCE)
        if not 1 <= n <= current:
            raise ProtocolViolation(
                f"the claim has had {current} offer process{'es' if current > 1 else ''}, "
                "numbered from 1; a new one starts when waiting out the prognosis ends in a "
                "further report or further losses",
                value=negotiation,
                field="negotiation",
                reference=PROGNOSIS_REFERENCE,
            )
        if n == current:
            return self._state, current
        # Replay to the event that closed process n: the state just before it.
        # (n < current, so some event closed it.)
        state = _EMPTY
        for event in self._history:
            after = _apply(state, event, self.calendar)
            if len(after.past_negotiations) == n:
                break
            state = after
        return state, n

    def report(self, on: date, *, injuries: Injuries | None = None) -> ClaimReport:
        """Return the whole report on ``on``: what ``rtaprotocol assess`` prints, as a value.

        Eligibility with every criterion (guide 4.1, 4.2), the injury valuation of
        ``injuries`` (tariff, JCG brackets, mixed award; see
        :class:`~rtaprotocol.report.Injuries`), the payment breakdown of the settled or
        latest compensator offer (guide 6.5.2), the negotiation, every deadline (overdue
        first) and what each side may do next (guide 6.1 to 6.6), limitation (guide 5.4)
        and the history. ``str()`` is the text report, ``_repr_html_()`` the notebook view,
        ``to_dict()`` the same as data. A date before the last event is refused, as by
        :meth:`next_steps`; so is a claim not yet submitted.

        >>> from datetime import date
        >>> from rtaprotocol.eligibility import ClaimFacts
        >>> facts = ClaimFacts(accident_date=date(2023, 3, 1), entry_date=date(2023, 5, 2))
        >>> c = Claim().submit(facts, on=date(2023, 5, 2), whiplash=True)
        >>> r = c.report(date(2023, 6, 16))
        >>> r.to_dict()["next_steps"]["overdue"][0]["name"]
        'liability response'
        >>> str(r).splitlines()[0]
        'Claim assessed as at 2023-06-16: step investigation'
        >>> Claim().report(date(2023, 6, 16))
        Traceback (most recent call last):
        ...
        rtaprotocol.errors.RulesError: the claim has not been submitted: there is nothing to report yet: got 'start' [guide 6.2.1.3, 6.3.1]
        """
        from rtaprotocol.report import claim_report

        return claim_report(self, on, injuries)

    def explain(self) -> ClaimExplanation:
        """Return the whole story: text (``str``), HTML (``_repr_html_``), JSON (``to_dict``).

        >>> print(Claim().explain())
        Step: start
        <BLANKLINE>
        History
        on | by | event
        ---+----+------
        """
        return ClaimExplanation(self)

    # --- rendering ------------------------------------------------------------------------

    def __repr__(self) -> str:
        return f"<Claim: {self.step.value}, {len(self._history)} events>"

    def __str__(self) -> str:
        return str(self.explain())

    def _repr_html_(self) -> str:
        """Render the story as HTML, for notebooks."""
        return self.explain()._repr_html_()

    def to_dict(self) -> dict[str, Any]:
        """Return the state and the full history as JSON-ready data.

        >>> Claim().to_dict()["step"]
        'start'
        """
        s = self._state
        cal = self.calendar
        return {
            "step": self.step.value,
            "closed_because": s.closed_because,
            "exit_reason": None if s.exit_reason is None else s.exit_reason.value,
            "on_hold": s.on_hold,
            "whiplash": s.whiplash,
            "liability": None if s.liability is None else s.liability.value,
            "liability_percent": jsonable(s.liability_percent),
            "court_finding_for_claimant": s.court_finding_for_claimant,
            "part_admission_challenges": s.part_challenges,
            "causation": s.causation,
            "losses": s.losses.to_dict(),
            "general_interim": jsonable(s.general_interim),
            "unreliable_further_reports": s.unreliable_reports,
            "higher_tariff_selected": s.higher_tariff,
            "negotiation": s.negotiation.to_dict(),
            "past_negotiations": len(s.past_negotiations),
            "limitation_deadline": jsonable(self.limitation_deadline),
            "deadlines": [d.to_dict() for d in self.deadlines()],
            "extra_holidays": [] if cal is None else jsonable(sorted(cal.extra_holidays)),
            "extra_business_days": [] if cal is None else jsonable(sorted(cal.extra_business_days)),
            "history": [e.to_dict() for e in self._history],
            "represented": self.represented,
            "prognosis_months": s.prognosis_months,
            "long_prognosis": self.long_prognosis,
            "value_flags": list(_value_flags(s)),
            "whiplash_agreed": s.whiplash_agreed,
            "own_further_reports": s.own_reports,
            "own_further_report_fees_not_recoverable": s.own_reports_unjustified,
            "withdrawn_on": jsonable(s.withdrawn_on),
        }

    # --- storing and restoring (issue 24) -----------------------------------------------

    @exact
    def snapshot(self) -> dict[str, Any]:
        """Return the claim as a JSON-ready snapshot: history and state, restored without replay.

        ``{"kind": "rtaprotocol.claim-snapshot", "format": 1, "calendar": ...,
        "history": [...], "state": {...}, "digest": "..."}``: the events (so ``history``,
        ``version`` and event ids keep working), every part of the derived state, and a
        SHA-256 digest of the rest as :func:`rtaprotocol.json.dumps` writes it. Write it
        with ``dumps``; :meth:`from_snapshot` restores a claim equal to the replayed one,
        answering every query the same, without applying the events again.
        See docs/claim.md, "Snapshots".

        >>> from rtaprotocol.json import dumps, loads
        >>> s = Claim().snapshot()
        >>> s["format"], s["history"], Claim.from_snapshot(loads(dumps(s))) == Claim()
        (1, [], True)
        """
        from rtaprotocol import _claim_snapshot

        return _claim_snapshot.write(self)

    @classmethod
    @exact
    def from_snapshot(cls, data: Any, *, verify: bool = False) -> Claim:
        """Restore a claim from :meth:`snapshot` data (or its JSON text), without replaying.

        A snapshot of another ``format``, of another kind, with a key missing or unknown, a
        value of the wrong type, or whose ``digest`` does not match its content (changed or
        damaged after it was written) is refused with
        :class:`~rtaprotocol.errors.InputError`, each problem with its JSON pointer
        (``/format``, ``/state/general_interim``). The digest catches accidents and careless
        edits, not a forger who recomputes it: a backend that does not trust its store
        passes ``verify=True``, which also replays the history and refuses a snapshot whose
        state differs (as costly as :meth:`replay`). JSON text goes through
        :func:`rtaprotocol.json.loads`.

        >>> Claim.from_snapshot({"kind": "rtaprotocol.claim-snapshot", "format": 0,
        ...     "calendar": {"extra_holidays": [], "extra_business_days": []},
        ...     "history": [], "state": {}, "digest": ""})
        Traceback (most recent call last):
        ...
        rtaprotocol.errors.InputError: 1 problem in the input:
          format: this version of rtaprotocol reads snapshot format 1 only; restore the claim by replaying the snapshot's history (Claim.replay) and take a new snapshot: got 0 [rtaprotocol claim snapshots (docs/claim.md, Snapshots)]
        """
        from rtaprotocol import _claim_snapshot

        if isinstance(data, str | bytes | bytearray):
            data = json_loads(data)
        claim: Claim = _claim_snapshot.read(data, verify=verify)
        return claim

    def _restored(self, history: tuple[ClaimEvent, ...], state: _State) -> Claim:
        """Return a claim of this calendar holding ``history`` and its ``state`` as given."""
        ids = {e.event_id: [(at, e)] for at, e in enumerate(history) if e.event_id is not None}
        return self._made(Vec.of(history), state, ids)

    @classmethod
    @exact
    def from_dict(cls, data: Any) -> Claim:
        """Rebuild a claim from its :meth:`to_dict` form: its ``history`` replayed.

        ``history`` is required; the calendar is read from ``extra_holidays`` and
        ``extra_business_days`` (default none); every other key :meth:`to_dict` writes is
        derived, and when present must be what the replayed claim gives (else
        :class:`~rtaprotocol.errors.InputError` names each key that differs); an unknown
        key is refused. For a store, :meth:`snapshot` restores without replaying.

        >>> c = Claim.from_dict({"history": [], "step": "offer"})
        Traceback (most recent call last):
        ...
        rtaprotocol.errors.InputError: 1 problem in the input:
          step: the claim's history gives 'start', not this: got 'offer' [portal claim events (guide 6.1 to 6.6)]
        """
        if not isinstance(data, Mapping):
            raise InputError(
                [
                    RulesTypeError(
                        f"a claim is a JSON object, not {type(data).__name__}",
                        value=data,
                        field="$",
                        reference=EVENT_REFERENCE,
                    )
                ],
                reference=EVENT_REFERENCE,
            )
        known = set(Claim().to_dict())  # the keys to_dict writes
        problems: list[RulesError] = [
            RulesError(
                "a claim does not have this key",
                value=data[k],
                field=str(k),
                reference=EVENT_REFERENCE,
                code=ErrorCode.FIELD_UNKNOWN,
            )
            for k in data
            if k not in known
        ]
        if "history" not in data:
            problems.append(
                RulesError(
                    "a claim needs its history",
                    field="history",
                    reference=EVENT_REFERENCE,
                    code=ErrorCode.FIELD_MISSING,
                )
            )
        if problems:
            raise InputError(problems, reference=EVENT_REFERENCE)
        cal: EnglandWalesCalendar | None = None
        if data.get("extra_holidays") or data.get("extra_business_days"):
            try:
                cal = EnglandWalesCalendar(
                    extra_holidays=[
                        parse_iso_date(d, field="extra_holidays", reference=ORDER_REFERENCE)
                        for d in _listed(data.get("extra_holidays") or [], "extra_holidays")
                    ],
                    extra_business_days=[
                        parse_iso_date(d, field="extra_business_days", reference=ORDER_REFERENCE)
                        for d in _listed(
                            data.get("extra_business_days") or [], "extra_business_days"
                        )
                    ],
                )
            except RulesError as err:
                raise InputError([err], reference=EVENT_REFERENCE) from None
        history = data["history"]
        if isinstance(history, Mapping) or not isinstance(history, list):
            raise InputError(
                [
                    RulesTypeError(
                        "expected a list of events",
                        value=history,
                        field="history",
                        reference=EVENT_REFERENCE,
                    )
                ],
                reference=EVENT_REFERENCE,
            )
        try:
            claim = cls.replay(history, calendar=cal)
        except RulesError as err:
            for p in err.problems:
                if p.pointer is not None and p.pointer.startswith("/events"):
                    p.pointer = "/history" + p.pointer[len("/events") :]
            raise
        derived = [k for k in data if k not in ("history", "extra_holidays", "extra_business_days")]
        if derived:
            mine = claim.to_dict()
            differ = [
                RulesError(
                    f"the claim's history gives {_shown(mine[k])}, not this",
                    value=data[k],
                    field=str(k),
                    reference=EVENT_REFERENCE,
                    code=ErrorCode.VALUE_INVALID,
                )
                for k in derived
                if to_jsonable(data[k]) != to_jsonable(mine[k])
            ]
            if differ:
                raise InputError(differ, reference=EVENT_REFERENCE)
        return claim

    @classmethod
    @exact
    def from_json(cls, text: str | bytes) -> Claim:
        """Rebuild a claim from JSON text: a list of events, a :meth:`to_dict` or a :meth:`snapshot`.

        The text is read by :func:`rtaprotocol.json.loads` (bounded, exact numbers,
        duplicate keys refused); a list is replayed (:meth:`replay`), an object with
        ``"kind": "rtaprotocol.claim-snapshot"`` restored (:meth:`from_snapshot`), any other
        object read by :meth:`from_dict`.

        >>> Claim.from_json('{"history": [], "history": []}')
        Traceback (most recent call last):
        ...
        rtaprotocol.errors.InvalidJSON: /history: the same key appears twice in one JSON object, so its value is ambiguous: got 'history' [rtaprotocol json text (RFC 8259)]
        """
        data = json_loads(text)
        if isinstance(data, list):
            return cls.replay(data)
        if isinstance(data, Mapping) and data.get("kind") == "rtaprotocol.claim-snapshot":
            return cls.from_snapshot(data)
        return cls.from_dict(data)


def _listed(value: Any, fld: str) -> list[Any]:
    if not isinstance(value, list):
        raise RulesTypeError(
            "expected a list of dates", value=value, field=fld, reference=ORDER_REFERENCE
        )
    return value


def _shown(value: Any) -> str:
    text = repr(to_jsonable(value))
    return text if len(text) <= 60 else text[:57] + "..."


def _in_list(err: RulesError, index: int) -> None:
    """Point ``err`` at event ``index`` of the list replayed (``/events/3/item``).

    The message keeps the event's own field name; the pointer says which event it is. A
    refusal for several reasons (an ineligible claim) points each of its problems there too.
    """
    for problem in {id(p): p for p in (err, *err.problems)}.values():
        problem.pointer = f"/events/{index}{problem.pointer or ''}"


def _read_events(events: Iterable[Any]) -> list[ClaimEvent]:
    """Read every event of a replay, or raise with every problem of every event.

    One bad event raises its own error (located at ``events[i]``); problems in several
    raise one :class:`~rtaprotocol.errors.InputError` listing them all, before any
    event is applied.
    """
    read: list[ClaimEvent] = []
    problems: list[RulesError] = []
    for i, raw in enumerate(events):
        if isinstance(raw, ClaimEvent):
            read.append(raw)
            continue
        try:
            read.append(ClaimEvent.from_dict(raw, where=f"events[{i}]"))
        except RulesError as err:
            problems.append(err)
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise InputError(problems, reference=EVENT_REFERENCE)
    return read


def _exit_note(s: _State) -> str | None:
    """Return what happens after the claim leaves the portal, and which rules now govern."""
    governs = (
        "the RTA Small Claims Protocol and the portal no longer apply to it; if it does not "
        "settle, it continues by court proceedings under the Civil Procedure Rules (a claim "
        "form under CPR Part 7, allocated to a track under CPR 26), issued before the "
        "limitation date, which keeps running (guide 5.4); the claim's documents can be "
        "downloaded to take to an adviser"
    )
    if s.withdrawn_on is not None:
        return (
            f"The claimant withdrew the claim from the portal on {s.withdrawn_on}: {governs} "
            f"[{WITHDRAWAL_REFERENCE}; guide 6.6.1.2, 6.6.2.1]"
        )
    reason = s.exit_reason
    if reason is None:
        return _closed_note(s)
    extra = ""
    if reason is ExitReason.CAUSATION_DISPUTED:
        extra = (
            " To pursue the injury, court proceedings are likely the next step; the other "
            "losses are claimed in them too (guide 6.5.4)."
        )
    return (
        f"The claim left the portal ({reason.value}): {reason.next_steps}{extra} Now {governs} "
        f"[{reason.reference}]"
    )


def _closed_note(s: _State) -> str | None:
    """Return what happens after a claim closes other than by settlement (guide 6.6.1)."""
    if s.closed_because == "the claimant accepted the denial of liability":
        return (
            "The claimant accepted the compensator's denial of liability as final: the claim "
            "is closed on the portal and cannot be reopened there; nothing more happens on "
            "it in the portal. Any other step is outside the portal and the protocol, and "
            "the limitation date (guide 5.4) still runs: seek advice before it passes "
            f"[{CLOSED_REFERENCE}; guide 6.6.1.2]"
        )
    if s.closed_because == "the court found against the claimant":
        return (
            "The court found against the claimant on the question it was asked: the claim "
            "is closed and the decision is final on the portal; an appeal, if any, is a court matter under CPR "
            f"Part 52, outside the portal: seek advice [{FINAL_REFERENCE}; guide 6.6.1.2]"
        )
    if s.closed_because == "the court valued the claim":
        return (
            "The court valued the claim: the claim is closed, the court's order fixes the "
            "sum and governs its payment, outside the portal; the question decided is not "
            f"renegotiated [{FINAL_REFERENCE}]"
        )
    return None


def _summary_notes(s: _State) -> list[str]:
    """Return the notes every view of the claim shows (explain, next steps)."""
    out: list[str] = list(_value_flags(s))
    settled = s.negotiation.settled_offer
    if settled is not None:
        event = _offer_event(s)
        negotiated = None if event is None else _offer_share(s, event)
        if negotiated is not None and negotiated != s.liability_percent:
            out.append(
                f"Settled on {_pct(negotiated)}% liability to the compensator, negotiated in "
                f"the offer; the step-2 split is not applied [{OFFER_LIABILITY_REFERENCE}]"
            )
    if s.whiplash_agreed is not None:
        agreed = "is a" if s.whiplash_agreed else "is no"
        out.append(
            f"Both sides agree there {agreed} whiplash injury: neither can challenge it again "
            f"in the portal [{WHIPLASH_AGREED_REFERENCE}]"
        )
    if s.own_reports_unjustified:
        out.append(
            f"{s.own_reports_unjustified} further report(s) the claimant obtained alone without "
            "one of the four justifications: the report may be relied on, its fee may not be "
            f"recoverable [{OWN_REPORT_REFERENCE}]"
        )
    after = _exit_note(s)
    if after is not None:
        out.append(after)
    return out


def _claim_notes(s: _State, day: date) -> tuple[str, ...]:
    """Return the notes of :meth:`Claim.next_steps` on ``day``."""
    out: list[str] = []
    live = (
        s.submitted_on is not None
        and s.exit_reason is None
        and s.withdrawn_on is None
        and s.closed_because is None
        and not s.on_hold
    )
    represented = None if s.facts is None else s.facts.represented
    fee_stage = s.payment_due is not None and s.first_report_on is not None
    if fee_stage and represented is not None:
        out.append(
            "The claimant is represented: the first medical report's fixed fee is one of the "
            "fees the representative claims back in the fee negotiation that follows the "
            "settlement ('fee-offer'; the fixed fee on the report's date: "
            f"rtaprotocol.fees.medical_fee) [{MEDICAL_ARRANGED_REFERENCE}; guide 5.3, 6.5.3.2]"
            if represented
            else "The claimant is not represented: the compensator paid the first medical "
            "report's fee to the provider directly, so it is not one of the fees claimed back "
            f"after the settlement [{MEDICAL_ARRANGED_REFERENCE}; guide 5.3, 6.5.3.2]"
        )
    if live and s.first_report_on is None and represented is not None:
        if represented:
            out.append(
                "The claimant is represented: the representative obtains the first medical "
                "report via MedCo outside the portal; its fixed fee is claimed back with the "
                f"other fees once the losses are settled [{MEDICAL_ARRANGED_REFERENCE}; guide 5.3]"
            )
        else:
            out.append(
                "The claimant is not represented: the portal arranges the first medical report "
                "via MedCo ('proceed-to-medical') and the report provider invoices the "
                f"compensator, who pays its fixed fee [{MEDICAL_ARRANGED_REFERENCE}]"
            )
    if live and _deem_causation(s, day).causation == "notified":
        out.append(
            "The compensator disputes that the accident caused the injury. The claimant may: "
            "accept the compensator's offer for the other losses without compensation for the "
            "injury ('accept'); drop the injury claim and dispute the offer for the other "
            "losses ('reject', 'offer'); or continue with the injury claim, which takes the "
            "claim out of the portal ('portal-exit', reason causation-disputed) to court "
            f"proceedings, with advice [{CAUSATION_ROUTE_REFERENCE}]"
        )
    elif live and s.causation == "disputed" and s.offer_requested_on is None:
        out.append(
            "Fault is admitted but the compensator disputes that the accident caused any "
            "injury: the claimant may proceed to medical (the expert is asked about causation) "
            f"or not go on with the claim ('claim-withdrawn') [{CAUSATION_ROUTE_REFERENCE}]"
        )
    out.extend(_summary_notes(s))
    return tuple(out)


def _offer_event(s: _State) -> ClaimEvent | None:
    """Return the claim event of the settled offer, else of the compensator's latest."""
    neg = s.negotiation
    target = neg.settled_offer or neg.latest_offer(Party.COMPENSATOR)
    if target is None:
        return None
    offers = neg.offers(target.party)
    index = next(
        i
        for i, o in enumerate(offers)
        if o.made_on == target.made_on and o.number == target.number and o.amount == target.amount
    )
    events = [e for e in s.offer_details if e["party"] is target.party]
    return events[index]


@exact
def _payment(s: _State) -> LossesPayment:
    event = _offer_event(s)
    if event is None:  # an offer that does not exist: reference.not-found, as everywhere
        raise ProtocolViolation(
            "there is no compensator offer to pay out",
            reference="guide 6.5.2",
            code=ErrorCode.NOT_FOUND,
        )
    return _offer_payment(s, event)


@exact
def _offer_payment(s: _State, event: ClaimEvent) -> LossesPayment:
    """Return what the offer ``event`` pays out against the claim in state ``s``."""
    values: tuple[Decimal, ...] | None = event.get("items")
    injury: Decimal | None = event.get("injury")
    if values is None and injury is None:
        raise RulesError(
            "the offer gives no breakdown (injury sum and item values), so its deductions "
            "cannot be worked out",
            value=event["amount"],
            field="items",
            reference="guide 6.5.2",
        )
    items = s.losses.items
    values = values if values is not None else tuple(ZERO for _ in items)
    valued = []
    for i, (item, value) in enumerate(zip(items, values, strict=True)):
        if item.interim_paid > value:
            raise RulesError(
                f"the offer values item {i} at {format_money(value)}, less than the interim "
                f"payment of {format_money(item.interim_paid)} that settled it",
                value=value,
                field=f"items[{i}]",
                reference=INTERIM_REFERENCE,
            )
        valued.append(evolve(item, amount=value))
    losses = ListOfLosses(
        injury=ZERO if injury is None else injury,
        items=valued,
        stage=s.losses.stage,
        general_interim=s.general_interim,
    )
    negotiated: Decimal | None = event.get("liability_percent")
    share = _offer_share(s, event)
    paid = compute_payment_for_losses(
        losses,
        claimant_liability_percent=Decimal(100) - share,
        seatbelt_percent=event.get("seatbelt_percent", ZERO),
        cru_certificate=event.get("cru"),
    )
    return evolve(
        paid, liability_basis=_liability_basis(s, share, negotiated), flags=_value_flags(s)
    )


def _liability_basis(s: _State, share: Decimal, negotiated: Decimal | None) -> str:
    """Say which share of liability the payment applied, and where it came from."""
    if negotiated is None and s.liability_percent is not None and share != s.liability_percent:
        return (
            f"{_pct(share)}% to the compensator: the claimant's offer states no share of "
            "liability, so the sum it names is the sum paid (admitted at step 2: "
            f"{_pct(s.liability_percent)}%) [{OFFER_LIABILITY_REFERENCE}]"
        )
    if negotiated is not None and negotiated != s.liability_percent:
        admitted = (
            "none recorded" if s.liability_percent is None else f"{_pct(s.liability_percent)}%"
        )
        return (
            f"{_pct(share)}% to the compensator, as negotiated in the offer (admitted at step 2: "
            f"{admitted}) [{OFFER_LIABILITY_REFERENCE}]"
        )
    if s.liability_by_court:
        return f"{_pct(share)}% to the compensator, as the court determined [{HOLD_REFERENCE}]"
    if s.liability_percent is None:
        return (
            f"{_pct(share)}% to the compensator (no share recorded) [{OFFER_LIABILITY_REFERENCE}]"
        )
    return f"{_pct(share)}% to the compensator, as admitted at step 2 [{OFFER_LIABILITY_REFERENCE}]"


def _value_flags(s: _State) -> tuple[str, ...]:
    """Return the warnings on every output that values the claim (guide 6.4.2, 6.4.2.2)."""
    months = s.prognosis_months
    if months is None or months <= LONG_PROGNOSIS_MONTHS:
        return ()
    flag = (
        f"the medical report gives a prognosis of {months} months, more than "
        f"{LONG_PROGNOSIS_MONTHS}: the whiplash tariff stops at 24 months, the claim may be "
        "worth more than the small claims track limit, and the claimant may withdraw it from "
        "the portal ('claim-withdrawn') and seek advice, whose cost may be recoverable; seek "
        f"advice before withdrawing [{LONG_PROGNOSIS_REFERENCE}]"
    )
    # The compensator's tariff offer is refused on such a report; the claimant's own is
    # their choice, but never made silently (issue 22; CLA 2018 s.3).
    on_tariff = [
        f"the {p.value}'s latest offer values the injury on the {t.value} tariff although "
        f"the prognosis is {months} months: the tariff covers a whiplash injury of not more "
        "than 2 years, so the injury may be worth more outside it (tariff 'none') "
        f"[{LONG_PROGNOSIS_REFERENCE}]"
        for p, t in s.tariffs
        if t is not TariffChoice.NONE
    ]
    return (flag, *on_tariff)


def _check_today(event: ClaimEvent, today: date | None) -> None:
    """Refuse an event dated after the date the caller stands on (when one is given)."""
    if today is None:
        return
    day = supported_date(today, field="today", reference=TODAY_REFERENCE)
    if event.on > day:
        raise RulesError(
            f"the action is dated after today ({day})",
            value=event.on,
            field="on",
            reference=TODAY_REFERENCE,
        )


def _action_day(value: Any) -> date:
    return supported_date(value, field="on", reference=ORDER_REFERENCE)


# --- offers by number, versions and event ids ---------------------------------------------


def _numbered_offer(s: _State, offer: int | None, party: Any, process: int | None) -> Offer:
    """Return offer ``offer`` of ``party`` (default: the compensator) in ``s``'s negotiation.

    ``process``: the number of a past offer process, named in a refusal; ``None``: the
    current one.

    ``offer=None``: the party's latest offer, or with no party the settled offer, else the
    compensator's latest (as :meth:`Claim.payment` with no arguments).
    """
    neg = s.negotiation
    who = Party.COMPENSATOR if party is None else _party(party, "party")
    where = "" if process is None else f" in offer process {process}"
    if offer is None:
        target = neg.latest_offer(who)
        if party is None:
            target = neg.settled_offer or target
        if target is None:
            raise RulesError(
                f"there is no {who.value} offer to pay out{where}",
                value=who.value,
                field="party",
                reference="guide 6.5.2",
            )
        return target
    n = check_int(offer, field="offer", reference=OFFER_NUMBER_REFERENCE)
    numbered = [o for o in neg.offers(who) if o.number == n]
    if not numbered:
        made = sorted({o.number for o in neg.offers(who)})
        numbers = ", ".join(map(str, made)) if made else "none yet"
        raise ProtocolViolation(
            f"the {who.value} has made no offer {count_text(n)}{where} (its offers: "
            f"{numbers}); offers are numbered 1 to 3 for each party",
            value=offer,
            field="offer",
            reference=OFFER_NUMBER_REFERENCE,
        )
    return numbered[-1]


#: Offers are numbered 1 to 3 for each party; a replacement keeps its number (6.5.5.1).
OFFER_NUMBER_REFERENCE: Final = "guide 6.5.5.1"


def _offer_event_of(s: _State, target: Offer) -> ClaimEvent:
    """Return the claim event that made ``target``, one of ``s``'s negotiation's offers."""
    # Offers and offer events are one to one, in order, for each party; no two offers
    # of a party are equal (a withdrawn one differs from its replacement by its status).
    index = s.negotiation.offers(target.party).index(target)
    events = [e for e in s.offer_details if e["party"] is target.party]
    return events[index]


def _version_number(value: Any) -> int:
    n = check_int(value, field="expected_version", reference=CONCURRENCY_REFERENCE)
    if n < 0:
        raise RulesError(
            "a version is the number of events applied: 0 or more",
            value=value,
            field="expected_version",
            reference=CONCURRENCY_REFERENCE,
        )
    return n


def _same_content(a: ClaimEvent, b: ClaimEvent) -> bool:
    return a.kind is b.kind and a.on == b.on and a.fields == b.fields


def _repeats(earlier: ClaimEvent | None, event: ClaimEvent, fld: str) -> bool:
    """Whether ``event`` repeats ``earlier`` (same id): True if the same, raise if not."""
    if earlier is None:
        return False
    if _same_content(earlier, event):
        return True
    raise RulesError(
        f"this event id was used for {with_article(earlier.kind.value)} event on "
        f"{earlier.on}: an id names one event; a retry sends the same event, a new event "
        "takes a new id",
        value=event.event_id,
        field=fld,
        reference=EVENT_ID_REFERENCE,
        code=ErrorCode.EVENT_ID_REUSED,
    )


install_views(globals())  # notebook views of every public class (rtaprotocol._views)
