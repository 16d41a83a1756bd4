"""Who may use the portal, where else to go, and when a claim must leave it.

Guide 4.1 ("Requirements to make a claim"), 4.2 ("When you will not be able to use the
portal", summarising protocol para 4.3), 4.3 (redirects), 5.4 (limitation), 6.4.2 (a
prognosis beyond 24 months) and 6.6.2.1 (exits); Limitation Act 1980 ss.11, 28.

**Facts in, reasons out.** :class:`ClaimFacts` holds the answers to the portal's opening
questions; :func:`check_eligibility` returns an :class:`EligibilityResult` with

- ``eligible``: ``True``, ``False``, or ``None`` for "cannot tell yet";
- ``reasons``: every criterion that fails (not just the first), each a :class:`Reason`
  with a stable snake_case ``code``, a plain-English ``message`` and its ``reference``,
  always in the fixed order of :data:`CRITERIA`;
- ``questions``: the unknown answers some criterion still depends on;
- ``redirects``: where the guide points instead (no registration number: the Motor
  Insurers' Bureau; foreign plates: the MIB Green Card, guide 4.3). Those two criteria
  still fail (guide 4.1 requires the vehicle details and a UK plate, and 4.2 excludes a
  vehicle registered outside the UK), but their :class:`Reason` says it is a redirect
  and carries the :class:`Redirect`, and the verdict's headline names where to go;
- ``warnings``: the limitation deadline has passed, or is near (guide 5.4).

An unknown answer (``None``) never gives a silent yes: if nothing known fails but some
criterion is still open, ``eligible`` is ``None``. If a known criterion fails, the answer
is ``False`` and the open questions are still listed.

Only ``accident_date`` and ``entry_date`` cannot be unknown: the result is worked out as
at the entry date, and the accident date fixes both the regime (on or after 31 May 2021)
and the limitation deadline. Every other answer may be ``None``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, Final, final

import attrs
from attrs import frozen
from dateutil.relativedelta import relativedelta  # noqa: F401 (medical_report_outlook's example uses it)

from rtaprotocol import _public
from rtaprotocol._checks import (
    check_int,
    wrong_type,
)
from rtaprotocol._decimal import exact
from rtaprotocol._eligibility_exits import (  # noqa: F401 (re-exported)
    _FORBIDDEN_PARTS,
    _RELATIVE_PARTS,
    ExitReason,
    MedicalOutlook,
    RevaluationResult,
    _outlook_meaning,
    _prognosis_end,
    check_revaluation,
    medical_report_outlook,
)
from rtaprotocol._eligibility_facts import (  # noqa: F401 (re-exported)
    _ADULT_AGE_REFERENCE,
    _BOOL_FIELDS,
    _CONVERTERS,
    _DATE,
    _DATE_ORDER_REFERENCE,
    _DEFENDANT_PROTECTED_REFERENCE,
    _EXIT_REFERENCE,
    _FACTS_REFERENCE,
    _FIELD_REFERENCES,
    _FIELDS,
    _FLAG,
    _INJURY_NEEDED_REFERENCE,
    _JSON_DATE,
    _LIMITATION_REFERENCE,
    _LIMITS_REFERENCE,
    _MEMBER,
    _MITIGATION_REFERENCE,
    _MONEY,
    _MONEY_FIELDS,
    _NEVER_COUNTED,
    _OPTIONAL_DATE,
    _OPTIONAL_MONEY,
    _OUTLOOK_REFERENCE,
    _PLAN,
    _REQUIRED,
    _SCHEMA_REFERENCE,
    _TARIFF_REGIME_REFERENCE,
    DEFAULT_LIMITATION_WARNING_DAYS,
    PORTAL_ACCIDENTS_FROM,
    TARIFF_PROGNOSIS_MONTHS,
    ClaimFacts,
    Location,
    RoadUserRole,
    _at,
    _convert,
    _covered_date,
    _cross_field_problems,
    _facts_problems,
    _json_date,
    _json_money,
    _json_slug,
    _money,
    _optional_date,
    _optional_flag,
    _optional_member,
    _optional_money,
    _read_json,
)
from rtaprotocol._eligibility_parts import (
    _QUESTIONS,
    Notice,
    Question,
    Reason,
    Redirect,
)
from rtaprotocol._render import (
    KeyedEquality,
    html_table,
    html_text,
    html_verdict,
    jsonable,
    text_table,
)
from rtaprotocol._views import install_views
from rtaprotocol.deadlines import (
    eighteenth_birthday,
    limitation_deadline,
)
from rtaprotocol.errors import (
    ErrorCode,
    RulesError,
)
from rtaprotocol.limits import LimitBreach, ValueLimitCheck, _over_limits, check_value_limits
from rtaprotocol.limits import _check as _check_limits
from rtaprotocol.money import ZERO, format_money
from rtaprotocol.sources import Reference

__all__ = [
    "CRITERIA",
    "DEFAULT_LIMITATION_WARNING_DAYS",
    "PORTAL_ACCIDENTS_FROM",
    "TARIFF_PROGNOSIS_MONTHS",
    "ClaimFacts",
    "Criterion",
    "CriterionCheck",
    "EligibilityResult",
    "ExitReason",
    "Location",
    "MedicalOutlook",
    "Notice",
    "Question",
    "Reason",
    "Redirect",
    "RevaluationResult",
    "RoadUserRole",
    "check_eligibility",
    "check_revaluation",
    "medical_report_outlook",
]


# Defined in the private modules above, named here (reprs, docs, pickles, doctests).
_public.publish(
    globals(),
    [
        "PORTAL_ACCIDENTS_FROM",
        "DEFAULT_LIMITATION_WARNING_DAYS",
        "TARIFF_PROGNOSIS_MONTHS",
        "Location",
        "RoadUserRole",
        "ClaimFacts",
        "ExitReason",
        "RevaluationResult",
        "check_revaluation",
        "MedicalOutlook",
        "medical_report_outlook",
        "Reason",
        "Question",
        "Redirect",
        "Notice",
    ],
)

# --------------------------------------------------------------------------- criteria


@final
@frozen
class Criterion:
    """One requirement of guide 4.1/4.2, with its stable ``code`` and ``reference``.

    ``fields`` are the :class:`ClaimFacts` fields it reads; ``requirement`` says what
    must be true for the claim to use the portal.

    >>> CRITERIA[0].code, CRITERIA[0].reference
    ('injury_over_limit', 'guide 1.1, 4.1, 4.2, 4.4.3')
    """

    code: str
    requirement: str
    reference: str = attrs.field(converter=Reference)
    fields: tuple[str, ...]

    @exact
    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data."""
        return {
            "code": self.code,
            "requirement": self.requirement,
            "reference": self.reference,
            "fields": list(self.fields),
        }


def _c(code: str, requirement: str, fields: tuple[str, ...], reference: str) -> Criterion:
    return Criterion(code=code, requirement=requirement, reference=reference, fields=fields)


#: Every criterion, in the fixed order reasons are reported: guide 4.1's list, then 4.2's.
CRITERIA: Final[tuple[Criterion, ...]] = (
    _c("injury_over_limit", "injury claim not more than £5,000", ("injury",), _LIMITS_REFERENCE),
    _c("total_over_limit", "injury plus other protocol damages not more than £10,000",
       ("injury", "other_protocol_damages"), _LIMITS_REFERENCE),
    _c("claimant_under_18", "claimant aged 18 or over when the claim is entered",
       ("date_of_birth",), "guide 4.1"),
    _c("accident_outside_england_and_wales", "accident in England or Wales",
       ("accident_location",), "guide 4.1"),
    _c("accident_before_31_may_2021", "accident on or after 31 May 2021", ("accident_date",),
       "guide 4.1"),
    _c("vulnerable_road_user", "claimant inside a vehicle, not a vulnerable road user",
       ("road_user",), "guide 4.1, 4.2; protocol para 4.3"),
    _c("no_one_else_to_blame", "someone else responsible in full or in part",
       ("someone_else_to_blame",), "guide 4.1"),
    _c("registration_unknown", "registration of the vehicle responsible known",
       ("other_vehicle_registration_known",), "guide 4.1, 4.3"),
    _c("other_vehicle_not_uk_registered", "vehicle responsible has a UK registration plate",
       ("other_vehicle_uk_registered",), "guide 4.1, 4.2, 4.3; protocol para 4.3"),
    _c("no_injury", "a personal injury claim: an injury valued at more than £0.00",
       ("injury",), _INJURY_NEEDED_REFERENCE),
    _c("claimant_protected_party", "claimant not a protected party",
       ("claimant_protected_party",), "guide 4.2; protocol para 4.3"),
    _c("defendant_protected_party",
       "defendant not a protected party (either party being one stops a portal claim)",
       ("defendant_protected_party",), _DEFENDANT_PROTECTED_REFERENCE),
    _c("health_and_safety_breach", "injury not partly caused by a breach of HSWA 1974 s.53",
       ("health_and_safety_breach",), "guide 4.2; protocol para 4.3"),
    _c("defendant_not_road_user", "defendant a road user", ("defendant_road_user",),
       "guide 4.2; protocol para 4.3"),
    _c("untraced_driver", "driver responsible is traced", ("untraced_driver",),
       "guide 4.2; protocol para 4.3; Untraced Drivers' Agreement 2017"),
    _c("claimant_personal_representative", "claimant not a personal representative",
       ("claimant_personal_representative",), "guide 4.2; protocol para 4.3"),
    _c("defendant_personal_representative", "defendant not a personal representative",
       ("defendant_personal_representative",), "guide 4.2; protocol para 4.3"),
    _c("claimant_bankrupt", "claimant not bankrupt", ("claimant_bankrupt",),
       "guide 4.2; protocol para 4.3"),
)  # fmt: skip


@final
@frozen
class CriterionCheck:
    """One criterion's outcome for one claim: ``met`` is True, False or None (unknown).

    >>> CriterionCheck(criterion=CRITERIA[2], met=None).status
    'unknown'
    """

    criterion: Criterion
    met: bool | None

    @property
    @exact
    def status(self) -> str:
        """``"met"``, ``"not met"`` or ``"unknown"``."""
        return {True: "met", False: "not met", None: "unknown"}[self.met]

    @exact
    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data."""
        return {
            "code": self.criterion.code,
            "requirement": self.criterion.requirement,
            "reference": self.criterion.reference,
            "met": self.met,
        }


# Each evaluator returns (met, message): met is None when an answer it needs is unknown;
# the message explains a failure to the claimant and is ignored otherwise.
_Outcome = tuple[bool | None, str]


def _flag(value: bool | None, bars_when: bool, message: str) -> _Outcome:
    if value is None:
        return None, ""
    return value is not bars_when, message


def _known_breaches(f: ClaimFacts) -> dict[str, LimitBreach]:
    """Run the value-limit check (``limits.check_value_limits``) on the amounts known so far.

    An unknown amount counts as £0.00 here: amounts are never negative, so a breach by
    the known amounts is a breach whatever the unknown one turns out to be.
    """
    check = check_value_limits(
        ZERO if f.injury is None else f.injury,
        ZERO if f.other_protocol_damages is None else f.other_protocol_damages,
    )
    return {b.code: b for b in check.breaches}


def _injury(f: ClaimFacts) -> _Outcome:
    if f.injury is None:
        return None, ""
    if not _over_limits(f.injury, f.injury)[0]:  # within: no breach to describe
        return True, ""
    breach = _known_breaches(f).get("injury_over_limit")
    if breach is None:
        return True, ""
    return False, (
        f"your injury claim of {format_money(breach.value)} is more than the "
        f"{format_money(breach.limit)} limit by {format_money(breach.excess)}: seek advice "
        "(guide 1.2.3.1)"
    )


def _total(f: ClaimFacts) -> _Outcome:
    partial = f.injury is None or f.other_protocol_damages is None
    inj, other = f.injury, f.other_protocol_damages
    if inj is not None and other is not None and not _over_limits(inj, inj + other)[1]:
        return True, ""  # both known and within: no breach to describe
    breach = _known_breaches(f).get("total_over_limit")
    if breach is None:
        return (None if partial else True), ""
    at_least = "at least " if partial else ""
    return False, (
        f"your injury and other protocol damages come to {at_least}"
        f"{format_money(breach.value)}, more than the {format_money(breach.limit)} limit by "
        f"{at_least}{format_money(breach.excess)} (non-protocol vehicle costs and "
        "fees do not count): seek advice (guide 1.2.3.1)"
    )


def _age(f: ClaimFacts) -> _Outcome:
    if f.date_of_birth is None:
        return None, ""
    birthday = eighteenth_birthday(f.date_of_birth)
    if f.entry_date >= birthday:
        return True, ""
    return False, (
        f"you are under 18 on {f.entry_date}, the day the claim is entered; you turn "
        f"18 on {birthday}"
    )


def _location(f: ClaimFacts) -> _Outcome:
    loc = f.accident_location
    if loc is None:
        return None, ""
    if loc.in_england_or_wales:
        return True, ""
    place = loc.value.replace("-", " ").title() if loc is not Location.ELSEWHERE else "elsewhere"
    where = "outside the UK" if loc is Location.ELSEWHERE else f"in {place}"
    return loc.in_england_or_wales, f"the accident happened {where}, not in England or Wales"


def _regime(f: ClaimFacts) -> _Outcome:
    if f.accident_date >= PORTAL_ACCIDENTS_FROM:
        return True, ""
    return False, (
        f"the accident on {f.accident_date} happened before 31 May 2021; the portal only "
        "takes accidents on or after that date"
    )


def _role(f: ClaimFacts) -> _Outcome:
    if f.road_user is None:
        return None, ""
    if not f.road_user.vulnerable:
        return True, ""
    return False, (
        f"you were {f.road_user.description} at the time of the accident: a vulnerable "
        "road user, not inside a vehicle"
    )


def _needs_injury(f: ClaimFacts) -> _Outcome:
    if f.injury is None:
        return None, ""
    return f.injury > 0, (
        "the portal is for a personal injury claim, and the injury is valued at £0.00 (or "
        "there is no injury): a claim with no injury cannot use it"
    )


_EVALUATORS: Final[Mapping[str, Callable[[ClaimFacts], _Outcome]]] = {
    "no_injury": _needs_injury,
    "injury_over_limit": _injury,
    "total_over_limit": _total,
    "claimant_under_18": _age,
    "accident_outside_england_and_wales": _location,
    "accident_before_31_may_2021": _regime,
    "vulnerable_road_user": _role,
    "no_one_else_to_blame": lambda f: _flag(
        f.someone_else_to_blame,
        False,
        "you do not believe someone else was responsible, in full or in part, for the accident",
    ),
    "registration_unknown": lambda f: _flag(
        f.other_vehicle_registration_known,
        False,
        "redirect: you do not have the registration number of the "
        "vehicle you believe was responsible, so the claim cannot start on the portal; "
        "go instead to the Motor Insurers' Bureau, which might be able to help (guide 4.3)",
    ),
    "other_vehicle_not_uk_registered": lambda f: _flag(
        f.other_vehicle_uk_registered,
        False,
        "redirect: the vehicle you believe was responsible had "
        "foreign number plates (registered outside the United Kingdom), so the claim "
        "cannot start on the portal; go instead to the Motor Insurers' Bureau Green Card, "
        "which might be able to help (guide 4.3)",
    ),
    "claimant_protected_party": lambda f: _flag(
        f.claimant_protected_party,
        True,
        "you are a protected party (a party who lacks capacity to conduct proceedings)",
    ),
    "defendant_protected_party": lambda f: _flag(
        f.defendant_protected_party,
        True,
        "the defendant is a protected party (a party who lacks capacity to conduct "
        "proceedings): a claim cannot proceed on the portal if either party is one "
        "(guide 6.6.2.1); seek advice",
    ),
    "health_and_safety_breach": lambda f: _flag(
        f.health_and_safety_breach,
        True,
        "your injuries were partly caused by the defendant's breach of section 53 of the "
        "Health and Safety at Work etc Act 1974",
    ),
    "defendant_not_road_user": lambda f: _flag(
        f.defendant_road_user,
        False,
        "your claim is for a breach of duty owed to a road user by a person who is not a road user",
    ),
    "untraced_driver": lambda f: _flag(
        f.untraced_driver,
        True,
        "redirect: your claim is against an untraced driver (Untraced Drivers' Agreement "
        "2017), so it cannot use the portal and is not a court claim either (there is no "
        "one to sue); go instead to the Motor Insurers' Bureau, which deals with it under "
        "that agreement (guide 4.2)",
    ),
    "claimant_personal_representative": lambda f: _flag(
        f.claimant_personal_representative,
        True,
        "you are claiming as the personal representative of a deceased person",
    ),
    "defendant_personal_representative": lambda f: _flag(
        f.defendant_personal_representative,
        True,
        "the defendant is the personal representative of a deceased person",
    ),
    "claimant_bankrupt": lambda f: _flag(f.claimant_bankrupt, True, "you are currently bankrupt"),
}

#: The criteria whose failure the guide answers with a redirect (guide 4.3), by code; an
#: untraced driver's claim is redirected to the MIB the same way (guide 4.2 excludes it;
#: the Untraced Drivers' Agreement 2017 is where it goes: routing sends it there too).
_REDIRECTS: Final[Mapping[str, Redirect]] = {
    "registration_unknown": Redirect(
        code="motor_insurers_bureau",
        to="Motor Insurers' Bureau",
        message="you do not have the registration number of the vehicle: the Motor "
        "Insurers' Bureau might be able to help",
        reference="guide 4.3",
    ),
    "untraced_driver": Redirect(
        code="mib_untraced_drivers",
        to="Motor Insurers' Bureau (Untraced Drivers' Agreement 2017)",
        message="the driver responsible cannot be traced: the claim is made to the Motor "
        "Insurers' Bureau under the Untraced Drivers' Agreement 2017, by its own procedure",
        reference="guide 4.2; Untraced Drivers' Agreement 2017",
    ),
    "other_vehicle_not_uk_registered": Redirect(
        code="mib_green_card",
        to="Motor Insurers' Bureau Green Card",
        message="the vehicle you believe was responsible had foreign number plates: the "
        "Motor Insurers' Bureau Green Card might be able to help",
        reference="guide 4.3",
    ),
}


#: Each criterion with its evaluator, in :data:`CRITERIA` order.
_CRITERIA_EVALUATORS: Final = tuple((c, _EVALUATORS[c.code]) for c in CRITERIA)


@final
class _PendingChecks(tuple[bool | None, ...]):
    """Each criterion's ``met``, in :data:`CRITERIA` order: the checks, not yet built."""

    __slots__ = ()


@final
class _PendingLimits(tuple[Decimal, Decimal, Decimal, Decimal]):
    """The four validated amounts (injury, other, non-protocol, fees): the check, not yet built."""

    __slots__ = ()


def _build_checks(pending: _PendingChecks) -> tuple[CriterionCheck, ...]:
    """Build the trace of every criterion (when first read: the verdict does not need it)."""
    return tuple(
        CriterionCheck(criterion=c, met=met) for c, met in zip(CRITERIA, pending, strict=True)
    )


@final
@frozen(eq=False)
class EligibilityResult(KeyedEquality):
    """Whether a claim may use the portal, every reason, and what is still to ask.

    ``eligible`` is True, False or None ("cannot tell yet"); see
    :func:`check_eligibility`. ``checks`` traces every criterion; ``value_limits`` is
    the full :class:`~rtaprotocol.limits.ValueLimitCheck` when both amounts are known
    (else ``None``); ``limitation_deadline`` is the last day to issue proceedings,
    assuming an adult claimant when the date of birth is unknown (the earliest it can be).
    """

    facts: ClaimFacts
    eligible: bool | None
    reasons: tuple[Reason, ...]
    questions: tuple[Question, ...]
    redirects: tuple[Redirect, ...]
    warnings: tuple[Notice, ...]
    # Given as ``checks=`` (attrs drops the underscore); check_eligibility passes a
    # _PendingChecks and the CriterionCheck rows are built, once, when first read.
    _checks: tuple[CriterionCheck, ...] | _PendingChecks
    # Given as ``value_limits=``; check_eligibility passes a _PendingLimits and the
    # ValueLimitCheck is built, once, when first read (the verdict does not need it).
    _value_limits: ValueLimitCheck | _PendingLimits | None
    limitation_deadline: date
    limitation_warning_days: int

    @property
    @exact
    def checks(self) -> tuple[CriterionCheck, ...]:
        """Every criterion's outcome, in :data:`CRITERIA` order (built when first read)."""
        checks = self._checks
        if isinstance(checks, _PendingChecks):
            checks = _build_checks(checks)
            object.__setattr__(self, "_checks", checks)  # a private cache slot
        return checks

    @property
    @exact
    def value_limits(self) -> ValueLimitCheck | None:
        """The value-limit check, when both amounts are known (built when first read)."""
        limits = self._value_limits
        if isinstance(limits, _PendingLimits):
            limits = _check_limits(*limits)
            object.__setattr__(self, "_value_limits", limits)  # a private cache slot
        return limits

    def _key(self) -> tuple[Any, ...]:
        return (
            self.facts,
            self.eligible,
            self.reasons,
            self.questions,
            self.redirects,
            self.warnings,
            self.checks,
            self.value_limits,
            self.limitation_deadline,
            self.limitation_warning_days,
        )

    @exact
    def __repr__(self) -> str:
        return (
            f"EligibilityResult(facts={self.facts!r}, eligible={self.eligible!r}, "
            f"reasons={self.reasons!r}, questions={self.questions!r}, "
            f"redirects={self.redirects!r}, warnings={self.warnings!r}, "
            f"checks={self.checks!r}, value_limits={self.value_limits!r}, "
            f"limitation_deadline={self.limitation_deadline!r}, "
            f"limitation_warning_days={self.limitation_warning_days!r})"
        )

    @property
    @exact
    def verdict(self) -> str:
        """``"eligible"``, ``"not eligible"`` or ``"cannot tell yet"``."""
        return {True: "eligible", False: "not eligible", None: "cannot tell yet"}[self.eligible]

    @property
    @exact
    def codes(self) -> tuple[str, ...]:
        """The failing criteria's codes, in :data:`CRITERIA` order."""
        return tuple(r.code for r in self.reasons)

    @property
    @exact
    def headline(self) -> str:
        """The verdict in one line for the claimant; a redirect names where to go.

        When every reason is a redirect (guide 4.3) the headline sends the claimant
        there rather than to "seek advice"; when some are, it points to both.
        """
        if self.eligible is True:
            return "Eligible: this claim can use the Official Injury Claim portal (guide 4.1)"
        if self.eligible is None:
            return "Cannot tell yet: answer the questions below (guide 4.1, 4.2)"
        refused = "Not eligible: this claim cannot use the Official Injury Claim portal"
        if not self.redirects:
            return f"{refused}; seek advice (guide 4.1, 4.2)"
        where = " or ".join(f"the {r.to}" for r in self.redirects)
        if all(r.redirect is not None for r in self.reasons):
            cited = (
                "guide 4.1, 4.2, 4.3"
                if any(r.code == "mib_untraced_drivers" for r in self.redirects)
                else "guide 4.1, 4.3"
            )
            return f"{refused}; the guide redirects you: go instead to {where} ({cited})"
        return (
            f"{refused}; seek advice (guide 4.1, 4.2); the guide also redirects you to "
            f"{where} (guide 4.3)"
        )

    def _sections(self) -> list[tuple[str, list[str], list[list[Any]]]]:
        sections: list[tuple[str, list[str], list[list[Any]]]] = [
            (
                self.headline,
                ["requirement", "status", "reference"],
                [[c.criterion.requirement, c.status, c.criterion.reference] for c in self.checks],
            )
        ]
        if self.redirects:
            rows = [[r.to, r.message, r.reference] for r in self.redirects]
            sections.append(("Where to go instead", ["go to", "why", "reference"], rows))
        if self.reasons:
            rows = [[r.code, r.message, r.reference] for r in self.reasons]
            sections.append(("Reasons", ["code", "reason", "reference"], rows))
        if self.questions:
            rows = [[q.field, q.question, q.reference] for q in self.questions]
            sections.append(("Questions to answer", ["field", "question", "reference"], rows))
        if self.warnings:
            rows = [[w.code, w.message, w.reference] for w in self.warnings]
            sections.append(("Warnings", ["code", "warning", "reference"], rows))
        return sections

    @exact
    def __str__(self) -> str:
        parts = [text_table(h, rows, title=title) for title, h, rows in self._sections()]
        if self.value_limits is not None:
            parts.append(str(self.value_limits))
        parts.append(f"Limitation deadline: {self.limitation_deadline} ({_LIMITATION_REFERENCE})")
        return "\n\n".join(parts)

    @exact
    def _repr_html_(self) -> str:
        """Render the verdict first, then every criterion, limit and the limitation deadline."""
        sections = self._sections()
        parts = [html_verdict(self.headline, self.eligible)]
        parts.extend(
            html_table(h, rows, caption="Each criterion" if i == 0 else title)
            for i, (title, h, rows) in enumerate(sections)
        )
        if self.value_limits is not None:
            parts.append(self.value_limits._repr_html_())
        parts.append(
            "<p>"
            + html_text(
                f"Limitation deadline: {self.limitation_deadline} [{_LIMITATION_REFERENCE}]"
            )
            + "</p>"
        )
        return "".join(parts)

    @exact
    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data: verdict, reasons, questions, redirects, warnings, trace."""
        return {
            "eligible": self.eligible,
            "verdict": self.verdict,
            "headline": self.headline,
            "reasons": [r.to_dict() for r in self.reasons],
            "questions": [q.to_dict() for q in self.questions],
            "redirects": [r.to_dict() for r in self.redirects],
            "warnings": [w.to_dict() for w in self.warnings],
            "checks": [c.to_dict() for c in self.checks],
            "value_limits": None if self.value_limits is None else self.value_limits.to_dict(),
            "limitation_deadline": jsonable(self.limitation_deadline),
            "limitation_reference": _LIMITATION_REFERENCE,
            "limitation_warning_days": self.limitation_warning_days,
            "facts": self.facts.to_dict(),
        }


def _limitation_warnings(facts: ClaimFacts, deadline: date, window: int) -> tuple[Notice, ...]:
    days_left = (deadline - facts.entry_date).days
    if days_left > window:
        return ()
    caveat = ""
    if facts.date_of_birth is None:
        caveat = (
            " (your date of birth is not known, so this is the earliest the deadline can "
            "be: it is later if you were under 18 at the accident)"
        )
    if days_left < 0:
        return (
            Notice(
                code="limitation_passed",
                message=(
                    f"the 3-year limitation period ended on {deadline}{caveat}, "
                    f"{-days_left} days before the claim is entered: you can still enter "
                    "it, but the compensator is likely to deny liability; seek advice"
                ),
                reference=_LIMITATION_REFERENCE,
            ),
        )
    return (
        Notice(
            code="limitation_near",
            message=(
                f"the 3-year limitation period ends on {deadline}{caveat}, {days_left} days "
                "after the claim is entered; starting on the portal does not stop the "
                "clock: if it will pass before the portal process ends, select 'Go to "
                "court' and issue proceedings"
            ),
            reference=_LIMITATION_REFERENCE,
        ),
    )


@exact
def check_eligibility(
    facts: ClaimFacts, *, limitation_warning_days: int = DEFAULT_LIMITATION_WARNING_DAYS
) -> EligibilityResult:
    """Check a claim against every criterion of guide 4.1 and 4.2 (protocol para 4.3).

    - ``eligible`` is False when any known answer fails a criterion (with the open
      questions still listed), None when nothing known fails but an answer a criterion
      needs is unknown, True only when every criterion is met.
    - Age is taken on ``entry_date``: an 18th birthday on the entry date is eligible.
    - The value limits reuse :func:`~rtaprotocol.limits.check_value_limits`: exactly
      £5,000 and £10,000 are inside; non-protocol vehicle costs and fees never count.
      With one amount unknown, the known amounts still fail the £10,000 limit if they
      already exceed it.
    - ``warnings`` has ``limitation_passed`` when the limitation deadline is before the
      entry date, ``limitation_near`` when it is at most ``limitation_warning_days``
      days after it (guide 5.4).

    >>> from datetime import date
    >>> facts = ClaimFacts(
    ...     accident_date=date(2023, 3, 1), entry_date=date(2023, 4, 3),
    ...     date_of_birth=date(2005, 4, 3), accident_location="england",
    ...     road_user="vehicle-occupant", someone_else_to_blame=True,
    ...     other_vehicle_registration_known=True, other_vehicle_uk_registered=True,
    ...     claimant_protected_party=False, defendant_protected_party=False,
    ...     health_and_safety_breach=False, defendant_road_user=True, untraced_driver=False,
    ...     claimant_personal_representative=False, defendant_personal_representative=False,
    ...     claimant_bankrupt=False, injury="5000.00", other_protocol_damages="5000.00",
    ...     non_protocol_vehicle_costs=12000)
    >>> check_eligibility(facts).eligible   # 18 on the entry date; exactly at both limits
    True
    >>> import attrs
    >>> result = check_eligibility(attrs.evolve(facts, road_user="cyclist", injury=None))
    >>> result.eligible, result.codes, [q.field for q in result.questions]
    (False, ('vulnerable_road_user',), ['injury'])
    """
    if not isinstance(facts, ClaimFacts):
        raise wrong_type(facts, "ClaimFacts", field="facts", reference=_FACTS_REFERENCE)
    window = (
        limitation_warning_days
        if limitation_warning_days.__class__ is int
        else check_int(
            limitation_warning_days, field="limitation_warning_days", reference="guide 5.4"
        )
    )
    if window < 0:
        raise RulesError(
            "the warning window cannot be negative",
            value=limitation_warning_days,
            field="limitation_warning_days",
            reference="guide 5.4",
            code=ErrorCode.VALUE_INVALID,
        )
    mets: list[bool | None] = []
    reasons: list[Reason] = []
    questions: dict[str, Question] = {}
    for criterion, evaluate in _CRITERIA_EVALUATORS:
        met, message = evaluate(facts)
        mets.append(met)
        if met is False:
            reasons.append(
                Reason(
                    code=criterion.code,
                    message=message,
                    reference=criterion.reference,
                    redirect=_REDIRECTS.get(criterion.code),
                )
            )
        elif met is None:
            for name in criterion.fields:
                if getattr(facts, name) is None and name not in questions:
                    questions[name] = Question(
                        field=name, question=_QUESTIONS[name], reference=criterion.reference
                    )
    eligible: bool | None = False if reasons else (None if questions else True)
    redirects = tuple(r.redirect for r in reasons if r.redirect is not None)
    value_limits = None
    if facts.injury is not None and facts.other_protocol_damages is not None:
        value_limits = _PendingLimits(  # validated already; checked when first read
            (
                facts.injury,
                facts.other_protocol_damages,
                facts.non_protocol_vehicle_costs,
                facts.fees,
            )
        )
    deadline = limitation_deadline(facts.accident_date, date_of_birth=facts.date_of_birth)
    return EligibilityResult(
        facts=facts,
        eligible=eligible,
        reasons=tuple(reasons),
        questions=tuple(questions.values()),
        redirects=redirects,
        warnings=_limitation_warnings(facts, deadline, window),
        checks=_PendingChecks(mets),
        value_limits=value_limits,
        limitation_deadline=deadline,
        limitation_warning_days=window,
    )


install_views(globals())  # notebook views of every public class (rtaprotocol._views)
