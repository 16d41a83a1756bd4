"""A payment request as JSON: the inputs of :func:`~rtaprotocol.deductions.compute_payment`.

A portal backend receives an offer's figures as JSON; :meth:`PaymentInput.from_dict`
reads them exactly as the ``payment-input`` schema says (``rtaprotocol schema
payment-input``), collecting every problem into one
:class:`~rtaprotocol.errors.InvalidInput`; :meth:`PaymentInput.compute` applies the
ordered deductions of guide 6.5.2; :meth:`PaymentInput.to_dict` writes the canonical form
back (every head, every amount a two-place string, percentages two-place strings, the
seatbelt heads in the guide's order).

>>> request = PaymentInput.from_dict({
...     "heads": {"injury": 1000, "injury-related": "1500", "property": "1500.00"},
...     "claimant_liability_percent": 25, "seatbelt_percent": "10",
...     "cru": {"injury-related": 500}, "interim": {"property": 200}})
>>> request.compute().total
Decimal('2112.50')
>>> request.to_dict()["claimant_liability_percent"], request.to_dict()["heads"]["injury"]
('25.00', '1000.00')
>>> PaymentInput.from_dict(request.to_dict()) == request
True

Amounts are strings of pounds with at most two decimal places (``"1390.50"``) or whole
numbers; percentages the same, from 0 to 100. A JSON float with a fraction is refused
(``12.5`` could have been ``12.499999``): write ``"12.5"``. One rule the schema states
only in part is enforced here: CRU and item interim payments are never set against the
injury head (a non-zero amount there is a
:class:`~rtaprotocol.errors.ProtocolViolation`, Social Security (Recovery of Benefits)
Act 1997, Sch 2; guide 6.3.1.4).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Final, final

from attrs import frozen

from rtaprotocol._checks import key_path, not_an_object, unknown_keys, wrong_type
from rtaprotocol._views import install_views
from rtaprotocol.deductions import (
    _CRU_ON_INJURY,
    _INTERIM_ON_INJURY,
    CRU_NOT_INJURY_REFERENCE,
    CRU_REFERENCE,
    GENERAL_INTERIM_REFERENCE,
    HEADS_REFERENCE,
    INTERIM_NOT_INJURY_REFERENCE,
    INTERIM_REFERENCE,
    LIABILITY_REFERENCE,
    SEATBELT_REFERENCE,
    Head,
    PaymentBreakdown,
    PerHead,
    compute_payment,
)
from rtaprotocol.errors import (
    ErrorCode,
    InvalidInput,
    ProtocolViolation,
    RulesError,
)
from rtaprotocol.money import read_number, to_money, to_percent

__all__ = ["PaymentInput"]

SCHEMA_REFERENCE: Final = "rtaprotocol schema payment-input"
_PERCENT = re.compile(r"(?:[0-9]{1,2}|0[0-9]{2})(?:\.[0-9]{1,2})?|100(?:\.0{1,2})?")
_AMOUNT_RULE: Final = "pounds with at most two decimal places and 12 digits, no sign, £ or commas"
_PERCENT_RULE: Final = "0 to 100 with at most two decimal places, no sign or % sign"
_HUNDREDTH: Final = Decimal("0.01")
_KEYS: Final = (
    "heads",
    "claimant_liability_percent",
    "seatbelt_percent",
    "seatbelt_heads",
    "cru",
    "interim",
    "general_interim",
)
_DEFAULT_SEATBELT: Final = (Head.INJURY, Head.INJURY_RELATED)


def _two_places(value: Decimal) -> str:
    return str(value.quantize(_HUNDREDTH))


def _set_off_amounts(pay: PaymentBreakdown, name: str) -> PerHead:
    """Return what a set-off step was asked to take: what it took plus what it could not."""
    step = pay.step(name)
    return PerHead.of({h: step.deduction[h] + step.not_set_off[h] for h in Head})


@final
@frozen
class PaymentInput:
    """The inputs of one :func:`~rtaprotocol.deductions.compute_payment` call, as a value.

    Build one with :meth:`of` (anything ``compute_payment`` takes) or :meth:`from_dict`
    (parsed JSON). Two inputs that ask for the same payment are equal, whatever form their
    numbers took.

    >>> PaymentInput.of({"injury": 100}, claimant_liability_percent="12.5").compute().total
    Decimal('87.50')
    """

    heads: PerHead
    claimant_liability_percent: Decimal
    seatbelt_percent: Decimal
    seatbelt_heads: tuple[Head, ...]
    cru: PerHead
    interim: PerHead
    general_interim: Decimal

    @classmethod
    def of(
        cls,
        heads: Mapping[Any, Any],
        *,
        claimant_liability_percent: Any = 0,
        seatbelt_percent: Any = 0,
        seatbelt_heads: Any = _DEFAULT_SEATBELT,
        cru: Mapping[Any, Any] | None = None,
        interim: Mapping[Any, Any] | None = None,
        general_interim: Any = 0,
    ) -> PaymentInput:
        """Validate the arguments exactly as ``compute_payment`` does, and keep them.

        >>> PaymentInput.of({"injury": 10}, cru={"injury": 1})
        Traceback (most recent call last):
        ...
        rtaprotocol.errors.ProtocolViolation: cru[injury]: CRU cannot be set off against compensation for pain, suffering and loss of amenity: got 1 [Social Security (Recovery of Benefits) Act 1997, Sch 2; guide 6.5.2.2]
        """
        pay = compute_payment(
            heads,
            claimant_liability_percent=claimant_liability_percent,
            seatbelt_percent=seatbelt_percent,
            seatbelt_heads=seatbelt_heads,
            cru=cru,
            interim=interim,
            general_interim=general_interim,
        )
        return cls(
            heads=pay.full_value,
            claimant_liability_percent=pay.claimant_liability_percent.quantize(_HUNDREDTH),
            seatbelt_percent=pay.seatbelt_percent.quantize(_HUNDREDTH),
            seatbelt_heads=pay.seatbelt_heads,
            cru=_set_off_amounts(pay, "cru"),
            interim=_set_off_amounts(pay, "interim"),
            general_interim=pay.general_interim,
        )

    def compute(self) -> PaymentBreakdown:
        """Apply the ordered deductions of guide 6.5.2 (``compute_payment``)."""
        return compute_payment(
            self.heads,
            claimant_liability_percent=self.claimant_liability_percent,
            seatbelt_percent=self.seatbelt_percent,
            seatbelt_heads=self.seatbelt_heads,
            cru=self.cru,
            interim=self.interim,
            general_interim=self.general_interim,
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the canonical JSON form: every key, amounts and percentages two-place strings.

        >>> PaymentInput.of({}).to_dict()["seatbelt_heads"]
        ['injury', 'injury-related']
        """
        return {
            "heads": self.heads.to_dict(),
            "claimant_liability_percent": _two_places(self.claimant_liability_percent),
            "seatbelt_percent": _two_places(self.seatbelt_percent),
            "seatbelt_heads": [h.value for h in self.seatbelt_heads],
            "cru": self.cru.to_dict(),
            "interim": self.interim.to_dict(),
            "general_interim": _two_places(self.general_interim),
        }

    @classmethod
    def problems(cls, data: Any) -> tuple[RulesError, ...]:
        """Return every problem in ``data`` (empty when :meth:`from_dict` would accept it).

        >>> [p.field for p in PaymentInput.problems({"heads": {"psla": 1}, "colour": "red"})]
        ['$.colour', '$.heads.psla']
        """
        try:
            cls.from_dict(data)
        except RulesError as err:
            return err.problems
        return ()

    @classmethod
    def from_dict(cls, data: Any) -> PaymentInput:
        """Read a payment request from parsed JSON, as the ``payment-input`` schema says.

        Only ``heads`` is required. Every problem is reported at once, each with its JSON
        path:

        >>> PaymentInput.from_dict({"heads": {"injury": 12.505}, "seatbelt_percent": "101"})
        Traceback (most recent call last):
        ...
        rtaprotocol.errors.InputError: 2 problems in the input:
          $.heads.injury: amount has more than two decimal places of value: got 12.505 [guide 6.5.2]
          $.seatbelt_percent: percentage is above 100: got '101' [guide 6.5.2 (2), 6.5.2.1]
        """
        found: list[RulesError] = []
        if not isinstance(data, Mapping):
            raise not_an_object(data, "a payment input", reference=SCHEMA_REFERENCE)
        found.extend(
            unknown_keys(sorted(str(k) for k in data), _KEYS, path="$", reference=SCHEMA_REFERENCE)
        )
        if "heads" not in data:
            found.append(
                RulesError(
                    "required key is missing",
                    field="$.heads",
                    reference=SCHEMA_REFERENCE,
                    code=ErrorCode.FIELD_MISSING,
                )
            )
        heads = _heads(data.get("heads", {}), "$.heads", HEADS_REFERENCE, found)
        liability = _percent(
            data.get("claimant_liability_percent", 0),
            "$.claimant_liability_percent",
            LIABILITY_REFERENCE,
            found,
        )
        seatbelt = _percent(
            data.get("seatbelt_percent", 0), "$.seatbelt_percent", SEATBELT_REFERENCE, found
        )
        belted = _seatbelt(data.get("seatbelt_heads", ["injury", "injury-related"]), found)
        cru = _heads(data.get("cru", {}), "$.cru", CRU_REFERENCE, found)
        interim = _heads(data.get("interim", {}), "$.interim", INTERIM_REFERENCE, found)
        general = _amount(
            data.get("general_interim", 0), "$.general_interim", GENERAL_INTERIM_REFERENCE, found
        )
        for name, amounts, reference, message in (
            ("cru", cru, CRU_NOT_INJURY_REFERENCE, _CRU_ON_INJURY),
            ("interim", interim, INTERIM_NOT_INJURY_REFERENCE, _INTERIM_ON_INJURY),
        ):
            if amounts.get(Head.INJURY):
                found.append(
                    ProtocolViolation(
                        message,
                        value=data[name]["injury"],
                        field=f"$.{name}.injury",
                        reference=reference,
                        code=ErrorCode.PROTOCOL_FORBIDDEN,
                    )
                )
        if found:
            raise InvalidInput(found, reference=SCHEMA_REFERENCE)
        return cls.of(
            heads,
            claimant_liability_percent=liability,
            seatbelt_percent=seatbelt,
            seatbelt_heads=belted,
            cru=cru,
            interim=interim,
            general_interim=general,
        )


def _number(value: Any, path: str, pattern: re.Pattern[str], what: str, rule: str) -> Decimal:
    """Read an amount or percentage by the library's one number policy (``read_number``).

    ``pattern`` and ``rule`` are kept for callers; the grammar is :data:`AMOUNT_TEXT`.
    """
    return read_number(value, field=path, reference=SCHEMA_REFERENCE, kind=what)


def _amount(value: Any, path: str, reference: str, found: list[RulesError]) -> Decimal:
    try:
        return to_money(value, field=path, reference=reference)
    except RulesError as err:
        found.append(err)
        return Decimal(0)


def _percent(value: Any, path: str, reference: str, found: list[RulesError]) -> Decimal:
    try:
        number = _number(value, path, _PERCENT, "a percentage", _PERCENT_RULE)
        to_percent(number, field=path, reference=reference)
    except RulesError as err:
        # Report the value as it was written, not as the Decimal it was read into.
        found.append(
            type(err)(err.message, value=value, field=path, reference=err.reference, code=err.code)
        )
        return Decimal(0)
    return number


def _heads(value: Any, path: str, reference: str, found: list[RulesError]) -> dict[Head, Decimal]:
    if not isinstance(value, Mapping):
        found.append(
            wrong_type(
                value, "an object of heads to amounts", field=path, reference=SCHEMA_REFERENCE
            )
        )
        return {}
    out: dict[Head, Decimal] = {}
    for key, amount in value.items():
        head = _head(key, key_path(path, key), HEADS_REFERENCE, found)
        if head is None:
            continue
        out[head] = _amount(amount, key_path(path, key), reference, found)
    return out


def _head(slug: object, path: str, reference: str, found: list[RulesError]) -> Head | None:
    """Return the head ``slug`` names, or None with the refusal added to ``found``."""
    head = next((h for h in Head if h.value == slug), None)
    if head is None:
        found.append(
            RulesError(
                "not a head; the heads are " + ", ".join(h.value for h in Head),
                value=slug,
                field=path,
                reference=reference,
                code=ErrorCode.VALUE_INVALID,
            )
        )
    return head


def _seatbelt(value: Any, found: list[RulesError]) -> tuple[Head, ...]:
    path = "$.seatbelt_heads"
    if not isinstance(value, list):
        found.append(wrong_type(value, "a list of heads", field=path, reference=SEATBELT_REFERENCE))
        return ()
    chosen: list[Head] = []
    for i, slug in enumerate(value):
        head = _head(slug, f"{path}[{i}]", SEATBELT_REFERENCE, found)
        if head is None:
            continue
        if head in chosen:
            found.append(
                RulesError(
                    "head listed twice",
                    value=slug,
                    field=f"{path}[{i}]",
                    reference=SEATBELT_REFERENCE,
                    code=ErrorCode.VALUE_INVALID,
                )
            )
        else:
            chosen.append(head)
    return tuple(chosen)


install_views(globals())  # notebook views of every public class (rtaprotocol._views)
