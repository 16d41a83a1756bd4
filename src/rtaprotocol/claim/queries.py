"""What may happen next: the actions each party may take, the open deadlines, the notes.

Guide 6.1 to 6.6. Each kind is tried against the rules (``_allowed``, with the reducers ``apply`` runs), so
``Claim.allowed_actions`` always agrees with ``Claim.apply``; the open deadlines and the
notes that ``Claim.next_steps`` shows; an earlier offer process's state
(guide 6.5.3.1).
"""

from __future__ import annotations

import functools
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final

from rtaprotocol._checks import check_int
from rtaprotocol._decimal import exact
from rtaprotocol.claim.deadlines import (
    Deadline,
    _compensator_offer,
    _further_instructions,
    _injury_dispute,
    _interim_payment,
    _interim_response,
    _liability_response,
    _limitation,
    _settlement_payment,
)
from rtaprotocol.claim.events import ClaimEvent
from rtaprotocol.claim.kinds import (
    _ACTOR,
    _K,
    CAUSATION_ROUTE_REFERENCE,
    CLOSED_REFERENCE,
    FINAL_REFERENCE,
    MEDICAL_ARRANGED_REFERENCE,
    OFFER_LIABILITY_REFERENCE,
    OWN_REPORT_REFERENCE,
    PROGNOSIS_REFERENCE,
    WHIPLASH_AGREED_REFERENCE,
    WITHDRAWAL_REFERENCE,
    ClaimEventKind,
    CourtIssue,
    LiabilityResponse,
    PrognosisOutcome,
    ReportKind,
)
from rtaprotocol.claim.negotiation import _deem_causation
from rtaprotocol.claim.payment import _offer_event, _offer_share, _value_flags
from rtaprotocol.claim.state import _EMPTY, _live_refusal, _State
from rtaprotocol.claim.transitions import _REDUCERS, _apply
from rtaprotocol.deadlines import EnglandWalesCalendar
from rtaprotocol.deductions import _pct
from rtaprotocol.eligibility import ExitReason
from rtaprotocol.errors import ErrorCode, ProtocolViolation, RulesError
from rtaprotocol.money import ZERO
from rtaprotocol.offers import OfferStatus, Party

if TYPE_CHECKING:
    from rtaprotocol.claim.facade import Claim

# --- what may happen next ------------------------------------------------------------------


def _probes(s: _State, kind: ClaimEventKind, party: Party) -> list[dict[str, Any]]:
    """Candidate fields for trying ``kind`` by ``party`` (an action is allowed if one passes)."""
    actor = _ACTOR[kind]
    if actor is not None and actor is not party:
        return []
    named = {"party": party} if actor is None else {}
    if kind is _K.SUBMITTED:
        return []  # needs the facts; shown separately at the start
    if kind is _K.LIABILITY_RESPONSE:  # any response is refused or allowed alike
        return [{"response": LiabilityResponse.ADMIT_FULL}]
    if kind is _K.LIABILITY_CHALLENGE:
        return [{"percent": 100}]
    if kind is _K.INTERIM_REQUESTED:
        # General, then for each item: one may be closed while another is open (6.3.1.4).
        return [{"amount": 1}, *({"amount": 1, "item": n} for n in range(len(s.losses.items)))]
    if kind is _K.INTERIM_RESPONSE:
        return [{"agreed": False}]
    if kind is _K.VOLUNTARY_INTERIM:
        return [{"amount": 1}]
    if kind is _K.MEDICAL_REPORT:
        return [{"report": ReportKind.FIRST}, {"report": ReportKind.FURTHER}]
    if kind is _K.OFFER:
        standing = [o for o in s.negotiation.offers(party) if o.status is not OfferStatus.WITHDRAWN]
        if not standing:
            return [{**named, "amount": ZERO}]
        last = standing[-1]  # the same offer again: on the share it was made on (6.3.1.1)
        share = Decimal(100) if last.liability_percent is None else last.liability_percent
        return [{**named, "amount": last.amount, "liability_percent": share}]
    if kind is _K.FEE_OFFER:
        return [{**named, "amount": ZERO}]
    if kind is _K.PROGNOSIS_OUTCOME:
        return [{"outcome": PrognosisOutcome.RECOVERED}]
    if kind is _K.GO_TO_COURT:
        return [{"issue": issue} for issue in CourtIssue]
    if kind is _K.COURT_DETERMINATION:
        return [{"for_claimant": False}]
    if kind is _K.PORTAL_EXIT:
        return [{**named, "reason": reason} for reason in ExitReason]
    return [named]


@functools.lru_cache(maxsize=1024)
def _probe_fields(
    kind: ClaimEventKind, values: tuple[tuple[str, type, Any], ...]
) -> tuple[tuple[str, Any], ...] | None:
    """Return the fields :meth:`ClaimEvent.make` gives a probe (read once, then reused).

    A probe's fields are the library's own values (``_probes``), keyed with their types
    (``1``, ``True`` and ``Decimal(1)`` are equal keys, not equal values); the reading of a
    field does not depend on the event's date, so the fields read on any date are the fields;
    ``None`` where ``make`` refuses them (a probe without a field its kind needs).
    """
    try:
        return ClaimEvent.make(kind, _PROBE_DAY, **{n: v for n, _t, v in values}).fields
    except RulesError:
        return None


_PROBE_DAY: Final = date(2023, 1, 2)


@exact
def _allowed(
    s: _State, day: date, cal: EnglandWalesCalendar | None
) -> dict[Party, tuple[str, ...]]:
    """Return, for each party, the kinds one of whose probes the rules accept on ``day``.

    The same rules :func:`_apply` runs, without its work on a refusal nobody reads: the
    two gates every kind passes first (withdrawn, live) are tried once per kind, not per
    probe and party; causation is deemed once for the day; a probe event is built from
    fields read once (:func:`_probe_fields`); a refusal is not filled in (:func:`_fill`).
    ``day`` is a query day: covered, and not before the last event (``Claim._query_day``),
    so :func:`_apply`'s date-order check always passes.
    """
    out: dict[Party, list[str]] = {p: [] for p in Party}
    if s.withdrawn_on is not None:  # _check_not_withdrawn refuses every kind
        return dict.fromkeys(Party, ())
    deemed = _deem_causation(s, day)
    for kind in ClaimEventKind:
        if _live_refusal(s, kind) is not None:
            continue
        reduce = _REDUCERS[kind]
        for party in Party:
            for values in _probes(s, kind, party):
                fields = _probe_fields(kind, tuple((n, type(v), v) for n, v in values.items()))
                if fields is None:
                    continue
                try:
                    reduce(deemed, ClaimEvent(kind=kind, on=day, fields=fields), cal)
                except RulesError:
                    continue
                out[party].append(kind.value)
                break
    return {p: tuple(kinds) for p, kinds in out.items()}


def _exit_note(s: _State) -> str | None:
    """Return what happens after the claim leaves the portal, and which rules now govern."""
    governs = (
        "the RTA Small Claims Protocol and the portal no longer apply to it; if it does not "
        "settle, it continues by court proceedings under the Civil Procedure Rules (a claim "
        "form under CPR Part 7, allocated to a track under CPR 26), issued before the "
        "limitation date, which keeps running (guide 5.4); the claim's documents can be "
        "downloaded to take to an adviser"
    )
    if s.withdrawn_on is not None:
        return (
            f"The claimant withdrew the claim from the portal on {s.withdrawn_on}: {governs} "
            f"[{WITHDRAWAL_REFERENCE}; guide 6.6.1.2, 6.6.2.1]"
        )
    reason = s.exit_reason
    if reason is None:
        return _closed_note(s)
    extra = ""
    if reason is ExitReason.CAUSATION_DISPUTED:
        extra = (
            " To pursue the injury, court proceedings are likely the next step; the other "
            "losses are claimed in them too (guide 6.5.4)."
        )
    return (
        f"The claim left the portal ({reason.value}): {reason.next_steps}{extra} Now {governs} "
        f"[{reason.reference}]"
    )


def _closed_note(s: _State) -> str | None:
    """Return what happens after a claim closes other than by settlement (guide 6.6.1)."""
    if s.closed_because == "the claimant accepted the denial of liability":
        return (
            "The claimant accepted the compensator's denial of liability as final: the claim "
            "is closed on the portal and cannot be reopened there; nothing more happens on "
            "it in the portal. Any other step is outside the portal and the protocol, and "
            "the limitation date (guide 5.4) still runs: seek advice before it passes "
            f"[{CLOSED_REFERENCE}; guide 6.6.1.2]"
        )
    if s.closed_because == "the court found against the claimant":
        return (
            "The court found against the claimant on the question it was asked: the claim "
            "is closed and the decision is final on the portal; an appeal, if any, is a court matter under CPR "
            f"Part 52, outside the portal: seek advice [{FINAL_REFERENCE}; guide 6.6.1.2]"
        )
    if s.closed_because == "the court valued the claim":
        return (
            "The court valued the claim: the claim is closed, the court's order fixes the "
            "sum and governs its payment, outside the portal; the question decided is not "
            f"renegotiated [{FINAL_REFERENCE}]"
        )
    return None


def _summary_notes(s: _State) -> list[str]:
    """Return the notes every view of the claim shows (explain, next steps)."""
    out: list[str] = list(_value_flags(s))
    settled = s.negotiation.settled_offer
    if settled is not None:
        event = _offer_event(s)
        negotiated = None if event is None else _offer_share(s, event)
        if negotiated is not None and negotiated != s.liability_percent:
            out.append(
                f"Settled on {_pct(negotiated)}% liability to the compensator, negotiated in "
                f"the offer; the step-2 split is not applied [{OFFER_LIABILITY_REFERENCE}]"
            )
    if s.whiplash_agreed is not None:
        agreed = "is a" if s.whiplash_agreed else "is no"
        out.append(
            f"Both sides agree there {agreed} whiplash injury: neither can challenge it again "
            f"in the portal [{WHIPLASH_AGREED_REFERENCE}]"
        )
    if s.own_reports_unjustified:
        out.append(
            f"{s.own_reports_unjustified} further report(s) the claimant obtained alone without "
            "one of the four justifications: the report may be relied on, its fee may not be "
            f"recoverable [{OWN_REPORT_REFERENCE}]"
        )
    after = _exit_note(s)
    if after is not None:
        out.append(after)
    return out


def _claim_notes(s: _State, day: date) -> tuple[str, ...]:
    """Return the notes of :meth:`Claim.next_steps` on ``day``."""
    out: list[str] = []
    live = (
        s.submitted_on is not None
        and s.exit_reason is None
        and s.withdrawn_on is None
        and s.closed_because is None
        and not s.on_hold
    )
    represented = None if s.facts is None else s.facts.represented
    fee_stage = s.payment_due is not None and s.first_report_on is not None
    if fee_stage and represented is not None:
        out.append(
            "The claimant is represented: the first medical report's fixed fee is one of the "
            "fees the representative claims back in the fee negotiation that follows the "
            "settlement ('fee-offer'; the fixed fee on the report's date: "
            f"rtaprotocol.fees.medical_fee) [{MEDICAL_ARRANGED_REFERENCE}; guide 5.3, 6.5.3.2]"
            if represented
            else "The claimant is not represented: the compensator paid the first medical "
            "report's fee to the provider directly, so it is not one of the fees claimed back "
            f"after the settlement [{MEDICAL_ARRANGED_REFERENCE}; guide 5.3, 6.5.3.2]"
        )
    if live and s.first_report_on is None and represented is not None:
        if represented:
            out.append(
                "The claimant is represented: the representative obtains the first medical "
                "report via MedCo outside the portal; its fixed fee is claimed back with the "
                f"other fees once the losses are settled [{MEDICAL_ARRANGED_REFERENCE}; guide 5.3]"
            )
        else:
            out.append(
                "The claimant is not represented: the portal arranges the first medical report "
                "via MedCo ('proceed-to-medical') and the report provider invoices the "
                f"compensator, who pays its fixed fee [{MEDICAL_ARRANGED_REFERENCE}]"
            )
    if live and _deem_causation(s, day).causation == "notified":
        out.append(
            "The compensator disputes that the accident caused the injury. The claimant may: "
            "accept the compensator's offer for the other losses without compensation for the "
            "injury ('accept'); drop the injury claim and dispute the offer for the other "
            "losses ('reject', 'offer'); or continue with the injury claim, which takes the "
            "claim out of the portal ('portal-exit', reason causation-disputed) to court "
            f"proceedings, with advice [{CAUSATION_ROUTE_REFERENCE}]"
        )
    elif live and s.causation == "disputed" and s.offer_requested_on is None:
        out.append(
            "Fault is admitted but the compensator disputes that the accident caused any "
            "injury: the claimant may proceed to medical (the expert is asked about causation) "
            f"or not go on with the claim ('claim-withdrawn') [{CAUSATION_ROUTE_REFERENCE}]"
        )
    out.extend(_summary_notes(s))
    return tuple(out)


# --- the bodies of Claim._open_deadlines and Claim._offer_process (the façade delegates) --


def _open_deadlines_of(self: Claim) -> tuple[Deadline, ...]:
    s = self._state
    out: list[Deadline] = []
    if s.submitted_on is None:
        return ()
    live = s.exit_reason is None and s.closed_because is None and not s.on_hold
    live = live and s.withdrawn_on is None
    if live and s.liability_first_on is None and s.liability_due is not None:
        out.append(_liability_response(s.compensator, s.submitted_on, s.liability_due))
    if live:
        out.extend(
            _interim_response(i.requested_on, i.due)
            for i in s.interims
            if i.answered_on is None and not i.to_court
        )
        out.extend(
            _interim_payment(i.requested_on, i.due)
            for i in s.interims
            if i.agreed_amount is not None and i.paid_on is None and not i.to_court
        )
    if live and s.further_instructions_due is not None and s.further_instructions_on is None:
        assert s.further_acknowledged_on is not None
        out.append(_further_instructions(s.further_acknowledged_on, s.further_instructions_due))
    if (
        live
        and s.offer_due is not None
        and s.offer_requested_on is not None
        and not s.negotiation.offers(Party.COMPENSATOR)
    ):
        out.append(_compensator_offer(s.offer_requested_on, s.offer_due))
    if live and s.causation == "disputed" and s.dispute_due is not None:
        assert s.offer_requested_on is not None
        out.append(_injury_dispute(s.offer_requested_on, s.dispute_due))
    if s.payment_due is not None and s.paid_on is None and s.exit_reason is None:
        assert s.closed_on is not None
        assert s.payment_period is not None
        out.append(_settlement_payment(s.payment_period, s.closed_on, s.payment_due))
    limit = self.limitation_deadline
    if limit is not None and s.closed_because is None and not s.proceedings_ever:
        out.append(_limitation(s.facts.accident_date if s.facts else s.submitted_on, limit))
    return tuple(out)


def _offer_process_of(self: Claim, negotiation: int | None) -> tuple[_State, int]:
    current = len(self._state.past_negotiations) + 1
    if negotiation is None:
        return self._state, current
    n = check_int(negotiation, field="negotiation", reference=PROGNOSIS_REFERENCE)
    if not 1 <= n <= current:
        raise ProtocolViolation(
            f"the claim has had {current} offer process{'es' if current > 1 else ''}, "
            "numbered from 1; a new one starts when waiting out the prognosis ends in a "
            "further report or further losses",
            value=negotiation,
            field="negotiation",
            reference=PROGNOSIS_REFERENCE,
            code=ErrorCode.PROTOCOL_FORBIDDEN,
        )
    if n == current:
        return self._state, current
    # Replay to the event that closed process n: the state just before it.
    # (n < current, so some event closed it.)
    state = _EMPTY
    for event in self._history:
        after = _apply(state, event, self.calendar)
        if len(after.past_negotiations) == n:
            break
        state = after
    return state, n
