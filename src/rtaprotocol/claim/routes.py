"""Routes to court: the PD 27B sections and what each issue needs (``Claim.court_routes``).

Guide 6.6.3 and PD 27B para 1.3 (Table 27.1): :data:`PD27B_SECTIONS`,
:class:`PD27BSection` and :class:`CourtRoute`, each route open or closed with its reason.
Import them from :mod:`rtaprotocol.claim`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, Final, final

from attrs import frozen

from rtaprotocol._decimal import exact
from rtaprotocol.claim.court import _limitation_date, _stuck_interims, _window_opens
from rtaprotocol.claim.events import ClaimEvent
from rtaprotocol.claim.kinds import (
    _K,
    COURT_PACK_REFERENCE,
    FEES_COURT_REFERENCE,
    FINAL_REFERENCE,
    HOLD_REFERENCE,
    INTERIM_REFERENCE,
    LIMITATION_COURT_REFERENCE,
    LIMITATION_WINDOW_MONTHS,
    PAYMENT_REFERENCE,
    UNPAID_REFERENCE,
    CourtIssue,
    InterimAnswer,
    LiabilityResponse,
)
from rtaprotocol.claim.negotiation import _settlement_balance
from rtaprotocol.claim.state import _State
from rtaprotocol.claim.transitions import _apply
from rtaprotocol.deadlines import EnglandWalesCalendar
from rtaprotocol.errors import RulesError
from rtaprotocol.money import ZERO, format_money
from rtaprotocol.sources import Confidence

# --- routes to court (PD 27B) ----------------------------------------------------------------


@final
@frozen
class PD27BSection:
    """One type of case in PD 27B Table 27.1, with its court pack table in Appendix C.

    ``section`` is the PD 27B section that governs the case (``None`` where the rows read
    do not name one); ``court_pack`` the Appendix C table of court pack documents (``None``
    where none applies or it is unconfirmed); ``confidence`` how far the mapping was checked
    (:class:`~rtaprotocol.sources.Confidence`); ``note`` what is unconfirmed.

    >>> PD27B_SECTIONS["interim-unpaid"].section, PD27B_SECTIONS["interim-unpaid"].court_pack
    ('Section 8', 'Appendix C Table G')
    """

    key: str
    section: str | None
    type_of_case: str
    court_pack: str | None
    confidence: Confidence
    note: str

    @property
    def reference(self) -> str:
        """The citation: PD 27B's section (or Table 27.1) and the court pack table."""
        parts = [self.section or "para 1.3 (Table 27.1)"]
        if self.court_pack is not None:
            parts.append(self.court_pack)
        return "PD 27B " + ", ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data."""
        return {
            "key": self.key,
            "section": self.section,
            "type_of_case": self.type_of_case,
            "court_pack": self.court_pack,
            "confidence": self.confidence.value,
            "note": self.note,
            "reference": self.reference,
        }


_TABLE_NOTE: Final = (
    "Table 27.1's row read (PD 27B, in force 31 May 2021); the Appendix C table letter is "
    "inferred (Tables A to G for the seven sections 2 to 8, in order) and UNCONFIRMED"
)
_P, _U = Confidence.PRIMARY, Confidence.UNCONFIRMED

#: PD 27B Table 27.1, one entry per type of case the claim can take to court, with its
#: court pack table (Appendix C). Dated data: PD 27B is in force from 31 May 2021, the date
#: the RTA Small Claims Protocol applies from.
PD27B_SECTIONS: Final[Mapping[str, PD27BSection]] = {
    s.key: s
    for s in (
        PD27BSection(
            "liability",
            "Section 2",
            "Liability dispute only: liability denied in full",
            "Appendix C Table A",
            _U,
            _TABLE_NOTE,
        ),
        PD27BSection(
            "value",
            "Section 3",
            "Assessing the value of the claim: liability not in dispute, no claim for "
            "non-protocol vehicle costs or uplift",
            "Appendix C Table B",
            _U,
            _TABLE_NOTE,
        ),
        PD27BSection(
            "value-liability-disputed",
            "Section 4",
            "Assessing the value of the claim: liability admitted in part but remains in "
            "dispute (including non-protocol vehicle costs or an uplift)",
            "Appendix C Table C",
            _U,
            _TABLE_NOTE,
        ),
        PD27BSection(
            "value-npvc",
            "Section 5",
            "Assessing the value of the claim: liability not in dispute and the claim "
            "includes non-protocol vehicle costs (and an uplift where claimed)",
            "Appendix C Table D",
            _U,
            _TABLE_NOTE,
        ),
        PD27BSection(
            "value-uplift",
            "Section 6",
            "Assessing the value of the claim: liability not in dispute and the claimant "
            "applies for an uplift (no non-protocol vehicle costs)",
            "Appendix C Table E",
            _U,
            _TABLE_NOTE + "; the claim does not record an uplift application, so no route "
            "maps here yet",
        ),
        PD27BSection(
            "interim-application",
            "Section 7",
            "Application for interim payment",
            "Appendix C Table F",
            _U,
            _TABLE_NOTE,
        ),
        PD27BSection(
            "interim-unpaid",
            "Section 8",
            "Non-payment of agreed interim payment",
            "Appendix C Table G",
            _U,
            _TABLE_NOTE,
        ),
        PD27BSection(
            "limitation",
            "Section 9",
            "Starting proceedings because of limitation: the claim is stayed while the "
            "parties follow the RTA Small Claims Protocol",
            None,
            _P,
            "Table 27.1's row follows Section 8; para 9.2 (the claimant believes the protocol "
            "cannot be completed before limitation expires) and the stay (para 9.5) as quoted "
            "in commentary; no court pack list goes to the compensator first (guide 6.6.3.3)",
        ),
        PD27BSection(
            "unpaid-settlement",
            None,
            "Non-payment of agreed damages after an accepted offer",
            None,
            _U,
            "Table 27.1's rows after Section 9 (Sections 10 and 11) were not read: the "
            "section for this case is UNCONFIRMED; the portal's 'Go to court' prepares the "
            "court form and court pack for an order to pay an agreed sum (guide 6.6.3.3)",
        ),
        PD27BSection(
            "fees",
            None,
            "Recovery of fees after the compensator rejects the counter offer on fees",
            None,
            _U,
            "Table 27.1's rows after Section 9 were not read: the section for fee proceedings "
            "is UNCONFIRMED (guide 6.5.3.2 gives the route: 'proceedings for recovery of your "
            "fees')",
        ),
    )
}


@final
@frozen
class CourtRoute:
    """A route to court the claim offers on a date: what, why, and the court procedure.

    ``issue`` is the ``go-to-court`` event's issue; ``why`` says what opens the route and
    ``reference`` the guide's paragraphs; ``pd27b`` the type of case in PD 27B Table 27.1
    and its court pack table; ``court_pack_list_first``: whether the court pack list goes to
    the compensator before proceedings are issued (not when they are started because of the
    limitation date, guide 6.6.3.3).

    >>> route = CourtRoute(CourtIssue.FEES, "fees rejected", "guide 6.5.3.2",
    ...                    PD27B_SECTIONS["fees"], True)
    >>> route.to_dict()["pd27b"]["section"] is None
    True
    """

    issue: CourtIssue
    why: str
    reference: str
    pd27b: PD27BSection
    court_pack_list_first: bool

    def __str__(self) -> str:
        pack = self.pd27b.court_pack or "no court pack table"
        section = self.pd27b.section or "section unconfirmed"
        first = (
            "court pack list to the compensator first"
            if self.court_pack_list_first
            else ("no court pack list first")
        )
        return (
            f"go-to-court ({self.issue.value}): {self.why} [{self.reference}]; PD 27B "
            f"{section}, {pack}; {first}"
        )

    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data."""
        return {
            "issue": self.issue.value,
            "why": self.why,
            "reference": self.reference,
            "pd27b": self.pd27b.to_dict(),
            "court_pack_list_first": self.court_pack_list_first,
        }


def _route(s: _State, issue: CourtIssue, on: date) -> CourtRoute:
    """Describe the route to court for ``issue``, which the rules allow on ``on``."""
    if issue is CourtIssue.LIABILITY:
        why = (
            "liability is denied"
            if s.liability is LiabilityResponse.DENY
            else f"the liability response was due by {s.liability_due} and has not come"
        )
        return CourtRoute(issue, why, "guide 6.3.1.3, 6.6.3", PD27B_SECTIONS["liability"], True)
    if issue is CourtIssue.VALUE:
        part = s.liability is LiabilityResponse.ADMIT_PART and not s.liability_by_court
        npvc = any(not i.protocol for i in s.losses.items)
        key = "value-liability-disputed" if part else ("value-npvc" if npvc else "value")
        why = "the compensator has made an offer: the court can value the claim"
        if part:
            why += (
                f"; liability, admitted only in part ({s.liability_percent}%), is argued "
                "within this valuation, not at a hearing on liability alone"
            )
        if npvc:
            why += "; the unsettled non-protocol vehicle costs go in the claim"
        ref = "guide 6.5.3.1, 6.6.3" + (", 6.3.1.1" if part else "") + (", 6.6.3.2" if npvc else "")
        return CourtRoute(issue, why, ref, PD27B_SECTIONS[key], True)
    if issue is CourtIssue.INTERIM_PAYMENT:
        stuck = _stuck_interims(s, on)
        unpaid = [i for i in stuck if i.agreed_amount is not None]
        if unpaid:
            amount = format_money(unpaid[0].agreed_amount or ZERO)
            why = (
                f"the compensator agreed an interim payment of {amount} and did not pay it "
                f"within the 15 business days (due by {unpaid[0].due})"
            )
            return CourtRoute(issue, why, INTERIM_REFERENCE, PD27B_SECTIONS["interim-unpaid"], True)
        first = stuck[0]
        if first.answer is InterimAnswer.REFUSE:
            why = f"the compensator refused the interim payment request of {first.requested_on}"
        elif first.answer is InterimAnswer.AGREE_IN_PART:
            why = f"the compensator agreed only part of the interim request of {first.requested_on}"
        else:
            why = f"the interim payment request was due an answer by {first.due} and has none"
        return CourtRoute(
            issue, why, INTERIM_REFERENCE, PD27B_SECTIONS["interim-application"], True
        )
    if issue is CourtIssue.LIMITATION:
        limit = _limitation_date(s)
        why = (
            f"the limitation date ({limit}) is {(limit - on).days if limit else 0} days away: "
            "start proceedings to protect it; the court stays them while the claim goes on in "
            "the portal"
        )
        return CourtRoute(
            issue, why, LIMITATION_COURT_REFERENCE, PD27B_SECTIONS["limitation"], False
        )
    if issue is CourtIssue.UNPAID_SETTLEMENT:
        balance = _settlement_balance(s)
        owed = "the settlement" if balance is None else f"a balance of {format_money(balance)}"
        why = (
            f"the settlement was due by {s.payment_due} and {owed} is unpaid: ask the court to "
            "order it paid; the settlement stands"
        )
        return CourtRoute(issue, why, UNPAID_REFERENCE, PD27B_SECTIONS["unpaid-settlement"], True)
    why = (
        "the compensator rejected the claimant's counter offer on fees: the fees go to court "
        "on their own; the damages settlement stands and is paid regardless"
    )
    return CourtRoute(issue, why, FEES_COURT_REFERENCE, PD27B_SECTIONS["fees"], True)


def _court_routes(s: _State, on: date, cal: EnglandWalesCalendar | None) -> tuple[CourtRoute, ...]:
    """Every route to court the rules allow on ``on`` (the go-to-court events apply accepts)."""
    routes = []
    for issue in CourtIssue:
        try:
            _apply(s, ClaimEvent.make(_K.GO_TO_COURT, on, issue=issue), cal)
        except RulesError:
            continue
        routes.append(_route(s, issue, on))
    return tuple(routes)


@exact
def _court_notes(s: _State, on: date) -> tuple[str, ...]:
    """Return what the parties need to know beyond actions and deadlines (court, payment)."""
    out: list[str] = []
    if s.limitation_proceedings_on is not None:
        out.append(
            f"Court proceedings issued on {s.limitation_proceedings_on} protect the limitation "
            "date; the court stays them while the protocol is followed, so the claim goes on "
            "in the portal, and a later court route continues them [guide 6.6.3.1, 6.6.3.3; "
            "PD 27B Section 9]"
        )
    elif s.proceedings_ever and s.closed_because is None and s.exit_reason is None:
        out.append(
            "Court proceedings have been issued for this claim: issuing them stopped the "
            "limitation clock, so no proceedings are needed to protect the limitation date; "
            "a later court route continues them under the same claim number [guide 5.4, "
            "6.6.3.3 (previous claims); Limitation Act 1980 s.11; CPR 7.2]"
        )
    if s.on_hold and s.court_issue is not None:
        out.append(
            f"The claim is on hold while court proceedings on {s.court_issue.value.replace('-', ' ')}"
            " run: nothing progresses on the portal until the claimant enters the court's "
            "determination ('court-determination'); the claim then goes on from the step it "
            "was in, with what the court decided final, or closes if the court found against "
            f"the claimant on liability or valued the claim [{HOLD_REFERENCE}]"
        )
    limit = _limitation_date(s)
    if (
        limit is not None
        and not s.proceedings_ever
        and s.closed_because is None
        and s.exit_reason is None
        and on < _window_opens(limit)
    ):
        out.append(
            f"Limitation date {limit}: from {_window_opens(limit)} the claimant may start "
            f"proceedings to protect it (within {LIMITATION_WINDOW_MONTHS} months of it) "
            f"[{LIMITATION_COURT_REFERENCE}]"
        )
    if s.court_issue is not None and not (s.on_hold or s.proceedings_running):
        first = (
            "no court pack list is needed first (limitation)"
            if s.court_limitation
            else "the court pack list goes to the compensator first"
        )
        out.append(f"Going to court on {s.court_issue.value}: {first} [{COURT_PACK_REFERENCE}]")
    if s.proceedings_running and s.court_issue is not None:
        out.append(
            f"Court proceedings on {s.court_issue.value.replace('-', ' ')} are running; the "
            f"claim stays closed and the settlement stands [{FEES_COURT_REFERENCE}]"
        )
    if s.payment_due is not None and s.paid_on is None and s.settlement_paid > ZERO:
        balance = _settlement_balance(s)
        left = (
            "unknown (the offer gives no breakdown)" if balance is None else format_money(balance)
        )
        out.append(
            f"Settlement paid in part: {format_money(s.settlement_paid)} paid, balance {left} "
            f"due by {s.payment_due} [{PAYMENT_REFERENCE}]"
        )
    out.extend(
        f"The court has decided the {issue.value.replace('-', ' ')} question: final, not "
        f"reopened on the portal [{FINAL_REFERENCE}]"
        for issue in sorted(s.decided, key=lambda i: i.value)
    )
    return tuple(out)
