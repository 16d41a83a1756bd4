r"""The JSON contract: one safe reader and one canonical writer for every system.

Every entry point of the library that takes JSON *text* (:meth:`Claim.replay
<rtaprotocol.claim.Claim.replay>` given a ``str`` or ``bytes``, the command line) reads it
through :func:`loads`; every JSON the library writes (the CLI's ``--json``, the golden
files) comes from :func:`dumps`. A portal backend uses the same two functions, so it does
not re-implement bounds, duplicate keys or NaN handling (docs/json.md).

:func:`loads` refuses, with :class:`~rtaprotocol.errors.InvalidJSON` (a
:class:`~rtaprotocol.errors.RulesError` with a stable ``code``), never a bare
``ValueError`` or ``RecursionError``:

- text larger than ``max_bytes`` (16 MiB unless raised), or nested deeper than
  ``max_depth`` (64) objects and arrays;
- a key given twice in one object (``json.loads`` keeps the last one silently: a second
  ``"percent"`` would change a payment);
- ``NaN``, ``Infinity`` and ``-Infinity`` (not JSON, RFC 8259 section 6);
- bytes that are not UTF-8, a byte-order mark, and lone surrogates (``"\ud800"``), which
  no UTF-8 writer can write back (RFC 8259 section 8.1);
- a number written with more than ``max_number_chars`` (100) characters.

Numbers are kept exact: an integer is an ``int``, a number with a fraction or exponent a
:class:`~decimal.Decimal` (never a ``float``, so ``1390.10`` is not ``1390.0999...``).

:func:`dumps` is canonical: keys sorted, no insignificant whitespace (unless ``indent``),
UTF-8 text unescaped, money and percentages as two-place strings; the same value always
gives the same text.

Note: this module is ``rtaprotocol.json``. Modules of the package that need the standard
library's ``json`` write ``import json`` (an absolute import, so the standard library's),
never ``from . import json``.
"""

from __future__ import annotations

import json as _std_json
import math
import re
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import IO, Any, Final, NoReturn

# Loads the sources registry, so that the reference of each refusal raised here is a
# Reference whose citations resolve: the errors module never imports the registry itself
# (issue 25, no errors <-> sources cycle).
from rtaprotocol import sources as _sources  # noqa: F401
from rtaprotocol._decimal import exact, plain_text
from rtaprotocol.errors import ErrorCode, InvalidJSON, RulesError, RulesTypeError

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_DEPTH",
    "DEFAULT_MAX_NUMBER_CHARS",
    "JSON_REFERENCE",
    "canonical_decimal",
    "dumps",
    "load",
    "loads",
    "read_date",
    "to_jsonable",
]

#: The largest document :func:`loads` reads unless ``max_bytes`` raises it (16 MiB): a
#: claim of 10,000 events is about 2 MiB.
DEFAULT_MAX_BYTES: Final = 16 * 1024 * 1024
#: Objects and arrays nested deeper than this are refused, long before Python's recursion
#: limit: the deepest document the library reads (a claim file) nests 5 levels.
DEFAULT_MAX_DEPTH: Final = 64
#: Characters allowed in one JSON number: far beyond any amount (12 digits of pounds),
#: far inside Python's limit on turning text into an int (4,300 digits).
DEFAULT_MAX_NUMBER_CHARS: Final = 100
#: The rule cited by every refusal of :func:`loads`.
JSON_REFERENCE: Final = "rtaprotocol json text (RFC 8259)"

#: A JSON string token (escapes included), removed before brackets are counted.
_STRING: Final = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
#: Everything but a bracket, removed before the nesting depth is walked.
_NOT_BRACKET: Final = re.compile(r"[^\[\]{}]+")
#: A ``\\u`` escape of a surrogate: only then can a parsed string hold a lone surrogate.
_SURROGATE_ESCAPE: Final = re.compile(r"\\u[dD][89abcdefABCDEF]")


_NOTHING: Final[Any] = object()


def _refuse(code: str, message: str, value: object, field: str) -> NoReturn:
    if value is _NOTHING:
        raise InvalidJSON(message, code=code, field=field, reference=JSON_REFERENCE)
    raise InvalidJSON(message, code=code, value=value, field=field, reference=JSON_REFERENCE)


def _check_limit(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise RulesTypeError(
            f"a bound is a whole number, not {type(value).__name__}",
            value=value,
            field=name,
            reference=JSON_REFERENCE,
        )
    if value < 1:
        raise RulesError(
            "a bound is 1 or more",
            value=value,
            field=name,
            reference=JSON_REFERENCE,
            code=ErrorCode.VALUE_INVALID,
        )
    return int(value)


def _depth_ok(text: str, max_depth: int) -> bool:
    """Whether no object or array in ``text`` is nested deeper than ``max_depth``.

    Strings are removed first (a bracket inside one is text), then only the brackets are
    walked: a few C-speed passes and one step per bracket, before any parsing.
    """
    if text.count("[") + text.count("{") <= max_depth:  # the common case: nothing to scan
        return True
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    depth = 0
    for char in brackets:
        if char in "[{":
            depth += 1
            if depth > max_depth:
                return False
        else:
            depth -= 1
    return True


def _has_lone_surrogate(value: Any) -> bool:
    """Whether any string (key or value) in a parsed document holds a lone surrogate."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


@exact
def loads(
    text: str | bytes | bytearray,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_depth: int = DEFAULT_MAX_DEPTH,
    max_number_chars: int = DEFAULT_MAX_NUMBER_CHARS,
) -> Any:
    """Read one JSON document safely and exactly, or raise :class:`InvalidJSON`.

    Integers come back as ``int``, other numbers as :class:`~decimal.Decimal`: the value
    written, never a float's approximation of it (RFC 8259 section 6 leaves precision to
    the reader; money must be exact, guide 6.5.2). The error's ``code`` says what was
    wrong (``json.duplicate-key``, ``json.too-deep``, ``json.number-too-long``,
    ``json.not-a-number``, ``json.not-utf8``, ``json.too-large``, ``json.syntax``).

    >>> loads('{"amount": 1390.10, "n": 3}')
    {'amount': Decimal('1390.10'), 'n': 3}

    A key given twice is refused, never silently resolved to the last value:

    >>> loads('{"percent": 90, "percent": 10}')
    Traceback (most recent call last):
    ...
    rtaprotocol.errors.InvalidJSON: /percent: the same key appears twice in one JSON object, so its value is ambiguous: got 'percent' [rtaprotocol json text (RFC 8259)]
    >>> try:
    ...     loads("[" * 10_000 + "]" * 10_000)
    ... except InvalidJSON as err:
    ...     print(err.code)
    json.too-deep
    """
    max_bytes = _check_limit(max_bytes, "max_bytes")
    max_depth = _check_limit(max_depth, "max_depth")
    max_number_chars = _check_limit(max_number_chars, "max_number_chars")
    if isinstance(text, bytes | bytearray):
        if len(text) > max_bytes:
            _refuse(
                "json.too-large",
                f"the input is {len(text)} bytes, more than the {max_bytes}-byte limit",
                len(text),
                "",
            )
        try:
            decoded = bytes(text).decode("utf-8")
        except UnicodeDecodeError as err:
            _refuse("json.not-utf8", f"not UTF-8 text (byte {err.start})", _NOTHING, "")
    elif isinstance(text, str):
        decoded = str.__str__(text)
        try:
            size = len(decoded.encode("utf-8"))
        except UnicodeEncodeError as err:
            _refuse(
                "json.not-utf8",
                f"the text holds a lone surrogate at character {err.start}, which UTF-8 "
                "cannot write",
                _NOTHING,
                "",
            )
        if size > max_bytes:
            _refuse(
                "json.too-large",
                f"the input is {size} bytes, more than the {max_bytes}-byte limit",
                size,
                "",
            )
    else:
        raise RulesTypeError(
            f"JSON text is a str or bytes, not {type(text).__name__}",
            value=text,
            field="",
            reference=JSON_REFERENCE,
        )
    if not _depth_ok(decoded, max_depth):
        _refuse(
            "json.too-deep",
            f"JSON nested more than {max_depth} deep",
            _NOTHING,
            "",
        )

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        result = dict(items)
        if len(result) == len(items):  # the common case: no key given twice
            return result
        seen: set[str] = set()
        for key, _value in items:
            if key in seen:
                _refuse(
                    "json.duplicate-key",
                    "the same key appears twice in one JSON object, so its value is ambiguous",
                    key,
                    "/" + key.replace("~", "~0").replace("/", "~1"),
                )
            seen.add(key)
        raise AssertionError("unreachable: a shorter dict has a repeated key")  # pragma: no cover

    def too_long(token: str) -> NoReturn:
        _refuse(
            "json.number-too-long",
            f"a JSON number longer than {max_number_chars} characters ({len(token):,} characters)",
            token[:40] + "...",  # the start of it: a 5,000-digit value is never echoed whole
            "",
        )

    def whole(token: str) -> int:
        if len(token) > max_number_chars:
            too_long(token)
        return int(token)

    def fraction(token: str) -> Decimal:
        if len(token) > max_number_chars:
            too_long(token)
        return Decimal(token)

    def constant(name: str) -> NoReturn:
        _refuse("json.not-a-number", "NaN and Infinity are not JSON numbers", name, "")

    try:
        parsed = _std_json.loads(
            decoded,
            object_pairs_hook=pairs,
            parse_int=whole,
            parse_float=fraction,
            parse_constant=constant,
        )
    except _std_json.JSONDecodeError as err:
        _refuse(
            "json.syntax",
            f"not valid JSON: {err.msg} at line {err.lineno} column {err.colno}",
            _NOTHING,
            "",
        )
    except RecursionError:  # pragma: no cover - the depth check comes first
        _refuse("json.too-deep", "JSON nested too deeply to read", _NOTHING, "")
    if _SURROGATE_ESCAPE.search(decoded) and _has_lone_surrogate(parsed):
        _refuse(
            "json.not-utf8",
            "a \\u escape gives a lone surrogate, which UTF-8 cannot write",
            _NOTHING,
            "",
        )
    return parsed


@exact
def load(
    fp: IO[bytes] | IO[str],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_depth: int = DEFAULT_MAX_DEPTH,
    max_number_chars: int = DEFAULT_MAX_NUMBER_CHARS,
) -> Any:
    """Read one JSON document from a file object (binary or text) with :func:`loads`.

    At most ``max_bytes + 1`` bytes (characters, for a text file) are read, so a huge or
    endless input (a pipe, ``/dev/zero``) is refused without being read whole.

    >>> import io
    >>> load(io.BytesIO(b'{"on": "2023-05-02"}'))
    {'on': '2023-05-02'}
    """
    max_bytes = _check_limit(max_bytes, "max_bytes")
    raw = fp.read(max_bytes + 1)
    return loads(raw, max_bytes=max_bytes, max_depth=max_depth, max_number_chars=max_number_chars)


# --- dates in text -------------------------------------------------------------------------


@exact
def read_date(text: Any, *, field: str = "on") -> date:
    """Read a date as every reader of the library does: ``YYYY-MM-DD``, and covered.

    The grammar of every date in the library's JSON (RFC 3339 ``full-date``: exactly
    ``YYYY-MM-DD`` in ASCII digits, nothing around it, never trimmed); a day that does
    not exist is ``date.no-such-day``, another form ``date.format``; a date outside the
    calendar's range (2000-01-01 to 2100-12-31) an
    :class:`~rtaprotocol.errors.OutOfCoverageError`, never a silent answer. For a
    backend's query parameters (``?on=``), so that they are refused with the same codes
    as a date in a body; ``field`` names the parameter in the error (its ``pointer`` is
    ``/<field>``). A ``datetime.date`` passes through the same checks.

    >>> read_date("2023-05-10")
    datetime.date(2023, 5, 10)
    >>> read_date("2023-02-29", field="on")
    Traceback (most recent call last):
    ...
    rtaprotocol.errors.RulesError: on: no such date: got '2023-02-29' [rtaprotocol json text (RFC 8259)]
    """
    from rtaprotocol._checks import parse_iso_date
    from rtaprotocol.deadlines import RANGE_REFERENCE, supported_date

    day = parse_iso_date(text, field=field, reference=JSON_REFERENCE)
    return supported_date(day, field=field, reference=RANGE_REFERENCE)


# --- canonical output ---------------------------------------------------------------------

_HUNDREDTH: Final = Decimal("0.01")


@exact
def canonical_decimal(value: Decimal) -> str:
    """Return a Decimal as its one canonical JSON string.

    A value with at most two decimal places of value (every amount and every percentage
    the library accepts) is written with exactly two places: ``"2112.50"``, ``"25.00"``.
    Any other value is written in plain notation without trailing zeros (``"0.125"``).
    So ``Decimal("25")``, ``Decimal("25.0")`` and ``Decimal("2.5E+1")`` all give
    ``"25.00"``: the same value, the same text.

    >>> canonical_decimal(Decimal("25")), canonical_decimal(Decimal("1E+3"))
    ('25.00', '1000.00')
    >>> canonical_decimal(Decimal("0.1250")), canonical_decimal(Decimal("-0"))
    ('0.125', '0.00')
    """
    return _canonical_decimal(value)


def _canonical_decimal(value: Any) -> str:
    """:func:`canonical_decimal`'s work, in the library's context its caller entered."""
    if not isinstance(value, Decimal) or not value.is_finite():
        raise RulesTypeError(
            "only a finite Decimal has a JSON form",
            value=value,
            field="",
            reference=JSON_REFERENCE,
        )
    plain = Decimal(value)  # a plain Decimal (never rounded: no arithmetic on it)
    if not plain:
        return "0.00"  # -0 and 0E+5 alike
    if plain.adjusted() < 30:
        pence = plain.quantize(_HUNDREDTH)
        if pence == plain:
            return f"{pence:f}"
    return plain_text(plain)


def _is_numpy_scalar(value: object) -> bool:
    module = type(value).__module__
    return module == "numpy" or module.startswith("numpy.")


def _key(key: object) -> str:
    if isinstance(key, str):
        return str.__str__(key)
    if isinstance(key, Enum):
        return _key(key.value)
    if isinstance(key, bool) or key is None:
        return _std_json.dumps(key)
    if isinstance(key, int):
        return str(int.__int__(key))
    if isinstance(key, Decimal):
        return canonical_decimal(key)
    if isinstance(key, date):
        return key.isoformat()
    raise RulesTypeError(
        f"a JSON object key must be a string, enum, number or date, not {type(key).__name__}",
        value=key,
        field="",
        reference=JSON_REFERENCE,
    )


@exact
def to_jsonable(value: Any) -> Any:
    """Return ``value`` as data the standard ``json`` module writes, in canonical form.

    - ``Decimal``: :func:`canonical_decimal` (money and percentages ``"25.00"``);
    - ``date`` and ``datetime``: ISO strings; an ``Enum``: its ``value``;
    - a mapping: an object whose keys are strings (an enum key, such as the
      :class:`~rtaprotocol.offers.Party` keys of ``Claim.allowed_actions``, becomes its
      value); two keys that become the same string are refused;
    - a list or tuple: a list; a set: a list in canonical order;
    - anything with ``to_dict()`` (every result, every error): its ``to_dict()``;
    - numpy scalars: their Python value; a float: itself when finite.

    >>> from rtaprotocol.offers import Party
    >>> to_jsonable({Party.CLAIMANT: ("offer",), "total": Decimal("70"), "on": date(2023, 5, 2)})
    {'claimant': ['offer'], 'total': '70.00', 'on': '2023-05-02'}
    """
    return _jsonable(value)


def _jsonable(value: Any) -> Any:
    """:func:`to_jsonable`'s work, recursive without re-entering the decimal context.

    The exact types results are made of (``dict``, ``list``, ``str``, ``Decimal``,
    ``int``) are tried first: the same branch the ``isinstance`` tests below take for
    them, found in one test.
    """
    kind = type(value)
    if kind is str:
        return value
    if kind is dict:
        return _mapping(value)
    if kind is Decimal:
        return _canonical_decimal(value)
    if kind is list or kind is tuple:
        return [_jsonable(v) for v in value]
    if kind is int:
        return value
    if value is None or value is True or value is False:
        return value
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        return int.__int__(value)
    if isinstance(value, Decimal):
        return _canonical_decimal(value)
    if isinstance(value, float):
        plain = float.__float__(value)
        if not math.isfinite(plain):
            raise RulesTypeError(
                "NaN and infinities have no JSON form",
                value=value,
                field="",
                reference=JSON_REFERENCE,
            )
        return plain
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return _jsonable(value.value)
    if isinstance(value, Mapping):
        return _mapping(value)
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, set | frozenset):
        items = [_jsonable(v) for v in value]
        return sorted(items, key=lambda item: _std_json.dumps(item, sort_keys=True))
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        return _jsonable(to_dict())
    if _is_numpy_scalar(value) and callable(getattr(value, "item", None)):
        return _jsonable(value.item())
    if isinstance(value, Sequence):
        return [_jsonable(v) for v in value]
    raise RulesTypeError(
        f"cannot make {type(value).__name__} JSON-ready",
        value=value,
        field="",
        reference=JSON_REFERENCE,
    )


def _mapping(value: Mapping[Any, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in value.items():
        key = k if type(k) is str else _key(k)
        if key in out:
            raise RulesTypeError(
                "two keys of one mapping have the same JSON form",
                value=key,
                field="",
                reference=JSON_REFERENCE,
            )
        out[key] = _jsonable(v)
    return out


@exact
def dumps(value: Any, *, indent: int | None = None, sort_keys: bool = True) -> str:
    r"""Return ``value`` as canonical JSON text: the same value always gives the same text.

    Keys are sorted (by code point; ``sort_keys=False`` keeps each result's own key order,
    which is fixed by its type, for a person reading it: the CLI's ``--json``), non-ASCII text is written as UTF-8 (not ``\u``
    escapes), separators carry no spaces unless ``indent`` is given; values go through
    :func:`to_jsonable` first, so every result, error, enum, date and Decimal is written
    in its one canonical form.

    >>> from rtaprotocol import compute_payment
    >>> dumps(compute_payment({"injury": 1000}, claimant_liability_percent=25))[:60]
    '{"claimant_liability_percent":"25.00","full_value":{"injury"'
    >>> dumps({"b": Decimal("1.5"), "a": "£"}) == dumps({"a": "£", "b": Decimal("1.50")})
    True
    """
    separators = (",", ":") if indent is None else (",", ": ")
    return _std_json.dumps(
        to_jsonable(value),
        sort_keys=sort_keys,
        ensure_ascii=False,
        allow_nan=False,
        indent=indent,
        separators=separators,
    )
