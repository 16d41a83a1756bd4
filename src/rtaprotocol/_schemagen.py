"""Build the JSON Schemas that come from the readers' own definitions, so they cannot drift.

The event schemas (``event`` for the union, ``event-KIND`` for each kind) are generated
from :data:`rtaprotocol.claim._SPEC` (each kind's fields and whether each is required),
``_DEFAULTS`` (what an absent optional field means) and the JSON Schema fragment each
field's converter carries (``_FIELD_SCHEMAS``, or an enum field's ``.schema``). The
shared definitions come from the readers' constants (the amount grammar
``JSON_AMOUNT``, its bound ``MAX_AMOUNT``, the supported date range) and from the
hand-maintained schemas of the documents an event embeds (``claim-facts``,
``list-of-losses``, ``cru-certificate``), copied in so that every generated file stands
alone. The claim file's ``$defs`` and the error document are generated too.

A converter with no fragment raises :class:`SchemaGenerationError`: a new event field
cannot ship without its schema. ``tests/test_schemas.py`` checks that every committed
file equals what this module builds; rewrite them after changing a reader with::

    python -m rtaprotocol._schemagen           # writes src/rtaprotocol/data/schemas/
    python -m rtaprotocol._schemagen --check   # exit 1, naming each stale file

>>> schemas = build()
>>> schemas["event-liability-challenge"]["required"]
['kind', 'on', 'percent']
>>> schemas["event"]["properties"]["kind"]["enum"][:2]
['submitted', 'liability-response']
"""

from __future__ import annotations

import copy
import json
import sys
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any, Final

from rtaprotocol import claim, errors
from rtaprotocol._checks import JSON_AMOUNT, with_article
from rtaprotocol.deadlines import FIRST_SUPPORTED_DATE, LAST_SUPPORTED_DATE
from rtaprotocol.money import MAX_AMOUNT
from rtaprotocol.offers import Party
from rtaprotocol.schemas import SCHEMA_SUFFIX, schema

__all__ = ["SchemaGenerationError", "build", "check", "event_schema", "main", "render"]

DRAFT: Final = "https://json-schema.org/draft/2020-12/schema"
ID_PREFIX: Final = "https://rtaprotocol.invalid/schemas/"
FOLDER: Final = Path(__file__).resolve().parent / "data" / "schemas"
#: Schemas whose $defs are generated but whose top level is kept as written by hand.
SPLICED: Final = ("claim",)


class SchemaGenerationError(Exception):
    """A reader's definition the generator cannot describe (a converter with no fragment)."""


# --- shared definitions ------------------------------------------------------------------


def _date_def() -> dict[str, Any]:
    if date(2000, 1, 1) != FIRST_SUPPORTED_DATE or date(2100, 12, 31) != LAST_SUPPORTED_DATE:
        raise SchemaGenerationError(
            "the supported date range changed: update the date pattern in _schemagen.py"
        )
    return {
        "type": "string",
        "format": "date",
        "pattern": "^(20[0-9]{2}|2100)-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])(?!\\n)$",
        "description": "A day as YYYY-MM-DD, nothing around it, 2000-01-01 to 2100-12-31 (the "
        "calendar's coverage); a real day (format date: validate with a format checker).",
    }


def _money_def() -> dict[str, Any]:
    return {
        "oneOf": [
            {"type": "string", "pattern": f"^{JSON_AMOUNT.pattern}(?!\\n)$"},
            {
                "type": "number",
                "minimum": 0,
                "maximum": float(MAX_AMOUNT),
                "multipleOf": 0.01,
            },
        ],
        "description": 'Pounds: a string with at most two decimal places ("1390.50") or a JSON '
        "number with at most two decimal places, at most 999999999999.99; no sign, £, "
        "commas or exponent in a string. [guide 4.4, 6.5.2]",
    }


def _percent_def() -> dict[str, Any]:
    return {
        "oneOf": [
            {
                "type": "string",
                "pattern": "^([0-9]{1,2}(\\.[0-9]{1,2})?|100(\\.0{1,2})?)(?!\\n)$",
            },
            {"type": "number", "minimum": 0, "maximum": 100, "multipleOf": 0.01},
        ],
        "description": 'A percentage, 0 to 100 with at most two decimal places ("33.33" or '
        "33.33); no sign or % sign. [rtaprotocol percentages]",
    }


def _body(name: str) -> dict[str, Any]:
    """Return the shipped schema ``name`` without its document keys, to embed as a $def."""
    data = schema(name)
    for key in ("$schema", "$id"):
        data.pop(key, None)
    return data


def _list_of_losses_def() -> dict[str, Any]:
    data = _body("list-of-losses")
    data.pop("$defs")
    # ListOfLosses.from_dict refuses cru_certificate: only the `rtaprotocol losses` file has it.
    data["properties"].pop("cru_certificate")
    data["properties"]["items"]["items"] = {"$ref": "#/$defs/loss_item"}
    data["description"] = (
        "A List of Losses as rtaprotocol.ListOfLosses.from_dict reads it (guide 5.2); the "
        "totals, value_limits, warnings and reference keys to_dict writes are ignored."
    )
    return data


def _loss_item_def() -> dict[str, Any]:
    item: dict[str, Any] = schema("list-of-losses")["$defs"]["item"]
    return item


#: Every shared definition an event field's fragment may name as "#/$defs/NAME".
SHARED: Final[dict[str, Callable[[], dict[str, Any]]]] = {
    "date": _date_def,
    "money": _money_def,
    "percent": _percent_def,
    "facts": lambda: _body("claim-facts"),
    "list_of_losses": _list_of_losses_def,
    "loss_item": _loss_item_def,
    "cru_certificate": lambda: _body("cru-certificate"),
}


def _refs(node: Any) -> set[str]:
    """Every local $def named by a $ref in ``node``."""
    found: set[str] = set()
    if isinstance(node, Mapping):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            found.add(ref.removeprefix("#/$defs/"))
        for value in node.values():
            found |= _refs(value)
    elif isinstance(node, list):
        for value in node:
            found |= _refs(value)
    return found


def _shared_defs(node: Any) -> dict[str, Any]:
    """Return the shared definitions ``node`` needs, and those they need in turn, sorted by name."""
    wanted = {name for name in _refs(node) if name in SHARED}
    defs: dict[str, Any] = {}
    while wanted - set(defs):
        for name in sorted(wanted - set(defs)):
            defs[name] = SHARED[name]()
            wanted |= {n for n in _refs(defs[name]) if n in SHARED}
    return dict(sorted(defs.items()))


# --- events --------------------------------------------------------------------------------


def field_fragment(converter: Callable[[Any, str], Any], where: str) -> dict[str, Any]:
    """Return the JSON Schema fragment of what ``converter`` accepts, or fail loudly."""
    own = getattr(converter, "schema", None)
    if isinstance(own, Mapping):
        return copy.deepcopy(dict(own))
    fragment = claim._FIELD_SCHEMAS.get(converter)
    if fragment is None:
        raise SchemaGenerationError(
            f"{where}: its converter {getattr(converter, '__name__', converter)!r} has no JSON "
            "Schema fragment; add one to rtaprotocol.claim._FIELD_SCHEMAS"
        )
    return copy.deepcopy(fragment)


def _event_id_property() -> dict[str, Any]:
    """Return the ``event_id`` every kind takes (rtaprotocol.claim._event_id's rule).

    The reader takes 1 to ``MAX_EVENT_ID_LENGTH`` printable characters; the schema states
    printable ASCII, a subset JSON Schema can say the same way in every regex dialect.
    """
    most = claim.MAX_EVENT_ID_LENGTH
    return {
        "event_id": {
            "anyOf": [
                {"type": "string", "pattern": f"^[ -~]{{1,{most}}}(?!\\n)$", "maxLength": most},
                {"type": "null"},
            ],
            "description": (
                "The caller's id for the event (a UUID, say): a retried append with the same "
                "id and content is a no-op, the same id with other content is refused. "
                f"Absent or null: none. [{claim.EVENT_ID_REFERENCE}]"
            ),
        }
    }


def _default(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def _kind_body(kind: claim.ClaimEventKind) -> dict[str, Any]:
    """Return the schema of one event kind, its $refs naming the shared definitions."""
    spec = claim._SPEC[kind]
    defaults = claim._DEFAULTS.get(kind, {})
    actor = claim._ACTOR[kind]
    properties: dict[str, Any] = {
        "kind": {"const": kind.value},
        "on": {"$ref": "#/$defs/date", "description": "The day of the action. [guide 6.1]"},
    }
    properties.update(_event_id_property())
    for name, (converter, required) in sorted(spec.items()):
        fragment = field_fragment(converter, f"{kind.value}.{name}")
        if required:
            properties[name] = fragment
            continue
        meaning = (
            f"absent or null: {json.dumps(_default(defaults[name]))}"
            if name in defaults
            else "may be absent or null"
        )
        properties[name] = {"anyOf": [fragment, {"type": "null"}], "description": meaning}
        if name in defaults:
            properties[name]["default"] = _default(defaults[name])
    who = "the event's party field" if actor is None else f"the {actor.value}"
    return {
        "title": f"rtaprotocol {kind.value} event",
        "description": (
            f"{with_article(kind.value).capitalize()} event as rtaprotocol.ClaimEvent.from_dict "
            f"reads it; who acts: "
            f"{who}. Whether the event may happen in the claim's state is the protocol's "
            f"rule, checked by Claim.apply (ProtocolViolation), not by this schema. "
            f"[{claim.EVENT_REFERENCE}]"
        ),
        "type": "object",
        "required": ["kind", "on", *sorted(n for n, (_c, req) in spec.items() if req)],
        "additionalProperties": False,
        "properties": properties,
    }


def _document(name: str, body: dict[str, Any]) -> dict[str, Any]:
    """``body`` as a standalone schema file: draft, $id, then its keys, then its $defs."""
    out: dict[str, Any] = {"$schema": DRAFT, "$id": f"{ID_PREFIX}{name}{SCHEMA_SUFFIX}"}
    out.update(body)
    defs = _shared_defs(body)
    if defs:
        out["$defs"] = defs
    return out


def event_schema(kind: claim.ClaimEventKind | str) -> dict[str, Any]:
    """Return the standalone schema of one event kind (``rtaprotocol schema event-KIND``).

    >>> event_schema("reject")["properties"]["party"]
    {'enum': ['compensator', 'claimant']}
    >>> event_schema("accept")["properties"]["offer_number"]["anyOf"][0]
    {'type': 'integer', 'minimum': 1, 'maximum': 3}
    """
    k = claim.ClaimEventKind(kind)
    return _document(f"event-{k.value}", _kind_body(k))


def _union(kinds: Sequence[claim.ClaimEventKind]) -> dict[str, Any]:
    """Return a oneOf of ``kinds``, discriminated by ``kind``; each kind's body in ``$defs``."""
    return {
        "type": "object",
        "required": ["kind", "on"],
        "properties": {"kind": {"enum": [k.value for k in kinds]}},
        "oneOf": [{"$ref": f"#/$defs/event-{k.value}"} for k in kinds],
    }


def _union_defs(kinds: Sequence[claim.ClaimEventKind]) -> dict[str, Any]:
    bodies = {f"event-{k.value}": _kind_body(k) for k in kinds}
    return {**_shared_defs(bodies), **bodies}


def _events_union() -> dict[str, Any]:
    kinds = list(claim.ClaimEventKind)
    body = {
        "$schema": DRAFT,
        "$id": f"{ID_PREFIX}event{SCHEMA_SUFFIX}",
        "title": "rtaprotocol claim event",
        "description": (
            "Any claim event (Claim.apply, Claim.replay, ClaimEvent.from_dict): one of the "
            "kinds in $defs, chosen by its kind. Each kind's own schema is `rtaprotocol "
            "schema event-KIND`. The rules across a claim's events (which event may follow "
            "which, events in date order, an event_id naming one event) are checked by "
            f"Claim.apply and Claim.replay, not by this schema. [{claim.EVENT_REFERENCE}]"
        ),
        **_union(kinds),
    }
    body["$defs"] = _union_defs(kinds)
    return body


def _claim_file(written: Mapping[str, Any]) -> dict[str, Any]:
    """Return the claim file schema: its top level as written, its $defs generated."""
    out = {k: copy.deepcopy(v) for k, v in written.items() if k != "$defs"}
    # The file's events are those after submission: `submitted` is built from its facts.
    kinds = [k for k in claim.ClaimEventKind if k is not claim.ClaimEventKind.SUBMITTED]
    event = _union(kinds)
    event["description"] = (
        "One portal event after submission (`rtaprotocol schema event-KIND` for each kind); "
        "the events are applied in order, each checked against the state it arrives in."
    )
    defs = {**_shared_defs(out), **_union_defs(kinds), "event": event}
    out["$defs"] = dict(sorted(defs.items()))
    return out


# --- the error document ----------------------------------------------------------------------


def _error_classes() -> list[str]:
    found: list[str] = []
    stack: list[type[errors.RulesError]] = [errors.RulesError]
    while stack:
        cls = stack.pop()
        if cls.__module__ == errors.__name__ and cls.__name__ not in found:
            found.append(cls.__name__)
        stack.extend(cls.__subclasses__())
    return sorted(found)


def _error_document() -> dict[str, Any]:
    text_or_null = {"type": ["string", "null"]}
    problem: dict[str, Any] = {
        "type": "object",
        "required": ["error", "code", "pointer", "message", "reference", "field", "value"],
        "additionalProperties": False,
        "properties": {
            "error": {
                "enum": _error_classes(),
                "description": "The class raised (rtaprotocol.errors).",
            },
            "code": {
                "enum": [code.value for code in errors.ErrorCode],
                "description": "A stable machine code (rtaprotocol.errors.ErrorCode, docs/errors.md).",
            },
            "pointer": {
                "anyOf": [{"type": "string", "pattern": "^(/([^~/]|~[01])*)*$"}, {"type": "null"}],
                "description": 'Where in the input, as an RFC 6901 JSON pointer ("": the '
                "whole document; null: the error is about no place in an input).",
            },
            "message": {"type": "string", "description": "What was wrong."},
            "reference": {
                "type": "string",
                "description": "The rule (guide paragraph, CPR rule, regulation) that refuses it.",
            },
            "field": {
                **text_or_null,
                "description": "The same place as the reader names it; null when none applies.",
            },
            "value": {
                "description": "The value received, in JSON form (shortened when long); null "
                "when there is none."
            },
            "party": {**text_or_null, "description": "ProtocolViolation: who acted."},
            "action": {**text_or_null, "description": "ProtocolViolation: what they tried."},
            "state": {**text_or_null, "description": "ProtocolViolation: the state refusing it."},
        },
    }
    own = copy.deepcopy(problem["properties"])
    return {
        "$schema": DRAFT,
        "$id": f"{ID_PREFIX}error{SCHEMA_SUFFIX}",
        "title": "rtaprotocol error",
        "description": (
            "A refusal as data: rtaprotocol.errors.RulesError.to_dict(). problems lists every "
            "problem found in the same shape (one, the error itself, for a single problem); "
            'an InputError with several has code input.invalid and pointer "".'
        ),
        "type": "object",
        "required": [*problem["required"], "problems"],
        "additionalProperties": False,
        "properties": {
            **own,
            "problems": {
                "type": "array",
                "minItems": 1,
                "items": {"$ref": "#/$defs/problem"},
                "description": "Every problem found, in the order found.",
            },
            "expected_version": {
                "type": "integer",
                "description": "ConcurrencyError: the version the caller expected.",
            },
            "current_version": {
                "type": "integer",
                "description": "ConcurrencyError: the claim's version now.",
            },
        },
        "$defs": {"problem": problem},
    }


# --- the report ------------------------------------------------------------------------------


def _closed(required: Sequence[str], **properties: Any) -> dict[str, Any]:
    """Return an object schema with exactly the keys ``required`` (each described in ``properties``)."""
    props = {name: properties.get(name, {}) for name in required}
    return {
        "type": "object",
        "required": list(required),
        "additionalProperties": False,
        "properties": props,
    }


_NULLABLE_DATE: Final = {"anyOf": [{"$ref": "#/$defs/date"}, {"type": "null"}]}
_OUT_MONEY: Final = {"$ref": "#/$defs/money_out"}
_TEXT: Final = {"type": "string"}
_TEXTS: Final = {"type": "array", "items": {"type": "string"}}


def _deadline_out() -> dict[str, Any]:
    base = ("name", "party", "period", "started_on", "due", "reference", "met_on", "late")
    data = _closed(
        (*base, "on_expiry"),
        name=_TEXT,
        party={"enum": [p.value for p in Party]},
        period={"type": ["string", "null"]},
        started_on={"$ref": "#/$defs/date"},
        due={"$ref": "#/$defs/date"},
        reference=_TEXT,
        met_on=_NULLABLE_DATE,
        late={"type": "boolean"},
        on_expiry={"type": ["string", "null"]},
    )
    # A deadline seen on a day (next_steps) also says where it stands that day.
    data["properties"]["status"] = _TEXT
    data["properties"]["days_left"] = {"type": "integer"}
    data["properties"]["days_unit"] = {"enum": ["business days", "calendar days"]}
    return data


def _report() -> dict[str, Any]:
    kinds = list(claim.ClaimEventKind)
    steps = {"enum": [s.value for s in claim.Step]}
    deadlines = {"type": "array", "items": {"$ref": "#/$defs/deadline"}}
    party_steps = _closed(
        ("party", "actions", "deadlines"),
        party={"enum": [p.value for p in Party]},
        actions={"type": "array", "items": {"enum": [k.value for k in kinds]}},
        deadlines=deadlines,
    )
    payment = _closed(
        (
            "total",
            "breakdown",
            "cru",
            "cru_not_set_off",
            "interim_items",
            "liability_basis",
            "notes",
        ),
        liability_basis={
            "type": ["string", "null"],
            "description": "Where the share of liability applied comes from, when known.",
        },
        total=_OUT_MONEY,
        breakdown={"type": "object", "required": ["total", "reference"]},
        cru={"type": "array", "items": {"type": "object"}},
        cru_not_set_off=_OUT_MONEY,
        interim_items={"type": "array"},
        notes=_TEXTS,
    )
    no_payment = _closed(
        ("none", "reference"),
        none={"type": "string", "description": "Why there is no payment breakdown yet."},
        reference=_TEXT,
    )
    body: dict[str, Any] = {
        "$schema": DRAFT,
        "$id": f"{ID_PREFIX}report{SCHEMA_SUFFIX}",
        "title": "rtaprotocol claim report",
        "description": (
            "The whole report on one claim: Claim.report(on).to_dict(), which "
            "`rtaprotocol assess --json` prints: "
            "eligibility (guide 4.1 to 4.3), the injury valuation, the payment breakdown of "
            "the latest offer (guide 6.5.2), the negotiation, the deadlines and what each "
            "side may do next on as_of, the limitation deadline (guide 5.4) and the claim "
            "itself with its history (each entry an event as `rtaprotocol schema event` "
            "describes it). Amounts are strings with two decimal places."
        ),
        **_closed(
            (
                "as_of",
                "step",
                "eligibility",
                "valuation",
                "payment",
                "negotiation",
                "next_steps",
                "limitation_deadline",
                "claim",
            ),
            as_of={"$ref": "#/$defs/date"},
            step=steps,
            eligibility={
                "type": "object",
                "required": ["eligible", "verdict", "checks", "value_limits", "facts"],
                "properties": {
                    "eligible": {
                        "type": ["boolean", "null"],
                        "description": "null: cannot tell yet (a fact not known).",
                    },
                    "verdict": _TEXT,
                    "facts": {"$ref": "#/$defs/facts"},
                },
            },
            valuation=_closed(
                ("tariff", "non_whiplash", "mixed"),
                tariff={"type": ["object", "null"]},
                non_whiplash={
                    "type": "array",
                    "items": _closed(
                        ("area", "description", "amount", "jcg"),
                        area=_TEXT,
                        description=_TEXT,
                        amount=_OUT_MONEY,
                        jcg={"type": "object"},
                    ),
                },
                mixed={"type": ["object", "null"]},
            ),
            payment={"oneOf": [payment, no_payment]},
            negotiation={
                "type": "object",
                "required": ["stage", "offers", "history"],
                "properties": {"offers": {"type": "array"}, "history": {"type": "array"}},
            },
            next_steps=_closed(
                ("on", "step", "deadlines", "overdue", "parties", "court_routes", "notes"),
                court_routes={
                    "type": "array",
                    "items": {"type": "object", "required": ["issue", "why", "reference"]},
                    "description": "Each issue the claimant may take to court now, and why.",
                },
                notes=_TEXTS,
                on={"$ref": "#/$defs/date"},
                step=steps,
                deadlines=deadlines,
                overdue=deadlines,
                parties={"type": "object", "additionalProperties": party_steps},
            ),
            limitation_deadline=_NULLABLE_DATE,
            claim={
                "type": "object",
                "required": ["step", "losses", "negotiation", "deadlines", "history"],
                "properties": {
                    "step": steps,
                    "losses": {"type": "object"},
                    "deadlines": deadlines,
                    "history": {"type": "array", "items": {"$ref": "#/$defs/event"}},
                },
            },
        ),
    }
    event = _union(kinds)
    defs = {
        **_shared_defs(body),
        **_union_defs(kinds),
        "event": event,
        "deadline": _deadline_out(),
        "money_out": {
            "type": "string",
            "pattern": "^[0-9]+\\.[0-9]{2}(?!\\n)$",
            "description": "Pounds written by the library: digits, a point, two places.",
        },
    }
    body["$defs"] = dict(sorted({**defs, **_shared_defs(defs)}.items()))
    return body


# --- building and checking --------------------------------------------------------------------


def build() -> dict[str, dict[str, Any]]:
    """Return every generated schema by name, from the readers' definitions as they are now."""
    out: dict[str, dict[str, Any]] = {"event": _events_union()}
    for kind in claim.ClaimEventKind:
        out[f"event-{kind.value}"] = event_schema(kind)
    out["error"] = _error_document()
    out["report"] = _report()
    for name in SPLICED:
        out[name] = _claim_file(schema(name))
    return dict(sorted(out.items()))


def render(data: Mapping[str, Any]) -> str:
    """Return a schema as its file's text: two-space indented JSON and a final newline."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def check(folder: Path | None = None) -> list[str]:
    """Return the name of every generated schema whose file in ``folder`` differs or is missing.

    ``folder`` defaults to the package's own ``data/schemas``.
    """
    folder = FOLDER if folder is None else folder
    stale = []
    for name, data in build().items():
        path = folder / f"{name}{SCHEMA_SUFFIX}"
        if not path.is_file() or path.read_text(encoding="utf-8") != render(data):
            stale.append(name)
    return stale


def main(argv: Sequence[str] | None = None) -> int:
    """Write the generated schemas (or, with ``--check``, report the stale ones)."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args == ["--check"]:
        stale = check()
        for name in stale:
            print(f"{name}{SCHEMA_SUFFIX} is stale: run python -m rtaprotocol._schemagen")
        return 1 if stale else 0
    if args:
        print("usage: python -m rtaprotocol._schemagen [--check]", file=sys.stderr)
        return 2
    for name, data in build().items():
        (FOLDER / f"{name}{SCHEMA_SUFFIX}").write_text(render(data), encoding="utf-8")
    return 0


if __name__ == "__main__":  # pragma: no cover - the command line
    sys.exit(main())
