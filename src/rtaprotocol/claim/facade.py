"""The claim's façade: :class:`Claim`, event by event (guide 6.1 to 6.6).

A thin, immutable front over the reducers (:mod:`~rtaprotocol.claim.transitions`) and the
queries: building (``apply``, ``act``, ``submit``, ``replay``), reading the state,
deadlines and next steps, payments and reports, rendering, storing and restoring. Its
longer bodies are module functions it delegates to (``claim/storage.py``,
``claim/queries.py``); the docstrings and their doctests stay here. Import :class:`Claim`
from :mod:`rtaprotocol.claim`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, final

from attrs import field, frozen

from rtaprotocol._decimal import exact
from rtaprotocol._persistent import EMPTY as _NOTHING
from rtaprotocol._persistent import Vec
from rtaprotocol.claim.deadlines import Deadline
from rtaprotocol.claim.events import (
    ClaimEvent,
    _action_day,
    _check_today,
    _repeats,
    _version_number,
)
from rtaprotocol.claim.kinds import (
    _K,
    LONG_PROGNOSIS_MONTHS,
    ORDER_REFERENCE,
    ClaimEventKind,
    Compensator,
    CourtIssue,
    LiabilityResponse,
    Step,
)
from rtaprotocol.claim.negotiation import _deem_causation, _settlement_balance
from rtaprotocol.claim.payment import _numbered_offer, _offer_event_of, _offer_payment, _payment
from rtaprotocol.claim.queries import _allowed, _claim_notes, _offer_process_of, _open_deadlines_of
from rtaprotocol.claim.routes import CourtRoute, _court_notes, _court_routes
from rtaprotocol.claim.state import _EMPTY, _State, _step
from rtaprotocol.claim.storage import _from_dict_of, _replay_of, _to_dict_of
from rtaprotocol.claim.transitions import _apply, _calendar
from rtaprotocol.claim.views import ClaimExplanation, ClaimNextSteps, PartyNextSteps
from rtaprotocol.deadlines import EnglandWalesCalendar, limitation_deadline
from rtaprotocol.eligibility import ClaimFacts, EligibilityResult, ExitReason
from rtaprotocol.errors import ConcurrencyError, ErrorCode, RulesError
from rtaprotocol.json import loads as json_loads
from rtaprotocol.losses import ListOfLosses, LossesPayment
from rtaprotocol.offers import Negotiation, Party

if TYPE_CHECKING:
    from rtaprotocol.report import ClaimReport, Injuries


@final
@frozen(repr=False)
class Claim:
    """A portal claim, event by event (guide 6.1 to 6.6).

    ``Claim()`` starts empty; the first event is ``submitted`` (see :meth:`submit`).
    ``calendar`` (default ``None``: England & Wales bank holidays as shipped) counts the
    business days of every deadline. Two claims are equal when they hold the same events
    under the same calendar; the state is a function of those, so
    ``Claim.replay(c.history, calendar=c.calendar) == c``.

    >>> from datetime import date
    >>> from rtaprotocol.eligibility import ClaimFacts
    >>> facts = ClaimFacts(accident_date=date(2023, 3, 1), entry_date=date(2023, 5, 2))
    >>> c = Claim().submit(facts, on=date(2023, 5, 2), whiplash=True)
    >>> c.act("liability-challenge", on=date(2023, 5, 3), percent=100)
    Traceback (most recent call last):
    ...
    rtaprotocol.errors.ProtocolViolation: only a part-admission of liability can be challenged with a proposed share [guide 6.3.1.1]
    """

    calendar: EnglandWalesCalendar | None = field(default=None, converter=_calendar)
    _history: Vec[ClaimEvent] = field(init=False, default=_NOTHING)
    _state: _State = field(init=False, default=_EMPTY, eq=False)
    # Event id -> [(position, event)], shared by the versions of one line of claims: an
    # entry holds for a version whose history has that very event at that position.
    _ids: dict[str, list[tuple[int, ClaimEvent]]] = field(
        init=False, factory=dict, eq=False, repr=False
    )

    # --- building -------------------------------------------------------------------------

    def apply(
        self,
        event: ClaimEvent | Mapping[str, Any],
        *,
        expected_version: int | None = None,
        today: date | None = None,
    ) -> Claim:
        """Return the claim after one more event (a :class:`ClaimEvent` or its dict).

        ``expected_version`` (optional): the :attr:`version` the caller read the claim at;
        if the claim holds another number of events, another writer appended first and
        :class:`~rtaprotocol.errors.ConcurrencyError` is raised (nothing is applied).
        An event with an ``event_id`` already in the history is a retry: with the same
        kind, date and fields it is a no-op that returns this claim unchanged (whatever
        ``expected_version`` says, so a retry after a lost reply succeeds); with other
        content it is refused. See docs/claim.md, "Versions and event ids".

        ``today`` (optional) is the date the caller stands on: an event dated after it is
        refused, so that a mistyped year cannot record an action in the future and freeze
        a live claim (every later action would have to be dated after it). Without it,
        any supported date is accepted.

        >>> Claim().apply({"kind": "proceed-to-medical", "on": "2023-05-02"})
        Traceback (most recent call last):
        ...
        rtaprotocol.errors.ProtocolViolation: the claim has not been submitted yet: got 'proceed-to-medical' [guide 6.2.1.3, 6.3.1]
        >>> Claim().apply({"kind": "proceed-to-medical", "on": "2023-05-02"}, expected_version=1)
        Traceback (most recent call last):
        ...
        rtaprotocol.errors.ConcurrencyError: expected_version: the claim is at version 0 (0 events applied), not the expected version 1: another writer appended first; reload it and decide again: got 1 [rtaprotocol claim versions (optimistic concurrency, docs/claim.md)]
        >>> from datetime import date
        >>> Claim().apply({"kind": "submitted", "on": "2033-05-02", "whiplash": True,
        ...                "facts": {"accident_date": "2023-03-01", "entry_date": "2023-05-02"}},
        ...               today=date(2023, 5, 2))
        Traceback (most recent call last):
        ...
        rtaprotocol.errors.RulesError: on: the action is dated after today (2023-05-02): got datetime.date(2033, 5, 2) [an action is recorded on or before the date the caller stands on (guide 6.1)]
        """
        if not isinstance(event, ClaimEvent):
            event = ClaimEvent.from_dict(event)
        _check_today(event, today)
        expected = None if expected_version is None else _version_number(expected_version)
        if event.event_id is not None and self._seen_before(event) is not None:
            return self
        if expected is not None and expected != len(self._history):
            raise ConcurrencyError(expected=expected, current=len(self._history))
        state = _apply(self._state, event, self.calendar)
        return self._made(self._history.append(event), state, self._ids, event)

    def _made(
        self,
        history: Vec[ClaimEvent],
        state: _State,
        ids: dict[str, list[tuple[int, ClaimEvent]]],
        added: ClaimEvent | None = None,
    ) -> Claim:
        """Return a claim of this calendar with ``history`` and its ``state``."""
        new = Claim(calendar=self.calendar)
        if added is not None and added.event_id is not None:
            ids.setdefault(added.event_id, []).append((len(history) - 1, added))
        # attrs' documented way to set fields of a frozen instance it has just made.
        object.__setattr__(new, "_history", history)
        object.__setattr__(new, "_state", state)
        object.__setattr__(new, "_ids", ids)
        return new

    def _seen_before(self, event: ClaimEvent) -> ClaimEvent | None:
        """Return the earlier event with ``event``'s id if it is the same; refuse another."""
        history = self._history
        earlier = None
        for at, recorded in reversed(self._ids.get(event.event_id or "", ())):
            if at < len(history) and history[at] is recorded:
                earlier = recorded
                break
        return earlier if _repeats(earlier, event, "event_id") else None

    def act(
        self,
        kind: ClaimEventKind | str,
        *,
        on: date,
        event_id: str | None = None,
        expected_version: int | None = None,
        today: date | None = None,
        **fields: Any,
    ) -> Claim:
        """Apply an event of ``kind`` on ``on`` with ``fields`` (see :class:`ClaimEvent`).

        ``event_id``, ``expected_version`` and ``today`` work as in :meth:`apply`.

        >>> from datetime import date
        >>> Claim().act("denial-accepted", on=date(2023, 5, 2)).step
        Traceback (most recent call last):
        ...
        rtaprotocol.errors.ProtocolViolation: the claim has not been submitted yet: got 'denial-accepted' [guide 6.2.1.3, 6.3.1]
        """
        return self.apply(
            ClaimEvent.make(kind, on, event_id=event_id, **fields),
            expected_version=expected_version,
            today=today,
        )

    def submit(
        self,
        facts: ClaimFacts,
        *,
        on: date,
        whiplash: bool,
        compensator: Compensator | str = Compensator.INSURER,
    ) -> Claim:
        """Submit the claim with its Statement of Truth (guide 6.2.1.3, 6.3.1).

        Eligibility is checked (a claim that fails a criterion is refused with the
        criterion's rule); the liability response falls due in 30 business days, or 40
        where the compensator is the MIB or its agents.

        >>> from datetime import date
        >>> from rtaprotocol.eligibility import ClaimFacts
        >>> facts = ClaimFacts(accident_date=date(2023, 3, 1), entry_date=date(2023, 5, 2))
        >>> c = Claim().submit(facts, on=date(2023, 5, 2), whiplash=True, compensator="mib")
        >>> [d.due for d in c.deadlines(date(2023, 5, 2)) if d.period]
        [datetime.date(2023, 6, 29)]
        """
        return self.act(
            _K.SUBMITTED, on=on, facts=facts, whiplash=whiplash, compensator=compensator
        )

    @classmethod
    def replay(
        cls,
        events: Iterable[ClaimEvent | Mapping[str, Any]] | str | bytes,
        *,
        calendar: EnglandWalesCalendar | None = None,
        today: date | None = None,
    ) -> Claim:
        """Rebuild a claim from its events: :class:`ClaimEvent`, their dicts, or a JSON list.

        ``today``: as for :meth:`apply`, for every event (the error names its position).

        JSON text (``str`` or ``bytes``) is read by :func:`rtaprotocol.json.loads`: bounded,
        exact numbers, a duplicated key or NaN refused with
        :class:`~rtaprotocol.errors.InvalidJSON`.

        A dict that is not a valid event raises :class:`~rtaprotocol.errors.RulesError`
        naming its position (``events[2].percent``); several problems, in one event or
        across them, raise :class:`~rtaprotocol.errors.InputError` listing every one
        before any event is applied; an event the protocol forbids raises
        :class:`~rtaprotocol.errors.ProtocolViolation`. Event ids are read as
        :meth:`apply` reads them: a repeat of an earlier event (same id, same content) is
        skipped, the same id with other content is refused.

        >>> Claim.replay('[{"kind": "submitted", "on": "2023-05-02"}]')
        Traceback (most recent call last):
        ...
        rtaprotocol.errors.InputError: 2 problems in the input:
          events[0].facts: a submitted event needs this field [portal claim events (guide 6.1 to 6.6)]
          events[0].whiplash: a submitted event needs this field [portal claim events (guide 6.1 to 6.6)]
        """
        return _replay_of(cls, events, calendar=calendar, today=today)

    # --- queries ------------------------------------------------------------------------

    @property
    def history(self) -> tuple[ClaimEvent, ...]:
        """Every event so far, in order (each has ``to_dict()``; the list is JSON-ready)."""
        return self._history.as_tuple()

    @property
    def version(self) -> int:
        """The number of events applied: 0 for a new claim, 1 once submitted.

        Pass it back as ``apply(event, expected_version=...)`` to append only if no other
        writer has appended since (optimistic concurrency; docs/claim.md).

        >>> Claim().version
        0
        """
        return len(self._history)

    @property
    def step(self) -> Step:
        """The portal step, derived from the events (guide 6.1, 6.6.1.1, 6.6.2.1)."""
        return _step(self._state)

    @property
    def facts(self) -> ClaimFacts | None:
        """The facts submitted, or ``None`` before submission."""
        return self._state.facts

    @property
    def eligibility(self) -> EligibilityResult | None:
        """The eligibility check made on submission (guide 4.1 to 4.3)."""
        return self._state.eligibility

    @property
    def whiplash(self) -> bool:
        """Whether the claim includes a whiplash injury (CLA 2018 s.6 applies)."""
        return self._state.whiplash

    @property
    def liability(self) -> LiabilityResponse | None:
        """The compensator's latest liability response, or ``None``."""
        return self._state.liability

    @property
    def liability_percent(self) -> Decimal | None:
        """The compensator's admitted (or court-determined) share of liability, in percent."""
        return self._state.liability_percent

    @property
    def causation(self) -> str:
        """Injury causation: ``n/a``, ``disputed``, ``notified`` or ``admitted``.

        ``n/a`` before a liability response; ``notified`` once the dispute notice is given
        (guide 6.5.4); ``admitted`` includes deemed admitted.
        """
        return self._state.causation

    def causation_on(self, on: date) -> str:
        """Return injury causation as at ``on`` (guide 6.5.4).

        Deemed admitted once the 20 business days for a dispute notice have passed
        without one.

        >>> Claim().causation_on(__import__("datetime").date(2023, 5, 2))
        'n/a'
        """
        return _deem_causation(self._state, _action_day(on)).causation

    @property
    def part_admission_challenges(self) -> int:
        """Challenges to a part-admission made so far (at most 3, guide 6.3.1.1)."""
        return self._state.part_challenges

    @property
    def losses(self) -> ListOfLosses:
        """The List of Losses as it stands (items paid on interim are marked paid)."""
        return self._state.losses

    @property
    def general_interim(self) -> Decimal:
        """General interim payments, offset against the final settlement (guide 6.3.1.4)."""
        return self._state.general_interim

    @property
    def negotiation(self) -> Negotiation:
        """The embedded offer negotiation of the current round (guide 6.5.3 to 6.5.6)."""
        return self._state.negotiation

    @property
    def past_negotiations(self) -> tuple[Negotiation, ...]:
        """Negotiations ended by waiting out the prognosis (guide 6.5.3.1)."""
        return self._state.past_negotiations.as_tuple()

    @property
    def unreliable_further_reports(self) -> int:
        """Further reports obtained without one of the four justifications.

        They cannot be relied on and their fee is not recoverable (guide 6.4.2.2, 6.4.2.3).
        """
        return self._state.unreliable_reports

    @property
    def higher_tariff_selected(self) -> bool:
        """Whether the compensator has offered the higher tariff (guide 6.5.3.1)."""
        return self._state.higher_tariff

    @property
    def on_hold(self) -> bool:
        """Whether court proceedings are running (guide 6.6.1.1)."""
        return self._state.on_hold

    @property
    def closed_because(self) -> str | None:
        """Why the claim closed, or ``None`` (guide 6.6.1)."""
        return self._state.closed_because

    @property
    def exit_reason(self) -> ExitReason | None:
        """Why the claim left the portal, or ``None`` (guide 6.6.2.1)."""
        return self._state.exit_reason

    @property
    def court_value(self) -> Decimal | None:
        """The sum the court awarded, when it valued the claim."""
        return self._state.court_value

    @property
    def settlement_paid(self) -> Decimal:
        """What the compensator has paid against the accepted settlement (guide 6.6.2)."""
        return self._state.settlement_paid

    @property
    def settlement_balance(self) -> Decimal | None:
        """What is still owed on the accepted settlement (guide 6.6.2).

        ``None`` before a settlement, or when the accepted offer gives no breakdown to work
        the sum out from; ``0`` once paid in full. A partial payment leaves the rest owed,
        due by the same date, and the claimant may go to court for it once that date passes.

        >>> Claim().settlement_balance is None
        True
        """
        return _settlement_balance(self._state)

    @property
    def limitation_proceedings_on(self) -> date | None:
        """When proceedings were issued to protect the limitation date (PD 27B Section 9).

        They are stayed while the protocol is followed: the claim goes on in the portal.
        """
        return self._state.limitation_proceedings_on

    @property
    def decided_in_court(self) -> frozenset[CourtIssue]:
        """The questions the court has decided: final, never reopened (guide 6.6.1.1)."""
        return self._state.decided

    def court_routes(self, on: date) -> tuple[CourtRoute, ...]:
        """Return every route to court open on ``on``, each with its PD 27B section.

        The same routes ``allowed_actions`` offers as ``go-to-court`` (one per issue the
        rules accept that day), each saying why and which PD 27B section and court pack
        table govern it.

        >>> Claim().court_routes(__import__("datetime").date(2023, 5, 2))
        ()
        """
        day = _action_day(on)
        if self._state.submitted_on is None:
            return ()
        return _court_routes(self._state, day, self.calendar)

    @property
    def withdrawn_on(self) -> date | None:
        """When the claimant withdrew the claim from the portal, or ``None`` (guide 6.1)."""
        return self._state.withdrawn_on

    @property
    def prognosis_months(self) -> int | None:
        """The prognosis of the latest medical report that gave one, in months (guide 6.4.2)."""
        return self._state.prognosis_months

    @property
    def long_prognosis(self) -> bool:
        """Whether the latest prognosis is over 24 months (guide 6.4.2, 6.4.2.2; CLA 2018 s.3)."""
        months = self._state.prognosis_months
        return months is not None and months > LONG_PROGNOSIS_MONTHS

    @property
    def whiplash_agreed(self) -> bool | None:
        """``True``/``False`` once both sides' offers agree there is (is not) a whiplash injury.

        ``None`` until they agree; after that neither reopens it (guide 6.5.3.1).
        """
        return self._state.whiplash_agreed

    @property
    def own_further_reports(self) -> int:
        """Further reports the claimant obtained without the compensator (guide 6.4.2.2)."""
        return self._state.own_reports

    @property
    def represented(self) -> bool | None:
        """Whether the claimant is represented, from the facts (``None``: not stated).

        Decides who arranges and pays the first medical report (guide 5.3.1, 6.4.1).
        """
        f = self._state.facts
        return None if f is None else f.represented

    @property
    def limitation_deadline(self) -> date | None:
        """The last day to issue court proceedings (guide 5.4, 6.6.3.1).

        ``None`` before submission. Entering the claim on the portal does not stop the
        clock.
        """
        f = self._state.facts
        if f is None:
            return None
        return limitation_deadline(f.accident_date, date_of_birth=f.date_of_birth)

    def _query_day(self, on: date) -> date:
        """Return the date a query asks about: covered, and not before the last event.

        The claim's state is as of its last event; a date before it would answer with
        deadlines already met shown as running (guide 6.3.1). Every query that takes a date
        (``deadlines``, ``overdue``, ``allowed_actions``, ``next_steps``) refuses it alike.
        """
        day = _action_day(on)
        last = self._state.last_on
        if last is not None and day < last:
            raise RulesError(
                f"a date before the previous action ({last})",
                value=on,
                field="on",
                reference=ORDER_REFERENCE,
                code=ErrorCode.ORDER_BEFORE_PREVIOUS,
            )
        return day

    def deadlines(self, on: date | None = None) -> tuple[Deadline, ...]:
        """Every deadline: those met (on time or late) and those still open.

        With ``on``, the deadlines open on that date come first, sorted by due date.
        """
        s = self._state
        day = s.last_on if on is None else self._query_day(on)
        open_ = self._open_deadlines()
        if day is not None:
            open_ = tuple(sorted(open_, key=lambda d: (d.due, d.name)))
        return (*open_, *s.met)

    def _open_deadlines(self) -> tuple[Deadline, ...]:
        return _open_deadlines_of(self)

    def overdue(self, on: date) -> tuple[Deadline, ...]:
        """Deadlines past due on ``on`` and not met, then those met late (guide 6.3.1).

        >>> from datetime import date
        >>> from rtaprotocol.eligibility import ClaimFacts
        >>> facts = ClaimFacts(accident_date=date(2023, 3, 1), entry_date=date(2023, 5, 2))
        >>> c = Claim().submit(facts, on=date(2023, 5, 2), whiplash=True)
        >>> [(d.name, d.due) for d in c.overdue(date(2023, 6, 16))]
        [('liability response', datetime.date(2023, 6, 15))]
        """
        day = self._query_day(on)
        open_ = [d for d in self._open_deadlines() if d.status(day) == "overdue"]
        late = [d for d in self._state.met if d.late and d.met_on is not None and d.met_on <= day]
        return tuple(sorted(open_, key=lambda d: d.due)) + tuple(late)

    def open_deadlines(self, on: date | None = None) -> tuple[Deadline, ...]:
        """Every deadline not yet met, by due date then name (guide 6.3.1, 6.4, 6.5).

        The rows a backend indexes to find what is overdue across all its claims without
        replaying them: a deadline leaves the list when the event that meets it is applied
        (a deadline met late leaves it too, and stays in :meth:`deadlines`). Each says its
        ``status`` on any date: running, overdue, or expired where missing it has a
        consequence of its own. ``on`` (optional) is checked like every query's date
        (covered, not before the last event); the list is the same on any such date. A
        claim withdrawn from the portal keeps one: limitation, which runs whatever the
        portal does (guide 5.4, 6.6.3.1).

        >>> from datetime import date
        >>> from rtaprotocol.eligibility import ClaimFacts
        >>> facts = ClaimFacts(accident_date=date(2023, 3, 1), entry_date=date(2023, 5, 2))
        >>> c = Claim().submit(facts, on=date(2023, 5, 2), whiplash=True)
        >>> [(d.name, d.due.isoformat()) for d in c.open_deadlines()]
        [('liability response', '2023-06-15'), ('limitation: issue court proceedings', '2026-03-01')]
        >>> [d.name for d in c.act("claim-withdrawn", on=date(2023, 5, 3)).open_deadlines()]
        ['limitation: issue court proceedings']
        >>> Claim().open_deadlines()
        ()
        """
        if on is not None:
            self._query_day(on)
        return tuple(sorted(self._open_deadlines(), key=lambda d: (d.due, d.name)))

    def allowed_actions(self, on: date) -> dict[Party, tuple[str, ...]]:
        """Return, for each party, the event kinds it may record on ``on``.

        Each kind is tried against the rules, so the answer always agrees with what
        :meth:`apply` does. Before submission the claimant may only submit.

        >>> from datetime import date
        >>> from rtaprotocol.eligibility import ClaimFacts
        >>> facts = ClaimFacts(accident_date=date(2023, 3, 1), entry_date=date(2023, 5, 2))
        >>> c = Claim().submit(facts, on=date(2023, 5, 2), whiplash=True)
        >>> c.allowed_actions(date(2023, 5, 3))[Party.COMPENSATOR]
        ('liability-response', 'voluntary-interim-payment', 'portal-exit')
        """
        day = self._query_day(on)
        s = self._state
        if s.submitted_on is None:
            return {Party.CLAIMANT: (_K.SUBMITTED.value,), Party.COMPENSATOR: ()}
        return _allowed(s, day, self.calendar)

    def next_steps(self, on: date) -> ClaimNextSteps:
        """Return, for each party, what it may do on ``on`` and its open deadlines.

        Overdue deadlines come first; each deadline has its due date, business days left
        (calendar days for limitation) and reference.

        >>> from datetime import date
        >>> from rtaprotocol.eligibility import ClaimFacts
        >>> facts = ClaimFacts(accident_date=date(2023, 3, 1), entry_date=date(2023, 5, 2))
        >>> c = Claim().submit(facts, on=date(2023, 5, 2), whiplash=True)
        >>> n = c.next_steps(date(2023, 6, 16))
        >>> [(d.name, d.status(n.on)) for d in n.deadlines]
        [('liability response', 'overdue'), ('limitation: issue court proceedings', 'running')]
        """
        day = self._query_day(on)
        allowed = self.allowed_actions(day)
        open_ = self._open_deadlines()
        order = {"overdue": 0, "expired": 1, "running": 2}
        ranked = tuple(sorted(open_, key=lambda d: (order.get(d.status(day), 3), d.due, d.name)))
        parties = tuple(
            PartyNextSteps(
                party=p, actions=allowed[p], deadlines=tuple(d for d in ranked if d.party is p)
            )
            for p in Party
        )
        return ClaimNextSteps(
            on=day,
            step=self.step,
            deadlines=ranked,
            overdue=self.overdue(day),
            parties=parties,
            calendar=self.calendar,
            routes=_court_routes(self._state, day, self.calendar),
            notes=_claim_notes(self._state, day) + _court_notes(self._state, day),
        )

    def payment(
        self,
        offer: int | None = None,
        *,
        party: Party | str | None = None,
        negotiation: int | None = None,
    ) -> LossesPayment:
        """Return what the settled offer (else the compensator's latest) pays (guide 6.5.2).

        ``offer``: any other offer, by its number on the portal (1 to 3 for each party,
        guide 6.5.5.1), the compensator's unless ``party`` says otherwise. A replacement
        for an offer withdrawn before it was rejected keeps the withdrawn offer's number;
        ``offer=N`` is then the last offer made under that number. ``party`` alone: that
        party's latest offer. ``negotiation``: which offer process, numbered from 1 in
        order; the current one (the default) is ``len(claim.past_negotiations) + 1``. The
        offer process starts over when waiting out the prognosis ends in a further report
        or further losses (guide 6.5.3.1); an offer of an earlier process is paid out
        against the claim as it stood when that process ended (its List of Losses,
        liability and interim payments then). A number with no offer is refused with
        :class:`~rtaprotocol.errors.ProtocolViolation`.

        The offer's ``injury`` sum is the injury head and its ``items`` value each item
        of the List of Losses in order; the claimant's share of liability is 100 minus
        the share the offer was made on: its ``liability_percent`` when liability was
        negotiated at the offer stage (guide 6.3.1.1), else the compensator's admitted (or
        court-determined) share, as ``liability_basis`` says; the seatbelt reduction
        and the CRU certificate come from the offer; items paid on interim have that
        payment deducted from their head, and general interim payments come off the total
        (guide 6.3.1.4). CRU is set off item by item by Sch 2 head
        (:func:`~rtaprotocol.losses.compute_payment_for_losses`).

        Asked before any offer, it refuses with the code ``reference.not-found`` (an offer
        that does not exist), not a generic ``value.invalid``:

        >>> Claim().payment()
        Traceback (most recent call last):
        ...
        rtaprotocol.errors.ProtocolViolation: there is no compensator offer to pay out [guide 6.5.2]
        """
        if offer is None and party is None and negotiation is None:
            return _payment(self._state)
        state, process = self._offer_process(negotiation)
        past = process <= len(self._state.past_negotiations)
        target = _numbered_offer(state, offer, party, process if past else None)
        return _offer_payment(state, _offer_event_of(state, target))

    def _offer_process(self, negotiation: int | None) -> tuple[_State, int]:
        """Return the state in which offer process ``negotiation`` is the current one."""
        return _offer_process_of(self, negotiation)

    def report(self, on: date, *, injuries: Injuries | None = None) -> ClaimReport:
        """Return the whole report on ``on``: what ``rtaprotocol assess`` prints, as a value.

        Eligibility with every criterion (guide 4.1, 4.2), the injury valuation of
        ``injuries`` (tariff, JCG brackets, mixed award; see
        :class:`~rtaprotocol.report.Injuries`), the payment breakdown of the settled or
        latest compensator offer (guide 6.5.2), the negotiation, every deadline (overdue
        first) and what each side may do next (guide 6.1 to 6.6), limitation (guide 5.4)
        and the history. ``str()`` is the text report, ``_repr_html_()`` the notebook view,
        ``to_dict()`` the same as data. A date before the last event is refused, as by
        :meth:`next_steps`; so is a claim not yet submitted.

        >>> from datetime import date
        >>> from rtaprotocol.eligibility import ClaimFacts
        >>> facts = ClaimFacts(accident_date=date(2023, 3, 1), entry_date=date(2023, 5, 2))
        >>> c = Claim().submit(facts, on=date(2023, 5, 2), whiplash=True)
        >>> r = c.report(date(2023, 6, 16))
        >>> r.to_dict()["next_steps"]["overdue"][0]["name"]
        'liability response'
        >>> str(r).splitlines()[0]
        'Claim assessed as at 2023-06-16: step investigation'
        >>> Claim().report(date(2023, 6, 16))
        Traceback (most recent call last):
        ...
        rtaprotocol.errors.RulesError: the claim has not been submitted: there is nothing to report yet: got 'start' [guide 6.2.1.3, 6.3.1]
        """
        from rtaprotocol.report import claim_report

        return claim_report(self, on, injuries)

    def explain(self) -> ClaimExplanation:
        """Return the whole story: text (``str``), HTML (``_repr_html_``), JSON (``to_dict``).

        >>> print(Claim().explain())
        Step: start
        <BLANKLINE>
        History
        on | by | event
        ---+----+------
        """
        return ClaimExplanation(self)

    # --- rendering ------------------------------------------------------------------------

    def __repr__(self) -> str:
        return f"<Claim: {self.step.value}, {len(self._history)} events>"

    def __str__(self) -> str:
        return str(self.explain())

    def _repr_html_(self) -> str:
        """Render the story as HTML, for notebooks."""
        return self.explain()._repr_html_()

    def to_dict(self) -> dict[str, Any]:
        """Return the state and the full history as JSON-ready data.

        >>> Claim().to_dict()["step"]
        'start'
        """
        return _to_dict_of(self)

    # --- storing and restoring (issue 24) -----------------------------------------------

    @exact
    def snapshot(self) -> dict[str, Any]:
        """Return the claim as a JSON-ready snapshot: history and state, restored without replay.

        ``{"kind": "rtaprotocol.claim-snapshot", "format": 1, "calendar": ...,
        "history": [...], "state": {...}, "digest": "..."}``: the events (so ``history``,
        ``version`` and event ids keep working), every part of the derived state, and a
        SHA-256 digest of the rest as :func:`rtaprotocol.json.dumps` writes it. Write it
        with ``dumps``; :meth:`from_snapshot` restores a claim equal to the replayed one,
        answering every query the same, without applying the events again.
        See docs/claim.md, "Snapshots".

        >>> from rtaprotocol.json import dumps, loads
        >>> s = Claim().snapshot()
        >>> s["format"], s["history"], Claim.from_snapshot(loads(dumps(s))) == Claim()
        (1, [], True)
        """
        from rtaprotocol.claim import snapshot as _claim_snapshot

        return _claim_snapshot.write(self)

    @classmethod
    @exact
    def from_snapshot(cls, data: Any, *, verify: bool = False) -> Claim:
        """Restore a claim from :meth:`snapshot` data (or its JSON text), without replaying.

        A snapshot of another ``format``, of another kind, with a key missing or unknown, a
        value of the wrong type, or whose ``digest`` does not match its content (changed or
        damaged after it was written) is refused with
        :class:`~rtaprotocol.errors.InputError`, each problem with its JSON pointer
        (``/format``, ``/state/general_interim``). The digest catches accidents and careless
        edits, not a forger who recomputes it: a backend that does not trust its store
        passes ``verify=True``, which also replays the history and refuses a snapshot whose
        state differs (as costly as :meth:`replay`). JSON text goes through
        :func:`rtaprotocol.json.loads`.

        >>> Claim.from_snapshot({"kind": "rtaprotocol.claim-snapshot", "format": 0,
        ...     "calendar": {"extra_holidays": [], "extra_business_days": []},
        ...     "history": [], "state": {}, "digest": ""})
        Traceback (most recent call last):
        ...
        rtaprotocol.errors.InputError: 1 problem in the input:
          format: this version of rtaprotocol reads snapshot format 1 only; restore the claim by replaying the snapshot's history (Claim.replay) and take a new snapshot: got 0 [rtaprotocol claim snapshots (docs/claim.md, Snapshots)]
        """
        from rtaprotocol.claim import snapshot as _claim_snapshot

        if isinstance(data, str | bytes | bytearray):
            data = json_loads(data)
        claim: Claim = _claim_snapshot.read(data, verify=verify)
        return claim

    def _restored(self, history: tuple[ClaimEvent, ...], state: _State) -> Claim:
        """Return a claim of this calendar holding ``history`` and its ``state`` as given."""
        ids = {e.event_id: [(at, e)] for at, e in enumerate(history) if e.event_id is not None}
        return self._made(Vec.of(history), state, ids)

    @classmethod
    @exact
    def from_dict(cls, data: Any) -> Claim:
        """Rebuild a claim from its :meth:`to_dict` form: its ``history`` replayed.

        ``history`` is required; the calendar is read from ``extra_holidays`` and
        ``extra_business_days`` (default none); every other key :meth:`to_dict` writes is
        derived, and when present must be what the replayed claim gives (else
        :class:`~rtaprotocol.errors.InputError` names each key that differs); an unknown
        key is refused. For a store, :meth:`snapshot` restores without replaying.

        >>> c = Claim.from_dict({"history": [], "step": "offer"})
        Traceback (most recent call last):
        ...
        rtaprotocol.errors.InputError: 1 problem in the input:
          step: the claim's history gives 'start', not this: got 'offer' [portal claim events (guide 6.1 to 6.6)]
        """
        return _from_dict_of(cls, data)

    @classmethod
    @exact
    def from_json(cls, text: str | bytes) -> Claim:
        """Rebuild a claim from JSON text: a list of events, a :meth:`to_dict` or a :meth:`snapshot`.

        The text is read by :func:`rtaprotocol.json.loads` (bounded, exact numbers,
        duplicate keys refused); a list is replayed (:meth:`replay`), an object with
        ``"kind": "rtaprotocol.claim-snapshot"`` restored (:meth:`from_snapshot`), any other
        object read by :meth:`from_dict`.

        >>> Claim.from_json('{"history": [], "history": []}')
        Traceback (most recent call last):
        ...
        rtaprotocol.errors.InvalidJSON: /history: the same key appears twice in one JSON object, so its value is ambiguous: got 'history' [rtaprotocol json text (RFC 8259)]
        """
        data = json_loads(text)
        if isinstance(data, list):
            return cls.replay(data)
        if isinstance(data, Mapping) and data.get("kind") == "rtaprotocol.claim-snapshot":
            return cls.from_snapshot(data)
        return cls.from_dict(data)
