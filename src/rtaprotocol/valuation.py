"""Mixed injuries: whiplash by the tariff plus a non-whiplash injury at common law.

Hassam v Rabot [2024] UKSC 11, approving the Court of Appeal ([2023] EWCA Civ 19);
guide 4.4.2. The steps: (1) value the whiplash part by the tariff (with any
uplift); (2) value the non-whiplash part at common law (the JCG, :mod:`rtaprotocol.jcg`);
(3) add them; (4) "step back" and deduct any overlap. The overlap comes off the
common-law part only, and "the overall figure can never be less than the non-whiplash
sum" (guide 4.4.2). So an accepted overlap satisfies ``0 <= overlap <= tariff`` (the
floor) and ``overlap <= non_tariff`` (it comes off the non-tariff part, which cannot go
below nothing); anything else is refused, never clamped.

The portal shows the non-whiplash figure *after* the overlap (guide 4.4.2): in Rabot,
£2,500 less £790 is shown as £1,710 beside the £1,390 tariff, £3,100 in all.

>>> award = mixed_injury_award(1390, 2500, overlap=790)
>>> award.non_tariff_after_overlap, award.total
(Decimal('1710.00'), Decimal('3100.00'))
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Final, final

from attrs import frozen

from rtaprotocol._decimal import exact
from rtaprotocol._render import Tabular, jsonable
from rtaprotocol._views import install_views
from rtaprotocol.errors import ErrorCode, RulesError, RulesTypeError
from rtaprotocol.money import format_money, to_money
from rtaprotocol.tariff import TariffAward

__all__ = ["MixedInjuryAward", "mixed_injury_award"]

MIXED_INJURY_REFERENCE: Final = (
    "Hassam v Rabot [2024] UKSC 11; [2023] EWCA Civ 19; guide 4.4.2: the overlap comes off "
    "the non-whiplash part only and the total is never below the non-whiplash sum"
)


@final
@frozen
class MixedInjuryAward(Tabular):
    """A mixed whiplash and non-whiplash award, as the portal shows it (guide 4.4.2).

    ``tariff`` is the whiplash part (uplift included), ``non_tariff`` the non-whiplash
    part before the overlap, ``non_tariff_after_overlap`` the figure the portal shows and
    ``total = tariff + non_tariff_after_overlap``.

    >>> print(mixed_injury_award(840, 3000, overlap=340))
    Mixed injury award: £3,500.00 (Hassam v Rabot)
    step                                  |    amount
    --------------------------------------+----------
    (1) whiplash injury (tariff)          |   £840.00
    (2) non-whiplash injury               | £3,000.00
    total before overlap (1+2)            | £3,840.00
    deduction for overlap                 |   £340.00
    non-whiplash injury after overlap     | £2,660.00
    sum awarded (never less than 2 above) | £3,500.00
    """

    _headers = ("step", "amount")

    tariff: Decimal
    non_tariff: Decimal
    overlap: Decimal
    non_tariff_after_overlap: Decimal
    total: Decimal
    #: The what-if ``tariff_table=`` of the :class:`~rtaprotocol.tariff.TariffAward`
    #: given as the tariff part, or ``None`` (the law, or a plain amount).
    tariff_scenario: str | None = None
    #: The what-if mark of a :class:`~rtaprotocol.tariff.TariffAward` valued by a what-if
    #: table (its name and what it was derived from), or ``None``.
    tariff_what_if: str | None = None

    @property
    @exact
    def total_before_overlap(self) -> Decimal:
        """The tariff plus the non-tariff figure, before the step back."""
        return self.tariff + self.non_tariff

    def _rows(self) -> list[list[Any]]:
        return [
            ["(1) whiplash injury (tariff)", self.tariff],
            ["(2) non-whiplash injury", self.non_tariff],
            ["total before overlap (1+2)", self.total_before_overlap],
            ["deduction for overlap", self.overlap],
            ["non-whiplash injury after overlap", self.non_tariff_after_overlap],
            ["sum awarded (never less than 2 above)", self.total],
        ]

    def _title(self) -> str:
        title = f"Mixed injury award: {format_money(self.total)} (Hassam v Rabot)"
        if self.tariff_scenario is not None:
            title += f"; tariff by what-if scenario tariff_table={self.tariff_scenario!r}"
        if self.tariff_what_if is not None:
            title += f"; tariff by {self.tariff_what_if}"
        return title

    @exact
    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data (amounts as exact strings).

        >>> mixed_injury_award(1390, 2500, overlap=790).to_dict()["total"]
        '3100.00'
        """
        return {
            "tariff": jsonable(self.tariff),
            "non_tariff": jsonable(self.non_tariff),
            "total_before_overlap": jsonable(self.total_before_overlap),
            "overlap": jsonable(self.overlap),
            "non_tariff_after_overlap": jsonable(self.non_tariff_after_overlap),
            "total": jsonable(self.total),
            "reference": MIXED_INJURY_REFERENCE,
            "tariff_scenario": self.tariff_scenario,
            "tariff_what_if": self.tariff_what_if,
        }


@exact
def mixed_injury_award(tariff: Any, non_tariff: Any, overlap: Any = 0) -> MixedInjuryAward:
    """Combine a tariff award and a non-tariff award less any overlap (Hassam v Rabot).

    Amounts go through :func:`~rtaprotocol.money.to_money`. ``tariff`` may also be a
    :class:`~rtaprotocol.tariff.TariffAward` (its ``amount``, uplift included; a what-if
    scenario's table is recorded in ``tariff_scenario``, a what-if table's name and what
    it was derived from in ``tariff_what_if``). A result whose amount is not
    obvious is refused with a :class:`~rtaprotocol.errors.RulesTypeError` rather than
    guessed: a ``MixedInjuryAward`` (tariff, non-tariff or total?), a JCG bracket or
    extract (an indicative range, not a valuation), or a ``TariffAward`` as the
    non-tariff part. The edge case: an overlap equal to the whole tariff is allowed (the
    total is then the non-tariff figure); a penny more would take the total below it and
    is refused.

    >>> from datetime import date
    >>> from rtaprotocol.tariff import tariff_award
    >>> award = tariff_award(12, accident_date=date(2023, 1, 10), psychological=True)
    >>> mixed_injury_award(award, 2500, overlap=790).total
    Decimal('3100.00')
    >>> from rtaprotocol.tariff import TARIFF_TABLES, uplifted_tariff_table
    >>> plus = tariff_award(12, accident_date=date(2023, 1, 10), psychological=True,
    ...                     tariff_table=uplifted_tariff_table(TARIFF_TABLES[0], 10))
    >>> print(mixed_injury_award(plus, 2500, overlap=790))  # doctest: +ELLIPSIS
    Mixed injury award: £3,239.00 (Hassam v Rabot); tariff by what-if table 'Table 1 +10%', derived from Table 1 (...), every amount +10%, rounded to the penny half-up; not the law
    ...

    >>> mixed_injury_award(840, 3000, overlap=840).total
    Decimal('3000.00')
    >>> mixed_injury_award(840, 3000, overlap="840.01")
    Traceback (most recent call last):
    ...
    rtaprotocol.errors.RulesError: overlap: the overlap is more than the tariff amount of £840.00, which would take the total below the non-whiplash sum: got '840.01' [Hassam v Rabot [2024] UKSC 11; [2023] EWCA Civ 19; guide 4.4.2: the overlap comes off the non-whiplash part only and the total is never below the non-whiplash sum]
    """
    scenario = tariff.scenario if isinstance(tariff, TariffAward) else None
    what_if = (
        tariff.table.what_if_note if isinstance(tariff, TariffAward) and tariff.what_if else None
    )
    tar = to_money(_amount_of(tariff, "tariff"), field="tariff", reference=MIXED_INJURY_REFERENCE)
    non = to_money(
        _amount_of(non_tariff, "non_tariff"), field="non_tariff", reference=MIXED_INJURY_REFERENCE
    )
    lap = to_money(overlap, field="overlap", reference=MIXED_INJURY_REFERENCE)
    if lap > tar:
        raise RulesError(
            f"the overlap is more than the tariff amount of {format_money(tar)}, which would "
            "take the total below the non-whiplash sum",
            value=overlap,
            field="overlap",
            reference=MIXED_INJURY_REFERENCE,
            code=ErrorCode.VALUE_INVALID,
        )
    if lap > non:
        raise RulesError(
            f"the overlap is more than the non-whiplash sum of {format_money(non)}, and it "
            "comes off that part only",
            value=overlap,
            field="overlap",
            reference=MIXED_INJURY_REFERENCE,
            code=ErrorCode.VALUE_INVALID,
        )
    after = non - lap
    return MixedInjuryAward(
        tariff=tar,
        non_tariff=non,
        overlap=lap,
        non_tariff_after_overlap=after,
        total=tar + after,
        tariff_scenario=scenario,
        tariff_what_if=what_if,
    )


def _amount_of(value: Any, field: str) -> Any:
    """Return the amount a result stands for, where it is obvious; refuse where it is not."""
    if isinstance(value, TariffAward):
        if field == "tariff":
            return value.amount
        why = "a TariffAward is the whiplash part, valued by the tariff, not the non-tariff part"
    elif isinstance(value, MixedInjuryAward):
        why = (
            "a MixedInjuryAward holds a tariff part, a non-tariff part and a total, so which "
            "amount is meant is not obvious: pass its .tariff, .non_tariff_after_overlap or "
            ".total"
        )
    elif type(value).__name__ in {"JcgBracket", "JcgExtract"}:
        why = (
            f"a {type(value).__name__} is an indicative JCG range, not a valuation: choose "
            "the figure within it and pass that amount"
        )
    else:
        return value  # to_money accepts it or refuses it with its own message
    raise RulesTypeError(why, value=value, field=field, reference=MIXED_INJURY_REFERENCE)


install_views(globals())  # notebook views of every public class (rtaprotocol._views)
