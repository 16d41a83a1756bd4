"""Money and percentages: the one door every amount comes through.

Amounts are :class:`decimal.Decimal` pounds with exactly two decimal places. No amount in
the protocol is negative: damages, deductions, offers, fees and interim payments are all
sums of zero or more (guide 4.4, 5.3, 6.5.2).

Accepted by :func:`to_money`:

- ``int`` (not ``bool``);
- ``Decimal``, finite, with at most two decimal places *of value* (``Decimal("1.000")``
  is fine, ``Decimal("1.005")`` is not);
- a numeric string in plain ASCII decimal notation (``"1390"``, ``"1390.5"``, ``" 12.00 "``);
  no currency sign, thousands separator or exponent;
- a ``float`` only when it is finite and its shortest ``repr`` has at most two decimal
  places: ``1390.5`` is accepted, ``0.1 + 0.2`` (``0.30000000000000004``) is refused,
  because a float that cannot be written in pence is a sign of float arithmetic upstream.

Penny rounding is half-up (:func:`round_penny`), the way the guide's own figures round,
and it lives only here.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Final

from rtaprotocol._decimal import exact
from rtaprotocol.errors import RulesError, RulesTypeError

__all__ = [
    "format_money",
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

#: ASCII only: ``\d`` and ``str.strip()`` would also take Arabic-Indic or full-width digits
#: and a no-break space, which Decimal() reads but the documented form does not allow.
_NUMERIC = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)", re.ASCII)
#: The whitespace allowed around a number in a string: ASCII only.
ASCII_SPACE: Final = " \t\n\r\f\v"
_HUNDREDTH: Final = Decimal("0.01")
#: Pounds digits allowed: 2 places of pence must still fit Decimal's default 28 digits.
_MAX_DIGITS: Final = 26
#: round_penny works on sums and products of accepted amounts and percentages, which stay
#: far below this many digits of pounds; anything larger is refused, whatever the context.
_MAX_ROUNDED_DIGITS: Final = 28


def _decimal_from(value: Any, field: str | None, reference: str, kind: str) -> Decimal:
    """Turn an accepted input into a Decimal, refusing the types and forms we never take."""
    if isinstance(value, bool) or value is None:
        raise RulesTypeError(
            f"{kind} must be an int, Decimal, numeric string or float, not {type(value).__name__}",
            value=value,
            field=field,
            reference=reference,
        )
    if isinstance(value, int):
        return Decimal(int.__int__(value))  # a subclass's own methods are never called
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise RulesError(
                f"{kind} must be finite", value=value, field=field, reference=reference
            )
        return Decimal(value)  # a plain Decimal, even from a subclass
    if isinstance(value, str):
        text = str.__str__(value).strip(ASCII_SPACE)
        if not text.isascii():
            raise RulesError(
                f"{kind} is not a plain decimal number: only the ASCII digits 0-9, a point "
                "and ASCII spaces around it (no other scripts' digits, no no-break space)",
                value=value,
                field=field,
                reference=reference,
            )
        if not _NUMERIC.fullmatch(text):
            raise RulesError(
                f"{kind} is not a plain decimal number (no £, commas or exponents)",
                value=value,
                field=field,
                reference=reference,
            )
        return Decimal(text)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise RulesError(
                f"{kind} must be finite", value=value, field=field, reference=reference
            )
        # float.__repr__, not repr(): numpy's float64 (a float) reprs as "np.float64(5.5)".
        return Decimal(float.__repr__(value))
    raise RulesTypeError(
        f"{kind} must be an int, Decimal, numeric string or float, not {type(value).__name__}",
        value=value,
        field=field,
        reference=reference,
    )


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


#: Every int below this is an accepted amount: at most 26 digits of pounds.
_INT_LIMIT: Final = 10**_MAX_DIGITS


def _money(value: Any, field: str | None, reference: str) -> Decimal:
    """:func:`to_money` without entering the context: for callers already inside it."""
    if value.__class__ is int and 0 <= value < _INT_LIMIT:  # the fast path: a plain int
        return Decimal(value) + ZERO  # the same digits as quantize(PENNY): "1390.00"
    if (  # the fast path: a plain, finite, unsigned Decimal of at most 26 digits of pounds
        value.__class__ is Decimal
        and value.is_finite()
        and not value.is_signed()
        and value.adjusted() < _MAX_DIGITS
    ):
        pence = value.quantize(PENNY)
        if pence == value:  # at most two places of value: "1390.5" gives "1390.50"
            return pence
    amount = _decimal_from(value, field, reference, "an amount")
    if amount < 0:
        raise RulesError("amount is negative", value=value, field=field, reference=reference)
    if amount.adjusted() >= _MAX_DIGITS:
        raise RulesError(
            f"amount is too large: more than {_MAX_DIGITS} digits of pounds",
            value=value,
            field=field,
            reference=reference,
        )
    if not _has_at_most_two_places(amount):
        raise RulesError(
            "amount has more than two decimal places of value",
            value=value,
            field=field,
            reference=reference,
        )
    return amount.quantize(PENNY) + ZERO  # + ZERO turns -0.00 into 0.00


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
    if pct < 0:
        raise RulesError("percentage is negative", value=value, field=field, reference=reference)
    if pct > high:
        raise RulesError(
            f"percentage is above {high}", value=value, field=field, reference=reference
        )
    if not _has_at_most_two_places(pct):
        raise RulesError(
            "percentage has more than two decimal places",
            value=value,
            field=field,
            reference=reference,
        )
    return pct + 0  # normalises -0 to 0 while keeping the caller's precision


def _finite_decimal(amount: Any) -> Decimal:
    """Return ``amount`` (a Decimal or int) as a finite Decimal, or raise."""
    if isinstance(amount, Decimal):
        if amount.is_finite():
            return Decimal(amount)  # a plain Decimal, even from a subclass
        raise RulesError("amount must be finite", value=amount, reference=MONEY_REFERENCE)
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
            "amount cannot be rounded to the penny", value=amount, reference=MONEY_REFERENCE
        )
    try:
        return amount.quantize(PENNY, rounding=ROUND_HALF_UP) + ZERO
    except InvalidOperation:  # NaN, infinity, or too many digits to quantize
        raise RulesError(
            "amount cannot be rounded to the penny", value=amount, reference=MONEY_REFERENCE
        ) from None


@exact
def to_pence(amount: Decimal) -> int:
    """Return a money amount as whole pence (an ``int``), refusing fractions of a penny.

    >>> to_pence(Decimal("2112.50")), to_pence(0)
    (211250, 0)
    """
    pounds = _finite_decimal(amount)
    if pounds.adjusted() >= _MAX_DIGITS:
        raise RulesError(
            f"amount is too large: more than {_MAX_DIGITS} digits of pounds",
            value=amount,
            reference=MONEY_REFERENCE,
        )
    pence = pounds * 100
    if pence != pence.to_integral_value():
        raise RulesError(
            "amount is not a whole number of pence", value=amount, reference=MONEY_REFERENCE
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
