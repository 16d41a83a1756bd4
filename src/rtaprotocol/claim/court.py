"""Step 5 of the claim, court: limitation, court issues, proceedings, determination, exit.

Guide 5.4, 6.6.1.1, 6.6.2.1, 6.6.3 and PD 27B: one ``_apply_<kind>(state, event,
calendar)`` per event kind, and the check of each issue the claimant may take to court.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Final

from attrs import evolve
from dateutil.relativedelta import relativedelta

from rtaprotocol._persistent import Vec
from rtaprotocol.claim.deadlines import _limitation, _met
from rtaprotocol.claim.events import ClaimEvent
from rtaprotocol.claim.kinds import (
    CLOSED_REFERENCE,
    COURT_PACK_REFERENCE,
    COURT_REFERENCE,
    FEES_COURT_REFERENCE,
    FINAL_REFERENCE,
    HOLD_REFERENCE,
    INTERIM_REFERENCE,
    LIMITATION_COURT_REFERENCE,
    LIMITATION_LATE_REFERENCE,
    LIMITATION_WINDOW_MONTHS,
    OFFER_REFERENCE,
    PART_COURT_REFERENCE,
    UNPAID_REFERENCE,
    Compensator,
    CourtIssue,
    InterimAnswer,
    LiabilityResponse,
)
from rtaprotocol.claim.negotiation import _settlement_balance
from rtaprotocol.claim.state import _deny, _Interim, _record, _replace, _State
from rtaprotocol.deadlines import EnglandWalesCalendar, limitation_deadline
from rtaprotocol.eligibility import ExitReason
from rtaprotocol.money import ZERO, format_money
from rtaprotocol.offers import Party


def _limitation_date(s: _State) -> date | None:
    f = s.facts
    if f is None:
        return None
    return limitation_deadline(f.accident_date, date_of_birth=f.date_of_birth)


def _window_opens(limit: date) -> date:
    return limit - relativedelta(months=LIMITATION_WINDOW_MONTHS)


def _check_limitation_near(s: _State, on: date) -> None:
    """Refuse proceedings 'because of the limitation date' when it is not near or has passed."""
    limit = _limitation_date(s)
    assert limit is not None
    if on > limit:
        raise _deny(
            f"the limitation date ({limit}) has passed: proceedings can no longer be started "
            "to protect it; only the court can extend time (seek advice)",
            LIMITATION_LATE_REFERENCE,
            on,
            "on",
        )
    opens = _window_opens(limit)
    if on < opens:
        raise _deny(
            f"proceedings are started because of the limitation date ({limit}) from "
            f"{LIMITATION_WINDOW_MONTHS} months before it ({opens}); until then the court pack "
            "list goes to the compensator first",
            LIMITATION_COURT_REFERENCE,
            on,
            "on",
        )


def _stuck_interims(s: _State, on: date) -> list[_Interim]:
    """Interim requests the court may be asked about on ``on`` (guide 6.3.1.4).

    Unanswered after the 15 business days; refused, or refused in part; agreed but not
    paid once the 15 business days have passed. Never one agreed and paid, nor one the
    court has already been asked about.
    """
    out = []
    for i in s.interims:
        if i.to_court:
            continue
        unanswered = i.answered_on is None and on > i.due
        refused = i.answer in (InterimAnswer.REFUSE, InterimAnswer.AGREE_IN_PART)
        unpaid = i.agreed_amount is not None and i.paid_on is None and on > i.due
        if unanswered or refused or unpaid:
            out.append(i)
    return out


def _check_court_issue(s: _State, issue: CourtIssue, on: date) -> None:
    """Refuse ``issue`` when the claim gives no route to court for it on ``on``."""
    if issue in s.decided:
        raise _deny(
            f"the court has decided the {issue.value} question; a decided question is not "
            "taken to court again nor renegotiated on the portal",
            FINAL_REFERENCE,
            issue.value,
            "issue",
        )
    settled = s.payment_due is not None
    if settled != (issue in (CourtIssue.UNPAID_SETTLEMENT, CourtIssue.FEES)):
        if settled:
            raise _deny(
                f"the claim is closed ({s.closed_because}): only an unpaid settlement or the "
                "fees can go to court now",
                CLOSED_REFERENCE,
                issue.value,
                "issue",
            )
        if issue is CourtIssue.UNPAID_SETTLEMENT:
            raise _deny(
                "no offer has been accepted: there is no settlement to be unpaid",
                UNPAID_REFERENCE,
                issue.value,
                "issue",
            )
        raise _deny(
            "fees are negotiated, and go to court, only once an offer is accepted",
            FEES_COURT_REFERENCE,
            issue.value,
            "issue",
        )
    if issue is CourtIssue.LIMITATION:
        if s.proceedings_ever:
            raise _deny(
                "court proceedings have already been issued for this claim: they stop the "
                "limitation clock, and later court routes continue them",
                LIMITATION_COURT_REFERENCE,
                issue.value,
                "issue",
            )
        _check_limitation_near(s, on)
    elif issue is CourtIssue.LIABILITY:
        if s.liability_by_court:
            raise _deny(
                f"the court has determined liability ({s.liability_percent}% to the "
                "defendant); it is not taken to court again",
                FINAL_REFERENCE,
                issue.value,
                "issue",
            )
        if s.liability is LiabilityResponse.ADMIT_PART:
            raise _deny(
                "liability admitted in part is argued within the valuation of the claim (PD "
                "27B Section 4, once the compensator has made an offer), not at a hearing on "
                "liability alone, which is for a denial in full (PD 27B Section 2)",
                PART_COURT_REFERENCE,
                s.liability.value,
                "issue",
            )
        overdue = s.liability is None and s.liability_due is not None and on > s.liability_due
        if not (s.liability is LiabilityResponse.DENY or overdue) or s.offer_stage:
            raise _deny(
                "the court decides liability alone when it is denied (or the response is "
                "overdue), before the offer stage",
                "guide 6.3.1.3, 6.6.1.1; PD 27B Section 2",
                None if s.liability is None else s.liability.value,
            )
    elif issue is CourtIssue.INTERIM_PAYMENT:
        if not _stuck_interims(s, on):
            raise _deny(
                "the court is asked for an interim payment when a request is unanswered after "
                "15 business days, refused (in whole or in part), or agreed and not paid in "
                "those 15 business days; never for one agreed and paid",
                INTERIM_REFERENCE,
                on,
            )
    elif issue is CourtIssue.VALUE:
        if not s.negotiation.offers(Party.COMPENSATOR) or s.waiting_prognosis or s.restart_pending:
            raise _deny(
                "the court values the claim at any stage after the compensator's first offer",
                OFFER_REFERENCE,
                on,
            )
    elif issue is CourtIssue.UNPAID_SETTLEMENT:
        assert s.payment_due is not None
        if s.paid_on is not None:
            raise _deny(
                f"the settlement was paid in full on {s.paid_on}", UNPAID_REFERENCE, on, "on"
            )
        if on <= s.payment_due:
            raise _deny(
                f"the settlement is due by {s.payment_due}; the court is asked for it only once "
                "that day has passed unpaid",
                UNPAID_REFERENCE,
                on,
                "on",
            )
    else:
        fees = s.negotiation.fees
        if fees is None or not fees.goes_to_court:
            raise _deny(
                "the fees go to court on their own once the compensator rejects the "
                "claimant's counter offer on fees"
                + ("" if fees is None else f"; here: {fees.stage}"),
                FEES_COURT_REFERENCE,
                on,
            )


def _apply_go_to_court(s: _State, e: ClaimEvent, cal: EnglandWalesCalendar | None) -> _State:
    if s.court_issue is not None:
        raise _deny("the claimant is already going to court", COURT_REFERENCE, e.on)
    issue: CourtIssue = e["issue"]
    limitation: bool = e["limitation"]
    if limitation and issue in (CourtIssue.UNPAID_SETTLEMENT, CourtIssue.FEES):
        raise _deny(
            "proceedings about a settlement are not started because of the injury claim's "
            "limitation date: the court pack list goes to the compensator first",
            LIMITATION_COURT_REFERENCE,
            True,
            "limitation",
        )
    if limitation and issue is not CourtIssue.LIMITATION:
        if issue in s.decided or (issue is CourtIssue.LIABILITY and s.liability_by_court):
            _check_court_issue(s, issue, e.on)  # refuses: the court has decided it
        _check_limitation_near(s, e.on)
        if s.payment_due is not None:
            _check_court_issue(s, issue, e.on)  # refuses: the claim is settled
    else:
        _check_court_issue(s, issue, e.on)
    extra: dict[str, Any] = {}
    if issue is CourtIssue.VALUE and s.negotiation.offers(Party.COMPENSATOR):
        extra["negotiation"] = s.negotiation.create_court_valuation_form(on=e.on)
    if issue is CourtIssue.INTERIM_PAYMENT:
        stuck = set(map(id, _stuck_interims(s, e.on)))
        extra["interims"] = Vec.of(
            evolve(i, to_court=True) if id(i) in stuck else i for i in s.interims
        )
    return _replace(
        s, court_issue=issue, court_limitation=limitation or issue is CourtIssue.LIMITATION, **extra
    )


def _apply_court_pack_sent(s: _State, e: ClaimEvent, cal: EnglandWalesCalendar | None) -> _State:
    if s.court_issue is None or s.court_pack_sent_on is not None or s.proceedings_running:
        raise _deny(
            "the court pack list is sent once, after choosing 'Go to court'",
            COURT_PACK_REFERENCE,
            e.on,
        )
    return _replace(s, court_pack_sent_on=e.on)


def _apply_court_pack_agreed(s: _State, e: ClaimEvent, cal: EnglandWalesCalendar | None) -> _State:
    if s.court_pack_sent_on is None or s.court_pack_agreed_on is not None:
        raise _deny(
            "the compensator replies to a court pack list the claimant has sent",
            COURT_PACK_REFERENCE,
            e.on,
        )
    return _replace(s, court_pack_agreed_on=e.on)


_CLEARED: Final[dict[str, Any]] = {
    "on_hold": False,
    "proceedings_running": False,
    "court_issue": None,
    "court_limitation": False,
    "court_pack_sent_on": None,
    "court_pack_agreed_on": None,
}


def _apply_proceedings_issued(s: _State, e: ClaimEvent, cal: EnglandWalesCalendar | None) -> _State:
    if s.court_issue is None or s.proceedings_running:
        raise _deny("choose 'Go to court' first", COURT_REFERENCE, e.on)
    if s.court_pack_agreed_on is None and not s.court_limitation:
        raise _deny(
            "the court pack list goes to the compensator first, and proceedings follow its "
            "reply, unless they are issued because of the limitation date",
            COURT_PACK_REFERENCE,
            e.on,
        )
    if s.court_issue is CourtIssue.LIMITATION:
        # Stayed while the protocol is followed (PD 27B Section 9): the portal claim goes on.
        limit = _limitation_date(s)
        assert limit is not None
        assert s.facts is not None
        met = _record(s, _met(_limitation(s.facts.accident_date, limit), e.on))
        return _replace(
            s, **_CLEARED, proceedings_ever=True, limitation_proceedings_on=e.on, met=met
        )
    if s.court_issue in (CourtIssue.UNPAID_SETTLEMENT, CourtIssue.FEES):
        # The settlement stands and the claim stays closed; only this question is in court.
        return _replace(s, proceedings_running=True, proceedings_ever=True)
    return _replace(s, on_hold=True, proceedings_ever=True)


def _apply_court_determination(
    s: _State, e: ClaimEvent, cal: EnglandWalesCalendar | None
) -> _State:
    if not (s.on_hold or s.proceedings_running):
        raise _deny("there are no court proceedings running", HOLD_REFERENCE, e.on)
    issue = s.court_issue
    won: bool = e["for_claimant"]
    percent: Decimal | None = e.get("percent")
    amount: Decimal | None = e.get("amount")
    cleared = _CLEARED
    if issue in (CourtIssue.UNPAID_SETTLEMENT, CourtIssue.FEES):
        assert issue is not None
        if percent is not None or (not won and amount is not None):
            raise _deny(
                f"a determination on {issue.value.replace('-', ' ')} gives at most a sum",
                FINAL_REFERENCE,
                percent if percent is not None else amount,
                "percent" if percent is not None else "amount",
            )
        balance = _settlement_balance(s)
        unpaid = issue is CourtIssue.UNPAID_SETTLEMENT
        if unpaid and amount is not None and balance is not None and amount > balance:
            raise _deny(
                f"the court orders at most the unpaid balance of {format_money(balance)}",
                UNPAID_REFERENCE,
                amount,
                "amount",
            )
        extra: dict[str, Any] = {}
        if won and issue is CourtIssue.FEES:
            extra["court_fees"] = amount
        if won and issue is CourtIssue.UNPAID_SETTLEMENT:
            extra["court_unpaid_order"] = amount if amount is not None else balance
        return _replace(s, **cleared, decided=s.decided | {issue}, **extra)
    if not won:
        if percent is not None or amount is not None:
            raise _deny(
                "a finding against the claimant has no share or sum",
                HOLD_REFERENCE,
                percent or amount,
            )
        if issue is CourtIssue.INTERIM_PAYMENT:
            # Only the interim was decided: the claim goes on where it was (6.6.1.1).
            return _replace(s, **cleared)
        return _replace(
            s, **cleared, closed_because="the court found against the claimant", closed_on=e.on
        )
    if issue is CourtIssue.LIABILITY:
        if percent is None or not ZERO < percent <= 100 or amount is not None:
            raise _deny(
                "a liability determination for the claimant gives the defendant's share, more "
                "than 0 and at most 100 percent",
                HOLD_REFERENCE,
                percent,
                "percent",
            )
        causation = s.causation if s.causation != "n/a" else "admitted"
        return _replace(
            s,
            **cleared,
            court_finding_for_claimant=True,
            liability_percent=percent,
            liability_by_court=True,
            causation=causation,
            decided=s.decided | {CourtIssue.LIABILITY},
        )
    if issue is CourtIssue.VALUE:
        if amount is None or percent is not None:
            raise _deny(
                "a valuation by the court gives the sum awarded", HOLD_REFERENCE, percent, "amount"
            )
        return _replace(
            s,
            **cleared,
            court_value=amount,
            closed_because="the court valued the claim",
            closed_on=e.on,
            decided=s.decided | {CourtIssue.VALUE},
        )
    if percent is not None:
        raise _deny(
            "an interim payment order gives a sum, not a share", HOLD_REFERENCE, percent, "percent"
        )
    extra = {"general_interim": s.general_interim + amount} if amount is not None else {}
    return _replace(s, **cleared, court_finding_for_claimant=True, **extra)


def _apply_portal_exit(s: _State, e: ClaimEvent, cal: EnglandWalesCalendar | None) -> _State:
    reason: ExitReason = e["reason"]
    party: Party = e["party"]
    compensator_only = (
        ExitReason.COMPLEX_ISSUES,
        ExitReason.FRAUD_ALLEGED,
        ExitReason.CAUSATION_DISPUTED,
    )
    claimant_route = (
        reason is ExitReason.CAUSATION_DISPUTED
        and party is Party.CLAIMANT
        and s.causation == "notified"
    )  # guide 6.5.4: "continue with your injury claim": the portal no longer applies
    if reason in compensator_only and party is not Party.COMPENSATOR and not claimant_route:
        also = (
            "; the claimant takes it out to continue the injury claim once the compensator "
            "has notified its dispute of the injury (guide 6.5.4)"
            if reason is ExitReason.CAUSATION_DISPUTED
            else ""
        )
        raise _deny(
            f"only the compensator takes the claim out for this reason: {reason.description}"
            + also,
            reason.reference,
            party.value,
            "party",
        )
    if reason is ExitReason.CAUSATION_DISPUTED and (
        s.causation not in ("disputed", "notified") or s.report_shared_on is None
    ):
        raise _deny(
            "the claim leaves for a causation dispute only when the compensator disputes that "
            "the accident caused any injury after a medical report is disclosed",
            reason.reference,
            s.causation,
        )
    if reason is ExitReason.NO_DEFENDANT_ADDRESS and (
        s.court_issue is None or s.compensator is Compensator.INSURER
    ):
        raise _deny(
            "this exit arises when preparing the court form against the MIB or an RTA insurer",
            reason.reference,
            s.compensator.value,
        )
    return _replace(s, exit_reason=reason)
