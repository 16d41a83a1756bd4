"""``rtaprotocol negotiate EVENTS.json``: replay a stored negotiation (guide 6.5.3 to 6.5.6).

The file (``-`` for standard input, read through the CLI's one bounded reader, at most
16 MiB unless ``--max-bytes`` says more) holds a JSON list of events in their
``Event.to_dict()`` form, or an object ``{"events": [...], "extra_holidays": [...],
"extra_business_days": [...], "whiplash": true}`` (``whiplash``: no offer before a
``medical-report`` event, CLA 2018 s.6). The command
prints the state, each offer's number and status, and what each side may do next as of
the last event's date (or ``--on``). Exit 0 when every event is allowed; 1 when an event
breaks a rule (the rule is printed, with the state before it); 2 when the file cannot be
read or is not a valid event list (every bad event is named, one a line). Events are
numbered from 1 in messages ("event 3" is the third); JSON paths count from 0
(``$.events[2]``).
"""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from rtaprotocol._checks import parse_iso_date
from rtaprotocol.cli._common import (
    add_extra_holiday_flag,
    add_json_flag,
    add_max_bytes_flag,
    date_argument,
    emit,
    extra_holidays,
    iso_date,
    read_json_file,
)
from rtaprotocol.deadlines import EnglandWalesCalendar
from rtaprotocol.errors import InputError, ProtocolViolation, RulesError, RulesTypeError
from rtaprotocol.offers import Event, Negotiation, Party

__all__ = ["register"]

FILE_REFERENCE = (
    "a negotiate file is a JSON list of events, or an object with events, extra_holidays, "
    "extra_business_days and whiplash (rtaprotocol negotiate file)"
)
EXIT_FORBIDDEN = 1
_FILE_KEYS = frozenset({"events", "extra_holidays", "extra_business_days", "whiplash"})


def register(sub: Any) -> None:
    """Add the ``negotiate`` subcommand."""
    parser: argparse.ArgumentParser = sub.add_parser(
        "negotiate",
        help="replay a portal negotiation and say what each side may do next",
        description="Replay stored offer events (guide 6.5.3 to 6.5.6), print each offer's "
        "number and status and what each side may do next. Exits 1 if an event breaks a rule.",
    )
    parser.add_argument(
        "events_file", metavar="EVENTS.json", help="the stored events, or - for standard input"
    )
    parser.add_argument(
        "--on",
        type=date_argument,
        metavar="DATE",
        help="show next actions as of this date (default: last event's)",
    )
    add_extra_holiday_flag(parser)
    add_max_bytes_flag(parser)
    add_json_flag(parser)
    parser.set_defaults(run=run)


def _dates(values: Any, fld: str, problems: list[RulesError]) -> list[date]:
    """Read a list of dates; each bad one is added to ``problems``."""
    if not isinstance(values, list):
        problems.append(
            RulesTypeError(
                "expected a list of dates", value=values, field=fld, reference=FILE_REFERENCE
            )
        )
        return []
    days: list[date] = []
    for i, v in enumerate(values):
        try:
            days.append(parse_iso_date(v, field=fld, reference=FILE_REFERENCE))
        except RulesError as err:  # noqa: PERF203 - every bad date is reported
            problems.append(err.evolve(pointer=f"/{fld}/{i}"))
    return days


def _event(data: Any, where: str) -> Event | RulesError:
    """Return the event ``data`` describes, or the error saying why it is not one."""
    try:
        return Event.from_dict(data, where=where)
    except RulesError as err:
        return err


def _load(
    path: str, extra: list[date], max_bytes: int
) -> tuple[list[Event], EnglandWalesCalendar, bool]:
    """Return the events, calendar and whiplash flag in ``path``, or raise RulesError (exit 2)."""
    data = read_json_file(path, field="events_file", reference=FILE_REFERENCE, max_bytes=max_bytes)
    holidays = list(extra)
    working: list[date] = []
    whiplash = False
    problems: list[RulesError] = []  # every problem in the file, not only the first
    in_object = isinstance(data, dict)
    if isinstance(data, dict):
        problems.extend(
            RulesError(
                "unknown key",
                value=key,
                pointer="/" + str(key).replace("~", "~0").replace("/", "~1"),
                code="field.unknown",
                reference=FILE_REFERENCE,
            )
            for key in sorted(set(data) - _FILE_KEYS)
        )
        holidays += _dates(data.get("extra_holidays", []), "extra_holidays", problems)
        working = _dates(data.get("extra_business_days", []), "extra_business_days", problems)
        whiplash = data.get("whiplash", False)
        if not isinstance(whiplash, bool):
            problems.append(
                RulesTypeError(
                    "whiplash is true or false", value=whiplash, field="whiplash",
                    reference=FILE_REFERENCE,
                )
            )  # fmt: skip
        data = data.get("events")
    if not isinstance(data, list):
        problems.append(
            RulesTypeError(
                "expected a list of events", value=data, field="events", reference=FILE_REFERENCE
            )
        )
        data = []
    read = [_event(item, f"events[{i}]") for i, item in enumerate(data)]
    events = [e for e in read if isinstance(e, Event)]
    found = [p for e in read if isinstance(e, RulesError) for p in e.problems]
    if not in_object:  # a bare list: its events are at /0, /1..., not /events/0
        found = [p.evolve(pointer=(p.pointer or "")[len("/events") :]) for p in found]
    problems.extend(found)
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise InputError(problems, reference=FILE_REFERENCE)
    calendar = EnglandWalesCalendar(extra_holidays=holidays, extra_business_days=working)
    return events, calendar, whiplash


def _describe(event: Event) -> str:
    parts = [event.kind.value]
    if event.party is not None:
        parts.append(f"by the {event.party.value}")
    if event.amount is not None:
        parts.append(f"of £{event.amount:,.2f}")
    if event.offer_number is not None:
        parts.append(f"of offer {event.offer_number}")
    parts.append(f"on {event.on}")
    return " ".join(parts)


def _replay(
    events: list[Event], calendar: EnglandWalesCalendar, whiplash: bool = False
) -> tuple[Negotiation, tuple[int, Event, ProtocolViolation] | None]:
    """Apply events until one breaks a rule; return the state and that event, if any."""
    negotiation = Negotiation(calendar=calendar, whiplash=whiplash)
    done = 0
    try:
        for event in events:
            negotiation = negotiation.apply(event)
            done += 1
    except ProtocolViolation as err:
        return negotiation, (done, events[done], err)
    return negotiation, None


def run(args: argparse.Namespace) -> int:
    """Replay the events; print the state, the next actions and any broken rule."""
    events, calendar, whiplash = _load(args.events_file, extra_holidays(args), args.max_bytes)
    negotiation, forbidden = _replay(events, calendar, whiplash)
    as_of = iso_date(args.on) if args.on else negotiation.last_action_on
    allowed = {} if as_of is None else {p: negotiation.allowed_actions(p, as_of) for p in Party}
    data: dict[str, Any] = {
        "negotiation": negotiation.to_dict(),
        "as_of": as_of,
        "next": {p.value: a.to_dict() for p, a in allowed.items()},
        "forbidden": None,
    }
    text = [str(negotiation)]
    if as_of is None:
        text.append("No events yet: the compensator makes the first offer (guide 6.5.3.1).")
    text.extend(str(a) for a in allowed.values())
    if forbidden is not None:
        i, event, err = forbidden
        data["forbidden"] = {
            "index": i,
            "number": i + 1,
            "event": event.to_dict(),
            "error": err.to_dict(),
        }
        text.insert(
            0,
            f"Forbidden: event {i + 1} ({_describe(event)}) breaks {err.reference}: "
            f"{err.message}\nState before event {i + 1}:",
        )
    emit(args, data, "\n\n".join(text))
    return 0 if forbidden is None else EXIT_FORBIDDEN
