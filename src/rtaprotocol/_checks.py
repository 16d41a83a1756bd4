"""Input checks shared by every rule module: dates, whole numbers, flags and enums.

Private: the public doors are the rule functions, which call these so that every
refusal carries the field name, the value received and the rule.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from datetime import date
from enum import Enum
from typing import Any, Final, Literal, TypeVar, cast

from rtaprotocol._errors_values import _shorten
from rtaprotocol.errors import ErrorCode, InputError, RulesError, RulesTypeError, json_pointer

__all__ = [
    "JSON_AMOUNT",
    "JSON_MAX_POUNDS",
    "MAX_LIST_ITEMS",
    "MAX_TEXT_CHARS",
    "check_bool",
    "check_date",
    "check_enum",
    "check_in_order",
    "check_int",
    "check_optional_bool",
    "check_size",
    "check_text",
    "count_text",
    "event_field_missing",
    "field_under",
    "located",
    "not_an_object",
    "unknown_keys",
    "with_article",
    "wrong_type",
]

E = TypeVar("E", bound=Enum)

#: ASCII digits only (``\d`` would take Arabic-Indic or full-width digits too).
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
#: An amount written as a string in a JSON input file (the schemas' amount pattern):
#: pounds, at most 12 digits before the point and two after; no sign, £ or commas.
JSON_AMOUNT: Final = re.compile(r"[0-9]{1,12}(?:\.[0-9]{1,2})?")
#: The largest amount a JSON input file may give as a whole number of pounds.
JSON_MAX_POUNDS: Final = 999_999_999_999


#: The longest free text any reader takes (a loss item's description, an event's reason, a
#: third party's name): 2,000 characters, the bound the claim's events already had. The
#: portal's own fields are shorter; far above that, text is a pasted document or an attack
#: on whoever prints it (docs/money-and-errors.md).
MAX_TEXT_CHARS: Final = 2_000
#: The most items any list in an input may hold (loss items, a claim's events): 100,000,
#: ten times the longest claim the benchmarks replay (10,000 events); far above any real
#: claim, and low enough that a document cannot make a reader loop for minutes.
MAX_LIST_ITEMS: Final = 100_000


def wrong_type(value: object, expected: str, *, field: str, reference: str) -> RulesTypeError:
    """Return the refusal of ``value`` for its type: ``expected ..., not <its type>``.

    The one wording of a type refusal (the value's type named, never its contents), for
    the readers that raise it and those that collect it with others.

    >>> print(wrong_type(5, "a string", field="description", reference="guide 5.2"))
    description: expected a string, not int: got 5 [guide 5.2]
    """
    return RulesTypeError(
        f"expected {expected}, not {type(value).__name__}",
        value=value,
        field=field,
        reference=reference,
    )


def check_text(value: Any, *, field: str, reference: str, max_chars: int = MAX_TEXT_CHARS) -> str:
    """Return ``value`` if it is a ``str`` of at most ``max_chars`` characters.

    >>> check_text("policy excess", field="description", reference="guide 5.2")
    'policy excess'
    >>> check_text("x" * 2001, field="description", reference="guide 5.2")
    Traceback (most recent call last):
    ...
    rtaprotocol.errors.RulesError: description: a text of at most 2,000 characters: got 'x... [guide 5.2]
    """
    if not isinstance(value, str):
        raise wrong_type(value, "a string", field=field, reference=reference)
    if len(value) > max_chars:
        raise RulesError(
            f"a text of at most {max_chars:,} characters",
            value=value,
            field=field,
            reference=reference,
            code=ErrorCode.VALUE_INVALID,
        )
    return str.__str__(value)


def check_size(value: Any, *, field: str, reference: str, max_items: int = MAX_LIST_ITEMS) -> None:
    """Refuse a list (any sized collection) of more than ``max_items`` items.

    >>> check_size([1, 2], field="items", reference="guide 5.2")
    >>> check_size(range(100_001), field="items", reference="guide 5.2")
    Traceback (most recent call last):
    ...
    rtaprotocol.errors.RulesError: items: a list of at most 100,000 items: got a range of 100,001 items [guide 5.2]
    """
    if len(value) > max_items:
        raise RulesError(
            f"a list of at most {max_items:,} items",
            value=_Many(value),
            field=field,
            reference=reference,
            code=ErrorCode.VALUE_INVALID,
        )


class _Many:
    """Shows a too-long list by its length in a refusal, never its items."""

    def __init__(self, value: Any) -> None:
        self.text = f"a {type(value).__name__} of {len(value):,} items"

    def __repr__(self) -> str:
        return self.text


def check_date(value: Any, *, field: str, reference: str) -> date:
    """Return ``value`` as a ``date``; a ``datetime`` gives its date (time and zone dropped).

    ISO strings are refused here on purpose: parsing belongs to the edges (CLI, JSON).
    A "not a time" value that claims to be a datetime (pandas' ``NaT``) is refused too.
    """
    if type(value) is date:
        return value
    if isinstance(value, date):
        try:  # a plain date, so NaT (a datetime with no date) cannot slip through
            return date.fromordinal(value.toordinal())
        except (ValueError, TypeError, OverflowError):
            raise RulesError(
                "not a date (a missing value such as NaT?)",
                value=value,
                field=field,
                reference=reference,
                code=ErrorCode.VALUE_INVALID,
            ) from None
    raise wrong_type(value, "a datetime.date", field=field, reference=reference)


def _iso_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:  # 2023-02-30 and the like
        return None


def parse_iso_date(value: Any, *, field: str, reference: str) -> date:
    r"""Parse ``YYYY-MM-DD`` (for JSON and the CLI); dates and datetimes pass through.

    The one date grammar of every reader: exactly ``YYYY-MM-DD`` in ASCII digits, nothing
    before or after it (``"\t2023-05-10 "`` is refused, never trimmed).

    >>> parse_iso_date("2023-05-10", field="on", reference="rtaprotocol dates")
    datetime.date(2023, 5, 10)
    >>> parse_iso_date(" 2023-05-10", field="on", reference="rtaprotocol dates")
    Traceback (most recent call last):
    ...
    rtaprotocol.errors.RulesError: on: not a date in YYYY-MM-DD form: got ' 2023-05-10' [rtaprotocol dates]
    """
    if isinstance(value, str):
        text = str.__str__(value)  # never stripped: one grammar, nothing around the date
        # fromisoformat alone also takes "20230503" and week dates ("2023-W18-3").
        if not _ISO_DATE.fullmatch(text):
            raise RulesError(
                "not a date in YYYY-MM-DD form",
                value=value,
                field=field,
                reference=reference,
                code=ErrorCode.DATE_FORMAT,
            )
        parsed = _iso_date(text)
        if parsed is None:  # 2023-02-30: the right form, but no such day
            raise RulesError(
                "no such date",
                value=value,
                field=field,
                reference=reference,
                code=ErrorCode.DATE_NO_SUCH_DAY,
            )
        return parsed
    if not isinstance(value, date):
        raise RulesTypeError(
            f"a date is a YYYY-MM-DD string or a datetime.date, not {type(value).__name__}",
            value=value,
            field=field,
            reference=reference,
        )
    return check_date(value, field=field, reference=reference)


def check_int(value: Any, *, field: str, reference: str) -> int:
    """Return ``value`` if it is an ``int`` and not a ``bool``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise wrong_type(value, "an int", field=field, reference=reference)
    return int.__int__(value)  # a plain int: a subclass's own methods are never called


def check_bool(value: Any, *, field: str, reference: str) -> bool:
    """Return ``value`` if it is a ``bool`` (``0``/``1`` are refused: say what you mean)."""
    if not isinstance(value, bool):
        raise wrong_type(value, "True or False", field=field, reference=reference)
    return value


def check_optional_bool(value: Any, *, field: str, reference: str) -> bool | None:
    """Return ``value`` if it is a ``bool`` or ``None`` (``None`` meaning not known yet)."""
    if value is None:
        return None
    return check_bool(value, field=field, reference=reference)


def check_enum(value: Any, enum: type[E], *, field: str, reference: str) -> E:
    """Return ``value`` as a member of ``enum``; its ``.value`` (a string) is accepted too."""
    if isinstance(value, enum):
        return value
    if isinstance(value, str):
        text = str.__str__(value)  # a plain copy: a subclass's own methods are never called
        found = enum._value2member_map_.get(text)  # the enum's own value look-up table
        if found is not None:
            return cast(E, found)
        for member in enum:  # values the table cannot hold (unhashable ones) are compared
            if member.value == text:
                return member
    allowed = ", ".join(repr(m.value) for m in enum)
    # A private enum's name means nothing to the reader: name the values only.
    kind = "the allowed values" if enum.__name__.startswith("_") else enum.__name__
    raise RulesError(
        f"not one of {kind}: {allowed}",
        value=value,
        field=field,
        reference=reference,
        code=ErrorCode.ENUM_UNKNOWN,
    )


def key_path(path: str, key: object) -> str:
    """Return the JSON path of the member ``key`` of the object at ``path``: every reader's.

    The one way a key taken from the input joins a field path. A key that is a plain ASCII
    name is ``path.key``; any other key (one holding ``.``, ``[``, ``$`` or a space, an
    empty key, a non-ASCII name) is ``path["key"]``, the key as a JSON string (RFC 9535's
    name selector), so that the refusal's JSON pointer (RFC 6901) names that very key, not
    a path its characters spell. ``path`` ``""`` is a name relative to the part being read
    (a plain key is then the key alone). A key that is not a string (a dict built in
    Python; JSON has none) is named by its short repr, quoted like any other key.

    >>> key_path("$", "colour"), key_path("events[2]", "a.b"), key_path("", "colour")
    ('$.colour', 'events[2]["a.b"]', 'colour')
    >>> key_path("", "a.b"), key_path("$", ""), key_path("$", 1)
    ('$["a.b"]', '$[""]', '$["1"]')
    """
    text = str.__str__(key) if isinstance(key, str) else _shorten(key)
    if text.isascii() and text.isidentifier():
        return f"{path}.{text}" if path else text
    return f"{path or '$'}[{json.dumps(text)}]"


def unknown_keys(
    keys: Iterable[Any], allowed: Sequence[str], *, path: str, reference: str, within: str = ""
) -> list[RulesError]:
    """Return the refusal of each of ``keys`` not in ``allowed``, in order: every reader's.

    A key the reader does not know is refused, never ignored (a typo would drop a value);
    the field is the key's JSON path (:func:`key_path`); ``within`` names the
    document in the message (``unknown key in a loss item``).

    >>> [str(e) for e in unknown_keys(["amount", "colour"], ("amount",), path="$", reference="guide 5.2")]
    ["$.colour: unknown key; allowed: amount: got 'colour' [guide 5.2]"]
    >>> unknown_keys(["x"], ("a", "b"), path="$", reference="guide 5.2", within="a list")[0].message
    'unknown key in a list; allowed: a, b'
    """
    where = f" in {within}" if within else ""
    allowed_text = ", ".join(allowed)
    return [
        RulesError(
            f"unknown key{where}; allowed: {allowed_text}",
            value=key,
            field=key_path(path, key),
            reference=reference,
            code=ErrorCode.FIELD_UNKNOWN,
        )
        for key in keys
        if key not in allowed
    ]


def check_in_order(on: date, last: date | None, *, reference: str) -> None:
    """Refuse an action dated before the previous one: a record's events keep their order.

    The claim's and the negotiation's one refusal (each with its own rule's reference).

    >>> check_in_order(date(2023, 5, 2), date(2023, 5, 3), reference="guide 6.1")
    Traceback (most recent call last):
    ...
    rtaprotocol.errors.RulesError: on: an action cannot be dated before the previous one (2023-05-03): got datetime.date(2023, 5, 2) [guide 6.1]
    """
    if last is not None and on < last:
        raise RulesError(
            f"an action cannot be dated before the previous one ({last})",
            value=on,
            field="on",
            reference=reference,
            code=ErrorCode.ORDER_BEFORE_PREVIOUS,
        )


#: What an event's dict form must give, by key, as :func:`event_field_missing` words it.
_EVENT_NEEDS: Final = {"kind": "a kind", "on": "a date"}


def event_field_missing(name: Literal["kind", "on"], *, reference: str) -> RulesError:
    """Return the refusal of an event's dict form without its ``kind`` or its date (``on``).

    The claim's and the negotiation's one wording (each with its own rule's reference).

    >>> err = event_field_missing("on", reference="guide 6.1")  # the date's key is "on"
    >>> str(err), err.code.value, err.pointer
    ('on: an event needs a date [guide 6.1]', 'field.missing', '/on')
    """
    return RulesError(
        f"an event needs {_EVENT_NEEDS[name]}",
        field=name,
        reference=reference,
        code=ErrorCode.FIELD_MISSING,
    )


def field_under(where: str, name: str | None) -> str:
    """Return the field ``name`` of a part read at ``where``: a JSON path's ``$`` is ``where``.

    The one way a reader that reads a part of a larger document (a claim's event, a file's
    section) names the field a refusal of that part points at; no name is ``where`` itself.

    >>> field_under("events[2]", "$.amount"), field_under("events[2]", "$[0]")
    ('events[2].amount', 'events[2][0]')
    >>> field_under("facts", "injury"), field_under("facts", None), field_under("facts", "$")
    ('facts.injury', 'facts', 'facts')
    """
    if not name or name == "$":
        return where
    if name.startswith("$"):
        return where + name[1:]
    return f"{where}.{name}"


def located(err: RulesError, where: str) -> RulesError:
    """Return ``err`` (a problem of a part read on its own) as a problem of its document.

    The one way a claim's and a negotiation's event readers place what they refuse: the
    field goes under ``where`` (:func:`field_under`) and the pointer under ``where``'s; for
    an :class:`~rtaprotocol.errors.InputError`, each of its problems. ``where`` is
    ``event`` for an event read on its own: its pointer is the document's root.

    >>> err = located(RulesError("bad", field="$.amount", reference="guide 6.1"), "events[2]")
    >>> err.field, err.pointer
    ('events[2].amount', '/events/2/amount')
    >>> located(RulesError("bad", field="on", reference="guide 6.1"), "event").pointer
    '/on'
    """
    if isinstance(err, InputError):
        return InputError([located(p, where) for p in err.problems], reference=err.reference)
    base = "" if where == "event" else (json_pointer(where) or "")
    return err.evolve(field=field_under(where, err.field), pointer=base + (err.pointer or ""))


def not_an_object(
    data: object, what: str, *, reference: str, field: str | None = "$"
) -> RulesTypeError:
    """Return the refusal of a document (or part of one) that is not a JSON object.

    Every reader's, in one form: ``what`` names the document.

    >>> str(not_an_object([1], "a claim", reference="guide 6.1"))
    '$: a claim is a JSON object, not list: got [1] [guide 6.1]'
    """
    return RulesTypeError(
        f"{what} is a JSON object, not {type(data).__name__}",
        value=data,
        field=field,
        reference=reference,
    )


def with_article(word: str) -> str:
    """Return ``word`` after "a", or "an" before a vowel: for a refusal's message.

    >>> with_article("offer"), with_article("withdraw")
    ('an offer', 'a withdraw')
    """
    return f"{'an' if word[:1] in tuple('aeiou') else 'a'} {word}"


def count_text(n: int) -> str:
    """Return a count for a refusal's message: its digits, or "that many" past a billion.

    Python refuses to write an int of more than 4,300 digits, and no reader wants one.

    >>> count_text(40), count_text(-10**9), count_text(10**5000)
    ('40', 'that many', 'that many')
    """
    return str(n) if abs(n) < 10**9 else "that many"
