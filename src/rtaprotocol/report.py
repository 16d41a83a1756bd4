"""The whole report on a claim, as a value: what ``rtaprotocol assess`` prints.

:meth:`Claim.report(on) <rtaprotocol.claim.Claim.report>` returns a :class:`ClaimReport`:
eligibility with every criterion (guide 4.1, 4.2), the injury valuation (tariff table and
row, uplift, mixed-injury overlap, JCG brackets; guide 4.4), the payment breakdown of the
settled or latest compensator offer (guide 6.5.2), the negotiation (guide 6.5), every
deadline (overdue first) and what each side may do next (guide 6.1 to 6.6), the limitation
deadline (guide 5.4, 6.6.3.1) and the history. ``str()`` is the text report the CLI
prints, ``_repr_html_()`` the notebook view, ``to_dict()`` the same report as JSON-ready
data (the CLI's ``--json``). The CLI is a thin caller of this module.

The claim's events do not describe the injuries in detail (the ``submitted`` event says
only whether a whiplash injury is claimed): pass them as :class:`Injuries` to be valued.

>>> from datetime import date
>>> from rtaprotocol.claim import Claim
>>> from rtaprotocol.eligibility import ClaimFacts
>>> facts = ClaimFacts(accident_date=date(2024, 3, 4), entry_date=date(2024, 3, 20))
>>> c = Claim().submit(facts, on=date(2024, 3, 20), whiplash=True)
>>> r = c.report(date(2024, 4, 1), injuries=Injuries(whiplash_months=8, psychological=True))
>>> r.tariff.amount, r.payment is None
(Decimal('895.00'), True)
>>> r.to_dict()["payment"]
{'none': 'there is no compensator offer to pay out', 'reference': 'guide 6.5.2'}
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final, final

from attrs import field, frozen

from rtaprotocol._checks import check_bool, check_enum, field_under, key_path, wrong_type
from rtaprotocol._render import html_lines, html_table, html_verdict, jsonable, text_table, visible
from rtaprotocol._views import install_views
from rtaprotocol.eligibility import EligibilityResult, check_eligibility
from rtaprotocol.errors import ErrorCode, InputError, RulesError, RulesTypeError
from rtaprotocol.jcg import JcgArea, JcgExtract, jcg_brackets
from rtaprotocol.losses import LossesPayment
from rtaprotocol.money import ZERO, format_money, to_money, to_percent
from rtaprotocol.tariff import (
    DURATION_REFERENCE,
    MAX_UPLIFT_PERCENT,
    PSYCH_REFERENCE,
    UPLIFT_REFERENCE,
    TariffAward,
    TariffTable,
    check_tariff_table,
    tariff_award,
)
from rtaprotocol.valuation import MixedInjuryAward, mixed_injury_award

if TYPE_CHECKING:
    from rtaprotocol.claim import Claim, ClaimNextSteps

__all__ = ["ClaimReport", "Injuries", "NonWhiplashInjury"]

NON_WHIPLASH_REFERENCE: Final = "guide 4.4.2"
SUBMIT_REFERENCE: Final = "guide 6.2.1.3, 6.3.1"
LIMITATION_REFERENCE: Final = "guide 5.4, 6.6.3.1"
#: The longest description of an injury kept (as for an event's free text).
MAX_DESCRIPTION_LENGTH: Final = 2000

_DEADLINE_HEADERS: Final = ("party", "deadline", "due", "days left", "days", "status", "reference")
_LATE_HEADERS: Final = ("party", "met late", "due", "met on", "reference")


# --- the injuries to value -----------------------------------------------------------------


def _area(value: Any) -> JcgArea:
    return check_enum(value, JcgArea, field="area", reference=NON_WHIPLASH_REFERENCE)


def _amount(value: Any) -> Decimal:
    return to_money(value, field="amount")


def _description(value: Any) -> str:
    if not isinstance(value, str):
        raise RulesTypeError(
            "a description is a string",
            value=value,
            field="description",
            reference=NON_WHIPLASH_REFERENCE,
        )
    if len(value) > MAX_DESCRIPTION_LENGTH:
        raise RulesError(
            f"a description is at most {MAX_DESCRIPTION_LENGTH:,} characters",
            value=value,
            field="description",
            reference=NON_WHIPLASH_REFERENCE,
            code=ErrorCode.VALUE_INVALID,
        )
    return value


@final
@frozen
class NonWhiplashInjury:
    """A non-whiplash injury claimed: its JCG area, the sum claimed and a description.

    Valued outside the tariff (guide 4.4.2); the report shows the JCG brackets of its area
    as indicative ranges, not a valuation.

    >>> NonWhiplashInjury("arm-hand", "1500", "sprained left wrist").amount
    Decimal('1500.00')
    >>> NonWhiplashInjury("elbow", 1500)
    Traceback (most recent call last):
    ...
    rtaprotocol.errors.RulesError: area: not one of JcgArea: ...: got 'elbow' [guide 4.4.2]
    """

    area: JcgArea = field(converter=_area)
    amount: Decimal = field(converter=_amount)
    description: str = field(default="", converter=_description)


def _months(value: Any) -> int | Decimal | None:
    if value is None or (isinstance(value, int | Decimal) and not isinstance(value, bool)):
        return value
    raise RulesTypeError(
        "whiplash_months is a whole number or a Decimal of months, or None for no whiplash injury",
        value=value,
        field="whiplash_months",
        reference=DURATION_REFERENCE,
    )


def _psychological(value: Any) -> bool:
    return check_bool(value, field="psychological", reference=PSYCH_REFERENCE)


def _uplift(value: Any) -> Decimal:
    return to_percent(
        value, field="uplift_percent", high=MAX_UPLIFT_PERCENT, reference=UPLIFT_REFERENCE
    )


def _non_whiplash(value: Any) -> tuple[NonWhiplashInjury, ...]:
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise RulesTypeError(
            "non_whiplash is a list of NonWhiplashInjury",
            value=value,
            field="non_whiplash",
            reference=NON_WHIPLASH_REFERENCE,
        )
    out = []
    for i, item in enumerate(value):
        if not isinstance(item, NonWhiplashInjury):
            raise RulesTypeError(
                "expected a NonWhiplashInjury",
                value=item,
                field=f"non_whiplash[{i}]",
                reference=NON_WHIPLASH_REFERENCE,
            )
        out.append(item)
    return tuple(out)


def _overlap(value: Any) -> Decimal:
    return to_money(value, field="overlap")


def _tariff_table(value: Any) -> TariffTable | None:
    if value is None:
        return None
    return check_tariff_table(value)


@final
@frozen
class Injuries:
    """The injuries a claim is for, to be valued in its report (guide 4.4).

    ``whiplash_months``: the whiplash injury's duration in months (``None``: no whiplash
    injury), valued by the tariff with ``psychological`` (minor psychological injury) and
    ``uplift_percent`` (0 to 20, WIR 2021 reg 3(3)); ``non_whiplash``: the other injuries;
    ``overlap``: what comes off a mixed claim for the overlap between the two (Hassam v
    Rabot; guide 4.4.2). The values are checked for their type here and valued against the
    accident date when the report is built, where a duration outside the tariff is refused.

    >>> Injuries(whiplash_months=8, uplift_percent="25")
    Traceback (most recent call last):
    ...
    rtaprotocol.errors.RulesError: uplift_percent: percentage is above 20: got '25' [Whiplash Injury Regulations 2021, reg 3(3): uplift of 0 to 20% of the tariff amount (CLA 2018 s.5; guide 4.4.1.1)]
    """

    whiplash_months: int | Decimal | None = field(default=None, converter=_months)
    psychological: bool = field(default=False, converter=_psychological)
    uplift_percent: Decimal = field(default=ZERO, converter=_uplift)
    non_whiplash: tuple[NonWhiplashInjury, ...] = field(default=(), converter=_non_whiplash)
    overlap: Decimal = field(default=ZERO, converter=_overlap)
    #: A what-if tariff table to value the whiplash injury by (``None``: the law's table for
    #: the accident date); every result valued by it is marked what-if.
    tariff_table: TariffTable | None = field(default=None, converter=_tariff_table)

    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data, the shape :meth:`from_dict` reads (``tariff_table`` aside).

        >>> Injuries(whiplash_months=8).to_dict()["whiplash"]
        {'months': 8, 'psychological': False, 'uplift_percent': '0.00'}
        """
        months = self.whiplash_months
        whiplash = None
        if months is not None:
            whiplash = {
                "months": months if isinstance(months, int) else f"{months:f}",
                "psychological": self.psychological,
                "uplift_percent": jsonable(self.uplift_percent),
            }
        return {
            "whiplash": whiplash,
            "non_whiplash": [
                {"area": i.area.value, "amount": jsonable(i.amount), "description": i.description}
                for i in self.non_whiplash
            ],
            "overlap": jsonable(self.overlap),
        }

    @classmethod
    def from_dict(cls, data: Any, *, where: str = "injuries") -> Injuries:
        """Read the injuries from JSON data, every problem at once (guide 4.4).

        The shape of ``rtaprotocol assess``'s ``$.injuries``: ``whiplash`` (``null`` or
        ``{"months", "psychological", "uplift_percent"}``: months a whole number or a
        decimal string such as ``"7.5"``, never a float; the uplift 0 to 20%, WIR 2021
        reg 3(3)), ``non_whiplash`` (a list of ``{"area", "amount", "description"}``, the
        area a :class:`~rtaprotocol.jcg.JcgArea`, guide 4.4.2) and ``overlap`` (an
        amount, Hassam v Rabot); every key optional, no other key taken. Amounts and
        percentages are read by the library's one number policy. A problem raises a
        :class:`~rtaprotocol.errors.RulesError`, several one
        :class:`~rtaprotocol.errors.InputError`, each with its JSON pointer under
        ``where`` (``/injuries/non_whiplash/1/area``; ``where=""`` for the document
        itself). The durations are valued against the accident date when the report is
        built (``Claim.report(on, injuries)``), where one outside the tariff is refused.

        >>> Injuries.from_dict({"whiplash": {"months": "7.5", "uplift_percent": "10"}}).whiplash_months
        Decimal('7.5')
        >>> Injuries.from_dict({"whiplash": {"months": 7.5}})
        Traceback (most recent call last):
        ...
        rtaprotocol.errors.RulesTypeError: injuries.whiplash.months: months is a whole number or a decimal string such as "7.5", not float: got 7.5 [...]
        """
        return _read_injuries(data, where)


_INJURY_KEYS: Final = ("whiplash", "non_whiplash", "overlap")
_WHIPLASH_KEYS: Final = ("months", "psychological", "uplift_percent")
_NON_WHIPLASH_KEYS: Final = ("area", "amount", "description")
_MONTHS_TEXT: Final = re.compile(r"[0-9]{1,3}(?:\.[0-9]{1,9})?")


def _json_months(value: Any) -> int | Decimal:
    """Months in JSON: a whole number, or a decimal string (``"7.5"``); never a float."""
    if isinstance(value, int) and not isinstance(value, bool):
        return int.__int__(value)
    if isinstance(value, str) and _MONTHS_TEXT.fullmatch(value):
        return Decimal(value)
    if isinstance(value, str):
        raise RulesError(
            'not a number of months such as "7.5"',
            value=value,
            reference=DURATION_REFERENCE,
            code=ErrorCode.NUMBER_FORMAT,
        )
    raise RulesTypeError(
        f'months is a whole number or a decimal string such as "7.5", not {type(value).__name__}',
        value=value,
        reference=DURATION_REFERENCE,
    )


def _read_injuries(data: Any, where: str) -> Injuries:
    """:meth:`Injuries.from_dict`: read every key, collect every problem, then raise."""
    problems: list[RulesError] = []

    def at(path: str, read: Any, *args: Any) -> Any:
        try:
            return read(*args)
        except RulesError as err:
            problems.append(err.evolve(field=f"{where}.{path}" if where else path))
            return None

    def obj(value: Any, path: str, keys: tuple[str, ...]) -> Mapping[str, Any] | None:
        if not isinstance(value, Mapping):
            problems.append(
                wrong_type(
                    value,
                    "an object",
                    field=(f"{where}.{path}" if where else path) if path else (where or "$"),
                    reference=NON_WHIPLASH_REFERENCE,
                )
            )
            return None
        for key in value:
            if key not in keys:
                name = key_path(path, key)
                problems.append(
                    RulesError(
                        f"not a key here; the keys are {', '.join(keys)}",
                        value=key,
                        code="field.unknown",
                        field=field_under(where, name) if where else name,
                        reference=NON_WHIPLASH_REFERENCE,
                    )
                )
        return value

    top = obj(data, "", _INJURY_KEYS)
    if top is None:
        raise problems[0]
    kwargs: dict[str, Any] = {}
    whiplash = top.get("whiplash")
    if whiplash is not None:
        w = obj(whiplash, "whiplash", _WHIPLASH_KEYS)
        if w is not None:
            kwargs["whiplash_months"] = at("whiplash.months", _json_months, w.get("months"))
            kwargs["psychological"] = at(
                "whiplash.psychological", _psychological, w.get("psychological", False)
            )
            kwargs["uplift_percent"] = at(
                "whiplash.uplift_percent", _uplift, w.get("uplift_percent", 0)
            )
    items = top.get("non_whiplash", [])
    if not isinstance(items, list):
        at("non_whiplash", _non_whiplash, items)
        items = []
    injuries = []
    for i, raw in enumerate(items):
        item = obj(raw, f"non_whiplash[{i}]", _NON_WHIPLASH_KEYS)
        if item is None:
            continue
        area = at(f"non_whiplash[{i}].area", _area, item.get("area"))
        amount = at(f"non_whiplash[{i}].amount", _amount, item.get("amount"))
        text = at(f"non_whiplash[{i}].description", _description, item.get("description", ""))
        if area is not None and amount is not None and text is not None:
            injuries.append(NonWhiplashInjury(area, amount, text))
    kwargs["non_whiplash"] = tuple(injuries)
    if "overlap" in top:
        kwargs["overlap"] = at("overlap", _overlap, top["overlap"])
    if problems:
        if len(problems) == 1:
            raise problems[0]
        raise InputError(problems, reference=NON_WHIPLASH_REFERENCE)
    return Injuries(**kwargs)


# --- the report ----------------------------------------------------------------------------


@final
@frozen
class ClaimReport:
    """A claim's whole report on a date: the value behind ``rtaprotocol assess``.

    ``on`` the date assessed; ``eligibility`` (guide 4.1, 4.2); ``tariff``, ``jcg`` (one
    :class:`~rtaprotocol.jcg.JcgExtract` for each non-whiplash injury, in order) and
    ``mixed`` the injury valuation (guide 4.4); ``payment`` the breakdown of the settled or
    the compensator's latest offer (guide 6.5.2), or ``None`` with ``no_payment`` saying
    why (and ``no_payment_reference`` the rule); ``next_steps`` the deadlines and actions
    on ``on``. ``str()`` is the text report, ``_repr_html_()`` the HTML one, ``to_dict()``
    the data (the keys of ``rtaprotocol assess --json``).
    """

    on: date
    claim: Claim
    injuries: Injuries | None
    eligibility: EligibilityResult
    tariff: TariffAward | None
    jcg: tuple[JcgExtract, ...]
    mixed: MixedInjuryAward | None
    payment: LossesPayment | None
    no_payment: str | None
    no_payment_reference: str | None
    next_steps: ClaimNextSteps

    # --- the parts ----------------------------------------------------------------------

    def _title(self) -> str:
        return f"Claim assessed as at {self.on}: step {self.claim.step.value}"

    def _non_whiplash(self) -> list[tuple[NonWhiplashInjury, JcgExtract]]:
        injured = () if self.injuries is None else self.injuries.non_whiplash
        return list(zip(injured, self.jcg, strict=True))

    @staticmethod
    def _claimed(injury: NonWhiplashInjury) -> str:
        return (
            f"Non-whiplash injury: {visible(injury.description or injury.area.title)}, claimed "
            f"{format_money(injury.amount)}"
        )

    def _no_payment_text(self) -> str:
        return f"No payment breakdown: {self.no_payment} [{self.no_payment_reference}]"

    def _deadline_rows(self) -> list[list[Any]]:
        steps, cal = self.next_steps, self.claim.calendar
        return [
            [
                d.party.value,
                d.name,
                d.due,
                d.days_left(self.on, cal),
                "business" if d.period is not None else "calendar",
                d.status(self.on),
                d.reference,
            ]
            for d in steps.deadlines
        ]

    def _late_rows(self) -> list[list[Any]]:
        return [
            [d.party.value, d.name, d.due, d.met_on, d.reference]
            for d in self.next_steps.overdue
            if d.late
        ]

    def _may(self) -> list[str]:
        return [
            f"{p.party.value}: " + (", ".join(p.actions) or "nothing on the portal")
            for p in self.next_steps.parties
        ]

    def _limitation(self) -> str:
        return (
            f"Issue court proceedings by {self.claim.limitation_deadline} "
            "(guide 5.4, 6.6.3.1); entering the claim on the portal does not stop the clock."
        )

    # --- the views ----------------------------------------------------------------------

    def __str__(self) -> str:
        valuation: list[str] = []
        if self.tariff is not None:
            valuation.append(str(self.tariff))
        for injury, extract in self._non_whiplash():
            valuation.append(self._claimed(injury))
            valuation.append(str(extract))
        if self.mixed is not None:
            valuation.append(str(self.mixed))
        if not valuation:
            valuation.append("No injury described in the file.")
        late = self._late_rows()
        sections = [
            self._title(),
            "== Eligibility ==\n" + str(self.eligibility),
            "== Injury valuation ==\n" + "\n\n".join(valuation),
            "== Payment for the latest offer ==\n"
            + (str(self.payment) if self.payment is not None else self._no_payment_text()),
            "== Negotiation ==\n" + str(self.claim.negotiation),
            "== Deadlines (overdue first) ==\n"
            + text_table(_DEADLINE_HEADERS, self._deadline_rows())
            + ("\n\n" + text_table(_LATE_HEADERS, late) if late else ""),
            "== What each side may do next ==\n" + "\n".join(self._may()),
            "== Limitation ==\n" + self._limitation(),
            "== History ==\n" + str(self.claim.explain()),
        ]
        return "\n\n".join(sections)

    def _repr_html_(self) -> str:
        """Render the report for notebooks: where the claim stands first, then each part."""
        valuation: list[str] = []
        if self.tariff is not None:
            valuation.append(self.tariff._repr_html_())
        for injury, extract in self._non_whiplash():
            valuation.append(html_lines([self._claimed(injury)]))
            valuation.append(extract._repr_html_())
        if self.mixed is not None:
            valuation.append(self.mixed._repr_html_())
        if not valuation:
            valuation.append(html_lines(["No injury described in the file."]))
        late = self._late_rows()
        payment = (
            self.payment._repr_html_()
            if self.payment is not None
            else html_lines([self._no_payment_text()])
        )
        deadlines = html_table(_DEADLINE_HEADERS, self._deadline_rows(), caption="Open deadlines")
        if late:
            deadlines += html_table(_LATE_HEADERS, late, caption="Deadlines met late")
        parts = [
            ("Eligibility", self.eligibility._repr_html_()),
            ("Injury valuation", "".join(valuation)),
            ("Payment for the latest offer", payment),
            ("Negotiation", self.claim.negotiation._repr_html_()),
            ("Deadlines (overdue first)", deadlines),
            ("What each side may do next", html_lines(self._may())),
            ("Limitation", html_lines([self._limitation()])),
            ("History", self.claim.explain()._repr_html_()),
        ]
        return html_verdict(self._title(), "info") + "".join(
            f"<section><h4>{html.escape(title)}</h4>{body}</section>" for title, body in parts
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the report as JSON-ready data (the keys of ``rtaprotocol assess --json``)."""
        claim = self.claim
        valuation: dict[str, Any] = {
            "tariff": None if self.tariff is None else self.tariff.to_dict(),
            "non_whiplash": [
                {
                    "area": injury.area.value,
                    "description": injury.description,
                    "amount": jsonable(injury.amount),
                    "jcg": extract.to_dict(),
                }
                for injury, extract in self._non_whiplash()
            ],
            "mixed": None if self.mixed is None else self.mixed.to_dict(),
        }
        payment: Any = (
            self.payment.to_dict()
            if self.payment is not None
            else {"none": self.no_payment, "reference": self.no_payment_reference}
        )
        data = {
            "as_of": self.on,
            "step": claim.step.value,
            "eligibility": self.eligibility.to_dict(),
            "valuation": valuation,
            "payment": payment,
            "negotiation": claim.negotiation.to_dict(),
            "next_steps": self.next_steps.to_dict(),
            "limitation_deadline": claim.limitation_deadline,
            "claim": claim.to_dict(),
        }
        result: dict[str, Any] = jsonable(data)
        return result


def claim_report(claim: Claim, on: date, injuries: Injuries | None = None) -> ClaimReport:
    """Build ``claim``'s report on ``on`` (the work of :meth:`Claim.report`)."""
    facts = claim.facts
    if facts is None:
        raise RulesError(
            "the claim has not been submitted: there is nothing to report yet",
            value=claim.step.value,
            reference=SUBMIT_REFERENCE,
            code=ErrorCode.VALUE_INVALID,
        )
    if injuries is not None and not isinstance(injuries, Injuries):
        raise RulesTypeError(
            "expected Injuries or None", value=injuries, field="injuries", reference="guide 4.4"
        )
    steps = claim.next_steps(on)
    tariff: TariffAward | None = None
    mixed: MixedInjuryAward | None = None
    jcg: tuple[JcgExtract, ...] = ()
    if injuries is not None:
        if injuries.whiplash_months is not None:
            tariff = tariff_award(
                injuries.whiplash_months,
                accident_date=facts.accident_date,
                psychological=injuries.psychological,
                uplift_percent=injuries.uplift_percent,
                tariff_table=injuries.tariff_table,
            )
        jcg = tuple(jcg_brackets(injury.area) for injury in injuries.non_whiplash)
        if tariff is not None and injuries.non_whiplash:
            total = sum((injury.amount for injury in injuries.non_whiplash), ZERO)
            mixed = mixed_injury_award(tariff, total, injuries.overlap)
        elif injuries.overlap:
            raise RulesError(
                "an overlap comes off a mixed claim: whiplash and non-whiplash injuries",
                value=str(injuries.overlap),
                field="overlap",
                reference=NON_WHIPLASH_REFERENCE,
                code=ErrorCode.VALUE_INVALID,
            )
    payment: LossesPayment | None = None
    no_payment: str | None = None
    no_payment_reference: str | None = None
    try:
        payment = claim.payment()
    except RulesError as err:
        no_payment, no_payment_reference = err.message, err.reference
    return ClaimReport(
        on=steps.on,
        claim=claim,
        injuries=injuries,
        eligibility=check_eligibility(facts),
        tariff=tariff,
        jcg=jcg,
        mixed=mixed,
        payment=payment,
        no_payment=no_payment,
        no_payment_reference=no_payment_reference,
        next_steps=steps,
    )


install_views(globals())  # notebook views of every public class (rtaprotocol._views)
