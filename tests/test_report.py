"""Tests for rtaprotocol/report.py: the claim's whole report as a value (issue 24).

The report is what ``rtaprotocol assess`` prints (tests/test_cli_assess.py checks the CLI
against its golden files); here: the injuries it values (guide 4.4), its agreement with
the claim's own queries on the same date (guide 6.1 to 6.6), its three views, and every
refusal word for word (tests/golden/errors/report.txt).
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import golden_errors
from rtaprotocol.claim import Claim
from rtaprotocol.eligibility import ClaimFacts
from rtaprotocol.errors import RulesError, RulesTypeError
from rtaprotocol.jcg import JcgArea
from rtaprotocol.losses import ListOfLosses, LossItem
from rtaprotocol.report import ClaimReport, Injuries, NonWhiplashInjury

FACTS = ClaimFacts(accident_date=date(2024, 3, 4), entry_date=date(2024, 3, 20))
SECTIONS = (
    "== Eligibility ==",
    "== Injury valuation ==",
    "== Payment for the latest offer ==",
    "== Negotiation ==",
    "== Deadlines (overdue first) ==",
    "== What each side may do next ==",
    "== Limitation ==",
    "== History ==",
)
WRIST = NonWhiplashInjury("arm-hand", "1500", "sprained left wrist")


def _claim() -> Claim:
    losses = ListOfLosses(
        items=[LossItem("injury-loss-of-earnings", 1000), LossItem("property-excess", 250)]
    )
    c = Claim().act("submitted", on=date(2024, 3, 20), facts=FACTS, whiplash=True, losses=losses)
    c = c.act("liability-response", on=date(2024, 4, 2), response="admit-part", percent=80)
    c = c.act("proceed-to-medical", on=date(2024, 4, 3))
    c = c.act("medical-report-received", on=date(2024, 4, 20), report="first")
    c = c.act("medical-report-shared", on=date(2024, 4, 22))
    c = c.act("offer-requested", on=date(2024, 4, 23))
    return c.act(
        "offer", on=date(2024, 5, 1), party="compensator", amount=2250, injury=1000,
        items=[1000, 250],
    )  # fmt: skip


def test_the_injuries_are_valued_by_the_tariff_the_jcg_and_hassam() -> None:
    """Guide 4.4.1, 4.4.2: an 8-month whiplash injury with a minor psychological injury is
    £895 (Table 1 for an accident on 4 March 2024); with a £1,500 wrist injury and £300 of
    overlap the mixed award is £2,095 (Hassam v Rabot), the JCG brackets shown alongside."""
    r = _claim().report(
        date(2024, 5, 2),
        injuries=Injuries(whiplash_months=8, psychological=True, non_whiplash=[WRIST], overlap=300),
    )
    assert r.tariff is not None
    assert r.tariff.amount == Decimal("895.00")
    assert r.mixed is not None
    assert r.mixed.total == Decimal("2095.00")
    assert [e.area for e in r.jcg] == [JcgArea.ARM_HAND]
    data = r.to_dict()["valuation"]
    assert data["non_whiplash"][0]["description"] == "sprained left wrist"
    assert data["non_whiplash"][0]["amount"] == "1500.00"
    assert data["mixed"]["total"] == "2095.00"
    assert "Non-whiplash injury: sprained left wrist, claimed £1,500.00" in str(r)


def test_without_injuries_the_valuation_says_so() -> None:
    """The events say only whether a whiplash injury is claimed: with no injuries given,
    the valuation is empty and says so, and the rest of the report is whole."""
    r = _claim().report(date(2024, 5, 2))
    assert (r.tariff, r.mixed, r.jcg) == (None, None, ())
    assert "No injury described in the file." in str(r)
    assert r.to_dict()["valuation"] == {"tariff": None, "non_whiplash": [], "mixed": None}
    assert r.payment is not None
    assert r.payment.total == Decimal("1800.00")  # 2,250 less 20% (guide 6.5.2)


def test_a_non_whiplash_injury_alone_is_described_without_a_mixed_award() -> None:
    """Guide 4.4.2: a non-whiplash injury alone is valued outside the tariff: its JCG
    brackets are shown, and there is no mixed award to work out."""
    bare = NonWhiplashInjury("arm-hand", 900)
    r = _claim().report(date(2024, 5, 2), injuries=Injuries(non_whiplash=[bare]))
    assert r.mixed is None
    assert len(r.jcg) == 1
    assert "Non-whiplash injury: " + JcgArea.ARM_HAND.title + ", claimed £900.00" in str(r)


def test_an_overlap_with_nothing_to_come_off_is_refused() -> None:
    """Guide 4.4.2: the overlap comes off a mixed claim; with no whiplash or no other
    injury there is nothing for it to come off, so it is refused, never ignored."""
    for injuries in (Injuries(overlap=100), Injuries(whiplash_months=8, overlap=100)):
        with pytest.raises(RulesError, match="an overlap comes off a mixed claim") as err:
            _claim().report(date(2024, 5, 2), injuries=injuries)
        assert err.value.field == "overlap"


def test_a_duration_outside_the_tariff_is_refused_when_valued() -> None:
    """CLA 2018 s.3: the tariff runs to 24 months; the duration is valued against the
    accident date when the report is built, and one it cannot value is refused."""
    with pytest.raises(RulesError):
        _claim().report(date(2024, 5, 2), injuries=Injuries(whiplash_months=-1))


def test_the_inputs_are_checked_for_their_type() -> None:
    """Bad input never gives a silent wrong answer: each field is refused by name."""
    cases = [
        (lambda: Injuries(whiplash_months=7.5), "whiplash_months"),
        (lambda: Injuries(whiplash_months=True), "whiplash_months"),
        (lambda: Injuries(whiplash_months="8"), "whiplash_months"),
        (lambda: Injuries(psychological="yes"), "psychological"),
        (lambda: Injuries(uplift_percent=21), "uplift_percent"),
        (lambda: Injuries(non_whiplash=WRIST), "non_whiplash"),
        (lambda: Injuries(non_whiplash=[{"area": "arm-hand"}]), "non_whiplash[0]"),
        (lambda: Injuries(overlap="-1"), "overlap"),
        (lambda: NonWhiplashInjury("elbow", 1), "area"),
        (lambda: NonWhiplashInjury("arm-hand", "1.001"), "amount"),
        (lambda: NonWhiplashInjury("arm-hand", 1, 5), "description"),
        (lambda: NonWhiplashInjury("arm-hand", 1, "x" * 2001), "description"),
    ]
    for build, field in cases:
        with pytest.raises(RulesError) as err:
            build()
        assert err.value.field == field
    with pytest.raises(RulesTypeError):
        _claim().report(date(2024, 5, 2), injuries={"whiplash_months": 8})  # type: ignore[arg-type]


def test_the_report_is_frozen_and_equal_for_the_same_claim_and_date() -> None:
    """A value: built twice from the same claim and date, equal, and the same JSON bytes."""
    c = _claim()
    a = c.report(date(2024, 5, 2), injuries=Injuries(whiplash_months=8))
    b = c.report(date(2024, 5, 2), injuries=Injuries(whiplash_months=8))
    assert a == b
    assert json.dumps(a.to_dict()) == json.dumps(b.to_dict())
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        a.on = date(2024, 5, 3)  # type: ignore[misc]


@given(st.integers(0, 900))
def test_the_report_agrees_with_the_claims_own_queries_on_any_date(days: int) -> None:
    """Property: on any date on or after the last event, the report's parts are the claim's
    own answers for that date (guide 6.1 to 6.6), its text has every section in order and
    its data is JSON."""
    c = _claim()
    on = c.history[-1].on + timedelta(days=days)
    r = c.report(on)
    assert r.next_steps == c.next_steps(on)
    assert r.payment == c.payment()
    data = json.loads(json.dumps(r.to_dict()))
    assert data["as_of"] == on.isoformat()
    assert data["next_steps"] == json.loads(json.dumps(c.next_steps(on).to_dict()))
    assert data["limitation_deadline"] == c.limitation_deadline.isoformat()
    text = str(r)
    places = [text.index(s) for s in SECTIONS]
    assert places == sorted(places)
    assert text.startswith(f"Claim assessed as at {on}: step offer")


def test_the_html_view_shows_each_section_after_the_verdict() -> None:
    """The notebook view: where the claim stands first, then each part under its heading."""
    markup = _claim().report(date(2024, 5, 2))._repr_html_()
    assert markup.startswith('<p role="status"')
    assert "Claim assessed as at Thu 2 May 2024: step offer" in markup
    for section in SECTIONS:
        assert f"<h4>{section.strip('= ')}</h4>" in markup


def test_report_is_claim_report() -> None:
    """The value Claim.report returns is a ClaimReport, for type checks and isinstance."""
    assert isinstance(_claim().report(date(2024, 5, 2)), ClaimReport)


ERRORS = {
    "an overlap with no injury to come off": lambda: _claim().report(
        date(2024, 5, 2), injuries=Injuries(overlap=100)
    ),
    "injuries that are not Injuries": lambda: _claim().report(
        date(2024, 5, 2),
        injuries={"whiplash_months": 8},  # type: ignore[arg-type]
    ),
    "months as a float": lambda: Injuries(whiplash_months=7.5),
    "a psychological flag that is not a bool": lambda: Injuries(psychological="yes"),
    "an uplift above 20%": lambda: Injuries(uplift_percent=21),
    "non-whiplash injuries that are not a list": lambda: Injuries(non_whiplash=WRIST),
    "a non-whiplash injury as a dict": lambda: Injuries(non_whiplash=[{"area": "arm-hand"}]),
    "a negative overlap": lambda: Injuries(overlap="-1"),
    "an unknown JCG area": lambda: NonWhiplashInjury("elbow", 1),
    "a description that is not a string": lambda: NonWhiplashInjury("arm-hand", 1, 5),
    "a description too long": lambda: NonWhiplashInjury("arm-hand", 1, "x" * 2001),
}


def test_every_refusal_matches_its_golden_file() -> None:
    """Every refusal of the report module: type, field, reference, value and message, word
    for word (tests/golden/errors/report.txt)."""
    golden_errors.check("report", ERRORS)


# --- Injuries.from_dict: the injuries as JSON, for a backend (issue 27) ---------------------


def test_injuries_from_dict_reads_the_assess_shape() -> None:
    """Guide 4.4: the whiplash duration (whole or "7.5" months), psychological, the uplift
    (WIR 2021 reg 3(3)), the non-whiplash injuries (guide 4.4.2) and the overlap; the same
    injuries as built in Python, and back from to_dict()."""
    data = {
        "whiplash": {"months": "7.5", "psychological": True, "uplift_percent": "10"},
        "non_whiplash": [{"area": "arm-hand", "amount": "1500", "description": "wrist"}],
        "overlap": "100",
    }
    read = Injuries.from_dict(data)
    assert read == Injuries(
        whiplash_months=Decimal("7.5"),
        psychological=True,
        uplift_percent=10,
        non_whiplash=(NonWhiplashInjury(JcgArea.ARM_HAND, 1500, "wrist"),),
        overlap=100,
    )
    assert Injuries.from_dict(read.to_dict()) == read
    assert Injuries.from_dict({}) == Injuries()
    assert Injuries.from_dict({"whiplash": None}).whiplash_months is None


def test_injuries_from_dict_names_every_problem_at_its_pointer() -> None:
    """Every problem at once, each at its JSON pointer and with its code: an unknown key, a
    float for months (never read as a number of months), an uplift over 20% (WIR 2021 reg
    3(3)), an unknown JCG area, a fraction of a penny, a negative overlap."""
    from rtaprotocol.errors import InputError

    data = {
        "whiplash": {"months": 7.5, "uplift_percent": "25", "extra": 1},
        "non_whiplash": [{"area": "elbow", "amount": "1.005"}, 3],
        "overlap": -1,
    }
    with pytest.raises(InputError) as caught:
        Injuries.from_dict(data, where="")
    assert [(p.pointer, p.code.value) for p in caught.value.problems] == [
        ("/whiplash/extra", "field.unknown"),
        ("/whiplash/months", "type.wrong"),
        ("/whiplash/uplift_percent", "percent.out-of-range"),
        ("/non_whiplash/0/area", "enum.unknown"),
        ("/non_whiplash/0/amount", "money.too-many-places"),
        ("/non_whiplash/1", "type.wrong"),
        ("/overlap", "money.negative"),
    ]
    with pytest.raises(RulesTypeError) as one:
        Injuries.from_dict([1])
    assert one.value.pointer == "/injuries"
