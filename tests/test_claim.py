"""The claim lifecycle: one walk-through per path of guide 6.3 to 6.6, then properties."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from attrs import evolve

from rtaprotocol.claim import (
    LIMITATION_WINDOW_MONTHS,
    MAX_PART_ADMISSION_CHALLENGES,
    PD27B_SECTIONS,
    Claim,
    ClaimEvent,
    ClaimEventKind,
    CourtIssue,
    CourtRoute,
    Deadline,
    InterimAnswer,
    LiabilityResponse,
    Step,
)
from rtaprotocol.deadlines import EnglandWalesCalendar, Period, due_date
from rtaprotocol.eligibility import ClaimFacts, ExitReason
from rtaprotocol.errors import (
    ErrorCode,
    OutOfCoverageError,
    ProtocolViolation,
    RulesError,
    RulesTypeError,
)
from rtaprotocol.losses import ListOfLosses, LossItem
from rtaprotocol.offers import Event as OfferEvent
from rtaprotocol.offers import EventKind as OfferEventKind
from rtaprotocol.offers import Negotiation, Party
from rtaprotocol.sources import resolve

ENTRY = date(2023, 5, 2)  # a Tuesday; 8 May (coronation) and 29 May fall inside the periods
FACTS = ClaimFacts(
    accident_date=date(2023, 3, 1),
    entry_date=ENTRY,
    date_of_birth=date(1990, 1, 1),
    accident_location="england",
    road_user="vehicle-occupant",
    someone_else_to_blame=True,
    other_vehicle_registration_known=True,
    other_vehicle_uk_registered=True,
    claimant_protected_party=False,
    defendant_protected_party=False,
    health_and_safety_breach=False,
    defendant_road_user=True,
    untraced_driver=False,
    claimant_personal_representative=False,
    defendant_personal_representative=False,
    claimant_bankrupt=False,
    injury=1500,
    other_protocol_damages=1500,
)
LOSSES = ListOfLosses(
    items=[
        LossItem("injury-loss-of-earnings", 1000),
        LossItem("property-excess", 250),
        LossItem("property-repairs", 250),
    ]
)


def submitted(*, compensator: str = "insurer", whiplash: bool = True) -> Claim:
    return Claim().act(
        "submitted",
        on=ENTRY,
        facts=FACTS,
        whiplash=whiplash,
        compensator=compensator,
        losses=LOSSES,
    )


def admitted(percent: int | None = None, *, on: date = date(2023, 5, 10)) -> Claim:
    c = submitted()
    if percent is None:
        return c.act("liability-response", on=on, response="admit-full")
    return c.act("liability-response", on=on, response="admit-part", percent=percent)


def at_offer(c: Claim, *, on: date = date(2023, 6, 5)) -> Claim:
    c = c.act("proceed-to-medical", on=date(2023, 5, 20))
    c = c.act("medical-report-received", on=date(2023, 5, 25), report="first", prognosis_months=6)
    c = c.act("medical-report-shared", on=date(2023, 5, 26))
    return c.act("offer-requested", on=on)


NEAR = date(2025, 9, 2)  # inside the 6 months before the limitation date (2026-03-01)
LATER = date(2025, 11, 3)  # a court's decision after proceedings issued near limitation


def to_court(c: Claim, issue: str, on: date) -> Claim:
    """Go to court on ``issue`` the long way: court pack list sent, agreed, then issue."""
    day = on.toordinal()
    c = c.act("go-to-court", on=on, issue=issue)
    c = c.act("court-pack-list-sent", on=date.fromordinal(day + 1))
    c = c.act("court-pack-list-agreed", on=date.fromordinal(day + 2))
    return c.act("proceedings-issued", on=date.fromordinal(day + 3))


def replayed(c: Claim) -> Claim:
    return Claim.replay(json.loads(json.dumps([e.to_dict() for e in c.history])))


# --- walk-throughs ---------------------------------------------------------------------


def test_admit_and_settle() -> None:
    c = submitted()
    assert c.step is Step.INVESTIGATION
    assert c.eligibility is not None
    assert c.eligibility.eligible is True
    c = c.act("liability-response", on=date(2023, 5, 10), response="admit-full")
    c = at_offer(c)
    assert c.step is Step.OFFER
    due = due_date(Period.OFFER, date(2023, 6, 5))
    assert [
        d.due for d in c.next_steps(date(2023, 6, 6)).deadlines if d.period is Period.OFFER
    ] == [due]
    c = c.act(
        "offer",
        on=date(2023, 6, 20),
        party="compensator",
        amount="2300",
        injury="800",
        items=["1000", "250", "250"],
        tariff="whiplash",
    )
    c = c.act("accept", on=date(2023, 6, 21), party="claimant")
    assert c.step is Step.CLOSED
    assert c.closed_because == "settled: an offer was accepted"
    assert c.payment().total == Decimal("2300.00")
    pay = [d for d in c.deadlines(date(2023, 6, 21)) if d.name == "payment of the settlement"]
    assert pay[0].due == due_date(Period.PAYMENT, date(2023, 6, 21))
    # fees are negotiated after settlement (guide 6.5.3.2)
    c = c.act("fee-offer", on=date(2023, 6, 22), party="compensator", amount=180)
    c = c.act("fee-accept", on=date(2023, 6, 23), party="claimant")
    assert c.negotiation.fees is not None
    assert c.negotiation.fees.agreed_amount == Decimal("180.00")
    c = c.act("payment-made", on=date(2023, 6, 30))
    assert c.overdue(date(2023, 12, 1)) == ()
    assert replayed(c) == c
    with pytest.raises(ProtocolViolation, match="closed") as err:
        c.act("offer", on=date(2023, 7, 1), party="compensator", amount=1)
    assert err.value.reference == "guide 6.6.1"


def test_part_admit_challenge_three_times_then_refused() -> None:
    c = admitted(60)
    assert c.liability is LiabilityResponse.ADMIT_PART
    day = 11
    for _ in range(MAX_PART_ADMISSION_CHALLENGES):
        c = c.act("liability-challenge", on=date(2023, 5, day), percent=100)
        c = c.act(
            "liability-response", on=date(2023, 5, day + 1), response="admit-part", percent=60
        )
        day += 2
    assert c.part_admission_challenges == 3
    with pytest.raises(ProtocolViolation, match="at most 3 times") as err:
        c.act("liability-challenge", on=date(2023, 5, 20), percent=100)
    assert err.value.reference == "guide 6.3.1.1"
    # 60% admitted: the claimant bears 40% of every head (guide 6.3.1.1, 6.5.2)
    c = at_offer(c)
    c = c.act(
        "offer",
        on=date(2023, 6, 20),
        party="compensator",
        amount="1000",
        injury="1000",
        items=["0", "0", "0"],
    )
    assert c.payment().total == Decimal("600.00")


def test_challenge_only_until_an_offer_is_requested() -> None:
    c = at_offer(admitted(50))
    with pytest.raises(ProtocolViolation, match="until an offer is requested") as err:
        c.act("liability-challenge", on=date(2023, 6, 6), percent=80)
    assert err.value.reference == "guide 6.3.1.1"


def test_challenge_must_propose_more_than_admitted() -> None:
    with pytest.raises(ProtocolViolation, match="more than the 60"):
        admitted(60).act("liability-challenge", on=date(2023, 5, 11), percent=50)


def test_deny_and_accept() -> None:
    c = submitted().act("liability-response", on=date(2023, 5, 10), response="deny")
    assert Party.CLAIMANT in c.allowed_actions(date(2023, 5, 11))
    allowed = c.allowed_actions(date(2023, 5, 11))[Party.CLAIMANT]
    assert {"denial-accepted", "denial-challenged", "go-to-court"} <= set(allowed)
    assert "proceed-to-medical" not in allowed
    c = c.act("denial-accepted", on=date(2023, 5, 11))
    assert c.step is Step.CLOSED
    assert c.limitation_deadline == date(2026, 3, 1)
    assert all(d.name != "limitation: issue court proceedings" for d in c.deadlines())
    assert replayed(c) == c


def test_deny_go_to_court_determination_reopens_at_the_right_step() -> None:
    c = submitted().act("liability-response", on=date(2023, 5, 10), response="deny")
    c = c.act("go-to-court", on=date(2023, 5, 12), issue="liability")
    with pytest.raises(ProtocolViolation, match="court pack list") as err:
        c.act("proceedings-issued", on=date(2023, 5, 13))
    assert err.value.reference == "guide 6.6.3.3"
    c = c.act("court-pack-list-sent", on=date(2023, 5, 13))
    c = c.act("court-pack-list-agreed", on=date(2023, 5, 20))
    c = c.act("proceedings-issued", on=date(2023, 5, 22))
    assert c.step is Step.ON_HOLD
    with pytest.raises(ProtocolViolation, match="on hold") as err:
        c.act("proceed-to-medical", on=date(2023, 6, 1))
    assert err.value.reference == "guide 6.6.1.1"
    c = c.act("court-determination", on=date(2023, 9, 1), for_claimant=True, percent=75)
    assert c.step is Step.INVESTIGATION
    assert c.liability_percent == Decimal("75")
    # the court's finding opens the medical step and interim payments (guide 6.3.1.4)
    c = c.act("interim-payment-requested", on=date(2023, 9, 4), amount=250, item=1)
    c = c.act("proceed-to-medical", on=date(2023, 9, 5))
    assert c.step is Step.MEDICAL
    assert all(d.name != "limitation: issue court proceedings" for d in c.deadlines())
    assert replayed(c) == c


def test_court_finding_against_the_claimant_closes() -> None:
    """Guide 6.6.1: a finding against the claimant on liability closes the claim; near the
    limitation date the proceedings were issued without the court pack list (6.6.3.3)."""
    c = submitted().act("liability-response", on=date(2023, 5, 10), response="deny")
    c = c.act("go-to-court", on=NEAR, issue="liability", limitation=True)
    c = c.act("proceedings-issued", on=NEAR)  # limitation: no court pack first
    c = c.act("court-determination", on=LATER, for_claimant=False)
    assert c.step is Step.CLOSED


def test_dispute_causation_then_deemed_admission() -> None:
    c = submitted().act(
        "liability-response", on=date(2023, 5, 10), response="admit-fault-dispute-causation"
    )
    assert c.causation == "disputed"
    c = at_offer(c)
    due = due_date(Period.INJURY_DISPUTE, date(2023, 6, 5))
    running = [
        d for d in c.next_steps(date(2023, 6, 6)).deadlines if d.period is Period.INJURY_DISPUTE
    ]
    assert running[0].due == due
    assert running[0].on_expiry == "causation deemed admitted"
    assert c.causation_on(due) == "disputed"
    assert c.causation_on(date.fromordinal(due.toordinal() + 1)) == "admitted"
    with pytest.raises(ProtocolViolation) as err:
        c.act("injury-dispute-notice", on=date.fromordinal(due.toordinal() + 1))
    assert err.value.reference == "guide 6.5.4"
    late = c.act("offer", on=date.fromordinal(due.toordinal() + 1), party="compensator", amount=5)
    assert late.causation == "admitted"


def test_dispute_notice_in_time_then_exit() -> None:
    """Guide 6.5.4, 6.6.2.1: after the notice either side may take the claim out; the
    claimant does so to continue with the injury claim (issue 22: never a dead end)."""
    c = submitted().act(
        "liability-response", on=date(2023, 5, 10), response="admit-fault-dispute-causation"
    )
    with pytest.raises(ProtocolViolation, match="once the compensator has notified"):
        at_offer(c).act(
            "portal-exit", on=date(2023, 6, 19), party="claimant", reason="causation-disputed"
        )
    c = at_offer(c).act("injury-dispute-notice", on=date(2023, 6, 20))
    assert c.causation == "notified"
    mine = c.act("portal-exit", on=date(2023, 6, 21), party="claimant", reason="causation-disputed")
    assert mine.step is Step.EXITED
    out = c.act(
        "portal-exit", on=date(2023, 6, 21), party="compensator", reason="causation-disputed"
    )
    assert out.step is Step.EXITED
    assert out.exit_reason is ExitReason.CAUSATION_DISPUTED
    assert replayed(out) == out


def test_offer_with_an_injury_sum_admits_causation() -> None:
    c = submitted().act(
        "liability-response", on=date(2023, 5, 10), response="admit-fault-dispute-causation"
    )
    c = at_offer(c).act("injury-dispute-notice", on=date(2023, 6, 20))
    c = c.act(
        "offer",
        on=date(2023, 6, 21),
        party="compensator",
        amount=100,
        injury=100,
        items=["0", "0", "0"],
    )
    assert c.causation == "admitted"


def test_interim_request_before_and_after_admission() -> None:
    c = submitted()
    with pytest.raises(ProtocolViolation, match="only once liability or fault") as err:
        c.act("interim-payment-requested", on=date(2023, 5, 3), amount=250, item=1)
    assert err.value.reference == "guide 6.3.1.4"
    c = c.act("liability-response", on=date(2023, 5, 10), response="admit-full")
    with pytest.raises(ProtocolViolation, match="not for the injury"):
        c.act("interim-payment-requested", on=date(2023, 5, 11), amount=250, head="injury")
    c = c.act("interim-payment-requested", on=date(2023, 5, 11), amount=250, item=1)
    due = due_date(Period.INTERIM_PAYMENT_RESPONSE, date(2023, 5, 11))
    assert [
        d.due for d in c.deadlines(date(2023, 5, 12)) if d.period is Period.INTERIM_PAYMENT_RESPONSE
    ] == [due]
    c = c.act("interim-payment-response", on=date(2023, 5, 15), agreed=True)
    assert c.losses.items[1].paid
    with pytest.raises(ProtocolViolation, match="settled in full"):
        c.act("interim-payment-requested", on=date(2023, 5, 16), amount=1, item=1)
    # a voluntary general interim is offset against the final settlement
    c = c.act("voluntary-interim-payment", on=date(2023, 5, 16), amount=100)
    c = at_offer(c)
    c = c.act(
        "offer",
        on=date(2023, 6, 20),
        party="compensator",
        amount="2500",
        injury="1000",
        items=["1000", "250", "250"],
    )
    pay = c.payment()
    # 2,500 less the item interim (250) less the general interim (100)
    assert pay.total == Decimal("2150.00")
    assert replayed(c) == c


def test_unanswered_interim_request_goes_overdue_and_to_court() -> None:
    c = admitted().act("interim-payment-requested", on=date(2023, 5, 11), amount=250, item=1)
    due = due_date(Period.INTERIM_PAYMENT_RESPONSE, date(2023, 5, 11))
    with pytest.raises(ProtocolViolation):
        c.act("go-to-court", on=due, issue="interim-payment")
    after = date.fromordinal(due.toordinal() + 1)
    assert [d.name for d in c.overdue(after)] == ["interim payment response"]
    c = c.act("go-to-court", on=after, issue="interim-payment")
    assert c.step is Step.INVESTIGATION


def test_further_report_with_and_without_justification() -> None:
    c = admitted().act("proceed-to-medical", on=date(2023, 5, 11))
    c = c.act("medical-report-received", on=date(2023, 5, 25), report="first")
    c = c.act("factual-accuracy-challenge", on=date(2023, 5, 26))
    with pytest.raises(ProtocolViolation, match="one opportunity") as err:
        c.act("factual-accuracy-challenge", on=date(2023, 5, 27))
    assert err.value.reference == "guide 6.4.2.1"
    justified = c.act(
        "further-report-requested", on=date(2023, 5, 30), justification="continuing-treatment"
    )
    justified = justified.act("further-report-acknowledged", on=date(2023, 5, 31))
    due = due_date(Period.FURTHER_MEDICAL_INSTRUCTIONS, date(2023, 5, 31))
    assert [
        d.due
        for d in justified.deadlines(date(2023, 6, 1))
        if d.period is Period.FURTHER_MEDICAL_INSTRUCTIONS
    ] == [due]
    with pytest.raises(ProtocolViolation, match="instructs the expert first"):
        justified.act("medical-report-received", on=date(2023, 6, 2), report="further")
    justified = justified.act("further-report-instructions-sent", on=date(2023, 6, 2))
    justified = justified.act("medical-report-received", on=date(2023, 6, 20), report="further")
    assert justified.unreliable_further_reports == 0
    with pytest.raises(ProtocolViolation, match="only the first report"):
        justified.act("factual-accuracy-challenge", on=date(2023, 6, 21))

    bare = c.act("further-report-requested", on=date(2023, 5, 30))
    bare = bare.act("further-report-objected", on=date(2023, 5, 31))
    bare = bare.act("medical-report-received", on=date(2023, 6, 20), report="further")
    assert bare.unreliable_further_reports == 1
    assert "not relied on, fee not recoverable" in str(bare.explain())


def test_first_report_via_medco() -> None:
    c = admitted()
    with pytest.raises(ProtocolViolation, match="MedCo") as err:
        c.act("proceed-to-medical", on=date(2023, 5, 11), via_medco=False)
    assert err.value.reference == "guide 6.4.1.3"
    c.act("proceed-to-medical", on=date(2023, 5, 11), via_medco=False, lives_in_england_wales=False)


def test_no_offer_request_before_the_medical_report() -> None:
    c = admitted().act("proceed-to-medical", on=date(2023, 5, 11))
    with pytest.raises(ProtocolViolation, match="medical report") as err:
        c.act("offer-requested", on=date(2023, 5, 12))
    assert "Civil Liability Act 2018 s.6" in err.value.reference


def test_no_new_losses_after_the_offer_request() -> None:
    c = at_offer(admitted())
    with pytest.raises(ProtocolViolation) as err:
        c.act("interim-payment-requested", on=date(2023, 6, 6), amount=10, item=3)
    assert err.value.reference == "guide 6.5.1.1"
    with pytest.raises(ProtocolViolation, match="each of the 3 items"):
        c.act(
            "offer",
            on=date(2023, 6, 6),
            party="compensator",
            amount=10,
            injury=0,
            items=["10", "0", "0", "0"],
        )


def test_higher_tariff_cannot_be_undone() -> None:
    c = at_offer(admitted())
    c = c.act(
        "offer",
        on=date(2023, 6, 6),
        party="compensator",
        amount=1000,
        tariff="whiplash-psychological",
    )
    c = c.act("reject", on=date(2023, 6, 7), party="claimant")
    with pytest.raises(ProtocolViolation, match="cannot go back") as err:
        c.act("offer", on=date(2023, 6, 8), party="compensator", amount=1000, tariff="whiplash")
    assert err.value.reference == "guide 6.5.2, 6.5.3.1"
    assert c.higher_tariff_selected


def test_wait_out_prognosis_restarts_the_negotiation() -> None:
    c = at_offer(admitted())
    c = c.act("offer", on=date(2023, 6, 6), party="compensator", amount=1000)
    c = c.act("wait-out-prognosis", on=date(2023, 6, 7))
    with pytest.raises(ProtocolViolation, match="wait") as err:
        c.act("accept", on=date(2023, 6, 8), party="claimant")
    assert err.value.reference == "guide 6.5.3.1 (wait out prognosis)"
    recovered = c.act("prognosis-outcome", on=date(2023, 11, 1), outcome="recovered")
    assert recovered.act("accept", on=date(2023, 11, 2), party="claimant").step is Step.CLOSED
    restarted = c.act("prognosis-outcome", on=date(2023, 11, 1), outcome="further-losses")
    assert len(restarted.past_negotiations) == 1
    assert not restarted.negotiation.offers(Party.COMPENSATOR)
    restarted = restarted.act(
        "offer-requested",
        on=date(2023, 11, 2),
        added_losses=[{"type": "injury-travel-costs", "amount": "40"}],
    )
    assert len(restarted.losses.items) == 4
    restarted = restarted.act("offer", on=date(2023, 11, 3), party="compensator", amount=900)
    assert restarted.negotiation.latest_offer(Party.COMPENSATOR).number == 1  # a new first offer
    assert replayed(restarted) == restarted


def test_payment_with_and_without_cru() -> None:
    c = at_offer(admitted(75))
    # the guide's 6.5.2.2 figures, with 10% seatbelt and CRU against the earnings
    c = c.act(
        "offer",
        on=date(2023, 6, 6),
        party="compensator",
        amount="4000",
        injury="1000",
        items=["1500", "200", "1300"],
        seatbelt_percent=10,
        cru={"earnings": "500"},
    )
    assert c.act("accept", on=date(2023, 6, 7), party="claimant").payment().total == Decimal(
        "2312.50"
    )
    plain = c.act("accept", on=date(2023, 6, 7), party="claimant")
    with_cru = c.act("accept", on=date(2023, 6, 7), party="claimant", updated_cru_certificate=True)
    due = {d.name: d for d in plain.deadlines(date(2023, 6, 8))}["payment of the settlement"]
    due_cru = {d.name: d for d in with_cru.deadlines(date(2023, 6, 8))}["payment of the settlement"]
    assert due.due == due_date(Period.PAYMENT, date(2023, 6, 7))
    assert due_cru.due == due_date(Period.PAYMENT_WITH_CRU, date(2023, 6, 7))
    assert due_cru.period is Period.PAYMENT_WITH_CRU


def test_late_liability_response_is_recorded_and_shown_overdue() -> None:
    c = submitted()
    due = due_date(Period.LIABILITY_RESPONSE, ENTRY)
    assert due == date(2023, 6, 15)
    assert [d.name for d in c.overdue(date(2023, 6, 16))] == ["liability response"]
    late = c.act("liability-response", on=date(2023, 6, 20), response="admit-full")
    shown = late.overdue(date(2023, 6, 21))
    assert [(d.name, d.late, d.met_on) for d in shown] == [
        ("liability response", True, date(2023, 6, 20))
    ]
    assert shown[0].status(date(2023, 6, 21)) == "met late"
    on_time = c.act("liability-response", on=due, response="admit-full")
    assert on_time.overdue(date(2023, 6, 21)) == ()


def test_mib_has_forty_business_days() -> None:
    c = submitted(compensator="mib")
    first = c.next_steps(ENTRY).deadlines[0]
    assert first.due == due_date(Period.LIABILITY_RESPONSE_MIB, ENTRY)


def test_ineligible_claim_is_refused_on_submission() -> None:
    facts = ClaimFacts(accident_date=date(2021, 5, 1), entry_date=ENTRY)
    with pytest.raises(ProtocolViolation, match="not eligible"):
        Claim().submit(facts, on=ENTRY, whiplash=True)


def test_submission_date_is_the_entry_date() -> None:
    with pytest.raises(ProtocolViolation, match="entry date"):
        Claim().submit(FACTS, on=date(2023, 5, 3), whiplash=True)


def test_court_valuation_after_the_first_offer() -> None:
    c = at_offer(admitted())
    with pytest.raises(ProtocolViolation, match="first offer"):
        c.act("go-to-court", on=date(2023, 6, 6), issue="value")
    c = c.act("offer", on=date(2023, 6, 6), party="compensator", amount=1000)
    c = c.act("go-to-court", on=date(2023, 6, 7), issue="value")
    assert c.negotiation.court_valuation_form_on == date(2023, 6, 7)
    c = c.act("court-pack-list-sent", on=date(2023, 6, 8))
    c = c.act("court-pack-list-agreed", on=date(2023, 6, 9))
    c = c.act("proceedings-issued", on=date(2023, 6, 10))
    c = c.act("court-determination", on=date(2023, 10, 2), for_claimant=True, amount=1800)
    assert c.step is Step.CLOSED
    assert c.court_value == Decimal("1800.00")


def test_no_defendant_address_exit_only_for_mib_court_form() -> None:
    c = submitted(compensator="mib").act(
        "liability-response", on=date(2023, 5, 10), response="deny"
    )
    with pytest.raises(ProtocolViolation):
        c.act("portal-exit", on=date(2023, 5, 11), party="claimant", reason="no-defendant-address")
    c = c.act("go-to-court", on=date(2023, 5, 11), issue="liability")
    out = c.act(
        "portal-exit", on=date(2023, 5, 12), party="claimant", reason="no-defendant-address"
    )
    assert out.step is Step.EXITED
    with pytest.raises(ProtocolViolation, match="left the portal") as err:
        out.act("court-pack-list-sent", on=date(2023, 5, 13))
    assert err.value.reference == "guide 6.6.2.1"


# --- events, replay, queries ------------------------------------------------------------


def test_event_round_trip_and_errors() -> None:
    e = ClaimEvent.make(
        "offer-requested", date(2023, 6, 5), added_losses=[LossItem("property-excess", 100)]
    )
    assert ClaimEvent.from_dict(json.loads(json.dumps(e.to_dict()))) == e
    with pytest.raises(RulesError) as err:
        ClaimEvent.from_dict({"kind": "liability-response", "on": "2023-05-10"}, where="events[1]")
    assert err.value.field == "events[1].response"
    with pytest.raises(RulesTypeError):
        ClaimEvent.from_dict([1])
    with pytest.raises(RulesError, match="needs a date"):
        ClaimEvent.from_dict({"kind": "denial-accepted"})
    with pytest.raises(RulesError, match="needs a kind"):
        ClaimEvent.from_dict({"on": "2023-05-10"})
    assert e.get("nothing", 7) == 7
    with pytest.raises(KeyError, match="nothing"):  # the missing field, by name
        e["nothing"]


def test_events_in_date_order() -> None:
    with pytest.raises(RulesError, match="before the previous") as err:
        submitted().act("liability-response", on=date(2023, 5, 1), response="deny")
    assert not isinstance(err.value, ProtocolViolation)
    with pytest.raises(RulesError, match="before the previous"):
        submitted().allowed_actions(date(2023, 5, 1))


def test_replay_from_json_text_and_errors() -> None:
    c = at_offer(admitted())
    text = json.dumps(c.to_dict()["history"])
    assert Claim.replay(text) == c
    with pytest.raises(RulesError, match="not valid JSON"):
        Claim.replay("[")
    with pytest.raises(RulesTypeError):
        Claim.replay(5)  # type: ignore[arg-type]


def test_calendar_extra_holiday_moves_deadlines() -> None:
    cal = EnglandWalesCalendar(extra_holidays=[date(2023, 5, 3)])
    c = Claim(calendar=cal).submit(FACTS, on=ENTRY, whiplash=True)
    assert c.next_steps(ENTRY).deadlines[0].due == date(2023, 6, 16)
    assert Claim.replay(c.history, calendar=cal) == c
    assert Claim.replay(c.history) != c
    with pytest.raises(RulesTypeError):
        Claim(calendar="x")  # type: ignore[arg-type]


def test_next_steps_per_party_and_rendering() -> None:
    c = submitted()
    steps = c.next_steps(date(2023, 6, 16))
    assert steps.of(Party.COMPENSATOR).deadlines[0].name == "liability response"
    assert steps.of(Party.CLAIMANT).deadlines[0].name == "limitation: issue court proceedings"
    data = json.loads(json.dumps(steps.to_dict()))
    assert data["deadlines"][0]["status"] == "overdue"
    assert data["deadlines"][0]["days_left"] == -1
    assert "liability response" in str(steps)
    assert "<table>" in steps._repr_html_()
    assert "go-to-court" in steps.of(Party.CLAIMANT).actions  # response overdue: court
    story = c.explain()
    assert "submitted" in str(story)
    assert "<table>" in story._repr_html_()
    assert json.loads(json.dumps(story.to_dict()))["claim"]["step"] == "investigation"
    assert repr(c) == "<Claim: investigation, 1 events>"
    assert str(c) == str(story)
    assert c._repr_html_() == story._repr_html_()
    assert Claim().allowed_actions(ENTRY) == {
        Party.CLAIMANT: ("submitted",),
        Party.COMPENSATOR: (),
    }


def test_payment_needs_a_breakdown() -> None:
    c = at_offer(admitted()).act("offer", on=date(2023, 6, 6), party="compensator", amount=10)
    with pytest.raises(RulesError, match="no breakdown"):
        c.payment()
    with pytest.raises(ProtocolViolation, match="add up"):
        at_offer(admitted()).act(
            "offer", on=date(2023, 6, 6), party="compensator", amount=10, injury=5
        )


def test_deadline_statuses() -> None:
    d = Deadline(
        name="x",
        party=Party.COMPENSATOR,
        period=Period.OFFER,
        started_on=ENTRY,
        due=date(2023, 6, 1),
        reference="guide 6.5.3.1",
    )
    assert d.status(date(2023, 6, 1)) == "running"
    assert d.status(date(2023, 6, 2)) == "overdue"
    limitation = Deadline(
        name="l",
        party=Party.CLAIMANT,
        period=None,
        started_on=ENTRY,
        due=date(2026, 3, 1),
        reference="guide 5.4",
    )
    assert limitation.days_left(date(2026, 2, 27)) == 2
    assert limitation.to_dict(date(2026, 2, 27))["days_unit"] == "calendar days"


@pytest.mark.parametrize("kind", list(ClaimEventKind))
def test_every_kind_before_submission_is_refused_with_a_reference(kind: ClaimEventKind) -> None:
    if kind is ClaimEventKind.SUBMITTED:
        return
    probe = {
        "party": "claimant",
    }
    try:
        event = ClaimEvent.make(
            kind, ENTRY, **{k: v for k, v in probe.items() if k in _fields(kind)}
        )
    except RulesError:
        return
    with pytest.raises(ProtocolViolation) as err:
        Claim().apply(event)
    assert err.value.reference


def _fields(kind: ClaimEventKind) -> set[str]:
    from rtaprotocol.claim import _SPEC

    return set(_SPEC[kind])


def test_explain_describes_every_kind_of_field() -> None:
    c = at_offer(admitted(75))
    c = c.act(
        "offer",
        on=date(2023, 6, 6),
        party="compensator",
        amount="4000",
        injury="1000",
        items=["1500", "200", "1300"],
        seatbelt_percent=10,
        cru={"earnings": "500"},
        tariff="whiplash",
    )
    c = c.act("accept", on=date(2023, 6, 7), party="claimant", updated_cru_certificate=True)
    text = str(c.explain())
    assert "items £1,500.00, £200.00, £1,300.00" in text
    assert "CRU certificate £500.00" in text
    assert "seatbelt_percent 10%" in text
    assert "updated cru certificate" in text
    assert "List of Losses of 3 items" in text


# --- stateful property: random event streams ------------------------------------------------

from hypothesis import event, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from hypothesis.stateful import (  # noqa: E402
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
)

_PARTY = st.sampled_from(["claimant", "compensator"])
_MONEY = st.sampled_from(["0", "1", "250", "800", "1000", "1000.50", "2300"])
_PCT = st.sampled_from([0, 25, 50, 60, 75, 100])


def _fields_for(kind: ClaimEventKind) -> st.SearchStrategy[dict[str, object]]:
    k = ClaimEventKind
    if kind is k.LIABILITY_RESPONSE:
        return st.fixed_dictionaries(
            {"response": st.sampled_from([r.value for r in LiabilityResponse])},
            optional={"percent": _PCT},
        )
    if kind is k.LIABILITY_CHALLENGE:
        return st.fixed_dictionaries({"percent": _PCT})
    if kind is k.INTERIM_REQUESTED:
        return st.fixed_dictionaries(
            {"amount": _MONEY},
            optional={"item": st.integers(0, 4), "head": st.sampled_from(["injury", "property"])},
        )
    if kind is k.INTERIM_RESPONSE:
        return st.fixed_dictionaries(
            {"agreed": st.booleans()},
            optional={
                "amount": _MONEY,
                "answer": st.sampled_from(
                    ["agree-and-pay", "agree-not-yet-paid", "agree-in-part", "refuse"]
                ),
            },
        )
    if kind is k.VOLUNTARY_INTERIM:
        return st.fixed_dictionaries({"amount": _MONEY}, optional={"item": st.integers(0, 4)})
    if kind is k.PROCEED_TO_MEDICAL:
        return st.fixed_dictionaries({}, optional={"via_medco": st.booleans()})
    if kind is k.MEDICAL_REPORT:
        return st.fixed_dictionaries(
            {"report": st.sampled_from(["first", "further"])},
            optional={"prognosis_months": st.integers(1, 30)},
        )
    if kind is k.FURTHER_REQUESTED:
        return st.fixed_dictionaries(
            {}, optional={"justification": st.sampled_from(["continuing-treatment"])}
        )
    if kind is k.OFFER_REQUESTED:
        return st.fixed_dictionaries(
            {},
            optional={
                "added_losses": st.lists(
                    st.builds(lambda a: {"type": "injury-travel-costs", "amount": a}, _MONEY),
                    max_size=2,
                )
            },
        )
    if kind is k.OFFER:
        return st.one_of(
            st.fixed_dictionaries(
                {"party": _PARTY, "amount": _MONEY},
                optional={
                    "tariff": st.sampled_from(["none", "whiplash", "whiplash-psychological"]),
                    "liability_percent": st.sampled_from([0, 50, 75, 90, 100]),
                },
            ),
            st.builds(
                lambda p, inj, vals, t: {
                    "party": p,
                    "amount": str(sum(map(Decimal, [inj, *vals]))),
                    "injury": inj,
                    "items": vals,
                    "tariff": t,
                },
                _PARTY,
                _MONEY,
                st.lists(_MONEY, min_size=3, max_size=3),
                st.sampled_from(["whiplash", "whiplash-psychological"]),
            ),
        )
    if kind in (k.REJECT, k.WITHDRAW, k.FEE_REJECT, k.FEE_ACCEPT):
        return st.fixed_dictionaries({"party": _PARTY})
    if kind is k.ACCEPT:
        return st.fixed_dictionaries(
            {"party": _PARTY}, optional={"updated_cru_certificate": st.booleans()}
        )
    if kind is k.FEE_OFFER:
        return st.fixed_dictionaries({"party": _PARTY, "amount": _MONEY})
    if kind is k.PROGNOSIS_OUTCOME:
        return st.fixed_dictionaries(
            {"outcome": st.sampled_from(["recovered", "not-recovered", "further-losses"])}
        )
    if kind is k.GO_TO_COURT:
        return st.fixed_dictionaries(
            {"issue": st.sampled_from([i.value for i in CourtIssue])},
            optional={"limitation": st.booleans()},
        )
    if kind is k.COURT_DETERMINATION:
        return st.fixed_dictionaries(
            {"for_claimant": st.booleans()}, optional={"percent": _PCT, "amount": _MONEY}
        )
    if kind is k.PORTAL_EXIT:
        return st.fixed_dictionaries(
            {"party": _PARTY, "reason": st.sampled_from([r.value for r in ExitReason])}
        )
    if kind is k.PAYMENT_MADE:
        return st.fixed_dictionaries({}, optional={"amount": _MONEY, "full": st.booleans()})
    if kind is k.INTERIM_PAID:
        return st.fixed_dictionaries({}, optional={"amount": _MONEY})
    if kind is k.OWN_FURTHER_REPORT:
        return st.fixed_dictionaries(
            {},
            optional={
                "justification": st.sampled_from(["not-recovered-as-expected"]),
                "prognosis_months": st.integers(1, 30),
            },
        )
    if kind is k.CLAIM_WITHDRAWN:
        return st.fixed_dictionaries({}, optional={"reasons": st.just("seeking advice")})
    return st.just({})


def _met_as_listed(before: Claim, after: Claim) -> None:
    """Each deadline an event meets is the one the claim listed open before it, met that
    day (one function builds each, claim/deadlines.py; recorded without its on_expiry)."""
    met_before = [d for d in before.deadlines() if d.met_on is not None]
    met_after = [d for d in after.deadlines() if d.met_on is not None]
    assert met_after[: len(met_before)] == met_before
    listed = before.open_deadlines()
    for m in met_after[len(met_before) :]:
        assert m in [evolve(d, met_on=m.met_on, on_expiry=None) for d in listed], m


_CALENDARS = [
    None,
    EnglandWalesCalendar(extra_holidays=[date(2023, 5, 15), date(2025, 9, 3)]),
    EnglandWalesCalendar(extra_business_days=[date(2023, 5, 29)]),
]


class ClaimMachine(RuleBasedStateMachine):
    """Random event streams: never an impossible state; refusals cite a rule; replay exact;
    an event apply accepts was offered by allowed_actions, and an action offered is
    accepted (issue 22), on any calendar the caller passes."""

    def __init__(self) -> None:
        super().__init__()
        self.claim = submitted()
        self.day = ENTRY.toordinal()

    @initialize(cal=st.sampled_from(_CALENDARS))
    def on_calendar(self, cal: EnglandWalesCalendar | None) -> None:
        self.claim = Claim(calendar=cal).act(
            "submitted", on=ENTRY, facts=FACTS, whiplash=True, losses=LOSSES
        )

    @rule()
    def near_limitation(self) -> None:
        """Jump to the months before the limitation date, where its court route opens."""
        self.day = max(self.day, date(2025, 8, 25).toordinal())

    @rule(
        data=st.data(),
        kind=st.sampled_from([k for k in ClaimEventKind if k is not ClaimEventKind.SUBMITTED]),
        gap=st.sampled_from([0, 1, 3, 12, 35]),
    )
    def act(self, data: st.DataObject, kind: ClaimEventKind, gap: int) -> None:
        self._try(kind, data.draw(_fields_for(kind)), gap)

    def _try(self, kind: ClaimEventKind, fields: dict[str, object], gap: int) -> None:
        on = date.fromordinal(self.day + gap)
        before = self.claim
        offered = before.allowed_actions(on)
        refusal: RulesError | None = None
        try:
            # A malformed event is refused as data; an allowed one may still be refused
            # by the protocol (ProtocolViolation) or by an amount the losses refuse.
            self.claim = self.claim.apply(ClaimEvent.make(kind, on, **fields), today=on)
        except RulesError as err:
            refusal = err
        if refusal is None:
            party = self.claim.history[-1].party
            assert kind.value in offered[party], (kind, party, on)  # never accepted unoffered
            self.day += gap
            _met_as_listed(before, self.claim)
        else:
            assert refusal.reference, refusal
            assert self.claim == before

    @rule(data=st.data(), party=st.sampled_from(list(Party)), gap=st.sampled_from([0, 2, 10]))
    def advance(self, data: st.DataObject, party: Party, gap: int) -> None:
        """Take one of the actions the claim says is allowed: this reaches the later steps."""
        on = date.fromordinal(self.day + gap)
        ends = {"portal-exit", "go-to-court", "denial-accepted", "claim-withdrawn"}
        kinds = [k for k in self.claim.allowed_actions(on)[party] if k not in ends]
        if not kinds:
            return
        kind = ClaimEventKind(data.draw(st.sampled_from(kinds)))
        fields = data.draw(_fields_for(kind))
        if "party" in fields:
            fields["party"] = party.value
        self._try(kind, fields, gap)

    @invariant()
    def possible_state(self) -> None:
        c = self.claim
        event(f"step {c.step.value}")
        assert c.step in set(Step)
        assert c.part_admission_challenges <= MAX_PART_ADMISSION_CHALLENGES
        assert (c.step is Step.CLOSED) == (
            c.closed_because is not None and c.exit_reason is None and not c.on_hold
        )
        assert (c.step is Step.EXITED) == (c.exit_reason is not None and c.withdrawn_on is None)
        assert (c.step is Step.WITHDRAWN) == (c.withdrawn_on is not None)
        if c.whiplash_agreed is not None:
            later = [
                e.get("tariff")
                for e in c.history
                if e.kind is ClaimEventKind.OFFER and e.get("tariff") is not None
            ]
            assert (later[-1].value != "none") is c.whiplash_agreed
        for p in Party:
            assert 0 <= c.negotiation.offers_left(p) <= 3
        if c.negotiation.is_settled:
            assert c.closed_because is not None
        if c.higher_tariff_selected:
            tariffs = [
                e.get("tariff")
                for e in c.history
                if e.kind is ClaimEventKind.OFFER
                and e.party is Party.COMPENSATOR
                and e.get("tariff") is not None
            ]
            first_high = next(
                i for i, t in enumerate(tariffs) if t.value == "whiplash-psychological"
            )
            assert all(t.value == "whiplash-psychological" for t in tariffs[first_high:])
        if any(e.kind is ClaimEventKind.OFFER for e in c.history):
            assert any(e.kind is ClaimEventKind.MEDICAL_REPORT for e in c.history)  # s.6
        for d in c.deadlines():
            assert d.reference
            assert d.started_on <= d.due

    @rule(data=st.data(), gap=st.sampled_from([0, 1, 16, 40]))
    def take_a_route_to_court(self, data: st.DataObject, gap: int) -> None:
        """Every route to court next_steps offers is one apply accepts (never refused)."""
        on = date.fromordinal(self.day + gap)
        routes = self.claim.next_steps(on).routes
        offered = self.claim.allowed_actions(on)[Party.CLAIMANT]
        assert ("go-to-court" in offered) == bool(routes)
        if not routes:
            return
        route = data.draw(st.sampled_from(routes))
        self.claim = self.claim.act("go-to-court", on=on, issue=route.issue)
        self.day += gap

    @rule(gap=st.sampled_from([1, 400]))
    def future_event_refused(self, gap: int) -> None:
        """An event dated after the caller's today is refused and changes nothing."""
        on = date.fromordinal(self.day + gap)
        with pytest.raises(RulesError, match="dated after today"):
            self.claim.apply(
                ClaimEvent.make("claim-withdrawn", on), today=date.fromordinal(self.day)
            )

    @invariant()
    def allowed_actions_agree_with_apply(self) -> None:
        """Issue 22: never offer an action apply refuses, never refuse one offered (each
        kind's probe, through the public apply with today= the day it is tried)."""
        from rtaprotocol.claim import _probes

        c = self.claim
        on = date.fromordinal(self.day + 1)
        for party, kinds in c.allowed_actions(on).items():
            for kind in kinds:
                k = ClaimEventKind(kind)
                if k is ClaimEventKind.SUBMITTED:
                    continue
                accepted = 0
                for fields in _probes(c._state, k, party):
                    try:
                        c.act(k, on=on, **fields)
                    except RulesError:
                        continue
                    accepted += 1
                assert accepted, (kind, party, on)
        allowed = c.allowed_actions(on)
        for party in Party:
            for kind in ClaimEventKind:
                if kind is ClaimEventKind.SUBMITTED:
                    continue
                accepted = False
                for values in _probes(c._state, kind, party):
                    try:
                        c.apply(ClaimEvent.make(kind, on, **values), today=on)
                    except RulesError:
                        continue
                    accepted = True
                    break
                assert accepted == (kind.value in allowed[party]), (party, kind)
        if c.step in (Step.START, Step.WITHDRAWN, Step.EXITED):
            assert "claim-withdrawn" not in allowed[Party.CLAIMANT]
        elif c.step in (Step.INVESTIGATION, Step.MEDICAL, Step.OFFER):
            assert "claim-withdrawn" in allowed[Party.CLAIMANT]  # guide 6.1: at any time

    @invariant()
    def replay_reproduces(self) -> None:
        c = self.claim
        again = Claim.replay(
            json.loads(json.dumps([e.to_dict() for e in c.history])), calendar=c.calendar
        )
        assert again == c
        assert again.to_dict() == c.to_dict()
        assert again.step is c.step


# The profile's budget caps the machine's (the `mutation` profile runs 10 examples).
ClaimMachine.TestCase.settings = settings(
    max_examples=min(40, settings.default.max_examples),
    stateful_step_count=40 if settings.default.max_examples >= 40 else 15,
)
TestClaimMachine = ClaimMachine.TestCase


#: Caller's calendars only (never the shipped one), for the machine below.
_OWN_CALENDARS = [
    EnglandWalesCalendar(
        extra_holidays=[date(2023, 5, 3), date(2023, 6, 1)],
        extra_business_days=[date(2023, 5, 29)],
    ),
    # A fortnight's closure: every business-day period started in it ends later.
    EnglandWalesCalendar(extra_holidays=[date(2023, 5, d) for d in range(3, 20)]),
]


class ClaimMachineOnACalendar(ClaimMachine):
    """The same streams on a caller's calendar (issue 22: allowed_actions and apply agree
    "on any calendar the caller passes"): extra holidays and a working bank holiday.

    Its own ``on_calendar`` replaces the inherited one (which may draw the shipped
    calendar), so that every stream here, and every agreement the invariants check, is on
    a calendar that is not the default (issue 25: the agreement had been checked in
    practice under the default calendar only).
    """

    @initialize(cal=st.sampled_from(_OWN_CALENDARS))
    def on_calendar(self, cal: EnglandWalesCalendar | None) -> None:
        assert cal is not None
        self.claim = Claim(calendar=cal).act(
            "submitted", on=ENTRY, facts=FACTS, whiplash=True, losses=LOSSES
        )


ClaimMachineOnACalendar.TestCase.settings = settings(
    max_examples=min(20, settings.default.max_examples),
    stateful_step_count=30 if settings.default.max_examples >= 40 else 10,
)
TestClaimMachineOnACalendar = ClaimMachineOnACalendar.TestCase


def test_the_negotiation_learns_of_the_medical_report() -> None:
    """CLA 2018 s.6: the embedded negotiation refuses a whiplash offer until the report is
    shared; the claim feeds it the report when the claimant shares it."""
    c = admitted().act("proceed-to-medical", on=date(2023, 5, 20))
    c = c.act("medical-report-received", on=date(2023, 5, 25), report="first")
    assert c.negotiation.whiplash
    with pytest.raises(ProtocolViolation) as err:
        c.negotiation.offer(Party.COMPENSATOR, 100, on=date(2023, 5, 26))
    assert "Civil Liability Act 2018 s.6" in err.value.reference
    shared = c.act("medical-report-shared", on=date(2023, 5, 26))
    assert shared.negotiation.offer(Party.COMPENSATOR, 100, on=date(2023, 5, 27))
    with pytest.raises(ProtocolViolation, match="every medical report received"):
        shared.act("medical-report-shared", on=date(2023, 5, 27))


# --- every refusal, with its rule ---------------------------------------------------------


def _denied() -> Claim:
    return submitted().act("liability-response", on=date(2023, 5, 10), response="deny")


def _court(issue: str = "interim-payment") -> Claim:
    """Proceedings issued near the limitation date (no court pack list first, 6.6.3.3)."""
    c = admitted().act("interim-payment-requested", on=date(2023, 5, 11), amount=100)
    c = c.act("go-to-court", on=NEAR, issue=issue, limitation=True)
    return c.act("proceedings-issued", on=date(2025, 9, 3))


def _first_report() -> Claim:
    c = admitted().act("proceed-to-medical", on=date(2023, 5, 20))
    return c.act("medical-report-received", on=date(2023, 5, 25), report="first")


REFUSALS = [
    # (claim, kind, fields, reference, words)
    (submitted, "submitted", {"facts": FACTS, "whiplash": True}, "guide 6.2.1.3, 6.3.1", "already"),
    (
        lambda: at_offer(admitted()),
        "liability-response",
        {"response": "admit-full"},
        "guide 6.3.1",
        "given",
    ),
    (submitted, "liability-response", {"response": "admit-part"}, "guide 6.3.1.1", "share"),
    (
        submitted,
        "liability-response",
        {"response": "admit-full", "percent": 90},
        "guide 6.3.1.1",
        "100",
    ),
    (
        submitted,
        "liability-response",
        {"response": "admit-fault-dispute-causation", "percent": 0},
        "guide 6.3.1.2",
        "more than 0",
    ),
    (
        submitted,
        "liability-response",
        {"response": "deny", "percent": 10},
        "guide 6.3.1.3",
        "no percentage",
    ),
    (
        lambda: admitted(60).act("liability-challenge", on=date(2023, 5, 11), percent=90),
        "liability-challenge",
        {"percent": 95},
        "guide 6.3.1.1",
        "still with",
    ),
    (_first_report, "denial-accepted", {}, "guide 6.3.1.3", "denied"),
    (
        admitted,
        "interim-payment-requested",
        {"amount": 1, "item": 0, "head": "property"},
        "guide 6.3.1.4",
        "listed under",
    ),
    (
        admitted,
        "interim-payment-requested",
        {"amount": 1, "item": 7},
        "guide 6.3.1.4",
        "has 3 items",
    ),
    (
        admitted,
        "voluntary-interim-payment",
        {"amount": 300, "item": 1},
        "guide 6.3.1.4",
        "cannot be more",
    ),
    (
        admitted,
        "voluntary-interim-payment",
        {"amount": 0, "item": 1},
        "guide 6.3.1.4",
        "pays something",
    ),
    (
        admitted,
        "interim-payment-response",
        {"agreed": True},
        "guide 6.3.1.4",
        "no interim",
    ),
    (
        lambda: admitted().act("interim-payment-requested", on=date(2023, 5, 11), amount=5),
        "interim-payment-response",
        {"agreed": False, "amount": 5},
        "guide 6.3.1.4",
        "pays nothing",
    ),
    (submitted, "proceed-to-medical", {}, "guide 6.3.1.1, 6.3.1.2, 6.4.1.1", "admitted"),
    (_first_report, "proceed-to-medical", {}, "guide 6.4.1.1, 6.4.1.3", "already"),
    (
        admitted,
        "medical-report-received",
        {"report": "first"},
        "guide 6.4.1.1, 6.4.1.3",
        "Proceed to medical",
    ),
    (
        _first_report,
        "medical-report-received",
        {"report": "first"},
        "guide 6.4.2.2",
        "further report",
    ),
    (_first_report, "medical-report-received", {"report": "further"}, "guide 6.4.2.2", "requested"),
    (admitted, "factual-accuracy-challenge", {}, "guide 6.4.2.1", "no first"),
    (admitted, "medical-report-shared", {}, "guide 6.4.2", "no medical report"),
    (admitted, "further-report-requested", {}, "guide 6.4.2.2", "follows a first"),
    (
        lambda: _first_report().act("further-report-requested", on=date(2023, 5, 26)),
        "further-report-requested",
        {},
        "guide 6.4.2.2",
        "already running",
    ),
    (
        lambda: at_offer(admitted()),
        "further-report-requested",
        {},
        "guide 6.5.3.1 (wait out prognosis)",
        "waiting out",
    ),
    (_first_report, "further-report-acknowledged", {}, "guide 6.4.2.2", "not yet answered"),
    (_first_report, "further-report-instructions-sent", {}, "guide 6.4.2.2", "acknowledgement"),
    (lambda: at_offer(admitted()), "offer-requested", {}, "guide 6.5.1.1", "no new"),
    (submitted, "offer-requested", {}, "guide 6.3.1, 6.5.1", "admitted"),
    (
        lambda: (
            _first_report()
            .act("medical-report-shared", on=date(2023, 5, 26))
            .act("further-report-requested", on=date(2023, 5, 27))
        ),
        "offer-requested",
        {},
        "guide 6.4.2.2",
        "still awaited",
    ),
    (
        lambda: at_offer(admitted()),
        "injury-dispute-notice",
        {},
        "guide 6.5.4",
        "causation is admitted",
    ),
    (
        admitted,
        "offer",
        {"party": "compensator", "amount": 1},
        "guide 6.5.1.1, 6.5.3.1",
        "requests one",
    ),
    (
        lambda: at_offer(admitted()),
        "fee-offer",
        {"party": "compensator", "amount": 1},
        "guide 6.5.3.2",
        "settlement",
    ),
    (
        lambda: at_offer(admitted()),
        "wait-out-prognosis",
        {},
        "guide 6.5.3.1 (wait out prognosis)",
        "open compensator offer",
    ),
    (
        lambda: at_offer(admitted()),
        "prognosis-outcome",
        {"outcome": "recovered"},
        "guide 6.5.3.1 (wait out prognosis)",
        "not waiting",
    ),
    (admitted, "payment-made", {}, "guide 6.6.2", "no payment"),
    (
        lambda: _denied().act("go-to-court", on=date(2023, 5, 11), issue="liability"),
        "go-to-court",
        {"issue": "liability"},
        "guide 6.6.3, 6.3.1.3, 6.5.3.1",
        "already",
    ),
    (
        admitted,
        "go-to-court",
        {"issue": "liability"},
        "guide 6.3.1.3, 6.6.1.1; PD 27B Section 2",
        "denied",
    ),
    (
        admitted,
        "go-to-court",
        {"issue": "interim-payment"},
        "guide 6.3.1.4",
        "unanswered",
    ),
    (admitted, "court-pack-list-sent", {}, "guide 6.6.3.3", "once"),
    (admitted, "court-pack-list-agreed", {}, "guide 6.6.3.3", "has sent"),
    (admitted, "proceedings-issued", {}, "guide 6.6.3, 6.3.1.3, 6.5.3.1", "Go to court"),
    (
        admitted,
        "court-determination",
        {"for_claimant": True},
        "guide 6.6.1.1",
        "no court",
    ),
    (
        _court,
        "court-determination",
        {"for_claimant": False, "amount": 5},
        "guide 6.6.1.1",
        "no share or sum",
    ),
    (
        _court,
        "court-determination",
        {"for_claimant": True, "percent": 50},
        "guide 6.6.1.1",
        "not a share",
    ),
    (
        lambda: _court("liability"),
        "court-determination",
        {"for_claimant": True},
        "guide 6.6.1.1",
        "defendant's share",
    ),
    (
        lambda: _court("value"),
        "court-determination",
        {"for_claimant": True},
        "guide 6.6.1.1",
        "sum awarded",
    ),
    (
        admitted,
        "portal-exit",
        {"party": "compensator", "reason": "causation-disputed"},
        "guide 6.6.2.1, 6.5.4",
        "disclosed",
    ),
]


@pytest.mark.parametrize(("make", "kind", "fields", "reference", "words"), REFUSALS)
def test_each_refusal_names_its_rule(make, kind, fields, reference, words) -> None:
    c = make()
    on = date.fromordinal(max(e.on for e in c.history).toordinal() + 1)
    with pytest.raises(ProtocolViolation, match=words) as err:
        c.act(kind, on=on, **fields)
    assert err.value.reference == reference


def test_court_interim_order_adds_a_general_interim_and_reopens() -> None:
    c = _court().act("court-determination", on=LATER, for_claimant=True, amount=40)
    assert c.general_interim == Decimal("40.00")
    assert c.step is Step.INVESTIGATION
    held = _court()
    assert "On hold" in str(held.explain())
    assert "The court found for the claimant" in str(c.explain())


def test_exited_and_settled_claims_explain_themselves() -> None:
    out = submitted().act("portal-exit", on=ENTRY, party="claimant", reason="protected-party")
    assert "Left the portal" in str(out.explain())
    assert out.whiplash is True


def test_event_field_checks() -> None:
    with pytest.raises(RulesError, match="0 to 1200"):
        ClaimEvent.make("medical-report-received", ENTRY, report="first", prognosis_months=2000)
    with pytest.raises(RulesTypeError, match="ClaimFacts"):
        ClaimEvent.make("submitted", ENTRY, facts=5, whiplash=True)
    with pytest.raises(RulesTypeError, match="ListOfLosses"):
        ClaimEvent.make("submitted", ENTRY, facts=FACTS, whiplash=True, losses=[1])
    with pytest.raises(RulesTypeError, match="loss items"):
        ClaimEvent.make("offer-requested", ENTRY, added_losses="x")
    with pytest.raises(RulesTypeError, match="one for each item"):
        ClaimEvent.make("offer", ENTRY, party="compensator", amount=1, items="1")
    with pytest.raises(RulesError, match="from 0"):
        ClaimEvent.make("voluntary-interim-payment", ENTRY, amount=1, item=-1)
    with pytest.raises(RulesTypeError, match="2,000 characters"):
        ClaimEvent.make("denial-challenged", ENTRY, comments=5)
    with pytest.raises(RulesTypeError):
        ClaimEvent.make("accept", ENTRY, party="claimant", offer_number="1")
    ok = ClaimEvent.make("denial-challenged", ENTRY, comments="the other driver ran a red light")
    assert ok["comments"].startswith("the other")
    cru = ClaimEvent.make("offer", ENTRY, party="compensator", amount=1, cru={"earnings": "1"})
    assert ClaimEvent.make("offer", ENTRY, party="compensator", amount=1, cru=cru["cru"]) == cru


def test_submitted_list_of_losses_must_be_fresh() -> None:
    staged = LOSSES.at_stage("offer-requested")
    with pytest.raises(ProtocolViolation, match="claim stage"):
        Claim().act("submitted", on=ENTRY, facts=FACTS, whiplash=True, losses=staged)
    paid = LOSSES.with_general_interim(5)
    with pytest.raises(ProtocolViolation, match="recorded as events"):
        Claim().act("submitted", on=ENTRY, facts=FACTS, whiplash=True, losses=paid)


def test_non_protocol_items_get_no_interim() -> None:
    losses = ListOfLosses(items=[LossItem("property-repairs", 900, paid_by="insurer")])
    c = Claim().act("submitted", on=ENTRY, facts=FACTS, whiplash=True, losses=losses)
    c = c.act("liability-response", on=date(2023, 5, 10), response="admit-full")
    with pytest.raises(ProtocolViolation, match="non-protocol") as err:
        c.act("voluntary-interim-payment", on=date(2023, 5, 11), amount=10, item=0)
    assert err.value.reference == "guide 5.2.4, 6.3.1.4"


def test_payment_refuses_an_offer_below_an_interim_paid() -> None:
    c = admitted().act("voluntary-interim-payment", on=date(2023, 5, 11), amount=250, item=1)
    c = at_offer(c).act(
        "offer",
        on=date(2023, 6, 6),
        party="compensator",
        amount=1100,
        injury=0,
        items=["1000", "100", "0"],
    )
    with pytest.raises(RulesError, match="less than the interim") as err:
        c.payment()
    assert err.value.field == "items[1]"


def test_days_left_under_a_calendar_and_the_private_state_guard() -> None:
    from rtaprotocol.claim import _replace

    cal = EnglandWalesCalendar(extra_holidays=[date(2023, 5, 3)])
    d = Deadline(
        name="x",
        party=Party.COMPENSATOR,
        period=Period.OFFER,
        started_on=ENTRY,
        due=date(2023, 5, 5),
        reference="guide 6.5.3.1",
    )
    assert d.days_left(ENTRY, cal) == 2
    with pytest.raises(TypeError, match="no field"):
        _replace(submitted()._state, colour="red")


def test_a_challenged_denial_is_answered_by_a_new_response() -> None:
    c = _denied().act("denial-challenged", on=date(2023, 5, 11), comments="see dashcam")
    c = c.act("liability-response", on=date(2023, 5, 20), response="admit-full")
    assert c.liability is LiabilityResponse.ADMIT_FULL
    assert c.act("proceed-to-medical", on=date(2023, 5, 21)).step is Step.MEDICAL


def test_every_event_kind_is_documented() -> None:
    from pathlib import Path

    page = (Path(__file__).parent.parent / "docs" / "claim.md").read_text(encoding="utf-8")
    for kind in ClaimEventKind:
        assert f"`{kind.value}`" in page or kind.value.startswith("further-report-"), kind


def test_nested_problems_keep_their_paths() -> None:
    """A bad loss item, CRU certificate or submitted list: every problem, each located."""
    from rtaprotocol.errors import InvalidInput

    with pytest.raises(InvalidInput) as err:
        ClaimEvent.from_dict(
            {
                "kind": "offer-requested",
                "on": "2023-06-05",
                "added_losses": [{"type": "x", "amount": 1}],
            },
            where="events[7]",
        )
    assert [p.field for p in err.value.problems] == ["events[7].added_losses[0].type"]
    with pytest.raises(InvalidInput) as err:
        ClaimEvent.make("offer", ENTRY, party="compensator", amount=1, cru={"x": 1})
    assert [p.field for p in err.value.problems] == ["cru.x"]
    with pytest.raises(InvalidInput) as err:
        ClaimEvent.make(
            "submitted", ENTRY, facts=FACTS, whiplash=True, losses={"items": [{"type": "x"}]}
        )
    assert sorted(p.field for p in err.value.problems) == [
        "losses.items[0].amount",
        "losses.items[0].type",
    ]


# --- every refusal, word for word (tests/golden/errors/claim.txt) --------------------------

import golden_errors  # noqa: E402


def _court_found_at_offer() -> Claim:
    """Liability never answered, the court found for the claimant, then the offer stage."""
    c = submitted().act("go-to-court", on=date(2023, 6, 16), issue="liability")
    c = c.act("court-pack-list-sent", on=date(2023, 6, 17))
    c = c.act("court-pack-list-agreed", on=date(2023, 6, 18))
    c = c.act("proceedings-issued", on=date(2023, 6, 19))
    c = c.act("court-determination", on=date(2023, 9, 1), for_claimant=True, percent=80)
    return _medical_then_offer(c, date(2023, 9, 2))


def _medical_then_offer(c: Claim, first: date) -> Claim:
    """After a court's finding for the claimant: on to medical, one report received and
    shared, then the offer stage, on four consecutive days from ``first``."""
    c = c.act("proceed-to-medical", on=first)
    c = c.act("medical-report-received", on=first + timedelta(days=1), report="first")
    c = c.act("medical-report-shared", on=first + timedelta(days=2))
    return c.act("offer-requested", on=first + timedelta(days=3))


def _disputed(*, offer_requested: bool = True) -> Claim:
    c = submitted().act(
        "liability-response", on=date(2023, 5, 10), response="admit-fault-dispute-causation"
    )
    return at_offer(c) if offer_requested else c


def _offered() -> Claim:
    return at_offer(admitted()).act("offer", on=date(2023, 6, 6), party="compensator", amount=10)


def _settled() -> Claim:
    return _offered().act("accept", on=date(2023, 6, 7), party="claimant")


def _waiting() -> Claim:
    return _offered().act("wait-out-prognosis", on=date(2023, 6, 7))


def _restart() -> Claim:
    return _waiting().act("prognosis-outcome", on=date(2023, 11, 1), outcome="further-losses")


def _acknowledged() -> Claim:
    c = _first_report().act("further-report-requested", on=date(2023, 5, 26))
    return c.act("further-report-acknowledged", on=date(2023, 5, 27))


def _then(make, kind: str, **fields):  # type: ignore[no-untyped-def]
    """Apply ``kind`` the day after ``make()``'s last event."""

    def call() -> Claim:
        c = make()
        on = date.fromordinal(max(e.on for e in c.history).toordinal() + 1)
        return c.act(kind, on=on, **fields)

    return call


def _fourth_challenge() -> Claim:
    c = admitted(60)
    day = 11
    for _ in range(MAX_PART_ADMISSION_CHALLENGES):
        c = c.act("liability-challenge", on=date(2023, 5, day), percent=100)
        c = c.act(
            "liability-response", on=date(2023, 5, day + 1), response="admit-part", percent=60
        )
        day += 2
    return c.act("liability-challenge", on=date(2023, 5, day), percent=100)


def _non_protocol() -> Claim:
    losses = ListOfLosses(items=[LossItem("property-repairs", 900, paid_by="insurer")])
    c = Claim().act("submitted", on=ENTRY, facts=FACTS, whiplash=True, losses=losses)
    return c.act("liability-response", on=date(2023, 5, 10), response="admit-full")


ERRORS = {
    # event data (guide 6.1 to 6.6): each field checked, unknown ones refused
    "prognosis months above 1200": lambda: ClaimEvent.make(
        "medical-report-received", ENTRY, report="first", prognosis_months=1201
    ),
    "prognosis months negative": lambda: ClaimEvent.make(
        "medical-report-received", ENTRY, report="first", prognosis_months=-1
    ),
    "prognosis months not an integer": lambda: ClaimEvent.make(
        "medical-report-received", ENTRY, report="first", prognosis_months="6"
    ),
    "facts of the wrong type": lambda: ClaimEvent.make("submitted", ENTRY, facts=5, whiplash=True),
    "facts as a bad mapping": lambda: ClaimEvent.make(
        "submitted", ENTRY, facts={"accident_date": "x"}, whiplash=True
    ),
    "losses of the wrong type": lambda: ClaimEvent.make(
        "submitted", ENTRY, facts=FACTS, whiplash=True, losses=[1]
    ),
    "losses as a bad mapping, each problem located": lambda: ClaimEvent.make(
        "submitted", ENTRY, facts=FACTS, whiplash=True, losses={"items": [{"type": "x"}]}
    ),
    "losses with a bad top-level value, located": lambda: ClaimEvent.make(
        "submitted", ENTRY, facts=FACTS, whiplash=True, losses={"injury": "-5"}
    ),
    "whiplash not a boolean": lambda: ClaimEvent.make(
        "submitted", ENTRY, facts=FACTS, whiplash="yes"
    ),
    "compensator unknown": lambda: ClaimEvent.make(
        "submitted", ENTRY, facts=FACTS, whiplash=True, compensator="broker"
    ),
    "added losses as a string": lambda: ClaimEvent.make("offer-requested", ENTRY, added_losses="x"),
    "added losses as a mapping": lambda: ClaimEvent.make(
        "offer-requested", ENTRY, added_losses={"type": "x"}
    ),
    "added losses of no list": lambda: ClaimEvent.make("offer-requested", ENTRY, added_losses=5),
    "added loss item bad, located by position": lambda: ClaimEvent.make(
        "offer-requested", ENTRY, added_losses=[{"type": "injury-travel-costs", "amount": 1}, {}]
    ),
    "offer items as a string": lambda: ClaimEvent.make(
        "offer", ENTRY, party="compensator", amount=1, items="1"
    ),
    "offer items as a mapping": lambda: ClaimEvent.make(
        "offer", ENTRY, party="compensator", amount=1, items={"a": 1}
    ),
    "offer items of no list": lambda: ClaimEvent.make(
        "offer", ENTRY, party="compensator", amount=1, items=5
    ),
    "offer item value bad, located by position": lambda: ClaimEvent.make(
        "offer", ENTRY, party="compensator", amount=1, items=["1", "-2"]
    ),
    "cru certificate bad, located": lambda: ClaimEvent.make(
        "offer", ENTRY, party="compensator", amount=1, cru={"x": 1}
    ),
    "cru certificate of the wrong type": lambda: ClaimEvent.make(
        "offer", ENTRY, party="compensator", amount=1, cru=5
    ),
    "item position negative": lambda: ClaimEvent.make(
        "voluntary-interim-payment", ENTRY, amount=1, item=-1
    ),
    "item position not an integer": lambda: ClaimEvent.make(
        "voluntary-interim-payment", ENTRY, amount=1, item="0"
    ),
    "party unknown": lambda: ClaimEvent.make("reject", ENTRY, party="court"),
    "offer number not an integer": lambda: ClaimEvent.make(
        "accept", ENTRY, party="claimant", offer_number="1"
    ),
    "comments not a string": lambda: ClaimEvent.make("denial-challenged", ENTRY, comments=5),
    "comments longer than 2,000 characters": lambda: ClaimEvent.make(
        "denial-challenged", ENTRY, comments="x" * 2001
    ),
    "percent not a number": lambda: ClaimEvent.make("liability-challenge", ENTRY, percent="x"),
    "percent above 100": lambda: ClaimEvent.make("liability-challenge", ENTRY, percent=101),
    "a seatbelt reduction above 100 percent, named by its field": lambda: ClaimEvent.make(
        "offer", ENTRY, party="compensator", amount=100, seatbelt_percent=101
    ),
    "amount negative": lambda: ClaimEvent.make("voluntary-interim-payment", ENTRY, amount=-1),
    "response unknown": lambda: ClaimEvent.make("liability-response", ENTRY, response="maybe"),
    "kind unknown": lambda: ClaimEvent.make("offer-made", ENTRY),
    "date not a date": lambda: ClaimEvent.make("denial-accepted", "2023-05-02"),
    "date outside the supported range": lambda: ClaimEvent.make(
        "denial-accepted", date(1999, 12, 31)
    ),
    "field the kind does not take": lambda: ClaimEvent.make("denial-accepted", ENTRY, percent=5),
    "a field the kind does not take, with every field it takes listed": lambda: ClaimEvent.make(
        "interim-payment-requested", ENTRY, amount=100, percent=5
    ),
    "field another kind takes": lambda: ClaimEvent.make(
        "liability-challenge", ENTRY, percent=5, response="deny"
    ),
    "required field missing": lambda: ClaimEvent.make("liability-response", ENTRY),
    "required field given as None": lambda: ClaimEvent.make(
        "liability-response", ENTRY, response=None
    ),
    "from_dict of a list": lambda: ClaimEvent.from_dict([1]),
    "from_dict of a string, named by where": lambda: ClaimEvent.from_dict("x", where="events[2]"),
    "from_dict without a kind": lambda: ClaimEvent.from_dict({"on": "2023-05-10"}),
    "from_dict without a date": lambda: ClaimEvent.from_dict({"kind": "denial-accepted"}),
    "from_dict unknown kind": lambda: ClaimEvent.from_dict(
        {"kind": "offer-made", "on": "2023-05-02"}, where="events[3]"
    ),
    "from_dict date not ISO": lambda: ClaimEvent.from_dict(
        {"kind": "denial-accepted", "on": "02/05/2023"}
    ),
    "from_dict bad field, located": lambda: ClaimEvent.from_dict(
        {"kind": "liability-challenge", "on": "2023-05-10", "percent": -1}, where="events[4]"
    ),
    "from_dict missing field, located": lambda: ClaimEvent.from_dict(
        {"kind": "liability-response", "on": "2023-05-10"}, where="events[1]"
    ),
    "from_dict unknown field, located": lambda: ClaimEvent.from_dict(
        {"kind": "denial-accepted", "on": "2023-05-10", "note": "x"}
    ),
    # order and replay (guide 6.1)
    "action dated before the previous one": lambda: submitted().act(
        "liability-response", on=date(2023, 5, 1), response="deny"
    ),
    "allowed actions asked for a date before the previous action": lambda: (
        submitted().allowed_actions(date(2023, 5, 1))
    ),
    "next steps asked for no date": lambda: submitted().next_steps("2023-05-03"),
    "overdue asked for a date outside the range": lambda: submitted().overdue(date(2101, 1, 1)),
    "causation asked for no date": lambda: submitted().causation_on(None),
    "deadlines asked for no date": lambda: submitted().deadlines(5),
    "calendar of the wrong type": lambda: Claim(calendar="x"),
    "replay of text that is not JSON": lambda: Claim.replay("["),
    "replay of a number": lambda: Claim.replay(5),
    "replay of a mapping": lambda: Claim.replay({"kind": "submitted"}),
    "replay of JSON bytes that are not UTF-8": lambda: Claim.replay(b"[\xff]"),
    "replay of JSON text with a duplicated key": lambda: Claim.replay(
        b'[{"kind": "submitted", "kind": "submitted"}]'
    ),
    "replay with a bad event, named by position": lambda: Claim.replay(
        [submitted().history[0], {"kind": "liability-response", "on": "2023-05-10"}]
    ),
    "replay with an event out of order": lambda: Claim.replay(
        [
            *submitted().history,
            ClaimEvent.make("liability-response", ENTRY, response="deny"),
            ClaimEvent.make("denial-accepted", date(2023, 5, 1)),
        ]
    ),
    # closed, held, exited (guide 6.6.1, 6.6.1.1, 6.6.2.1)
    "any event before submission": lambda: Claim().act("proceed-to-medical", on=ENTRY),
    "an event after leaving the portal": _then(
        lambda: submitted().act(
            "portal-exit", on=ENTRY, party="claimant", reason="protected-party"
        ),
        "liability-response",
        response="deny",
    ),
    "an event while on hold": _then(_court, "proceed-to-medical"),
    "an event after the claim closed": _then(_settled, "offer", party="compensator", amount=1),
    # submission (guide 6.2.1.3, 6.3.1)
    "submitted twice": _then(submitted, "submitted", facts=FACTS, whiplash=True),
    "submitted on another day than the entry date": lambda: Claim().submit(
        FACTS, on=date(2023, 5, 3), whiplash=True
    ),
    "submitted when not eligible": lambda: Claim().submit(
        ClaimFacts(accident_date=date(2021, 5, 1), entry_date=ENTRY), on=ENTRY, whiplash=True
    ),
    "submitted with a list of losses at the offer stage": lambda: Claim().act(
        "submitted",
        on=ENTRY,
        facts=FACTS,
        whiplash=True,
        losses=LOSSES.at_stage("offer-requested"),
    ),
    "submitted with a general interim in the list": lambda: Claim().act(
        "submitted", on=ENTRY, facts=FACTS, whiplash=True, losses=LOSSES.with_general_interim(5)
    ),
    "submitted with an item paid on interim": lambda: Claim().act(
        "submitted",
        on=ENTRY,
        facts=FACTS,
        whiplash=True,
        losses=ListOfLosses(
            items=[
                LossItem("property-excess", 250),
                LossItem("property-repairs", 100, interim_paid=100),
            ]
        ),
    ),
    # liability (guide 6.3.1 to 6.3.1.3)
    "a second liability response with no challenge": _then(
        admitted, "liability-response", response="deny"
    ),
    "a liability response after the court determined it": _then(
        _court_found_at_offer, "liability-response", response="admit-full"
    ),
    "a challenge after the court determined liability": _then(
        lambda: _court("liability").act(
            "court-determination", on=LATER, for_claimant=True, percent=90
        ),
        "liability-challenge",
        percent=100,
    ),
    "a part-admission without a share": _then(
        submitted, "liability-response", response="admit-part"
    ),
    "a part-admission of 0 percent": _then(
        submitted, "liability-response", response="admit-part", percent=0
    ),
    "a part-admission of 100 percent": _then(
        submitted, "liability-response", response="admit-part", percent=100
    ),
    "a full admission of 90 percent": _then(
        submitted, "liability-response", response="admit-full", percent=90
    ),
    "fault admitted at 0 percent": _then(
        submitted, "liability-response", response="admit-fault-dispute-causation", percent=0
    ),
    "a denial with a percentage": _then(
        submitted, "liability-response", response="deny", percent=10
    ),
    "a challenge of a full admission": _then(admitted, "liability-challenge", percent=100),
    "a challenge before any response": _then(submitted, "liability-challenge", percent=100),
    "a challenge at the offer stage": _then(
        lambda: at_offer(admitted(50)), "liability-challenge", percent=80
    ),
    "a fourth challenge": _fourth_challenge,
    "a challenge while one is pending": _then(
        lambda: admitted(60).act("liability-challenge", on=date(2023, 5, 11), percent=90),
        "liability-challenge",
        percent=95,
    ),
    "a challenge proposing the share admitted": _then(
        lambda: admitted(60), "liability-challenge", percent=60
    ),
    "accepting a denial after an admission": _then(admitted, "denial-accepted"),
    "accepting a denial before any response": _then(submitted, "denial-accepted"),
    "challenging a denial already challenged": _then(
        lambda: _denied().act("denial-challenged", on=date(2023, 5, 11)), "denial-challenged"
    ),
    # interim payments (guide 6.3.1.4, 5.2.4)
    "an interim payment for the injury": _then(
        admitted, "interim-payment-requested", amount=250, head="injury"
    ),
    "an interim payment before admission": _then(
        submitted, "interim-payment-requested", amount=250, item=1
    ),
    "an interim payment after a denial": _then(_denied, "interim-payment-requested", amount=250),
    "an interim payment for an item not listed": _then(
        admitted, "interim-payment-requested", amount=1, item=3
    ),
    "an interim payment for an item not listed at the offer stage": _then(
        lambda: at_offer(admitted()), "interim-payment-requested", amount=1, item=3
    ),
    "an interim payment for an item under another head": _then(
        admitted, "interim-payment-requested", amount=1, item=0, head="property"
    ),
    "an interim payment for an item already paid": _then(
        lambda: admitted().act(
            "voluntary-interim-payment", on=date(2023, 5, 11), amount=250, item=1
        ),
        "interim-payment-requested",
        amount=1,
        item=1,
    ),
    "an interim payment for a non-protocol item": lambda: _non_protocol().act(
        "voluntary-interim-payment", on=date(2023, 5, 11), amount=10, item=0
    ),
    "an interim payment above the item's value": _then(
        admitted, "voluntary-interim-payment", amount="250.01", item=1
    ),
    "an interim payment of nothing for an item": _then(
        admitted, "voluntary-interim-payment", amount=0, item=1
    ),
    "an agreed interim above the item's value": _then(
        lambda: admitted().act(
            "interim-payment-requested", on=date(2023, 5, 11), amount=300, item=1
        ),
        "interim-payment-response",
        agreed=True,
    ),
    "an interim response with no request": _then(admitted, "interim-payment-response", agreed=True),
    "an interim refusal that pays": _then(
        lambda: admitted().act("interim-payment-requested", on=date(2023, 5, 11), amount=5),
        "interim-payment-response",
        agreed=False,
        amount=5,
    ),
    # medical (guide 6.4.1 to 6.4.2.3)
    "proceeding to medical twice": _then(
        lambda: admitted().act("proceed-to-medical", on=date(2023, 5, 11)), "proceed-to-medical"
    ),
    "proceeding to medical before admission": _then(submitted, "proceed-to-medical"),
    "proceeding to medical after a denial": _then(_denied, "proceed-to-medical"),
    "a first report not via MedCo in England and Wales": _then(
        admitted, "proceed-to-medical", via_medco=False
    ),
    "a first report before proceeding to medical": _then(
        admitted, "medical-report-received", report="first"
    ),
    "a second first report": _then(_first_report, "medical-report-received", report="first"),
    "a further report never requested": _then(
        _first_report, "medical-report-received", report="further"
    ),
    "a further report before the instructions": _then(
        _acknowledged, "medical-report-received", report="further"
    ),
    "a factual challenge with no report": _then(admitted, "factual-accuracy-challenge"),
    "a factual challenge after sharing": _then(
        lambda: _first_report().act("medical-report-shared", on=date(2023, 5, 26)),
        "factual-accuracy-challenge",
    ),
    "a factual challenge after a further report": _then(
        lambda: (
            _first_report()
            .act("further-report-requested", on=date(2023, 5, 26))
            .act("further-report-objected", on=date(2023, 5, 27))
            .act("medical-report-received", on=date(2023, 6, 20), report="further")
        ),
        "factual-accuracy-challenge",
    ),
    "a second factual challenge": _then(
        lambda: _first_report().act("factual-accuracy-challenge", on=date(2023, 5, 26)),
        "factual-accuracy-challenge",
    ),
    "sharing with no report": _then(admitted, "medical-report-shared"),
    "sharing a report already shared": _then(
        lambda: _first_report().act("medical-report-shared", on=date(2023, 5, 26)),
        "medical-report-shared",
    ),
    "a further report request with no first report": _then(admitted, "further-report-requested"),
    "a second further report request running": _then(
        lambda: _first_report().act("further-report-requested", on=date(2023, 5, 26)),
        "further-report-requested",
    ),
    "a further report request at the offer stage": _then(
        lambda: at_offer(admitted()), "further-report-requested"
    ),
    "acknowledging no further report request": _then(_first_report, "further-report-acknowledged"),
    "acknowledging a request twice": _then(_acknowledged, "further-report-acknowledged"),
    "objecting to an acknowledged request": _then(_acknowledged, "further-report-objected"),
    "objecting twice": _then(
        lambda: (
            _first_report()
            .act("further-report-requested", on=date(2023, 5, 26))
            .act("further-report-objected", on=date(2023, 5, 27))
        ),
        "further-report-objected",
    ),
    "instructions with no acknowledgement": _then(
        _first_report, "further-report-instructions-sent"
    ),
    "instructions sent twice": _then(
        lambda: _acknowledged().act("further-report-instructions-sent", on=date(2023, 5, 28)),
        "further-report-instructions-sent",
    ),
    # the offer stage (guide 6.5)
    "an offer requested twice": _then(lambda: at_offer(admitted()), "offer-requested"),
    "an offer requested before admission": _then(submitted, "offer-requested"),
    "an offer requested after liability is denied names the response": _then(
        lambda: submitted().act("liability-response", on=date(2023, 5, 10), response="deny"),
        "offer-requested",
    ),
    "an ineligible claim names every failed criterion": lambda: Claim().submit(
        evolve(FACTS, accident_location="scotland", claimant_bankrupt=True),
        on=ENTRY,
        whiplash=True,
    ),
    "an offer requested before the report is shared": _then(_first_report, "offer-requested"),
    "an offer requested while a further report is awaited": _then(
        lambda: (
            _first_report()
            .act("medical-report-shared", on=date(2023, 5, 26))
            .act("further-report-requested", on=date(2023, 5, 27))
        ),
        "offer-requested",
    ),
    "an injury dispute notice with causation admitted": _then(
        lambda: at_offer(admitted()), "injury-dispute-notice"
    ),
    "an injury dispute notice given twice": _then(
        lambda: _disputed().act("injury-dispute-notice", on=date(2023, 6, 6)),
        "injury-dispute-notice",
    ),
    "an injury dispute notice before the offer request": _then(
        lambda: _disputed(offer_requested=False), "injury-dispute-notice"
    ),
    "an injury dispute notice before any response": _then(submitted, "injury-dispute-notice"),
    "an injury dispute notice after the 20 business days": lambda: _disputed().act(
        "injury-dispute-notice", on=date(2023, 7, 4)
    ),
    "an offer before the offer request": _then(admitted, "offer", party="compensator", amount=1),
    "an offer while waiting out the prognosis": _then(
        _waiting, "offer", party="compensator", amount=1
    ),
    "an offer before the restarted offer request": _then(
        _restart, "offer", party="compensator", amount=1
    ),
    "an offer with an item value too few": _then(
        lambda: at_offer(admitted()),
        "offer",
        party="compensator",
        amount=10,
        injury=0,
        items=["10", "0"],
    ),
    "an offer with an item value too many": _then(
        lambda: at_offer(admitted()),
        "offer",
        party="compensator",
        amount=10,
        injury=0,
        items=["10", "0", "0", "0"],
    ),
    "an offer whose parts do not add up": _then(
        lambda: at_offer(admitted()), "offer", party="compensator", amount=10, injury=5
    ),
    "an offer whose items do not add up": _then(
        lambda: at_offer(admitted()),
        "offer",
        party="compensator",
        amount=10,
        items=["1", "2", "3"],
    ),
    "a lower tariff after the higher one": _then(
        lambda: (
            at_offer(admitted())
            .act(
                "offer",
                on=date(2023, 6, 6),
                party="compensator",
                amount=1000,
                tariff="whiplash-psychological",
            )
            .act("reject", on=date(2023, 6, 7), party="claimant")
        ),
        "offer",
        party="compensator",
        amount=1000,
        tariff="none",
    ),
    "an offer refused by the negotiation": _then(
        lambda: at_offer(admitted()), "offer", party="compensator", amount="0.001"
    ),
    "a reject before the offer request": _then(admitted, "reject", party="claimant"),
    "a reject while waiting out the prognosis": _then(_waiting, "reject", party="claimant"),
    "a reject with no offer": _then(lambda: at_offer(admitted()), "reject", party="claimant"),
    "an accept while waiting out the prognosis": _then(_waiting, "accept", party="claimant"),
    "an accept of an offer number never made": _then(
        _offered, "accept", party="claimant", offer_number=2
    ),
    "a fee offer before settlement": _then(_offered, "fee-offer", party="compensator", amount=1),
    "a fee accept before settlement": _then(_offered, "fee-accept", party="claimant"),
    "a fee reject before settlement": _then(_offered, "fee-reject", party="compensator"),
    "waiting out the prognosis with no offer": _then(
        lambda: at_offer(admitted()), "wait-out-prognosis"
    ),
    "waiting out the prognosis against a rejected offer": _then(
        lambda: _offered().act("reject", on=date(2023, 6, 7), party="claimant"),
        "wait-out-prognosis",
    ),
    "waiting out the prognosis twice": _then(_waiting, "wait-out-prognosis"),
    "a prognosis outcome when not waiting": _then(
        _offered, "prognosis-outcome", outcome="recovered"
    ),
    # payment and court (guide 6.6)
    "a payment with none due": _then(admitted, "payment-made"),
    "a payment made twice": _then(
        lambda: _settled().act("payment-made", on=date(2023, 6, 8)), "payment-made"
    ),
    "going to court twice": _then(
        lambda: _denied().act("go-to-court", on=date(2023, 5, 11), issue="liability"),
        "go-to-court",
        issue="liability",
    ),
    "court on liability after a full admission": _then(admitted, "go-to-court", issue="liability"),
    "court on liability while the response is running": _then(
        submitted, "go-to-court", issue="liability"
    ),
    "court on liability on the response's due date": lambda: submitted().act(
        "go-to-court", on=date(2023, 6, 15), issue="liability"
    ),
    "court on liability at the offer stage": _then(
        lambda: at_offer(admitted(60)), "go-to-court", issue="liability"
    ),
    "court on an interim payment with none stuck": _then(
        admitted, "go-to-court", issue="interim-payment"
    ),
    "court on an interim payment on its due date": lambda: (
        admitted()
        .act("interim-payment-requested", on=date(2023, 5, 11), amount=250, item=1)
        .act("go-to-court", on=date(2023, 6, 2), issue="interim-payment")
    ),
    "court on an interim payment agreed and paid": _then(
        lambda: (
            admitted()
            .act("interim-payment-requested", on=date(2023, 5, 11), amount=250, item=1)
            .act("interim-payment-response", on=date(2023, 5, 12), agreed=True)
        ),
        "go-to-court",
        issue="interim-payment",
    ),
    # routes to court added for issue 22 (guide 6.3.1.4, 6.6.2, 6.6.3.1; PD 27B)
    "court to protect limitation too early": _then(submitted, "go-to-court", issue="limitation"),
    "court to protect limitation after the date": lambda: submitted().act(
        "go-to-court", on=date(2026, 3, 2), issue="limitation"
    ),
    "court to protect limitation twice": lambda: (
        submitted()
        .act("go-to-court", on=NEAR, issue="limitation")
        .act("proceedings-issued", on=NEAR)
        .act("go-to-court", on=NEAR, issue="limitation")
    ),
    "court on an unpaid settlement before its due date": _then(
        _settled, "go-to-court", issue="unpaid-settlement"
    ),
    "court on an unpaid settlement before any settlement": _then(
        admitted, "go-to-court", issue="unpaid-settlement"
    ),
    "court on fees before the counter offer is rejected": _then(
        _settled, "go-to-court", issue="fees"
    ),
    "court on the injury claim after the settlement": _then(_settled, "go-to-court", issue="value"),
    "court on a part-admission's liability alone": _then(
        lambda: admitted(60), "go-to-court", issue="liability"
    ),
    "a partial payment without its sum": _then(_settled, "payment-made", full=False),
    "an interim answer agreeing and refusing": _then(
        lambda: admitted().act("interim-payment-requested", on=date(2023, 5, 11), amount=100),
        "interim-payment-response",
        agreed=True,
        answer="refuse",
    ),
    "an interim agreed in part for the whole": _then(
        lambda: admitted().act("interim-payment-requested", on=date(2023, 5, 11), amount=100),
        "interim-payment-response",
        agreed=True,
        answer="agree-in-part",
        amount=100,
    ),
    "an interim paid with none agreed": _then(admitted, "interim-payment-made"),
    "a general interim request above the claim's value": _then(
        admitted, "interim-payment-requested", amount="3000.01"
    ),
    "court on value before the first offer": _then(
        lambda: at_offer(admitted()), "go-to-court", issue="value"
    ),
    "court on value before the restarted offer request": _then(
        _restart, "go-to-court", issue="value"
    ),
    "court on value while waiting out the prognosis": _then(_waiting, "go-to-court", issue="value"),
    "court pack list with no court": _then(admitted, "court-pack-list-sent"),
    "court pack list sent twice": _then(
        lambda: (
            _denied()
            .act("go-to-court", on=date(2023, 5, 11), issue="liability")
            .act("court-pack-list-sent", on=date(2023, 5, 12))
        ),
        "court-pack-list-sent",
    ),
    "court pack list agreed with none sent": _then(
        lambda: _denied().act("go-to-court", on=date(2023, 5, 11), issue="liability"),
        "court-pack-list-agreed",
    ),
    "court pack list agreed twice": _then(
        lambda: (
            _denied()
            .act("go-to-court", on=date(2023, 5, 11), issue="liability")
            .act("court-pack-list-sent", on=date(2023, 5, 12))
            .act("court-pack-list-agreed", on=date(2023, 5, 13))
        ),
        "court-pack-list-agreed",
    ),
    "proceedings with no court": _then(admitted, "proceedings-issued"),
    "proceedings before the court pack list": _then(
        lambda: _denied().act("go-to-court", on=date(2023, 5, 11), issue="liability"),
        "proceedings-issued",
    ),
    "proceedings before the compensator's reply": _then(
        lambda: (
            _denied()
            .act("go-to-court", on=date(2023, 5, 11), issue="liability")
            .act("court-pack-list-sent", on=date(2023, 5, 12))
        ),
        "proceedings-issued",
    ),
    "a determination with no proceedings": _then(
        admitted, "court-determination", for_claimant=True
    ),
    "a finding against the claimant with a share": _then(
        _court, "court-determination", for_claimant=False, percent=50
    ),
    "a finding against the claimant with a sum": _then(
        _court, "court-determination", for_claimant=False, amount=5
    ),
    "a liability finding without a share": _then(
        lambda: _court("liability"), "court-determination", for_claimant=True
    ),
    "a liability finding of 0 percent": _then(
        lambda: _court("liability"), "court-determination", for_claimant=True, percent=0
    ),
    "a liability finding with a sum": _then(
        lambda: _court("liability"),
        "court-determination",
        for_claimant=True,
        percent=50,
        amount=5,
    ),
    "a valuation without a sum": _then(
        lambda: _court("value"), "court-determination", for_claimant=True
    ),
    "a valuation with a share": _then(
        lambda: _court("value"), "court-determination", for_claimant=True, amount=5, percent=50
    ),
    "an interim order with a share": _then(
        _court, "court-determination", for_claimant=True, percent=50
    ),
    # leaving the portal (guide 6.6.2.1, 6.6.3.3)
    "the claimant exits for complex issues": _then(
        submitted, "portal-exit", party="claimant", reason="complex-issues"
    ),
    "the claimant exits for fraud": _then(
        submitted, "portal-exit", party="claimant", reason="fraud-alleged"
    ),
    "the claimant exits for a causation dispute": _then(
        _disputed, "portal-exit", party="claimant", reason="causation-disputed"
    ),
    "a causation exit with causation admitted": _then(
        lambda: at_offer(admitted()),
        "portal-exit",
        party="compensator",
        reason="causation-disputed",
    ),
    "a causation exit before the report is shared": _then(
        lambda: _disputed(offer_requested=False),
        "portal-exit",
        party="compensator",
        reason="causation-disputed",
    ),
    "no defendant address before going to court": _then(
        lambda: submitted(compensator="mib").act(
            "liability-response", on=date(2023, 5, 10), response="deny"
        ),
        "portal-exit",
        party="claimant",
        reason="no-defendant-address",
    ),
    "no defendant address against an insurer": _then(
        lambda: _denied().act("go-to-court", on=date(2023, 5, 11), issue="liability"),
        "portal-exit",
        party="claimant",
        reason="no-defendant-address",
    ),
    # payment (guide 6.5.2, 6.3.1.4)
    "payment with no offer": lambda: at_offer(admitted()).payment(),
    "payment of an offer with no breakdown": lambda: _offered().payment(),
    "payment of an offer valuing an item below its interim": lambda: (
        at_offer(
            admitted().act("voluntary-interim-payment", on=date(2023, 5, 11), amount=250, item=1)
        )
        .act(
            "offer",
            on=date(2023, 6, 6),
            party="compensator",
            amount=1100,
            injury=0,
            items=["1000", "100", "0"],
        )
        .payment()
    ),
    # issue 22 (h4): liability at the offer stage (guide 6.3.1.1, 6.5.2, 6.6.1.1)
    "offer below the admitted share": lambda: at_offer(admitted(80)).act(
        "offer", on=date(2023, 6, 6), party="compensator", amount=10, liability_percent=70
    ),
    "offer on a share of 0": lambda: ClaimEvent.make(
        "offer", date(2023, 6, 6), party="compensator", amount=10, liability_percent=0
    ),
    "offer worth less than the compensator's previous": lambda: (
        at_offer(admitted(80))
        .act("offer", on=date(2023, 6, 6), party="compensator", amount=1000)
        .act("reject", on=date(2023, 6, 7), party="claimant")
        .act("offer", on=date(2023, 6, 8), party="compensator", amount=1000, liability_percent=79.5)
    ),
    # own further report (guide 6.4.2.2, 6.4.2.3)
    "own further report before a first report": lambda: admitted().act(
        "own-further-report-obtained", on=date(2023, 5, 20)
    ),
    "own further report while a request is with the compensator": lambda: (
        _first_report()
        .act("further-report-requested", on=date(2023, 5, 26))
        .act("own-further-report-obtained", on=date(2023, 5, 27))
    ),
    "own further report at the offer stage": lambda: at_offer(admitted()).act(
        "own-further-report-obtained", on=date(2023, 6, 6)
    ),
    # whiplash agreed (guide 6.5.3.1); a prognosis over 24 months (guide 6.4.2, CLA 2018 s.3)
    "whiplash reopened after agreement": lambda: (
        at_offer(admitted())
        .act("offer", on=date(2023, 6, 6), party="compensator", amount=10, tariff="whiplash")
        .act("offer", on=date(2023, 6, 7), party="claimant", amount=10, tariff="whiplash")
        .act("offer", on=date(2023, 6, 8), party="compensator", amount=10, tariff="none")
    ),
    "whiplash tariff offer on a prognosis over 24 months": lambda: _long().act(
        "offer", on=date(2023, 6, 6), party="compensator", amount=10, tariff="whiplash"
    ),
    # causation (guide 6.5.4, 6.6.2.1)
    "claimant's causation exit before the dispute notice": lambda: at_offer(
        submitted().act(
            "liability-response", on=date(2023, 5, 10), response="admit-fault-dispute-causation"
        )
    ).act("portal-exit", on=date(2023, 6, 6), party="claimant", reason="causation-disputed"),
    # withdrawal (guide 6.1, 6.4.2)
    "an action after withdrawal": lambda: (
        submitted()
        .act("claim-withdrawn", on=date(2023, 5, 3))
        .act("claim-withdrawn", on=date(2023, 5, 4))
    ),
    "withdrawal before submission": lambda: Claim().act("claim-withdrawn", on=date(2023, 5, 3)),
    # the date the caller stands on
    "event dated after today": lambda: submitted().act(
        "claim-withdrawn", on=date(2024, 5, 3), today=date(2023, 5, 3)
    ),
    "today not a date": lambda: submitted().act(
        "claim-withdrawn", on=date(2023, 5, 3), today="2023-05-03"
    ),
    "replay with an event after today": lambda: Claim.replay(
        [e.to_dict() for e in admitted().history], today=date(2023, 5, 2)
    ),
}


def test_every_refusal_matches_its_golden_file() -> None:
    """Every refusal of the claim (guide 6.1 to 6.6): type, field, reference, value and
    message, word for word; each names the value received and the rule."""
    golden_errors.check("claim", ERRORS)


# --- JSON round trips: every field of every kind (guide 6.1 to 6.6) -------------------------

# One event of each kind with every field it takes (the optional ones off their defaults).
EVERY_FIELD: dict[str, dict[str, object]] = {
    "submitted": {
        "facts": FACTS,
        "whiplash": False,
        "compensator": "rta-insurer",
        "losses": ListOfLosses(
            injury=100, items=[LossItem("property-excess", 250, description="excess")]
        ),
    },
    "liability-response": {"response": "admit-part", "percent": "62.5"},
    "liability-challenge": {"percent": 90},
    "denial-accepted": {},
    "denial-challenged": {"comments": "the lights were red"},
    "interim-payment-requested": {"amount": "120.50", "head": "property", "item": 2},
    "interim-payment-response": {"agreed": True, "amount": 100, "answer": "agree-in-part"},
    "voluntary-interim-payment": {"amount": 75, "item": 0},
    "proceed-to-medical": {"via_medco": False, "lives_in_england_wales": False},
    "medical-report-received": {"report": "further", "prognosis_months": 0},
    "factual-accuracy-challenge": {},
    "medical-report-shared": {},
    "further-report-requested": {"justification": "not-recovered-as-expected"},
    "further-report-acknowledged": {},
    "further-report-objected": {},
    "further-report-instructions-sent": {},
    "offer-requested": {
        "added_losses": [LossItem("injury-travel-costs", 40), LossItem("property-repairs", 60)]
    },
    "injury-dispute-notice": {"reasons": "no injury in the report"},
    "offer": {
        "party": "claimant",
        "amount": "1840.10",
        "injury": "1300.10",
        "tariff": "whiplash-psychological",
        "items": ["300", "200", "40"],
        "seatbelt_percent": 15,
        "cru": {"earnings": "100", "care": "5"},
        "liability_percent": "90",
    },
    "reject": {"party": "compensator"},
    "withdraw": {"party": "claimant"},
    "accept": {"party": "compensator", "offer_number": 2, "updated_cru_certificate": True},
    "fee-offer": {"party": "claimant", "amount": 180},
    "fee-reject": {"party": "compensator"},
    "fee-accept": {"party": "claimant"},
    "wait-out-prognosis": {},
    "prognosis-outcome": {"outcome": "not-recovered"},
    "payment-made": {"amount": "2000", "full": False},
    "go-to-court": {"issue": "interim-payment", "limitation": True},
    "court-pack-list-sent": {},
    "court-pack-list-agreed": {},
    "proceedings-issued": {},
    "court-determination": {"for_claimant": True, "percent": 70, "amount": 50},
    "portal-exit": {"party": "compensator", "reason": "fraud-alleged"},
    "interim-payment-made": {"amount": "100"},
    "own-further-report-obtained": {"justification": "continuing-treatment", "prognosis_months": 9},
    "claim-withdrawn": {"reasons": "moving abroad; will seek advice"},
}


def test_every_kind_has_a_full_example() -> None:
    """The round trip below covers every kind and every field each kind takes."""
    from rtaprotocol.claim import _SPEC

    assert set(EVERY_FIELD) == {k.value for k in ClaimEventKind}
    for kind, fields in EVERY_FIELD.items():
        assert set(fields) == set(_SPEC[ClaimEventKind(kind)]), kind


@pytest.mark.parametrize("kind", sorted(EVERY_FIELD))
def test_every_event_survives_its_json_form(kind: str) -> None:
    """A portal backend stores events as JSON and replays them (guide 6.1): the JSON form
    has the kind, the date and exactly the fields given, and reads back to an equal event."""
    e = ClaimEvent.make(kind, date(2023, 6, 5), **EVERY_FIELD[kind])
    data = json.loads(json.dumps(e.to_dict()))
    assert set(data) == {"kind", "on", *EVERY_FIELD[kind]}
    assert (data["kind"], data["on"]) == (kind, "2023-06-05")
    again = ClaimEvent.from_dict(data)
    assert again == e
    assert again.to_dict() == e.to_dict()
    for name, _value in e.fields:
        assert again[name] == e[name] == e.get(name)


def test_event_json_values() -> None:
    """The JSON values: enums by slug, money to the penny, percentages as given, dates ISO,
    items and losses in their own JSON forms."""
    offer = ClaimEvent.make("offer", date(2023, 6, 5), **EVERY_FIELD["offer"]).to_dict()
    assert offer == {
        "kind": "offer",
        "on": "2023-06-05",
        "party": "claimant",
        "amount": "1840.10",
        "injury": "1300.10",
        "tariff": "whiplash-psychological",
        "items": ["300.00", "200.00", "40.00"],
        "seatbelt_percent": "15.00",
        "cru": offer["cru"],
        "liability_percent": "90.00",
    }
    assert {k: v for k, v in offer["cru"].items() if v != "0.00"} == {
        "earnings": "100.00",
        "care": "5.00",
    }
    sub = ClaimEvent.make("submitted", ENTRY, **EVERY_FIELD["submitted"]).to_dict()
    assert sub["losses"] == {
        "injury": "100.00",
        "stage": "claim",
        "general_interim": "0.00",
        "items": [LossItem("property-excess", 250, description="excess").to_dict()],
    }
    assert sub["facts"] == FACTS.to_dict()
    assert (sub["whiplash"], sub["compensator"]) == (False, "rta-insurer")
    added = ClaimEvent.make("offer-requested", ENTRY, **EVERY_FIELD["offer-requested"])
    assert added.to_dict()["added_losses"] == [
        LossItem("injury-travel-costs", 40).to_dict(),
        LossItem("property-repairs", 60).to_dict(),
    ]
    court = ClaimEvent.make("court-determination", ENTRY, **EVERY_FIELD["court-determination"])
    assert court.to_dict() == {
        "kind": "court-determination",
        "on": "2023-05-02",
        "amount": "50.00",
        "for_claimant": True,
        "percent": "70.00",
    }


def test_an_absent_optional_field_records_its_default() -> None:
    """The defaults the guide implies, recorded so that equal events compare equal: an
    insurer answers (6.3.1), the claimant lives in England and Wales and goes via MedCo
    (6.4.1.3), no updated CRU certificate (6.6.2), court not for limitation (6.6.3.1)."""
    from rtaprotocol.claim import Compensator

    assert ClaimEvent.make("submitted", ENTRY, facts=FACTS, whiplash=True).fields == (
        ("compensator", Compensator.INSURER),
        ("facts", FACTS),
        ("whiplash", True),
    )
    assert ClaimEvent.make("proceed-to-medical", ENTRY).fields == (
        ("lives_in_england_wales", True),
        ("via_medco", True),
    )
    assert ClaimEvent.make("accept", ENTRY, party="claimant").fields == (
        ("party", Party.CLAIMANT),
        ("updated_cru_certificate", False),
    )
    assert ClaimEvent.make("go-to-court", ENTRY, issue="value")["limitation"] is False
    # None for an optional field is the same as leaving it out
    assert ClaimEvent.make("payment-made", ENTRY, amount=None) == ClaimEvent.make(
        "payment-made", ENTRY
    )
    assert ClaimEvent.make("payment-made", ENTRY).to_dict() == {
        "kind": "payment-made",
        "on": "2023-05-02",
        "full": True,  # a payment states whether it is full or partial (guide 6.6.2)
    }


def test_who_acts_for_each_kind() -> None:
    """Each kind's actor (guide 6.1 to 6.6), or the event's own party for the offer
    events and the exit; the fee rejection is always the compensator's (6.5.3.2)."""
    actors = {
        kind: ClaimEvent.make(kind, ENTRY, **fields).party for kind, fields in EVERY_FIELD.items()
    }
    compensator = {
        "liability-response",
        "interim-payment-response",
        "voluntary-interim-payment",
        "further-report-acknowledged",
        "further-report-objected",
        "further-report-instructions-sent",
        "injury-dispute-notice",
        "fee-reject",
        "payment-made",
        "court-pack-list-agreed",
        "reject",  # named in the example
        "accept",
        "portal-exit",
        "interim-payment-made",
    }
    assert {k for k, p in actors.items() if p is Party.COMPENSATOR} == compensator
    assert ClaimEvent.make("fee-reject", ENTRY, party="claimant").party is Party.COMPENSATOR
    assert ClaimEvent.make("withdraw", ENTRY, party="compensator").party is Party.COMPENSATOR


def test_field_limits_are_inclusive() -> None:
    """The edges of the event data: a prognosis of 0 and 1,200 months, comments of 2,000
    characters, the first item (position 0) are all accepted."""
    for months in (0, 1200):
        e = ClaimEvent.make(
            "medical-report-received", ENTRY, report="first", prognosis_months=months
        )
        assert e["prognosis_months"] == months
    text = "x" * 2000
    assert ClaimEvent.make("denial-challenged", ENTRY, comments=text)["comments"] == text
    assert ClaimEvent.make("voluntary-interim-payment", ENTRY, amount=1, item=0)["item"] == 0


def test_claim_json_pins_its_state() -> None:
    """Claim.to_dict: the state a backend shows, from the events (guide 6.1 to 6.6)."""
    c = _court_found_at_offer()
    data = json.loads(json.dumps(c.to_dict()))
    assert data["step"] == "offer"
    assert data["liability"] is None
    assert data["liability_percent"] == "80.00"
    assert data["court_finding_for_claimant"] is True
    assert data["causation"] == "admitted"
    assert data["losses"]["stage"] == "offer-requested"
    assert data["history"] == [e.to_dict() for e in c.history]
    challenged = admitted(60).act("liability-challenge", on=date(2023, 5, 11), percent=90)
    assert challenged.to_dict()["part_admission_challenges"] == 1
    high = at_offer(admitted()).act(
        "offer", on=date(2023, 6, 6), party="compensator", amount=5, tariff="whiplash-psychological"
    )
    assert high.to_dict()["higher_tariff_selected"] is True
    restarted = high.act("wait-out-prognosis", on=date(2023, 6, 7)).act(
        "prognosis-outcome", on=date(2023, 6, 8), outcome="not-recovered"
    )
    assert restarted.to_dict()["past_negotiations"] == 1
    assert (
        restarted.to_dict()["negotiation"]
        == Negotiation(whiplash=True)
        .apply(OfferEvent(kind=OfferEventKind.MEDICAL_REPORT, on=date(2023, 6, 8)))
        .to_dict()
    )  # a fresh negotiation, told of the report (guide 6.5.3.1, CLA 2018 s.6)


def test_the_court_determination_of_liability_is_final() -> None:
    """Guide 6.6.1.1: after a successful court case the claimant enters "the court's
    determination on percentage liability"; the compensator cannot then answer liability
    again (which would replace the court's share, and so every payment figure), nor can a
    part-admission be challenged again."""
    found = _court_found_at_offer()
    before_offer = found.history[:-4]  # the determination entered, still investigating
    c = Claim.replay(before_offer)
    assert (c.liability, c.liability_percent, c.step) == (None, Decimal(80), Step.INVESTIGATION)
    with pytest.raises(ProtocolViolation, match="court has determined") as err:
        c.act("liability-response", on=date(2023, 9, 2), response="admit-part", percent=50)
    assert err.value.reference == "guide 6.6.1.1"
    assert "liability-response" not in c.allowed_actions(date(2023, 9, 2))[Party.COMPENSATOR]
    part = admitted(60).act("go-to-court", on=NEAR, issue="liability", limitation=True)
    part = part.act("proceedings-issued", on=date(2025, 9, 3))
    part = part.act("court-determination", on=LATER, for_claimant=True, percent=90)
    assert part.liability_percent == Decimal(90)
    with pytest.raises(ProtocolViolation, match="court has determined"):
        part.act("liability-challenge", on=date(2025, 11, 4), percent=100)
    summary = part.explain().to_dict()["summary"]
    assert "Liability: the court determined the defendant's share at 90% [guide 6.6.1.1]" in (
        summary
    )
    assert not any("admitted)" in line for line in summary)


def test_a_denial_overturned_by_the_court_is_neither_accepted_nor_challenged() -> None:
    """Guide 6.6.1.1: once the court has found for the claimant on liability, the denial it
    overturned can no longer be accepted (closing the claim) or challenged."""
    c = _claim_found_after_denial()
    allowed = c.allowed_actions(date(2023, 9, 2))[Party.CLAIMANT]
    assert "denial-accepted" not in allowed
    assert "denial-challenged" not in allowed
    assert "proceed-to-medical" in allowed
    for kind in ("denial-accepted", "denial-challenged"):
        with pytest.raises(ProtocolViolation, match="court has determined") as err:
            c.act(kind, on=date(2023, 9, 2))
        assert err.value.reference == "guide 6.6.1.1"


def _claim_found_after_denial(percent: int = 75) -> Claim:
    c = to_court(_denied(), "liability", date(2023, 5, 12))
    return c.act("court-determination", on=date(2023, 9, 1), for_claimant=True, percent=percent)


# --- the rules behind each deadline, status and figure ---------------------------------------


def test_deadline_status_on_each_day() -> None:
    """A deadline is running up to its due date, overdue (or expired, when its lapse has a
    consequence of its own) the day after; met from the day it is met, late when met after
    the due date (guide 6.3.1: "within 30 business days")."""
    base = Deadline(
        name="x",
        party=Party.COMPENSATOR,
        period=Period.OFFER,
        started_on=ENTRY,
        due=date(2023, 6, 1),
        reference="guide 6.5.3.1",
    )
    on_due = evolve(base, met_on=date(2023, 6, 1))
    assert not on_due.late
    assert [on_due.status(date(2023, 5, d)) for d in (31,)] == ["running"]
    assert on_due.status(date(2023, 6, 1)) == "met"
    assert on_due.status(date(2023, 6, 2)) == "met"
    late = evolve(base, met_on=date(2023, 6, 5))
    assert late.late
    assert late.status(date(2023, 6, 2)) == "overdue"  # not met yet on that day
    assert late.status(date(2023, 6, 5)) == "met late"
    expiring = evolve(base, on_expiry="causation deemed admitted")
    assert (expiring.status(date(2023, 6, 1)), expiring.status(date(2023, 6, 2))) == (
        "running",
        "expired",
    )
    assert base.to_dict() == {
        "name": "x",
        "party": "compensator",
        "period": "offer",
        "started_on": "2023-05-02",
        "due": "2023-06-01",
        "reference": "guide 6.5.3.1",
        "met_on": None,
        "late": False,
        "on_expiry": None,
    }
    assert late.to_dict(date(2023, 6, 5))["status"] == "met late"
    assert late.to_dict(date(2023, 5, 31))["days_left"] == 1
    assert late.to_dict(date(2023, 5, 31))["days_unit"] == "business days"


def test_met_deadlines_are_listed_late_from_the_day_they_were_met() -> None:
    """overdue(on) lists a deadline met late only from the day it was met (guide 6.3.1)."""
    late = submitted().act("liability-response", on=date(2023, 6, 20), response="admit-full")
    assert [d.name for d in late.overdue(date(2023, 6, 20))] == ["liability response"]
    assert [d.status(date(2023, 6, 20)) for d in late.overdue(date(2023, 6, 20))] == ["met late"]


def test_portal_deadlines_stop_while_held_and_after_the_end() -> None:
    """On hold nothing progresses on the portal (guide 6.6.1.1); an exited or closed claim
    has no portal deadline; limitation still runs for an exited claim (guide 5.4), and a
    settlement's payment falls due after the claim closes (guide 6.6.2)."""
    held = _court()  # an interim request unanswered when proceedings were issued
    assert [d.name for d in held.next_steps(date(2025, 9, 4)).deadlines] == []
    out = submitted().act("portal-exit", on=ENTRY, party="claimant", reason="protected-party")
    assert [d.name for d in out.next_steps(ENTRY).deadlines] == [
        "limitation: issue court proceedings"
    ]
    disputed_out = _disputed().act(
        "portal-exit", on=date(2023, 6, 6), party="compensator", reason="causation-disputed"
    )
    assert [d.name for d in disputed_out.next_steps(date(2023, 6, 7)).deadlines] == [
        "limitation: issue court proceedings"
    ]
    settled = at_offer(admitted()).act("offer", on=date(2023, 6, 6), party="compensator", amount=10)
    settled = settled.act("accept", on=date(2023, 6, 7), party="claimant")
    assert [d.name for d in settled.next_steps(date(2023, 6, 8)).deadlines] == [
        "payment of the settlement"
    ]


def test_the_first_compensator_offer_meets_the_offer_deadline() -> None:
    """Guide 6.5.3.1: the compensator makes its offer within 20 business days of the
    request; the first offer meets that deadline (recorded once) and it stops running. When
    the offer process starts over (waiting out the prognosis), it runs again from the new
    request (docs/claim.md)."""
    c = at_offer(admitted())
    c = c.act("offer", on=date(2023, 6, 6), party="compensator", amount=10)
    c = c.act("reject", on=date(2023, 6, 7), party="claimant")
    c = c.act("offer", on=date(2023, 6, 8), party="compensator", amount=20)
    names = [d.name for d in c.deadlines(date(2023, 6, 9))]
    assert names.count("compensator's offer") == 1
    met = next(d for d in c.deadlines() if d.name == "compensator's offer")
    assert (met.started_on, met.met_on, met.due) == (
        date(2023, 6, 5),
        date(2023, 6, 6),
        due_date(Period.OFFER, date(2023, 6, 5)),
    )
    assert "compensator's offer" not in [d.name for d in c.next_steps(date(2023, 6, 9)).deadlines]
    c = c.act("wait-out-prognosis", on=date(2023, 6, 9))
    c = c.act("prognosis-outcome", on=date(2023, 11, 1), outcome="not-recovered")
    assert "compensator's offer" not in [d.name for d in c.next_steps(date(2023, 11, 2)).deadlines]
    c = c.act("offer-requested", on=date(2023, 11, 2))
    running = [d for d in c.next_steps(date(2023, 11, 3)).deadlines if d.period is Period.OFFER]
    assert [(d.started_on, d.due) for d in running] == [
        (date(2023, 11, 2), due_date(Period.OFFER, date(2023, 11, 2)))
    ]
    c = c.act("offer", on=date(2023, 11, 3), party="compensator", amount=30)
    assert [d.name for d in c.deadlines()].count("compensator's offer") == 2


def test_each_deadline_met_is_the_one_listed_while_it_ran() -> None:
    """Guide 6.3.1 to 6.6.2: the deadline an event meets is recorded as the claim listed it
    while it ran (name, party, period, start, due date, reference), with the day it was
    met; one function builds each (claim/deadlines.py, docs/maintaining.md)."""
    interim = admitted().act("interim-payment-requested", on=date(2023, 5, 11), amount=250, item=1)
    court = admitted().act("go-to-court", on=NEAR, issue="limitation")
    compensator = {"party": "compensator", "amount": 10}
    cases = [
        (submitted(), "liability-response", {"response": "admit-full"}, "liability response"),
        (submitted(compensator="mib"), "liability-response", {"response": "deny"}, None),
        (interim, "interim-payment-response", {"agreed": True}, "interim payment response"),
        (_acknowledged(), "further-report-instructions-sent", {}, None),
        (at_offer(admitted()), "offer", compensator, "compensator's offer"),
        (_disputed(), "injury-dispute-notice", {}, "notice disputing the injury"),
        (_settled(), "payment-made", {}, "payment of the settlement"),
        (court, "proceedings-issued", {}, "limitation: issue court proceedings"),
    ]
    for before, kind, fields, name in cases:
        on = date.fromordinal(max(e.on for e in before.history).toordinal() + 1)
        after = before.act(kind, on=on, **fields)
        _met_as_listed(before, after)
        met = [d for d in after.deadlines() if d.met_on == on]
        assert len(met) == 1, (kind, met)
        assert name is None or met[0].name == name
        assert met[0] != next(d for d in before.open_deadlines() if d.name == met[0].name)


def test_a_challenge_answered_keeps_one_liability_response_deadline() -> None:
    """The 30 business days run once, to the first response (guide 6.3.1); the answer to a
    challenge is not a second response deadline."""
    c = admitted(60).act("liability-challenge", on=date(2023, 5, 11), percent=90)
    c = c.act("liability-response", on=date(2023, 5, 12), response="admit-part", percent=70)
    responses = [d for d in c.deadlines() if d.name == "liability response"]
    assert [(d.met_on, d.late) for d in responses] == [(date(2023, 5, 10), False)]
    assert c.liability_percent == Decimal(70)


def test_admission_percentages_at_their_edges() -> None:
    """A full admission may state its 100% (guide 6.3.1); fault admitted with causation
    disputed is in full (100%, the default) or in part (6.3.1.2); a court finding may give
    the defendant 100% (6.6.1.1)."""
    full = submitted().act("liability-response", on=date(2023, 5, 10), response="admit-full")
    stated = submitted().act(
        "liability-response", on=date(2023, 5, 10), response="admit-full", percent=100
    )
    assert full.liability_percent == stated.liability_percent == Decimal(100)
    for percent in (100, "0.01", 50):
        c = submitted().act(
            "liability-response",
            on=date(2023, 5, 10),
            response="admit-fault-dispute-causation",
            percent=percent,
        )
        assert c.liability_percent == Decimal(str(percent))
        assert c.causation == "disputed"
    part = submitted().act(
        "liability-response", on=date(2023, 5, 10), response="admit-part", percent="99.99"
    )
    assert part.liability_percent == Decimal("99.99")
    found = _claim_found_after_denial(100)
    assert found.liability_percent == Decimal(100)
    assert found.causation == "admitted"  # a denial had no causation to dispute


def test_a_liability_finding_leaves_a_causation_dispute_open() -> None:
    """The court decides the share of liability; whether the accident caused the injury is
    still for the notice of dispute at the offer stage (guide 6.5.4)."""
    c = _disputed(offer_requested=False)
    c = c.act("go-to-court", on=NEAR, issue="liability", limitation=True)
    c = c.act("proceedings-issued", on=date(2025, 9, 3))
    c = c.act("court-determination", on=LATER, for_claimant=True, percent=90)
    assert c.causation == "disputed"
    assert c.liability_percent == Decimal(90)


def test_an_interim_order_without_a_sum_reopens_the_claim() -> None:
    """An interim payment determination for the claimant reopens the claim (6.6.1.1); with
    no sum it adds nothing to the general interim payments (6.3.1.4)."""
    c = _court().act("court-determination", on=LATER, for_claimant=True)
    assert c.step is Step.INVESTIGATION
    assert c.general_interim == Decimal("0")
    assert "The court found for the claimant" in str(c.explain())


def test_the_higher_tariff_can_be_offered_again() -> None:
    """Guide 6.5.3.1: once the compensator selects the higher tariff it cannot go back; it
    can of course keep offering under it, and the claimant's tariff is no constraint."""
    c = at_offer(admitted())
    c = c.act("offer", on=date(2023, 6, 6), party="compensator", amount=100, tariff="whiplash")
    assert not c.higher_tariff_selected
    c = c.act("reject", on=date(2023, 6, 7), party="claimant")
    c = c.act(
        "offer",
        on=date(2023, 6, 8),
        party="compensator",
        amount=1000,
        tariff="whiplash-psychological",
    )
    c = c.act("offer", on=date(2023, 6, 9), party="claimant", amount=3000, tariff="whiplash")
    c = c.act(
        "offer",
        on=date(2023, 6, 12),
        party="compensator",
        amount=1500,
        tariff="whiplash-psychological",
    )
    assert c.higher_tariff_selected


def test_only_an_injury_sum_from_the_compensator_admits_causation() -> None:
    """Guide 6.5.4: an offer for the injury admits that the accident caused it. An offer
    with no injury sum, or £0 for the injury, or the claimant's own offer does not."""
    for party, fields in (
        ("compensator", {"amount": 5}),
        ("compensator", {"amount": 5, "injury": 0, "items": ["5", "0", "0"]}),
    ):
        c = _disputed().act("offer", on=date(2023, 6, 6), party=party, **fields)
        assert c.causation == "disputed", fields
    c = _disputed().act("offer", on=date(2023, 6, 6), party="compensator", amount=5)
    c = c.act(
        "offer",
        on=date(2023, 6, 7),
        party="claimant",
        amount=900,
        injury=900,
        items=["0", "0", "0"],
    )
    assert c.causation == "disputed"
    noticed = _disputed().act("injury-dispute-notice", on=date(2023, 6, 6))
    paid = noticed.act(
        "offer", on=date(2023, 6, 7), party="compensator", amount=1, injury=1, items=[0, 0, 0]
    )
    assert (noticed.causation, paid.causation) == ("notified", "admitted")


def test_payment_from_an_injury_sum_or_item_values_alone() -> None:
    """Guide 6.5.2: an offer's breakdown may give only the injury sum (every item then
    valued at £0) or only the item values (the injury at £0)."""
    c = at_offer(admitted(80))
    injury_only = c.act("offer", on=date(2023, 6, 6), party="compensator", amount=1000, injury=1000)
    assert injury_only.payment().total == Decimal("800.00")
    items_only = c.act(
        "offer", on=date(2023, 6, 6), party="compensator", amount=500, items=["500", "0", "0"]
    )
    assert items_only.payment().total == Decimal("400.00")


# Every Wednesday from May 2023 to March 2024 an extra holiday: every period of five or more
# business days then ends later than under the shipped calendar.
WEDNESDAYS = EnglandWalesCalendar(
    extra_holidays=[date.fromordinal(date(2023, 5, 3).toordinal() + 7 * k) for k in range(48)]
)


def test_every_deadline_counts_the_claims_calendar() -> None:
    """Guide 6.3.1: all time periods are in business days; a claim's calendar (its extra
    holidays) counts every one of them: liability response (30, or 40 for the MIB),
    interim payment response, further report instructions, the offer, the injury dispute
    notice, payment, and the embedded negotiation's own periods."""
    settled = at_offer(admitted()).act("offer", on=date(2023, 6, 6), party="compensator", amount=10)
    settled = settled.act("accept", on=date(2023, 6, 7), party="claimant")
    scenarios = [
        submitted(compensator="mib"),
        _disputed(),
        admitted().act("interim-payment-requested", on=date(2023, 5, 11), amount=5),
        _acknowledged(),
        settled,
        _restart().act("offer-requested", on=date(2023, 11, 2)),
    ]
    periods = set()
    for plain in scenarios:
        c = Claim.replay(plain.history, calendar=WEDNESDAYS)
        assert c.calendar == WEDNESDAYS
        assert c.negotiation.calendar == WEDNESDAYS
        last = max(e.on for e in c.history)
        for on in (last, date.fromordinal(last.toordinal() + 60)):  # running, then overdue
            steps = c.next_steps(on)
            data = steps.to_dict()
            shown = [
                *zip(steps.deadlines, data["deadlines"], strict=True),
                *zip(steps.overdue, data["overdue"], strict=True),
                *(
                    pair
                    for p in steps.parties
                    for pair in zip(
                        p.deadlines, data["parties"][p.party.value]["deadlines"], strict=True
                    )
                ),
            ]
            for d, row in shown:
                if d.period is not None:
                    assert row["days_left"] == WEDNESDAYS.business_days_between(on, d.due)
            rows = str(steps).splitlines()[3 : 3 + len(steps.deadlines)]
            for d, row_text in zip(steps.deadlines, rows, strict=True):
                if d.period is not None:
                    days = row_text.split("|")[3].strip()
                    assert int(days) == WEDNESDAYS.business_days_between(on, d.due)
        for d in c.deadlines():
            if d.period is None:
                continue
            periods.add(d.period)
            assert d.due == due_date(d.period, d.started_on, calendar=WEDNESDAYS), d.name
            assert d.due > due_date(d.period, d.started_on), d.name
    assert periods == {
        Period.LIABILITY_RESPONSE,
        Period.LIABILITY_RESPONSE_MIB,
        Period.INJURY_DISPUTE,
        Period.INTERIM_PAYMENT_RESPONSE,
        Period.FURTHER_MEDICAL_INSTRUCTIONS,
        Period.OFFER,
        Period.PAYMENT,
    }


def test_court_for_an_agreed_interim_payment_not_made() -> None:
    """Guide 6.3.1.4: the claimant may ask the court for an interim payment the compensator
    agreed but has not paid; going to court over it at the offer stage leaves the offer
    negotiation as it was (no Court Valuation Form, which is for the claim's value)."""
    c = at_offer(admitted())
    c = c.act("offer", on=date(2023, 6, 6), party="compensator", amount=10)
    c = c.act("interim-payment-requested", on=date(2023, 6, 7), amount=100)
    c = c.act(
        "interim-payment-response", on=date(2023, 6, 8), agreed=True, answer="agree-not-yet-paid"
    )
    after = date.fromordinal(
        due_date(Period.INTERIM_PAYMENT_RESPONSE, date(2023, 6, 7)).toordinal() + 1
    )
    court = c.act("go-to-court", on=after, issue="interim-payment")
    assert court.negotiation.court_valuation_form_on is None
    assert court.negotiation == c.negotiation


def test_each_interim_answer_settles_the_oldest_open_request() -> None:
    """Guide 6.3.1.4: each request has its own 15 business days; an answer meets the oldest
    open one; an agreement may pay a sum other than the one requested."""
    c = admitted().act("interim-payment-requested", on=date(2023, 5, 11), amount=100)
    c = c.act("interim-payment-requested", on=date(2023, 5, 15), amount=60)
    c = c.act("interim-payment-response", on=date(2023, 5, 16), agreed=True, amount=80)
    assert c.general_interim == Decimal("80.00")
    open_ = [d for d in c.deadlines(date(2023, 5, 17)) if d.met_on is None and d.period]
    assert [(d.started_on, d.due) for d in open_] == [
        (date(2023, 5, 15), due_date(Period.INTERIM_PAYMENT_RESPONSE, date(2023, 5, 15)))
    ]
    c = c.act("interim-payment-response", on=date(2023, 5, 17), agreed=True)
    assert c.general_interim == Decimal("140.00")
    met = [d for d in c.deadlines() if d.name == "interim payment response"]
    assert [(d.started_on, d.met_on) for d in met] == [
        (date(2023, 5, 11), date(2023, 5, 16)),
        (date(2023, 5, 15), date(2023, 5, 17)),
    ]


def test_open_deadlines_come_by_due_date() -> None:
    """deadlines(on) lists the open deadlines soonest first, then those met."""
    c = _first_report().act("interim-payment-requested", on=date(2023, 5, 26), amount=5)
    c = c.act("further-report-requested", on=date(2023, 5, 30))
    c = c.act("further-report-acknowledged", on=date(2023, 5, 31))
    names = [d.name for d in c.deadlines(date(2023, 6, 1))]
    assert names == [
        "further medical report instructions",  # 10 business days from 31 May
        "interim payment response",  # 15 business days from 26 May
        "limitation: issue court proceedings",
        "liability response",  # met
    ]
    assert [d.name for d in c.deadlines()] == names


def test_a_date_before_the_last_event_is_refused_by_every_query() -> None:
    """One rule for a query's date (issue 24): the claim stands as of its last event, so
    deadlines(on), overdue(on), allowed_actions(on) and next_steps(on) all refuse a date
    before it alike, instead of showing a met deadline as running (guide 6.1, 6.3.1)."""
    late = submitted().act("liability-response", on=date(2023, 6, 20), response="admit-full")
    day = date(2023, 6, 19)
    for query in (late.deadlines, late.overdue, late.allowed_actions, late.next_steps):
        with pytest.raises(RulesError, match="a date before the previous action") as info:
            query(day)
        assert (info.value.field, info.value.value) == ("on", day)
    assert [(d.name, d.late) for d in late.overdue(date(2023, 6, 20))] == [
        ("liability response", True)
    ]


def test_an_optional_field_given_as_none_is_left_out() -> None:
    """None for an optional field means "not given", wherever it comes in the call."""
    assert ClaimEvent.make(
        "liability-response", ENTRY, percent=None, response="deny"
    ) == ClaimEvent.make("liability-response", ENTRY, response="deny")


def test_a_calendar_of_extra_business_days_only_is_kept() -> None:
    """A calendar that only adds business days still changes the count, so the claim keeps
    it (an empty calendar is the shipped one, and is dropped)."""
    cal = EnglandWalesCalendar(extra_business_days=[date(2023, 5, 8)])  # the coronation
    c = Claim(calendar=cal).submit(FACTS, on=ENTRY, whiplash=True)
    assert c.calendar == cal
    assert c.next_steps(ENTRY).deadlines[0].due == due_date(
        Period.LIABILITY_RESPONSE, ENTRY, calendar=cal
    )
    assert Claim(calendar=EnglandWalesCalendar()).calendar is None


def test_payment_uses_the_breakdown_of_the_offer_accepted() -> None:
    """Guide 6.5.5.1: a withdrawn offer replaced by one of the same sum keeps its number;
    the payment follows the breakdown of the replacement, the offer actually accepted."""
    c = at_offer(admitted()).act(
        "offer",
        on=date(2023, 6, 6),
        party="compensator",
        amount=1000,
        injury=1000,
        items=["0", "0", "0"],
        seatbelt_percent=10,
    )
    c = c.act("withdraw", on=date(2023, 6, 21), party="compensator")
    c = c.act(
        "offer",
        on=date(2023, 6, 22),
        party="compensator",
        amount=1000,
        injury=0,
        items=["750", "250", "0"],
        seatbelt_percent=10,
    )
    c = c.act("accept", on=date(2023, 6, 23), party="claimant")
    # the seatbelt reduction falls on the injury-related £750, not the property £250
    assert c.payment().total == Decimal("925.00")


def test_a_non_protocol_vehicle_cost_is_not_part_of_an_offer() -> None:
    """Guide 1.1.1, 6.5.2: an offer's amount is its injury sum and protocol items; the value
    it enters against a non-protocol vehicle cost is not counted."""
    losses = ListOfLosses(
        items=[
            LossItem("property-excess", 250),
            LossItem("property-repairs", 900, paid_by="insurer"),
        ]
    )
    c = Claim().act("submitted", on=ENTRY, facts=FACTS, whiplash=True, losses=losses)
    c = at_offer(c.act("liability-response", on=date(2023, 5, 10), response="admit-full"))
    c = c.act(
        "offer",
        on=date(2023, 6, 6),
        party="compensator",
        amount=1250,
        injury=1000,
        items=[250, 900],
    )
    assert c.negotiation.latest_offer(Party.COMPENSATOR).amount == Decimal("1250.00")
    with pytest.raises(ProtocolViolation, match=r"add up to £1,250\.00"):
        c.act(
            "offer",
            on=date(2023, 6, 7),
            party="claimant",
            amount=2150,
            injury=1000,
            items=[250, 900],
        )


def test_limitation_of_a_claimant_who_was_a_child() -> None:
    """Guide 5.4: for a claimant under 18 at the accident, the three years run from the
    18th birthday (Limitation Act 1980 s.28)."""
    from attrs import evolve as with_

    c = Claim().submit(with_(FACTS, date_of_birth=date(2005, 4, 1)), on=ENTRY, whiplash=True)
    assert c.limitation_deadline == date(2026, 4, 1)
    assert submitted().limitation_deadline == date(2026, 3, 1)


def test_a_second_further_report_can_be_acknowledged() -> None:
    """Guide 6.4.2.2: each further report request is answered on its own; an objection to
    an earlier one does not answer the next."""
    c = _first_report().act("further-report-requested", on=date(2023, 5, 26))
    c = c.act("further-report-objected", on=date(2023, 5, 29))
    c = c.act("medical-report-received", on=date(2023, 6, 20), report="further")
    c = c.act(
        "further-report-requested", on=date(2023, 6, 21), justification="continuing-treatment"
    )
    c = c.act("further-report-acknowledged", on=date(2023, 6, 22))
    assert c.unreliable_further_reports == 1


def test_the_compensator_may_always_answer_an_interim_request() -> None:
    """Guide 6.3.1.4: the compensator answers every request, if only by refusing it; a
    request for more than its item is worth is refused when it is made (the item is settled
    by its interim payment, so no more than the item can be asked)."""
    with pytest.raises(ProtocolViolation, match=r"more than the item's £250\.00") as err:
        admitted().act("interim-payment-requested", on=date(2023, 5, 11), amount=300, item=1)
    assert err.value.reference == "guide 6.3.1.4"
    c = admitted().act("interim-payment-requested", on=date(2023, 5, 11), amount=250, item=1)
    assert "interim-payment-response" in c.allowed_actions(date(2023, 5, 12))[Party.COMPENSATOR]
    refused = c.act("interim-payment-response", on=date(2023, 5, 12), agreed=False)
    assert not refused.losses.items[1].paid


def test_an_offer_after_a_court_interim_order_with_liability_never_answered() -> None:
    """With no liability response and no share found by the court (an interim payment order
    sought before the limitation date), nothing reduces the claimant's damages for
    liability: the offer is paid in full, less the interim the court ordered (6.3.1.4,
    6.5.2)."""
    c = submitted().act("go-to-court", on=NEAR, issue="interim-payment", limitation=True)
    c = c.act("proceedings-issued", on=date(2025, 9, 3))
    c = c.act("court-determination", on=LATER, for_claimant=True, amount=100)
    assert (c.liability, c.liability_percent) == (None, None)
    c = c.act("proceed-to-medical", on=date(2025, 11, 4))
    c = c.act("medical-report-received", on=date(2025, 11, 20), report="first")
    c = c.act("medical-report-shared", on=date(2025, 11, 21))
    c = c.act("offer-requested", on=date(2025, 12, 1))
    c = c.act(
        "offer",
        on=date(2025, 12, 4),
        party="compensator",
        amount=1000,
        injury=1000,
        items=[0, 0, 0],
    )
    assert c.payment().total == Decimal("900.00")


def test_each_further_report_round_is_answered_afresh() -> None:
    """Guide 6.4.2.2: after a further report arrives, a new request is acknowledged and its
    instructions sent within their own 10 business days, as the first was."""
    c = _first_report()
    for start in (date(2023, 5, 26), date(2023, 7, 3)):
        ack = date.fromordinal(start.toordinal() + 1)
        c = c.act("further-report-requested", on=start, justification="continuing-treatment")
        c = c.act("further-report-acknowledged", on=ack)
        due = due_date(Period.FURTHER_MEDICAL_INSTRUCTIONS, ack)
        running = [d for d in c.next_steps(ack).deadlines if d.name.startswith("further")]
        assert [(d.started_on, d.due, d.reference) for d in running] == [
            (ack, due, "guide 6.4.2.2")
        ]
        c = c.act("further-report-instructions-sent", on=date.fromordinal(ack.toordinal() + 1))
        c = c.act(
            "medical-report-received",
            on=date.fromordinal(ack.toordinal() + 20),
            report="further",
        )
        after = date.fromordinal(ack.toordinal() + 21)
        assert not [d for d in c.next_steps(after).deadlines if d.name.startswith("further")]
    assert c.unreliable_further_reports == 0


def test_why_a_court_closes_the_claim() -> None:
    """Guide 6.6.1, 6.6.1.1: a claim the court valued, or decided against the claimant,
    closes and says why."""
    valued = _court("value").act("court-determination", on=LATER, for_claimant=True, amount=900)
    lost = _court("liability").act("court-determination", on=LATER, for_claimant=False)
    assert valued.closed_because == "the court valued the claim"
    assert lost.closed_because == "the court found against the claimant"
    assert valued.to_dict()["closed_because"] == "the court valued the claim"
    assert "Closed: the court found against the claimant [guide 6.6.1]" in str(lost.explain())


def test_next_steps_offer_what_each_state_allows() -> None:
    """allowed_actions agrees with apply: a further report once requested (guide 6.4.2.2),
    the prognosis outcome while waiting (6.5.3.1), fee offers once settled (6.5.3.2)."""
    further = _first_report().act("further-report-requested", on=date(2023, 5, 26))
    further = further.act("further-report-objected", on=date(2023, 5, 29))
    assert "medical-report-received" in further.allowed_actions(date(2023, 5, 30))[Party.CLAIMANT]
    waiting = _waiting()
    assert waiting.allowed_actions(date(2023, 6, 8))[Party.CLAIMANT] == (
        "interim-payment-requested",
        "prognosis-outcome",
        "portal-exit",
        "claim-withdrawn",
    )  # no court valuation while the claim waits (docs/claim.md)
    settled = _settled().allowed_actions(date(2023, 6, 8))
    assert settled[Party.COMPENSATOR] == ("fee-offer", "payment-made")
    assert settled[Party.CLAIMANT] == ()  # the compensator offers fees first


# --- mutation testing (issue 17): rules the survivors showed untested ----------------------


def _further_report_received() -> Claim:
    """First report shared, then a justified further report received (guide 6.4.2.2)."""
    c = admitted().act("proceed-to-medical", on=date(2023, 5, 11))
    c = c.act("medical-report-received", on=date(2023, 5, 25), report="first")
    c = c.act("medical-report-shared", on=date(2023, 5, 26))
    c = c.act(
        "further-report-requested", on=date(2023, 5, 30), justification="continuing-treatment"
    )
    c = c.act("further-report-acknowledged", on=date(2023, 5, 31))
    c = c.act("further-report-instructions-sent", on=date(2023, 6, 2))
    return c.act("medical-report-received", on=date(2023, 6, 20), report="further")


def test_each_report_is_shared_once_a_further_report_included() -> None:
    """Guide 6.4.2, 6.4.2.2: the claimant shares each report received with the compensator:
    a further report is shared once, like the first, and then there is nothing left to share."""
    c = _further_report_received().act("medical-report-shared", on=date(2023, 6, 21))
    with pytest.raises(ProtocolViolation, match="every medical report received") as err:
        c.act("medical-report-shared", on=date(2023, 6, 22))
    assert err.value.reference == "guide 6.4.2"


def test_a_pending_part_admission_challenge_ends_with_the_offer_request() -> None:
    """Guide 6.3.1.1: a part-admission is challenged only until the offer is requested; from
    then on the share is part of the offer negotiation, so the compensator no longer answers
    the challenge with a new liability response."""
    c = admitted(60).act("liability-challenge", on=date(2023, 5, 11), percent=100)
    c = at_offer(c)
    with pytest.raises(ProtocolViolation, match="has given its liability response") as err:
        c.act("liability-response", on=date(2023, 6, 6), response="admit-part", percent=70)
    assert err.value.reference == "guide 6.3.1"


def test_an_offer_including_an_injury_sum_admits_causation_before_any_notice() -> None:
    """Guide 6.5.4: a compensator that disputed causation and then offers any sum for the
    injury is deemed to admit it, notice or not; no dispute notice can follow."""
    c = _disputed()
    assert c.causation == "disputed"
    c = c.act("offer", on=date(2023, 6, 6), party="compensator", amount=100, injury=100)
    assert c.causation == "admitted"
    with pytest.raises(ProtocolViolation, match="causation is admitted"):
        c.act("injury-dispute-notice", on=date(2023, 6, 7))


def test_a_restarted_offer_process_pays_the_offer_of_its_own_round() -> None:
    """Guide 6.5.3.1: when the offer process starts over after the prognosis, the offer
    accepted is one of the new round, and the payment follows its breakdown, not the first
    round's offer that carried the same number."""
    c = at_offer(admitted())
    c = c.act(
        "offer",
        on=date(2023, 6, 6),
        party="compensator",
        amount="2300",
        injury="800",
        items=["1000", "250", "250"],
    )
    c = c.act("wait-out-prognosis", on=date(2023, 6, 7))
    c = c.act("prognosis-outcome", on=date(2023, 11, 1), outcome="further-losses")
    c = c.act("offer-requested", on=date(2023, 11, 2))
    c = c.act(
        "offer",
        on=date(2023, 11, 3),
        party="compensator",
        amount="2600",
        injury="1100",
        items=["1000", "250", "250"],
    )
    c = c.act("accept", on=date(2023, 11, 6), party="claimant")
    assert c.payment().total == Decimal("2600.00")


def test_the_injury_dispute_period_runs_once_from_the_first_offer_request() -> None:
    """Guide 6.5.4: the compensator that admitted fault but disputed causation has 20
    business days to dispute the injury; a restarted offer process (6.5.3.1) does not give it
    a new 20 days (our reading, docs/claim.md)."""
    c = _disputed()  # the offer was requested on 5 June 2023
    first_due = due_date(Period.INJURY_DISPUTE, date(2023, 6, 5))
    c = c.act("offer", on=date(2023, 6, 6), party="compensator", amount=100)
    c = c.act("wait-out-prognosis", on=date(2023, 6, 7))
    c = c.act("prognosis-outcome", on=date(2023, 6, 8), outcome="further-losses")
    c = c.act("offer-requested", on=date(2023, 6, 9))
    assert c.causation == "disputed"
    assert [d.due for d in c.deadlines(date(2023, 6, 9)) if d.period is Period.INJURY_DISPUTE] == [
        first_due
    ]


# =========================================================================================
# Issue 24, the claim as a service: report(on), payment(offer=N), version, expected_version,
# event ids. (A block of its own: other changes to this module stay above it.)
# =========================================================================================

import pickle  # noqa: E402
import threading  # noqa: E402

from hypothesis import given  # noqa: E402

from rtaprotocol.errors import ConcurrencyError  # noqa: E402
from rtaprotocol.report import ClaimReport, Injuries  # noqa: E402


def _offers_both_ways() -> Claim:
    """80% admitted; the compensator's offers 1 and 2 and the claimant's offer 1, each with
    a breakdown over the three items of the List of Losses (guide 6.5.2)."""
    c = at_offer(admitted(80))
    c = c.act(
        "offer", on=date(2023, 6, 6), party="compensator", amount=2000, injury=500,
        items=[1000, 250, 250],
    )  # fmt: skip
    c = c.act(
        "offer", on=date(2023, 6, 7), party="claimant", amount=3000, injury=1500,
        items=[1000, 250, 250],
    )  # fmt: skip
    return c.act(
        "offer", on=date(2023, 6, 8), party="compensator", amount=2300, injury=800,
        items=[1000, 250, 250],
    )  # fmt: skip


def test_payment_by_offer_number_for_each_party() -> None:
    """Guide 6.5.2, 6.5.5.1: each offer, named by its portal number, pays out its own
    breakdown less its deductions (the compensator's offers 20% for the split admitted);
    the latest stays the default, and ``party`` alone names that party's latest offer. A
    claimant's offer that states no share is the sum paid (guide 6.3.1.1; issue 22)."""
    c = _offers_both_ways()
    assert c.payment().total == Decimal("1840.00")  # 2,300 less 20%
    assert c.payment(offer=2) == c.payment()
    assert c.payment(offer=1).total == Decimal("1600.00")  # 2,000 less 20%
    assert c.payment(offer=1, party="claimant").total == Decimal("3000.00")  # on 100%
    assert c.payment(party=Party.CLAIMANT) == c.payment(offer=1, party="claimant")
    assert c.payment(party="compensator") == c.payment()


def test_payment_of_an_offer_number_not_made_is_refused_with_the_rule() -> None:
    """Guide 6.5.5.1: offers are numbered 1 to 3 for each party; a number with no offer
    is a ProtocolViolation naming ``offer``, never another offer's figures."""
    c = _offers_both_ways()
    for number in (3, 0, 4):
        with pytest.raises(ProtocolViolation) as err:
            c.payment(offer=number)
        assert err.value.field == "offer"
        assert err.value.value == number
        assert err.value.reference == "guide 6.5.5.1"
    with pytest.raises(ProtocolViolation, match="its offers: 1"):
        c.payment(offer=2, party="claimant")
    with pytest.raises(RulesTypeError):
        c.payment(offer="2")  # type: ignore[arg-type]
    with pytest.raises(RulesError, match="no claimant offer"):
        at_offer(admitted()).payment(party="claimant")


def test_payment_of_a_replaced_offer_is_the_offer_standing_under_that_number() -> None:
    """Guide 6.5.5.1: an offer withdrawn before it is rejected does not count, and its
    replacement keeps its number; ``offer=1`` then names the replacement."""
    c = at_offer(admitted())
    c = c.act("offer", on=date(2023, 6, 6), party="compensator", amount=2000, injury=500,
              items=[1000, 250, 250])  # fmt: skip
    c = c.act("withdraw", on=date(2023, 6, 22), party="compensator")
    c = c.act("offer", on=date(2023, 6, 23), party="compensator", amount=2100, injury=600,
              items=[1000, 250, 250])  # fmt: skip
    assert [o.number for o in c.negotiation.offers(Party.COMPENSATOR)] == [1, 1]
    assert c.payment(offer=1).total == Decimal("2100.00")
    assert c.payment(offer=1) == c.payment()


def _restarted_with_an_added_loss() -> Claim:
    """Round 1: the compensator offers £2,300 on three items; waiting out the prognosis
    ends in further losses (guide 6.5.3.1), a fourth item is listed, and round 2 starts."""
    c = at_offer(admitted())
    c = c.act("offer", on=date(2023, 6, 6), party="compensator", amount="2300", injury="800",
              items=["1000", "250", "250"])  # fmt: skip
    c = c.act("wait-out-prognosis", on=date(2023, 6, 7))
    c = c.act("prognosis-outcome", on=date(2023, 11, 1), outcome="further-losses")
    c = c.act("offer-requested", on=date(2023, 11, 2),
              added_losses=[{"type": "injury-travel-costs", "amount": "40"}])  # fmt: skip
    return c.act("offer", on=date(2023, 11, 3), party="compensator", amount="2640",
                 injury="1100", items=["1000", "250", "250", "40"])  # fmt: skip


def test_payment_of_an_offer_in_an_earlier_offer_process() -> None:
    """Guide 6.5.3.1: the offer process starts over after further losses; processes are
    numbered from 1, the current one last. An earlier process's offer pays out against the
    claim as it stood when that process ended (three items then, four now)."""
    c = _restarted_with_an_added_loss()
    assert len(c.past_negotiations) == 1
    assert c.payment().total == Decimal("2640.00")
    assert c.payment(negotiation=2) == c.payment()
    first = c.payment(negotiation=1)
    assert first.total == Decimal("2300.00")
    assert c.payment(offer=1, negotiation=1) == first
    assert first.breakdown.full_value.injury_related == Decimal("1000.00")  # no travel then
    assert c.payment().breakdown.full_value.injury_related == Decimal("1040.00")
    with pytest.raises(ProtocolViolation, match="no offer 2 in offer process 1") as err:
        c.payment(offer=2, negotiation=1)
    assert err.value.field == "offer"
    for bad in (0, 3):
        with pytest.raises(ProtocolViolation, match="2 offer processes") as err:
            c.payment(negotiation=bad)
        assert err.value.field == "negotiation"


def test_version_is_the_number_of_events_applied() -> None:
    """A backend compares versions before appending: 0 for a new claim, one more for each
    event, the same after a replay of the history."""
    assert Claim().version == 0
    c = _offers_both_ways()
    assert c.version == len(c.history) == 9
    assert replayed(c).version == c.version


def test_expected_version_appends_only_to_the_version_read() -> None:
    """Optimistic concurrency (docs/claim.md): the append goes through at the version read
    and is refused with ConcurrencyError, naming both versions, once the claim moved on."""
    c = submitted()
    moved = c.act("liability-response", on=date(2023, 5, 10), response="admit-full",
                  expected_version=1)  # fmt: skip
    assert moved.version == 2
    event = {"kind": "proceed-to-medical", "on": "2023-05-11"}
    with pytest.raises(ConcurrencyError) as err:
        moved.apply(event, expected_version=1)
    assert isinstance(err.value, RulesError)
    assert (err.value.expected, err.value.current, err.value.field) == (1, 2, "expected_version")
    assert "version 2" in str(err.value)
    assert "expected version 1" in str(err.value)
    assert err.value.to_dict()["expected_version"] == 1
    assert err.value.to_dict()["current_version"] == 2
    assert moved.version == 2  # nothing applied
    assert moved.apply(event, expected_version=2).version == 3
    with pytest.raises(ConcurrencyError):
        moved.apply(event, expected_version=3)  # ahead of the claim: also moved on


def test_concurrency_error_crosses_process_boundaries() -> None:
    """Like every RulesError, a ConcurrencyError pickles with its versions intact."""
    err = ConcurrencyError(expected=3, current=5)
    again = pickle.loads(pickle.dumps(err))
    assert type(again) is ConcurrencyError
    assert (again.expected, again.current, str(again)) == (3, 5, str(err))


def test_expected_version_must_be_a_whole_number() -> None:
    """A version is a count of events: a bool, a float, a string or a negative number is
    refused, not compared."""
    c = submitted()
    for bad in (True, 1.0, "1"):
        with pytest.raises(RulesTypeError):
            c.act("liability-response", on=date(2023, 5, 10), response="deny",
                  expected_version=bad)  # fmt: skip
    with pytest.raises(RulesError, match="0 or more"):
        c.act("liability-response", on=date(2023, 5, 10), response="deny", expected_version=-1)


@pytest.mark.parametrize("kind", sorted(EVERY_FIELD))
def test_every_kind_carries_an_event_id_through_json(kind: str) -> None:
    """Every kind takes an optional ``event_id``; it is in ``to_dict`` and read back by
    ``from_dict``; without one the JSON form is as before."""
    e = ClaimEvent.make(kind, date(2023, 6, 5), event_id=f"req-{kind}", **EVERY_FIELD[kind])
    data = json.loads(json.dumps(e.to_dict()))
    assert data["event_id"] == f"req-{kind}"
    assert ClaimEvent.from_dict(data) == e
    plain = ClaimEvent.make(kind, date(2023, 6, 5), **EVERY_FIELD[kind])
    assert "event_id" not in plain.to_dict()
    assert plain.event_id is None


def test_a_retried_append_is_a_no_op() -> None:
    """The same event id with the same content returns the claim unchanged, even when the
    retry carries the version read before the first attempt (its reply was lost)."""
    c = submitted()
    event = {"kind": "liability-response", "on": "2023-05-10", "response": "admit-full",
             "event_id": "7f3c"}  # fmt: skip
    once = c.apply(event, expected_version=1)
    assert once.apply(event) is once
    assert once.apply(event, expected_version=1) is once
    same = dict(event, on="2023-05-10")
    assert once.apply(same) is once
    again = once.act("liability-response", on=date(2023, 5, 10), response="admit-full",
                     event_id="7f3c")  # fmt: skip
    assert again is once
    assert once.version == 2


def test_the_same_event_id_with_other_content_is_refused() -> None:
    """An id names one event: the same id with another kind, date or field is refused,
    naming ``event_id`` and the event it was used for; the claim is unchanged."""
    c = submitted().act("liability-response", on=date(2023, 5, 10), response="admit-part",
                        percent=70, event_id="abc")  # fmt: skip
    for kind, fields in (
        ("liability-challenge", {"percent": 90}),
        ("liability-response", {"response": "admit-part", "percent": 75}),
    ):
        with pytest.raises(RulesError, match="was used for a liability-response") as err:
            c.act(kind, on=date(2023, 5, 11), event_id="abc", **fields)
        assert err.value.field == "event_id"
        assert err.value.value == "abc"
    assert c.version == 2


def test_replay_reads_event_ids_as_apply_does() -> None:
    """A stored log with a retried append in it replays to the same claim (the repeat is
    skipped); the same id on two different events is refused at the second one."""
    c = submitted().act("liability-response", on=date(2023, 5, 10), response="admit-full",
                        event_id="a")  # fmt: skip
    c = c.act("proceed-to-medical", on=date(2023, 5, 11), event_id="b")
    log = [e.to_dict() for e in c.history]
    assert Claim.replay([*log[:2], log[1], log[2], log[2]]) == c
    clash = dict(log[2], event_id="a")
    with pytest.raises(RulesError) as err:
        Claim.replay([*log[:2], clash])
    assert err.value.field == "events[2].event_id"


def test_bad_event_ids_are_refused() -> None:
    """An id is a string of 1 to 200 printable characters: no number, no empty string, no
    line break or terminal escape (ids are shown in logs and reports)."""
    for bad in (5, "", "a\nb", "\x1b[2J", "x" * 201):
        with pytest.raises(RulesError) as err:
            ClaimEvent.make("denial-accepted", date(2023, 5, 10), event_id=bad)
        assert err.value.field == "event_id"
    with pytest.raises(RulesError) as err:
        ClaimEvent.from_dict({"kind": "denial-accepted", "on": "2023-05-10", "event_id": 7})
    assert err.value.field == "event.event_id"
    assert ClaimEvent.make("denial-accepted", date(2023, 5, 10), event_id="x" * 200).event_id


_LOG = [
    {"kind": "liability-response", "on": "2023-05-10", "response": "admit-part", "percent": 80},
    {"kind": "interim-payment-requested", "on": "2023-05-11", "amount": "100", "item": 1},
    {"kind": "interim-payment-response", "on": "2023-05-12", "agreed": True},
    {"kind": "proceed-to-medical", "on": "2023-05-20"},
    {"kind": "medical-report-received", "on": "2023-05-25", "report": "first"},
    {"kind": "medical-report-shared", "on": "2023-05-26"},
    {"kind": "offer-requested", "on": "2023-06-05"},
    {"kind": "offer", "on": "2023-06-06", "party": "compensator", "amount": "1000"},
]


@given(st.lists(st.integers(0, len(_LOG) - 1), max_size=12))
def test_retries_anywhere_leave_the_claim_as_without_them(retries: list[int]) -> None:
    """Property: sending any earlier event again (a retry) at any point changes nothing;
    the claim is the one built from each event once, in order."""
    log = [dict(e, event_id=f"e{i}") for i, e in enumerate(_LOG)]
    expected = submitted()
    for e in log:
        expected = expected.apply(e)
    c = submitted()
    sent = 0
    for i, sent_event in enumerate(log):
        c = c.apply(sent_event, expected_version=c.version)
        for r in retries[sent : sent + 2]:
            if r <= i:
                c = c.apply(log[r], expected_version=0)  # stale version: still a no-op
        sent += 2
    assert c == expected
    assert c.version == len(_LOG) + 1


class _Store:
    """The smallest event store a backend would write: one claim by id, appends checked
    against the version the writer read, under a lock (the database's transaction)."""

    def __init__(self, claim: Claim) -> None:
        self._claims = {"c1": claim}
        self._lock = threading.Lock()

    def load(self, claim_id: str) -> Claim:
        with self._lock:
            return self._claims[claim_id]

    def append(self, claim_id: str, event: dict[str, object], expected_version: int) -> Claim:
        with self._lock:
            new = self._claims[claim_id].apply(event, expected_version=expected_version)
            self._claims[claim_id] = new
            return new


def test_two_writers_at_the_same_version_one_wins_nothing_is_lost() -> None:
    """Two threads read the claim at the same version and append different events: exactly
    one succeeds, the other gets ConcurrencyError; it reloads, re-checks and appends at the
    new version, and both events are in the stored claim, in order."""
    store = _Store(submitted().act("liability-response", on=date(2023, 5, 10),
                                   response="admit-part", percent=80))  # fmt: skip
    read = store.load("c1")
    barrier = threading.Barrier(2)
    events = {
        "claimant": {"kind": "interim-payment-requested", "on": "2023-05-11", "amount": "100",
                     "event_id": "w1"},
        "compensator": {"kind": "voluntary-interim-payment", "on": "2023-05-11",
                        "amount": "50", "event_id": "w2"},
    }  # fmt: skip
    outcome: dict[str, object] = {}

    def write(who: str) -> None:
        barrier.wait()
        try:
            outcome[who] = store.append("c1", events[who], read.version)
        except ConcurrencyError as err:
            outcome[who] = err

    threads = [threading.Thread(target=write, args=(who,)) for who in events]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    won = [who for who, o in outcome.items() if isinstance(o, Claim)]
    lost = [who for who, o in outcome.items() if isinstance(o, ConcurrencyError)]
    assert len(won) == 1
    assert len(lost) == 1
    err = outcome[lost[0]]
    assert isinstance(err, ConcurrencyError)
    assert (err.expected, err.current) == (read.version, read.version + 1)
    assert store.load("c1").version == read.version + 1
    fresh = store.load("c1")
    final = store.append("c1", events[lost[0]], fresh.version)
    assert final.version == read.version + 2
    assert [e.event_id for e in final.history[-2:]] == [events[won[0]]["event_id"],
                                                        events[lost[0]]["event_id"]]  # fmt: skip


def test_report_is_the_whole_assessment_as_a_value() -> None:
    """Claim.report(on) gathers what assess prints: the same next steps, payment,
    negotiation and limitation as the claim's own queries on that date."""
    c = _offers_both_ways()
    on = date(2023, 6, 9)
    r = c.report(on)
    assert isinstance(r, ClaimReport)
    assert r.payment == c.payment()
    assert r.next_steps == c.next_steps(on)
    data = json.loads(json.dumps(r.to_dict()))
    assert data["as_of"] == "2023-06-09"
    assert data["payment"]["total"] == "1840.00"
    assert data["negotiation"] == json.loads(json.dumps(c.negotiation.to_dict()))
    assert data["claim"]["history"] == [e.to_dict() for e in c.history]
    text = str(r)
    assert text.startswith("Claim assessed as at 2023-06-09: step offer")
    assert "£1,840.00" in text
    assert r._repr_html_().startswith('<p role="status"')
    assert c.report(on, injuries=Injuries(whiplash_months=8)).tariff is not None


def test_report_refuses_a_date_before_the_last_event_as_next_steps_does() -> None:
    """Guide 6.1: actions are in date order; a report as at a date before the last event is
    refused with the same error as next_steps for that date."""
    c = _offers_both_ways()
    with pytest.raises(RulesError) as by_steps:
        c.next_steps(date(2023, 6, 1))
    with pytest.raises(RulesError) as by_report:
        c.report(date(2023, 6, 1))
    assert str(by_report.value) == str(by_steps.value)


SERVICE_ERRORS = {
    "an append to a claim that has moved on": lambda: submitted().act(
        "liability-response", on=date(2023, 5, 10), response="deny", expected_version=0
    ),
    "an expected version below 0": lambda: submitted().act(
        "liability-response", on=date(2023, 5, 10), response="deny", expected_version=-1
    ),
    "an expected version that is a bool": lambda: submitted().act(
        "liability-response", on=date(2023, 5, 10), response="deny", expected_version=True
    ),
    "an event id that is a number": lambda: ClaimEvent.make(
        "denial-accepted", date(2023, 5, 10), event_id=5
    ),
    "an event id with a line break": lambda: ClaimEvent.make(
        "denial-accepted", date(2023, 5, 10), event_id="a\nb"
    ),
    "an event id used for another event": lambda: (
        submitted()
        .act("liability-response", on=date(2023, 5, 10), response="deny", event_id="x")
        .act("denial-accepted", on=date(2023, 5, 11), event_id="x")
    ),
    "an event id used twice in a replayed log": lambda: Claim.replay(
        [
            *[e.to_dict() for e in submitted().history],
            {"kind": "liability-response", "on": "2023-05-10", "response": "deny", "event_id": "x"},
            {"kind": "denial-accepted", "on": "2023-05-11", "event_id": "x"},
        ]
    ),
    "a payment for an offer number not made": lambda: _offers_both_ways().payment(offer=3),
    "a payment for an offer of the claimant not made": lambda: _offers_both_ways().payment(
        offer=2, party="claimant"
    ),
    "a payment for an offer number that is not a number": lambda: _offers_both_ways().payment(
        offer="1"
    ),  # type: ignore[arg-type]
    "a payment for an offer process not begun": lambda: _restarted_with_an_added_loss().payment(
        negotiation=3
    ),
    "a payment for an offer number not made in an earlier process": lambda: (
        _restarted_with_an_added_loss().payment(offer=2, negotiation=1)
    ),
    "a payment for the latest offer of a party with none": lambda: at_offer(admitted()).payment(
        party="claimant"
    ),
    "a payment for an unknown party": lambda: _offers_both_ways().payment(party="insurer"),
    "a report of a claim not submitted": lambda: Claim().report(date(2023, 5, 2)),
    "a report before the last event": lambda: submitted().report(date(2023, 5, 1)),
}


def test_every_service_refusal_matches_its_golden_file() -> None:
    """Every refusal of versions, event ids, payment by offer and report: type, field,
    reference, value and message, word for word (tests/golden/errors/claim-service.txt)."""
    golden_errors.check("claim-service", SERVICE_ERRORS)


@given(
    st.lists(st.tuples(st.integers(0, 400), st.integers(0, 400)), min_size=1, max_size=3),
    st.booleans(),
)
def test_an_earlier_offer_pays_what_it_paid_when_it_was_the_latest(
    rounds: list[tuple[int, int]], countered: bool
) -> None:
    """Property (guide 6.5.2, 6.5.5.1): offers alternate, the compensator's never lower and
    the claimant's never higher (6.5.3.1); ``payment(offer=N)`` of each party's offer N is
    exactly what the claim paid out for that party's latest offer just after N was made."""
    c = at_offer(admitted(80))
    day = date(2023, 6, 6)
    compensator, claimant = Decimal(1500), Decimal(6000)
    snapshots: list[tuple[str, int, Claim]] = []
    for n, (raised, cut) in enumerate(rounds, 1):
        compensator += raised
        c = c.act("offer", on=day, party="compensator", amount=compensator,
                  injury=compensator - 1500, items=[1000, 250, 250])  # fmt: skip
        snapshots.append(("compensator", n, c))
        day += timedelta(days=1)
        if n < len(rounds) or countered:  # a new offer answers the other side's
            claimant -= cut
            c = c.act("offer", on=day, party="claimant", amount=claimant,
                      injury=claimant - 1500, items=[1000, 250, 250])  # fmt: skip
            snapshots.append(("claimant", n, c))
            day += timedelta(days=1)
    for party, n, then in snapshots:
        assert c.payment(offer=n, party=party) == then.payment(party=party)
    assert c.payment(offer=len(rounds)) == c.payment()


@given(st.integers(-3, 30))
def test_only_the_current_version_is_expected(version: int) -> None:
    """Property: an append at the claim's own version goes through; at any other version
    (0 or more) it is a ConcurrencyError; below 0 it is refused as bad input."""
    c = admitted()  # version 2
    event = {"kind": "proceed-to-medical", "on": "2023-05-11"}
    if version == c.version:
        assert c.apply(event, expected_version=version).version == 3
    elif version >= 0:
        with pytest.raises(ConcurrencyError):
            c.apply(event, expected_version=version)
    else:
        with pytest.raises(RulesError) as err:
            c.apply(event, expected_version=version)
        assert not isinstance(err.value, ConcurrencyError)


# --- routes to court the claim must offer (issue 22; guide 6.3.1.4, 6.6.2, 6.6.3; PD 27B) ---


LIMIT = date(2026, 3, 1)  # FACTS' limitation date
WINDOW = date(2025, 9, 1)  # six months before it


def _routes(c: Claim, on: date) -> dict[str, CourtRoute]:
    return {r.issue.value: r for r in c.next_steps(on).routes}


def _claimant_may(c: Claim, on: date) -> tuple[str, ...]:
    return c.allowed_actions(on)[Party.CLAIMANT]


def _at_each_step() -> dict[str, Claim]:
    """One live claim at each portal step, its last event well before the window."""
    medical = admitted().act("proceed-to-medical", on=date(2023, 5, 20))
    offer = at_offer(admitted()).act("offer", on=date(2023, 6, 6), party="compensator", amount=10)
    return {
        "investigation": submitted(),
        "medical": medical,
        "offer": offer,
        "waiting out the prognosis": offer.act("wait-out-prognosis", on=date(2023, 6, 7)),
    }


@pytest.mark.parametrize("step", ["investigation", "medical", "offer", "waiting out the prognosis"])
def test_limitation_route_at_every_step_guide_5_4_6_6_3_1(step: str) -> None:
    """Guide 5.4, 6.6.3.1; PD 27B Section 9: whatever step the claim is in, from six months
    before the limitation date the claimant may start proceedings to protect it, without
    sending the court pack list first (6.6.3.3); the day before the window it is refused
    (too early), naming the rule, and next_steps says when it opens. The stayed proceedings
    do not end the portal claim: it stays at its step, with its business."""
    c = _at_each_step()[step]
    before = date(2025, 8, 31)
    assert "go-to-court" not in _claimant_may(c, before) or "limitation" not in _routes(c, before)
    assert "limitation" not in _routes(c, before)
    with pytest.raises(ProtocolViolation, match="6 months before it") as err:
        c.act("go-to-court", on=before, issue="limitation")
    assert err.value.reference == "guide 5.4, 6.6.3.1; PD 27B Section 9"
    notes = c.next_steps(before).notes
    assert any("from 2025-09-01 the claimant may start proceedings" in n for n in notes)
    assert "go-to-court" in _claimant_may(c, WINDOW)
    route = _routes(c, WINDOW)["limitation"]
    assert route.pd27b.section == "Section 9"
    assert route.pd27b.court_pack is None
    assert not route.court_pack_list_first
    assert "2026-03-01" in route.why
    assert "181 days away" in route.why
    step_before = c.step
    issued = c.act("go-to-court", on=WINDOW, issue="limitation")
    issued = issued.act("proceedings-issued", on=date(2025, 9, 2))  # no court pack list first
    assert issued.step is step_before  # stayed: the claim goes on in the portal
    assert not issued.on_hold
    assert issued.limitation_proceedings_on == date(2025, 9, 2)
    assert all(d.name != "limitation: issue court proceedings" for d in issued._open_deadlines())
    met = [d for d in issued.deadlines() if d.name == "limitation: issue court proceedings"]
    assert [(d.met_on, d.late) for d in met] == [(date(2025, 9, 2), False)]
    later = issued.next_steps(date(2025, 9, 3))
    assert any("stays them while the protocol is followed" in n for n in later.notes)
    assert "limitation" not in {r.issue.value for r in later.routes}
    with pytest.raises(ProtocolViolation, match="already been issued") as err:
        issued.act("go-to-court", on=date(2025, 9, 3), issue="limitation")
    assert err.value.reference == "guide 5.4, 6.6.3.1; PD 27B Section 9"
    # the portal business goes on: the compensator may still act as before
    assert (
        issued.allowed_actions(date(2025, 9, 3))[Party.COMPENSATOR]
        == c.allowed_actions(date(2025, 9, 3))[Party.COMPENSATOR]
    )
    assert replayed(issued) == issued


def test_limitation_route_after_the_date_and_after_the_claim_moved_on() -> None:
    """Guide 6.6.3.1, PD 27B para 9.2: proceedings to protect the limitation date are not
    started once it has passed (only the court can extend time, Limitation Act 1980 s.33);
    a claim closed by accepting the denial, or exited, offers no court route; the compensator
    never goes to court on the claimant's behalf."""
    c = submitted()
    with pytest.raises(ProtocolViolation, match="has passed") as err:
        c.act("go-to-court", on=date(2026, 3, 2), issue="limitation")
    assert err.value.reference == "guide 6.6.3.1; PD 27B para 9.2; Limitation Act 1980 s.33"
    assert "limitation" in _routes(c, LIMIT)  # the last day is still in time
    assert "limitation" not in _routes(c, date(2026, 3, 2))
    closed = _denied().act("denial-accepted", on=date(2023, 5, 11))
    assert _routes(closed, WINDOW) == {}
    with pytest.raises(ProtocolViolation, match="closed") as err:
        closed.act("go-to-court", on=WINDOW, issue="limitation")
    assert err.value.reference == "guide 6.6.1"
    out = submitted().act("portal-exit", on=ENTRY, party="claimant", reason="protected-party")
    assert _routes(out, WINDOW) == {}
    assert "go-to-court" not in c.allowed_actions(WINDOW)[Party.COMPENSATOR]
    assert ClaimEvent.make("go-to-court", WINDOW, issue="limitation").party is Party.CLAIMANT


def test_the_limitation_shortcut_for_another_question_needs_the_date_near() -> None:
    """Guide 6.6.3.3: the court pack list goes to the compensator first "unless you are
    starting court proceedings because of the 3-year limitation date": the shortcut is open
    in the same six months (docs/claim.md), and never for a settlement's questions."""
    c = _denied()
    with pytest.raises(ProtocolViolation, match="6 months before it"):
        c.act("go-to-court", on=date(2023, 5, 11), issue="liability", limitation=True)
    near = c.act("go-to-court", on=WINDOW, issue="liability", limitation=True)
    held = near.act("proceedings-issued", on=WINDOW)
    assert held.step is Step.ON_HOLD
    settled = _settled()
    with pytest.raises(ProtocolViolation, match="not started because of") as err:
        settled.act("go-to-court", on=WINDOW, issue="unpaid-settlement", limitation=True)
    assert err.value.reference == "guide 5.4, 6.6.3.1; PD 27B Section 9"
    assert LIMITATION_WINDOW_MONTHS == 6


def _settled_with_breakdown(*, cru: bool = False) -> Claim:
    c = at_offer(admitted())
    c = c.act(
        "offer",
        on=date(2023, 6, 6),
        party="compensator",
        amount="2500",
        injury="1000",
        items=["1000", "250", "250"],
    )
    return c.act("accept", on=date(2023, 6, 7), party="claimant", updated_cru_certificate=cru)


def test_unpaid_settlement_goes_to_court_for_the_balance_guide_6_6_2() -> None:
    """Guide 6.6.2: the compensator pays within 10 business days of acceptance. A payment
    says whether it is full or partial; a partial one leaves the balance owed, by the same
    date; once that date passes unpaid the claimant may go to court for the balance (court
    pack list first, guide 6.6.3.3); the settlement stands and the claim stays closed; the
    court's order on it is final."""
    c = _settled_with_breakdown()
    due = due_date(Period.PAYMENT, date(2023, 6, 7))
    total = c.payment().total
    assert c.settlement_balance == total == Decimal("2500.00")
    c = c.act("payment-made", on=date(2023, 6, 9), amount="1000", full=False)
    assert c.settlement_paid == Decimal("1000.00")
    assert c.settlement_balance == Decimal("1500.00")
    steps = c.next_steps(date(2023, 6, 12))
    assert [d.name for d in steps.of(Party.COMPENSATOR).deadlines] == ["payment of the settlement"]
    assert steps.deadlines[0].due == due
    assert any("balance £1,500.00 due by " + str(due) in n for n in steps.notes)
    # too early: the due date itself is still in time
    with pytest.raises(ProtocolViolation, match="only once that day has passed") as err:
        c.act("go-to-court", on=due, issue="unpaid-settlement")
    assert err.value.reference == "guide 6.6.2, 6.6.3.3"
    after = date.fromordinal(due.toordinal() + 1)
    assert "unpaid-settlement" not in _routes(c, due)
    route = _routes(c, after)["unpaid-settlement"]
    assert "a balance of £1,500.00 is unpaid" in route.why
    assert route.court_pack_list_first
    assert route.pd27b.section is None  # Table 27.1's row for it not read: unconfirmed
    assert "go-to-court" in _claimant_may(c, after)
    assert c.step is Step.CLOSED
    court = to_court(c, "unpaid-settlement", after)
    assert court.step is Step.CLOSED  # the settlement stands
    assert not court.on_hold
    # the compensator may still pay while the court decides
    assert "payment-made" in court.allowed_actions(date(2023, 7, 1))[Party.COMPENSATOR]
    won = court.act("court-determination", on=date(2023, 8, 1), for_claimant=True, amount="1500")
    assert won.decided_in_court == frozenset({CourtIssue.UNPAID_SETTLEMENT})
    assert "unpaid-settlement" not in _routes(won, date(2023, 8, 2))
    with pytest.raises(ProtocolViolation, match="court has decided") as err:
        won.act("go-to-court", on=date(2023, 8, 2), issue="unpaid-settlement")
    assert err.value.reference == "guide 6.6.1.1, 6.6.3.3"
    paid = won.act("payment-made", on=date(2023, 8, 3))
    assert paid.settlement_balance == Decimal("0")
    assert paid.settlement_paid == total
    assert [d.late for d in paid.deadlines() if d.name == "payment of the settlement"] == [True]
    assert replayed(paid) == paid


def test_payments_state_full_or_partial_and_add_up_guide_6_6_2() -> None:
    """Guide 6.6.2: each refusal names the payment rule: a partial payment gives its sum and
    is less than the balance; a full payment is the balance; nothing is paid twice; the
    claimant does not record the compensator's payment; the 30-day CRU period applies."""
    c = _settled_with_breakdown(cru=True)
    assert c.next_steps(date(2023, 6, 8)).deadlines[0].due == due_date(
        Period.PAYMENT_WITH_CRU, date(2023, 6, 7)
    )
    cases = [
        ({"full": False}, "states the sum paid"),
        ({"full": False, "amount": "2500"}, "whole balance"),
        ({"amount": "2400"}, "partial payment"),
        ({"amount": "2600"}, "full payment pays the balance"),
        ({"amount": "0", "full": False}, "pays something"),
    ]
    for fields, words in cases:
        with pytest.raises(ProtocolViolation, match=words) as err:
            c.act("payment-made", on=date(2023, 6, 8), **fields)
        assert err.value.reference == "guide 6.6.2", fields
    assert "payment-made" not in _claimant_may(c, date(2023, 6, 8))
    c = c.act("payment-made", on=date(2023, 6, 8), amount="500", full=False)
    c = c.act("payment-made", on=date(2023, 6, 9), amount="500", full=False)
    assert c.settlement_balance == Decimal("1500.00")
    c = c.act("payment-made", on=date(2023, 6, 10), amount="1500")
    assert c.settlement_balance == Decimal("0")
    with pytest.raises(ProtocolViolation, match="paid in full on 2023-06-10") as err:
        c.act("payment-made", on=date(2023, 6, 11), amount="1", full=False)
    assert err.value.reference == "guide 6.6.2"
    assert "unpaid-settlement" not in _routes(c, date(2023, 9, 1))


def test_a_settlement_without_breakdown_takes_payments_unchecked() -> None:
    """Guide 6.6.2: when the accepted offer gives no breakdown the sum paid cannot be worked
    out (guide 6.5.2), so a payment's amount is recorded as given and the balance is unknown
    (None), never guessed; the route to court still opens once the due date passes unpaid."""
    c = _settled()
    assert c.settlement_balance is None
    c = c.act("payment-made", on=date(2023, 6, 8), amount="3", full=False)
    assert c.settlement_balance is None
    assert any("balance unknown" in n for n in c.next_steps(date(2023, 6, 9)).notes)
    after = date.fromordinal(due_date(Period.PAYMENT, date(2023, 6, 7)).toordinal() + 1)
    assert "the settlement is unpaid" in _routes(c, after)["unpaid-settlement"].why


def test_rejected_fee_counter_offer_goes_to_court_alone_guide_6_5_3_2() -> None:
    """Guide 6.5.3.2, 6.6.2: once the compensator rejects the claimant's counter offer on
    fees, the fees go to court on their own ("proceedings for recovery of your fees"); the
    damages settlement stands: its payment is still due and recordable, and the claim stays
    closed. Before the rejection there is no such route."""
    c = _settled_with_breakdown()
    c = c.act("fee-offer", on=date(2023, 6, 8), party="compensator", amount=180)
    with pytest.raises(ProtocolViolation, match="counter offer on fees") as err:
        c.act("go-to-court", on=date(2023, 6, 9), issue="fees")
    assert err.value.reference == "guide 6.5.3.2, 6.6.2"
    c = c.act("fee-offer", on=date(2023, 6, 9), party="claimant", amount=250)
    c = c.act("fee-reject", on=date(2023, 6, 12), party="compensator")
    route = _routes(c, date(2023, 6, 13))["fees"]
    assert "the damages settlement stands" in route.why
    assert route.pd27b.key == "fees"
    court = to_court(c, "fees", date(2023, 6, 13))
    assert court.step is Step.CLOSED
    assert court.settlement_balance == Decimal("2500.00")
    assert any("settlement stands" in n for n in court.next_steps(date(2023, 6, 19)).notes)
    court = court.act("payment-made", on=date(2023, 6, 19))  # the main sum, regardless
    won = court.act("court-determination", on=date(2023, 9, 1), for_claimant=True, amount=250)
    assert won.settlement_balance == Decimal("0")
    assert won.decided_in_court == frozenset({CourtIssue.FEES})
    assert won._state.court_fees == Decimal("250.00")
    with pytest.raises(ProtocolViolation, match="court has decided"):
        won.act("go-to-court", on=date(2023, 9, 2), issue="fees")
    with pytest.raises(ProtocolViolation, match="at most a sum") as err:
        court.act("court-determination", on=date(2023, 9, 1), for_claimant=True, percent=50)
    assert err.value.reference == "guide 6.6.1.1, 6.6.3.3"


def _requested(amount: str = "200", item: int | None = 1) -> Claim:
    return admitted().act(
        "interim-payment-requested", on=date(2023, 5, 11), amount=amount, item=item
    )


INTERIM_DUE = due_date(Period.INTERIM_PAYMENT_RESPONSE, date(2023, 5, 11))
AFTER_DUE = date.fromordinal(INTERIM_DUE.toordinal() + 1)


def test_interim_agreed_and_paid_gives_no_route_guide_6_3_1_4() -> None:
    """Guide 6.3.1.4: an interim request agreed and paid settles its item; the court is
    never asked about it, before or after the 15 business days. The old form (agreed: true)
    means the same."""
    for fields in ({"agreed": True}, {"agreed": True, "answer": "agree-and-pay"}):
        c = _requested().act("interim-payment-response", on=date(2023, 5, 12), **fields)
        assert c.losses.items[1].paid
        assert "interim-payment" not in _routes(c, AFTER_DUE)
        assert "go-to-court" not in _claimant_may(c, AFTER_DUE)


def test_interim_agreed_not_yet_paid_then_court_section_8() -> None:
    """Guide 6.3.1.4: "does not pay an agreed sum": an agreement still to be paid is due in
    the request's 15 business days; until they pass there is no route; then the claimant
    may go to court for non-payment of an agreed interim payment (PD 27B Section 8). Paying
    it (interim-payment-made) settles the item and closes the route."""
    c = _requested().act(
        "interim-payment-response", on=date(2023, 5, 12), agreed=True, answer="agree-not-yet-paid"
    )
    assert not c.losses.items[1].paid
    assert [d.name for d in c.next_steps(date(2023, 5, 15)).of(Party.COMPENSATOR).deadlines] == [
        "payment of the agreed interim payment"
    ]
    assert "interim-payment" not in _routes(c, INTERIM_DUE)
    route = _routes(c, AFTER_DUE)["interim-payment"]
    assert (route.pd27b.section, route.pd27b.court_pack) == ("Section 8", "Appendix C Table G")
    assert "agreed an interim payment of £200.00" in route.why
    paid = c.act("interim-payment-made", on=AFTER_DUE)
    assert paid.losses.items[1].paid
    assert "interim-payment" not in _routes(paid, AFTER_DUE)
    with pytest.raises(ProtocolViolation, match="no agreed interim payment waiting") as err:
        paid.act("interim-payment-made", on=AFTER_DUE)
    assert err.value.reference == "guide 6.3.1.4"
    with pytest.raises(ProtocolViolation, match="the sum agreed"):
        c.act("interim-payment-made", on=AFTER_DUE, amount="150")
    assert "interim-payment-made" not in _claimant_may(c, AFTER_DUE)


@pytest.mark.parametrize(
    ("fields", "why"),
    [
        ({"agreed": False}, "refused the interim payment request"),
        ({"agreed": False, "answer": "refuse"}, "refused the interim payment request"),
        ({"agreed": True, "answer": "agree-in-part", "amount": "120"}, "only part"),
    ],
)
def test_interim_refused_or_part_agreed_goes_to_court_section_7(fields, why) -> None:
    """Guide 6.3.1.4; PD 27B Section 7 (application for interim payment): a refusal, or the
    refused part of an agreement in part, may go to the court at once (docs/claim.md); the
    part agreed is paid and settles its item."""
    c = _requested().act("interim-payment-response", on=date(2023, 5, 12), **fields)
    route = _routes(c, date(2023, 5, 13))["interim-payment"]
    assert why in route.why
    assert (route.pd27b.section, route.pd27b.court_pack) == ("Section 7", "Appendix C Table F")
    assert c.losses.items[1].paid is ("amount" in fields)


def test_interim_unanswered_goes_to_court_and_the_claim_returns_where_it_was() -> None:
    """Guide 6.3.1.4, 6.6.1.1: no answer in 15 business days opens the court route (PD 27B
    Section 7); the application puts the claim on hold; lost (or won) it returns to the step
    it was in with its deadlines, and the request decided is never taken to court again."""
    c = _first_report().act("interim-payment-requested", on=date(2023, 5, 26), amount="100")
    c = c.act(
        "further-report-requested", on=date(2023, 5, 26), justification="continuing-treatment"
    )
    c = c.act("further-report-acknowledged", on=date(2023, 5, 30))
    due = due_date(Period.INTERIM_PAYMENT_RESPONSE, date(2023, 5, 26))
    after = date.fromordinal(due.toordinal() + 1)
    assert _routes(c, after)["interim-payment"].pd27b.section == "Section 7"
    court = to_court(c, "interim-payment", after)
    assert court.step is Step.ON_HOLD
    back = court.act("court-determination", on=date(2023, 9, 1), for_claimant=False)
    assert back.step is Step.MEDICAL
    assert back.closed_because is None
    names = {d.name for d in back.next_steps(date(2023, 9, 1)).deadlines}
    assert "further medical report instructions" in names
    assert "interim-payment" not in _routes(back, date(2023, 9, 1))
    won = court.act("court-determination", on=date(2023, 9, 1), for_claimant=True, amount=100)
    assert won.step is Step.MEDICAL
    assert won.general_interim == Decimal("100.00")
    assert "interim-payment" not in _routes(won, date(2023, 9, 1))
    assert replayed(back) == back


def test_interim_amounts_beyond_the_item_or_the_claim_are_refused() -> None:
    """Guide 6.3.1.4: an interim payment for an item settles it, so no more than the item is
    asked; a general interim payment is offset against the final settlement, so general
    interims never come to more than the claim's value (injury plus protocol damages, the
    larger of the facts and the List of Losses); a request asks for a sum."""
    c = admitted()
    with pytest.raises(ProtocolViolation, match="more than the item's") as err:
        c.act("interim-payment-requested", on=date(2023, 5, 11), amount="250.01", item=2)
    assert err.value.reference == "guide 6.3.1.4"
    c.act("interim-payment-requested", on=date(2023, 5, 11), amount="250", item=2)
    value = Decimal(3000)  # FACTS: injury 1,500 + other protocol damages 1,500
    with pytest.raises(ProtocolViolation, match=r"claim's value of £3,000\.00") as err:
        c.act("interim-payment-requested", on=date(2023, 5, 11), amount=value + 1)
    assert err.value.reference == "guide 6.3.1.4"
    part = c.act("voluntary-interim-payment", on=date(2023, 5, 11), amount="2000")
    with pytest.raises(ProtocolViolation, match=r"£2,000\.00 so far"):
        part.act("interim-payment-requested", on=date(2023, 5, 12), amount="1000.01")
    part.act("interim-payment-requested", on=date(2023, 5, 12), amount="1000")
    with pytest.raises(ProtocolViolation, match="asks for a sum"):
        c.act("interim-payment-requested", on=date(2023, 5, 11), amount="0")


def test_interim_answers_are_consistent() -> None:
    """Guide 6.3.1.4: the answer and the agreed flag say the same thing; an agreement in
    part pays less than the request and more than nothing; an agreement still to be paid
    is for the sum requested."""
    c = _requested()
    cases = [
        ({"agreed": True, "answer": "refuse"}, "agreed is false"),
        ({"agreed": False, "answer": "agree-in-part", "amount": "10"}, "agreed is true"),
        ({"agreed": True, "answer": "agree-in-part"}, "less than the £200.00"),
        ({"agreed": True, "answer": "agree-in-part", "amount": "200"}, "less than the £200.00"),
        ({"agreed": True, "answer": "agree-not-yet-paid", "amount": "50"}, "sum requested"),
    ]
    for fields, words in cases:
        with pytest.raises(ProtocolViolation, match=words) as err:
            c.act("interim-payment-response", on=date(2023, 5, 12), **fields)
        assert err.value.reference == "guide 6.3.1.4"
    assert [a.agrees for a in InterimAnswer] == [True, True, True, False]


def test_part_admission_is_argued_within_the_valuation_guide_6_3_1_1() -> None:
    """Guide 6.3.1.1; PD 27B Table 27.1: a liability-only hearing is for a denial in full
    (Section 2); liability admitted in part, once the challenges are used up or the claimant
    moves on to the offer stage, is argued within the valuation of the claim (Section 4,
    court pack Table C), which opens with the compensator's first offer."""
    c = admitted(60)
    for day, percent in ((11, 70), (13, 80), (15, 90)):
        c = c.act("liability-challenge", on=date(2023, 5, day), percent=percent)
        c = c.act(
            "liability-response", on=date(2023, 5, day + 1), response="admit-part", percent=60
        )
    assert c.part_admission_challenges == MAX_PART_ADMISSION_CHALLENGES  # exhausted
    with pytest.raises(ProtocolViolation, match="within the valuation") as err:
        c.act("go-to-court", on=date(2023, 5, 17), issue="liability")
    assert err.value.reference == "guide 6.3.1.1; PD 27B Section 2, Section 4"
    assert "go-to-court" not in _claimant_may(c, date(2023, 5, 17))
    c = at_offer(c).act("offer", on=date(2023, 6, 6), party="compensator", amount=10)
    route = _routes(c, date(2023, 6, 7))["value"]
    assert (route.pd27b.section, route.pd27b.court_pack) == ("Section 4", "Appendix C Table C")
    assert "admitted only in part (60%)" in route.why
    assert "liability" not in _routes(c, date(2023, 6, 7))
    full = at_offer(admitted()).act("offer", on=date(2023, 6, 6), party="compensator", amount=10)
    assert _routes(full, date(2023, 6, 7))["value"].pd27b.section == "Section 3"


def test_non_protocol_vehicle_costs_value_the_claim_under_section_5() -> None:
    """Guide 6.6.3.2; PD 27B Section 5 (Table D): with unsettled non-protocol vehicle costs
    on the List of Losses the value goes to court under Section 5."""
    losses = ListOfLosses(
        items=[
            LossItem("property-repairs", 900, paid_by="insurer"),
            LossItem("property-excess", 250),
        ]
    )
    c = Claim().act("submitted", on=ENTRY, facts=FACTS, whiplash=True, losses=losses)
    c = c.act("liability-response", on=date(2023, 5, 10), response="admit-full")
    c = at_offer(c).act("offer", on=date(2023, 6, 6), party="compensator", amount=10)
    route = _routes(c, date(2023, 6, 7))["value"]
    assert (route.pd27b.section, route.pd27b.court_pack) == ("Section 5", "Appendix C Table D")
    assert "non-protocol vehicle costs" in route.why


def test_court_determinations_are_final_as_a_class_guide_6_6_1_1() -> None:
    """Guide 6.6.1.1: the court's determination is final for what it decided: liability is
    not taken to court again (even "because of limitation"), nor answered or challenged
    again; a valued claim is closed; an interim request decided, an unpaid settlement
    ordered and fees decided are never reopened (see the walks above)."""
    found = _claim_found_after_denial()
    assert "liability" not in _routes(found, WINDOW)
    for fields in ({"issue": "liability"}, {"issue": "liability", "limitation": True}):
        with pytest.raises(ProtocolViolation, match="court has") as err:
            found.act("go-to-court", on=WINDOW, **fields)
        assert err.value.reference == "guide 6.6.1.1, 6.6.3.3"
    assert found.decided_in_court == frozenset({CourtIssue.LIABILITY})
    valued = _court("value").act("court-determination", on=LATER, for_claimant=True, amount=900)
    assert _routes(valued, LATER) == {}
    assert valued.allowed_actions(LATER) == {Party.CLAIMANT: (), Party.COMPENSATOR: ()}


def test_every_route_cites_pd_27b_and_the_guide() -> None:
    """PD 27B para 1.3 (Table 27.1), Appendix C: every type of case the claim maps to has a
    reference that resolves against the sources registry; the route's reference resolves
    too; what is unconfirmed is marked so."""
    for key, section in PD27B_SECTIONS.items():
        assert section.key == key
        assert resolve(section.reference)[0].source.id == "cpr-pd-27b"
        data = section.to_dict()
        assert data["reference"] == section.reference
        if section.section is None:
            assert section.confidence.value == "unconfirmed"
            assert "UNCONFIRMED" in section.note
    c = _requested().act("interim-payment-response", on=date(2023, 5, 12), agreed=False)
    steps = c.next_steps(date(2023, 5, 13))
    for route in steps.routes:
        resolve(route.reference)
        assert route.to_dict()["pd27b"]["section"] == route.pd27b.section
        assert str(route).startswith(f"go-to-court ({route.issue.value}): ")
    data = steps.to_dict()
    assert [r["issue"] for r in data["court_routes"]] == ["interim-payment"]
    assert "route to court: go-to-court (interim-payment)" in str(steps)
    assert "PD 27B Section 7" in steps._repr_html_()
    assert c.court_routes(date(2023, 5, 13)) == steps.routes


def test_an_interim_request_taken_to_court_is_not_answered_again() -> None:
    """Guide 6.6.1.1: once an unanswered interim request is taken to court, the court's
    order decides it: the compensator does not answer it on the portal afterwards, its
    response deadline stops, and a new request is answered as usual."""
    c = _requested()
    court = to_court(c, "interim-payment", AFTER_DUE)
    later = date.fromordinal(AFTER_DUE.toordinal() + 3)
    assert "interim payment response" not in {d.name for d in court._open_deadlines()}
    back = court.act("court-determination", on=later, for_claimant=False)
    assert "interim payment response" not in {d.name for d in back.next_steps(later).deadlines}
    assert "interim-payment-response" not in back.allowed_actions(later)[Party.COMPENSATOR]
    with pytest.raises(ProtocolViolation, match="taken to court") as err:
        back.act("interim-payment-response", on=later, agreed=True)
    assert err.value.reference == "guide 6.6.1.1, 6.6.3.3"
    again = back.act("interim-payment-requested", on=later, amount="50", item=2)
    again = again.act("interim-payment-response", on=later, agreed=True)
    assert again.losses.items[2].paid


# --- issue 22 (h4): liability at the offer stage, medical evidence, causation, withdrawal --


def _offer(c: Claim, on: date, party: str, amount: str, **extra: object) -> Claim:
    """An offer valuing the injury at ``amount`` less the three LOSSES items (1000, 250, 250)."""
    injury = str(Decimal(amount) - 1500)
    return c.act(
        "offer",
        on=on,
        party=party,
        amount=amount,
        injury=injury,
        items=["1000", "250", "250"],
        **extra,
    )


def test_guide_6_3_1_1_an_accepted_offer_on_a_negotiated_split_pays_the_sum_agreed() -> None:
    """Guide 6.3.1.1, 6.5.2, 6.5.3: liability may be dealt with at the offer stage. After an
    80% admission the claimant offers £3,000 on 100% liability; the compensator accepts:
    £3,000 is paid less only what the law requires (an interim payment of £100 for the
    excess, guide 6.5.2.1), not the step-2 split (£2,400)."""
    c = admitted(80)
    c = c.act("voluntary-interim-payment", on=date(2023, 5, 15), amount=100, item=1)
    c = at_offer(c)
    c = _offer(c, date(2023, 6, 20), "compensator", "2500", tariff="whiplash")
    assert c.payment().total == Decimal("1900.00")  # 2,500 at 80%, less the £100 interim
    assert "as admitted at step 2" in (c.payment().liability_basis or "")
    assert "offer" in c.allowed_actions(date(2023, 6, 21))[Party.CLAIMANT]
    c = _offer(c, date(2023, 6, 21), "claimant", "3000", tariff="whiplash", liability_percent=100)
    assert c.negotiation.latest_offer(Party.CLAIMANT).liability_percent == 100  # explicit
    assert "accept" in c.allowed_actions(date(2023, 6, 22))[Party.COMPENSATOR]
    c = c.act("accept", on=date(2023, 6, 22), party="compensator")
    pay = c.payment()
    assert pay.total == Decimal("2900.00")
    assert pay.breakdown.claimant_liability_percent == 0
    assert pay.liability_basis is not None
    assert "as negotiated in the offer (admitted at step 2: 80%)" in pay.liability_basis
    assert pay.to_dict()["liability_basis"] == pay.liability_basis
    assert "Liability: 100% to the compensator" in str(pay)
    assert "Settled on 100% liability to the compensator" in str(c.explain())
    steps = c.next_steps(date(2023, 6, 23))
    assert steps.of(Party.COMPENSATOR).actions == ("fee-offer", "payment-made")
    assert [d.name for d in steps.deadlines] == ["payment of the settlement"]
    assert replayed(c) == c


def test_an_offer_without_a_split_is_made_on_the_admitted_one() -> None:
    """Guide 6.3.1.1, 6.5.2: "If you accept this, a deduction of 50% will be made to any
    offer": a compensator's offer that states no split is made on the admitted one (the
    default; a claimant's is the sum it names, see the issue-example test below)."""
    c = at_offer(admitted(50))
    c = _offer(c, date(2023, 6, 20), "compensator", "2000", tariff="whiplash")
    c = c.act("accept", on=date(2023, 6, 21), party="claimant")
    assert c.payment().total == Decimal("1000.00")
    assert c.negotiation.settled_offer.liability_percent == 50
    assert c.negotiation.settled_offer.worth == Decimal("1000.00")


def test_offers_are_compared_by_their_worth_after_the_split() -> None:
    """Guide 6.5.3.1 with 6.3.1.1: the compensator's new offer may not be worth less than its
    last; one on a higher share is higher even if its amount is lower (£1,900 on 100%
    after £2,000 on 80%), and one on the admitted split worth less is refused."""
    c = at_offer(admitted(80))
    c = _offer(c, date(2023, 6, 20), "compensator", "2000", tariff="whiplash")
    c = _offer(c, date(2023, 6, 21), "claimant", "4000", tariff="whiplash")
    up = _offer(
        c, date(2023, 6, 22), "compensator", "1900", tariff="whiplash", liability_percent=100
    )
    assert up.negotiation.latest_offer(Party.COMPENSATOR).worth == Decimal("1900.00")
    with pytest.raises(ProtocolViolation, match=r"worth £1,600\.00") as err:
        _offer(c, date(2023, 6, 22), "compensator", "1950", tariff="whiplash", liability_percent=82)
    assert err.value.reference == "guide 6.5.3.1"


def test_offer_liability_refusals_name_their_rule() -> None:
    """An offer is never made below the admitted share, nor away from a court's share
    (guide 6.3.1.1, 6.6.1.1); a share of 0 is not an offer."""
    c = at_offer(admitted(80))
    with pytest.raises(ProtocolViolation, match="at least the 80% it admitted") as err:
        _offer(c, date(2023, 6, 20), "compensator", "2000", liability_percent=70)
    assert err.value.reference == "guide 6.3.1.1, 6.5.2, 6.5.3"
    assert err.value.field == "liability_percent"
    with pytest.raises(RulesError, match="more than 0 percent"):
        _offer(c, date(2023, 6, 20), "compensator", "2000", liability_percent=0)
    with pytest.raises(RulesError, match="above 100"):
        _offer(c, date(2023, 6, 20), "compensator", "2000", liability_percent=101)
    court = _claim_found_after_denial(90)  # the court's determination on 2023-09-01
    court = court.act("proceed-to-medical", on=date(2023, 9, 2))
    court = court.act("medical-report-received", on=date(2023, 9, 3), report="first")
    court = court.act("medical-report-shared", on=date(2023, 9, 4))
    court = court.act("offer-requested", on=date(2023, 9, 5))
    with pytest.raises(ProtocolViolation, match="court determined") as err:
        _offer(court, date(2023, 9, 20), "compensator", "2000", liability_percent=100)
    assert err.value.reference == "guide 6.6.1.1"
    ok = _offer(court, date(2023, 9, 20), "compensator", "2000", liability_percent=90)
    ok = ok.act("accept", on=date(2023, 9, 21), party="claimant")
    assert "as the court determined" in (ok.payment().liability_basis or "")


def test_guide_6_4_2_2_the_claimant_obtains_their_own_further_report() -> None:
    """Guide 6.4.2.2, 6.4.2.3: "you can obtain your own independent medical report and not
    involve the compensator"; without a justification it may be relied on, but its fee may
    not be recoverable. Also after the compensator objects to a request."""
    first = admitted().act("proceed-to-medical", on=date(2023, 5, 20))
    assert (
        "own-further-report-obtained"
        not in first.allowed_actions(date(2023, 5, 21))[Party.CLAIMANT]
    )
    first = first.act("medical-report-received", on=date(2023, 5, 25), report="first")
    allowed = first.allowed_actions(date(2023, 5, 26))
    assert "own-further-report-obtained" in allowed[Party.CLAIMANT]
    assert "own-further-report-obtained" not in allowed[Party.COMPENSATOR]
    own = first.act("own-further-report-obtained", on=date(2023, 6, 1), prognosis_months=12)
    assert own.own_further_reports == 1
    assert own.unreliable_further_reports == 0  # it may be relied on
    assert own.prognosis_months == 12
    notes = own.next_steps(date(2023, 6, 2)).notes
    assert any("fee may not be recoverable [guide 6.4.2.2, 6.4.2.3]" in n for n in notes)
    own = own.act("medical-report-shared", on=date(2023, 6, 2))  # both reports shared
    assert "offer-requested" in own.allowed_actions(date(2023, 6, 4))[Party.CLAIMANT]
    objected = first.act("further-report-requested", on=date(2023, 5, 26))
    with pytest.raises(ProtocolViolation, match="with the compensator") as err:
        objected.act("own-further-report-obtained", on=date(2023, 5, 27))
    assert err.value.reference == "guide 6.4.2.2, 6.4.2.3"
    objected = objected.act("further-report-objected", on=date(2023, 5, 29))
    mine = objected.act(
        "own-further-report-obtained", on=date(2023, 6, 5), justification="continuing-treatment"
    )
    assert mine.to_dict()["own_further_report_fees_not_recoverable"] == 0
    assert (
        "further-report-acknowledged"
        not in mine.allowed_actions(date(2023, 6, 6))[Party.COMPENSATOR]
    )
    assert replayed(mine) == mine


def test_own_further_report_refusals() -> None:
    """Too early (no first report), and at the offer stage (then the prognosis is waited out,
    guide 6.5.3.1); the message names the rule."""
    with pytest.raises(ProtocolViolation, match="follows a first report") as err:
        admitted().act("own-further-report-obtained", on=date(2023, 5, 20))
    assert err.value.reference == "guide 6.4.2.2, 6.4.2.3"
    with pytest.raises(ProtocolViolation, match="waiting out the prognosis") as err:
        at_offer(admitted()).act("own-further-report-obtained", on=date(2023, 6, 6))
    assert err.value.reference == "guide 6.5.3.1 (wait out prognosis)"


def test_guide_6_5_3_1_an_agreed_whiplash_finding_cannot_be_reopened() -> None:
    """Guide 6.5.3.1: "Once agreement is reached on this point, you will not have further
    opportunity to challenge whether there is a whiplash injury in the portal"; the tariff
    itself may still be disputed."""
    c = at_offer(admitted())
    c = _offer(c, date(2023, 6, 20), "compensator", "2000", tariff="whiplash")
    assert c.whiplash_agreed is None
    c = _offer(c, date(2023, 6, 21), "claimant", "3000", tariff="whiplash-psychological")
    assert c.whiplash_agreed is True
    assert any(
        "agree there is a whiplash injury" in n for n in c.next_steps(date(2023, 6, 22)).notes
    )
    with pytest.raises(ProtocolViolation, match="cannot be challenged again") as err:
        _offer(c, date(2023, 6, 22), "compensator", "2000", tariff="none")
    assert err.value.reference == "guide 6.5.3.1 (whiplash injury agreed)"
    assert err.value.field == "tariff"
    c = _offer(c, date(2023, 6, 22), "compensator", "2100", tariff="whiplash-psychological")
    with pytest.raises(ProtocolViolation, match="agreed there is a whiplash injury"):
        _offer(c, date(2023, 6, 23), "claimant", "2900", tariff="none")
    none = at_offer(admitted())
    none = _offer(none, date(2023, 6, 20), "compensator", "2000", tariff="none")
    none = _offer(none, date(2023, 6, 21), "claimant", "3000", tariff="none")
    assert none.whiplash_agreed is False
    with pytest.raises(ProtocolViolation, match="agreed there is no whiplash injury"):
        _offer(none, date(2023, 6, 22), "compensator", "2000", tariff="whiplash")
    assert replayed(c).whiplash_agreed is True


def _long(months: int = 30) -> Claim:
    c = admitted().act("proceed-to-medical", on=date(2023, 5, 20))
    c = c.act(
        "medical-report-received", on=date(2023, 5, 25), report="first", prognosis_months=months
    )
    c = c.act("medical-report-shared", on=date(2023, 5, 26))
    return c.act("offer-requested", on=date(2023, 6, 5))


def test_guide_6_4_2_a_prognosis_over_24_months_is_flagged_everywhere() -> None:
    """Guide 6.4.2, 6.4.2.2 (CLA 2018 s.3): a prognosis over 24 months is flagged on every
    output that values the claim (next steps, explain, to_dict, the payment); the
    compensator's whiplash tariff offer on it is refused (tariff 'none' is accepted); the
    claimant may still withdraw."""
    c = _long()
    assert c.long_prognosis
    assert c.prognosis_months == 30
    flag = "prognosis of 30 months, more than 24"
    assert any(flag in n for n in c.next_steps(date(2023, 6, 6)).notes)
    assert flag in str(c.explain())
    assert c.to_dict()["long_prognosis"] is True
    assert "claim-withdrawn" in c.allowed_actions(date(2023, 6, 6))[Party.CLAIMANT]
    with pytest.raises(ProtocolViolation, match="outside the tariff") as err:
        _offer(c, date(2023, 6, 20), "compensator", "2000", tariff="whiplash")
    assert err.value.reference == "guide 6.4.2, 6.4.2.2; Civil Liability Act 2018 s.3"
    c = _offer(c, date(2023, 6, 20), "compensator", "2000", tariff="none")
    pay = c.payment()
    assert any(flag in n for n in pay.notes())
    assert flag in str(pay)
    assert not _long(24).long_prognosis
    assert _offer(_long(24), date(2023, 6, 20), "compensator", "2000", tariff="whiplash")


def test_guide_6_5_4_a_causation_dispute_is_never_a_dead_end() -> None:
    """Guide 6.3.1.2, 6.5.4, 6.6.2.1: with fault admitted but causation disputed the claimant
    may proceed to medical or not go on; after the dispute notice they may take the offer
    for the other losses, or continue with the injury claim by leaving the portal for
    court, both offered by allowed_actions and named in next_steps."""
    c = submitted().act(
        "liability-response", on=date(2023, 5, 10), response="admit-fault-dispute-causation"
    )
    early = c.next_steps(date(2023, 5, 11))
    assert "proceed-to-medical" in early.of(Party.CLAIMANT).actions
    assert "claim-withdrawn" in early.of(Party.CLAIMANT).actions
    assert any("proceed to medical" in n for n in early.notes)
    c = at_offer(c).act("injury-dispute-notice", on=date(2023, 6, 20))
    steps = c.next_steps(date(2023, 6, 21))
    assert "portal-exit" in steps.of(Party.CLAIMANT).actions
    route = [n for n in steps.notes if n.endswith("[guide 6.3.1.2, 6.5.4, 6.6.2.1]")]
    assert route
    assert "continue with the injury claim" in route[0]
    # route 1: the offer for the other losses only, accepted: a final settlement (6.5.4)
    other = c.act(
        "offer",
        on=date(2023, 6, 21),
        party="compensator",
        amount="1500",
        injury="0",
        items=["1000", "250", "250"],
        tariff="none",
    )
    assert other.causation == "notified"
    settled = other.act("accept", on=date(2023, 6, 22), party="claimant")
    assert settled.payment().total == Decimal("1500.00")
    # route 2: continue with the injury claim: out of the portal, to court
    out = c.act("portal-exit", on=date(2023, 6, 22), party="claimant", reason="causation-disputed")
    assert out.step is Step.EXITED
    after = out.next_steps(date(2023, 6, 23))
    assert after.of(Party.CLAIMANT).actions == ()
    assert any("court proceedings are likely the next step" in n for n in after.notes)
    assert any("Civil Procedure Rules" in n and "no longer apply" in n for n in after.notes)
    assert "limitation: issue court proceedings" in [d.name for d in after.deadlines]


def test_guide_6_1_withdraw_this_claim_at_any_step() -> None:
    """Guide 6.1 ('Withdraw this claim'), 6.4.2, 6.4.2.2: the claimant may withdraw the claim
    from the portal at any step; nothing more happens on it, the limitation date still shows,
    and next_steps says what happens next and which rules now govern."""
    for claim, on in (
        (submitted(), date(2023, 5, 3)),
        (admitted(75), date(2023, 5, 11)),
        (at_offer(admitted()), date(2023, 6, 6)),
    ):
        assert "claim-withdrawn" in claim.allowed_actions(on)[Party.CLAIMANT]
        assert "claim-withdrawn" not in claim.allowed_actions(on)[Party.COMPENSATOR]
        out = claim.act("claim-withdrawn", on=on, reasons="seeking advice")
        assert out.step is Step.WITHDRAWN
        assert out.withdrawn_on == on
        steps = out.next_steps(on)
        assert steps.of(Party.CLAIMANT).actions == steps.of(Party.COMPENSATOR).actions == ()
        assert [d.name for d in steps.deadlines] == ["limitation: issue court proceedings"]
        note = next(n for n in steps.notes if n.startswith("The claimant withdrew"))
        assert "no longer apply" in note
        assert "Civil Procedure Rules" in note
        assert note in str(out.explain())
        assert "Note: The claimant withdrew" in str(steps)
        assert steps.to_dict()["notes"] == list(steps.notes)
        assert replayed(out) == out


def test_withdrawal_refusals_name_their_rule() -> None:
    """After withdrawing, every action is refused (guide 6.1, 6.4.2); a settled claim is
    closed and cannot be withdrawn (6.6.1); a claim on hold is withdrawn in the court
    proceedings, not the portal (6.6.1.1); an exited one has left (6.6.2.1)."""
    out = submitted().act("claim-withdrawn", on=date(2023, 5, 3))
    for kind, fields in (("claim-withdrawn", {}), ("liability-response", {"response": "deny"})):
        with pytest.raises(ProtocolViolation, match="withdrew the claim") as err:
            out.act(kind, on=date(2023, 5, 4), **fields)
        assert err.value.reference.startswith("guide 6.1 (claim overview")
    c = _offer(at_offer(admitted()), date(2023, 6, 20), "compensator", "2000", tariff="whiplash")
    c = c.act("accept", on=date(2023, 6, 21), party="claimant")
    with pytest.raises(ProtocolViolation, match="closed") as err:
        c.act("claim-withdrawn", on=date(2023, 6, 22))
    assert err.value.reference == "guide 6.6.1"
    held = admitted().act("interim-payment-requested", on=date(2023, 5, 11), amount=100)
    held = to_court(held, "interim-payment", date(2023, 7, 1))
    with pytest.raises(ProtocolViolation, match="on hold") as err:
        held.act("claim-withdrawn", on=date(2023, 7, 5))
    assert err.value.reference == "guide 6.6.1.1"
    gone = submitted().act(
        "portal-exit", on=date(2023, 5, 3), party="claimant", reason="protected-party"
    )
    with pytest.raises(ProtocolViolation, match="left the portal"):
        gone.act("claim-withdrawn", on=date(2023, 5, 4))


@pytest.mark.parametrize("reason", ["revalued-over-limits", "protected-party"])
def test_every_exit_says_what_happens_next(reason: str) -> None:
    """Guide 6.6.2.1: after an exit, next_steps and explain say what happens next (the
    reason's own next steps) and which rules now govern, with the reason's reference."""
    out = submitted().act("portal-exit", on=date(2023, 5, 3), party="claimant", reason=reason)
    exit_reason = ExitReason(reason)
    note = next(n for n in out.next_steps(date(2023, 5, 4)).notes if "left the portal" in n)
    assert exit_reason.next_steps in note
    assert note.endswith(f"[{exit_reason.reference}]")
    assert note in str(out.explain())


@pytest.mark.parametrize(
    ("represented", "words"),
    [
        (True, "the representative obtains the first medical report"),
        (False, "the portal arranges the first medical report"),
        (None, None),
    ],
)
def test_guide_5_3_1_who_arranges_the_first_report(
    represented: bool | None, words: str | None
) -> None:
    """Guide 5.3.1, 6.1 (step 3), 6.4.1: unrepresented, the portal arranges the first report
    via MedCo and the compensator pays; represented, the representative arranges it.
    Not stated: no note (the behaviour before `represented` existed)."""
    facts = evolve(FACTS, represented=represented)
    c = Claim().submit(facts, on=ENTRY, whiplash=True)
    assert c.represented is represented
    assert c.to_dict()["represented"] is represented
    notes = c.next_steps(date(2023, 5, 3)).notes
    if words is None:
        assert not any("first medical report" in n for n in notes)
    else:
        assert any(words in n for n in notes)
    reported = c.act("liability-response", on=date(2023, 5, 10), response="admit-full")
    reported = reported.act("proceed-to-medical", on=date(2023, 5, 11))
    reported = reported.act("medical-report-received", on=date(2023, 5, 20), report="first")
    assert not any(
        "first medical report" in n for n in reported.next_steps(date(2023, 5, 21)).notes
    )


def test_today_refuses_an_event_dated_after_it() -> None:
    """A mistyped year would freeze a live claim (every later action must be dated after
    it): apply/act/replay with today= refuse an event dated after today, naming the rule;
    without today the behaviour is as before."""
    c = submitted()
    future = ClaimEvent.make("liability-response", date(2033, 5, 10), response="admit-full")
    with pytest.raises(RulesError, match=r"dated after today \(2023-05-10\)") as err:
        c.apply(future, today=date(2023, 5, 10))
    assert err.value.field == "on"
    assert (
        err.value.reference
        == "an action is recorded on or before the date the caller stands on (guide 6.1)"
    )
    assert c.apply(future).liability is LiabilityResponse.ADMIT_FULL  # no today: as before
    assert c.act(
        "liability-response", on=date(2023, 5, 10), today=date(2023, 5, 10), response="deny"
    )
    with pytest.raises(RulesError, match="dated after today"):
        c.act("liability-response", on=date(2023, 5, 11), today=date(2023, 5, 10), response="deny")
    events = [e.to_dict() for e in admitted().history]
    with pytest.raises(RulesError) as err:
        Claim.replay(events, today=date(2023, 5, 9))
    assert err.value.field == "events[1].on"
    assert Claim.replay(events, today=date(2023, 5, 10)) == admitted()
    with pytest.raises(RulesTypeError):
        c.apply(future, today="2023-05-10")  # type: ignore[arg-type]


def test_an_offer_on_a_negotiated_share_leaves_the_next_offer_open() -> None:
    """allowed_actions never hides a route the guide gives (issue 22): after the compensator
    offers on 100% liability (admitted 80%), it may still offer again, and apply agrees."""
    c = at_offer(admitted(80))
    c = _offer(c, date(2023, 6, 20), "compensator", "2000", liability_percent=100)
    c = c.act("reject", on=date(2023, 6, 21), party="claimant")
    assert "offer" in c.allowed_actions(date(2023, 6, 22))[Party.COMPENSATOR]
    assert _offer(c, date(2023, 6, 22), "compensator", "2500")  # worth £2,000 on 80%: equal
    with pytest.raises(ProtocolViolation, match=r"worth £1,920\.00"):
        _offer(c, date(2023, 6, 22), "compensator", "2400")


def test_replay_bounds_the_number_of_events() -> None:
    """A claim file of more than MAX_LIST_ITEMS (100,000) events is refused before any is
    read (the shared list bound; issue 24)."""
    with pytest.raises(RulesError, match="at most 100,000 items"):
        Claim.replay([{}] * 100_001)


# === issue 24: linear replay, snapshots, JSON readers (h12-replay) ====================


from hypothesis import given  # noqa: E402

from rtaprotocol._persistent import Vec  # noqa: E402
from rtaprotocol.errors import InputError, InvalidJSON  # noqa: E402
from rtaprotocol.json import dumps as canonical_dumps  # noqa: E402
from rtaprotocol.json import loads as safe_loads  # noqa: E402
from rtaprotocol.losses import LossType  # noqa: E402


def _same_answer(ask: object) -> object:
    """Return what a query answers: its value, or the refusal's class and message."""
    try:
        value = ask()  # type: ignore[operator]
    except RulesError as err:
        return (type(err).__name__, str(err))
    return value.to_dict() if hasattr(value, "to_dict") else value


def _answers(c: Claim, on: date) -> list[object]:
    """Every query of a claim on ``on`` (and its undated views), JSON-comparable."""
    return [
        c.version,
        c.history,
        c.step,
        c.past_negotiations,
        c.deadlines(),
        _same_answer(lambda: c.deadlines(on)),
        _same_answer(lambda: c.overdue(on)),
        _same_answer(lambda: c.allowed_actions(on)),
        _same_answer(lambda: c.next_steps(on)),
        _same_answer(lambda: c.court_routes(on)),
        _same_answer(c.payment),
        _same_answer(lambda: c.payment(offer=1)),
        _same_answer(lambda: c.payment(party="claimant")),
        _same_answer(lambda: c.payment(negotiation=1)),
        _same_answer(lambda: c.report(on)),
        c.explain().to_dict(),
        c.to_dict(),
        str(c),
        c.settlement_balance,
        c.limitation_deadline,
    ]


class SnapshotMachine(ClaimMachine):
    """Issue 24: for random claims (the streams of ClaimMachine),
    ``from_snapshot(loads(dumps(c.snapshot()))) == c == Claim.replay(c.history)`` and every
    query answers the same on the restored claim as on the replayed one."""

    def allowed_actions_agree_with_apply(self) -> None:  # checked by ClaimMachine itself
        """Not repeated here (no @invariant): ClaimMachine checks it."""

    @invariant()
    def snapshot_restores_the_replayed_claim(self) -> None:
        """The snapshot restores an equal claim, state and answers included."""
        c = self.claim
        assert Claim.replay(c.history, calendar=c.calendar) == c
        # Answers are compared with the claim a backend replays from stored JSON: an event
        # built in Python keeps the digits it was given (percent=25 shows as 25%, read
        # from JSON as 25.00%), so views of `c` itself may differ in those digits only.
        # The snapshot is taken of that replayed claim, as a backend takes it.
        stored = safe_loads(canonical_dumps([e.to_dict() for e in c.history]))
        replayed = Claim.replay(stored, calendar=c.calendar)
        assert Claim.from_snapshot(canonical_dumps(c.snapshot())) == c
        text = canonical_dumps(replayed.snapshot())
        restored = Claim.from_snapshot(safe_loads(text))
        assert restored == c == replayed
        assert restored._state == replayed._state
        assert restored.negotiation._state == replayed.negotiation._state
        on = date.fromordinal(self.day + 1)
        assert _answers(restored, on) == _answers(replayed, on)
        assert canonical_dumps(restored.snapshot()) == text  # same claim, same bytes
        assert Claim.from_snapshot(text, verify=True) == c
        assert Claim.from_json(text) == c
        assert Claim.from_json(canonical_dumps(c.to_dict())) == c
        events = Claim.from_json(canonical_dumps([e.to_dict() for e in c.history]))
        assert events.history == c.history  # a bare list of events carries no calendar


SnapshotMachine.TestCase.settings = settings(
    max_examples=min(12, settings.default.max_examples),
    stateful_step_count=25 if settings.default.max_examples >= 40 else 10,
)
TestSnapshotMachine = SnapshotMachine.TestCase


def _long_claim() -> Claim:
    """An offer process restarted, interims in every state, a further report, settled."""
    c = admitted()
    c = c.act("interim-payment-requested", on=date(2023, 5, 11), amount=100)
    c = c.act("interim-payment-requested", on=date(2023, 5, 11), amount=50)
    c = c.act("interim-payment-response", on=date(2023, 5, 12), agreed=False)
    c = c.act(
        "interim-payment-response", on=date(2023, 5, 12), agreed=True, answer="agree-not-yet-paid"
    )
    c = c.act("interim-payment-made", on=date(2023, 5, 15), event_id="pay-1")
    c = at_offer(c)
    c = c.act(
        "offer",
        on=date(2023, 6, 6),
        party="compensator",
        amount=2500,
        injury=1000,
        items=["1000", "250", "250"],
        tariff="whiplash",
    )
    c = c.act("wait-out-prognosis", on=date(2023, 6, 7))
    c = c.act("prognosis-outcome", on=date(2023, 6, 8), outcome="further-losses")
    c = c.act("offer-requested", on=date(2023, 6, 9))
    c = c.act(
        "offer",
        on=date(2023, 6, 10),
        party="compensator",
        amount=2600,
        injury=1100,
        items=["1000", "250", "250"],
        tariff="whiplash",
    )
    return c.act("accept", on=date(2023, 6, 11), party="claimant", event_id="accept-1")


def test_snapshot_round_trip_of_a_long_claim() -> None:
    """Issue 24: a claim with interims, a restarted offer process and event ids restores
    from its snapshot equal to the replayed claim, ids and past offers included."""
    c = _long_claim()
    restored = Claim.from_snapshot(canonical_dumps(c.snapshot()))
    assert restored == c
    assert restored._state == c._state
    assert _answers(restored, date(2023, 6, 12)) == _answers(c, date(2023, 6, 12))
    assert restored.payment(negotiation=1).to_dict() == c.payment(negotiation=1).to_dict()
    retry = ClaimEvent.make("accept", date(2023, 6, 11), party="claimant", event_id="accept-1")
    assert restored.apply(retry) is restored  # the event id index came back with it
    with pytest.raises(RulesError, match="this event id was used"):
        restored.apply(ClaimEvent.make("payment-made", date(2023, 6, 12), event_id="pay-1"))
    assert restored.act("payment-made", on=date(2023, 6, 12)).version == c.version + 1


def _snapshot_problems(data: object) -> list[tuple[str | None, str]]:
    with pytest.raises(InputError) as caught:
        Claim.from_snapshot(data)
    return [(p.pointer, str(p.code)) for p in caught.value.problems]


def test_snapshot_of_another_format_or_kind_is_refused() -> None:
    """Issue 24: a snapshot of another format (or not a snapshot) is refused with
    InputError naming /format and /kind, never read as if it were ours."""
    s = _long_claim().snapshot()
    assert _snapshot_problems({**s, "format": 2}) == [("/format", "value.invalid")]
    assert _snapshot_problems({**s, "format": True}) == [("/format", "value.invalid")]
    assert _snapshot_problems({**s, "kind": "claim"}) == [("/kind", "value.invalid")]
    assert _snapshot_problems([]) == [("", "type.wrong")]
    missing = {k: v for k, v in s.items() if k != "state"}
    assert _snapshot_problems({**missing, "extra": 1}) == [
        ("/extra", "field.unknown"),
        ("/state", "field.missing"),
    ]


def test_a_tampered_snapshot_is_refused() -> None:
    """Issue 24: changing the state (a general interim of £10,000) without the digest is
    refused at /digest; a forger who recomputes the digest is caught by verify=True, which
    replays and compares; a malformed state names every bad field."""
    from rtaprotocol.claim import snapshot as _claim_snapshot

    s = safe_loads(canonical_dumps(_long_claim().snapshot()))
    s["state"]["general_interim"] = "10000"
    assert _snapshot_problems(s) == [("/digest", "value.invalid")]
    body = {k: v for k, v in s.items() if k != "digest"}
    forged = {**body, "digest": _claim_snapshot._digest(body)}
    assert Claim.from_snapshot(forged).general_interim == Decimal("10000")  # digest only
    with pytest.raises(InputError, match="not the state its history gives"):
        Claim.from_snapshot(forged, verify=True)
    bad = {**body}
    bad["state"] = {**body["state"], "general_interim": 5, "on_hold": "no", "nonsense": 1}
    del bad["state"]["causation"]
    bad["digest"] = _claim_snapshot._digest({k: v for k, v in bad.items() if k != "digest"})
    assert sorted(_snapshot_problems(bad)) == [
        ("/state/causation", "field.missing"),
        ("/state/general_interim", "value.invalid"),
        ("/state/nonsense", "field.unknown"),
        ("/state/on_hold", "value.invalid"),
    ]


def test_snapshot_text_goes_through_the_safe_reader() -> None:
    """Issue 24: snapshot text with a duplicated key is refused by rtaprotocol.json.loads."""
    with pytest.raises(InvalidJSON):
        Claim.from_snapshot('{"format": 1, "format": 1}')


def test_claim_from_dict_checks_the_derived_keys() -> None:
    """Issue 24: Claim.from_dict replays the history and refuses derived keys that differ
    from what the history gives, and unknown keys, naming each."""
    c = _long_claim()
    data = safe_loads(canonical_dumps(c.to_dict()))
    assert Claim.from_dict(data) == c
    with pytest.raises(InputError) as caught:
        Claim.from_dict({**data, "step": "closed", "general_interim": "1.00", "x": 1})
    assert sorted(p.pointer for p in caught.value.problems) == ["/x"]
    with pytest.raises(InputError) as caught:
        Claim.from_dict({**data, "general_interim": "1.00"})
    assert [p.pointer for p in caught.value.problems] == ["/general_interim"]
    with pytest.raises(InputError, match="needs its history"):
        Claim.from_dict({})
    with pytest.raises(RulesError) as err:
        Claim.from_dict({"history": [{"kind": "nope", "on": "2023-05-02"}]})
    assert err.value.pointer == "/history/0/kind"


def test_apply_with_event_ids_stays_linear_and_exact() -> None:
    """Issue 24: the event-id index answers as the history scan did: a retry is a no-op
    on every version of a line of claims, a branch does not see its sibling's ids."""
    c = admitted()
    base = c
    for i in range(40):
        c = c.act("voluntary-interim-payment", on=date(2023, 5, 11), amount=1, event_id=f"v{i}")
    again = ClaimEvent.make("voluntary-interim-payment", date(2023, 5, 11), amount=1, event_id="v7")
    assert c.apply(again) is c
    sibling = base.act(
        "voluntary-interim-payment", on=date(2023, 5, 11), amount=2, event_id="v7"
    )  # another branch may use the id: it never saw v7
    assert sibling.version == base.version + 1
    assert c.apply(again) is c
    assert Claim.replay(c.history) == c


def test_persistent_vector_matches_a_list() -> None:
    """The persistent vector behind the state is a list that never changes (docs/claim.md)."""
    v: Vec[int] = Vec()
    ref: list[int] = []
    versions = []
    for i in range(2000):
        v = v.append(i)
        ref.append(i)
        if i % 3 == 0:
            v = v.set(i // 2, -i)
            ref[i // 2] = -i
        versions.append((v, tuple(ref)))
    assert all(tuple(w) == r and len(w) == len(r) for w, r in versions[::97])
    assert v[-1] == ref[-1]
    assert v[5:9] == tuple(ref[5:9])
    assert list(reversed(v)) == ref[::-1]
    with pytest.raises(IndexError):
        v.set(len(v), 0)
    with pytest.raises(IndexError):
        v[len(v)]
    assert Vec.of(ref) == v
    assert hash(Vec.of(ref)) == hash(v)
    assert v != tuple(ref)
    assert repr(Vec.of([1])) == "Vec([1])"


_LOSS_TYPES = [t for t in LossType if not t.value.startswith("vehicle")]


@st.composite
def _facts(draw: st.DrawFn) -> ClaimFacts:
    accident = draw(st.dates(min_value=date(2021, 6, 1), max_value=date(2024, 12, 31)))
    entry = accident + __import__("datetime").timedelta(days=draw(st.integers(0, 600)))
    return ClaimFacts(
        accident_date=accident,
        entry_date=entry,
        injury=draw(st.none() | st.decimals(0, 5000, places=2)),
        other_protocol_damages=draw(st.none() | st.decimals(0, 5000, places=2)),
        someone_else_to_blame=draw(st.none() | st.booleans()),
    )


@st.composite
def _losses(draw: st.DrawFn) -> ListOfLosses:
    n = draw(st.integers(0, 4))
    return ListOfLosses(
        injury=draw(st.decimals(0, 5000, places=2)),
        items=[
            LossItem(draw(st.sampled_from(_LOSS_TYPES)), draw(st.decimals(0, 3000, places=2)))
            for _ in range(n)
        ],
    )


@settings(max_examples=min(60, settings.default.max_examples))
@given(facts=_facts(), losses=_losses())
def test_json_text_read_back_through_the_readers_gives_an_equal_value(
    facts: ClaimFacts, losses: ListOfLosses
) -> None:
    """Issue 24: ``loads(dumps(x))`` read back through the readers (from_json) is equal for
    facts, losses, events and claims, and a report's to_dict is the same."""
    assert ClaimFacts.from_json(canonical_dumps(facts.to_dict())) == facts
    assert ListOfLosses.from_json(canonical_dumps(losses.to_dict())) == losses
    c = _long_claim()
    for e in c.history:
        assert ClaimEvent.from_json(canonical_dumps(e.to_dict())) == e
    assert Claim.from_json(canonical_dumps(c.to_dict())) == c
    neg = c.past_negotiations[0]
    text = canonical_dumps([e.to_dict() for e in neg.history])
    assert Negotiation.from_json(text, whiplash=True) == neg
    on = date(2023, 6, 12)
    report = c.report(on)
    again = Claim.from_json(canonical_dumps(c.snapshot())).report(on)
    assert safe_loads(canonical_dumps(again.to_dict())) == safe_loads(
        canonical_dumps(report.to_dict())
    )


# --- issue 22 review (h13): defects found by walking the issue's own examples ----------


def test_guide_6_3_1_1_issue_example_claimant_offer_stating_no_share_is_the_sum_paid() -> None:
    """Guide 6.3.1.1, 6.5.2 (issue 22's own example): after an 80% admission the claimant
    offers £1,500 WITHOUT stating a share; the compensator accepts: £1,500 is paid (less
    only what the law requires), not £1,200. The breakdown says the share it applied and
    why; the compensator's own offers keep the admitted split (6.5.2's deduction)."""
    c = at_offer(admitted(80))
    c = _offer(c, date(2023, 6, 20), "compensator", "1600", tariff="whiplash")
    assert c.payment().total == Decimal("1280.00")  # the compensator's offer on the 80%
    c = _offer(c, date(2023, 6, 21), "claimant", "2000", tariff="whiplash")
    assert c.negotiation.latest_offer(Party.CLAIMANT).liability_percent == 100
    c = c.act("accept", on=date(2023, 6, 22), party="compensator")
    pay = c.payment()
    assert pay.total == Decimal("2000.00")
    basis = pay.liability_basis or ""
    assert basis.startswith("100% to the compensator: the claimant's offer states no share")
    assert "admitted at step 2: 80%" in basis
    assert basis.endswith("[guide 6.3.1.1, 6.5.2, 6.5.3]")
    assert any("Settled on 100% liability" in n for n in c.next_steps(date(2023, 6, 23)).notes)
    assert replayed(c).payment() == pay


def test_guide_6_6_1_1_a_court_determined_share_binds_a_claimant_offer_stating_none() -> None:
    """Guide 6.6.1.1: once the court has determined liability, a claimant's offer that
    states no share is made on the court's share (never 100% by default)."""
    c = submitted().act("liability-response", on=date(2023, 5, 10), response="deny")
    c = c.act("go-to-court", on=date(2023, 5, 11), issue="liability")
    c = c.act("court-pack-list-sent", on=date(2023, 5, 11))
    c = c.act("court-pack-list-agreed", on=date(2023, 5, 12))
    c = c.act("proceedings-issued", on=date(2023, 5, 15))
    c = c.act("court-determination", on=date(2023, 5, 16), for_claimant=True, percent=70)
    c = _offer(at_offer(c), date(2023, 6, 19), "compensator", "1800", tariff="whiplash")
    c = _offer(c, date(2023, 6, 20), "claimant", "2000", tariff="whiplash")
    c = c.act("accept", on=date(2023, 6, 21), party="compensator")
    assert c.payment().total == Decimal("1400.00")
    assert "as the court determined" in (c.payment().liability_basis or "")


def test_guide_6_6_1_1_on_hold_next_steps_say_what_happens_and_that_limitation_is_met() -> None:
    """Guide 6.6.1.1, 5.4, 6.6.3.3: on hold the claim's next steps are not silent: they say
    the claim waits for the court's determination, and that the proceedings issued stopped
    the limitation clock (so no limitation route is needed, even within the last 6 months;
    Limitation Act 1980 s.11, CPR 7.2)."""
    c = submitted().act("liability-response", on=date(2023, 5, 10), response="deny")
    c = c.act("go-to-court", on=date(2023, 5, 11), issue="liability")
    c = c.act("court-pack-list-sent", on=date(2023, 5, 11))
    c = c.act("court-pack-list-agreed", on=date(2023, 5, 12))
    c = c.act("proceedings-issued", on=date(2023, 5, 15))
    n = c.next_steps(date(2025, 10, 1))  # inside the limitation window
    assert n.of(Party.CLAIMANT).actions == ("court-determination",)
    assert n.routes == ()
    assert any("on hold" in x and x.endswith("[guide 6.6.1.1]") for x in n.notes)
    assert any("stopped the limitation clock" in x and "CPR 7.2" in x for x in n.notes)
    with pytest.raises(ProtocolViolation) as err:
        c.act("go-to-court", on=date(2025, 10, 1), issue="limitation")
    assert err.value.reference == "guide 6.6.1.1"
    back = c.act("court-determination", on=date(2025, 10, 2), for_claimant=True, percent=100)
    later = back.next_steps(date(2025, 10, 3)).notes
    assert any("stopped the limitation clock" in x for x in later)


@pytest.mark.parametrize("represented", [True, False])
def test_guide_5_3_1_represented_is_carried_into_the_fee_stage(represented: bool) -> None:
    """Guide 5.3, 5.3.1, 6.5.3.2: after the settlement, next_steps says whether the first
    report's fixed fee is one of the fees claimed back (represented) or was paid by the
    compensator directly (not represented); not stated, nothing is said."""
    facts = evolve(FACTS, represented=represented)
    c = Claim().act("submitted", on=ENTRY, facts=facts, whiplash=True, losses=LOSSES)
    c = at_offer(c.act("liability-response", on=date(2023, 5, 10), response="admit-full"))
    c = _offer(c, date(2023, 6, 20), "compensator", "2000", tariff="whiplash")
    c = c.act("accept", on=date(2023, 6, 21), party="claimant")
    notes = c.next_steps(date(2023, 6, 22)).notes
    word = "is represented" if represented else "is not represented"
    assert any(word in x and "guide 5.3, 6.5.3.2" in x for x in notes)
    plain = at_offer(admitted())
    plain = _offer(plain, date(2023, 6, 20), "compensator", "2000", tariff="whiplash")
    plain = plain.act("accept", on=date(2023, 6, 21), party="claimant")
    assert not any("represented" in x for x in plain.next_steps(date(2023, 6, 22)).notes)


def test_guide_6_4_2_a_claimant_tariff_offer_on_a_long_prognosis_is_not_silent() -> None:
    """Guide 6.4.2, 6.4.2.2; CLA 2018 s.3: the claimant's own whiplash-tariff offer on a
    prognosis over 24 months is allowed (their choice) but flagged on every output that
    values the claim: next steps, explain, to_dict (``value_flags``) and the payment."""
    c = _offer(_long(), date(2023, 6, 20), "compensator", "2000", tariff="none")
    c = _offer(c, date(2023, 6, 21), "claimant", "1900", tariff="whiplash")
    flag = "claimant's latest offer values the injury on the whiplash tariff"
    assert any(flag in n for n in c.next_steps(date(2023, 6, 22)).notes)
    assert flag in str(c.explain())
    assert any(flag in f for f in c.to_dict()["value_flags"])
    assert any(flag in n for n in c.payment(party="claimant").notes())
    assert admitted().to_dict()["value_flags"] == []


def test_guide_6_6_1_every_close_other_than_settlement_says_what_happens_next() -> None:
    """Guide 6.6.1, 6.6.1.1, 6.6.1.2 (issue 22: every exit says what happens next and which
    rules now govern): a claim closed by accepting the denial, by a finding against the
    claimant, or by the court's valuation is not silent in next_steps and explain."""
    denied = submitted().act("liability-response", on=date(2023, 5, 10), response="deny")
    accepted = denied.act("denial-accepted", on=date(2023, 5, 11))
    held = denied.act("go-to-court", on=date(2023, 5, 11), issue="liability")
    held = held.act("court-pack-list-sent", on=date(2023, 5, 11))
    held = held.act("court-pack-list-agreed", on=date(2023, 5, 12))
    held = held.act("proceedings-issued", on=date(2023, 5, 15))
    lost = held.act("court-determination", on=date(2023, 8, 1), for_claimant=False)
    for c, words, ref in (
        (accepted, "limitation date (guide 5.4) still runs", "[guide 6.6.1; guide 6.6.1.2]"),
        (lost, "CPR Part 52", "[guide 6.6.1.1, 6.6.3.3; guide 6.6.1.2]"),
    ):
        assert c.step is Step.CLOSED
        notes = c.next_steps(date(2023, 8, 2)).notes
        assert any(words in n and n.endswith(ref) for n in notes), notes
        assert words in str(c.explain())


def test_guide_6_3_1_4_open_requests_count_towards_the_item_and_the_claims_value() -> None:
    """Guide 6.3.1.4 (issue 22: an interim request larger than its item, or a general one
    larger than the claim's value, is refused), as a class: requests still open for the
    same item (or general ones) count, so two requests cannot together ask for more than
    the item. One unanswered after its 15 business days does not count (the claimant may
    go to court on it or ask again: no route closes), and another item stays open."""
    c = admitted().act("interim-payment-requested", on=date(2023, 5, 11), amount=200, item=1)
    with pytest.raises(ProtocolViolation, match="still open for the same item") as err:
        c.act("interim-payment-requested", on=date(2023, 5, 12), amount=100, item=1)
    assert err.value.reference == "guide 6.3.1.4"
    assert err.value.field == "amount"
    assert c.act("interim-payment-requested", on=date(2023, 5, 12), amount=50, item=1)
    assert c.act("interim-payment-requested", on=date(2023, 5, 12), amount=250, item=2)
    late = c.act("interim-payment-requested", on=date(2023, 6, 5), amount=250, item=1)
    assert late.allowed_actions(date(2023, 6, 6))[Party.CLAIMANT].count("go-to-court") == 1
    agreed = c.act(
        "interim-payment-response", on=date(2023, 5, 12), agreed=True, answer="agree-not-yet-paid"
    )
    with pytest.raises(ProtocolViolation, match="still open"):
        agreed.act("interim-payment-requested", on=date(2023, 6, 5), amount=100, item=1)
    general = admitted().act("interim-payment-requested", on=date(2023, 5, 11), amount=2000)
    with pytest.raises(ProtocolViolation, match="same general payment") as err:
        general.act("interim-payment-requested", on=date(2023, 5, 12), amount=1001)
    assert err.value.reference == "guide 6.3.1.4"
    assert "interim-payment-requested" in general.allowed_actions(date(2023, 5, 12))[Party.CLAIMANT]


def test_open_deadlines_are_the_deadlines_not_yet_met() -> None:
    """Guide 6.3.1, 6.5: open_deadlines() is deadlines() less those met, by due date, the
    same on any query date; a withdrawn claim keeps limitation (guide 5.4, 6.6.3.1); a date
    before the last event is refused like every query's."""
    c = admitted()
    expected = sorted((d for d in c.deadlines() if d.met_on is None), key=lambda d: (d.due, d.name))
    assert list(c.open_deadlines()) == expected
    assert c.open_deadlines(date(2023, 7, 1)) == c.open_deadlines()
    assert "liability response" not in [d.name for d in c.open_deadlines()]  # met
    withdrawn = c.act("claim-withdrawn", on=date(2023, 5, 11))
    assert [d.name for d in withdrawn.open_deadlines()] == ["limitation: issue court proceedings"]
    assert Claim().open_deadlines() == ()
    with pytest.raises(RulesError, match="before the previous action"):
        c.open_deadlines(date(2023, 5, 9))


def test_payment_before_any_offer_is_refused_as_not_found() -> None:
    """Guide 6.5.2: there is nothing to pay out before an offer; the refusal says so with
    the code of a reference to something that does not exist, not a generic value.invalid."""
    with pytest.raises(ProtocolViolation) as caught:
        submitted().payment()
    assert caught.value.code is ErrorCode.NOT_FOUND
    assert caught.value.to_problem()["status"] == 422


def test_a_replayed_ineligible_claim_points_each_criterion_into_the_list() -> None:
    """Guide 4.1, 4.2 in a replay: each failing criterion's problem points at its fact inside
    the event of the list (/events/0/facts/...), like the refusal itself (/events/0)."""
    facts = {"accident_date": "2021-05-01", "entry_date": "2023-05-02"}
    facts["accident_location"] = "scotland"
    event = {"kind": "submitted", "on": "2023-05-02", "facts": facts, "whiplash": True}
    with pytest.raises(ProtocolViolation) as caught:
        Claim.replay([event])
    assert caught.value.pointer == "/events/0"
    assert [p.pointer for p in caught.value.problems] == [
        "/events/0/facts/accident_location",
        "/events/0/facts/accident_date",
    ]


# --- allowed_actions on a caller's calendar at the end of its range (issue 25) ----------------


def _late_claim(cal: EnglandWalesCalendar | None) -> Claim:
    facts = evolve(
        FACTS,
        accident_date=date(2100, 8, 2),
        entry_date=date(2100, 9, 1),
        date_of_birth=date(2070, 1, 1),
    )
    c = Claim(calendar=cal).act(
        "submitted", on=date(2100, 9, 1), facts=facts, whiplash=True, losses=LOSSES
    )
    return c.act("liability-response", on=date(2100, 9, 10), response="admit-full")


def test_allowed_actions_ask_the_claims_own_calendar() -> None:
    """allowed_actions offers exactly what apply accepts on the claim's own calendar.

    Guide 6.3.1.4: the compensator answers an interim payment request within 10 business
    days of it, counted on the claim's calendar (guide 6.3.1: periods are business days).
    Requested on 1 December 2100, the answer is due on 22 December under the shipped
    calendar; under a caller's calendar closed 14 to 23 December it would fall after 31
    December 2100, the end of the calendar's range, so apply refuses the request (a date
    outside coverage raises, never a silent answer) and allowed_actions must not offer it.
    Asking the shipped calendar instead (issue 25: a mutant of ``_try`` dropping the
    calendar had been listed as equivalent) would offer a request apply refuses.
    """
    day = date(2100, 12, 1)
    plain = _late_claim(None)
    assert "interim-payment-requested" in plain.allowed_actions(day)[Party.CLAIMANT]
    requested = plain.act("interim-payment-requested", on=day, amount=100)
    assert requested.deadlines()[0].due == date(2100, 12, 22)

    closed = EnglandWalesCalendar(extra_holidays=[date(2100, 12, d) for d in range(14, 24)])
    own = _late_claim(closed)
    assert "interim-payment-requested" not in own.allowed_actions(day)[Party.CLAIMANT]
    with pytest.raises(OutOfCoverageError, match="outside the supported range"):
        own.act("interim-payment-requested", on=day, amount=100)
    # The rest is offered alike: only the request's deadline leaves the range.
    assert set(own.allowed_actions(day)[Party.CLAIMANT]) == set(
        plain.allowed_actions(day)[Party.CLAIMANT]
    ) - {"interim-payment-requested"}


@pytest.mark.parametrize(
    "history",
    [
        [{"kind": "withdraw", "on": "2023-05-02"}],  # one problem
        [{"kind": "withdraw", "on": "2023-02-30", "x": 1}],  # several, one InputError
    ],
)
def test_a_claim_documents_history_problems_are_located_in_history_field_and_pointer(history):
    """``replay`` calls its list ``events``; in a claim document the list is ``history``."""
    with pytest.raises(RulesError) as caught:
        Claim.from_dict({"history": history})
    for problem in caught.value.problems:
        assert problem.field.startswith("history[0]"), problem.field
        assert problem.pointer.startswith("/history/0"), problem.pointer


# Mutation survivors: claim, part 1


def _interim_court_order_at_offer() -> Claim:
    """Liability never answered; proceedings to protect limitation on an interim payment
    (guide 6.6.3.1; PD 27B Section 9) end in an interim payment order of £100 for the
    claimant (guide 6.3.1.4: a court has found for the claimant), so the claim goes on to
    medical and the offer stage with no share of liability recorded."""
    c = submitted()
    c = c.act("go-to-court", on=date(2026, 1, 15), issue="interim-payment", limitation=True)
    c = c.act("proceedings-issued", on=date(2026, 1, 16))
    c = c.act("court-determination", on=date(2026, 1, 17), for_claimant=True, amount=100)
    return _medical_then_offer(c, date(2026, 1, 19))


def test_a_payment_says_when_no_admitted_share_was_recorded() -> None:
    """Guide 6.3.1.1, 6.5.2: the payment names the share of liability it applied and where
    it came from. Where no share was ever admitted (the court ordered an interim payment,
    guide 6.3.1.4), an offer negotiated at 90% says the step-2 share is "none recorded",
    and an offer that states none is made on 100% with "no share recorded"."""
    c = _interim_court_order_at_offer()
    assert c.liability_percent is None
    negotiated = c.act(
        "offer", on=date(2026, 1, 23), party="compensator", amount=900, injury=900,
        liability_percent=90,
    )  # fmt: skip
    paid = negotiated.payment()
    assert paid.liability_basis == (
        "90% to the compensator, as negotiated in the offer (admitted at step 2: none "
        "recorded) [guide 6.3.1.1, 6.5.2, 6.5.3]"
    )
    assert paid.total == Decimal("710.00")  # 90% of £900, less the £100 interim ordered
    plain = c.act("offer", on=date(2026, 1, 23), party="compensator", amount=900, injury=900)
    assert plain.payment().liability_basis == (
        "100% to the compensator (no share recorded) [guide 6.3.1.1, 6.5.2, 6.5.3]"
    )


def test_an_agreed_interim_not_yet_paid_is_the_compensators_deadline_in_full() -> None:
    """Guide 6.3.1.4: an interim payment agreed but not yet paid is due within the
    request's 15 business days: the compensator's deadline runs from the request, in the
    interim payment response period, citing 6.3.1.4."""
    c = _requested().act(
        "interim-payment-response", on=date(2023, 5, 12), agreed=True, answer="agree-not-yet-paid"
    )
    interim = [d for d in c.deadlines(date(2023, 5, 15)) if d.name.endswith("interim payment")]
    assert interim == [
        Deadline(
            name="payment of the agreed interim payment",
            party=Party.COMPENSATOR,
            period=Period.INTERIM_PAYMENT_RESPONSE,
            started_on=date(2023, 5, 11),
            due=INTERIM_DUE,
            reference="guide 6.3.1.4",
        ),
    ]
    row = c.next_steps(date(2023, 5, 15)).to_dict()["deadlines"][0]
    assert (row["period"], row["started_on"], row["reference"]) == (
        "interim-payment-response",
        "2023-05-11",
        "guide 6.3.1.4",
    )


def test_an_id_used_on_another_version_does_not_bind_an_older_one() -> None:
    """docs/claim.md, "Versions and event ids": an event whose id is already in *the
    history* is a retry. A claim is a value: an older version whose history does not hold
    the event that a later version appended with that id takes the id for another event."""
    before = submitted()
    admitted_ = before.act(
        "liability-response", on=date(2023, 5, 10), response="admit-full", event_id="a"
    )
    denied = before.act("liability-response", on=date(2023, 5, 10), response="deny", event_id="a")
    assert denied.version == admitted_.version == 2
    assert denied.liability is LiabilityResponse.DENY
    assert admitted_.liability is LiabilityResponse.ADMIT_FULL
    # On the version that holds it, the same id is a retry, another event a clash.
    retry = {"on": date(2023, 5, 10), "response": "admit-full", "event_id": "a"}
    assert admitted_.act("liability-response", **retry) is admitted_
    with pytest.raises(RulesError) as clash:
        admitted_.act("liability-response", **{**retry, "response": "deny"})
    assert clash.value.code is ErrorCode.EVENT_ID_REUSED


def test_an_earlier_offer_process_is_replayed_on_the_claims_calendar() -> None:
    """Guide 6.3.1, 6.5.4: the injury dispute notice is due within 20 business days of the
    offer request, counted on the claim's own calendar. A notice given on the last day of
    that period under a calendar with extra holidays (a week after the shipped calendar's
    last day) stands, and the payment of that offer process, after it restarted (guide
    6.5.3.1), replays the claim on the same calendar."""
    c = Claim.replay(_disputed().history, calendar=WEDNESDAYS)
    due = due_date(Period.INJURY_DISPUTE, date(2023, 6, 5), calendar=WEDNESDAYS)
    assert due > due_date(Period.INJURY_DISPUTE, date(2023, 6, 5))
    c = c.act("injury-dispute-notice", on=due)
    c = c.act("offer", on=due, party="compensator", amount="2300", injury="800",
              items=["1000", "250", "250"])  # fmt: skip
    c = c.act("wait-out-prognosis", on=due)
    c = c.act("prognosis-outcome", on=date(2023, 11, 1), outcome="further-losses")
    c = c.act("offer-requested", on=date(2023, 11, 2))
    assert c.payment(negotiation=1).total == Decimal("2300.00")


def test_a_partys_latest_offer_is_paid_even_once_another_is_accepted() -> None:
    """Guide 6.5.2, 6.5.5.1: ``payment(party=...)`` pays that party's latest offer; only
    with no party named does the settled offer come first (as ``payment()``). After the
    claimant accepts the compensator's £2,300, the claimant's own £3,000 offer still pays
    £3,000 (its offer states no share: the sum it names is paid, issue 22)."""
    c = _offers_both_ways().act("accept", on=date(2023, 6, 9), party="claimant")
    assert c.payment().total == Decimal("1840.00")  # the £2,300 accepted, 80% admitted
    assert c.payment(party="compensator") == c.payment()
    assert c.payment(party="claimant").total == Decimal("3000.00")


def test_a_claim_documents_oversized_history_is_refused_at_history() -> None:
    """The shared list bound (MAX_LIST_ITEMS, 100,000 items; issue 24): a claim document's
    history of more events is refused as a whole, at ``history`` (field and JSON pointer),
    the list's name in the document, not ``events`` as ``replay`` names it."""
    with pytest.raises(RulesError) as caught:
        Claim.from_dict({"history": [None] * 100_001})
    assert (caught.value.field, caught.value.pointer) == ("history", "/history")
    assert caught.value.message == "a list of at most 100,000 items"


def test_a_court_routes_text_says_whether_a_court_pack_list_goes_first() -> None:
    """Guide 6.6.3.3; PD 27B Section 9: proceedings started because of limitation need no
    court pack list first; the route to court on an overdue liability response sends the
    court pack list to the compensator first (guide 6.6.3). Each route's text says which."""
    routes = {r.issue: r for r in submitted().court_routes(date(2026, 1, 15))}
    assert str(routes[CourtIssue.LIMITATION]).endswith(
        "; PD 27B Section 9, no court pack table; no court pack list first"
    )
    assert str(routes[CourtIssue.LIABILITY]).endswith(
        "; PD 27B Section 2, Appendix C Table A; court pack list to the compensator first"
    )


ERRORS.update(
    {
        "a claim document whose dates are not a list": lambda: Claim.from_dict(
            {"history": [], "extra_holidays": "2023-05-03"}
        ),
        "a claim document whose history breaks the rules": lambda: Claim.from_dict(
            {"history": [{"kind": "proceed-to-medical", "on": "2023-05-02"}]}
        ),
        "a claim document whose deadlines are not its history's": lambda: Claim.from_dict(
            {"history": [e.to_dict() for e in submitted().history], "deadlines": []}
        ),
        "an offer on a share of liability above 100 percent": _then(
            lambda: at_offer(admitted()),
            "offer",
            party="compensator",
            amount=100,
            liability_percent=120,
        ),
        "a payment for an offer process numbered as text": lambda: _offers_both_ways().payment(
            negotiation="1"
        ),  # type: ignore[arg-type]
        "a payment for a second offer process of a claim with one": lambda: (
            _offers_both_ways().payment(negotiation=2)
        ),
        "a payment for an offer number of a party with none": lambda: at_offer(admitted()).payment(
            offer=1, party="claimant"
        ),
    }
)


def test_a_claim_documents_ineligible_history_points_each_criterion_into_history() -> None:
    """Guide 4.1, 4.2 in a claim document (``Claim.from_dict``): the list is ``history``,
    so each failing criterion's problem points at its fact inside ``/history/0``, like the
    refusal itself, not at ``/events/0`` (a key the document does not have). (Fixed in
    0.3.3: ``_in_history`` moved the refusal's own pointer but not its problems'.)"""
    facts = {"accident_date": "2021-05-01", "entry_date": "2023-05-02"}
    facts["accident_location"] = "scotland"
    event = {"kind": "submitted", "on": "2023-05-02", "facts": facts, "whiplash": True}
    with pytest.raises(ProtocolViolation) as caught:
        Claim.from_dict({"history": [event]})
    assert caught.value.pointer == "/history/0"
    assert [p.pointer for p in caught.value.problems] == [
        "/history/0/facts/accident_location",
        "/history/0/facts/accident_date",
    ]


# Mutation survivors: claim, part 2


ERRORS.update(
    {
        # guide 6.3.1.4: an agreement in part pays more than nothing and less than asked
        "an interim agreed in part for nothing": _then(
            _requested,
            "interim-payment-response",
            agreed=True,
            answer="agree-in-part",
            amount=0,
        ),
        # guide 6.3.1.4: an agreement still to be paid is for the sum requested
        "an interim agreed still to be paid for less than asked": _then(
            _requested,
            "interim-payment-response",
            agreed=True,
            answer="agree-not-yet-paid",
            amount=50,
        ),
        # guide 6.6.1.1: the court's share of liability binds the offers that follow
        "an offer on a share of liability other than the court's": _then(
            _court_found_at_offer,
            "offer",
            party="compensator",
            amount=100,
            liability_percent=100,
        ),
        # guide 6.5.2: every bad item value of an offer is reported at once
        "an offer with two bad item values": _then(
            lambda: at_offer(admitted()),
            "offer",
            party="compensator",
            amount=100,
            injury=100,
            items=["x", "-1", "0"],
        ),
    }
)


def test_guide_6_4_2_each_partys_latest_tariff_is_kept_apart() -> None:
    """Guide 6.4.2, 6.4.2.2; CLA 2018 s.3: the flag on a claimant's whiplash-tariff offer
    on a prognosis over 24 months follows the claimant's LATEST offer: the compensator's
    next offer (on no tariff) leaves it standing, and the claimant's own next offer off
    the tariff lifts it."""
    tariff_flag = "claimant's latest offer values the injury on the whiplash tariff"
    c = _offer(_long(), date(2023, 6, 20), "compensator", "1800", tariff="none")
    c = _offer(c, date(2023, 6, 21), "claimant", "2000", tariff="whiplash")
    c = _offer(c, date(2023, 6, 22), "compensator", "1850", tariff="none")
    flags = c.to_dict()["value_flags"]
    assert len(flags) == 2
    assert tariff_flag in flags[1]
    c = _offer(c, date(2023, 6, 23), "claimant", "1900", tariff="none")
    flags = c.to_dict()["value_flags"]
    assert len(flags) == 1
    assert not any(tariff_flag in f for f in flags)
    assert not any("compensator's latest offer" in f for f in flags)
