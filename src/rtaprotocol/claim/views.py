"""The claim's results as text, HTML and data: what is not a rule.

:class:`ClaimNextSteps` and :class:`PartyNextSteps` (``Claim.next_steps``) and
:class:`ClaimExplanation` (``Claim.explain``): ``str()``, ``_repr_html_()``,
``to_dict()`` and, with the ``batch`` extra, ``to_frame()``. Import them from
:mod:`rtaprotocol.claim`.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final, Literal, final

from attrs import frozen

from rtaprotocol._decimal import exact
from rtaprotocol._render import html_lines, html_table, html_verdict, jsonable, text_table
from rtaprotocol._views import frame
from rtaprotocol.claim.deadlines import Deadline
from rtaprotocol.claim.events import ClaimEvent
from rtaprotocol.claim.kinds import (
    CLOSED_REFERENCE,
    DISPUTE_REFERENCE,
    FINAL_REFERENCE,
    FURTHER_FEE_REFERENCE,
    HOLD_REFERENCE,
    LIABILITY_REFERENCE,
    LIMITATION_COURT_REFERENCE,
    LIMITATION_REFERENCE,
    PAYMENT_REFERENCE,
    Step,
)
from rtaprotocol.claim.queries import _summary_notes
from rtaprotocol.claim.routes import CourtRoute
from rtaprotocol.deadlines import EnglandWalesCalendar
from rtaprotocol.losses import ListOfLosses
from rtaprotocol.money import ZERO, format_money
from rtaprotocol.offers import Party

if TYPE_CHECKING:
    from rtaprotocol.claim.facade import Claim


@final
@frozen
class PartyNextSteps:
    """One party's next steps on a date: what it may do, and its running deadlines.

    ``actions`` are :class:`ClaimEventKind` slugs; ``deadlines`` every deadline this
    party must meet that is still open (overdue ones first), each with its due date and
    reference.
    """

    party: Party
    actions: tuple[str, ...]
    deadlines: tuple[Deadline, ...]

    def to_dict(self, on: date, calendar: EnglandWalesCalendar | None = None) -> dict[str, Any]:
        """Return JSON-ready data."""
        return {
            "party": self.party.value,
            "actions": list(self.actions),
            "deadlines": [d.to_dict(on, calendar) for d in self.deadlines],
        }


_NEXT_HEADERS: Final = ("party", "deadline", "due", "days left", "status", "reference")


@final
@frozen
class ClaimNextSteps:
    """Where a claim stands on a date and what each side may do next (guide 6.1 to 6.6).

    ``deadlines`` every open deadline (overdue first, then by due date); ``parties`` the
    claimant's and the compensator's :class:`PartyNextSteps`; ``overdue`` the deadlines
    past due, and those met late (guide 6.3.1 gives each period; one met after it is late).
    ``routes`` every route to court open that day (:class:`CourtRoute`: why, and its PD 27B
    section and court pack table); ``notes`` what else the parties need to know (court
    proceedings running or stayed, a settlement paid in part, questions the court decided).
    The ``notes`` also say what the claim's situation means: who arranges the first medical report,
    a prognosis over 24 months, the claimant's routes in an injury-causation dispute, and
    after an exit or a withdrawal what happens next and which rules now govern; each
    ends with its reference.
    """

    on: date
    step: Step
    deadlines: tuple[Deadline, ...]
    overdue: tuple[Deadline, ...]
    parties: tuple[PartyNextSteps, ...]
    calendar: EnglandWalesCalendar | None = None
    routes: tuple[CourtRoute, ...] = ()
    notes: tuple[str, ...] = ()

    def of(self, party: Party) -> PartyNextSteps:
        """Return ``party``'s next steps."""
        return next(p for p in self.parties if p.party is party)

    def _rows(self) -> list[list[Any]]:
        return [
            [
                d.party.value,
                d.name,
                d.due,
                d.days_left(self.on, self.calendar),
                d.status(self.on),
                d.reference,
            ]
            for d in self.deadlines
        ]

    def _title(self) -> str:
        return f"Next steps on {self.on} (step: {self.step.value})"

    def _may(self) -> list[str]:
        return [
            f"{p.party.value} may: " + (", ".join(p.actions) or "nothing on the portal")
            for p in self.parties
        ]

    def _court(self) -> list[str]:
        return [f"route to court: {r}" for r in self.routes] + [f"Note: {n}" for n in self.notes]

    def __str__(self) -> str:
        parts = [text_table(_NEXT_HEADERS, self._rows(), title=self._title())]
        parts.extend(self._may())
        parts.extend(self._court())
        return "\n".join(parts)

    @exact
    def to_frame(self) -> Any:
        """Return the open deadlines as a pandas DataFrame (the ``batch`` extra).

        A row per deadline: party, deadline, due date, days left, status (``overdue`` past
        its due date), reference; as the view shows them.

        >>> from datetime import date
        >>> from rtaprotocol import Claim, ClaimFacts
        >>> claim = Claim().submit(
        ...     ClaimFacts(accident_date=date(2023, 3, 1), entry_date=date(2023, 5, 2)),
        ...     on=date(2023, 5, 2), whiplash=True)
        >>> claim.next_steps(date(2023, 6, 16)).to_frame()[["deadline", "status"]].iloc[0].tolist()
        ['liability response', 'overdue']
        """
        return frame(_NEXT_HEADERS, self._rows())

    def _repr_html_(self) -> str:
        """Render where the claim stands first, then the deadlines and what each side may do."""
        outcome: Literal["info"] | bool = False if self.overdue else "info"
        return (
            html_verdict(self._title(), outcome)
            + html_table(_NEXT_HEADERS, self._rows(), caption="Open deadlines")
            + html_lines(self._may())
            + (html_lines(self._court()) if self.routes or self.notes else "")
        )

    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data."""
        return {
            "on": jsonable(self.on),
            "step": self.step.value,
            "deadlines": [d.to_dict(self.on, self.calendar) for d in self.deadlines],
            "overdue": [d.to_dict(self.on, self.calendar) for d in self.overdue],
            "parties": {p.party.value: p.to_dict(self.on, self.calendar) for p in self.parties},
            "court_routes": [r.to_dict() for r in self.routes],
            "notes": list(self.notes),
        }


def _describe(e: ClaimEvent) -> str:
    words = e.kind.value.replace("-", " ")
    details = []
    for name, value in e.fields:
        if name in ("facts", "party"):
            continue
        if isinstance(value, ListOfLosses):
            details.append(f"List of Losses of {len(value.items)} items")
        elif name == "added_losses":
            details.append(f"{len(value)} losses added")
        elif name == "cru":
            details.append(f"CRU certificate {format_money(value.total)}")
        elif isinstance(value, Decimal):
            details.append(
                f"{name} {format_money(value) if 'percent' not in name else str(value) + '%'}"
            )
        elif isinstance(value, tuple):
            details.append(f"{name} " + ", ".join(format_money(v) for v in value))
        elif isinstance(value, bool):
            if value:
                details.append(name.replace("_", " "))
        else:
            details.append(f"{name} {jsonable(value)}")
    return words + (f" ({'; '.join(details)})" if details else "")


@final
@frozen
class ClaimExplanation:
    """The whole story of a claim: every event with who acted, and where it stands now.

    ``str()`` is plain text, ``_repr_html_()`` an HTML table for notebooks, ``to_dict()``
    JSON-ready data.
    """

    claim: Claim

    def _rows(self) -> list[list[Any]]:
        return [[e.on, e.party.value, _describe(e)] for e in self.claim.history]

    def _summary(self) -> list[str]:
        c = self.claim
        lines = [f"Step: {c.step.value}"]
        if c.closed_because is not None:
            lines.append(f"Closed: {c.closed_because} [{CLOSED_REFERENCE}]")
        if c.exit_reason is not None:
            lines.append(
                f"Left the portal: {c.exit_reason.description} [{c.exit_reason.reference}]"
            )
        if c.on_hold:
            lines.append(f"On hold: court proceedings are running [{HOLD_REFERENCE}]")
        s = c._state
        if s.liability_by_court:
            lines.append(
                "Liability: the court determined the defendant's share at "
                f"{s.liability_percent}% [{HOLD_REFERENCE}]"
            )
        elif s.liability is not None:
            pct = "" if s.liability_percent is None else f" ({s.liability_percent}% admitted)"
            lines.append(f"Liability: {s.liability.value}{pct} [{LIABILITY_REFERENCE}]")
        if s.court_finding_for_claimant:
            lines.append(f"The court found for the claimant [{HOLD_REFERENCE}]")
        if s.causation != "n/a":
            lines.append(f"Injury causation: {s.causation} [{DISPUTE_REFERENCE}]")
        if s.unreliable_reports:
            lines.append(
                f"{s.unreliable_reports} further report(s) requested without a justification: "
                f"not relied on, fee not recoverable [{FURTHER_FEE_REFERENCE}]"
            )
        if c.limitation_deadline is not None:
            lines.append(f"Limitation deadline: {c.limitation_deadline} [{LIMITATION_REFERENCE}]")
        if s.limitation_proceedings_on is not None:
            lines.append(
                f"Proceedings issued on {s.limitation_proceedings_on} to protect the limitation "
                f"date: stayed while the claim goes on in the portal [{LIMITATION_COURT_REFERENCE}]"
            )
        if s.payment_due is not None and s.settlement_paid > ZERO and s.paid_on is None:
            balance = c.settlement_balance
            left = "unknown" if balance is None else format_money(balance)
            lines.append(
                f"Settlement paid in part: {format_money(s.settlement_paid)}, balance {left} "
                f"[{PAYMENT_REFERENCE}]"
            )
        lines.extend(
            f"Decided by the court: {i.value.replace('-', ' ')} (final) [{FINAL_REFERENCE}]"
            for i in sorted(s.decided, key=lambda i: i.value)
        )
        lines.extend(_summary_notes(s))
        return lines

    def __str__(self) -> str:
        return "\n".join(
            [*self._summary(), "", text_table(["on", "by", "event"], self._rows(), title="History")]
        )

    def _repr_html_(self) -> str:
        """Render where the claim stands first, then the history, for notebooks."""
        summary = self._summary()
        return (
            html_verdict(summary[0], "info")
            + html_lines(summary[1:])
            + html_table(["on", "by", "event"], self._rows(), caption="History")
        )

    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data: the summary lines, the state and the history."""
        return {
            "summary": self._summary(),
            "events": [
                {
                    "on": jsonable(e.on),
                    "by": e.party.value,
                    "event": _describe(e),
                    "data": e.to_dict(),
                }
                for e in self.claim.history
            ],
            "claim": self.claim.to_dict(),
        }
