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

import json
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Any, Final, Literal, final

from attrs import evolve, field, frozen
from attrs import fields as attrs_fields

from rtaprotocol._checks import (
    check_bool,
    check_enum,
    check_int,
    count_text,
    parse_iso_date,
    with_article,
)
from rtaprotocol._decimal import exact
from rtaprotocol._render import html_lines, html_table, html_verdict, jsonable, text_table
from rtaprotocol.deadlines import (
    EnglandWalesCalendar,
    Period,
    business_days_between,
    due_date,
    limitation_deadline,
    supported_date,
)
from rtaprotocol.deductions import SEATBELT_REFERENCE, Head
from rtaprotocol.eligibility import ClaimFacts, EligibilityResult, ExitReason, check_eligibility
from rtaprotocol.errors import (
    ConcurrencyError,
    InvalidInput,
    ProtocolViolation,
    RulesError,
    RulesTypeError,
)
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

if TYPE_CHECKING:
    from rtaprotocol.report import ClaimReport, Injuries

__all__ = [
    "MAX_PART_ADMISSION_CHALLENGES",
    "Claim",
    "ClaimEvent",
    "ClaimEventKind",
    "ClaimExplanation",
    "ClaimNextSteps",
    "Compensator",
    "CourtIssue",
    "Deadline",
    "FurtherReportJustification",
    "LiabilityResponse",
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


class Step(Enum):
    """Where the claim stands: the portal tracker's five steps plus two ends (guide 6.1).

    ``on-hold``: court proceedings are running (guide 6.6.1.1); ``exited``: the claim can
    no longer proceed on the portal (guide 6.6.2.1).

    >>> [s.value for s in Step]
    ['start', 'investigation', 'medical', 'offer', 'closed', 'on-hold', 'exited']
    """

    START = "start"
    INVESTIGATION = "investigation"
    MEDICAL = "medical"
    OFFER = "offer"
    CLOSED = "closed"
    ON_HOLD = "on-hold"
    EXITED = "exited"


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
    """What the claimant goes to court about (guide 6.3.1.3, 6.3.1.4, 6.5.3.1, 6.6.3).

    >>> CourtIssue("value").value
    'value'
    """

    LIABILITY = "liability"
    INTERIM_PAYMENT = "interim-payment"
    VALUE = "value"


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
}


# --- events --------------------------------------------------------------------------------


def _money(value: Any, fld: str) -> Decimal:
    return to_money(value, field=fld)


def _percent(value: Any, fld: str) -> Decimal:
    return to_percent(value, field=fld, reference=PART_REFERENCE)


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
        return ClaimFacts.from_dict(value)
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
    return tuple(
        item if isinstance(item, LossItem) else LossItem.from_dict(item, path=f"{fld}[{i}]")
        for i, item in enumerate(value)
    )


def _item_values(value: Any, fld: str) -> tuple[Decimal, ...]:
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise RulesTypeError(
            "expected a list of amounts, one for each item on the List of Losses",
            value=value,
            field=fld,
            reference="guide 6.5.2",
        )
    return tuple(to_money(v, field=f"{fld}[{i}]") for i, v in enumerate(value))


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
    _K.INTERIM_RESPONSE: {"agreed": (_bool, True), "amount": (_money, False)},
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
    _K.PAYMENT_MADE: {"amount": (_money, False)},
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
}

# Optional fields whose absence means a default (recorded explicitly, so equality holds).
_DEFAULTS: Final[dict[ClaimEventKind, dict[str, Any]]] = {
    _K.SUBMITTED: {"compensator": Compensator.INSURER},
    _K.PROCEED_TO_MEDICAL: {"via_medco": True, "lives_in_england_wales": True},
    _K.ACCEPT: {"updated_cru_certificate": False},
    _K.GO_TO_COURT: {"limitation": False},
}


def _located(err: RulesError, where: str) -> RulesError:
    """Return ``err`` again with ``where`` in front of its field.

    For an :class:`~rtaprotocol.errors.InvalidInput`, in front of each problem's; a JSON
    path's ``$`` becomes ``where``.
    """
    if isinstance(err, InvalidInput):
        return InvalidInput([_located(p, where) for p in err.problems], reference=err.reference)
    name = err.field
    if not name or name == "$":
        fld = where
    elif name.startswith("$"):
        fld = where + name[1:]
    else:
        fld = f"{where}.{name}"
    kwargs: dict[str, Any] = {"reference": err.reference, "field": fld}
    if err.has_value:
        kwargs["value"] = err.value
    return type(err)(err.message, **kwargs)


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
    :class:`~rtaprotocol.errors.RulesError` naming it. ``party`` is who acts.
    ``event_id`` (optional, any kind): the caller's id for the event, kept in its JSON
    form, which makes a retried append a no-op (:meth:`Claim.apply`).

    >>> from datetime import date
    >>> e = ClaimEvent.make("liability-response", date(2023, 5, 10), response="admit-part",
    ...                     percent=70)
    >>> e.to_dict()
    {'kind': 'liability-response', 'on': '2023-05-10', 'percent': '70', 'response': 'admit-part'}
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
        k = check_enum(kind, ClaimEventKind, field="kind", reference=EVENT_REFERENCE)
        day = supported_date(on, field="on", reference=ORDER_REFERENCE)
        spec = _SPEC[k]
        taken = ", ".join(sorted(spec)) or "no fields"
        kind_text = f"{with_article(k.value)} event"
        out: dict[str, Any] = dict(_DEFAULTS.get(k, {}))
        for name, value in values.items():
            if name not in spec:
                raise RulesError(
                    f"{kind_text} does not take this field; it takes {taken}",
                    value=value,
                    field=name,
                    reference=EVENT_REFERENCE,
                )
            if value is None and not spec[name][1]:
                continue
            out[name] = spec[name][0](value, name)
        for name, (_conv, required) in spec.items():
            if required and name not in out:
                raise RulesError(
                    f"{kind_text} needs this field",
                    field=name,
                    reference=EVENT_REFERENCE,
                )
        return cls(kind=k, on=day, fields=tuple(sorted(out.items())), event_id=event_id)

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


def _event_from_dict(cls: type[ClaimEvent], data: Any) -> ClaimEvent:
    if not isinstance(data, Mapping):
        raise RulesTypeError(
            f"an event is a JSON object, not {type(data).__name__}",
            value=data,
            reference=EVENT_REFERENCE,
        )
    if "kind" not in data:
        raise RulesError("an event needs a kind", field="kind", reference=EVENT_REFERENCE)
    if "on" not in data:
        raise RulesError("an event needs a date", field="on", reference=EVENT_REFERENCE)
    kind = check_enum(data["kind"], ClaimEventKind, field="kind", reference=EVENT_REFERENCE)
    on = parse_iso_date(data["on"], field="on", reference=EVENT_REFERENCE)
    values = {str(k): v for k, v in data.items() if k not in ("kind", "on", "event_id")}
    return cls.make(kind, on, event_id=data.get("event_id"), **values)


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
    interims: tuple[_Interim, ...] = ()
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
    past_negotiations: tuple[Negotiation, ...] = ()
    offer_details: tuple[ClaimEvent, ...] = ()  # the offer events of this round
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
    met: tuple[Deadline, ...] = ()  # deadlines met (on time or late), for the record


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
    if s.submitted_on is None and kind is not _K.SUBMITTED:
        raise _deny("the claim has not been submitted yet", SUBMIT_REFERENCE, kind.value)
    if s.exit_reason is not None:
        raise _deny(
            f"the claim has left the portal ({s.exit_reason.value}): nothing more happens on it",
            EXIT_REFERENCE,
            kind.value,
        )
    if s.on_hold and kind is not _K.COURT_DETERMINATION:
        raise _deny(
            "the claim is on hold while court proceedings run: it reopens when the court's "
            "determination is entered",
            HOLD_REFERENCE,
            kind.value,
        )
    after_close = {_K.PAYMENT_MADE, _K.FEE_OFFER, _K.FEE_ACCEPT, _K.FEE_REJECT}
    if s.closed_because is not None and kind not in after_close:
        raise _deny(
            f"the claim is closed ({s.closed_because}) and cannot be reopened",
            CLOSED_REFERENCE,
            kind.value,
        )


def _admitted(s: _State) -> bool:
    """Liability or fault admitted, or a court finding for the claimant (6.3.1.4)."""
    return s.court_finding_for_claimant or (s.liability is not None and s.liability.admits_fault)


def _record(s: _State, d: Deadline) -> tuple[Deadline, ...]:
    return (*s.met, d)


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
        reason = result.reasons[0]
        raise _deny(
            "the claim is not eligible for the portal: "
            + "; ".join(r.message for r in result.reasons),
            reason.reference,
            reason.code,
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
    due = due_date(Period.INTERIM_PAYMENT_RESPONSE, e.on, calendar=cal)
    new = _Interim(requested_on=e.on, amount=e["amount"], item=item, due=due)
    return _replace(s, interims=(*s.interims, new))


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


def _apply_interim_response(s: _State, e: ClaimEvent, cal: EnglandWalesCalendar | None) -> _State:
    pending = [i for i in s.interims if i.answered_on is None]
    if not pending:
        raise _deny("there is no interim payment request to answer", INTERIM_REFERENCE, e.on)
    request = pending[0]
    agreed: bool = e["agreed"]
    amount: Decimal | None = e.get("amount")
    if not agreed and amount is not None:
        raise _deny("a refusal pays nothing", INTERIM_REFERENCE, amount, "amount")
    answered = evolve(request, answered_on=e.on, agreed=agreed)
    interims = tuple(answered if i is request else i for i in s.interims)
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
    if agreed:
        extra = _pay_interim(s, request.item, request.amount if amount is None else amount)
    return _replace(s, interims=interims, met=met, **extra)


def _apply_voluntary_interim(s: _State, e: ClaimEvent, cal: EnglandWalesCalendar | None) -> _State:
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
        return _replace(s, first_report_on=e.on)
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
    )


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
    neg = s.negotiation.apply(
        OfferEvent(kind=OfferEventKind.OFFER, on=e.on, party=party, amount=e["amount"])
    )
    extra: dict[str, Any] = {}
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
    return _replace(s, negotiation=neg, offer_details=(*s.offer_details, e), **extra)


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
        past_negotiations=(*s.past_negotiations, s.negotiation),
        negotiation=_fresh_negotiation(s, e.on, cal),
        offer_details=(),
        offer_due=None,
    )


def _fresh_negotiation(s: _State, on: date, cal: EnglandWalesCalendar | None) -> Negotiation:
    """Return a new negotiation for the restarted offer process, told of the report."""
    fresh = Negotiation(calendar=cal, whiplash=s.whiplash)
    if s.report_shared_on is not None:
        fresh = fresh.apply(OfferEvent(kind=OfferEventKind.MEDICAL_REPORT, on=on))
    return fresh


def _apply_payment_made(s: _State, e: ClaimEvent, cal: EnglandWalesCalendar | None) -> _State:
    if s.payment_due is None or s.paid_on is not None:
        raise _deny("there is no payment due", PAYMENT_REFERENCE, e.on)
    assert s.closed_on is not None
    assert s.payment_period is not None
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
    return _replace(s, paid_on=e.on, met=met)


def _apply_go_to_court(s: _State, e: ClaimEvent, cal: EnglandWalesCalendar | None) -> _State:
    if s.court_issue is not None:
        raise _deny("the claimant is already going to court", COURT_REFERENCE, e.on)
    issue: CourtIssue = e["issue"]
    limitation: bool = e["limitation"]
    if not limitation:
        if issue is CourtIssue.LIABILITY:
            overdue = s.liability is None and s.liability_due is not None and e.on > s.liability_due
            disputed = s.liability in (LiabilityResponse.DENY, LiabilityResponse.ADMIT_PART)
            if not (disputed or overdue) or s.offer_stage:
                raise _deny(
                    "the court decides liability when it is denied or admitted only in part "
                    "(or the response is overdue), before the offer stage",
                    "guide 6.3.1.3, 6.6.1.1",
                    None if s.liability is None else s.liability.value,
                )
        elif issue is CourtIssue.INTERIM_PAYMENT:
            stuck = [
                i
                for i in s.interims
                if (i.answered_on is None and e.on > i.due) or i.agreed is True
            ]
            if not stuck:
                raise _deny(
                    "the court is asked for an interim payment when a request is unanswered "
                    "after 15 business days, or an agreed sum is not paid",
                    INTERIM_REFERENCE,
                    e.on,
                )
        elif (
            not s.negotiation.offers(Party.COMPENSATOR) or s.waiting_prognosis or s.restart_pending
        ):
            raise _deny(
                "the court values the claim at any stage after the compensator's first offer",
                OFFER_REFERENCE,
                e.on,
            )
    extra: dict[str, Any] = {}
    if issue is CourtIssue.VALUE and s.negotiation.offers(Party.COMPENSATOR):
        extra["negotiation"] = s.negotiation.create_court_valuation_form(on=e.on)
    return _replace(s, court_issue=issue, court_limitation=limitation, **extra)


def _apply_court_pack_sent(s: _State, e: ClaimEvent, cal: EnglandWalesCalendar | None) -> _State:
    if s.court_issue is None or s.court_pack_sent_on is not None:
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


def _apply_proceedings_issued(s: _State, e: ClaimEvent, cal: EnglandWalesCalendar | None) -> _State:
    if s.court_issue is None:
        raise _deny("choose 'Go to court' first", COURT_REFERENCE, e.on)
    if s.court_pack_agreed_on is None and not s.court_limitation:
        raise _deny(
            "the court pack list goes to the compensator first, and proceedings follow its "
            "reply, unless they are issued because of the limitation date",
            COURT_PACK_REFERENCE,
            e.on,
        )
    return _replace(s, on_hold=True, proceedings_ever=True)


def _apply_court_determination(
    s: _State, e: ClaimEvent, cal: EnglandWalesCalendar | None
) -> _State:
    if not s.on_hold:
        raise _deny("there are no court proceedings running", HOLD_REFERENCE, e.on)
    issue = s.court_issue
    won: bool = e["for_claimant"]
    percent: Decimal | None = e.get("percent")
    amount: Decimal | None = e.get("amount")
    cleared = {
        "on_hold": False,
        "court_issue": None,
        "court_limitation": False,
        "court_pack_sent_on": None,
        "court_pack_agreed_on": None,
    }
    if not won:
        if percent is not None or amount is not None:
            raise _deny(
                "a finding against the claimant has no share or sum",
                HOLD_REFERENCE,
                percent or amount,
            )
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
    if reason in compensator_only and party is not Party.COMPENSATOR:
        raise _deny(
            f"only the compensator takes the claim out for this reason: {reason.description}",
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
    _check_live(s, e.kind)
    s = _deem_causation(s, e.on)
    new = _REDUCERS[e.kind](s, e, cal)
    return new if new.last_on == e.on else _replace(new, last_on=e.on)


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
        return [{"amount": 1}]
    if kind is _K.INTERIM_RESPONSE:
        return [{"agreed": False}]
    if kind is _K.VOLUNTARY_INTERIM:
        return [{"amount": 1}]
    if kind is _K.MEDICAL_REPORT:
        return [{"report": ReportKind.FIRST}, {"report": ReportKind.FURTHER}]
    if kind is _K.OFFER:
        standing = [o for o in s.negotiation.offers(party) if o.status is not OfferStatus.WITHDRAWN]
        return [{**named, "amount": standing[-1].amount if standing else ZERO}]
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


def _try(
    s: _State, kind: ClaimEventKind, party: Party, on: date, cal: EnglandWalesCalendar | None
) -> RulesError | None:
    """Return ``None`` if ``party`` may do ``kind`` on ``on``, else the first refusal."""
    first: RulesError | None = None
    for values in _probes(s, kind, party):
        try:
            _apply(s, ClaimEvent.make(kind, on, **values), cal)
        except RulesError as err:  # noqa: PERF203 - each probe is one try of the rules
            first = first or err
        else:
            return None
    return first or _deny("not this party's action", EVENT_REFERENCE, kind.value)


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
    """

    on: date
    step: Step
    deadlines: tuple[Deadline, ...]
    overdue: tuple[Deadline, ...]
    parties: tuple[PartyNextSteps, ...]
    calendar: EnglandWalesCalendar | None = None

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

    def __str__(self) -> str:
        parts = [text_table(_NEXT_HEADERS, self._rows(), title=self._title())]
        parts.extend(self._may())
        return "\n".join(parts)

    def _repr_html_(self) -> str:
        """Render where the claim stands first, then the deadlines and what each side may do."""
        outcome: Literal["info"] | bool = False if self.overdue else "info"
        return (
            html_verdict(self._title(), outcome)
            + html_table(_NEXT_HEADERS, self._rows(), caption="Open deadlines")
            + html_lines(self._may())
        )

    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data."""
        return {
            "on": jsonable(self.on),
            "step": self.step.value,
            "deadlines": [d.to_dict(self.on, self.calendar) for d in self.deadlines],
            "overdue": [d.to_dict(self.on, self.calendar) for d in self.overdue],
            "parties": {p.party.value: p.to_dict(self.on, self.calendar) for p in self.parties},
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
    _history: tuple[ClaimEvent, ...] = field(init=False, default=())
    _state: _State = field(init=False, default=_EMPTY, eq=False)

    # --- building -------------------------------------------------------------------------

    def apply(
        self, event: ClaimEvent | Mapping[str, Any], *, expected_version: int | None = None
    ) -> Claim:
        """Return the claim after one more event (a :class:`ClaimEvent` or its dict).

        ``expected_version`` (optional): the :attr:`version` the caller read the claim at;
        if the claim holds another number of events, another writer appended first and
        :class:`~rtaprotocol.errors.ConcurrencyError` is raised (nothing is applied).
        An event with an ``event_id`` already in the history is a retry: with the same
        kind, date and fields it is a no-op that returns this claim unchanged (whatever
        ``expected_version`` says, so a retry after a lost reply succeeds); with other
        content it is refused. See docs/claim.md, "Versions and event ids".

        >>> Claim().apply({"kind": "proceed-to-medical", "on": "2023-05-02"})
        Traceback (most recent call last):
        ...
        rtaprotocol.errors.ProtocolViolation: the claim has not been submitted yet: got 'proceed-to-medical' [guide 6.2.1.3, 6.3.1]
        >>> Claim().apply({"kind": "proceed-to-medical", "on": "2023-05-02"}, expected_version=1)
        Traceback (most recent call last):
        ...
        rtaprotocol.errors.ConcurrencyError: expected_version: the claim is at version 0 (0 events applied), not the expected version 1: another writer appended first; reload it and decide again: got 1 [rtaprotocol claim versions (optimistic concurrency, docs/claim.md)]
        """
        if not isinstance(event, ClaimEvent):
            event = ClaimEvent.from_dict(event)
        expected = None if expected_version is None else _version_number(expected_version)
        if event.event_id is not None and _seen_before(self._history, event) is not None:
            return self
        if expected is not None and expected != len(self._history):
            raise ConcurrencyError(expected=expected, current=len(self._history))
        state = _apply(self._state, event, self.calendar)
        new = Claim(calendar=self.calendar)
        # attrs' documented way to set fields of a frozen instance it has just made.
        object.__setattr__(new, "_history", (*self._history, event))
        object.__setattr__(new, "_state", state)
        return new

    def act(
        self,
        kind: ClaimEventKind | str,
        *,
        on: date,
        event_id: str | None = None,
        expected_version: int | None = None,
        **fields: Any,
    ) -> Claim:
        """Apply an event of ``kind`` on ``on`` with ``fields`` (see :class:`ClaimEvent`).

        ``event_id`` and ``expected_version`` work as in :meth:`apply`.

        >>> from datetime import date
        >>> Claim().act("denial-accepted", on=date(2023, 5, 2)).step
        Traceback (most recent call last):
        ...
        rtaprotocol.errors.ProtocolViolation: the claim has not been submitted yet: got 'denial-accepted' [guide 6.2.1.3, 6.3.1]
        """
        return self.apply(
            ClaimEvent.make(kind, on, event_id=event_id, **fields),
            expected_version=expected_version,
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
        events: Iterable[ClaimEvent | Mapping[str, Any]] | str,
        *,
        calendar: EnglandWalesCalendar | None = None,
    ) -> Claim:
        """Rebuild a claim from its events: :class:`ClaimEvent`, their dicts, or a JSON list.

        A dict that is not a valid event raises :class:`~rtaprotocol.errors.RulesError`
        naming its position (``events[2].percent``); an event the protocol forbids raises
        :class:`~rtaprotocol.errors.ProtocolViolation`. Event ids are read as
        :meth:`apply` reads them: a repeat of an earlier event (same id, same content) is
        skipped, the same id with other content is refused.

        >>> Claim.replay('[{"kind": "submitted", "on": "2023-05-02"}]')
        Traceback (most recent call last):
        ...
        rtaprotocol.errors.RulesError: events[0].facts: a submitted event needs this field [portal claim events (guide 6.1 to 6.6)]
        """
        if isinstance(events, str):
            try:
                events = json.loads(events)
            except json.JSONDecodeError as err:
                raise RulesError(
                    f"not valid JSON: {err.msg}", field="events", reference=EVENT_REFERENCE
                ) from None
        if isinstance(events, bytes | Mapping) or not isinstance(events, Iterable):
            raise RulesTypeError(
                "expected a list of events", value=events, field="events", reference=EVENT_REFERENCE
            )
        claim = cls(calendar=calendar)
        state = claim._state
        cal = claim.calendar
        recorded: list[ClaimEvent] = []
        ids: dict[str, ClaimEvent] = {}
        for i, raw in enumerate(events):
            event = (
                raw
                if isinstance(raw, ClaimEvent)
                else ClaimEvent.from_dict(raw, where=f"events[{i}]")
            )
            if event.event_id is not None:
                if _repeats(ids.get(event.event_id), event, f"events[{i}].event_id"):
                    continue
                ids[event.event_id] = event
            state = _apply(state, event, cal)
            recorded.append(event)
        object.__setattr__(claim, "_history", tuple(recorded))
        object.__setattr__(claim, "_state", state)
        return claim

    # --- queries ------------------------------------------------------------------------

    @property
    def history(self) -> tuple[ClaimEvent, ...]:
        """Every event so far, in order (each has ``to_dict()``; the list is JSON-ready)."""
        return self._history

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
        return self._state.past_negotiations

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
    def limitation_deadline(self) -> date | None:
        """The last day to issue court proceedings (guide 5.4, 6.6.3.1).

        ``None`` before submission. Entering the claim on the portal does not stop the
        clock.
        """
        f = self._state.facts
        if f is None:
            return None
        return limitation_deadline(f.accident_date, date_of_birth=f.date_of_birth)

    def deadlines(self, on: date | None = None) -> tuple[Deadline, ...]:
        """Every deadline: those met (on time or late) and those still open.

        With ``on``, the deadlines open on that date come first, sorted by due date.
        """
        s = self._state
        day = s.last_on if on is None else _action_day(on)
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
                if i.answered_on is None
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
        day = _action_day(on)
        open_ = [d for d in self._open_deadlines() if d.status(day) == "overdue"]
        late = [d for d in self._state.met if d.late and d.met_on is not None and d.met_on <= day]
        return tuple(sorted(open_, key=lambda d: d.due)) + tuple(late)

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
        day = _action_day(on)
        s = self._state
        if s.last_on is not None and day < s.last_on:
            raise RulesError(
                f"a date before the previous action ({s.last_on})",
                value=on,
                field="on",
                reference=ORDER_REFERENCE,
            )
        if s.submitted_on is None:
            return {Party.CLAIMANT: (_K.SUBMITTED.value,), Party.COMPENSATOR: ()}
        return {
            p: tuple(k.value for k in ClaimEventKind if _try(s, k, p, day, self.calendar) is None)
            for p in Party
        }

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
        day = _action_day(on)
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
        the compensator's admitted (or court-determined) share; the seatbelt reduction
        and the CRU certificate come from the offer; items paid on interim have that
        payment deducted from their head, and general interim payments come off the total
        (guide 6.3.1.4). CRU is set off item by item by Sch 2 head
        (:func:`~rtaprotocol.losses.compute_payment_for_losses`).

        >>> Claim().payment()
        Traceback (most recent call last):
        ...
        rtaprotocol.errors.RulesError: there is no compensator offer to pay out [guide 6.5.2]
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
        }


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
    if event is None:
        raise RulesError("there is no compensator offer to pay out", reference="guide 6.5.2")
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
    admitted = s.liability_percent if s.liability_percent is not None else Decimal(100)
    return compute_payment_for_losses(
        losses,
        claimant_liability_percent=Decimal(100) - admitted,
        seatbelt_percent=event.get("seatbelt_percent", ZERO),
        cru_certificate=event.get("cru"),
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
    )


def _seen_before(history: tuple[ClaimEvent, ...], event: ClaimEvent) -> ClaimEvent | None:
    """Return the earlier event with ``event``'s id if it is the same event; refuse another."""
    key = event.event_id
    earlier = next((e for e in reversed(history) if e.event_id == key), None)
    return earlier if _repeats(earlier, event, "event_id") else None
