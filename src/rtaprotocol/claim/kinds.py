"""The claim's vocabulary: its steps, the answers a party can give, the event kinds.

Guide 6.1 to 6.6. The enums every other module of :mod:`rtaprotocol.claim` reads
(:class:`Step`, :class:`LiabilityResponse`, :class:`ClaimEventKind`, ...), which party
records each kind of event, the protocol's counts and periods named here
(:data:`MAX_PART_ADMISSION_CHALLENGES`, :data:`LIMITATION_WINDOW_MONTHS`,
:data:`LONG_PROGNOSIS_MONTHS`), and the guide references the refusals cite. Import them
from :mod:`rtaprotocol.claim`.
"""

from __future__ import annotations

from enum import Enum
from typing import Final

from rtaprotocol.offers import EventKind as OfferEventKind
from rtaprotocol.offers import Party

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
