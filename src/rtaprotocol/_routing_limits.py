"""The processes, the dated limits and the figures routing uses (CPR 26.9, 26.10; SI 2023/572).

A private part of :mod:`rtaprotocol.routing` (its kinds of accident and claim, the
processes, and its "limits" section: the small claims limits, the mandatory multi-track
claims, the part of a claim's value each limit counts), which re-exports every name:
import them from there.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any, Final, final

from attrs import frozen

from rtaprotocol import _data
from rtaprotocol.errors import OutOfCoverageError
from rtaprotocol.lowvalue import Confidence, Sourced

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
