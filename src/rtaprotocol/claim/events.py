"""The claim's events: :class:`ClaimEvent`, each kind's fields, and reading them from JSON.

Guide 6.1 to 6.6. One converter per kind of field (money, percent, enum, List of Losses,
...), the table of each kind's fields (``_SPEC``, read by the JSON schemas too), the
reading of one event and of a list of them with every problem located, and the event ids
and versions a store uses (docs/claim.md, "Versions and event ids"). Import
:class:`ClaimEvent` from :mod:`rtaprotocol.claim`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any, Final, NoReturn, TypeVar, final

from attrs import field, frozen

from rtaprotocol._checks import (
    check_bool,
    check_enum,
    check_int,
    event_field_missing,
    key_path,
    located,
    not_an_object,
    parse_iso_date,
    with_article,
)
from rtaprotocol._decimal import exact
from rtaprotocol._render import jsonable
from rtaprotocol.claim.kinds import (
    _ACTOR,
    _K,
    COURT_REFERENCE,
    EVENT_REFERENCE,
    EXIT_REFERENCE,
    FURTHER_REFERENCE,
    INTERIM_REFERENCE,
    LIABILITY_REFERENCE,
    LOSSES_REFERENCE,
    OFFER_LIABILITY_REFERENCE,
    OFFER_REFERENCE,
    ORDER_REFERENCE,
    OWN_REPORT_REFERENCE,
    PART_REFERENCE,
    PROGNOSIS_REFERENCE,
    REPORT_REFERENCE,
    SUBMIT_REFERENCE,
    TARIFF_REFERENCE,
    TODAY_REFERENCE,
    ClaimEventKind,
    Compensator,
    CourtIssue,
    FurtherReportJustification,
    InterimAnswer,
    LiabilityResponse,
    PrognosisOutcome,
    ReportKind,
    TariffChoice,
)
from rtaprotocol.deadlines import supported_date
from rtaprotocol.deductions import SEATBELT_REFERENCE, Head
from rtaprotocol.eligibility import ClaimFacts, ExitReason
from rtaprotocol.errors import ErrorCode, InputError, RulesError, RulesTypeError
from rtaprotocol.json import loads as json_loads
from rtaprotocol.losses import CruCertificate, ListOfLosses, LossItem
from rtaprotocol.money import ZERO, to_money, to_percent
from rtaprotocol.offers import MAX_OFFERS, Party

_T = TypeVar("_T")

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
            code=ErrorCode.VALUE_INVALID,
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
        raise RulesError(
            "expected 0 to 1200",
            value=value,
            field=fld,
            reference=EVENT_REFERENCE,
            code=ErrorCode.NUMBER_OUT_OF_RANGE,
        )
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


def _object_or_its_dict(
    cls: type[_T], read: Callable[[Mapping[str, Any]], _T], expected: str, reference: str
) -> Callable[[Any, str], _T]:
    """Return the reader of a field that takes a ``cls`` or its ``to_dict()`` form.

    The form is read by ``read``, its refusals located under the field; anything else is
    refused as ``expected`` under ``reference``.
    """

    def reader(value: Any, fld: str) -> _T:
        if isinstance(value, cls):
            return value
        if isinstance(value, Mapping):
            try:
                return read(value)
            except RulesError as err:
                raise located(err, fld) from None
        raise RulesTypeError(expected, value=value, field=fld, reference=reference)

    return reader


_facts = _object_or_its_dict(
    ClaimFacts, ClaimFacts.from_dict, "expected ClaimFacts or its to_dict() form", SUBMIT_REFERENCE
)
_list_of_losses = _object_or_its_dict(
    ListOfLosses,
    ListOfLosses.from_dict,
    "expected a ListOfLosses or its to_dict() form",
    LOSSES_REFERENCE,
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
        raise located(err, fld) from None


def _item_index(value: Any, fld: str) -> int:
    n = check_int(_whole(value), field=fld, reference=INTERIM_REFERENCE)
    if n < 0:
        raise RulesError(
            "an item is named by its position on the List of Losses, from 0",
            value=value,
            field=fld,
            reference=INTERIM_REFERENCE,
            code=ErrorCode.VALUE_INVALID,
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
        problems.append(event_field_missing("kind", reference=EVENT_REFERENCE))
    else:
        try:
            k = check_enum(kind, ClaimEventKind, field="kind", reference=EVENT_REFERENCE)
        except RulesError as err:
            problems.append(err)
    day: date | None = None
    if on is _ABSENT:
        problems.append(event_field_missing("on", reference=EVENT_REFERENCE))
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
                        field=key_path("", name),
                        reference=EVENT_REFERENCE,
                        code=ErrorCode.FIELD_UNKNOWN,
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
            RulesError(
                f"{kind_text} needs this field",
                field=name,
                reference=EVENT_REFERENCE,
                code=ErrorCode.FIELD_MISSING,
            )
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
            code=ErrorCode.VALUE_INVALID,
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
            raise located(err, where) from None

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
        raise not_an_object(data, "an event", reference=EVENT_REFERENCE, field=None)
    values = {str(k): v for k, v in data.items() if k not in ("kind", "on", "event_id")}
    return _read_event(
        cls,
        data.get("kind", _ABSENT),
        data.get("on", _ABSENT),
        values,
        text_date=True,
        event_id=data.get("event_id"),
    )


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
            code=ErrorCode.VALUE_INVALID,
        )


def _action_day(value: Any) -> date:
    return supported_date(value, field="on", reference=ORDER_REFERENCE)


# --- versions and event ids ---------------------------------------------------------------


def _version_number(value: Any) -> int:
    n = check_int(value, field="expected_version", reference=CONCURRENCY_REFERENCE)
    if n < 0:
        raise RulesError(
            "a version is the number of events applied: 0 or more",
            value=value,
            field="expected_version",
            reference=CONCURRENCY_REFERENCE,
            code=ErrorCode.VALUE_INVALID,
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
