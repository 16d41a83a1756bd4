"""``rtaprotocol negotiate EVENTS.json``: replay a stored negotiation (guide 6.5.3 to 6.5.6).

The file holds a JSON list of events in their ``Event.to_dict()`` form, or an object
``{"events": [...], "extra_holidays": [...], "extra_business_days": [...],
"whiplash": true}`` (``whiplash``: no offer before a ``medical-report`` event, CLA 2018 s.6). The command
prints the state, each offer's number and status, and what each side may do next as of
the last event's date (or ``--on``). Exit 0 when every event is allowed; 1 when an event
breaks a rule (the rule is printed, with the state before it); 2 when the file cannot be
read or is not a valid event list.
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from typing import Any

from rtaprotocol._checks import parse_iso_date
from rtaprotocol.cli._common import (
    add_extra_holiday_flag,
    add_json_flag,
    emit,
    extra_holidays,
    iso_date,
)
from rtaprotocol.deadlines import EnglandWalesCalendar
from rtaprotocol.errors import ProtocolViolation, RulesError, RulesTypeError
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
    parser.add_argument("events_file", metavar="EVENTS.json", help="the stored events")
    parser.add_argument(
        "--on", metavar="DATE", help="show next actions as of this date (default: last event's)"
    )
    add_extra_holiday_flag(parser)
    add_json_flag(parser)
    parser.set_defaults(run=run)


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """Build a JSON object, refusing a key given twice (json keeps the last silently)."""
    data: dict[str, Any] = {}
    for key, value in pairs:
        if key in data:
            raise RulesError(
                "a key appears twice in one JSON object, so its value is ambiguous",
                value=key,
                reference=FILE_REFERENCE,
            )
        data[key] = value
    return data


def _read(path: str) -> Any:
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle, object_pairs_hook=_no_duplicate_keys)
    except OSError as err:
        raise RulesError(
            f"cannot read the file ({err.strerror})", value=path, reference=FILE_REFERENCE
        ) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise RulesError(f"not valid JSON ({err})", value=path, reference=FILE_REFERENCE) from None


def _dates(values: Any, fld: str) -> list[date]:
    if not isinstance(values, list):
        raise RulesTypeError(
            "expected a list of dates", value=values, field=fld, reference=FILE_REFERENCE
        )
    return [parse_iso_date(v, field=fld, reference=FILE_REFERENCE) for v in values]


def _load(path: str, extra: list[date]) -> tuple[list[Event], EnglandWalesCalendar, bool]:
    """Return the events, calendar and whiplash flag in ``path``, or raise RulesError."""
    data = _read(path)
    holidays = list(extra)
    working: list[date] = []
    whiplash = False
    if isinstance(data, dict):
        unknown = sorted(set(data) - _FILE_KEYS)
        if unknown:
            raise RulesError("unknown key", value=unknown[0], reference=FILE_REFERENCE)
        holidays += _dates(data.get("extra_holidays", []), "extra_holidays")
        working = _dates(data.get("extra_business_days", []), "extra_business_days")
        whiplash = data.get("whiplash", False)
        if not isinstance(whiplash, bool):
            raise RulesTypeError(
                "whiplash is true or false", value=whiplash, field="whiplash",
                reference=FILE_REFERENCE,
            )  # fmt: skip
        data = data.get("events")
    if not isinstance(data, list):
        raise RulesTypeError(
            "expected a list of events", value=data, field="events", reference=FILE_REFERENCE
        )
    events = [Event.from_dict(e, where=f"events[{i}]") for i, e in enumerate(data)]
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
    events, calendar, whiplash = _load(args.events_file, extra_holidays(args))
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
        data["forbidden"] = {"index": i, "event": event.to_dict(), "error": err.to_dict()}
        text.insert(
            0,
            f"Forbidden: event {i} ({_describe(event)}) breaks {err.reference}: {err.message}\n"
            f"State before event {i}:",
        )
    emit(args, data, "\n\n".join(text))
    return 0 if forbidden is None else EXIT_FORBIDDEN
