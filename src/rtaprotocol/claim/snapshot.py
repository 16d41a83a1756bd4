"""The claim's snapshot: its history and its state as JSON, restored without replaying.

Private: read through :meth:`Claim.snapshot <rtaprotocol.claim.Claim.snapshot>` and
:meth:`Claim.from_snapshot <rtaprotocol.claim.Claim.from_snapshot>` (docs/claim.md,
"Snapshots"). The state is written field by field from the annotations of the claim's
private state class, so a field added there is written and read without a change here
(a type this module does not know fails at import, under test).
"""

from __future__ import annotations

import hashlib
import json as _std_json
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any, Final

from attrs import fields as attrs_fields

from rtaprotocol import claim as _claim
from rtaprotocol import offers as _offers
from rtaprotocol._checks import key_path, parse_iso_date
from rtaprotocol._persistent import Vec
from rtaprotocol.deadlines import EnglandWalesCalendar, Period
from rtaprotocol.deductions import Head  # noqa: F401 - a state type may name it
from rtaprotocol.eligibility import ClaimFacts, ExitReason, check_eligibility
from rtaprotocol.errors import ErrorCode, InputError, RulesError
from rtaprotocol.losses import ListOfLosses
from rtaprotocol.offers import Negotiation, OfferStatus, Party

#: The snapshot format this version writes and reads. A new format number is a change
#: listed in CHANGELOG.md; a snapshot of another format is refused (restore it by replaying
#: its ``history`` with :meth:`Claim.replay`, then take a new snapshot).
SNAPSHOT_FORMAT: Final = 1
SNAPSHOT_KIND: Final = "rtaprotocol.claim-snapshot"
SNAPSHOT_REFERENCE: Final = "rtaprotocol claim snapshots (docs/claim.md, Snapshots)"

_ENUMS: Final[dict[str, type[Enum]]] = {
    cls.__name__: cls
    for cls in (
        _claim.Compensator,
        _claim.LiabilityResponse,
        _claim.CourtIssue,
        _claim.TariffChoice,
        _claim.InterimAnswer,
        ExitReason,
        Period,
        Party,
        OfferStatus,
    )
}


class _Bad(Exception):
    """A value that does not fit its field: (message, value)."""


Codec = tuple[Callable[[Any, Any], Any], Callable[[Any, Any], Any]]


def _plain(kind: type | tuple[type, ...], name: str) -> Codec:
    def read(value: Any, ctx: Any) -> Any:
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise _Bad(f"expected {name}", value)
        return value

    return (lambda v, ctx: v), read


def _date() -> Codec:
    def read(value: Any, ctx: Any) -> date:
        try:
            return parse_iso_date(value, field="", reference=SNAPSHOT_REFERENCE)
        except RulesError:
            raise _Bad("expected a date, YYYY-MM-DD", value) from None

    return (lambda v, ctx: v.isoformat()), read


def _decimal() -> Codec:
    # Written as str(Decimal), read back exactly: the same digits, so every view agrees.
    def read(value: Any, ctx: Any) -> Decimal:
        if not isinstance(value, str) or len(value) > 40:
            raise _Bad("expected a decimal number as a string", value)
        try:
            out = Decimal(value)
        except InvalidOperation:
            raise _Bad("expected a decimal number as a string", value) from None
        if not out.is_finite():
            raise _Bad("expected a finite decimal number", value)
        return out

    return (lambda v, ctx: str(v)), read


def _enum(cls: type[Enum]) -> Codec:
    def read(value: Any, ctx: Any) -> Enum:
        try:
            return cls(value)
        except (ValueError, TypeError):
            raise _Bad(f"expected one of {cls.__name__}", value) from None

    return (lambda v, ctx: v.value), read


def _optional(codec: Codec) -> Codec:
    write, read = codec
    return (
        lambda v, ctx: None if v is None else write(v, ctx),
        lambda v, ctx: None if v is None else read(v, ctx),
    )


def _record(cls: type) -> Codec:
    """Write and read one object of an attrs class of the state (an interim, a deadline)."""
    codecs = {a.name: _codec(str(a.type)) for a in attrs_fields(cls)}

    def write(v: Any, ctx: Any) -> dict[str, Any]:
        return {name: w(getattr(v, name), ctx) for name, (w, _r) in codecs.items()}

    def read(v: Any, ctx: Any) -> Any:
        if not isinstance(v, Mapping) or set(v) != set(codecs):
            raise _Bad(f"expected an object with exactly the keys {sorted(codecs)}", v)
        return cls(**{name: r(v[name], ctx) for name, (_w, r) in codecs.items()})

    return write, read


def _vec(item: Codec) -> Codec:
    write, read = item
    return (
        lambda v, ctx: [write(x, ctx) for x in v],
        lambda v, ctx: Vec.of(read(x, ctx) for x in _list(v)),
    )


def _list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise _Bad("expected a list", value)
    return value


def _from_dict(from_dict: Callable[[Any], Any], what: str) -> Callable[[Any, Any], Any]:
    """Return the reader of a value stored in its ``to_dict()`` form, ``what`` if refused."""

    def read(value: Any, ctx: Any) -> Any:
        try:
            return from_dict(value)
        except RulesError as err:
            raise _Bad(f"not {what} ({err})", value) from None

    return read


def _facts() -> Codec:
    return (lambda v, ctx: v.to_dict()), _from_dict(ClaimFacts.from_dict, "the facts of a claim")


def _losses() -> Codec:
    read = _from_dict(ListOfLosses.from_dict, "a List of Losses")
    return (lambda v, ctx: _claim._json_field(v)), read


def _negotiation() -> Codec:
    # A negotiation's events and its state, restored as they are: not replayed either.
    keys = {"history", "whiplash", "calendar", "state"}

    def write(v: Negotiation, ctx: Any) -> dict[str, Any]:
        state = v._state
        return {
            "history": [e.to_dict() for e in v.history],
            "whiplash": v.whiplash,
            "calendar": v.calendar is not None,
            "state": {
                name: w(getattr(state, name), state) for name, (w, _r) in _OFFER_STATE.items()
            },
        }

    def read(value: Any, ctx: Any) -> Negotiation:
        if not isinstance(value, Mapping) or set(value) != keys:
            raise _Bad(f"expected an object with exactly the keys {sorted(keys)}", value)
        if not isinstance(value["whiplash"], bool) or not isinstance(value["calendar"], bool):
            raise _Bad("expected whiplash and calendar as true or false", value)
        if value["calendar"] and ctx.calendar is None:
            raise _Bad("the negotiation has a calendar and the claim none", value)
        raw = value["state"]
        if not isinstance(raw, Mapping) or set(raw) != set(_OFFER_STATE):
            raise _Bad(f"expected a negotiation state with the keys {sorted(_OFFER_STATE)}", raw)
        try:
            events = tuple(
                _offers.Event.from_dict(e, where=f"history[{i}]")
                for i, e in enumerate(_list(value["history"]))
            )
        except RulesError as err:
            raise _Bad(f"not a negotiation's history ({err})", value) from None
        fields: dict[str, Any] = {}
        for name, (_w, r) in _OFFER_STATE.items():
            fields[name] = r(raw[name], fields)
        out = Negotiation(
            calendar=ctx.calendar if value["calendar"] else None, whiplash=value["whiplash"]
        )
        object.__setattr__(out, "_history", events)
        object.__setattr__(out, "_state", _offers._State(**fields))
        return out

    return write, read


def _accepted() -> Codec:
    # The accepted offer is one of the offers (the very object): kept by position.
    offer = _optional(_record(_offers.Offer))

    def write(v: Any, state: Any) -> Any:
        for at, o in enumerate(state.offers):
            if o is v:
                return at
        return offer[0](v, state)

    def read(value: Any, fields: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            offers = fields.get("offers", ())
            if not 0 <= value < len(offers):
                raise _Bad("expected the position of the accepted offer", value)
            return offers[value]
        return offer[1](value, fields)

    return write, read


def _offer_events() -> Codec:
    # The offer events of the current round are events of the history: kept by position.
    def write(v: Vec[Any], ctx: Any) -> list[int]:
        where = {id(e): i for i, e in enumerate(ctx.history)}
        return [where[id(e)] for e in v]

    def read(value: Any, ctx: Any) -> Vec[Any]:
        out = []
        for at in _list(value):
            if (
                not isinstance(at, int)
                or isinstance(at, bool)
                or not 0 <= at < len(ctx.history)
                or ctx.history[at].kind is not _claim.ClaimEventKind.OFFER
            ):
                raise _Bad("expected the positions of offer events in the history", at)
            out.append(ctx.history[at])
        return Vec.of(out)

    return write, read


def _tariffs() -> Codec:
    party, tariff = _enum(Party), _enum(_claim.TariffChoice)

    def read(value: Any, ctx: Any) -> tuple[Any, ...]:
        out = []
        for pair in _list(value):
            if not isinstance(pair, list) or len(pair) != 2:
                raise _Bad("expected [party, tariff] pairs", pair)
            out.append((party[1](pair[0], ctx), tariff[1](pair[1], ctx)))
        return tuple(out)

    return (lambda v, ctx: [[p.value, t.value] for p, t in v]), read


def _issues() -> Codec:
    issue = _enum(_claim.CourtIssue)
    return (
        lambda v, ctx: sorted(i.value for i in v),
        lambda v, ctx: frozenset(issue[1](x, ctx) for x in _list(v)),
    )


def _eligibility() -> Codec:
    # A function of the facts (check_eligibility on submission): recorded as a flag and
    # worked out again from the facts, never read from the snapshot.
    def read(value: Any, ctx: Any) -> Any:
        if not isinstance(value, bool):
            raise _Bad("expected true or false (worked out from the facts)", value)
        return _CHECK_FROM_FACTS if value else None

    return (lambda v, ctx: v is not None), read


_CHECK_FROM_FACTS: Final = object()


def _codec(annotation: str) -> Codec:
    if annotation.endswith(" | None"):
        return _optional(_codec(annotation[: -len(" | None")]))
    simple: dict[str, Callable[[], Codec]] = {
        "bool": lambda: _plain(bool, "true or false"),
        "int": lambda: _plain(int, "an integer"),
        "str": lambda: _plain(str, "a string"),
        "date": _date,
        "Decimal": _decimal,
        "ClaimFacts": _facts,
        "EligibilityResult": _eligibility,
        "ListOfLosses": _losses,
        "Negotiation": _negotiation,
        "Vec[Negotiation]": lambda: _vec(_negotiation()),
        "Vec[ClaimEvent]": _offer_events,
        "Vec[Deadline]": lambda: _vec(_record(_claim.Deadline)),
        "Vec[_Interim]": lambda: _vec(_record(_claim._Interim)),
        "frozenset[CourtIssue]": _issues,
        "tuple[Offer, ...]": lambda: _tuple(_record(_offers.Offer)),
        "Offer": lambda: _record(_offers.Offer),
        "tuple[tuple[Party, TariffChoice], ...]": _tariffs,
    }
    if annotation in simple:
        return simple[annotation]()
    if annotation in _ENUMS:
        return _enum(_ENUMS[annotation])
    raise TypeError(f"no snapshot codec for a state field of type {annotation}")


def _tuple(item: Codec) -> Codec:
    write, read = item
    return (
        lambda v, ctx: [write(x, ctx) for x in v],
        lambda v, ctx: tuple(read(x, ctx) for x in _list(v)),
    )


_STATE: Final = {a.name: _codec(str(a.type)) for a in attrs_fields(_claim._State)}
_OFFER_STATE: Final = {
    a.name: _accepted() if a.name == "accepted" else _codec(str(a.type))
    for a in attrs_fields(_offers._State)
}


class _Context:
    def __init__(self, calendar: EnglandWalesCalendar | None, history: tuple[Any, ...]) -> None:
        self.calendar = calendar
        self.history = history


def _digest(body: Mapping[str, Any]) -> str:
    # Sorted keys, no spaces, UTF-8: the canonical form of rtaprotocol.json.dumps for the
    # plain JSON a snapshot holds (a number it did not write is hashed as its text).
    text = _std_json.dumps(
        body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    )
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def write(claim: Any) -> dict[str, Any]:
    """Return the snapshot of ``claim`` as JSON-ready data (see Claim.snapshot)."""
    cal = claim.calendar
    history = claim.history
    ctx = _Context(cal, history)
    state = claim._state
    body: dict[str, Any] = {
        "kind": SNAPSHOT_KIND,
        "format": SNAPSHOT_FORMAT,
        "calendar": {
            "extra_holidays": []
            if cal is None
            else sorted(d.isoformat() for d in cal.extra_holidays),
            "extra_business_days": []
            if cal is None
            else sorted(d.isoformat() for d in cal.extra_business_days),
        },
        "history": [e.to_dict() for e in history],
        "state": {name: w(getattr(state, name), ctx) for name, (w, _r) in _STATE.items()},
    }
    return {**body, "digest": _digest(body)}


def _problem(message: str, where: str, value: Any, code: ErrorCode) -> RulesError:
    return RulesError(
        message,
        value=value,
        field=where,
        reference=SNAPSHOT_REFERENCE,
        code=code,
    )


_KEYS: Final = ("kind", "format", "calendar", "history", "state", "digest")


def read(data: Any, *, verify: bool = False) -> Any:
    """Return the claim of a snapshot, or raise InputError naming every problem."""
    if not isinstance(data, Mapping):
        raise InputError(
            [
                RulesError(
                    "a claim snapshot is a JSON object",
                    value=data,
                    field="$",
                    reference=SNAPSHOT_REFERENCE,
                    code=ErrorCode.TYPE_WRONG,
                    pointer="",
                )
            ],
            reference=SNAPSHOT_REFERENCE,
        )
    problems: list[RulesError] = [
        _problem(
            "a claim snapshot does not have this key",
            key_path("", key),
            data[key],
            ErrorCode.FIELD_UNKNOWN,
        )
        for key in data
        if key not in _KEYS
    ]
    problems.extend(
        _problem("a claim snapshot needs this key", key, None, ErrorCode.FIELD_MISSING)
        for key in _KEYS
        if key not in data
    )
    if problems:
        raise InputError(problems, reference=SNAPSHOT_REFERENCE)
    if data["kind"] != SNAPSHOT_KIND:
        problems.append(
            _problem(
                f"not a claim snapshot (kind {SNAPSHOT_KIND!r})",
                "kind",
                data["kind"],
                ErrorCode.VALUE_INVALID,
            )
        )
    if data["format"] != SNAPSHOT_FORMAT or isinstance(data["format"], bool):
        problems.append(
            _problem(
                f"this version of rtaprotocol reads snapshot format {SNAPSHOT_FORMAT} only; "
                "restore the claim by replaying the snapshot's history (Claim.replay) and take "
                "a new snapshot",
                "format",
                data["format"],
                ErrorCode.VALUE_INVALID,
            )
        )
    body = {k: data[k] for k in _KEYS if k != "digest"}
    if not problems:
        try:
            same = data["digest"] == _digest(body)
        except (TypeError, ValueError):
            same = False
        if not same:
            problems.append(
                _problem(
                    "the snapshot's digest does not match its content: it was changed or "
                    "damaged after it was written; restore the claim by replaying its history",
                    "digest",
                    data["digest"],
                    ErrorCode.VALUE_INVALID,
                )
            )
    if problems:
        raise InputError(problems, reference=SNAPSHOT_REFERENCE)
    calendar = _read_calendar(data["calendar"])
    try:
        history = tuple(_claim._read_events(_list(data["history"])))
    except _Bad as bad:
        raise InputError(
            [_problem(str(bad.args[0]), "history", bad.args[1], ErrorCode.TYPE_WRONG)],
            reference=SNAPSHOT_REFERENCE,
        ) from None
    except RulesError as err:
        for p in err.problems:
            p.pointer = "/history" + (p.pointer or "")
        raise
    state = _read_state(data["state"], _Context(calendar, history))
    claim = _claim.Claim(calendar=calendar)._restored(history, state)
    if verify:
        replayed = _claim.Claim.replay(history, calendar=calendar)
        if replayed != claim or write(replayed) != {**body, "digest": data["digest"]}:
            raise InputError(
                [
                    _problem(
                        "the snapshot's state is not the state its history gives (replayed "
                        "and compared): it was changed after it was written, or written by "
                        "other rules; use the replayed claim",
                        "state",
                        None,
                        ErrorCode.VALUE_INVALID,
                    )
                ],
                reference=SNAPSHOT_REFERENCE,
            )
    return claim


def _read_calendar(value: Any) -> EnglandWalesCalendar | None:
    ok = (
        isinstance(value, Mapping)
        and set(value) == {"extra_holidays", "extra_business_days"}
        and all(isinstance(value[k], list) for k in value)
    )
    if not ok:
        raise InputError(
            [
                _problem(
                    "expected {extra_holidays: [...], extra_business_days: [...]}",
                    "calendar",
                    value,
                    ErrorCode.TYPE_WRONG,
                )
            ],
            reference=SNAPSHOT_REFERENCE,
        )
    try:
        dates = {
            k: [
                parse_iso_date(d, field=f"calendar.{k}", reference=SNAPSHOT_REFERENCE)
                for d in value[k]
            ]
            for k in value
        }
        cal = EnglandWalesCalendar(**dates)
    except RulesError as err:
        raise InputError([err], reference=SNAPSHOT_REFERENCE) from None
    return _claim._calendar(cal)


def _read_state(value: Any, ctx: _Context) -> Any:
    if not isinstance(value, Mapping):
        raise InputError(
            [_problem("the state is a JSON object", "state", value, ErrorCode.TYPE_WRONG)],
            reference=SNAPSHOT_REFERENCE,
        )
    read: dict[str, Any] = {}
    problems: list[RulesError] = [
        _problem(
            "the claim's state has no such field",
            key_path("state", key),
            value[key],
            ErrorCode.FIELD_UNKNOWN,
        )
        for key in value
        if key not in _STATE
    ]
    for name, (_w, r) in _STATE.items():
        if name not in value:
            problems.append(
                _problem(
                    "the claim's state needs this field",
                    f"state.{name}",
                    None,
                    ErrorCode.FIELD_MISSING,
                )
            )
            continue
        try:
            read[name] = r(value[name], ctx)
        except _Bad as bad:
            message, got = bad.args
            problems.append(_problem(message, f"state.{name}", got, ErrorCode.VALUE_INVALID))
    if not problems:
        if read.get("eligibility") is _CHECK_FROM_FACTS:
            facts = read.get("facts")
            if facts is None:
                problems.append(
                    _problem(
                        "an eligibility result needs the facts it is worked out from",
                        "state.eligibility",
                        True,
                        ErrorCode.VALUE_INVALID,
                    )
                )
            else:
                read["eligibility"] = check_eligibility(facts)
        history = ctx.history
        last = history[-1].on if history else None
        if read.get("last_on") != last:
            problems.append(
                _problem(
                    "the state's last action date is not the date of the history's last event",
                    "state.last_on",
                    value.get("last_on"),
                    ErrorCode.VALUE_INVALID,
                )
            )
    if problems:
        raise InputError(problems, reference=SNAPSHOT_REFERENCE)
    return _claim._State(**read)
