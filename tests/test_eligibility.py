"""Tests for rtaprotocol.eligibility: guide 4.1, 4.2, 4.3, 5.4, 6.4.2, 6.6.2.1."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import jsonschema
import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

import golden_errors
import views
from rtaprotocol import eligibility
from rtaprotocol.deadlines import eighteenth_birthday
from rtaprotocol.eligibility import (
    CRITERIA,
    DEFAULT_LIMITATION_WARNING_DAYS,
    PORTAL_ACCIDENTS_FROM,
    ClaimFacts,
    EligibilityResult,
    ExitReason,
    Location,
    RoadUserRole,
    check_eligibility,
    check_revaluation,
    medical_report_outlook,
)
from rtaprotocol.errors import InvalidInput, OutOfCoverageError, RulesError, RulesTypeError
from rtaprotocol.sources import resolve
from strategies import money

SCHEMA_PATH = (
    Path(__file__).resolve().parent.parent
    / "src"
    / "rtaprotocol"
    / "data"
    / "schemas"
    / "claim-facts.schema.json"
)

#: A claim that meets every criterion: entered the day its claimant turns 18, exactly
#: at both value limits, with non-protocol vehicle costs and fees that would otherwise
#: cross the £10,000 line.
ELIGIBLE: dict[str, Any] = {
    "accident_date": date(2023, 3, 1),
    "entry_date": date(2023, 4, 3),
    "date_of_birth": date(2005, 4, 3),
    "accident_location": Location.ENGLAND,
    "road_user": RoadUserRole.VEHICLE_OCCUPANT,
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
    "injury": Decimal("5000.00"),
    "other_protocol_damages": Decimal("5000.00"),
    "non_protocol_vehicle_costs": Decimal("12000.00"),
    "fees": Decimal("180.00"),
}

#: The answers that may be unknown (every field but the two dates and the never-counted
#: amounts).
OPTIONAL = [
    name
    for name in ELIGIBLE
    if name not in {"accident_date", "entry_date", "non_protocol_vehicle_costs", "fees"}
]

#: For each criterion, changes to ELIGIBLE that fail it and nothing else.
FAILING: dict[str, dict[str, Any]] = {
    "injury_over_limit": {"injury": Decimal("5000.01"), "other_protocol_damages": Decimal(0)},
    "total_over_limit": {"other_protocol_damages": Decimal("5000.01")},
    "claimant_under_18": {"date_of_birth": date(2005, 4, 4)},
    "accident_outside_england_and_wales": {"accident_location": Location.SCOTLAND},
    "accident_before_31_may_2021": {
        "accident_date": date(2021, 5, 30),
        "entry_date": date(2021, 6, 1),
        "date_of_birth": date(1990, 1, 1),
    },
    "vulnerable_road_user": {"road_user": RoadUserRole.CYCLIST},
    "no_one_else_to_blame": {"someone_else_to_blame": False},
    "registration_unknown": {"other_vehicle_registration_known": False},
    "other_vehicle_not_uk_registered": {"other_vehicle_uk_registered": False},
    "no_injury": {"injury": Decimal("0.00")},
    "claimant_protected_party": {"claimant_protected_party": True},
    "defendant_protected_party": {"defendant_protected_party": True},
    "health_and_safety_breach": {"health_and_safety_breach": True},
    "defendant_not_road_user": {"defendant_road_user": False},
    "untraced_driver": {"untraced_driver": True},
    "claimant_personal_representative": {"claimant_personal_representative": True},
    "defendant_personal_representative": {"defendant_personal_representative": True},
    "claimant_bankrupt": {"claimant_bankrupt": True},
}


def make(**changes: Any) -> ClaimFacts:
    return ClaimFacts(**{**ELIGIBLE, **changes})


def codes(facts: ClaimFacts, **kwargs: Any) -> tuple[str, ...]:
    return check_eligibility(facts, **kwargs).codes


# --------------------------------------------------------------------------- criteria


def test_fully_eligible_case():
    """A claim meeting every criterion of guide 4.1 and 4.2 is eligible, with nothing open."""
    result = check_eligibility(make())
    assert result.eligible is True
    assert result.verdict == "eligible"
    assert result.reasons == result.questions == result.redirects == result.warnings == ()
    assert all(c.met is True for c in result.checks)
    assert [c.criterion for c in result.checks] == list(CRITERIA)


def test_every_criterion_has_a_single_failure_case():
    """The table of single failures covers every criterion, so each is tested alone."""
    assert set(FAILING) == {c.code for c in CRITERIA}


@pytest.mark.parametrize("code", list(FAILING))
def test_each_criterion_fails_alone(code: str):
    """A case failing one criterion is refused with exactly that reason and its reference."""
    result = check_eligibility(make(**FAILING[code]))
    criterion = next(c for c in CRITERIA if c.code == code)
    assert result.eligible is False
    assert result.verdict == "not eligible"
    assert result.codes == (code,)
    assert result.questions == ()
    (reason,) = result.reasons
    assert reason.reference == criterion.reference
    assert re.search(r"guide \d", reason.reference)
    assert reason.message
    assert [c.criterion.code for c in result.checks if c.met is False] == [code]


@pytest.mark.parametrize("role", [r for r in RoadUserRole if r.vulnerable])
def test_every_vulnerable_road_user_is_refused(role: RoadUserRole):
    """Each vulnerable road user in guide 4.2 fails the "inside a vehicle" criterion (4.1)."""
    result = check_eligibility(make(road_user=role))
    assert result.codes == ("vulnerable_road_user",)
    assert role.description in result.reasons[0].message


def test_vulnerable_road_users_are_the_guides_list():
    """Guide 4.2 lists nine vulnerable road users; only a vehicle occupant is not one."""
    assert sum(r.vulnerable for r in RoadUserRole) == 9
    assert [r for r in RoadUserRole if not r.vulnerable] == [RoadUserRole.VEHICLE_OCCUPANT]


@pytest.mark.parametrize(
    "place", [Location.SCOTLAND, Location.NORTHERN_IRELAND, Location.ELSEWHERE]
)
def test_accidents_outside_england_and_wales_are_refused(place: Location):
    """Only England and Wales are covered (guide 4.1); Wales is as good as England."""
    assert codes(make(accident_location=place)) == ("accident_outside_england_and_wales",)
    assert check_eligibility(make(accident_location="wales")).eligible is True


def test_redirects_for_missing_or_foreign_registration():
    """No registration number points to the MIB, foreign plates to the MIB Green Card (4.3)."""
    mib = check_eligibility(make(other_vehicle_registration_known=False)).redirects
    assert [r.code for r in mib] == ["motor_insurers_bureau"]
    green = check_eligibility(make(other_vehicle_uk_registered=False)).redirects
    assert [r.code for r in green] == ["mib_green_card"]
    assert green[0].to == "Motor Insurers' Bureau Green Card"
    both = check_eligibility(
        make(other_vehicle_registration_known=False, other_vehicle_uk_registered=False)
    )
    assert [r.code for r in both.redirects] == ["motor_insurers_bureau", "mib_green_card"]
    assert all(r.reference == "guide 4.3" for r in both.redirects)
    unknown = check_eligibility(make(other_vehicle_uk_registered=None))
    assert unknown.redirects == ()


def test_redirect_reasons_say_so_and_carry_the_redirect():
    """A redirect is distinguishable from a refusal: its reason says so and carries where to go."""
    result = check_eligibility(
        make(other_vehicle_registration_known=False, other_vehicle_uk_registered=False)
    )
    mib, green = result.reasons
    assert mib.redirect is not None
    assert mib.redirect.code == "motor_insurers_bureau"
    assert green.redirect is not None
    assert green.redirect.code == "mib_green_card"
    assert mib.message.startswith("redirect: ")
    assert "go instead to the Motor Insurers' Bureau," in mib.message
    assert "go instead to the Motor Insurers' Bureau Green Card" in green.message
    assert result.redirects == (mib.redirect, green.redirect)
    data = result.to_dict()
    assert data["reasons"][0]["redirect"]["to"] == "Motor Insurers' Bureau"
    plain = check_eligibility(make(claimant_bankrupt=True))
    assert plain.reasons[0].redirect is None
    assert plain.to_dict()["reasons"][0]["redirect"] is None
    assert "redirect" not in plain.reasons[0].message


def test_headline_sends_a_redirected_claimant_where_to_go():
    """Regression: a redirect-only refusal said "seek advice"; it now names the MIB first."""
    only = check_eligibility(make(other_vehicle_registration_known=False))
    assert only.eligible is False
    assert only.headline == (
        "Not eligible: this claim cannot use the Official Injury Claim portal; the guide "
        "redirects you: go instead to the Motor Insurers' Bureau (guide 4.1, 4.3)"
    )
    assert "seek advice" not in only.headline
    text = str(only)
    assert text.splitlines()[0] == only.headline
    assert text.index("Where to go instead") < text.index("Reasons")
    assert only.to_dict()["headline"] == only.headline
    mixed = check_eligibility(make(other_vehicle_uk_registered=False, road_user="cyclist"))
    assert "seek advice" in mixed.headline
    assert "Motor Insurers' Bureau Green Card (guide 4.3)" in mixed.headline
    plain = check_eligibility(make(road_user="cyclist"))
    assert plain.headline.endswith("seek advice (guide 4.1, 4.2)")
    assert "redirect" not in plain.headline


def test_value_limit_criteria_reuse_the_limits_check(monkeypatch: pytest.MonkeyPatch):
    """The two value criteria come from limits.check_value_limits, even with one amount unknown."""
    calls: list[tuple[Any, ...]] = []
    real = eligibility.check_value_limits

    def spy(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(eligibility, "check_value_limits", spy)
    result = check_eligibility(make(injury=None, other_protocol_damages="10000.01"))
    assert result.codes == ("total_over_limit",)
    assert calls
    assert all(args[0] == Decimal(0) for args in calls)  # the unknown injury counted as £0


# --------------------------------------------------------------------------- boundaries


def test_eighteenth_birthday_on_the_entry_date_is_eligible():
    """Age is taken on the day the claim is entered: turning 18 that day is old enough."""
    assert check_eligibility(make(date_of_birth=date(2005, 4, 3))).eligible is True
    result = check_eligibility(make(date_of_birth=date(2005, 4, 4)))
    assert result.codes == ("claimant_under_18",)
    assert "2023-04-04" in result.reasons[0].message


def test_leap_day_birthday_turns_18_on_1_march():
    """Born on 29 February: 18 on 1 March in a non-leap year, so 28 February is too soon."""
    base = {"accident_date": date(2022, 2, 1), "date_of_birth": date(2004, 2, 29)}
    assert codes(make(**base, entry_date=date(2022, 2, 28))) == ("claimant_under_18",)
    assert codes(make(**base, entry_date=date(2022, 3, 1))) == ()


def test_age_uses_entry_date_not_accident_date():
    """A claimant aged 17 at the accident may enter the claim once 18 (guide 4.1, 5.4)."""
    facts = make(accident_date=date(2022, 6, 1), entry_date=date(2023, 4, 3))
    assert facts.date_of_birth is not None
    assert facts.date_of_birth + relativedelta(years=17) < facts.accident_date
    assert check_eligibility(facts).eligible is True


def test_accident_on_31_may_2021_is_in_and_30_may_is_out():
    """The portal takes accidents on or after 31 May 2021 (guide 4.1)."""
    later = {"entry_date": date(2021, 6, 1), "date_of_birth": date(1990, 1, 1)}
    assert codes(make(accident_date=date(2021, 5, 31), **later)) == ()
    assert codes(make(accident_date=date(2021, 5, 30), **later)) == ("accident_before_31_may_2021",)
    assert date(2021, 5, 31) == PORTAL_ACCIDENTS_FROM


@pytest.mark.parametrize(
    ("injury", "other", "expected"),
    [
        ("5000.00", "0", ()),
        ("5000.01", "0", ("injury_over_limit",)),
        ("5000.00", "5000.00", ()),
        ("4999.99", "5000.02", ("total_over_limit",)),
        ("5000.01", "5000.00", ("injury_over_limit", "total_over_limit")),
    ],
)
def test_value_limit_boundaries(injury: str, other: str, expected: tuple[str, ...]):
    """Exactly £5,000 and £10,000 are inside; a penny over either is out (guide 4.1)."""
    result = check_eligibility(make(injury=injury, other_protocol_damages=other))
    assert result.codes == expected
    assert result.value_limits is not None
    assert result.value_limits.within_limits is (expected == ())


def test_non_protocol_vehicle_costs_and_fees_never_count():
    """NVC and fees that would take the total past £10,000 do not count (guide 1.1.1, 5.3)."""
    result = check_eligibility(make(non_protocol_vehicle_costs="50000", fees="9999.99"))
    assert result.eligible is True
    assert result.value_limits is not None
    assert result.value_limits.total == Decimal("10000.00")
    assert result.value_limits.non_protocol_vehicle_costs == Decimal("50000.00")


# --------------------------------------------------------------------------- unknowns


@pytest.mark.parametrize("name", OPTIONAL)
def test_one_unknown_answer_means_cannot_tell_yet(name: str):
    """An unknown answer never gives a silent yes: the result is None with its question."""
    result = check_eligibility(make(**{name: None}))
    assert result.eligible is None
    assert result.verdict == "cannot tell yet"
    assert result.reasons == ()
    assert [q.field for q in result.questions] == [name]
    assert result.questions[0].question.endswith("?")
    assert re.search(r"guide \d", result.questions[0].reference)


def test_known_failure_with_unknowns_is_false_and_lists_questions():
    """A known failure makes the answer False, and the open questions are still listed."""
    result = check_eligibility(
        make(claimant_bankrupt=True, date_of_birth=None, untraced_driver=None)
    )
    assert result.eligible is False
    assert result.codes == ("claimant_bankrupt",)
    assert [q.field for q in result.questions] == ["date_of_birth", "untraced_driver"]


def test_nothing_known_asks_every_question_in_criteria_order():
    """With only the dates, every answer is asked for, once, in CRITERIA order."""
    facts = ClaimFacts(accident_date=date(2023, 3, 1), entry_date=date(2023, 4, 3))
    result = check_eligibility(facts)
    assert result.eligible is None
    ordered = list(dict.fromkeys(f for c in CRITERIA for f in c.fields if f in OPTIONAL))
    assert [q.field for q in result.questions] == ordered
    assert set(ordered) == set(OPTIONAL)
    assert result.value_limits is None


def test_other_damages_alone_over_total_fails_whatever_the_injury():
    """Amounts are never negative, so other damages over £10,000 fail with injury unknown."""
    result = check_eligibility(make(injury=None, other_protocol_damages="10000.01"))
    assert result.eligible is False
    assert result.codes == ("total_over_limit",)
    assert "at least" in result.reasons[0].message
    assert [q.field for q in result.questions] == ["injury"]


def test_injury_over_total_makes_other_damages_irrelevant():
    """An injury over £10,000 fails both limits; the other damages are then not asked for."""
    result = check_eligibility(make(injury="10000.01", other_protocol_damages=None))
    assert result.codes == ("injury_over_limit", "total_over_limit")
    assert result.questions == ()


def test_injury_over_its_limit_still_asks_for_other_damages():
    """Injury over £5,000 but under £10,000: the total is still open, so it is asked for."""
    result = check_eligibility(make(injury="6000", other_protocol_damages=None))
    assert result.eligible is False
    assert result.codes == ("injury_over_limit",)
    assert [q.field for q in result.questions] == ["other_protocol_damages"]


# --------------------------------------------------------------------------- limitation


def test_limitation_warning_window_edges():
    """Warn when the deadline is at most N days after entry; passed when before entry (5.4)."""
    accident = date(2023, 3, 1)  # deadline 2026-03-01; claimant an adult
    deadline = date(2026, 3, 1)
    n = 30

    def warning_codes(entry: date) -> list[str]:
        result = check_eligibility(
            make(accident_date=accident, entry_date=entry, date_of_birth=date(1990, 1, 1)),
            limitation_warning_days=n,
        )
        assert result.limitation_deadline == deadline
        return [w.code for w in result.warnings]

    assert warning_codes(deadline - timedelta(days=n + 1)) == []
    assert warning_codes(deadline - timedelta(days=n)) == ["limitation_near"]
    assert warning_codes(deadline) == ["limitation_near"]
    assert warning_codes(deadline + timedelta(days=1)) == ["limitation_passed"]


def test_limitation_passed_warns_but_does_not_refuse():
    """A claim may still be entered after the deadline; it is a warning (guide 5.4)."""
    result = check_eligibility(
        make(
            accident_date=date(2021, 6, 1),
            entry_date=date(2024, 6, 2),
            date_of_birth=date(1990, 1, 1),
        )
    )
    assert result.eligible is True
    (warning,) = result.warnings
    assert warning.code == "limitation_passed"
    assert "guide 5.4" in warning.reference
    assert "2024-06-01" in warning.message


def test_limitation_runs_from_eighteenth_birthday_for_a_minor():
    """Under 18 at the accident: three years from the 18th birthday (guide 5.4)."""
    result = check_eligibility(make(accident_date=date(2023, 3, 1), date_of_birth=date(2005, 4, 3)))
    assert result.limitation_deadline == date(2026, 4, 3)


def test_unknown_birth_date_uses_earliest_deadline_and_says_so():
    """With no date of birth the adult deadline (the earliest possible) is used, with a caveat."""
    result = check_eligibility(
        make(accident_date=date(2021, 6, 1), entry_date=date(2024, 5, 1), date_of_birth=None)
    )
    assert result.limitation_deadline == date(2024, 6, 1)
    (warning,) = result.warnings
    assert "date of birth is not known" in warning.message


def test_default_warning_window():
    """The default window is 180 days, the library's documented choice."""
    assert DEFAULT_LIMITATION_WARNING_DAYS == 180
    entry = date(2026, 3, 1) - timedelta(days=180)
    result = check_eligibility(
        make(accident_date=date(2023, 3, 1), entry_date=entry, date_of_birth=date(1990, 1, 1))
    )
    assert [w.code for w in result.warnings] == ["limitation_near"]
    assert result.limitation_warning_days == 180


@pytest.mark.parametrize(
    ("days", "error"), [(-1, RulesError), (True, RulesTypeError), (1.5, RulesTypeError)]
)
def test_bad_warning_window_is_refused(days: Any, error: type[RulesError]):
    """The window is a whole number of days, not negative (guide 5.4)."""
    with pytest.raises(error, match=r"guide 5\.4") as info:
        check_eligibility(make(), limitation_warning_days=days)
    assert info.value.field == "limitation_warning_days"


# --------------------------------------------------------------------------- validation


def test_entry_before_accident_is_refused():
    """A claim cannot be entered before the accident happened (guide 4.1)."""
    with pytest.raises(RulesError, match=r"guide 4\.1") as info:
        make(entry_date=date(2023, 2, 28))
    assert info.value.field == "entry_date"
    assert info.value.value == date(2023, 2, 28)


def test_birth_after_accident_is_refused():
    """A date of birth after the accident is impossible (guide 4.1, 5.4)."""
    with pytest.raises(RulesError, match=r"guide 4\.1, 5\.4") as info:
        make(date_of_birth=date(2023, 3, 2))
    assert info.value.field == "date_of_birth"


def test_birth_on_the_accident_day_is_accepted():
    """Born on the day of the accident is possible (a newborn passenger); just under 18."""
    assert codes(make(date_of_birth=date(2023, 3, 1))) == ("claimant_under_18",)


@pytest.mark.parametrize(
    ("name", "value", "error", "reference"),
    [
        ("accident_date", "2023-03-01", RulesTypeError, "guide 4.1"),
        ("entry_date", None, RulesTypeError, "guide 4.1"),
        ("date_of_birth", "2005-04-03", RulesTypeError, "guide 4.1, 5.4"),
        ("accident_location", "France", RulesError, "guide 4.1"),
        ("accident_location", 3, RulesError, "guide 4.1"),
        ("road_user", "motorbike", RulesError, "protocol para 4.3"),
        ("someone_else_to_blame", 1, RulesTypeError, "guide 4.1"),
        ("claimant_bankrupt", "no", RulesTypeError, "guide 4.2"),
        ("untraced_driver", 0, RulesTypeError, "guide 4.2"),
        ("injury", "-1", RulesError, "guide 4.1, 4.4"),
        ("injury", True, RulesTypeError, "guide 4.1, 4.4"),
        ("other_protocol_damages", "10.005", RulesError, "guide 1.1, 4.1, 4.4"),
        ("non_protocol_vehicle_costs", None, RulesTypeError, "guide 1.1.1"),
        ("fees", "£180", RulesError, "guide 5.3"),
    ],
)
def test_bad_values_are_refused_naming_field_and_rule(
    name: str, value: Any, error: type[RulesError], reference: str
):
    """Every field is validated in the constructor; the error names the field and the rule."""
    with pytest.raises(error) as info:
        make(**{name: value})
    assert info.value.field == name
    assert reference in info.value.reference


@pytest.mark.parametrize("name", ["accident_date", "entry_date"])
def test_dates_outside_the_calendar_are_out_of_coverage(name: str):
    """Accident and entry dates must be within 2000-01-01..2100-12-31, never clamped."""
    with pytest.raises(OutOfCoverageError, match="2000-01-01 to 2100-12-31"):
        make(accident_date=date(1999, 12, 31), entry_date=date(1999, 12, 31))
    with pytest.raises(OutOfCoverageError) as info:
        make(**{name: date(2101, 1, 1)})
    assert info.value.field == name


def test_datetimes_count_as_their_date():
    """A datetime is accepted for a date and its date kept (as everywhere in rtaprotocol)."""
    facts = make(entry_date=datetime(2023, 4, 3, 23, 59))
    assert facts.entry_date == date(2023, 4, 3)
    assert type(facts.entry_date) is date


def test_keyword_only_and_required_dates():
    """ClaimFacts takes keywords only and needs both dates."""
    with pytest.raises(TypeError):
        ClaimFacts(date(2023, 3, 1), date(2023, 4, 3))  # type: ignore[misc]
    with pytest.raises(TypeError):
        ClaimFacts(accident_date=date(2023, 3, 1))  # type: ignore[call-arg]


def test_facts_are_frozen_and_evolve_revalidates():
    """Facts are immutable; attrs.evolve goes through the same validation."""
    facts = make()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        facts.injury = Decimal(1)  # type: ignore[misc]
    assert attrs.evolve(facts, road_user="pedestrian").road_user is RoadUserRole.PEDESTRIAN
    with pytest.raises(RulesError):
        attrs.evolve(facts, injury="-5")


def test_check_eligibility_needs_claim_facts():
    """Passing a dict instead of ClaimFacts is a type error naming the rule."""
    with pytest.raises(RulesTypeError, match=r"guide 4\.1, 4\.2"):
        check_eligibility({"accident_date": "2023-03-01"})  # type: ignore[arg-type]


# --------------------------------------------------------------------------- rendering


def test_text_html_and_json_renderings():
    """A result renders as text, HTML and JSON, carrying codes, questions and references."""
    result = check_eligibility(
        make(road_user="horse-rider", claimant_bankrupt=None, other_vehicle_uk_registered=False)
    )
    text = str(result)
    assert text.startswith("Not eligible")
    for needle in ("vulnerable_road_user", "claimant_bankrupt", "Are you currently bankrupt?",
                   "Motor Insurers' Bureau Green Card", "guide 4.3", "Limitation deadline",
                   "not counted"):  # fmt: skip
        assert needle in text
    html = result._repr_html_()
    assert html.count("<table>") == 5
    assert "Where to go instead" in html
    data = json.loads(json.dumps(result.to_dict()))
    assert data["eligible"] is False
    assert data["verdict"] == "not eligible"
    assert [r["code"] for r in data["reasons"]] == [
        "vulnerable_road_user",
        "other_vehicle_not_uk_registered",
    ]
    assert data["questions"][0]["field"] == "claimant_bankrupt"
    assert data["redirects"][0]["code"] == "mib_green_card"
    assert data["facts"]["road_user"] == "horse-rider"
    assert data["value_limits"]["total"] == "10000.00"
    assert len(data["checks"]) == len(CRITERIA)


def test_headlines_for_each_verdict():
    """The text's first line says eligible, not eligible, or cannot tell yet."""
    assert str(check_eligibility(make())).startswith("Eligible")
    undecided = check_eligibility(make(injury=None))
    assert str(undecided).startswith("Cannot tell yet")
    assert "Questions to answer" in str(undecided)
    assert "unknown" in str(undecided)


def test_criteria_table_is_well_formed():
    """Codes are unique snake_case; every field a criterion reads has a question."""
    all_codes = [c.code for c in CRITERIA]
    assert len(set(all_codes)) == len(all_codes)
    assert all(re.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)*", c) for c in all_codes)
    fields = {f for c in CRITERIA for f in c.fields}
    assert fields - {"accident_date"} == set(OPTIONAL)
    assert CRITERIA[0].to_dict()["fields"] == ["injury"]


def test_public_names():
    """__all__ is in ruff's order (constants, classes, functions) and every name exists."""

    def ruff_order(name: str) -> tuple[int, str]:
        return (0 if name.isupper() else 1 if name[0].isupper() else 2, name)

    assert eligibility.__all__ == sorted(eligibility.__all__, key=ruff_order)
    for name in eligibility.__all__:
        assert hasattr(eligibility, name)


# --------------------------------------------------------------------------- JSON


def test_round_trip_through_json():
    """to_dict gives JSON that from_dict reads back to equal facts."""
    facts = make()
    assert ClaimFacts.from_dict(json.loads(json.dumps(facts.to_dict()))) == facts
    sparse = ClaimFacts(accident_date=date(2023, 3, 1), entry_date=date(2023, 4, 3))
    assert ClaimFacts.from_dict(sparse.to_dict()) == sparse


@pytest.mark.parametrize(
    ("data", "error", "field"),
    [
        ([], RulesTypeError, "$"),
        ({"accident_date": "2023-03-01"}, RulesError, "$.entry_date"),
        ({"accident_date": "2023-03-01", "entry_date": "2023-04-03", "colour": "red"},
         RulesError, "$.colour"),
        ({"accident_date": "2023-03-01", "entry_date": "2023-02-30"}, RulesError, "$.entry_date"),
        ({"accident_date": "20230301", "entry_date": "2023-04-03"}, RulesError, "$.accident_date"),
        ({"accident_date": "2023-W09-3", "entry_date": "2023-04-03"}, RulesError,
         "$.accident_date"),
        ({"accident_date": None, "entry_date": "2023-04-03"}, RulesTypeError, "$.accident_date"),
        ({"accident_date": "2023-03-01", "entry_date": "2023-04-03", "date_of_birth": 2005},
         RulesTypeError, "$.date_of_birth"),
        ({"accident_date": "2023-03-01", "entry_date": "2023-04-03", "road_user": ["cyclist"]},
         RulesTypeError, "$.road_user"),
        ({"accident_date": "2023-03-01", "entry_date": "2023-04-03", "injury": "1,000"},
         RulesError, "$.injury"),
        ({"accident_date": "2023-03-01", "entry_date": "2023-04-03", "injury": " 100"},
         RulesError, "$.injury"),
        ({"accident_date": "2023-03-01", "entry_date": "2023-04-03", "injury": -1},
         RulesError, "$.injury"),
        ({"accident_date": "2023-03-01", "entry_date": "2023-04-03", "fees": 10**12},
         RulesError, "$.fees"),
        ({"accident_date": "2023-03-01", "entry_date": "2023-04-03", "fees": None},
         RulesTypeError, "$.fees"),
        ({"accident_date": "2023-03-01", "entry_date": "2023-04-03", "injury": False},
         RulesTypeError, "$.injury"),
        ({"accident_date": "2023-03-01", "entry_date": "2023-04-03", "claimant_bankrupt": "no"},
         RulesTypeError, "$.claimant_bankrupt"),
    ],
)  # fmt: skip
def test_from_dict_refusals(data: Any, error: type[RulesError], field: str):
    """from_dict refuses what the schema refuses, naming the field's JSON path and the schema."""
    with pytest.raises(error) as info:
        ClaimFacts.from_dict(data)
    assert info.value.field == field
    assert info.value.reference == "rtaprotocol schema claim-facts"


def test_from_dict_accepts_whole_number_floats_as_json_schema_does():
    """JSON Schema's integer includes 5000.0, so from_dict takes it as £5,000."""
    facts = ClaimFacts.from_dict(
        {"accident_date": "2023-03-01", "entry_date": "2023-04-03", "injury": 5000.0}
    )
    assert facts.injury == Decimal("5000.00")


# The schema and from_dict must agree on every sample below (and on generated ones).
MINIMAL = {"accident_date": "2023-03-01", "entry_date": "2023-04-03"}
VALID_SAMPLES: list[Any] = [
    MINIMAL,
    make().to_dict(),
    {**MINIMAL, "injury": 5000, "other_protocol_damages": "4999.5", "fees": "0"},
    # One number policy (issue 24): a JSON number with at most two places is an amount.
    {**MINIMAL, "injury": 1.5, "other_protocol_damages": 4999.5, "fees": 0.0},
    {**MINIMAL, "injury": None, "date_of_birth": None, "road_user": None},
    {**MINIMAL, "accident_date": "2000-01-01", "entry_date": "2100-12-31"},
    {**MINIMAL, "date_of_birth": "0001-01-01"},
    {**MINIMAL, "injury": "999999999999.99"},
    {**MINIMAL, "accident_location": "northern-ireland", "road_user": "powered-wheelchair-user"},
]
INVALID_SAMPLES: list[Any] = [
    [],
    "facts",
    None,
    {"accident_date": "2023-03-01"},
    {"entry_date": "2023-04-03"},
    {**MINIMAL, "extra": 1},
    {**MINIMAL, "accident_date": "1999-12-31"},
    {**MINIMAL, "entry_date": "2101-01-01"},
    {**MINIMAL, "entry_date": "2023-02-29"},
    {**MINIMAL, "entry_date": "2023-4-3"},
    {**MINIMAL, "date_of_birth": "0000-01-01"},
    {**MINIMAL, "date_of_birth": ""},
    {**MINIMAL, "accident_location": "England"},
    {**MINIMAL, "road_user": "car"},
    {**MINIMAL, "road_user": 0},
    {**MINIMAL, "claimant_bankrupt": 0},
    {**MINIMAL, "claimant_bankrupt": "false"},
    {**MINIMAL, "injury": "-1"},
    {**MINIMAL, "injury": -0.5},
    {**MINIMAL, "injury": 1.505},
    {**MINIMAL, "injury": "1.005"},
    {**MINIMAL, "injury": "1."},
    {**MINIMAL, "injury": ".5"},
    {**MINIMAL, "injury": "1e3"},
    {**MINIMAL, "injury": "5000\n"},
    {**MINIMAL, "injury": "1000000000000"},
    {**MINIMAL, "injury": 1000000000000},
    {**MINIMAL, "injury": True},
    {**MINIMAL, "injury": 1000000000000.0},
    {**MINIMAL, "non_protocol_vehicle_costs": None},
    {**MINIMAL, "fees": []},
]


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def accepted(data: Any) -> bool | str:
    """True if from_dict accepts, "cross-field" if only a cross-field rule fails, else False."""
    try:
        ClaimFacts.from_dict(data)
    except RulesError as err:
        # The two cross-field rules JSON Schema cannot express.
        cross_field = all(
            p.field in {"$.entry_date", "$.date_of_birth"} and "accident" in p.message
            for p in err.problems
        )
        return "cross-field" if cross_field else False
    return True


@pytest.mark.parametrize("data", VALID_SAMPLES)
def test_schema_and_from_dict_accept_the_same_valid_samples(validator: Any, data: Any):
    """Both the published schema and from_dict accept each valid sample."""
    assert validator.is_valid(data)
    assert accepted(data) is True


@pytest.mark.parametrize("data", INVALID_SAMPLES)
def test_schema_and_from_dict_refuse_the_same_invalid_samples(validator: Any, data: Any):
    """Both the published schema and from_dict refuse each invalid sample."""
    assert not validator.is_valid(data)
    assert accepted(data) is False


def test_cross_field_rules_are_the_only_gap(validator: Any):
    """Schema-valid facts refused by from_dict fail only the documented cross-field rules."""
    for data in (
        {"accident_date": "2023-03-01", "entry_date": "2023-02-28"},
        {**MINIMAL, "date_of_birth": "2023-03-02"},
    ):
        assert validator.is_valid(data)
        assert accepted(data) == "cross-field"
    assert "cannot express" in validator.schema["description"]


def test_schema_lists_every_field_and_enum_member(validator: Any):
    """The schema's properties and enums are exactly ClaimFacts' fields and members."""
    props = validator.schema["properties"]
    assert list(props) == list(make().to_dict())
    assert props["road_user"]["enum"] == [r.value for r in RoadUserRole] + [None]
    assert props["accident_location"]["enum"] == [loc.value for loc in Location] + [None]
    assert validator.schema["required"] == ["accident_date", "entry_date"]


json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**13), max_value=10**13),
    # Only what a JSON document can hold: NaN and infinities are not JSON (rtaprotocol.json
    # refuses them), and jsonschema's multipleOf overflows on floats near 1e308.
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15),
    st.text(max_size=12),
    st.sampled_from(["2023-03-01", "2000-01-01", "2101-01-01", "2023-02-29", "10.5", "7",
                     "1.005", "cyclist", "wales", "vehicle-occupant", "0.01", "2023-3-1"]),
)  # fmt: skip


@given(
    changes=st.dictionaries(
        st.sampled_from([*ELIGIBLE, "unknown_key"]),
        json_scalars | st.lists(json_scalars),
        max_size=3,
    ),
    drop=st.sets(st.sampled_from(list(ELIGIBLE)), max_size=2),
)
def test_schema_and_from_dict_agree_on_generated_facts(
    validator: Any, changes: dict[str, Any], drop: set[str]
):
    """On mutated facts files, the schema accepts exactly what from_dict accepts."""
    data = {k: v for k, v in {**make().to_dict(), **changes}.items() if k not in drop}
    verdict = accepted(data)
    if verdict == "cross-field":
        assert validator.is_valid(data)
    else:
        assert validator.is_valid(data) is verdict


# --------------------------------------------------------------------------- properties

#: Per field: values that meet every criterion, values that fail one, and None.
FIELD_CHOICES: dict[str, tuple[list[Any], list[Any]]] = {
    "accident_location": ([Location.ENGLAND, Location.WALES],
                          [Location.SCOTLAND, Location.NORTHERN_IRELAND, Location.ELSEWHERE]),
    "road_user": ([RoadUserRole.VEHICLE_OCCUPANT], [r for r in RoadUserRole if r.vulnerable]),
    "someone_else_to_blame": ([True], [False]),
    "other_vehicle_registration_known": ([True], [False]),
    "other_vehicle_uk_registered": ([True], [False]),
    "claimant_protected_party": ([False], [True]),
    "defendant_protected_party": ([False], [True]),
    "health_and_safety_breach": ([False], [True]),
    "defendant_road_user": ([True], [False]),
    "untraced_driver": ([False], [True]),
    "claimant_personal_representative": ([False], [True]),
    "defendant_personal_representative": ([False], [True]),
    "claimant_bankrupt": ([False], [True]),
}  # fmt: skip
FIELD_CODES = {
    "accident_location": "accident_outside_england_and_wales",
    "road_user": "vulnerable_road_user",
    "someone_else_to_blame": "no_one_else_to_blame",
    "other_vehicle_registration_known": "registration_unknown",
    "other_vehicle_uk_registered": "other_vehicle_not_uk_registered",
    "defendant_road_user": "defendant_not_road_user",
}


@st.composite
def claim_facts(draw: st.DrawFn, earliest: date = date(2020, 1, 1)) -> ClaimFacts:
    """Facts with every answer drawn from passing, failing or unknown values."""
    accident = draw(st.dates(min_value=earliest, max_value=date(2030, 12, 31)))
    entry = accident + timedelta(days=draw(st.integers(0, 2000)))
    dob = draw(st.none() | st.dates(min_value=date(1940, 1, 1), max_value=accident))
    kwargs: dict[str, Any] = {"accident_date": accident, "entry_date": entry, "date_of_birth": dob}
    for name, (good, bad) in FIELD_CHOICES.items():
        kwargs[name] = draw(st.sampled_from([None, *good, *bad]))
    kwargs["injury"] = draw(st.none() | money(12_000))
    kwargs["other_protocol_damages"] = draw(st.none() | money(12_000))
    kwargs["non_protocol_vehicle_costs"] = draw(money(50_000))
    return ClaimFacts(**kwargs)


def oracle(facts: ClaimFacts) -> tuple[set[str], bool]:
    """An independent statement of guide 4.1/4.2: (failing codes, any criterion open)."""
    failing: set[str] = set()
    open_ = False
    for name, (_good, bad) in FIELD_CHOICES.items():
        value = getattr(facts, name)
        if value is None:
            open_ = True
        elif value in bad:
            failing.add(FIELD_CODES.get(name, name))
    if facts.accident_date < date(2021, 5, 31):
        failing.add("accident_before_31_may_2021")
    if facts.date_of_birth is None:
        open_ = True
    else:
        d, e = facts.date_of_birth, facts.entry_date
        age = e.year - d.year - ((e.month, e.day) < (d.month, d.day))
        if age < 18:
            failing.add("claimant_under_18")
    inj, other = facts.injury, facts.other_protocol_damages
    if inj is None:
        open_ = True
    elif inj > 5000:
        failing.add("injury_over_limit")
    elif inj == 0:
        failing.add("no_injury")
    if (inj or 0) + (other or 0) > 10000:
        failing.add("total_over_limit")
    elif inj is None or other is None:
        open_ = True
    return failing, open_


@given(claim_facts())
def test_reasons_are_complete_and_in_fixed_order(facts: ClaimFacts):
    """Reasons are exactly the failing criteria (checked independently), in CRITERIA order."""
    result = check_eligibility(facts)
    failing, open_ = oracle(facts)
    assert set(result.codes) == failing
    assert list(result.codes) == [c.code for c in CRITERIA if c.code in failing]
    expected = False if failing else (None if open_ else True)
    assert result.eligible is expected
    if result.eligible is None:
        assert result.questions
    assert all(getattr(facts, q.field) is None for q in result.questions)


# no_injury and injury_over_limit both set the injury, so they do not commute: the
# order-independence property mutates every other criterion.
failing_mutations = st.sampled_from(sorted(set(FAILING) - {"no_injury"}))


MONEY_OR_DATE_CODES = {
    "injury_over_limit",
    "total_over_limit",
    "claimant_under_18",
    "accident_before_31_may_2021",
}


def mutate(facts: ClaimFacts, code: str) -> ClaimFacts:
    """Make ``facts`` fail ``code``, keeping its dates consistent; mutations commute."""
    change = dict(FAILING[code])
    if code == "claimant_under_18":
        change = {"date_of_birth": facts.accident_date}  # newborn: under 18 for years
    if code == "accident_before_31_may_2021":
        change = {"accident_date": date(2021, 5, 30)}
        if facts.entry_date < date(2021, 5, 30):
            change["entry_date"] = date(2021, 5, 30)
        if facts.date_of_birth is not None and facts.date_of_birth > date(2021, 5, 30):
            change["date_of_birth"] = date(2021, 5, 30)
    if code == "injury_over_limit":
        change = {"injury": Decimal("5000.01")}
    if code == "total_over_limit":
        change = {"other_protocol_damages": Decimal("10000.01")}
    return attrs.evolve(facts, **change)


@given(claim_facts(), failing_mutations)
def test_adding_a_failing_criterion_never_makes_a_claim_eligible(facts: ClaimFacts, code: str):
    """Whatever else is true or unknown, a failing criterion gives False and its reason."""
    before = check_eligibility(facts)
    after = check_eligibility(mutate(facts, code))
    assert after.eligible is False
    assert code in after.codes
    if code not in MONEY_OR_DATE_CODES:  # a flag or a slug: the other criteria are untouched
        assert set(after.codes) == {*before.codes, code}


@given(
    claim_facts(earliest=PORTAL_ACCIDENTS_FROM),
    st.lists(failing_mutations, min_size=1, max_size=5, unique=True),
    st.randoms(),
)
def test_reasons_do_not_depend_on_order(facts: ClaimFacts, mutations: list[str], rnd: Any):
    """Failures added in any order, or facts keys in any order, give the same result.

    Accidents start on 31 May 2021 here, so that moving one to 30 May 2021 and making the
    claimant a newborn commute (both clamp the date of birth to the new accident date).
    """
    forward = facts
    for code in mutations:
        forward = mutate(forward, code)
    shuffled = list(mutations)
    rnd.shuffle(shuffled)
    backward = facts
    for code in shuffled:
        backward = mutate(backward, code)
    assert forward == backward
    assert check_eligibility(forward) == check_eligibility(backward)
    items = list(forward.to_dict().items())
    rnd.shuffle(items)
    assert check_eligibility(ClaimFacts.from_dict(dict(items))) == check_eligibility(forward)
    assert set(mutations) <= set(check_eligibility(forward).codes)
    assert set(mutations) <= set(check_eligibility(backward).codes)


@given(claim_facts())
def test_facts_round_trip_through_json(facts: ClaimFacts):
    """Any facts survive to_dict, json and from_dict unchanged."""
    assert ClaimFacts.from_dict(json.loads(json.dumps(facts.to_dict()))) == facts


@given(claim_facts())
def test_result_is_json_ready(facts: ClaimFacts):
    """Every result serialises to JSON and renders as text and HTML."""
    result = check_eligibility(facts)
    assert isinstance(result, EligibilityResult)
    json.dumps(result.to_dict())
    assert str(result)
    html = result._repr_html_()
    assert html.startswith('<p role="status"')
    assert "Limitation deadline: " in html


# --------------------------------------------------------------------------- exits


def test_exit_reasons_are_the_seven_of_guide_6_6_2_1():
    """Seven exits, each with a slug, the guide reference and what to do next."""
    assert len(ExitReason) == 7
    assert len({e.value for e in ExitReason}) == 7
    for reason in ExitReason:
        assert reason.reference.startswith("guide 6.6.2.1")
        assert reason.next_steps.endswith(".")
        assert reason.description
    assert ExitReason("fraud-alleged") is ExitReason.FRAUD_ALLEGED


@pytest.mark.parametrize(
    ("injury", "other", "must_exit"),
    [
        ("5000", "5000", False),
        ("5000.01", "0", True),
        ("0", "10000.01", True),
        ("4999.99", "5000.01", False),
    ],
)
def test_revaluation_boundaries(injury: str, other: str, must_exit: bool):
    """A revalued claim leaves only when above £5,000 injury or £10,000 total (6.6.2.1)."""
    result = check_revaluation(injury, other, non_protocol_vehicle_costs="30000", fees="750")
    assert result.must_exit is must_exit
    assert result.exit_reason is (ExitReason.REVALUED_OVER_LIMITS if must_exit else None)
    assert result.value_limits.non_protocol_vehicle_costs == Decimal("30000.00")


def test_revaluation_renders():
    """The revaluation result renders as text, HTML and JSON with the exit's next steps."""
    out = check_revaluation("6000")
    assert str(out).startswith("The claim must leave the portal")
    assert "seek advice" in str(out)
    assert "<table>" in out._repr_html_()
    assert out.to_dict()["exit_reason"] == "revalued-over-limits"
    stay = check_revaluation("100", "100")
    assert str(stay).startswith("The claim can stay")
    assert "within limits" in stay._repr_html_()
    assert stay.to_dict()["exit_reason"] is None
    assert stay.to_dict()["reference"] == "guide 6.6.2.1"


def test_revaluation_refuses_bad_amounts():
    """Revalued amounts go through to_money; a negative is refused naming the rule."""
    with pytest.raises(RulesError, match=r"guide 1\.1, 4\.1"):
        check_revaluation("-1")


# --------------------------------------------------------------------------- medical


def test_prognosis_of_exactly_24_months_is_inside_the_tariff():
    """Not more than two years is inside the tariff (CLA 2018 s.3; guide 6.4.2)."""
    accident = date(2023, 1, 31)
    inside = medical_report_outlook(accident, relativedelta(months=24))
    assert inside.within_tariff is True
    assert inside.recovery_date == inside.tariff_end == date(2025, 1, 31)
    assert medical_report_outlook(accident, relativedelta(years=2)).within_tariff is True


def test_a_day_beyond_24_months_is_outside_the_tariff():
    """24 months and a day takes the injury outside the tariff: seek advice (guide 6.4.2)."""
    accident = date(2023, 1, 31)
    out = medical_report_outlook(accident, relativedelta(months=24, days=1))
    assert out.within_tariff is False
    assert "seek advice" in out.message
    assert medical_report_outlook(accident, date(2025, 2, 1)).within_tariff is False
    assert medical_report_outlook(accident, date(2025, 1, 31)).within_tariff is True


def test_month_end_clamping_for_leap_day_accidents():
    """From 29 February 2024, 24 months ends 28 February 2026 (dateutil's clamping)."""
    outlook = medical_report_outlook(date(2024, 2, 29), date(2026, 3, 1))
    assert outlook.tariff_end == date(2026, 2, 28)
    assert outlook.within_tariff is False


@given(
    st.dates(min_value=date(2021, 5, 31), max_value=date(2090, 1, 1)),
    st.integers(0, 60),
    st.integers(0, 40),
)
def test_outlook_matches_months_and_days(accident: date, months: int, days: int):
    """Within the tariff exactly when the prognosis ends by accident + 24 months."""
    outlook = medical_report_outlook(accident, relativedelta(months=months, days=days))
    assert outlook.within_tariff is (
        accident + relativedelta(months=months, days=days) <= accident + relativedelta(months=24)
    )
    if months != 23:  # 23 months and some days may land either side, by month length
        assert outlook.within_tariff is (months < 23 or (months == 24 and days == 0))


@pytest.mark.parametrize(
    ("prognosis", "error"),
    [
        (relativedelta(months=-1), RulesError),
        (relativedelta(hours=5), RulesError),
        (relativedelta(day=31), RulesError),
        (date(2023, 1, 30), RulesError),
        (24, RulesTypeError),
        ("24 months", RulesTypeError),
    ],
)
def test_bad_prognoses_are_refused(prognosis: Any, error: type[RulesError]):
    """Only non-negative relative periods or a recovery date after the accident are taken."""
    with pytest.raises(error, match=r"guide 6\.4\.2") as info:
        medical_report_outlook(date(2023, 1, 31), prognosis)
    assert info.value.field == "prognosis"


@pytest.mark.parametrize(
    ("accident", "fragment"),
    [
        (date(2021, 5, 30), "before the whiplash tariff began"),
        (date(2101, 1, 1), "supported range"),
    ],
)
def test_outlook_refuses_accidents_outside_the_tariff_regime(accident: date, fragment: str):
    """Regression: a 2019 accident was reported "inside the whiplash tariff"; it is refused."""
    with pytest.raises(OutOfCoverageError, match=fragment) as info:
        medical_report_outlook(accident, relativedelta(months=3))
    assert info.value.field == "accident_date"


def test_outlook_refuses_a_prognosis_beyond_any_calendar():
    """Regression: a prognosis past year 9999 raised a bare ValueError from datetime."""
    with pytest.raises(OutOfCoverageError, match=r"guide 6\.4\.2") as info:
        medical_report_outlook(date(2023, 1, 31), relativedelta(years=8000))
    assert info.value.field == "prognosis"


def test_outlook_renders():
    """The outlook renders as text, HTML and JSON with its references."""
    outlook = medical_report_outlook(date(2023, 1, 31), relativedelta(months=30))
    assert "Civil Liability Act 2018 s.3" in str(outlook)
    assert outlook._repr_html_().startswith('<p role="status"')
    data = outlook.to_dict()
    assert data["within_tariff"] is False
    assert data["tariff_end"] == "2025-01-31"
    assert data["recovery_date"] == "2025-07-31"


def test_birthday_helper_agrees_with_age_rule():
    """The age rule uses deadlines.eighteenth_birthday, the single source for turning 18."""
    dob = date(2004, 2, 29)
    facts = make(
        accident_date=date(2022, 2, 1), entry_date=eighteenth_birthday(dob), date_of_birth=dob
    )
    assert check_eligibility(facts).eligible is True


# -- failure to mitigate (CLA 2018 s.3(1)(b)(ii)) ------------------------------------------


def test_outlook_beyond_24_months_is_a_tariff_injury_when_the_claimant_failed_to_mitigate():
    accident = date(2024, 3, 1)
    plain = medical_report_outlook(accident, relativedelta(months=30))
    assert not plain.within_tariff
    marked = medical_report_outlook(accident, relativedelta(months=30), failed_to_mitigate=True)
    assert marked.within_tariff
    assert marked.failed_to_mitigate
    assert "s.3(1)(b)(ii)" in marked.reference
    assert "18 to 24 month row" in marked.message
    assert marked.to_dict()["failed_to_mitigate"] is True
    assert "s.3(1)(b)(ii)" in str(marked)
    inside = medical_report_outlook(accident, relativedelta(months=6), failed_to_mitigate=True)
    assert inside.within_tariff
    assert inside.reference == plain.reference
    with pytest.raises(RulesTypeError):
        medical_report_outlook(accident, relativedelta(months=30), failed_to_mitigate="yes")


# -- a claim needs an injury (guide 1.1, 4.1, 4.2) -----------------------------------------


@pytest.mark.parametrize("injury", [0, "0.00", Decimal(0)])
def test_an_injury_of_nothing_is_not_a_portal_claim(injury):
    result = check_eligibility(make(injury=injury))
    assert result.eligible is False
    assert result.codes == ("no_injury",)
    (reason,) = result.reasons
    assert "personal injury claim" in reason.message
    assert reason.reference == "guide 1.1, 4.1, 4.2 (a personal injury claim)"


def test_an_unknown_injury_is_a_question_and_a_penny_is_an_injury():
    assert check_eligibility(make(injury=None)).eligible is None
    assert check_eligibility(make(injury="0.01")).eligible is True


# -- citations: each fact cites what says it -------------------------------------------------


def test_value_limits_never_cite_protocol_para_4_3():
    """Para 4.3 is the list of exclusions; the limits are in guide 1.1, 4.1 and 4.4.3."""
    for code in ("injury_over_limit", "total_over_limit"):
        (criterion,) = [c for c in CRITERIA if c.code == code]
        assert "4.3" not in criterion.reference.replace("4.4.3", "")
        assert {"1.1", "4.1", "4.4.3"} <= set(re.findall(r"\d+(?:\.\d+)+", criterion.reference))
    result = check_eligibility(make(injury="5000.01"))
    assert all("para 4.3" not in r.reference for r in result.reasons)


def test_defendant_protected_party_cites_the_exit_rule_not_guide_4_2():
    """Guide 4.2 names only the claimant; guide 6.6.2.1 stops a claim for either party."""
    (criterion,) = [c for c in CRITERIA if c.code == "defendant_protected_party"]
    assert criterion.reference.startswith("guide 6.6.2.1")
    assert "protocol para 4.3;" not in criterion.reference
    assert "either party" in criterion.requirement
    result = check_eligibility(make(defendant_protected_party=True))
    assert "guide 6.6.2.1" in result.reasons[0].message


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("injury", "\u0661\u0663\u0669\u0660"),  # Arabic-Indic 1390
        ("fees", "\uff15\uff10"),  # full-width 50
        ("injury", "1390\u00a0"),
        ("accident_date", "\uff12\uff10\uff12\uff13-03-01"),
        ("entry_date", "2023-04-03\u00a0"),
    ],
)
def test_facts_files_take_ascii_numbers_and_dates_only(name: str, text: str):
    data = {"accident_date": "2023-03-01", "entry_date": "2023-04-03", name: text}
    with pytest.raises(RulesError) as caught:
        ClaimFacts.from_dict(data)
    assert caught.value.value == text


# --- every problem of a facts file at once, each with its JSON path ----------------------

GOOD_FACTS: dict[str, Any] = {
    "accident_date": "2023-03-01",
    "entry_date": "2023-04-03",
    "date_of_birth": "1990-01-01",
    "accident_location": "england",
    "road_user": "cyclist",
    "claimant_bankrupt": False,
    "injury": "1390.50",
    "fees": 0,
}
BAD_VALUES: dict[str, Any] = {
    "accident_date": "2023-02-30",
    "entry_date": "01/04/2023",
    "date_of_birth": 1990,
    "accident_location": "mars",
    "road_user": ["cyclist"],
    "claimant_bankrupt": "no",
    "injury": "1,390",
    "fees": -1,
    "psych": True,
}


@given(bad=st.sets(st.sampled_from(sorted(BAD_VALUES))))
def test_problems_name_every_bad_field_by_its_json_path(bad: set[str]):
    data = {**GOOD_FACTS, **{name: BAD_VALUES[name] for name in bad}}
    problems = ClaimFacts.problems(data)
    assert {p.field for p in problems} == {f"$.{name}" for name in bad}
    assert all(p.reference for p in problems)
    if not bad:
        assert ClaimFacts.from_dict(data).road_user is RoadUserRole.CYCLIST
    elif len(bad) == 1:  # one problem: the plain error, as before (its own class kept)
        with pytest.raises(RulesError) as caught:
            ClaimFacts.from_dict(data)
        assert not isinstance(caught.value, InvalidInput)
        assert str(caught.value) == str(problems[0])
    else:
        with pytest.raises(InvalidInput) as caught:
            ClaimFacts.from_dict(data)
        assert [str(p) for p in caught.value.problems] == [str(p) for p in problems]


def test_problems_of_the_issues_example():
    """The CLI prints every problem, one a line: the data for it is here."""
    data = {"accident_date": "2023-02-30", "entry_date": "2023-04-03", "injury": -5, "x": 1}
    problems = ClaimFacts.problems(data)
    assert [(p.field, p.message) for p in problems] == [
        ("$.x", "unknown key in the facts; allowed: " + ", ".join(eligibility._FIELDS)),
        ("$.accident_date", "no such date"),
        ("$.injury", "amount is negative"),
    ]
    assert [p.value for p in problems] == ["x", "2023-02-30", -5]  # the key; values as received
    with pytest.raises(InvalidInput) as caught:
        ClaimFacts.from_dict(data)
    assert caught.value.to_dict()["problems"][1] == {
        "error": "RulesError",
        "code": "date.no-such-day",
        "pointer": "/accident_date",
        "message": "no such date",
        "reference": "rtaprotocol schema claim-facts",
        "field": "$.accident_date",
        "value": "2023-02-30",
    }


def test_problems_include_the_rules_across_fields_once_the_dates_are_read():
    data = {
        "accident_date": "2023-03-01",
        "entry_date": "2023-02-01",
        "date_of_birth": "2024-01-01",
    }
    assert [p.field for p in ClaimFacts.problems(data)] == ["$.entry_date", "$.date_of_birth"]
    assert ClaimFacts.problems([])[0].field == "$"
    assert ClaimFacts.problems({"accident_date": "2023-03-01", "entry_date": "2023-04-03"}) == ()


def test_a_facts_date_out_of_coverage_keeps_its_class():
    with pytest.raises(OutOfCoverageError) as caught:
        ClaimFacts.from_dict({"accident_date": "1999-12-31", "entry_date": "2023-04-03"})
    assert caught.value.field == "$.accident_date"
    assert caught.value.to_dict()["value"] == "1999-12-31"


# --- issue 16: fast paths agree with the converters; the trace is built lazily -----------


class _Date(date):
    """A date subclass: accepted, but never on the plain-date fast path."""


class _Str(str):
    """A str subclass: accepted as a slug, but never on the plain-slug fast path."""


class _Int(int):
    """An int subclass: accepted as an amount, but never on the plain-int fast path."""


def _general_form(name: str, value: Any) -> Any:
    """The same value in a form the constructor accepts but its fast path does not take."""
    if name in eligibility._BOOL_FIELDS:  # a refused 0 would name its type in the error
        return value
    if type(value) is date:
        return _Date(value.year, value.month, value.day)
    if isinstance(value, Location | RoadUserRole):
        return _Str(value.value)
    if type(value) is str:
        return _Str(value)
    if type(value) is int:
        return _Int(value)
    if type(value) is Decimal:
        return str(value)
    return value


_FACT_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "accident_date": st.dates(min_value=date(1999, 12, 1), max_value=date(2101, 1, 31)),
    "entry_date": st.dates(min_value=date(1999, 12, 1), max_value=date(2101, 1, 31)),
    "date_of_birth": st.one_of(st.none(), st.dates(min_value=date(1950, 1, 1))),
    "accident_location": st.one_of(
        st.none(), st.sampled_from(Location), st.sampled_from([m.value for m in Location])
    ),
    "road_user": st.one_of(
        st.none(), st.sampled_from(RoadUserRole), st.just("cyclist"), st.just("skateboard")
    ),
    **{name: st.one_of(st.none(), st.booleans(), st.just(0)) for name in eligibility._BOOL_FIELDS},
    "injury": st.one_of(st.none(), money(), st.integers(min_value=-1, max_value=6000)),
    "other_protocol_damages": st.one_of(st.none(), money(), st.just("12.345")),
    "non_protocol_vehicle_costs": st.one_of(money(), st.integers(min_value=0, max_value=99)),
    "fees": st.one_of(money(), st.just(0)),
}


@given(st.fixed_dictionaries(_FACT_VALUES))
def test_claim_facts_fast_path_agrees_with_the_converters(kwargs):
    """Plain values (fast path) and other accepted forms (converters): equal facts or the
    same first error, and the same eligibility result."""

    def outcome(values: dict[str, Any]) -> Any:
        try:
            return ClaimFacts(**values)
        except RulesError as err:
            return (type(err), err.field, err.reference, str(err).split(": got ")[0])

    plain = outcome(kwargs)
    general = outcome({k: _general_form(k, v) for k, v in kwargs.items()})
    assert plain == general
    if isinstance(plain, ClaimFacts):
        assert plain.to_dict() == general.to_dict()
        assert check_eligibility(plain) == check_eligibility(general)


def test_the_verdict_does_not_build_the_per_criterion_trace(monkeypatch):
    """``eligible`` is computed at once; the CriterionCheck rows only when first read."""
    calls: list[int] = []
    real = eligibility._build_checks

    def counting(*args: Any) -> Any:
        calls.append(1)
        return real(*args)

    monkeypatch.setattr(eligibility, "_build_checks", counting)
    result = check_eligibility(ClaimFacts(**ELIGIBLE))
    assert result.eligible is True
    assert result.codes == ()
    assert result.verdict == "eligible"
    assert calls == []
    assert [c.met for c in result.checks] == [True] * len(CRITERIA)
    assert "met" in str(result)
    assert result.to_dict()["checks"][0]["met"] is True
    assert calls == [1]


def test_the_verdict_does_not_build_the_value_limit_check(monkeypatch):
    """The limits decide the verdict through the criteria; the ValueLimitCheck shown in the
    result is built only when first read, and then it is the full check."""
    calls: list[int] = []
    real = eligibility._check_limits

    def counting(*args: Any) -> Any:
        calls.append(1)
        return real(*args)

    monkeypatch.setattr(eligibility, "_check_limits", counting)
    result = check_eligibility(ClaimFacts(**ELIGIBLE))
    assert result.eligible is True
    assert calls == []
    limits = result.value_limits
    assert calls == [1]
    facts = result.facts
    assert limits == eligibility.check_value_limits(
        facts.injury,
        facts.other_protocol_damages,
        non_protocol_vehicle_costs=facts.non_protocol_vehicle_costs,
        fees=facts.fees,
    )
    assert result.value_limits is limits  # built once
    assert calls == [1]
    over = check_eligibility(ClaimFacts(**{**ELIGIBLE, "injury": "5000.01"}))
    assert over.eligible is False
    assert over.value_limits is not None
    assert not over.value_limits.within_limits


@given(st.fixed_dictionaries(_FACT_VALUES))
def test_a_result_with_its_trace_built_equals_one_given_the_trace(kwargs):
    """The lazy result equals (and hashes and reprs as) one built with its checks given."""
    try:
        facts = ClaimFacts(**kwargs)
    except RulesError:
        return
    lazy = check_eligibility(facts)
    eager = attrs.evolve(lazy, checks=check_eligibility(facts).checks)
    assert lazy == eager
    assert hash(lazy) == hash(eager)
    assert repr(lazy) == repr(eager)
    assert [c.criterion for c in lazy.checks] == list(CRITERIA)


# --- rules the mutation run (issue 17, docs/testing.md) showed were not pinned -------------


def test_outlook_accepts_the_first_and_last_accident_days_covered():
    first = medical_report_outlook(PORTAL_ACCIDENTS_FROM, relativedelta(months=3))
    assert first.within_tariff is True
    last_day = date(2100, 12, 31)
    last = medical_report_outlook(last_day, relativedelta(months=3))
    assert (last.accident_date, last.recovery_date) == (last_day, date(2101, 3, 31))
    with pytest.raises(OutOfCoverageError) as caught:
        medical_report_outlook(last_day + timedelta(days=1), relativedelta(months=3))
    assert (caught.value.field, caught.value.value) == ("accident_date", date(2101, 1, 1))
    with pytest.raises(OutOfCoverageError) as caught:
        medical_report_outlook(PORTAL_ACCIDENTS_FROM - timedelta(days=1), relativedelta(months=3))
    assert caught.value.field == "accident_date"


def test_outlook_states_inside_outside_or_mitigated_with_its_reference():
    accident = date(2024, 3, 1)
    inside = medical_report_outlook(accident, relativedelta(months=24))
    assert inside.within_tariff is True
    assert inside.message.startswith("Recovery expected by 2026-03-01, not more than 24 months")
    assert inside.failed_to_mitigate is False
    outside = medical_report_outlook(accident, date(2026, 3, 2))
    assert outside.within_tariff is False
    assert outside.message.startswith("Recovery expected on 2026-03-02, more than 24 months")
    assert "outside the whiplash tariff" in outside.message
    mitigated = medical_report_outlook(accident, date(2026, 3, 2), failed_to_mitigate=True)
    assert mitigated.within_tariff is True
    assert mitigated.failed_to_mitigate is True
    assert "Civil Liability Act 2018 s.3(1)(b)(ii)" in mitigated.message
    assert mitigated.reference != outside.reference
    # Mitigation changes nothing for a prognosis inside the tariff.
    kept = medical_report_outlook(accident, relativedelta(months=24), failed_to_mitigate=True)
    assert (kept.message, kept.reference) == (inside.message, inside.reference)
    with pytest.raises(RulesTypeError) as caught:
        medical_report_outlook(accident, relativedelta(months=3), failed_to_mitigate="no")
    assert (caught.value.field, caught.value.value) == ("failed_to_mitigate", "no")


@pytest.mark.parametrize(
    ("args", "must_exit"),
    [(("5000",), False), (("5000.01",), True), (("4000", "6000"), False),
     (("4000", "6000.01"), True)],
)  # fmt: skip
def test_revaluation_views_state_the_same_verdict(args, must_exit):
    result = check_revaluation(*args)  # optional amounts default to nothing
    assert result.must_exit is must_exit
    assert result.value_limits.fees == result.value_limits.non_protocol_vehicle_costs == 0
    data = result.to_dict()
    assert data["must_exit"] is must_exit
    assert data["value_limits"] == result.value_limits.to_dict()
    title = str(result).splitlines()[0]
    for said in (title, views.statement(result._repr_html_())):
        assert ("must leave the portal" in said) is must_exit
        assert ("can stay on the portal" in said) is not must_exit
    if must_exit:
        reason = eligibility.ExitReason.REVALUED_OVER_LIMITS
        assert data["exit_reason"] == reason.value
        assert (data["reference"], data["next_steps"]) == (reason.reference, reason.next_steps)
        assert reason.next_steps in str(result)
        for breach in result.value_limits.breaches:
            assert breach.message in str(result)
            assert breach.code in views.visible(result._repr_html_())
    else:
        assert (data["exit_reason"], data["next_steps"]) == (None, None)
        assert data["reference"] == "guide 6.6.2.1"
        assert "no limit is breached" in views.visible(result._repr_html_())


def test_revaluation_passes_every_amount_to_the_limits_check():
    result = check_revaluation("4000", non_protocol_vehicle_costs="9000", fees="3")
    limits = result.value_limits
    assert (limits.other_protocol_damages, limits.total) == (Decimal(0), Decimal("4000.00"))
    assert (limits.non_protocol_vehicle_costs, limits.fees) == (Decimal(9000), Decimal(3))


@pytest.mark.parametrize(
    ("prognosis", "mitigated", "meaning"),
    [
        (relativedelta(months=24), False, "inside the tariff"),
        (date(2026, 3, 2), True, "beyond 24 months, but a tariff injury (CLA 2018 s.3(1)(b)(ii))"),
        (date(2026, 3, 2), False, "beyond the tariff"),
    ],
)
def test_outlook_json_and_views_state_the_dates_and_the_meaning(prognosis, mitigated, meaning):
    accident = date(2024, 3, 1)
    outlook = medical_report_outlook(accident, prognosis, failed_to_mitigate=mitigated)
    expected = {
        "accident_date": "2024-03-01",
        "recovery_date": outlook.recovery_date.isoformat(),
        "tariff_end": "2026-03-01",
        "within_tariff": outlook.within_tariff,
        "failed_to_mitigate": mitigated,
        "message": outlook.message,
        "reference": outlook.reference,
    }
    assert views.subset(outlook.to_dict(), expected) == expected
    # The last row, the expected recovery, states what it means for the tariff.
    headers, rows = views.text_table(str(outlook))
    assert rows[-1][views.column(headers, "meaning")] == meaning
    assert rows[-1][views.column(headers, "date")] == outlook.recovery_date.isoformat()
    headers, rows = views.table(outlook._repr_html_())
    assert rows[-1][views.column(headers, "meaning")] == meaning


@pytest.mark.parametrize(
    ("prognosis", "error", "message"),
    [
        (relativedelta(months=-1), RulesError,
         "a prognosis is a period of years, months, weeks and days, none negative"),
        (relativedelta(month=3), RulesError,
         "a prognosis is a period of years, months, weeks and days, none negative"),
        (relativedelta(years=9000), OutOfCoverageError,
         "the recovery date this prognosis gives is beyond any calendar"),
        (date(2024, 2, 29), RulesError, "the recovery date is before the accident on 2024-03-01"),
        ("2025-01-01", RulesTypeError,
         "expected a dateutil relativedelta or a recovery date, not str"),
    ],
)  # fmt: skip
def test_a_bad_prognosis_is_refused_naming_it(prognosis, error, message):
    with pytest.raises(error) as caught:
        medical_report_outlook(date(2024, 3, 1), prognosis)
    assert type(caught.value) is error
    assert (caught.value.field, caught.value.value) == ("prognosis", prognosis)
    assert caught.value.message == message
    assert caught.value.reference


def _every_result() -> list[EligibilityResult]:
    results = [check_eligibility(make(**changes)) for changes in FAILING.values()]
    results.append(check_eligibility(make()))
    results.append(check_eligibility(make(**dict.fromkeys(OPTIONAL))))
    results.append(check_eligibility(make(entry_date=date(2025, 12, 1))))  # near limitation
    return results


def test_the_json_of_every_part_states_its_code_text_and_reference():
    # The JSON names are a contract with portal backends: each part keeps its names.
    seen = {"reasons": 0, "questions": 0, "redirects": 0, "warnings": 0}
    for result in _every_result():
        data = result.to_dict()
        for notice, got in [
            *zip(result.reasons, data["reasons"], strict=True),
            *zip(result.warnings, data["warnings"], strict=True),
        ]:
            expected = {"code": notice.code, "message": notice.message,
                        "reference": notice.reference}  # fmt: skip
            assert views.subset(got, expected) == expected
        for question, got in zip(result.questions, data["questions"], strict=True):
            expected = {"field": question.field, "question": question.question,
                        "reference": question.reference}  # fmt: skip
            assert views.subset(got, expected) == expected
        for redirect, got in zip(result.redirects, data["redirects"], strict=True):
            expected = {"code": redirect.code, "to": redirect.to, "message": redirect.message,
                        "reference": redirect.reference}  # fmt: skip
            assert views.subset(got, expected) == expected
        for check, got in zip(result.checks, data["checks"], strict=True):
            expected = {"code": check.criterion.code, "met": check.met,
                        "requirement": check.criterion.requirement,
                        "reference": check.criterion.reference}  # fmt: skip
            assert views.subset(got, expected) == expected
        for key in seen:
            seen[key] += len(data[key])
    assert all(seen.values()), seen
    for criterion in CRITERIA:
        expected = {"code": criterion.code, "requirement": criterion.requirement,
                    "reference": criterion.reference, "fields": list(criterion.fields)}  # fmt: skip
        assert views.subset(criterion.to_dict(), expected) == expected
        assert criterion.code
        assert criterion.requirement
        assert criterion.fields
        assert resolve(criterion.reference)


_DATES = {"accident_date": "2023-03-01", "entry_date": "2023-04-03"}


@pytest.mark.parametrize(
    ("changes", "field", "value", "message"),
    [
        ({"accident_date": 5}, "$.accident_date", 5,
         "a date is a YYYY-MM-DD string or a datetime.date, not int"),
        ({"accident_date": "2023-3-1"}, "$.accident_date", "2023-3-1",
         "not a date in YYYY-MM-DD form"),
        ({"accident_date": "2023-02-30"}, "$.accident_date", "2023-02-30", "no such date"),
        ({"date_of_birth": 5}, "$.date_of_birth", 5,
         "a date is a YYYY-MM-DD string or a datetime.date, not int"),
        ({"accident_location": 5}, "$.accident_location", 5, "expected a string slug or null"),
        ({"someone_else_to_blame": "yes"}, "$.someone_else_to_blame", "yes",
         "expected True or False, not str"),
        ({"injury": "x"}, "$.injury", "x", "an amount is not a plain decimal number"),
        ({"injury": 10**12}, "$.injury", 10**12, ""),
        ({"fees": -1}, "$.fees", -1, ""),
    ],
)  # fmt: skip
def test_a_bad_facts_file_value_is_refused_at_its_json_path(changes, field, value, message):
    with pytest.raises(RulesError) as caught:
        ClaimFacts.from_dict({**_DATES, **changes})
    (problem,) = caught.value.problems
    assert (problem.field, problem.value) == (field, value)
    assert problem.message.startswith(message)


def test_facts_file_edges_accepted():
    top = ClaimFacts.from_dict({**_DATES, "injury": 999_999_999_999, "date_of_birth": None})
    assert top.injury == Decimal("999999999999.00")
    assert top.date_of_birth is None
    with pytest.raises(RulesTypeError) as caught:
        ClaimFacts.from_dict([1])
    (problem,) = caught.value.problems
    assert (problem.field, problem.value) == ("$", [1])
    assert problem.message == "facts must be a JSON object, not list"


def test_check_eligibility_refusals_and_the_zero_window():
    with pytest.raises(RulesTypeError) as caught:
        check_eligibility(dict(ELIGIBLE))
    assert (caught.value.field, caught.value.value) == ("facts", dict(ELIGIBLE))
    assert caught.value.message == "expected ClaimFacts, not dict"
    assert check_eligibility(make(), limitation_warning_days=0).limitation_warning_days == 0
    with pytest.raises(RulesError) as caught:
        check_eligibility(make(), limitation_warning_days=-1)
    assert (caught.value.value, caught.value.message) == (
        -1,
        "the warning window cannot be negative",
    )
    result = check_eligibility(make(fees=Decimal("216.00")))
    assert result.value_limits is not None
    assert result.value_limits.fees == Decimal("216.00")


@pytest.mark.parametrize(
    ("location", "said"),
    [(Location.SCOTLAND, "in Scotland"), (Location.NORTHERN_IRELAND, "in Northern Ireland"),
     (Location.ELSEWHERE, "outside the UK")],
)  # fmt: skip
def test_the_location_reason_names_the_place(location, said):
    (reason,) = check_eligibility(make(accident_location=location)).reasons
    assert said in reason.message


def test_limitation_warnings_count_the_days_and_say_when_the_birthday_is_unknown():
    late = check_eligibility(make(entry_date=date(2026, 4, 13)))  # deadline 2026-04-03
    (warning,) = late.warnings
    assert ", 10 days before the claim is entered" in warning.message
    assert warning.reference == eligibility._LIMITATION_REFERENCE
    assert warning.message.endswith(
        "it, but the compensator is likely to deny liability; seek advice"
    )
    unknown = check_eligibility(make(entry_date=date(2025, 12, 1), date_of_birth=None))
    (warning,) = unknown.warnings
    assert "(your date of birth is not known, so this is the earliest the deadline can be" in (
        warning.message
    )
    assert warning.reference
    known = check_eligibility(make(entry_date=date(2025, 12, 1)))
    (warning,) = known.warnings
    assert warning.message.startswith(
        "the 3-year limitation period ends on 2026-04-03, 123 days after the claim is entered"
    )
    assert warning.message.endswith("select 'Go to court' and issue proceedings")


@pytest.mark.parametrize(
    ("key", "path"),
    [("colour", "$.colour"), ("bogus key", '$["bogus key"]'), ("café", '$["caf\\u00e9"]')],
)
def test_an_unknown_facts_key_is_refused_at_a_json_path(key, path):
    with pytest.raises(RulesError) as caught:
        ClaimFacts.from_dict({**_DATES, key: 1})
    (problem,) = caught.value.problems
    assert (problem.field, problem.value) == (path, key)
    assert problem.message.startswith("unknown key in the facts; allowed: accident_date, ")


def test_facts_defaults_and_cross_field_refusal():
    facts = ClaimFacts(accident_date=date(2023, 3, 1), entry_date=date(2023, 4, 3))
    assert (facts.non_protocol_vehicle_costs, facts.fees) == (Decimal(0), Decimal(0))
    with pytest.raises(RulesError) as caught:
        ClaimFacts.from_dict({**_DATES, "date_of_birth": "2024-01-01"})
    (problem,) = caught.value.problems
    assert (problem.field, problem.value) == ("$.date_of_birth", "2024-01-01")


def test_the_eligibility_json_states_the_limitation_deadline():
    result = check_eligibility(make())
    expected = {
        "limitation_deadline": result.limitation_deadline.isoformat(),
        "limitation_reference": eligibility._LIMITATION_REFERENCE,
        "limitation_warning_days": 180,
    }
    assert views.subset(result.to_dict(), expected) == expected


def test_outlook_recovery_on_the_accident_day_and_refusals_name_their_argument():
    accident = date(2024, 3, 1)
    assert medical_report_outlook(accident, accident).recovery_date == accident
    with pytest.raises(RulesTypeError) as caught:
        medical_report_outlook("2024-03-01", relativedelta(months=3))
    assert (caught.value.field, caught.value.value) == ("accident_date", "2024-03-01")


def test_a_long_unknown_key_is_whole_in_its_path_so_its_pointer_finds_it():
    # a shortened key would give a JSON pointer (RFC 6901) to a key the document lacks
    key = "x y" * 40
    with pytest.raises(RulesError) as caught:
        ClaimFacts.from_dict({**_DATES, key: 1})
    (problem,) = caught.value.problems
    assert problem.field == '$["' + key + '"]'
    assert problem.pointer == "/" + key


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("no_injury", ("the portal is for a personal injury claim, and the injury is valued at "
         "£0.00 (or there is no injury): a claim with no injury cannot use it")),
        ("accident_before_31_may_2021", ("the accident on 2021-05-30 happened before 31 May "
         "2021; the portal only takes accidents on or after that date")),
        ("injury_over_limit", ("your injury claim of £5,000.01 is more than the £5,000.00 limit "
         "by £0.01: seek advice (guide 1.2.3.1)")),
    ],
)  # fmt: skip
def test_a_failed_criterion_says_why_with_its_figures(code, message):
    result = check_eligibility(make(**FAILING[code]))
    assert [r.message for r in result.reasons if r.code == code] == [message]


def test_a_total_known_only_in_part_says_at_least():
    full = check_eligibility(make(injury=Decimal(5000), other_protocol_damages=Decimal(6000)))
    assert [r.message for r in full.reasons] == [
        (
            "your injury and other protocol damages come to £11,000.00, more than the £10,000.00 "
            "limit by £1,000.00 (non-protocol vehicle costs and fees do not count): seek advice "
            "(guide 1.2.3.1)"
        )
    ]
    partial = check_eligibility(make(injury=None, other_protocol_damages=Decimal("10000.01")))
    assert [r.message for r in partial.reasons] == [
        (
            "your injury and other protocol damages come to at least £10,000.01, more than the "
            "£10,000.00 limit by at least £0.01 (non-protocol vehicle costs and fees do not "
            "count): seek advice (guide 1.2.3.1)"
        )
    ]


def test_json_loader_edges():
    with pytest.raises(RulesError) as caught:
        ClaimFacts.from_dict({**_DATES, 1: 1})
    assert caught.value.problems[0].field == '$["1"]'
    with pytest.raises(RulesTypeError) as caught:
        ClaimFacts.from_dict({**_DATES, "accident_location": 5})
    assert caught.value.problems[0].message == "expected a string slug or null, not int"


def test_a_not_a_time_prognosis_is_refused_naming_it():
    import pandas as pd

    with pytest.raises(RulesError) as caught:
        medical_report_outlook(date(2024, 3, 1), pd.NaT)
    assert caught.value.field == "prognosis"
    assert caught.value.reference


def test_every_outlook_cites_its_rule_and_revaluation_text_shows_the_limits_table():
    accident = date(2024, 3, 1)
    for prognosis, mitigated in [(relativedelta(months=3), False), (date(2027, 1, 1), False),
                                 (date(2027, 1, 1), True)]:  # fmt: skip
        outlook = medical_report_outlook(accident, prognosis, failed_to_mitigate=mitigated)
        assert outlook.reference
        assert resolve(outlook.reference)
        assert outlook.to_dict()["reference"] == outlook.reference
    for args in (("4000",), ("6000",)):
        result = check_revaluation(*args)
        assert str(result.value_limits) in str(result)


# --- every refusal, word for word (tests/golden/errors/eligibility.txt) --------------------
#
# One named case per error path of eligibility.py: its type, `field` (the argument, or the
# JSON path in a facts file), `reference` (the guide paragraph or regulation), `value` and
# message are pinned by the golden file, which says which value was wrong and which rule
# refused it.

_FILE = {"accident_date": "2023-03-01", "entry_date": "2023-04-03"}
_ACCIDENT = date(2024, 3, 1)

ERRORS: dict[str, Any] = {
    # ClaimFacts, field by field (guide 4.1, 4.2; protocol para 4.3)
    "guide 4.1: the accident date is a date, not an ISO string": lambda: make(
        accident_date="2023-03-01"
    ),
    "guide 4.1: the entry date is required, never unknown": lambda: make(entry_date=None),
    "coverage: an accident date the day after the last covered day": lambda: make(
        accident_date=date(2101, 1, 1), entry_date=date(2101, 1, 2)
    ),
    "coverage: an accident date the day before the first covered day": lambda: make(
        accident_date=date(1999, 12, 31), entry_date=date(2000, 1, 1)
    ),
    "coverage: an entry date the day after the last covered day": lambda: make(
        entry_date=date(2101, 1, 1)
    ),
    "guide 4.1, 5.4: the date of birth is a date or unknown": lambda: make(
        date_of_birth="2005-04-03"
    ),
    "guide 4.1: a place that is not a slug of Location": lambda: make(accident_location="France"),
    "guide 4.1: a place that is a number": lambda: make(accident_location=3),
    "guide 4.1: a place that is a list (unhashable)": lambda: make(accident_location=["england"]),
    "guide 4.1, 4.2: a road user that is not a slug of RoadUserRole": lambda: make(
        road_user="motorbike"
    ),
    "guide 4.1, 4.2: a road user that is a dict (unhashable)": lambda: make(road_user={}),
    "guide 4.1: a flag is True, False or None, not 1": lambda: make(someone_else_to_blame=1),
    "guide 4.2: a flag is True, False or None, not 'no'": lambda: make(claimant_bankrupt="no"),
    "guide 4.1, 4.4: a negative injury claim": lambda: make(injury="-1"),
    "guide 4.1, 4.4: an injury claim of True": lambda: make(injury=True),
    "guide 1.1, 4.1, 4.4: other protocol damages with fractions of a penny": lambda: make(
        other_protocol_damages="10.005"
    ),
    "guide 1.1.1: non-protocol vehicle costs are never unknown (default 0)": lambda: make(
        non_protocol_vehicle_costs=None
    ),
    "guide 5.3: fees with a pound sign": lambda: make(fees="£180"),
    "guide 4.1: entered the day before the accident": lambda: make(entry_date=date(2023, 2, 28)),
    "guide 4.1, 5.4: born the day after the accident": lambda: make(date_of_birth=date(2023, 3, 2)),
    # ClaimFacts.from_dict: the claim-facts schema, each problem at its JSON path
    "schema: the document is not an object": lambda: ClaimFacts.from_dict([1]),
    "schema: an unknown key": lambda: ClaimFacts.from_dict({**_FILE, "colour": "red"}),
    "schema: an unknown key that is not a name": lambda: ClaimFacts.from_dict(
        {**_FILE, "bogus key": 1}
    ),
    "schema: an unknown key that is not a string": lambda: ClaimFacts.from_dict({**_FILE, 1: 1}),
    "schema: the entry date is missing": lambda: ClaimFacts.from_dict(
        {"accident_date": "2023-03-01"}
    ),
    "schema: a date that is a number": lambda: ClaimFacts.from_dict(
        {**_FILE, "accident_date": 20230301}
    ),
    "schema: the accident date is null": lambda: ClaimFacts.from_dict(
        {**_FILE, "accident_date": None}
    ),
    "schema: a date not in YYYY-MM-DD form": lambda: ClaimFacts.from_dict(
        {**_FILE, "entry_date": "3 April 2023"}
    ),
    "schema: a date of birth that is no such day": lambda: ClaimFacts.from_dict(
        {**_FILE, "date_of_birth": "2005-02-30"}
    ),
    "schema: an accident date past the calendar": lambda: ClaimFacts.from_dict(
        {"accident_date": "2101-01-01", "entry_date": "2101-01-02"}
    ),
    "schema: a place that is a number": lambda: ClaimFacts.from_dict(
        {**_FILE, "accident_location": 5}
    ),
    "schema: a place that is not a slug": lambda: ClaimFacts.from_dict(
        {**_FILE, "accident_location": "France"}
    ),
    "schema: a road user that is not a slug": lambda: ClaimFacts.from_dict(
        {**_FILE, "road_user": "motorbike"}
    ),
    "schema: a flag that is a string": lambda: ClaimFacts.from_dict(
        {**_FILE, "claimant_bankrupt": "yes"}
    ),
    "schema: an amount string with a pound sign": lambda: ClaimFacts.from_dict(
        {**_FILE, "injury": "£1390"}
    ),
    "schema: an amount that is a float of more than two places": lambda: ClaimFacts.from_dict(
        {**_FILE, "injury": 1390.505}
    ),
    "schema: an amount that is a boolean": lambda: ClaimFacts.from_dict({**_FILE, "fees": True}),
    "schema: a negative whole-pound amount": lambda: ClaimFacts.from_dict({**_FILE, "fees": -1}),
    "schema: a whole-pound amount of 13 digits": lambda: ClaimFacts.from_dict(
        {**_FILE, "other_protocol_damages": 10**12}
    ),
    "schema: non-protocol vehicle costs are never null": lambda: ClaimFacts.from_dict(
        {**_FILE, "non_protocol_vehicle_costs": None}
    ),
    "guide 4.1 in a file: entered before the accident": lambda: ClaimFacts.from_dict(
        {**_FILE, "entry_date": "2023-02-28"}
    ),
    "guide 4.1, 5.4 in a file: born after the accident": lambda: ClaimFacts.from_dict(
        {**_FILE, "date_of_birth": "2024-01-01"}
    ),
    "schema: several problems at once": lambda: ClaimFacts.from_dict(
        {"accident_date": "2023-02-30", "injury": -5, "psych": True}
    ),
    # check_eligibility (guide 4.1, 4.2, 5.4)
    "guide 4.1, 4.2: the facts are ClaimFacts, not a dict": lambda: check_eligibility(
        dict(ELIGIBLE)
    ),
    "guide 5.4: a warning window of a string": lambda: check_eligibility(
        make(), limitation_warning_days="30"
    ),
    "guide 5.4: a warning window of True": lambda: check_eligibility(
        make(), limitation_warning_days=True
    ),
    "guide 5.4: a negative warning window": lambda: check_eligibility(
        make(), limitation_warning_days=-1
    ),
    # check_revaluation (guide 6.6.2.1; the amounts as limits.check_value_limits reads them)
    "guide 6.6.2.1: a revalued injury that is negative": lambda: check_revaluation("-1"),
    "guide 6.6.2.1: fees that are not an amount": lambda: check_revaluation("4000", fees="x"),
    # medical_report_outlook (guide 6.4.2; Civil Liability Act 2018 s.3)
    "guide 6.4.2: the accident date is a date": lambda: medical_report_outlook(
        "2024-03-01", relativedelta(months=3)
    ),
    "CLA 2018 Part 1: an accident the day before the tariff began": lambda: medical_report_outlook(
        date(2021, 5, 30), relativedelta(months=3)
    ),
    "coverage: an accident the day after the last covered day": lambda: medical_report_outlook(
        date(2101, 1, 1), relativedelta(months=3)
    ),
    "CLA 2018 s.3(1)(b)(ii): failed_to_mitigate is a bool, not 1": lambda: medical_report_outlook(
        _ACCIDENT, relativedelta(months=3), failed_to_mitigate=1
    ),
    "guide 6.4.2: a prognosis in hours": lambda: medical_report_outlook(
        _ACCIDENT, relativedelta(hours=5)
    ),
    "guide 6.4.2: a negative prognosis": lambda: medical_report_outlook(
        _ACCIDENT, relativedelta(months=-1)
    ),
    "guide 6.4.2: a prognosis with an absolute day": lambda: medical_report_outlook(
        _ACCIDENT, relativedelta(day=3)
    ),
    "guide 6.4.2: a prognosis past any calendar": lambda: medical_report_outlook(
        _ACCIDENT, relativedelta(years=8000)
    ),
    "guide 6.4.2: a recovery date before the accident": lambda: medical_report_outlook(
        _ACCIDENT, date(2024, 2, 29)
    ),
    "guide 6.4.2: a prognosis of a number of months": lambda: medical_report_outlook(_ACCIDENT, 24),
}


def test_every_refusal_matches_its_golden_file():
    """Every refusal names its field, value and rule as tests/golden/errors/eligibility.txt."""
    golden_errors.check("eligibility", ERRORS)


def test_the_first_and_last_days_of_the_calendar_are_accepted_and_one_day_out_refused():
    """Accident and entry dates run from 2000-01-01 to 2100-12-31 inclusive (issue 17).

    The last day of the supported range is a valid date, for both dates of ClaimFacts;
    the day after (and the day before the first) is out of coverage, never clamped.
    """
    first, last = date(2000, 1, 1), date(2100, 12, 31)
    facts = ClaimFacts(accident_date=first, entry_date=first)
    assert (facts.accident_date, facts.entry_date) == (first, first)
    facts = ClaimFacts(accident_date=last, entry_date=last)
    assert (facts.accident_date, facts.entry_date) == (last, last)
    assert check_eligibility(facts).facts.entry_date == last
    assert ClaimFacts.from_dict({"accident_date": "2100-12-31", "entry_date": "2100-12-31"}) == (
        facts
    )
    for name in ("accident_date", "entry_date"):
        with pytest.raises(OutOfCoverageError) as caught:
            ClaimFacts(**{"accident_date": first, "entry_date": last, name: date(2101, 1, 1)})
        assert (caught.value.field, caught.value.value) == (name, date(2101, 1, 1))
        with pytest.raises(OutOfCoverageError) as caught:
            ClaimFacts(**{"accident_date": first, "entry_date": last, name: date(1999, 12, 31)})
        assert (caught.value.field, caught.value.value) == (name, date(1999, 12, 31))


@pytest.mark.parametrize("place", list(Location))
def test_a_place_given_as_its_member_or_its_slug_is_the_same_fact(place: Location):
    """guide 4.1: ClaimFacts takes a Location or its slug; both give the same facts."""
    assert make(accident_location=place) == make(accident_location=place.value)
    assert make(accident_location=place).accident_location is place


@pytest.mark.parametrize("role", list(RoadUserRole))
def test_a_role_given_as_its_member_or_its_slug_is_the_same_fact(role: RoadUserRole):
    """guide 4.1, 4.2: ClaimFacts takes a RoadUserRole or its slug; both give the same facts."""
    assert make(road_user=role) == make(road_user=role.value)
    assert make(road_user=role).road_user is role


@pytest.mark.parametrize(
    ("location", "message"),
    [
        (Location.SCOTLAND, "the accident happened in Scotland, not in England or Wales"),
        (Location.NORTHERN_IRELAND,
         "the accident happened in Northern Ireland, not in England or Wales"),
        (Location.ELSEWHERE, "the accident happened outside the UK, not in England or Wales"),
    ],
)  # fmt: skip
def test_guide_4_1_an_accident_outside_england_and_wales_says_where(location, message):
    """guide 4.1: the reason names the place, or "outside the UK" for anywhere else."""
    (reason,) = check_eligibility(make(accident_location=location)).reasons
    assert (reason.code, reason.message) == ("accident_outside_england_and_wales", message)
