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

from datetime import date
from decimal import Decimal
from typing import Final

from rtaprotocol import (
    _public,
)
from rtaprotocol._checks import wrong_type
from rtaprotocol._decimal import exact
from rtaprotocol._routing_facts import (  # noqa: F401 (re-exported)
    _CATEGORY_REFERENCE,
    _LETTER_REFERENCE,
    _OWN_FIELDS,
    _OWN_FLAGS,
    RoutingFacts,
    _json_path,
)
from rtaprotocol._routing_limits import (  # noqa: F401 (re-exported)
    _FAST_TRACK_LIMIT,
    _INTERMEDIATE_FROM,
    _INTERMEDIATE_LIMIT,
    _MIB_CNF_RESPONSE,
    _MIB_LIABILITY_RESPONSE,
    _NEW_TRACKS_DISEASE,
    _NEW_TRACKS_ISSUED,
    _NEW_TRACKS_NON_DISEASE,
    _OTHER_LIMIT_FROM,
    _P,
    _RENUMBERED_FROM,
    _ROUTE_REFERENCE,
    _RTA_LIMIT_FROM,
    _S,
    _SCHEMA_REFERENCE,
    _U,
    MANDATORY_MULTI_TRACK,
    NEW_TRACKS_FROM,
    ROUTING_COVERS_FROM,
    SMALL_CLAIMS_LIMITS,
    AccidentType,
    ClaimCategory,
    MandatoryMultiTrack,
    Process,
    SmallClaimsLimit,
    ValuePart,
    _limit,
)
from rtaprotocol._routing_route import (
    _QUESTIONS,
    Route,
)
from rtaprotocol._views import install_views
from rtaprotocol.deadlines import eighteenth_birthday
from rtaprotocol.eligibility import (
    ClaimFacts,
    EligibilityResult,
    Question,
    Reason,
    check_eligibility,
)
from rtaprotocol.errors import OutOfCoverageError
from rtaprotocol.lowvalue import PROTOCOL_UPPER_LIMIT, Sourced
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

# Defined in the private modules above, named here (reprs, docs, pickles, doctests).
_public.publish(
    globals(),
    [
        "ROUTING_COVERS_FROM",
        "AccidentType",
        "ClaimCategory",
        "Process",
        "SmallClaimsLimit",
        "SMALL_CLAIMS_LIMITS",
        "MandatoryMultiTrack",
        "MANDATORY_MULTI_TRACK",
        "NEW_TRACKS_FROM",
        "ValuePart",
        "RoutingFacts",
        "Route",
    ],
)


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
        raise wrong_type(facts, "RoutingFacts", field="facts", reference=_ROUTE_REFERENCE)
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
