"""The errors rtaprotocol raises.

Every error on bad input is a :class:`RulesError`, itself a :class:`ValueError`, so
``except ValueError`` keeps working. Each carries structured data besides its message:

- ``reference``: the guide section, protocol paragraph, regulation or statute behind the
  refusal (``"guide 6.5.2"``, ``"Whiplash Injury Regulations 2021, reg 3(3)"``): a
  :class:`rtaprotocol.sources.Reference`, a ``str`` whose ``citations`` name the
  registered sources (``rtaprotocol sources`` lists them);
- ``value``: the offending value, as received;
- ``field``: the name of the argument or field that held it, where there is one.

The message always names the value received and the rule, so a log line is enough to
see what went wrong:

>>> from rtaprotocol import to_money
>>> to_money("1.005")
Traceback (most recent call last):
...
rtaprotocol.errors.RulesError: amount has more than two decimal places of value: got '1.005' [amounts are pounds and pence, never negative (guide 4.4, 6.5.2)]

Subclasses:

- :class:`RulesTypeError` (also a :class:`TypeError`): a value of the wrong type.
- :class:`OutOfCoverageError`: a date outside what the library covers (the calendar's
  supported range, an accident before the tariff regime).
- :class:`ProtocolViolation`: an action the protocol forbids (a fourth offer, accepting
  a withdrawn offer, CRU set against the injury head).
- :class:`ConcurrencyError`: an append to a claim at a version it is no longer at
  (``Claim.apply(event, expected_version=N)``): reload the claim and decide again.

Errors pickle with all their attributes, so they cross process boundaries intact (Dask,
multiprocessing).
"""

from __future__ import annotations

import decimal
import math
from collections.abc import Iterable, Mapping, Sized
from datetime import date
from enum import Enum
from typing import Any, Final, final

__all__ = [
    "ConcurrencyError",
    "InvalidInput",
    "OutOfCoverageError",
    "ProtocolViolation",
    "RulesError",
    "RulesTypeError",
]

_NO_VALUE: Any = object()

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


def _as_reference(reference: str) -> str:
    """Wrap ``reference`` as a :class:`rtaprotocol.sources.Reference` (still a ``str``).

    Imported here, not at the top: the sources module itself imports this one.
    """
    from rtaprotocol.sources import Reference

    return reference if type(reference) is Reference else Reference(reference)


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


class RulesError(ValueError):
    """Bad input or an impossible request, refused with the rule that refuses it.

    ``message`` says what was wrong; the full ``str()`` adds the value received and the
    reference. ``value`` is the value as received (``None`` when there is none).

    >>> err = RulesError("percentage is above 100", value=101, reference="guide 6.5.2",
    ...                  field="claimant_liability_percent")
    >>> str(err)
    'claimant_liability_percent: percentage is above 100: got 101 [guide 6.5.2]'
    >>> err.reference, err.value, err.field
    ('guide 6.5.2', 101, 'claimant_liability_percent')
    >>> isinstance(err, ValueError)
    True
    """

    message: str
    reference: str
    field: str | None
    value: object
    has_value: bool

    def __init__(
        self,
        message: str,
        *,
        reference: str,
        value: object = _NO_VALUE,
        field: str | None = None,
    ) -> None:
        self.message = message
        self.reference = _as_reference(reference)
        self.field = field
        self.has_value = value is not _NO_VALUE
        self.value = value if self.has_value else None
        prefix = f"{field}: " if field else ""
        got = f": got {_shorten(value)}" if self.has_value else ""
        super().__init__(f"{prefix}{message}{got} [{reference}]")

    @property
    def problems(self) -> tuple[RulesError, ...]:
        """Every problem this error stands for: ``(self,)``, or each one of an InvalidInput."""
        return (self,)

    def __reduce__(self) -> tuple[Any, ...]:
        kwargs: dict[str, object] = {"reference": self.reference, "field": self.field}
        if self.has_value:
            kwargs["value"] = self.value
        return (_rebuild, (type(self), self.message, kwargs))

    def to_dict(self) -> dict[str, object]:
        """Return the error as JSON-ready data, the value in its JSON form.

        ``value`` is :func:`_json_value` of the value received: numbers and strings as
        received, ISO dates, decimal strings; ``None`` when there is no value.

        >>> from datetime import date
        >>> RulesError("bad", reference="guide 4.1", value=3, field="n").to_dict()
        {'error': 'RulesError', 'message': 'bad', 'reference': 'guide 4.1', 'field': 'n', 'value': 3}
        >>> RulesError("too early", reference="guide 5.4", value=date(1999, 1, 1)).to_dict()["value"]
        '1999-01-01'
        """
        return {
            "error": type(self).__name__,
            "message": self.message,
            "reference": self.reference,
            "field": self.field,
            "value": _json_value(self.value) if self.has_value else None,
        }


def _rebuild(cls: type[RulesError], message: str, kwargs: dict[str, Any]) -> RulesError:
    return cls(message, **kwargs)


@final
class RulesTypeError(RulesError, TypeError):
    """A value of the wrong type: both a :class:`RulesError` and a :class:`TypeError`.

    >>> err = RulesTypeError("expected a date", value="2023-05-02", reference="guide 6.3.1")
    >>> isinstance(err, TypeError) and isinstance(err, ValueError)
    True
    """


@final
class OutOfCoverageError(RulesError):
    """A date (or other input) outside what the library's dated rules cover.

    The library never falls back silently to the nearest rule it has.
    """


@final
class ProtocolViolation(RulesError):
    """An action the RTA Small Claims Pre-Action Protocol forbids.

    >>> raise ProtocolViolation("a party may make at most three offers", reference="guide 6.5.5")
    Traceback (most recent call last):
    ...
    rtaprotocol.errors.ProtocolViolation: a party may make at most three offers [guide 6.5.5]
    """


@final
class InvalidInput(RulesError):
    """Several problems found in one input (a JSON document, a dataframe), all reported.

    Each problem is itself a :class:`RulesError` whose ``field`` is the JSON path of the
    value it refuses (``$.injuries[1].months``), so a caller can show every problem at once
    instead of fixing them one run at a time. ``str()`` lists them all, one a line.

    >>> err = InvalidInput(
    ...     [
    ...         RulesError("not a date", value="2023-02-30", field="$.accident_date",
    ...                    reference="guide 5.4"),
    ...         RulesError("unknown key", value="psych", field="$", reference="guide 4.1"),
    ...     ],
    ...     reference="guide 4.1",
    ... )
    >>> len(err.problems), err.problems[0].field
    (2, '$.accident_date')
    >>> print(err)
    2 problems in the input:
      $.accident_date: not a date: got '2023-02-30' [guide 5.4]
      $: unknown key: got 'psych' [guide 4.1]
    """

    def __init__(self, problems: Iterable[RulesError], *, reference: str) -> None:
        found = tuple(problems)
        if not found or not all(isinstance(p, RulesError) for p in found):
            raise TypeError("InvalidInput needs one or more RulesError problems")
        self._problems = found
        self.message = f"{len(found)} problem{'s' if len(found) != 1 else ''} in the input"
        self.reference = _as_reference(reference)
        self.field = None
        self.has_value = False
        self.value = None
        lines = "".join(f"\n  {p}" for p in found)
        ValueError.__init__(self, f"{self.message}:{lines}")

    @property
    def problems(self) -> tuple[RulesError, ...]:
        """Every problem found, in the order found."""
        return self._problems

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_invalid, (self._problems, self.reference))

    def to_dict(self) -> dict[str, object]:
        """Return the error and each of its problems as JSON-ready data."""
        data = super().to_dict()
        data["problems"] = [p.to_dict() for p in self._problems]
        return data


def _rebuild_invalid(problems: tuple[RulesError, ...], reference: str) -> InvalidInput:
    return InvalidInput(problems, reference=reference)


#: Where the optimistic-concurrency rule of ``Claim.apply`` is written down.
CONCURRENCY_REFERENCE: Final = "rtaprotocol claim versions (optimistic concurrency, docs/claim.md)"


@final
class ConcurrencyError(RulesError):
    """The claim has moved on since the caller read it (optimistic concurrency).

    Raised by ``Claim.apply(event, expected_version=N)`` when the claim holds a number of
    events other than ``N``: another writer appended first. Nothing was applied; reload
    the claim, check the event still makes sense, and append again with the new version.
    ``expected`` and ``current`` give both versions; ``value`` is the expected one.

    >>> err = ConcurrencyError(expected=3, current=4)
    >>> str(err)
    'expected_version: the claim is at version 4 (4 events applied), not the expected version 3: another writer appended first; reload it and decide again: got 3 [rtaprotocol claim versions (optimistic concurrency, docs/claim.md)]'
    >>> isinstance(err, RulesError), err.expected, err.current
    (True, 3, 4)
    """

    expected: int
    current: int

    def __init__(
        self,
        message: str | None = None,
        *,
        expected: int,
        current: int,
        reference: str = CONCURRENCY_REFERENCE,
        value: object = _NO_VALUE,
        field: str | None = "expected_version",
    ) -> None:
        self.expected = expected
        self.current = current
        if message is None:
            message = (
                f"the claim is at version {current} ({current} "
                f"event{'' if current == 1 else 's'} applied), not the "
                f"expected version {expected}: another writer appended first; reload it and "
                "decide again"
            )
        super().__init__(
            message,
            reference=reference,
            value=expected if value is _NO_VALUE else value,
            field=field,
        )

    def __reduce__(self) -> tuple[Any, ...]:
        kwargs: dict[str, Any] = {
            "expected": self.expected,
            "current": self.current,
            "reference": self.reference,
            "field": self.field,
        }
        if self.has_value:
            kwargs["value"] = self.value
        return (_rebuild_concurrency, (self.message, kwargs))

    def to_dict(self) -> dict[str, object]:
        """Return the error as JSON-ready data, with both versions."""
        data = super().to_dict()
        data["expected_version"] = self.expected
        data["current_version"] = self.current
        return data


def _rebuild_concurrency(message: str, kwargs: dict[str, Any]) -> ConcurrencyError:
    return ConcurrencyError(message, **kwargs)
