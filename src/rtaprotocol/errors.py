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

Errors pickle with all their attributes, so they cross process boundaries intact (Dask,
multiprocessing).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, final

__all__ = [
    "InvalidInput",
    "OutOfCoverageError",
    "ProtocolViolation",
    "RulesError",
    "RulesTypeError",
]

_NO_VALUE: Any = object()


def _as_reference(reference: str) -> str:
    """Wrap ``reference`` as a :class:`rtaprotocol.sources.Reference` (still a ``str``).

    Imported here, not at the top: the sources module itself imports this one.
    """
    from rtaprotocol.sources import Reference

    return reference if type(reference) is Reference else Reference(reference)


def _shorten(value: object, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


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
        """Return the error as JSON-ready data (the value as its ``repr``).

        >>> RulesError("bad", reference="guide 4.1", value=3, field="n").to_dict()
        {'error': 'RulesError', 'message': 'bad', 'reference': 'guide 4.1', 'field': 'n', 'value': '3'}
        """
        return {
            "error": type(self).__name__,
            "message": self.message,
            "reference": self.reference,
            "field": self.field,
            "value": repr(self.value) if self.has_value else None,
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
