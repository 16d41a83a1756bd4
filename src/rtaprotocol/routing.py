"""Which process a personal injury claim belongs in: OIC portal, Claims Portal, or a court track.

Three systems share this project's sources: the Official Injury Claim portal (the RTA
Small Claims Protocol), the Claims Portal (the low-value RTA Protocol and the EL/PL
Protocol, up to £25,000) and the court's tracks. :func:`which_process` reads
:class:`RoutingFacts` (the accident type plus the :class:`~rtaprotocol.eligibility.ClaimFacts`
the OIC portal asks for) and returns a :class:`Route` with every reason and its reference,
in the same style as :func:`~rtaprotocol.eligibility.check_eligibility`, which it calls
for the OIC criteria (guide 4.1, 4.2) rather than copying them.

The order of the questions:

1. accident in England or Wales (else none of these processes: the CPR cover England
   and Wales only);
2. a road traffic accident that meets every OIC criterion: the OIC portal;
3. the small claims track is the normal track (CPR 26.9(1)(a); 26.6(1)(a) before the
   October 2023 renumbering): the small claims track, outside any portal;
4. value not more than £25,000 and none of the protocol's exclusions: the low-value RTA
   Protocol or the EL/PL Protocol (the Claims Portal);
5. otherwise the fast track (not more than £25,000), the intermediate track (not more
   than £100,000, accidents on or after 1 October 2023) or the multi-track.

The small claims limits are dated data (:data:`SMALL_CLAIMS_LIMITS`), each with its
source and confidence mark. An unknown answer never gives a silent route: the result is
"cannot tell yet" with the questions to ask.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any, Final, Literal, final

from attrs import frozen

from rtaprotocol._checks import check_enum
from rtaprotocol._decimal import exact
from rtaprotocol._render import html_table, html_verdict, text_table
from rtaprotocol.deadlines import eighteenth_birthday, supported_date
from rtaprotocol.eligibility import (
    ClaimFacts,
    EligibilityResult,
    Question,
    Reason,
    check_eligibility,
)
from rtaprotocol.errors import InvalidInput, OutOfCoverageError, RulesError, RulesTypeError
from rtaprotocol.lowvalue import PROTOCOL_UPPER_LIMIT, Confidence, Sourced
from rtaprotocol.money import format_money

__all__ = [
    "ROUTING_COVERS_FROM",
    "SMALL_CLAIMS_LIMITS",
    "AccidentType",
    "Process",
    "Route",
    "RoutingFacts",
    "SmallClaimsLimit",
    "which_process",
]

#: Routing covers accidents on or after the day the extended low-value protocols began.
ROUTING_COVERS_FROM: Final = date(2013, 7, 31)
_RTA_LIMIT_FROM: Final = date(2021, 5, 31)  # SI 2021/196: accidents on or after
_OTHER_LIMIT_FROM: Final = date(2022, 4, 6)  # SI 2022/101 r.2: accrual or knowledge on or after
_RENUMBERED_FROM: Final = date(2023, 10, 1)  # SI 2023/572: Part 26 renumbered
_INTERMEDIATE_FROM: Final = date(2023, 10, 1)
_SCHEMA_REFERENCE: Final = "rtaprotocol schema route-facts"
_ROUTE_REFERENCE: Final = "CPR 26.9, 26.10; RTA Protocol para 4; EL/PL Protocol para 4; guide 4.1"


class AccidentType(Enum):
    """The kind of claim: road traffic, employers' liability, public liability, disease.

    ``disease`` is an employers' liability disease claim (the EL/PL Protocol covers
    disease claims against employers).

    >>> AccidentType("employers-liability").road_traffic
    False
    """

    ROAD_TRAFFIC = "road-traffic"
    EMPLOYERS_LIABILITY = "employers-liability"
    PUBLIC_LIABILITY = "public-liability"
    DISEASE = "disease"

    @property
    def road_traffic(self) -> bool:
        """True for a road traffic accident."""
        return self is AccidentType.ROAD_TRAFFIC


class Process(Enum):
    """Where a claim goes. ``value`` is a stable slug; ``system`` the portal or court.

    >>> Process.RTA_PROTOCOL.system
    'Claims Portal'
    """

    OIC_PORTAL = (
        "oic-portal",
        "Official Injury Claim portal",
        "RTA Small Claims Protocol (Official Injury Claim portal)",
    )
    RTA_PROTOCOL = ("rta-protocol", "Claims Portal", "low-value RTA Protocol (Claims Portal)")
    ELPL_PROTOCOL = ("elpl-protocol", "Claims Portal", "low-value EL/PL Protocol (Claims Portal)")
    SMALL_CLAIMS_TRACK = (
        "small-claims-track",
        "court, no portal",
        "small claims track, outside any portal",
    )
    FAST_TRACK = ("fast-track", "court, no portal", "fast track, no portal")
    INTERMEDIATE_TRACK = ("intermediate-track", "court, no portal", "intermediate track, no portal")
    MULTI_TRACK = ("multi-track", "court, no portal", "multi-track, no portal")
    OUTSIDE_ENGLAND_AND_WALES = ("outside-england-and-wales", "none",
                                 "none of these processes: the accident was outside England and Wales")  # fmt: skip

    system: str
    description: str

    def __new__(cls, slug: str, system: str, description: str) -> Process:
        """Make a member whose value is its slug."""
        member = object.__new__(cls)
        member._value_ = slug
        member.system = system
        member.description = description
        return member


# --------------------------------------------------------------------------- limits


@final
@frozen
class SmallClaimsLimit:
    """One dated small claims limit (CPR 26.9; 26.6 before 1 October 2023).

    ``kind`` is ``total``, ``rta_injury``, ``rta_injury_26_10`` or ``other_injury``;
    the limit applies to claims whose key date (the accident for a road traffic
    accident; the accrual of the cause of action or the date of knowledge otherwise) is
    from ``applies_from`` to ``applies_until`` inclusive (``None``: open-ended).
    """

    kind: str
    applies_from: date
    applies_until: date | None
    amount: Decimal
    reference: str
    confidence: Confidence

    def covers(self, day: date) -> bool:
        """Return whether ``day`` falls inside the limit's dates."""
        return self.applies_from <= day and (
            self.applies_until is None or day <= self.applies_until
        )

    def sourced(self, name: str) -> Sourced:
        """Return the limit as a :class:`~rtaprotocol.lowvalue.Sourced` figure."""
        return Sourced(
            name=name, value=self.amount, reference=self.reference, confidence=self.confidence
        )

    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data."""
        return {
            "kind": self.kind,
            "applies_from": self.applies_from.isoformat(),
            "applies_until": None if self.applies_until is None else self.applies_until.isoformat(),
            "amount": str(self.amount),
            "reference": self.reference,
            "confidence": self.confidence.value,
        }


_P, _S = Confidence.PRIMARY, Confidence.SECONDARY

#: Every small claims limit the router uses, dated, with source and confidence.
SMALL_CLAIMS_LIMITS: Final[tuple[SmallClaimsLimit, ...]] = (
    SmallClaimsLimit("total", date(2013, 4, 1), None, Decimal("10000.00"),
                     "CPR 26.9(1)(a)(i); 26.6(1)(a)(i) before 1 October 2023", _P),
    SmallClaimsLimit("rta_injury", date(2013, 4, 1), date(2021, 5, 30), Decimal("1000.00"),
                     "CPR 26.6(1)(a)(ii) as in force before 31 May 2021", _S),
    SmallClaimsLimit("rta_injury", date(2021, 5, 31), None, Decimal("5000.00"),
                     "CPR 26.9(1)(a)(ii)(aa); 26.6(1)(a)(ii)(aa) from 31 May 2021 "
                     "(Civil Procedure (Amendment No. 2) Rules 2021, SI 2021/196)", _P),
    SmallClaimsLimit("rta_injury_26_10", date(2021, 5, 31), None, Decimal("1000.00"),
                     "CPR 26.9(1)(a)(ii)(bb) and 26.10; 26.6(1)(a)(ii)(bb) and 26.6A before "
                     "1 October 2023", _P),
    SmallClaimsLimit("other_injury", date(2013, 4, 1), date(2022, 4, 5), Decimal("1000.00"),
                     "CPR 26.6(1)(a)(ii) as in force before 6 April 2022", _S),
    SmallClaimsLimit("other_injury", date(2022, 4, 6), None, Decimal("1500.00"),
                     "CPR 26.9(1)(a)(ii)(cc); from 6 April 2022 for claims whose cause of "
                     "action accrues, or date of knowledge is, on or after that day (Civil "
                     "Procedure (Amendment) Rules 2022, SI 2022/101, rr.2, 9)", _P),
)  # fmt: skip

_FAST_TRACK_LIMIT: Final = Sourced(
    name="fast track limit", value=Decimal("25000.00"),
    reference="CPR 26.9 (fast track: value not more than £25,000)", confidence=_S,
)  # fmt: skip
_INTERMEDIATE_LIMIT: Final = Sourced(
    name="intermediate track limit", value=Decimal("100000.00"),
    reference="CPR 26.9 as substituted from 1 October 2023 (SI 2023/572): intermediate "
    "track up to £100,000, personal injury claims whose cause of action accrues on or "
    "after 1 October 2023", confidence=_S,
)  # fmt: skip


def _limit(kind: str, day: date) -> SmallClaimsLimit:
    for lim in SMALL_CLAIMS_LIMITS:
        if lim.kind == kind and lim.covers(day):
            return lim
    raise OutOfCoverageError(
        f"no {kind} small claims limit covers this date", value=day, field="accident_date",
        reference=_ROUTE_REFERENCE,
    )  # fmt: skip


# --------------------------------------------------------------------------- facts

_OWN_FIELDS: Final = ("accident_type", "date_of_knowledge")


@final
@frozen(init=False)
class RoutingFacts:
    """The facts routing reads: the accident type, and the claim's :class:`ClaimFacts`.

    Build it from a ready :class:`~rtaprotocol.eligibility.ClaimFacts` (``claim=``) or
    from ClaimFacts' own keyword arguments, never both. ``date_of_knowledge`` (optional)
    matters only for a claim that is not a road traffic accident, with an accident
    before 6 April 2022 and an injury claim of more than £1,000 but not more than £1,500
    (SI 2022/101 r.2). For claims that are not road traffic accidents,
    ``other_protocol_damages`` means every other head of damages in the claim's value.

    >>> from datetime import date
    >>> facts = RoutingFacts(accident_type="public-liability", accident_date=date(2023, 3, 1),
    ...                      entry_date=date(2023, 4, 3), injury="1500.00")
    >>> facts.accident_type, facts.claim.injury
    (<AccidentType.PUBLIC_LIABILITY: 'public-liability'>, Decimal('1500.00'))
    """

    accident_type: AccidentType | None
    date_of_knowledge: date | None
    claim: ClaimFacts

    def __init__(
        self,
        *,
        accident_type: AccidentType | str | None = None,
        date_of_knowledge: date | None = None,
        claim: ClaimFacts | None = None,
        **claim_fields: Any,
    ) -> None:
        kind = None
        if accident_type is not None:
            kind = check_enum(
                accident_type, AccidentType, field="accident_type", reference=_ROUTE_REFERENCE
            )
        knowledge = None
        if date_of_knowledge is not None:
            knowledge = supported_date(
                date_of_knowledge, field="date_of_knowledge",
                reference="SI 2022/101 r.2; Limitation Act 1980 s.14",
            )  # fmt: skip
        if claim is not None:
            if claim_fields:
                raise RulesError(
                    "give either claim= or the claim's own fields, not both",
                    value=sorted(claim_fields)[0],
                    field="claim",
                    reference=_ROUTE_REFERENCE,
                )
            if not isinstance(claim, ClaimFacts):
                raise RulesTypeError(
                    f"claim must be ClaimFacts, not {type(claim).__name__}",
                    value=claim, field="claim", reference=_ROUTE_REFERENCE,
                )  # fmt: skip
            built = claim
        else:
            built = ClaimFacts(**claim_fields)
        self.__attrs_init__(accident_type=kind, date_of_knowledge=knowledge, claim=built)

    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data: the shape :meth:`from_dict` reads back (one flat object).

        >>> from datetime import date
        >>> f = RoutingFacts(accident_type="disease", accident_date=date(2020, 1, 6),
        ...                  entry_date=date(2023, 1, 9))
        >>> RoutingFacts.from_dict(f.to_dict()) == f
        True
        """
        return {
            "accident_type": None if self.accident_type is None else self.accident_type.value,
            "date_of_knowledge": (
                None if self.date_of_knowledge is None else self.date_of_knowledge.isoformat()
            ),
            **self.claim.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RoutingFacts:
        """Build facts from parsed JSON (``route-facts.schema.json``), every problem at once.

        The claim's keys are read by :meth:`ClaimFacts.from_dict`; ``accident_type`` is a
        slug or null, ``date_of_knowledge`` a ``YYYY-MM-DD`` string or null.

        >>> from rtaprotocol.errors import InvalidInput
        >>> try:
        ...     RoutingFacts.from_dict({"accident_type": "boating", "date_of_knowledge": 3,
        ...                             "accident_date": "2023-03-01"})
        ... except InvalidInput as err:
        ...     for p in err.problems:
        ...         print(f"{p.field}: {p.message}")
        $.accident_type: not one of AccidentType: 'road-traffic', 'employers-liability', 'public-liability', 'disease'
        $.date_of_knowledge: a date is a YYYY-MM-DD string or null
        $.entry_date: required key is missing
        """
        if not isinstance(data, Mapping):
            raise RulesTypeError(
                f"route facts must be a JSON object, not {type(data).__name__}",
                value=data, field="$", reference=_SCHEMA_REFERENCE,
            )  # fmt: skip
        problems: list[RulesError] = []
        kwargs: dict[str, Any] = {}
        kind = data.get("accident_type")
        if kind is not None:
            try:
                kwargs["accident_type"] = check_enum(
                    kind, AccidentType, field="$.accident_type", reference=_SCHEMA_REFERENCE
                )
            except RulesError as err:
                problems.append(err)
        knowledge = data.get("date_of_knowledge")
        if knowledge is not None:
            parsed = None
            if isinstance(knowledge, str) and len(knowledge) == 10:
                try:
                    parsed = date.fromisoformat(knowledge)
                except ValueError:
                    parsed = None
            if parsed is None:
                problems.append(
                    RulesError(
                        "a date is a YYYY-MM-DD string or null",
                        value=knowledge,
                        field="$.date_of_knowledge",
                        reference=_SCHEMA_REFERENCE,
                    )
                )
            kwargs["date_of_knowledge"] = parsed
        rest = {k: v for k, v in data.items() if k not in _OWN_FIELDS}
        claim = None
        try:
            claim = ClaimFacts.from_dict(rest)
        except RulesError as err:
            problems.extend(_json_path(p) for p in err.problems)
        if problems or claim is None:
            raise InvalidInput(problems, reference=_SCHEMA_REFERENCE)
        try:
            return cls(claim=claim, **kwargs)
        except RulesError as err:
            raise InvalidInput(
                [_json_path(p) for p in err.problems], reference=_SCHEMA_REFERENCE
            ) from None


def _json_path(err: RulesError) -> RulesError:
    fld = err.field or ""
    path = fld if fld.startswith("$") else (f"$.{fld}" if fld else "$")
    if err.has_value:
        return type(err)(err.message, value=err.value, field=path, reference=err.reference)
    return type(err)(err.message, field=path, reference=err.reference)


# --------------------------------------------------------------------------- the route


@final
@frozen
class Route:
    """Which process a claim belongs in, every reason, and what is still to ask.

    ``process`` is a :class:`Process`, or ``None`` for "cannot tell yet" (see
    ``questions``). ``reasons`` explain the route, each with its reference (for a
    road traffic accident they include every OIC criterion that fails, from
    :func:`~rtaprotocol.eligibility.check_eligibility`); ``figures`` are the dated limits
    used, each with its confidence mark; ``eligibility`` is the OIC check (road traffic
    accidents only).
    """

    facts: RoutingFacts
    process: Process | None
    reasons: tuple[Reason, ...]
    questions: tuple[Question, ...]
    figures: tuple[Sourced, ...]
    eligibility: EligibilityResult | None

    @property
    def verdict(self) -> str:
        """The process's slug, or ``"cannot tell yet"``."""
        return "cannot tell yet" if self.process is None else self.process.value

    @property
    def codes(self) -> tuple[str, ...]:
        """The reasons' codes, in order."""
        return tuple(r.code for r in self.reasons)

    @property
    def headline(self) -> str:
        """The answer in one line."""
        if self.process is None:
            return "Cannot tell yet: answer the questions below"
        return f"{self.process.description[:1].upper()}{self.process.description[1:]}"

    def _sections(self) -> list[tuple[str, list[str], list[list[Any]]]]:
        out: list[tuple[str, list[str], list[list[Any]]]] = [
            (self.headline, ["code", "reason", "reference"],
             [[r.code, r.message, r.reference] for r in self.reasons]),
        ]  # fmt: skip
        if self.questions:
            rows = [[q.field, q.question, q.reference] for q in self.questions]
            out.append(("Questions to answer", ["field", "question", "reference"], rows))
        if self.figures:
            figs = [[f.name, f.value, f.confidence.mark, f.reference] for f in self.figures]
            out.append(("Figures used", ["figure", "value", "confidence", "reference"], figs))
        return out

    def __str__(self) -> str:
        return "\n\n".join(text_table(h, rows, title=t) for t, h, rows in self._sections())

    def _repr_html_(self) -> str:
        """Render the route first, then its reasons, questions and figures."""
        sections = self._sections()
        outcome: Literal["info"] | None = None if self.process is None else "info"
        return html_verdict(self.headline, outcome) + "".join(
            html_table(h, rows, caption="Why" if i == 0 else t)
            for i, (t, h, rows) in enumerate(sections)
        )

    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data."""
        return {
            "process": None if self.process is None else self.process.value,
            "verdict": self.verdict,
            "system": None if self.process is None else self.process.system,
            "headline": self.headline,
            "reasons": [r.to_dict() for r in self.reasons],
            "questions": [q.to_dict() for q in self.questions],
            "figures": [f.to_dict() for f in self.figures],
            "eligibility": None if self.eligibility is None else self.eligibility.to_dict(),
            "facts": self.facts.to_dict(),
        }


_QUESTIONS: Final[Mapping[str, tuple[str, str]]] = {
    "accident_type": (
        (
            "Was the accident a road traffic accident, an accident at work (employers' "
            "liability), an accident in a public place (public liability), or is the claim for "
            "a disease caused at work?"
        ),
        "CPR 26.9(1)(a)(ii); RTA Protocol para 4; EL/PL Protocol para 4",
    ),
    "accident_location": (
        "Where did the accident happen: England, Wales, Scotland, Northern Ireland or elsewhere?",
        "CPR 2.1; guide 4.1",
    ),
    "injury": (
        "What is the claim for pain, suffering and loss of amenity worth?",
        "CPR 26.9(1)(a)(ii), 26.9(2)",
    ),
    "other_protocol_damages": (
        "What are the other damages in the claim worth (losses and expenses, leaving out interest)?",
        "CPR 26.9(1)(a)(i)",
    ),
    "date_of_birth": (
        "What is the claimant's date of birth (a child when the claim is started)?",
        "CPR 26.10; RTA Protocol para 1.1(7)",
    ),
    "road_user": (
        (
            "Was the claimant inside a vehicle, or a motorcyclist, pillion or sidecar passenger, "
            "wheelchair or mobility scooter user, cyclist, horse rider or pedestrian?"
        ),
        "CPR 26.10",
    ),
    "claimant_protected_party": (
        "Is the claimant a protected party?",
        "CPR 26.10; RTA Protocol para 4.5; EL/PL Protocol para 4.3",
    ),
    "defendant_protected_party": (
        "Is the defendant a protected party?",
        "RTA Protocol para 4.5; EL/PL Protocol para 4.3",
    ),
    "claimant_bankrupt": (
        "Is the claimant an undischarged bankrupt?",
        "CPR 26.10; RTA Protocol para 4.5; EL/PL Protocol para 4.3",
    ),
    "claimant_personal_representative": (
        "Does the claimant act as the personal representative of someone who has died?",
        "CPR 26.10; RTA Protocol para 4.5",
    ),
    "defendant_personal_representative": (
        "Does the defendant act as the personal representative of someone who has died?",
        "CPR 26.10; RTA Protocol para 4.5",
    ),
    "other_vehicle_uk_registered": (
        "Was the defendant's vehicle registered in the United Kingdom on the day of the accident?",
        "CPR 26.10; RTA Protocol para 4.5",
    ),
    "defendant_road_user": ("Is the defendant a road user?", "RTA Protocol para 4.5"),
    "untraced_driver": (
        "Is the claim against an untraced driver (MIB Untraced Drivers' Agreement)?",
        "RTA Protocol para 4.5",
    ),
    "date_of_knowledge": (
        "When did the claimant first know of the injury and its cause (date of knowledge)?",
        "SI 2022/101 r.2; Limitation Act 1980 s.14",
    ),
}


class _Builder:
    """Collects reasons, questions and figures while :func:`which_process` decides."""

    def __init__(self, facts: RoutingFacts) -> None:
        self.facts = facts
        self.reasons: list[Reason] = []
        self.questions: dict[str, Question] = {}
        self.figures: list[Sourced] = []
        self.eligibility: EligibilityResult | None = None

    def reason(self, code: str, message: str, reference: str) -> None:
        self.reasons.append(Reason(code=code, message=message, reference=reference))

    def ask(self, *fields: str) -> None:
        for name in fields:
            if name not in self.questions:
                text, ref = _QUESTIONS[name]
                self.questions[name] = Question(field=name, question=text, reference=ref)

    def figure(self, fig: Sourced) -> Sourced:
        if fig not in self.figures:
            self.figures.append(fig)
        return fig

    def done(self, process: Process | None) -> Route:
        return Route(
            facts=self.facts,
            process=process,
            reasons=tuple(self.reasons),
            questions=tuple(self.questions.values()) if process is None else (),
            figures=tuple(self.figures),
            eligibility=self.eligibility,
        )


def _rule(entry: date, new: str, old: str) -> str:
    """Cite the rule by its number on the day the claim is started (renumbered 1 Oct 2023)."""
    return f"CPR {new}" if entry >= _RENUMBERED_FROM else f"CPR {old}"


_Flag = tuple[str, bool | None, str]


def _circumstances_26_10(f: ClaimFacts) -> list[_Flag]:
    """Each CPR 26.10 circumstance: (field, present? or None if unknown, description)."""
    child = None if f.date_of_birth is None else f.entry_date < eighteenth_birthday(f.date_of_birth)
    vulnerable = None if f.road_user is None else f.road_user.vulnerable
    foreign = None if f.other_vehicle_uk_registered is None else not f.other_vehicle_uk_registered
    return [
        ("date_of_birth", child, "the claimant is a child"),
        ("claimant_protected_party", f.claimant_protected_party, "the claimant is a protected party"),
        ("road_user", vulnerable, "the claimant was a vulnerable road user"),
        ("claimant_bankrupt", f.claimant_bankrupt, "the claimant is an undischarged bankrupt"),
        ("claimant_personal_representative", f.claimant_personal_representative,
         "the claimant acts as a personal representative"),
        ("defendant_personal_representative", f.defendant_personal_representative,
         "the defendant acts as a personal representative"),
        ("other_vehicle_uk_registered", foreign,
         "the defendant's vehicle was registered outside the United Kingdom"),
    ]  # fmt: skip


def _exclusions(f: ClaimFacts, kind: AccidentType) -> list[_Flag]:
    """List the low-value protocol's exclusions the facts record (RTA 4.5; EL/PL 4.3)."""
    flags: list[_Flag] = [
        ("claimant_protected_party", f.claimant_protected_party, "the claimant is a protected party"),
        ("defendant_protected_party", f.defendant_protected_party, "the defendant is a protected party"),
        ("claimant_bankrupt", f.claimant_bankrupt, "the claimant is bankrupt"),
        ("claimant_personal_representative", f.claimant_personal_representative,
         "the claimant acts as a personal representative of a deceased person"),
        ("defendant_personal_representative", f.defendant_personal_representative,
         "the defendant acts as a personal representative of a deceased person"),
    ]  # fmt: skip
    if kind.road_traffic:
        not_road_user = None if f.defendant_road_user is None else not f.defendant_road_user
        foreign = (
            None if f.other_vehicle_uk_registered is None else not f.other_vehicle_uk_registered
        )
        flags += [
            ("defendant_road_user", not_road_user,
             "the claim is for a breach of duty owed to a road user by a person who is not a road user"),
            ("untraced_driver", f.untraced_driver,
             "the claim is made to the MIB under the Untraced Drivers' Agreement"),
            ("other_vehicle_uk_registered", foreign,
             "the defendant's vehicle is registered outside the United Kingdom"),
        ]  # fmt: skip
    return flags


def _any(flags: list[_Flag]) -> bool | None:
    if any(v is True for _, v, _ in flags):
        return True
    if all(v is False for _, v, _ in flags):
        return False
    return None


def _money(value: Decimal) -> str:
    return format_money(value)


@exact
def which_process(facts: RoutingFacts) -> Route:
    """Say which process a personal injury claim belongs in, with every reason (CPR 26.9).

    A road traffic accident that :func:`~rtaprotocol.eligibility.check_eligibility`
    finds eligible goes to the OIC portal; one it cannot decide gives "cannot tell yet"
    with its questions. Otherwise the dated small claims limits (:data:`SMALL_CLAIMS_LIMITS`)
    decide the small claims track, then the £25,000 protocol upper limit and the
    protocol's exclusions the Claims Portal, then the court tracks.

    >>> from datetime import date
    >>> cyclist = RoutingFacts(
    ...     accident_type="road-traffic", accident_date=date(2023, 3, 1),
    ...     entry_date=date(2023, 4, 3), accident_location="england", road_user="cyclist",
    ...     injury="1000.01", other_protocol_damages="500.00")
    >>> route = which_process(cyclist)   # £1,000 is the limit for a vulnerable road user
    >>> route.verdict, route.codes[-2:], [q.field for q in route.questions][:3]
    ('cannot tell yet', ('injury_above_small_claims_limit', 'protocol_exclusions_unknown'), ['claimant_protected_party', 'defendant_protected_party', 'claimant_bankrupt'])
    >>> which_process(RoutingFacts(accident_type="road-traffic", accident_date=date(2013, 7, 30),
    ...                            entry_date=date(2014, 1, 6)))
    Traceback (most recent call last):
    ...
    rtaprotocol.errors.OutOfCoverageError: accident_date: routing covers accidents on or after 2013-07-31: got datetime.date(2013, 7, 30) [CPR 26.9, 26.10; RTA Protocol para 4; EL/PL Protocol para 4; guide 4.1]
    """
    if not isinstance(facts, RoutingFacts):
        raise RulesTypeError(
            f"expected RoutingFacts, not {type(facts).__name__}",
            value=facts, field="facts", reference=_ROUTE_REFERENCE,
        )  # fmt: skip
    f = facts.claim
    if f.accident_date < ROUTING_COVERS_FROM:
        raise OutOfCoverageError(
            f"routing covers accidents on or after {ROUTING_COVERS_FROM}",
            value=f.accident_date, field="accident_date", reference=_ROUTE_REFERENCE,
        )  # fmt: skip
    b = _Builder(facts)
    kind = facts.accident_type
    if kind is None:
        b.ask("accident_type")
        if f.accident_location is None:
            b.ask("accident_location")
        return b.done(None)
    if f.accident_location is None:
        b.ask("accident_location")
        return b.done(None)
    if not f.accident_location.in_england_or_wales:
        b.reason(
            "outside_england_and_wales",
            f"the accident happened outside England and Wales ({f.accident_location.value}): "
            "the Civil Procedure Rules and these protocols do not apply",
            "CPR 2.1; guide 4.1",
        )
        return b.done(Process.OUTSIDE_ENGLAND_AND_WALES)
    if kind.road_traffic:
        elig = check_eligibility(f)
        b.eligibility = elig
        if elig.eligible is True:
            b.reason(
                "oic_eligible",
                "every requirement of guide 4.1 and 4.2 is met: the claim uses the RTA Small "
                "Claims Protocol through the Official Injury Claim portal",
                "guide 4.1, 4.2; protocol para 4",
            )
            return b.done(Process.OIC_PORTAL)
        if elig.eligible is None:
            for q in elig.questions:
                b.questions.setdefault(q.field, q)
            b.reason(
                "oic_undecided",
                "whether the claim may use the OIC portal depends on the answers below",
                "guide 4.1, 4.2",
            )
            return b.done(None)
        b.reasons.extend(elig.reasons)
        b.reason(
            "not_oic",
            "the claim cannot use the OIC portal (" + ", ".join(elig.codes) + ")",
            "guide 4.1, 4.2",
        )
    return _after_oic(b, facts, kind)


def _after_oic(b: _Builder, facts: RoutingFacts, kind: AccidentType) -> Route:
    f = facts.claim
    missing = [n for n in ("injury", "other_protocol_damages") if getattr(f, n) is None]
    if missing:
        b.ask(*missing)
        return b.done(None)
    assert f.injury is not None
    assert f.other_protocol_damages is not None
    injury, total = f.injury, f.injury + f.other_protocol_damages
    small = _small_claims(b, facts, kind, injury, total)
    if small is None:
        return b.done(None)
    if small:
        return b.done(Process.SMALL_CLAIMS_TRACK)
    upper = b.figure(PROTOCOL_UPPER_LIMIT)
    assert isinstance(upper.value, Decimal)
    protocol = Process.RTA_PROTOCOL if kind.road_traffic else Process.ELPL_PROTOCOL
    name = "the low-value RTA Protocol" if kind.road_traffic else "the low-value EL/PL Protocol"
    para = "RTA Protocol para 4.5" if kind.road_traffic else "EL/PL Protocol para 4.3"
    if total <= upper.value:
        flags = _exclusions(f, kind)
        excluded = _any(flags)
        if excluded is None:
            b.ask(*(n for n, v, _ in flags if v is None))
            b.reason(
                "protocol_exclusions_unknown",
                f"whether {name} applies depends on its exclusions, still unanswered",
                para,
            )
            return b.done(None)
        if not excluded:
            conf = (
                ""
                if kind.road_traffic
                else " [U: the EL/PL exclusions asked are the ones the facts record]"
            )
            b.reason(
                "low_value_protocol",
                f"the claim of {_money(total)} is above the small claims limits and not more "
                f"than the {_money(upper.value)} protocol upper limit "
                f"{upper.confidence.mark}, with none of the exclusions of {para}{conf}: "
                f"{name}, through the Claims Portal",
                f"{upper.reference}; {para}",
            )
            return b.done(protocol)
        for _, present, text in flags:
            if present:
                b.reason("protocol_excluded", f"{name} does not apply: {text}", para)
    else:
        b.reason(
            "above_protocol_upper_limit",
            f"the claim of {_money(total)} is more than the {_money(upper.value)} protocol "
            f"upper limit {upper.confidence.mark}: no portal",
            upper.reference,
        )
    return b.done(_track(b, f, total))


def _rta_injury_limit(
    b: _Builder, f: ClaimFacts, injury: Decimal
) -> tuple[SmallClaimsLimit, str] | None:
    """Pick the road traffic injury limit: £5,000, or £1,000 (CPR 26.10 or before 31 May 2021)."""
    if f.accident_date < _RTA_LIMIT_FROM:
        return _limit("rta_injury", f.accident_date), "a road traffic accident before 31 May 2021"
    flags = _circumstances_26_10(f)
    present = _any(flags)
    rule = _rule(f.entry_date, "26.10", "26.6A")
    if present is None:
        low = _limit("rta_injury_26_10", f.accident_date).amount
        high = _limit("rta_injury", f.accident_date).amount
        if low < injury <= high:
            b.ask(*(n for n, v, _ in flags if v is None))
            b.reason(
                "small_claims_limit_unknown",
                f"the injury claim of {_money(injury)} is within the {_money(high)} road "
                f"traffic limit but above the {_money(low)} limit of {rule}: whether any "
                f"{rule} circumstance applies decides the track",
                rule,
            )
            return None
        why = f"a road traffic accident (the {rule} circumstances do not change the result)"
        return _limit("rta_injury", f.accident_date), why
    if present:
        texts = "; ".join(t for _, v, t in flags if v)
        why = f"a road traffic accident in a {rule} circumstance ({texts})"
        return _limit("rta_injury_26_10", f.accident_date), why
    why = f"a road traffic accident in none of the {rule} circumstances"
    return _limit("rta_injury", f.accident_date), why


def _other_injury_limit(
    b: _Builder, facts: RoutingFacts, injury: Decimal
) -> tuple[SmallClaimsLimit, str] | None:
    """Pick the injury limit of any other claim: £1,500 from 6 April 2022, else £1,000."""
    accident, knowledge = facts.claim.accident_date, facts.date_of_knowledge
    key = accident if knowledge is None else max(accident, knowledge)
    limit = _limit("other_injury", key)
    why = "a personal injury claim that is not a road traffic accident"
    if accident < _OTHER_LIMIT_FROM and knowledge is None:
        high = _limit("other_injury", _OTHER_LIMIT_FROM).amount
        if limit.amount < injury <= high:
            b.ask("date_of_knowledge")
            b.reason(
                "small_claims_limit_unknown",
                f"the accident was before 6 April 2022 and the injury claim of "
                f"{_money(injury)} is between the {_money(limit.amount)} and {_money(high)} "
                "limits: the date of knowledge decides which applies",
                "SI 2022/101 r.2",
            )
            return None
        why += " (the date of knowledge does not change the result)"
    return limit, why


def _small_claims(
    b: _Builder, facts: RoutingFacts, kind: AccidentType, injury: Decimal, total: Decimal
) -> bool | None:
    """Decide whether the small claims track is the normal track (None: cannot tell yet)."""
    f = facts.claim
    total_limit = _limit("total", f.accident_date)
    b.figure(total_limit.sourced("small claims total limit"))
    if kind.road_traffic:
        picked = _rta_injury_limit(b, f, injury)
    else:
        picked = _other_injury_limit(b, facts, injury)
    if picked is None:
        return None
    limit, why = picked
    fig = b.figure(limit.sourced("small claims injury limit"))
    assert isinstance(fig.value, Decimal)
    injury_ok = injury <= limit.amount
    total_ok = total <= total_limit.amount
    if injury_ok and total_ok:
        b.reason(
            "small_claims_track",
            f"{why}: the injury claim of {_money(injury)} is not more than "
            f"{_money(limit.amount)} {limit.confidence.mark} and the claim of {_money(total)} "
            f"is not more than {_money(total_limit.amount)} {total_limit.confidence.mark}: "
            "the small claims track is the normal track, outside any portal",
            f"{limit.reference}; {total_limit.reference}",
        )
        return True
    if not injury_ok:
        b.reason(
            "injury_above_small_claims_limit",
            f"{why}: the injury claim of {_money(injury)} is more than the "
            f"{_money(limit.amount)} small claims limit {limit.confidence.mark}",
            limit.reference,
        )
    if not total_ok:
        b.reason(
            "total_above_small_claims_limit",
            f"the claim of {_money(total)} is more than the {_money(total_limit.amount)} "
            f"small claims limit {total_limit.confidence.mark}",
            total_limit.reference,
        )
    return False


def _track(b: _Builder, f: ClaimFacts, total: Decimal) -> Process:
    fast = b.figure(_FAST_TRACK_LIMIT)
    assert isinstance(fast.value, Decimal)
    if total <= fast.value:
        b.reason(
            "fast_track",
            f"the claim of {_money(total)} is not more than {_money(fast.value)} "
            f"{fast.confidence.mark}: the fast track, no portal",
            fast.reference,
        )
        return Process.FAST_TRACK
    if f.accident_date >= _INTERMEDIATE_FROM:
        mid = b.figure(_INTERMEDIATE_LIMIT)
        assert isinstance(mid.value, Decimal)
        if total <= mid.value:
            b.reason(
                "intermediate_track",
                f"the claim of {_money(total)} is more than {_money(fast.value)} and not more "
                f"than {_money(mid.value)} {mid.confidence.mark}, accident on or after "
                "1 October 2023: the intermediate track, no portal",
                mid.reference,
            )
            return Process.INTERMEDIATE_TRACK
    b.reason(
        "multi_track",
        f"the claim of {_money(total)} is above the fast track"
        + (" and intermediate track" if f.accident_date >= _INTERMEDIATE_FROM else "")
        + " limits: the multi-track, no portal",
        fast.reference,
    )
    return Process.MULTI_TRACK
