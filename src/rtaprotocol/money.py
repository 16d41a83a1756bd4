"""Money and percentages: the one door every amount comes through.

Amounts are :class:`decimal.Decimal` pounds with exactly two decimal places. No amount in
the protocol is negative: damages, deductions, offers, fees and interim payments are all
sums of zero or more (guide 4.4, 5.3, 6.5.2).

Accepted by :func:`to_money`, by the one number policy every reader applies
(:func:`read_number`; docs/money-and-errors.md):

- ``int`` (not ``bool``);
- ``Decimal``, finite, with at most two decimal places *of value* (``Decimal("1.000")``
  is fine, ``Decimal("1.005")`` is not);
- a string in the one amount grammar :data:`AMOUNT_TEXT` (``"1390"``, ``"1390.5"``,
  ``"1390.50"``): no sign, spaces, currency sign, thousands separator or exponent;
- a ``float`` only when it is finite and its shortest ``repr`` has at most two decimal
  places: ``1390.5`` is accepted, ``0.1 + 0.2`` (``0.30000000000000004``) is refused,
  because a float that cannot be written in pence is a sign of float arithmetic upstream;
- a numpy integer or float scalar as its Python value (``numpy.bool_`` never);
- at most :data:`MAX_AMOUNT` (£999,999,999,999.99).

Penny rounding is half-up (:func:`round_penny`), the way the guide's own figures round,
and it lives only here.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Final

# Loads the sources registry, so that the reference of each refusal raised here is a
# Reference whose citations resolve: the errors module never imports the registry itself
# (issue 25, no errors <-> sources cycle).
from rtaprotocol import sources as _sources  # noqa: F401
from rtaprotocol._decimal import exact
from rtaprotocol.errors import ErrorCode, RulesError, RulesTypeError

__all__ = [
    "AMOUNT_TEXT",
    "MAX_AMOUNT",
    "format_money",
    "read_number",
    "round_penny",
    "to_money",
    "to_pence",
    "to_percent",
]

PENNY: Final = Decimal("0.01")
ZERO: Final = Decimal("0.00")
MONEY_REFERENCE: Final = "amounts are pounds and pence, never negative (guide 4.4, 6.5.2)"
PERCENT_REFERENCE: Final = (
    "percentages are 0 to 100 with at most two decimal places (rtaprotocol percentages)"
)

#: The one grammar of an amount or a percentage written as text, in every reader: ASCII
#: digits, then optionally a point and one or two digits. No sign, no spaces around it, no
#: exponent, no "1800." (``\d`` would also take Arabic-Indic or full-width digits).
AMOUNT_TEXT: Final = re.compile(r"[0-9]+(?:\.[0-9]{1,2})?", re.ASCII)
#: Digits with three or more decimal places: refused, by the two-place rule's own message.
_TOO_PRECISE: Final = re.compile(r"[0-9]{1,30}\.[0-9]{3,30}", re.ASCII)
#: ASCII whitespace (kept for callers that strip their own text; numbers are never stripped).
ASCII_SPACE: Final = " \t\n\r\f\v"
#: The largest amount accepted anywhere: £999,999,999,999.99, twelve digits of pounds (the
#: shipped schemas' amount pattern). The protocol's own figures stop at the £10,000 small
#: claims limit, but a claim above it must still be valued to be told so; far above that,
#: an amount is a typing slip or an attack. At this ceiling an amount in pence (< 10**14)
#: is exact in a JavaScript number (2**53) and its product with a percentage in basis
#: points (10**4) fits a signed 64-bit integer (docs/money-and-errors.md).
MAX_AMOUNT: Final = Decimal("999999999999.99")
_HUNDREDTH: Final = Decimal("0.01")
#: Pounds digits allowed: :data:`MAX_AMOUNT` has 12.
_MAX_DIGITS: Final = 12
#: to_pence converts sums the rules form (which may exceed one amount's ceiling): 26 digits
#: of pounds and two of pence still fit Decimal's default 28 digits.
_PENCE_DIGITS: Final = 26
#: round_penny works on sums and products of accepted amounts and percentages, which stay
#: far below this many digits of pounds; anything larger is refused, whatever the context.
_MAX_ROUNDED_DIGITS: Final = 28


def _numpy_item(value: Any) -> Any:
    """Return a numpy scalar's Python value (``np.int64(5)`` -> ``5``), else ``_NOT_NUMPY``.

    numpy is optional: a scalar is recognised by its type's module, never by importing it.
    """
    kind = type(value)
    if kind.__module__ != "numpy" or not hasattr(value, "item") or not hasattr(value, "dtype"):
        return _NOT_NUMPY
    if getattr(value.dtype, "kind", None) not in ("b", "i", "u", "f"):
        return _NOT_NUMPY
    return value.item()  # np.bool_ -> bool (refused), np.int64 -> int, np.float32 -> float


_NOT_NUMPY: Final[Any] = object()


def _refuse_type(value: Any, field: str | None, reference: str, kind: str) -> RulesTypeError:
    name = type(value).__name__
    if type(value).__module__ == "numpy" and name in {"bool_", "bool"}:
        # numpy 1 calls it bool_ and writes True, numpy 2 bool and np.True_: the message
        # must not depend on which is installed, so it names and shows a plain bool.
        name, value = "bool", bool(value)
    return RulesTypeError(
        f"{kind} must be an int, Decimal, numeric string or float, not {name}",
        value=value,
        field=field,
        reference=reference,
    )


#: A number written with a sign, or with more than two decimal places.
_SIGNED: Final = re.compile(r"\s*-\s*[0-9]")
_MANY_PLACES: Final = re.compile(r"\s*[+-]?[0-9]*\.[0-9]{3,}\s*")


def _format_code(text: str) -> ErrorCode:
    """Return the code of a number string outside the grammar (one message for all three).

    ``number.format``, or what the text shows it is: a sign, ``money.negative``; a third
    place, ``money.too-many-places``.

    >>> [_format_code(t).value for t in ("-5", " 1.005", "£5")]
    ['money.negative', 'money.too-many-places', 'number.format']
    """
    if len(text) < 100:
        if _SIGNED.match(text):
            return ErrorCode.MONEY_NEGATIVE
        if _MANY_PLACES.fullmatch(text):
            return ErrorCode.MONEY_TOO_MANY_PLACES
    return ErrorCode.NUMBER_FORMAT


def _too_large_code(value: object) -> ErrorCode:
    """Return the code of an amount too large to take: ``money.negative`` for a huge negative int.

    >>> _too_large_code(-(10**40)).value, _too_large_code(10**40).value
    ('money.negative', 'money.too-large')
    """
    if isinstance(value, int) and int.__int__(value) < 0:
        return ErrorCode.MONEY_NEGATIVE
    return ErrorCode.MONEY_TOO_LARGE


def _decimal_from(value: Any, field: str | None, reference: str, kind: str) -> Decimal:
    """Turn an accepted input into a Decimal by the one number policy, or raise.

    The policy (docs/money-and-errors.md): an ``int``; a finite ``Decimal``; a string in
    the one amount grammar (:data:`AMOUNT_TEXT`: ASCII digits, an optional point and one
    or two decimal places, nothing around it); a finite ``float``; a numpy integer or
    float scalar as its Python value. ``bool`` and ``numpy.bool_`` never, ``None`` never.
    """
    if isinstance(value, bool) or value is None:
        raise _refuse_type(value, field, reference, kind)
    if isinstance(value, int):
        return Decimal(int.__int__(value))  # a subclass's own methods are never called
    if isinstance(value, Decimal | float) and not (
        value.is_finite() if isinstance(value, Decimal) else math.isfinite(value)
    ):
        raise RulesError(
            f"{kind} must be finite",
            value=value,
            field=field,
            reference=reference,
            code=ErrorCode.NUMBER_NOT_FINITE,
        )
    if isinstance(value, Decimal):
        return Decimal(value)  # a plain Decimal, even from a subclass
    if isinstance(value, str):
        text = str.__str__(value)
        if not text.isascii():
            raise RulesError(
                f"{kind} is not a plain decimal number: only the ASCII digits 0-9 and a point "
                "(no other scripts' digits, no no-break space)",
                value=value,
                field=field,
                reference=reference,
                code=_format_code(text),
            )
        if _TOO_PRECISE.fullmatch(text) and not _has_at_most_two_places(Decimal(text)):
            return Decimal(text)  # "1.005": the caller refuses it for its third place
        if text[:1] == "-" and AMOUNT_TEXT.fullmatch(text[1:]) and Decimal(text[1:]) != 0:
            return Decimal(text)  # "-5": the caller refuses it as negative, saying so
        if not AMOUNT_TEXT.fullmatch(text):
            raise RulesError(
                f"{kind} is not a plain decimal number: digits with an optional point and one "
                "or two decimal places, nothing else (no sign, spaces, £, commas or exponent)",
                value=value,
                field=field,
                reference=reference,
                code=_format_code(text),
            )
        return Decimal(text)
    if isinstance(value, float):  # finite, checked with the Decimals above
        # float.__repr__, not repr(): numpy's float64 (a float) reprs as "np.float64(5.5)".
        return Decimal(float.__repr__(value))
    item = _numpy_item(value)
    if item is not _NOT_NUMPY:
        if isinstance(item, bool):
            raise _refuse_type(value, field, reference, kind)
        try:
            return _decimal_from(item, field, reference, kind)
        except RulesError as err:  # name the numpy value as received
            raise type(err)(
                err.message, value=value, field=field, reference=reference, code=err.code
            ) from None
    raise _refuse_type(value, field, reference, kind)


@exact
def read_number(
    value: Any,
    *,
    field: str | None = None,
    reference: str = MONEY_REFERENCE,
    kind: str = "a number",
) -> Decimal:
    """Read a number by the library's one number policy: the door under every reader.

    :func:`to_money`, :func:`to_percent` and through them every reader of facts, losses,
    events, eligibility, payment inputs and batch scalars use this one function, so a
    value is accepted or refused the same way everywhere (docs/money-and-errors.md):

    - ``int`` and finite ``Decimal``: as they are; ``bool`` (and ``numpy.bool_``) never;
    - a string in the one grammar :data:`AMOUNT_TEXT`: ``"1800"``, ``"1800.5"``,
      ``"1800.50"``; never ``"+1800"``, ``"1800."``, ``" 1800"`` or ``"1e3"``;
    - a finite ``float`` (the two-place rule is the caller's: :func:`to_money` refuses
      ``0.1 + 0.2``), read through its shortest ``repr``, never its binary value;
    - a numpy integer or float scalar (``np.int64``, ``np.float64``): as its Python value,
      so it is accepted exactly when the Python ``int`` or ``float`` would be.

    >>> read_number("1800.5"), read_number(7), read_number(5000.0)
    (Decimal('1800.5'), Decimal('7'), Decimal('5000.0'))
    >>> read_number("+1800", field="amount")
    Traceback (most recent call last):
    ...
    rtaprotocol.errors.RulesError: amount: a number is not a plain decimal number: digits with an optional point and one or two decimal places, nothing else (no sign, spaces, £, commas or exponent): got '+1800' [amounts are pounds and pence, never negative (guide 4.4, 6.5.2)]
    """
    return _decimal_from(value, field, reference, kind)


def _has_at_most_two_places(amount: Decimal) -> bool:
    try:
        return amount.quantize(_HUNDREDTH) == amount
    except InvalidOperation:  # too many digits for the context: never a sum of money
        return False


@exact
def to_money(value: Any, *, field: str | None = None, reference: str = MONEY_REFERENCE) -> Decimal:
    """Return ``value`` as Decimal pounds with two decimal places, or raise.

    ``field`` and ``reference`` name the input and rule in any error, so callers can say
    which amount was wrong and why it must be an amount.

    >>> to_money(1390), to_money("1390.5"), to_money(1390.5), to_money(Decimal("1.000"))
    (Decimal('1390.00'), Decimal('1390.50'), Decimal('1390.50'), Decimal('1.00'))

    A float that is not a whole number of pence is refused rather than rounded:

    >>> to_money(0.1 + 0.2)
    Traceback (most recent call last):
    ...
    rtaprotocol.errors.RulesError: amount has more than two decimal places of value: got 0.30000000000000004 [amounts are pounds and pence, never negative (guide 4.4, 6.5.2)]
    """
    return _money(value, field, reference)


#: Every int below this is an accepted amount: at most 12 digits of pounds (MAX_AMOUNT).
_INT_LIMIT: Final = 10**_MAX_DIGITS


def _money(value: Any, field: str | None, reference: str) -> Decimal:
    """:func:`to_money` without entering the context: for callers already inside it."""
    if value.__class__ is int and 0 <= value < _INT_LIMIT:  # the fast path: a plain int
        return Decimal(value) + ZERO  # the same digits as quantize(PENNY): "1390.00"
    if (  # the fast path: a plain, finite, unsigned Decimal of at most 12 digits of pounds
        value.__class__ is Decimal
        and value.is_finite()
        and not value.is_signed()
        and value.adjusted() < _MAX_DIGITS
    ):
        pence = value.quantize(PENNY)
        if pence == value:  # at most two places of value: "1390.5" gives "1390.50"
            return pence
    amount = _decimal_from(value, field, reference, "an amount")
    _check_bounds(
        amount, MAX_AMOUNT, _AMOUNT_REFUSALS, value=value, field=field, reference=reference
    )
    return amount.quantize(PENNY) + ZERO  # + ZERO turns -0.00 into 0.00


#: What an amount below 0, above :data:`MAX_AMOUNT` or with a fraction of a penny is told.
_AMOUNT_REFUSALS: Final = (
    ("amount is negative", ErrorCode.MONEY_NEGATIVE),
    (
        "amount is too large: more than £999,999,999,999.99, the library's ceiling",
        ErrorCode.MONEY_TOO_LARGE,
    ),
    ("amount has more than two decimal places of value", ErrorCode.MONEY_TOO_MANY_PLACES),
)


def _check_bounds(
    number: Decimal,
    high: int | Decimal,
    refusals: tuple[tuple[str, ErrorCode], ...],
    *,
    value: Any,
    field: str | None,
    reference: str,
) -> None:
    """Refuse ``number`` below 0, above ``high`` or with more than two places, in that order.

    The one bounds check of amounts and percentages; ``refusals`` gives each kind's
    message and code for the three failures (:data:`_AMOUNT_REFUSALS`, :func:`_percent`).
    """
    failed = (number < 0, number > high, not _has_at_most_two_places(number))
    for fails, (message, code) in zip(failed, refusals, strict=True):
        if fails:
            raise RulesError(message, value=value, field=field, reference=reference, code=code)


@exact
def to_percent(
    value: Any,
    *,
    field: str = "percent",
    high: int | Decimal = 100,
    reference: str = PERCENT_REFERENCE,
) -> Decimal:
    """Return ``value`` as a Decimal percentage from 0 to ``high`` inclusive, or raise.

    Percentages take the same inputs as :func:`to_money` and the same two-decimal limit
    (``33.33`` is accepted, ``33.333`` is not), so every percentage is a whole number of
    basis points and the batch path can use integer arithmetic with identical results.

    >>> to_percent(25), to_percent("12.5"), to_percent(20, high=20)
    (Decimal('25'), Decimal('12.5'), Decimal('20'))
    >>> to_percent(101, field="seatbelt_percent", reference="guide 6.5.2")
    Traceback (most recent call last):
    ...
    rtaprotocol.errors.RulesError: seatbelt_percent: percentage is above 100: got 101 [guide 6.5.2]
    """
    return _percent(value, field, high, reference)


def _percent(value: Any, field: str, high: int | Decimal, reference: str) -> Decimal:
    """:func:`to_percent` without entering the context: for callers already inside it."""
    if value.__class__ is int and 0 <= value <= high:  # the fast path: a plain int
        return Decimal(value)
    if (  # the fast path: a plain finite Decimal in range with at most two places
        value.__class__ is Decimal
        and value.is_finite()
        and 0 <= value <= high
        and value.quantize(_HUNDREDTH) == value
    ):
        return value + 0  # as below: -0 becomes 0, the caller's precision is kept
    pct = _decimal_from(value, field, reference, "a percentage")
    refusals = (
        ("percentage is negative", ErrorCode.PERCENT_OUT_OF_RANGE),
        (f"percentage is above {high}", ErrorCode.PERCENT_OUT_OF_RANGE),
        ("percentage has more than two decimal places", ErrorCode.PERCENT_TOO_MANY_PLACES),
    )
    _check_bounds(pct, high, refusals, value=value, field=field, reference=reference)
    return pct + 0  # normalises -0 to 0 while keeping the caller's precision


def _finite_decimal(amount: Any) -> Decimal:
    """Return ``amount`` (a Decimal or int) as a finite Decimal, or raise."""
    if isinstance(amount, Decimal):
        if amount.is_finite():
            return Decimal(amount)  # a plain Decimal, even from a subclass
        raise RulesError(
            "amount must be finite",
            value=amount,
            reference=MONEY_REFERENCE,
            code=ErrorCode.NUMBER_NOT_FINITE,
        )
    if isinstance(amount, int) and not isinstance(amount, bool):
        return Decimal(amount)
    raise RulesTypeError(
        f"expected a Decimal amount, not {type(amount).__name__} (use to_money)",
        value=amount,
        reference=MONEY_REFERENCE,
    )


@exact
def round_penny(amount: Decimal) -> Decimal:
    """Round ``amount`` to the penny, half-up: the protocol's only rounding rule.

    A float, a bool or a non-finite Decimal is refused rather than rounded.

    >>> round_penny(Decimal("1012.505")), round_penny(Decimal("1012.504999"))
    (Decimal('1012.51'), Decimal('1012.50'))
    """
    if amount.__class__ is not Decimal or not amount.is_finite():
        amount = _finite_decimal(amount)
    if amount.adjusted() >= _MAX_ROUNDED_DIGITS:  # Decimal("1E+999999") never reaches quantize
        raise RulesError(
            "amount cannot be rounded to the penny",
            value=amount,
            reference=MONEY_REFERENCE,
            code=ErrorCode.VALUE_INVALID,
        )
    try:
        return amount.quantize(PENNY, rounding=ROUND_HALF_UP) + ZERO
    except InvalidOperation:  # NaN, infinity, or too many digits to quantize
        raise RulesError(
            "amount cannot be rounded to the penny",
            value=amount,
            reference=MONEY_REFERENCE,
            code=ErrorCode.VALUE_INVALID,
        ) from None


@exact
def to_pence(amount: Decimal) -> int:
    """Return a money amount as whole pence (an ``int``), refusing fractions of a penny.

    >>> to_pence(Decimal("2112.50")), to_pence(0)
    (211250, 0)
    """
    pounds = _finite_decimal(amount)
    if pounds.adjusted() >= _PENCE_DIGITS:
        raise RulesError(
            f"amount is too large: more than {_PENCE_DIGITS} digits of pounds",
            value=amount,
            reference=MONEY_REFERENCE,
            code=_too_large_code(amount),
        )
    pence = pounds * 100
    if pence != pence.to_integral_value():
        raise RulesError(
            "amount is not a whole number of pence",
            value=amount,
            reference=MONEY_REFERENCE,
            code=ErrorCode.MONEY_TOO_MANY_PLACES,
        )
    return int(pence)


@exact
def format_money(amount: Decimal) -> str:
    """Format an amount the way the guide prints it: ``£2,112.50``.

    A fraction of a penny is shown rounded half-up (:func:`round_penny`), never by the
    ``format`` mini-language's half-even rule; a negative amount prints as ``-£5.00``.

    >>> format_money(Decimal("2112.5")), format_money(Decimal("0")), format_money(Decimal("0.125"))
    ('£2,112.50', '£0.00', '£0.13')
    """
    rounded = round_penny(amount)
    sign = "-" if rounded < 0 else ""
    return f"{sign}£{abs(rounded):,.2f}"
