"""Tests for rtaprotocol.offers: the portal negotiation (guide 6.5.3 to 6.5.6).

Scenario tests are named after the guide's sentences, section by section; then the
choices made where the guide is ambiguous, the error paths, rendering, and properties
(including a Hypothesis state machine over random action sequences).
"""

from __future__ import annotations

import json
import pickle
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import IntEnum

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

import golden_errors
import views
from rtaprotocol.deadlines import EnglandWalesCalendar, Period, due_date
from rtaprotocol.errors import (
    InvalidInput,
    OutOfCoverageError,
    ProtocolViolation,
    RulesError,
    RulesTypeError,
)
from rtaprotocol.offers import (
    MAX_OFFERS,
    AllowedActions,
    Event,
    EventKind,
    FeeNegotiation,
    Negotiation,
    Offer,
    OfferStatus,
    Party,
)
from strategies import middle_dates, money

C, K = Party.COMPENSATOR, Party.CLAIMANT
D0 = date(2023, 5, 2)  # Tuesday; 8 May 2023 (coronation) is a bank holiday
WITHDRAW_FROM_D0 = date(2023, 5, 18)  # the day after the 10th business day (17 May)
W2 = date(2023, 5, 20)  # the same for an offer made on day(2), Thursday 4 May


def day(n: int) -> date:
    """The date ``n`` calendar days after D0."""
    return D0 + timedelta(days=n)


def opened(amount: int = 1000) -> Negotiation:
    """A negotiation with the compensator's first offer made on D0."""
    return Negotiation().offer(C, amount, on=D0)


def violation(fn, *args, **kwargs) -> ProtocolViolation:
    """Call ``fn`` and return the ProtocolViolation it must raise."""
    with pytest.raises(ProtocolViolation) as info:
        fn(*args, **kwargs)
    return info.value


def three_rounds() -> Negotiation:
    """Each side has made three offers; the claimant's third is open."""
    n = Negotiation()
    for i, (c_amt, k_amt) in enumerate([(1000, 3000), (1200, 2800), (1300, 2500)]):
        n = n.offer(C, c_amt, on=day(2 * i)).offer(K, k_amt, on=day(2 * i + 1))
    return n


# --- guide 6.5.3.1 Compensator offer -------------------------------------------------------


def test_6531_compensator_has_20_business_days_to_make_an_offer():
    """The compensator's offer period is 20 business days (the deadline is deadlines')."""
    assert Period.OFFER.business_days == 20
    assert Period.OFFER.reference == "guide 6.5.3.1"
    assert due_date(Period.OFFER, D0) == date(2023, 6, 1)


def test_6531_you_can_see_the_compensators_offer_if_it_has_been_made():
    """Before the compensator's offer there is nothing to view, accept or reject."""
    n = Negotiation()
    assert n.latest_offer(C) is None
    assert n.stage == "awaiting the compensator's first offer"
    err = violation(n.accept, K, on=D0)
    assert err.reference == "guide 6.5.6"
    err = violation(n.offer, K, 2000, on=D0)
    assert err.reference == "guide 6.5.3.1"
    assert "compensator makes the first offer" in err.message


def test_6531_you_can_decide_to_accept_or_dispute_the_offer():
    """On the compensator's offer the claimant may accept, reject or counter offer."""
    allowed = opened().allowed_actions(K, day(1))
    assert {"accept", "reject", "offer"} <= set(allowed.actions)
    assert allowed.acceptable_offers == (1,)


def test_6531_if_you_accept_the_offer_your_claim_is_closed_and_cannot_be_reopened():
    """After an acceptance every action on the losses raises, citing guide 6.5.3.1."""
    n = opened().accept(K, on=day(1))
    assert n.is_settled
    assert n.settled_amount == Decimal("1000.00")
    assert n.settled_offer == n.latest_offer(C)
    for attempt in (
        lambda: n.offer(C, 2000, on=day(2)),
        lambda: n.offer(K, 500, on=day(2)),
        lambda: n.reject(K, on=day(2)),
        lambda: n.withdraw(C, on=day(60)),
        lambda: n.accept(K, on=day(2)),
        lambda: n.accept(C, on=day(2)),
        lambda: n.create_court_valuation_form(on=day(2)),
    ):
        err = violation(attempt)
        assert err.reference == "guide 6.5.3.1"
        assert "settled" in err.message


def test_6531_return_the_claim_to_the_compensator_who_may_update_their_offer():
    """A rejection without a counter offer lets the compensator make offer 2."""
    n = opened().reject(K, on=day(1))
    assert n.latest_offer(C).status is OfferStatus.REJECTED
    n = n.offer(C, 1100, on=day(2))
    assert n.latest_offer(C).number == 2
    assert n.latest_offer(C).status is OfferStatus.OPEN


def test_6531_make_a_counter_offer_only_3_counter_offers_can_be_made():
    """The claimant's fourth counter offer is refused."""
    n = three_rounds().reject(C, on=day(6))
    assert n.offers_counted(K) == 3
    assert n.offers_left(K) == 0
    err = violation(n.offer, K, 2400, on=day(7))
    assert err.reference == "guide 6.5.5"
    assert "no offer 4" in err.message


def test_6531_go_to_court_at_any_stage_after_the_first_offer():
    """The Court Valuation Form needs the compensator's first offer; then it may come."""
    err = violation(Negotiation().create_court_valuation_form, on=D0)
    assert err.reference == "guide 6.5.3.1"
    n = opened().create_court_valuation_form(on=day(1))
    assert n.court_valuation_form_on == day(1)
    assert n.stage == "Court Valuation Form created"


def test_6531_compensator_can_make_up_to_3_offers_and_you_up_to_3_counter_offers():
    """Three offers each are allowed; the compensator's fourth is refused."""
    n = three_rounds()
    assert [o.number for o in n.offers(C)] == [1, 2, 3]
    assert [o.number for o in n.offers(K)] == [1, 2, 3]
    assert n.offers_left(C) == 0
    err = violation(n.offer, C, 1500, on=day(7))
    assert err.reference == "guide 6.5.5"
    assert "no offer 4" in err.message


def test_6531_each_compensator_offer_should_be_higher_than_the_previous_offer():
    """A lower compensator offer is refused, naming the amount and guide 6.5.3.1."""
    n = opened(1000).offer(K, 3000, on=day(1))
    err = violation(n.offer, C, "999.99", on=day(2))
    assert err.reference == "guide 6.5.3.1"
    assert err.field == "amount"
    assert err.value == "999.99"  # as received, not the converted Decimal
    assert n.offer(C, 1500, on=day(2)).latest_offer(C).amount == Decimal("1500.00")


def test_6531_each_offer_you_make_should_be_lower_than_the_previous_offer():
    """A higher claimant offer is refused."""
    n = opened().offer(K, 3000, on=day(1)).offer(C, 1100, on=day(2))
    err = violation(n.offer, K, "3000.01", on=day(3))
    assert err.reference == "guide 6.5.3.1"
    assert "higher" in err.message
    assert n.offer(K, 2900, on=day(3)).latest_offer(K).number == 2


def test_6531_the_compensator_may_also_stick_with_their_original_offer():
    """An equal offer is allowed, for either side."""
    n = opened(1000).offer(K, 3000, on=day(1)).offer(C, 1000, on=day(2))
    assert n.latest_offer(C).number == 2
    n = n.offer(K, 3000, on=day(3))
    assert n.latest_offer(K).amount == Decimal("3000.00")


def test_6531_after_waiting_out_prognosis_you_can_respond_to_any_available_offer():
    """An open offer can still be answered long after it was made."""
    n = opened()
    assert n.accept(K, on=date(2024, 5, 2)).is_settled
    assert n.offer(K, 2000, on=date(2024, 5, 2)).latest_offer(C).status is OfferStatus.REJECTED


# --- guide 6.5.3.2 Fees --------------------------------------------------------------------


def settled() -> Negotiation:
    return opened().accept(K, on=day(1))


def test_6532_agree_the_settlement_of_your_losses_before_negotiating_fees():
    """No fee action before the losses are settled; `fees` is None until then."""
    n = opened()
    assert n.fees is None
    for attempt in (
        lambda: n.offer_fees(C, 100, on=day(1)),
        lambda: n.accept_fees(K, on=day(1)),
        lambda: n.reject_fees(C, on=day(1)),
    ):
        err = violation(attempt)
        assert err.reference == "guide 6.5.3.2"
    assert settled().fees == FeeNegotiation()


def test_6532_you_may_make_a_counter_offer_which_they_will_accept():
    """Claimant counter offer on fees, then the compensator accepts it."""
    n = settled().offer_fees(C, 150, on=day(1)).offer_fees(K, 400, on=day(2))
    assert n.fees.latest_offer(C).status is OfferStatus.REJECTED
    n = n.accept_fees(C, on=day(3))
    assert n.fees.is_agreed
    assert n.fees.agreed_amount == Decimal("400.00")
    assert n.fees.stage == "fees agreed"
    err = violation(n.offer_fees, K, 300, on=day(3))
    assert "over" in err.message


def test_6532_if_they_reject_your_counter_offer_you_can_start_court_proceedings_for_fees():
    """A rejected counter offer ends the fee negotiation: fees go to court."""
    n = settled().offer_fees(C, 150, on=day(1)).offer_fees(K, 400, on=day(2))
    n = n.reject_fees(C, on=day(3))
    assert n.fees.goes_to_court
    assert n.fees.is_over
    assert n.fees.agreed_amount is None
    err = violation(n.accept_fees, K, on=day(4))
    assert err.reference == "guide 6.5.3.2"


def test_6532_the_claimant_may_accept_the_compensators_fee_offer():
    """The claimant may accept the fee offer outright."""
    n = settled().offer_fees(C, 150, on=day(1)).accept_fees(K, on=day(1))
    assert n.fees.agreed_amount == Decimal("150.00")
    assert n.settled_amount == Decimal("1000.00")  # the losses' settlement is untouched


def test_6532_fee_rules_each_side_one_offer_and_answers_in_turn():
    """One fee offer each; the claimant counters only after the compensator's offer; the
    claimant has no bare rejection; nothing to answer is refused."""
    n = settled()
    assert violation(n.offer_fees, K, 400, on=day(1)).reference == "guide 6.5.3.2"
    assert violation(n.accept_fees, K, on=day(1)).reference == "guide 6.5.3.2"
    n = n.offer_fees(C, 150, on=day(1))
    assert violation(n.offer_fees, C, 200, on=day(1)).reference == "guide 6.5.3.2"
    assert "counter offer" in violation(n.reject_fees, K, on=day(1)).message
    assert violation(n.accept_fees, C, on=day(1)).reference == "guide 6.5.3.2"
    n = n.offer_fees(K, 400, on=day(2))
    assert violation(n.offer_fees, K, 350, on=day(2)).reference == "guide 6.5.3.2"
    assert violation(n.accept_fees, K, on=day(2)).reference == "guide 6.5.3.2"
    assert n.fees.stage == "claimant counter offer open"


# --- guide 6.5.5 Withdrawal of offers ------------------------------------------------------


def test_655_you_and_the_compensator_can_make_up_to_3_offers_each():
    """MAX_OFFERS is 3, and offers_left counts down to 0 for both sides."""
    assert MAX_OFFERS == 3
    n = three_rounds()
    assert n.offers_left(K) == 0
    assert n.offers_left(C) == 0
    assert n.allowed_actions(C, day(6)).next_offer_number is None


def test_655_an_offer_is_left_open_and_each_side_can_accept_reject_or_go_back_with_a_further_offer():
    """A new offer is open; the other side may accept it, reject it or counter it."""
    n = opened()
    assert n.latest_offer(C).status is OfferStatus.OPEN
    assert n.accept(K, on=day(1)).latest_offer(C).status is OfferStatus.ACCEPTED
    assert n.reject(K, on=day(1)).latest_offer(C).status is OfferStatus.REJECTED
    countered = n.offer(K, 2000, on=day(1))
    assert countered.latest_offer(C).status is OfferStatus.REJECTED
    assert countered.latest_offer(C).rejected_on == day(1)


def test_655_if_no_response_within_10_business_days_either_side_can_withdraw():
    """An open offer may be withdrawn strictly after the 10th business day, by either side."""
    n = opened()
    err = violation(n.withdraw, C, on=date(2023, 5, 17))
    assert err.reference == "guide 6.5.5"
    assert "2023-05-18" in err.message
    assert err.value == date(2023, 5, 17)
    assert n.withdraw(C, on=WITHDRAW_FROM_D0).latest_offer(C).withdrawn_on == WITHDRAW_FROM_D0
    # the claimant too ("either side")
    m = n.offer(K, 2000, on=D0)
    assert violation(m.withdraw, K, on=date(2023, 5, 17)).reference == "guide 6.5.5"
    assert m.withdraw(K, on=WITHDRAW_FROM_D0).latest_offer(K).status is OfferStatus.WITHDRAWN


def test_655_withdrawal_day_may_be_a_weekend():
    """The first withdrawal day is the calendar day after the 10th business day."""
    n = Negotiation().offer(C, 1000, on=date(2023, 5, 4))  # 10th business day: Fri 19 May
    assert n.allowed_actions(C, date(2023, 5, 4)).withdraw_from == date(2023, 5, 20)
    assert n.withdraw(C, on=date(2023, 5, 20)).latest_offer(C).status is OfferStatus.WITHDRAWN


@given(made_on=middle_dates)
def test_655_withdrawal_boundary_property(made_on):
    """For any date, withdrawal fails on the due date and succeeds the day after."""
    n = Negotiation().offer(C, 1000, on=made_on)
    due = due_date(Period.OFFER_WITHDRAWAL, made_on)
    with pytest.raises(ProtocolViolation):
        n.withdraw(C, on=due)
    assert n.withdraw(C, on=due + timedelta(days=1)).latest_offer(C).status is (
        OfferStatus.WITHDRAWN
    )
    assert n.allowed_actions(C, made_on).withdraw_from == due + timedelta(days=1)


def test_655_if_you_withdraw_before_the_offer_is_rejected_it_does_not_count():
    """An offer withdrawn while open does not count; one withdrawn after rejection does."""
    n = opened().withdraw(C, on=WITHDRAW_FROM_D0)
    assert not n.latest_offer(C).counts
    assert n.offers_counted(C) == 0
    assert n.offers_left(C) == 3
    m = opened().reject(K, on=day(1)).withdraw(C, on=day(1))
    assert m.latest_offer(C).counts
    assert m.offers_counted(C) == 1


def test_655_withdrawal_via_the_portal_only_before_the_court_valuation_form():
    """After the Court Valuation Form no withdrawal, citing guide 6.5.5 and written notice."""
    n = opened().reject(K, on=day(1)).create_court_valuation_form(on=day(2))
    err = violation(n.withdraw, C, on=day(30))
    assert err.reference == "guide 6.5.5, 6.5.6"
    assert "written notice" in err.message


def test_655_beyond_this_stage_a_withdrawal_can_only_be_made_by_written_notice():
    """Every portal action after the Court Valuation Form raises, a second form too."""
    n = opened().create_court_valuation_form(on=day(1))
    for attempt in (
        lambda: n.offer(C, 2000, on=day(2)),
        lambda: n.offer(K, 2000, on=day(2)),
        lambda: n.reject(K, on=day(2)),
        lambda: n.accept(K, on=day(2)),
    ):
        assert "written notice" in violation(attempt).message
    assert violation(n.create_court_valuation_form, on=day(2)).reference == "guide 6.5.5, 6.5.6"
    assert n.fees is None
    assert all(a not in n.allowed_actions(K, day(2)).actions for a in ("accept", "offer"))


# --- guide 6.5.5.1 What happens next -------------------------------------------------------


def test_6551_if_an_offer_is_withdrawn_it_can_no_longer_be_accepted():
    """A withdrawn offer cannot be accepted, by number or by default."""
    n = opened().withdraw(C, on=WITHDRAW_FROM_D0)
    err = violation(n.accept, K, on=WITHDRAW_FROM_D0, offer_number=1)
    assert err.reference == "guide 6.5.5.1"
    assert "withdrawn" in err.message
    err = violation(n.accept, K, on=WITHDRAW_FROM_D0)
    assert err.reference == "guide 6.5.5.1"
    # rejected, then withdrawn at once: no late acceptance under 6.5.6
    m = opened().offer(K, 3000, on=day(1)).withdraw(C, on=day(1))
    assert violation(m.accept, K, on=day(2), offer_number=1).reference == "guide 6.5.5.1"


def test_6551_the_party_withdrawing_the_offer_is_left_with_no_offer_on_the_portal():
    """After withdrawal the other side has nothing to reject, and nothing open to answer."""
    n = opened().withdraw(C, on=WITHDRAW_FROM_D0)
    assert n.latest_offer(C).status is OfferStatus.WITHDRAWN
    err = violation(n.reject, K, on=WITHDRAW_FROM_D0)
    assert "withdrawn" in err.message
    assert "accept" not in n.allowed_actions(K, WITHDRAW_FROM_D0).actions
    err = violation(n.withdraw, C, on=WITHDRAW_FROM_D0)
    assert err.reference == "guide 6.5.5.1"
    assert "already withdrawn" in err.message


def test_6551_the_party_withdrawing_the_offer_may_replace_it_with_a_new_offer():
    """A withdrawn offer can be replaced, at any amount not below the last standing one."""
    n = opened(1000).withdraw(C, on=WITHDRAW_FROM_D0).offer(C, 900, on=WITHDRAW_FROM_D0)
    assert n.latest_offer(C).status is OfferStatus.OPEN
    assert n.latest_offer(C).amount == Decimal("900.00")  # the withdrawn one sets no floor


def test_6551_withdrawn_and_replaced_before_the_other_partys_next_offer_keeps_its_number():
    """If the second offer is withdrawn and replaced, the new offer is still the second."""
    n = opened().offer(K, 3000, on=day(1)).offer(C, 1200, on=day(2))
    n = n.withdraw(C, on=W2).offer(C, 1300, on=W2)
    assert [(o.number, o.status) for o in n.offers(C)] == [
        (1, OfferStatus.REJECTED),
        (2, OfferStatus.WITHDRAWN),
        (2, OfferStatus.OPEN),
    ]
    assert n.offers_counted(C) == 2


def test_6551_withdrawn_after_the_other_partys_next_offer_the_new_offer_is_the_next():
    """An offer withdrawn after the other side's next offer counts: the new one is next."""
    n = opened().offer(K, 3000, on=day(1)).withdraw(C, on=day(1)).offer(C, 1100, on=day(2))
    assert n.latest_offer(C).number == 2


def claimant_third_offer() -> Negotiation:
    """The claimant's three offers each rejected outright; its third is open."""
    n = opened().offer(K, 3000, on=day(1)).reject(C, on=day(1))
    return n.offer(K, 2800, on=day(2)).reject(C, on=day(2)).offer(K, 2500, on=day(3))


def test_6551_compensator_withdrawing_after_your_third_and_final_offer_cannot_make_a_new_offer():
    """The bar: withdrawing after the claimant's third offer leaves the compensator none."""
    n = claimant_third_offer().withdraw(C, on=day(3))  # its offer 1, rejected, any time
    assert n.offers_counted(C) == 1
    assert n.offers_left(C) == 0
    err = violation(n.offer, C, 1400, on=day(7))
    assert err.reference == "guide 6.5.5.1"
    assert "third and final" in err.message
    # the same withdrawal earlier leaves the compensator free to offer again
    m = opened().offer(K, 3000, on=day(1)).withdraw(C, on=day(1))
    assert m.offers_left(C) == 2


def test_6551_the_bar_stays_when_the_claimant_later_withdraws_its_third_offer():
    """Choice: the bar is permanent, even if the claimant's third offer is withdrawn."""
    n = claimant_third_offer().withdraw(C, on=day(3)).withdraw(K, on=date(2023, 5, 30))
    assert n.offers_counted(K) == 2
    assert n.offers_left(C) == 0
    assert violation(n.offer, C, 1400, on=date(2023, 5, 30)).reference == "guide 6.5.5.1"


def test_6551_the_bar_needs_a_third_claimant_offer_that_counts():
    """A claimant's third offer withdrawn while open does not count (guide 6.5.5), so a
    compensator withdrawing after it is not barred, and the claimant may replace it."""
    n = claimant_third_offer().withdraw(K, on=date(2023, 5, 30))
    assert (n.offers_counted(K), n.offers_left(K)) == (2, 1)
    n = n.withdraw(C, on=date(2023, 5, 30))
    assert n.offers_left(C) == 2
    assert n.allowed_actions(C, date(2023, 5, 30)).next_offer_number == 2
    n = n.offer(K, 2400, on=date(2023, 5, 31))
    assert n.latest_offer(K).number == 3
    assert n.offer(C, 1100, on=date(2023, 5, 31)).latest_offer(C).number == 2


def test_6551_a_compensator_that_withdraws_and_cannot_replace_has_no_offer_on_the_portal():
    """ "An effect of the compensator withdrawing an offer and not replacing it (or not
    being able to do so)": its withdrawn offer can no longer be accepted or answered."""
    n = claimant_third_offer().withdraw(C, on=day(3))
    a = n.allowed_actions(K, day(3))
    assert a.acceptable_offers == ()
    assert "accept" not in a.actions
    assert "reject" not in a.actions
    assert violation(n.accept, K, on=day(3)).reference == "guide 6.5.5.1"


# --- guide 6.5.6 Accepting offers previously rejected --------------------------------------


def test_656_you_may_reject_the_compensators_offer_then_later_accept_it():
    """The claimant rejects offer 1, then accepts it."""
    n = opened().reject(K, on=day(1)).accept(K, on=day(5))
    assert n.settled_amount == Decimal("1000.00")
    accepted = n.latest_offer(C)
    assert accepted.status is OfferStatus.ACCEPTED
    assert (accepted.rejected_on, accepted.accepted_on) == (day(1), day(5))


def test_656_the_compensator_may_accept_your_offer_even_if_it_previously_rejected_it():
    """The compensator's counter offer rejected the claimant's; it can still accept it."""
    n = opened().offer(K, 3000, on=day(1)).offer(C, 1500, on=day(2))
    assert n.latest_offer(K).status is OfferStatus.REJECTED
    n = n.accept(C, on=day(3))
    assert n.settled_amount == Decimal("3000.00")
    assert n.history[-1].offer_number == 1


def test_656_possible_if_the_offer_has_not_been_withdrawn_until_the_court_valuation_form():
    """Late acceptance works until the Court Valuation Form, and never for a withdrawn offer."""
    n = opened().reject(K, on=day(1))
    assert n.allowed_actions(K, day(2)).acceptable_offers == (1,)
    assert violation(n.withdraw(C, on=day(2)).accept, K, on=day(3)).reference == "guide 6.5.5.1"
    cvf = n.create_court_valuation_form(on=day(2))
    err = violation(cvf.accept, K, on=day(3))
    assert err.reference == "guide 6.5.5, 6.5.6"


def test_656_you_can_still_accept_after_the_form_by_sending_a_written_notice():
    """The refusal after the Court Valuation Form says acceptance goes by written notice."""
    n = opened().create_court_valuation_form(on=day(1))
    assert "written notice" in violation(n.accept, K, on=day(1)).message


# --- choices where the guide is ambiguous (docs/offers.md) ---------------------------------


def test_choice_explicitly_rejected_then_withdrawn_offer_counts():
    """Guide 6.5.5 over 6.5.5.1: a rejected offer withdrawn and replaced takes the next number."""
    n = opened().reject(K, on=day(1)).withdraw(C, on=day(1)).offer(C, 1000, on=day(1))
    assert n.latest_offer(C).number == 2


def test_choice_withdrawn_unanswered_then_other_side_offers_keeps_number():
    """An offer withdrawn while open does not count, even if the other side offers next."""
    n = opened().offer(K, 3000, on=day(1)).offer(C, 1200, on=day(2))
    n = n.withdraw(C, on=W2).offer(K, 2500, on=W2)
    n = n.offer(C, 1200, on=date(2023, 5, 21))
    assert n.latest_offer(C).number == 2


def test_choice_a_rejected_offer_may_be_withdrawn_at_any_time():
    """The ten business days apply only to an unanswered offer."""
    n = opened().reject(K, on=D0).withdraw(C, on=D0)
    assert n.latest_offer(C).status is OfferStatus.WITHDRAWN
    assert n.allowed_actions(C, D0).withdraw_from is None


def test_choice_no_new_offer_while_own_latest_is_open():
    """A party waits for a response, or withdraws, before offering again."""
    err = violation(opened().offer, C, 1200, on=day(1))
    assert err.reference == "guide 6.5.5"
    assert "still open" in err.message


def test_choice_claimant_may_counter_a_withdrawn_compensator_offer():
    """Once the compensator has made an offer, even one withdrawn, the claimant may offer."""
    n = opened().withdraw(C, on=WITHDRAW_FROM_D0).offer(K, 2000, on=WITHDRAW_FROM_D0)
    assert n.latest_offer(K).number == 1


def test_choice_accepting_a_superseded_offer_settles_at_its_amount():
    """The claimant may accept the compensator's earlier, lower offer; others keep status."""
    n = opened(1000).offer(K, 3000, on=day(1)).offer(C, 1200, on=day(2))
    n = n.accept(K, on=day(3), offer_number=1)
    assert n.settled_amount == Decimal("1000.00")
    assert [o.status for o in n.offers(C)] == [OfferStatus.ACCEPTED, OfferStatus.OPEN]


def test_choice_default_acceptance_skips_a_withdrawn_latest_offer():
    """By default the latest offer not withdrawn is accepted."""
    n = opened(1000).offer(K, 3000, on=day(1)).offer(C, 1200, on=day(2))
    n = n.withdraw(C, on=W2)
    assert n.accept(K, on=W2).settled_offer.number == 1


def test_choice_accepting_a_replaced_number_takes_the_live_offer():
    """With two offers numbered 2 (one withdrawn), offer_number=2 takes the live one."""
    n = opened().offer(K, 3000, on=day(1)).offer(C, 1200, on=day(2))
    n = n.withdraw(C, on=W2).offer(C, 1300, on=W2)
    assert n.accept(K, on=date(2023, 5, 21), offer_number=2).settled_amount == Decimal("1300.00")


def test_choice_a_party_cannot_accept_its_own_offer():
    """accept(party) names only the other side's offers: the claimant has none here."""
    n = opened()
    err = violation(n.accept, C, on=day(1))
    assert "claimant has no offer" in err.message
    assert violation(n.accept, C, on=day(1), offer_number=1).reference == "guide 6.5.6"


def test_choice_no_rejection_of_an_offer_already_rejected_or_of_nothing():
    """Only an open offer of the other side can be rejected."""
    n = opened().reject(K, on=day(1))
    assert "rejected, not open" in violation(n.reject, K, on=day(1)).message
    assert "no offer to reject" in violation(n.reject, C, on=day(1)).message


def test_choice_withdrawing_nothing_is_refused():
    """A party with no offer has nothing to withdraw."""
    err = violation(opened().withdraw, K, on=day(30))
    assert err.reference == "guide 6.5.5"
    assert "no offer to withdraw" in err.message


def test_choice_accepting_a_number_never_made_is_refused():
    """Accepting offer 2 when only offer 1 exists names guide 6.5.6."""
    err = violation(opened().accept, K, on=day(1), offer_number=2)
    assert err.field == "offer_number"
    assert err.value == 2


def test_choice_same_day_actions_are_allowed():
    """Several actions may share a date."""
    n = opened().offer(K, 3000, on=D0).offer(C, 1100, on=D0).accept(K, on=D0)
    assert n.is_settled


# --- errors on bad input -------------------------------------------------------------------


def test_dates_going_backwards_raise_rules_error_not_violation():
    """An action dated before the previous one is bad data: RulesError naming the order."""
    n = opened()
    with pytest.raises(RulesError) as info:
        n.reject(K, on=D0 - timedelta(days=1))
    assert not isinstance(info.value, ProtocolViolation)
    assert info.value.field == "on"
    assert "order" in info.value.reference
    with pytest.raises(RulesError, match="before the previous action"):
        n.allowed_actions(K, D0 - timedelta(days=1))


def test_bad_types_and_values_raise_typed_errors():
    """Wrong party, date or amount types raise RulesError or RulesTypeError."""
    n = Negotiation()
    with pytest.raises(RulesError, match="not one of Party"):
        n.offer("insurer", 1000, on=D0)
    with pytest.raises(RulesTypeError, match=r"expected a datetime\.date"):
        n.offer(C, 1000, on="2023-05-02")
    with pytest.raises(RulesError, match="negative"):
        n.offer(C, -1, on=D0)
    with pytest.raises(RulesTypeError):
        n.offer(C, True, on=D0)
    with pytest.raises(RulesError, match="numbered 1 to 3") as info:
        opened().accept(K, on=D0, offer_number=4)
    assert info.value.reference == "guide 6.5.5.1"
    with pytest.raises(RulesTypeError):
        opened().accept(K, on=D0, offer_number="1")
    with pytest.raises(RulesTypeError, match="EnglandWalesCalendar"):
        Negotiation(calendar="ENG")


def test_dates_outside_coverage_raise_out_of_coverage():
    """An action date outside 2000..2100 raises OutOfCoverageError."""
    with pytest.raises(OutOfCoverageError) as info:
        Negotiation().offer(C, 1000, on=date(1999, 12, 31))
    assert "2000-01-01" in info.value.reference


def test_withdrawal_check_near_the_end_of_coverage_raises_not_falls_back():
    """An offer too late for its ten business days to fit the calendar cannot be withdrawn."""
    n = Negotiation().offer(C, 1000, on=date(2100, 12, 30))
    with pytest.raises(OutOfCoverageError):
        n.withdraw(C, on=date(2100, 12, 31))


def test_strings_and_datetimes_are_accepted_where_sensible():
    """Party slugs, numeric strings and datetimes (their date) are accepted."""
    n = Negotiation().offer("compensator", "1500.50", on=datetime(2023, 5, 2, 15, 30))
    assert n.latest_offer(C).amount == Decimal("1500.50")
    assert n.latest_offer(C).made_on == D0


@pytest.mark.parametrize(
    ("data", "fragment", "field"),
    [
        ({"kind": "bid", "on": "2023-05-02"}, "not one of EventKind", "events[0].kind"),
        ({"on": "2023-05-02"}, "needs a kind", "events[0].kind"),
        ({"kind": "offer", "party": "claimant", "amount": "1"}, "needs a date", "events[0].on"),
        (
            {"kind": "offer", "on": "2023-02-30", "party": "compensator", "amount": "1"},
            "no such date",
            "events[0].on",
        ),
        (
            {"kind": "offer", "on": "2023-05-02", "party": "compensator", "amount": "1.005"},
            "two decimal places",
            "events[0].amount",
        ),
        (
            {"kind": "offer", "on": "2023-05-02", "party": "compensator", "amount": "£1"},
            "plain decimal",
            "events[0].amount",
        ),
        (
            {"kind": "offer", "on": "2023-05-02", "party": "compensator"},
            "needs this field",
            "events[0].amount",
        ),
        (
            {"kind": "reject", "on": "2023-05-02", "party": "claimant", "amount": "1"},
            "unknown field for a reject event",
            "events[0].amount",
        ),
        (
            {"kind": "accept", "on": "2023-05-02", "party": "claimant", "offer_number": 0},
            "numbered 1 to 3",
            "events[0].offer_number",
        ),
        (
            {"kind": "court-valuation-form", "on": "2023-05-02", "party": "claimant"},
            "unknown field",
            "events[0].party",
        ),
        (
            {"kind": "withdraw", "on": "2023-05-02", "party": "judge"},
            "not one of Party",
            "events[0].party",
        ),
    ],
)
def test_replay_validates_dicts_strictly(data, fragment, field):
    """Bad dict events raise RulesError naming their position and the rule."""
    with pytest.raises(RulesError, match=fragment) as info:
        Negotiation.replay([data])
    assert info.value.field == field
    assert "guide" in str(info.value) or "pounds and pence" in str(info.value)


def test_replay_refuses_non_lists_and_non_events():
    """A string, a mapping or a non-mapping element is refused as a type error."""
    with pytest.raises(RulesTypeError):
        Negotiation.replay("[]")
    with pytest.raises(RulesTypeError):
        Negotiation.replay({"kind": "offer"})
    with pytest.raises(RulesTypeError) as info:
        Negotiation.replay([["offer"]])
    assert info.value.field == "events[0]"


def test_replay_refuses_non_iterables_with_a_rules_error():
    """Regression: replay(None) or replay(5) raised a bare TypeError; now RulesTypeError."""
    for bad in (None, 5, 1.5):
        with pytest.raises(RulesTypeError, match="expected a list of events") as info:
            Negotiation.replay(bad)
        assert info.value.field == "events"
        assert "guide 6.5.3" in info.value.reference


def test_fee_negotiation_checks_its_offers_and_party():
    """Regression: FeeNegotiation took any list (kept mutable) and latest_offer('x') on an
    empty one answered None instead of refusing the party."""
    with pytest.raises(RulesTypeError, match="expected an Offer") as info:
        FeeNegotiation([1])
    assert info.value.reference == "guide 6.5.3.2"
    assert info.value.field == "offers[0]"
    with pytest.raises(RulesTypeError, match="sequence of Offer"):
        FeeNegotiation(None)
    offer = Offer(party=C, number=1, amount=150, made_on=D0)
    offers = [offer]
    fees = FeeNegotiation(offers)
    offers.append(offer)
    assert fees.offers == (offer,)
    with pytest.raises(RulesError, match="not one of Party"):
        FeeNegotiation().latest_offer("insurer")


def test_event_errors_use_the_right_article():
    """Regression: the message read "a offer event"; it is "an offer event"."""
    with pytest.raises(RulesError, match=r"^amount: an offer event needs this field"):
        Event(kind=EventKind.OFFER, on=D0, party=C)
    with pytest.raises(RulesError, match=r"^amount: an accept event does not take"):
        Event(kind=EventKind.ACCEPT, on=D0, party=C, amount=1)
    with pytest.raises(RulesError, match=r"^party: a withdraw event needs this field"):
        Event(kind=EventKind.WITHDRAW, on=D0)


def test_event_constructor_checks_fields_per_kind():
    """Event() itself refuses missing and extra fields."""
    with pytest.raises(RulesError, match="needs this field"):
        Event(kind=EventKind.REJECT, on=D0)
    with pytest.raises(RulesError, match="does not take"):
        Event(kind=EventKind.COURT_VALUATION_FORM, on=D0, offer_number=1)
    e = Event(kind="accept", on=D0, party="claimant")
    assert e.offer_number is None
    assert e.to_dict() == {"kind": "accept", "on": "2023-05-02", "party": "claimant"}


def test_offer_validates_its_fields():
    """Offer() converts and checks every field."""
    o = Offer(party="claimant", number=1, amount=5, made_on=D0, status="rejected")
    assert o.status is OfferStatus.REJECTED
    assert o.counts
    with pytest.raises(RulesError, match="OfferStatus"):
        Offer(party="claimant", number=1, amount=5, made_on=D0, status="pending")


def test_a_forbidden_action_leaves_the_negotiation_unchanged():
    """The original negotiation is the same before and after a refused action."""
    n = opened()
    before = (n.to_dict(), n.history, hash(n))
    violation(n.offer, C, 2000, on=day(1))
    assert (n.to_dict(), n.history, hash(n)) == before


# --- history, replay, equality, rendering --------------------------------------------------


def full_story() -> Negotiation:
    n = opened().offer(K, 3000, on=day(1)).offer(C, 1200, on=day(2))
    n = n.withdraw(C, on=W2).offer(C, 1300, on=W2)
    n = n.offer(K, 2500, on=date(2023, 5, 22)).accept(C, on=date(2023, 5, 23))
    return n.offer_fees(C, 150, on=date(2023, 5, 23)).accept_fees(K, on=date(2023, 5, 24))


def test_replay_from_events_and_json_gives_an_equal_state():
    """Replaying the history, or its JSON, gives an equal negotiation and equal data."""
    n = full_story()
    again = Negotiation.replay(n.history)
    assert again == n
    assert hash(again) == hash(n)
    from_json = Negotiation.replay(json.loads(json.dumps([e.to_dict() for e in n.history])))
    assert from_json == n
    assert from_json.to_dict() == n.to_dict()


def test_accept_records_the_number_so_named_and_default_are_equal():
    """accept() with and without offer_number give equal histories when they agree."""
    n = opened().offer(K, 3000, on=day(1))
    assert n.accept(C, on=day(2)) == n.accept(C, on=day(2), offer_number=1)


def test_equality_depends_on_events_and_calendar():
    """Different events or a different calendar make negotiations unequal."""
    assert opened(1000) != opened(1001)
    assert Negotiation(calendar=EnglandWalesCalendar()) == Negotiation()
    cal = EnglandWalesCalendar(extra_holidays=[date(2023, 5, 10)])
    assert Negotiation(calendar=cal) != Negotiation()
    assert Negotiation(calendar=cal).offer(C, 1, on=D0).calendar is cal


def test_calendar_moves_the_withdrawal_date_and_survives_replay():
    """An extra holiday delays withdrawal by a day; replay keeps the calendar."""
    cal = EnglandWalesCalendar(extra_holidays=[date(2023, 5, 10)])
    n = Negotiation(calendar=cal).offer(C, 1000, on=D0)
    assert violation(n.withdraw, C, on=WITHDRAW_FROM_D0).reference == "guide 6.5.5"
    assert n.withdraw(C, on=date(2023, 5, 19)).is_settled is False
    assert Negotiation.replay(n.history, calendar=cal) == n
    assert n.to_dict()["extra_holidays"] == ["2023-05-10"]


def test_pickle_round_trip():
    """A negotiation pickles to an equal one (for multiprocessing and Dask)."""
    n = full_story()
    assert pickle.loads(pickle.dumps(n)) == n
    assert pickle.loads(pickle.dumps(n)).settled_amount == n.settled_amount


def test_text_html_and_dict_rendering():
    """str() is a table of offers and counts; HTML escapes; to_dict() is JSON-ready."""
    n = full_story()
    text = str(n)
    assert text.startswith("Negotiation: settled at £2,500.00")
    assert "withdrawn | no" in text
    assert "Fees: fees agreed" in text
    assert repr(n) == "<Negotiation: settled, 9 events>"
    html = n._repr_html_()
    assert html.startswith('<p role="status"')
    assert "<strong>Negotiation: settled at £2,500.00</strong>" in html
    assert '>Offers counted</th><th style="text-align:right">Offers left</th>' in html
    assert ">Counts towards the three offers</th>" in html
    data = n.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["settled_amount"] == "2500.00"
    assert data["offers_counted"] == {"compensator": 2, "claimant": 2}
    assert data["fees"]["agreed_amount"] == "150.00"
    assert data["history"][0] == {
        "kind": "offer",
        "on": "2023-05-02",
        "party": "compensator",
        "amount": "1000.00",
    }


def test_allowed_actions_renders_and_explains_refusals():
    """AllowedActions lists actions and each refusal with its rule, in text, HTML and JSON."""
    n = opened().offer(K, 3000, on=day(1))
    a = n.allowed_actions(C, day(1))
    assert isinstance(a, AllowedActions)
    assert a.actions == ("offer", "reject", "withdraw", "accept", "court-valuation-form")
    assert a.next_offer_number == 2
    assert a.offer_limit == Decimal("1000.00")
    text = str(a)
    assert "offer 2, at least £1,000.00" in text
    assert "[guide 6.5.3.2]" in text
    assert "<strong>Compensator on Wed 3 May 2023</strong>" in a._repr_html_()
    data = a.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert {
        "action": "fee-offer",
        "reason": data["refused"][0]["reason"],
        "reference": "guide 6.5.3.2",
    } in data["refused"]
    k = n.allowed_actions(K, day(1))
    assert k.withdraw_from == date(2023, 5, 19)
    assert "at most £3,000.00" in str(n.reject(C, on=day(1)).allowed_actions(K, day(1)))


def test_fee_negotiation_renders():
    """FeeNegotiation.to_dict() is JSON-ready and says the stage."""
    fees = full_story().fees
    assert fees.to_dict()["stage"] == "fees agreed"
    assert fees.to_dict()["offers"][0]["amount"] == "150.00"


# --- properties ----------------------------------------------------------------------------


@given(first=money(5000), second=money(5000))
def test_compensator_offers_never_go_down(first, second):
    """A compensator's second offer succeeds exactly when it is not below its first."""
    n = Negotiation().offer(C, first, on=D0).offer(K, 5000, on=D0)
    if second >= first:
        assert n.offer(C, second, on=D0).latest_offer(C).amount == second
    else:
        assert violation(n.offer, C, second, on=D0).reference == "guide 6.5.3.1"


@given(first=money(5000), second=money(5000))
def test_claimant_offers_never_go_up(first, second):
    """A claimant's second offer succeeds exactly when it is not above its first."""
    n = Negotiation().offer(C, 0, on=D0).offer(K, first, on=D0).offer(C, 0, on=D0)
    if second <= first:
        assert n.offer(K, second, on=D0).latest_offer(K).amount == second
    else:
        assert violation(n.offer, K, second, on=D0).reference == "guide 6.5.3.1"


@given(
    kind=st.sampled_from(["offer", "fee-offer"]),
    on=middle_dates,
    party=st.sampled_from(["compensator", "claimant"]),
    amount=money(),
)
def test_event_dict_round_trip(kind, on, party, amount):
    """Event.from_dict(to_dict()) is the same event."""
    e = Event(kind=kind, on=on, party=party, amount=amount)
    assert Event.from_dict(json.loads(json.dumps(e.to_dict()))) == e


SHARED_CALENDAR = EnglandWalesCalendar(extra_holidays=[date(2023, 1, 16), date(2023, 2, 1)])
parties = st.sampled_from([C, K])


class NegotiationMachine(RuleBasedStateMachine):
    """Random portal action sequences keep every invariant of guide 6.5.3 to 6.5.6."""

    def __init__(self) -> None:
        super().__init__()
        self.n = Negotiation()
        self.today = date(2023, 1, 2)
        self.settled: tuple[tuple[Offer, ...], Offer | None] | None = None

    @initialize(extra_holidays=st.booleans())
    def start(self, extra_holidays):
        self.n = Negotiation(calendar=SHARED_CALENDAR if extra_holidays else None)

    def attempt(self, name, party, action):
        """Try an action; check it against allowed_actions and the old state."""
        allowed = self.n.allowed_actions(party, self.today)
        before, before_data = self.n, self.n.to_dict()
        try:
            after = action(before)
        except ProtocolViolation as err:
            refusal: ProtocolViolation | None = err
        else:
            refusal = None
        if refusal is not None:
            assert refusal.reference.startswith("guide 6.5")
            assert before.to_dict() == before_data
            assert name != "offer-at-limit" or "offer" not in allowed.actions
            if name in {"reject", "withdraw", "accept", "fee-accept", "fee-reject"}:
                assert name not in allowed.actions
            return
        assert name.removesuffix("-at-limit").removesuffix("-any") in allowed.actions
        # statuses only move forward: a withdrawn or accepted offer stays so
        for p in Party:
            for old, new in zip(
                before.offers(p), after.offers(p)[: len(before.offers(p))], strict=True
            ):
                if old.status in {OfferStatus.WITHDRAWN, OfferStatus.ACCEPTED}:
                    assert new == old
        self.n = after

    @rule(days=st.integers(min_value=0, max_value=20))
    def wait(self, days):
        self.today += timedelta(days=days)

    @rule(party=parties)
    def wait_until_withdrawal_is_possible(self, party):
        """Jump to the first day ``party``'s open offer may be withdrawn (guide 6.5.5).

        Without it random waits rarely leave an offer unanswered for ten business days,
        and withdrawals of open offers and their same-number replacements go untested.
        """
        first = self.n.allowed_actions(party, self.today).withdraw_from
        if first is not None:
            self.today = first

    @rule(party=parties, step=st.integers(min_value=0, max_value=300))
    def offer_at_limit(self, party, step):
        limit = self.n.allowed_actions(party, self.today).offer_limit
        base = limit if limit is not None else Decimal(2000 if party is K else 500)
        amount = base + step if party is C else max(Decimal(0), base - step)
        self.attempt("offer-at-limit", party, lambda n: n.offer(party, amount, on=self.today))

    @rule(
        party=parties,
        pick=st.integers(min_value=0, max_value=7),
        step=st.integers(min_value=0, max_value=300),
        go=st.integers(min_value=0, max_value=3),
    )
    def listed_action(self, party, pick, step, go):
        """Take an action allowed_actions lists: it must succeed."""
        allowed = self.n.allowed_actions(party, self.today)
        choices = [
            a
            for a in allowed.actions
            if a != "court-valuation-form"  # the dedicated rule tries it, rarely
            and (go == 0 or a not in {"accept", "fee-accept", "fee-reject"})
        ]
        if not choices:
            return
        name, on, n = choices[pick % len(choices)], self.today, self.n
        if name == "offer":
            limit = allowed.offer_limit
            base = limit if limit is not None else Decimal(2000 if party is K else 500)
            amount = base + step if party is C else max(Decimal(0), base - step)
            after = n.offer(party, amount, on=on)
        elif name == "accept":
            number = allowed.acceptable_offers[pick % len(allowed.acceptable_offers)]
            after = n.accept(party, on=on, offer_number=number)
        elif name == "fee-offer":
            after = n.offer_fees(party, step, on=on)
        else:
            after = n.apply(
                {"kind": name, "on": on.isoformat()}
                | ({} if name == "court-valuation-form" else {"party": party.value})
            )
        self.n = after

    @rule(party=parties, amount=money(5000))
    def offer_any(self, party, amount):
        self.attempt("offer-any", party, lambda n: n.offer(party, amount, on=self.today))

    @rule(party=parties, amount=money(5000), share=st.sampled_from([50, 75, 80, 100]))
    def offer_any_on_a_share(self, party, amount, share):
        """Issue 22: offers on a negotiated share of liability keep every invariant, and
        an offer allowed_actions lists at its limit (in worth) is accepted."""
        self.attempt(
            "offer-any",
            party,
            lambda n: n.offer(party, amount, on=self.today, liability_percent=share),
        )

    @rule(party=parties)
    def reject(self, party):
        self.attempt("reject", party, lambda n: n.reject(party, on=self.today))

    @rule(party=parties)
    def withdraw(self, party):
        self.attempt("withdraw", party, lambda n: n.withdraw(party, on=self.today))

    # Accepting and the Court Valuation Form end the negotiation: they are tried only on
    # one draw in four, so that most runs reach withdrawals, replacements and the bar.
    @rule(
        party=parties,
        number=st.none() | st.integers(min_value=1, max_value=3),
        go=st.integers(min_value=0, max_value=3),
    )
    def accept(self, party, number, go):
        if go:
            return
        theirs = self.n.offers(party.other)
        live = [o for o in theirs if o.status is not OfferStatus.WITHDRAWN]
        if number is None:
            self.attempt("accept", party, lambda n: n.accept(party, on=self.today))
        else:
            self.attempt(
                "accept-any",
                party,
                lambda n: n.accept(party, on=self.today, offer_number=number),
            )
        if self.n.is_settled and self.settled is None:
            accepted = self.n.settled_offer
            assert any(o.number == accepted.number and o.amount == accepted.amount for o in live)

    @rule(go=st.integers(min_value=0, max_value=9))
    def court_valuation_form(self, go):
        if go:
            return
        self.attempt(
            "court-valuation-form", C, lambda n: n.create_court_valuation_form(on=self.today)
        )

    @rule(party=parties, amount=money(1000))
    def fee_offer(self, party, amount):
        self.attempt("fee-offer-any", party, lambda n: n.offer_fees(party, amount, on=self.today))

    @rule(party=parties)
    def fee_accept(self, party):
        self.attempt("fee-accept", party, lambda n: n.accept_fees(party, on=self.today))

    @rule(party=parties)
    def fee_reject(self, party):
        self.attempt("fee-reject", party, lambda n: n.reject_fees(party, on=self.today))

    @invariant()
    def at_most_three_counted_offers_and_numbers(self):
        for p in Party:
            offers = self.n.offers(p)
            assert all(1 <= o.number <= MAX_OFFERS for o in offers)
            assert 0 <= self.n.offers_counted(p) <= MAX_OFFERS
            assert self.n.offers_counted(p) == sum(o.counts for o in offers)
            assert 0 <= self.n.offers_left(p) <= MAX_OFFERS - self.n.offers_counted(p)

    @invariant()
    def standing_offers_move_towards_each_other(self):
        """Compared by worth: the amount after the offer's share of liability, if any."""
        for p, ordered in ((C, sorted), (K, lambda xs: sorted(xs, reverse=True))):
            amounts = [o.worth for o in self.n.offers(p) if o.status is not OfferStatus.WITHDRAWN]
            assert amounts == ordered(amounts)

    @invariant()
    def withdrawn_offers_are_never_accepted(self):
        for o in self.n.offers(C) + self.n.offers(K):
            if o.status is OfferStatus.ACCEPTED:
                assert o.withdrawn_on is None
            if o.status is OfferStatus.WITHDRAWN:
                assert o.withdrawn_on is not None
                assert o.accepted_on is None

    @invariant()
    def at_most_one_open_offer_while_negotiating(self):
        if not self.n.is_settled:
            open_offers = [
                o for o in self.n.offers(C) + self.n.offers(K) if o.status is OfferStatus.OPEN
            ]
            assert len(open_offers) <= 1

    @invariant()
    def a_settled_negotiation_never_changes(self):
        if not self.n.is_settled:
            assert self.settled is None
            return
        snapshot = (self.n.offers(C) + self.n.offers(K), self.n.settled_offer)
        if self.settled is None:
            self.settled = snapshot
        assert snapshot == self.settled
        assert self.n.court_valuation_form_on is None  # settling needs the portal open

    @invariant()
    def replay_rebuilds_an_equal_state(self):
        n = self.n
        assert Negotiation.replay(n.history, calendar=n.calendar) == n
        dicts = json.loads(json.dumps([e.to_dict() for e in n.history]))
        again = Negotiation.replay(dicts, calendar=n.calendar)
        assert again == n
        assert again.to_dict() == n.to_dict()

    @invariant()
    def history_dates_never_go_backwards(self):
        dates = [e.on for e in self.n.history]
        assert dates == sorted(dates)


# The profile's budget caps the machine's (the `mutation` profile runs 10 examples).
NegotiationMachine.TestCase.settings = settings(
    NegotiationMachine.TestCase.settings,
    max_examples=min(100, settings.default.max_examples),
    stateful_step_count=50,
)
TestNegotiationMachine = NegotiationMachine.TestCase


# --- whiplash: no offer or settlement before the medical report (CLA 2018 s.6) --------------


def test_whiplash_offer_before_the_medical_report_is_refused():
    """CLA 2018 s.6; guide 6.4.1.2: the law requires a medical report for a whiplash claim."""
    n = Negotiation(whiplash=True)
    with pytest.raises(ProtocolViolation) as err:
        n.offer(Party.COMPENSATOR, 240, on=date(2023, 5, 2))
    assert err.value.reference == "Civil Liability Act 2018 s.6; guide 6.4.1.2"
    assert n.stage == "awaiting the medical report (whiplash claim)"
    refused = {
        a: ref for a, _, ref in n.allowed_actions(Party.COMPENSATOR, date(2023, 5, 2)).refused
    }
    assert refused["offer"] == "Civil Liability Act 2018 s.6; guide 6.4.1.2"
    done = (
        n.receive_medical_report(on=date(2023, 5, 2))
        .offer(Party.COMPENSATOR, 240, on=date(2023, 5, 3))
        .receive_medical_report(on=date(2023, 5, 4))  # a further report: the first is kept
        .accept(Party.CLAIMANT, on=date(2023, 5, 5))
    )
    assert done.is_settled
    assert done.medical_report_on == date(2023, 5, 2)
    data = done.to_dict()
    assert data["whiplash"] is True
    assert data["medical_report_on"] == "2023-05-02"
    assert Negotiation.replay(done.history, whiplash=True) == done
    with pytest.raises(ProtocolViolation):
        Negotiation.replay(done.history[1:], whiplash=True)


def test_non_whiplash_claims_and_default_callers_are_unaffected():
    """Without whiplash=True the negotiation behaves as before: no report needed."""
    plain = Negotiation().offer(Party.COMPENSATOR, 240, on=date(2023, 5, 2))
    assert plain.latest_offer(Party.COMPENSATOR).amount == Decimal("240.00")
    assert Negotiation(whiplash=False) == Negotiation()
    assert Negotiation(whiplash=True) != Negotiation()
    with pytest.raises(RulesTypeError):
        Negotiation(whiplash=1)
    event = Event(kind="medical-report", on=date(2023, 5, 2))
    assert event.to_dict() == {"kind": "medical-report", "on": "2023-05-02"}
    with pytest.raises(RulesError):
        Event(kind="medical-report", on=date(2023, 5, 2), party="claimant")


@pytest.mark.parametrize(
    "changes",
    [
        {"amount": "\u0669\u0660\u0660"},  # Arabic-Indic 900
        {"amount": "900\u00a0"},
        {"on": "\uff12023-05-20"},
        {"on": "2023-05-20\u3000"},  # ideographic space
    ],
)
def test_event_files_take_ascii_numbers_and_dates_only(changes: dict[str, str]):
    data = {"kind": "offer", "on": "2023-05-20", "party": "claimant", "amount": "900", **changes}
    with pytest.raises(RulesError) as caught:
        Event.from_dict(data)
    assert caught.value.value == next(iter(changes.values()))


# --- errors report the value as received, and every problem of an event at once ---------


def test_protocol_errors_report_the_value_as_received():
    """Rules work on converted values; errors show what the caller gave (issue 10)."""
    err = violation(Negotiation().offer, "claimant", "900", on=day(0))
    assert err.value == "claimant"  # not Party.CLAIMANT
    n = opened(1000).offer(K, 3000, on=day(1))
    low = violation(n.offer, C, 999, on=day(2))
    assert low.value == 999
    assert type(low.value) is int  # not Decimal('999.00')
    when = datetime(2023, 5, 3, 9, 30)
    withdrawn = violation(opened(1000).withdraw, "compensator", on=when)
    assert withdrawn.value is when
    assert withdrawn.to_dict()["value"] == "2023-05-03T09:30:00"


def test_a_dict_events_errors_report_its_own_values():
    first = {"kind": "offer", "on": "2023-05-02", "party": "compensator", "amount": "1000"}
    lower = {"kind": "offer", "on": "2023-05-05", "party": "compensator", "amount": "999.5"}
    counter = {"kind": "offer", "on": "2023-05-03", "party": "claimant", "amount": "3000"}
    with pytest.raises(ProtocolViolation) as caught:
        Negotiation.replay([first, counter, lower])
    assert caught.value.value == "999.5"
    n = Negotiation().apply(first).apply(counter)
    with pytest.raises(ProtocolViolation) as caught:
        n.apply({**first, "on": "2023-05-04", "amount": "999.99"})
    assert caught.value.value == "999.99"
    assert caught.value.to_dict()["value"] == "999.99"


def test_event_constructor_reports_the_field_it_does_not_take_as_received():
    with pytest.raises(RulesError) as caught:
        Event(kind="reject", on=day(0), party="claimant", amount=5)
    assert caught.value.value == 5


def test_event_from_dict_reports_every_problem_at_once():
    data = {"kind": "offer", "on": "2023-02-30", "amount": "1.005", "note": "x"}
    with pytest.raises(InvalidInput) as caught:
        Event.from_dict(data, where="events[3]")
    fields = [p.field for p in caught.value.problems]
    assert fields == ["events[3].on", "events[3].note", "events[3].amount", "events[3].party"]
    assert "no such date" in caught.value.problems[0].message
    again = Event.problems(data, where="events[3]")
    assert [str(p) for p in again] == [str(p) for p in caught.value.problems]
    assert Event.problems({"kind": "reject", "on": "2023-05-02", "party": "claimant"}) == ()


@given(
    bad=st.sets(st.sampled_from(["kind", "on", "party", "amount", "extra"])),
)
def test_event_problems_name_exactly_the_bad_fields(bad: set[str]):
    good = {"kind": "offer", "on": "2023-05-02", "party": "claimant", "amount": "900"}
    corrupt = {"kind": "bid", "on": "2023-02-30", "party": "judge", "amount": "-1", "extra": 1}
    data = {**good, **{name: corrupt[name] for name in bad}}
    problems = Event.problems(data)
    assert {p.field for p in problems} == {f"event.{name}" for name in bad}
    if not bad:
        assert Event.from_dict(data) == Event(
            kind="offer", on=date(2023, 5, 2), party="claimant", amount="900"
        )
    elif len(bad) == 1:
        with pytest.raises(RulesError) as caught:
            Event.from_dict(data)
        assert not isinstance(caught.value, InvalidInput)
        assert [str(p) for p in caught.value.problems] == [str(p) for p in problems]
    else:
        with pytest.raises(InvalidInput) as caught:
            Event.from_dict(data)
        assert [str(p) for p in caught.value.problems] == [str(p) for p in problems]


def test_replay_reports_the_problems_of_every_event_before_applying_any():
    events = [
        {"kind": "offer", "on": "2023-05-02", "party": "compensator", "amount": "1.005"},
        {"kind": "accept", "on": "2023-02-30", "party": "claimant"},
    ]
    with pytest.raises(InvalidInput) as caught:
        Negotiation.replay(events)
    assert [p.field for p in caught.value.problems] == ["events[0].amount", "events[1].on"]


# --- rules the mutation run (issue 17, docs/testing.md) showed were not pinned -------------


def test_allowed_actions_counts_in_the_negotiations_calendar():
    # Offer on Tuesday 2 May 2023: plain calendar, withdrawable from 18 May. With an extra
    # holiday on 10 May the period ends a business day later, so not before 19 May.
    cal = EnglandWalesCalendar(extra_holidays=[date(2023, 5, 10)])
    plain = Negotiation().offer(Party.COMPENSATOR, 1000, on=date(2023, 5, 2))
    late = Negotiation(calendar=cal).offer(Party.COMPENSATOR, 1000, on=date(2023, 5, 2))
    assert plain.allowed_actions(Party.COMPENSATOR, date(2023, 5, 17)).withdraw_from == date(
        2023, 5, 18
    )
    on_18th = late.allowed_actions(Party.COMPENSATOR, date(2023, 5, 18))
    assert on_18th.withdraw_from == date(2023, 5, 19)
    assert "withdraw" not in on_18th.actions
    assert "withdraw" in plain.allowed_actions(Party.COMPENSATOR, date(2023, 5, 18)).actions
    on_19th = late.allowed_actions(Party.COMPENSATOR, date(2023, 5, 19))
    assert "withdraw" in on_19th.actions
    assert on_19th.withdraw_from is None
    # The answer agrees with the action itself.
    with pytest.raises(ProtocolViolation):
        late.withdraw(Party.COMPENSATOR, on=date(2023, 5, 18))
    assert late.withdraw(Party.COMPENSATOR, on=date(2023, 5, 19)) is not None


def _settled_after_a_withdrawal() -> Negotiation:
    return (
        Negotiation()
        .offer(Party.COMPENSATOR, 1000, on=date(2023, 5, 2))
        .withdraw(Party.COMPENSATOR, on=date(2023, 5, 18))
        .offer(Party.COMPENSATOR, 1200, on=date(2023, 5, 19))
        .reject(Party.CLAIMANT, on=date(2023, 5, 22))
        .offer(Party.CLAIMANT, 2000, on=date(2023, 5, 22))
        .accept(Party.COMPENSATOR, on=date(2023, 5, 23))
    )


def test_the_offer_views_say_which_offers_count():
    # A withdrawn offer never rejected is not one of the three (guide 6.5.5); a rejected
    # or accepted one is. The JSON, the text table and the HTML table all say so.
    n = _settled_after_a_withdrawal()
    expected = ["no", "yes", "yes"]
    assert [o["counts"] for o in n.to_dict()["offers"]] == [c == "yes" for c in expected]
    headers, rows = views.table(n._repr_html_())
    assert [r[views.column(headers, "count")] for r in rows] == expected
    headers, rows = views.text_table(str(n))
    assert [r[views.column(headers, "count")] for r in rows] == expected
    assert "settled at £2,000.00" in str(n).splitlines()[0]
    assert n.offers_counted(Party.COMPENSATOR) == 1
    assert n.to_dict()["offers_counted"] == {"compensator": 1, "claimant": 1}
    assert n.to_dict()["offers_left"] == {"compensator": 2, "claimant": 2}
    assert n.to_dict()["settled_amount"] == "2000.00"


def test_allowed_actions_json_and_views_state_each_answer():
    # The claimant, after two compensator offers (the first withdrawn, the second open)
    # and an offer of their own that was rejected, may accept the open one or offer again,
    # at most their last figure.
    n = (
        Negotiation()
        .offer(Party.COMPENSATOR, 1000, on=date(2023, 5, 2))
        .withdraw(Party.COMPENSATOR, on=date(2023, 5, 18))
        .offer(Party.COMPENSATOR, 1200, on=date(2023, 5, 19))
        .offer(Party.CLAIMANT, 3000, on=date(2023, 5, 22))
        .reject(Party.COMPENSATOR, on=date(2023, 5, 22))
    )
    allowed = n.allowed_actions(Party.CLAIMANT, date(2023, 5, 23))
    data = allowed.to_dict()
    expected = {
        "party": "claimant",
        "on": "2023-05-23",
        "actions": list(allowed.actions),
        "acceptable_offers": list(allowed.acceptable_offers),
        "next_offer_number": 2,
        "offer_limit": "3000.00",
        "withdraw_from": None,
        "refused": [
            {"action": a, "reason": why, "reference": ref} for a, why, ref in allowed.refused
        ],
    }
    assert views.subset(data, expected) == expected
    assert "accept" in allowed.actions
    assert "offer" in allowed.actions
    for headers, rows in (views.text_table(str(allowed)), views.table(allowed._repr_html_())):
        said = {r[0]: r[views.column(headers, "allowed")].split()[-1] for r in rows}  # "✓ yes"
        assert said == {
            **dict.fromkeys(allowed.actions, "yes"),
            **{a: "no" for a, _, _ in allowed.refused},
        }
        detail = {r[0]: r[views.column(headers, "detail")] for r in rows}
        numbers = ", ".join(str(k) for k in allowed.acceptable_offers)
        assert detail["accept"] == f"offer {numbers}"
        assert detail["offer"] == "offer 2, at most £3,000.00"
        for action, why, ref in allowed.refused:
            assert detail[action] == f"{why} [{ref}]"


# --- every refusal, word for word (tests/golden/errors/offers.txt) ---------------------------
#
# Each refusal names the value received (a party slug, an int amount or a datetime stays
# as the caller gave it, not its converted form) and the guide section that forbids it.

WHEN_BEFORE_D0 = datetime(2023, 5, 1, 9, 30)  # a datetime, the day before the first offer


class Pick(IntEnum):
    """A caller's own int type for an offer number: errors show it as received."""

    SECOND = 2


def fees_countered() -> Negotiation:
    """Settled; the compensator's fee offer of 150 met by the claimant's counter of 400."""
    return settled().offer_fees(C, 150, on=day(1)).offer_fees(K, 400, on=day(2))


def cvf_created() -> Negotiation:
    return opened().create_court_valuation_form(on=day(1))


ERRORS = {
    # values and types (guide 6.5.3.1, 6.5.5.1; amounts guide 4.4, 6.5.2)
    "6.5.5.1 an Offer is numbered 1 to 3": lambda: Offer(party=K, number=4, amount=1, made_on=D0),
    "6.5.5.1 an accepted offer number is 1 to 3": lambda: opened().accept(K, on=D0, offer_number=0),
    "6.5.5.1 an offer number is an int": lambda: opened().accept(K, on=D0, offer_number="1"),
    "6.5.3.1 the party is compensator or claimant": lambda: Negotiation().offer(
        "insurer", 1000, on=D0
    ),
    "an offer status is one of OfferStatus": lambda: Offer(
        party=K, number=1, amount=5, made_on=D0, status="pending"
    ),
    "an amount is never negative": lambda: Negotiation().offer(C, -1, on=D0),
    "an Offer's amount is pounds and pence": lambda: Offer(
        party=K, number=1, amount="1.005", made_on=D0
    ),
    "an amount is not a bool": lambda: Negotiation().offer(C, True, on=D0),
    "an action date is a date": lambda: Negotiation().offer(C, 1000, on="2023-05-02"),
    "an action date is inside the calendar's coverage": lambda: Negotiation().offer(
        C, 1000, on=date(1999, 12, 31)
    ),
    "an offer's made_on is a date": lambda: Offer(
        party=K, number=1, amount=5, made_on="2023-05-02"
    ),
    "an offer's rejected_on is a date": lambda: Offer(
        party=K, number=1, amount=5, made_on=D0, rejected_on="2023-05-03"
    ),
    "an offer's withdrawn_on is a date": lambda: Offer(
        party=K, number=1, amount=5, made_on=D0, withdrawn_on="2023-05-03"
    ),
    "an offer's accepted_on is inside coverage": lambda: Offer(
        party=K, number=1, amount=5, made_on=D0, accepted_on=date(2101, 1, 1)
    ),
    "the calendar is an EnglandWalesCalendar": lambda: Negotiation(calendar="ENG"),
    "whiplash is True or False": lambda: Negotiation(whiplash=1),
    # events (guide 6.5.3)
    "an event kind is one of EventKind": lambda: Event(kind="bid", on=D0),
    "an offer event needs an amount": lambda: Event(kind="offer", on=D0, party=C),
    "a withdraw event needs a party": lambda: Event(kind="withdraw", on=D0),
    "a reject event takes no amount": lambda: Event(
        kind="reject", on=D0, party="claimant", amount=5
    ),
    "a court-valuation-form event takes no offer number": lambda: Event(
        kind="court-valuation-form", on=D0, offer_number=1
    ),
    "an event dict is a mapping": lambda: Event.from_dict(["offer"], where="events[0]"),
    "an event dict has a kind": lambda: Event.from_dict({"on": "2023-05-02"}),
    "an event dict has a date": lambda: Event.from_dict({"kind": "court-valuation-form"}),
    "an event dict's date exists": lambda: Event.from_dict(
        {"kind": "court-valuation-form", "on": "2023-02-30"}
    ),
    "an event dict's date is inside coverage": lambda: Event.from_dict(
        {"kind": "court-valuation-form", "on": "1999-12-31"}
    ),
    "an event dict of no kind takes no other field": lambda: Event.from_dict(
        {"on": "2023-05-02", "note": 1}
    ),
    "an event dict's keys are field names": lambda: Event.from_dict(
        {"kind": "court-valuation-form", "on": "2023-05-02", 7: "x"}
    ),
    "an event dict's key that is not a name is shown as its repr": lambda: Event.from_dict(
        {"kind": "court-valuation-form", "on": "2023-05-02", date(2023, 5, 2): "x"}
    ),
    "an event dict's party is a Party": lambda: Event.from_dict(
        {"kind": "withdraw", "on": "2023-05-02", "party": "judge"}
    ),
    "an event dict's offer number is 1 to 3": lambda: Event.from_dict(
        {"kind": "accept", "on": "2023-05-02", "party": "claimant", "offer_number": 0}
    ),
    "an event read on its own that is not a mapping points at the document": lambda: (
        Event.from_dict(5)
    ),
    "an event dict's key may be empty: the problem points at it": lambda: Event.from_dict(
        {"kind": "withdraw", "on": "2023-05-02", "party": "claimant", "": 1}, where="events[2]"
    ),
    "an event dict read as the whole document ($) is located at its root": lambda: Event.from_dict(
        {"kind": "withdraw", "on": "2023-02-30", "party": "claimant"}, where="$"
    ),
    "6.3.1.1 an event dict's share of liability is more than 0, located": lambda: Event.from_dict(
        {
            "kind": "offer",
            "on": "2023-05-02",
            "party": "compensator",
            "amount": "1000",
            "liability_percent": 0,
        },
        where="events[1]",
    ),
    "replay locates an event's one problem once": lambda: Negotiation.replay(
        [
            {"kind": "offer", "on": "2023-05-02", "party": "compensator", "amount": "1000"},
            {"kind": "reject", "on": "2023-05-03", "party": "claimant", "amount": 5},
        ]
    ),
    "an event dict's every problem at once": lambda: Event.from_dict(
        {"kind": "offer", "on": "2023-02-30", "amount": "1.005", "note": "x"}, where="events[3]"
    ),
    "replay takes a list of events, not a string": lambda: Negotiation.replay("[]"),
    "replay takes a list of events, not None": lambda: Negotiation.replay(None),
    "replay reports every event's problems": lambda: Negotiation.replay(
        [
            {"kind": "offer", "on": "2023-05-02", "party": "compensator", "amount": "1.005"},
            {"kind": "accept", "on": "2023-02-30", "party": "claimant"},
        ]
    ),
    "6.5.3.2 fee offers are a sequence": lambda: FeeNegotiation(None),
    "6.5.3.2 fee offers are a sequence, not a mapping": lambda: FeeNegotiation({"offers": []}),
    "6.5.3.2 fee offers are Offers": lambda: FeeNegotiation([1]),
    "6.5.3.2 a fee party is a Party": lambda: FeeNegotiation().latest_offer("insurer"),
    # actions are recorded in order (guide 6.5.3): the datetime is reported as given
    "an offer dated before the previous action": lambda: opened().offer(C, 1100, on=WHEN_BEFORE_D0),
    "a rejection dated before the previous action": lambda: opened().reject(K, on=WHEN_BEFORE_D0),
    "a withdrawal dated before the previous action": lambda: opened().withdraw(
        C, on=WHEN_BEFORE_D0
    ),
    "an acceptance dated before the previous action": lambda: opened().accept(K, on=WHEN_BEFORE_D0),
    "a Court Valuation Form dated before the previous action": lambda: (
        opened().create_court_valuation_form(on=WHEN_BEFORE_D0)
    ),
    "a fee offer dated before the previous action": lambda: settled().offer_fees(
        C, 150, on=WHEN_BEFORE_D0
    ),
    "a fee acceptance dated before the previous action": lambda: (
        settled().offer_fees(C, 150, on=day(1)).accept_fees(K, on=WHEN_BEFORE_D0)
    ),
    "a fee rejection dated before the previous action": lambda: fees_countered().reject_fees(
        C, on=WHEN_BEFORE_D0
    ),
    "allowed actions asked for a date before the previous action": lambda: opened().allowed_actions(
        K, WHEN_BEFORE_D0
    ),
    # guide 6.5.3.1 and 6.5.5: offers
    "6.5.3.1 the compensator makes the first offer": lambda: Negotiation().offer(
        "claimant", "900", on=D0
    ),
    "6.5.5 no new offer while the party's own is open": lambda: opened().offer(C, 1100, on=day(1)),
    "6.5.5.1 a compensator withdrawing after the third claimant offer offers no more": lambda: (
        claimant_third_offer().withdraw(C, on=day(3)).offer("compensator", 1400, on=day(7))
    ),
    "6.5.5 there is no fourth offer": lambda: three_rounds().offer(C, 1400, on=day(6)),
    "6.5.3.1 a compensator's offer is not lower than its previous one": lambda: (
        opened(1000).offer(K, 3000, on=day(1)).offer(C, 999, on=day(2))
    ),
    "6.5.3.1 a claimant's offer is not higher than its previous one": lambda: (
        opened(1000).offer(K, 3000, on=day(1)).offer(C, 1100, on=day(2)).offer(K, 3001, on=day(3))
    ),
    "CLA 2018 s.6 no whiplash offer before the medical report": lambda: Negotiation(
        whiplash=True
    ).offer(C, 240, on=D0),
    "CLA 2018 s.6 no whiplash settlement before the medical report": lambda: Negotiation(
        whiplash=True
    ).accept(K, on=D0, offer_number=Pick.SECOND),
    # guide 6.5.5: rejections and withdrawals
    "6.5.5 nothing to reject": lambda: Negotiation().reject("compensator", on=D0),
    "6.5.5 only an open offer can be rejected": lambda: (
        opened().reject(K, on=day(1)).reject(K, on=day(2))
    ),
    "6.5.5 nothing to withdraw": lambda: Negotiation().withdraw("claimant", on=D0),
    "6.5.5.1 an offer withdrawn is not withdrawn again": lambda: (
        opened().withdraw(C, on=WITHDRAW_FROM_D0).withdraw(C, on=WITHDRAW_FROM_D0)
    ),
    "6.5.5 an open offer is withdrawn only after 10 business days": lambda: opened().withdraw(
        C, on=datetime(2023, 5, 17, 16, 0)
    ),
    # guide 6.5.6: acceptances
    "6.5.6 nothing to accept": lambda: Negotiation().accept("claimant", on=D0),
    "6.5.5.1 every offer withdrawn: nothing to accept": lambda: (
        opened().withdraw(C, on=WITHDRAW_FROM_D0).accept("claimant", on=WITHDRAW_FROM_D0)
    ),
    "6.5.6 no such offer number to accept": lambda: opened().accept(
        K, on=D0, offer_number=Pick.SECOND
    ),
    "6.5.5.1 a withdrawn offer can no longer be accepted": lambda: (
        opened()
        .offer(K, 3000, on=day(1))
        .withdraw(C, on=day(1))
        .offer(C, 1100, on=day(2))
        .accept(K, on=day(2), offer_number=1)
    ),
    "6.5.3.1 no Court Valuation Form before the first offer": lambda: (
        Negotiation().create_court_valuation_form(on=datetime(2023, 5, 2, 9, 0))
    ),
    # guide 6.5.3.1 and 6.5.6: a settled claim, or one past the Court Valuation Form
    "6.5.3.1 settled: no new offer": lambda: settled().offer(C, 1100, on=day(2)),
    "6.5.3.1 settled: no rejection": lambda: settled().reject(C, on=day(2)),
    "6.5.3.1 settled: no withdrawal": lambda: settled().withdraw(C, on=day(2)),
    "6.5.3.1 settled: no acceptance": lambda: settled().accept(K, on=day(2)),
    "6.5.3.1 settled: no Court Valuation Form": lambda: settled().create_court_valuation_form(
        on=day(2)
    ),
    "6.5.6 after the Court Valuation Form: no new offer": lambda: cvf_created().offer(
        C, 1100, on=day(2)
    ),
    "6.5.6 after the Court Valuation Form: no rejection": lambda: cvf_created().reject(
        K, on=day(2)
    ),
    "6.5.6 after the Court Valuation Form: no withdrawal": lambda: cvf_created().withdraw(
        C, on=day(30)
    ),
    "6.5.6 after the Court Valuation Form: no acceptance": lambda: cvf_created().accept(
        K, on=day(2)
    ),
    "6.5.6 after the Court Valuation Form: no second form": lambda: (
        cvf_created().create_court_valuation_form(on=day(2))
    ),
    # guide 6.5.3.2: fees
    "6.5.3.2 no fee offer before the losses are settled": lambda: opened().offer_fees(
        C, 100, on=day(1)
    ),
    "6.5.3.2 no fee acceptance before the losses are settled": lambda: opened().accept_fees(
        K, on=day(1)
    ),
    "6.5.3.2 no fee rejection before the losses are settled": lambda: opened().reject_fees(
        C, on=day(1)
    ),
    "6.5.3.2 the compensator makes one fee offer": lambda: (
        settled().offer_fees(C, 150, on=day(1)).offer_fees(C, 200, on=day(1))
    ),
    "6.5.3.2 the claimant makes one fee counter offer": lambda: fees_countered().offer_fees(
        K, 350, on=day(2)
    ),
    "6.5.3.2 the claimant counters only after the compensator's fee offer": lambda: (
        settled().offer_fees("claimant", 400, on=day(1))
    ),
    "6.5.3.2 the claimant has no bare fee rejection": lambda: (
        settled().offer_fees(C, 150, on=day(1)).reject_fees("claimant", on=day(1))
    ),
    "6.5.3.2 no fee offer to accept": lambda: settled().accept_fees(K, on=day(1)),
    "6.5.3.2 no open fee offer to accept (countered)": lambda: fees_countered().accept_fees(
        K, on=day(2)
    ),
    "6.5.3.2 no fee counter offer to reject": lambda: (
        settled().offer_fees(C, 150, on=day(1)).reject_fees(C, on=day(1))
    ),
    "6.5.3.2 fees agreed: the fee negotiation is over": lambda: (
        fees_countered().accept_fees(C, on=day(3)).offer_fees(K, 300, on=day(3))
    ),
    "6.5.3.2 counter offer rejected: the fee negotiation is over": lambda: (
        fees_countered().reject_fees(C, on=day(3)).accept_fees(K, on=day(4))
    ),
    # an Event applied as it is: the refusal shows the event's own value
    "an Event dated before the previous action": lambda: opened().apply(
        Event(kind="reject", on=date(2023, 5, 1), party=K)
    ),
    "6.5.3.1 an Event offering lower than the compensator's previous offer": lambda: (
        opened(1000)
        .offer(K, 3000, on=day(1))
        .apply(Event(kind="offer", on=day(2), party=C, amount=999))
    ),
    "6.5.3.1 an Event offering higher than the claimant's previous offer": lambda: (
        opened(1000)
        .offer(K, 3000, on=day(1))
        .offer(C, 1100, on=day(2))
        .apply(Event(kind="offer", on=day(3), party=K, amount=3001))
    ),
    "6.5.5 an Event withdrawing an open offer too early": lambda: opened().apply(
        Event(kind="withdraw", on=date(2023, 5, 17), party=C)
    ),
    "6.5.6 an Event accepting an offer number never made": lambda: opened().apply(
        Event(kind="accept", on=D0, party=K, offer_number=2)
    ),
    "6.5.5.1 an Event accepting a withdrawn offer": lambda: (
        opened()
        .offer(K, 3000, on=day(1))
        .withdraw(C, on=day(1))
        .offer(C, 1100, on=day(2))
        .apply(Event(kind="accept", on=day(2), party=K, offer_number=1))
    ),
    # liability negotiated at the offer stage (guide 6.3.1.1, 6.5.2, 6.5.3.1)
    "6.3.1.1 an offer on a share of 0": lambda: Negotiation().offer(
        C, 1000, on=D0, liability_percent=0
    ),
    "6.3.1.1 an offer on a share above 100": lambda: Negotiation().offer(
        C, 1000, on=D0, liability_percent="100.5"
    ),
    "6.5.3.1 a compensator's offer worth less on a lower share": lambda: (
        opened().offer(K, 3000, on=day(1)).offer(C, 1100, on=day(2), liability_percent=80)
    ),
    "6.5.3.1 a claimant's offer worth more on a higher share": lambda: (
        opened()
        .offer(K, 3000, on=day(1), liability_percent=50)
        .offer(C, 1000, on=day(2))
        .offer(K, 2000, on=day(3))
    ),
    "6.3.1.1 an Event of a kind other than offer takes no share of liability": lambda: Event(
        kind="reject", on=D0, party=K, liability_percent=80
    ),
    "6.3.1.1 liability_percent on a reject event": lambda: Event.from_dict(
        {"kind": "reject", "on": "2023-05-02", "party": "claimant", "liability_percent": 80}
    ),
}


def test_every_refusal_matches_its_golden_file():
    golden_errors.check("offers", ERRORS)


@pytest.mark.parametrize("name", ["rejected_on", "withdrawn_on", "accepted_on"])
def test_an_offers_status_dates_name_their_own_field(name: str):
    """Regression: a bad rejected_on, withdrawn_on or accepted_on was reported as field
    "date", so a portal backend could not tell which of an offer's dates was wrong."""
    with pytest.raises(RulesTypeError) as caught:
        Offer(party=K, number=1, amount=5, made_on=D0, **{name: "2023-05-03"})
    assert caught.value.field == name
    assert caught.value.value == "2023-05-03"


# --- rules the first full mutation run of offers showed were not pinned (issue 17) ----------


def _compensator_offers_1_and_3_standing() -> Negotiation:
    """Compensator offers 1 (rejected), 2 (rejected, then withdrawn) and 3 (open)."""
    n = opened(1000).offer(K, 3000, on=day(1)).offer(C, 1200, on=day(2))
    n = n.offer(K, 2800, on=day(3)).withdraw(C, on=day(3))
    return n.offer(C, 1300, on=day(4))


def test_6551_656_acceptable_offers_are_every_one_not_withdrawn():
    """Guide 6.5.6: an offer rejected earlier may still be accepted "if the offer has not
    been withdrawn"; guide 6.5.5.1: "if an offer is withdrawn it can no longer be
    accepted". So the claimant may accept offers 1 and 3, not the withdrawn 2, and each
    answer agrees with accept() itself."""
    n = _compensator_offers_1_and_3_standing()
    allowed = n.allowed_actions(K, day(4))
    assert allowed.acceptable_offers == (1, 3)
    assert allowed.to_dict()["acceptable_offers"] == [1, 3]
    assert n.accept(K, on=day(4), offer_number=1).settled_amount == Decimal("1000.00")
    assert n.accept(K, on=day(4), offer_number=3).settled_amount == Decimal("1300.00")
    assert "withdrawn" in violation(n.accept, K, on=day(4), offer_number=2).message


def test_6531_no_offer_limit_or_number_when_the_party_may_not_offer():
    """A party whose own offer is still open may not offer (guide 6.5.5), so allowed
    actions give neither the number nor the bound of a next offer (guide 6.5.3.1)."""
    n = opened(1000).offer(K, 3000, on=day(1)).offer(C, 1200, on=day(2))
    compensator = n.allowed_actions(C, day(3))
    assert "offer" not in compensator.actions
    assert (compensator.next_offer_number, compensator.offer_limit) == (None, None)
    claimant = n.allowed_actions(K, day(3))
    assert (claimant.next_offer_number, claimant.offer_limit) == (2, Decimal("3000.00"))


def test_656_a_replayed_acceptance_of_an_earlier_offer_settles_at_that_offer():
    """Guide 6.5.6: accepting an offer rejected earlier settles at its amount, and the
    event's offer_number survives the round trip through JSON (Event.from_dict)."""
    n = opened(1000).offer(K, 3000, on=day(1)).offer(C, 1200, on=day(2))
    n = n.accept(K, on=day(3), offer_number=1)
    events = json.loads(json.dumps([e.to_dict() for e in n.history]))
    assert events[-1] == {
        "kind": "accept",
        "on": "2023-05-05",
        "party": "claimant",
        "offer_number": 1,
    }
    assert Event.from_dict(events[-1]).offer_number == 1
    again = Negotiation.replay(events)
    assert again.settled_amount == Decimal("1000.00")
    assert again == n


def test_6532_fee_answers_record_their_day():
    """Guide 6.5.3.2: a fee offer accepted records the day of acceptance; a counter offer
    rejects the compensator's fee offer on the day it is made; the compensator's
    rejection of the counter offer records its day too. The other offers are untouched."""
    base = settled().offer_fees(C, 150, on=day(1))
    agreed = base.accept_fees(K, on=day(2)).fees
    assert [(o.status, o.accepted_on) for o in agreed.offers] == [(OfferStatus.ACCEPTED, day(2))]
    countered = base.offer_fees(K, 400, on=day(3))
    court = countered.reject_fees(C, on=day(4)).fees
    assert [(o.party, o.status, o.rejected_on) for o in court.offers] == [
        (C, OfferStatus.REJECTED, day(3)),
        (K, OfferStatus.REJECTED, day(4)),
    ]
    assert court.to_dict()["goes_to_court"] is True
    assert court.stage == "counter offer rejected: fees go to court"
    on_counter = countered.accept_fees(C, on=day(4)).fees
    assert [(o.party, o.status, o.accepted_on) for o in on_counter.offers] == [
        (C, OfferStatus.REJECTED, None),
        (K, OfferStatus.ACCEPTED, day(4)),
    ]
    assert on_counter.agreed_amount == Decimal("400.00")
    assert base.fees.stage == "compensator fee offer open"


def test_a_negotiations_json_states_the_court_valuation_form_and_the_calendar():
    """The JSON records the day the Court Valuation Form was created (guide 6.5.6) and the
    calendar's extra closure and working days that decide the 10 business days (6.5.5)."""
    cal = EnglandWalesCalendar(
        extra_holidays=[date(2023, 5, 11), date(2023, 5, 10)],
        extra_business_days=[date(2023, 5, 8)],
    )
    n = Negotiation(cal).offer(C, 1000, on=D0).create_court_valuation_form(on=day(1))
    data = n.to_dict()
    assert data["court_valuation_form_on"] == "2023-05-03"
    assert data["extra_holidays"] == ["2023-05-10", "2023-05-11"]
    assert data["extra_business_days"] == ["2023-05-08"]
    assert data["settled_offer"] is None
    settled_data = settled().to_dict()
    assert settled_data["settled_offer"]["accepted_on"] == "2023-05-03"
    assert settled_data["court_valuation_form_on"] is None


def test_655_allowed_actions_use_the_calendar_with_an_extra_closure_day():
    """Issue 17: the negotiation's calendar must reach allowed_actions. With an extra
    holiday on Wednesday 10 May 2023 an offer of 2 May may be withdrawn from 19 May, not
    18 May (guide 6.5.5: "10 business days"); the refusal names that day, and the claimant's
    side (no open offer of its own) is unaffected."""
    cal = EnglandWalesCalendar(extra_holidays=[date(2023, 5, 10)])
    n = Negotiation(cal).offer(C, 1000, on=D0)
    on_18th = n.allowed_actions(C, date(2023, 5, 18))
    assert on_18th.withdraw_from == date(2023, 5, 19)
    assert on_18th.to_dict()["withdraw_from"] == "2023-05-19"
    reasons = {a: why for a, why, _ in on_18th.refused}
    assert reasons["withdraw"].endswith("may be withdrawn from 2023-05-19")
    assert on_18th.to_dict()["actions"] == ["court-valuation-form"]
    assert n.allowed_actions(C, date(2023, 5, 19)).to_dict()["actions"] == [
        "withdraw",
        "court-valuation-form",
    ]


# --- liability negotiated at the offer stage (issue 22) ------------------------------------


def test_an_offer_may_state_the_share_of_liability_it_is_made_on():
    """Guide 6.3.1.1, 6.5.2: an offer's ``liability_percent`` is recorded, shown and replayed;
    its ``worth`` is the amount after the share; an offer without one is worth its amount."""
    n = Negotiation().offer(C, 2000, on=D0, liability_percent=80)
    offer = n.latest_offer(C)
    assert (offer.liability_percent, offer.worth) == (Decimal(80), Decimal("1600.00"))
    assert offer.to_dict()["liability_percent"] == "80.00"
    assert offer.to_dict()["worth"] == "1600.00"
    assert n.history[-1].to_dict() == {
        "kind": "offer",
        "on": "2023-05-02",
        "party": "compensator",
        "amount": "2000.00",
        "liability_percent": "80.00",
    }
    assert Negotiation.replay([e.to_dict() for e in n.history]) == n
    plain = Negotiation().offer(C, 2000, on=D0).latest_offer(C)
    assert plain.worth == plain.amount
    assert "liability_percent" not in plain.to_dict()


def test_offers_on_different_shares_are_compared_by_worth():
    """Guide 6.5.3.1 read with 6.3.1.1: a compensator's £1,900 on 100% after £2,000 on 80%
    (£1,600) is a higher offer; a claimant's £2,500 on 100% after £3,000 on 80% (£2,400)
    is a higher demand and is refused."""
    n = Negotiation().offer(C, 2000, on=D0, liability_percent=80)
    n = n.offer(K, 3000, on=day(1), liability_percent=80)
    assert n.offer(C, 1900, on=day(2), liability_percent=100).latest_offer(C).worth == 1900
    with pytest.raises(ProtocolViolation, match=r"worth £2,400\.00"):
        n.offer(C, 1900, on=day(2), liability_percent=100).offer(
            K, 2500, on=day(3), liability_percent=100
        )


@given(
    amount=money(),
    share=st.integers(1, 100),
)
def test_worth_is_never_more_than_the_amount_and_grows_with_the_share(amount, share):
    """Property: 0 <= worth <= amount, and a higher share is worth at least as much."""
    lower = Offer(party=C, number=1, amount=amount, made_on=D0, liability_percent=share)
    assert Decimal(0) <= lower.worth <= lower.amount
    if share < 100:
        higher = Offer(party=C, number=1, amount=amount, made_on=D0, liability_percent=share + 1)
        assert higher.worth >= lower.worth


# --- rules the full run of offers on the whole suite showed were not pinned (issue 25) -----


def test_655_from_json_applies_the_events_in_the_callers_calendar():
    """Guide 6.5.5: an open offer may be withdrawn only after "10 business days" with no
    response, counted in the negotiation's calendar. ``from_json`` replays in the calendar
    it is given, as ``replay`` does: with an extra holiday on Wednesday 10 May 2023 an offer
    of 2 May may be withdrawn from 19 May, so a withdrawal on 18 May is refused, while the
    default calendar allows it."""
    cal = EnglandWalesCalendar(extra_holidays=[date(2023, 5, 10)])
    offer = {"kind": "offer", "on": "2023-05-02", "party": "compensator", "amount": "1000"}

    def text(withdrawn_on: str) -> str:
        withdraw = {"kind": "withdraw", "on": withdrawn_on, "party": "compensator"}
        return json.dumps([offer, withdraw])

    with pytest.raises(ProtocolViolation) as info:
        Negotiation.from_json(text("2023-05-18"), calendar=cal)
    assert info.value.message.endswith("may be withdrawn from 2023-05-19")
    assert info.value.pointer == "/events/1/on"
    assert Negotiation.from_json(text("2023-05-18")).latest_offer(C).withdrawn_on == date(
        2023, 5, 18
    )
    n = Negotiation.from_json(text("2023-05-19"), calendar=cal)
    assert n.calendar is cal
    assert n == Negotiation.replay(json.loads(text("2023-05-19")), calendar=cal)


@pytest.mark.parametrize("key", ["note", "", "$", 7])
def test_a_dict_events_problems_point_inside_that_event(key: object):
    """Every problem of an event read at ``events[2]`` (guide 6.5.3: the portal's offer
    events) has a JSON pointer (RFC 6901) at that event or below it, whatever its unknown
    key is called, so a portal backend marks the event that is wrong."""
    data = {"kind": "withdraw", "on": "2023-05-02", "party": "claimant", key: 1}
    problems = Event.problems(data, where="events[2]")
    assert len(problems) == 1
    assert problems[0].pointer == "/events/2" or problems[0].pointer.startswith("/events/2/")
