"""Storing and restoring a claim: replay of its events, ``to_dict`` and ``from_dict``.

Guide 6.1 and docs/claim.md: the bodies of ``Claim.replay``, ``Claim.to_dict`` and
``Claim.from_dict`` (the façade keeps their docstrings). Snapshots, which restore without
replaying, are :mod:`rtaprotocol.claim.snapshot`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sized
from datetime import date
from typing import TYPE_CHECKING, Any

from rtaprotocol._checks import check_size, key_path, located, not_an_object, parse_iso_date
from rtaprotocol._persistent import Vec
from rtaprotocol._render import jsonable
from rtaprotocol.claim.events import (
    ClaimEvent,
    _check_today,
    _in_list,
    _read_events,
    _repeats,
)
from rtaprotocol.claim.kinds import EVENT_REFERENCE, ORDER_REFERENCE
from rtaprotocol.claim.payment import _value_flags
from rtaprotocol.claim.transitions import _apply
from rtaprotocol.deadlines import EnglandWalesCalendar
from rtaprotocol.errors import (
    ErrorCode,
    InputError,
    ProtocolViolation,
    RulesError,
    RulesTypeError,
)
from rtaprotocol.json import loads as json_loads
from rtaprotocol.json import to_jsonable

if TYPE_CHECKING:
    from rtaprotocol.claim.facade import Claim


def _listed(value: Any, fld: str) -> list[Any]:
    if not isinstance(value, list):
        raise RulesTypeError(
            "expected a list of dates", value=value, field=fld, reference=ORDER_REFERENCE
        )
    return value


def _shown(value: Any) -> str:
    text = repr(to_jsonable(value))
    return text if len(text) <= 60 else text[:57] + "..."


# --- the bodies of Claim.replay, Claim.to_dict and Claim.from_dict (the façade delegates) --


def _replay_of(
    cls: type[Claim],
    events: Iterable[ClaimEvent | Mapping[str, Any]] | str | bytes,
    *,
    calendar: EnglandWalesCalendar | None = None,
    today: date | None = None,
) -> Claim:
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
            raise located(err, f"events[{i}]") from None
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


def _to_dict_of(self: Claim) -> dict[str, Any]:
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


def _in_history(err: RulesError) -> RulesError:
    """Return ``err`` (a problem of :meth:`Claim.replay`) located in a claim's ``history``.

    ``replay`` names the list it reads ``events``; in a claim document it is ``history``,
    so both the field (``events[2].on``) and its JSON pointer (``/events/2/on``) move, and
    so do those of each problem a refusal for several reasons holds (an ineligible claim's
    criteria, guide 4.1 and 4.2, which ``replay`` points into ``/events/i`` too).
    """
    field, pointer = err.field, err.pointer
    if field is not None and (field == "events" or field.startswith(("events[", "events."))):
        field = "history" + field[len("events") :]
    if pointer is not None and (pointer == "/events" or pointer.startswith("/events/")):
        pointer = "/history" + pointer[len("/events") :]
    changes: dict[str, object] = {"field": field, "pointer": pointer}
    if isinstance(err, ProtocolViolation) and err.problems != (err,):
        changes["problems"] = [_in_history(part) for part in err.problems]
    return err.evolve(**changes)


def _from_dict_of(cls: type[Claim], data: Any) -> Claim:
    if not isinstance(data, Mapping):
        raise InputError(
            [not_an_object(data, "a claim", reference=EVENT_REFERENCE)],
            reference=EVENT_REFERENCE,
        )
    known = set(cls().to_dict())  # the keys to_dict writes
    problems: list[RulesError] = [
        RulesError(
            "a claim does not have this key",
            value=data[k],
            field=key_path("", k),
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
                    for d in _listed(data.get("extra_business_days") or [], "extra_business_days")
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
    except InputError as err:
        raise InputError([_in_history(p) for p in err.problems], reference=err.reference) from None
    except RulesError as err:
        raise _in_history(err) from None
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
