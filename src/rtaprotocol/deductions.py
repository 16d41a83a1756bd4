"""Deductions: what an offer actually pays (guide 6.5.2, 6.5.2.1, 6.5.2.2, 6.3.1.4).

The compensator enters the full value of each head of loss, then makes deductions "in the
order set out above" (guide 6.5.2):

1. the claimant's share of liability, off every head (guide 6.5.2 step 1, 6.5.2.1);
2. the reduction for not wearing a seatbelt, off the injury and injury-related heads
   (guide 6.5.2 step 2, 6.5.2.1; ``seatbelt_heads`` changes which);
3. "then other deductions will be applied against the remaining sum" (guide 6.5.2 step 3):
   CRU (recoverable state benefits, guide 6.5.2.2) off the heads it is assigned to, then
   interim payments already made for an item, off that item's head (guide 6.3.1.4).

A general interim payment, not tied to an item, "will be offset against any final
settlement" (guide 6.3.1.4): it comes off the total, on a line of its own.

Rounding: each percentage step's *result* per head is rounded to the penny, half-up
(``round_penny(value * (100 - pct) / 100)``); the deduction shown is before minus after.
CRU and interim steps subtract whole pence and need no rounding. No head goes below zero:
a CRU or interim amount larger than what is left of its head is recorded as not set off.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum
from typing import Any, Final, NamedTuple, final

from attrs import Attribute, field, frozen

from rtaprotocol._checks import check_enum, wrong_type
from rtaprotocol._decimal import exact, plain_text
from rtaprotocol._render import (
    KeyedEquality,
    html_table,
    html_text,
    html_verdict,
    jsonable,
    percent_json,
    text_table,
)
from rtaprotocol._views import frame, install_views
from rtaprotocol.errors import ErrorCode, ProtocolViolation, RulesError, RulesTypeError
from rtaprotocol.money import (
    _INT_LIMIT,
    PENNY,
    ZERO,
    _money,
    _percent,
    format_money,
    to_money,
)
from rtaprotocol.sources import Reference

__all__ = ["DeductionStep", "Head", "PaymentBreakdown", "PerHead", "compute_payment"]

HEADS_REFERENCE: Final = "guide 6.5.2"
LIABILITY_REFERENCE: Final = "guide 6.5.2 (1), 6.5.2.1"
SEATBELT_REFERENCE: Final = "guide 6.5.2 (2), 6.5.2.1"
CRU_REFERENCE: Final = "guide 6.5.2 (3), 6.5.2.2"
INTERIM_REFERENCE: Final = "guide 6.5.2 (3), 6.3.1.4"
GENERAL_INTERIM_REFERENCE: Final = "guide 6.3.1.4"
CRU_NOT_INJURY_REFERENCE: Final = (
    "Social Security (Recovery of Benefits) Act 1997, Sch 2; guide 6.5.2.2"
)
INTERIM_NOT_INJURY_REFERENCE: Final = "guide 6.3.1.4"
ROUNDING_RULE: Final = (
    "each percentage step's result per head is rounded to the penny, half-up; "
    "the deduction shown is before minus after"
)


class Head(Enum):
    """The three heads of loss the portal's offer screen shows (guide 6.5.2, 6.5.2.2).

    ``Head.X.value`` is a stable slug used by JSON and the CLI; ``label`` is a short
    description. The guide's example table has exactly these columns: "Injury", and
    protocol damages split into "Injury related" and "Property related".

    >>> Head("injury-related") is Head.INJURY_RELATED
    True
    >>> [h.value for h in Head]
    ['injury', 'injury-related', 'property']
    """

    INJURY = ("injury", "pain, suffering and loss of amenity: tariff plus non-tariff")
    INJURY_RELATED = (
        "injury-related",
        "protocol damages arising from the injury: lost earnings, care, treatment, travel",
    )
    PROPERTY = ("property", "property-related protocol damages: vehicle damage, policy excess")

    label: str

    def __new__(cls, slug: str, label: str) -> Head:
        """Make a member whose value is its slug, with its description attached."""
        member = object.__new__(cls)
        member._value_ = slug
        member.label = label
        return member

    @classmethod
    def from_slug(cls, slug: object) -> Head:
        """Return the head named by ``slug`` (a ``Head`` passes through), or raise RulesError.

        >>> Head.from_slug("property")
        <Head.PROPERTY: 'property'>
        >>> Head.from_slug("PSLA")
        Traceback (most recent call last):
        ...
        rtaprotocol.errors.RulesError: head: not one of Head: 'injury', 'injury-related', 'property': got 'PSLA' [guide 6.5.2]
        """
        return check_enum(slug, cls, field="head", reference=HEADS_REFERENCE)


_BY_SLUG: Final[dict[object, Head]] = {h.value: h for h in Head}
#: compute_payment's default ``seatbelt_heads`` (guide 6.5.2.1: injury and injury-related).
_DEFAULT_BELTED: Final[tuple[Head, ...]] = (Head.INJURY, Head.INJURY_RELATED)


def _pence_amount(_instance: object, attribute: Attribute[Decimal], value: Any) -> None:
    """Refuse a per-head amount that is not a two-place, non-negative ``Decimal``."""
    amount = to_money(value, field=attribute.name, reference=HEADS_REFERENCE)
    if not isinstance(value, Decimal) or value.as_tuple() != amount.as_tuple():
        raise RulesTypeError(
            "expected a Decimal in pounds and pence (two places); use PerHead.of to convert",
            value=value,
            field=attribute.name,
            reference=HEADS_REFERENCE,
        )


@final
@frozen(eq=False)
class PerHead(Mapping[Head, Decimal]):
    """One amount per head, immutable: a read-only mapping ``Head -> Decimal``.

    Indexing takes a :class:`Head` or its slug; it compares equal to any mapping with the
    same items, so ``== {Head.INJURY: ...}`` works (guide 6.5.2's three columns). The
    constructor takes only amounts already in pounds and pence (two-place ``Decimal``,
    not negative); :meth:`of` takes anything :func:`~rtaprotocol.money.to_money` takes.

    >>> p = PerHead(injury=Decimal("675.00"), injury_related=Decimal("512.50"),
    ...             property=Decimal("925.00"))
    >>> p[Head.PROPERTY], p["injury-related"], p.total()
    (Decimal('925.00'), Decimal('512.50'), Decimal('2112.50'))
    >>> p == {Head.INJURY: Decimal("675"), Head.INJURY_RELATED: Decimal("512.5"),
    ...       Head.PROPERTY: Decimal("925")}
    True
    >>> PerHead(injury=Decimal("1.00"), injury_related=Decimal("-1.00"), property=ZERO)
    Traceback (most recent call last):
    ...
    rtaprotocol.errors.RulesError: injury_related: amount is negative: got Decimal('-1.00') [guide 6.5.2]
    """

    injury: Decimal = field(validator=_pence_amount)
    injury_related: Decimal = field(validator=_pence_amount)
    property: Decimal = field(validator=_pence_amount)

    @classmethod
    @exact
    def of(cls, amounts: Mapping[Head, Any]) -> PerHead:
        """Build from a mapping of heads to amounts (through ``to_money``); a missing head is £0.00.

        >>> PerHead.of({Head.PROPERTY: 200}).property, PerHead.of({}).injury
        (Decimal('200.00'), Decimal('0.00'))
        """
        return cls(
            **{
                head.name.lower(): to_money(
                    amounts.get(head, ZERO), field=head.value, reference=HEADS_REFERENCE
                )
                for head in Head
            }
        )

    @classmethod
    def _trusted(cls, injury: Decimal, injury_related: Decimal, property: Decimal) -> PerHead:
        """Build from amounts the library itself produced (two-place, never negative).

        The one door is the public constructor (and :meth:`of`), which validates; the
        rules, having validated their inputs once, build their intermediate amounts here
        without checking them again.
        """
        self = _new(cls)
        _set(self, "injury", injury)
        _set(self, "injury_related", injury_related)
        _set(self, "property", property)
        return self

    def __getitem__(self, key: Head | str) -> Decimal:
        try:
            head = key if isinstance(key, Head) else _BY_SLUG.get(key)
        except TypeError:  # an unhashable key is simply not a head
            head = None
        if head is None:
            raise KeyError(key)
        value: Decimal = getattr(self, head.name.lower())
        return value

    def __iter__(self) -> Iterator[Head]:
        return iter(Head)

    def __len__(self) -> int:
        return len(Head)

    def __hash__(self) -> int:
        return hash(tuple(self.values()))

    @exact
    def total(self) -> Decimal:
        """Return the sum over the three heads, exactly (no digits lost on huge amounts)."""
        return self.injury + self.injury_related + self.property

    @exact
    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data: ``{"injury": "675.00", ...}``."""
        return {head.value: jsonable(amount) for head, amount in self.items()}


_new: Final = object.__new__
_set: Final = object.__setattr__
_NOTHING: Final = PerHead(injury=ZERO, injury_related=ZERO, property=ZERO)
_trusted: Final = PerHead._trusted


@final
@frozen
class DeductionStep:
    """One row of the guide 6.5.2.2 table: a deduction, per head, with its reference.

    ``name`` is a stable slug (``"liability"``, ``"seatbelt"``, ``"cru"``,
    ``"interim"``); ``before``, ``deduction`` and ``after`` are per head, with
    ``deduction == before - after``; ``not_set_off`` is the part of a CRU or interim
    amount larger than what was left of its head (zero for the percentage steps);
    ``applies_to`` lists the heads the step touches.

    A CRU amount larger than what is left of its head takes the head to zero, no further:

    >>> step = compute_payment({"injury-related": 300}, cru={"injury-related": 500}).step("cru")
    >>> step.deduction["injury-related"], step.after["injury-related"], step.not_set_off["injury-related"]
    (Decimal('300.00'), Decimal('0.00'), Decimal('200.00'))
    """

    name: str
    description: str
    reference: str = field(converter=Reference)
    applies_to: tuple[Head, ...]
    before: PerHead
    deduction: PerHead
    after: PerHead
    not_set_off: PerHead = _NOTHING

    @exact
    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data (amounts as exact strings, heads as slugs)."""
        return {
            "name": self.name,
            "description": self.description,
            "reference": self.reference,
            "applies_to": [h.value for h in self.applies_to],
            "before": self.before.to_dict(),
            "deduction": self.deduction.to_dict(),
            "after": self.after.to_dict(),
            "not_set_off": self.not_set_off.to_dict(),
        }


class _Pending(NamedTuple):
    """What :func:`compute_payment` keeps so that the steps can be built when first asked.

    ``net`` (what is left of each head after the four steps) is computed at once; the
    steps, their descriptions and every rendering are built from the validated inputs
    recorded here only when ``steps`` (or anything shown from it) is first read. The
    steps depend on these inputs alone, as eagerly built steps would, so a breakdown
    copied with ``attrs.evolve`` behaves exactly as it did when the steps were a tuple.
    """

    full: PerHead
    liability: Decimal
    seatbelt: Decimal
    belted: tuple[Head, ...]
    cru: PerHead
    interim: PerHead
    net: PerHead


@final
@frozen(eq=False)
class PaymentBreakdown(KeyedEquality):
    """What an offer pays after the ordered deductions of guide 6.5.2, step by step.

    ``steps`` always holds the four steps in the guide's order (liability, seatbelt, CRU,
    interim), each with its reference, even when a step deducts nothing. ``net_by_head``
    is what is left of each head after them; ``total`` is their sum less the general
    interim payment (guide 6.3.1.4), never below zero. Whatever could not be set off is
    recorded: ``cru_not_set_off``, ``interim_not_set_off``, ``general_interim_not_set_off``.

    A general interim larger than what is left floors the total at zero:

    >>> pay = compute_payment({"injury": 100}, claimant_liability_percent=10, general_interim=95)
    >>> pay.subtotal, pay.total, pay.general_interim_not_set_off
    (Decimal('90.00'), Decimal('0.00'), Decimal('5.00'))
    """

    full_value: PerHead
    claimant_liability_percent: Decimal
    seatbelt_percent: Decimal
    seatbelt_heads: tuple[Head, ...]
    # Given as ``steps=`` (attrs drops the underscore); ``compute_payment`` passes a
    # _Pending and the steps are built, once, when first read (see ``steps``).
    _steps: tuple[DeductionStep, ...] | _Pending
    general_interim: Decimal

    @property
    @exact
    def steps(self) -> tuple[DeductionStep, ...]:
        """The four steps in the guide's order, each with its reference (built when first read)."""
        steps = self._steps
        if isinstance(steps, _Pending):
            steps = _explain(steps)
            _set(self, "_steps", steps)  # a private cache slot: the value never changes
        return steps

    def _key(self) -> tuple[Any, ...]:
        return (
            self.full_value,
            self.claimant_liability_percent,
            self.seatbelt_percent,
            self.seatbelt_heads,
            self.steps,
            self.general_interim,
        )

    @exact
    def __repr__(self) -> str:
        return (
            f"PaymentBreakdown(full_value={self.full_value!r}, "
            f"claimant_liability_percent={self.claimant_liability_percent!r}, "
            f"seatbelt_percent={self.seatbelt_percent!r}, "
            f"seatbelt_heads={self.seatbelt_heads!r}, steps={self.steps!r}, "
            f"general_interim={self.general_interim!r})"
        )

    @property
    @exact
    def net_by_head(self) -> PerHead:
        """What is left of each head after the four steps (before the general interim)."""
        steps = self._steps
        if isinstance(steps, _Pending):
            return steps.net
        return steps[-1].after

    @property
    @exact
    def subtotal(self) -> Decimal:
        """The sum of ``net_by_head``: the payment before the general interim."""
        return self.net_by_head.total()

    @property
    @exact
    def general_interim_set_off(self) -> Decimal:
        """The part of the general interim payment offset against the subtotal."""
        return min(self.general_interim, self.subtotal)

    @property
    @exact
    def general_interim_not_set_off(self) -> Decimal:
        """The part of the general interim payment larger than the subtotal."""
        return self.general_interim - self.general_interim_set_off

    @property
    @exact
    def total(self) -> Decimal:
        """The payment: the subtotal less the general interim, never below zero."""
        steps = self._steps  # net_by_head, subtotal and general_interim_set_off, inline
        net = steps.net if isinstance(steps, _Pending) else steps[-1].after
        subtotal = net.injury + net.injury_related + net.property
        return subtotal - min(self.general_interim, subtotal)

    @property
    @exact
    def cru_not_set_off(self) -> PerHead:
        """CRU assigned to a head beyond what was left of it (guide 6.5.2.2)."""
        return self.step("cru").not_set_off

    @property
    @exact
    def interim_not_set_off(self) -> PerHead:
        """Item interim payments beyond what was left of their head (guide 6.3.1.4)."""
        return self.step("interim").not_set_off

    @exact
    def step(self, name: str) -> DeductionStep:
        """Return the step named ``name`` (``"liability"``, ``"seatbelt"``, ``"cru"``, ``"interim"``).

        >>> compute_payment({"property": 10}, interim={"property": 4}).step("interim").after.total()
        Decimal('6.00')
        >>> compute_payment({}).step("excess")
        Traceback (most recent call last):
        ...
        rtaprotocol.errors.RulesError: name: not a step; the steps are liability, seatbelt, cru, interim: got 'excess' [guide 6.5.2]
        """
        for step in self.steps:
            if step.name == name:
                return step
        raise RulesError(
            "not a step; the steps are " + ", ".join(s.name for s in self.steps),
            value=name,
            field="name",
            reference=HEADS_REFERENCE,
            code=ErrorCode.VALUE_INVALID,
        )

    def _rows(self) -> list[list[Any]]:
        full = self.full_value
        rows: list[list[Any]] = [["full value", *full.values(), full.total(), HEADS_REFERENCE]]
        rows.extend(
            [s.description, *s.after.values(), s.after.total(), s.reference] for s in self.steps
        )
        rows.append(
            [
                f"general interim payment of {format_money(self.general_interim)}",
                None,
                None,
                None,
                self.total,
                GENERAL_INTERIM_REFERENCE,
            ]
        )
        rows.append(["total payment", None, None, None, self.total, HEADS_REFERENCE])
        return rows

    def _headers(self) -> list[str]:
        return ["step", *(h.value for h in Head), "total", "reference"]

    @exact
    def notes(self) -> tuple[str, ...]:
        """Return one sentence for each amount that could not be set off.

        >>> compute_payment({"property": 100}, interim={"property": 150}).notes()
        ('interim of £50.00 against property not set off: the head is £0.00 (guide 6.5.2 (3), 6.3.1.4)',)
        """
        out: list[str] = []
        for label, step in (("CRU", self.step("cru")), ("interim", self.step("interim"))):
            out.extend(
                f"{label} of {format_money(amount)} against {head.value} not set off: "
                f"the head is £0.00 ({step.reference})"
                for head, amount in step.not_set_off.items()
                if amount
            )
        if self.general_interim_not_set_off:
            out.append(
                f"general interim payment of {format_money(self.general_interim_not_set_off)} "
                f"not set off: the total is £0.00 ({GENERAL_INTERIM_REFERENCE})"
            )
        return tuple(out)

    @exact
    def __str__(self) -> str:
        title = f"Payment: {format_money(self.total)} (guide 6.5.2)"
        table = text_table(self._headers(), self._rows(), title=title)
        return "\n".join([table, *(f"Note: {n}" for n in self.notes())])

    @exact
    def to_frame(self) -> Any:
        """Return the breakdown as a pandas DataFrame (the ``batch`` extra).

        A row per step of guide 6.5.2 as the view shows it, a column per head and the
        total; money in exact ``Decimal`` pounds.

        >>> breakdown = compute_payment({"injury": 1000}, claimant_liability_percent=25)
        >>> breakdown.to_frame().set_index("step").loc["total payment", "total"]
        Decimal('750.00')
        """
        return frame(self._headers(), self._rows())

    @exact
    def _repr_html_(self) -> str:
        title = f"Payment: {format_money(self.total)} (guide 6.5.2)"
        table = html_verdict(title, "info") + html_table(self._headers(), self._rows())
        return table + "".join(f"<p>Note: {html_text(n)}</p>" for n in self.notes())

    @exact
    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data (amounts as exact strings, heads as slugs)."""
        return {
            "total": jsonable(self.total),
            "subtotal": jsonable(self.subtotal),
            "net_by_head": self.net_by_head.to_dict(),
            "full_value": self.full_value.to_dict(),
            "claimant_liability_percent": percent_json(self.claimant_liability_percent),
            "seatbelt_percent": percent_json(self.seatbelt_percent),
            "seatbelt_heads": [h.value for h in self.seatbelt_heads],
            "steps": [s.to_dict() for s in self.steps],
            "general_interim": jsonable(self.general_interim),
            "general_interim_set_off": jsonable(self.general_interim_set_off),
            "general_interim_not_set_off": jsonable(self.general_interim_not_set_off),
            "general_interim_reference": GENERAL_INTERIM_REFERENCE,
            "notes": list(self.notes()),
            "rounding": ROUNDING_RULE,
            "reference": HEADS_REFERENCE,
        }


@exact
def compute_payment(
    heads: Mapping[Any, Any],
    *,
    claimant_liability_percent: Any = 0,
    seatbelt_percent: Any = 0,
    seatbelt_heads: Iterable[Head | str] = _DEFAULT_BELTED,
    cru: Mapping[Any, Any] | None = None,
    interim: Mapping[Any, Any] | None = None,
    general_interim: Any = 0,
) -> PaymentBreakdown:
    """Apply the deductions of guide 6.5.2 in order and return what the offer pays.

    ``heads`` maps each :class:`Head` (or its slug) to its full value; a head not given
    is £0.00. The order is fixed by guide 6.5.2: liability off every head, then the
    seatbelt reduction off ``seatbelt_heads``, then CRU (``cru``, never against
    ``Head.INJURY``), then interim payments for an item (``interim``, also never against
    ``Head.INJURY``: "It is not for the injury itself", guide 6.3.1.4), then
    ``general_interim`` off the total. Each percentage step's result per head is rounded
    to the penny, half-up.

    The guide's own example (guide 6.5.2.2):

    >>> pay = compute_payment(
    ...     {Head.INJURY: 1000, Head.INJURY_RELATED: 1500, Head.PROPERTY: 1500},
    ...     claimant_liability_percent=25, seatbelt_percent=10,
    ...     cru={Head.INJURY_RELATED: 500}, interim={Head.PROPERTY: 200})
    >>> pay.total, list(pay.net_by_head.values())
    (Decimal('2112.50'), [Decimal('675.00'), Decimal('512.50'), Decimal('925.00')])

    Order matters: 50% liability then 20% seatbelt on £1,000 is £400.00, not £300.00;
    and at an exact half-penny the claimant keeps it (the *result* is rounded half-up):

    >>> compute_payment({"injury": 1000}, claimant_liability_percent=50, seatbelt_percent=20).total
    Decimal('400.00')
    >>> compute_payment({"injury": "0.05"}, claimant_liability_percent=50).total
    Decimal('0.03')

    CRU can never reduce the injury head:

    >>> compute_payment({"injury": 1000}, cru={"injury": 100})
    Traceback (most recent call last):
    ...
    rtaprotocol.errors.ProtocolViolation: cru[injury]: CRU cannot be set off against compensation for pain, suffering and loss of amenity: got 100 [Social Security (Recovery of Benefits) Act 1997, Sch 2; guide 6.5.2.2]
    """
    full = _per_head(heads, field="heads", reference=HEADS_REFERENCE)
    liability = _percent(
        claimant_liability_percent, "claimant_liability_percent", 100, LIABILITY_REFERENCE
    )
    seatbelt = _percent(seatbelt_percent, "seatbelt_percent", 100, SEATBELT_REFERENCE)
    belted = _seatbelt_heads(seatbelt_heads)
    cru_amounts = _per_head({} if cru is None else cru, field="cru", reference=CRU_REFERENCE)
    _refuse_injury(cru, cru_amounts, "cru", _CRU_ON_INJURY, CRU_NOT_INJURY_REFERENCE)
    interim_amounts = _per_head(
        {} if interim is None else interim, field="interim", reference=INTERIM_REFERENCE
    )
    _refuse_injury(
        interim, interim_amounts, "interim", _INTERIM_ON_INJURY, INTERIM_NOT_INJURY_REFERENCE
    )
    general = _money(general_interim, "general_interim", GENERAL_INTERIM_REFERENCE)

    # The figures, on trusted values; the steps that explain them are built when asked.
    injury = _percent_off(full.injury, liability)
    related = _percent_off(full.injury_related, liability)
    prop = _percent_off(full.property, liability)
    if seatbelt:
        if Head.INJURY in belted:
            injury = _percent_off(injury, seatbelt)
        if Head.INJURY_RELATED in belted:
            related = _percent_off(related, seatbelt)
        if Head.PROPERTY in belted:
            prop = _percent_off(prop, seatbelt)
    # CRU, then item interim payments: never against the injury head (refused above).
    related -= min(cru_amounts.injury_related, related)
    prop -= min(cru_amounts.property, prop)
    related -= min(interim_amounts.injury_related, related)
    prop -= min(interim_amounts.property, prop)
    pay = _new(PaymentBreakdown)  # trusted: the same fields the constructor would set
    _set(pay, "full_value", full)
    _set(pay, "claimant_liability_percent", liability)
    _set(pay, "seatbelt_percent", seatbelt)
    _set(pay, "seatbelt_heads", belted)
    _set(
        pay,
        "_steps",
        _Pending(
            full,
            liability,
            seatbelt,
            belted,
            cru_amounts,
            interim_amounts,
            _trusted(injury, related, prop),
        ),
    )
    _set(pay, "general_interim", general)
    return pay


def _explain(pending: _Pending) -> tuple[DeductionStep, ...]:
    """Build the four steps of guide 6.5.2 from the validated inputs they were computed from."""
    cru_amounts, interim_amounts = pending.cru, pending.interim
    liability, seatbelt = pending.liability, pending.seatbelt
    after_liability = _percent_step(
        "liability",
        description=f"{_pct(liability)}% liability deduction",
        reference=LIABILITY_REFERENCE,
        before=pending.full,
        pct=liability,
        applies_to=tuple(Head),
    )
    after_seatbelt = _percent_step(
        "seatbelt",
        description=f"{_pct(seatbelt)}% no seatbelt",
        reference=SEATBELT_REFERENCE,
        before=after_liability.after,
        pct=seatbelt,
        applies_to=pending.belted,
    )
    after_cru = _set_off_step(
        "cru",
        description=f"CRU of {format_money(cru_amounts.total())}",
        reference=CRU_REFERENCE,
        before=after_seatbelt.after,
        amounts=cru_amounts,
    )
    after_interim = _set_off_step(
        "interim",
        description=f"interim payments of {format_money(interim_amounts.total())}",
        reference=INTERIM_REFERENCE,
        before=after_cru.after,
        amounts=interim_amounts,
    )
    return (after_liability, after_seatbelt, after_cru, after_interim)


_CRU_ON_INJURY: Final = (
    "CRU cannot be set off against compensation for pain, suffering and loss of amenity"
)
_INTERIM_ON_INJURY: Final = (
    "an interim payment for an item is only for other protocol damages, not for the injury "
    "itself; use general_interim"
)


def _per_head(amounts: Any, *, field: str, reference: str) -> PerHead:
    """Validate a mapping of heads (or slugs) to amounts; a missing head is £0.00."""
    if amounts.__class__ is not dict and not isinstance(amounts, Mapping):
        raise wrong_type(amounts, "a mapping of heads to amounts", field=field, reference=reference)
    if amounts.__class__ is dict and not amounts:
        return _NOTHING
    found: list[Decimal | None] = [None, None, None]
    for key, value in amounts.items():
        # Identity first: a Head's hash runs Python code on older Pythons.
        if key is _INJURY:
            i = 0
        elif key is _RELATED:
            i = 1
        elif key is _PROPERTY:
            i = 2
        else:
            i = _POSITION[check_enum(key, Head, field=field, reference=reference)]
        if found[i] is not None:
            raise _head_twice(key, field, reference)
        if value.__class__ is int and 0 <= value < _INT_LIMIT:  # to_money's fast path
            found[i] = Decimal(value) + ZERO
        else:  # the field is named only when it may be needed
            found[i] = _money(value, f"{field}[{_SLUGS[i]}]", reference)
    injury, related, prop = found
    return PerHead._trusted(
        ZERO if injury is None else injury,
        ZERO if related is None else related,
        ZERO if prop is None else prop,
    )


def _head_twice(key: Any, field: str, reference: str) -> RulesError:
    """Return the refusal of a head given twice in one mapping (as a Head and as its slug).

    The one wording, for :func:`compute_payment` and the batch path's ``payments``.
    """
    return RulesError(
        "head given twice (as a Head and as its slug)",
        value=key,
        field=field,
        reference=reference,
        code=ErrorCode.VALUE_INVALID,
    )


_INJURY, _RELATED, _PROPERTY = Head
_POSITION: Final = {head: i for i, head in enumerate(Head)}
_SLUGS: Final = tuple(head.value for head in Head)


def _refuse_injury(raw: Any, amounts: PerHead, field: str, message: str, reference: str) -> None:
    """Refuse a non-zero amount against the injury head, naming the value as given."""
    if amounts.injury:
        given = next(v for k, v in raw.items() if k in (Head.INJURY, Head.INJURY.value))
        raise ProtocolViolation(
            message,
            value=given,
            field=f"{field}[injury]",
            reference=reference,
            code=ErrorCode.PROTOCOL_FORBIDDEN,
        )


def _seatbelt_heads(value: Any) -> tuple[Head, ...]:
    """Validate ``seatbelt_heads``: a collection of heads (or slugs), not a lone string."""
    if value is _DEFAULT_BELTED:  # the default, already checked
        return (Head.INJURY, Head.INJURY_RELATED)
    if isinstance(value, str | Head | Mapping) or not isinstance(value, Iterable):
        raise wrong_type(
            value, "a collection of heads", field="seatbelt_heads", reference=SEATBELT_REFERENCE
        )
    chosen = {
        check_enum(h, Head, field="seatbelt_heads", reference=SEATBELT_REFERENCE) for h in value
    }
    return tuple(h for h in Head if h in chosen)


#: A percentage as descriptions write it (``25``, ``12.5``): :func:`_decimal.plain_text`,
#: under the name claim.py imports.
_pct: Final = plain_text


def _percent_off(amount: Decimal, pct: Decimal) -> Decimal:
    """Return ``amount`` less ``pct`` per cent, the result rounded half-up (guide 6.5.2).

    Called inside the library's context on a validated amount and percentage: the same
    figure as ``round_penny(amount * (100 - pct) / 100)``, without its input checks.
    """
    if not pct:
        return amount
    # Never -0.00: the amount and 100 - pct are both zero or more, so + ZERO is not needed.
    return (amount * (100 - pct) / 100).quantize(PENNY, ROUND_HALF_UP)


def _percent_step(
    name: str,
    *,
    description: str,
    reference: str,
    before: PerHead,
    pct: Decimal,
    applies_to: tuple[Head, ...],
) -> DeductionStep:
    after = PerHead._trusted(
        *(_percent_off(v, pct) if h in applies_to else v for h, v in before.items())
    )
    return DeductionStep(
        name=name,
        description=description,
        reference=reference,
        applies_to=applies_to,
        before=before,
        deduction=PerHead._trusted(*(before[h] - after[h] for h in Head)),
        after=after,
    )


def _set_off_step(
    name: str, *, description: str, reference: str, before: PerHead, amounts: PerHead
) -> DeductionStep:
    set_off = {h: min(amounts[h], before[h]) for h in Head}
    return DeductionStep(
        name=name,
        description=description,
        reference=reference,
        applies_to=tuple(h for h in Head if amounts[h]),
        before=before,
        deduction=PerHead._trusted(*set_off.values()),
        after=PerHead._trusted(*(before[h] - set_off[h] for h in Head)),
        not_set_off=PerHead._trusted(*(amounts[h] - set_off[h] for h in Head)),
    )


install_views(globals())  # notebook views of every public class (rtaprotocol._views)
