"""Tests for rtaprotocol.routing: which process a claim belongs in (CPR 26.9/26.10, guide 4.1)."""

from __future__ import annotations

import importlib.resources
import json
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import jsonschema
import pytest
from attrs import evolve as attrs_evolve
from hypothesis import given
from hypothesis import strategies as st

import golden_errors
from facts import OIC_RTA
from rtaprotocol.eligibility import ClaimFacts, check_eligibility
from rtaprotocol.errors import InvalidInput, OutOfCoverageError, RulesError, RulesTypeError
from rtaprotocol.lowvalue import Confidence
from rtaprotocol.routing import (
    MANDATORY_MULTI_TRACK,
    NEW_TRACKS_FROM,
    ROUTING_COVERS_FROM,
    SMALL_CLAIMS_LIMITS,
    AccidentType,
    ClaimCategory,
    Process,
    Route,
    RoutingFacts,
    _limit,
    which_process,
)
from strategies import money

SCHEMA = importlib.resources.files("rtaprotocol") / "data" / "schemas" / "route-facts.schema.json"

#: An OIC-eligible road traffic accident: every answer known and passing.
RTA: dict[str, Any] = OIC_RTA

#: Not OIC (the claimant does not have the other vehicle's registration number, guide 4.1,
#: 4.3, though the driver was traced) but in none of the CPR 26.10 circumstances and none of
#: the low-value RTA Protocol's exclusions: the £5,000 limit applies. (A health and safety
#: breach, used here before, takes the claim out of the RTA Protocol's definition of a road
#: traffic accident: see the tests of that finding.)
RTA_NOT_OIC = {**RTA, "other_vehicle_registration_known": False}

EL: dict[str, Any] = {
    "accident_type": "employers-liability",
    "accident_date": date(2023, 3, 1),
    "entry_date": date(2023, 4, 3),
    "accident_location": "wales",
    "claimant_protected_party": False,
    "defendant_protected_party": False,
    "claimant_bankrupt": False,
    "claimant_personal_representative": False,
    "defendant_personal_representative": False,
    "injury": "1500.00",
    "other_protocol_damages": "0",
    # EL/PL Protocol para 4.3's other exclusions, and CPR 26.9(10): none of them
    "claim_category": "none",
    "defendant_individual": False,
    "more_than_one_employer": False,
}


def route(base: dict[str, Any], **changes: Any) -> Route:
    return which_process(RoutingFacts(**{**base, **changes}))


# --------------------------------------------------------------------------- branches


def test_oic_eligible_road_traffic_accident_goes_to_the_oic_portal():
    r = route(RTA)
    assert r.process is Process.OIC_PORTAL
    assert r.codes == ("oic_eligible",)
    assert r.eligibility is not None
    assert r.eligibility.eligible is True
    assert r.questions == ()


def test_outside_england_and_wales():
    r = route(RTA, accident_location="scotland")
    assert r.process is Process.OUTSIDE_ENGLAND_AND_WALES
    assert r.codes == ("outside_england_and_wales",)
    assert route(EL, accident_location="elsewhere").process is Process.OUTSIDE_ENGLAND_AND_WALES


@pytest.mark.parametrize(
    ("injury", "process"),
    [("5000.00", Process.SMALL_CLAIMS_TRACK), ("5000.01", Process.RTA_PROTOCOL)],
)
def test_5000_rta_injury_boundary(injury, process):
    r = route(RTA_NOT_OIC, injury=injury, other_protocol_damages="100")
    assert r.process is process
    assert "registration_unknown" in r.codes
    assert "not_oic" in r.codes
    limit = next(f for f in r.figures if f.name == "small claims injury limit")
    assert limit.value == Decimal("5000.00")
    assert limit.confidence is Confidence.PRIMARY


@pytest.mark.parametrize(
    ("injury", "process"),
    [("1000.00", Process.SMALL_CLAIMS_TRACK), ("1000.01", Process.RTA_PROTOCOL)],
)
def test_1000_boundary_for_a_cyclist(injury, process):
    r = route(RTA, road_user="cyclist", injury=injury, other_protocol_damages="0")
    assert r.process is process
    assert "vulnerable_road_user" in r.codes
    reason = next(x for x in r.reasons if x.code.endswith(("track", "limit")))
    assert "vulnerable road user" in reason.message


@pytest.mark.parametrize(
    ("injury", "process"),
    [("1000.00", Process.SMALL_CLAIMS_TRACK), ("1000.01", Process.RTA_PROTOCOL)],
)
def test_a_child_has_the_1000_limit_and_may_use_the_rta_protocol(injury, process):
    # Under 18 on the day the claim is started: CPR 26.10, and not the OIC portal.
    r = route(RTA, date_of_birth=date(2005, 4, 4), injury=injury, other_protocol_damages="0")
    assert r.process is process
    assert "claimant_under_18" in r.codes


def test_an_18th_birthday_on_the_entry_date_is_not_a_child():
    r = route(
        RTA_NOT_OIC, date_of_birth=date(2005, 4, 3), injury="3000", other_protocol_damages="0"
    )
    assert r.process is Process.SMALL_CLAIMS_TRACK


def test_foreign_registered_defendant_vehicle():
    small = route(RTA, other_vehicle_uk_registered=False, injury="1000", other_protocol_damages="0")
    assert small.process is Process.SMALL_CLAIMS_TRACK
    assert "other_vehicle_not_uk_registered" in small.codes
    # Above £1,000: the low-value RTA Protocol excludes it too (para 4.5), so the fast track.
    fast = route(RTA, other_vehicle_uk_registered=False, injury="3000", other_protocol_damages="0")
    assert fast.process is Process.FAST_TRACK
    assert "protocol_excluded" in fast.codes
    assert any("registered outside" in r.message for r in fast.reasons)


@pytest.mark.parametrize(
    ("accident", "process"),
    [(date(2021, 5, 30), Process.RTA_PROTOCOL), (date(2021, 5, 31), Process.OIC_PORTAL)],
)
def test_30_and_31_may_2021(accident, process):
    r = route(RTA, accident_date=accident, entry_date=date(2021, 7, 1), injury="3000")
    assert r.process is process
    if process is Process.RTA_PROTOCOL:
        assert "accident_before_31_may_2021" in r.codes
        assert any("before 31 May 2021" in x.message for x in r.reasons)


def test_before_31_may_2021_the_small_claims_limit_is_1000():
    r = route(RTA, accident_date=date(2021, 5, 30), entry_date=date(2021, 7, 1), injury="1000")
    assert r.process is Process.SMALL_CLAIMS_TRACK
    limit = next(f for f in r.figures if f.name == "small claims injury limit")
    assert limit.value == Decimal("1000.00")


@pytest.mark.parametrize(
    ("other", "process"),
    [("6000.00", Process.SMALL_CLAIMS_TRACK), ("6000.01", Process.RTA_PROTOCOL)],
)
def test_10000_total_boundary(other, process):
    r = route(RTA_NOT_OIC, injury="4000.00", other_protocol_damages=other)
    assert r.process is process
    if process is Process.RTA_PROTOCOL:
        assert "total_above_small_claims_limit" in r.codes


@pytest.mark.parametrize(
    ("other", "accident", "process"),
    [
        ("19000.00", date(2023, 3, 1), Process.RTA_PROTOCOL),
        ("19000.01", date(2023, 3, 1), Process.MULTI_TRACK),
        ("19000.01", date(2023, 10, 1), Process.INTERMEDIATE_TRACK),
        ("94000.00", date(2023, 10, 1), Process.INTERMEDIATE_TRACK),
        ("94000.01", date(2023, 10, 1), Process.MULTI_TRACK),
    ],
)
def test_25000_and_track_boundaries(other, accident, process):
    r = route(
        RTA_NOT_OIC,
        injury="6000.00",
        other_protocol_damages=other,
        accident_date=accident,
        entry_date=date(2023, 11, 1),
    )
    assert r.process is process


def test_fast_track_when_excluded_from_the_protocol():
    r = route(RTA_NOT_OIC, defendant_road_user=False, injury="6000", other_protocol_damages="0")
    assert r.process is Process.FAST_TRACK
    assert r.codes[-2:] == ("protocol_excluded", "fast_track")


@pytest.mark.parametrize(
    ("injury", "process"),
    [("1500.00", Process.SMALL_CLAIMS_TRACK), ("1500.01", Process.ELPL_PROTOCOL)],
)
@pytest.mark.parametrize("kind", ["employers-liability", "public-liability", "disease"])
def test_1500_boundary_for_other_personal_injury(kind, injury, process):
    r = route(EL, accident_type=kind, injury=injury)
    assert r.process is process
    assert r.eligibility is None


def test_other_personal_injury_before_6_april_2022_depends_on_the_date_of_knowledge():
    early = {**EL, "accident_date": date(2022, 4, 5), "entry_date": date(2022, 6, 1)}
    unknown = route(early, injury="1200")
    assert unknown.process is None
    assert [q.field for q in unknown.questions] == ["date_of_knowledge"]
    assert route(early, injury="1200", date_of_knowledge=date(2022, 4, 6)).process is (
        Process.SMALL_CLAIMS_TRACK
    )
    assert route(early, injury="1200", date_of_knowledge=date(2022, 4, 5)).process is (
        Process.ELPL_PROTOCOL
    )
    # Outside the £1,000-£1,500 gap the date of knowledge does not matter.
    assert route(early, injury="1000").process is Process.SMALL_CLAIMS_TRACK
    assert route(early, injury="1500.01").process is Process.ELPL_PROTOCOL
    assert route({**EL, "accident_date": date(2022, 4, 6)}, injury="1500").process is (
        Process.SMALL_CLAIMS_TRACK
    )


def test_elpl_protocol_exclusions():
    r = route(EL, injury="3000", claimant_protected_party=True)
    assert r.process is Process.FAST_TRACK
    assert "protocol_excluded" in r.codes


# --------------------------------------------------------------------------- cannot tell


def test_unknown_accident_type_and_place():
    r = route(RTA, accident_type=None, accident_location=None)
    assert r.process is None
    assert r.verdict == "cannot tell yet"
    assert [q.field for q in r.questions] == ["accident_type", "accident_location"]
    assert route(EL, accident_location=None).process is None


def test_oic_undecided_asks_the_eligibility_questions():
    r = route(RTA, claimant_bankrupt=None)
    assert r.process is None
    assert r.codes == ("oic_undecided",)
    assert [q.field for q in r.questions] == ["claimant_bankrupt"]


def test_unknown_amounts_are_asked():
    r = route(EL, injury=None, other_protocol_damages=None)
    assert [q.field for q in r.questions] == ["injury", "other_protocol_damages"]


def test_unknown_26_10_circumstances_only_matter_between_1000_and_5000():
    base = {**RTA_NOT_OIC, "road_user": None, "date_of_birth": None, "other_protocol_damages": "0"}
    undecided = route(base, injury="3000")
    assert undecided.process is None
    assert {q.field for q in undecided.questions} == {"road_user", "date_of_birth"}
    assert "small_claims_limit_unknown" in undecided.codes
    assert route(base, injury="1000").process is Process.SMALL_CLAIMS_TRACK
    assert route(base, injury="5000.01").process is Process.RTA_PROTOCOL


def test_unknown_protocol_exclusions_are_asked():
    r = route(EL, injury="3000", claimant_bankrupt=None)
    assert r.process is None
    assert [q.field for q in r.questions] == ["claimant_bankrupt"]
    assert "protocol_exclusions_unknown" in r.codes


# --------------------------------------------------------------------------- references


@pytest.mark.parametrize(
    ("entry", "rule"), [(date(2023, 9, 30), "CPR 26.6A"), (date(2023, 10, 1), "CPR 26.10")]
)
def test_the_rule_is_cited_by_its_number_on_the_entry_date(entry, rule):
    r = route(
        RTA, road_user="pedestrian", injury="900", other_protocol_damages="0", entry_date=entry
    )
    assert rule in r.reasons[-1].message


def test_every_limit_is_dated_sourced_and_marked():
    kinds = {lim.kind for lim in SMALL_CLAIMS_LIMITS}
    assert kinds == {"total", "rta_injury", "rta_injury_26_10", "other_injury"}
    for lim in SMALL_CLAIMS_LIMITS:
        assert lim.reference
        assert lim.to_dict()["confidence"] in {"P", "S", "U"}
    other = [lim for lim in SMALL_CLAIMS_LIMITS if lim.kind == "other_injury"]
    assert [(o.applies_until, o.amount) for o in other] == [
        (date(2022, 4, 5), Decimal("1000.00")),
        (None, Decimal("1500.00")),
    ]


def test_out_of_coverage_before_31_july_2013():
    with pytest.raises(OutOfCoverageError) as info:
        route(RTA, accident_date=ROUTING_COVERS_FROM - timedelta(days=1))
    assert info.value.field == "accident_date"
    assert route(RTA_NOT_OIC, accident_date=ROUTING_COVERS_FROM, injury="900").process is (
        Process.SMALL_CLAIMS_TRACK
    )


# --------------------------------------------------------------------------- facts


def test_facts_from_a_claim_facts_and_errors():
    claim = ClaimFacts(accident_date=date(2023, 3, 1), entry_date=date(2023, 4, 3))
    facts = RoutingFacts(accident_type=AccidentType.DISEASE, claim=claim)
    assert facts.claim is claim
    with pytest.raises(RulesError, match="not both"):
        RoutingFacts(claim=claim, injury="10")
    with pytest.raises(RulesTypeError):
        RoutingFacts(claim={"accident_date": "2023-03-01"})  # type: ignore[arg-type]
    with pytest.raises(RulesError):
        RoutingFacts(accident_type="boat", claim=claim)
    with pytest.raises(RulesTypeError):
        which_process(claim)  # type: ignore[arg-type]


def test_from_dict_round_trip_and_every_problem():
    facts = RoutingFacts(**RTA, date_of_knowledge=date(2023, 3, 2))
    assert RoutingFacts.from_dict(json.loads(json.dumps(facts.to_dict()))) == facts
    with pytest.raises(InvalidInput) as info:
        RoutingFacts.from_dict(
            {"accident_type": "ship", "date_of_knowledge": "2023-02-30", "accident_date": "x"}
        )
    fields = [p.field for p in info.value.problems]
    assert fields[:2] == ["$.accident_type", "$.date_of_knowledge"]
    assert "$.accident_date" in fields or "$.entry_date" in fields
    with pytest.raises(RulesTypeError):
        RoutingFacts.from_dict([])  # type: ignore[arg-type]
    # A cross-field rule of ClaimFacts is reported with its JSON path.
    with pytest.raises(InvalidInput) as info:
        RoutingFacts.from_dict({"accident_date": "2023-03-01", "entry_date": "2023-02-01"})
    assert info.value.problems[0].field == "$.entry_date"


def test_schema_matches_from_dict():
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    data = RoutingFacts(**RTA).to_dict()
    jsonschema.validate(data, schema, format_checker=jsonschema.FormatChecker())
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**data, "accident_type": "boat"}, schema)


def test_route_renders():
    r = route(RTA_NOT_OIC, injury="6000", other_protocol_damages="0")
    text = str(r)
    assert "Figures used" in text
    assert "[P]" in text
    assert "[S]" in text
    assert "<table" in r._repr_html_()
    data = json.loads(json.dumps(r.to_dict()))
    assert data["process"] == "rta-protocol"
    assert data["system"] == "Claims Portal"
    assert {f["confidence"] for f in data["figures"]} <= {"P", "S", "U"}
    undecided = route(EL, injury=None).to_dict()
    assert undecided["process"] is None
    assert undecided["questions"]
    assert "Questions to answer" in str(route(EL, injury=None))


# --------------------------------------------------------------------------- properties

_FLAGS = {
    "someone_else_to_blame": True,
    "other_vehicle_registration_known": True,
    "other_vehicle_uk_registered": True,
    "claimant_protected_party": False,
    "defendant_protected_party": False,
    "health_and_safety_breach": False,
    "defendant_road_user": True,
    "untraced_driver": False,
    "claimant_personal_representative": False,
    "defendant_personal_representative": False,
    "claimant_bankrupt": False,
}


@st.composite
def rta_facts(draw: st.DrawFn) -> RoutingFacts:
    """Road traffic facts, mostly near eligibility, with some answers flipped or unknown."""
    accident = draw(st.dates(min_value=ROUTING_COVERS_FROM, max_value=date(2030, 12, 31)))
    entry = accident + timedelta(days=draw(st.integers(0, 1500)))
    kwargs: dict[str, Any] = {
        "accident_type": "road-traffic",
        "accident_date": accident,
        "entry_date": entry,
        "date_of_birth": draw(st.none() | st.dates(min_value=date(1940, 1, 1), max_value=accident)),
        "accident_location": draw(st.sampled_from(["england", "wales", "scotland", None])),
        "road_user": draw(st.sampled_from(["vehicle-occupant"] * 3 + ["cyclist", None])),
        "injury": draw(st.none() | money(30_000)),
        "other_protocol_damages": draw(st.none() | money(120_000)),
    }
    for name, good in _FLAGS.items():
        kwargs[name] = draw(st.sampled_from([good] * 4 + [not good, None]))
    return RoutingFacts(**kwargs)


@given(rta_facts())
def test_oic_eligible_facts_always_route_to_the_oic_portal_and_vice_versa(facts: RoutingFacts):
    eligible = check_eligibility(facts.claim).eligible is True
    r = which_process(facts)
    assert (r.process is Process.OIC_PORTAL) == eligible
    # A route is given, or questions are asked: never both, never neither.
    assert (r.process is None) == bool(r.questions)


@given(
    st.sampled_from(["employers-liability", "public-liability", "disease"]),
    money(3_000),
    money(30_000),
)
def test_other_personal_injury_small_claims_exactly_at_the_limits(kind, injury, other):
    r = route(EL, accident_type=kind, injury=injury, other_protocol_damages=other)
    small = injury <= Decimal(1500) and injury + other <= Decimal(10_000)
    assert (r.process is Process.SMALL_CLAIMS_TRACK) == small
    assert r.process is not Process.OIC_PORTAL


@given(money(30_000), money(30_000))
def test_a_higher_injury_never_moves_a_claim_back_to_small_claims(a, b):
    low, high = sorted((a, b))
    r_low = route(RTA_NOT_OIC, injury=low, other_protocol_damages="0")
    r_high = route(RTA_NOT_OIC, injury=high, other_protocol_damages="0")
    if r_high.process is Process.SMALL_CLAIMS_TRACK:
        assert r_low.process is Process.SMALL_CLAIMS_TRACK


def test_route_schema_carries_every_claim_facts_key():
    """The route-facts schema repeats the claim-facts schema's keys; a key added to
    ClaimFacts must be added to route-facts.schema.json too."""
    route_keys = set(json.loads(SCHEMA.read_text(encoding="utf-8"))["properties"])
    claim = ClaimFacts(accident_date=date(2023, 3, 1), entry_date=date(2023, 4, 3))
    own = {
        "accident_type",
        "date_of_knowledge",
        "letter_of_claim_date",
        "uninsured_driver",
        "claim_category",
        "clinical_negligence_admitted",
        "defendant_individual",
        "more_than_one_employer",
    }
    assert route_keys == {*own, *claim.to_dict()}


# --------------------------------------------------------------------------- every refusal

_CLAIM = ClaimFacts(accident_date=date(2023, 3, 1), entry_date=date(2023, 4, 3))
_DOC = {"accident_date": "2023-03-01", "entry_date": "2023-04-03"}

#: Every way routing refuses its input, named after the rule that refuses it.
ERRORS = {
    # RoutingFacts: the accident type is one of the four kinds (CPR 26.9; the protocols' para 4)
    "accident type not one of the four kinds": lambda: RoutingFacts(
        accident_type="boat", claim=_CLAIM
    ),
    "accident type given as a number": lambda: RoutingFacts(accident_type=3, claim=_CLAIM),
    # the date of knowledge (SI 2022/101 r.2; Limitation Act 1980 s.14) is a supported date
    "date of knowledge as a string": lambda: RoutingFacts(
        date_of_knowledge="2022-04-06", claim=_CLAIM
    ),
    "date of knowledge before the supported range": lambda: RoutingFacts(
        date_of_knowledge=date(1999, 12, 31), claim=_CLAIM
    ),
    # the letter of claim date (SI 2023/572 r.2(2)(b)) is a supported date, never before the
    # accident (a letter of claim is not sent before the injury it claims for)
    "letter of claim date as a string": lambda: RoutingFacts(
        letter_of_claim_date="2023-10-01", claim=_CLAIM
    ),
    "letter of claim date after the supported range": lambda: RoutingFacts(
        letter_of_claim_date=date(2101, 1, 1), claim=_CLAIM
    ),
    "letter of claim before the accident": lambda: RoutingFacts(
        letter_of_claim_date=date(2023, 2, 28), claim=_CLAIM
    ),
    # the claim category (CPR 26.9(10); EL/PL Protocol para 4.3) is one of ClaimCategory
    "claim category not a category": lambda: RoutingFacts(claim_category="whiplash", claim=_CLAIM),
    # the MIB and EL/PL answers are True, False or None
    "uninsured driver given as 1": lambda: RoutingFacts(uninsured_driver=1, claim=_CLAIM),
    "clinical negligence admission as a string": lambda: RoutingFacts(
        clinical_negligence_admitted="yes", claim=_CLAIM
    ),
    "individual defendant as 0": lambda: RoutingFacts(defendant_individual=0, claim=_CLAIM),
    "several employers as a string": lambda: RoutingFacts(
        more_than_one_employer="no", claim=_CLAIM
    ),
    "claim= and the claim's own fields together": lambda: RoutingFacts(
        claim=_CLAIM, road_user="cyclist", injury="10"
    ),
    "claim= that is not ClaimFacts": lambda: RoutingFacts(claim=_DOC),
    "a claim field refused by ClaimFacts": lambda: RoutingFacts(
        accident_date=date(2023, 3, 1), entry_date=date(2023, 4, 3), injury="-1"
    ),
    # which_process: its input, and its coverage (the extended protocols from 31 July 2013)
    "which_process of something else": lambda: which_process(_CLAIM),  # type: ignore[arg-type]
    "accident the day before routing's coverage": lambda: which_process(
        RoutingFacts(
            accident_type="road-traffic",
            accident_date=ROUTING_COVERS_FROM - timedelta(days=1),
            entry_date=date(2014, 1, 6),
        )
    ),
    # RoutingFacts.from_dict: the route-facts schema, every problem at once
    "from_dict of a list": lambda: RoutingFacts.from_dict([_DOC]),  # type: ignore[arg-type]
    "from_dict accident type unknown": lambda: RoutingFacts.from_dict(
        {**_DOC, "accident_type": "boat"}
    ),
    "from_dict date of knowledge a number": lambda: RoutingFacts.from_dict(
        {**_DOC, "date_of_knowledge": 20220406}
    ),
    "from_dict date of knowledge not ten characters": lambda: RoutingFacts.from_dict(
        {**_DOC, "date_of_knowledge": "2022-4-6"}
    ),
    "from_dict date of knowledge no such day": lambda: RoutingFacts.from_dict(
        {**_DOC, "date_of_knowledge": "2022-02-30"}
    ),
    "from_dict date of knowledge outside the supported range": lambda: RoutingFacts.from_dict(
        {**_DOC, "date_of_knowledge": "1999-12-31"}
    ),
    "from_dict letter of claim date no such day": lambda: RoutingFacts.from_dict(
        {**_DOC, "letter_of_claim_date": "2023-09-31"}
    ),
    "from_dict letter of claim before the accident": lambda: RoutingFacts.from_dict(
        {**_DOC, "letter_of_claim_date": "2023-01-01"}
    ),
    "from_dict claim category unknown": lambda: RoutingFacts.from_dict(
        {**_DOC, "claim_category": "asbestos"}
    ),
    "from_dict an answer that is not true, false or null": lambda: RoutingFacts.from_dict(
        {**_DOC, "uninsured_driver": "yes", "more_than_one_employer": 1}
    ),
    "from_dict one claim problem": lambda: RoutingFacts.from_dict(
        {**_DOC, "accident_type": "disease", "injury": 12.505}
    ),
    "from_dict a missing key (no value)": lambda: RoutingFacts.from_dict(
        {"accident_date": "2023-03-01"}
    ),
    "from_dict entry before the accident (a rule across fields)": lambda: RoutingFacts.from_dict(
        {"accident_date": "2023-03-01", "entry_date": "2023-02-01"}
    ),
    "from_dict problems of the route and of the claim together": lambda: RoutingFacts.from_dict(
        {"accident_type": "ship", "date_of_knowledge": 1, "accident_date": "x", "colour": "red"}
    ),  # the dated tables never fall back silently: a date no limit of a kind covers is
    # refused (the CPR 26.10 limit exists only from 31 May 2021, SI 2021/196)
    "no small claims limit of that kind on that date": lambda: _limit(
        "rta_injury_26_10", date(2021, 5, 30)
    ),
}


def test_every_refusal_matches_its_golden_file():
    """Each refusal names the value, the field (a JSON path from a file) and the rule."""
    golden_errors.check("routing", ERRORS)


# --------------------------------------------------------------------------- boundaries
#
# Each dated rule and each limit, on both sides of its boundary.


@pytest.mark.parametrize(
    ("accident", "process"),
    [(date(2023, 9, 30), Process.MULTI_TRACK), (date(2023, 10, 1), Process.INTERMEDIATE_TRACK)],
)
def test_intermediate_track_only_for_accidents_from_1_october_2023(accident, process):
    """CPR 26.9 as substituted by SI 2023/572: the intermediate track (up to £100,000) takes
    personal injury claims whose cause of action accrues on or after 1 October 2023; an
    accident the day before goes to the multi-track above £25,000."""
    r = route(
        RTA_NOT_OIC,
        accident_date=accident,
        entry_date=date(2023, 11, 1),
        injury="6000.00",
        other_protocol_damages="19000.01",
    )
    assert r.process is process
    names = [f.name for f in r.figures]
    assert ("intermediate track limit" in names) == (process is Process.INTERMEDIATE_TRACK)
    if process is Process.MULTI_TRACK:
        assert r.reasons[-1].message == (
            "the claim of £25,000.01 is above the fast track limits: the multi-track, no portal"
        )


def test_above_100000_after_1_october_2023_is_the_multi_track_citing_both_limits():
    """CPR 26.9 (SI 2023/572): above £100,000 the claim is above the fast track and the
    intermediate track limits."""
    r = route(
        RTA_NOT_OIC,
        accident_date=date(2023, 10, 1),
        entry_date=date(2023, 11, 1),
        injury="6000.00",
        other_protocol_damages="94000.01",
    )
    assert r.process is Process.MULTI_TRACK
    assert "above the fast track and intermediate track limits" in r.reasons[-1].message
    mid = next(f for f in r.figures if f.name == "intermediate track limit")
    assert mid.value == Decimal("100000.00")


@pytest.mark.parametrize(
    ("injury", "process"),
    [("1000.00", Process.SMALL_CLAIMS_TRACK), ("1000.01", Process.RTA_PROTOCOL)],
)
def test_before_31_may_2021_the_road_traffic_injury_limit_was_1000(injury, process):
    """CPR 26.6(1)(a)(ii) as in force before 31 May 2021 (SI 2021/196 applies the £5,000
    limit to accidents on or after that day): £1,000 for every road traffic injury."""
    r = route(
        RTA,
        accident_date=date(2021, 5, 30),
        entry_date=date(2021, 7, 1),
        injury=injury,
        other_protocol_damages="0",
    )
    assert r.process is process
    limit = next(f for f in r.figures if f.name == "small claims injury limit")
    assert (limit.value, limit.confidence) == (Decimal("1000.00"), Confidence.SECONDARY)


@pytest.mark.parametrize(
    ("accident", "limit"),
    [(date(2021, 5, 30), Decimal("1000.00")), (date(2021, 5, 31), Decimal("5000.00"))],
)
def test_the_5000_road_traffic_limit_applies_from_31_may_2021(accident, limit):
    """SI 2021/196: the £5,000 limit for accidents on or after 31 May 2021, £1,000 before."""
    r = route(RTA_NOT_OIC, accident_date=accident, entry_date=date(2021, 7, 1), injury="900")
    assert r.process is Process.SMALL_CLAIMS_TRACK
    used = next(f for f in r.figures if f.name == "small claims injury limit")
    assert used.value == limit


@pytest.mark.parametrize(
    ("entry", "child"),
    [(date(2023, 4, 2), True), (date(2023, 4, 3), False)],
)
def test_a_claimant_is_a_child_until_the_day_before_the_18th_birthday(entry, child):
    """CPR 26.10 (26.6A before 1 October 2023): a child has the £1,000 limit. The claimant
    born 3 April 2005 is a child on 2 April 2023 and an adult on 3 April 2023."""
    r = route(
        RTA_NOT_OIC,
        accident_date=date(2023, 3, 1),
        entry_date=entry,
        date_of_birth=date(2005, 4, 3),
        injury="3000",
        other_protocol_damages="0",
    )
    assert r.process is (Process.RTA_PROTOCOL if child else Process.SMALL_CLAIMS_TRACK)
    limit = next(f for f in r.figures if f.name == "small claims injury limit")
    assert limit.value == (Decimal("1000.00") if child else Decimal("5000.00"))


@pytest.mark.parametrize(
    ("knowledge", "limit"),
    [(date(2022, 4, 5), Decimal("1000.00")), (date(2022, 4, 6), Decimal("1500.00"))],
)
def test_the_1500_limit_for_other_injury_follows_the_date_of_knowledge(knowledge, limit):
    """SI 2022/101 r.2: the £1,500 limit applies where the cause of action accrues, or the
    date of knowledge is, on or after 6 April 2022."""
    r = route(
        EL,
        accident_date=date(2022, 1, 10),
        entry_date=date(2022, 6, 1),
        date_of_knowledge=knowledge,
        injury="1000.01",
    )
    used = next(f for f in r.figures if f.name == "small claims injury limit")
    assert used.value == limit
    assert r.process is (
        Process.SMALL_CLAIMS_TRACK if limit == Decimal("1500.00") else Process.ELPL_PROTOCOL
    )
    assert r.questions == ()


def test_a_date_of_knowledge_never_moves_the_key_date_before_the_accident():
    """SI 2022/101 r.2: the cause of action accrues on the accident; a date of knowledge
    only ever makes the key date later, so an accident on or after 6 April 2022 has the
    £1,500 limit whatever date of knowledge is given."""
    r = route(
        EL,
        accident_date=date(2022, 4, 6),
        entry_date=date(2022, 6, 1),
        date_of_knowledge=date(2022, 4, 1),
        injury="1500.00",
    )
    assert r.process is Process.SMALL_CLAIMS_TRACK
    used = next(f for f in r.figures if f.name == "small claims injury limit")
    assert used.value == Decimal("1500.00")


@pytest.mark.parametrize(
    ("injury", "process"),
    [
        ("1000.00", Process.SMALL_CLAIMS_TRACK),
        ("1000.01", None),
        ("1500.00", None),
        ("1500.01", Process.ELPL_PROTOCOL),
    ],
)
def test_before_6_april_2022_the_date_of_knowledge_is_asked_exactly_in_the_gap(injury, process):
    """SI 2022/101 r.2: only an injury claim above £1,000 and not above £1,500 depends on
    the date of knowledge; at £1,000 and above £1,500 the answer is the same either way."""
    r = route(EL, accident_date=date(2022, 4, 5), entry_date=date(2022, 6, 1), injury=injury)
    assert r.process is process
    if process is None:
        assert [q.field for q in r.questions] == ["date_of_knowledge"]
        assert r.reasons[-1].code == "small_claims_limit_unknown"
    else:
        assert r.questions == ()
        assert "(the date of knowledge does not change the result)" in r.reasons[0].message


def test_from_6_april_2022_the_date_of_knowledge_plays_no_part():
    """SI 2022/101 r.2: an accident on or after 6 April 2022 has the £1,500 limit; the
    reason does not mention the date of knowledge."""
    r = route(EL, accident_date=date(2022, 4, 6), entry_date=date(2022, 6, 1), injury="1500")
    assert r.process is Process.SMALL_CLAIMS_TRACK
    assert r.reasons[0].message.startswith(
        "a personal injury claim that is not a road traffic accident: the injury claim of "
        "£1,500.00 is not more than £1,500.00 [P]"
    )


@pytest.mark.parametrize(
    ("injury", "asked"),
    [("1000.00", False), ("1000.01", True), ("5000.00", True), ("5000.01", False)],
)
def test_unknown_26_10_circumstances_are_asked_exactly_between_the_two_limits(injury, asked):
    """CPR 26.9(1)(a)(ii)(aa) and (bb): with a CPR 26.10 circumstance the limit is £1,000,
    without one £5,000; only an injury claim above £1,000 and not above £5,000 needs the
    answer."""
    base = {**RTA_NOT_OIC, "road_user": None, "other_protocol_damages": "0"}
    r = route(base, injury=injury)
    assert (r.process is None) == asked
    assert [q.field for q in r.questions] == (["road_user"] if asked else [])


def test_one_known_26_10_circumstance_decides_even_with_others_unknown():
    """CPR 26.10: any one circumstance gives the £1,000 limit; the others (here the date
    of birth) need no answer."""
    r = route(
        RTA_NOT_OIC,
        road_user="pedestrian",
        date_of_birth=None,
        injury="3000",
        other_protocol_damages="0",
        entry_date=date(2023, 10, 2),
    )
    assert r.process is Process.RTA_PROTOCOL
    assert r.reasons[-2].message.startswith(
        "a road traffic accident in a CPR 26.10 circumstance (the claimant was a vulnerable "
        "road user): the injury claim of £3,000.00 is more than the £1,000.00"
    )


# --------------------------------------------------------------------------- each circumstance

#: The low-value RTA Protocol's exclusions (para 4.5): the fact that excludes the claim,
#: and how the route states it.
RTA_EXCLUSIONS = [
    ("claimant_protected_party", True, "the claimant is a protected party"),
    ("defendant_protected_party", True, "the defendant is a protected party"),
    ("claimant_bankrupt", True, "the claimant is bankrupt"),
    (
        "claimant_personal_representative",
        True,
        "the claimant acts as a personal representative of a deceased person",
    ),
    (
        "defendant_personal_representative",
        True,
        "the defendant acts as a personal representative of a deceased person",
    ),
    (
        "defendant_road_user",
        False,
        "the claim is for a breach of duty owed to a road user by a person who is not a road user",
    ),
    (
        "other_vehicle_uk_registered",
        False,
        "the defendant's vehicle is registered outside the United Kingdom",
    ),
]


@pytest.mark.parametrize(("field", "value", "text"), RTA_EXCLUSIONS)
def test_each_rta_protocol_exclusion_sends_the_claim_to_the_fast_track(field, value, text):
    """RTA Protocol para 4.5: a claim in any of its exclusions does not use the Claims
    Portal; between the small claims limits and £25,000 it is a fast track claim."""
    r = route(RTA_NOT_OIC, injury="6000.00", other_protocol_damages="0", **{field: value})
    assert r.process is Process.FAST_TRACK
    excluded = [x for x in r.reasons if x.code == "protocol_excluded"]
    assert [(x.message, x.reference) for x in excluded] == [
        (f"the low-value RTA Protocol does not apply: {text}", "RTA Protocol para 4.5")
    ]


@pytest.mark.parametrize(("field", "value", "text"), RTA_EXCLUSIONS[:5])
def test_each_elpl_protocol_exclusion_sends_the_claim_to_the_fast_track(field, value, text):
    """EL/PL Protocol para 4.3: the exclusions the facts record (the parties' capacity,
    bankruptcy and personal representatives); the road traffic ones do not apply."""
    r = route(EL, injury="3000.00", **{field: value})
    assert r.process is Process.FAST_TRACK
    excluded = [x for x in r.reasons if x.code == "protocol_excluded"]
    assert [(x.message, x.reference) for x in excluded] == [
        (f"the low-value EL/PL Protocol does not apply: {text}", "EL/PL Protocol para 4.3")
    ]


@pytest.mark.parametrize("field", ["defendant_road_user", "untraced_driver", "date_of_birth"])
def test_the_road_traffic_exclusions_are_not_asked_of_an_elpl_claim(field):
    """EL/PL Protocol para 4.3 has no road user, untraced driver or foreign vehicle
    exclusion: an employers' liability claim goes to the Claims Portal without them."""
    r = route(EL, injury="3000.00", **{field: None})
    assert r.process is Process.ELPL_PROTOCOL
    assert r.questions == ()


@pytest.mark.parametrize(
    "field", ["defendant_protected_party", "defendant_road_user", "other_vehicle_uk_registered"]
)
def test_an_unanswered_rta_protocol_exclusion_is_asked(field):
    """RTA Protocol para 4.5: above the small claims limits, each exclusion still
    unanswered is asked before the claim is sent to the Claims Portal."""
    r = route(RTA_NOT_OIC, injury="6000.00", other_protocol_damages="0", **{field: None})
    assert r.process is None
    assert [q.field for q in r.questions] == [field]
    assert r.reasons[-1].code == "protocol_exclusions_unknown"
    assert r.reasons[-1].reference == "RTA Protocol para 4.5"


#: The CPR 26.10 circumstances (26.6A before 1 October 2023): the fact, and how it reads.
CIRCUMSTANCES_26_10 = [
    ({"date_of_birth": date(2006, 1, 1)}, "the claimant is a child"),
    ({"claimant_protected_party": True}, "the claimant is a protected party"),
    ({"road_user": "motorcyclist"}, "the claimant was a vulnerable road user"),
    ({"claimant_bankrupt": True}, "the claimant is an undischarged bankrupt"),
    (
        {"claimant_personal_representative": True},
        "the claimant acts as a personal representative",
    ),
    (
        {"defendant_personal_representative": True},
        "the defendant acts as a personal representative",
    ),
    (
        {"other_vehicle_uk_registered": False},
        "the defendant's vehicle was registered outside the United Kingdom",
    ),
]


@pytest.mark.parametrize(("facts", "text"), CIRCUMSTANCES_26_10)
def test_each_26_10_circumstance_gives_the_1000_limit(facts, text):
    """CPR 26.9(1)(a)(ii)(bb) and 26.10: in any of these circumstances the road traffic
    injury limit is £1,000, not £5,000."""
    r = route(
        RTA_NOT_OIC, injury="1000.01", other_protocol_damages="0", entry_date=date(2023, 10, 2),
        **facts,
    )  # fmt: skip
    assert r.process is not Process.SMALL_CLAIMS_TRACK
    above = next(x for x in r.reasons if x.code == "injury_above_small_claims_limit")
    assert above.message == (
        f"a road traffic accident in a CPR 26.10 circumstance ({text}): the injury claim of "
        "£1,000.01 is more than the £1,000.00 small claims limit [P]"
    )
    assert above.reference.startswith("CPR 26.9(1)(a)(ii)(bb) and 26.10")


def test_several_26_10_circumstances_are_all_named():
    """CPR 26.10: every circumstance present is named, in the rule's order."""
    r = route(
        RTA_NOT_OIC, injury="900.00", other_protocol_damages="0", entry_date=date(2023, 10, 2),
        road_user="cyclist", date_of_birth=date(2006, 1, 1),
    )  # fmt: skip
    assert r.process is Process.SMALL_CLAIMS_TRACK
    assert r.reasons[-1].message.startswith(
        "a road traffic accident in a CPR 26.10 circumstance (the claimant is a child; the "
        "claimant was a vulnerable road user): the injury claim of £900.00 is not more than "
        "£1,000.00 [P]"
    )


@pytest.mark.parametrize(
    "field",
    [
        "date_of_birth",
        "claimant_protected_party",
        "road_user",
        "claimant_bankrupt",
        "claimant_personal_representative",
        "defendant_personal_representative",
        "other_vehicle_uk_registered",
    ],
)
def test_each_unanswered_26_10_circumstance_is_asked(field):
    """CPR 26.10: between £1,000 and £5,000 each unanswered circumstance is asked."""
    r = route(RTA_NOT_OIC, injury="3000.00", other_protocol_damages="0", **{field: None})
    assert r.process is None
    assert [q.field for q in r.questions] == [field]
    assert r.reasons[-1].code == "small_claims_limit_unknown"


def test_each_small_claims_limit_as_json_names_its_dates_amount_source_and_mark():
    """CPR 26.9 (26.6 before 1 October 2023): each limit's JSON gives the dates it applies
    between (ISO, null for open-ended), the amount as a string of pounds, its source and
    its confidence mark."""
    assert [lim.to_dict() for lim in SMALL_CLAIMS_LIMITS[:2]] == [
        {
            "kind": "total",
            "applies_from": "2013-04-01",
            "applies_until": None,
            "amount": "10000.00",
            "reference": "CPR 26.9(1)(a)(i); 26.6(1)(a)(i) before 1 October 2023",
            "confidence": "P",
        },
        {
            "kind": "rta_injury",
            "applies_from": "2013-04-01",
            "applies_until": "2021-05-30",
            "amount": "1000.00",
            "reference": "CPR 26.6(1)(a)(ii) as in force before 31 May 2021",
            "confidence": "S",
        },
    ]


@pytest.mark.parametrize(
    ("day", "covered"),
    [(date(2013, 3, 31), False), (date(2013, 4, 1), True), (date(2021, 5, 30), True),
     (date(2021, 5, 31), False)],
)  # fmt: skip
def test_a_limit_covers_its_first_and_last_day_inclusive(day, covered):
    """The £1,000 road traffic limit of CPR 26.6 covers 1 April 2013 to 30 May 2021, both
    days included (SI 2021/196: the £5,000 limit from 31 May 2021)."""
    assert SMALL_CLAIMS_LIMITS[1].covers(day) is covered


@pytest.mark.parametrize(
    ("accident", "process"),
    [(date(2021, 5, 30), Process.RTA_PROTOCOL), (date(2021, 5, 31), Process.RTA_PROTOCOL)],
)
def test_a_cyclist_keeps_the_1000_limit_on_both_sides_of_31_may_2021(accident, process):
    """CPR 26.6(1)(a)(ii) before 31 May 2021 (£1,000 for every road traffic injury), and
    from that day CPR 26.6(1)(a)(ii)(bb) with 26.6A (£1,000 for a vulnerable road user):
    a cyclist's £3,000 injury claim is above the small claims limit either way, and the
    reason says which rule gave the limit."""
    r = route(
        RTA, road_user="cyclist", accident_date=accident, entry_date=date(2021, 7, 1),
        injury="3000.00", other_protocol_damages="0",
    )  # fmt: skip
    assert r.process is process
    above = next(x for x in r.reasons if x.code == "injury_above_small_claims_limit")
    if accident < date(2021, 5, 31):
        assert above.message.startswith("a road traffic accident before 31 May 2021:")
    else:
        assert above.message.startswith(
            "a road traffic accident in a CPR 26.6A circumstance (the claimant was a "
            "vulnerable road user):"
        )


@pytest.mark.parametrize(
    ("other", "process"),
    [("19000.00", Process.FAST_TRACK), ("19000.01", Process.MULTI_TRACK)],
)
def test_an_excluded_claim_of_exactly_25000_is_a_fast_track_claim(other, process):
    """CPR 26.9: the fast track is the normal track for a claim of not more than £25,000
    (here excluded from the low-value RTA Protocol: the defendant is not a road user,
    para 4.5)."""
    r = route(
        RTA_NOT_OIC, defendant_road_user=False, injury="6000.00", other_protocol_damages=other
    )
    assert r.process is process


def test_every_undecided_oic_criterion_is_asked():
    """guide 4.1, 4.2: while the OIC portal is undecided, every eligibility question is
    asked, each once."""
    r = route(RTA, claimant_bankrupt=None, untraced_driver=None)
    assert r.process is None
    assert r.codes == ("oic_undecided",)
    assert sorted(q.field for q in r.questions) == ["claimant_bankrupt", "untraced_driver"]


def test_each_kind_of_limit_covers_every_day_once_from_its_start():
    """The dated limits have no gap and no overlap: from 31 July 2013 (31 May 2021 for the
    CPR 26.10 limit) each day has exactly one limit of each kind."""
    starts = {
        "total": ROUTING_COVERS_FROM,
        "rta_injury": ROUTING_COVERS_FROM,
        "other_injury": ROUTING_COVERS_FROM,
        "rta_injury_26_10": date(2021, 5, 31),
    }
    edges = {lim.applies_from for lim in SMALL_CLAIMS_LIMITS} | {
        lim.applies_until for lim in SMALL_CLAIMS_LIMITS if lim.applies_until
    }
    days = sorted({d + timedelta(days=k) for d in edges for k in (-1, 0, 1)} | set(starts.values()))
    for kind, start in starts.items():
        for day in days:
            if day >= start:
                covering = [x for x in SMALL_CLAIMS_LIMITS if x.kind == kind and x.covers(day)]
                assert len(covering) == 1, (kind, day)
                assert _limit(kind, day) is covering[0]


# --------------------------------------------------------------------------- issue 23 / 22
#
# Who the claim is against (the MIB routes), the dates the new tracks use (SI 2023/572
# r.2(2)), CPR 26.9(10), the RTA Protocol's definition of a road traffic accident, the
# EL/PL Protocol's para 4.3, and the whole value for the track.

DISEASE: dict[str, Any] = {**EL, "accident_type": "disease"}


def test_an_untraced_driver_goes_to_the_mib_not_the_small_claims_or_fast_track():
    """guide 4.2; RTA Protocol para 4.5; Untraced Drivers' Agreement 2017: a claim against
    an untraced driver is made to the MIB under the agreement; there is no defendant to
    sue, so it is routed to neither a portal nor the small claims track (£1,000) nor the
    fast track (£8,000)."""
    for injury, other in (("1000", "0"), ("5000", "3000"), ("30000", "90000")):
        r = route(RTA_NOT_OIC, untraced_driver=True, injury=injury, other_protocol_damages=other)
        assert r.process is Process.MIB_UNTRACED_DRIVERS
        assert r.process.system == "Motor Insurers' Bureau"
        assert r.codes[-1] == "mib_untraced_driver"
        assert r.reasons[-1].reference == (
            "guide 4.2; RTA Protocol para 4.5; Untraced Drivers' Agreement 2017"
        )
        assert "untraced_driver" in r.codes  # the OIC criterion that fails, with its redirect
        assert r.questions == ()


def test_an_untraced_driver_otherwise_eligible_goes_to_the_mib_not_the_oic_portal():
    """guide 4.2: 'your claim is against an untraced driver' bars the portal even when
    every other criterion is met; the route is the MIB, and eligibility redirects there."""
    r = route(RTA, untraced_driver=True)
    assert r.process is Process.MIB_UNTRACED_DRIVERS
    assert r.eligibility is not None
    assert r.eligibility.eligible is False
    assert [x.code for x in r.eligibility.redirects] == ["mib_untraced_drivers"]


def test_eligibility_redirects_an_untraced_driver_to_the_mib():
    """guide 4.2 (untraced driver excluded) and the Untraced Drivers' Agreement 2017: the
    failed criterion carries a redirect to the MIB, as guide 4.3's two MIB cases do, and
    the headline sends the claimant there citing guide 4.2 too."""
    facts = ClaimFacts(**{k: v for k, v in RTA.items() if k != "accident_type"})
    result = check_eligibility(attrs_evolve(facts, untraced_driver=True))
    assert result.codes == ("untraced_driver",)
    (redirect,) = result.redirects
    assert redirect.to == "Motor Insurers' Bureau (Untraced Drivers' Agreement 2017)"
    assert redirect.reference == "guide 4.2; Untraced Drivers' Agreement 2017"
    assert result.reasons[0].message.startswith("redirect: ")
    assert result.headline.endswith("(guide 4.1, 4.2, 4.3)")


def test_an_unknown_untraced_answer_is_asked_before_any_court_track():
    """guide 4.2; RTA Protocol para 4.5: outside the portal, a road traffic claim whose
    driver may be untraced is never silently sent to the small claims track: it is asked."""
    r = route(RTA_NOT_OIC, untraced_driver=None, injury="1000", other_protocol_damages="0")
    assert r.process is None
    assert [q.field for q in r.questions] == ["untraced_driver"]
    assert r.codes[-1] == "untraced_driver_unknown"


def test_an_untraced_flag_on_an_employers_liability_claim_is_explained_not_followed():
    """The Untraced Drivers' Agreement 2017 covers road traffic claims only: an employers'
    liability claim is routed on its own, and the route says the claim against the driver
    goes to the MIB as a road traffic claim."""
    r = route(EL, untraced_driver=True)
    assert r.process is Process.SMALL_CLAIMS_TRACK
    assert r.codes[0] == "untraced_driver_not_this_claim"


@given(
    injury=money(200_000),
    other=money(200_000),
    vehicle=money(200_000),
    accident=st.dates(min_value=ROUTING_COVERS_FROM, max_value=date(2030, 12, 31)),
    uninsured=st.sampled_from([None, False, True]),
    road_user=st.sampled_from(["vehicle-occupant", "cyclist", "pedestrian", None]),
)
def test_an_untraced_driver_never_gets_a_portal_or_a_court_track(
    injury, other, vehicle, accident, uninsured, road_user
):
    """Property (guide 4.2; RTA Protocol para 4.5): for any value, date, road user and
    uninsured answer, a road traffic claim against an untraced driver in England or Wales
    is routed to the MIB under the Untraced Drivers' Agreement 2017."""
    r = route(
        RTA, untraced_driver=True, injury=injury, other_protocol_damages=other,
        non_protocol_vehicle_costs=vehicle, accident_date=accident,
        entry_date=accident + timedelta(days=30), road_user=road_user,
        uninsured_driver=uninsured,
    )  # fmt: skip
    assert r.process is Process.MIB_UNTRACED_DRIVERS


def test_an_uninsured_driver_in_the_oic_portal_has_the_mib_as_compensator():
    """guide 6.3.1: 'If a compensator is not identified, the claim will be dealt with by the
    MIB ... within 40 business days'; without the answer the route is as before."""
    r = route(RTA, uninsured_driver=True)
    assert r.process is Process.OIC_PORTAL_MIB
    assert r.process.system == "Official Injury Claim portal"
    (period,) = [f for f in r.figures if f.reference == "guide 6.3.1"]
    assert period.value == 40
    assert period.confidence is Confidence.PRIMARY
    assert route(RTA).process is Process.OIC_PORTAL
    assert route(RTA, uninsured_driver=False).process is Process.OIC_PORTAL


def test_an_uninsured_driver_in_the_rta_protocol_has_the_mib_as_defendant():
    """RTA Protocol para 1.1 (the 'defendant' includes the MIB) and 6.11: the MIB responds
    to the Claim Notification Form within 30 business days, not 15."""
    r = route(RTA_NOT_OIC, uninsured_driver=True, injury="6000", other_protocol_damages="0")
    assert r.process is Process.RTA_PROTOCOL_MIB
    (period,) = [f for f in r.figures if f.reference == "RTA Protocol para 6.11"]
    assert period.value == 30
    assert r.codes[-1] == "mib_defendant"


def test_an_uninsured_driver_on_a_court_track_names_the_mib():
    """Uninsured Drivers' Agreement 2015: outside the portals the claim is against the
    driver, the MIB meeting an unsatisfied judgment; the track is the ordinary one."""
    small = route(RTA_NOT_OIC, uninsured_driver=True, injury="1000", other_protocol_damages="0")
    assert small.process is Process.SMALL_CLAIMS_TRACK
    assert small.codes[-1] == "mib_uninsured_driver"
    fast = route(
        RTA_NOT_OIC, uninsured_driver=True, defendant_road_user=False, injury="6000",
        other_protocol_damages="0",
    )  # fmt: skip
    assert fast.process is Process.FAST_TRACK
    assert fast.codes[-1] == "mib_uninsured_driver"


def test_untraced_wins_over_uninsured():
    """An untraced driver cannot be sued, insured or not: the Untraced Drivers' Agreement
    2017 route applies (guide 4.2), never the uninsured route."""
    assert route(RTA, untraced_driver=True, uninsured_driver=True).process is (
        Process.MIB_UNTRACED_DRIVERS
    )


# --- disease claims and the new tracks (SI 2023/572 r.2(2)(b))


@pytest.mark.parametrize(
    ("letter", "process"),
    [(date(2023, 9, 30), Process.MULTI_TRACK), (date(2023, 10, 1), Process.INTERMEDIATE_TRACK)],
)
def test_a_disease_claim_follows_the_letter_of_claim_date_not_the_accident(letter, process):
    """SI 2023/572 r.2(2)(b): the new tracks apply to a disease claim where no letter of
    claim was sent before 1 October 2023, whatever the date of the disease."""
    r = route(
        DISEASE, accident_date=date(2019, 5, 1), entry_date=date(2023, 11, 1),
        injury="30000", other_protocol_damages="20000", letter_of_claim_date=letter,
    )  # fmt: skip
    assert r.process is process
    if process is Process.INTERMEDIATE_TRACK:
        assert r.reasons[-1].reference.endswith("SI 2023/572 r.2(2)(b)")
        assert "letter of claim sent 2023-10-01" in r.reasons[-1].message


def test_a_disease_claim_without_its_letter_date_is_asked_where_it_matters():
    """SI 2023/572 r.2(2)(b): between £25,000 and £100,000 the letter of claim date
    decides intermediate or multi-track, so it is asked; above £100,000 it does not."""
    base = {**DISEASE, "accident_date": date(2019, 5, 1), "entry_date": date(2023, 11, 1)}
    r = route(base, injury="30000", other_protocol_damages="20000")
    assert r.process is None
    assert [q.field for q in r.questions] == ["letter_of_claim_date"]
    assert r.questions[0].reference == "SI 2023/572 r.2(2)(b)"
    assert r.codes[-1] == "letter_of_claim_date_unknown"
    assert route(base, injury="60000", other_protocol_damages="40001").process is (
        Process.MULTI_TRACK
    )
    assert route(base, injury="6000", other_protocol_damages="10000").process is (
        Process.ELPL_PROTOCOL
    )


def test_a_disease_from_1_october_2023_needs_no_letter_date():
    """SI 2023/572 r.2(2)(b): a letter of claim is never sent before the disease it claims
    for (RoutingFacts refuses one), so a disease dated from 1 October 2023 is under the new
    tracks without the letter date."""
    r = route(
        DISEASE, accident_date=date(2023, 10, 1), entry_date=date(2023, 11, 1),
        injury="30000", other_protocol_damages="20000",
    )  # fmt: skip
    assert r.process is Process.INTERMEDIATE_TRACK


@pytest.mark.parametrize(
    ("accident", "process"),
    [(date(2023, 9, 30), Process.MULTI_TRACK), (date(2023, 10, 1), Process.INTERMEDIATE_TRACK)],
)
def test_an_accident_claim_follows_its_accrual_not_the_letter_of_claim(accident, process):
    """SI 2023/572 r.2(2)(a): a personal injury claim other than a disease claim is under
    the new tracks where the cause of action accrues on or after 1 October 2023; the letter
    of claim date plays no part."""
    r = route(
        EL, accident_date=accident, entry_date=date(2023, 11, 1), injury="30000",
        other_protocol_damages="20000", letter_of_claim_date=date(2023, 10, 20),
    )  # fmt: skip
    assert r.process is process


# --- CPR 26.9(10): claims that must go to the multi-track


@pytest.mark.parametrize(
    ("letter", "process", "code"),
    [
        (date(2023, 9, 30), Process.FAST_TRACK, "mandatory_multi_track_not_in_force"),
        (date(2023, 10, 1), Process.MULTI_TRACK, "mandatory_multi_track"),
    ],
)
def test_a_mesothelioma_claim_goes_to_the_multi_track_under_the_new_tracks(letter, process, code):
    """CPR 26.9(10)(a) (SI 2023/572, the disease claim's letter of claim deciding, r.2(2)(b))
    and EL/PL Protocol para 4.3 (mesothelioma is outside the protocol): a £20,000
    mesothelioma claim is a multi-track claim under the new rules, a fast track one before."""
    r = route(
        DISEASE, accident_date=date(2022, 5, 1), entry_date=date(2023, 11, 1),
        injury="15000", other_protocol_damages="5000", claim_category="mesothelioma",
        letter_of_claim_date=letter,
    )  # fmt: skip
    assert r.process is process
    assert code in r.codes
    assert "the low-value EL/PL Protocol does not apply: the claim is for mesothelioma" in [
        x.message for x in r.reasons
    ]


def test_a_mandatory_multi_track_claim_is_never_a_small_claim():
    """CPR 26.9(10): 'A claim must be allocated to the multi-track' whatever its value: an
    abuse claim of £1,000 accruing on 1 October 2023 is a multi-track claim."""
    r = route(
        {**EL, "accident_type": "public-liability"}, accident_date=date(2023, 10, 1),
        entry_date=date(2023, 11, 1), injury="1000", claim_category="abuse",
    )  # fmt: skip
    assert r.process is Process.MULTI_TRACK
    (head,) = [x for x in r.reasons if x.code == "mandatory_multi_track"]
    assert head.message.endswith("[U]")
    assert r.codes[-1] == "multi_track"


@pytest.mark.parametrize(
    ("admitted", "process"),
    [(None, None), (True, Process.INTERMEDIATE_TRACK), (False, Process.MULTI_TRACK)],
)
def test_clinical_negligence_keeps_the_intermediate_track_only_with_an_admission(admitted, process):
    """CPR 26.9(10)(b) (as amended by SI 2024/106 from 6 April 2024): a clinical negligence
    claim that would normally be on the intermediate track stays there only if breach of
    duty and causation are admitted; unknown, it is asked."""
    r = route(
        {**EL, "accident_type": "public-liability"}, accident_date=date(2024, 5, 1),
        entry_date=date(2024, 6, 1), injury="40000", other_protocol_damages="10000",
        claim_category="clinical-negligence", clinical_negligence_admitted=admitted,
    )  # fmt: skip
    assert r.process is process
    if process is None:
        assert [q.field for q in r.questions] == ["clinical_negligence_admitted"]


def test_a_clinical_negligence_claim_below_the_intermediate_track_is_multi_track():
    """CPR 26.9(10)(b): the exception is only for a claim that would normally be
    allocated to the intermediate track; a £5,000 claim goes to the multi-track even with
    an admission."""
    r = route(
        {**EL, "accident_type": "public-liability"}, accident_date=date(2024, 5, 1),
        entry_date=date(2024, 6, 1), injury="5000", claim_category="clinical-negligence",
        clinical_negligence_admitted=True,
    )  # fmt: skip
    assert r.process is Process.MULTI_TRACK


def test_asbestos_lung_disease_against_one_employer_uses_the_elpl_protocol_first():
    """EL/PL Protocol para 4.3 leaves out mesothelioma, not other asbestos disease: a
    £20,000 asbestosis claim against one employer starts in the Claims Portal, and the
    route says CPR 26.9(10)(a) would send it to the multi-track if proceedings are issued."""
    r = route(
        DISEASE, accident_date=date(2023, 10, 2), entry_date=date(2023, 11, 1),
        injury="15000", other_protocol_damages="5000", claim_category="asbestos-lung-disease",
    )  # fmt: skip
    assert r.process is Process.ELPL_PROTOCOL
    assert r.codes[-2:] == ("low_value_protocol", "multi_track_if_issued")


@pytest.mark.parametrize(
    ("accident", "asked"), [(date(2023, 9, 30), False), (date(2023, 10, 1), True)]
)
def test_the_claim_category_is_asked_only_under_the_new_tracks(accident, asked):
    """CPR 26.9(10) came in on 1 October 2023 (SI 2023/572 r.2(2)(a)): an employers'
    liability claim of £1,000 accruing before that day is a small claim without the
    category; from that day the category is asked."""
    r = route(EL, accident_date=accident, entry_date=date(2023, 11, 1), injury="1000",
              claim_category=None)  # fmt: skip
    if asked:
        assert r.process is None
        assert [q.field for q in r.questions] == ["claim_category"]
    else:
        assert r.process is Process.SMALL_CLAIMS_TRACK


def test_the_claim_category_is_not_asked_of_a_road_traffic_claim():
    """CPR 26.9(10)'s heads (asbestos, clinical negligence, abuse, police torts) are not
    road traffic claims: unanswered, a road traffic claim is read as none of them."""
    r = route(RTA_NOT_OIC, accident_date=date(2024, 1, 1), entry_date=date(2024, 2, 1),
              injury="1000", other_protocol_damages="0")  # fmt: skip
    assert r.process is Process.SMALL_CLAIMS_TRACK


def test_every_mandatory_multi_track_head_is_dated_sourced_and_marked():
    """CPR 26.9(10) (SI 2023/572, from 1 October 2023): each head is data with its
    reference and confidence; the abuse head is unconfirmed and says so."""
    assert {m.category for m in MANDATORY_MULTI_TRACK} == {
        c for c in ClaimCategory if c is not ClaimCategory.NONE
    }
    for m in MANDATORY_MULTI_TRACK:
        assert m.applies_from == NEW_TRACKS_FROM == date(2023, 10, 1)
        assert m.reference.startswith("CPR 26.9(10)(")
        assert m.to_dict()["confidence"] == m.confidence.code
    abuse = next(m for m in MANDATORY_MULTI_TRACK if m.category is ClaimCategory.ABUSE)
    assert abuse.confidence is Confidence.UNCONFIRMED
    assert not ClaimCategory.NONE.mandatory_multi_track


@given(
    category=st.sampled_from([c for c in ClaimCategory if c.mandatory_multi_track]),
    kind=st.sampled_from(["employers-liability", "public-liability", "disease"]),
    injury=money(200_000),
    other=money(200_000),
    accident=st.dates(min_value=date(2023, 10, 1), max_value=date(2030, 12, 31)),
)
def test_a_mandatory_head_under_the_new_tracks_is_never_a_lower_track(
    category, kind, injury, other, accident
):
    """Property (CPR 26.9(10)): under the new tracks a claim in one of the listed heads is
    never allocated to the small claims or fast track, and is on the intermediate track
    only as an admitted clinical negligence claim."""
    r = route(
        EL, accident_type=kind, claim_category=category, injury=injury,
        other_protocol_damages=other, accident_date=accident,
        entry_date=accident + timedelta(days=10), clinical_negligence_admitted=True,
    )  # fmt: skip
    assert r.process not in (Process.SMALL_CLAIMS_TRACK, Process.FAST_TRACK)
    if r.process is Process.INTERMEDIATE_TRACK:
        assert category is ClaimCategory.CLINICAL_NEGLIGENCE


# --- the RTA Protocol's definition of a road traffic accident (health and safety breach)


def test_a_health_and_safety_breach_takes_the_claim_out_of_the_rta_protocol():
    """RTA Protocol para 1.1 ('road traffic accident': not an injury caused wholly or in
    part by the defendant's breach of a relevant statutory provision, HSWA 1974 s.53; guide
    4.2 says the same of the portal): such a claim is not a low-value RTA Protocol claim;
    the route says an employer's claim is routed as employers' liability."""
    r = route(RTA_NOT_OIC, health_and_safety_breach=True, injury="6000",
              other_protocol_damages="0")  # fmt: skip
    assert r.process is Process.FAST_TRACK
    (excluded,) = [x for x in r.reasons if x.code == "protocol_excluded"]
    assert excluded.reference == "RTA Protocol para 1.1 ('road traffic accident')"
    assert "employers-liability" in excluded.message


def test_an_unanswered_health_and_safety_question_is_asked_before_the_rta_protocol():
    """RTA Protocol para 1.1: whether the claim is a road traffic accident as the protocol
    defines one is asked before it is sent to the Claims Portal."""
    r = route(RTA_NOT_OIC, health_and_safety_breach=None, injury="6000",
              other_protocol_damages="0")  # fmt: skip
    assert r.process is None
    assert [q.field for q in r.questions] == ["health_and_safety_breach"]
    assert r.reasons[-1].reference == "RTA Protocol para 1.1 ('road traffic accident')"


# --- EL/PL Protocol para 4.3


ELPL_EXCLUSIONS = [
    ("employers-liability", "claim_category", "mesothelioma", "the claim is for mesothelioma"),
    ("public-liability", "claim_category", "clinical-negligence",
     "the claim includes a claim for clinical negligence"),
    ("employers-liability", "claim_category", "abuse",
     ("the claim is for damages in relation to harm, abuse or neglect of or by children or "
      "vulnerable adults")),
    ("public-liability", "defendant_individual", True,
     ("a public liability claim against an individual (not sued in their business capacity or "
      "as occupier)")),
    ("disease", "more_than_one_employer", True, "a disease claim against more than one employer"),
]  # fmt: skip


@pytest.mark.parametrize(("kind", "field", "value", "text"), ELPL_EXCLUSIONS)
def test_each_further_elpl_exclusion_keeps_the_claim_out_of_the_claims_portal(
    kind, field, value, text
):
    """EL/PL Protocol para 4.3: mesothelioma, clinical negligence, harm, abuse or neglect
    of or by children or vulnerable adults, a public liability claim against an individual
    and a disease claim against more than one employer are outside the protocol (here on
    a claim accruing before the new tracks: the fast track)."""
    r = route(EL, accident_type=kind, injury="3000", **{field: value})
    assert r.process is Process.FAST_TRACK
    excluded = [x for x in r.reasons if x.code == "protocol_excluded"]
    assert [(x.message, x.reference) for x in excluded] == [
        (f"the low-value EL/PL Protocol does not apply: {text}", "EL/PL Protocol para 4.3")
    ]


@pytest.mark.parametrize(
    ("kind", "field"),
    [
        ("employers-liability", "claim_category"),
        ("public-liability", "defendant_individual"),
        ("disease", "more_than_one_employer"),
    ],
)
def test_each_further_elpl_exclusion_unanswered_is_asked(kind, field):
    """EL/PL Protocol para 4.3: an exclusion still unanswered is asked before the claim is
    sent to the Claims Portal; the individual-defendant question only of a public
    liability claim, the several-employers one only of a disease claim."""
    r = route(EL, accident_type=kind, injury="3000", **{field: None})
    assert r.process is None
    assert [q.field for q in r.questions] == [field]
    assert r.reasons[-1].reference == "EL/PL Protocol para 4.3"
    other = {"defendant_individual": None, "more_than_one_employer": None}
    other.pop(field, None)
    assert route(EL, accident_type=kind, injury="3000", **other).process is (Process.ELPL_PROTOCOL)


# --- the whole value decides the track (CPR 26.9, 26.13)


@pytest.mark.parametrize(
    ("vehicle", "process"),
    [("5000.00", Process.SMALL_CLAIMS_TRACK), ("5000.01", Process.RTA_PROTOCOL)],
)
def test_credit_hire_counts_towards_the_small_claims_total(vehicle, process):
    """CPR 26.9(1)(a)(i): outside the OIC portal the small claims track needs the whole
    claim, credit hire and other vehicle losses included, to be not more than £10,000
    (guide 1.1.1 leaves them out of the portal's own limits only)."""
    r = route(RTA_NOT_OIC, injury="3000", other_protocol_damages="2000",
              non_protocol_vehicle_costs=vehicle)  # fmt: skip
    assert r.process is process
    parts = {p.name.split(" (")[0]: p for p in r.value_parts}
    assert parts["non-protocol vehicle costs"].counted_for_track is True
    assert parts["non-protocol vehicle costs"].counted_for_portal is False
    assert parts["fees"].counted_for_track is False
    assert "whole_value_counted" in r.codes


@pytest.mark.parametrize(
    ("vehicle", "process"),
    [("19000.00", Process.FAST_TRACK), ("19000.01", Process.MULTI_TRACK)],
)
def test_credit_hire_counts_towards_the_fast_track_limit(vehicle, process):
    """CPR 26.9: the fast track is for a claim of not more than £25,000, its whole value
    counted (here excluded from the RTA Protocol, accident before 1 October 2023)."""
    r = route(RTA_NOT_OIC, defendant_road_user=False, injury="6000",
              other_protocol_damages="0", non_protocol_vehicle_costs=vehicle)  # fmt: skip
    assert r.process is process


def test_the_rta_protocol_limit_leaves_vehicle_related_damages_out():
    """RTA Protocol para 4.4: vehicle-related damages are left out of the value for the
    protocol upper limit, so credit hire does not take a £25,000 claim out of the Claims
    Portal, though the court's tracks would count it."""
    r = route(RTA_NOT_OIC, injury="6000", other_protocol_damages="19000",
              non_protocol_vehicle_costs="40000")  # fmt: skip
    assert r.process is Process.RTA_PROTOCOL
    assert r.to_dict()["value_parts"][2]["counted_for_portal"] is False


@given(a=money(60_000), b=money(60_000))
def test_more_credit_hire_never_moves_a_claim_to_a_lower_court_track(a, b):
    """Property (CPR 26.9): the track limits count the vehicle losses, so a larger credit
    hire claim never gives a lower court track."""
    order = [
        Process.SMALL_CLAIMS_TRACK, Process.FAST_TRACK, Process.INTERMEDIATE_TRACK,
        Process.MULTI_TRACK,
    ]  # fmt: skip
    low, high = sorted((a, b))
    base = {**RTA_NOT_OIC, "defendant_road_user": False, "injury": "3000",
            "other_protocol_damages": "0"}  # fmt: skip
    r_low = route(base, non_protocol_vehicle_costs=low)
    r_high = route(base, non_protocol_vehicle_costs=high)
    assert order.index(r_low.process) <= order.index(r_high.process)


def test_the_oic_portal_still_leaves_vehicle_costs_out_and_says_so():
    """guide 1.1.1: non-protocol vehicle costs never count towards the portal's limits; the
    route lists them as not counted for the portal."""
    r = route(RTA, non_protocol_vehicle_costs="50000")
    assert r.process is Process.OIC_PORTAL
    assert [(p.counted_for_track, p.counted_for_portal) for p in r.value_parts][2] == (
        True,
        False,
    )
    assert "Value counted" in str(r)


# --- review of issue 23 (h14): SI 2023/572 r.2(1), proceedings issued from 1 October 2023


@pytest.mark.parametrize(
    ("entry", "letter", "process"),
    [
        (date(2023, 9, 30), date(2023, 10, 1), Process.MULTI_TRACK),
        (date(2023, 9, 30), None, Process.MULTI_TRACK),
        (date(2023, 10, 1), date(2023, 10, 1), Process.INTERMEDIATE_TRACK),
        (date(2023, 10, 1), date(2023, 9, 30), Process.MULTI_TRACK),
    ],
)
def test_the_new_tracks_need_proceedings_issued_from_1_october_2023(entry, letter, process):
    """SI 2023/572 r.2(1): the amendments on allocation and costs "only apply to a claim
    where proceedings are issued on or after 1st October 2023"; r.2(2)(b) then asks about
    the letter of claim. A disease claim started (``entry_date``) on 30 September 2023 is
    under the old tracks whatever its letter date, and its letter date is not asked."""
    r = route(
        DISEASE, accident_date=date(2019, 5, 1), entry_date=entry,
        injury="30000", other_protocol_damages="20000", letter_of_claim_date=letter,
    )  # fmt: skip
    assert r.process is process
    assert not r.questions


def test_a_mandatory_head_is_not_applied_to_a_claim_started_before_1_october_2023():
    """SI 2023/572 r.2(1) and CPR 26.9(10)(a): a mesothelioma claim started on 30 September
    2023 is routed by value (the court may still allocate it to the multi-track), and the
    reason cites r.2(1); started on 1 October 2023 with no earlier letter, it is multi-track."""
    meso = {
        **DISEASE, "accident_date": date(2019, 5, 1), "injury": "3000",
        "other_protocol_damages": "500", "claim_category": "mesothelioma",
        "letter_of_claim_date": date(2023, 10, 1),
    }  # fmt: skip
    before = route(meso, entry_date=date(2023, 9, 30))
    assert before.process is not Process.MULTI_TRACK
    why = next(x for x in before.reasons if x.code == "mandatory_multi_track_not_in_force")
    assert why.reference == "SI 2023/572 r.2(1)"
    assert route(meso, entry_date=date(2023, 10, 1)).process is Process.MULTI_TRACK


def test_the_mib_route_and_the_claim_lifecycle_agree_on_40_business_days():
    """guide 6.3.1: where the MIB is the compensator its liability response is due in 40
    business days (30 for an insurer). The route for a traced uninsured driver
    (OIC_PORTAL_MIB) and the OIC claim lifecycle (``Claim`` submitted with compensator
    "mib", directly and replayed from its events as a backend stores them) give the same
    day; the RTA Protocol route's 30 business days are lowvalue's MIB period."""
    from rtaprotocol.claim import Claim
    from rtaprotocol.deadlines import add_business_days
    from rtaprotocol.lowvalue import protocol_deadline

    r = route(RTA, uninsured_driver=True)
    assert r.process is Process.OIC_PORTAL_MIB
    (days,) = [f.value for f in r.figures if f.reference == "guide 6.3.1"]
    entry = RTA["entry_date"]
    facts = ClaimFacts(**{k: v for k, v in RTA.items() if k in ClaimFacts.__init__.__annotations__})

    def liability_due(c: Claim) -> date:
        (due,) = [d.due for d in c.deadlines(entry) if d.period is not None]
        return due

    mib = Claim().submit(facts, on=entry, whiplash=True, compensator="mib")
    assert liability_due(mib) == add_business_days(entry, days) == add_business_days(entry, 40)
    assert liability_due(Claim.replay(mib.history)) == liability_due(mib)
    insurer = Claim().submit(facts, on=entry, whiplash=True, compensator="insurer")
    assert liability_due(insurer) == add_business_days(entry, 30)
    rta = route(RTA_NOT_OIC, uninsured_driver=True, injury="6000", other_protocol_damages="0")
    (cnf,) = [f.value for f in rta.figures if f.reference == "RTA Protocol para 6.11"]
    assert protocol_deadline("rta", "cnf_response", entry, mib=True).deadline == (
        add_business_days(entry, cnf)
    )


# --- mutation survivors: mandatory multi-track (ra)

_PL: dict[str, Any] = {**EL, "accident_type": "public-liability"}
_CN_HEAD_REF = (
    "CPR 26.9(10)(b) (SI 2023/572; the admission as amended by SI 2024/106 from 6 April 2024)"
)


def _reason(r: Route, code: str) -> tuple[str, str]:
    (x,) = [x for x in r.reasons if x.code == code]
    return x.message, x.reference


def test_an_unknown_category_of_a_disease_claim_with_its_letter_date_unknown_asks_the_category():
    """CPR 26.9(10) and SI 2023/572 r.2(2)(b): a disease claim started on 1 November 2023
    whose accident was before 1 October 2023 may be under the new tracks (its letter of claim
    date unknown); with the category unanswered, the category is asked first (the letter date
    matters only for a CPR 26.9(10) head), with its own reason, not the letter date."""
    r = route(
        DISEASE, accident_date=date(2022, 5, 1), entry_date=date(2023, 11, 1),
        claim_category=None, injury="15000", other_protocol_damages="5000",
    )  # fmt: skip
    assert r.process is None
    assert [q.field for q in r.questions] == ["claim_category"]
    assert r.codes == ("claim_category_unknown",)
    assert _reason(r, "claim_category_unknown") == (
        (
            "the claim is under the tracks in force from 1 October 2023 (or may be): whether it "
            "is one CPR 26.9(10) sends to the multi-track decides the track"
        ),
        "CPR 26.9(10)",
    )


def test_a_mesothelioma_claim_with_its_letter_date_unknown_asks_the_letter_date():
    """CPR 26.9(10)(a) and SI 2023/572 r.2(2)(b): a mesothelioma claim (a disease claim)
    started on 1 November 2023, accident in 2022, goes to the multi-track only if no letter
    of claim was sent before 1 October 2023: the letter date is asked, and only it."""
    r = route(
        DISEASE, accident_date=date(2022, 5, 1), entry_date=date(2023, 11, 1),
        claim_category="mesothelioma", injury="15000", other_protocol_damages="5000",
    )  # fmt: skip
    assert r.process is None
    assert [q.field for q in r.questions] == ["letter_of_claim_date"]
    assert r.codes == ("letter_of_claim_date_unknown",)
    assert _reason(r, "letter_of_claim_date_unknown")[1] == "SI 2023/572 r.2(2)(b)"


_NOT_IN_FORCE_TAIL = (
    " being before 1 October 2023; the track follows the value (the court may still "
    "allocate it to the multi-track for its complexity, CPR 26.13)"
)


@pytest.mark.parametrize(
    ("base", "changes", "head", "when", "ref"),
    [
        (  # started on the very day: the accident (r.2(2)(a)) decides, not the start
            _PL, {"accident_date": date(2023, 9, 30), "entry_date": date(2023, 10, 1),
                  "claim_category": "abuse"},
            ("a claim for damages in relation to harm, abuse or neglect of or by children or "
             "vulnerable adults"), "the accident", "SI 2023/572 r.2(2)(a)",
        ),
        (
            DISEASE, {"accident_date": date(2022, 5, 1), "entry_date": date(2023, 11, 1),
                      "claim_category": "mesothelioma",
                      "letter_of_claim_date": date(2023, 9, 30)},
            "a mesothelioma claim", "the letter of claim", "SI 2023/572 r.2(2)(b)",
        ),
        (
            _PL, {"accident_date": date(2023, 9, 1), "entry_date": date(2023, 9, 30),
                  "claim_category": "police"},
            ("a claim against the police which includes a claim for an intentional tort or "
             "under the Human Rights Act 1998"), "the claim's start (proceedings issued)",
            "SI 2023/572 r.2(1)",
        ),
    ],
)  # fmt: skip
def test_a_mandatory_head_not_in_force_says_which_date_keeps_it_out(base, changes, head, when, ref):
    """SI 2023/572 r.2: CPR 26.9(10) applies only to proceedings issued on or after 1
    October 2023 (r.2(1)) and then to a cause of action accruing on or after that day
    (r.2(2)(a)) or, for a disease claim, where no letter of claim was sent before it
    (r.2(2)(b)). Out of force, the reason names the head, the date that keeps it out, and
    cites that paragraph; a claim started on 1 October 2023 itself is issued in time."""
    r = route(base, injury="15000", other_protocol_damages="5000", **changes)
    assert r.process is not Process.MULTI_TRACK
    assert _reason(r, "mandatory_multi_track_not_in_force") == (
        f"{head}: CPR 26.9(10) does not apply, {when}{_NOT_IN_FORCE_TAIL}",
        ref,
    )


@pytest.mark.parametrize(
    ("injury", "other", "admitted", "process", "code", "message"),
    [
        (  # £25,000 is the fast track's top: not "normally" intermediate, so multi-track
            "20000", "5000", None, Process.MULTI_TRACK, "mandatory_multi_track", None,
        ),
        (  # £100,000 is the intermediate track's top: the admission is asked
            "60000", "40000", None, None, "clinical_negligence_admission_unknown",
            ("a clinical negligence claim of £100,000.00 would normally be allocated to the "
             "intermediate track: it stays there only if breach of duty and causation are "
             "admitted"),
        ),
        (
            "60000", "40000", True, Process.INTERMEDIATE_TRACK, "clinical_negligence_admitted",
            ("a clinical negligence claim of £100,000.00, which would normally be allocated to "
             "the intermediate track, with breach of duty and causation admitted: CPR "
             "26.9(10)(b) does not send it to the multi-track"),
        ),
        (
            "60000", "40000", False, Process.MULTI_TRACK, "mandatory_multi_track", None,
        ),
    ],
)  # fmt: skip
def test_clinical_negligence_at_the_edges_of_the_intermediate_track(
    injury, other, admitted, process, code, message
):
    """CPR 26.9(10)(b) (as amended by SI 2024/106) with CPR 26.9 (fast track up to
    £25,000, intermediate track over it up to £100,000): a clinical negligence claim of
    exactly £25,000 would normally be a fast track claim, so the multi-track whatever the
    admission; one of exactly £100,000 would normally be intermediate, so the admission of
    breach and causation decides, asked when unknown; each reason cites CPR 26.9(10)(b)."""
    r = route(
        _PL, accident_date=date(2024, 5, 1), entry_date=date(2024, 6, 1),
        claim_category="clinical-negligence", injury=injury, other_protocol_damages=other,
        clinical_negligence_admitted=admitted,
    )  # fmt: skip
    assert r.process is process
    assert [q.field for q in r.questions] == (
        ["clinical_negligence_admitted"] if process is None else []
    )
    msg, ref = _reason(r, code)
    if message is not None:
        assert (msg, ref) == (message, _CN_HEAD_REF)
    else:
        assert ref == f"{_CN_HEAD_REF}; SI 2023/572 r.2(2)(a)"


# --- mutation survivors: routes, courts and facts (rb)


def _reason(r: Route, code: str) -> tuple[str, str]:
    """The message and reference of the route's one reason with this code."""
    (found,) = [(x.message, x.reference) for x in r.reasons if x.code == code]
    return found


def test_a_letter_of_claim_on_the_accident_day_is_accepted():
    """SI 2023/572 r.2(2)(b): a letter of claim cannot be sent BEFORE the accident; one
    sent on the accident day itself is a valid date (the refusal is strictly earlier)."""
    facts = RoutingFacts(letter_of_claim_date=_CLAIM.accident_date, claim=_CLAIM)
    assert facts.letter_of_claim_date == date(2023, 3, 1)


@pytest.mark.parametrize(
    "name",
    ["uninsured_driver", "clinical_negligence_admitted", "defendant_individual",
     "more_than_one_employer"],
)  # fmt: skip
@pytest.mark.parametrize("answer", [True, False])
def test_from_dict_reads_each_true_or_false_answer(name, answer):
    """route-facts.schema.json: each of RoutingFacts' own answers (guide 6.3.1; CPR
    26.9(10)(b); EL/PL Protocol para 4.3) is read as given, true or false, never lost."""
    facts = RoutingFacts.from_dict({**_DOC, name: answer})
    assert getattr(facts, name) is answer


def test_an_untraced_driver_in_a_claim_that_is_not_road_traffic_is_named():
    """guide 4.2; Untraced Drivers' Agreement 2017: a claim against an untraced driver is a
    road traffic accident claim made to the MIB; an EL claim whose facts say so is routed on
    its own, and the route says why, citing the guide and the agreement."""
    r = route(EL, untraced_driver=True)
    assert r.process is Process.SMALL_CLAIMS_TRACK
    assert _reason(r, "untraced_driver_not_this_claim") == (
        (
            "the facts say the driver is untraced, but this is an employers-liability claim: a "
            "claim against the untraced driver is a road traffic accident claim, made to the "
            "Motor Insurers' Bureau (route it as road-traffic); this claim is routed on its own"
        ),
        "guide 4.2; Untraced Drivers' Agreement 2017",
    )


@pytest.mark.parametrize("unknown", ["injury", "other_protocol_damages"])
def test_no_value_parts_while_either_amount_is_unknown(unknown):
    """CPR 26.9; guide 1.1.1: the value's parts are listed only once both the injury and the
    other damages are known; with either unknown it is asked and no part is shown."""
    r = route(EL, **{unknown: None})
    assert r.process is None
    assert r.value_parts == ()
    assert [q.field for q in r.questions] == [unknown]


def test_a_claim_started_on_1_october_2023_is_under_the_new_tracks():
    """SI 2023/572 r.2(1), r.2(2)(a): proceedings issued on or after 1 October 2023 for a cause
    of action on or after that day: a claim started ON that day is under the new tracks and
    the route cites r.2(2)(a), not the 'started before' rule r.2(1)."""
    r = route(
        EL, accident_date=date(2023, 10, 1), entry_date=date(2023, 10, 1),
        other_protocol_damages="50000",
    )  # fmt: skip
    assert r.process is Process.INTERMEDIATE_TRACK
    message, reference = _reason(r, "intermediate_track")
    assert "cause of action on or after 1 October 2023" in message
    assert reference.endswith("; SI 2023/572 r.2(2)(a)")


def test_a_disease_claim_with_no_letter_and_a_later_accident_says_so():
    """SI 2023/572 r.2(2)(b): a disease claim is under the new tracks if no letter of claim
    was sent before 1 October 2023; with the accident after that day no letter date is
    needed, and the reason says 'no letter of claim before 1 October 2023'."""
    r = route(
        EL, accident_type="disease", accident_date=date(2023, 10, 2),
        entry_date=date(2023, 11, 1), other_protocol_damages="50000",
    )  # fmt: skip
    assert r.process is Process.INTERMEDIATE_TRACK
    message, reference = _reason(r, "intermediate_track")
    assert (
        "is more than £25,000.00 and not more than £100,000.00 [S], no letter of claim before "
        "1 October 2023: the intermediate track, no portal"
    ) in message
    assert reference.endswith("; SI 2023/572 r.2(2)(b)")


def test_an_elpl_claim_counts_vehicle_costs_without_the_rta_protocol_rule():
    """CPR 26.9(1)(a)(i), 26.13: the track limits count the whole value; RTA Protocol para 4.4
    (vehicle-related damages left out of the protocol's limit) is a road traffic rule, so an
    EL claim's reason neither says nor cites it."""
    r = route(EL, non_protocol_vehicle_costs="100")
    assert _reason(r, "whole_value_counted") == (
        (
            "the court's track limits count the whole value of the claim, £1,600.00, including "
            "£100.00 of non-protocol vehicle costs (credit hire and other vehicle losses)"
        ),
        "CPR 26.9(1)(a)(i), 26.13",
    )


def test_unanswered_exclusions_of_two_paragraphs_cite_both():
    """RTA Protocol para 4.5 and para 1.1 (the definition of a road traffic accident): with
    an exclusion of each still unanswered, the question cites both paragraphs, '; '-joined."""
    r = route(
        RTA_NOT_OIC, claimant_protected_party=None, health_and_safety_breach=None,
        injury="6000", other_protocol_damages="0",
    )  # fmt: skip
    assert r.process is None
    assert _reason(r, "protocol_exclusions_unknown")[1] == (
        "RTA Protocol para 4.5; RTA Protocol para 1.1 ('road traffic accident')"
    )


_POLICE_EL = {
    **EL,
    "accident_date": date(2023, 11, 1),
    "entry_date": date(2023, 12, 1),
    "claim_category": "police",
    "injury": "5000",
}


def test_a_low_value_police_claim_uses_the_portal_but_is_multi_track_if_issued():
    """CPR 26.9(10): a claim against the police (not one of EL/PL Protocol para 4.3's
    exclusions) of not more than £25,000 uses the Claims Portal; the route warns that, if
    proceedings are issued, it must be allocated to the multi-track, citing CPR 26.9(10)."""
    r = route(_POLICE_EL)
    assert r.process is Process.ELPL_PROTOCOL
    assert _reason(r, "multi_track_if_issued") == (
        "if proceedings are issued, the claim must be allocated to the multi-track",
        "CPR 26.9(10)",
    )


def test_a_traced_uninsured_driver_in_the_rta_protocol_has_the_mib_as_defendant():
    """RTA Protocol para 1.1 and 6.11; Uninsured Drivers' Agreement 2015: the MIB is the
    defendant and responds to the CNF within 30 business days, not 15."""
    r = route(RTA_NOT_OIC, uninsured_driver=True, injury="6000", other_protocol_damages="0")
    assert r.process is Process.RTA_PROTOCOL_MIB
    assert _reason(r, "mib_defendant") == (
        (
            "the driver is traced but uninsured: the Motor Insurers' Bureau is the defendant under "
            "the protocol and responds to the Claim Notification Form within 30 business days, "
            "not 15"
        ),
        "RTA Protocol para 1.1; RTA Protocol para 6.11; Uninsured Drivers' Agreement 2015",
    )


_MIB_COURT = (
    (
        "the driver is traced but uninsured: the claim is brought against the driver and the "
        "Motor Insurers' Bureau, which meets an unsatisfied judgment under the Uninsured Drivers' "
        "Agreement 2015"
    ),
    "Uninsured Drivers' Agreement 2015",
)


def test_a_traced_uninsured_driver_in_court_names_the_mib():
    """Uninsured Drivers' Agreement 2015: outside the portals the claim is brought against
    the driver and the MIB meets an unsatisfied judgment: said on a court route by value."""
    r = route(RTA_NOT_OIC, uninsured_driver=True, injury="6000", other_protocol_damages="20000")
    assert r.process is Process.MULTI_TRACK  # £26,000, accident before 1 October 2023
    assert _reason(r, "mib_uninsured_driver") == _MIB_COURT


def test_a_road_traffic_police_claim_above_25000_is_multi_track_with_the_mib():
    """CPR 26.9(10): a road traffic claim in a category it lists (here a police claim),
    accident and claim after 1 October 2023, above £25,000: the multi-track whatever its
    value; a traced uninsured driver's claim names the MIB there too (UDA 2015)."""
    r = route(
        RTA_NOT_OIC, accident_date=date(2023, 11, 1), entry_date=date(2023, 12, 1),
        claim_category="police", uninsured_driver=True, injury="6000",
        other_protocol_damages="24000",
    )  # fmt: skip
    assert r.process is Process.MULTI_TRACK
    assert _reason(r, "mib_uninsured_driver") == _MIB_COURT
    assert _reason(r, "multi_track")[1] == "CPR 26.9(10)"


_OLD_DISEASE = {
    **EL,
    "accident_type": "disease",
    "accident_date": date(2023, 3, 1),
    "entry_date": date(2024, 1, 8),
    "injury": "50000",
}


def test_a_disease_claim_above_100000_is_multi_track_without_the_letter_date():
    """CPR 26.9 (as substituted by SI 2023/572): above £100,000 a claim is multi-track on
    either set of tracks, so the letter of claim date (r.2(2)(b)) is not asked and the
    intermediate limit is neither cited nor said to apply."""
    r = route(_OLD_DISEASE, other_protocol_damages="100000")
    assert r.process is Process.MULTI_TRACK
    assert _reason(r, "multi_track")[0] == (
        "the claim of £150,000.00 is above the fast track limits: the multi-track, no portal"
    )
    assert all("intermediate" not in (f.name or "") for f in r.figures)
    assert len(r.figures) == 4


@pytest.mark.parametrize(
    ("letter", "process"),
    [(None, None), (date(2023, 10, 2), Process.INTERMEDIATE_TRACK),
     (date(2023, 9, 29), Process.MULTI_TRACK)],
)  # fmt: skip
def test_a_disease_claim_of_exactly_100000_depends_on_the_letter_date(letter, process):
    """CPR 26.9 (SI 2023/572): £100,000 is within the intermediate track's limit ('not more
    than'), so a disease claim of exactly that sum depends on the letter of claim date
    (r.2(2)(b)): asked when unknown, the intermediate track after 1 October 2023, the
    multi-track (above the old fast track's £25,000) before."""
    r = route(_OLD_DISEASE, other_protocol_damages="50000", letter_of_claim_date=letter)
    assert r.process is process
    if letter is None:
        assert [q.field for q in r.questions] == ["letter_of_claim_date"]


def test_each_mandatory_multi_track_head_as_json():
    """CPR 26.9(10): each head's JSON names its category slug, description, start date,
    reference and confidence code, under these exact keys."""
    for m in MANDATORY_MULTI_TRACK:
        assert m.to_dict() == {
            "category": m.category.value,
            "description": m.description,
            "applies_from": m.applies_from.isoformat(),
            "reference": m.reference,
            "confidence": m.confidence.code,
        }
