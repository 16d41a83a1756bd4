"""How an error shows the value it received: in its message, and as JSON in ``to_dict``.

A private part of :mod:`rtaprotocol.errors` (issue 25: the module was over 900 lines).
Nothing here raises, and nothing builds a huge string: an int too long to write out is
described by its length, a long container by its number of items, and a ``Decimal`` is
written in a fixed context, so a message is the same whatever the caller's decimal
context. Like :mod:`rtaprotocol.errors`, this module imports nothing of the package.
"""

from __future__ import annotations

import decimal
import math
from collections.abc import Mapping, Sized
from datetime import date
from enum import Enum
from typing import Any, Final

#: Above this many bits an int is described by its length, never written out: Python
#: refuses to write an int of more than 4,300 digits (``sys.set_int_max_str_digits``).
_LONG_INT_BITS: Final = 256
#: Above this many bits the digits of a long int are counted roughly (``about 400,000``).
_EXACT_COUNT_BITS: Final = 1_000_000
#: Containers longer than this are described by their length.
_MANY_ITEMS: Final = 20
#: A string value longer than this is shortened in ``to_dict`` too.
_LONGEST_STRING: Final = 1_000
#: Nested containers deeper than this are shown as ``...``.
_DEEPEST: Final = 3
#: ``repr(Decimal)`` and ``str(Decimal)`` read the thread's context (``capitals``): this
#: fixed one makes every message the same whatever the caller has set.
_TEXT_CONTEXT: Final = decimal.Context(
    prec=28,
    rounding=decimal.ROUND_HALF_EVEN,
    Emin=-999_999,
    Emax=999_999,
    capitals=1,
    clamp=0,
    flags=[],
    traps=[],
)


def _digits(magnitude: int) -> str:
    """Count the decimal digits of ``magnitude`` (>= 0), without writing it out."""
    guess = int((magnitude.bit_length() - 1) * math.log10(2)) + 1
    if magnitude.bit_length() > _EXACT_COUNT_BITS:  # 10**guess would itself take long
        return f"about {guess:,}"
    return f"{guess + 1 if magnitude >= 10**guess else guess:,}"


def _long_int(value: object) -> str | None:
    """Describe an int too long to write out (``an int of 5,000 digits``), else None."""
    if isinstance(value, int) and not isinstance(value, bool):
        plain = int.__int__(value)  # a subclass's own methods are never called
        if plain.bit_length() > _LONG_INT_BITS:
            sign = "a negative" if plain < 0 else "an"
            return f"{sign} int of {_digits(abs(plain))} digits"
    return None


def _long_decimal(value: object) -> str | None:
    """Describe a Decimal with too many digits to write out, else None."""
    if isinstance(value, decimal.Decimal):
        digits = len(value.as_tuple().digits)
        if digits > 80:
            return f"a Decimal of {digits:,} digits"
    return None


def _repr(value: object, depth: int = 0) -> str:
    """``repr(value)``, except that it never raises and never writes out a huge value."""
    described = _long_int(value) or _long_decimal(value)
    if described is not None:
        return described
    if isinstance(value, str | bytes | bytearray) and len(value) > _MANY_ITEMS * 4:
        return repr(value[: _MANY_ITEMS * 4])[:-1] + "..."  # a slice is a plain str/bytes
    kind = type(value)
    if kind in (list, tuple, set, frozenset, dict):
        return _container_repr(value, depth)
    try:
        return repr(value)
    except Exception:  # a repr that fails must not hide the real error
        return f"a {kind.__name__} that cannot be shown"


def _container_repr(value: Any, depth: int) -> str:
    kind = type(value)
    if len(value) > _MANY_ITEMS:
        return f"a {kind.__name__} of {len(value):,} items"
    if depth >= _DEEPEST:
        return "..."
    if kind is dict:
        inner = ", ".join(f"{_repr(k, depth + 1)}: {_repr(v, depth + 1)}" for k, v in value.items())
        return "{" + inner + "}"
    items = [_repr(v, depth + 1) for v in value]
    if kind is list:
        return "[" + ", ".join(items) + "]"
    if kind is tuple:
        return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
    if not items:
        return f"{kind.__name__}()"
    braced = "{" + ", ".join(items) + "}"
    return braced if kind is set else f"frozenset({braced})"


def _shorten(value: object, limit: int = 80) -> str:
    """Show the value as a message does: its repr, cut to ``limit`` characters.

    It never raises and never builds a huge string: an int too long to write out is
    described by its length, and so is a long container.
    """
    with decimal.localcontext(_TEXT_CONTEXT):
        text = _repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _json_value(value: object, depth: int = 0) -> object:
    """Return the value received as JSON data: the ``value`` of :meth:`RulesError.to_dict`.

    Numbers and strings stay as received (a float that is not finite, an int of more than
    77 digits and a string of more than 1,000 characters become a short description); a Decimal becomes its
    decimal string, a date or datetime its ISO form, an Enum its value, lists, tuples and
    sets lists, and mappings objects, recursively. Anything else becomes a short
    description (its repr, cut to 80 characters).

    >>> from datetime import date
    >>> from decimal import Decimal
    >>> _json_value({"on": date(2023, 2, 1), "amount": Decimal("1400.00"), "n": [1, 2.5]})
    {'on': '2023-02-01', 'amount': '1400.00', 'n': [1, 2.5]}
    >>> _json_value(10**5000)
    'an int of 5,001 digits'
    """
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return _long_int(value) or int.__int__(value)
    if isinstance(value, float):
        plain = float.__float__(value)
        return plain if math.isfinite(plain) else float.__repr__(plain)
    if isinstance(value, str):
        return str.__str__(value) if len(value) <= _LONGEST_STRING else _shorten(value)
    if isinstance(value, decimal.Decimal):
        described = _long_decimal(value)
        if described is not None:
            return described
        with decimal.localcontext(_TEXT_CONTEXT):
            return decimal.Decimal.__str__(value)
    if isinstance(value, date):  # datetime too: its isoformat keeps the time and zone
        return value.isoformat()
    if isinstance(value, Enum):
        return _json_value(value.value, depth)
    if isinstance(value, Mapping) and _small(value, depth):
        return {
            str.__str__(k) if isinstance(k, str) else _shorten(k): _json_value(v, depth + 1)
            for k, v in value.items()
        }
    if isinstance(value, list | tuple | set | frozenset) and _small(value, depth):
        return [_json_value(v, depth + 1) for v in value]
    return _shorten(value)


def _small(value: Sized, depth: int) -> bool:
    try:
        return depth < _DEEPEST and len(value) <= _MANY_ITEMS
    except Exception:  # a broken __len__ in a caller's Mapping subclass
        return False
