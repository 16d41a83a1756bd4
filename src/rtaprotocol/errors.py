"""The errors rtaprotocol raises.

Every error on bad input is a :class:`RulesError`, itself a :class:`ValueError`, so
``except ValueError`` keeps working. Each carries structured data besides its message:

- ``reference``: the guide section, protocol paragraph, regulation or statute behind the
  refusal (``"guide 6.5.2"``, ``"Whiplash Injury Regulations 2021, reg 3(3)"``): a
  :class:`rtaprotocol.sources.Reference`, a ``str`` whose ``citations`` name the
  registered sources (``rtaprotocol sources`` lists them);
- ``value``: the offending value, as received;
- ``field``: the name of the argument or field that held it, where there is one;
- ``pointer``: the same place as an RFC 6901 JSON pointer (``/losses/3/amount``);
- ``code``: a stable machine code, a member of :class:`ErrorCode` (``money.too-many-places``);
- ``problems``: every problem the error stands for (``(err,)`` for a single one).

``to_dict()`` gives all of it as JSON, in one shape for every error (docs/errors.md
lists every code, what triggers it and an example).

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
  a withdrawn offer, CRU set against the injury head); it also says the ``party``, the
  ``action`` and the ``state``. A reference to a loss item or an offer that does not
  exist is a ProtocolViolation with the code ``reference.not-found``, everywhere.
- :class:`InputError`: every problem found in one input, in ``problems``
  (``InvalidInput`` is its 0.1 name, the same class).
- :class:`ConcurrencyError`: an append to a claim at a version it is no longer at
  (``Claim.apply(event, expected_version=N)``): reload the claim and decide again.

Errors pickle with all their attributes, so they cross process boundaries intact (Dask,
multiprocessing).
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable
from enum import Enum
from typing import Any, Final, final

# How an error shows the value it received (a private part of this module, issue 25).
from rtaprotocol._errors_values import _json_value, _shorten

__all__ = [
    "ConcurrencyError",
    "ErrorCode",
    "InputError",
    "InvalidInput",
    "InvalidJSON",
    "OutOfCoverageError",
    "ProtocolViolation",
    "RulesError",
    "RulesTypeError",
    "error_codes",
    "json_pointer",
]

_NO_VALUE: Any = object()

#: The type a reference text is wrapped in: :class:`rtaprotocol.sources.Reference`, which
#: the registry registers when it loads (:func:`_register_reference_type`); until then none,
#: and a reference is its text. An error names its sources by their text and the registry
#: resolves them: ``rtaprotocol.sources`` depends on this module, never the other way round
#: (issue 25), so this module imports nothing of the package but its own private part,
#: ``_errors_values``, which imports nothing of it.
_REFERENCE_TYPE: Final[list[type[str]]] = []


def _register_reference_type(kind: type[str]) -> None:
    """Make every error's ``reference`` a ``kind`` (called once, by rtaprotocol.sources)."""
    _REFERENCE_TYPE[:] = [kind]


def _as_reference(reference: str) -> str:
    """Wrap ``reference`` as a :class:`rtaprotocol.sources.Reference` (still a ``str``).

    The registry's type once it is loaded: every public module that raises loads it
    (tests/test_errors.py checks); an error built before, with nothing but this module
    imported, keeps the text itself.
    """
    if not _REFERENCE_TYPE:
        return reference
    (kind,) = _REFERENCE_TYPE
    return reference if type(reference) is kind else kind(reference)


class ErrorCode(str, Enum):
    """Every machine code an error can carry (``err.code``): stable names for programs.

    A code says what kind of problem it is; the message says it for a person. Codes are
    never renamed within a minor release (see docs/errors.md, which lists each with what
    triggers it and an example). A code is a ``str``, so ``err.code == "date.format"``.

    >>> ErrorCode("money.too-many-places") is ErrorCode.MONEY_TOO_MANY_PLACES
    True
    """

    #: A value the rule refuses, of no more specific kind below.
    VALUE_INVALID = "value.invalid"
    #: A value of the wrong type (a float where an int is needed, a list for an object).
    TYPE_WRONG = "type.wrong"
    #: A field (JSON key or keyword argument) that is needed is missing.
    FIELD_MISSING = "field.missing"
    #: A field the reader does not know (refused, never silently ignored).
    FIELD_UNKNOWN = "field.unknown"
    #: A text that is not one of the allowed values (an event kind, a party, a loss type).
    ENUM_UNKNOWN = "enum.unknown"
    #: A date not written ``YYYY-MM-DD``.
    DATE_FORMAT = "date.format"
    #: A date in the right form for a day that does not exist (``2023-02-30``).
    DATE_NO_SUCH_DAY = "date.no-such-day"
    #: A number written in a form the library does not read (``£1,200``, ``1e3``, ``١٢``).
    NUMBER_FORMAT = "number.format"
    #: A NaN or an infinity.
    NUMBER_NOT_FINITE = "number.not-finite"
    #: A whole number outside its allowed range (prognosis months, a count).
    NUMBER_OUT_OF_RANGE = "number.out-of-range"
    #: A negative amount of money.
    MONEY_NEGATIVE = "money.negative"
    #: An amount larger than any the library takes.
    MONEY_TOO_LARGE = "money.too-large"
    #: An amount with a fraction of a penny.
    MONEY_TOO_MANY_PLACES = "money.too-many-places"
    #: A percentage below 0 or above its ceiling (100, or 20 for the uplift).
    PERCENT_OUT_OF_RANGE = "percent.out-of-range"
    #: A percentage with more than two decimal places.
    PERCENT_TOO_MANY_PLACES = "percent.too-many-places"
    #: A column of percentages that looks like fractions (all at most 1, some not whole):
    #: ``0.25`` meant as 25% would be read as 0.25% (the batch path's ``percent_scale=``).
    PERCENT_FRACTION = "percent.fraction"
    #: A text that is not valid JSON.
    JSON_INVALID = "json.invalid"
    #: Several problems in one input: see ``problems``, each with its own code.
    INPUT_INVALID = "input.invalid"
    #: A date (or other input) outside what the library's dated rules cover.
    COVERAGE_OUT_OF_RANGE = "coverage.out-of-range"
    #: An action the protocol forbids in the claim's or negotiation's current state.
    PROTOCOL_FORBIDDEN = "protocol.forbidden"
    #: An action dated before the previous one.
    ORDER_BEFORE_PREVIOUS = "order.before-previous"
    #: A reference to something that does not exist: a loss item index, an offer number.
    NOT_FOUND = "reference.not-found"
    #: A claim submitted that fails one or more eligibility criteria (guide 4.1, 4.2).
    CLAIM_INELIGIBLE = "claim.ineligible"
    #: JSON text larger than the reader's bound (``rtaprotocol.json.loads``, ``max_bytes``).
    JSON_TOO_LARGE = "json.too-large"
    #: JSON text nested deeper than the reader's bound (``max_depth``).
    JSON_TOO_DEEP = "json.too-deep"
    #: A key that appears twice in one JSON object (never "the last one wins").
    JSON_DUPLICATE_KEY = "json.duplicate-key"
    #: A JSON number with more characters than the reader's bound (``max_number_chars``).
    JSON_NUMBER_TOO_LONG = "json.number-too-long"
    #: ``NaN``, ``Infinity`` or ``-Infinity`` in JSON text (not JSON numbers).
    JSON_NOT_A_NUMBER = "json.not-a-number"
    #: JSON bytes that are not valid UTF-8 (or a lone surrogate escape).
    JSON_NOT_UTF8 = "json.not-utf8"
    #: JSON text that does not parse.
    JSON_SYNTAX = "json.syntax"
    #: An append at a claim version the claim is no longer at (another writer came first).
    VERSION_CONFLICT = "claim.version-conflict"
    #: An event id already used for a different event (a retry must send the same event).
    EVENT_ID_REUSED = "event-id.reused"

    def __str__(self) -> str:
        return str(self.value)


def _code(code: ErrorCode | str | None, default: ErrorCode) -> ErrorCode:
    """Return the error's code: the one its raiser gives, else its class's ``default``.

    A code is never read off the message (issue 25): every raiser in the package names its
    own (tests/test_errors.py checks), so rewording a message cannot change a code.
    """
    return default if code is None else ErrorCode(code)  # an unknown code is a bug: ValueError


#: One step of a path as the readers write it: ``.name`` or ``[3]``.
_STEP: Final = re.compile(r'\.([^.\[\]]+)|\[([0-9]+)\]|\[("(?:[^"\\]|\\.)*")\]')
_FIRST: Final = re.compile(r"[^.\[\]$][^.\[\]]*")


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def json_pointer(path: str | None) -> str | None:
    """Return the RFC 6901 JSON pointer for a field path as the readers write it.

    ``$`` is the whole document (the pointer ``""``); ``$.injuries[1].months``,
    ``injuries[1].months`` and ``injuries.1.months`` all give ``/injuries/1/months``; a
    plain name ``amount`` gives ``/amount``. ``~`` and ``/`` inside a name are escaped as
    ``~0`` and ``~1``; a field that is not a path is one token. ``None`` stays ``None``.

    >>> json_pointer("$.losses[3].amount"), json_pointer("$"), json_pointer("events[2].on")
    ('/losses/3/amount', '', '/events/2/on')
    >>> json_pointer("a/b"), json_pointer(None), json_pointer('$["a key"][0]')
    ('/a~1b', None, '/a key/0')
    """
    if path is None:
        return None
    return _pointer(str.__str__(path)) if isinstance(path, str) else None


@functools.lru_cache(maxsize=4096)
def _pointer(path: str) -> str:
    """Return the pointer of ``path`` (not None): :func:`json_pointer`, remembered."""
    tokens: list[str] = []
    pos = 0
    if path.startswith("$"):
        pos = 1
    else:
        first = _FIRST.match(path)
        if first is None:
            return "/" + _escape(path)
        tokens.append(first.group())
        pos = first.end()
    while pos < len(path):
        step = _STEP.match(path, pos)
        if step is None:
            return "/" + _escape(path)
        name, index, quoted = step.groups()
        if quoted is not None:  # $["a key"]: a JSON string
            try:
                name = json.loads(quoted)
            except ValueError:
                return "/" + _escape(path)
        tokens.append(name if name is not None else index)
        pos = step.end()
    return "".join("/" + _escape(t) for t in tokens)


class RulesError(ValueError):
    """Bad input or an impossible request, refused with the rule that refuses it.

    ``message`` says what was wrong; the full ``str()`` adds the value received and the
    reference. ``value`` is the value as received (``None`` when there is none).
    ``code`` is a stable :class:`ErrorCode` for programs; ``pointer`` the RFC 6901 JSON
    pointer of the value refused (from ``field``; ``None`` when the error is about no
    field, such as an action refused in a state).

    >>> err = RulesError("percentage is above 100", value=101, reference="guide 6.5.2",
    ...                  field="claimant_liability_percent", code="percent.out-of-range")
    >>> str(err)
    'claimant_liability_percent: percentage is above 100: got 101 [guide 6.5.2]'
    >>> err.reference, err.value, err.field
    ('guide 6.5.2', 101, 'claimant_liability_percent')
    >>> err.code.value, err.pointer
    ('percent.out-of-range', '/claimant_liability_percent')
    >>> isinstance(err, ValueError)
    True
    """

    message: str
    reference: str
    field: str | None
    value: object
    has_value: bool
    code: ErrorCode
    pointer: str | None

    #: The code of an error of this class whose raiser names none.
    _default_code: ErrorCode = ErrorCode.VALUE_INVALID

    def __init__(
        self,
        message: str,
        *,
        reference: str,
        value: object = _NO_VALUE,
        field: str | None = None,
        code: ErrorCode | str | None = None,
        pointer: str | None = None,
    ) -> None:
        self.message = message
        self.reference = _as_reference(reference)
        self.field = field
        self.has_value = value is not _NO_VALUE
        self.value = value if self.has_value else None
        self.code = _code(code, self._default_code)
        self.pointer = pointer if pointer is not None else json_pointer(field)
        prefix = f"{field}: " if field else ""
        got = f": got {_shorten(value)}" if self.has_value else ""
        super().__init__(f"{prefix}{message}{got} [{reference}]")

    @property
    def problems(self) -> tuple[RulesError, ...]:
        """Every problem this error stands for: ``(self,)``, or each one of an InputError."""
        return (self,)

    def _render_traceback_(self) -> list[str]:
        """Return what IPython shows for this error: one short message, no traceback.

        A refused input in a notebook is the user's to fix, not a bug to debug: the
        problem, the value received and the rule, in one line per problem, instead of a
        chain of the library's frames (docs/views.md). ``%tb`` and ``traceback`` still
        give the whole traceback.

        >>> RulesError("percentage is above 100", value=101, reference="guide 6.5.2",
        ...            field="claimant_liability_percent")._render_traceback_()
        ['RulesError: claimant_liability_percent: percentage is above 100: got 101 [guide 6.5.2]']
        """
        return f"{type(self).__name__}: {self}".splitlines()

    def _kwargs(self) -> dict[str, Any]:
        """Return the keyword arguments that rebuild this error (its message aside)."""
        kwargs: dict[str, Any] = {
            "reference": self.reference,
            "field": self.field,
            "code": self.code,
            "pointer": self.pointer,
        }
        if self.has_value:
            kwargs["value"] = self.value
        return kwargs

    def evolve(self, **changes: Any) -> RulesError:
        """Return a copy of the error with ``changes`` (``field``, ``pointer``, ``value``...).

        Every attribute not changed is kept (the code, the reference, a violation's party).
        A new ``field`` without a new ``pointer`` gives the pointer of the new field.

        >>> err = RulesError("no such date", value="2023-02-30", field="on", reference="guide 6.1",
        ...                  code=ErrorCode.DATE_NO_SUCH_DAY)
        >>> moved = err.evolve(field="events[2].on")
        >>> moved.pointer, moved.code.value, str(moved)
        ('/events/2/on', 'date.no-such-day', "events[2].on: no such date: got '2023-02-30' [guide 6.1]")
        """
        kwargs = self._kwargs()
        if "field" in changes and "pointer" not in changes:
            kwargs.pop("pointer", None)
        kwargs.update(changes)
        message = kwargs.pop("message", self.message)
        return _rebuild(type(self), message, kwargs)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self.message, self._kwargs()))

    def _own_dict(self) -> dict[str, object]:
        return {
            "error": type(self).__name__,
            "code": self.code.value,
            "pointer": self.pointer,
            "message": self.message,
            "reference": self.reference,
            "field": self.field,
            "value": _json_value(self.value) if self.has_value else None,
        }

    def to_dict(self) -> dict[str, object]:
        """Return the error as JSON-ready data, the value in its JSON form.

        ``value`` is :func:`_json_value` of the value received: numbers and strings as
        received, ISO dates, decimal strings; ``None`` when there is no value. ``problems``
        lists every problem in the same shape (one, the error itself, for a single
        problem), so a program reads every error the same way.

        >>> from datetime import date
        >>> d = RulesError("bad", reference="guide 4.1", value=3, field="n").to_dict()
        >>> {k: d[k] for k in ("error", "code", "pointer", "field", "value")}
        {'error': 'RulesError', 'code': 'value.invalid', 'pointer': '/n', 'field': 'n', 'value': 3}
        >>> d["problems"] == [{k: v for k, v in d.items() if k != "problems"}]
        True
        >>> RulesError("too early", reference="guide 5.4", value=date(1999, 1, 1)).to_dict()["value"]
        '1999-01-01'
        """
        data = self._own_dict()
        data["problems"] = [p._own_dict() for p in self.problems]
        return data

    #: The HTTP status :meth:`to_problem` suggests for an error of this class: 422 (the
    #: request is well formed, the rules refuse it); 400 for text that is not JSON, 409
    #: for a version conflict.
    http_status: int = 422

    def to_problem(self, *, instance: str | None = None) -> dict[str, object]:
        """Return the error as an RFC 9457 problem details document (``application/problem+json``).

        The members RFC 9457 section 3.1 defines: ``type`` (``urn:rtaprotocol:error:<code>``,
        one URI per :class:`ErrorCode`), ``title`` (the error's class), ``status`` (the
        suggested HTTP status, :attr:`http_status`: 422 for a refusal of the rules, 400 for
        text that is not JSON and 413 for text over the size limit, 409 for a version
        conflict), ``detail`` (the whole message: what was wrong, the value received, the
        rule) and ``instance`` when given; then, as extension members (section 3.2), every
        member of :meth:`to_dict` but ``error`` and ``message`` (which ``title`` and
        ``detail`` carry): ``code``, ``pointer``, ``field``, ``value``, ``reference``,
        ``problems``, and a conflict's ``expected_version`` and ``current_version``; so
        every backend answers every refusal alike.

        >>> from rtaprotocol import to_money
        >>> try:
        ...     to_money("1.005")
        ... except RulesError as err:
        ...     doc = err.to_problem(instance="/claims/7/events")
        >>> doc["type"], doc["status"], doc["pointer"], doc["instance"]
        ('urn:rtaprotocol:error:money.too-many-places', 422, None, '/claims/7/events')
        >>> ConcurrencyError(expected=3, current=4).to_problem()["status"]
        409
        """
        data = self.to_dict()
        status = self.http_status
        if self.code is ErrorCode.JSON_TOO_LARGE:
            status = 413
        doc: dict[str, object] = {
            "type": f"urn:rtaprotocol:error:{self.code.value}",
            "title": type(self).__name__,
            "status": status,
            "detail": str(self),
        }
        if instance is not None:
            doc["instance"] = instance
        doc.update((k, v) for k, v in data.items() if k not in {"error", "message"})
        return doc


def _rebuild(cls: type[RulesError], message: str, kwargs: dict[str, Any]) -> RulesError:
    return cls(message, **kwargs)


@final
class RulesTypeError(RulesError, TypeError):
    """A value of the wrong type: both a :class:`RulesError` and a :class:`TypeError`.

    >>> err = RulesTypeError("expected a date", value="2023-05-02", reference="guide 6.3.1")
    >>> isinstance(err, TypeError) and isinstance(err, ValueError), err.code.value
    (True, 'type.wrong')
    """

    _default_code = ErrorCode.TYPE_WRONG


@final
class OutOfCoverageError(RulesError):
    """A date (or other input) outside what the library's dated rules cover.

    The library never falls back silently to the nearest rule it has.
    """

    _default_code = ErrorCode.COVERAGE_OUT_OF_RANGE


@final
class ProtocolViolation(RulesError):
    """An action the RTA Small Claims Pre-Action Protocol forbids.

    Besides ``field`` (the event field it concerns, where there is one), it says who
    acted (``party``: ``"claimant"``, ``"compensator"``), what they tried (``action``:
    the event kind) and the state refused it (``state``: the claim's step, or the
    negotiation's). :meth:`~rtaprotocol.claim.Claim.apply` and
    :meth:`~rtaprotocol.offers.Negotiation.apply` fill in what the rule that refused
    did not. A reference to a loss item or an offer that does not exist is a
    ProtocolViolation with the code ``reference.not-found`` everywhere.

    >>> raise ProtocolViolation("a party may make at most three offers", reference="guide 6.5.5")
    Traceback (most recent call last):
    ...
    rtaprotocol.errors.ProtocolViolation: a party may make at most three offers [guide 6.5.5]
    >>> err = ProtocolViolation("no offer to reject", reference="guide 6.5.3", party="claimant",
    ...                         action="reject", state="offer")
    >>> err.code.value, err.party, err.action, err.state
    ('protocol.forbidden', 'claimant', 'reject', 'offer')
    """

    party: str | None
    action: str | None
    state: str | None
    _parts: tuple[ProtocolViolation, ...]

    _default_code = ErrorCode.PROTOCOL_FORBIDDEN

    def __init__(
        self,
        message: str,
        *,
        reference: str,
        value: object = _NO_VALUE,
        field: str | None = None,
        code: ErrorCode | str | None = None,
        pointer: str | None = None,
        party: object = None,
        action: object = None,
        state: object = None,
        problems: Iterable[ProtocolViolation] = (),
    ) -> None:
        super().__init__(
            message, reference=reference, value=value, field=field, code=code, pointer=pointer
        )
        self.party = _text_of(party)
        self.action = _text_of(action)
        self.state = _text_of(state)
        self._parts = tuple(problems)

    @property
    def problems(self) -> tuple[RulesError, ...]:
        """Every problem: ``(self,)``, or the parts it was raised with, one per rule broken.

        A refusal for several reasons at once (an ineligible claim, one per failing
        criterion, guide 4.1 and 4.2) lists each with its own pointer, message and
        reference; the violation's own ``code`` and ``message`` sum them up.

        >>> parts = [ProtocolViolation("in Scotland", reference="guide 4.1",
        ...                            field="facts.accident_location", code="claim.ineligible")]
        >>> err = ProtocolViolation("not eligible", reference="guide 4.1", problems=parts)
        >>> [(p.pointer, p.code.value) for p in err.problems]
        [('/facts/accident_location', 'claim.ineligible')]
        """
        return self._parts or (self,)

    def fill(self, *, party: object = None, action: object = None, state: object = None) -> None:
        """Set ``party``, ``action`` and ``state`` where the raiser left them unset.

        Called by the ``apply`` of a claim or a negotiation, which knows the event and the
        state; the message is unchanged.
        """
        if self.party is None:
            self.party = _text_of(party)
        if self.action is None:
            self.action = _text_of(action)
        if self.state is None:
            self.state = _text_of(state)
        for part in self._parts:
            part.fill(party=party, action=action, state=state)

    def _kwargs(self) -> dict[str, Any]:
        kwargs = super()._kwargs()
        kwargs.update(party=self.party, action=self.action, state=self.state)
        if self._parts:
            kwargs["problems"] = self._parts
        return kwargs

    def _own_dict(self) -> dict[str, object]:
        data = super()._own_dict()
        data.update(party=self.party, action=self.action, state=self.state)
        return data


def _text_of(value: object) -> str | None:
    """Return an enum's value or a string as plain text (a party, an event kind, a state)."""
    if value is None:
        return None
    if isinstance(value, Enum):
        value = value.value
    return str.__str__(value) if isinstance(value, str) else _shorten(value)


class InputError(RulesError):
    """Every problem found in one input (a JSON document, a dataframe), all reported.

    ``problems`` holds each problem, itself a :class:`RulesError` with its ``pointer``
    (RFC 6901: ``/injuries/1/months``), ``code``, ``message``, ``value`` and ``reference``;
    ``field`` is the same place as the reader writes it (``$.injuries[1].months``). A
    caller can show every problem at once instead of fixing them one run at a time.
    ``str()`` lists them all, one a line; ``to_dict()`` gives them as JSON.

    With a single problem, the error's own ``field``, ``pointer``, ``code`` and ``value``
    are that problem's; with several, ``code`` is ``input.invalid``, ``pointer`` is ``""``
    (the whole document) and ``field`` is ``None``. An InputError given as a problem
    contributes its own problems (the list stays flat).

    ``InvalidInput`` is the same class under its 0.1 name: ``except InvalidInput`` and
    ``except InputError`` catch the same errors.

    >>> err = InputError(
    ...     [
    ...         RulesError("not a date", value="2023-02-30", field="$.accident_date",
    ...                    reference="guide 5.4"),
    ...         RulesError("unknown key", value="psych", field="$.psych", reference="guide 4.1",
    ...                    code="field.unknown"),
    ...     ],
    ...     reference="guide 4.1",
    ... )
    >>> len(err.problems), err.problems[0].field, err.problems[1].pointer, err.code.value
    (2, '$.accident_date', '/psych', 'input.invalid')
    >>> print(err)
    2 problems in the input:
      $.accident_date: not a date: got '2023-02-30' [guide 5.4]
      $.psych: unknown key: got 'psych' [guide 4.1]
    >>> [(p["pointer"], p["code"]) for p in err.to_dict()["problems"]]
    [('/accident_date', 'value.invalid'), ('/psych', 'field.unknown')]
    """

    _default_code = ErrorCode.INPUT_INVALID

    def __init__(self, problems: Iterable[RulesError], *, reference: str) -> None:
        found = tuple(problems)
        if not found or not all(isinstance(p, RulesError) for p in found):
            raise TypeError("InputError needs one or more RulesError problems")
        found = tuple(p for problem in found for p in problem.problems)
        self._problems = found
        self.message = f"{len(found)} problem{'s' if len(found) != 1 else ''} in the input"
        self.reference = _as_reference(reference)
        if len(found) == 1:
            (only,) = found
            self.field, self.pointer, self.code = only.field, only.pointer, only.code
            self.has_value, self.value = only.has_value, only.value
        else:
            self.field, self.pointer, self.code = None, "", ErrorCode.INPUT_INVALID
            self.has_value, self.value = False, None
        lines = "".join(f"\n  {p}" for p in found)
        ValueError.__init__(self, f"{self.message}:{lines}")

    @property
    def problems(self) -> tuple[RulesError, ...]:
        """Every problem found, in the order found."""
        return self._problems

    def evolve(self, **changes: Any) -> RulesError:
        """Return a copy with ``changes`` made to every problem (``reference`` to the error).

        >>> err = InputError([RulesError("bad", field="on", reference="guide 6.1")],
        ...                  reference="guide 6.1")
        >>> err.evolve(field="event.on").problems[0].field
        'event.on'
        """
        reference = changes.pop("reference", self.reference)
        problems = [p.evolve(**changes) for p in self._problems] if changes else self._problems
        return InputError(problems, reference=reference)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_input, (self._problems, self.reference))


#: The 0.1 name of :class:`InputError`: the same class, so ``except InvalidInput`` keeps
#: catching every refusal of a whole document.
InvalidInput = InputError


def _rebuild_input(problems: tuple[RulesError, ...], reference: str) -> InputError:
    return InputError(problems, reference=reference)


def error_codes() -> tuple[str, ...]:
    """Return every error code the library can give, in :class:`ErrorCode` order.

    >>> "field.unknown" in error_codes(), len(error_codes()) == len(ErrorCode)
    (True, True)
    """
    return tuple(c.value for c in ErrorCode)


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
    _default_code = ErrorCode.VERSION_CONFLICT
    http_status = 409

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
            code=ErrorCode.VERSION_CONFLICT,  # whatever the message says
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


@final
class InvalidJSON(RulesError):
    """JSON text that :func:`rtaprotocol.json.loads` refuses, with a stable ``code``.

    ``code`` is one of ``json.too-large``, ``json.too-deep``, ``json.duplicate-key``,
    ``json.number-too-long``, ``json.not-a-number``, ``json.not-utf8``, ``json.syntax``
    (:class:`ErrorCode`; docs/json.md lists them); ``field`` and ``pointer`` are the JSON
    pointer of the key where one applies (``/percent`` for a duplicated ``"percent"``), else
    ``""`` (the whole document).

    >>> err = InvalidJSON("NaN and Infinity are not JSON numbers", code="json.not-a-number",
    ...                   value="NaN", field="", reference="rtaprotocol json text")
    >>> err.code.value, err.to_dict()["code"], isinstance(err, ValueError)
    ('json.not-a-number', 'json.not-a-number', True)
    """

    _default_code = ErrorCode.JSON_INVALID
    http_status = 400

    def __init__(
        self,
        message: str,
        *,
        code: ErrorCode | str,
        reference: str,
        value: object = _NO_VALUE,
        field: str | None = None,
        pointer: str | None = None,
    ) -> None:
        if pointer is None and field is not None and (field == "" or field.startswith("/")):
            pointer = field
        super().__init__(
            message, reference=reference, value=value, field=field, code=code, pointer=pointer
        )
