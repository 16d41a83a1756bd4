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

from rtaprotocol import _data
from rtaprotocol._checks import check_enum, check_optional_bool
from rtaprotocol._decimal import exact
from rtaprotocol._render import html_table, html_verdict, text_table
from rtaprotocol._views import install_views
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
    "MANDATORY_MULTI_TRACK",
    "NEW_TRACKS_FROM",
    "ROUTING_COVERS_FROM",
    "SMALL_CLAIMS_LIMITS",
    "AccidentType",
    "ClaimCategory",
    "MandatoryMultiTrack",
    "Process",
    "Route",
    "RoutingFacts",
    "SmallClaimsLimit",
    "ValuePart",
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


class ClaimCategory(Enum):
    """What the claim is about, where the rules treat it specially (CPR 26.9(10); EL/PL 4.3).

    ``none`` is an ordinary claim. The others are the claims CPR 26.9(10) (as substituted
    from 1 October 2023 by SI 2023/572) sends to the multi-track, and the ones the EL/PL
    Protocol's para 4.3 leaves out (mesothelioma, clinical negligence, harm, abuse or
    neglect of or by children or vulnerable adults). ``police`` is a claim against the
    police that includes an intentional tort or a claim under the Human Rights Act 1998.

    >>> ClaimCategory("mesothelioma").mandatory_multi_track, ClaimCategory("none").mandatory_multi_track
    (True, False)
    """

    NONE = "none"
    MESOTHELIOMA = "mesothelioma"
    ASBESTOS_LUNG_DISEASE = "asbestos-lung-disease"
    CLINICAL_NEGLIGENCE = "clinical-negligence"
    ABUSE = "abuse"
    POLICE = "police"

    @property
    def mandatory_multi_track(self) -> bool:
        """True for a category CPR 26.9(10) sends to the multi-track (see MANDATORY_MULTI_TRACK)."""
        return any(m.category is self for m in MANDATORY_MULTI_TRACK)


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
    MIB_UNTRACED_DRIVERS = (
        "mib-untraced-drivers",
        "Motor Insurers' Bureau",
        (
            "the Motor Insurers' Bureau under the Untraced Drivers' Agreement 2017: the "
            "agreement's own application procedure, no portal and no court track"
        ),
    )
    OIC_PORTAL_MIB = (
        "oic-portal-mib",
        "Official Injury Claim portal",
        (
            "RTA Small Claims Protocol (Official Injury Claim portal), the Motor Insurers' "
            "Bureau as compensator for an uninsured driver"
        ),
    )
    RTA_PROTOCOL_MIB = (
        "rta-protocol-mib",
        "Claims Portal",
        (
            "low-value RTA Protocol (Claims Portal), the Motor Insurers' Bureau as defendant "
            "for an uninsured driver"
        ),
    )

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
            "confidence": self.confidence.code,
        }


_P, _S = Confidence.PRIMARY, Confidence.SECONDARY

#: Every small claims limit the router uses, dated, with source and confidence.
SMALL_CLAIMS_LIMITS: Final[tuple[SmallClaimsLimit, ...]] = tuple(
    SmallClaimsLimit(
        lim.kind, lim.applies_from, lim.applies_until, lim.amount, lim.reference, lim.confidence
    )
    for lim in _data.limits()["small-claims"]
)  # from src/rtaprotocol/data/rules/limits/small-claims.json

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


@final
@frozen
class MandatoryMultiTrack:
    """One kind of claim CPR 26.9(10) allocates to the multi-track, whatever its value.

    The list came in with the intermediate track (CPR 26.9(10) as substituted by SI
    2023/572 from 1 October 2023) and applies only where the new tracks apply (SI 2023/572
    r.2(2)). ``confidence`` marks how far its wording was checked.
    """

    category: ClaimCategory
    description: str
    applies_from: date
    reference: str
    confidence: Confidence

    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data."""
        return {
            "category": self.category.value,
            "description": self.description,
            "applies_from": self.applies_from.isoformat(),
            "reference": self.reference,
            "confidence": self.confidence.code,
        }


_U: Final = Confidence.UNCONFIRMED

#: The claims CPR 26.9(10) sends to the multi-track, dated, each with source and confidence.
#: (a) and (b) were read as quoted from the rule, (e) as applied by the SCCO in 2026 (both
#: [S]); the abuse head is [U]. Other heads of the rule are not encoded (docs say so).
MANDATORY_MULTI_TRACK: Final[tuple[MandatoryMultiTrack, ...]] = (
    MandatoryMultiTrack(ClaimCategory.MESOTHELIOMA, "a mesothelioma claim", date(2023, 10, 1),
                        "CPR 26.9(10)(a) (SI 2023/572)", _S),
    MandatoryMultiTrack(ClaimCategory.ASBESTOS_LUNG_DISEASE, "an asbestos lung disease claim",
                        date(2023, 10, 1), "CPR 26.9(10)(a) (SI 2023/572)", _S),
    MandatoryMultiTrack(ClaimCategory.CLINICAL_NEGLIGENCE,
                        "a claim which includes a claim for clinical negligence, unless it would "
                        "normally be allocated to the intermediate track and breach of duty and "
                        "causation are admitted", date(2023, 10, 1),
                        "CPR 26.9(10)(b) (SI 2023/572; the admission as amended by SI 2024/106 "
                        "from 6 April 2024)", _S),
    MandatoryMultiTrack(ClaimCategory.ABUSE,
                        "a claim for damages in relation to harm, abuse or neglect of or by "
                        "children or vulnerable adults", date(2023, 10, 1),
                        "CPR 26.9(10)(c) (SI 2023/572)", _U),
    MandatoryMultiTrack(ClaimCategory.POLICE,
                        "a claim against the police which includes a claim for an intentional "
                        "tort or under the Human Rights Act 1998", date(2023, 10, 1),
                        "CPR 26.9(10)(e) (SI 2023/572)", _S),
)  # fmt: skip

#: The new tracks (intermediate track, CPR 26.9(10)) apply from this day: to a personal
#: injury claim whose cause of action accrues on or after it (SI 2023/572 r.2(2)(a)); to a
#: disease claim where no letter of claim was sent before it (r.2(2)(b)).
NEW_TRACKS_FROM: Final = date(2023, 10, 1)
_NEW_TRACKS_NON_DISEASE: Final = "SI 2023/572 r.2(2)(a)"
_NEW_TRACKS_DISEASE: Final = "SI 2023/572 r.2(2)(b)"
_NEW_TRACKS_ISSUED: Final = "SI 2023/572 r.2(1)"

_MIB_LIABILITY_RESPONSE: Final = Sourced(
    name="MIB liability response (OIC portal), business days", value=40,
    reference="guide 6.3.1", confidence=_P,
)  # fmt: skip
_MIB_CNF_RESPONSE: Final = Sourced(
    name="MIB response to the Claim Notification Form (RTA Protocol), business days", value=30,
    reference="RTA Protocol para 6.11", confidence=_S,
)  # fmt: skip


@final
@frozen
class ValuePart:
    """One part of the claim's value, and whether a limit counted it.

    ``counted_for_track`` says whether the court's track limits (CPR 26.9, 26.13) count it;
    ``counted_for_portal`` whether the portal or protocol limit does (guide 1.1.1; RTA
    Protocol para 4.4 leaves vehicle-related damages out of the protocol's value).
    """

    name: str
    amount: Decimal
    counted_for_track: bool
    counted_for_portal: bool
    reference: str

    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data (the amount an exact string)."""
        return {
            "name": self.name,
            "amount": str(self.amount),
            "counted_for_track": self.counted_for_track,
            "counted_for_portal": self.counted_for_portal,
            "reference": self.reference,
        }


def _limit(kind: str, day: date) -> SmallClaimsLimit:
    for lim in SMALL_CLAIMS_LIMITS:
        if lim.kind == kind and lim.covers(day):
            return lim
    raise OutOfCoverageError(
        f"no {kind} small claims limit covers this date", value=day, field="accident_date",
        reference=_ROUTE_REFERENCE,
    )  # fmt: skip


# --------------------------------------------------------------------------- facts

_OWN_FIELDS: Final = (
    "accident_type",
    "date_of_knowledge",
    "letter_of_claim_date",
    "uninsured_driver",
    "claim_category",
    "clinical_negligence_admitted",
    "defendant_individual",
    "more_than_one_employer",
)
_OWN_FLAGS: Final[Mapping[str, str]] = {
    "uninsured_driver": "guide 6.3.1; RTA Protocol para 6.11; Uninsured Drivers' Agreement 2015",
    "clinical_negligence_admitted": "CPR 26.9(10)(b)",
    "defendant_individual": "EL/PL Protocol para 4.3",
    "more_than_one_employer": "EL/PL Protocol para 4.3",
}
_CATEGORY_REFERENCE: Final = "CPR 26.9(10); EL/PL Protocol para 4.3"
_LETTER_REFERENCE: Final = "SI 2023/572 r.2(2)(b)"


@final
@frozen(init=False)
class RoutingFacts:
    """The facts routing reads: the accident type, the claim's :class:`ClaimFacts`, and more.

    Build it from a ready :class:`~rtaprotocol.eligibility.ClaimFacts` (``claim=``) or
    from ClaimFacts' own keyword arguments, never both. ``date_of_knowledge`` (optional)
    matters only for a claim that is not a road traffic accident, with an accident
    before 6 April 2022 and an injury claim of more than £1,000 but not more than £1,500
    (SI 2022/101 r.2). For claims that are not road traffic accidents,
    ``other_protocol_damages`` means every other head of damages in the claim's value.

    The other optional answers (each ``None``, "not known", by default):

    - ``letter_of_claim_date``: when the letter of claim was (or will be) sent; for a
      disease claim it decides whether the new tracks apply (SI 2023/572 r.2(2)(b)). It
      cannot be before the accident date.
    - ``uninsured_driver``: the driver is traced but uninsured, so the Motor Insurers'
      Bureau is the compensator within the protocols (guide 6.3.1; RTA Protocol para 6.11).
    - ``claim_category`` (:class:`ClaimCategory`): mesothelioma, asbestos lung disease,
      clinical negligence, abuse, a police claim, or ``none`` (CPR 26.9(10); EL/PL 4.3).
    - ``clinical_negligence_admitted``: breach of duty and causation admitted, the
      exception in CPR 26.9(10)(b).
    - ``defendant_individual``: a public liability claim against an individual, not sued
      in their business capacity or as occupier (EL/PL Protocol para 4.3).
    - ``more_than_one_employer``: a disease claim against more than one employer
      (EL/PL Protocol para 4.3).

    >>> from datetime import date
    >>> facts = RoutingFacts(accident_type="public-liability", accident_date=date(2023, 3, 1),
    ...                      entry_date=date(2023, 4, 3), injury="1500.00")
    >>> facts.accident_type, facts.claim.injury, facts.claim_category
    (<AccidentType.PUBLIC_LIABILITY: 'public-liability'>, Decimal('1500.00'), None)
    >>> RoutingFacts(accident_type="disease", accident_date=date(2023, 3, 1),
    ...              entry_date=date(2023, 4, 3), letter_of_claim_date=date(2023, 2, 28))
    Traceback (most recent call last):
    ...
    rtaprotocol.errors.RulesError: letter_of_claim_date: a letter of claim cannot be sent before the accident on 2023-03-01: got datetime.date(2023, 2, 28) [SI 2023/572 r.2(2)(b)]
    """

    accident_type: AccidentType | None
    date_of_knowledge: date | None
    claim: ClaimFacts
    letter_of_claim_date: date | None
    uninsured_driver: bool | None
    claim_category: ClaimCategory | None
    clinical_negligence_admitted: bool | None
    defendant_individual: bool | None
    more_than_one_employer: bool | None

    def __init__(
        self,
        *,
        accident_type: AccidentType | str | None = None,
        date_of_knowledge: date | None = None,
        claim: ClaimFacts | None = None,
        letter_of_claim_date: date | None = None,
        uninsured_driver: bool | None = None,
        claim_category: ClaimCategory | str | None = None,
        clinical_negligence_admitted: bool | None = None,
        defendant_individual: bool | None = None,
        more_than_one_employer: bool | None = None,
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
        letter = None
        if letter_of_claim_date is not None:
            letter = supported_date(
                letter_of_claim_date, field="letter_of_claim_date", reference=_LETTER_REFERENCE
            )
        category = None
        if claim_category is not None:
            category = check_enum(
                claim_category, ClaimCategory, field="claim_category", reference=_CATEGORY_REFERENCE
            )
        flags = {
            name: check_optional_bool(value, field=name, reference=_OWN_FLAGS[name])
            for name, value in (
                ("uninsured_driver", uninsured_driver),
                ("clinical_negligence_admitted", clinical_negligence_admitted),
                ("defendant_individual", defendant_individual),
                ("more_than_one_employer", more_than_one_employer),
            )
        }
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
        if letter is not None and letter < built.accident_date:
            raise RulesError(
                f"a letter of claim cannot be sent before the accident on {built.accident_date}",
                value=letter, field="letter_of_claim_date", reference=_LETTER_REFERENCE,
            )  # fmt: skip
        self.__attrs_init__(
            accident_type=kind,
            date_of_knowledge=knowledge,
            claim=built,
            letter_of_claim_date=letter,
            claim_category=category,
            **flags,
        )

    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data: the shape :meth:`from_dict` reads back (one flat object).

        >>> from datetime import date
        >>> f = RoutingFacts(accident_type="disease", accident_date=date(2020, 1, 6),
        ...                  entry_date=date(2023, 1, 9), claim_category="mesothelioma",
        ...                  letter_of_claim_date=date(2023, 9, 30))
        >>> RoutingFacts.from_dict(f.to_dict()) == f
        True
        """

        def iso(day: date | None) -> str | None:
            return None if day is None else day.isoformat()

        return {
            "accident_type": None if self.accident_type is None else self.accident_type.value,
            "date_of_knowledge": iso(self.date_of_knowledge),
            "letter_of_claim_date": iso(self.letter_of_claim_date),
            "uninsured_driver": self.uninsured_driver,
            "claim_category": None if self.claim_category is None else self.claim_category.value,
            "clinical_negligence_admitted": self.clinical_negligence_admitted,
            "defendant_individual": self.defendant_individual,
            "more_than_one_employer": self.more_than_one_employer,
            **self.claim.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RoutingFacts:
        """Build facts from parsed JSON (``route-facts.schema.json``), every problem at once.

        The claim's keys are read by :meth:`ClaimFacts.from_dict`; ``accident_type`` and
        ``claim_category`` are slugs or null, ``date_of_knowledge`` and
        ``letter_of_claim_date`` ``YYYY-MM-DD`` strings or null, the other answers
        ``true``, ``false`` or null.

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
        for name, enum in (("accident_type", AccidentType), ("claim_category", ClaimCategory)):
            slug = data.get(name)
            if slug is not None:
                try:
                    kwargs[name] = check_enum(
                        slug, enum, field=f"$.{name}", reference=_SCHEMA_REFERENCE
                    )
                except RulesError as err:
                    problems.append(err)
        for name in ("date_of_knowledge", "letter_of_claim_date"):
            text = data.get(name)
            if text is None:
                continue
            parsed = None
            if isinstance(text, str) and len(text) == 10:
                try:
                    parsed = date.fromisoformat(text)
                except ValueError:
                    parsed = None
            if parsed is None:
                problems.append(
                    RulesError(
                        "a date is a YYYY-MM-DD string or null",
                        value=text,
                        field=f"$.{name}",
                        reference=_SCHEMA_REFERENCE,
                    )
                )
            kwargs[name] = parsed
        for name in _OWN_FLAGS:
            flag = data.get(name)
            if flag is None:
                continue
            if not isinstance(flag, bool):
                problems.append(
                    RulesTypeError(
                        "an answer is true, false or null",
                        value=flag,
                        field=f"$.{name}",
                        reference=_SCHEMA_REFERENCE,
                    )
                )
            kwargs[name] = flag
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
    accidents only); ``value_parts`` are the parts of the claim's value and which limits
    counted each (CPR 26.9, 26.13; guide 1.1.1; RTA Protocol para 4.4), empty until both
    amounts are known. The MIB's response periods, where the MIB is the compensator, are
    among the ``figures``.
    """

    facts: RoutingFacts
    process: Process | None
    reasons: tuple[Reason, ...]
    questions: tuple[Question, ...]
    figures: tuple[Sourced, ...]
    eligibility: EligibilityResult | None
    value_parts: tuple[ValuePart, ...] = ()

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
        if self.value_parts:
            parts = [
                [v.name, v.amount, "yes" if v.counted_for_track else "no",
                 "yes" if v.counted_for_portal else "no", v.reference]
                for v in self.value_parts
            ]  # fmt: skip
            out.append((
                "Value counted",
                ["part", "amount", "track limits", "portal limits", "reference"],
                parts,
            ))  # fmt: skip
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
            "value_parts": [v.to_dict() for v in self.value_parts],
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
        "guide 4.2; RTA Protocol para 4.5; Untraced Drivers' Agreement 2017",
    ),
    "date_of_knowledge": (
        "When did the claimant first know of the injury and its cause (date of knowledge)?",
        "SI 2022/101 r.2; Limitation Act 1980 s.14",
    ),
    "health_and_safety_breach": (
        (
            "Was the injury caused, wholly or in part, by the defendant's breach of a relevant "
            "statutory provision (section 53 of the Health and Safety at Work etc Act 1974)?"
        ),
        "RTA Protocol para 1.1 ('road traffic accident'); guide 4.2",
    ),
    "letter_of_claim_date": (
        (
            "On what date was the letter of claim sent to the defendant (if none has been "
            "sent yet, the date it will be sent)?"
        ),
        _LETTER_REFERENCE,
    ),
    "claim_category": (
        (
            "Is the claim for mesothelioma, an asbestos lung disease, clinical negligence, "
            "harm, abuse or neglect of or by a child or vulnerable adult, against the police "
            "for an intentional tort or under the Human Rights Act 1998, or none of these?"
        ),
        _CATEGORY_REFERENCE,
    ),
    "clinical_negligence_admitted": (
        (
            "Has the defendant admitted both breach of duty and causation (from 6 April "
            "2024: admitted liability in full in its letter of response)?"
        ),
        "CPR 26.9(10)(b)",
    ),
    "defendant_individual": (
        "Is the defendant an individual (not sued in their business capacity or as occupier)?",
        "EL/PL Protocol para 4.3",
    ),
    "more_than_one_employer": (
        "Is the disease claim made against more than one employer?",
        "EL/PL Protocol para 4.3",
    ),
    "uninsured_driver": (
        "Is the driver traced but uninsured (the Motor Insurers' Bureau is the compensator)?",
        _OWN_FLAGS["uninsured_driver"],
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
        self.value_parts: tuple[ValuePart, ...] = ()

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
            value_parts=self.value_parts,
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


_RTA_DEFINITION: Final = "RTA Protocol para 1.1 ('road traffic accident')"


def _category_flag(facts: RoutingFacts, category: ClaimCategory, text: str) -> _Flag:
    cat = facts.claim_category
    return ("claim_category", None if cat is None else cat is category, text)


def _exclusions(facts: RoutingFacts, kind: AccidentType) -> list[tuple[_Flag, str]]:
    """List the low-value protocol's exclusions, each with its paragraph (RTA 4.5; EL/PL 4.3).

    Road traffic: para 4.5's list (the untraced driver is routed to the MIB before this
    step), and the definition of a road traffic accident, which leaves out an injury caused
    wholly or partly by the defendant's breach of a relevant statutory provision (HSWA
    1974 s.53). EL/PL: para 4.3's list as the facts record it.
    """
    f = facts.claim
    rta, elpl = "RTA Protocol para 4.5", "EL/PL Protocol para 4.3"
    para = rta if kind.road_traffic else elpl
    flags: list[tuple[_Flag, str]] = [
        (("claimant_protected_party", f.claimant_protected_party, "the claimant is a protected party"), para),
        (("defendant_protected_party", f.defendant_protected_party, "the defendant is a protected party"), para),
        (("claimant_bankrupt", f.claimant_bankrupt, "the claimant is bankrupt"), para),
        (("claimant_personal_representative", f.claimant_personal_representative,
          "the claimant acts as a personal representative of a deceased person"), para),
        (("defendant_personal_representative", f.defendant_personal_representative,
          "the defendant acts as a personal representative of a deceased person"), para),
    ]  # fmt: skip
    if kind.road_traffic:
        not_road_user = None if f.defendant_road_user is None else not f.defendant_road_user
        foreign = (
            None if f.other_vehicle_uk_registered is None else not f.other_vehicle_uk_registered
        )
        flags += [
            (("defendant_road_user", not_road_user,
              "the claim is for a breach of duty owed to a road user by a person who is not a road user"), rta),
            (("other_vehicle_uk_registered", foreign,
              "the defendant's vehicle is registered outside the United Kingdom"), rta),
            (("health_and_safety_breach", f.health_and_safety_breach,
              ("the injury was caused wholly or in part by the defendant's breach of a relevant "
               "statutory provision (Health and Safety at Work etc Act 1974 s.53), so it is not a "
               "road traffic accident as the protocol defines one; a claim against the claimant's "
               "employer is an employers' liability claim (route it as employers-liability)")),
             _RTA_DEFINITION),
        ]  # fmt: skip
        return flags
    flags += [
        (_category_flag(facts, ClaimCategory.MESOTHELIOMA, "the claim is for mesothelioma"), elpl),
        (_category_flag(facts, ClaimCategory.CLINICAL_NEGLIGENCE,
                        "the claim includes a claim for clinical negligence"), elpl),
        (_category_flag(facts, ClaimCategory.ABUSE,
                        "the claim is for damages in relation to harm, abuse or neglect of or by "
                        "children or vulnerable adults"), elpl),
    ]  # fmt: skip
    if kind is AccidentType.PUBLIC_LIABILITY:
        flags.append(
            (("defendant_individual", facts.defendant_individual,
              ("a public liability claim against an individual (not sued in their business "
               "capacity or as occupier)")), elpl)
        )  # fmt: skip
    if kind is AccidentType.DISEASE:
        flags.append(
            (("more_than_one_employer", facts.more_than_one_employer,
              "a disease claim against more than one employer"), elpl)
        )  # fmt: skip
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

    A road traffic accident against an untraced driver goes to the Motor Insurers' Bureau
    under the Untraced Drivers' Agreement 2017, whatever its value or date: never a
    portal, never a court track (guide 4.2; RTA Protocol para 4.5). A road traffic
    accident that :func:`~rtaprotocol.eligibility.check_eligibility` finds eligible goes
    to the OIC portal (with the MIB as compensator for a traced but uninsured driver,
    guide 6.3.1); one it cannot decide gives "cannot tell yet" with its questions.
    Otherwise: CPR 26.9(10)'s claims go to the multi-track where the new tracks apply;
    the dated small claims limits (:data:`SMALL_CLAIMS_LIMITS`) decide the small claims
    track, counting the whole value including credit hire and other vehicle costs; then
    the £25,000 protocol upper limit and the protocol's exclusions the Claims Portal;
    then the court tracks (the intermediate track only where SI 2023/572 r.2(2) applies).

    >>> from datetime import date
    >>> cyclist = RoutingFacts(
    ...     accident_type="road-traffic", accident_date=date(2023, 3, 1),
    ...     entry_date=date(2023, 4, 3), accident_location="england", road_user="cyclist",
    ...     untraced_driver=False, injury="1000.01", other_protocol_damages="500.00")
    >>> route = which_process(cyclist)   # £1,000 is the limit for a vulnerable road user
    >>> route.verdict, route.codes[-2:], [q.field for q in route.questions][:3]
    ('cannot tell yet', ('injury_above_small_claims_limit', 'protocol_exclusions_unknown'), ['claimant_protected_party', 'defendant_protected_party', 'claimant_bankrupt'])
    >>> which_process(RoutingFacts(accident_type="road-traffic", accident_date=date(2023, 3, 1),
    ...     entry_date=date(2023, 4, 3), accident_location="wales", untraced_driver=True,
    ...     injury="90000", other_protocol_damages="0")).verdict   # value plays no part
    'mib-untraced-drivers'
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
    _set_value_parts(b, facts, kind)
    if not kind.road_traffic:
        if f.untraced_driver is True:
            b.reason(
                "untraced_driver_not_this_claim",
                f"the facts say the driver is untraced, but this is an {kind.value} claim: a "
                "claim against the untraced driver is a road traffic accident claim, made to "
                "the Motor Insurers' Bureau (route it as road-traffic); this claim is routed "
                "on its own",
                "guide 4.2; Untraced Drivers' Agreement 2017",
            )
        return _after_oic(b, facts, kind)
    elig = check_eligibility(f)
    b.eligibility = elig
    if f.untraced_driver is True:
        b.reasons.extend(elig.reasons)
        return _mib_untraced(b)
    if elig.eligible is True:
        if facts.uninsured_driver is True:
            b.reason(
                "oic_eligible",
                "every requirement of guide 4.1 and 4.2 is met: the claim uses the RTA Small "
                "Claims Protocol through the Official Injury Claim portal",
                "guide 4.1, 4.2; protocol para 4",
            )
            b.figure(_MIB_LIABILITY_RESPONSE)
            b.reason(
                "mib_compensator",
                "the driver is traced but uninsured: the Motor Insurers' Bureau (or its agents) "
                "is the compensator and gives its liability response within 40 business days "
                "of the claim's entry, not 30",
                "guide 6.3.1",
            )
            return b.done(Process.OIC_PORTAL_MIB)
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
    if f.untraced_driver is None:
        b.ask("untraced_driver")
        b.reason(
            "untraced_driver_unknown",
            "whether the driver is untraced decides the route: a claim against an untraced "
            "driver goes to the Motor Insurers' Bureau under the Untraced Drivers' Agreement "
            "2017, never to a portal or a court track",
            "guide 4.2; RTA Protocol para 4.5; Untraced Drivers' Agreement 2017",
        )
        return b.done(None)
    return _after_oic(b, facts, kind)


def _mib_untraced(b: _Builder) -> Route:
    """Route an untraced driver's claim to the MIB (guide 4.2; RTA Protocol para 4.5)."""
    b.reason(
        "mib_untraced_driver",
        "the claim is against an untraced driver: there is no defendant to sue, so it is "
        "neither a portal claim (guide 4.2) nor a low-value RTA Protocol claim (para 4.5) nor "
        "a court track claim; it is made to the Motor Insurers' Bureau under the Untraced "
        "Drivers' Agreement 2017, by the agreement's own application procedure",
        "guide 4.2; RTA Protocol para 4.5; Untraced Drivers' Agreement 2017",
    )
    return b.done(Process.MIB_UNTRACED_DRIVERS)


def _set_value_parts(b: _Builder, facts: RoutingFacts, kind: AccidentType) -> None:
    """Record each part of the value and the limits that count it (CPR 26.9; guide 1.1.1)."""
    f = facts.claim
    if f.injury is None or f.other_protocol_damages is None:
        return
    rta = kind.road_traffic
    b.value_parts = (
        ValuePart("injury (pain, suffering and loss of amenity)", f.injury, True, True,
                  "CPR 26.9(1)(a); guide 4.1"),
        ValuePart("other protocol damages" if rta else "other damages", f.other_protocol_damages,
                  True, True, "CPR 26.9(1)(a)(i); guide 1.1, 4.1"),
        ValuePart("non-protocol vehicle costs (credit hire and other vehicle losses paid by "
                  "an insurer, credit hire or other organisation)", f.non_protocol_vehicle_costs,
                  True, not rta,
                  "CPR 26.9(1)(a)(i), 26.13; guide 1.1.1; RTA Protocol para 4.4"),
        ValuePart("fees (medical report and other fees)", f.fees, False, False,
                  "CPR 26.13 (costs are disregarded); guide 5.3"),
    )  # fmt: skip


def _new_tracks(b: _Builder, facts: RoutingFacts, kind: AccidentType) -> bool | None:
    """Whether the new tracks apply (SI 2023/572 r.2); None: the letter date is asked.

    Only where proceedings are issued on or after 1 October 2023 (r.2(1); the claim is
    taken as started on ``entry_date``, as for CPR 26.10). Then a claim other than a
    disease claim: the cause of action (the accident) on or after 1
    October 2023 (r.2(2)(a)). A disease claim: no letter of claim sent before that day
    (r.2(2)(b)); an accident on or after it needs no letter date (a letter is never
    earlier than the accident).
    """
    f = facts.claim
    if f.entry_date < NEW_TRACKS_FROM:
        return False  # r.2(1): only claims where proceedings are issued on or after that day
    if kind is not AccidentType.DISEASE:
        return f.accident_date >= NEW_TRACKS_FROM
    if facts.letter_of_claim_date is not None:
        return facts.letter_of_claim_date >= NEW_TRACKS_FROM
    if f.accident_date >= NEW_TRACKS_FROM:
        return True
    b.ask("letter_of_claim_date")
    b.reason(
        "letter_of_claim_date_unknown",
        "a disease claim is under the tracks in force from 1 October 2023 (the intermediate "
        "track, CPR 26.9(10)) only if no letter of claim was sent before that day: the date "
        "the letter of claim was sent decides the track",
        _NEW_TRACKS_DISEASE,
    )
    return None


def _new_tracks_why(facts: RoutingFacts, kind: AccidentType) -> tuple[str, str]:
    if facts.claim.entry_date < NEW_TRACKS_FROM:
        return (
            f"the claim started on {facts.claim.entry_date.isoformat()}, before 1 October 2023",
            _NEW_TRACKS_ISSUED,
        )
    if kind is AccidentType.DISEASE:
        letter = facts.letter_of_claim_date
        when = (
            "no letter of claim before 1 October 2023"
            if letter is None
            else f"letter of claim sent {letter.isoformat()}"
        )
        return when, _NEW_TRACKS_DISEASE
    return "cause of action on or after 1 October 2023", _NEW_TRACKS_NON_DISEASE


def _mandatory_multi_track(
    b: _Builder, facts: RoutingFacts, kind: AccidentType, total: Decimal
) -> bool | None:
    """Whether CPR 26.9(10) sends the claim to the multi-track (None: cannot tell yet)."""
    category = facts.claim_category
    if category is None:
        if kind.road_traffic:
            return False  # read as none: the list's heads are not road traffic claims
        new = _new_tracks(_Builder(facts), facts, kind)  # a probe: ask nothing yet
        if new is False:
            return False
        b.ask("claim_category")
        b.reason(
            "claim_category_unknown",
            "the claim is under the tracks in force from 1 October 2023 (or may be): whether "
            "it is one CPR 26.9(10) sends to the multi-track decides the track",
            "CPR 26.9(10)",
        )
        return None
    if not category.mandatory_multi_track:
        return False
    head = next(m for m in MANDATORY_MULTI_TRACK if m.category is category)
    new = _new_tracks(b, facts, kind)
    if new is None:
        return None
    if not new:
        when = "the accident" if kind is not AccidentType.DISEASE else "the letter of claim"
        if facts.claim.entry_date < NEW_TRACKS_FROM:
            when = "the claim's start (proceedings issued)"
        b.reason(
            "mandatory_multi_track_not_in_force",
            f"{head.description}: CPR 26.9(10) does not apply, {when} being before 1 October "
            "2023; the track follows the value (the court may still allocate it to the "
            "multi-track for its complexity, CPR 26.13)",
            _new_tracks_why(facts, kind)[1],
        )
        return False
    if category is ClaimCategory.CLINICAL_NEGLIGENCE:
        fast, mid = _FAST_TRACK_LIMIT.value, _INTERMEDIATE_LIMIT.value
        assert isinstance(fast, Decimal)
        assert isinstance(mid, Decimal)
        if fast < total <= mid:
            admitted = facts.clinical_negligence_admitted
            if admitted is None:
                b.ask("clinical_negligence_admitted")
                b.reason(
                    "clinical_negligence_admission_unknown",
                    f"a clinical negligence claim of {_money(total)} would normally be "
                    "allocated to the intermediate track: it stays there only if breach of "
                    "duty and causation are admitted",
                    head.reference,
                )
                return None
            if admitted:
                b.reason(
                    "clinical_negligence_admitted",
                    f"a clinical negligence claim of {_money(total)}, which would normally be "
                    "allocated to the intermediate track, with breach of duty and causation "
                    "admitted: CPR 26.9(10)(b) does not send it to the multi-track",
                    head.reference,
                )
                return False
    why, ref = _new_tracks_why(facts, kind)
    b.reason(
        "mandatory_multi_track",
        f"{head.description} ({why}): CPR 26.9(10) allocates it to the multi-track whatever "
        f"its value {head.confidence.mark}",
        f"{head.reference}; {ref}",
    )
    return True


def _after_oic(b: _Builder, facts: RoutingFacts, kind: AccidentType) -> Route:
    f = facts.claim
    missing = [n for n in ("injury", "other_protocol_damages") if getattr(f, n) is None]
    if missing:
        b.ask(*missing)
        return b.done(None)
    assert f.injury is not None
    assert f.other_protocol_damages is not None
    injury = f.injury
    protocol_value = injury + f.other_protocol_damages
    total = protocol_value + f.non_protocol_vehicle_costs
    if not kind.road_traffic:
        protocol_value = total
    if f.non_protocol_vehicle_costs:
        b.reason(
            "whole_value_counted",
            f"the court's track limits count the whole value of the claim, {_money(total)}, "
            f"including {_money(f.non_protocol_vehicle_costs)} of non-protocol vehicle costs "
            "(credit hire and other vehicle losses)"
            + (
                "; the low-value RTA Protocol's upper limit leaves vehicle-related damages out"
                if kind.road_traffic
                else ""
            ),
            "CPR 26.9(1)(a)(i), 26.13" + ("; RTA Protocol para 4.4" if kind.road_traffic else ""),
        )
    mandatory = _mandatory_multi_track(b, facts, kind, total)
    if mandatory is None:
        return b.done(None)
    if not mandatory:
        small = _small_claims(b, facts, kind, injury, total)
        if small is None:
            return b.done(None)
        if small:
            return _court(b, facts, kind, Process.SMALL_CLAIMS_TRACK)
    upper = b.figure(PROTOCOL_UPPER_LIMIT)
    assert isinstance(upper.value, Decimal)
    protocol = Process.RTA_PROTOCOL if kind.road_traffic else Process.ELPL_PROTOCOL
    name = "the low-value RTA Protocol" if kind.road_traffic else "the low-value EL/PL Protocol"
    if protocol_value <= upper.value:
        listed = _exclusions(facts, kind)
        flags = [flag for flag, _ in listed]
        paras = list(dict.fromkeys(para for _, para in listed))
        excluded = _any(flags)
        if excluded is None:
            b.ask(*(n for n, v, _ in flags if v is None))
            b.reason(
                "protocol_exclusions_unknown",
                f"whether {name} applies depends on its exclusions, still unanswered",
                "; ".join(dict.fromkeys(para for (_, v, _), para in listed if v is None)),
            )
            return b.done(None)
        if not excluded:
            valued = (
                f"the claim of {_money(protocol_value)}"
                if protocol_value == total
                else f"the claim of {_money(total)}, valued at {_money(protocol_value)} for the "
                "protocol (vehicle-related damages left out, RTA Protocol para 4.4),"
            )
            b.reason(
                "low_value_protocol",
                f"{valued} is above the small claims limits and not more than the "
                f"{_money(upper.value)} protocol upper limit {upper.confidence.mark}, with none "
                f"of the exclusions ({'; '.join(paras)}): {name}, through the Claims Portal",
                f"{upper.reference}; {'; '.join(paras)}",
            )
            if mandatory:
                b.reason(
                    "multi_track_if_issued",
                    "if proceedings are issued, the claim must be allocated to the multi-track",
                    "CPR 26.9(10)",
                )
            if kind.road_traffic and facts.uninsured_driver is True:
                b.figure(_MIB_CNF_RESPONSE)
                b.reason(
                    "mib_defendant",
                    "the driver is traced but uninsured: the Motor Insurers' Bureau is the "
                    "defendant under the protocol and responds to the Claim Notification Form "
                    "within 30 business days, not 15",
                    "RTA Protocol para 1.1; RTA Protocol para 6.11; Uninsured Drivers' Agreement 2015",
                )
                return b.done(Process.RTA_PROTOCOL_MIB)
            return b.done(protocol)
        for (_, present, text), para in listed:
            if present:
                b.reason("protocol_excluded", f"{name} does not apply: {text}", para)
    else:
        b.reason(
            "above_protocol_upper_limit",
            f"the claim of {_money(protocol_value)} is more than the {_money(upper.value)} "
            f"protocol upper limit {upper.confidence.mark}: no portal",
            upper.reference,
        )
    if mandatory:
        b.reason(
            "multi_track",
            f"the claim of {_money(total)} must be allocated to the multi-track: the "
            "multi-track, no portal",
            "CPR 26.9(10)",
        )
        return _court(b, facts, kind, Process.MULTI_TRACK)
    track = _track(b, facts, kind, total)
    if track is None:
        return b.done(None)
    return _court(b, facts, kind, track)


def _court(b: _Builder, facts: RoutingFacts, kind: AccidentType, track: Process) -> Route:
    """Finish a court route; an uninsured driver's claim names the MIB as co-defendant."""
    if kind.road_traffic and facts.uninsured_driver is True:
        b.reason(
            "mib_uninsured_driver",
            "the driver is traced but uninsured: the claim is brought against the driver and "
            "the Motor Insurers' Bureau, which meets an unsatisfied judgment under the "
            "Uninsured Drivers' Agreement 2015",
            "Uninsured Drivers' Agreement 2015",
        )
    return b.done(track)


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


def _track(b: _Builder, facts: RoutingFacts, kind: AccidentType, total: Decimal) -> Process | None:
    """Fast, intermediate or multi-track by value (CPR 26.9); None: the letter date is asked."""
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
    mid_value = _INTERMEDIATE_LIMIT.value
    assert isinstance(mid_value, Decimal)
    new: bool | None = False
    if total <= mid_value or kind is not AccidentType.DISEASE:
        new = _new_tracks(b, facts, kind)
    if new is None:
        return None
    if new:
        mid = b.figure(_INTERMEDIATE_LIMIT)
        why, ref = _new_tracks_why(facts, kind)
        if total <= mid_value:
            b.reason(
                "intermediate_track",
                f"the claim of {_money(total)} is more than {_money(fast.value)} and not more "
                f"than {_money(mid_value)} {mid.confidence.mark}, {why}: the intermediate "
                "track, no portal",
                f"{mid.reference}; {ref}",
            )
            return Process.INTERMEDIATE_TRACK
    b.reason(
        "multi_track",
        f"the claim of {_money(total)} is above the fast track"
        + (" and intermediate track" if new else "")
        + " limits: the multi-track, no portal",
        fast.reference,
    )
    return Process.MULTI_TRACK


install_views(globals())  # notebook views of every public class (rtaprotocol._views)
