"""Tests for rtaprotocol.fees: the fixed first medical report fee and the £750 expert cap."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

import golden_errors
from rtaprotocol import fees
from rtaprotocol.errors import RulesError, RulesTypeError
from rtaprotocol.fees import (
    DEFAULT_VAT_PERCENT,
    EXPERT_FEE_CAP,
    FIRST_MEDICAL_REPORT_FEE,
    expert_fee,
    first_medical_report_fee,
)
from rtaprotocol.limits import check_value_limits
from rtaprotocol.money import round_penny
from strategies import money, percents


def test_first_medical_report_fee_is_180_plus_vat():
    """£180 plus VAT at the default 20% is £216 (guide 5.3.1)."""
    fee = first_medical_report_fee()
    assert (fee.net, fee.vat_percent, fee.vat, fee.gross) == (
        Decimal("180.00"),
        Decimal(20),
        Decimal("36.00"),
        Decimal("216.00"),
    )
    assert Decimal("180.00") == FIRST_MEDICAL_REPORT_FEE
    assert DEFAULT_VAT_PERCENT == 20


@pytest.mark.parametrize(
    ("rate", "vat"),
    [(0, "0.00"), ("17.5", "31.50"), (5, "9.00"), (Decimal("0.01"), "0.02"),
     (Decimal("0.02"), "0.04"), ("12.25", "22.05"), (100, "180.00")],
)  # fmt: skip
def test_vat_rate_is_a_parameter_rounded_half_up(rate, vat):
    """Any VAT rate from 0 to 100 can be passed; VAT is rounded to the penny half-up."""
    fee = first_medical_report_fee(vat_percent=rate)
    assert fee.vat == Decimal(vat)
    assert fee.gross == Decimal("180.00") + Decimal(vat)


@pytest.mark.parametrize(
    ("rate", "error"),
    [(-1, RulesError), (101, RulesError), ("20.001", RulesError), ("twenty", RulesError),
     (None, RulesTypeError), (True, RulesTypeError)],
)  # fmt: skip
def test_bad_vat_rates_are_refused_citing_vata(rate, error):
    """A VAT rate outside 0-100, or not a percentage, is refused citing VATA 1994 s.2."""
    with pytest.raises(error) as info:
        first_medical_report_fee(vat_percent=rate)
    assert "Value Added Tax Act 1994 s.2" in str(info.value)
    assert info.value.field == "vat_percent"


@pytest.mark.parametrize(
    ("claimed", "recoverable", "over"),
    [(0, "0.00", "0.00"), ("749.99", "749.99", "0.00"), (750, "750.00", "0.00"),
     ("750.01", "750.00", "0.01"), (1200, "750.00", "450.00")],
)  # fmt: skip
def test_expert_fee_cap_edges(claimed, recoverable, over):
    """Up to £750 is recovered in full; above it the excess is shown and not recovered."""
    result = expert_fee(claimed)
    assert result.cap == EXPERT_FEE_CAP == Decimal("750.00")
    assert result.recoverable == Decimal(recoverable)
    assert result.over_cap == Decimal(over)
    assert result.capped == (Decimal(over) > 0)


@pytest.mark.parametrize(
    ("fee", "error"),
    [(-1, RulesError), ("1.005", RulesError), ("£900", RulesError), (None, RulesTypeError),
     (False, RulesTypeError)],
)  # fmt: skip
def test_bad_expert_fees_are_refused_citing_guide_5_3_2(fee, error):
    """A negative, sub-penny or non-numeric fee is refused, citing guide 5.3.2."""
    with pytest.raises(error) as info:
        expert_fee(fee)
    assert "guide 5.3.2" in str(info.value)
    assert info.value.field == "fee"


def test_results_explain_themselves():
    """Fee results render as text and HTML and say they are not part of the claim value."""
    medical = first_medical_report_fee()
    assert "not part of the claim's value" in str(medical)
    assert "VAT at 20%" in str(medical)
    assert medical._repr_html_().startswith('<p role="status"')
    data = json.loads(json.dumps(medical.to_dict()))
    assert data["gross"] == "216.00"
    assert data["part_of_claim_value"] is False
    assert "guide 5.3.1" in data["reference"]
    capped = expert_fee(900)
    assert "£750.00 recoverable of £900.00" in str(capped)
    assert capped._repr_html_().startswith('<p role="status"')
    data = json.loads(json.dumps(capped.to_dict()))
    assert data == {
        "claimed": "900.00",
        "cap": "750.00",
        "recoverable": "750.00",
        "over_cap": "150.00",
        "capped": True,
        "fees": ["900.00"],
        "recoverable_by_expert": ["750.00"],
        "part_of_claim_value": False,
        "reference": fees.EXPERT_FEE_REFERENCE,
        "note": fees.NOT_CLAIM_VALUE,
    }


def test_fees_never_count_towards_the_value_limits():
    """A fee of any size leaves a claim at the limits within them (guide 5.3)."""
    gross = first_medical_report_fee().gross + expert_fee(900).recoverable
    assert check_value_limits(5000, 5000, fees=gross).within_limits


def test_all_is_sorted():
    """__all__ is in ruff's order (constants, classes, functions) and complete."""
    assert fees.__all__ == sorted(fees.__all__, key=_ruff_order)
    assert all(hasattr(fees, n) for n in fees.__all__)


@given(money(5000))
def test_expert_fee_splits_exactly(fee):
    """recoverable + over_cap == claimed, recoverable <= £750, both never negative."""
    result = expert_fee(fee)
    assert result.recoverable + result.over_cap == fee
    assert Decimal(0) <= result.recoverable <= EXPERT_FEE_CAP
    assert result.over_cap >= 0


@given(percents())
def test_vat_is_the_rounded_rate(rate):
    """VAT is always round_penny(180 * rate / 100), and the gross never below £180."""
    fee = first_medical_report_fee(vat_percent=rate)
    assert fee.vat == round_penny(Decimal(180) * rate / 100)
    assert fee.gross >= Decimal(180)


def _ruff_order(name: str) -> tuple[int, str]:
    """Ruff's isort-style __all__ order: CONSTANTS, then Classes, then functions."""
    kind = 0 if name.isupper() else (1 if name[0].isupper() else 2)
    return (kind, name)


def test_the_cap_is_for_each_expert():
    """PD 27A para 7.3(2): £750 for each expert, not £750 in all (guide 5.3.2)."""
    two = expert_fee(900, 900)
    assert two.recoverable == Decimal("1500.00")
    assert two.over_cap == Decimal("300.00")
    assert two.recoverable_by_expert == (Decimal("750.00"), Decimal("750.00"))
    assert expert_fee([500, "750.01", 100]).recoverable == Decimal("1350.00")
    assert "PD 27A para 7.3(2)" in two.to_dict()["reference"]
    assert "expert 2: recoverable" in str(two)


def test_expert_fee_needs_a_fee_and_names_the_bad_one():
    with pytest.raises(RulesError):
        expert_fee()
    with pytest.raises(RulesError) as info:
        expert_fee(100, -1)
    assert info.value.field == "fee[1]"


@given(st.lists(money(3000), min_size=1, max_size=6))
def test_each_fee_capped_alone(fees_list):
    """Per expert: the total recoverable is the sum of the capped fees, order aside."""
    result = expert_fee(*fees_list)
    assert result.recoverable == sum((min(f, EXPERT_FEE_CAP) for f in fees_list), Decimal(0))
    assert expert_fee(*reversed(fees_list)).recoverable == result.recoverable
    assert result.recoverable + result.over_cap == result.claimed


# --- rules the mutation run (issue 17, docs/testing.md) showed were not pinned -------------


def test_the_default_vat_is_the_standard_rate():
    fee = first_medical_report_fee()
    assert (fee.net, fee.vat_percent, fee.vat, fee.gross) == (
        Decimal("180.00"),
        Decimal(20),
        Decimal("36.00"),
        Decimal("216.00"),
    )
    assert fee.to_dict() == {
        "net": "180.00",
        "vat_percent": "20.00",
        "vat": "36.00",
        "gross": "216.00",
        "part_of_claim_value": False,
        "reference": fees.MEDICAL_FEE_REFERENCE,
        "vat_reference": fees.VAT_REFERENCE,
        "note": fees.NOT_CLAIM_VALUE,
    }
    assert "£216.00" in str(fee).splitlines()[0]
    assert "VAT at 20%" in str(fee)


def test_expert_fee_json_states_each_expert_and_the_cap():
    result = expert_fee("750", "900.10")
    assert result.to_dict() == {
        "claimed": "1650.10",
        "cap": "750.00",
        "recoverable": "1500.00",
        "over_cap": "150.10",
        "capped": True,
        "fees": ["750.00", "900.10"],
        "recoverable_by_expert": ["750.00", "750.00"],
        "part_of_claim_value": False,
        "reference": fees.EXPERT_FEE_REFERENCE,
        "note": fees.NOT_CLAIM_VALUE,
    }
    at_cap = expert_fee("750")
    assert at_cap.capped is False
    assert at_cap.to_dict()["capped"] is False
    assert at_cap.over_cap == Decimal("0.00")


def test_expert_fee_title_states_recoverable_and_claimed():
    one = str(expert_fee("900")).splitlines()[0]
    assert one.startswith("Expert fee: £750.00 recoverable of £900.00")
    two = str(expert_fee("900", "100")).splitlines()[0]
    assert two.startswith("Expert fees: £850.00 recoverable of £1,000.00")


@pytest.mark.parametrize(
    ("args", "field", "value"),
    [((), "fee", ()), (("-1",), "fee", "-1"), (("1", "x"), "fee[1]", "x"), ([[]], "fee", ([],))],
)
def test_expert_fee_refusals_name_the_fee(args, field, value):
    with pytest.raises(RulesError) as caught:
        expert_fee(*args)
    assert caught.value.field == field
    assert caught.value.value == value
    assert caught.value.reference == fees.EXPERT_FEE_REFERENCE
    if not args or args == [[]]:
        assert caught.value.message.startswith("give at least one expert's fee")


# --- fees for medical evidence and police reports, as dated data (issue 22) ----------------

from datetime import date  # noqa: E402

from rtaprotocol.errors import OutOfCoverageError  # noqa: E402
from rtaprotocol.fees import MEDICAL_FEE_RATES, FeeKind, medical_fee  # noqa: E402

BEFORE_UPRATING = date(2024, 5, 1)


@pytest.mark.parametrize(
    ("represented", "recoverable", "paid"),
    [(True, "180.00", False), (False, "0.00", True), (None, "0.00", True)],
)
def test_first_report_who_pays(represented, recoverable, paid):
    """Guide 5.3.1: "arranged through the portal and ... paid for by the compensator (unless
    you are represented)": represented, the fixed £180 is claimed back; otherwise nothing."""
    fee = medical_fee("first-report", on=BEFORE_UPRATING, represented=represented)
    assert fee.claimed == Decimal("180.00")
    assert fee.recoverable == Decimal(recoverable)
    assert fee.paid_by_compensator is paid
    assert fee.vat == round_penny(fee.recoverable * 20 / 100)
    assert fee.rate is not None
    assert fee.rate.confidence == "primary"
    assert fee.to_dict()["rate"]["valid_from"] == "2014-10-01"


@pytest.mark.parametrize(
    ("kind", "fixed"),
    [
        ("further-report-orthopaedic-surgeon", "420.00"),
        ("further-report-a-and-e-consultant", "360.00"),
        ("further-report-gp", "180.00"),
        ("further-report-physiotherapist", "180.00"),
    ],
)
def test_further_reports_are_fixed_and_recoverable_only_if_justified(kind, fixed):
    """Guide 6.4.2.2, 6.4.2.3 and CPR 45.19(2A)(b): a justified further report arranged by
    the compensator is invoiced to it; the claimant's own justified report is claimed back
    at its fixed fee; without one of the four justifications nothing is recoverable."""
    own = medical_fee(kind, on=BEFORE_UPRATING, justified=True, own_report=True, amount=900)
    assert (own.claimed, own.recoverable) == (Decimal("900.00"), Decimal(fixed))
    assert any("only the fixed fee" in n for n in own.notes)
    arranged = medical_fee(kind, on=BEFORE_UPRATING, justified=True)
    assert arranged.paid_by_compensator
    assert arranged.recoverable == 0
    unjustified = medical_fee(kind, on=BEFORE_UPRATING, justified=False, own_report=True)
    assert unjustified.recoverable == 0
    assert any("four justifications" in n for n in unjustified.notes)


def test_records_addenda_part_35_and_police_reports():
    """CPR 45.19(2A)(c)-(e): records at most £80 a set, addendum £50, Part 35 answers £80;
    guide 5.3.3: police reports as charged, flagged where liability is admitted."""
    assert medical_fee("medical-records", on=BEFORE_UPRATING, amount=95).recoverable == 80
    assert medical_fee("medical-records", on=BEFORE_UPRATING, amount=45).recoverable == 45
    assert medical_fee("addendum-report", on=BEFORE_UPRATING).recoverable == 50
    assert medical_fee("part-35-answers", on=BEFORE_UPRATING).recoverable == 80
    police = medical_fee("police-report", on=date(2026, 1, 5), amount=120, liability_admitted=True)
    assert police.recoverable == 120
    assert police.rate is None
    assert any("no need for a police report" in n for n in police.notes)
    assert "police-report fee" in str(police)


def test_fees_incurred_after_the_2025_uprating_need_the_amount():
    """The fixed fees were uprated from 6 April 2025 by an amount this release does not
    confirm: a fee incurred then is refused (OutOfCoverageError), never the 2014 figure
    silently; the caller may give the amount charged. Before 1 October 2014: not covered."""
    with pytest.raises(OutOfCoverageError) as err:
        medical_fee("first-report", on=date(2025, 4, 6), represented=True)
    assert "Civil Procedure (Amendment) Rules 2025" in err.value.reference
    given = medical_fee("first-report", on=date(2025, 4, 6), represented=True, amount="225.72")
    assert given.recoverable == Decimal("225.72")
    assert given.rate is not None
    assert given.rate.confidence == "unconfirmed"
    assert medical_fee("first-report", on=date(2025, 4, 5), represented=True).recoverable == 180
    with pytest.raises(OutOfCoverageError, match="covered from 2014-10-01"):
        medical_fee("addendum-report", on=date(2014, 9, 30))
    assert {r.kind for r in MEDICAL_FEE_RATES} == set(FeeKind) - {FeeKind.POLICE_REPORT}


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: medical_fee("x-ray", on=BEFORE_UPRATING), "not one of FeeKind"),
        (lambda: medical_fee("police-report", on=BEFORE_UPRATING), "not fixed"),
        (lambda: medical_fee("medical-records", on=BEFORE_UPRATING), "not fixed"),
        (lambda: medical_fee("first-report", on=BEFORE_UPRATING, represented=1), "True or False"),
        (lambda: medical_fee("first-report", on=BEFORE_UPRATING, amount=-1), "negative"),
        (lambda: medical_fee("first-report", on=BEFORE_UPRATING, own_report="yes"), "True or"),
    ],
)
def test_medical_fee_refusals(call, match):
    """Every bad input is refused with the rule, never a silent answer."""
    with pytest.raises(RulesError, match=match):
        call()


@given(
    kind=st.sampled_from([k for k in FeeKind if k is not FeeKind.POLICE_REPORT]),
    amount=money(2000),
    justified=st.booleans(),
    own=st.booleans(),
    represented=st.booleans(),
)
def test_recoverable_never_exceeds_the_charge_or_the_fixed_fee(
    kind, amount, justified, own, represented
):
    """Property: 0 <= recoverable <= claimed, and never above the rate's fixed fee or cap."""
    fee = medical_fee(
        kind,
        on=BEFORE_UPRATING,
        amount=amount,
        justified=justified,
        own_report=own,
        represented=represented,
    )
    assert 0 <= fee.recoverable <= fee.claimed
    assert fee.rate is not None
    limit = fee.rate.fixed if fee.rate.fixed is not None else fee.rate.cap
    assert limit is not None
    assert fee.recoverable <= limit
    assert json.loads(json.dumps(fee.to_dict()))["part_of_claim_value"] is False


# --- survivors of the mutation run of 2026-12-07 (issue 25) -----------------------------------


def test_a_fee_file_naming_an_unknown_kind_is_refused_with_its_place() -> None:
    """A fee data file whose rate names no FeeKind is refused, never read as another kind.

    Dated rule data is validated when loaded (issue 25: one typed loader); the refusal
    names the file's field (``rates.kind``), the value as written and the rule it breaks.
    """
    with pytest.raises(RulesError) as caught:
        fees._fee_kind("massage")
    err = caught.value
    assert type(err).__name__ == "DataFileError"
    assert (err.message, err.value, err.field, err.reference) == (
        "medical-fees: unknown fee kind",
        "massage",
        "rates.kind",
        "rtaprotocol rule data files",
    )
    assert fees._fee_kind("first-report") is FeeKind.FIRST_REPORT


def test_a_fee_before_the_fixed_fees_names_its_date() -> None:
    """A fee incurred before 1 October 2014 is outside the dated fixed fees, and the refusal
    carries the date received (CPR 45.19(2A) as made by SI 2014/2044, in force that day)."""
    with pytest.raises(OutOfCoverageError) as caught:
        medical_fee("first-report", on=date(2014, 9, 30))
    assert caught.value.value == date(2014, 9, 30)
    assert caught.value.field == "on"


def test_a_fee_the_compensator_pays_says_so_in_its_title() -> None:
    """Guide 5.3.1: an unrepresented claimant's first report is paid by the compensator to
    the provider directly; the fee's text says so, and a fee claimed back does not."""
    paid = medical_fee("first-report", on=date(2020, 1, 1), represented=False)
    assert paid.paid_by_compensator
    assert str(paid).splitlines()[0] == (
        "first-report fee on 2020-01-01: £0.00 recoverable before VAT "
        "(paid by the compensator directly) (not part of the claim's value, guide 5.3)"
    )
    claimed = medical_fee("first-report", on=date(2020, 1, 1), represented=True)
    assert "paid by the compensator" not in str(claimed).splitlines()[0]


def test_a_capped_fee_states_its_cap_in_json() -> None:
    """Medical records: at most £80 a set (CPR 45.19(2A)); the JSON's rate states the cap."""
    records = medical_fee("medical-records", on=date(2020, 1, 1), amount=100, represented=True)
    assert records.to_dict()["rate"]["cap"] == "80.00"
    assert records.to_dict()["rate"]["fixed"] is None


def test_a_fee_that_is_not_fixed_needs_its_amount() -> None:
    """Guide 5.3.3 (police reports) and CPR 45.19(2A) (medical records, at most £80 a set):
    neither fee is fixed, so the amount charged must be given; the refusal names the
    ``amount`` field and says which fee."""
    on = date(2020, 1, 1)
    for kind, message in (
        ("police-report", "a police report fee is not fixed: give the amount charged"),
        ("medical-records", "medical records fees are not fixed: give the amount charged"),
    ):
        with pytest.raises(RulesError) as caught:
            medical_fee(kind, on=on)
        assert (caught.value.message, caught.value.field) == (message, "amount"), kind


def test_medical_records_are_capped_only_above_the_cap() -> None:
    """CPR 45.19(2A): medical records at most £80 a set. £80.00 is recovered in full with no
    cap note; £80.01 is capped at £80.00 and the note says so, citing the rule."""
    on = date(2020, 1, 1)
    at_cap = medical_fee("medical-records", on=on, amount=80, represented=True)
    assert (at_cap.recoverable, at_cap.notes) == (Decimal("80.00"), ())
    over = medical_fee("medical-records", on=on, amount="80.01", represented=True)
    assert over.recoverable == Decimal("80.00")
    assert over.notes[0].startswith("capped at £80.00 for each set of records [")
    assert over.notes[0].endswith(f"[{over.rate.reference}]")


def test_who_pays_each_report_and_what_the_note_says() -> None:
    """Guide 5.3.1, 6.4.1.4: an unrepresented claimant's first report is paid by the
    compensator directly; guide 6.4.2.2-6.4.2.3: a justified further report the compensator
    arranged is invoiced to it, while the claimant's own further report is claimed back at
    the end. Each case's payer and note, word for word."""
    on = date(2020, 1, 1)
    first = medical_fee("first-report", on=on, represented=False)
    assert (first.paid_by_compensator, first.recoverable, first.notes) == (
        True,
        Decimal("0.00"),
        (
            (
                "arranged through the portal and paid by the compensator directly: nothing to "
                "claim back [guide 5.3.1, 6.4.1.4]"
            ),
        ),
    )
    arranged = medical_fee("further-report-gp", on=on, justified=True)
    assert (arranged.paid_by_compensator, arranged.notes) == (
        True,
        (
            (
                "arranged by the compensator with a justification: its invoice goes to the "
                "compensator [guide 6.4.2.2, 6.4.2.3]"
            ),
        ),
    )
    own = medical_fee("further-report-gp", on=on, justified=True, own_report=True)
    assert (own.paid_by_compensator, own.recoverable, own.notes) == (
        False,
        Decimal("180.00"),
        (
            (
                "the claimant's own report: the fee is claimed back at the end with the other "
                "fees [guide 6.4.2.2, 6.4.2.3]"
            ),
        ),
    )


def test_an_unconfirmed_rate_says_the_amount_given_is_used() -> None:
    """From 6 April 2025 the uprated fixed fees are unconfirmed (dated data, secondary):
    the amount given is used, and the first note says so, citing the rate's source."""
    fee = medical_fee("first-report", on=date(2025, 5, 1), amount=200, represented=True)
    assert fee.recoverable == Decimal("200.00")
    assert fee.notes[0] == (
        f"the amount given is used: the rate in force is unconfirmed [{fee.rate.reference}]"
    )


def test_an_unknown_fee_kind_is_refused_naming_the_kind_field() -> None:
    """Guide 5.3: the fees a claimant may claim are listed (FeeKind); any other kind
    is refused, naming the ``kind`` field, the value received and guide 5.3's list (not
    5.3.3, which is the police report's paragraph alone)."""
    with pytest.raises(RulesError) as caught:
        medical_fee("massage", on=date(2020, 1, 1))
    assert (caught.value.field, caught.value.value) == ("kind", "massage")
    assert caught.value.reference == "guide 5.3"


@pytest.mark.parametrize("kind", list(FeeKind))
def test_a_bad_amount_cites_its_own_fees_rule(kind: FeeKind) -> None:
    """A bad amount cites the rule of the fee it is for: a police report's amount guide
    5.3.3 (police fees vary by force and are recovered as charged), every other fee guide
    5.3 (the fees a claimant may claim). Before, every fee's amount cited 5.3.3."""
    with pytest.raises(RulesError) as caught:
        medical_fee(kind, on=BEFORE_UPRATING, amount="-1", justified=True)
    assert caught.value.field == "amount"
    expected = "guide 5.3, 5.3.3" if kind is FeeKind.POLICE_REPORT else "guide 5.3"
    assert caught.value.reference == expected


@pytest.mark.parametrize("flag", ["yes", None, 1, 0])
def test_own_report_is_a_bool_like_every_other_flag(flag: object) -> None:
    """``own_report`` (guide 6.4.2.3: the claimant's own further report) is refused like the
    other flags when it is not True or False: a RulesTypeError with code ``type.wrong``."""
    with pytest.raises(RulesTypeError) as caught:
        medical_fee("further-report-gp", on=BEFORE_UPRATING, justified=True, own_report=flag)
    assert (caught.value.field, caught.value.code) == ("own_report", "type.wrong")


# --- every refusal pinned, and the police report note (mutation run of 2026-12-07) ------------

ERRORS = {
    "first report fee: negative VAT rate": lambda: first_medical_report_fee(vat_percent=-1),
    "first report fee: VAT rate not a number": lambda: first_medical_report_fee(
        vat_percent="twenty"
    ),
    "expert fee: none given": expert_fee,
    "expert fee: an empty sequence": lambda: expert_fee([]),
    "expert fee: one negative fee": lambda: expert_fee("-5"),
    "expert fee: the second fee not a number": lambda: expert_fee(100, "x"),
    "medical fee: unknown kind": lambda: medical_fee("massage", on=BEFORE_UPRATING),
    "medical fee: on not a date": lambda: medical_fee("first-report", on="2020-01-01"),
    "medical fee: on after the calendar": lambda: medical_fee("first-report", on=date(2101, 1, 1)),
    "medical fee: on before the fixed fees": lambda: medical_fee(
        "first-report", on=date(2014, 9, 30)
    ),
    "medical fee: negative VAT rate": lambda: medical_fee(
        "first-report", on=BEFORE_UPRATING, vat_percent=-1
    ),
    "medical fee: represented not a bool": lambda: medical_fee(
        "first-report", on=BEFORE_UPRATING, represented=1
    ),
    "medical fee: justified not a bool": lambda: medical_fee(
        "further-report-gp", on=BEFORE_UPRATING, justified="yes"
    ),
    "medical fee: liability_admitted not a bool": lambda: medical_fee(
        "police-report", on=BEFORE_UPRATING, amount=100, liability_admitted=0
    ),
    "medical fee: own_report not a bool": lambda: medical_fee(
        "further-report-gp", on=BEFORE_UPRATING, justified=True, own_report="yes"
    ),
    "medical fee: own_report None": lambda: medical_fee(
        "further-report-gp", on=BEFORE_UPRATING, justified=True, own_report=None
    ),
    "medical fee: negative amount": lambda: medical_fee(
        "police-report", on=BEFORE_UPRATING, amount=-1
    ),
    "medical fee: negative amount of a fixed fee": lambda: medical_fee(
        "first-report", on=BEFORE_UPRATING, amount=-1
    ),
    "medical fee: police report without its amount": lambda: medical_fee(
        "police-report", on=BEFORE_UPRATING
    ),
    "medical fee: medical records without their amount": lambda: medical_fee(
        "medical-records", on=BEFORE_UPRATING
    ),
    "medical fee: a fixed fee after the 2025 uprating without its amount": lambda: medical_fee(
        "addendum-report", on=date(2025, 4, 6)
    ),
}


def test_every_refusal_matches_its_golden_file() -> None:
    """Every refusal of fees, word for word: its type, ``field``, ``reference`` (guide 5.3.1,
    5.3.2, 5.3.3, 6.4.2.2-6.4.2.3; PD 27A para 7.3(2); VATA 1994 s.2; CPR 45.19(2A)), value,
    message and code, as tests/golden/errors/fees.txt records (one named case per refusal)."""
    golden_errors.check("fees", ERRORS)


POLICE_NOTE = (
    "liability is admitted: the guide says there should then be no need for a police report, "
    "so the compensator may dispute this fee [guide 5.3, 5.3.3]"
)


@pytest.mark.parametrize("kind", list(FeeKind))
@pytest.mark.parametrize("admitted", [True, False, None])
def test_the_admitted_liability_note_is_for_a_police_report_only(kind, admitted) -> None:
    """Guide 5.3.3 ("Police report fees"): "If liability is admitted, there should be no need
    for a police report to be obtained." The note saying so (the compensator may dispute the
    fee) is given for a police report when liability is admitted, and for nothing else: not
    for a police report when liability is denied or not stated, nor for any other fee, whether
    or not liability is admitted."""
    fee = medical_fee(
        kind,
        on=BEFORE_UPRATING,
        amount=50,
        liability_admitted=admitted,
        represented=True,
        justified=True,
        own_report=True,
    )
    expected = kind is FeeKind.POLICE_REPORT and admitted is True
    assert (POLICE_NOTE in fee.notes) is expected
    assert sum("police report, so" in note for note in fee.notes) == int(expected)
