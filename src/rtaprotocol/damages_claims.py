"""Responding to a damages claim issued through HMCTS's online damages claims service.

Civil damages claims covered by Practice Direction 51ZB are issued online (compulsory
from April 2022). The HMCTS announcement (the damages claims portal page) says:

- from **15 September 2022** a defendant's legal representative must respond online to
  a claim issued through the online service on or after that day; a paper response filed
  at the County Court Money Claims Centre is returned unless an acceptable reason is
  given for not using the digital service. The duty is addressed to legal
  representatives ("defence solicitors", firms registered with MyHMCTS): a defendant
  with no legal representative is not bound by it and may respond on the paper forms
  served with the claim (PD 51ZB, Section 3 sub-section B, "Defendant not represented by
  a DCP legal representative", para 3.10), which are not returned;
- only a response that **rejects all of the claim** continues in the online service;
  every other response (admitting all, admitting part, a counterclaim) takes the claim
  out of it, onto the paper route.

Response periods are the Civil Procedure Rules' own, counted by CPR 2.8
(:func:`cpr_period_end`): an acknowledgment of service 14 days after service of the
particulars of claim (CPR 10.3(1)); a defence 14 days after service of the particulars,
or 28 days after it when the defendant has filed an acknowledgment of service (CPR
15.4(1)); extendable by the parties' agreement by up to 28 days (CPR 15.5(1)). Where only
the day of the step taken to serve the claim form is known, the claim form (with the
particulars) is deemed served on the second business day after it (CPR 6.14).
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import Enum
from typing import Any, Final, Literal, final

from attrs import frozen

from rtaprotocol._checks import (
    check_bool,
    check_enum,
    check_int,
    check_optional_bool,
    count_text,
)
from rtaprotocol._render import html_table, html_text, html_verdict, text_table
from rtaprotocol._views import frame, install_views
from rtaprotocol.deadlines import (
    LAST_SUPPORTED_DATE,
    RANGE_REFERENCE,
    EnglandWalesCalendar,
    _checked_calendar,
    supported_date,
)
from rtaprotocol.errors import ErrorCode, OutOfCoverageError, RulesError, RulesTypeError
from rtaprotocol.lowvalue import Confidence

__all__ = [
    "MAX_AGREED_EXTENSION_DAYS",
    "ONLINE_RESPONSE_REQUIRED_FROM",
    "DeadlineStep",
    "ResponseDeadlines",
    "ResponseRoute",
    "ResponseRouting",
    "ResponseType",
    "cpr_period_end",
    "deemed_service",
    "response_deadlines",
    "response_route",
]

#: Claims issued online on or after this day must be answered online (HMCTS, seed 001).
ONLINE_RESPONSE_REQUIRED_FROM: Final = date(2022, 9, 15)
#: The longest extension of time for a defence the parties may agree (CPR 15.5(1)).
MAX_AGREED_EXTENSION_DAYS: Final = 28

_SEED_REFERENCE: Final = "HMCTS, 'Responding to damages claims online becomes mandatory'; PD 51ZB"
_TIME_REFERENCE: Final = "CPR 2.8"
_SHORT_PERIOD_DAYS: Final = 5


class ResponseType(Enum):
    """How the defendant responds to the claim.

    >>> ResponseType("reject-all").stays_online
    True
    >>> ResponseType.ADMIT_PART.stays_online
    False
    """

    REJECT_ALL = "reject-all"
    ADMIT_ALL = "admit-all"
    ADMIT_PART = "admit-part"
    COUNTERCLAIM = "counterclaim"

    @property
    def stays_online(self) -> bool:
        """True only for a response that rejects all of the claim (seed 001)."""
        return self is ResponseType.REJECT_ALL

    @property
    def description(self) -> str:
        """The response in words."""
        return {
            ResponseType.REJECT_ALL: "rejects all of the claim",
            ResponseType.ADMIT_ALL: "admits all of the claim",
            ResponseType.ADMIT_PART: "admits part of the claim",
            ResponseType.COUNTERCLAIM: "makes a counterclaim",
        }[self]


class ResponseRoute(Enum):
    """Where the claim continues after the response."""

    ONLINE = "online"
    PAPER = "paper"


@final
@frozen
class ResponseRouting:
    """Where a response takes the claim, and whether it must have been made online.

    ``online_required`` is None when the claim's issue date is not known, False for a
    defendant with no legal representative (the duty binds legal representatives).
    ``paper_response_returned`` is True when a represented defendant filed a paper
    response for a claim that must be answered online and gave no reason for not using
    the online service; None when that turns on whether the defendant is represented,
    which is then asked in ``questions``.
    """

    response: ResponseType
    route: ResponseRoute
    online_required: bool | None
    paper_response_returned: bool | None
    reasons: tuple[str, ...]
    reference: str
    represented: bool | None = None
    questions: tuple[str, ...] = ()

    def _title(self) -> str:
        return f"The claim continues on the {self.route.value} route"

    def __str__(self) -> str:
        rows = [[r] for r in self.reasons] + [[f"question: {q}"] for q in self.questions]
        return text_table(["why"], rows, title=self._title()) + f"\n[{self.reference}]"

    def _repr_html_(self) -> str:
        """Render the route first, then why, then the rule."""
        rows = [[r] for r in self.reasons] + [[f"question: {q}"] for q in self.questions]
        outcome: bool | Literal["info"] = False if self.paper_response_returned else "info"
        return (
            html_verdict(self._title(), outcome)
            + html_table(["why"], rows)
            + f"<p>{html_text(f'[{self.reference}]')}</p>"
        )

    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data."""
        return {
            "response": self.response.value,
            "route": self.route.value,
            "online_required": self.online_required,
            "paper_response_returned": self.paper_response_returned,
            "represented": self.represented,
            "reasons": list(self.reasons),
            "questions": list(self.questions),
            "reference": self.reference,
        }


_UNREPRESENTED_REFERENCE: Final = f"{_SEED_REFERENCE} para 3.10"


def response_route(
    response: ResponseType | str,
    *,
    issued_on: date | None = None,
    filed_on_paper: bool = False,
    paper_reason: str | None = None,
    represented: bool | None = None,
) -> ResponseRouting:
    """Say where a response takes a claim issued online (HMCTS damages claims, PD 51ZB).

    Only "reject all of the claim" stays online; every other response moves the claim to
    the paper route. A legal representative must answer a claim issued online on or after
    15 September 2022 online: its paper response is returned unless ``paper_reason`` gives
    a reason for not using the online service (whether it is acceptable is for the court,
    not this library). ``represented`` says whether the defendant has a legal
    representative: the online duty is addressed to legal representatives, so a
    defendant without one (``represented=False``) may respond on paper (PD 51ZB para
    3.10): the paper response is not returned and the claim goes on on the paper route.
    When a paper response's fate turns on it and ``represented`` is None, the answer is
    None and the question is asked.

    >>> from datetime import date
    >>> r = response_route("admit-part", issued_on=date(2022, 9, 15))
    >>> r.route, r.online_required
    (<ResponseRoute.PAPER: 'paper'>, True)
    >>> response_route("reject-all", issued_on=date(2022, 9, 14), filed_on_paper=True).paper_response_returned
    False
    >>> unrepresented = response_route("reject-all", issued_on=date(2023, 1, 3),
    ...                                filed_on_paper=True, represented=False)
    >>> unrepresented.paper_response_returned, unrepresented.route
    (False, <ResponseRoute.PAPER: 'paper'>)
    """
    kind = check_enum(response, ResponseType, field="response", reference=_SEED_REFERENCE)
    issued = None
    if issued_on is not None:
        issued = supported_date(issued_on, field="issued_on", reference=_SEED_REFERENCE)
    paper = check_bool(filed_on_paper, field="filed_on_paper", reference=_SEED_REFERENCE)
    has_lawyer = check_optional_bool(represented, field="represented", reference=_SEED_REFERENCE)
    if paper_reason is not None and (not isinstance(paper_reason, str) or not paper_reason.strip()):
        raise RulesTypeError(
            "paper_reason is the reason given, a non-empty string",
            value=paper_reason,
            field="paper_reason",
            reference=_SEED_REFERENCE,
        )
    reasons: list[str] = []
    questions: list[str] = []
    by_date: bool | None = None if issued is None else issued >= ONLINE_RESPONSE_REQUIRED_FROM
    if by_date is None:
        reasons.append(
            "the claim's issue date is not known: a claim issued online on or after "
            "15 September 2022 must be answered online by a legal representative"
        )
    elif by_date:
        reasons.append(
            f"the claim was issued online on {issued}, on or after 15 September 2022: "
            "a legal representative must respond online"
        )
    else:
        reasons.append(
            f"the claim was issued on {issued}, before 15 September 2022: an online "
            "response was not yet compulsory"
        )
    required = by_date
    reference = _SEED_REFERENCE
    if has_lawyer is False:
        required = False
        reference = _UNREPRESENTED_REFERENCE
        reasons.append(
            "the defendant has no legal representative: the duty to respond online is "
            "addressed to legal representatives (defence solicitors, firms registered with "
            "MyHMCTS), so the defendant may respond on the paper forms served with the claim "
            "(PD 51ZB para 3.10)"
        )
    returned: bool | None = False
    if paper and by_date and has_lawyer is not False:
        if has_lawyer is None:
            returned = None
            questions.append(
                "is the defendant represented by a legal representative? A represented "
                "defendant's paper response is returned unless an acceptable reason is given; "
                "a defendant without one may respond on paper"
            )
        elif paper_reason is None:
            returned = True
            reasons.append(
                "a paper response filed at the County Court Money Claims Centre by a legal "
                "representative is returned unless an acceptable reason is given for not "
                "using the online service"
            )
        else:
            reasons.append(
                f"a paper response was filed with a reason ({paper_reason.strip()}): it is "
                "returned unless the court accepts the reason"
            )
    if paper and has_lawyer is False:
        route = ResponseRoute.PAPER
        reasons.append(
            f"the paper response (it {kind.description}) is not returned: the court deals "
            "with it and the claim goes on on the paper route"
        )
    elif kind.stays_online:
        route = ResponseRoute.ONLINE
        reasons.append("the response rejects all of the claim: it continues online")
    else:
        route = ResponseRoute.PAPER
        reasons.append(
            f"the response {kind.description}: only a response that rejects all of the claim "
            "continues online, so the claim leaves the online service for the paper route"
        )
    return ResponseRouting(
        response=kind,
        route=route,
        online_required=required,
        paper_response_returned=returned,
        reasons=tuple(reasons),
        reference=reference,
        represented=has_lawyer,
        questions=tuple(questions),
    )


# --------------------------------------------------------------------------- time


def _calendar(calendar: EnglandWalesCalendar | None) -> EnglandWalesCalendar:
    return _checked_calendar(
        calendar, reference=_TIME_REFERENCE, message="calendar must be an EnglandWalesCalendar"
    )


def cpr_period_end(start: date, days: int, *, calendar: EnglandWalesCalendar | None = None) -> date:
    """Return the last day of a period of ``days`` days after ``start``, counted by CPR 2.8.

    - clear days: the day the period begins (``start``) is not counted (CPR 2.8(2)-(3));
    - a period of 5 days or less skips Saturdays, Sundays, bank holidays, Christmas Day
      and Good Friday (CPR 2.8(4));
    - a last day on which the court office is closed moves to the next day it is open
      (CPR 2.8(5)). The court office is taken as closed on weekends and bank holidays
      plus the calendar's ``extra_holidays`` (give Practice Direction 2A's extra
      closures there).

    >>> from datetime import date
    >>> cpr_period_end(date(2023, 10, 2), 14)   # CPR 2.8's own example (iii)
    datetime.date(2023, 10, 16)
    >>> cpr_period_end(date(2023, 4, 6), 3)     # Good Friday, weekend, Easter Monday skipped
    datetime.date(2023, 4, 13)
    >>> cpr_period_end(date(2023, 12, 11), 14)  # ends on Christmas Day: next open day
    datetime.date(2023, 12, 27)
    """
    day = supported_date(start, field="start", reference=_TIME_REFERENCE)
    n = check_int(days, field="days", reference=_TIME_REFERENCE)
    if n < 1:
        raise RulesError(
            "a period is at least 1 day",
            value=days,
            field="days",
            reference=_TIME_REFERENCE,
            code=ErrorCode.VALUE_INVALID,
        )
    cal = _calendar(calendar)
    if n <= _SHORT_PERIOD_DAYS:
        return cal._add_from(day, n, field="start", given=start)
    if n > (LAST_SUPPORTED_DATE - day).days:  # past the calendar (or the year 9999)
        raise OutOfCoverageError(
            f"{count_text(n)} days from {day} falls outside the supported range",
            value=start,
            field="start",
            reference=RANGE_REFERENCE,
        )
    end = day + timedelta(days=n)
    if not cal.is_business_day(end):
        end = cal._add_from(end, 1, field="start", given=start)
    return end


def deemed_service(step_date: date, *, calendar: EnglandWalesCalendar | None = None) -> date:
    """Return the day a claim form is deemed served: the second business day after the step.

    CPR 6.14: a claim form served within the UK is deemed served on the second business
    day after completion of the relevant step under CPR 7.5(1) (posting, leaving it,
    sending it). Business days exclude weekends and bank holidays (CPR 6.2(b)).

    >>> from datetime import date
    >>> deemed_service(date(2023, 1, 12))   # Thursday: Friday is the first, Monday the second
    datetime.date(2023, 1, 16)
    """
    day = supported_date(step_date, field="step_date", reference="CPR 6.14")
    return _calendar(calendar)._add_from(day, 2, field="step_date", given=step_date)


@final
@frozen
class DeadlineStep:
    """One dated step of the response timetable, with the rule behind it."""

    name: str
    on: date
    explanation: str
    reference: str
    confidence: Confidence

    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data."""
        return {
            "name": self.name,
            "on": self.on.isoformat(),
            "explanation": self.explanation,
            "reference": self.reference,
            "confidence": self.confidence.code,
        }


@final
@frozen
class ResponseDeadlines:
    """The response timetable: service, acknowledgment of service, defence."""

    particulars_served: date
    acknowledged: bool
    extension_days: int
    acknowledgment_deadline: date
    defence_deadline: date
    steps: tuple[DeadlineStep, ...]

    def _rows(self) -> list[list[Any]]:
        return [
            [s.name, s.on, s.explanation, f"{s.reference} {s.confidence.mark}"] for s in self.steps
        ]

    def __str__(self) -> str:
        return text_table(
            ["step", "date", "how", "reference"],
            self._rows(),
            title=f"Defence due by {self.defence_deadline}",
        )

    def to_frame(self) -> Any:
        """Return the timetable as a pandas DataFrame (the ``batch`` extra), a row per step.

        >>> from datetime import date
        >>> response_deadlines(served=date(2024, 3, 4)).to_frame().columns.tolist()
        ['step', 'date', 'how', 'reference']
        """
        return frame(["step", "date", "how", "reference"], self._rows())

    def _repr_html_(self) -> str:
        """Render the defence deadline first, then each dated step with its rule."""
        return html_verdict(f"Defence due by {self.defence_deadline}", "info") + html_table(
            ["step", "date", "how", "reference"], self._rows()
        )

    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data."""
        return {
            "particulars_served": self.particulars_served.isoformat(),
            "acknowledged": self.acknowledged,
            "extension_days": self.extension_days,
            "acknowledgment_deadline": self.acknowledgment_deadline.isoformat(),
            "defence_deadline": self.defence_deadline.isoformat(),
            "steps": [s.to_dict() for s in self.steps],
        }


def response_deadlines(
    *,
    served: date | None = None,
    claim_form_step: date | None = None,
    acknowledged: bool = False,
    extension_days: int = 0,
    calendar: EnglandWalesCalendar | None = None,
) -> ResponseDeadlines:
    """Work out the acknowledgment and defence deadlines (CPR 10.3, 15.4, 15.5, 2.8, 6.14).

    Give ``served`` (the day the particulars of claim were served, or deemed served) or
    ``claim_form_step`` (the day of the step taken to serve the claim form with its
    particulars: deemed served by CPR 6.14 two business days later), not both.

    - acknowledgment of service: 14 days after service of the particulars (CPR 10.3(1));
    - defence: 14 days after service of the particulars, 28 if an acknowledgment of
      service was filed (CPR 15.4(1)), plus any agreed extension of up to 28 days
      (CPR 15.5(1)), counted as one period from service.

    >>> from datetime import date
    >>> d = response_deadlines(served=date(2023, 1, 12), acknowledged=True, extension_days=28)
    >>> d.acknowledgment_deadline, d.defence_deadline
    (datetime.date(2023, 1, 26), datetime.date(2023, 3, 9))
    >>> response_deadlines(served=date(2023, 1, 12), extension_days=29)
    Traceback (most recent call last):
    ...
    rtaprotocol.errors.RulesError: extension_days: the parties may agree an extension of at most 28 days; a longer one needs the court's order: got 29 [CPR 15.5(1)]
    """
    if (served is None) == (claim_form_step is None):
        raise RulesError(
            "give either served (the particulars' service date) or claim_form_step, not both",
            value=(served, claim_form_step),
            field="served",
            reference="CPR 6.14, 15.4",
            code=ErrorCode.VALUE_INVALID,
        )
    cal = _calendar(calendar)
    ack = check_bool(acknowledged, field="acknowledged", reference="CPR 15.4(1)(b)")
    ext = check_int(extension_days, field="extension_days", reference="CPR 15.5(1)")
    if ext < 0:
        raise RulesError(
            "an extension cannot be negative", value=extension_days, field="extension_days",
            reference="CPR 15.5(1)", code=ErrorCode.VALUE_INVALID,
        )  # fmt: skip
    if ext > MAX_AGREED_EXTENSION_DAYS:
        raise RulesError(
            f"the parties may agree an extension of at most {MAX_AGREED_EXTENSION_DAYS} days; "
            "a longer one needs the court's order",
            value=extension_days,
            field="extension_days",
            reference="CPR 15.5(1)",
            code=ErrorCode.VALUE_INVALID,
        )
    steps: list[DeadlineStep] = []
    if claim_form_step is not None:
        step = supported_date(claim_form_step, field="claim_form_step", reference="CPR 6.14")
        service = deemed_service(step, calendar=cal)
        steps.append(
            DeadlineStep(
                name="claim form and particulars deemed served",
                on=service,
                explanation=f"second business day after the step taken on {step}",
                reference="CPR 6.14",
                confidence=Confidence.PRIMARY,
            )
        )
    else:
        assert served is not None
        service = supported_date(served, field="served", reference="CPR 15.4")
        steps.append(
            DeadlineStep(
                name="particulars of claim served",
                on=service,
                explanation="as given",
                reference="CPR 6.14, 6.26",
                confidence=Confidence.PRIMARY,
            )
        )
    ack_by = cpr_period_end(service, 14, calendar=cal)
    steps.append(
        DeadlineStep(
            name="acknowledgment of service due" + (" (filed)" if ack else ""),
            on=ack_by,
            explanation="14 days after service of the particulars of claim",
            reference="CPR 10.3(1); CPR 2.8",
            confidence=Confidence.SECONDARY,
        )
    )
    base = 28 if ack else 14
    defence = cpr_period_end(service, base + ext, calendar=cal)
    how = f"{base} days after service of the particulars of claim"
    if ack:
        how += " (an acknowledgment of service was filed)"
    if ext:
        how += f", plus an agreed extension of {ext} days (notify the court in writing)"
    steps.append(
        DeadlineStep(
            name="defence due",
            on=defence,
            explanation=how,
            reference="CPR 15.4(1)" + ("; CPR 15.5(1), (2)" if ext else "") + "; CPR 2.8",
            confidence=Confidence.PRIMARY,
        )
    )
    return ResponseDeadlines(
        particulars_served=service,
        acknowledged=ack,
        extension_days=ext,
        acknowledgment_deadline=ack_by,
        defence_deadline=defence,
        steps=tuple(steps),
    )


install_views(globals())  # notebook views of every public class (rtaprotocol._views)
